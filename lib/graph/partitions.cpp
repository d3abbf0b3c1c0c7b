// The partition analysis: at which kinds a plan's unit hierarchy can be split.
//
// Splitting at kind P puts every unit under a P-unit (and its events) in that P-unit's
// partition. A rule can be evaluated in the partitions when each of its instances, and all it
// reads, lies under one P-unit:
// - it has an `each` (one instance without it reads every unit's records);
// - each kind it is for lies under P: every chain of parents from that kind reaches P;
// - what its requirement, its `where` and its trigger read is the unit's own subtree: every
//   aggregate over events is scoped to a unit variable (`of VAR`; `units`, the quantifiers,
//   `coverage`, `violations` and `fired` always are), and nothing ranks units against others;
// - its windows are not opened by events of units above P (a phase bounded by events opens a
//   unit's windows on events of the unit or of any unit above it).
// A unit's registry fields and the units an event's ref fields name are the router's to bring
// (mandate.dask sends an event's referenced units with it); they do not stop a split.
#include "mandate/graph/partitions.hpp"

#include <algorithm>
#include <sstream>
#include <string_view>

namespace mandate::graph {
namespace {

using check::op;

// Kinds whose every unit lies under a unit of kind p (p included): the greatest set S with p
// in S, no root kind but p, and every parent of a kind in S in S. A unit's chain of parents is
// finite and ends at a root: through kinds of S it can only end at p.
std::vector<bool> kinds_under(const check::plan& m, int p) {
    const std::size_t n = m.kinds.size();
    std::vector<bool> in(n, true);
    for (std::size_t k = 0; k < n; ++k)
        if (m.kinds[k].parents.empty() && static_cast<int>(k) != p) in[k] = false;
    for (bool changed = true; changed;) {
        changed = false;
        for (std::size_t k = 0; k < n; ++k) {
            if (!in[k] || static_cast<int>(k) == p) continue;
            for (const int parent : m.kinds[k].parents)
                if (!in[static_cast<std::size_t>(parent)]) {
                    in[k] = false;
                    changed = true;
                    break;
                }
        }
    }
    return in;
}

std::string kind_list(const check::plan& m, const std::vector<int>& kinds) {
    std::string out;
    for (const int k : kinds) {
        if (!out.empty()) out += " | ";
        out += m.kinds[static_cast<std::size_t>(k)].id;
    }
    return out;
}

const char* article(const std::string& word) {
    return !word.empty() && std::string_view("aeiou").find(word[0]) != std::string_view::npos ? "an" : "a";
}

bool is_event_aggregate(op o) {
    switch (o) {
        case op::count: case op::sum: case op::distinct: case op::min: case op::max: case op::gap:
        case op::all: case op::any:
            return true;
        default:
            return false;
    }
}

// How an expression of a rule reads across units, or "" when it reads only the subtree of the
// rule's unit. `rule` is the rule's id, for the message.
std::string crossing(const check::plan& m, const std::string& rule, const check::texpr& e) {
    if (is_event_aggregate(e.o) && e.event >= 0 && !e.scoped)
        return rule + " counts " + m.events[static_cast<std::size_t>(e.event)].id + " of every unit (" + e.text +
               " has no 'of')";
    // units(), the quantifiers and coverage always read `within VAR`, violations() and fired()
    // `of VAR`: the unit's subtree. A ranking reads every unit of its kinds.
    if (e.o == op::rank)
        return rule + " ranks " + kind_list(m, e.kinds) + " among all of them";
    for (const auto& a : e.args) {
        std::string r = crossing(m, rule, a);
        if (!r.empty()) return r;
    }
    return {};
}

// Why rule r cannot be evaluated in the partitions of kind p, or "".
std::string refusal(const check::plan& m, const check::rule& r, int p, const std::vector<bool>& under) {
    const std::string& pk = m.kinds[static_cast<std::size_t>(p)].id;
    if (r.var.empty()) return r.id + " has no 'each': its one instance reads the records of every unit";
    for (const int k : r.unit_kinds)
        if (!under[static_cast<std::size_t>(k)])
            return r.id + " is for each " + m.kinds[static_cast<std::size_t>(k)].id + ", and not every " +
                   m.kinds[static_cast<std::size_t>(k)].id + " lies within " + article(pk) + " " + pk;
    std::string why = crossing(m, r.id, r.condition);
    if (why.empty() && r.where) why = crossing(m, r.id, *r.where);
    if (why.empty() && r.trig.where) why = crossing(m, r.id, *r.trig.where);
    if (!why.empty()) return why;
    if ((r.schedule == check::schedule_kind::after || r.schedule == check::schedule_kind::before) && !r.trig.outcome &&
        !r.trig.registered && !r.trig.scoped)
        return r.id + " is triggered by " + m.events[static_cast<std::size_t>(r.trig.target)].id + " of any unit";
    // A unit's windows are opened at it or above it: above p only when p itself has a parent.
    if (r.event_phase >= 0 && !m.kinds[static_cast<std::size_t>(p)].parents.empty())
        return r.id + " is during " + m.phases[static_cast<std::size_t>(r.event_phase)].id +
               ", whose windows are opened by events of its unit or of any unit above it";
    return {};
}

}  // namespace

partition_analysis analyse_partitions(const compiled_plan& plan) {
    const check::plan& m = plan.model();
    partition_analysis a;
    std::vector<std::vector<bool>> under(m.kinds.size());
    for (std::size_t p = 0; p < m.kinds.size(); ++p) {
        under[p] = kinds_under(m, static_cast<int>(p));
        partition_level level;
        level.kind = static_cast<int>(p);
        for (std::size_t k = 0; k < m.kinds.size(); ++k)
            if (under[p][k]) level.under.push_back(static_cast<int>(k));
        for (const auto& r : m.rules) {
            level.reason = refusal(m, r, level.kind, under[p]);
            if (!level.reason.empty()) break;
        }
        level.splits = level.reason.empty();
        a.levels.push_back(std::move(level));
    }
    // The finest: a splitting kind under which no other kind splits.
    for (const auto& l : a.levels) {
        if (!l.splits) continue;
        bool finer = false;
        for (const auto& o : a.levels)
            if (o.splits && o.kind != l.kind && under[static_cast<std::size_t>(l.kind)][static_cast<std::size_t>(o.kind)])
                finer = true;
        if (!finer) {
            a.finest = l.kind;
            break;
        }
    }
    // Why nothing finer splits: the kinds directly under the finest (or the root kinds).
    for (const auto& l : a.levels) {
        const auto& parents = m.kinds[static_cast<std::size_t>(l.kind)].parents;
        const bool directly_under = a.finest < 0 ? parents.empty()
                                                 : l.kind != a.finest &&
                                                       std::find(parents.begin(), parents.end(), a.finest) != parents.end();
        if (directly_under && !l.splits)
            a.finer_refused.push_back(m.kinds[static_cast<std::size_t>(l.kind)].id + ": " + l.reason);
    }
    return a;
}

std::string partitions_text(const compiled_plan& plan, const partition_analysis& a) {
    const check::plan& m = plan.model();
    std::ostringstream out;
    if (a.finest < 0)
        out << "plan " << m.id << " is evaluated whole: no kind splits it\n";
    else
        out << "plan " << m.id << " splits at " << m.kinds[static_cast<std::size_t>(a.finest)].id << " (the finest level)\n";
    for (const auto& l : a.levels) {
        out << "  " << m.kinds[static_cast<std::size_t>(l.kind)].id;
        if (l.splits)
            out << ": splits (" << l.under.size() << (l.under.size() == 1 ? " kind" : " kinds") << " under it)\n";
        else
            out << ": no: " << l.reason << "\n";
    }
    return out.str();
}

}  // namespace mandate::graph
