// The Goutang 2023 rule file (rules/goutang-2023.mandate) on a small hand-designed town
// (tests/golden/goutang/registry.jsonl and events.jsonl): every obligation and outcome, with the
// status of every bucket worked out by hand from LANGUAGE.md, LANGUAGE-v2.md (sections 1-3) and
// docs/choices.md, as of 2023-04-20, 2023-07-01 and 2024-02-15 (plus the two days around the
// rectification listing). The rule file follows PLAN.md's revised readings: screen shares per
// outlet with `screen: true`, criticism of the finance office and of a central school for its
// school up to 2024-03-31, either ground for the listing, the top ten with no violation, a
// training at least once in each three-week bucket from 04-01 (grace 5 days), and a
// rectification window running to 2024-03-31 so that every listing gets its full 30 days.
//
// The town
//   gt (town) with ps1 (police station), fo1 (finance office), m1 (member unit, staff m1s01..10)
//   v1 "model" village: vg1a cm1a en1a in1a, stairwells sw1a sw1b sw1c (sw1c until 2023-05-01, a
//      version-1 record), households hh1a hh1b, merchant mc1a, key persons kp1a kp1b, staff s1_01..10
//   v2 "mixed" village: vg2a en2a in2a, sw2a sw2b, hh2a, mc2a, kp2a, staff s2_01 s2_02
//   v3 "bad" village:   vg3a en3a, sw3a, hh3a, mc3a, kp3a kp3b, staff s3_01 s3_02
//   op1 (operator) with outlets op1o1 (screen: true) and op1o2 (no `screen`: not held to a share)
//   bk1 (bank) with outlets bk1o1 (counter bk1o1c, atm bk1o1a) and bk1o2 (bk1o2c, bk1o2a), both
//      screen: true
//   cs1 (central school) > sc1 (school) > su1 su2 su3 (students)
//
// Calendar facts used below: 2023-04-01 is a Saturday, so the first full campaign week is
// Mon 04-03..Sun 04-09; 2023-12-30 is a Saturday, so the last full week is 12-18..12-24
// (12-25..12-31 is cut by the campaign's end and dropped by `full`): 38 full weeks. The campaign
// runs 2023-04-01..12-30 (274 days); its December bucket is 12-01..12-30. The plan's span (the
// default window of `by` obligations) is 2023-03-01..12-31; notify_criticism runs
// 2023-03-01..2024-03-31. internal_training_cadence's 14 buckets (`every 3 weeks` from 04-01):
// 04-01..04-21, 04-22..05-12, 05-13..06-02, 06-03..06-23, 06-24..07-14, 07-15..08-04,
// 08-05..08-25, 08-26..09-15, 09-16..10-06, 10-07..10-27, 10-28..11-17, 11-18..12-08,
// 12-09..12-29 and 12-30..12-30 (cut by the campaign's end); with grace 5 days each is
// violated, when it is, 6 days after its end (04-27, 05-18, 06-08, 06-29, 07-20, 08-10, 08-31,
// 09-21, 10-12, 11-02, 11-23, 12-14, 2024-01-04, 2024-01-05).
//
// Every village, member unit and key-person roll here is non-empty, so the `each ... where`
// readings remove no row from this data; the scenario tests beside the rule file show rows
// that go.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "mandate/mandate.hpp"

namespace {

using mandate::rational;
using mandate::report;
using mandate::status;
using mandate::calendar::day;
using mandate::calendar::from_ymd;

constexpr status P = status::pending;
constexpr status S = status::satisfied;
constexpr status X = status::violated;

day D(int y, int m, int d) { return from_ymd(y, m, d); }
day D23(int m, int d) { return from_ymd(2023, m, d); }

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// ------------------------------------------------------------------------------------------
// Expected values

struct V {
    enum class k { skip, null, number, days } kind = k::skip;
    rational r;
};
V skip() { return {}; }
V null() { return {V::k::null, {}}; }
V num(std::int64_t n, std::int64_t d = 1) { return {V::k::number, rational(n, d)}; }
V num(rational r) { return {V::k::number, r}; }
V days(std::int64_t n) { return {V::k::days, rational(n)}; }

struct row_exp {
    std::string unit;
    day from, to;
    status st;
    bool met;
    V value;
    bool at_risk = false;
    bool no_data = false;  // reason "no data"
};

struct out_exp {
    std::string unit;
    day from, to;
    bool fired, final;
    std::optional<day> final_on;  // checked when final
};

std::string iso(day d) { return mandate::calendar::to_iso(d); }
const char* st_name(status s) { return mandate::to_string(s); }

// The plan's 29 obligations and 3 outcomes; each as-of test checks every one of them.
const std::vector<std::string> all_obligations = {
    "taskforce_formed",       "rep_training_coverage",   "mobilization_meeting",   "village_monthly_activity",
    "three_ones_banner",      "three_ones_poster",       "three_ones_leaflet",     "enterprise_pledge",
    "key_person_visits",      "operator_outlet_column",  "operator_screen_share",  "operator_sms_monthly",
    "operator_staff_training", "bank_outlet_column",     "bank_screen_share",      "bank_sms_weekly",
    "bank_signage",           "bank_official_posts",     "student_pledge",         "volunteer_team",
    "term_lecture",           "term_end_lecture",        "unit_plan_issued",       "internal_training_cadence",
    "training_participation", "antifraud_follow_rate",   "accountant_training",    "spot_checks",
    "rectification_done"};
const std::vector<std::string> all_outcomes = {"notify_criticism", "rectification_listing", "recommend_top10"};

// Asserts that the report's rows for `obligation` are exactly `expected` (no more, no fewer),
// and records the id as checked.
class checker {
public:
    explicit checker(const report& r) : r_(r) {}

    void obligation(const std::string& id, const std::vector<row_exp>& expected) {
        checked_obligations_.insert(id);
        SCOPED_TRACE("obligation " + id + " as of " + iso(r_.as_of));
        std::vector<const mandate::result_row*> rows;
        for (const auto& row : r_.results)
            if (row.obligation == id) rows.push_back(&row);
        EXPECT_EQ(rows.size(), expected.size()) << "number of rows of " << id;
        std::set<const mandate::result_row*> used;
        for (const auto& e : expected) {
            const std::string where = e.unit + " " + iso(e.from) + ".." + iso(e.to);
            SCOPED_TRACE(where);
            auto it = std::find_if(rows.begin(), rows.end(), [&](const mandate::result_row* row) {
                return row->unit && *row->unit == e.unit && row->span.from == e.from && row->span.to == e.to;
            });
            if (it == rows.end()) {
                ADD_FAILURE() << "no row " << id << " " << where;
                continue;
            }
            const auto& row = **it;
            used.insert(&row);
            EXPECT_STREQ(st_name(row.status), st_name(e.st));
            EXPECT_EQ(row.met, e.met);
            EXPECT_EQ(row.at_risk, e.at_risk);
            if (e.no_data)
                EXPECT_EQ(row.reason.value_or("(none)"), "no data");
            else
                EXPECT_FALSE(row.reason.has_value()) << *row.reason;
            switch (e.value.kind) {
                case V::k::skip: break;
                case V::k::null: EXPECT_TRUE(row.value.is_null()) << row.value.to_string(); break;
                case V::k::number:
                    EXPECT_EQ(row.value.k, mandate::reported_value::kind::number) << row.value.to_string();
                    EXPECT_EQ(row.value.number.to_fraction_string(), e.value.r.to_fraction_string());
                    break;
                case V::k::days:
                    EXPECT_EQ(row.value.k, mandate::reported_value::kind::days) << row.value.to_string();
                    EXPECT_EQ(row.value.number.to_fraction_string(), e.value.r.to_fraction_string());
                    break;
            }
        }
        for (const auto* row : rows)
            if (!used.count(row))
                ADD_FAILURE() << "unexpected row " << id << " " << row->unit.value_or("(none)") << " "
                              << iso(row->span.from) << ".." << iso(row->span.to) << " " << st_name(row->status);
    }

