// LANGUAGE-v2.md sections 1, 2, 3 and 8 at their edges, each expectation worked out by hand in
// the comments: unit fields (an optional one absent, a new version changing one), each ...
// where, units() and the child quantifiers (none to judge, a child registered after the
// bucket's end), violations within (a grandchild), violated_obligations, rank (ties 1, 2, 2, 4
// and a unit with no value), waivers (an extension reopening a bucket, an excuse not counted, a
// waiver before its bucket, a retracted one), the bad records and rule files of each. Every
// scenario is also fed to an engine watching the date record by record, whose kept verdicts
// must equal a fresh engine's: the incremental paths of each construct.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "../syntax/support.hpp"
#include "helpers.hpp"
#include "mandate/report/report_writer.hpp"
#include "mandate/syntax/format.hpp"

namespace {

using namespace evaltest;
using mandate::report;

std::string json_of(const report& r) { return mandate::io::to_json(r); }

// The lines of `jsonl` fed one at a time to an engine whose subscriber watches `as_of`, then its
// report at that date (read from the kept evaluation) against a fresh engine's, fed in bulk.
::testing::AssertionResult incremental_matches(const std::string& plan_text, std::string_view jsonl, std::string_view as_of) {
    harness watched(plan_text), fresh(plan_text);
    int heard = 0;
    watched.engine().subscribe([&](const mandate::status_change&) { ++heard; });
    watched.engine().set_watch_date(D(as_of));
    watched.feed(jsonl);
    fresh.feed(jsonl);
    const std::string a = json_of(watched.at(as_of)), b = json_of(fresh.at(as_of));
    if (a == b) return ::testing::AssertionSuccess();
    std::size_t at = 0;
    while (at < a.size() && at < b.size() && a[at] == b[at]) ++at;
    return ::testing::AssertionFailure() << "kept and fresh reports differ at byte " << at << ":\n  kept:  "
                                         << a.substr(at > 200 ? at - 200 : 0, 400) << "\n  fresh: " << b.substr(at > 200 ? at - 200 : 0, 400);
}

// ---------------------------------------------------------------- 1. units carry data

const std::string fields_plan = R"(plan f { timezone "+08:00" }
phase y "年" from 2025-01-01 to 2025-12-31
kind town "镇"
kind village "村" within town {
  quota:   int
  target?: int
  rural?:  bool
}
event inspection "检查" {}
obligation by_quota "按任务数检查" {
  each v: village
  during y
  every quarter
  require count(inspection of v) >= v.quota
}
obligation by_target "按目标检查" {
  each v: village
  during y
  every quarter
  require count(inspection of v) >= v.target
}
obligation rural_only "农村每季度检查" {
  each v: village where v.rural
  during y
  every quarter
  require count(inspection of v) >= 1
}
obligation rural_events "农村的检查" {
  during y
  every quarter
  require count(inspection where unit.rural and unit is village) >= 2
}
)";

const std::string fields_records = R"(
{"entity": "t", "kind": "town"}
{"entity": "v1", "kind": "village", "parent": "t", "quota": 2, "target": 1, "rural": true}
{"entity": "v2", "kind": "village", "parent": "t", "quota": 1}
{"id": "a1", "type": "inspection", "time": "2025-01-10", "unit": "v1"}
{"id": "a2", "type": "inspection", "time": "2025-02-10", "unit": "v1"}
{"id": "a3", "type": "inspection", "time": "2025-04-10", "unit": "v1"}
{"id": "b1", "type": "inspection", "time": "2025-01-20", "unit": "v2"}
)";

TEST(UnitFields, AFieldIsAConstantPerUnitAndAnAbsentOneIsNoData) {
    harness h(fields_plan);
    h.feed_ok(fields_records);
    const report r = h.at("2025-05-15");
    // v1: Q1 has a1, a2 = 2 >= quota 2; Q2 has a3 = 1 < 2, pending (monotone, not closed).
    EXPECT_TRUE(row_is(r, "by_quota", "v1", "2025-01-01", "2025-03-31", "satisfied", true, "2"));
    EXPECT_TRUE(row_is(r, "by_quota", "v1", "2025-04-01", "2025-06-30", "pending", false, "1"));
    // v2: quota 1, b1 in Q1; Q2 nothing yet.
    EXPECT_TRUE(row_is(r, "by_quota", "v2", "2025-01-01", "2025-03-31", "satisfied", true, "1"));
    EXPECT_TRUE(row_is(r, "by_quota", "v2", "2025-04-01", "2025-06-30", "pending", false, "0"));
    // The field is a measure of the row too.
    EXPECT_EQ(measure(find_result(r, "by_quota", "v1", "2025-04-01")->evidence, "v.quota"), "2");
    // v2 has no target: undefined, so the comparison is false with "no data"; Q1 closed on
    // 04-01: violated, though v2 inspected in it.
    EXPECT_TRUE(row_is(r, "by_target", "v2", "2025-01-01", "2025-03-31", "violated", false, "1"));
    EXPECT_EQ(reason_of(r, "by_target", "v2", "2025-01-01"), "no data");
    EXPECT_TRUE(row_is(r, "by_target", "v1", "2025-01-01", "2025-03-31", "satisfied", true, "2"));
    // rural_only: v1 is rural; v2 says nothing (undefined is not true): no row at all.
    EXPECT_TRUE(row_is(r, "rural_only", "v1", "2025-01-01", "2025-03-31", "satisfied", true, "2"));
    EXPECT_EQ(find_result(r, "rural_only", "v2", "2025-01-01"), nullptr);
    EXPECT_EQ(count_rows(r, "rural_only"), 2u);  // v1's Q1 and Q2
    // unit.rural in a where: v1's events only (a1, a2 in Q1: 2 >= 2; a3 in Q2).
    EXPECT_TRUE(row_is(r, "rural_events", nullptr, "2025-01-01", "2025-03-31", "satisfied", true, "2"));
    EXPECT_TRUE(row_is(r, "rural_events", nullptr, "2025-04-01", "2025-06-30", "pending", false, "1"));
    EXPECT_TRUE(incremental_matches(fields_plan, fields_records, "2025-05-15"));
}

