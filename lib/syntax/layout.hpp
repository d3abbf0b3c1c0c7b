// The part of `mandate fmt` that rule files and scenario test files share: lines of code laid
// out in source order, the comments of the text placed among them, and the blank lines kept or
// added between them. Each formatter (format.cpp, format_scenarios.cpp) says what its lines are;
// this says where the comments and the blank lines go.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mandate/diagnostic.hpp"
#include "mandate/syntax/ast.hpp"

namespace mandate::syntax::detail {

// One output line of code, anchored at the source span it prints.
struct layout_line {
    int indent = 0;
    std::string text;
    span source;                  // the code this line prints
    bool block_edge = false;      // a line that needs a blank line before it (a block's head)
    bool first_in_block = false;  // no blank line between it and its block's head
    std::vector<std::string> leading;  // own-line comments before it
    std::vector<span> leading_spans;
    std::vector<std::string> trailing;  // comments after it on its line
    std::uint32_t trailing_end = 0;
};

// Whether text[from, to) holds an empty line (two line breaks with only blanks between them).
bool blank_between(const std::string& text, std::uint32_t from, std::uint32_t to);

class layout {
public:
    void add(int indent, std::string text, span source, bool block_edge = false, bool first_in_block = false);

    // Places each comment: one after code on its line trails the last line that starts before
    // it; any other leads the next line, or, after the last one, ends the file.
    void attach_comments(const std::vector<ast::comment>& comments);

    // The laid-out text. `text` is the source the spans point into: a blank line there between
    // two lines (or comments) is kept, at most one; a block, and whatever follows one at the
    // top level, is set apart by one.
    std::string render(const std::string& text) const;

private:
    std::vector<layout_line> lines_;
    std::vector<ast::comment> tail_;  // comments after the last line
};

}  // namespace mandate::syntax::detail
