// The canonical layout of a rule file or a scenario test file (`mandate fmt`). Comments are
// kept, attached to the line they lead or trail; blank lines between declarations and between
// a test's statements are kept (at most one), and blocks are always set apart by one.
// Idempotent: format(parse(format(x))) == format(x).
#pragma once

#include <string>

#include "mandate/diagnostic.hpp"
#include "mandate/syntax/ast.hpp"
#include "mandate/syntax/scenario_ast.hpp"

namespace mandate::syntax {

// Lays out `file`, which was parsed from `source` (used to place comments and blank lines).
std::string format(const ast::file& file, const source_file& source);

// Lays out a test file parsed from `source` (parse_scenarios): `plan NAME`, then each `given`
// and `test` block with one statement per line, indented two spaces, a record's fields on its
// line (`{ venue: "park", crowded: true }`).
std::string format(const ast::scenario::file& file, const source_file& source);

}  // namespace mandate::syntax