TEST(UnitFields, ANewVersionChangesAFieldForEveryBucket) {
    // Values belong to the standing version (LANGUAGE-v2.md section 1): v1's version 1 lowers its
    // quota to 1 in May, and Q2 (a3 only) is satisfied under it; Q1 (2 >= 1) stays satisfied.
    const std::string later = std::string(fields_records) +
                              R"({"entity": "v1", "kind": "village", "parent": "t", "quota": 1, "rural": false, "version": 1})";
    harness h(fields_plan);
    std::map<std::string, std::string> heard;  // rule/unit/from -> after
    h.engine().subscribe([&](const mandate::status_change& c) {
        if (c.after) heard[c.rule + "/" + c.unit.value_or("") + "/" + iso(c.span.from)] = mandate::to_string(*c.after);
    });
    h.engine().set_watch_date(D("2025-05-15"));
    h.feed_ok(fields_records);
    heard.clear();
    EXPECT_TRUE(h.accept(R"({"entity": "v1", "kind": "village", "parent": "t", "quota": 1, "rural": false, "version": 1})"));
    EXPECT_EQ(heard["by_quota/v1/2025-04-01"], "satisfied");
    const report r = h.at("2025-05-15");
    EXPECT_TRUE(row_is(r, "by_quota", "v1", "2025-04-01", "2025-06-30", "satisfied", true, "1"));
    // Its target is gone in version 1: no data now, in Q1 too.
    EXPECT_EQ(reason_of(r, "by_target", "v1", "2025-01-01"), "no data");
    // No longer rural: its rural_only rows go, and its events leave rural_events.
    EXPECT_EQ(count_rows(r, "rural_only"), 0u);
    EXPECT_TRUE(row_is(r, "rural_events", nullptr, "2025-01-01", "2025-03-31", "violated", false, "0"));
    EXPECT_TRUE(incremental_matches(fields_plan, later, "2025-05-15"));
}

TEST(UnitFields, AMistypedFieldRejectsTheRecordAndAnUndeclaredKeyIsListed) {
    harness h(fields_plan);
    EXPECT_TRUE(h.accept(R"({"entity": "t", "kind": "town"})"));
    EXPECT_EQ(h.add(R"({"entity": "v3", "kind": "village", "parent": "t", "quota": "two"})"), mandate::add_status::rejected);
    EXPECT_EQ(h.engine().last_error(), "field 'quota' must be a whole number");
    EXPECT_EQ(h.add(R"({"entity": "v4", "kind": "village", "parent": "t"})"), mandate::add_status::rejected);
    EXPECT_EQ(h.engine().last_error(), "field 'quota' is missing");
    EXPECT_EQ(h.add(R"({"entity": "v5", "kind": "village", "parent": "t", "quota": 1.5})"), mandate::add_status::rejected);
    EXPECT_EQ(h.engine().last_error(), "field 'quota' must be a whole number");
    EXPECT_TRUE(h.accept(R"({"entity": "v6", "kind": "village", "parent": "t", "quota": 1, "qouta": 2})"));
    const report r = h.at("2025-01-10");
    EXPECT_EQ(r.inputs.read, 5u);
    EXPECT_EQ(r.inputs.entities, 2u);
    EXPECT_EQ(r.inputs.rejected, 3u);
    ASSERT_EQ(r.rejected.size(), 3u);
    EXPECT_EQ(r.rejected[0].line, 2u);  // each with its line
    ASSERT_EQ(r.ignored_fields.size(), 1u);
    EXPECT_EQ(r.ignored_fields[0].type, "village");
    EXPECT_TRUE(r.ignored_fields[0].kind);
    EXPECT_EQ(r.ignored_fields[0].field, "qouta");
    // The rejected units have no rows; v6 has.
    EXPECT_EQ(spans(r, "by_quota", "v3"), "");
    EXPECT_NE(spans(r, "by_quota", "v6"), "");
}

