// Writing reports: JSON (the `mandate.report/1` contract of DESIGN.md), CSV (one row per
// bucket) and a terminal table.
#pragma once

#include <iosfwd>
#include <string>

#include "mandate/eval/report.hpp"

namespace mandate::io {

// The JSON report: fields and ordering exactly as DESIGN.md specifies, one result per line.
void write_json(const report& r, std::ostream& out);
std::string to_json(const report& r);

// One line per obligation and outcome bucket, with a header row.
void write_csv(const report& r, std::ostream& out);

// A human-readable summary: buckets by obligation with their statuses, outcomes that fired,
// violations with evidence, and the input accounting.
void write_table(const report& r, std::ostream& out);

// A JSON string literal for `s` (quotes included; UTF-8 kept, control characters escaped).
std::string json_string(std::string_view s);

}  // namespace mandate::io
