#include "mandate/io/report_writer.hpp"

#include <cstdio>
#include <map>
#include <ostream>
#include <sstream>

#include "mandate/diagnostic.hpp"
#include "mandate/graph/plan.hpp"

namespace mandate::io {

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not one.
std::size_t utf8_length(std::string_view s, std::size_t i) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k)
        if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
    if (n == 2 && b < 0xC2) return 0;                                                        // overlong
    if (n == 3) {
        const auto c = static_cast<unsigned char>(s[i + 1]);
        if ((b == 0xE0 && c < 0xA0) || (b == 0xED && c >= 0xA0)) return 0;                  // overlong, surrogate
    }
    if (n == 4) {
        const auto c = static_cast<unsigned char>(s[i + 1]);
        if ((b == 0xF0 && c < 0x90) || b > 0xF4 || (b == 0xF4 && c >= 0x90)) return 0;       // overlong, > U+10FFFF
    }
    return n;
}

}  // namespace

// Control characters are escaped; bytes that are not valid UTF-8 (a file name, a cut string)
// become U+FFFD, so the report is always valid JSON.
std::string json_string(std::string_view s) {
    std::string out = "\"";
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8_length(s, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
            continue;
        }
        if (n > 1) {
            out.append(s.substr(i, n));
            i += n;
            continue;
        }
        const char c = s[i++];
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
                    out += buf;
                } else {
                    out += c;
                }
        }
    }
    return out + "\"";
}

namespace {

std::string json_value(const reported_value& v) {
    switch (v.k) {
        case reported_value::kind::null: return "null";
        case reported_value::kind::number:
        case reported_value::kind::days: return v.number.to_string();
        case reported_value::kind::date: return json_string(calendar::to_iso(v.date));
        case reported_value::kind::boolean: return v.boolean ? "true" : "false";
    }
    return "null";
}

std::string json_unit(const std::optional<std::string>& unit) { return unit ? json_string(*unit) : "null"; }

std::string json_period(const period& p) {
    return "{\"from\": " + json_string(calendar::to_iso(p.from)) + ", \"to\": " + json_string(calendar::to_iso(p.to)) + "}";
}

std::string json_evidence(const evidence& e) {
    std::string out = "{\"events\": [";
    for (std::size_t i = 0; i < e.events.size(); ++i) out += (i ? ", " : "") + json_string(e.events[i]);
    out += "]";
    if (e.event_count > e.events.size()) out += ", \"event_count\": " + std::to_string(e.event_count);
    out += ", \"measures\": {";
    for (std::size_t i = 0; i < e.measures.size(); ++i)
        out += (i ? ", " : "") + json_string(e.measures[i].first) + ": " + json_value(e.measures[i].second);
    out += "}";
    if (e.gap)
        out += ", \"gap\": {\"from\": " + json_string(calendar::to_iso(e.gap->from)) + ", \"to\": " +
               json_string(calendar::to_iso(e.gap->to)) + ", \"days\": " + std::to_string(e.gap->days) + "}";
    if (e.ratio)
        out += ", \"ratio\": {\"numerator\": " + json_value(e.ratio->numerator) + ", \"denominator\": " +
               json_value(e.ratio->denominator) + "}";
    if (e.coverage) {
        out += ", \"coverage\": {\"covered\": " + std::to_string(e.coverage->covered) + ", \"of\": " +
               std::to_string(e.coverage->of) + ", \"missing\": [";
        for (std::size_t i = 0; i < e.coverage->missing.size(); ++i)
            out += (i ? ", " : "") + json_string(e.coverage->missing[i]);
        out += "]}";
    }
    return out + "}";
}

const std::vector<std::string>& cites_of(const report& r, int rule) {
    static const std::vector<std::string> empty;
    if (!r.compiled || rule < 0) return empty;
    return r.compiled->model().rules[static_cast<std::size_t>(rule)].cites;
}

}  // namespace

