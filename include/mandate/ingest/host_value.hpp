// The compiled side of host structs as records (mandate/eval/structs.hpp holds the templates
// a host uses): how a struct's members are described to the engine once, when the host binds
// its type, and how one record's member values are handed over on each add. Plain data with
// views, so that the templates in the host's code and the compiled library agree on nothing
// but these layouts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "mandate/calendar/date.hpp"

namespace mandate {

// A calendar date as a struct member: a plain integer member would read as an int.
struct date {
    calendar::day day = 0;  // days since 1970-01-01
    date() = default;
    explicit date(calendar::day d) : day(d) {}
    date(int year, int month, int day_of_month) : day(calendar::from_ymd(year, month, day_of_month)) {}
    friend bool operator==(date a, date b) { return a.day == b.day; }
    friend bool operator!=(date a, date b) { return a.day != b.day; }
};

// An exact number as a struct member, in millionths: millionths{12500000} is 12.5.
struct millionths {
    std::int64_t value = 0;
};

// What a member holds, as the engine reads it. Each stands for the JSON value a host would
// write for it: text a string, integer and real and millionths a number, boolean true or false,
// date a string like "2023-05-31", instant a date-time (for `time` only).
enum class host_kind : std::uint8_t { text, integer, real, millionths, boolean, date, instant };

// One member of a host struct, described when the type is bound.
struct host_member {
    std::string_view name;  // the record's key: a built-in one, or a declared field's name
    host_kind kind = host_kind::text;
    bool optional = false;  // may be absent (std::optional)
    bool list = false;      // a sequence of `kind` values (for a set field)
};

// One member's value in one record, in the order of the bound members. Views: valid during
// the add() they are handed to.
struct host_value {
    bool present = true;    // false: an optional member left unset
    bool overflow = false;  // an unsigned integer beyond the int64 range
    std::uint32_t nanos = 0;     // instant: nanoseconds within the second
    std::int64_t number = 0;     // integer, boolean (0/1), date (the day), instant (UTC seconds), millionths
    double real = 0;             // real
    std::string_view text;       // text
    const host_value* items = nullptr;  // list: its values
    std::size_t count = 0;
};

// A struct type bound to a plan: an event type or an entity kind, with each member resolved to
// the built-in key or declared field it fills. Made by engine::bind(); usable with every engine
// of the same compiled plan; immutable and shareable between threads.
class record_binding {
public:
    record_binding();
    ~record_binding();
    record_binding(const record_binding&);
    record_binding& operator=(const record_binding&);
    // The event type or entity kind bound to, and how many members were described.
    const std::string& target() const;
    std::size_t members() const;
    bool is_entity() const;

    struct impl;
    const impl* get() const { return impl_.get(); }
    explicit record_binding(std::shared_ptr<const impl> i);

private:
    std::shared_ptr<const impl> impl_;
};

// A host type that cannot be bound: every problem found, one a line.
struct binding_error : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

// Records handed over in a batch (engine::add_batch): the values of record i, into `out`
// (binding.members() of them). `buffer` is 0 or 1: list items filled for one buffer must stay
// valid while the other is filled (the engine looks one record ahead).
class host_batch {
public:
    virtual ~host_batch() = default;
    virtual std::size_t size() const = 0;
    virtual void fill(std::size_t i, host_value* out, int buffer) = 0;
};

// What a batch did.
struct batch_result {
    std::uint64_t accepted = 0, rejected = 0;
};

}  // namespace mandate
