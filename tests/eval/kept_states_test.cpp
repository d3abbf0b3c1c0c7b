// Aggregates kept up to date (lib/eval/aggregate_states.hpp): after a first report has built
// the states, records added and retracted change what later reports say of buckets that have
// ended, for every kept kind — count, sum, distinct, min, max, all, any, gap, coverage — with
// the values worked out by hand. (The first report of each test builds the states from the
// indexes; everything after it goes through the incremental path.)
#include <gtest/gtest.h>

#include "eval/helpers.hpp"

namespace {

using namespace evaltest;

// April's one bucket (04-01..04-30), closed on 05-01: a report as of 05-10 reads the kept states.
const std::string plan_text = R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-04-30
kind village "v"
kind household "h" within village
event patrol "p" { hours: number, shift: text }
event visit "x" { household: ref household }
obligation patrols "count"        { each v: village during campaign require count(patrol of v) >= 3 }
obligation hours "sum"            { each v: village during campaign require sum(patrol.hours of v) >= 10 }
obligation kinds "distinct"       { each v: village during campaign require distinct(patrol.shift of v) >= 2 }
obligation shortest "min"         { each v: village during campaign require min(patrol.hours of v) >= 1 }
obligation longest "max"          { each v: village during campaign require max(patrol.hours of v) <= 8 }
obligation all_long "all"         { each v: village during campaign require all(patrol of v: hours >= 2) }
obligation any_night "any"        { each v: village during campaign require any(patrol of v: shift == "night") }
obligation no_long_gap "gap"      { each v: village during campaign require gap(patrol of v) <= 10 days }
obligation visited "coverage"     { each v: village during campaign require coverage(visit.household, household within v) >= 100% }
)";

// What a subscriber hears, in a line: "rule unit before->after".
std::string heard_line(const mandate::status_change& c) {
    return c.rule + " " + c.unit.value_or("-") + " " + (c.before ? std::string(mandate::to_string(*c.before)) : "none") + "->" +
           (c.after ? std::string(mandate::to_string(*c.after)) : "none");
}

std::string value_of(const report& r, const char* rule) {
    const result_row* x = find_result(r, rule, "v1", "2023-04-01");
    return x ? (x->value.is_null() ? std::string("null") : x->value.to_string()) : std::string("no row");
}

