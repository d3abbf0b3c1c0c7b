// The accounting of a report: every record read lands in exactly one class (rejected,
// entities, retractions, duplicates, retracted, unresolved, applied), with the reasons of the
// rejected ones and the ignored fields; and the entities held out of the hierarchy. The
// classes of event ids are kept as records arrive (count_slot), not recounted per report.
#include <algorithm>
#include <tuple>

#include "engine_state.hpp"

namespace mandate::eval {

void engine_state::count_slot(std::uint32_t slot, int sign) const {
    kept_accounting& k = kept_accounting_;
    const event_slot& s = st.slots[slot];
    if (s.copies == 0) return;  // only retracted: its retraction is counted apart
    // Rejected comes before retracted: a retracted copy with a bad ref is rejected.
    const bool rejected = s.conflict || (s.row != none && st.tables[static_cast<std::size_t>(s.type)].state[s.row] == row_state::rejected_ref);
    if (rejected) {
        if (sign > 0) k.rejected_slots.insert(slot);
        else k.rejected_slots.erase(slot);
        return;
    }
    const auto step = static_cast<std::uint64_t>(static_cast<std::int64_t>(sign));  // wraps back on removal
    k.duplicates += step * (s.copies - 1);
    if (s.retracted) k.retracted += step;
    else if (s.type == st.waiver_type()) k.waivers += step;  // applied to a bucket or not
    else if (st.tables[static_cast<std::size_t>(s.type)].state[s.row] == row_state::applied) k.applied += step;
    else k.unresolved += step;
}

void engine_state::count_entity(std::uint32_t x, int sign) const {
    kept_accounting& k = kept_accounting_;
    if (sign < 0) {
        // Before its records change: an entity not in counted_records had all of them counted.
        const auto partly = k.counted_records.find(x);
        k.entities -= partly != k.counted_records.end() ? partly->second : st.entities[x].records.size();
        if (partly != k.counted_records.end()) k.counted_records.erase(partly);
        k.entity_rejections.erase(x);
        return;
    }
    const entity& e = st.entities[x];
    const std::int64_t standing_version = e.standing >= 0 ? e.records[static_cast<std::size_t>(e.standing)].version : -1;
    const auto conflicted = store::conflicted_versions(e);
    std::uint64_t counted = 0;
    for (const entity_record& rec : e.records) {
        std::string reason;
        if (std::binary_search(conflicted.begin(), conflicted.end(), rec.version)) {
            reason = version_conflict_reason(e.id, rec.version);
        } else if (e.state == entity_state::rejected && rec.version == standing_version) {
            const entity_record& s = e.records[static_cast<std::size_t>(e.standing)];
            reason = st.parent_kind_reason(e.id, s.parent, e.kind, st.entities[st.entity_of.get(s.parent)].kind);
        }
        if (reason.empty()) {
            ++counted;
        } else {
            const auto& l = rec.where;
            k.entity_rejections[x].push_back(
                rejection{l.source < st.sources.size() ? st.sources[l.source] : std::string(), l.line, reason});
        }
    }
    k.entities += counted;
    if (counted != e.records.size()) k.counted_records[x] = counted;
}

void engine_state::list_unresolved_entities() const {
    auto& out = kept_accounting_.unresolved_entities;
    out.clear();
    for (const auto& u : st.unresolved_entities()) {
        unresolved_entity x;
        x.entity = std::string(st.text(st.entities[u.entity].id));
        x.reason = u.reason;
        for (const string_id id : u.ids) x.chain.emplace_back(st.text(id));
        out.push_back(std::move(x));
    }
}

report engine_state::accounting() const {
    kept_accounting& k = kept_accounting_;
    auto where = [&](const location& l) { return std::make_pair(l.source < st.sources.size() ? st.sources[l.source] : std::string(), l.line); };
    if (!k.valid) {
        // Whole: the entities, then every event id. Kept from here on while the hierarchy stands.
        k = kept_accounting{};
        for (std::uint32_t x = 0; x < st.entities.size(); ++x) count_entity(x, 1);
        for (std::uint32_t i = 0; i < st.slots.size(); ++i) count_slot(i, 1);
        list_unresolved_entities();
        // Rows are judged against the hierarchy once it is resolved: until then, count again.
        k.valid = !st.hierarchy_dirty;
    }

    report out;
    // Accounting: every record read lands in exactly one class.
    input_counts& in = out.inputs;
    std::vector<rejection>& rejected = out.rejected;
    for (const auto& [l, reason] : st.parse_rejections) {
        auto [source, line] = where(l);
        rejected.push_back(rejection{source, line, reason});
    }
    for (const auto& [x, list] : k.entity_rejections) rejected.insert(rejected.end(), list.begin(), list.end());
    for (const std::uint32_t i : k.rejected_slots) {
        const event_slot& s = st.slots[i];
        const table& t = st.tables[static_cast<std::size_t>(s.type)];
        const std::string reason = s.conflict ? id_conflict_reason(st.text(t.id[s.row])) : t.bad_ref.at(s.row);
        auto [source, line] = where(st.first_of(i));
        rejected.push_back(rejection{source, line, reason});
        if (auto extra = st.extra_copies.find(i); extra != st.extra_copies.end())
            for (const location& l : extra->second) {
                auto [source2, line2] = where(l);
                rejected.push_back(rejection{source2, line2, reason});
            }
    }
    in.entities = k.entities;
    in.retractions = st.retraction_records;
    in.duplicates = k.duplicates;
    in.retracted = k.retracted;
    in.applied = k.applied;
    in.unresolved = k.unresolved;
    in.waivers = k.waivers;
    in.rejected = rejected.size();
    // Counted as records arrive, not summed from the classes: the report shows whether every
    // record read landed in one (read equals the sum of the others), rather than assuming it.
    in.read = st.records_read;
    // Records added through the API share a line number: the reason breaks the tie, so the
    // list does not follow arrival order.
    std::sort(rejected.begin(), rejected.end(), [](const rejection& a, const rejection& b) {
        return std::tie(a.source, a.line, a.reason) < std::tie(b.source, b.line, b.reason);
    });
    for (const auto& [key, count] : st.ignored) {
        const bool kind = key.type < 0;
        const std::string type = kind ? model.kinds[static_cast<std::size_t>(-1 - key.type)].id
                                      : key.type == st.waiver_type() ? std::string("waiver")
                                                                     : model.events[static_cast<std::size_t>(key.type)].id;
        out.ignored_fields.push_back(ignored_field{type, std::string(st.text(key.field)), count, kind});
    }
    std::sort(out.ignored_fields.begin(), out.ignored_fields.end(), [](const ignored_field& a, const ignored_field& b) {
        return a.type < b.type || (a.type == b.type && a.field < b.field);
    });
    out.unresolved_entities = k.unresolved_entities;
    return out;
}

}  // namespace mandate::eval
