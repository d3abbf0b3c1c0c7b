#include "mandate/ingest/records.hpp"

#include "admission.hpp"

#include <simdjson.h>

#include "../bytes.hpp"

#include <algorithm>
#include <cstring>

namespace mandate::io {

namespace od = simdjson::ondemand;

std::size_t required_padding() { return simdjson::SIMDJSON_PADDING; }

std::string too_long_reason(std::size_t limit) {
    return "record longer than the limit of " + std::to_string(limit) + " bytes";
}

namespace {

// A JSON value captured in one forward pass, before we know how to interpret it.
struct json_value {
    enum class kind : std::uint8_t { null, boolean, number, string, array, object } k = kind::null;
    bool boolean = false;
    std::uint32_t depth = 0;  // levels of lists and objects (a field's value: 1 for a flat list)
    std::string_view text;  // string contents (unescaped) or the number's token
    std::uint32_t begin = 0, end = 0;  // array: elements in impl::elements (depth 1 only)
};

// The first key of `keys` that repeats an earlier one, in order, or npos. Every record is
// checked, so the usual case (a dozen keys, none twice) is made cheap: a key is compared with
// the earlier ones only when a 64-bit mask of (length, first and last byte) says one may be
// equal. Past 16 keys they are sorted instead, so that a record of many thousand keys (within
// the size limit) costs n log n, not n².
template <class Key>
std::size_t first_repeated(std::size_t n, Key key, std::vector<std::pair<std::string_view, std::size_t>>& scratch) {
    if (n <= 16) {
        auto sketch = [](std::string_view k) {
            const unsigned first = k.empty() ? 0 : static_cast<unsigned char>(k.front());
            const unsigned last = k.empty() ? 0 : static_cast<unsigned char>(k.back());
            return std::uint64_t{1} << ((k.size() * 7 + first * 3 + last) & 63);
        };
        std::uint64_t seen = 0;
        for (std::size_t j = 0; j < n; ++j) {
            const std::string_view k = key(j);
            const std::uint64_t bit = sketch(k);
            if (seen & bit)
                for (std::size_t i = 0; i < j; ++i)
                    if (key(i) == k) return j;
            seen |= bit;
        }
        return std::string_view::npos;
    }
    scratch.clear();
    for (std::size_t i = 0; i < n; ++i) scratch.emplace_back(key(i), i);
    std::sort(scratch.begin(), scratch.end());
    std::size_t first = std::string_view::npos;
    for (std::size_t i = 1; i < n; ++i)
        if (scratch[i].first == scratch[i - 1].first) first = std::min(first, scratch[i].second);
    return first;
}

struct json_field {
    std::string_view key;
    json_value value;
};

bool valid_json_number(std::string_view t) {
    std::size_t i = 0;
    if (i < t.size() && t[i] == '-') ++i;
    if (i >= t.size()) return false;
    if (t[i] == '0') {
        ++i;
    } else if (t[i] >= '1' && t[i] <= '9') {
        while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    } else {
        return false;
    }
    if (i < t.size() && t[i] == '.') {
        ++i;
        const std::size_t start = i;
        while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
        if (i == start) return false;
    }
    if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
        ++i;
        if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
        const std::size_t start = i;
        while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
        if (i == start) return false;
    }
    return i == t.size();
}

// The offset of the first byte that does not begin a valid UTF-8 sequence, or npos.
std::size_t first_invalid_utf8(std::string_view s) {
    if (simdjson::validate_utf8(s.data(), s.size())) return std::string_view::npos;
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        const std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
        if (n == 0 || i + n > s.size() || !simdjson::validate_utf8(s.data() + i, n)) return i;
        i += n;
    }
    return std::string_view::npos;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

const char* describe_json(json_value::kind k) {
    switch (k) {
        case json_value::kind::null: return "null";
        case json_value::kind::boolean: return "true/false";
        case json_value::kind::number: return "a number";
        case json_value::kind::string: return "a string";
        case json_value::kind::array: return "a list";
        case json_value::kind::object: return "an object";
    }
    return "?";
}

}  // namespace

bool is_json_number(std::string_view text) { return valid_json_number(text); }

