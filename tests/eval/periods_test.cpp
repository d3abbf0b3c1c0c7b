// Every period kind of `every`, `by`, the whole window, `after`/`before` triggers, and the
// calendar edges (windows cutting buckets, month and year boundaries, 29 February, time zones).
#include <gtest/gtest.h>

#include <algorithm>

#include "eval/helpers.hpp"

namespace {

using namespace evaltest;

TEST(Periods, DayBucketsIncludingTheLeapDay) {
    harness h(R"(
plan p { timezone "+08:00" }
phase leap "l" from 2024-02-27 to 2024-03-02
kind village "v"
event activity "a" {}
obligation daily "d" {
  each v: village
  during leap
  every day
  require count(activity of v) >= 1
}
)");
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"id": "a1", "type": "activity", "time": "2024-02-29", "unit": "v1"}
{"id": "a2", "type": "activity", "time": "2024-03-02", "unit": "v1"}
)");
    // As of 02-29 the days 02-27, 02-28 and 02-29 have started; 03-01 has not.
    auto r = h.at("2024-02-29");
    EXPECT_EQ(spans(r, "daily", "v1"), "2024-02-27..2024-02-27 2024-02-28..2024-02-28 2024-02-29..2024-02-29");
    EXPECT_TRUE(row_is(r, "daily", "v1", "2024-02-27", "2024-02-27", "violated", false, "0"));
    EXPECT_TRUE(row_is(r, "daily", "v1", "2024-02-28", "2024-02-28", "violated", false, "0"));
    EXPECT_TRUE(row_is(r, "daily", "v1", "2024-02-29", "2024-02-29", "satisfied", true, "1"));
    r = h.at("2024-03-05");
    EXPECT_EQ(count_rows(r, "daily"), 5u);
    EXPECT_TRUE(row_is(r, "daily", "v1", "2024-03-01", "2024-03-01", "violated", false, "0"));
    EXPECT_TRUE(row_is(r, "daily", "v1", "2024-03-02", "2024-03-02", "satisfied", true, "1"));
}

TEST(Periods, MondayWeeksCutByTheWindowAndAcrossAMonthBoundary) {
    // 2023-05-25 is a Thursday; 05-29 and 06-12 are Mondays.
    harness h(R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-05-25 to 2023-06-14
kind bank "b"
event sms "s" {}
obligation weekly "w" {
  each b: bank
  during campaign
  every week
  require count(sms of b) >= 1
}
obligation weekly_full "wf" {
  each b: bank
  during campaign
  every full week
  require count(sms of b) >= 1
}
obligation monthly "m" {
  each b: bank
  during campaign
  every month
  require count(sms of b) >= 1
}
)");
    h.feed_ok(R"(
{"entity": "b1", "kind": "bank"}
{"id": "s1", "type": "sms", "time": "2023-05-27", "unit": "b1"}
{"id": "s2", "type": "sms", "time": "2023-05-30", "unit": "b1"}
{"id": "s3", "type": "sms", "time": "2023-06-02", "unit": "b1"}
)");
    auto r = h.at("2023-06-15");
    EXPECT_EQ(spans(r, "weekly", "b1"),
              "2023-05-25..2023-05-28 2023-05-29..2023-06-04 2023-06-05..2023-06-11 2023-06-12..2023-06-14");
    EXPECT_TRUE(row_is(r, "weekly", "b1", "2023-05-25", "2023-05-28", "satisfied", true, "1"));
    // The week Mon 05-29..Sun 06-04 holds s2 (May) and s3 (June).
    EXPECT_TRUE(row_is(r, "weekly", "b1", "2023-05-29", "2023-06-04", "satisfied", true, "2"));
    EXPECT_TRUE(row_is(r, "weekly", "b1", "2023-06-05", "2023-06-11", "violated", false, "0"));
    EXPECT_TRUE(row_is(r, "weekly", "b1", "2023-06-12", "2023-06-14", "violated", false, "0"));
    // full drops the weeks cut at both ends.
    EXPECT_EQ(spans(r, "weekly_full", "b1"), "2023-05-29..2023-06-04 2023-06-05..2023-06-11");
    // The months are cut by the window: May 25..31 (s1, s2) and June 1..14 (s3).
    EXPECT_EQ(spans(r, "monthly", "b1"), "2023-05-25..2023-05-31 2023-06-01..2023-06-14");
    EXPECT_TRUE(row_is(r, "monthly", "b1", "2023-05-25", "2023-05-31", "satisfied", true, "2"));
    EXPECT_TRUE(row_is(r, "monthly", "b1", "2023-06-01", "2023-06-14", "satisfied", true, "1"));
}

