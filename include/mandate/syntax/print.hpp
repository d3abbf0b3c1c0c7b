// Two printed forms of the AST: an S-expression dump that shows its exact structure (golden
// tests compare it; with a source it also shows each node's line:column), and canonical
// source text for expressions (used by `mandate fmt`; a shortened form names measures in
// reports).
#pragma once

#include <cstddef>
#include <string>

#include "mandate/diagnostic.hpp"
#include "mandate/syntax/ast.hpp"

namespace mandate::syntax {

// The whole file as S-expressions, one declaration per top-level form. With `positions`,
// nodes carry `@line:column` of where they start in `*positions`.
std::string to_sexpr(const ast::file& file, const source_file* positions = nullptr);
std::string to_sexpr(const ast::expr& e, const source_file* positions = nullptr);

// Canonical source text of an expression: single spaces around binary operators, only the
// parentheses the precedence needs. parse(to_source(e)) has the structure of e.
std::string to_source(const ast::expr& e);
// The same text with each list of more than short_list_items items cut to its first ones and
// a count: `venue in ["a", "b", ..., "p", … 999984 more]`. The name of a measure in reports and
// of a node in the graph, where a list of a million items written out would repeat megabytes
// on every row; not meant to be parsed.
inline constexpr std::size_t short_list_items = 16;
std::string to_short_source(const ast::expr& e);
std::string to_source(const ast::duration& d);
std::string to_source(const ast::period& p);
// `day 5 after`, `10 days after`: a due clause after its keyword.
std::string to_source(const ast::due_clause& c);
// `from DATE to DATE`, `from event A to event B at most 5 days`: a phase's bounds.
std::string phase_bounds(const ast::phase_decl& p);
// `holiday 2025-10-01 to 2025-10-08 "国庆节"`: one entry of a calendar declaration.
std::string calendar_entry_source(const ast::calendar_entry& e);
std::string to_source(const ast::date_lit& d);
std::string to_source(const ast::field_type& t);
// A string literal with quotes and escapes.
std::string quote(const std::string& text);

}  // namespace mandate::syntax
