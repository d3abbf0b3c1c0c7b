#include "mandate/report/report_writer.hpp"

#include <cstdio>
#include <map>
#include <ostream>
#include <sstream>
#include <type_traits>

#include "mandate/diagnostic.hpp"
#include "mandate/graph/plan.hpp"
#include "grid.hpp"

namespace mandate::io {

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
    return "{\"from\": " + json_string(p.from_text()) + ", \"to\": " + json_string(p.to_text()) + "}";
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
    if (e.children) {
        out += ", \"children\": {\"holding\": " + std::to_string(e.children->covered) + ", \"of\": " +
               std::to_string(e.children->of) + ", \"failing\": [";
        for (std::size_t i = 0; i < e.children->missing.size(); ++i)
            out += (i ? ", " : "") + json_string(e.children->missing[i]);
        out += "]}";
    }
    return out + "}";
}

// A waiver's note on a row (only rows that carry one have it).
std::string json_waiver(const waiver_note& w) {
    return "{\"id\": " + json_string(w.id) + ", \"extended_to\": " +
           (w.extended_to ? json_string(calendar::to_iso(*w.extended_to)) : std::string("null")) +
           ", \"reason\": " + json_string(w.reason) + ", \"approved_by\": " + json_string(w.approved_by) + "}";
}


}  // namespace

namespace {

void write_cites(const std::vector<std::string>& cites, std::ostream& out) {
    out << ", \"cite\": [";
    for (std::size_t c = 0; c < cites.size(); ++c) out << (c ? ", " : "") << json_string(cites[c]);
    out << "]}";
}

// The JSON report, written as the engine makes it: every row is written when it arrives.
class json_sink : public report_sink {
public:
    explicit json_sink(std::ostream& out) : out_(out) {}

    void begin(const report& r) override {
        compiled_ = r.compiled;
        out_ << "{\n  \"schema\": \"mandate.report/1\",\n  \"plan\": " << json_string(r.plan)
             << ",\n  \"revision\": " << json_string(r.revision) << ",\n  \"as_of\": " << json_string(calendar::to_iso(r.as_of))
             << ",\n  \"results\": [";
    }

    void result(const result_row& x) override {
        out_ << (rows_++ ? ",\n    " : "\n    ") << "{\"obligation\": " << json_string(x.obligation) << ", \"unit\": " << json_unit(x.unit)
             << ", \"period\": " << json_period(x.span);
        if (x.due) out_ << ", \"due\": " << json_period(*x.due);
        out_ << ", \"status\": " << json_string(to_string(x.status))
             << ", \"met\": " << (x.met ? "true" : "false") << ", \"at_risk\": " << (x.at_risk ? "true" : "false")
             << ", \"value\": " << json_value(x.value) << ", \"reason\": " << (x.reason ? json_string(*x.reason) : "null")
             << ", \"evidence\": " << json_evidence(x.evidence);
        if (x.waiver) {
            if (x.waiver->extended_to) out_ << ", \"extended_to\": " << json_string(calendar::to_iso(*x.waiver->extended_to));
            out_ << ", \"waiver\": " << json_waiver(*x.waiver);
        }
        write_cites(cites(x.rule), out_);
    }

    void outcome(const outcome_row& x) override {
        if (!in_outcomes_) close_results();
        out_ << (rows_++ ? ",\n    " : "\n    ") << "{\"outcome\": " << json_string(x.outcome) << ", \"unit\": " << json_unit(x.unit)
             << ", \"period\": " << json_period(x.span) << ", \"fired\": " << (x.fired ? "true" : "false")
             << ", \"final\": " << (x.final ? "true" : "false")
             << ", \"final_on\": " << (x.final_on ? json_string(calendar::to_iso(*x.final_on)) : "null")
             << ", \"evidence\": " << json_evidence(x.evidence);
        write_cites(cites(x.rule), out_);
    }

