// The engine's record store: entities with their versions and resolved hierarchy, event rows
// in one column table per event type, and the state of every event id (copies, conflict,
// retraction). Everything a report is computed from; nothing here depends on an as-of date.
#pragma once

#include <algorithm>
#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "mandate/calendar/date.hpp"
#include "mandate/check/model.hpp"
#include "mandate/ingest/records.hpp"
#include "pod_vector.hpp"
#include "string_pool.hpp"

namespace mandate::eval {

class state_writer;
class state_reader;
using calendar::day;
inline constexpr std::uint32_t none = 0xFFFFFFFFu;
inline constexpr day no_day_before = INT_MIN;
inline constexpr day no_day_after = INT_MAX;

struct location {
    std::uint32_t source = 0;  // index into store::sources
    std::uint64_t line = 0;
};

// ---------------------------------------------------------------- entities

struct entity_record {
    int kind = -1;
    string_id parent = no_string, name = no_string;
    std::optional<day> since, until;
    std::int64_t version = 0;
    location where;
    // The kind's fields the record gives (field index, value as a column stores it: numbers in
    // millionths, texts as string ids), by field index; a field left out is absent.
    std::vector<std::pair<std::int32_t, std::int64_t>> fields;

    bool same_content(const entity_record& o) const {
        return kind == o.kind && parent == o.parent && name == o.name && since == o.since && until == o.until &&
               fields == o.fields;
    }
    const std::int64_t* field(int index) const {
        for (const auto& f : fields)
            if (f.first == index) return &f.second;
        return nullptr;
    }
};

enum class entity_state : std::uint8_t { unresolved, resolved, rejected };

struct entity {
    string_id id = no_string;
    std::vector<entity_record> records;
    // Derived by store::resolve():
    entity_state state = entity_state::unresolved;
    int standing = -1;  // index into records of the version that stands
    int kind = -1;
    std::uint32_t parent = none;  // entity index
    day since = no_day_before, until = no_day_after;
    std::vector<std::uint32_t> children;  // resolved children

