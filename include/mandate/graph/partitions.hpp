// Where a plan's unit hierarchy can be split: the kinds P such that every rule instance, and
// everything it reads, lies under one unit of kind P. Then the units under each P-unit (with
// their events) can be evaluated by an engine of their own, and the partial reports merged
// give the report one engine gives. Used by `mandate graph --partitions`, the Python
// `Plan.partitions` and `mandate.dask`.
#pragma once

#include <string>
#include <vector>

#include "mandate/graph/plan.hpp"

namespace mandate::graph {

// One candidate level: a kind of the plan.
struct partition_level {
    int kind = -1;        // index into model().kinds
    bool splits = false;  // the hierarchy can be split at units of this kind
    // When it cannot: the first rule (in file order) that reads across two of its partitions,
    // and how, e.g. "recommend_top10 ranks village | operator | bank among all of them".
    std::string reason;
    // Kinds whose every unit lies under a unit of this kind (this kind included), in file order.
    std::vector<int> under;
};

struct partition_analysis {
    std::vector<partition_level> levels;  // every kind, in file order
    // The finest kind the plan splits at (a splitting kind with no other splitting kind under
    // it); -1 when none does: the plan is evaluated whole (the root).
    int finest = -1;
    // Why nothing finer than `finest` (or, with -1, nothing at all) splits: the reason of the
    // kinds directly under it, in file order.
    std::vector<std::string> finer_refused;
};

partition_analysis analyse_partitions(const compiled_plan& plan);

// The analysis as `mandate graph --partitions` prints it: the finest level first, then a line
// per kind.
std::string partitions_text(const compiled_plan& plan, const partition_analysis& a);

}  // namespace mandate::graph
