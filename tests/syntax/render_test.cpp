// Rendering a diagnostic: the headline, the source line, and a caret under the right column,
// placed by display width (CJK characters are two columns wide).
#include <gtest/gtest.h>

#include "syntax/support.hpp"

namespace mandate {
namespace {

std::string render_first(const std::string& text) {
    const source_file source("t.mandate", text);
    const auto loaded = check::load(source);
    if (loaded.diagnostics().empty()) return "";
    return render(loaded.diagnostics().front(), source);
}

TEST(syntax_render, ascii_line) {
    // "kind k within 1": the '1' is column 15, so 14 spaces before the caret.
    EXPECT_EQ(render_first("kind k within 1"),
              "t.mandate:1:15: error: expected a kind, found '1'\n"
              " 1 | kind k within 1\n"
              "   |               ^\n");
}

TEST(syntax_render, caret_under_a_reserved_word_spans_it) {
    EXPECT_EQ(render_first("kind from \"x\""),
              "t.mandate:1:6: error: expected an identifier, found 'from', a reserved word\n"
              " 1 | kind from \"x\"\n"
              "   |      ^~~~\n");
}

TEST(syntax_render, chinese_text_before_the_error) {
    // kind k "镇" within 1: 镇 is one code point (column 9) but two display columns, so the
    // '1' is column 19 and the caret stands after 19 display columns:
    // k-i-n-d(4) space(1) k(1) space(1) quote(1) 镇(2) quote(1) space(1) within(6) space(1) = 19.
    EXPECT_EQ(render_first("kind k \"镇\" within 1"),
              "t.mandate:1:19: error: expected a kind, found '1'\n"
              " 1 | kind k \"镇\" within 1\n"
              "   | " + std::string(19, ' ') + "^\n");
}

TEST(syntax_render, checker_error_after_a_chinese_label_underlines_the_name) {
    // Line 3: obligation o "每月" { during campain require true }
    // 'campain' is code-point column 28; before it: "obligation o " (13) + "每月" in quotes (6)
    // + " { during " (10) = 29 display columns. The span is the 7 letters of the name.
    const std::string text =
        "plan p {}\n"
        "phase campaign from 2023-04-01 to 2023-12-30\n"
        "obligation o \"每月\" { during campain require true }\n";
    EXPECT_EQ(render_first(text),
              "t.mandate:3:28: error: unknown phase 'campain', did you mean 'campaign'?\n"
              " 3 | obligation o \"每月\" { during campain require true }\n"
              "   | " + std::string(29, ' ') + "^~~~~~~\n");
}

TEST(syntax_render, full_width_punctuation_is_wide) {
    // 〔 and 〕 (U+3014, U+3015) and ， (U+FF0C) are wide; "…" (U+2026) is not.
    EXPECT_EQ(display_width("〔2023〕，"), 2u + 4u + 2u + 2u);
    EXPECT_EQ(display_width("中文"), 4u);
    EXPECT_EQ(display_width("a中b"), 4u);
    EXPECT_EQ(display_width("……"), 2u);
    EXPECT_EQ(display_width(""), 0u);
}

TEST(syntax_render, tabs_are_shown_as_single_spaces) {
    // "kind\tk within 1": the tab is column 5, the '1' column 15.
    EXPECT_EQ(render_first("kind\tk within 1"),
              "t.mandate:1:15: error: expected a kind, found '1'\n"
              " 1 | kind k within 1\n"
              "   |               ^\n");
}

TEST(syntax_render, two_digit_line_numbers_widen_the_gutter) {
    std::string text = "plan p {}\n";
    for (int i = 2; i <= 11; ++i) text += "kind k" + std::to_string(i) + "\n";
    text += "kind k within 1\n";  // line 12
    EXPECT_EQ(render_first(text),
              "t.mandate:12:15: error: expected a kind, found '1'\n"
              " 12 | kind k within 1\n"
              "    |               ^\n");
}

TEST(syntax_render, headline_is_the_first_line) {
    const source_file source("dir/x.mandate", "kind from");
    const auto parsed = syntax::parse(source);
    ASSERT_EQ(parsed.diagnostics.size(), 1u);
    EXPECT_EQ(headline(parsed.diagnostics[0]),
              "dir/x.mandate:1:6: error: expected an identifier, found 'from', a reserved word");
}

TEST(syntax_render, columns_count_code_points) {
    const source_file source("t.mandate", "ab\n中文x\n");
    EXPECT_EQ(source.position_of(0).line, 1u);
    EXPECT_EQ(source.position_of(3).line, 2u);
    EXPECT_EQ(source.position_of(3).column, 1u);
    EXPECT_EQ(source.position_of(6).column, 2u);  // after 中 (3 bytes)
    EXPECT_EQ(source.position_of(9).column, 3u);  // the x
    EXPECT_EQ(source.line_text(2), "中文x");
}

}  // namespace
}  // namespace mandate
