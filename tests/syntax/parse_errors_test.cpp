// Parse diagnostics: one input per distinct error, with the exact message, line and column
// worked out by hand from the grammar's labels ("expected X, found Y") and the input. Each
// input is a single line unless it says otherwise, so the column can be counted directly.
#include <gtest/gtest.h>

#include <set>

#include "syntax/support.hpp"

namespace mandate {
namespace {

using testing::parse_errors;

struct parse_case {
    const char* name;
    std::string input;
    std::string expected;  // "line:column: error: message"
};

std::ostream& operator<<(std::ostream& os, const parse_case& c) { return os << c.name; }

const std::string clause_list =
    "a clause (cite, each, during, from, every, due, by, after, before, require, when, grace, warn) or '}'";
const std::string period_list = "a period: day, week, month, quarter, half, year, N days, N weeks, N months, N hours";

// `obligation o { require ` is 23 characters: an expression written after it starts in column 24.
std::vector<parse_case> cases() {
    return {
        {"expected_to", "phase p \"x\" from 2023-01-01 2023-02-01", "1:29: error: expected 'to', found '2023'"},
        {"expected_a_period", "obligation o { every fortnight }",
         "1:22: error: expected " + period_list + ", found 'fortnight'"},
        {"expected_colon_in_each", "obligation o { each v village }", "1:23: error: expected ':', found 'village'"},
        {"reserved_word_as_kind_name", "kind from \"x\"",
         "1:6: error: expected an identifier, found 'from', a reserved word"},
        {"reserved_word_as_variable", "obligation o { each count: town }",
         "1:21: error: expected an identifier, found 'count', a reserved word"},
        {"unknown_clause", "obligation o { frequency month }", "1:16: error: expected " + clause_list + ", found 'frequency'"},
        {"unterminated_string", "kind k \"abc", "1:12: error: this string is not closed on its line"},
        {"too_many_fractional_digits", "obligation o { require x > 0.1234567 }",
         "1:28: error: number '0.1234567' has more than 6 fractional digits"},
        {"number_out_of_range", "obligation o { require x > 9999999999999999999999999999999999999999 }",
         "1:28: error: number '9999999999999999999999999999999999999999' is out of range (whole numbers are 64-bit)"},
        // 70 '(': the 64th opens the 65th level, so the error stands right after it, at column 24 + 64.
        {"nesting_too_deep", "obligation o { require " + std::string(70, '(') + "x" + std::string(70, ')') + " }",
         "1:88: error: expression nested too deeply (the limit is 64 levels)"},
        {"missing_brace_at_end_of_file", "obligation o {\n  require true\n",
         "3:1: error: expected " + clause_list + ", found end of file"},
        {"not_a_declaration", "rule x {}",
         "1:1: error: expected a declaration: plan, phase, calendar, kind, event, obligation, outcome, found 'rule'"},
        {"not_a_declaration_chinese", "规则 x",
         "1:1: error: expected a declaration: plan, phase, calendar, kind, event, obligation, outcome, found '规'"},
        {"expected_brace_after_event", "event e \"x\" a: int }", "1:13: error: expected '{', found 'a'"},
        {"expected_field_type", "event e { a: integer }",
         "1:14: error: expected a field type: int, number, bool, text, date, ref KIND, set<T>, found 'integer'"},
        {"set_of_set", "event e { a: set<set<int>> }",
         "1:18: error: expected an element type: int, number, bool, text, date, ref KIND, found 'set'"},
        {"field_without_colon", "event e { a int }", "1:13: error: expected ':', found 'int'"},
        {"stray_comma_in_event", "event e { , }", "1:11: error: expected a field (NAME: TYPE) or '}', found ','"},
        {"malformed_date", "phase p from 2023-5-01 to 2023-06-01", "1:14: error: expected a date (YYYY-MM-DD), found '2023'"},
        {"date_glued_to_a_word", "obligation o { by 2023-01-01x }",
         "1:19: error: expected a date (YYYY-MM-DD), found '2023'"},
        {"expected_a_duration", "obligation o { grace soon }",
         "1:22: error: expected a duration: N days, N weeks, N months, N hours, N workdays, found 'soon'"},
        {"fractional_duration_in_a_clause", "obligation o { grace 1.5 days }",
         "1:22: error: expected a duration: N days, N weeks, N months, N hours, N workdays, found '1'"},
        {"expected_property_value", "plan p { title [1] }", "1:16: error: expected a value: a string, a name or a number, found '['"},
        {"bad_plan_property", "plan p { title \"x\" ; }",
         "1:20: error: expected a plan property (title, source, timezone, week_start, calendar, language) or '}', found ';'"},
        {"expected_a_trigger", "obligation o { after 12 within 3 days }",
         "1:22: error: expected a trigger: EVENT [of VAR] [where PRED] or outcome NAME, found '12'"},
        {"trigger_without_within", "obligation o { after e require true }", "1:24: error: expected 'within', found 'require'"},
        {"aggregate_without_close", "obligation o { require count(a of v >= 1 }", "1:37: error: expected ')', found '>'"},
        {"missing_operand", "obligation o { require count(a) >= }", "1:36: error: expected an expression, found '}'"},
        {"empty_violations", "obligation o { require violations() > 0 }",
         "1:35: error: expected 'of VAR', 'within VAR' or obligation names, found ')'"},
        {"all_without_predicate", "obligation o { require all(a of v) }", "1:34: error: expected ':', found ')'"},
        {"coverage_without_within", "obligation o { require coverage(a.b, k) > 0 }",
         "1:39: error: expected 'within', found ')'"},
        {"streak_bad_period", "obligation o { require streak(fortnight, true) > 0 }",
         "1:31: error: expected " + period_list + ", found 'fortnight'"},
        {"every_full_without_period", "obligation o { every full }", "1:27: error: expected " + period_list + ", found '}'"},
        {"unclosed_list", "obligation o { require x in [1, 2 }", "1:35: error: expected ']', found '}'"},
        {"expected_a_kind", "obligation o { each v: 1 }", "1:24: error: expected a kind, found '1'"},
        {"kind_list_at_end_of_file", "kind k within", "1:14: error: expected a kind, found end of file"},
        {"cite_needs_a_string", "obligation o { cite 42 }", "1:21: error: expected a string, found '42'"},
        // Comparisons do not chain: the error stands at the second '<'.
        {"chained_comparison", "obligation o { require 1 < 2 < 3 }",
         "1:30: error: comparisons do not chain: write 'a <= x and x <= b'"},
    };
}

class syntax_parse_error : public ::testing::TestWithParam<parse_case> {};

TEST_P(syntax_parse_error, exact_message_line_and_column) {
    EXPECT_EQ(parse_errors(GetParam().input), std::vector<std::string>{GetParam().expected});
}

INSTANTIATE_TEST_SUITE_P(table, syntax_parse_error, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<parse_case>& info) { return std::string(info.param.name); });

TEST(syntax_parse_errors, at_least_thirty_distinct_cases) {
    std::set<std::string> messages;
    for (const auto& c : cases()) messages.insert(c.expected.substr(c.expected.find("error: ")));
    EXPECT_GE(messages.size(), 30u);
}

TEST(syntax_parse_errors, escapes_that_name_no_character) {
    // "\u{D800}" is a surrogate, not a character.
    const auto errors = parse_errors("kind k \"\\u{D800}\"");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find("error: \\u{...} names no Unicode character"), std::string::npos) << errors[0];
    EXPECT_EQ(errors[0].rfind("1:", 0), 0u);
    // Beyond U+10FFFF: the same message (its column is the bug below).
    const auto beyond = parse_errors("kind k \"\\u{110000}\"");
    ASSERT_EQ(beyond.size(), 1u);
    EXPECT_NE(beyond[0].find("error: \\u{...} names no Unicode character"), std::string::npos) << beyond[0];
    // The largest code point and a 6-digit escape are fine.
    EXPECT_TRUE(parse_errors("kind k \"\\u{10FFFF}\\u{00004E}\"").empty());
}

