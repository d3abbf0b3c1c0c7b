// Calendar dates as day numbers, and the calendar arithmetic the language needs (month
// durations, weeks with a chosen first day, quarters). Built on Boost.Date_Time's Gregorian
// calendar; a day number is cheap to store per event and to compare.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mandate::calendar {

// Days since 1970-01-01 in the proleptic Gregorian calendar (negative before). Dates are local
// calendar dates in the plan's zone.
using day = std::int32_t;

struct ymd {
    int year = 1970, month = 1, day = 1;
};

// Boost.Date_Time's range: years 1400..9999.
inline constexpr int min_year = 1400;
inline constexpr int max_year = 9999;

int days_in_month(int year, int month);
bool is_leap_year(int year);
// True when year/month/day name a real date in the supported range.
bool is_valid(int year, int month, int day);
// Precondition: is_valid(year, month, day).
day from_ymd(int year, int month, int day);
ymd to_ymd(day d);
// "2023-05-31".
std::string to_iso(day d);
// Parses exactly "YYYY-MM-DD"; nullopt unless it is a real date.
std::optional<day> parse_iso(std::string_view text);

// A local date-time to the minute, for hour buckets (LANGUAGE-v2.md section 4): minutes since
// 1970-01-01T00:00 in the plan's zone. `no_clock` marks a bucket of whole days.
using minute = std::int64_t;
inline constexpr minute no_clock = INT64_MIN;
inline day day_of_minute(minute m) { return static_cast<day>(m >= 0 ? m / 1440 : -((-m + 1439) / 1440)); }
// "2025-07-03T14:00+08:00", the offset the plan's zone has (minutes east of UTC).
std::string to_iso_minute(minute m, int offset_minutes);

enum class weekday { monday, tuesday, wednesday, thursday, friday, saturday, sunday };
weekday weekday_of(day d);

// Adds n calendar months; a day past the end of the target month clamps to its last day
// (01-31 + 1 month = 02-28, 04-30 + 1 month = 05-30). The result may lie outside the supported
// years (9999-12-01 + 1 month = 10000-01-01): it is counted on, never held at the range's end.
day add_months(day d, std::int64_t n);

// The first day of the calendar month / quarter / half-year / year / week holding d, and of the next one
// (which for a period ending on 9999-12-31 is 10000-01-01). Defined for days of any year.
day month_start(day d);
day quarter_start(day d);
day half_start(day d);  // January 1 or July 1
day year_start(day d);
day week_start(day d, weekday first);
day next_month_start(day d);
day next_quarter_start(day d);
day next_half_start(day d);
day next_year_start(day d);

}  // namespace mandate::calendar
