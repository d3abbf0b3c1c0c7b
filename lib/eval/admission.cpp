// Taking records in: each record read is counted once, applied to the store (and so to the
// indexes), and, when it is rejected for a reason known on arrival, answered with that reason.
// The reasons a record is rejected for after arrival (its id or version comes into conflict, a
// ref's entity turns out to be of the wrong kind) are worded here too, for add() and for the
// report's accounting alike.
#include "engine_state.hpp"

namespace mandate::eval {

// A record rejected before it could be parsed into one (cut short, too long, a CSV row
// that does not fit its header), or by the parser: counted and listed with its reason.
add_status engine_state::reject(std::uint32_t source, std::uint64_t line, std::string reason) {
    ++st.records_read;
    last_error = std::move(reason);
    st.parse_rejections.emplace_back(location{source, line}, last_error);
    return add_status::rejected;
}

add_status engine_state::add_parsed(bool ok, std::uint32_t source, std::uint64_t line, bool explain) {
    return add_record(ok ? &parser.record() : nullptr, parser.error(), source, line, explain);
}

void engine_state::applied(const store::event_effect& effect) {
    // A waiver is in no index: judged again where it names a bucket.
    if (effect.applied_type == st.waiver_type()) waiver_touched(effect.applied_row);
    if (effect.removed_type == st.waiver_type()) waiver_touched(effect.removed_row);
    if (effect.applied_type == st.waiver_type() || effect.removed_type == st.waiver_type()) return;
    indexes.apply(effect);
    if (subscribers.empty() && !reported) return;
    // What subscribers will hear of: the buckets these rows touch (subscriptions.cpp).
    if (effect.removed_row != none) pending.emplace_back(effect.removed_type, effect.removed_row);
    if (effect.applied_row != none) pending.emplace_back(effect.applied_type, effect.applied_row);
}

add_status engine_state::add_record(const io::parsed_record* record, const std::string& error, std::uint32_t source,
                                    std::uint64_t line, bool explain) {
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
            waivers_changed();  // a waiver's unit may be this one
            // Once the indexes are built (a registry loaded and reported on): one at a time. A
            // registry loaded in bulk is resolved once, at the first report.
            if (const std::uint32_t x = indexes.built() ? st.add_leaf(r, where) : none; x != none) {
                entity_added(x);  // a new unit nothing names yet: the hierarchy stands
            } else if (!entity_changed(r, where)) {
                hierarchy_work_ = 0;  // a budget for the next build
                st.add_entity(r, where);
                indexes.invalidate();
                kept_accounting_.valid = false;  // any row's class may change with the hierarchy
                watched_stale = true;  // the hierarchy may change: subscribers' buckets are judged anew
                forget_report();       // and so are the next report's
                entity_touch_.clear();
            }
            if (explain) last_error = entity_rejection(r);
            break;
        case io::record_kind::retraction: {
            // The id's slot leaves the kept accounting as it was and comes back as it is.
            const bool kept = kept_accounting_.valid;
            if (kept) {
                if (const std::uint32_t before = st.slot_of.get(st.strings.find(r.retract)); before != none) count_slot(before, -1);
            }
            applied(st.add_retraction(r.retract));
            if (kept) count_slot(st.slot_of.get(st.strings.find(r.retract)), 1);
            break;
        }
        case io::record_kind::event:
        case io::record_kind::waiver:
        {
            hierarchy_work_ = 0;  // the registry records before it were not one bulk of them
            const bool kept = kept_accounting_.valid;
            if (kept) {
                if (const std::uint32_t before = st.slot_of.get(st.strings.find(r.id)); before != none) count_slot(before, -1);
            }
            const store::event_effect effect = st.add_event(r, where);
            if (kept) count_slot(effect.slot, 1);
            applied(effect);
            if (explain) last_error = event_rejection(r.id, effect.slot);
        }
            break;
    }
    return last_error.empty() ? add_status::accepted : add_status::rejected;
}

std::string engine_state::event_rejection(std::string_view id, std::uint32_t slot) const {
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

std::string engine_state::entity_rejection(const io::parsed_record& r) const {
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

std::string engine_state::version_conflict_reason(string_id entity, std::int64_t version) const {
    return "entity '" + std::string(st.text(entity)) + "' version " + std::to_string(version) +
           " is in conflict: records with this version differ";
}

std::string engine_state::id_conflict_reason(std::string_view id) const {
    return "event id '" + std::string(id) + "' is in conflict: records with this id differ";
}

}  // namespace mandate::eval
