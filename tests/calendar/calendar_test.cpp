// The calendar: day numbers, month arithmetic, the cutting of windows into buckets, triggered
// buckets, close days, and event times converted to the plan's zone. Expected dates worked out
// with a printed calendar (2023-04-01 is a Saturday; 2024 is a leap year).
#include <gtest/gtest.h>

#include "mandate/calendar/schedule.hpp"
#include "mandate/check/buckets.hpp"

namespace mandate::calendar {
namespace {

day D(const char* iso) { return *parse_iso(iso); }

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

TEST(Calendar, DayNumbersRoundTrip) {
    EXPECT_EQ(from_ymd(1970, 1, 1), 0);
    EXPECT_EQ(from_ymd(1970, 1, 2), 1);
    EXPECT_EQ(from_ymd(1969, 12, 31), -1);
    EXPECT_EQ(to_iso(D("2024-02-29")), "2024-02-29");
    EXPECT_EQ(D("2024-03-01") - D("2024-02-28"), 2);  // 29 Feb in between
    EXPECT_EQ(D("2023-03-01") - D("2023-02-28"), 1);
    EXPECT_FALSE(parse_iso("2023-02-29"));
    EXPECT_FALSE(parse_iso("2023-13-01"));
    EXPECT_FALSE(parse_iso("2023-4-01"));
    EXPECT_FALSE(parse_iso("1399-12-31"));  // outside Boost.Date_Time's range
    EXPECT_TRUE(is_leap_year(2024));
    EXPECT_FALSE(is_leap_year(2100));
    EXPECT_TRUE(is_leap_year(2000));
}

TEST(Calendar, Weekdays) {
    EXPECT_EQ(weekday_of(D("2023-04-01")), weekday::saturday);
    EXPECT_EQ(weekday_of(D("2023-04-03")), weekday::monday);
    EXPECT_EQ(week_start(D("2023-04-01"), weekday::monday), D("2023-03-27"));
    EXPECT_EQ(week_start(D("2023-04-01"), weekday::sunday), D("2023-03-26"));
    EXPECT_EQ(week_start(D("2023-04-02"), weekday::sunday), D("2023-04-02"));
}

TEST(Calendar, AddingMonthsKeepsOrClampsTheDay) {
    EXPECT_EQ(add_months(D("2023-01-31"), 1), D("2023-02-28"));
    EXPECT_EQ(add_months(D("2024-01-31"), 1), D("2024-02-29"));
    EXPECT_EQ(add_months(D("2023-04-30"), 1), D("2023-05-30"));
    EXPECT_EQ(add_months(D("2023-12-15"), 1), D("2024-01-15"));
    EXPECT_EQ(add_months(D("2023-03-31"), -1), D("2023-02-28"));
    EXPECT_EQ(add_months(D("2024-02-29"), 12), D("2025-02-28"));
}

TEST(Calendar, MonthsClippedToTheWindow) {
    // The Goutang campaign: April to 30 December; the December bucket is clipped.
    const auto b = split(D("2023-04-01"), D("2023-12-30"), every(check::period_unit::month), weekday::monday, false);
    ASSERT_EQ(b.size(), 9u);
    EXPECT_EQ(to_iso(b.front().from) + ".." + to_iso(b.front().to), "2023-04-01..2023-04-30");
    EXPECT_EQ(to_iso(b.back().from) + ".." + to_iso(b.back().to), "2023-12-01..2023-12-30");
    // `full` drops December: the window cuts it short.
    EXPECT_EQ(split(D("2023-04-01"), D("2023-12-30"), every(check::period_unit::month), weekday::monday, true).size(), 8u);
}

TEST(Calendar, WeeksFollowWeekStart) {
    const auto monday = split(D("2023-04-01"), D("2023-04-30"), every(check::period_unit::week), weekday::monday, false);
    EXPECT_EQ(spans(monday),
              "2023-04-01..2023-04-02 2023-04-03..2023-04-09 2023-04-10..2023-04-16 2023-04-17..2023-04-23 "
              "2023-04-24..2023-04-30");
    const auto full = split(D("2023-04-01"), D("2023-04-30"), every(check::period_unit::week), weekday::monday, true);
    EXPECT_EQ(spans(full), "2023-04-03..2023-04-09 2023-04-10..2023-04-16 2023-04-17..2023-04-23 2023-04-24..2023-04-30");
    const auto sunday = split(D("2023-04-01"), D("2023-04-30"), every(check::period_unit::week), weekday::sunday, false);
    EXPECT_EQ(spans(sunday),
              "2023-04-01..2023-04-01 2023-04-02..2023-04-08 2023-04-09..2023-04-15 2023-04-16..2023-04-22 "
              "2023-04-23..2023-04-29 2023-04-30..2023-04-30");
    // A week across a month boundary stays whole.
    const auto across = split(D("2023-05-29"), D("2023-06-04"), every(check::period_unit::week), weekday::monday, true);
    EXPECT_EQ(spans(across), "2023-05-29..2023-06-04");
}

TEST(Calendar, QuartersAndYearsAcrossTheNewYear) {
    const auto q = split(D("2023-11-01"), D("2024-03-31"), every(check::period_unit::quarter), weekday::monday, false);
    EXPECT_EQ(spans(q), "2023-11-01..2023-12-31 2024-01-01..2024-03-31");
    const auto y = split(D("2023-11-01"), D("2024-03-31"), every(check::period_unit::year), weekday::monday, false);
    EXPECT_EQ(spans(y), "2023-11-01..2023-12-31 2024-01-01..2024-03-31");
    const auto d = split(D("2024-02-28"), D("2024-03-01"), every(check::period_unit::day), weekday::monday, false);
    EXPECT_EQ(spans(d), "2024-02-28..2024-02-28 2024-02-29..2024-02-29 2024-03-01..2024-03-01");
}

TEST(Calendar, CountedPeriodsStartAtTheWindow) {
    const auto ten = split(D("2023-03-01"), D("2023-03-25"), every(check::period_unit::day, 10, true), weekday::monday, false);
    EXPECT_EQ(spans(ten), "2023-03-01..2023-03-10 2023-03-11..2023-03-20 2023-03-21..2023-03-25");
    const auto full = split(D("2023-03-01"), D("2023-03-25"), every(check::period_unit::day, 10, true), weekday::monday, true);
    EXPECT_EQ(spans(full), "2023-03-01..2023-03-10 2023-03-11..2023-03-20");
    const auto fortnight = split(D("2023-03-01"), D("2023-03-25"), every(check::period_unit::week, 2, true), weekday::monday, false);
    EXPECT_EQ(spans(fortnight), "2023-03-01..2023-03-14 2023-03-15..2023-03-25");
    // `1 week` is counted from the window (a Wednesday here), unlike `week`.
    const auto one = split(D("2023-03-01"), D("2023-03-14"), every(check::period_unit::week, 1, true), weekday::monday, false);
    EXPECT_EQ(spans(one), "2023-03-01..2023-03-07 2023-03-08..2023-03-14");
}

check::rule every_rule(const char* from, const char* to, check::period p, bool cumulative, const char* cumulative_from) {
    check::rule r;
    r.window_from = D(from);
    r.window_to = D(to);
    r.schedule = check::schedule_kind::every;
    r.per = p;
    r.cumulative = cumulative;
    r.cumulative_from = cumulative_from ? D(cumulative_from) : r.window_from;
    return r;
}

TEST(Calendar, CumulativeBucketsStartEarlyButAppearWithTheirPeriod) {
    const auto r = every_rule("2023-04-01", "2023-12-30", every(check::period_unit::month), true, "2023-03-01");
    const auto b = check::rule_buckets(r, weekday::monday);
    ASSERT_EQ(b.size(), 9u);
    EXPECT_EQ(to_iso(b[2].from), "2023-03-01");  // the June bucket runs from the cumulative start
    EXPECT_EQ(to_iso(b[2].to), "2023-06-30");
    EXPECT_EQ(to_iso(b[2].visible), "2023-06-01");  // and is reported from 1 June
    const auto q = every_rule("2023-04-01", "2023-12-30", every(check::period_unit::quarter), true, nullptr);
    const auto bq = check::rule_buckets(q, weekday::monday);
    EXPECT_EQ(spans(bq), "2023-04-01..2023-06-30 2023-04-01..2023-09-30 2023-04-01..2023-12-30");
    EXPECT_EQ(to_iso(bq[1].visible), "2023-07-01");
}

TEST(Calendar, TriggeredBucketsAreClippedToTheWindow) {
    check::rule r;
    r.window_from = D("2023-04-01");
    r.window_to = D("2023-06-30");
    r.schedule = check::schedule_kind::after;
    r.within.count = 14;
    auto b = check::triggered_bucket(r, D("2023-06-25"));
    ASSERT_TRUE(b);
    EXPECT_EQ(to_iso(b->from) + ".." + to_iso(b->to), "2023-06-25..2023-06-30");
    EXPECT_FALSE(check::triggered_bucket(r, D("2023-03-25")));  // outside the window: no bucket
    r.schedule = check::schedule_kind::before;
    b = check::triggered_bucket(r, D("2023-04-05"));
    EXPECT_EQ(to_iso(b->from) + ".." + to_iso(b->to), "2023-04-01..2023-04-05");
    b = check::triggered_bucket(r, D("2023-06-20"));
    EXPECT_EQ(to_iso(b->from) + ".." + to_iso(b->to), "2023-06-07..2023-06-20");
    // Months are calendar-aware: 05-01 + 1 month - 1 day.
    r.schedule = check::schedule_kind::after;
    r.within.count = 1;
    r.within.unit = check::time_unit::month;
    b = check::triggered_bucket(r, D("2023-05-01"));
    EXPECT_EQ(to_iso(b->to), "2023-05-31");
}

TEST(Calendar, CloseDays) {
    EXPECT_EQ(close_day(D("2023-04-30"), std::nullopt), D("2023-05-01"));
    check::duration five;
    five.count = 5;
    EXPECT_EQ(close_day(D("2023-04-30"), five), D("2023-05-06"));
    check::duration month;
    month.count = 1;
    month.unit = check::time_unit::month;
    EXPECT_EQ(close_day(D("2023-01-31"), month), D("2023-03-01"));  // 02-28 + 1
}

TEST(Calendar, EventTimesBecomeLocalDatesInThePlansZone) {
    const int plus8 = 8 * 60;
    auto local = [&](const char* t) { return to_iso(parse_time(t, plus8)->local); };
    EXPECT_EQ(local("2023-04-30T18:30:00Z"), "2023-05-01");
    EXPECT_EQ(local("2023-04-30T15:59:00Z"), "2023-04-30");
    EXPECT_EQ(local("2023-05-31T23:59:00"), "2023-05-31");  // no offset: local time
    EXPECT_EQ(local("2023-05-31T16:00:00Z"), "2023-06-01");
    EXPECT_EQ(local("2023-04-01T00:00:00+09:00"), "2023-03-31");
    EXPECT_EQ(local("2023-04-01T10:00:00-05:00"), "2023-04-01");  // 15:00Z = 23:00 local
    EXPECT_EQ(local("2023-04-01T12:00:00-05:00"), "2023-04-02");  // 17:00Z = 01:00 local
    EXPECT_EQ(local("2023-12-31T16:00:00Z"), "2024-01-01");
    EXPECT_EQ(local("2023-04-05"), "2023-04-05");
    EXPECT_EQ(local("2023-04-05T10:00"), "2023-04-05");
    EXPECT_EQ(local("2023-04-05T10:00:00.123456789Z"), "2023-04-05");
    // The same instant written with two offsets is one instant; a date is not an instant.
    EXPECT_EQ(*parse_time("2023-04-05T10:00:00+08:00", plus8), *parse_time("2023-04-05T02:00:00Z", plus8));
    EXPECT_EQ(*parse_time("2023-04-05T10:00:00", plus8), *parse_time("2023-04-05T02:00:00Z", plus8));
    EXPECT_FALSE(*parse_time("2023-04-05", plus8) == *parse_time("2023-04-05T00:00:00", plus8));
    for (const char* bad : {"2023-04-05T25:00:00", "2023-04-05T10:00+8", "2023-02-30", "2023-04-05T10", "yesterday",
                            "2023-04-05T10:00:00.", "2023-04-05T10:61:00", "2023-04-05T10:00:00+24:00"})
        EXPECT_FALSE(parse_time(bad, plus8)) << bad;
}

}  // namespace
}  // namespace mandate::calendar
