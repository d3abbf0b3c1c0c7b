// Judging every bucket of a plan as of one date, from the store through the indexes: the
// instances of each rule, its buckets (calendar or triggered), its requirement's value on each,
// and the status that value gives as of the date. Rules run in dependency order, so an outcome
// reads the verdicts of the obligations it names; evidence is gathered afterwards, for the
// rows a report shows it for. One class over three files: evaluation.cpp (rules, buckets,
// expressions), aggregates.cpp (count ... coverage), evidence.cpp.
#pragma once

#include <array>
#include <climits>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine_state.hpp"
#include "entity_map.hpp"
#include "mandate/calendar/schedule.hpp"
#include "mandate/check/buckets.hpp"
#include "value.hpp"

namespace mandate::eval {

using graph::no_node;
using graph::node;
using graph::node_id;
using graph::node_kind;

struct bucket_state {
    std::uint32_t unit = none;
    day from = 0, to = 0;
    status st = status::pending;
    bool met = false, at_risk = false, no_data = false;
    val value;
    bool has_value = false;  // the condition is a single comparison
    bool fired = false, final = false;
    // An hour bucket: the minute of the day of its first and last minute (on `from` and `to`);
    // -1 for a bucket of whole days. Kept in what would be padding: a row costs what it did.
    std::int16_t from_minute = -1, to_minute = -1;
    day final_on = 0;
    day close = 0;
    day end = 0;                   // where `violations` takes it to end: `to`, or the day a waiver extends it to
    std::uint32_t waiver = none;   // the waiver applied (a row of the store's waiver table)

    // The minutes whose events count (calendar::bucket's); no_clock for a bucket of days.
    calendar::minute clock_from() const {
        return from_minute < 0 ? calendar::no_clock : static_cast<calendar::minute>(from) * 1440 + from_minute;
    }
    calendar::minute clock_to() const {
        return to_minute < 0 ? calendar::no_clock : static_cast<calendar::minute>(to) * 1440 + to_minute;
    }
    void set_clock(calendar::minute first, calendar::minute last) {
        if (first == calendar::no_clock) return;
        from_minute = static_cast<std::int16_t>(first - static_cast<calendar::minute>(from) * 1440);
        to_minute = static_cast<std::int16_t>(last - static_cast<calendar::minute>(to) * 1440);
    }
};

// A kept evaluation holds one per bucket: a report of a million villages holds tens of millions.
static_assert(sizeof(bucket_state) <= 112, "a bucket's row grew: a big report's memory grows with it");

struct rule_results {
    std::vector<bucket_state> rows;
    entity_map<std::pair<std::uint32_t, std::uint32_t>> by_unit;  // [begin, end)
};

struct memo_key {
    node_id node;
    std::uint32_t unit;
    day from, to;
    std::int64_t salt = 0;  // streaks: the enclosing rule's grace, which decides what is closed
    bool operator==(const memo_key& o) const {
        return node == o.node && unit == o.unit && from == o.from && to == o.to && salt == o.salt;
    }
};
struct memo_hash {
    std::size_t operator()(const memo_key& k) const {
        std::uint64_t h = static_cast<std::uint64_t>(k.node) * 0x9E3779B97F4A7C15ull;
        h ^= (static_cast<std::uint64_t>(k.unit) + 0x632BE59BD9B4E019ull) * 0xBF58476D1CE4E5B9ull;
        h ^= (static_cast<std::uint64_t>(static_cast<std::uint32_t>(k.from)) << 32 | static_cast<std::uint32_t>(k.to)) * 0x94D049BB133111EBull;
        h ^= static_cast<std::uint64_t>(k.salt) * 0xD6E8FEB86659FD93ull;
        return static_cast<std::size_t>(h ^ (h >> 31));
    }
};


// In a list of touches (unit, day): every bucket of the unit, not only those holding a day.
inline constexpr day every_bucket = INT_MIN;

// A unit's rows of one rule before and after they were judged again.
struct unit_rows {
    std::uint32_t unit = none;
    std::vector<bucket_state> before, after;
};

// Evaluation of every bucket as of one date: for a report, or kept (for subscribers, for the
// next report), following records as they change (rejudge()) and time as it passes (move_to()).
class evaluation {
public:
    evaluation(engine_state& e, day as_of);

