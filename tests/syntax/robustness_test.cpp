// No input crashes or hangs the front end: truncated, corrupted, random and pathologically deep
// or long inputs all come back from parse + check (and, where they parse, from the formatter)
// with diagnostics at most. Inputs are generated deterministically (a fixed mt19937 seed).
#include <gtest/gtest.h>

#include <random>

#include "mandate/syntax/format.hpp"
#include "support/scale.hpp"
#include "syntax/support.hpp"

namespace mandate {
namespace {

// No timings here (they belong to bench/): a pathological input that hangs is stopped by ctest's
// timeout, and the worst inputs found are timed in bench/mandate_bench.cpp.

// Runs the whole front end on `text`; returns the number of diagnostics. Any exception other
// than a diagnostic is a failure of the test.
std::size_t front_end(const std::string& text) {
    const source_file source("fuzz.mandate", text);
    const auto loaded = check::load(source);
    for (const auto& d : loaded.diagnostics()) {
        // Every diagnostic points inside the text (or at its very end) and renders.
        EXPECT_LE(d.where.begin, text.size());
        (void)render(d, source);
    }
    return loaded.diagnostics().size();
}

// Parse, check what parsed (as check::load does) and, when the text parses, format.
void survive(const std::string& text) {
    const source_file source("fuzz.mandate", text);
    const auto parsed = syntax::parse(source);
    const auto checked = check::check(parsed.file, source);
    for (const auto* list : {&parsed.diagnostics, &checked.diagnostics()})
        for (const auto& d : *list) {
            EXPECT_LE(d.where.begin, text.size());
            (void)render(d, source);
        }
    if (parsed.ok()) (void)syntax::format(parsed.file, source);
}

const std::string& goutang() {
    static const std::string text = testing::read_text(testing::goutang_path());
    return text;
}

TEST(syntax_robustness, goutang_loads_cleanly) { EXPECT_EQ(front_end(goutang()), 0u); }

TEST(syntax_robustness, every_prefix_of_goutang) {
    const std::string& text = goutang();
    ASSERT_GT(text.size(), 2000u);
    std::size_t runs = 0;
    // Every prefix of the first 2000 bytes, then every 7th (cuts land inside UTF-8 sequences,
    // strings, comments and every kind of declaration); scaled down, fewer of both.
    const std::size_t dense = static_cast<std::size_t>(testing::scaled(2000));
    const std::size_t stride = static_cast<std::size_t>(7 / testing::test_scale());
    for (std::size_t n = 0; n <= text.size(); n += n < dense ? 1 : stride) {
        front_end(text.substr(0, n));
        ++runs;
    }
    EXPECT_EQ(front_end(text), 0u);
    EXPECT_EQ(front_end(""), 1u);  // "no plan block"
    EXPECT_GT(runs, static_cast<std::size_t>(testing::scaled(4000)));
}

TEST(syntax_robustness, goutang_with_bytes_flipped_deleted_or_duplicated) {
    const std::string& text = goutang();
    std::mt19937 rng(20230301);
    for (int i = 0; i < testing::scaled(2400); ++i) {
        std::string mutated = text;
        const std::size_t at = rng() % mutated.size();
        switch (i % 3) {
            case 0: mutated[at] = static_cast<char>(mutated[at] ^ (1u << (rng() % 8))); break;
            case 1: mutated.erase(at, 1); break;
            case 2: mutated.insert(at, 1, mutated[at]); break;
        }
        survive(mutated);
    }
}

TEST(syntax_robustness, random_byte_strings) {
    std::mt19937 rng(7);
    for (int i = 0; i < testing::scaled(2000); ++i) {
        std::string s(rng() % 200, '\0');
        for (auto& c : s) c = static_cast<char>(rng() & 0xFF);
        survive(s);
        // The same bytes after a valid header reach the declaration parsers too.
        survive("plan p {}\nobligation o { require " + s);
    }
}

TEST(syntax_robustness, random_token_soup) {
    // Sequences of the language's own words and punctuation reach deep into the grammar and
    // the checker, which random bytes rarely do.
    static const char* const tokens[] = {
        "plan", "phase", "kind", "event", "obligation", "outcome", "from", "to", "within", "cite", "each",
        "during", "every", "full", "cumulative", "by", "after", "before", "require", "when", "grace", "warn",
        "of", "where", "in", "and", "or", "not", "true", "false", "count", "sum", "distinct", "min", "max",
        "coverage", "gap", "all", "any", "streak", "violations", "fired", "ref", "set", "int", "number", "bool",
        "text", "date", "day", "days", "week", "weeks", "month", "months", "quarter", "year", "{", "}", "(",
        ")", "[", "]", "<", ">", ":", ",", ".", "|", "?", "+", "-", "*", "/", "==", "!=", "<=", ">=", "%",
        "\n", "#c\n", "\"s\"", "\"中\"", "0", "1", "15", "0.5", "2023-04-01", "2023-02-30", "a", "b", "e",
        "k", "o", "u", "v", "x", "campaign", "village", "activity", "venue"};
    constexpr std::size_t n = sizeof tokens / sizeof tokens[0];
    std::mt19937 rng(99);
    const std::string header =
        "plan p {}\nphase campaign from 2023-04-01 to 2023-12-30\nkind village\n"
        "event activity { venue: text, n: int, who: ref village, whom: set<ref village> }\n";
    for (int i = 0; i < testing::scaled(3000); ++i) {
        std::string s = i % 2 ? header : "";
        const std::size_t length = rng() % 60;
        for (std::size_t k = 0; k < length; ++k) {
            s += tokens[rng() % n];
            s += ' ';
        }
        survive(s);
    }
}

TEST(syntax_robustness, ten_thousand_nested_parentheses) {
    const std::string text =
        "plan p {}\nobligation o { require " + std::string(10000, '(') + "true" + std::string(10000, ')') + " }\n";
    const auto errors = testing::load_errors(text);
    ASSERT_FALSE(errors.empty());
    EXPECT_NE(errors[0].find("expression nested too deeply (the limit is 64 levels)"), std::string::npos) << errors[0];
}

TEST(syntax_robustness, ten_thousand_nots) {
    std::string chain;
    for (int i = 0; i < 10000; ++i) chain += "not ";
    const auto errors = testing::load_errors("plan p {}\nobligation o { require " + chain + "true }\n");
    ASSERT_FALSE(errors.empty());
    EXPECT_NE(errors[0].find("expression nested too deeply (the limit is 64 levels)"), std::string::npos) << errors[0];
}

TEST(syntax_robustness, ten_thousand_unary_minuses_and_nested_lists_and_aggregates) {
    const std::string minuses = "plan p {}\nobligation o { require " + std::string(10000, '-') + "1 > 0 }\n";
    EXPECT_FALSE(testing::load_errors(minuses).empty());
    const std::string lists =
        "plan p {}\nobligation o { require 1 in " + std::string(10000, '[') + std::string(10000, ']') + " }\n";
    EXPECT_FALSE(testing::load_errors(lists).empty());
    std::string aggregates = "plan p {}\nobligation o { require ";
    for (int i = 0; i < 5000; ++i) aggregates += "count(e where ";
    aggregates += "true";
    for (int i = 0; i < 5000; ++i) aggregates += ") > 0";
    EXPECT_FALSE(testing::load_errors(aggregates + " }\n").empty());
    std::string streaks = "plan p {}\noutcome o { when ";
    for (int i = 0; i < 5000; ++i) streaks += "streak(month, ";
    EXPECT_FALSE(testing::load_errors(streaks + "true" + std::string(5000, ')') + " }\n").empty());
}

TEST(syntax_robustness, one_hundred_thousand_terms) {
    std::string sum = "a";
    for (int i = 1; i < 100000; ++i) sum += " + a";
    const auto errors = testing::load_errors("plan p {}\nobligation o { require " + sum + " > 0 }\n");
    ASSERT_FALSE(errors.empty());
    EXPECT_NE(errors[0].find("expression too long (the limit is 512 levels of operators; each '+' of 'a + b + ...' is one)"),
              std::string::npos)
        << errors[0];
    // A long flat `and` chain and a long list stay within the limits when they should.
    std::string list = "[1";
    for (int i = 2; i <= 100000; ++i) list += ", " + std::to_string(i);
    list += "]";
    survive("plan p {}\nevent e { n: int }\nobligation o { from 2023-01-01 to 2023-01-31 require count(e where n in " +
            list + ") >= 1 }\n");
}

// A flat chain of operators of one precedence is one level of nesting however long, so the
// limit of 256 levels does not stop `a + b + ... ` at 257 terms; its length is bounded apart
// (512 levels of operators: printing, the graph and evaluation recurse on the left-deep tree).
std::string chain(int n, const std::string& term, const std::string& op) {
    std::string s = term;
    for (int i = 1; i < n; ++i) s += op + term;
    return s;
}

const std::string chain_plan = "plan p {}\nphase c \"c\" from 2023-04-01 to 2023-04-30\nkind village \"v\"\nevent a \"a\" {}\n";

TEST(syntax_robustness, long_flat_chains_are_one_level_of_nesting) {
    // 257 and 511 terms summed and compared: 257 and 511 levels of `+`, one more for `>=`.
    for (int n : {257, 511})
        EXPECT_NO_THROW(testing::load_ok(chain_plan + "obligation o { each v: village  during c  require " +
                                          chain(n, "count(a of v)", " + ") + " >= 1 }\n"))
            << n;
    // 300 comparisons joined by `and`, 300 factors, 300 `or`s.
    EXPECT_NO_THROW(testing::load_ok(chain_plan + "obligation o { each v: village  during c  require " +
                                      chain(300, "count(a of v) >= 1", " and ") + " }\n"));
    EXPECT_NO_THROW(testing::load_ok(chain_plan + "obligation o { each v: village  during c  require " +
                                      chain(300, "1", " * ") + " * count(a of v) >= 1 }\n"));
    EXPECT_NO_THROW(testing::load_ok(chain_plan + "outcome o { each v: village  during c  when " +
                                      chain(300, "count(a of v) > 2", " or ") + " }\n"));
    // 512 terms and a comparison are 513 levels: refused at the operand past the limit, the 1
    // after `>=` (line 6: "  require " is 10 columns, each "count(a) + " 11, so the `1` is at
    // 11 + 11 * 511 + 8 + 4 = 5644).
    const auto errors = testing::load_errors(chain_plan + "obligation o {\n  require " + chain(512, "count(a)", " + ") + " >= 1\n}\n");
    ASSERT_FALSE(errors.empty());
    EXPECT_EQ(errors[0], "6:5644: error: expression too long (the limit is 512 levels of operators; each '+' of 'a + b + ...' is one)");
}

TEST(syntax_robustness, real_nesting_is_still_bounded_at_256_levels) {
    // Each wrapping nests the expression 5 levels deeper (or, and, ==, +, * each take the rest
    // as their right operand): 51 wrappings of `1` are 256 levels, 52 are 261.
    auto nested = [](int levels) {
        std::string s = "1";
        for (int i = 0; i < levels; ++i) s = "1 or 1 and 1 == 1 + 1 * (" + s + ")";
        return "plan p {}\nobligation o { require " + s + " }\n";
    };
    for (const auto& e : testing::parse_errors(nested(51))) ADD_FAILURE() << e;
    const auto errors = testing::parse_errors(nested(52));
    ASSERT_FALSE(errors.empty());
    EXPECT_NE(errors[0].find("expression too deeply nested (the limit is 256 levels)"), std::string::npos) << errors[0];
}

TEST(syntax_robustness, long_string_literal_and_long_identifier) {
    const std::string label(100000, 'x');
    const std::string name(10000, 'k');
    const std::string text = "plan p { title \"" + label + "\" }\nkind " + name + " \"" + label + "\"\n";
    const check::plan plan = testing::load_ok(text);
    EXPECT_EQ(plan.title.size(), 100000u);
    ASSERT_EQ(plan.kinds.size(), 1u);
    EXPECT_EQ(plan.kinds[0].id, name);
    EXPECT_EQ(plan.kinds[0].label, label);
    // An unterminated long string is an error, not a crash.
    EXPECT_FALSE(testing::load_errors("plan p { title \"" + label).empty());
}

TEST(syntax_robustness, oversized_file_is_refused) {
    const std::string text(limits{}.max_source_bytes + 1, ' ');
    EXPECT_EQ(testing::parse_errors(text),
              std::vector<std::string>{"1:1: error: rule file is larger than the limit of 8388608 bytes"});
}

TEST(syntax_robustness, many_errors_on_one_long_line) {
    std::string text = "plan p {} phase c from 2023-01-01 to 2023-12-31";
    for (int i = 0; i < 20000; ++i) text += " obligation o" + std::to_string(i) + " { require 1 }";
    EXPECT_EQ(front_end(text), 20000u);
}

TEST(syntax_robustness, many_unknown_names) {
    std::string text = "plan p {}\n";
    for (int i = 0; i < 10000; ++i) text += "kind k" + std::to_string(i) + "\n";
    for (int i = 0; i < 10000; ++i) text += "kind x" + std::to_string(i) + " within y" + std::to_string(i) + "\n";
    EXPECT_EQ(front_end(text), 10000u);
}

}  // namespace
}  // namespace mandate
