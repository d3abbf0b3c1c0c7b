// Subscriptions under awkward hosts: ids holding any character, callbacks that unsubscribe.
#include <gtest/gtest.h>

#include "mandate/mandate.hpp"

namespace mandate {
namespace {

const char* plan_text = R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-04-30
kind village "村"
event activity "活动" {}
obligation monthly "每月" { each v: village  during campaign  require count(activity of v) >= 1 }
)";

TEST(SubscriptionEdges, UnitIdsMayHoldAnyCharacter) {
    engine e(*compile(plan_text, "p.mandate"));
    std::vector<status_change> seen;
    e.set_watch_date(calendar::from_ymd(2023, 4, 20));
    e.subscribe([&](const status_change& c) { seen.push_back(c); });
    EXPECT_EQ(e.add(R"({"entity": "v|1|x", "kind": "village"})"), add_status::accepted);
    ASSERT_EQ(seen.size(), 1u);  // the April bucket appears, pending
    EXPECT_EQ(seen[0].unit, std::optional<std::string>("v|1|x"));
    EXPECT_FALSE(seen[0].before);
    EXPECT_EQ(seen[0].after, status::pending);
    seen.clear();
    EXPECT_EQ(e.add(R"({"id": "a", "type": "activity", "time": "2023-04-05", "unit": "v|1|x"})"), add_status::accepted);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].before, status::pending);
    EXPECT_EQ(seen[0].after, status::satisfied);
}

TEST(SubscriptionEdges, ACallbackMayUnsubscribeItselfAndOthers) {
    engine e(*compile(plan_text, "p.mandate"));
    e.set_watch_date(calendar::from_ymd(2023, 4, 20));
    int first = 0, second = 0;
    int token_first = 0, token_second = 0;
    token_first = e.subscribe([&](const status_change&) {
        ++first;
        e.unsubscribe(token_first);
        e.unsubscribe(token_second);
    });
    token_second = e.subscribe([&](const status_change&) { ++second; });
    e.add(R"({"entity": "v1", "kind": "village"})");
    e.add(R"({"entity": "v2", "kind": "village"})");
    // The first callback ran once and removed both; the second was removed before its turn.
    EXPECT_EQ(first, 1);
    EXPECT_EQ(second, 0);
}

}  // namespace
}  // namespace mandate