TEST(Periods, SundayWeeks) {
    // 2023-05-28, 06-04 and 06-11 are Sundays.
    harness h(R"(
plan p { timezone "+08:00"  week_start sunday }
phase campaign "c" from 2023-05-25 to 2023-06-14
kind bank "b"
event sms "s" {}
obligation weekly "w" {
  each b: bank
  during campaign
  every week
  require count(sms of b) >= 1
}
obligation weekly_full "wf" {
  each b: bank
  during campaign
  every full week
  require count(sms of b) >= 1
}
)");
    h.feed_ok(R"(
{"entity": "b1", "kind": "bank"}
{"id": "s1", "type": "sms", "time": "2023-05-27", "unit": "b1"}
{"id": "s2", "type": "sms", "time": "2023-05-28", "unit": "b1"}
{"id": "s3", "type": "sms", "time": "2023-06-04", "unit": "b1"}
)");
    auto r = h.at("2023-06-15");
    EXPECT_EQ(spans(r, "weekly", "b1"),
              "2023-05-25..2023-05-27 2023-05-28..2023-06-03 2023-06-04..2023-06-10 2023-06-11..2023-06-14");
    EXPECT_TRUE(row_is(r, "weekly", "b1", "2023-05-25", "2023-05-27", "satisfied", true, "1"));
    EXPECT_TRUE(row_is(r, "weekly", "b1", "2023-05-28", "2023-06-03", "satisfied", true, "1"));
    EXPECT_TRUE(row_is(r, "weekly", "b1", "2023-06-04", "2023-06-10", "satisfied", true, "1"));
    EXPECT_TRUE(row_is(r, "weekly", "b1", "2023-06-11", "2023-06-14", "violated", false, "0"));
    EXPECT_EQ(spans(r, "weekly_full", "b1"), "2023-05-28..2023-06-03 2023-06-04..2023-06-10");
}

TEST(Periods, MonthsWithALeapFebruaryAndFullMonths) {
    harness h(R"(
plan p { timezone "+08:00" }
phase winter "w" from 2024-01-15 to 2024-03-10
kind bank "b"
event sms "s" {}
obligation monthly "m" {
  each b: bank
  during winter
  every month
  require count(sms of b) >= 1
}
obligation monthly_full "mf" {
  each b: bank
  during winter
  every full month
  require count(sms of b) >= 1
}
)");
    h.feed_ok(R"(
{"entity": "b1", "kind": "bank"}
{"id": "s0", "type": "sms", "time": "2024-01-14", "unit": "b1"}
{"id": "s1", "type": "sms", "time": "2024-02-29", "unit": "b1"}
{"id": "s2", "type": "sms", "time": "2024-03-11", "unit": "b1"}
)");
    auto r = h.at("2024-03-20");
    EXPECT_EQ(spans(r, "monthly", "b1"), "2024-01-15..2024-01-31 2024-02-01..2024-02-29 2024-03-01..2024-03-10");
    // s0 (01-14) and s2 (03-11) lie outside the window and every phase: in no bucket.
    EXPECT_TRUE(row_is(r, "monthly", "b1", "2024-01-15", "2024-01-31", "violated", false, "0"));
    EXPECT_TRUE(row_is(r, "monthly", "b1", "2024-02-01", "2024-02-29", "satisfied", true, "1"));
    EXPECT_TRUE(row_is(r, "monthly", "b1", "2024-03-01", "2024-03-10", "violated", false, "0"));
    EXPECT_EQ(spans(r, "monthly_full", "b1"), "2024-02-01..2024-02-29");
    // Events outside every phase are still applied.
    EXPECT_EQ(r.inputs.applied, 3u);
    // As of 02-28 the February bucket (29 days) is still open: pending.
    r = h.at("2024-02-28");
    EXPECT_TRUE(row_is(r, "monthly", "b1", "2024-02-01", "2024-02-29", "pending", false, "0"));
}

