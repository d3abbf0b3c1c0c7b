// Fuzz target: the scenario test-file reader, against the Goutang plan. Any bytes: parsing and
// checking must not crash and every diagnostic must point inside the text and render; a file
// that checks must run (on real engines) without crashing, each expectation passing or failing
// with a message, and the counts adding up.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz_support.hpp"
#include "mandate/scenario/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const mandate::source_file source("fuzz.test.mandate", text);
    const auto& plan = mandate::fuzz::goutang();
    auto loaded = mandate::scenario::load(source, *plan);
    if (!loaded.ok()) {
        for (const auto& d : loaded.diagnostics()) {
            if (d.where.begin > text.size() || d.where.end > text.size() || d.message.empty()) std::abort();
            (void)mandate::render(d, source);
        }
        return 0;
    }
    const auto ran = mandate::scenario::run(loaded.value(), source, plan);
    if (ran.passed + ran.failed != ran.expectations.size()) std::abort();
    for (const auto& x : ran.expectations)
        if (!x.passed && x.message.empty()) std::abort();  // a failure must say why
    return 0;
}
