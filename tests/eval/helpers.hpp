// Shared helpers for the engine's behaviour tests: compile a plan from text, feed JSON lines,
// evaluate as of a date, and check report rows against hand-worked expectations.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "mandate/report/report_writer.hpp"
#include "mandate/mandate.hpp"

namespace evaltest {

using mandate::calendar::day;
using mandate::report;
using mandate::result_row;
using mandate::outcome_row;
using mandate::status;

// "2023-04-30" -> day number; throws on a malformed date so a typo cannot pass silently.
inline day D(std::string_view iso) {
    auto d = mandate::calendar::parse_iso(iso);
    if (!d) throw std::invalid_argument("bad date in test: " + std::string(iso));
    return *d;
}

inline std::string iso(day d) { return mandate::calendar::to_iso(d); }

// Compiles `text` or throws with every diagnostic (GoogleTest reports the exception as a
// failure of the test, so this acts as an ASSERT).
inline mandate::plan compile_or_throw(const std::string& text) {
    auto compiled = mandate::compile(text, "test.mandate");
    if (!compiled.ok()) {
        std::string all = "the plan does not compile:";
        for (const auto& d : compiled.diagnostics()) all += "\n" + mandate::headline(d);
        throw std::runtime_error(all);
    }
    return *compiled;
}

// A file's bytes, or "" when it cannot be read.
inline std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

#ifdef MANDATE_SOURCE_DIR
// rules/goutang-2023.mandate, compiled once.
inline const mandate::plan& goutang_plan() {
    static const mandate::plan p = compile_or_throw(slurp(std::string(MANDATE_SOURCE_DIR) + "/rules/goutang-2023.mandate"));
    return p;
}
#endif

// Checks the accounting invariant: every record read lands in exactly one class.
inline ::testing::AssertionResult inputs_balance(const report& r) {
    const auto& in = r.inputs;
    const std::uint64_t sum =
        in.entities + in.applied + in.duplicates + in.retracted + in.retractions + in.unresolved + in.rejected + in.waivers;
    if (sum == in.read) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "inputs.read is " << in.read << " but the classes add up to " << sum
                                         << " (entities " << in.entities << ", applied " << in.applied << ", duplicates "
                                         << in.duplicates << ", retracted " << in.retracted << ", retractions "
                                         << in.retractions << ", unresolved " << in.unresolved << ", rejected "
                                         << in.rejected << ", waivers " << in.waivers << ")";
}

// A plan with one engine. Every report it produces is checked for the accounting invariant.
class harness {
public:
    explicit harness(const std::string& plan_text, mandate::engine_options options = {})
        : plan_(compile_or_throw(plan_text)), engine_(std::make_unique<mandate::engine>(plan_, options)) {}

    mandate::engine& engine() { return *engine_; }
    const mandate::plan& plan() const { return plan_; }

    // Adds one record, numbered as the next line of source "test".
    mandate::add_status add(std::string_view json) { return engine_->add(json, "test", ++line_); }

    // Adds one record and expects it to be accepted.
    ::testing::AssertionResult accept(std::string_view json) {
        if (add(json) == mandate::add_status::accepted) return ::testing::AssertionSuccess();
        return ::testing::AssertionFailure() << "rejected: " << json << "\n  because: " << engine_->last_error();
    }

    // Adds every non-blank line of `jsonl`; returns how many were rejected.
    int feed(std::string_view jsonl) {
        int rejected = 0;
        std::size_t start = 0;
        while (start <= jsonl.size()) {
            std::size_t end = jsonl.find('\n', start);
            if (end == std::string_view::npos) end = jsonl.size();
            std::string_view line = jsonl.substr(start, end - start);
            const auto first = line.find_first_not_of(" \t\r");
            if (first != std::string_view::npos) {
                if (add(line.substr(first)) == mandate::add_status::rejected) ++rejected;
            }
            start = end + 1;
        }
        return rejected;
    }

    // Feeds lines that must all be accepted.
    void feed_ok(std::string_view jsonl) {
        std::size_t start = 0;
        while (start <= jsonl.size()) {
            std::size_t end = jsonl.find('\n', start);
            if (end == std::string_view::npos) end = jsonl.size();
            std::string_view line = jsonl.substr(start, end - start);
            const auto first = line.find_first_not_of(" \t\r");
            if (first != std::string_view::npos) EXPECT_TRUE(accept(line.substr(first)));
            start = end + 1;
        }
    }