    void run();
    day as_of() const { return as_of_; }
    std::uint64_t buckets() const { return buckets_; }

    // Another as-of date: nothing is judged again yet (rejudge_moved() does, rule by rule).
    void move_to(day as_of) {
        as_of_ = as_of;
        forget();
        forget_ranks();  // the values ranked are as of the date
    }
    // Rankings and `each ... where` verdicts are kept across records (forget() leaves them):
    // a ranking until what its rank() reads changes (update() says so when it widens a touch
    // to every instance), the date moves, or the registry changes; a where verdict, which
    // reads the registry alone, until the registry changes.
    void forget_ranks() { ranks_.clear(); }
    void registry_changed() {
        ranks_.clear();
        where_.clear();
    }
    // After move_to() from a date to another (lo the earlier, hi the later): judges again rule
    // r's buckets whose verdict can differ between the two — those not closed (or, for an
    // outcome, not final) by lo, those that start or stop being visible, those a trigger dated
    // in (lo, hi] opens — with those `touch` names ((unit, day) sorted: the buckets holding the
    // day, or every_bucket). Appends to `changed` each unit whose rows differ.
    void rejudge_moved(int r, day lo, day hi, const std::vector<std::pair<std::uint32_t, day>>& touch,
                       std::vector<unit_rows>& changed);

    // Judges rule r's buckets for `unit` again (records they read changed), puts the new rows in
    // place of the old, and returns the old.
    std::vector<bucket_state> rejudge(int r, std::uint32_t unit);
    // Puts `fresh` in place of rule r's rows for `unit` (a new instance where report order
    // puts it), and returns the old.
    std::vector<bucket_state> rejudge_into(int r, std::uint32_t unit, std::vector<bucket_state> fresh);
    // The same for the buckets of a calendar schedule holding one of `days` only (an event's
    // date touches no other): fills `before` and `after` with those rows, before and after.
    void rejudge_holding(int r, std::uint32_t unit, const std::vector<day>& days, std::vector<bucket_state>& before,
                         std::vector<bucket_state>& after);
    // Forgets the values memoised while judging: the records they came from change.
    void forget();
    // A new entity `x` (store::add_leaf): the instances of the rules of its kind, and the
    // entities below each unit above it, are found again when next asked for.
    void entity_added(std::uint32_t x);
    // The hierarchy changed in place (engine_state::entity_changed): the instances of rules
    // over `kinds` (those entities joined or left), and the entities below `units` (sorted),
    // are found again when next asked for, and nothing memoised holds.
    void hierarchy_changed(const std::vector<std::uint32_t>& units, const std::vector<int>& kinds);
    // Whether `unit` is one of rule r's instances.
    bool is_instance(int r, std::uint32_t unit) const;
    // What rule r's requirement reads that the as-of date can move: with_date when a value
    // moves with the date itself (gap, coverage, streak); else the sources of its aggregates.
    struct time_reading {
        bool with_date = false;
        std::vector<int> sources;
    };
    const time_reading& time_reads(int r);

    const rule_results& results(int r) const { return results_[static_cast<std::size_t>(r)]; }

    struct context {
        std::uint32_t unit = none;  // slot 0: the rule's `each` unit
        day from = 0, to = 0;
        const check::rule* rule = nullptr;
        bool undefined = false;  // a comparison met an undefined value
        // The end of the bucket's period, when the events are read past it (an extension):
        // the registry is read as it stands on that day.
        day period_to = INT_MIN;
        std::array<std::uint32_t, check::max_unit_slots> slots{};  // the units bound in slots 1..
        // An hour bucket: only events from clock_from to clock_to (local minutes) count.
        calendar::minute clock_from = calendar::no_clock, clock_to = calendar::no_clock;

        std::uint32_t slot(int s) const { return s <= 0 ? unit : slots[static_cast<std::size_t>(s)]; }
        day registry_day() const { return period_to == INT_MIN ? to : period_to; }
    };

    val eval(node_id id, context& ctx);

