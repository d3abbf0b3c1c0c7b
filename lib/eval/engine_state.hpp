// The engine's state and the roles it is made of — a thin layer under mandate::engine, which
// is its facade (engine.cpp). Each role lives in a file of its own:
//   admission.cpp      records in: counting, applying, the reasons for rejecting
//   store.hpp          the records themselves: entities and versions, event rows, ids
//   event_values.hpp   one event's fields as values; filters and predicates on it
//   indexes.hpp        events per source and unit, and per coverage target, in date order
//   aggregate_states.hpp  count, sum, distinct, min, max per span, kept as events come and go
//   time_calendar.hpp  the days buckets become visible, enter their warn window, close
//   evaluation.hpp     judging every bucket as of a date (aggregates.cpp, evidence.cpp)
//   reporting.cpp      handing the judged buckets to a report sink, row by row
//   accounting.cpp     the classes every record read falls in, and unresolved entities
//   hierarchy.cpp      an entity record changing the hierarchy, followed in place
//   subscriptions.cpp  telling subscribers which buckets changed
// Not thread-safe; one per engine.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>

#include "event_values.hpp"
#include "indexes.hpp"
#include "mandate/eval/engine.hpp"
#include "mandate/ingest/records.hpp"
#include "store.hpp"
#include "time_calendar.hpp"
#include "ingest/parallel_parse.hpp"
#include "ingest/readers.hpp"
#include "ingest/host_reader.hpp"
#include "ingest/typed_reader.hpp"

namespace mandate::eval {

class evaluation;

struct engine_state {
    engine_state(std::shared_ptr<const graph::compiled_plan> p, engine_options o);  // engine.cpp
    engine_state(const engine_state&) = delete;
    engine_state& operator=(const engine_state&) = delete;

    std::shared_ptr<const graph::compiled_plan> plan;
    const check::plan& model;
    engine_options options;
    store st;
    io::record_parser parser;
    io::typed_reader typed;  // typed records, checked as the parser checks JSON
    io::parsed_record typed_record;
    io::host_reader host;  // host structs (mandate/eval/structs.hpp), checked as the parser checks JSON
    std::string last_error;
    event_values values;
    aggregate_states states;  // kept by the indexes, as records are indexed
    index_set indexes;
    time_calendar transitions;  // when buckets change verdict with time alone

    // ------------------------------------------------------------ admission.cpp

    // A record rejected before it could be parsed into one (cut short, too long, a CSV row
    // that does not fit its header), or by the parser: counted and listed with its reason.
    add_status reject(std::uint32_t source, std::uint64_t line, std::string reason);
    // `explain`: work out why a record is rejected when that is known on arrival (add()'s
    // answer); bulk loads do not ask, and the report counts rejections either way.
    add_status add_parsed(bool ok, std::uint32_t source, std::uint64_t line, bool explain = true);
    // A typed record: `read` fills the parsed record the store takes, or says why not.
    template <class Read>
    add_status add_typed(std::string_view source, std::uint64_t line, Read&& read) {
        const std::uint32_t source_index = st.source_index(source);
        std::string error;
        const bool ok = read(typed_record, error);
        const add_status result = add_record(ok ? &typed_record : nullptr, error, source_index, line);
        notify();
        return result;
    }
    // A record read from JSON or from typed values, or (null) one rejected with `error`.
    add_status add_record(const io::parsed_record* record, const std::string& error, std::uint32_t source,
                          std::uint64_t line, bool explain = true);
    // An event row applied or removed: into the indexes, and noted for subscribers.
    void applied(const store::event_effect& effect);
    // Why an event just added is rejected, when that is known already: its id is in conflict,
    // or a ref names an entity of the wrong kind. Empty otherwise.
    std::string event_rejection(std::string_view id, std::uint32_t slot) const;
    // Why an entity record just added is rejected, when that is known already: another record
    // of its version disagrees, or its parent is registered with a kind it may not be within.
    std::string entity_rejection(const io::parsed_record& r) const;
    std::string version_conflict_reason(string_id entity, std::int64_t version) const;
    std::string id_conflict_reason(std::string_view id) const;

    // A stream of records being read into this engine (add_jsonl, add_csv), parsed in blocks
    // on `options.threads` threads and taken in here, in the stream's order.
    struct bulk_load : io::record_sink {
        bulk_load(engine_state& m, std::string_view source) : m_(m), source_(m.st.source_index(source)) {}
        void take(const io::parsed_record* record, const std::string& error, std::uint64_t line) override {
            m_.add_record(record, error, source_, line, false);
            m_.notify();
        }
        // The next record's id will most likely be new: its first probe is a cache miss in a
        // table of millions. Start it now, while this record is taken in.
        void upcoming(std::string_view id) override { m_.st.strings.prefetch(id); }

