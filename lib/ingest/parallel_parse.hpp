// Parsing records on several threads while one thread takes them in, in the order they were
// read. A reader (read_jsonl, read_csv) hands records to a parallel_parse, which gathers them
// into blocks of about `block_bytes` of text, cut at record boundaries. Each block is parsed
// and typed whole, by a worker thread or by the caller's own; the caller then hands its records
// to a record_sink one by one, in the reader's order, as if each had been parsed as it came.
// Whatever the thread count and block size, the sink sees the same calls with the same values:
// a parsed record's strings are copied out of the parser's scratch into the block's own memory.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "mandate/check/model.hpp"
#include "mandate/ingest/records.hpp"
#include "mandate/limits.hpp"
#include "readers.hpp"

namespace mandate::io {

// Where parsed records go: called on the thread that feeds the parallel_parse, in order.
class record_sink {
public:
    virtual ~record_sink() = default;
    // One record: parsed (`record` non-null, valid during the call) or rejected with `error`.
    virtual void take(const parsed_record* record, const std::string& error, std::uint64_t line) = 0;
    // The id of the record to be taken next, for prefetching where it will be looked up.
    virtual void upcoming(std::string_view) {}
};

class parallel_parse final : public record_consumer {
public:
    // `threads`: 1 parses on the caller's thread alone (with `own`); N > 1 adds N - 1 workers,
    // started when a second block is read. `block_bytes`: the text a block gathers before it
    // is handed on (at least one record, however small).
    parallel_parse(const check::plan& plan, const limits& l, record_parser& own, unsigned threads, std::size_t block_bytes,
                   record_sink& sink);
    ~parallel_parse() override;
    parallel_parse(const parallel_parse&) = delete;
    parallel_parse& operator=(const parallel_parse&) = delete;

    // After every `every` records, at the end of the block that holds the last of them,
    // `checkpoint(lines, bytes)` is called with the reader's position there, every record
    // before it taken in and none after it handed over; and so at any record boundary where
    // `now()` (when set) is true.
    void checkpoints(std::uint64_t every, std::function<void(std::uint64_t lines, std::uint64_t bytes)> checkpoint,
                     std::function<bool()> now);

    void record(const char* data, std::size_t length, std::size_t capacity, std::uint64_t line) override;
    void upcoming(std::string_view id) override;
    void rejected(std::uint64_t line, std::string reason) override;
    void boundary(std::uint64_t lines, std::uint64_t bytes) override;

    // Takes in every record handed over so far. Not after the sink or a checkpoint has thrown.
    void finish();
    // The sink or a checkpoint threw: what was read after that is not taken in.
    bool failed() const { return failed_; }

private:
    struct block;
    void hand_on(bool last);    // the block being gathered: to the workers, or parsed here
    void take_oldest();         // parses the oldest block if no worker has, and takes it in
    template <class F>
    void taking(F&& f);  // f(), noting failed_ if it throws
    void parse(block& b, record_parser& parser) const;
    void work(const check::plan& plan, const limits& l);  // a worker's loop

    record_parser& own_;
    record_sink& sink_;
    const check::plan& plan_;
    const limits limits_;
    const unsigned threads_;
    const std::size_t block_bytes_;
    std::uint64_t checkpoint_every_ = 0, since_checkpoint_ = 0;
    std::function<void(std::uint64_t, std::uint64_t)> checkpoint_;
    std::function<bool()> checkpoint_now_;
    bool failed_ = false;

    // One thread: each record is parsed where the reader holds it and taken in at once; blocks
    // are only counted, for the checkpoints.
    const bool direct_;
    // The block being read: its records (rejected ones too) and their text, as record() and
    // rejected() hand them over; a block is cut once either reaches its bound.
    static constexpr std::uint64_t max_block_records = std::uint64_t{1} << 16;
    std::uint64_t block_records_ = 0, block_bytes_read_ = 0;
    // The reader's last position between records, and whether nothing was handed over since.
    bool at_boundary_ = false;
    std::uint64_t boundary_lines_ = 0, boundary_bytes_ = 0;

    std::unique_ptr<block> gathering_;
    std::deque<std::unique_ptr<block>> pending_;  // handed on, in order (the caller's alone)
    std::vector<std::unique_ptr<block>> spare_;   // taken in, kept for their memory

    std::mutex mutex_;  // guards queued_, stopping_ and each block's `parsed`
    std::condition_variable work_, parsed_;
    std::deque<block*> queued_;  // handed on and not yet taken by a worker: a suffix of pending_
    bool stopping_ = false;
    bool workers_started_ = false;
    std::vector<std::thread> workers_;
};

}  // namespace mandate::io
