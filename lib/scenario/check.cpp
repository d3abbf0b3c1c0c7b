// The scenario checker: resolves a parsed test file against a compiled plan, turning typed
// entities and events into the JSON records a host would send, and expectations into
// resolved checks. Every problem is reported, each at its spot, in one pass.
#include <algorithm>
#include <map>
#include <set>

#include "mandate/check/check.hpp"
#include "mandate/ingest/records.hpp"
#include "mandate/report/report_writer.hpp"
#include "mandate/scenario/scenario.hpp"
#include "mandate/syntax/print.hpp"
#include "mandate/syntax/scenario.hpp"

namespace mandate::scenario {
namespace {

namespace sa = ast::scenario;


// A literal number, possibly negated: `3`, `0.5`, `15%`, `-2`.
struct number_literal {
    rational value;
    bool percent = false;
};

std::optional<number_literal> number_of(const ast::expr& e) {
    if (const auto* n = std::get_if<ast::number_lit>(&e.node)) return number_literal{n->value, n->percent};
    if (const auto* u = std::get_if<ast::unary>(&e.node); u && u->op == ast::unop::neg)
        if (auto inner = number_of(*u->operand)) return number_literal{-inner->value, inner->percent};
    return std::nullopt;
}

// What a written value is, for "takes a number, not a string".
struct literal_describer {
    std::string operator()(const ast::string_lit&) const { return "a string"; }
    std::string operator()(const ast::bool_lit&) const { return "true or false"; }
    std::string operator()(const ast::date_value&) const { return "a date"; }
    std::string operator()(const ast::duration_value&) const { return "a duration"; }
    std::string operator()(const ast::list_lit&) const { return "a list"; }
    std::string operator()(const ast::name_ref&) const { return "a name"; }
    std::string operator()(const ast::aggregate&) const { return "an aggregate"; }
    template <class T>
    std::string operator()(const T&) const { return "an expression"; }
};

std::string describe_literal(const ast::expr& e) {
    if (auto n = number_of(e)) return n->percent ? "a percent" : "a number";
    return std::visit(literal_describer{}, e.node);
}

// What a field of type `t` takes, for messages.
std::string describe_field_type(const check::type& t) {
    switch (t.kind) {
        case check::type_kind::integer: return "an int (a whole number)";
        case check::type_kind::number: return "a number";
        case check::type_kind::boolean: return "true or false";
        case check::type_kind::text: return "a text (a string in quotes)";
        case check::type_kind::date: return "a date";
        case check::type_kind::ref: return "an entity id";
        case check::type_kind::set: return "a set (a list in brackets, as in [\"a\", \"b\"])";
        default: return check::describe(t);
    }
}

std::string collapse_spaces(std::string_view text) {
    std::string out;
    bool space = false;
    for (const char c : text) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

class checker {
public:
    checker(const sa::file& file, const source_file& source, const graph::compiled_plan& plan)
        : file_(file), source_(source), plan_(plan), model_(plan.model()) {}

    result<suite> run() {
        suite out;
        out.file = source_.name();
        check_plan_line(out);
        collect_given_scope();
        std::map<std::string, span> test_names;
        std::size_t given_events = 0;
        for (const auto& d : file_.declarations) {
            if (const auto* g = std::get_if<sa::given_block>(&d)) {
                scope_ = given_scope_;
                for (const auto& s : g->statements) {
                    if (std::holds_alternative<sa::as_of_stmt>(s) || std::holds_alternative<sa::expect_stmt>(s)) {
                        error(sa::span_of(s), std::string("a given block holds records only (entity, event, retract, "
                                                          "record); put '") + sa::keyword_of(s) + "' in a test");
                        continue;
                    }
                    if (auto r = record_of(s, "given", given_events)) out.given.push_back(std::move(*r));
                }
            }
        }
        for (const auto& d : file_.declarations) {
            const auto* t = std::get_if<sa::test_block>(&d);
            if (!t) continue;
            if (auto [it, fresh] = test_names.emplace(t->id.text, t->id.loc); !fresh)
                error(t->id.loc, "test '" + t->id.text + "' is declared twice (first at " + at(it->second) + ")");
            out.tests.push_back(check_test(*t));
        }
        if (out.tests.empty() && diagnostics_.empty())
            error(span{0, 0}, "this file holds no test: write one as test NAME \"label\" { ... }");
        if (!diagnostics_.empty()) return result<suite>(std::move(diagnostics_));
        return result<suite>(std::move(out));
    }

private:
    void error(span where, std::string message) { diagnostics_.push_back(make_diagnostic(source_, where, std::move(message))); }

    std::string written_text(span s) const {
        return std::string(std::string_view(source_.text()).substr(s.begin, s.end - s.begin));
    }

    std::string at(span s) const {
        const position p = source_.position_of(s.begin);
        return std::to_string(p.line) + ":" + std::to_string(p.column);
    }

    std::optional<calendar::day> date_of(const ast::date_lit& d) {
        if (auto problem = check::date_problem(d)) {
            error(d.loc, std::move(*problem));
            return std::nullopt;
        }
        return calendar::from_ymd(d.year, d.month, d.day);
    }

    // ------------------------------------------------------------ the plan line

    void check_plan_line(suite& out) {
        const sa::plan_ref* first = nullptr;
        for (const auto& d : file_.declarations) {
            const auto* p = std::get_if<sa::plan_ref>(&d);
            if (!p) continue;
            if (first) {
                error(p->loc, "a second plan line: a test file tests one plan (the first line is at " + at(first->loc) + ")");
                continue;
            }
            first = p;
            out.plan = p->id.text;
            if (p->id.text != model_.id)
                error(p->id.loc, "this file tests plan '" + p->id.text + "', but the rule file is plan '" + model_.id + "'");
        }
        if (!first) error(span{0, 0}, "a test file names the plan it tests first: plan " + model_.id);
    }

    // ------------------------------------------------------------ entities in scope

    // Entities a block declares: typed entities, and entities in raw records.
    void collect_scope(const std::vector<sa::statement>& statements, std::map<std::string, int>& into) {
        for (const auto& s : statements) {
            if (const auto* e = std::get_if<sa::entity_stmt>(&s)) {
                into.emplace(e->id.text, model_.find_kind(e->kind.text));
            } else if (const auto* r = std::get_if<sa::record_stmt>(&s)) {
                if (raw_parser_.parse(r->json) && raw_parser_.record().kind == io::record_kind::entity)
                    into.emplace(std::string(raw_parser_.record().entity), raw_parser_.record().kind_index);
            }
        }
    }

    void collect_given_scope() {
        for (const auto& d : file_.declarations)
            if (const auto* g = std::get_if<sa::given_block>(&d)) collect_scope(g->statements, given_scope_);
    }

    std::vector<std::string> scope_ids() const {
        std::vector<std::string> ids;
        for (const auto& [id, kind] : scope_) ids.push_back(id);
        return ids;
    }

    // The kind of a declared entity; nullopt (with an error) when it is not declared.
    std::optional<int> entity_kind(const sa::entity_ref& r) {
        const auto it = scope_.find(r.text);
        if (it != scope_.end()) return it->second;
        const std::string hint = check::did_you_mean(r.text, scope_ids());
        error(r.loc, "unknown entity '" + r.text + "'" +
                         (hint.empty() ? std::string(": declare it with 'entity ") + r.text + ": KIND' in this test or a given block"
                                       : hint));
        return std::nullopt;
    }

    std::string kind_name(int k) const {
        return k >= 0 && static_cast<std::size_t>(k) < model_.kinds.size() ? model_.kinds[static_cast<std::size_t>(k)].id
                                                                           : std::string("?");
    }

    std::string kinds_text(const std::vector<int>& kinds) const {
        std::string out;
        for (std::size_t i = 0; i < kinds.size(); ++i) out += (i ? (i + 1 == kinds.size() ? " or " : ", ") : "") + kind_name(kinds[i]);
        return out;
    }

    // ------------------------------------------------------------ records

    std::optional<record_step> record_of(const sa::statement& s, const std::string& block, std::size_t& auto_ids) {
        if (const auto* e = std::get_if<sa::entity_stmt>(&s)) return entity_record(*e);
        if (const auto* e = std::get_if<sa::event_stmt>(&s)) return event_record(*e, block, auto_ids);
        if (const auto* r = std::get_if<sa::retract_stmt>(&s))
            return record_step{r->loc, "{\"retract\": " + io::json_string(r->id.text) + "}"};
        if (const auto* r = std::get_if<sa::record_stmt>(&s)) return record_step{r->loc, r->json};
        return std::nullopt;
    }

    std::optional<record_step> entity_record(const sa::entity_stmt& e) {
        bool ok = true;
        const int kind = model_.find_kind(e.kind.text);
        if (kind < 0) {
            error(e.kind.loc, "unknown kind '" + e.kind.text + "'" + check::did_you_mean(e.kind.text, kind_ids()));
            ok = false;
        }
        std::string json = "{\"entity\": " + io::json_string(e.id.text) + ", \"kind\": " + io::json_string(e.kind.text);
        if (e.parent) {
            const auto parent_kind = entity_kind(*e.parent);
            if (!parent_kind) {
                ok = false;
            } else if (kind >= 0 && *parent_kind >= 0) {
                const auto& allowed = model_.kinds[static_cast<std::size_t>(kind)].parents;
                if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), *parent_kind) == allowed.end()) {
                    error(e.parent->loc, "a " + e.kind.text + " may not be within a " + kind_name(*parent_kind) + " (" +
                                             e.parent->text + "): kind " + e.kind.text + " is within " + kinds_text(allowed));
                    ok = false;
                }
            }
            json += ", \"parent\": " + io::json_string(e.parent->text);
        }
        if (e.label) json += ", \"name\": " + io::json_string(*e.label);
        std::set<std::string> seen;
        for (const auto& o : e.options) {
            if (!seen.insert(o.key.text).second) {
                error(o.loc, "'" + o.key.text + "' is given twice for entity " + e.id.text);
                ok = false;
                continue;
            }
            if (o.key.text == "version") {
                json += ", \"version\": " + std::to_string(o.number);
            } else if (auto d = date_of(*o.date)) {
                json += ", \"" + o.key.text + "\": \"" + calendar::to_iso(*d) + "\"";
            } else {
                ok = false;
            }
        }
        // The kind's fields, typed as the kind declares them (LANGUAGE-v2.md section 1).
        if (kind >= 0) {
            const check::kind& kd = model_.kinds[static_cast<std::size_t>(kind)];
            std::set<std::string> given;
            for (const auto& f : e.fields) {
                const int index = kd.find_field(f.field.text);
                if (index < 0) {
                    std::vector<std::string> names;
                    for (const auto& x : kd.fields) names.push_back(x.id);
                    std::string hint = check::did_you_mean(f.field.text, names);
                    error(f.field.loc, "kind '" + kd.id + "' has no field '" + f.field.text + "'" +
                                           (hint.empty() ? (names.empty() ? std::string(": it declares none")
                                                                          : ": its fields are " + join(names))
                                                         : hint));
                    ok = false;
                    continue;
                }
                if (!given.insert(f.field.text).second) {
                    error(f.field.loc, "field '" + f.field.text + "' is given twice");
                    ok = false;
                    continue;
                }
                const check::field& decl = kd.fields[static_cast<std::size_t>(index)];
                if (auto value = json_value(f.value, decl.t, decl.id)) json += ", " + io::json_string(decl.id) + ": " + *value;
                else ok = false;
            }
            std::vector<std::string> missing;
            for (const auto& x : kd.fields)
                if (!x.optional && !given.count(x.id)) missing.push_back(x.id);
            if (!missing.empty()) {
                error(e.kind.loc, "a " + kd.id + " needs " + (missing.size() == 1 ? "field " : "fields ") + join(missing) +
                                      ": write them after the entity, as in { " + missing.front() + ": ... }");
                ok = false;
            }
        }
        json += "}";
        if (!ok) return std::nullopt;
        return record_step{e.loc, std::move(json)};
    }