TEST(KeptStates, RecordsAfterTheFirstReportChangeEndedBuckets) {
    harness h(plan_text);
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"entity": "h1", "kind": "household", "parent": "v1"}
{"entity": "h2", "kind": "household", "parent": "v1"}
{"id": "p1", "type": "patrol", "time": "2023-04-05", "unit": "v1", "hours": 4, "shift": "day"}
{"id": "p2", "type": "patrol", "time": "2023-04-20", "unit": "v1", "hours": 2.5, "shift": "day"}
{"id": "x1", "type": "visit", "time": "2023-04-06", "unit": "v1", "household": "h1"}
)");
    // Built from the indexes: 2 patrols, 6.5 hours, 1 kind, min 2.5, max 4, all >= 2,
    // no night patrol, the longest gap 04-21..04-30 = 10 days (04-06..04-19 is 14: the
    // longest), 1 of 2 households visited.
    report r = h.at("2023-05-10");
    EXPECT_EQ(value_of(r, "patrols"), "2");
    EXPECT_EQ(value_of(r, "hours"), "6.5");
    EXPECT_EQ(value_of(r, "kinds"), "1");
    EXPECT_EQ(value_of(r, "shortest"), "2.5");
    EXPECT_EQ(value_of(r, "longest"), "4");
    EXPECT_EQ(value_of(r, "all_long"), "null");  // not one comparison: no value; status below
    EXPECT_TRUE(row_is(r, "all_long", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "null"));
    EXPECT_TRUE(row_is(r, "any_night", "v1", "2023-04-01", "2023-04-30", "violated", false, "null"));
    EXPECT_EQ(value_of(r, "no_long_gap"), "14");  // 04-06..04-19
    EXPECT_EQ(value_of(r, "visited"), "0.5");

    // Added after: a night patrol of 0.5 hours on 04-12, a 9-hour one on 04-28, the second
    // household visited; then p1 retracted.
    h.feed_ok(R"(
{"id": "p3", "type": "patrol", "time": "2023-04-12", "unit": "v1", "hours": 0.5, "shift": "night"}
{"id": "p4", "type": "patrol", "time": "2023-04-28", "unit": "v1", "hours": 9, "shift": "day"}
{"id": "x2", "type": "visit", "time": "2023-04-29", "unit": "v1", "household": "h2"}
)");
    r = h.at("2023-05-10");
    // Patrols on 04-05, 04-12, 04-20, 04-28: 4 of them, 16 hours, kinds day and night, min
    // 0.5, max 9, one under 2 hours, a night one; gaps 04-01..04-04 (4), 04-06..04-11 (6),
    // 04-13..04-19 (7), 04-21..04-27 (7), 04-29..04-30 (2): 7; both households visited.
    EXPECT_EQ(value_of(r, "patrols"), "4");
    EXPECT_EQ(value_of(r, "hours"), "16");
    EXPECT_EQ(value_of(r, "kinds"), "2");
    EXPECT_EQ(value_of(r, "shortest"), "0.5");
    EXPECT_EQ(value_of(r, "longest"), "9");
    EXPECT_TRUE(row_is(r, "all_long", "v1", "2023-04-01", "2023-04-30", "violated", false, "null"));
    EXPECT_TRUE(row_is(r, "any_night", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "null"));
    EXPECT_EQ(value_of(r, "no_long_gap"), "7");
    EXPECT_EQ(value_of(r, "visited"), "1");

    // Retracted: the night patrol and the visit to h2. Back to patrols on 04-05, 04-20, 04-28.
    h.feed_ok(R"(
{"retract": "p3"}
{"retract": "x2"}
)");
    r = h.at("2023-05-10");
    // 3 patrols, 15.5 hours, one kind, min 2.5, max 9, all >= 2, no night; gaps 04-01..04-04
    // (4), 04-06..04-19 (14), 04-21..04-27 (7), 04-29..04-30 (2): 14; one household of two.
    EXPECT_EQ(value_of(r, "patrols"), "3");
    EXPECT_EQ(value_of(r, "hours"), "15.5");
    EXPECT_EQ(value_of(r, "kinds"), "1");
    EXPECT_EQ(value_of(r, "shortest"), "2.5");
    EXPECT_EQ(value_of(r, "longest"), "9");
    EXPECT_TRUE(row_is(r, "all_long", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "null"));
    EXPECT_TRUE(row_is(r, "any_night", "v1", "2023-04-01", "2023-04-30", "violated", false, "null"));
    EXPECT_EQ(value_of(r, "no_long_gap"), "14");
    EXPECT_EQ(value_of(r, "visited"), "0.5");

    // A third household, registered after: the hierarchy changes, every state is built
    // again, and coverage is one of three.
    h.feed_ok(R"({"entity": "h3", "kind": "household", "parent": "v1"})");
    r = h.at("2023-05-10");
    EXPECT_EQ(value_of(r, "visited"), "0.3333333333333333");  // 1/3, as reports write a fraction with no short decimal
    EXPECT_EQ(value_of(r, "patrols"), "3");
}

// Entity records that change the hierarchy while records stream (lib/eval/hierarchy.cpp): a
// household moved to another village by a new version, a household registered after events
// naming it, a parent cycle and its end. Each is followed in place: the rows of the entities
// moved follow them, the villages they leave and join are judged again, and a subscriber hears
// exactly what changed. April's one bucket, reported as of 05-10 (closed); worked by hand.
const std::string moving_plan = R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-04-30
kind village "v"
kind household "h" within village
event patrol "p" { hours: number }
event visit "x" { household: ref household }
obligation patrols "count" { each v: village during campaign require count(patrol of v) >= 2 }
obligation visited "coverage" { each v: village during campaign require coverage(visit.household, household within v) >= 100% }
obligation home "per household" { each h: household during campaign require count(patrol of h) >= 1 }
)";

