// Records and the engine's invariants (LANGUAGE.md, "Records a host sends"; docs/choices.md
// items 13-21): duplicates, conflicts, retractions, unresolved references, entity versions,
// the accounting of every record, ignored fields, rejections and JSON Lines reading.
#include <gtest/gtest.h>

#include <sstream>

#include "eval/helpers.hpp"

namespace {

using namespace evaltest;

const std::string plan_text = R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-06-30
kind town "t"
kind village "v" within town
kind household "h" within village
event patrol "p" { hours: number, people: int }
event activity "a" { methods: set<text>, note?: text }
event visit "x" { household: ref household }
obligation patrols "pp" {
  each v: village
  during campaign
  every month
  require count(patrol of v) >= 1
}
obligation hours "hh" {
  each v: village
  during campaign
  every month
  require sum(patrol.hours of v) >= 1
}
obligation activities "aa" {
  each v: village
  during campaign
  every month
  require count(activity of v) >= 1
}
obligation town_activities "ta" {
  each t: town
  during campaign
  every month
  require count(activity of t) >= 1
}
obligation visits "xx" {
  each v: village
  during campaign
  every month
  require count(visit of v) >= 1
}
)";

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(Records, DuplicatesCountOnceWhateverTheKeyOrderNumberFormOrOffset) {
    harness h(plan_text);
    h.feed_ok(R"(
{"entity": "t1", "kind": "town"}
{"entity": "v1", "kind": "village", "parent": "t1"}
{"id": "d1", "type": "patrol", "time": "2023-04-05", "unit": "v1", "hours": 1, "people": 2}
{"people": 2.0, "unit": "v1", "hours": 1.0, "time": "2023-04-05", "type": "patrol", "id": "d1"}
{"id": "d2", "type": "patrol", "time": "2023-04-05T10:00:00+08:00", "unit": "v1", "hours": 0.5, "people": 1}
{"id": "d2", "type": "patrol", "time": "2023-04-05T02:00:00Z", "unit": "v1", "hours": 0.50, "people": 1}
{"id": "d3", "type": "activity", "time": "2023-04-06", "unit": "v1", "methods": ["banner", "desk"]}
{"id": "d3", "type": "activity", "time": "2023-04-06", "unit": "v1", "methods": ["desk", "banner", "desk"]}
{"id": "d1", "type": "patrol", "time": "2023-04-05", "unit": "v1", "hours": 1, "people": 2, "colour": "red"}
)");
    auto r = h.at("2023-04-10");
    // Three events, each counted once: d1 + d2 patrols (1 + 0.5 hours), d3 one activity.
    EXPECT_TRUE(row_is(r, "patrols", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "2"));
    EXPECT_TRUE(row_is(r, "hours", "v1", "2023-04-01", "2023-04-30", "pending", true, "1.5"));
    EXPECT_TRUE(row_is(r, "activities", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "1"));
    // 9 records: 2 entities, 3 applied, 4 duplicates (the copy with an undeclared field too:
    // docs/choices.md item 16).
    EXPECT_EQ(r.inputs.read, 9u);
    EXPECT_EQ(r.inputs.entities, 2u);
    EXPECT_EQ(r.inputs.applied, 3u);
    EXPECT_EQ(r.inputs.duplicates, 4u);
    EXPECT_EQ(r.inputs.rejected, 0u);
}

TEST(Records, ConflictingIdsAreAllRejectedInEitherOrder) {
    const char* first = R"({"id": "c1", "type": "patrol", "time": "2023-04-05", "unit": "v1", "hours": 1, "people": 2})";
    const char* second = R"({"id": "c1", "type": "patrol", "time": "2023-04-05", "unit": "v1", "hours": 2, "people": 2})";
    for (int order = 0; order < 2; ++order) {
        SCOPED_TRACE(order == 0 ? "first, second" : "second, first");
        harness h(plan_text);
        h.feed_ok(R"(
{"entity": "t1", "kind": "town"}
{"entity": "v1", "kind": "village", "parent": "t1"})");
        h.add(order == 0 ? first : second);
        h.add(order == 0 ? second : first);
        auto r = h.at("2023-04-10");
        EXPECT_TRUE(row_is(r, "patrols", "v1", "2023-04-01", "2023-04-30", "pending", false, "0"));
        EXPECT_EQ(r.inputs.read, 4u);
        EXPECT_EQ(r.inputs.rejected, 2u);
        EXPECT_EQ(r.inputs.applied, 0u);
        ASSERT_EQ(r.rejected.size(), 2u);
        EXPECT_EQ(r.rejected[0].line, 3u);
        EXPECT_EQ(r.rejected[1].line, 4u);
        EXPECT_EQ(r.rejected[0].source, "test");
    }
    // A third copy equal to the first is in conflict too: all three rejected.
    harness h(plan_text);
    h.feed_ok(R"(
{"entity": "t1", "kind": "town"}
{"entity": "v1", "kind": "village", "parent": "t1"})");
    h.add(first);
    h.add(second);
    h.add(first);
    auto r = h.at("2023-04-10");
    EXPECT_EQ(r.inputs.rejected, 3u);
    EXPECT_EQ(r.inputs.duplicates, 0u);
    EXPECT_EQ(r.inputs.applied, 0u);
}

