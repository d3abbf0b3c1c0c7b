// Subscriptions: after each change of records, the buckets whose status (or fired, or final)
// differs as of the watch date from what subscribers last heard, before and after.
//
// The verdicts subscribers heard of are kept (engine_state::watched, an evaluation as of the
// watch date). After a record, only the buckets it touches are judged again: the (rule, unit)
// pairs whose aggregates read the event's sources for the event's unit and its ancestors (or,
// for coverage, the ancestors of the entity it names), then the rules that read those rules'
// verdicts for the same unit (outcomes, obligations triggered by outcomes), in dependency
// order, as far as verdicts change. Every bucket is judged again when that cannot be told so
// narrowly — the hierarchy changed, the watch date moved (with the latest event date), a
// source is read for every instance — and then the two evaluations are compared whole.
#include <algorithm>
#include <climits>
#include <tuple>

#include "evaluation.hpp"

namespace mandate::eval {

namespace {

using bucket_rows = std::vector<bucket_state>;

bool same_verdict(const bucket_state& a, const bucket_state& b, bool outcome) {
    return outcome ? a.fired == b.fired && a.final == b.final : a.st == b.st;
}

// The changes between a unit's rows of one rule before and after (both by period).
void compare(const engine_state& m, int r, std::uint32_t unit, const bucket_rows& before, const bucket_rows& after,
             std::vector<status_change>& out) {
    const check::rule& rule = m.model.rules[static_cast<std::size_t>(r)];
    auto make = [&](const bucket_state& b) {
        status_change c;
        c.outcome = rule.outcome;
        c.rule = rule.id;
        if (unit != none) c.unit = std::string(m.st.text(m.st.entities[unit].id));
        c.span = period{b.from, b.to};
        c.span.clock_from = b.clock_from();
        c.span.clock_to = b.clock_to();
        c.span.offset_minutes = m.model.utc_offset_minutes;
        return c;
    };
    auto set_before = [&](status_change& c, const bucket_state& b) {
        if (rule.outcome) {
            c.fired_before = b.fired;
            c.final_before = b.final;
        } else {
            c.before = b.st;
        }
    };
    auto set_after = [&](status_change& c, const bucket_state& b) {
        if (rule.outcome) {
            c.fired_after = b.fired;
            c.final_after = b.final;
        } else {
            c.after = b.st;
        }
    };
    auto less = [](const bucket_state& a, const bucket_state& b) {
        return a.from != b.from ? a.from < b.from : a.to != b.to ? a.to < b.to : a.from_minute < b.from_minute;
    };
    std::size_t i = 0, j = 0;
    while (i < before.size() || j < after.size()) {
        if (j == after.size() || (i < before.size() && less(before[i], after[j]))) {
            status_change c = make(before[i]);  // a bucket that no longer exists
            set_before(c, before[i++]);
            out.push_back(std::move(c));
        } else if (i == before.size() || less(after[j], before[i])) {
            status_change c = make(after[j]);  // a new bucket
            set_after(c, after[j++]);
            out.push_back(std::move(c));
        } else {
            if (!same_verdict(before[i], after[j], rule.outcome)) {
                status_change c = make(after[j]);
                set_before(c, before[i]);
                set_after(c, after[j]);
                out.push_back(std::move(c));
            }
            ++i;
            ++j;
        }
    }
}

template <class F>
void each_unit(const rule_results& a, F&& f) {
    a.by_unit.for_each([&](std::uint32_t unit, const std::pair<std::uint32_t, std::uint32_t>&) { f(unit); });
}

bucket_rows rows_of(const rule_results& rr, std::uint32_t unit) {
    const auto* range = rr.by_unit.find(unit);
    if (!range) return {};
    return bucket_rows(rr.rows.begin() + range->first, rr.rows.begin() + range->second);
}

}  // namespace

const engine_state::dependencies& engine_state::deps() {
    if (!deps_) {
        // Which rules read what, from the graph: once per engine.
        deps_ = std::make_unique<dependencies>();
        dependencies& d = *deps_;
        d.rules_of_source.resize(plan->sources().size());
        d.rules_of_coverage.resize(indexes.coverage_count());
        d.readers.resize(model.rules.size());
        d.ranked_sources.resize(model.rules.size());
        d.ranked_coverages.resize(model.rules.size());
        d.shifted.resize(model.rules.size());
        d.window_rules_of_source.resize(plan->sources().size());
        d.position.resize(model.rules.size());
        for (std::size_t i = 0; i < model.order.size(); ++i) d.position[static_cast<std::size_t>(model.order[i])] = static_cast<int>(i);
        for (std::size_t r = 0; r < model.rules.size(); ++r) {
            const graph::rule_node& rn = plan->rules()[r];
            const int rule = static_cast<int>(r);
            auto add = [rule](std::vector<int>& list) {
                if (std::find(list.begin(), list.end(), rule) == list.end()) list.push_back(rule);
            };
            // (node, whether it is read inside a rank())
            std::vector<std::pair<graph::node_id, bool>> stack{{rn.condition, false}, {rn.compared, false}};
            auto once = [](std::vector<int>& list, int x) {
                if (std::find(list.begin(), list.end(), x) == list.end()) list.push_back(x);
            };
            while (!stack.empty()) {
                const auto [id, ranked] = stack.back();
                stack.pop_back();
                if (id == graph::no_node) continue;
                const graph::node& n = plan->at(id);
                if (n.kind == graph::node_kind::aggregate) {
                    if (n.op == check::op::coverage) {
                        // Read through its targets: an event touches the units above the entity
                        // it names, not every unit (its source is of no unit's scope).
                        for (std::size_t c = 0; c < indexes.coverage_count(); ++c)
                            if (indexes.coverage_key(static_cast<int>(c)) == std::make_pair(n.source, n.field)) {
                                add(d.rules_of_coverage[c]);
                                if (ranked) once(d.ranked_coverages[r], static_cast<int>(c));
                            }
                    } else {
                        add(d.rules_of_source[static_cast<std::size_t>(n.source)]);
                        if (ranked) once(d.ranked_sources[r], n.source);
                    }
                }
                for (const graph::node_id a : n.args) stack.emplace_back(a, ranked || n.kind == graph::node_kind::rank);
            }
            // Events read inside earlier() count for the buckets after them, not those holding them.
            std::vector<graph::node_id> walk{rn.condition};
            while (!walk.empty()) {
                const graph::node_id id = walk.back();
                walk.pop_back();
                if (id == graph::no_node) continue;
                const graph::node& n = plan->at(id);
                if (n.kind == graph::node_kind::window && n.op == check::op::earlier) {
                    once(d.shifted[r], plan->at(n.args[0]).source);
                    continue;
                }
                walk.insert(walk.end(), n.args.begin(), n.args.end());
            }
            // The events opening and closing windows bounded by events reach every unit below theirs.
            for (const int s : {rn.window_start_source, rn.window_end_source})
                if (s >= 0) add(d.window_rules_of_source[static_cast<std::size_t>(s)]);
            if (rn.trigger_source >= 0) add(d.rules_of_source[static_cast<std::size_t>(rn.trigger_source)]);
            for (const int q : model.rules[r].reads) {
                auto& list = d.readers[static_cast<std::size_t>(q)];
                if (std::find(list.begin(), list.end(), rule) == list.end()) list.push_back(rule);
            }
            const auto& trig = model.rules[r].trig;
            if (trig.outcome && trig.target >= 0) {
                auto& list = d.readers[static_cast<std::size_t>(trig.target)];
                if (std::find(list.begin(), list.end(), rule) == list.end()) list.push_back(rule);
            }
        }
    }
    return *deps_;
}

void engine_state::forget_report() {
    reported.reset();
    report_touch.clear();
    report_touches = 0;
}

void engine_state::fold_into_report(const std::vector<std::vector<std::pair<std::uint32_t, day>>>& touch) {
    if (!reported) return;
    report_touch.resize(model.rules.size());
    for (std::size_t r = 0; r < touch.size(); ++r) {
        report_touch[r].insert(report_touch[r].end(), touch[r].begin(), touch[r].end());
        report_touches += touch[r].size();
    }
    // Each touch judges a bucket again (or a unit's): past half the buckets, a whole
    // evaluation costs less than catching up.
    if (report_touches > std::max<std::uint64_t>(4096, reported->buckets() / 2)) forget_report();
}

void engine_state::keep_for_report() {
    if (reported && (!pending.empty() || !entity_touch_.empty())) {
        std::vector<std::vector<std::pair<std::uint32_t, day>>> touch;
        if (st.hierarchy_dirty || !indexes.built() || !touched(touch)) {
            forget_report();
        } else {
            with_entity_touches(touch);
            fold_into_report(touch);
        }
    }
    pending.clear();
    entity_touch_.clear();
}

void engine_state::with_entity_touches(std::vector<std::vector<std::pair<std::uint32_t, day>>>& touch) {
    if (entity_touch_.empty()) return;
    touch.resize(model.rules.size());
    for (std::size_t r = 0; r < entity_touch_.size(); ++r)
        touch[r].insert(touch[r].end(), entity_touch_[r].begin(), entity_touch_[r].end());
}

void engine_state::entity_added(std::uint32_t x) {
    if (kept_accounting_.valid) ++kept_accounting_.entities;
    states.entity_added(x);
    if (watched) watched->entity_added(x);
    if (reported) reported->entity_added(x);
    if (!watched && !reported) return;
    // What a kept evaluation judges again: every bucket of the new unit for the rules it is an
    // instance of, and of the units above it for the rules whose coverage counts entities below.
    const dependencies& d = deps();
    const entity& e = st.entities[x];
    entity_touch_.resize(model.rules.size());
    for (std::size_t r = 0; r < model.rules.size(); ++r) {
        const check::rule& rule = model.rules[r];
        if (!rule.var.empty() && std::find(rule.unit_kinds.begin(), rule.unit_kinds.end(), e.kind) != rule.unit_kinds.end())
            entity_touch_[r].emplace_back(x, every_bucket);
    }
    for (const auto& rules : d.rules_of_coverage)
        for (const int r : rules)
            for (std::uint32_t u = e.parent, guard = 0; u != none && guard <= store::max_depth; u = st.entities[u].parent, ++guard)
                entity_touch_[static_cast<std::size_t>(r)].emplace_back(u, every_bucket);
    // Rules reading the units under theirs (units(), child quantifiers, `each ... where`), and
    // rankings, whose units ranked are found at each bucket's end.
    for (std::size_t r = 0; r < model.rules.size(); ++r) {
        const check::rule& rule = model.rules[r];
        if (rule.ranks) entity_touch_[r].emplace_back(none, every_bucket);
        if (!rule.reads_below) continue;
        for (std::uint32_t u = e.parent, guard = 0; u != none && guard <= store::max_depth; u = st.entities[u].parent, ++guard)
            entity_touch_[r].emplace_back(u, every_bucket);
    }
}

bool engine_state::touched(std::vector<std::vector<std::pair<std::uint32_t, day>>>& out) {
    const dependencies& d = deps();
    // Emptied, not freed: an add reuses what the last one allocated.
    out.resize(model.rules.size());
    for (auto& units : out) units.clear();
    bool narrow = true;
    day date = 0;
    // `ranked`: the event is read inside the rule's rank(), which every row of it reads for
    // every unit ranked (update() widens `none` to every instance).
    // `when`: the day whose buckets it touches (every_bucket: all of the unit's).
    auto touch = [&](int r, std::uint32_t unit, bool ranked, day when) {
        const check::rule& rule = model.rules[static_cast<std::size_t>(r)];
        auto& into = out[static_cast<std::size_t>(r)];
        if (rule.var.empty() || ranked) {
            into.emplace_back(none, ranked ? every_bucket : when);
            if (rule.var.empty()) return;
        }
        if (unit == none) return;
        auto instance_kind = [&](std::uint32_t u) {
            return std::find(rule.unit_kinds.begin(), rule.unit_kinds.end(), st.entities[u].kind) != rule.unit_kinds.end();
        };
        if (instance_kind(unit)) into.emplace_back(unit, when);
        // A rule reading the units under its own (a child quantifier) hears of theirs.
        if (rule.reads_below)
            for (std::uint32_t u = st.entities[unit].parent, guard = 0; u != none && guard <= store::max_depth;
                 u = st.entities[u].parent, ++guard)
                if (instance_kind(u)) into.emplace_back(u, when);
    };
    auto in = [](const std::vector<int>& list, int x) { return !list.empty() && std::find(list.begin(), list.end(), x) != list.end(); };
    for (const auto& [type, row] : pending) {
        date = st.tables[static_cast<std::size_t>(type)].date[row];
        indexes.places_of(
            type, row,
            [&](int s, std::uint32_t unit, std::vector<entry>&, bool&) {
                // A window opened or closed at a unit reaches the instances under it: all are
                // judged again (widened in update()).
                for (const int r : d.window_rules_of_source[static_cast<std::size_t>(s)]) touch(r, none, true, date);
                for (const int r : d.rules_of_source[static_cast<std::size_t>(s)]) {
                    const bool in_rank = in(d.ranked_sources[static_cast<std::size_t>(r)], s);
                    // A source of no unit's scope is read by every instance alike.
                    if (unit == none && !in_rank && !model.rules[static_cast<std::size_t>(r)].var.empty()) narrow = false;
                    // Read inside earlier(): the buckets after the event's date read it.
                    touch(r, unit, in_rank, in(d.shifted[static_cast<std::size_t>(r)], s) ? every_bucket : date);
                }
            },
            [&](int c, std::uint32_t x, std::vector<entry>&, bool&) {
                for (const int r : d.rules_of_coverage[static_cast<std::size_t>(c)]) {
                    const auto& ranked = d.ranked_coverages[static_cast<std::size_t>(r)];
                    const bool in_rank = !ranked.empty() && std::find(ranked.begin(), ranked.end(), c) != ranked.end();
                    for (std::uint32_t u = st.entities[x].parent, guard = 0; u != none && guard <= store::max_depth;
                         u = st.entities[u].parent, ++guard)
                        touch(r, u, in_rank, date);
                }
            });
        if (!narrow) return false;
    }
    return true;
}

void engine_state::update(evaluation& ev, std::vector<std::vector<std::pair<std::uint32_t, day>>>& touch, day when,
                          std::vector<status_change>* changes) {
    // In dependency order, so a rule is judged after what it reads; a rule's readers are
    // judged again, whole for the unit, where its verdicts changed.
    const dependencies& d = deps();
    const day from = ev.as_of();
    const bool moved = from != when;
    const day lo = std::min(from, when), hi = std::max(from, when);
    ev.forget();
    if (moved) ev.move_to(when);
    bucket_rows before, after;
    std::vector<day> days;
    std::vector<unit_rows> judged;
    auto heard = [&](int r, std::uint32_t u, const bucket_rows& was, const bucket_rows& now) {
        const check::rule& rule = model.rules[static_cast<std::size_t>(r)];
        bool changed = was.size() != now.size();
        for (std::size_t k = 0; !changed && k < was.size(); ++k)
            changed = was[k].from != now[k].from || was[k].to != now[k].to || was[k].from_minute != now[k].from_minute ||
                      !same_verdict(was[k], now[k], rule.outcome) ||
                      was[k].final_on != now[k].final_on || was[k].close != now[k].close || was[k].end != now[k].end;
        if (changes) compare(*this, r, u, was, now, *changes);
        if (!changed) return;
        for (const int q : d.readers[static_cast<std::size_t>(r)]) {
            const check::rule& reader = model.rules[static_cast<std::size_t>(q)];
            if (d.position[static_cast<std::size_t>(q)] <= d.position[static_cast<std::size_t>(r)]) continue;
            auto& into = touch[static_cast<std::size_t>(q)];
            if (!reader.var.empty() && u == none) {
                // A plan-wide verdict read by every instance: judge them all.
                for (const std::uint32_t x : ev.instances(reader)) into.emplace_back(x, every_bucket);
            } else {
                into.emplace_back(reader.var.empty() ? none : u, every_bucket);
                // Read inside a rank(): every unit's rank may change.
                if (!reader.var.empty() &&
                    std::binary_search(reader.reads_anywhere.begin(), reader.reads_anywhere.end(), r))
                    into.emplace_back(none, every_bucket);
                // Read `within` a unit: the units above this one read it too.
                if (!reader.var.empty() &&
                    std::binary_search(reader.reads_within.begin(), reader.reads_within.end(), r))
                    for (std::uint32_t a = st.entities[u].parent, guard = 0; a != none && guard <= store::max_depth;
                         a = st.entities[a].parent, ++guard)
                        into.emplace_back(a, every_bucket);
            }
        }
    };
    for (const int r : model.order) {
        auto& units = touch[static_cast<std::size_t>(r)];
        {
            // `none` for a rule with `each` stands for every instance (a ranking, a change read
            // through events' refs): widened here, once the instances are known.
            const check::rule& rule = model.rules[static_cast<std::size_t>(r)];
            if (!rule.var.empty() && std::any_of(units.begin(), units.end(), [](const auto& t) { return t.first == none; })) {
                if (rule.ranks) ev.forget_ranks();  // what a rank() reads changed
                units.clear();
                for (const std::uint32_t x : ev.instances(rule)) units.emplace_back(x, every_bucket);
                // And the units that had rows but are no longer instances: their rows go.
                ev.results(r).by_unit.for_each([&](std::uint32_t x, const std::pair<std::uint32_t, std::uint32_t>&) {
                    if (!ev.is_instance(r, x)) units.emplace_back(x, every_bucket);
                });
            }
        }
        std::sort(units.begin(), units.end());
        if (moved) {
            // Time moved: the buckets whose verdict can differ between the dates, with these.
            judged.clear();
            ev.rejudge_moved(r, lo, hi, units, judged);
            for (const unit_rows& u : judged) heard(r, u.unit, u.before, u.after);
            continue;
        }
        if (units.empty()) continue;
        const check::rule& rule = model.rules[static_cast<std::size_t>(r)];
        // Calendar buckets of an obligation hold the dates that touch them; a triggered
        // rule's buckets come and go with triggers, and an outcome reads verdicts: judged whole.
        const bool by_date = !rule.outcome && rule.schedule != check::schedule_kind::after &&
                             rule.schedule != check::schedule_kind::before && rule.event_phase < 0 &&
                             d.shifted[static_cast<std::size_t>(r)].empty();
        for (std::size_t i = 0; i < units.size();) {
            const std::uint32_t u = units[i].first;
            days.clear();
            bool whole_unit = !by_date;
            for (; i < units.size() && units[i].first == u; ++i) {
                if (units[i].second == every_bucket) whole_unit = true;
                days.push_back(units[i].second);
            }
            // Only the rule's instances have buckets (a unit of another kind, or one not
            // active, is read by no bucket of this rule).
            if (!ev.results(r).by_unit.find(u) && !ev.is_instance(r, u)) continue;
            if (whole_unit) {
                before = ev.rejudge(r, u);
                after = rows_of(ev.results(r), u);
            } else {
                ev.rejudge_holding(r, u, days, before, after);
            }
            heard(r, u, before, after);
        }
    }
    ev.forget();
}

void engine_state::notify(bool seed_only) {
    if (subscribers.empty()) {
        watched.reset();
        keep_for_report();
        return;
    }
    const std::optional<day> when = watch_date ? watch_date : st.latest_event;
    if (!when) {
        // No date to judge at (no watch date, no event yet): what registry records touched
        // cannot be brought into subscribers' verdicts now, so they are judged whole next time.
        if (watched && !entity_touch_.empty()) watched_stale = true;
        keep_for_report();
        return;
    }
    std::vector<status_change> changes;
    std::vector<std::vector<std::pair<std::uint32_t, day>>>& touch = touch_scratch_;
    for (auto& units : touch) units.clear();
    const bool whole = seed_only || !watched || watched_stale || st.hierarchy_dirty || !indexes.built() || !touched(touch);
    if (whole)
        for (auto& units : touch) units.clear();  // what touched() made of the rows before it gave up
    with_entity_touches(touch);
    entity_touch_.clear();
    if (reported) {
        // The next report's evaluation hears of the same rows, when it comes.
        if (whole && !pending.empty()) forget_report();
        else fold_into_report(touch);
    }
    if (whole) {
        indexes.prepare();
        auto fresh = std::make_unique<evaluation>(*this, *when);
        fresh->run();
        if (!seed_only) {
            // Against what they heard (nothing, when there was no watch date yet).
            for (std::size_t r = 0; r < model.rules.size(); ++r) {
                const int rule = static_cast<int>(r);
                std::vector<std::uint32_t> units;
                if (watched) each_unit(watched->results(rule), [&](std::uint32_t u) { units.push_back(u); });
                each_unit(fresh->results(rule), [&](std::uint32_t u) { units.push_back(u); });
                std::sort(units.begin(), units.end());
                units.erase(std::unique(units.begin(), units.end()), units.end());
                for (const std::uint32_t u : units)
                    compare(*this, rule, u, watched ? rows_of(watched->results(rule), u) : bucket_rows{},
                            rows_of(fresh->results(rule), u), changes);
            }
        }
        watched = std::move(fresh);
        watched_stale = false;
    } else {
        try {
            update(*watched, touch, *when, &changes);
        } catch (...) {
            watched_stale = true;  // judged in part: evaluated whole next time
            throw;
        }
    }
    pending.clear();
    if (seed_only) return;
    // In a defined order: buckets that exist after, by (obligation before outcome, rule id,
    // unit id, period); then those that no longer exist, in the same order.
    auto key = [](const status_change& c) {
        const bool gone = c.outcome ? !c.fired_after.has_value() : !c.after.has_value();
        return std::make_tuple(gone, c.outcome, std::cref(c.rule), std::cref(c.unit), c.span.from, c.span.to, c.span.clock_from);
    };
    std::sort(changes.begin(), changes.end(), [&](const status_change& a, const status_change& b) { return key(a) < key(b); });
    // A copy: a callback may unsubscribe (itself or another) while we call them.
    const auto listeners = subscribers;
    for (const auto& c : changes)
        for (const auto& [token, callback] : listeners)
            if (subscribers.count(token)) callback(c);
}

}  // namespace mandate::eval
