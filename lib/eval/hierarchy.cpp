// A change of the hierarchy followed in place: an entity record that is not a new leaf (a new
// version moving or retiring a unit, an entity that events or other entities were waiting for,
// a version coming into conflict) changes the places of some entities and of the rows naming
// them, and nothing else. Those entities and rows are taken out of the indexes, the kept
// aggregate states and the accounting as the hierarchy stands, the record is applied, and they
// are put back as it stands after; kept evaluations judge again the units they were and are
// under. Building everything again is left for when that would cost less (a registry fed
// again in bulk after a report), by a budget of the work spent since the last build.
#include <algorithm>
#include <iterator>

#include "evaluation.hpp"

namespace mandate::eval {

namespace {

// Whether two versions put an entity in the same place (its name changes nothing derived).
bool same_place(const entity_record& a, const entity_record& b) {
    return a.kind == b.kind && a.parent == b.parent && a.since == b.since && a.until == b.until;
}

}  // namespace

bool engine_state::entity_changed(const io::parsed_record& r, location where) {
    if (!indexes.built() || st.hierarchy_dirty) return false;
    const bool kept = kept_accounting_.valid;
    const string_id id = st.strings.intern(r.entity);
    const std::uint32_t existing = st.entity_of.get(id);
    // The standing version's fields before the record, to tell whether it changes them too.
    std::optional<std::vector<std::pair<std::int32_t, std::int64_t>>> fields_before;
    if (existing != none && st.entities[existing].state == entity_state::resolved)
        fields_before = st.entities[existing].standing_record().fields;
    if (existing != none) {
        // A record that leaves the standing version's place as it is — the registry fed again,
        // a name changed, an older version — changes no place: only the accounting hears of it.
        entity probe;
        probe.records = st.entities[existing].records;
        probe.records.push_back(st.record_of(r, where));
        const int before = st.entities[existing].standing, after = store::standing_of(probe);
        const bool same = before < 0 ? after < 0
                                     : after >= 0 && same_place(st.entities[existing].records[static_cast<std::size_t>(before)],
                                                                probe.records[static_cast<std::size_t>(after)]);
        if (same) {
            const bool fields_changed =
                before >= 0 && st.entities[existing].records[static_cast<std::size_t>(before)].fields !=
                                   probe.records[static_cast<std::size_t>(after)].fields;
            if (kept) count_entity(existing, -1);
            st.add_entity(r, where);
            st.entities[existing].standing = after;
            st.hierarchy_dirty = false;
            if (kept) count_entity(existing, 1);
            if (fields_changed) fields_changed_of(existing);
            return true;
        }
    }
    std::uint64_t rows_held = 0;
    for (const table& t : st.tables) rows_held += t.size();
    // Past the work of one whole build since the last (hierarchy_work_, below), build whole
    // instead.
    if (hierarchy_work_ > rows_held + st.entities.size()) return false;

    // The entities whose place may change: this one and those below it, and every entity not
    // resolved (one may be waiting for this one, or for one below it).
    std::vector<std::uint32_t> changed;
    std::vector<std::uint8_t> mine(st.entities.size(), 0);
    if (existing != none) {
        std::vector<std::uint32_t> stack{existing};
        while (!stack.empty()) {
            const std::uint32_t x = stack.back();
            stack.pop_back();
            if (mine[x]) continue;
            mine[x] = 1;
            changed.push_back(x);
            stack.insert(stack.end(), st.entities[x].children.begin(), st.entities[x].children.end());
        }
    }
    for (std::uint32_t x = 0; x < st.entities.size(); ++x)
        if (!mine[x] && st.entities[x].state != entity_state::resolved) {
            mine[x] = 1;
            changed.push_back(x);
        }
    // The rows naming one of them (or this id, which may be new), as their unit or in a ref.
    string_set named(st.strings.size());
    named.add(id);
    for (const std::uint32_t x : changed) named.add(st.entities[x].id);
    std::vector<std::pair<int, std::uint32_t>> rows;
    for (std::size_t type = 0; type < st.tables.size(); ++type) {
        const table& t = st.tables[type];
        std::vector<std::size_t> refs;
        for (std::size_t f = check::first_declared_field; f < t.columns.size(); ++f) {
            const column& c = t.columns[f];
            if (c.kind == check::type_kind::ref || (c.kind == check::type_kind::set && c.element == check::type_kind::ref)) refs.push_back(f);
        }
        for (std::uint32_t row = 0; row < t.size(); ++row) {
            bool hit = named.contains(t.unit[row]);
            for (std::size_t i = 0; !hit && i < refs.size(); ++i) {
                const column& c = t.columns[refs[i]];
                if (!c.present[row]) continue;
                if (c.kind != check::type_kind::set) {
                    hit = named.contains(static_cast<string_id>(c.value[row]));
                    continue;
                }
                for (std::uint32_t m = c.set_begin[row]; !hit && m < c.set_end[row]; ++m)
                    hit = named.contains(static_cast<string_id>(t.members[m]));
            }
            if (hit) rows.emplace_back(static_cast<int>(type), row);
        }
    }
    // What this costs against a build: the pass over the rows' ids about a fiftieth of it (as
    // measured on the county), each entity and row moved about what the build spends on it.
    hierarchy_work_ += (rows_held + st.entities.size()) / 50 + rows.size() + changed.size();

    auto counted_rows = [&] {
        std::vector<std::pair<int, std::uint32_t>> out;
        for (const auto& [type, row] : rows)
            if (st.tables[static_cast<std::size_t>(type)].counts(row)) out.emplace_back(type, row);
        return out;
    };
    auto count_rows = [&](int sign) {
        for (const auto& [type, row] : rows) {
            const std::uint32_t slot = st.slot_of.get(st.tables[static_cast<std::size_t>(type)].id[row]);
            if (slot != none && st.slots[slot].type == type && st.slots[slot].row == row) count_slot(slot, sign);
        }
    };
    auto targets = [&](int c, std::uint32_t x) { return indexes.list(index_set::list_key{1, c, x}); };
    // The units whose verdicts may change: the entities moved and those above them (before and
    // after, below), the units of the lists edited, and those above an entity whose coverage
    // list is.
    std::vector<std::uint32_t> units;
    auto up_from = [&](std::uint32_t x) {
        for (std::uint32_t u = x, guard = 0; u != none && guard <= store::max_depth; u = st.entities[u].parent, ++guard)
            units.push_back(u);
    };

    // Out, as the hierarchy stands: the accounting, and the entities' part in the coverages.
    if (kept) {
        count_rows(-1);
        for (const std::uint32_t x : changed) count_entity(x, -1);
    }
    const std::vector<index_set::placement> before = indexes.places(counted_rows());
    // Where each stood: what makes it an instance, and the units above it.
    struct standing {
        entity_state state;
        int kind;
        day since, until;
        std::vector<std::uint32_t> above;
    };
    auto standing_of = [&](std::uint32_t x) {
        const entity& e = st.entities[x];
        standing s{e.state, e.kind, e.since, e.until, {}};
        for (std::uint32_t u = e.parent, guard = 0; u != none && guard <= store::max_depth; u = st.entities[u].parent, ++guard)
            s.above.push_back(u);
        std::sort(s.above.begin(), s.above.end());
        return s;
    };
    std::vector<standing> stood;
    stood.reserve(changed.size());
    for (const std::uint32_t x : changed) {
        stood.push_back(standing_of(x));
        states.cover(x, -1, targets);
    }

    // The record, and the places it changes.
    st.add_entity(r, where);
    const std::uint32_t x_new = st.entity_of.get(id);
    if (existing == none) changed.push_back(x_new);
    st.resolve_entities(changed);
    for (const auto& [type, row] : rows) st.resolve_row(type, row);

    // Back, as it stands now. An entity named by a list that changes and not itself moved has
    // the same place: its part in the coverages is taken out with its list as it was.
    const std::vector<index_set::placement> after = indexes.places(counted_rows());
    const std::vector<index_set::list_key> edited = index_set::differing(before, after);
    std::vector<std::uint32_t> named_only;
    std::vector<std::uint8_t> moved(st.entities.size(), 0);
    for (const std::uint32_t x : changed) moved[x] = 1;
    for (const index_set::list_key& k : edited)
        if (k.coverage && !moved[k.unit]) named_only.push_back(k.unit);
    std::sort(named_only.begin(), named_only.end());
    named_only.erase(std::unique(named_only.begin(), named_only.end()), named_only.end());
    for (const std::uint32_t x : named_only) {
        states.cover(x, -1, targets);
        up_from(x);
    }
    indexes.move(before, after);
    for (const std::uint32_t x : changed) states.cover(x, 1, targets);
    // The units a moved entity was or is under: those above one place and not the other, or
    // all of them when the entity itself changed (resolved or not, its kind, its dates) or its
    // coverage list did. A unit above both places holds the same entities below it, with the
    // same events: a household moved between two villages leaves the town as it was.
    std::vector<std::uint8_t> list_edited(st.entities.size(), 0);
    for (const index_set::list_key& k : edited)
        if (k.coverage) list_edited[k.unit] = 1;
    bool identity_changed = false;  // for the rules of no unit: what they read of the registry
    std::vector<int> kinds;         // of the entities that joined or left the units of a kind
    for (std::size_t i = 0; i < changed.size(); ++i) {
        const std::uint32_t x = changed[i];
        units.push_back(x);
        const standing now = standing_of(x);
        const bool instance_now = now.state == entity_state::resolved;
        if (i >= stood.size()) {  // new
            identity_changed = true;
            if (instance_now) kinds.push_back(now.kind);
            units.insert(units.end(), now.above.begin(), now.above.end());
            continue;
        }
        const standing& was = stood[i];
        const bool instance_before = was.state == entity_state::resolved;
        if (instance_before != instance_now || (instance_now && was.kind != now.kind)) {
            if (instance_before) kinds.push_back(was.kind);
            if (instance_now) kinds.push_back(now.kind);
        }
        if (was.state != now.state || was.kind != now.kind || was.since != now.since || was.until != now.until || list_edited[x]) {
            identity_changed = identity_changed || was.state != now.state || was.kind != now.kind || was.since != now.since ||
                               was.until != now.until;
            units.insert(units.end(), was.above.begin(), was.above.end());
            units.insert(units.end(), now.above.begin(), now.above.end());
            continue;
        }
        std::set_symmetric_difference(was.above.begin(), was.above.end(), now.above.begin(), now.above.end(),
                                      std::back_inserter(units));
    }
    for (const std::uint32_t x : named_only) states.cover(x, 1, targets);
    // A moved unit's own coverage states: built again from the units below it as they are now.
    for (const std::uint32_t x : changed) states.rebuild_coverage(x, targets);
    bool every_instance = false;  // a list of no unit's scope changed, which every instance may read
    const dependencies& d = deps();
    for (const index_set::list_key& k : edited) {
        if (k.coverage) continue;
        states.rebuild(k.index, k.unit, indexes.list(k));
        if (k.unit != none) {
            units.push_back(k.unit);
            continue;
        }
        for (const int q : d.rules_of_source[static_cast<std::size_t>(k.index)])
            if (!model.rules[static_cast<std::size_t>(q)].var.empty()) every_instance = true;
    }
    std::sort(units.begin(), units.end());
    units.erase(std::unique(units.begin(), units.end()), units.end());
    if (kept) {
        count_rows(1);
        for (const std::uint32_t x : changed) count_entity(x, 1);
        list_unresolved_entities();
    }

    // Kept evaluations: every bucket of those units judged again, for every rule (a unit no
    // longer an instance loses its rows, a new one gains them), and the rules of no unit.
    if (!watched && !reported) return true;
    std::sort(kinds.begin(), kinds.end());
    kinds.erase(std::unique(kinds.begin(), kinds.end()), kinds.end());
    if (watched) watched->hierarchy_changed(units, kinds);
    if (reported) reported->hierarchy_changed(units, kinds);
    if (every_instance) {
        watched_stale = true;
        forget_report();
        entity_touch_.clear();
        return true;
    }
    entity_touch_.resize(model.rules.size());
    for (std::size_t q = 0; q < model.rules.size(); ++q) {
        if (model.rules[q].var.empty()) {
            if (identity_changed || !edited.empty()) entity_touch_[q].emplace_back(none, every_bucket);
            continue;
        }
        for (const std::uint32_t u : units) entity_touch_[q].emplace_back(u, every_bucket);
        // A ranking's units ranked are found at each bucket's end: every row may change.
        if (model.rules[q].ranks) entity_touch_[q].emplace_back(none, every_bucket);
    }
    // A version that moves the unit and changes its fields at once: what reads them hears too
    // (a field read through an event's ref may be read far from the unit's place).
    const entity& now = st.entities[existing == none ? st.entity_of.get(id) : existing];
    const bool fields_now_differ = now.state == entity_state::resolved
                                       ? !fields_before || *fields_before != now.standing_record().fields
                                       : fields_before.has_value();
    if (existing != none && fields_now_differ) fields_changed_of(existing);
    return true;
}

void engine_state::fields_changed_of(std::uint32_t x) {
    if (watched) watched->registry_changed();
    if (reported) reported->registry_changed();
    // A new version with other field values, in the same place: the rules reading unit fields
    // judge again the buckets that can read this unit's — its own, and those of the units
    // above it (a quantifier's, or a `where` on an event's unit below them); those reading
    // fields through an event's ref, and rankings, every instance.
    if (!watched && !reported) return;
    entity_touch_.resize(model.rules.size());
    for (std::size_t q = 0; q < model.rules.size(); ++q) {
        const check::rule& rule = model.rules[q];
        if (!rule.reads_fields && !rule.ranks) continue;
        if (rule.var.empty()) {
            entity_touch_[q].emplace_back(none, every_bucket);
            continue;
        }
        if (rule.ranks || rule.reads_event_units) {
            entity_touch_[q].emplace_back(none, every_bucket);  // every instance (update() widens it)
            continue;
        }
        for (std::uint32_t u = x, guard = 0; u != none && guard <= store::max_depth; u = st.entities[u].parent, ++guard)
            entity_touch_[q].emplace_back(u, every_bucket);
    }
}

}  // namespace mandate::eval
