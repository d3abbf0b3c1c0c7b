// Facts about the checked Goutang 2023 plan (rules/goutang-2023.mandate) and about name
// resolution, with the expected values taken from /work/shared/PLAN.md and LANGUAGE.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "syntax/support.hpp"

namespace mandate {
namespace {

using testing::load_ok;

const check::plan& goutang() {
    static const check::plan plan = load_ok(testing::read_text(testing::goutang_path()));
    return plan;
}

std::vector<std::string> ids(const check::plan& plan, bool outcomes) {
    std::vector<std::string> out;
    for (const auto& r : plan.rules)
        if (r.outcome == outcomes) out.push_back(r.id);
    std::sort(out.begin(), out.end());
    return out;
}

std::set<std::string> rule_names(const check::plan& plan, const std::vector<int>& indices) {
    std::set<std::string> out;
    for (int i : indices) out.insert(plan.rules.at(static_cast<std::size_t>(i)).id);
    return out;
}

const check::rule& rule_named(const check::plan& plan, const std::string& id) {
    const int i = plan.find_rule(id);
    if (i < 0) throw std::runtime_error("no rule " + id);
    return plan.rules[static_cast<std::size_t>(i)];
}

// The first violations() node in a condition.
const check::texpr* find_op(const check::texpr& e, check::op o) {
    if (e.o == o) return &e;
    for (const auto& a : e.args)
        if (const auto* found = find_op(a, o)) return found;
    return nullptr;
}

// The 29 obligation ids of PLAN.md's table, in its order.
const std::vector<std::string> plan_md_obligations = {
    "taskforce_formed",          "rep_training_coverage", "mobilization_meeting",   "village_monthly_activity",
    "three_ones_banner",         "three_ones_poster",     "three_ones_leaflet",     "enterprise_pledge",
    "key_person_visits",         "operator_outlet_column", "operator_screen_share", "operator_sms_monthly",
    "operator_staff_training",   "bank_outlet_column",    "bank_screen_share",      "bank_sms_weekly",
    "bank_signage",              "bank_official_posts",   "student_pledge",         "volunteer_team",
    "term_lecture",              "term_end_lecture",      "unit_plan_issued",       "internal_training_cadence",
    "training_participation",    "antifraud_follow_rate", "accountant_training",    "spot_checks",
    "rectification_done"};

TEST(check_goutang, loads_without_a_diagnostic) {
    const source_file source("goutang-2023.mandate", testing::read_text(testing::goutang_path()));
    const auto loaded = check::load(source);
    EXPECT_TRUE(loaded.ok());
    EXPECT_TRUE(loaded.diagnostics().empty());
}

TEST(check_goutang, exactly_the_obligation_and_outcome_ids_of_plan_md) {
    ASSERT_EQ(plan_md_obligations.size(), 29u);
    std::vector<std::string> expected = plan_md_obligations;
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(ids(goutang(), false), expected);
    EXPECT_EQ(ids(goutang(), true),
              (std::vector<std::string>{"notify_criticism", "recommend_top10", "rectification_listing"}));
    EXPECT_EQ(goutang().rules.size(), 32u);
}

TEST(check_goutang, plan_properties_phases_and_span) {
    const auto& p = goutang();
    EXPECT_EQ(p.id, "goutang_antifraud_2023");
    EXPECT_EQ(p.title, "苟堂镇防范电信网络诈骗集中宣传工作方案");
    EXPECT_EQ(p.source, "苟堂政〔2023〕34号");
    EXPECT_EQ(p.utc_offset_minutes, 8 * 60);
    EXPECT_EQ(p.week_start, calendar::weekday::monday);
    ASSERT_EQ(p.phases.size(), 3u);
    EXPECT_EQ(calendar::to_iso(p.phases[1].from), "2023-04-01");
    EXPECT_EQ(calendar::to_iso(p.phases[1].to), "2023-12-30");
    ASSERT_TRUE(p.has_span);
    EXPECT_EQ(calendar::to_iso(p.span_from), "2023-03-01");
    EXPECT_EQ(calendar::to_iso(p.span_to), "2023-12-31");
    EXPECT_EQ(p.kinds.size(), 22u);
    EXPECT_EQ(p.events.size(), 25u);
}

TEST(check_goutang, obligations_and_event_types_are_separate_namespaces) {
    // taskforce_formed and mobilization_meeting are both an event type and an obligation.
    const auto& p = goutang();
    for (const char* id : {"taskforce_formed", "mobilization_meeting", "accountant_training"}) {
        EXPECT_GE(p.find_event(id), 0) << id;
        EXPECT_GE(p.find_rule(id), 0) << id;
    }
    const auto& r = rule_named(p, "taskforce_formed");
    const auto* count = find_op(r.condition, check::op::count);
    ASSERT_NE(count, nullptr);
    EXPECT_EQ(count->event, p.find_event("taskforce_formed"));
}

TEST(check_goutang, schedules_windows_grace_and_warn) {
    const auto& p = goutang();
    const auto& monthly = rule_named(p, "village_monthly_activity");
    EXPECT_EQ(monthly.schedule, check::schedule_kind::every);
    EXPECT_EQ(monthly.per.unit, check::period_unit::month);
    EXPECT_EQ(calendar::to_iso(monthly.window_from), "2023-04-01");
    EXPECT_EQ(calendar::to_iso(monthly.window_to), "2023-12-30");
    ASSERT_TRUE(monthly.grace.has_value());
    EXPECT_EQ(monthly.grace->days(), 5);
    ASSERT_TRUE(monthly.warn.has_value());
    EXPECT_EQ(monthly.warn->days(), 7);
    EXPECT_EQ(monthly.var, "v");
    EXPECT_EQ(monthly.cites.size(), 1u);

    // `by` obligations without a window run over the plan's span, from 2023-03-01.
    const auto& banner = rule_named(p, "three_ones_banner");
    EXPECT_EQ(banner.schedule, check::schedule_kind::by);
    EXPECT_EQ(calendar::to_iso(banner.by), "2023-05-31");
    EXPECT_EQ(calendar::to_iso(banner.window_from), "2023-03-01");
    ASSERT_TRUE(banner.warn.has_value());
    EXPECT_EQ(banner.warn->days(), 14);
    EXPECT_FALSE(banner.grace.has_value());

    const auto& column = rule_named(p, "operator_outlet_column");
    EXPECT_TRUE(column.cumulative);
    EXPECT_EQ(calendar::to_iso(column.cumulative_from), "2023-03-01");

    const auto& weekly = rule_named(p, "bank_sms_weekly");
    EXPECT_TRUE(weekly.full);
    EXPECT_EQ(weekly.per.unit, check::period_unit::week);

    const auto& lecture = rule_named(p, "term_end_lecture");
    EXPECT_EQ(lecture.schedule, check::schedule_kind::before);
    EXPECT_EQ(lecture.trig.target, p.find_event("term_ended"));
    EXPECT_TRUE(lecture.trig.scoped);
    EXPECT_EQ(lecture.within.days(), 14);

    // Revised reading (PLAN.md): the window runs past the plan, to 2024-03-31, so that a listing
    // final in January gets its full 30 days.
    const auto& done = rule_named(p, "rectification_done");
    EXPECT_EQ(done.schedule, check::schedule_kind::after);
    EXPECT_TRUE(done.trig.outcome);
    EXPECT_EQ(done.trig.target, p.find_rule("rectification_listing"));
    EXPECT_EQ(calendar::to_iso(done.window_from), "2023-04-01");
    EXPECT_EQ(calendar::to_iso(done.window_to), "2024-03-31");

    // Revised reading (PLAN.md): three-week buckets counted from the campaign's start, grace 5 days.
    const auto& cadence = rule_named(p, "internal_training_cadence");
    EXPECT_EQ(cadence.schedule, check::schedule_kind::every);
    EXPECT_EQ(cadence.per.unit, check::period_unit::week);
    EXPECT_EQ(cadence.per.count, 3);
    EXPECT_TRUE(cadence.per.counted);
    EXPECT_FALSE(cadence.full);
    EXPECT_EQ(calendar::to_iso(cadence.window_from), "2023-04-01");
    EXPECT_EQ(calendar::to_iso(cadence.window_to), "2023-12-30");
    ASSERT_TRUE(cadence.grace.has_value());
    EXPECT_EQ(cadence.grace->days(), 5);
    EXPECT_FALSE(cadence.warn.has_value());

    // PLAN.md: grace only on village_monthly_activity and (revised reading) on
    // internal_training_cadence; warn only on the former and on `by` obligations.
    for (const auto& r : p.rules) {
        EXPECT_EQ(r.grace.has_value(), r.id == "village_monthly_activity" || r.id == "internal_training_cadence")
            << r.id;
        EXPECT_EQ(r.warn.has_value(), r.id == "village_monthly_activity" || r.schedule == check::schedule_kind::by)
            << r.id;
    }
}

TEST(check_goutang, unnamed_violations_read_every_obligation_except_those_downstream) {
    const auto& p = goutang();
    std::set<std::string> all(plan_md_obligations.begin(), plan_md_obligations.end());

    // notify_criticism triggers nothing: it reads all 29 obligations, of the unit and of every
    // unit under it (`within u`: a central school answers for its schools).
    const auto* notify = find_op(rule_named(p, "notify_criticism").condition, check::op::violations);
    ASSERT_NE(notify, nullptr);
    EXPECT_TRUE(notify->all_obligations);
    EXPECT_TRUE(notify->within);
    EXPECT_EQ(rule_names(p, notify->rules), all);
    EXPECT_EQ(rule_names(p, rule_named(p, "notify_criticism").reads_within), all);

    // rectification_listing triggers rectification_done, which it must not read.
    const auto* listing = find_op(rule_named(p, "rectification_listing").condition, check::op::violations);
    ASSERT_NE(listing, nullptr);
    EXPECT_TRUE(listing->all_obligations);
    std::set<std::string> expected = all;
    expected.erase("rectification_done");
    EXPECT_EQ(rule_names(p, listing->rules), expected);
    EXPECT_EQ(rule_names(p, rule_named(p, "rectification_listing").reads), expected);
    EXPECT_TRUE(rule_named(p, "rectification_listing").reads_within.empty());
    // recommend_top10 asks for no violation of the unit itself, and triggers nothing.
    EXPECT_EQ(rule_names(p, rule_named(p, "recommend_top10").reads), all);
    EXPECT_TRUE(rule_named(p, "recommend_top10").reads_within.empty());
}

TEST(check_goutang, dependency_order) {
    const auto& p = goutang();
    ASSERT_EQ(p.order.size(), p.rules.size());
    std::vector<int> position(p.rules.size(), -1);
    for (std::size_t i = 0; i < p.order.size(); ++i) {
        const int r = p.order[i];
        ASSERT_GE(r, 0);
        ASSERT_EQ(position.at(static_cast<std::size_t>(r)), -1) << "rule listed twice";
        position[static_cast<std::size_t>(r)] = static_cast<int>(i);
    }
    auto at = [&](const char* id) { return position[static_cast<std::size_t>(p.find_rule(id))]; };
    EXPECT_LT(at("rectification_listing"), at("rectification_done"));
    // What a rule reads comes before it.
    for (std::size_t r = 0; r < p.rules.size(); ++r)
        for (int q : p.rules[r].reads) EXPECT_LT(position[static_cast<std::size_t>(q)], position[r]) << p.rules[r].id;
    EXPECT_LT(at("rectification_done"), at("notify_criticism"));
}

TEST(check_goutang, monotonicity_of_every_rule) {
    using check::monotonicity;
    const auto M = monotonicity::monotone, A = monotonicity::anti_monotone, N = monotonicity::none;
    // Worked out from each requirement's form (LANGUAGE.md, "Status of a bucket").
    const std::vector<std::pair<const char*, monotonicity>> expected = {
        {"taskforce_formed", M},          {"rep_training_coverage", N},   {"mobilization_meeting", M},
        {"village_monthly_activity", M},  {"three_ones_banner", N},       {"three_ones_poster", N},
        {"three_ones_leaflet", N},        {"enterprise_pledge", N},       {"key_person_visits", N},
        {"operator_outlet_column", N},    {"operator_screen_share", N},   {"operator_sms_monthly", M},
        {"operator_staff_training", M},   {"bank_outlet_column", N},      {"bank_screen_share", N},
        {"bank_sms_weekly", M},           {"bank_signage", N},            {"bank_official_posts", M},
        {"student_pledge", N},            {"volunteer_team", M},          {"term_lecture", M},
        {"term_end_lecture", M},          {"unit_plan_issued", M},        {"internal_training_cadence", M},
        {"training_participation", A},    {"antifraud_follow_rate", N},   {"accountant_training", M},
        {"spot_checks", M},               {"rectification_done", M},      {"notify_criticism", N},
        {"rectification_listing", N},     {"recommend_top10", N},
    };
    ASSERT_EQ(expected.size(), goutang().rules.size());
    for (const auto& [id, mono] : expected) {
        const auto& r = rule_named(goutang(), id);
        EXPECT_EQ(check::to_string(r.mono), std::string(check::to_string(mono))) << id;
        EXPECT_EQ(check::classify(r.condition), mono) << id;
    }
}

TEST(check_goutang, exact_percent_literals) {
    // The share is judged per outlet: all_units(x: outlet within o: not x.screen or ... >= 15%).
    const auto& r = rule_named(goutang(), "operator_screen_share");
    ASSERT_EQ(r.condition.o, check::op::all_units);
    const auto* share = find_op(r.condition, check::op::ge);
    ASSERT_NE(share, nullptr);
    const auto& rhs = share->args.at(1);
    EXPECT_TRUE(rhs.value.percent);
    EXPECT_EQ(rhs.value.number, rational(15, 100));
    EXPECT_EQ(rhs.t.kind, check::type_kind::number);
    const auto& follow = rule_named(goutang(), "antifraud_follow_rate");
    EXPECT_EQ(follow.condition.o, check::op::gt);
    EXPECT_EQ(follow.condition.args.at(1).value.number, rational(9, 10));
}

// ---------------------------------------------------------------- forward references

TEST(check_names, forward_references_resolve) {
    // The outcome is used in `after outcome` before it is declared; kind `b` is a parent before
    // it is declared; the phase is used before it is declared.
    const check::plan p = load_ok(
        "plan p {}\n"
        "kind a within b\n"
        "obligation fix { each u: a  during later  after outcome flagged within 30 days\n"
        "  require count(done of u) >= 1 }\n"
        "outcome flagged { each u: a  during later  every month  when count(bad of u) >= 1 }\n"
        "event done {}\n"
        "event bad {}\n"
        "kind b\n"
        "phase later from 2023-01-01 to 2023-06-30\n");
    const int a = p.find_kind("a"), b = p.find_kind("b");
    ASSERT_GE(a, 0);
    ASSERT_GE(b, 0);
    EXPECT_EQ(p.kinds[static_cast<std::size_t>(a)].parents, std::vector<int>{b});
    const auto& fix = rule_named(p, "fix");
    EXPECT_TRUE(fix.trig.outcome);
    EXPECT_EQ(fix.trig.target, p.find_rule("flagged"));
    EXPECT_EQ(calendar::to_iso(fix.window_from), "2023-01-01");
    // flagged comes first in dependency order although it is declared second.
    ASSERT_EQ(p.order.size(), 2u);
    EXPECT_EQ(p.order[0], p.find_rule("flagged"));
    EXPECT_EQ(p.order[1], p.find_rule("fix"));
}

TEST(check_names, built_in_fields_and_declared_fields) {
    const check::plan p = load_ok("plan p {}\nkind k\nevent e { x?: int, tags: set<ref k> }\n");
    const auto& e = p.events.at(0);
    ASSERT_EQ(e.fields.size(), 5u);
    EXPECT_EQ(e.fields[check::field_id].id, "id");
    EXPECT_EQ(e.fields[check::field_time].id, "time");
    EXPECT_EQ(e.fields[check::field_unit].id, "unit");
    EXPECT_EQ(e.find_field("x"), check::first_declared_field);
    EXPECT_TRUE(e.fields[3].optional);
    EXPECT_EQ(e.fields[4].t.kind, check::type_kind::set);
    EXPECT_EQ(e.fields[4].t.element, check::type_kind::ref);
    EXPECT_EQ(e.fields[4].t.kinds, std::vector<int>{0});
    EXPECT_EQ(check::describe(e.fields[4].t), "a set<ref>");
}

TEST(check_names, violations_with_names_reads_exactly_those) {
    const check::plan p = load_ok(
        "plan p {}\nphase c from 2023-01-01 to 2023-12-31\nkind k\nevent e {}\n"
        "obligation a { each u: k  require count(e of u) >= 1 }\n"
        "obligation b { each u: k  require count(e of u) >= 2 }\n"
        "outcome x { each u: k  when violations(b of u) >= 1 }\n");
    const auto* v = find_op(rule_named(p, "x").condition, check::op::violations);
    ASSERT_NE(v, nullptr);
    EXPECT_FALSE(v->all_obligations);
    EXPECT_EQ(rule_names(p, v->rules), std::set<std::string>{"b"});
}

TEST(check_names, unnamed_violations_skip_rules_further_downstream) {
    // x triggers t1, whose violations another outcome y reads (named), and y triggers t2:
    // x's unnamed violations must skip t1 and t2 (downstream), but read a.
    const check::plan p = load_ok(
        "plan p {}\nphase c from 2023-01-01 to 2023-12-31\nkind k\nevent e {}\n"
        "obligation a { each u: k  require count(e of u) >= 1 }\n"
        "outcome x { each u: k  when violations(of u) >= 1 }\n"
        "obligation t1 { each u: k  after outcome x within 10 days  require count(e of u) >= 1 }\n"
        "outcome y { each u: k  when violations(t1 of u) >= 1 }\n"
        "obligation t2 { each u: k  after outcome y within 10 days  require count(e of u) >= 1 }\n");
    const auto* v = find_op(rule_named(p, "x").condition, check::op::violations);
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(rule_names(p, v->rules), std::set<std::string>{"a"});
}

// 2000 outcomes reading every obligation: the dependency analysis must stay near-linear (this
// input once took minutes; its time is measured in bench/, ctest's timeout guards a hang).
TEST(check_names, many_unnamed_violations_readers) {
    std::string text = "plan p {}\nphase c from 2023-01-01 to 2023-12-31\nkind k\nevent e {}\n";
    for (int i = 0; i < 2000; ++i) {
        text += "obligation b" + std::to_string(i) + " { each u: k require count(e of u) >= 1 }\n";
        text += "outcome v" + std::to_string(i) + " { each u: k when violations(of u) >= 1 }\n";
    }
    const check::plan p = load_ok(text);
    const auto* v = find_op(rule_named(p, "v0").condition, check::op::violations);
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(v->rules.size(), 2000u);
}

}  // namespace
}  // namespace mandate
