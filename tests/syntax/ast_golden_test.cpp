// AST golden tests: each file in tests/golden/ast/*.mandate parses without a diagnostic to the
// S-expressions (with @line:column positions) in the .ast file beside it. The goldens were
// checked node by node against their inputs; the structural tests below restate the facts
// that matter most directly in C++.
//
// To regenerate after an intended change of the printed form, run the test program with
// MANDATE_UPDATE_GOLDEN=1, then read every changed line of the diff against its input.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "syntax/support.hpp"

namespace mandate {
namespace {

using testing::golden_dir;
using testing::read_text;

class syntax_ast_golden : public ::testing::TestWithParam<const char*> {};

TEST_P(syntax_ast_golden, matches) {
    const std::string stem = golden_dir() + "/ast/" + GetParam();
    const source_file source(std::string(GetParam()) + ".mandate", read_text(stem + ".mandate"));
    const auto parsed = syntax::parse(source);
    ASSERT_TRUE(parsed.ok()) << testing::brief(parsed.diagnostics.front());
    const std::string printed = syntax::to_sexpr(parsed.file, &source);
    if (const char* update = std::getenv("MANDATE_UPDATE_GOLDEN"); update && std::string(update) == "1") {
        std::ofstream(stem + ".ast", std::ios::binary) << printed;
        GTEST_SKIP() << "rewrote " << stem << ".ast";
    }
    EXPECT_EQ(printed, read_text(stem + ".ast"));
}

INSTANTIATE_TEST_SUITE_P(golden, syntax_ast_golden,
                         ::testing::Values("declarations", "clauses", "aggregates", "expressions"));

// ---------------------------------------------------------------- structural facts

ast::file parse_ok(const std::string& text) {
    const source_file source("t.mandate", text);
    auto parsed = syntax::parse(source);
    if (!parsed.ok()) throw std::runtime_error(testing::brief(parsed.diagnostics.front()));
    return std::move(parsed.file);
}

ast::expr expr_ok(const std::string& text) {
    const source_file source("e.mandate", text);
    auto r = syntax::parse_expression(source);
    if (!r.ok()) throw std::runtime_error(testing::brief(r.diagnostics().front()));
    return std::move(r).value();
}

const ast::binary& as_binary(const ast::expr& e) { return std::get<ast::binary>(e.node); }
const ast::name_ref& as_name(const ast::expr& e) { return std::get<ast::name_ref>(e.node); }
const ast::number_lit& as_number(const ast::expr& e) { return std::get<ast::number_lit>(e.node); }

TEST(syntax_ast_structure, percent_is_exactly_three_twentieths) {
    const ast::expr e = expr_ok("15%");
    const auto& n = as_number(e);
    EXPECT_TRUE(n.percent);
    EXPECT_EQ(n.text, "15");
    EXPECT_EQ(n.value, rational(3, 20));
    EXPECT_EQ(n.value.num(), 3);
    EXPECT_EQ(n.value.den(), 20);
}

TEST(syntax_ast_structure, subtraction_associates_to_the_left) {
    // a - b - c is (a - b) - c
    const ast::expr e = expr_ok("a - b - c");
    const auto& top = as_binary(e);
    EXPECT_EQ(top.op, ast::binop::sub);
    EXPECT_EQ(as_name(*top.rhs).text, "c");
    const auto& inner = as_binary(*top.lhs);
    EXPECT_EQ(inner.op, ast::binop::sub);
    EXPECT_EQ(as_name(*inner.lhs).text, "a");
    EXPECT_EQ(as_name(*inner.rhs).text, "b");
}

TEST(syntax_ast_structure, division_associates_to_the_left) {
    const ast::expr e = expr_ok("x / y / z");
    const auto& top = as_binary(e);
    EXPECT_EQ(top.op, ast::binop::div);
    EXPECT_EQ(as_name(*top.rhs).text, "z");
    EXPECT_EQ(as_binary(*top.lhs).op, ast::binop::div);
    EXPECT_EQ(as_name(*as_binary(*top.lhs).lhs).text, "x");
}

TEST(syntax_ast_structure, precedence_of_or_and_not_comparison_and_arithmetic) {
    // a or (b and (not (c == (1 + (2 * 3)))))
    const ast::expr e = expr_ok("a or b and not c == 1 + 2 * 3");
    const auto& or_ = as_binary(e);
    ASSERT_EQ(or_.op, ast::binop::or_);
    EXPECT_EQ(as_name(*or_.lhs).text, "a");
    const auto& and_ = as_binary(*or_.rhs);
    ASSERT_EQ(and_.op, ast::binop::and_);
    EXPECT_EQ(as_name(*and_.lhs).text, "b");
    const auto& not_ = std::get<ast::unary>(and_.rhs->node);
    ASSERT_EQ(not_.op, ast::unop::not_);
    const auto& eq = as_binary(*not_.operand);
    ASSERT_EQ(eq.op, ast::binop::eq);
    EXPECT_EQ(as_name(*eq.lhs).text, "c");
    const auto& add = as_binary(*eq.rhs);
    ASSERT_EQ(add.op, ast::binop::add);
    EXPECT_EQ(as_number(*add.lhs).value, rational(1));
    const auto& mul = as_binary(*add.rhs);
    ASSERT_EQ(mul.op, ast::binop::mul);
    EXPECT_EQ(as_number(*mul.lhs).value, rational(2));
    EXPECT_EQ(as_number(*mul.rhs).value, rational(3));
}

TEST(syntax_ast_structure, parentheses_group_and_are_printed_only_where_needed) {
    EXPECT_EQ(syntax::to_source(expr_ok("a - (b - c)")), "a - (b - c)");
    EXPECT_EQ(syntax::to_source(expr_ok("(a - b) - c")), "a - b - c");
    EXPECT_EQ(syntax::to_source(expr_ok("x / (y / z)")), "x / (y / z)");
    EXPECT_EQ(syntax::to_source(expr_ok("(a + b) * c")), "(a + b) * c");
    EXPECT_EQ(syntax::to_source(expr_ok("a + (b * c)")), "a + b * c");
    EXPECT_EQ(syntax::to_source(expr_ok("((a))")), "a");
    EXPECT_EQ(syntax::to_source(expr_ok("(a or b) and c")), "(a or b) and c");
    EXPECT_EQ(syntax::to_source(expr_ok("(a and b) or c")), "a and b or c");
    EXPECT_EQ(syntax::to_source(expr_ok("not (a and b)")), "not (a and b)");
    EXPECT_EQ(syntax::to_source(expr_ok("not (a == 1)")), "not a == 1");
    EXPECT_EQ(syntax::to_source(expr_ok("(a == b) == c")), "(a == b) == c");
    EXPECT_EQ(syntax::to_source(expr_ok("(not a) == b")), "(not a) == b");
    EXPECT_EQ(syntax::to_source(expr_ok("-(a + b)")), "-(a + b)");
    EXPECT_EQ(syntax::to_source(expr_ok("-(a * b)")), "-(a * b)");
    EXPECT_EQ(syntax::to_source(expr_ok("(-a) * b")), "-a * b");
    EXPECT_EQ(syntax::to_source(expr_ok("a - -1")), "a - -1");
}

TEST(syntax_ast_structure, where_and_predicate_bind_inside_the_aggregate) {
    // `any(E where P: Q)`: the where predicate and the ':' predicate are separate subtrees.
    const ast::expr e = expr_ok("any(training of u where attendees > 0: expected == 10)");
    const auto& a = std::get<ast::aggregate>(e.node);
    EXPECT_EQ(a.kind, ast::aggregate_kind::any);
    EXPECT_EQ(a.source.event.text, "training");
    ASSERT_TRUE(a.source.of_var.has_value());
    EXPECT_EQ(a.source.of_var->text, "u");
    ASSERT_TRUE(a.source.where.has_value());
    EXPECT_EQ(as_binary(**a.source.where).op, ast::binop::gt);
    ASSERT_TRUE(a.predicate.has_value());
    EXPECT_EQ(as_binary(**a.predicate).op, ast::binop::eq);
}

TEST(syntax_ast_structure, literal_values) {
    EXPECT_EQ(as_number(expr_ok("0.1")).value, rational(1, 10));
    EXPECT_FALSE(as_number(expr_ok("0.1")).percent);
    EXPECT_EQ(as_number(expr_ok("12")).value, rational(12));
    EXPECT_EQ(as_number(expr_ok("0.5%")).value, rational(1, 200));
    EXPECT_EQ(as_number(expr_ok("100%")).value, rational(1));
    EXPECT_EQ(as_number(expr_ok("90%")).value, as_number(expr_ok("0.9")).value);
    EXPECT_EQ(as_number(expr_ok("1.000001")).value, rational(1000001, 1000000));

    const auto d = std::get<ast::duration_value>(expr_ok("21 days").node).value;
    EXPECT_EQ(d.count, 21);
    EXPECT_EQ(d.unit, ast::time_unit::day);
    EXPECT_EQ(std::get<ast::duration_value>(expr_ok("1 week").node).value.unit, ast::time_unit::week);
    const auto m = std::get<ast::duration_value>(expr_ok("2 months").node).value;
    EXPECT_EQ(m.count, 2);
    EXPECT_EQ(m.unit, ast::time_unit::month);

    const auto date = std::get<ast::date_value>(expr_ok("2023-05-31").node).value;
    EXPECT_EQ(date.year, 2023);
    EXPECT_EQ(date.month, 5);
    EXPECT_EQ(date.day, 31);

    EXPECT_TRUE(std::get<ast::bool_lit>(expr_ok("true").node).value);
    EXPECT_FALSE(std::get<ast::bool_lit>(expr_ok("false").node).value);
}

TEST(syntax_ast_structure, string_escapes_are_resolved) {
    // \" \\ \n \t and \u{4E2D} (中, E4 B8 AD in UTF-8) and \u{1F600} (F0 9F 98 80).
    const ast::expr e = expr_ok(R"("a\"b\\c\nd\te\u{4E2D}\u{1F600}")");
    EXPECT_EQ(std::get<ast::string_lit>(e.node).value,
              std::string("a\"b\\c\nd\te") + "\xE4\xB8\xAD" + "\xF0\x9F\x98\x80");
    // Raw UTF-8 passes through unchanged.
    EXPECT_EQ(std::get<ast::string_lit>(expr_ok("\"中文\"").node).value, "中文");
}

TEST(syntax_ast_structure, in_takes_a_list) {
    const ast::expr e = expr_ok(R"(venue in ["park", "square"])");
    const auto& b = as_binary(e);
    EXPECT_EQ(b.op, ast::binop::in);
    const auto& list = std::get<ast::list_lit>(b.rhs->node);
    ASSERT_EQ(list.items.size(), 2u);
    EXPECT_EQ(std::get<ast::string_lit>(list.items[0].node).value, "park");
    EXPECT_EQ(std::get<ast::string_lit>(list.items[1].node).value, "square");
    EXPECT_TRUE(std::get<ast::list_lit>(as_binary(expr_ok("x in []")).rhs->node).items.empty());
}

TEST(syntax_ast_structure, declarations_in_order_with_their_parts) {
    const ast::file f = parse_ok(read_text(golden_dir() + "/ast/declarations.mandate"));
    ASSERT_EQ(f.declarations.size(), 13u);
    const auto& plan = std::get<ast::plan_decl>(f.declarations[0]);
    EXPECT_EQ(plan.id.text, "golden_decls");
    ASSERT_EQ(plan.properties.size(), 4u);
    EXPECT_EQ(plan.properties[3].key.text, "week_start");
    ASSERT_TRUE(plan.properties[3].word.has_value());
    EXPECT_EQ(plan.properties[3].word->text, "sunday");

    const auto& outlet = std::get<ast::kind_decl>(f.declarations[5]);
    EXPECT_EQ(outlet.id.text, "outlet");
    EXPECT_FALSE(outlet.label.has_value());
    ASSERT_EQ(outlet.parents.size(), 2u);
    EXPECT_EQ(outlet.parents[0].text, "operator");
    EXPECT_EQ(outlet.parents[1].text, "bank");

    const auto& every_type = std::get<ast::event_decl>(f.declarations[8]);
    ASSERT_EQ(every_type.fields.size(), 8u);
    const auto& places = every_type.fields[7].type;
    EXPECT_EQ(places.base, ast::base_type::set);
    ASSERT_TRUE(places.element.has_value());
    EXPECT_EQ((*places.element)->base, ast::base_type::ref);
    ASSERT_EQ((*places.element)->ref_kinds.size(), 1u);
    EXPECT_EQ((*places.element)->ref_kinds[0].text, "village");

    const auto& optional_fields = std::get<ast::event_decl>(f.declarations[9]);
    ASSERT_EQ(optional_fields.fields.size(), 3u);
    EXPECT_TRUE(optional_fields.fields[0].optional);
    EXPECT_FALSE(optional_fields.fields[1].optional);
    EXPECT_TRUE(optional_fields.fields[2].optional);

    EXPECT_TRUE(std::get<ast::event_decl>(f.declarations[11]).fields.empty());
    EXPECT_TRUE(std::get<ast::event_decl>(f.declarations[12]).fields.empty());
}

TEST(syntax_ast_structure, cumulative_from_does_not_swallow_a_window) {
    // `every 1 week cumulative from D1 from D2 to D3`: D1 is the cumulative start, then a window.
    const ast::file f =
        parse_ok("obligation o { every 1 week cumulative from 2022-12-31 from 2023-01-01 to 2023-01-31 }");
    const auto& r = std::get<ast::rule_decl>(f.declarations[0]);
    ASSERT_EQ(r.clauses.size(), 2u);
    const auto& every = std::get<ast::every_clause>(r.clauses[0]);
    EXPECT_TRUE(every.cumulative);
    ASSERT_TRUE(every.cumulative_from.has_value());
    EXPECT_EQ(syntax::to_source(*every.cumulative_from), "2022-12-31");
    EXPECT_TRUE(every.per.counted);
    EXPECT_EQ(every.per.count, 1);
    const auto& window = std::get<ast::window_clause>(r.clauses[1]);
    EXPECT_EQ(syntax::to_source(window.from), "2023-01-01");
    EXPECT_EQ(syntax::to_source(window.to), "2023-01-31");

    // Without a cumulative date, a following `from .. to ..` is the window.
    const ast::file g = parse_ok("obligation o { every month cumulative from 2023-01-01 to 2023-01-31 }");
    const auto& s = std::get<ast::rule_decl>(g.declarations[0]);
    ASSERT_EQ(s.clauses.size(), 2u);
    EXPECT_FALSE(std::get<ast::every_clause>(s.clauses[0]).cumulative_from.has_value());
    EXPECT_TRUE(std::holds_alternative<ast::window_clause>(s.clauses[1]));
}

TEST(syntax_ast_structure, comments_are_collected_everywhere) {
    // expressions.mandate has comments on lines 1, 2, 3, 4, 5, 7, 8, 9, 24, 25 and 28; those on
    // lines 1, 3, 8 and 28 stand alone on their line.
    const std::string text = read_text(golden_dir() + "/ast/expressions.mandate");
    const source_file source("expressions.mandate", text);
    const auto parsed = syntax::parse(source);
    ASSERT_TRUE(parsed.ok());
    std::vector<std::uint32_t> lines, own;
    for (const auto& c : parsed.file.comments) {
        lines.push_back(source.position_of(c.loc.begin).line);
        if (c.own_line) own.push_back(source.position_of(c.loc.begin).line);
        EXPECT_EQ(c.text.front(), '#');
    }
    EXPECT_EQ(lines, (std::vector<std::uint32_t>{1, 2, 3, 4, 5, 7, 8, 9, 24, 25, 28}));
    EXPECT_EQ(own, (std::vector<std::uint32_t>{1, 3, 8, 28}));
    EXPECT_EQ(parsed.file.comments[1].text, "# after the brace");
}

TEST(syntax_ast_structure, hash_inside_a_string_is_not_a_comment) {
    const auto comments = syntax::scan_comments("cite \"a#b \\\"#c\" # real\n");
    ASSERT_EQ(comments.size(), 1u);
    EXPECT_EQ(comments[0].text, "# real");
    EXPECT_FALSE(comments[0].own_line);
}

}  // namespace
}  // namespace mandate
