// engine::memory(): the bytes an engine holds, by part, bounded below by what its layout must
// hold for the records it was given.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "helpers.hpp"

namespace {

using evaltest::compile_or_throw;

const char* plan_text = R"(plan m { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-04-30
kind village "村"
event visit "走访" {
  people: int
  venue:  text
}
obligation monthly "每月" {
  each v: village
  during campaign
  require count(visit of v) >= 1
}
)";

TEST(Memory, EachPartHoldsAtLeastWhatItsRecordsNeed) {
    mandate::engine e(compile_or_throw(plan_text));
    const mandate::memory_usage empty = e.memory();
    EXPECT_EQ(empty.total(), empty.strings + empty.event_ids + empty.rows + empty.fields + empty.entities + empty.indexes +
                                 empty.other);
    for (int v = 0; v < 10; ++v) e.add(R"({"entity": "v)" + std::to_string(v) + R"(", "kind": "village"})");
    const int n = 5000;
    for (int i = 0; i < n; ++i)
        e.add(R"({"id": "e)" + std::to_string(i) + R"(", "type": "visit", "time": "2023-04-)" + (i % 30 < 9 ? "0" : "") + std::to_string(1 + i % 30) +
              R"(", "unit": "v)" + std::to_string(i % 10) + R"(", "people": 3, "venue": "park"})");
    const mandate::memory_usage before = e.memory();
    // Per event at least: a row's id (4), date (4), instant (4: a date), nanos (1: none), clock
    // flag (1), unit (4), unit entity (4), state (1), alive (1); two fields (people, an int that fits 4 bytes,
    // and venue, a text's 4-byte string id) and a presence byte each; and an id slot.
    EXPECT_GE(before.rows, std::uint64_t{n} * 24);
    EXPECT_GE(before.fields, std::uint64_t{n} * 10);
    EXPECT_GE(before.event_ids, std::uint64_t{n} * 16);
    // The ids "e0" to "e4999" (and "v0" to "v9") are numbered: no text of their own (23 890
    // bytes) nor a pool entry (12 bytes and a table slot each). Their shapes (v and e with 1
    // digit, e with 2, 3 and 4) span ids 0 to 11 119: a byte each in eleven pages of 1 024,
    // found through one region's directory (8 KiB). Beside them, "park" starts the pool's first
    // 64 KiB chunk of text.
    EXPECT_LT(before.strings - empty.strings, std::uint64_t{65536 + 11 * 1024 + 8192 + 8 + 1024});
    EXPECT_GT(before.entities, 0u);
    // The indexes a report builds: every applied event in its unit's list at least once (8 bytes).
    const auto r = e.evaluate(mandate::calendar::from_ymd(2023, 5, 1));
    ASSERT_EQ(r.inputs.applied, static_cast<std::uint64_t>(n));
    const mandate::memory_usage after = e.memory();
    EXPECT_GE(after.indexes, before.indexes + std::uint64_t{n} * 8);
    EXPECT_EQ(after.rows, before.rows);  // a report adds no rows
}

}  // namespace

namespace {

using evaltest::compile_or_throw;

// An event slot packs its first location into 8 bytes; a line past 2^48 is kept whole beside it.
TEST(Memory, AFirstLocationTooFarToPackIsKeptWhole) {
    const std::uint64_t far_line = (std::uint64_t{1} << 50) + 7, near_line = (std::uint64_t{1} << 48) - 1;
    const mandate::plan plan = compile_or_throw(plan_text);
    mandate::engine e(plan);
    e.add(R"({"entity": "v1", "kind": "village"})");
    const std::string a = R"({"id": "a", "type": "visit", "time": "2023-04-02", "unit": "v1", "people": 3, "venue": "park"})";
    const std::string b = R"({"id": "b", "type": "visit", "time": "2023-04-02", "unit": "v1", "people": 3, "venue": "park"})";
    e.add(a, "far.jsonl", far_line);
    e.add(b, "near.jsonl", near_line);
    // Other content under both ids: each comes into conflict, and every copy is listed.
    e.add(R"({"id": "a", "type": "visit", "time": "2023-04-03", "unit": "v1", "people": 3, "venue": "park"})", "late.jsonl", 1);
    e.add(R"({"id": "b", "type": "visit", "time": "2023-04-03", "unit": "v1", "people": 3, "venue": "park"})", "late.jsonl", 2);
    auto lines_of = [](const mandate::report& r) {
        std::vector<std::pair<std::string, std::uint64_t>> out;
        for (const auto& x : r.rejected) out.emplace_back(x.source, x.line);
        std::sort(out.begin(), out.end());
        return out;
    };
    const std::vector<std::pair<std::string, std::uint64_t>> expected = {
        {"far.jsonl", far_line}, {"late.jsonl", 1}, {"late.jsonl", 2}, {"near.jsonl", near_line}};
    EXPECT_EQ(lines_of(e.evaluate(mandate::calendar::from_ymd(2023, 5, 1))), expected);
    // And through a saved state.
    const std::string path = ::testing::TempDir() + "far_location.state";
    e.save(path);
    mandate::engine restored(plan);
    restored.restore(path);
    EXPECT_EQ(lines_of(restored.evaluate(mandate::calendar::from_ymd(2023, 5, 1))), expected);
}

}  // namespace

#include "eval/store.hpp"

namespace {

using mandate::eval::value_column;

// Every value pushed reads back exactly, through each width and the one widening.
TEST(Memory, AColumnWidensOnceAndReadsEveryValueBack) {
    using kind = mandate::check::type_kind;
    struct step {
        std::int64_t value;
        std::size_t width;  // bytes a value takes after it is pushed
    };
    const std::vector<std::pair<kind, std::vector<step>>> cases = {
        {kind::integer, {{5, 4}, {-7, 4}, {INT32_MAX, 4}, {INT32_MIN, 4}, {std::int64_t{INT32_MAX} + 1, 8}, {INT64_MIN + 1, 8}, {3, 8}}},
        {kind::number, {{-2000000000, 4}, {-2147483649LL, 8}, {12500000, 8}}},
        {kind::ref, {{0, 4}, {UINT32_MAX, 4}, {-1, 8}, {7, 8}}},
        {kind::boolean, {{0, 1}, {1, 1}, {-128, 1}, {300, 4}, {1, 4}, {INT64_MAX, 8}, {0, 8}}},
        {kind::boolean, {{1, 1}, {INT64_MIN, 8}, {2, 8}}},
        {kind::date, {{19448, 4}, {-200000, 4}}},
        {kind::set, {{0, 1}, {0, 1}}},
    };
    for (const auto& [k, steps] : cases) {
        value_column c;
        c.set_kind(k);
        std::vector<std::int64_t> pushed;
        for (const step& s : steps) {
            c.push_back(s.value);
            pushed.push_back(s.value);
            EXPECT_EQ(c.width_bytes(), s.width) << static_cast<int>(k) << " after " << s.value;
            ASSERT_EQ(c.size(), pushed.size());
            for (std::size_t row = 0; row < pushed.size(); ++row) EXPECT_EQ(c[row], pushed[row]) << static_cast<int>(k) << " row " << row;
        }
    }
}

}  // namespace