    private:
        engine_state& m_;
        std::uint32_t source_;
    };
    // Reads a stream with `read(consumer)` into this engine, through a bulk_load.
    template <class Read>
    std::uint64_t read_in_blocks(std::string_view source, const jsonl_options* checkpoints, Read&& read) {
        bulk_load load(*this, source);
        io::parallel_parse blocks(model, options.limits, parser, threads(), options.block_bytes, load);
        if (checkpoints) blocks.checkpoints(checkpoints->checkpoint_every, checkpoints->checkpoint, checkpoints->checkpoint_now);
        std::uint64_t records = 0;
        try {
            records = read(static_cast<io::record_consumer&>(blocks));
        } catch (...) {
            // A read error part-way: the records read before it are taken in, as they would
            // have been one by one. Not after a checkpoint (or a subscriber) threw.
            if (!blocks.failed()) blocks.finish();
            throw;
        }
        blocks.finish();
        return records;
    }
    unsigned threads() const;

    // ------------------------------------------------------------ reporting.cpp, accounting.cpp

    report evaluate(day as_of, bool with_evidence);
    void evaluate(day as_of, bool with_evidence, report_sink& sink);
    // Every bucket judged as of a date: subscribers' evaluation, or the last report's brought
    // up to date, or a new one (kept for the next report).
    evaluation& kept_evaluation(day as_of);
    // The accounting of every record read, and the entities held out of the hierarchy.
    report accounting() const;
    // The registry's unit names for a report: made again only after an entity record came.
    std::shared_ptr<const unit_names> names();
    std::shared_ptr<const unit_names> names_;
    std::uint64_t names_at_ = ~std::uint64_t{0};  // st.entity_records when names_ was made

    // The accounting's classes, kept as records arrive once a report has asked for them, so a
    // report does not walk every event id: an event or retraction takes its id's slot out of
    // the counts before it changes and puts it back after (count_slot). Rebuilt whole after the
    // hierarchy changes (an entity record, a restore), which may change any row's class.
    struct kept_accounting {
        bool valid = false;
        std::uint64_t entities = 0, duplicates = 0, retracted = 0, applied = 0, unresolved = 0, waivers = 0;
        std::map<std::uint32_t, std::vector<rejection>> entity_rejections;  // by entity
        std::map<std::uint32_t, std::uint64_t> counted_records;  // entities with some record not counted
        std::vector<unresolved_entity> unresolved_entities;
        std::set<std::uint32_t> rejected_slots;  // event ids whose copies are all rejected
    };
    mutable kept_accounting kept_accounting_;
    // Adds (sign 1) or removes (sign -1) one event id's slot from the kept classes.
    void count_slot(std::uint32_t slot, int sign) const;
    // The same for one entity's records: counted, or rejected with their reasons. Removal
    // comes before the entity's records or place change, and takes out what was put in.
    void count_entity(std::uint32_t x, int sign) const;
    // The entities held out of the hierarchy, with their causes, listed again.
    void list_unresolved_entities() const;

    // ------------------------------------------------------------ waivers.cpp

    // The waivers that count (rows of the store's waiver table), per obligation and unit: found
    // again from the table when asked after a waiver came or went or the hierarchy changed.
    const std::vector<std::uint32_t>* waivers_of(int rule, std::uint32_t unit);
    // Whether some waiver that counts names rule r.
    bool waived(int rule);
    void waivers_changed() { waiver_book_.valid = false; }
    // A waiver applied or removed: kept evaluations judge its unit's buckets of its obligation again.
    void waiver_touched(std::uint32_t row);
    // The waivers that count but were applied to no bucket of `ev`, with why.
    std::vector<unapplied_waiver> unapplied_waivers(const evaluation& ev);
    struct waiver_book {
        bool valid = false;
        std::map<std::pair<int, std::uint32_t>, std::vector<std::uint32_t>> rows;
        std::vector<std::uint8_t> rules;  // per rule: named by one
    };
    waiver_book waiver_book_;

    // ------------------------------------------------------------ subscriptions.cpp

