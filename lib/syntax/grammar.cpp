// The one translation unit that instantiates the grammar (see grammar_def.hpp).
#include "grammar_def.hpp"

namespace mandate::syntax::parser {

BOOST_SPIRIT_INSTANTIATE(declaration_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(expression_type, iterator_type, context_type)

const declaration_type& declaration() { return declaration_rule; }
const expression_type& expression() { return expression_rule; }

}  // namespace mandate::syntax::parser
