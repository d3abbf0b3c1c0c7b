// The subcommands of the `mandate` program. Each takes its arguments (without the command
// name) and returns the process exit code.
#pragma once

#include <functional>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "mandate/calendar/date.hpp"
#include "mandate/compile.hpp"
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
int watch(const std::vector<std::string>& args);

// The value of option args[i] (named `name`), moving i past it; a usage error when there is none.
std::string take_value(const std::vector<std::string>& args, std::size_t& i, const std::string& name);

// Compiles the plan, printing its diagnostics; nullptr when it does not compile.
plan load_plan(const std::string& path, const limits& l = {});

// A date option's value (`what` names the option in the message).
calendar::day parse_date_option(const std::string& text, const char* what);

// `--limit NAME=N` (args[i] is "--limit"): sets that limit and moves i past its value.
void take_limit(const std::vector<std::string>& args, std::size_t& i, limits& l);

// Reads a whole file ("-" is standard input), but never more than max_bytes + 1 bytes: a
// longer file comes back cut there, for the parser to refuse as over the limit. Throws
// usage_error naming the file when it cannot be opened.
std::string read_file(const std::string& path, std::size_t max_bytes = limits{}.max_source_bytes);
// read_file for a rule or test file, refusing a directory by name first: read, it would give
// empty text and so a misleading "no plan block" (or, for fmt, nothing to do).
std::string read_source_file(const std::string& path, std::size_t max_bytes = limits{}.max_source_bytes);
// Writes what `write` writes to `path` ("-" is standard output) as detail::output_file does
// (lib/support/output_file.hpp): a regular file is replaced whole, a device or a FIFO written
// through, a symbolic link followed, nothing left behind. Throws detail::output_error (exit 3).
void write_output(const std::string& path, const std::function<void(std::ostream&)>& write);

}  // namespace mandate::cli
