// Rules, their instances and buckets, and the expressions of a requirement (evaluation.hpp).
#include "evaluation.hpp"

#include <algorithm>

namespace mandate::eval {

evaluation::evaluation(engine_state& e, day as_of) : e_(e), plan_(*e.plan), model_(e.model), as_of_(as_of) {
    results_.resize(model_.rules.size());
    memo_.resize(plan_.nodes().size());
    streak_memo_.resize(plan_.nodes().size());
    // A node's memoised values are dropped once the last rule that reads it has run: they
    // are there to share work between rules, and held longer they would cost as much
    // memory as the buckets themselves. (Evidence, gathered afterwards, recomputes.)
    std::vector<int> last_reader(plan_.nodes().size(), -1);
    std::vector<bool> seen(plan_.nodes().size());
    std::vector<node_id> stack;
    for (int r : model_.order) {
        const graph::rule_node& rn = plan_.rules()[static_cast<std::size_t>(r)];
        std::fill(seen.begin(), seen.end(), false);
        stack.assign({rn.condition, rn.compared});
        while (!stack.empty()) {
            const node_id n = stack.back();
            stack.pop_back();
            if (n == no_node || seen[static_cast<std::size_t>(n)]) continue;
            seen[static_cast<std::size_t>(n)] = true;
            last_reader[static_cast<std::size_t>(n)] = r;
            const node& x = plan_.at(n);
            stack.insert(stack.end(), x.args.begin(), x.args.end());
        }
    }
    release_after_.resize(model_.rules.size());
    for (std::size_t n = 0; n < last_reader.size(); ++n)
        if (last_reader[n] >= 0) release_after_[static_cast<std::size_t>(last_reader[n])].push_back(static_cast<node_id>(n));
}

void evaluation::run() {
    for (int r : model_.order) {
        run_rule(r);
        for (const node_id n : release_after_[static_cast<std::size_t>(r)]) {
            std::unordered_map<memo_key, val, memo_hash>().swap(memo_[static_cast<std::size_t>(n)]);
            std::unordered_map<memo_key, std::pair<val, bool>, memo_hash>().swap(streak_memo_[static_cast<std::size_t>(n)]);
        }
    }
}

val evaluation::eval(node_id id, context& ctx) {
    const node& n = plan_.at(id);
    switch (n.kind) {
        case node_kind::constant: return e_.values.constant(id);
        case node_kind::unary: return unary(n.op, eval(n.args[0], ctx));
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
            return binary(n.op, a, b, ctx.undefined);
        }
        case node_kind::in: {
            const val x = eval(n.args[0], ctx);
            if (x.k == val::kind::undef) {
                ctx.undefined = true;
                return val::boolean(false);
            }
            return val::boolean(e_.values.in_list(plan_.at(n.args[1]), x));
        }
        case node_kind::aggregate: return memoized(id, ctx, [&] { return aggregate(id, ctx, nullptr); });
        case node_kind::streak: {
            // A comparison inside the streak that met an undefined value marks the row
            // "no data" too; the flag is memoised with the value.
            // Shared by rules, a streak's value still depends on each rule's grace.
            const auto& grace = ctx.rule->grace;
            std::uint64_t mix = grace ? static_cast<std::uint64_t>(grace->count) * 4 + static_cast<std::uint64_t>(grace->unit) + 1 : 0;
            // Inside a quantifier, the units bound around it are read too (unsigned: it wraps).
            if (n.reads_slots)
                for (std::size_t k = 1; k < ctx.slots.size(); ++k) mix = mix * 1000003u + ctx.slots[k] + 1;
            const auto salt = static_cast<std::int64_t>(mix);
            const memo_key key{id, ctx.unit, ctx.from, ctx.to, salt};
            auto& memo = streak_memo_[static_cast<std::size_t>(id)];
            if (auto it = memo.find(key); it != memo.end()) {
                ctx.undefined = ctx.undefined || it->second.second;
                return it->second.first;
            }
            context inner = ctx;
            inner.undefined = false;
            const val v = streak(n, inner);
            if (memo.empty()) memo_dirty_.push_back(id);
            memo.emplace(key, std::make_pair(v, inner.undefined));
            memoized_ = true;
            ctx.undefined = ctx.undefined || inner.undefined;
            return v;
        }
        case node_kind::violations: return violations(n, ctx);
        case node_kind::fired: return fired(n, ctx);
        case node_kind::unit_var: {
            const std::uint32_t u = ctx.slot(n.slot);
            return u == none ? val::undef() : val::str(e_.st.entities[u].id);
        }
        case node_kind::entity_field: return entity_field(n, unit_of(n.args[0], ctx));
        case node_kind::is_kind: {
            const std::uint32_t u = unit_of(n.args[0], ctx);
            return val::boolean(u != none && std::binary_search(n.kinds.begin(), n.kinds.end(), e_.st.entities[u].kind));
        }
        case node_kind::units:
        case node_kind::all_units:
        case node_kind::any_unit: return units(id, ctx, nullptr);
        case node_kind::rank: return rank(id, ctx);
        case node_kind::window: return window(n, ctx);
        default: return val::undef();
    }
}

