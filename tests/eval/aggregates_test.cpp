// Every aggregate of LANGUAGE.md, "Expressions", with values worked out by hand.
#include <gtest/gtest.h>

#include <cstdio>

#include "eval/helpers.hpp"

namespace {

using namespace evaltest;

// One April window in +08:00; a whole-window obligation has the one bucket 04-01..04-30, closed
// from 05-01.
const std::string april = R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-04-30
)";

TEST(Aggregates, CountWithWhereAndInList) {
    harness h(april + R"(
kind village "v"
event activity "a" { venue: text }
obligation parks "p" {
  each v: village
  during campaign
  require count(activity of v where venue in ["park", "square"]) >= 2
}
obligation not_school "n" {
  each v: village
  during campaign
  require count(activity of v where not (venue in ["school"]) and venue != "park") >= 1
}
)");
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"entity": "v2", "kind": "village"}
{"id": "a1", "type": "activity", "time": "2023-04-02", "unit": "v1", "venue": "park"}
{"id": "a2", "type": "activity", "time": "2023-04-03", "unit": "v1", "venue": "square"}
{"id": "a3", "type": "activity", "time": "2023-04-04", "unit": "v1", "venue": "school"}
{"id": "a4", "type": "activity", "time": "2023-04-04", "unit": "v2", "venue": "school"}
{"id": "a5", "type": "activity", "time": "2023-04-05", "unit": "v2", "venue": "park"}
)");
    // v1: park + square = 2 (school is not in the list): monotone, satisfied early.
    // v2: only the park one = 1: pending until the close, then violated.
    auto r = h.at("2023-04-10");
    EXPECT_TRUE(row_is(r, "parks", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "2"));
    EXPECT_TRUE(row_is(r, "parks", "v2", "2023-04-01", "2023-04-30", "pending", false, "1"));
    // not school and not park: v1 has the square one (1); v2 has none (0). `not` makes the
    // predicate, not the requirement, so the requirement is still a monotone count.
    EXPECT_TRUE(row_is(r, "not_school", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "1"));
    EXPECT_TRUE(row_is(r, "not_school", "v2", "2023-04-01", "2023-04-30", "pending", false, "0"));
    r = h.at("2023-05-01");
    EXPECT_TRUE(row_is(r, "parks", "v2", "2023-04-01", "2023-04-30", "violated", false, "1"));
    EXPECT_TRUE(row_is(r, "not_school", "v2", "2023-04-01", "2023-04-30", "violated", false, "0"));
    EXPECT_EQ(r.inputs.read, 7u);
    EXPECT_EQ(r.inputs.entities, 2u);
    EXPECT_EQ(r.inputs.applied, 5u);
}

TEST(Aggregates, CountOfTakesDescendantsAndWithoutOfCountsEveryUnit) {
    harness h(april + R"(
kind town "t"
kind village "v" within town
kind group "g" within village
event meeting "m" {}
obligation mine_and_below "m" {
  each t: town
  during campaign
  require count(meeting of t) >= 3
}
obligation own_only "o" {
  each t: town
  during campaign
  require count(meeting of t where unit == t) >= 1
}
obligation everyone "e" {
  each t: town
  during campaign
  require count(meeting) >= 5
}
)");
    h.feed_ok(R"(
{"entity": "t1", "kind": "town"}
{"entity": "t2", "kind": "town"}
{"entity": "v1", "kind": "village", "parent": "t1"}
{"entity": "g1", "kind": "group", "parent": "v1"}
{"entity": "v2", "kind": "village", "parent": "t2"}
{"id": "m1", "type": "meeting", "time": "2023-04-03", "unit": "t1"}
{"id": "m2", "type": "meeting", "time": "2023-04-04", "unit": "v1"}
{"id": "m3", "type": "meeting", "time": "2023-04-05", "unit": "g1"}
{"id": "m4", "type": "meeting", "time": "2023-04-06", "unit": "v2"}
)");
    auto r = h.at("2023-05-01");
    // t1: its own m1, its village's m2 and its grandchild's m3 = 3. t2: v2's m4 = 1.
    EXPECT_TRUE(row_is(r, "mine_and_below", "t1", "2023-04-01", "2023-04-30", "satisfied", true, "3"));
    EXPECT_TRUE(row_is(r, "mine_and_below", "t2", "2023-04-01", "2023-04-30", "violated", false, "1"));
    // where unit == t (docs/choices.md item 2): t1 has m1; t2 has none of its own.
    EXPECT_TRUE(row_is(r, "own_only", "t1", "2023-04-01", "2023-04-30", "satisfied", true, "1"));
    EXPECT_TRUE(row_is(r, "own_only", "t2", "2023-04-01", "2023-04-30", "violated", false, "0"));
    // Without `of`, every unit's meetings count: 4 < 5 for both towns.
    EXPECT_TRUE(row_is(r, "everyone", "t1", "2023-04-01", "2023-04-30", "violated", false, "4"));
    EXPECT_TRUE(row_is(r, "everyone", "t2", "2023-04-01", "2023-04-30", "violated", false, "4"));
    // Adding a fifth meeting anywhere (here under t2) satisfies `everyone` for both towns.
    EXPECT_TRUE(h.accept(R"({"id": "m5", "type": "meeting", "time": "2023-04-20", "unit": "t2"})"));
    r = h.at("2023-05-01");
    EXPECT_TRUE(row_is(r, "everyone", "t1", "2023-04-01", "2023-04-30", "satisfied", true, "5"));
    EXPECT_TRUE(row_is(r, "everyone", "t2", "2023-04-01", "2023-04-30", "satisfied", true, "5"));
    EXPECT_TRUE(row_is(r, "mine_and_below", "t2", "2023-04-01", "2023-04-30", "violated", false, "2"));
}

