#include "aggregate_states.hpp"

#include <algorithm>

#include "mandate/calendar/schedule.hpp"
#include "mandate/check/buckets.hpp"

namespace mandate::eval {

using graph::node;
using graph::node_id;
using graph::node_kind;

namespace {

bool span_less(day af, day at, day bf, day bt) { return af < bf || (af == bf && at < bt); }

}  // namespace

aggregate_states::aggregate_states(const graph::compiled_plan& plan, const store& st, const event_values& values)
    : plan_(plan),
      st_(st),
      values_(values),
      kept_of_node_(plan.nodes().size(), -1),
      kept_of_source_(plan.sources().size()) {
    const check::plan& model = plan.model();
    std::vector<std::vector<span>> spans(plan.nodes().size());
    std::vector<std::vector<int>> unit_kinds(plan.nodes().size());
    // The spans a node is read over: its rules' calendar buckets, and inside a streak the
    // sub-periods each of those is cut into.
    // `kinds`: those of the units the node is read for — the rule's, or inside rank() and
    // the child quantifiers the kinds they range over.
    auto collect = [&](node_id id, const std::vector<span>& over, const std::vector<int>& kinds_for, const auto& self) -> void {
        if (id == graph::no_node) return;
        const node& n = plan.at(id);
        if (n.kind == node_kind::aggregate) {
            auto& mine = spans[static_cast<std::size_t>(id)];
            mine.insert(mine.end(), over.begin(), over.end());
            auto& kinds = unit_kinds[static_cast<std::size_t>(id)];
            kinds.insert(kinds.end(), kinds_for.begin(), kinds_for.end());
            return;
        }
        if (n.kind == node_kind::window) return;  // peak() and earlier() read spans of their own, from the lists
        if (n.kind == node_kind::streak) {
            std::vector<span> subs;
            for (const span& s : over)
                for (const auto& b : calendar::split(s.from, s.to, n.per, model.week_start, false)) subs.push_back({b.from, b.to});
            for (const node_id a : n.args) self(a, subs, kinds_for, self);
            return;
        }
        const bool binds = n.kind == node_kind::rank || n.kind == node_kind::all_units || n.kind == node_kind::any_unit ||
                           n.kind == node_kind::units;
        for (const node_id a : n.args) self(a, over, binds ? n.kinds : kinds_for, self);
    };
    for (std::size_t r = 0; r < model.rules.size(); ++r) {
        const check::rule& rule = model.rules[r];
        if (rule.schedule == check::schedule_kind::after || rule.schedule == check::schedule_kind::before) continue;
        const graph::rule_node& rn = plan.rules()[r];
        std::vector<span> buckets;
        for (const auto& b : rn.buckets) {
            const check::due_range days = check::counted_days(rule, b.from, b.to);
            buckets.push_back({days.from, days.to});
        }
        collect(rn.condition, buckets, rule.unit_kinds, collect);
        collect(rn.compared, buckets, rule.unit_kinds, collect);
    }
    // Coverage indexes are numbered as the indexes number them: one per (source, field), in
    // the order the nodes first name them.
    std::vector<std::pair<int, int>> coverages;
    for (std::size_t id = 0; id < plan.nodes().size(); ++id) {
        const node& n = plan.nodes()[id];
        if (n.kind != node_kind::aggregate || n.op != check::op::coverage) continue;
        if (std::find(coverages.begin(), coverages.end(), std::make_pair(n.source, n.field)) == coverages.end())
            coverages.emplace_back(n.source, n.field);
    }
    kept_of_coverage_.resize(coverages.size());
    for (std::size_t id = 0; id < spans.size(); ++id) {
        if (spans[id].empty()) continue;
        const node& n = plan.at(static_cast<node_id>(id));
        const graph::source& src = plan.sources()[static_cast<std::size_t>(n.source)];
        // A filter (or a predicate) naming the unit over events of no unit's scope is applied
        // per instance at evaluation: there is no state per instance to keep. Coverage reads
        // its events per entity named, not per unit: a filter naming the unit is not kept either.
        const bool predicate_uses_unit = n.predicate != graph::no_node && plan.at(n.predicate).uses_unit;
        if ((src.filter_uses_unit || predicate_uses_unit) && (!src.scoped || n.op == check::op::coverage)) continue;
        // One reading the registry (a unit's field or kind) is applied when read: a new version
        // of a unit would leave a kept state stale.
        if (src.filter_reads_registry || (n.predicate != graph::no_node && plan.at(n.predicate).reads_registry)) continue;
        // Scoped to a quantifier's unit with a filter naming the rule's: no one unit to keep it for.
        if (n.slot > 0 && src.filter_uses_unit) continue;
        if (n.op == check::op::min || n.op == check::op::max) {
            // Kept where the value orders as it is stored: the time, a number, an int, a date.
            // (Other fields are compared as values at evaluation, as before.)
            bool ordered = n.field == check::field_time;
            if (n.field >= check::first_declared_field) {
                const check::type_kind k =
                    model.events[static_cast<std::size_t>(src.event)].fields[static_cast<std::size_t>(n.field)].t.kind;
                ordered = k == check::type_kind::integer || k == check::type_kind::number || k == check::type_kind::date;
            }
            if (!ordered) continue;
        }
        kept_node k;
        k.node = static_cast<node_id>(id);
        k.op = n.op;
        k.source = n.source;
        k.field = n.field;
        k.kinds = n.kinds;
        k.spans = std::move(spans[id]);
        std::sort(k.spans.begin(), k.spans.end(), [](const span& a, const span& b) { return span_less(a.from, a.to, b.from, b.to); });
        k.spans.erase(std::unique(k.spans.begin(), k.spans.end(), [](const span& a, const span& b) { return a.from == b.from && a.to == b.to; }),
                      k.spans.end());
        kept_of_node_[id] = static_cast<int>(kept_.size());
        if (n.op == check::op::coverage) {
            k.coverage = static_cast<int>(std::find(coverages.begin(), coverages.end(), std::make_pair(n.source, n.field)) - coverages.begin());
            k.unit_kinds = std::move(unit_kinds[id]);
            std::sort(k.unit_kinds.begin(), k.unit_kinds.end());
            k.unit_kinds.erase(std::unique(k.unit_kinds.begin(), k.unit_kinds.end()), k.unit_kinds.end());
            kept_of_coverage_[static_cast<std::size_t>(k.coverage)].push_back(static_cast<int>(kept_.size()));
        } else {
            kept_of_source_[static_cast<std::size_t>(n.source)].push_back(static_cast<int>(kept_.size()));
        }
        kept_.push_back(std::move(k));
    }
}

int aggregate_states::span_of(node_id id, day from, day to) const {
    const int k = kept_of_node_[static_cast<std::size_t>(id)];
    if (k < 0) return -1;
    const auto& spans = kept_[static_cast<std::size_t>(k)].spans;
    const auto it = std::lower_bound(spans.begin(), spans.end(), span{from, to},
                                     [](const span& a, const span& b) { return span_less(a.from, a.to, b.from, b.to); });
    if (it == spans.end() || it->from != from || it->to != to) return -1;
    return static_cast<int>(it - spans.begin());
}

template <class F>
void aggregate_states::spans_holding(const kept_node& k, day d, F&& f) const {
    // Those starting by d (the spans are sorted by start) that end on or after it.
    const auto end = std::upper_bound(k.spans.begin(), k.spans.end(), d, [](day x, const span& s) { return x < s.from; });
    for (auto it = k.spans.begin(); it != end; ++it)
        if (it->to >= d) f(static_cast<std::size_t>(it - k.spans.begin()));
}

std::vector<aggregate_states::state>& aggregate_states::states_of(kept_node& k, std::uint32_t unit) {
    std::vector<state>& states = k.by_unit[unit];
    if (states.empty()) {
        states.resize(k.spans.size());
        // A span without an event is one gap from end to end.
        if (k.op == check::op::gap)
            for (std::size_t i = 0; i < k.spans.size(); ++i) states[i].count = k.spans[i].to - k.spans[i].from + 1;
    }
    return states;
}

void aggregate_states::invalidate() {
    for (auto& k : kept_) k.by_unit.clear();
    built_ = false;
}

void aggregate_states::placed(int s, std::uint32_t unit, int type, std::uint32_t row, int sign, const std::vector<entry>& list) {
    if (!built_) return;
    const auto& kept = kept_of_source_[static_cast<std::size_t>(s)];
    if (kept.empty()) return;
    const graph::source& src = plan_.sources()[static_cast<std::size_t>(s)];
    if (src.filter_uses_unit && !values_.evaluate(src.filter, type, row, unit).truthy()) return;
    for (const int k : kept) add_row(kept_[static_cast<std::size_t>(k)], unit, type, row, sign, &list);
}

bool aggregate_states::in_denominator(const kept_node& k, std::uint32_t x, const span& s) const {
    const entity& ent = st_.entities[x];
    return std::binary_search(k.kinds.begin(), k.kinds.end(), ent.kind) && ent.active_on(s.to);
}

void aggregate_states::named(int c, std::uint32_t target, int type, std::uint32_t row, int sign, const std::vector<entry>& list) {
    if (!built_ || static_cast<std::size_t>(c) >= kept_of_coverage_.size()) return;
    const day d = st_.tables[static_cast<std::size_t>(type)].date[row];
    for (const int ki : kept_of_coverage_[static_cast<std::size_t>(c)]) {
        kept_node& k = kept_[static_cast<std::size_t>(ki)];
        // The units it counts for: the entity's ancestors with a state (units of the kinds read).
        for (std::uint32_t u = st_.entities[target].parent, guard = 0; u != none && guard <= store::max_depth;
             u = st_.entities[u].parent, ++guard) {
            std::vector<state>* states = k.by_unit.find(u);
            if (!states) continue;
            spans_holding(k, d, [&](std::size_t i) {
                if (sign > 0) (*states)[i].last = std::max((*states)[i].last, d);
                if (!in_denominator(k, target, k.spans[i])) return;
                // Covered when this is its first event of the span; no longer when it was the last.
                const auto [lo, hi] = range_of(list, k.spans[i].from, k.spans[i].to);
                if (hi - lo == (sign > 0 ? 1 : 0)) (*states)[i].count += sign;
            });
        }
    }
}

void aggregate_states::rebuild(int s, std::uint32_t unit, const std::vector<entry>* list) {
    if (!built_) return;
    for (const int ki : kept_of_source_[static_cast<std::size_t>(s)]) {
        kept_node& k = kept_[static_cast<std::size_t>(ki)];
        k.by_unit.erase(unit);
        if (list) build_list(k, unit, *list);
    }
}

void aggregate_states::entity_added(std::uint32_t x) {
    if (!built_) return;
    const entity& ent = st_.entities[x];
    for (kept_node& k : kept_) {
        if (k.op != check::op::coverage) continue;
        if (std::find(k.unit_kinds.begin(), k.unit_kinds.end(), ent.kind) != k.unit_kinds.end()) states_of(k, x);
        if (!std::binary_search(k.kinds.begin(), k.kinds.end(), ent.kind)) continue;
        for (std::uint32_t u = ent.parent, guard = 0; u != none && guard <= store::max_depth; u = st_.entities[u].parent, ++guard) {
            std::vector<state>* states = k.by_unit.find(u);
            if (!states) continue;
            for (std::size_t i = 0; i < k.spans.size(); ++i)
                if (ent.active_on(k.spans[i].to)) ++(*states)[i].of;
        }
    }
}

std::int64_t aggregate_states::longest_gap(const kept_node& k, std::uint32_t unit, const std::vector<entry>& list, const span& s) const {
    const graph::source& src = plan_.sources()[static_cast<std::size_t>(k.source)];
    day previous = s.from - 1;
    std::int64_t longest = 0;
    const auto [lo, hi] = range_of(list, s.from, s.to);
    for (auto it = lo; it != hi; ++it) {
        if (it->d <= previous) continue;
        if (src.filter_uses_unit && !values_.evaluate(src.filter, src.event, it->row, unit).truthy()) continue;
        longest = std::max<std::int64_t>(longest, static_cast<std::int64_t>(it->d) - previous - 1);
        previous = it->d;
    }
    return std::max<std::int64_t>(longest, static_cast<std::int64_t>(s.to) - previous);
}

void aggregate_states::add_row(kept_node& k, std::uint32_t unit, int type, std::uint32_t row, int sign,
                               const std::vector<entry>* list) {
    const day d = st_.tables[static_cast<std::size_t>(type)].date[row];
    std::vector<state>* states = nullptr;
    spans_holding(k, d, [&](std::size_t i) {
        if (!states) states = &states_of(k, unit);
        state& st = (*states)[i];
        if (sign > 0) st.last = std::max(st.last, d);
        // The longest gap is worked out again from the span's events, now in the list.
        if (k.op == check::op::gap) st.count = longest_gap(k, unit, *list, k.spans[i]);
        else update(k, st, unit, type, row, sign);
    });
}

void aggregate_states::update(const kept_node& k, state& st, std::uint32_t unit, int type, std::uint32_t row, int sign) const {
    const table& t = st_.tables[static_cast<std::size_t>(type)];
    auto value = [&](std::int64_t v) {
        if (!st.values) st.values = std::make_unique<std::map<std::int64_t, std::uint32_t>>();
        auto& m = *st.values;
        if (sign > 0) {
            ++m[v];
        } else if (auto found = m.find(v); found != m.end() && --found->second == 0) {
            m.erase(found);
        }
    };
    switch (k.op) {
        case check::op::count: st.count += sign; return;
        case check::op::sum: {
            const column& c = t.columns[static_cast<std::size_t>(k.field)];
            if (c.present[row]) st.sum += sign * static_cast<int128>(c.value[row]);
            return;
        }
        case check::op::all:
        case check::op::any: {
            const bool holds = values_.evaluate(plan_.at(k.node).predicate, type, row, unit).truthy();
            if (holds == (k.op == check::op::any)) st.count += sign;
            return;
        }
        case check::op::distinct:
        case check::op::min:
        case check::op::max: {
            switch (k.field) {
                case check::field_id: value(t.id[row]); return;
                case check::field_unit: value(t.unit[row]); return;
                case check::field_time: value(t.date[row]); return;
                default: break;
            }
            const column& c = t.columns[static_cast<std::size_t>(k.field)];
            if (!c.present[row]) return;
            if (c.kind == check::type_kind::set) {
                for (std::uint32_t m = c.set_begin[row]; m < c.set_end[row]; ++m) value(t.members[m]);
            } else {
                value(c.value[row]);
            }
            return;
        }
        default: return;
    }
}

void aggregate_states::build_list(kept_node& k, std::uint32_t unit, const std::vector<entry>& list) {
    const graph::source& src = plan_.sources()[static_cast<std::size_t>(k.source)];
    std::vector<state>* states = nullptr;
    for (std::size_t i = 0; i < k.spans.size(); ++i) {
        const auto [lo, hi] = range_of(list, k.spans[i].from, k.spans[i].to);
        if (lo == hi) continue;
        if (!states) states = &states_of(k, unit);
        state& st = (*states)[i];
        st.last = std::prev(hi)->d;
        if (k.op == check::op::gap) {
            st.count = longest_gap(k, unit, list, k.spans[i]);
            continue;
        }
        if (k.op == check::op::count && !src.filter_uses_unit) {  // the width of the range
            st.count = hi - lo;
            continue;
        }
        for (auto it = lo; it != hi; ++it) {
            if (src.filter_uses_unit && !values_.evaluate(src.filter, src.event, it->row, unit).truthy()) continue;
            update(k, st, unit, src.event, it->row, +1);
        }
    }
}

bool aggregate_states::complete_by(node_id id, std::uint32_t unit, day from, day to, day as_of) const {
    const int s = span_of(id, from, to);
    if (s < 0 || !built_) return false;
    const kept_node& k = kept_[static_cast<std::size_t>(kept_of_node_[static_cast<std::size_t>(id)])];
    if (k.op == check::op::gap) return false;
    const std::vector<state>* states = k.by_unit.find(unit);
    return !states || states->empty() || (*states)[static_cast<std::size_t>(s)].last <= as_of;
}

val aggregate_states::value(node_id id, std::uint32_t unit, day from, day to) const {
    const kept_node& k = kept_[static_cast<std::size_t>(kept_of_node_[static_cast<std::size_t>(id)])];
    const int s = span_of(id, from, to);
    const std::vector<state>* states = k.by_unit.find(unit);
    const state* st = states && !states->empty() ? &(*states)[static_cast<std::size_t>(s)] : nullptr;
    const graph::source& src = plan_.sources()[static_cast<std::size_t>(k.source)];
    switch (k.op) {
        case check::op::count: return val::number(rational(st ? st->count : 0));
        case check::op::sum: {
            const column& c = st_.tables[static_cast<std::size_t>(src.event)].columns[static_cast<std::size_t>(k.field)];
            const int128 total = st ? st->sum : 0;
            return val::number(c.kind == check::type_kind::number ? rational(total, io::number_scale) : rational(total, 1));
        }
        case check::op::distinct:
            return val::number(rational(static_cast<std::int64_t>(st && st->values ? st->values->size() : 0)));
        case check::op::min:
        case check::op::max: {
            if (!st || !st->values || st->values->empty()) return val::undef();
            const std::int64_t v = k.op == check::op::min ? st->values->begin()->first : st->values->rbegin()->first;
            if (k.field == check::field_time) return val::date(v);
            const column& c = st_.tables[static_cast<std::size_t>(src.event)].columns[static_cast<std::size_t>(k.field)];
            return event_values::stored(c.kind, v);
        }
        case check::op::all: return val::boolean(!st || st->count == 0);
        case check::op::any: return val::boolean(st && st->count > 0);
        case check::op::gap: return val::days(st ? st->count : static_cast<std::int64_t>(to) - from + 1);
        case check::op::coverage:
            // Nothing to cover has no ratio: undefined, as the scan says.
            if (!st || st->of == 0) return val::undef();
            return val::number(rational(st->count, st->of));
        default: return val::undef();
    }
}

}  // namespace mandate::eval
