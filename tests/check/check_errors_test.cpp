// Checker diagnostics: one input per distinct error, with the exact message, line and column
// worked out by hand from LANGUAGE.md and the input. Most cases are one line appended to a
// five-line prelude, so they stand on line 6; `obligation o { ` is 15 characters and
// `obligation o { require ` 23, so clauses there start in column 16 and expressions in 24.
#include <gtest/gtest.h>

#include <set>

#include "syntax/support.hpp"

namespace mandate {
namespace {

using testing::load_errors;

const std::string prelude =
    "plan p {}\n"                                                       // 1
    "phase campaign from 2023-04-01 to 2023-12-30\n"                    // 2
    "kind town\n"                                                       // 3
    "kind village within town\n"                                        // 4
    "event activity { venue: text, methods: set<text>, flag: bool, "    // 5
    "amount: number, who: ref town, whom: set<ref village> }\n";

struct check_case {
    const char* name;
    std::string input;
    std::string expected;  // "line:column: error: message"
};

std::ostream& operator<<(std::ostream& os, const check_case& c) { return os << c.name; }

std::vector<check_case> cases() {
    const std::string& P = prelude;
    return {
        // ------------------------------------------------------------ the plan block
        {"no_plan_block", "phase a from 2023-01-01 to 2023-01-31\n",
         "1:1: error: no plan block: a rule file needs `plan ID { ... }`"},
        {"two_plan_blocks", "plan a {}\nplan b {}\n",
         "2:1: error: a second plan block: a rule file holds exactly one (the first is at 1:1)"},
        {"unknown_plan_property", "plan p { titel \"x\" }\n",
         "1:10: error: unknown plan property 'titel'; expected title, source, timezone, week_start, calendar or language, did you mean 'title'?"},
        {"plan_property_twice", "plan p { title \"a\" title \"b\" }\n",
         "1:20: error: plan property 'title' is given twice (first at 1:10)"},
        {"plan_property_takes_a_string", "plan p { source x }\n", "1:17: error: plan property 'source' takes a string"},
        {"named_timezone", "plan p { timezone \"Asia/Shanghai\" }\n",
         "1:10: error: timezone \"Asia/Shanghai\" is not a UTC offset like \"+08:00\" (named zones are not supported)"},
        {"timezone_out_of_range", "plan p { timezone \"+15:00\" }\n",
         "1:10: error: timezone \"+15:00\" is not a UTC offset like \"+08:00\" (named zones are not supported)"},
        {"bad_week_start", "plan p { week_start someday }\n",
         "1:21: error: week_start takes a day name: monday, tuesday, wednesday, thursday, friday, saturday or sunday, "
         "not 'someday'"},
        {"week_start_as_string", "plan p { week_start \"monday\" }\n",
         "1:10: error: week_start takes a day name: monday ... sunday"},
        // ------------------------------------------------------------ declarations
        {"duplicate_phase", "plan p {}\nphase a from 2023-01-01 to 2023-01-31\nphase a from 2023-02-01 to 2023-02-28\n",
         "3:7: error: phase 'a' is declared twice (first at 2:7)"},
        {"duplicate_kind", "plan p {}\nkind k\nkind k \"again\"\n", "3:6: error: kind 'k' is declared twice (first at 2:6)"},
        {"duplicate_event", "plan p {}\nevent e {}\nevent e {}\n",
         "3:7: error: event type 'e' is declared twice (first at 2:7)"},
        {"duplicate_obligation", P + "obligation o { require true }\nobligation o { require false }\n",
         "7:12: error: obligation 'o' is declared twice (first at 6:12)"},
        {"duplicate_outcome", P + "outcome x { when true }\noutcome x { when false }\n",
         "7:9: error: outcome 'x' is declared twice (first at 6:9)"},
        {"duplicate_field", "plan p {}\nevent e { a: int, a: text }\n",
         "2:19: error: field 'a' of event type 'e' is declared twice (first at 2:11)"},
        {"built_in_field_redeclared", "plan p {}\nevent e { time: date }\n",
         "2:11: error: field 'time' is built in: every event has id, time and unit"},
        {"unknown_parent_kind", "plan p {}\nkind town\nkind village within towm\n",
         "3:21: error: unknown kind 'towm', did you mean 'town'?"},
        {"not_a_date_february_30", "plan p {}\nphase a from 2023-02-30 to 2023-03-31\n",
         "2:14: error: 2023-02-30 is not a date: February 2023 has 28 days"},
        {"not_a_date_leap_year", "plan p {}\nphase a from 2024-02-30 to 2024-03-31\n",
         "2:14: error: 2024-02-30 is not a date: February 2024 has 29 days"},
        {"not_a_date_month_13", "plan p {}\nphase a from 2023-01-01 to 2023-13-01\n",
         "2:28: error: 2023-13-01 is not a date: there is no month 13"},
        {"unsupported_year", "plan p {}\nphase a from 1399-12-31 to 2023-01-01\n",
         "2:14: error: 1399-12-31 is not a supported date: years run from 1400 to 9999"},
        {"phase_starts_after_it_ends", "plan p {}\nphase a from 2023-05-01 to 2023-04-01\n",
         "2:14: error: phase 'a' starts after it ends (2023-05-01 is after 2023-04-01)"},
        // ------------------------------------------------------------ windows and schedules
        {"unknown_phase", P + "obligation o { during campain require true }\n",
         "6:23: error: unknown phase 'campain', did you mean 'campaign'?"},
        {"no_window_without_phases", "plan p {}\nobligation o { require true }\n",
         "2:12: error: obligation 'o' has no window: the plan declares no phase, so give 'during PHASE' or 'from DATE "
         "to DATE'"},
        {"window_starts_after_it_ends", P + "obligation o { from 2023-05-01 to 2023-04-01 require true }\n",
         "6:21: error: the window starts after it ends (2023-05-01 is after 2023-04-01)"},
        {"window_given_twice", P + "obligation o { during campaign from 2023-04-01 to 2023-04-30 require true }\n",
         "6:32: error: the window is given twice: 'during campaign' and 'from ... to ...'; keep one"},
        {"two_schedules", P + "obligation o { every month by 2023-05-01 require true }\n",
         "6:28: error: 'by' conflicts with 'every' at 6:16: a rule has one schedule (every, by, after or before)"},
        {"clause_given_twice", P + "obligation o { during campaign during campaign require true }\n",
         "6:32: error: 'during' is given twice in obligation 'o' (first at 6:16)"},
        {"clause_given_twice_in_outcome", P + "outcome x { grace 1 day grace 2 days when true }\n",
         "6:25: error: 'grace' is given twice in outcome 'x' (first at 6:13)"},
        {"deadline_before_window_start", P + "obligation o { during campaign by 2023-03-01 require true }\n",
         "6:35: error: the deadline 2023-03-01 is before the window starts (2023-04-01)"},
        {"cumulative_from_after_window_start",
         P + "obligation o { during campaign every month cumulative from 2023-05-01 require true }\n",
         "6:60: error: 'cumulative from 2023-05-01' starts after the window does (2023-04-01); a cumulative start may "
         "only lie before it"},
        {"every_zero_days", P + "obligation o { every 0 days require true }\n",
         "6:22: error: a period needs a count of at least 1"},
        {"period_too_long", P + "obligation o { every 100001 days require true }\n",
         "6:22: error: a period of more than 100000 days or weeks"},
        {"within_zero_days", P + "obligation o { after activity within 0 days require true }\n",
         "6:38: error: 'within' needs a length of at least 1 day"},
        // ------------------------------------------------------------ rule bodies
        {"obligation_without_require", P + "obligation o { during campaign }\n",
         "6:12: error: obligation 'o' has no 'require' clause"},
        {"outcome_without_when", P + "outcome x { during campaign }\n", "6:9: error: outcome 'x' has no 'when' clause"},
        {"outcome_with_require", P + "outcome x { require true }\n",
         "6:13: error: an outcome states its condition with 'when', not 'require'"},
        {"obligation_with_when", P + "obligation o { when true }\n",
         "6:16: error: an obligation states its requirement with 'require', not 'when'"},
        {"warn_on_an_outcome", P + "outcome x { warn 3 days when true }\n",
         "6:13: error: an outcome has no 'warn': warnings flag obligation buckets at risk"},
        // ------------------------------------------------------------ names in expressions
        {"unknown_event_type", P + "obligation o { each v: village require count(activty of v) >= 1 }\n",
         "6:46: error: unknown event type 'activty', did you mean 'activity'?"},
        {"unknown_field", P + "obligation o { require sum(activity.amout) > 0 }\n",
         "6:37: error: event type 'activity' has no field 'amout', did you mean 'amount'?"},
        {"unknown_field_in_where", P + "obligation o { require count(activity where venu == \"x\") >= 1 }\n",
         "6:45: error: event type 'activity' has no field 'venu', did you mean 'venue'?"},
        {"unknown_unit_variable", P + "obligation o { each v: village require count(activity of x) >= 1 }\n",
         "6:58: error: unknown unit variable 'x'; this rule's is 'v'"},
        {"of_without_each", P + "obligation o { require count(activity of v) >= 1 }\n",
         "6:42: error: 'v' is no unit variable here: the rule needs 'each v: KIND'"},
        {"unknown_obligation", P + "outcome x { each v: village when violations(nope of v) >= 1 }\n",
         "6:45: error: unknown obligation 'nope'"},
        {"unknown_outcome_in_fired", P + "outcome x { each v: village when fired(nope of v) }\n",
         "6:40: error: unknown outcome 'nope'"},
        {"unknown_outcome_in_after", P + "obligation o { after outcome nope within 3 days require true }\n",
         "6:30: error: unknown outcome 'nope'"},
        {"bare_field_outside_where", P + "obligation o { require venue == \"x\" }\n",
         "6:24: error: unknown name 'venue'; event fields are visible only inside where and all/any predicates"},
        {"unit_variable_alone", P + "obligation o { each v: village require v == \"x\" }\n",
         "6:40: error: the unit variable 'v' stands after 'of' or inside a where predicate, not alone"},
        {"violations_naming_an_outcome", P + "outcome x { each v: village when violations(x of v) >= 1 }\n",
         "6:45: error: 'x' is an outcome; violations() counts obligation buckets"},
        {"fired_naming_an_obligation",
         P + "obligation o { require true }\noutcome x { each v: village when fired(o of v) }\n",
         "7:40: error: 'o' is an obligation; fired() names an outcome"},
        {"after_outcome_naming_an_obligation",
         P + "obligation o { require true }\nobligation q { after outcome o within 3 days require true }\n",
         "7:30: error: 'o' is an obligation; 'after outcome' names an outcome"},
        // ------------------------------------------------------------ aggregates
        {"sum_of_a_text_field", P + "obligation o { require sum(activity.venue) > 0 }\n",
         "6:37: error: sum needs a numeric field; 'venue' is a text"},
        {"min_of_a_bool_field", P + "obligation o { require min(activity.flag) > 0 }\n",
         "6:37: error: min needs a numeric or date field; 'flag' is true or false"},
        {"count_with_a_field", P + "obligation o { require count(activity.venue) >= 1 }\n",
         "6:39: error: count counts events: write count(activity ...) without '.venue'"},
        {"sum_without_a_field", P + "obligation o { require sum(activity) > 0 }\n",
         "6:28: error: sum needs a field: write sum(activity.FIELD ...)"},
        {"coverage_of_a_text_field",
         P + "obligation o { each t: town require coverage(activity.venue, village within t) >= 100% }\n",
         "6:55: error: coverage needs a ref field (or a set of refs); 'venue' is a text"},
        {"coverage_kinds_never_named",
         P + "obligation o { each t: town require coverage(activity.who, village within t) >= 100% }\n",
         "6:37: error: field 'who' names town, never village: this coverage could never count anything"},
        {"coverage_of_set_kinds_never_named",
         P + "obligation o { each t: town require coverage(activity.whom, town within t) >= 100% }\n",
         "6:37: error: field 'whom' names village, never town: this coverage could never count anything"},
        {"coverage_with_of",
         P + "obligation o { each t: town require coverage(activity.who of t, town within t) >= 1 }\n",
         "6:62: error: coverage takes no 'of': its entities are those under 'within VAR'"},
        {"where_not_boolean", P + "obligation o { require count(activity where amount) >= 1 }\n",
         "6:45: error: a where predicate must be true or false, not a number"},
        {"all_predicate_not_boolean", P + "obligation o { require all(activity: amount) }\n",
         "6:38: error: all needs a predicate that is true or false, not a number"},
        {"streak_of_a_number", P + "outcome x { when streak(month, 1) >= 1 }\n",
         "6:32: error: streak counts periods in which a condition holds; this is an int"},
        // ------------------------------------------------------------ types
        {"date_compared_with_percent", P + "obligation o { require 2023-05-01 == 15% }\n",
         "6:24: error: cannot compare a date with a percent"},
        {"texts_ordered", P + "obligation o { require \"a\" < \"b\" }\n",
         "6:24: error: texts and refs can only be compared with == and !="},
        {"booleans_ordered", P + "obligation o { require true < false }\n",
         "6:24: error: true/false values can only be compared with == and !="},
        {"set_compared", P + "obligation o { require count(activity where methods == \"x\") >= 1 }\n",
         "6:45: error: a set field can only be used with 'in', distinct() and coverage()"},
        {"and_of_a_number", P + "obligation o { require true and 1 }\n",
         "6:33: error: 'and' needs true or false on both sides, not an int"},
        {"not_of_a_number", P + "obligation o { require not 1 }\n", "6:28: error: 'not' needs true or false, not an int"},
        {"minus_of_a_text", P + "obligation o { require -\"x\" == 1 }\n",
         "6:25: error: '-' needs a number or a duration, not a text"},
        {"plus_of_a_text", P + "obligation o { require \"a\" + 1 == 1 }\n", "6:24: error: '+' needs numbers, not a text"},
        {"requirement_not_boolean", P + "obligation o { require count(activity) }\n",
         "6:24: error: a requirement must be true or false, not an int"},
        {"condition_not_boolean", P + "outcome x { when 1.5 }\n",
         "6:18: error: a condition must be true or false, not a number"},
        {"list_outside_in", P + "obligation o { require [1, 2] == 1 }\n",
         "6:24: error: a list can only stand on the right of 'in'"},
        {"list_of_non_literals", P + "obligation o { require count(activity where venue in [venue]) >= 1 }\n",
         "6:55: error: a list holds literal values"},
        {"in_without_list_or_set", P + "obligation o { require 1 in 3 }\n",
         "6:29: error: 'in' needs a list like [\"park\", \"square\"] or a set field on its right, not an int"},
        {"month_duration_compared", P + "obligation o { each v: village require gap(activity of v) < 1 month }\n",
         "6:61: error: a month has no fixed length in days; in expressions write days or weeks"},
        {"duration_too_long", P + "obligation o { each v: village grace 100001 days require true }\n",
         "6:38: error: a duration of more than 100000 days"},
        {"too_many_buckets", P + "obligation o { from 1400-01-01 to 9999-12-31 every day require true }\n",
         "6:52: error: this schedule makes more than 100000 periods of this window; use a longer period or a shorter window"},
        // A streak cuts each bucket, which may reach past the window: on to a `by` deadline, or
        // back to a `cumulative from` date. Either way 1400..9999 is millions of days.
        {"streak_to_a_late_deadline",
         P + "obligation o { from 2023-01-01 to 2023-01-31 by 9999-12-31 require streak(day, true) >= 1 }\n",
         "6:75: error: this streak makes more than 100000 periods of a bucket; use a longer period or a shorter window"},
        {"streak_from_an_early_cumulative_start",
         P + "obligation o { from 9999-01-01 to 9999-12-31 every year cumulative from 1400-01-01 "
             "require streak(day, true) >= 1 }\n",
         "6:99: error: this streak makes more than 100000 periods of a bucket; use a longer period or a shorter window"},
        {"trigger_from_outcome_of_other_kinds",
         P + "outcome t { each x: town every month when true }\nobligation o { each v: village after outcome t within 3 days require true }\n",
         "7:46: error: outcome 't' fires for units of other kinds than this obligation's: it could never trigger it"},
        // ------------------------------------------------------------ cycles
        {"cycle_outcome_and_triggered_obligation",
         P + "outcome listing { each v: village when violations(fixed of v) >= 1 }\n"
             "obligation fixed { each v: village after outcome listing within 30 days require count(activity of v) >= 1 }\n",
         "6:9: error: a cycle: outcome 'listing' reads obligation 'fixed', and obligation 'fixed' is triggered by "
         "outcome 'listing'"},
        {"cycle_between_two_outcomes",
         P + "outcome a { each v: village when fired(b of v) }\noutcome b { each v: village when fired(a of v) }\n",
         "6:9: error: a cycle: outcome 'a' reads outcome 'b', and outcome 'b' reads outcome 'a'"},
        {"outcome_reading_itself", P + "outcome a { each v: village when fired(a of v) }\n",
         "6:9: error: a cycle: outcome 'a' reads outcome 'a'"},
    };
}

class check_error : public ::testing::TestWithParam<check_case> {};

TEST_P(check_error, exact_message_line_and_column) {
    EXPECT_EQ(load_errors(GetParam().input), std::vector<std::string>{GetParam().expected});
}

INSTANTIATE_TEST_SUITE_P(table, check_error, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<check_case>& info) { return std::string(info.param.name); });

TEST(check_errors, the_prelude_is_clean) {
    EXPECT_TRUE(load_errors(prelude).empty());
    EXPECT_TRUE(load_errors(prelude + "obligation o { require count(activity) >= 1 }\n").empty());
}

TEST(check_errors, at_least_thirty_distinct_cases) {
    std::set<std::string> messages;
    for (const auto& c : cases()) messages.insert(c.expected.substr(c.expected.find("error: ")));
    EXPECT_GE(messages.size(), 30u);
}

TEST(check_errors, every_error_of_a_file_in_one_run) {
    // Parse errors and checker errors together, in source order: the parser resumes at the next
    // declaration, and the checker still checks what parsed.
    const std::string text =
        "plan p {}\n"                                                          // 1
        "phase a \"A\" from 2023-01-01 2023-02-01\n"                           // 2: parse error
        "kind k \"K\"\n"                                                       // 3
        "obligation o { each v: k  every fortnight }\n"                        // 4: parse error
        "event e { a: int, a: text }\n"                                        // 5: duplicate field
        "phase b \"B\" from 2023-02-30 to 2023-03-01\n"                        // 6: not a date
        "obligation r { from 2023-01-01 to 2023-01-31  require 1 }\n";         // 7: not boolean, the 1 at column 55
    EXPECT_EQ(load_errors(text),
              (std::vector<std::string>{
                  "2:29: error: expected 'to', found '2023'",
                  "4:33: error: expected a period: day, week, month, quarter, half, year, N days, N weeks, N months, N hours, found 'fortnight'",
                  "5:19: error: field 'a' of event type 'e' is declared twice (first at 5:11)",
                  "6:18: error: 2023-02-30 is not a date: February 2023 has 28 days",
                  "7:55: error: a requirement must be true or false, not an int",
              }));
}

TEST(check_errors, several_checker_errors_in_one_run) {
    const std::string text = prelude +
                             "obligation a { during campain require true }\n"          // 6:23 unknown phase
                             "obligation b { require sum(activity.venue) > 0 }\n"      // 7:37 sum of text
                             "outcome c { warn 3 days when true }\n"                   // 8:13 warn on outcome
                             "obligation a { require true }\n";                        // 9:12 declared twice
    EXPECT_EQ(load_errors(text), (std::vector<std::string>{
                                     "6:23: error: unknown phase 'campain', did you mean 'campaign'?",
                                     "7:37: error: sum needs a numeric field; 'venue' is a text",
                                     "8:13: error: an outcome has no 'warn': warnings flag obligation buckets at risk",
                                     "9:12: error: obligation 'a' is declared twice (first at 6:12)",
                                 }));
}

TEST(check_errors, obligation_and_outcome_may_share_an_id) {
    // LANGUAGE.md: obligations and outcomes are separate namespaces; the place a name stands in
    // says which one it belongs to.
    const check::plan p = testing::load_ok(
        prelude +
        "obligation x { each v: village  require count(activity of v) >= 1 }\n"
        "outcome x { each v: village  every month  when violations(x of v) >= 1 }\n"
        "obligation y { each v: village  after outcome x within 5 days  require count(activity of v) >= 1 }\n"
        "outcome z { each v: village  when fired(x of v) }\n");
    ASSERT_EQ(p.rules.size(), 4u);
    const int obligation = p.find_obligation("x"), outcome = p.find_outcome("x");
    ASSERT_GE(obligation, 0);
    ASSERT_GE(outcome, 0);
    EXPECT_NE(obligation, outcome);
    EXPECT_FALSE(p.rules[static_cast<std::size_t>(obligation)].outcome);
    EXPECT_TRUE(p.rules[static_cast<std::size_t>(outcome)].outcome);
    // violations() names the obligation, `after outcome` and fired() the outcome.
    EXPECT_EQ(p.rules[static_cast<std::size_t>(outcome)].reads, std::vector<int>{obligation});
    EXPECT_EQ(p.rules[static_cast<std::size_t>(p.find_rule("y"))].trig.target, outcome);
    EXPECT_EQ(p.rules[static_cast<std::size_t>(p.find_rule("z"))].reads, std::vector<int>{outcome});
    // Still an error within one namespace.
    EXPECT_EQ(load_errors(prelude + "outcome x { when true }\noutcome x { when false }\n"),
              std::vector<std::string>{"7:9: error: outcome 'x' is declared twice (first at 6:9)"});
}

}  // namespace
}  // namespace mandate
