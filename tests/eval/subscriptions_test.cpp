// Subscriptions: after each add(), subscribers hear of every bucket whose state changed as of
// the watch date.
#include <gtest/gtest.h>

#include "eval/helpers.hpp"

namespace {

using namespace evaltest;

const char* plan_text = R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-06-30
kind village "v"
event activity "a" {}
event fraud_case "f" {}
obligation act "a" {
  each v: village
  during campaign
  every month
  require count(activity of v) >= 1
}
outcome flagged "f" {
  each v: village
  during campaign
  every month
  when count(fraud_case of v) >= 1
}
)";

struct recorder {
    std::vector<mandate::status_change> changes;
    mandate::engine::subscriber callback() {
        return [this](const mandate::status_change& c) { changes.push_back(c); };
    }
    // The changes for one rule, unit and bucket start.
    std::vector<mandate::status_change> of(const std::string& rule, const std::string& unit,
                                           std::string_view from) const {
        std::vector<mandate::status_change> out;
        for (const auto& c : changes)
            if (c.rule == rule && c.unit && *c.unit == unit && c.span.from == D(from)) out.push_back(c);
        return out;
    }
};

TEST(Subscriptions, ABucketGoesFromPendingToSatisfiedAndBack) {
    harness h(plan_text);
    recorder rec;
    h.engine().set_watch_date(D("2023-04-20"));
    const int token = h.engine().subscribe(rec.callback());
    EXPECT_TRUE(h.accept(R"({"entity": "v1", "kind": "village"})"));
    // The April buckets come into being (only April has started by 04-20).
    {
        auto c = rec.of("act", "v1", "2023-04-01");
        ASSERT_EQ(c.size(), 1u);
        EXPECT_FALSE(c[0].outcome);
        EXPECT_FALSE(c[0].before.has_value());
        ASSERT_TRUE(c[0].after.has_value());
        EXPECT_EQ(*c[0].after, status::pending);
        EXPECT_EQ(c[0].span.to, D("2023-04-30"));
        EXPECT_TRUE(rec.of("act", "v1", "2023-05-01").empty());
    }
    rec.changes.clear();
    EXPECT_TRUE(h.accept(R"({"id": "a1", "type": "activity", "time": "2023-04-10", "unit": "v1"})"));
    ASSERT_EQ(rec.changes.size(), 1u);
    EXPECT_EQ(rec.changes[0].rule, "act");
    ASSERT_TRUE(rec.changes[0].before && rec.changes[0].after);
    EXPECT_EQ(*rec.changes[0].before, status::pending);
    EXPECT_EQ(*rec.changes[0].after, status::satisfied);
    // An event after the watch date changes nothing as of 04-20.
    rec.changes.clear();
    EXPECT_TRUE(h.accept(R"({"id": "a2", "type": "activity", "time": "2023-04-25", "unit": "v1"})"));
    EXPECT_TRUE(rec.changes.empty());
    // Retracting a1 leaves a2, which does not exist yet as of 04-20: satisfied -> pending.
    EXPECT_TRUE(h.accept(R"({"retract": "a1"})"));
    ASSERT_EQ(rec.changes.size(), 1u);
    EXPECT_EQ(*rec.changes[0].before, status::satisfied);
    EXPECT_EQ(*rec.changes[0].after, status::pending);
    rec.changes.clear();
    // An outcome's fired flag.
    EXPECT_TRUE(h.accept(R"({"id": "f1", "type": "fraud_case", "time": "2023-04-12", "unit": "v1"})"));
    ASSERT_EQ(rec.changes.size(), 1u);
    const auto& o = rec.changes[0];
    EXPECT_TRUE(o.outcome);
    EXPECT_EQ(o.rule, "flagged");
    ASSERT_TRUE(o.unit.has_value());
    EXPECT_EQ(*o.unit, "v1");
    EXPECT_EQ(o.span.from, D("2023-04-01"));
    EXPECT_EQ(o.fired_before, std::optional<bool>(false));
    EXPECT_EQ(o.fired_after, std::optional<bool>(true));
    EXPECT_EQ(o.final_before, std::optional<bool>(false));
    EXPECT_EQ(o.final_after, std::optional<bool>(false));
    // After unsubscribing, nothing is heard.
    h.engine().unsubscribe(token);
    rec.changes.clear();
    EXPECT_TRUE(h.accept(R"({"id": "a3", "type": "activity", "time": "2023-04-11", "unit": "v1"})"));
    EXPECT_TRUE(h.accept(R"({"retract": "f1"})"));
    EXPECT_TRUE(rec.changes.empty());
}

