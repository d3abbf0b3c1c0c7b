// Deciding once whether a record's values fit the plan, and in what words a record is rejected
// when they do not. The JSON reader (records.cpp) and the typed-record reader (typed_reader.cpp)
// describe what they were given as `given` values and let these functions judge and word it,
// so a typed record and its JSON twin are accepted or rejected alike, for the same reason.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mandate/check/model.hpp"
#include "mandate/ingest/records.hpp"

namespace mandate::io::admit {

// A value as a record gives it, whatever form it came in.
struct given {
    // In the order of the JSON reader's own kinds, which it converts by value.
    enum class kind : std::uint8_t { null, boolean, number, string, list, object } k = kind::null;
    std::string_view text;  // string: its text; number: its decimal text (a JSON number's token)
    bool boolean = false;
    std::optional<calendar::day> date;  // a string a host gave as a date (typed records)
};

// One scalar of declared field `f` (of type `k`; a member of a set field when `member`) into
// `out`; false, with `why`, when it does not fit.
bool scalar(const check::field& f, check::type_kind k, const given& v, field_value& out, bool member, std::string& why);

// What a host's typed values can hold and JSON text cannot (the typed and struct readers):
// a date outside the calendar's years, text that is not UTF-8 or longer than the field limit.
bool in_calendar(std::int64_t day);
std::string outside_calendar(std::string_view field);
// Valid UTF-8 (as JSON text is by definition) and at most max_field_bytes; else false, with `why`.
bool checked_text(std::string_view field, std::string_view text, std::size_t max_field_bytes, std::string& why);

// The words of rejections, for every reader.
std::string quoted(std::string_view value);  // 'value', cut after about 80 bytes
std::string missing(std::string_view field);
std::string empty(std::string_view field);
std::string not_a_list(std::string_view field);
std::string unknown_kind(std::string_view kind);
std::string unknown_event_type(std::string_view type);
std::string bad_time(std::string_view time);
std::string bad_version();
std::string no_event_id();  // a retraction names no event

}  // namespace mandate::io::admit