TEST(Aggregates, SumOfIntAndNumberFieldsIsExact) {
    harness h(april + R"(
kind village "v"
event patrol "p" { hours: number, people: int }
obligation hours "h" {
  each v: village
  during campaign
  require sum(patrol.hours of v) == 0.3
}
obligation people "pp" {
  each v: village
  during campaign
  require sum(patrol.people of v) >= 5
}
obligation nothing "n" {
  each v: village
  during campaign
  require sum(patrol.people of v) == 0
}
)");
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"entity": "v2", "kind": "village"}
{"id": "p1", "type": "patrol", "time": "2023-04-03", "unit": "v1", "hours": 0.1, "people": 2}
{"id": "p2", "type": "patrol", "time": "2023-04-04", "unit": "v1", "hours": 0.2, "people": 3}
)");
    // v1: 0.1 + 0.2 is exactly 0.3 (decimals held exactly); 2 + 3 = 5. sum is not monotone:
    // pending with met true until the close.
    auto r = h.at("2023-04-10");
    EXPECT_TRUE(row_is(r, "hours", "v1", "2023-04-01", "2023-04-30", "pending", true, "0.3"));
    EXPECT_TRUE(row_is(r, "people", "v1", "2023-04-01", "2023-04-30", "pending", true, "5"));
    // v2 has no patrols: the sum of nothing is 0 (not undefined).
    EXPECT_TRUE(row_is(r, "hours", "v2", "2023-04-01", "2023-04-30", "pending", false, "0"));
    EXPECT_TRUE(row_is(r, "nothing", "v2", "2023-04-01", "2023-04-30", "pending", true, "0"));
    r = h.at("2023-05-01");
    EXPECT_TRUE(row_is(r, "hours", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "0.3"));
    EXPECT_TRUE(row_is(r, "people", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "5"));
    EXPECT_TRUE(row_is(r, "people", "v2", "2023-04-01", "2023-04-30", "violated", false, "0"));
    EXPECT_TRUE(row_is(r, "nothing", "v2", "2023-04-01", "2023-04-30", "satisfied", true, "0"));
    EXPECT_TRUE(row_is(r, "nothing", "v1", "2023-04-01", "2023-04-30", "violated", false, "5"));
    EXPECT_EQ(reason_of(r, "hours", "v2", "2023-04-01"), "");
    const result_row* x = find_result(r, "hours", "v1", "2023-04-01");
    ASSERT_NE(x, nullptr);
    EXPECT_EQ(x->value.number, mandate::rational(3, 10));
}

TEST(Aggregates, DistinctTextAndSetMembersCountEachValueOnce) {
    harness h(april + R"(
kind village "v"
event activity "a" { venue: text, methods: set<text> }
obligation venues "v" {
  each v: village
  during campaign
  require distinct(activity.venue of v) >= 3
}
obligation methods "m" {
  each v: village
  during campaign
  require distinct(activity.methods of v) >= 4
}
)");
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"id": "a1", "type": "activity", "time": "2023-04-02", "unit": "v1", "venue": "park", "methods": ["banner", "desk"]}
{"id": "a2", "type": "activity", "time": "2023-04-03", "unit": "v1", "venue": "park", "methods": ["desk", "leaflet"]}
{"id": "a3", "type": "activity", "time": "2023-04-04", "unit": "v1", "venue": "square", "methods": ["banner"]}
)");
    // venues {park, square} = 2; methods {banner, desk, leaflet} = 3.
    auto r = h.at("2023-04-10");
    EXPECT_TRUE(row_is(r, "venues", "v1", "2023-04-01", "2023-04-30", "pending", false, "2"));
    EXPECT_TRUE(row_is(r, "methods", "v1", "2023-04-01", "2023-04-30", "pending", false, "3"));
    // a4 adds the venue school and the method video (desk again is not new): 3 and 4.
    EXPECT_TRUE(h.accept(
        R"({"id": "a4", "type": "activity", "time": "2023-04-05", "unit": "v1", "venue": "school", "methods": ["video", "desk", "video"]})"));
    r = h.at("2023-04-10");
    EXPECT_TRUE(row_is(r, "venues", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "3"));
    EXPECT_TRUE(row_is(r, "methods", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "4"));
}

TEST(Aggregates, MinAndMaxOfNumbersAndDatesAndUndefinedWithoutEvents) {
    harness h(april + R"(
kind village "v"
event inspection "i" { score: number, checked_on: date }
obligation min_score "a" {
  each v: village
  during campaign
  require min(inspection.score of v) >= 60
}
obligation max_score "b" {
  each v: village
  during campaign
  require max(inspection.score of v) >= 80
}
obligation last_check "c" {
  each v: village
  during campaign
  require max(inspection.checked_on of v) >= 2023-04-20
}
obligation first_check "d" {
  each v: village
  during campaign
  require min(inspection.checked_on of v) <= 2023-04-02
}
)");
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"entity": "v2", "kind": "village"}
{"id": "i1", "type": "inspection", "time": "2023-04-05", "unit": "v1", "score": 75.5, "checked_on": "2023-04-03"}
{"id": "i2", "type": "inspection", "time": "2023-04-06", "unit": "v1", "score": 59.5, "checked_on": "2023-04-21"}
{"id": "i3", "type": "inspection", "time": "2023-04-07", "unit": "v1", "score": 88, "checked_on": "2023-04-10"}
)");
    // v1: min score 59.5 (< 60), max 88; latest checked_on 04-21, earliest 04-03 (> 04-02).
    auto r = h.at("2023-04-10");
    EXPECT_TRUE(row_is(r, "min_score", "v1", "2023-04-01", "2023-04-30", "pending", false, "59.5"));
    EXPECT_TRUE(row_is(r, "max_score", "v1", "2023-04-01", "2023-04-30", "pending", true, "88"));
    EXPECT_TRUE(row_is(r, "last_check", "v1", "2023-04-01", "2023-04-30", "pending", true, "2023-04-21"));
    EXPECT_TRUE(row_is(r, "first_check", "v1", "2023-04-01", "2023-04-30", "pending", false, "2023-04-03"));
    // v2: no inspections: min/max undefined, value null, "no data"; violated at the close.
    EXPECT_TRUE(row_is(r, "min_score", "v2", "2023-04-01", "2023-04-30", "pending", false, "null"));
    r = h.at("2023-05-01");
    EXPECT_TRUE(row_is(r, "min_score", "v1", "2023-04-01", "2023-04-30", "violated", false, "59.5"));
    EXPECT_TRUE(row_is(r, "max_score", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "88"));
    EXPECT_TRUE(row_is(r, "last_check", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "2023-04-21"));
    EXPECT_TRUE(row_is(r, "first_check", "v1", "2023-04-01", "2023-04-30", "violated", false, "2023-04-03"));
    for (const char* rule : {"min_score", "max_score", "last_check", "first_check"}) {
        SCOPED_TRACE(rule);
        EXPECT_TRUE(row_is(r, rule, "v2", "2023-04-01", "2023-04-30", "violated", false, "null"));
        EXPECT_EQ(reason_of(r, rule, "v2", "2023-04-01"), "no data");
        EXPECT_EQ(reason_of(r, rule, "v1", "2023-04-01"), "");
    }
}

