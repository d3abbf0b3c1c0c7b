// The parser's fixed types: iterator, skipper and context. Shared by the grammar's declaration,
// its one instantiating translation unit, and the driver that calls it.
#pragma once

#include <boost/spirit/home/x3.hpp>

#include <string>

namespace mandate::syntax::parser {

namespace x3 = boost::spirit::x3;

using iterator_type = const char*;

// Limits that keep an untrusted rule file from exhausting the stack.
inline constexpr int max_nesting = 64;       // parentheses, `not`, unary minus, nested aggregates
inline constexpr int max_expr_depth = 256;   // ast::expr::nesting: a chain a + a + ... + a is one level
// ast::expr::depth, the height of the tree: a chain is built left-deep, as tall as it is long,
// and the passes over the tree (printing, the graph, evaluation, freeing it) recurse on it, the
// deepest with about 1.3 KB a level: 512 keeps them within the 0.7 MB the old bound of 256
// levels of nesting needed (docs/reliability.md).
inline constexpr int max_expr_height = 512;

// Per-parse state reachable from every rule through the context.
struct parse_state {
    const char* base = nullptr;  // start of the source text: spans are offsets from here
    int nesting = 0;
    const char* number_start = nullptr;  // the number being read, for errors about it
};
struct state_tag;

// Thrown by semantic actions for errors the grammar itself cannot express.
struct semantic_error {
    const char* where;
    std::string message;
};

// Whitespace and `#` comments. Classifier parsers (x3::space, x3::alnum) assert on bytes
// >= 0x80, which UTF-8 text is full of, so only explicit character sets are used.
inline const auto skipper = x3::char_(" \t\r\n\f\v") | ('#' >> *(x3::char_ - '\n'));
using skipper_type = std::remove_cv_t<decltype(skipper)>;

using phrase_context_type = x3::phrase_parse_context<skipper_type>::type;
using context_type = decltype(x3::make_context<state_tag>(std::declval<parse_state&>(),
                                                          std::declval<phrase_context_type const&>()));

}  // namespace mandate::syntax::parser
