// The engine against the reference evaluator (tests/reference): thousands of random record
// streams over the Goutang plan and the flood-drill plan, each evaluated as of several dates;
// every row of both reports must agree. The reference recomputes everything naively from the
// record list, so an index, a memo or an incremental shortcut in the engine that goes wrong
// shows up here.
#include <gtest/gtest.h>

#include "support/scale.hpp"

#include <fstream>
#include <sstream>

#include "mandate/check/check.hpp"
#include "mandate/mandate.hpp"
#include "reference/reference.hpp"
#include "reference_compare.hpp"
#include "reference_stream.hpp"

namespace {

using mandate::calendar::day;
using mandate::testing::difference;
using mandate::testing::read;

void differential(const std::string& rule_file, int streams, std::uint64_t seed_base) {
    const std::string text = read(std::string(MANDATE_SOURCE_DIR) + "/" + rule_file);
    auto compiled = mandate::compile(text, rule_file);
    ASSERT_TRUE(compiled.ok()) << rule_file << " does not compile";
    const mandate::check::plan& model = (*compiled)->model();
    int compared = 0;
    for (int s = 0; s < streams; ++s) {
        const std::uint64_t seed = seed_base + static_cast<std::uint64_t>(s);
        const auto lines = mandate::testing::random_stream(model, seed);
        mandate::engine engine(*compiled);
        for (std::size_t i = 0; i < lines.size(); ++i) engine.add(lines[i], "stream", i + 1);
        for (day as_of : mandate::testing::random_dates(model, seed, 2)) {
            const auto mine = engine.evaluate(as_of);
            const auto ref = mandate::reference::evaluate(model, lines, as_of);
            const std::string diff = difference(mine, ref);
            ++compared;
            if (!diff.empty()) {
                std::string records;
                for (const auto& l : lines) records += "  " + l + "\n";
                FAIL() << rule_file << ", seed " << seed << ", as of " << mandate::calendar::to_iso(as_of) << ": " << diff
                       << "\nrecords:\n" << records;
            }
        }
    }
    EXPECT_EQ(compared, streams * 2);
}

// The reference evaluator reads LANGUAGE.md v1 only: the Goutang plan as it stood before its
// revised readings (which use LANGUAGE-v2.md) stands in for it.
TEST(Differential, GoutangPlanAgreesWithReference) {
    differential("tests/reference/goutang-2023-v1.mandate", mandate::testing::scaled(1000), 1000);
}

TEST(Differential, FloodDrillPlanAgreesWithReference) { differential("rules/flood-drill-2024.mandate", mandate::testing::scaled(1000), 500000); }

// The generator itself: deterministic for a seed, different across seeds.
TEST(Differential, StreamsAreDeterministic) {
    const std::string text = read(std::string(MANDATE_SOURCE_DIR) + "/rules/goutang-2023.mandate");
    auto compiled = mandate::compile(text, "goutang");
    ASSERT_TRUE(compiled.ok());
    const auto& model = (*compiled)->model();
    EXPECT_EQ(mandate::testing::random_stream(model, 7), mandate::testing::random_stream(model, 7));
    EXPECT_NE(mandate::testing::random_stream(model, 7), mandate::testing::random_stream(model, 8));
}

}  // namespace
