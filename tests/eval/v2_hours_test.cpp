// Hours (LANGUAGE-v2.md section 4) at their edges, each expectation worked out by hand in the
// comments: a deadline of 2 hours across midnight, one across a UTC day boundary in +08:00 (a
// time written in UTC read in the plan's zone), two triggers on one day (two buckets), a
// trigger written as a date alone (its midnight), periods of 6 hours in a window opened by an
// event, how hour buckets are written in JSON and CSV, and the same scenarios fed record by
// record to an engine watching the date.
#include <gtest/gtest.h>

#include <sstream>
#include <tuple>

#include "helpers.hpp"
#include "mandate/report/report_writer.hpp"

namespace {

using namespace evaltest;
using mandate::report;
using mandate::result_row;

// The row whose period is written [from, to] (local date-times, as reports write them).
const result_row* hour_row(const report& r, std::string_view obligation, const char* unit, std::string_view from,
                           std::string_view to) {
    for (const auto& x : r.results)
        if (x.obligation == obligation && same_unit(x.unit, unit) && x.span.from_text() == from && x.span.to_text() == to)
            return &x;
    return nullptr;
}

std::size_t rows_of(const report& r, std::string_view obligation, const char* unit) {
    std::size_t n = 0;
    for (const auto& x : r.results) n += x.obligation == obligation && same_unit(x.unit, unit);
    return n;
}

const std::string warning_plan = R"(plan w { timezone "+08:00" }
phase season "汛期" from 2025-06-01 to 2025-09-30
kind township "乡镇"
event warning "预警" {}
event feedback "反馈" {}
obligation feedback_2h "接到预警后2小时内反馈" {
  each    t: township
  during  season
  after   warning of t within 2 hours
  require count(feedback of t) >= 1
}
)";

// t1: warned at 22:40 on 07-03; its bucket runs 22:40 .. 00:40 on 07-04, both counting. The
// feedback at 00:35 falls inside: satisfied as soon as it is read (count >= 1 is monotone).
// t2: warned at 22:40 too, answered at 00:41, a minute late: pending as of 07-04 (the bucket's
// last day; a feedback dated 00:40 may still arrive), violated as of 07-05.
// t3: warned at 15:30Z = 23:30+08:00 on 07-03 (a UTC time read in the plan's zone: the same
// day, 8 hours on), answered at 17:00Z = 01:00+08:00 on 07-04: within 23:30 .. 01:30.
// t4: warned twice on 07-05, 09:00 and 15:00 (two buckets, 09:00..11:00 and 15:00..17:00),
// answered at 10:00 only: the first satisfied, the second violated as of 07-06.
// t5: warned with a date alone, 07-05: its midnight, 00:00..02:00; answered at 02:00 exactly
// (the last minute counts): satisfied.
const std::string warning_records = R"(
{"entity": "t1", "kind": "township"}
{"entity": "t2", "kind": "township"}
{"entity": "t3", "kind": "township"}
{"entity": "t4", "kind": "township"}
{"entity": "t5", "kind": "township"}
{"id": "w1", "type": "warning", "time": "2025-07-03T22:40+08:00", "unit": "t1"}
{"id": "f1", "type": "feedback", "time": "2025-07-04T00:35+08:00", "unit": "t1"}
{"id": "w2", "type": "warning", "time": "2025-07-03T22:40+08:00", "unit": "t2"}
{"id": "f2", "type": "feedback", "time": "2025-07-04T00:41+08:00", "unit": "t2"}
{"id": "w3", "type": "warning", "time": "2025-07-03T15:30:00Z", "unit": "t3"}
{"id": "f3", "type": "feedback", "time": "2025-07-03T17:00:00Z", "unit": "t3"}
{"id": "w4a", "type": "warning", "time": "2025-07-05T09:00+08:00", "unit": "t4"}
{"id": "w4b", "type": "warning", "time": "2025-07-05T15:00+08:00", "unit": "t4"}
{"id": "f4", "type": "feedback", "time": "2025-07-05T10:00+08:00", "unit": "t4"}
{"id": "w5", "type": "warning", "time": "2025-07-05", "unit": "t5"}
{"id": "f5", "type": "feedback", "time": "2025-07-05T02:00+08:00", "unit": "t5"}
)";

