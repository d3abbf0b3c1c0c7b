// The engine against the reference evaluator after every step of a stream, not only at its end:
// random streams over the Goutang, campus, flood-drill and county work-safety plans, the v2
// construct plans and every conformance case's plan (the v2 cases of LANGUAGE-v2.md too) — adds,
// duplicates, conflicts, retractions before and after their event, entity versions (some
// changing a unit's fields), waivers (excuses and extensions, some for no bucket, some
// retracted), records waiting for an entity that arrives later — with the watch date moved
// forward and back along the way. After each step:
//   - the report as of the watch date equals the reference's, computed from scratch from the
//     records so far (every row and every input count);
//   - what a subscriber heard during the step equals the difference between the reference's
//     reports before and after it (a record changes the buckets it touches; moving the watch
//     date changes those whose state differs between the two dates).
// And without a subscriber (or with one watching another date), reports after each record as of
// dates drawn forward and back, which read the evaluation kept from the report before.
// This is the safety net of incremental evaluation: a bucket that is not updated, or updated
// wrongly, by some record or some date shows up here. Scaled by MANDATE_TEST_SCALE; at full
// size with MANDATE_DIFFERENTIAL_FULL=1 (twenty times the streams).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "mandate/mandate.hpp"
#include "reference/reference.hpp"
#include "reference_compare.hpp"
#include "reference_stream.hpp"
#include "support/scale.hpp"

namespace {

using mandate::calendar::day;
namespace fs = std::filesystem;

int streams(int base) {
    const char* full = std::getenv("MANDATE_DIFFERENTIAL_FULL");
    return mandate::testing::scaled(full && std::string(full) == "1" ? base * 20 : base);
}

std::string listing(const std::vector<std::string>& lines, std::size_t upto) {
    std::string out;
    for (std::size_t i = 0; i < upto && i < lines.size(); ++i) out += "  " + lines[i] + "\n";
    return out;
}

std::string joined(const std::vector<std::string>& changes) {
    std::string out;
    for (const auto& c : changes) out += "    " + c + "\n";
    return out.empty() ? "    (none)\n" : out;
}

// Streams of 10 to 45 events over at most two entities of each kind: small enough to compare
// after every record, large enough to close, reopen and trigger buckets.
mandate::testing::stream_shape small_streams(const mandate::check::plan&) {
    mandate::testing::stream_shape shape;
    shape.min_events = 10;
    shape.max_events = 45;
    shape.max_entities_per_kind = 2;
    return shape;
}

// Returns how many changes subscribers heard in all (so a caller can see the streams did change
// buckets: a comparison of silences would prove nothing).
std::size_t step_by_step(const std::string& name, const std::string& text, int count, std::uint64_t seed_base) {
    std::size_t changes = 0;
    auto compiled = mandate::compile(text, name);
    EXPECT_TRUE(compiled.ok()) << name << " does not compile";
    if (!compiled.ok()) return 0;
    const mandate::check::plan& model = (*compiled)->model();
    const mandate::testing::stream_shape shape = small_streams(model);
    for (int s = 0; s < count; ++s) {
        const std::uint64_t seed = seed_base + static_cast<std::uint64_t>(s);
        const auto lines = mandate::testing::random_stream(model, seed, shape);
        const auto dates = mandate::testing::random_dates(model, seed, 4);
        mandate::testing::rng r(seed ^ 0x5EEDu);
        day watch = dates[0];
        mandate::engine engine(*compiled);
        engine.set_watch_date(watch);
        std::vector<std::string> heard;
        engine.subscribe([&](const mandate::status_change& c) { heard.push_back(mandate::testing::describe(c)); });
        std::vector<std::string> so_far;
        auto before = mandate::testing::states_of(mandate::reference::evaluate(model, so_far, watch));
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (r.chance(12)) {
                // The watch date moves, forward or back: what is heard is the difference between
                // the reference's reports as of the two dates.
                watch = dates[1 + r.below(3)];
                heard.clear();
                engine.set_watch_date(watch);
                const auto moved = mandate::testing::states_of(mandate::reference::evaluate(model, so_far, watch));
                auto got = heard;
                std::sort(got.begin(), got.end());
                const auto want = mandate::testing::changes_between(before, moved);
                changes += got.size();
                EXPECT_EQ(got, want) << name << ", seed " << seed << ": the watch date moved to "
                                     << mandate::calendar::to_iso(watch) << " after record " << i << ":\n  heard:\n"
                                     << joined(got) << "  the reference's difference:\n" << joined(want);
                if (got != want) return changes;
                before = moved;
            }
            so_far.push_back(lines[i]);
            heard.clear();
            engine.add(lines[i], "stream", i + 1);
            const auto ref = mandate::reference::evaluate(model, so_far, watch);
            auto got = heard;
            std::sort(got.begin(), got.end());
            const auto after = mandate::testing::states_of(ref);
            const auto want = mandate::testing::changes_between(before, after);
            changes += got.size();
            bool differs = got != want;
            EXPECT_EQ(got, want) << name << ", seed " << seed << ", after record " << i + 1 << " (" << lines[i] << "), watching "
                                 << mandate::calendar::to_iso(watch) << ":\n  heard:\n" << joined(got) << "  the reference's difference:\n"
                                 << joined(want) << "records:\n" << listing(lines, i + 1);
            const std::string diff = mandate::testing::difference(engine.evaluate(watch), ref);
            differs = differs || !diff.empty();
            EXPECT_EQ(diff, "") << name << ", seed " << seed << ", after record " << i + 1 << ", as of "
                                << mandate::calendar::to_iso(watch) << "\nrecords:\n" << listing(lines, i + 1);
            before = after;
            if (differs) return changes;  // the first difference of a stream is the one to read
        }
    }
    return changes;
}

