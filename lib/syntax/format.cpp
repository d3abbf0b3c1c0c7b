#include "mandate/syntax/format.hpp"

#include <algorithm>

#include "mandate/syntax/print.hpp"

#include "layout.hpp"

namespace mandate::syntax {
namespace {

using detail::blank_between;

std::string pad(std::string s, std::size_t width) {
    const std::size_t w = display_width(s);
    if (w < width) s.append(width - w, ' ');
    return s;
}

bool multi_line(const ast::declaration& d) {
    if (std::holds_alternative<ast::plan_decl>(d) || std::holds_alternative<ast::rule_decl>(d)) return true;
    if (const auto* e = std::get_if<ast::event_decl>(&d)) return !e->fields.empty();
    if (const auto* k = std::get_if<ast::kind_decl>(&d)) return !k->fields.empty();
    return false;
}

class formatter {
public:
    explicit formatter(const source_file& source) : source_(source) {}

    std::string run(const ast::file& file) {
        comments_ = file.comments;
        const auto& decls = file.declarations;
        for (std::size_t i = 0; i < decls.size();) {
            // Runs of consecutive one-line phases or kinds are aligned together.
            std::size_t j = i + 1;
            if (!multi_line(decls[i]) && !std::holds_alternative<ast::event_decl>(decls[i])) {
                // An own-line comment anywhere from the previous declaration's start ends the run:
                // once laid out it stands between the two. A trailing comment does not.
                while (j < decls.size() && decls[j].index() == decls[i].index() && !multi_line(decls[j]) &&
                       !blank_between(source_.text(), ast::span_of(decls[j - 1]).end, ast::span_of(decls[j]).begin) &&
                       !has_own_line_comment_between(ast::span_of(decls[j - 1]).begin, ast::span_of(decls[j]).begin))
                    ++j;
            }
            group(decls, i, j);
            i = j;
        }
        layout_.attach_comments(file.comments);
        return layout_.render(source_.text());
    }

private:
    bool has_own_line_comment_between(std::uint32_t from, std::uint32_t to) const {
        for (const auto& c : comments_)
            if (c.own_line && c.loc.begin >= from && c.loc.begin < to) return true;
        return false;
    }

    void add(int indent, std::string text, span source, bool block_edge = false, bool first_in_block = false) {
        layout_.add(indent, std::move(text), source, block_edge, first_in_block);
    }

    static std::string label_text(const std::optional<std::string>& label) { return label ? quote(*label) : ""; }

    void group(const std::vector<ast::declaration>& decls, std::size_t from, std::size_t to) {
        std::size_t name_width = 0, label_width = 0;
        for (std::size_t i = from; i < to; ++i) {
            name_width = std::max(name_width, ast::id_of(decls[i]).text.size());
            if (const auto* p = std::get_if<ast::phase_decl>(&decls[i])) label_width = std::max(label_width, display_width(label_text(p->label)));
            if (const auto* k = std::get_if<ast::kind_decl>(&decls[i])) label_width = std::max(label_width, display_width(label_text(k->label)));
        }
        for (std::size_t i = from; i < to; ++i) std::visit([&](const auto& d) { decl(d, name_width, label_width); }, decls[i]);
    }

    // "name label rest" with name and label padded for alignment, no trailing spaces.
    static std::string columns(const std::string& keyword, const std::string& name, std::size_t name_width,
                               const std::string& label, std::size_t label_width, const std::string& rest) {
        std::string out = keyword + " ";
        if (label.empty() && rest.empty()) return out + name;
        out += pad(name, name_width) + " ";
        if (label_width > 0) {
            if (rest.empty()) return out + label;
            out += pad(label, label_width) + " ";
        }
        return out + rest;
    }

    void decl(const ast::plan_decl& p, std::size_t, std::size_t) {
        add(0, "plan " + p.id.text + " {", p.loc, true);
        std::size_t width = 0;
        for (const auto& prop : p.properties) width = std::max(width, prop.key.text.size());
        bool first = true;
        for (const auto& prop : p.properties) {
            std::string value = prop.text ? quote(*prop.text)
                                : prop.word ? prop.word->text
                                : prop.number ? std::to_string(*prop.number)
                                              : "";
            add(2, pad(prop.key.text, width) + " " + value, prop.loc, false, first);
            first = false;
        }
        add(0, "}", span{p.loc.end - 1, p.loc.end});
    }

    void decl(const ast::phase_decl& p, std::size_t name_width, std::size_t label_width) {
        add(0,
            columns("phase", p.id.text, name_width, label_text(p.label), label_width, phase_bounds(p)),
            p.loc);
    }

