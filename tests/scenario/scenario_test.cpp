// Scenario tests, checked and run: the diagnostics of a test file against its plan (each
// unknown name, wrong kind, wrong field type, impossible date and bucket name that matches
// nothing or several, at its spot, with "did you mean"), the records typed statements become,
// and what running expectations of every kind reports when they hold and when they do not.
// Every expected message and status is worked out by hand from the plan below.
#include <gtest/gtest.h>

#include "support/scale.hpp"

#include <random>

#include "mandate/mandate.hpp"
#include "mandate/scenario/scenario.hpp"
#include "mandate/syntax/scenario.hpp"
#include "syntax/support.hpp"

namespace mandate {
namespace {

// April..June 2024 (04-01 is a Monday). `monthly` has grace 3 and warn 5; `covered` is a
// coverage by the end of May; `cadence` a gap over the campaign; `town_total` has no `each`.
const char* const plan_text = R"(plan lakeside_2024 { timezone "+08:00" }
phase campaign "宣传" from 2024-04-01 to 2024-06-30
kind town "镇"
kind village "村" within town
kind household "户" within village
event activity "活动" { venue: text, methods: set<text>, people?: int }
event leaflet "宣传页" { recipient: ref household }
event visit "走访" { minutes: number, held_on: date, ok: bool }
obligation monthly "每月活动" {
  each    v: village
  during  campaign
  every   month
  require count(activity of v where venue == "park") >= 1
  grace   3 days
  warn    5 days
}
obligation covered "宣传页全覆盖" {
  each    v: village
  by      2024-05-31
  require coverage(leaflet.recipient, household within v) >= 100%
}
obligation cadence "每三周" {
  each    v: village
  during  campaign
  require gap(visit of v) < 21 days
}
obligation town_total "全镇" {
  during  campaign
  every   month
  require count(activity) >= 2
}
outcome praise "表扬" {
  each   v: village
  during campaign
  every  month
  when   count(activity of v) >= 2
}
)";

const plan& compiled() {
    static const plan p = [] {
        auto c = compile(plan_text, "lakeside.mandate");
        if (!c.ok()) throw std::runtime_error("the test plan does not compile: " + headline(c.diagnostics().front()));
        return c.value();
    }();
    return p;
}

const std::string fixture =
    "plan lakeside_2024\n"
    "given {\n"
    "  entity t: town\n"
    "  entity v1: village in t \"东湖村\"\n"
    "  entity h1: household in v1\n"
    "}\n";

std::vector<std::string> errors_of(const std::string& text) {
    const source_file source("t.test.mandate", text);
    return testing::briefs(scenario::load(source, *compiled()).diagnostics());
}

scenario::suite suite_of(const source_file& source) {
    auto loaded = scenario::load(source, *compiled());
    if (!loaded.ok()) throw std::runtime_error("does not check: " + testing::brief(loaded.diagnostics().front()));
    return std::move(loaded).value();
}

// ------------------------------------------------------------------ checking

TEST(ScenarioCheck, NamesAreResolvedWithSuggestions) {
    const std::string text = fixture +                                     // lines 1..6
                             "test t1 {\n"                                 // 7
                             "  entity v2: vilage in t\n"                  // 8
                             "  entity h2: household in v9\n"              // 9
                             "  event actvity v1 2024-04-02 { venue: \"park\", methods: [] }\n"   // 10
                             "  event activity v3 2024-04-02 { venu: \"park\", methods: [] }\n"   // 11
                             "  as_of 2024-05-01\n"                        // 12
                             "  expect monthy[v1, 2024-04] == satisfied\n"  // 13
                             "  expect monthly[v, 2024-04] == satisfied\n"  // 14
                             "  expect prase[v1, 2024-04] fired\n"          // 15
                             "}\n";
    EXPECT_EQ(errors_of(text), (std::vector<std::string>{
                                   "8:14: error: unknown kind 'vilage', did you mean 'village'?",
                                   "9:27: error: unknown entity 'v9', did you mean 'v1'?",
                                   "10:9: error: unknown event type 'actvity', did you mean 'activity'?",
                                   "11:9: error: event activity needs field venue",
                                   "11:18: error: unknown entity 'v3', did you mean 'v1'?",
                                   "11:34: error: event type 'activity' has no field 'venu', did you mean 'venue'?",
                                   "13:10: error: unknown obligation 'monthy', did you mean 'monthly'?",
                                   "14:18: error: unknown entity 'v', did you mean 't'?",
                                   "15:10: error: unknown outcome 'prase', did you mean 'praise'?",
                               }));
}

TEST(ScenarioCheck, FieldsTakeValuesOfTheirType) {
    const std::string text = fixture +
                             "test t1 {\n"                                                                  // 7
                             "  event activity v1 2024-04-02 { venue: 12, methods: \"desk\" }\n"            // 8
                             "  event activity v1 2024-04-02 { venue: \"x\", methods: [1], people: 2.5 }\n" // 9
                             "  event leaflet v1 2024-04-02 { recipient: v1 }\n"                            // 10
                             "  event visit v1 2024-04-02 { minutes: 1.1234567, held_on: 2024-02-30, ok: 1 }\n"  // 11
                             "  event visit v1 2024-04-02 { minutes: 3, held_on: 2024-04-02, ok: true, id: \"x\" }\n"  // 12
                             "}\n";
    EXPECT_EQ(errors_of(text),
              (std::vector<std::string>{
                  "8:41: error: field 'venue' takes a text (a string in quotes), not a number",
                  "8:54: error: field 'methods' takes a set (a list in brackets, as in [\"a\", \"b\"]), not a string",
                  "9:56: error: field 'methods' takes a text (a string in quotes), not a number",
                  "9:68: error: field 'people' takes an int (a whole number), not 2.5",
                  "10:44: error: field 'recipient' names a household, and v1 is a village",
                  "11:40: error: number '1.1234567' has more than 6 fractional digits",
                  "12:74: error: 'id' is written before the braces: event [ID] TYPE UNIT TIME { ... }",
              }));
    // The rest of line 11 is seen once its number is fixed.
    const std::string fixed = fixture +
                              "test t1 {\n"
                              "  event visit v1 2024-04-02 { minutes: 1.5, held_on: 2024-02-30, ok: 1 }\n"  // 8
                              "  event visit v1 2024-04-02 { minutes: 3, held_on: 2024-04-02, ok: true, id: \"x\" }\n"  // 9
                              "}\n";
    EXPECT_EQ(errors_of(fixed), (std::vector<std::string>{
                                    "8:54: error: 2024-02-30 is not a date: February 2024 has 29 days",
                                    "8:70: error: field 'ok' takes true or false, not a number",
                                    "9:74: error: 'id' is written before the braces: event [ID] TYPE UNIT TIME { ... }",
                                }));
}

TEST(ScenarioCheck, EntitiesTimesAndBlocks) {
    const std::string text = fixture +
                             "test t1 {\n"                                               // 7
                             "  entity h5: household in t\n"                             // 8
                             "  entity v5: village in t since 2024-01-01 since 2024-02-01\n"  // 9
                             "  event activity v1 2024-04-02T24:00 { venue: \"p\", methods: [] }\n"  // 10
                             "  event \"a b\" v1 2024-04-02 { venue: \"p\", methods: [] }\n"  // 11
                             "  expect rejected 0\n"                                     // 12
                             "}\n"
                             "test t1 {\n"                                               // 14
                             "  as_of 2024-04-31\n"                                      // 15
                             "}\n"
                             "given {\n"                                                 // 17
                             "  as_of 2024-04-01\n"                                      // 18
                             "}\n";
    EXPECT_EQ(errors_of(text),
              (std::vector<std::string>{
                  "8:27: error: a household may not be within a town (t): kind household is within village",
                  "9:44: error: 'since' is given twice for entity v5",
                  "10:21: error: '2024-04-02T24:00' is not a time: write YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS, optionally "
                  "followed by Z or an offset like +08:00",
                  "11:9: error: an event type is written as a name, not in quotes",
                  "12:3: error: an expectation needs a date: write 'as_of DATE' before it",
                  "14:6: error: test 't1' is declared twice (first at 7:6)",
                  "15:9: error: 2024-04-31 is not a date: April 2024 has 30 days",
                  "18:3: error: a given block holds records only (entity, event, retract, record); put 'as_of' in a test",
              }));
}

TEST(ScenarioCheck, BucketNamesMustPickOneBucket) {
    const std::string text = fixture +
                             "test t1 {\n"                                            // 7
                             "  as_of 2024-05-01\n"                                   // 8
                             "  expect monthly[v1, 2024-03] == satisfied\n"           // 9
                             "  expect monthly[v1, 2024-04-01..2024-04-29] met\n"     // 10
                             "  expect covered[v1, 2024-05] == satisfied\n"           // 11
                             "  expect town_total[v1, 2024-04] == satisfied\n"        // 12
                             "  expect monthly[2024-04] == satisfied\n"               // 13
                             "  expect monthly[h1, 2024-04] == satisfied\n"           // 14
                             "  expect monthly[v1, 2024-05-02..2024-05-01] met\n"     // 15
                             "  expect no monthly[v1, 2024-07]\n"                     // 16
                             "  expect praise[v1, 2024-04] == satisfied\n"            // 17
                             "  expect monthly[v1, 2024-04] final\n"                  // 18
                             "  expect value praise[v1, 2024-04] == 2\n"              // 19
                             "}\n";
    EXPECT_EQ(errors_of(text),
              (std::vector<std::string>{
                  "9:22: error: no bucket of monthly lies in 2024-03; its buckets: 2024-04-01..2024-04-30, "
                  "2024-05-01..2024-05-31, 2024-06-01..2024-06-30",
                  "10:22: error: no bucket of monthly is 2024-04-01..2024-04-29; its buckets: 2024-04-01..2024-04-30, "
                  "2024-05-01..2024-05-31, 2024-06-01..2024-06-30",
                  "11:22: error: no bucket of covered lies in 2024-05; its buckets: 2024-04-01..2024-05-31",
                  "12:21: error: obligation 'town_total' has no 'each': name only the bucket, as in town_total[2024-04]",
                  "13:18: error: obligation 'monthly' has one instance per village: name the unit first, as in "
                  "monthly[UNIT, 2024-04]",
                  "14:18: error: h1 is a household, and obligation 'monthly' is for each village",
                  "15:22: error: the period ends before it starts: write FROM..TO with FROM on or before TO",
                  "17:10: error: 'praise' is an outcome: expect it fired or final (or not); only obligations have a "
                  "status, met, at_risk, a value or a reason",
                  "18:10: error: 'monthly' is an obligation: expect its status (== satisfied, violated or pending), met "
                  "or at_risk; only outcomes are fired or final",
                  "19:16: error: 'praise' is an outcome: expect it fired or final (or not); only obligations have a "
                  "status, met, at_risk, a value or a reason",
              }));
}

TEST(ScenarioCheck, ValuesHaveTheTypeOfTheComparedSide) {
    const std::string text = fixture +
                             "test t1 {\n"                                             // 7
                             "  as_of 2024-07-01\n"                                    // 8
                             "  expect value monthly[v1, 2024-04] == 2024-04-01\n"     // 9
                             "  expect value cadence[v1, 2024-05-01] == 3\n"           // 10
                             "  expect value cadence[v1, 2024-05-01] == 1 month\n"     // 11
                             "  expect value covered[v1, 2024-05-31] == \"all\"\n"     // 12
                             "  expect value monthly[v1, 2024-04] == v1\n"             // 13
                             "}\n";
    EXPECT_EQ(errors_of(text), (std::vector<std::string>{
                                   "9:40: error: the value of obligation 'monthly' is an int, not a date",
                                   "10:43: error: the value of obligation 'cadence' is a duration, not a number",
                                   "11:43: error: a month has no fixed length in days; write the value in days or weeks",
                                   "12:43: error: expected a value: a number, percent, date, duration, true, false or null, "
                                   "found a string",
                                   "13:40: error: expected a value: a number, percent, date, duration, true, false or null, "
                                   "found a name",
                               }));
}

TEST(ScenarioCheck, TheFileNamesItsPlan) {
    EXPECT_EQ(errors_of("test t { as_of 2024-04-01\n expect rejected 0 }\n"),
              (std::vector<std::string>{"1:1: error: a test file names the plan it tests first: plan lakeside_2024"}));
    EXPECT_EQ(errors_of("plan lakeside_2023\nplan lakeside_2024\ntest t { as_of 2024-04-01\n expect rejected 0 }\n"),
              (std::vector<std::string>{
                  "1:6: error: this file tests plan 'lakeside_2023', but the rule file is plan 'lakeside_2024'",
                  "2:1: error: a second plan line: a test file tests one plan (the first line is at 1:1)",
              }));
    EXPECT_EQ(errors_of("plan lakeside_2024\n"),
              (std::vector<std::string>{"1:1: error: this file holds no test: write one as test NAME \"label\" { ... }"}));
}

TEST(ScenarioCheck, ParseAndCheckErrorsTogetherWithoutEchoes) {
    // The entity of line 4 does not parse; v2 is then not reported as unknown on line 5, but
    // the unknown kind of line 3 still is.
    const std::string text =
        "plan lakeside_2024\n"
        "test t {\n"
        "  entity t: twn\n"
        "  entity v2: village in t since\n"
        "  event activity v2 2024-04-02 { venue: \"p\", methods: [] }\n"
        "  as_of 2024-04-0\n"
        "  expect monthly[v2, 2024-04] == satisfied\n"
        "}\n";
    EXPECT_EQ(errors_of(text), (std::vector<std::string>{
                                   "3:13: error: unknown kind 'twn', did you mean 'town'?",
                                   "5:3: error: expected a date (YYYY-MM-DD), found 'event'",
                                   "6:9: error: expected a date (YYYY-MM-DD), found '2024'",
                               }));
}

// ------------------------------------------------------------------ records

TEST(ScenarioCheck, TypedStatementsBecomeTheRecordsAHostSends) {
    const std::string text = fixture +
                             "test t1 {\n"
                             "  entity h2: household in v1 \"王家\" since 2024-01-01 until 2024-05-01 version 2\n"
                             "  event activity v1 2024-04-02T09:30:00+08:00 { venue: \"park\", methods: [\"desk\", \"banner\"] }\n"
                             "  event e7 visit v1 2024-04-03 { minutes: 12.5, held_on: 2024-04-03, ok: true }\n"
                             "  event leaflet v1 2024-04-04 { recipient: h1 }\n"
                             "  retract e7\n"
                             "}\n";
    const source_file source("t.test.mandate", text);
    const scenario::suite s = suite_of(source);
    ASSERT_EQ(s.given.size(), 3u);
    EXPECT_EQ(s.given[1].json, "{\"entity\": \"v1\", \"kind\": \"village\", \"parent\": \"t\", \"name\": \"东湖村\"}");
    ASSERT_EQ(s.tests.size(), 1u);
    std::vector<std::string> json;
    for (const auto& st : s.tests[0].steps) json.push_back(std::get<scenario::record_step>(st).json);
    // Events without an id get TEST.N, counted in the test.
    EXPECT_EQ(json, (std::vector<std::string>{
                        "{\"entity\": \"h2\", \"kind\": \"household\", \"parent\": \"v1\", \"name\": \"王家\", "
                        "\"since\": \"2024-01-01\", \"until\": \"2024-05-01\", \"version\": 2}",
                        "{\"id\": \"t1.1\", \"type\": \"activity\", \"time\": \"2024-04-02T09:30:00+08:00\", \"unit\": \"v1\", "
                        "\"venue\": \"park\", \"methods\": [\"desk\", \"banner\"]}",
                        "{\"id\": \"e7\", \"type\": \"visit\", \"time\": \"2024-04-03\", \"unit\": \"v1\", \"minutes\": 12.5, "
                        "\"held_on\": \"2024-04-03\", \"ok\": true}",
                        "{\"id\": \"t1.2\", \"type\": \"leaflet\", \"time\": \"2024-04-04\", \"unit\": \"v1\", \"recipient\": \"h1\"}",
                        "{\"retract\": \"e7\"}",
                    }));
}

// ------------------------------------------------------------------ running

std::vector<std::string> run_messages(const std::string& text, std::size_t* passed = nullptr) {
    const source_file source("t.test.mandate", text);
    const scenario::run_result r = scenario::run(suite_of(source), source, compiled());
    std::vector<std::string> out;
    for (const auto& x : r.expectations)
        out.push_back(std::to_string(x.pos.line) + " " + (x.passed ? "pass " + x.text : x.message));
    if (passed) *passed = r.passed;
    EXPECT_EQ(r.passed + r.failed, r.expectations.size());
    return out;
}

TEST(ScenarioRun, StatusesMetAndAtRisk) {
    // v1's April: an activity at the market (not a park) on 04-10. warn 5: at risk from 04-25;
    // grace 3: closed on 05-04.
    const std::string text = fixture +
                             "test april {\n"                                      // 7
                             "  event activity v1 2024-04-10 { venue: \"market\", methods: [] }\n"
                             "  as_of 2024-04-24\n"
                             "  expect monthly[v1, 2024-04] not at_risk\n"          // 10
                             "  as_of 2024-04-25\n"
                             "  expect monthly[v1, 2024-04] at_risk\n"              // 12
                             "  expect monthly[v1, 2024-04] == violated\n"          // 13
                             "  as_of 2024-05-04\n"
                             "  expect monthly[v1, 2024-04] == violated\n"          // 15
                             "  expect monthly[v1, 2024-04] met\n"                  // 16
                             "  expect monthly[v1, 2024-04] not at_risk\n"          // 17
                             "}\n";
    EXPECT_EQ(run_messages(text),
              (std::vector<std::string>{
                  "10 pass monthly[v1, 2024-04] not at_risk",
                  "12 pass monthly[v1, 2024-04] at_risk",
                  "13 expected monthly[v1, 2024-04] == violated, got pending (not met, value 0, at risk)",
                  "15 pass monthly[v1, 2024-04] == violated",
                  "16 expected monthly[v1, 2024-04] met, got violated (not met, value 0)",
                  "17 pass monthly[v1, 2024-04] not at_risk",
              }));
}

TEST(ScenarioRun, ValuesReasonsAndMissingBuckets) {
    // covered: h1 gets a leaflet, h2 (registered from 05-10) does not: 1/2 on 05-31.
    // cadence: visits on 04-01 and 04-25, none after: the longest run is 04-26..06-30, 66 days.
    // June's `monthly` (grace 3 days) is still open on 07-01: pending, and at risk.
    const std::string text = fixture +
                             "test values {\n"                                            // 7
                             "  entity h2: household in v1 since 2024-05-10\n"
                             "  event leaflet v1 2024-04-04 { recipient: h1 }\n"
                             "  event visit v1 2024-04-01 { minutes: 10, held_on: 2024-04-01, ok: true }\n"
                             "  event visit v1 2024-04-25 { minutes: 10, held_on: 2024-04-25, ok: true }\n"
                             "  as_of 2024-07-01\n"                                       // 12
                             "  expect value covered[v1, 2024-05-31] == 50%\n"            // 13
                             "  expect value covered[v1, 2024-05-31] == 0.49\n"           // 14
                             "  expect value cadence[v1, 2024-06-01] == 66 days\n"        // 15
                             "  expect value cadence[v1, 2024-06-01] == 9 weeks\n"        // 16
                             "  expect reason covered[v1, 2024-05-31] == null\n"          // 17
                             "  expect value town_total[2024-04] == 0\n"                  // 18
                             "  expect town_total[2024-04-15] == violated\n"              // 19
                             "  expect no monthly[v1, 2024-07]\n"                         // 20
                             "  expect no monthly[v1, 2024-06]\n"                         // 21
                             "}\n"
                             "test no_data {\n"                                           // 23
                             "  entity v2: village in t\n"
                             "  as_of 2024-06-01\n"
                             "  expect reason covered[v2, 2024-05] == \"no data\"\n"      // 26: names no bucket
                             "}\n";
    // Line 26 is a checker error (a `by` bucket is not May's); leave it out to run the rest.
    std::string runnable = text;
    runnable.replace(runnable.find("covered[v2, 2024-05]"), 20, "covered[v2, 2024-05-31]");
    EXPECT_EQ(errors_of(text), (std::vector<std::string>{"26:29: error: no bucket of covered lies in 2024-05; its buckets: "
                                                         "2024-04-01..2024-05-31"}))
        << "the window of a `by` rule without `during` starts with the plan's first phase";
    std::size_t passed = 0;
    EXPECT_EQ(run_messages(runnable, &passed),
              (std::vector<std::string>{
                  "13 pass value covered[v1, 2024-05-31] == 50%",
                  "14 expected value covered[v1, 2024-05-31] == 0.49, got 0.5 (violated)",
                  "15 pass value cadence[v1, 2024-06-01] == 66 days",
                  "16 expected value cadence[v1, 2024-06-01] == 9 weeks, got 66 days (violated)",
                  "17 pass reason covered[v1, 2024-05-31] == null",
                  "18 pass value town_total[2024-04] == 0",
                  "19 pass town_total[2024-04-15] == violated",
                  "20 pass no monthly[v1, 2024-07]",
                  "21 expected no monthly[v1, 2024-06], but it exists: pending (not met, value 0, at risk)",
                  "26 pass reason covered[v2, 2024-05-31] == \"no data\"",
              }));
    EXPECT_EQ(passed, 7u);
}

TEST(ScenarioRun, OutcomesRejectionsAndRetractions) {
    const std::string text = fixture +
                             "test outcomes {\n"                                                    // 7
                             "  event activity v1 2024-04-02 { venue: \"park\", methods: [] }\n"    // 8: id outcomes.1
                             "  event activity v1 2024-04-03 { venue: \"park\", methods: [] }\n"    // 9: id outcomes.2
                             "  record \"{\\\"id\\\": \\\"x\\\", \\\"type\\\": \\\"actvity\\\", \\\"time\\\": \\\"2024-04-02\\\", \\\"unit\\\": \\\"v1\\\"}\"\n"  // 10
                             "  as_of 2024-04-03\n"
                             "  expect praise[v1, 2024-04] fired\n"                                 // 12
                             "  expect praise[v1, 2024-04] final\n"                                 // 13
                             "  expect rejected 1\n"                                                // 14
                             "  expect rejected \"unknown event type 'actvity'\"\n"                 // 15
                             "  expect rejected \"too long\"\n"                                     // 16
                             "  retract \"outcomes.2\"\n"
                             "  expect praise[v1, 2024-04] not fired\n"                             // 18
                             "  expect rejected 0\n"                                                // 19
                             "}\n";
    EXPECT_EQ(run_messages(text),
              (std::vector<std::string>{
                  "12 pass praise[v1, 2024-04] fired",
                  "13 expected praise[v1, 2024-04] final, got fired, not final",
                  "14 pass rejected 1",
                  "15 pass rejected \"unknown event type 'actvity'\"",
                  "16 expected rejected \"too long\", but no rejection says that (rejected: line 10: unknown event type "
                  "'actvity')",
                  "18 pass praise[v1, 2024-04] not fired",
                  "19 expected rejected 0, got 1 (rejected: line 10: unknown event type 'actvity')",
              }));
}

TEST(ScenarioRun, EachTestStartsFromTheGivenRecordsOnly) {
    const std::string text = fixture +
                             "test first {\n"
                             "  event activity v1 2024-04-02 { venue: \"park\", methods: [] }\n"
                             "  as_of 2024-04-02\n"
                             "  expect monthly[v1, 2024-04] == satisfied\n"  // 10
                             "}\n"
                             "test second {\n"
                             "  as_of 2024-04-02\n"
                             "  expect monthly[v1, 2024-04] == pending\n"  // 14
                             "}\n";
    EXPECT_EQ(run_messages(text), (std::vector<std::string>{
                                      "10 pass monthly[v1, 2024-04] == satisfied",
                                      "14 pass monthly[v1, 2024-04] == pending",
                                  }));
}

}  // namespace
}  // namespace mandate