TEST(Records, RetractionsBeforeAndAfterTheEventAndOfUnknownIds) {
    harness h(plan_text);
    h.feed_ok(R"(
{"entity": "t1", "kind": "town"}
{"entity": "v1", "kind": "village", "parent": "t1"}
{"retract": "r1"}
{"id": "r1", "type": "patrol", "time": "2023-04-05", "unit": "v1", "hours": 1, "people": 2}
{"id": "r2", "type": "patrol", "time": "2023-04-06", "unit": "v1", "hours": 1, "people": 2}
{"retract": "r2"}
{"id": "r2", "type": "patrol", "time": "2023-04-06", "unit": "v1", "hours": 1, "people": 2}
{"retract": "nobody"}
{"id": "r3", "type": "patrol", "time": "2023-05-06", "unit": "v1", "hours": 3, "people": 2}
)");
    auto r = h.at("2023-05-10");
    // r1 and r2 never count; r3 does (May).
    EXPECT_TRUE(row_is(r, "patrols", "v1", "2023-04-01", "2023-04-30", "violated", false, "0"));
    EXPECT_TRUE(row_is(r, "patrols", "v1", "2023-05-01", "2023-05-31", "satisfied", true, "1"));
    // 9 records: 2 entities, 3 retractions, r2's second copy a duplicate (duplicate comes before
    // retracted), r1 and r2 retracted, r3 applied.
    EXPECT_EQ(r.inputs.read, 9u);
    EXPECT_EQ(r.inputs.entities, 2u);
    EXPECT_EQ(r.inputs.retractions, 3u);
    EXPECT_EQ(r.inputs.duplicates, 1u);
    EXPECT_EQ(r.inputs.retracted, 2u);
    EXPECT_EQ(r.inputs.applied, 1u);
    // The unknown id's event arriving later is retracted as well.
    EXPECT_TRUE(h.accept(R"({"id": "nobody", "type": "patrol", "time": "2023-05-07", "unit": "v1", "hours": 1, "people": 1})"));
    r = h.at("2023-05-10");
    EXPECT_TRUE(row_is(r, "patrols", "v1", "2023-05-01", "2023-05-31", "satisfied", true, "1"));
    EXPECT_EQ(r.inputs.retracted, 3u);
    EXPECT_EQ(r.inputs.read, 10u);
}

TEST(Records, AnEventWaitsForItsUnitAndAppliesWhenItArrives) {
    harness h(plan_text);
    h.feed_ok(R"(
{"entity": "t1", "kind": "town"}
{"id": "e1", "type": "patrol", "time": "2023-04-05", "unit": "v1", "hours": 1, "people": 2}
{"id": "e2", "type": "patrol", "time": "2023-04-05", "unit": "ghost", "hours": 1, "people": 2}
)");
    auto r = h.at("2023-04-10");
    EXPECT_EQ(r.inputs.unresolved, 2u);
    EXPECT_EQ(r.inputs.applied, 0u);
    EXPECT_TRUE(h.accept(R"({"entity": "v1", "kind": "village", "parent": "t1"})"));
    r = h.at("2023-04-10");
    // e1 now applies; e2's unit never arrives: still unresolved.
    EXPECT_EQ(r.inputs.unresolved, 1u);
    EXPECT_EQ(r.inputs.applied, 1u);
    EXPECT_EQ(r.inputs.entities, 2u);
    EXPECT_EQ(r.inputs.read, 4u);
    EXPECT_TRUE(row_is(r, "patrols", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "1"));
    EXPECT_EQ(spans(r, "patrols", "ghost"), "");
}

TEST(Records, ARefToAnUnregisteredEntityWaitsAndOneOfTheWrongKindIsRejected) {
    harness h(plan_text);
    h.feed_ok(R"(
{"entity": "t1", "kind": "town"}
{"entity": "v1", "kind": "village", "parent": "t1"}
{"id": "x1", "type": "visit", "time": "2023-04-05", "unit": "v1", "household": "h1"}
)");
    auto r = h.at("2023-04-10");
    EXPECT_EQ(r.inputs.unresolved, 1u);
    EXPECT_TRUE(row_is(r, "visits", "v1", "2023-04-01", "2023-04-30", "pending", false, "0"));
    EXPECT_TRUE(h.accept(R"({"entity": "h1", "kind": "household", "parent": "v1"})"));
    r = h.at("2023-04-10");
    EXPECT_EQ(r.inputs.unresolved, 0u);
    EXPECT_TRUE(row_is(r, "visits", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "1"));
    // A ref naming a registered village where a household is expected: rejected, and the
    // reason names the field.
    h.add(R"({"id": "x2", "type": "visit", "time": "2023-04-06", "unit": "v1", "household": "v1"})");
    r = h.at("2023-04-10");
    EXPECT_EQ(r.inputs.rejected, 1u);
    ASSERT_EQ(r.rejected.size(), 1u);
    EXPECT_EQ(r.rejected[0].line, 5u);
    EXPECT_TRUE(contains(r.rejected[0].reason, "household")) << r.rejected[0].reason;
    EXPECT_TRUE(row_is(r, "visits", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "1"));
    EXPECT_EQ(r.inputs.read, 5u);
}

// engine.hpp: add() says what it did with a record, and last_error() says why it was rejected.
// Where the rejection is already known when the record arrives, add() must say so.
TEST(Records, AddReturnsRejectedWhenTheRejectionIsKnownOnArrival) {
    harness h(plan_text);
    h.feed_ok(R"(
{"entity": "t1", "kind": "town"}
{"entity": "v1", "kind": "village", "parent": "t1"}
{"id": "c1", "type": "patrol", "time": "2023-04-05", "unit": "v1", "hours": 1, "people": 2}
)");
    EXPECT_EQ(h.add(R"({"id": "c1", "type": "patrol", "time": "2023-04-05", "unit": "v1", "hours": 2, "people": 2})"),
              mandate::add_status::rejected);
    EXPECT_FALSE(h.engine().last_error().empty());
    EXPECT_EQ(h.add(R"({"id": "x2", "type": "visit", "time": "2023-04-06", "unit": "v1", "household": "v1"})"),
              mandate::add_status::rejected);
    EXPECT_TRUE(contains(h.engine().last_error(), "household")) << h.engine().last_error();
    auto r = h.at("2023-04-10");
    EXPECT_EQ(r.inputs.rejected, 3u);
}

