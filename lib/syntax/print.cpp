#include "mandate/syntax/print.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace mandate::syntax {
namespace {

std::string two(int v) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d", v);
    return buf;
}

// ---------------------------------------------------------------- canonical source

int precedence(const ast::expr& e) {
    if (const auto* b = std::get_if<ast::binary>(&e.node)) {
        switch (b->op) {
            case ast::binop::or_: return 1;
            case ast::binop::and_: return 2;
            case ast::binop::eq: case ast::binop::ne: case ast::binop::lt: case ast::binop::le:
            case ast::binop::gt: case ast::binop::ge: case ast::binop::in: return 4;
            case ast::binop::add: case ast::binop::sub: return 5;
            case ast::binop::mul: case ast::binop::div: return 6;
        }
    }
    if (const auto* u = std::get_if<ast::unary>(&e.node)) return u->op == ast::unop::not_ ? 3 : 7;
    if (std::holds_alternative<ast::is_kind>(e.node)) return 4;
    return 8;
}

std::string kind_names(const std::vector<ast::name>& kinds) {
    std::string out;
    for (std::size_t i = 0; i < kinds.size(); ++i) out += (i ? " | " : "") + kinds[i].text;
    return out;
}

struct source_printer {
    std::string out;
    std::size_t list_items = SIZE_MAX;  // items printed of each list; the rest are counted

    void wrapped(const ast::expr& e, bool parens) {
        if (parens) out += '(';
        print(e);
        if (parens) out += ')';
    }

    void source(const ast::event_source& s) {
        out += s.event.text;
        if (s.field) out += "." + s.field->text;
        if (s.of_var) out += " of " + s.of_var->text;
        if (s.where) {
            out += " where ";
            print(**s.where);
        }
    }

    void print(const ast::expr& e) {
        std::visit([&](const auto& n) { node(e, n); }, e.node);
    }

    void node(const ast::expr&, const ast::number_lit& n) { out += n.text + (n.percent ? "%" : ""); }
    void node(const ast::expr&, const ast::bool_lit& b) { out += b.value ? "true" : "false"; }
    void node(const ast::expr&, const ast::string_lit& s) { out += quote(s.value); }
    void node(const ast::expr&, const ast::date_value& d) { out += to_source(d.value); }
    void node(const ast::expr&, const ast::duration_value& d) { out += to_source(d.value); }
    void node(const ast::expr&, const ast::name_ref& n) { out += n.text; }
    void node(const ast::expr&, const ast::list_lit& l) {
        out += '[';
        const std::size_t shown = std::min(l.items.size(), list_items);
        for (std::size_t i = 0; i < shown; ++i) {
            if (i) out += ", ";
            print(l.items[i]);
        }
        if (shown < l.items.size()) out += ", … " + std::to_string(l.items.size() - shown) + " more";
        out += ']';
    }
    void node(const ast::expr& self, const ast::unary& u) {
        out += u.op == ast::unop::not_ ? "not " : "-";
        wrapped(*u.operand, precedence(*u.operand) < precedence(self));
    }
    void node(const ast::expr& self, const ast::binary& b) {
        const int p = precedence(self);
        // Comparisons do not chain; other operators associate to the left.
        wrapped(*b.lhs, p == 4 ? precedence(*b.lhs) <= p : precedence(*b.lhs) < p);
        out += ' ';
        out += ast::to_string(b.op);
        out += ' ';
        wrapped(*b.rhs, precedence(*b.rhs) <= p);
    }
    void node(const ast::expr&, const ast::aggregate& a) {
        out += ast::to_string(a.kind);
        out += '(';
        source(a.source);
        if (a.predicate) {
            out += ": ";
            print(**a.predicate);
        }
        if (a.kind == ast::aggregate_kind::coverage) {
            out += ", ";
            for (std::size_t i = 0; i < a.kinds.size(); ++i) out += (i ? " | " : "") + a.kinds[i].text;
            if (a.within_var) out += " within " + a.within_var->text;
        }
        out += ')';
    }
    void node(const ast::expr&, const ast::streak& s) {
        out += "streak(" + to_source(s.per) + ", ";
        print(*s.body);
        out += ')';
    }
    void node(const ast::expr&, const ast::window_call& w) {
        out += std::string(w.kind == ast::window_kind::peak ? "peak(" : "earlier(") + to_source(w.length) + ", ";
        print(*w.body);
        out += ')';
    }
    void node(const ast::expr&, const ast::violations& v) {
        out += v.distinct ? "violated_obligations(" : "violations(";
        for (std::size_t i = 0; i < v.obligations.size(); ++i) out += (i ? ", " : "") + v.obligations[i].text;
        out += std::string(v.obligations.empty() ? "" : " ") + (v.within ? "within " : "of ") + v.of_var.text + ")";
    }
    void node(const ast::expr&, const ast::member& m) { out += m.object.text + "." + m.field.text; }
    void node(const ast::expr& self, const ast::is_kind& k) {
        wrapped(*k.operand, precedence(*k.operand) <= precedence(self));
        out += " is " + kind_names(k.kinds);
    }
    void node(const ast::expr&, const ast::units_call& u) {
        out += u.form == ast::units_form::all ? "all_units(" : u.form == ast::units_form::any ? "any_unit(" : "units(";
        if (u.var) out += u.var->text + ": ";
        out += kind_names(u.kinds) + " within " + u.within_var.text;
        if (u.predicate) {
            out += u.form == ast::units_form::count ? " where " : ": ";
            print(**u.predicate);
        }
        out += ')';
    }
    void node(const ast::expr&, const ast::rank& r) {
        out += "rank(" + r.var.text + " by ";
        print(*r.by);
        if (r.ascending) out += " ascending";
        out += " among " + kind_names(r.kinds);
        if (r.within_var) out += " within " + r.within_var->text;
        out += ')';
    }
    void node(const ast::expr&, const ast::fired& f) { out += "fired(" + f.outcome.text + " of " + f.of_var.text + ")"; }
};

