// The checker: resolves names, types expressions, validates dates, windows and schedules,
// orders rules by what they read and rejects cycles. Reports every problem of a file in one
// pass, each pointing at its source position.
#pragma once

#include <memory>

#include "mandate/check/model.hpp"
#include "mandate/result.hpp"
#include "mandate/syntax/ast.hpp"

namespace mandate::check {

// Checks a parsed file. On success the result holds the plan; diagnostics are errors.
result<plan> check(const ast::file& file, const source_file& source);

// Parse and check in one step (the front end as a whole). Diagnostics of both stages.
result<plan> load(const source_file& source);

}  // namespace mandate::check
