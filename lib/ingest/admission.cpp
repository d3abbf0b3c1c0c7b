#include "admission.hpp"

#include <algorithm>
#include "mandate/check/buckets.hpp"

namespace mandate::io::admit {

namespace {

// A JSON number token of the plain form -?DIGITS(.DIGITS)? with at most `scale` fractional
// digits and at most 18 digits in all, as `value` * 10^scale: exactly what the general path
// (an exact rational) gives for it, without the 128-bit arithmetic. False for anything else
// (an exponent, more digits), which the general path then reads and judges.
bool fast_decimal(std::string_view t, int scale, std::int64_t& value) {
    std::size_t i = 0;
    const bool negative = !t.empty() && t[0] == '-';
    if (negative) ++i;
    std::int64_t v = 0;
    int digits = 0, fraction = -1;
    for (; i < t.size(); ++i) {
        const char c = t[i];
        if (c >= '0' && c <= '9') {
            if (++digits > 18) return false;  // before the digit: a 19th could overflow
            v = v * 10 + (c - '0');
            if (fraction >= 0 && ++fraction > scale) return false;
        } else if (c == '.' && fraction < 0) {
            fraction = 0;
        } else {
            return false;
        }
    }
    if (digits == 0 || fraction == 0) return false;
    // Scaled, it has at most 18 digits: well inside int64 and max_scaled_number.
    const int shift = scale - (fraction < 0 ? 0 : fraction);
    if (digits + shift > 18) return false;
    for (int f = 0; f < shift; ++f) v *= 10;
    value = negative ? -v : v;
    return true;
}

}  // namespace

bool scalar(const check::field& f, check::type_kind k, const given& v, field_value& out, bool member, std::string& why) {
    auto reject = [&](std::string reason) {
        why = std::move(reason);
        return false;
    };
    auto wrong = [&](const char* one, const char* many) {
        return reject("field '" + f.id + "' must " + (member ? std::string("hold only ") + many : std::string("be ") + one));
    };
    switch (k) {
        case check::type_kind::integer:
        case check::type_kind::number: {
            const bool whole = k == check::type_kind::integer;
            if (v.k != given::kind::number) return whole ? wrong("a whole number", "whole numbers") : wrong("a number", "numbers");
            if (fast_decimal(v.text, whole ? 0 : 6, out.integer)) break;
            switch (fit_number(v.text, whole, out.integer)) {
                case number_fit::fits: break;
                case number_fit::not_whole: return wrong("a whole number", "whole numbers");
                case number_fit::too_many_fractional_digits: return reject("field '" + f.id + "' has more than 6 fractional digits");
                case number_fit::out_of_range: return reject(out_of_range_reason(f.id, whole));
            }
            break;
        }
        case check::type_kind::boolean:
            if (v.k != given::kind::boolean) return wrong("true or false", "true or false values");
            out.integer = v.boolean ? 1 : 0;
            break;
        case check::type_kind::text:
            if (v.k != given::kind::string) return wrong("a string", "strings");
            out.text = v.text;
            break;
        case check::type_kind::ref:
            if (v.k != given::kind::string || v.text.empty()) return wrong("an entity id (a string)", "entity ids (strings)");
            out.text = v.text;
            break;
        case check::type_kind::date: {
            const auto d = v.date ? v.date : v.k == given::kind::string ? calendar::parse_iso(v.text) : std::nullopt;
            if (!d) return wrong("a date like 2023-05-31", "dates like 2023-05-31");
            out.integer = *d;
            break;
        }
        default: return reject("field '" + f.id + "' has a type records cannot carry");
    }
    out.present = true;
    return true;
}

bool in_calendar(std::int64_t d) {
    return d >= calendar::from_ymd(calendar::min_year, 1, 1) && d <= calendar::from_ymd(calendar::max_year, 12, 31);
}

std::string outside_calendar(std::string_view field) {
    return "field '" + std::string(field) + "' holds a date outside the years " + std::to_string(calendar::min_year) +
           " to " + std::to_string(calendar::max_year);
}

bool checked_text(std::string_view field, std::string_view text, std::size_t max_field_bytes, std::string& why) {
    if (text.size() > max_field_bytes) {
        why = "field '" + std::string(field) + "' is longer than the limit of " + std::to_string(max_field_bytes) + " bytes";
        return false;
    }
    if (is_valid_utf8(text)) return true;
    why = "field '" + std::string(field) + "' is not valid UTF-8";
    return false;
}

// A value for a message: cut after about 80 bytes, at a character boundary.
std::string quoted(std::string_view s) {
    std::size_t cut = std::min<std::size_t>(s.size(), 80);
    while (cut < s.size() && cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    std::string out = "'";
    out.append(s.substr(0, cut));
    if (cut < s.size()) out += "...";
    return out + "'";
}

std::string missing(std::string_view field) { return "field '" + std::string(field) + "' is missing"; }
std::string empty(std::string_view field) { return "field '" + std::string(field) + "' must not be empty"; }
std::string not_a_list(std::string_view field) { return "field '" + std::string(field) + "' must be a list"; }
std::string unknown_kind(std::string_view kind) { return "unknown kind " + quoted(kind); }
std::string unknown_event_type(std::string_view type) { return "unknown event type " + quoted(type); }
std::string bad_time(std::string_view time) {
    return "field 'time' must be a date or a date-time like 2023-04-15T09:30:00+08:00, not " + quoted(time);
}
std::string bad_version() { return "field 'version' must be a whole number >= 0"; }
std::string no_event_id() { return "field 'retract' must name an event id"; }

}  // namespace mandate::io::admit

namespace mandate::io {

check::type_kind waiver_field_kind(int field) {
    switch (field) {
        case waiver_field::obligation: return check::type_kind::integer;
        case waiver_field::extend_to: return check::type_kind::date;
        case waiver_field::excuse: return check::type_kind::boolean;
        case waiver_field::reason:
        case waiver_field::approved_by: return check::type_kind::text;
        default: return check::type_kind::error;
    }
}

bool make_waiver(const check::plan& plan, const waiver_values& w, parsed_record& r, std::string& error) {
    auto reject = [&](std::string reason) {
        error = std::move(reason);
        return false;
    };
    if (w.id.empty()) return reject(admit::empty("waiver"));
    const int rule = plan.find_obligation(w.obligation);
    if (rule < 0) {
        if (plan.find_outcome(w.obligation) >= 0)
            return reject("waiver '" + std::string(w.id) + "' names outcome " + admit::quoted(w.obligation) +
                          ": only an obligation's bucket can be waived");
        return reject("waiver '" + std::string(w.id) + "' names no obligation of the plan: " + admit::quoted(w.obligation));
    }
    const check::rule& ru = plan.rules[static_cast<std::size_t>(rule)];
    if (ru.var.empty()) {
        if (w.has_unit && !w.unit.empty())
            return reject("obligation '" + ru.id + "' has no 'each': a waiver of it names no unit");
    } else {
        if (!w.has_unit) return reject(admit::missing("unit"));
        if (w.unit.empty()) return reject(admit::empty("unit"));
    }
    if (!w.period) return reject("field 'period' is missing: a date inside the bucket waived");
    if (w.extend_to.has_value() == w.has_excuse)
        return reject("a waiver has exactly one of 'extend_to' (a date) and 'excuse': true");
    if (w.has_excuse && !w.excuse) return reject("field 'excuse' must be true (a waiver that only extends has 'extend_to')");
    if (w.extend_to) {
        const auto b = check::waived_bucket(ru, check::rule_buckets(ru, plan.week_start), *w.period);
        // A bucket with `due` ends where its due range does. During a phase bounded by events
        // the bucket is not known before the events are: it ends on its period date or later.
        const calendar::day end = b ? check::counted_days(ru, b->from, b->to).to : *w.period;
        if ((b || ru.event_phase >= 0) && *w.extend_to <= end)
            return reject("field 'extend_to' (" + calendar::to_iso(*w.extend_to) + ") must be after the end of the bucket it extends (" +
                          calendar::to_iso(end) + ")");
    }
    r.kind = record_kind::waiver;
    r.type = waiver_type(plan);
    r.id = w.id;
    r.unit = ru.var.empty() ? std::string_view() : w.unit;
    r.time = calendar::event_time{};
    r.time.local = *w.period;
    r.fields.assign(waiver_field::count, field_value{});
    r.members.clear();
    r.ignored.clear();
    auto put = [&](int f, std::int64_t v) {
        r.fields[static_cast<std::size_t>(f)].present = true;
        r.fields[static_cast<std::size_t>(f)].integer = v;
    };
    put(waiver_field::obligation, rule);
    if (w.extend_to) put(waiver_field::extend_to, *w.extend_to);
    if (w.has_excuse) put(waiver_field::excuse, 1);
    if (!w.reason.empty()) {
        r.fields[waiver_field::reason].present = true;
        r.fields[waiver_field::reason].text = w.reason;
    }
    if (!w.approved_by.empty()) {
        r.fields[waiver_field::approved_by].present = true;
        r.fields[waiver_field::approved_by].text = w.approved_by;
    }
    return true;
}

}  // namespace mandate::io
