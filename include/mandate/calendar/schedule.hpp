// Buckets: how a window is cut into periods (`every`, the sub-periods of `streak`), shifting a
// date by a duration, when a bucket closes. Also event times: parsing and conversion to the
// plan's local date. A rule's own buckets are check/buckets.hpp's.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "mandate/calendar/date.hpp"
#include "mandate/calendar/period.hpp"

namespace mandate::calendar {

// One bucket: its reported period [from, to], and the first day it is reported. For a
// cumulative bucket `from` is the cumulative start while `visible` is the start of the
// calendar period that ends it; otherwise visible == from.
struct bucket {
    day from = 0, to = 0;
    day visible = 0;
    // An hour bucket (`every N hours`, `within N hours`): the minutes whose events count,
    // inclusive; from..to are the days they fall on. no_clock: a bucket of whole days.
    minute clock_from = no_clock, clock_to = no_clock;
    friend bool operator==(const bucket& a, const bucket& b) {
        return a.from == b.from && a.to == b.to && a.visible == b.visible && a.clock_from == b.clock_from &&
               a.clock_to == b.clock_to;
    }
};

// Cuts [first, last] into periods of `p`: calendar periods (weeks begin on `week_start`)
// clipped to the range, or, for counted periods (N days, N weeks, N months), runs of N from
// `first` with the last one clipped. `full` drops periods the range cuts short.
std::vector<bucket> split(day first, day last, const period& p, weekday week_start, bool full);

class workday_calendar;

// d + length (sign +1) or d - length (sign -1), months calendar-aware; `N workdays` the Nth
// workday after (before) d, by `workdays` (nullptr: Saturday and Sunday off, no holidays).
day shift(day d, const duration& length, int sign, const workday_calendar* workdays = nullptr);
// The first day on which a bucket ending `end` is closed: end + grace + 1 day.
day close_day(day end, const std::optional<duration>& grace, const workday_calendar* workdays = nullptr);
// The first day a bucket ending `end` is in its warn window: end - warn, or for `N workdays`
// the first T with at most N workdays in (T, end].
day warn_day(day end, const duration& warn, const workday_calendar* workdays = nullptr);
// The last day of the calendar period (of p's unit) holding d.
day period_end(day d, const period& p, weekday week_start);

// ---------------------------------------------------------------- event times

// A parsed `time`: its local date in the plan's zone, and a key that is equal for two
// times exactly when they denote the same date (date-only) or the same instant.
struct event_time {
    day local = 0;
    bool has_clock = false;
    std::int64_t instant_s = 0;   // UTC seconds since the epoch (has_clock only)
    std::uint32_t nanos = 0;      // and nanoseconds within that second
    friend bool operator==(const event_time& a, const event_time& b) {
        return a.has_clock == b.has_clock &&
               (a.has_clock ? a.instant_s == b.instant_s && a.nanos == b.nanos : a.local == b.local);
    }
};

// Parses "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM[:SS[.fraction]]" optionally followed by "Z" or
// "+HH:MM"/"-HH:MM" (no offset: local time in the plan's zone). nullopt when malformed, or
// when the local date falls outside the supported years (calendar::min_year..max_year).
std::optional<event_time> parse_time(std::string_view text, int plan_offset_minutes);

}  // namespace mandate::calendar