number_fit fit_number(std::string_view t, bool whole, std::int64_t& value) {
    value = 0;
    std::size_t i = 0;
    const bool negative = !t.empty() && t[0] == '-';
    if (negative) ++i;
    // The mantissa's digits, without the point: how many, how many after the point, and the
    // first and last that are not zero (their index among the digits and their place in t).
    std::int64_t count = 0, fraction = 0, first = -1, last = -1;
    std::size_t first_at = 0, last_at = 0;
    bool point = false;
    for (; i < t.size() && t[i] != 'e' && t[i] != 'E'; ++i) {
        if (t[i] == '.') {
            point = true;
            continue;
        }
        if (t[i] != '0') {
            if (first < 0) {
                first = count;
                first_at = i;
            }
            last = count;
            last_at = i;
        }
        ++count;
        if (point) ++fraction;
    }
    // The exponent, saturated: past a billion either way the answer no longer changes, and the
    // arithmetic below cannot overflow.
    std::int64_t exponent = 0;
    if (i < t.size()) {
        bool minus = false;
        if (++i < t.size() && (t[i] == '+' || t[i] == '-')) minus = t[i++] == '-';
        for (; i < t.size(); ++i) exponent = std::min<std::int64_t>(exponent * 10 + (t[i] - '0'), 1000000000);
        if (minus) exponent = -exponent;
    }
    if (first < 0) return number_fit::fits;  // zero, however written
    // value = (the digits from first to last) × 10^power, those digits ending in a nonzero one:
    // -power fractional digits when power < 0.
    const std::int64_t significant = last - first + 1;
    const std::int64_t power = exponent - fraction + (count - 1 - last);
    const int scale = whole ? 0 : 6;
    if (power < -scale) return whole ? number_fit::not_whole : number_fit::too_many_fractional_digits;
    // As held (the integer, or millionths): the digits × 10^shift. Past 19 digits it exceeds
    // both limits; up to 19 it fits an unsigned 64-bit value.
    const std::int64_t shift = power + scale;
    if (significant + shift > 19) return number_fit::out_of_range;
    std::uint64_t v = 0;
    for (std::size_t j = first_at; j <= last_at; ++j)
        if (t[j] != '.') v = v * 10 + static_cast<std::uint64_t>(t[j] - '0');
    for (std::int64_t s = 0; s < shift; ++s) v *= 10;
    const std::uint64_t limit = whole ? static_cast<std::uint64_t>(INT64_MAX) : static_cast<std::uint64_t>(max_scaled_number);
    if (v > limit) return number_fit::out_of_range;
    value = negative ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v);
    return number_fit::fits;
}

std::string out_of_range_reason(std::string_view field, bool whole) {
    const std::string most = whole ? std::to_string(INT64_MAX) : std::to_string(max_scaled_number / number_scale);
    return "field '" + std::string(field) + "' is out of range: " + (whole ? "an int" : "a number") + " field holds -" +
           most + " to " + most;
}
bool is_valid_utf8(std::string_view text) { return simdjson::validate_utf8(text.data(), text.size()); }

struct record_parser::impl {
    impl(const check::plan& p, const limits& l) : plan(p), max_record(l.max_record_bytes), max_field(l.max_field_bytes) {}

    const check::plan& plan;
    std::size_t max_record, max_field;
    od::parser parser{max_record + 1024};
    std::vector<json_field> fields;
    std::vector<json_value> elements;
    std::string padded;  // for parse(string_view)
    std::string message;

    bool fail(std::string m) {
        message = std::move(m);
        return false;
    }

    // A scalar (`t` says which), into `out`.
    bool scalar(od::value v, od::json_type t, json_value& out) {
        switch (t) {
            case od::json_type::string:
                out.k = json_value::kind::string;
                if (v.get_string().get(out.text)) return fail("not valid JSON: a malformed string");
                return true;
            case od::json_type::number:
                out.k = json_value::kind::number;
                out.text = trim(v.raw_json_token());
                if (!valid_json_number(out.text)) return fail("not valid JSON: malformed number '" + std::string(out.text) + "'");
                return true;
            case od::json_type::boolean:
                out.k = json_value::kind::boolean;
                if (v.get_bool().get(out.boolean)) return fail("not valid JSON: expected true or false");
                return true;
            case od::json_type::null: {
                out.k = json_value::kind::null;
                bool is_null = false;
                if (v.is_null().get(is_null) || !is_null) return fail("not valid JSON: expected null");
                return true;
            }
            default: return fail("not valid JSON");
        }
    }