TEST(UnitFields, ARegistryInCsvCarriesTheKindsFieldsTyped) {
    // Each row's kind decides how its fields' cells are read: quota as a whole number, rural as
    // true/false; "x" is no whole number, and an empty cell is an absent field.
    harness h(fields_plan);
    std::istringstream csv("entity,kind,parent,quota,rural\nt,town,,,\nv1,village,t,2,true\nv2,village,t,x,\nv3,village,t,1,\n");
    h.engine().add_csv(csv, "registry.csv");
    const report r = h.at("2025-02-01");
    EXPECT_EQ(r.inputs.entities, 3u);
    ASSERT_EQ(r.rejected.size(), 1u);
    EXPECT_EQ(r.rejected[0].line, 4u);
    EXPECT_EQ(r.rejected[0].reason, "field 'quota' must be a whole number");
    EXPECT_EQ(spans(r, "rural_only", "v1"), "2025-01-01..2025-03-31");
    EXPECT_EQ(spans(r, "rural_only", "v3"), "");  // rural left out: no row
    EXPECT_EQ(reason_of(r, "by_target", "v3", "2025-01-01"), "no data");
}

// ---------------------------------------------------------------- 2. every child

const std::string children_plan = R"(plan c { timezone "+08:00" }
phase q "一季度" from 2025-01-01 to 2025-03-31
kind town "镇"
kind village "村" within town
kind group "组" within village { active?: bool }
event visit "走访" {}
obligation every_group "每组每月走访" {
  each v: village
  during q
  every month
  require all_units(g: group within v: count(visit of g) >= 1)
}
obligation some_group "至少一组" {
  each v: village
  during q
  every month
  require any_unit(g: group within v: count(visit of g) >= 1)
}
obligation with_groups "有组的村" {
  each v: village where units(group within v) > 0
  during q
  every month
  require units(g: group within v where count(visit of g) >= 1) >= 1
}
)";

const std::string children_records = R"(
{"entity": "t", "kind": "town"}
{"entity": "a", "kind": "village", "parent": "t"}
{"entity": "b", "kind": "village", "parent": "t"}
{"entity": "a1", "kind": "group", "parent": "a"}
{"entity": "a2", "kind": "group", "parent": "a"}
{"id": "x1", "type": "visit", "time": "2025-01-05", "unit": "a1"}
{"id": "x2", "type": "visit", "time": "2025-01-06", "unit": "a2"}
{"id": "x3", "type": "visit", "time": "2025-02-05", "unit": "a1"}
{"entity": "a3", "kind": "group", "parent": "a", "since": "2025-02-10"}
{"id": "x4", "type": "visit", "time": "2025-02-12", "unit": "a3"}
)";

TEST(EveryChild, EachChildActiveAtThePeriodsEndIsJudgedAtTheClose) {
    harness h(children_plan);
    h.feed_ok(children_records);
    const report r = h.at("2025-03-01");
    // January, village a: a1 (x1) and a2 (x2) visited; a3 is registered since 02-10, after
    // January's end, so it is not judged there: all hold. Closed 02-01: satisfied.
    EXPECT_TRUE(row_is(r, "every_group", "a", "2025-01-01", "2025-01-31", "satisfied", true, "null"));
    // February: a1 (x3) and a3 (x4) visited, a2 not: violated on 03-01, naming a2.
    EXPECT_TRUE(row_is(r, "every_group", "a", "2025-02-01", "2025-02-28", "violated", false, "null"));
    const auto* feb = find_result(r, "every_group", "a", "2025-02-01");
    ASSERT_TRUE(feb && feb->evidence.children);
    EXPECT_EQ(feb->evidence.children->of, 3);
    EXPECT_EQ(feb->evidence.children->covered, 2);
    ASSERT_EQ(feb->evidence.children->missing.size(), 1u);
    EXPECT_EQ(feb->evidence.children->missing[0], "a2");
    // March, still open: all_units is judged at the close only (never monotone), even though it
    // already fails (no visit yet).
    EXPECT_TRUE(row_is(r, "every_group", "a", "2025-03-01", "2025-03-31", "pending", false, "null"));
    // Village b has no group: all of none holds, any of none does not.
    EXPECT_TRUE(row_is(r, "every_group", "b", "2025-01-01", "2025-01-31", "satisfied", true, "null"));
    EXPECT_TRUE(row_is(r, "some_group", "b", "2025-01-01", "2025-01-31", "violated", false, "null"));
    EXPECT_TRUE(row_is(r, "some_group", "a", "2025-02-01", "2025-02-28", "satisfied", true, "null"));
    // with_groups: b has none, so no row; a has: January counts 2 groups visited.
    EXPECT_EQ(spans(r, "with_groups", "b"), "");
    EXPECT_TRUE(row_is(r, "with_groups", "a", "2025-01-01", "2025-01-31", "satisfied", true, "2"));
    EXPECT_TRUE(incremental_matches(children_plan, children_records, "2025-03-01"));
}

TEST(EveryChild, AChildRegisteredLaterJoinsTheBucketsItIsActiveAtTheEndOf) {
    // b gets a group in March with no visit: b's March bucket now judges it (and with_groups
    // gains a row for b in March); January and February keep none.
    const std::string more = children_records + R"({"entity": "b1", "kind": "group", "parent": "b", "since": "2025-03-03"})" "\n";
    harness h(children_plan);
    h.feed_ok(more);
    const report r = h.at("2025-04-01");
    EXPECT_TRUE(row_is(r, "every_group", "b", "2025-02-01", "2025-02-28", "satisfied", true, "null"));
    EXPECT_TRUE(row_is(r, "every_group", "b", "2025-03-01", "2025-03-31", "violated", false, "null"));
    EXPECT_EQ(spans(r, "with_groups", "b"), "2025-03-01..2025-03-31");
    EXPECT_TRUE(row_is(r, "with_groups", "b", "2025-03-01", "2025-03-31", "violated", false, "0"));
    EXPECT_TRUE(incremental_matches(children_plan, more, "2025-04-01"));
}

