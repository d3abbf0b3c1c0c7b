#include "mandate/calendar/date.hpp"

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include <algorithm>
#include <cstdio>

namespace mandate::calendar {
namespace {

namespace greg = boost::gregorian;

const greg::date epoch(1970, 1, 1);
const long epoch_day_number = static_cast<long>(epoch.day_number());

greg::date to_boost(day d) { return epoch + greg::days(d); }

day from_boost(const greg::date& g) { return static_cast<day>(static_cast<long>(g.day_number()) - epoch_day_number); }

// Division rounding towards minus infinity, for month indexes and weekdays before year 0 or
// the epoch.
std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

// The proleptic Gregorian calendar by arithmetic, for any year: H. Hinnant's days_from_civil.
// Boost.Date_Time refuses dates outside 1400..9999, but a period that ends on 9999-12-31 still
// needs the start of the next one (10000-01-01), and a shift back from 1400-01-10 its result.
std::int64_t civil_days(std::int64_t year, int month, int day_of_month) {
    const std::int64_t y = year - (month <= 2);
    const std::int64_t era = floor_div(y, 400);
    const std::int64_t yoe = y - era * 400;
    const std::int64_t doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day_of_month - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int civil_month_length(std::int64_t year, int month) {
    static const int lengths[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    return month == 2 && leap ? 29 : lengths[month - 1];
}

// Dates computed past the supported range stay within this many days of the epoch (about
// year -25400 to 29300), as `shift` keeps them, so no day number can overflow.
constexpr std::int64_t computed_day_bound = 10000000;

day bounded_day(std::int64_t d) { return static_cast<day>(std::clamp(d, -computed_day_bound, computed_day_bound)); }

}  // namespace

bool is_leap_year(int year) { return greg::gregorian_calendar::is_leap_year(static_cast<unsigned short>(year)); }

int days_in_month(int year, int month) {
    return greg::gregorian_calendar::end_of_month_day(static_cast<unsigned short>(year), static_cast<unsigned short>(month));
}

bool is_valid(int year, int month, int day_of_month) {
    return year >= min_year && year <= max_year && month >= 1 && month <= 12 && day_of_month >= 1 &&
           day_of_month <= days_in_month(year, month);
}

day from_ymd(int year, int month, int day_of_month) {
    if (is_valid(year, month, day_of_month)) {
        // The proleptic Gregorian calendar Boost.Date_Time also counts in, without constructing
        // (and validating again) a Boost date for every record.
        return static_cast<day>(civil_days(year, month, day_of_month));
    }
    // Not a valid date: Boost says why (it throws).
    return from_boost(greg::date(static_cast<unsigned short>(year), static_cast<unsigned short>(month),
                                 static_cast<unsigned short>(day_of_month)));
}

ymd to_ymd(day d) {
    static const day first = from_ymd(min_year, 1, 1), last = from_ymd(max_year, 12, 31);
    if (d >= first && d <= last) {
        const auto g = to_boost(d).year_month_day();
        return ymd{g.year, g.month, g.day};
    }
    // Outside Boost.Date_Time's range (dates computed by a rule, such as max(...) + N days):
    // the proleptic Gregorian calendar by H. Hinnant's civil_from_days, so nothing throws.
    const std::int64_t z = static_cast<std::int64_t>(d) + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const int dom = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    return ymd{static_cast<int>(yoe + era * 400 + (month <= 2)), month, dom};
}

std::string to_iso(day d) {
    const ymd v = to_ymd(d);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", v.year, v.month, v.day);
    return buf;
}

std::optional<day> parse_iso(std::string_view t) {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
    int parts[3] = {0, 0, 0};
    const int starts[3] = {0, 5, 8}, lengths[3] = {4, 2, 2};
    for (int k = 0; k < 3; ++k) {
        for (int i = 0; i < lengths[k]; ++i) {
            const char c = t[static_cast<std::size_t>(starts[k] + i)];
            if (c < '0' || c > '9') return std::nullopt;
            parts[k] = parts[k] * 10 + (c - '0');
        }
    }
    if (!is_valid(parts[0], parts[1], parts[2])) return std::nullopt;
    return from_ymd(parts[0], parts[1], parts[2]);
}

weekday weekday_of(day d) {
    static const day first = from_ymd(min_year, 1, 1), last = from_ymd(max_year, 12, 31);
    if (d < first || d > last) {
        // Outside Boost.Date_Time's range: 1970-01-01, day 0, was a Thursday.
        const std::int64_t k = static_cast<std::int64_t>(d) + 3;
        return static_cast<weekday>(k - floor_div(k, 7) * 7);
    }
    // Boost numbers Sunday 0 .. Saturday 6.
    const int sunday_based = to_boost(d).day_of_week().as_number();
    return static_cast<weekday>((sunday_based + 6) % 7);
}

day add_months(day d, std::int64_t n) {
    n = std::clamp<std::int64_t>(n, -200000, 200000);  // beyond the supported years either way
    const ymd v = to_ymd(d);
    // Counted past the supported years rather than stopped at their ends: a result held at
    // 9999-12-31 made the month after December 9999 start on its last day, and cutting a
    // window into months then never got past it.
    const std::int64_t index = static_cast<std::int64_t>(v.year) * 12 + (v.month - 1) + n;
    const std::int64_t year = floor_div(index, 12);
    const int month = static_cast<int>(index - year * 12) + 1;
    const int dom = std::min(v.day, civil_month_length(year, month));
    return bounded_day(civil_days(year, month, dom));
}

// From a day of any year (to_ymd counts past the supported range too), so none of these throws.
day month_start(day d) {
    const ymd v = to_ymd(d);
    return bounded_day(civil_days(v.year, v.month, 1));
}

day quarter_start(day d) {
    const ymd v = to_ymd(d);
    return bounded_day(civil_days(v.year, (v.month - 1) / 3 * 3 + 1, 1));
}

std::string to_iso_minute(minute m, int offset_minutes) {
    const day d = day_of_minute(m);
    const auto in_day = static_cast<int>(m - static_cast<minute>(d) * 1440);
    const int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    char buf[32];
    std::snprintf(buf, sizeof buf, "T%02d:%02d%c%02d:%02d", in_day / 60, in_day % 60, offset_minutes < 0 ? '-' : '+', off / 60,
                  off % 60);
    return to_iso(d) + buf;
}

day half_start(day d) {
    const ymd v = to_ymd(d);
    return bounded_day(civil_days(v.year, v.month <= 6 ? 1 : 7, 1));
}

day year_start(day d) { return bounded_day(civil_days(to_ymd(d).year, 1, 1)); }

day week_start(day d, weekday first) {
    const int offset = (static_cast<int>(weekday_of(d)) - static_cast<int>(first) + 7) % 7;
    return d - offset;
}

day next_month_start(day d) { return add_months(month_start(d), 1); }
day next_quarter_start(day d) { return add_months(quarter_start(d), 3); }
day next_half_start(day d) { return add_months(half_start(d), 6); }
day next_year_start(day d) { return add_months(year_start(d), 12); }

}  // namespace mandate::calendar
