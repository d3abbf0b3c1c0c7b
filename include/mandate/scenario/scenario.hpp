// Scenario tests for rule files (`mandate test`): a test file is checked against a compiled
// plan (names, kinds, fields, dates and bucket names resolved, each problem a diagnostic at
// its spot), then each test runs its records through a real engine and compares the reports
// it asks for, as of its checkpoints, with what it expects. Sits above eval: it only uses the
// engine and reports the way a host would.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "mandate/diagnostic.hpp"
#include "mandate/eval/report.hpp"
#include "mandate/report/select.hpp"
#include "mandate/graph/plan.hpp"
#include "mandate/limits.hpp"
#include "mandate/result.hpp"
#include "mandate/syntax/scenario_ast.hpp"

namespace mandate::scenario {

// One record, as the JSON line a host would send.
struct record_step {
    span loc;
    std::string json;
};

// `as_of DATE`: the date the expectations after it are judged as of.
struct checkpoint {
    span loc;
    calendar::day as_of = 0;
};

enum class check_kind : std::uint8_t {
    status, met, at_risk, fired, final, value, reason, absent, rejected_count, rejected_reason
};

// One resolved expectation. `text` is how it was written, for messages.
struct expectation {
    span loc;
    std::string text;
    check_kind k = check_kind::status;
    bool negated = false;                   // met, at_risk, fired, final
    int rule = -1;                          // index into the plan's rules
    std::optional<std::string> unit;        // nullopt for a rule without `each`
    bucket_selector bucket;
    mandate::status want_status = mandate::status::pending;
    reported_value want_value;              // value (null: expects null)
    std::optional<std::string> want_text;   // reason (nullopt: expects null); rejected "TEXT"
    std::uint64_t want_count = 0;           // rejected N
};

using step = std::variant<record_step, checkpoint, expectation>;

struct test_case {
    span loc;
    std::string name, label;
    std::vector<step> steps;
};

// A checked test file, ready to run against the plan it was checked with. Value type.
struct suite {
    std::string file;  // the test file's name, for messages
    std::string plan;  // the plan's id the file names
    std::vector<record_step> given;
    std::vector<test_case> tests;
};

// Checks a parsed test file against `plan`. Every problem is an error diagnostic pointing into
// `source`; on success the suite holds every test.
result<suite> check(const ast::scenario::file& file, const source_file& source, const graph::compiled_plan& plan);

// Parse and check in one step; diagnostics of both.
result<suite> load(const source_file& source, const graph::compiled_plan& plan, const limits& l = {});

// What one expectation found.
struct expectation_result {
    std::string test;
    position pos;           // of the expectation in the test file
    std::string text;       // as written
    bool passed = false;
    std::string message;    // "expected X == violated, got satisfied (value 1)" when it failed
};

struct run_result {
    std::vector<expectation_result> expectations;  // in file order
    std::size_t passed = 0, failed = 0;
};

// Runs every test of `s`, each on a fresh engine of `plan` (the plan `s` was checked against):
// the given records, then the test's statements in order. `source` is the test file, for
// positions. Thread-compatible; deterministic.
run_result run(const suite& s, const source_file& source, std::shared_ptr<const graph::compiled_plan> plan);

}  // namespace mandate::scenario
