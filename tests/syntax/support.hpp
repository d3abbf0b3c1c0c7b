// Helpers shared by the front-end test programs (tests/syntax and tests/check include this
// header): reading test files, and diagnostics and ASTs in forms a test can compare.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "mandate/check/check.hpp"
#include "mandate/diagnostic.hpp"
#include "mandate/syntax/parse.hpp"
#include "mandate/syntax/print.hpp"

namespace mandate::testing {

inline std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline std::string goutang_path() { return std::string(MANDATE_SOURCE_DIR) + "/rules/goutang-2023.mandate"; }
inline std::string golden_dir() { return std::string(MANDATE_TESTS_DIR) + "/golden"; }

// "3:7: error: message": a diagnostic without its file name.
inline std::string brief(const diagnostic& d) {
    const char* level = d.level == severity::error ? "error" : (d.level == severity::warning ? "warning" : "note");
    return std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column) + ": " + level + ": " + d.message;
}

inline std::vector<std::string> briefs(const std::vector<diagnostic>& ds) {
    std::vector<std::string> out;
    for (const auto& d : ds) out.push_back(brief(d));
    return out;
}

// Diagnostics of the parser alone.
inline std::vector<std::string> parse_errors(const std::string& text) {
    const source_file source("test.mandate", text);
    return briefs(syntax::parse(source).diagnostics);
}

// Diagnostics of the whole front end (parse, then check).
inline std::vector<std::string> load_errors(const std::string& text) {
    const source_file source("test.mandate", text);
    return briefs(check::load(source).diagnostics());
}

// The S-expression dump without `@line:column` marks, for comparing two parses of
// differently laid-out texts.
inline std::string shape(const std::string& text) {
    const source_file source("shape.mandate", text);
    const auto parsed = syntax::parse(source);
    if (!parsed.ok()) throw std::runtime_error("does not parse: " + brief(parsed.diagnostics.front()));
    return syntax::to_sexpr(parsed.file);
}

// Checks a text that must load without diagnostics; throws with the first one otherwise.
inline check::plan load_ok(const std::string& text) {
    const source_file source("test.mandate", text);
    auto loaded = check::load(source);
    if (!loaded.ok()) {
        std::string all;
        for (const auto& d : loaded.diagnostics()) all += brief(d) + "\n";
        throw std::runtime_error("does not load:\n" + all);
    }
    return std::move(loaded).value();
}

}  // namespace mandate::testing
