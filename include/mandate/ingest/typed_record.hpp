// Records a host builds from typed values instead of JSON text: an entity, an event with its
// declared fields, a retraction. Each is checked exactly as its JSON twin would be (the JSON
// object with the same keys and values), gets the same rejection reason, and is a duplicate of
// that twin rather than a conflict with it, so a host may mix both ways in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mandate/calendar/date.hpp"

namespace mandate {

// One field value. Each kind stands for one JSON value: integer, decimal and millionths for a
// JSON number, boolean for true/false, text and date for a string (a date as "2023-05-31"),
// set for a list. A field accepts a value exactly when it would accept that JSON value, so an
// `int` field takes integer(2) and also decimal("2.0"), and a `ref` field takes text (the
// entity id). Value type; thread-compatible.
class typed_value {
public:
    enum class kind : std::uint8_t { integer, decimal, millionths, boolean, text, date, set };

    static typed_value integer(std::int64_t v);
    // Exact decimal text in JSON number syntax ("12.5", "-3", "1e3"); throws
    // std::invalid_argument for anything else, since that is a host's mistake, not a record's.
    static typed_value decimal(std::string_view text);
    // A number given in millionths: millionths(12500000) is 12.5.
    static typed_value millionths(std::int64_t v);
    static typed_value boolean(bool v);
    static typed_value text(std::string v);
    static typed_value date(calendar::day d);
    static typed_value set(std::vector<typed_value> members);

    // Adds a member to a set; throws std::logic_error when this is not a set.
    typed_value& append(typed_value member);

    kind type() const { return kind_; }
    // integer, millionths, date (the day number), boolean (0 or 1).
    std::int64_t number() const { return number_; }
    // text, decimal (its digits).
    const std::string& string() const { return string_; }
    const std::vector<typed_value>& members() const { return members_; }

private:
    kind kind_ = kind::integer;
    std::int64_t number_ = 0;
    std::string string_;
    std::vector<typed_value> members_;
};

// An entity record: the JSON keys entity, kind, parent, name, since, until, version, and the
// fields its kind declares (LANGUAGE-v2.md section 1), by name, typed as an event's are.
struct typed_entity {
    std::string id;
    std::string kind;
    std::optional<std::string> parent;
    std::optional<std::string> name;
    std::optional<calendar::day> since, until;  // active while since <= date < until
    std::int64_t version = 0;
    std::vector<std::pair<std::string, typed_value>> fields;  // a name not declared is ignored and listed

    // Sets a field, replacing an earlier value of the same name.
    typed_entity& set(std::string field, typed_value value) {
        for (auto& f : fields)
            if (f.first == field) {
                f.second = std::move(value);
                return *this;
            }
        fields.emplace_back(std::move(field), std::move(value));
        return *this;
    }
};

// An approved waiver (LANGUAGE-v2.md section 8): the JSON keys waiver, obligation, unit,
// period, extend_to or excuse, reason, approved_by. Its id shares the events' namespace.
struct typed_waiver {
    std::string id;
    std::string obligation;
    std::optional<std::string> unit;  // none for an obligation without `each`
    calendar::day period = 0;         // a date inside the bucket waived (a triggered one's first day)
    std::optional<calendar::day> extend_to;  // an extension; exactly one of this and `excuse`
    bool excuse = false;
    std::optional<std::string> reason, approved_by;
};

// An event record: the built-in id, type, time and unit, and the declared fields by name.
// `time` is the text a JSON record carries ("2023-04-15" or "2023-04-15T09:30:00+08:00").
// Value type; thread-compatible.
class typed_event {
public:
    typed_event(std::string id, std::string type, std::string time, std::string unit);
    // A date-only event time.
    typed_event(std::string id, std::string type, calendar::day date, std::string unit);

    // Sets a field, replacing an earlier value of the same name. A field the event type does
    // not declare is ignored and listed in reports, as in JSON; the built-in names (id, type,
    // time, unit) are not fields and make the record rejected.
    typed_event& set(std::string field, typed_value value);
    // Removes a field (as if it had never been set); for an optional field, "absent".
    typed_event& erase(std::string_view field);
    // The value set for a field, or null. Valid until the next set() or erase().
    typed_value* find(std::string_view field);
    const typed_value* find(std::string_view field) const;

    const std::string& id() const { return id_; }
    const std::string& type() const { return type_; }
    const std::string& time() const { return time_; }
    const std::string& unit() const { return unit_; }
    // In the order first set.
    const std::vector<std::pair<std::string, typed_value>>& fields() const { return fields_; }

private:
    std::string id_, type_, time_, unit_;
    std::vector<std::pair<std::string, typed_value>> fields_;
};

}  // namespace mandate
