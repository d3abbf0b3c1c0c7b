// Naming one bucket: the three written forms (a date, FROM..TO, YYYY-MM), which buckets each
// names (the December bucket cut at 30 Dec, cumulative buckets, deadlines, triggered buckets),
// the messages when none or several match, and the row a report holds for the name. Expected
// buckets and messages are worked out by hand from the schedules.
#include <gtest/gtest.h>

#include "eval/helpers.hpp"
#include "mandate/report/select.hpp"

namespace {

using evaltest::D;
using mandate::bucket_selector;
using mandate::calendar::bucket;

bucket B(std::string_view from, std::string_view to, std::string_view visible = "") {
    return bucket{D(from), D(to), visible.empty() ? D(from) : D(visible)};
}

TEST(BucketSelector, ReadsTheThreeForms) {
    auto date = mandate::parse_bucket_selector("2023-04-15");
    ASSERT_TRUE(date);
    EXPECT_EQ(date->k, bucket_selector::kind::date);
    EXPECT_EQ(date->from, D("2023-04-15"));
    EXPECT_EQ(date->to, D("2023-04-15"));

    auto range = mandate::parse_bucket_selector("2023-04-01..2023-04-30");
    ASSERT_TRUE(range);
    EXPECT_EQ(range->k, bucket_selector::kind::range);
    EXPECT_EQ(range->from, D("2023-04-01"));
    EXPECT_EQ(range->to, D("2023-04-30"));

    // A month runs from its first to its last day: February 2024 has 29.
    auto month = mandate::parse_bucket_selector("2024-02");
    ASSERT_TRUE(month);
    EXPECT_EQ(month->k, bucket_selector::kind::month);
    EXPECT_EQ(month->from, D("2024-02-01"));
    EXPECT_EQ(month->to, D("2024-02-29"));

    EXPECT_EQ(date->to_string(), "2023-04-15");
    EXPECT_EQ(range->to_string(), "2023-04-01..2023-04-30");
    EXPECT_EQ(month->to_string(), "2024-02");
}

TEST(BucketSelector, RefusesWhatIsNoDayOrMonth) {
    for (const char* text : {"2023-02-29", "2023-13", "2023-00", "april", "2023-04-01..", "..2023-04-30", "", "2023-4",
                             "2023-04-01..2023-04-31", "0999-01", "2023-04-15x"})
        EXPECT_FALSE(mandate::parse_bucket_selector(text)) << text;
}

TEST(BucketSelector, ADateNamesEveryBucketHoldingIt) {
    const auto s = bucket_selector::on(D("2023-04-30"));
    EXPECT_TRUE(s.matches(B("2023-04-01", "2023-04-30")));
    EXPECT_FALSE(s.matches(B("2023-05-01", "2023-05-31")));
    // A cumulative bucket holds every date from its cumulative start.
    EXPECT_TRUE(s.matches(B("2023-03-01", "2023-05-31", "2023-05-01")));
}

TEST(BucketSelector, ARangeNamesExactlyThatPeriod) {
    const auto s = bucket_selector::between(D("2023-12-01"), D("2023-12-30"));
    EXPECT_TRUE(s.matches(B("2023-12-01", "2023-12-30")));
    EXPECT_FALSE(s.matches(B("2023-12-01", "2023-12-31")));
    EXPECT_FALSE(s.matches(B("2023-12-02", "2023-12-30")));
}

TEST(BucketSelector, AMonthNamesTheBucketWhoseOwnPeriodLiesInIt) {
    const auto december = bucket_selector::month(2023, 12);
    // The campaign's December, cut at 30 Dec, lies in December.
    EXPECT_TRUE(december.matches(B("2023-12-01", "2023-12-30")));
    const auto may = bucket_selector::month(2023, 5);
    // `every month cumulative from 2023-03-01`: the May bucket is 03-01..05-31, first
    // reported on 05-01: its own period is May.
    EXPECT_TRUE(may.matches(B("2023-03-01", "2023-05-31", "2023-05-01")));
    EXPECT_FALSE(bucket_selector::month(2023, 4).matches(B("2023-03-01", "2023-05-31", "2023-05-01")));
    // A deadline bucket 03-01..05-31 is not May's.
    EXPECT_FALSE(may.matches(B("2023-03-01", "2023-05-31")));
    // A week inside the month is (so a month of weeks names several).
    EXPECT_TRUE(may.matches(B("2023-05-08", "2023-05-14")));
}

TEST(BucketSelector, ChoosesTheOneMatchOrSaysWhy) {
    const std::vector<bucket> months = {B("2023-04-01", "2023-04-30"), B("2023-05-01", "2023-05-31"),
                                        B("2023-06-01", "2023-06-30")};
    auto one = mandate::choose_bucket(bucket_selector::month(2023, 5), months, "x for v01");
    ASSERT_TRUE(one.index);
    EXPECT_EQ(*one.index, 1u);
    EXPECT_EQ(one.matches, 1u);

    auto none = mandate::choose_bucket(bucket_selector::month(2023, 3), months, "x for v01");
    EXPECT_FALSE(none.index);
    EXPECT_EQ(none.matches, 0u);
    EXPECT_EQ(none.error, "no bucket of x for v01 lies in 2023-03; its buckets: 2023-04-01..2023-04-30, "
                          "2023-05-01..2023-05-31, 2023-06-01..2023-06-30");

    auto empty = mandate::choose_bucket(bucket_selector::on(D("2023-04-02")), {}, "x for v01");
    EXPECT_EQ(empty.error, "no bucket of x for v01 holds 2023-04-02; it has none");

    const std::vector<bucket> cumulative = {B("2023-03-01", "2023-04-30", "2023-04-01"),
                                            B("2023-03-01", "2023-05-31", "2023-05-01"),
                                            B("2023-03-01", "2023-06-30", "2023-06-01")};
    auto several = mandate::choose_bucket(bucket_selector::on(D("2023-05-15")), cumulative, "c");
    EXPECT_FALSE(several.index);
    EXPECT_EQ(several.matches, 2u);
    EXPECT_EQ(several.error, "2 buckets of c hold 2023-05-15: 2023-03-01..2023-05-31, 2023-03-01..2023-06-30; "
                             "name one as FROM..TO");
    auto range = mandate::choose_bucket(bucket_selector::between(D("2023-03-01"), D("2023-07-31")), cumulative, "c");
    EXPECT_EQ(range.error, "no bucket of c is 2023-03-01..2023-07-31; its buckets: 2023-03-01..2023-04-30, "
                           "2023-03-01..2023-05-31, 2023-03-01..2023-06-30");
}

TEST(BucketSelector, LongListsAreCut) {
    std::vector<bucket> days;
    for (int d = 1; d <= 9; ++d) days.push_back(B("2023-07-0" + std::to_string(d), "2023-07-0" + std::to_string(d)));
    auto several = mandate::choose_bucket(bucket_selector::month(2023, 7), days, "daily");
    EXPECT_EQ(several.error, "9 buckets of daily lie in 2023-07: 2023-07-01..2023-07-01, 2023-07-02..2023-07-02, "
                             "2023-07-03..2023-07-03, 2023-07-04..2023-07-04, 2023-07-05..2023-07-05, "
                             "2023-07-06..2023-07-06, … (9 in all); name one as FROM..TO");
}

// ------------------------------------------------------------------ rows of a real report

const char* const plan_text = R"(
plan p { timezone "+08:00" }
phase mobilization "动员" from 2023-03-01 to 2023-03-31
phase campaign "宣传" from 2023-04-01 to 2023-12-30
kind village "村"
event activity "活动" {}
event term_started "开学" {}
obligation monthly "每月" {
  each    v: village
  during  campaign
  every   month
  require count(activity of v) >= 1
}
obligation running "累计" {
  each    v: village
  during  campaign
  every   month cumulative from 2023-03-01
  require count(activity of v) >= 3
}
obligation after_term "开学后" {
  each    v: village
  during  campaign
  after   term_started of v within 14 days
  require count(activity of v) >= 1
}
obligation whole "全镇" {
  during  campaign
  require count(activity) >= 1
}
outcome praise "表扬" {
  each  v: village
  during campaign
  every month
  when  count(activity of v) >= 2
}
)";

