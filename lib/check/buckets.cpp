#include "mandate/check/buckets.hpp"

#include <algorithm>

namespace mandate::check {

std::vector<calendar::bucket> rule_buckets(const rule& r, calendar::weekday week_start) {
    switch (r.schedule) {
        case schedule_kind::whole: return {calendar::bucket{r.window_from, r.window_to, r.window_from}};
        case schedule_kind::by: return {calendar::bucket{r.window_from, r.by, r.window_from}};
        case schedule_kind::every: {
            std::vector<calendar::bucket> out = calendar::split(r.window_from, r.window_to, r.per, week_start, r.full);
            if (r.cumulative)
                for (auto& b : out) b.from = r.cumulative_from;  // `visible` stays the period's own start
            return out;
        }
        case schedule_kind::after:
        case schedule_kind::before: return {};
    }
    return {};
}

std::optional<calendar::bucket> triggered_bucket(const rule& r, day d) {
    if (d < r.window_from || d > r.window_to) return std::nullopt;
    if (r.schedule == schedule_kind::after) {
        const day to = std::min(calendar::shift(d, r.within, +1) - 1, r.window_to);
        return calendar::bucket{d, std::max(to, d), d};
    }
    const day from = std::max(calendar::shift(d, r.within, -1) + 1, r.window_from);
    return calendar::bucket{std::min(from, d), d, std::min(from, d)};
}

std::optional<calendar::bucket> waived_bucket(const rule& r, const std::vector<calendar::bucket>& calendar_buckets, day period) {
    if (r.schedule == schedule_kind::after || r.schedule == schedule_kind::before) {
        // A triggered bucket is named by its first day: an `after` bucket's is its trigger's,
        // a `before` bucket's lies `within` before its trigger (unless the window cut it).
        const day trigger = r.schedule == schedule_kind::after ? period : calendar::shift(period, r.within, +1) - 1;
        auto b = triggered_bucket(r, trigger);
        if (b && b->from != period) return std::nullopt;
        return b;
    }
    for (const auto& b : calendar_buckets)
        if (b.visible <= period && period <= b.to) return b;
    return std::nullopt;
}

bool waiver_names(const rule& r, const std::vector<calendar::bucket>& calendar_buckets, day from, day to, day period) {
    if (r.schedule == schedule_kind::after || r.schedule == schedule_kind::before) return from == period;
    const auto b = waived_bucket(r, calendar_buckets, period);
    return b && b->from == from && b->to == to;
}

}  // namespace mandate::check
