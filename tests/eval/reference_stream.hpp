// Random record streams for differential testing, driven by a plan's own schema: entities of
// every kind under parents of allowed kinds, events of every type with fields of the right
// types (texts drawn from the plan's own literals so filters match), and the awkward records
// a host sends: duplicates in another key order, conflicting ids, retractions before and after
// their event, unknown units, refs to the wrong kind, malformed lines, entity versions.
// Entities carry their kind's fields (LANGUAGE-v2.md section 1): random values, optional ones
// sometimes left out, now and then a mistyped value or an undeclared key, and later versions
// that change a field. Waivers (section 8) excuse or extend buckets of random obligations,
// units and periods: some name no bucket, some are malformed, copied, in conflict, retracted.
// Deterministic for a seed, whatever the platform (splitmix64, no std distributions).
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "mandate/calendar/date.hpp"
#include "mandate/calendar/schedule.hpp"
#include "mandate/check/buckets.hpp"
#include "mandate/check/model.hpp"

namespace mandate::testing {

class rng {
public:
    // The seed is mixed first: with the seed times the increment as the state, seed s + 1 gave
    // the sequence of seed s one draw later, and streams of neighbouring seeds fell into step.
    explicit rng(std::uint64_t seed) : state_(mix(seed + 0x632BE59BD9B4E019ull)) {}
    std::uint64_t next() { return mix(state_ += 0x9E3779B97F4A7C15ull); }
    // Uniform in [0, n).
    std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : next() % n; }
    std::int64_t between(std::int64_t lo, std::int64_t hi) { return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo + 1))); }
    bool chance(int percent) { return below(100) < static_cast<std::uint64_t>(percent); }
    template <class T>
    const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }

private:
    static std::uint64_t mix(std::uint64_t z) {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    std::uint64_t state_;
};

struct stream_shape {
    int min_events = 30, max_events = 140;
    int max_entities_per_kind = 3;
    int max_waivers = 6;
    // Registry records that can take a unit out of the instances it was: a kind changed, a
    // parent changed (a cycle, a kind not allowed, or one not registered yet when the record
    // comes), two records of one version in conflict. Turned off only to step around a known
    // engine fault (reference_disagreements_test.cpp).
    bool units_leave = true;
    // Versions that change a unit's place (its dates, its parent) and its fields in one record.
    // Turned off only to step around a known engine fault (reference_disagreements_test.cpp).
    bool fields_move_with_place = true;
};

