// The report is a function of the set of accepted records and the as-of date: a fixed record
// set over a plan with several obligations and an outcome gives the same `results`,
// `outcomes` and `inputs` in every arrival order, with copies, and with retractions moved.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "eval/helpers.hpp"

namespace {

using namespace evaltest;

const char* plan_text = R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-06-30
kind town "t"
kind village "v" within town
kind household "h" within village
event activity "a" { venue: text }
event visit "x" { household: ref household }
event patrol "p" { hours: number }
event fraud_case "f" {}
event meeting "m" {}
obligation monthly_act "ma" {
  each v: village
  during campaign
  every month
  require count(activity of v) >= 1
}
obligation visits "vs" {
  each v: village
  during campaign
  by 2023-05-31
  require coverage(visit.household, household within v) >= 100%
}
obligation hours "hs" {
  each t: town
  during campaign
  every month
  require sum(patrol.hours of t) >= 3
}
obligation no_cases "nc" {
  each v: village
  during campaign
  every month
  require count(fraud_case of v) == 0
}
outcome summon "s" {
  each v: village
  during campaign
  every month
  when violations(of v) >= 1
}
obligation followup "fu" {
  each v: village
  during campaign
  after outcome summon within 10 days
  require count(meeting of v) >= 1
}
)";

// 60 records: 15 entity records, 2 retractions, 3 rejected (a bad field, a conflicting pair),
// 1 duplicate, 2 retracted, 2 unresolved, 35 applied.
const std::vector<std::string> records = {
    R"({"entity": "t1", "kind": "town"})",
    R"({"entity": "t2", "kind": "town"})",
    R"({"entity": "v1", "kind": "village", "parent": "t1"})",
    R"({"entity": "v2", "kind": "village", "parent": "t1"})",
    R"({"entity": "v3", "kind": "village", "parent": "t2"})",
    R"({"entity": "v4", "kind": "village", "parent": "t2"})",
    R"({"entity": "h1", "kind": "household", "parent": "v1"})",
    R"({"entity": "h2", "kind": "household", "parent": "v1"})",
    R"({"entity": "h2", "kind": "household", "parent": "v1", "version": 1, "until": "2023-05-15"})",
    R"({"entity": "h3", "kind": "household", "parent": "v2"})",
    R"({"entity": "h4", "kind": "household", "parent": "v2"})",
    R"({"entity": "h5", "kind": "household", "parent": "v3"})",
    R"({"entity": "h6", "kind": "household", "parent": "v3"})",
    R"({"entity": "h7", "kind": "household", "parent": "v4"})",
    R"({"entity": "h8", "kind": "household", "parent": "v4"})",
    R"({"id": "act1", "type": "activity", "time": "2023-04-03", "unit": "v1", "venue": "park"})",
    R"({"venue": "park", "unit": "v1", "time": "2023-04-03", "type": "activity", "id": "act1"})",
    R"({"id": "act2", "type": "activity", "time": "2023-05-10", "unit": "v1", "venue": "square"})",
    R"({"id": "act3", "type": "activity", "time": "2023-06-12", "unit": "v1", "venue": "park"})",
    R"({"id": "act4", "type": "activity", "time": "2023-04-15", "unit": "v2", "venue": "park"})",
    R"({"id": "act5", "type": "activity", "time": "2023-06-02", "unit": "v2", "venue": "school"})",
    R"({"id": "act6", "type": "activity", "time": "2023-04-20", "unit": "v3", "venue": "park"})",
    R"({"id": "act7", "type": "activity", "time": "2023-05-05", "unit": "v3", "venue": "park"})",
    R"({"id": "act8", "type": "activity", "time": "2023-06-25", "unit": "v3", "venue": "park"})",
    R"({"id": "act9", "type": "activity", "time": "2023-05-18", "unit": "v4", "venue": "school"})",
    R"({"id": "act10", "type": "activity", "time": "2023-04-08", "unit": "t1", "venue": "hall"})",
    R"({"id": "act11", "type": "activity", "time": "2023-04-25", "unit": "v1", "venue": "park"})",
    R"({"id": "act12", "type": "activity", "time": "2023-04-02", "unit": "v4", "venue": "park"})",
    R"({"id": "act13", "type": "activity", "time": "2023-04-02", "unit": "ghost", "venue": "park"})",
    R"({"id": "act14", "type": "activity", "time": "2023-05-20", "unit": "v2", "venue": "park"})",
    R"({"id": "act15", "type": "activity", "time": "2023-06-05", "unit": "t2", "venue": "hall"})",
    R"({"retract": "act11"})",
    R"({"retract": "act12"})",
    R"({"id": "vis1", "type": "visit", "time": "2023-04-10", "unit": "v1", "household": "h1"})",
    R"({"id": "vis2", "type": "visit", "time": "2023-05-31", "unit": "v1", "household": "h2"})",
    R"({"id": "vis3", "type": "visit", "time": "2023-04-11", "unit": "v2", "household": "h3"})",
    R"({"id": "vis4", "type": "visit", "time": "2023-05-01", "unit": "v3", "household": "h5"})",
    R"({"id": "vis5", "type": "visit", "time": "2023-05-20", "unit": "v3", "household": "h6"})",
    R"({"id": "vis6", "type": "visit", "time": "2023-06-01", "unit": "v4", "household": "h7"})",
    R"({"id": "vis7", "type": "visit", "time": "2023-05-31T16:30:00Z", "unit": "v2", "household": "h4"})",
    R"({"id": "vis8", "type": "visit", "time": "2023-04-30", "unit": "v4", "household": "h8"})",
    R"({"id": "vis9", "type": "visit", "time": "2023-04-12", "unit": "v1", "household": "h1"})",
    R"({"id": "vis9", "type": "visit", "time": "2023-04-12", "unit": "v1", "household": "h2"})",
    R"({"id": "vis10", "type": "visit", "time": "2023-04-12", "unit": "v1", "household": "h99"})",
    R"({"id": "pat1", "type": "patrol", "time": "2023-04-05", "unit": "t1", "hours": 1.5})",
    R"({"id": "pat2", "type": "patrol", "time": "2023-04-06", "unit": "v1", "hours": 1.5})",
    R"({"id": "pat3", "type": "patrol", "time": "2023-05-07", "unit": "v2", "hours": 2.25})",
    R"({"id": "pat4", "type": "patrol", "time": "2023-05-08", "unit": "t1", "hours": 0.75})",
    R"({"id": "pat5", "type": "patrol", "time": "2023-04-09", "unit": "t2", "hours": 3})",
    R"({"id": "pat6", "type": "patrol", "time": "2023-05-10", "unit": "v3", "hours": 1})",
    R"({"id": "pat7", "type": "patrol", "time": "2023-05-11", "unit": "v4", "hours": 1})",
    R"({"id": "pat8", "type": "patrol", "time": "2023-06-12", "unit": "t2", "hours": 0.1})",
    R"({"id": "pat9", "type": "patrol", "time": "2023-06-13", "unit": "v3", "hours": 0.2})",
    R"({"id": "pat10", "type": "patrol", "time": "2023-06-14", "unit": "t1", "hours": 3})",
    R"({"id": "pat11", "type": "patrol", "time": "2023-06-14", "unit": "t1", "hours": "lots"})",
    R"({"id": "fc1", "type": "fraud_case", "time": "2023-05-12", "unit": "v2"})",
    R"({"id": "fc2", "type": "fraud_case", "time": "2023-06-20", "unit": "v4"})",
    R"({"id": "m1", "type": "meeting", "time": "2023-06-03", "unit": "v2"})",
    R"({"id": "m2", "type": "meeting", "time": "2023-05-05", "unit": "v4"})",
    R"({"id": "m3", "type": "meeting", "time": "2023-07-05", "unit": "v1"})",
};