TEST(Aggregates, CoverageOfRefFieldUsesEntitiesActiveAtTheBucketEnd) {
    harness h(R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-06-30
kind village "v"
kind household "h" within village
event visit "x" { household: ref household }
obligation visited "vv" {
  each v: village
  during campaign
  by 2023-04-30
  require coverage(visit.household, household within v) >= 100%
}
)");
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"entity": "v2", "kind": "village"}
{"entity": "v3", "kind": "village"}
{"entity": "h1", "kind": "household", "parent": "v1"}
{"entity": "h2", "kind": "household", "parent": "v1"}
{"entity": "h3", "kind": "household", "parent": "v1"}
{"entity": "h4", "kind": "household", "parent": "v1", "since": "2023-05-01"}
{"entity": "h5", "kind": "household", "parent": "v1", "until": "2023-04-30"}
{"entity": "h6", "kind": "household", "parent": "v1", "until": "2023-05-01"}
{"entity": "h7", "kind": "household", "parent": "v3"}
{"id": "x1", "type": "visit", "time": "2023-04-05", "unit": "v1", "household": "h1"}
{"id": "x2", "type": "visit", "time": "2023-04-30", "unit": "v1", "household": "h2"}
{"id": "x3", "type": "visit", "time": "2023-04-10", "unit": "v1", "household": "h5"}
{"id": "x4", "type": "visit", "time": "2023-05-01", "unit": "v1", "household": "h3"}
{"id": "x5", "type": "visit", "time": "2023-04-15", "unit": "v1", "household": "h4"}
{"id": "x6", "type": "visit", "time": "2023-04-12", "unit": "v3", "household": "h7"}
)");
    // v1 at e = 04-30: h1, h2, h3 active; h4 starts 05-01 (after e): out; h5 until 04-30 is
    // inactive on 04-30 (since <= d < until): out; h6 until 05-01 is active on 04-30: in.
    // Denominator 4 {h1, h2, h3, h6}; covered inside the bucket: h1, h2 (h5 and h4 are not in
    // the denominator; h3's visit on 05-01 is after the deadline). 2/4 = 0.5.
    auto r = h.at("2023-05-01");
    EXPECT_TRUE(row_is(r, "visited", "v1", "2023-04-01", "2023-04-30", "violated", false, "0.5"));
    const result_row* x = find_result(r, "visited", "v1", "2023-04-01");
    ASSERT_NE(x, nullptr);
    ASSERT_TRUE(x->evidence.coverage.has_value());
    EXPECT_EQ(x->evidence.coverage->covered, 2);
    EXPECT_EQ(x->evidence.coverage->of, 4);
    EXPECT_EQ(x->evidence.coverage->missing, (std::vector<std::string>{"h3", "h6"}));
    // v2 has no households: 0/0 is undefined: null, "no data", violated.
    EXPECT_TRUE(row_is(r, "visited", "v2", "2023-04-01", "2023-04-30", "violated", false, "null"));
    EXPECT_EQ(reason_of(r, "visited", "v2", "2023-04-01"), "no data");
    // v3: 1/1, met; coverage is not monotone, so it is pending until the close.
    EXPECT_TRUE(row_is(r, "visited", "v3", "2023-04-01", "2023-04-30", "satisfied", true, "1"));
    r = h.at("2023-04-20");
    EXPECT_TRUE(row_is(r, "visited", "v3", "2023-04-01", "2023-04-30", "pending", true, "1"));
    // As of 04-20 the bucket's end is still 04-30: entities active at e, even though e > T.
    // h2 is not yet visited (x2 is dated 04-30): 1/4.
    EXPECT_TRUE(row_is(r, "visited", "v1", "2023-04-01", "2023-04-30", "pending", false, "0.25"));
}

TEST(Aggregates, CoverageOfSetOfRefsCountsEveryMember) {
    harness h(R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-06-30
kind town "t"
kind village "v" within town
event training "tr" { units: set<ref village> }
obligation reps "r" {
  each t: town
  during campaign
  by 2023-04-30
  require coverage(training.units, village within t) >= 100%
}
)");
    h.feed_ok(R"(
{"entity": "t1", "kind": "town"}
{"entity": "t2", "kind": "town"}
{"entity": "v1", "kind": "village", "parent": "t1"}
{"entity": "v2", "kind": "village", "parent": "t1"}
{"entity": "v3", "kind": "village", "parent": "t1"}
{"entity": "v4", "kind": "village", "parent": "t2"}
{"entity": "v5", "kind": "village", "parent": "t2"}
{"id": "r1", "type": "training", "time": "2023-04-10", "unit": "t1", "units": ["v1", "v2"]}
{"id": "r2", "type": "training", "time": "2023-04-20", "unit": "t1", "units": ["v2", "v3", "v4"]}
)");
    // t1: {v1, v2, v3} all named = 3/3. t2: v4 named (by t1's training: whoever reported it,
    // docs/choices.md item 28), v5 not: 1/2.
    auto r = h.at("2023-05-01");
    EXPECT_TRUE(row_is(r, "reps", "t1", "2023-04-01", "2023-04-30", "satisfied", true, "1"));
    EXPECT_TRUE(row_is(r, "reps", "t2", "2023-04-01", "2023-04-30", "violated", false, "0.5"));
    const result_row* x = find_result(r, "reps", "t2", "2023-04-01");
    ASSERT_NE(x, nullptr);
    ASSERT_TRUE(x->evidence.coverage.has_value());
    EXPECT_EQ(x->evidence.coverage->covered, 1);
    EXPECT_EQ(x->evidence.coverage->of, 2);
    EXPECT_EQ(x->evidence.coverage->missing, (std::vector<std::string>{"v5"}));
}

