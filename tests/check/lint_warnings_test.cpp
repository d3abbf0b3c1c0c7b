// The warnings of `mandate lint` (check::lint): one input per warning, with the exact line,
// column and message worked out by hand from the input; silencing by name and by comment; and
// the input-method punctuation, misspelt keywords and bare day counts, which are errors.
//
// Most inputs are one line appended to a five-line prelude that draws no warning. On that line
// `obligation o { ` is 15 characters, `cite "x" ` 9 more, `each v: village ` 16 more: the
// schedule starts in column 41.
#include <gtest/gtest.h>

#include "mandate/check/check.hpp"
#include "syntax/support.hpp"

namespace mandate {
namespace {

using testing::briefs;

const std::string prelude =
    "plan p { timezone \"+08:00\" }\n"                   // 1
    "phase campaign from 2023-04-01 to 2023-06-30\n"     // 2
    "kind village\n"                                     // 3
    "kind household within village\n"                    // 4
    "event visit { people: int, whom: ref household }\n";  // 5

// A rule that uses every name of the prelude and draws no warning.
const std::string clean_rule =
    "obligation o { cite \"x\" each v: village every month require coverage(visit.whom, household within v) >= 80% }\n";

std::vector<std::string> lint(const std::string& text, const std::vector<std::string>& allowed = {}) {
    const source_file source("test.mandate", text);
    return briefs(check::lint(source, {}, allowed));
}

TEST(LintWarnings, CleanFileHasNone) { EXPECT_EQ(lint(prelude + clean_rule), std::vector<std::string>{}); }

TEST(LintWarnings, NoTimezone) {
    // "plan p": the id stands in column 6.
    const std::string text = "plan p {}\n" + prelude.substr(prelude.find('\n') + 1) + clean_rule;
    EXPECT_EQ(lint(text), std::vector<std::string>{
                              "1:6: warning: the plan gives no timezone, so events are dated in UTC (+00:00): an event at "
                              "07:00 in China falls on the day before; write timezone \"+08:00\", or timezone \"+00:00\" if "
                              "UTC is meant [no-timezone]"});
    // Saying UTC is meant silences it.
    EXPECT_EQ(lint("plan p { timezone \"+00:00\" }\n" + prelude.substr(prelude.find('\n') + 1) + clean_rule),
              std::vector<std::string>{});
}

TEST(LintWarnings, NoCite) {
    // "obligation " is 11 characters: the id in column 12; "outcome " 8: column 9.
    const std::string text = prelude +
                             "obligation o { each v: village every month require count(visit of v) >= 1 }\n"
                             "outcome f { each v: village every month when violations(of v) == 0 }\n"
                             "obligation c { cite \"x\" each v: village every month require coverage(visit.whom, "
                             "household within v) >= 1 }\n";
    EXPECT_EQ(lint(text), (std::vector<std::string>{
                              "6:12: warning: obligation 'o' has no cite: reports cannot say which clause of the plan it "
                              "encodes; add cite \"...\" quoting it [no-cite]",
                              "7:9: warning: outcome 'f' has no cite: reports cannot say which clause of the plan it "
                              "encodes; add cite \"...\" quoting it [no-cite]"}));
}

TEST(LintWarnings, PercentScale) {
    // `every month ` 12 and `require ` 8 from column 41: coverage(...) starts in column 61 and is
    // 40 characters long; ` >= ` puts the 80 in column 105.
    const std::string text = prelude + "obligation o { cite \"x\" each v: village every month require "
                                       "coverage(visit.whom, household within v) >= 80 }\n";
    EXPECT_EQ(lint(text), std::vector<std::string>{"6:105: warning: coverage is a share from 0 to 1 (100% is 1), so it "
                                                   "never reaches 80: write '80%' [percent-scale]"});
    // 1 (all of them) and 0.8 are shares already.
    EXPECT_EQ(lint(prelude + "obligation o { cite \"x\" each v: village every month require coverage(visit.whom, "
                             "household within v) >= 1 and coverage(visit.whom, household within v) > 0.8 }\n"),
              std::vector<std::string>{});
}

TEST(LintWarnings, WarnTooLong) {
    // `every week ` 11 from column 41, then `require count(visit of v) >= 1 ` 31: warn in column 83.
    const std::string week = prelude + "obligation o { cite \"x\" each v: village every week require "
                                       "count(visit of v) >= 1 warn 7 days }\n";
    EXPECT_EQ(lint(week), std::vector<std::string>{
                              "6:83: warning: warn 7 days is at least as long as the period (every week): every period is "
                              "at risk from its first day; give a shorter warn, or none [warn-too-long]"});
    // Six days leave the first day of each week free.
    EXPECT_EQ(lint(prelude + "obligation o { cite \"x\" each v: village every week require count(visit of v) >= 1 warn "
                             "6 days }\n"),
              std::vector<std::string>{});
    // A month is 28 days at its shortest: 4 weeks are as long as February.
    const std::string month = prelude + "obligation o { cite \"x\" each v: village every month require "
                                        "count(visit of v) >= 1 warn 4 weeks }\n";
    EXPECT_EQ(lint(month).size(), 1u);
    // The phase starts 2023-04-01: 2023-04-10 is the 10th day, so warn 10 days covers it all.
    const std::string by = prelude + "obligation o { cite \"x\" each v: village by 2023-04-10 require "
                                     "count(visit of v) >= 1 warn 10 days }\n";
    // `by 2023-04-10 ` is 14 characters from column 41, the require 31 more: warn in column 86.
    EXPECT_EQ(lint(by), std::vector<std::string>{
                            "6:86: warning: warn 10 days is at least as long as the 10 days from the window's start to the "
                            "deadline: the obligation is at risk from its first day; give a shorter warn, or none "
                            "[warn-too-long]"});
}

TEST(LintWarnings, UnusedKindAndEvent) {
    const std::string text = prelude + "kind school\n" + "event drill { people: int }\n" + clean_rule;
    EXPECT_EQ(lint(text), (std::vector<std::string>{
                              "6:6: warning: kind 'school' is declared but no rule, event or other kind names it: its "
                              "units are read and judged by nothing [unused-kind]",
                              "7:7: warning: event type 'drill' is declared but no rule reads it: its records are read and "
                              "counted, and change nothing [unused-event]"}));
    // A kind named only as another's parent, or as the type of a ref field, is used.
    EXPECT_EQ(lint("plan p { timezone \"+08:00\" }\nkind town\nkind village within town\nkind household within village\n"
                   "event visit { whom: ref household }\n"
                   "obligation o { cite \"x\" each v: village from 2023-01-01 to 2023-01-31 every month require "
                   "count(visit of v) >= 1 }\n"),
              std::vector<std::string>{});
}

TEST(LintWarnings, AFileWithErrorsGetsNoWarnings) {
    // With an error (the unknown kind 'villge'), the errors come first: no warning (here the
    // unused kind and the missing timezone) until they are fixed.
    const std::string text = "plan p {}\n" + prelude.substr(prelude.find('\n') + 1) + "kind school\n" +
                             "obligation o { cite \"x\" each v: villge every month require count(visit of v) >= 1 }\n";
    const auto got = lint(text);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0], "7:33: error: unknown kind 'villge', did you mean 'village'?");
}

