// How many rounds a randomised test runs: its full count times MANDATE_TEST_SCALE (a number in
// (0, 1], default 1). The sanitizer builds of CI set 0.1: there each round costs ten times more,
// and a tenth of the inputs still reaches every path the checks are after.
#pragma once

#include <algorithm>
#include <cstdlib>

namespace mandate::testing {

inline double test_scale() {
    const char* text = std::getenv("MANDATE_TEST_SCALE");
    const double f = text ? std::atof(text) : 1.0;
    return f > 0 && f <= 1 ? f : 1.0;
}

inline int scaled(int rounds) { return std::max(1, static_cast<int>(rounds * test_scale())); }

}  // namespace mandate::testing
