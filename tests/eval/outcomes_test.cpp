// Outcomes (LANGUAGE.md, "Outcomes"; docs/choices.md items 1, 24, 25): fired and final, waiting
// for the grace of the obligations read, the trigger dated on the first final day, triggered
// buckets outside the window, and rules without `each`.
#include <gtest/gtest.h>

#include "eval/helpers.hpp"

namespace {

using namespace evaltest;

const char* graced = R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-06-30
kind village "v"
event activity "a" {}
event meeting "m" {}
obligation monthly "m" {
  each v: village
  during campaign
  every month
  require count(activity of v) >= 1
  grace 5 days
}
outcome summon "s" {
  each v: village
  during campaign
  every month
  when violations(monthly of v) >= 1
}
obligation followup "f" {
  each v: village
  during campaign
  after outcome summon within 10 days
  require count(meeting of v) >= 1
}
obligation followup_long "fl" {
  each v: village
  from 2023-04-01 to 2023-07-31
  after outcome summon within 10 days
  require count(meeting of v) >= 1
}
)";

TEST(Outcomes, AnOutcomeWaitsForTheGraceOfTheObligationsItReads) {
    harness h(graced);
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"entity": "v2", "kind": "village"}
{"id": "a1", "type": "activity", "time": "2023-04-10", "unit": "v2"}
{"id": "m1", "type": "meeting", "time": "2023-05-08", "unit": "v1"}
)");
    // The outcome's own April bucket ends 04-30 (no grace of its own), but it reads the April
    // bucket of `monthly`, which closes only on 05-06 (04-30 + 5 days of grace, then T > that).
    auto r = h.at("2023-05-05");
    EXPECT_TRUE(row_is(r, "monthly", "v1", "2023-04-01", "2023-04-30", "pending", false, "0"));
    EXPECT_TRUE(outcome_is(r, "summon", "v1", "2023-04-01", "2023-04-30", false, false, ""));
    EXPECT_EQ(spans(r, "followup", "v1"), "");
    r = h.at("2023-05-06");
    EXPECT_TRUE(row_is(r, "monthly", "v1", "2023-04-01", "2023-04-30", "violated", false, "0"));
    EXPECT_TRUE(outcome_is(r, "summon", "v1", "2023-04-01", "2023-04-30", true, true, "2023-05-06"));
    // v2's April is satisfied: not fired, final on the same day.
    EXPECT_TRUE(outcome_is(r, "summon", "v2", "2023-04-01", "2023-04-30", false, true, "2023-05-06"));
    // The trigger is dated on the first final day: 05-06..05-15. m1 (05-08) is not there yet
    // as of 05-06.
    EXPECT_EQ(spans(r, "followup", "v1"), "2023-05-06..2023-05-15");
    EXPECT_TRUE(row_is(r, "followup", "v1", "2023-05-06", "2023-05-15", "pending", false, "0"));
    EXPECT_EQ(spans(r, "followup", "v2"), "");
    r = h.at("2023-05-08");
    EXPECT_TRUE(row_is(r, "followup", "v1", "2023-05-06", "2023-05-15", "satisfied", true, "1"));
}

TEST(Outcomes, ATriggerDatedOutsideTheWindowOpensNoBucket) {
    harness h(graced);
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"id": "a1", "type": "activity", "time": "2023-04-10", "unit": "v1"}
{"id": "a2", "type": "activity", "time": "2023-05-10", "unit": "v1"}
)");
    // v1 misses June only; the June bucket of `monthly` closes on 07-06, so the June outcome
    // bucket is final (and its trigger dated) on 07-06: outside followup's window (ends 06-30),
    // inside followup_long's (ends 07-31).
    auto r = h.at("2023-07-05");
    EXPECT_TRUE(outcome_is(r, "summon", "v1", "2023-06-01", "2023-06-30", false, false, ""));
    r = h.at("2023-07-20");
    EXPECT_TRUE(outcome_is(r, "summon", "v1", "2023-06-01", "2023-06-30", true, true, "2023-07-06"));
    EXPECT_EQ(spans(r, "followup", "v1"), "");
    EXPECT_EQ(spans(r, "followup_long", "v1"), "2023-07-06..2023-07-15");
    EXPECT_TRUE(row_is(r, "followup_long", "v1", "2023-07-06", "2023-07-15", "violated", false, "0"));
    // Every started outcome bucket is reported, fired or not.
    EXPECT_EQ(spans(r, "summon", "v1"), "2023-04-01..2023-04-30 2023-05-01..2023-05-31 2023-06-01..2023-06-30");
    EXPECT_TRUE(outcome_is(r, "summon", "v1", "2023-04-01", "2023-04-30", false, true, "2023-05-06"));
}

