// Lengths of time as plans write them: a duration (`5 days`, `2 weeks`, `1 month`: grace,
// warn, within) and a period (`month`, `quarter`, `10 days`: how a window is cut).
#pragma once

#include <climits>
#include <cstdint>

namespace mandate::calendar {

// Hours and workdays are LANGUAGE-v2.md section 4's: a workday's length depends on the plan's
// calendar (workdays.hpp), and an hour is counted to the minute.
enum class time_unit : std::uint8_t { day, week, month, hour, workday };
struct duration {
    std::int64_t count = 0;
    time_unit unit = time_unit::day;
    // Fixed length in days; months and workdays have none, hours are counted by hours()
    // (callers check unit first).
    std::int64_t days() const {
        return unit == time_unit::week ? (count > INT64_MAX / 7 ? INT64_MAX : count * 7) : count;
    }
    bool in_days() const { return unit == time_unit::day || unit == time_unit::week; }
};

// `half`: calendar half-years (January-June, July-December). `N months` is counted from the
// window's start (counted), `month` is the calendar month.
enum class period_unit : std::uint8_t { day, week, month, quarter, year, half, hour };
struct period {
    period_unit unit = period_unit::month;
    std::int64_t count = 1;
    bool counted = false;  // `N days` / `N weeks`: counted from the window start, not the calendar
};

}  // namespace mandate::calendar