TEST(Periods, QuartersAndYearsCutByTheWindow) {
    harness h(R"(
plan p { timezone "+08:00" }
phase q "q" from 2023-02-15 to 2023-11-15
phase y "y" from 2022-07-01 to 2024-03-31
kind bank "b"
event sms "s" {}
obligation quarterly "q" {
  each b: bank
  during q
  every quarter
  require count(sms of b) >= 1
}
obligation quarterly_full "qf" {
  each b: bank
  during q
  every full quarter
  require count(sms of b) >= 1
}
obligation yearly "y" {
  each b: bank
  during y
  every year
  require count(sms of b) >= 2
}
obligation yearly_full "yf" {
  each b: bank
  during y
  every full year
  require count(sms of b) >= 2
}
)");
    h.feed_ok(R"(
{"entity": "b1", "kind": "bank"}
{"id": "s1", "type": "sms", "time": "2023-03-31", "unit": "b1"}
{"id": "s2", "type": "sms", "time": "2023-04-01", "unit": "b1"}
{"id": "s3", "type": "sms", "time": "2023-11-16", "unit": "b1"}
{"id": "s4", "type": "sms", "time": "2022-12-31", "unit": "b1"}
)");
    auto r = h.at("2024-04-01");
    EXPECT_EQ(spans(r, "quarterly", "b1"),
              "2023-02-15..2023-03-31 2023-04-01..2023-06-30 2023-07-01..2023-09-30 2023-10-01..2023-11-15");
    EXPECT_TRUE(row_is(r, "quarterly", "b1", "2023-02-15", "2023-03-31", "satisfied", true, "1"));
    EXPECT_TRUE(row_is(r, "quarterly", "b1", "2023-04-01", "2023-06-30", "satisfied", true, "1"));
    // s3 (11-16) is after the window's end.
    EXPECT_TRUE(row_is(r, "quarterly", "b1", "2023-10-01", "2023-11-15", "violated", false, "0"));
    EXPECT_EQ(spans(r, "quarterly_full", "b1"), "2023-04-01..2023-06-30 2023-07-01..2023-09-30");
    EXPECT_EQ(spans(r, "yearly", "b1"), "2022-07-01..2022-12-31 2023-01-01..2023-12-31 2024-01-01..2024-03-31");
    // 2022 (cut): s4 = 1; 2023: s1, s2, s3 = 3; 2024 (cut): 0.
    EXPECT_TRUE(row_is(r, "yearly", "b1", "2022-07-01", "2022-12-31", "violated", false, "1"));
    EXPECT_TRUE(row_is(r, "yearly", "b1", "2023-01-01", "2023-12-31", "satisfied", true, "3"));
    EXPECT_TRUE(row_is(r, "yearly", "b1", "2024-01-01", "2024-03-31", "violated", false, "0"));
    EXPECT_EQ(spans(r, "yearly_full", "b1"), "2023-01-01..2023-12-31");
}

TEST(Periods, CountedDaysAndWeeksFromTheWindowStart) {
    // The window starts on Wednesday 2023-04-05.
    harness h(R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-05 to 2023-05-10
kind bank "b"
event sms "s" {}
obligation seven_days "d" {
  each b: bank
  during campaign
  every 7 days
  require count(sms of b) >= 1
}
obligation seven_days_full "df" {
  each b: bank
  during campaign
  every full 7 days
  require count(sms of b) >= 1
}
obligation two_weeks "w" {
  each b: bank
  during campaign
  every 2 weeks
  require count(sms of b) >= 1
}
obligation one_week "o" {
  each b: bank
  during campaign
  every 1 week
  require count(sms of b) >= 1
}
)");
    h.feed_ok(R"(
{"entity": "b1", "kind": "bank"}
{"id": "s1", "type": "sms", "time": "2023-04-11", "unit": "b1"}
{"id": "s2", "type": "sms", "time": "2023-05-10", "unit": "b1"}
)");
    auto r = h.at("2023-05-11");
    // 36 days: five full 7-day buckets from 04-05 and a last one cut to 05-10.
    EXPECT_EQ(spans(r, "seven_days", "b1"),
              "2023-04-05..2023-04-11 2023-04-12..2023-04-18 2023-04-19..2023-04-25 2023-04-26..2023-05-02 "
              "2023-05-03..2023-05-09 2023-05-10..2023-05-10");
    EXPECT_TRUE(row_is(r, "seven_days", "b1", "2023-04-05", "2023-04-11", "satisfied", true, "1"));
    EXPECT_TRUE(row_is(r, "seven_days", "b1", "2023-04-12", "2023-04-18", "violated", false, "0"));
    EXPECT_TRUE(row_is(r, "seven_days", "b1", "2023-05-10", "2023-05-10", "satisfied", true, "1"));
    EXPECT_EQ(spans(r, "seven_days_full", "b1"),
              "2023-04-05..2023-04-11 2023-04-12..2023-04-18 2023-04-19..2023-04-25 2023-04-26..2023-05-02 "
              "2023-05-03..2023-05-09");
    EXPECT_EQ(spans(r, "two_weeks", "b1"), "2023-04-05..2023-04-18 2023-04-19..2023-05-02 2023-05-03..2023-05-10");
    // `1 week` is counted from the window start (a Wednesday), unlike a calendar `week`.
    EXPECT_EQ(spans(r, "one_week", "b1"),
              "2023-04-05..2023-04-11 2023-04-12..2023-04-18 2023-04-19..2023-04-25 2023-04-26..2023-05-02 "
              "2023-05-03..2023-05-09 2023-05-10..2023-05-10");
}