TEST(Aggregates, GapEdgesOfTheWindowAndAsOfInsideTheBucket) {
    harness h(april + R"(
kind member "m"
event training "t" {}
obligation cadence "c" {
  each u: member
  during campaign
  require gap(training of u) < 21 days
}
)");
    h.feed_ok(R"(
{"entity": "u1", "kind": "member"}
{"entity": "u2", "kind": "member"}
{"entity": "u3", "kind": "member"}
{"entity": "u4", "kind": "member"}
{"id": "t11", "type": "training", "time": "2023-04-01", "unit": "u1"}
{"id": "t12", "type": "training", "time": "2023-04-15", "unit": "u1"}
{"id": "t13", "type": "training", "time": "2023-04-30", "unit": "u1"}
{"id": "t21", "type": "training", "time": "2023-04-21", "unit": "u2"}
{"id": "t22", "type": "training", "time": "2023-04-25", "unit": "u2"}
{"id": "t31", "type": "training", "time": "2023-04-01", "unit": "u3"}
{"id": "t32", "type": "training", "time": "2023-04-05", "unit": "u3"}
)");
    auto r = h.at("2023-05-01");
    // u1: 04-02..04-14 (13 days) and 04-16..04-29 (14 days): 14.
    EXPECT_TRUE(row_is(r, "cadence", "u1", "2023-04-01", "2023-04-30", "satisfied", true, "14"));
    // u2: from the window start 04-01..04-20 = 20 days (then 3, then 04-26..04-30 = 5): 20 < 21.
    EXPECT_TRUE(row_is(r, "cadence", "u2", "2023-04-01", "2023-04-30", "satisfied", true, "20"));
    const result_row* x = find_result(r, "cadence", "u2", "2023-04-01");
    ASSERT_NE(x, nullptr);
    ASSERT_TRUE(x->evidence.gap.has_value());
    EXPECT_EQ(iso(x->evidence.gap->from), "2023-04-01");
    EXPECT_EQ(iso(x->evidence.gap->to), "2023-04-20");
    EXPECT_EQ(x->evidence.gap->days, 20);
    // u3: 04-06..04-30 to the window's end = 25 days.
    EXPECT_TRUE(row_is(r, "cadence", "u3", "2023-04-01", "2023-04-30", "violated", false, "25"));
    x = find_result(r, "cadence", "u3", "2023-04-01");
    ASSERT_NE(x, nullptr);
    ASSERT_TRUE(x->evidence.gap.has_value());
    EXPECT_EQ(iso(x->evidence.gap->from), "2023-04-06");
    EXPECT_EQ(iso(x->evidence.gap->to), "2023-04-30");
    // u4: no training at all: the whole bucket, 30 days (docs/choices.md item 27).
    EXPECT_TRUE(row_is(r, "cadence", "u4", "2023-04-01", "2023-04-30", "violated", false, "30"));

    // As of 04-10 only the days up to 04-10 exist. u3: 04-02..04-04 (3) and 04-06..04-10 (5): 5.
    // u4: 04-01..04-10 = 10. u2: 04-01..04-10 = 10 (its trainings are after T). u1: 04-02..04-10 = 9.
    // gap is judged at the close: all pending.
    r = h.at("2023-04-10");
    EXPECT_TRUE(row_is(r, "cadence", "u1", "2023-04-01", "2023-04-30", "pending", true, "9"));
    EXPECT_TRUE(row_is(r, "cadence", "u2", "2023-04-01", "2023-04-30", "pending", true, "10"));
    EXPECT_TRUE(row_is(r, "cadence", "u3", "2023-04-01", "2023-04-30", "pending", true, "5"));
    EXPECT_TRUE(row_is(r, "cadence", "u4", "2023-04-01", "2023-04-30", "pending", true, "10"));
    // As of 04-25: u4 has gone 25 days without: unmet, but still pending until the close.
    r = h.at("2023-04-25");
    EXPECT_TRUE(row_is(r, "cadence", "u4", "2023-04-01", "2023-04-30", "pending", false, "25"));
}

TEST(Aggregates, GapIsZeroWhenEveryDayHasTheEvent) {
    harness h(R"(
plan p { timezone "+08:00" }
phase short "s" from 2023-04-01 to 2023-04-03
kind member "m"
event training "t" {}
obligation daily "d" {
  each u: member
  during short
  require gap(training of u) < 1 day
}
)");
    h.feed_ok(R"(
{"entity": "u1", "kind": "member"}
{"id": "t1", "type": "training", "time": "2023-04-01", "unit": "u1"}
{"id": "t2", "type": "training", "time": "2023-04-02", "unit": "u1"}
{"id": "t3", "type": "training", "time": "2023-04-03", "unit": "u1"}
)");
    auto r = h.at("2023-04-04");
    EXPECT_TRUE(row_is(r, "daily", "u1", "2023-04-01", "2023-04-03", "satisfied", true, "0"));
}