    void end(const report& r) override {
        if (!in_outcomes_) close_results();
        const input_counts& in = r.inputs;
        out_ << (rows_ == 0 ? "],\n" : "\n  ],\n") << "  \"inputs\": {\"read\": " << in.read << ", \"entities\": " << in.entities
             << ", \"applied\": " << in.applied << ", \"duplicates\": " << in.duplicates << ", \"retracted\": " << in.retracted
             << ", \"retractions\": " << in.retractions << ", \"unresolved\": " << in.unresolved << ", \"rejected\": " << in.rejected
             << ", \"waivers\": " << in.waivers << "},\n  \"rejected\": [";
        for (std::size_t i = 0; i < r.rejected.size(); ++i) {
            const rejection& x = r.rejected[i];
            out_ << (i ? ",\n    " : "\n    ") << "{\"source\": " << json_string(x.source) << ", \"line\": " << x.line
                 << ", \"reason\": " << json_string(x.reason) << "}";
        }
        out_ << (r.rejected.empty() ? "],\n" : "\n  ],\n") << "  \"ignored_fields\": [";
        for (std::size_t i = 0; i < r.ignored_fields.size(); ++i) {
            const ignored_field& x = r.ignored_fields[i];
            out_ << (i ? ",\n    " : "\n    ") << (x.kind ? "{\"kind\": " : "{\"type\": ") << json_string(x.type)
                 << ", \"field\": " << json_string(x.field)
                 << ", \"records\": " << x.records << "}";
        }
        out_ << (r.ignored_fields.empty() ? "],\n" : "\n  ],\n") << "  \"unresolved_entities\": [";
        for (std::size_t i = 0; i < r.unresolved_entities.size(); ++i) {
            const unresolved_entity& x = r.unresolved_entities[i];
            out_ << (i ? ",\n    " : "\n    ") << "{\"entity\": " << json_string(x.entity) << ", \"reason\": " << json_string(x.reason)
                 << ", \"ids\": [";
            for (std::size_t k = 0; k < x.chain.size(); ++k) out_ << (k ? ", " : "") << json_string(x.chain[k]);
            out_ << "]}";
        }
        out_ << (r.unresolved_entities.empty() ? "],\n" : "\n  ],\n") << "  \"unapplied_waivers\": [";
        for (std::size_t i = 0; i < r.unapplied_waivers.size(); ++i) {
            const unapplied_waiver& x = r.unapplied_waivers[i];
            out_ << (i ? ",\n    " : "\n    ") << "{\"waiver\": " << json_string(x.id) << ", \"obligation\": " << json_string(x.obligation)
                 << ", \"unit\": " << json_unit(x.unit) << ", \"period\": " << json_string(calendar::to_iso(x.period))
                 << ", \"reason\": " << json_string(x.reason) << "}";
        }
        out_ << (r.unapplied_waivers.empty() ? "]\n" : "\n  ]\n") << "}\n";
    }

private:
    void close_results() {
        out_ << (rows_ == 0 ? "],\n" : "\n  ],\n") << "  \"outcomes\": [";
        in_outcomes_ = true;
        rows_ = 0;
    }
    const std::vector<std::string>& cites(int rule) const {
        static const std::vector<std::string> none;
        if (!compiled_ || rule < 0) return none;
        return compiled_->model().rules[static_cast<std::size_t>(rule)].cites;
    }

    std::ostream& out_;
    std::shared_ptr<const graph::compiled_plan> compiled_;
    std::size_t rows_ = 0;
    bool in_outcomes_ = false;
};

}  // namespace

std::unique_ptr<report_sink> json_writer(std::ostream& out) { return std::make_unique<json_sink>(out); }

void write_json(const report& r, std::ostream& out) {
    json_sink sink(out);
    replay(r, sink);
}

std::string to_json(const report& r) {
    std::ostringstream out;
    write_json(r, out);
    return out.str();
}

