// The canonical layout of a rule file (`mandate fmt`). Comments are kept, attached to the
// line they lead or trail; blank lines between declarations are kept (at most one), and
// blocks are always set apart by one. Idempotent: format(parse(format(x))) == format(x).
#pragma once

#include <string>

#include "mandate/diagnostic.hpp"
#include "mandate/syntax/ast.hpp"

namespace mandate::syntax {

// Lays out `file`, which was parsed from `source` (used to place comments and blank lines).
std::string format(const ast::file& file, const source_file& source);

}  // namespace mandate::syntax