val evaluation::window(const node& n, context& ctx) {
    const calendar::duration& length = n.value.length;
    const day last = std::min(ctx.to, as_of_);
    context inner = ctx;
    inner.undefined = false;
    inner.clock_from = inner.clock_to = calendar::no_clock;  // runs and earlier ranges are of whole days
    val out;
    if (n.op == check::op::earlier) {
        // The bucket's range up to T, moved back (a day that does not exist in the month it
        // lands in is that month's last).
        inner.from = calendar::shift(ctx.from, length, -1);
        inner.to = ctx.from > last ? inner.from - 1 : calendar::shift(last, length, -1);
        out = eval(n.args[0], inner);
    } else {
        // The largest value over runs of `length` days, each counting the days of the bucket
        // up to T it holds. A run's events change only where its first day passes an event
        // (the run starting on it, or the day after) or its last day reaches one: the largest
        // is that of a run starting on such a day (or, with no event, of any run: the first).
        const std::int64_t days = length.days();
        auto run = [&](std::int64_t from) {
            inner.from = static_cast<day>(std::max<std::int64_t>(from, ctx.from));
            inner.to = static_cast<day>(std::min<std::int64_t>(from + days - 1, last));
            return eval(n.args[0], inner);
        };
        auto better = [&](const val& v) {
            if (v.k == val::kind::number && (out.k != val::kind::number || out.n < v.n)) out = v;
        };
        out = run(ctx.from);
        const node& agg = plan_.at(n.args[0]);
        const graph::source& src = plan_.sources()[static_cast<std::size_t>(agg.source)];
        if (ctx.from <= last)
            if (const std::vector<entry>* list = e_.indexes.source(agg.source).find(ctx.slot(agg.slot), src.scoped)) {
                auto [lo, hi] = range_of(*list, ctx.from, last);
                // A sum of amounts that may be negative needs every such run; a count or a
                // distinct, never lowered by an event, the runs starting on an event's day.
                const bool signed_sum = agg.op == check::op::sum;
                day previous = ctx.from;
                for (auto it = lo; it != hi; ++it) {
                    if (it->d == previous && it != lo) continue;
                    previous = it->d;
                    better(run(it->d));
                    if (!signed_sum) continue;
                    if (it == lo) better(run(static_cast<std::int64_t>(ctx.from) - days + 1));  // the run holding the first day alone
                    if (it->d + 1 <= last) better(run(static_cast<std::int64_t>(it->d) + 1));
                    better(run(static_cast<std::int64_t>(it->d) - days + 1));
                }
            }
    }
    ctx.undefined = ctx.undefined || inner.undefined;
    return out;
}

std::uint32_t evaluation::unit_of(node_id operand, const context& ctx) const {
    const node& o = plan_.at(operand);
    return o.kind == node_kind::unit_var ? ctx.slot(o.slot) : none;
}

val evaluation::entity_field(const node& n, std::uint32_t unit) const {
    if (unit == none) return val::undef();
    const entity& ent = e_.st.entities[unit];
    if (ent.state != entity_state::resolved || ent.kind < 0) return val::undef();
    const int f = n.kind_fields[static_cast<std::size_t>(ent.kind)];
    if (f < 0) return val::undef();  // its kind does not declare the field
    const std::int64_t* v = ent.standing_record().field(f);
    if (!v) return val::undef();  // an optional field the record leaves out
    return event_values::stored(model_.kinds[static_cast<std::size_t>(ent.kind)].fields[static_cast<std::size_t>(f)].t.kind, *v);
}

val evaluation::units(node_id id, context& ctx, collector* evidence) {
    const node& n = plan_.at(id);
    std::vector<std::uint32_t> below;
    under(id, ctx.slot(n.within_slot), n.kinds, ctx.registry_day(), below);
    std::int64_t holding = 0;
    std::vector<std::uint32_t> failing;
    bool failed_on_undefined = false;  // a unit for which the predicate fails met an undefined value
    for (const std::uint32_t x : below) {
        bool holds = true;
        if (!n.args.empty()) {
            context inner = ctx;
            inner.undefined = false;
            inner.slots[static_cast<std::size_t>(n.slot)] = x;
            holds = eval(n.args[0], inner).truthy();
            if (!holds && inner.undefined) failed_on_undefined = true;
        }
        if (holds) ++holding;
        else failing.push_back(x);
        // all_units and any_unit are decided by the first that fails or holds, but go on: the
        // evidence names every unit that fails.
    }
    // "no data" only where it decides: a unit that fails for want of a value makes all_units
    // false and the count lower; any_unit is false for want of one only when none holds.
    if (failed_on_undefined && (n.kind != node_kind::any_unit || holding == 0)) ctx.undefined = true;
    if (evidence) {
        std::sort(failing.begin(), failing.end(), [&](std::uint32_t a, std::uint32_t b) {
            return e_.st.text(e_.st.entities[a].id) < e_.st.text(e_.st.entities[b].id);
        });
        coverage_evidence c{holding, static_cast<std::int64_t>(below.size()), {}};
        for (std::size_t i = 0; i < failing.size() && i < evidence->limit; ++i)
            c.missing.emplace_back(e_.st.text(e_.st.entities[failing[i]].id));
        evidence->children = std::move(c);
    }
    switch (n.kind) {
        case node_kind::all_units: return val::boolean(failing.empty());
        case node_kind::any_unit: return val::boolean(holding > 0);
        default: return val::number(rational(holding));
    }
}