    std::vector<std::string> kind_ids() const {
        std::vector<std::string> ids;
        for (const auto& k : model_.kinds) ids.push_back(k.id);
        return ids;
    }

    std::optional<record_step> event_record(const sa::event_stmt& e, const std::string& block, std::size_t& auto_ids) {
        bool ok = true;
        const sa::entity_ref& type_word = e.words[e.words.size() - 2];
        const sa::entity_ref& unit_word = e.words.back();
        std::string id;
        if (e.words.size() == 3) id = e.words.front().text;
        else id = block + "." + std::to_string(++auto_ids);

        if (type_word.quoted) {
            error(type_word.loc, "an event type is written as a name, not in quotes");
            return std::nullopt;
        }
        const int type = model_.find_event(type_word.text);
        if (type < 0) {
            std::vector<std::string> ids;
            for (const auto& ev : model_.events) ids.push_back(ev.id);
            error(type_word.loc, "unknown event type '" + type_word.text + "'" + check::did_you_mean(type_word.text, ids));
            ok = false;
        }
        if (!entity_kind(unit_word)) ok = false;
        if (auto d = date_of(e.time.date)) {
            if (!calendar::parse_time(e.time.text, model_.utc_offset_minutes)) {
                error(e.time.loc, "'" + e.time.text + "' is not a time: write YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS, "
                                  "optionally followed by Z or an offset like +08:00");
                ok = false;
            }
        } else {
            ok = false;
        }
        std::string json = "{\"id\": " + io::json_string(id) + ", \"type\": " + io::json_string(type_word.text) +
                           ", \"time\": " + io::json_string(e.time.text) + ", \"unit\": " + io::json_string(unit_word.text);
        if (type >= 0) {
            const check::event_type& ev = model_.events[static_cast<std::size_t>(type)];
            std::set<std::string> given;
            for (const auto& f : e.fields) {
                const int index = ev.find_field(f.field.text);
                if (index >= 0 && index < check::first_declared_field) {
                    error(f.field.loc, "'" + f.field.text + "' is written before the braces: event [ID] TYPE UNIT TIME { ... }");
                    ok = false;
                    continue;
                }
                if (index < 0) {
                    std::vector<std::string> names;
                    for (std::size_t i = check::first_declared_field; i < ev.fields.size(); ++i) names.push_back(ev.fields[i].id);
                    std::string hint = check::did_you_mean(f.field.text, names);
                    error(f.field.loc, "event type '" + ev.id + "' has no field '" + f.field.text + "'" +
                                           (hint.empty() ? (names.empty() ? std::string(": it declares none")
                                                                          : ": its fields are " + join(names))
                                                         : hint));
                    ok = false;
                    continue;
                }
                if (!given.insert(f.field.text).second) {
                    error(f.field.loc, "field '" + f.field.text + "' is given twice");
                    ok = false;
                    continue;
                }
                const check::field& decl = ev.fields[static_cast<std::size_t>(index)];
                if (auto value = json_value(f.value, decl.t, decl.id)) json += ", " + io::json_string(decl.id) + ": " + *value;
                else ok = false;
            }
            std::vector<std::string> missing;
            for (std::size_t i = check::first_declared_field; i < ev.fields.size(); ++i)
                if (!ev.fields[i].optional && !given.count(ev.fields[i].id)) missing.push_back(ev.fields[i].id);
            if (!missing.empty()) {
                error(type_word.loc, "event " + ev.id + " needs " + (missing.size() == 1 ? "field " : "fields ") + join(missing) +
                                         (e.has_fields ? "" : ": write them in braces, as in { " + missing.front() + ": ... }"));
                ok = false;
            }
        }
        json += "}";
        if (!ok) return std::nullopt;
        return record_step{e.loc, std::move(json)};
    }

