// The reference evaluator (see reference.hpp). Everything is recomputed from the record list
// for one as-of date T: records are parsed and classified, the entity registry and the applied
// events are derived from the whole set, then every rule is evaluated in dependency order by
// scanning all events for every aggregate of every bucket.
//
// Decisions where LANGUAGE.md is silent. Those of docs/choices.md are followed (numbers 13,
// 14, 16-19, 22-29 there); the others, mostly about malformed records, are:
// - JSON is RFC 8259 (UTF-8 checked, no trailing commas, no leading zeros, lone surrogates
//   rejected), nested at most 256 deep; a key repeated in any object rejects the record. A line
//   longer than 256 KiB is rejected. Every element of `lines` is a record: a caller reading a
//   JSON Lines file skips its blank lines (docs/choices.md 20).
// - The kind of record is decided by the first of these keys present (even if null):
//   "retract" (a retraction), "entity", "id" (an event); none of them: rejected.
// - `null` for an optional key means absent (entity parent/name/since/until/version, optional
//   event fields); for a required one the record is rejected.
// - Ids (entity, parent, event id, unit, retract, ref values) must not be empty strings.
// - Entity `version`: a JSON number with an integral value, 0 <= version < 2^63 (1.0 is 1).
// - `int` fields hold -(2^63 - 1) .. 2^63 - 1; `number` fields at most 6 fractional digits and
//   a magnitude of at most 9·10^12 (docs/choices.md 13).
// - Event times: hours 00-23, minutes and seconds 00-59, a fraction only after seconds (to the
//   nanosecond), offsets -23:59..+23:59; 't' or ' ' may stand for 'T', 'z' for 'Z', ',' for '.'.
// - An entity whose parent is unresolved is unresolved, whatever the parent's kind: the
//   parent-kind check is made once the parent resolves (as refs of events are).
// - An obligation without `each` triggered by an outcome takes triggers from every unit of
//   the outcome; an obligation with `each` only from the entity the outcome fired for.
// - A duration holding months (e.g. `gap(..) + 1 month`) has no length in days: comparing or
//   printing it is undefined. Date + months uses calendar::add_months.
// - An instance is active during a cumulative bucket when it is active at some day of the
//   reported period (cumulative start .. bucket end).
// - The aggregates inside a trigger's `where` (if any) range over the rule's window.
//
// LANGUAGE-v2.md sections 1, 2, 3 and 8, where the text is silent (as the engine chose):
// - A record with "waiver" (and neither "retract" nor "entity") is a waiver. Its keys other
//   than waiver, obligation, unit, period, extend_to, excuse, reason and approved_by are
//   ignored and listed under the type "waiver"; an entity record's keys its kind does not
//   declare (other than entity, kind, parent, name, since, until, version) under its kind.
// - A waiver of an obligation without `each` names no unit (an empty "unit" is none); an empty
//   reason or approved_by is none (so it does not make two copies differ). "excuse": false is
//   rejected. Its unit, when not (yet) a registered entity, leaves it counted as `waivers` and
//   listed as not applied; an entity of a kind the obligation is not for rejects it.
// - An extension must lie after the end of every bucket its period may name, computed from the
//   schedule whatever the date (a `before` bucket cut by the window start shares its first day
//   with others).
// - Of several waivers of one bucket: an excuse before an extension, the excuse with the least
//   id, else the latest extension (then the least id). An extended bucket's events run to
//   extend_to, and so do its close, at_risk, `violations` and the aggregates of its requirement
//   (streak sub-periods too); the registry (units(), coverage, rank, each ... where) is read at
//   the end of the period. A waiver counts but is "not applied" when no bucket it names exists.
// - rank(): comparisons inside EXPR, which are about other units, never give "no data"; those
//   inside a child quantifier's predicate do. Inside a streak, the registry is read at each
//   sub-period's end.
// - An outcome is final once the buckets its condition read (through violations and fired, for
//   whichever unit: its own, one under it with `within`, a quantifier's) are closed or final.
//
// LANGUAGE-v2.md sections 4-7 and 9 (working days, N months and half-years, due dates, windows
// bounded by events, registration, peak and earlier, earlier verdicts), read as follows:
// - Which days are workdays is the plan's calendar's is_workday() (without `calendar`, Monday to
//   Friday); every count of workdays is made here a day at a time. `after X within N workdays`
//   runs from the trigger's day through the Nth workday strictly after it, `before X within N
//   workdays` from the Nth workday strictly before it; `grace N workdays` closes a bucket the
//   day after the Nth workday after its end; `warn N workdays` puts it at risk when at most N
//   workdays lie in (T, end].
// - `N months` lays runs of N months from the window's first day, the k-th starting k * N months
//   after it (clamped to a month's last day), the last cut at the window's end; `half` is
//   January-June and July-December, clipped to the window.
// - `due`: the events counted for a bucket [s, e] are those of its due range (`due day N`: s ..
//   day N of e's month, at least s; `due D after`: e+1 .. e+D; `due day N after`: e+1 .. day N of
//   the next month), which the window does not cut; the bucket ends (for its close, grace, warn,
//   `violations` and waivers' extensions) where that range does, keeps [s, e] as its period,
//   reads the registry at e, and is reported from s (`due day N`) or e+1 (the `after` forms).
// - A phase bounded by events: each start event dated up to T, of the unit or of a unit above
//   it, opens a window to the first end event of that same unit dated on or after it (and up to
//   T), cut at `at most` (the start day the first of its days, months or workdays); windows
//   that overlap or touch merge; one still open is cut into whole periods up to the one holding
//   T (without `every`, one bucket to T). Buckets appear once they start. A rule without `each`
//   has no unit for a window to open at, so no bucket. A waiver names such a bucket by a date of
//   its period; there are no fixed buckets for an extension to be checked against on reading.
// - `after registered within D`: one bucket from the unit's `since`, when it lies inside the
//   window (and is not after T).
// - peak(D, AGG): the largest AGG over every run [x, x+D-1] meeting the bucket's days up to T,
//   each counting its days inside them. earlier(D, AGG): AGG over [s - D, min(e, T) - D] (a
//   year is 12 months), nothing before the bucket starts.
// - Hours (LANGUAGE-v2.md section 4, docs/language.md "Hours"): every record has a local minute
//   in the plan's zone (a time with an offset or Z moved into it, one without read as local, a
//   date alone at its midnight, seconds dropped). `after X within N hours` opens, per distinct
//   trigger minute t whose day lies in the window, [t, t + N*60] cut at the window's last 23:59;
//   `before`, [t - N*60, t] cut at its first midnight; an outcome's trigger is the midnight of
//   the day it turned final. `every N hours` lays [s, s + N*60) from the window's first midnight
//   (an event window's first day), the last cut at its last day's 24:00. A bucket spans the days
//   of its first and last minute, is shown from its first day, closes the day after its last
//   (no grace), counts the records whose minute lies in it (up to T's end), and is reported as
//   the local date-times of its first and last minute. Waivers of hour buckets are not covered.
// - `language 2`: a requirement that is exactly `gap(..) < D` or `<= D`, or `streak(..) >= n` or
//   `> n`, with a constant right side, is decided early (see decided_early).
#include "reference/reference.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <tuple>
#include <map>
#include <set>
#include <stdexcept>

#include "mandate/rational.hpp"

namespace mandate::reference {
namespace {

using i64 = std::int64_t;
using check::op;
using check::texpr;
using check::type_kind;

// ================================================================ dates

// Any day number as "YYYY-MM-DD" (Hinnant's civil_from_days), so that no input can make the
// printing throw.
std::string iso(i64 z) {
    z += 719468;
    const i64 era = (z >= 0 ? z : z - 146096) / 146097;
    const i64 doe = z - era * 146097;
    const i64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    i64 y = yoe + era * 400;
    const i64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const i64 mp = (5 * doy + 2) / 153;
    const i64 d = doy - (153 * mp + 2) / 5 + 1;
    const i64 m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2) ++y;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld", static_cast<long long>(y), static_cast<long long>(m),
                  static_cast<long long>(d));
    return buf;
}

const i64 first_day = calendar::from_ymd(calendar::min_year, 1, 1);
const i64 last_day = calendar::from_ymd(calendar::max_year, 12, 31);

// Counts in durations are clamped far beyond any real calendar span, so day arithmetic stays
// small; 10^8 days and 10^6 months exceed 1400..9999.
i64 clamp_count(i64 n, i64 limit) { return std::max(-limit, std::min(limit, n)); }

// d + n months (calendar-aware, clamped to the month's end); out-of-range days clamp.
i64 plus_months(i64 d, i64 n) {
    if (d < first_day) d = first_day;
    if (d > last_day) d = last_day;
    return calendar::add_months(static_cast<calendar::day>(d), clamp_count(n, 1000000));
}

// d + k * duration (k = +1 or -1), calendar-aware for months.
i64 shift(i64 d, const check::duration& len, int k) {
    if (len.unit == check::time_unit::month) return plus_months(d, k * len.count);
    const i64 days = clamp_count(len.count, 100000000) * (len.unit == check::time_unit::week ? 7 : 1);
    return d + k * days;
}

struct period_span {
    i64 s, e;
};

// Splits [s, e] into `every PERIOD` buckets: calendar periods clipped to [s, e], or counted
// periods laid from s with the last one clipped. `full` drops buckets cut short. Buckets
// starting after `limit` are not generated (they have not started).
std::vector<period_span> split(i64 s, i64 e, const check::period& p, calendar::weekday week_first, bool full,
                               i64 limit) {
    std::vector<period_span> out;
    if (p.counted && p.unit == check::period_unit::month) {
        // `N months` (LANGUAGE-v2.md section 4): the k-th run starts k * N months after s, each
        // counted from s itself (a start past a month's end clamps to its last day, and that
        // clamping does not carry into later runs); the last run is cut at e.
        const i64 n = std::max<i64>(1, clamp_count(p.count, 1000000));
        for (i64 k = 0;; ++k) {
            const i64 cur = plus_months(s, k * n);
            if (cur > e || cur > limit) break;
            const i64 next = plus_months(s, (k + 1) * n);
            const i64 end = std::min(next - 1, e);
            if (full && next - 1 > e) break;
            out.push_back({cur, end});
            if (next <= cur) break;
        }
        return out;
    }
    if (p.counted) {
        const i64 len = std::max<i64>(1, clamp_count(p.count, 100000000) * (p.unit == check::period_unit::week ? 7 : 1));
        for (i64 cur = s; cur <= e && cur <= limit; cur += len) {
            const i64 end = std::min(cur + len - 1, e);
            if (full && end - cur + 1 < len) continue;
            out.push_back({cur, end});
        }
        return out;
    }
    for (i64 cur = s; cur <= e && cur <= limit;) {
        const auto c = static_cast<calendar::day>(cur);
        i64 start = cur, next = cur + 1;
        switch (p.unit) {
            case check::period_unit::day: break;
            case check::period_unit::week:
                start = calendar::week_start(c, week_first);
                next = start + 7;
                break;
            case check::period_unit::month:
                start = calendar::month_start(c);
                next = calendar::next_month_start(c);
                break;
            case check::period_unit::quarter:
                start = calendar::quarter_start(c);
                next = calendar::next_quarter_start(c);
                break;
            case check::period_unit::year:
                start = calendar::year_start(c);
                next = calendar::next_year_start(c);
                break;
            case check::period_unit::half: {
                // January-June and July-December.
                const calendar::ymd y = calendar::to_ymd(c);
                start = calendar::from_ymd(y.year, y.month <= 6 ? 1 : 7, 1);
                next = y.month <= 6 ? calendar::from_ymd(y.year, 7, 1)
                                    : (y.year < calendar::max_year ? calendar::from_ymd(y.year + 1, 1, 1) : last_day + 1);
                break;
            }
            case check::period_unit::hour: break;  // refused by the checker
        }
        if (next <= cur) next = last_day + 1;  // calendar::add_months clamps at the calendar's end
        const i64 bucket_s = std::max(start, s), bucket_e = std::min(next - 1, e);
        const bool whole = start >= s && next - 1 <= e;
        if (!full || whole) out.push_back({bucket_s, bucket_e});
        cur = bucket_e + 1;
    }
    return out;
}

// ================================================================ JSON

struct jv {
    enum kind_t { null_, boolean, number, string, array, object } k = null_;
    bool b = false;
    std::string s;  // a string's value, or a number's token exactly as written
    std::vector<jv> items;
    std::vector<std::pair<std::string, jv>> members;