namespace {

// A cell quoted when it holds a comma, a quote or a line break.
std::string csv_cell(std::string_view s) {
    if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

// A text cell (an id, a reason): one a spreadsheet would take for a formula (=, +, -, @, or a
// tab or carriage return before one) gets a leading ' so it is shown, not run.
std::string csv_text(std::string_view s, bool raw) {
    if (raw || s.empty() || std::string_view("=+-@\t\r").find(s[0]) == std::string_view::npos) return csv_cell(s);
    return csv_cell("'" + std::string(s));
}

class csv_sink : public report_sink {
public:
    csv_sink(std::ostream& out, const csv_options& o) : out_(out), raw_(o.raw) {}

    void begin(const report& r) override {
        as_of_ = calendar::to_iso(r.as_of);
        out_ << "kind,rule,unit,from,to,status,met,at_risk,value,reason,fired,final,as_of,extended_to,waiver,due_from,due_to\n";
    }

    void result(const result_row& x) override {
        // A value is a number, a date or true/false: never text, so never escaped.
        out_ << "obligation," << csv_text(x.obligation, raw_) << "," << csv_text(x.unit.value_or(""), raw_) << ","
             << x.span.from_text() << "," << x.span.to_text() << "," << to_string(x.status) << ","
             << (x.met ? "true" : "false") << "," << (x.at_risk ? "true" : "false") << ","
             << (x.value.is_null() ? "" : csv_cell(x.value.to_string())) << "," << csv_text(x.reason.value_or(""), raw_) << ",,,"
             << as_of_ << "," << (x.waiver && x.waiver->extended_to ? calendar::to_iso(*x.waiver->extended_to) : std::string()) << ","
             << (x.waiver ? csv_text(x.waiver->id, raw_) : std::string()) << ","
             << (x.due ? calendar::to_iso(x.due->from) + "," + calendar::to_iso(x.due->to) : std::string(",")) << "\n";
    }

    void outcome(const outcome_row& x) override {
        out_ << "outcome," << csv_text(x.outcome, raw_) << "," << csv_text(x.unit.value_or(""), raw_) << ","
             << x.span.from_text() << "," << x.span.to_text() << ",,,,,," << (x.fired ? "true" : "false") << ","
             << (x.final ? "true" : "false") << "," << as_of_ << ",,,,\n";
    }

    // Entities held out of the hierarchy: a row each, the reason naming the ids involved.
    void end(const report& r) override {
        for (const auto& u : r.unresolved_entities) {
            std::string reason = u.reason + ":";
            for (std::size_t i = 0; i < u.chain.size(); ++i) reason += (i ? ", " : " ") + u.chain[i];
            out_ << "unresolved_entity,," << csv_text(u.entity, raw_) << ",,,,,,," << csv_text(reason, raw_) << ",,," << as_of_ << ",,,,\n";
        }
        // Waivers applied to no bucket: a row each, under the obligation and unit they name.
        for (const auto& w : r.unapplied_waivers)
            out_ << "unapplied_waiver," << csv_text(w.obligation, raw_) << "," << csv_text(w.unit.value_or(""), raw_) << ","
                 << calendar::to_iso(w.period) << ",,,,,," << csv_text(w.reason, raw_) << ",,," << as_of_ << ",," << csv_text(w.id, raw_)
                 << ",,\n";
    }

private:
    std::ostream& out_;
    bool raw_;
    std::string as_of_;
};

}  // namespace

std::unique_ptr<report_sink> csv_writer(std::ostream& out, const csv_options& options) {
    return std::make_unique<csv_sink>(out, options);
}

void write_csv(const report& r, std::ostream& out, const csv_options& options) {
    csv_sink sink(out, options);
    replay(r, sink);
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
    std::string blue(const std::string& t) const { return paint("34", t); }

private:
    bool on_;
};

// A cell: one symbol, so the grid keeps its columns in any terminal font.
std::string symbol(const result_row& x, const palette& c) {
    if (x.status == status::satisfied) return c.green("\u2713");  // ✓
    if (x.status == status::violated) return c.red("\u2717");     // ✗
    if (x.status == status::excused) return c.blue("\u2298");     // ⊘ excused by a waiver
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
    std::vector<std::string> names;  // row labels, safe for a terminal
    std::size_t unit_width = 4;
    for (const auto& u : g.units) {
        names.push_back(detail::terminal_text(u.empty() ? "-" : u));
        unit_width = std::max(unit_width, display_width(names.back()));
    }
    const std::string indent = "  ";
    if (g.columns.size() == 1) {
        // One bucket each: units side by side, as many to a line as fit in about 100 columns.
        out << indent << c.dim(detail::period_text(g.columns[0])) << "\n";
        const std::size_t per_line = std::max<std::size_t>(1, 96 / (unit_width + 4));
        for (std::size_t u = 0; u < g.units.size(); ++u) {
            const int i = g.cells[u][0];
            out << (u % per_line == 0 ? indent : "  ") << pad_to(names[u], unit_width) << " "
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
            out << indent << pad_to(names[u], unit_width) << "  ";
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
        std::string line = indent + pad_to(names[u], unit_width) + " ";
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
    // Ids and texts come from records and rule files: escaped so they cannot drive the terminal.
    const auto t = [](std::string_view text) { return detail::terminal_text(text); };
    out << c.bold("plan " + t(r.plan)) << (model && !model->title.empty() ? "  " + t(model->title) : "") << "\n";
    out << "as of " << calendar::to_iso(r.as_of) << "    " << c.green("\u2713") << " satisfied  " << c.red("\u2717")
        << " violated  " << c.yellow("!") << " at risk  " << c.dim("\u00b7") << " pending  " << c.blue("\u2298") << " excused    " << c.cyan("\u25cf")
        << " fired  " << c.cyan("\u25cb") << " fired, not final\n";
    for (const auto& g : detail::grids_of(r)) {
        out << "\n" << c.bold(t(g.id)) << (g.label.empty() ? "" : "  " + t(g.label)) << "\n";
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
        if (g.excused) out << ", " << c.blue(std::to_string(g.excused) + " excused");
        out << "\n";
        write_grid(g, g.results, c, out);
        // The buckets that need attention, with what they lacked.
        std::size_t shown = 0, listed = 0;
        for (const result_row* x : g.results) {
            if (x->status != status::violated && !x->at_risk) continue;
            ++listed;
            if (shown == options.max_details) continue;
            ++shown;
            std::string line = "    " + (x->at_risk ? c.yellow("at risk ") : c.red("violated")) + "  " + t(x->unit.value_or("-")) +
                               "  " + detail::period_text(x->span);
            if (x->due) line += "  due " + detail::period_text(*x->due);
            if (!x->value.is_null()) line += "  value " + detail::human_value(x->value);
            if (x->reason) line += "  (" + t(*x->reason) + ")";
            if (x->waiver && x->waiver->extended_to)
                line += "  extended to " + calendar::to_iso(*x->waiver->extended_to) + " (" + t(x->waiver->id) + ")";
            if (x->evidence.children && !x->evidence.children->missing.empty()) {
                line += "  failing:";
                for (const auto& m : x->evidence.children->missing) line += " " + t(m);
            }
            if (x->evidence.coverage && !x->evidence.coverage->missing.empty()) {
                line += "  not covered:";
                for (const auto& m : x->evidence.coverage->missing) line += " " + t(m);
            }
            out << line << "\n";
        }
        if (listed > shown) out << "    " << c.dim("... " + std::to_string(listed - shown) + " more (--format json or html lists all)") << "\n";
    }
    const input_counts& in = r.inputs;
    out << "\nrecords: " << in.read << " read = " << in.entities << " entities + " << in.applied << " applied + "
        << in.duplicates << " duplicates + " << in.retracted << " retracted + " << in.retractions << " retractions + "
        << in.unresolved << " unresolved + " << in.rejected << " rejected" << (in.waivers ? " + " + std::to_string(in.waivers) + " waivers" : "")
        << "\n";
    for (std::size_t i = 0; i < r.rejected.size() && i < 10; ++i)
        out << "  " << c.red("rejected") << " " << t(r.rejected[i].source) << ":" << r.rejected[i].line << ": " << t(r.rejected[i].reason)
            << "\n";
    if (r.rejected.size() > 10) out << "  ... " << r.rejected.size() - 10 << " more (--rejects FILE copies them all)\n";
    for (const auto& f : r.ignored_fields)
        out << "  ignored field '" << t(f.field) << "' of " << (f.kind ? "kind " : "") << t(f.type) << " in " << f.records << " records\n";
    for (std::size_t i = 0; i < r.unapplied_waivers.size() && i < 10; ++i)
        out << "  " << c.yellow("waiver not applied") << " " << t(r.unapplied_waivers[i].id) << ": " << t(r.unapplied_waivers[i].reason) << "\n";
    if (r.unapplied_waivers.size() > 10) out << "  ... " << r.unapplied_waivers.size() - 10 << " more (--format json lists all)\n";
    if (!r.unresolved_entities.empty())
        out << "\n" << c.yellow(std::to_string(r.unresolved_entities.size()) + " entities held out of the hierarchy")
            << " (counted, but without buckets until mended):\n";
    for (std::size_t i = 0; i < r.unresolved_entities.size() && i < 10; ++i) {
        const unresolved_entity& u = r.unresolved_entities[i];
        out << "  " << t(u.entity) << ": " << u.reason;
        for (std::size_t k = 0; k < u.chain.size(); ++k) out << (k ? ", " : " ") << t(u.chain[k]);
        out << "\n";
    }
    if (r.unresolved_entities.size() > 10) out << "  ... " << r.unresolved_entities.size() - 10 << " more (--format json lists all)\n";
}

}  // namespace mandate::io