val evaluation::rank(node_id id, context& ctx) {
    const node& n = plan_.at(id);
    const std::uint32_t within = n.within_slot >= 0 ? ctx.slot(n.within_slot) : none;
    // A ranking depends on the rule (a streak in EXPR reads its grace) and on the day the
    // registry is read (the units ranked), besides its node, span and `within` unit.
    const rank_key key{id, ctx.from, ctx.to, within, ctx.rule, ctx.registry_day()};
    auto it = ranks_.find(key);
    if (it == ranks_.end()) {
        // The units ranked: those of the kinds active at the period's end (under `within`).
        std::vector<std::uint32_t> among;
        const day on = ctx.registry_day();
        if (n.within_slot >= 0) {
            under(id, within, n.kinds, on, among);
        } else {
            for (const int k : n.kinds)
                for (const std::uint32_t x : e_.st.by_kind[static_cast<std::size_t>(k)])
                    if (e_.st.entities[x].active_on(on)) among.push_back(x);
        }
        std::vector<std::pair<val, std::uint32_t>> scored;
        for (const std::uint32_t x : among) {
            context inner = ctx;
            inner.unit = x;
            inner.undefined = false;
            const val v = eval(n.args[0], inner);
            if (v.k == val::kind::undef) continue;  // no value: left out
            scored.emplace_back(v, x);
        }
        auto better = [&](const val& a, const val& b) {
            bool undefined = false;
            return binary(n.ascending ? check::op::lt : check::op::gt, a, b, undefined).truthy();
        };
        std::sort(scored.begin(), scored.end(), [&](const auto& a, const auto& b) { return better(a.first, b.first); });
        std::unordered_map<std::uint32_t, std::int64_t> rank_of;
        for (std::size_t i = 0; i < scored.size(); ++i) {
            // Ties share the best rank: 1, 2, 2, 4.
            const bool tie = i > 0 && !better(scored[i - 1].first, scored[i].first);
            rank_of[scored[i].second] = tie ? rank_of[scored[i - 1].second] : static_cast<std::int64_t>(i + 1);
        }
        if (ranks_.empty()) memoized_ = true;
        it = ranks_.emplace(key, std::move(rank_of)).first;
    }
    const auto r = it->second.find(ctx.unit);
    if (r == it->second.end()) return val::undef();  // not among them, or no value of its own
    return val::number(rational(r->second));
}

bool evaluation::has_bucket(const graph::rule_node& rn, const check::rule& rule, std::uint32_t unit, const calendar::bucket& b) {
    if (unit != none && !e_.st.entities[unit].active_during(b.from, b.to)) return false;
    if (rn.where == no_node) return true;
    // Judged on the registry as it stands at the end of the bucket's period, even after the date:
    // the same until the registry changes, whatever the date or the events.
    const memo_key key{rn.rule, unit, b.from, b.to, 0};
    if (auto it = where_.find(key); it != where_.end()) return it->second;
    context ctx{unit, b.from, b.to, &rule, false};
    const bool holds = eval(rn.where, ctx).truthy();
    where_.emplace(key, holds);
    return holds;
}

const std::vector<std::uint32_t>& evaluation::below(std::uint32_t key, std::uint32_t unit, const std::vector<int>& rules) {
    // Keys apart from under()'s (node ids): the top bit set.
    const std::uint64_t k = static_cast<std::uint64_t>(key | 0x80000000u) << 32 | unit;
    auto [it, fresh] = under_.try_emplace(k);
    if (!fresh || unit == none) return it->second;
    std::vector<std::uint8_t> kinds(model_.kinds.size(), 0);
    for (const int q : rules)
        for (const int kind : model_.rules[static_cast<std::size_t>(q)].unit_kinds) kinds[static_cast<std::size_t>(kind)] = 1;
    std::vector<std::uint32_t> stack(e_.st.entities[unit].children.begin(), e_.st.entities[unit].children.end());
    while (!stack.empty()) {
        const std::uint32_t x = stack.back();
        stack.pop_back();
        const entity& ent = e_.st.entities[x];
        if (ent.kind >= 0 && kinds[static_cast<std::size_t>(ent.kind)]) it->second.push_back(x);
        stack.insert(stack.end(), ent.children.begin(), ent.children.end());
    }
    return it->second;
}