    // Evidence gathered while an aggregate is computed for a report row.
    struct collector {
        std::vector<std::pair<day, string_id>> events;
        // How many runs of rows were appended to `events`, and whether any run may repeat an
        // event (coverage's, one per target). One run of an index's rows has no repeats.
        int runs = 0;
        bool repeats = false;
        std::optional<gap_evidence> gap;
        std::optional<coverage_evidence> coverage;
        std::optional<coverage_evidence> children;  // units(), all_units(), any_unit(): those failing
        std::size_t limit = 20;
    };

    val aggregate(node_id id, const context& ctx, collector* evidence);

    // Entities of `kinds` strictly below `unit`, active on `on`.
    // The walk below `unit` is the same for every bucket of a coverage node: it is done once
    // a report (per node and unit), and each bucket only filters it by date.
    void under(node_id node, std::uint32_t unit, const std::vector<int>& kinds, day on, std::vector<std::uint32_t>& out);

    val coverage(node_id id, const context& ctx, day first, day last, collector* evidence);

    val streak(const node& n, context& ctx);

    // With `counted`, also lists the violated buckets it counts (rule, bucket).
    val violations(const node& n, const context& ctx, std::vector<std::pair<int, const bucket_state*>>* counted = nullptr);

    val fired(const node& n, const context& ctx);

    // peak(D, AGG), earlier(D, AGG) (LANGUAGE-v2.md section 7).
    val window(const node& n, context& ctx);

    // LANGUAGE-v2.md sections 1-3.
    // The entity a unit operand names (a variable's slot, or none for an event's).
    std::uint32_t unit_of(node_id operand, const context& ctx) const;
    val entity_field(const node& n, std::uint32_t unit) const;
    // units(), all_units(), any_unit(): with `evidence`, the entities the predicate fails for.
    val units(node_id id, context& ctx, collector* evidence);
    val rank(node_id id, context& ctx);
    // Whether `unit` has a bucket b of rule r: active during it, and its `each ... where` holds.
    bool has_bucket(const graph::rule_node& rn, const check::rule& rule, std::uint32_t unit, const calendar::bucket& b);
    // The entities strictly below `unit` (any depth) of the kinds whose verdicts are read
    // `within` it: those of the rules `rules` reads. Kept per (key, unit) as under() keeps its
    // walks, so a unit with thousands of households below it is walked once, not per bucket.
    const std::vector<std::uint32_t>& below(std::uint32_t key, std::uint32_t unit, const std::vector<int>& rules);

    template <class F>
    void for_buckets(int rule, std::uint32_t unit, F&& f) const {
        const rule_results& rr = results_[static_cast<std::size_t>(rule)];
        const auto* range = rr.by_unit.find(unit);
        if (!range) return;
        for (std::uint32_t i = range->first; i < range->second; ++i) f(rr.rows[i]);
    }

    // What an aggregate's value depends on: its node, the unit it reads (the one it is scoped
    // to, or its coverage's `within` unit; the rule's unit when its filter names it) and span.
    memo_key key_of(node_id id, const context& ctx) const {
        const node& n = plan_.at(id);
        std::uint32_t unit = n.uses_unit ? ctx.unit : none;
        std::int64_t salt = 0;
        if (n.op == check::op::coverage && n.within_slot >= 0) {
            unit = ctx.slot(n.within_slot);
            salt = static_cast<std::int64_t>(ctx.registry_day()) * 2 + 1;
        } else if (n.slot > 0) {
            unit = ctx.slots[static_cast<std::size_t>(n.slot)];
        }
        if ((n.slot > 0 || n.within_slot > 0) && plan_.sources()[static_cast<std::size_t>(n.source)].filter_uses_unit)
            salt = static_cast<std::int64_t>(static_cast<std::uint64_t>(salt) * 4294967311ull + ctx.unit + 1);  // wraps
        if (ctx.clock_from != calendar::no_clock)
            salt = static_cast<std::int64_t>(static_cast<std::uint64_t>(salt) * 1000003u +
                                             static_cast<std::uint64_t>(ctx.clock_from) * 31u + static_cast<std::uint64_t>(ctx.clock_to));
        return memo_key{id, unit, ctx.from, ctx.to, salt};
    }
    // An event's local minute in the plan's zone (a date alone: its midnight).
    calendar::minute local_minute(const table& t, std::uint32_t row) const {
        if (!t.has_clock[row]) return static_cast<calendar::minute>(t.date[row]) * 1440;
        const std::int64_t seconds = t.instant[row] + static_cast<std::int64_t>(model_.utc_offset_minutes) * 60;
        return seconds >= 0 ? seconds / 60 : -((-seconds + 59) / 60);
    }