    void outcome(const std::string& id, const std::vector<out_exp>& expected) {
        checked_outcomes_.insert(id);
        SCOPED_TRACE("outcome " + id + " as of " + iso(r_.as_of));
        std::vector<const mandate::outcome_row*> rows;
        for (const auto& row : r_.outcomes)
            if (row.outcome == id) rows.push_back(&row);
        EXPECT_EQ(rows.size(), expected.size()) << "number of rows of " << id;
        std::set<const mandate::outcome_row*> used;
        for (const auto& e : expected) {
            const std::string where = e.unit + " " + iso(e.from) + ".." + iso(e.to);
            SCOPED_TRACE(where);
            auto it = std::find_if(rows.begin(), rows.end(), [&](const mandate::outcome_row* row) {
                return row->unit && *row->unit == e.unit && row->span.from == e.from && row->span.to == e.to;
            });
            if (it == rows.end()) {
                ADD_FAILURE() << "no row " << id << " " << where;
                continue;
            }
            const auto& row = **it;
            used.insert(&row);
            EXPECT_EQ(row.fired, e.fired);
            EXPECT_EQ(row.final, e.final);
            if (e.final && e.final_on) {
                ASSERT_TRUE(row.final_on.has_value());
                EXPECT_EQ(iso(*row.final_on), iso(*e.final_on));
            }
        }
        for (const auto* row : rows)
            if (!used.count(row))
                ADD_FAILURE() << "unexpected row " << id << " " << row->unit.value_or("(none)") << " "
                              << iso(row->span.from) << ".." << iso(row->span.to);
    }

    // Every obligation and outcome of the plan was checked.
    void all_checked() const {
        for (const auto& id : all_obligations) EXPECT_TRUE(checked_obligations_.count(id)) << id << " not checked";
        for (const auto& id : all_outcomes) EXPECT_TRUE(checked_outcomes_.count(id)) << id << " not checked";
    }

private:
    const report& r_;
    std::set<std::string> checked_obligations_, checked_outcomes_;
};

// ------------------------------------------------------------------------------------------
// Bucket builders

day month_end_in_campaign(int m) { return m == 12 ? D23(12, 30) : D23(m, mandate::calendar::days_in_month(2023, m)); }

// A campaign month bucket (`every month` during campaign).
row_exp mon(const std::string& unit, int m, status st, bool met, V value, bool at_risk = false) {
    return {unit, D23(m, 1), month_end_in_campaign(m), st, met, value, at_risk};
}
// A cumulative month bucket (`every month cumulative from 2023-03-01`): from 03-01.
row_exp cum(const std::string& unit, int m, status st, bool met, V value) {
    return {unit, D23(3, 1), month_end_in_campaign(m), st, met, value};
}
// The one `by DATE` bucket: from the plan's start (2023-03-01) to DATE.
row_exp by(const std::string& unit, day to, status st, bool met, V value, bool at_risk = false) {
    return {unit, D23(3, 1), to, st, met, value, at_risk};
}
// The one campaign bucket.
row_exp camp(const std::string& unit, status st, bool met, V value) {
    return {unit, D23(4, 1), D23(12, 30), st, met, value};
}
// The k-th (from 0) three-week bucket of internal_training_cadence: 04-01 + 21k for 21 days,
// the last (k = 13) cut to 12-30..12-30.
row_exp tri(const std::string& unit, int k, status st, bool met, V value) {
    const day from = D23(4, 1) + 21 * k;
    return {unit, from, std::min<day>(from + 20, D23(12, 30)), st, met, value};
}
row_exp no_data(row_exp r) {
    r.no_data = true;
    return r;
}

// Full Monday weeks 2023-04-03..12-24, those started by `as_of`.
std::vector<day> mondays_until(day as_of) {
    std::vector<day> out;
    for (day m = D23(4, 3); m + 6 <= D23(12, 30) && m <= as_of; m += 7) out.push_back(m);
    return out;
}

// A notify_criticism month of 2023 (its window runs 2023-03..2024-03).
out_exp nmon(const std::string& unit, int m, bool fired, bool final, std::optional<day> final_on = std::nullopt) {
    return {unit, D23(m, 1), D23(m, mandate::calendar::days_in_month(2023, m)), fired, final, final_on};
}
// A notify_criticism month of 2024.
out_exp nmon24(const std::string& unit, int m, bool fired, bool final, std::optional<day> final_on = std::nullopt) {
    return {unit, D(2024, m, 1), D(2024, m, mandate::calendar::days_in_month(2024, m)), fired, final, final_on};
}
// The units notify_criticism is judged for.
const std::vector<std::string> criticised = {"v1", "v2", "v3", "op1", "bk1", "cs1", "m1", "fo1"};
// A notify_criticism bucket's first final day: the day after the month, or the latest close
// day of a bucket with grace ending in the month, if later. For a village that is its
// village_monthly_activity bucket (end + 5 days grace + 1: April 05-06, December 12-30 + 6 =
// 2024-01-05), never earlier than its cadence buckets ending in the month (the latest of those
// close on 11-02, 2024-01-04 and 2024-01-05). For the member unit m1 it is its cadence buckets:
// 10-07..10-27 closes on 11-02 and 12-30..12-30 on 2024-01-05; every other one closes before
// the month's own close (08-05..08-25 on 08-31, 06-03..06-23 on 06-29).
day notify_final_on(const std::string& unit, int m) {
    if (m == 3) return D23(4, 1);  // March buckets (taskforce, mobilization) have no grace
    if (unit[0] == 'v') return month_end_in_campaign(m) + 6;
    if (unit == "m1" && m == 10) return D23(11, 2);
    if (unit == "m1" && m == 12) return D(2024, 1, 5);
    return D23(m, mandate::calendar::days_in_month(2023, m)) + 1;
}

// ------------------------------------------------------------------------------------------
// The fixture: the compiled rule file and an engine holding the golden records.

class Goutang : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        const std::string root = MANDATE_SOURCE_DIR;
        auto compiled = mandate::compile(slurp(root + "/rules/goutang-2023.mandate"), "goutang-2023.mandate");
        ASSERT_TRUE(compiled.ok());
        plan_ = new mandate::plan(compiled.value());
        engine_ = new mandate::engine(*plan_);
        std::ifstream registry(root + "/tests/golden/goutang/registry.jsonl");
        std::ifstream events(root + "/tests/golden/goutang/events.jsonl");
        ASSERT_TRUE(registry && events);
        engine_->add_jsonl(registry, "registry.jsonl");
        engine_->add_jsonl(events, "events.jsonl");
    }
    static void TearDownTestSuite() {
        delete engine_;
        delete plan_;
        engine_ = nullptr;
        plan_ = nullptr;
    }
    static report at(day as_of) { return engine_->evaluate(as_of); }

    static mandate::plan* plan_;
    static mandate::engine* engine_;
};
mandate::plan* Goutang::plan_ = nullptr;
mandate::engine* Goutang::engine_ = nullptr;

