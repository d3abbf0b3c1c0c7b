#include "mandate/io/report_writer.hpp"

#include <cstdio>
#include <map>
#include <ostream>
#include <sstream>
#include <type_traits>

#include "mandate/diagnostic.hpp"
#include "mandate/graph/plan.hpp"
#include "grid.hpp"

namespace mandate::io {

// Control characters are escaped; bytes that are not valid UTF-8 (a file name, a cut string)
// become U+FFFD, so the report is always valid JSON.
std::string json_string(std::string_view s) {
    std::string out = "\"";
    detail::append_utf8(s, out, [](char c, std::string& o) {
        switch (c) {
            case '"': o += "\\\""; break;
            case '\\': o += "\\\\"; break;
            case '\n': o += "\\n"; break;
            case '\t': o += "\\t"; break;
            case '\r': o += "\\r"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
                    o += buf;
                } else {
                    o += c;
                }
        }
    });
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

namespace {

// Terminal colours (SGR); empty strings when colour is off.
struct palette {
    explicit palette(bool on) : on_(on) {}
    std::string paint(const char* code, const std::string& text) const {
        return on_ ? std::string("\033[") + code + "m" + text + "\033[0m" : text;
    }
    std::string bold(const std::string& t) const { return paint("1", t); }
    std::string dim(const std::string& t) const { return paint("2", t); }
    std::string green(const std::string& t) const { return paint("32", t); }
    std::string red(const std::string& t) const { return paint("31", t); }
    std::string yellow(const std::string& t) const { return paint("33", t); }
    std::string cyan(const std::string& t) const { return paint("36", t); }

private:
    bool on_;
};

// A cell: one symbol, so the grid keeps its columns in any terminal font.
std::string symbol(const result_row& x, const palette& c) {
    if (x.status == status::satisfied) return c.green("\u2713");  // ✓
    if (x.status == status::violated) return c.red("\u2717");     // ✗
    if (x.at_risk) return c.yellow("!");
    return c.dim("\u00b7");  // ·
}

std::string symbol(const outcome_row& x, const palette& c) {
    if (x.fired) return x.final ? c.cyan("\u25cf") : c.cyan("\u25cb");  // ● fired, ○ fired but not final
    return c.dim("\u00b7");
}

std::string pad_to(const std::string& s, std::size_t width) {
    const std::size_t w = display_width(s);
    return w >= width ? s : s + std::string(width - w, ' ');
}

// Grids wider than this many periods show a count per unit instead (a daily duty).
constexpr std::size_t max_grid_columns = 40;

template <class Row>
void write_grid(const detail::rule_grid& g, const std::vector<const Row*>& rows, const palette& c, std::ostream& out) {
    std::size_t unit_width = 4;
    for (const auto& u : g.units) unit_width = std::max(unit_width, display_width(u.empty() ? "-" : u));
    const std::string indent = "  ";
    if (g.columns.size() == 1) {
        // One bucket each: units side by side, as many to a line as fit in about 100 columns.
        out << indent << c.dim(detail::period_text(g.columns[0])) << "\n";
        const std::size_t per_line = std::max<std::size_t>(1, 96 / (unit_width + 4));
        for (std::size_t u = 0; u < g.units.size(); ++u) {
            const int i = g.cells[u][0];
            out << (u % per_line == 0 ? indent : "  ") << pad_to(g.units[u].empty() ? "-" : g.units[u], unit_width) << " "
                << (i < 0 ? std::string(" ") : symbol(*rows[static_cast<std::size_t>(i)], c));
            if (u % per_line == per_line - 1 || u + 1 == g.units.size()) out << "\n";
        }
        return;
    }
    if (g.columns.size() > max_grid_columns) {
        out << indent << c.dim(std::to_string(g.columns.size()) + " periods, " + detail::period_text({g.columns.front().from, g.columns.back().to}))
            << "\n";
        for (std::size_t u = 0; u < g.units.size(); ++u) {
            std::size_t counts[4] = {0, 0, 0, 0};  // satisfied/fired, violated, at risk, other
            for (const int i : g.cells[u]) {
                if (i < 0) continue;
                const Row& x = *rows[static_cast<std::size_t>(i)];
                if constexpr (std::is_same_v<Row, result_row>) {
                    ++counts[x.status == status::satisfied ? 0 : x.status == status::violated ? 1 : x.at_risk ? 2 : 3];
                } else {
                    ++counts[x.fired ? 0 : 3];
                }
            }
            out << indent << pad_to(g.units[u].empty() ? "-" : g.units[u], unit_width) << "  ";
            if constexpr (std::is_same_v<Row, result_row>) {
                out << c.green(std::to_string(counts[0]) + " \u2713") << "  " << c.red(std::to_string(counts[1]) + " \u2717") << "  "
                    << c.yellow(std::to_string(counts[2]) + " !") << "  " << c.dim(std::to_string(counts[3]) + " \u00b7") << "\n";
            } else {
                out << c.cyan(std::to_string(counts[0]) + " fired") << "  " << c.dim(std::to_string(counts[3]) + " not") << "\n";
            }
        }
        return;
    }
    const detail::column_labels labels = detail::label_columns(g.columns);
    // Cells are as wide as the labels that stand over each of them (the bottom row when there
    // are two: the months above then name the first column of each month, running on).
    std::size_t cell = 3;
    for (const auto& l : labels.two_rows ? labels.bottom : labels.top) cell = std::max(cell, display_width(l) + 1);
    auto heading = [&](const std::vector<std::string>& text) {
        std::string line = indent + std::string(unit_width, ' ');
        const std::size_t base = display_width(line) + 1;
        for (std::size_t k = 0; k < text.size(); ++k) {
            if (text[k].empty()) continue;
            const std::size_t at = base + k * cell, width = display_width(line);
            line += (width < at ? std::string(at - width, ' ') : std::string(" ")) + text[k];
        }
        out << c.dim(line) << "\n";
    };
    heading(labels.top);
    if (labels.two_rows) heading(labels.bottom);
    for (std::size_t u = 0; u < g.units.size(); ++u) {
        std::string line = indent + pad_to(g.units[u].empty() ? "-" : g.units[u], unit_width) + " ";
        for (std::size_t k = 0; k < g.columns.size(); ++k) {
            const int i = g.cells[u][k];
            const bool last = k + 1 == g.columns.size();
            line += (i < 0 ? std::string(" ") : symbol(*rows[static_cast<std::size_t>(i)], c)) + (last ? "" : std::string(cell - 1, ' '));
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out << line << "\n";
    }
}

}  // namespace

void write_table(const report& r, std::ostream& out, const table_options& options) {
    const palette c(options.colour);
    const check::plan* model = r.compiled ? &r.compiled->model() : nullptr;
    out << c.bold("plan " + r.plan) << (model && !model->title.empty() ? "  " + model->title : "") << "\n";
    out << "as of " << calendar::to_iso(r.as_of) << "    " << c.green("\u2713") << " satisfied  " << c.red("\u2717")
        << " violated  " << c.yellow("!") << " at risk  " << c.dim("\u00b7") << " pending    " << c.cyan("\u25cf")
        << " fired  " << c.cyan("\u25cb") << " fired, not final\n";
    for (const auto& g : detail::grids_of(r)) {
        out << "\n" << c.bold(g.id) << (g.label.empty() ? "" : "  " + g.label) << "\n";
        if (g.outcome ? g.outcomes.empty() : g.results.empty()) {
            out << "  " << c.dim("no bucket has started by " + calendar::to_iso(r.as_of)) << "\n";
            continue;
        }
        if (g.outcome) {
            out << "  " << g.fired << " fired (" << g.fired_final << " final), " << g.outcomes.size() - g.fired << " not fired\n";
            write_grid(g, g.outcomes, c, out);
            continue;
        }
        out << "  " << c.green(std::to_string(g.satisfied) + " satisfied") << ", " << c.red(std::to_string(g.violated) + " violated")
            << ", " << g.pending << " pending";
        if (g.at_risk) out << " (" << c.yellow(std::to_string(g.at_risk) + " at risk") << ")";
        out << "\n";
        write_grid(g, g.results, c, out);
        // The buckets that need attention, with what they lacked.
        std::size_t shown = 0, listed = 0;
        for (const result_row* x : g.results) {
            if (x->status != status::violated && !x->at_risk) continue;
            ++listed;
            if (shown == options.max_details) continue;
            ++shown;
            std::string line = "    " + (x->at_risk ? c.yellow("at risk ") : c.red("violated")) + "  " + x->unit.value_or("-") +
                               "  " + detail::period_text(x->span);
            if (!x->value.is_null()) line += "  value " + detail::human_value(x->value);
            if (x->reason) line += "  (" + *x->reason + ")";
            if (x->evidence.coverage && !x->evidence.coverage->missing.empty()) {
                line += "  not covered:";
                for (const auto& m : x->evidence.coverage->missing) line += " " + m;
            }
            out << line << "\n";
        }
        if (listed > shown) out << "    " << c.dim("... " + std::to_string(listed - shown) + " more (--format json or html lists all)") << "\n";
    }
    const input_counts& in = r.inputs;
    out << "\nrecords: " << in.read << " read = " << in.entities << " entities + " << in.applied << " applied + "
        << in.duplicates << " duplicates + " << in.retracted << " retracted + " << in.retractions << " retractions + "
        << in.unresolved << " unresolved + " << in.rejected << " rejected\n";
    for (std::size_t i = 0; i < r.rejected.size() && i < 10; ++i)
        out << "  " << c.red("rejected") << " " << r.rejected[i].source << ":" << r.rejected[i].line << ": " << r.rejected[i].reason << "\n";
    if (r.rejected.size() > 10) out << "  ... " << r.rejected.size() - 10 << " more (--rejects FILE copies them all)\n";
    for (const auto& f : r.ignored_fields)
        out << "  ignored field '" << f.field << "' of " << f.type << " in " << f.records << " records\n";
}

}  // namespace mandate::io
