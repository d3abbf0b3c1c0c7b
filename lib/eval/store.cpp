#include "store.hpp"

#include <algorithm>
#include <stdexcept>

namespace mandate::eval {

store::store(const check::plan& plan) : plan_(plan) {
    // An event slot names its type in 16 bits (the waiver table comes after the plan's types).
    if (plan.events.size() + 1 > 32767) throw std::length_error("a plan may declare at most 32 766 event types");
    tables.resize(plan.events.size() + 1);
    for (table& t : tables) {
        t.instant.set_kind(check::type_kind::integer);
        t.nanos.set_kind(check::type_kind::boolean);
    }
    for (std::size_t t = 0; t < plan.events.size(); ++t) {
        const auto& fields = plan.events[t].fields;
        tables[t].columns.resize(fields.size());
        for (std::size_t f = 0; f < fields.size(); ++f) {
            tables[t].columns[f].kind = fields[f].t.kind;
            tables[t].columns[f].element = fields[f].t.element;
            tables[t].columns[f].value.set_kind(fields[f].t.kind);
        }
    }
    // The waivers' own table.
    table& waivers = tables.back();
    waivers.columns.resize(io::waiver_field::count);
    for (int f = check::first_declared_field; f < io::waiver_field::count; ++f) {
        waivers.columns[static_cast<std::size_t>(f)].kind = io::waiver_field_kind(f);
        waivers.columns[static_cast<std::size_t>(f)].value.set_kind(io::waiver_field_kind(f));
    }
    by_kind.resize(plan.kinds.size());
}

store::memory store::bytes() const {
    memory m;
    auto cap = [](const auto& v) { return v.capacity() * sizeof(v[0]); };
    m.strings = strings.bytes();
    m.event_ids = cap(slots) + slot_of.bytes();
    for (const table& t : tables) {
        m.rows += cap(t.id) + cap(t.date) + t.instant.bytes() + t.nanos.bytes() + cap(t.has_clock) + cap(t.unit) + cap(t.unit_entity) +
                  cap(t.state) + cap(t.alive);
        m.fields += cap(t.members) + t.columns.capacity() * sizeof(column) + cap(t.fingerprint);
        for (const column& c : t.columns) m.fields += c.value.bytes() + cap(c.present) + cap(c.set_begin) + cap(c.set_end);
        for (const auto& [row, why] : t.bad_ref) m.other += sizeof(row) + why.capacity() + 32;
    }
    m.entities = entities.capacity() * sizeof(entity) + entity_of.bytes();
    for (const entity& e : entities) {
        m.entities += e.records.capacity() * sizeof(entity_record) + e.children.capacity() * sizeof(std::uint32_t);
        for (const entity_record& r : e.records) m.entities += r.fields.capacity() * sizeof(r.fields[0]);
    }
    for (const auto& [slot, where] : extra_copies) m.other += sizeof(slot) + where.capacity() * sizeof(location) + 32;
    m.other += far_first.size() * (sizeof(std::uint32_t) + sizeof(location) + 16);
    for (const auto& [where, why] : parse_rejections) m.other += sizeof(where) + why.capacity();
    m.other += ignored.size() * (sizeof(ignored_key) + 8 + 16);
    return m;
}

std::uint32_t store::source_index(std::string_view name) {
    for (std::size_t i = 0; i < sources.size(); ++i)
        if (sources[i] == name) return static_cast<std::uint32_t>(i);
    sources.emplace_back(name);
    return static_cast<std::uint32_t>(sources.size() - 1);
}

namespace {

bool is_string_kind(check::type_kind k) { return k == check::type_kind::text || k == check::type_kind::ref; }

}  // namespace

void store::keep_only(const std::vector<std::vector<bool>>& read) {
    for (std::size_t type = 0; type < read.size() && type < plan_.events.size(); ++type) {
        table& t = tables[type];
        for (std::size_t f = check::first_declared_field; f < t.columns.size(); ++f) {
            column& c = t.columns[f];
            const bool refs = c.kind == check::type_kind::ref || (c.kind == check::type_kind::set && c.element == check::type_kind::ref);
            c.kept = refs || (f < read[type].size() && read[type][f]);
            t.fingerprinted = t.fingerprinted || !c.kept;
        }
    }
}

namespace {

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
    h = (h ^ v) * 0xBF58476D1CE4E5B9ull;
    return h ^ (h >> 31);
}

}  // namespace