    static std::string join(const std::vector<std::string>& names) {
        std::string out;
        for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
        return out;
    }

    // The JSON text of a field value of type `t`; nullopt (with an error) when it does not fit.
    std::optional<std::string> json_value(const ast::expr& e, const check::type& t, const std::string& field) {
        auto mismatch = [&] {
            error(e.loc, "field '" + field + "' takes " + describe_field_type(t) + ", not " + describe_literal(e));
            return std::nullopt;
        };
        switch (t.kind) {
            case check::type_kind::integer: {
                auto n = number_of(e);
                if (!n || n->percent) return mismatch();
                if (!n->value.is_integer()) {
                    error(e.loc, "field '" + field + "' takes an int (a whole number), not " + n->value.to_string());
                    return std::nullopt;
                }
                return n->value.to_string();
            }
            case check::type_kind::number: {
                auto n = number_of(e);
                if (!n) return mismatch();
                if (!n->value.is_decimal(6)) {
                    error(e.loc, "field '" + field + "' holds at most 6 digits after the point, not " + n->value.to_string());
                    return std::nullopt;
                }
                return n->value.to_string();
            }
            case check::type_kind::boolean:
                if (const auto* b = std::get_if<ast::bool_lit>(&e.node)) return std::string(b->value ? "true" : "false");
                return mismatch();
            case check::type_kind::text:
                if (const auto* s = std::get_if<ast::string_lit>(&e.node)) return io::json_string(s->value);
                return mismatch();
            case check::type_kind::date:
                if (const auto* d = std::get_if<ast::date_value>(&e.node)) {
                    if (auto day = date_of(d->value)) return "\"" + calendar::to_iso(*day) + "\"";
                    return std::nullopt;
                }
                return mismatch();
            case check::type_kind::ref: {
                std::string id;
                if (const auto* n = std::get_if<ast::name_ref>(&e.node)) id = n->text;
                else if (const auto* s = std::get_if<ast::string_lit>(&e.node)) id = s->value;
                else return mismatch();
                return ref_value(sa::entity_ref{e.loc, id, false}, t.kinds, field);
            }
            case check::type_kind::set: {
                const auto* list = std::get_if<ast::list_lit>(&e.node);
                if (!list) return mismatch();
                check::type element = check::type::of(t.element);
                element.kinds = t.kinds;
                std::string out = "[";
                bool ok = true;
                for (std::size_t i = 0; i < list->items.size(); ++i) {
                    auto item = json_value(list->items[i], element, field);
                    if (!item) ok = false;
                    else out += (i ? ", " : "") + *item;
                }
                if (!ok) return std::nullopt;
                return out + "]";
            }
            default: return mismatch();
        }
    }

