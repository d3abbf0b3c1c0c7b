// The engine: all mutable evaluation state for one compiled plan. Records (entities, events,
// retractions) arrive one at a time or in bulk, in any order; a report can be asked for as of
// any date and depends only on the set of accepted records and that date. Hosts may
// subscribe to status changes, evaluated as of a date they choose.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "mandate/eval/report.hpp"
#include "mandate/ingest/host_value.hpp"
#include "mandate/ingest/typed_record.hpp"
#include "mandate/graph/plan.hpp"
#include "mandate/limits.hpp"

namespace mandate {

struct engine_options {
    // Evidence lists (event ids, missing entities) keep at most this many entries per row.
    std::size_t evidence_limit = 20;
    // Compute evidence at all (off for bulk runs that only need statuses).
    bool evidence = true;
    // Bounds on untrusted records: a record's and a string's size, entities held, buckets in
    // a report (docs/reliability.md). The front-end limits in it are compile()'s to use.
    mandate::limits limits;
    // add_jsonl and add_csv parse and type records on this many threads (0: one per core the
    // machine has; at most 256), in blocks of about block_bytes of text, cut between records (a block
    // holds one record at least: 1 makes each record a block of its own). The records are
    // taken in on the calling thread, in the stream's order: the engine ends in the same
    // state, and reports the same, whatever the two are.
    unsigned threads = 0;
    std::size_t block_bytes = std::size_t{1} << 20;
};

// How add_jsonl reads a stream: where its line numbers start, and a checkpoint between records.
struct jsonl_options {
    // Lines of the source already read (a stream resumed where an earlier one stopped): the
    // stream's first line is number first_line + 1, and no byte order mark is looked for.
    std::uint64_t first_line = 0;
    // After every this many records (0: never), checkpoint(lines, bytes) is called at the end
    // of the block that holds the last of them (engine_options::block_bytes), with every record
    // before it taken in and none after, and the lines and bytes of the stream consumed up to
    // there: a saved state plus these resumes the stream exactly. The stream has been read at
    // most jsonl_read_ahead() bytes further. It may save the engine; it must not add records.
    // When it throws, add_jsonl stops there, with the records before it taken in.
    std::uint64_t checkpoint_every = 0;
    std::function<void(std::uint64_t lines, std::uint64_t bytes)> checkpoint;
    // Asked between every two records, when set: true calls checkpoint there and then (every
    // record before it taken in), block or no block: a host asked to stop saves at once.
    std::function<bool()> checkpoint_now;
};

// A saved state could not be written, or cannot be restored: not a state file, another format
// or plan revision, truncated, corrupted, or not readable.
struct state_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// What add() did with a record.
enum class add_status : std::uint8_t { accepted, rejected };

// The bytes an engine holds, by part: what the allocator gave each container (its capacity),
// not counting the compiled plan or a report's evaluation. For sizing a host, and for the
// benchmarks' account of an event's cost.
struct memory_usage {
    std::uint64_t strings = 0;    // every interned text: ids, units, text and ref values
    std::uint64_t event_ids = 0;  // per event id: its copies, conflict and retraction, its first location
    std::uint64_t rows = 0;       // per event: its id, time, unit and states
    std::uint64_t fields = 0;     // per event: its declared fields' values
    std::uint64_t entities = 0;   // the registry
    std::uint64_t indexes = 0;    // the events of each unit and source, in date order
    std::uint64_t other = 0;      // copies' locations, rejections, ignored-field counts
    std::uint64_t total() const { return strings + event_ids + rows + fields + entities + indexes + other; }
};

// A change of one bucket's state, for subscribers.
struct status_change {
    bool outcome = false;
    std::string rule;
    std::optional<std::string> unit;
    period span;
    // Obligations: nullopt when the bucket did not exist before (or no longer exists after).
    std::optional<mandate::status> before, after;
    // Outcomes: fired/final before and after (nullopt: the bucket did not exist).
    std::optional<bool> fired_before, fired_after, final_before, final_after;
};

// Not thread-safe: one engine per thread, or external locking; evaluate() too changes internal
// caches (indexes, sorting). The compiled plan it holds is immutable and may be shared between
// engines. A moved-from engine may only be destroyed or assigned to.
class engine {
public:
    explicit engine(std::shared_ptr<const graph::compiled_plan> plan, engine_options options = {});
    ~engine();
    engine(engine&&) noexcept;
    engine& operator=(engine&&) noexcept;
    engine(const engine&) = delete;
    engine& operator=(const engine&) = delete;