// ---------------------------------------------------------------- 3. roll-ups and ranking

const std::string rollup_plan = R"(plan r { timezone "+08:00" }
phase jan "一月" from 2025-01-01 to 2025-01-31
kind town "镇"
kind village "村" within town
kind group "组" within village
event visit "走访" {}
event score "得分" { points: int }
obligation group_visit "每组走访" {
  each g: group
  during jan
  require count(visit of g) >= 1
}
obligation village_visit "每村走访" {
  each v: village
  during jan
  require count(visit of v) >= 1
}
outcome town_buckets "镇：违规数" {
  each t: town
  during jan
  when violations(within t) >= 3
}
outcome town_items "镇：两项以上" {
  each t: town
  during jan
  when violated_obligations(within t) >= 2
}
outcome own_only "镇：本级" {
  each t: town
  during jan
  when violations(of t) >= 1
}
outcome top_two "前二名" {
  each v: village
  during jan
  when rank(v by max(score.points of v) among village) <= 2
}
outcome lowest "最低分" {
  each v: village
  during jan
  when rank(v by max(score.points of v) ascending among village) == 1
}
)";

TEST(Rollups, ViolationsWithinCountGrandchildrenAndDistinctObligationsCountOnce) {
    const std::string records = R"(
{"entity": "t", "kind": "town"}
{"entity": "a", "kind": "village", "parent": "t"}
{"entity": "b", "kind": "village", "parent": "t"}
{"entity": "a1", "kind": "group", "parent": "a"}
{"entity": "a2", "kind": "group", "parent": "a"}
{"entity": "b1", "kind": "group", "parent": "b"}
{"id": "v1", "type": "visit", "time": "2025-01-05", "unit": "a"}
{"id": "v2", "type": "visit", "time": "2025-01-05", "unit": "a1"}
)";
    harness h(rollup_plan);
    h.feed_ok(records);
    // v2 on a1 counts for a too (of a: a and the units under it).
    report r = h.at("2025-02-01");
    // Violated: a2 and b1 (grandchildren of t: groups), and b's village_visit. 3 buckets of 2
    // obligations under t, none of t itself.
    EXPECT_TRUE(row_is(r, "group_visit", "a2", "2025-01-01", "2025-01-31", "violated", false, "0"));
    EXPECT_TRUE(row_is(r, "village_visit", "b", "2025-01-01", "2025-01-31", "violated", false, "0"));
    EXPECT_TRUE(outcome_is(r, "town_buckets", "t", "2025-01-01", "2025-01-31", true, true, "2025-02-01"));
    EXPECT_TRUE(outcome_is(r, "town_items", "t", "2025-01-01", "2025-01-31", true, true));
    EXPECT_TRUE(outcome_is(r, "own_only", "t", "2025-01-01", "2025-01-31", false, true));
    EXPECT_EQ(measure(find_outcome(r, "town_buckets", "t", "2025-01-01")->evidence, "violations"), "3");
    EXPECT_EQ(measure(find_outcome(r, "town_items", "t", "2025-01-01")->evidence, "violated_obligations"), "2");
    // Before the close nothing is violated yet (neither obligation is anti-monotone), and the
    // outcomes are not final: they read buckets that close on 02-01.
    r = h.at("2025-01-20");
    EXPECT_TRUE(outcome_is(r, "town_buckets", "t", "2025-01-01", "2025-01-31", false, false));
    // A visit to b1 leaves 2 buckets (a2, b's village... no: b1's visit counts for b too), so
    // only a2 is violated: 1 bucket of 1 obligation.
    EXPECT_TRUE(h.accept(R"({"id": "v3", "type": "visit", "time": "2025-01-06", "unit": "b1"})"));
    r = h.at("2025-02-01");
    EXPECT_TRUE(row_is(r, "village_visit", "b", "2025-01-01", "2025-01-31", "satisfied", true, "1"));
    EXPECT_TRUE(outcome_is(r, "town_buckets", "t", "2025-01-01", "2025-01-31", false, true));
    EXPECT_TRUE(outcome_is(r, "town_items", "t", "2025-01-01", "2025-01-31", false, true));
    EXPECT_TRUE(incremental_matches(rollup_plan, records, "2025-02-01"));
}

