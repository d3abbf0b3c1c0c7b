// Fuzz target: the CSV reader over the Goutang plan. The first byte picks how the rest is read
// (a registry or events with a type column, or events given as one type); a header the plan
// cannot use must be refused with an exception naming the file, never a crash, and the report
// must account for every row read.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <string>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static const char* const types[] = {"", "activity", "screen_play", "rep_training", "leaflet_delivered", "fraud_case"};
    const std::string type = types[data[0] % 6];
    const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
    mandate::engine e(mandate::fuzz::goutang());
    std::istringstream in(text);
    try {
        e.add_csv(in, "fuzz.csv", type);
    } catch (const std::runtime_error& x) {
        if (std::string(x.what()).rfind("fuzz.csv:", 0) != 0) std::abort();  // an error must say where
    }
    mandate::fuzz::check_accounting(e.evaluate(mandate::calendar::from_ymd(2023, 12, 31)));
    return 0;
}
