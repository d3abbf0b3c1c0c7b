// Literal lists in the graph: a list is one node holding the checked plan's sorted set of its
// items (not a constant node per item, scanned for every event); lists with the same members are
// one node; a long list is named by its first 16 items and a count.
#include <gtest/gtest.h>

#include "mandate/mandate.hpp"
#include "support/build_plan.hpp"

namespace mandate {
namespace {

using testing::build;

const std::string header = R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-06-30
kind village "村"
event activity "活动" { venue: text, size: number }
)";

const graph::node& list_of(const plan& p) {
    for (const auto& n : p->nodes())
        if (n.kind == graph::node_kind::list) return n;
    ADD_FAILURE() << "no list node";
    std::abort();
}

TEST(GraphLists, AListIsOneNodeWithoutAChildPerItem) {
    std::string items;
    for (int i = 0; i < 1000; ++i) items += (i ? ", \"v" : "\"v") + std::to_string(i) + "\"";
    const plan p = build(header + "obligation o { each v: village during campaign every month require count(activity of v where venue in [" +
                         items + "]) >= 1 }\n");
    const graph::node& list = list_of(p);
    EXPECT_TRUE(list.args.empty());
    ASSERT_TRUE(list.members);
    EXPECT_TRUE(list.members->has_text("v0"));
    EXPECT_TRUE(list.members->has_text("v999"));
    EXPECT_FALSE(list.members->has_text("v1000"));
    // The field, the list, `in`, the count, the 1 and `>=`: six nodes, however long the list.
    EXPECT_EQ(p->nodes().size(), 6u);
}

TEST(GraphLists, EqualListsAreOneNodeAndDifferentOnesTwo) {
    const plan p = build(header + R"(
obligation a { each v: village during campaign every month require count(activity of v where venue in ["x", "y"]) >= 1 }
obligation b { each v: village during campaign every month require count(activity of v where venue in ["x", "y"]) >= 2 }
obligation c { each v: village during campaign every month require count(activity of v where venue in ["y", "x"]) >= 1 }
)");
    int lists = 0;
    for (const auto& n : p->nodes()) lists += n.kind == graph::node_kind::list;
    // a and b write the same list, c the same members in another order: one set, one node, and
    // one filter and source for the three.
    EXPECT_EQ(lists, 1);
    EXPECT_EQ(p->sources().size(), 1u);
}

TEST(GraphLists, ALongListIsNamedByItsFirstSixteenItems) {
    std::string items;
    for (int i = 0; i < 20; ++i) items += (i ? ", " : "") + std::to_string(i);
    const plan p = build(header + "obligation o { each v: village during campaign every month require count(activity of v where size in [" +
                         items + "]) >= 1 }\n");
    const auto& rn = p->rules()[0];
    ASSERT_EQ(rn.measure_names.size(), 1u);
    EXPECT_EQ(rn.measure_names[0],
              "count(activity of v where size in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, … 4 more])");
    EXPECT_EQ(p->sources()[0].text, "activity of v where size in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, … 4 more]");
    // Sixteen items are written out in full.
    const plan q = build(header + "obligation o { each v: village during campaign every month require count(activity of v where size in "
                                  "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]) >= 1 }\n");
    EXPECT_EQ(q->rules()[0].measure_names[0],
              "count(activity of v where size in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15])");
}

}  // namespace
}  // namespace mandate
