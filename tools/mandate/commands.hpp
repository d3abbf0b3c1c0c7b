// The subcommands of the `mandate` program. Each takes its arguments (without the command
// name) and returns the process exit code.
#pragma once

#include <functional>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "mandate/limits.hpp"

namespace mandate::cli {

struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

int lint(const std::vector<std::string>& args);
int fmt(const std::vector<std::string>& args);
int check(const std::vector<std::string>& args);
int graph(const std::vector<std::string>& args);
int explain(const std::vector<std::string>& args);
int test(const std::vector<std::string>& args);

// `--limit NAME=N` (args[i] is "--limit"): sets that limit and moves i past its value.
void take_limit(const std::vector<std::string>& args, std::size_t& i, limits& l);

// Reads a whole file ("-" is standard input), but never more than max_bytes + 1 bytes: a
// longer file comes back cut there, for the parser to refuse as over the limit. Throws
// usage_error naming the file when it cannot be opened.
std::string read_file(const std::string& path, std::size_t max_bytes = limits{}.max_source_bytes);
// Writes via a temporary file and rename, so a reader never sees half a file.
void write_file_atomic(const std::string& path, const std::string& contents);
// The same, streaming what `write` writes (for outputs too large to build in memory).
void write_file_atomic(const std::string& path, const std::function<void(std::ostream&)>& write);

}  // namespace mandate::cli
