#include "time_calendar.hpp"

#include <algorithm>

#include "mandate/calendar/schedule.hpp"
#include "mandate/check/buckets.hpp"

namespace mandate::eval {

time_calendar::time_calendar(const graph::compiled_plan& plan)
    : rules_(plan.rules().size()), calendar_(plan.rules().size(), false) {
    const check::plan& model = plan.model();
    for (std::size_t r = 0; r < model.rules.size(); ++r) {
        const check::rule& rule = model.rules[r];
        if (rule.schedule == check::schedule_kind::after || rule.schedule == check::schedule_kind::before ||
            rule.event_phase >= 0)
            continue;
        calendar_[r] = true;
        rule_days& mine = rules_[r];
        const auto& buckets = plan.rules()[r].buckets;
        for (std::size_t i = 0; i < buckets.size(); ++i) {
            const calendar::bucket& b = buckets[i];
            const auto index = static_cast<std::uint32_t>(i);
            const day end = check::counted_days(rule, b.from, b.to).to;  // the due range's end, with `due`
            const day close = calendar::close_day(end, rule.grace, model.workdays.get());
            mine.days.push_back({b.visible, index});
            mine.days.push_back({close, index});
            if (rule.warn) mine.days.push_back({calendar::warn_day(end, *rule.warn, model.workdays.get()), index});
            mine.last_close = std::max(mine.last_close, close);
        }
        std::sort(mine.days.begin(), mine.days.end());
    }
}

std::size_t time_calendar::due(int r, day lo, day hi, std::vector<std::uint8_t>& due) const {
    const auto& days = rules_[static_cast<std::size_t>(r)].days;
    std::size_t marked = 0;
    if (lo >= hi) return 0;
    // (lo, hi]: from the first day after lo to the last on or before hi.
    auto it = std::upper_bound(days.begin(), days.end(), lo, [](day d, const transition& t) { return d < t.d; });
    for (; it != days.end() && it->d <= hi; ++it) {
        if (it->bucket >= due.size()) due.resize(it->bucket + 1, 0);
        if (!due[it->bucket]) ++marked;
        due[it->bucket] = 1;
    }
    return marked;
}

}  // namespace mandate::eval