    std::optional<std::string> ref_value(const sa::entity_ref& r, const std::vector<int>& kinds, const std::string& field) {
        const auto kind = entity_kind(r);
        if (!kind) return std::nullopt;
        if (!kinds.empty() && *kind >= 0 && std::find(kinds.begin(), kinds.end(), *kind) == kinds.end()) {
            error(r.loc, "field '" + field + "' names a " + kinds_text(kinds) + ", and " + r.text + " is a " + kind_name(*kind));
            return std::nullopt;
        }
        return io::json_string(r.text);
    }

    // ------------------------------------------------------------ tests

    test_case check_test(const sa::test_block& t) {
        test_case out;
        out.loc = t.id.loc;
        out.name = t.id.text;
        out.label = t.label.value_or("");
        scope_ = given_scope_;
        collect_scope(t.statements, scope_);
        std::size_t auto_ids = 0;
        bool have_as_of = false;
        for (const auto& s : t.statements) {
            if (const auto* a = std::get_if<sa::as_of_stmt>(&s)) {
                if (auto d = date_of(a->date)) out.steps.push_back(checkpoint{a->loc, *d});
                have_as_of = true;
            } else if (const auto* x = std::get_if<sa::expect_stmt>(&s)) {
                if (!have_as_of) {
                    error(x->loc, "an expectation needs a date: write 'as_of DATE' before it");
                    have_as_of = true;  // once per test is enough
                }
                if (auto e = check_expect(*x)) out.steps.push_back(std::move(*e));
            } else if (auto r = record_of(s, t.id.text, auto_ids)) {
                out.steps.push_back(std::move(*r));
            }
        }
        return out;
    }

