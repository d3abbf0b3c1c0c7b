// The checks of lib/ingest/records.cpp, applied to typed values. The reasons are the JSON reader's
// word for word (tests/bindings/typed_records_test.cpp holds each against its JSON twin); only
// what JSON text cannot carry (invalid UTF-8, a date outside the calendar) has reasons of its own.
#include "typed_reader.hpp"

#include <simdjson.h>

#include <algorithm>
#include <stdexcept>

#include "mandate/calendar/schedule.hpp"
#include "mandate/rational.hpp"

namespace mandate {

// ---------------------------------------------------------------- typed values

typed_value typed_value::integer(std::int64_t v) {
    typed_value x;
    x.kind_ = kind::integer;
    x.number_ = v;
    return x;
}

typed_value typed_value::decimal(std::string_view text) {
    if (!io::is_json_number(text)) throw std::invalid_argument("not a decimal number: '" + std::string(text) + "'");
    typed_value x;
    x.kind_ = kind::decimal;
    x.string_ = std::string(text);
    return x;
}

typed_value typed_value::millionths(std::int64_t v) {
    typed_value x;
    x.kind_ = kind::millionths;
    x.number_ = v;
    return x;
}

typed_value typed_value::boolean(bool v) {
    typed_value x;
    x.kind_ = kind::boolean;
    x.number_ = v ? 1 : 0;
    return x;
}

typed_value typed_value::text(std::string v) {
    typed_value x;
    x.kind_ = kind::text;
    x.string_ = std::move(v);
    return x;
}

typed_value typed_value::date(calendar::day d) {
    typed_value x;
    x.kind_ = kind::date;
    x.number_ = d;
    return x;
}

typed_value typed_value::set(std::vector<typed_value> members) {
    typed_value x;
    x.kind_ = kind::set;
    x.members_ = std::move(members);
    return x;
}

typed_value& typed_value::append(typed_value member) {
    if (kind_ != kind::set) throw std::logic_error("typed_value::append: not a set");
    members_.push_back(std::move(member));
    return *this;
}

typed_event::typed_event(std::string id, std::string type, std::string time, std::string unit)
    : id_(std::move(id)), type_(std::move(type)), time_(std::move(time)), unit_(std::move(unit)) {}

typed_event::typed_event(std::string id, std::string type, calendar::day date, std::string unit)
    : typed_event(std::move(id), std::move(type), std::string(), std::move(unit)) {
    // Out of the calendar's range the text would be meaningless; an empty time is rejected.
    if (date >= calendar::from_ymd(calendar::min_year, 1, 1) && date <= calendar::from_ymd(calendar::max_year, 12, 31))
        time_ = calendar::to_iso(date);
}

typed_event& typed_event::set(std::string field, typed_value value) {
    for (auto& [name, v] : fields_)
        if (name == field) {
            v = std::move(value);
            return *this;
        }
    fields_.emplace_back(std::move(field), std::move(value));
    return *this;
}

typed_event& typed_event::erase(std::string_view field) {
    fields_.erase(std::remove_if(fields_.begin(), fields_.end(), [&](const auto& f) { return f.first == field; }),
                  fields_.end());
    return *this;
}

typed_value* typed_event::find(std::string_view field) {
    for (auto& [name, v] : fields_)
        if (name == field) return &v;
    return nullptr;
}

const typed_value* typed_event::find(std::string_view field) const { return const_cast<typed_event*>(this)->find(field); }

// ---------------------------------------------------------------- reading

namespace io {

namespace {

// As the JSON reader quotes a value: cut after about 80 bytes, at a character boundary.
std::string quote_value(std::string_view s) {
    std::size_t cut = std::min<std::size_t>(s.size(), 80);
    while (cut < s.size() && cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    std::string out = "'";
    out.append(s.substr(0, cut));
    if (cut < s.size()) out += "...";
    return out + "'";
}

bool in_calendar(std::int64_t d) {
    return d >= calendar::from_ymd(calendar::min_year, 1, 1) && d <= calendar::from_ymd(calendar::max_year, 12, 31);
}

std::string outside_calendar(std::string_view field) {
    return "field '" + std::string(field) + "' holds a date outside the years " + std::to_string(calendar::min_year) +
           " to " + std::to_string(calendar::max_year);
}


// The value a JSON number twin would hold, or nullopt for a value that is not a number.
std::optional<rational> number_of(const typed_value& v, bool& is_number) {
    is_number = true;
    switch (v.type()) {
        case typed_value::kind::integer: return rational(v.number());
        case typed_value::kind::millionths: return rational(v.number(), io::number_scale);
        case typed_value::kind::decimal: return rational::parse_decimal(v.string());
        default: is_number = false; return std::nullopt;
    }
}

bool is_string(const typed_value& v) { return v.type() == typed_value::kind::text || v.type() == typed_value::kind::date; }

}  // namespace

bool typed_reader::scalar(const check::field& f, check::type_kind k, const typed_value& v, io::field_value& out,
                          bool member, std::string& error) {
    auto reject = [&](std::string reason) {
        error = std::move(reason);
        return false;
    };
    auto wrong = [&](const char* one, const char* many) {
        return reject("field '" + f.id + "' must " + (member ? std::string("hold only ") + many : std::string("be ") + one));
    };
    if (v.type() == typed_value::kind::date && !in_calendar(v.number())) return reject(outside_calendar(f.id));
    // The text a string-like value stands for: a date is its ISO form.
    auto text_of = [&]() -> std::string_view {
        if (v.type() == typed_value::kind::text) return v.string();
        scratch_.push_back(calendar::to_iso(static_cast<calendar::day>(v.number())));
        return scratch_.back();
    };
    bool is_number = false;
    if ((k == check::type_kind::integer || k == check::type_kind::number) && v.type() == typed_value::kind::decimal) {
        // Decimal text is read as its JSON twin's number token is, whatever its digits.
        const bool whole = k == check::type_kind::integer;
        switch (io::fit_number(v.string(), whole, out.integer)) {
            case io::number_fit::fits: break;
            case io::number_fit::not_whole: return wrong("a whole number", "whole numbers");
            case io::number_fit::too_many_fractional_digits:
                return reject("field '" + f.id + "' has more than 6 fractional digits");
            case io::number_fit::out_of_range: return reject(io::out_of_range_reason(f.id, whole));
        }
        out.present = true;
        return true;
    }
    switch (k) {
        case check::type_kind::integer: {
            const auto number = number_of(v, is_number);
            if (!number || !number->is_integer()) return wrong("a whole number", "whole numbers");
            if (number->num() > INT64_MAX || number->num() < -INT64_MAX) return reject(io::out_of_range_reason(f.id, true));
            out.integer = static_cast<std::int64_t>(number->num());
            break;
        }
        case check::type_kind::number: {
            const auto number = number_of(v, is_number);
            if (!number) return wrong("a number", "numbers");
            if (!number->is_decimal(6)) return reject("field '" + f.id + "' has more than 6 fractional digits");
            const rational scaled = *number * rational(io::number_scale);
            if (scaled.num() > io::max_scaled_number || scaled.num() < -io::max_scaled_number)
                return reject(io::out_of_range_reason(f.id, false));
            out.integer = static_cast<std::int64_t>(scaled.num());
            break;
        }
        case check::type_kind::boolean:
            if (v.type() != typed_value::kind::boolean) return wrong("true or false", "true or false values");
            out.integer = v.number();
            break;
        case check::type_kind::text:
            if (!is_string(v)) return wrong("a string", "strings");
            out.text = text_of();
            break;
        case check::type_kind::ref:
            if (!is_string(v) || (v.type() == typed_value::kind::text && v.string().empty()))
                return wrong("an entity id (a string)", "entity ids (strings)");
            out.text = text_of();
            break;
        case check::type_kind::date: {
            std::optional<calendar::day> d;
            if (v.type() == typed_value::kind::date) d = static_cast<calendar::day>(v.number());
            else if (v.type() == typed_value::kind::text) d = calendar::parse_iso(v.string());
            if (!d) return wrong("a date like 2023-05-31", "dates like 2023-05-31");
            out.integer = *d;
            break;
        }
        default: return reject("field '" + f.id + "' has a type records cannot carry");
    }
    out.present = true;
    return true;
}

// JSON text is valid UTF-8 by definition; typed text must be too, or reports would not be.
bool typed_reader::checked_text(std::string_view field, std::string_view text, std::string& error) const {
    if (text.size() > max_field_bytes_) {
        error = "field '" + std::string(field) + "' is longer than the limit of " + std::to_string(max_field_bytes_) + " bytes";
        return false;
    }
    if (simdjson::validate_utf8(text.data(), text.size())) return true;
    error = "field '" + std::string(field) + "' is not valid UTF-8";
    return false;
}

bool typed_reader::read(const typed_entity& e, io::parsed_record& r, std::string& error) {
    scratch_.clear();
    auto reject = [&](std::string reason) {
        error = std::move(reason);
        return false;
    };
    if (!checked_text("entity", e.id, error) || !checked_text("kind", e.kind, error)) return false;
    if (e.parent && !checked_text("parent", *e.parent, error)) return false;
    if (e.name && !checked_text("name", *e.name, error)) return false;
    r.kind = io::record_kind::entity;
    r.entity = e.id;
    if (r.entity.empty()) return reject("field 'entity' must not be empty");
    r.kind_index = plan_.find_kind(e.kind);
    if (r.kind_index < 0) return reject("unknown kind " + quote_value(e.kind));
    r.has_parent = e.parent.has_value();
    r.parent = r.has_parent ? std::string_view(*e.parent) : std::string_view();
    if (r.has_parent && r.parent.empty()) return reject("field 'parent' must not be empty");
    r.has_name = e.name.has_value();
    r.name = r.has_name ? std::string_view(*e.name) : std::string_view();
    if (e.since && !in_calendar(*e.since)) return reject(outside_calendar("since"));
    if (e.until && !in_calendar(*e.until)) return reject(outside_calendar("until"));
    r.since = e.since;
    r.until = e.until;
    if (e.version < 0) return reject("field 'version' must be a whole number >= 0");
    r.version = e.version;
    return true;
}

bool typed_reader::read(const typed_event& e, io::parsed_record& r, std::string& error) {
    scratch_.clear();
    auto reject = [&](std::string reason) {
        error = std::move(reason);
        return false;
    };
    if (!checked_text("id", e.id(), error) || !checked_text("type", e.type(), error) || !checked_text("time", e.time(), error) ||
        !checked_text("unit", e.unit(), error))
        return false;
    for (const auto& field : e.fields()) {
        // Not a structured binding: C++17 lambdas cannot capture one (clang refuses).
        const auto& name = field.first;
        const auto& value = field.second;
        if (!simdjson::validate_utf8(name.data(), name.size())) return reject("a field name is not valid UTF-8");
        const auto texts = [&](const typed_value& v, const auto& self) -> bool {
            if (v.type() == typed_value::kind::text && !checked_text(name, v.string(), error)) return false;
            for (const auto& m : v.members())
                if (!self(m, self)) return false;
            return true;
        };
        if (!texts(value, texts)) return false;
    }
    r.kind = io::record_kind::event;
    r.id = e.id();
    if (r.id.empty()) return reject("field 'id' must not be empty");
    r.type = plan_.find_event(e.type());
    if (r.type < 0) return reject("unknown event type " + quote_value(e.type()));
    const check::event_type& et = plan_.events[static_cast<std::size_t>(r.type)];
    const auto time = calendar::parse_time(e.time(), plan_.utc_offset_minutes);
    if (!time)
        return reject("field 'time' must be a date or a date-time like 2023-04-15T09:30:00+08:00, not " + quote_value(e.time()));
    r.time = *time;
    r.unit = e.unit();
    if (r.unit.empty()) return reject("field 'unit' must not be empty");

    r.fields.assign(et.fields.size(), io::field_value{});
    r.members.clear();
    r.ignored.clear();
    auto find = [&](std::string_view name) { return e.find(name); };
    for (const char* builtin : {"id", "type", "time", "unit"})
        if (find(builtin))
            return reject("field '" + std::string(builtin) + "' is built in: give it as the event's " + builtin +
                          ", not as a declared field");
    for (std::size_t i = check::first_declared_field; i < et.fields.size(); ++i) {
        const check::field& f = et.fields[i];
        const typed_value* v = find(f.id);
        if (!v) {
            if (!f.optional) return reject("field '" + f.id + "' is missing");
            continue;
        }
        io::field_value& out = r.fields[i];
        if (f.t.kind == check::type_kind::set) {
            if (v->type() != typed_value::kind::set) return reject("field '" + f.id + "' must be a list");
            out.members_begin = static_cast<std::uint32_t>(r.members.size());
            for (const typed_value& m : v->members()) {
                io::field_value member;
                if (!scalar(f, f.t.element, m, member, true, error)) return false;
                r.members.push_back(member);
            }
            out.members_end = static_cast<std::uint32_t>(r.members.size());
            out.present = true;
            continue;
        }
        if (!scalar(f, f.t.kind, *v, out, false, error)) return false;
    }
    for (const auto& [name, value] : e.fields())
        if (et.find_field(name) < 0) r.ignored.push_back(name);
    return true;
}

bool typed_reader::read_retraction(std::string_view id, io::parsed_record& r, std::string& error) {
    if (!checked_text("retract", id, error)) return false;
    r.kind = io::record_kind::retraction;
    r.retract = id;
    if (r.retract.empty()) {
        error = "field 'retract' must name an event id";
        return false;
    }
    return true;
}

}  // namespace io
}  // namespace mandate
