#include "words.hpp"

#include <algorithm>
#include <cstdio>

#include "mandate/graph/plan.hpp"

namespace mandate::io::detail {

namespace {

struct both {
    const char* zh;
    const char* en;
};

const both phrases[] = {
#define MANDATE_PHRASE(id, zh, en) {zh, en},
#include "catalogue.inc"
#undef MANDATE_PHRASE
};

bool ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// The typed expression of a rule whose text is `t` (a measure's name), or nullptr.
const check::texpr* find_text(const check::texpr& e, std::string_view t) {
    if (e.text == t) return &e;
    for (const auto& a : e.args)
        if (const check::texpr* x = find_text(a, t)) return x;
    return nullptr;
}

// The literal side of a comparison requirement, or nullptr.
const check::texpr* threshold_of(const check::rule& rule) {
    const check::texpr& c = rule.condition;
    if (!check::is_comparison(c.o) || c.args.size() != 2) return nullptr;
    return c.args[1].o == check::op::literal ? &c.args[1] : nullptr;
}

std::string trim_zeros(std::string s) {
    if (s.find('.') == std::string::npos) return s;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

}  // namespace

std::string_view text(language lang, phrase p) {
    const both& b = phrases[static_cast<std::size_t>(p)];
    return lang == language::en ? b.en : b.zh;
}

std::string fill(std::string_view pattern, std::initializer_list<std::string_view> args) {
    std::string out;
    out.reserve(pattern.size() + 16);
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' && pattern[i + 1] >= '0' && pattern[i + 1] <= '9') {
            const auto k = static_cast<std::size_t>(pattern[i + 1] - '0');
            if (k < args.size()) out += *(args.begin() + k);
            i += 2;
            continue;
        }
        out += pattern[i];
    }
    return out;
}

const std::vector<catalogue_entry>& catalogue() {
    static const std::vector<catalogue_entry> all = {
#define MANDATE_PHRASE(id, zh, en) {#id, zh, en},
#include "catalogue.inc"
#undef MANDATE_PHRASE
    };
    return all;
}

std::string number_text(const rational& v, const rational* threshold, bool percent) {
    const std::string suffix = percent ? "%" : "";
    rational scaled = v, limit;
    try {
        if (percent) scaled = v * rational(100);
        if (threshold) limit = percent ? *threshold * rational(100) : *threshold;
    } catch (const arithmetic_overflow&) {
        return v.to_string();
    }
    if (scaled.is_decimal(2)) return scaled.to_string() + suffix;
    const int side = threshold ? compare(v, *threshold) : 0;
    const int128 num = scaled.num(), den = scaled.den();
    const bool negative = num < 0;
    const int128 magnitude = negative ? -num : num;
    int128 p10 = 1;
    for (int d = 1; d <= 15; ++d) {
        p10 *= 10;
        if (d < 2) continue;
        if (magnitude > (static_cast<int128>(1) << 120) / p10) break;  // would overflow
        const int128 q = (2 * magnitude * p10 + den) / (2 * den);  // rounded half away from zero
        if (q == 0 && d < 6) continue;  // a value that is not zero never prints as 0
        const rational rounded(negative ? -q : q, p10);
        if (threshold && compare(rounded, limit) != side) continue;
        std::string digits = to_string(q);
        if (digits.size() <= static_cast<std::size_t>(d)) digits.insert(0, static_cast<std::size_t>(d) + 1 - digits.size(), '0');
        digits.insert(digits.size() - static_cast<std::size_t>(d), ".");
        return (negative ? "-" : "") + trim_zeros(digits) + suffix;
    }
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.6g", scaled.to_double());
    return buf + suffix;
}

words::words(const report& r, language lang) : r_(r), lang_(lang), plan_(r.compiled ? &r.compiled->model() : nullptr) {}

const check::rule* words::rule(int index) const {
    if (!plan_ || index < 0 || static_cast<std::size_t>(index) >= plan_->rules.size()) return nullptr;
    return &plan_->rules[static_cast<std::size_t>(index)];
}