    // A list or an object inside the value of `field`, checked (valid JSON, no key twice in any
    // object) without recursion, so that no depth a record's size allows can overflow the stack;
    // `depth` becomes its levels of lists and objects. Nothing in it is kept.
    struct frame {
        bool object = false, started = false;
        od::object_iterator object_at, object_end;
        od::array_iterator array_at, array_end;
        std::size_t keys_begin = 0;  // this object's keys in `keys`
    };
    std::vector<frame> stack;
    std::vector<std::string_view> keys;
    std::vector<std::pair<std::string_view, std::size_t>> sorted_keys;

    bool open(od::value v, bool object) {
        frame f;
        f.object = object;
        f.keys_begin = keys.size();
        if (object) {
            od::object o;
            if (v.get_object().get(o) || o.begin().get(f.object_at) || o.end().get(f.object_end)) return fail("not valid JSON");
        } else {
            od::array a;
            if (v.get_array().get(a) || a.begin().get(f.array_at) || a.end().get(f.array_end)) return fail("not valid JSON");
        }
        stack.push_back(f);
        return true;
    }

    bool walk(od::value v, bool object, std::string_view field, std::uint32_t& depth) {
        // A deep field leaves no large buffers behind, whether it passed or not.
        struct release {
            impl& m;
            ~release() {
                m.stack.clear();
                if (m.stack.capacity() > 4096) m.stack = {};
                if (m.keys.capacity() > 4096) m.keys = {};
            }
        } guard{*this};
        stack.clear();
        keys.clear();
        if (!open(v, object)) return false;
        depth = 1;
        while (!stack.empty()) {
            frame& top = stack.back();
            if (top.started) {
                if (top.object) ++top.object_at;
                else ++top.array_at;
            }
            top.started = true;
            if (top.object ? !(top.object_at != top.object_end) : !(top.array_at != top.array_end)) {
                if (top.object) {
                    const std::string_view* mine = keys.data() + top.keys_begin;
                    const std::size_t twice = first_repeated(
                        keys.size() - top.keys_begin, [mine](std::size_t i) { return mine[i]; }, sorted_keys);
                    if (twice != std::string_view::npos)
                        return fail("duplicate key " + admit::quoted(keys[top.keys_begin + twice]) + " in field " + admit::quoted(field));
                    keys.resize(top.keys_begin);
                }
                stack.pop_back();
                continue;
            }
            od::value child;
            if (top.object) {
                od::field f;
                std::string_view key;
                if ((*top.object_at).get(f) || f.unescaped_key().get(key)) return fail("not valid JSON: a malformed key");
                keys.push_back(key);
                child = f.value();
            } else if ((*top.array_at).get(child)) {
                return fail("not valid JSON: a malformed list");
            }
            od::json_type t;
            if (child.type().get(t)) return fail("not valid JSON");
            if (t == od::json_type::array || t == od::json_type::object) {
                if (!open(child, t == od::json_type::object)) return false;
                depth = std::max(depth, static_cast<std::uint32_t>(stack.size()));
                continue;
            }
            json_value ignored;
            if (!scalar(child, t, ignored)) return false;
        }
        return true;
    }

    // The value of the record's field `field`: a scalar, or a list whose members are kept (as
    // a set field's), or anything else, walked and checked. `out.depth` says how deep it nests,
    // for the limit on the fields that are read.
    bool capture(od::value v, json_value& out, std::string_view field) {
        od::json_type t;
        if (v.type().get(t)) return fail("not valid JSON");
        if (t == od::json_type::object) {
            out.k = json_value::kind::object;
            return walk(v, true, field, out.depth);
        }
        if (t != od::json_type::array) return scalar(v, t, out);
        out.k = json_value::kind::array;
        out.depth = 1;
        od::array a;
        if (v.get_array().get(a)) return fail("not valid JSON");
        out.begin = static_cast<std::uint32_t>(elements.size());
        for (auto element : a) {
            od::value ev;
            od::json_type et;
            if (element.get(ev) || ev.type().get(et)) return fail("not valid JSON: a malformed list");
            json_value x;
            if (et == od::json_type::array || et == od::json_type::object) {
                x.k = et == od::json_type::array ? json_value::kind::array : json_value::kind::object;
                if (!walk(ev, et == od::json_type::object, field, x.depth)) return false;
                out.depth = std::max(out.depth, x.depth + 1);
            } else if (!scalar(ev, et, x)) {
                return false;
            }
            elements.push_back(x);
        }
        out.end = static_cast<std::uint32_t>(elements.size());
        return true;
    }