TEST(Subscriptions, AfterTheCloseARetractionTurnsSatisfiedIntoViolated) {
    harness h(plan_text);
    recorder rec;
    h.engine().set_watch_date(D("2023-05-02"));
    h.engine().subscribe(rec.callback());
    EXPECT_TRUE(h.accept(R"({"entity": "v1", "kind": "village"})"));
    rec.changes.clear();
    EXPECT_TRUE(h.accept(R"({"id": "a1", "type": "activity", "time": "2023-04-15", "unit": "v1"})"));
    // As of 05-02 April is closed: violated -> satisfied.
    {
        auto c = rec.of("act", "v1", "2023-04-01");
        ASSERT_EQ(c.size(), 1u);
        EXPECT_EQ(c[0].before, std::optional<status>(status::violated));
        EXPECT_EQ(c[0].after, std::optional<status>(status::satisfied));
        EXPECT_EQ(rec.changes.size(), 1u);
    }
    rec.changes.clear();
    EXPECT_TRUE(h.accept(R"({"retract": "a1"})"));
    auto c = rec.of("act", "v1", "2023-04-01");
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].before, std::optional<status>(status::satisfied));
    EXPECT_EQ(c[0].after, std::optional<status>(status::violated));
    EXPECT_EQ(rec.changes.size(), 1u);
    // A fraud case in April fires the April outcome bucket, final as of 05-02.
    rec.changes.clear();
    EXPECT_TRUE(h.accept(R"({"id": "f1", "type": "fraud_case", "time": "2023-04-12", "unit": "v1"})"));
    ASSERT_EQ(rec.changes.size(), 1u);
    EXPECT_TRUE(rec.changes[0].outcome);
    EXPECT_EQ(rec.changes[0].fired_before, std::optional<bool>(false));
    EXPECT_EQ(rec.changes[0].fired_after, std::optional<bool>(true));
    EXPECT_EQ(rec.changes[0].final_before, std::optional<bool>(true));
    EXPECT_EQ(rec.changes[0].final_after, std::optional<bool>(true));
}

TEST(Subscriptions, TheDefaultWatchDateIsTheLatestEventDate) {
    harness h(plan_text);
    recorder rec;
    h.engine().subscribe(rec.callback());
    EXPECT_TRUE(h.accept(R"({"entity": "v1", "kind": "village"})"));
    EXPECT_TRUE(h.accept(R"({"entity": "v2", "kind": "village"})"));
    // No event yet: no watch date, nothing evaluated.
    EXPECT_TRUE(rec.changes.empty());
    EXPECT_TRUE(h.accept(R"({"id": "a1", "type": "activity", "time": "2023-04-10", "unit": "v1"})"));
    // As of 04-10: the April buckets appear; v1's act is satisfied, v2's pending.
    {
        auto c1 = rec.of("act", "v1", "2023-04-01");
        ASSERT_EQ(c1.size(), 1u);
        EXPECT_EQ(c1[0].before, std::nullopt);
        EXPECT_EQ(c1[0].after, std::optional<status>(status::satisfied));
        auto c2 = rec.of("act", "v2", "2023-04-01");
        ASSERT_EQ(c2.size(), 1u);
        EXPECT_EQ(c2[0].after, std::optional<status>(status::pending));
        EXPECT_TRUE(rec.of("act", "v1", "2023-05-01").empty());
    }
    rec.changes.clear();
    // An event dated 05-20 moves the watch date: v2's April closes (violated) and the May
    // buckets appear.
    EXPECT_TRUE(h.accept(R"({"id": "a2", "type": "activity", "time": "2023-05-20", "unit": "v1"})"));
    auto c = rec.of("act", "v2", "2023-04-01");
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].before, std::optional<status>(status::pending));
    EXPECT_EQ(c[0].after, std::optional<status>(status::violated));
    c = rec.of("act", "v1", "2023-05-01");
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].before, std::nullopt);
    EXPECT_EQ(c[0].after, std::optional<status>(status::satisfied));
    EXPECT_TRUE(rec.of("act", "v1", "2023-04-01").empty());
}

