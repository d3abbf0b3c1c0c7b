// Declaration of the rule-language grammar: the rule objects the driver calls. The definitions
// live in grammar_def.hpp, which only grammar.cpp includes, so X3's templates are compiled once.
#pragma once

#include "config.hpp"
#include "mandate/syntax/ast.hpp"

namespace mandate::syntax::parser {

struct declaration_class;
struct expression_class;

using declaration_type = x3::rule<declaration_class, ast::declaration>;
using expression_type = x3::rule<expression_class, ast::expr>;

BOOST_SPIRIT_DECLARE(declaration_type, expression_type)

// One top-level declaration: plan, phase, kind, event, obligation or outcome.
const declaration_type& declaration();
// A whole expression (used by tests and by tools that parse a lone expression).
const expression_type& expression();

}  // namespace mandate::syntax::parser