    // The member with that key (keys are unique: the parser refuses an object repeating one).
    const jv* get(const std::string& key) const {
        for (const auto& m : members)
            if (m.first == key) return &m.second;
        return nullptr;
    }
};

bool valid_utf8(const std::string& t) {
    std::size_t i = 0;
    while (i < t.size()) {
        const auto c = static_cast<unsigned char>(t[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        int n = 0;
        unsigned cp = 0;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + static_cast<std::size_t>(n) >= t.size()) return false;  // the continuation bytes are missing
        for (int k = 1; k <= n; ++k) {
            const auto cc = static_cast<unsigned char>(t[i + static_cast<std::size_t>(k)]);
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += static_cast<std::size_t>(n) + 1;
    }
    return true;
}

class json_reader {
public:
    explicit json_reader(const std::string& text) : t_(text) {}

    std::optional<jv> document() {
        if (!valid_utf8(t_)) return std::nullopt;
        jv v;
        space();
        if (!value(v, 0)) return std::nullopt;
        space();
        if (i_ != t_.size()) return std::nullopt;
        return v;
    }

private:
    void space() {
        while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\n' || t_[i_] == '\r')) ++i_;
    }
    bool peek(char c) const { return i_ < t_.size() && t_[i_] == c; }
    bool literal(const char* word) {
        const std::string w(word);
        if (t_.compare(i_, w.size(), w) != 0) return false;
        i_ += w.size();
        return true;
    }
    static bool digit(char c) { return c >= '0' && c <= '9'; }

    bool value(jv& v, int depth) {
        if (depth > 256 || i_ >= t_.size()) return false;
        const char c = t_[i_];
        if (c == '{') return object(v, depth);
        if (c == '[') return array(v, depth);
        if (c == '"') {
            v.k = jv::string;
            return string(v.s);
        }
        if (c == 't' && literal("true")) {
            v.k = jv::boolean;
            v.b = true;
            return true;
        }
        if (c == 'f' && literal("false")) {
            v.k = jv::boolean;
            v.b = false;
            return true;
        }
        if (c == 'n' && literal("null")) {
            v.k = jv::null_;
            return true;
        }
        if (c == '-' || digit(c)) return number(v);
        return false;
    }

    bool object(jv& v, int depth) {
        v.k = jv::object;
        ++i_;
        space();
        if (peek('}')) {
            ++i_;
            return true;
        }
        for (;;) {
            space();
            if (!peek('"')) return false;
            std::string key;
            if (!string(key)) return false;
            space();
            if (!peek(':')) return false;
            ++i_;
            space();
            jv item;
            if (!value(item, depth + 1)) return false;
            for (const auto& m : v.members)
                if (m.first == key) return false;  // a key twice
            v.members.emplace_back(std::move(key), std::move(item));
            space();
            if (peek(',')) {
                ++i_;
                continue;
            }
            if (peek('}')) {
                ++i_;
                return true;
            }
            return false;
        }
    }

    bool array(jv& v, int depth) {
        v.k = jv::array;
        ++i_;
        space();
        if (peek(']')) {
            ++i_;
            return true;
        }
        for (;;) {
            space();
            jv item;
            if (!value(item, depth + 1)) return false;
            v.items.push_back(std::move(item));
            space();
            if (peek(',')) {
                ++i_;
                continue;
            }
            if (peek(']')) {
                ++i_;
                return true;
            }
            return false;
        }
    }

    bool number(jv& v) {
        const std::size_t start = i_;
        if (peek('-')) ++i_;
        if (peek('0')) {
            ++i_;
        } else if (i_ < t_.size() && t_[i_] >= '1' && t_[i_] <= '9') {
            while (i_ < t_.size() && digit(t_[i_])) ++i_;
        } else {
            return false;
        }
        if (peek('.')) {
            ++i_;
            if (i_ >= t_.size() || !digit(t_[i_])) return false;
            while (i_ < t_.size() && digit(t_[i_])) ++i_;
        }
        if (peek('e') || peek('E')) {
            ++i_;
            if (peek('+') || peek('-')) ++i_;
            if (i_ >= t_.size() || !digit(t_[i_])) return false;
            while (i_ < t_.size() && digit(t_[i_])) ++i_;
        }
        v.k = jv::number;
        v.s = t_.substr(start, i_ - start);
        return true;
    }

    bool hex4(unsigned& out) {
        if (i_ + 4 > t_.size()) return false;
        out = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = t_[i_++];
            out <<= 4;
            if (c >= '0' && c <= '9') out |= static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f') out |= static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') out |= static_cast<unsigned>(c - 'A' + 10);
            else return false;
        }
        return true;
    }

    static void put_utf8(std::string& out, unsigned cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    bool string(std::string& out) {
        ++i_;  // the opening quote
        for (;;) {
            if (i_ >= t_.size()) return false;
            const char c = t_[i_++];
            if (c == '"') return true;
            if (static_cast<unsigned char>(c) < 0x20) return false;
            if (c != '\\') {
                out += c;
                continue;
            }
            if (i_ >= t_.size()) return false;
            const char e = t_[i_++];
            switch (e) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    unsigned cp = 0;
                    if (!hex4(cp)) return false;
                    if (cp >= 0xDC00 && cp <= 0xDFFF) return false;
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        unsigned low = 0;
                        if (!(i_ + 1 < t_.size() && t_[i_] == '\\' && t_[i_ + 1] == 'u')) return false;
                        i_ += 2;
                        if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    }
                    put_utf8(out, cp);
                    break;
                }
                default: return false;
            }
        }
    }

    const std::string& t_;
    std::size_t i_ = 0;
};

// ================================================================ typed values

enum class vk : std::uint8_t { undef, num, boolean, text, date, dur, set };

struct val {
    vk k = vk::undef;
    rational n;
    bool b = false;
    std::string s;           // text and ref
    i64 d = 0;               // date: day number; dur: days
    i64 months = 0;          // dur: months
    std::vector<val> items;  // set members, sorted by key, without repeats
};

val undef() { return val{}; }
val num(rational r) {
    val v;
    v.k = vk::num;
    v.n = r;
    return v;
}
val boolean(bool b) {
    val v;
    v.k = vk::boolean;
    v.b = b;
    return v;
}
val text(std::string s) {
    val v;
    v.k = vk::text;
    v.s = std::move(s);
    return v;
}
val date(i64 d) {
    val v;
    v.k = vk::date;
    v.d = d;
    return v;
}
val dur(i64 days, i64 months) {
    val v;
    v.k = vk::dur;
    v.d = days;
    v.months = months;
    return v;
}

// A text naming a value exactly: equal keys ⇔ equal typed values (numbers by value).
std::string key(const val& v) {
    switch (v.k) {
        case vk::undef: return "?";
        case vk::num: return "n" + v.n.to_fraction_string();
        case vk::boolean: return v.b ? "b1" : "b0";
        case vk::text: return "t" + v.s;
        case vk::date: return "d" + std::to_string(v.d);
        case vk::dur: return "u" + std::to_string(v.d) + "/" + std::to_string(v.months);
        case vk::set: {
            std::string out = "s";
            for (const auto& m : v.items) {
                const std::string k = key(m);
                out += std::to_string(k.size()) + ":" + k;
            }
            return out;
        }
    }
    return "?";
}

// Equality of two values; nullopt when undefined.
std::optional<bool> equal(const val& a, const val& b) {
    if (a.k == vk::undef || b.k == vk::undef || a.k != b.k) return std::nullopt;
    switch (a.k) {
        case vk::num: return a.n == b.n;
        case vk::boolean: return a.b == b.b;
        case vk::text: return a.s == b.s;
        case vk::date: return a.d == b.d;
        case vk::dur:
            if (a.months != 0 || b.months != 0) return std::nullopt;
            return a.d == b.d;
        default: return std::nullopt;
    }
}

// Ordering of two values (-1, 0, 1); nullopt when undefined or unordered.
std::optional<int> order(const val& a, const val& b) {
    if (a.k == vk::undef || b.k == vk::undef || a.k != b.k) return std::nullopt;
    switch (a.k) {
        case vk::num: return compare(a.n, b.n);
        case vk::date: return a.d < b.d ? -1 : (a.d > b.d ? 1 : 0);
        case vk::dur:
            if (a.months != 0 || b.months != 0) return std::nullopt;
            return a.d < b.d ? -1 : (a.d > b.d ? 1 : 0);
        case vk::text: return a.s < b.s ? -1 : (a.s > b.s ? 1 : 0);
        default: return std::nullopt;
    }
}

// The report's canonical text of a value; nullopt when it has none.
std::optional<std::string> canonical(const val& v) {
    switch (v.k) {
        case vk::num: return v.n.to_string();
        case vk::boolean: return std::string(v.b ? "true" : "false");
        case vk::text: return v.s;
        case vk::date: return iso(v.d);
        case vk::dur:
            if (v.months != 0) return std::nullopt;
            return std::to_string(v.d);
        default: return std::nullopt;
    }
}

// A JSON value read as a field of type (kind, element); nullopt when it does not fit.
std::optional<val> typed(const jv& j, type_kind kind, type_kind element) {
    switch (kind) {
        case type_kind::integer: {
            if (j.k != jv::number) return std::nullopt;
            const auto r = rational::parse_decimal(j.s);
            if (!r || !r->is_integer()) return std::nullopt;
            if (r->num() > static_cast<int128>(INT64_MAX) || r->num() < -static_cast<int128>(INT64_MAX))
                return std::nullopt;
            return num(*r);
        }
        case type_kind::number: {
            if (j.k != jv::number) return std::nullopt;
            const auto r = rational::parse_decimal(j.s);
            if (!r || !r->is_decimal(6)) return std::nullopt;
            const rational limit(9000000000000);  // docs/choices.md 13: |value| <= 9·10^12
            if (*r > limit || *r < -limit) return std::nullopt;
            return num(*r);
        }
        case type_kind::boolean:
            if (j.k != jv::boolean) return std::nullopt;
            return boolean(j.b);
        case type_kind::text:
            if (j.k != jv::string) return std::nullopt;
            return text(j.s);
        case type_kind::ref:
            if (j.k != jv::string || j.s.empty()) return std::nullopt;
            return text(j.s);
        case type_kind::date: {
            if (j.k != jv::string) return std::nullopt;
            const auto d = calendar::parse_iso(j.s);
            if (!d) return std::nullopt;
            return date(*d);
        }
        case type_kind::set: {
            if (j.k != jv::array) return std::nullopt;
            if (element == type_kind::set || element == type_kind::list || element == type_kind::error) return std::nullopt;
            std::map<std::string, val> members;
            for (const auto& item : j.items) {
                auto m = typed(item, element, type_kind::error);
                if (!m) return std::nullopt;
                members.emplace(key(*m), std::move(*m));
            }
            val v;
            v.k = vk::set;
            for (auto& m : members) v.items.push_back(std::move(m.second));
            return v;
        }
        default: return std::nullopt;
    }
}

// ================================================================ records

enum class category { rejected, entity, retraction, duplicate, retracted, waiver, unresolved, applied };

// Two lists of optional typed values hold the same values.
bool same_values(const std::vector<std::optional<val>>& a, const std::vector<std::optional<val>>& b, std::size_t from) {
    if (a.size() != b.size()) return false;
    for (std::size_t f = from; f < a.size(); ++f) {
        if (a[f].has_value() != b[f].has_value()) return false;
        if (a[f] && key(*a[f]) != key(*b[f])) return false;
    }
    return true;
}

struct entity_record {
    std::size_t line = 0;
    std::string id;
    int kind = -1;
    std::optional<std::string> parent, name;
    std::optional<i64> since, until;
    i64 version = 0;
    std::vector<std::optional<val>> fields;  // the kind's declared fields, in its order

    bool same_content(const entity_record& o) const {
        return kind == o.kind && parent == o.parent && name == o.name && since == o.since && until == o.until &&
               same_values(fields, o.fields, 0);
    }
};

struct event_record {
    std::size_t line = 0;
    int type = -1;
    bool clock = false;   // a date-time (compared as an instant), not a date
    i64 utc_seconds = 0;  // the instant, without its fraction
    std::string fraction; // fractional seconds, without trailing zeros
    i64 day = 0;          // the local date in the plan's zone
    std::vector<std::optional<val>> fields;  // id, time, unit, then the declared fields

