// The reference evaluator: a naive, separate reading of LANGUAGE.md that the real engine is
// compared against in differential tests. It recomputes everything from the record list for
// the one as-of date it is asked about: no indexes, no incremental state, no cleverness.
// Semantic decisions beyond LANGUAGE.md are listed at the top of reference.cpp.
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
    std::string status;                // "satisfied" | "violated" | "pending"
    bool met = false, at_risk = false;
    std::optional<std::string> value;  // canonical text; nullopt when not a single comparison or undefined
    std::optional<std::string> reason; // "no data" when a comparison of the requirement met an undefined value
    // outcomes:
    bool fired = false, final = false;
};

struct inputs {
    long read = 0, entities = 0, applied = 0, duplicates = 0, retracted = 0, retractions = 0, unresolved = 0,
         rejected = 0;
};

struct report {
    std::vector<row> results, outcomes;
    inputs counts;
};

// `lines` are JSON Lines records (one JSON object per element), in arrival order.
report evaluate(const check::plan& plan, const std::vector<std::string>& lines, calendar::day as_of);

}  // namespace mandate::reference