TEST(KeptStates, EntityVersionsAfterTheFirstReport) {
    for (const bool evidence : {false, true}) {  // values read from kept states, and from the indexes
        SCOPED_TRACE(evidence ? "with evidence" : "statuses only");
        mandate::engine_options options;
        options.evidence = evidence;
        harness h(moving_plan, options);
        h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"entity": "v2", "kind": "village"}
{"entity": "h1", "kind": "household", "parent": "v1"}
{"entity": "h2", "kind": "household", "parent": "v1"}
{"id": "pa", "type": "patrol", "time": "2023-04-03", "unit": "h1", "hours": 1}
{"id": "pb", "type": "patrol", "time": "2023-04-10", "unit": "h1", "hours": 1}
{"id": "pc", "type": "patrol", "time": "2023-04-12", "unit": "h2", "hours": 1}
{"id": "x1", "type": "visit", "time": "2023-04-06", "unit": "v1", "household": "h1"}
)");
        std::vector<std::string> heard;
        h.engine().set_watch_date(D("2023-05-10"));
        h.engine().subscribe([&](const mandate::status_change& c) { heard.push_back(heard_line(c)); });
        report r = h.at("2023-05-10");
        // v1 holds all three patrols and both households, h1 visited; v2 holds nothing.
        EXPECT_TRUE(row_is(r, "patrols", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "3"));
        EXPECT_TRUE(row_is(r, "patrols", "v2", "2023-04-01", "2023-04-30", "violated", false, "0"));
        EXPECT_TRUE(row_is(r, "visited", "v1", "2023-04-01", "2023-04-30", "violated", false, "0.5"));
        EXPECT_EQ(reason_of(r, "visited", "v2", "2023-04-01"), "no data");  // no household to cover
        EXPECT_TRUE(row_is(r, "home", "h1", "2023-04-01", "2023-04-30", "satisfied", true, "2"));
        EXPECT_TRUE(row_is(r, "home", "h2", "2023-04-01", "2023-04-30", "satisfied", true, "1"));

        // h1 moves to v2, taking its two patrols and its visit: v1 keeps h2's one patrol and
        // covers 0 of 1; v2 has two patrols and covers 1 of 1. h1's own bucket is unchanged.
        h.feed_ok(R"({"entity": "h1", "kind": "household", "parent": "v2", "version": 2})");
        std::sort(heard.begin(), heard.end());
        EXPECT_EQ(heard, (std::vector<std::string>{"patrols v1 satisfied->violated", "patrols v2 violated->satisfied",
                                                   "visited v2 violated->satisfied"}));
        r = h.at("2023-05-10");
        EXPECT_TRUE(row_is(r, "patrols", "v1", "2023-04-01", "2023-04-30", "violated", false, "1"));
        EXPECT_TRUE(row_is(r, "patrols", "v2", "2023-04-01", "2023-04-30", "satisfied", true, "2"));
        EXPECT_TRUE(row_is(r, "visited", "v1", "2023-04-01", "2023-04-30", "violated", false, "0"));
        EXPECT_TRUE(row_is(r, "visited", "v2", "2023-04-01", "2023-04-30", "satisfied", true, "1"));
        EXPECT_TRUE(row_is(r, "home", "h1", "2023-04-01", "2023-04-30", "satisfied", true, "2"));
        EXPECT_EQ(r.inputs.entities, 5u);

        // A patrol of h3 before the registry names it waits unresolved; h3's record resolves
        // it: v1 has two patrols again, covers 0 of 2, and h3 has a bucket of its own.
        heard.clear();
        h.feed_ok(R"({"id": "pd", "type": "patrol", "time": "2023-04-20", "unit": "h3", "hours": 1})");
        EXPECT_TRUE(heard.empty());
        EXPECT_EQ(h.at("2023-05-10").inputs.unresolved, 1u);
        h.feed_ok(R"({"entity": "h3", "kind": "household", "parent": "v1"})");
        std::sort(heard.begin(), heard.end());
        EXPECT_EQ(heard, (std::vector<std::string>{"home h3 none->satisfied", "patrols v1 violated->satisfied"}));
        r = h.at("2023-05-10");
        EXPECT_TRUE(row_is(r, "patrols", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "2"));
        EXPECT_TRUE(row_is(r, "visited", "v1", "2023-04-01", "2023-04-30", "violated", false, "0"));
        EXPECT_TRUE(row_is(r, "home", "h3", "2023-04-01", "2023-04-30", "satisfied", true, "1"));
        EXPECT_EQ(r.inputs.unresolved, 0u);
        EXPECT_EQ(r.inputs.applied, 5u);
        EXPECT_TRUE(inputs_balance(r));

        // v2 placed within h1 (a village may be within anything): v2 and h1 form a parent
        // cycle, held out of the hierarchy with their rows; h1's patrols and the visit naming
        // it wait unresolved.
        heard.clear();
        h.feed_ok(R"({"entity": "v2", "kind": "village", "parent": "h1", "version": 2})");
        std::sort(heard.begin(), heard.end());
        EXPECT_EQ(heard, (std::vector<std::string>{"home h1 satisfied->none", "patrols v2 satisfied->none",
                                                   "visited v2 satisfied->none"}));
        r = h.at("2023-05-10");
        EXPECT_EQ(count_rows(r, "patrols"), 1u);
        EXPECT_EQ(count_rows(r, "home"), 2u);
        EXPECT_EQ(r.inputs.unresolved, 3u);
        EXPECT_EQ(r.inputs.applied, 2u);
        ASSERT_EQ(r.unresolved_entities.size(), 2u);
        EXPECT_EQ(r.unresolved_entities[0].entity, "h1");
        EXPECT_EQ(r.unresolved_entities[0].reason, "parent cycle");
        EXPECT_EQ(r.unresolved_entities[1].entity, "v2");
        EXPECT_TRUE(inputs_balance(r));

        // v2 at the top again: everything as before the cycle, heard as it comes back.
        heard.clear();
        h.feed_ok(R"({"entity": "v2", "kind": "village", "version": 3})");
        std::sort(heard.begin(), heard.end());
        EXPECT_EQ(heard, (std::vector<std::string>{"home h1 none->satisfied", "patrols v2 none->satisfied",
                                                   "visited v2 none->satisfied"}));
        r = h.at("2023-05-10");
        EXPECT_TRUE(row_is(r, "patrols", "v2", "2023-04-01", "2023-04-30", "satisfied", true, "2"));
        EXPECT_TRUE(row_is(r, "visited", "v2", "2023-04-01", "2023-04-30", "satisfied", true, "1"));
        EXPECT_EQ(r.inputs.unresolved, 0u);
        EXPECT_EQ(r.inputs.entities, 8u);
        EXPECT_TRUE(r.unresolved_entities.empty());

        // The same record fed again changes no place: nothing is heard, one more entity record.
        heard.clear();
        h.feed_ok(R"({"entity": "v2", "kind": "village", "version": 3})");
        EXPECT_TRUE(heard.empty());
        EXPECT_EQ(h.at("2023-05-10").inputs.entities, 9u);
    }
}