    const std::string& id() const { return fields[check::field_id]->s; }
    const std::string& unit() const { return fields[check::field_unit]->s; }

    bool same_content(const event_record& o) const {
        if (type != o.type || clock != o.clock) return false;
        if (clock ? (utc_seconds != o.utc_seconds || fraction != o.fraction) : day != o.day) return false;
        if (unit() != o.unit()) return false;
        return same_values(fields, o.fields, check::first_declared_field);
    }
};

// A waiver (LANGUAGE-v2.md section 8) is read as an event of a type numbered after the plan's
// (so that its id shares their namespace): `time` is its `period` date, `unit` its unit ("" for
// an obligation without `each`), and these are its fields after the built-in ones.
namespace waiver_field {
constexpr std::size_t obligation = 3;  // the obligation's rule index
constexpr std::size_t extend_to = 4;   // a date
constexpr std::size_t excuse = 5;      // true
constexpr std::size_t reason = 6;      // text
constexpr std::size_t approved_by = 7; // text
constexpr std::size_t count = 8;
}  // namespace waiver_field

struct time_value {
    bool clock = false;
    i64 utc_seconds = 0;
    std::string fraction;
    i64 day = 0;
};

i64 floor_div(i64 a, i64 b) {
    i64 q = a / b;
    if (a % b != 0 && ((a < 0) != (b < 0))) --q;
    return q;
}

// "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM[:SS[.fff]]" with an optional "Z" / "+HH:MM" / "-HH:MM".
// Also accepted, as the engine does: 't' or ' ' for 'T', 'z' for 'Z', ',' for '.'. Fractions
// count to the nanosecond (further digits are ignored).
std::optional<time_value> parse_time(const std::string& t, int plan_offset) {
    time_value out;
    const auto date_part = calendar::parse_iso(std::string_view(t).substr(0, 10));
    if (!date_part) return std::nullopt;
    out.day = *date_part;
    if (t.size() == 10) return out;
    auto two = [&](std::size_t at, int max, int& v) {
        if (at + 2 > t.size()) return false;
        const char a = t[at], b = t[at + 1];
        if (a < '0' || a > '9' || b < '0' || b > '9') return false;
        v = (a - '0') * 10 + (b - '0');
        return v <= max;
    };
    int hh = 0, mm = 0, ss = 0;
    const bool separator = t.size() > 10 && (t[10] == 'T' || t[10] == 't' || t[10] == ' ');
    if (t.size() < 16 || !separator || !two(11, 23, hh) || t[13] != ':' || !two(14, 59, mm)) return std::nullopt;
    std::size_t i = 16;
    if (i < t.size() && t[i] == ':') {
        if (!two(i + 1, 59, ss)) return std::nullopt;
        i += 3;
        if (i < t.size() && (t[i] == '.' || t[i] == ',')) {
            ++i;
            const std::size_t start = i;
            while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
            if (i == start) return std::nullopt;
            out.fraction = t.substr(start, std::min<std::size_t>(i - start, 9));
            while (!out.fraction.empty() && out.fraction.back() == '0') out.fraction.pop_back();
        }
    }
    int offset = plan_offset;
    if (i < t.size()) {
        if ((t[i] == 'Z' || t[i] == 'z') && i + 1 == t.size()) {
            offset = 0;
        } else if ((t[i] == '+' || t[i] == '-') && i + 6 == t.size() && t[i + 3] == ':') {
            int oh = 0, om = 0;
            if (!two(i + 1, 23, oh) || !two(i + 4, 59, om)) return std::nullopt;
            offset = (t[i] == '-' ? -1 : 1) * (oh * 60 + om);
        } else {
            return std::nullopt;
        }
    }
    out.clock = true;
    const i64 utc_minutes = out.day * 1440 + hh * 60 + mm - offset;
    out.utc_seconds = utc_minutes * 60 + ss;
    out.day = floor_div(utc_minutes + plan_offset, 1440);
    return out;
}

// A JSON key holding a string, absent (or null), or something else (a bad record).
enum class presence { absent, string, bad };
presence string_at(const jv& o, const char* name, std::string& out) {
    const jv* v = o.get(name);
    if (!v || v->k == jv::null_) return presence::absent;
    if (v->k != jv::string) return presence::bad;
    out = v->s;
    return presence::string;
}

// ================================================================ the registry

struct entity {
    entity_record standing;
    bool bad_parent_kind = false;  // its parent is of a kind its own kind may not sit under
    bool resolved = false;
};

bool contains(const std::vector<int>& xs, int x) { return std::find(xs.begin(), xs.end(), x) != xs.end(); }

// Active at some day of [s, e]: since <= e and (no until or until > s).
bool active_during(const entity& x, i64 s, i64 e) {
    return (!x.standing.since || *x.standing.since <= e) && (!x.standing.until || *x.standing.until > s);
}
// Active on day d: since <= d < until.
bool active_at(const entity& x, i64 d) {
    return (!x.standing.since || *x.standing.since <= d) && (!x.standing.until || d < *x.standing.until);
}

// ================================================================ monotonicity

// LANGUAGE.md's constants (literals and arithmetic of them) and, by LANGUAGE-v2.md section 1,
// a field of the rule's own unit (`t.quota`).
bool constant(const texpr& e) {
    switch (e.o) {
        case op::literal: return true;
        case op::unit_field: return e.args.at(0).o == op::var && e.args.at(0).slot <= 0;
        case op::neg:
        case op::add:
        case op::sub:
        case op::mul:
        case op::div:
            for (const auto& a : e.args)
                if (!constant(a)) return false;
            return true;
        default: return false;
    }
}

// The monotone and anti-monotone forms LANGUAGE.md lists ("Status of a bucket"), the count or
// distinct on either side of its constant (LANGUAGE-v2.md, end of section 9: in every file).
// Nothing else is either: units(), the child quantifiers, rank and the roll-ups are judged at
// close.
check::monotonicity monotonicity_of(const texpr& e) {
    using check::monotonicity;
    switch (e.o) {
        case op::any: return monotonicity::monotone;
        case op::all: return monotonicity::anti_monotone;
        case op::and_:
        case op::or_: {
            const auto a = monotonicity_of(e.args.at(0)), b = monotonicity_of(e.args.at(1));
            return a == b ? a : monotonicity::none;
        }
        case op::ge:
        case op::gt:
        case op::le:
        case op::lt:
        case op::eq: {
            auto counts = [](const texpr& x) { return x.o == op::count || x.o == op::distinct; };
            op o = e.o;
            const texpr* value = &e.args.at(1);
            if (counts(e.args.at(1)) && constant(e.args.at(0))) {
                value = &e.args.at(0);  // `1 <= count(..)` reads as `count(..) >= 1`
                o = o == op::ge ? op::le : o == op::gt ? op::lt : o == op::le ? op::ge : o == op::lt ? op::gt : o;
            } else if (!counts(e.args.at(0)) || !constant(e.args.at(1))) {
                return monotonicity::none;
            }
            if (o == op::ge || o == op::gt) return monotonicity::monotone;
            if (o == op::le || o == op::lt) return monotonicity::anti_monotone;
            // `== 0`: the literal zero.
            return value->o == op::literal && value->value.number == rational(0) ? monotonicity::anti_monotone : monotonicity::none;
        }
        default: return monotonicity::none;
    }
}

// LANGUAGE-v2.md section 9, in a `language 2` file: a requirement that is exactly `gap(..) < D`
// or `<= D` (a constant D) is violated as soon as it is false, one that is exactly `streak(..) >=
// n` or `> n` satisfied as soon as it is true (the closed sub-periods that held stay held).
check::monotonicity decided_early(const texpr& e) {
    if (e.args.size() != 2 || !constant(e.args[1])) return check::monotonicity::none;
    if (e.args[0].o == op::gap && (e.o == op::lt || e.o == op::le)) return check::monotonicity::anti_monotone;
    if (e.args[0].o == op::streak && (e.o == op::ge || e.o == op::gt)) return check::monotonicity::monotone;
    return check::monotonicity::none;
}

// ================================================================ evaluation

struct event {
    int type = -1;
    i64 day = 0;
    i64 minute = 0;  // the local minute in the plan's zone (a date alone: its midnight)
    std::vector<std::optional<val>> fields;
    const std::string& unit() const { return fields[check::field_unit]->s; }
};

struct bucket {
    i64 from = 0, to = 0;  // the reported period; aggregates run over [from, min(to, T)]
    bool hours = false;    // an hour bucket: its first and last local minute, both counting
    i64 first_minute = 0, last_minute = 0;
};

// A day number of a local minute.
i64 day_of(i64 minute) { return floor_div(minute, 1440); }

// A local minute as "YYYY-MM-DDTHH:MM+08:00" in a zone `offset` minutes east of UTC.
std::string local_text(i64 minute, int offset) {
    const i64 in_day = minute - day_of(minute) * 1440;
    const int off = offset < 0 ? -offset : offset;
    char buf[32];
    std::snprintf(buf, sizeof buf, "T%02d:%02d%c%02d:%02d", static_cast<int>(in_day / 60), static_cast<int>(in_day % 60),
                  offset < 0 ? '-' : '+', off / 60, off % 60);
    return iso(day_of(minute)) + buf;
}

struct irow {
    std::optional<std::string> unit;
    i64 from = 0, to = 0;
    bool hours = false;
    i64 first_minute = 0, last_minute = 0;  // an hour bucket's minutes
    i64 end = 0;      // where the bucket ends for its events, its close and `violations`: `to`, or a waiver's extend_to
    int waiver = -1;  // the waiver applied (an index into the evaluator's waivers)
    // obligations
    const char* status = "pending";
    bool met = false, at_risk = false, closed = false;
    std::optional<std::string> value, reason;
    // outcomes
    bool fired = false, final = false;
    i64 close = 0;        // the first day the bucket is closed
    i64 first_final = 0;  // outcomes: the first day the bucket is final
};

struct context {
    const std::optional<std::string>* unit = nullptr;  // the instance's unit (slot 0)
    // The units bound by units(), all_units() and any_unit() (slots 1..; nullptr: none).
    std::array<const std::string*, check::max_unit_slots> slots{};
    i64 s = 0, e = 0;                                  // the range: [s, e], events up to T
    i64 period_end = 0;  // the end of the bucket's period: the registry is read as it stands then
    bool hours = false;  // an hour bucket: only events whose local minute lies in [m0, m1] count
    i64 m0 = 0, m1 = 0;
    const event* ev = nullptr;                         // inside where / all / any predicates
    const check::rule* rule = nullptr;
    bool* no_data = nullptr;  // set when a comparison of the requirement meets an undefined value
    // Outcomes: the buckets of other rules the condition reads (through violations and fired).
    std::set<std::pair<int, std::size_t>>* reads = nullptr;
};

// A waiver that counts (neither rejected, retracted, nor in conflict).
struct waiver_record {
    std::string id;
    int rule = -1;
    std::string unit;     // "" for an obligation without `each`
    i64 period = 0;
    bool unregistered = false;  // its unit is not a registered, resolved entity
    bool excuse = false;
    std::optional<i64> extend_to;
    std::string reason, approved_by;
};

// A bucket a rule's schedule lays out: `visible` is the first day it is reported (for a
// cumulative bucket, the start of the calendar period that ends it).
struct laid_bucket {
    i64 from = 0, to = 0, visible = 0;
};

class evaluator {
public:
    evaluator(const check::plan& plan, const std::vector<std::string>& lines, i64 as_of)
        : plan_(plan), lines_(lines), T_(as_of) {}