TEST(Aggregates, AllOfNoneIsTrueAndAnyOfNoneIsFalse) {
    harness h(april + R"(
kind village "v"
event inspection "i" { passed: bool }
obligation all_pass "a" {
  each v: village
  during campaign
  require all(inspection of v: passed)
}
obligation any_pass "b" {
  each v: village
  during campaign
  require any(inspection of v: passed)
}
)");
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"entity": "v2", "kind": "village"}
{"entity": "v3", "kind": "village"}
{"id": "i1", "type": "inspection", "time": "2023-04-03", "unit": "v2", "passed": true}
{"id": "i2", "type": "inspection", "time": "2023-04-04", "unit": "v2", "passed": false}
{"id": "i3", "type": "inspection", "time": "2023-04-04", "unit": "v3", "passed": true}
)");
    // all/any are not single comparisons: value null (docs/report.md).
    auto r = h.at("2023-04-10");
    // v1 has none: all() true (anti-monotone: pending until the close); any() false (monotone:
    // pending until something passes).
    EXPECT_TRUE(row_is(r, "all_pass", "v1", "2023-04-01", "2023-04-30", "pending", true, "null"));
    EXPECT_TRUE(row_is(r, "any_pass", "v1", "2023-04-01", "2023-04-30", "pending", false, "null"));
    // v2: one failed: all() violated early; one passed: any() satisfied early.
    EXPECT_TRUE(row_is(r, "all_pass", "v2", "2023-04-01", "2023-04-30", "violated", false, "null"));
    EXPECT_TRUE(row_is(r, "any_pass", "v2", "2023-04-01", "2023-04-30", "satisfied", true, "null"));
    // v3: all passed so far: all() pending (met); any() satisfied.
    EXPECT_TRUE(row_is(r, "all_pass", "v3", "2023-04-01", "2023-04-30", "pending", true, "null"));
    EXPECT_TRUE(row_is(r, "any_pass", "v3", "2023-04-01", "2023-04-30", "satisfied", true, "null"));
    r = h.at("2023-05-01");
    EXPECT_TRUE(row_is(r, "all_pass", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "null"));
    EXPECT_TRUE(row_is(r, "any_pass", "v1", "2023-04-01", "2023-04-30", "violated", false, "null"));
    EXPECT_TRUE(row_is(r, "all_pass", "v3", "2023-04-01", "2023-04-30", "satisfied", true, "null"));
}

TEST(Aggregates, StreakTakesTheLongestRunOfClosedMonths) {
    harness h(R"(
plan p { timezone "+08:00" }
phase whole "y" from 2023-01-01 to 2023-12-31
kind village "v"
event fraud_case "f" {}
obligation quiet "q" {
  each v: village
  during whole
  require streak(month, count(fraud_case of v) == 0) >= 4
}
)");
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"id": "f1", "type": "fraud_case", "time": "2023-02-14", "unit": "v1"}
{"id": "f2", "type": "fraud_case", "time": "2023-06-01", "unit": "v1"}
)");
    // Months without a case: Jan (1), Mar-May (3), Jul-Dec (6).
    // As of 10-15 the closed months are Jan..Sep: runs 1, 3, 3 (Jul-Sep); October is not closed
    // and does not count even though it has no case so far: 3.
    auto r = h.at("2023-10-15");
    EXPECT_TRUE(row_is(r, "quiet", "v1", "2023-01-01", "2023-12-31", "pending", false, "3"));
    // As of 11-01 October is closed: Jul-Oct = 4, met; streak waits for the close.
    r = h.at("2023-11-01");
    EXPECT_TRUE(row_is(r, "quiet", "v1", "2023-01-01", "2023-12-31", "pending", true, "4"));
    r = h.at("2024-01-01");
    EXPECT_TRUE(row_is(r, "quiet", "v1", "2023-01-01", "2023-12-31", "satisfied", true, "6"));
    // Broken in the middle (a case in September): Jul-Aug (2), Oct-Dec (3): the longest is 3.
    EXPECT_TRUE(h.accept(R"({"id": "f3", "type": "fraud_case", "time": "2023-09-30", "unit": "v1"})"));
    r = h.at("2024-01-01");
    EXPECT_TRUE(row_is(r, "quiet", "v1", "2023-01-01", "2023-12-31", "violated", false, "3"));
}

TEST(Aggregates, StreakSubPeriodsAreCutLikeEveryAndCloseWithGrace) {
    harness h(april + R"(
kind village "v"
event fraud_case "f" {}
obligation by_week "w" {
  each v: village
  during campaign
  require streak(week, count(fraud_case of v) == 0) >= 3
  grace 3 days
}
obligation sevens "s" {
  each v: village
  during campaign
  require streak(7 days, count(fraud_case of v) == 0) >= 3
}
)");
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"id": "f1", "type": "fraud_case", "time": "2023-04-12", "unit": "v1"}
)");
    // Calendar weeks (Monday) clipped to April: 04-01..02, 04-03..09, 04-10..16 (the case),
    // 04-17..23, 04-24..30: runs 2 and 2. Counted 7-day periods from 04-01: 01..07, 08..14
    // (the case), 15..21, 22..28, 29..30: runs 1 and 3.
    auto r = h.at("2023-05-04");
    EXPECT_TRUE(row_is(r, "by_week", "v1", "2023-04-01", "2023-04-30", "violated", false, "2"));
    EXPECT_TRUE(row_is(r, "sevens", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "3"));
    // With 3 days' grace a week is closed when T > its end + 3: as of 04-12 only 04-01..02
    // (closed from 04-06) counts; 04-03..09 closes on 04-13.
    r = h.at("2023-04-12");
    EXPECT_TRUE(row_is(r, "by_week", "v1", "2023-04-01", "2023-04-30", "pending", false, "1"));
    r = h.at("2023-04-13");
    EXPECT_TRUE(row_is(r, "by_week", "v1", "2023-04-01", "2023-04-30", "pending", false, "2"));
    // Without grace: as of 04-15, 01..07 is closed (1); 08..14 holds the case.
    r = h.at("2023-04-15");
    EXPECT_TRUE(row_is(r, "sevens", "v1", "2023-04-01", "2023-04-30", "pending", false, "1"));
}