    // Adds one JSON record. `source` and `line` locate it in rejections. A rejected record is
    // counted and listed in reports; last_error() says why.
    add_status add(std::string_view json, std::string_view source = "", std::uint64_t line = 0);
    // Adds every line of a JSON Lines stream (blank lines are skipped, not counted). Reads in
    // blocks: memory does not grow with the stream's size or a line's length. Parses on
    // engine_options::threads threads; subscribers are called on the calling thread. Returns
    // the number of records read.
    std::uint64_t add_jsonl(std::istream& in, std::string_view source);
    std::uint64_t add_jsonl(std::istream& in, std::string_view source, const jsonl_options& options);
    // Adds `count` JSON records held in memory, the i-th numbered lines[i] in `source`: parsed
    // in blocks on engine_options::threads threads as add_jsonl parses a stream, and judged as
    // add() judges each (a host that routes lines of files between engines, mandate.dask).
    // Returns `count`.
    std::uint64_t add_lines(const std::string_view* records, const std::uint64_t* lines, std::size_t count,
                            std::string_view source);
    // The most bytes add_jsonl has read of a stream past the position it gives a checkpoint:
    // the reader's window (a block of input and the longest record).
    std::uint64_t jsonl_read_ahead() const;
    // Adds every record of a CSV file (DESIGN.md's layout): a header row naming the fields,
    // then a record a row — an entity registry, retractions, or events, whose type is `type`
    // or, when that is empty, each row's `type` column. Read in blocks like add_jsonl; each
    // row is checked and counted as the JSON record it stands for. Throws std::runtime_error
    // ("SOURCE:LINE: ...") when the header cannot be used: then no row of it is added.
    std::uint64_t add_csv(std::istream& in, std::string_view source, std::string_view type = {});
    // The same for a file read in part before: `in` holds the header row, then the rows that
    // follow line `first_line` of the source (numbered from first_line + 1 in rejections).
    std::uint64_t add_csv(std::istream& in, std::string_view source, std::string_view type, std::uint64_t first_line);
    // Adds one record built from typed values: checked as its JSON twin would be, with the
    // same rejection reason, and a duplicate of that twin (typed_record.hpp). The record is
    // only read during the call.
    add_status add(const typed_entity& entity, std::string_view source = "", std::uint64_t line = 0);
    add_status add(const typed_event& event, std::string_view source = "", std::uint64_t line = 0);
    add_status add(const typed_waiver& waiver, std::string_view source = "", std::uint64_t line = 0);
    // A host struct type's members (mandate/eval/structs.hpp builds them from the struct)
    // resolved against an event type or an entity kind of this engine's plan, once. Throws
    // binding_error listing every member that does not fit. The binding serves every engine of
    // the same compiled plan.
    record_binding bind_event(std::string_view event_type, const host_member* members, std::size_t count) const;
    record_binding bind_entity(std::string_view kind, const host_member* members, std::size_t count) const;
    // Adds the record whose member values are `values` (binding.members() of them, in the
    // bound order): checked and judged as its JSON twin would be. Throws std::invalid_argument
    // when the binding is of another plan.
    add_status add(const record_binding& binding, const host_value* values, std::string_view source = "",
                   std::uint64_t line = 0);
    // Adds every record of a batch, numbered first_line + 1 on in rejections. Subscribers hear
    // of each record as after add(); a subscriber that throws stops the batch there.
    batch_result add_batch(const record_binding& binding, host_batch& records, std::string_view source = "",
                           std::uint64_t first_line = 0);
    // Counts a record the host could not read (its own reader could not split or decode it)
    // as rejected with `reason`, listed with `source` and `line` as any rejection is: every
    // record read stays accounted for. As add_jsonl counts a line that is not JSON. Throws
    // std::invalid_argument when `reason` is empty or not UTF-8.
    add_status add_unreadable(std::string_view reason, std::string_view source = "", std::uint64_t line = 0);
    // Retracts an event id, as the record {"retract": id} does.
    add_status retract(std::string_view event_id, std::string_view source = "", std::uint64_t line = 0);
    // Why the last add() or retract() rejected its record (empty when it was accepted). Valid
    // until the next add(), retract(), add_jsonl() or add_csv().
    const std::string& last_error() const;

    // Saves what every report depends on — the records accepted, rejected and counted — with
    // `host`, bytes the host wants kept with them (how far it has read its inputs, say), to
    // `path`: through a temporary file beside it, flushed to disk and renamed over it, so
    // `path` holds the old state or the new one, whole. Subscriptions and the watch date are
    // not saved. Throws state_error.
    void save(const std::string& path, std::string_view host = {}) const;
    // Replaces this engine's records with those saved in `path` by an engine of the same plan
    // revision, and returns the host bytes saved with them. Subscribers stay and hear of
    // changes from the restored state on. Throws state_error, leaving the engine as it was,
    // when the file is missing, not a state file, of another format version or plan revision,
    // truncated or corrupted.
    std::string restore(const std::string& path);

    // The report as of `as_of` (a local date in the plan's zone).
    report evaluate(calendar::day as_of);
    // The same report handed to `sink` row by row as it is made (report.hpp), so that it can
    // be written without being held: memory is what the evaluation needs, not the report's size.
    void evaluate(calendar::day as_of, report_sink& sink);
    // The bytes this engine holds now, by part.
    memory_usage memory() const;
    // The latest event date seen (applied or not), if any.
    std::optional<calendar::day> latest_event_date() const;

    // Subscribers are called after each add() for every bucket whose state changed, as of
    // the watch date (default: the latest event date seen). Callbacks run synchronously inside
    // add(); they may subscribe and unsubscribe (themselves included) but must not add records.
    // After a record only the buckets it touches are judged again (its unit and the ancestors
    // aggregating over it, and the rules reading their verdicts); a registry record, or a watch
    // date that moves (the default one moves with the latest event date), judges every bucket
    // again. For bulk loads, add first and subscribe after.
    using subscriber = std::function<void(const status_change&)>;
    int subscribe(subscriber callback);
    void unsubscribe(int token);
    // Moves the watch date (nullopt: the latest event date seen, the default). Subscribers hear
    // of every bucket whose state differs between the old date and the new one: a bucket
    // that closes, enters its warn window, or starts, as a clock moving past midnight does.
    void set_watch_date(std::optional<calendar::day> as_of);

    const graph::compiled_plan& plan() const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace mandate
