// The engine: keeps the record store and per-source indexes current as records arrive, and
// evaluates the compiled graph as of a date into a report.
#include "mandate/eval/engine.hpp"

#include <algorithm>
#include <cstring>
#include <istream>
#include <map>
#include <unordered_map>
#include <tuple>
#include <unordered_set>

#include "mandate/io/csv.hpp"
#include "mandate/io/records.hpp"
#include "state_file.hpp"
#include "store.hpp"
#include "typed_reader.hpp"

namespace mandate {

using namespace eval;
using graph::node;
using graph::node_id;
using graph::node_kind;
using graph::no_node;

const char* to_string(status s) {
    switch (s) {
        case status::pending: return "pending";
        case status::satisfied: return "satisfied";
        case status::violated: return "violated";
    }
    return "?";
}

std::string reported_value::to_string() const {
    switch (k) {
        case kind::null: return "null";
        case kind::number: return number.to_string();
        case kind::days: return number.to_string();
        case kind::date: return calendar::to_iso(date);
        case kind::boolean: return boolean ? "true" : "false";
    }
    return "null";
}

namespace {

// ---------------------------------------------------------------- runtime values

struct val {
    enum class kind : std::uint8_t { undef, boolean, number, date, duration, str };
    kind k = kind::undef;
    bool b = false;
    rational n;          // number
    std::int64_t i = 0;  // date day, duration days, string id

    static val undef() { return {}; }
    static val boolean(bool v) {
        val x;
        x.k = kind::boolean;
        x.b = v;
        return x;
    }
    static val number(rational v) {
        val x;
        x.k = kind::number;
        x.n = v;
        return x;
    }
    static val date(std::int64_t d) {
        val x;
        x.k = kind::date;
        x.i = d;
        return x;
    }
    static val days(std::int64_t d) {
        val x;
        x.k = kind::duration;
        x.i = d;
        return x;
    }
    static val str(std::int64_t id) {
        val x;
        x.k = kind::str;
        x.i = id;
        return x;
    }
    bool truthy() const { return k == kind::boolean && b; }
};

reported_value to_reported(const val& v) {
    reported_value r;
    switch (v.k) {
        case val::kind::undef:
        case val::kind::str: break;
        case val::kind::boolean:
            r.k = reported_value::kind::boolean;
            r.boolean = v.b;
            break;
        case val::kind::number:
            r.k = reported_value::kind::number;
            r.number = v.n;
            break;
        case val::kind::date:
            r.k = reported_value::kind::date;
            r.date = static_cast<calendar::day>(v.i);
            break;
        case val::kind::duration:
            r.k = reported_value::kind::days;
            r.number = rational(v.i);
            break;
    }
    return r;
}

struct entry {
    day d;
    std::uint32_t row;
    bool operator<(const entry& o) const { return d < o.d || (d == o.d && row < o.row); }
    bool operator==(const entry& o) const { return d == o.d && row == o.row; }
};

// Values keyed by entity index (or `none`). Entities are numbered densely, so a vector of
// value numbers, 4 bytes an entity, finds one without hashing; only entities that have a value
// hold one.
template <class T>
class entity_map {
public:
    T& operator[](std::uint32_t e) {
        if (e == none) {
            if (none_at_ == none) {
                none_at_ = static_cast<std::uint32_t>(values_.size());
                values_.emplace_back();
            }
            return values_[none_at_];
        }
        if (e >= at_.size()) at_.resize(std::max<std::size_t>(std::size_t{e} + 1, at_.size() * 3 / 2 + 16), none);
        if (at_[e] == none) {
            at_[e] = static_cast<std::uint32_t>(values_.size());
            values_.emplace_back();
        }
        return values_[at_[e]];
    }
    const T* find(std::uint32_t e) const {
        const std::uint32_t at = e == none ? none_at_ : e < at_.size() ? at_[e] : none;
        return at != none ? &values_[at] : nullptr;
    }
    void clear() {
        at_.clear();
        none_at_ = none;
        values_.clear();
    }
    // Every value held, in no particular order.
    std::vector<T>& values() { return values_; }

private:
    std::vector<std::uint32_t> at_;  // entity index -> index into values_, or none
    std::uint32_t none_at_ = none;   // the value of `none` (the plan, for rules without `each`)
    std::vector<T> values_;
};

// Events of one source, in date order: per scope unit when scoped, else all together.
struct source_index {
    entity_map<std::vector<entry>> by_unit;
    std::vector<entry> all;
    bool sorted = true;

    const std::vector<entry>* find(std::uint32_t unit, bool scoped) const {
        if (!scoped) return &all;
        return by_unit.find(unit);
    }
};

// For coverage: the events naming each entity, per (source, field).
struct coverage_index {
    int source = -1;
    int field = -1;
    entity_map<std::vector<entry>> by_target;
    bool sorted = true;
};

void push_sorted(std::vector<entry>& list, entry e, bool& sorted) {
    if (!list.empty() && e < list.back()) sorted = false;
    list.push_back(e);
}

// The id of a line that starts {"id":"...", as JSON Lines writers commonly put it, found
// without parsing: only a hint for prefetching where interning it will probe. Empty when the
// line starts any other way (it is then simply not prefetched).
std::string_view leading_id(const char* p, const char* end) {
    static constexpr char head[] = "{\"id\":\"";
    constexpr std::size_t n = sizeof head - 1;
    if (static_cast<std::size_t>(end - p) < n || std::memcmp(p, head, n) != 0) return {};
    const char* const begin = p + n;
    const char* q = begin;
    while (q < end && q - begin < 128 && *q != '"' && *q != '\\') ++q;
    if (q == end || *q != '"') return {};
    return {begin, static_cast<std::size_t>(q - begin)};
}

std::pair<std::vector<entry>::const_iterator, std::vector<entry>::const_iterator> range_of(const std::vector<entry>& list,
                                                                                            day from, day to) {
    auto lo = std::lower_bound(list.begin(), list.end(), entry{from, 0});
    auto hi = std::lower_bound(lo, list.end(), entry{to == INT_MAX ? to : to + 1, 0});
    return {lo, hi};
}

}  // namespace

// ---------------------------------------------------------------- engine state

struct engine_state {
    engine_state(std::shared_ptr<const graph::compiled_plan> p, engine_options o)
        : plan(std::move(p)), model(plan->model()), options(o), st(model), parser(model, o.limits),
          typed(model, o.limits.max_field_bytes) {
        sources.resize(plan->sources().size());
        sources_of_type.resize(model.events.size());
        for (std::size_t s = 0; s < plan->sources().size(); ++s)
            sources_of_type[static_cast<std::size_t>(plan->sources()[s].event)].push_back(static_cast<int>(s));
        coverage_of_node.assign(plan->nodes().size(), -1);
        literal_ids.assign(plan->nodes().size(), no_string);
        for (std::size_t n = 0; n < plan->nodes().size(); ++n) {
            const node& x = plan->nodes()[n];
            if (x.kind == node_kind::constant && x.type.kind == check::type_kind::text)
                literal_ids[n] = st.strings.intern(x.value.text);
            if (x.kind == node_kind::aggregate && x.op == check::op::coverage) {
                int found = -1;
                for (std::size_t c = 0; c < coverages.size(); ++c)
                    if (coverages[c].source == x.source && coverages[c].field == x.field) found = static_cast<int>(c);
                if (found < 0) {
                    coverage_index ci;
                    ci.source = x.source;
                    ci.field = x.field;
                    coverages.push_back(std::move(ci));
                    found = static_cast<int>(coverages.size() - 1);
                }
                coverage_of_node[n] = found;
            }
        }
        coverages_of_type.resize(model.events.size());
        for (std::size_t c = 0; c < coverages.size(); ++c)
            coverages_of_type[static_cast<std::size_t>(plan->sources()[static_cast<std::size_t>(coverages[c].source)].event)]
                .push_back(static_cast<int>(c));
    }

    std::shared_ptr<const graph::compiled_plan> plan;
    const check::plan& model;
    engine_options options;
    eval::store st;
    io::record_parser parser;
    eval::typed_reader typed;     // typed records, checked as the parser checks JSON
    io::parsed_record typed_record;
    std::string last_error;

