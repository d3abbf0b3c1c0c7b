// A compiled plan for a test, from rule text that must compile: a diagnostic fails the test
// and stops it (nothing after could be meaningful).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "mandate/mandate.hpp"

namespace mandate::testing {

inline plan build(const std::string& text) {
    auto compiled = compile(text, "test.mandate");
    if (!compiled.ok()) {
        for (const auto& d : compiled.diagnostics()) ADD_FAILURE() << headline(d);
        std::abort();
    }
    return *compiled;
}

}  // namespace mandate::testing
