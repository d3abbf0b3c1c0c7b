// The time calendar: for every rule on a calendar schedule (whole, every, by), the days on
// which one of its buckets can change verdict with time alone, in date order — the day it
// becomes visible, the day its warn window starts, the day it closes. The buckets of such a
// rule are the same for every unit, so these days are the plan's, computed once. Moving an
// evaluation from one date to another (evaluation::rejudge_moved) asks it which buckets have a
// transition between the two dates, and whether any bucket of a rule is still open at the
// earlier one: a rule with neither keeps every row it had.
#pragma once

#include <climits>
#include <cstdint>
#include <vector>

#include "mandate/graph/plan.hpp"
#include "store.hpp"

namespace mandate::eval {

class time_calendar {
public:
    explicit time_calendar(const graph::compiled_plan& plan);

    // Whether rule r is on a calendar schedule (the others' buckets come with triggers).
    bool covers(int r) const { return calendar_[static_cast<std::size_t>(r)]; }
    // Marks in `due` (indexed like the rule's buckets in graph::rule_node::buckets) those with a
    // transition in (lo, hi]; returns how many it marked.
    std::size_t due(int r, day lo, day hi, std::vector<std::uint8_t>& due) const;
    // Whether a bucket of rule r is not yet closed on `d` (closes after it).
    bool open_on(int r, day d) const { return rules_[static_cast<std::size_t>(r)].last_close > d; }

private:
    struct transition {
        day d;
        std::uint32_t bucket;
        bool operator<(const transition& o) const { return d < o.d || (d == o.d && bucket < o.bucket); }
    };
    struct rule_days {
        std::vector<transition> days;  // sorted by date
        day last_close = INT_MIN;
    };
    std::vector<rule_days> rules_;
    std::vector<bool> calendar_;  // a calendar schedule (perhaps with no bucket)
};

}  // namespace mandate::eval
