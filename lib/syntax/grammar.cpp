// The one translation unit that instantiates the grammar (see grammar_def.hpp).
#include "grammar_def.hpp"

namespace mandate::syntax::parser {

BOOST_SPIRIT_INSTANTIATE(declaration_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(expression_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(scenario_plan_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(scenario_given_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(scenario_test_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(scenario_statement_type, iterator_type, context_type)

const declaration_type& declaration() { return declaration_rule; }
const expression_type& expression() { return expression_rule; }
const scenario_plan_type& scenario_plan() { return scenario_plan_rule; }
const scenario_given_type& scenario_given() { return scenario_given_rule; }
const scenario_test_type& scenario_test() { return scenario_test_rule; }
const scenario_statement_type& scenario_statement() { return scenario_statement_rule; }

}  // namespace mandate::syntax::parser