TEST(Outcomes, FiredMayChangeUntilFinal) {
    harness h(R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-06-30
kind village "v"
event fraud_case "f" {}
outcome flagged "f" {
  each v: village
  during campaign
  every month
  when count(fraud_case of v) >= 1
  grace 3 days
}
)");
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"id": "f1", "type": "fraud_case", "time": "2023-04-12", "unit": "v1"}
)");
    // Only the April bucket has started on 04-15; it fired but is not final.
    auto r = h.at("2023-04-15");
    EXPECT_EQ(spans(r, "flagged", "v1"), "2023-04-01..2023-04-30");
    EXPECT_TRUE(outcome_is(r, "flagged", "v1", "2023-04-01", "2023-04-30", true, false, ""));
    // With 3 days' grace it is final from 05-04 (T > 04-30 + 3).
    r = h.at("2023-05-03");
    EXPECT_TRUE(outcome_is(r, "flagged", "v1", "2023-04-01", "2023-04-30", true, false, ""));
    r = h.at("2023-05-04");
    EXPECT_TRUE(outcome_is(r, "flagged", "v1", "2023-04-01", "2023-04-30", true, true, "2023-05-04"));
    EXPECT_TRUE(outcome_is(r, "flagged", "v1", "2023-05-01", "2023-05-31", false, false, ""));
    // Only events dated on or before T count: as of 04-11 it has not fired.
    r = h.at("2023-04-11");
    EXPECT_TRUE(outcome_is(r, "flagged", "v1", "2023-04-01", "2023-04-30", false, false, ""));
}

TEST(Outcomes, AnEarlyViolationFiresAtOnceButIsFinalOnlyAtTheClose) {
    harness h(R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-06-30
kind village "v"
event fraud_case "f" {}
obligation no_cases "n" {
  each v: village
  during campaign
  every month
  require count(fraud_case of v) == 0
}
outcome alarm "a" {
  each v: village
  during campaign
  every month
  when violations(no_cases of v) >= 1
}
)");
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"id": "f1", "type": "fraud_case", "time": "2023-04-12", "unit": "v1"}
)");
    // no_cases April is violated on 04-12 (anti-monotone), so the outcome fires then; it is
    // final from 05-01 (its end + 1, the close day of the bucket it reads).
    auto r = h.at("2023-04-12");
    EXPECT_TRUE(row_is(r, "no_cases", "v1", "2023-04-01", "2023-04-30", "violated", false, "1"));
    EXPECT_TRUE(outcome_is(r, "alarm", "v1", "2023-04-01", "2023-04-30", true, false, ""));
    r = h.at("2023-04-11");
    EXPECT_TRUE(outcome_is(r, "alarm", "v1", "2023-04-01", "2023-04-30", false, false, ""));
    r = h.at("2023-05-01");
    EXPECT_TRUE(outcome_is(r, "alarm", "v1", "2023-04-01", "2023-04-30", true, true, "2023-05-01"));
}

TEST(Outcomes, FiredOfAnotherOutcomeWaitsForItsFinalDay) {
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
  grace 2 days
}
outcome warned "w" {
  each v: village
  during campaign
  when fired(bad_month of v)
}
)");
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"entity": "v2", "kind": "village"}
{"id": "f1", "type": "fraud_case", "time": "2023-06-29", "unit": "v1"}
)");
    // warned (04-01..06-30) reads the bad_month buckets ending inside it; June's is final on
    // 07-03 (06-30 + 2 days of grace + 1), later than warned's own 07-01 (docs/choices.md 25).
    auto r = h.at("2023-07-02");
    EXPECT_TRUE(outcome_is(r, "warned", "v1", "2023-04-01", "2023-06-30", true, false, ""));
    EXPECT_TRUE(outcome_is(r, "warned", "v2", "2023-04-01", "2023-06-30", false, false, ""));
    r = h.at("2023-07-03");
    EXPECT_TRUE(outcome_is(r, "warned", "v1", "2023-04-01", "2023-06-30", true, true, "2023-07-03"));
    EXPECT_TRUE(outcome_is(r, "warned", "v2", "2023-04-01", "2023-06-30", false, true, "2023-07-03"));
    EXPECT_TRUE(outcome_is(r, "bad_month", "v1", "2023-06-01", "2023-06-30", true, true, "2023-07-03"));
}

