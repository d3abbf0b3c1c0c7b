// Compiling a rule file: parse, check, and build the evaluation graph.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "mandate/graph/plan.hpp"
#include "mandate/limits.hpp"
#include "mandate/result.hpp"

namespace mandate {

// A compiled plan: cheap to copy, immutable.
using plan = std::shared_ptr<const graph::compiled_plan>;

// Parses, checks and compiles a rule file. `name` labels diagnostics ("file:line:col"); `l`
// bounds the file's size and its expressions' depth. A UTF-8 byte order mark at the start is
// dropped first: lines, columns and spans count from the character after it.
result<plan> compile(std::string_view source, std::string name = "<rules>", const limits& l = {});

}  // namespace mandate
