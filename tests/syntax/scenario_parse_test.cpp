// Parsing scenario test files: the AST a file gives (structure and spans, checked against the
// input by hand), the exact diagnostics of each kind of mistake ("expected X, found Y" at the
// spot), recovery at the next statement and the next declaration, and robustness on input
// broken in every way.
#include <gtest/gtest.h>

#include "support/scale.hpp"

#include <random>

#include "mandate/syntax/scenario.hpp"
#include "syntax/support.hpp"

namespace mandate {
namespace {

namespace sa = ast::scenario;

syntax::scenario_parse_output parse_text(const std::string& text) {
    return syntax::parse_scenarios(source_file("t.test.mandate", text));
}

std::vector<std::string> errors_of(const std::string& text) { return testing::briefs(parse_text(text).diagnostics); }

std::string at(const source_file& source, span s) {
    const position p = source.position_of(s.begin);
    return std::to_string(p.line) + ":" + std::to_string(p.column);
}

const std::string sample =
    "plan goutang_antifraud_2023\n"                                                              // 1
    "\n"                                                                                         // 2
    "given {\n"                                                                                  // 3
    "  entity v01: village in goutang \"苟堂村\" since 2023-01-01 version 2\n"                   // 4
    "  entity \"001\": household in v01 until 2023-09-01\n"                                      // 5
    "}\n"                                                                                        // 6
    "\n"                                                                                         // 7
    "test april \"四月\" {\n"                                                                    // 8
    "  event activity v01 2023-04-15 { venue: \"park\", methods: [\"desk\", \"banner\"] }\n"     // 9
    "  event e17 activity v01 2023-04-15T09:30:00+08:00 {\n"                                     // 10
    "    venue: \"square\"\n"                                                                    // 11
    "    methods: []\n"                                                                          // 12
    "  }\n"                                                                                      // 13
    "  event screen_play o1 2023-04-16T01:30:00Z { seconds: 850.5, antifraud: false }\n"         // 14
    "  retract e17\n"                                                                            // 15
    "  record \"{\\\"retract\\\": \\\"x\\\"}\"\n"                                                // 16
    "  as_of 2023-05-10\n"                                                                       // 17
    "  expect village_monthly_activity[v01, 2023-04] == violated\n"                              // 18
    "  expect village_monthly_activity[v01, 2023-04-15] not met\n"                               // 19
    "  expect value operator_screen_share[o1, 2023-04-01..2023-04-30] == 15%\n"                  // 20
    "  expect reason operator_screen_share[o1, 2023-04] == null\n"                               // 21
    "  expect spot_checks_total[2023-12] at_risk\n"                                              // 22
    "  expect recommend_top10[v01, 2023-04-01..2023-12-30] fired\n"                              // 23
    "  expect no bank_sms_weekly[b1, 2023-04-01]\n"                                              // 24
    "  expect rejected 2\n"                                                                      // 25
    "  expect rejected \"unknown event type\"\n"                                                 // 26
    "}\n";                                                                                       // 27

TEST(ScenarioParse, SampleGivesTheDeclarationsInOrder) {
    const source_file source("t.test.mandate", sample);
    const auto parsed = syntax::parse_scenarios(source);
    ASSERT_TRUE(parsed.ok()) << testing::brief(parsed.diagnostics.front());
    ASSERT_EQ(parsed.file.declarations.size(), 3u);

    const auto& plan = std::get<sa::plan_ref>(parsed.file.declarations[0]);
    EXPECT_EQ(plan.id.text, "goutang_antifraud_2023");
    EXPECT_EQ(at(source, plan.id.loc), "1:6");

    const auto& given = std::get<sa::given_block>(parsed.file.declarations[1]);
    ASSERT_EQ(given.statements.size(), 2u);
    const auto& v01 = std::get<sa::entity_stmt>(given.statements[0]);
    EXPECT_EQ(v01.id.text, "v01");
    EXPECT_FALSE(v01.id.quoted);
    EXPECT_EQ(v01.kind.text, "village");
    ASSERT_TRUE(v01.parent.has_value());
    EXPECT_EQ(v01.parent->text, "goutang");
    EXPECT_EQ(v01.label, std::optional<std::string>("苟堂村"));
    ASSERT_EQ(v01.options.size(), 2u);
    EXPECT_EQ(v01.options[0].key.text, "since");
    EXPECT_EQ(v01.options[0].date->year, 2023);
    EXPECT_EQ(v01.options[1].key.text, "version");
    EXPECT_EQ(v01.options[1].number, 2);
    EXPECT_EQ(at(source, v01.loc), "4:3");
    const auto& household = std::get<sa::entity_stmt>(given.statements[1]);
    EXPECT_EQ(household.id.text, "001");
    EXPECT_TRUE(household.id.quoted);
    EXPECT_EQ(household.options[0].key.text, "until");

    const auto& test = std::get<sa::test_block>(parsed.file.declarations[2]);
    EXPECT_EQ(test.id.text, "april");
    EXPECT_EQ(test.label, std::optional<std::string>("四月"));
    // The block's span runs from its keyword to its closing brace on line 27.
    EXPECT_EQ(at(source, test.loc), "8:1");
    EXPECT_EQ(source.position_of(test.loc.end - 1).line, 27u);
    ASSERT_EQ(test.statements.size(), 15u);
    const char* keywords[] = {"event",  "event",  "event",  "retract", "record", "as_of",  "expect", "expect",
                              "expect", "expect", "expect", "expect",  "expect", "expect", "expect"};
    for (std::size_t i = 0; i < test.statements.size(); ++i)
        EXPECT_STREQ(sa::keyword_of(test.statements[i]), keywords[i]) << "statement " << i;
}

TEST(ScenarioParse, EventsKeepTheirWordsTimeAndFields) {
    const source_file source("t.test.mandate", sample);
    const auto parsed = syntax::parse_scenarios(source);
    ASSERT_TRUE(parsed.ok());
    const auto& test = std::get<sa::test_block>(parsed.file.declarations[2]);

    // Without an id: TYPE UNIT; the time is a date.
    const auto& a = std::get<sa::event_stmt>(test.statements[0]);
    ASSERT_EQ(a.words.size(), 2u);
    EXPECT_EQ(a.words[0].text, "activity");
    EXPECT_EQ(a.words[1].text, "v01");
    EXPECT_EQ(a.time.text, "2023-04-15");
    EXPECT_FALSE(a.time.has_clock);
    ASSERT_EQ(a.fields.size(), 2u);
    EXPECT_EQ(a.fields[0].field.text, "venue");
    EXPECT_EQ(std::get<ast::string_lit>(a.fields[0].value.node).value, "park");
    EXPECT_EQ(std::get<ast::list_lit>(a.fields[1].value.node).items.size(), 2u);
    EXPECT_EQ(at(source, a.fields[1].field.loc), "9:50");

    // With an id, a date-time with an offset, and fields over several lines.
    const auto& b = std::get<sa::event_stmt>(test.statements[1]);
    ASSERT_EQ(b.words.size(), 3u);
    EXPECT_EQ(b.words[0].text, "e17");
    EXPECT_EQ(b.time.text, "2023-04-15T09:30:00+08:00");
    EXPECT_TRUE(b.time.has_clock);
    EXPECT_EQ(b.time.date.day, 15);
    EXPECT_EQ(at(source, b.time.date.loc), "10:26");
    ASSERT_EQ(b.fields.size(), 2u);
    EXPECT_EQ(at(source, b.fields[1].field.loc), "12:5");
    EXPECT_TRUE(std::get<ast::list_lit>(b.fields[1].value.node).items.empty());

    const auto& c = std::get<sa::event_stmt>(test.statements[2]);
    EXPECT_EQ(c.time.text, "2023-04-16T01:30:00Z");
    EXPECT_EQ(std::get<ast::number_lit>(c.fields[0].value.node).text, "850.5");
    EXPECT_FALSE(std::get<ast::bool_lit>(c.fields[1].value.node).value);

    EXPECT_EQ(std::get<sa::retract_stmt>(test.statements[3]).id.text, "e17");
    EXPECT_EQ(std::get<sa::record_stmt>(test.statements[4]).json, "{\"retract\": \"x\"}");
    EXPECT_EQ(std::get<sa::as_of_stmt>(test.statements[5]).date.month, 5);
}

TEST(ScenarioParse, FieldsOnTheirOwnLinesNeedNoCommasWhateverTheirValues) {
    // A number may be followed by a unit (3 days, 15%): the parser that looks for one skips the
    // line break, and the next field still counts as on a new line.
    const std::string text =
        "plan p\n"                                         // 1
        "test t {\n"                                       // 2
        "  event activity v01 2023-04-15 {\n"              // 3
        "    people: 3\n"                                  // 4
        "    share: 15%   # a comment after the value\n"   // 5
        "    minutes: 2.5\n"                               // 6
        "    pause: 3 days\n"                              // 7
        "    held: 2023-04-15\n"                           // 8
        "    venue: \"park\"\n"                            // 9
        "  }\n"                                            // 10
        "}\n";
    const source_file source("t.test.mandate", text);
    const auto parsed = syntax::parse_scenarios(source);
    ASSERT_TRUE(parsed.ok()) << testing::briefs(parsed.diagnostics).front();
    const auto& test = std::get<sa::test_block>(parsed.file.declarations[1]);
    const auto& e = std::get<sa::event_stmt>(test.statements[0]);
    ASSERT_EQ(e.fields.size(), 6u);
    const char* names[] = {"people", "share", "minutes", "pause", "held", "venue"};
    for (std::size_t i = 0; i < 6; ++i) {
        EXPECT_EQ(e.fields[i].field.text, names[i]);
        EXPECT_EQ(at(source, e.fields[i].field.loc), std::to_string(4 + i) + ":5");
    }
    // On one line, two fields still need their comma.
    EXPECT_EQ(errors_of("plan p\ntest t {\n  event activity v01 2023-04-15 { people: 3 share: 15% }\n}\n"),
              std::vector<std::string>{"3:45: error: expected ',' or a new line between fields, found 'share'"});
}

TEST(ScenarioParse, ExpectationsOfEveryForm) {
    const source_file source("t.test.mandate", sample);
    const auto parsed = syntax::parse_scenarios(source);
    ASSERT_TRUE(parsed.ok());
    const auto& s = std::get<sa::test_block>(parsed.file.declarations[2]).statements;
    auto x = [&](std::size_t i) -> const sa::expect_stmt& { return std::get<sa::expect_stmt>(s[i]); };

    EXPECT_EQ(x(6).k, sa::expect_kind::status);
    EXPECT_EQ(x(6).ref.rule.text, "village_monthly_activity");
    EXPECT_EQ(x(6).ref.unit->text, "v01");
    EXPECT_EQ(x(6).ref.bucket.k, sa::bucket_form::kind::month);
    EXPECT_EQ(x(6).ref.bucket.from.month, 4);
    EXPECT_EQ(x(6).word.text, "violated");
    EXPECT_EQ(at(source, x(6).loc), "18:3");
    EXPECT_EQ(at(source, x(6).ref.bucket.loc), "18:40");

    EXPECT_EQ(x(7).k, sa::expect_kind::flag);
    EXPECT_TRUE(x(7).negated);
    EXPECT_EQ(x(7).word.text, "met");
    EXPECT_EQ(x(7).ref.bucket.k, sa::bucket_form::kind::date);
    EXPECT_EQ(x(7).ref.bucket.from.day, 15);

    EXPECT_EQ(x(8).k, sa::expect_kind::value);
    EXPECT_EQ(x(8).ref.bucket.k, sa::bucket_form::kind::range);
    EXPECT_EQ(x(8).ref.bucket.to.day, 30);
    ASSERT_TRUE(x(8).value.has_value());
    EXPECT_TRUE(std::get<ast::number_lit>(x(8).value->node).percent);
    EXPECT_EQ(at(source, x(8).value_loc), "20:69");

    EXPECT_EQ(x(9).k, sa::expect_kind::reason);
    EXPECT_FALSE(x(9).text.has_value());  // null
    EXPECT_EQ(at(source, x(9).value_loc), "21:55");

    EXPECT_EQ(x(10).k, sa::expect_kind::flag);
    EXPECT_FALSE(x(10).ref.unit.has_value());  // a rule without `each`: [BUCKET]
    EXPECT_EQ(x(10).word.text, "at_risk");
    EXPECT_EQ(x(11).word.text, "fired");
    EXPECT_EQ(x(12).k, sa::expect_kind::absent);
    EXPECT_EQ(x(13).k, sa::expect_kind::rejected);
    EXPECT_EQ(x(13).count, std::optional<std::int64_t>(2));
    EXPECT_EQ(x(14).text, std::optional<std::string>("unknown event type"));
}

// ------------------------------------------------------------------ diagnostics

struct error_case {
    const char* name;
    std::string input;
    std::string expected;  // "line:column: error: message"
};

std::ostream& operator<<(std::ostream& os, const error_case& c) { return os << c.name; }

const std::string statement_list = "a statement (entity, event, retract, record, as_of, expect) or '}'";
const std::string expectation_list =
    "an expectation: NAME[UNIT, BUCKET] then == STATUS, met, at_risk, fired or final; or value, reason, no or rejected";

// Each input's error is on its second line, inside `test t {` ... `}`; the column is counted
// from the line's start.
std::vector<error_case> cases() {
    const std::string head = "test t {\n";
    return {
        {"not_a_declaration", "rule x {}\n",
         "1:1: error: expected a declaration: plan, given, test, found 'rule'"},
        {"plan_without_a_name", "plan 12\n", "1:6: error: expected an identifier, found '12'"},
        {"plan_with_a_reserved_word", "plan every\n", "1:6: error: expected an identifier, found 'every', a reserved word"},
        {"test_without_brace", "test t \"x\" as_of 2023-01-01\n", "1:12: error: expected '{', found 'as_of'"},
        {"given_without_brace", "given entity v: town\n", "1:7: error: expected '{', found 'entity'"},
        {"unknown_statement", head + "  frobnicate 1\n}\n", "2:3: error: expected " + statement_list + ", found 'frobnicate'"},
        {"entity_without_colon", head + "  entity v1 village\n}\n", "2:13: error: expected ':', found 'village'"},
        {"entity_id_reserved", head + "  entity day: village\n}\n",
         "2:10: error: expected an entity id (a name or a string), found 'day', a reserved word"},
        {"entity_since_malformed", head + "  entity v1: village since 2023-4-01\n}\n",
         "2:28: error: expected a date (YYYY-MM-DD), found '2023'"},
        {"entity_version_not_a_number", head + "  entity v1: village version x\n}\n",
         "2:30: error: expected a whole number, found 'x'"},
        {"event_without_time", head + "  event activity v1 { venue: \"p\" }\n}\n",
         "2:21: error: expected a time: YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+08:00|Z], found '{'"},
        {"event_time_half_written", head + "  event activity v1 2023-04-15T9:30\n}\n",
         "2:21: error: expected a time: YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+08:00|Z], found '2023'"},
        {"event_field_without_value", head + "  event a v1 2023-04-15 { venue: }\n}\n",
         "2:34: error: expected an expression, found '}'"},
        {"event_fields_not_separated", head + "  event a v1 2023-04-15 { venue: \"p\" methods: [] }\n}\n",
         "2:38: error: expected ',' or a new line between fields, found 'methods'"},
        {"event_field_without_colon", head + "  event a v1 2023-04-15 { venue \"p\" }\n}\n",
         "2:33: error: expected ':', found a string"},
        {"retract_without_id", head + "  retract 12\n}\n", "2:11: error: expected an entity id (a name or a string), found '12'"},
        {"record_not_a_string", head + "  record {\"a\": 1}\n}\n", "2:10: error: expected a string, found '{'"},
        {"record_string_open", head + "  record \"{\n}\n", "2:12: error: this string is not closed on its line"},
        {"as_of_not_a_date", head + "  as_of may\n}\n", "2:9: error: expected a date (YYYY-MM-DD), found 'may'"},
        {"expect_nothing", head + "  expect 12\n}\n", "2:10: error: expected " + expectation_list + ", found '12'"},
        {"bucket_without_bracket", head + "  expect o v1 == satisfied\n}\n", "2:12: error: expected '[', found 'v1'"},
        {"bucket_not_closed", head + "  expect o[v1, 2023-04 == satisfied\n}\n", "2:24: error: expected ']', found '='"},
        {"bucket_without_comma", head + "  expect o[v1 2023-04] met\n}\n", "2:15: error: expected ',', found '2023'"},
        {"bucket_a_word", head + "  expect o[v1, april] met\n}\n",
         "2:16: error: expected a bucket: a date, FROM..TO or YYYY-MM, found 'april'"},
        {"bucket_range_without_end", head + "  expect o[v1, 2023-04-01..] met\n}\n",
         "2:28: error: expected a date (YYYY-MM-DD), found ']'"},
        {"single_equals", head + "  expect o[v1, 2023-04] = satisfied\n}\n",
         "2:25: error: expected == STATUS, or met, at_risk, fired or final (each may follow 'not'), found '='"},
        {"unknown_status", head + "  expect o[v1, 2023-04] == done\n}\n",
         "2:28: error: expected a status: satisfied, violated, pending, excused, found 'done'"},
        {"not_without_flag", head + "  expect o[v1, 2023-04] not satisfied\n}\n",
         "2:29: error: expected met, at_risk, fired or final, found 'satisfied'"},
        {"value_without_equals", head + "  expect value o[v1, 2023-04] 3\n}\n", "2:31: error: expected '==', found '3'"},
        {"value_missing", head + "  expect value o[v1, 2023-04] == }\n",
         "2:34: error: expected a value: a number, percent, date, duration, true, false or null, found '}'"},
        {"reason_not_a_string", head + "  expect reason o[v1, 2023-04] == no_data\n}\n",
         "2:35: error: expected a reason in quotes, or null, found 'no_data'"},
        {"rejected_nothing", head + "  expect rejected\n}\n",
         "3:1: error: expected a number of records, or part of a reason in quotes, found '}'"},
        {"number_glued_to_word", head + "  entity v1: village version 2x\n}\n",
         "2:31: error: write a space between a number and the word after it, as in '21 days'"},
        {"missing_closing_brace", head + "  as_of 2023-04-01\n", "3:1: error: expected " + statement_list + ", found end of file"},
        {"next_test_before_closing_brace", head + "  as_of 2023-04-01\ntest u {\n}\n",
         "3:1: error: expected " + statement_list + ", found 'test'"},
    };
}

class scenario_parse_error : public ::testing::TestWithParam<error_case> {};

TEST_P(scenario_parse_error, says_what_was_expected_and_where) {
    const auto& c = GetParam();
    const auto errors = errors_of(c.input);
    ASSERT_FALSE(errors.empty()) << c.input;
    EXPECT_EQ(errors.front(), c.expected) << c.input;
    EXPECT_EQ(errors.size(), 1u) << ::testing::PrintToString(errors);
}

INSTANTIATE_TEST_SUITE_P(cases, scenario_parse_error, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(ScenarioParse, RendersLikeRuleFileDiagnostics) {
    const source_file source("t.test.mandate", "test t \"四月\" {\n  expect o[v1, 2023-04] == done\n}\n");
    const auto parsed = syntax::parse_scenarios(source);
    ASSERT_EQ(parsed.diagnostics.size(), 1u);
    EXPECT_EQ(render(parsed.diagnostics[0], source),
              "t.test.mandate:2:28: error: expected a status: satisfied, violated, pending, excused, found 'done'\n"
              " 2 |   expect o[v1, 2023-04] == done\n"
              "   | " + std::string(27, ' ') + "^~~~\n");
}

// ------------------------------------------------------------------ recovery

TEST(ScenarioParse, ResumesAtTheNextStatementInsideATest) {
    const std::string text =
        "test t {\n"
        "  entity v1 village\n"                         // 2: ':' missing
        "  event activity v1 2023-04-15 {\n"
        "    venue: \"park\" \"x\"\n"                   // 4: no separator
        "    methods: []\n"
        "  }\n"                                         // closes the fields, not the test
        "  as_of 2023-04-31x\n"                         // 7: a date glued to a word
        "  expect o[v1, 2023-04] == satisfied\n"        // parses
        "}\n"
        "test u {\n"
        "  expect o[v1, 2023-04] = violated\n"          // 11
        "}\n";
    const auto parsed = parse_text(text);
    EXPECT_EQ(testing::briefs(parsed.diagnostics),
              (std::vector<std::string>{
                  "2:13: error: expected ':', found 'village'",
                  "4:19: error: expected ',' or a new line between fields, found a string",
                  "7:9: error: expected a date (YYYY-MM-DD), found '2023'",
                  "11:25: error: expected == STATUS, or met, at_risk, fired or final (each may follow 'not'), found '='",
              }));
    // Both tests are kept, with the statements that parsed.
    ASSERT_EQ(parsed.file.declarations.size(), 2u);
    const auto& t = std::get<sa::test_block>(parsed.file.declarations[0]);
    ASSERT_EQ(t.statements.size(), 1u);
    EXPECT_STREQ(sa::keyword_of(t.statements[0]), "expect");
}

TEST(ScenarioParse, ResumesAtTheNextDeclarationAfterABrokenHead) {
    const std::string text =
        "test 12 {\n"
        "  as_of 2023-04-01\n"
        "}\n"
        "plan {\n"
        "given {\n"
        "  entity v1: village\n"
        "}\n";
    EXPECT_EQ(errors_of(text), (std::vector<std::string>{
                                   "1:6: error: expected an identifier, found '12'",
                                   "4:6: error: expected an identifier, found '{'",
                               }));
}

TEST(ScenarioParse, BracesInStringsDoNotEndABlock) {
    const std::string text =
        "test t {\n"
        "  record \"{\\\"x\\\": \\\"}\\\"}\"\n"
        "  event a v1 2023-04-15 { venue: \"}\" oops }\n"
        "  as_of 2023-04-20\n"
        "}\n";
    const auto parsed = parse_text(text);
    EXPECT_EQ(testing::briefs(parsed.diagnostics),
              (std::vector<std::string>{"3:38: error: expected ',' or a new line between fields, found 'oops'"}));
    ASSERT_EQ(parsed.file.declarations.size(), 1u);
    EXPECT_EQ(std::get<sa::test_block>(parsed.file.declarations[0]).statements.size(), 2u);
}

// ------------------------------------------------------------------ robustness

TEST(ScenarioParse, BrokenInEveryWayStillGivesDiagnostics) {
    const std::string text =
        "plan\n"
        "given { entity : ; event event event\n"
        "test \"x\" {{{{ }}}\n"
        "test t { expect [[[ ]]] == == \n"
        "  event a b 9999-99-99T99:99:99+99:99 { a: ((((((((, b: [[[[ }\n"
        "  record \"\\u{110000}\"\n"
        "  as_of 2023-02-30 expect no x[ , ] \x01\xff\xfe\n"
        "}}}}\n";
    const auto parsed = parse_text(text);
    EXPECT_GE(parsed.diagnostics.size(), 4u);
    for (const auto& d : parsed.diagnostics) {
        EXPECT_GE(d.pos.line, 1u);
        EXPECT_FALSE(d.message.empty());
        EXPECT_EQ(d.message.find("boost"), std::string::npos) << d.message;
    }
}

TEST(ScenarioParse, DeepNestingInAFieldIsADiagnostic) {
    const std::string text = "test t {\n  event a v1 2023-04-15 { n: " + std::string(100, '(') + "1" +
                             std::string(100, ')') + " }\n}\n";
    const auto errors = errors_of(text);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find("nested too deeply"), std::string::npos) << errors[0];
}

TEST(ScenarioParse, MutatedFilesNeverCrash) {
    // Random deletions, duplications and byte flips of a valid file: every result is either a
    // parse or diagnostics with positions inside the text.
    std::mt19937 random(20230401);
    for (int round = 0; round < mandate::testing::scaled(300); ++round) {
        std::string text = sample;
        const int edits = 1 + static_cast<int>(random() % 6);
        for (int e = 0; e < edits && !text.empty(); ++e) {
            const std::size_t at = random() % text.size();
            switch (random() % 3) {
                case 0: text.erase(at, 1 + random() % 8); break;
                case 1: text.insert(at, text.substr(random() % text.size(), 1 + random() % 12)); break;
                default: text[at] = static_cast<char>(random() % 256); break;
            }
        }
        const source_file source("m.test.mandate", text);
        const auto parsed = syntax::parse_scenarios(source);
        for (const auto& d : parsed.diagnostics) {
            ASSERT_LE(d.where.begin, text.size());
            ASSERT_FALSE(d.message.empty());
        }
    }
}

}  // namespace
}  // namespace mandate
