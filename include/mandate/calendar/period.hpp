// Lengths of time as plans write them: a duration (`5 days`, `2 weeks`, `1 month`: grace,
// warn, within) and a period (`month`, `quarter`, `10 days`: how a window is cut).
#pragma once

#include <climits>
#include <cstdint>

namespace mandate::calendar {

enum class time_unit : std::uint8_t { day, week, month };
struct duration {
    std::int64_t count = 0;
    time_unit unit = time_unit::day;
    // Fixed length in days; months have none (callers check unit first).
    std::int64_t days() const {
        return unit == time_unit::week ? (count > INT64_MAX / 7 ? INT64_MAX : count * 7) : count;
    }
};

enum class period_unit : std::uint8_t { day, week, month, quarter, year };
struct period {
    period_unit unit = period_unit::month;
    std::int64_t count = 1;
    bool counted = false;  // `N days` / `N weeks`: counted from the window start, not the calendar
};

}  // namespace mandate::calendar
