// The reference evaluator: a naive, separate reading of LANGUAGE.md that the real engine is
// compared against in differential tests. It recomputes everything from the record list for
// the one as-of date it is asked about: no indexes, no incremental state, no cleverness.
// It covers LANGUAGE.md (v1) and LANGUAGE-v2.md sections 1-9 (unit fields, every child, roll-ups
// and ranking, working days and calendars, due dates, windows bounded by events, registration,
// peak and earlier, waivers, earlier verdicts) except periods and durations in hours, which the
// checker refuses. Semantic decisions beyond them are listed at the top of reference.cpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mandate/calendar/date.hpp"
#include "mandate/check/model.hpp"

namespace mandate::reference {

struct row {
    std::string rule;                  // obligation or outcome id
    std::optional<std::string> unit;   // entity id; nullopt for a rule without `each`
    std::string from, to;              // bucket period, ISO dates
    // obligations:
    std::string status;                // "satisfied" | "violated" | "pending" | "excused"
    bool met = false, at_risk = false;
    std::optional<std::string> value;  // canonical text; nullopt when not a single comparison or undefined
    std::optional<std::string> reason; // "no data" when a comparison of the requirement met an undefined value
    std::optional<std::string> waiver;       // the id of the waiver applied to the bucket
    std::optional<std::string> extended_to;  // ISO date, when that waiver is an extension
    std::string waiver_reason, waiver_approved_by;  // that waiver's texts ("" when not given)
    // outcomes:
    bool fired = false, final = false;
};

struct inputs {
    long read = 0, entities = 0, applied = 0, duplicates = 0, retracted = 0, retractions = 0, unresolved = 0,
         rejected = 0, waivers = 0;
};

// Keys a record carried that its event type (or waiver, or an entity's kind) does not declare,
// with how many records carried each.
struct ignored_field {
    bool kind = false;   // an entity record's key, listed under its kind
    std::string type;    // the event type, "waiver", or the kind
    std::string field;
    long records = 0;
};

// A waiver counted but applied to no bucket as of the date.
struct unapplied_waiver {
    std::string id, obligation;
    std::optional<std::string> unit;
    std::string period;    // ISO date
    bool unregistered = false;  // its unit is not a registered, resolved entity
};

struct report {
    std::vector<row> results, outcomes;
    inputs counts;
    std::vector<ignored_field> ignored;           // by (type, field, kind)
    std::vector<unapplied_waiver> unapplied;      // by id
};

// `lines` are JSON Lines records (one JSON object per element), in arrival order.
report evaluate(const check::plan& plan, const std::vector<std::string>& lines, calendar::day as_of);

}  // namespace mandate::reference
