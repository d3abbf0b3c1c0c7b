#include "mandate/check/buckets.hpp"

#include <algorithm>
#include <climits>
#include <cstdint>

namespace mandate::check {

std::vector<calendar::bucket> rule_buckets(const rule& r, calendar::weekday week_start) {
    switch (r.schedule) {
        case schedule_kind::whole:
            if (r.event_phase >= 0) return {};
            return {calendar::bucket{r.window_from, r.window_to, r.window_from}};
        case schedule_kind::by: return {calendar::bucket{r.window_from, r.by, r.window_from}};
        case schedule_kind::every: {
            if (r.event_phase >= 0) return {};
            std::vector<calendar::bucket> out = calendar::split(r.window_from, r.window_to, r.per, week_start, r.full);
            if (r.cumulative)
                for (auto& b : out) b.from = r.cumulative_from;  // `visible` stays the period's own start
            if (r.due == rule::due_kind::after || r.due == rule::due_kind::day_after)
                for (auto& b : out) b.visible = counted_days(r, b.from, b.to).from;
            return out;
        }
        case schedule_kind::after:
        case schedule_kind::before: return {};
    }
    return {};
}

std::vector<calendar::bucket> window_buckets(const rule& r, calendar::weekday week_start, day first,
                                             std::optional<day> last, day until) {
    if (r.schedule == schedule_kind::whole) return {calendar::bucket{first, last.value_or(std::max(first, until)), first}};
    // With `due ... after`, a bucket is first reported when its due range starts.
    auto due_visible = [&](std::vector<calendar::bucket> out) {
        if (r.due == rule::due_kind::after || r.due == rule::due_kind::day_after)
            for (auto& b : out) b.visible = counted_days(r, b.from, b.to).from;
        return out;
    };
    if (last) return due_visible(calendar::split(first, *last, r.per, week_start, r.full));
    // Open: whole periods up to the one holding `until`, the last not cut at it. No period is
    // longer than `longest` days, so the one holding `until` ends before until + longest.
    if (until < first) return {};
    const std::int64_t count = std::max<std::int64_t>(1, r.per.count);
    std::int64_t longest = 366;
    if (r.per.unit == calendar::period_unit::day) longest = count;
    else if (r.per.unit == calendar::period_unit::week) longest = 7 * count;
    else if (r.per.unit == calendar::period_unit::month) longest = 31 * count;
    else if (r.per.unit == calendar::period_unit::hour) longest = count / 24 + 2;
    const day far = static_cast<day>(std::min<std::int64_t>(static_cast<std::int64_t>(until) + longest, INT32_MAX / 2));
    // (`full` drops a first period the window's start cuts; the last is whole by construction.)
    std::vector<calendar::bucket> out = calendar::split(first, far, r.per, week_start, r.full);
    while (!out.empty() && out.back().from > until) out.pop_back();
    return due_visible(std::move(out));
}

std::optional<calendar::bucket> triggered_clock_bucket(const rule& r, calendar::minute at) {
    const day d = calendar::day_of_minute(at);
    if (d < r.window_from || d > r.window_to) return std::nullopt;
    const calendar::minute length = r.within.count * 60;
    const calendar::minute first = static_cast<calendar::minute>(r.window_from) * 1440;
    const calendar::minute last = (static_cast<calendar::minute>(r.window_to) + 1) * 1440 - 1;
    calendar::bucket b;
    if (r.schedule == schedule_kind::after) {
        b.clock_from = at;
        b.clock_to = std::min(at + length, last);
    } else {
        b.clock_from = std::max(at - length, first);
        b.clock_to = at;
    }
    b.from = b.visible = calendar::day_of_minute(b.clock_from);
    b.to = calendar::day_of_minute(b.clock_to);
    return b;
}

due_range counted_days(const rule& r, day from, day to) {
    auto day_of_month = [&](day in_month) {
        const calendar::ymd m = calendar::to_ymd(in_month);
        return calendar::from_ymd(m.year, m.month, std::min(r.due_day, calendar::days_in_month(m.year, m.month)));
    };
    switch (r.due) {
        case rule::due_kind::none: break;
        case rule::due_kind::day: return {from, std::max(from, day_of_month(to))};
        case rule::due_kind::after: return {to + 1, std::max<day>(to + 1, calendar::shift(to, r.due_length, +1, r.workdays))};
        case rule::due_kind::day_after: return {to + 1, std::max<day>(to + 1, day_of_month(to + 1))};
    }
    return {from, to};
}

std::optional<calendar::bucket> triggered_bucket(const rule& r, day d) {
    const calendar::workday_calendar* workdays = r.workdays;
    if (d < r.window_from || d > r.window_to) return std::nullopt;
    if (r.within.unit == calendar::time_unit::hour) return triggered_clock_bucket(r, static_cast<calendar::minute>(d) * 1440);
    if (r.schedule == schedule_kind::after) {
        // `within N days`: the trigger's day is the first of the N; `within N workdays`: the
        // trigger's day is not counted, the bucket runs through the Nth workday after it.
        const day end = r.within.unit == calendar::time_unit::workday ? calendar::shift(d, r.within, +1, workdays)
                                                                       : calendar::shift(d, r.within, +1) - 1;
        const day to = std::min(end, r.window_to);
        return calendar::bucket{d, std::max(to, d), d};
    }
    const day start = r.within.unit == calendar::time_unit::workday ? calendar::shift(d, r.within, -1, workdays)
                                                                     : calendar::shift(d, r.within, -1) + 1;
    const day from = std::max(start, r.window_from);
    return calendar::bucket{std::min(from, d), d, std::min(from, d)};
}

std::optional<calendar::bucket> waived_bucket(const rule& r, const std::vector<calendar::bucket>& calendar_buckets, day period) {
    if (r.schedule == schedule_kind::after || r.schedule == schedule_kind::before) {
        // A triggered bucket is named by its first day: an `after` bucket's is its trigger's,
        // a `before` bucket's lies `within` before its trigger (unless the window cut it).
        // (`within N workdays` before: the bucket starts on the Nth workday before its trigger.)
        const day trigger = r.schedule == schedule_kind::after               ? period
                            : r.within.unit == calendar::time_unit::workday ? calendar::shift(period, r.within, +1, r.workdays)
                                                                             : calendar::shift(period, r.within, +1) - 1;
        auto b = triggered_bucket(r, trigger);
        if (b && b->from != period) return std::nullopt;
        return b;
    }
    for (const auto& b : calendar_buckets)
        // Named by a date of its period: from the day it is first reported (a cumulative
        // bucket's calendar period), or from its start when that day lies in its due range.
        if ((b.visible <= b.to ? b.visible : b.from) <= period && period <= b.to) return b;
    return std::nullopt;
}

bool waiver_names(const rule& r, const std::vector<calendar::bucket>& calendar_buckets, day from, day to, day period) {
    if (r.schedule == schedule_kind::after || r.schedule == schedule_kind::before) return from == period;
    // During a phase bounded by events the buckets come with the events: one is named by a
    // date of its period.
    if (r.event_phase >= 0) return from <= period && period <= to;
    const auto b = waived_bucket(r, calendar_buckets, period);
    return b && b->from == from && b->to == to;
}

}  // namespace mandate::check
