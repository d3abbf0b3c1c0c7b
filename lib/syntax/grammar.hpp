// Declaration of the rule-language grammar: the rule objects the driver calls. The definitions
// live in grammar_def.hpp, which only grammar.cpp includes, so X3's templates are compiled once.
#pragma once

#include "config.hpp"
#include "mandate/syntax/ast.hpp"
#include "mandate/syntax/scenario_ast.hpp"

namespace mandate::syntax::parser {

struct declaration_class;
struct expression_class;

using declaration_type = x3::rule<declaration_class, ast::declaration>;
using expression_type = x3::rule<expression_class, ast::expr>;

struct scenario_plan_class;
struct scenario_given_class;
struct scenario_test_class;
struct scenario_statement_class;

using scenario_plan_type = x3::rule<scenario_plan_class, ast::scenario::plan_ref>;
using scenario_given_type = x3::rule<scenario_given_class, ast::scenario::given_block>;
using scenario_test_type = x3::rule<scenario_test_class, ast::scenario::test_block>;
using scenario_statement_type = x3::rule<scenario_statement_class, ast::scenario::statement>;

BOOST_SPIRIT_DECLARE(declaration_type, expression_type, scenario_plan_type, scenario_given_type, scenario_test_type,
                     scenario_statement_type)

// One top-level declaration: plan, phase, kind, event, obligation or outcome.
const declaration_type& declaration();
// A whole expression (used by tests and by tools that parse a lone expression).
const expression_type& expression();

// Scenario test files: the driver reads the block structure itself, one statement at a time,
// so that an error inside a test resumes at the next statement.
const scenario_plan_type& scenario_plan();            // plan NAME
const scenario_given_type& scenario_given();          // given {
const scenario_test_type& scenario_test();            // test NAME ["label"] {
const scenario_statement_type& scenario_statement();  // entity, event, retract, record, as_of, expect

}  // namespace mandate::syntax::parser