void write_json(const report& r, std::ostream& out) {
    out << "{\n  \"schema\": \"mandate.report/1\",\n  \"plan\": " << json_string(r.plan)
        << ",\n  \"revision\": " << json_string(r.revision) << ",\n  \"as_of\": " << json_string(calendar::to_iso(r.as_of))
        << ",\n  \"results\": [";
    for (std::size_t i = 0; i < r.results.size(); ++i) {
        const result_row& x = r.results[i];
        out << (i ? ",\n    " : "\n    ") << "{\"obligation\": " << json_string(x.obligation) << ", \"unit\": " << json_unit(x.unit)
            << ", \"period\": " << json_period(x.span) << ", \"status\": " << json_string(to_string(x.status))
            << ", \"met\": " << (x.met ? "true" : "false") << ", \"at_risk\": " << (x.at_risk ? "true" : "false")
            << ", \"value\": " << json_value(x.value) << ", \"reason\": " << (x.reason ? json_string(*x.reason) : "null")
            << ", \"evidence\": " << json_evidence(x.evidence) << ", \"cite\": [";
        const auto& cites = cites_of(r, x.rule);
        for (std::size_t c = 0; c < cites.size(); ++c) out << (c ? ", " : "") << json_string(cites[c]);
        out << "]}";
    }
    out << (r.results.empty() ? "],\n" : "\n  ],\n") << "  \"outcomes\": [";
    for (std::size_t i = 0; i < r.outcomes.size(); ++i) {
        const outcome_row& x = r.outcomes[i];
        out << (i ? ",\n    " : "\n    ") << "{\"outcome\": " << json_string(x.outcome) << ", \"unit\": " << json_unit(x.unit)
            << ", \"period\": " << json_period(x.span) << ", \"fired\": " << (x.fired ? "true" : "false")
            << ", \"final\": " << (x.final ? "true" : "false")
            << ", \"final_on\": " << (x.final_on ? json_string(calendar::to_iso(*x.final_on)) : "null")
            << ", \"evidence\": " << json_evidence(x.evidence) << ", \"cite\": [";
        const auto& cites = cites_of(r, x.rule);
        for (std::size_t c = 0; c < cites.size(); ++c) out << (c ? ", " : "") << json_string(cites[c]);
        out << "]}";
    }
    const input_counts& in = r.inputs;
    out << (r.outcomes.empty() ? "],\n" : "\n  ],\n") << "  \"inputs\": {\"read\": " << in.read << ", \"entities\": " << in.entities
        << ", \"applied\": " << in.applied << ", \"duplicates\": " << in.duplicates << ", \"retracted\": " << in.retracted
        << ", \"retractions\": " << in.retractions << ", \"unresolved\": " << in.unresolved << ", \"rejected\": " << in.rejected
        << "},\n  \"rejected\": [";
    for (std::size_t i = 0; i < r.rejected.size(); ++i) {
        const rejection& x = r.rejected[i];
        out << (i ? ",\n    " : "\n    ") << "{\"source\": " << json_string(x.source) << ", \"line\": " << x.line
            << ", \"reason\": " << json_string(x.reason) << "}";
    }
    out << (r.rejected.empty() ? "],\n" : "\n  ],\n") << "  \"ignored_fields\": [";
    for (std::size_t i = 0; i < r.ignored_fields.size(); ++i) {
        const ignored_field& x = r.ignored_fields[i];
        out << (i ? ",\n    " : "\n    ") << "{\"type\": " << json_string(x.type) << ", \"field\": " << json_string(x.field)
            << ", \"records\": " << x.records << "}";
    }
    out << (r.ignored_fields.empty() ? "]\n" : "\n  ]\n") << "}\n";
}

std::string to_json(const report& r) {
    std::ostringstream out;
    write_json(r, out);
    return out.str();
}