    std::vector<std::string> rule_ids(bool outcomes) const {
        std::vector<std::string> ids;
        for (const auto& r : model_.rules)
            if (r.outcome == outcomes) ids.push_back(r.id);
        return ids;
    }

    // The rule a reference names, in the namespace the expectation asks for.
    int resolve_rule(const sa::bucket_ref& ref, check_kind k) {
        const std::string& id = ref.rule.text;
        const int obligation = model_.find_obligation(id), outcome = model_.find_outcome(id);
        const bool wants_outcome = k == check_kind::fired || k == check_kind::final;
        if (k == check_kind::absent) {
            if (obligation >= 0 || outcome >= 0) return obligation >= 0 ? obligation : outcome;
            std::vector<std::string> ids = rule_ids(false), more = rule_ids(true);
            ids.insert(ids.end(), more.begin(), more.end());
            error(ref.rule.loc, "unknown obligation or outcome '" + id + "'" + check::did_you_mean(id, ids));
            return -1;
        }
        if (wants_outcome && outcome >= 0) return outcome;
        if (!wants_outcome && obligation >= 0) return obligation;
        if (wants_outcome && obligation >= 0) {
            error(ref.rule.loc, "'" + id + "' is an obligation: expect its status (== satisfied, violated or pending), "
                                "met or at_risk; only outcomes are fired or final");
            return -1;
        }
        if (!wants_outcome && outcome >= 0) {
            error(ref.rule.loc, "'" + id + "' is an outcome: expect it fired or final (or not); only obligations have "
                                "a status, met, at_risk, a value or a reason");
            return -1;
        }
        error(ref.rule.loc, std::string("unknown ") + (wants_outcome ? "outcome" : "obligation") + " '" + id + "'" +
                                check::did_you_mean(id, rule_ids(wants_outcome)));
        return -1;
    }