// The three March `by` obligations do not change after 2023-03-31 (their buckets are closed from
// 04-01), so they read the same at every as-of date used here.
void check_mobilization(checker& c) {
    // The town's own task force was only formed on 04-02 (after the deadline), and v1's does not
    // count for the town (unit == u); v3 never formed one.
    c.obligation("taskforce_formed", {
                                         by("gt", D23(3, 31), X, false, num(0)),
                                         by("v1", D23(3, 31), S, true, num(1)),
                                         by("v2", D23(3, 31), S, true, num(1)),
                                         by("v3", D23(3, 31), X, false, num(0)),
                                         by("m1", D23(3, 31), S, true, num(1)),
                                     });
    // rt1 {v1, v2, op1} + rt2 {v3, bk1, v1}: all 5 villages/operators/banks under gt.
    c.obligation("rep_training_coverage", {by("gt", D23(3, 31), S, true, num(1))});
    // v3 held no meeting; cs1's only meeting was reported by its school sc1, which does not count
    // for cs1 itself (unit == u).
    c.obligation("mobilization_meeting", {
                                             by("gt", D23(3, 31), S, true, num(1)),
                                             by("v1", D23(3, 31), S, true, num(1)),
                                             by("v2", D23(3, 31), S, true, num(1)),
                                             by("v3", D23(3, 31), X, false, num(0)),
                                             by("op1", D23(3, 31), S, true, num(1)),
                                             by("bk1", D23(3, 31), S, true, num(1)),
                                             by("cs1", D23(3, 31), X, false, num(0)),
                                             by("m1", D23(3, 31), S, true, num(1)),
                                         });
}

// ------------------------------------------------------------------------------------------

TEST_F(Goutang, AsOf2023_04_20) {
    const report r = at(D23(4, 20));
    checker c(r);
    check_mobilization(c);

    // v1: activity at the park 04-08 (monotone: satisfied early). v2's is on 04-22, after T; the
    // bucket ends in 10 days, more than warn 7 days: not at risk. v3: park on 04-15.
    c.obligation("village_monthly_activity", {
                                                 mon("v1", 4, S, true, num(1)),
                                                 mon("v2", 4, P, false, num(0)),
                                                 mon("v3", 4, S, true, num(1)),
                                             });
    // Coverage is judged at the close (05-31): pending, with met telling the coverage so far;
    // 05-31 - 04-20 = 41 days > warn 14: not at risk.
    c.obligation("three_ones_banner", {
                                          by("v1", D23(5, 31), P, true, num(1)),      // 4/4
                                          by("v2", D23(5, 31), P, false, num(2, 3)),  // vg2a, en2a; not in2a
                                          by("v3", D23(5, 31), P, false, num(0)),     // 0/2
                                      });
    // sw1c is registered until 2023-05-01: not active at the bucket's end (05-31), so not counted
    // even though T is before that.
    c.obligation("three_ones_poster", {
                                          by("v1", D23(5, 31), P, true, num(1)),      // sw1a, sw1b
                                          by("v2", D23(5, 31), P, false, num(1, 2)),  // sw2a only so far
                                          by("v3", D23(5, 31), P, false, num(0)),
                                      });
    c.obligation("three_ones_leaflet", {
                                           by("v1", D23(5, 31), P, true, num(1)),      // hh1a hh1b mc1a
                                           by("v2", D23(5, 31), P, false, num(1, 2)),  // hh2a; mc2a on 05-20
                                           by("v3", D23(5, 31), P, false, num(0)),     // hh3a on 05-01
                                       });
    c.obligation("enterprise_pledge", {
                                          by("v1", D23(5, 30), P, false, num(1, 2)),  // en1a 04-18
                                          by("v2", D23(5, 30), P, false, num(1, 2)),  // en2a on T itself
                                          by("v3", D23(5, 30), P, false, num(0)),
                                      });
    c.obligation("key_person_visits", {
                                          camp("v1", P, false, num(0)),
                                          camp("v2", P, false, num(0)),
                                          camp("v3", P, false, num(0)),
                                      });

    // Cumulative from 03-01: op1o1's column (03-15) counts, op1o2's comes on 05-10.
    c.obligation("operator_outlet_column", {cum("op1", 4, P, false, num(1, 2))});
    // op1o1 (screen: true) reports no screen time: its share is 0/0, undefined. A child
    // quantifier has no single value (null) and waits for the close.
    c.obligation("operator_screen_share", {no_data(mon("op1", 4, P, false, null()))});
    // 04-03 and 04-17: two SMS campaigns, monotone: satisfied early.
    c.obligation("operator_sms_monthly", {mon("op1", 4, S, true, num(2))});
    c.obligation("operator_staff_training", {mon("op1", 4, S, true, num(1))});

    // bk1o1's column 03-20 (mobilization, counts) and bk1o2's 04-05: 2/2 but judged at the close.
    c.obligation("bank_outlet_column", {cum("bk1", 4, P, true, num(1))});
    // Per screen outlet: bk1o1 has 100 anti-fraud seconds of 1000 on 04-10, 10%; bk1o2 nothing
    // yet, 0/0 (no data).
    c.obligation("bank_screen_share", {no_data(mon("bk1", 4, P, false, null()))});
    // SMS on Fridays 04-07, 04-14; 04-21 is after T.
    c.obligation("bank_sms_weekly", {
                                        {"bk1", D23(4, 3), D23(4, 9), S, true, num(1)},
                                        {"bk1", D23(4, 10), D23(4, 16), S, true, num(1)},
                                        {"bk1", D23(4, 17), D23(4, 23), P, false, num(0)},
                                    });
    // Counters/ATMs: bk1o1c, bk1o1a (03-20), bk1o2c (04-10); bk1o2a only on 05-15.
    c.obligation("bank_signage", {cum("bk1", 4, P, false, num(3, 4))});
    // Posts on Mondays and Thursdays: the week of 04-17 has 04-17 and 04-20 (= T): satisfied early.
    c.obligation("bank_official_posts", {
                                            {"bk1", D23(4, 3), D23(4, 9), S, true, num(2)},
                                            {"bk1", D23(4, 10), D23(4, 16), S, true, num(2)},
                                            {"bk1", D23(4, 17), D23(4, 23), S, true, num(2)},
                                        });

    // su3's first pledge (pl_su3a, 04-15) is retracted (the retraction comes first in the file).
    c.obligation("student_pledge", {by("cs1", D23(5, 31), P, false, num(2, 3))});
    c.obligation("volunteer_team", {by("cs1", D23(5, 31), P, false, num(0))});
    // The spring term started 02-13 (outside the campaign: no bucket); autumn starts 09-01 and the
    // spring term ends 07-05, both after T.
    c.obligation("term_lecture", {});
    c.obligation("term_end_lecture", {});

    // 04-30 - 04-20 = 10 days <= warn 14: v2 (plan on 04-25) and v3 (none) are at risk.
    c.obligation("unit_plan_issued", {
                                         by("v1", D23(4, 30), S, true, num(1)),
                                         by("v2", D23(4, 30), P, false, num(0), true),
                                         by("v3", D23(4, 30), P, false, num(0), true),
                                         by("m1", D23(4, 30), S, true, num(1)),  // issued 04-01
                                     });
    // Only the first three-week bucket, 04-01..04-21, has started. A count >= 1 is satisfied on
    // the day it holds: v1 trained on 04-01, v2 on 04-05, m1 on 04-03 and 04-20 (2). v3 has none
    // yet: pending until the bucket closes on 04-27 (no warn, so not at risk).
    c.obligation("internal_training_cadence", {
                                                  tri("v1", 0, S, true, num(1)),
                                                  tri("v2", 0, S, true, num(1)),
                                                  tri("v3", 0, P, false, num(0)),
                                                  tri("m1", 0, S, true, num(2)),
                                              });
    // all(...) is anti-monotone: only satisfied at the close, but m1's 04-20 training had 9 of 10
    // attendees, so April is violated early. v3 has no training: all of none is true.
    c.obligation("training_participation", {
                                               mon("v1", 4, P, true, skip()),
                                               mon("v2", 4, P, true, skip()),
                                               mon("v3", 4, P, true, skip()),
                                               mon("m1", 4, X, false, skip()),
                                           });
    // Cumulative from 03-01; judged at the close. m1: 9 of 10 (not > 90%).
    c.obligation("antifraud_follow_rate", {
                                              cum("v1", 4, P, true, num(1)),
                                              cum("v2", 4, P, true, num(1)),  // s2_01 03-21, s2_02 04-15
                                              cum("v3", 4, P, false, num(1, 2)),
                                              cum("m1", 4, P, false, num(9, 10)),
                                          });
    c.obligation("accountant_training", {camp("fo1", P, false, num(0))});
    c.obligation("spot_checks", {});         // review starts 12-01
    c.obligation("rectification_done", {});  // nothing listed

    // March: v3 (task force, meeting) and cs1 (meeting) have violated buckets ending in March;
    // every March bucket closes on 04-01. April: m1's early-violated training_participation fires
    // it already, but nothing is final before 05-01. fo1 has nothing ending in either month.
    std::vector<out_exp> notify;
    for (const std::string& unit : criticised) {
        notify.push_back(nmon(unit, 3, unit == "v3" || unit == "cs1", true, D23(4, 1)));
        notify.push_back(nmon(unit, 4, unit == "m1", false));
    }
    c.outcome("notify_criticism", notify);
    // No month of the campaign is closed yet: every streak is 0, and no bucket ending in the
    // campaign is violated yet (v3's March ones end before it).
    std::vector<out_exp> listing, top10;
    for (const char* u : {"v1", "v2", "v3", "op1", "bk1"}) {
        listing.push_back({u, D23(4, 1), D23(12, 30), false, false});
        top10.push_back({u, D23(4, 1), D23(12, 30), false, false});
    }
    c.outcome("rectification_listing", listing);
    c.outcome("recommend_top10", top10);
    c.all_checked();

    EXPECT_EQ(r.results.size(), 64u);
    EXPECT_EQ(r.outcomes.size(), 26u);  // notify 8 units x 2 months, listing 5, top ten 5
}

