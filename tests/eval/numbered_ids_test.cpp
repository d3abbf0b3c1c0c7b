// Numbered texts (e1234567, v01, bk8-o02): kept as a shape and a number, with no bytes of their
// own, and still the same texts everywhere a text is compared, ordered, reported or saved.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "eval/numeric_table.hpp"
#include "eval/string_pool.hpp"
#include "helpers.hpp"

namespace {

using mandate::eval::is_numbered;
using mandate::eval::no_string;
using mandate::eval::numbered_bit;
using mandate::eval::string_id;
using mandate::eval::string_pool;

TEST(NumberedTexts, EachShapeTakesTheNextRangeAndEveryTextComesBack) {
    string_pool p;
    // e7: prefix "e", one digit: the first shape, ids 0 to 9.
    EXPECT_EQ(p.intern("e7"), numbered_bit | 7);
    // e0012: four digits, a shape of its own (10 000 numbers) after e's ten.
    EXPECT_EQ(p.intern("e0012"), numbered_bit | (10 + 12));
    // e12: two digits, after e0012's range (at 10 010); e012: three, after that (at 10 110).
    EXPECT_EQ(p.intern("e12"), numbered_bit | (10010 + 12));
    EXPECT_EQ(p.intern("e012"), numbered_bit | (10110 + 12));
    // Digits alone: the empty prefix, five digits at 11 110; one digit at 111 110.
    EXPECT_EQ(p.intern("12345"), numbered_bit | (11110 + 12345));
    EXPECT_EQ(p.intern("0"), numbered_bit | 111110);
    // Nine digits: 10^9 numbers, from 111 120.
    EXPECT_EQ(p.intern("e268435456"), numbered_bit | (111120 + 268435456));
    ASSERT_EQ(p.shapes().size(), 7u);
    EXPECT_EQ(p.shapes()[4].prefix, "");
    EXPECT_EQ(p.shapes()[1].width, 4);
    EXPECT_EQ(p.shapes()[6].span, 1000000000u);
    EXPECT_EQ(p.size(), 0u);  // no text stored so far

    // Not numbered, so pooled, in order from 0: no digits, ten digits, a prefix of 33 bytes.
    const std::string long_prefix(33, 'p'), prefix32(32, 'p');
    EXPECT_EQ(p.intern("abc"), 0u);
    EXPECT_EQ(p.intern("e1234567890"), 1u);
    EXPECT_EQ(p.intern(long_prefix + "1"), 2u);
    EXPECT_TRUE(is_numbered(p.intern(prefix32 + "1")));
    EXPECT_EQ(p.size(), 3u);

    for (const std::string t : {"e7", "e0012", "e12", "e012", "12345", "0", "e268435456", "abc", "e1234567890"}) {
        const string_id id = p.intern(t);
        EXPECT_EQ(p.view(id), t);
        mandate::eval::text_buffer b;
        EXPECT_EQ(p.text(id, b), t);
        EXPECT_EQ(p.find(t), id);
    }
    EXPECT_EQ(p.view(p.intern(prefix32 + "1")), prefix32 + "1");
}

TEST(NumberedTexts, FindKnowsOnlyWhatWasInterned) {
    string_pool p;
    EXPECT_EQ(p.find("e5"), no_string);
    p.intern("e4");
    EXPECT_EQ(p.find("e5"), no_string);  // its shape is known, the text is not
    EXPECT_EQ(p.intern(std::string_view("e5"), string_pool::hash_of("e5")), std::make_pair(numbered_bit | 5u, true));
    EXPECT_EQ(p.intern(std::string_view("e5"), string_pool::hash_of("e5")), std::make_pair(numbered_bit | 5u, false));
    EXPECT_EQ(p.find("e5"), numbered_bit | 5u);
    EXPECT_EQ(p.numbered_count(), 2u);
    std::vector<string_id> seen;
    p.for_each_numbered([&](string_id id) { seen.push_back(id); });
    EXPECT_EQ(seen, (std::vector<string_id>{numbered_bit | 4u, numbered_bit | 5u}));
}

TEST(NumberedTexts, OrderIsTheTextsOrderNotTheNumbers) {
    string_pool p;
    const string_id e9 = p.intern("e9"), e10 = p.intern("e10"), e012 = p.intern("e012"), e12 = p.intern("e12"), abc = p.intern("abc"),
                    f1 = p.intern("f1");
    EXPECT_TRUE(p.less(e10, e9));    // "e1" < "e9"
    EXPECT_TRUE(p.less(e012, e12));  // '0' < '1'
    EXPECT_TRUE(p.less(e10, e12));   // "e10" < "e12"
    EXPECT_TRUE(p.less(abc, e9));    // pooled and numbered alike
    EXPECT_TRUE(p.less(e9, f1));
    EXPECT_FALSE(p.less(e9, e9));
    EXPECT_GT(p.compare(e12, e012), 0);
    EXPECT_EQ(p.compare(e12, e12), 0);
}

TEST(NumberedTexts, AViewStaysValidAsThePoolGrows) {
    string_pool p;
    const std::string_view seven = p.view(p.intern("e7"));
    for (int i = 0; i < 100000; ++i) p.view(p.intern("x" + std::to_string(i)));
    for (int i = 0; i < 1000; ++i) p.intern("pooled text " + std::to_string(i));
    EXPECT_EQ(seven, "e7");
    EXPECT_EQ(p.view(p.intern("x99999")), "x99999");
}

// The range of ids is 2^31 - 1 wide: two nine-digit shapes (10^9 each) leave 147 483 647, too
// little for a third, which is pooled then and for good, while smaller shapes still fit.
TEST(NumberedTexts, AShapeWithNoRoomLeftIsPooledForGood) {
    string_pool p;
    EXPECT_EQ(p.intern("a100000000"), numbered_bit | 100000000u);
    EXPECT_EQ(p.intern("b100000000"), numbered_bit | 1100000000u);
    const string_id c = p.intern("c100000000");
    EXPECT_EQ(c, 0u);
    EXPECT_EQ(p.intern("x00000001"), numbered_bit | 2000000001u);  // 10^8 numbers still fit
    EXPECT_EQ(p.intern("c100000000"), c);
    EXPECT_EQ(p.intern("c100000001"), 1u);
    EXPECT_EQ(p.find("c100000000"), c);
    EXPECT_EQ(p.find("c100000002"), no_string);
    EXPECT_EQ(p.view(p.intern("x00000001")), "x00000001");
    // Seven digits (10^7) still fit too; the last id is below no_string.
    const string_id last = p.intern("y9999999");
    EXPECT_EQ(last, numbered_bit | (2100000000u + 9999999u));
    EXPECT_LT(last, no_string);
    EXPECT_EQ(p.view(last), "y9999999");
}

// A saved state's shapes come back only as this pool would have made them: a prefix ending in a
// digit ("a1" with one digit would be "a" with two), or a base out of order, is refused.
TEST(NumberedTexts, OnlyShapesThePoolWouldMakeAreRestored) {
    string_pool p;
    auto shape = [](std::string prefix, std::uint8_t width, std::uint32_t base, std::uint32_t span) {
        string_pool::shape s;
        s.prefix = std::move(prefix);
        s.width = width;
        s.base = base;
        s.span = span;
        return s;
    };
    EXPECT_FALSE(p.restore_shape(shape("a1", 1, 0, 10)));
    EXPECT_FALSE(p.restore_shape(shape("a", 1, 10, 10)));   // the first range starts at 0
    EXPECT_FALSE(p.restore_shape(shape("a", 1, 0, 100)));   // one digit spans 10
    EXPECT_FALSE(p.restore_shape(shape("a", 10, 0, 0)));    // at most nine digits
    EXPECT_TRUE(p.restore_shape(shape("a", 1, 0, 10)));
    EXPECT_FALSE(p.restore_shape(shape("a", 1, 10, 10)));   // twice
    EXPECT_TRUE(p.restore_shape(shape("a", 2, 10, 100)));
    EXPECT_TRUE(p.restore_numbered(numbered_bit | 15));
    EXPECT_FALSE(p.restore_numbered(numbered_bit | 110));  // past the last range
    EXPECT_EQ(p.find("a05"), numbered_bit | 15);
    EXPECT_EQ(p.intern("a15"), numbered_bit | 25);
}

TEST(NumberedTexts, TheTableIsDenseForRunsAndHashedForScatteredKeys) {
    constexpr std::uint32_t base = std::uint32_t{1} << 28;
    mandate::eval::numeric_table<std::uint32_t, 0xFFFFFFFFu> dense;
    for (std::uint32_t k = 0; k < 10000; ++k) ASSERT_TRUE(dense.insert(base + k, k * 2).second);
    EXPECT_FALSE(dense.insert(base + 5, 1).second);
    EXPECT_EQ(dense.get(base + 5), 10u);
    EXPECT_EQ(dense.get(base + 10000), 0xFFFFFFFFu);
    EXPECT_EQ(dense.get(5), 0xFFFFFFFFu);
    // Ten pages of 1 024 keys (4 KiB each), one region's directory of 1 024 pages (8 KiB),
    // and the list of regions up to the 257th (2^28 >> 20 = 256), 8 bytes each.
    EXPECT_EQ(dense.bytes(), 10 * 4096u + 8192u + 257 * 8u);

    mandate::eval::numeric_table<std::uint32_t, 0xFFFFFFFFu> scattered;
    std::vector<std::uint32_t> keys;
    for (std::uint32_t i = 0; i < 2000; ++i) keys.push_back(static_cast<std::uint32_t>((i * 1000003ull) % 0x7FFFFFFFu));
    for (std::uint32_t i = 0; i < keys.size(); ++i) ASSERT_TRUE(scattered.insert(keys[i], i).second);
    for (std::uint32_t i = 0; i < keys.size(); ++i) ASSERT_EQ(scattered.get(keys[i]), i);
    EXPECT_EQ(scattered.get(1), 0xFFFFFFFFu);
    EXPECT_EQ(scattered.size(), 2000u);
    // A page each would be 8 MiB; hashed, 8 bytes a slot at most half full.
    EXPECT_LE(scattered.bytes(), 2000u * 8 * 4);
    std::vector<std::uint32_t> order;
    scattered.for_each([&](std::uint32_t k, std::uint32_t) { order.push_back(k); });
    std::vector<std::uint32_t> sorted = keys;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(order, sorted);
}

using evaltest::compile_or_throw;
using evaltest::D;

const char* plan_text = R"(plan numbered { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-04-30
kind village "村"
event visit "走访" {
  venue: text
}
obligation hall_visits "礼堂走访" {
  each v: village
  during campaign
  require count(visit of v where venue == "hall07") >= 2
}
)";

