// What the fuzz targets share: the Goutang plan, compiled once, and the accounting invariant.
#pragma once

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "mandate/mandate.hpp"

namespace mandate::fuzz {

inline const plan& goutang() {
    static const plan p = [] {
        std::ifstream in(MANDATE_SOURCE_DIR "/rules/goutang-2023.mandate", std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        auto compiled = compile(text.str(), "goutang-2023.mandate");
        if (!compiled.ok()) std::abort();
        return compiled.value();
    }();
    return p;
}

// Every record read lands in exactly one class.
inline void check_accounting(const report& r) {
    const auto& in = r.inputs;
    if (in.read != in.entities + in.applied + in.duplicates + in.retracted + in.retractions + in.unresolved + in.rejected + in.waivers)
        std::abort();
    if (r.rejected.size() != in.rejected) std::abort();
}

}  // namespace mandate::fuzz