    bool active_on(day d) const { return since <= d && d < until; }
    // The standing version's record (resolved entities only).
    const entity_record& standing_record() const { return records[static_cast<std::size_t>(standing)]; }
    bool active_during(day from, day to) const { return since <= to && until > from; }
};

// ---------------------------------------------------------------- events

// One declared field's values (or a row's time), a row each, held in the narrowest width they
// have needed so far: a byte for bools (and for set fields, whose values are their members), 4
// bytes for string ids, dates and the ints and numbers that fit, 8 from the first value that does
// not (a byte column widens to 4 first when that holds the value). Reads give every value back
// exactly, whatever the width.
class value_column {
public:
    void set_kind(check::type_kind k) {
        switch (k) {
            case check::type_kind::boolean:
            case check::type_kind::set: width_ = width::i8; break;
            case check::type_kind::text:
            case check::type_kind::ref: width_ = width::u32; break;
            case check::type_kind::date:
            case check::type_kind::integer:
            case check::type_kind::number: width_ = width::i32; break;
            default: width_ = width::i64;
        }
    }
    std::int64_t operator[](std::size_t row) const {
        switch (width_) {
            case width::i8: return bytes_[row];
            case width::i32: return static_cast<std::int32_t>(words_[row]);
            case width::u32: return words_[row];
            default: return wide_[row];
        }
    }
    void push_back(std::int64_t v) {
        switch (width_) {
            case width::i8:
                if (v >= INT8_MIN && v <= INT8_MAX) return bytes_.push_back(static_cast<std::int8_t>(v));
                break;
            case width::i32:
                if (v >= INT32_MIN && v <= INT32_MAX) return words_.push_back(static_cast<std::uint32_t>(static_cast<std::int32_t>(v)));
                break;
            case width::u32:
                if (v >= 0 && v <= static_cast<std::int64_t>(UINT32_MAX)) return words_.push_back(static_cast<std::uint32_t>(v));
                break;
            case width::i64: return wide_.push_back(v);
        }
        if (width_ == width::i8 && v >= INT32_MIN && v <= INT32_MAX) {
            widen_to_words();
            return words_.push_back(static_cast<std::uint32_t>(static_cast<std::int32_t>(v)));
        }
        widen();
        wide_.push_back(v);
    }
    std::size_t size() const { return width_ == width::i8 ? bytes_.size() : width_ == width::i64 ? wide_.size() : words_.size(); }
    // Bytes held (capacity), and the width of a value now.
    std::size_t bytes() const { return bytes_.capacity() + words_.capacity() * 4 + wide_.capacity() * 8; }
    std::size_t width_bytes() const { return width_ == width::i8 ? 1 : width_ == width::i64 ? 8 : 4; }

private:
    enum class width : std::uint8_t { i8, i32, u32, i64 };
    void widen_to_words() {
        pod_vector<std::uint32_t> words;
        words.reserve(size() + 1);
        for (std::size_t row = 0; row < size(); ++row) words.push_back(static_cast<std::uint32_t>(static_cast<std::int32_t>(bytes_[row])));
        words_ = std::move(words);
        bytes_ = pod_vector<std::int8_t>();
        width_ = width::i32;
    }
    void widen() {
        pod_vector<std::int64_t> wide;
        wide.reserve(size() + 1);
        for (std::size_t row = 0; row < size(); ++row) wide.push_back((*this)[row]);
        wide_ = std::move(wide);
        bytes_ = pod_vector<std::int8_t>();
        words_ = pod_vector<std::uint32_t>();
        width_ = width::i64;
    }
    width width_ = width::i64;
    pod_vector<std::int8_t> bytes_;
    pod_vector<std::uint32_t> words_;
    pod_vector<std::int64_t> wide_;
};

// A column of one declared field. Texts and refs are string ids; numbers are millionths. A field
// no rule reads is not kept (store::keep_only): its column stays empty, and its values only go
// into the row's fingerprint, for telling a second copy of an id from a conflicting one.
struct column {
    check::type_kind kind = check::type_kind::text;
    check::type_kind element = check::type_kind::error;
    bool kept = true;
    value_column value;
    pod_vector<std::uint8_t> present;
    pod_vector<std::uint32_t> set_begin, set_end;  // set fields: range in table::members
};

// A row's resolution against the hierarchy. Whether it counts at all (not retracted, not in
// conflict) is tracked apart, in table::alive, so a retracted row with a bad ref is still
// counted as rejected: rejected comes first in LANGUAGE.md's order.
enum class row_state : std::uint8_t { unresolved, applied, rejected_ref };

struct table {
    pod_vector<string_id> id;
    pod_vector<day> date;
    value_column instant;                  // dedup key: UTC seconds, or the date for date-only times (4 bytes to 2038)
    value_column nanos;                    // and the nanoseconds of date-times (a byte while all are 0)
    pod_vector<std::uint8_t> has_clock;
    pod_vector<string_id> unit;
    pod_vector<std::uint32_t> unit_entity;  // resolved entity index, or none
    pod_vector<row_state> state;
    pod_vector<std::uint8_t> alive;         // 0 once retracted or in conflict
    std::unordered_map<std::uint32_t, std::string> bad_ref;  // why, for rejected_ref rows only
    std::vector<column> columns;             // indexed like check::event_type::fields (built-ins empty)
    pod_vector<std::int64_t> members;
    // When some column is not kept: a hash of each row's values of those fields (64 bits: two
    // copies that differ only there are taken for one with a chance of 2^-64).
    bool fingerprinted = false;
    pod_vector<std::uint64_t> fingerprint;

