// Reading one stored event: its fields as values, the plan's constants, and the nodes of the
// graph that read one event (filters, all/any predicates) evaluated on it.
#pragma once

#include <cstdint>
#include <vector>

#include "mandate/graph/plan.hpp"
#include "store.hpp"
#include "value.hpp"

namespace mandate::eval {

class event_values {
public:
    // Interns the plan's text literals in the store's strings, so they compare as ids.
    event_values(const graph::compiled_plan& plan, store& st);

    // Field `field` (a built-in or a declared one) of row `row` of event type `type`;
    // undefined when the record left it out.
    val field(int type, std::uint32_t row, int field) const;
    // A value as a column (or a set's members) stores it: numbers in millionths, texts and refs
    // as string ids.
    static val stored(check::type_kind kind, std::int64_t v);
    // A constant node's value.
    val constant(graph::node_id id) const;
    // Whether x equals an item of a literal list (as `==` would say): a lookup in the set the
    // compiled plan built, not a scan of the items.
    bool in_list(const graph::node& list, const val& x) const;
    // An event-level node evaluated on one event, for the instance `unit` (or none).
    val evaluate(graph::node_id id, int type, std::uint32_t row, std::uint32_t unit) const;
    // Whether the event passes a source's filter, when the filter does not name the unit
    // (one that does is applied per instance, at evaluation).
    bool passes(const graph::source& s, int type, std::uint32_t row) const {
        if (s.filter == graph::no_node || s.filter_uses_unit) return true;
        return evaluate(s.filter, type, row, none).truthy();
    }

private:
    const graph::compiled_plan& plan_;
    const store& st_;
    std::vector<string_id> literal_ids_;  // per node: a text constant's interned id
};

}  // namespace mandate::eval