TEST(Hours, ADeadlineOfTwoHoursAcrossMidnight) {
    harness h(warning_plan);
    h.feed_ok(warning_records);
    const report on_4th = h.at("2025-07-04");
    const result_row* t1 = hour_row(on_4th, "feedback_2h", "t1", "2025-07-03T22:40+08:00", "2025-07-04T00:40+08:00");
    ASSERT_NE(t1, nullptr);
    EXPECT_EQ(t1->status, mandate::status::satisfied);
    EXPECT_EQ(t1->span.from, D("2025-07-03"));
    EXPECT_EQ(t1->span.to, D("2025-07-04"));
    const result_row* t2 = hour_row(on_4th, "feedback_2h", "t2", "2025-07-03T22:40+08:00", "2025-07-04T00:40+08:00");
    ASSERT_NE(t2, nullptr);
    EXPECT_EQ(t2->status, mandate::status::pending);
    EXPECT_FALSE(t2->met);
    const report on_5th = h.at("2025-07-05");
    t2 = hour_row(on_5th, "feedback_2h", "t2", "2025-07-03T22:40+08:00", "2025-07-04T00:40+08:00");
    ASSERT_NE(t2, nullptr);
    EXPECT_EQ(t2->status, mandate::status::violated);
    EXPECT_EQ(t2->value.to_string(), "0");
}

TEST(Hours, AUtcTimeIsReadInThePlansZone) {
    harness h(warning_plan);
    h.feed_ok(warning_records);
    const report r = h.at("2025-07-05");
    const result_row* t3 = hour_row(r, "feedback_2h", "t3", "2025-07-03T23:30+08:00", "2025-07-04T01:30+08:00");
    ASSERT_NE(t3, nullptr);
    EXPECT_EQ(t3->status, mandate::status::satisfied);
    EXPECT_EQ(t3->value.to_string(), "1");
}

TEST(Hours, EachTriggerTimeOpensItsOwnBucket) {
    harness h(warning_plan);
    h.feed_ok(warning_records);
    const report r = h.at("2025-07-06");
    EXPECT_EQ(rows_of(r, "feedback_2h", "t4"), 2u);
    const result_row* morning = hour_row(r, "feedback_2h", "t4", "2025-07-05T09:00+08:00", "2025-07-05T11:00+08:00");
    const result_row* afternoon = hour_row(r, "feedback_2h", "t4", "2025-07-05T15:00+08:00", "2025-07-05T17:00+08:00");
    ASSERT_NE(morning, nullptr);
    ASSERT_NE(afternoon, nullptr);
    EXPECT_EQ(morning->status, mandate::status::satisfied);
    EXPECT_EQ(afternoon->status, mandate::status::violated);
    // A date alone is its midnight, and the deadline's own minute counts.
    const result_row* t5 = hour_row(r, "feedback_2h", "t5", "2025-07-05T00:00+08:00", "2025-07-05T02:00+08:00");
    ASSERT_NE(t5, nullptr);
    EXPECT_EQ(t5->status, mandate::status::satisfied);
}

TEST(Hours, ReportsWriteHourBucketsAsLocalDateTimes) {
    harness h(warning_plan);
    h.feed_ok(warning_records);
    const report r = h.at("2025-07-05");
    const std::string json = mandate::io::to_json(r);
    EXPECT_NE(json.find("\"period\": {\"from\": \"2025-07-03T22:40+08:00\", \"to\": \"2025-07-04T00:40+08:00\"}"), std::string::npos)
        << json;
    std::ostringstream csv;
    mandate::io::write_csv(r, csv);
    EXPECT_NE(csv.str().find("obligation,feedback_2h,t2,2025-07-03T22:40+08:00,2025-07-04T00:40+08:00,violated,false,false,0,"),
              std::string::npos)
        << csv.str();
}

