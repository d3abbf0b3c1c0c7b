// The abstract syntax tree of a scenario test file (`*.test.mandate`): the plan it tests, shared
// `given` records, and `test` blocks of records, as-of checkpoints and expectations. Nodes carry
// the byte span they came from, so the scenario checker can point its diagnostics at them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "mandate/syntax/ast.hpp"

namespace mandate::ast::scenario {

// An entity or event id: a name (`v01`), or a string for ids that are not names (`"001"`).
struct entity_ref {
    span loc;
    std::string text;
    bool quoted = false;
};

// `since DATE`, `until DATE`, `version N` after an entity.
struct entity_option {
    span loc;
    name key;  // since, until, version
    std::optional<date_lit> date;
    std::int64_t number = 0;
};

// `NAME: VALUE` inside an event's braces; VALUE is a literal expression.
struct field_value {
    span loc;
    name field;
    expr value;
};

// `entity ID: KIND [in PARENT] ["name"] [since DATE] [until DATE] [version N]`
struct entity_stmt {
    span loc;
    entity_ref id;
    name kind;
    std::optional<entity_ref> parent;
    std::optional<std::string> label;
    std::vector<entity_option> options;
    std::vector<field_value> fields;  // `{ FIELD: VALUE, ... }`: the kind's fields
};

// An event time as written: a date, or a date-time with an optional offset.
struct time_lit {
    span loc;
    date_lit date;
    std::string text;  // the whole literal, passed to the record as written
    bool has_clock = false;
};

// `event [ID] TYPE UNIT TIME [{ FIELD: VALUE, ... }]`. The parser cannot tell the optional id
// from the type by position alone, so it keeps the two or three words as written.
struct event_stmt {
    span loc;
    std::vector<entity_ref> words;  // [TYPE, UNIT] or [ID, TYPE, UNIT]
    time_lit time;
    std::vector<field_value> fields;
    bool has_fields = false;
};

struct retract_stmt {
    span loc;
    entity_ref id;
};

// `record "JSON"`: a raw record, as a host would send it.
struct record_stmt {
    span loc;
    std::string json;
};

struct as_of_stmt {
    span loc;
    date_lit date;
};

// The bucket part of `OBL[UNIT, BUCKET]`: a date, `FROM..TO`, or a month `YYYY-MM`.
struct bucket_form {
    enum class kind { date, range, month };
    span loc;
    kind k = kind::date;
    date_lit from, to;  // date: from; range: from..to; month: from (its day is 0)
};

// `NAME[UNIT, BUCKET]`, or `NAME[BUCKET]` for a rule without `each`.
struct bucket_ref {
    span loc;
    name rule;
    std::optional<entity_ref> unit;
    bucket_form bucket;
};

enum class expect_kind {
    status,    // REF == satisfied|violated|pending
    flag,      // REF [not] met|at_risk|fired|final
    value,     // value REF == LITERAL|null
    reason,    // reason REF == "TEXT"|null
    absent,    // no REF
    rejected,  // rejected N | rejected "TEXT"
};

struct expect_stmt {
    span loc;
    expect_kind k = expect_kind::status;
    bucket_ref ref;
    name word;          // status: the status; flag: met, at_risk, fired, final
    bool negated = false;
    std::optional<expr> value;         // value: the literal (none: null)
    std::optional<std::string> text;   // reason / rejected "TEXT"
    std::optional<std::int64_t> count; // rejected N
    span value_loc;                    // where the expected value was written
};

using statement = std::variant<entity_stmt, event_stmt, retract_stmt, record_stmt, as_of_stmt, expect_stmt>;

// `plan NAME`: the plan the file tests.
struct plan_ref {
    span loc;
    name id;
};

// `given { ... }`: records every test of the file starts from.
struct given_block {
    span loc;
    std::vector<statement> statements;
};

// `test NAME ["label"] { ... }`
struct test_block {
    span loc;
    name id;
    std::optional<std::string> label;
    std::vector<statement> statements;
};

using declaration = std::variant<plan_ref, given_block, test_block>;

struct file {
    std::vector<declaration> declarations;
};

span span_of(const statement& s);
const char* keyword_of(const statement& s);

}  // namespace mandate::ast::scenario
