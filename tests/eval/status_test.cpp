// The status of a bucket as of a date (LANGUAGE.md, "Status of a bucket, as of a date T"):
// early verdicts for monotone and anti-monotone requirements only, closing with grace,
// at_risk with warn, exact thresholds, and which buckets are reported.
#include <gtest/gtest.h>

#include "eval/helpers.hpp"

namespace {

using namespace evaltest;

const std::string header = R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-06-30
kind village "v"
kind household "h" within village
event a "a" { tag: text }
event b "b" {}
event fraud_case "f" {}
event inspection "i" { passed: bool }
event patrol "p" { hours: number }
event visit "x" { household: ref household }
)";

std::string monthly(const std::string& name, const std::string& require, const std::string& extra = "") {
    return "obligation " + name + " \"" + name + "\" {\n  each v: village\n  during campaign\n  every month\n  require " +
           require + "\n" + extra + "}\n";
}

TEST(Status, MonotoneRequirementsAreSatisfiedEarly) {
    harness h(header + monthly("two", "count(a of v) >= 2") + monthly("more_than_one", "count(a of v) > 1") +
              monthly("tags", "distinct(a.tag of v) >= 2") + monthly("some", "any(inspection of v: passed)") +
              monthly("either", "count(b of v) >= 1 or count(a of v) >= 2") +
              monthly("both", "count(b of v) >= 1 and count(a of v) >= 2"));
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"id": "a1", "type": "a", "time": "2023-04-10", "unit": "v1", "tag": "x"}
{"id": "a2", "type": "a", "time": "2023-04-12", "unit": "v1", "tag": "y"}
{"id": "i1", "type": "inspection", "time": "2023-04-12", "unit": "v1", "passed": true}
{"id": "b1", "type": "b", "time": "2023-04-20", "unit": "v1"}
)");
    auto r = h.at("2023-04-11");
    EXPECT_TRUE(row_is(r, "two", "v1", "2023-04-01", "2023-04-30", "pending", false, "1"));
    EXPECT_TRUE(row_is(r, "more_than_one", "v1", "2023-04-01", "2023-04-30", "pending", false, "1"));
    EXPECT_TRUE(row_is(r, "tags", "v1", "2023-04-01", "2023-04-30", "pending", false, "1"));
    EXPECT_TRUE(row_is(r, "some", "v1", "2023-04-01", "2023-04-30", "pending", false, "null"));
    // On 04-12 itself the second event, the second tag and the passing inspection exist.
    r = h.at("2023-04-12");
    EXPECT_TRUE(row_is(r, "two", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "2"));
    EXPECT_TRUE(row_is(r, "more_than_one", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "2"));
    EXPECT_TRUE(row_is(r, "tags", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "2"));
    EXPECT_TRUE(row_is(r, "some", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "null"));
    // `or` of monotone parts: one holds; `and`: b1 (04-20) is still missing.
    EXPECT_TRUE(row_is(r, "either", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "null"));
    EXPECT_TRUE(row_is(r, "both", "v1", "2023-04-01", "2023-04-30", "pending", false, "null"));
    r = h.at("2023-04-20");
    EXPECT_TRUE(row_is(r, "both", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "null"));
}

