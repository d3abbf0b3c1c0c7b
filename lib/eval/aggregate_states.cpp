#include "aggregate_states.hpp"

#include <algorithm>

#include "mandate/calendar/schedule.hpp"

namespace mandate::eval {

using graph::node;
using graph::node_id;
using graph::node_kind;

namespace {

bool kept_op(check::op o) {
    return o == check::op::count || o == check::op::sum || o == check::op::distinct || o == check::op::min ||
           o == check::op::max;
}

}  // namespace

aggregate_states::aggregate_states(const graph::compiled_plan& plan, const store& st, const event_values& values)
    : plan_(plan), st_(st), values_(values), kept_of_node_(plan.nodes().size(), -1), kept_of_source_(plan.sources().size()) {
    const check::plan& model = plan.model();
    std::vector<std::vector<span>> spans(plan.nodes().size());
    // The spans a node is read over: its rules' calendar buckets, and inside a streak the
    // sub-periods each of those is cut into.
    auto collect = [&](node_id id, const std::vector<span>& over, const auto& self) -> void {
        if (id == graph::no_node) return;
        const node& n = plan.at(id);
        if (n.kind == node_kind::aggregate && kept_op(n.op)) {
            auto& mine = spans[static_cast<std::size_t>(id)];
            mine.insert(mine.end(), over.begin(), over.end());
            return;
        }
        if (n.kind == node_kind::streak) {
            std::vector<span> subs;
            for (const span& s : over)
                for (const auto& b : calendar::split(s.from, s.to, n.per, model.week_start, false)) subs.push_back({b.from, b.to});
            for (const node_id a : n.args) self(a, subs, self);
            return;
        }
        for (const node_id a : n.args) self(a, over, self);
    };
    for (std::size_t r = 0; r < model.rules.size(); ++r) {
        const check::rule& rule = model.rules[r];
        if (rule.schedule == check::schedule_kind::after || rule.schedule == check::schedule_kind::before) continue;
        const graph::rule_node& rn = plan.rules()[r];
        std::vector<span> buckets;
        for (const auto& b : rn.buckets) buckets.push_back({b.from, b.to});
        collect(rn.condition, buckets, collect);
        collect(rn.compared, buckets, collect);
    }
    for (std::size_t id = 0; id < spans.size(); ++id) {
        if (spans[id].empty()) continue;
        const node& n = plan.at(static_cast<node_id>(id));
        const graph::source& src = plan.sources()[static_cast<std::size_t>(n.source)];
        // A filter naming the unit over events of no unit's scope is applied per instance at
        // evaluation: there is no state per instance to keep.
        if (src.filter_uses_unit && !src.scoped) continue;
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
        k.field = n.field;
        k.spans = std::move(spans[id]);
        std::sort(k.spans.begin(), k.spans.end(), [](const span& a, const span& b) { return a.from < b.from || (a.from == b.from && a.to < b.to); });
        k.spans.erase(std::unique(k.spans.begin(), k.spans.end(), [](const span& a, const span& b) { return a.from == b.from && a.to == b.to; }),
                      k.spans.end());
        kept_of_node_[id] = static_cast<int>(kept_.size());
        kept_of_source_[static_cast<std::size_t>(n.source)].push_back(static_cast<int>(kept_.size()));
        kept_.push_back(std::move(k));
    }
}

int aggregate_states::span_of(node_id id, day from, day to) const {
    const int k = kept_of_node_[static_cast<std::size_t>(id)];
    if (k < 0) return -1;
    const auto& spans = kept_[static_cast<std::size_t>(k)].spans;
    const auto it = std::lower_bound(spans.begin(), spans.end(), span{from, to},
                                     [](const span& a, const span& b) { return a.from < b.from || (a.from == b.from && a.to < b.to); });
    if (it == spans.end() || it->from != from || it->to != to) return -1;
    return static_cast<int>(it - spans.begin());
}

void aggregate_states::invalidate() {
    for (auto& k : kept_) k.by_unit.clear();
    built_ = false;
}

void aggregate_states::placed(int s, std::uint32_t unit, int type, std::uint32_t row, int sign) {
    if (!built_) return;
    const auto& kept = kept_of_source_[static_cast<std::size_t>(s)];
    if (kept.empty()) return;
    const graph::source& src = plan_.sources()[static_cast<std::size_t>(s)];
    if (src.filter_uses_unit && !values_.evaluate(src.filter, type, row, unit).truthy()) return;
    for (const int k : kept) add_row(kept_[static_cast<std::size_t>(k)], unit, type, row, sign);
}

void aggregate_states::add_row(kept_node& k, std::uint32_t unit, int type, std::uint32_t row, int sign) {
    const table& t = st_.tables[static_cast<std::size_t>(type)];
    const day d = t.date[row];
    // The spans holding d: those starting by d (sorted by start), which end on or after it.
    const auto end = std::upper_bound(k.spans.begin(), k.spans.end(), d, [](day x, const span& s) { return x < s.from; });
    if (end == k.spans.begin()) return;
    std::vector<state>* states = nullptr;
    for (auto it = k.spans.begin(); it != end; ++it) {
        if (it->to < d) continue;
        if (!states) {
            states = &k.by_unit[unit];
            if (states->empty()) states->resize(k.spans.size());
        }
        state& st = (*states)[static_cast<std::size_t>(it - k.spans.begin())];
        st.count += sign;
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
            case check::op::count: break;
            case check::op::sum: {
                const column& c = t.columns[static_cast<std::size_t>(k.field)];
                if (c.present[row]) st.sum += sign * static_cast<int128>(c.value[row]);
                break;
            }
            case check::op::distinct:
            case check::op::min:
            case check::op::max: {
                switch (k.field) {
                    case check::field_id: value(t.id[row]); continue;
                    case check::field_unit: value(t.unit[row]); continue;
                    case check::field_time: value(d); continue;
                    default: break;
                }
                const column& c = t.columns[static_cast<std::size_t>(k.field)];
                if (!c.present[row]) continue;
                if (c.kind == check::type_kind::set) {
                    for (std::uint32_t m = c.set_begin[row]; m < c.set_end[row]; ++m) value(t.members[m]);
                } else {
                    value(c.value[row]);
                }
                break;
            }
            default: break;
        }
    }
}

val aggregate_states::value(node_id id, std::uint32_t unit, day from, day to) const {
    const kept_node& k = kept_[static_cast<std::size_t>(kept_of_node_[static_cast<std::size_t>(id)])];
    const int s = span_of(id, from, to);
    const std::vector<state>* states = k.by_unit.find(unit);
    const state* st = states && !states->empty() ? &(*states)[static_cast<std::size_t>(s)] : nullptr;
    const node& n = plan_.at(id);
    const graph::source& src = plan_.sources()[static_cast<std::size_t>(n.source)];
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
        default: return val::undef();
    }
}

}  // namespace mandate::eval
