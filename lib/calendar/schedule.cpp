#include "mandate/calendar/schedule.hpp"

#include <algorithm>

#include "mandate/calendar/workdays.hpp"

namespace mandate::calendar {
namespace {

// Start of the calendar period holding d, and the start of the next one.
std::pair<day, day> calendar_period(day d, period_unit unit, weekday week_start) {
    switch (unit) {
        case period_unit::day: return {d, d + 1};
        case period_unit::week: {
            const day s = calendar::week_start(d, week_start);
            return {s, s + 7};
        }
        case period_unit::month: return {month_start(d), next_month_start(d)};
        case period_unit::quarter: return {quarter_start(d), next_quarter_start(d)};
        case period_unit::half: return {half_start(d), next_half_start(d)};
        case period_unit::year: return {year_start(d), next_year_start(d)};
        case period_unit::hour: break;  // counted from the window's start: split() cuts them
    }
    return {d, d + 1};
}

}  // namespace

std::vector<bucket> split(day first, day last, const period& p, weekday week_start, bool full) {
    std::vector<bucket> out;
    if (first > last) return out;
    if (p.unit == period_unit::hour) {
        // Runs of N hours from the first day's midnight, the last cut at the last day's end.
        if (p.count <= 0) return out;
        const minute length = static_cast<minute>(std::min<std::int64_t>(p.count, 1000000)) * 60;
        const minute start = static_cast<minute>(first) * 1440, stop = (static_cast<minute>(last) + 1) * 1440;
        for (minute s = start; s < stop; s += length) {
            const minute e = s + length;  // exclusive
            if (full && e > stop) break;
            bucket b;
            b.clock_from = s;
            b.clock_to = std::min(e, stop) - 1;
            b.from = b.visible = day_of_minute(b.clock_from);
            b.to = day_of_minute(b.clock_to);
            out.push_back(b);
        }
        return out;
    }
    if (p.counted && p.unit == period_unit::month) {
        // Each start is counted from the first day, not from the start before it, so a month's
        // clamping (01-31 + 1 month = 02-28) does not carry into the months after it.
        if (p.count <= 0) return out;
        for (std::int64_t k = 0;; ++k) {
            const std::int64_t s = add_months(first, k * p.count);
            if (s > last) break;
            const std::int64_t e = static_cast<std::int64_t>(add_months(first, (k + 1) * p.count)) - 1;
            if (full && e > last) break;
            const day from = static_cast<day>(s), to = static_cast<day>(std::min<std::int64_t>(e, last));
            out.push_back(bucket{from, to, from});
        }
        return out;
    }
    if (p.counted) {
        const std::int64_t length = p.unit == period_unit::week ? p.count * 7 : p.count;
        if (length <= 0) return out;
        for (std::int64_t s = first; s <= last; s += length) {
            const std::int64_t e = s + length - 1;
            if (full && e > last) break;
            const day from = static_cast<day>(s), to = static_cast<day>(std::min<std::int64_t>(e, last));
            out.push_back(bucket{from, to, from});
        }
        return out;
    }
    for (day s = first; s <= last;) {
        auto [start, next] = calendar_period(s, p.unit, week_start);
        // Every step moves past s, so the loop ends and makes at most one bucket a day whatever
        // the arithmetic returns: a next period once held at 9999-12-31 made it spin forever.
        next = std::max<day>(next, s + 1);
        const bool cut = start < first || next - 1 > last;
        if (!(full && cut)) {
            const day from = std::max(start, first), to = std::min<day>(next - 1, last);
            out.push_back(bucket{from, to, from});
        }
        s = next;
    }
    return out;
}

day period_end(day d, const period& p, weekday week_start) {
    return calendar_period(d, p.unit, week_start).second - 1;
}

day shift(day d, const duration& length, int sign, const workday_calendar* workdays) {
    if (length.unit == time_unit::month) return add_months(d, sign * length.count);
    if (length.unit == time_unit::workday) {
        static const workday_calendar weekends_only("weekends");
        const workday_calendar& cal = workdays ? *workdays : weekends_only;
        return sign > 0 ? cal.after_workdays(d, length.count) : cal.before_workdays(d, length.count);
    }
    // Counts are bounded by the checker; clamp anyway so no arithmetic can overflow. Hours move
    // a date by the days they reach into (25 hours: 2 days).
    const std::int64_t whole = length.unit == time_unit::hour ? (length.count + 23) / 24 : length.days();
    const std::int64_t days = std::clamp<std::int64_t>(whole, -10000000, 10000000);
    const std::int64_t moved = static_cast<std::int64_t>(d) + sign * days;
    return static_cast<day>(std::clamp<std::int64_t>(moved, -10000000, 10000000));
}

day close_day(day end, const std::optional<duration>& grace, const workday_calendar* workdays) {
    return (grace ? shift(end, *grace, +1, workdays) : end) + 1;
}

day warn_day(day end, const duration& warn, const workday_calendar* workdays) {
    if (warn.unit != time_unit::workday) return shift(end, warn, -1, workdays);
    // At risk on T when at most N workdays lie in (T, end]: from the (N+1)th workday counted
    // back from end (end itself counting when it is one).
    duration more = warn;
    more.count = warn.count + 1;
    return shift(end + 1, more, -1, workdays);
}

namespace {

bool digits(std::string_view t, std::size_t at, std::size_t n, int& out) {
    if (at + n > t.size()) return false;
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (t[i] < '0' || t[i] > '9') return false;
        v = v * 10 + (t[i] - '0');
    }
    out = v;
    return true;
}

}  // namespace