    std::vector<source_index> sources;
    std::vector<std::vector<int>> sources_of_type;
    std::vector<coverage_index> coverages;
    std::vector<std::vector<int>> coverages_of_type;
    std::vector<int> coverage_of_node;
    std::vector<string_id> literal_ids;
    bool indexes_built = false;

    std::map<int, engine::subscriber> subscribers;
    int next_token = 1;
    std::optional<day> watch_date;
    // The state subscribers last heard of, bucket by bucket.
    struct bucket_key {
        bool outcome;
        std::string rule;
        std::optional<std::string> unit;
        day from, to;
        bool operator<(const bucket_key& o) const {
            return std::tie(outcome, rule, unit, from, to) < std::tie(o.outcome, o.rule, o.unit, o.from, o.to);
        }
    };
    std::map<bucket_key, status_change> snapshot;

    // ------------------------------------------------------------ event-level evaluation

    val field_value(int type, std::uint32_t row, int field) const {
        const table& t = st.tables[static_cast<std::size_t>(type)];
        switch (field) {
            case check::field_id: return val::str(t.id[row]);
            case check::field_time: return val::date(t.date[row]);
            case check::field_unit: return val::str(t.unit[row]);
            default: break;
        }
        const column& c = t.columns[static_cast<std::size_t>(field)];
        if (!c.present[row]) return val::undef();
        return stored_value(c.kind, c.value[row]);
    }

    // A value as a column (or a set's members) stores it: numbers in millionths, texts and refs
    // as string ids.
    static val stored_value(check::type_kind kind, std::int64_t v) {
        switch (kind) {
            case check::type_kind::integer: return val::number(rational(v));
            case check::type_kind::number: return val::number(rational(v, io::number_scale));
            case check::type_kind::boolean: return val::boolean(v != 0);
            case check::type_kind::date: return val::date(v);
            case check::type_kind::text:
            case check::type_kind::ref: return val::str(v);
            default: return val::undef();
        }
    }

    val constant(node_id id) const {
        const node& n = plan->at(id);
        switch (n.type.kind) {
            case check::type_kind::boolean: return val::boolean(n.value.boolean);
            case check::type_kind::integer:
            case check::type_kind::number: return val::number(n.value.number);
            case check::type_kind::date: return val::date(n.value.date);
            case check::type_kind::duration: return val::days(n.value.length.days());
            case check::type_kind::text: return val::str(literal_ids[static_cast<std::size_t>(id)]);
            default: return val::undef();
        }
    }

    // Whether x equals an item of a literal list (as `==` would say): a lookup in the set the
    // compiled plan built, not a scan of the items.
    bool in_list(const node& list, const val& x) const {
        const check::member_set& m = *list.members;
        switch (x.k) {
            case val::kind::str: return m.has_text(st.text(static_cast<string_id>(x.i)));
            case val::kind::number: return m.has_number(x.n);
            case val::kind::date: return m.has_date(x.i);
            case val::kind::duration: return m.has_days(x.i);
            case val::kind::boolean: return m.has_boolean(x.b);
            default: return false;
        }
    }

    // Evaluates a node that reads one event (filters, all/any predicates).
    val event_eval(node_id id, int type, std::uint32_t row, std::uint32_t unit) const {
        const node& n = plan->at(id);
        switch (n.kind) {
            case node_kind::constant: return constant(id);
            case node_kind::field: return field_value(type, row, n.field);
            case node_kind::unit_var: return unit == none ? val::undef() : val::str(st.entities[unit].id);
            case node_kind::unary: {
                const val a = event_eval(n.args[0], type, row, unit);
                return unary(n.op, a);
            }
            case node_kind::binary: {
                if (n.op == check::op::and_ || n.op == check::op::or_) {
                    const bool a = event_eval(n.args[0], type, row, unit).truthy();
                    if (n.op == check::op::and_ && !a) return val::boolean(false);
                    if (n.op == check::op::or_ && a) return val::boolean(true);
                    return val::boolean(event_eval(n.args[1], type, row, unit).truthy());
                }
                bool undefined = false;
                return binary(n.op, event_eval(n.args[0], type, row, unit), event_eval(n.args[1], type, row, unit), undefined);
            }
            case node_kind::in: {
                const val x = event_eval(n.args[0], type, row, unit);
                if (x.k == val::kind::undef) return val::boolean(false);
                const node& rhs = plan->at(n.args[1]);
                if (rhs.kind == node_kind::list) return val::boolean(in_list(rhs, x));
                // A set field on the right.
                const table& t = st.tables[static_cast<std::size_t>(type)];
                const column& c = t.columns[static_cast<std::size_t>(rhs.field)];
                if (!c.present[row]) return val::boolean(false);
                for (std::uint32_t m = c.set_begin[row]; m < c.set_end[row]; ++m) {
                    bool undefined = false;
                    if (binary(check::op::eq, x, stored_value(c.element, t.members[m]), undefined).truthy())
                        return val::boolean(true);
                }
                return val::boolean(false);
            }
            default: return val::undef();
        }
    }

    static val unary(check::op op, const val& a) {
        if (op == check::op::not_) return val::boolean(!a.truthy());
        if (a.k == val::kind::number) {
            try {
                return val::number(-a.n);
            } catch (const arithmetic_overflow&) {
                return val::undef();
            }
        }
        if (a.k == val::kind::duration) return val::days(-a.i);
        return val::undef();
    }

    // Arithmetic and comparison. A comparison with an undefined side is false and sets
    // `undefined`; arithmetic with one is undefined.
    static val binary(check::op op, const val& a, const val& b, bool& undefined) {
        if (check::is_comparison(op)) {
            if (a.k == val::kind::undef || b.k == val::kind::undef) {
                undefined = true;
                return val::boolean(false);
            }
            int c = 0;
            if (a.k == val::kind::number && b.k == val::kind::number) {
                c = compare(a.n, b.n);
            } else if (a.k == val::kind::boolean && b.k == val::kind::boolean) {
                c = a.b == b.b ? 0 : 1;
            } else if (a.k == b.k) {
                c = a.i < b.i ? -1 : (a.i > b.i ? 1 : 0);
            } else {
                return val::boolean(false);
            }
            switch (op) {
                case check::op::eq: return val::boolean(c == 0);
                case check::op::ne: return val::boolean(c != 0);
                case check::op::lt: return val::boolean(c < 0);
                case check::op::le: return val::boolean(c <= 0);
                case check::op::gt: return val::boolean(c > 0);
                case check::op::ge: return val::boolean(c >= 0);
                default: return val::boolean(false);
            }
        }
        if (a.k == val::kind::undef || b.k == val::kind::undef) return val::undef();
        try {
            if (a.k == val::kind::number && b.k == val::kind::number) {
                switch (op) {
                    case check::op::add: return val::number(a.n + b.n);
                    case check::op::sub: return val::number(a.n - b.n);
                    case check::op::mul: return val::number(a.n * b.n);
                    case check::op::div:
                        if (b.n == rational(0)) return val::undef();
                        return val::number(a.n / b.n);
                    default: break;
                }
            }
            if (a.k == val::kind::duration && b.k == val::kind::duration)
                return op == check::op::add ? val::days(a.i + b.i) : val::days(a.i - b.i);
            if (a.k == val::kind::date && b.k == val::kind::duration)
                return op == check::op::add ? val::date(a.i + b.i) : val::date(a.i - b.i);
            if (a.k == val::kind::date && b.k == val::kind::date) return val::days(a.i - b.i);
        } catch (const arithmetic_overflow&) {
            return val::undef();
        } catch (const std::domain_error&) {
            return val::undef();
        }
        return val::undef();
    }

    // ------------------------------------------------------------ indexes

    bool passes_filter(const graph::source& s, int type, std::uint32_t row) const {
        if (s.filter == no_node || s.filter_uses_unit) return true;
        return event_eval(s.filter, type, row, none).truthy();
    }

