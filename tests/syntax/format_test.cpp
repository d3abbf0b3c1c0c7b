// The formatter (`mandate fmt`): canonical layout, idempotence, the same AST before and after,
// and comments kept. The messy file's canonical form (tests/golden/fmt/messy.formatted.mandate)
// was written by hand from format.hpp's rules, not taken from the program.
#include <gtest/gtest.h>

#include <filesystem>

#include "mandate/syntax/format.hpp"
#include "syntax/support.hpp"

namespace mandate {
namespace {

using testing::golden_dir;
using testing::read_text;
using testing::shape;

std::string format_text(const std::string& text) {
    const source_file source("f.mandate", text);
    const auto parsed = syntax::parse(source);
    if (!parsed.ok()) throw std::runtime_error("does not parse: " + testing::brief(parsed.diagnostics.front()));
    return syntax::format(parsed.file, source);
}

// Comments counted by hand, independently of the library: a '#' outside a string starts one.
std::size_t count_comments(const std::string& text) {
    std::size_t n = 0;
    bool in_string = false, in_comment = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n') {
            in_string = in_comment = false;
        } else if (in_comment) {
        } else if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '#') {
            ++n;
            in_comment = true;
        }
    }
    return n;
}

// The properties every formatted file must have.
void expect_fmt_properties(const std::string& name, const std::string& text, bool compare_comments = true) {
    SCOPED_TRACE(name);
    const std::string once = format_text(text);
    const std::string twice = format_text(once);
    EXPECT_EQ(twice, once) << "not idempotent";
    EXPECT_EQ(shape(once), shape(text)) << "the AST changed";
    if (compare_comments) EXPECT_EQ(count_comments(once), count_comments(text)) << "comments lost or merged";
    EXPECT_TRUE(once.empty() || once.back() == '\n');
    EXPECT_EQ(once.find(" \n"), std::string::npos) << "trailing spaces";
    EXPECT_EQ(once.find("\n\n\n"), std::string::npos) << "more than one blank line";
}

TEST(syntax_format, comment_counter_counts_only_comments) {
    EXPECT_EQ(count_comments("# a\nkind k \"#x\" # b\ncite \"\\\"#\" # c # d\n"), 3u);
}

TEST(syntax_format, goutang_is_canonical_and_stable) {
    const std::string text = read_text(testing::goutang_path());
    EXPECT_EQ(format_text(text), text) << "rules/goutang-2023.mandate is not in canonical layout";
    expect_fmt_properties("goutang", text);
    // 71 comments, 55 more since the revised readings of PLAN.md (each revised rule says so),
    // and 9 more since the two that needed v2 periods and windows were revised too.
    EXPECT_EQ(count_comments(text), 135u);
}

TEST(syntax_format, conformance_plans) {
    const std::filesystem::path root = std::filesystem::path(MANDATE_SOURCE_DIR) / "tests" / "conformance";
    std::size_t plans = 0;
    for (const auto& entry : std::filesystem::directory_iterator(root)) {
        const auto plan = entry.path() / "plan.mandate";
        if (!std::filesystem::exists(plan)) continue;
        ++plans;
        expect_fmt_properties(plan.string(), read_text(plan.string()));
    }
    EXPECT_GE(plans, 16u);
}

TEST(syntax_format, messy_file_matches_hand_written_canonical_form) {
    const std::string messy = read_text(golden_dir() + "/fmt/messy.mandate");
    const std::string expected = read_text(golden_dir() + "/fmt/messy.formatted.mandate");
    EXPECT_EQ(format_text(messy), expected);
    expect_fmt_properties("messy", messy);
    EXPECT_EQ(count_comments(messy), 5u);
    // The canonical form is a fixed point.
    EXPECT_EQ(format_text(expected), expected);
}

TEST(syntax_format, ast_golden_inputs) {
    for (const char* name : {"declarations", "clauses", "aggregates"})
        expect_fmt_properties(name, read_text(golden_dir() + "/ast/" + name + ".mandate"));
    // expressions.mandate holds two trailing comments inside one multi-line requirement; see
    // two_trailing_comments_in_one_clause_stay_two below.
    expect_fmt_properties("expressions", read_text(golden_dir() + "/ast/expressions.mandate"), false);
}

TEST(syntax_format, redundant_parentheses_are_dropped_and_needed_ones_kept) {
    const std::string text =
        "plan p {}\n"
        "obligation o {\n"
        "  require ((a - (b - c)) > ((x))) and (y or z)\n"
        "}\n";
    EXPECT_EQ(format_text(text),
              "plan p {\n"
              "}\n"
              "\n"
              "obligation o {\n"
              "  require a - (b - c) > x and (y or z)\n"
              "}\n");
}

TEST(syntax_format, empty_file_and_comment_only_file) {
    EXPECT_EQ(format_text(""), "");
    EXPECT_EQ(format_text("# one\n\n\n\n# two\n"), "# one\n\n# two\n");
}

TEST(syntax_format, blank_lines_between_one_line_declarations_are_kept_once) {
    EXPECT_EQ(format_text("kind a\n\n\n\nkind bb \"B\"\nkind c\n"), "kind a\n\nkind bb \"B\"\nkind c\n");
}

TEST(syntax_format, comment_inside_a_one_line_declaration_of_an_aligned_run) {
    const std::string text =
        "kind a # c\n"
        "  \"x\"\n"
        "kind bbbbbb \"y\"\n";
    const std::string once = format_text(text);
    EXPECT_EQ(format_text(once), once);
}

TEST(syntax_format, two_trailing_comments_in_one_clause_stay_two) {
    const std::string text =
        "obligation o {\n"
        "  require count(a) >= 1  # one\n"
        "      and count(b) >= 1  # two\n"
        "}\n";
    const std::string once = format_text(text);
    EXPECT_EQ(count_comments(once), 2u) << once;
    const source_file source("f.mandate", once);
    EXPECT_EQ(syntax::parse(source).file.comments.size(), 2u) << once;
}

}  // namespace
}  // namespace mandate