TEST(Rollups, RankTiesShareTheBestRankAndAUnitWithNoValueIsLeftOut) {
    const std::string records = R"(
{"entity": "t", "kind": "town"}
{"entity": "a", "kind": "village", "parent": "t"}
{"entity": "b", "kind": "village", "parent": "t"}
{"entity": "c", "kind": "village", "parent": "t"}
{"entity": "d", "kind": "village", "parent": "t"}
{"entity": "e", "kind": "village", "parent": "t"}
{"id": "s1", "type": "score", "time": "2025-01-05", "unit": "a", "points": 10}
{"id": "s2", "type": "score", "time": "2025-01-05", "unit": "b", "points": 7}
{"id": "s3", "type": "score", "time": "2025-01-05", "unit": "c", "points": 7}
{"id": "s4", "type": "score", "time": "2025-01-05", "unit": "d", "points": 5}
{"id": "s5", "type": "score", "time": "2025-01-06", "unit": "d", "points": 3}
)";
    harness h(rollup_plan);
    h.feed_ok(records);
    const report r = h.at("2025-02-01");
    // max: a 10, b 7, c 7, d 5, e none (undefined: left out). Highest first: a 1, b 2, c 2,
    // d 4; e has no rank.
    auto rank = [&](const char* unit) { return measure(find_outcome(r, "top_two", unit, "2025-01-01")->evidence, "rank"); };
    EXPECT_EQ(rank("a"), "1");
    EXPECT_EQ(rank("b"), "2");
    EXPECT_EQ(rank("c"), "2");
    EXPECT_EQ(rank("d"), "4");
    EXPECT_EQ(rank("e"), "null");
    EXPECT_TRUE(outcome_is(r, "top_two", "a", "2025-01-01", "2025-01-31", true, true));
    EXPECT_TRUE(outcome_is(r, "top_two", "c", "2025-01-01", "2025-01-31", true, true));
    EXPECT_TRUE(outcome_is(r, "top_two", "d", "2025-01-01", "2025-01-31", false, true));
    EXPECT_TRUE(outcome_is(r, "top_two", "e", "2025-01-01", "2025-01-31", false, true));
    // Ascending, the lowest first: d (5) is 1, b and c 2, a 4.
    EXPECT_TRUE(outcome_is(r, "lowest", "d", "2025-01-01", "2025-01-31", true, true));
    EXPECT_TRUE(outcome_is(r, "lowest", "a", "2025-01-01", "2025-01-31", false, true));
    EXPECT_EQ(measure(find_outcome(r, "lowest", "a", "2025-01-01")->evidence, "rank"), "4");
    EXPECT_TRUE(incremental_matches(rollup_plan, records, "2025-02-01"));
}

// ---------------------------------------------------------------- 8. waivers

const std::string waiver_plan = R"(plan w { timezone "+08:00" }
phase p "三至五月" from 2025-03-01 to 2025-05-31
kind village "村"
event activity "活动" {}
event hazard "隐患" {}
event fixed "整改" {}
obligation monthly "每月一次活动" {
  each v: village
  during p
  every month
  require count(activity of v) >= 1
}
obligation fix "10日内整改" {
  each v: village
  during p
  after hazard of v within 10 days
  require count(fixed of v) >= 1
}
outcome criticise "通报批评" {
  each v: village
  during p
  every month
  when violations(of v) >= 1
}
)";

TEST(Waivers, AnExtensionPastTheDateMakesAViolatedBucketPendingAgain) {
    harness h(waiver_plan);
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"id": "a0", "type": "activity", "time": "2025-04-02", "unit": "v1"}
)");
    // March had no activity: violated from 04-01 (no grace).
    report r = h.at("2025-04-05");
    EXPECT_TRUE(row_is(r, "monthly", "v1", "2025-03-01", "2025-03-31", "violated", false, "0"));
    EXPECT_TRUE(outcome_is(r, "criticise", "v1", "2025-03-01", "2025-03-31", true, true));
    // Extended to 04-15: events up to then count, it closes on 04-16. a0 (04-02) now counts:
    // satisfied at once (monotone), and March's criticism no longer fires.
    EXPECT_TRUE(h.accept(R"({"waiver": "w1", "obligation": "monthly", "unit": "v1", "period": "2025-03-20", "extend_to": "2025-04-15", "reason": "道路施工", "approved_by": "镇联席办"})"));
    r = h.at("2025-04-05");
    EXPECT_TRUE(row_is(r, "monthly", "v1", "2025-03-01", "2025-03-31", "satisfied", true, "1"));
    const auto* march = find_result(r, "monthly", "v1", "2025-03-01");
    ASSERT_TRUE(march->waiver && march->waiver->extended_to);
    EXPECT_EQ(iso(*march->waiver->extended_to), "2025-04-15");
    EXPECT_EQ(march->waiver->id, "w1");
    EXPECT_EQ(march->waiver->approved_by, "镇联席办");
    // Retracted, a0 no longer counts for March: violated again.
    EXPECT_TRUE(h.accept(R"({"retract": "a0"})"));
    r = h.at("2025-04-05");
    // Before the extended end, pending (not yet violated), the deadline past the as-of date.
    EXPECT_TRUE(row_is(r, "monthly", "v1", "2025-03-01", "2025-03-31", "pending", false, "0"));
    r = h.at("2025-04-16");
    EXPECT_TRUE(row_is(r, "monthly", "v1", "2025-03-01", "2025-03-31", "violated", false, "0"));
    // For violations the bucket ends on 04-15: April's criticism counts it, not March's.
    EXPECT_TRUE(outcome_is(r, "criticise", "v1", "2025-03-01", "2025-03-31", false, true));
    r = h.at("2025-05-01");
    EXPECT_TRUE(outcome_is(r, "criticise", "v1", "2025-04-01", "2025-04-30", true, true));
    EXPECT_EQ(r.inputs.waivers, 1u);
}