    // Why simdjson refused a record, when the whole text tells more than the spot it stopped
    // at: bytes that are not UTF-8, a record cut short, valid JSON of another shape.
    static std::optional<std::string> shape_problem(std::string_view text) {
        if (const std::size_t bad = first_invalid_utf8(text); bad != std::string_view::npos)
            return "not valid UTF-8 (byte " + std::to_string(bad + 1) + " of the record)";
        std::string_view t = text;
        while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
        while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r')) t.remove_suffix(1);
        const bool scalar = t == "true" || t == "false" || t == "null" || valid_json_number(t) ||
                            (t.size() >= 2 && t.front() == '"' && t.back() == '"');
        const bool array = !t.empty() && t.front() == '[' && t.back() == ']';
        if (scalar || array) return "a record must be a JSON object, not " + std::string(scalar ? "a single value" : "a list");
        if (!t.empty() && t.front() == '{') {
            // Brackets and strings still open at the end: the line was cut short.
            int depth = 0;
            bool in_string = false;
            for (std::size_t i = 0; i < t.size(); ++i) {
                const char c = t[i];
                if (in_string) {
                    if (c == '\\') ++i;
                    else if (c == '"') in_string = false;
                } else if (c == '"') {
                    in_string = true;
                } else if (c == '{' || c == '[') {
                    ++depth;
                } else if ((c == '}' || c == ']') && --depth == 0 && i + 1 < t.size()) {
                    return "not valid JSON: text after the record";
                }
            }
            if (in_string) return "not valid JSON: a string is not closed (the record is cut short?)";
            if (depth > 0) return "not valid JSON: the record ends before its closing '}' (cut short?)";
        }
        return std::nullopt;
    }

    // A failure while reading the record: the whole text's problem if it has one, else `m`.
    bool fail_record(const char* data, std::size_t length, std::string m) {
        if (auto problem = shape_problem(std::string_view(data, length))) return fail(std::move(*problem));
        return fail(std::move(m));
    }

    bool read_object(const char* data, std::size_t length, std::size_t capacity) {
        fields.clear();
        elements.clear();
        od::document doc;
        if (parser.iterate(data, length, capacity).get(doc)) return fail_record(data, length, "not valid JSON");
        od::object object;
        if (doc.get_object().get(object)) return fail_record(data, length, "not valid JSON");
        for (auto field : object) {
            json_field f;
            if (field.unescaped_key().get(f.key)) return fail_record(data, length, "not valid JSON: a malformed key");
            od::value v;
            if (field.value().get(v)) return fail_record(data, length, "not valid JSON");
            if (!capture(v, f.value, f.key)) return fail_record(data, length, message);
            fields.push_back(f);
        }
        const char* trailing = nullptr;
        if (doc.current_location().get(trailing) == simdjson::SUCCESS)
            return fail_record(data, length, "not valid JSON: text after the record");
        // A key given twice: JSON readers differ on which value counts (Python's json takes the
        // last), so a host and the command line would read the record differently.
        const std::size_t twice = first_repeated(fields.size(), [this](std::size_t i) { return fields[i].key; }, sorted_keys);
        if (twice != std::string_view::npos) return fail("duplicate key " + admit::quoted(fields[twice].key));
        return true;
    }

    const json_value* find(std::string_view key) const {
        for (const auto& f : fields)
            if (f.key == key) return &f.value;
        return nullptr;
    }

    // The keys records are made of, found once a record: each lookup of one is then an index,
    // not a scan of the record's keys comparing text.
    enum key : int { k_id, k_type, k_time, k_unit, k_retract, k_entity, k_kind, k_parent, k_name, k_since, k_until, k_version,
                     k_waiver, n_keys };
    static int key_code(std::string_view k) {
        auto is = [&](const char* name, int code) { return k == name ? code : -1; };
        switch (k.size()) {
            case 2: return is("id", k_id);
            case 4:
                if (k[0] == 't') return k[1] == 'y' ? is("type", k_type) : is("time", k_time);
                if (k[0] == 'u') return is("unit", k_unit);
                if (k[0] == 'k') return is("kind", k_kind);
                return is("name", k_name);
            case 5: return k[0] == 's' ? is("since", k_since) : is("until", k_until);
            case 6: return k[0] == 'e' ? is("entity", k_entity) : k[0] == 'w' ? is("waiver", k_waiver) : is("parent", k_parent);
            case 7: return k[0] == 'r' ? is("retract", k_retract) : is("version", k_version);
            default: return -1;
        }
    }
    int first_of[n_keys];  // the first field with each key, or -1
    void index_keys() {
        std::fill(std::begin(first_of), std::end(first_of), -1);
        for (std::size_t i = 0; i < fields.size(); ++i) {
            const int c = key_code(fields[i].key);
            if (c >= 0 && first_of[c] < 0) first_of[c] = static_cast<int>(i);
        }
    }
    const json_value* find(key k) const { return first_of[k] < 0 ? nullptr : &fields[static_cast<std::size_t>(first_of[k])].value; }
    std::vector<int> declared;  // per declared field of the record's type: its first field, or -1
};