TEST(Records, RefToAnEntityRegisteredLaterWithTheWrongKindIsRejected) {
    harness h(plan_text);
    h.feed_ok(R"(
{"entity": "t1", "kind": "town"}
{"entity": "v1", "kind": "village", "parent": "t1"}
{"id": "x1", "type": "visit", "time": "2023-04-05", "unit": "v1", "household": "t2"}
)");
    // t2 turns out to be a town: the held event is rejected (docs/choices.md item 18).
    EXPECT_TRUE(h.accept(R"({"entity": "t2", "kind": "town"})"));
    auto r = h.at("2023-04-10");
    EXPECT_EQ(r.inputs.rejected, 1u);
    EXPECT_EQ(r.inputs.unresolved, 0u);
    EXPECT_EQ(r.inputs.entities, 3u);
    EXPECT_TRUE(row_is(r, "visits", "v1", "2023-04-01", "2023-04-30", "pending", false, "0"));
}

TEST(Records, EntityVersionsTheHighestAgreeingVersionStands) {
    harness h(plan_text);
    // Sent highest first: version 1 adds an `until`; the two version-2 records disagree.
    h.add(R"({"entity": "t1", "kind": "town"})");
    h.add(R"({"entity": "v1", "kind": "village", "parent": "t1", "version": 1, "until": "2023-05-01"})");
    h.add(R"({"entity": "v1", "kind": "village", "parent": "t1", "version": 2, "until": "2023-04-15"})");
    h.add(R"({"entity": "v1", "kind": "village", "parent": "t1", "version": 2, "until": "2023-04-20"})");
    h.add(R"({"entity": "v1", "kind": "village", "parent": "t1"})");
    auto r = h.at("2023-07-01");
    // Version 1 stands: v1 is active until 04-30, so it has an April bucket only (a May
    // instance needs until > 05-01).
    EXPECT_EQ(spans(r, "patrols", "v1"), "2023-04-01..2023-04-30");
    EXPECT_EQ(r.inputs.read, 5u);
    EXPECT_EQ(r.inputs.rejected, 2u);
    EXPECT_EQ(r.inputs.entities, 3u);
    // A higher version without `until` replaces version 1: active again all along.
    EXPECT_TRUE(h.accept(R"({"entity": "v1", "kind": "village", "parent": "t1", "version": 3})"));
    r = h.at("2023-07-01");
    EXPECT_EQ(spans(r, "patrols", "v1"), "2023-04-01..2023-04-30 2023-05-01..2023-05-31 2023-06-01..2023-06-30");
}

TEST(Records, AnEntityWhoseParentArrivesLater) {
    harness h(plan_text);
    h.feed_ok(R"(
{"entity": "v1", "kind": "village", "parent": "t1"}
{"id": "a1", "type": "activity", "time": "2023-04-05", "unit": "v1", "methods": []}
)");
    auto r = h.at("2023-04-10");
    EXPECT_EQ(r.inputs.entities, 1u);
    EXPECT_EQ(r.inputs.unresolved, 1u);
    EXPECT_TRUE(h.accept(R"({"entity": "t1", "kind": "town"})"));
    r = h.at("2023-04-10");
    EXPECT_EQ(r.inputs.entities, 2u);
    EXPECT_EQ(r.inputs.applied, 1u);
    EXPECT_EQ(r.inputs.unresolved, 0u);
    // a1 counts for v1 and, through `of t`, for its town.
    EXPECT_TRUE(row_is(r, "activities", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "1"));
    EXPECT_TRUE(row_is(r, "town_activities", "t1", "2023-04-01", "2023-04-30", "satisfied", true, "1"));
    // A village whose parent is a household (village is within town only): rejected.
    EXPECT_TRUE(h.accept(R"({"entity": "h1", "kind": "household", "parent": "v1"})"));
    h.add(R"({"entity": "v9", "kind": "village", "parent": "h1"})");
    r = h.at("2023-04-10");
    EXPECT_EQ(r.inputs.rejected, 1u);
    EXPECT_EQ(spans(r, "patrols", "v9"), "");
}

TEST(Records, AnEntityWhoseOnlyVersionConflictsIsNotRegistered) {
    harness h(plan_text);
    h.feed_ok(R"(
{"entity": "t1", "kind": "town"}
{"entity": "v1", "kind": "village", "parent": "t1", "since": "2023-01-01"}
)");
    // The disagreement is known as the second version-0 record arrives: add() says so.
    EXPECT_FALSE(h.accept(R"({"entity": "v1", "kind": "village", "parent": "t1", "since": "2023-02-01"})"));
    h.feed_ok(R"(
{"id": "p1", "type": "patrol", "time": "2023-04-05", "unit": "v1", "hours": 1, "people": 1}
)");
    // Both version-0 records are rejected and there is no lower version: v1 is not
    // registered, so p1 waits as unresolved and v1 has no buckets.
    auto r = h.at("2023-04-10");
    EXPECT_EQ(r.inputs.rejected, 2u);
    EXPECT_EQ(r.inputs.entities, 1u);
    EXPECT_EQ(r.inputs.unresolved, 1u);
    EXPECT_EQ(spans(r, "patrols", "v1"), "");
}

TEST(Records, AParentCycleStaysUnresolved) {
    harness h(R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-04-30
kind org "o"
event meeting "m" {}
obligation meets "m" {
  each o: org
  during campaign
  require count(meeting of o) >= 1
}
)");
    // A kind with no `within` accepts any parent; o1 and o2 name each other.
    h.feed_ok(R"(
{"entity": "o1", "kind": "org", "parent": "o2"}
{"entity": "o2", "kind": "org", "parent": "o1"}
{"entity": "o3", "kind": "org", "parent": "o4"}
{"entity": "o4", "kind": "org"}
{"id": "m1", "type": "meeting", "time": "2023-04-05", "unit": "o1"}
{"id": "m3", "type": "meeting", "time": "2023-04-05", "unit": "o3"}
)");
    auto r = h.at("2023-05-01");
    EXPECT_EQ(r.inputs.entities, 4u);
    EXPECT_EQ(r.inputs.unresolved, 1u);
    EXPECT_EQ(r.inputs.applied, 1u);
    EXPECT_EQ(spans(r, "meets", "o1"), "");
    // o3 lies under o4 (any parent allowed): m3 counts for both.
    EXPECT_TRUE(row_is(r, "meets", "o3", "2023-04-01", "2023-04-30", "satisfied", true, "1"));
    EXPECT_TRUE(row_is(r, "meets", "o4", "2023-04-01", "2023-04-30", "satisfied", true, "1"));
}