    // Calls place(list, sorted_flag) for every index list a row belongs in: its sources (per
    // ancestor-or-self of its unit when scoped) and the coverage lists of the entities it names.
    // Indexing and unindexing walk the same places.
    template <class Place>
    void places_of(int type, std::uint32_t row, Place&& place) {
        const table& t = st.tables[static_cast<std::size_t>(type)];
        for (int s : sources_of_type[static_cast<std::size_t>(type)]) {
            const graph::source& src = plan->sources()[static_cast<std::size_t>(s)];
            if (!passes_filter(src, type, row)) continue;
            source_index& index = sources[static_cast<std::size_t>(s)];
            if (src.scoped) {
                // Every ancestor-or-self of the event's unit whose kind some instance has.
                for (std::uint32_t e = t.unit_entity[row], guard = 0; e != none && guard <= store::max_depth;
                     e = st.entities[e].parent, ++guard) {
                    const int kind = st.entities[e].kind;
                    if (std::find(src.scope_kinds.begin(), src.scope_kinds.end(), kind) != src.scope_kinds.end())
                        place(index.by_unit[e], index.sorted);
                }
            } else {
                place(index.all, index.sorted);
            }
        }
        for (int c_index : coverages_of_type[static_cast<std::size_t>(type)]) {
            coverage_index& ci = coverages[static_cast<std::size_t>(c_index)];
            if (!passes_filter(plan->sources()[static_cast<std::size_t>(ci.source)], type, row)) continue;
            auto target = [&](std::int64_t id) {
                const std::uint32_t e = st.entity_of.get(static_cast<string_id>(id));
                if (e != none) place(ci.by_target[e], ci.sorted);
            };
            if (ci.field == check::field_unit) {  // built-in: not a column
                target(t.unit[row]);
                continue;
            }
            const column& c = t.columns[static_cast<std::size_t>(ci.field)];
            if (!c.present[row]) continue;
            if (c.kind == check::type_kind::set) {
                for (std::uint32_t m = c.set_begin[row]; m < c.set_end[row]; ++m) target(t.members[m]);
            } else {
                target(c.value[row]);
            }
        }
    }

    void index_row(int type, std::uint32_t row) {
        const entry e{st.tables[static_cast<std::size_t>(type)].date[row], row};
        places_of(type, row, [&](std::vector<entry>& list, bool& sorted) { push_sorted(list, e, sorted); });
    }

    void unindex_row(int type, std::uint32_t row) {
        const entry e{st.tables[static_cast<std::size_t>(type)].date[row], row};
        places_of(type, row, [&](std::vector<entry>& list, bool& sorted) {
            auto it = sorted ? std::lower_bound(list.begin(), list.end(), e) : std::find(list.begin(), list.end(), e);
            if (it != list.end() && it->d == e.d && it->row == e.row) list.erase(it);
        });
    }

    void clear_indexes() {
        for (auto& s : sources) {
            s.by_unit.clear();
            s.all.clear();
            s.sorted = true;
        }
        for (auto& c : coverages) {
            c.by_target.clear();
            c.sorted = true;
        }
        indexes_built = false;
    }

    void build_indexes() {
        clear_indexes();
        for (std::size_t t = 0; t < st.tables.size(); ++t)
            for (std::uint32_t row = 0; row < st.tables[t].size(); ++row)
                if (st.tables[t].counts(row)) index_row(static_cast<int>(t), row);
        indexes_built = true;
    }

    // Brings the hierarchy and the indexes up to date, and sorts what arrived out of order.
    void prepare() {
        if (st.hierarchy_dirty) {
            st.resolve();
            indexes_built = false;
        }
        if (!indexes_built) build_indexes();
        for (auto& s : sources) {
            if (s.sorted) continue;
            std::sort(s.all.begin(), s.all.end());
            for (auto& list : s.by_unit.values()) std::sort(list.begin(), list.end());
            s.sorted = true;
        }
        for (auto& c : coverages) {
            if (c.sorted) continue;
            for (auto& list : c.by_target.values()) std::sort(list.begin(), list.end());
            c.sorted = true;
        }
    }

    // Keeps built indexes current; with the hierarchy being changed they are rebuilt later anyway.
    void apply_effect(const store::event_effect& effect) {
        if (!indexes_built || st.hierarchy_dirty) return;
        if (effect.removed_row != none) unindex_row(effect.removed_type, effect.removed_row);
        if (effect.applied_row != none) index_row(effect.applied_type, effect.applied_row);
    }

    // ------------------------------------------------------------ adding records

    // A record rejected before it could be parsed into one (cut short, too long, a CSV row
    // that does not fit its header), or by the parser: counted and listed with its reason.
    add_status reject(std::uint32_t source, std::uint64_t line, std::string reason) {
        ++st.records_read;
        last_error = std::move(reason);
        st.parse_rejections.emplace_back(location{source, line}, last_error);
        return add_status::rejected;
    }

    // `explain`: work out why a record is rejected when that is known on arrival (add()'s
    // answer); bulk loads do not ask, and the report counts rejections either way.
    add_status add_parsed(bool ok, std::uint32_t source, std::uint64_t line, bool explain = true) {
        return add_record(ok ? &parser.record() : nullptr, parser.error(), source, line, explain);
    }

    // A typed record: `read` fills the parsed record the store takes, or says why not.
    template <class Read>
    add_status add_typed(std::string_view source, std::uint64_t line, Read&& read) {
        const std::uint32_t source_index = st.source_index(source);
        std::string error;
        const bool ok = read(typed_record, error);
        const add_status result = add_record(ok ? &typed_record : nullptr, error, source_index, line);
        notify();
        return result;
    }

    // A record read from JSON or from typed values, or (null) one rejected with `error`.
    add_status add_record(const io::parsed_record* record, const std::string& error, std::uint32_t source,
                          std::uint64_t line, bool explain = true) {
        if (!record) return reject(source, line, error);
        // A new entity past max_entities is turned away (rejected, so still counted).
        if (record->kind == io::record_kind::entity && st.entities.size() >= options.limits.max_entities &&
            st.entity_of.get(st.strings.find(record->entity)) == none)
            return reject(source, line,
                          "entity '" + std::string(record->entity) + "' would be one more than the limit of " +
                              std::to_string(options.limits.max_entities) + " entities (max_entities)");
        const location where{source, line};
        ++st.records_read;
        last_error.clear();
        const io::parsed_record& r = *record;
        switch (r.kind) {
            case io::record_kind::entity:
                st.add_entity(r, where);
                indexes_built = false;
                if (explain) last_error = entity_rejection(r);
                break;
            case io::record_kind::retraction: apply_effect(st.add_retraction(r.retract)); break;
            case io::record_kind::event:
            {
                const store::event_effect effect = st.add_event(r, where);
                apply_effect(effect);
                if (explain) last_error = event_rejection(r.id, effect.slot);
            }
                break;
        }
        return last_error.empty() ? add_status::accepted : add_status::rejected;
    }

    // Why an event just added is rejected, when that is known already: its id is in conflict,
    // or a ref names an entity of the wrong kind. Empty otherwise.
    std::string event_rejection(std::string_view id, std::uint32_t slot) const {
        if (slot == none) return {};
        const event_slot& s = st.slots[slot];
        if (s.conflict) return id_conflict_reason(id);
        if (s.row == none) return {};
        const table& t = st.tables[static_cast<std::size_t>(s.type)];
        if (!st.hierarchy_dirty) return t.state[s.row] == row_state::rejected_ref ? t.bad_ref.at(s.row) : std::string();
        // The hierarchy is being changed by entity records: judge this row's refs on the spot.
        std::string why;
        st.for_each_ref(s.type, s.row, [&](std::size_t f, string_id id) {
            why = st.wrong_kind(s.type, f, id, false);
            return !why.empty();
        });
        return why;
    }

    // Why an entity record just added is rejected, when that is known already: another record
    // of its version disagrees, or its parent is registered with a kind it may not be within.
    std::string entity_rejection(const io::parsed_record& r) const {
        const entity& e = st.entities[st.entity_of.get(st.strings.find(r.entity))];
        const entity_record& mine = e.records.back();
        const auto conflicted = store::conflicted_versions(e);
        if (std::binary_search(conflicted.begin(), conflicted.end(), mine.version))
            return version_conflict_reason(e.id, mine.version);
        // Only the standing version is judged by its parent, as in reports.
        const int standing = store::standing_of(e);
        if (standing < 0 || e.records[static_cast<std::size_t>(standing)].version != mine.version) return {};
        if (mine.parent == no_string) return {};
        const std::uint32_t p = st.entity_of.get(mine.parent);
        if (p == none || st.state_now(p) != entity_state::resolved) return {};
        const entity& parent = st.entities[p];
        const int parent_kind = parent.records[static_cast<std::size_t>(store::standing_of(parent))].kind;
        if (st.may_be_within(mine.kind, parent_kind)) return {};
        return st.parent_kind_reason(e.id, mine.parent, mine.kind, parent_kind);
    }