    std::size_t size() const { return id.size(); }
    bool counts(std::uint32_t row) const { return alive[row] && state[row] == row_state::applied; }
};

// A location in 8 bytes, 4-aligned: the source (16 bits) and the line (48 bits). One that does
// not fit (the 65 535th source on, a line past 2^48) is `far`: kept whole elsewhere.
class packed_location {
public:
    packed_location() = default;
    static bool fits(const location& l) { return l.source < 0xFFFFu && l.line < (std::uint64_t{1} << 48); }
    explicit packed_location(const location& l)
        : hi_(fits(l) ? (l.source << 16) | static_cast<std::uint32_t>(l.line >> 32) : 0xFFFFFFFFu),
          lo_(fits(l) ? static_cast<std::uint32_t>(l.line) : 0xFFFFFFFFu) {}
    bool far() const { return hi_ == 0xFFFFFFFFu; }
    location get() const { return location{hi_ >> 16, (std::uint64_t{hi_ & 0xFFFFu} << 32) | lo_}; }

private:
    std::uint32_t hi_ = 0, lo_ = 0;
};

// One event id: how many copies arrived, whether they conflict, whether it is retracted. 20
// bytes: there is one per event id.
struct event_slot {
    std::uint32_t row = none;  // the first accepted copy
    std::uint32_t copies = 0;
    packed_location first;     // store::first_of() reads it
    std::int16_t type = -1;    // store() refuses plans with more event types than this holds
    bool conflict = false;
    bool retracted = false;
};
static_assert(sizeof(event_slot) == 20, "an event slot is 20 bytes");

struct ignored_key {
    int type;
    string_id field;
    bool operator==(const ignored_key& o) const { return type == o.type && field == o.field; }
};
struct ignored_key_hash {
    std::size_t operator()(const ignored_key& k) const { return std::hash<std::uint64_t>()((std::uint64_t(k.type) << 32) ^ k.field); }
};

// From a string id to an index (of an entity, of an event slot): a vector for pooled ids, which
// are dense (no hashing, 4 bytes a string), and for numbered ids a numeric_table, dense too
// while they are.
class id_index {
public:
    std::uint32_t get(string_id id) const {
        if (is_numbered(id)) return numbered_.get(id & ~numbered_bit);
        return id < at_.size() ? at_[id] : none;
    }
    // The index stored for `id`, or `value` stored now; second: whether it was inserted.
    std::pair<std::uint32_t, bool> insert(string_id id, std::uint32_t value) {
        if (is_numbered(id)) return numbered_.insert(id & ~numbered_bit, value);
        if (id >= at_.size()) at_.resize(std::max<std::size_t>(id + 1, at_.size() * 3 / 2 + 16), none);
        if (at_[id] != none) return {at_[id], false};
        at_[id] = value;
        return {value, true};
    }
    // Calls f(id, index) for every id with one: pooled ids ascending, then numbered ones.
    template <class F>
    void for_each(F&& f) const {
        for (string_id i = 0; i < at_.size(); ++i)
            if (at_[i] != none) f(i, at_[i]);
        numbered_.for_each([&](std::uint32_t k, std::uint32_t v) { f(k | numbered_bit, v); });
    }
    std::size_t size() const {
        std::size_t n = numbered_.size();
        for (const std::uint32_t x : at_) n += x != none;
        return n;
    }
    std::size_t bytes() const { return at_.capacity() * sizeof(std::uint32_t) + numbered_.bytes(); }

private:
    pod_vector<std::uint32_t> at_;
    numeric_table<std::uint32_t, none> numbered_;
};

// A set of string ids, for marking a few among many: a flag a pooled id, pages for numbered ones.
class string_set {
public:
    explicit string_set(std::size_t pooled) : pooled_(pooled, 0) {}
    void add(string_id id) {
        if (is_numbered(id)) numbered_.insert(id & ~numbered_bit, 1);
        else {
            if (id >= pooled_.size()) pooled_.resize(id + 1, 0);
            pooled_[id] = 1;
        }
    }
    bool contains(string_id id) const {
        if (is_numbered(id)) return numbered_.get(id & ~numbered_bit) != 0;
        return id < pooled_.size() && pooled_[id] != 0;
    }

private:
    std::vector<std::uint8_t> pooled_;
    numeric_table<std::uint8_t, 0> numbered_;
};

class store {
public:
    explicit store(const check::plan& plan);

