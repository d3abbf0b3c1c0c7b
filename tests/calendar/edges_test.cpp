// The calendar at the ends of its supported range, 1400-01-01 and 9999-12-31. A period or a
// shift that runs past either end is counted on in the proleptic Gregorian calendar, then clipped
// to the window: the month after December 9999 starts on 10000-01-01, not on 9999-12-31 (which
// once made cutting a window into months spin forever).
//
// Expected values worked out by hand: 10000-01-01 falls 8000 years (20 cycles of 400 years, each
// 146097 days = 20871 weeks) after 2000-01-01, a Saturday, so 9999-12-31 is a Friday. From
// 1200-01-01 (a Saturday too, 1600 - 400) to 1400-01-01 is 200 * 365 days plus 49 leap days (50
// years divisible by 4, less 1300) = 73049 days = 10435 weeks + 4 days, so 1400-01-01 is a
// Wednesday. The year 10000 is a leap year (divisible by 400).
#include <gtest/gtest.h>

#include "mandate/calendar/schedule.hpp"
#include "mandate/check/buckets.hpp"

namespace mandate::calendar {
namespace {

day D(const char* iso) { return *parse_iso(iso); }

const day last_day = D("9999-12-31");   // the last supported day
const day first_day = D("1400-01-01");  // the first

std::string spans(const std::vector<bucket>& buckets) {
    std::string out;
    for (const auto& b : buckets) out += (out.empty() ? "" : " ") + to_iso(b.from) + ".." + to_iso(b.to);
    return out;
}

check::period every(check::period_unit unit, std::int64_t count = 1, bool counted = false) {
    check::period p;
    p.unit = unit;
    p.count = count;
    p.counted = counted;
    return p;
}

check::duration months(std::int64_t n) {
    check::duration d;
    d.count = n;
    d.unit = check::time_unit::month;
    return d;
}

check::duration days(std::int64_t n) {
    check::duration d;
    d.count = n;
    return d;
}

TEST(CalendarEdges, DayNumbersOfTheEnds) {
    // 2000-01-01 is day 10957 (30 years of 365 days and the 7 leap days of 1972..1996); 400
    // years are 146097 days. 10000-01-01 is 20 such cycles later; 1600-01-01 one cycle earlier,
    // and 1400-01-01 200 years (73048 days: 48 leap years, 1400 and 1500 not among them) before.
    EXPECT_EQ(last_day + 1, 10957 + 20 * 146097);
    EXPECT_EQ(first_day, 10957 - 146097 - 73048);
    EXPECT_EQ(to_iso(last_day + 1), "10000-01-01");
    EXPECT_EQ(to_iso(first_day - 1), "1399-12-31");
}

TEST(CalendarEdges, WeekdaysAtAndPastTheEnds) {
    EXPECT_EQ(weekday_of(last_day), weekday::friday);
    EXPECT_EQ(weekday_of(last_day + 1), weekday::saturday);  // outside Boost's range: no throw
    EXPECT_EQ(weekday_of(first_day), weekday::wednesday);
    EXPECT_EQ(weekday_of(first_day - 1), weekday::tuesday);
    EXPECT_EQ(week_start(first_day, weekday::monday), first_day - 2);  // Monday 1399-12-30
    EXPECT_EQ(week_start(last_day, weekday::monday), D("9999-12-27"));
    EXPECT_EQ(week_start(last_day, weekday::sunday), D("9999-12-26"));
}

TEST(CalendarEdges, MonthsAreCountedPastTheEnds) {
    EXPECT_EQ(add_months(D("9999-12-01"), 1), last_day + 1);  // 10000-01-01
    // 9999-12-31 + 2 months is 10000-02-31, clamped to 10000-02-29: 31 days of January and 29
    // of February after 9999-12-31.
    EXPECT_EQ(add_months(last_day, 2), last_day + 60);
    EXPECT_EQ(add_months(D("9999-11-30"), 1), last_day - 1);  // still inside: 9999-12-30
    // 1400-01-10 - 1 month is 1399-12-10, 31 days earlier.
    EXPECT_EQ(add_months(D("1400-01-10"), -1), D("1400-01-10") - 31);
    // 1400-01-31 - 2 months is 1399-11-31, clamped to 1399-11-30: one day before 1399-12-01,
    // which is 31 days before 1400-01-01.
    EXPECT_EQ(add_months(D("1400-01-31"), -2), first_day - 32);
    EXPECT_EQ(add_months(D("1400-03-31"), -2), D("1400-01-31"));
}

TEST(CalendarEdges, NextPeriodsStartAfterTheLastDay) {
    EXPECT_EQ(next_month_start(D("9999-12-15")), last_day + 1);
    EXPECT_EQ(next_month_start(last_day), last_day + 1);
    EXPECT_EQ(next_quarter_start(D("9999-11-15")), last_day + 1);
    EXPECT_EQ(next_year_start(D("9999-06-30")), last_day + 1);
    EXPECT_EQ(month_start(last_day + 1), last_day + 1);  // a day past the range: no throw
    EXPECT_EQ(year_start(first_day - 1), D("1400-01-01") - 365);  // 1399 is not a leap year
}

TEST(CalendarEdges, SplittingTheLastMonthsQuartersAndYears) {
    // The preconditions first, so a broken calendar fails here rather than in a runaway split.
    ASSERT_GT(next_month_start(D("9999-12-01")), last_day);
    ASSERT_GT(next_quarter_start(D("9999-12-01")), last_day);
    ASSERT_GT(next_year_start(D("9999-12-01")), last_day);
    const auto monday = weekday::monday;
    EXPECT_EQ(spans(split(D("9999-12-01"), last_day, every(check::period_unit::month), monday, false)),
              "9999-12-01..9999-12-31");
    EXPECT_EQ(spans(split(D("9999-10-15"), last_day, every(check::period_unit::month), monday, false)),
              "9999-10-15..9999-10-31 9999-11-01..9999-11-30 9999-12-01..9999-12-31");
    EXPECT_EQ(spans(split(D("9999-10-15"), last_day, every(check::period_unit::month), monday, true)),
              "9999-11-01..9999-11-30 9999-12-01..9999-12-31");
    EXPECT_EQ(spans(split(D("9999-08-01"), last_day, every(check::period_unit::quarter), monday, false)),
              "9999-08-01..9999-09-30 9999-10-01..9999-12-31");
    EXPECT_EQ(spans(split(D("9999-12-01"), last_day, every(check::period_unit::quarter), monday, false)),
              "9999-12-01..9999-12-31");
    EXPECT_EQ(spans(split(D("9998-07-01"), last_day, every(check::period_unit::year), monday, false)),
              "9998-07-01..9998-12-31 9999-01-01..9999-12-31");
    EXPECT_EQ(spans(split(D("9999-12-01"), last_day, every(check::period_unit::year), monday, true)), "");
    EXPECT_EQ(spans(split(D("9999-12-30"), last_day, every(check::period_unit::day), monday, false)),
              "9999-12-30..9999-12-30 9999-12-31..9999-12-31");
}

TEST(CalendarEdges, SplittingTheLastWeeksAndCountedPeriods) {
    // 9999-12-20 and 9999-12-27 are Mondays; the week of 9999-12-27 runs to 10000-01-02.
    EXPECT_EQ(spans(split(D("9999-12-20"), last_day, every(check::period_unit::week), weekday::monday, false)),
              "9999-12-20..9999-12-26 9999-12-27..9999-12-31");
    EXPECT_EQ(spans(split(D("9999-12-20"), last_day, every(check::period_unit::week), weekday::monday, true)),
              "9999-12-20..9999-12-26");
    // 10 days from 9999-12-15: 12-15..12-24, then 12-25..01-03 clipped.
    EXPECT_EQ(spans(split(D("9999-12-15"), last_day, every(check::period_unit::day, 10, true), weekday::monday, false)),
              "9999-12-15..9999-12-24 9999-12-25..9999-12-31");
    EXPECT_EQ(spans(split(D("9999-12-15"), last_day, every(check::period_unit::day, 10, true), weekday::monday, true)),
              "9999-12-15..9999-12-24");
    EXPECT_EQ(spans(split(D("9999-12-20"), last_day, every(check::period_unit::week, 2, true), weekday::monday, false)),
              "9999-12-20..9999-12-31");
}

TEST(CalendarEdges, SplittingTheFirstWeeksMonthsAndQuarters) {
    // 1400-01-01 is a Wednesday: its Monday week began 1399-12-30.
    EXPECT_EQ(spans(split(first_day, D("1400-01-20"), every(check::period_unit::week), weekday::monday, false)),
              "1400-01-01..1400-01-05 1400-01-06..1400-01-12 1400-01-13..1400-01-19 1400-01-20..1400-01-20");
    EXPECT_EQ(spans(split(first_day, D("1400-01-20"), every(check::period_unit::week), weekday::monday, true)),
              "1400-01-06..1400-01-12 1400-01-13..1400-01-19");
    EXPECT_EQ(spans(split(first_day, D("1400-02-10"), every(check::period_unit::month), weekday::monday, false)),
              "1400-01-01..1400-01-31 1400-02-01..1400-02-10");
    EXPECT_EQ(spans(split(first_day, D("1400-04-01"), every(check::period_unit::quarter), weekday::monday, false)),
              "1400-01-01..1400-03-31 1400-04-01..1400-04-01");
}

TEST(CalendarEdges, CumulativeBucketsOfTheLastQuarter) {
    check::rule r;
    r.window_from = D("9999-10-01");
    r.window_to = last_day;
    r.schedule = check::schedule_kind::every;
    r.per = every(check::period_unit::month);
    r.cumulative = true;
    r.cumulative_from = r.window_from;
    ASSERT_GT(next_month_start(D("9999-12-01")), last_day);
    const auto b = check::rule_buckets(r, weekday::monday);
    EXPECT_EQ(spans(b), "9999-10-01..9999-10-31 9999-10-01..9999-11-30 9999-10-01..9999-12-31");
    ASSERT_EQ(b.size(), 3u);
    EXPECT_EQ(b[2].visible, D("9999-12-01"));
}

TEST(CalendarEdges, TriggeredBucketsPastTheEndsAreClippedToTheWindow) {
    check::rule r;
    r.window_from = first_day;
    r.window_to = last_day;
    r.schedule = check::schedule_kind::after;
    r.within = months(1);
    // 9999-12-20 + 1 month - 1 day = 10000-01-19, clipped to 9999-12-31.
    auto b = check::triggered_bucket(r, D("9999-12-20"));
    ASSERT_TRUE(b);
    EXPECT_EQ(to_iso(b->from) + ".." + to_iso(b->to), "9999-12-20..9999-12-31");
    r.within = days(3);
    b = check::triggered_bucket(r, D("9999-12-30"));  // 12-30 + 3 - 1 = 10000-01-01, clipped
    EXPECT_EQ(to_iso(b->from) + ".." + to_iso(b->to), "9999-12-30..9999-12-31");
    r.schedule = check::schedule_kind::before;
    r.within = months(1);
    // 1400-01-10 - 1 month + 1 day = 1399-12-11, clipped to 1400-01-01.
    b = check::triggered_bucket(r, D("1400-01-10"));
    ASSERT_TRUE(b);
    EXPECT_EQ(to_iso(b->from) + ".." + to_iso(b->to), "1400-01-01..1400-01-10");
    r.within = days(10);
    b = check::triggered_bucket(r, D("1400-01-05"));  // 01-05 - 10 + 1 = 1399-12-27, clipped
    EXPECT_EQ(to_iso(b->from) + ".." + to_iso(b->to), "1400-01-01..1400-01-05");
}

TEST(CalendarEdges, GraceAndWarnShiftPastTheEnds) {
    EXPECT_EQ(close_day(last_day, std::nullopt), last_day + 1);
    EXPECT_EQ(close_day(last_day, days(5)), last_day + 6);
    // 9999-12-31 + 1 month = 10000-01-31, 31 days on; closed the day after.
    EXPECT_EQ(close_day(last_day, months(1)), last_day + 32);
    EXPECT_EQ(to_iso(close_day(last_day, months(1))), "10000-02-01");
    // warn 1 month before 1400-01-31: 1399-12-31, the day before the first day.
    EXPECT_EQ(shift(D("1400-01-31"), months(1), -1), first_day - 1);
    EXPECT_EQ(shift(first_day, days(7), -1), first_day - 7);
}

}  // namespace
}  // namespace mandate::calendar