    std::string version_conflict_reason(string_id entity, std::int64_t version) const {
        return "entity '" + std::string(st.text(entity)) + "' version " + std::to_string(version) +
               " is in conflict: records with this version differ";
    }

    std::string id_conflict_reason(std::string_view id) const {
        return "event id '" + std::string(id) + "' is in conflict: records with this id differ";
    }

    // Tells subscribers what changed since the last snapshot; with seed_only, only takes one.
    void notify(bool seed_only = false);
    report evaluate(day as_of, bool with_evidence);
};

// ---------------------------------------------------------------- one evaluation

namespace {

struct bucket_state {
    std::uint32_t unit = none;
    day from = 0, to = 0;
    status st = status::pending;
    bool met = false, at_risk = false, no_data = false;
    val value;
    bool has_value = false;  // the condition is a single comparison
    bool fired = false, final = false;
    day final_on = 0;
    day close = 0;
};

struct rule_results {
    std::vector<bucket_state> rows;
    entity_map<std::pair<std::uint32_t, std::uint32_t>> by_unit;  // [begin, end)
};

struct memo_key {
    node_id node;
    std::uint32_t unit;
    day from, to;
    std::int64_t salt = 0;  // streaks: the enclosing rule's grace, which decides what is closed
    bool operator==(const memo_key& o) const {
        return node == o.node && unit == o.unit && from == o.from && to == o.to && salt == o.salt;
    }
};
struct memo_hash {
    std::size_t operator()(const memo_key& k) const {
        std::uint64_t h = static_cast<std::uint64_t>(k.node) * 0x9E3779B97F4A7C15ull;
        h ^= (static_cast<std::uint64_t>(k.unit) + 0x632BE59BD9B4E019ull) * 0xBF58476D1CE4E5B9ull;
        h ^= (static_cast<std::uint64_t>(static_cast<std::uint32_t>(k.from)) << 32 | static_cast<std::uint32_t>(k.to)) * 0x94D049BB133111EBull;
        h ^= static_cast<std::uint64_t>(k.salt) * 0xD6E8FEB86659FD93ull;
        return static_cast<std::size_t>(h ^ (h >> 31));
    }
};

}  // namespace

class evaluation {
public:
    evaluation(engine_state& e, day as_of) : e_(e), plan_(*e.plan), model_(e.model), as_of_(as_of) {
        results_.resize(model_.rules.size());
    }

    void run() {
        for (int r : model_.order) run_rule(r);
    }

    const rule_results& results(int r) const { return results_[static_cast<std::size_t>(r)]; }

    struct context {
        std::uint32_t unit = none;
        day from = 0, to = 0;
        const check::rule* rule = nullptr;
        bool undefined = false;  // a comparison met an undefined value
    };

    val eval(node_id id, context& ctx) {
        const node& n = plan_.at(id);
        switch (n.kind) {
            case node_kind::constant: return e_.constant(id);
            case node_kind::unary: return engine_state::unary(n.op, eval(n.args[0], ctx));
            case node_kind::binary: {
                if (n.op == check::op::and_ || n.op == check::op::or_) {
                    // Both sides are evaluated so that `undefined` is reported the same way
                    // whatever short-circuits.
                    const bool a = eval(n.args[0], ctx).truthy();
                    const bool b = eval(n.args[1], ctx).truthy();
                    return val::boolean(n.op == check::op::and_ ? a && b : a || b);
                }
                const val a = eval(n.args[0], ctx);
                const val b = eval(n.args[1], ctx);
                return engine_state::binary(n.op, a, b, ctx.undefined);
            }
            case node_kind::in: {
                const val x = eval(n.args[0], ctx);
                if (x.k == val::kind::undef) {
                    ctx.undefined = true;
                    return val::boolean(false);
                }
                return val::boolean(e_.in_list(plan_.at(n.args[1]), x));
            }
            case node_kind::aggregate: return memoized(id, ctx, [&] { return aggregate(id, ctx, nullptr); });
            case node_kind::streak: {
                // A comparison inside the streak that met an undefined value marks the row
                // "no data" too; the flag is memoised with the value.
                // Shared by rules, a streak's value still depends on each rule's grace.
                const auto& grace = ctx.rule->grace;
                const std::int64_t salt = grace ? grace->count * 4 + static_cast<std::int64_t>(grace->unit) + 1 : 0;
                const memo_key key{id, ctx.unit, ctx.from, ctx.to, salt};
                if (auto it = streak_memo_.find(key); it != streak_memo_.end()) {
                    ctx.undefined = ctx.undefined || it->second.second;
                    return it->second.first;
                }
                context inner = ctx;
                inner.undefined = false;
                const val v = streak(n, inner);
                streak_memo_.emplace(key, std::make_pair(v, inner.undefined));
                ctx.undefined = ctx.undefined || inner.undefined;
                return v;
            }
            case node_kind::violations: return violations(n, ctx);
            case node_kind::fired: return fired(n, ctx);
            default: return val::undef();
        }
    }

    // Evidence gathered while an aggregate is computed for a report row.
    struct collector {
        std::vector<std::pair<day, string_id>> events;
        // How many runs of rows were appended to `events`, and whether any run may repeat an
        // event (coverage's, one per target). One run of an index's rows has no repeats.
        int runs = 0;
        bool repeats = false;
        std::optional<gap_evidence> gap;
        std::optional<coverage_evidence> coverage;
        std::size_t limit = 20;
    };

    val aggregate(node_id id, const context& ctx, collector* evidence) {
        const node& n = plan_.at(id);
        const graph::source& src = plan_.sources()[static_cast<std::size_t>(n.source)];
        const table& t = e_.st.tables[static_cast<std::size_t>(src.event)];
        const day last = std::min(ctx.to, as_of_);
        const day first = ctx.from;
        if (n.op == check::op::coverage) return coverage(id, ctx, first, last, evidence);
        // A plain count is the width of the index range.
        if (n.op == check::op::count && !evidence && !src.filter_uses_unit) {
            if (first > last) return val::number(rational(0));
            const std::vector<entry>* list = e_.sources[static_cast<std::size_t>(n.source)].find(ctx.unit, src.scoped);
            if (!list) return val::number(rational(0));
            auto [lo, hi] = range_of(*list, first, last);
            return val::number(rational(static_cast<std::int64_t>(hi - lo)));
        }
        std::vector<std::uint32_t> rows;
        if (first <= last) {
            if (const std::vector<entry>* list = e_.sources[static_cast<std::size_t>(n.source)].find(ctx.unit, src.scoped)) {
                auto [lo, hi] = range_of(*list, first, last);
                for (auto it = lo; it != hi; ++it) {
                    if (src.filter_uses_unit && !e_.event_eval(src.filter, src.event, it->row, ctx.unit).truthy()) continue;
                    rows.push_back(it->row);
                }
            }
        }
        if (evidence && n.op != check::op::gap && !rows.empty()) ++evidence->runs;
        if (evidence && n.op != check::op::gap)
            for (std::uint32_t row : rows) evidence->events.emplace_back(t.date[row], t.id[row]);
        switch (n.op) {
            case check::op::count: return val::number(rational(static_cast<std::int64_t>(rows.size())));
            case check::op::sum: {
                const column& c = t.columns[static_cast<std::size_t>(n.field)];
                int128 total = 0;
                for (std::uint32_t row : rows)
                    if (c.present[row]) total += c.value[row];
                return val::number(c.kind == check::type_kind::number ? rational(total, io::number_scale) : rational(total, 1));
            }
            case check::op::distinct: {
                std::unordered_set<std::int64_t> seen;
                for (std::uint32_t row : rows) {
                    if (n.field < check::first_declared_field) {
                        const val v = e_.field_value(src.event, row, n.field);
                        seen.insert(v.i);
                        continue;
                    }
                    const column& c = t.columns[static_cast<std::size_t>(n.field)];
                    if (!c.present[row]) continue;
                    if (c.kind == check::type_kind::set) {
                        for (std::uint32_t m = c.set_begin[row]; m < c.set_end[row]; ++m) seen.insert(t.members[m]);
                    } else {
                        seen.insert(c.value[row]);
                    }
                }
                return val::number(rational(static_cast<std::int64_t>(seen.size())));
            }
            case check::op::min:
            case check::op::max: {
                std::optional<val> best;
                for (std::uint32_t row : rows) {
                    const val v = e_.field_value(src.event, row, n.field);
                    if (v.k == val::kind::undef) continue;
                    bool undefined = false;
                    if (!best || engine_state::binary(n.op == check::op::min ? check::op::lt : check::op::gt, v, *best, undefined).truthy())
                        best = v;
                }
                return best ? *best : val::undef();
            }
            case check::op::gap: {
                // Longest run of days in [first, last] without such an event.
                day previous = first - 1;
                std::int64_t longest = 0;
                day gap_from = first, gap_to = first - 1;
                auto consider = [&](day next) {
                    const std::int64_t length = static_cast<std::int64_t>(next) - previous - 1;
                    if (length > longest) {
                        longest = length;
                        gap_from = previous + 1;
                        gap_to = next - 1;
                    }
                };
                for (std::uint32_t row : rows) {
                    const day d = t.date[row];
                    if (d <= previous) continue;
                    consider(d);
                    previous = d;
                }
                if (first <= last) consider(last + 1);
                if (evidence && longest > 0) evidence->gap = gap_evidence{gap_from, gap_to, longest};
                return val::days(longest);
            }
            case check::op::all:
            case check::op::any: {
                const bool all = n.op == check::op::all;
                for (std::uint32_t row : rows) {
                    const bool holds = e_.event_eval(n.predicate, src.event, row, ctx.unit).truthy();
                    if (all && !holds) return val::boolean(false);
                    if (!all && holds) return val::boolean(true);
                }
                return val::boolean(all);
            }
            default: return val::undef();
        }
    }