TEST(Periods, CumulativeBucketsRunFromTheWindowStartAndAppearWithTheirOwnPeriod) {
    harness h(R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-06-30
kind bank "b"
event sms "s" {}
obligation running "r" {
  each b: bank
  during campaign
  every month cumulative
  require count(sms of b) >= 2
}
obligation quarterly "q" {
  each b: bank
  from 2023-04-01 to 2023-12-31
  every quarter cumulative
  require count(sms of b) >= 1
}
)");
    h.feed_ok(R"(
{"entity": "b1", "kind": "bank"}
{"id": "s1", "type": "sms", "time": "2023-04-10", "unit": "b1"}
{"id": "s2", "type": "sms", "time": "2023-05-20", "unit": "b1"}
)");
    // As of 05-10: April's bucket (closed: 1 < 2, violated) and the May bucket, which runs
    // 04-01..05-31 (s1 so far: pending). June's has not started.
    auto r = h.at("2023-05-10");
    EXPECT_EQ(spans(r, "running", "b1"), "2023-04-01..2023-04-30 2023-04-01..2023-05-31");
    EXPECT_TRUE(row_is(r, "running", "b1", "2023-04-01", "2023-04-30", "violated", false, "1"));
    EXPECT_TRUE(row_is(r, "running", "b1", "2023-04-01", "2023-05-31", "pending", false, "1"));
    r = h.at("2023-05-20");
    EXPECT_TRUE(row_is(r, "running", "b1", "2023-04-01", "2023-05-31", "satisfied", true, "2"));
    r = h.at("2023-06-01");
    EXPECT_EQ(spans(r, "running", "b1"), "2023-04-01..2023-04-30 2023-04-01..2023-05-31 2023-04-01..2023-06-30");
    EXPECT_TRUE(row_is(r, "running", "b1", "2023-04-01", "2023-06-30", "satisfied", true, "2"));
    // The Q3 bucket (04-01..09-30) appears on 07-01, not before.
    r = h.at("2023-06-30");
    EXPECT_EQ(spans(r, "quarterly", "b1"), "2023-04-01..2023-06-30");
    r = h.at("2023-07-01");
    EXPECT_EQ(spans(r, "quarterly", "b1"), "2023-04-01..2023-06-30 2023-04-01..2023-09-30");
    EXPECT_TRUE(row_is(r, "quarterly", "b1", "2023-04-01", "2023-09-30", "satisfied", true, "2"));
}

TEST(Periods, CumulativeFromADateBeforeTheWindow) {
    harness h(R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-06-30
kind bank "b"
event sms "s" {}
obligation running "r" {
  each b: bank
  during campaign
  every month cumulative from 2023-03-01
  require count(sms of b) >= 2
}
)");
    h.feed_ok(R"(
{"entity": "b1", "kind": "bank"}
{"id": "s0", "type": "sms", "time": "2023-02-20", "unit": "b1"}
{"id": "s1", "type": "sms", "time": "2023-03-15", "unit": "b1"}
{"id": "s2", "type": "sms", "time": "2023-05-20", "unit": "b1"}
)");
    // Before the window nothing is reported, not even a March bucket.
    auto r = h.at("2023-03-20");
    EXPECT_EQ(spans(r, "running", "b1"), "");
    // s1 (03-15, outside every phase) counts in the buckets that start 03-01; s0 (02-20) is
    // before the cumulative start.
    r = h.at("2023-04-01");
    EXPECT_EQ(spans(r, "running", "b1"), "2023-03-01..2023-04-30");
    EXPECT_TRUE(row_is(r, "running", "b1", "2023-03-01", "2023-04-30", "pending", false, "1"));
    r = h.at("2023-07-01");
    EXPECT_EQ(spans(r, "running", "b1"), "2023-03-01..2023-04-30 2023-03-01..2023-05-31 2023-03-01..2023-06-30");
    EXPECT_TRUE(row_is(r, "running", "b1", "2023-03-01", "2023-04-30", "violated", false, "1"));
    EXPECT_TRUE(row_is(r, "running", "b1", "2023-03-01", "2023-05-31", "satisfied", true, "2"));
    EXPECT_TRUE(row_is(r, "running", "b1", "2023-03-01", "2023-06-30", "satisfied", true, "2"));
}

