// Comparing the engine's report with the reference evaluator's (tests/reference), row by row
// and count by count, and the changes a subscriber hears with the difference of two reference
// reports: shared by the differential tests.
#pragma once

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "mandate/mandate.hpp"
#include "reference/reference.hpp"

namespace mandate::testing {

inline std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// One row of either report in a common form.
struct common_row {
    std::string rule, unit, from, to, status, value, reason;
    bool met = false, at_risk = false, fired = false, final = false;
    // The waiver applied: its id, the end it extends the bucket to, its reason and approver.
    std::string waiver, extended_to, waiver_reason, waiver_approved_by;
    bool operator==(const common_row& o) const {
        return rule == o.rule && unit == o.unit && from == o.from && to == o.to && status == o.status && value == o.value &&
               reason == o.reason && met == o.met && at_risk == o.at_risk && fired == o.fired && final == o.final &&
               waiver == o.waiver && extended_to == o.extended_to && waiver_reason == o.waiver_reason &&
               waiver_approved_by == o.waiver_approved_by;
    }
};

inline std::string describe(const common_row& r) {
    return r.rule + " " + r.unit + " " + r.from + ".." + r.to + " status=" + r.status + " met=" + (r.met ? "1" : "0") +
           " risk=" + (r.at_risk ? "1" : "0") + " value=" + r.value + " reason=" + r.reason + " fired=" +
           (r.fired ? "1" : "0") + " final=" + (r.final ? "1" : "0") +
           (r.waiver.empty() ? std::string()
                             : " waiver=" + r.waiver + (r.extended_to.empty() ? "" : " extended_to=" + r.extended_to) +
                                   " (" + r.waiver_reason + "; " + r.waiver_approved_by + ")");
}

inline std::vector<common_row> engine_rows(const mandate::report& r) {
    std::vector<common_row> out;
    for (const auto& x : r.results) {
        common_row c;
        c.rule = x.obligation;
        c.unit = x.unit.value_or("-");
        c.from = x.span.from_text();  // an hour bucket's local date-times, else its dates
        c.to = x.span.to_text();
        c.status = mandate::to_string(x.status);
        c.met = x.met;
        c.at_risk = x.at_risk;
        c.value = x.value.is_null() ? "null" : x.value.to_string();
        c.reason = x.reason.value_or("");
        if (x.waiver) {
            c.waiver = x.waiver->id;
            if (x.waiver->extended_to) c.extended_to = mandate::calendar::to_iso(*x.waiver->extended_to);
            c.waiver_reason = x.waiver->reason;
            c.waiver_approved_by = x.waiver->approved_by;
        }
        out.push_back(c);
    }
    for (const auto& x : r.outcomes) {
        common_row c;
        c.rule = x.outcome;
        c.unit = x.unit.value_or("-");
        c.from = x.span.from_text();  // an hour bucket's local date-times, else its dates
        c.to = x.span.to_text();
        c.fired = x.fired;
        c.final = x.final;
        out.push_back(c);
    }
    return out;
}

inline std::vector<common_row> reference_rows(const mandate::reference::report& r) {
    std::vector<common_row> out;
    for (const auto& x : r.results) {
        common_row c;
        c.rule = x.rule;
        c.unit = x.unit.value_or("-");
        c.from = x.from;
        c.to = x.to;
        c.status = x.status;
        c.met = x.met;
        c.at_risk = x.at_risk;
        c.value = x.value.value_or("null");
        c.reason = x.reason.value_or("");
        c.waiver = x.waiver.value_or("");
        c.extended_to = x.extended_to.value_or("");
        c.waiver_reason = x.waiver_reason;
        c.waiver_approved_by = x.waiver_approved_by;
        out.push_back(c);
    }
    for (const auto& x : r.outcomes) {
        common_row c;
        c.rule = x.rule;
        c.unit = x.unit.value_or("-");
        c.from = x.from;
        c.to = x.to;
        c.fired = x.fired;
        c.final = x.final;
        out.push_back(c);
    }
    return out;
}

// Compares two reports; returns a description of the first difference, or "".
inline std::string difference(const mandate::report& mine, const mandate::reference::report& ref) {
    const auto a = engine_rows(mine);
    const auto b = reference_rows(ref);
    for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
        if (i >= a.size()) return "engine lacks row " + describe(b[i]);
        if (i >= b.size()) return "engine has extra row " + describe(a[i]);
        if (!(a[i] == b[i])) return "row " + std::to_string(i) + ":\n  engine:    " + describe(a[i]) + "\n  reference: " + describe(b[i]);
    }
    const auto& x = mine.inputs;
    const auto& y = ref.counts;
    if (static_cast<long>(x.read) != y.read || static_cast<long>(x.entities) != y.entities ||
        static_cast<long>(x.applied) != y.applied || static_cast<long>(x.duplicates) != y.duplicates ||
        static_cast<long>(x.retracted) != y.retracted || static_cast<long>(x.retractions) != y.retractions ||
        static_cast<long>(x.unresolved) != y.unresolved || static_cast<long>(x.rejected) != y.rejected ||
        static_cast<long>(x.waivers) != y.waivers) {
        std::ostringstream s;
        s << "inputs differ: engine read/entities/applied/duplicates/retracted/retractions/unresolved/rejected/waivers = "
          << x.read << "/" << x.entities << "/" << x.applied << "/" << x.duplicates << "/" << x.retracted << "/" << x.retractions
          << "/" << x.unresolved << "/" << x.rejected << "/" << x.waivers << ", reference = " << y.read << "/" << y.entities << "/"
          << y.applied << "/" << y.duplicates << "/" << y.retracted << "/" << y.retractions << "/" << y.unresolved << "/"
          << y.rejected << "/" << y.waivers;
        return s.str();
    }
    // The keys ignored, by event type, waiver or kind, with the records that carried each.
    std::vector<std::string> engine_ignored, reference_ignored;
    for (const auto& f : mine.ignored_fields)
        engine_ignored.push_back(std::string(f.kind ? "kind " : "type ") + f.type + "." + f.field + " x" + std::to_string(f.records));
    for (const auto& f : ref.ignored)
        reference_ignored.push_back(std::string(f.kind ? "kind " : "type ") + f.type + "." + f.field + " x" + std::to_string(f.records));
    std::sort(engine_ignored.begin(), engine_ignored.end());
    std::sort(reference_ignored.begin(), reference_ignored.end());
    if (engine_ignored != reference_ignored) {
        std::string s = "ignored fields differ:\n  engine:   ";
        for (const auto& f : engine_ignored) s += " " + f;
        s += "\n  reference:";
        for (const auto& f : reference_ignored) s += " " + f;
        return s;
    }
    // The waivers counted but applied to no bucket, and whether for want of a registered unit.
    std::vector<std::string> engine_unapplied, reference_unapplied;
    for (const auto& w : mine.unapplied_waivers)
        engine_unapplied.push_back(w.id + " " + w.obligation + " " + w.unit.value_or("-") + " " + calendar::to_iso(w.period) +
                                   (w.reason.rfind("unit '", 0) == 0 ? " (unit not registered)" : ""));
    for (const auto& w : ref.unapplied)
        reference_unapplied.push_back(w.id + " " + w.obligation + " " + w.unit.value_or("-") + " " + w.period +
                                      (w.unregistered ? " (unit not registered)" : ""));
    if (engine_unapplied != reference_unapplied) {
        std::string s = "unapplied waivers differ:\n  engine:   ";
        for (const auto& w : engine_unapplied) s += " [" + w + "]";
        s += "\n  reference:";
        for (const auto& w : reference_unapplied) s += " [" + w + "]";
        return s;
    }
    return "";
}

