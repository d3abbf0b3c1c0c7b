// lint and fmt: the front-end commands.
#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "commands.hpp"
#include "help.hpp"
#include "mandate/check/check.hpp"
#include "mandate/mandate.hpp"
#include "mandate/scenario/scenario.hpp"
#include "mandate/syntax/format.hpp"
#include "mandate/syntax/parse.hpp"
#include "mandate/syntax/scenario.hpp"
#include "support/output_file.hpp"
#include "unified_diff.hpp"

namespace mandate::cli {

std::string read_file(const std::string& path, std::size_t max_bytes) {
    // At most one byte past the limit: enough for the parser to refuse the file with its usual
    // diagnostic, so a 3 GB file, /dev/zero or a pipe that never ends is refused as promptly,
    // and in as little memory, as a file just over the limit.
    const std::size_t wanted = max_bytes < SIZE_MAX ? max_bytes + 1 : max_bytes;
    std::string text;
    auto take = [&](std::istream& in) {
        static constexpr std::size_t chunk = std::size_t{1} << 16;
        while (text.size() < wanted && in) {
            const std::size_t at = text.size();
            text.resize(at + std::min(chunk, wanted - at));
            in.read(text.data() + at, static_cast<std::streamsize>(text.size() - at));
            text.resize(at + static_cast<std::size_t>(in.gcount()));
        }
    };
    if (path == "-") {
        take(std::cin);
        return text;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw usage_error("cannot read " + path + ": " + std::strerror(errno));
    take(in);
    return text;
}

void write_output(const std::string& path, const std::function<void(std::ostream&)>& write) {
    if (path == "-") {
        std::cout.flush();  // what was written through std::cout goes first
        detail::output_stream out{detail::standard_output_tag{}};
        write(out);
        out.finish();
        return;
    }
    detail::output_file file(path);
    detail::output_stream out(file);
    write(out);
    out.finish();
}

std::string read_source_file(const std::string& path, std::size_t max_bytes) {
    std::error_code ec;
    if (path != "-" && std::filesystem::is_directory(path, ec)) throw usage_error("cannot read " + path + ": it is a directory");
    std::string text = read_file(path, max_bytes);
    // A UTF-8 byte order mark (as some Windows editors write) is not part of the rules: without
    // it, columns count from the first character one sees. fmt writes the file without it.
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
    return text;
}

std::string take_value(const std::vector<std::string>& args, std::size_t& i, const std::string& name) {
    if (i + 1 >= args.size()) throw usage_error(name + " needs a value");
    return args[++i];
}

void take_limit(const std::vector<std::string>& args, std::size_t& i, limits& l) {
    if (i + 1 >= args.size()) throw usage_error("--limit needs NAME=N (" + describe(limits{}) + ")");
    const std::string& value = args[++i];
    const std::size_t eq = value.find('=');
    if (eq == std::string::npos) throw usage_error("--limit needs NAME=N, not '" + value + "'");
    if (auto problem = set_limit(l, std::string_view(value).substr(0, eq), std::string_view(value).substr(eq + 1)))
        throw usage_error(*problem);
}

namespace {

const std::string test_suffix = ".test.mandate";

bool ends_with(const std::string& s, const std::string& end) {
    return s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0;
}

// A scenario test file by its name, or, for standard input and any other name, by its first
// declaration (syntax::looks_like_scenarios).
bool is_test_file(const std::string& path, const std::string& text) {
    return ends_with(path, test_suffix) || syntax::looks_like_scenarios(text);
}

std::size_t print_diagnostics(const std::vector<diagnostic>& diagnostics, const source_file& source) {
    for (const auto& d : diagnostics) std::cerr << render(d, source);
    return diagnostics.size();
}

// Parses a test file and, when its plan NAME.mandate sits beside NAME.test.mandate, checks it
// against the plan as `mandate test` does before running it. Without a plan that compiles, a
// note says only the syntax was checked. Returns the number of diagnostics printed.
std::size_t lint_test_file(const std::string& path, const source_file& source, const limits& l) {
    const auto parsed = syntax::parse_scenarios(source, l);
    if (!parsed.ok()) return print_diagnostics(parsed.diagnostics, source);
    const std::string plan_path =
        ends_with(path, test_suffix) ? path.substr(0, path.size() - test_suffix.size()) + ".mandate" : "";
    std::error_code ec;
    if (plan_path.empty() || !std::filesystem::is_regular_file(plan_path, ec)) {
        std::cerr << source.name() << ": note: "
                  << (plan_path.empty() ? "not named NAME.test.mandate, so there is no plan" : "no plan " + plan_path)
                  << " to check the tests against; only their syntax was checked\n";
        return 0;
    }
    const auto compiled = compile(read_source_file(plan_path, l.max_source_bytes), plan_path, l);
    if (!compiled.ok()) {
        std::cerr << source.name() << ": note: " << plan_path
                  << " has errors (lint it); only the syntax of the tests was checked\n";
        return 0;
    }
    return print_diagnostics(scenario::check(parsed.file, source, *compiled.value()).diagnostics(), source);
}

// The canonical text of a rule or test file, or nothing when it does not parse (its errors
// printed).
std::optional<std::string> formatted_text(const std::string& path, const source_file& source) {
    if (is_test_file(path, source.text())) {
        const auto parsed = syntax::parse_scenarios(source);
        if (!parsed.ok()) return print_diagnostics(parsed.diagnostics, source), std::nullopt;
        return syntax::format(parsed.file, source);
    }
    const auto parsed = syntax::parse(source);
    if (!parsed.ok()) return print_diagnostics(parsed.diagnostics, source), std::nullopt;
    return syntax::format(parsed.file, source);
}

}  // namespace

int lint(const std::vector<std::string>& args) {
    limits l;
    bool werror = false;
    std::vector<std::string> files, allowed;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--limit") take_limit(args, i, l);
        else if (args[i] == "--werror") werror = true;
        else if (args[i] == "--allow") {
            const std::string name = take_value(args, i, "--allow");
            const auto& known = check::warning_names;
            if (std::find(std::begin(known), std::end(known), name) == std::end(known)) {
                std::string list;
                for (const char* k : known) list += std::string(list.empty() ? "" : ", ") + k;
                throw usage_error("--allow takes the name of a warning (" + list + "), not '" + name + "'");
            }
            allowed.push_back(name);
        } else if (args[i].size() > 1 && args[i][0] == '-') refuse_unknown_option("lint", args[i]);
        else files.push_back(args[i]);
    }
    if (files.empty()) throw usage_error("usage: mandate lint [--werror] [--allow WARNING] [--limit NAME=N] FILE...");
    std::size_t errors = 0, warnings = 0;
    for (const auto& path : files) {
        source_file source(path == "-" ? "<stdin>" : path, read_source_file(path, l.max_source_bytes));
        if (is_test_file(path, source.text())) {
            errors += lint_test_file(path, source, l);
            continue;
        }
        for (const auto& d : check::lint(source, l, allowed)) {
            std::cerr << render(d, source);
            ++(d.level == severity::warning ? warnings : errors);
        }
    }
    auto count = [](std::size_t n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); };
    if (errors > 0 && warnings > 0) std::cerr << count(errors, "error", "errors") << " and " << count(warnings, "warning", "warnings") << "\n";
    else if (errors > 0) std::cerr << count(errors, "error", "errors") << "\n";
    else if (warnings > 0) std::cerr << count(warnings, "warning", "warnings") << (werror ? " (--werror)\n" : "\n");
    if (errors > 0 || (werror && warnings > 0)) return 2;
    return 0;
}

int fmt(const std::vector<std::string>& args) {
    bool check_only = false;
    std::vector<std::string> files;
    for (const auto& a : args) {
        if (a == "--check") check_only = true;
        else if (a.size() > 1 && a[0] == '-') refuse_unknown_option("fmt", a);
        else files.push_back(a);
    }
    if (files.empty()) throw usage_error("usage: mandate fmt [--check] FILE...");
    int status = 0;
    for (const auto& path : files) {
        source_file source(path == "-" ? "<stdin>" : path, read_source_file(path));
        const std::optional<std::string> formatted = formatted_text(path, source);
        if (!formatted) {
            status = 2;
            continue;
        }
        if (path == "-" && !check_only) {
            std::cout << *formatted;
            continue;
        }
        if (*formatted == source.text()) continue;
        if (check_only) {
            // The diff on standard output, to read or to apply with patch -p1; the verdict on
            // standard error, as black prints them.
            std::cout << unified_diff(source.name(), source.text(), *formatted);
            std::cerr << "would reformat " << source.name() << "\n";
            status = std::max(status, 1);
        } else {
            write_output(path, [&](std::ostream& out) { out << *formatted; });
        }
    }
    return status;
}

}  // namespace mandate::cli