TEST_F(Goutang, AsOf2023_07_01) {
    const report r = at(D23(7, 1));
    checker c(r);
    check_mobilization(c);

    // v1: May's activity was sent twice (a duplicate with another key order and set order): 1.
    // v2 June: only an "office" activity (not a listed venue) on 06-15, and act_v2_07 at
    // 2023-06-30T17:00Z is 07-01 01:00 in +08:00, so it counts for July (already satisfied)
    // and not for June. June is still in its grace (closes 07-06): pending, and at risk since
    // e - T = -1 <= 7. v3: nothing since April; May is closed (06-06 < T).
    c.obligation("village_monthly_activity", {
                                                 mon("v1", 4, S, true, num(1)),
                                                 mon("v1", 5, S, true, num(1)),
                                                 mon("v1", 6, S, true, num(1)),
                                                 mon("v1", 7, P, false, num(0)),  // 07-31 - T = 30 > 7
                                                 mon("v2", 4, S, true, num(1)),
                                                 mon("v2", 5, S, true, num(1)),
                                                 mon("v2", 6, P, false, num(0), true),
                                                 mon("v2", 7, S, true, num(1)),
                                                 mon("v3", 4, S, true, num(1)),
                                                 mon("v3", 5, X, false, num(0)),
                                                 mon("v3", 6, P, false, num(0), true),
                                                 mon("v3", 7, P, false, num(0)),
                                             });
    c.obligation("three_ones_banner", {
                                          by("v1", D23(5, 31), S, true, num(1)),
                                          by("v2", D23(5, 31), X, false, num(2, 3)),
                                          by("v3", D23(5, 31), X, false, num(0)),
                                      });
    // sw2b's poster came on 06-02, after the deadline.
    c.obligation("three_ones_poster", {
                                          by("v1", D23(5, 31), S, true, num(1)),
                                          by("v2", D23(5, 31), X, false, num(1, 2)),
                                          by("v3", D23(5, 31), X, false, num(0)),
                                      });
    // lf_v3x names hh9z, never registered: held unresolved, counted nowhere.
    c.obligation("three_ones_leaflet", {
                                           by("v1", D23(5, 31), S, true, num(1)),
                                           by("v2", D23(5, 31), S, true, num(1)),
                                           by("v3", D23(5, 31), X, false, num(1, 2)),
                                       });
    // v1's pledge with in1a on 05-30 counts (by 05-30 includes the day); v3's on 05-31 does not.
    c.obligation("enterprise_pledge", {
                                          by("v1", D23(5, 30), S, true, num(1)),
                                          by("v2", D23(5, 30), S, true, num(1)),
                                          by("v3", D23(5, 30), X, false, num(0)),
                                      });
    c.obligation("key_person_visits", {
                                          camp("v1", P, false, num(1, 2)),  // kp1a 05-05; kp1b on 08-05
                                          camp("v2", P, true, num(1)),      // met, but judged at the close
                                          camp("v3", P, false, num(0)),
                                      });

    c.obligation("operator_outlet_column", {
                                               cum("op1", 4, X, false, num(1, 2)),
                                               cum("op1", 5, S, true, num(1)),  // op1o2 on 05-10
                                               cum("op1", 6, S, true, num(1)),
                                               cum("op1", 7, P, true, num(1)),  // started 07-01
                                           });
    c.obligation("operator_screen_share", {
                                              no_data(mon("op1", 4, X, false, null())),
                                              no_data(mon("op1", 5, X, false, null())),
                                              no_data(mon("op1", 6, X, false, null())),
                                              no_data(mon("op1", 7, P, false, null())),
                                          });
    c.obligation("operator_sms_monthly", {
                                             mon("op1", 4, S, true, num(2)),
                                             mon("op1", 5, S, true, num(2)),
                                             mon("op1", 6, S, true, num(2)),
                                             mon("op1", 7, P, false, num(0)),  // 07-03, 07-17 to come
                                         });
    c.obligation("operator_staff_training", {
                                                mon("op1", 4, S, true, num(1)),
                                                mon("op1", 5, S, true, num(1)),
                                                mon("op1", 6, S, true, num(1)),
                                                mon("op1", 7, P, false, num(0)),
                                            });

    c.obligation("bank_outlet_column", {
                                           cum("bk1", 4, S, true, num(1)),
                                           cum("bk1", 5, S, true, num(1)),
                                           cum("bk1", 6, S, true, num(1)),
                                           cum("bk1", 7, P, true, num(1)),
                                       });
    // Per screen outlet. April: bk1o1 10%, bk1o2 nothing (no data). May: bk1o1 100 of 100,
    // bk1o2 50 of 900 (5.6%): violated, though pooled over both it is exactly 15%. June: bk1o1
    // 200.5 / 1000, bk1o2 nothing (no data). July: nothing yet.
    c.obligation("bank_screen_share", {
                                          no_data(mon("bk1", 4, X, false, null())),
                                          mon("bk1", 5, X, false, null()),
                                          no_data(mon("bk1", 6, X, false, null())),
                                          no_data(mon("bk1", 7, P, false, null())),
                                      });
    // 13 full weeks started by 07-01 (Mondays 04-03..06-26); no SMS in the week 05-29..06-04.
    // The week of 06-26 has its SMS on Friday 06-30.
    {
        std::vector<row_exp> sms, posts;
        for (day m : mondays_until(D23(7, 1))) {
            const bool missed = m == D23(5, 29);
            sms.push_back({"bk1", m, m + 6, missed ? X : S, !missed, num(missed ? 0 : 1)});
            posts.push_back({"bk1", m, m + 6, S, true, num(2)});  // Monday and Thursday
        }
        EXPECT_EQ(sms.size(), 13u);
        c.obligation("bank_sms_weekly", sms);
        c.obligation("bank_official_posts", posts);
    }
    c.obligation("bank_signage", {
                                     cum("bk1", 4, X, false, num(3, 4)),
                                     cum("bk1", 5, S, true, num(1)),  // bk1o2a on 05-15
                                     cum("bk1", 6, S, true, num(1)),
                                     cum("bk1", 7, P, true, num(1)),
                                 });

    c.obligation("student_pledge", {by("cs1", D23(5, 31), S, true, num(1))});  // su3 again on 05-20
    c.obligation("volunteer_team", {by("cs1", D23(5, 31), S, true, num(1))});  // reported by sc1: of c
    // The spring term ends 07-05, after T: its before-bucket does not exist yet, though the
    // lecture on 06-21 is already there.
    c.obligation("term_lecture", {});
    c.obligation("term_end_lecture", {});

    c.obligation("unit_plan_issued", {
                                         by("v1", D23(4, 30), S, true, num(1)),
                                         by("v2", D23(4, 30), S, true, num(1)),  // 04-25
                                         by("v3", D23(4, 30), X, false, num(0)),
                                         by("m1", D23(4, 30), S, true, num(1)),
                                     });
    // The first five three-week buckets have started (the fifth, 06-24..07-14, on 06-24); the
    // first four closed by 06-29. v1: 04-01 and 04-21 (2), 05-11, 05-31, 06-20; its 07-10
    // training is after T. v2, on the 5th of each month: 04-05, 05-05, none in 05-13..06-02
    // (violated on 06-08: 06-05 falls in the next bucket), 06-05; 07-05 is after T. v3: none,
    // each closed bucket violated. m1: 04-03 and 04-20 (2), 05-12, 06-01, 06-20. (Under v1 m1's
    // 21 days 04-21..05-11 broke the gap; they straddle two buckets, each with a training.)
    {
        std::vector<row_exp> rows;
        const int v1[] = {2, 1, 1, 1}, v2[] = {1, 1, 0, 1}, m1[] = {2, 1, 1, 1};
        for (int k = 0; k < 4; ++k) {
            rows.push_back(tri("v1", k, S, true, num(v1[k])));
            rows.push_back(tri("v2", k, v2[k] ? S : X, v2[k] > 0, num(v2[k])));
            rows.push_back(tri("v3", k, X, false, num(0)));
            rows.push_back(tri("m1", k, S, true, num(m1[k])));
        }
        for (const char* u : {"v1", "v2", "v3", "m1"}) rows.push_back(tri(u, 4, P, false, num(0)));
        c.obligation("internal_training_cadence", rows);
    }
    {
        std::vector<row_exp> rows;
        for (const char* u : {"v1", "v2", "v3", "m1"})
            for (int m = 4; m <= 7; ++m) {
                const bool m1_april = std::string(u) == "m1" && m == 4;
                if (m1_april)
                    rows.push_back(mon(u, m, X, false, skip()));
                else
                    rows.push_back(mon(u, m, m == 7 ? P : S, true, skip()));  // July: no training yet
            }
        c.obligation("training_participation", rows);
    }
    {
        std::vector<row_exp> rows;
        for (int m = 4; m <= 7; ++m) {
            const status closed = m == 7 ? P : S;
            rows.push_back(cum("v1", m, closed, true, num(1)));
            rows.push_back(cum("v2", m, closed, true, num(1)));
            rows.push_back(cum("v3", m, m == 7 ? P : X, false, num(1, 2)));
            rows.push_back(cum("m1", m, m == 7 ? P : X, false, num(9, 10)));  // m1s10 follows on 08-15
        }
        c.obligation("antifraud_follow_rate", rows);
    }
    c.obligation("accountant_training", {camp("fo1", S, true, num(1))});  // 06-15, monotone
    c.obligation("spot_checks", {});
    c.obligation("rectification_done", {});

    // notify_criticism, month by month (final_on: see notify_final_on):
    //   v1: never. v2: May (banner, poster), June (the cadence bucket 05-13..06-02, violated on
    //   06-08; the June activity bucket is still in its grace). v3: March, April (plan, follow
    //   rate, cadence 04-01..04-21), May (activity, three ones, pledge, follow, cadence
    //   04-22..05-12), June (follow rate, cadence 05-13..06-02 and 06-03..06-23). op1:
    //   April..June (screen share; April also the columns). bk1: April (screen share, signage 3/4), May (screen share at bk1o2), June (screen share,
    //   and the SMS week 05-29..06-04 ends in June). cs1: March only (its school's end-of-term
    //   bucket does not exist before 07-05). m1: April (attendance, follow rate), May, June
    //   (follow rate). fo1: nothing (accountant_training is satisfied, and ends 12-30).
    //   Village June buckets are final only on 07-06; July buckets are not final.
    const std::map<std::string, std::set<int>> fired = {
        {"v1", {}}, {"v2", {5, 6}}, {"v3", {3, 4, 5, 6}}, {"op1", {4, 5, 6}},
        {"bk1", {4, 5, 6}}, {"cs1", {3}}, {"m1", {4, 5, 6}}, {"fo1", {}}};
    std::vector<out_exp> notify;
    for (const auto& [unit, months] : fired) {
        for (int m = 3; m <= 7; ++m) {
            const day fo = notify_final_on(unit, m);
            const bool final = D23(7, 1) >= fo;
            notify.push_back(nmon(unit, m, months.count(m) > 0, final, final ? std::optional<day>(fo) : std::nullopt));
        }
    }
    c.outcome("notify_criticism", notify);
    // rectification_listing fires on either ground. Violated buckets ending in the campaign so
    // far: v3 many (May's activity, the three ones, the pledge, the plan, the follow rate, four
    // cadence buckets); op1 4 (April's columns, three screen shares); bk1 5 (three screen
    // shares, April's signage, the SMS week); v2 3 (banner, poster, the cadence bucket
    // 05-13..06-02; its June activity is still in its grace); v1 none. No unit has 3 closed
    // months with >= 2 cases (v3: June only). Nothing is final before the campaign ends. No unit
    // has 6 closed months yet for the top ten.
    std::vector<out_exp> listing, top10;
    for (const char* u : {"v1", "v2", "v3", "op1", "bk1"}) {
        const std::string unit = u;
        listing.push_back({u, D23(4, 1), D23(12, 30), unit != "v1", false});
        top10.push_back({u, D23(4, 1), D23(12, 30), false, false});
    }
    c.outcome("rectification_listing", listing);
    c.outcome("recommend_top10", top10);
    c.all_checked();

    // 138 under a single campaign bucket of the cadence, and 16 more (5 buckets, not 1, for
    // each of v1, v2, v3, m1).
    EXPECT_EQ(r.results.size(), 154u);
    EXPECT_EQ(r.outcomes.size(), 50u);  // notify 8 units x 5 months, listing 5, top ten 5
}

