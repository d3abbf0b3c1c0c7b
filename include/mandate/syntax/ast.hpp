// The abstract syntax tree of a rule file, as the parser produces it: plain structs whose
// nodes carry the byte span they came from, so later stages can point diagnostics at them.
// Names are not resolved here; the checker (mandate/check) does that.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "mandate/diagnostic.hpp"
#include "mandate/rational.hpp"

namespace mandate::ast {

// A heap-allocated value with value semantics, for recursive nodes. Never null unless moved from.
template <class T>
class box {
public:
    box() : p_(std::make_unique<T>()) {}
    box(T value) : p_(std::make_unique<T>(std::move(value))) {}  // NOLINT: implicit by design
    box(const box& other) : p_(std::make_unique<T>(*other.p_)) {}
    box(box&&) noexcept = default;
    box& operator=(const box& other) {
        if (this != &other) p_ = std::make_unique<T>(*other.p_);
        return *this;
    }
    box& operator=(box&&) noexcept = default;
    T& operator*() { return *p_; }
    const T& operator*() const { return *p_; }
    T* operator->() { return p_.get(); }
    const T* operator->() const { return p_.get(); }

private:
    std::unique_ptr<T> p_;
};

// An identifier as written, with where it was written.
struct name {
    span loc;
    std::string text;
};

// A calendar date as written; the checker decides whether it is a real date.
struct date_lit {
    span loc;
    int year = 0, month = 0, day = 0;
};

enum class time_unit { day, week, month, hour, workday, year };

// `N day|days|week|weeks|month|months`, and in v2 `N hour|hours|workday|workdays|year|years`
// (a year is 12 months).
struct duration {
    span loc;
    std::int64_t count = 0;
    time_unit unit = time_unit::day;
};

enum class period_unit { day, week, month, quarter, year, half, hour };

// `day`, `week`, `month`, `quarter`, `year`, `N days`, `N weeks`; in v2 `half`, `N months`,
// `N hours`.
struct period {
    span loc;
    period_unit unit = period_unit::month;
    std::int64_t count = 1;  // > 1 only for counted periods
    bool counted = false;    // written with a count ("1 days" counts from the window start too)
};

// ---------------------------------------------------------------- expressions

struct expr;

enum class binop { or_, and_, eq, ne, lt, le, gt, ge, in, add, sub, mul, div };
enum class unop { not_, neg };

struct number_lit {
    rational value;
    std::string text;  // as written, without the percent sign
    bool percent = false;
};
struct bool_lit {
    bool value = false;
};
struct string_lit {
    std::string value;  // escapes resolved
};
struct date_value {
    date_lit value;
};
struct duration_value {
    duration value;
};
struct list_lit {
    std::vector<expr> items;
};
// A bare name: an event field inside `where`, or a unit variable.
struct name_ref {
    std::string text;
};
struct unary {
    unop op = unop::not_;
    box<expr> operand;
};
struct binary {
    binop op = binop::and_;
    box<expr> lhs, rhs;
};

// `EVENT[.FIELD] [of VAR] [where PRED]`, the input of every event aggregate.
struct event_source {
    span loc;
    name event;
    std::optional<name> field;
    std::optional<name> of_var;
    std::optional<box<expr>> where;
};

enum class aggregate_kind { count, sum, distinct, min, max, gap, all, any, coverage };

struct aggregate {
    aggregate_kind kind = aggregate_kind::count;
    event_source source;
    std::optional<box<expr>> predicate;  // all/any: the PRED2 after ':'
    std::vector<name> kinds;             // coverage: the denominator's kinds
    std::optional<name> within_var;      // coverage: `within VAR`
};

struct streak {
    period per;
    box<expr> body;
};

// `peak(DURATION, AGG)` and `earlier(DURATION, AGG)` (LANGUAGE-v2.md section 7).
enum class window_kind { peak, earlier };
struct window_call {
    window_kind kind = window_kind::peak;
    duration length;
    box<expr> body;
};

// `violations(...)` and `violated_obligations(...)`.
struct violations {
    std::vector<name> obligations;  // empty: every obligation not downstream of the enclosing rule
    name of_var;
    bool within = false;    // `within VAR`: VAR and every unit under it, not `of VAR` alone
    bool distinct = false;  // violated_obligations: obligations with a violated bucket, not buckets
};

// `X.FIELD`: a field of a unit's registry record (X a unit variable, `unit`, a ref field, `it`).
struct member {
    name object;
    name field;
};

// `EXPR is KIND | KIND`.
struct is_kind {
    box<expr> operand;
    std::vector<name> kinds;
};

// `units(KINDS within VAR [where PRED])`, `units(o: KINDS within VAR where PRED)`,
// `all_units(o: KINDS within VAR: PRED)`, `any_unit(o: ...)`.
enum class units_form { count, all, any };
struct units_call {
    units_form form = units_form::count;
    std::optional<name> var;  // `o:`; without it, `it` names the entity in the predicate
    std::vector<name> kinds;
    name within_var;
    std::optional<box<expr>> predicate;
};

// `rank(VAR by EXPR [ascending] among KINDS [within VAR2])`.
struct rank {
    name var;
    box<expr> by;
    bool ascending = false;
    std::vector<name> kinds;
    std::optional<name> within_var;
};

struct fired {
    name outcome;
    name of_var;
};

struct expr {
    span loc;
    std::uint32_t depth = 1;  // height of this subtree (a chain `a + b + c` is as tall as it is long)
    // Levels of nesting, what limits::max_expression_depth bounds: one per operand below its
    // operator, but a chain of operators of one precedence (`a + b - c`, `x and y and z`) is
    // one level however long. The parser bounds both.
    std::uint32_t nesting = 1;
    std::variant<number_lit, bool_lit, string_lit, date_value, duration_value, list_lit, name_ref, unary, binary,
                 aggregate, streak, violations, fired, member, is_kind, units_call, rank, window_call>
        node;
};

// ---------------------------------------------------------------- declarations

enum class week_day { monday, tuesday, wednesday, thursday, friday, saturday, sunday };

struct plan_property {
    span loc;
    name key;  // title, source, timezone, week_start, calendar, language
    std::optional<std::string> text;  // string-valued properties
    std::optional<name> word;         // week_start's day name, calendar's name
    std::optional<std::int64_t> number;  // language's version
};

struct plan_decl {
    span loc;
    name id;
    std::vector<plan_property> properties;
};

struct phase_decl {
    span loc;
    name id;
    std::optional<std::string> label;
    date_lit from, to;
    // `from event TYPE to event TYPE [at most DURATION]` (LANGUAGE-v2.md section 6): the dates
    // above are unset.
    bool by_events = false;
    name start_event, end_event;
    std::optional<duration> at_most;
};

// `calendar NAME { holiday DATE [to DATE] ["label"] ... workday DATE ["label"] ... weekend DAY... }`.
enum class calendar_entry_kind { holiday, workday, weekend };
struct calendar_entry {
    span loc;
    calendar_entry_kind kind = calendar_entry_kind::holiday;
    date_lit from;
    std::optional<date_lit> to;
    std::optional<std::string> label;
    std::vector<name> days;  // weekend
};
struct calendar_decl {
    span loc;
    name id;
    std::vector<calendar_entry> entries;
};

enum class base_type { int_, number, bool_, text, date, ref, set };

struct field_type {
    span loc;
    base_type base = base_type::text;
    std::vector<name> ref_kinds;                   // ref
    std::optional<box<field_type>> element;        // set<T>
};

struct field_decl {
    span loc;
    name id;
    bool optional = false;
    field_type type;
};

struct kind_decl {
    span loc;
    name id;
    std::optional<std::string> label;
    std::vector<name> parents;  // `within K | K`
    std::vector<field_decl> fields;  // `{ NAME: TYPE ... }`: what the kind's registry records carry
};

struct event_decl {
    span loc;
    name id;
    std::optional<std::string> label;
    std::vector<field_decl> fields;
};

// Clauses of obligations and outcomes, in the order written.
struct cite_clause {
    span loc;
    std::string text;
};
struct each_clause {
    span loc;
    name var;
    std::vector<name> kinds;
    std::optional<expr> where;  // `each VAR: KINDS where PRED`
};
struct during_clause {
    span loc;
    name phase;
};
struct window_clause {  // `from DATE to DATE`
    span loc;
    date_lit from, to;
};
struct every_clause {
    span loc;
    bool full = false;
    period per;
    bool cumulative = false;
    std::optional<date_lit> cumulative_from;
};
struct by_clause {
    span loc;
    date_lit date;
};
// `after|before TRIGGER within DURATION`; TRIGGER is `EVENT [of VAR] [where PRED]` or `outcome NAME`.
struct trigger_clause {
    span loc;
    bool before = false;
    bool outcome = false;
    name target;
    std::optional<name> of_var;
    std::optional<expr> where;
    duration within;
};
struct require_clause {  // `require` in obligations, `when` in outcomes
    span loc;
    bool when = false;
    expr condition;
};
struct grace_clause {
    span loc;
    duration length;
};
struct warn_clause {
    span loc;
    duration length;
};
// `due day N`, `due DURATION after`, `due day N after` (LANGUAGE-v2.md section 5).
struct due_clause {
    span loc;
    bool day_form = false;  // `day N`
    std::int64_t day = 0;
    duration length;        // `DURATION after`
    bool after = false;     // the due range lies after the period
};

using clause = std::variant<cite_clause, each_clause, during_clause, window_clause, every_clause, by_clause,
                            trigger_clause, require_clause, grace_clause, warn_clause, due_clause>;

// An obligation or an outcome: the two share every clause but `require`/`when`.
struct rule_decl {
    span loc;
    bool outcome = false;
    name id;
    std::optional<std::string> label;
    std::vector<clause> clauses;
};

using declaration = std::variant<plan_decl, phase_decl, kind_decl, event_decl, rule_decl, calendar_decl>;

// A `#` comment, kept for the formatter.
struct comment {
    span loc;
    std::string text;     // including the '#'
    bool own_line = false;  // nothing but whitespace before it on its line
};

struct file {
    std::vector<declaration> declarations;
    std::vector<comment> comments;
};

// Where a declaration starts and what it is called.
span span_of(const declaration& d);
const name& id_of(const declaration& d);
const char* keyword_of(const declaration& d);
span span_of(const clause& c);
const char* keyword_of(const clause& c);

// The words LANGUAGE.md reserves; they cannot name anything.
bool is_reserved_word(std::string_view word);
extern const char* const reserved_words[];
extern const std::size_t reserved_word_count;

const char* to_string(binop op);
const char* to_string(aggregate_kind k);
const char* to_string(period_unit u);
const char* to_string(time_unit u, bool plural);
const char* to_string(base_type t);

}  // namespace mandate::ast