const char* as_of_dates[] = {"2023-04-20", "2023-05-15", "2023-06-05", "2023-07-20"};

// The `results` and `outcomes` sections of the JSON report (from "results" up to "inputs").
std::string sections(const report& r) {
    const std::string json = mandate::io::to_json(r);
    const auto from = json.find("\"results\"");
    const auto to = json.find("\"inputs\"");
    return json.substr(from, to - from);
}

struct run {
    std::vector<std::string> sections;  // per as-of date
    std::vector<mandate::input_counts> inputs;
};

run evaluate(const std::vector<std::string>& order) {
    harness h(plan_text);
    for (const auto& line : order) h.add(line);
    run out;
    for (const char* d : as_of_dates) {
        report r = h.at(d);
        out.sections.push_back(sections(r));
        out.inputs.push_back(r.inputs);
    }
    return out;
}

void expect_inputs(const mandate::input_counts& in, std::uint64_t read, std::uint64_t entities,
                   std::uint64_t duplicates) {
    EXPECT_EQ(in.read, read);
    EXPECT_EQ(in.entities, entities);
    EXPECT_EQ(in.applied, 35u);
    EXPECT_EQ(in.duplicates, duplicates);
    EXPECT_EQ(in.retracted, 2u);
    EXPECT_EQ(in.retractions, 2u);
    EXPECT_EQ(in.unresolved, 2u);
    EXPECT_EQ(in.rejected, 3u);
}