val evaluation::streak(const node& n, context& ctx) {
    const auto subs = calendar::split(ctx.from, ctx.to, n.per, model_.week_start, false);
    std::int64_t run = 0, best = 0;
    for (const auto& sub : subs) {
        if (as_of_ < calendar::close_day(sub.to, ctx.rule->grace, model_.workdays.get())) break;  // only closed sub-periods
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

val evaluation::violations(const node& n, const context& ctx, std::vector<std::pair<int, const bucket_state*>>* counted) {
    // Violated buckets ending inside this one (an extended bucket ends where it was extended
    // to; an excused one is not violated), of the unit, or of it and every unit under it.
    const std::uint32_t unit = ctx.slot(n.slot);
    static const std::vector<std::uint32_t> nothing;
    const node_id id = static_cast<node_id>(&n - plan_.nodes().data());
    const std::vector<std::uint32_t>& below_it = n.within ? below(static_cast<std::uint32_t>(id), unit, n.rules) : nothing;
    std::int64_t count = 0, obligations = 0;
    for (int q : n.rules) {
        std::int64_t mine = 0;
        auto tally = [&](const bucket_state& b) {
            if (b.end >= ctx.from && b.end <= ctx.to && b.st == status::violated) {
                ++mine;
                if (counted) counted->emplace_back(q, &b);
            }
        };
        for_buckets(q, unit, tally);
        for (const std::uint32_t u : below_it) for_buckets(q, u, tally);
        count += mine;
        if (mine > 0) ++obligations;
    }
    return val::number(rational(n.distinct ? obligations : count));
}

val evaluation::fired(const node& n, const context& ctx) {
    bool any = false;
    for (int q : n.rules)
        for_buckets(q, ctx.slot(n.slot), [&](const bucket_state& b) {
            if (b.to >= ctx.from && b.to <= ctx.to && b.fired) any = true;
        });
    return val::boolean(any);
}

const std::vector<std::uint32_t>& evaluation::instances(const check::rule& rule) const {
    // Once per rule: they change only with the hierarchy, which no kept evaluation outlives.
    const auto r = static_cast<std::size_t>(&rule - model_.rules.data());
    if (instances_.size() != model_.rules.size()) instances_.resize(model_.rules.size());
    if (!instances_[r]) instances_[r] = find_instances(rule);
    return *instances_[r];
}

std::vector<std::uint32_t> evaluation::find_instances(const check::rule& rule) const {
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

std::vector<evaluation::event_window> evaluation::event_windows(const check::rule& rule, const graph::rule_node& rn,
                                                               std::uint32_t unit) const {
    const check::phase& ph = model_.phases[static_cast<std::size_t>(rule.event_phase)];
    const table& starts = e_.st.tables[static_cast<std::size_t>(ph.start_event)];
    const table& ends = e_.st.tables[static_cast<std::size_t>(ph.end_event)];
    std::vector<event_window> raw;
    // Opened at the unit or at any unit above it; closed by an end event of the unit that
    // opened it, dated on or after the start; cut at `at most` (the start day the first).
    for (std::uint32_t a = unit, guard = 0; a != none && guard <= store::max_depth; a = e_.st.entities[a].parent, ++guard) {
        const std::vector<entry>* opened = e_.indexes.source(rn.window_start_source).find(a, true);
        if (!opened) continue;
        const std::vector<entry>* closed = e_.indexes.source(rn.window_end_source).find(a, true);
        for (const entry& start : *opened) {
            if (start.d > as_of_) break;  // not yet opened
            if (starts.unit_entity[start.row] != a) continue;  // opened below a
            event_window w{start.d, std::nullopt};
            if (closed)
                for (auto it = std::lower_bound(closed->begin(), closed->end(), entry{start.d, 0}); it != closed->end(); ++it) {
                    if (it->d > as_of_) break;  // not yet closed
                    if (ends.unit_entity[it->row] == a) {
                        w.to = it->d;
                        break;
                    }
                }
            if (ph.at_most) {
                const day cut = ph.at_most->unit == calendar::time_unit::workday
                                    ? calendar::shift(start.d - 1, *ph.at_most, +1, model_.workdays.get())
                                    : calendar::shift(start.d, *ph.at_most, +1) - 1;
                if (!w.to || *w.to > cut) w.to = std::max(cut, start.d);
            }
            raw.push_back(w);
        }
    }
    std::sort(raw.begin(), raw.end(), [](const event_window& x, const event_window& y) { return x.from < y.from; });
    // Windows that overlap or touch are one.
    std::vector<event_window> out;
    for (const event_window& w : raw) {
        if (!out.empty() && (!out.back().to || static_cast<std::int64_t>(*out.back().to) + 1 >= w.from)) {
            event_window& last = out.back();
            if (last.to && (!w.to || *w.to > *last.to)) last.to = w.to;
            continue;
        }
        out.push_back(w);
    }
    return out;
}

std::vector<calendar::bucket> evaluation::buckets_for(int r, std::uint32_t unit) const {
    const check::rule& rule = model_.rules[static_cast<std::size_t>(r)];
    const graph::rule_node& rn = plan_.rules()[static_cast<std::size_t>(r)];
    std::vector<calendar::bucket> out;
    if (rule.event_phase >= 0) {
        for (const event_window& w : event_windows(rule, rn, unit))
            for (const auto& b : check::window_buckets(rule, model_.week_start, w.from, w.to, as_of_))
                if (b.visible <= as_of_) out.push_back(b);
        return out;
    }
    if (rule.schedule != check::schedule_kind::after && rule.schedule != check::schedule_kind::before) {
        for (const auto& b : rn.buckets)
            if (b.visible <= as_of_) out.push_back(b);
        return out;
    }
    // Triggers by day, or for `within N hours` by minute (a date alone: its midnight).
    const bool by_clock = rule.within.unit == calendar::time_unit::hour;
    std::vector<calendar::minute> minutes;
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
    } else if (rule.trig.registered) {
        // One bucket, from the unit's registration, when that lies inside the window.
        if (unit != none) {
            const day since = e_.st.entities[unit].since;
            if (since >= rule.window_from && since <= rule.window_to) days.push_back(since);
        }
    } else if (rn.trigger_source >= 0) {
        const graph::source& src = plan_.sources()[static_cast<std::size_t>(rn.trigger_source)];
        const std::vector<entry>* list = e_.indexes.source(rn.trigger_source).find(unit, src.scoped);
        if (list) {
            auto [lo, hi] = range_of(*list, rule.window_from, std::min(rule.window_to, as_of_));
            for (auto it = lo; it != hi; ++it) {
                if (src.filter_uses_unit && !e_.values.evaluate(src.filter, src.event, it->row, unit).truthy()) continue;
                days.push_back(it->d);
                if (by_clock) minutes.push_back(local_minute(e_.st.tables[static_cast<std::size_t>(src.event)], it->row));
            }
        }
    }
    if (by_clock) {
        if (minutes.empty())
            for (day d : days) minutes.push_back(static_cast<calendar::minute>(d) * 1440);  // outcomes: the day it became final
        std::sort(minutes.begin(), minutes.end());
        minutes.erase(std::unique(minutes.begin(), minutes.end()), minutes.end());
        for (calendar::minute m : minutes) {
            if (calendar::day_of_minute(m) > as_of_) continue;
            if (auto b = check::triggered_clock_bucket(rule, m)) out.push_back(*b);
        }
    } else {
        std::sort(days.begin(), days.end());
        days.erase(std::unique(days.begin(), days.end()), days.end());
        for (day d : days) {
            if (d > as_of_) continue;
            if (auto b = check::triggered_bucket(rule, d)) out.push_back(*b);
        }
    }
    std::sort(out.begin(), out.end(), [](const calendar::bucket& a, const calendar::bucket& b) {
        return a.from < b.from || (a.from == b.from && (a.to < b.to || (a.to == b.to && a.clock_from < b.clock_from)));
    });
    return out;
}

void evaluation::run_rule(int r) {
    const check::rule& rule = model_.rules[static_cast<std::size_t>(r)];
    const graph::rule_node& rn = plan_.rules()[static_cast<std::size_t>(r)];
    rule_results& out = results_[static_cast<std::size_t>(r)];
    for (std::uint32_t unit : instances(rule)) {
        const auto begin = static_cast<std::uint32_t>(out.rows.size());
        for (const auto& b : buckets_for(r, unit)) {
            if (!has_bucket(rn, rule, unit, b)) continue;
            if (++buckets_ > e_.options.limits.max_buckets)
                throw limit_error("the report would hold more than " + std::to_string(e_.options.limits.max_buckets) +
                                  " buckets (units × periods; max_buckets)");
            out.rows.push_back(judge(rule, rn, unit, b));
        }
        out.by_unit[unit] = {begin, static_cast<std::uint32_t>(out.rows.size())};
    }
}

calendar::bucket evaluation::bucket_of(const graph::rule_node& rn, const bucket_state& row) const {
    // A calendar bucket keeps the day it is first reported (a cumulative one's calendar period).
    for (const auto& b : rn.buckets)
        if (b.from == row.from && b.to == row.to && b.clock_from == row.clock_from()) return b;
    calendar::bucket b{row.from, row.to, row.from};
    b.clock_from = row.clock_from();
    b.clock_to = row.clock_to();
    return b;
}

bucket_state evaluation::judge(const check::rule& rule, const graph::rule_node& rn, std::uint32_t unit, const calendar::bucket& b) {
    bucket_state s;
    s.unit = unit;
    s.from = b.from;
    s.to = b.to;
    // With `due`, the events that count are those of its due range, and `violations` and `warn`
    // take its end as the bucket's (LANGUAGE-v2.md section 5).
    const check::due_range counted = check::counted_days(rule, b.from, b.to);
    s.end = counted.to;
    // An approved waiver of this bucket (LANGUAGE-v2.md section 8): an extension moves its end,
    // an excuse gives it its own status.
    bool excused = false;
    if (!rule.outcome) {
        if (const auto* ws = e_.waivers_of(rn.rule, unit)) {
            const table& t = e_.st.tables[static_cast<std::size_t>(e_.st.waiver_type())];
            const column& extend = t.columns[io::waiver_field::extend_to];
            for (const std::uint32_t w : *ws) {
                if (!check::waiver_names(rule, rn.buckets, b.from, b.to, t.date[w])) continue;
                const bool excuse = t.columns[io::waiver_field::excuse].present[w] != 0;
                // Of several: an excuse before an extension, the latest extension, then the least id.
                auto earlier_id = [&] { return s.waiver == none || e_.st.text_less(t.id[w], t.id[s.waiver]); };
                if (excuse) {
                    if (!excused || earlier_id()) s.waiver = w;
                    excused = true;
                } else if (!excused && extend.present[w] && extend.value[w] > counted.to &&
                           (extend.value[w] > s.end || (extend.value[w] == s.end && earlier_id()))) {
                    s.end = static_cast<day>(extend.value[w]);
                    s.waiver = w;
                }
            }
            if (excused) s.end = counted.to;
        }
    }
    const calendar::workday_calendar* workdays = model_.workdays.get();
    s.close = calendar::close_day(s.end, rule.grace, workdays);
    s.set_clock(b.clock_from, b.clock_to);
    context ctx{unit, counted.from, s.end, &rule, false};
    ctx.period_to = b.to;
    ctx.clock_from = b.clock_from;
    ctx.clock_to = b.clock_to;
    const bool holds = eval(rn.condition, ctx).truthy();
    const bool closed = as_of_ >= s.close;
    s.met = holds;
    if (rule.outcome) {
        s.fired = holds;
        day final_on = s.close;
        for (int q : rule.reads) {
            const bool obligation = !model_.rules[static_cast<std::size_t>(q)].outcome;
            auto later = [&](const bucket_state& x) {
                if (x.end < b.from || x.end > b.to) return;
                final_on = std::max(final_on, obligation ? x.close : x.final_on);
            };
            if (std::binary_search(rule.reads_anywhere.begin(), rule.reads_anywhere.end(), q)) {
                for (const bucket_state& x : results_[static_cast<std::size_t>(q)].rows) later(x);
                continue;
            }
            for_buckets(q, unit, later);
            if (std::binary_search(rule.reads_within.begin(), rule.reads_within.end(), q)) {
                const auto key = static_cast<std::uint32_t>(plan_.nodes().size()) + static_cast<std::uint32_t>(rn.rule);
                for (const std::uint32_t u : below(key, unit, rule.reads_within)) for_buckets(q, u, later);
            }
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
        context value_ctx{unit, counted.from, s.end, &rule, false};
        value_ctx.period_to = b.to;
        value_ctx.clock_from = b.clock_from;
        value_ctx.clock_to = b.clock_to;
        s.value = eval(rn.compared, value_ctx);
    }
    s.no_data = ctx.undefined;
    if (excused) s.st = status::excused;
    s.at_risk = s.st == status::pending && !holds && rule.warn &&
                as_of_ >= calendar::warn_day(s.end, *rule.warn, workdays);
    return s;
}

}  // namespace mandate::eval

namespace mandate::eval {

std::vector<bucket_state> evaluation::rejudge(int r, std::uint32_t unit) {
    const check::rule& rule = model_.rules[static_cast<std::size_t>(r)];
    const graph::rule_node& rn = plan_.rules()[static_cast<std::size_t>(r)];
    std::vector<bucket_state> fresh;
    rule_results& rr = results_[static_cast<std::size_t>(r)];
    auto* range = rr.by_unit.find(unit);
    if (!is_instance(r, unit)) {
        // No longer one (the hierarchy changed): its rows go, and its place.
        if (!range) return {};
        std::vector<bucket_state> old = rejudge_into(r, unit, {});
        rr.by_unit.erase(unit);
        return old;
    }
    for (const auto& b : buckets_for(r, unit)) {
        if (!has_bucket(rn, rule, unit, b)) continue;
        fresh.push_back(judge(rule, rn, unit, b));
    }
    return rejudge_into(r, unit, std::move(fresh));
}

std::vector<bucket_state> evaluation::rejudge_into(int r, std::uint32_t unit, std::vector<bucket_state> fresh) {
    const check::rule& rule = model_.rules[static_cast<std::size_t>(r)];
    rule_results& rr = results_[static_cast<std::size_t>(r)];
    auto* range = rr.by_unit.find(unit);
    if (!range) {
        // A new instance: its rows go where report order puts them, after the nearest
        // instance before it (by id text) that has its place.
        const auto& all = instances(rule);
        std::uint32_t at = 0;
        for (auto it = std::find(all.begin(), all.end(), unit); it != all.begin();) {
            if (const auto* before = rr.by_unit.find(*--it)) {
                at = before->second;
                break;
            }
        }
        rr.by_unit[unit] = {at, at};
        range = rr.by_unit.find(unit);
    }
    const std::uint32_t begin = range->first, end = range->second;
    std::vector<bucket_state> old(rr.rows.begin() + begin, rr.rows.begin() + end);
    if (fresh.size() == old.size()) {
        std::copy(fresh.begin(), fresh.end(), rr.rows.begin() + begin);
        return old;
    }
    // Another count of buckets (a trigger came or went): the rows after this unit's move.
    rr.rows.erase(rr.rows.begin() + begin, rr.rows.begin() + end);
    rr.rows.insert(rr.rows.begin() + begin, fresh.begin(), fresh.end());
    const auto delta = static_cast<std::int64_t>(fresh.size()) - static_cast<std::int64_t>(old.size());
    buckets_ = static_cast<std::uint64_t>(static_cast<std::int64_t>(buckets_) + delta);
    // The units after this one move. Among units without rows, several sit at one place: those
    // after it in report order (by id text) move, those before it stay.
    const std::string_view id = unit == none ? std::string_view() : e_.st.text(e_.st.entities[unit].id);
    rr.by_unit.for_each([&](std::uint32_t other_unit, std::pair<std::uint32_t, std::uint32_t>& other) {
        if (&other == range || other.first < end) return;
        if (begin == end && other.first == begin && other.second == begin && other_unit != none &&
            e_.st.text(e_.st.entities[other_unit].id) < id)
            return;
        {
            other.first = static_cast<std::uint32_t>(other.first + delta);
            other.second = static_cast<std::uint32_t>(other.second + delta);
        }
    });
    range->second = static_cast<std::uint32_t>(begin + fresh.size());
    return old;
}

void evaluation::rejudge_holding(int r, std::uint32_t unit, const std::vector<day>& days, std::vector<bucket_state>& before,
                                 std::vector<bucket_state>& after) {
    const check::rule& rule = model_.rules[static_cast<std::size_t>(r)];
    const graph::rule_node& rn = plan_.rules()[static_cast<std::size_t>(r)];
    before.clear();
    after.clear();
    rule_results& rr = results_[static_cast<std::size_t>(r)];
    const auto* range = rr.by_unit.find(unit);
    if (!range) return;
    for (std::uint32_t i = range->first; i < range->second; ++i) {
        bucket_state& row = rr.rows[i];
        if (std::none_of(days.begin(), days.end(), [&](day d) { return row.from <= d && d <= row.end; })) continue;
        before.push_back(row);
        row = judge(rule, rn, unit, bucket_of(rn, row));
        after.push_back(row);
    }
}

void evaluation::rejudge_moved(int r, day lo, day hi, const std::vector<std::pair<std::uint32_t, day>>& touch,
                               std::vector<unit_rows>& changed) {
    const check::rule& rule = model_.rules[static_cast<std::size_t>(r)];
    const graph::rule_node& rn = plan_.rules()[static_cast<std::size_t>(r)];
    rule_results& rr = results_[static_cast<std::size_t>(r)];
    // Units touched that are no longer instances (the hierarchy changed): their rows go.
    for (std::size_t i = 0; i < touch.size(); ++i) {
        const std::uint32_t unit = touch[i].first;
        if ((i > 0 && touch[i - 1].first == unit) || !rr.by_unit.find(unit) || is_instance(r, unit)) continue;
        unit_rows u;
        u.unit = unit;
        u.before = rejudge_into(r, unit, {});
        rr.by_unit.erase(unit);
        changed.push_back(std::move(u));
    }
    const bool calendar_schedule = rule.schedule != check::schedule_kind::after &&
                                   rule.schedule != check::schedule_kind::before && rule.event_phase < 0;
    // A bucket's verdict is a function of the as-of date up to its end: its close (grace
    // included: sub-periods of a streak, the warn window and the aggregates' last day all come
    // before it), or for an outcome the day it becomes final (which reads later buckets).
    auto open_at_lo = [&](const bucket_state& b) { return lo < (rule.outcome ? std::max(b.close, b.final_on) : b.close); };
    // Of those, a bucket whose requirement reads only events (no gap, coverage or streak, whose
    // values move with the date itself) differs between the dates only where one of them falls
    // in between: its close, its warn window's start, the day it becomes final, or an event of
    // a source it reads, of its unit, in its span.
    const time_reading& reads = time_reads(r);
    auto between = [&](day d) { return lo < d && d <= hi; };
    // The calendar's transitions between the two dates (a bucket becoming visible, entering its
    // warn window, closing), by bucket.
    std::vector<std::uint8_t> due;
    std::size_t due_count = calendar_schedule ? e_.transitions.due(r, lo, hi, due) : 0;
    due.resize(rn.buckets.size(), 0);
    if (e_.waived(r)) {
        // A waiver moves a bucket's end for its unit: the calendar's days are not that bucket's.
        std::fill(due.begin(), due.end(), 1);
        due_count = due.size();
    }
    if (calendar_schedule && !rule.outcome && touch.empty() && due_count == 0 && !e_.transitions.open_on(r, lo))
        return;  // every bucket closed before both dates, and none starts between: all kept
    auto live_for = [&](const bucket_state& b, std::uint32_t unit, std::size_t index) {
        if (!open_at_lo(b)) return false;
        if (reads.with_date || due[index]) return true;
        if (rule.outcome && between(b.final_on)) return true;
        const day first = std::max(b.from, lo == INT_MAX ? lo : lo + 1), last = std::min(b.end, hi);
        if (first > last) return false;
        for (const int source : reads.sources) {
            const graph::source& src = plan_.sources()[static_cast<std::size_t>(source)];
            const std::vector<entry>* list = e_.indexes.source(source).find(unit, src.scoped);
            if (!list) continue;
            const auto [a, z] = range_of(*list, first, last);
            if (a != z) return true;
        }
        return false;
    };
    // A trigger event dated between the two dates opens or closes a bucket.
    auto triggered_between = [&](std::uint32_t unit) {
        // A window bounded by events opens buckets as the days pass, until it is closed.
        if (rule.event_phase >= 0) return true;
        if (rule.trig.registered) return unit != none && between(e_.st.entities[unit].since);
        if (calendar_schedule || rule.trig.outcome || rn.trigger_source < 0) return false;
        const graph::source& src = plan_.sources()[static_cast<std::size_t>(rn.trigger_source)];
        const std::vector<entry>* list = e_.indexes.source(rn.trigger_source).find(unit, src.scoped);
        if (!list) return false;
        const day first = std::max(rule.window_from, lo == INT_MAX ? lo : lo + 1), last = std::min(rule.window_to, hi);
        if (first > last) return false;
        auto [a, b] = range_of(*list, first, last);
        return a != b;
    };
    std::vector<bucket_state> rows;
    rows.reserve(rr.rows.size());
    std::vector<day> days;
    // A calendar's buckets are the same for every unit: those visible now, by index.
    std::vector<std::uint32_t> visible;
    if (calendar_schedule)
        for (std::uint32_t i = 0; i < rn.buckets.size(); ++i)
            if (rn.buckets[i].visible <= as_of_) visible.push_back(i);
    for (const std::uint32_t unit : instances(rule)) {
        // Instances come in report order (by id text), touches by entity index.
        days.clear();
        bool whole = false;
        for (auto t = std::lower_bound(touch.begin(), touch.end(), std::make_pair(unit, INT_MIN));
             t != touch.end() && t->first == unit; ++t) {
            if (t->second == every_bucket) whole = true;
            days.push_back(t->second);
        }
        if (!calendar_schedule && !days.empty()) whole = true;
        auto* range = rr.by_unit.find(unit);
        const bucket_state* old_begin = range ? rr.rows.data() + range->first : nullptr;
        const bucket_state* old_end = range ? rr.rows.data() + range->second : nullptr;
        const auto begin = static_cast<std::uint32_t>(rows.size());
        bool judged = false;
        auto fresh_row = [&](const calendar::bucket& b) {
            judged = true;
            rows.push_back(judge(rule, rn, unit, b));
        };
        if (calendar_schedule && !whole) {
            // The buckets visible now, each kept from before unless its verdict can differ.
            const bucket_state* o = old_begin;
            for (const std::uint32_t index : visible) {
                const calendar::bucket& b = rn.buckets[index];
                if (!has_bucket(rn, rule, unit, b)) continue;
                while (o != old_end && (o->from < b.from || (o->from == b.from && (o->to < b.to || (o->to == b.to && o->clock_from() < b.clock_from))))) ++o;
                const bool kept = o != old_end && o->from == b.from && o->to == b.to && o->clock_from() == b.clock_from &&
                                  !live_for(*o, unit, index) &&
                                  std::none_of(days.begin(), days.end(), [&](day d) { return b.from <= d && d <= o->end; });
                if (kept) rows.push_back(*o);
                else fresh_row(b);
            }
            if (!judged && static_cast<std::size_t>(old_end - old_begin) != rows.size() - begin) judged = true;
        } else {
            whole = whole || std::any_of(old_begin, old_end, open_at_lo) || triggered_between(unit);
            if (whole) {
                judged = true;  // even into no rows: those before are gone
                for (const auto& b : buckets_for(r, unit)) {
                    if (!has_bucket(rn, rule, unit, b)) continue;
                    fresh_row(b);
                }
            } else {
                rows.insert(rows.end(), old_begin, old_end);
            }
        }
        if (judged) {
            unit_rows u;
            u.unit = unit;
            u.before.assign(old_begin, old_end);
            u.after.assign(rows.begin() + begin, rows.end());
            changed.push_back(std::move(u));
        }
        rr.by_unit[unit] = {begin, static_cast<std::uint32_t>(rows.size())};
    }
    buckets_ = buckets_ - rr.rows.size() + rows.size();  // rr.rows are among those counted
    if (rows.size() > rr.rows.size() && buckets_ > e_.options.limits.max_buckets)
        throw limit_error("the report would hold more than " + std::to_string(e_.options.limits.max_buckets) +
                          " buckets (units × periods; max_buckets)");
    rr.rows.swap(rows);
}

void evaluation::entity_added(std::uint32_t x) {
    registry_changed();
    const entity& ent = e_.st.entities[x];
    for (std::size_t r = 0; r < instances_.size(); ++r) {
        const auto& kinds = model_.rules[r].unit_kinds;
        if (std::find(kinds.begin(), kinds.end(), ent.kind) != kinds.end()) instances_[r].reset();
    }
    for (std::uint32_t u = ent.parent, guard = 0; u != none && guard <= store::max_depth; u = e_.st.entities[u].parent, ++guard)
        for (auto it = under_.begin(); it != under_.end();) {
            if (static_cast<std::uint32_t>(it->first) == u) it = under_.erase(it);
            else ++it;
        }
}

const evaluation::time_reading& evaluation::time_reads(int r) {
    if (time_reads_.size() != model_.rules.size()) time_reads_.resize(model_.rules.size());
    auto& slot = time_reads_[static_cast<std::size_t>(r)];
    if (slot) return *slot;
    time_reading out;
    const graph::rule_node& rn = plan_.rules()[static_cast<std::size_t>(r)];
    std::vector<node_id> stack{rn.condition, rn.compared};
    while (!stack.empty()) {
        const node_id id = stack.back();
        stack.pop_back();
        if (id == no_node) continue;
        const node& n = plan_.at(id);
        if (n.kind == node_kind::streak) out.with_date = true;
        // earlier() reads a range the date moves without an event in it.
        if (n.kind == node_kind::window && n.op == check::op::earlier) out.with_date = true;
        // Values read over other units' events (children, every unit ranked): not found in the
        // instance's own lists, so judged again whenever open.
        if (n.kind == node_kind::rank || n.kind == node_kind::all_units || n.kind == node_kind::any_unit ||
            n.kind == node_kind::units || n.reads_slots)
            out.with_date = true;
        if (n.kind == node_kind::aggregate) {
            if (n.op == check::op::gap || n.op == check::op::coverage) out.with_date = true;
            else if (std::find(out.sources.begin(), out.sources.end(), n.source) == out.sources.end()) out.sources.push_back(n.source);
        }
        stack.insert(stack.end(), n.args.begin(), n.args.end());
    }
    slot = std::move(out);
    return *slot;
}

bool evaluation::is_instance(int r, std::uint32_t unit) const {
    const check::rule& rule = model_.rules[static_cast<std::size_t>(r)];
    if (rule.var.empty() || unit == none) return rule.var.empty() && unit == none;
    const entity& ent = e_.st.entities[unit];
    if (ent.state != entity_state::resolved ||
        std::find(rule.unit_kinds.begin(), rule.unit_kinds.end(), ent.kind) == rule.unit_kinds.end())
        return false;
    // In report order, by id text.
    const auto& all = instances(rule);
    const std::string_view id = e_.st.text(ent.id);
    const auto it = std::lower_bound(all.begin(), all.end(), id,
                                     [&](std::uint32_t a, std::string_view b) { return e_.st.text(e_.st.entities[a].id) < b; });
    return it != all.end() && *it == unit;
}

void evaluation::hierarchy_changed(const std::vector<std::uint32_t>& units, const std::vector<int>& kinds) {
    registry_changed();
    // The instances of the rules over the kinds an entity joined or left.
    for (std::size_t r = 0; r < instances_.size(); ++r) {
        const auto& mine = model_.rules[r].unit_kinds;
        if (std::any_of(kinds.begin(), kinds.end(), [&](int k) { return std::find(mine.begin(), mine.end(), k) != mine.end(); }))
            instances_[r].reset();
    }
    // The walks below the units whose entities below changed (sorted).
    for (auto it = under_.begin(); it != under_.end();) {
        if (std::binary_search(units.begin(), units.end(), static_cast<std::uint32_t>(it->first))) it = under_.erase(it);
        else ++it;
    }
    memoized_ = true;
    forget();
}

void evaluation::forget() {
    if (!memoized_) return;  // nothing since the last time: no need to visit every node's table
    memoized_ = false;
    // Only the tables written since (a record touches a few buckets). Clearing a table costs
    // as many steps as it has slots: one that a move made large and a record barely used is
    // let go, so later records do not pay for its slots; one used to its size is kept for the
    // next move or report, which would grow it again.
    auto empty = [](auto& m) {
        if (m.bucket_count() > 64 && m.size() * 8 < m.bucket_count()) std::remove_reference_t<decltype(m)>().swap(m);
        else m.clear();
    };
    for (const node_id n : memo_dirty_) {
        empty(memo_[static_cast<std::size_t>(n)]);
        empty(streak_memo_[static_cast<std::size_t>(n)]);
    }
    memo_dirty_.clear();
}

}  // namespace mandate::eval
