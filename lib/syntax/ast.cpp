#include "mandate/syntax/ast.hpp"
#include "mandate/syntax/scenario_ast.hpp"

namespace mandate::ast {

const char* const reserved_words[] = {
    "plan",  "phase",    "kind",     "event",    "obligation", "outcome",  "from",     "to",      "within", "cite",
    "each",  "during",   "every",    "full",     "cumulative", "by",       "after",    "before",  "require", "when",
    "grace", "warn",     "of",       "where",    "in",         "and",      "or",       "not",     "true",   "false",
    "count", "sum",      "distinct", "min",      "max",        "coverage", "gap",      "all",     "any",    "streak",
    "violations", "fired", "ref",    "set",      "int",        "number",   "bool",     "text",    "date",   "day",
    "days",  "week",     "weeks",    "month",    "months",     "quarter",  "year"};
const std::size_t reserved_word_count = sizeof reserved_words / sizeof reserved_words[0];

bool is_reserved_word(std::string_view word) {
    for (std::size_t i = 0; i < reserved_word_count; ++i)
        if (word == reserved_words[i]) return true;
    return false;
}

span span_of(const declaration& d) {
    return std::visit([](const auto& x) { return x.loc; }, d);
}

const name& id_of(const declaration& d) {
    return std::visit([](const auto& x) -> const name& { return x.id; }, d);
}

const char* keyword_of(const declaration& d) {
    struct visitor {
        const char* operator()(const plan_decl&) const { return "plan"; }
        const char* operator()(const phase_decl&) const { return "phase"; }
        const char* operator()(const kind_decl&) const { return "kind"; }
        const char* operator()(const event_decl&) const { return "event"; }
        const char* operator()(const rule_decl& r) const { return r.outcome ? "outcome" : "obligation"; }
        const char* operator()(const calendar_decl&) const { return "calendar"; }
    };
    return std::visit(visitor{}, d);
}

span span_of(const clause& c) {
    return std::visit([](const auto& x) { return x.loc; }, c);
}

const char* keyword_of(const clause& c) {
    struct visitor {
        const char* operator()(const cite_clause&) const { return "cite"; }
        const char* operator()(const each_clause&) const { return "each"; }
        const char* operator()(const during_clause&) const { return "during"; }
        const char* operator()(const window_clause&) const { return "from"; }
        const char* operator()(const every_clause&) const { return "every"; }
        const char* operator()(const by_clause&) const { return "by"; }
        const char* operator()(const trigger_clause& t) const { return t.before ? "before" : "after"; }
        const char* operator()(const require_clause& r) const { return r.when ? "when" : "require"; }
        const char* operator()(const grace_clause&) const { return "grace"; }
        const char* operator()(const warn_clause&) const { return "warn"; }
        const char* operator()(const due_clause&) const { return "due"; }
    };
    return std::visit(visitor{}, c);
}

const char* to_string(binop op) {
    switch (op) {
        case binop::or_: return "or";
        case binop::and_: return "and";
        case binop::eq: return "==";
        case binop::ne: return "!=";
        case binop::lt: return "<";
        case binop::le: return "<=";
        case binop::gt: return ">";
        case binop::ge: return ">=";
        case binop::in: return "in";
        case binop::add: return "+";
        case binop::sub: return "-";
        case binop::mul: return "*";
        case binop::div: return "/";
    }
    return "?";
}

const char* to_string(aggregate_kind k) {
    switch (k) {
        case aggregate_kind::count: return "count";
        case aggregate_kind::sum: return "sum";
        case aggregate_kind::distinct: return "distinct";
        case aggregate_kind::min: return "min";
        case aggregate_kind::max: return "max";
        case aggregate_kind::gap: return "gap";
        case aggregate_kind::all: return "all";
        case aggregate_kind::any: return "any";
        case aggregate_kind::coverage: return "coverage";
    }
    return "?";
}

const char* to_string(period_unit u) {
    switch (u) {
        case period_unit::day: return "day";
        case period_unit::week: return "week";
        case period_unit::month: return "month";
        case period_unit::quarter: return "quarter";
        case period_unit::year: return "year";
        case period_unit::half: return "half";
        case period_unit::hour: return "hour";
    }
    return "?";
}

const char* to_string(time_unit u, bool plural) {
    switch (u) {
        case time_unit::day: return plural ? "days" : "day";
        case time_unit::week: return plural ? "weeks" : "week";
        case time_unit::month: return plural ? "months" : "month";
        case time_unit::hour: return plural ? "hours" : "hour";
        case time_unit::workday: return plural ? "workdays" : "workday";
        case time_unit::year: return plural ? "years" : "year";
    }
    return "?";
}

const char* to_string(base_type t) {
    switch (t) {
        case base_type::int_: return "int";
        case base_type::number: return "number";
        case base_type::bool_: return "bool";
        case base_type::text: return "text";
        case base_type::date: return "date";
        case base_type::ref: return "ref";
        case base_type::set: return "set";
    }
    return "?";
}

}  // namespace mandate::ast

namespace mandate::ast::scenario {

span span_of(const statement& s) {
    return std::visit([](const auto& x) { return x.loc; }, s);
}

const char* keyword_of(const statement& s) {
    struct visitor {
        const char* operator()(const entity_stmt&) const { return "entity"; }
        const char* operator()(const event_stmt&) const { return "event"; }
        const char* operator()(const retract_stmt&) const { return "retract"; }
        const char* operator()(const record_stmt&) const { return "record"; }
        const char* operator()(const as_of_stmt&) const { return "as_of"; }
        const char* operator()(const expect_stmt&) const { return "expect"; }
    };
    return std::visit(visitor{}, s);
}

}  // namespace mandate::ast::scenario