TEST(Records, NumberFormsNullsAndMagnitudes) {
    harness h(plan_text);
    h.feed_ok(R"(
{"entity": "t1", "kind": "town"}
{"entity": "v1", "kind": "village", "parent": "t1"}
{"id": "n1", "type": "patrol", "time": "2023-04-05", "unit": "v1", "hours": 1e-1, "people": 1.0}
{"id": "n2", "type": "patrol", "time": "2023-04-06", "unit": "v1", "hours": 2.5e1, "people": 1e2}
{"id": "n3", "type": "activity", "time": "2023-04-06", "unit": "v1", "methods": [], "note": null}
)");
    // int accepts integral values (1.0 = 1, 1e2 = 100); exponents are read exactly; null for
    // an optional field is absent (docs/choices.md items 13, 14).
    auto r = h.at("2023-05-01");
    EXPECT_TRUE(row_is(r, "hours", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "25.1"));
    EXPECT_EQ(r.inputs.applied, 3u);
    // Magnitudes above 9e12 are rejected (docs/choices.md item 13).
    EXPECT_EQ(h.add(R"({"id": "n4", "type": "patrol", "time": "2023-04-06", "unit": "v1", "hours": 9000000000001, "people": 1})"),
              mandate::add_status::rejected);
    EXPECT_TRUE(h.accept(R"({"id": "n5", "type": "patrol", "time": "2023-04-07", "unit": "v1", "hours": 9000000000000, "people": 1})"));
    r = h.at("2023-05-01");
    EXPECT_EQ(r.inputs.rejected, 1u);
    EXPECT_TRUE(row_is(r, "hours", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "9000000000025.1"));
}

// A number field holds millionths in 64 bits, at most 9·10^12 either way with 6 fractional
// digits (io::number_scale, io::max_scaled_number); an int field -(2^63 - 1) .. 2^63 - 1. A
// number past that says so with the range, one with too fine a fraction says that, whatever
// its digits or exponent; and a zero or a whole number is read exactly however it is written.
TEST(Records, NumbersBeyondWhatAFieldHoldsSayWhich) {
    harness h(plan_text);
    h.feed_ok(R"(
{"entity": "t1", "kind": "town"}
{"entity": "v1", "kind": "village", "parent": "t1"}
)");
    const std::string number_range = "is out of range: a number field holds -9000000000000 to 9000000000000";
    const std::string int_range = "is out of range: an int field holds -9223372036854775807 to 9223372036854775807";
    struct bad {
        const char* hours;
        const char* people;
        std::string reason;
    };
    const std::string forty_digits = "1234567890123456789012345678901234567890";
    const bad cases[] = {
        {"1e300", "1", "field 'hours' " + number_range},
        {"-1e300", "1", "field 'hours' " + number_range},
        {"1e999999999999999999999", "1", "field 'hours' " + number_range},
        {"9000000000000.000001", "1", "field 'hours' " + number_range},
        {"9.000000000001e12", "1", "field 'hours' " + number_range},
        {"1e-400", "1", "field 'hours' has more than 6 fractional digits"},
        {"-1e-999999999999999999999", "1", "field 'hours' has more than 6 fractional digits"},
        {"1.0000001", "1", "field 'hours' has more than 6 fractional digits"},
        {"12345678901234567890123456789012345678901234567890e-45", "1", "field 'hours' has more than 6 fractional digits"},
        {"1", "1e300", "field 'people' " + int_range},
        {"1", "9223372036854775808", "field 'people' " + int_range},
        {"1", "-9223372036854775808", "field 'people' " + int_range},
        {"1", "1e19", "field 'people' " + int_range},
        {"1", forty_digits.c_str(), "field 'people' " + int_range},
        {"1", "1e-400", "field 'people' must be a whole number"},
        {"1", "1.5", "field 'people' must be a whole number"},
    };
    int n = 0;
    for (const auto& c : cases) {
        const std::string json = R"({"id": "b)" + std::to_string(++n) + R"(", "type": "patrol", "time": "2023-04-05", "unit": "v1", "hours": )" +
                                 c.hours + R"(, "people": )" + c.people + "}";
        EXPECT_EQ(h.add(json), mandate::add_status::rejected) << json;
        EXPECT_EQ(h.engine().last_error(), c.reason) << json;
    }
    // At the edges, and written with many digits or a large exponent, yet in range: exact.
    const std::string zeros(60, '0');
    EXPECT_TRUE(h.accept(R"({"id": "g1", "type": "patrol", "time": "2023-04-06", "unit": "v1", "hours": 0e400, "people": -0.0e-400})"));
    EXPECT_TRUE(h.accept(R"({"id": "g2", "type": "patrol", "time": "2023-04-06", "unit": "v1", "hours": 1.)" + zeros +
                         R"(, "people": 9223372036854775807})"));
    EXPECT_TRUE(h.accept(R"({"id": "g3", "type": "patrol", "time": "2023-05-06", "unit": "v1", "hours": 0.)" + zeros +
                         R"(1e55, "people": -9.223372036854775807e18})"));
    EXPECT_TRUE(h.accept(R"({"id": "g4", "type": "patrol", "time": "2023-06-06", "unit": "v1", "hours": 9e12, "people": 1)" +
                         zeros + "e-60}"));
    EXPECT_TRUE(h.accept(R"({"id": "g5", "type": "patrol", "time": "2023-06-07", "unit": "v1", "hours": -8999999999999.999999, "people": 1})"));
    auto r = h.at("2023-06-10");
    EXPECT_EQ(r.inputs.rejected, sizeof cases / sizeof cases[0]);
    EXPECT_EQ(r.inputs.applied, 5u);
    // April: 0 + 1; May: 0.(60 zeros)1 × 10^55 = 10^-61 × 10^55 = 0.000001; June: 9e12 -
    // 8999999999999.999999 = 0.000001.
    EXPECT_TRUE(row_is(r, "hours", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "1"));
    EXPECT_TRUE(row_is(r, "hours", "v1", "2023-05-01", "2023-05-31", "violated", false, "0.000001"));
    EXPECT_TRUE(row_is(r, "hours", "v1", "2023-06-01", "2023-06-30", "pending", false, "0.000001"));
}