TEST(Waivers, AnExcusedBucketIsNotCountedAndARetractedWaiverIsGone) {
    const std::string records = R"(
{"entity": "v2", "kind": "village"}
{"waiver": "w2", "obligation": "monthly", "unit": "v2", "period": "2025-03-01", "excuse": true, "reason": "防汛"}
)";
    harness h(waiver_plan);
    h.feed_ok(records);
    report r = h.at("2025-04-01");
    EXPECT_TRUE(row_is(r, "monthly", "v2", "2025-03-01", "2025-03-31", "excused", false, "0"));
    EXPECT_TRUE(outcome_is(r, "criticise", "v2", "2025-03-01", "2025-03-31", false, true));
    EXPECT_TRUE(incremental_matches(waiver_plan, records, "2025-04-01"));
    EXPECT_TRUE(h.accept(R"({"retract": "w2"})"));
    r = h.at("2025-04-01");
    EXPECT_TRUE(row_is(r, "monthly", "v2", "2025-03-01", "2025-03-31", "violated", false, "0"));
    EXPECT_TRUE(outcome_is(r, "criticise", "v2", "2025-03-01", "2025-03-31", true, true));
    EXPECT_EQ(r.inputs.waivers, 0u);
    EXPECT_EQ(r.inputs.retracted, 1u);
    EXPECT_TRUE(incremental_matches(waiver_plan, records + R"({"retract": "w2"})" "\n", "2025-04-01"));
}

TEST(Waivers, EveryReportFormatShowsTheExcusedBucketAndTheWaiver) {
    harness h(waiver_plan);
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"waiver": "w1", "obligation": "monthly", "unit": "v1", "period": "2025-03-01", "excuse": true, "reason": "防汛"}
{"waiver": "w2", "obligation": "monthly", "unit": "v1", "period": "2025-04-01", "extend_to": "2025-05-10"}
{"waiver": "w9", "obligation": "monthly", "unit": "v1", "period": "2025-09-01", "excuse": true}
)");
    const report r = h.at("2025-05-05");
    std::ostringstream table, table_zh, csv, html;
    mandate::io::table_options plain;
    plain.colour = false;
    plain.lang = mandate::io::language::en;
    mandate::io::write_table(r, table, plain);
    mandate::io::write_table(r, table_zh, {});
    mandate::io::write_csv(r, csv);
    mandate::io::write_html(r, html);
    // The table: March excused (⊘), April pending (its extension), May pending.
    EXPECT_NE(table.str().find("⊘ excused"), std::string::npos) << table.str();
    EXPECT_NE(table.str().find("0 satisfied, 0 violated, 2 pending, 1 excused"), std::string::npos) << table.str();
    EXPECT_NE(table.str().find("waiver not applied w9"), std::string::npos) << table.str();
    // In Chinese (the default), the same counts and glyph.
    EXPECT_NE(table_zh.str().find("⊘ 豁免"), std::string::npos) << table_zh.str();
    EXPECT_NE(table_zh.str().find("0项达标，0项未达标，2项待定，1项豁免"), std::string::npos) << table_zh.str();
    EXPECT_NE(table_zh.str().find("豁免未适用 w9"), std::string::npos) << table_zh.str();
    // CSV: the first columns as they were; then unit_name (none), label, title (none).
    EXPECT_NE(csv.str().find("obligation,monthly,v1,2025-03-01,2025-03-31,excused,false,false,0,,,,2025-05-05,,w1,,,,每月一次活动,\n"),
              std::string::npos)
        << csv.str();
    EXPECT_NE(csv.str().find("obligation,monthly,v1,2025-04-01,2025-04-30,pending,false,false,0,,,,2025-05-05,2025-05-10,w2,,,,每月一次活动,\n"),
              std::string::npos)
        << csv.str();
    EXPECT_NE(csv.str().find("unapplied_waiver,monthly,v1,2025-09-01,,,,,,no bucket of 'monthly' for 'v1' holds 2025-09-01 as of "
                             "2025-05-05,,,2025-05-05,,w9,,,,每月一次活动,\n"),
              std::string::npos)
        << csv.str();
    EXPECT_NE(html.str().find("class=\"total excused\" data-count=\"1\""), std::string::npos);
    const result_row* march = find_result(r, "monthly", "v1", "2025-03-01");
    ASSERT_NE(march, nullptr);
    const std::string why = mandate::io::explain(r, *march, mandate::io::language::en);
    EXPECT_NE(why.find("Excused by waiver w1 (防汛)"), std::string::npos) << why;
    EXPECT_NE(mandate::io::explain(r, *march).find("已由豁免w1（防汛）免除"), std::string::npos) << mandate::io::explain(r, *march);
    const std::string april = mandate::io::explain(r, *find_result(r, "monthly", "v1", "2025-04-01"), mandate::io::language::en);
    EXPECT_NE(april.find("Extended to 2025-05-10 by waiver w2"), std::string::npos) << april;
}