std::uint64_t store::fingerprint_of(const io::parsed_record& r) const {
    const table& t = tables[static_cast<std::size_t>(r.type)];
    std::uint64_t h = 0x9E3779B97F4A7C15ull;
    std::vector<std::uint64_t> members;
    for (std::size_t f = check::first_declared_field; f < t.columns.size(); ++f) {
        const column& c = t.columns[f];
        if (c.kept) continue;
        const io::field_value& v = r.fields[f];
        h = mix(h, (f << 1) | (v.present ? 1 : 0));
        if (!v.present) continue;
        if (c.kind == check::type_kind::set) {
            // Members as a set: in any order, each once.
            members.clear();
            for (std::uint32_t m = v.members_begin; m < v.members_end; ++m) {
                const io::field_value& member = r.members[m];
                members.push_back(is_string_kind(c.element) ? string_pool::hash_of(member.text) : mix(0, static_cast<std::uint64_t>(member.integer)));
            }
            std::sort(members.begin(), members.end());
            members.erase(std::unique(members.begin(), members.end()), members.end());
            h = mix(h, members.size());
            for (const std::uint64_t m : members) h = mix(h, m);
        } else {
            h = mix(h, is_string_kind(c.kind) ? string_pool::hash_of(v.text) : static_cast<std::uint64_t>(v.integer));
        }
    }
    return h;
}

std::uint32_t store::append_row(const io::parsed_record& r, string_id id) {
    table& t = tables[static_cast<std::size_t>(r.type)];
    const auto row = static_cast<std::uint32_t>(t.size());
    t.id.push_back(id);
    t.date.push_back(r.time.local);
    t.instant.push_back(r.time.has_clock ? r.time.instant_s : r.time.local);
    t.nanos.push_back(r.time.has_clock ? r.time.nanos : 0);
    t.has_clock.push_back(r.time.has_clock ? 1 : 0);
    const std::uint64_t* h = value_hashes_.data();  // in the order add_event hashed them
    t.unit.push_back(strings.intern(r.unit, *h++).first);
    t.unit_entity.push_back(none);
    t.state.push_back(row_state::unresolved);
    t.alive.push_back(1);
    if (t.fingerprinted) t.fingerprint.push_back(fingerprint_of(r));
    for (std::size_t f = check::first_declared_field; f < t.columns.size(); ++f) {
        column& c = t.columns[f];
        if (!c.kept) continue;
        const io::field_value& v = r.fields[f];
        c.present.push_back(v.present ? 1 : 0);
        if (c.kind == check::type_kind::set) {
            const auto begin = static_cast<std::uint32_t>(t.members.size());
            for (std::uint32_t m = v.members_begin; m < v.members_end; ++m) {
                const io::field_value& member = r.members[m];
                t.members.push_back(is_string_kind(c.element) ? strings.intern(member.text, *h++).first : member.integer);
            }
            // A set: members sorted and unique, so equal sets compare equal.
            std::sort(t.members.begin() + begin, t.members.end());
            t.members.erase(std::unique(t.members.begin() + begin, t.members.end()), t.members.end());
            c.set_begin.push_back(begin);
            c.set_end.push_back(static_cast<std::uint32_t>(t.members.size()));
            c.value.push_back(0);
        } else {
            c.value.push_back(v.present ? (is_string_kind(c.kind) ? strings.intern(v.text, *h++).first : v.integer) : 0);
        }
    }
    return row;
}

