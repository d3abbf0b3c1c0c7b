// Declared fields no rule reads are not kept in columns: only a fingerprint of them, so that a
// second copy of an id is still told from a conflicting one exactly as when they were kept.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "helpers.hpp"

namespace {

using evaltest::compile_or_throw;
using evaltest::D;

// The rule reads `people` only; venue, note, weight and tags are unread, place is a ref.
const char* plan_text = R"(plan unread { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-04-30
kind village "村"
event visit "走访" {
  people: int
  venue:  text
  note?:  text
  weight: number
  tags:   set<text>
  place?: ref village
}
obligation monthly "每月" {
  each v: village
  during campaign
  require sum(visit.people of v) >= 10
}
)";

std::string visit(const std::string& id, const std::string& rest) {
    return R"({"id": ")" + id + R"(", "type": "visit", "time": "2023-04-03", "unit": "v1", "people": 4, )" + rest + "}";
}

const std::string plain = R"("venue": "park", "note": "ok", "weight": 12.5, "tags": ["a", "b"])";

struct fed {
    mandate::report r;
    std::vector<std::string> reasons;
};

fed feed(const mandate::plan& plan, const std::vector<std::string>& lines) {
    mandate::engine e(plan);
    e.add(R"({"entity": "v1", "kind": "village"})");
    for (const auto& l : lines) e.add(l);
    fed out{e.evaluate(D("2023-05-01")), {}};
    for (const auto& x : out.r.rejected) out.reasons.push_back(x.reason);
    return out;
}

TEST(UnreadFields, ASecondCopyIsADuplicateWhateverTheFieldsOrder) {
    const mandate::plan plan = compile_or_throw(plan_text);
    // The same values, written otherwise: 12.50 for 12.5, the set's members in another order
    // and repeated.
    const fed f = feed(plan, {visit("e1", plain),
                              visit("e1", R"("tags": ["b", "a", "a"], "weight": 12.50, "note": "ok", "venue": "park")")});
    EXPECT_EQ(f.r.inputs.duplicates, 1u);
    EXPECT_EQ(f.r.inputs.applied, 1u);
    EXPECT_TRUE(f.reasons.empty());
    ASSERT_EQ(f.r.results.size(), 1u);
    EXPECT_EQ(f.r.results[0].status, mandate::status::violated);  // 4 people of 10
}

TEST(UnreadFields, ACopyDifferingOnlyInAnUnreadFieldConflicts) {
    const mandate::plan plan = compile_or_throw(plan_text);
    const std::vector<std::string> others = {
        R"("venue": "square", "note": "ok", "weight": 12.5, "tags": ["a", "b"])",  // a text
        R"("venue": "park", "weight": 12.5, "tags": ["a", "b"])",                  // an optional left out
        R"("venue": "park", "note": "ok", "weight": 12.6, "tags": ["a", "b"])",    // a number
        R"("venue": "park", "note": "ok", "weight": 12.5, "tags": ["a"])",         // a set's member
        R"("venue": "park", "note": "ok", "weight": 12.5, "tags": ["a", "b", "c"])",
        R"("venue": "ok", "note": "park", "weight": 12.5, "tags": ["a", "b"])",    // values swapped
    };
    for (const auto& other : others) {
        const fed f = feed(plan, {visit("e1", plain), visit("e1", other), visit("e2", plain)});
        EXPECT_EQ(f.r.inputs.duplicates, 0u) << other;
        EXPECT_EQ(f.r.inputs.applied, 1u) << other;  // e2 only
        ASSERT_EQ(f.reasons.size(), 2u) << other;
        EXPECT_NE(f.reasons[0].find("e1"), std::string::npos) << f.reasons[0];
        EXPECT_EQ(f.reasons[0], f.reasons[1]);
    }
}

// A ref is always kept: it decides whether its event counts.
TEST(UnreadFields, AnUnreadRefStillRejectsWhatNamesNoUnit) {
    const mandate::plan plan = compile_or_throw(plan_text);
    const fed f = feed(plan, {visit("e1", plain + R"(, "place": "v1")"), visit("e2", plain + R"(, "place": "v9")")});
    EXPECT_EQ(f.r.inputs.applied, 1u);
    EXPECT_EQ(f.r.inputs.unresolved + f.r.inputs.rejected, 1u);
}

// Unread texts are not interned: nine hundred distinct notes leave the pool as one did.
TEST(UnreadFields, UnreadTextsTakeNoRoomInThePool) {
    const mandate::plan plan = compile_or_throw(plan_text);
    mandate::engine one(plan), many(plan);
    auto letters = [](int i) {
        std::string s = "note ";
        for (; i > 0; i /= 26) s.push_back(static_cast<char>('a' + i % 26));
        return s;
    };
    one.add(R"({"entity": "v1", "kind": "village"})");
    many.add(R"({"entity": "v1", "kind": "village"})");
    // Ids of one shape (three digits) in both, so the numbered ids' table is the same too.
    const auto accepted = mandate::add_status::accepted;
    ASSERT_EQ(one.add(visit("e100", R"("venue": "park", "note": "note", "weight": 1, "tags": ["x"])")), accepted);
    for (int i = 100; i < 1000; ++i)
        ASSERT_EQ(many.add(visit("e" + std::to_string(i), R"("venue": ")" + letters(i) + R"(", "note": ")" + letters(i + 1000) +
                                                               R"(", "weight": 1, "tags": [")" + letters(i + 2000) + R"("])")),
                  accepted);
    EXPECT_EQ(one.evaluate(D("2023-05-01")).inputs.applied, 1u);
    EXPECT_EQ(many.evaluate(D("2023-05-01")).inputs.applied, 900u);
    EXPECT_EQ(many.memory().strings, one.memory().strings);
}

TEST(UnreadFields, ASavedStateKeepsTheFingerprints) {
    const mandate::plan plan = compile_or_throw(plan_text);
    mandate::engine e(plan);
    e.add(R"({"entity": "v1", "kind": "village"})");
    e.add(visit("e1", plain));
    e.add(visit("e2", plain));
    const std::string path = ::testing::TempDir() + "unread.state";
    e.save(path);
    mandate::engine restored(plan);
    restored.restore(path);
    restored.add(visit("e1", plain));                                                          // a duplicate
    restored.add(visit("e2", R"("venue": "park", "note": "no", "weight": 12.5, "tags": ["a", "b"])"));  // a conflict
    const mandate::report r = restored.evaluate(D("2023-05-01"));
    EXPECT_EQ(r.inputs.duplicates, 1u);
    EXPECT_EQ(r.inputs.applied, 1u);
    EXPECT_EQ(r.rejected.size(), 2u);
    // A plan that reads another field has other columns: its engine refuses this state.
    const mandate::plan other = compile_or_throw(std::string(plan_text) + R"(obligation weighed "称重" {
  each v: village
  during campaign
  require sum(visit.weight of v) >= 1
}
)");
    mandate::engine wrong(other);
    EXPECT_THROW(wrong.restore(path), std::exception);
}

}  // namespace