// Reports kept between calls: after every record, a report as of a date drawn from four (so
// the kept evaluation moves forward, back, or stays), against the reference's from scratch.
// With `subscribed`, a subscriber watches one of the dates meanwhile, so reports as of the
// watch date read the subscribers' evaluation and the others the report's own.
void reports_step_by_step(const std::string& name, const std::string& text, int count, std::uint64_t seed_base, bool subscribed) {
    auto compiled = mandate::compile(text, name);
    ASSERT_TRUE(compiled.ok()) << name << " does not compile";
    const mandate::check::plan& model = (*compiled)->model();
    const mandate::testing::stream_shape shape = small_streams(model);
    for (int s = 0; s < count; ++s) {
        const std::uint64_t seed = seed_base + static_cast<std::uint64_t>(s);
        const auto lines = mandate::testing::random_stream(model, seed, shape);
        const auto dates = mandate::testing::random_dates(model, seed, 4);
        mandate::testing::rng r(seed ^ 0xCAFEu);
        mandate::engine engine(*compiled);
        std::size_t heard = 0;
        if (subscribed) {
            engine.set_watch_date(dates[0]);
            engine.subscribe([&](const mandate::status_change&) { ++heard; });
        }
        std::vector<std::string> so_far;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            so_far.push_back(lines[i]);
            engine.add(lines[i], "stream", i + 1);
            // Sometimes no report after a record: the next one catches up on several.
            if (r.chance(25)) continue;
            const day as_of = dates[r.below(4)];
            const std::string diff =
                mandate::testing::difference(engine.evaluate(as_of), mandate::reference::evaluate(model, so_far, as_of));
            EXPECT_EQ(diff, "") << name << ", seed " << seed << ", after record " << i + 1 << ", as of "
                                << mandate::calendar::to_iso(as_of) << (subscribed ? " (a subscriber watching " : "")
                                << (subscribed ? mandate::calendar::to_iso(dates[0]) + ")" : "") << "\nrecords:\n"
                                << listing(lines, i + 1);
            if (!diff.empty()) return;
        }
    }
}

void plan_file(const std::string& rule_file, int count, std::uint64_t seed) {
    const std::string text = mandate::testing::read(std::string(MANDATE_SOURCE_DIR) + "/" + rule_file);
    const std::size_t changes = step_by_step(rule_file, text, count, seed);
    EXPECT_GT(changes, static_cast<std::size_t>(count)) << "the streams changed hardly any bucket";
    reports_step_by_step(rule_file, text, count, seed + 50000, false);
    reports_step_by_step(rule_file, text, count / 2, seed + 60000, true);
}

// The Goutang plan before its revised readings: the reference evaluator reads no LANGUAGE-v2.md.
TEST(Incremental, GoutangPlanAfterEveryRecord) { plan_file("tests/reference/goutang-2023-v1.mandate", streams(60), 7000000); }

TEST(Incremental, CampusPlanAfterEveryRecord) { plan_file("rules/campus-antifraud-2024.mandate", streams(60), 7100000); }