// Periods of 6 hours while a response lasts, counted from the midnight of the day it starts.
const std::string water_plan = R"(plan r { timezone "+08:00" }
phase response "应急响应期间" from event started to event lifted
kind station "水文站"
event started "启动响应" {}
event lifted "终止响应" {}
event water_report "水雨情" {}
obligation six_hourly "每6小时报告水雨情" {
  each    s: station
  during  response
  every   6 hours
  require count(water_report of s) >= 1
}
)";

// Started 07-03 14:05, lifted 07-04: the window is 07-03..07-04, eight buckets of 6 hours
// from 07-03 00:00 (00:00-05:59, 06:00-11:59, 12:00-17:59, 18:00-23:59, and the same on the
// 4th). Reports at 07-03 15:00 and 21:30, and at 07-04 03:00: the 12:00 and 18:00 buckets of
// the 3rd and the 00:00 one of the 4th are satisfied; the 3rd's two morning buckets, before
// the response began, are violated (the window starts on the start event's date); the 4th's
// 06:00, 12:00 and 18:00 buckets are pending as of the 4th and violated as of the 5th.
const std::string water_records = R"(
{"entity": "s1", "kind": "station"}
{"id": "st", "type": "started", "time": "2025-07-03T14:05+08:00", "unit": "s1"}
{"id": "r1", "type": "water_report", "time": "2025-07-03T15:00+08:00", "unit": "s1"}
{"id": "r2", "type": "water_report", "time": "2025-07-03T21:30+08:00", "unit": "s1"}
{"id": "r3", "type": "water_report", "time": "2025-07-04T03:00+08:00", "unit": "s1"}
{"id": "lf", "type": "lifted", "time": "2025-07-04T20:00+08:00", "unit": "s1"}
)";

TEST(Hours, PeriodsOfSixHoursInAWindowOpenedByAnEvent) {
    harness h(water_plan);
    h.feed_ok(water_records);
    const report on_4th = h.at("2025-07-04");
    EXPECT_EQ(rows_of(on_4th, "six_hourly", "s1"), 8u);
    auto status_of = [&](const report& r, const char* from, const char* to) {
        const result_row* x = hour_row(r, "six_hourly", "s1", from, to);
        return x ? std::string(mandate::to_string(x->status)) : std::string("missing");
    };
    EXPECT_EQ(status_of(on_4th, "2025-07-03T00:00+08:00", "2025-07-03T05:59+08:00"), "violated");
    EXPECT_EQ(status_of(on_4th, "2025-07-03T06:00+08:00", "2025-07-03T11:59+08:00"), "violated");
    EXPECT_EQ(status_of(on_4th, "2025-07-03T12:00+08:00", "2025-07-03T17:59+08:00"), "satisfied");
    EXPECT_EQ(status_of(on_4th, "2025-07-03T18:00+08:00", "2025-07-03T23:59+08:00"), "satisfied");
    EXPECT_EQ(status_of(on_4th, "2025-07-04T00:00+08:00", "2025-07-04T05:59+08:00"), "satisfied");
    EXPECT_EQ(status_of(on_4th, "2025-07-04T06:00+08:00", "2025-07-04T11:59+08:00"), "pending");
    EXPECT_EQ(status_of(on_4th, "2025-07-04T18:00+08:00", "2025-07-04T23:59+08:00"), "pending");
    const report on_5th = h.at("2025-07-05");
    EXPECT_EQ(rows_of(on_5th, "six_hourly", "s1"), 8u);
    EXPECT_EQ(status_of(on_5th, "2025-07-04T12:00+08:00", "2025-07-04T17:59+08:00"), "violated");
}

TEST(Hours, KeptVerdictsFollowRecordsOneAtATime) {
    for (const auto& [plan, records, as_of] :
         {std::tuple{warning_plan, warning_records, "2025-07-05"}, std::tuple{water_plan, water_records, "2025-07-04"}}) {
        harness watched(plan), fresh(plan);
        watched.engine().subscribe([](const mandate::status_change&) {});
        watched.engine().set_watch_date(D(as_of));
        watched.feed_ok(records);
        fresh.feed_ok(records);
        EXPECT_EQ(mandate::io::to_json(watched.at(as_of)), mandate::io::to_json(fresh.at(as_of))) << plan;
    }
}

}  // namespace
