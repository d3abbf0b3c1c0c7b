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
    if (!e.violated.empty()) {
        out += ", \"violated\": [";
        for (std::size_t i = 0; i < e.violated.size(); ++i)
            out += std::string(i ? ", " : "") + "{\"obligation\": " + json_string(e.violated[i].obligation) + ", \"unit\": " +
                   json_unit(e.violated[i].unit) + ", \"period\": " + json_period(e.violated[i].span) + "}";
        out += "]";
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
    out << "]";
}

// The fields added after the first ones of mandate.report/1: the unit's name, the rule's label.
void write_names(const report& r, const std::optional<std::string>& unit, const std::string& label, std::ostream& out) {
    const std::string* name = unit ? r.name_of(*unit) : nullptr;
    out << ", \"unit_name\": " << (name ? json_string(*name) : "null") << ", \"label\": " << json_string(label) << "}";
}

// The JSON report, written as the engine makes it: every row is written when it arrives.
class json_sink : public report_sink {
public:
    explicit json_sink(std::ostream& out) : out_(out) {}

    void begin(const report& r) override {
        compiled_ = r.compiled;
        heading_.names = r.names;
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
        write_names(heading_, x.unit, label(x.rule), out_);
    }

    void outcome(const outcome_row& x) override {
        if (!in_outcomes_) close_results();
        out_ << (rows_++ ? ",\n    " : "\n    ") << "{\"outcome\": " << json_string(x.outcome) << ", \"unit\": " << json_unit(x.unit)
             << ", \"period\": " << json_period(x.span) << ", \"fired\": " << (x.fired ? "true" : "false")
             << ", \"final\": " << (x.final ? "true" : "false")
             << ", \"final_on\": " << (x.final_on ? json_string(calendar::to_iso(*x.final_on)) : "null")
             << ", \"evidence\": " << json_evidence(x.evidence);
        write_cites(cites(x.rule), out_);
        write_names(heading_, x.unit, label(x.rule), out_);
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
        out_ << (r.unapplied_waivers.empty() ? "],\n" : "\n  ],\n") << "  \"title\": " << json_string(title()) << "\n}\n";
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
    const std::string& label(int rule) const {
        static const std::string none;
        if (!compiled_ || rule < 0) return none;
        return compiled_->model().rules[static_cast<std::size_t>(rule)].label;
    }
    std::string title() const { return compiled_ ? compiled_->model().title : std::string(); }

    std::ostream& out_;
    std::shared_ptr<const graph::compiled_plan> compiled_;
    report heading_;  // its names only
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
        compiled_ = r.compiled;
        names_.names = r.names;
        title_ = csv_text(compiled_ ? compiled_->model().title : std::string(), raw_);
        out_ << "kind,rule,unit,from,to,status,met,at_risk,value,reason,fired,final,as_of,extended_to,waiver,due_from,due_to,"
                "unit_name,label,title\n";
    }

    void result(const result_row& x) override {
        // A value is a number, a date or true/false: never text, so never escaped.
        out_ << "obligation," << csv_text(x.obligation, raw_) << "," << csv_text(x.unit.value_or(""), raw_) << ","
             << x.span.from_text() << "," << x.span.to_text() << "," << to_string(x.status) << ","
             << (x.met ? "true" : "false") << "," << (x.at_risk ? "true" : "false") << ","
             << (x.value.is_null() ? "" : csv_cell(x.value.to_string())) << "," << csv_text(x.reason.value_or(""), raw_) << ",,,"
             << as_of_ << "," << (x.waiver && x.waiver->extended_to ? calendar::to_iso(*x.waiver->extended_to) : std::string()) << ","
             << (x.waiver ? csv_text(x.waiver->id, raw_) : std::string()) << ","
             << (x.due ? calendar::to_iso(x.due->from) + "," + calendar::to_iso(x.due->to) : std::string(",")) << tail(x.unit, x.rule)
             << "\n";
    }

    void outcome(const outcome_row& x) override {
        out_ << "outcome," << csv_text(x.outcome, raw_) << "," << csv_text(x.unit.value_or(""), raw_) << ","
             << x.span.from_text() << "," << x.span.to_text() << ",,,,,," << (x.fired ? "true" : "false") << ","
             << (x.final ? "true" : "false") << "," << as_of_ << ",,,," << tail(x.unit, x.rule) << "\n";
    }

    // Entities held out of the hierarchy: a row each, the reason naming the ids involved.
    void end(const report& r) override {
        for (const auto& u : r.unresolved_entities) {
            std::string reason = u.reason + ":";
            for (std::size_t i = 0; i < u.chain.size(); ++i) reason += (i ? ", " : " ") + u.chain[i];
            out_ << "unresolved_entity,," << csv_text(u.entity, raw_) << ",,,,,,," << csv_text(reason, raw_) << ",,," << as_of_ << ",,,,"
                 << tail(u.entity, -1) << "\n";
        }
        // Waivers applied to no bucket: a row each, under the obligation and unit they name.
        for (const auto& w : r.unapplied_waivers)
            out_ << "unapplied_waiver," << csv_text(w.obligation, raw_) << "," << csv_text(w.unit.value_or(""), raw_) << ","
                 << calendar::to_iso(w.period) << ",,,,,," << csv_text(w.reason, raw_) << ",,," << as_of_ << ",," << csv_text(w.id, raw_)
                 << ",," << tail(w.unit, compiled_ ? compiled_->model().find_obligation(w.obligation) : -1) << "\n";
    }

private:
    // The columns added after the first ones: the unit's name, the rule's label, the plan's title.
    std::string tail(const std::optional<std::string>& unit, int rule) const {
        const std::string* name = unit ? names_.name_of(*unit) : nullptr;
        const std::string label = compiled_ && rule >= 0 ? compiled_->model().rules[static_cast<std::size_t>(rule)].label : std::string();
        return "," + csv_text(name ? *name : std::string(), raw_) + "," + csv_text(label, raw_) + "," + title_;
    }

    std::ostream& out_;
    bool raw_;
    std::string as_of_, title_;
    std::shared_ptr<const graph::compiled_plan> compiled_;
    report names_;  // its names only
};

}  // namespace

std::unique_ptr<report_sink> csv_writer(std::ostream& out, const csv_options& options) {
    return std::make_unique<csv_sink>(out, options);
}

void write_csv(const report& r, std::ostream& out, const csv_options& options) {
    csv_sink sink(out, options);
    replay(r, sink);
}

}  // namespace mandate::io