    // Entities of `kinds` strictly below `unit`, active on `on`.
    // The walk below `unit` is the same for every bucket of a coverage node: it is done once
    // a report (per node and unit), and each bucket only filters it by date.
    void under(node_id node, std::uint32_t unit, const std::vector<int>& kinds, day on, std::vector<std::uint32_t>& out) {
        if (unit == none) return;
        const std::uint64_t key = static_cast<std::uint64_t>(node) << 32 | unit;
        auto [it, fresh] = under_.try_emplace(key);
        std::vector<std::uint32_t>& of_kinds = it->second;
        if (fresh) {
            std::vector<std::uint32_t> stack(e_.st.entities[unit].children.begin(), e_.st.entities[unit].children.end());
            while (!stack.empty()) {
                const std::uint32_t x = stack.back();
                stack.pop_back();
                const entity& ent = e_.st.entities[x];
                if (std::binary_search(kinds.begin(), kinds.end(), ent.kind)) of_kinds.push_back(x);
                stack.insert(stack.end(), ent.children.begin(), ent.children.end());
            }
        }
        for (const std::uint32_t x : of_kinds)
            if (e_.st.entities[x].active_on(on)) out.push_back(x);
    }

    val coverage(node_id id, const context& ctx, day first, day last, collector* evidence) {
        const node& n = plan_.at(id);
        const graph::source& src = plan_.sources()[static_cast<std::size_t>(n.source)];
        const coverage_index& ci = e_.coverages[static_cast<std::size_t>(e_.coverage_of_node[static_cast<std::size_t>(id)])];
        std::vector<std::uint32_t> denominator;
        under(id, ctx.unit, n.kinds, ctx.to, denominator);
        if (denominator.empty()) {
            if (evidence) evidence->coverage = coverage_evidence{0, 0, {}};
            return val::undef();
        }
        std::int64_t covered = 0;
        std::vector<std::uint32_t> missing;
        for (std::uint32_t x : denominator) {
            bool hit = false;
            if (first <= last) {
                if (const std::vector<entry>* list = ci.by_target.find(x)) {
                    auto [lo, hi] = range_of(*list, first, last);
                    // The evidence is the earliest event naming x; of several that day, the one
                    // with the least id, so it does not depend on the order records arrived in.
                    const table& t = e_.st.tables[static_cast<std::size_t>(src.event)];
                    string_id chosen = no_string;
                    day chosen_day = 0;
                    for (auto e = lo; e != hi && !(hit && (!evidence || e->d != chosen_day)); ++e) {
                        if (src.filter_uses_unit && !e_.event_eval(src.filter, src.event, e->row, ctx.unit).truthy()) continue;
                        if (hit && e_.st.text(t.id[e->row]) >= e_.st.text(chosen)) continue;
                        hit = true;
                        chosen = t.id[e->row];
                        chosen_day = e->d;
                    }
                    if (hit && evidence) {
                        evidence->events.emplace_back(chosen_day, chosen);
                        evidence->repeats = true;
                    }
                }
            }
            if (hit) ++covered;
            else missing.push_back(x);
        }
        if (evidence) {
            coverage_evidence c{covered, static_cast<std::int64_t>(denominator.size()), {}};
            std::sort(missing.begin(), missing.end(), [&](std::uint32_t a, std::uint32_t b) {
                return e_.st.text(e_.st.entities[a].id) < e_.st.text(e_.st.entities[b].id);
            });
            for (std::size_t i = 0; i < missing.size() && i < evidence->limit; ++i)
                c.missing.emplace_back(e_.st.text(e_.st.entities[missing[i]].id));
            evidence->coverage = std::move(c);
        }
        return val::number(rational(covered, static_cast<std::int64_t>(denominator.size())));
    }

    val streak(const node& n, context& ctx) {
        const auto subs = calendar::split(ctx.from, ctx.to, n.per, model_.week_start, false);
        std::int64_t run = 0, best = 0;
        for (const auto& sub : subs) {
            if (as_of_ < calendar::close_day(sub.to, ctx.rule->grace)) break;  // only closed sub-periods
            context inner = ctx;
            inner.from = sub.from;
            inner.to = sub.to;
            const bool holds = eval(n.args[0], inner).truthy();
            ctx.undefined = ctx.undefined || inner.undefined;
            if (holds) {
                best = std::max(best, ++run);
            } else {
                run = 0;
            }
        }
        return val::number(rational(best));
    }

    val violations(const node& n, const context& ctx) {
        std::int64_t count = 0;
        for (int q : n.rules) {
            for_buckets(q, ctx.unit, [&](const bucket_state& b) {
                if (b.to >= ctx.from && b.to <= ctx.to && b.st == status::violated) ++count;
            });
        }
        return val::number(rational(count));
    }

    val fired(const node& n, const context& ctx) {
        bool any = false;
        for (int q : n.rules)
            for_buckets(q, ctx.unit, [&](const bucket_state& b) {
                if (b.to >= ctx.from && b.to <= ctx.to && b.fired) any = true;
            });
        return val::boolean(any);
    }

    template <class F>
    void for_buckets(int rule, std::uint32_t unit, F&& f) const {
        const rule_results& rr = results_[static_cast<std::size_t>(rule)];
        const auto* range = rr.by_unit.find(unit);
        if (!range) return;
        for (std::uint32_t i = range->first; i < range->second; ++i) f(rr.rows[i]);
    }

    template <class F>
    val memoized(node_id id, const context& ctx, F&& compute) {
        const memo_key key{id, plan_.at(id).uses_unit ? ctx.unit : none, ctx.from, ctx.to};
        auto it = memo_.find(key);
        if (it != memo_.end()) return it->second;
        val v = compute();
        memo_.emplace(key, v);
        return v;
    }

    // ------------------------------------------------------------ rules

