// The engine against the reference evaluator (tests/reference): thousands of random record
// streams over the Goutang plan, the flood-drill plan, the county work-safety plan and the v2
// conformance cases' plans (unit fields, every child, roll-ups and ranking, waivers), each
// evaluated as of several dates; every row of both reports must agree, with the waiver each
// row carries, the input counts, the keys ignored and the waivers not applied. The reference
// recomputes everything naively from the record list, so an index, a memo or an incremental
// shortcut in the engine that goes wrong shows up here.
#include <gtest/gtest.h>

#include "support/scale.hpp"

#include <cstdio>
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

// What the compared reports held, so a test can tell the streams reached what it is about.
struct seen {
    long rows = 0, hour_rows = 0, fired = 0, excused = 0, extended = 0, waivers = 0, unapplied = 0, kind_keys_ignored = 0;
};

seen differential(const std::string& rule_file, int streams, std::uint64_t seed_base) {
    seen out;
    const std::string text = read(std::string(MANDATE_SOURCE_DIR) + "/" + rule_file);
    auto compiled = mandate::compile(text, rule_file);
    std::string why;
    for (const auto& d : compiled.diagnostics()) why += "\n  " + std::to_string(d.pos.line) + ": " + d.message;
    EXPECT_TRUE(compiled.ok()) << rule_file << " does not compile:" << why;
    if (!compiled.ok()) return out;
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
                ADD_FAILURE() << rule_file << ", seed " << seed << ", as of " << mandate::calendar::to_iso(as_of) << ": " << diff
                              << "\nrecords:\n" << records;
                return out;
            }
            out.rows += static_cast<long>(ref.results.size() + ref.outcomes.size());
            for (const auto& r : ref.outcomes) out.fired += r.fired;
            for (const auto& r : ref.results) {
                out.hour_rows += r.from.size() > 10;  // a local date-time, not a date
                out.excused += r.status == "excused";
                out.extended += r.extended_to.has_value();
            }
            out.waivers += ref.counts.waivers;
            out.unapplied += static_cast<long>(ref.unapplied.size());
            for (const auto& f : ref.ignored) out.kind_keys_ignored += f.kind;
        }
    }
    EXPECT_EQ(compared, streams * 2);
    return out;
}

// The reference evaluator reads LANGUAGE.md v1 only: the Goutang plan as it stood before its
// revised readings (which use LANGUAGE-v2.md) stands in for it.
TEST(Differential, GoutangPlanAgreesWithReference) {
    differential("tests/reference/goutang-2023-v1.mandate", mandate::testing::scaled(1000), 1000);
}

TEST(Differential, FloodDrillPlanAgreesWithReference) { differential("rules/flood-drill-2024.mandate", mandate::testing::scaled(1000), 500000); }

// The county plan reads unit fields (quotas, populations, above-scale and high-risk flags),
// has instances only where `each ... where` holds, judges every child (all_units, units()),
// ranks townships, rolls up violations within a township, and is waived.
TEST(Differential, CountySafetyPlanAgreesWithReference) {
    const seen s = differential("rules/county-safety-2025.mandate", mandate::testing::scaled(1000), 900000);
    EXPECT_GT(s.rows, 0);
    EXPECT_GT(s.excused, 0) << "no stream excused a bucket";
    EXPECT_GT(s.extended, 0) << "no stream extended a bucket";
    EXPECT_GT(s.unapplied, 0) << "no stream sent a waiver for no bucket";
    EXPECT_GT(s.kind_keys_ignored, 0) << "no stream gave an entity a key its kind does not declare";
}

// A plan written to hold every construct of those sections (tests/reference/v2-constructs.mandate):
// fields of every type, REF.FIELD and `is` inside where, any_unit and nested quantifiers, rank
// ascending among several kinds, violations within, waivers of cumulative, triggered and
// plan-wide buckets, extensions under gap, streak and warn.
TEST(Differential, V2ConstructsPlanAgreesWithReference) {
    const seen s = differential("tests/reference/v2-constructs.mandate", mandate::testing::scaled(1000), 970000);
    EXPECT_GT(s.rows, 0);
    EXPECT_GT(s.excused, 0) << "no stream excused a bucket";
    EXPECT_GT(s.extended, 0) << "no stream extended a bucket";
    EXPECT_GT(s.unapplied, 0) << "no stream sent a waiver for no bucket";
    EXPECT_GT(s.kind_keys_ignored, 0) << "no stream gave an entity a key its kind does not declare";
}

