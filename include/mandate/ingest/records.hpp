// Reading the records a host sends (JSON Lines: entities, events, retractions) into typed
// values checked against a plan's kinds and event types. A record that does not fit gets a
// reason; nothing is dropped silently. Uses simdjson's On-Demand parser; number fields are
// read exactly from their text (0.1 is 1/10).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mandate/calendar/schedule.hpp"
#include "mandate/check/model.hpp"
#include "mandate/limits.hpp"

namespace mandate::io {

// Default size limit of one record (limits::max_record_bytes).
inline constexpr std::size_t default_max_record_bytes = 256 * 1024;
// Bytes a buffer handed to record_parser::parse must have readable after the record.
std::size_t required_padding();
// The reason a record over the size limit is rejected (by the parser, or by a reader that
// skips such a line without holding it).
std::string too_long_reason(std::size_t limit = default_max_record_bytes);

// Whether `text` is exactly one JSON number token ("12", "-0.5", "1e3").
bool is_json_number(std::string_view text);
// Whether `text` is valid UTF-8.
bool is_valid_utf8(std::string_view text);

// Levels of lists and objects the value of a field that is read (a built-in key such as `unit`,
// or a field the event type declares) may nest; more rejects the record. Other fields are not
// bounded but by the record's size: they are checked without recursion.
inline constexpr std::uint32_t max_json_depth = 32;

enum class record_kind { entity, event, retraction, waiver };

// A waiver (LANGUAGE-v2.md section 8) is kept as an event of a type of its own, numbered after
// the plan's event types, so that its id shares their namespace (copies, conflicts,
// retractions): `time` is its `period` date, `unit` its unit ("" for an obligation without
// `each`), and these are its fields.
inline int waiver_type(const check::plan& plan) { return static_cast<int>(plan.events.size()); }
namespace waiver_field {
inline constexpr int obligation = 3;  // int: the obligation's rule index
inline constexpr int extend_to = 4;   // date
inline constexpr int excuse = 5;      // bool
inline constexpr int reason = 6;      // text
inline constexpr int approved_by = 7; // text
inline constexpr int count = 8;
}  // namespace waiver_field
// The types of those fields, for the store's columns.
check::type_kind waiver_field_kind(int field);
// Why a waiver with these values is refused, or empty: its obligation, unit, period and
// extension judged against the plan (the JSON and the typed readers share it).
struct waiver_values {
    std::string_view id, obligation, unit, reason, approved_by;
    bool has_unit = false, has_period = false, excuse = false, has_excuse = false;
    std::optional<calendar::day> period, extend_to;
};

// `number` values are held in millionths (LANGUAGE.md: at most 6 fractional digits).
inline constexpr std::int64_t number_scale = 1000000;
// Largest magnitude of a `number` value, in millionths.
inline constexpr std::int64_t max_scaled_number = 9000000000000000000;

// How a JSON number token fits an `int` field (`whole`) or a `number` field: `value` is then the
// integer, or the number in millionths. Exact for any valid token, however many its digits or
// large its exponent (`1e300`, `1e-400`, `1.000...0`). The JSON and the typed readers both use
// it, so that a typed value gets its JSON twin's reason.
enum class number_fit { fits, not_whole, too_many_fractional_digits, out_of_range };
number_fit fit_number(std::string_view token, bool whole, std::int64_t& value);
// "field 'F' is out of range: an int field holds -9223372036854775807 to 9223372036854775807",
// or the range of a number field.
std::string out_of_range_reason(std::string_view field, bool whole);

// One typed field value. Strings are views valid until the next parse.
struct field_value {
    bool present = false;
    std::int64_t integer = 0;  // int; number in millionths; bool 0/1; date day
    std::string_view text;     // text, ref
    std::uint32_t members_begin = 0, members_end = 0;  // set: range in parsed_record::members
};

struct parsed_record {
    record_kind kind = record_kind::event;

    // entity
    std::string_view entity, parent, name;
    bool has_parent = false, has_name = false;
    int kind_index = -1;
    std::optional<calendar::day> since, until;
    std::int64_t version = 0;

    // event
    std::string_view id, unit;
    int type = -1;
    calendar::event_time time;
    std::vector<field_value> fields;   // indexed like check::event_type::fields (built-ins unused)
    std::vector<field_value> members;  // set members of all set fields
    std::vector<std::string_view> ignored;  // names of fields the type does not declare

    // retraction
    std::string_view retract;
};

// Fills `r` (an event of waiver_type()) from a waiver's values, or says why it is refused.
bool make_waiver(const check::plan& plan, const waiver_values& w, parsed_record& r, std::string& error);

// Parses records against one plan. Reusable; not thread-safe (one per thread).
class record_parser {
public:
    // `l` bounds a record's size (max_record_bytes) and its string values (max_field_bytes).
    explicit record_parser(const check::plan& plan, const limits& l = {});
    ~record_parser();
    record_parser(const record_parser&) = delete;
    record_parser& operator=(const record_parser&) = delete;

    // Parses the record at data[0, length). `capacity` bytes starting at `data` must be
    // readable, with capacity >= length + required_padding(). Returns false with error() set
    // when the record is rejected.
    bool parse(const char* data, std::size_t length, std::size_t capacity);
    // Same, copying into an internal padded buffer first (for callers without padding).
    bool parse(std::string_view line);

    const parsed_record& record() const { return record_; }
    const std::string& error() const { return error_; }

private:
    struct impl;
    std::unique_ptr<impl> impl_;
    parsed_record record_;
    std::string error_;
};

}  // namespace mandate::io
