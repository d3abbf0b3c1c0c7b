// Regressions found by review, each pinned by hand-worked expectations.
#include <gtest/gtest.h>

#include "mandate/mandate.hpp"

namespace mandate {
namespace {

const outcome_row* outcome(const report& r, const std::string& id, const std::string& unit) {
    for (const auto& o : r.outcomes)
        if (o.outcome == id && o.unit == unit) return &o;
    return nullptr;
}

// coverage() over the built-in `unit` field: the share of villages that reported a visit.
TEST(Regressions, CoverageOverTheBuiltInUnitField) {
    auto p = compile(R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-04-30
kind town "镇"
kind village "村" within town
event visit "走访" {}
obligation reported "全覆盖" { each t: town  during campaign  require coverage(visit.unit, village within t) >= 100% }
)", "p.mandate");
    ASSERT_TRUE(p.ok());
    engine e(*p);
    for (const char* line : {R"({"entity": "t1", "kind": "town"})", R"({"entity": "v1", "kind": "village", "parent": "t1"})",
                             R"({"entity": "v2", "kind": "village", "parent": "t1"})",
                             R"({"id": "x", "type": "visit", "time": "2023-04-03", "unit": "v1"})"})
        ASSERT_EQ(e.add(line), add_status::accepted) << line;
    const report r = e.evaluate(calendar::from_ymd(2023, 5, 1));
    ASSERT_EQ(r.results.size(), 1u);
    // v1 of {v1, v2}: 1/2, judged at the close, violated.
    EXPECT_EQ(r.results[0].value.to_string(), "0.5");
    EXPECT_EQ(r.results[0].status, status::violated);
}

// Two outcomes share one streak node but not their grace: as of 07-05, June is closed for the
// rule without grace (so April-June make 3 months) and still open for the one with 10 days
// (only April and May: 2). Whichever is declared first.
TEST(Regressions, AStreakSharedByRulesWithDifferentGraces) {
    const std::string head = R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-09-30
kind village "村"
event fraud_case "案件" {}
)";
    const std::string quick = "outcome quick \"q\" { each v: village  during campaign  when streak(month, count(fraud_case of v) == 0) >= 3 }\n";
    const std::string slow = "outcome slow \"s\" { each v: village  during campaign  grace 10 days  when streak(month, count(fraud_case of v) == 0) >= 3 }\n";
    for (const std::string& body : {quick + slow, slow + quick}) {
        auto p = compile(head + body, "p.mandate");
        ASSERT_TRUE(p.ok());
        engine e(*p);
        e.add(R"({"entity": "v1", "kind": "village"})");
        const report r = e.evaluate(calendar::from_ymd(2023, 7, 5));
        ASSERT_TRUE(outcome(r, "quick", "v1") && outcome(r, "slow", "v1"));
        EXPECT_TRUE(outcome(r, "quick", "v1")->fired);
        EXPECT_FALSE(outcome(r, "slow", "v1")->fired);
        EXPECT_FALSE(outcome(r, "quick", "v1")->final);
        EXPECT_FALSE(outcome(r, "slow", "v1")->final);
    }
}

}  // namespace
}  // namespace mandate