// Registry records while there is no date to judge at (the watch date cleared, no event yet):
// subscribers hear of them once there is one again. h1 moves from v1 to v2 with no leaflet
// anywhere: each village covers 0 of its households, under 50% — satisfied where it has one
// (v1 before, v2 after), and "no data" (violated) where it has none.
TEST(KeptStates, RegistryRecordsWithNoWatchDate) {
    harness h(R"(
plan c { timezone "+08:00" }
phase p "p" from 2023-03-01 to 2023-12-31
kind village "v"
kind household "h" within village
event leaflet "l" { recipient: ref household }
obligation low "low" {
  each v: village
  during p
  by 2023-05-31
  require coverage(leaflet.recipient, household within v) < 50%
}
)");
    std::vector<std::string> heard;
    h.engine().set_watch_date(D("2023-07-01"));
    h.engine().subscribe([&](const mandate::status_change& c) { heard.push_back(heard_line(c)); });
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"entity": "v2", "kind": "village"}
{"entity": "h1", "kind": "household", "parent": "v1"}
)");
    report r = h.at("2023-07-01");
    EXPECT_TRUE(row_is(r, "low", "v1", "2023-03-01", "2023-05-31", "satisfied", true, "0"));
    EXPECT_EQ(reason_of(r, "low", "v2", "2023-03-01"), "no data");
    h.engine().set_watch_date(std::nullopt);
    heard.clear();
    h.feed_ok(R"({"entity": "h1", "kind": "household", "parent": "v2", "version": 1})");
    EXPECT_TRUE(heard.empty());  // no date: nothing judged yet
    h.engine().set_watch_date(D("2023-07-01"));
    std::sort(heard.begin(), heard.end());
    EXPECT_EQ(heard, (std::vector<std::string>{"low v1 satisfied->violated", "low v2 violated->satisfied"}));
    r = h.at("2023-07-01");
    EXPECT_EQ(reason_of(r, "low", "v1", "2023-03-01"), "no data");
    EXPECT_TRUE(row_is(r, "low", "v2", "2023-03-01", "2023-05-31", "satisfied", true, "0"));
}