TEST_F(Goutang, AsOf2024_02_15) {
    const report r = at(D(2024, 2, 15));
    checker c(r);
    check_mobilization(c);

    {
        std::vector<row_exp> rows;
        for (int m = 4; m <= 12; ++m) {
            rows.push_back(mon("v1", m, S, true, num(1)));
            // v2 June: the "office" activity does not count, the 06-30T17:00Z one is July's.
            // December: 12-30T23:30+08:00 is the bucket's last day.
            const bool v2_ok = m != 6;
            rows.push_back(mon("v2", m, v2_ok ? S : X, v2_ok, num(v2_ok ? 1 : 0)));
            // v3: April (04-15) and December (12-28) only.
            const bool v3_ok = m == 4 || m == 12;
            rows.push_back(mon("v3", m, v3_ok ? S : X, v3_ok, num(v3_ok ? 1 : 0)));
        }
        c.obligation("village_monthly_activity", rows);
    }
    c.obligation("three_ones_banner", {
                                          by("v1", D23(5, 31), S, true, num(1)),
                                          by("v2", D23(5, 31), X, false, num(2, 3)),
                                          by("v3", D23(5, 31), X, false, num(0)),
                                      });
    c.obligation("three_ones_poster", {
                                          by("v1", D23(5, 31), S, true, num(1)),
                                          by("v2", D23(5, 31), X, false, num(1, 2)),
                                          by("v3", D23(5, 31), X, false, num(0)),
                                      });
    c.obligation("three_ones_leaflet", {
                                           by("v1", D23(5, 31), S, true, num(1)),
                                           by("v2", D23(5, 31), S, true, num(1)),
                                           by("v3", D23(5, 31), X, false, num(1, 2)),
                                       });
    c.obligation("enterprise_pledge", {
                                          by("v1", D23(5, 30), S, true, num(1)),
                                          by("v2", D23(5, 30), S, true, num(1)),
                                          by("v3", D23(5, 30), X, false, num(0)),
                                      });
    c.obligation("key_person_visits", {
                                          camp("v1", S, true, num(1)),       // kp1b visited 08-05
                                          camp("v2", S, true, num(1)),
                                          camp("v3", X, false, num(1, 2)),  // kp3a only
                                      });

    {
        std::vector<row_exp> column, screen, sms, training;
        for (int m = 4; m <= 12; ++m) {
            column.push_back(cum("op1", m, m == 4 ? X : S, m != 4, num(m == 4 ? rational(1, 2) : rational(1))));
            screen.push_back(no_data(mon("op1", m, X, false, null())));
            // August: sms_op_0821 is retracted, leaving 08-07 alone.
            sms.push_back(mon("op1", m, m == 8 ? X : S, m != 8, num(m == 8 ? 1 : 2)));
            // December's training had 18 of 20: participation is no obligation of an operator.
            training.push_back(mon("op1", m, S, true, num(1)));
        }
        c.obligation("operator_outlet_column", column);
        c.obligation("operator_screen_share", screen);
        c.obligation("operator_sms_monthly", sms);
        c.obligation("operator_staff_training", training);
    }
    {
        std::vector<row_exp> column, screen, signage;
        for (int m = 4; m <= 12; ++m) {
            column.push_back(cum("bk1", m, S, true, num(1)));
            // Per screen outlet, every month violated. April and June: bk1o2 reports nothing
            // (no data). May: bk1o2 50 of 900. July..December: all of bk1o1's 200 seconds are
            // anti-fraud, none of bk1o2's 800, so bk1o2 is at 0% (pooled, 200/1000 = 20% would
            // pass, and May's would be exactly 15%).
            const row_exp share = mon("bk1", m, X, false, null());
            screen.push_back(m == 4 || m == 6 ? no_data(share) : share);
            signage.push_back(cum("bk1", m, m == 4 ? X : S, m != 4, num(m == 4 ? rational(3, 4) : rational(1))));
        }
        c.obligation("bank_outlet_column", column);
        c.obligation("bank_screen_share", screen);
        c.obligation("bank_signage", signage);
    }
    {
        // Every full week of the campaign: 38, Mondays 04-03..12-18.
        std::vector<row_exp> sms, posts;
        for (day m : mondays_until(D(2024, 2, 15))) {
            const bool sms_missed = m == D23(5, 29);
            sms.push_back({"bk1", m, m + 6, sms_missed ? X : S, !sms_missed, num(sms_missed ? 0 : 1)});
            const bool one_post = m == D23(7, 24);  // only Monday 07-24 that week
            posts.push_back({"bk1", m, m + 6, one_post ? X : S, !one_post, num(one_post ? 1 : 2)});
        }
        EXPECT_EQ(sms.size(), 38u);
        EXPECT_EQ(iso(sms.back().to), "2023-12-24");
        c.obligation("bank_sms_weekly", sms);
        c.obligation("bank_official_posts", posts);
    }
    std::size_t bank_sms_rows = 0;
    for (const auto& row : r.results)
        if (row.obligation == "bank_sms_weekly" && row.unit == std::optional<std::string>("bk1")) ++bank_sms_rows;
    EXPECT_EQ(bank_sms_rows, 38u);

    c.obligation("student_pledge", {by("cs1", D23(5, 31), S, true, num(1))});
    c.obligation("volunteer_team", {by("cs1", D23(5, 31), S, true, num(1))});
    // Autumn term from 09-01: bucket 09-01..09-14, lecture on its last day. (Spring's 02-13 start
    // is outside the campaign: no bucket.)
    c.obligation("term_lecture", {{"sc1", D23(9, 1), D23(9, 14), S, true, num(1)}});
    // Spring term ended 07-05: bucket 06-22..07-05; the lecture on 06-21 is one day too early.
    c.obligation("term_end_lecture", {{"sc1", D23(6, 22), D23(7, 5), X, false, num(0)}});

    c.obligation("unit_plan_issued", {
                                         by("v1", D23(4, 30), S, true, num(1)),
                                         by("v2", D23(4, 30), S, true, num(1)),
                                         by("v3", D23(4, 30), X, false, num(0)),
                                         by("m1", D23(4, 30), S, true, num(1)),
                                     });
    // All 14 three-week buckets, closed by 2024-01-05. v1 trains every 20 days from 04-01
    // (04-01 and 04-21 both fall in the first bucket) to 12-17, and on 12-30: one in each
    // bucket after the first. v2 trains on the 5th of each month: none falls in 05-13..06-02,
    // 07-15..08-04, 10-07..10-27, 12-09..12-29 or 12-30..12-30 (buckets 2, 5, 9, 12, 13 from
    // 0), one in each other. v3: none. m1: as v1 (04-03 and 04-20 in the first) but nothing on
    // 12-30, so the last bucket, one day long, is violated on 2024-01-05.
    {
        const std::set<int> v2_lapses = {2, 5, 9, 12, 13};
        std::vector<row_exp> rows;
        for (int k = 0; k < 14; ++k) {
            rows.push_back(tri("v1", k, S, true, num(k == 0 ? 2 : 1)));
            const bool v2_ok = v2_lapses.count(k) == 0;
            rows.push_back(tri("v2", k, v2_ok ? S : X, v2_ok, num(v2_ok ? 1 : 0)));
            rows.push_back(tri("v3", k, X, false, num(0)));
            const bool m1_ok = k < 13;
            rows.push_back(tri("m1", k, m1_ok ? S : X, m1_ok, num(k == 0 ? 2 : m1_ok ? 1 : 0)));
        }
        EXPECT_EQ(iso(rows.back().from), "2023-12-30");
        EXPECT_EQ(iso(rows.back().to), "2023-12-30");
        c.obligation("internal_training_cadence", rows);
    }
    {
        std::vector<row_exp> rows;
        for (const char* u : {"v1", "v2", "v3", "m1"})
            for (int m = 4; m <= 12; ++m) {
                const bool bad = std::string(u) == "m1" && m == 4;
                rows.push_back(mon(u, m, bad ? X : S, !bad, skip()));
            }
        c.obligation("training_participation", rows);
    }
    {
        std::vector<row_exp> rows;
        for (int m = 4; m <= 12; ++m) {
            rows.push_back(cum("v1", m, S, true, num(1)));                  // 10 of 10
            rows.push_back(cum("v2", m, S, true, num(1)));
            rows.push_back(cum("v3", m, X, false, num(1, 2)));
            const bool m1_ok = m >= 8;                                        // m1s10 on 08-15
            rows.push_back(cum("m1", m, m1_ok ? S : X, m1_ok, num(m1_ok ? rational(1) : rational(9, 10))));
        }
        c.obligation("antifraud_follow_rate", rows);
    }
    c.obligation("accountant_training", {camp("fo1", S, true, num(1))});
    c.obligation("spot_checks", {{"gt", D23(12, 1), D23(12, 31), S, true, num(1)}});
    // rectification_listing for v2 and v3 is final on 2024-01-05 (see below): buckets
    // 01-05..02-03, the full 30 days (the window runs to 2024-03-31; v1's cut them at 01-31).
    // rc_v3a (01-03) is before v3's; rc_v3b (01-20) counts. v2 never rectifies: violated on
    // 02-04. op1 and bk1 are final on 12-31: 12-31..2024-01-29, no rectification.
    c.obligation("rectification_done", {
                                           {"v2", D(2024, 1, 5), D(2024, 2, 3), X, false, num(0)},
                                           {"v3", D(2024, 1, 5), D(2024, 2, 3), S, true, num(1)},
                                           {"op1", D23(12, 31), D(2024, 1, 29), X, false, num(0)},
                                           {"bk1", D23(12, 31), D(2024, 1, 29), X, false, num(0)},
                                       });

    // notify_criticism: fired in the months where the unit, or a unit under it, has a violated
    // bucket ending then (2023-03..2024-02 have started by T; March 2024 has not).
    //   v1: never.
    //   v2: May (banner 2/3, poster 1/2), June (activity; cadence 05-13..06-02), August
    //       (cadence 07-15..08-04), October (cadence 10-07..10-27), December (cadence
    //       12-09..12-29 and 12-30..12-30), February 2024 (rectification_done, 01-05..02-03,
    //       violated on 02-04); not January 2024 (no bucket of v2 ends in it).
    //   v3: every month: March (task force, meeting), April (plan, follow rate), May..November
    //       (activity, follow rate; May also the three ones and the pledge), December (follow
    //       rate, key persons), and from April every month a cadence bucket; not January or
    //       February 2024 (rectified on 01-20, in 01-05..02-03).
    //   op1: April..December (screen share no data; April the columns; August the SMS); not
    //       March; January 2024 (rectification_done 12-31..01-29).
    //   bk1: April..December (screen share every month; also April's signage, the SMS week
    //       05-29..06-04 in June, the posts week 07-24..07-30 in July); January 2024
    //       (rectification_done 12-31..01-29).
    //   cs1: March (its meeting), July (its school sc1's term_end_lecture 06-22..07-05,
    //       violated: `within u`).
    //   m1: April (attendance, 9/10), May..July (9/10), December (cadence 12-30..12-30); from
    //       August 10/10.
    //   fo1: never (accountant_training, its only obligation, satisfied on 06-15).
    // A 2023 month is final as notify_final_on says; January 2024 on 02-01 (its own close; op1's
    // and bk1's rectification_done buckets, ending 01-29, closed on 01-30); February 2024 closes
    // on 03-01, after T.
    const std::map<std::string, std::set<int>> fired = {
        {"v1", {}},
        {"v2", {5, 6, 8, 10, 12, 14}},
        {"v3", {3, 4, 5, 6, 7, 8, 9, 10, 11, 12}},
        {"op1", {4, 5, 6, 7, 8, 9, 10, 11, 12, 13}},
        {"bk1", {4, 5, 6, 7, 8, 9, 10, 11, 12, 13}},
        {"cs1", {3, 7}},
        {"m1", {4, 5, 6, 7, 12}},
        {"fo1", {}}};  // 13: January 2024, 14: February 2024
    std::vector<out_exp> notify;
    for (const auto& [unit, months] : fired) {
        for (int m = 3; m <= 12; ++m)
            notify.push_back(nmon(unit, m, months.count(m) > 0, true, notify_final_on(unit, m)));
        notify.push_back(nmon24(unit, 1, months.count(13) > 0, true, D(2024, 2, 1)));
        notify.push_back(nmon24(unit, 2, months.count(14) > 0, false));
    }
    c.outcome("notify_criticism", notify);

    // rectification_listing, on either ground: v3 has >= 3 violations in the campaign, and 2
    // fraud cases in each of June, July, August (some reported by its household hh3a: of v3
    // takes descendants). v2 has single cases (May, September) but 8 violations (banner, poster,
    // June's activity, 5 cadence buckets); op1 and bk1 one case each but many violations; v1
    // none.
    // The bucket ends 12-30 and reads the village's village_monthly_activity December bucket
    // and its cadence bucket 12-30..12-30, both closed on 12-30 + 5 + 1 = 2024-01-05: that is
    // its first final day (the same for every village). Operator and bank buckets have no grace: final from 12-31.
    c.outcome("rectification_listing", {
                                           {"v1", D23(4, 1), D23(12, 30), false, true, D(2024, 1, 5)},
                                           {"v2", D23(4, 1), D23(12, 30), true, true, D(2024, 1, 5)},
                                           {"v3", D23(4, 1), D23(12, 30), true, true, D(2024, 1, 5)},
                                           {"op1", D23(4, 1), D23(12, 30), true, true, D23(12, 31)},
                                           {"bk1", D23(4, 1), D23(12, 30), true, true, D23(12, 31)},
                                       });
    // recommend_top10: 6 consecutive closed months without a case, no violated bucket of its own
    // ending in the campaign, and a rank <= 10 by that streak among the five. Streaks: v1 none
    // at all (its only case, fc_v1x, is retracted): 9. bk1: case in June, July..December =
    // exactly 6. op1: case in July, August..December = 5. v3: September..December = 4. v2:
    // cases May, September: 3. v1 ranks 1 and has no violation: recommended. bk1's streak is
    // long enough but it has violations (it was recommended under the v1 reading). The rule
    // reads violations, so a village's bucket is final when its December activity closes
    // (2024-01-05), an operator's or bank's on 12-31.
    c.outcome("recommend_top10", {
                                     {"v1", D23(4, 1), D23(12, 30), true, true, D(2024, 1, 5)},
                                     {"v2", D23(4, 1), D23(12, 30), false, true, D(2024, 1, 5)},
                                     {"v3", D23(4, 1), D23(12, 30), false, true, D(2024, 1, 5)},
                                     {"op1", D23(4, 1), D23(12, 30), false, true, D23(12, 31)},
                                     {"bk1", D23(4, 1), D23(12, 30), false, true, D23(12, 31)},
                                 });
    c.all_checked();

    // 285 with one campaign bucket of the cadence per unit; 14 three-week buckets instead give
    // 52 more (13 for each of v1, v2, v3, m1).
    EXPECT_EQ(r.results.size(), 337u);
    // notify 8 units x 12 months (2023-03..2024-02), listing 5, top ten 5.
    EXPECT_EQ(r.outcomes.size(), 106u);
}

