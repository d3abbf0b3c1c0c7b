// The canonical layout of a scenario test file (`mandate fmt` on `*.test.mandate`): the same
// conventions as rule files (lib/syntax/format.cpp) for comments and blank lines, with the
// layout the project's own test files are written in: `plan NAME` on its line, each `given` or
// `test` block set apart by a blank line, one statement per line indented two spaces, a
// record's fields on its line between `{ ` and ` }`, separated by ", ".
#include "mandate/syntax/format.hpp"

#include <algorithm>
#include <cstdio>

#include "mandate/syntax/parse.hpp"
#include "mandate/syntax/print.hpp"

#include "layout.hpp"

namespace mandate::syntax {
namespace {

namespace sc = ast::scenario;

std::string ref(const sc::entity_ref& r) { return r.quoted ? quote(r.text) : r.text; }

std::string fields(const std::vector<sc::field_value>& list) {
    if (list.empty()) return " {}";
    std::string out = " { ";
    for (std::size_t i = 0; i < list.size(); ++i) out += (i ? ", " : "") + list[i].field.text + ": " + to_source(list[i].value);
    return out + " }";
}

std::string bucket(const sc::bucket_form& b) {
    switch (b.k) {
        case sc::bucket_form::kind::range: return to_source(b.from) + ".." + to_source(b.to);
        case sc::bucket_form::kind::month: {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%04d-%02d", b.from.year, b.from.month);
            return buf;
        }
        case sc::bucket_form::kind::date: break;
    }
    return to_source(b.from);
}

std::string bucket_ref(const sc::bucket_ref& r) {
    return r.rule.text + "[" + (r.unit ? ref(*r.unit) + ", " : "") + bucket(r.bucket) + "]";
}

std::string statement(const sc::entity_stmt& e) {
    std::string out = "entity " + ref(e.id) + ": " + e.kind.text;
    if (e.parent) out += " in " + ref(*e.parent);
    if (e.label) out += " " + quote(*e.label);
    for (const auto& o : e.options)
        out += " " + o.key.text + " " + (o.date ? to_source(*o.date) : std::to_string(o.number));
    if (!e.fields.empty()) out += fields(e.fields);
    return out;
}

std::string statement(const sc::event_stmt& e) {
    std::string out = "event";
    for (const auto& w : e.words) out += " " + ref(w);
    out += " " + e.time.text;
    if (e.has_fields) out += fields(e.fields);
    return out;
}

std::string statement(const sc::retract_stmt& r) { return "retract " + ref(r.id); }
std::string statement(const sc::record_stmt& r) { return "record " + quote(r.json); }
std::string statement(const sc::as_of_stmt& a) { return "as_of " + to_source(a.date); }

std::string statement(const sc::expect_stmt& x) {
    switch (x.k) {
        case sc::expect_kind::status: return "expect " + bucket_ref(x.ref) + " == " + x.word.text;
        case sc::expect_kind::flag:
            return "expect " + bucket_ref(x.ref) + (x.negated ? " not " : " ") + x.word.text;
        case sc::expect_kind::value:
            return "expect value " + bucket_ref(x.ref) + " == " + (x.value ? to_source(*x.value) : "null");
        case sc::expect_kind::reason:
            return "expect reason " + bucket_ref(x.ref) + " == " + (x.text ? quote(*x.text) : "null");
        case sc::expect_kind::absent: return "expect no " + bucket_ref(x.ref);
        case sc::expect_kind::rejected:
            return "expect rejected " + (x.count ? std::to_string(*x.count) : quote(x.text.value_or("")));
    }
    return "expect";
}

class scenario_formatter {
public:
    explicit scenario_formatter(const source_file& source) : source_(source) {}

    std::string run(const sc::file& file) {
        for (const auto& d : file.declarations) std::visit([&](const auto& x) { decl(x); }, d);
        layout_.attach_comments(scan_comments(source_.text()));
        return layout_.render(source_.text());
    }

private:
    void add(int indent, std::string text, span source, bool block_edge = false, bool first_in_block = false) {
        layout_.add(indent, std::move(text), source, block_edge, first_in_block);
    }

    void decl(const sc::plan_ref& p) { add(0, "plan " + p.id.text, p.loc); }
    void decl(const sc::given_block& g) { block("given {", g.loc, g.statements); }
    void decl(const sc::test_block& t) {
        block("test " + t.id.text + (t.label ? " " + quote(*t.label) : "") + " {", t.loc, t.statements);
    }

    // An empty block keeps its braces on two lines, so a comment written inside stays inside.
    void block(std::string head, span loc, const std::vector<sc::statement>& statements) {
        add(0, std::move(head), loc, true);
        bool first = true;
        for (const auto& s : statements) {
            add(2, std::visit([](const auto& x) { return statement(x); }, s), sc::span_of(s), false, first);
            first = false;
        }
        add(0, "}", span{loc.end - 1, loc.end}, false, first);
    }

    const source_file& source_;
    detail::layout layout_;
};

}  // namespace

std::string format(const ast::scenario::file& file, const source_file& source) {
    scenario_formatter f(source);
    return f.run(file);
}

}  // namespace mandate::syntax