void expect_same(const run& a, const run& b) {
    for (std::size_t i = 0; i < a.sections.size(); ++i) {
        SCOPED_TRACE(as_of_dates[i]);
        EXPECT_EQ(a.sections[i], b.sections[i]);
    }
}

TEST(OrderIndependence, TheBaseRecordSetWorkedByHand) {
    ASSERT_EQ(records.size(), 60u);
    harness h(plan_text);
    for (const auto& line : records) h.add(line);
    auto r = h.at("2023-07-20");
    expect_inputs(r.inputs, 60, 15, 1);
    // monthly_act: v1 April has act1 (act11 retracted); v4 April only had act12 (retracted).
    EXPECT_TRUE(row_is(r, "monthly_act", "v1", "2023-04-01", "2023-04-30", "satisfied", true, "1"));
    EXPECT_TRUE(row_is(r, "monthly_act", "v4", "2023-04-01", "2023-04-30", "violated", false, "0"));
    EXPECT_TRUE(row_is(r, "monthly_act", "v4", "2023-06-01", "2023-06-30", "violated", false, "0"));
    // visits at 05-31: v1 covers {h1} (h2's version 1 ends 05-15): 1. v2: h3 yes, h4's visit is
    // 06-01 00:30 local: 1/2. v3: 2/2. v4: h8 only (h7 on 06-01): 1/2.
    EXPECT_TRUE(row_is(r, "visits", "v1", "2023-04-01", "2023-05-31", "satisfied", true, "1"));
    EXPECT_TRUE(row_is(r, "visits", "v2", "2023-04-01", "2023-05-31", "violated", false, "0.5"));
    EXPECT_TRUE(row_is(r, "visits", "v3", "2023-04-01", "2023-05-31", "satisfied", true, "1"));
    EXPECT_TRUE(row_is(r, "visits", "v4", "2023-04-01", "2023-05-31", "violated", false, "0.5"));
    // hours (of t, descendants included): t1 April 1.5 + 1.5 = 3; May 2.25 + 0.75 = 3; June 3.
    // t2 April 3; May 1 + 1 = 2; June 0.1 + 0.2 = 0.3.
    EXPECT_TRUE(row_is(r, "hours", "t1", "2023-04-01", "2023-04-30", "satisfied", true, "3"));
    EXPECT_TRUE(row_is(r, "hours", "t1", "2023-05-01", "2023-05-31", "satisfied", true, "3"));
    EXPECT_TRUE(row_is(r, "hours", "t1", "2023-06-01", "2023-06-30", "satisfied", true, "3"));
    EXPECT_TRUE(row_is(r, "hours", "t2", "2023-04-01", "2023-04-30", "satisfied", true, "3"));
    EXPECT_TRUE(row_is(r, "hours", "t2", "2023-05-01", "2023-05-31", "violated", false, "2"));
    EXPECT_TRUE(row_is(r, "hours", "t2", "2023-06-01", "2023-06-30", "violated", false, "0.3"));
    EXPECT_TRUE(row_is(r, "no_cases", "v2", "2023-05-01", "2023-05-31", "violated", false, "1"));
    EXPECT_TRUE(row_is(r, "no_cases", "v4", "2023-06-01", "2023-06-30", "violated", false, "1"));
    // summon reads monthly_act, visits and no_cases (not followup, which it triggers):
    // v2 May (visits, no_cases); v4 April (monthly_act), May (visits), June (monthly_act,
    // no_cases). v1 and v3 never.
    EXPECT_TRUE(outcome_is(r, "summon", "v2", "2023-05-01", "2023-05-31", true, true, "2023-06-01"));
    EXPECT_TRUE(outcome_is(r, "summon", "v2", "2023-04-01", "2023-04-30", false, true, "2023-05-01"));
    EXPECT_TRUE(outcome_is(r, "summon", "v4", "2023-04-01", "2023-04-30", true, true, "2023-05-01"));
    EXPECT_TRUE(outcome_is(r, "summon", "v4", "2023-06-01", "2023-06-30", true, true, "2023-07-01"));
    EXPECT_TRUE(outcome_is(r, "summon", "v1", "2023-05-01", "2023-05-31", false, true, "2023-06-01"));
    // followup: v2 06-01..06-10 (m1 06-03); v4 05-01..05-10 (m2 05-05), 06-01..06-10 (none);
    // v4's June trigger is dated 07-01, outside the window: no bucket.
    EXPECT_EQ(spans(r, "followup", "v2"), "2023-06-01..2023-06-10");
    EXPECT_EQ(spans(r, "followup", "v4"), "2023-05-01..2023-05-10 2023-06-01..2023-06-10");
    EXPECT_EQ(spans(r, "followup", "v1"), "");
    EXPECT_TRUE(row_is(r, "followup", "v2", "2023-06-01", "2023-06-10", "satisfied", true, "1"));
    EXPECT_TRUE(row_is(r, "followup", "v4", "2023-05-01", "2023-05-10", "satisfied", true, "1"));
    EXPECT_TRUE(row_is(r, "followup", "v4", "2023-06-01", "2023-06-10", "violated", false, "0"));
}