    std::optional<bucket_selector> selector_of(const sa::bucket_form& b) {
        switch (b.k) {
            case sa::bucket_form::kind::date:
                if (auto d = date_of(b.from)) return bucket_selector::on(*d);
                return std::nullopt;
            case sa::bucket_form::kind::range: {
                auto from = date_of(b.from);
                auto to = date_of(b.to);
                if (!from || !to) return std::nullopt;
                if (*to < *from) {
                    error(b.loc, "the period ends before it starts: write FROM..TO with FROM on or before TO");
                    return std::nullopt;
                }
                return bucket_selector::between(*from, *to);
            }
            case sa::bucket_form::kind::month: {
                const std::string text = std::to_string(b.from.year) + "-" + (b.from.month < 10 ? "0" : "") + std::to_string(b.from.month);
                if (b.from.year < calendar::min_year || b.from.year > calendar::max_year) {
                    error(b.loc, text + " is not a supported month: years run from " + std::to_string(calendar::min_year) +
                                     " to " + std::to_string(calendar::max_year));
                    return std::nullopt;
                }
                if (b.from.month < 1 || b.from.month > 12) {
                    error(b.loc, text + " is not a month: there is no month " + std::to_string(b.from.month));
                    return std::nullopt;
                }
                return bucket_selector::month(b.from.year, b.from.month);
            }
        }
        return std::nullopt;
    }

    const graph::rule_node* node_of(int rule) const {
        for (const auto& rn : plan_.rules())
            if (rn.rule == rule) return &rn;
        return nullptr;
    }