TEST(Waivers, AWaiverBeforeItsBucketIsCountedAndAppliedOnceTheBucketExists) {
    const std::string before = R"(
{"entity": "v3", "kind": "village"}
{"waiver": "w3", "obligation": "fix", "unit": "v3", "period": "2025-04-20", "extend_to": "2025-05-10"}
)";
    harness h(waiver_plan);
    h.feed_ok(before);
    report r = h.at("2025-04-19");
    // No hazard yet: no bucket; the waiver is counted and listed as not applied.
    EXPECT_EQ(spans(r, "fix", "v3"), "");
    EXPECT_EQ(r.inputs.waivers, 1u);
    ASSERT_EQ(r.unapplied_waivers.size(), 1u);
    EXPECT_EQ(r.unapplied_waivers[0].id, "w3");
    // The hazard on 04-20 opens 04-20..04-29, extended to 05-10; fixed on 05-05: satisfied.
    const std::string after = before + R"({"id": "h1", "type": "hazard", "time": "2025-04-20", "unit": "v3"}
{"id": "f1", "type": "fixed", "time": "2025-05-05", "unit": "v3"}
)";
    h.feed_ok(R"({"id": "h1", "type": "hazard", "time": "2025-04-20", "unit": "v3"})");
    r = h.at("2025-04-30");
    // Without the waiver it would be violated on 04-30.
    EXPECT_TRUE(row_is(r, "fix", "v3", "2025-04-20", "2025-04-29", "pending", false, "0"));
    EXPECT_TRUE(r.unapplied_waivers.empty());
    h.feed_ok(R"({"id": "f1", "type": "fixed", "time": "2025-05-05", "unit": "v3"})");
    r = h.at("2025-05-05");
    EXPECT_TRUE(row_is(r, "fix", "v3", "2025-04-20", "2025-04-29", "satisfied", true, "1"));
    EXPECT_TRUE(incremental_matches(waiver_plan, after, "2025-05-05"));
}

TEST(Waivers, MalformedWaiversAreRejectedWithTheirReasons) {
    harness h(waiver_plan);
    EXPECT_TRUE(h.accept(R"({"entity": "v1", "kind": "village"})"));
    const std::pair<const char*, const char*> bad[] = {
        {R"({"waiver": "x1", "obligation": "nope", "unit": "v1", "period": "2025-03-01", "excuse": true})",
         "waiver 'x1' names no obligation of the plan: 'nope'"},
        {R"({"waiver": "x2", "obligation": "criticise", "unit": "v1", "period": "2025-03-01", "excuse": true})",
         "waiver 'x2' names outcome 'criticise': only an obligation's bucket can be waived"},
        {R"({"waiver": "x3", "obligation": "monthly", "unit": "v1", "period": "2025-3-1", "excuse": true})",
         "field 'period' must be a date like 2023-01-01, not '2025-3-1'"},
        {R"({"waiver": "x4", "obligation": "monthly", "unit": "v1", "period": "2025-03-01"})",
         "a waiver has exactly one of 'extend_to' (a date) and 'excuse': true"},
        {R"({"waiver": "x5", "obligation": "monthly", "unit": "v1", "period": "2025-03-01", "extend_to": "2025-03-31"})",
         "field 'extend_to' (2025-03-31) must be after the end of the bucket it extends (2025-03-31)"},
        {R"({"waiver": "x6", "obligation": "monthly", "period": "2025-03-01", "excuse": true})", "field 'unit' is missing"},
        {R"({"waiver": "x7", "obligation": "monthly", "unit": "v1", "period": "2025-03-01", "excuse": false})",
         "field 'excuse' must be true (a waiver that only extends has 'extend_to')"},
    };
    for (const auto& [json, reason] : bad) {
        EXPECT_EQ(h.add(json), mandate::add_status::rejected) << json;
        EXPECT_EQ(h.engine().last_error(), reason) << json;
    }
    // A waiver and an event may not share an id: both rejected (a conflict).
    EXPECT_TRUE(h.accept(R"({"id": "e1", "type": "activity", "time": "2025-03-03", "unit": "v1"})"));
    EXPECT_EQ(h.add(R"({"waiver": "e1", "obligation": "monthly", "unit": "v1", "period": "2025-03-01", "excuse": true})"),
              mandate::add_status::rejected);
    const report r = h.at("2025-04-01");
    EXPECT_EQ(r.inputs.rejected, 7u + 2u);
    EXPECT_EQ(r.inputs.waivers, 0u);
    EXPECT_EQ(r.inputs.applied, 0u);
    EXPECT_TRUE(row_is(r, "monthly", "v1", "2025-03-01", "2025-03-31", "violated", false, "0"));
}

