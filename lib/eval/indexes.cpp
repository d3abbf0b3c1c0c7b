#include "indexes.hpp"

#include <algorithm>

namespace mandate::eval {

using graph::node;
using graph::node_kind;

namespace {

void push_sorted(std::vector<entry>& list, entry e, bool& sorted) {
    if (!list.empty() && e < list.back()) sorted = false;
    list.push_back(e);
}

}  // namespace

index_set::index_set(const graph::compiled_plan& plan, store& st, const event_values& values, aggregate_states& states)
    : plan_(plan), st_(st), values_(values), states_(states) {
    sources_.resize(plan.sources().size());
    sources_of_type_.resize(plan.model().events.size() + 1);  // and the waivers' table, in no source
    for (std::size_t s = 0; s < plan.sources().size(); ++s)
        sources_of_type_[static_cast<std::size_t>(plan.sources()[s].event)].push_back(static_cast<int>(s));
    // Coverages over the same (source, field) share one index.
    coverage_of_node_.assign(plan.nodes().size(), -1);
    for (std::size_t n = 0; n < plan.nodes().size(); ++n) {
        const node& x = plan.nodes()[n];
        if (x.kind != node_kind::aggregate || x.op != check::op::coverage) continue;
        int found = -1;
        for (std::size_t c = 0; c < coverages_.size(); ++c)
            if (coverages_[c].source == x.source && coverages_[c].field == x.field) found = static_cast<int>(c);
        if (found < 0) {
            coverage_index ci;
            ci.source = x.source;
            ci.field = x.field;
            coverages_.push_back(std::move(ci));
            found = static_cast<int>(coverages_.size() - 1);
        }
        coverage_of_node_[n] = found;
    }
    coverages_of_type_.resize(plan.model().events.size() + 1);
    for (std::size_t c = 0; c < coverages_.size(); ++c)
        coverages_of_type_[static_cast<std::size_t>(plan.sources()[static_cast<std::size_t>(coverages_[c].source)].event)]
            .push_back(static_cast<int>(c));
}

void index_set::index_row(int type, std::uint32_t row) {
    const entry e{st_.tables[static_cast<std::size_t>(type)].date[row], row};
    // Once built, lists stay sorted (an event comes in at its place; most arrive in date
    // order, at the end), so the states can read a span's events off them at once. Before,
    // rows go at the end and a list is sorted once, when the indexes are built.
    auto insert = [&](std::vector<entry>& list, bool& sorted) {
        if (!built_) {
            push_sorted(list, e, sorted);
            return;
        }
        list.insert(std::upper_bound(list.begin(), list.end(), e), e);
    };
    places_of(
        type, row,
        [&](int s, std::uint32_t unit, std::vector<entry>& list, bool& sorted) {
            insert(list, sorted);
            states_.placed(s, unit, type, row, +1, list);
        },
        [&](int c, std::uint32_t target, std::vector<entry>& list, bool& sorted) {
            insert(list, sorted);
            states_.named(c, target, type, row, +1, list);
        });
}

void index_set::unindex_row(int type, std::uint32_t row) {
    const entry e{st_.tables[static_cast<std::size_t>(type)].date[row], row};
    auto remove = [&](std::vector<entry>& list, bool sorted) {
        auto it = sorted ? std::lower_bound(list.begin(), list.end(), e) : std::find(list.begin(), list.end(), e);
        if (it != list.end() && it->d == e.d && it->row == e.row) list.erase(it);
    };
    places_of(
        type, row,
        [&](int s, std::uint32_t unit, std::vector<entry>& list, bool& sorted) {
            remove(list, sorted);
            states_.placed(s, unit, type, row, -1, list);
        },
        [&](int c, std::uint32_t target, std::vector<entry>& list, bool& sorted) {
            remove(list, sorted);
            states_.named(c, target, type, row, -1, list);
        });
}

std::vector<index_set::placement> index_set::places(const std::vector<std::pair<int, std::uint32_t>>& rows) {
    std::vector<placement> out;
    for (const auto& [type, row] : rows) {
        const entry e{st_.tables[static_cast<std::size_t>(type)].date[row], row};
        places_of(
            type, row, [&](int s, std::uint32_t unit, std::vector<entry>&, bool&) { out.push_back({{0, s, unit}, e}); },
            [&](int c, std::uint32_t target, std::vector<entry>&, bool&) { out.push_back({{1, c, target}, e}); });
    }
    std::sort(out.begin(), out.end(), [](const placement& a, const placement& b) {
        return a.first < b.first || (a.first == b.first && a.second < b.second);
    });
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

namespace {

// Walks two sorted placement lists together: only_a(p) for each place only in a, only_b(p)
// for each only in b.
template <class A, class B>
void walk(const std::vector<index_set::placement>& a, const std::vector<index_set::placement>& b, A&& only_a, B&& only_b) {
    auto less = [](const index_set::placement& x, const index_set::placement& y) {
        return x.first < y.first || (x.first == y.first && x.second < y.second);
    };
    std::size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        if (j == b.size() || (i < a.size() && less(a[i], b[j]))) only_a(a[i++]);
        else if (i == a.size() || less(b[j], a[i])) only_b(b[j++]);
        else ++i, ++j;
    }
}

}  // namespace

std::vector<index_set::list_key> index_set::differing(const std::vector<placement>& before, const std::vector<placement>& after) {
    std::vector<list_key> out;
    auto note = [&](const placement& p) {
        if (out.empty() || !(out.back() == p.first)) out.push_back(p.first);
    };
    walk(before, after, note, note);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

void index_set::move(const std::vector<placement>& before, const std::vector<placement>& after) {
    std::vector<placement> leaving, arriving;
    walk(before, after, [&](const placement& p) { leaving.push_back(p); }, [&](const placement& p) { arriving.push_back(p); });
    for (std::size_t i = 0; i < leaving.size();) {
        const list_key k = leaving[i].first;
        std::size_t end = i;
        while (end < leaving.size() && leaving[end].first == k) ++end;
        std::vector<entry>& list = *list_for(k);
        // Both sorted: one pass keeps what does not leave.
        std::size_t at = i;
        list.erase(std::remove_if(list.begin(), list.end(),
                                  [&](const entry& e) {
                                      while (at < end && leaving[at].second < e) ++at;
                                      return at < end && leaving[at].second == e;
                                  }),
                   list.end());
        i = end;
    }
    for (std::size_t i = 0; i < arriving.size();) {
        const list_key k = arriving[i].first;
        std::vector<entry>& list = *list_for(k);  // places() made it
        const auto middle = static_cast<std::ptrdiff_t>(list.size());
        for (; i < arriving.size() && arriving[i].first == k; ++i) list.push_back(arriving[i].second);
        std::inplace_merge(list.begin(), list.begin() + middle, list.end());
    }
}

std::vector<entry>* index_set::list_for(const list_key& k) {
    if (k.coverage) return &coverages_[static_cast<std::size_t>(k.index)].by_target[k.unit];
    source_index& s = sources_[static_cast<std::size_t>(k.index)];
    return plan_.sources()[static_cast<std::size_t>(k.index)].scoped ? &s.by_unit[k.unit] : &s.all;
}

void index_set::clear() {
    for (auto& s : sources_) {
        s.by_unit.clear();
        s.all.clear();
        s.sorted = true;
    }
    for (auto& c : coverages_) {
        c.by_target.clear();
        c.sorted = true;
    }
    built_ = false;
}

void index_set::build() {
    clear();
    states_.invalidate();
    for (std::size_t t = 0; t < st_.tables.size(); ++t)
        for (std::uint32_t row = 0; row < st_.tables[t].size(); ++row)
            if (st_.tables[t].counts(row)) index_row(static_cast<int>(t), row);
    sort();
    // The states in one pass over the lists just made (index_row leaves them to this while
    // they are not built: a state per event as it is indexed would cost the same, in more steps).
    states_.build(
        [&](int s, const auto& visit) {
            const source_index& index = sources_[static_cast<std::size_t>(s)];
            if (!plan_.sources()[static_cast<std::size_t>(s)].scoped) {
                visit(none, index.all);
                return;
            }
            index.by_unit.for_each([&](std::uint32_t unit, const std::vector<entry>& list) { visit(unit, list); });
        },
        [&](int c, std::uint32_t x) { return coverages_[static_cast<std::size_t>(c)].by_target.find(x); });
    built_ = true;
}

void index_set::sort() {
    for (auto& s : sources_) {
        if (s.sorted) continue;
        std::sort(s.all.begin(), s.all.end());
        for (auto& list : s.by_unit.values()) std::sort(list.begin(), list.end());
        s.sorted = true;
    }
    for (auto& c : coverages_) {
        if (c.sorted) continue;
        for (auto& list : c.by_target.values()) std::sort(list.begin(), list.end());
        c.sorted = true;
    }
}

void index_set::prepare() {
    if (st_.hierarchy_dirty) {
        st_.resolve();
        built_ = false;
    }
    if (!built_) build();
}

void index_set::apply(const store::event_effect& effect) {
    if (!built_ || st_.hierarchy_dirty) return;
    if (effect.removed_row != none) unindex_row(effect.removed_type, effect.removed_row);
    if (effect.applied_row != none) index_row(effect.applied_type, effect.applied_row);
}

std::size_t index_set::bytes() const {
    std::size_t n = 0;
    auto lists = [&](const auto& map) {
        map.for_each([&](std::uint32_t, const std::vector<entry>& l) { n += sizeof(l) + l.capacity() * sizeof(entry) + 8; });
    };
    for (const source_index& s : sources_) {
        lists(s.by_unit);
        n += s.all.capacity() * sizeof(entry);
    }
    for (const coverage_index& c : coverages_) lists(c.by_target);
    return n;
}

}  // namespace mandate::eval
