// The checker: resolves names, types expressions, validates dates, windows and schedules,
// orders rules by what they read and rejects cycles. Reports every problem of a file in one
// pass, each pointing at its source position.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mandate/check/model.hpp"
#include "mandate/limits.hpp"
#include "mandate/result.hpp"
#include "mandate/syntax/ast.hpp"

namespace mandate::check {

// Checks a parsed file. On success the result holds the plan; diagnostics are errors. An
// expression nested deeper than `l.max_expression_depth` is one.
result<plan> check(const ast::file& file, const source_file& source, const limits& l = {});

// Parse and check in one step (the front end as a whole). Diagnostics of both stages.
result<plan> load(const source_file& source, const limits& l = {});

// The names of the warnings lint gives (docs/language.md, "Warnings"): no-timezone, no-cite,
// percent-scale, warn-too-long, unused-kind, unused-event.
inline const char* const warning_names[] = {"no-timezone", "no-cite", "percent-scale", "warn-too-long", "unused-kind",
                                            "unused-event"};

// What `mandate lint` reports: the errors of load(), or, for a file without errors, its
// warnings, in source order. A warning is left out when its name is in `allowed`, or when a
// comment `# lint: allow NAME` stands on its line or the line above.
std::vector<diagnostic> lint(const source_file& source, const limits& l = {}, const std::vector<std::string>& allowed = {});

// Why a date literal names no supported day ("2023-02-30 is not a date: February 2023 has 28
// days"), or nothing when it is one. For every reader of dates written in source (test files).
std::optional<std::string> date_problem(const ast::date_lit& d);

// ", did you mean 'village'?" when one of `known` is close enough to `wrong`, else "". The
// checker's own suggestions, for other readers of names (scenario tests) to match.
std::string did_you_mean(const std::string& wrong, const std::vector<std::string>& known);

}  // namespace mandate::check