TEST(Outcomes, RulesWithoutEachReportAUnitOfNull) {
    harness h(R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-06-30
kind village "v"
event activity "a" {}
event fraud_case "f" {}
event meeting "m" {}
obligation town_total "t" {
  during campaign
  every month
  require count(activity) >= 2
}
outcome crisis "c" {
  during campaign
  every month
  when count(fraud_case) >= 2
}
obligation all_hands "h" {
  during campaign
  after outcome crisis within 7 days
  require count(meeting) >= 1
}
)");
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"entity": "v2", "kind": "village"}
{"id": "a1", "type": "activity", "time": "2023-04-03", "unit": "v1"}
{"id": "a2", "type": "activity", "time": "2023-04-04", "unit": "v2"}
{"id": "f1", "type": "fraud_case", "time": "2023-04-10", "unit": "v1"}
{"id": "f2", "type": "fraud_case", "time": "2023-04-11", "unit": "v2"}
{"id": "m1", "type": "meeting", "time": "2023-05-03", "unit": "v2"}
)");
    auto r = h.at("2023-05-10");
    // One instance for the whole plan: a1 + a2 = 2 in April; May has none so far.
    EXPECT_EQ(spans(r, "town_total", nullptr), "2023-04-01..2023-04-30 2023-05-01..2023-05-31");
    EXPECT_EQ(count_rows(r, "town_total"), 2u);
    EXPECT_TRUE(row_is(r, "town_total", nullptr, "2023-04-01", "2023-04-30", "satisfied", true, "2"));
    EXPECT_TRUE(row_is(r, "town_total", nullptr, "2023-05-01", "2023-05-31", "pending", false, "0"));
    // f1 + f2 in April: fired, final on 05-01; the triggered bucket 05-01..05-07 holds m1.
    EXPECT_TRUE(outcome_is(r, "crisis", nullptr, "2023-04-01", "2023-04-30", true, true, "2023-05-01"));
    EXPECT_TRUE(outcome_is(r, "crisis", nullptr, "2023-05-01", "2023-05-31", false, false, ""));
    EXPECT_EQ(spans(r, "all_hands", nullptr), "2023-05-01..2023-05-07");
    EXPECT_TRUE(row_is(r, "all_hands", nullptr, "2023-05-01", "2023-05-07", "satisfied", true, "1"));
    // The JSON report writes the unit as null.
    const std::string json = mandate::io::to_json(r);
    EXPECT_NE(json.find(R"({"obligation": "town_total", "unit": null,)"), std::string::npos);
    EXPECT_NE(json.find(R"({"outcome": "crisis", "unit": null,)"), std::string::npos);
}

TEST(Outcomes, StreakOutcomeFiresOnlyOnClosedMonths) {
    harness h(R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-09-30
kind village "v"
event fraud_case "f" {}
outcome commend "c" {
  each v: village
  during campaign
  when streak(month, count(fraud_case of v) == 0) >= 3
}
)");
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"entity": "v2", "kind": "village"}
{"id": "f1", "type": "fraud_case", "time": "2023-05-10", "unit": "v1"}
{"id": "f2", "type": "fraud_case", "time": "2023-08-10", "unit": "v1"}
)");
    // v1 quiet months: April (1), June-July (2), September (1): never 3.
    // v2 quiet every month: as of 06-15 only April and May are closed (2): not fired;
    // as of 07-01 April-June (3): fired, not final until 10-01.
    auto r = h.at("2023-06-15");
    EXPECT_TRUE(outcome_is(r, "commend", "v2", "2023-04-01", "2023-09-30", false, false, ""));
    r = h.at("2023-07-01");
    EXPECT_TRUE(outcome_is(r, "commend", "v2", "2023-04-01", "2023-09-30", true, false, ""));
    EXPECT_TRUE(outcome_is(r, "commend", "v1", "2023-04-01", "2023-09-30", false, false, ""));
    r = h.at("2023-10-01");
    EXPECT_TRUE(outcome_is(r, "commend", "v1", "2023-04-01", "2023-09-30", false, true, "2023-10-01"));
    EXPECT_TRUE(outcome_is(r, "commend", "v2", "2023-04-01", "2023-09-30", true, true, "2023-10-01"));
}

}  // namespace