std::string words::unit(const std::optional<std::string>& id) const {
    if (!id) return (*this)(phrase::the_plan);
    const std::string* name = r_.name_of(*id);
    return name ? *name + " " + *id : *id;
}

std::string words::entity(std::string_view id) const {
    const std::string* name = r_.name_of(id);
    return name ? *name : std::string(id);
}

std::string words::label_or_id(const std::string& label, const std::string& id) const {
    if (label.empty()) return id;
    if (lang_ == language::zh || ascii(label)) return label;
    return id;
}

std::string words::rule_heading(int index, const std::string& id) const {
    const check::rule* x = rule(index);
    return x && !x->label.empty() ? id + "  " + x->label : id;
}

std::string words::event_name(int event) const {
    if (!plan_ || event < 0 || static_cast<std::size_t>(event) >= plan_->events.size()) return "?";
    const auto& e = plan_->events[static_cast<std::size_t>(event)];
    return label_or_id(e.label, e.id);
}

std::string words::kinds_name(const std::vector<int>& kinds) const {
    std::string out;
    for (std::size_t i = 0; i < kinds.size(); ++i) {
        if (!plan_ || kinds[i] < 0 || static_cast<std::size_t>(kinds[i]) >= plan_->kinds.size()) continue;
        const auto& k = plan_->kinds[static_cast<std::size_t>(kinds[i])];
        out += (out.empty() ? "" : (*this)(phrase::x_or)) + label_or_id(k.label, k.id);
    }
    return out.empty() ? (*this)(phrase::unit_word_zh) : out;
}

std::string words::held_out_reason(const std::string& reason) const {
    static const std::pair<const char*, phrase> known[] = {
        {"parent cycle", phrase::reason_parent_cycle},           {"missing parent", phrase::reason_missing_parent},
        {"rejected parent", phrase::reason_rejected_parent},     {"too deep", phrase::reason_too_deep},
        {"under an unresolved parent", phrase::reason_unresolved_parent},
        {"under a parent cycle", phrase::reason_under_cycle},    {"under a missing parent", phrase::reason_under_missing},
        {"under a rejected parent", phrase::reason_under_rejected}};
    for (const auto& [text, p] : known)
        if (reason == text) return (*this)(p);
    return reason;
}

std::string words::status(const result_row& x) const {
    if (x.status == mandate::status::satisfied) return (*this)(phrase::satisfied);
    if (x.status == mandate::status::violated) return (*this)(phrase::violated);
    if (x.status == mandate::status::excused) return (*this)(phrase::excused);
    return (*this)(x.at_risk ? phrase::at_risk : phrase::pending);
}

std::string words::status(const outcome_row& x) const {
    if (x.fired) return (*this)(x.final ? phrase::fired : phrase::fired_not_final);
    return (*this)(x.final ? phrase::not_fired : phrase::not_fired_not_final);
}

std::string words::day(calendar::day d) const { return calendar::to_iso(d); }

std::string words::period(const mandate::period& p) const {
    if (!p.has_clock() && p.from == p.to) return p.from_text();
    return (*this)(phrase::period_range, {p.from_text(), p.to_text()});
}

std::string words::days(std::int64_t n) const {
    return (*this)(n == 1 ? phrase::one_day : phrase::days, {std::to_string(n)});
}

std::string words::duration(const calendar::duration& d) const {
    const std::string n = std::to_string(d.count);
    switch (d.unit) {
        case calendar::time_unit::day: return days(d.count);
        case calendar::time_unit::week: return (*this)(phrase::weeks, {n});
        case calendar::time_unit::month:
            if (d.count % 12 == 0) return (*this)(phrase::years, {std::to_string(d.count / 12)});
            return (*this)(phrase::months, {n});
        case calendar::time_unit::hour: return (*this)(phrase::hours, {n});
        case calendar::time_unit::workday: return (*this)(phrase::workdays, {n});
    }
    return n;
}

const char* words::comparison_sign(check::op o) {
    switch (o) {
        case check::op::eq: return "=";
        case check::op::ne: return "\u2260";
        case check::op::lt: return "<";
        case check::op::le: return "\u2264";
        case check::op::gt: return ">";
        case check::op::ge: return "\u2265";
        default: return check::operator_text(o) ? check::operator_text(o) : "?";
    }
}