    std::vector<std::uint32_t> instances(const check::rule& rule) const {
        if (rule.var.empty()) return {none};
        if (rule.unit_kinds.size() == 1) return e_.st.by_kind[static_cast<std::size_t>(rule.unit_kinds[0])];  // sorted by id
        std::vector<std::uint32_t> units;
        for (int k : rule.unit_kinds) {
            const auto& list = e_.st.by_kind[static_cast<std::size_t>(k)];
            units.insert(units.end(), list.begin(), list.end());
        }
        std::sort(units.begin(), units.end(), [&](std::uint32_t a, std::uint32_t b) {
            return e_.st.text(e_.st.entities[a].id) < e_.st.text(e_.st.entities[b].id);
        });
        units.erase(std::unique(units.begin(), units.end()), units.end());
        return units;
    }

    std::vector<calendar::bucket> buckets_for(int r, std::uint32_t unit) const {
        const check::rule& rule = model_.rules[static_cast<std::size_t>(r)];
        const graph::rule_node& rn = plan_.rules()[static_cast<std::size_t>(r)];
        std::vector<calendar::bucket> out;
        if (rule.schedule != check::schedule_kind::after && rule.schedule != check::schedule_kind::before) {
            for (const auto& b : rn.buckets)
                if (b.visible <= as_of_) out.push_back(b);
            return out;
        }
        std::vector<day> days;
        if (rule.trig.outcome) {
            auto collect = [&](const bucket_state& b) {
                if (b.fired && b.final) days.push_back(b.final_on);
            };
            if (rule.trig.target >= 0) {
                if (unit == none) {
                    // A rule without `each` takes the triggers of every unit the outcome fired for.
                    for (const auto& b : results_[static_cast<std::size_t>(rule.trig.target)].rows) collect(b);
                } else if (model_.rules[static_cast<std::size_t>(rule.trig.target)].var.empty()) {
                    // An outcome without `each` fires for the plan: every instance is triggered.
                    for_buckets(rule.trig.target, none, collect);
                } else {
                    for_buckets(rule.trig.target, unit, collect);
                }
            }
        } else if (rn.trigger_source >= 0) {
            const graph::source& src = plan_.sources()[static_cast<std::size_t>(rn.trigger_source)];
            const std::vector<entry>* list = e_.sources[static_cast<std::size_t>(rn.trigger_source)].find(unit, src.scoped);
            if (list) {
                auto [lo, hi] = range_of(*list, rule.window_from, std::min(rule.window_to, as_of_));
                for (auto it = lo; it != hi; ++it) {
                    if (src.filter_uses_unit && !e_.event_eval(src.filter, src.event, it->row, unit).truthy()) continue;
                    days.push_back(it->d);
                }
            }
        }
        std::sort(days.begin(), days.end());
        days.erase(std::unique(days.begin(), days.end()), days.end());
        for (day d : days) {
            if (d > as_of_) continue;
            if (auto b = calendar::triggered_bucket(rule, d)) out.push_back(*b);
        }
        std::sort(out.begin(), out.end(), [](const calendar::bucket& a, const calendar::bucket& b) {
            return a.from < b.from || (a.from == b.from && a.to < b.to);
        });
        return out;
    }

    void run_rule(int r) {
        const check::rule& rule = model_.rules[static_cast<std::size_t>(r)];
        const graph::rule_node& rn = plan_.rules()[static_cast<std::size_t>(r)];
        rule_results& out = results_[static_cast<std::size_t>(r)];
        for (std::uint32_t unit : instances(rule)) {
            const auto begin = static_cast<std::uint32_t>(out.rows.size());
            for (const auto& b : buckets_for(r, unit)) {
                if (unit != none && !e_.st.entities[unit].active_during(b.from, b.to)) continue;
                if (++buckets_ > e_.options.limits.max_buckets)
                    throw limit_error("the report would hold more than " + std::to_string(e_.options.limits.max_buckets) +
                                      " buckets (units × periods; max_buckets)");
                out.rows.push_back(judge(rule, rn, unit, b));
            }
            out.by_unit[unit] = {begin, static_cast<std::uint32_t>(out.rows.size())};
        }
    }

    bucket_state judge(const check::rule& rule, const graph::rule_node& rn, std::uint32_t unit, const calendar::bucket& b) {
        bucket_state s;
        s.unit = unit;
        s.from = b.from;
        s.to = b.to;
        s.close = calendar::close_day(b.to, rule.grace);
        context ctx{unit, b.from, b.to, &rule, false};
        const bool holds = eval(rn.condition, ctx).truthy();
        const bool closed = as_of_ >= s.close;
        s.met = holds;
        if (rule.outcome) {
            s.fired = holds;
            day final_on = s.close;
            for (int q : rule.reads) {
                const bool obligation = !model_.rules[static_cast<std::size_t>(q)].outcome;
                for_buckets(q, unit, [&](const bucket_state& x) {
                    if (x.to < b.from || x.to > b.to) return;
                    final_on = std::max(final_on, obligation ? x.close : x.final_on);
                });
            }
            s.final_on = final_on;
            s.final = as_of_ >= final_on;
            return s;
        }
        if (closed) {
            s.st = holds ? status::satisfied : status::violated;
        } else if (rule.mono == check::monotonicity::monotone && holds) {
            s.st = status::satisfied;
        } else if (rule.mono == check::monotonicity::anti_monotone && !holds) {
            s.st = status::violated;
        } else {
            s.st = status::pending;
        }
        if (rn.compared != no_node) {
            s.has_value = true;
            context value_ctx{unit, b.from, b.to, &rule, false};
            s.value = eval(rn.compared, value_ctx);
        }
        s.no_data = ctx.undefined;
        s.at_risk = s.st == status::pending && !holds && rule.warn &&
                    as_of_ >= calendar::shift(b.to, *rule.warn, -1);
        return s;
    }

