// The engine's indexes over the store: for every source of the graph (an event type, a filter,
// a scope), its events in date order per unit of the scope (or all together); for every
// coverage, the events naming each entity. Kept current as events are applied and removed,
// rebuilt when the hierarchy changes, sorted lazily when events arrive out of date order.
#pragma once

#include <climits>
#include <cstdint>
#include <utility>
#include <vector>

#include "aggregate_states.hpp"
#include "entity_map.hpp"
#include "event_values.hpp"
#include "mandate/graph/plan.hpp"
#include "store.hpp"

namespace mandate::eval {

// Events of one source, in date order: per scope unit when scoped, else all together.
struct source_index {
    entity_map<std::vector<entry>> by_unit;
    std::vector<entry> all;
    bool sorted = true;

    const std::vector<entry>* find(std::uint32_t unit, bool scoped) const {
        if (!scoped) return &all;
        return by_unit.find(unit);
    }
};

// For coverage: the events naming each entity, per (source, field).
struct coverage_index {
    int source = -1;
    int field = -1;
    entity_map<std::vector<entry>> by_target;
    bool sorted = true;
};

class index_set {
public:
    // `states` are kept in step with the lists: built with them, told of every event placed.
    index_set(const graph::compiled_plan& plan, store& st, const event_values& values, aggregate_states& states);

    const source_index& source(int s) const { return sources_[static_cast<std::size_t>(s)]; }
    // The coverage index an aggregate node reads.
    const coverage_index& coverage_of(graph::node_id n) const {
        return coverages_[static_cast<std::size_t>(coverage_of_node_[static_cast<std::size_t>(n)])];
    }

    // Brings the hierarchy (store::resolve) and the indexes up to date, and sorts what arrived
    // out of order: before the indexes are read.
    void prepare();
    // Keeps built indexes current as an event is applied or stops counting; while the
    // hierarchy is being changed they are rebuilt at the next prepare() anyway.
    void apply(const store::event_effect& effect);
    // The hierarchy changed: rebuild at the next prepare().
    void invalidate() { built_ = false; }

    // A change of the hierarchy followed without building everything again
    // (engine_state::entity_changed): the places (list, entry) of the rows whose places may
    // change are taken as the hierarchy stands before the change and after it, and each list
    // where they differ is edited in bulk, not a row at a time (a row that stays in a list, as
    // in the lists of a unit above both places, leaves it alone). The states are not told:
    // their caller builds them again for the lists edited.
    struct list_key {
        int coverage = 0;           // 0: a source's list; 1: a coverage index's
        int index = 0;              // the source, or the coverage index
        std::uint32_t unit = none;  // the unit (none: a source's list of all), or the entity named
        bool operator<(const list_key& o) const {
            return coverage != o.coverage ? coverage < o.coverage : index != o.index ? index < o.index : unit < o.unit;
        }
        bool operator==(const list_key& o) const { return coverage == o.coverage && index == o.index && unit == o.unit; }
    };
    using placement = std::pair<list_key, entry>;
    // Every place of the rows, sorted.
    std::vector<placement> places(const std::vector<std::pair<int, std::uint32_t>>& rows);
    // The lists whose entries differ between `before` and `after` (both from places()).
    static std::vector<list_key> differing(const std::vector<placement>& before, const std::vector<placement>& after);
    // Edits those lists: entries only in `before` leave, entries only in `after` come in.
    void move(const std::vector<placement>& before, const std::vector<placement>& after);
    const std::vector<entry>* list(const list_key& k) const {
        if (k.coverage) return coverages_[static_cast<std::size_t>(k.index)].by_target.find(k.unit);
        const source_index& s = sources_[static_cast<std::size_t>(k.index)];
        return plan_.sources()[static_cast<std::size_t>(k.index)].scoped ? s.by_unit.find(k.unit) : &s.all;
    }
    bool built() const { return built_; }

    // Calls at_source(source, unit, list, sorted_flag) for every source list a row belongs in
    // (per ancestor-or-self of its unit when scoped, else `none`), and at_target(coverage,
    // entity, list, sorted_flag) for the coverage lists of the entities it names. Indexing and
    // unindexing walk the same places.
    template <class AtSource, class AtTarget>
    void places_of(int type, std::uint32_t row, AtSource&& at_source, AtTarget&& at_target);
    // The (source, field) a coverage index is over.
    std::pair<int, int> coverage_key(int c) const {
        const coverage_index& ci = coverages_[static_cast<std::size_t>(c)];
        return {ci.source, ci.field};
    }
    std::size_t coverage_count() const { return coverages_.size(); }
    // Bytes the lists hold (their capacity), for the benchmarks' account of memory.
    std::size_t bytes() const;

private:
    std::vector<entry>* list_for(const list_key& k);
    void index_row(int type, std::uint32_t row);
    void unindex_row(int type, std::uint32_t row);
    void clear();
    void build();
    void sort();  // the lists that arrived out of date order

    const graph::compiled_plan& plan_;
    store& st_;
    const event_values& values_;
    aggregate_states& states_;
    std::vector<source_index> sources_;
    std::vector<std::vector<int>> sources_of_type_;
    std::vector<coverage_index> coverages_;
    std::vector<std::vector<int>> coverages_of_type_;
    std::vector<int> coverage_of_node_;
    bool built_ = false;
};

template <class AtSource, class AtTarget>
void index_set::places_of(int type, std::uint32_t row, AtSource&& at_source, AtTarget&& at_target) {
    const table& t = st_.tables[static_cast<std::size_t>(type)];
    for (int s : sources_of_type_[static_cast<std::size_t>(type)]) {
        const graph::source& src = plan_.sources()[static_cast<std::size_t>(s)];
        if (!values_.passes(src, type, row)) continue;
        source_index& index = sources_[static_cast<std::size_t>(s)];
        if (src.scoped) {
            // Every ancestor-or-self of the event's unit whose kind some instance has.
            for (std::uint32_t e = t.unit_entity[row], guard = 0; e != none && guard <= store::max_depth;
                 e = st_.entities[e].parent, ++guard) {
                const int kind = st_.entities[e].kind;
                if (std::find(src.scope_kinds.begin(), src.scope_kinds.end(), kind) != src.scope_kinds.end())
                    at_source(s, e, index.by_unit[e], index.sorted);
            }
        } else {
            at_source(s, none, index.all, index.sorted);
        }
    }
    for (int c_index : coverages_of_type_[static_cast<std::size_t>(type)]) {
        coverage_index& ci = coverages_[static_cast<std::size_t>(c_index)];
        if (!values_.passes(plan_.sources()[static_cast<std::size_t>(ci.source)], type, row)) continue;
        auto target = [&](std::int64_t id) {
            const std::uint32_t e = st_.entity_of.get(static_cast<string_id>(id));
            if (e != none) at_target(c_index, e, ci.by_target[e], ci.sorted);
        };
        if (ci.field == check::field_unit) {  // built-in: not a column
            target(t.unit[row]);
            continue;
        }
        const column& c = t.columns[static_cast<std::size_t>(ci.field)];
        if (!c.present[row]) continue;
        if (c.kind == check::type_kind::set) {
            for (std::uint32_t m = c.set_begin[row]; m < c.set_end[row]; ++m) target(t.members[m]);
        } else {
            target(c.value[row]);
        }
    }
}

}  // namespace mandate::eval