// A key given twice in any object of a record rejects the record, naming the key (and the field
// it is inside, when not at the top level): JSON readers disagree on which value counts (the
// first here until now, the last in Python's json), so a host and the command line could read
// one file differently. Keys are compared unescaped.
TEST(Records, ADuplicateKeyInAnyObjectOfARecordRejectsIt) {
    harness h(plan_text);
    h.feed_ok(R"(
{"entity": "t1", "kind": "town"}
{"entity": "v1", "kind": "village", "parent": "t1"}
)");
    const std::string patrol = R"({"id": "d1", "type": "patrol", "time": "2023-04-05", "unit": "v1", "hours": 1, "people": 1)";
    std::string many_keys = patrol, distinct_keys = patrol;
    for (int k = 0; k < 1000; ++k) {
        many_keys += ", \"k" + std::to_string(k) + "\": " + std::to_string(k);
        distinct_keys += ", \"k" + std::to_string(k) + "\": " + std::to_string(k);
    }
    many_keys += R"(, "k900": 0, "k100": 0})";
    distinct_keys = R"({"id": "d2")" + distinct_keys.substr(std::string(R"({"id": "d1")").size()) + "}";
    struct bad {
        std::string json, reason;
    };
    const bad cases[] = {
        {patrol + R"(, "hours": 2})", "duplicate key 'hours'"},
        {patrol + R"(, "hours": 1})", "duplicate key 'hours'"},  // the same value twice too
        {patrol + R"(, "id": "d9"})", "duplicate key 'id'"},
        {patrol + R"(, "colour": "red", "colour": "red"})", "duplicate key 'colour'"},  // an ignored field
        {patrol + R"(, "h\u006furs": 2})", "duplicate key 'hours'"},                     // spelled with an escape
        {patrol + R"(, "b": 1, "a": 1, "b": 2, "a": 2})", "duplicate key 'b'"},         // the first repeated
        {R"({"entity": "v2", "kind": "village", "parent": "t1", "parent": "v1"})", "duplicate key 'parent'"},
        {R"({"retract": "d1", "retract": "d2"})", "duplicate key 'retract'"},
        {patrol + R"(, "meta": {"a": 1, "b": {"c": 1, "c": 2}}})", "duplicate key 'c' in field 'meta'"},
        {patrol + R"(, "meta": [{"a": 1}, {"a": 1, "a": 1}]})", "duplicate key 'a' in field 'meta'"},
        {many_keys, "duplicate key 'k900'"},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(h.add(c.json), mandate::add_status::rejected) << c.json.substr(0, 200);
        EXPECT_EQ(h.engine().last_error(), c.reason) << c.json.substr(0, 200);
    }
    // One key in each of several objects, however alike, is no duplicate; nor are 1000 keys.
    EXPECT_TRUE(h.accept(R"({"id": "d3", "type": "patrol", "time": "2023-04-05", "unit": "v1", "hours": 1, "people": 1, )"
                         R"("meta": [{"a": 1}, {"a": 2}, {"a": {"a": {"a": 3}}}], "a": 4})"));
    EXPECT_TRUE(h.accept(distinct_keys));
    auto r = h.at("2023-04-10");
    const std::size_t n = sizeof cases / sizeof cases[0];
    EXPECT_EQ(r.inputs.rejected, n);
    EXPECT_EQ(r.inputs.applied, 2u);
    EXPECT_EQ(r.inputs.read, 2 + n + 2);
    ASSERT_EQ(r.rejected.size(), n);
    for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(r.rejected[i].reason, cases[i].reason);
}