    std::map<int, engine::subscriber> subscribers;
    int next_token = 1;
    std::optional<day> watch_date;
    // The verdicts subscribers last heard of, as of the watch date: an evaluation kept between
    // records, whose buckets are judged again where records touch them.
    std::unique_ptr<evaluation> watched;
    // The event rows applied or removed since subscribers last heard (type, row), and whether
    // something else changed that needs every bucket judged again (the hierarchy).
    std::vector<std::pair<int, std::uint32_t>> pending;
    bool watched_stale = true;
    // Tells subscribers what changed since they last heard; with seed_only, only takes the
    // state they will hear changes from.
    void notify(bool seed_only = false);
    ~engine_state();

    // The evaluation of the last report, kept for the next (reporting.cpp): it hears of the
    // rows records touch (report_touch, per rule: (unit, day)) and is brought up to date, and
    // to the next report's date, by judging again only what those and the dates change.
    // Dropped when that would cost about as much as a whole evaluation (a bulk load), or when
    // it cannot be told (the hierarchy changed).
    std::unique_ptr<evaluation> reported;
    std::vector<std::vector<std::pair<std::uint32_t, day>>> report_touch;
    std::size_t report_touches = 0;

    // Brings a kept evaluation up to date: judges again the buckets `touch` names (per rule,
    // (unit, day) or (unit, every_bucket); consumed) and those whose verdict can differ
    // between its date and `when`, then the rules reading verdicts that changed. With
    // `changes`, appends what subscribers would hear (subscriptions.cpp).
    void update(evaluation& ev, std::vector<std::vector<std::pair<std::uint32_t, day>>>& touch, day when,
                std::vector<status_change>* changes);
    // A new entity added without resolving the hierarchy again (store::add_leaf): the kept
    // accounting, aggregate states and evaluations hear of it; what it touches waits in
    // entity_touch_ for the notification that follows every record.
    void entity_added(std::uint32_t x);
    std::vector<std::vector<std::pair<std::uint32_t, day>>> entity_touch_;
    // Any other entity record, once the indexes are built (hierarchy.cpp): the entities and
    // rows whose places it changes are moved in the indexes, states and accounting, and kept
    // evaluations hear of the units they were and are under. False (having done nothing) when
    // building everything again costs less: the caller takes the record the whole way then.
    bool entity_changed(const io::parsed_record& r, location where);
    // A unit's standing version changed its fields and nothing else: what reads them hears of it.
    void fields_changed_of(std::uint32_t x);
    // The work entity_changed has done since the last build or the last event record (so a
    // stream mixing events with registry records never pays a build, a registry fed again
    // in bulk pays at most about one build's worth before it takes the whole path).
    std::uint64_t hierarchy_work_ = 0;
    std::vector<std::vector<std::pair<std::uint32_t, day>>> touch_scratch_;  // notify()'s, kept between adds
    void with_entity_touches(std::vector<std::vector<std::pair<std::uint32_t, day>>>& touch);

private:
    struct dependencies {
        std::vector<std::vector<int>> rules_of_source;    // source -> rules whose aggregates read it (or trigger on it)
        std::vector<std::vector<int>> rules_of_coverage;  // coverage index -> rules whose coverage reads it
        std::vector<std::vector<int>> readers;            // rule -> rules that read its verdicts
        // rule -> the sources (and coverage indexes) read inside its rank(): an event of one of
        // them can change every unit's rank, not only its own unit's row.
        std::vector<std::vector<int>> ranked_sources, ranked_coverages;
        // rule -> the sources read inside its earlier(): an event counts for the buckets after
        // its date, so it touches every bucket of its unit.
        std::vector<std::vector<int>> shifted;
        // source -> rules during a phase bounded by events whose windows it opens or closes.
        std::vector<std::vector<int>> window_rules_of_source;
        std::vector<int> position;                        // rule -> its place in model.order
    };
    std::unique_ptr<dependencies> deps_;  // which rules read which sources, coverages and rules
    const dependencies& deps();
    // Without subscribers: the pending rows go to the kept report's evaluation, if any.
    void keep_for_report();
    void fold_into_report(const std::vector<std::vector<std::pair<std::uint32_t, day>>>& touch);
public:
    void forget_report();
private:
    // Per rule, the units whose buckets the pending rows touch, with the event's date (a
    // bucket not holding it is not touched); false when it cannot tell (a source read for
    // every instance), and every bucket must be judged again.
    bool touched(std::vector<std::vector<std::pair<std::uint32_t, day>>>& out);
};

}  // namespace mandate::eval
