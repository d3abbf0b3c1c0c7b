// The reference evaluator (tests/reference) against the hand-worked conformance cases: for
// every case and as-of date, every expected row with its fields, no other row, and the input
// counts where the case gives them. The v1 cases (tests/conformance) list every field of a row;
// the v2 cases of LANGUAGE-v2.md (tests/conformance-v2: 01-07, working days, due dates, windows
// bounded by events, peak, earlier and early gap verdicts among them) list those they check.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <tuple>

#include "mandate/check/check.hpp"
#include "reference/reference.hpp"

namespace {

namespace fs = std::filesystem;
using mandate::reference::report;
using mandate::reference::row;

fs::path conformance_dir() { return fs::path(MANDATE_TESTS_DIR) / "conformance"; }
fs::path conformance_v2_dir() { return fs::path(MANDATE_TESTS_DIR) / "conformance-v2"; }

std::vector<std::string> case_names() {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(conformance_dir(), ec))
        if (entry.is_directory() && fs::exists(entry.path() / "expect.json")) out.push_back(entry.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

// The v2 cases: every section of LANGUAGE-v2.md the reference covers (all of them but hours).
std::vector<std::string> v2_case_names() {
    return {"01-unit-fields", "02-every-child", "03-rollups-ranking", "04-workdays-due", "05-event-windows", "06-waivers",
            "07-peak-earlier-gap"};
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// One record per line of a JSON Lines file; blank lines are not records (docs/choices.md 20).
std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        if (line.find_first_not_of(" \t\r") != std::string::npos) out.push_back(std::move(line));
        start = end + 1;
    }
    return out;
}

mandate::check::plan load_plan(const fs::path& file) {
    mandate::source_file source(file.filename().string(), slurp(file));
    auto checked = mandate::check::load(source);
    if (!checked.ok()) {
        std::string all;
        for (const auto& d : checked.diagnostics()) all += mandate::render(d, source);
        throw std::runtime_error("the plan does not check:\n" + all);
    }
    return std::move(checked).value();
}

using row_key = std::tuple<std::string, std::optional<std::string>, std::string, std::string>;

row_key key_of(const row& r) { return {r.rule, r.unit, r.from, r.to}; }

std::string describe(const row_key& k) {
    return std::get<0>(k) + "/" + (std::get<1>(k) ? *std::get<1>(k) : "(none)") + " " + std::get<2>(k) + ".." +
           std::get<3>(k);
}

std::string text_of(simdjson::dom::element e) {
    std::string_view s;
    if (e.get(s) == simdjson::SUCCESS) return std::string(s);
    return simdjson::to_string(e);
}

// The expected `value` (null, number, bool or text) against the reported canonical text.
bool same_value(simdjson::dom::element expected, const std::optional<std::string>& got) {
    if (expected.is_null()) return !got;
    if (!got) return false;
    bool b = false;
    if (expected.get(b) == simdjson::SUCCESS) return *got == (b ? "true" : "false");
    double want = 0;
    if (expected.is_number()) {
        if (expected.is_int64()) want = static_cast<double>(int64_t(expected));
        else if (expected.is_uint64()) want = static_cast<double>(uint64_t(expected));
        else want = double(expected);
        char* end = nullptr;
        const double have = std::strtod(got->c_str(), &end);
        if (end == got->c_str() || *end != '\0') return false;
        return std::fabs(have - want) <= 1e-9 * std::max(1.0, std::fabs(want));
    }
    return text_of(expected) == *got;
}

bool expect_bool(simdjson::dom::element row, const char* field, bool& out) {
    return row[field].get(out) == simdjson::SUCCESS;
}

// Compares one as-of date's expectations with the report; returns the problems found. With
// `every_field`, a row lacking one of the fields is a problem; otherwise only those it lists
// are checked.
std::vector<std::string> compare(simdjson::dom::element expected, const report& got, bool every_field) {
    auto listed = [&](simdjson::dom::element w, const char* field) { return every_field || w[field].error() == simdjson::SUCCESS; };
    std::vector<std::string> problems;
    for (const bool outcomes : {false, true}) {
        const auto& rows = outcomes ? got.outcomes : got.results;
        std::map<row_key, const row*> by_key;
        for (const row& r : rows)
            if (!by_key.emplace(key_of(r), &r).second) problems.push_back("reported twice: " + describe(key_of(r)));
        simdjson::dom::array wanted;
        if (expected[outcomes ? "outcomes" : "results"].get(wanted) != simdjson::SUCCESS) {
            problems.push_back(std::string("expect.json has no ") + (outcomes ? "outcomes" : "results"));
            continue;
        }
        for (simdjson::dom::element w : wanted) {
            std::optional<std::string> unit;
            if (!w["unit"].is_null()) unit = text_of(w["unit"]);
            const row_key k{text_of(w[outcomes ? "outcome" : "obligation"]), unit, text_of(w["from"]), text_of(w["to"])};
            auto it = by_key.find(k);
            if (it == by_key.end()) {
                problems.push_back("missing " + describe(k));
                continue;
            }
            const row& r = *it->second;
            by_key.erase(it);
            if (outcomes) {
                bool fired = false, final = false;
                if (listed(w, "fired") && (!expect_bool(w, "fired", fired) || fired != r.fired))
                    problems.push_back(describe(k) + ": fired is " + (r.fired ? "true" : "false"));
                if (listed(w, "final") && (!expect_bool(w, "final", final) || final != r.final))
                    problems.push_back(describe(k) + ": final is " + (r.final ? "true" : "false"));
                continue;
            }
            if (listed(w, "status") && text_of(w["status"]) != r.status)
                problems.push_back(describe(k) + ": status is " + r.status + ", expected " + text_of(w["status"]));
            bool met = false, at_risk = false;
            if (listed(w, "met") && (!expect_bool(w, "met", met) || met != r.met))
                problems.push_back(describe(k) + ": met is " + (r.met ? "true" : "false"));
            if (listed(w, "at_risk") && (!expect_bool(w, "at_risk", at_risk) || at_risk != r.at_risk))
                problems.push_back(describe(k) + ": at_risk is " + (r.at_risk ? "true" : "false"));
            simdjson::dom::element value;
            if (listed(w, "value") && (w["value"].get(value) != simdjson::SUCCESS || !same_value(value, r.value)))
                problems.push_back(describe(k) + ": value is " + (r.value ? *r.value : "null") + ", expected " +
                                   text_of(w["value"]));
        }
        for (const auto& [k, r] : by_key) problems.push_back(std::string("unexpected ") + (outcomes ? "outcome " : "result ") + describe(k));
    }
    simdjson::dom::object counts;
    if (expected["inputs"].get(counts) == simdjson::SUCCESS) {
        const auto& c = got.counts;
        const std::map<std::string, long> have{{"read", c.read},           {"entities", c.entities},
                                               {"applied", c.applied},     {"duplicates", c.duplicates},
                                               {"retracted", c.retracted}, {"retractions", c.retractions},
                                               {"unresolved", c.unresolved}, {"rejected", c.rejected},
                                               {"waivers", c.waivers}};
        for (auto field : counts) {
            int64_t want = 0;
            auto it = have.find(std::string(field.key));
            if (field.value.get(want) != simdjson::SUCCESS || it == have.end() || it->second != want)
                problems.push_back("inputs." + std::string(field.key) + " is " +
                                   (it == have.end() ? std::string("?") : std::to_string(it->second)) + ", expected " +
                                   text_of(field.value));
        }
    }
    return problems;
}

void matches_hand_worked_report(const fs::path& dir, bool every_field) {
    const auto plan = load_plan(dir / "plan.mandate");
    const auto lines = split_lines(slurp(dir / "records.jsonl"));
    simdjson::dom::parser parser;
    simdjson::padded_string json(slurp(dir / "expect.json"));
    simdjson::dom::array dates;
    ASSERT_EQ(parser.parse(json).get(dates), simdjson::SUCCESS) << "expect.json is not a JSON array";
    ASSERT_GT(dates.size(), 0u);
    for (simdjson::dom::element expected : dates) {
        const std::string as_of = text_of(expected["as_of"]);
        const auto day = mandate::calendar::parse_iso(as_of);
        ASSERT_TRUE(day) << as_of;
        const report got = mandate::reference::evaluate(plan, lines, *day);
        for (const auto& p : compare(expected, got, every_field))
            ADD_FAILURE() << dir.filename().string() << " as of " << as_of << ": " << p;
    }
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
    std::string name = info.param;
    for (char& ch : name)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    return name;
}

class ReferenceConformance : public ::testing::TestWithParam<std::string> {};

TEST_P(ReferenceConformance, MatchesTheHandWorkedReport) { matches_hand_worked_report(conformance_dir() / GetParam(), true); }

INSTANTIATE_TEST_SUITE_P(Cases, ReferenceConformance, ::testing::ValuesIn(case_names()), test_name);

class ReferenceConformanceV2 : public ::testing::TestWithParam<std::string> {};

TEST_P(ReferenceConformanceV2, MatchesTheHandWorkedReport) { matches_hand_worked_report(conformance_v2_dir() / GetParam(), false); }

INSTANTIATE_TEST_SUITE_P(Cases, ReferenceConformanceV2, ::testing::ValuesIn(v2_case_names()), test_name);

TEST(ReferenceConformanceSuite, HasEveryCase) {
    EXPECT_EQ(case_names().size(), 16u);
    for (const auto& name : v2_case_names()) EXPECT_TRUE(fs::exists(conformance_v2_dir() / name / "expect.json")) << name;
}

// Every record read is accounted for exactly once, whatever the records hold, and a plan of
// the size the differential test uses evaluates quickly.
TEST(ReferenceEvaluator, AccountsForGarbageAndStaysFast) {
    const auto plan = load_plan(fs::path(MANDATE_SOURCE_DIR) / "rules" / "goutang-2023.mandate");
    std::vector<std::string> lines = {
        "", "   ", "not json", "[1,2]", "{\"id\": 1}", "{\"entity\": \"x\"}", "{\"retract\": 5}", "{}",
        "{\"id\":\"a\",\"id\":\"b\"}", "{\"entity\":\"t\",\"kind\":\"town\"}", "{\"entity\":\"t\",\"kind\":\"town\",}",
        "{\"id\":\"e\",\"type\":\"fraud_case\",\"time\":\"2023-02-30\",\"unit\":\"t\",\"amount\":1}",
        "{\"id\":\"e\",\"type\":\"fraud_case\",\"time\":\"2023-04-30T25:00Z\",\"unit\":\"t\",\"amount\":1}",
        "{\"id\":\"e\",\"type\":\"fraud_case\",\"time\":\"2023-04-30\",\"unit\":\"t\",\"amount\":1.0000001}",
        "{\"id\":\"e\",\"type\":\"fraud_case\",\"time\":\"2023-04-30\",\"unit\":\"t\",\"amount\":\"1\"}",
        "\"\\ud800\"", "{\"a\":\"\xff\"}", std::string(300 * 1024, ' ')};
    std::mt19937 random(42);
    const char* villages[] = {"v0", "v1", "v2", "v3", "v4"};
    for (int i = 0; i < 5; ++i)
        lines.push_back(std::string("{\"entity\":\"") + villages[i] + "\",\"kind\":\"village\",\"parent\":\"t\"}");
    for (int i = 0; i < 12; ++i)
        lines.push_back("{\"entity\":\"h" + std::to_string(i) + "\",\"kind\":\"household\",\"parent\":\"" +
                        villages[i % 5] + "\"}");
    for (int i = 0; i < 200; ++i) {
        const int month = 3 + static_cast<int>(random() % 10), dom = 1 + static_cast<int>(random() % 28);
        char date[16];
        std::snprintf(date, sizeof date, "2023-%02d-%02d", month, dom);
        const std::string unit = villages[random() % 5];
        switch (random() % 4) {
            case 0:
                lines.push_back("{\"id\":\"a" + std::to_string(i) + "\",\"type\":\"activity\",\"time\":\"" + date +
                                "\",\"unit\":\"" + unit + "\",\"venue\":\"park\",\"methods\":[\"desk\"]}");
                break;
            case 1:
                lines.push_back("{\"id\":\"f" + std::to_string(i) + "\",\"type\":\"fraud_case\",\"time\":\"" + date +
                                "T23:30:00+08:00\",\"unit\":\"" + unit + "\",\"amount\":12.5}");
                break;
            case 2:
                lines.push_back("{\"id\":\"l" + std::to_string(i) + "\",\"type\":\"leaflet_delivered\",\"time\":\"" +
                                date + "\",\"unit\":\"" + unit + "\",\"recipient\":\"h" +
                                std::to_string(random() % 14) + "\"}");
                break;
            default:
                lines.push_back("{\"id\":\"s" + std::to_string(i) + "\",\"type\":\"staff_training\",\"time\":\"" +
                                date + "\",\"unit\":\"" + unit + "\",\"attendees\":" + std::to_string(random() % 9) +
                                ",\"expected\":5}");
                break;
        }
    }
    const auto day = mandate::calendar::parse_iso("2023-12-31");
    const report got = mandate::reference::evaluate(plan, lines, *day);
    const auto& c = got.counts;
    EXPECT_EQ(c.read, static_cast<long>(lines.size()));
    EXPECT_EQ(c.read, c.entities + c.applied + c.duplicates + c.retracted + c.retractions + c.unresolved + c.rejected + c.waivers);
    EXPECT_EQ(c.entities, 1 + 5 + 12);
    EXPECT_EQ(c.rejected, 17);
    EXPECT_GT(got.results.size(), 0u);
    EXPECT_GT(got.outcomes.size(), 0u);
}

}  // namespace