TEST(LintWarnings, SilencedByName) {
    const std::string text = "plan p {}\n" + prelude.substr(prelude.find('\n') + 1) + "kind school\n" +
                             "obligation o { each v: village every week require coverage(visit.whom, household within v) "
                             ">= 80 warn 7 days }\n";
    EXPECT_EQ(lint(text).size(), 5u);
    EXPECT_EQ(lint(text, {"no-timezone", "unused-kind", "no-cite", "percent-scale", "warn-too-long"}),
              std::vector<std::string>{});
    EXPECT_EQ(lint(text, {"no-cite"}).size(), 4u);
}

TEST(LintWarnings, SilencedByACommentOnTheLineOrAbove) {
    const std::string text = "plan p {}  # lint: allow no-timezone\n" + prelude.substr(prelude.find('\n') + 1) +
                             "# lint: allow unused-kind\n"
                             "kind school\n"
                             "# lint: allow no-cite, percent-scale\n"
                             "obligation o { each v: village every month require coverage(visit.whom, household within v) "
                             ">= 80 }\n";
    EXPECT_EQ(lint(text), std::vector<std::string>{});
    // Two lines above is too far; another warning's name does not silence it.
    const std::string far = prelude + "# lint: allow unused-kind\n\nkind school\n" + clean_rule;
    EXPECT_EQ(lint(far).size(), 1u);
    const std::string other = prelude + "kind school  # lint: allow unused-event\n" + clean_rule;
    EXPECT_EQ(lint(other).size(), 1u);
}

TEST(LintWarnings, CheckAndCompileGiveNoWarnings) {
    // Warnings are lint's: loading the plan for a run reports none and succeeds.
    const source_file source("test.mandate", "plan p {}\n" + prelude.substr(prelude.find('\n') + 1) + clean_rule);
    const auto loaded = check::load(source);
    EXPECT_TRUE(loaded.ok());
    EXPECT_TRUE(loaded.diagnostics().empty());
}

TEST(LintErrors, InputMethodPunctuationAllInOneRun) {
    // Line 6: the cite `"x（一）"` takes 12 columns with its space, so `count` stands in 64-68:
    // the parenthesis in column 69, its mate after `visit of v` in 80, ≥ in 82. The marks in the
    // string are text. Each is three bytes and one character.
    const std::string text = prelude +
                             "obligation o { cite \"x（一）\" each v: village every month require count（visit of v） ≥ 1 }\n";
    EXPECT_EQ(lint(text), (std::vector<std::string>{
                              "6:69: error: '（' is a full-width parenthesis, as a Chinese input method types it: write '('",
                              "6:80: error: '）' is a full-width parenthesis, as a Chinese input method types it: write ')'",
                              "6:82: error: '≥' is not an operator of the rule language: write '>='"}));
}

TEST(LintErrors, MisspeltKeywordSuggestsIt) {
    const std::string text = prelude + "obligation o { cite \"x\" each v: village evrey month require count(visit of v) >= 1 }\n";
    const auto got = lint(text);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0], "6:41: error: expected a clause (cite, each, during, from, every, due, by, after, before, require, "
                      "when, grace, warn) or '}', found 'evrey', did you mean 'every'?");
}

TEST(LintErrors, BareDayCountSuggestsADuration) {
    // `during campaign ` 16 from column 41, `require ` 8: the comparison starts in column 65.
    const std::string text = prelude + "obligation o { cite \"x\" each v: village during campaign require gap(visit of v) <= 10 }\n";
    EXPECT_EQ(lint(text), std::vector<std::string>{"6:65: error: cannot compare a duration with an int; write '10 days' (or "
                                                   "weeks) for a duration"});
}

}  // namespace
}  // namespace mandate
