// The evidence of one reported row: its measures recomputed with a collector of the events
// counted, what was not covered, the longest gap, numerator and denominator (evaluation.hpp).
#include "evaluation.hpp"

#include <algorithm>

namespace mandate::eval {

std::string_view evaluation::unit_text(std::uint32_t unit) const {
    return unit == none ? std::string_view() : e_.st.text(e_.st.entities[unit].id);
}

evidence evaluation::evidence_for(const check::rule& rule, const graph::rule_node& rn, const bucket_state& s) {
    evidence ev;
    collector c;
    c.limit = e_.options.evidence_limit;
    context ctx{s.unit, check::counted_days(rule, s.from, s.to).from, s.end, &rule, false};
    ctx.period_to = s.to;
    ctx.clock_from = s.clock_from();
    ctx.clock_to = s.clock_to();
    for (std::size_t k = 0; k < rn.aggregates.size(); ++k) {
        const node_id m = rn.aggregates[k];
        const node& n = plan_.at(m);
        val v;
        if (n.kind == node_kind::aggregate) {
            v = aggregate(m, ctx, &c);
        } else if (n.kind == node_kind::violations) {
            std::vector<std::pair<int, const bucket_state*>> counted;
            v = violations(n, ctx, &counted);
            std::sort(counted.begin(), counted.end(), [&](const auto& a, const auto& b) {
                if (a.first != b.first) return a.first < b.first;
                if (a.second->unit != b.second->unit) return unit_text(a.second->unit) < unit_text(b.second->unit);
                return a.second->from < b.second->from;
            });
            for (const auto& [q, b] : counted) {
                if (ev.violated.size() == c.limit) break;
                violated_bucket vb;
                vb.obligation = model_.rules[static_cast<std::size_t>(q)].id;
                if (b->unit != none) vb.unit = std::string(unit_text(b->unit));
                vb.span = period{b->from, b->to};
                vb.span.clock_from = b->clock_from();
                vb.span.clock_to = b->clock_to();
                vb.span.offset_minutes = model_.utc_offset_minutes;
                if (std::none_of(ev.violated.begin(), ev.violated.end(), [&](const violated_bucket& x) {
                        return x.obligation == vb.obligation && x.unit == vb.unit && x.span == vb.span;
                    }))
                    ev.violated.push_back(std::move(vb));
            }
        } else if (n.kind == node_kind::units || n.kind == node_kind::all_units || n.kind == node_kind::any_unit) {
            v = units(m, ctx, &c);
        } else {
            v = eval(m, ctx);
        }
        ev.measures.emplace_back(rn.measure_names[k], to_reported(v));
    }
    // By date, then by id text: interned ids number strings in arrival order, and the
    // report must not depend on that.
    if (c.runs > 1 || c.repeats) {  // else no event is there twice
        std::sort(c.events.begin(), c.events.end());
        c.events.erase(std::unique(c.events.begin(), c.events.end()), c.events.end());
    }
    // Only the first `limit` are listed: only they need ordering by text (a strict order,
    // since distinct ids have distinct texts, so the same ones come first either way).
    const std::size_t listed = std::min(c.events.size(), c.limit);
    std::partial_sort(c.events.begin(), c.events.begin() + static_cast<std::ptrdiff_t>(listed), c.events.end(),
                      [&](const auto& a, const auto& b) {
                          return a.first != b.first ? a.first < b.first : e_.st.text_less(a.second, b.second);
                      });
    ev.event_count = c.events.size();
    for (std::size_t i = 0; i < c.events.size() && i < c.limit; ++i) ev.events.push_back(e_.st.text_copy(c.events[i].second));
    ev.gap = c.gap;
    ev.coverage = std::move(c.coverage);
    ev.children = std::move(c.children);
    if (rn.compared != no_node) {
        const node& lhs = plan_.at(rn.compared);
        if (lhs.kind == node_kind::binary && lhs.op == check::op::div) {
            context r{s.unit, s.from, s.end, &rule, false};
            r.period_to = s.to;
            ev.ratio = ratio_evidence{to_reported(eval(lhs.args[0], r)), to_reported(eval(lhs.args[1], r))};
        }
    }
    return ev;
}

}  // namespace mandate::eval
