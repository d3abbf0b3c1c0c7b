// The compiled plan: an immutable evaluation graph built from a checked plan. Event sources
// (an event type, a filter, a unit scope) feed aggregates, which feed arithmetic and
// comparisons, which decide obligation and outcome buckets, which outcomes and triggered
// obligations read in turn. Equal sub-expressions are one node: two obligations counting the
// same events share the source and the count. Immutable after compile(); safe to share
// across threads and engines.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mandate/calendar/schedule.hpp"
#include "mandate/check/model.hpp"
#include "mandate/result.hpp"

namespace mandate::graph {

using node_id = int;
inline constexpr node_id no_node = -1;

enum class node_kind : std::uint8_t {
    constant,   // a literal
    field,      // an event field (inside event predicates)
    unit_var,   // the instance's unit (inside event predicates)
    list,       // a literal list, right of `in`
    unary,      // not, neg
    binary,     // arithmetic, comparison, and/or
    in,         // membership
    aggregate,  // count, sum, distinct, min, max, gap, all, any, coverage over a source
    streak,
    violations,
    fired,
    entity_field,  // a field of a unit's registry record: args[0] names the unit
    is_kind,       // whether args[0]'s unit is of `kinds`
    units,         // entities of `kinds` under the unit in slot `within_slot` [where args[0]]
    all_units,     // args[0] for each of them (bound in `slot`)
    any_unit,
    rank,          // the rank of slot 0's unit among `kinds` by args[0]
    window,        // peak(D, AGG) / earlier(D, AGG) (op says which): args[0] the aggregate, value.length D
};

struct node {
    node_kind kind = node_kind::constant;
    check::op op = check::op::literal;
    check::type type;
    std::vector<node_id> args;
    check::literal value;        // constant
    int field = -1;              // field / the aggregate's EVENT.FIELD
    int source = -1;             // aggregate: index into compiled_plan::sources
    node_id predicate = no_node; // all/any: the per-event predicate
    std::vector<int> kinds;      // coverage: denominator kinds
    check::period per;           // streak
    std::vector<int> rules;      // violations / fired
    std::shared_ptr<const check::member_set> members;  // list: its items, as the checked plan holds them
    std::string text;            // canonical source text
    bool event_level = false;    // reads event fields: evaluated per event, not per bucket
    bool uses_unit = false;      // reads the instance's unit
    // Unit variables (check::texpr): a var's slot, the slot an aggregate is scoped to, or the
    // one units() and the quantifiers bind; `within_slot` the `within VAR` they read.
    int slot = -1;
    int within_slot = -1;
    std::vector<int> kind_fields;  // entity_field: per kind, the field's index, or -1
    bool within = false, distinct = false, ascending = false;
    bool reads_slots = false;    // reads a unit variable other than slot 0 (inside a quantifier)
    bool reads_registry = false; // reads a unit's fields or kind
};

// A stream of events: one type, an optional filter, and whether it is scoped to a unit
// (`of VAR`: events of the unit and its descendants). Shared by every aggregate over it.
struct source {
    int event = -1;
    node_id filter = no_node;    // an event-level boolean node
    bool scoped = false;
    bool filter_uses_unit = false;  // the filter names the unit variable: applied per instance
    bool filter_reads_registry = false;  // the filter reads units' fields or kinds (applied per instance too)
    std::vector<int> scope_kinds;   // kinds of the units the source is scoped to
    std::string text;               // "activity of v where venue in [...]"
};

// What a rule (obligation or outcome) needs at evaluation time.
struct rule_node {
    int rule = -1;                    // index into model().rules
    node_id condition = no_node;
    node_id compared = no_node;       // left side of a single-comparison condition, for `value`
    std::vector<calendar::bucket> buckets;  // calendar schedules (whole, every, by)
    int trigger_source = -1;          // after/before an event: the trigger events
    // During a phase bounded by events: the events opening and closing its windows, each
    // listed under its unit and every unit above it (the windows of a unit are opened at it or
    // above it).
    int window_start_source = -1, window_end_source = -1;
    node_id where = no_node;          // `each ... where`: whether the unit has a bucket
    std::vector<node_id> aggregates;  // every aggregate the condition reads (measures)
    std::vector<std::string> measure_names;  // their text as this rule writes it (a shared node
                                             // keeps the text of the first rule that made it)
};

class compiled_plan {
public:
    const check::plan& model() const { return model_; }
    const std::vector<node>& nodes() const { return nodes_; }
    const std::vector<source>& sources() const { return sources_; }
    const std::vector<rule_node>& rules() const { return rules_; }
    const node& at(node_id id) const { return nodes_[static_cast<std::size_t>(id)]; }
    // SHA-256 of the rule file text, hex.
    const std::string& revision() const { return revision_; }
    const std::string& name() const { return name_; }

    // The graph in Graphviz DOT: sources, shared nodes, rules, and the edges between them.
    std::string to_dot() const;

private:
    friend class compiler;
    check::plan model_;
    std::vector<node> nodes_;
    std::vector<source> sources_;
    std::vector<rule_node> rules_;
    std::string revision_;
    std::string name_;
};

// Compiles a checked plan. `text` is the rule file (for the revision hash).
std::shared_ptr<const compiled_plan> compile(check::plan checked, std::string_view text, std::string name);

// Hex SHA-256 of bytes.
std::string sha256_hex(std::string_view bytes);

}  // namespace mandate::graph