TEST(Status, AntiMonotoneRequirementsAreViolatedEarly) {
    harness h(header + monthly("no_cases", "count(fraud_case of v) == 0") +
              monthly("at_most_one", "count(a of v) <= 1") + monthly("fewer_than_two", "count(a of v) < 2") +
              monthly("one_tag", "distinct(a.tag of v) < 2") + monthly("all_pass", "all(inspection of v: passed)") +
              monthly("quiet", "count(fraud_case of v) == 0 and count(a of v) <= 5"));
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"id": "a1", "type": "a", "time": "2023-04-05", "unit": "v1", "tag": "x"}
{"id": "a2", "type": "a", "time": "2023-04-12", "unit": "v1", "tag": "y"}
{"id": "i1", "type": "inspection", "time": "2023-04-05", "unit": "v1", "passed": true}
{"id": "i2", "type": "inspection", "time": "2023-04-12", "unit": "v1", "passed": false}
{"id": "f1", "type": "fraud_case", "time": "2023-04-12", "unit": "v1"}
)");
    // Until 04-11 everything holds and may still fail: pending, met.
    auto r = h.at("2023-04-11");
    EXPECT_TRUE(row_is(r, "no_cases", "v1", "2023-04-01", "2023-04-30", "pending", true, "0"));
    EXPECT_TRUE(row_is(r, "at_most_one", "v1", "2023-04-01", "2023-04-30", "pending", true, "1"));
    EXPECT_TRUE(row_is(r, "fewer_than_two", "v1", "2023-04-01", "2023-04-30", "pending", true, "1"));
    EXPECT_TRUE(row_is(r, "one_tag", "v1", "2023-04-01", "2023-04-30", "pending", true, "1"));
    EXPECT_TRUE(row_is(r, "all_pass", "v1", "2023-04-01", "2023-04-30", "pending", true, "null"));
    EXPECT_TRUE(row_is(r, "quiet", "v1", "2023-04-01", "2023-04-30", "pending", true, "null"));
    // On 04-12 the case, the second event, the second tag and the failed inspection arrive:
    // violated at once, long before the close.
    r = h.at("2023-04-12");
    EXPECT_TRUE(row_is(r, "no_cases", "v1", "2023-04-01", "2023-04-30", "violated", false, "1"));
    EXPECT_TRUE(row_is(r, "at_most_one", "v1", "2023-04-01", "2023-04-30", "violated", false, "2"));
    EXPECT_TRUE(row_is(r, "fewer_than_two", "v1", "2023-04-01", "2023-04-30", "violated", false, "2"));
    EXPECT_TRUE(row_is(r, "one_tag", "v1", "2023-04-01", "2023-04-30", "violated", false, "2"));
    EXPECT_TRUE(row_is(r, "all_pass", "v1", "2023-04-01", "2023-04-30", "violated", false, "null"));
    EXPECT_TRUE(row_is(r, "quiet", "v1", "2023-04-01", "2023-04-30", "violated", false, "null"));
    // May has nothing: anti-monotone requirements that held to the close are satisfied.
    r = h.at("2023-06-01");
    EXPECT_TRUE(row_is(r, "no_cases", "v1", "2023-05-01", "2023-05-31", "satisfied", true, "0"));
    EXPECT_TRUE(row_is(r, "all_pass", "v1", "2023-05-01", "2023-05-31", "satisfied", true, "null"));
}

TEST(Status, OtherRequirementsWaitForTheClose) {
    harness h(header + monthly("hours", "sum(patrol.hours of v) >= 8") +
              monthly("rate", "count(inspection of v where passed) / count(inspection of v) >= 50%") +
              monthly("exactly_one", "count(a of v) == 1") + monthly("not_none", "not (count(a of v) == 0)") +
              monthly("constant_left", "1 <= count(a of v)") +
              monthly("mixed", "count(a of v) >= 1 and sum(patrol.hours of v) >= 1") +
              "obligation covered \"c\" {\n  each v: village\n  during campaign\n  by 2023-04-30\n"
              "  require coverage(visit.household, household within v) >= 100%\n}\n");
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"entity": "h1", "kind": "household", "parent": "v1"}
{"id": "p1", "type": "patrol", "time": "2023-04-03", "unit": "v1", "hours": 8}
{"id": "i1", "type": "inspection", "time": "2023-04-03", "unit": "v1", "passed": true}
{"id": "a1", "type": "a", "time": "2023-04-03", "unit": "v1", "tag": "x"}
{"id": "x1", "type": "visit", "time": "2023-04-03", "unit": "v1", "household": "h1"}
)");
    // Every requirement holds on 04-10, but none is monotone in LANGUAGE.md's list (docs/choices.md
    // item 11: `not` is neither) but the constant on the left, which LANGUAGE-v2.md (section 9,
    // "in every file") reads as its mirror `count(a of v) >= 1`: satisfied.
    auto r = h.at("2023-04-10");
    EXPECT_TRUE(row_is(r, "hours", "v1", "2023-04-01", "2023-04-30", "pending", true, "8"));
    EXPECT_TRUE(row_is(r, "rate", "v1", "2023-04-01", "2023-04-30", "pending", true, "1"));
    EXPECT_TRUE(row_is(r, "exactly_one", "v1", "2023-04-01", "2023-04-30", "pending", true, "1"));
    EXPECT_TRUE(row_is(r, "not_none", "v1", "2023-04-01", "2023-04-30", "pending", true, "null"));
    EXPECT_TRUE(row_is(r, "constant_left", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "*"));
    EXPECT_TRUE(row_is(r, "mixed", "v1", "2023-04-01", "2023-04-30", "pending", true, "null"));
    EXPECT_TRUE(row_is(r, "covered", "v1", "2023-04-01", "2023-04-30", "pending", true, "1"));
    // A second `a` makes exactly_one fail, but == 1 is not anti-monotone either: still pending.
    EXPECT_TRUE(h.accept(R"({"id": "a2", "type": "a", "time": "2023-04-11", "unit": "v1", "tag": "y"})"));
    r = h.at("2023-04-11");
    EXPECT_TRUE(row_is(r, "exactly_one", "v1", "2023-04-01", "2023-04-30", "pending", false, "2"));
    r = h.at("2023-05-01");
    EXPECT_TRUE(row_is(r, "hours", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "8"));
    EXPECT_TRUE(row_is(r, "rate", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "1"));
    EXPECT_TRUE(row_is(r, "exactly_one", "v1", "2023-04-01", "2023-04-30", "violated", false, "2"));
    EXPECT_TRUE(row_is(r, "not_none", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "null"));
    EXPECT_TRUE(row_is(r, "constant_left", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "*"));
    EXPECT_TRUE(row_is(r, "mixed", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "null"));
    EXPECT_TRUE(row_is(r, "covered", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "1"));
}