std::string words::value(const check::rule* rule, const reported_value& v) const {
    switch (v.k) {
        case reported_value::kind::null: return (*this)(phrase::no_data);
        case reported_value::kind::date: return calendar::to_iso(v.date);
        case reported_value::kind::boolean: return (*this)(v.boolean ? phrase::yes : phrase::no);
        case reported_value::kind::days:
            return v.number.is_integer() ? days(static_cast<std::int64_t>(v.number.num())) : (*this)(phrase::days, {number_text(v.number, nullptr, false)});
        case reported_value::kind::number: break;
    }
    const check::texpr* t = rule ? threshold_of(*rule) : nullptr;
    const bool numeric = t && (t->t.numeric() || t->value.percent);
    return number_text(v.number, numeric ? &t->value.number : nullptr, numeric && t->value.percent);
}

std::string words::value(const result_row& x) const { return value(rule(x.rule), x.value); }

std::string words::requirement(const check::rule& rule) const {
    const check::texpr& c = rule.condition;
    if (!check::is_comparison(c.o) || c.args.size() != 2) return c.text;
    const check::texpr& rhs = c.args[1];
    std::string limit = rhs.text;
    if (rhs.o == check::op::literal && rhs.t.is(check::type_kind::duration)) limit = duration(rhs.value.length);
    return std::string(comparison_sign(c.o)) + " " + limit;
}

std::string words::month_label(int year, int month) const {
    static const char* const en[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    (void)year;
    if (lang_ == language::en) return en[(month - 1) % 12];
    return std::to_string(month) + "\u6708";  // 4月
}

std::string words::list(const std::vector<std::string>& items, std::size_t total) const {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? (*this)(phrase::enumeration_separator) : "") + items[i];
    if (total > items.size()) out = (*this)(phrase::ev_more, {out, std::to_string(total)});
    return out;
}

const char* per_name(language lang, calendar::period_unit u) {
    static const char* const zh[] = {"天", "周", "月", "季度", "年", "半年", "小时"};
    static const char* const en[] = {"day", "week", "month", "quarter", "year", "half-year", "hour"};
    const auto i = static_cast<std::size_t>(u);
    return lang == language::en ? en[i] : zh[i];
}