// The listing's first final day for a village, 2024-01-05, found by hand above: the day before,
// v2's and v3's listings have fired but are not final and open no rectification_done bucket;
// on it, the buckets open. op1's and bk1's have been final since 12-31, and theirs are open.
TEST_F(Goutang, RectificationListingFinalDay) {
    {
        const report r = at(D(2024, 1, 4));
        checker c(r);
        c.outcome("rectification_listing", {
                                               {"v1", D23(4, 1), D23(12, 30), false, false},
                                               {"v2", D23(4, 1), D23(12, 30), true, false},
                                               {"v3", D23(4, 1), D23(12, 30), true, false},
                                               {"op1", D23(4, 1), D23(12, 30), true, true, D23(12, 31)},
                                               {"bk1", D23(4, 1), D23(12, 30), true, true, D23(12, 31)},
                                           });
        c.obligation("rectification_done", {
                                               {"op1", D23(12, 31), D(2024, 1, 29), P, false, num(0)},
                                               {"bk1", D23(12, 31), D(2024, 1, 29), P, false, num(0)},
                                           });
    }
    {
        const report r = at(D(2024, 1, 5));
        checker c(r);
        c.outcome("rectification_listing", {
                                               {"v1", D23(4, 1), D23(12, 30), false, true, D(2024, 1, 5)},
                                               {"v2", D23(4, 1), D23(12, 30), true, true, D(2024, 1, 5)},
                                               {"v3", D23(4, 1), D23(12, 30), true, true, D(2024, 1, 5)},
                                               {"op1", D23(4, 1), D23(12, 30), true, true, D23(12, 31)},
                                               {"bk1", D23(4, 1), D23(12, 30), true, true, D23(12, 31)},
                                           });
        // rc_v3a on 01-03 is before v3's bucket; rc_v3b (01-20) is after T. The buckets run the
        // full 30 days, to 02-03.
        c.obligation("rectification_done", {
                                               {"v2", D(2024, 1, 5), D(2024, 2, 3), P, false, num(0)},
                                               {"v3", D(2024, 1, 5), D(2024, 2, 3), P, false, num(0)},
                                               {"op1", D23(12, 31), D(2024, 1, 29), P, false, num(0)},
                                               {"bk1", D23(12, 31), D(2024, 1, 29), P, false, num(0)},
                                           });
    }
}