class SelectRow : public ::testing::Test {
protected:
    SelectRow() : h_(plan_text) {
        h_.feed_ok(R"({"entity": "v1", "kind": "village"}
                     {"entity": "v2", "kind": "village"}
                     {"id": "a1", "type": "activity", "time": "2023-03-20", "unit": "v1"}
                     {"id": "a2", "type": "activity", "time": "2023-04-10", "unit": "v1"}
                     {"id": "a3", "type": "activity", "time": "2023-04-11", "unit": "v1"}
                     {"id": "t1", "type": "term_started", "time": "2023-09-01", "unit": "v1"}
                     {"id": "t2", "type": "term_started", "time": "2023-09-08", "unit": "v1"})");
    }
    int rule(const char* id, bool outcome = false) const {
        const auto& m = h_.plan()->model();
        return outcome ? m.find_outcome(id) : m.find_obligation(id);
    }
    evaltest::harness h_;
};

TEST_F(SelectRow, AMonthOfAPlainSchedule) {
    const auto r = h_.at("2023-12-31");
    const auto c = mandate::select_row(r, rule("monthly"), std::string("v1"), bucket_selector::month(2023, 12));
    ASSERT_TRUE(c.result) << c.error;
    EXPECT_EQ(evaltest::iso(c.result->span.from), "2023-12-01");
    EXPECT_EQ(evaltest::iso(c.result->span.to), "2023-12-30");
}

