// Host structs as records: binding a struct's members to the plan, and reading each record's
// values with the JSON reader's checks and words (lib/ingest/records.cpp, admission.hpp).
// tests/bindings/struct_records_test.cpp holds each reason against its JSON twin's.
#include "host_reader.hpp"

#include "admission.hpp"


#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "mandate/calendar/schedule.hpp"

namespace mandate {

record_binding::record_binding() = default;
record_binding::~record_binding() = default;
record_binding::record_binding(const record_binding&) = default;
record_binding& record_binding::operator=(const record_binding&) = default;
record_binding::record_binding(std::shared_ptr<const impl> i) : impl_(std::move(i)) {}

const std::string& record_binding::target() const {
    static const std::string unbound;
    return impl_ ? impl_->target : unbound;
}
std::size_t record_binding::members() const { return impl_ ? impl_->slots.size() : 0; }
bool record_binding::is_entity() const { return impl_ && impl_->entity; }

namespace io {

namespace {

using role = record_binding::impl::role;

std::string describe(const host_member& m) {
    std::string what;
    switch (m.kind) {
        case host_kind::text: what = "text"; break;
        case host_kind::integer: what = "an integer"; break;
        case host_kind::real: what = "a floating-point number"; break;
        case host_kind::millionths: what = "mandate::millionths"; break;
        case host_kind::boolean: what = "a bool"; break;
        case host_kind::date: what = "mandate::date"; break;
        case host_kind::instant: what = "a time point"; break;
    }
    if (m.list) what = "a list of " + what;
    return what;
}

// Whether a member of kind `h` can give the values of a field of kind `k`.
bool fits(check::type_kind k, host_kind h) {
    switch (k) {
        case check::type_kind::integer: return h == host_kind::integer;
        case check::type_kind::number: return h == host_kind::integer || h == host_kind::real || h == host_kind::millionths;
        case check::type_kind::boolean: return h == host_kind::boolean;
        case check::type_kind::text:
        case check::type_kind::ref: return h == host_kind::text;
        case check::type_kind::date: return h == host_kind::date || h == host_kind::text;
        default: return false;
    }
}

// What a member for a field of type `t` may be, for messages.
std::string wanted(const check::type& t) {
    auto one = [](check::type_kind k) -> std::string {
        switch (k) {
            case check::type_kind::integer: return "an integer";
            case check::type_kind::number: return "an integer, a floating-point number or mandate::millionths";
            case check::type_kind::boolean: return "a bool";
            case check::type_kind::text:
            case check::type_kind::ref: return "text (std::string or std::string_view)";
            case check::type_kind::date: return "mandate::date or text";
            default: return "nothing a record can carry";
        }
    };
    return t.kind == check::type_kind::set ? "a list of " + one(t.element) : one(t.kind);
}

std::string names_of(const std::vector<check::field>& fields, std::size_t first) {
    std::string out;
    for (std::size_t i = first; i < fields.size(); ++i) out += (out.empty() ? "" : ", ") + fields[i].id;
    return out.empty() ? "none" : out;
}

template <class Items>
std::string ids_of(const Items& items) {
    std::string out;
    for (const auto& x : items) out += (out.empty() ? "" : ", ") + x.id;
    return out.empty() ? "none" : out;
}

using admit::in_calendar;
using admit::outside_calendar;

}  // namespace

record_binding bind_host_type(const check::plan& plan, bool entity, std::string_view target, const host_member* members,
                              std::size_t count) {
    auto b = std::make_shared<record_binding::impl>();
    b->plan = &plan;
    b->entity = entity;
    b->target = std::string(target);
    const std::string what = std::string(entity ? "kind '" : "event type '") + std::string(target) + "'";
    b->index = entity ? plan.find_kind(target) : plan.find_event(target);
    if (b->index < 0)
        throw binding_error("the plan has no " + what + " (its " + (entity ? "kinds: " + ids_of(plan.kinds) : "event types: " + ids_of(plan.events)) + ")");
    const std::vector<check::field>& declared =
        entity ? plan.kinds[static_cast<std::size_t>(b->index)].fields : plan.events[static_cast<std::size_t>(b->index)].fields;
    const std::size_t first = entity ? 0 : static_cast<std::size_t>(check::first_declared_field);
    b->member_of.assign(declared.size(), -1);

    std::vector<std::string> problems;
    auto problem = [&](std::string s) { problems.push_back(what + ": " + std::move(s)); };
    // A built-in key: which one, and the kinds of member that may give it.
    struct builtin {
        const char* name;
        role r;
        int* member;
        std::vector<host_kind> kinds;
        const char* wanted;
    };
    const std::vector<builtin> builtins =
        entity ? std::vector<builtin>{{"entity", role::entity, &b->id, {host_kind::text}, "text"},
                                      {"parent", role::parent, &b->parent, {host_kind::text}, "text"},
                                      {"name", role::name, &b->name, {host_kind::text}, "text"},
                                      {"since", role::since, &b->since, {host_kind::date, host_kind::text}, "mandate::date or text"},
                                      {"until", role::until, &b->until, {host_kind::date, host_kind::text}, "mandate::date or text"},
                                      {"version", role::version, &b->version, {host_kind::integer}, "an integer"}}
               : std::vector<builtin>{{"id", role::id, &b->id, {host_kind::text}, "text"},
                                      {"time", role::time, &b->time, {host_kind::date, host_kind::instant, host_kind::text},
                                       "mandate::date, a std::chrono::system_clock time point or text"},
                                      {"unit", role::unit, &b->unit, {host_kind::text}, "text"}};
    for (std::size_t i = 0; i < count; ++i) {
        const host_member& m = members[i];
        record_binding::impl::slot s;
        s.member = m;
        s.name = std::string(m.name);
        s.member.name = {};
        const int at = static_cast<int>(i);
        const std::string quoted = "member '" + s.name + "'";
        bool twice = false;
        for (const auto& other : b->slots) twice = twice || other.name == s.name;
        if (twice) {
            problem(quoted + " is given twice");
            b->slots.push_back(std::move(s));
            continue;
        }
        const builtin* key = nullptr;
        for (const auto& k : builtins)
            if (s.name == k.name) key = &k;
        if (key) {
            s.r = key->r;
            *key->member = at;
            bool ok = !m.list;
            if (ok) ok = std::find(key->kinds.begin(), key->kinds.end(), m.kind) != key->kinds.end();
            if (!ok) problem(quoted + " is " + describe(m) + ": the record's '" + s.name + "' must be " + key->wanted);
        } else if (s.name == (entity ? "kind" : "type")) {
            problem(quoted + ": the " + (entity ? "kind" : "event type") + " is the one bound to, not a member");
        } else {
            const int f = entity ? plan.kinds[static_cast<std::size_t>(b->index)].find_field(s.name)
                                 : plan.events[static_cast<std::size_t>(b->index)].find_field(s.name);
            if (f < static_cast<int>(first)) {
                problem(quoted + " is not one of its fields (" + names_of(declared, first) + ")");
            } else {
                const check::field& field = declared[static_cast<std::size_t>(f)];
                s.field = f;
                b->member_of[static_cast<std::size_t>(f)] = at;
                const bool set = field.t.kind == check::type_kind::set;
                const bool ok = set == m.list && fits(set ? field.t.element : field.t.kind, m.kind);
                if (!ok)
                    problem(quoted + " is " + describe(m) + ", and field '" + field.id + "' is " + check::describe(field.t) +
                            ": its member must be " + wanted(field.t));
            }
        }
        b->slots.push_back(std::move(s));
    }
    for (const char* key : entity ? std::vector<const char*>{"entity"} : std::vector<const char*>{"id", "time", "unit"}) {
        const int member = entity ? b->id : key[0] == 'i' ? b->id : key[0] == 't' ? b->time : b->unit;
        if (member < 0) problem(std::string("no member gives the record's '") + key + "'");
    }
    for (std::size_t f = first; f < declared.size(); ++f)
        if (!declared[f].optional && b->member_of[f] < 0)
            problem("no member gives field '" + declared[f].id + "' (" + check::describe(declared[f].t) + "), which every record needs");
    if (!problems.empty()) {
        std::string message;
        for (const auto& p : problems) message += (message.empty() ? "" : "\n") + p;
        throw binding_error(message);
    }
    return record_binding(std::move(b));
}

bool host_reader::checked_text(std::string_view field, std::string_view text, std::string& error) const {
    return admit::checked_text(field, text, max_field_bytes_, error);
}

bool host_reader::checked_texts(const record_binding::impl& b, const host_value* values, std::string& error) const {
    for (std::size_t i = 0; i < b.slots.size(); ++i) {
        const auto& s = b.slots[i];
        const host_value& v = values[i];
        if (s.member.kind != host_kind::text || !v.present) continue;
        if (!s.member.list) {
            if (!checked_text(s.name, v.text, error)) return false;
            continue;
        }
        for (std::size_t k = 0; k < v.count; ++k)
            if (!checked_text(s.name, v.items[k].text, error)) return false;
    }
    return true;
}

bool host_reader::scalar(const check::field& f, check::type_kind k, const host_member& m, const host_value& v, field_value& out,
                         bool member, std::string& error) {
    // The common cases directly; the others (and every fault) judged by the JSON reader's rules.
    admit::given g;
    switch (m.kind) {
        case host_kind::text:
            if (k == check::type_kind::text || (k == check::type_kind::ref && !v.text.empty())) {
                out.text = v.text;
                out.present = true;
                return true;
            }
            g.k = admit::given::kind::string;
            g.text = v.text;
            break;
        case host_kind::integer:
            if (!v.overflow && v.number != std::numeric_limits<std::int64_t>::min()) {
                if (k == check::type_kind::integer) {
                    out.integer = v.number;
                    out.present = true;
                    return true;
                }
                if (k == check::type_kind::number && v.number <= max_scaled_number / number_scale &&
                    v.number >= -(max_scaled_number / number_scale)) {
                    out.integer = v.number * number_scale;
                    out.present = true;
                    return true;
                }
            }
            if (v.overflow || v.number == std::numeric_limits<std::int64_t>::min() || k == check::type_kind::number) {
                error = out_of_range_reason(f.id, k == check::type_kind::integer);
                return false;
            }
            g.k = admit::given::kind::number;
            scratch_.push_back(std::to_string(v.number));
            g.text = scratch_.back();
            break;
        case host_kind::millionths:
            if (k == check::type_kind::number) {
                if (v.number > max_scaled_number || v.number < -max_scaled_number) {
                    error = out_of_range_reason(f.id, false);
                    return false;
                }
                out.integer = v.number;
                out.present = true;
                return true;
            }
            g.k = admit::given::kind::number;
            scratch_.push_back(std::to_string(v.number));
            g.text = scratch_.back();
            break;
        case host_kind::real: {
            // JSON has no infinities and no NaN: as a value that is not a number.
            if (!std::isfinite(v.real)) break;
            char digits[32];
            const auto written = std::to_chars(digits, digits + sizeof digits, v.real);
            scratch_.emplace_back(digits, written.ptr);
            g.k = admit::given::kind::number;
            g.text = scratch_.back();
            break;
        }
        case host_kind::boolean:
            if (k == check::type_kind::boolean) {
                out.integer = v.number != 0 ? 1 : 0;
                out.present = true;
                return true;
            }
            g.k = admit::given::kind::boolean;
            g.boolean = v.number != 0;
            break;
        case host_kind::date:
            if (!in_calendar(v.number)) {
                error = outside_calendar(f.id);
                return false;
            }
            g.k = admit::given::kind::string;
            g.date = static_cast<calendar::day>(v.number);
            if (k == check::type_kind::date) {
                out.integer = v.number;
                out.present = true;
                return true;
            }
            scratch_.push_back(calendar::to_iso(*g.date));
            g.text = scratch_.back();
            break;
        case host_kind::instant: break;  // refused when bound
    }
    return admit::scalar(f, k, g, out, member, error);
}

bool host_reader::fields(const record_binding::impl& b, const std::vector<check::field>& declared, std::size_t first,
                         const host_value* values, parsed_record& r, std::string& error) {
    r.fields.assign(declared.size(), field_value{});
    r.members.clear();
    r.ignored.clear();
    for (std::size_t i = first; i < declared.size(); ++i) {
        const check::field& f = declared[i];
        const int at = b.member_of[i];
        const host_value* v = at < 0 ? nullptr : &values[at];
        if (!v || !v->present) {
            if (!f.optional) {
                error = admit::missing(f.id);
                return false;
            }
            continue;
        }
        const host_member& m = b.slots[static_cast<std::size_t>(at)].member;
        field_value& out = r.fields[i];
        if (f.t.kind == check::type_kind::set) {
            out.members_begin = static_cast<std::uint32_t>(r.members.size());
            for (std::size_t k = 0; k < v->count; ++k) {
                field_value item;
                if (!scalar(f, f.t.element, m, v->items[k], item, true, error)) return false;
                r.members.push_back(item);
            }
            out.members_end = static_cast<std::uint32_t>(r.members.size());
            out.present = true;
            continue;
        }
        if (!scalar(f, f.t.kind, m, *v, out, false, error)) return false;
    }
    return true;
}

bool host_reader::read(const record_binding::impl& b, const host_value* values, parsed_record& r, std::string& error) {
    scratch_.clear();
    if (!checked_texts(b, values, error)) return false;
    return b.entity ? read_entity(b, values, r, error) : read_event(b, values, r, error);
}

bool host_reader::read_event(const record_binding::impl& b, const host_value* values, parsed_record& r, std::string& error) {
    auto reject = [&](std::string reason) {
        error = std::move(reason);
        return false;
    };
    r.kind = record_kind::event;
    const host_value& id = values[b.id];
    if (!id.present) return reject(admit::missing("id"));
    if (id.text.empty()) return reject(admit::empty("id"));
    r.id = id.text;
    r.type = b.index;
    const host_value& time = values[b.time];
    if (!time.present) return reject(admit::missing("time"));
    switch (b.slots[static_cast<std::size_t>(b.time)].member.kind) {
        case host_kind::date:
            if (!in_calendar(time.number)) return reject(outside_calendar("time"));
            r.time = calendar::event_time{};
            r.time.local = static_cast<calendar::day>(time.number);
            break;
        case host_kind::instant: {
            // The local date in the plan's zone, as a date-time written with any offset gives.
            const std::int64_t seconds = time.number;
            // Far outside the calendar first, so that the sums below cannot overflow.
            constexpr std::int64_t far = std::int64_t{1} << 50;
            if (seconds > far || seconds < -far) return reject(outside_calendar("time"));
            const std::int64_t local_seconds = seconds + std::int64_t{plan_.utc_offset_minutes} * 60;
            std::int64_t local_day = local_seconds / 86400;
            if (local_seconds % 86400 != 0 && local_seconds < 0) --local_day;
            if (!in_calendar(local_day)) return reject(outside_calendar("time"));
            r.time = calendar::event_time{};
            r.time.local = static_cast<calendar::day>(local_day);
            r.time.has_clock = true;
            r.time.instant_s = seconds;
            r.time.nanos = time.nanos;
            break;
        }
        default: {
            const auto parsed = calendar::parse_time(time.text, plan_.utc_offset_minutes);
            if (!parsed) return reject(admit::bad_time(time.text));
            r.time = *parsed;
        }
    }
    const host_value& unit = values[b.unit];
    if (!unit.present) return reject(admit::missing("unit"));
    if (unit.text.empty()) return reject(admit::empty("unit"));
    r.unit = unit.text;
    return fields(b, plan_.events[static_cast<std::size_t>(b.index)].fields, check::first_declared_field, values, r, error);
}

bool host_reader::read_entity(const record_binding::impl& b, const host_value* values, parsed_record& r, std::string& error) {
    auto reject = [&](std::string reason) {
        error = std::move(reason);
        return false;
    };
    r.kind = record_kind::entity;
    const host_value& id = values[b.id];
    if (!id.present) return reject(admit::missing("entity"));
    if (id.text.empty()) return reject(admit::empty("entity"));
    r.entity = id.text;
    r.kind_index = b.index;
    auto text = [&](int member, std::string_view& out, bool& has) {
        has = member >= 0 && values[member].present;
        out = has ? values[member].text : std::string_view();
    };
    text(b.parent, r.parent, r.has_parent);
    if (r.has_parent && r.parent.empty()) return reject(admit::empty("parent"));
    text(b.name, r.name, r.has_name);
    r.since = r.until = std::nullopt;
    for (const int member : {b.since, b.until}) {
        if (member < 0 || !values[member].present) continue;
        const auto& s = b.slots[static_cast<std::size_t>(member)];
        const host_value& v = values[member];
        std::optional<calendar::day> d;
        if (s.member.kind == host_kind::date) {
            if (!in_calendar(v.number)) return reject(outside_calendar(s.name));
            d = static_cast<calendar::day>(v.number);
        } else {
            d = calendar::parse_iso(v.text);
            if (!d) return reject("field '" + s.name + "' must be a date like 2023-01-01, not " + admit::quoted(v.text));
        }
        (member == b.since ? r.since : r.until) = d;
    }
    r.version = 0;
    if (b.version >= 0 && values[b.version].present) {
        const host_value& v = values[b.version];
        if (v.overflow || v.number < 0) return reject(admit::bad_version());
        r.version = v.number;
    }
    return fields(b, plan_.kinds[static_cast<std::size_t>(b.index)].fields, 0, values, r, error);
}

}  // namespace io
}  // namespace mandate