TEST(Periods, ByDateAndTheWholeWindow) {
    harness h(R"(
plan p { timezone "+08:00" }
phase mobilization "m" from 2023-03-01 to 2023-03-31
phase campaign "c" from 2023-04-01 to 2023-06-30
kind bank "b"
event sms "s" {}
obligation by_may "b" {
  each b: bank
  during campaign
  by 2023-05-15
  require count(sms of b) >= 2
}
obligation by_july "j" {
  each b: bank
  during campaign
  by 2023-07-15
  require count(sms of b) >= 3
}
obligation whole_plan "w" {
  each b: bank
  require count(sms of b) >= 4
}
obligation whole_phase "p" {
  each b: bank
  during mobilization
  require count(sms of b) >= 1
}
obligation explicit "e" {
  each b: bank
  from 2023-05-01 to 2023-05-20
  require count(sms of b) >= 1
}
)");
    h.feed_ok(R"(
{"entity": "b1", "kind": "bank"}
{"id": "s1", "type": "sms", "time": "2023-03-10", "unit": "b1"}
{"id": "s2", "type": "sms", "time": "2023-04-10", "unit": "b1"}
{"id": "s3", "type": "sms", "time": "2023-05-15", "unit": "b1"}
{"id": "s4", "type": "sms", "time": "2023-07-10", "unit": "b1"}
)");
    auto r = h.at("2023-07-16");
    // by 05-15: 04-01..05-15 holds s2, s3.
    EXPECT_TRUE(row_is(r, "by_may", "b1", "2023-04-01", "2023-05-15", "satisfied", true, "2"));
    // by 07-15 is not clipped to the window (docs/choices.md item 3): s2, s3 and s4 (07-10,
    // outside every phase but inside the bucket).
    EXPECT_TRUE(row_is(r, "by_july", "b1", "2023-04-01", "2023-07-15", "satisfied", true, "3"));
    // No window: the plan's span, first phase start to last phase end: 03-01..06-30 holds
    // s1, s2, s3 (s4 is after it) = 3 < 4.
    EXPECT_TRUE(row_is(r, "whole_plan", "b1", "2023-03-01", "2023-06-30", "violated", false, "3"));
    EXPECT_TRUE(row_is(r, "whole_phase", "b1", "2023-03-01", "2023-03-31", "satisfied", true, "1"));
    EXPECT_TRUE(row_is(r, "explicit", "b1", "2023-05-01", "2023-05-20", "satisfied", true, "1"));
    EXPECT_EQ(count_rows(r, "by_may"), 1u);
    EXPECT_EQ(count_rows(r, "whole_plan"), 1u);
}

