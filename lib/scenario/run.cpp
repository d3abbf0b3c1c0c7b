// Running scenario tests: each test on a fresh engine, records in the order written, a report
// per checkpoint (recomputed only when records or the date changed), and each expectation
// compared with the row it names.
#include "mandate/eval/engine.hpp"
#include "mandate/scenario/scenario.hpp"

namespace mandate::scenario {
namespace {

// The exact text of a value: a decimal when it has one, else the fraction.
std::string exact(const reported_value& v) {
    if (v.k == reported_value::kind::number && !v.number.is_decimal(18)) return v.number.to_fraction_string();
    return v.to_string();
}

std::string value_text(const reported_value& v) {
    std::string out = exact(v);
    if (v.k == reported_value::kind::days) out += v.number == rational(1) ? " day" : " days";
    return out;
}

std::string describe(const result_row& x) {
    std::string out = std::string(to_string(x.status)) + " (";
    out += x.met ? "met" : "not met";
    out += ", value " + value_text(x.value);
    if (x.reason) out += ", " + *x.reason;
    if (x.at_risk) out += ", at risk";
    return out + ")";
}

std::string describe(const outcome_row& x) {
    std::string out = x.fired ? "fired" : "not fired";
    out += x.final ? ", final" : ", not final";
    if (x.final_on) out += " from " + calendar::to_iso(*x.final_on);
    return out;
}

bool same_value(const reported_value& a, const reported_value& b) {
    if (a.k != b.k) return false;
    switch (a.k) {
        case reported_value::kind::null: return true;
        case reported_value::kind::number:
        case reported_value::kind::days: return a.number == b.number;
        case reported_value::kind::date: return a.date == b.date;
        case reported_value::kind::boolean: return a.boolean == b.boolean;
    }
    return false;
}

std::string reasons(const report& r) {
    if (r.rejected.empty()) return "none was rejected";
    std::string out = "rejected: ";
    for (std::size_t i = 0; i < r.rejected.size() && i < 5; ++i)
        out += (i ? "; " : "") + std::string("line ") + std::to_string(r.rejected[i].line) + ": " + r.rejected[i].reason;
    if (r.rejected.size() > 5) out += "; …";
    return out;
}

// Empty when the expectation holds on `r`; otherwise what was found instead.
std::string judge(const expectation& x, const report& r) {
    const std::string expected = "expected " + x.text;
    switch (x.k) {
        case check_kind::rejected_count:
            if (r.rejected.size() == x.want_count) return "";
            return expected + ", got " + std::to_string(r.rejected.size()) + " (" + reasons(r) + ")";
        case check_kind::rejected_reason:
            for (const auto& j : r.rejected)
                if (j.reason.find(*x.want_text) != std::string::npos) return "";
            return expected + ", but no rejection says that (" + reasons(r) + ")";
        default: break;
    }
    const row_choice choice = select_row(r, x.rule, x.unit, x.bucket);
    if (x.k == check_kind::absent) {
        if (choice.matches == 0) return "";
        if (choice.result) return expected + ", but it exists: " + describe(*choice.result);
        if (choice.outcome) return expected + ", but it exists: " + describe(*choice.outcome);
        return expected + ", but " + choice.error;
    }
    if (!choice.found()) return expected + ", but " + choice.error;
    if (const result_row* row = choice.result) {
        switch (x.k) {
            case check_kind::status:
                if (row->status == x.want_status) return "";
                return expected + ", got " + describe(*row);
            case check_kind::met:
                if (row->met != x.negated) return "";
                return expected + ", got " + describe(*row);
            case check_kind::at_risk:
                if (row->at_risk != x.negated) return "";
                return expected + ", got " + (row->at_risk ? "at risk: " : "not at risk: ") + describe(*row);
            case check_kind::value:
                if (same_value(row->value, x.want_value)) return "";
                return expected + ", got " + value_text(row->value) + " (" + to_string(row->status) + ")";
            case check_kind::reason:
                if (row->reason == x.want_text) return "";
                return expected + ", got " + (row->reason ? "\"" + *row->reason + "\"" : std::string("null")) + " (" +
                       describe(*row) + ")";
            default: break;
        }
    }
    if (const outcome_row* row = choice.outcome) {
        const bool got = x.k == check_kind::fired ? row->fired : row->final;
        if (got != x.negated) return "";
        return expected + ", got " + describe(*row);
    }
    return expected + ", but it names a bucket of the other sort";
}

}  // namespace

run_result run(const suite& s, const source_file& source, std::shared_ptr<const graph::compiled_plan> plan) {
    run_result out;
    for (const test_case& t : s.tests) {
        engine e(plan);
        for (const auto& r : s.given) e.add(r.json, s.file, source.position_of(r.loc.begin).line);
        std::optional<calendar::day> as_of;
        std::optional<report> current;
        for (const auto& st : t.steps) {
            if (const auto* r = std::get_if<record_step>(&st)) {
                e.add(r->json, s.file, source.position_of(r->loc.begin).line);
                current.reset();
            } else if (const auto* c = std::get_if<checkpoint>(&st)) {
                if (as_of != c->as_of) current.reset();
                as_of = c->as_of;
            } else if (const auto* x = std::get_if<expectation>(&st)) {
                if (!as_of) continue;  // the checker refuses this; never judge without a date
                if (!current) current = e.evaluate(*as_of);
                expectation_result res;
                res.test = t.name;
                res.pos = source.position_of(x->loc.begin);
                res.text = x->text;
                res.message = judge(*x, *current);
                res.passed = res.message.empty();
                ++(res.passed ? out.passed : out.failed);
                out.expectations.push_back(std::move(res));
            }
        }
    }
    return out;
}

}  // namespace mandate::scenario