    string_pool strings;
    std::vector<std::string> sources;
    std::vector<entity> entities;
    id_index entity_of;                                      // entity id -> index
    std::vector<table> tables;                               // per event type
    pod_vector<event_slot> slots;
    id_index slot_of;                                        // event id -> slot
    std::unordered_map<std::uint32_t, std::vector<location>> extra_copies;  // slot -> locations of copies 2..n
    std::unordered_map<std::uint32_t, location> far_first;  // slot -> a first location too far to pack
    std::vector<std::pair<location, std::string>> parse_rejections;
    std::unordered_map<ignored_key, std::uint64_t, ignored_key_hash> ignored;
    std::uint64_t entity_records = 0, retraction_records = 0;
    std::uint64_t records_read = 0;  // every record handed in, whatever became of it
    std::optional<day> latest_event;
    bool hierarchy_dirty = false;
    std::vector<std::vector<std::uint32_t>> by_kind;  // resolved entities of each kind, by id

    std::uint32_t source_index(std::string_view name);
    // Keeps in columns only the declared fields of each event type that `read[type][field]`
    // says some rule reads, and every ref (a ref decides whether its event is accepted). Before
    // any record.
    void keep_only(const std::vector<std::vector<bool>>& read);
    // Where an event id's first copy came from.
    location first_of(std::uint32_t slot) const {
        const event_slot& s = slots[slot];
        return s.first.far() ? far_first.at(slot) : s.first.get();
    }
    void set_first(std::uint32_t slot, const location& where) {
        slots[slot].first = packed_location(where);
        if (slots[slot].first.far()) far_first[slot] = where;
    }

    // What an added event did, so the caller can keep indexes current.
    struct event_effect {
        std::uint32_t slot = none;         // the event id's slot (add_event)
        std::uint32_t applied_row = none;  // a row that became applied
        int applied_type = -1;
        std::uint32_t removed_row = none;  // an applied row that stopped counting
        int removed_type = -1;
    };
    event_effect add_event(const io::parsed_record& r, location where);
    event_effect add_retraction(std::string_view id);
    void add_entity(const io::parsed_record& r, location where);
    // The common new entity of a stream (a household registered): its id never seen before (so
    // nothing names it: no event, no entity waiting for it), under a resolved parent of a kind
    // it may be within, or none, added to a resolved hierarchy. Derives for it what resolve()
    // would, and nothing else changes, so the hierarchy stays resolved. Returns its index; none
    // (having done nothing) when the record is not such a one: add_entity() takes it then.
    std::uint32_t add_leaf(const io::parsed_record& r, location where);

    // Bytes held, by part (capacity, not size: what the allocator gave), for the benchmarks'
    // account of where an event's state goes.
    struct memory {
        std::size_t strings = 0;     // the string pool: bytes, offsets, lengths, its table
        std::size_t event_ids = 0;   // event slots and the id -> slot map
        std::size_t rows = 0;        // the built-in columns of every table (id, times, unit, states)
        std::size_t fields = 0;      // the declared fields' columns and set members
        std::size_t entities = 0;    // entities, their records, the id -> entity map
        std::size_t other = 0;       // extra copies' locations, rejections, ignored-field counts
    };
    memory bytes() const;

    // Writes everything above that records made (not what resolve() derives) to a state file;
    // load() reads it into this store, which must be fresh and of the same plan (the engine's
    // literals already interned). A file that does not fit is a state_error.
    void save(state_writer& w) const;
    void load(state_reader& r);

