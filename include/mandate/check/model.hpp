// The checked plan: every name resolved to an index, every expression typed, dates real,
// windows and schedules settled, the dependency order of rules known, and each requirement's
// monotonicity computed. Produced by mandate::check::check(); consumed by the graph compiler.
#pragma once

#include <climits>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mandate/calendar/date.hpp"
#include "mandate/calendar/period.hpp"
#include "mandate/calendar/workdays.hpp"
#include "mandate/diagnostic.hpp"
#include "mandate/rational.hpp"

namespace mandate::check {

using calendar::day;

// ------------------------------------------------------------------ types

enum class type_kind : std::uint8_t { error, boolean, integer, number, text, date, duration, ref, set, list };

// A value type. `element` is meaningful for set and list; `kinds` for ref (and set/list of ref):
// the entity kinds a ref may name, empty meaning any kind.
struct type {
    type_kind kind = type_kind::error;
    type_kind element = type_kind::error;
    std::vector<int> kinds;

    static type of(type_kind k) { return type{k, type_kind::error, {}}; }
    bool is(type_kind k) const { return kind == k; }
    bool numeric() const { return kind == type_kind::integer || kind == type_kind::number; }
};

// "an int", "a set<text>", "a percent"... for messages.
std::string describe(const type& t);

// ------------------------------------------------------------------ declarations

struct phase {
    std::string id, label;
    day from = 0, to = 0;  // a phase of dates
    span loc;
    // `from event A to event B [at most D]` (LANGUAGE-v2.md section 6): its windows come and go
    // with those events, per unit; from/to are unset and it takes no part in the plan's span.
    bool by_events = false;
    int start_event = -1, end_event = -1;
    std::optional<calendar::duration> at_most;
};

struct field {
    std::string id;
    type t;
    bool optional = false;
    span loc;
};

struct kind {
    std::string id, label;
    std::vector<int> parents;  // allowed parent kinds; empty: a root kind
    span loc;
    std::vector<field> fields;  // what its registry records carry (LANGUAGE-v2.md section 1)
    int find_field(std::string_view name) const;
};

// Keys every entity record may carry: a kind's field may not take one of these names.
bool is_entity_key(std::string_view name);

// Built-in fields every event has, at these indices of event_type::fields.
inline constexpr int field_id = 0;
inline constexpr int field_time = 1;
inline constexpr int field_unit = 2;
inline constexpr int first_declared_field = 3;

struct event_type {
    std::string id, label;
    std::vector<field> fields;  // id, time, unit, then the declared ones
    span loc;
    int find_field(std::string_view name) const;
};

// ------------------------------------------------------------------ expressions

enum class op : std::uint8_t {
    literal, field, var, list,
    not_, neg, add, sub, mul, div, eq, ne, lt, le, gt, ge, in, and_, or_,
    count, sum, distinct, min, max, gap, all, any, coverage,
    streak, violations, fired,
    // LANGUAGE-v2.md sections 1-3
    unit_field,  // X.FIELD: args[0] names the unit (a var, or an event's unit or ref field)
    is_kind,     // X is KIND: args[0] names the unit
    units,       // units(KINDS within VAR [where PRED]): args[0] is PRED, when given
    all_units,   // all_units(o: KINDS within VAR: PRED): args[0] is PRED
    any_unit,
    rank,        // rank(VAR by EXPR ...): args[0] is EXPR
    // LANGUAGE-v2.md section 7
    peak,        // peak(D, AGG): args[0] is AGG, value.length D
    earlier,     // earlier(D, AGG): args[0] is AGG, value.length D
};

// The unit variables of a rule: the `each` variable is slot 0; a child quantifier's or
// units()'s variable takes the next slot inside it. At most this many are bound at once.
inline constexpr int max_unit_slots = 8;

bool is_aggregate(op o);
bool is_comparison(op o);
// The operator as written ("==", "and", "-"), or nullptr for the ops that are not operators.
const char* operator_text(op o);

// Durations and periods are the calendar's (calendar/period.hpp), named here too.
using calendar::duration;
using calendar::period;
using calendar::period_unit;
using calendar::time_unit;

// A literal value in an expression.
struct literal {
    rational number;        // integer and number literals, percents (exact)
    bool boolean = false;
    std::string text;
    day date = 0;
    duration length;
    bool percent = false;   // written with '%' (for messages)
};

// The items of a literal list, right of `in`, kept as one sorted set rather than a typed
// expression each: a list of a million items is a few bytes an item, not hundreds, and a test of
// membership is a binary search, not a scan of the list for every event. Built by the checker,
// immutable once sealed, shared by the compiled plan's engines.
class member_set {
public:
    // Adds one item of the list, a literal of the checked type `kind`.
    void add(const literal& value, type_kind kind);
    // Sorts the members and drops repeats; call once, after the last add().
    void seal();

