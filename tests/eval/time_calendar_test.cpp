// The time calendar (lib/eval/time_calendar.hpp): the days a calendar rule's buckets become
// visible, enter their warn window and close, and the buckets a move between two dates finds
// there. Worked by hand from LANGUAGE.md: a month's bucket is visible from its first day, at
// risk from `warn` before its end (to − 7 days), and closed `grace` after it (to + 5 days + 1:
// April, ending 04-30, closes on 05-06).
#include <gtest/gtest.h>

#include "eval/helpers.hpp"
#include "eval/time_calendar.hpp"

namespace {

using namespace evaltest;

const std::string plan_text = R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-06-30
kind village "v"
event patrol "p" { hours: number }
obligation monthly "m" {
  each    v: village
  during  campaign
  every   month
  require count(patrol of v) >= 1
  grace   5 days
  warn    7 days
}
obligation answered "a" {
  each    v: village
  after   patrol of v within 3 days
  require count(patrol of v) >= 2
}
)";

std::vector<int> marked(const mandate::eval::time_calendar& c, int rule, const char* lo, const char* hi, std::size_t* count) {
    std::vector<std::uint8_t> due;
    *count = c.due(rule, D(lo), D(hi), due);
    std::vector<int> out;
    for (std::size_t i = 0; i < due.size(); ++i)
        if (due[i]) out.push_back(static_cast<int>(i));
    return out;
}

TEST(TimeCalendar, TheTransitionsOfAMonthlyRuleBetweenTwoDates) {
    const mandate::plan plan = compile_or_throw(plan_text);
    const mandate::eval::time_calendar c(*plan);
    // Buckets 0, 1, 2: April, May, June. Transitions: April 04-01, 04-23, 05-06; May 05-01,
    // 05-24, 06-06; June 06-01, 06-23, 07-06.
    ASSERT_TRUE(c.covers(0));
    EXPECT_FALSE(c.covers(1));  // triggered: its buckets come with its triggers
    std::size_t n = 0;
    // (04-30, 05-06]: May becomes visible, April closes.
    EXPECT_EQ(marked(c, 0, "2023-04-30", "2023-05-06", &n), (std::vector<int>{0, 1}));
    EXPECT_EQ(n, 2u);
    // (05-06, 05-23]: nothing (May's warn window starts on 05-24).
    EXPECT_TRUE(marked(c, 0, "2023-05-06", "2023-05-23", &n).empty());
    EXPECT_EQ(n, 0u);
    EXPECT_EQ(marked(c, 0, "2023-05-23", "2023-05-24", &n), (std::vector<int>{1}));
    // The day after lo counts, lo itself does not: April's warn day 04-23 is not in (04-23, 04-30].
    EXPECT_TRUE(marked(c, 0, "2023-04-23", "2023-04-30", &n).empty());
    EXPECT_EQ(marked(c, 0, "2023-04-22", "2023-04-23", &n), (std::vector<int>{0}));
    // The whole year at once: every bucket.
    EXPECT_EQ(marked(c, 0, "2023-01-01", "2023-12-31", &n), (std::vector<int>{0, 1, 2}));
    // No interval, nothing.
    EXPECT_TRUE(marked(c, 0, "2023-05-24", "2023-05-24", &n).empty());
    // Open: June closes on 07-06, so some bucket is open on 07-05 and none on 07-06.
    EXPECT_TRUE(c.open_on(0, D("2023-07-05")));
    EXPECT_FALSE(c.open_on(0, D("2023-07-06")));
}

// What the calendar is for: a subscriber whose watch date moves hears exactly the buckets its
// transitions name — April closing on 05-06 (violated: no patrol), May becoming visible — and
// the triggered rule, which the calendar does not cover, still follows its trigger: the patrol
// of 05-03 opens 05-03..05-05, which needs two patrols and closes on 05-06.
TEST(TimeCalendar, AWatchMoveHearsTheBucketsItsTransitionsName) {
    harness h(plan_text);
    h.feed_ok(R"(
{"entity": "v1", "kind": "village"}
{"id": "p1", "type": "patrol", "time": "2023-05-03", "unit": "v1", "hours": 1}
)");
    std::vector<std::string> heard;
    h.engine().set_watch_date(D("2023-04-30"));
    h.engine().subscribe([&](const mandate::status_change& c) {
        heard.push_back(c.rule + " " + iso(c.span.from) + " " + (c.before ? std::string(mandate::to_string(*c.before)) : "none") +
                        "->" + (c.after ? std::string(mandate::to_string(*c.after)) : "none"));
    });
    // 04-30 → 05-05: May appears, satisfied already (one patrol on 05-03, and at least one is
    // all it needs); April is still in its grace; the patrol's bucket appears, pending.
    h.engine().set_watch_date(D("2023-05-05"));
    std::sort(heard.begin(), heard.end());
    EXPECT_EQ(heard, (std::vector<std::string>{"answered 2023-05-03 none->pending", "monthly 2023-05-01 none->satisfied"}));
    heard.clear();
    // 05-05 → 05-06: April closes with no patrol in it, and the patrol's bucket with one.
    h.engine().set_watch_date(D("2023-05-06"));
    std::sort(heard.begin(), heard.end());
    EXPECT_EQ(heard, (std::vector<std::string>{"answered 2023-05-03 pending->violated", "monthly 2023-04-01 pending->violated"}));
    heard.clear();
    // 05-06 → 05-20: no transition, and May is already satisfied: nothing.
    h.engine().set_watch_date(D("2023-05-20"));
    EXPECT_TRUE(heard.empty());
    // Back to 04-30: May disappears, April is pending again (and at risk, which a report shows).
    h.engine().set_watch_date(D("2023-04-30"));
    std::sort(heard.begin(), heard.end());
    EXPECT_EQ(heard, (std::vector<std::string>{"answered 2023-05-03 violated->none", "monthly 2023-04-01 violated->pending",
                                               "monthly 2023-05-01 satisfied->none"}));
}

}  // namespace