std::string visit(const std::string& id, const std::string& unit, const std::string& venue, int day = 3) {
    return R"({"id": ")" + id + R"(", "type": "visit", "time": "2023-04-0)" + std::to_string(day) + R"(", "unit": ")" + unit +
           R"(", "venue": ")" + venue + R"("})";
}

// The plan's literal "hall07" and a record's "hall07" are one text; "hall7" and "hall007" are
// others. Evidence lists ids in the texts' order: e10, e100, e9.
TEST(NumberedTexts, AnEngineComparesAndOrdersThemAsTexts) {
    mandate::engine e(compile_or_throw(plan_text));
    e.add(R"({"entity": "v01", "kind": "village"})");
    e.add(R"({"entity": "v1", "kind": "village"})");
    e.add(visit("e9", "v01", "hall07"));
    e.add(visit("e100", "v01", "hall07"));
    e.add(visit("e10", "v01", "hall07"));
    e.add(visit("e11", "v01", "hall7"));
    e.add(visit("e12", "v1", "hall007"));
    e.add(visit("e13", "v1", "hall07"));
    const mandate::report r = e.evaluate(D("2023-05-01"));
    ASSERT_EQ(r.results.size(), 2u);
    EXPECT_EQ(r.results[0].unit, "v01");
    EXPECT_EQ(r.results[0].status, mandate::status::satisfied);
    EXPECT_EQ(r.results[0].evidence.events, (std::vector<std::string>{"e10", "e100", "e9"}));
    EXPECT_EQ(r.results[1].unit, "v1");
    EXPECT_EQ(r.results[1].status, mandate::status::violated);
    EXPECT_EQ(r.results[1].evidence.events, (std::vector<std::string>{"e13"}));
    EXPECT_EQ(r.inputs.applied, 6u);
}