    bool has_text(std::string_view text) const;
    bool has_number(const rational& number) const;
    bool has_date(std::int64_t day) const;
    bool has_days(std::int64_t days) const;  // a duration, in days
    bool has_boolean(bool value) const;

    // The members, each kind in ascending order (texts by their bytes).
    std::vector<std::string_view> texts() const;
    const std::vector<rational>& numbers() const { return numbers_; }
    const std::vector<std::int64_t>& dates() const { return dates_; }
    const std::vector<std::int64_t>& durations() const { return durations_; }
    std::vector<bool> booleans() const;
    // The members as text, equal for two sets exactly when they have the same members.
    std::string key() const;

private:
    std::string_view text_at(std::size_t i) const { return std::string_view(bytes_).substr(texts_[i].at, texts_[i].size); }

    struct text_ref {
        std::size_t at = 0, size = 0;  // in bytes_
    };
    std::string bytes_;               // every text item, back to back
    std::vector<text_ref> texts_;     // sorted by their text
    std::vector<rational> numbers_;   // sorted
    std::vector<std::int64_t> dates_, durations_;  // sorted day numbers; durations in days
    bool true_ = false, false_ = false;
};

// A typed expression. Children in `args`; aggregates keep their `where` predicate and the
// all/any predicate at the indices `where_arg` / `pred_arg` (-1: none).
struct texpr {
    op o = op::literal;
    type t;
    span loc;
    std::string text;  // canonical source text, used to name measures in reports

    literal value;                 // literal
    std::vector<texpr> args;       // operands (a list has none: see members)
    std::shared_ptr<const member_set> members;  // list: its items
    int event = -1;                // aggregates: event type index
    int field = -1;                // field reference, or the aggregate's EVENT.FIELD
    bool scoped = false;           // aggregates: `of VAR` given (events of the unit and below)
    int where_arg = -1, pred_arg = -1;
    std::vector<int> kinds;        // coverage: denominator kinds
    period per;                    // streak
    std::vector<int> rules;        // violations / fired: rule indices (violations: resolved list)
    bool all_obligations = false;  // violations(of VAR): the list was computed, not written
    // Unit variables: the slot a var names, an aggregate is scoped to (`of VAR`), violations
    // and fired read (`of VAR`), units() and the child quantifiers bind; -1 none.
    int slot = -1;
    int within_slot = -1;            // units, all_units, any_unit, rank, coverage: `within VAR`
    std::vector<int> scope_kinds;    // aggregates scoped to a var: the kinds that var ranges over
    std::vector<int> kind_fields;    // unit_field: per kind of the plan, the field's index, or -1
    bool within = false;             // violations: VAR and every unit under it
    bool distinct = false;           // violations: violated_obligations()
    bool ascending = false;          // rank
};

// ------------------------------------------------------------------ obligations and outcomes

enum class monotonicity : std::uint8_t { none, monotone, anti_monotone };
const char* to_string(monotonicity m);

// LANGUAGE.md's monotonicity of a boolean requirement (exactly the forms it lists).
monotonicity classify(const texpr& requirement);
// In a `language 2` file, the forms decided before their bucket closes (LANGUAGE-v2.md section
// 9), each standing as the whole requirement: `gap(..) < D` or `<= D` (anti-monotone: violated
// once false), `streak(..) >= n` or `> n` (monotone: satisfied once true); none otherwise.
monotonicity earlier_verdict(const texpr& requirement);

enum class schedule_kind : std::uint8_t { whole, every, by, after, before };

struct trigger {
    bool outcome = false;
    bool registered = false;  // `after registered within D`: the unit's `since` date