// ---------------------------------------------------------------- S-expressions

struct sexpr_printer {
    const source_file* positions;
    std::string out;

    std::string at(span s) const {
        if (!positions) return "";
        const position p = positions->position_of(s.begin);
        return " @" + std::to_string(p.line) + ":" + std::to_string(p.column);
    }

    void label(const std::optional<std::string>& l) {
        if (l) out += " " + quote(*l);
    }

    void names(const std::vector<ast::name>& ns) {
        for (const auto& n : ns) out += " " + n.text;
    }

    void type(const ast::field_type& t) {
        switch (t.base) {
            case ast::base_type::ref:
                out += "(ref";
                names(t.ref_kinds);
                out += ")";
                break;
            case ast::base_type::set:
                out += "(set ";
                if (t.element) type(**t.element);
                out += ")";
                break;
            default: out += ast::to_string(t.base);
        }
    }

    void source(const ast::event_source& s) {
        out += " " + s.event.text;
        if (s.field) out += "." + s.field->text;
        if (s.of_var) out += " (of " + s.of_var->text + ")";
        if (s.where) {
            out += " (where ";
            expr(**s.where);
            out += ")";
        }
    }

    void expr(const ast::expr& e) {
        std::visit([&](const auto& n) { node(e, n); }, e.node);
    }

    void node(const ast::expr& e, const ast::number_lit& n) {
        out += n.percent ? "(percent " + n.text + " = " + n.value.to_fraction_string() + at(e.loc) + ")"
                         : "(number " + n.text + " = " + n.value.to_fraction_string() + at(e.loc) + ")";
    }
    void node(const ast::expr& e, const ast::bool_lit& b) { out += std::string(b.value ? "true" : "false") + at(e.loc); }
    void node(const ast::expr& e, const ast::string_lit& s) { out += "(string " + quote(s.value) + at(e.loc) + ")"; }
    void node(const ast::expr& e, const ast::date_value& d) { out += "(date " + to_source(d.value) + at(e.loc) + ")"; }
    void node(const ast::expr& e, const ast::duration_value& d) {
        out += "(duration " + to_source(d.value) + at(e.loc) + ")";
    }
    void node(const ast::expr& e, const ast::name_ref& n) { out += "(name " + n.text + at(e.loc) + ")"; }
    void node(const ast::expr& e, const ast::list_lit& l) {
        out += "(list" + at(e.loc);
        for (const auto& item : l.items) {
            out += " ";
            expr(item);
        }
        out += ")";
    }
    void node(const ast::expr& e, const ast::unary& u) {
        out += std::string("(") + (u.op == ast::unop::not_ ? "not" : "neg") + at(e.loc) + " ";
        expr(*u.operand);
        out += ")";
    }
    void node(const ast::expr& e, const ast::binary& b) {
        out += std::string("(") + ast::to_string(b.op) + at(e.loc) + " ";
        expr(*b.lhs);
        out += " ";
        expr(*b.rhs);
        out += ")";
    }
    void node(const ast::expr& e, const ast::aggregate& a) {
        out += std::string("(") + ast::to_string(a.kind) + at(e.loc);
        source(a.source);
        if (a.predicate) {
            out += " (: ";
            expr(**a.predicate);
            out += ")";
        }
        if (a.kind == ast::aggregate_kind::coverage) {
            out += " (kinds";
            names(a.kinds);
            out += ")";
            if (a.within_var) out += " (within " + a.within_var->text + ")";
        }
        out += ")";
    }
    void node(const ast::expr& e, const ast::streak& s) {
        out += "(streak" + at(e.loc) + " " + to_source(s.per) + " ";
        expr(*s.body);
        out += ")";
    }
    void node(const ast::expr& e, const ast::window_call& w) {
        out += std::string(w.kind == ast::window_kind::peak ? "(peak" : "(earlier") + at(e.loc) + " " + to_source(w.length) + " ";
        expr(*w.body);
        out += ")";
    }
    void node(const ast::expr& e, const ast::violations& v) {
        out += std::string(v.distinct ? "(violated_obligations" : "(violations") + at(e.loc);
        names(v.obligations);
        out += std::string(v.within ? " (within " : " (of ") + v.of_var.text + "))";
    }
    void node(const ast::expr& e, const ast::member& m) {
        out += "(member" + at(e.loc) + " " + m.object.text + " " + m.field.text + ")";
    }
    void node(const ast::expr& e, const ast::is_kind& k) {
        out += "(is" + at(e.loc) + " ";
        expr(*k.operand);
        names(k.kinds);
        out += ")";
    }
    void node(const ast::expr& e, const ast::units_call& u) {
        out += std::string(u.form == ast::units_form::all ? "(all_units" : u.form == ast::units_form::any ? "(any_unit" : "(units") +
               at(e.loc);
        if (u.var) out += " (var " + u.var->text + ")";
        out += " (kinds";
        names(u.kinds);
        out += ") (within " + u.within_var.text + ")";
        if (u.predicate) {
            out += " (: ";
            expr(**u.predicate);
            out += ")";
        }
        out += ")";
    }
    void node(const ast::expr& e, const ast::rank& r) {
        out += "(rank" + at(e.loc) + " " + r.var.text + " (by ";
        expr(*r.by);
        out += std::string(")") + (r.ascending ? " ascending" : "") + " (among";
        names(r.kinds);
        out += ")";
        if (r.within_var) out += " (within " + r.within_var->text + ")";
        out += ")";
    }
    void node(const ast::expr& e, const ast::fired& f) {
        out += "(fired" + at(e.loc) + " " + f.outcome.text + " (of " + f.of_var.text + "))";
    }

