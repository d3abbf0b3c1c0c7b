// entity_map (lib/eval/entity_map.hpp): values by entity index or `none`, and erase(), which
// moves the last value into the hole — every other key must still find its own value.
#include <gtest/gtest.h>

#include <map>

#include "eval/entity_map.hpp"

namespace {

using mandate::eval::entity_map;
using mandate::eval::none;

std::map<std::uint32_t, int> contents(const entity_map<int>& m) {
    std::map<std::uint32_t, int> out;
    m.for_each([&](std::uint32_t e, const int& v) { out[e] = v; });
    return out;
}

TEST(EntityMap, EraseMovesTheLastValueIntoTheHole) {
    entity_map<int> m;
    m[5] = 50;
    m[none] = -1;
    m[2] = 20;
    m[9] = 90;
    m.erase(5);  // the first value: 90, the last, takes its place
    EXPECT_EQ(contents(m), (std::map<std::uint32_t, int>{{none, -1}, {2, 20}, {9, 90}}));
    EXPECT_EQ(m.find(5), nullptr);
    ASSERT_NE(m.find(9), nullptr);
    EXPECT_EQ(*m.find(9), 90);
    m.erase(none);  // the plan's own value
    EXPECT_EQ(m.find(none), nullptr);
    EXPECT_EQ(contents(m), (std::map<std::uint32_t, int>{{2, 20}, {9, 90}}));
    m.erase(9);  // the last value: nothing moves
    m.erase(7);  // never held
    m.erase(100000);  // beyond every key held
    EXPECT_EQ(contents(m), (std::map<std::uint32_t, int>{{2, 20}}));
    m[5] = 55;  // a key erased comes back with a fresh value
    m[none] = -2;
    EXPECT_EQ(contents(m), (std::map<std::uint32_t, int>{{none, -2}, {2, 20}, {5, 55}}));
    EXPECT_EQ(m.values().size(), 3u);
}

}  // namespace