    // Recomputes standing versions, resolution and the hierarchy, then every row's state.
    void resolve();
    // What resolve() derives, for the entities `changed` only (by index), the others standing:
    // `changed` must hold every entity whose place can change — those whose parent chain
    // reaches a changed record, and every entity not resolved. Rows are left to resolve_row().
    void resolve_entities(const std::vector<std::uint32_t>& changed);
    // The entity record a parsed record makes (its strings interned).
    entity_record record_of(const io::parsed_record& r, location where);
    // Why each unresolved entity (one with a standing version, held out of the hierarchy) is
    // unresolved: a parent cycle, a parent no record registers, a rejected parent, or a chain
    // deeper than max_depth — itself or through an ancestor. By entity id. Needs resolve().
    struct unresolved_cause {
        std::uint32_t entity;
        const char* reason;
        std::vector<string_id> ids;  // the cycle, from its least id; or the missing/rejected parent
    };
    std::vector<unresolved_cause> unresolved_entities() const;
    // Decides one row's state from the current hierarchy.
    void resolve_row(int type, std::uint32_t row);
    // Calls f(field, entity id) for every ref the row holds (ref fields and set<ref> members);
    // stops early when f returns true.
    template <class F>
    void for_each_ref(int type, std::uint32_t row, F&& f) const {
        const table& t = tables[static_cast<std::size_t>(type)];
        for (std::size_t field = check::first_declared_field; field < t.columns.size(); ++field) {
            const column& c = t.columns[field];
            const bool refs = c.kind == check::type_kind::ref || (c.kind == check::type_kind::set && c.element == check::type_kind::ref);
            if (!refs || !c.present[row]) continue;
            if (c.kind != check::type_kind::set) {
                if (f(field, static_cast<string_id>(c.value[row]))) return;
                continue;
            }
            for (std::uint32_t m = c.set_begin[row]; m < c.set_end[row]; ++m)
                if (f(field, static_cast<string_id>(t.members[m]))) return;
        }
    }

    // Parent chains deeper than this from their root are held unresolved.
    static constexpr int max_depth = 4096;

    // Versions of an entity whose records disagree, ascending.
    static std::vector<std::int64_t> conflicted_versions(const entity& e);
    // The index of the version that stands (the highest whose records agree), or -1.
    static int standing_of(const entity& e);
    // Whether an entity of `kind` may be within one of `parent_kind` (a kind without `within`
    // accepts any parent).
    bool may_be_within(int kind, int parent_kind) const;
    // The reason an entity is rejected for its parent's kind (shared by add() and reports).
    std::string parent_kind_reason(string_id entity, string_id parent, int kind, int parent_kind) const;
    // An entity's state worked out on the spot from the records, walking its parent chain
    // only: for answering add() without re-resolving the whole hierarchy.
    entity_state state_now(std::uint32_t index) const;
    // Why a ref to `target` in field `f` of event type `type` is rejected: the entity is
    // registered and resolved but of a kind the field does not allow. Empty otherwise.
    std::string wrong_kind(int type, std::size_t f, string_id target, bool use_cache) const;
    std::string_view text(string_id id) const { return strings.view(id); }
    // A copy of id's text, with none kept in the pool (for the many event ids of a report).
    std::string text_copy(string_id id) const {
        text_buffer b;
        return std::string(strings.text(id, b));
    }
    // Whether a's text comes before b's, with no text kept for it.
    bool text_less(string_id a, string_id b) const { return strings.less(a, b); }
    // The table waivers are kept in, after the plan's event types (io::waiver_type).
    int waiver_type() const { return static_cast<int>(tables.size()) - 1; }

private:
    // The slot's row no longer counts (retracted, or its id in conflict).
    event_effect stop_counting(const event_slot& s);
    const check::plan& plan_;
    std::uint32_t append_row(const io::parsed_record& r, string_id id);
    // The hash of a record's values of the fields its table does not keep.
    std::uint64_t fingerprint_of(const io::parsed_record& r) const;
    void prefetch_values(const io::parsed_record& r);
    std::vector<std::uint64_t> value_hashes_;  // of the strings append_row interns, prefetched
    bool same_row(int type, std::uint32_t row, const io::parsed_record& r) const;
};

}  // namespace mandate::eval