// A bucket's state as a subscriber hears of it: "obligation RULE UNIT FROM..TO" with its status,
// or "outcome ..." with fired and final. Keyed so two reports can be compared bucket by bucket.
using bucket_states = std::map<std::string, std::string>;

inline bucket_states states_of(const reference::report& r) {
    bucket_states out;
    for (const auto& x : r.results)
        out["obligation " + x.rule + " " + x.unit.value_or("-") + " " + x.from + ".." + x.to] = x.status;
    for (const auto& x : r.outcomes)
        out["outcome " + x.rule + " " + x.unit.value_or("-") + " " + x.from + ".." + x.to] =
            std::string(x.fired ? "fired" : "not fired") + (x.final ? " final" : "");
    return out;
}

// The changes between two reports, one line each ("KEY: BEFORE -> AFTER", "none" for a bucket
// that did not exist), sorted.
inline std::vector<std::string> changes_between(const bucket_states& before, const bucket_states& after) {
    std::vector<std::string> out;
    for (const auto& [key, now] : after) {
        const auto it = before.find(key);
        const std::string was = it == before.end() ? "none" : it->second;
        if (was != now) out.push_back(key + ": " + was + " -> " + now);
    }
    for (const auto& [key, was] : before)
        if (!after.count(key)) out.push_back(key + ": " + was + " -> none");
    std::sort(out.begin(), out.end());
    return out;
}

// A change an engine's subscriber heard, in the same form.
inline std::string describe(const status_change& c) {
    const std::string key = std::string(c.outcome ? "outcome " : "obligation ") + c.rule + " " + c.unit.value_or("-") + " " +
                            c.span.from_text() + ".." + c.span.to_text();
    auto obligation = [](const std::optional<status>& s) { return s ? std::string(to_string(*s)) : std::string("none"); };
    auto outcome = [](const std::optional<bool>& fired, const std::optional<bool>& final) {
        if (!fired) return std::string("none");
        return std::string(*fired ? "fired" : "not fired") + (final.value_or(false) ? " final" : "");
    };
    if (c.outcome) return key + ": " + outcome(c.fired_before, c.final_before) + " -> " + outcome(c.fired_after, c.final_after);
    return key + ": " + obligation(c.before) + " -> " + obligation(c.after);
}

}  // namespace mandate::testing