    std::optional<expectation> check_expect(const sa::expect_stmt& x) {
        expectation out;
        out.loc = x.loc;
        const std::string_view written = std::string_view(source_.text()).substr(x.loc.begin, x.loc.end - x.loc.begin);
        out.text = collapse_spaces(written.substr(std::min<std::size_t>(written.size(), 6)));  // without 'expect'
        out.negated = x.negated;
        switch (x.k) {
            case sa::expect_kind::rejected:
                if (x.count) {
                    out.k = check_kind::rejected_count;
                    out.want_count = static_cast<std::uint64_t>(*x.count);
                } else {
                    out.k = check_kind::rejected_reason;
                    out.want_text = x.text;
                }
                return out;
            case sa::expect_kind::status:
                out.k = check_kind::status;
                out.want_status = x.word.text == "satisfied" ? status::satisfied
                                  : x.word.text == "violated" ? status::violated
                                  : x.word.text == "excused"  ? status::excused
                                                              : status::pending;
                break;
            case sa::expect_kind::flag:
                out.k = x.word.text == "met"       ? check_kind::met
                        : x.word.text == "at_risk" ? check_kind::at_risk
                        : x.word.text == "fired"   ? check_kind::fired
                                                   : check_kind::final;
                break;
            case sa::expect_kind::value: out.k = check_kind::value; break;
            case sa::expect_kind::reason:
                out.k = check_kind::reason;
                out.want_text = x.text;
                break;
            case sa::expect_kind::absent: out.k = check_kind::absent; break;
        }
        bool ok = true;
        out.rule = resolve_rule(x.ref, out.k);
        const auto selector = selector_of(x.ref.bucket);
        if (selector) out.bucket = *selector;
        else ok = false;
        if (out.rule < 0) return std::nullopt;
        const check::rule& rule = model_.rules[static_cast<std::size_t>(out.rule)];
        const char* sort = rule.outcome ? "outcome" : "obligation";

        // The unit: required exactly when the rule has `each`, and of one of its kinds.
        if (rule.var.empty() && x.ref.unit) {
            error(x.ref.unit->loc, std::string(sort) + " '" + rule.id + "' has no 'each': name only the bucket, as in " +
                                       rule.id + "[" + written_text(x.ref.bucket.loc) + "]");
            ok = false;
        } else if (!rule.var.empty() && !x.ref.unit) {
            error(x.ref.bucket.loc, std::string(sort) + " '" + rule.id + "' has one instance per " + kinds_text(rule.unit_kinds) +
                                        ": name the unit first, as in " + rule.id + "[UNIT, " + written_text(x.ref.bucket.loc) + "]");
            ok = false;
        } else if (x.ref.unit) {
            out.unit = x.ref.unit->text;
            const auto kind = entity_kind(*x.ref.unit);
            if (!kind) {
                ok = false;
            } else if (*kind >= 0 && std::find(rule.unit_kinds.begin(), rule.unit_kinds.end(), *kind) == rule.unit_kinds.end()) {
                error(x.ref.unit->loc, x.ref.unit->text + " is a " + kind_name(*kind) + ", and " + sort + " '" + rule.id +
                                           "' is for each " + kinds_text(rule.unit_kinds));
                ok = false;
            }
        }

        // A calendar schedule's buckets are known now: the name must pick one of them.
        const graph::rule_node* node = node_of(out.rule);
        // (Not during a phase bounded by events: its buckets come with the events.)
        if (selector && node && rule.event_phase < 0 &&
            (rule.schedule == check::schedule_kind::whole || rule.schedule == check::schedule_kind::every ||
             rule.schedule == check::schedule_kind::by)) {
            const bucket_choice choice = choose_bucket(*selector, node->buckets, rule.id);
            if (!choice.index && (out.k != check_kind::absent || choice.matches > 1)) {
                error(x.ref.bucket.loc, choice.error);
                ok = false;
            }
        }

        if (out.k == check_kind::value && node) {
            if (node->compared == graph::no_node) {
                error(x.ref.rule.loc, "obligation '" + rule.id + "' reports no value: its requirement is not a single comparison");
                ok = false;
            } else if (x.value) {
                if (!value_of(*x.value, plan_.at(node->compared).type, rule.id, out.want_value)) ok = false;
            }
        }
        if (!ok) return std::nullopt;
        return out;
    }

    // The expected value of a `value` expectation, of the type the rule's compared side has.
    bool value_of(const ast::expr& e, const check::type& t, const std::string& rule, reported_value& out) {
        auto mismatch = [&] {
            error(e.loc, "the value of obligation '" + rule + "' is " + check::describe(t) + ", not " + describe_literal(e));
            return false;
        };
        if (auto n = number_of(e)) {
            if (!t.numeric()) return mismatch();
            out.k = reported_value::kind::number;
            out.number = n->value;
            return true;
        }
        if (const auto* d = std::get_if<ast::date_value>(&e.node)) {
            if (!t.is(check::type_kind::date)) return mismatch();
            auto day = date_of(d->value);
            if (!day) return false;
            out.k = reported_value::kind::date;
            out.date = *day;
            return true;
        }
        if (const auto* d = std::get_if<ast::duration_value>(&e.node)) {
            if (!t.is(check::type_kind::duration)) return mismatch();
            if (d->value.unit == ast::time_unit::month) {
                error(e.loc, "a month has no fixed length in days; write the value in days or weeks");
                return false;
            }
            out.k = reported_value::kind::days;
            out.number = rational(d->value.unit == ast::time_unit::week ? d->value.count * 7 : d->value.count);
            return true;
        }
        if (const auto* b = std::get_if<ast::bool_lit>(&e.node)) {
            if (!t.is(check::type_kind::boolean)) return mismatch();
            out.k = reported_value::kind::boolean;
            out.boolean = b->value;
            return true;
        }
        error(e.loc, "expected a value: a number, percent, date, duration, true, false or null, found " + describe_literal(e));
        return false;
    }