bool store::same_row(int type, std::uint32_t row, const io::parsed_record& r) const {
    const table& t = tables[static_cast<std::size_t>(type)];
    if (r.type != type) return false;
    const bool clock = r.time.has_clock;
    if ((t.has_clock[row] != 0) != clock) return false;
    if (t.instant[row] != (clock ? r.time.instant_s : r.time.local)) return false;
    if (clock && t.nanos[row] != r.time.nanos) return false;
    if (strings.find(r.unit) != t.unit[row]) return false;
    if (t.fingerprinted && t.fingerprint[row] != fingerprint_of(r)) return false;
    for (std::size_t f = check::first_declared_field; f < t.columns.size(); ++f) {
        const column& c = t.columns[f];
        if (!c.kept) continue;
        const io::field_value& v = r.fields[f];
        if ((c.present[row] != 0) != v.present) return false;
        if (!v.present) continue;
        if (c.kind == check::type_kind::set) {
            std::vector<std::int64_t> theirs;
            for (std::uint32_t m = v.members_begin; m < v.members_end; ++m) {
                const io::field_value& member = r.members[m];
                if (is_string_kind(c.element)) {
                    const string_id id = strings.find(member.text);
                    if (id == no_string) return false;
                    theirs.push_back(id);
                } else {
                    theirs.push_back(member.integer);
                }
            }
            std::sort(theirs.begin(), theirs.end());
            theirs.erase(std::unique(theirs.begin(), theirs.end()), theirs.end());
            if (!std::equal(theirs.begin(), theirs.end(), t.members.begin() + c.set_begin[row],
                            t.members.begin() + c.set_end[row]))
                return false;
            continue;
        }
        if (is_string_kind(c.kind)) {
            if (strings.find(v.text) != static_cast<string_id>(c.value[row])) return false;
        } else if (c.value[row] != v.integer) {
            return false;
        }
    }
    return true;
}

// Hashes the strings append_row will intern (unit, then text and ref values in field order)
// and prefetches the slot each is probed at first: their cache misses then overlap instead of
// coming one after another.
void store::prefetch_values(const io::parsed_record& r) {
    value_hashes_.clear();
    value_hashes_.push_back(strings.prefetch(r.unit));
    const table& t = tables[static_cast<std::size_t>(r.type)];
    for (std::size_t f = check::first_declared_field; f < t.columns.size(); ++f) {
        const column& c = t.columns[f];
        if (!c.kept) continue;
        const io::field_value& v = r.fields[f];
        if (c.kind == check::type_kind::set) {
            if (!is_string_kind(c.element)) continue;
            for (std::uint32_t m = v.members_begin; m < v.members_end; ++m)
                value_hashes_.push_back(strings.prefetch(r.members[m].text));
        } else if (v.present && is_string_kind(c.kind)) {
            value_hashes_.push_back(strings.prefetch(v.text));
        }
    }
}

store::event_effect store::add_event(const io::parsed_record& r, location where) {
    event_effect effect;
    prefetch_values(r);
    if (r.type != waiver_type() && (!latest_event || r.time.local > *latest_event)) latest_event = r.time.local;
    for (std::string_view field : r.ignored) ++ignored[ignored_key{r.type, strings.intern(field)}];
    const string_id id = strings.intern(r.id);
    const auto [slot_index, inserted] = slot_of.insert(id, static_cast<std::uint32_t>(slots.size()));
    if (inserted) slots.emplace_back();
    effect.slot = slot_index;
    event_slot& s = slots[slot_index];
    ++s.copies;
    if (s.copies == 1) {
        set_first(slot_index, where);
    } else {
        extra_copies[slot_index].push_back(where);
    }
    if (s.conflict) return effect;
    if (s.row == none) {
        // The first copy (perhaps after its retraction).
        s.type = static_cast<std::int16_t>(r.type);
        s.row = append_row(r, id);
        table& t = tables[static_cast<std::size_t>(r.type)];
        t.alive[s.row] = s.retracted ? 0 : 1;
        if (!hierarchy_dirty) {
            resolve_row(r.type, s.row);
            if (t.counts(s.row)) {
                effect.applied_row = s.row;
                effect.applied_type = r.type;
            }
        }
        return effect;
    }
    if (same_row(s.type, s.row, r)) return effect;  // a duplicate
    // The same id with other content: every copy is rejected, whatever came first.
    s.conflict = true;
    event_effect stopped = stop_counting(s);
    stopped.slot = slot_index;
    return stopped;
}

store::event_effect store::stop_counting(const event_slot& s) {
    event_effect effect;
    if (s.row == none) return effect;
    table& t = tables[static_cast<std::size_t>(s.type)];
    if (t.counts(s.row)) {
        effect.removed_row = s.row;
        effect.removed_type = s.type;
    }
    t.alive[s.row] = 0;
    return effect;
}

