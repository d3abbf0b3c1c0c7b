// Aggregates kept up to date as records arrive, instead of recomputed from the indexes for
// every report. For each aggregate node of the graph — count, sum, distinct, min, max, all,
// any, gap, coverage — the periods rules read it over (their calendar buckets, a streak's
// sub-periods: its spans), and for each instance unit a state per span over every event of the
// span:
//   count, sum               a count, a sum
//   distinct, min, max       the values with their multiplicities, so a retracted event takes
//                            its value back out and min and max survive it
//   all, any                 how many events fail (all) or meet (any) the predicate
//   gap                      the longest run of days without an event, worked out again from
//                            the span's events in the index whenever one comes or goes
//   coverage                 how many entities of the registry denominator are named by an
//                            event of the span, against how many there are
// An event updates the spans its date falls in, for its unit and the ancestors that aggregate
// over it (for coverage: the ancestors of the entity it names); after a bulk load, or a change
// of the hierarchy, everything is built again in one pass over the index lists.
//
// A state covers a whole span: it answers for a bucket that has ended by the report date. A
// bucket still running at the report date counts only the events up to that date, and is read
// from the indexes; so are spans no calendar fixes (triggered buckets), and filters or
// predicates naming the unit over events of no unit's scope.
#pragma once

#include <climits>
#include <iterator>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "entity_map.hpp"
#include "event_values.hpp"
#include "mandate/graph/plan.hpp"
#include "store.hpp"
#include "value.hpp"

namespace mandate::eval {

// One event in an index list: its date and its row.
struct entry {
    day d;
    std::uint32_t row;
    bool operator<(const entry& o) const { return d < o.d || (d == o.d && row < o.row); }
    bool operator==(const entry& o) const { return d == o.d && row == o.row; }
};

class aggregate_states {
public:
    aggregate_states(const graph::compiled_plan& plan, const store& st, const event_values& values);

    // Whether `node`'s states are kept over the span [from, to].
    bool keeps(graph::node_id node, day from, day to) const { return span_of(node, from, to) >= 0; }
    // Whether the kept state of a span still running on `as_of` answers for it too: no event
    // of the span is dated after as_of (what a host feeding records as they happen sees), so
    // the span's events are those up to as_of. Never for gap, whose trailing run differs.
    bool complete_by(graph::node_id node, std::uint32_t unit, day from, day to, day as_of) const;
    // The node's value over the whole span [from, to] for `unit` (none for an unscoped source):
    // what its events give. Only for a span keeps() says is kept.
    val value(graph::node_id node, std::uint32_t unit, day from, day to) const;

    // An event row placed in (+1) or taken from (-1) `list`, the list of source `s` for `unit`
    // (or none), as the indexes do; `list` is sorted and already holds (or no longer holds) it.
    void placed(int s, std::uint32_t unit, int type, std::uint32_t row, int sign, const std::vector<entry>& list);
    // The same for the list of coverage index `c` of the entity `target` names.
    void named(int c, std::uint32_t target, int type, std::uint32_t row, int sign, const std::vector<entry>& list);
    // A new entity nothing names yet (store::add_leaf): one more in the denominators of the
    // coverages above it that count its kind, and a unit of its own for those read for it.
    void entity_added(std::uint32_t x);

    // After a change of the hierarchy (index_set::move): the states kept over
    // source s's list for `unit` built again from the list as it is (null: no events).
    void rebuild(int s, std::uint32_t unit, const std::vector<entry>* list);
    // The coverage states of `unit` built again from the hierarchy and the lists as they are:
    // targets(c, x) is coverage index c's list for entity x, or null.
    template <class Targets>
    void rebuild_coverage(std::uint32_t unit, Targets&& targets);
    // Entity x's part in the coverage states of the units above it — one in the denominator of
    // a span it is active at the end of, one covered if its list has an event in the span —
    // taken out (sign -1) or put in (+1), as the hierarchy and the lists stand.
    template <class Targets>
    void cover(std::uint32_t x, int sign, Targets&& targets);

    bool built() const { return built_; }
    // Drops every state: built again at the next build().
    void invalidate();
    // Builds every state from the indexes' sorted lists: sources(s, visit) calls visit(unit, list)
    // for each list of source s; targets(c, x) is coverage index c's list for entity x, or null.
    template <class Sources, class Targets>
    void build(Sources&& sources, Targets&& targets);

private:
    struct state {
        std::int64_t count = 0;  // count; events failing (all) or meeting (any); longest gap; entities covered
        std::int64_t of = 0;     // coverage: the denominator
        // The latest date of an event counted (not lowered when one goes: so at least the
        // latest, which is all complete_by() needs).
        day last = INT_MIN;
        int128 sum = 0;
        std::unique_ptr<std::map<std::int64_t, std::uint32_t>> values;  // distinct, min, max
    };
    struct span {
        day from, to;
    };
    struct kept_node {
        graph::node_id node = graph::no_node;
        check::op op = check::op::count;
        int source = -1, field = -1;
        int coverage = -1;                    // coverage: its index
        std::vector<int> kinds;               // coverage: the denominator's kinds (sorted)
        std::vector<int> unit_kinds;          // coverage: the kinds of the units it is read for
        std::vector<span> spans;              // by from, then to
        entity_map<std::vector<state>> by_unit;  // a state per span, once there is one
    };
    int span_of(graph::node_id node, day from, day to) const;
    // The spans of k holding day d, as indexes into k.spans.
    template <class F>
    void spans_holding(const kept_node& k, day d, F&& f) const;
    std::vector<state>& states_of(kept_node& k, std::uint32_t unit);
    // An event of `list` placed (or taken away): the states of the spans holding its date.
    void add_row(kept_node& k, std::uint32_t unit, int type, std::uint32_t row, int sign, const std::vector<entry>* list);
    // One event into (or out of) one state.
    void update(const kept_node& k, state& st, std::uint32_t unit, int type, std::uint32_t row, int sign) const;
    // Every span's state of `unit` from its sorted list, at once.
    void build_list(kept_node& k, std::uint32_t unit, const std::vector<entry>& list);
    std::int64_t longest_gap(const kept_node& k, std::uint32_t unit, const std::vector<entry>& list, const span& s) const;
    bool in_denominator(const kept_node& k, std::uint32_t x, const span& s) const;
    template <class Targets>
    void build_coverage(kept_node& k, Targets&& targets);
    template <class Targets>
    void build_coverage_unit(kept_node& k, std::uint32_t unit, Targets&& targets);

