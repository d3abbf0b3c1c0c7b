// The compiled evaluation graph: equal sub-expressions are one node, sources are shared and
// scoped to the union of their users' kinds, single comparisons expose their left side, and the
// graph prints as Graphviz DOT.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "mandate/mandate.hpp"
#include "support/build_plan.hpp"

namespace mandate {
namespace {

using testing::build;

const std::string header = R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-06-30
kind town "镇"
kind village "村" within town
kind bank "银行" within town
event activity "活动" { venue: text }
event sms "短信" { recipients: int }
)";

const graph::rule_node& rule(const plan& p, const char* id) {
    return p->rules()[static_cast<std::size_t>(p->model().find_rule(id))];
}

TEST(Graph, TwoObligationsCountingTheSameEventsShareTheCount) {
    const plan p = build(header + R"(
obligation once { each v: village  during campaign  every month  require count(activity of v) >= 1 }
obligation twice { each v: village  during campaign  every month  require count(activity of v) >= 2 }
)");
    const graph::node& a = p->at(rule(p, "once").condition);
    const graph::node& b = p->at(rule(p, "twice").condition);
    // Different comparisons (>= 1, >= 2) over one shared count node and one shared source.
    ASSERT_EQ(a.args.size(), 2u);
    ASSERT_EQ(b.args.size(), 2u);
    EXPECT_NE(rule(p, "once").condition, rule(p, "twice").condition);
    EXPECT_EQ(a.args[0], b.args[0]);
    EXPECT_EQ(p->at(a.args[0]).kind, graph::node_kind::aggregate);
    EXPECT_EQ(p->sources().size(), 1u);
}

TEST(Graph, EqualConditionsAreOneNode) {
    const plan p = build(header + R"(
obligation a { each v: village  during campaign  require count(activity of v where venue == "park") >= 1 }
obligation b { each v: village  during campaign  every month  require count(activity of v where venue == "park") >= 1 }
)");
    EXPECT_EQ(rule(p, "a").condition, rule(p, "b").condition);
    // The filter is one node too, and so the source.
    EXPECT_EQ(p->sources().size(), 1u);
    EXPECT_NE(p->sources()[0].filter, graph::no_node);
}

TEST(Graph, DifferentFiltersOrScopesAreDifferentSources) {
    const plan p = build(header + R"(
obligation parks { each v: village  during campaign  require count(activity of v where venue == "park") >= 1 }
obligation squares { each v: village  during campaign  require count(activity of v where venue == "square") >= 1 }
obligation anywhere { each v: village  during campaign  require count(activity) >= 1 }
)");
    // park filter, square filter, and the unscoped unfiltered stream: three sources.
    ASSERT_EQ(p->sources().size(), 3u);
    EXPECT_TRUE(p->sources()[0].scoped);
    EXPECT_TRUE(p->sources()[1].scoped);
    EXPECT_FALSE(p->sources()[2].scoped);
    EXPECT_NE(rule(p, "parks").condition, rule(p, "squares").condition);
}

TEST(Graph, ASharedScopedSourceServesEveryKindThatUsesIt) {
    const plan p = build(header + R"(
obligation village_sms { each v: village  during campaign  require count(sms of v) >= 1 }
obligation bank_sms { each b: bank  during campaign  require count(sms of b) >= 2 }
)");
    ASSERT_EQ(p->sources().size(), 1u);
    auto kinds = p->sources()[0].scope_kinds;
    std::sort(kinds.begin(), kinds.end());
    EXPECT_EQ(kinds, (std::vector<int>{p->model().find_kind("village"), p->model().find_kind("bank")}));
}

TEST(Graph, FieldsOfDifferentEventTypesAreNotMerged) {
    const plan p = build(header + R"(
event visit "走访" { venue: text }
obligation a { each v: village  during campaign  require count(activity of v where venue == "park") >= 1 }
obligation b { each v: village  during campaign  require count(visit of v where venue == "park") >= 1 }
)");
    ASSERT_EQ(p->sources().size(), 2u);
    EXPECT_NE(p->sources()[0].filter, p->sources()[1].filter);
}

TEST(Graph, SingleComparisonsExposeTheirLeftSide) {
    const plan p = build(header + R"(
obligation one { each v: village  during campaign  require count(activity of v) >= 1 }
obligation both { each v: village  during campaign  require count(activity of v) >= 1 and count(sms of v) >= 1 }
obligation listed { each v: village  during campaign  require count(activity of v) in [1, 2] }
)");
    const auto& one = rule(p, "one");
    EXPECT_EQ(one.compared, p->at(one.condition).args[0]);
    EXPECT_EQ(rule(p, "both").compared, graph::no_node);
    EXPECT_NE(rule(p, "listed").compared, graph::no_node);
    // Measures: the aggregates the condition reads, each once.
    EXPECT_EQ(rule(p, "both").aggregates.size(), 2u);
    EXPECT_EQ(rule(p, "one").aggregates.size(), 1u);
}

TEST(Graph, CalendarBucketsAreComputedAtCompileTime) {
    const plan p = build(header + R"(
obligation monthly { each v: village  during campaign  every month  require count(activity of v) >= 1 }
obligation triggered { each v: village  during campaign  after sms of v within 3 days  require count(activity of v) >= 1 }
)");
    // April, May, June; a triggered schedule has none until its triggers arrive.
    EXPECT_EQ(rule(p, "monthly").buckets.size(), 3u);
    EXPECT_TRUE(rule(p, "triggered").buckets.empty());
    EXPECT_GE(rule(p, "triggered").trigger_source, 0);
}

TEST(Graph, RevisionIsTheSha256OfTheRuleFile) {
    // SHA-256("abc"), from FIPS 180-2's example.
    EXPECT_EQ(graph::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const std::string text = header + "obligation o { each v: village  require count(activity of v) >= 1 }\n";
    EXPECT_EQ(build(text)->revision(), graph::sha256_hex(text));
}

TEST(Graph, DotNamesEveryRuleSourceAndEdge) {
    std::ifstream in(std::string(MANDATE_SOURCE_DIR) + "/rules/goutang-2023.mandate");
    std::stringstream text;
    text << in.rdbuf();
    const plan p = build(text.str());
    const std::string dot = p->to_dot();
    EXPECT_EQ(dot.rfind("digraph \"goutang_antifraud_2023\" {", 0), 0u);
    EXPECT_EQ(dot.substr(dot.size() - 2), "}\n");
    for (const auto& r : p->model().rules) {
        EXPECT_NE(dot.find((r.outcome ? "outcome " : "obligation ") + r.id + "\""), std::string::npos) << r.id;
    }
    // The trigger edge from the listing outcome to the rectification obligation.
    const std::string from = "rule" + std::to_string(p->model().find_outcome("rectification_listing"));
    const std::string to = "rule" + std::to_string(p->model().find_obligation("rectification_done"));
    EXPECT_NE(dot.find(from + " -> " + to + " [style=bold, label=\"triggers\"]"), std::string::npos);
    // Every source hangs off its event type.
    for (std::size_t s = 0; s < p->sources().size(); ++s)
        EXPECT_NE(dot.find(" -> source" + std::to_string(s) + ";"), std::string::npos) << s;
    // Shared: a source read by more than one aggregate (count(staff_training of u) and
    // all(staff_training of u: ...), say), and never more sources than aggregates.
    std::size_t aggregates = 0;
    std::vector<int> readers(p->sources().size(), 0);
    for (const auto& n : p->nodes())
        if (n.kind == graph::node_kind::aggregate) {
            ++aggregates;
            ++readers[static_cast<std::size_t>(n.source)];
        }
    EXPECT_LE(p->sources().size(), aggregates);
    EXPECT_TRUE(std::any_of(readers.begin(), readers.end(), [](int k) { return k > 1; }));
}

}  // namespace
}  // namespace mandate