TEST(Status, GraceKeepsABucketPendingThenCloses) {
    harness h(header + monthly("act", "count(a of v) >= 1", "  grace 5 days\n") +
              monthly("hours", "sum(patrol.hours of v) >= 1", "  grace 5 days\n"));
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"entity": "v2", "kind": "village"}
{"id": "p1", "type": "patrol", "time": "2023-04-20", "unit": "v1", "hours": 1.5}
)");
    // April ends 04-30; with 5 days' grace it closes when T > 05-05.
    auto r = h.at("2023-05-05");
    EXPECT_TRUE(row_is(r, "act", "v1", "2023-04-01", "2023-04-30", "pending", false, "0"));
    EXPECT_TRUE(row_is(r, "hours", "v1", "2023-04-01", "2023-04-30", "pending", true, "1.5"));
    EXPECT_TRUE(row_is(r, "hours", "v2", "2023-04-01", "2023-04-30", "pending", false, "0"));
    r = h.at("2023-05-06");
    EXPECT_TRUE(row_is(r, "act", "v1", "2023-04-01", "2023-04-30", "violated", false, "0"));
    EXPECT_TRUE(row_is(r, "hours", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "1.5"));
    EXPECT_TRUE(row_is(r, "hours", "v2", "2023-04-01", "2023-04-30", "violated", false, "0"));
    // A late record dated inside April, sent during the grace, still counts: the verdict is
    // the date's, not the arrival's.
    EXPECT_TRUE(h.accept(R"({"id": "a1", "type": "a", "time": "2023-04-29", "unit": "v2", "tag": "x"})"));
    r = h.at("2023-05-03");
    EXPECT_TRUE(row_is(r, "act", "v2", "2023-04-01", "2023-04-30", "satisfied", true, "1"));
    EXPECT_TRUE(row_is(r, "act", "v2", "2023-05-01", "2023-05-31", "pending", false, "0"));
}

