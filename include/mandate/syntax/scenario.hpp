// Parsing scenario test files (`*.test.mandate`) into their AST. Like rule files: never throws
// on bad input, every problem is a diagnostic; after an error inside a block the parser resumes
// at the next statement, and after an error in a block's head at the next declaration.
#pragma once

#include <vector>

#include "mandate/diagnostic.hpp"
#include "mandate/limits.hpp"
#include "mandate/syntax/scenario_ast.hpp"

namespace mandate::syntax {

struct scenario_parse_output {
    ast::scenario::file file;             // the declarations that parsed
    std::vector<diagnostic> diagnostics;  // errors; empty when the whole file parsed
    bool ok() const { return diagnostics.empty(); }
};

// Parses a whole test file, refusing one over `l.max_source_bytes`. Thread-safe (no shared
// state).
scenario_parse_output parse_scenarios(const source_file& source, const limits& l = {});

}  // namespace mandate::syntax
