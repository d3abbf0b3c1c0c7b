// A report as of a date: the buckets judged by an evaluation, handed to a sink row by row in
// report order (results by obligation in file order, then outcomes), then the accounting. The
// evaluation is kept for the next report, which judges again only what changed in between.
#include "evaluation.hpp"

namespace mandate::eval {

namespace {

// Collects what a sink is given into one report (engine::evaluate's answer).
class collecting_sink : public report_sink {
public:
    explicit collecting_sink(report& out) : out_(out) {}
    void begin(const report& heading) override { out_ = heading; }
    void result(const result_row& row) override { out_.results.push_back(row); }
    void outcome(const outcome_row& row) override { out_.outcomes.push_back(row); }
    void end(const report& accounting) override {
        out_.inputs = accounting.inputs;
        out_.rejected = accounting.rejected;
        out_.ignored_fields = accounting.ignored_fields;
        out_.unresolved_entities = accounting.unresolved_entities;
        out_.unapplied_waivers = accounting.unapplied_waivers;
    }

private:
    report& out_;
};

}  // namespace

report engine_state::evaluate(day as_of, bool with_evidence) {
    report out;
    collecting_sink sink(out);
    evaluate(as_of, with_evidence, sink);
    return out;
}

evaluation& engine_state::kept_evaluation(day as_of) {
    indexes.prepare();
    // Subscribers' verdicts, when they are as of this date and up to date.
    if (!subscribers.empty() && watched && !watched_stale && pending.empty() && watched->as_of() == as_of) return *watched;
    keep_for_report();
    if (reported) {
        try {
            report_touch.resize(model.rules.size());
            update(*reported, report_touch, as_of, nullptr);
            report_touch.assign(model.rules.size(), {});
            report_touches = 0;
            return *reported;
        } catch (...) {
            forget_report();  // judged in part: not to be read again
            throw;
        }
    }
    auto fresh = std::make_unique<evaluation>(*this, as_of);
    fresh->run();
    reported = std::move(fresh);
    report_touch.assign(model.rules.size(), {});
    report_touches = 0;
    return *reported;
}

std::shared_ptr<const unit_names> engine_state::names() {
    if (names_at_ == st.entity_records) return names_;
    std::vector<std::pair<std::string, std::string>> named;
    for (const entity& e : st.entities) {
        if (e.standing < 0) continue;
        const string_id name = e.standing_record().name;
        if (name != no_string && !st.text(name).empty()) named.emplace_back(st.text(e.id), st.text(name));
    }
    names_ = named.empty() ? nullptr : std::make_shared<const unit_names>(std::move(named));
    names_at_ = st.entity_records;
    return names_;
}

void engine_state::evaluate(day as_of, bool with_evidence, report_sink& sink) {
    evaluation& ev = kept_evaluation(as_of);

    report heading;
    heading.plan = model.id;
    heading.revision = plan->revision();
    heading.as_of = as_of;
    heading.compiled = plan;
    heading.names = names();
    sink.begin(heading);
    auto unit_name = [&](std::uint32_t unit) -> std::optional<std::string> {
        if (unit == none) return std::nullopt;
        return std::string(st.text(st.entities[unit].id));
    };
    // One row object reused for every bucket: rows are handed over as they are made, never
    // held, so a report of any size costs what the evaluation holds.
    result_row row;
    for (std::size_t r = 0; r < model.rules.size(); ++r) {
        const check::rule& rule = model.rules[r];
        if (rule.outcome) continue;
        const graph::rule_node& rn = plan->rules()[r];
        row.rule = static_cast<int>(r);
        row.obligation = rule.id;
        for (const bucket_state& s : ev.results(static_cast<int>(r)).rows) {
            row.unit = unit_name(s.unit);
            row.span = period{s.from, s.to};
            row.span.clock_from = s.clock_from();
            row.span.clock_to = s.clock_to();
            row.span.offset_minutes = model.utc_offset_minutes;
            row.due.reset();
            if (rule.due != check::rule::due_kind::none) {
                const check::due_range due = check::counted_days(rule, s.from, s.to);
                row.due = period{due.from, due.to};
            }
            row.status = s.st;
            row.met = s.met;
            row.at_risk = s.at_risk;
            row.value = s.has_value ? to_reported(s.value) : reported_value{};
            row.reason = s.no_data ? std::optional<std::string>("no data") : std::nullopt;
            row.evidence = with_evidence ? ev.evidence_for(rule, rn, s) : evidence{};
            row.waiver.reset();
            if (s.waiver != none) {
                const table& w = st.tables[static_cast<std::size_t>(st.waiver_type())];
                waiver_note note;
                note.id = std::string(st.text(w.id[s.waiver]));
                if (s.st != status::excused) note.extended_to = s.end;
                const column& reason = w.columns[io::waiver_field::reason];
                const column& by = w.columns[io::waiver_field::approved_by];
                if (reason.present[s.waiver]) note.reason = std::string(st.text(static_cast<string_id>(reason.value[s.waiver])));
                if (by.present[s.waiver]) note.approved_by = std::string(st.text(static_cast<string_id>(by.value[s.waiver])));
                row.waiver = std::move(note);
            }
            sink.result(row);
        }
    }
    outcome_row orow;
    for (std::size_t r = 0; r < model.rules.size(); ++r) {
        const check::rule& rule = model.rules[r];
        if (!rule.outcome) continue;
        const graph::rule_node& rn = plan->rules()[r];
        orow.rule = static_cast<int>(r);
        orow.outcome = rule.id;
        for (const bucket_state& s : ev.results(static_cast<int>(r)).rows) {
            orow.unit = unit_name(s.unit);
            orow.span = period{s.from, s.to};
            orow.span.clock_from = s.clock_from();
            orow.span.clock_to = s.clock_to();
            orow.span.offset_minutes = model.utc_offset_minutes;
            orow.fired = s.fired;
            orow.final = s.final;
            orow.final_on = s.final ? std::optional<day>(s.final_on) : std::nullopt;
            orow.evidence = with_evidence ? ev.evidence_for(rule, rn, s) : evidence{};
            sink.outcome(orow);
        }
    }
    report tail = accounting();
    tail.unapplied_waivers = unapplied_waivers(ev);
    sink.end(tail);
}

}  // namespace mandate::eval