    void clause(const ast::clause& c) {
        out += "\n  (";
        std::visit([&](const auto& x) { clause_body(x); }, c);
        out += ")";
    }
    void clause_body(const ast::cite_clause& c) { out += "cite" + at(c.loc) + " " + quote(c.text); }
    void clause_body(const ast::each_clause& c) {
        out += "each" + at(c.loc) + " " + c.var.text;
        names(c.kinds);
        if (c.where) {
            out += " (where ";
            expr(*c.where);
            out += ")";
        }
    }
    void clause_body(const ast::during_clause& c) { out += "during" + at(c.loc) + " " + c.phase.text; }
    void clause_body(const ast::window_clause& c) {
        out += "from" + at(c.loc) + " " + to_source(c.from) + " " + to_source(c.to);
    }
    void clause_body(const ast::every_clause& c) {
        out += "every" + at(c.loc) + (c.full ? " full " : " ") + to_source(c.per);
        if (c.cumulative) out += " cumulative";
        if (c.cumulative_from) out += " " + to_source(*c.cumulative_from);
    }
    void clause_body(const ast::by_clause& c) { out += "by" + at(c.loc) + " " + to_source(c.date); }
    void clause_body(const ast::trigger_clause& c) {
        out += std::string(c.before ? "before" : "after") + at(c.loc) + (c.outcome ? " (outcome " : " (event ") +
               c.target.text;
        if (c.of_var) out += " (of " + c.of_var->text + ")";
        if (c.where) {
            out += " (where ";
            expr(*c.where);
            out += ")";
        }
        out += ") " + to_source(c.within);
    }
    void clause_body(const ast::require_clause& c) {
        out += std::string(c.when ? "when" : "require") + at(c.loc) + " ";
        expr(c.condition);
    }
    void clause_body(const ast::grace_clause& c) { out += "grace" + at(c.loc) + " " + to_source(c.length); }
    void clause_body(const ast::warn_clause& c) { out += "warn" + at(c.loc) + " " + to_source(c.length); }
    void clause_body(const ast::due_clause& c) { out += "due" + at(c.loc) + " " + to_source(c); }

    void declaration(const ast::declaration& d) { std::visit([&](const auto& x) { decl(x); }, d); }