store::event_effect store::add_retraction(std::string_view id_text) {
    event_effect effect;
    ++retraction_records;
    const string_id id = strings.intern(id_text);
    const auto [slot_index, inserted] = slot_of.insert(id, static_cast<std::uint32_t>(slots.size()));
    if (inserted) slots.emplace_back();
    event_slot& s = slots[slot_index];
    if (s.retracted) return effect;
    s.retracted = true;
    return stop_counting(s);
}

entity_record store::record_of(const io::parsed_record& r, location where) {
    entity_record rec;
    rec.kind = r.kind_index;
    rec.parent = r.has_parent ? strings.intern(r.parent) : no_string;
    rec.name = r.has_name ? strings.intern(r.name) : no_string;
    rec.since = r.since;
    rec.until = r.until;
    rec.version = r.version;
    rec.where = where;
    if (r.kind_index >= 0) {
        const auto& fields = plan_.kinds[static_cast<std::size_t>(r.kind_index)].fields;
        for (std::size_t f = 0; f < fields.size() && f < r.fields.size(); ++f) {
            const io::field_value& v = r.fields[f];
            if (!v.present) continue;
            rec.fields.emplace_back(static_cast<std::int32_t>(f),
                                    is_string_kind(fields[f].t.kind) ? static_cast<std::int64_t>(strings.intern(v.text)) : v.integer);
        }
    }
    return rec;
}

void store::add_entity(const io::parsed_record& r, location where) {
    ++entity_records;
    const string_id id = strings.intern(r.entity);
    const auto [index, inserted] = entity_of.insert(id, static_cast<std::uint32_t>(entities.size()));
    if (inserted) {
        entities.emplace_back();
        entities.back().id = id;
    }
    entities[index].records.push_back(record_of(r, where));
    // Keys its kind does not declare, listed as an event's are (by kind: a negative type).
    for (std::string_view field : r.ignored) ++ignored[ignored_key{-1 - r.kind_index, strings.intern(field)}];
    hierarchy_dirty = true;
}

std::uint32_t store::add_leaf(const io::parsed_record& r, location where) {
    if (hierarchy_dirty || strings.find(r.entity) != no_string || r.kind_index < 0) return none;
    std::uint32_t parent = none;
    if (r.has_parent) {
        parent = entity_of.get(strings.find(r.parent));
        if (parent == none || entities[parent].state != entity_state::resolved ||
            !may_be_within(r.kind_index, entities[parent].kind))
            return none;
        int depth = 0;  // the parent's, from its root
        for (std::uint32_t u = parent; entities[u].parent != none && depth <= max_depth; u = entities[u].parent) ++depth;
        if (depth + 1 > max_depth) return none;
    }
    add_entity(r, where);
    const auto x = static_cast<std::uint32_t>(entities.size() - 1);
    entity& e = entities[x];
    e.standing = 0;
    e.kind = r.kind_index;
    e.since = r.since.value_or(no_day_before);
    e.until = r.until.value_or(no_day_after);
    e.state = entity_state::resolved;
    e.parent = parent;
    if (parent != none) entities[parent].children.push_back(x);  // the highest index: last, as resolve() puts it
    auto& of_kind = by_kind[static_cast<std::size_t>(e.kind)];
    const std::string_view id = text(e.id);
    of_kind.insert(std::upper_bound(of_kind.begin(), of_kind.end(), id,
                                    [&](std::string_view a, std::uint32_t b) { return a < text(entities[b].id); }),
                   x);
    hierarchy_dirty = false;
    return x;
}

std::vector<std::int64_t> store::conflicted_versions(const entity& e) {
    if (e.records.size() < 2) return {};  // most entities: one record, nothing to disagree with
    // Records by version, then by arrival: a version conflicts when its records disagree.
    std::vector<std::size_t> order(e.records.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return e.records[a].version != e.records[b].version ? e.records[a].version < e.records[b].version : a < b;
    });
    std::vector<std::int64_t> out;
    for (std::size_t k = 1; k < order.size(); ++k) {
        const entity_record& first = e.records[order[k - 1]];
        const entity_record& r = e.records[order[k]];
        if (r.version == first.version && !r.same_content(e.records[order[k - 1]]) &&
            (out.empty() || out.back() != r.version))
            out.push_back(r.version);
    }
    return out;
}

