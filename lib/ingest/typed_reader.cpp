// The checks of lib/ingest/records.cpp, applied to typed values. The reasons are the JSON reader's
// word for word (tests/bindings/typed_records_test.cpp holds each against its JSON twin); only
// what JSON text cannot carry (invalid UTF-8, a date outside the calendar) has reasons of its own.
#include "typed_reader.hpp"

#include "admission.hpp"

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

using admit::in_calendar;
using admit::outside_calendar;

bool typed_reader::scalar(const check::field& f, check::type_kind k, const typed_value& v, io::field_value& out,
                          bool member, std::string& error) {
    if (v.type() == typed_value::kind::date && !in_calendar(v.number())) {
        error = outside_calendar(f.id);
        return false;
    }
    // Described as its JSON twin would be, and judged by the same rules (admission.hpp).
    admit::given g;
    switch (v.type()) {
        case typed_value::kind::integer:
            g.k = admit::given::kind::number;
            scratch_.push_back(std::to_string(v.number()));
            g.text = scratch_.back();
            break;
        case typed_value::kind::millionths: {
            g.k = admit::given::kind::number;
            const std::int64_t n = v.number();
            const std::uint64_t magnitude = n < 0 ? 0 - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n);
            std::string digits = std::to_string(magnitude % static_cast<std::uint64_t>(number_scale));
            scratch_.push_back((n < 0 ? "-" : "") + std::to_string(magnitude / static_cast<std::uint64_t>(number_scale)) + "." +
                               std::string(6 - digits.size(), '0') + digits);
            g.text = scratch_.back();
            break;
        }
        case typed_value::kind::decimal:
            g.k = admit::given::kind::number;
            g.text = v.string();
            break;
        case typed_value::kind::boolean:
            g.k = admit::given::kind::boolean;
            g.boolean = v.number() != 0;
            break;
        case typed_value::kind::text:
            g.k = admit::given::kind::string;
            g.text = v.string();
            break;
        case typed_value::kind::date:
            // A date is its ISO text where a string is read (a text, a ref).
            g.k = admit::given::kind::string;
            g.date = static_cast<calendar::day>(v.number());
            scratch_.push_back(calendar::to_iso(*g.date));
            g.text = scratch_.back();
            break;
        case typed_value::kind::set: g.k = admit::given::kind::list; break;
    }
    return admit::scalar(f, k, g, out, member, error);
}

// JSON text is valid UTF-8 by definition; typed text must be too, or reports would not be.
bool typed_reader::checked_text(std::string_view field, std::string_view text, std::string& error) const {
    return admit::checked_text(field, text, max_field_bytes_, error);
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
    if (r.entity.empty()) return reject(admit::empty("entity"));
    r.kind_index = plan_.find_kind(e.kind);
    if (r.kind_index < 0) return reject(admit::unknown_kind(e.kind));
    r.has_parent = e.parent.has_value();
    r.parent = r.has_parent ? std::string_view(*e.parent) : std::string_view();
    if (r.has_parent && r.parent.empty()) return reject(admit::empty("parent"));
    r.has_name = e.name.has_value();
    r.name = r.has_name ? std::string_view(*e.name) : std::string_view();
    if (e.since && !in_calendar(*e.since)) return reject(outside_calendar("since"));
    if (e.until && !in_calendar(*e.until)) return reject(outside_calendar("until"));
    r.since = e.since;
    r.until = e.until;
    if (e.version < 0) return reject(admit::bad_version());
    r.version = e.version;
    // The kind's fields, as the JSON reader takes them.
    const check::kind& kd = plan_.kinds[static_cast<std::size_t>(r.kind_index)];
    r.fields.assign(kd.fields.size(), io::field_value{});
    r.members.clear();
    r.ignored.clear();
    for (const auto& field : e.fields) {
        const auto& name = field.first;
        if (!simdjson::validate_utf8(name.data(), name.size())) return reject("a field name is not valid UTF-8");
        if (field.second.type() == typed_value::kind::text && !checked_text(name, field.second.string(), error)) return false;
        if (check::is_entity_key(name))
            return reject("field '" + name + "' is a key of the entity record: give it as the entity's " + name + ", not as a field");
    }
    for (std::size_t i = 0; i < kd.fields.size(); ++i) {
        const check::field& f = kd.fields[i];
        const typed_value* v = nullptr;
        for (const auto& field : e.fields)
            if (field.first == f.id) v = &field.second;
        if (!v) {
            if (!f.optional) return reject(admit::missing(f.id));
            continue;
        }
        if (!scalar(f, f.t.kind, *v, r.fields[i], false, error)) return false;
    }
    for (const auto& field : e.fields)
        if (kd.find_field(field.first) < 0) r.ignored.push_back(field.first);
    return true;
}

bool typed_reader::read(const typed_waiver& w, io::parsed_record& r, std::string& error) {
    scratch_.clear();
    if (!checked_text("waiver", w.id, error) || !checked_text("obligation", w.obligation, error)) return false;
    if (w.unit && !checked_text("unit", *w.unit, error)) return false;
    if (w.reason && !checked_text("reason", *w.reason, error)) return false;
    if (w.approved_by && !checked_text("approved_by", *w.approved_by, error)) return false;
    if (!in_calendar(w.period)) {
        error = outside_calendar("period");
        return false;
    }
    if (w.extend_to && !in_calendar(*w.extend_to)) {
        error = outside_calendar("extend_to");
        return false;
    }
    io::waiver_values v;
    v.id = w.id;
    v.obligation = w.obligation;
    v.has_unit = w.unit.has_value();
    if (w.unit) v.unit = *w.unit;
    if (w.reason) v.reason = *w.reason;
    if (w.approved_by) v.approved_by = *w.approved_by;
    v.period = w.period;
    v.has_period = true;
    v.extend_to = w.extend_to;
    v.has_excuse = w.excuse;
    v.excuse = w.excuse;
    return io::make_waiver(plan_, v, r, error);
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
    if (r.id.empty()) return reject(admit::empty("id"));
    r.type = plan_.find_event(e.type());
    if (r.type < 0) return reject(admit::unknown_event_type(e.type()));
    const check::event_type& et = plan_.events[static_cast<std::size_t>(r.type)];
    const auto time = calendar::parse_time(e.time(), plan_.utc_offset_minutes);
    if (!time)
        return reject(admit::bad_time(e.time()));
    r.time = *time;
    r.unit = e.unit();
    if (r.unit.empty()) return reject(admit::empty("unit"));

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
            if (!f.optional) return reject(admit::missing(f.id));
            continue;
        }
        io::field_value& out = r.fields[i];
        if (f.t.kind == check::type_kind::set) {
            if (v->type() != typed_value::kind::set) return reject(admit::not_a_list(f.id));
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
        error = admit::no_event_id();
        return false;
    }
    return true;
}

}  // namespace io
}  // namespace mandate