TEST(Waivers, TypedWaiversAndEntityFieldsAreTheirJsonTwins) {
    harness a(waiver_plan), b(fields_plan);
    EXPECT_TRUE(a.accept(R"({"entity": "v2", "kind": "village"})"));
    mandate::typed_waiver w;
    w.id = "w2";
    w.obligation = "monthly";
    w.unit = "v2";
    w.period = D("2025-03-01");
    w.excuse = true;
    w.reason = "防汛";
    EXPECT_EQ(a.engine().add(w), mandate::add_status::accepted);
    // Its JSON twin is a duplicate, not a conflict.
    EXPECT_TRUE(a.accept(R"({"waiver": "w2", "obligation": "monthly", "unit": "v2", "period": "2025-03-01", "excuse": true, "reason": "防汛"})"));
    report r = a.at("2025-04-01");
    EXPECT_TRUE(row_is(r, "monthly", "v2", "2025-03-01", "2025-03-31", "excused", false, "0"));
    EXPECT_EQ(r.inputs.duplicates, 1u);
    w.id = "w9";
    w.obligation = "nope";
    EXPECT_EQ(a.engine().add(w), mandate::add_status::rejected);
    EXPECT_EQ(a.engine().last_error(), "waiver 'w9' names no obligation of the plan: 'nope'");

    EXPECT_TRUE(b.accept(R"({"entity": "t", "kind": "town"})"));
    mandate::typed_entity v;
    v.id = "v1";
    v.kind = "village";
    v.parent = "t";
    v.set("quota", mandate::typed_value::integer(2)).set("rural", mandate::typed_value::boolean(true));
    EXPECT_EQ(b.engine().add(v), mandate::add_status::accepted);
    EXPECT_TRUE(b.accept(R"({"entity": "v1", "kind": "village", "parent": "t", "quota": 2, "rural": true})"));
    v.id = "v9";
    v.set("quota", mandate::typed_value::text("two"));
    EXPECT_EQ(b.engine().add(v), mandate::add_status::rejected);
    EXPECT_EQ(b.engine().last_error(), "field 'quota' must be a whole number");
    r = b.at("2025-01-10");
    EXPECT_EQ(r.inputs.entities, 3u);  // t, v1 and its twin (an entity's records each count)
    EXPECT_EQ(r.inputs.rejected, 1u);
    EXPECT_NE(spans(r, "rural_only", "v1"), "");
}

// ---------------------------------------------------------------- the checker

std::vector<std::string> errors_of(const std::string& text) { return mandate::testing::load_errors(text); }

TEST(V2Checker, EachFormIsRefusedWhereItCannotStand) {
    const std::string head = "plan p {}\nphase y \"y\" from 2025-01-01 to 2025-12-31\nkind town \"t\"\n"
                             "kind village \"v\" within town { quota: int }\nevent e \"e\" {}\n";
    // VAR.FIELD for an undeclared field.
    EXPECT_EQ(errors_of(head + "obligation o { each v: village\n require count(e of v) >= v.qouta }\n"),
              std::vector<std::string>{"7:29: error: no kind 'v' may be (village) declares a field 'qouta', did you mean 'quota'?"});
    // rank outside an each.
    EXPECT_EQ(errors_of(head + "outcome o { when rank(v by count(e) among village) <= 3 }\n"),
              std::vector<std::string>{"6:18: error: rank() ranks the unit of an 'each': this rule has no 'each'"});
    // An aggregate in each ... where.
    EXPECT_EQ(errors_of(head + "obligation o { each v: village where count(e of v) > 0\n require count(e of v) >= 1 }\n"),
              std::vector<std::string>{"6:38: error: 'each ... where' is judged on the registry (unit fields, 'is', units()); "
                                       "count() cannot stand there: put it in the requirement"});
    // A kind field named like an entity key, and one of a ref type.
    EXPECT_EQ(errors_of("plan p {}\nkind k \"k\" { name: text, up: ref k }\n"),
              (std::vector<std::string>{"2:14: error: 'name' is a key of every entity record (entity, kind, parent, name, since, "
                                        "until, version); name the field otherwise",
                                        "2:30: error: a kind's field is an int, number, bool, text or date; 'up' is a ref (the "
                                        "hierarchy is given by 'parent')"}));
    // A quantifier variable inside a where predicate.
    EXPECT_EQ(errors_of(head + "obligation o { each t: town\n require all_units(v: village within t: count(e of t where unit == v) >= 1) }\n"),
              std::vector<std::string>{"7:68: error: inside a where predicate only the rule's unit variable 't' may be named; 'v' is "
                                       "bound by a quantifier"});
    // within a variable that is not bound.
    EXPECT_EQ(errors_of(head + "obligation o { each t: town\n require units(village within x) > 0 }\n"),
              std::vector<std::string>{"7:31: error: unknown unit variable 'x'; this rule's is 't'"});
}

TEST(V2Syntax, NewWordsAreReservedOnlyWhereTheGrammarExpectsThem) {
    // A v1 file naming fields units, rank, is, it, among: still compiles.
    const std::string text = "plan p {}\nphase y \"y\" from 2025-01-01 to 2025-12-31\nkind village \"v\"\n"
                             "event e \"e\" { units: int, rank: int, is: bool, it: text, among: int }\n"
                             "obligation o { each v: village\n require count(e of v where units > 1 and rank == 2 and is and it == \"x\") >= 1 }\n";
    EXPECT_TRUE(errors_of(text).empty());
}

TEST(V2Syntax, FormatPrintsEveryNewFormAsItParses) {
    const std::string text = R"(plan p {
}

phase y "y" from 2025-01-01 to 2025-12-31

kind town "t"

kind village "v" within town {
  quota:  int
  rural?: bool
}

event e "e" {}

obligation a {
  each    t: town where units(village within t where it.rural) > 0
  require all_units(v: village within t: count(e of v) >= v.quota) and any_unit(v: village within t: v is village)
}

outcome b {
  each t: town
  when violated_obligations(a within t) >= 1 or violations(within t) > 2 or rank(t by count(e of t) ascending among town) == 1
}
)";
    const mandate::source_file source("f.mandate", text);
    const auto parsed = mandate::syntax::parse(source);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(mandate::syntax::format(parsed.file, source), text);
    EXPECT_TRUE(errors_of(text).empty());
}

}  // namespace