int store::standing_of(const entity& e) {
    if (e.records.size() < 2) return e.records.empty() ? -1 : 0;  // one record stands unless another disagrees
    const std::vector<std::int64_t> conflicted = conflicted_versions(e);
    int standing = -1;
    for (std::size_t i = 0; i < e.records.size(); ++i) {
        const entity_record& r = e.records[i];
        if (std::binary_search(conflicted.begin(), conflicted.end(), r.version)) continue;
        if (standing < 0 || r.version > e.records[static_cast<std::size_t>(standing)].version) standing = static_cast<int>(i);
    }
    return standing;
}

bool store::may_be_within(int kind, int parent_kind) const {
    const auto& allowed = plan_.kinds[static_cast<std::size_t>(kind)].parents;
    return allowed.empty() || std::find(allowed.begin(), allowed.end(), parent_kind) != allowed.end();
}

std::string store::parent_kind_reason(string_id entity, string_id parent, int kind, int parent_kind) const {
    auto a = [](const std::string& noun) {
        return std::string(noun.find_first_of("aeiou") == 0 ? "an " : "a ") + noun;
    };
    const std::string& child = plan_.kinds[static_cast<std::size_t>(kind)].id;
    return "entity '" + std::string(text(entity)) + "': its parent '" + std::string(text(parent)) + "' is " +
           a(plan_.kinds[static_cast<std::size_t>(parent_kind)].id) + ", and " + a(child) + " may not be within one";
}

entity_state store::state_now(std::uint32_t index) const {
    // Walk up: each entity needs a standing version, and a parent that is registered, resolved
    // in turn, and of an allowed kind. The same rules as resolve(), for one chain only, and a
    // loop rather than recursion: a chain may be a cycle (bounded by max_depth steps).
    bool wrong_parent_kind = false;  // the entity itself is within a parent of a kind it may not be
    std::uint32_t e = index;
    for (int depth = 0; depth <= max_depth; ++depth) {
        const int standing = standing_of(entities[e]);
        if (standing < 0) return depth == 0 ? entity_state::rejected : entity_state::unresolved;
        const entity_record& r = entities[e].records[static_cast<std::size_t>(standing)];
        if (r.parent == no_string) return wrong_parent_kind ? entity_state::rejected : entity_state::resolved;
        const std::uint32_t parent = entity_of.get(r.parent);
        if (parent == none || parent == e) return entity_state::unresolved;
        const int parent_standing = standing_of(entities[parent]);
        if (parent_standing < 0) return entity_state::unresolved;
        if (!may_be_within(r.kind, entities[parent].records[static_cast<std::size_t>(parent_standing)].kind)) {
            // Rejected once the parent itself resolves (walked on from here); until then held
            // like the parent. Further up, a rejected ancestor leaves the entity unresolved.
            if (depth > 0) return entity_state::unresolved;
            wrong_parent_kind = true;
        }
        e = parent;
    }
    return entity_state::unresolved;
}

std::string store::wrong_kind(int type, std::size_t f, string_id target, bool use_cache) const {
    const std::uint32_t index = entity_of.get(target);
    if (index == none) return {};
    const entity& ent = entities[index];
    int kind = -1;
    if (use_cache) {
        if (ent.state != entity_state::resolved) return {};
        kind = ent.kind;
    } else {
        if (state_now(index) != entity_state::resolved) return {};
        kind = ent.records[static_cast<std::size_t>(standing_of(ent))].kind;
    }
    const auto& field = plan_.events[static_cast<std::size_t>(type)].fields[f];
    const auto& kinds = field.t.kinds;
    if (kinds.empty() || std::find(kinds.begin(), kinds.end(), kind) != kinds.end()) return {};
    std::string expected;
    for (std::size_t k = 0; k < kinds.size(); ++k) expected += (k ? " | " : "") + plan_.kinds[static_cast<std::size_t>(kinds[k])].id;
    return "field '" + field.id + "' names '" + std::string(text(target)) + "', a " +
           plan_.kinds[static_cast<std::size_t>(kind)].id + "; expected " + expected;
}