TEST(Status, AtRiskWithWarn) {
    harness h(header + monthly("act", "count(a of v) >= 1", "  grace 5 days\n  warn 7 days\n") +
              monthly("hours", "sum(patrol.hours of v) >= 1", "  warn 7 days\n") +
              monthly("plain", "count(a of v) >= 1"));
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"entity": "v2", "kind": "village"}
{"id": "a1", "type": "a", "time": "2023-04-10", "unit": "v2", "tag": "x"}
{"id": "p1", "type": "patrol", "time": "2023-04-10", "unit": "v2", "hours": 2}
)");
    // e = 04-30. As of 04-22: e - T = 8 > 7: not at risk. As of 04-23: 7 <= 7: at risk.
    auto r = h.at("2023-04-22");
    EXPECT_TRUE(row_is(r, "act", "v1", "2023-04-01", "2023-04-30", "pending", false, "0", false));
    r = h.at("2023-04-23");
    EXPECT_TRUE(row_is(r, "act", "v1", "2023-04-01", "2023-04-30", "pending", false, "0", true));
    EXPECT_TRUE(row_is(r, "hours", "v1", "2023-04-01", "2023-04-30", "pending", false, "0", true));
    // Met: never at risk (v2 is satisfied for act; pending but met for hours).
    EXPECT_TRUE(row_is(r, "act", "v2", "2023-04-01", "2023-04-30", "satisfied", true, "1", false));
    EXPECT_TRUE(row_is(r, "hours", "v2", "2023-04-01", "2023-04-30", "pending", true, "2", false));
    // Without warn: never at risk.
    EXPECT_TRUE(row_is(r, "plain", "v1", "2023-04-01", "2023-04-30", "pending", false, "0", false));
    // During the grace, e - T < 0: still at risk.
    r = h.at("2023-05-03");
    EXPECT_TRUE(row_is(r, "act", "v1", "2023-04-01", "2023-04-30", "pending", false, "0", true));
    // The May bucket (e = 05-31) is 28 days away: not at risk.
    EXPECT_TRUE(row_is(r, "act", "v1", "2023-05-01", "2023-05-31", "pending", false, "0", false));
    // Closed and violated: not at risk.
    r = h.at("2023-05-06");
    EXPECT_TRUE(row_is(r, "act", "v1", "2023-04-01", "2023-04-30", "violated", false, "0", false));
    EXPECT_TRUE(row_is(r, "hours", "v1", "2023-04-01", "2023-04-30", "violated", false, "0", false));
}

TEST(Status, GraceAndWarnInMonthsAreCalendarAware) {
    harness h(header + R"(
obligation quarterly "q" {
  each v: village
  during campaign
  require count(a of v) >= 1
  warn 1 month
}
)" + monthly("graced", "count(a of v) >= 1", "  grace 1 month\n"));
    h.feed_ok(R"({"entity": "v1", "kind": "village"})");
    // The whole window 04-01..06-30: 06-30 - 1 month = 05-30, so at risk from 05-30.
    auto r = h.at("2023-05-29");
    EXPECT_TRUE(row_is(r, "quarterly", "v1", "2023-04-01", "2023-06-30", "pending", false, "0", false));
    r = h.at("2023-05-30");
    EXPECT_TRUE(row_is(r, "quarterly", "v1", "2023-04-01", "2023-06-30", "pending", false, "0", true));
    // April closes when T > 04-30 + 1 month = 05-30; May when T > 05-31 + 1 month = 06-30.
    EXPECT_TRUE(row_is(r, "graced", "v1", "2023-04-01", "2023-04-30", "pending", false, "0"));
    r = h.at("2023-05-31");
    EXPECT_TRUE(row_is(r, "graced", "v1", "2023-04-01", "2023-04-30", "violated", false, "0"));
    r = h.at("2023-06-30");
    EXPECT_TRUE(row_is(r, "graced", "v1", "2023-05-01", "2023-05-31", "pending", false, "0"));
    r = h.at("2023-07-01");
    EXPECT_TRUE(row_is(r, "graced", "v1", "2023-05-01", "2023-05-31", "violated", false, "0"));
}

TEST(Status, InstancesExistForBucketsTheEntityIsActiveIn) {
    harness h(header + monthly("act", "count(a of v) >= 1"));
    h.feed_ok(R"(
{"entity": "v1", "kind": "village", "since": "2023-05-15"}
{"entity": "v2", "kind": "village", "until": "2023-05-02"}
{"entity": "v3", "kind": "village", "until": "2023-04-01"}
{"entity": "v4", "kind": "village", "since": "2023-06-30"}
)");
    // docs/choices.md item 22: active on at least one day of the bucket (since <= end and
    // until > start). v1: May (from 05-15) and June. v2: April and May (active on 05-01).
    // v3: until 04-01 is inactive from 04-01: none. v4: June (its last day).
    auto r = h.at("2023-07-01");
    EXPECT_EQ(spans(r, "act", "v1"), "2023-05-01..2023-05-31 2023-06-01..2023-06-30");
    EXPECT_EQ(spans(r, "act", "v2"), "2023-04-01..2023-04-30 2023-05-01..2023-05-31");
    EXPECT_EQ(spans(r, "act", "v3"), "");
    EXPECT_EQ(spans(r, "act", "v4"), "2023-06-01..2023-06-30");
}

