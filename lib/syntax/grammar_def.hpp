// Definition of the rule-language grammar (LANGUAGE.md). Included only by grammar.cpp.
//
// Rules build the AST with semantic actions rather than Fusion attribute propagation: every
// node needs its span, expressions fold into a tree as they are read, and clause lists are
// variants of std::variant, which X3 does not propagate into. Expectation points (`>`) follow
// each keyword and bracket so an error lands where the author erred, and rule names are the
// readable labels the diagnostics print ("expected a period: ...").
#pragma once

#include <boost/fusion/include/at_c.hpp>

#include <algorithm>
#include <cstring>

#include "grammar.hpp"

namespace mandate::syntax::parser {

using boost::fusion::at_c;
using x3::_attr;
using x3::_pass;
using x3::_val;
using x3::_where;

// ------------------------------------------------------------------ building blocks

// Sets `loc` on the value of the rule it wraps, from where its match starts (after skipping)
// to where it ends. X3's own on_success hook cannot do this for rules with semantic actions:
// it receives `unused` for their attribute.
template <class Subject>
struct located_directive : x3::unary_parser<Subject, located_directive<Subject>> {
    using base_type = x3::unary_parser<Subject, located_directive<Subject>>;
    static bool const is_pass_through_unary = true;
    explicit located_directive(Subject const& subject) : base_type(subject) {}

    template <class Iterator, class Context, class RContext, class Attribute>
    bool parse(Iterator& first, Iterator const& last, Context const& context, RContext& rcontext,
               Attribute& attr) const {
        x3::skip_over(first, last, context);
        const Iterator start = first;
        if (!this->subject.parse(first, last, context, rcontext, attr)) return false;
        const parse_state& state = x3::get<state_tag>(context);
        set_loc(rcontext, span{static_cast<std::uint32_t>(start - state.base), static_cast<std::uint32_t>(first - state.base)}, 0);
        return true;
    }

private:
    template <class T>
    static auto set_loc(T& node, span s, int) -> decltype(node.loc = s, void()) {
        node.loc = s;
    }
    template <class T>
    static void set_loc(T&, span, long) {}
};

struct located_gen {
    template <class Subject>
    located_directive<typename x3::extension::as_parser<Subject>::value_type> operator[](Subject const& subject) const {
        return located_directive<typename x3::extension::as_parser<Subject>::value_type>(x3::as_parser(subject));
    }
};
inline constexpr located_gen located{};

inline bool is_idchar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Between fields of an event: a comma, or a line break (a comment ends a line too), or the
// closing brace. Looks at the raw text: the skipper would hide the line break.
struct field_separator_parser : x3::parser<field_separator_parser> {
    using attribute_type = x3::unused_type;
    static bool const has_attribute = false;

    template <class Iterator, class Context, class RContext, class Attribute>
    bool parse(Iterator& first, Iterator const& last, Context const& context, RContext&, Attribute&) const {
        // A parser that tried to read on after the field's value (a unit after a number, say)
        // and failed may have skipped the line break already: look back over the blanks too.
        const parse_state& state = x3::get<state_tag>(context);
        for (Iterator b = first; b != state.base;) {
            --b;
            if (*b == '\n') return true;
            if (*b != ' ' && *b != '\t' && *b != '\r') break;
        }
        Iterator i = first;
        while (i != last && (*i == ' ' || *i == '\t' || *i == '\r')) ++i;
        if (i == last || *i == '\n' || *i == '#' || *i == '}') return true;
        if (*i == ',') {
            first = i + 1;
            return true;
        }
        return false;
    }
};

// A keyword: the word followed by a character that cannot continue an identifier.
// Its own parser type so that an expectation failure names it as 'word'.
struct keyword_parser : x3::parser<keyword_parser> {
    using attribute_type = x3::unused_type;
    static bool const has_attribute = false;

    constexpr explicit keyword_parser(const char* w) : word(w) {}

    template <class Iterator, class Context, class RContext, class Attribute>
    bool parse(Iterator& first, Iterator const& last, Context const& context, RContext&, Attribute&) const {
        x3::skip_over(first, last, context);
        Iterator i = first;
        for (const char* p = word; *p; ++p, ++i)
            if (i == last || *i != *p) return false;
        if (i != last && is_idchar(*i)) return false;
        first = i;
        return true;
    }

    const char* word;
};

// Raises nesting depth while its subject parses; deep input becomes a diagnostic, not a crash.
template <class Subject>
struct nest_directive : x3::unary_parser<Subject, nest_directive<Subject>> {
    using base_type = x3::unary_parser<Subject, nest_directive<Subject>>;
    static bool const is_pass_through_unary = true;
    explicit nest_directive(Subject const& subject) : base_type(subject) {}

    template <class Iterator, class Context, class RContext, class Attribute>
    bool parse(Iterator& first, Iterator const& last, Context const& context, RContext& rcontext,
               Attribute& attr) const {
        parse_state& state = x3::get<state_tag>(context);
        if (state.nesting >= max_nesting)
            throw semantic_error{first, "expression nested too deeply (the limit is " + std::to_string(max_nesting) +
                                            " levels)"};
        ++state.nesting;
        struct restore {
            int& n;
            ~restore() { --n; }
        } guard{state.nesting};
        return this->subject.parse(first, last, context, rcontext, attr);
    }
};

struct nest_gen {
    template <class Subject>
    nest_directive<typename x3::extension::as_parser<Subject>::value_type> operator[](Subject const& subject) const {
        return nest_directive<typename x3::extension::as_parser<Subject>::value_type>(x3::as_parser(subject));
    }
};
inline constexpr nest_gen nest{};

}  // namespace mandate::syntax::parser

namespace boost::spirit::x3 {
// An action or directive is expected when its subject is: name it by its subject.
template <class Subject, class Action>
struct get_info<action<Subject, Action>> {
    using result_type = std::string;
    std::string operator()(action<Subject, Action> const& p) const { return what(p.subject); }
};
template <class Subject>
struct get_info<mandate::syntax::parser::nest_directive<Subject>> {
    using result_type = std::string;
    std::string operator()(mandate::syntax::parser::nest_directive<Subject> const& p) const { return what(p.subject); }
};

template <>
struct get_info<mandate::syntax::parser::keyword_parser> {
    using result_type = std::string;
    std::string operator()(mandate::syntax::parser::keyword_parser const& p) const {
        return std::string("'") + p.word + "'";
    }
};
}  // namespace boost::spirit::x3