std::optional<event_time> parse_time(std::string_view t, int plan_offset_minutes) {
    if (t.size() < 10) return std::nullopt;
    const auto date = parse_iso(t.substr(0, 10));
    if (!date) return std::nullopt;
    event_time out;
    if (t.size() == 10) {
        out.local = *date;
        return out;
    }
    if (t[10] != 'T' && t[10] != 't' && t[10] != ' ') return std::nullopt;
    int hour = 0, minute = 0, second = 0;
    std::size_t i = 11;
    if (t.size() < i + 5 || !digits(t, i, 2, hour) || t[i + 2] != ':' || !digits(t, i + 3, 2, minute))
        return std::nullopt;
    i += 5;
    std::int64_t nanos = 0;
    if (i < t.size() && t[i] == ':') {
        if (!digits(t, i + 1, 2, second)) return std::nullopt;
        i += 3;
        if (i < t.size() && (t[i] == '.' || t[i] == ',')) {
            ++i;
            int count = 0;
            while (i < t.size() && t[i] >= '0' && t[i] <= '9') {
                if (count < 9) nanos = nanos * 10 + (t[i] - '0');
                ++count;
                ++i;
            }
            if (count == 0) return std::nullopt;
            for (int k = std::min(count, 9); k < 9; ++k) nanos *= 10;
        }
    }
    if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
    int offset = plan_offset_minutes;
    if (i < t.size()) {
        if ((t[i] == 'Z' || t[i] == 'z') && i + 1 == t.size()) {
            offset = 0;
        } else if ((t[i] == '+' || t[i] == '-') && t.size() == i + 6 && t[i + 3] == ':') {
            int oh = 0, om = 0;
            if (!digits(t, i + 1, 2, oh) || !digits(t, i + 4, 2, om) || oh > 23 || om > 59) return std::nullopt;
            offset = (t[i] == '-' ? -1 : 1) * (oh * 60 + om);
        } else {
            return std::nullopt;
        }
    }
    // Minutes since the epoch, local to the written offset, then UTC, then the plan's zone.
    const std::int64_t written_minutes = static_cast<std::int64_t>(*date) * 1440 + hour * 60 + minute;
    const std::int64_t utc_minutes = written_minutes - offset;
    const std::int64_t plan_minutes = utc_minutes + plan_offset_minutes;
    std::int64_t local_day = plan_minutes / 1440;
    if (plan_minutes % 1440 != 0 && plan_minutes < 0) --local_day;
    static const day first = from_ymd(min_year, 1, 1), last = from_ymd(max_year, 12, 31);
    if (local_day < first || local_day > last) return std::nullopt;
    out.local = static_cast<day>(local_day);
    out.has_clock = true;
    out.instant_s = utc_minutes * 60 + second;
    out.nanos = static_cast<std::uint32_t>(nanos);
    return out;
}

}  // namespace mandate::calendar
