// Working days: the built-in cn_mainland calendar (the State Council's notices for 2023-2026),
// counting and stepping in workdays, coverage, declared calendars and the CSV form.
//
// Every expected value is worked out by hand from the notices' dates and a printed calendar,
// never read off the program: 2023-01-01 is a Sunday, 2024-01-01 a Monday, 2025-01-01 a
// Wednesday, 2026-01-01 a Thursday (2024 is a leap year). A month of L days starting on
// weekday w has 20 weekdays plus those among its last L - 28 days, which fall on w, w+1, ...
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "calendar/builtin_data.hpp"
#include "mandate/calendar/workdays.hpp"

namespace mandate::calendar {
namespace {

day D(const char* iso) { return *parse_iso(iso); }

const workday_calendar& cn() {
    const workday_calendar* c = builtin_calendar("cn_mainland");
    if (!c) throw std::logic_error("no cn_mainland");
    return *c;
}

std::int64_t month_workdays(int year, int month) {
    return cn().workdays_in(from_ymd(year, month, 1), from_ymd(year, month, days_in_month(year, month)));
}

TEST(Workdays, TheBuiltInCalendarIsTheRepositorysCsvByteForByte) {
    std::ifstream in(MANDATE_SOURCE_DIR "/lib/calendar/data/cn_mainland.csv", std::ios::binary);
    ASSERT_TRUE(in);
    const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(detail::cn_mainland_csv, file);
    EXPECT_EQ(builtin_calendar_names(), std::vector<std::string>{"cn_mainland"});
    EXPECT_EQ(cn().name(), "cn_mainland");
    EXPECT_EQ(builtin_calendar("cn_mainland"), &cn());  // built once
    EXPECT_EQ(builtin_calendar("cn"), nullptr);
    EXPECT_EQ(builtin_calendar(""), nullptr);
}

// Weekdays of the month, minus holidays falling on weekdays, plus make-up Saturdays/Sundays.
TEST(Workdays, EachMonthOf2023) {
    const std::int64_t expected[12] = {
        18,  // Jan from Sun: 22 weekdays; -1 (01-02 Mon), -5 (01-23..01-27 Mon-Fri), +2 (Sat 01-28, Sun 01-29)
        20,  // Feb from Wed, 28 days: 20; nothing listed
        23,  // Mar from Wed: 23 (Wed, Thu, Fri 29-31)
        20,  // Apr from Sat: 20; -1 (04-05 Wed), 04-29/30 a weekend, +1 (Sun 04-23)
        21,  // May from Mon: 23; -3 (05-01..05-03 Mon-Wed), +1 (Sat 05-06)
        21,  // Jun from Thu: 22; -2 (06-22 Thu, 06-23 Fri; 06-24 Sat), +1 (Sun 06-25)
        21,  // Jul from Sat: 21
        23,  // Aug from Tue: 23
        20,  // Sep from Fri: 21; -1 (09-29 Fri; 09-30 Sat)
        19,  // Oct from Sun: 22; -5 (10-02..10-06 Mon-Fri; 10-01 Sun), +2 (Sat 10-07, Sun 10-08)
        22,  // Nov from Wed: 22
        21,  // Dec from Fri: 21; 12-30/31 a weekend (2024's New Year)
    };
    std::int64_t year = 0;
    for (int m = 1; m <= 12; ++m) {
        EXPECT_EQ(month_workdays(2023, m), expected[m - 1]) << "2023-" << m;
        year += expected[m - 1];
    }
    EXPECT_EQ(year, 249);
    EXPECT_EQ(cn().workdays_in(D("2023-01-01"), D("2023-12-31")), 249);
}

TEST(Workdays, EachMonthOf2024) {
    const std::int64_t expected[12] = {
        22,  // Jan from Mon: 23; -1 (01-01 Mon)
        18,  // Feb from Thu, 29 days: 21; -5 (02-12..02-16 Mon-Fri; 10, 11, 17 weekend), +2 (Sun 02-04, Sun 02-18)
        21,  // Mar from Fri: 21
        22,  // Apr from Mon: 22; -2 (04-04 Thu, 04-05 Fri), +2 (Sun 04-07, Sun 04-28)
        21,  // May from Wed: 23; -3 (05-01..05-03 Wed-Fri), +1 (Sat 05-11)
        19,  // Jun from Sat: 20; -1 (06-10 Mon; 06-08/09 weekend)
        23,  // Jul from Mon: 23
        22,  // Aug from Thu: 22
        21,  // Sep from Sun: 21; -2 (09-16 Mon, 09-17 Tue), +2 (Sat 09-14, Sun 09-29)
        19,  // Oct from Tue: 23; -5 (10-01..10-04 Tue-Fri, 10-07 Mon), +1 (Sat 10-12)
        21,  // Nov from Fri: 21
        22,  // Dec from Sun: 22
    };
    std::int64_t year = 0;
    for (int m = 1; m <= 12; ++m) {
        EXPECT_EQ(month_workdays(2024, m), expected[m - 1]) << "2024-" << m;
        year += expected[m - 1];
    }
    EXPECT_EQ(year, 251);
    EXPECT_EQ(cn().workdays_in(D("2024-01-01"), D("2024-12-31")), 251);
}

TEST(Workdays, EachMonthOf2025) {
    const std::int64_t expected[12] = {
        19,  // Jan from Wed: 23; -1 (01-01 Wed), -4 (01-28..01-31 Tue-Fri), +1 (Sun 01-26)
        19,  // Feb from Sat, 28 days: 20; -2 (02-03 Mon, 02-04 Tue), +1 (Sat 02-08)
        21,  // Mar from Sat: 21
        22,  // Apr from Tue: 22; -1 (04-04 Fri), +1 (Sun 04-27)
        19,  // May from Thu: 22; -3 (05-01 Thu, 05-02 Fri, 05-05 Mon; 05-31 Sat)
        20,  // Jun from Sun: 21; -1 (06-02 Mon)
        23,  // Jul from Tue: 23
        21,  // Aug from Fri: 21
        23,  // Sep from Mon: 22; +1 (Sun 09-28)
        18,  // Oct from Wed: 23; -6 (10-01..10-03 Wed-Fri, 10-06..10-08 Mon-Wed), +1 (Sat 10-11)
        20,  // Nov from Sat: 20
        23,  // Dec from Mon: 23
    };
    std::int64_t year = 0;
    for (int m = 1; m <= 12; ++m) {
        EXPECT_EQ(month_workdays(2025, m), expected[m - 1]) << "2025-" << m;
        year += expected[m - 1];
    }
    EXPECT_EQ(year, 248);
    EXPECT_EQ(cn().workdays_in(D("2025-01-01"), D("2025-12-31")), 248);
}

TEST(Workdays, EachMonthOf2026) {
    const std::int64_t expected[12] = {
        21,  // Jan from Thu: 22; -2 (01-01 Thu, 01-02 Fri; 01-03 Sat), +1 (Sun 01-04)
        16,  // Feb from Sun, 28 days: 20; -6 (02-16..02-20 Mon-Fri, 02-23 Mon), +2 (Sat 02-14, Sat 02-28)
        22,  // Mar from Sun: 22
        21,  // Apr from Wed: 22; -1 (04-06 Mon)
        19,  // May from Fri: 21; -3 (05-01 Fri, 05-04 Mon, 05-05 Tue), +1 (Sat 05-09)
        21,  // Jun from Mon: 22; -1 (06-19 Fri)
        23,  // Jul from Wed: 23
        21,  // Aug from Sat: 21
        22,  // Sep from Tue: 22; -1 (09-25 Fri), +1 (Sun 09-20)
        18,  // Oct from Thu: 22; -5 (10-01 Thu, 10-02 Fri, 10-05..10-07 Mon-Wed), +1 (Sat 10-10)
        21,  // Nov from Sun: 21
        23,  // Dec from Tue: 23
    };
    std::int64_t year = 0;
    for (int m = 1; m <= 12; ++m) {
        EXPECT_EQ(month_workdays(2026, m), expected[m - 1]) << "2026-" << m;
        year += expected[m - 1];
    }
    EXPECT_EQ(year, 248);
    EXPECT_EQ(cn().workdays_in(D("2026-01-01"), D("2026-12-31")), 248);
}

TEST(Workdays, IsWorkdayAndListings) {
    EXPECT_TRUE(cn().is_workday(D("2023-09-28")));   // Thu
    EXPECT_FALSE(cn().is_workday(D("2023-09-29")));  // Fri, 中秋节
    EXPECT_FALSE(cn().is_workday(D("2023-10-01")));  // Sun inside the holiday
    EXPECT_TRUE(cn().is_workday(D("2023-10-07")));   // Sat, 调休
    EXPECT_TRUE(cn().is_workday(D("2023-10-08")));   // Sun, 调休
    EXPECT_FALSE(cn().is_workday(D("2023-10-14")));  // an ordinary Saturday
    const auto holiday = cn().listed(D("2023-10-03"));
    ASSERT_TRUE(holiday);
    EXPECT_TRUE(holiday->holiday);
    EXPECT_EQ(holiday->label, "中秋节、国庆节");
    EXPECT_EQ(holiday->from, D("2023-09-29"));
    EXPECT_EQ(holiday->to, D("2023-10-06"));
    const auto workday = cn().listed(D("2023-10-08"));
    ASSERT_TRUE(workday);
    EXPECT_FALSE(workday->holiday);
    EXPECT_EQ(workday->label, "国庆节调休");
    EXPECT_FALSE(cn().listed(D("2023-10-09")));
}

TEST(Workdays, AfterWorkdays) {
    // 2023-09-28 is a Thursday; 09-29 (Fri) .. 10-06 (Fri) are holidays; Sat 10-07 is workday 1,
    // Sun 10-08 workday 2, Mon 10-09 workday 3. So "3个工作日内" from 09-28 ends on 10-09.
    EXPECT_EQ(cn().after_workdays(D("2023-09-28"), 1), D("2023-10-07"));
    EXPECT_EQ(cn().after_workdays(D("2023-09-28"), 2), D("2023-10-08"));
    EXPECT_EQ(cn().after_workdays(D("2023-09-28"), 3), D("2023-10-09"));
    // A Friday + 1 workday is the Monday: 2023-11-17 (Fri) -> 2023-11-20 (Mon).
    EXPECT_EQ(cn().after_workdays(D("2023-11-17"), 1), D("2023-11-20"));
    // A Friday + 1 workday before a make-up Saturday: 2023-05-05 (Fri) -> Sat 05-06 (调休).
    EXPECT_EQ(cn().after_workdays(D("2023-05-05"), 1), D("2023-05-06"));
    // A trigger on a holiday: 2023-10-03 (Tue, holiday) + 1 = Sat 10-07; + 5 = Wed 10-11
    // (10-07, 10-08, 10-09 Mon, 10-10 Tue, 10-11 Wed).
    EXPECT_EQ(cn().after_workdays(D("2023-10-03"), 1), D("2023-10-07"));
    EXPECT_EQ(cn().after_workdays(D("2023-10-03"), 5), D("2023-10-11"));
    // A trigger on a make-up workday is not counted either: Sat 2023-10-07 + 1 = Sun 10-08.
    EXPECT_EQ(cn().after_workdays(D("2023-10-07"), 1), D("2023-10-08"));
    // n = 0: the day itself, workday or not.
    EXPECT_EQ(cn().after_workdays(D("2023-10-03"), 0), D("2023-10-03"));
    EXPECT_EQ(cn().after_workdays(D("2023-09-28"), 0), D("2023-09-28"));
    // Across a year end: 2023-12-29 (Fri) + 1: 12-30/31 weekend, 2024-01-01 holiday -> Tue 01-02.
    EXPECT_EQ(cn().after_workdays(D("2023-12-29"), 1), D("2024-01-02"));
    // Spring Festival 2024: Fri 02-09 + 1: 02-10..02-17 holidays -> Sun 02-18 (调休); + 2 -> Mon 02-19.
    EXPECT_EQ(cn().after_workdays(D("2024-02-09"), 1), D("2024-02-18"));
    EXPECT_EQ(cn().after_workdays(D("2024-02-09"), 2), D("2024-02-19"));
    // A whole year: 249 workdays in 2023, the last of them Fri 12-29; from 2022-12-31 (before
    // the year) the 249th workday after is 2023-12-29, and the 250th is 2024-01-02.
    EXPECT_EQ(cn().after_workdays(D("2022-12-31"), 249), D("2023-12-29"));
    EXPECT_EQ(cn().after_workdays(D("2022-12-31"), 250), D("2024-01-02"));
    // Negative n counts back.
    EXPECT_EQ(cn().after_workdays(D("2023-10-09"), -3), D("2023-09-28"));
}

TEST(Workdays, BeforeWorkdays) {
    // Back from Mon 2023-10-09: Sun 10-08 is 1, Sat 10-07 is 2, then past the holiday Thu 09-28 is 3.
    EXPECT_EQ(cn().before_workdays(D("2023-10-09"), 1), D("2023-10-08"));
    EXPECT_EQ(cn().before_workdays(D("2023-10-09"), 2), D("2023-10-07"));
    EXPECT_EQ(cn().before_workdays(D("2023-10-09"), 3), D("2023-09-28"));
    // Mon 2023-11-20 - 1 = Fri 11-17.
    EXPECT_EQ(cn().before_workdays(D("2023-11-20"), 1), D("2023-11-17"));
    // Across a year end: Tue 2024-01-02 - 1: 01-01 holiday, 12-30/31 weekend -> Fri 2023-12-29.
    EXPECT_EQ(cn().before_workdays(D("2024-01-02"), 1), D("2023-12-29"));
    // From a holiday: 2023-10-03 - 1 = Thu 09-28.
    EXPECT_EQ(cn().before_workdays(D("2023-10-03"), 1), D("2023-09-28"));
    EXPECT_EQ(cn().before_workdays(D("2023-10-03"), 0), D("2023-10-03"));
    // 2024's 251 workdays, counted back from 2025-01-01: the 251st before it is the first
    // workday of 2024, Tue 01-02.
    EXPECT_EQ(cn().before_workdays(D("2025-01-01"), 251), D("2024-01-02"));
    EXPECT_EQ(cn().before_workdays(D("2023-09-28"), -3), D("2023-10-09"));
}

TEST(Workdays, WorkdaysInRanges) {
    EXPECT_EQ(cn().workdays_in(D("2023-10-09"), D("2023-10-08")), 0);  // from > to
    EXPECT_EQ(cn().workdays_in(D("2023-09-29"), D("2023-10-06")), 0);  // the holiday
    EXPECT_EQ(cn().workdays_in(D("2023-10-07"), D("2023-10-07")), 1);  // one make-up day
    // Across 2023/2024: Fri 12-29 (1); 12-30, 12-31, 01-01 off; Tue-Fri 01-02..01-05 (4).
    EXPECT_EQ(cn().workdays_in(D("2023-12-29"), D("2024-01-05")), 5);
    // Across 2025/2026: Mon-Wed 12-29..12-31 (3); 01-01..01-03 off; Sun 01-04 (1); Mon 01-05 (1).
    EXPECT_EQ(cn().workdays_in(D("2025-12-29"), D("2026-01-05")), 5);
    // All four years: 249 + 251 + 248 + 248.
    EXPECT_EQ(cn().workdays_in(D("2023-01-01"), D("2026-12-31")), 996);
    // `warn 2 workdays` on a bucket ending Mon 2023-10-09: on T = 09-28 the workdays after T up
    // to the end are 10-07, 10-08, 10-09 (3: not yet at risk); on T = 10-07, 10-08 and 10-09 (2).
    EXPECT_EQ(cn().workdays_in(D("2023-09-29"), D("2023-10-09")), 3);
    EXPECT_EQ(cn().workdays_in(D("2023-10-08"), D("2023-10-09")), 2);
}

TEST(Workdays, CoverageOfTheBuiltInCalendar) {
    ASSERT_TRUE(cn().covered_years());
    EXPECT_EQ(*cn().covered_years(), std::pair(2023, 2026));
    EXPECT_FALSE(cn().covers(D("2022-12-31")));  // listed, but the start of 2023's holiday
    EXPECT_TRUE(cn().covers(D("2023-01-01")));
    EXPECT_TRUE(cn().covers(D("2026-12-31")));
    EXPECT_FALSE(cn().covers(D("2027-01-01")));
    EXPECT_TRUE(cn().covers(D("2023-01-01"), D("2026-12-31")));
    EXPECT_FALSE(cn().covers(D("2026-12-01"), D("2027-01-05")));
    EXPECT_TRUE(cn().covers(D("2027-01-05"), D("2027-01-01")));  // an empty range
    // Beyond coverage: the weekend rule alone. 2027-01-01 is a Friday (2026-12-31 a Thursday):
    // no New Year holiday is known, so it is a workday; + 1 is Mon 01-04.
    EXPECT_TRUE(cn().is_workday(D("2027-01-01")));
    EXPECT_EQ(cn().after_workdays(D("2026-12-31"), 1), D("2027-01-01"));
    EXPECT_EQ(cn().after_workdays(D("2027-01-01"), 1), D("2027-01-04"));
    // Far away, in either direction, without looping: 2000-01-03 is a Monday, and 10 workdays
    // (two weeks) after it is Mon 01-17.
    EXPECT_EQ(cn().after_workdays(D("2000-01-03"), 10), D("2000-01-17"));
    EXPECT_EQ(cn().before_workdays(D("2000-01-17"), 10), D("2000-01-03"));
    // 2100-01-01 is a Friday (2000-01-01, a Saturday, + 36525 days = 5217 weeks + 6), so
    // 2099-12-31 is a Thursday; 5 workdays back: Thu 31, Wed 30, Tue 29, Mon 28, Fri 12-25.
    EXPECT_EQ(cn().before_workdays(D("2100-01-01"), 5), D("2099-12-25"));
}

TEST(Workdays, HugeCountsStopAtTheComputedBound) {
    const day far = cn().after_workdays(D("9999-12-31"), INT64_MAX);
    EXPECT_EQ(far, 10000000);
    EXPECT_EQ(cn().before_workdays(D("1400-01-01"), INT64_MAX), -10000000);
    EXPECT_EQ(cn().after_workdays(D("2023-01-01"), INT64_MIN), -10000000);
    EXPECT_EQ(cn().workdays_in(INT32_MIN, INT32_MAX) > 0, true);
}

TEST(Workdays, ADeclaredCalendar) {
    workday_calendar c("county");
    // Nothing listed: every year is covered, and Saturday/Sunday is the weekend.
    EXPECT_FALSE(c.covered_years());
    EXPECT_TRUE(c.covers(D("1400-01-01")));
    EXPECT_TRUE(c.covers(D("9999-12-31")));
    EXPECT_EQ(c.workdays_in(D("2023-01-02"), D("2023-01-08")), 5);  // Mon..Sun
    EXPECT_EQ(c.add_holiday(D("2024-05-01"), D("2024-05-03"), "劳动节"), "");
    EXPECT_EQ(c.add_workday(D("2024-05-11"), "调休"), "");  // a Saturday
    EXPECT_EQ(c.add_holiday(D("2025-01-01"), D("2025-01-01")), "");
    // Listed 2024 and 2025: those years are covered.
    EXPECT_EQ(*c.covered_years(), std::pair(2024, 2025));
    EXPECT_FALSE(c.covers(D("2023-12-31")));
    EXPECT_TRUE(c.covers(D("2024-01-01")));
    EXPECT_TRUE(c.covers(D("2025-12-31")));
    // May 2024 from Wed: 23 weekdays; -3 (05-01..05-03 Wed-Fri), +1 (Sat 05-11).
    EXPECT_EQ(c.workdays_in(D("2024-05-01"), D("2024-05-31")), 21);
    // Explicit coverage overrides what the listings imply.
    EXPECT_EQ(c.set_covered_years(2020, 2030), "");
    EXPECT_EQ(*c.covered_years(), std::pair(2020, 2030));
    EXPECT_TRUE(c.covers(D("2023-12-31")));
    EXPECT_NE(c.set_covered_years(2030, 2020), "");
    EXPECT_EQ(*c.covered_years(), std::pair(2020, 2030));  // unchanged
}

TEST(Workdays, ACustomWeekend) {
    workday_calendar c("friday");
    EXPECT_EQ(c.set_weekend({weekday::friday}), "");
    EXPECT_TRUE(c.is_weekend(weekday::friday));
    EXPECT_FALSE(c.is_weekend(weekday::saturday));
    // 2023-11-17 is a Friday: off. Thu 11-16 + 1 = Sat 11-18 (Saturday works here).
    EXPECT_FALSE(c.is_workday(D("2023-11-17")));
    EXPECT_TRUE(c.is_workday(D("2023-11-18")));
    EXPECT_EQ(c.after_workdays(D("2023-11-16"), 1), D("2023-11-18"));
    // Six workdays a week: Mon 11-13 .. Sun 11-19 holds 6; November 2023 (30 days from Wed)
    // has 4 Fridays (3, 10, 17, 24): 26.
    EXPECT_EQ(c.workdays_in(D("2023-11-13"), D("2023-11-19")), 6);
    EXPECT_EQ(c.workdays_in(D("2023-11-01"), D("2023-11-30")), 26);
    // A holiday on Thu 11-16, a make-up Friday 11-24: Wed 11-15 + 1 = Sat 11-18; in November 26 - 1 + 1.
    EXPECT_EQ(c.add_holiday(D("2023-11-16"), D("2023-11-16"), "local"), "");
    EXPECT_EQ(c.add_workday(D("2023-11-24")), "");
    EXPECT_EQ(c.after_workdays(D("2023-11-15"), 1), D("2023-11-18"));
    EXPECT_EQ(c.workdays_in(D("2023-11-01"), D("2023-11-30")), 26);
    // Changing the weekend afterwards re-reads the listings: with Sat/Sun weekend again, Fri
    // 11-24 is an ordinary workday; November has 22 weekdays - 1 (Thu 11-16) = 21.
    EXPECT_EQ(c.set_weekend({weekday::saturday, weekday::sunday}), "");
    EXPECT_EQ(c.workdays_in(D("2023-11-01"), D("2023-11-30")), 21);
    // An empty weekend: every day works but the holiday; all seven refused (nothing changes).
    EXPECT_EQ(c.set_weekend({}), "");
    EXPECT_EQ(c.workdays_in(D("2023-11-01"), D("2023-11-30")), 29);
    EXPECT_NE(c.set_weekend({weekday::monday, weekday::tuesday, weekday::wednesday, weekday::thursday,
                             weekday::friday, weekday::saturday, weekday::sunday}),
              "");
    EXPECT_EQ(c.workdays_in(D("2023-11-01"), D("2023-11-30")), 29);
}

TEST(Workdays, ALongHolidayCostsNothingAndIsStepped) {
    workday_calendar c("closed");
    // Closed from 2023-01-01 through 2099-12-31; 2100-01-01 is a Friday.
    EXPECT_EQ(c.add_holiday(D("2023-01-01"), D("2099-12-31"), "closed"), "");
    EXPECT_EQ(c.after_workdays(D("2022-12-30"), 1), D("2100-01-01"));
    EXPECT_EQ(c.before_workdays(D("2100-01-01"), 1), D("2022-12-30"));
    EXPECT_EQ(c.workdays_in(D("2023-01-01"), D("2099-12-31")), 0);
}

TEST(Workdays, RefusedListings) {
    workday_calendar c("plan");
    EXPECT_EQ(c.add_holiday(D("2023-10-06"), D("2023-09-29"), "国庆节"),
              "the holiday 2023-10-06 to 2023-09-29 runs backwards");
    EXPECT_FALSE(c.listed(D("2023-10-01")));
    EXPECT_EQ(c.add_holiday(D("2023-09-29"), D("2023-10-06"), "国庆节"), "");
    // A workday that is a holiday, either way round.
    EXPECT_EQ(c.add_workday(D("2023-10-01"), "调休"),
              "the workday 2023-10-01 (调休) falls in the holiday 2023-09-29 to 2023-10-06 (国庆节)");
    EXPECT_EQ(c.add_workday(D("2023-10-07"), "调休"), "");
    EXPECT_EQ(c.add_holiday(D("2023-10-07"), D("2023-10-08")),
              "the holiday 2023-10-07 to 2023-10-08 holds the workday 2023-10-07 (调休)");
    // Overlapping holidays, and a day listed twice.
    EXPECT_EQ(c.add_holiday(D("2023-09-20"), D("2023-09-29")),
              "the holiday 2023-09-20 to 2023-09-29 overlaps the holiday 2023-09-29 to 2023-10-06 (国庆节)");
    EXPECT_NE(c.add_holiday(D("2023-10-06"), D("2023-10-06")), "");
    EXPECT_EQ(c.add_workday(D("2023-10-07")), "the workday 2023-10-07 is listed twice");
    // Adjacent ranges are fine.
    EXPECT_EQ(c.add_holiday(D("2023-09-28"), D("2023-09-28")), "");
    EXPECT_EQ(c.workdays_in(D("2023-09-25"), D("2023-10-08")), 4);  // Mon-Wed 09-25..27, Sat 10-07
}

TEST(Workdays, TheCsvForm) {
    const auto ok = parse_calendar_csv("# a comment\r\n\nfrom,to,kind,label\r\n2024-05-01,2024-05-03,holiday,a, b\n"
                                       "2024-05-11,2024-05-11,workday,\n",
                                       "mine");
    ASSERT_TRUE(ok) << headline(ok.diagnostics().front());
    EXPECT_EQ(ok->name(), "mine");
    EXPECT_EQ(ok->listed(D("2024-05-02"))->label, "a, b");
    EXPECT_EQ(ok->listed(D("2024-05-11"))->label, "");
    EXPECT_EQ(*ok->covered_years(), std::pair(2024, 2024));

    const auto malformed = parse_calendar_csv("# header next\nfrom,to,kind,label\n2024-05-01,2024-05-03,holiday,x\n"
                                              "2024-05-11,2024-5-11,workday,y\n",
                                              "mine");
    ASSERT_FALSE(malformed);
    ASSERT_EQ(malformed.diagnostics().size(), 1u);
    EXPECT_EQ(headline(malformed.diagnostics()[0]), "mine.csv:4:1: error: `2024-5-11` is not a date (YYYY-MM-DD)");

    const auto several = parse_calendar_csv("from,to,kind\n2024-05-01,2024-05-03\n2024-05-01,2024-05-03,vacation,\n"
                                            "2024-05-03,2024-05-01,holiday,\n",
                                            "mine", "data/mine.csv");
    ASSERT_FALSE(several);
    ASSERT_EQ(several.diagnostics().size(), 4u);
    EXPECT_EQ(headline(several.diagnostics()[0]), "data/mine.csv:1:1: error: expected the header `from,to,kind,label`");
    EXPECT_EQ(headline(several.diagnostics()[1]), "data/mine.csv:2:1: error: expected four fields `from,to,kind,label`");
    EXPECT_EQ(headline(several.diagnostics()[2]),
              "data/mine.csv:3:1: error: the kind `vacation` is neither `holiday` nor `workday`");
    EXPECT_EQ(headline(several.diagnostics()[3]),
              "data/mine.csv:4:1: error: the holiday 2024-05-03 to 2024-05-01 runs backwards");

    const auto conflict = parse_calendar_csv("from,to,kind,label\n2024-05-01,2024-05-05,holiday,\n"
                                             "2024-05-04,2024-05-04,workday,\n",
                                             "mine");
    ASSERT_FALSE(conflict);
    EXPECT_EQ(conflict.diagnostics()[0].pos.line, 3u);

    EXPECT_FALSE(parse_calendar_csv("# only comments\n", "empty"));
}

// The arithmetic against a day-by-day walk over is_workday (itself checked by the months above),
// for every day from 2022-12-01 to 2027-01-31 and counts 0..12, on cn_mainland and on a calendar
// with a Friday-and-Saturday weekend, a holiday range across a year end and make-up Fridays.
TEST(Workdays, AgreesWithAWalkDayByDay) {
    workday_calendar custom("custom");
    ASSERT_EQ(custom.set_weekend({weekday::friday, weekday::saturday}), "");
    ASSERT_EQ(custom.add_holiday(D("2023-12-25"), D("2024-01-03")), "");
    ASSERT_EQ(custom.add_workday(D("2024-01-05")), "");  // a Friday
    ASSERT_EQ(custom.add_workday(D("2024-03-01")), "");  // a Friday
    ASSERT_EQ(custom.add_holiday(D("2024-03-02"), D("2024-03-02")), "");  // a Saturday already off
    for (const workday_calendar* c : {&cn(), static_cast<const workday_calendar*>(&custom)}) {
        const day first = D("2022-12-01"), last = D("2027-01-31");
        for (day d = first; d <= last; ++d) {
            for (std::int64_t n = 0; n <= 12; ++n) {
                day forward = d, back = d;
                for (std::int64_t k = 0; k < n; ++k) {
                    do ++forward; while (!c->is_workday(forward));
                    do --back; while (!c->is_workday(back));
                }
                ASSERT_EQ(c->after_workdays(d, n), forward) << c->name() << " " << to_iso(d) << " + " << n;
                ASSERT_EQ(c->before_workdays(d, n), back) << c->name() << " " << to_iso(d) << " - " << n;
            }
            std::int64_t count = 0;
            for (day e = d; e <= d + 40; ++e) {
                count += c->is_workday(e);
                ASSERT_EQ(c->workdays_in(d, e), count) << c->name() << " " << to_iso(d) << ".." << to_iso(e);
            }
        }
    }
}

}  // namespace
}  // namespace mandate::calendar
