// Where the engine and the reference evaluator disagree, each as a small plan, its records and
// a date, with what LANGUAGE.md / LANGUAGE-v2.md say. The reference's answer is checked here;
// the engine's is compared in  tests, to be enabled once the engine follows the text
// (run them with --gtest_also_run_disabled_tests). The random streams of the differential tests
// step around these cases where they would otherwise meet them (reference_stream.hpp: a
// `before` bucket cut by the window's start; reference_incremental_test.cpp: units leaving the
// instances of a plan that ranks, a version moving a unit and changing its fields at once).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mandate/mandate.hpp"
#include "reference/reference.hpp"
#include "reference_cases.hpp"

namespace {

using namespace reference_cases;

// ------------------------------------------------------------------------------------------
// 1. A unit that stops being an instance keeps its rows of a rule that ranks, in an engine
//    that reported before the registry record came (a kept evaluation). Every rule has
//    instances only for the registered entities of its kinds (LANGUAGE.md, `each`).

const char* const ranking_plan = R"(plan r {
  title "r"
}

phase jan "jan" from 2025-01-01 to 2025-01-31
kind town "t"
kind village "v" within town
event visit "visit" {}
outcome best "most visited" {
  each v: village
  during jan
  when rank(v by count(visit of v) among village) <= 3
}
)";

const std::vector<std::string> ranking_records = {
    R"({"entity": "t", "kind": "town"})",
    R"({"entity": "a", "kind": "village", "parent": "t"})",
    R"({"entity": "a", "kind": "town", "version": 1})",  // a is a town now, not a village
};

TEST(ReferenceDisagreements, AUnitNoLongerRankedHasNoRow) {
    const fixture f = compile(ranking_plan);
    const auto ref = mandate::reference::evaluate(f.model(), ranking_records, on("2025-01-15"));
    EXPECT_EQ(find(ref, "best", "a", "2025-01-01"), nullptr);
    EXPECT_EQ(ref.outcomes.size(), 0u);
    // An engine fed everything before its first report agrees.
    EXPECT_EQ(engine_against_reference(f, ranking_records, on("2025-01-15")), "");
}

TEST(ReferenceDisagreements, EngineDropsTheRankingRowsOfAUnitThatLeaves) {
    const fixture f = compile(ranking_plan);
    mandate::engine engine(f.plan);
    engine.add(ranking_records[0], "records", 1);
    engine.add(ranking_records[1], "records", 2);
    (void)engine.evaluate(on("2025-01-15"));  // `best a` is reported
    engine.add(ranking_records[2], "records", 3);
    EXPECT_EQ(mandate::testing::difference(engine.evaluate(on("2025-01-15")),
                                           mandate::reference::evaluate(f.model(), ranking_records, on("2025-01-15"))),
              "");  // the engine still reports `best a`, fired
}

// ------------------------------------------------------------------------------------------
// 2. A streak inside a child quantifier is judged for each child (LANGUAGE-v2.md section 2:
//    "PRED is judged for each entity o"); the engine gives every child the first one's value.

const char* const streak_plan = R"(plan s {
  title "s"
}

phase p "p" from 2025-01-01 to 2025-03-31
kind town "t"
kind village "v" within town
event visit "visit" {}
obligation one_steady_village "exactly one village visited every month" {
  each t: town
  during p
  require units(o: village within t where streak(month, count(visit of o) >= 1) >= 3) == 1
}
)";

const std::vector<std::string> streak_records = {
    R"({"entity": "t", "kind": "town"})",
    R"({"entity": "a", "kind": "village", "parent": "t"})",
    R"({"entity": "b", "kind": "village", "parent": "t"})",
    R"({"id": "v1", "type": "visit", "time": "2025-01-10", "unit": "a"})",
    R"({"id": "v2", "type": "visit", "time": "2025-02-10", "unit": "a"})",
    R"({"id": "v3", "type": "visit", "time": "2025-03-10", "unit": "a"})",
};

TEST(ReferenceDisagreements, AStreakInsideAQuantifierIsEachChilds) {
    const fixture f = compile(streak_plan);
    const auto ref = mandate::reference::evaluate(f.model(), streak_records, on("2025-04-02"));
    const auto* row = find(ref, "one_steady_village", "t", "2025-01-01");
    ASSERT_NE(row, nullptr);
    EXPECT_EQ(row->status, "satisfied");  // a has 3 months in a row, b none: one village
    EXPECT_EQ(row->value.value_or("null"), "1");
}