    const sa::file& file_;
    const source_file& source_;
    const graph::compiled_plan& plan_;
    const check::plan& model_;
    io::record_parser raw_parser_{plan_.model()};
    std::map<std::string, int> given_scope_, scope_;
    std::vector<diagnostic> diagnostics_;
};

}  // namespace

result<suite> check(const ast::scenario::file& file, const source_file& source, const graph::compiled_plan& plan) {
    checker c(file, source, plan);
    return c.run();
}

// The ids written after `entity` anywhere in the text, parsed or not.
std::set<std::string> entity_words(std::string_view text) {
    std::set<std::string> out;
    for (std::size_t at = text.find("entity"); at != std::string_view::npos; at = text.find("entity", at + 6)) {
        std::size_t i = at + 6;
        if (i >= text.size() || (text[i] != ' ' && text[i] != '\t')) continue;
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
        const bool quoted = i < text.size() && text[i] == '"';
        const std::size_t start = quoted ? i + 1 : i;
        std::size_t end = start;
        while (end < text.size() && (quoted ? text[end] != '"' && text[end] != '\n'
                                            : text[end] != ':' && text[end] != ' ' && text[end] != '\n'))
            ++end;
        out.emplace(text.substr(start, end - start));
    }
    return out;
}

result<suite> load(const source_file& source, const graph::compiled_plan& plan, const limits& l) {
    auto by_position = [](std::vector<diagnostic>& all) {
        std::stable_sort(all.begin(), all.end(),
                         [](const diagnostic& a, const diagnostic& b) { return a.where.begin < b.where.begin; });
    };
    auto parsed = syntax::parse_scenarios(source, l);
    auto checked = check(parsed.file, source, plan);
    if (parsed.ok()) {
        if (checked.ok()) return checked;
        std::vector<diagnostic> all = checked.diagnostics();
        by_position(all);
        return result<suite>(std::move(all));
    }
    // What did parse is still checked, so one run reports every error. A statement that did
    // not parse is missing, though: an entity it would have declared is not "unknown", an
    // as_of it held leaves later expectations without a date, and a file whose plan line or
    // tests are broken is not missing them.
    const std::set<std::string> maybe_declared = entity_words(source.text());
    const std::vector<diagnostic> parse_errors = parsed.diagnostics;
    auto broken_before = [&](std::uint32_t offset) {
        for (const auto& d : parsed.file.declarations) {
            const span block = std::visit([](const auto& x) { return x.loc; }, d);
            if (block.begin <= offset && offset < block.end)
                for (const auto& e : parse_errors)
                    if (block.begin <= e.where.begin && e.where.begin < offset) return true;
        }
        return false;
    };
    std::vector<diagnostic> all = std::move(parsed.diagnostics);
    for (const auto& d : checked.diagnostics()) {
        if (d.message.rfind("unknown entity '", 0) == 0) {
            const std::size_t end = d.message.find('\'', 16);
            if (maybe_declared.count(d.message.substr(16, end - 16))) continue;
        }
        if (d.message.find("needs a date") != std::string::npos && broken_before(d.where.begin)) continue;
        if (d.message.find("holds no test") != std::string::npos || d.message.rfind("a test file names the plan", 0) == 0)
            continue;
        all.push_back(d);
    }
    by_position(all);
    return result<suite>(std::move(all));
}

}  // namespace mandate::scenario