// Records added before subscribing are the baseline: the first callback after subscribe()
// reports only what that add() changed, with the state it had before.
TEST(Subscriptions, SubscribingLateReportsOnlyLaterChanges) {
    harness h(plan_text);
    recorder rec;
    h.engine().set_watch_date(D("2023-05-02"));
    EXPECT_TRUE(h.accept(R"({"entity": "v1", "kind": "village"})"));
    h.engine().subscribe(rec.callback());
    EXPECT_TRUE(h.accept(R"({"id": "a1", "type": "activity", "time": "2023-04-15", "unit": "v1"})"));
    // Only April of `act` changed (violated -> satisfied as of 05-02); May and the outcome
    // buckets did not.
    ASSERT_EQ(rec.changes.size(), 1u);
    EXPECT_EQ(rec.changes[0].rule, "act");
    EXPECT_EQ(rec.changes[0].before, std::optional<status>(status::violated));
    EXPECT_EQ(rec.changes[0].after, std::optional<status>(status::satisfied));
}

}  // namespace

// Moving the watch date is heard as the buckets whose state differs between the two dates:
// time closes buckets as records change them.
TEST(Subscriptions, MovingTheWatchDateIsHeardAsWhatTimeChanged) {
    harness h(plan_text);
    recorder rec;
    h.engine().set_watch_date(D("2023-04-20"));
    h.engine().subscribe(rec.callback());
    EXPECT_TRUE(h.accept(R"({"entity": "v1", "kind": "village"})"));
    EXPECT_TRUE(h.accept(R"({"id": "a1", "type": "activity", "time": "2023-05-03", "unit": "v1"})"));
    rec.changes.clear();
    // 04-20 -> 05-01: April closes with no activity (violated, from pending); the May
    // buckets of act and flagged start (May's act already satisfied by a1); April's flagged
    // bucket becomes final, still not fired.
    h.engine().set_watch_date(D("2023-05-01"));
    {
        auto april = rec.of("act", "v1", "2023-04-01");
        ASSERT_EQ(april.size(), 1u);
        EXPECT_EQ(april[0].before, std::optional<status>(status::pending));
        EXPECT_EQ(april[0].after, std::optional<status>(status::violated));
        // a1 is dated 05-03, after the watch date: May is pending as of 05-01.
        auto may = rec.of("act", "v1", "2023-05-01");
        ASSERT_EQ(may.size(), 1u);
        EXPECT_EQ(may[0].before, std::nullopt);
        EXPECT_EQ(may[0].after, std::optional<status>(status::pending));
        auto flagged_april = rec.of("flagged", "v1", "2023-04-01");
        ASSERT_EQ(flagged_april.size(), 1u);
        EXPECT_EQ(flagged_april[0].fired_before, std::optional<bool>(false));
        EXPECT_EQ(flagged_april[0].fired_after, std::optional<bool>(false));
        EXPECT_EQ(flagged_april[0].final_before, std::optional<bool>(false));
        EXPECT_EQ(flagged_april[0].final_after, std::optional<bool>(true));
        auto flagged_may = rec.of("flagged", "v1", "2023-05-01");
        ASSERT_EQ(flagged_may.size(), 1u);
        EXPECT_EQ(flagged_may[0].fired_before, std::nullopt);
        EXPECT_EQ(flagged_may[0].fired_after, std::optional<bool>(false));
        EXPECT_EQ(rec.changes.size(), 4u);
    }
    // And back to 04-20: the same four, the other way.
    rec.changes.clear();
    h.engine().set_watch_date(D("2023-04-20"));
    EXPECT_EQ(rec.changes.size(), 4u);
    auto may = rec.of("act", "v1", "2023-05-01");
    ASSERT_EQ(may.size(), 1u);
    EXPECT_EQ(may[0].before, std::optional<status>(status::pending));
    EXPECT_EQ(may[0].after, std::nullopt);
}
