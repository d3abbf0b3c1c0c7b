// Subscriptions: after each change of records, the buckets whose status (or fired, or final)
// differs as of the watch date from what subscribers last heard, before and after.
#include "engine_state.hpp"

namespace mandate::eval {

void engine_state::notify(bool seed_only) {
    if (subscribers.empty()) return;
    const std::optional<day> when = watch_date ? watch_date : st.latest_event;
    std::map<bucket_key, status_change> current;
    if (when) {
        const report now = evaluate(*when, false);
        for (const auto& r : now.results) {
            status_change& c = current[bucket_key{false, r.obligation, r.unit, r.span.from, r.span.to}];
            c.rule = r.obligation;
            c.unit = r.unit;
            c.span = r.span;
            c.after = r.status;
        }
        for (const auto& o : now.outcomes) {
            status_change& c = current[bucket_key{true, o.outcome, o.unit, o.span.from, o.span.to}];
            c.outcome = true;
            c.rule = o.outcome;
            c.unit = o.unit;
            c.span = o.span;
            c.fired_after = o.fired;
            c.final_after = o.final;
        }
    }
    std::vector<status_change> changes;
    if (!seed_only) {
        for (const auto& [key, now] : current) {
            auto before = snapshot.find(key);
            if (before == snapshot.end()) {
                changes.push_back(now);
                continue;
            }
            const status_change& was = before->second;
            if (was.after == now.after && was.fired_after == now.fired_after && was.final_after == now.final_after) continue;
            status_change c = now;
            c.before = was.after;
            c.fired_before = was.fired_after;
            c.final_before = was.final_after;
            changes.push_back(std::move(c));
        }
        // Buckets that no longer exist (a retracted trigger, a retired unit).
        for (const auto& [key, was] : snapshot) {
            if (current.count(key)) continue;
            status_change c = was;
            c.before = was.after;
            c.fired_before = was.fired_after;
            c.final_before = was.final_after;
            c.after.reset();
            c.fired_after.reset();
            c.final_after.reset();
            changes.push_back(std::move(c));
        }
    }
    snapshot = std::move(current);
    // A copy: a callback may unsubscribe (itself or another) while we call them.
    const auto listeners = subscribers;
    for (const auto& c : changes)
        for (const auto& [token, callback] : listeners)
            if (subscribers.count(token)) callback(c);
}

}  // namespace mandate::eval