    template <class F>
    val memoized(node_id id, const context& ctx, F&& compute) {
        const memo_key key = key_of(id, ctx);
        auto& memo = memo_[static_cast<std::size_t>(id)];
        auto it = memo.find(key);
        if (it != memo.end()) return it->second;
        val v = compute();
        if (memo.empty()) memo_dirty_.push_back(id);
        memo.emplace(key, v);
        memoized_ = true;
        return v;
    }

    // ------------------------------------------------------------ rules

    // A rule's units (none alone for a rule without `each`), in report order: by id text.
    const std::vector<std::uint32_t>& instances(const check::rule& rule) const;
    std::vector<std::uint32_t> find_instances(const check::rule& rule) const;

    std::vector<calendar::bucket> buckets_for(int r, std::uint32_t unit) const;
    // A window of a phase bounded by events (LANGUAGE-v2.md section 6), as of the date: its end
    // unset while it is open.
    struct event_window {
        day from = 0;
        std::optional<day> to;
    };
    // The windows that apply to `unit` for rule r (opened at it or above it), merged, by start.
    std::vector<event_window> event_windows(const check::rule& rule, const graph::rule_node& rn, std::uint32_t unit) const;

    void run_rule(int r);

    bucket_state judge(const check::rule& rule, const graph::rule_node& rn, std::uint32_t unit, const calendar::bucket& b);
    // The bucket a kept row was judged for (with the day it is first reported).
    calendar::bucket bucket_of(const graph::rule_node& rn, const bucket_state& row) const;

    // Evidence for one reported row: recomputes the row's measures with a collector.
    evidence evidence_for(const check::rule& rule, const graph::rule_node& rn, const bucket_state& s);
    // A unit's id ("" for none).
    std::string_view unit_text(std::uint32_t unit) const;

private:
    engine_state& e_;
    const graph::compiled_plan& plan_;
    const check::plan& model_;
    day as_of_;
    std::uint64_t buckets_ = 0;  // made so far, against limits::max_buckets
    std::vector<rule_results> results_;
    // Per node: values already computed, keyed by unit and period.
    std::vector<std::unordered_map<memo_key, val, memo_hash>> memo_;
    std::vector<std::unordered_map<memo_key, std::pair<val, bool>, memo_hash>> streak_memo_;
    bool memoized_ = false;  // a value was memoised since the last forget()
    std::vector<node_id> memo_dirty_;  // the nodes whose tables were written since (once each)
    mutable std::vector<std::optional<std::vector<std::uint32_t>>> instances_;  // per rule, once asked
    std::vector<std::optional<time_reading>> time_reads_;                      // per rule, once asked
    std::vector<std::vector<node_id>> release_after_;  // per rule: the nodes no later rule reads
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> under_;  // (coverage node, unit) -> entities of its kinds below
    // rank(): per (node, bucket, unit ranked among), each unit's rank; while rows are judged.
    struct rank_key {
        node_id node;
        day from, to;
        std::uint32_t within;
        const check::rule* rule;
        day registry;
        bool operator==(const rank_key& o) const {
            return node == o.node && from == o.from && to == o.to && within == o.within && rule == o.rule && registry == o.registry;
        }
    };
    struct rank_hash {
        std::size_t operator()(const rank_key& k) const {
            const std::uint64_t mix = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(k.rule)) * 31u +
                                      static_cast<std::uint64_t>(static_cast<std::uint32_t>(k.registry));
            return memo_hash()(memo_key{k.node, k.within, k.from, k.to, static_cast<std::int64_t>(mix)});
        }
    };
    std::unordered_map<rank_key, std::unordered_map<std::uint32_t, std::int64_t>, rank_hash> ranks_;
    // `each ... where`: per (rule, unit, bucket start, bucket end), whether the unit has the bucket.
    std::unordered_map<memo_key, bool, memo_hash> where_;
};

}  // namespace mandate::eval