    report run() {
        report out;
        read_records(out.counts);
        rows_.assign(plan_.rules.size(), {});
        for (int r : plan_.order)
            if (r >= 0 && static_cast<std::size_t>(r) < plan_.rules.size()) compute(r);
        for (std::size_t r = 0; r < plan_.rules.size(); ++r) {
            auto rows = rows_[r];
            std::sort(rows.begin(), rows.end(), [](const irow& a, const irow& b) {
                if (a.unit != b.unit) return !a.unit || (b.unit && *a.unit < *b.unit);
                if (a.from != b.from) return a.from < b.from;
                if (a.to != b.to) return a.to < b.to;
                return std::tie(a.first_minute, a.last_minute) < std::tie(b.first_minute, b.last_minute);
            });
            const check::rule& rule = plan_.rules[r];
            for (const irow& x : rows) {
                row y;
                y.rule = rule.id;
                y.unit = x.unit;
                y.from = x.hours ? local_text(x.first_minute, plan_.utc_offset_minutes) : iso(x.from);
                y.to = x.hours ? local_text(x.last_minute, plan_.utc_offset_minutes) : iso(x.to);
                if (rule.outcome) {
                    y.fired = x.fired;
                    y.final = x.final;
                    out.outcomes.push_back(std::move(y));
                } else {
                    y.status = x.status;
                    y.met = x.met;
                    y.at_risk = x.at_risk;
                    y.value = x.value;
                    y.reason = x.reason;
                    if (x.waiver >= 0) {
                        const waiver_record& w = waivers_[static_cast<std::size_t>(x.waiver)];
                        y.waiver = w.id;
                        y.waiver_reason = w.reason;
                        y.waiver_approved_by = w.approved_by;
                        if (std::string(x.status) != "excused") y.extended_to = iso(x.end);
                    }
                    out.results.push_back(std::move(y));
                }
            }
        }
        // The waivers that count but were applied to no bucket: their unit is not registered,
        // or no bucket they name exists as of T (one that exists carries it, or another waiver
        // of it that is preferred).
        for (std::size_t w = 0; w < waivers_.size(); ++w) {
            const waiver_record& x = waivers_[w];
            const check::rule& rule = plan_.rules[static_cast<std::size_t>(x.rule)];
            bool named = false;
            if (!x.unregistered)
                for (const irow& b : rows_[static_cast<std::size_t>(x.rule)])
                    // (During a phase bounded by events an extension that does not reach past the
                    // bucket it names is accepted, and listed: it extends nothing.)
                    if ((rule.var.empty() || (b.unit && *b.unit == x.unit)) && names(rule, x.period, b.from, b.to) &&
                        (rule.event_phase < 0 || b.waiver >= 0))
                        named = true;
            if (named) continue;
            unapplied_waiver u;
            u.id = x.id;
            u.obligation = rule.id;
            if (!rule.var.empty()) u.unit = x.unit;
            u.period = iso(x.period);
            u.unregistered = x.unregistered;
            out.unapplied.push_back(std::move(u));
        }
        std::sort(out.unapplied.begin(), out.unapplied.end(),
                  [](const unapplied_waiver& a, const unapplied_waiver& b) { return a.id < b.id; });
        for (const auto& [k, count] : ignored_) {
            ignored_field f;
            f.kind = std::get<0>(k);
            const int t = std::get<1>(k);
            f.type = f.kind ? plan_.kinds[static_cast<std::size_t>(t)].id
                            : t == waiver_type() ? std::string("waiver") : plan_.events[static_cast<std::size_t>(t)].id;
            f.field = std::get<2>(k);
            f.records = count;
            out.ignored.push_back(std::move(f));
        }
        std::sort(out.ignored.begin(), out.ignored.end(), [](const ignored_field& a, const ignored_field& b) {
            return std::tie(a.type, a.field, a.kind) < std::tie(b.type, b.field, b.kind);
        });
        return out;
    }

private:
    // ------------------------------------------------------------ schedules and waivers

    // Waivers are read as events of a type after the plan's.
    int waiver_type() const { return static_cast<int>(plan_.events.size()); }

    // ------------------------------------------------------------ working days (LANGUAGE-v2.md section 4)

    // Whether d is a workday: the plan's calendar says (its is_workday is taken as the list of
    // holidays and make-up days); without one, Monday to Friday. Counting is done here, a day
    // at a time.
    bool workday(i64 d) const {
        if (d < first_day || d > last_day) return false;
        const auto c = static_cast<calendar::day>(d);
        if (plan_.workdays) return plan_.workdays->is_workday(c);
        const auto w = calendar::weekday_of(c);
        return w != calendar::weekday::saturday && w != calendar::weekday::sunday;
    }
    // The nth workday strictly after d (n >= 1), or strictly before it (k = -1).
    i64 nth_workday(i64 d, i64 n, int k) const {
        n = clamp_count(n, 1000000);
        i64 x = d;
        for (i64 found = 0; found < n;) {
            x += k;
            if (x < first_day - 1 || x > last_day + 1) return x;  // no calendar beyond: stop
            if (workday(x)) ++found;
        }
        return x;
    }
    // The workdays in [a, b].
    i64 workdays_in(i64 a, i64 b) const {
        i64 n = 0;
        for (i64 d = std::max(a, first_day); d <= b && d <= last_day; ++d) n += workday(d);
        return n;
    }
    // d moved by a duration (k = +1 or -1); `N workdays` lands on the Nth workday strictly after
    // (or before) d.
    i64 move(i64 d, const check::duration& len, int k) const {
        if (len.unit == check::time_unit::workday) return nth_workday(d, len.count, k);
        return shift(d, len, k);
    }
    // The first day a bucket ending on e is closed: the day after e, or after e + grace (with
    // `grace N workdays`, the day after the Nth workday after e).
    i64 close_of(i64 e, const std::optional<check::duration>& grace) const {
        if (!grace) return e + 1;
        return move(e, *grace, 1) + 1;
    }
    // The last day of the triggered `after` bucket opened on d (not cut by the window): `within
    // N days` counts d as the first, `within N workdays` runs through the Nth workday after d.
    i64 after_end(const check::rule& r, i64 d) const {
        if (r.within.unit == check::time_unit::workday) return move(d, r.within, 1);
        return shift(d, r.within, 1) - 1;
    }

    // The days whose events count for the bucket [s, e] of rule r (LANGUAGE-v2.md section 5):
    // the bucket itself, or its due range, which the window does not cut. Day N of a month past
    // its end is its last day. A `due day N` whose day lies before s (a first bucket the window
    // starts after day N of its month) is the one day s.
    period_span due_range(const check::rule& r, i64 s, i64 e) const {
        auto day_n = [&](i64 in_month) {
            const calendar::ymd m = calendar::to_ymd(static_cast<calendar::day>(in_month));
            const int n = std::min(r.due_day, calendar::days_in_month(m.year, m.month));
            return static_cast<i64>(calendar::from_ymd(m.year, m.month, std::max(1, n)));
        };
        switch (r.due) {
            case check::rule::due_kind::none: return {s, e};
            case check::rule::due_kind::day: return {s, std::max(s, day_n(e))};
            case check::rule::due_kind::after: return {e + 1, std::max(e + 1, move(e, r.due_length, 1))};
            case check::rule::due_kind::day_after: return {e + 1, std::max(e + 1, day_n(e + 1))};
        }
        return {s, e};
    }
    // The first day the bucket [s, e] is reported: with `due ... after`, its due range's first.
    i64 shown_from(const check::rule& r, i64 s, i64 e) const {
        return r.due == check::rule::due_kind::after || r.due == check::rule::due_kind::day_after ? e + 1 : s;
    }

    // ------------------------------------------------------------ windows bounded by events (section 6)

    struct window {
        i64 from = 0;
        std::optional<i64> to;  // none: open
    };

    // The windows of phase p that apply to `unit` as of T: each start event dated up to T at the
    // unit or at any unit above it opens one, to the first end event of the same unit dated on or
    // after it (and up to T), cut at `at most`; windows that overlap or touch are merged.
    std::vector<window> event_windows(const check::phase& p, const std::optional<std::string>& unit) const {
        std::vector<window> raw;
        if (!unit) return raw;  // a rule without `each` has no unit for a window to open at
        std::vector<std::string> chain;
        for (std::string cur = *unit; chain.size() <= registry_.size();) {
            chain.push_back(cur);
            auto it = registry_.find(cur);
            if (it == registry_.end() || !it->second.standing.parent) break;
            cur = *it->second.standing.parent;
        }
        for (const std::string& a : chain) {
            for (const event& st : events_) {
                if (st.type != p.start_event || st.unit() != a || st.day > T_) continue;
                window w{st.day, std::nullopt};
                for (const event& en : events_) {
                    if (en.type != p.end_event || en.unit() != a || en.day < st.day || en.day > T_) continue;
                    if (!w.to || en.day < *w.to) w.to = en.day;
                }
                if (p.at_most) {
                    const check::duration& d = *p.at_most;
                    i64 cut = st.day;
                    if (d.unit == check::time_unit::workday) cut = nth_workday(st.day - 1, d.count, 1);  // the start day counts
                    else if (d.unit == check::time_unit::month) cut = plus_months(st.day, d.count) - 1;
                    else cut = st.day + clamp_count(d.count, 100000000) * (d.unit == check::time_unit::week ? 7 : 1) - 1;
                    cut = std::max(cut, st.day);
                    if (!w.to || *w.to > cut) w.to = cut;
                }
                raw.push_back(w);
            }
        }
        std::sort(raw.begin(), raw.end(), [](const window& x, const window& y) { return x.from < y.from; });
        std::vector<window> out;
        for (const window& w : raw) {
            if (!out.empty() && (!out.back().to || w.from <= *out.back().to + 1)) {
                window& last = out.back();
                if (!w.to) last.to.reset();
                else if (last.to && *w.to > *last.to) last.to = w.to;
                continue;
            }
            out.push_back(w);
        }
        return out;
    }

    // The buckets of a rule during a phase bounded by events, for one unit, started by T: each
    // window cut as `every` cuts a window (an open one into whole periods up to the one holding
    // T), or without `every` one bucket per window, to T while it is open.
    std::vector<period_span> window_buckets(const check::rule& r, const std::optional<std::string>& unit) const {
        std::vector<period_span> out;
        const check::phase& p = plan_.phases[static_cast<std::size_t>(r.event_phase)];
        for (const window& w : event_windows(p, unit)) {
            if (r.schedule != check::schedule_kind::every) {
                out.push_back({w.from, w.to ? *w.to : std::max(w.from, static_cast<i64>(T_))});
                continue;
            }
            for (const auto& b : split(w.from, w.to ? *w.to : last_day, r.per, plan_.week_start, r.full, T_)) out.push_back(b);
        }
        return out;
    }

    // The buckets of a calendar schedule (whole, by, every), whatever the date.
    std::vector<laid_bucket> laid_buckets(const check::rule& r) const {
        std::vector<laid_bucket> out;
        if (r.event_phase >= 0) return out;  // its buckets come with events, per unit
        const i64 wf = r.window_from, wt = r.window_to;
        switch (r.schedule) {
            case check::schedule_kind::whole: out.push_back({wf, wt, wf}); break;
            case check::schedule_kind::by: out.push_back({wf, r.by, wf}); break;
            case check::schedule_kind::every:
                for (const auto& sub : split(wf, wt, r.per, plan_.week_start, r.full, last_day))
                    out.push_back({r.cumulative ? static_cast<i64>(r.cumulative_from) : sub.s, sub.e, sub.s});
                break;
            default: break;
        }
        return out;
    }

    // The first day of the `before` bucket a trigger on d opens (d inside the window): `within
    // N days` counts d as the last of the N, `within N workdays` starts on the Nth workday before d.
    i64 before_start(const check::rule& r, i64 d) const {
        const i64 start = r.within.unit == check::time_unit::workday ? move(d, r.within, -1) : shift(d, r.within, -1) + 1;
        return std::max(start, static_cast<i64>(r.window_from));
    }

    // Whether a waiver's `period` date p names the bucket [from, to] of rule r (LANGUAGE-v2.md
    // section 8): a date inside a calendar bucket's period (for a cumulative bucket, inside the
    // calendar period that ends it), or a triggered bucket's first day.
    bool names(const check::rule& r, i64 p, i64 from, i64 to) const {
        if (r.schedule == check::schedule_kind::after || r.schedule == check::schedule_kind::before) return p == from;
        if (r.event_phase >= 0) return from <= p && p <= to;  // a date of the bucket's period
        for (const laid_bucket& b : laid_buckets(r))
            if (b.from == from && b.to == to) return b.visible <= p && p <= b.to;
        return false;
    }