void store::resolve() {
    // Every entity is one whose place may change.
    std::vector<std::uint32_t> all(entities.size());
    for (std::uint32_t i = 0; i < all.size(); ++i) all[i] = i;
    resolve_entities(all);
    for (std::size_t t = 0; t < tables.size(); ++t)
        for (std::uint32_t row = 0; row < tables[t].size(); ++row) resolve_row(static_cast<int>(t), row);
}

void store::resolve_entities(const std::vector<std::uint32_t>& changed) {
    // Out of the hierarchy as it stood: their places among their parents' children and in
    // by_kind. The others keep theirs; a parent outside `changed` loses only these children.
    std::vector<std::uint8_t> mine(entities.size(), 0);
    for (const std::uint32_t x : changed) mine[x] = 1;
    std::vector<std::uint32_t> parents;
    std::vector<std::vector<std::uint32_t>> left(by_kind.size());
    for (const std::uint32_t x : changed) {
        entity& e = entities[x];
        if (e.state == entity_state::resolved && e.kind >= 0) left[static_cast<std::size_t>(e.kind)].push_back(x);
        if (e.parent != none && !mine[e.parent]) parents.push_back(e.parent);
    }
    for (std::size_t k = 0; k < left.size(); ++k)
        if (!left[k].empty())
            by_kind[k].erase(std::remove_if(by_kind[k].begin(), by_kind[k].end(), [&](std::uint32_t x) { return mine[x] != 0; }),
                             by_kind[k].end());
    std::sort(parents.begin(), parents.end());
    parents.erase(std::unique(parents.begin(), parents.end()), parents.end());
    for (const std::uint32_t p : parents) {
        auto& c = entities[p].children;
        c.erase(std::remove_if(c.begin(), c.end(), [&](std::uint32_t x) { return mine[x] != 0; }), c.end());
    }
    for (const std::uint32_t x : changed) {
        entity& e = entities[x];
        e.standing = standing_of(e);
        e.children.clear();
        e.parent = none;
        e.state = entity_state::unresolved;
        if (e.standing >= 0) {
            const entity_record& r = e.records[static_cast<std::size_t>(e.standing)];
            e.kind = r.kind;
            e.since = r.since.value_or(no_day_before);
            e.until = r.until.value_or(no_day_after);
        } else {
            e.kind = -1;
        }
    }
    // Resolution follows parents: an entity is resolved when it has no parent, or a resolved
    // parent of a kind it may be within (else rejected); a missing parent, a parent cycle, or a
    // chain deeper than max_depth from its root leaves it unresolved. Computed with an explicit
    // stack, so neither the depth of the hierarchy nor the order of entities matters; from the
    // changed entities only, the others settled, with the depth of their place (counted up to
    // the root when first asked for).
    enum class mark : std::uint8_t { fresh, visiting, done };
    std::vector<mark> marks(entities.size(), mark::done);
    for (const std::uint32_t x : changed) marks[x] = mark::fresh;
    std::vector<int> depth(entities.size(), -1);
    auto depth_of = [&](std::uint32_t p) {
        if (depth[p] >= 0) return depth[p];
        int d = 0;
        for (std::uint32_t u = entities[p].parent; u != none && d <= max_depth; u = entities[u].parent) ++d;
        return depth[p] = d;
    };
    std::vector<std::uint32_t> stack;
    for (const std::uint32_t start : changed) {
        if (marks[start] == mark::done) continue;
        stack.assign(1, start);
        while (!stack.empty()) {
            const std::uint32_t x = stack.back();
            entity& e = entities[x];
            if (marks[x] == mark::done) {
                stack.pop_back();
                continue;
            }
            auto settle = [&](entity_state state, std::uint32_t parent, int d) {
                e.state = state;
                e.parent = state == entity_state::resolved ? parent : none;
                depth[x] = d;
                marks[x] = mark::done;
                stack.pop_back();
            };
            if (e.standing < 0) {
                settle(entity_state::rejected, none, 0);
                continue;
            }
            const entity_record& r = e.records[static_cast<std::size_t>(e.standing)];
            if (r.parent == no_string) {
                settle(entity_state::resolved, none, 0);
                continue;
            }
            const std::uint32_t p = entity_of.get(r.parent);
            if (p == none) {
                settle(entity_state::unresolved, none, 0);
                continue;
            }
            if (marks[p] == mark::done) {
                if (entities[p].state != entity_state::resolved) settle(entity_state::unresolved, none, 0);
                else if (!may_be_within(e.kind, entities[p].kind)) settle(entity_state::rejected, none, 0);
                else if (depth_of(p) + 1 > max_depth) settle(entity_state::unresolved, none, 0);
                else settle(entity_state::resolved, p, depth_of(p) + 1);
                continue;
            }
            if (marks[p] == mark::visiting) {  // a cycle
                settle(entity_state::unresolved, none, 0);
                continue;
            }
            marks[x] = mark::visiting;
            stack.push_back(p);
        }
    }
    // Into the hierarchy as it stands now: children in index order and by_kind by id, as
    // resolve() leaves them.
    std::vector<std::vector<std::uint32_t>> joined(by_kind.size());
    parents.clear();
    for (const std::uint32_t x : changed) {
        const entity& e = entities[x];
        if (e.state != entity_state::resolved) continue;
        joined[static_cast<std::size_t>(e.kind)].push_back(x);
        if (e.parent == none) continue;
        entities[e.parent].children.push_back(x);
        parents.push_back(e.parent);
    }
    std::sort(parents.begin(), parents.end());
    parents.erase(std::unique(parents.begin(), parents.end()), parents.end());
    for (const std::uint32_t p : parents) std::sort(entities[p].children.begin(), entities[p].children.end());
    auto by_id = [&](std::uint32_t a, std::uint32_t b) { return text(entities[a].id) < text(entities[b].id); };
    for (std::size_t k = 0; k < joined.size(); ++k) {
        if (joined[k].empty()) continue;
        std::sort(joined[k].begin(), joined[k].end(), by_id);
        auto& list = by_kind[k];
        const auto middle = static_cast<std::ptrdiff_t>(list.size());
        list.insert(list.end(), joined[k].begin(), joined[k].end());
        std::inplace_merge(list.begin(), list.begin() + middle, list.end(), by_id);
    }
    hierarchy_dirty = false;
}