TEST(syntax_parse_errors, escape_beyond_unicode_points_at_the_escape) {
    // kind k "\u{110000}": the quote is column 8, the backslash 9, the hex digits start at 12.
    EXPECT_EQ(parse_errors("kind k \"\\u{110000}\""),
              std::vector<std::string>{"1:12: error: \\u{...} names no Unicode character"});
}

TEST(syntax_parse_errors, fractional_duration_points_at_the_number) {
    EXPECT_EQ(parse_errors("obligation o { require gap(a) < 1.5 days }"),
              std::vector<std::string>{"1:33: error: a duration needs a whole number of days, weeks or months"});
}

TEST(syntax_parse_errors, unknown_escape_is_named_readably) {
    // kind k "\q": the backslash is column 9, the bad escape letter column 10.
    EXPECT_EQ(parse_errors("kind k \"\\q\""),
              std::vector<std::string>{"1:10: error: expected an escape: \\\", \\\\, \\n, \\t or \\u{XXXX}, found 'q'"});
}

TEST(syntax_parse_errors, empty_unicode_escape_is_named_readably) {
    // kind k "\u{}": the '}' where the code should be is column 12.
    EXPECT_EQ(parse_errors("kind k \"\\u{}\""),
              std::vector<std::string>{"1:12: error: expected a code point in hexadecimal, like 4E2D, found '}'"});
}

