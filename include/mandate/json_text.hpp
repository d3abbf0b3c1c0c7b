// JSON text for strings: the CSV reader writes rows as JSON records with it, the report writers
// and the scenario runner their output.
#pragma once

#include <string>
#include <string_view>

namespace mandate::io {

// A JSON string literal for `s` (quotes included; UTF-8 kept, control characters escaped;
// bytes that are not valid UTF-8, a file name or a cut string, become U+FFFD, so the result
// is always valid JSON).
std::string json_string(std::string_view s);

}  // namespace mandate::io