TEST(Aggregates, CoverageWithWhereAndSeveralKinds) {
    harness h(april + R"(
kind village "v"
kind household "h" within village
kind merchant "m" within village
event leaflet "l" { recipient: ref household | merchant, delivered: bool }
obligation leaflets "l" {
  each v: village
  during campaign
  require coverage(leaflet.recipient where delivered, household | merchant within v) >= 100%
}
obligation households "h" {
  each v: village
  during campaign
  require coverage(leaflet.recipient, household within v) >= 100%
}
)");
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"entity": "h1", "kind": "household", "parent": "v1"}
{"entity": "h2", "kind": "household", "parent": "v1"}
{"entity": "m1", "kind": "merchant", "parent": "v1"}
{"id": "l1", "type": "leaflet", "time": "2023-04-02", "unit": "v1", "recipient": "h1", "delivered": true}
{"id": "l2", "type": "leaflet", "time": "2023-04-03", "unit": "v1", "recipient": "h2", "delivered": false}
{"id": "l3", "type": "leaflet", "time": "2023-04-04", "unit": "v1", "recipient": "m1", "delivered": true}
{"id": "l4", "type": "leaflet", "time": "2023-04-05", "unit": "v1", "recipient": "h1", "delivered": true}
)");
    // Delivered to h1 (twice: once) and m1 of {h1, h2, m1}: 2/3. Households only, any
    // delivery: h1, h2 of {h1, h2}: 1 (m1 is not a household).
    auto r = h.at("2023-05-01");
    EXPECT_TRUE(row_is(r, "leaflets", "v1", "2023-04-01", "2023-04-30", "violated", false, "*"));
    const result_row* x = find_result(r, "leaflets", "v1", "2023-04-01");
    ASSERT_NE(x, nullptr);
    EXPECT_EQ(x->value.number, mandate::rational(2, 3));
    ASSERT_TRUE(x->evidence.coverage.has_value());
    EXPECT_EQ(x->evidence.coverage->covered, 2);
    EXPECT_EQ(x->evidence.coverage->of, 3);
    EXPECT_EQ(x->evidence.coverage->missing, (std::vector<std::string>{"h2"}));
    EXPECT_TRUE(row_is(r, "households", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "1"));
}

TEST(Aggregates, CoverageCountsEveryEntityBelowTheUnitButNotTheUnitItself) {
    harness h(april + R"(
kind org "o"
event contact "c" { who: ref org }
obligation reached "r" {
  each o: org
  during campaign
  require coverage(contact.who, org within o) >= 100%
}
)");
    // A kind with no `within` accepts any parent: o1 > o2, o3; o3 > o4.
    h.feed_ok(R"(
{"entity": "o1", "kind": "org"}
{"entity": "o2", "kind": "org", "parent": "o1"}
{"entity": "o3", "kind": "org", "parent": "o1"}
{"entity": "o4", "kind": "org", "parent": "o3"}
{"id": "c1", "type": "contact", "time": "2023-04-02", "unit": "o1", "who": "o1"}
{"id": "c2", "type": "contact", "time": "2023-04-03", "unit": "o1", "who": "o2"}
{"id": "c3", "type": "contact", "time": "2023-04-04", "unit": "o1", "who": "o4"}
)");
    // o1: the entities under it are o2, o3 and o4 (o1 itself is not one, docs/choices.md
    // item 28); o2 and o4 reached: 2/3. o3: {o4}: 1/1. o2 and o4 have nothing below: undefined.
    auto r = h.at("2023-05-01");
    const result_row* x = find_result(r, "reached", "o1", "2023-04-01");
    ASSERT_NE(x, nullptr);
    EXPECT_EQ(x->value.number, mandate::rational(2, 3));
    EXPECT_EQ(x->status, status::violated);
    EXPECT_TRUE(row_is(r, "reached", "o3", "2023-04-01", "2023-04-30", "satisfied", true, "1"));
    EXPECT_TRUE(row_is(r, "reached", "o2", "2023-04-01", "2023-04-30", "violated", false, "null"));
    EXPECT_EQ(reason_of(r, "reached", "o2", "2023-04-01"), "no data");
}

TEST(Aggregates, EvidenceListsTheCountedEventsInDateOrderUpToTheLimit) {
    const std::string text = april + R"(
kind village "v"
event activity "a" {}
obligation many "m" {
  each v: village
  during campaign
  require count(activity of v) >= 30
}
)";
    std::string records = R"({"entity": "v1", "kind": "village"})";
    // 25 events e00..e24, dated 04-25 down to 04-01 (e00 is the latest).
    for (int i = 0; i < 25; ++i) {
        char line[160];
        std::snprintf(line, sizeof line, "\n{\"id\": \"e%02d\", \"type\": \"activity\", \"time\": \"2023-04-%02d\", \"unit\": \"v1\"}",
                      i, 25 - i);
        records += line;
    }
    harness h(text);
    h.feed_ok(records);
    auto r = h.at("2023-05-01");
    const result_row* x = find_result(r, "many", "v1", "2023-04-01");
    ASSERT_NE(x, nullptr);
    EXPECT_EQ(x->value.to_string(), "25");
    EXPECT_EQ(x->evidence.event_count, 25u);
    // The first 20 in date order: 04-01 (e24) .. 04-20 (e05).
    ASSERT_EQ(x->evidence.events.size(), 20u);
    EXPECT_EQ(x->evidence.events.front(), "e24");
    EXPECT_EQ(x->evidence.events.back(), "e05");
    EXPECT_EQ(measure(x->evidence, "count"), "25");
    // evidence off: no lists, same verdict.
    mandate::engine_options quiet;
    quiet.evidence = false;
    harness q(text, quiet);
    q.feed_ok(records);
    r = q.at("2023-05-01");
    EXPECT_TRUE(row_is(r, "many", "v1", "2023-04-01", "2023-04-30", "violated", false, "25"));
    x = find_result(r, "many", "v1", "2023-04-01");
    ASSERT_NE(x, nullptr);
    EXPECT_TRUE(x->evidence.events.empty());
}

