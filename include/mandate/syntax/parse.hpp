// Parsing a rule file into its AST. Never throws on bad input: every problem becomes a
// diagnostic, and after an error the parser resumes at the next declaration so that one run
// reports all the errors of a file.
#pragma once

#include <vector>

#include "mandate/diagnostic.hpp"
#include "mandate/limits.hpp"
#include "mandate/result.hpp"
#include "mandate/syntax/ast.hpp"

namespace mandate::syntax {

struct parse_output {
    ast::file file;                        // the declarations that parsed, and every comment
    std::vector<diagnostic> diagnostics;   // errors; empty when the whole file parsed
    // The declarations that did not parse, as their keyword and name ("kind", "village"; the
    // name empty when none could be read): what the checker cannot know of.
    struct broken_declaration {
        std::string keyword, name;
    };
    std::vector<broken_declaration> broken;
    bool ok() const { return diagnostics.empty(); }
};

// Parses a whole rule file, refusing one over `l.max_source_bytes`. Thread-safe (no shared
// state).
parse_output parse(const source_file& source, const limits& l = {});

// Parses `source` as one expression (for tests and tools); the whole text must be consumed.
result<ast::expr> parse_expression(const source_file& source);

// The `#` comments of a text, outside strings, in order.
std::vector<ast::comment> scan_comments(std::string_view text);

}  // namespace mandate::syntax