namespace mandate::syntax::parser {

inline keyword_parser kw(const char* word) { return keyword_parser(word); }

inline bool is_reserved(const std::string& word) { return ast::is_reserved_word(word); }

// ------------------------------------------------------------------ actions

inline const auto assign = [](auto& ctx) { _val(ctx) = std::move(_attr(ctx)); };

template <class Member>
auto set(Member member) {
    return [member](auto& ctx) { _val(ctx).*member = std::move(_attr(ctx)); };
}

template <class Member>
auto push(Member member) {
    return [member](auto& ctx) { (_val(ctx).*member).push_back(std::move(_attr(ctx))); };
}

template <class Member, class Value>
auto set_to(Member member, Value value) {
    return [member, value](auto& ctx) { _val(ctx).*member = value; };
}

inline std::uint32_t offset_of(const char* p, const parse_state& state) {
    return static_cast<std::uint32_t>(p - state.base);
}

// Wraps a node into an expression one level above its children (`child_depth` the tallest,
// `child_nesting` the most nested), enforcing the limits on both.
// The span is set by `located` on the rule that builds the node (binary nodes set their own).
template <class Node>
ast::expr make_expr(Node node, std::uint32_t child_depth, std::uint32_t child_nesting, const char* where) {
    ast::expr e;
    e.depth = child_depth + 1;
    e.nesting = child_nesting + 1;
    if (e.nesting > static_cast<std::uint32_t>(max_expr_depth))
        throw semantic_error{where, "expression too deeply nested (the limit is " + std::to_string(max_expr_depth) +
                                        " levels)"};
    if (e.depth > static_cast<std::uint32_t>(max_expr_height))
        throw semantic_error{where, "expression too long (the limit is " + std::to_string(max_expr_height) +
                                        " levels of operators; each '+' of 'a + b + ...' is one)"};
    e.node = std::move(node);
    return e;
}

// Operators of one precedence chain: the grammar folds `a + b - c` to the left, and such a
// chain counts as one level of nesting, however long.
inline int precedence(ast::binop op) {
    switch (op) {
        case ast::binop::or_: return 1;
        case ast::binop::and_: return 2;
        case ast::binop::add:
        case ast::binop::sub: return 4;
        case ast::binop::mul:
        case ast::binop::div: return 5;
        default: return 3;  // comparisons and `in`, which do not chain
    }
}

// `base` is the start of the source: a limit passed is reported at the right operand.
inline ast::expr make_binary(ast::binop op, ast::expr lhs, ast::expr rhs, const char* base) {
    const span loc{lhs.loc.begin, rhs.loc.end};
    const char* where = base + rhs.loc.begin;
    const std::uint32_t depth = std::max(lhs.depth, rhs.depth);
    const auto* left = std::get_if<ast::binary>(&lhs.node);
    const bool chained = left && precedence(left->op) == precedence(op);
    const std::uint32_t nesting = std::max(chained ? lhs.nesting - 1 : lhs.nesting, rhs.nesting);
    ast::expr e = make_expr(ast::binary{op, std::move(lhs), std::move(rhs)}, depth, nesting, where);
    e.loc = loc;
    return e;
}

template <ast::binop Op>
struct fold_fixed {
    template <class Ctx>
    void operator()(Ctx& ctx) const {
        _val(ctx) = make_binary(Op, std::move(_val(ctx)), std::move(_attr(ctx)), x3::get<state_tag>(ctx).base);
    }
};

// For `(op_symbol > operand)`, whose attribute is (binop, expr).
inline const auto fold_op = [](auto& ctx) {
    auto& attr = _attr(ctx);
    _val(ctx) = make_binary(at_c<0>(attr), std::move(_val(ctx)), std::move(at_c<1>(attr)), x3::get<state_tag>(ctx).base);
};

template <ast::unop Op>
struct make_unary {
    template <class Ctx>
    void operator()(Ctx& ctx) const {
        ast::expr& operand = _attr(ctx);
        const std::uint32_t depth = operand.depth, nesting = operand.nesting;
        _val(ctx) = make_expr(ast::unary{Op, std::move(operand)}, depth, nesting, _where(ctx).begin());
    }
};

inline void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// ------------------------------------------------------------------ symbol tables

struct comparison_symbols : x3::symbols<ast::binop> {
    comparison_symbols() {
        add("==", ast::binop::eq)("!=", ast::binop::ne)("<=", ast::binop::le)(">=", ast::binop::ge)(
            "<", ast::binop::lt)(">", ast::binop::gt);
    }
};
struct additive_symbols : x3::symbols<ast::binop> {
    additive_symbols() { add("+", ast::binop::add)("-", ast::binop::sub); }
};
struct multiplicative_symbols : x3::symbols<ast::binop> {
    multiplicative_symbols() { add("*", ast::binop::mul)("/", ast::binop::div); }
};
struct time_unit_symbols : x3::symbols<ast::time_unit> {
    time_unit_symbols() {
        add("day", ast::time_unit::day)("days", ast::time_unit::day)("week", ast::time_unit::week)(
            "weeks", ast::time_unit::week)("month", ast::time_unit::month)("months", ast::time_unit::month)(
            "hour", ast::time_unit::hour)("hours", ast::time_unit::hour)("workday", ast::time_unit::workday)(
            "workdays", ast::time_unit::workday)("year", ast::time_unit::year)("years", ast::time_unit::year);
    }
};
struct count_unit_symbols : x3::symbols<ast::period_unit> {
    count_unit_symbols() {
        add("day", ast::period_unit::day)("days", ast::period_unit::day)("week", ast::period_unit::week)(
            "weeks", ast::period_unit::week)("month", ast::period_unit::month)("months", ast::period_unit::month)(
            "hour", ast::period_unit::hour)("hours", ast::period_unit::hour);
    }
};
struct period_word_symbols : x3::symbols<ast::period_unit> {
    period_word_symbols() {
        add("day", ast::period_unit::day)("week", ast::period_unit::week)("month", ast::period_unit::month)(
            "quarter", ast::period_unit::quarter)("year", ast::period_unit::year)("half", ast::period_unit::half)(
            "hour", ast::period_unit::hour);
    }
};
struct simple_aggregate_symbols : x3::symbols<ast::aggregate_kind> {
    simple_aggregate_symbols() {
        add("count", ast::aggregate_kind::count)("sum", ast::aggregate_kind::sum)(
            "distinct", ast::aggregate_kind::distinct)("min", ast::aggregate_kind::min)("max", ast::aggregate_kind::max)(
            "gap", ast::aggregate_kind::gap);
    }
};
struct quantifier_symbols : x3::symbols<ast::aggregate_kind> {
    quantifier_symbols() { add("all", ast::aggregate_kind::all)("any", ast::aggregate_kind::any); }
};

inline const comparison_symbols comparison_op;
inline const additive_symbols additive_op;
inline const multiplicative_symbols multiplicative_op;
inline const time_unit_symbols time_unit_word;
inline const count_unit_symbols count_unit_word;
inline const period_word_symbols period_word;
inline const simple_aggregate_symbols simple_aggregate_word;
inline const quantifier_symbols quantifier_word;

inline const auto idchar = x3::char_("A-Za-z0-9_");
inline const auto digit = x3::char_("0-9");

// A symbol that must end where a word ends ("days" but not "daysx").
template <class Symbols>
auto word_of(Symbols const& symbols) {
    return x3::lexeme[symbols >> !idchar];
}

// ------------------------------------------------------------------ rule ids and rules

#define MANDATE_RULE(name, attribute, label) \
    struct name##_class;                     \
    const x3::rule<name##_class, attribute> name = label;

MANDATE_RULE(identifier, ast::name, "an identifier")
MANDATE_RULE(string_literal, std::string, "a string")
MANDATE_RULE(label, std::string, "a string")
MANDATE_RULE(escape, std::string, "an escape: \\\", \\\\, \\n, \\t or \\u{XXXX}")
MANDATE_RULE(code_point, std::uint32_t, "a code point in hexadecimal, like 4E2D")
MANDATE_RULE(time_unit_word_rule, ast::time_unit, "a unit: days, weeks, months, hours or workdays")
MANDATE_RULE(date, ast::date_lit, "a date (YYYY-MM-DD)")
MANDATE_RULE(duration, ast::duration, "a duration: N days, N weeks, N months, N hours, N workdays")
MANDATE_RULE(period, ast::period, "a period: day, week, month, quarter, half, year, N days, N weeks, N months, N hours")
MANDATE_RULE(kind_list, std::vector<ast::name>, "a kind")

MANDATE_RULE(or_expr, ast::expr, "an expression")
MANDATE_RULE(and_expr, ast::expr, "an expression")
MANDATE_RULE(not_expr, ast::expr, "an expression")
MANDATE_RULE(comparison, ast::expr, "an expression")
MANDATE_RULE(additive, ast::expr, "an expression")
MANDATE_RULE(multiplicative, ast::expr, "an expression")
MANDATE_RULE(unary_expr, ast::expr, "an expression")
MANDATE_RULE(primary, ast::expr, "an expression")
MANDATE_RULE(numeric, ast::expr, "a number")
MANDATE_RULE(list_literal, ast::expr, "a list")
MANDATE_RULE(event_source, ast::event_source, "an event type")
MANDATE_RULE(aggregate_call, ast::expr, "an aggregate")
MANDATE_RULE(violations_args, ast::violations, "'of VAR', 'within VAR' or obligation names")
MANDATE_RULE(units_args, ast::units_call, "KINDS within VAR [where PRED], or VAR: KINDS within VAR where PRED")
MANDATE_RULE(quantified_args, ast::units_call, "VAR: KINDS within VAR: PRED")
MANDATE_RULE(rank_args, ast::rank, "VAR by EXPR [ascending] among KINDS [within VAR]")
MANDATE_RULE(window_args, ast::window_call, "DURATION, AGGREGATE")

MANDATE_RULE(cite_clause, ast::cite_clause, "a cite clause")
MANDATE_RULE(each_clause, ast::each_clause, "an each clause")
MANDATE_RULE(during_clause, ast::during_clause, "a during clause")
MANDATE_RULE(window_clause, ast::window_clause, "a from clause")
MANDATE_RULE(every_clause, ast::every_clause, "an every clause")
MANDATE_RULE(by_clause, ast::by_clause, "a by clause")
MANDATE_RULE(trigger_clause, ast::trigger_clause, "an after or before clause")
MANDATE_RULE(trigger_target, ast::trigger_clause, "a trigger: EVENT [of VAR] [where PRED] or outcome NAME")
MANDATE_RULE(require_clause, ast::require_clause, "a require clause")
MANDATE_RULE(grace_clause, ast::grace_clause, "a grace clause")
MANDATE_RULE(warn_clause, ast::warn_clause, "a warn clause")
MANDATE_RULE(due_clause, ast::due_clause, "a due clause: due day N, due DURATION after, due day N after")
MANDATE_RULE(clause, ast::clause, "a clause")
MANDATE_RULE(end_of_rule, x3::unused_type,
             "a clause (cite, each, during, from, every, due, by, after, before, require, when, grace, warn) or '}'")

MANDATE_RULE(plan_property, ast::plan_property, "a plan property")
MANDATE_RULE(property_value, ast::plan_property, "a value: a string, a name or a number")
MANDATE_RULE(end_of_plan, x3::unused_type,
             "a plan property (title, source, timezone, week_start, calendar, language) or '}'")
MANDATE_RULE(plan_decl, ast::plan_decl, "a plan")
MANDATE_RULE(phase_decl, ast::phase_decl, "a phase")
MANDATE_RULE(phase_bounds, ast::phase_decl, "DATE to DATE, or event TYPE to event TYPE [at most DURATION]")
MANDATE_RULE(calendar_decl, ast::calendar_decl, "a calendar")
MANDATE_RULE(calendar_entry, ast::calendar_entry, "a calendar entry")
MANDATE_RULE(end_of_calendar, x3::unused_type, "a calendar entry (holiday DATE [to DATE], workday DATE, weekend DAY...) or '}'")
MANDATE_RULE(kind_decl, ast::kind_decl, "a kind")
MANDATE_RULE(field_type, ast::field_type, "a field type: int, number, bool, text, date, ref KIND, set<T>")
MANDATE_RULE(element_type, ast::field_type, "an element type: int, number, bool, text, date, ref KIND")
MANDATE_RULE(field_decl, ast::field_decl, "a field")
MANDATE_RULE(end_of_event, x3::unused_type, "a field (NAME: TYPE) or '}'")
MANDATE_RULE(field_separator, x3::unused_type, "',' or a new line between fields")
MANDATE_RULE(event_decl, ast::event_decl, "an event")
MANDATE_RULE(rule_decl, ast::rule_decl, "an obligation or outcome")

// Scenario test files (`*.test.mandate`).
MANDATE_RULE(entity_ref, ast::scenario::entity_ref, "an entity id (a name or a string)")
MANDATE_RULE(entity_option, ast::scenario::entity_option, "an entity option")
MANDATE_RULE(whole_number, std::int64_t, "a whole number")
MANDATE_RULE(equals_sign, x3::unused_type, "'=='")
MANDATE_RULE(entity_stmt, ast::scenario::entity_stmt, "an entity")
MANDATE_RULE(time_lit, ast::scenario::time_lit, "a time: YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+08:00|Z]")
MANDATE_RULE(field_value, ast::scenario::field_value, "a field")
MANDATE_RULE(end_of_fields, x3::unused_type, "a field (NAME: VALUE) or '}'")
MANDATE_RULE(event_stmt, ast::scenario::event_stmt, "an event")
MANDATE_RULE(retract_stmt, ast::scenario::retract_stmt, "a retraction")
MANDATE_RULE(record_stmt, ast::scenario::record_stmt, "a record")
MANDATE_RULE(as_of_stmt, ast::scenario::as_of_stmt, "an as_of")
MANDATE_RULE(bucket_form, ast::scenario::bucket_form, "a bucket: a date, FROM..TO or YYYY-MM")
MANDATE_RULE(bucket_ref, ast::scenario::bucket_ref, "an obligation or outcome")
MANDATE_RULE(bucket_args, ast::scenario::bucket_ref, "a bucket: UNIT, then a date, FROM..TO or YYYY-MM")
MANDATE_RULE(expect_predicate, ast::scenario::expect_stmt,
             "== STATUS, or met, at_risk, fired or final (each may follow 'not')")
MANDATE_RULE(status_word, ast::name, "a status: satisfied, violated, pending, excused")
MANDATE_RULE(flag_word, ast::name, "met, at_risk, fired or final")
MANDATE_RULE(expected_value, ast::scenario::expect_stmt, "a value: a number, percent, date, duration, true, false or null")
MANDATE_RULE(expected_reason, ast::scenario::expect_stmt, "a reason in quotes, or null")
MANDATE_RULE(rejected_what, ast::scenario::expect_stmt, "a number of records, or part of a reason in quotes")
MANDATE_RULE(expectation_body, ast::scenario::expect_stmt,
             "an expectation: NAME[UNIT, BUCKET] then == STATUS, met, at_risk, fired or final; or value, reason, "
             "no or rejected")
MANDATE_RULE(expect_stmt, ast::scenario::expect_stmt, "an expectation")

#undef MANDATE_RULE

struct declaration_class {};
struct expression_class {};
const declaration_type declaration_rule = "a declaration: plan, phase, calendar, kind, event, obligation, outcome";
const expression_type expression_rule = "an expression";
struct scenario_plan_class {};
struct scenario_given_class {};
struct scenario_test_class {};
struct scenario_statement_class {};
const scenario_plan_type scenario_plan_rule = "a plan line: plan NAME";
const scenario_given_type scenario_given_rule = "a given block";
const scenario_test_type scenario_test_rule = "a test";
const scenario_statement_type scenario_statement_rule =
    "a statement (entity, event, retract, record, as_of, expect)";

// ------------------------------------------------------------------ lexical

const auto raw_identifier = x3::lexeme[x3::raw[x3::char_("A-Za-z_") >> *idchar]];
const auto identifier_body = raw_identifier[([](auto& ctx) {
    std::string word(_attr(ctx).begin(), _attr(ctx).end());
    if (is_reserved(word)) {
        _pass(ctx) = false;
        return;
    }
    _val(ctx).text = std::move(word);
})];

const auto hex_code = x3::uint_parser<std::uint32_t, 16, 1, 6>{};
const auto code_point_body = x3::raw[hex_code][([](auto& ctx) {
    // raw[] keeps where the digits start, for the error; X3's _where is the text after them.
    const auto range = _attr(ctx);
    std::uint32_t cp = 0;
    for (const char c : range) cp = cp * 16 + static_cast<std::uint32_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        throw semantic_error{range.begin(), "\\u{...} names no Unicode character"};
    _val(ctx) = cp;
})];
const auto escape_body =
    x3::char_("\"\\nt")[([](auto& ctx) {
        const char c = _attr(ctx);
        _val(ctx) = std::string(1, c == 'n' ? '\n' : (c == 't' ? '\t' : c));
    })]
    | (x3::lit('u') > '{' > code_point[([](auto& ctx) { append_utf8(_val(ctx), _attr(ctx)); })] > '}');
const auto string_literal_body = x3::lexeme[
    '"' > *( ('\\' > escape[([](auto& ctx) { _val(ctx) += _attr(ctx); })])
           | (~x3::char_("\"\\\n"))[([](auto& ctx) { _val(ctx) += _attr(ctx); })]
           )
    > '"'];
const auto label_body = string_literal;

const auto year4 = x3::uint_parser<int, 10, 4, 4>{};
const auto two_digits = x3::uint_parser<int, 10, 2, 2>{};
const auto date_body = x3::lexeme[
    year4[set(&ast::date_lit::year)] >> '-' >> two_digits[set(&ast::date_lit::month)] >> '-' >>
    two_digits[set(&ast::date_lit::day)] >> !idchar];

// A number directly followed by a letter ("21days") is a mistake worth naming.
const auto glued_word = (&x3::char_("A-Za-z_"))[([](auto& ctx) -> void {
    throw semantic_error{_where(ctx).begin(), "write a space between a number and the word after it, as in '21 days'"};
})];
const auto count_number = x3::lexeme[x3::uint_parser<std::int64_t>{} >> !x3::char_(".") >> -glued_word];
const auto time_unit_word_rule_body = word_of(time_unit_word)[assign];
const auto duration_body = count_number[set(&ast::duration::count)] > time_unit_word_rule[set(&ast::duration::unit)];

const auto period_body =
    (count_number[set(&ast::period::count)] >> word_of(count_unit_word)[([](auto& ctx) {
         _val(ctx).unit = _attr(ctx);
         _val(ctx).counted = true;
     })])
    | word_of(period_word)[set(&ast::period::unit)];

const auto kind_list_body = identifier % '|';

// ------------------------------------------------------------------ expressions

const auto expression_rule_body = nest[or_expr];
const auto or_expr_body = and_expr[assign] >> *(kw("or") > and_expr[fold_fixed<ast::binop::or_>{}]);
const auto and_expr_body = not_expr[assign] >> *(kw("and") > not_expr[fold_fixed<ast::binop::and_>{}]);
const auto not_expr_body = (kw("not") > nest[not_expr])[make_unary<ast::unop::not_>{}] | comparison[assign];
const auto chained = (&comparison_op)[([](auto& ctx) -> void {
    throw semantic_error{_where(ctx).begin(), "comparisons do not chain: write 'a <= x and x <= b'"};
})];
const auto make_is = [](auto& ctx) {
    ast::expr operand = std::move(_val(ctx));
    const std::uint32_t depth = operand.depth, nesting = operand.nesting;
    _val(ctx) = make_expr(ast::is_kind{std::move(operand), std::move(_attr(ctx))}, depth, nesting, _where(ctx).begin());
};
const auto comparison_body = additive[assign] >>
                            -((comparison_op > additive)[fold_op] | (kw("in") > additive)[fold_fixed<ast::binop::in>{}] |
                              (kw("is") > kind_list)[make_is]) >>
                            -chained;
const auto additive_body = multiplicative[assign] >> *((additive_op > multiplicative)[fold_op]);
const auto multiplicative_body = unary_expr[assign] >> *((multiplicative_op > unary_expr)[fold_op]);
const auto unary_expr_body = (x3::lit('-') > nest[unary_expr])[make_unary<ast::unop::neg>{}] | primary[assign];

// 12, 0.5, 15%, 21 days
const auto percent_apart = x3::lit('%')[([](auto& ctx) -> void {
    throw semantic_error{_where(ctx).begin() - 1, "write the percent sign right after the number, as in '15%'"};
})];
const auto numeric_body =
    x3::lexeme[
        x3::raw[+digit >> -('.' >> +digit)][([](auto& ctx) {
            const auto range = _attr(ctx);
            x3::get<state_tag>(ctx).number_start = range.begin();
            std::string text(range.begin(), range.end());
            auto value = rational::parse_decimal(text);
            if (!value || (value->is_integer() && (value->num() > INT64_MAX)))
                throw semantic_error{range.begin(), "number '" + text + "' is out of range (whole numbers are 64-bit)"};
            const auto dot = text.find('.');
            if (dot != std::string::npos && text.size() - dot - 1 > 6)
                throw semantic_error{range.begin(), "number '" + text + "' has more than 6 fractional digits"};
            _val(ctx).node = ast::number_lit{*value, std::move(text), false};
        })]
        >> -x3::lit('%')[([](auto& ctx) {
            auto& number = std::get<ast::number_lit>(_val(ctx).node);
            number.value = number.value / rational(100);
            number.percent = true;
        })]
        >> -glued_word]
    >> -percent_apart
    >> -time_unit_word_rule[([](auto& ctx) {
           auto& number = std::get<ast::number_lit>(_val(ctx).node);
           if (number.percent || !number.value.is_integer() || number.value.num() > INT64_MAX)
               throw semantic_error{x3::get<state_tag>(ctx).number_start, "a duration needs a whole number of days, weeks or months"};
           ast::duration d;
           d.count = static_cast<std::int64_t>(number.value.num());
           d.unit = _attr(ctx);
           _val(ctx).node = ast::duration_value{d};
       })];

const auto list_literal_body =
    (x3::lit('[') > -(nest[or_expr] % ',') > ']')[([](auto& ctx) {
        ast::list_lit list;
        std::uint32_t depth = 0, nesting = 0;
        if (auto& items = _attr(ctx)) {
            for (auto& item : *items) {
                depth = std::max(depth, item.depth);
                nesting = std::max(nesting, item.nesting);
            }
            list.items = std::move(*items);
        }
        _val(ctx) = make_expr(std::move(list), depth, nesting, _where(ctx).begin());
    })];

const auto event_source_body = identifier[set(&ast::event_source::event)] >>
                              -('.' > identifier[set(&ast::event_source::field)]) >>
                              -(kw("of") > identifier[set(&ast::event_source::of_var)]) >>
                              -(kw("where") > expression_rule[set(&ast::event_source::where)]);

inline std::uint32_t source_depth(const ast::event_source& s) { return s.where ? (*s.where)->depth : 0; }
inline std::uint32_t source_nesting(const ast::event_source& s) { return s.where ? (*s.where)->nesting : 0; }

// `within` marks the call, in the violations rule's own value.
const auto of_or_within_here = kw("of") | kw("within")[set_to(&ast::violations::within, true)];
const auto violations_args_body =
    (of_or_within_here > identifier[set(&ast::violations::of_var)]) |
    ((identifier[push(&ast::violations::obligations)] % ',') > of_or_within_here >
     identifier[set(&ast::violations::of_var)]);

inline const auto set_predicate = [](auto& ctx) { _val(ctx).predicate = ast::box<ast::expr>(std::move(_attr(ctx))); };
const auto units_args_body = -((identifier >> ':')[([](auto& ctx) { _val(ctx).var = std::move(_attr(ctx)); })]) >>
                             kind_list[set(&ast::units_call::kinds)] > kw("within") >
                             identifier[set(&ast::units_call::within_var)] > -(kw("where") > expression_rule[set_predicate]);
const auto quantified_args_body = identifier[([](auto& ctx) { _val(ctx).var = std::move(_attr(ctx)); })] > ':' >
                                  kind_list[set(&ast::units_call::kinds)] > kw("within") >
                                  identifier[set(&ast::units_call::within_var)] > ':' > expression_rule[set_predicate];
const auto rank_args_body = identifier[set(&ast::rank::var)] > kw("by") >
                            expression_rule[([](auto& ctx) { _val(ctx).by = ast::box<ast::expr>(std::move(_attr(ctx))); })] >
                            -kw("ascending")[set_to(&ast::rank::ascending, true)] > kw("among") >
                            kind_list[set(&ast::rank::kinds)] >
                            -(kw("within") > identifier[([](auto& ctx) { _val(ctx).within_var = std::move(_attr(ctx)); })]);

const auto window_args_body =
    duration[set(&ast::window_call::length)] > ',' >
    expression_rule[([](auto& ctx) { _val(ctx).body = ast::box<ast::expr>(std::move(_attr(ctx))); })];

template <ast::window_kind Kind>
struct make_window {
    template <class Ctx>
    void operator()(Ctx& ctx) const {
        ast::window_call w = std::move(_attr(ctx));
        w.kind = Kind;
        const std::uint32_t depth = w.body->depth, nesting = w.body->nesting;
        _val(ctx) = make_expr(std::move(w), depth, nesting, _where(ctx).begin());
    }
};

template <ast::units_form Form>
struct make_units {
    template <class Ctx>
    void operator()(Ctx& ctx) const {
        ast::units_call u = std::move(_attr(ctx));
        u.form = Form;
        const std::uint32_t depth = u.predicate ? (*u.predicate)->depth : 0;
        const std::uint32_t nesting = u.predicate ? (*u.predicate)->nesting : 0;
        _val(ctx) = make_expr(std::move(u), depth, nesting, _where(ctx).begin());
    }
};

const auto aggregate_call_body =
    (word_of(simple_aggregate_word) > '(' > event_source > ')')[([](auto& ctx) {
        auto& attr = _attr(ctx);
        ast::aggregate a;
        a.kind = at_c<0>(attr);
        a.source = std::move(at_c<1>(attr));
        const auto depth = source_depth(a.source), nesting = source_nesting(a.source);
        _val(ctx) = make_expr(std::move(a), depth, nesting, _where(ctx).begin());
    })]
    | (word_of(quantifier_word) > '(' > event_source > ':' > expression_rule > ')')[([](auto& ctx) {
          auto& attr = _attr(ctx);
          ast::aggregate a;
          a.kind = at_c<0>(attr);
          a.source = std::move(at_c<1>(attr));
          const auto depth = std::max(source_depth(a.source), at_c<2>(attr).depth);
          const auto nesting = std::max(source_nesting(a.source), at_c<2>(attr).nesting);
          a.predicate = std::move(at_c<2>(attr));
          _val(ctx) = make_expr(std::move(a), depth, nesting, _where(ctx).begin());
      })]
    | (kw("coverage") > '(' > event_source > ',' > kind_list > kw("within") > identifier > ')')[([](auto& ctx) {
          auto& attr = _attr(ctx);
          ast::aggregate a;
          a.kind = ast::aggregate_kind::coverage;
          a.source = std::move(at_c<0>(attr));
          a.kinds = std::move(at_c<1>(attr));
          a.within_var = std::move(at_c<2>(attr));
          const auto depth = source_depth(a.source), nesting = source_nesting(a.source);
          _val(ctx) = make_expr(std::move(a), depth, nesting, _where(ctx).begin());
      })]
    | (kw("streak") > '(' > period > ',' > expression_rule > ')')[([](auto& ctx) {
          auto& attr = _attr(ctx);
          const auto depth = at_c<1>(attr).depth, nesting = at_c<1>(attr).nesting;
          _val(ctx) = make_expr(ast::streak{std::move(at_c<0>(attr)), std::move(at_c<1>(attr))}, depth, nesting,
                                _where(ctx).begin());
      })]
    | (kw("violations") > '(' > violations_args > ')')[([](auto& ctx) {
          _val(ctx) = make_expr(std::move(_attr(ctx)), 0, 0, _where(ctx).begin());
      })]
    // v2 words are reserved only here: each is a call only when '(' follows it.
    | ((kw("violated_obligations") >> '(') > violations_args > ')')[([](auto& ctx) {
          ast::violations v = std::move(_attr(ctx));
          v.distinct = true;
          _val(ctx) = make_expr(std::move(v), 0, 0, _where(ctx).begin());
      })]
    | ((kw("units") >> '(') > units_args > ')')[make_units<ast::units_form::count>{}]
    | ((kw("all_units") >> '(') > quantified_args > ')')[make_units<ast::units_form::all>{}]
    | ((kw("any_unit") >> '(') > quantified_args > ')')[make_units<ast::units_form::any>{}]
    | ((kw("rank") >> '(') > rank_args > ')')[([](auto& ctx) {
          ast::rank r = std::move(_attr(ctx));
          const std::uint32_t depth = r.by->depth, nesting = r.by->nesting;
          _val(ctx) = make_expr(std::move(r), depth, nesting, _where(ctx).begin());
      })]
    | ((kw("peak") >> '(') > window_args > ')')[make_window<ast::window_kind::peak>{}]
    | ((kw("earlier") >> '(') > window_args > ')')[make_window<ast::window_kind::earlier>{}]
    | (kw("fired") > '(' > identifier > kw("of") > identifier > ')')[([](auto& ctx) {
          auto& attr = _attr(ctx);
          _val(ctx) = make_expr(ast::fired{std::move(at_c<0>(attr)), std::move(at_c<1>(attr))}, 0, 0, _where(ctx).begin());
      })];

const auto primary_body =
    date[([](auto& ctx) { _val(ctx).node = ast::date_value{_attr(ctx)}; })]
    | numeric[assign]
    | string_literal[([](auto& ctx) { _val(ctx).node = ast::string_lit{std::move(_attr(ctx))}; })]
    | kw("true")[([](auto& ctx) { _val(ctx).node = ast::bool_lit{true}; })]
    | kw("false")[([](auto& ctx) { _val(ctx).node = ast::bool_lit{false}; })]
    | list_literal[assign]
    | (x3::lit('(') > expression_rule > ')')[assign]
    | aggregate_call[assign]
    | (identifier >> '.' >> identifier)[([](auto& ctx) {
          _val(ctx).node = ast::member{std::move(at_c<0>(_attr(ctx))), std::move(at_c<1>(_attr(ctx)))};
      })]
    | identifier[([](auto& ctx) { _val(ctx).node = ast::name_ref{std::move(_attr(ctx).text)}; })];

// ------------------------------------------------------------------ clauses

const auto cite_clause_body = kw("cite") > string_literal[set(&ast::cite_clause::text)];
const auto each_clause_body =
    kw("each") > identifier[set(&ast::each_clause::var)] > ':' > kind_list[set(&ast::each_clause::kinds)] >
    -(kw("where") > expression_rule[set(&ast::each_clause::where)]);
const auto during_clause_body = kw("during") > identifier[set(&ast::during_clause::phase)];
const auto window_clause_body =
    kw("from") > date[set(&ast::window_clause::from)] > kw("to") > date[set(&ast::window_clause::to)];
// `cumulative from DATE` must not swallow a following window clause `from DATE to DATE`.
const auto every_clause_body =
    kw("every") > -kw("full")[set_to(&ast::every_clause::full, true)] > period[set(&ast::every_clause::per)] >
    -(kw("cumulative")[set_to(&ast::every_clause::cumulative, true)] >>
      -(kw("from") >> date >> !kw("to"))[set(&ast::every_clause::cumulative_from)]);
const auto by_clause_body = kw("by") > date[set(&ast::by_clause::date)];
const auto trigger_target_body =
    (kw("outcome")[set_to(&ast::trigger_clause::outcome, true)] > identifier[set(&ast::trigger_clause::target)])
    | (identifier[set(&ast::trigger_clause::target)] >> -(kw("of") > identifier[set(&ast::trigger_clause::of_var)]) >>
       -(kw("where") > expression_rule[set(&ast::trigger_clause::where)]));
const auto trigger_clause_body =
    (kw("after") | kw("before")[set_to(&ast::trigger_clause::before, true)]) >
    trigger_target[([](auto& ctx) {
        auto& target = _attr(ctx);
        auto& v = _val(ctx);
        v.outcome = target.outcome;
        v.target = std::move(target.target);
        v.of_var = std::move(target.of_var);
        v.where = std::move(target.where);
    })] > kw("within") > duration[set(&ast::trigger_clause::within)];
const auto require_clause_body =
    (kw("require") | kw("when")[set_to(&ast::require_clause::when, true)]) >
    expression_rule[set(&ast::require_clause::condition)];
const auto grace_clause_body = kw("grace") > duration[set(&ast::grace_clause::length)];
const auto warn_clause_body = kw("warn") > duration[set(&ast::warn_clause::length)];
const auto due_clause_body =
    kw("due") > ((kw("day")[set_to(&ast::due_clause::day_form, true)] > count_number[set(&ast::due_clause::day)] >
                  -kw("after")[set_to(&ast::due_clause::after, true)])
                 | (duration[set(&ast::due_clause::length)] > kw("after")[set_to(&ast::due_clause::after, true)]));

const auto clause_body = cite_clause[assign] | each_clause[assign] | during_clause[assign] | window_clause[assign] |
                        every_clause[assign] | by_clause[assign] | trigger_clause[assign] | require_clause[assign] |
                        grace_clause[assign] | warn_clause[assign] | due_clause[assign];
const auto end_of_rule_body = x3::lit('}');

// ------------------------------------------------------------------ declarations

const auto property_value_body = string_literal[set(&ast::plan_property::text)] |
                                identifier[set(&ast::plan_property::word)] |
                                count_number[set(&ast::plan_property::number)];
const auto plan_property_body = identifier[set(&ast::plan_property::key)] > property_value[([](auto& ctx) {
    _val(ctx).text = std::move(_attr(ctx).text);
    _val(ctx).word = std::move(_attr(ctx).word);
    _val(ctx).number = _attr(ctx).number;
})];
const auto end_of_plan_body = x3::lit('}');
const auto plan_decl_body = kw("plan") > identifier[set(&ast::plan_decl::id)] > '{' >
                           *plan_property[push(&ast::plan_decl::properties)] > end_of_plan;

// `from event A to event B [at most D]` (v2), or `from DATE to DATE`.
const auto phase_bounds_body =
    (kw("event")[set_to(&ast::phase_decl::by_events, true)] > identifier[set(&ast::phase_decl::start_event)] >
     kw("to") > kw("event") > identifier[set(&ast::phase_decl::end_event)] >
     -((kw("at") >> kw("most")) > duration[set(&ast::phase_decl::at_most)]))
    | (x3::eps > date[set(&ast::phase_decl::from)] > kw("to") > date[set(&ast::phase_decl::to)]);
const auto phase_decl_body = kw("phase") > identifier[set(&ast::phase_decl::id)] >
                            -label[set(&ast::phase_decl::label)] > kw("from") > phase_bounds[([](auto& ctx) {
                                auto& v = _val(ctx);
                                auto& a = _attr(ctx);
                                v.from = a.from;
                                v.to = a.to;
                                v.by_events = a.by_events;
                                v.start_event = std::move(a.start_event);
                                v.end_event = std::move(a.end_event);
                                v.at_most = a.at_most;
                            })];

// A weekend's days run to the next entry or '}'.
const auto calendar_entry_word = kw("holiday") | kw("workday") | kw("weekend");
const auto calendar_entry_body =
    (kw("holiday")[set_to(&ast::calendar_entry::kind, ast::calendar_entry_kind::holiday)] >
     date[set(&ast::calendar_entry::from)] > -(kw("to") > date[set(&ast::calendar_entry::to)]) >
     -label[set(&ast::calendar_entry::label)])
    | (kw("workday")[set_to(&ast::calendar_entry::kind, ast::calendar_entry_kind::workday)] >
       date[set(&ast::calendar_entry::from)] > -label[set(&ast::calendar_entry::label)])
    | (kw("weekend")[set_to(&ast::calendar_entry::kind, ast::calendar_entry_kind::weekend)] >
       *((identifier - calendar_entry_word)[push(&ast::calendar_entry::days)] >> -x3::lit(',')));
const auto end_of_calendar_body = x3::lit('}');
const auto calendar_decl_body = kw("calendar") > identifier[set(&ast::calendar_decl::id)] > '{' >
                               *calendar_entry[push(&ast::calendar_decl::entries)] > end_of_calendar;

const auto kind_decl_body = kw("kind") > identifier[set(&ast::kind_decl::id)] > -label[set(&ast::kind_decl::label)] >
                           -(kw("within") > kind_list[set(&ast::kind_decl::parents)]) >
                           -(x3::lit('{') > *(field_decl[push(&ast::kind_decl::fields)] > field_separator) > end_of_event);

const auto element_type_body =
    kw("int")[set_to(&ast::field_type::base, ast::base_type::int_)]
    | kw("number")[set_to(&ast::field_type::base, ast::base_type::number)]
    | kw("bool")[set_to(&ast::field_type::base, ast::base_type::bool_)]
    | kw("text")[set_to(&ast::field_type::base, ast::base_type::text)]
    | kw("date")[set_to(&ast::field_type::base, ast::base_type::date)]
    | (kw("ref")[set_to(&ast::field_type::base, ast::base_type::ref)] > kind_list[set(&ast::field_type::ref_kinds)]);
const auto field_type_body =
    element_type[assign]
    | (kw("set")[set_to(&ast::field_type::base, ast::base_type::set)] > '<' >
       element_type[set(&ast::field_type::element)] > '>');
const auto field_decl_body = identifier[set(&ast::field_decl::id)] >>
                            -x3::lit('?')[set_to(&ast::field_decl::optional, true)] > ':' >
                            field_type[set(&ast::field_decl::type)];
const auto end_of_event_body = x3::lit('}');
const auto field_separator_body = field_separator_parser{};
const auto event_decl_body = kw("event") > identifier[set(&ast::event_decl::id)] >
                            -label[set(&ast::event_decl::label)] > '{' >
                            *(field_decl[push(&ast::event_decl::fields)] > field_separator) > end_of_event;

const auto rule_decl_body = (kw("obligation") | kw("outcome")[set_to(&ast::rule_decl::outcome, true)]) >
                           identifier[set(&ast::rule_decl::id)] > -label[set(&ast::rule_decl::label)] > '{' >
                           *clause[push(&ast::rule_decl::clauses)] > end_of_rule;

const auto declaration_rule_body = plan_decl[assign] | phase_decl[assign] | kind_decl[assign] | event_decl[assign] |
                                  rule_decl[assign] | calendar_decl[assign];

// ------------------------------------------------------------------ scenario test files
//
// The same lexical rules as rule files (identifiers, strings, dates, numbers, durations);
// field values are parsed as expressions and the scenario checker keeps only literals.

const auto entity_ref_body =
    identifier[([](auto& ctx) { _val(ctx).text = std::move(_attr(ctx).text); })]
    | string_literal[([](auto& ctx) {
          _val(ctx).text = std::move(_attr(ctx));
          _val(ctx).quoted = true;
      })];

inline auto option_key(const char* word) {
    return [word](auto& ctx) { _val(ctx).key.text = word; };
}
const auto entity_option_body =
    (kw("since")[option_key("since")] > date[set(&ast::scenario::entity_option::date)])
    | (kw("until")[option_key("until")] > date[set(&ast::scenario::entity_option::date)])
    | (kw("version")[option_key("version")] > whole_number[set(&ast::scenario::entity_option::number)]);
const auto entity_stmt_body = kw("entity") > entity_ref[set(&ast::scenario::entity_stmt::id)] > ':' >
                             identifier[set(&ast::scenario::entity_stmt::kind)] >
                             -(kw("in") > entity_ref[set(&ast::scenario::entity_stmt::parent)]) >
                             -label[set(&ast::scenario::entity_stmt::label)] >
                             *entity_option[push(&ast::scenario::entity_stmt::options)] >
                             -(x3::lit('{') > *(field_value[push(&ast::scenario::entity_stmt::fields)] > field_separator) >
                               end_of_fields);

// 2023-04-15, 2023-04-15T09:30, 2023-04-15T09:30:00.5+08:00, ...T01:30:00Z
const auto clock_part = two_digits >> ':' >> two_digits >> -(':' >> two_digits >> -('.' >> +digit)) >>
                        -(x3::lit('Z') | (x3::char_("+-") >> two_digits >> ':' >> two_digits));
const auto time_lit_body = x3::lexeme[x3::raw[year4 >> '-' >> two_digits >> '-' >> two_digits >> -('T' >> clock_part)] >>
                                      !idchar][([](auto& ctx) {
    const auto range = _attr(ctx);
    auto& t = _val(ctx);
    t.text.assign(range.begin(), range.end());
    auto number = [&](std::size_t at, std::size_t n) {
        int v = 0;
        for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (t.text[i] - '0');
        return v;
    };
    t.date.year = number(0, 4);
    t.date.month = number(5, 2);
    t.date.day = number(8, 2);
    const parse_state& state = x3::get<state_tag>(ctx);
    t.date.loc = span{offset_of(range.begin(), state), offset_of(range.begin() + 10, state)};
    t.has_clock = t.text.size() > 10;
})];

const auto field_value_body = identifier[set(&ast::scenario::field_value::field)] > ':' >
                             expression_rule[set(&ast::scenario::field_value::value)];
const auto end_of_fields_body = x3::lit('}');
const auto event_stmt_body =
    kw("event") > entity_ref[push(&ast::scenario::event_stmt::words)] > entity_ref[push(&ast::scenario::event_stmt::words)] >
    -entity_ref[push(&ast::scenario::event_stmt::words)] > time_lit[set(&ast::scenario::event_stmt::time)] >
    -(x3::lit('{')[set_to(&ast::scenario::event_stmt::has_fields, true)] >
      *(field_value[push(&ast::scenario::event_stmt::fields)] > field_separator) > end_of_fields);
const auto retract_stmt_body = kw("retract") > entity_ref[set(&ast::scenario::retract_stmt::id)];
const auto record_stmt_body = kw("record") > string_literal[set(&ast::scenario::record_stmt::json)];
const auto as_of_stmt_body = kw("as_of") > date[set(&ast::scenario::as_of_stmt::date)];

const auto month_lit = x3::lexeme[year4 >> '-' >> two_digits >> !(idchar | x3::lit('-'))];
const auto bucket_form_body =
    (date[set(&ast::scenario::bucket_form::from)] >>
     -(x3::lit("..")[set_to(&ast::scenario::bucket_form::k, ast::scenario::bucket_form::kind::range)] >
       date[set(&ast::scenario::bucket_form::to)]))
    | month_lit[([](auto& ctx) {
          auto& b = _val(ctx);
          b.k = ast::scenario::bucket_form::kind::month;
          b.from.year = at_c<0>(_attr(ctx));
          b.from.month = at_c<1>(_attr(ctx));
          b.from.day = 0;
      })];
const auto bucket_args_body =
    bucket_form[set(&ast::scenario::bucket_ref::bucket)]
    | (entity_ref[set(&ast::scenario::bucket_ref::unit)] > ',' > bucket_form[set(&ast::scenario::bucket_ref::bucket)]);
const auto bucket_ref_body = identifier[set(&ast::scenario::bucket_ref::rule)] > '[' > bucket_args[([](auto& ctx) {
    _val(ctx).unit = std::move(_attr(ctx).unit);
    _val(ctx).bucket = std::move(_attr(ctx).bucket);
})] > ']';

inline auto word_is(const char* word) {
    return [word](auto& ctx) { _val(ctx).text = word; };
}
const auto status_word_body = kw("satisfied")[word_is("satisfied")] | kw("violated")[word_is("violated")] |
                             kw("pending")[word_is("pending")] | kw("excused")[word_is("excused")];
const auto flag_word_body = kw("met")[word_is("met")] | kw("at_risk")[word_is("at_risk")] |
                           kw("fired")[word_is("fired")] | kw("final")[word_is("final")];
const auto expect_predicate_body =
    (x3::lit("==")[set_to(&ast::scenario::expect_stmt::k, ast::scenario::expect_kind::status)] >
     status_word[set(&ast::scenario::expect_stmt::word)])
    | ((kw("not")[set_to(&ast::scenario::expect_stmt::negated, true)] > flag_word[set(&ast::scenario::expect_stmt::word)])
       | flag_word[set(&ast::scenario::expect_stmt::word)])[set_to(&ast::scenario::expect_stmt::k,
                                                                     ast::scenario::expect_kind::flag)];

// `null` is only a word of test files (an undefined value, or no reason).
const auto null_word = x3::raw[kw("null")][([](auto& ctx) {
    const parse_state& state = x3::get<state_tag>(ctx);
    _val(ctx).value_loc = span{offset_of(_attr(ctx).begin(), state), offset_of(_attr(ctx).end(), state)};
})];
const auto expected_value_body =
    null_word
    | expression_rule[([](auto& ctx) {
          _val(ctx).value_loc = _attr(ctx).loc;
          _val(ctx).value = std::move(_attr(ctx));
      })];
const auto expected_reason_body =
    null_word
    | string_literal[set(&ast::scenario::expect_stmt::text)];
const auto rejected_what_body =
    whole_number[set(&ast::scenario::expect_stmt::count)] | string_literal[set(&ast::scenario::expect_stmt::text)];

// Moves what a sub-rule parsed into the expectation being built (all build expect_stmt).
inline const auto merge_expect = [](auto& ctx) {
    auto& v = _val(ctx);
    auto& a = _attr(ctx);
    v.word = std::move(a.word);
    v.negated = a.negated;
    if (a.value) v.value = std::move(a.value);
    if (a.text) v.text = std::move(a.text);
    if (a.count) v.count = a.count;
    if (a.value_loc.end > a.value_loc.begin) v.value_loc = a.value_loc;
    if (a.k != ast::scenario::expect_kind::status) v.k = a.k;
};
const auto whole_number_body = count_number[assign];
const auto equals_sign_body = x3::lit("==");
const auto expectation_body_body =
    ((kw("value")[set_to(&ast::scenario::expect_stmt::k, ast::scenario::expect_kind::value)] >
      bucket_ref[set(&ast::scenario::expect_stmt::ref)] > equals_sign > expected_value[merge_expect])
     | (kw("reason")[set_to(&ast::scenario::expect_stmt::k, ast::scenario::expect_kind::reason)] >
        bucket_ref[set(&ast::scenario::expect_stmt::ref)] > equals_sign > expected_reason[merge_expect])
     | (kw("rejected")[set_to(&ast::scenario::expect_stmt::k, ast::scenario::expect_kind::rejected)] >
        rejected_what[merge_expect])
     | (kw("no")[set_to(&ast::scenario::expect_stmt::k, ast::scenario::expect_kind::absent)] >
        bucket_ref[set(&ast::scenario::expect_stmt::ref)])
     | (bucket_ref[set(&ast::scenario::expect_stmt::ref)] > expect_predicate[merge_expect]));
const auto expect_stmt_body = kw("expect") > expectation_body[assign];

const auto scenario_statement_rule_body = entity_stmt[assign] | event_stmt[assign] | retract_stmt[assign] |
                                         record_stmt[assign] | as_of_stmt[assign] | expect_stmt[assign];
const auto scenario_plan_rule_body = kw("plan") > identifier[set(&ast::scenario::plan_ref::id)];
const auto scenario_given_rule_body = kw("given") > '{';
const auto scenario_test_rule_body =
    kw("test") > identifier[set(&ast::scenario::test_block::id)] > -label[set(&ast::scenario::test_block::label)] > '{';

// Every rule records its span.
const auto identifier_def = located[identifier_body];
const auto string_literal_def = located[string_literal_body];
const auto label_def = located[label_body];
const auto date_def = located[date_body];
const auto duration_def = located[duration_body];
const auto kind_list_def = located[kind_list_body];
const auto expression_rule_def = located[expression_rule_body];
const auto or_expr_def = located[or_expr_body];
const auto and_expr_def = located[and_expr_body];
const auto not_expr_def = located[not_expr_body];
const auto comparison_def = located[comparison_body];
const auto additive_def = located[additive_body];
const auto multiplicative_def = located[multiplicative_body];
const auto unary_expr_def = located[unary_expr_body];
const auto event_source_def = located[event_source_body];
const auto cite_clause_def = located[cite_clause_body];
const auto during_clause_def = located[during_clause_body];
const auto by_clause_def = located[by_clause_body];
const auto grace_clause_def = located[grace_clause_body];
const auto warn_clause_def = located[warn_clause_body];
const auto due_clause_def = located[due_clause_body];
const auto phase_bounds_def = phase_bounds_body;
const auto calendar_decl_def = located[calendar_decl_body];
const auto calendar_entry_def = located[calendar_entry_body];
const auto end_of_calendar_def = located[end_of_calendar_body];
const auto clause_def = located[clause_body];
const auto end_of_rule_def = located[end_of_rule_body];
const auto property_value_def = located[property_value_body];
const auto plan_property_def = located[plan_property_body];
const auto end_of_plan_def = located[end_of_plan_body];
const auto plan_decl_def = located[plan_decl_body];
const auto phase_decl_def = located[phase_decl_body];
const auto kind_decl_def = located[kind_decl_body];
const auto field_decl_def = located[field_decl_body];
const auto end_of_event_def = located[end_of_event_body];
const auto event_decl_def = located[event_decl_body];
const auto rule_decl_def = located[rule_decl_body];
const auto declaration_rule_def = located[declaration_rule_body];
const auto period_def = located[period_body];
const auto numeric_def = located[numeric_body];
const auto list_literal_def = located[list_literal_body];
const auto violations_args_def = located[violations_args_body];
const auto units_args_def = located[units_args_body];
const auto quantified_args_def = located[quantified_args_body];
const auto rank_args_def = located[rank_args_body];
const auto window_args_def = located[window_args_body];
const auto aggregate_call_def = located[aggregate_call_body];
const auto primary_def = located[primary_body];
const auto each_clause_def = located[each_clause_body];
const auto window_clause_def = located[window_clause_body];
const auto every_clause_def = located[every_clause_body];
const auto trigger_target_def = located[trigger_target_body];
const auto trigger_clause_def = located[trigger_clause_body];
const auto require_clause_def = located[require_clause_body];
const auto element_type_def = located[element_type_body];
const auto field_type_def = located[field_type_body];
const auto escape_def = located[escape_body];
const auto code_point_def = located[code_point_body];
const auto time_unit_word_rule_def = located[time_unit_word_rule_body];
const auto field_separator_def = field_separator_body;

BOOST_SPIRIT_DEFINE(identifier, string_literal, escape, code_point, time_unit_word_rule, field_separator, label, date, duration, period, kind_list, or_expr, and_expr, not_expr,
                    comparison, additive, multiplicative, unary_expr, primary, numeric, list_literal, event_source,
                    aggregate_call, violations_args, units_args, quantified_args, rank_args, window_args, cite_clause, each_clause, during_clause, window_clause,
                    every_clause, by_clause, trigger_clause, trigger_target, require_clause, grace_clause,
                    warn_clause, due_clause, phase_bounds, calendar_decl, calendar_entry, end_of_calendar, clause, end_of_rule, plan_property, property_value, end_of_plan, plan_decl,
                    phase_decl, kind_decl, field_type, element_type, field_decl, end_of_event, event_decl, rule_decl,
                    declaration_rule, expression_rule)


const auto entity_ref_def = located[entity_ref_body];
const auto entity_option_def = located[entity_option_body];
const auto entity_stmt_def = located[entity_stmt_body];
const auto time_lit_def = located[time_lit_body];
const auto field_value_def = located[field_value_body];
const auto end_of_fields_def = end_of_fields_body;
const auto event_stmt_def = located[event_stmt_body];
const auto retract_stmt_def = located[retract_stmt_body];
const auto record_stmt_def = located[record_stmt_body];
const auto as_of_stmt_def = located[as_of_stmt_body];
const auto bucket_form_def = located[bucket_form_body];
const auto bucket_ref_def = located[bucket_ref_body];
const auto bucket_args_def = bucket_args_body;
const auto expect_predicate_def = expect_predicate_body;
const auto status_word_def = located[status_word_body];
const auto flag_word_def = located[flag_word_body];
const auto expected_value_def = expected_value_body;
const auto expected_reason_def = expected_reason_body;
const auto rejected_what_def = rejected_what_body;
const auto whole_number_def = whole_number_body;
const auto equals_sign_def = equals_sign_body;
const auto expectation_body_def = expectation_body_body;
const auto expect_stmt_def = located[expect_stmt_body];
const auto scenario_statement_rule_def = scenario_statement_rule_body;
const auto scenario_plan_rule_def = located[scenario_plan_rule_body];
const auto scenario_given_rule_def = located[scenario_given_rule_body];
const auto scenario_test_rule_def = located[scenario_test_rule_body];

BOOST_SPIRIT_DEFINE(entity_ref, entity_option, entity_stmt, time_lit, field_value, end_of_fields, event_stmt,
                    retract_stmt, record_stmt, as_of_stmt, bucket_form, bucket_ref, bucket_args, expect_predicate,
                    status_word, flag_word, expected_value, expected_reason, rejected_what, whole_number, equals_sign,
                    expectation_body, expect_stmt,
                    scenario_statement_rule, scenario_plan_rule, scenario_given_rule, scenario_test_rule)

}  // namespace mandate::syntax::parser