namespace detail {

inline void collect_texts(const check::texpr& e, std::set<std::string>& out) {
    if (e.o == check::op::literal && e.t.kind == check::type_kind::text) out.insert(e.value.text);
    for (const auto& a : e.args) collect_texts(a, out);
}

inline std::string quote(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

}  // namespace detail

// A stream of JSON lines for `plan`.
inline std::vector<std::string> random_stream(const check::plan& plan, std::uint64_t seed, stream_shape shape = {}) {
    rng r(seed);
    std::vector<std::string> lines;
    const calendar::day first = plan.has_span ? plan.span_from : calendar::from_ymd(2023, 1, 1);
    const calendar::day last = plan.has_span ? plan.span_to : calendar::from_ymd(2023, 12, 31);

    // Texts worth using: the plan's literals, plus a stranger.
    std::set<std::string> text_set{"other", "x"};
    for (const auto& rule : plan.rules) {
        detail::collect_texts(rule.condition, text_set);
        if (rule.trig.where) detail::collect_texts(*rule.trig.where, text_set);
        if (rule.where) detail::collect_texts(*rule.where, text_set);
    }
    const std::vector<std::string> texts(text_set.begin(), text_set.end());

    // LANGUAGE-v2.md sections 4-6. Units registered from a date inside the windows, for the
    // rules triggered by registration; days worth dating events near: the ends of periods and
    // due ranges of the rules with `due`, and the holidays and make-up working days of the plan's
    // calendar (with the days either side, events land on both sides of each). Plans with none
    // of these draw exactly as before.
    bool registered_used = false;
    for (const auto& rule : plan.rules) registered_used = registered_used || rule.trig.registered;
    std::vector<calendar::day> hot;
    for (const auto& rule : plan.rules) {
        if (rule.due == check::rule::due_kind::none) continue;
        for (const auto& b : check::rule_buckets(rule, plan.week_start)) {
            const auto due = check::counted_days(rule, b.from, b.to);
            for (calendar::day d : {b.to, due.from, due.to}) hot.push_back(d);
        }
    }
    if (plan.workdays)
        for (calendar::day d = first - 15; d <= last + 45; ++d)
            if (plan.workdays->listed(d)) hot.push_back(d);
    // Hours (`within N hours`, `every N hours`): events dated to the minute, in and around the
    // plan's days, in several zones, near midnight UTC (16:00Z is midnight at +08:00), dates
    // alone, and several triggers on one day.
    bool hours_used = false;
    for (const auto& rule : plan.rules)
        hours_used = hours_used || (rule.schedule == check::schedule_kind::every && rule.per.unit == calendar::period_unit::hour) ||
                     ((rule.schedule == check::schedule_kind::after || rule.schedule == check::schedule_kind::before) &&
                      rule.within.unit == calendar::time_unit::hour);
    if (hours_used)
        for (calendar::day d = first; d <= last; ++d) hot.push_back(d);
    // The phases bounded by events, each pair of start and end types once.
    std::vector<std::pair<int, int>> window_types;
    for (const auto& ph : plan.phases)
        if (ph.by_events && ph.start_event >= 0 && ph.end_event >= 0 &&
            std::find(window_types.begin(), window_types.end(), std::make_pair(ph.start_event, ph.end_event)) == window_types.end())
            window_types.emplace_back(ph.start_event, ph.end_event);

    // A kind's fields as the keys of an entity record (", \"quota\": 3, ..."): small numbers
    // (quotas and populations worth comparing with counts, 0 among them), optional ones
    // sometimes left out; rarely a value of the wrong type (the record is rejected) or a key
    // the kind does not declare (listed as ignored).
    auto kind_fields = [&](std::size_t k) {
        std::string out;
        for (const auto& f : plan.kinds[k].fields) {
            if (f.optional && r.chance(25)) continue;
            std::string value;
            switch (f.t.kind) {
                case check::type_kind::integer: value = std::to_string(r.between(0, 6)); break;
                case check::type_kind::number: value = std::to_string(r.between(0, 9)) + "." + std::to_string(r.between(0, 9)); break;
                case check::type_kind::boolean: value = r.chance(50) ? "true" : "false"; break;
                case check::type_kind::text: value = detail::quote(r.pick(texts)); break;
                case check::type_kind::date:
                    value = detail::quote(calendar::to_iso(static_cast<calendar::day>(r.between(first, last))));
                    break;
                default: value = "null"; break;
            }
            if (r.chance(2)) value = f.t.kind == check::type_kind::text ? "7" : "\"wrong type\"";
            out += ", " + detail::quote(f.id) + ": " + value;
        }
        if (r.chance(4)) out += ", \"colour\": \"red\"";
        return out;
    };
    // An entity's first fields, for the versions that move it while keeping them; the entities
    // given a version with other fields.
    std::map<std::string, std::string> fields_of;
    std::map<std::string, calendar::day> since_of;  // the first records' since dates
    std::set<std::string> fields_changed;
    auto same_or_new_fields = [&](const std::string& id, std::size_t k) {
        const std::string fresh = kind_fields(k);
        return shape.fields_move_with_place ? fresh : fields_of[id];
    };
    auto kind_index = [&](const std::string& id) {
        for (std::size_t k = 0; k < plan.kinds.size(); ++k)
            if (plan.kinds[k].id == id) return k;
        return std::size_t{0};
    };

    // Entities: kinds in an order where allowed parents come first (fixpoint over the kinds).
    std::vector<std::vector<std::string>> of_kind(plan.kinds.size());
    std::vector<std::string> all_entities;
    std::vector<bool> done(plan.kinds.size(), false);
    std::vector<std::string> entity_lines;
    std::vector<std::pair<std::string, std::string>> parent_of;  // (entity, its first parent)
    for (std::size_t pass = 0; pass < plan.kinds.size() + 1; ++pass) {
        for (std::size_t k = 0; k < plan.kinds.size(); ++k) {
            if (done[k]) continue;
            const auto& parents = plan.kinds[k].parents;
            std::vector<std::string> candidates;
            for (int p : parents) candidates.insert(candidates.end(), of_kind[static_cast<std::size_t>(p)].begin(), of_kind[static_cast<std::size_t>(p)].end());
            if (!parents.empty() && candidates.empty() && pass < plan.kinds.size()) continue;
            done[k] = true;
            const int count = static_cast<int>(r.between(1, shape.max_entities_per_kind));
            for (int i = 0; i < count; ++i) {
                const std::string id = plan.kinds[k].id.substr(0, 3) + std::to_string(k) + "_" + std::to_string(i);
                std::string line = "{\"entity\": " + detail::quote(id) + ", \"kind\": " + detail::quote(plan.kinds[k].id);
                std::string parent;
                if (!candidates.empty()) {
                    parent = r.pick(candidates);
                    line += ", \"parent\": " + detail::quote(parent);
                    parent_of.emplace_back(id, parent);
                }
                if (r.chance(registered_used ? 55 : 15)) {
                    const auto since = static_cast<calendar::day>(r.between(first, last));
                    since_of[id] = since;
                    line += ", \"since\": " + detail::quote(calendar::to_iso(since));
                }
                if (r.chance(10)) line += ", \"until\": " + detail::quote(calendar::to_iso(static_cast<calendar::day>(r.between(first, last + 30))));
                const std::string place = line;
                const std::string fields = kind_fields(k);
                fields_of[id] = fields;
                line += fields + "}";
                entity_lines.push_back(line);
                of_kind[k].push_back(id);
                all_entities.push_back(id);
                const bool retired = r.chance(8);
                if (retired) {
                    // A later version retiring the entity mid-plan (under another parent, which
                    // may not be registered yet when it comes).
                    const std::string& then = candidates.empty() ? parent : r.pick(candidates);
                    entity_lines.push_back("{\"entity\": " + detail::quote(id) + ", \"kind\": " + detail::quote(plan.kinds[k].id) +
                                           (then.empty() ? "" : ", \"parent\": " + detail::quote(shape.units_leave ? then : parent)) +
                                           ", \"version\": 1, \"until\": " +
                                           detail::quote(calendar::to_iso(static_cast<calendar::day>(r.between(first, last)))) +
                                           same_or_new_fields(id, k) + "}");
                }
                if (!plan.kinds[k].fields.empty() && r.chance(20)) {
                    // A later version in the same place with other field values (coming after
                    // one that moved it, it moves it back too).
                    const int version = shape.units_leave ? static_cast<int>(r.between(2, 3)) : 3;  // 2 may conflict with a move
                    const std::string line = place + ", \"version\": " + std::to_string(version) + kind_fields(k) + "}";
                    if (shape.fields_move_with_place || !retired) {
                        entity_lines.push_back(line);
                        fields_changed.insert(id);
                    }
                }
            }
        }
    }
    // Versions that change the hierarchy under units already placed: a unit with units below
    // it moved under another parent, a kind changed (the units below may no longer be within
    // it), a parent cycle, and a record fed again.
    if (!parent_of.empty() && r.chance(25) && shape.units_leave) {
        const auto& [child, parent] = r.pick(parent_of);
        const bool keep_place = !shape.fields_move_with_place && fields_changed.count(child) > 0;
        std::string kind;
        for (std::size_t k = 0; k < plan.kinds.size(); ++k)
            if (std::find(of_kind[k].begin(), of_kind[k].end(), child) != of_kind[k].end()) kind = plan.kinds[k].id;
        std::vector<std::string> others;
        for (const auto& [c, p] : parent_of)
            if (p != parent && c != child) others.push_back(p);
        if (!others.empty() && !keep_place)
            entity_lines.push_back("{\"entity\": " + detail::quote(child) + ", \"kind\": " + detail::quote(kind) +
                                   ", \"parent\": " + detail::quote(r.pick(others)) + ", \"version\": 2" +
                                   same_or_new_fields(child, kind_index(kind)) + "}");
    }
    if (!parent_of.empty() && r.chance(12) && shape.units_leave) {
        // The parent named as its child's child: both are held, as a cycle.
        const auto& [child, parent] = r.pick(parent_of);
        std::string kind;
        for (std::size_t k = 0; k < plan.kinds.size(); ++k)
            if (std::find(of_kind[k].begin(), of_kind[k].end(), parent) != of_kind[k].end()) kind = plan.kinds[k].id;
        entity_lines.push_back("{\"entity\": " + detail::quote(parent) + ", \"kind\": " + detail::quote(kind) +
                               ", \"parent\": " + detail::quote(child) + ", \"version\": 5" + kind_fields(kind_index(kind)) + "}");
    }
    if (!parent_of.empty() && plan.kinds.size() > 1 && r.chance(12) && shape.units_leave) {
        // A parent becomes a unit of another kind, at the top.
        const std::string& parent = r.pick(parent_of).second;
        const std::size_t k = r.below(plan.kinds.size());
        entity_lines.push_back("{\"entity\": " + detail::quote(parent) + ", \"kind\": " + detail::quote(plan.kinds[k].id) +
                               ", \"version\": 4" + kind_fields(k) + "}");
    }
    if (!entity_lines.empty() && r.chance(20)) {
        const std::string again = r.pick(entity_lines);
        entity_lines.push_back(again);
    }
    if (all_entities.empty()) all_entities.push_back("nobody");
    if (r.chance(20)) entity_lines.push_back("{\"entity\": \"orphan\", \"kind\": " + detail::quote(plan.kinds.front().id) +
                                             ", \"parent\": \"missing_parent\"" + kind_fields(0) + "}");
    if (r.chance(15) && !entity_lines.empty() && shape.units_leave) {
        // Two records of one version that disagree.
        const std::string id = all_entities.front();
        entity_lines.push_back("{\"entity\": " + detail::quote(id) + ", \"kind\": " + detail::quote(plan.kinds.back().id) +
                               kind_fields(plan.kinds.size() - 1) + "}");
    }

    // Events.
    std::vector<std::string> event_lines;
    std::vector<std::string> event_ids;
    // The dates and units events were given, by type (a trigger a waiver may name).
    std::vector<std::vector<std::pair<calendar::day, std::string>>> sent_of_type(plan.events.size());
    const int events = static_cast<int>(r.between(shape.min_events, shape.max_events));
    const check::event_type* previous_type = nullptr;
    calendar::day previous_day = 0;
    for (int i = 0; i < events && !plan.events.empty(); ++i) {
        const check::event_type* picked = &r.pick(plan.events);
        const std::string id = "e" + std::to_string(i);
        auto d = static_cast<calendar::day>(r.between(first - 15, last + 45));
        if (!hot.empty() && r.chance(35)) d = static_cast<calendar::day>(r.pick(hot) + r.between(-3, 3));
        // Hours: now and then another event of the type before, on its day (two triggers a day).
        if (hours_used && previous_type && r.chance(4)) {
            picked = previous_type;
            d = previous_day;
        }
        const auto& type = *picked;
        previous_type = picked;
        previous_day = d;
        std::string time = calendar::to_iso(d);
        if (hours_used) {
            auto two = [](long v) { return std::string(v < 10 ? "0" : "") + std::to_string(v); };
            const std::string hh = two(static_cast<long>(r.below(24))), mm = two(static_cast<long>(r.below(60)));
            const std::string ss = two(static_cast<long>(r.below(60)));
            switch (r.below(7)) {
                case 0: break;  // a date alone: its midnight
                case 1: time += "T" + hh + ":" + mm + ":" + ss + "+08:00"; break;
                case 2: time += "T" + hh + ":" + mm; break;  // local, no seconds
                case 3: time += "T" + two(15 + static_cast<long>(r.below(3))) + ":" + mm + ":" + ss + "Z"; break;  // near local midnight
                case 4: time += "T" + hh + ":" + mm + ":" + ss + (r.chance(2) ? "-05:00" : "+09:30"); break;
                case 5: time += "T" + hh + ":" + mm + ":" + ss + "Z"; break;
                default: time += "T" + two(static_cast<long>(r.below(2)) * 23) + ":" + two(r.chance(2) ? 0 : 59) + ":" + ss; break;  // the edges of a day
            }
        } else {
            switch (r.below(4)) {
                case 0: break;
                case 1: time += "T" + std::to_string(10 + r.below(10)) + ":30:00+08:00"; break;
                case 2: time += "T" + std::string(r.chance(50) ? "16:30:00Z" : "02:15:00Z"); break;
                default: time += "T23:59:00"; break;
            }
        }
        std::string unit = r.chance(3) ? "ghost" : r.pick(all_entities);
        sent_of_type[static_cast<std::size_t>(&type - plan.events.data())].emplace_back(d, unit);
        std::vector<std::string> parts;
        parts.push_back("\"id\": " + detail::quote(id));
        parts.push_back("\"type\": " + detail::quote(type.id));
        parts.push_back("\"time\": " + detail::quote(time));
        parts.push_back("\"unit\": " + detail::quote(unit));
        for (std::size_t f = check::first_declared_field; f < type.fields.size(); ++f) {
            const auto& field = type.fields[f];
            if (field.optional && r.chance(30)) continue;
            auto scalar = [&](check::type_kind k, const std::vector<int>& kinds) -> std::string {
                switch (k) {
                    case check::type_kind::integer: return std::to_string(r.between(0, 20));
                    case check::type_kind::number: {
                        const std::int64_t cents = r.between(0, 20000);
                        return std::to_string(cents / 100) + "." + std::to_string(cents % 100 / 10) + std::to_string(cents % 10);
                    }
                    case check::type_kind::boolean: return r.chance(60) ? "true" : "false";
                    case check::type_kind::text: return detail::quote(r.pick(texts));
                    case check::type_kind::date: return detail::quote(calendar::to_iso(static_cast<calendar::day>(r.between(first, last))));
                    case check::type_kind::ref: {
                        std::vector<std::string> candidates;
                        for (int k2 : kinds) candidates.insert(candidates.end(), of_kind[static_cast<std::size_t>(k2)].begin(), of_kind[static_cast<std::size_t>(k2)].end());
                        if (candidates.empty() || r.chance(4)) return detail::quote(r.pick(all_entities));  // perhaps a wrong kind
                        return detail::quote(r.pick(candidates));
                    }
                    default: return "null";
                }
            };
            std::string value;
            if (field.t.kind == check::type_kind::set) {
                value = "[";
                const int n = static_cast<int>(r.between(0, 3));
                for (int m = 0; m < n; ++m) value += (m ? ", " : "") + scalar(field.t.element, field.t.kinds);
                value += "]";
            } else {
                value = scalar(field.t.kind, field.t.kinds);
            }
            if (r.chance(2)) value = "\"wrong type\"";
            parts.push_back(detail::quote(field.id) + ": " + value);
        }
        if (r.chance(5)) parts.push_back("\"colour\": \"red\"");
        auto render = [&](std::vector<std::string> p) {
            std::string line = "{";
            for (std::size_t k = 0; k < p.size(); ++k) line += (k ? ", " : "") + p[k];
            return line + "}";
        };
        event_lines.push_back(render(parts));
        event_ids.push_back(id);
        if (r.chance(8)) {
            // The same event again, keys in another order.
            std::vector<std::string> shuffled = parts;
            std::reverse(shuffled.begin(), shuffled.end());
            event_lines.push_back(render(shuffled));
        }
        if (r.chance(3) && parts.size() > 4) {
            // The same id with other content: a conflict.
            std::vector<std::string> other = parts;
            other[2] = "\"time\": " + detail::quote(calendar::to_iso(d + 1));
            event_lines.push_back(render(other));
        }
    }
    // Windows bounded by events: starts at units high and low, most closed a few days later by an
    // end at the same unit, some by an end at another unit (which closes nothing of theirs) or
    // before them, some never; a few starts retracted (their windows go). Start and end types
    // with declared fields of their own are left to the random events above.
    std::vector<std::string> window_retractions;
    std::vector<calendar::day> window_starts;
    for (const auto& [start_type, end_type] : window_types) {
        const auto& st = plan.events[static_cast<std::size_t>(start_type)];
        const auto& en = plan.events[static_cast<std::size_t>(end_type)];
        if (st.fields.size() > check::first_declared_field || en.fields.size() > check::first_declared_field) continue;
        const int starts = static_cast<int>(r.between(1, 5));
        for (int k = 0; k < starts; ++k) {
            const std::string id = "win" + std::to_string(start_type) + "_" + std::to_string(k);
            const std::string unit = r.pick(all_entities);
            const auto d = static_cast<calendar::day>(r.between(first, last));
            window_starts.push_back(d);
            event_lines.push_back("{\"id\": " + detail::quote(id) + ", \"type\": " + detail::quote(st.id) + ", \"time\": " +
                                  detail::quote(calendar::to_iso(d)) + ", \"unit\": " + detail::quote(unit) + "}");
            event_ids.push_back(id);
            const auto pick = r.below(100);
            if (pick < 70) {
                // An end: at the same unit mostly, now and then at another, or dated before the start.
                const std::string at = pick < 58 ? unit : r.pick(all_entities);
                const auto to = static_cast<calendar::day>(pick < 64 ? d + r.between(0, 14) : d - r.between(1, 5));
                event_lines.push_back("{\"id\": " + detail::quote(id + "_end") + ", \"type\": " + detail::quote(en.id) +
                                      ", \"time\": " + detail::quote(calendar::to_iso(to)) + ", \"unit\": " + detail::quote(at) + "}");
                event_ids.push_back(id + "_end");
            }
            if (r.chance(20)) window_retractions.push_back("{\"retract\": " + detail::quote(id) + "}");
        }
    }

    // Waivers: an excuse or an extension of a bucket of a random obligation and unit. The
    // period is a date inside one of the schedule's buckets, or a trigger's date (for `before`,
    // the first day of the bucket it opens), or any date; the extension's end lies after the
    // bucket's (now and then not: rejected). Some name an outcome, no obligation, a unit of
    // another kind or none registered, lack a field or have both kinds; some come twice, in
    // conflict, or under an event's id; some are retracted.
    std::vector<std::string> waiver_lines;
    std::vector<int> obligations;
    for (std::size_t q = 0; q < plan.rules.size(); ++q)
        // (Waivers of hour buckets are left out: the reference does not cover them.)
        if (!plan.rules[q].outcome &&
            !(plan.rules[q].per.unit == calendar::period_unit::hour && plan.rules[q].schedule == check::schedule_kind::every) &&
            !((plan.rules[q].schedule == check::schedule_kind::after || plan.rules[q].schedule == check::schedule_kind::before) &&
              plan.rules[q].within.unit == calendar::time_unit::hour))
            obligations.push_back(static_cast<int>(q));
    const int waivers = obligations.empty() || r.chance(25) ? 0 : static_cast<int>(r.between(1, shape.max_waivers));
    for (int i = 0; i < waivers; ++i) {
        const check::rule& rule = plan.rules[static_cast<std::size_t>(r.pick(obligations))];
        const std::string id = !event_ids.empty() && r.chance(3) ? r.pick(event_ids) : "w" + std::to_string(i);
        std::vector<std::string> parts;
        parts.push_back("\"waiver\": " + detail::quote(id));
        std::string name = rule.id;
        if (r.chance(3)) {
            name = "no_such_obligation";
        } else if (r.chance(3)) {
            for (const auto& other : plan.rules)
                if (other.outcome) name = other.id;
        }
        if (!r.chance(2)) parts.push_back("\"obligation\": " + detail::quote(name));
        // The unit: one of the kinds the obligation is for, rarely another, one never
        // registered, or none.
        std::vector<std::string> units;
        for (int k : rule.unit_kinds) units.insert(units.end(), of_kind[static_cast<std::size_t>(k)].begin(), of_kind[static_cast<std::size_t>(k)].end());
        std::string unit = units.empty() || r.chance(5) ? r.pick(all_entities) : r.pick(units);
        if (r.chance(3)) unit = "ghost";
        // The period, and the end of the bucket it names (as far as the stream can tell).
        const calendar::day wf = rule.window_from, wt = rule.window_to;
        calendar::day period = static_cast<calendar::day>(r.between(first - 10, last + 10));
        std::optional<calendar::day> end;
        if (rule.schedule == check::schedule_kind::after || rule.schedule == check::schedule_kind::before) {
            if (rule.trig.outcome) {
                // An outcome's trigger is dated the day its bucket turns final: early in a month.
                if (r.chance(60)) period = calendar::month_start(period) + static_cast<calendar::day>(r.below(6));
            } else if (rule.trig.registered) {
                // A unit's registration date.
                std::vector<std::pair<std::string, calendar::day>> registered;
                for (const auto& u : units)
                    if (since_of.count(u)) registered.emplace_back(u, since_of[u]);
                if (!registered.empty() && r.chance(75)) {
                    const auto& [u, d] = r.pick(registered);
                    period = d;
                    unit = u;
                }
            } else if (rule.trig.target >= 0) {
                // An event of the trigger's type, and its unit (the bucket is that unit's, or
                // one above it).
                const auto& sent = sent_of_type[static_cast<std::size_t>(rule.trig.target)];
                if (!sent.empty() && r.chance(75)) {
                    const auto& [d, u] = r.pick(sent);
                    period = d;
                    if (std::find(units.begin(), units.end(), u) != units.end() && r.chance(80)) unit = u;
                }
            }
            if (period >= wf && period <= wt) {
                const bool workdays = rule.within.unit == calendar::time_unit::workday;
                const calendar::workday_calendar* cal = plan.workdays.get();
                if (rule.schedule == check::schedule_kind::after) {
                    end = std::min(workdays ? calendar::shift(period, rule.within, +1, cal) : calendar::shift(period, rule.within, +1) - 1, wt);
                } else {
                    // Named by its first day, the window's start when the window cuts it.
                    const calendar::day from =
                        std::max(workdays ? calendar::shift(period, rule.within, -1, cal) : calendar::shift(period, rule.within, -1) + 1, wf);
                    end = period;
                    period = from;
                }
            }
        } else if (rule.event_phase >= 0) {
            // A day of a window (its buckets are not known before the events).
            if (!window_starts.empty() && r.chance(75)) period = static_cast<calendar::day>(r.pick(window_starts) + r.between(0, 6));
        } else if (r.chance(85)) {
            const auto laid = check::rule_buckets(rule, plan.week_start);
            if (!laid.empty()) {
                const calendar::bucket& b = r.pick(laid);
                // A date of its period (a bucket with `due ... after` is shown after its period).
                period = static_cast<calendar::day>(r.between(std::min(b.visible, b.to), b.to));
                end = check::counted_days(rule, b.from, b.to).to;  // its due range's end, with `due`
            }
        }
        if (rule.schedule == check::schedule_kind::before && period == wf) ++period;
        if ((!rule.var.empty() || r.chance(4)) && !r.chance(3)) parts.push_back("\"unit\": " + detail::quote(unit));
        if (!r.chance(2)) parts.push_back("\"period\": " + detail::quote(calendar::to_iso(period)));
        // An excuse or an extension (rarely both, neither, or an excuse that is false).
        const calendar::day base = end.value_or(period);
        const auto pick = r.below(100);
        const bool excuse = pick < 45 || pick >= 96;
        const bool extension = (pick >= 45 && pick < 94) || pick >= 98;
        if (excuse) parts.push_back(std::string("\"excuse\": ") + (r.chance(4) ? "false" : "true"));
        if (extension) {
            const calendar::day to = r.chance(8) ? base - static_cast<calendar::day>(r.below(3)) : base + static_cast<calendar::day>(r.between(1, 45));
            parts.push_back("\"extend_to\": " + detail::quote(calendar::to_iso(to)));
        }
        if (r.chance(80)) parts.push_back("\"reason\": " + detail::quote(r.chance(80) ? "flood" : "works"));
        if (r.chance(40)) parts.push_back("\"approved_by\": \"office\"");
        if (r.chance(5)) parts.push_back("\"note\": \"n\"");
        auto render = [&](const std::vector<std::string>& p) {
            std::string line = "{";
            for (std::size_t k = 0; k < p.size(); ++k) line += (k ? ", " : "") + p[k];
            return line + "}";
        };
        waiver_lines.push_back(render(parts));
        if (r.chance(8)) {
            // The same waiver again, keys in another order.
            std::vector<std::string> shuffled = parts;
            std::reverse(shuffled.begin(), shuffled.end());
            waiver_lines.push_back(render(shuffled));
        }
        if (r.chance(4)) {
            // The same id with another reason: a conflict.
            std::vector<std::string> other = parts;
            other.push_back("\"approved_by\": \"someone else\"");
            other.erase(std::remove_if(other.begin(), other.end(), [&](const std::string& x) { return x == "\"approved_by\": \"office\""; }),
                        other.end());
            waiver_lines.push_back(render(other));
        }
        if (r.chance(15)) waiver_lines.push_back("{\"retract\": " + detail::quote(id) + "}");
    }

    std::vector<std::string> extra;
    for (int i = 0; i < events / 15; ++i) {
        if (!event_ids.empty()) extra.push_back("{\"retract\": " + detail::quote(r.pick(event_ids)) + "}");
    }
    extra.insert(extra.end(), window_retractions.begin(), window_retractions.end());
    if (r.chance(30)) extra.push_back("{\"retract\": \"never_sent\"}");
    if (r.chance(30)) extra.push_back("{\"id\": \"broken\", \"type\": ");
    if (r.chance(20)) extra.push_back("{\"id\": \"u1\", \"type\": \"no_such_type\", \"time\": \"2023-05-01\", \"unit\": \"x\"}");

    // Arrival order: sometimes entities first, sometimes everything mixed.
    lines = entity_lines;
    lines.insert(lines.end(), event_lines.begin(), event_lines.end());
    lines.insert(lines.end(), waiver_lines.begin(), waiver_lines.end());
    lines.insert(lines.end(), extra.begin(), extra.end());
    if (r.chance(60)) {
        for (std::size_t i = lines.size(); i > 1; --i) std::swap(lines[i - 1], lines[r.below(i)]);
    }
    return lines;
}

// As-of dates worth asking about for a plan: inside, at the edges, and after.
inline std::vector<calendar::day> random_dates(const check::plan& plan, std::uint64_t seed, int count) {
    rng r(seed ^ 0xA5A5A5A5u);
    const calendar::day first = plan.has_span ? plan.span_from : calendar::from_ymd(2023, 1, 1);
    const calendar::day last = plan.has_span ? plan.span_to : calendar::from_ymd(2023, 12, 31);
    std::vector<calendar::day> out;
    for (int i = 0; i < count; ++i) out.push_back(static_cast<calendar::day>(r.between(first, last + 70)));
    return out;
}

}  // namespace mandate::testing