// min and max keep every value with its multiplicity: taking one copy of the smallest value
// away leaves the other.
TEST(KeptStates, MinSurvivesTheRetractionOfOneOfTwoEqualValues) {
    harness h(plan_text);
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"id": "p1", "type": "patrol", "time": "2023-04-05", "unit": "v1", "hours": 1.5, "shift": "day"}
{"id": "p2", "type": "patrol", "time": "2023-04-06", "unit": "v1", "hours": 1.5, "shift": "day"}
{"id": "p3", "type": "patrol", "time": "2023-04-07", "unit": "v1", "hours": 3, "shift": "day"}
)");
    EXPECT_EQ(value_of(h.at("2023-05-10"), "shortest"), "1.5");
    h.feed_ok(R"({"retract": "p1"})");
    EXPECT_EQ(value_of(h.at("2023-05-10"), "shortest"), "1.5");
    h.feed_ok(R"({"retract": "p2"})");
    EXPECT_EQ(value_of(h.at("2023-05-10"), "shortest"), "3");
    h.feed_ok(R"({"retract": "p3"})");
    // No patrol left: min of nothing is undefined, and the requirement has no data.
    EXPECT_EQ(value_of(h.at("2023-05-10"), "shortest"), "null");
    EXPECT_EQ(reason_of(h.at("2023-05-10"), "shortest", "v1", "2023-04-01"), "no data");
}

}  // namespace

// A new unit registered while records stream (store::add_leaf): no rebuild of the hierarchy,
// and what it changes is judged again — the new unit's own buckets, in report order, and the
// coverage denominators of the units above it. Worked by hand on the plan above (April's one
// bucket, reported as of 05-10, closed).
TEST(KeptStates, ANewUnitAfterTheFirstReport) {
    for (const bool evidence : {false, true}) {  // coverage read from kept states, and from the indexes
        SCOPED_TRACE(evidence ? "with evidence" : "statuses only");
        mandate::engine_options options;
        options.evidence = evidence;
        harness h(plan_text, options);
        h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"entity": "v2", "kind": "village"}
{"entity": "h1", "kind": "household", "parent": "v1"}
{"id": "x1", "type": "visit", "time": "2023-04-06", "unit": "v1", "household": "h1"}
)");
        std::vector<std::string> heard;
        h.engine().set_watch_date(D("2023-05-10"));
        h.engine().subscribe([&](const mandate::status_change& c) { heard.push_back(heard_line(c)); });
        report r = h.at("2023-05-10");
        // v1: its one household visited, 1/1.
        EXPECT_TRUE(row_is(r, "visited", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "1"));
        EXPECT_EQ(r.inputs.entities, 3u);

        // A second household of v1: 1 of 2 visited, and v1's coverage is violated now.
        h.feed_ok(R"({"entity": "h2", "kind": "household", "parent": "v1"})");
        EXPECT_EQ(heard, std::vector<std::string>{"visited v1 satisfied->violated"});
        r = h.at("2023-05-10");
        EXPECT_TRUE(row_is(r, "visited", "v1", "2023-04-01", "2023-04-30", "violated", false, "0.5"));
        EXPECT_EQ(r.inputs.entities, 4u);

        // A new village whose id sorts first: its rows come first in every rule, no patrol and
        // no household (coverage of nothing has no value; count 0 < 3: violated).
        heard.clear();
        h.feed_ok(R"({"entity": "v0", "kind": "village"})");
        EXPECT_EQ(heard.size(), 9u);  // one new bucket per rule, each heard as it appears
        r = h.at("2023-05-10");
        std::vector<std::string> order;
        for (const auto& x : r.results)
            if (x.obligation == "patrols") order.push_back(x.unit.value_or("-"));
        EXPECT_EQ(order, (std::vector<std::string>{"v0", "v1", "v2"}));
        EXPECT_TRUE(row_is(r, "patrols", "v0", "2023-04-01", "2023-04-30", "violated", false, "0"));

        // A household of the new village, visited in April: v0 covers 1 of 1.
        h.feed_ok(R"(
{"entity": "h0", "kind": "household", "parent": "v0"}
{"id": "x0", "type": "visit", "time": "2023-04-09", "unit": "v0", "household": "h0"}
)");
        r = h.at("2023-05-10");
        EXPECT_TRUE(row_is(r, "visited", "v0", "2023-04-01", "2023-04-30", "satisfied", true, "1"));
        EXPECT_TRUE(row_is(r, "visited", "v1", "2023-04-01", "2023-04-30", "violated", false, "0.5"));
        EXPECT_EQ(r.inputs.entities, 6u);
        EXPECT_EQ(r.inputs.applied, 2u);
    }
}
