// Waivers (LANGUAGE-v2.md section 8): approved excuses and extensions, kept as rows of a table
// of their own in the store (so their ids share the events' namespace), found per obligation
// and unit when a bucket is judged, and listed in the report when they apply to no bucket.
#include <algorithm>

#include "evaluation.hpp"

namespace mandate::eval {

namespace {

void build(engine_state& m) {
    auto& book = m.waiver_book_;
    book.rows.clear();
    book.rules.assign(m.model.rules.size(), 0);
    const table& t = m.st.tables[static_cast<std::size_t>(m.st.waiver_type())];
    for (std::uint32_t row = 0; row < t.size(); ++row) {
        if (!t.counts(row)) continue;
        const auto rule = static_cast<int>(t.columns[io::waiver_field::obligation].value[row]);
        book.rows[{rule, t.unit_entity[row]}].push_back(row);
        book.rules[static_cast<std::size_t>(rule)] = 1;
    }
    book.valid = true;
}

}  // namespace

const std::vector<std::uint32_t>* engine_state::waivers_of(int rule, std::uint32_t unit) {
    if (!waiver_book_.valid) build(*this);
    if (!waiver_book_.rules[static_cast<std::size_t>(rule)]) return nullptr;
    const auto it = waiver_book_.rows.find({rule, unit});
    return it == waiver_book_.rows.end() ? nullptr : &it->second;
}

bool engine_state::waived(int rule) {
    if (!waiver_book_.valid) build(*this);
    return waiver_book_.rules[static_cast<std::size_t>(rule)] != 0;
}

void engine_state::waiver_touched(std::uint32_t row) {
    waivers_changed();
    if (!watched && !reported) return;
    const table& t = st.tables[static_cast<std::size_t>(st.waiver_type())];
    const auto rule = static_cast<std::size_t>(t.columns[io::waiver_field::obligation].value[row]);
    const std::uint32_t unit = t.unit_entity[row];
    if (unit == none && !model.rules[rule].var.empty()) return;  // its unit is not registered: no bucket
    entity_touch_.resize(model.rules.size());
    entity_touch_[rule].emplace_back(unit, every_bucket);
}

std::vector<unapplied_waiver> engine_state::unapplied_waivers(const evaluation& ev) {
    std::vector<unapplied_waiver> out;
    const table& t = st.tables[static_cast<std::size_t>(st.waiver_type())];
    std::vector<std::uint8_t> applied(t.size(), 0);
    for (std::size_t r = 0; r < model.rules.size(); ++r)
        for (const bucket_state& b : ev.results(static_cast<int>(r)).rows)
            if (b.waiver != none) applied[b.waiver] = 1;
    for (std::uint32_t row = 0; row < t.size(); ++row) {
        if (!t.alive[row] || t.state[row] == row_state::rejected_ref) continue;
        // Every waiver that counts names its bucket; one applied to another waiver's bucket
        // (of two excuses, the one with the least id is shown) is applied too.
        const auto rule = static_cast<std::size_t>(t.columns[io::waiver_field::obligation].value[row]);
        const check::rule& ru = model.rules[rule];
        unapplied_waiver w;
        w.id = std::string(st.text(t.id[row]));
        w.obligation = ru.id;
        if (!ru.var.empty()) w.unit = std::string(st.text(t.unit[row]));
        w.period = t.date[row];
        if (applied[row]) continue;
        bool bucket = false;
        std::optional<day> short_of;  // a bucket it names, during a phase bounded by events, ending on or after its extension
        if (t.state[row] == row_state::applied) {
            const graph::rule_node& rn = plan->rules()[rule];
            ev.for_buckets(static_cast<int>(rule), t.unit_entity[row], [&](const bucket_state& b) {
                if (!check::waiver_names(ru, rn.buckets, b.from, b.to, w.period)) return;
                if (b.waiver != none) bucket = true;
                else short_of = b.end;
            });
        }
        if (bucket) continue;  // its bucket carries another waiver of it
        if (t.state[row] == row_state::unresolved)
            w.reason = "unit '" + *w.unit + "' is not registered";
        else if (short_of)
            w.reason = "the bucket of '" + ru.id + "' holding " + calendar::to_iso(w.period) + " ends on " +
                       calendar::to_iso(*short_of) + ": an extension must end after it";
        else
            w.reason = "no bucket of '" + ru.id + "'" + (w.unit ? " for '" + *w.unit + "'" : std::string()) + " holds " +
                       calendar::to_iso(w.period) + " as of " + calendar::to_iso(ev.as_of());
        out.push_back(std::move(w));
    }
    std::sort(out.begin(), out.end(), [](const unapplied_waiver& a, const unapplied_waiver& b) { return a.id < b.id; });
    return out;
}

}  // namespace mandate::eval