std::vector<store::unresolved_cause> store::unresolved_entities() const {
    // Each entity's chain is walked once: a walk stops at an entity already explained and
    // takes its cause, so the whole costs one step per entity whatever the depths.
    struct cause {
        const char* own;     // the reason of the entity where the cause lies
        const char* under;   // the reason of the entities within it
        std::vector<string_id> ids;
    };
    std::vector<cause> causes;
    constexpr std::uint32_t unvisited = none, on_path = none - 1;
    std::vector<std::uint32_t> cause_of(entities.size(), unvisited);
    std::vector<bool> own(entities.size(), false);
    std::vector<std::uint32_t> path;
    auto held = [&](std::uint32_t x) { return entities[x].state == entity_state::unresolved && entities[x].standing >= 0; };
    for (std::uint32_t start = 0; start < entities.size(); ++start) {
        if (!held(start) || cause_of[start] != unvisited) continue;
        path.clear();
        std::uint32_t x = start, found = unvisited;
        std::size_t own_from = 0;  // path[own_from..] carry the cause's own reason
        for (;;) {
            path.push_back(x);
            cause_of[x] = on_path;
            const entity_record& r = entities[x].records[static_cast<std::size_t>(entities[x].standing)];
            const std::uint32_t p = r.parent == no_string ? none : entity_of.get(r.parent);
            if (p == none) {
                causes.push_back({"missing parent", "under a missing parent", {r.parent}});
                found = static_cast<std::uint32_t>(causes.size() - 1);
                own_from = path.size() - 1;
                break;
            }
            if (cause_of[p] == on_path) {
                const auto at = static_cast<std::size_t>(std::find(path.begin(), path.end(), p) - path.begin());
                std::vector<string_id> cycle;
                for (std::size_t i = at; i < path.size(); ++i) cycle.push_back(entities[path[i]].id);
                const auto least = std::min_element(cycle.begin(), cycle.end(),
                                                    [&](string_id a, string_id b) { return text(a) < text(b); });
                std::rotate(cycle.begin(), least, cycle.end());
                causes.push_back({"parent cycle", "under a parent cycle", std::move(cycle)});
                found = static_cast<std::uint32_t>(causes.size() - 1);
                own_from = at;
                break;
            }
            if (cause_of[p] != unvisited) {  // explained already: the same cause, from within
                found = cause_of[p];
                own_from = path.size();
                break;
            }
            if (!held(p)) {
                // A rejected parent (its versions in conflict, or of a kind it may not be
                // within), or a resolved one too deep for its children to be resolved.
                const bool deep = entities[p].state == entity_state::resolved;
                causes.push_back({deep ? "too deep" : "rejected parent", deep ? "too deep" : "under a rejected parent",
                                  {entities[p].id}});
                found = static_cast<std::uint32_t>(causes.size() - 1);
                own_from = path.size() - 1;
                break;
            }
            x = p;
        }
        for (std::size_t i = 0; i < path.size(); ++i) {
            cause_of[path[i]] = found;
            own[path[i]] = i >= own_from;
        }
    }
    std::vector<unresolved_cause> out;
    for (std::uint32_t x = 0; x < entities.size(); ++x) {
        if (cause_of[x] == unvisited) continue;
        const cause& c = causes[cause_of[x]];
        out.push_back({x, own[x] ? c.own : c.under, c.ids});
    }
    std::sort(out.begin(), out.end(), [&](const unresolved_cause& a, const unresolved_cause& b) {
        return text(entities[a.entity].id) < text(entities[b.entity].id);
    });
    return out;
}

