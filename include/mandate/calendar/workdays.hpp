// Working days: a holiday calendar (weekend days, holidays, make-up working days) and counting
// in workdays, for the `N workdays` durations of LANGUAGE-v2.md section 4 and `calendar NAME`.
//
// A workday is a day that is not a weekend day or a holiday, or is listed as a workday (调休上班).
// The library ships `cn_mainland`, the State Council's holidays and make-up working days for
// 2023-2026 (lib/calendar/data/cn_mainland.csv, compiled in); a plan may declare its own.
//
// Coverage. A calendar covers a span of whole years: only there does it claim to know every
// holiday, so a rule counting workdays on a day outside it is refused (by the checker, asking
// covers()).
//   - `cn_mainland` covers 2023-2026, the years of the four notices. Its first row,
//     2022-12-31, opens 2023's New Year holiday; it does not make 2022 covered.
//   - A declared calendar covers the years from the earliest to the latest year in which it lists
//     a day (a holiday range counts both of its ends), unless set_covered_years says otherwise.
//   - A calendar that lists no day covers every year (weekends alone say what a workday is).
// Outside its coverage a calendar still answers, never looping or throwing: the days it lists
// keep their meaning (cn_mainland's 2022-12-31, a Saturday, stays a holiday) and every other
// day is a workday by the weekend rule alone.
//
// Listing rules (each refusal is a message naming the dates, for the checker to put at the
// declaration; the calendar is left as it was):
//   - a holiday range must not run backwards (`holiday 2023-10-06 to 2023-09-29`);
//   - a day is listed at most once: a holiday range overlapping an earlier one, a workday that is
//     a holiday, a holiday over a listed workday, a workday listed twice are all refused;
//   - a listed workday that is not a weekend day is accepted (it changes nothing: it is one
//     already, but keeps its label);
//   - a holiday on a weekend day is accepted (it changes nothing either, but keeps its label);
//   - the weekend may be any set of weekdays but all seven (no workday at all could be counted);
//     an empty weekend is allowed. The default is Saturday and Sunday.
//
// Counting is by arithmetic on whole weeks plus a sorted list of the listed days (holiday
// ranges stored as ranges, so a long one costs nothing): is_workday, covers, workdays_in are
// O(log m) in the number m of listings; after_workdays / before_workdays O(log m * log N). A
// result beyond the days the library computes with (about years -25400 to 29300, as
// calendar::shift keeps them) is held at that bound.
//
// Value type; a const calendar is safe to share between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mandate/calendar/date.hpp"
#include "mandate/result.hpp"

namespace mandate::calendar {

class workday_calendar {
public:
    // No listed day, weekend Saturday and Sunday: covers every year.
    explicit workday_calendar(std::string name = {});

    const std::string& name() const { return name_; }

    // ---- building (from a `calendar NAME { ... }` declaration or a CSV file)
    // Each returns an error message, empty when the listing was accepted.

    // Holidays from `from` through `to`, inclusive.
    std::string add_holiday(day from, day to, std::string label = {});
    // A make-up working day.
    std::string add_workday(day d, std::string label = {});
    // The weekend days (duplicates ignored); refuses all seven.
    std::string set_weekend(const std::vector<weekday>& days);
    // Covered years, first..last inclusive, in place of those the listings imply; refuses
    // first > last.
    std::string set_covered_years(int first, int last);

    // ---- questions

    bool is_weekend(weekday w) const { return (weekend_mask_ >> static_cast<int>(w)) & 1u; }
    bool is_workday(day d) const;

    // True when d's year is one the calendar covers.
    bool covers(day d) const;
    // True when every day of [from, to] is covered (true when from > to).
    bool covers(day from, day to) const;
    // The covered years (first, last); nullopt when the calendar covers every year.
    std::optional<std::pair<int, int>> covered_years() const;

    // The nth workday strictly after d: "3个工作日内" from a trigger on d ends on
    // after_workdays(d, 3) (the trigger's day is not counted, 民法典 第二百零一条); `grace N
    // workdays` closes a bucket ending e after after_workdays(e, N). n == 0: d itself; n < 0:
    // before_workdays(d, -n).
    day after_workdays(day d, std::int64_t n) const;
    // The nth workday strictly before d. n == 0: d itself; n < 0: after_workdays(d, -n).
    day before_workdays(day d, std::int64_t n) const;
    // The number of workdays in [from, to] (0 when from > to). `warn N workdays` puts a bucket
    // ending e at risk on T when workdays_in(T + 1, e) <= N.
    std::int64_t workdays_in(day from, day to) const;

    // What the calendar lists for d, for explanations: "2023-10-07 workday (国庆节调休)".
    struct listing {
        bool holiday = false;   // a holiday; else a listed workday
        std::string_view label; // as declared; may be empty
        day from = 0, to = 0;   // the listing's range (one day for a workday)
    };
    // The label views the calendar's own text: valid while the calendar is neither changed nor
    // destroyed.
    std::optional<listing> listed(day d) const;

private:
    struct holiday_range {
        day from, to;
        std::string label;
        std::int64_t weekday_count_before;  // weekend-rule workdays in the earlier ranges
    };
    struct listed_workday {
        day d;
        std::string label;
        std::int64_t made_up_through;  // listed workdays on weekend days up to this one
    };

    void reindex();
    // Workdays in [anchor, x] for a fixed anchor far in the past, so differences count ranges.
    std::int64_t workday_rank(std::int64_t x) const;
    // Workdays by the weekend rule alone in [anchor, x].
    std::int64_t weekly_rank(std::int64_t x) const;
    // The first x with workday_rank(x) >= target, searching [lo, hi].
    std::int64_t first_with_rank(std::int64_t target, std::int64_t lo, std::int64_t hi) const;

    std::string name_;
    unsigned weekend_mask_ = (1u << static_cast<int>(weekday::saturday)) | (1u << static_cast<int>(weekday::sunday));
    int workdays_per_week_ = 5;
    std::int64_t week_prefix_[8] = {};       // weekend-rule workdays among the first i days of a week from Monday
    std::vector<holiday_range> holidays_;    // sorted by from; disjoint
    std::vector<listed_workday> workdays_;   // sorted; distinct; none inside a holiday
    std::int64_t holiday_weekdays_ = 0;      // weekend-rule workdays inside all holidays
    std::optional<std::pair<int, int>> explicit_years_;  // set_covered_years
    std::optional<std::pair<int, int>> listed_years_;    // earliest and latest year listed
};

// Parses a calendar in the CSV form of lib/calendar/data/cn_mainland.csv: lines starting with
// '#' and blank lines are skipped; the first other line is the header `from,to,kind,label`;
// then one row per range: two ISO dates (inclusive), `holiday` or `workday`, and a label (the
// rest of the line, commas and all; may be empty). A trailing '\r' is ignored. A malformed row,
// or one the listing rules above refuse, is an error at its line of `file_name` (default
// "NAME.csv"). Coverage follows the declared-calendar rule; callers may set it after.
result<workday_calendar> parse_calendar_csv(std::string_view text, std::string name, std::string file_name = {});

// The calendars compiled into the library: "cn_mainland"; nullptr for any other name. Built
// once, on first use, and never freed.
const workday_calendar* builtin_calendar(std::string_view name);
std::vector<std::string> builtin_calendar_names();

}  // namespace mandate::calendar