    // The ends of the buckets a waiver's `period` p may name, whatever the date and triggers: an
    // extension must lie after them. A calendar bucket holding p; the `after` bucket a trigger on
    // p opens; the `before` buckets whose first day is p (several only when the window cuts them).
    std::vector<i64> waivable_ends(const check::rule& r, i64 p) const {
        std::vector<i64> out;
        const i64 wf = r.window_from, wt = r.window_to;
        switch (r.schedule) {
            case check::schedule_kind::after:
                if (p >= wf && p <= wt) out.push_back(std::min(after_end(r, p), wt));
                break;
            case check::schedule_kind::before:
                for (i64 d = std::max(p, wf); d <= wt; ++d) {
                    const i64 from = before_start(r, d);
                    if (from > p) break;
                    if (from == p) out.push_back(d);
                }
                break;
            default:
                // During a phase bounded by events no bucket is known before its events: the
                // one holding the date ends on it or later, so an extension to it or before
                // extends nothing.
                if (r.event_phase >= 0) {
                    out.push_back(p);
                    break;
                }
                // With `due`, the bucket ends where its due range does.
                for (const laid_bucket& b : laid_buckets(r))
                    if (b.visible <= p && p <= b.to) out.push_back(due_range(r, b.from, b.to).e);
                break;
        }
        return out;
    }

    // ------------------------------------------------------------ records

    std::optional<entity_record> read_entity(const jv& o, std::size_t line, std::vector<std::string>& ignored) {
        entity_record r;
        r.line = line;
        if (string_at(o, "entity", r.id) != presence::string || r.id.empty()) return std::nullopt;
        std::string kind;
        if (string_at(o, "kind", kind) != presence::string) return std::nullopt;
        r.kind = plan_.find_kind(kind);
        if (r.kind < 0) return std::nullopt;
        std::string text;
        switch (string_at(o, "parent", text)) {
            case presence::bad: return std::nullopt;
            case presence::string:
                if (text.empty()) return std::nullopt;
                r.parent = text;
                break;
            case presence::absent: break;
        }
        switch (string_at(o, "name", text)) {
            case presence::bad: return std::nullopt;
            case presence::string: r.name = text; break;
            case presence::absent: break;
        }
        for (auto [name, slot] : {std::pair<const char*, std::optional<i64>*>{"since", &r.since}, {"until", &r.until}}) {
            switch (string_at(o, name, text)) {
                case presence::bad: return std::nullopt;
                case presence::string: {
                    const auto d = calendar::parse_iso(text);
                    if (!d) return std::nullopt;
                    *slot = *d;
                    break;
                }
                case presence::absent: break;
            }
        }
        if (const jv* v = o.get("version"); v && v->k != jv::null_) {
            auto n = typed(*v, type_kind::integer, type_kind::error);
            if (!n || n->n < rational(0)) return std::nullopt;
            r.version = static_cast<i64>(n->n.num());
        }
        // The kind's fields, typed as an event's are (LANGUAGE-v2.md section 1); the keys it
        // does not declare, other than an entity record's own, are ignored and listed.
        const check::kind& kd = plan_.kinds[static_cast<std::size_t>(r.kind)];
        r.fields.assign(kd.fields.size(), std::nullopt);
        for (std::size_t f = 0; f < kd.fields.size(); ++f) {
            const check::field& decl = kd.fields[f];
            const jv* v = o.get(decl.id);
            if (!v || v->k == jv::null_) {
                if (!decl.optional) return std::nullopt;
                continue;
            }
            auto x = typed(*v, decl.t.kind, decl.t.element);
            if (!x) return std::nullopt;
            r.fields[f] = std::move(*x);
        }
        static const char* const entity_keys[] = {"entity", "kind", "parent", "name", "since", "until", "version"};
        for (const auto& m : o.members) {
            bool known = std::any_of(std::begin(entity_keys), std::end(entity_keys), [&](const char* k) { return m.first == k; });
            for (const auto& decl : kd.fields) known = known || decl.id == m.first;
            if (!known) ignored.push_back(m.first);
        }
        return r;
    }

    // A waiver record; nullopt when it is rejected.
    std::optional<event_record> read_waiver(const jv& o, std::size_t line, std::vector<std::string>& ignored) {
        event_record r;
        r.line = line;
        r.type = waiver_type();
        std::string id;
        if (string_at(o, "waiver", id) != presence::string || id.empty()) return std::nullopt;
        // Its other keys: strings or absent (null is absent); `excuse` a boolean.
        std::optional<std::string> obligation, unit, reason, approved_by, period_text, extend_text;
        for (auto [name, slot] : {std::pair<const char*, std::optional<std::string>*>{"obligation", &obligation},
                                  {"unit", &unit},
                                  {"reason", &reason},
                                  {"approved_by", &approved_by},
                                  {"period", &period_text},
                                  {"extend_to", &extend_text}}) {
            std::string t;
            switch (string_at(o, name, t)) {
                case presence::bad: return std::nullopt;
                case presence::string: *slot = t; break;
                case presence::absent: break;
            }
        }
        std::optional<i64> period, extend_to;
        if (period_text) {
            const auto d = calendar::parse_iso(*period_text);
            if (!d) return std::nullopt;
            period = *d;
        }
        if (extend_text) {
            const auto d = calendar::parse_iso(*extend_text);
            if (!d) return std::nullopt;
            extend_to = *d;
        }
        std::optional<bool> excuse;
        if (const jv* v = o.get("excuse"); v && v->k != jv::null_) {
            if (v->k != jv::boolean) return std::nullopt;
            excuse = v->b;
        }
        // It names an obligation of the plan (not an outcome).
        if (!obligation) return std::nullopt;
        int rule = -1;
        for (std::size_t q = 0; q < plan_.rules.size(); ++q)
            if (!plan_.rules[q].outcome && plan_.rules[q].id == *obligation) rule = static_cast<int>(q);
        if (rule < 0) return std::nullopt;
        const check::rule& ru = plan_.rules[static_cast<std::size_t>(rule)];
        // A unit exactly when the obligation has `each` (an empty one is none).
        if (ru.var.empty()) {
            if (unit && !unit->empty()) return std::nullopt;
            unit = std::string();
        } else if (!unit || unit->empty()) {
            return std::nullopt;
        }
        if (!period) return std::nullopt;
        // Exactly one of `extend_to` and `excuse: true`.
        if (extend_to.has_value() == excuse.has_value()) return std::nullopt;
        if (excuse && !*excuse) return std::nullopt;
        // An extension ends after the bucket it names (the schedule's, whatever the date).
        if (extend_to)
            for (i64 end : waivable_ends(ru, *period))
                if (*extend_to <= end) return std::nullopt;
        r.day = *period;
        r.fields.assign(waiver_field::count, std::nullopt);
        r.fields[check::field_id] = text(id);
        r.fields[check::field_time] = date(r.day);
        r.fields[check::field_unit] = text(*unit);
        r.fields[waiver_field::obligation] = num(rational(static_cast<i64>(rule)));
        if (extend_to) r.fields[waiver_field::extend_to] = date(*extend_to);
        if (excuse) r.fields[waiver_field::excuse] = boolean(true);
        // An empty reason or approver is none (docs: the engine keeps only given texts).
        if (reason && !reason->empty()) r.fields[waiver_field::reason] = text(*reason);
        if (approved_by && !approved_by->empty()) r.fields[waiver_field::approved_by] = text(*approved_by);
        static const char* const waiver_keys[] = {"waiver", "obligation", "unit", "period", "extend_to", "excuse", "reason", "approved_by"};
        for (const auto& m : o.members)
            if (std::none_of(std::begin(waiver_keys), std::end(waiver_keys), [&](const char* k) { return m.first == k; }))
                ignored.push_back(m.first);
        return r;
    }

    std::optional<event_record> read_event(const jv& o, std::size_t line, std::vector<std::string>& ignored) {
        event_record r;
        r.line = line;
        std::string id, type, time, unit;
        if (string_at(o, "id", id) != presence::string || id.empty()) return std::nullopt;
        if (string_at(o, "type", type) != presence::string) return std::nullopt;
        r.type = plan_.find_event(type);
        if (r.type < 0) return std::nullopt;
        if (string_at(o, "time", time) != presence::string) return std::nullopt;
        const auto t = parse_time(time, plan_.utc_offset_minutes);
        if (!t) return std::nullopt;
        r.clock = t->clock;
        r.utc_seconds = t->utc_seconds;
        r.fraction = t->fraction;
        r.day = t->day;
        if (string_at(o, "unit", unit) != presence::string || unit.empty()) return std::nullopt;
        const check::event_type& et = plan_.events[static_cast<std::size_t>(r.type)];
        r.fields.assign(et.fields.size(), std::nullopt);
        r.fields[check::field_id] = text(id);
        r.fields[check::field_time] = date(r.day);
        r.fields[check::field_unit] = text(unit);
        for (std::size_t f = check::first_declared_field; f < et.fields.size(); ++f) {
            const check::field& decl = et.fields[f];
            const jv* v = o.get(decl.id);
            if (!v || v->k == jv::null_) {
                if (!decl.optional) return std::nullopt;
                continue;
            }
            auto x = typed(*v, decl.t.kind, decl.t.element);
            if (!x) return std::nullopt;
            r.fields[f] = std::move(*x);
        }
        for (const auto& m : o.members) {
            if (m.first == "id" || m.first == "type" || m.first == "time" || m.first == "unit") continue;
            bool declared = false;
            for (std::size_t f = check::first_declared_field; f < et.fields.size(); ++f) declared = declared || et.fields[f].id == m.first;
            if (!declared) ignored.push_back(m.first);
        }
        return r;
    }

    bool registered_and_resolved(const std::string& id) const {
        auto it = registry_.find(id);
        return it != registry_.end() && it->second.resolved;
    }

    void read_records(inputs& counts) {
        const std::size_t n = lines_.size();
        std::vector<category> cat(n, category::rejected);
        std::vector<entity_record> entity_records;
        std::vector<event_record> event_records;
        std::set<std::string> retracted_ids;

        for (std::size_t line = 0; line < n; ++line) {
            const std::string& text = lines_[line];
            if (text.size() > 256 * 1024) continue;
            auto doc = json_reader(text).document();
            if (!doc || doc->k != jv::object) continue;
            if (const jv* target = doc->get("retract")) {
                if (target->k == jv::string && !target->s.empty()) {
                    cat[line] = category::retraction;
                    retracted_ids.insert(target->s);
                }
            } else if (doc->get("entity")) {
                std::vector<std::string> keys;
                if (auto r = read_entity(*doc, line, keys)) {
                    cat[line] = category::entity;
                    for (const auto& k : keys) ++ignored_[{true, r->kind, k}];
                    entity_records.push_back(std::move(*r));
                }
            } else if (doc->get("waiver")) {
                std::vector<std::string> keys;
                if (auto r = read_waiver(*doc, line, keys)) {
                    cat[line] = category::waiver;  // refined below
                    for (const auto& k : keys) ++ignored_[{false, r->type, k}];
                    event_records.push_back(std::move(*r));
                }
            } else if (doc->get("id")) {
                std::vector<std::string> keys;
                if (auto r = read_event(*doc, line, keys)) {
                    cat[line] = category::applied;  // refined below
                    for (const auto& k : keys) ++ignored_[{false, r->type, k}];
                    event_records.push_back(std::move(*r));
                }
            }
        }

        // Entities: per id and version; equal versions that differ conflict (all rejected); the
        // highest remaining version stands.
        std::map<std::string, std::map<i64, std::vector<const entity_record*>>> by_id;
        for (const auto& r : entity_records) by_id[r.id][r.version].push_back(&r);
        std::map<std::string, std::vector<std::size_t>> standing_lines;
        for (const auto& [id, versions] : by_id) {
            bool found = false;
            for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
                const auto& group = it->second;
                bool conflict = false;
                for (const auto* r : group)
                    if (!r->same_content(*group.front())) conflict = true;
                if (conflict) {
                    for (const auto* r : group) cat[r->line] = category::rejected;
                    continue;
                }
                if (!found) {
                    found = true;
                    registry_[id].standing = *group.front();
                    for (const auto* r : group) standing_lines[id].push_back(r->line);
                }
            }
        }
        // Resolution: an entity without a parent is resolved; one whose parent is resolved is
        // resolved when the parent's kind is allowed for its kind (or its kind has no `within`),
        // and rejected otherwise (its standing records count as rejected); any other entity
        // (parent missing, unresolved, rejected, or a parent cycle) is unresolved. Walked
        // iteratively up the parent chain, then settled from the top down.
        enum settled { no_parent, is_resolved, is_unresolved, is_rejected };
        std::map<std::string, int> state;
        for (const auto& entry : registry_) {
            if (state.count(entry.first)) continue;
            std::vector<std::string> path;
            std::set<std::string> on_path;
            std::string cur = entry.first;
            int above = is_unresolved;  // the state of the parent of path.back()
            for (;;) {
                if (auto known = state.find(cur); known != state.end()) {
                    above = known->second;
                    break;
                }
                auto it = registry_.find(cur);
                if (it == registry_.end() || on_path.count(cur)) {  // not registered, or a cycle
                    above = is_unresolved;
                    break;
                }
                path.push_back(cur);
                on_path.insert(cur);
                if (!it->second.standing.parent) {
                    above = no_parent;
                    break;
                }
                cur = *it->second.standing.parent;
            }
            for (auto node = path.rbegin(); node != path.rend(); ++node) {
                const entity& x = registry_.at(*node);
                int st = is_unresolved;
                if (above == no_parent) {
                    st = is_resolved;
                } else if (above == is_resolved) {
                    const auto& allowed = plan_.kinds[static_cast<std::size_t>(x.standing.kind)].parents;
                    const int parent_kind = registry_.at(*x.standing.parent).standing.kind;
                    st = allowed.empty() || contains(allowed, parent_kind) ? is_resolved : is_rejected;
                }
                state[*node] = st;
                above = st;
            }
        }
        for (auto& [id, x] : registry_) {
            x.resolved = state[id] == is_resolved;
            x.bad_parent_kind = state[id] == is_rejected;
            if (x.bad_parent_kind)
                for (std::size_t line : standing_lines[id]) cat[line] = category::rejected;
        }

