// Aggregates kept up to date as records arrive, instead of recomputed from the indexes for
// every report: for each count, sum, distinct, min and max node of the graph, the periods rules
// read it over (their calendar buckets, a streak's sub-periods: its spans), and for each
// instance unit a state per span over every event of the span — a count, a sum, the values with
// their multiplicities (so a retracted event takes its value back out, and min and max survive
// it). An event updates the spans its date falls in, for its unit and the ancestors that
// aggregate over it; built in one pass from the indexes after a bulk load.
//
// A state covers a whole span: it answers for a bucket that has ended by the report date. A
// bucket still running at the report date counts only the events up to that date, and is read
// from the indexes as before; so are spans no calendar fixes (triggered buckets).
#pragma once

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

class aggregate_states {
public:
    aggregate_states(const graph::compiled_plan& plan, const store& st, const event_values& values);

    // Whether `node`'s states are kept, over the span [from, to].
    bool keeps(graph::node_id node, day from, day to) const { return span_of(node, from, to) >= 0; }
    // The node's value over the whole span [from, to] for `unit` (none for an unscoped source):
    // what its events give. Only for a span keeps() says is kept.
    val value(graph::node_id node, std::uint32_t unit, day from, day to) const;

    // An event row placed in (+1) or taken from (-1) the list of source `s` for `unit` (or none),
    // as the indexes do. Ignored while the states are not built.
    void placed(int s, std::uint32_t unit, int type, std::uint32_t row, int sign);

    bool built() const { return built_; }
    // Drops every state: rebuilt at the next build().
    void invalidate();
    // Builds every state from the indexes' lists: `list(s, unit)` gives source s's events of
    // `unit`, and `units(s)` the units it has lists for (none for an unscoped source).
    template <class Lists>
    void build(Lists&& lists);

private:
    struct state {
        std::int64_t count = 0;
        int128 sum = 0;
        // distinct, min, max: each value with how many events (or set members) hold it.
        std::unique_ptr<std::map<std::int64_t, std::uint32_t>> values;
    };
    struct span {
        day from, to;
    };
    struct kept_node {
        graph::node_id node = graph::no_node;
        check::op op = check::op::count;
        int field = -1;
        std::vector<span> spans;                            // by from, then to
        entity_map<std::vector<state>> by_unit;             // a state per span, once an event came
    };
    int span_of(graph::node_id node, day from, day to) const;
    void add_row(kept_node& k, std::uint32_t unit, int type, std::uint32_t row, int sign);

    const graph::compiled_plan& plan_;
    const store& st_;
    const event_values& values_;
    std::vector<kept_node> kept_;
    std::vector<int> kept_of_node_;                 // node -> index into kept_, or -1
    std::vector<std::vector<int>> kept_of_source_;  // source -> indexes into kept_
    bool built_ = false;
};

template <class Lists>
void aggregate_states::build(Lists&& lists) {
    invalidate();
    for (std::size_t s = 0; s < kept_of_source_.size(); ++s) {
        if (kept_of_source_[s].empty()) continue;
        const graph::source& src = plan_.sources()[s];
        lists(static_cast<int>(s), [&](std::uint32_t unit, const auto& entries) {
            for (const int k : kept_of_source_[s])
                for (const auto& e : entries) {
                    if (src.filter_uses_unit && !values_.evaluate(src.filter, src.event, e.row, unit).truthy()) continue;
                    add_row(kept_[static_cast<std::size_t>(k)], unit, src.event, e.row, +1);
                }
        });
    }
    built_ = true;
}

}  // namespace mandate::eval