// A town t1 with a village v1; monthly activity (own only) April..June, and a one-bucket
// obligation (own reports only) ending 06-30.
const std::string violations_base = R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-06-30
kind town "t"
kind village "v" within town
event activity "a" {}
event report_filed "r" {}
obligation monthly "m" {
  each u: town | village
  during campaign
  every month
  require count(activity of u where unit == u) >= 1
}
obligation quarterly_report "q" {
  each u: town | village
  during campaign
  require count(report_filed of u where unit == u) >= 1
}
)";

const char* violations_records = R"(
{"entity": "t1", "kind": "town"}
{"entity": "v1", "kind": "village", "parent": "t1"}
{"id": "a1", "type": "activity", "time": "2023-04-05", "unit": "t1"}
{"id": "a2", "type": "activity", "time": "2023-04-05", "unit": "v1"}
{"id": "a3", "type": "activity", "time": "2023-06-05", "unit": "v1"}
{"id": "r1", "type": "report_filed", "time": "2023-06-20", "unit": "v1"}
)";

TEST(Aggregates, ViolationsNamedCountsTheUnitsOwnBucketsEndingInside) {
    harness h(violations_base + R"(
obligation viol_monthly "vm" {
  each u: town | village
  during campaign
  every month
  require violations(monthly, quarterly_report of u) == 0
}
obligation viol_total "vt" {
  each u: town | village
  during campaign
  require violations(monthly of u) <= 1
}
)");
    h.feed_ok(violations_records);
    // monthly: t1 violates May and June; v1 violates May. quarterly_report: t1 violated, v1
    // satisfied (r1). A bucket counts in the bucket its end falls in: quarterly_report
    // (ends 06-30) only in June.
    auto r = h.at("2023-07-01");
    EXPECT_TRUE(row_is(r, "viol_monthly", "t1", "2023-04-01", "2023-04-30", "satisfied", true, "0"));
    EXPECT_TRUE(row_is(r, "viol_monthly", "t1", "2023-05-01", "2023-05-31", "violated", false, "1"));
    EXPECT_TRUE(row_is(r, "viol_monthly", "t1", "2023-06-01", "2023-06-30", "violated", false, "2"));
    EXPECT_TRUE(row_is(r, "viol_monthly", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "0"));
    EXPECT_TRUE(row_is(r, "viol_monthly", "v1", "2023-05-01", "2023-05-31", "violated", false, "1"));
    EXPECT_TRUE(row_is(r, "viol_monthly", "v1", "2023-06-01", "2023-06-30", "satisfied", true, "0"));
    // t1: its own May and June = 2 (v1's May violation is not t1's): 2 > 1.
    EXPECT_TRUE(row_is(r, "viol_total", "t1", "2023-04-01", "2023-06-30", "violated", false, "2"));
    EXPECT_TRUE(row_is(r, "viol_total", "v1", "2023-04-01", "2023-06-30", "satisfied", true, "1"));
    // As of 06-15: May is closed (violated) for both; June is still open, and so is the
    // quarterly bucket: t1 June counts nothing yet. violations waits for the close: pending.
    r = h.at("2023-06-15");
    EXPECT_TRUE(row_is(r, "viol_monthly", "t1", "2023-06-01", "2023-06-30", "pending", true, "0"));
    EXPECT_TRUE(row_is(r, "viol_total", "t1", "2023-04-01", "2023-06-30", "pending", true, "1"));
}

TEST(Aggregates, ViolationsUnnamedReadsEveryObligationOfTheUnitItself) {
    harness h(violations_base + R"(
outcome flagged "f" {
  each u: town | village
  during campaign
  every month
  when violations(of u) >= 2
}
)");
    h.feed_ok(violations_records);
    // t1: April 0; May 1 (monthly; v1's May violation is not counted for t1); June 2 (monthly
    // and quarterly_report, both ending in June). v1: May 1, June 0 (quarterly satisfied).
    auto r = h.at("2023-07-01");
    EXPECT_TRUE(outcome_is(r, "flagged", "t1", "2023-04-01", "2023-04-30", false, true));
    EXPECT_TRUE(outcome_is(r, "flagged", "t1", "2023-05-01", "2023-05-31", false, true));
    EXPECT_TRUE(outcome_is(r, "flagged", "t1", "2023-06-01", "2023-06-30", true, true));
    EXPECT_TRUE(outcome_is(r, "flagged", "v1", "2023-04-01", "2023-04-30", false, true));
    EXPECT_TRUE(outcome_is(r, "flagged", "v1", "2023-05-01", "2023-05-31", false, true));
    EXPECT_TRUE(outcome_is(r, "flagged", "v1", "2023-06-01", "2023-06-30", false, true));
    const outcome_row* o = find_outcome(r, "flagged", "t1", "2023-06-01");
    ASSERT_NE(o, nullptr);
    EXPECT_EQ(measure(o->evidence, "violations"), "2");
    o = find_outcome(r, "flagged", "t1", "2023-05-01");
    ASSERT_NE(o, nullptr);
    EXPECT_EQ(measure(o->evidence, "violations"), "1");
}