TEST_F(SelectRow, AMonthOfACumulativeScheduleIsTheBucketEndingInIt) {
    const auto r = h_.at("2023-12-31");
    // 03-01..05-31, with a1..a3 (3 activities since 03-01): satisfied.
    const auto c = mandate::select_row(r, rule("running"), std::string("v1"), bucket_selector::month(2023, 5));
    ASSERT_TRUE(c.result) << c.error;
    EXPECT_EQ(evaltest::iso(c.result->span.from), "2023-03-01");
    EXPECT_EQ(evaltest::iso(c.result->span.to), "2023-05-31");
    EXPECT_EQ(c.result->status, mandate::status::satisfied);
    // A date from March is in all nine buckets.
    const auto d = mandate::select_row(r, rule("running"), std::string("v1"), bucket_selector::on(D("2023-03-20")));
    EXPECT_FALSE(d.found());
    EXPECT_EQ(d.matches, 9u);
    EXPECT_EQ(d.error.rfind("9 buckets of running for v1 as of 2023-12-31 hold 2023-03-20: 2023-03-01..2023-04-30, "
                            "2023-03-01..2023-05-31, ",
                            0),
              0u)
        << d.error;
}

TEST_F(SelectRow, OnlyRowsThatHaveStartedCanBeNamed) {
    // As of 05-10 the cumulative buckets reported are April's and May's: 05-15 lies in one.
    const auto r = h_.at("2023-05-10");
    const auto c = mandate::select_row(r, rule("running"), std::string("v1"), bucket_selector::on(D("2023-05-15")));
    ASSERT_TRUE(c.result) << c.error;
    EXPECT_EQ(evaltest::iso(c.result->span.to), "2023-05-31");
    const auto june = mandate::select_row(r, rule("monthly"), std::string("v1"), bucket_selector::month(2023, 6));
    EXPECT_FALSE(june.found());
    EXPECT_EQ(june.error, "no bucket of monthly for v1 as of 2023-05-10 lies in 2023-06; its buckets: "
                          "2023-04-01..2023-04-30, 2023-05-01..2023-05-31");
}

TEST_F(SelectRow, TriggeredBucketsByDateAndRange) {
    const auto r = h_.at("2023-12-31");
    // Terms on 09-01 and 09-08: 09-01..09-14 and 09-08..09-21 overlap on 09-08..09-14.
    const auto both = mandate::select_row(r, rule("after_term"), std::string("v1"), bucket_selector::on(D("2023-09-10")));
    EXPECT_EQ(both.matches, 2u);
    EXPECT_EQ(both.error, "2 buckets of after_term for v1 as of 2023-12-31 hold 2023-09-10: 2023-09-01..2023-09-14, "
                          "2023-09-08..2023-09-21; name one as FROM..TO");
    const auto first = mandate::select_row(r, rule("after_term"), std::string("v1"), bucket_selector::on(D("2023-09-03")));
    ASSERT_TRUE(first.result) << first.error;
    EXPECT_EQ(evaltest::iso(first.result->span.to), "2023-09-14");
    const auto second = mandate::select_row(r, rule("after_term"), std::string("v1"),
                                            bucket_selector::between(D("2023-09-08"), D("2023-09-21")));
    ASSERT_TRUE(second.result) << second.error;
    EXPECT_EQ(second.result->status, mandate::status::violated);
    // v2 had no term: no bucket at all.
    const auto none = mandate::select_row(r, rule("after_term"), std::string("v2"), bucket_selector::on(D("2023-09-03")));
    EXPECT_EQ(none.error, "no bucket of after_term for v2 as of 2023-12-31 holds 2023-09-03; it has none");
}

TEST_F(SelectRow, ARuleWithoutEachAndAnOutcome) {
    const auto r = h_.at("2023-12-31");
    const auto whole = mandate::select_row(r, rule("whole"), std::nullopt, bucket_selector::on(D("2023-07-01")));
    ASSERT_TRUE(whole.result) << whole.error;
    EXPECT_FALSE(whole.result->unit.has_value());
    EXPECT_EQ(whole.result->status, mandate::status::satisfied);
    // The outcome fired in April (two activities), not in May.
    const auto april = mandate::select_row(r, rule("praise", true), std::string("v1"), bucket_selector::month(2023, 4));
    ASSERT_TRUE(april.outcome) << april.error;
    EXPECT_FALSE(april.result);
    EXPECT_TRUE(april.outcome->fired);
    const auto may = mandate::select_row(r, rule("praise", true), std::string("v1"), bucket_selector::month(2023, 5));
    ASSERT_TRUE(may.outcome) << may.error;
    EXPECT_FALSE(may.outcome->fired);
}

}  // namespace