TEST(Periods, AfterEventWithinDaysAndMonths) {
    harness h(R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-06-30
kind school "s"
kind office "o"
event term_started "t" {}
event inspection "i" { failed: bool }
event directive "d" {}
event lecture "l" {}
obligation start_lecture "sl" {
  each s: school
  during campaign
  after term_started of s within 14 days
  require count(lecture of s) >= 1
}
obligation fix "f" {
  each s: school
  during campaign
  after inspection of s where failed within 2 weeks
  require count(lecture of s) >= 2
}
obligation follow "fo" {
  each s: school
  during campaign
  after directive within 7 days
  require count(lecture of s) >= 1
}
obligation monthly_window "m" {
  each s: school
  from 2023-01-01 to 2024-12-31
  after term_started of s within 1 month
  require count(lecture of s) >= 1
}
)");
    h.feed_ok(R"(
{"entity": "s1", "kind": "school"}
{"entity": "s2", "kind": "school"}
{"entity": "o1", "kind": "office"}
{"id": "ts1", "type": "term_started", "time": "2023-04-03", "unit": "s1"}
{"id": "ts2", "type": "term_started", "time": "2023-04-03T20:00:00+08:00", "unit": "s1"}
{"id": "ts3", "type": "term_started", "time": "2023-06-25", "unit": "s1"}
{"id": "ts4", "type": "term_started", "time": "2023-03-25", "unit": "s2"}
{"id": "ts5", "type": "term_started", "time": "2023-01-31", "unit": "s2"}
{"id": "ts6", "type": "term_started", "time": "2024-01-31", "unit": "s2"}
{"id": "ts7", "type": "term_started", "time": "2023-04-30", "unit": "s2"}
{"id": "i1", "type": "inspection", "time": "2023-05-02", "unit": "s1", "failed": true}
{"id": "i2", "type": "inspection", "time": "2023-05-09", "unit": "s1", "failed": false}
{"id": "d1", "type": "directive", "time": "2023-05-20", "unit": "o1"}
{"id": "l1", "type": "lecture", "time": "2023-04-16", "unit": "s1"}
{"id": "l2", "type": "lecture", "time": "2023-05-15", "unit": "s1"}
{"id": "l3", "type": "lecture", "time": "2023-05-26", "unit": "s2"}
)");
    auto r = h.at("2024-12-31");
    // Two triggers on 04-03 give one bucket 04-03..04-16; 06-25 gives 06-25..07-08 clipped to
    // 06-30; s2's 03-25 trigger is outside the window: no bucket. s2's 04-30 opens 04-30..05-13.
    EXPECT_EQ(spans(r, "start_lecture", "s1"), "2023-04-03..2023-04-16 2023-06-25..2023-06-30");
    EXPECT_TRUE(row_is(r, "start_lecture", "s1", "2023-04-03", "2023-04-16", "satisfied", true, "1"));
    EXPECT_TRUE(row_is(r, "start_lecture", "s1", "2023-06-25", "2023-06-30", "violated", false, "0"));
    EXPECT_EQ(spans(r, "start_lecture", "s2"), "2023-04-30..2023-05-13");
    // Only the failed inspection triggers: 05-02..05-15 holds l2 only.
    EXPECT_EQ(spans(r, "fix", "s1"), "2023-05-02..2023-05-15");
    EXPECT_TRUE(row_is(r, "fix", "s1", "2023-05-02", "2023-05-15", "violated", false, "1"));
    EXPECT_EQ(spans(r, "fix", "s2"), "");
    // A trigger without `of` opens a bucket for every instance (docs/choices.md item 29):
    // 05-20..05-26; s2's l3 on 05-26 is inside.
    EXPECT_TRUE(row_is(r, "follow", "s1", "2023-05-20", "2023-05-26", "violated", false, "0"));
    EXPECT_TRUE(row_is(r, "follow", "s2", "2023-05-20", "2023-05-26", "satisfied", true, "1"));
    // within 1 month: d + 1 month - 1 day (docs/choices.md item 6).
    // 2023-01-31 + 1 month = 2023-02-28, - 1 day = 02-27. 2024-01-31 + 1 month = 2024-02-29,
    // - 1 day = 02-28. 2023-04-30 + 1 month = 05-30, - 1 day = 05-29. 2023-03-25 -> 04-24.
    EXPECT_EQ(spans(r, "monthly_window", "s2"),
              "2023-01-31..2023-02-27 2023-03-25..2023-04-24 2023-04-30..2023-05-29 2024-01-31..2024-02-28");
    EXPECT_TRUE(row_is(r, "monthly_window", "s2", "2023-04-30", "2023-05-29", "satisfied", true, "1"));
    // s1: 04-03 -> 05-02; 06-25 -> 07-24.
    EXPECT_EQ(spans(r, "monthly_window", "s1"), "2023-04-03..2023-05-02 2023-06-25..2023-07-24");
    EXPECT_TRUE(row_is(r, "monthly_window", "s1", "2023-04-03", "2023-05-02", "satisfied", true, "1"));
    // A triggered bucket exists once its trigger is dated on or before T.
    r = h.at("2023-06-24");
    EXPECT_EQ(spans(r, "start_lecture", "s1"), "2023-04-03..2023-04-16");
}

TEST(Periods, ARetractedTriggerTakesItsBucketAway) {
    harness h(R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-06-30
kind school "s"
event term_started "t" {}
event lecture "l" {}
obligation start_lecture "sl" {
  each s: school
  during campaign
  after term_started of s within 14 days
  require count(lecture of s) >= 1
}
)");
    h.feed_ok(R"(
{"entity": "s1", "kind": "school"}
{"id": "ts1", "type": "term_started", "time": "2023-04-03", "unit": "s1"}
{"id": "ts2", "type": "term_started", "time": "2023-04-03", "unit": "s1"}
{"id": "ts3", "type": "term_started", "time": "2023-05-03", "unit": "s1"}
)");
    auto r = h.at("2023-06-01");
    EXPECT_EQ(spans(r, "start_lecture", "s1"), "2023-04-03..2023-04-16 2023-05-03..2023-05-16");
    // Retracting one of two triggers on 04-03 leaves the bucket; retracting 05-03's removes it.
    EXPECT_TRUE(h.accept(R"({"retract": "ts1"})"));
    EXPECT_TRUE(h.accept(R"({"retract": "ts3"})"));
    r = h.at("2023-06-01");
    EXPECT_EQ(spans(r, "start_lecture", "s1"), "2023-04-03..2023-04-16");
}

