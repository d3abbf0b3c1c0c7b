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
#include "reference_stream.hpp"

namespace {

using mandate::calendar::day;

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// One row of either report in a common form.
struct common_row {
    std::string rule, unit, from, to, status, value, reason;
    bool met = false, at_risk = false, fired = false, final = false;
    bool operator==(const common_row& o) const {
        return rule == o.rule && unit == o.unit && from == o.from && to == o.to && status == o.status && value == o.value &&
               reason == o.reason && met == o.met && at_risk == o.at_risk && fired == o.fired && final == o.final;
    }
};

std::string describe(const common_row& r) {
    return r.rule + " " + r.unit + " " + r.from + ".." + r.to + " status=" + r.status + " met=" + (r.met ? "1" : "0") +
           " risk=" + (r.at_risk ? "1" : "0") + " value=" + r.value + " reason=" + r.reason + " fired=" +
           (r.fired ? "1" : "0") + " final=" + (r.final ? "1" : "0");
}

std::vector<common_row> engine_rows(const mandate::report& r) {
    std::vector<common_row> out;
    for (const auto& x : r.results) {
        common_row c;
        c.rule = x.obligation;
        c.unit = x.unit.value_or("-");
        c.from = mandate::calendar::to_iso(x.span.from);
        c.to = mandate::calendar::to_iso(x.span.to);
        c.status = mandate::to_string(x.status);
        c.met = x.met;
        c.at_risk = x.at_risk;
        c.value = x.value.is_null() ? "null" : x.value.to_string();
        c.reason = x.reason.value_or("");
        out.push_back(c);
    }
    for (const auto& x : r.outcomes) {
        common_row c;
        c.rule = x.outcome;
        c.unit = x.unit.value_or("-");
        c.from = mandate::calendar::to_iso(x.span.from);
        c.to = mandate::calendar::to_iso(x.span.to);
        c.fired = x.fired;
        c.final = x.final;
        out.push_back(c);
    }
    return out;
}

std::vector<common_row> reference_rows(const mandate::reference::report& r) {
    std::vector<common_row> out;
    for (const auto& x : r.results) {
        common_row c;
        c.rule = x.rule;
        c.unit = x.unit.value_or("-");
        c.from = x.from;
        c.to = x.to;
        c.status = x.status;
        c.met = x.met;
        c.at_risk = x.at_risk;
        c.value = x.value.value_or("null");
        c.reason = x.reason.value_or("");
        out.push_back(c);
    }
    for (const auto& x : r.outcomes) {
        common_row c;
        c.rule = x.rule;
        c.unit = x.unit.value_or("-");
        c.from = x.from;
        c.to = x.to;
        c.fired = x.fired;
        c.final = x.final;
        out.push_back(c);
    }
    return out;
}

// Compares two reports; returns a description of the first difference, or "".
std::string difference(const mandate::report& mine, const mandate::reference::report& ref) {
    const auto a = engine_rows(mine);
    const auto b = reference_rows(ref);
    for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
        if (i >= a.size()) return "engine lacks row " + describe(b[i]);
        if (i >= b.size()) return "engine has extra row " + describe(a[i]);
        if (!(a[i] == b[i])) return "row " + std::to_string(i) + ":\n  engine:    " + describe(a[i]) + "\n  reference: " + describe(b[i]);
    }
    const auto& x = mine.inputs;
    const auto& y = ref.counts;
    if (static_cast<long>(x.read) != y.read || static_cast<long>(x.entities) != y.entities ||
        static_cast<long>(x.applied) != y.applied || static_cast<long>(x.duplicates) != y.duplicates ||
        static_cast<long>(x.retracted) != y.retracted || static_cast<long>(x.retractions) != y.retractions ||
        static_cast<long>(x.unresolved) != y.unresolved || static_cast<long>(x.rejected) != y.rejected) {
        std::ostringstream s;
        s << "inputs differ: engine read/entities/applied/duplicates/retracted/retractions/unresolved/rejected = " << x.read
          << "/" << x.entities << "/" << x.applied << "/" << x.duplicates << "/" << x.retracted << "/" << x.retractions << "/"
          << x.unresolved << "/" << x.rejected << ", reference = " << y.read << "/" << y.entities << "/" << y.applied << "/"
          << y.duplicates << "/" << y.retracted << "/" << y.retractions << "/" << y.unresolved << "/" << y.rejected;
        return s.str();
    }
    return "";
}

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

TEST(Differential, GoutangPlanAgreesWithReference) { differential("rules/goutang-2023.mandate", mandate::testing::scaled(1000), 1000); }

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
