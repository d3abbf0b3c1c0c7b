// The aggregates of a requirement over one bucket, read from the indexes: count, sum, distinct,
// min, max, gap, all, any, and coverage against the registry (evaluation.hpp).
#include "evaluation.hpp"

#include <algorithm>
#include <unordered_set>

namespace mandate::eval {

val evaluation::aggregate(node_id id, const context& ctx, collector* evidence) {
    const node& n = plan_.at(id);
    const graph::source& src = plan_.sources()[static_cast<std::size_t>(n.source)];
    const table& t = e_.st.tables[static_cast<std::size_t>(src.event)];
    const day last = std::min(ctx.to, as_of_);
    const day first = ctx.from;
    // A bucket that has ended, over a span whose state is kept, is what its events give,
    // without reading them; so is one still running, when none of its events is dated after
    // the report date (a host feeding records as they happen).
    // The unit whose events it reads (`of VAR`: that variable's), or its coverage's `within` unit.
    const std::uint32_t scope_unit = n.op == check::op::coverage ? ctx.slot(n.within_slot) : ctx.slot(n.slot);
    const std::uint32_t state_unit = src.scoped || n.op == check::op::coverage ? scope_unit : none;
    const bool by_clock = ctx.clock_from != calendar::no_clock;
    if (!evidence && !by_clock && ctx.from <= as_of_ &&
        (as_of_ >= ctx.to ? e_.states.keeps(id, ctx.from, ctx.to) : e_.states.complete_by(id, state_unit, ctx.from, ctx.to, as_of_)))
        return e_.states.value(id, state_unit, ctx.from, ctx.to);
    if (n.op == check::op::coverage) return coverage(id, ctx, first, last, evidence);
    // A plain count is the width of the index range.
    if (n.op == check::op::count && !evidence && !src.filter_uses_unit && !by_clock) {
        if (first > last) return val::number(rational(0));
        const std::vector<entry>* list = e_.indexes.source(n.source).find(scope_unit, src.scoped);
        if (!list) return val::number(rational(0));
        auto [lo, hi] = range_of(*list, first, last);
        return val::number(rational(static_cast<std::int64_t>(hi - lo)));
    }
    std::vector<std::uint32_t> rows;
    if (first <= last) {
        if (const std::vector<entry>* list = e_.indexes.source(n.source).find(scope_unit, src.scoped)) {
            auto [lo, hi] = range_of(*list, first, last);
            for (auto it = lo; it != hi; ++it) {
                if (src.filter_uses_unit && !e_.values.evaluate(src.filter, src.event, it->row, ctx.unit).truthy()) continue;
                if (by_clock) {
                    const calendar::minute m = local_minute(t, it->row);
                    if (m < ctx.clock_from || m > ctx.clock_to) continue;
                }
                rows.push_back(it->row);
            }
        }
    }
    if (evidence && n.op != check::op::gap && !rows.empty()) ++evidence->runs;
    if (evidence && n.op != check::op::gap)
        for (std::uint32_t row : rows) evidence->events.emplace_back(t.date[row], t.id[row]);
    switch (n.op) {
        case check::op::count: return val::number(rational(static_cast<std::int64_t>(rows.size())));
        case check::op::sum: {
            const column& c = t.columns[static_cast<std::size_t>(n.field)];
            int128 total = 0;
            for (std::uint32_t row : rows)
                if (c.present[row]) total += c.value[row];
            return val::number(c.kind == check::type_kind::number ? rational(total, io::number_scale) : rational(total, 1));
        }
        case check::op::distinct: {
            std::unordered_set<std::int64_t> seen;
            for (std::uint32_t row : rows) {
                if (n.field < check::first_declared_field) {
                    const val v = e_.values.field(src.event, row, n.field);
                    seen.insert(v.i);
                    continue;
                }
                const column& c = t.columns[static_cast<std::size_t>(n.field)];
                if (!c.present[row]) continue;
                if (c.kind == check::type_kind::set) {
                    for (std::uint32_t m = c.set_begin[row]; m < c.set_end[row]; ++m) seen.insert(t.members[m]);
                } else {
                    seen.insert(c.value[row]);
                }
            }
            return val::number(rational(static_cast<std::int64_t>(seen.size())));
        }
        case check::op::min:
        case check::op::max: {
            std::optional<val> best;
            for (std::uint32_t row : rows) {
                const val v = e_.values.field(src.event, row, n.field);
                if (v.k == val::kind::undef) continue;
                bool undefined = false;
                if (!best || binary(n.op == check::op::min ? check::op::lt : check::op::gt, v, *best, undefined).truthy())
                    best = v;
            }
            return best ? *best : val::undef();
        }
        case check::op::gap: {
            // Longest run of days in [first, last] without such an event.
            day previous = first - 1;
            std::int64_t longest = 0;
            day gap_from = first, gap_to = first - 1;
            auto consider = [&](day next) {
                const std::int64_t length = static_cast<std::int64_t>(next) - previous - 1;
                if (length > longest) {
                    longest = length;
                    gap_from = previous + 1;
                    gap_to = next - 1;
                }
            };
            for (std::uint32_t row : rows) {
                const day d = t.date[row];
                if (d <= previous) continue;
                consider(d);
                previous = d;
            }
            if (first <= last) consider(last + 1);
            if (evidence && longest > 0) evidence->gap = gap_evidence{gap_from, gap_to, longest};
            return val::days(longest);
        }
        case check::op::all:
        case check::op::any: {
            const bool all = n.op == check::op::all;
            for (std::uint32_t row : rows) {
                const bool holds = e_.values.evaluate(n.predicate, src.event, row, ctx.unit).truthy();
                if (all && !holds) return val::boolean(false);
                if (!all && holds) return val::boolean(true);
            }
            return val::boolean(all);
        }
        default: return val::undef();
    }
}

void evaluation::under(node_id node, std::uint32_t unit, const std::vector<int>& kinds, day on, std::vector<std::uint32_t>& out) {
    if (unit == none) return;
    const std::uint64_t key = static_cast<std::uint64_t>(node) << 32 | unit;
    auto [it, fresh] = under_.try_emplace(key);
    std::vector<std::uint32_t>& of_kinds = it->second;
    if (fresh) {
        std::vector<std::uint32_t> stack(e_.st.entities[unit].children.begin(), e_.st.entities[unit].children.end());
        while (!stack.empty()) {
            const std::uint32_t x = stack.back();
            stack.pop_back();
            const entity& ent = e_.st.entities[x];
            if (std::binary_search(kinds.begin(), kinds.end(), ent.kind)) of_kinds.push_back(x);
            stack.insert(stack.end(), ent.children.begin(), ent.children.end());
        }
    }
    for (const std::uint32_t x : of_kinds)
        if (e_.st.entities[x].active_on(on)) out.push_back(x);
}

val evaluation::coverage(node_id id, const context& ctx, day first, day last, collector* evidence) {
    const node& n = plan_.at(id);
    const graph::source& src = plan_.sources()[static_cast<std::size_t>(n.source)];
    const coverage_index& ci = e_.indexes.coverage_of(id);
    std::vector<std::uint32_t> denominator;
    under(id, ctx.slot(n.within_slot), n.kinds, ctx.registry_day(), denominator);
    if (denominator.empty()) {
        if (evidence) evidence->coverage = coverage_evidence{0, 0, {}};
        return val::undef();
    }
    std::int64_t covered = 0;
    std::vector<std::uint32_t> missing;
    for (std::uint32_t x : denominator) {
        bool hit = false;
        if (first <= last) {
            if (const std::vector<entry>* list = ci.by_target.find(x)) {
                auto [lo, hi] = range_of(*list, first, last);
                // The evidence is the earliest event naming x; of several that day, the one
                // with the least id, so it does not depend on the order records arrived in.
                const table& t = e_.st.tables[static_cast<std::size_t>(src.event)];
                string_id chosen = no_string;
                day chosen_day = 0;
                for (auto e = lo; e != hi && !(hit && (!evidence || e->d != chosen_day)); ++e) {
                    if (src.filter_uses_unit && !e_.values.evaluate(src.filter, src.event, e->row, ctx.unit).truthy()) continue;
                    if (hit && !e_.st.text_less(t.id[e->row], chosen)) continue;
                    hit = true;
                    chosen = t.id[e->row];
                    chosen_day = e->d;
                }
                if (hit && evidence) {
                    evidence->events.emplace_back(chosen_day, chosen);
                    evidence->repeats = true;
                }
            }
        }
        if (hit) ++covered;
        else missing.push_back(x);
    }
    if (evidence) {
        coverage_evidence c{covered, static_cast<std::int64_t>(denominator.size()), {}};
        std::sort(missing.begin(), missing.end(), [&](std::uint32_t a, std::uint32_t b) {
            return e_.st.text(e_.st.entities[a].id) < e_.st.text(e_.st.entities[b].id);
        });
        for (std::size_t i = 0; i < missing.size() && i < evidence->limit; ++i)
            c.missing.emplace_back(e_.st.text(e_.st.entities[missing[i]].id));
        evidence->coverage = std::move(c);
    }
    return val::number(rational(covered, static_cast<std::int64_t>(denominator.size())));
}

}  // namespace mandate::eval