namespace mandate {
namespace {

// ------------------------------------------------------------------ robustness

std::string read_rules(const char* name) { return testing::read_text(std::string(MANDATE_SOURCE_DIR) + "/rules/" + name); }

TEST(ScenarioRobustness, MutatedGoutangTestsNeverCrashTheChecker) {
    auto goutang = compile(read_rules("goutang-2023.mandate"), "goutang-2023.mandate");
    ASSERT_TRUE(goutang.ok());
    const std::string original = read_rules("goutang-2023.test.mandate");
    std::mt19937 random(20231230);
    for (int round = 0; round < mandate::testing::scaled(60); ++round) {
        std::string text = original;
        for (int e = 0; e < 8; ++e) {
            const std::size_t at = random() % text.size();
            switch (random() % 3) {
                case 0: text.erase(at, 1 + random() % 20); break;
                case 1: text.insert(at, text.substr(random() % text.size(), 1 + random() % 30)); break;
                default: text[at] = static_cast<char>(random() % 256); break;
            }
        }
        const source_file source("m.test.mandate", text);
        const auto loaded = scenario::load(source, **goutang);
        for (const auto& d : loaded.diagnostics()) {
            ASSERT_LE(d.where.begin, text.size());
            ASSERT_FALSE(d.message.empty());
            ASSERT_FALSE(render(d, source).empty());
        }
        // Whatever still checks also runs.
        if (loaded.ok()) scenario::run(loaded.value(), source, goutang.value());
    }
}

TEST(ScenarioRobustness, EmptyAndBinaryFiles) {
    // Without a plan line, that it holds no test is not said as well.
    EXPECT_EQ(errors_of(""), (std::vector<std::string>{
                                 "1:1: error: a test file names the plan it tests first: plan lakeside_2024",
                             }));
    const std::string binary("\x00\x01\xff{}\"\n\x7f", 8);
    EXPECT_FALSE(errors_of(binary).empty());
}

}  // namespace
}  // namespace mandate