TEST(Periods, BeforeEventWithinDays) {
    harness h(R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-06-30
kind school "s"
event term_ended "t" {}
event lecture "l" {}
obligation end_lecture "e" {
  each s: school
  during campaign
  before term_ended of s within 14 days
  require count(lecture of s) >= 1
}
)");
    h.feed_ok(R"(
{"entity": "s1", "kind": "school"}
{"id": "te1", "type": "term_ended", "time": "2023-06-20", "unit": "s1"}
{"id": "te2", "type": "term_ended", "time": "2023-04-05", "unit": "s1"}
{"id": "te3", "type": "term_ended", "time": "2023-07-05", "unit": "s1"}
{"id": "l1", "type": "lecture", "time": "2023-06-07", "unit": "s1"}
)");
    // 06-20 - 14 days + 1 = 06-07..06-20; 04-05 gives 03-23..04-05 clipped to 04-01..04-05;
    // 07-05 is outside the window: nothing.
    auto r = h.at("2023-07-10");
    EXPECT_EQ(spans(r, "end_lecture", "s1"), "2023-04-01..2023-04-05 2023-06-07..2023-06-20");
    EXPECT_TRUE(row_is(r, "end_lecture", "s1", "2023-06-07", "2023-06-20", "satisfied", true, "1"));
    EXPECT_TRUE(row_is(r, "end_lecture", "s1", "2023-04-01", "2023-04-05", "violated", false, "0"));
    // Before 06-20 the trigger does not exist yet (days after T do not exist), so neither does
    // its bucket, although the bucket's period has started.
    r = h.at("2023-06-19");
    EXPECT_EQ(spans(r, "end_lecture", "s1"), "2023-04-01..2023-04-05");
    r = h.at("2023-06-20");
    EXPECT_TRUE(row_is(r, "end_lecture", "s1", "2023-06-07", "2023-06-20", "satisfied", true, "1"));
}

TEST(Periods, YearBoundaryWithMonthlyAndWeeklyBuckets) {
    // 2023-12-25 and 2024-01-01 are Mondays.
    harness h(R"(
plan p { timezone "+08:00" }
phase winter "w" from 2023-12-20 to 2024-01-10
kind bank "b"
event sms "s" {}
obligation monthly "m" {
  each b: bank
  during winter
  every month
  require count(sms of b) >= 1
}
obligation weekly "w" {
  each b: bank
  during winter
  every week
  require count(sms of b) >= 1
}
)");
    h.feed_ok(R"(
{"entity": "b1", "kind": "bank"}
{"id": "s1", "type": "sms", "time": "2023-12-31", "unit": "b1"}
{"id": "s2", "type": "sms", "time": "2023-12-31T15:59:59Z", "unit": "b1"}
{"id": "s3", "type": "sms", "time": "2023-12-31T16:00:00Z", "unit": "b1"}
)");
    // s2 is 23:59:59 on 12-31 in +08:00; s3 is 00:00 on 2024-01-01.
    auto r = h.at("2024-01-11");
    EXPECT_EQ(spans(r, "monthly", "b1"), "2023-12-20..2023-12-31 2024-01-01..2024-01-10");
    EXPECT_TRUE(row_is(r, "monthly", "b1", "2023-12-20", "2023-12-31", "satisfied", true, "2"));
    EXPECT_TRUE(row_is(r, "monthly", "b1", "2024-01-01", "2024-01-10", "satisfied", true, "1"));
    EXPECT_EQ(spans(r, "weekly", "b1"),
              "2023-12-20..2023-12-24 2023-12-25..2023-12-31 2024-01-01..2024-01-07 2024-01-08..2024-01-10");
    EXPECT_TRUE(row_is(r, "weekly", "b1", "2023-12-20", "2023-12-24", "violated", false, "0"));
    EXPECT_TRUE(row_is(r, "weekly", "b1", "2023-12-25", "2023-12-31", "satisfied", true, "2"));
    EXPECT_TRUE(row_is(r, "weekly", "b1", "2024-01-01", "2024-01-07", "satisfied", true, "1"));
    // As of 12-31, s3 (dated 01-01 local) does not exist yet, and January has not started.
    r = h.at("2023-12-31");
    EXPECT_EQ(spans(r, "monthly", "b1"), "2023-12-20..2023-12-31");
}

