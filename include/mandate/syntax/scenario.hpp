// Parsing scenario test files (`*.test.mandate`) into their AST. Like rule files: never throws
// on bad input, every problem is a diagnostic; after an error inside a block the parser resumes
// at the next statement, and after an error in a block's head at the next declaration.
#pragma once

#include <string_view>
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

// Whether a text is a test file rather than a rule file, for a file whose name does not say
// (`*.test.mandate` does): true when, past blanks and comments, it opens with `given` or
// `test`, or with `plan NAME` followed by `given`, `test` or nothing (a rule file's plan opens
// a `{`). Anything else is taken for a rule file, so its errors are a rule file's.
bool looks_like_scenarios(std::string_view text);

}  // namespace mandate::syntax