    // Evidence for one reported row: recomputes the row's measures with a collector.
    evidence evidence_for(const check::rule& rule, const graph::rule_node& rn, const bucket_state& s) {
        evidence ev;
        collector c;
        c.limit = e_.options.evidence_limit;
        context ctx{s.unit, s.from, s.to, &rule, false};
        for (std::size_t k = 0; k < rn.aggregates.size(); ++k) {
            const node_id m = rn.aggregates[k];
            const node& n = plan_.at(m);
            val v;
            if (n.kind == node_kind::aggregate) {
                v = aggregate(m, ctx, &c);
            } else {
                v = eval(m, ctx);
            }
            ev.measures.emplace_back(rn.measure_names[k], to_reported(v));
        }
        // By date, then by id text: interned ids number strings in arrival order, and the
        // report must not depend on that.
        if (c.runs > 1 || c.repeats) {  // else no event is there twice
            std::sort(c.events.begin(), c.events.end());
            c.events.erase(std::unique(c.events.begin(), c.events.end()), c.events.end());
        }
        // Only the first `limit` are listed: only they need ordering by text (a strict order,
        // since distinct ids have distinct texts, so the same ones come first either way).
        const std::size_t listed = std::min(c.events.size(), c.limit);
        std::partial_sort(c.events.begin(), c.events.begin() + static_cast<std::ptrdiff_t>(listed), c.events.end(),
                          [&](const auto& a, const auto& b) {
                              return a.first != b.first ? a.first < b.first : e_.st.text(a.second) < e_.st.text(b.second);
                          });
        ev.event_count = c.events.size();
        for (std::size_t i = 0; i < c.events.size() && i < c.limit; ++i) ev.events.emplace_back(e_.st.text(c.events[i].second));
        ev.gap = c.gap;
        ev.coverage = std::move(c.coverage);
        if (rn.compared != no_node) {
            const node& lhs = plan_.at(rn.compared);
            if (lhs.kind == node_kind::binary && lhs.op == check::op::div) {
                context r{s.unit, s.from, s.to, &rule, false};
                ev.ratio = ratio_evidence{to_reported(eval(lhs.args[0], r)), to_reported(eval(lhs.args[1], r))};
            }
        }
        return ev;
    }

private:
    engine_state& e_;
    const graph::compiled_plan& plan_;
    const check::plan& model_;
    day as_of_;
    std::uint64_t buckets_ = 0;  // made so far, against limits::max_buckets
    std::vector<rule_results> results_;
    std::unordered_map<memo_key, val, memo_hash> memo_;
    std::unordered_map<memo_key, std::pair<val, bool>, memo_hash> streak_memo_;
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> under_;  // (coverage node, unit) -> entities of its kinds below
};

report engine_state::evaluate(day as_of, bool with_evidence) {
    prepare();
    evaluation ev(*this, as_of);
    ev.run();

    report out;
    out.plan = model.id;
    out.revision = plan->revision();
    out.as_of = as_of;
    out.compiled = plan;
    auto unit_name = [&](std::uint32_t unit) -> std::optional<std::string> {
        if (unit == none) return std::nullopt;
        return std::string(st.text(st.entities[unit].id));
    };
    for (std::size_t r = 0; r < model.rules.size(); ++r) {
        const check::rule& rule = model.rules[r];
        const graph::rule_node& rn = plan->rules()[r];
        for (const bucket_state& s : ev.results(static_cast<int>(r)).rows) {
            if (rule.outcome) {
                outcome_row row;
                row.rule = static_cast<int>(r);
                row.outcome = rule.id;
                row.unit = unit_name(s.unit);
                row.span = period{s.from, s.to};
                row.fired = s.fired;
                row.final = s.final;
                if (s.final) row.final_on = s.final_on;
                if (with_evidence) row.evidence = ev.evidence_for(rule, rn, s);
                out.outcomes.push_back(std::move(row));
                continue;
            }
            result_row row;
            row.rule = static_cast<int>(r);
            row.obligation = rule.id;
            row.unit = unit_name(s.unit);
            row.span = period{s.from, s.to};
            row.status = s.st;
            row.met = s.met;
            row.at_risk = s.at_risk;
            if (s.has_value) row.value = to_reported(s.value);
            if (s.no_data) row.reason = "no data";
            if (with_evidence) row.evidence = ev.evidence_for(rule, rn, s);
            out.results.push_back(std::move(row));
        }
    }

    // Accounting: every record read lands in exactly one class.
    input_counts& in = out.inputs;
    std::vector<rejection>& rejected = out.rejected;
    auto where = [&](const location& l) { return std::make_pair(l.source < st.sources.size() ? st.sources[l.source] : std::string(), l.line); };
    for (const auto& [l, reason] : st.parse_rejections) {
        auto [source, line] = where(l);
        rejected.push_back(rejection{source, line, reason});
    }
    for (const entity& e : st.entities) {
        const std::int64_t standing_version = e.standing >= 0 ? e.records[static_cast<std::size_t>(e.standing)].version : -1;
        const auto conflicted = store::conflicted_versions(e);
        for (const entity_record& rec : e.records) {
            std::string reason;
            if (std::binary_search(conflicted.begin(), conflicted.end(), rec.version)) {
                reason = version_conflict_reason(e.id, rec.version);
            } else if (e.state == entity_state::rejected && rec.version == standing_version) {
                const entity_record& s = e.records[static_cast<std::size_t>(e.standing)];
                reason = st.parent_kind_reason(e.id, s.parent, e.kind, st.entities[st.entity_of.get(s.parent)].kind);
            }
            if (reason.empty()) {
                ++in.entities;
            } else {
                auto [source, line] = where(rec.where);
                rejected.push_back(rejection{source, line, reason});
            }
        }
    }
    in.retractions = st.retraction_records;
    for (std::uint32_t i = 0; i < st.slots.size(); ++i) {
        const event_slot& s = st.slots[i];
        if (s.copies == 0) continue;
        std::string reason;
        if (s.conflict) {
            reason = id_conflict_reason(st.text(st.tables[static_cast<std::size_t>(s.type)].id[s.row]));
        } else if (s.row != none && st.tables[static_cast<std::size_t>(s.type)].state[s.row] == row_state::rejected_ref) {
            // Rejected comes before retracted: a retracted copy with a bad ref is rejected.
            reason = st.tables[static_cast<std::size_t>(s.type)].bad_ref.at(s.row);
        }
        if (!reason.empty()) {
            auto [source, line] = where(s.first);
            rejected.push_back(rejection{source, line, reason});
            if (auto extra = st.extra_copies.find(i); extra != st.extra_copies.end())
                for (const location& l : extra->second) {
                    auto [source2, line2] = where(l);
                    rejected.push_back(rejection{source2, line2, reason});
                }
            continue;
        }
        in.duplicates += s.copies - 1;
        if (s.retracted) {
            ++in.retracted;
            continue;
        }
        const row_state state = st.tables[static_cast<std::size_t>(s.type)].state[s.row];
        if (state == row_state::applied) ++in.applied;
        else ++in.unresolved;
    }
    in.rejected = rejected.size();
    // Counted as records arrive, not summed from the classes: the report shows whether every
    // record read landed in one (read equals the sum of the others), rather than assuming it.
    in.read = st.records_read;
    // Records added through the API share a line number: the reason breaks the tie, so the
    // list does not follow arrival order.
    std::sort(rejected.begin(), rejected.end(), [](const rejection& a, const rejection& b) {
        return std::tie(a.source, a.line, a.reason) < std::tie(b.source, b.line, b.reason);
    });
    for (const auto& [key, count] : st.ignored)
        out.ignored_fields.push_back(ignored_field{model.events[static_cast<std::size_t>(key.type)].id,
                                                   std::string(st.text(key.field)), count});
    std::sort(out.ignored_fields.begin(), out.ignored_fields.end(), [](const ignored_field& a, const ignored_field& b) {
        return a.type < b.type || (a.type == b.type && a.field < b.field);
    });
    return out;
}

void engine_state::notify(bool seed_only) {
    if (subscribers.empty()) return;
    const std::optional<day> when = watch_date ? watch_date : st.latest_event;
    std::map<bucket_key, status_change> current;
    if (when) {
        const report now = evaluate(*when, false);
        for (const auto& r : now.results) {
            status_change& c = current[bucket_key{false, r.obligation, r.unit, r.span.from, r.span.to}];
            c.rule = r.obligation;
            c.unit = r.unit;
            c.span = r.span;
            c.after = r.status;
        }
        for (const auto& o : now.outcomes) {
            status_change& c = current[bucket_key{true, o.outcome, o.unit, o.span.from, o.span.to}];
            c.outcome = true;
            c.rule = o.outcome;
            c.unit = o.unit;
            c.span = o.span;
            c.fired_after = o.fired;
            c.final_after = o.final;
        }
    }
    std::vector<status_change> changes;
    if (!seed_only) {
        for (const auto& [key, now] : current) {
            auto before = snapshot.find(key);
            if (before == snapshot.end()) {
                changes.push_back(now);
                continue;
            }
            const status_change& was = before->second;
            if (was.after == now.after && was.fired_after == now.fired_after && was.final_after == now.final_after) continue;
            status_change c = now;
            c.before = was.after;
            c.fired_before = was.fired_after;
            c.final_before = was.final_after;
            changes.push_back(std::move(c));
        }
        // Buckets that no longer exist (a retracted trigger, a retired unit).
        for (const auto& [key, was] : snapshot) {
            if (current.count(key)) continue;
            status_change c = was;
            c.before = was.after;
            c.fired_before = was.fired_after;
            c.final_before = was.final_after;
            c.after.reset();
            c.fired_after.reset();
            c.final_after.reset();
            changes.push_back(std::move(c));
        }
    }
    snapshot = std::move(current);
    // A copy: a callback may unsubscribe (itself or another) while we call them.
    const auto listeners = subscribers;
    for (const auto& c : changes)
        for (const auto& [token, callback] : listeners)
            if (subscribers.count(token)) callback(c);
}

// ---------------------------------------------------------------- engine

struct engine::impl : engine_state {
    using engine_state::engine_state;
};

engine::engine(std::shared_ptr<const graph::compiled_plan> plan, engine_options options)
    : impl_(std::make_unique<impl>(std::move(plan), options)) {}
engine::~engine() = default;
engine::engine(engine&&) noexcept = default;
engine& engine::operator=(engine&&) noexcept = default;

const graph::compiled_plan& engine::plan() const { return *impl_->plan; }
const std::string& engine::last_error() const { return impl_->last_error; }
std::optional<calendar::day> engine::latest_event_date() const { return impl_->st.latest_event; }

add_status engine::add(std::string_view json, std::string_view source, std::uint64_t line) {
    const std::uint32_t source_index = impl_->st.source_index(source);
    const bool ok = impl_->parser.parse(json);
    const add_status result = impl_->add_parsed(ok, source_index, line);
    impl_->notify();
    return result;
}

add_status engine::add(const typed_entity& entity, std::string_view source, std::uint64_t line) {
    return impl_->add_typed(source, line,
                            [&](io::parsed_record& r, std::string& error) { return impl_->typed.read(entity, r, error); });
}

add_status engine::add(const typed_event& event, std::string_view source, std::uint64_t line) {
    return impl_->add_typed(source, line,
                            [&](io::parsed_record& r, std::string& error) { return impl_->typed.read(event, r, error); });
}

add_status engine::retract(std::string_view event_id, std::string_view source, std::uint64_t line) {
    return impl_->add_typed(source, line,
                            [&](io::parsed_record& r, std::string& error) {
                                return impl_->typed.read_retraction(event_id, r, error);
                            });
}

std::uint64_t engine::add_jsonl(std::istream& in, std::string_view source) { return add_jsonl(in, source, jsonl_options{}); }

std::uint64_t engine::add_jsonl(std::istream& in, std::string_view source, const jsonl_options& options) {
    engine_state& m = *impl_;
    const std::uint32_t source_index = m.st.source_index(source);
    const std::size_t limit = m.options.limits.max_record_bytes;
    // The window holds a block of input plus the longest record (and its "\r"); the padding
    // after it lets simdjson read past a record's end.
    const std::size_t window = (std::size_t{1} << 20) + limit + 1;
    std::vector<char> buffer(window + io::required_padding());
    std::size_t filled = 0;
    std::uint64_t line = options.first_line, records = 0;
    std::uint64_t base = 0;  // the stream offset of buffer[0]
    bool skipping = false;   // inside a line already rejected as too long
    bool due = false;        // a checkpoint is due at the next line boundary
    const bool checkpoints = options.checkpoint_every > 0 && options.checkpoint;
    auto too_long = [&] {
        ++records;
        m.reject(source_index, line, io::too_long_reason(limit));
    };
    // One whole line, without its "\n".
    auto take = [&](char* begin, std::size_t length) {
        ++line;
        if (length > 0 && begin[length - 1] == '\r') --length;
        bool blank = true;
        for (std::size_t i = 0; i < length && blank; ++i) blank = begin[i] == ' ' || begin[i] == '\t';
        if (blank) return;
        if (length > limit) {
            too_long();
            return;
        }
        ++records;
        const bool ok = m.parser.parse(begin, length, buffer.size() - static_cast<std::size_t>(begin - buffer.data()));
        m.add_parsed(ok, source_index, line, false);
        m.notify();
        if (checkpoints && records % options.checkpoint_every == 0) due = true;
    };
    for (bool eof = false, first = true; !eof; first = false) {
        in.read(buffer.data() + filled, static_cast<std::streamsize>(window - filled));
        filled += static_cast<std::size_t>(in.gcount());
        eof = !in;
        if (in.bad()) throw std::runtime_error("error reading " + std::string(source));
        std::size_t start = 0;
        // A UTF-8 byte order mark (as some Windows tools write) is not part of the first record.
        if (first && options.first_line == 0 && filled >= 3 && std::memcmp(buffer.data(), "\xEF\xBB\xBF", 3) == 0) start = 3;
        while (start < filled) {
            char* begin = buffer.data() + start;
            char* newline = static_cast<char*>(std::memchr(begin, '\n', filled - start));
            if (!newline) break;
            if (skipping) {
                skipping = false;  // the rest of the long line: already counted
                if (checkpoints && records % options.checkpoint_every == 0) due = true;
            } else {
                // The next record's id will most likely be new: its first probe is a cache
                // miss in a table of millions. Start it now, while this record is read.
                const std::string_view next = leading_id(newline + 1, buffer.data() + filled);
                if (!next.empty()) m.st.strings.prefetch(next);
                take(begin, static_cast<std::size_t>(newline - begin));
            }
            start = static_cast<std::size_t>(newline - buffer.data()) + 1;
            if (due) {  // between two records: what was read so far is whole
                due = false;
                options.checkpoint(line, base + start);
            }
        }
        std::size_t rest = filled - start;
        if (eof) {
            if (rest > 0 && !skipping) take(buffer.data() + start, rest);
            break;
        }
        if (skipping) {
            base += filled;
            filled = 0;  // still inside the long line
            continue;
        }
        // An unfinished line longer than any record (its "\r" aside) is rejected now and skipped,
        // so memory never grows with a line's length.
        const bool cr = rest > 0 && buffer[start + rest - 1] == '\r';
        if (rest > limit + (cr ? 1 : 0)) {
            ++line;
            too_long();
            skipping = true;
            base += filled;
            filled = 0;
            continue;
        }
        std::memmove(buffer.data(), buffer.data() + start, rest);
        base += start;
        filled = rest;
    }
    return records;
}

std::uint64_t engine::add_csv(std::istream& in, std::string_view source, std::string_view type) {
    engine_state& m = *impl_;
    const std::uint32_t source_index = m.st.source_index(source);
    io::csv_reader reader(in, m.options.limits.max_record_bytes);
    io::csv_row row;
    auto where = [&](std::uint64_t line) { return std::string(source) + ":" + std::to_string(line) + ": "; };
    try {
        if (!reader.next(row)) return 0;  // an empty file: no header, no records
    } catch (const std::runtime_error&) {
        throw std::runtime_error("error reading " + std::string(source));
    }
    if (!row.error.empty()) throw std::runtime_error(where(row.line) + "the header row: " + row.error);
    const std::vector<std::string> header(row.cells.begin(), row.cells.end());
    const io::csv_layout layout(m.model, std::vector<std::string_view>(header.begin(), header.end()), type);
    if (!layout.error().empty()) throw std::runtime_error(where(row.line) + layout.error());
    std::uint64_t records = 0;
    std::string json, why;
    for (;;) {
        try {
            if (!reader.next(row)) break;
        } catch (const std::runtime_error&) {
            throw std::runtime_error("error reading " + std::string(source));
        }
        ++records;
        why = row.error;
        if (why.empty() && layout.to_json(row.cells, json, why)) {
            const bool ok = m.parser.parse(json);
            m.add_parsed(ok, source_index, row.line, false);
        } else {
            m.reject(source_index, row.line, why);
        }
        m.notify();
    }
    return records;
}

void engine::save(const std::string& path, std::string_view host) const {
    const engine_state& m = *impl_;
    eval::state_writer w(path);
    w.str(m.plan->revision());
    w.str(host);
    m.st.save(w);
    w.commit();
}

std::string engine::restore(const std::string& path) {
    // Into a fresh engine first: the file is taken whole or not at all.
    auto fresh = std::make_unique<impl>(impl_->plan, impl_->options);
    eval::state_reader r(path);
    const std::string revision = r.str();
    if (revision != fresh->plan->revision())
        r.fail("it was saved for plan revision " + revision.substr(0, 12) + "…, and this plan is revision " +
               fresh->plan->revision().substr(0, 12) + "… (feed the records again to move them to another revision)");
    std::string host = r.str();
    fresh->st.load(r);
    r.finish();
    fresh->subscribers = std::move(impl_->subscribers);
    fresh->next_token = impl_->next_token;
    fresh->watch_date = impl_->watch_date;
    impl_ = std::move(fresh);
    // Listeners hear of changes from the restored state on, not of the restore itself.
    impl_->notify(true);
    return host;
}

report engine::evaluate(calendar::day as_of) { return impl_->evaluate(as_of, impl_->options.evidence); }

int engine::subscribe(subscriber callback) {
    const int token = impl_->next_token++;
    const bool first = impl_->subscribers.empty();
    impl_->subscribers.emplace(token, std::move(callback));
    // A new listener hears of changes from now on, not of the state the engine is in.
    if (first) impl_->notify(true);
    return token;
}

void engine::unsubscribe(int token) { impl_->subscribers.erase(token); }

void engine::set_watch_date(std::optional<calendar::day> as_of) {
    impl_->watch_date = as_of;
    // Moving the watch date is not a change records made: start from the new date's state.
    impl_->notify(true);
}

}  // namespace mandate