std::string words::measure(const check::rule* rule, const check::texpr* x, const reported_value& v, const mandate::evidence& e,
                           const std::optional<std::string>& row_unit, bool& used_coverage, bool& used_children,
                           bool& used_gap) const {
    const std::string shown = rule && x == (check::is_comparison(rule->condition.o) ? &rule->condition.args[0] : nullptr)
                                  ? value(rule, v)
                                  : value(nullptr, v);
    auto field_name = [&](const check::texpr& a) -> std::string {
        if (!plan_ || a.event < 0 || a.field < 0) return a.text;
        return plan_->events[static_cast<std::size_t>(a.event)].fields[static_cast<std::size_t>(a.field)].id;
    };
    if (!x) return (*this)(phrase::ev_measure, {"?", shown});
    switch (x->o) {
        case check::op::count:
            return (*this)(x->where_arg >= 0 ? phrase::ev_count_where : phrase::ev_count, {event_name(x->event), shown});
        case check::op::sum: return (*this)(phrase::ev_sum, {event_name(x->event), field_name(*x), shown});
        case check::op::distinct: return (*this)(phrase::ev_distinct, {event_name(x->event), field_name(*x), shown});
        case check::op::min: return (*this)(phrase::ev_min, {event_name(x->event), field_name(*x), shown});
        case check::op::max: return (*this)(phrase::ev_max, {event_name(x->event), field_name(*x), shown});
        case check::op::gap:
            if (e.gap && !used_gap) {
                used_gap = true;
                return (*this)(phrase::ev_gap, {event_name(x->event), days(e.gap->days), period(mandate::period{e.gap->from, e.gap->to})});
            }
            return (*this)(phrase::ev_gap_value, {event_name(x->event), shown});
        case check::op::coverage: {
            if (!e.coverage || used_coverage) break;
            used_coverage = true;
            const coverage_evidence& c = *e.coverage;
            const std::string kinds = kinds_name(x->kinds);
            if (c.of == 0) return (*this)(phrase::ev_coverage_none, {kinds});
            std::string s = (*this)(phrase::ev_coverage, {std::to_string(c.covered), std::to_string(c.of), kinds, event_name(x->event)});
            if (!c.missing.empty()) {
                std::vector<std::string> names;
                for (const auto& m : c.missing) names.push_back(entity(m));
                s += (*this)(phrase::sentence_separator) +
                     (*this)(phrase::ev_missing, {list(names, static_cast<std::size_t>(c.of - c.covered))});
            }
            return s;
        }
        case check::op::all_units:
        case check::op::any_unit: {
            if (!e.children || used_children) break;
            used_children = true;
            const coverage_evidence& c = *e.children;
            std::string s = (*this)(phrase::ev_children, {std::to_string(c.covered), std::to_string(c.of), kinds_name(x->kinds)});
            if (!c.missing.empty()) {
                std::vector<std::string> names;
                for (const auto& m : c.missing) names.push_back(entity(m));
                s += (*this)(phrase::sentence_separator) +
                     (*this)(phrase::ev_failing, {list(names, static_cast<std::size_t>(c.of - c.covered))});
            }
            return s;
        }
        case check::op::units: return (*this)(phrase::ev_units, {kinds_name(x->kinds), shown});
        case check::op::streak: return (*this)(phrase::ev_streak, {per_name(lang_, x->per.unit), shown});
        case check::op::violations: {
            const std::string count = v.k == reported_value::kind::number ? v.number.to_string() : shown;
            if (e.violated.empty()) return (*this)(x->distinct ? phrase::ev_violated_obligations : phrase::ev_violations, {count});
            std::vector<std::string> items;
            for (const violated_bucket& b : e.violated) {
                const int q = plan_ ? plan_->find_obligation(b.obligation) : -1;
                const check::rule* o = this->rule(q);
                std::string item = o ? label_or_id(o->label, o->id) : b.obligation;
                if (b.unit != row_unit) item += " " + unit(b.unit);
                item += (lang_ == language::zh ? "（" : " (") + period(b.span) + (lang_ == language::zh ? "）" : ")");
                items.push_back(std::move(item));
            }
            std::size_t total = items.size();
            if (!x->distinct && v.k == reported_value::kind::number && v.number.is_integer())
                total = std::max<std::size_t>(total, static_cast<std::size_t>(v.number.num()));
            return (*this)(x->distinct ? phrase::ev_violated_obligations_list : phrase::ev_violations_list, {count, list(items, total)});
        }
        case check::op::fired: {
            std::string names;
            for (int q : x->rules) {
                const check::rule* o = rule ? this->rule(q) : nullptr;
                if (o) names += (names.empty() ? "" : (*this)(phrase::enumeration_separator)) + label_or_id(o->label, o->id);
            }
            const bool yes = v.k == reported_value::kind::boolean && v.boolean;
            return (*this)(phrase::ev_fired, {names, (*this)(yes ? phrase::fired : phrase::not_fired)});
        }
        case check::op::rank: return (*this)(phrase::ev_rank, {shown});
        case check::op::peak:
        case check::op::earlier: {
            const check::texpr* inner = x->args.empty() ? nullptr : &x->args[0];
            const std::string what = inner && inner->event >= 0 ? event_name(inner->event) : (inner ? inner->text : std::string());
            return (*this)(x->o == check::op::peak ? phrase::ev_peak : phrase::ev_earlier, {duration(x->value.length), what, shown});
        }
        case check::op::unit_field: {
            const auto dot = x->text.rfind('.');
            return (*this)(phrase::ev_field, {dot == std::string::npos ? x->text : x->text.substr(dot + 1), shown});
        }
        default: break;
    }
    return (*this)(phrase::ev_measure, {x->text, shown});
}