TEST(Aggregates, FiredTellsWhetherTheOutcomeFiredInsideTheBucket) {
    harness h(R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-06-30
kind village "v"
event fraud_case "f" {}
outcome bad_month "b" {
  each v: village
  during campaign
  every month
  when count(fraud_case of v) >= 1
}
outcome warned "w" {
  each v: village
  during campaign
  when fired(bad_month of v)
}
outcome warned_may "wm" {
  each v: village
  from 2023-04-01 to 2023-05-15
  when fired(bad_month of v)
}
)");
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"entity": "v2", "kind": "village"}
{"entity": "v3", "kind": "village"}
{"id": "f1", "type": "fraud_case", "time": "2023-05-10", "unit": "v1"}
{"id": "f2", "type": "fraud_case", "time": "2023-04-10", "unit": "v3"}
)");
    auto r = h.at("2023-07-01");
    EXPECT_TRUE(outcome_is(r, "bad_month", "v1", "2023-05-01", "2023-05-31", true, true));
    EXPECT_TRUE(outcome_is(r, "bad_month", "v1", "2023-04-01", "2023-04-30", false, true));
    EXPECT_TRUE(outcome_is(r, "warned", "v1", "2023-04-01", "2023-06-30", true, true));
    EXPECT_TRUE(outcome_is(r, "warned", "v2", "2023-04-01", "2023-06-30", false, true));
    // warned_may runs 04-01..05-15: only the April bad_month bucket ends inside it, so v1's
    // May case (its bucket ends 05-31) does not count; v3's April case does.
    EXPECT_TRUE(outcome_is(r, "warned_may", "v1", "2023-04-01", "2023-05-15", false, true));
    EXPECT_TRUE(outcome_is(r, "warned_may", "v3", "2023-04-01", "2023-05-15", true, true));
}

TEST(Aggregates, ArithmeticIsExactFractions) {
    harness h(april + R"(
kind village "v"
event a "a" {}
event b "b" {}
event c "c" {}
event p "p" { x: number }
obligation thirds "t" {
  each v: village
  during campaign
  require count(a of v) / 3 + count(b of v) / 3 + count(c of v) / 3 == 1
}
obligation mixed "m" {
  each v: village
  during campaign
  require (count(a of v) + 2) * 3 - count(b of v) / 4 == 8.75
}
obligation not_quite "n" {
  each v: village
  during campaign
  require sum(p.x of v) * 3 < 1
}
)");
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"id": "a1", "type": "a", "time": "2023-04-02", "unit": "v1"}
{"id": "b1", "type": "b", "time": "2023-04-02", "unit": "v1"}
{"id": "c1", "type": "c", "time": "2023-04-02", "unit": "v1"}
{"id": "p1", "type": "p", "time": "2023-04-02", "unit": "v1", "x": 0.333333}
)");
    auto r = h.at("2023-05-01");
    // 1/3 + 1/3 + 1/3 is exactly 1.
    EXPECT_TRUE(row_is(r, "thirds", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "1"));
    // (1 + 2) * 3 - 1/4 = 8.75.
    EXPECT_TRUE(row_is(r, "mixed", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "8.75"));
    // 0.333333 * 3 = 0.999999 < 1.
    EXPECT_TRUE(row_is(r, "not_quite", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "0.999999"));
    const result_row* x = find_result(r, "thirds", "v1", "2023-04-01");
    ASSERT_NE(x, nullptr);
    EXPECT_EQ(x->value.number, mandate::rational(1));
}

TEST(Aggregates, DivisionByZeroIsUndefinedWithNoData) {
    harness h(april + R"(
kind village "v"
event inspection "i" { passed: bool }
event activity "a" {}
obligation pass_rate "r" {
  each v: village
  during campaign
  require count(inspection of v where passed) / count(inspection of v) >= 70%
}
obligation both "b" {
  each v: village
  during campaign
  require count(activity of v) >= 1 and count(inspection of v where passed) / count(inspection of v) >= 70%
}
)");
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"entity": "v2", "kind": "village"}
{"id": "a1", "type": "activity", "time": "2023-04-02", "unit": "v1"}
{"id": "i1", "type": "inspection", "time": "2023-04-03", "unit": "v2", "passed": true}
{"id": "i2", "type": "inspection", "time": "2023-04-04", "unit": "v2", "passed": false}
{"id": "a2", "type": "activity", "time": "2023-04-02", "unit": "v2"}
)");
    auto r = h.at("2023-04-10");
    // v1: 0/0 undefined: value null, "no data" (also while pending), unmet.
    EXPECT_TRUE(row_is(r, "pass_rate", "v1", "2023-04-01", "2023-04-30", "pending", false, "null"));
    EXPECT_EQ(reason_of(r, "pass_rate", "v1", "2023-04-01"), "no data");
    r = h.at("2023-05-01");
    EXPECT_TRUE(row_is(r, "pass_rate", "v1", "2023-04-01", "2023-04-30", "violated", false, "null"));
    EXPECT_EQ(reason_of(r, "pass_rate", "v1", "2023-04-01"), "no data");
    // v2: 1/2 = 0.5 < 70%: violated, defined, no reason; ratio evidence 1 over 2.
    EXPECT_TRUE(row_is(r, "pass_rate", "v2", "2023-04-01", "2023-04-30", "violated", false, "0.5"));
    EXPECT_EQ(reason_of(r, "pass_rate", "v2", "2023-04-01"), "");
    const result_row* x = find_result(r, "pass_rate", "v2", "2023-04-01");
    ASSERT_NE(x, nullptr);
    ASSERT_TRUE(x->evidence.ratio.has_value());
    EXPECT_EQ(x->evidence.ratio->numerator.to_string(), "1");
    EXPECT_EQ(x->evidence.ratio->denominator.to_string(), "2");
    // `both` is an `and`, not one comparison: value null. For v1 the ratio part met an undefined
    // value, so "no data" (docs/choices.md item 26) although the left part holds.
    EXPECT_TRUE(row_is(r, "both", "v1", "2023-04-01", "2023-04-30", "violated", false, "null"));
    EXPECT_EQ(reason_of(r, "both", "v1", "2023-04-01"), "no data");
    EXPECT_TRUE(row_is(r, "both", "v2", "2023-04-01", "2023-04-30", "violated", false, "null"));
    EXPECT_EQ(reason_of(r, "both", "v2", "2023-04-01"), "");
}

}  // namespace