    report at(std::string_view as_of) {
        report r = engine_->evaluate(D(as_of));
        EXPECT_TRUE(inputs_balance(r));
        return r;
    }

private:
    mandate::plan plan_;
    std::unique_ptr<mandate::engine> engine_;
    std::uint64_t line_ = 0;
};

inline bool same_unit(const std::optional<std::string>& u, const char* want) {
    return want == nullptr ? !u.has_value() : (u.has_value() && *u == want);
}

// The row (obligation, unit, from[, to]); `to` empty matches any end (cumulative buckets share
// their `from`, so they need it).
inline const result_row* find_result(const report& r, std::string_view obligation, const char* unit,
                                     std::string_view from, std::string_view to = "") {
    const day f = D(from);
    for (const auto& x : r.results)
        if (x.obligation == obligation && same_unit(x.unit, unit) && x.span.from == f && (to.empty() || x.span.to == D(to)))
            return &x;
    return nullptr;
}

inline const outcome_row* find_outcome(const report& r, std::string_view outcome, const char* unit,
                                       std::string_view from, std::string_view to = "") {
    const day f = D(from);
    for (const auto& x : r.outcomes)
        if (x.outcome == outcome && same_unit(x.unit, unit) && x.span.from == f && (to.empty() || x.span.to == D(to)))
            return &x;
    return nullptr;
}

// The buckets reported for one obligation (or outcome) and unit, as "from..to" joined by spaces.
inline std::string spans(const report& r, std::string_view rule, const char* unit) {
    std::string out;
    auto add = [&](const mandate::period& p) {
        if (!out.empty()) out += ' ';
        out += iso(p.from) + ".." + iso(p.to);
    };
    for (const auto& x : r.results)
        if (x.obligation == rule && same_unit(x.unit, unit)) add(x.span);
    for (const auto& x : r.outcomes)
        if (x.outcome == rule && same_unit(x.unit, unit)) add(x.span);
    return out;
}

inline std::size_t count_rows(const report& r, std::string_view rule) {
    std::size_t n = 0;
    for (const auto& x : r.results) n += x.obligation == rule;
    for (const auto& x : r.outcomes) n += x.outcome == rule;
    return n;
}

inline std::string describe(const result_row& x) {
    std::ostringstream s;
    s << x.obligation << "/" << (x.unit ? *x.unit : "(null)") << " " << iso(x.span.from) << ".." << iso(x.span.to)
      << ": status " << mandate::to_string(x.status) << ", met " << x.met << ", at_risk " << x.at_risk << ", value "
      << x.value.to_string() << ", reason " << (x.reason ? *x.reason : "(none)");
    return s.str();
}

inline std::string all_rows(const report& r) {
    std::string out;
    for (const auto& x : r.results) out += "\n  " + describe(x);
    return out;
}

// The row (obligation, unit, from) exists, ends on `to`, and has the given status, met, value
// (reported_value::to_string: "1", "0.3", "null", "2023-05-01", days as "20"; "*" skips the
// check) and at_risk.
inline ::testing::AssertionResult row_is(const report& r, std::string_view obligation, const char* unit,
                                         std::string_view from, std::string_view to, const char* want_status,
                                         bool want_met, std::string_view want_value, bool want_at_risk = false) {
    const result_row* x = find_result(r, obligation, unit, from, to);
    if (!x)
        return ::testing::AssertionFailure() << "no row " << obligation << "/" << (unit ? unit : "(null)") << " from "
                                             << from << "; rows:" << all_rows(r);
    std::string problems;
    if (std::string(mandate::to_string(x->status)) != want_status)
        problems += std::string(" status is ") + mandate::to_string(x->status) + " (expected " + want_status + ");";
    if (x->met != want_met) problems += std::string(" met is ") + (x->met ? "true" : "false") + ";";
    if (want_value != "*" && x->value.to_string() != want_value)
        problems += " value is " + x->value.to_string() + " (expected " + std::string(want_value) + ");";
    if (x->at_risk != want_at_risk) problems += std::string(" at_risk is ") + (x->at_risk ? "true" : "false") + ";";
    if (problems.empty()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << describe(*x) << "\n  wrong:" << problems;
}

// The outcome row (outcome, unit, from) exists, ends on `to`, with fired and final, and when
// `final_on` is given, that first final day ("" means null).
inline ::testing::AssertionResult outcome_is(const report& r, std::string_view outcome, const char* unit,
                                             std::string_view from, std::string_view to, bool want_fired,
                                             bool want_final, const char* want_final_on = nullptr) {
    const outcome_row* x = find_outcome(r, outcome, unit, from, to);
    if (!x) {
        std::string rows;
        for (const auto& o : r.outcomes)
            rows += "\n  " + o.outcome + "/" + (o.unit ? *o.unit : "(null)") + " " + iso(o.span.from) + ".." +
                    iso(o.span.to);
        return ::testing::AssertionFailure() << "no outcome row " << outcome << "/" << (unit ? unit : "(null)")
                                             << " from " << from << "; rows:" << rows;
    }
    std::string problems;
    if (x->fired != want_fired) problems += std::string(" fired is ") + (x->fired ? "true" : "false") + ";";
    if (x->final != want_final) problems += std::string(" final is ") + (x->final ? "true" : "false") + ";";
    if (want_final_on) {
        const std::string got = x->final_on ? iso(*x->final_on) : "";
        if (got != want_final_on)
            problems += " final_on is " + (got.empty() ? std::string("null") : got) + " (expected " +
                        (*want_final_on ? want_final_on : "null") + ");";
    }
    if (problems.empty()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << outcome << "/" << (unit ? unit : "(null)") << " " << from << ":" << problems;
}

// The row's reason ("" when null, "(no row)" when there is no such row).
inline std::string reason_of(const report& r, std::string_view obligation, const char* unit, std::string_view from,
                             std::string_view to = "") {
    const result_row* x = find_result(r, obligation, unit, from, to);
    if (!x) return "(no row)";
    return x->reason ? *x->reason : "";
}

// The value of the first evidence measure whose source text starts with `prefix`, as text
// ("(none)" when no measure matches).
inline std::string measure(const mandate::evidence& e, std::string_view prefix) {
    for (const auto& [text, value] : e.measures)
        if (text.compare(0, prefix.size(), prefix) == 0) return value.to_string();
    return "(none)";
}

}  // namespace evaltest
