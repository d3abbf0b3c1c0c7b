// The formatter on scenario test files (`mandate fmt` on `*.test.mandate`): the project's own
// test files are already canonical, formatting is idempotent and keeps the AST and every
// comment, blank lines are kept (at most one), and a messy file gets the exact layout written
// out below by hand from format_scenarios.cpp's rules. Also: telling a test file from a rule
// file by its text.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "mandate/syntax/format.hpp"
#include "mandate/syntax/scenario.hpp"
#include "syntax/support.hpp"

namespace mandate {
namespace {

namespace sa = ast::scenario;

sa::file parse_text(const source_file& source) {
    const auto parsed = syntax::parse_scenarios(source);
    if (!parsed.ok()) throw std::runtime_error("does not parse: " + testing::brief(parsed.diagnostics.front()));
    return parsed.file;
}

std::string format_text(const std::string& text) {
    const source_file source("t.test.mandate", text);
    return syntax::format(parse_text(source), source);
}

// Everything the parser kept, without positions: two texts with the same shape mean the same.
class shape_writer {
public:
    std::string run(const sa::file& f) {
        for (const auto& d : f.declarations) std::visit([&](const auto& x) { decl(x); }, d);
        return out_.str();
    }

private:
    static std::string ref(const sa::entity_ref& r) { return (r.quoted ? "\"" : "") + r.text; }
    static std::string date(const ast::date_lit& d) { return syntax::to_source(d); }
    void fields(const std::vector<sa::field_value>& list) {
        for (const auto& f : list) out_ << " (" << f.field.text << " " << syntax::to_sexpr(f.value) << ")";
    }
    void decl(const sa::plan_ref& p) { out_ << "plan " << p.id.text << "\n"; }
    void decl(const sa::given_block& g) {
        out_ << "given\n";
        for (const auto& s : g.statements) std::visit([&](const auto& x) { statement(x); }, s);
    }
    void decl(const sa::test_block& t) {
        out_ << "test " << t.id.text << " " << t.label.value_or("-") << "\n";
        for (const auto& s : t.statements) std::visit([&](const auto& x) { statement(x); }, s);
    }
    void statement(const sa::entity_stmt& e) {
        out_ << "  entity " << ref(e.id) << " " << e.kind.text << " " << (e.parent ? ref(*e.parent) : "-") << " "
             << e.label.value_or("-");
        for (const auto& o : e.options) out_ << " " << o.key.text << "=" << (o.date ? date(*o.date) : std::to_string(o.number));
        fields(e.fields);
        out_ << "\n";
    }
    void statement(const sa::event_stmt& e) {
        out_ << "  event";
        for (const auto& w : e.words) out_ << " " << ref(w);
        out_ << " " << e.time.text << " " << e.has_fields;
        fields(e.fields);
        out_ << "\n";
    }
    void statement(const sa::retract_stmt& r) { out_ << "  retract " << ref(r.id) << "\n"; }
    void statement(const sa::record_stmt& r) { out_ << "  record " << r.json << "\n"; }
    void statement(const sa::as_of_stmt& a) { out_ << "  as_of " << date(a.date) << "\n"; }
    void statement(const sa::expect_stmt& x) {
        out_ << "  expect " << static_cast<int>(x.k) << " " << x.ref.rule.text << " " << (x.ref.unit ? ref(*x.ref.unit) : "-")
             << " " << static_cast<int>(x.ref.bucket.k) << " " << date(x.ref.bucket.from) << " " << date(x.ref.bucket.to)
             << " " << x.word.text << " " << x.negated << " " << (x.value ? syntax::to_sexpr(*x.value) : "-") << " "
             << x.text.value_or("-") << " " << (x.count ? std::to_string(*x.count) : "-") << "\n";
    }
    std::ostringstream out_;
};

std::string shape(const std::string& text) {
    const source_file source("t.test.mandate", text);
    return shape_writer().run(parse_text(source));
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

std::vector<std::string> project_test_files() {
    std::vector<std::string> out;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(MANDATE_SOURCE_DIR) + "/rules")) {
        const std::string name = entry.path().filename().string();
        if (name.size() > 13 && name.compare(name.size() - 13, 13, ".test.mandate") == 0) out.push_back(entry.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

TEST(syntax_format_scenarios, project_test_files_are_canonical_and_idempotent) {
    const auto files = project_test_files();
    ASSERT_EQ(files.size(), 4u);
    for (const auto& path : files) {
        SCOPED_TRACE(path);
        const std::string text = testing::read_text(path);
        const std::string once = format_text(text);
        EXPECT_EQ(once, text) << "not canonical";
        EXPECT_EQ(format_text(once), once) << "not idempotent";
        EXPECT_EQ(shape(once), shape(text)) << "the AST changed";
        // No '#' inside the files' strings: every one starts a comment.
        EXPECT_EQ(count(once, "#"), count(text, "#")) << "comments lost";
    }
}

// Every kind of statement and expectation, written untidily: extra and missing spaces, a
// record's fields over several lines, blank lines in runs, comments in every place.
const std::string messy = R"mandate(# header comment
plan   lakeside_antifraud_2024   # the plan
given{
entity v01 :village "湖畔村"   since 2024-01-01 until 2024-12-31   version 2
    entity "001": household in v01 {size: 3,head:"王"}
}
# tests



test  april "四月"{


  event activity v01 2024-04-15 {
     venue: "park"   # where
     methods: ["desk","banner"]
  }
  event e2 activity v01 2024-04-16T09:30:00+08:00{}
  retract e2
  record "{\"type\": \"x\"}"
  as_of   2024-05-06


  # judged
  expect monthly_activity[ v01 , 2024-04 ]==satisfied
  expect monthly_activity[v01,2024-04-01..2024-04-30]   not   met
  expect value monthly_activity[v01, 2024-04] == 1
  expect value share[2024-04] == 12.5%
  expect reason monthly_activity[v01, 2024-05]==null
  expect no monthly_activity[v01, 2024-07-01]
  expect rejected 0
  expect rejected "unknown"
  # last
}
test empty {}
# the end)mandate";

// Laid out by hand: the plan's trailing comment stays on its line; `given` and each test are
// set apart by a blank line, before the comments that lead them; the blank lines just inside
// a block go, the run of two between statements becomes one; the comment inside the event's
// braces trails the event's one line; the empty test keeps its braces on two lines; the file
// ends with a line break.
const std::string canonical = R"mandate(# header comment
plan lakeside_antifraud_2024  # the plan

given {
  entity v01: village "湖畔村" since 2024-01-01 until 2024-12-31 version 2
  entity "001": household in v01 { size: 3, head: "王" }
}

# tests

test april "四月" {
  event activity v01 2024-04-15 { venue: "park", methods: ["desk", "banner"] }  # where
  event e2 activity v01 2024-04-16T09:30:00+08:00 {}
  retract e2
  record "{\"type\": \"x\"}"
  as_of 2024-05-06

  # judged
  expect monthly_activity[v01, 2024-04] == satisfied
  expect monthly_activity[v01, 2024-04-01..2024-04-30] not met
  expect value monthly_activity[v01, 2024-04] == 1
  expect value share[2024-04] == 12.5%
  expect reason monthly_activity[v01, 2024-05] == null
  expect no monthly_activity[v01, 2024-07-01]
  expect rejected 0
  expect rejected "unknown"
  # last
}

test empty {
}

# the end
)mandate";

TEST(syntax_format_scenarios, messy_file_gets_the_canonical_layout) {
    EXPECT_EQ(format_text(messy), canonical);
    EXPECT_EQ(format_text(canonical), canonical);
    EXPECT_EQ(shape(canonical), shape(messy));
}

TEST(syntax_format_scenarios, comments_and_blank_lines_are_kept) {
    const std::string text =
        "# a\n"
        "\n"
        "# b\n"
        "plan p\n"
        "\n"
        "\n"
        "\n"
        "# c\n"
        "\n"
        "test t {\n"
        "  # d\n"
        "  as_of 2024-01-01  # e\n"
        "\n"
        "\n"
        "  expect rejected 0\n"
        "\n"
        "  # f\n"
        "\n"
        "}  # g\n"
        "# h\n";
    // Two and three blank lines become one; a blank line before a comment that leads the
    // closing brace is kept, the one after it is not (none before a '}').
    const std::string expected =
        "# a\n"
        "\n"
        "# b\n"
        "plan p\n"
        "\n"
        "# c\n"
        "\n"
        "test t {\n"
        "  # d\n"
        "  as_of 2024-01-01  # e\n"
        "\n"
        "  expect rejected 0\n"
        "\n"
        "  # f\n"
        "}  # g\n"
        "\n"
        "# h\n";
    EXPECT_EQ(format_text(text), expected);
    EXPECT_EQ(format_text(expected), expected);
}

TEST(syntax_format_scenarios, entity_and_event_ids_that_are_not_names_stay_quoted) {
    EXPECT_EQ(format_text("plan p\ngiven {\n  entity \"00 1\": household in \"v 1\"\n  event activity \"00 1\" 2024-01-01\n}\n"),
              "plan p\n\ngiven {\n  entity \"00 1\": household in \"v 1\"\n  event activity \"00 1\" 2024-01-01\n}\n");
}

TEST(syntax_format_scenarios, a_test_file_is_told_from_a_rule_file_by_its_first_declaration) {
    EXPECT_TRUE(syntax::looks_like_scenarios("plan p\n\ngiven {\n}\n"));
    EXPECT_TRUE(syntax::looks_like_scenarios("# tests\nplan p # the plan\n# next\ntest t {\n}\n"));
    EXPECT_TRUE(syntax::looks_like_scenarios("plan p"));
    EXPECT_TRUE(syntax::looks_like_scenarios("test t {}"));
    EXPECT_TRUE(syntax::looks_like_scenarios("\n  given {}"));
    EXPECT_FALSE(syntax::looks_like_scenarios("plan p { title \"x\" }\n"));
    EXPECT_FALSE(syntax::looks_like_scenarios("# given\nplan p\n{ }\n"));
    EXPECT_FALSE(syntax::looks_like_scenarios("kind village\n"));
    EXPECT_FALSE(syntax::looks_like_scenarios("plan p\nkind village\n"));
    EXPECT_FALSE(syntax::looks_like_scenarios("planning\ngiven {}\n"));
    EXPECT_FALSE(syntax::looks_like_scenarios("testing {}\n"));
    EXPECT_FALSE(syntax::looks_like_scenarios(""));
}

}  // namespace
}  // namespace mandate