// Fields the record's kind or event type reads may nest lists and objects at most 32 levels
// (io::max_json_depth); any other field as deep as the record's size allows. A deep field is
// walked without recursion, so no depth can overflow the stack, and it is still checked: valid
// JSON, no key twice.
TEST(Records, OnlyFieldsThatAreReadAreBoundInNesting) {
    harness h(plan_text);
    h.feed_ok(R"(
{"entity": "t1", "kind": "town"}
{"entity": "v1", "kind": "village", "parent": "t1"}
)");
    auto lists = [](std::size_t n, const std::string& inside) { return std::string(n, '[') + inside + std::string(n, ']'); };
    auto objects = [](std::size_t n, const std::string& inside) {
        std::string s;
        for (std::size_t i = 0; i < n; ++i) s += R"({"a": )";
        return s + inside + std::string(n, '}');
    };
    auto patrol = [](const std::string& id, const std::string& hours, const std::string& extra) {
        return R"({"id": ")" + id + R"(", "type": "patrol", "time": "2023-04-05", "unit": "v1", "hours": )" + hours +
               R"(, "people": 1)" + extra + "}";
    };
    // (Failures show the start of a record only: these are up to 200 000 bytes.)
    auto accept = [&](const std::string& json) -> ::testing::AssertionResult {
        if (h.add(json) == mandate::add_status::accepted) return ::testing::AssertionSuccess();
        return ::testing::AssertionFailure() << "rejected: " << json.substr(0, 120) << "...\n  because: " << h.engine().last_error();
    };
    // Accepted: fields the patrol type does not declare, 40, 100 000 and 30 000 levels deep
    // (the last two 200 000 and 180 000 bytes, inside the 256 KiB record limit).
    EXPECT_TRUE(accept(patrol("p1", "1", ", \"x\": " + lists(40, "1"))));
    EXPECT_TRUE(accept(patrol("p2", "1", ", \"x\": " + lists(100000, ""))));
    EXPECT_TRUE(accept(patrol("p3", "1", ", \"y\": " + objects(30000, "null"))));
    EXPECT_TRUE(accept(R"({"entity": "v2", "kind": "village", "parent": "t1", "extra": )" + lists(1000, "") + "}"));
    const std::string limit = " is nested too deeply (the limit is 32 levels of lists and objects)";
    struct bad {
        std::string json, reason;
    };
    const bad cases[] = {
        {patrol("b1", lists(33, "1"), ""), "field 'hours'" + limit},
        {patrol("b2", lists(100000, "1"), ""), "field 'hours'" + limit},
        {R"({"id": "b3", "type": "patrol", "time": "2023-04-05", "unit": )" + objects(33, "1") + R"(, "hours": 1, "people": 1})",
         "field 'unit'" + limit},
        {R"({"entity": "v3", "kind": "village", "parent": "t1", "name": )" + lists(40, "\"n\"") + "}", "field 'name'" + limit},
        {R"({"retract": )" + lists(33, "") + "}", "field 'retract'" + limit},
        // 32 levels are within the limit: the value is then of the wrong kind.
        {patrol("b6", lists(32, "1"), ""), "field 'hours' must be a number"},
        {patrol("b7", "1", ", \"x\": " + lists(100000, "tru")), "not valid JSON: expected true or false"},
        {patrol("b8", "1", ", \"x\": " + objects(30000, R"({"k": 1, "k": 2})")), "duplicate key 'k' in field 'x'"},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(h.add(c.json), mandate::add_status::rejected) << c.json.substr(0, 200);
        EXPECT_EQ(h.engine().last_error(), c.reason) << c.json.substr(0, 200);
    }
    auto r = h.at("2023-04-10");
    const std::size_t n = sizeof cases / sizeof cases[0];
    EXPECT_EQ(r.inputs.rejected, n);
    EXPECT_EQ(r.inputs.applied, 3u);
    EXPECT_EQ(r.inputs.entities, 3u);
    EXPECT_EQ(r.inputs.read, 2 + 4 + n);
    // The entity record's undeclared key is listed too, under its kind (LANGUAGE-v2.md section 1).
    ASSERT_EQ(r.ignored_fields.size(), 3u);
    EXPECT_EQ(r.ignored_fields[0].field, "x");
    EXPECT_EQ(r.ignored_fields[0].records, 2u);
    EXPECT_EQ(r.ignored_fields[1].field, "y");
    EXPECT_EQ(r.ignored_fields[1].records, 1u);
    EXPECT_EQ(r.ignored_fields[2].type, "village");
    EXPECT_TRUE(r.ignored_fields[2].kind);
    EXPECT_EQ(r.ignored_fields[2].field, "extra");
    EXPECT_EQ(r.ignored_fields[2].records, 1u);
}

TEST(Records, EveryCopyOfAWrongKindRefIsRejected) {
    harness h(plan_text);
    h.feed_ok(R"(
{"entity": "t1", "kind": "town"}
{"entity": "v1", "kind": "village", "parent": "t1"}
)");
    const char* bad = R"({"id": "x1", "type": "visit", "time": "2023-04-06", "unit": "v1", "household": "t1"})";
    h.add(bad);
    h.add(bad);
    // docs/choices.md item 18: rejected, every copy of its id (rejected comes before duplicate).
    auto r = h.at("2023-04-10");
    EXPECT_EQ(r.inputs.rejected, 2u);
    EXPECT_EQ(r.inputs.duplicates, 0u);
    EXPECT_EQ(r.inputs.read, 4u);
}

TEST(Records, ARecordRejectedForItsOwnContentDoesNotPutItsIdInConflict) {
    harness h(plan_text);
    h.feed_ok(R"(
{"entity": "t1", "kind": "town"}
{"entity": "v1", "kind": "village", "parent": "t1"}
{"id": "e1", "type": "patrol", "time": "2023-04-05", "unit": "v1", "hours": 2, "people": 1}
)");
    EXPECT_EQ(h.add(R"({"id": "e1", "type": "patrol", "time": "2023-04-05", "unit": "v1", "hours": "two", "people": 1})"),
              mandate::add_status::rejected);
    EXPECT_EQ(h.add(R"({"id": "e1", "type": "nonsense", "time": "2023-04-05", "unit": "v1"})"),
              mandate::add_status::rejected);
    // docs/choices.md item 17: e1 stands; the two bad records are rejected on their own.
    auto r = h.at("2023-04-10");
    EXPECT_EQ(r.inputs.applied, 1u);
    EXPECT_EQ(r.inputs.rejected, 2u);
    EXPECT_TRUE(row_is(r, "hours", "v1", "2023-04-01", "2023-04-30", "pending", true, "2"));
}