TEST(Periods, LocalTimeVersusUtcAtMidnight) {
    harness h(R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-05-31
kind village "v"
event activity "a" {}
obligation monthly "m" {
  each v: village
  during campaign
  every month
  require count(activity of v) >= 1
}
)");
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"id": "a1", "type": "activity", "time": "2023-04-30T23:59:00", "unit": "v1"}
{"id": "a2", "type": "activity", "time": "2023-04-30T23:59:00Z", "unit": "v1"}
{"id": "a3", "type": "activity", "time": "2023-04-30T12:59:00-03:00", "unit": "v1"}
{"id": "a4", "type": "activity", "time": "2023-04-30T13:00:00-03:00", "unit": "v1"}
)");
    // a1: no offset = local: 04-30. a2: 23:59 UTC = 05-01 07:59 local. a3: 15:59 UTC = 23:59
    // local on 04-30. a4: 16:00 UTC = 00:00 local on 05-01.
    auto r = h.at("2023-06-01");
    EXPECT_TRUE(row_is(r, "monthly", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "2"));
    EXPECT_TRUE(row_is(r, "monthly", "v1", "2023-05-01", "2023-05-31", "satisfied", true, "2"));
    const result_row* x = find_result(r, "monthly", "v1", "2023-04-01");
    ASSERT_NE(x, nullptr);
    auto ids = x->evidence.events;  // a1 and a3 are the same instant: compare as a set
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(ids, (std::vector<std::string>{"a1", "a3"}));
    // As of 04-30, a2 and a4 (dated 05-01 locally) do not count.
    r = h.at("2023-04-30");
    EXPECT_TRUE(row_is(r, "monthly", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "2"));
    EXPECT_EQ(spans(r, "monthly", "v1"), "2023-04-01..2023-04-30");
}

TEST(Periods, NegativePlanOffset) {
    harness h(R"(
plan p { timezone "-05:00" }
phase campaign "c" from 2023-04-01 to 2023-05-31
kind village "v"
event activity "a" {}
obligation monthly "m" {
  each v: village
  during campaign
  every month
  require count(activity of v) >= 3
}
)");
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"id": "a1", "type": "activity", "time": "2023-05-01T03:00:00Z", "unit": "v1"}
{"id": "a2", "type": "activity", "time": "2023-05-01T05:00:00Z", "unit": "v1"}
{"id": "a3", "type": "activity", "time": "2023-05-01", "unit": "v1"}
{"id": "a4", "type": "activity", "time": "2023-04-30T23:30:00", "unit": "v1"}
{"id": "a5", "type": "activity", "time": "2023-05-01T12:59:00+13:00", "unit": "v1"}
)");
    // In -05:00: a1 = 04-30 22:00; a2 = 05-01 00:00; a3 (a date) = 05-01; a4 (local) = 04-30;
    // a5 = 04-30 23:59 UTC = 04-30 18:59 local. April: a1, a4, a5 = 3; May: a2, a3 = 2.
    auto r = h.at("2023-06-01");
    EXPECT_TRUE(row_is(r, "monthly", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "3"));
    EXPECT_TRUE(row_is(r, "monthly", "v1", "2023-05-01", "2023-05-31", "violated", false, "2"));
}

TEST(Periods, UtcPlanZoneNames) {
    for (const char* zone : {"Z", "UTC", "+00:00"}) {
        SCOPED_TRACE(zone);
        harness h(std::string("plan p { timezone \"") + zone + R"(" }
phase campaign "c" from 2023-04-01 to 2023-05-31
kind village "v"
event activity "a" {}
obligation monthly "m" {
  each v: village
  during campaign
  every month
  require count(activity of v) >= 2
}
)");
        h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"id": "a1", "type": "activity", "time": "2023-04-30T23:59:59Z", "unit": "v1"}
{"id": "a2", "type": "activity", "time": "2023-05-01T07:00:00+08:00", "unit": "v1"}
{"id": "a3", "type": "activity", "time": "2023-05-01T08:00:00+08:00", "unit": "v1"}
)");
        // a2 is 04-30 23:00 UTC; a3 is 05-01 00:00 UTC.
        auto r = h.at("2023-06-01");
        EXPECT_TRUE(row_is(r, "monthly", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "2"));
        EXPECT_TRUE(row_is(r, "monthly", "v1", "2023-05-01", "2023-05-31", "violated", false, "1"));
    }
}

}  // namespace