namespace {

std::string csv_cell(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

}  // namespace

void write_csv(const report& r, std::ostream& out) {
    out << "kind,rule,unit,from,to,status,met,at_risk,value,reason,fired,final\n";
    for (const auto& x : r.results)
        out << "obligation," << csv_cell(x.obligation) << "," << csv_cell(x.unit.value_or("")) << ","
            << calendar::to_iso(x.span.from) << "," << calendar::to_iso(x.span.to) << "," << to_string(x.status) << ","
            << (x.met ? "true" : "false") << "," << (x.at_risk ? "true" : "false") << ","
            << (x.value.is_null() ? "" : csv_cell(x.value.to_string())) << "," << csv_cell(x.reason.value_or("")) << ",,\n";
    for (const auto& x : r.outcomes)
        out << "outcome," << csv_cell(x.outcome) << "," << csv_cell(x.unit.value_or("")) << "," << calendar::to_iso(x.span.from)
            << "," << calendar::to_iso(x.span.to) << ",,,,,," << (x.fired ? "true" : "false") << ","
            << (x.final ? "true" : "false") << "\n";
}

void write_table(const report& r, std::ostream& out) {
    const check::plan* model = r.compiled ? &r.compiled->model() : nullptr;
    out << "plan " << r.plan << " as of " << calendar::to_iso(r.as_of) << "\n\n";
    // Per obligation: counts by status, then the violated and at-risk buckets.
    std::map<int, std::vector<const result_row*>> by_rule;
    for (const auto& x : r.results) by_rule[x.rule].push_back(&x);
    for (const auto& [rule, rows] : by_rule) {
        std::size_t satisfied = 0, violated = 0, pending = 0, at_risk = 0;
        for (const auto* x : rows) {
            satisfied += x->status == status::satisfied;
            violated += x->status == status::violated;
            pending += x->status == status::pending;
            at_risk += x->at_risk;
        }
        const std::string label = model ? model->rules[static_cast<std::size_t>(rule)].label : "";
        out << rows.front()->obligation << (label.empty() ? "" : "  " + label) << "\n";
        out << "  " << satisfied << " satisfied, " << violated << " violated, " << pending << " pending";
        if (at_risk) out << " (" << at_risk << " at risk)";
        out << "\n";
        std::size_t shown = 0;
        for (const auto* x : rows) {
            if (x->status != status::violated && !x->at_risk) continue;
            if (++shown > 12) {
                out << "    ...\n";
                break;
            }
            std::string line = "    " + std::string(x->at_risk ? "at risk " : "violated") + "  " + x->unit.value_or("-");
            line += "  " + calendar::to_iso(x->span.from) + ".." + calendar::to_iso(x->span.to);
            if (!x->value.is_null()) line += "  value " + x->value.to_string();
            if (x->reason) line += "  (" + *x->reason + ")";
            if (x->evidence.coverage && !x->evidence.coverage->missing.empty()) {
                line += "  missing:";
                for (const auto& m : x->evidence.coverage->missing) line += " " + m;
            }
            out << line << "\n";
        }
    }
    if (!r.outcomes.empty()) {
        out << "\noutcomes fired\n";
        std::size_t fired = 0;
        for (const auto& x : r.outcomes) {
            if (!x.fired) continue;
            ++fired;
            out << "  " << x.outcome << "  " << x.unit.value_or("-") << "  " << calendar::to_iso(x.span.from) << ".."
                << calendar::to_iso(x.span.to) << (x.final ? "  final" : "  not final yet") << "\n";
        }
        if (fired == 0) out << "  none\n";
    }
    const input_counts& in = r.inputs;
    out << "\nrecords: " << in.read << " read = " << in.entities << " entities + " << in.applied << " applied + "
        << in.duplicates << " duplicates + " << in.retracted << " retracted + " << in.retractions << " retractions + "
        << in.unresolved << " unresolved + " << in.rejected << " rejected\n";
    for (std::size_t i = 0; i < r.rejected.size() && i < 10; ++i)
        out << "  rejected " << r.rejected[i].source << ":" << r.rejected[i].line << ": " << r.rejected[i].reason << "\n";
    if (r.rejected.size() > 10) out << "  ... " << r.rejected.size() - 10 << " more (--rejects FILE lists them all)\n";
    for (const auto& f : r.ignored_fields)
        out << "  ignored field '" << f.field << "' of " << f.type << " in " << f.records << " records\n";
}

}  // namespace mandate::io