TEST(Records, AnEntityUnderAParentOfAKindNotAllowedIsRejectedWhenTheParentArrives) {
    harness h(plan_text);
    h.feed_ok(R"(
{"entity": "v9", "kind": "village", "parent": "h1"}
{"id": "p1", "type": "patrol", "time": "2023-04-05", "unit": "v9", "hours": 2, "people": 1}
)");
    auto r = h.at("2023-04-10");
    EXPECT_EQ(r.inputs.entities, 1u);
    EXPECT_EQ(r.inputs.unresolved, 1u);
    // h1 turns out to be a household: a village may only be within a town. v9's record is now
    // rejected (docs/choices.md item 19), and p1 names an entity that is not registered.
    h.feed_ok(R"(
{"entity": "t1", "kind": "town"}
{"entity": "v1", "kind": "village", "parent": "t1"}
{"entity": "h1", "kind": "household", "parent": "v1"}
)");
    r = h.at("2023-04-10");
    EXPECT_EQ(r.inputs.read, 5u);
    EXPECT_EQ(r.inputs.entities, 3u);
    EXPECT_EQ(r.inputs.rejected, 1u);
    EXPECT_EQ(r.inputs.unresolved, 1u);
    EXPECT_EQ(spans(r, "patrols", "v9"), "");
}

TEST(Records, IgnoredFieldsAreListedWithTheirRecordCounts) {
    harness h(plan_text);
    h.feed_ok(R"(
{"entity": "t1", "kind": "town"}
{"entity": "v1", "kind": "village", "parent": "t1"}
{"id": "a1", "type": "activity", "time": "2023-04-05", "unit": "v1", "methods": ["x"], "colour": "red"}
{"id": "a2", "type": "activity", "time": "2023-04-06", "unit": "v1", "methods": ["x"], "colour": "blue", "notes": "n"}
{"id": "p1", "type": "patrol", "time": "2023-04-06", "unit": "v1", "hours": 1, "people": 1, "hourz": 2}
{"id": "a3", "type": "activity", "time": "2023-04-07", "unit": "v1", "methods": ["x"], "note": "declared"}
)");
    auto r = h.at("2023-04-10");
    auto count_of = [&](const std::string& type, const std::string& field) -> long {
        for (const auto& f : r.ignored_fields)
            if (f.type == type && f.field == field) return static_cast<long>(f.records);
        return -1;
    };
    EXPECT_EQ(count_of("activity", "colour"), 2);
    EXPECT_EQ(count_of("activity", "notes"), 1);
    EXPECT_EQ(count_of("patrol", "hourz"), 1);
    EXPECT_EQ(count_of("activity", "note"), -1);  // declared (optional)
    EXPECT_EQ(r.ignored_fields.size(), 3u);
    EXPECT_EQ(r.inputs.applied, 4u);
}

TEST(Records, RejectedRecordsSayWhyAndWhere) {
    harness h(plan_text);
    h.feed_ok(R"(
{"entity": "t1", "kind": "town"}
{"entity": "v1", "kind": "village", "parent": "t1"}
)");
    struct bad {
        const char* json;
        const char* mention;
    };
    const bad cases[] = {
        {R"({"id": "b1", "type": "patrol", "time": "2023-04-05", "unit": "v1", "hours": 1)", "JSON"},
        {R"({"id": "b2", "type": "inspection", "time": "2023-04-05", "unit": "v1"})", "inspection"},
        {R"({"id": "b3", "type": "patrol", "time": "2023-04-05", "unit": "v1", "people": 1})", "'hours'"},
        {R"({"id": "b4", "type": "patrol", "time": "2023-04-05", "unit": "v1", "hours": "1", "people": 1})", "'hours'"},
        {R"({"id": "b5", "type": "patrol", "time": "2023-04-05", "unit": "v1", "hours": 0.1234567, "people": 1})", "'hours'"},
        {R"({"id": "b6", "type": "patrol", "time": "2023-04-05", "unit": "v1", "hours": 1, "people": 1.5})", "'people'"},
        {R"({"id": "b7", "type": "patrol", "time": "2023-13-05", "unit": "v1", "hours": 1, "people": 1})", "'time'"},
        {R"({"type": "patrol", "time": "2023-04-05", "unit": "v1", "hours": 1, "people": 1})", "id"},
        {R"({"id": "b9", "type": "patrol", "time": "2023-04-05", "hours": 1, "people": 1})", "'unit'"},
        {R"({"entity": "q1", "kind": "county"})", "county"},
        {R"({"id": "b11", "type": "activity", "time": "2023-04-05", "unit": "v1", "methods": "banner"})", "'methods'"},
        {R"({"id": "b12", "type": "patrol", "time": "2023-04-05", "unit": "v1", "hours": null, "people": 1})", "'hours'"},
        {R"([1, 2, 3])", "object"},
    };
    for (const auto& c : cases) EXPECT_EQ(h.add(c.json), mandate::add_status::rejected) << c.json;
    // A valid record after them is still read.
    EXPECT_TRUE(h.accept(R"({"id": "ok", "type": "patrol", "time": "2023-04-05", "unit": "v1", "hours": 0.123456, "people": 1})"));
    auto r = h.at("2023-04-10");
    const std::size_t n = sizeof cases / sizeof cases[0];
    EXPECT_EQ(r.inputs.rejected, n);
    EXPECT_EQ(r.inputs.read, n + 3);
    EXPECT_EQ(r.inputs.applied, 1u);
    ASSERT_EQ(r.rejected.size(), n);
    for (std::size_t i = 0; i < n; ++i) {
        SCOPED_TRACE(cases[i].json);
        EXPECT_EQ(r.rejected[i].source, "test");
        EXPECT_EQ(r.rejected[i].line, i + 3);
        EXPECT_TRUE(contains(r.rejected[i].reason, cases[i].mention)) << r.rejected[i].reason;
    }
    // 0.123456 has 6 fractional digits: accepted exactly.
    EXPECT_TRUE(row_is(r, "hours", "v1", "2023-04-01", "2023-04-30", "pending", false, "0.123456"));
}