std::vector<std::string> words::evidence(int rule_index, const std::optional<std::string>& row_unit, const mandate::evidence& e,
                                         bool skip_compared) const {
    std::vector<std::string> out;
    const check::rule* rule = this->rule(rule_index);
    const check::texpr* compared = rule && check::is_comparison(rule->condition.o) && rule->condition.args.size() == 2
                                       ? &rule->condition.args[0]
                                       : nullptr;
    bool used_coverage = false, used_children = false, used_gap = false;
    for (const auto& [text, v] : e.measures) {
        const check::texpr* x = rule ? find_text(rule->condition, text) : nullptr;
        if (!x && rule && rule->where) x = find_text(*rule->where, text);
        if (skip_compared && x && x == compared && !(x->o == check::op::coverage || x->o == check::op::all_units ||
                                                     x->o == check::op::any_unit || x->o == check::op::violations || x->o == check::op::gap))
            continue;
        if (!x) {
            out.push_back((*this)(phrase::ev_measure, {text, value(nullptr, v)}));
            continue;
        }
        out.push_back(measure(rule, x, v, e, row_unit, used_coverage, used_children, used_gap));
    }
    if (e.gap && !used_gap)
        out.push_back((*this)(phrase::ev_gap, {"", days(e.gap->days), period(mandate::period{e.gap->from, e.gap->to})}));
    if (e.coverage && !used_coverage) {
        std::vector<std::string> names;
        for (const auto& m : e.coverage->missing) names.push_back(entity(m));
        std::string s = (*this)(phrase::ev_coverage, {std::to_string(e.coverage->covered), std::to_string(e.coverage->of), "", ""});
        if (!names.empty())
            s += (*this)(phrase::sentence_separator) +
                 (*this)(phrase::ev_missing, {list(names, static_cast<std::size_t>(e.coverage->of - e.coverage->covered))});
        out.push_back(s);
    }
    if (e.children && !used_children) {
        std::vector<std::string> names;
        for (const auto& m : e.children->missing) names.push_back(entity(m));
        std::string s = (*this)(phrase::ev_children, {std::to_string(e.children->covered), std::to_string(e.children->of), (*this)(phrase::unit_word_zh)});
        if (!names.empty())
            s += (*this)(phrase::sentence_separator) +
                 (*this)(phrase::ev_failing, {list(names, static_cast<std::size_t>(e.children->of - e.children->covered))});
        out.push_back(s);
    }
    if (e.ratio) {
        auto side = [&](const reported_value& v) { return v.is_null() ? (*this)(phrase::no_data) : value(nullptr, v); };
        std::string s = (*this)(phrase::ev_ratio, {side(e.ratio->numerator), side(e.ratio->denominator)});
        if (!e.ratio->denominator.is_null() && e.ratio->denominator.number == rational(0))
            s += (*this)(phrase::sentence_separator) + (*this)(phrase::ev_ratio_over_nothing);
        out.push_back(s);
    }
    if (e.event_count > 0) {
        std::vector<std::string> ids(e.events.begin(), e.events.end());
        std::string joined;
        for (std::size_t i = 0; i < ids.size(); ++i) joined += (i ? (*this)(phrase::enumeration_separator) : "") + ids[i];
        out.push_back(e.event_count > e.events.size() ? (*this)(phrase::ev_records_more, {joined, std::to_string(e.event_count)})
                                                      : (*this)(phrase::ev_records, {joined}));
    }
    return out;
}

}  // namespace mandate::io::detail

namespace mandate::io {

std::string note_text(language lang, note n, std::initializer_list<std::string_view> args) {
    using detail::phrase;
    static const phrase phrases[] = {phrase::note_rejected, phrase::note_unresolved_entities, phrase::note_as_of_late,
                                     phrase::note_watch_rejected, phrase::note_no_entities, phrase::note_all_entities_rejected,
                                     phrase::note_encoding_hint, phrase::note_mostly_unresolved, phrase::note_not_utf8,
                                     phrase::note_rejects_not_copied};
    return detail::fill(detail::text(lang, phrases[static_cast<std::size_t>(n)]), args);
}

}  // namespace mandate::io
