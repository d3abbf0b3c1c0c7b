// A report: for each obligation bucket its status with the evidence, for each outcome bucket
// whether it fired and is final, and the accounting of every record read. A value type: a
// function of the accepted record set and the as-of date only (DESIGN.md, "Report").
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mandate/calendar/date.hpp"
#include "mandate/rational.hpp"

namespace mandate {

namespace graph {
class compiled_plan;
}

// `excused`: an approved waiver excuses the bucket, whatever it would have been
// (LANGUAGE-v2.md section 8). Numbered after the v1 statuses, which keep their values.
enum class status : std::uint8_t { pending, satisfied, violated, excused };
const char* to_string(status s);

struct period {
    calendar::day from = 0, to = 0;
    // An hour bucket: its first and last minute (local, in the plan's zone, whose offset is
    // `offset_minutes`); no_clock for a period of whole days.
    calendar::minute clock_from = calendar::no_clock, clock_to = calendar::no_clock;
    int offset_minutes = 0;
    bool has_clock() const { return clock_from != calendar::no_clock; }
    // "2025-07-03" or "2025-07-03T14:00+08:00".
    std::string from_text() const;
    std::string to_text() const;
    friend bool operator==(const period& a, const period& b) {
        return a.from == b.from && a.to == b.to && a.clock_from == b.clock_from && a.clock_to == b.clock_to;
    }
};

// A reported value: null (undefined, or not a single comparison), an exact number, a date,
// a duration in days, or true/false.
struct reported_value {
    enum class kind : std::uint8_t { null, number, date, days, boolean };
    kind k = kind::null;
    rational number;        // number; days
    calendar::day date = 0;
    bool boolean = false;

    bool is_null() const { return k == kind::null; }
    // Canonical text: "2", "0.7", "2023-05-01", "20" (days), "true"; "null" when null.
    std::string to_string() const;
};

struct gap_evidence {
    calendar::day from = 0, to = 0;  // the longest run without the event
    std::int64_t days = 0;
};

struct ratio_evidence {
    reported_value numerator, denominator;
};

struct coverage_evidence {
    std::int64_t covered = 0, of = 0;
    std::vector<std::string> missing;  // entities not yet covered (at most evidence_limit)
};

// A violated bucket that violations() counted.
struct violated_bucket {
    std::string obligation;
    std::optional<std::string> unit;
    period span;
};

struct evidence {
    std::vector<std::string> events;  // ids of the events counted (at most evidence_limit)
    std::uint64_t event_count = 0;    // how many there were
    std::vector<std::pair<std::string, reported_value>> measures;  // aggregate text -> value
    std::optional<gap_evidence> gap;
    std::optional<ratio_evidence> ratio;
    std::optional<coverage_evidence> coverage;
    // all_units(), any_unit(), units(... where): of the units judged (`of`), how many hold
    // (`covered`), and those for which the predicate fails (`missing`, at most evidence_limit).
    std::optional<coverage_evidence> children;
    // violations(): the violated buckets it counted (at most evidence_limit), by obligation
    // (file order), unit, period.
    std::vector<violated_bucket> violated;
};

// The approved waiver a bucket carries: an excuse, or an extension of its end.
struct waiver_note {
    std::string id;
    std::optional<calendar::day> extended_to;  // an extension; none: the bucket is excused
    std::string reason, approved_by;
};

struct result_row {
    int rule = -1;  // index into the plan's rules
    std::string obligation;
    std::optional<std::string> unit;
    period span;
    mandate::status status = status::pending;
    bool met = false;
    bool at_risk = false;
    reported_value value;
    std::optional<std::string> reason;  // "no data" when a comparison met an undefined value
    mandate::evidence evidence;
    std::optional<waiver_note> waiver;  // the waiver applied to this bucket
    // With `due` (LANGUAGE-v2.md section 5): the days whose records count for the period.
    std::optional<period> due;
};

struct outcome_row {
    int rule = -1;
    std::string outcome;
    std::optional<std::string> unit;
    period span;
    bool fired = false;
    bool final = false;
    std::optional<calendar::day> final_on;  // first day it is final (its trigger date when fired)
    mandate::evidence evidence;
};

struct input_counts {
    std::uint64_t read = 0, entities = 0, applied = 0, duplicates = 0, retracted = 0, retractions = 0,
                  unresolved = 0, rejected = 0;
    std::uint64_t waivers = 0;  // waivers not rejected, retracted or copies (applied or not)
};

struct rejection {
    std::string source;
    std::uint64_t line = 0;
    std::string reason;
};

struct ignored_field {
    std::string type, field;  // type: an event type, or a kind when `kind` (an entity record's key)
    std::uint64_t records = 0;
    bool kind = false;
};

// A waiver counted but applied to no bucket as of the report's date: the bucket it names does
// not exist (yet), or its unit is not registered.
struct unapplied_waiver {
    std::string id, obligation;
    std::optional<std::string> unit;
    calendar::day period = 0;
    std::string reason;
};

// An entity that is counted but left out of every unit's hierarchy: its parent chain loops
// back to itself, or names a parent no record registers. Such an entity (and what is within
// it) has no buckets until the hierarchy is mended; the report lists it so nothing drops out
// without a word.
struct unresolved_entity {
    std::string entity;
    std::string reason;               // "parent cycle", "missing parent", "under an unresolved parent"
    std::vector<std::string> chain;   // the ids in the cycle, or the missing parent (and the path to it)
};

// The names the registry gives units (an entity record's `name`, of the version that stands),
// for people-facing reports ("长河村 v12"). Immutable once made; shared by the reports made
// while the registry is unchanged.
class unit_names {
public:
    unit_names() = default;
    // (id, name) pairs; sorted by id here, and an empty name is left out.
    explicit unit_names(std::vector<std::pair<std::string, std::string>> names);
    // The name of the entity with this id, or nullptr when the registry gives it none.
    const std::string* find(std::string_view id) const;
    std::size_t size() const { return names_.size(); }

private:
    std::vector<std::pair<std::string, std::string>> names_;  // by id
};

struct report {
    std::string plan;       // the plan's id
    std::string revision;   // SHA-256 of the rule file
    calendar::day as_of = 0;
    std::vector<result_row> results;    // by obligation (file order), unit, period
    std::vector<outcome_row> outcomes;  // by outcome (file order), unit, period
    input_counts inputs;
    std::vector<rejection> rejected;    // by source, line
    std::vector<ignored_field> ignored_fields;
    std::vector<unresolved_entity> unresolved_entities;  // by entity id
    std::vector<unapplied_waiver> unapplied_waivers;     // by waiver id
    std::shared_ptr<const graph::compiled_plan> compiled;  // for labels and cite lines
    std::shared_ptr<const unit_names> names;               // null: no unit has a name
    // The registry's name for an entity id, or nullptr.
    const std::string* name_of(std::string_view id) const { return names ? names->find(id) : nullptr; }
};

// Receives a report as it is made, so that a report of any size can be written without being
// held whole: begin() with the heading (plan, revision, as_of, compiled; no rows), then every
// result in report order, then every outcome, then end() with the accounting (inputs,
// rejected, ignored fields, unresolved entities; no rows). A row is valid only during the call.
class report_sink {
public:
    virtual ~report_sink() = default;
    virtual void begin(const report& heading) = 0;
    virtual void result(const result_row& row) = 0;
    virtual void outcome(const outcome_row& row) = 0;
    virtual void end(const report& accounting) = 0;
};

// Hands a report already made to a sink, as the engine would have (the heading and the
// accounting are the report itself).
void replay(const report& r, report_sink& sink);

}  // namespace mandate