TEST(Records, JsonLinesWithBlankLinesCrLfAndAnOverlongLine) {
    harness h(plan_text);
    std::string big = R"({"id": "big", "type": "activity", "time": "2023-04-05", "unit": "v1", "methods": ["x"], "note": ")";
    big += std::string(300 * 1024, 'n');
    big += R"("})";
    std::string text;
    text += "{\"entity\": \"t1\", \"kind\": \"town\"}\r\n";                                                  // line 1
    text += "\r\n";                                                                                          // line 2
    text += "\n";                                                                                            // line 3
    text += "{\"entity\": \"v1\", \"kind\": \"village\", \"parent\": \"t1\"}\r\n";                          // line 4
    text += big + "\n";                                                                                      // line 5
    text += "{\"id\": \"a1\", \"type\": \"activity\", \"time\": \"2023-04-05\", \"unit\": \"v1\", \"methods\": [\"x\"]}\r\n";  // 6
    text += "{\"id\": \"p1\", \"type\": \"patrol\", \"time\": \"2023-04-05\", \"unit\": \"v1\", \"hours\": 1.5, \"people\": 1}";  // 7
    std::istringstream in(text);
    const std::uint64_t read = h.engine().add_jsonl(in, "events.jsonl");
    // 5 records: the blank lines (also the CRLF one) are not records.
    EXPECT_EQ(read, 5u);
    auto r = h.at("2023-04-10");
    EXPECT_EQ(r.inputs.read, 5u);
    EXPECT_EQ(r.inputs.entities, 2u);
    EXPECT_EQ(r.inputs.applied, 2u);
    EXPECT_EQ(r.inputs.rejected, 1u);
    ASSERT_EQ(r.rejected.size(), 1u);
    EXPECT_EQ(r.rejected[0].source, "events.jsonl");
    EXPECT_EQ(r.rejected[0].line, 5u);
    EXPECT_TRUE(contains(r.rejected[0].reason, "limit")) << r.rejected[0].reason;
    // The CRLF line ends did not spoil the records: a1 and p1 (1.5 hours) count.
    EXPECT_TRUE(row_is(r, "activities", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "1"));
    EXPECT_TRUE(row_is(r, "hours", "v1", "2023-04-01", "2023-04-30", "pending", true, "1.5"));
}

}  // namespace

// An entity whose parent chain loops or names an entity no record registers is held out of the
// hierarchy: it stays counted (inputs.entities), has no buckets, and the report lists it with
// the reason and the ids involved (docs/report.md, "unresolved_entities"). The two villages in a
// cycle are also each within a kind they may not be within: answering add() for them once
// recursed without end.
TEST(Records, EntitiesInAParentCycleOrUnderAMissingParentAreListedWithWhy) {
    harness h(plan_text);
    h.feed_ok(R"({"entity": "t1", "kind": "town"}
{"entity": "v1", "kind": "village", "parent": "t1"}
{"entity": "cyc-b", "kind": "village", "parent": "cyc-a"}
{"entity": "cyc-a", "kind": "village", "parent": "cyc-b"}
{"entity": "self", "kind": "household", "parent": "self"}
{"entity": "h-z", "kind": "household", "parent": "h-x"}
{"entity": "h-y", "kind": "household", "parent": "h-z"}
{"entity": "h-x", "kind": "household", "parent": "h-y"}
{"entity": "h-under", "kind": "household", "parent": "cyc-a"}
{"entity": "v3", "kind": "village", "parent": "t2"}
{"entity": "v3-h1", "kind": "household", "parent": "v3"}
{"entity": "v3-h2", "kind": "household", "parent": "v3"}
{"id": "p1", "type": "patrol", "time": "2023-04-03", "unit": "v1", "hours": 2, "people": 1}
{"id": "p2", "type": "patrol", "time": "2023-04-03", "unit": "v3", "hours": 2, "people": 1})");
    const report r = h.at("2023-04-30");
    // Every entity record is counted; v3's patrol waits for v3 to resolve.
    EXPECT_EQ(r.inputs.entities, 12u);
    EXPECT_EQ(r.inputs.applied, 1u);
    EXPECT_EQ(r.inputs.unresolved, 1u);
    EXPECT_EQ(r.inputs.rejected, 0u);
    // Only v1 has buckets: the villages in the cycle and v3 have none.
    EXPECT_EQ(spans(r, "patrols", "v1"), "2023-04-01..2023-04-30");
    EXPECT_EQ(spans(r, "patrols", "cyc-a"), "");
    EXPECT_EQ(spans(r, "patrols", "v3"), "");
    struct want {
        const char* entity;
        const char* reason;
        std::vector<std::string> ids;
    };
    // By id; a cycle is listed from its least id, following parents.
    const std::vector<want> expected = {
        {"cyc-a", "parent cycle", {"cyc-a", "cyc-b"}},
        {"cyc-b", "parent cycle", {"cyc-a", "cyc-b"}},
        {"h-under", "under a parent cycle", {"cyc-a", "cyc-b"}},
        {"h-x", "parent cycle", {"h-x", "h-y", "h-z"}},
        {"h-y", "parent cycle", {"h-x", "h-y", "h-z"}},
        {"h-z", "parent cycle", {"h-x", "h-y", "h-z"}},
        {"self", "parent cycle", {"self"}},
        {"v3", "missing parent", {"t2"}},
        {"v3-h1", "under a missing parent", {"t2"}},
        {"v3-h2", "under a missing parent", {"t2"}},
    };
    ASSERT_EQ(r.unresolved_entities.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(r.unresolved_entities[i].entity, expected[i].entity);
        EXPECT_EQ(r.unresolved_entities[i].reason, expected[i].reason) << expected[i].entity;
        EXPECT_EQ(r.unresolved_entities[i].chain, expected[i].ids) << expected[i].entity;
    }
    // The parent arrives: v3 and its households resolve, its patrol applies, the list shrinks.
    h.feed_ok(R"({"entity": "t2", "kind": "town"})");
    const report mended = h.at("2023-04-30");
    EXPECT_EQ(mended.unresolved_entities.size(), 7u);
    EXPECT_EQ(mended.inputs.applied, 2u);
    EXPECT_EQ(spans(mended, "patrols", "v3"), "2023-04-01..2023-04-30");
}