TEST(Status, NinetyPercentIsAtLeastButNotMoreThanNinetyPercent) {
    harness h(header + monthly("ge", "count(inspection of v where passed) / count(inspection of v) >= 90%") +
              monthly("gt", "count(inspection of v where passed) / count(inspection of v) > 90%"));
    std::string records = R"({"entity": "v1", "kind": "village"})";
    for (int i = 0; i < 10; ++i)
        records += "\n{\"id\": \"i" + std::to_string(i) + "\", \"type\": \"inspection\", \"time\": \"2023-04-0" +
                   std::to_string(i % 9 + 1) + "\", \"unit\": \"v1\", \"passed\": " + (i < 9 ? "true" : "false") + "}";
    h.feed_ok(records);
    // 9 of 10 is exactly 0.9.
    auto r = h.at("2023-05-01");
    EXPECT_TRUE(row_is(r, "ge", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "0.9"));
    EXPECT_TRUE(row_is(r, "gt", "v1", "2023-04-01", "2023-04-30", "violated", false, "0.9"));
}

TEST(Status, BucketsNotYetStartedAreNotReported) {
    harness h(header + monthly("act", "count(a of v) >= 1"));
    h.feed_ok(R"({"entity": "v1", "kind": "village"})");
    auto r = h.at("2023-03-31");
    EXPECT_EQ(count_rows(r, "act"), 0u);
    r = h.at("2023-04-30");
    EXPECT_EQ(spans(r, "act", "v1"), "2023-04-01..2023-04-30");
    EXPECT_TRUE(row_is(r, "act", "v1", "2023-04-01", "2023-04-30", "pending", false, "0"));
    r = h.at("2023-05-01");
    EXPECT_EQ(spans(r, "act", "v1"), "2023-04-01..2023-04-30 2023-05-01..2023-05-31");
    r = h.at("2023-12-31");
    EXPECT_EQ(count_rows(r, "act"), 3u);
}

TEST(Status, PendingRowsReportMetAndValue) {
    harness h(header + monthly("hours", "sum(patrol.hours of v) >= 3") + monthly("act", "count(a of v) >= 3"));
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"id": "p1", "type": "patrol", "time": "2023-04-03", "unit": "v1", "hours": 1.25}
{"id": "p2", "type": "patrol", "time": "2023-04-04", "unit": "v1", "hours": 2}
{"id": "a1", "type": "a", "time": "2023-04-04", "unit": "v1", "tag": "x"}
)");
    auto r = h.at("2023-04-15");
    EXPECT_TRUE(row_is(r, "hours", "v1", "2023-04-01", "2023-04-30", "pending", true, "3.25"));
    EXPECT_TRUE(row_is(r, "act", "v1", "2023-04-01", "2023-04-30", "pending", false, "1"));
    // As of 04-03 only p1 exists.
    r = h.at("2023-04-03");
    EXPECT_TRUE(row_is(r, "hours", "v1", "2023-04-01", "2023-04-30", "pending", false, "1.25"));
    EXPECT_TRUE(row_is(r, "act", "v1", "2023-04-01", "2023-04-30", "pending", false, "0"));
}

TEST(Status, ARetractionRevisesAnyVerdict) {
    harness h(header + monthly("act", "count(a of v) >= 1") + monthly("no_cases", "count(fraud_case of v) == 0"));
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"id": "a1", "type": "a", "time": "2023-04-03", "unit": "v1", "tag": "x"}
{"id": "f1", "type": "fraud_case", "time": "2023-04-03", "unit": "v1"}
)");
    auto r = h.at("2023-05-10");
    EXPECT_TRUE(row_is(r, "act", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "1"));
    EXPECT_TRUE(row_is(r, "no_cases", "v1", "2023-04-01", "2023-04-30", "violated", false, "1"));
    EXPECT_TRUE(h.accept(R"({"retract": "a1"})"));
    EXPECT_TRUE(h.accept(R"({"retract": "f1"})"));
    r = h.at("2023-05-10");
    EXPECT_TRUE(row_is(r, "act", "v1", "2023-04-01", "2023-04-30", "violated", false, "0"));
    EXPECT_TRUE(row_is(r, "no_cases", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "0"));
    EXPECT_EQ(r.inputs.retracted, 2u);
    EXPECT_EQ(r.inputs.retractions, 2u);
    EXPECT_EQ(r.inputs.applied, 0u);
}

}  // namespace
