// test: scenario tests for rule files. Checks every test file against the plan first (any
// error exits 2 before a test runs), then runs them and prints one line per failing
// expectation, and with -v per passing one, then "N passed, N failed" (expectations).
#include <filesystem>
#include <iostream>

#include "commands.hpp"
#include "help.hpp"
#include "mandate/mandate.hpp"
#include "mandate/scenario/scenario.hpp"

namespace mandate::cli {

int test(const std::vector<std::string>& args) {
    bool verbose = false;
    limits l;
    std::vector<std::string> files;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "-v" || a == "--verbose") verbose = true;
        else if (a == "--limit") take_limit(args, i, l);
        else if (a.size() > 1 && a[0] == '-') refuse_unknown_option("test", a);
        else files.push_back(a);
    }
    if (files.empty()) throw usage_error("usage: mandate test PLAN [TESTS...] [-v]");
    const std::string plan_path = files.front();
    const std::string plan_text = read_source_file(plan_path, l.max_source_bytes);
    std::vector<std::string> tests(files.begin() + 1, files.end());
    if (tests.empty()) {
        // PLAN.mandate's own tests sit beside it as PLAN.test.mandate.
        std::string stem = plan_path;
        if (stem.size() > 8 && stem.compare(stem.size() - 8, 8, ".mandate") == 0) stem.resize(stem.size() - 8);
        const std::string sibling = stem + ".test.mandate";
        std::error_code ec;
        if (!std::filesystem::is_regular_file(sibling, ec))
            throw usage_error("no test files given, and " + sibling + " does not exist");
        tests.push_back(sibling);
    }

    auto compiled = compile(plan_text, plan_path, l);
    if (!compiled.ok()) {
        const source_file source(plan_path, plan_text);
        for (const auto& d : compiled.diagnostics()) std::cerr << render(d, source);
        const std::size_t n = compiled.diagnostics().size();
        std::cerr << n << (n == 1 ? " error" : " errors") << " in the rule file\n";
        return 2;
    }
    const plan p = compiled.value();

    std::vector<source_file> sources;
    std::vector<scenario::suite> suites;
    std::size_t errors = 0;
    for (const auto& path : tests) {
        sources.emplace_back(path == "-" ? "<stdin>" : path, read_source_file(path, l.max_source_bytes));
        auto loaded = scenario::load(sources.back(), *p, l);
        for (const auto& d : loaded.diagnostics()) std::cerr << render(d, sources.back());
        errors += loaded.diagnostics().size();
        if (loaded.ok()) suites.push_back(std::move(loaded).value());
        else suites.emplace_back();
    }
    if (errors > 0) {
        std::cerr << errors << (errors == 1 ? " error\n" : " errors\n");
        return 2;
    }

    std::size_t passed = 0, failed = 0;
    for (std::size_t i = 0; i < suites.size(); ++i) {
        const scenario::run_result r = scenario::run(suites[i], sources[i], p);
        for (const auto& x : r.expectations) {
            const std::string where = sources[i].name() + ":" + std::to_string(x.pos.line) + ":" + std::to_string(x.pos.column);
            if (!x.passed) std::cout << where << ": FAIL test " << x.test << ": " << x.message << "\n";
            else if (verbose) std::cout << where << ": pass test " << x.test << ": " << x.text << "\n";
        }
        passed += r.passed;
        failed += r.failed;
    }
    std::cout << passed << " passed, " << failed << " failed\n";
    return failed > 0 ? 1 : 0;
}

}  // namespace mandate::cli
