// The store's part of a saved state: every record-derived fact a report depends on, in the
// store's own terms (string ids, rows, slots). What the store derives again (the hierarchy,
// each row's resolution, the indexes) is not saved: a restored store resolves it anew.
#include "state_file.hpp"
#include "store.hpp"

namespace mandate::eval {

namespace {

void put_location(state_writer& w, const location& l) {
    w.u32(l.source);
    w.u64(l.line);
}

void put_day(state_writer& w, const std::optional<day>& d) {
    w.u8(d ? 1 : 0);
    w.i64(d ? *d : 0);
}

}  // namespace

void store::save(state_writer& w) const {
    // Numbered texts first: their shapes, in the order given, then every numbered id interned.
    w.u64(strings.shapes().size());
    for (const auto& sh : strings.shapes()) {
        w.str(sh.prefix);
        w.u8(sh.width);
        w.u32(sh.base);
        w.u32(sh.span);
    }
    w.u64(strings.numbered_count());
    strings.for_each_numbered([&](string_id id) { w.u32(id); });
    w.u64(strings.size());
    for (string_id i = 0; i < strings.size(); ++i) w.str(strings.view(i));
    w.u64(sources.size());
    for (const auto& s : sources) w.str(s);

    w.u64(entities.size());
    for (const entity& e : entities) {
        w.u32(e.id);
        w.u64(e.records.size());
        for (const entity_record& r : e.records) {
            w.u32(static_cast<std::uint32_t>(r.kind));
            w.u32(r.parent);
            w.u32(r.name);
            put_day(w, r.since);
            put_day(w, r.until);
            w.i64(r.version);
            put_location(w, r.where);
            w.u64(r.fields.size());
            for (const auto& [f, v] : r.fields) {
                w.u32(static_cast<std::uint32_t>(f));
                w.i64(v);
            }
        }
    }

    w.u64(tables.size());
    for (const table& t : tables) {
        const std::size_t n = t.size();
        w.u64(n);
        for (std::size_t r = 0; r < n; ++r) {
            w.u32(t.id[r]);
            w.i64(t.date[r]);
            w.i64(t.instant[r]);
            w.u32(t.nanos[r]);
            w.u8(t.has_clock[r]);
            w.u32(t.unit[r]);
            w.u8(t.alive[r]);
        }
        w.u64(t.columns.size());
        for (std::size_t f = check::first_declared_field; f < t.columns.size(); ++f) {
            const column& c = t.columns[f];
            w.u8(static_cast<std::uint8_t>(c.kind));
            w.u8(c.kept ? 1 : 0);
            if (!c.kept) continue;
            for (std::size_t r = 0; r < n; ++r) {
                w.u8(c.present[r]);
                w.i64(c.value[r]);
                if (c.kind == check::type_kind::set) {
                    w.u32(c.set_begin[r]);
                    w.u32(c.set_end[r]);
                }
            }
        }
        w.u64(t.members.size());
        for (const std::int64_t m : t.members) w.i64(m);
        for (const std::uint64_t h : t.fingerprint) w.u64(h);
    }

    w.u64(slots.size());
    for (std::uint32_t i = 0; i < slots.size(); ++i) {
        const event_slot& s = slots[i];
        w.u32(static_cast<std::uint32_t>(static_cast<std::int32_t>(s.type)));
        w.u32(s.row);
        w.u32(s.copies);
        w.u8(s.conflict ? 1 : 0);
        w.u8(s.retracted ? 1 : 0);
        put_location(w, first_of(i));
    }
    // Which id each slot is for: a slot made by a retraction before its event has no row.
    w.u64(slot_of.size());
    slot_of.for_each([&](string_id id, std::uint32_t s) {
        w.u32(id);
        w.u32(s);
    });
    w.u64(extra_copies.size());
    for (const auto& [slot, where] : extra_copies) {
        w.u32(slot);
        w.u64(where.size());
        for (const location& l : where) put_location(w, l);
    }

    w.u64(parse_rejections.size());
    for (const auto& [l, reason] : parse_rejections) {
        put_location(w, l);
        w.str(reason);
    }
    w.u64(ignored.size());
    for (const auto& [key, count] : ignored) {
        w.u32(static_cast<std::uint32_t>(key.type));
        w.u32(key.field);
        w.u64(count);
    }
    w.u64(entity_records);
    w.u64(retraction_records);
    w.u64(records_read);
    put_day(w, latest_event);
}

void store::load(state_reader& r) {
    // The engine interned the plan's literals before any record: the saved pool starts with
    // them, and with their shapes. The shapes come back before any pooled text is interned, so
    // that a text pooled for want of room for its shape is pooled again.
    const std::uint64_t n_shapes = r.count(13);
    const std::size_t shapes_present = strings.shapes().size();
    if (n_shapes < shapes_present) r.fail("it holds fewer numbered shapes than the plan itself has");
    for (std::uint64_t i = 0; i < n_shapes; ++i) {
        string_pool::shape sh;
        sh.prefix = r.str();
        sh.width = r.u8();
        sh.base = r.u32();
        sh.span = r.u32();
        if (i < shapes_present) {
            const auto& have = strings.shapes()[i];
            if (have.prefix != sh.prefix || have.width != sh.width || have.base != sh.base || have.span != sh.span)
                r.fail("it was not saved by an engine of this plan");
        } else if (!strings.restore_shape(sh)) {
            r.fail("a numbered shape in it is out of order");
        }
    }
    const std::uint64_t n_numbered = r.count(4);
    for (std::uint64_t i = 0; i < n_numbered; ++i)
        if (!strings.restore_numbered(r.u32())) r.fail("a numbered id is out of range");
    const std::uint64_t n_strings = r.count(8);
    const std::size_t present = strings.size();
    if (n_strings < present) r.fail("it holds fewer strings than the plan itself has");
    for (std::uint64_t i = 0; i < n_strings; ++i) {
        const std::string s = r.str();
        if (i < present) {
            if (strings.view(static_cast<string_id>(i)) != s) r.fail("it was not saved by an engine of this plan");
        } else if (strings.intern(s) != i) {
            r.fail("a string appears twice in it");
        }
    }
    auto string_ref = [&](std::uint32_t id, bool optional) {
        if (optional && id == no_string) return id;
        if (is_numbered(id) ? !strings.seen(id) : id >= strings.size()) r.fail("a string id is out of range");
        return id;
    };
    const std::uint64_t n_sources = r.count(8);
    sources.clear();
    for (std::uint64_t i = 0; i < n_sources; ++i) sources.push_back(r.str());
    auto get_location = [&] {
        location l;
        l.source = r.u32();
        l.line = r.u64();
        if (l.source >= sources.size() && !(sources.empty() && l.source == 0)) r.fail("a source index is out of range");
        return l;
    };
    auto get_day = [&]() -> std::optional<day> {
        const bool has = r.u8() != 0;
        const std::int64_t d = r.i64();
        if (!has) return std::nullopt;
        if (d < INT32_MIN || d > INT32_MAX) r.fail("a date is out of range");
        return static_cast<day>(d);
    };

    const std::uint64_t n_entities = r.count(12);
    entities.clear();
    for (std::uint64_t i = 0; i < n_entities; ++i) {
        entity e;
        e.id = string_ref(r.u32(), false);
        if (!entity_of.insert(e.id, static_cast<std::uint32_t>(i)).second) r.fail("an entity appears twice in it");
        const std::uint64_t n_records = r.count(40);
        for (std::uint64_t k = 0; k < n_records; ++k) {
            entity_record rec;
            const std::uint32_t kind = r.u32();
            if (kind >= plan_.kinds.size()) r.fail("an entity's kind is out of range");
            rec.kind = static_cast<int>(kind);
            rec.parent = string_ref(r.u32(), true);
            rec.name = string_ref(r.u32(), true);
            rec.since = get_day();
            rec.until = get_day();
            rec.version = r.i64();
            rec.where = get_location();
            const auto& fields = plan_.kinds[kind].fields;
            const std::uint64_t n_fields = r.count(12);
            for (std::uint64_t f = 0; f < n_fields; ++f) {
                const std::uint32_t index = r.u32();
                if (index >= fields.size()) r.fail("an entity's field is out of range");
                std::int64_t v = r.i64();
                if (fields[index].t.kind == check::type_kind::text || fields[index].t.kind == check::type_kind::ref)
                    v = string_ref(static_cast<std::uint32_t>(v), false);
                rec.fields.emplace_back(static_cast<std::int32_t>(index), v);
            }
            e.records.push_back(rec);
        }
        entities.push_back(std::move(e));
    }

    if (r.u64() != tables.size()) r.fail("its event types are not this plan's");
    for (std::size_t type = 0; type < tables.size(); ++type) {
        table& t = tables[type];
        const std::uint64_t n = r.count(34);
        for (std::uint64_t row = 0; row < n; ++row) {
            t.id.push_back(string_ref(r.u32(), false));
            const std::int64_t d = r.i64();
            if (d < INT32_MIN || d > INT32_MAX) r.fail("a date is out of range");
            t.date.push_back(static_cast<day>(d));
            t.instant.push_back(r.i64());
            t.nanos.push_back(r.u32());
            t.has_clock.push_back(r.u8());
            t.unit.push_back(string_ref(r.u32(), false));
            t.alive.push_back(r.u8());
            t.unit_entity.push_back(none);
            t.state.push_back(row_state::unresolved);
        }
        if (r.u64() != t.columns.size()) r.fail("the fields of an event type are not this plan's");
        for (std::size_t f = check::first_declared_field; f < t.columns.size(); ++f) {
            column& c = t.columns[f];
            if (r.u8() != static_cast<std::uint8_t>(c.kind)) r.fail("a field's type is not this plan's");
            if ((r.u8() != 0) != c.kept) r.fail("the fields it keeps are not those this plan reads");
            if (!c.kept) continue;
            const bool strings_kind = c.kind == check::type_kind::text || c.kind == check::type_kind::ref;
            for (std::uint64_t row = 0; row < n; ++row) {
                const std::uint8_t here = r.u8();
                std::int64_t v = r.i64();
                if (here && strings_kind) v = string_ref(static_cast<std::uint32_t>(v), false);
                c.present.push_back(here);
                c.value.push_back(v);
                if (c.kind == check::type_kind::set) {
                    c.set_begin.push_back(r.u32());
                    c.set_end.push_back(r.u32());
                }
            }
        }
        const std::uint64_t n_members = r.count(8);
        for (std::uint64_t m = 0; m < n_members; ++m) t.members.push_back(r.i64());
        if (t.fingerprinted)
            for (std::uint64_t row = 0; row < n; ++row) t.fingerprint.push_back(r.u64());
        for (std::size_t f = check::first_declared_field; f < t.columns.size(); ++f) {
            const column& c = t.columns[f];
            if (c.kind != check::type_kind::set || !c.kept) continue;
            const bool strings_kind = c.element == check::type_kind::text || c.element == check::type_kind::ref;
            for (std::uint64_t row = 0; row < n; ++row) {
                if (c.set_begin[row] > c.set_end[row] || c.set_end[row] > t.members.size()) r.fail("a set is out of range");
                if (strings_kind)
                    for (std::uint32_t m = c.set_begin[row]; m < c.set_end[row]; ++m)
                        string_ref(static_cast<std::uint32_t>(t.members[m]), false);
            }
        }
    }

    const std::uint64_t n_slots = r.count(26);
    slots.clear();
    far_first.clear();
    for (std::uint64_t i = 0; i < n_slots; ++i) {
        event_slot s;
        const std::uint32_t type = r.u32();
        s.row = r.u32();
        s.copies = r.u32();
        s.conflict = r.u8() != 0;
        s.retracted = r.u8() != 0;
        const location first = get_location();
        if (s.row != none) {
            if (type >= tables.size() || s.row >= tables[type].size()) r.fail("an event slot names no row");
            s.type = static_cast<std::int16_t>(type);
        } else {
            if (type != static_cast<std::uint32_t>(-1) && type >= tables.size()) r.fail("an event slot's type is out of range");
            s.type = type == static_cast<std::uint32_t>(-1) ? std::int16_t{-1} : static_cast<std::int16_t>(type);
        }
        slots.push_back(s);
        set_first(static_cast<std::uint32_t>(slots.size() - 1), first);
    }
    const std::uint64_t n_named = r.count(8);
    if (n_named != slots.size()) r.fail("its event ids do not match its slots");
    for (std::uint64_t i = 0; i < n_named; ++i) {
        const string_id id = string_ref(r.u32(), false);
        const std::uint32_t slot = r.u32();
        if (slot >= slots.size() || !slot_of.insert(id, slot).second) r.fail("its event ids do not match its slots");
    }
    const std::uint64_t n_extra = r.count(12);
    extra_copies.clear();
    for (std::uint64_t i = 0; i < n_extra; ++i) {
        const std::uint32_t slot = r.u32();
        if (slot >= slots.size()) r.fail("a copy names no slot");
        auto& where = extra_copies[slot];
        const std::uint64_t n = r.count(12);
        for (std::uint64_t k = 0; k < n; ++k) where.push_back(get_location());
    }

    const std::uint64_t n_rejections = r.count(20);
    parse_rejections.clear();
    for (std::uint64_t i = 0; i < n_rejections; ++i) {
        const location l = get_location();
        parse_rejections.emplace_back(l, r.str());
    }
    const std::uint64_t n_ignored = r.count(16);
    ignored.clear();
    for (std::uint64_t i = 0; i < n_ignored; ++i) {
        // An event type's index, or a kind's as -1 - kind (an entity record's key).
        const auto type = static_cast<std::int32_t>(r.u32());
        if (type >= static_cast<std::int32_t>(tables.size()) || -1 - type >= static_cast<std::int32_t>(plan_.kinds.size()))
            r.fail("an ignored field's type is out of range");
        const string_id field = string_ref(r.u32(), false);
        ignored[ignored_key{type, field}] = r.u64();
    }
    entity_records = r.u64();
    retraction_records = r.u64();
    records_read = r.u64();
    latest_event = get_day();
    hierarchy_dirty = true;  // resolve() derives the rest
}

}  // namespace mandate::eval
