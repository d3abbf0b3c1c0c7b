#include "admission.hpp"

#include <algorithm>

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
