// The partition analysis (mandate graph --partitions): the kinds at which a plan's unit
// hierarchy splits, the finest of them, and for each kind that does not, the first rule that
// reads across its parts. Every expectation is worked out from the plan's text.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "mandate/graph/partitions.hpp"
#include "mandate/mandate.hpp"
#include "support/build_plan.hpp"

namespace mandate {
namespace {

using testing::build;

// county > town > village > household; staff within a village or a town.
const std::string header = R"(
plan p { timezone "+08:00" }
phase c "c" from 2023-04-01 to 2023-06-30
kind county "县"
kind town "镇" within county
kind village "村" within town
kind household "户" within village
kind staff "员" within village | town
event activity "活动" { venue: text }
event visit "走访" { household: ref household }
event notice "通知" {}
obligation monthly { each v: village  during c  every month  require count(activity of v) >= 1 }
obligation visits { each v: village  during c  require coverage(visit.household, household within v) >= 100% }
outcome criticise { each v: village  during c  every month  when violations(of v) > 0 }
)";

const graph::partition_level& level(const graph::partition_analysis& a, const plan& p, const char* kind) {
    return a.levels[static_cast<std::size_t>(p->model().find_kind(kind))];
}

std::vector<std::string> kinds(const plan& p, const std::vector<int>& ids) {
    std::vector<std::string> out;
    for (const int k : ids) out.push_back(p->model().kinds[static_cast<std::size_t>(k)].id);
    return out;
}

TEST(Partitions, VillageRulesSplitAtTheVillage) {
    const plan p = build(header);
    const auto a = graph::analyse_partitions(*p);
    ASSERT_EQ(a.levels.size(), 5u);
    EXPECT_EQ(a.finest, p->model().find_kind("village"));
    EXPECT_TRUE(level(a, p, "county").splits);
    EXPECT_TRUE(level(a, p, "town").splits);
    EXPECT_TRUE(level(a, p, "village").splits);
    // Every kind lies under the county; a staff may be within a town, so not under a village.
    EXPECT_EQ(kinds(p, level(a, p, "county").under), (std::vector<std::string>{"county", "town", "village", "household", "staff"}));
    EXPECT_EQ(kinds(p, level(a, p, "town").under), (std::vector<std::string>{"town", "village", "household", "staff"}));
    EXPECT_EQ(kinds(p, level(a, p, "village").under), (std::vector<std::string>{"village", "household"}));
    EXPECT_EQ(level(a, p, "household").reason, "monthly is for each village, and not every village lies within a household");
    EXPECT_EQ(level(a, p, "staff").reason, "monthly is for each village, and not every village lies within a staff");
    // Both kinds with a village among their parents say why they do not split.
    EXPECT_EQ(a.finer_refused, (std::vector<std::string>{
                                   "household: monthly is for each village, and not every village lies within a household",
                                   "staff: monthly is for each village, and not every village lies within a staff"}));
    EXPECT_EQ(graph::partitions_text(*p, a),
              "plan p splits at village (the finest level)\n"
              "  county: splits (5 kinds under it)\n"
              "  town: splits (4 kinds under it)\n"
              "  village: splits (2 kinds under it)\n"
              "  household: no: monthly is for each village, and not every village lies within a household\n"
              "  staff: no: monthly is for each village, and not every village lies within a staff\n");
}

TEST(Partitions, ATownRuleSplitsAtTheTown) {
    const plan p = build(header + R"(
obligation town_total { each t: town  during c  every month  require count(activity of t) >= 5 }
obligation staff_trained { each s: staff  during c  require count(visit of s) >= 1 }
)");
    const auto a = graph::analyse_partitions(*p);
    EXPECT_EQ(a.finest, p->model().find_kind("town"));
    EXPECT_TRUE(level(a, p, "county").splits);
    EXPECT_EQ(level(a, p, "village").reason, "town_total is for each town, and not every town lies within a village");
    EXPECT_EQ(a.finer_refused, (std::vector<std::string>{
                                   "village: town_total is for each town, and not every town lies within a village",
                                   "staff: monthly is for each village, and not every village lies within a staff"}));
}

TEST(Partitions, ARankingSplitsNothing) {
    const plan p = build(header + R"(
outcome best { each v: village  during c  when rank(v by count(activity of v) among village) <= 3 }
)");
    const auto a = graph::analyse_partitions(*p);
    EXPECT_EQ(a.finest, -1);
    EXPECT_EQ(level(a, p, "county").reason, "best ranks village among all of them");
    EXPECT_EQ(level(a, p, "village").reason, "best ranks village among all of them");
    EXPECT_EQ(level(a, p, "household").reason, "monthly is for each village, and not every village lies within a household");
    EXPECT_EQ(a.finer_refused, (std::vector<std::string>{"county: best ranks village among all of them"}));
    EXPECT_EQ(graph::partitions_text(*p, a).substr(0, 51), "plan p is evaluated whole: no kind splits it\n  coun");
}

TEST(Partitions, ReadingEveryUnitsEventsSplitsNothing) {
    // An instance without `each`, and an aggregate without `of`, read every unit's events.
    const plan whole = build(header + "obligation all_of_it { during c  require count(activity) >= 100 }\n");
    auto a = graph::analyse_partitions(*whole);
    EXPECT_EQ(a.finest, -1);
    EXPECT_EQ(level(a, whole, "county").reason, "all_of_it has no 'each': its one instance reads the records of every unit");
    const plan unscoped = build(header + "obligation busy { each v: village  during c  require count(activity) >= 100 }\n");
    a = graph::analyse_partitions(*unscoped);
    EXPECT_EQ(a.finest, -1);
    EXPECT_EQ(level(a, unscoped, "town").reason, "busy counts activity of every unit (count(activity) has no 'of')");
}

TEST(Partitions, ATriggerOfAnyUnitSplitsNothingAndOneOfTheUnitSplits) {
    const plan any = build(header + "obligation answer { each v: village  after notice  within 3 days  require count(activity of v) >= 1 }\n");
    auto a = graph::analyse_partitions(*any);
    EXPECT_EQ(a.finest, -1);
    EXPECT_EQ(level(a, any, "village").reason, "answer is triggered by notice of any unit");
    const plan own = build(header + "obligation answer { each v: village  after notice of v  within 3 days  require count(activity of v) >= 1 }\n");
    EXPECT_EQ(graph::analyse_partitions(*own).finest, own->model().find_kind("village"));
}

TEST(Partitions, WindowsOpenedByEventsSplitOnlyAtARootKind) {
    // A village's windows open on events of the village or any unit above it: within a town
    // partition the town is there; within a village partition it is not.
    const plan p = build(header + R"(
phase alert "警报" from event notice to event visit
obligation daily { each v: village  during alert  every day  require count(activity of v) >= 1 }
)");
    const auto a = graph::analyse_partitions(*p);
    EXPECT_EQ(a.finest, p->model().find_kind("county"));
    EXPECT_EQ(level(a, p, "town").reason,
              "daily is during alert, whose windows are opened by events of its unit or of any unit above it");
    EXPECT_EQ(a.finer_refused, (std::vector<std::string>{
                                   "town: daily is during alert, whose windows are opened by events of its unit or of any unit above it"}));
}

TEST(Partitions, ThePlansOfTheProject) {
    // Goutang ranks its villages, operators and banks together for the 十佳 recommendation.
    std::ifstream goutang(std::string(MANDATE_SOURCE_DIR) + "/rules/goutang-2023.mandate");
    std::stringstream text;
    text << goutang.rdbuf();
    const plan p = build(text.str());
    const auto a = graph::analyse_partitions(*p);
    EXPECT_EQ(a.finest, -1);
    EXPECT_EQ(a.finer_refused, (std::vector<std::string>{"town: recommend_top10 ranks village | operator | bank among all of them"}));
    EXPECT_EQ(level(a, p, "village").reason, "taskforce_formed is for each town, and not every town lies within a village");
}

}  // namespace
}  // namespace mandate