TEST(ReferenceDisagreements, EngineJudgesAStreakInsideAQuantifierForEachChild) {
    const fixture f = compile(streak_plan);
    // The engine: violated, value 0 (both villages given b's streak).
    EXPECT_EQ(engine_against_reference(f, streak_records, on("2025-04-02")), "");
}

// ------------------------------------------------------------------------------------------
// 3. rank() of two rules with different grace: a streak's sub-periods count once closed after
//    the rule's own grace (LANGUAGE.md, streak), so the two rankings differ; the engine ranks
//    the second rule with the first one's values.

const char* const rank_grace_plan = R"(plan s {
  title "s"
}

phase p "p" from 2025-01-01 to 2025-03-31
kind village "v"
event visit "visit" {}
outcome steadiest "most months in a row" {
  each v: village
  during p
  when rank(v by streak(month, count(visit of v) >= 1) among village) <= 1
}
outcome steadiest_late "most months in a row, a month counted 10 days after it ends" {
  each v: village
  during p
  grace 10 days
  when rank(v by streak(month, count(visit of v) >= 1) among village) <= 1
}
)";

const std::vector<std::string> rank_grace_records = {
    R"({"entity": "a", "kind": "village"})",
    R"({"entity": "b", "kind": "village"})",
    R"({"id": "v1", "type": "visit", "time": "2025-01-10", "unit": "a"})",
};

TEST(ReferenceDisagreements, EachRuleRanksWithItsOwnGrace) {
    const fixture f = compile(rank_grace_plan);
    const auto ref = mandate::reference::evaluate(f.model(), rank_grace_records, on("2025-02-05"));
    // Without grace January is closed: a's streak is 1, b's 0. With 10 days it is not: both 0,
    // a tie for the first rank.
    ASSERT_NE(find(ref, "steadiest", "b", "2025-01-01"), nullptr);
    EXPECT_FALSE(find(ref, "steadiest", "b", "2025-01-01")->fired);
    ASSERT_NE(find(ref, "steadiest_late", "b", "2025-01-01"), nullptr);
    EXPECT_TRUE(find(ref, "steadiest_late", "b", "2025-01-01")->fired);
}

TEST(ReferenceDisagreements, EngineRanksEachRuleWithItsOwnGrace) {
    const fixture f = compile(rank_grace_plan);
    // The engine: steadiest_late b not fired.
    EXPECT_EQ(engine_against_reference(f, rank_grace_records, on("2025-02-05")), "");
}

// ------------------------------------------------------------------------------------------
// 4. An outcome is final when every obligation bucket its `when` reads is closed (LANGUAGE.md,
//    Outcomes), those of a quantifier's units too; the engine waits only for its own unit's
//    (and, with `within`, those below it), so it calls a verdict final that later changes.

const char* const final_plan = R"(plan s {
  title "s"
}

phase p "p" from 2025-01-01 to 2025-03-31
kind town "t"
kind village "v" within town
event visit "visit" {}
obligation monthly_visit "every village visited every month" {
  each v: village
  during p
  every month
  require count(visit of v) >= 1
  grace 10 days
}
outcome clean_town "no village of the town missed a visit" {
  each t: town
  during p
  every month
  when all_units(o: village within t: violations(of o) == 0)
}
)";

const std::vector<std::string> final_records = {
    R"({"entity": "t", "kind": "town"})",
    R"({"entity": "a", "kind": "village", "parent": "t"})",
};

TEST(ReferenceDisagreements, AnOutcomeWaitsForTheBucketsOfTheUnitsItQuantifies) {
    const fixture f = compile(final_plan);
    const auto early = mandate::reference::evaluate(f.model(), final_records, on("2025-02-02"));
    ASSERT_NE(find(early, "clean_town", "t", "2025-01-01"), nullptr);
    EXPECT_TRUE(find(early, "clean_town", "t", "2025-01-01")->fired);
    EXPECT_FALSE(find(early, "clean_town", "t", "2025-01-01")->final);  // a's January closes on 02-11
    const auto late = mandate::reference::evaluate(f.model(), final_records, on("2025-02-12"));
    EXPECT_FALSE(find(late, "clean_town", "t", "2025-01-01")->fired);
    EXPECT_TRUE(find(late, "clean_town", "t", "2025-01-01")->final);
    EXPECT_EQ(engine_against_reference(f, final_records, on("2025-02-12")), "");
}

