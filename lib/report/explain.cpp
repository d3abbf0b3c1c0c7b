// Plain words on why a bucket has its status: what the rule asks, when the bucket is judged,
// what was measured against what, which events counted, what was missing, citing the clause.
// Every sentence comes from the catalogue (catalogue.inc), in the reader's language.
#include <sstream>
#include <stdexcept>

#include "grid.hpp"
#include "mandate/calendar/schedule.hpp"
#include "mandate/check/check.hpp"
#include "mandate/graph/plan.hpp"
#include "mandate/report/report_writer.hpp"
#include "words.hpp"

namespace mandate::io {

namespace {

using detail::phrase;

std::string period_unit_text(const detail::words& w, const check::period& p) {
    const std::string name = detail::per_name(w.lang(), p.unit);
    if (!p.counted && p.count == 1) return name;
    if (w.lang() == language::zh) return std::to_string(p.count) + (p.unit == check::period_unit::month ? "个" : "") + name;
    return std::to_string(p.count) + " " + name + (p.count == 1 ? "" : "s");
}

// "每个行政村", "the plan as a whole".
std::string who(const detail::words& w, const check::plan& p, const check::rule& rule) {
    if (rule.unit_kinds.empty()) return w(phrase::x_whole_plan);
    std::string kinds;
    for (std::size_t i = 0; i < rule.unit_kinds.size(); ++i) {
        const auto& k = p.kinds[static_cast<std::size_t>(rule.unit_kinds[i])];
        kinds += (i ? w(phrase::x_or) : "") + w.label_or_id(k.label, k.id);
    }
    std::string out = w(phrase::x_each, {kinds});
    if (rule.where) out += w(phrase::x_where, {rule.where->text});
    return out;
}

std::string schedule_text(const detail::words& w, const check::plan& p, const check::rule& rule) {
    const std::string window = w.period(period{rule.window_from, rule.window_to});
    switch (rule.schedule) {
        case check::schedule_kind::whole: return w(phrase::x_one_period, {window});
        case check::schedule_kind::every: {
            std::string s = w(phrase::x_every, {window, period_unit_text(w, rule.per), rule.full ? w(phrase::x_full) : std::string()});
            if (rule.cumulative) s += w(phrase::x_cumulative, {calendar::to_iso(rule.cumulative_from)});
            return s;
        }
        case check::schedule_kind::by: return w(phrase::x_by, {calendar::to_iso(rule.window_from), calendar::to_iso(rule.by)});
        case check::schedule_kind::after:
        case check::schedule_kind::before: {
            std::string trigger;
            if (rule.trig.registered) trigger = "registered";
            else if (rule.trig.outcome) {
                const auto& o = p.rules[static_cast<std::size_t>(rule.trig.target)];
                trigger = w(phrase::x_outcome_trigger, {w.label_or_id(o.label, o.id)});
            } else {
                trigger = w.event_name(rule.trig.target);
            }
            return w(rule.schedule == check::schedule_kind::after ? phrase::x_after : phrase::x_before, {w.duration(rule.within), trigger, window});
        }
    }
    return window;
}

void evidence_words(const detail::words& w, const result_row* x, int rule, const std::optional<std::string>& unit,
                    const evidence& e, bool skip_compared, std::ostringstream& out) {
    (void)x;
    const auto lines = w.evidence(rule, unit, e, skip_compared);
    bool nothing = !e.measures.empty() && !e.gap && !e.coverage && e.event_count == 0;
    for (const auto& m : e.measures)
        nothing = nothing && (m.second.is_null() || (m.second.k == reported_value::kind::number && m.second.number == rational(0)));
    for (auto l : lines) {
        if (w.lang() == language::en && !l.empty() && l[0] >= 'a' && l[0] <= 'z') l[0] = static_cast<char>(l[0] - 'a' + 'A');
        out << w(phrase::x_evidence, {detail::terminal_text(l)}) << "\n";
    }
    if (nothing) out << w(phrase::x_evidence, {w(phrase::ev_no_records)}) << "\n";
}

void clauses(const detail::words& w, const check::rule& rule, std::ostringstream& out) {
    for (const auto& c : rule.cites) out << w(phrase::x_clause, {c}) << "\n";
}

}  // namespace

std::optional<language> parse_language(std::string_view tag) {
    std::string t;
    for (const char c : tag.substr(0, 2)) t += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    const bool whole = tag.size() == 2 || (tag.size() > 2 && (tag[2] == '-' || tag[2] == '_'));
    if (!whole) return std::nullopt;
    if (t == "zh" || t == "cn") return language::zh;
    if (t == "en") return language::en;
    return std::nullopt;
}

std::string explain_rule(const report& r, int rule_index, language lang) {
    const detail::words w(r, lang);
    const check::rule* rule = w.rule(rule_index);
    if (!rule) return {};
    const check::plan& p = *w.plan();
    std::ostringstream out;
    out << w(rule->outcome ? phrase::outcome : phrase::obligation) << " " << w.rule_heading(rule_index, rule->id) << "\n";
    clauses(w, *rule, out);
    out << w(rule->outcome ? phrase::x_fires_when : phrase::x_requires, {rule->condition.text}) << "\n";
    out << w(phrase::x_for, {who(w, p, *rule), schedule_text(w, p, *rule)});
    if (rule->grace) out << w(phrase::x_grace, {w.duration(*rule->grace)});
    if (rule->warn) out << w(phrase::x_warn, {w.duration(*rule->warn)});
    out << w(phrase::x_end) << "\n";
    if (!rule->outcome) {
        if (rule->mono == check::monotonicity::monotone) out << w(phrase::x_monotone) << "\n";
        else if (rule->mono == check::monotonicity::anti_monotone) out << w(phrase::x_anti_monotone) << "\n";
        else out << w(phrase::x_at_close) << "\n";
    }
    return out.str();
}

std::string explain(const report& r, const result_row& x, language lang) {
    const detail::words w(r, lang);
    const check::rule* rule = w.rule(x.rule);
    std::ostringstream out;
    out << w(phrase::x_bucket_heading, {detail::terminal_text(w.unit(x.unit)), w.period(x.span), w.status(x)}) << "\n";
    if (!rule) return out.str();
    const auto waiver_tail = [&](bool approved) {
        std::string s;
        if (!x.waiver->reason.empty()) s += w(phrase::x_waiver_reason, {detail::terminal_text(x.waiver->reason)});
        if (approved && !x.waiver->approved_by.empty()) s += w(phrase::x_approved_by, {detail::terminal_text(x.waiver->approved_by)});
        return s;
    };
    if (x.waiver && !x.waiver->extended_to) {
        const std::string reason = x.waiver->reason.empty() ? std::string() : w(phrase::x_waiver_reason, {detail::terminal_text(x.waiver->reason)});
        const std::string by = x.waiver->approved_by.empty() ? std::string() : w(phrase::x_approved_by, {detail::terminal_text(x.waiver->approved_by)});
        out << w(phrase::x_excused, {detail::terminal_text(x.waiver->id), reason, by}) << "\n";
        clauses(w, *rule, out);
        return out.str();
    }
    if (x.due) out << w(phrase::x_due, {w.period(*x.due), x.due->from > x.span.to ? w(phrase::x_due_after) : std::string()}) << "\n";
    const calendar::day natural_end = x.due ? x.due->to : x.span.to;
    const calendar::day end = x.waiver && x.waiver->extended_to ? *x.waiver->extended_to : natural_end;
    if (end != natural_end)
        out << w(phrase::x_extended, {calendar::to_iso(end), detail::terminal_text(x.waiver->id), waiver_tail(false)}) << "\n";
    const calendar::day close = calendar::close_day(end, rule->grace, w.plan()->workdays.get());
    const bool closed = r.as_of >= close;
    const std::string grace = rule->grace ? w(phrase::x_grace_of, {w.duration(*rule->grace)}) : std::string();
    if (closed) {
        out << w(phrase::x_closed, {calendar::to_iso(close), calendar::to_iso(end), grace, calendar::to_iso(r.as_of),
                                    w(x.met ? phrase::x_holds : phrase::x_does_not_hold)})
            << "\n";
    } else if (x.status != status::pending) {
        out << w(phrase::x_decided_early, {calendar::to_iso(close), w(x.met ? phrase::x_holds : phrase::x_fails),
                                           w(rule->mono == check::monotonicity::monotone ? phrase::x_early_monotone : phrase::x_early_anti)})
            << "\n";
    } else {
        if (r.as_of <= end)
            out << w(phrase::x_open_runs, {calendar::to_iso(end), calendar::to_iso(r.as_of), w.days(end - r.as_of), calendar::to_iso(close)});
        else
            out << w(phrase::x_open_grace, {calendar::to_iso(end), calendar::to_iso(close - 1), calendar::to_iso(close)});
        out << "\n" << w(x.met ? phrase::x_so_far_holds : phrase::x_so_far_fails) << "\n";
        if (x.at_risk && rule->warn) out << w(phrase::x_at_risk, {w.duration(*rule->warn)}) << "\n";
    }
    if (check::is_comparison(rule->condition.o) && rule->condition.args.size() == 2) {
        const std::string value = x.value.is_null() ? w(phrase::x_undefined_value) : w.value(x);
        std::string limit = rule->condition.args[1].text;
        if (rule->condition.args[1].o == check::op::literal && rule->condition.args[1].t.is(check::type_kind::duration))
            limit = w.duration(rule->condition.args[1].value.length);
        out << w(phrase::x_compared, {rule->condition.args[0].text, value, detail::words::comparison_sign(rule->condition.o), limit}) << "\n";
    } else if (x.reason) {
        out << w(phrase::x_no_data_reason, {w(phrase::no_data)}) << "\n";
    }
    evidence_words(w, &x, x.rule, x.unit, x.evidence, true, out);
    clauses(w, *rule, out);
    return out.str();
}

std::string explain(const report& r, const outcome_row& x, language lang) {
    const detail::words w(r, lang);
    const check::rule* rule = w.rule(x.rule);
    std::ostringstream out;
    out << w(phrase::x_outcome_heading, {detail::terminal_text(w.unit(x.unit)), w.period(x.span),
                                         w(x.fired ? phrase::fired : phrase::x_did_not_fire), w(x.final ? phrase::x_final : phrase::x_not_final)})
        << "\n";
    if (!rule) return out.str();
    out << w(phrase::x_on_records, {calendar::to_iso(r.as_of), rule->condition.text, w(x.fired ? phrase::x_holds : phrase::x_does_not_hold)})
        << "\n";
    if (x.final && x.final_on)
        out << w(phrase::x_final_since, {calendar::to_iso(*x.final_on), x.fired ? w(phrase::x_trigger_date) : std::string()}) << "\n";
    else
        out << w(phrase::x_not_final_until, {calendar::to_iso(x.span.to), rule->grace ? w(phrase::x_and_grace, {w.duration(*rule->grace)}) : std::string()})
            << "\n";
    evidence_words(w, nullptr, x.rule, x.unit, x.evidence, false, out);
    clauses(w, *rule, out);
    return out.str();
}

std::string no_such_rule(const check::plan& plan, bool outcome, const std::string& wrong) {
    std::vector<std::string> ids;
    std::string hint;
    for (const auto& rule : plan.rules) {
        if (rule.outcome != outcome) continue;
        ids.push_back(rule.id);
        if (!rule.label.empty() && rule.label == wrong) hint = ", did you mean '" + rule.id + "' (" + rule.label + ")?";
    }
    if (hint.empty()) {
        hint = check::did_you_mean(wrong, ids);
        for (const auto& rule : plan.rules)
            if (rule.outcome == outcome && !rule.label.empty() && hint == ", did you mean '" + rule.id + "'?")
                hint = ", did you mean '" + rule.id + "' (" + rule.label + ")?";
    }
    return std::string("the plan has no ") + (outcome ? "outcome" : "obligation") + " '" + wrong + "'" + hint;
}

std::string explain_unit(const report& r, int rule, const std::optional<std::string>& unit,
                         const std::optional<bucket_selector>& period, language lang) {
    const detail::words w(r, lang);
    const check::rule* rr = w.rule(rule);
    if (!rr) return {};
    // A unit the rule has no bucket for, when it has buckets for others: a typo, or a name
    // given for an id. Said with the closest ids and names.
    if (!rr->var.empty() && unit) {
        std::vector<std::string> units;
        bool known = false;
        for (const auto& x : r.results)
            if (x.rule == rule && x.unit) {
                known = known || *x.unit == *unit;
                if (units.empty() || units.back() != *x.unit) units.push_back(*x.unit);
            }
        for (const auto& x : r.outcomes)
            if (x.rule == rule && x.unit) {
                known = known || *x.unit == *unit;
                if (units.empty() || units.back() != *x.unit) units.push_back(*x.unit);
            }
        if (!known && !units.empty()) {
            std::string hint;
            for (const auto& u : units)  // a name given for an id
                if (const std::string* name = r.name_of(u); name && *name == *unit) hint = ", did you mean '" + u + "' (" + *name + ")?";
            if (hint.empty()) {
                hint = check::did_you_mean(*unit, units);
                const auto quote = hint.find('\'');
                if (!hint.empty() && quote != std::string::npos) {
                    const std::string id = hint.substr(quote + 1, hint.rfind('\'') - quote - 1);
                    if (const std::string* name = r.name_of(id)) hint.insert(hint.size() - 1, " (" + *name + ")");
                }
            }
            throw std::invalid_argument(rr->id + " has no bucket for unit '" + *unit + "' as of " + calendar::to_iso(r.as_of) + hint);
        }
    }
    const void* chosen = nullptr;
    if (period) {
        const row_choice choice = select_row(r, rule, rr->var.empty() ? std::nullopt : unit, *period);
        if (choice.matches != 1) throw std::invalid_argument(choice.error);
        chosen = choice.result ? static_cast<const void*>(choice.result) : static_cast<const void*>(choice.outcome);
    }
    std::string out = explain_rule(r, rule, lang);
    const std::string unit_id = unit.value_or("");
    auto mine = [&](const auto& row) {
        return row.rule == rule && row.unit.value_or("") == unit_id && (!period || static_cast<const void*>(&row) == chosen);
    };
    std::size_t shown = 0;
    for (const auto& x : r.results)
        if (mine(x)) {
            ++shown;
            out += "\n" + explain(r, x, lang);
        }
    for (const auto& x : r.outcomes)
        if (mine(x)) {
            ++shown;
            out += "\n" + explain(r, x, lang);
        }
    if (shown > 0) return out;
    if (unit) return out + "\n" + w(phrase::x_no_bucket_of, {detail::terminal_text(*unit), calendar::to_iso(r.as_of)}) + "\n";
    return out + "\n" + w(phrase::x_no_bucket_yet, {calendar::to_iso(r.as_of)}) + "\n";
}

}  // namespace mandate::io