TEST(OrderIndependence, TwentyShuffledOrdersGiveTheSameReport) {
    const run base = evaluate(records);
    for (const auto& in : base.inputs) expect_inputs(in, 60, 15, 1);
    for (unsigned seed = 1; seed <= 20; ++seed) {
        SCOPED_TRACE("seed " + std::to_string(seed));
        auto order = records;
        std::mt19937 rng(seed);
        std::shuffle(order.begin(), order.end(), rng);
        const run shuffled = evaluate(order);
        expect_same(base, shuffled);
        for (const auto& in : shuffled.inputs) expect_inputs(in, 60, 15, 1);
    }
}

TEST(OrderIndependence, CopiesChangeOnlyDuplicatesAndRead) {
    const run base = evaluate(records);
    // Second copies of five applied events, of a retracted event (a duplicate: duplicate comes
    // before retracted) and of an entity record (an entity record, not a duplicate).
    const std::vector<std::string> copies = {
        R"({"id": "act2", "type": "activity", "time": "2023-05-10", "unit": "v1", "venue": "square"})",
        R"({"household": "h3", "id": "vis3", "type": "visit", "time": "2023-04-11", "unit": "v2"})",
        R"({"id": "pat5", "type": "patrol", "time": "2023-04-09", "unit": "t2", "hours": 3.0})",
        R"({"id": "fc1", "type": "fraud_case", "time": "2023-05-12", "unit": "v2"})",
        R"({"unit": "v2", "id": "m1", "type": "meeting", "time": "2023-06-03"})",
        R"({"id": "act11", "type": "activity", "time": "2023-04-25", "unit": "v1", "venue": "park"})",
        R"({"entity": "v1", "kind": "village", "parent": "t1"})",
    };
    for (unsigned seed = 1; seed <= 5; ++seed) {
        SCOPED_TRACE("seed " + std::to_string(seed));
        auto order = records;
        order.insert(order.end(), copies.begin(), copies.end());
        std::mt19937 rng(seed);
        std::shuffle(order.begin(), order.end(), rng);
        const run with_copies = evaluate(order);
        expect_same(base, with_copies);
        // read 60 + 7; entities 15 + 1; duplicates 1 + 6.
        for (const auto& in : with_copies.inputs) expect_inputs(in, 67, 16, 7);
    }
}

TEST(OrderIndependence, RetractionsBeforeOrAfterTheirEvents) {
    const run base = evaluate(records);
    std::vector<std::string> retractions, others;
    for (const auto& r : records) (r.find("\"retract\"") != std::string::npos ? retractions : others).push_back(r);
    ASSERT_EQ(retractions.size(), 2u);
    auto first = retractions;
    first.insert(first.end(), others.begin(), others.end());
    auto last = others;
    last.insert(last.end(), retractions.begin(), retractions.end());
    const run a = evaluate(first);
    const run b = evaluate(last);
    expect_same(base, a);
    expect_same(base, b);
    for (const auto& in : a.inputs) expect_inputs(in, 60, 15, 1);
    for (const auto& in : b.inputs) expect_inputs(in, 60, 15, 1);
}

TEST(OrderIndependence, EvaluatingBetweenAddsAndInAnyDateOrderChangesNothing) {
    const run base = evaluate(records);
    for (unsigned seed = 1; seed <= 5; ++seed) {
        SCOPED_TRACE("seed " + std::to_string(seed));
        auto order = records;
        std::mt19937 rng(seed);
        std::shuffle(order.begin(), order.end(), rng);
        harness h(plan_text);
        // Reports asked for while records arrive (at dates before and after the events) must
        // not leave state behind that changes later reports.
        for (std::size_t i = 0; i < order.size(); ++i) {
            h.add(order[i]);
            if (i % 4 == 3) (void)h.at(as_of_dates[(i / 4) % 4]);
        }
        run incremental;
        for (int i = 3; i >= 0; --i) {
            report r = h.at(as_of_dates[i]);
            incremental.sections.insert(incremental.sections.begin(), sections(r));
            incremental.inputs.insert(incremental.inputs.begin(), r.inputs);
        }
        expect_same(base, incremental);
        for (const auto& in : incremental.inputs) expect_inputs(in, 60, 15, 1);
    }
}

}  // namespace