    void decl(const ast::plan_decl& p) {
        out += "(plan " + p.id.text + at(p.loc);
        for (const auto& prop : p.properties) {
            out += "\n  (" + prop.key.text + at(prop.loc);
            if (prop.text) out += " " + quote(*prop.text);
            if (prop.word) out += " " + prop.word->text;
            if (prop.number) out += " " + std::to_string(*prop.number);
            out += ")";
        }
        out += ")\n";
    }
    void decl(const ast::phase_decl& p) {
        out += "(phase " + p.id.text + at(p.loc);
        label(p.label);
        out += " " + (p.by_events ? phase_bounds(p) : to_source(p.from) + " " + to_source(p.to)) + ")\n";
    }
    void decl(const ast::calendar_decl& c) {
        out += "(calendar " + c.id.text + at(c.loc);
        for (const auto& e : c.entries) out += "\n  (" + calendar_entry_source(e) + at(e.loc) + ")";
        out += ")\n";
    }
    void decl(const ast::kind_decl& k) {
        out += "(kind " + k.id.text + at(k.loc);
        label(k.label);
        if (!k.parents.empty()) {
            out += " (within";
            names(k.parents);
            out += ")";
        }
        for (const auto& f : k.fields) {
            out += "\n  (field " + f.id.text + (f.optional ? "? " : " ");
            type(f.type);
            out += at(f.loc) + ")";
        }
        out += ")\n";
    }
    void decl(const ast::event_decl& e) {
        out += "(event " + e.id.text + at(e.loc);
        label(e.label);
        for (const auto& f : e.fields) {
            out += "\n  (field " + f.id.text + (f.optional ? "? " : " ");
            type(f.type);
            out += at(f.loc) + ")";
        }
        out += ")\n";
    }
    void decl(const ast::rule_decl& r) {
        out += std::string("(") + (r.outcome ? "outcome " : "obligation ") + r.id.text + at(r.loc);
        label(r.label);
        for (const auto& c : r.clauses) clause(c);
        out += ")\n";
    }
};

}  // namespace

std::string quote(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
                    char buf[16];
                    std::snprintf(buf, sizeof buf, "\\u{%X}", static_cast<unsigned>(static_cast<unsigned char>(c)));
                    out += buf;
                } else {
                    out += c;
                }
        }
    }
    return out + "\"";
}

std::string to_source(const ast::duration& d) {
    return std::to_string(d.count) + " " + ast::to_string(d.unit, d.count != 1);
}

std::string to_source(const ast::period& p) {
    if (!p.counted) return ast::to_string(p.unit);
    return std::to_string(p.count) + " " + ast::to_string(p.unit) + (p.count == 1 ? "" : "s");
}

std::string to_source(const ast::due_clause& c) {
    if (c.day_form) return "day " + std::to_string(c.day) + (c.after ? " after" : "");
    return to_source(c.length) + " after";
}

std::string phase_bounds(const ast::phase_decl& p) {
    if (!p.by_events) return "from " + to_source(p.from) + " to " + to_source(p.to);
    std::string out = "from event " + p.start_event.text + " to event " + p.end_event.text;
    if (p.at_most) out += " at most " + to_source(*p.at_most);
    return out;
}

std::string calendar_entry_source(const ast::calendar_entry& e) {
    std::string out;
    switch (e.kind) {
        case ast::calendar_entry_kind::holiday:
            out = "holiday " + to_source(e.from);
            if (e.to) out += " to " + to_source(*e.to);
            break;
        case ast::calendar_entry_kind::workday: out = "workday " + to_source(e.from); break;
        case ast::calendar_entry_kind::weekend:
            out = "weekend";
            for (std::size_t i = 0; i < e.days.size(); ++i) out += (i ? ", " : " ") + e.days[i].text;
            return out;
    }
    if (e.label) out += " " + quote(*e.label);
    return out;
}

std::string to_source(const ast::date_lit& d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%s-%s", d.year, two(d.month).c_str(), two(d.day).c_str());
    return buf;
}

std::string to_source(const ast::field_type& t) {
    switch (t.base) {
        case ast::base_type::ref: {
            std::string out = "ref ";
            for (std::size_t i = 0; i < t.ref_kinds.size(); ++i) out += (i ? " | " : "") + t.ref_kinds[i].text;
            return out;
        }
        case ast::base_type::set: return "set<" + (t.element ? to_source(**t.element) : std::string("?")) + ">";
        default: return ast::to_string(t.base);
    }
}

std::string to_source(const ast::expr& e) {
    source_printer p;
    p.print(e);
    return std::move(p.out);
}

std::string to_short_source(const ast::expr& e) {
    source_printer p;
    p.list_items = short_list_items;
    p.print(e);
    return std::move(p.out);
}

std::string to_sexpr(const ast::file& file, const source_file* positions) {
    sexpr_printer p{positions, {}};
    for (const auto& d : file.declarations) p.declaration(d);
    return std::move(p.out);
}

std::string to_sexpr(const ast::expr& e, const source_file* positions) {
    sexpr_printer p{positions, {}};
    p.expr(e);
    return std::move(p.out);
}

}  // namespace mandate::syntax