    void decl(const ast::calendar_decl& c, std::size_t, std::size_t) {
        if (c.entries.empty()) {
            add(0, "calendar " + c.id.text + " {}", c.loc);
            return;
        }
        add(0, "calendar " + c.id.text + " {", c.loc, true);
        bool first = true;
        for (const auto& e : c.entries) {
            add(2, calendar_entry_source(e), e.loc, false, first);
            first = false;
        }
        add(0, "}", span{c.loc.end - 1, c.loc.end});
    }

    void decl(const ast::kind_decl& k, std::size_t name_width, std::size_t label_width) {
        std::string rest;
        if (!k.parents.empty()) {
            rest = "within ";
            for (std::size_t i = 0; i < k.parents.size(); ++i) rest += (i ? " | " : "") + k.parents[i].text;
        }
        if (k.fields.empty()) {
            add(0, columns("kind", k.id.text, name_width, label_text(k.label), label_width, rest), k.loc);
            return;
        }
        // A kind with fields stands alone, laid out as an event's fields are.
        std::string head = "kind " + k.id.text + (k.label ? " " + quote(*k.label) : "") + (rest.empty() ? "" : " " + rest);
        fields(head, k.fields, k.loc);
    }

    void fields(const std::string& head, const std::vector<ast::field_decl>& list, span loc) {
        add(0, head + " {", loc, true);
        std::size_t width = 0;
        for (const auto& f : list) width = std::max(width, f.id.text.size() + (f.optional ? 2 : 1));
        bool first = true;
        for (const auto& f : list) {
            add(2, pad(f.id.text + (f.optional ? "?:" : ":"), width) + " " + to_source(f.type), f.loc, false, first);
            first = false;
        }
        add(0, "}", span{loc.end - 1, loc.end});
    }

    void decl(const ast::event_decl& e, std::size_t, std::size_t) {
        std::string head = "event " + e.id.text + (e.label ? " " + quote(*e.label) : "");
        if (e.fields.empty()) {
            add(0, head + " {}", e.loc);
            return;
        }
        fields(head, e.fields, e.loc);
    }

    void decl(const ast::rule_decl& r, std::size_t, std::size_t) {
        add(0, std::string(r.outcome ? "outcome " : "obligation ") + r.id.text + (r.label ? " " + quote(*r.label) : "") +
                   " {",
            r.loc, true);
        std::size_t width = 0;
        for (const auto& c : r.clauses) width = std::max(width, std::string(ast::keyword_of(c)).size());
        bool first = true;
        for (const auto& c : r.clauses) {
            add(2, pad(ast::keyword_of(c), width) + " " + std::visit([](const auto& x) { return body(x); }, c),
                ast::span_of(c), false, first);
            first = false;
        }
        add(0, "}", span{r.loc.end - 1, r.loc.end});
    }

    static std::string body(const ast::cite_clause& c) { return quote(c.text); }
    static std::string body(const ast::each_clause& c) {
        std::string out = c.var.text + ": ";
        for (std::size_t i = 0; i < c.kinds.size(); ++i) out += (i ? " | " : "") + c.kinds[i].text;
        if (c.where) out += " where " + to_source(*c.where);
        return out;
    }
    static std::string body(const ast::during_clause& c) { return c.phase.text; }
    static std::string body(const ast::window_clause& c) { return to_source(c.from) + " to " + to_source(c.to); }
    static std::string body(const ast::every_clause& c) {
        std::string out = std::string(c.full ? "full " : "") + to_source(c.per);
        if (c.cumulative) out += " cumulative";
        if (c.cumulative_from) out += " from " + to_source(*c.cumulative_from);
        return out;
    }
    static std::string body(const ast::by_clause& c) { return to_source(c.date); }
    static std::string body(const ast::trigger_clause& c) {
        std::string out = c.outcome ? "outcome " + c.target.text : c.target.text;
        if (c.of_var) out += " of " + c.of_var->text;
        if (c.where) out += " where " + to_source(*c.where);
        return out + " within " + to_source(c.within);
    }
    static std::string body(const ast::require_clause& c) { return to_source(c.condition); }
    static std::string body(const ast::grace_clause& c) { return to_source(c.length); }
    static std::string body(const ast::warn_clause& c) { return to_source(c.length); }
    static std::string body(const ast::due_clause& c) { return to_source(c); }

    const source_file& source_;
    std::vector<ast::comment> comments_;
    detail::layout layout_;
};

}  // namespace

std::string format(const ast::file& file, const source_file& source) {
    formatter f(source);
    return f.run(file);
}

}  // namespace mandate::syntax