    int target = -1;  // event type, or rule index of the outcome
    bool scoped = false;
    std::optional<texpr> where;
};

struct rule {
    std::string id, label;
    bool outcome = false;
    std::vector<std::string> cites;
    std::string var;             // `each VAR`; empty when the rule has no `each` (one instance)
    std::vector<int> unit_kinds;
    std::optional<texpr> where;  // `each VAR: KINDS where PRED`: a bucket has an instance only where PRED holds
    day window_from = 0, window_to = 0;
    schedule_kind schedule = schedule_kind::whole;
    period per;                  // every
    bool full = false;
    bool cumulative = false;
    day cumulative_from = 0;     // set when cumulative (window start unless given)
    day by = 0;                  // by
    trigger trig;                // after / before
    duration within;             // after / before
    std::optional<duration> grace, warn;
    // `due` (LANGUAGE-v2.md section 5): when the work about an `every` period is reported.
    enum class due_kind : std::uint8_t { none, day, after, day_after };
    due_kind due = due_kind::none;
    int due_day = 0;             // day / day_after: day N of the month (past its end: its last day)
    duration due_length;         // after
    int event_phase = -1;        // `during P` for a phase bounded by events: its index
    // The plan's holiday calendar (plan::workdays, which owns it), for the rule's workdays;
    // null: Saturday and Sunday off.
    const calendar::workday_calendar* workdays = nullptr;
    texpr condition;             // require / when
    monotonicity mono = monotonicity::none;
    std::vector<int> reads;      // rules whose buckets `condition` reads (violations, fired)
    std::vector<int> reads_within;  // of those, the ones read below the unit too (`within VAR`, a quantifier's unit)
    std::vector<int> reads_anywhere;  // and those read of any unit (inside rank())
    // What the rule reads beyond its own unit's events, which decides what a change touches:
    bool reads_below = false;    // entities under its unit: units(), child quantifiers, coverage
    bool reads_fields = false;   // unit fields, `is`, or the registry in `each ... where`
    bool reads_event_units = false;  // of those, through an event's unit or ref field (in a where)
    bool ranks = false;          // rank(): every unit's value
    span loc;
};

struct plan {
    std::string id, title, source;
    int language = 1;            // `language 2`: the earlier verdicts of LANGUAGE-v2.md section 9
    // `calendar NAME`: the holiday calendar `N workdays` count by; null: Saturday and Sunday
    // off, no holidays. Shared by the plans compiled from it, immutable.
    std::shared_ptr<const calendar::workday_calendar> workdays;
    int utc_offset_minutes = 0;
    calendar::weekday week_start = calendar::weekday::monday;
    std::vector<phase> phases;
    std::vector<kind> kinds;
    std::vector<event_type> events;
    std::vector<rule> rules;  // obligations and outcomes in file order
    std::vector<int> order;   // rule indices in dependency order (what a rule reads comes first)
    day span_from = 0, span_to = 0;  // first phase start .. last phase end (0..0 without phases)
    bool has_span = false;

    int find_kind(std::string_view id) const;
    int find_event(std::string_view id) const;
    // Obligations and outcomes are separate namespaces: find_rule looks for an obligation
    // first, then an outcome.
    int find_rule(std::string_view id) const;
    int find_obligation(std::string_view id) const;
    int find_outcome(std::string_view id) const;
    int find_phase(std::string_view id) const;
};

}  // namespace mandate::check