TEST(ReferenceDisagreements, EngineWaitsForTheBucketsOfTheUnitsItQuantifies) {
    const fixture f = compile(final_plan);
    // The engine: fired and final on 02-02, then not fired (and final) on 02-12; an engine that
    // reported on 02-02 keeps "fired, final" on 02-12.
    EXPECT_EQ(engine_against_reference(f, final_records, on("2025-02-02")), "");
    mandate::engine engine(f.plan);
    for (std::size_t i = 0; i < final_records.size(); ++i) engine.add(final_records[i], "records", i + 1);
    (void)engine.evaluate(on("2025-02-02"));
    EXPECT_EQ(mandate::testing::difference(engine.evaluate(on("2025-02-12")),
                                           mandate::reference::evaluate(f.model(), final_records, on("2025-02-12"))),
              "");
}

// ------------------------------------------------------------------------------------------
// 5. A waiver names a triggered bucket by its first day (LANGUAGE-v2.md section 8); a `before`
//    bucket cut by the window's start begins on the window's first day. The engine names a
//    `before` bucket by the day `within` before its trigger only, so it never applies such a
//    waiver (and lists it as not applied).

const char* const before_plan = R"(plan s {
  title "s"
}

phase term "term" from 2025-03-01 to 2025-06-30
kind school "s"
event lecture "lecture" {}
event term_ended "term ended" {}
obligation lecture_before_end "a lecture in the 14 days before the term ends" {
  each s: school
  during term
  before term_ended of s within 14 days
  require count(lecture of s) >= 1
}
)";

const std::vector<std::string> before_records = {
    R"({"entity": "s1", "kind": "school"})",
    R"({"id": "t1", "type": "term_ended", "time": "2025-03-05", "unit": "s1"})",
    R"({"waiver": "w1", "obligation": "lecture_before_end", "unit": "s1", "period": "2025-03-01", "excuse": true, "reason": "flood"})",
};

TEST(ReferenceDisagreements, AWaiverNamesABeforeBucketCutByTheWindowByItsFirstDay) {
    const fixture f = compile(before_plan);
    const auto ref = mandate::reference::evaluate(f.model(), before_records, on("2025-03-20"));
    const auto* row = find(ref, "lecture_before_end", "s1", "2025-03-01");
    ASSERT_NE(row, nullptr);
    EXPECT_EQ(row->to, "2025-03-05");
    EXPECT_EQ(row->status, "excused");
    EXPECT_EQ(row->waiver.value_or(""), "w1");
    EXPECT_TRUE(ref.unapplied.empty());
}

TEST(ReferenceDisagreements, EngineNamesABeforeBucketCutByTheWindowByItsFirstDay) {
    const fixture f = compile(before_plan);
    // The engine: violated, w1 not applied.
    EXPECT_EQ(engine_against_reference(f, before_records, on("2025-03-20")), "");
}

// ------------------------------------------------------------------------------------------
// 6. rank() reads the registry at the end of the bucket's period (LANGUAGE-v2.md section 3),
//    which an extension does not move (the row keeps its period). The engine keeps a ranking
//    per node and range only, so another rule's bucket over the same range, whose period ends
//    later, is ranked among the units of the first one.

const char* const rank_day_plan = R"(plan s {
  title "s"
}

phase p "p" from 2025-03-01 to 2025-06-30
kind village "v"
event visit "visit" {}
obligation first_monthly "the most visited village, month by month" {
  each v: village
  during p
  every month
  require rank(v by count(visit of v) among village) <= 1
}
obligation first_61 "the most visited village, 61 days at a time" {
  each v: village
  during p
  every 61 days
  require rank(v by count(visit of v) among village) <= 1
}
)";

