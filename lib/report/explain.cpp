// Plain words on why a bucket has its status: what the rule asks, when the bucket is judged,
// what was measured against what, which events counted, what was missing, citing the clause.
#include <sstream>

#include "grid.hpp"
#include "mandate/calendar/schedule.hpp"
#include "mandate/graph/plan.hpp"
#include "mandate/report/report_writer.hpp"

namespace mandate::io {

namespace {

std::string plural(std::int64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string duration_text(const check::duration& d) {
    static const char* const names[] = {"day", "week", "month", "hour", "workday"};
    const char* unit = names[static_cast<int>(d.unit)];
    return std::to_string(d.count) + " " + unit + (d.count == 1 ? "" : "s");
}

std::string period_unit_text(const check::period& p) {
    static const char* const names[] = {"day", "week", "month", "quarter", "year", "half-year", "hour"};
    const char* name = names[static_cast<int>(p.unit)];
    if (!p.counted) return name;
    return std::to_string(p.count) + " " + name + (p.count == 1 ? "" : "s");
}

const check::rule* rule_of(const report& r, int rule) {
    if (!r.compiled || rule < 0) return nullptr;
    return &r.compiled->model().rules[static_cast<std::size_t>(rule)];
}

// "every village", "the plan as a whole".
std::string who(const check::plan& p, const check::rule& rule) {
    if (rule.unit_kinds.empty()) return "the plan as a whole";
    std::string out = "each ";
    for (std::size_t i = 0; i < rule.unit_kinds.size(); ++i)
        out += (i ? " or " : "") + p.kinds[static_cast<std::size_t>(rule.unit_kinds[static_cast<std::size_t>(i)])].id;
    if (rule.where) out += " for which " + rule.where->text + " holds at the end of the period";
    return out;
}

std::string schedule_text(const check::plan& p, const check::rule& rule) {
    const std::string window = calendar::to_iso(rule.window_from) + ".." + calendar::to_iso(rule.window_to);
    switch (rule.schedule) {
        case check::schedule_kind::whole: return "one period, the window " + window;
        case check::schedule_kind::every: {
            std::string s = "every " + std::string(rule.full ? "full " : "") + period_unit_text(rule.per) + " of " + window;
            if (rule.cumulative) s += ", each counting from " + calendar::to_iso(rule.cumulative_from) + " (cumulative)";
            return s;
        }
        case check::schedule_kind::by: return "one period from " + calendar::to_iso(rule.window_from) + " to the deadline " + calendar::to_iso(rule.by);
        case check::schedule_kind::after:
        case check::schedule_kind::before: {
            const std::string trigger = rule.trig.outcome ? "outcome " + p.rules[static_cast<std::size_t>(rule.trig.target)].id
                                                          : p.events[static_cast<std::size_t>(rule.trig.target)].id;
            return "a period of " + duration_text(rule.within) + (rule.schedule == check::schedule_kind::after ? " from each " : " up to each ") +
                   trigger + " dated in " + window;
        }
    }
    return window;
}

// Why a monotone (anti-monotone) requirement may be decided before its period closes.
std::string early_reason(check::monotonicity m) {
    return m == check::monotonicity::monotone ? "more records can only keep it so" : "more records cannot mend it";
}

void evidence_words(const check::rule& rule, const evidence& e, bool has_value, std::ostringstream& out) {
    // The compared side is already spelt out; list the other measures.
    const std::string compared = has_value && check::is_comparison(rule.condition.o) ? rule.condition.args[0].text : std::string();
    for (const auto& [text, v] : e.measures)
        if (text != compared) out << "  Measured: " << text << " = " << (v.is_null() ? "no value (no data)" : detail::human_value(v)) << ".\n";
    // "No event" only where every measure is nothing or zero: a gap or a streak reads events
    // without listing them.
    bool nothing = !e.measures.empty() && !e.gap && !e.coverage;
    for (const auto& m : e.measures)
        nothing = nothing && (m.second.is_null() || (m.second.k == reported_value::kind::number && m.second.number == rational(0)));
    if (e.event_count > 0) {
        out << "  " << (e.event_count == 1 ? "The event counted: " : "The " + std::to_string(e.event_count) + " events counted: ");
        for (std::size_t i = 0; i < e.events.size(); ++i) out << (i ? ", " : "") << detail::terminal_text(e.events[i]);
        if (e.event_count > e.events.size()) out << ", and " << e.event_count - e.events.size() << " more";
        out << ".\n";
    } else if (nothing) {
        out << "  No event the requirement reads was dated in the period.\n";
    }
    if (e.gap)
        out << "  The longest run of days without such an event: " << calendar::to_iso(e.gap->from) << ".." << calendar::to_iso(e.gap->to)
            << ", " << plural(e.gap->days, "day", "days") << ".\n";
    if (e.ratio) {
        out << "  Numerator " << (e.ratio->numerator.is_null() ? "none" : detail::human_value(e.ratio->numerator)) << ", denominator "
            << (e.ratio->denominator.is_null() ? "none" : detail::human_value(e.ratio->denominator));
        if (!e.ratio->denominator.is_null() && e.ratio->denominator.number == rational(0)) out << ": a ratio over nothing has no value";
        out << ".\n";
    }
    if (e.children) {
        out << "  Of " << e.children->of << " units judged, " << e.children->covered << " hold";
        if (!e.children->missing.empty()) {
            out << "; failing: ";
            for (std::size_t i = 0; i < e.children->missing.size(); ++i) out << (i ? ", " : "") << detail::terminal_text(e.children->missing[i]);
            const auto failing = static_cast<std::size_t>(e.children->of - e.children->covered);
            if (failing > e.children->missing.size()) out << ", and " << failing - e.children->missing.size() << " more";
        }
        out << ".\n";
    }
    if (e.coverage) {
        out << "  Covered " << e.coverage->covered << " of " << e.coverage->of;
        if (e.coverage->of == 0) out << " (there was nothing to cover)";
        if (!e.coverage->missing.empty()) {
            out << "; not covered: ";
            for (std::size_t i = 0; i < e.coverage->missing.size(); ++i) out << (i ? ", " : "") << detail::terminal_text(e.coverage->missing[i]);
            const auto missing = static_cast<std::size_t>(e.coverage->of - e.coverage->covered);
            if (missing > e.coverage->missing.size()) out << ", and " << missing - e.coverage->missing.size() << " more";
        }
        out << ".\n";
    }
}

}  // namespace

std::string explain_rule(const report& r, int rule_index) {
    const check::rule* rule = rule_of(r, rule_index);
    if (!rule) return {};
    const check::plan& p = r.compiled->model();
    std::ostringstream out;
    out << (rule->outcome ? "outcome " : "obligation ") << rule->id << (rule->label.empty() ? "" : "  " + rule->label) << "\n";
    for (const auto& c : rule->cites) out << "  Clause: " << c << "\n";
    out << "  " << (rule->outcome ? "Fires when: " : "Requires: ") << rule->condition.text << "\n";
    out << "  For " << who(p, *rule) << ", " << schedule_text(p, *rule);
    if (rule->grace) out << "; late records are taken for " << duration_text(*rule->grace) << " after a period ends";
    if (rule->warn) out << "; warns " << duration_text(*rule->warn) << " before a period ends";
    out << ".\n";
    if (!rule->outcome) {
        if (rule->mono == check::monotonicity::monotone)
            out << "  The requirement can only turn true as records arrive: it is satisfied as soon as it holds.\n";
        else if (rule->mono == check::monotonicity::anti_monotone)
            out << "  The requirement can only turn false as records arrive: it is violated as soon as it fails.\n";
        else
            out << "  The requirement is judged when each period closes.\n";
    }
    return out.str();
}

std::string explain(const report& r, const result_row& x) {
    const check::rule* rule = rule_of(r, x.rule);
    std::ostringstream out;
    out << (x.unit ? detail::terminal_text(*x.unit) : std::string("the plan")) << ", " << detail::period_text(x.span) << ": " << to_string(x.status)
        << (x.at_risk ? " (at risk)" : "") << "\n";
    if (!rule) return out.str();
    if (x.waiver && !x.waiver->extended_to) {
        out << "  Excused by waiver " << detail::terminal_text(x.waiver->id)
            << (x.waiver->reason.empty() ? std::string() : " (" + detail::terminal_text(x.waiver->reason) + ")")
            << (x.waiver->approved_by.empty() ? std::string() : ", approved by " + detail::terminal_text(x.waiver->approved_by))
            << ": whatever the records show, it is neither satisfied nor violated, and no violations() counts it.\n";
        for (const auto& c : rule->cites) out << "  Clause: " << c << "\n";
        return out.str();
    }
    // An extension moves the period's end for this unit: records up to it count, and it is
    // judged after it. With `due`, the records of the due range count.
    if (x.due)
        out << "  Due " << detail::period_text(*x.due) << ": the records dated in it count for this period"
            << (x.due->from > x.span.to ? " (reported after the period ends)" : "") << ".\n";
    const calendar::day natural_end = x.due ? x.due->to : x.span.to;
    const calendar::day end = x.waiver && x.waiver->extended_to ? *x.waiver->extended_to : natural_end;
    if (end != natural_end)
        out << "  Extended to " << calendar::to_iso(end) << " by waiver " << detail::terminal_text(x.waiver->id)
            << (x.waiver->reason.empty() ? std::string() : " (" + detail::terminal_text(x.waiver->reason) + ")")
            << ": records dated up to then count, and the period keeps its dates.\n";
    const calendar::day close = calendar::close_day(end, rule->grace, r.compiled ? r.compiled->model().workdays.get() : nullptr);
    const bool closed = r.as_of >= close;
    const std::string grace = rule->grace ? ", with " + duration_text(*rule->grace) + " of grace" : "";
    if (closed) {
        out << "  The period closed on " << calendar::to_iso(close) << " (it ended on " << calendar::to_iso(end) << grace << "), and on the records dated up to "
            << calendar::to_iso(r.as_of) << " the requirement " << (x.met ? "holds" : "does not hold") << ".\n";
    } else if (x.status != status::pending) {
        out << "  Decided before the period closes (on " << calendar::to_iso(close) << "): the requirement already "
            << (x.met ? "holds" : "fails") << ", and " << early_reason(rule->mono) << ".\n";
    } else {
        out << "  Still open: ";
        if (r.as_of <= end)
            out << "the period runs until " << calendar::to_iso(end) << " (" << plural(end - r.as_of, "day", "days") << " after "
                << calendar::to_iso(r.as_of) << ")";
        else
            out << "the period ended on " << calendar::to_iso(end) << ", but late records are taken until "
                << calendar::to_iso(close - 1);
        out << ", and it is judged on " << calendar::to_iso(close) << ". So far the requirement "
            << (x.met ? "holds, but it is only judged when the period closes" : "does not hold") << ".\n";
        if (x.at_risk && rule->warn)
            out << "  At risk: the requirement is not met and the period ends within " << duration_text(*rule->warn) << ".\n";
    }
    if (check::is_comparison(rule->condition.o) && rule->condition.args.size() == 2) {
        out << "  " << rule->condition.args[0].text << " is ";
        if (x.value.is_null()) out << "undefined (no data: a ratio over nothing, or the min or max of no events)";
        else out << detail::human_value(x.value);
        out << "; it must be " << check::operator_text(rule->condition.o) << " " << rule->condition.args[1].text << ".\n";
    } else if (x.reason) {
        out << "  A comparison in the requirement met a value that is undefined (" << *x.reason << ").\n";
    }
    evidence_words(*rule, x.evidence, !x.value.is_null() || x.reason.has_value(), out);
    for (const auto& c : rule->cites) out << "  Clause: " << c << "\n";
    return out.str();
}

std::string explain(const report& r, const outcome_row& x) {
    const check::rule* rule = rule_of(r, x.rule);
    std::ostringstream out;
    out << (x.unit ? detail::terminal_text(*x.unit) : std::string("the plan")) << ", " << detail::period_text(x.span) << ": "
        << (x.fired ? "fired" : "did not fire") << (x.final ? ", final" : ", not final yet") << "\n";
    if (!rule) return out.str();
    out << "  On the records dated up to " << calendar::to_iso(r.as_of) << ", " << rule->condition.text << " "
        << (x.fired ? "holds" : "does not hold") << ".\n";
    if (x.final && x.final_on)
        out << "  Final since " << calendar::to_iso(*x.final_on) << ": the period and every bucket its condition reads have closed"
            << (x.fired ? "; this is the date a rule triggered by it counts from" : "") << ".\n";
    else
        out << "  Not final: it may change until the period (" << calendar::to_iso(x.span.to)
            << (rule->grace ? " and " + duration_text(*rule->grace) + " of grace" : "") << ") and every bucket its condition reads have closed.\n";
    evidence_words(*rule, x.evidence, false, out);
    for (const auto& c : rule->cites) out << "  Clause: " << c << "\n";
    return out.str();
}

}  // namespace mandate::io