TEST(syntax_parse_errors, unterminated_string_is_reported_on_its_own_line) {
    const auto errors = parse_errors("kind k \"abc\nkind j\n");
    ASSERT_EQ(errors.size(), 1u);
    // The quote is missing at the end of line 1, column 12.
    EXPECT_EQ(errors[0].rfind("1:12: error: ", 0), 0u) << errors[0];
}

TEST(syntax_parse_errors, recovery_reports_every_broken_declaration) {
    // Three broken declarations among good ones: each is reported, and the parser resumes at the
    // next line that starts with a declaration keyword.
    const std::string text =
        "plan p {}\n"                                   // 1
        "phase a \"A\" from 2023-01-01 2023-02-01\n"    // 2: expected 'to' at the second date, column 29
        "kind k \"K\"\n"                                // 3
        "obligation o { each v: k  every fortnight }\n" // 4: 'fortnight' at column 33
        "event e { a: integer }\n"                      // 5: 'integer' at column 14
        "kind j\n";                                     // 6
    const source_file source("t.mandate", text);
    const auto parsed = syntax::parse(source);
    EXPECT_EQ(testing::briefs(parsed.diagnostics),
              (std::vector<std::string>{
                  "2:29: error: expected 'to', found '2023'",
                  "4:33: error: expected " + period_list + ", found 'fortnight'",
                  "5:14: error: expected a field type: int, number, bool, text, date, ref KIND, set<T>, found 'integer'",
              }));
    // The good declarations survive: plan p, kind k, kind j.
    ASSERT_EQ(parsed.file.declarations.size(), 3u);
    EXPECT_EQ(ast::id_of(parsed.file.declarations[0]).text, "p");
    EXPECT_EQ(ast::id_of(parsed.file.declarations[1]).text, "k");
    EXPECT_EQ(ast::id_of(parsed.file.declarations[2]).text, "j");
}

TEST(syntax_parse_errors, parse_expression_rejects_trailing_text) {
    const source_file source("e.mandate", "a + b c");
    const auto r = syntax::parse_expression(source);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(testing::briefs(r.diagnostics()), std::vector<std::string>{"1:7: error: unexpected 'c' after the expression"});
}

}  // namespace
}  // namespace mandate