const std::vector<std::string> rank_day_records = {
    R"({"entity": "a", "kind": "village"})",
    R"({"entity": "c", "kind": "village", "since": "2025-04-10"})",
    R"({"id": "v1", "type": "visit", "time": "2025-03-10", "unit": "a"})",
    R"({"id": "v2", "type": "visit", "time": "2025-04-11", "unit": "c"})",
    R"({"id": "v3", "type": "visit", "time": "2025-04-12", "unit": "c"})",
    R"({"id": "v4", "type": "visit", "time": "2025-04-13", "unit": "c"})",
    R"({"waiver": "w1", "obligation": "first_monthly", "unit": "a", "period": "2025-03-15", "extend_to": "2025-04-30"})",
};

TEST(ReferenceDisagreements, ARankingReadsTheRegistryAtItsOwnPeriodsEnd) {
    const fixture f = compile(rank_day_plan);
    const auto ref = mandate::reference::evaluate(f.model(), rank_day_records, on("2025-05-15"));
    // March, extended to 04-30, ranks a among the villages of 03-31: a alone.
    const auto* march = find(ref, "first_monthly", "a", "2025-03-01");
    ASSERT_NE(march, nullptr);
    EXPECT_EQ(march->status, "satisfied");
    EXPECT_EQ(march->extended_to.value_or(""), "2025-04-30");
    // 03-01..04-30 ranks a among those of 04-30: c (3 visits) first, a second.
    ASSERT_NE(find(ref, "first_61", "a", "2025-03-01"), nullptr);
    EXPECT_EQ(find(ref, "first_61", "a", "2025-03-01")->value.value_or("null"), "2");
    ASSERT_NE(find(ref, "first_61", "c", "2025-03-01"), nullptr);
    EXPECT_EQ(find(ref, "first_61", "c", "2025-03-01")->status, "satisfied");
}

TEST(ReferenceDisagreements, EngineRanksAtEachPeriodsEnd) {
    const fixture f = compile(rank_day_plan);
    // The engine: first_61 a satisfied (rank 1), c violated with "no data".
    EXPECT_EQ(engine_against_reference(f, rank_day_records, on("2025-05-15")), "");
}

// ------------------------------------------------------------------------------------------
// 7. A unit's field read through an event's ref (`inspector.senior`) is the standing version's
//    (LANGUAGE-v2.md section 1). When one version changes the unit's place (here its `until`)
//    and its fields together, an engine that reported before does not judge again the buckets
//    reading the field through refs (a version changing only the fields is followed).

const char* const ref_field_plan = R"(plan s {
  title "s"
}

phase p "p" from 2025-03-01 to 2025-05-31
kind region "r"
kind person "p" {
  senior: bool
}
event inspection "inspection" {
  inspector: ref person
}
obligation senior_inspection "an inspection by a senior inspector" {
  each r: region
  during p
  require count(inspection of r where inspector.senior) >= 1
}
)";

const std::vector<std::string> ref_field_records = {
    R"({"entity": "r1", "kind": "region"})",
    R"({"entity": "x", "kind": "person", "senior": true})",
    R"({"id": "i1", "type": "inspection", "time": "2025-03-10", "unit": "r1", "inspector": "x"})",
    R"({"entity": "x", "kind": "person", "version": 1, "until": "2025-12-31", "senior": false})",
};

TEST(ReferenceDisagreements, AFieldReadThroughARefIsTheStandingVersions) {
    const fixture f = compile(ref_field_plan);
    const auto ref = mandate::reference::evaluate(f.model(), ref_field_records, on("2025-06-05"));
    ASSERT_NE(find(ref, "senior_inspection", "r1", "2025-03-01"), nullptr);
    EXPECT_EQ(find(ref, "senior_inspection", "r1", "2025-03-01")->status, "violated");
    EXPECT_EQ(engine_against_reference(f, ref_field_records, on("2025-06-05")), "");
}

TEST(ReferenceDisagreements, EngineFollowsAFieldChangedWithThePlace) {
    const fixture f = compile(ref_field_plan);
    mandate::engine engine(f.plan);
    for (std::size_t i = 0; i < 3; ++i) engine.add(ref_field_records[i], "records", i + 1);
    (void)engine.evaluate(on("2025-06-05"));  // satisfied
    engine.add(ref_field_records[3], "records", 4);
    // The engine: still satisfied.
    EXPECT_EQ(mandate::testing::difference(engine.evaluate(on("2025-06-05")),
                                           mandate::reference::evaluate(f.model(), ref_field_records, on("2025-06-05"))),
              "");
}

}  // namespace