// A saved state brings numbered ids back as they were: a copy of e2 is a duplicate after the
// restore, another e2 a conflict, and a new e4 counts.
TEST(NumberedTexts, ASavedStateRestoresThem) {
    const mandate::plan plan = compile_or_throw(plan_text);
    mandate::engine e(plan);
    e.add(R"({"entity": "v01", "kind": "village"})");
    e.add(visit("e1", "v01", "hall07"));
    e.add(visit("e2", "v01", "hall07"));
    e.add(visit("e3", "v01", "abc"));
    e.add(visit("x-17", "v01", "hall07", 4));
    const std::string path = ::testing::TempDir() + "numbered.state";
    e.save(path);
    mandate::engine restored(plan);
    restored.restore(path);
    EXPECT_EQ(mandate::io::to_json(restored.evaluate(D("2023-05-01"))), mandate::io::to_json(e.evaluate(D("2023-05-01"))));
    restored.add(visit("e2", "v01", "hall07"));
    restored.add(visit("e1", "v01", "hall07", 5));
    restored.add(visit("e4", "v01", "hall07"));
    const mandate::report r = restored.evaluate(D("2023-05-01"));
    EXPECT_EQ(r.inputs.duplicates, 1u);
    EXPECT_EQ(r.inputs.rejected, 2u);  // both copies of e1, in conflict
    ASSERT_EQ(r.results.size(), 1u);
    EXPECT_EQ(r.results[0].evidence.events, (std::vector<std::string>{"e2", "e4", "x-17"}));
}

}  // namespace