        // Events: per id; differing content rejects every record of the id.
        std::map<std::string, std::vector<const event_record*>> events_by_id;
        for (const auto& r : event_records) events_by_id[r.id()].push_back(&r);
        for (const auto& [id, copies] : events_by_id) {
            bool conflict = false;
            for (const auto* r : copies)
                if (!r->same_content(*copies.front())) conflict = true;
            const event_record& first = *copies.front();  // copies are in line order
            const bool waiver = first.type == waiver_type();
            bool rejected = conflict, unresolved = false;
            if (!rejected && waiver) {
                // A waiver's unit: none for an obligation without `each`; else a registered
                // entity of a kind the obligation is for (of another kind: rejected).
                const check::rule& ru = plan_.rules[static_cast<std::size_t>(first.fields[waiver_field::obligation]->n.num())];
                if (!ru.var.empty()) {
                    if (!registered_and_resolved(first.unit())) unresolved = true;
                    else if (!contains(ru.unit_kinds, registry_.at(first.unit()).standing.kind)) rejected = true;
                }
            } else if (!rejected) {
                const check::event_type& et = plan_.events[static_cast<std::size_t>(first.type)];
                if (!registered_and_resolved(first.unit())) unresolved = true;
                for (std::size_t f = check::first_declared_field; f < first.fields.size(); ++f) {
                    const check::type& t = et.fields[f].t;
                    const bool refs = t.kind == type_kind::ref || (t.kind == type_kind::set && t.element == type_kind::ref);
                    if (!refs || !first.fields[f]) continue;
                    std::vector<std::string> named;
                    if (t.kind == type_kind::ref) named.push_back(first.fields[f]->s);
                    else
                        for (const auto& m : first.fields[f]->items) named.push_back(m.s);
                    for (const auto& e : named) {
                        if (!registered_and_resolved(e)) {
                            unresolved = true;
                        } else if (!t.kinds.empty() && !contains(t.kinds, registry_.at(e).standing.kind)) {
                            rejected = true;
                        }
                    }
                }
            }
            for (std::size_t k = 0; k < copies.size(); ++k) {
                category& c = cat[copies[k]->line];
                if (rejected) c = category::rejected;
                else if (k > 0) c = category::duplicate;
                else if (retracted_ids.count(id)) c = category::retracted;
                else if (waiver) c = category::waiver;
                else if (unresolved) c = category::unresolved;
                else c = category::applied;
            }
            if (waiver) {
                if (!rejected && !retracted_ids.count(id)) {
                    waiver_record w;
                    w.id = id;
                    w.rule = static_cast<int>(first.fields[waiver_field::obligation]->n.num());
                    w.unit = first.unit();
                    w.period = first.day;
                    w.unregistered = unresolved;
                    w.excuse = first.fields[waiver_field::excuse].has_value();
                    if (first.fields[waiver_field::reason]) w.reason = first.fields[waiver_field::reason]->s;
                    if (first.fields[waiver_field::approved_by]) w.approved_by = first.fields[waiver_field::approved_by]->s;
                    if (first.fields[waiver_field::extend_to]) w.extend_to = first.fields[waiver_field::extend_to]->d;
                    waivers_.push_back(std::move(w));
                }
                continue;
            }
            if (!rejected && !retracted_ids.count(id) && !unresolved) {
                event e;
                e.type = first.type;
                e.day = first.day;
                // Seconds dropped: the UTC minute moved into the plan's zone.
                e.minute = first.clock ? floor_div(first.utc_seconds, 60) + plan_.utc_offset_minutes : first.day * 1440;
                e.fields = first.fields;
                events_.push_back(std::move(e));
            }
        }

