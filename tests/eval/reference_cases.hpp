// What the directed engine-against-reference tests share (reference_disagreements_test.cpp,
// reference_time_disagreements_test.cpp): a plan compiled from its text, a reference row by
// rule, unit and first day, and the difference between the engine's report and the
// reference's for the same records.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mandate/mandate.hpp"
#include "reference/reference.hpp"
#include "reference_compare.hpp"

namespace reference_cases {

using mandate::calendar::day;

inline day on(const char* iso) { return *mandate::calendar::parse_iso(iso); }

struct fixture {
    mandate::plan plan;
    const mandate::check::plan& model() const { return plan->model(); }
};

inline fixture compile(const std::string& text) {
    auto compiled = mandate::compile(text, "plan.mandate");
    EXPECT_TRUE(compiled.ok());
    return fixture{*compiled};
}

// The reference's row of `rule` for `unit` whose period starts on `from`, or nullptr.
inline const mandate::reference::row* find(const mandate::reference::report& r, const std::string& rule, const std::string& unit,
                                           const std::string& from) {
    for (const auto* rows : {&r.results, &r.outcomes})
        for (const auto& x : *rows)
            if (x.rule == rule && x.unit.value_or("-") == unit && x.from == from) return &x;
    return nullptr;
}

// The engine fed every record, then asked once.
inline std::string engine_against_reference(const fixture& f, const std::vector<std::string>& lines, day as_of) {
    mandate::engine engine(f.plan);
    for (std::size_t i = 0; i < lines.size(); ++i) engine.add(lines[i], "records", i + 1);
    return mandate::testing::difference(engine.evaluate(as_of), mandate::reference::evaluate(f.model(), lines, as_of));
}

}  // namespace reference_cases
