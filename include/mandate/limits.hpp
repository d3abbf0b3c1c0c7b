// Limits that keep untrusted input — a rule file, a test file, a stream of records — from
// exhausting memory or time. Passing one gives a clear error (a diagnostic, a rejected record,
// or a limit_error), never a crash or a silent loss. The defaults leave real plans ample room;
// a host may change them (`mandate ... --limit NAME=N` on the command line).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mandate {

// The parser's own bound on expression nesting, which protects the stack: max_expression_depth
// may be set lower, not higher.
inline constexpr std::uint32_t expression_depth_ceiling = 256;

struct limits {
    // A rule file or a test file, in bytes.
    std::size_t max_source_bytes = std::size_t{8} << 20;
    // Nesting of an expression: one level per operand below its operator, a chain of one
    // precedence (`a + a + ... + a`) one level however long; at most expression_depth_ceiling.
    std::uint32_t max_expression_depth = expression_depth_ceiling;
    // One record (a JSON line, a CSV row), in bytes.
    std::size_t max_record_bytes = std::size_t{256} << 10;
    // One string value of a record — an id, a unit, a ref, a text, a name — in bytes.
    std::size_t max_field_bytes = std::size_t{64} << 10;
    // Distinct entities an engine holds; records of further entities are rejected.
    std::uint64_t max_entities = 10'000'000;
    // Buckets (units × periods, all rules together) one report may hold. A bucket costs about
    // 160 bytes while a report is made (a JSON or CSV report is written as it is made; a table
    // or an HTML page holds its rows, about 400 bytes each), so the default keeps a report
    // within about 1.6 GB (4 GB as a table or page) whatever the registry holds.
    std::uint64_t max_buckets = 10'000'000;
};

// Thrown when an operation as a whole would pass a limit (a report with more buckets than
// max_buckets); the engine is left as it was.
struct limit_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Sets the limit `name` (as the members above are named) to `value`; returns an error message,
// or nothing when it was set. For the command line's --limit NAME=N.
std::optional<std::string> set_limit(limits& l, std::string_view name, std::string_view value);

// "max_source_bytes=8388608, max_expression_depth=256, ..." — the names and values, for help.
std::string describe(const limits& l);

}  // namespace mandate