// Every construct of LANGUAGE-v2.md sections 4-7 and 9 on the cn_mainland calendar
// (tests/reference/v2-time.mandate): workdays after and before triggers, in grace and warn; N
// months from a month's end; half-years; every form of `due`; phases bounded by events, cut by
// days, workdays and a month, or open, with every, due and a whole-window schedule; `after
// registered`; peak of count, sum and distinct; earlier by days, weeks, months and a year; the
// earlier verdicts of gap and streak and the forms that keep v1's. The streams hold window events
// (some retracted), units registered inside the windows, events around due dates and holidays.
//
// DISABLED until the engine follows the text where reference_time_disagreements_test.cpp shows
// it does not (due-after buckets of event windows shown early, waivers of event-window buckets,
// `due N workdays after` on Monday-Friday, extensions checked against the period's end and
// against Monday-Friday): every run meets them.
TEST(Differential, V2TimePlanAgreesWithReference) {
    const seen s = differential("tests/reference/v2-time.mandate", mandate::testing::scaled(1000), 980000);
    EXPECT_GT(s.rows, 0);
    EXPECT_GT(s.extended, 0) << "no stream extended a bucket";
}

// A declared calendar with a Friday-Saturday weekend (tests/reference/v2-calendar.mandate).
// DISABLED as the one above: `due N workdays after` counts Monday-Friday, waivers of event
// windows, extensions checked against the period's end.
TEST(Differential, V2CalendarPlanAgreesWithReference) {
    const seen s = differential("tests/reference/v2-calendar.mandate", mandate::testing::scaled(1000), 990000);
    EXPECT_GT(s.rows, 0);
}

// Hours to the minute (tests/reference/v2-hours.mandate, zone +08:00): `after ... within 2 hours`
// and `before ... within 3 hours` of events, `within 12 hours` of an outcome turning final,
// `every 6 hours` over dated days and during a phase bounded by events. The streams hold times
// with offsets, UTC times near local midnight, dates alone and several triggers on one day;
// hour buckets are compared by their local date-times (2025-07-03T22:40+08:00).
TEST(Differential, V2HoursPlanAgreesWithReference) {
    const seen s = differential("tests/reference/v2-hours.mandate", mandate::testing::scaled(1000), 1030000);
    EXPECT_GT(s.rows, 0);
    EXPECT_GT(s.hour_rows, 0) << "no stream opened an hour bucket";
    EXPECT_GT(s.fired, 0) << "no stream fired the outcome that opens hour deadlines";
}

// The v2 conformance cases of LANGUAGE-v2.md, with random streams of their own schemas.
TEST(Differential, ConformanceV2PlansAgreeWithReference) {
    std::uint64_t seed = 950000;
    for (const char* name : {"01-unit-fields", "02-every-child", "03-rollups-ranking", "06-waivers", "07-peak-earlier-gap"}) {
        const seen s = differential(std::string("tests/conformance-v2/") + name + "/plan.mandate", mandate::testing::scaled(300), seed);
        EXPECT_GT(s.rows, 0) << name;
        EXPECT_GT(s.waivers, 0) << name << ": no stream's waiver counted";
        seed += 10000;
    }
}

// The v2 conformance cases of working days and due dates (04) and windows bounded by events
// (05). DISABLED until the engine checks extensions against the due range and on the plan's
// calendar, and applies waivers to buckets of event windows (reference_time_disagreements_test.cpp).
TEST(Differential, ConformanceV2TimePlansAgreeWithReference) {
    std::uint64_t seed = 1020000;
    for (const char* name : {"04-workdays-due", "05-event-windows"}) {
        const seen s = differential(std::string("tests/conformance-v2/") + name + "/plan.mandate", mandate::testing::scaled(300), seed);
        EXPECT_GT(s.rows, 0) << name;
        seed += 10000;
    }
}

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
