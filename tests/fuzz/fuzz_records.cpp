// Fuzz target: the JSON Lines reader and the engine behind it, over the Goutang plan. Any
// bytes as a JSON Lines stream: reading must not crash, the report must account for every
// record (inputs.read equals the sum of the other counts) and be written as JSON, and adding
// the same stream a second time must change no result (every event is then a duplicate).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "fuzz_support.hpp"
#include "mandate/report/report_writer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    mandate::engine e(mandate::fuzz::goutang());
    std::istringstream in(text);
    e.add_jsonl(in, "fuzz.jsonl");
    const auto as_of = mandate::calendar::from_ymd(2023, 12, 31);
    const mandate::report first = e.evaluate(as_of);
    mandate::fuzz::check_accounting(first);
    (void)mandate::io::to_json(first);
    std::istringstream again(text);
    e.add_jsonl(again, "fuzz.jsonl");
    const mandate::report second = e.evaluate(as_of);
    mandate::fuzz::check_accounting(second);
    if (second.results.size() != first.results.size()) std::abort();
    for (std::size_t i = 0; i < first.results.size(); ++i)
        if (first.results[i].status != second.results[i].status || first.results[i].span.from != second.results[i].span.from)
            std::abort();  // sending the records again changed a verdict
    return 0;
}