void store::resolve_row(int type, std::uint32_t row) {
    table& t = tables[static_cast<std::size_t>(type)];
    auto resolved = [&](string_id id) -> std::uint32_t {
        const std::uint32_t e = entity_of.get(id);
        if (e == none || entities[e].state != entity_state::resolved) return none;
        return e;
    };
    bool unresolved = false;
    std::string bad;
    if (type == waiver_type()) {
        // A waiver: of an obligation without `each` (no unit), or of a unit of its kinds.
        const check::rule& rule = plan_.rules[static_cast<std::size_t>(t.columns[io::waiver_field::obligation].value[row])];
        t.unit_entity[row] = rule.var.empty() ? none : resolved(t.unit[row]);
        if (rule.var.empty()) {
            t.state[row] = row_state::applied;
        } else if (t.unit_entity[row] == none) {
            t.state[row] = row_state::unresolved;
        } else if (const int kind = entities[t.unit_entity[row]].kind;
                   std::find(rule.unit_kinds.begin(), rule.unit_kinds.end(), kind) == rule.unit_kinds.end()) {
            t.state[row] = row_state::rejected_ref;
            std::string kinds;
            for (std::size_t k = 0; k < rule.unit_kinds.size(); ++k)
                kinds += (k ? " | " : "") + plan_.kinds[static_cast<std::size_t>(rule.unit_kinds[k])].id;
            t.bad_ref[row] = "waiver '" + std::string(text(t.id[row])) + "' names '" + std::string(text(t.unit[row])) + "', a " +
                             plan_.kinds[static_cast<std::size_t>(kind)].id + "; obligation '" + rule.id + "' is for " + kinds;
            return;
        } else {
            t.state[row] = row_state::applied;
        }
        if (!t.bad_ref.empty()) t.bad_ref.erase(row);
        return;
    }
    t.unit_entity[row] = resolved(t.unit[row]);
    if (t.unit_entity[row] == none) unresolved = true;
    for_each_ref(type, row, [&](std::size_t f, string_id id) {
        if (resolved(id) == none) unresolved = true;
        else if (bad.empty()) bad = wrong_kind(type, f, id, true);
        return false;
    });
    if (!bad.empty()) {
        t.state[row] = row_state::rejected_ref;
        t.bad_ref[row] = std::move(bad);
    } else {
        t.state[row] = unresolved ? row_state::unresolved : row_state::applied;
        if (!t.bad_ref.empty()) t.bad_ref.erase(row);  // most tables have none: no hashing per row
    }
}

}  // namespace mandate::eval
