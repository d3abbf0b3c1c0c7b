// Fuzz target: the rule-file front end. Any bytes: parse, check and compile must not crash,
// every diagnostic must point inside the text and render; a file that parses must format to a
// text that parses again and formats to itself (fmt is idempotent), and a plan that compiles
// must print its graph.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "mandate/mandate.hpp"
#include "mandate/syntax/format.hpp"
#include "mandate/syntax/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const mandate::source_file source("fuzz.mandate", text);
    auto compiled = mandate::compile(text, "fuzz.mandate");
    if (!compiled.ok()) {
        for (const auto& d : compiled.diagnostics()) {
            if (d.where.begin > text.size() || d.where.end > text.size() || d.message.empty()) std::abort();
            (void)mandate::render(d, source);
        }
    } else {
        (void)compiled.value()->to_dot();
    }
    const auto parsed = mandate::syntax::parse(source);
    if (parsed.ok()) {
        const std::string once = mandate::syntax::format(parsed.file, source);
        const mandate::source_file again("fuzz.mandate", once);
        const auto reparsed = mandate::syntax::parse(again);
        if (!reparsed.ok()) std::abort();  // fmt wrote a file that does not parse
        if (mandate::syntax::format(reparsed.file, again) != once) std::abort();  // not idempotent
    }
    return 0;
}
