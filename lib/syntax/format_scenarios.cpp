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

namespace mandate::syntax {
namespace {

namespace sc = ast::scenario;

// One output line, anchored at the source span it prints (as in format.cpp).
struct line {
    int indent = 0;
    std::string text;
    span source;
    bool block_edge = false;      // a block's head: a blank line before it
    bool first_in_block = false;  // no blank line between it and the block's head
    std::vector<std::string> leading;  // own-line comments before it
    std::vector<span> leading_spans;
    std::vector<std::string> trailing;  // comments after it on its line
    std::uint32_t trailing_end = 0;
};

bool blank_between(const std::string& text, std::uint32_t from, std::uint32_t to) {
    if (to > text.size() || from >= to) return false;
    bool seen_newline = false;
    for (std::uint32_t i = from; i < to; ++i) {
        const char c = text[i];
        if (c == '\n') {
            if (seen_newline) return true;
            seen_newline = true;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            seen_newline = false;
        }
    }
    return false;
}

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
        attach_comments(scan_comments(source_.text()));
        return emit();
    }

private:
    void add(int indent, std::string text, span source, bool block_edge = false, bool first_in_block = false) {
        line l;
        l.indent = indent;
        l.text = std::move(text);
        l.source = source;
        l.block_edge = block_edge;
        l.first_in_block = first_in_block;
        lines_.push_back(std::move(l));
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

    void attach_comments(const std::vector<ast::comment>& comments) {
        auto after = [&](std::uint32_t offset) {
            return std::upper_bound(lines_.begin(), lines_.end(), offset,
                                    [](std::uint32_t off, const line& l) { return off < l.source.begin; });
        };
        for (const auto& c : comments) {
            auto it = after(c.loc.begin);
            if (!c.own_line && it != lines_.begin()) {
                // Trails the last line that starts before it.
                std::prev(it)->trailing.push_back(c.text);
                std::prev(it)->trailing_end = std::max(std::prev(it)->trailing_end, c.loc.end);
            } else if (it == lines_.end()) {
                tail_.push_back(c);
            } else {
                it->leading.push_back(c.text);
                it->leading_spans.push_back(c.loc);
            }
        }
    }

    std::string emit() {
        std::string out;
        const std::string& text = source_.text();
        std::uint32_t previous_end = 0;
        bool previous_block_end = false;
        bool any = false;
        auto gap = [&](bool wanted) {
            if (any && wanted) out += "\n";
        };
        for (const line& l : lines_) {
            const std::string indent(static_cast<std::size_t>(l.indent), ' ');
            // Comments just before a closing brace stay inside the block.
            const std::string comment_indent(static_cast<std::size_t>(l.text == "}" ? 2 : l.indent), ' ');
            const bool top = l.indent == 0 && l.text != "}";
            // A block, or anything after a block, gets a blank line before it.
            const bool forced = top && (l.block_edge || previous_block_end);
            for (std::size_t k = 0; k < l.leading.size(); ++k) {
                const bool blank = (!l.first_in_block || k > 0) && blank_between(text, previous_end, l.leading_spans[k].begin);
                gap((k == 0 && forced) || blank);
                out += comment_indent + l.leading[k] + "\n";
                previous_end = l.leading_spans[k].end;
                any = true;
            }
            const bool blank = !l.first_in_block && l.text != "}" && blank_between(text, previous_end, l.source.begin);
            gap((l.leading.empty() && forced) || blank);
            out += indent + l.text;
            if (!l.trailing.empty()) out += "  " + l.trailing.front();
            out += "\n";
            // A statement written over several lines may carry several trailing comments; a
            // line holds only one, so the others follow on lines of their own.
            for (std::size_t k = 1; k < l.trailing.size(); ++k) out += comment_indent + l.trailing[k] + "\n";
            any = true;
            previous_end = std::max(l.source.end, l.trailing_end);
            if (l.indent == 0) previous_block_end = l.text == "}";
        }
        for (std::size_t k = 0; k < tail_.size(); ++k) {
            gap(blank_between(text, previous_end, tail_[k].loc.begin) || (k == 0 && previous_block_end));
            out += tail_[k].text + "\n";
            previous_end = tail_[k].loc.end;
            any = true;
        }
        return out;
    }

    const source_file& source_;
    std::vector<line> lines_;
    std::vector<ast::comment> tail_;
};

}  // namespace

std::string format(const ast::scenario::file& file, const source_file& source) {
    scenario_formatter f(source);
    return f.run(file);
}

}  // namespace mandate::syntax