TEST_F(Goutang, Inputs) {
    const report r = at(D(2024, 2, 15));
    // registry.jsonl: 74 records (73 entities, sw1c twice: version 0 and version 1 with until).
    // events.jsonl: 319 records: 3 retractions (pl_su3a, sms_op_0821, fc_v1x, each retracting an
    // event sent too) and 316 events: act_v1_05 twice (1 duplicate), 3 retracted, lc_bad without
    // its topic (rejected), lf_v3x naming the unregistered hh9z (unresolved), 310 applied.
    EXPECT_EQ(r.inputs.entities, 74u);
    EXPECT_EQ(r.inputs.retractions, 3u);
    EXPECT_EQ(r.inputs.duplicates, 1u);
    EXPECT_EQ(r.inputs.retracted, 3u);
    EXPECT_EQ(r.inputs.rejected, 1u);
    EXPECT_EQ(r.inputs.unresolved, 1u);
    EXPECT_EQ(r.inputs.applied, 310u);
    EXPECT_EQ(r.inputs.read, 393u);
    EXPECT_EQ(r.inputs.read, r.inputs.entities + r.inputs.applied + r.inputs.duplicates + r.inputs.retracted +
                                 r.inputs.retractions + r.inputs.unresolved + r.inputs.rejected);
    ASSERT_EQ(r.rejected.size(), 1u);
    EXPECT_EQ(r.rejected[0].source, "events.jsonl");
    EXPECT_EQ(r.rejected[0].line, 132u);
    // act_v1_04 carries a "remark" the activity type does not declare.
    ASSERT_EQ(r.ignored_fields.size(), 1u);
    EXPECT_EQ(r.ignored_fields[0].type, "activity");
    EXPECT_EQ(r.ignored_fields[0].field, "remark");
    EXPECT_EQ(r.ignored_fields[0].records, 1u);
    // The counts do not depend on the as-of date.
    const report early = at(D23(4, 20));
    EXPECT_EQ(early.inputs.read, 393u);
    EXPECT_EQ(early.inputs.applied, 310u);
}

// The rule file has exactly the 29 obligations and 3 outcomes every as-of test checks.
TEST_F(Goutang, EveryRuleIsChecked) {
    const report r = at(D(2024, 2, 15));
    std::set<std::string> seen_obligations, seen_outcomes;
    for (const auto& row : r.results) seen_obligations.insert(row.obligation);
    for (const auto& row : r.outcomes) seen_outcomes.insert(row.outcome);
    // As of 2024-02-15 every obligation and outcome has at least one bucket.
    EXPECT_EQ(seen_obligations, std::set<std::string>(all_obligations.begin(), all_obligations.end()));
    EXPECT_EQ(seen_outcomes, std::set<std::string>(all_outcomes.begin(), all_outcomes.end()));
    EXPECT_EQ(all_obligations.size(), 29u);
    EXPECT_EQ(all_outcomes.size(), 3u);
}

}  // namespace