    const graph::compiled_plan& plan_;
    const store& st_;
    const event_values& values_;
    std::vector<kept_node> kept_;
    std::vector<int> kept_of_node_;                   // node -> index into kept_, or -1
    std::vector<std::vector<int>> kept_of_source_;    // source -> kept nodes over it (not coverage)
    std::vector<std::vector<int>> kept_of_coverage_;  // coverage index -> kept coverage nodes
    bool built_ = false;
};

// The entries of a date-ordered list dated in [from, to].
inline std::pair<std::vector<entry>::const_iterator, std::vector<entry>::const_iterator> range_of(const std::vector<entry>& list,
                                                                                                   day from, day to) {
    auto lo = std::lower_bound(list.begin(), list.end(), entry{from, 0});
    auto hi = std::lower_bound(lo, list.end(), entry{to == INT_MAX ? to : to + 1, 0});
    return {lo, hi};
}

template <class Sources, class Targets>
void aggregate_states::build(Sources&& sources, Targets&& targets) {
    invalidate();
    for (std::size_t s = 0; s < kept_of_source_.size(); ++s) {
        if (kept_of_source_[s].empty()) continue;
        sources(static_cast<int>(s), [&](std::uint32_t unit, const std::vector<entry>& list) {
            for (const int k : kept_of_source_[s]) build_list(kept_[static_cast<std::size_t>(k)], unit, list);
        });
    }
    for (auto& k : kept_)
        if (k.op == check::op::coverage) build_coverage(k, targets);
    built_ = true;
}

template <class Targets>
void aggregate_states::build_coverage(kept_node& k, Targets&& targets) {
    // Every unit of the kinds it is read for.
    for (const int kind : k.unit_kinds)
        for (const std::uint32_t unit : st_.by_kind[static_cast<std::size_t>(kind)]) build_coverage_unit(k, unit, targets);
}

template <class Targets>
void aggregate_states::rebuild_coverage(std::uint32_t unit, Targets&& targets) {
    if (!built_) return;
    const entity& ent = st_.entities[unit];
    for (kept_node& k : kept_) {
        if (k.op != check::op::coverage) continue;
        k.by_unit.erase(unit);
        if (ent.state == entity_state::resolved && std::binary_search(k.unit_kinds.begin(), k.unit_kinds.end(), ent.kind))
            build_coverage_unit(k, unit, targets);
    }
}

template <class Targets>
void aggregate_states::cover(std::uint32_t x, int sign, Targets&& targets) {
    if (!built_) return;
    const entity& ent = st_.entities[x];
    if (ent.state != entity_state::resolved) return;  // above nothing
    for (kept_node& k : kept_) {
        if (k.op != check::op::coverage || !std::binary_search(k.kinds.begin(), k.kinds.end(), ent.kind)) continue;
        const std::vector<entry>* list = targets(k.coverage, x);
        for (std::uint32_t u = ent.parent, guard = 0; u != none && guard <= store::max_depth; u = st_.entities[u].parent, ++guard) {
            std::vector<state>* states = k.by_unit.find(u);
            if (!states || states->empty()) continue;
            for (std::size_t i = 0; i < k.spans.size(); ++i) {
                if (!ent.active_on(k.spans[i].to)) continue;
                state& st = (*states)[i];
                st.of += sign;
                if (!list) continue;
                const auto [lo, hi] = range_of(*list, k.spans[i].from, k.spans[i].to);
                if (lo == hi) continue;
                st.count += sign;
                if (sign > 0) st.last = std::max(st.last, std::prev(hi)->d);
            }
        }
    }
}

template <class Targets>
void aggregate_states::build_coverage_unit(kept_node& k, std::uint32_t unit, Targets&& targets) {
    // The entities of the denominator's kinds below the unit, and those of them an event of
    // the span names.
    std::vector<state>& states = states_of(k, unit);
    std::vector<std::uint32_t> stack(st_.entities[unit].children.begin(), st_.entities[unit].children.end());
    while (!stack.empty()) {
        const std::uint32_t x = stack.back();
        stack.pop_back();
        const entity& ent = st_.entities[x];
        stack.insert(stack.end(), ent.children.begin(), ent.children.end());
        if (!std::binary_search(k.kinds.begin(), k.kinds.end(), ent.kind)) continue;
        const std::vector<entry>* list = targets(k.coverage, x);
        for (std::size_t i = 0; i < k.spans.size(); ++i) {
            if (!ent.active_on(k.spans[i].to)) continue;
            ++states[i].of;
            if (list) {
                const auto [lo, hi] = range_of(*list, k.spans[i].from, k.spans[i].to);
                if (lo != hi) {
                    ++states[i].count;
                    states[i].last = std::max(states[i].last, std::prev(hi)->d);
                }
            }
        }
    }
}

}  // namespace mandate::eval