record_parser::record_parser(const check::plan& plan, const limits& l) : impl_(std::make_unique<impl>(plan, l)) {}
record_parser::~record_parser() = default;

bool record_parser::parse(std::string_view line) {
    impl_->padded.assign(line.data(), line.size());
    impl_->padded.append(required_padding(), ' ');
    return parse(impl_->padded.data(), line.size(), impl_->padded.size());
}

namespace {


// The first of `items` with this id, or -1: plan::find_kind, find_event and
// event_type::find_field, comparing inline (they run for every record).
template <class T>
int find_by_id(const std::vector<T>& items, std::string_view id) {
    for (std::size_t i = 0; i < items.size(); ++i)
        if (same_text(items[i].id, id)) return static_cast<int>(i);
    return -1;
}

}  // namespace

bool record_parser::parse(const char* data, std::size_t length, std::size_t capacity) {
    impl& m = *impl_;
    parsed_record& r = record_;
    auto reject = [&](std::string reason) {
        error_ = std::move(reason);
        return false;
    };
    if (length > m.max_record)
        return reject(too_long_reason(m.max_record));
    if (!m.read_object(data, length, capacity)) return reject(m.message);
    m.index_keys();
    // No string value longer than the field limit: the store keeps each one.
    for (const auto& f : m.fields) {
        auto too_long = [&](const json_value& v) { return v.k == json_value::kind::string && v.text.size() > m.max_field; };
        bool over = too_long(f.value) || f.key.size() > m.max_field;
        if (f.value.k == json_value::kind::array)
            for (std::uint32_t e = f.value.begin; e < f.value.end && !over; ++e) over = too_long(m.elements[e]);
        if (over)
            return reject("field " + admit::quoted(f.key) + " is longer than the limit of " + std::to_string(m.max_field) + " bytes");
    }

    using key = impl::key;
    // A field that is read: nested within the limit (any other is not looked into).
    auto too_deep = [&](std::string_view key, const json_value& v) {
        if (v.depth <= max_json_depth) return false;
        error_ = "field '" + std::string(key) + "' is nested too deeply (the limit is " + std::to_string(max_json_depth) +
                 " levels of lists and objects)";
        return true;
    };
    auto string_field = [&](std::string_view key, impl::key code, std::string_view& out, bool required) -> bool {
        const json_value* v = m.find(code);
        if (!v || v->k == json_value::kind::null) {
            if (required) error_ = "field '" + std::string(key) + "' is missing";
            return !required;
        }
        if (too_deep(key, *v)) return false;
        if (v->k != json_value::kind::string) {
            error_ = "field '" + std::string(key) + "' must be a string, not " + describe_json(v->k);
            return false;
        }
        out = v->text;
        return true;
    };

    // -------------------------------------------------------------- retraction
    if (m.find(key::k_retract)) {
        r.kind = record_kind::retraction;
        if (!string_field("retract", key::k_retract, r.retract, true)) return false;
        if (r.retract.empty()) return reject(admit::no_event_id());
        return true;
    }

    // -------------------------------------------------------------- entity
    if (m.find(key::k_entity)) {
        r.kind = record_kind::entity;
        r.parent = r.name = {};
        r.since = r.until = std::nullopt;
        r.version = 0;
        std::string_view kind;
        if (!string_field("entity", key::k_entity, r.entity, true) || !string_field("kind", key::k_kind, kind, true)) return false;
        if (r.entity.empty()) return reject(admit::empty("entity"));
        r.kind_index = find_by_id(m.plan.kinds, kind);
        if (r.kind_index < 0) return reject(admit::unknown_kind(kind));
        r.has_parent = m.find(key::k_parent) && m.find(key::k_parent)->k != json_value::kind::null;
        if (!string_field("parent", key::k_parent, r.parent, false)) return false;
        if (r.has_parent && r.parent.empty()) return reject(admit::empty("parent"));
        r.has_name = m.find(key::k_name) && m.find(key::k_name)->k != json_value::kind::null;
        if (!string_field("name", key::k_name, r.name, false)) return false;
        for (const char* key : {"since", "until"}) {
            std::string_view text;
            const impl::key code = key[0] == 's' ? impl::k_since : impl::k_until;
            const json_value* v = m.find(code);
            if (!v || v->k == json_value::kind::null) continue;
            if (!string_field(key, code, text, true)) return false;
            auto d = calendar::parse_iso(text);
            if (!d) return reject("field '" + std::string(key) + "' must be a date like 2023-01-01, not " + admit::quoted(text));
            (key[0] == 's' ? r.since : r.until) = d;
        }
        if (const json_value* v = m.find(key::k_version); v && v->k != json_value::kind::null) {
            if (too_deep("version", *v)) return false;
            auto number = v->k == json_value::kind::number ? rational::parse_decimal(v->text) : std::nullopt;
            if (!number || !number->is_integer() || number->num() < 0 || number->num() > INT64_MAX)
                return reject(admit::bad_version());
            r.version = static_cast<std::int64_t>(number->num());
        }
        // The kind's fields (LANGUAGE-v2.md section 1), typed as an event's; other keys are
        // ignored and listed.
        const check::kind& kd = m.plan.kinds[static_cast<std::size_t>(r.kind_index)];
        r.fields.assign(kd.fields.size(), field_value{});
        r.members.clear();
        r.ignored.clear();
        m.declared.assign(kd.fields.size(), -1);
        for (std::size_t k = 0; k < m.fields.size(); ++k) {
            const std::string_view name = m.fields[k].key;
            const int f = find_by_id(kd.fields, name);
            if (f >= 0) {
                if (m.declared[static_cast<std::size_t>(f)] < 0) m.declared[static_cast<std::size_t>(f)] = static_cast<int>(k);
            } else if (!check::is_entity_key(name)) {
                r.ignored.push_back(name);
            }
        }
        for (std::size_t i = 0; i < kd.fields.size(); ++i) {
            const check::field& f = kd.fields[i];
            const json_value* v = m.declared[i] < 0 ? nullptr : &m.fields[static_cast<std::size_t>(m.declared[i])].value;
            if (!v || v->k == json_value::kind::null) {
                if (!f.optional) return reject(admit::missing(f.id));
                continue;
            }
            if (too_deep(f.id, *v)) return false;
            admit::given g;
            g.k = static_cast<admit::given::kind>(v->k);
            g.text = v->text;
            g.boolean = v->boolean;
            if (!admit::scalar(f, f.t.kind, g, r.fields[i], false, error_)) return false;
        }
        return true;
    }

    // -------------------------------------------------------------- waiver
    if (m.find(key::k_waiver)) {
        waiver_values w;
        if (!string_field("waiver", key::k_waiver, w.id, true)) return false;
        auto text = [&](const char* name, std::string_view& out, bool* given) -> bool {
            const json_value* v = m.find(name);
            if (!v || v->k == json_value::kind::null) return true;
            if (v->k != json_value::kind::string) {
                error_ = "field '" + std::string(name) + "' must be a string, not " + describe_json(v->k);
                return false;
            }
            out = v->text;
            if (given) *given = true;
            return true;
        };
        auto date = [&](const char* name, std::optional<calendar::day>& out) -> bool {
            std::string_view t;
            bool given = false;
            if (!text(name, t, &given)) return false;
            if (!given) return true;
            out = calendar::parse_iso(t);
            if (!out) {
                error_ = "field '" + std::string(name) + "' must be a date like 2023-01-01, not " + admit::quoted(t);
                return false;
            }
            return true;
        };
        bool has_obligation = false;
        if (!text("obligation", w.obligation, &has_obligation) || !text("unit", w.unit, &w.has_unit) ||
            !text("reason", w.reason, nullptr) || !text("approved_by", w.approved_by, nullptr) || !date("period", w.period) ||
            !date("extend_to", w.extend_to))
            return false;
        if (!has_obligation) return reject("field 'obligation' is missing: a waiver names the obligation it waives");
        w.has_period = w.period.has_value();
        if (const json_value* v = m.find("excuse"); v && v->k != json_value::kind::null) {
            if (v->k != json_value::kind::boolean) return reject("field 'excuse' must be true, not " + std::string(describe_json(v->k)));
            w.has_excuse = true;
            w.excuse = v->boolean;
        }
        if (!make_waiver(m.plan, w, r, error_)) return false;
        r.ignored.clear();
        for (const auto& f : m.fields) {
            static const char* const known[] = {"waiver", "obligation", "unit", "period", "extend_to", "excuse", "reason", "approved_by"};
            if (std::none_of(std::begin(known), std::end(known), [&](const char* k) { return f.key == k; })) r.ignored.push_back(f.key);
        }
        return true;
    }

    // -------------------------------------------------------------- event
    if (!m.find(key::k_id)) {
        // An event that forgot its id says so; anything else is not a record at all.
        if (m.find(key::k_type)) return reject("field 'id' is missing: every event needs an id");
        return reject("a record needs \"entity\", \"id\" (an event) or \"retract\"");
    }
    r.kind = record_kind::event;
    std::string_view type, time;
    if (!string_field("id", key::k_id, r.id, true)) return false;
    if (r.id.empty()) return reject(admit::empty("id"));
    if (!string_field("type", key::k_type, type, true)) return false;
    r.type = find_by_id(m.plan.events, type);
    if (r.type < 0) return reject(admit::unknown_event_type(type));
    const check::event_type& et = m.plan.events[static_cast<std::size_t>(r.type)];
    if (!string_field("time", key::k_time, time, true)) return false;
    auto parsed_time = calendar::parse_time(time, m.plan.utc_offset_minutes);
    if (!parsed_time)
        return reject(admit::bad_time(time));
    r.time = *parsed_time;
    if (!string_field("unit", key::k_unit, r.unit, true)) return false;
    if (r.unit.empty()) return reject(admit::empty("unit"));

    r.fields.assign(et.fields.size(), field_value{});
    r.members.clear();
    r.ignored.clear();

    // One scalar (of a field, or a member of a set field) into `out`, judged as every reader's is.
    auto scalar = [&](const check::field& f, check::type_kind k, const json_value& v, field_value& out, bool member) -> bool {
        admit::given g;
        g.k = static_cast<admit::given::kind>(v.k);
        g.text = v.text;
        g.boolean = v.boolean;
        return admit::scalar(f, k, g, out, member, error_);
    };

    // One pass over the record's keys: the first field of each declared name, and the names
    // the type does not declare (the built-in ones aside), each once, in record order.
    m.declared.assign(et.fields.size(), -1);
    for (std::size_t k = 0; k < m.fields.size(); ++k) {
        const std::string_view name = m.fields[k].key;
        const int f = find_by_id(et.fields, name);
        if (f >= check::first_declared_field) {
            if (m.declared[static_cast<std::size_t>(f)] < 0) m.declared[static_cast<std::size_t>(f)] = static_cast<int>(k);
            continue;
        }
        if (name == "id" || name == "type" || name == "time" || name == "unit") continue;
        if (f < 0) r.ignored.push_back(name);  // each once: a record with a key twice is rejected
    }
    for (std::size_t i = check::first_declared_field; i < et.fields.size(); ++i) {
        const check::field& f = et.fields[i];
        const json_value* v = m.declared[i] < 0 ? nullptr : &m.fields[static_cast<std::size_t>(m.declared[i])].value;
        if (!v || v->k == json_value::kind::null) {
            if (!f.optional) return reject(admit::missing(f.id));
            continue;
        }
        if (too_deep(f.id, *v)) return false;
        field_value& out = r.fields[i];
        if (f.t.kind == check::type_kind::set) {
            if (v->k != json_value::kind::array) return reject(admit::not_a_list(f.id));
            out.members_begin = static_cast<std::uint32_t>(r.members.size());
            for (std::uint32_t e = v->begin; e < v->end; ++e) {
                field_value member;
                if (!scalar(f, f.t.element, m.elements[e], member, true)) return false;
                r.members.push_back(member);
            }
            out.members_end = static_cast<std::uint32_t>(r.members.size());
            out.present = true;
            continue;
        }
        if (!scalar(f, f.t.kind, *v, out, false)) return false;
    }
    return true;
}

}  // namespace mandate::io