        counts.read = static_cast<long>(n);
        for (category c : cat) {
            switch (c) {
                case category::rejected: ++counts.rejected; break;
                case category::entity: ++counts.entities; break;
                case category::retraction: ++counts.retractions; break;
                case category::duplicate: ++counts.duplicates; break;
                case category::retracted: ++counts.retracted; break;
                case category::waiver: ++counts.waivers; break;
                case category::unresolved: ++counts.unresolved; break;
                case category::applied: ++counts.applied; break;
            }
        }
    }

    // ------------------------------------------------------------ hierarchy

    // u is v or lies below v (by the standing parents).
    bool at_or_under(const std::string& u, const std::string& v) const {
        std::string cur = u;
        for (std::size_t steps = 0; steps <= registry_.size(); ++steps) {
            if (cur == v) return true;
            auto it = registry_.find(cur);
            if (it == registry_.end() || !it->second.standing.parent) return false;
            cur = *it->second.standing.parent;
        }
        return false;
    }
    bool strictly_under(const std::string& u, const std::string& v) const {
        auto it = registry_.find(u);
        if (it == registry_.end() || !it->second.standing.parent) return false;
        return at_or_under(*it->second.standing.parent, v);
    }

    // ------------------------------------------------------------ expressions

    bool truth(const texpr& x, const context& c) const {
        const val v = eval(x, c);
        return v.k == vk::boolean && v.b;
    }

    // The unit in a variable's slot: the instance's for slot 0 (or none given), else the one a
    // quantifier bound; nullptr when there is none.
    static const std::string* slot_unit(const context& c, int slot) {
        if (slot <= 0) return c.unit && *c.unit ? &**c.unit : nullptr;
        return c.slots[static_cast<std::size_t>(slot)];
    }

    // The standing entity of that id when it is registered and resolved, else nullptr.
    const entity* resolved_entity(const std::string& id) const {
        auto it = registry_.find(id);
        return it != registry_.end() && it->second.resolved ? &it->second : nullptr;
    }

    // The entity `X.FIELD` or `X is KIND` reads: a unit variable's, or inside a where
    // predicate the event's `unit` or one of its ref fields; nullptr when none is registered.
    const entity* unit_operand(const texpr& x, const context& c) const {
        if (x.o == op::var) {
            const std::string* u = slot_unit(c, x.slot);
            return u ? resolved_entity(*u) : nullptr;
        }
        const val v = eval(x, c);
        if (v.k != vk::text) return nullptr;
        return resolved_entity(v.s);
    }

    // The ids of the registered entities of `kinds` strictly under `unit` (at any depth),
    // active on day d, in id order.
    std::vector<const std::string*> below(const std::string* unit, const std::vector<int>& kinds, i64 d) const {
        std::vector<const std::string*> out;
        if (!unit) return out;
        for (const auto& [id, ent] : registry_)
            if (ent.resolved && contains(kinds, ent.standing.kind) && active_at(ent, d) && strictly_under(id, *unit))
                out.push_back(&id);
        return out;
    }

    // The events an aggregate ranges over: its type, dated in [s, min(e, T)], of its unit (the
    // variable named by `of`) and below when scoped, passing `where`.
    std::vector<const event*> matching(const texpr& a, const context& c) const {
        std::vector<const event*> out;
        const i64 hi = std::min(c.e, T_);
        const std::string* scope = a.scoped ? slot_unit(c, a.slot) : nullptr;
        for (const event& ev : events_) {
            if (ev.type != a.event || ev.day < c.s || ev.day > hi) continue;
            if (c.hours && (ev.minute < c.m0 || ev.minute > c.m1)) continue;
            if (a.scoped && (!scope || !at_or_under(ev.unit(), *scope))) continue;
            if (a.where_arg >= 0) {
                context inner = c;
                inner.ev = &ev;
                if (!truth(a.args[static_cast<std::size_t>(a.where_arg)], inner)) continue;
            }
            out.push_back(&ev);
        }
        return out;
    }

    static const std::optional<val>* field_of(const event& ev, int f) {
        if (f < 0 || static_cast<std::size_t>(f) >= ev.fields.size()) return nullptr;
        return &ev.fields[static_cast<std::size_t>(f)];
    }

    val eval(const texpr& x, const context& c) const {
        try {
            return eval_unguarded(x, c);
        } catch (const std::exception&) {  // overflow, division by zero, calendar range
            return undef();
        }
    }

    val arithmetic(op o, const val& a, const val& b) const {
        if (a.k == vk::undef || b.k == vk::undef) return undef();
        if (a.k == vk::num && b.k == vk::num) {
            switch (o) {
                case op::add: return num(a.n + b.n);
                case op::sub: return num(a.n - b.n);
                case op::mul: return num(a.n * b.n);
                case op::div:
                    if (b.n == rational(0)) return undef();
                    return num(a.n / b.n);
                default: return undef();
            }
        }
        const int sign = o == op::sub ? -1 : 1;
        if (o != op::add && o != op::sub) return undef();
        if (a.k == vk::dur && b.k == vk::dur) return dur(a.d + sign * b.d, a.months + sign * b.months);
        if (a.k == vk::date && b.k == vk::dur) {
            i64 d = a.d;
            if (b.months != 0) {
                if (d < first_day || d > last_day) return undef();
                d = plus_months(d, sign * b.months);
            }
            return date(d + sign * b.d);
        }
        if (a.k == vk::date && b.k == vk::date && o == op::sub) return dur(a.d - b.d, 0);
        return undef();
    }

    // docs/choices.md 26: `reason: "no data"` whenever a comparison (or `in`) of the
    // requirement meets an undefined value. Comparisons inside where / all / any predicates
    // are about one event, not about the bucket's data, and do not count; those of a streak
    // body do (they are comparisons of the requirement over its sub-periods).
    static void note_undefined(const context& c, const val& a, const val& b) {
        if (c.no_data && !c.ev && (a.k == vk::undef || b.k == vk::undef)) *c.no_data = true;
    }

    val eval_unguarded(const texpr& x, const context& c) const {
        switch (x.o) {
            case op::literal:
                switch (x.t.kind) {
                    case type_kind::integer:
                    case type_kind::number: return num(x.value.number);
                    case type_kind::boolean: return boolean(x.value.boolean);
                    case type_kind::text:
                    case type_kind::ref: return text(x.value.text);
                    case type_kind::date: return date(x.value.date);
                    case type_kind::duration: {
                        const check::duration& l = x.value.length;
                        if (l.unit == check::time_unit::month) return dur(0, clamp_count(l.count, 1000000));
                        return dur(clamp_count(l.count, 100000000) * (l.unit == check::time_unit::week ? 7 : 1), 0);
                    }
                    default: return undef();
                }
            case op::field: {
                if (!c.ev || c.ev->type != x.event) return undef();
                const auto* f = field_of(*c.ev, x.field);
                if (!f || !f->has_value()) return undef();
                return **f;
            }
            case op::var: {
                const std::string* u = slot_unit(c, x.slot);
                if (!u) return undef();
                return text(*u);
            }
            case op::unit_field: {
                // A field of the unit's standing record; undefined when the unit is not
                // registered, its kind has no such field, or the record leaves it out.
                const entity* u = unit_operand(x.args.at(0), c);
                if (!u || u->standing.kind < 0 || static_cast<std::size_t>(u->standing.kind) >= x.kind_fields.size()) return undef();
                const int f = x.kind_fields[static_cast<std::size_t>(u->standing.kind)];
                if (f < 0 || static_cast<std::size_t>(f) >= u->standing.fields.size()) return undef();
                const auto& v = u->standing.fields[static_cast<std::size_t>(f)];
                return v ? *v : undef();
            }
            case op::is_kind: {
                const entity* u = unit_operand(x.args.at(0), c);
                return boolean(u && contains(x.kinds, u->standing.kind));
            }
            case op::units:
            case op::all_units:
            case op::any_unit: {
                // Each entity of those kinds under the `within` unit, active at the end of the
                // bucket's period, judged by the predicate with the entity bound (every one of
                // them, so that "no data" does not depend on the order).
                i64 holding = 0, failing = 0;
                for (const std::string* id : below(slot_unit(c, x.within_slot), x.kinds, c.period_end)) {
                    bool holds = true;
                    if (!x.args.empty()) {
                        context inner = c;
                        inner.slots[static_cast<std::size_t>(x.slot)] = id;
                        holds = truth(x.args.at(0), inner);
                    }
                    ++(holds ? holding : failing);
                }
                if (x.o == op::all_units) return boolean(failing == 0);
                if (x.o == op::any_unit) return boolean(holding > 0);
                return num(rational(holding));
            }
            case op::rank: {
                // The units ranked: those of the kinds active at the period's end (under the
                // `within` unit when given), each with EXPR over the same bucket; undefined
                // values are left out. The instance's rank is one more than the number of units
                // strictly better; undefined when it is not among them.
                if (!c.unit || !*c.unit) return undef();
                std::vector<const std::string*> among;
                if (x.within_slot >= 0) {
                    among = below(slot_unit(c, x.within_slot), x.kinds, c.period_end);
                } else {
                    for (const auto& [id, ent] : registry_)
                        if (ent.resolved && contains(x.kinds, ent.standing.kind) && active_at(ent, c.period_end)) among.push_back(&id);
                }
                std::vector<std::pair<std::string, val>> scored;
                for (const std::string* id : among) {
                    const std::optional<std::string> candidate = *id;
                    context inner = c;
                    inner.unit = &candidate;
                    inner.no_data = nullptr;  // about the other units, not the bucket's own data
                    val v = eval(x.args.at(0), inner);
                    if (v.k == vk::undef) continue;
                    scored.emplace_back(*id, std::move(v));
                }
                const val* mine = nullptr;
                for (const auto& [id, v] : scored)
                    if (id == **c.unit) mine = &v;
                if (!mine) return undef();
                i64 better = 0;
                for (const auto& [id, v] : scored) {
                    const auto r = order(v, *mine);
                    if (r && (x.ascending ? *r < 0 : *r > 0)) ++better;
                }
                return num(rational(better + 1));
            }
            case op::list: return undef();
            case op::not_: return boolean(!truth(x.args.at(0), c));
            case op::neg: {
                const val a = eval(x.args.at(0), c);
                if (a.k == vk::num) return num(-a.n);
                if (a.k == vk::dur) return dur(-a.d, -a.months);
                return undef();
            }
            case op::add:
            case op::sub:
            case op::mul:
            case op::div: return arithmetic(x.o, eval(x.args.at(0), c), eval(x.args.at(1), c));
            case op::eq:
            case op::ne: {
                const val a = eval(x.args.at(0), c), b = eval(x.args.at(1), c);
                note_undefined(c, a, b);
                const auto r = equal(a, b);
                if (!r) return boolean(false);
                return boolean(x.o == op::eq ? *r : !*r);
            }
            case op::lt:
            case op::le:
            case op::gt:
            case op::ge: {
                const val a = eval(x.args.at(0), c), b = eval(x.args.at(1), c);
                note_undefined(c, a, b);
                const auto r = order(a, b);
                if (!r) return boolean(false);
                switch (x.o) {
                    case op::lt: return boolean(*r < 0);
                    case op::le: return boolean(*r <= 0);
                    case op::gt: return boolean(*r > 0);
                    default: return boolean(*r >= 0);
                }
            }
            case op::in: {
                const val lhs = eval(x.args.at(0), c);
                note_undefined(c, lhs, lhs);
                if (lhs.k == vk::undef) return boolean(false);
                const texpr& rhs = x.args.at(1);
                if (rhs.o == op::list) {
                    // The checked plan keeps a list's items as a set of values; try each.
                    const check::member_set& m = *rhs.members;
                    std::vector<val> items;
                    for (std::string_view t : m.texts()) items.push_back(text(std::string(t)));
                    for (const auto& n : m.numbers()) items.push_back(num(n));
                    for (auto d : m.dates()) items.push_back(date(d));
                    for (auto d : m.durations()) items.push_back(dur(d, 0));  // in days: a month is no duration of an expression
                    for (bool b : m.booleans()) items.push_back(boolean(b));
                    for (const auto& item : items) {
                        const auto r = equal(lhs, item);
                        if (r && *r) return boolean(true);
                    }
                    return boolean(false);
                }
                const val set = eval(rhs, c);
                if (set.k != vk::set) return boolean(false);
                for (const auto& m : set.items) {
                    const auto r = equal(lhs, m);
                    if (r && *r) return boolean(true);
                }
                return boolean(false);
            }
            case op::and_: {
                const bool a = truth(x.args.at(0), c), b = truth(x.args.at(1), c);
                return boolean(a && b);
            }
            case op::or_: {
                const bool a = truth(x.args.at(0), c), b = truth(x.args.at(1), c);
                return boolean(a || b);
            }
            case op::count: return num(rational(static_cast<i64>(matching(x, c).size())));
            case op::sum: {
                rational total(0);
                for (const event* ev : matching(x, c)) {
                    const auto* f = field_of(*ev, x.field);
                    if (f && f->has_value() && (*f)->k == vk::num) total = total + (*f)->n;
                }
                return num(total);
            }
            case op::distinct: {
                std::set<std::string> seen;
                for (const event* ev : matching(x, c)) {
                    const auto* f = field_of(*ev, x.field);
                    if (!f || !f->has_value()) continue;
                    if ((*f)->k == vk::set)
                        for (const auto& m : (*f)->items) seen.insert(key(m));
                    else
                        seen.insert(key(**f));
                }
                return num(rational(static_cast<i64>(seen.size())));
            }
            case op::min:
            case op::max: {
                std::optional<val> best;
                for (const event* ev : matching(x, c)) {
                    const auto* f = field_of(*ev, x.field);
                    if (!f || !f->has_value()) continue;
                    const val& v = **f;
                    if (v.k != vk::num && v.k != vk::date) continue;
                    if (!best) {
                        best = v;
                        continue;
                    }
                    const auto r = order(v, *best);
                    if (r && (x.o == op::min ? *r < 0 : *r > 0)) best = v;
                }
                if (!best) return undef();
                return *best;
            }
            case op::gap: {
                const i64 lo = c.s, hi = std::min(c.e, T_);
                if (hi < lo) return dur(0, 0);
                std::set<i64> days;
                for (const event* ev : matching(x, c)) days.insert(ev->day);
                i64 best = 0, previous = lo - 1;
                for (i64 d : days) {
                    best = std::max(best, d - previous - 1);
                    previous = d;
                }
                best = std::max(best, hi - previous);
                return dur(best, 0);
            }
            case op::all:
            case op::any: {
                const bool want_all = x.o == op::all;
                for (const event* ev : matching(x, c)) {
                    context inner = c;
                    inner.ev = ev;
                    const bool holds = x.pred_arg >= 0 && truth(x.args.at(static_cast<std::size_t>(x.pred_arg)), inner);
                    if (want_all && !holds) return boolean(false);
                    if (!want_all && holds) return boolean(true);
                }
                return boolean(want_all);
            }
            case op::coverage: {
                const std::string* within = slot_unit(c, x.within_slot);
                if (!within) return undef();
                std::set<std::string> named;
                for (const event* ev : matching(x, c)) {
                    const auto* f = field_of(*ev, x.field);
                    if (!f || !f->has_value()) continue;
                    if ((*f)->k == vk::set)
                        for (const auto& m : (*f)->items) named.insert(m.s);
                    else
                        named.insert((*f)->s);
                }
                i64 denominator = 0, numerator = 0;
                for (const auto& [id, ent] : registry_) {
                    if (!ent.resolved || !contains(x.kinds, ent.standing.kind)) continue;
                    if (!strictly_under(id, *within) || !active_at(ent, c.period_end)) continue;
                    ++denominator;
                    if (named.count(id)) ++numerator;
                }
                if (denominator == 0) return undef();
                return num(rational(static_cast<int128>(numerator), static_cast<int128>(denominator)));
            }
            case op::streak: {
                const auto subs = split(c.s, c.e, x.per, plan_.week_start, false, T_);
                i64 best = 0, run = 0;
                for (const auto& sub : subs) {
                    if (T_ < close_of(sub.e, c.rule ? c.rule->grace : std::nullopt)) break;
                    context inner = c;
                    inner.s = sub.s;
                    inner.e = sub.e;
                    inner.period_end = sub.e;
                    if (truth(x.args.at(0), inner)) {
                        best = std::max(best, ++run);
                    } else {
                        run = 0;
                    }
                }
                return num(rational(best));
            }
            case op::peak: {
                // LANGUAGE-v2.md section 7: the largest AGG over any run [x, x + D - 1] of
                // consecutive days, each counting only its days inside the bucket up to T; every
                // run meeting those days is tried (a run may reach past either end).
                const check::duration& l = x.value.length;
                const i64 days = std::max<i64>(1, clamp_count(l.count, 100000) * (l.unit == check::time_unit::week ? 7 : 1));
                const i64 lo = c.s, hi = std::min(c.e, T_);
                context inner = c;
                if (hi < lo) {
                    inner.s = lo;
                    inner.e = lo - 1;  // nothing: the AGG of no event
                    return eval(x.args.at(0), inner);
                }
                std::optional<val> best;
                for (i64 from = lo - days + 1; from <= hi; ++from) {
                    inner.s = std::max(from, lo);
                    inner.e = std::min(from + days - 1, hi);
                    val v = eval(x.args.at(0), inner);
                    if (v.k != vk::num) continue;
                    if (!best || compare(v.n, best->n) > 0) best = std::move(v);
                }
                return best ? *best : undef();
            }
            case op::earlier: {
                // AGG over the bucket's range up to T moved back by D: [s - D, min(e, T) - D],
                // a month or year shift landing past a month's end on its last day; nothing
                // while the bucket has not started.
                const check::duration& l = x.value.length;
                context inner = c;
                inner.s = shift(c.s, l, -1);
                const i64 hi = std::min(c.e, T_);
                inner.e = c.s > hi ? inner.s - 1 : shift(hi, l, -1);
                return eval(x.args.at(0), inner);
            }
            case op::violations: {
                // Violated buckets ending inside this one (an extended bucket where it was
                // extended to; an excused one is not violated), of the unit, or with `within` of
                // it and every unit under it; violated_obligations() counts the obligations with one.
                i64 n = 0, obligations = 0;
                const std::string* u = slot_unit(c, x.slot);
                if (!u) return num(rational(0));
                for (int q : x.rules) {
                    if (q < 0 || static_cast<std::size_t>(q) >= rows_.size()) continue;
                    i64 mine = 0;
                    const auto& rows = rows_[static_cast<std::size_t>(q)];
                    for (std::size_t i = 0; i < rows.size(); ++i) {
                        const irow& r = rows[i];
                        if (!r.unit || !(x.within ? at_or_under(*r.unit, *u) : *r.unit == *u)) continue;
                        if (r.end < c.s || r.end > c.e) continue;
                        if (c.reads) c.reads->emplace(q, i);
                        if (std::string(r.status) == "violated") ++mine;
                    }
                    n += mine;
                    if (mine > 0) ++obligations;
                }
                return num(rational(x.distinct ? obligations : n));
            }
            case op::fired: {
                const std::string* u = slot_unit(c, x.slot);
                if (!u || x.rules.empty()) return boolean(false);
                const int q = x.rules.front();
                if (q < 0 || static_cast<std::size_t>(q) >= rows_.size()) return boolean(false);
                bool any = false;
                const auto& rows = rows_[static_cast<std::size_t>(q)];
                for (std::size_t i = 0; i < rows.size(); ++i) {
                    const irow& r = rows[i];
                    if (r.unit != *u || r.to < c.s || r.to > c.e) continue;
                    if (c.reads) c.reads->emplace(q, i);
                    any = any || r.fired;
                }
                return boolean(any);
            }
        }
        return undef();
    }

    // ------------------------------------------------------------ buckets

    // Whether rule r counts in hours (`every N hours`, `within N hours`).
    static bool hour_rule(const check::rule& r) {
        if (r.schedule == check::schedule_kind::every) return r.per.unit == check::period_unit::hour;
        if (r.schedule == check::schedule_kind::after || r.schedule == check::schedule_kind::before)
            return r.within.unit == check::time_unit::hour;
        return false;
    }
    // The hour bucket of the minutes [m0, m1], spanning the days of both.
    static bucket hour_bucket(i64 m0, i64 m1) {
        bucket b;
        b.from = day_of(m0);
        b.to = day_of(m1);
        b.hours = true;
        b.first_minute = m0;
        b.last_minute = m1;
        return b;
    }
    // `every N hours` over the days first .. last (none: open): [s, s + N*60) from first's
    // midnight, the last cut at last's 24:00; those whose first minute's day is not after T.
    void hour_periods(const check::rule& r, i64 first, std::optional<i64> last, std::vector<bucket>& out) const {
        const i64 len = std::max<i64>(1, clamp_count(r.per.count, 1000000)) * 60;
        for (i64 s = first * 1440; day_of(s) <= T_; s += len) {
            if (last && s >= (*last + 1) * 1440) break;
            i64 e = s + len - 1;
            if (last) e = std::min(e, (*last + 1) * 1440 - 1);
            out.push_back(hour_bucket(s, e));
        }
    }

    // The buckets of rule r for one instance that have started by T.
    std::vector<bucket> buckets(const check::rule& r, const std::optional<std::string>& unit) const {
        std::vector<bucket> out;
        const i64 wf = r.window_from, wt = r.window_to;
        if (r.event_phase >= 0 && hour_rule(r)) {
            const check::phase& p = plan_.phases[static_cast<std::size_t>(r.event_phase)];
            for (const window& w : event_windows(p, unit)) hour_periods(r, w.from, w.to, out);
            return out;
        }
        if (r.event_phase >= 0) {
            // During a phase bounded by events: the unit's windows as of T (reported, with `due
            // ... after`, from the day after the period).
            for (const auto& b : window_buckets(r, unit))
                if (shown_from(r, b.s, b.e) <= T_) out.push_back({b.s, b.e});
            return out;
        }
        switch (r.schedule) {
            case check::schedule_kind::whole:
                if (T_ >= wf) out.push_back({wf, wt});
                break;
            case check::schedule_kind::by:
                if (T_ >= wf) out.push_back({wf, r.by});
                break;
            case check::schedule_kind::every:
                if (hour_rule(r)) {
                    hour_periods(r, wf, wt, out);
                    break;
                }
                // A cumulative bucket runs from the cumulative start and appears once its own
                // (clipped) period starts; split() only yields periods started by T.
                for (const auto& sub : split(wf, wt, r.per, plan_.week_start, r.full, T_)) {
                    if (shown_from(r, sub.s, sub.e) > T_) continue;  // `due ... after`: reported from e + 1
                    out.push_back({r.cumulative ? static_cast<i64>(r.cumulative_from) : sub.s, sub.e});
                }
                break;
            case check::schedule_kind::after:
            case check::schedule_kind::before: {
                std::set<i64> dates;
                std::set<i64> minutes;  // the trigger minutes, for `within N hours`
                if (r.trig.registered) {
                    // `after registered`: the unit's `since`, when it has one.
                    if (unit) {
                        const auto& since = registry_.at(*unit).standing.since;
                        if (since && *since <= T_) {
                            dates.insert(*since);
                            minutes.insert(*since * 1440);
                        }
                    }
                } else if (r.trig.outcome) {
                    const int q = r.trig.target;
                    if (q >= 0 && static_cast<std::size_t>(q) < rows_.size())
                        for (const irow& x : rows_[static_cast<std::size_t>(q)]) {
                            if (!x.final || !x.fired) continue;
                            if (!r.var.empty() && x.unit != unit) continue;
                            if (x.first_final > T_) continue;
                            dates.insert(x.first_final);
                            minutes.insert(x.first_final * 1440);  // the midnight of that day
                        }
                } else {
                    context c;
                    c.unit = &unit;
                    c.s = wf;
                    c.e = wt;
                    c.period_end = wt;
                    c.rule = &r;
                    for (const event& ev : events_) {
                        if (ev.type != r.trig.target || ev.day > T_) continue;
                        if (r.trig.scoped && (!unit || !at_or_under(ev.unit(), *unit))) continue;
                        if (r.trig.where) {
                            context inner = c;
                            inner.ev = &ev;
                            if (!truth(*r.trig.where, inner)) continue;
                        }
                        dates.insert(ev.day);
                        minutes.insert(ev.minute);
                    }
                }
                if (hour_rule(r)) {
                    const i64 n = clamp_count(r.within.count, 1000000) * 60;
                    for (i64 t : minutes) {
                        if (day_of(t) < wf || day_of(t) > wt) continue;
                        if (r.schedule == check::schedule_kind::after)
                            out.push_back(hour_bucket(t, std::min(t + n, wt * 1440 + 1439)));
                        else
                            out.push_back(hour_bucket(std::max(t - n, wf * 1440), t));
                    }
                    break;
                }
                for (i64 d : dates) {
                    if (d < wf || d > wt) continue;
                    if (r.schedule == check::schedule_kind::after)
                        out.push_back({d, std::min(after_end(r, d), wt)});
                    else
                        out.push_back({before_start(r, d), d});
                }
                break;
            }
        }
        return out;
    }

    // Whether the instance of `unit` has bucket b: the unit is active during it (v1), and the
    // `each ... where` predicate holds on the registry at the end of the bucket's period, even
    // when that end is after T.
    bool has_bucket(const check::rule& r, const std::optional<std::string>& unit, const bucket& b) const {
        if (unit && !active_during(registry_.at(*unit), b.from, b.to)) return false;
        if (!r.where) return true;
        context c;
        c.unit = &unit;
        c.s = b.from;
        c.e = b.to;
        c.period_end = b.to;
        c.rule = &r;
        return truth(*r.where, c);
    }

    // The waiver applied to bucket b of rule `index` for `unit`, or -1: of those naming it, an
    // excuse before an extension, the least id of the excuses, the latest extension (then the
    // least id). Waivers are in id order.
    int waiver_of(int index, const check::rule& r, const std::optional<std::string>& unit, const bucket& b) const {
        int excuse = -1, extension = -1;
        for (std::size_t w = 0; w < waivers_.size(); ++w) {
            const waiver_record& x = waivers_[w];
            if (x.rule != index || x.unregistered) continue;
            if (!r.var.empty() && (!unit || x.unit != *unit)) continue;
            if (!names(r, x.period, b.from, b.to)) continue;
            if (x.excuse) {
                if (excuse < 0) excuse = static_cast<int>(w);
            } else if (x.extend_to && *x.extend_to > due_range(r, b.from, b.to).e &&
                       (extension < 0 || *x.extend_to > *waivers_[static_cast<std::size_t>(extension)].extend_to)) {
                extension = static_cast<int>(w);
            }
        }
        return excuse >= 0 ? excuse : extension;
    }

    void compute(int index) {
        const check::rule& r = plan_.rules[static_cast<std::size_t>(index)];
        std::vector<std::optional<std::string>> units;
        if (r.var.empty()) {
            units.emplace_back(std::nullopt);
        } else {
            for (const auto& [id, ent] : registry_)
                if (ent.resolved && contains(r.unit_kinds, ent.standing.kind)) units.emplace_back(id);
        }
        // Outcomes read other rules' buckets through `reads` (violations, fired).
        const std::set<int> reads(r.reads.begin(), r.reads.end());
        auto& rows = rows_[static_cast<std::size_t>(index)];
        for (const auto& unit : units) {
            for (const bucket& b : buckets(r, unit)) {
                if (!has_bucket(r, unit, b)) continue;
                irow x;
                x.unit = unit;
                x.from = b.from;
                x.to = b.to;
                x.hours = b.hours;
                x.first_minute = b.first_minute;
                x.last_minute = b.last_minute;
                // With `due`, the events of its due range count, and its end is the due range's.
                const period_span counted = due_range(r, b.from, b.to);
                x.end = counted.e;
                // An approved waiver (obligations only): an excuse gives the status `excused`,
                // an extension moves the bucket's end for its events, its close, at_risk and
                // `violations`; the registry is still read at the period's end.
                bool excused = false;
                if (!r.outcome) {
                    x.waiver = waiver_of(index, r, unit, b);
                    if (x.waiver >= 0) {
                        const waiver_record& w = waivers_[static_cast<std::size_t>(x.waiver)];
                        excused = w.excuse;
                        if (!excused) x.end = *w.extend_to;
                    }
                }
                context c;
                c.unit = &unit;
                c.s = counted.s;
                c.e = x.end;
                c.period_end = b.to;
                c.rule = &r;
                c.hours = b.hours;
                c.m0 = b.first_minute;
                c.m1 = b.last_minute;
                bool no_data = false;
                c.no_data = &no_data;
                std::set<std::pair<int, std::size_t>> read;
                c.reads = &read;
                x.met = truth(r.condition, c);
                c.no_data = nullptr;
                c.reads = nullptr;
                x.close = close_of(x.end, r.grace);
                x.closed = T_ >= x.close;
                if (r.outcome) {
                    // Final once closed and every bucket its condition reads is closed (an
                    // obligation's) or final (an outcome's).
                    x.fired = x.met;
                    bool final = x.closed;
                    i64 first_final = x.close;
                    for (const auto& [q, i] : read) {
                        if (!reads.count(q)) continue;
                        const irow& y = rows_[static_cast<std::size_t>(q)][i];
                        if (plan_.rules[static_cast<std::size_t>(q)].outcome) {
                            final = final && y.final;
                            first_final = std::max(first_final, y.first_final);
                        } else {
                            final = final && y.closed;
                            first_final = std::max(first_final, y.close);
                        }
                    }
                    x.final = final;
                    x.first_final = first_final;
                } else {
                    check::monotonicity m = monotonicity_of(r.condition);
                    if (m == check::monotonicity::none && plan_.language >= 2) m = decided_early(r.condition);
                    switch (m) {
                        case check::monotonicity::monotone:
                            x.status = x.met ? "satisfied" : (x.closed ? "violated" : "pending");
                            break;
                        case check::monotonicity::anti_monotone:
                            x.status = !x.met ? "violated" : (x.closed ? "satisfied" : "pending");
                            break;
                        case check::monotonicity::none:
                            x.status = x.closed ? (x.met ? "satisfied" : "violated") : "pending";
                            break;
                    }
                    if (excused) x.status = "excused";
                    if (std::string(x.status) == "pending" && !x.met && r.warn) {
                        if (r.warn->unit == check::time_unit::month)
                            x.at_risk = T_ >= plus_months(x.end, -r.warn->count);
                        else if (r.warn->unit == check::time_unit::workday)
                            x.at_risk = workdays_in(T_ + 1, x.end) <= r.warn->count;  // at most N workdays in (T, end]
                        else
                            x.at_risk = x.end - T_ <= clamp_count(r.warn->count, 100000000) *
                                                          (r.warn->unit == check::time_unit::week ? 7 : 1);
                    }
                    if (check::is_comparison(r.condition.o) || r.condition.o == op::in)
                        x.value = canonical(eval(r.condition.args.at(0), c));
                    if (no_data) x.reason = "no data";
                }
                rows.push_back(std::move(x));
            }
        }
    }

    const check::plan& plan_;
    const std::vector<std::string>& lines_;
    const i64 T_;
    std::map<std::string, entity> registry_;  // the standing entities, by id
    std::vector<event> events_;               // the applied events
    std::vector<waiver_record> waivers_;      // the waivers that count, by id
    // Keys ignored: (an entity's key, its kind or the event type, the key) -> records.
    std::map<std::tuple<bool, int, std::string>, long> ignored_;
    std::vector<std::vector<irow>> rows_;     // per rule, as computed in dependency order
};

}  // namespace

report evaluate(const check::plan& plan, const std::vector<std::string>& lines, calendar::day as_of) {
    return evaluator(plan, lines, as_of).run();
}

}  // namespace mandate::reference