TEST(Incremental, FloodDrillPlanAfterEveryRecord) { plan_file("rules/flood-drill-2024.mandate", streams(60), 7200000); }

TEST(Incremental, CountySafetyPlanAfterEveryRecord) { plan_file("rules/county-safety-2025.mandate", streams(60), 7400000); }

// Every construct of LANGUAGE-v2.md sections 1-3 and 8 in one plan written for these tests.
TEST(Incremental, V2ConstructsPlanAfterEveryRecord) { plan_file("tests/reference/v2-constructs.mandate", streams(60), 7600000); }

// Every construct of LANGUAGE-v2.md sections 4-7 and 9, on cn_mainland and on a declared calendar.
// DISABLED until the engine follows the text where reference_time_disagreements_test.cpp shows it
// does not: every run meets those cases.
TEST(Incremental, V2TimePlanAfterEveryRecord) { plan_file("tests/reference/v2-time.mandate", streams(60), 7700000); }

TEST(Incremental, V2CalendarPlanAfterEveryRecord) { plan_file("tests/reference/v2-calendar.mandate", streams(60), 7800000); }

// Hours to the minute (tests/reference/v2-hours.mandate): deadlines after and before triggers,
// one opened by an outcome, periods of 6 hours in a dated window and in one bounded by events.
TEST(Incremental, V2HoursPlanAfterEveryRecord) { plan_file("tests/reference/v2-hours.mandate", streams(60), 7900000); }

// The v2 conformance cases (all seven sections' cases), with random streams of their own schemas.
TEST(Incremental, ConformanceV2PlansAfterEveryRecord) {
    std::uint64_t seed = 7500000;
    for (const char* name : {"01-unit-fields", "02-every-child", "03-rollups-ranking", "06-waivers", "07-peak-earlier-gap"}) {
        const std::string file = std::string("tests/conformance-v2/") + name + "/plan.mandate";
        const std::string text = mandate::testing::read(std::string(MANDATE_SOURCE_DIR) + "/" + file);
        const std::size_t changes = step_by_step(file, text, std::max(8, streams(20)), seed);
        EXPECT_GT(changes, 0u) << name << ": the streams changed no bucket";
        reports_step_by_step(file, text, std::max(8, streams(20)), seed + 500, false);
        reports_step_by_step(file, text, std::max(4, streams(10)), seed + 700, true);
        seed += 1000;
    }
}

// The v2 conformance cases of working days, due dates and windows bounded by events, DISABLED as
// their differential test is (reference_differential_test.cpp).
TEST(Incremental, ConformanceV2TimePlansAfterEveryRecord) {
    std::uint64_t seed = 7550000;
    for (const char* name : {"04-workdays-due", "05-event-windows"}) {
        const std::string file = std::string("tests/conformance-v2/") + name + "/plan.mandate";
        const std::string text = mandate::testing::read(std::string(MANDATE_SOURCE_DIR) + "/" + file);
        const std::size_t changes = step_by_step(file, text, std::max(8, streams(20)), seed);
        EXPECT_GT(changes, 0u) << name << ": the streams changed no bucket";
        reports_step_by_step(file, text, std::max(8, streams(20)), seed + 500, false);
        reports_step_by_step(file, text, std::max(4, streams(10)), seed + 700, true);
        seed += 1000;
    }
}

// Every conformance case's plan, with random streams of its own schema.
TEST(Incremental, ConformancePlansAfterEveryRecord) {
    const fs::path dir = fs::path(MANDATE_TESTS_DIR) / "conformance";
    std::vector<fs::path> cases;
    for (const auto& entry : fs::directory_iterator(dir))
        if (fs::exists(entry.path() / "plan.mandate")) cases.push_back(entry.path());
    std::sort(cases.begin(), cases.end());
    ASSERT_GE(cases.size(), 16u);
    std::uint64_t seed = 7300000;
    for (const auto& c : cases) {
        const std::size_t changes =
            step_by_step(c.filename().string(), mandate::testing::read((c / "plan.mandate").string()), std::max(8, streams(20)), seed);
        EXPECT_GT(changes, 0u) << c.filename() << ": the streams changed no bucket";
        reports_step_by_step(c.filename().string(), mandate::testing::read((c / "plan.mandate").string()), std::max(8, streams(20)),
                             seed + 500, seed % 2000 == 0);
        seed += 1000;
    }
}

}  // namespace
