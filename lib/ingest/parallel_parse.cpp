#include "parallel_parse.hpp"

#include <cstring>
#include <exception>
#include <system_error>

namespace mandate::io {

namespace {

// Strings copied out of a parser's scratch, kept until the block is taken in. Chunks are never
// moved or freed before clear(), so the views handed out stay valid; clear() keeps them for reuse.
class text_arena {
public:
    std::string_view keep(std::string_view s) {
        if (s.empty()) return {};
        if (s.size() > chunk_bytes / 4) return big_.emplace_back(s);  // a long string: its own
        if (static_cast<std::size_t>(end_ - at_) < s.size()) {
            if (next_ == chunks_.size()) chunks_.push_back(std::make_unique<char[]>(chunk_bytes));
            at_ = chunks_[next_++].get();
            end_ = at_ + chunk_bytes;
        }
        std::memcpy(at_, s.data(), s.size());
        const std::string_view kept(at_, s.size());
        at_ += s.size();
        return kept;
    }
    void clear() {
        big_.clear();
        next_ = 0;
        at_ = end_ = nullptr;
    }

private:
    static constexpr std::size_t chunk_bytes = std::size_t{1} << 16;
    std::vector<std::unique_ptr<char[]>> chunks_;
    std::size_t next_ = 0;
    char* at_ = nullptr;
    char* end_ = nullptr;
    std::deque<std::string> big_;  // elements never move, nor do their characters
};

// The strings of a parsed record's kind, moved out of the parser's scratch into `arena`. The
// parser leaves the other kinds' members as an earlier record set them: they are emptied.
// Entities and events have fields (an entity's unit data); a retraction has none.
void keep_strings(parsed_record& r, text_arena& arena) {
    const bool entity = r.kind == record_kind::entity, retraction = r.kind == record_kind::retraction;
    const bool event = !entity && !retraction;
    for (std::string_view* s : {&r.entity, &r.parent, &r.name}) *s = entity ? arena.keep(*s) : std::string_view();
    for (std::string_view* s : {&r.id, &r.unit}) *s = event ? arena.keep(*s) : std::string_view();
    r.retract = retraction ? arena.keep(r.retract) : std::string_view();
    if (retraction) {
        r.fields.clear();
        r.members.clear();
        r.ignored.clear();
        return;
    }
    for (field_value& f : r.fields) f.text = arena.keep(f.text);
    for (field_value& f : r.members) f.text = arena.keep(f.text);
    for (std::string_view& s : r.ignored) s = arena.keep(s);
}

}  // namespace

struct parallel_parse::block {
    // The records' text back to back, then the parser's padding.
    std::string text;
    struct item {
        std::uint64_t line;
        std::size_t offset, length;  // of a record's text; length npos: rejected before parsing
        std::size_t result;          // into records (parsed) or errors (rejected)
        bool parsed;
    };
    std::vector<item> items;
    std::vector<parsed_record> records;  // reused: their vectors keep their capacity
    std::size_t records_used = 0;
    std::vector<std::string> errors;
    text_arena arena;
    bool parsed = false;  // guarded by the mutex while workers run
    // The parser threw (out of memory) at item failed_at: rethrown there when it is taken in.
    std::exception_ptr failure;
    std::size_t failed_at = ~std::size_t{0};

    void clear() {
        text.clear();
        items.clear();
        records_used = 0;
        errors.clear();
        arena.clear();
        parsed = false;
        failure = nullptr;
        failed_at = ~std::size_t{0};
    }
};

parallel_parse::parallel_parse(const check::plan& plan, const limits& l, record_parser& own, unsigned threads,
                               std::size_t block_bytes, record_sink& sink)
    : own_(own), sink_(sink), plan_(plan), limits_(l), threads_(threads == 0 ? 1 : threads),
      block_bytes_(block_bytes == 0 ? 1 : block_bytes), direct_(threads_ == 1), gathering_(std::make_unique<block>()) {}

parallel_parse::~parallel_parse() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    work_.notify_all();
    for (std::thread& t : workers_) t.join();
}

void parallel_parse::checkpoints(std::uint64_t every, std::function<void(std::uint64_t, std::uint64_t)> checkpoint,
                                 std::function<bool()> now) {
    checkpoint_every_ = checkpoint ? every : 0;
    checkpoint_now_ = checkpoint ? std::move(now) : nullptr;
    checkpoint_ = std::move(checkpoint);
}

template <class F>
void parallel_parse::taking(F&& f) {
    try {
        f();
    } catch (...) {
        failed_ = true;
        throw;
    }
}

void parallel_parse::record(const char* data, std::size_t length, std::size_t capacity, std::uint64_t line) {
    at_boundary_ = false;
    ++block_records_;
    block_bytes_read_ += length + 1;
    if (direct_) {
        const bool ok = own_.parse(data, length, capacity);
        taking([&] { sink_.take(ok ? &own_.record() : nullptr, ok ? std::string() : own_.error(), line); });
        return;
    }
    block& b = *gathering_;
    b.items.push_back({line, b.text.size(), length, 0, false});
    b.text.append(data, length);
    b.text += '\n';  // between records, for a reader of the block's text
}

void parallel_parse::upcoming(std::string_view id) {
    if (direct_) sink_.upcoming(id);  // blocks prefetch as they take records in
}

void parallel_parse::rejected(std::uint64_t line, std::string reason) {
    at_boundary_ = false;
    ++block_records_;
    if (direct_) {
        taking([&] { sink_.take(nullptr, reason, line); });
        return;
    }
    block& b = *gathering_;
    b.items.push_back({line, 0, std::string::npos, b.errors.size(), false});
    b.errors.push_back(std::move(reason));
}

// Blocks are cut here, between records, by what the reader handed over — the same whether the
// records were parsed at once (one thread) or gathered — so checkpoints fall at the same places
// on any number of threads. A block of rejections alone (lines too long) is cut by their count.
void parallel_parse::boundary(std::uint64_t lines, std::uint64_t bytes) {
    at_boundary_ = true;
    boundary_lines_ = lines;
    boundary_bytes_ = bytes;
    bool now = false;
    if (checkpoint_now_) taking([&] { now = checkpoint_now_(); });
    const bool full = block_bytes_read_ >= block_bytes_ || block_records_ >= max_block_records;
    if (!now && !full) return;
    since_checkpoint_ += block_records_;
    block_records_ = block_bytes_read_ = 0;
    // A checkpoint comes when the block is cut, with every record before it taken in and none
    // after it read: the stream is then read at most the reader's window past its position.
    const bool checkpoint = now || (checkpoint_every_ > 0 && since_checkpoint_ >= checkpoint_every_);
    if (!direct_) {
        hand_on(false);
        if (checkpoint)
            while (!pending_.empty()) take_oldest();
    }
    if (checkpoint) {
        since_checkpoint_ = 0;
        taking([&] { checkpoint_(lines, bytes); });
    }
}

void parallel_parse::finish() {
    if (!direct_) {
        hand_on(true);
        while (!pending_.empty()) take_oldest();
    }
    // The stream's end is the last block's: a checkpoint due there comes, when the last record
    // ended at a boundary (its line had a line break).
    since_checkpoint_ += block_records_;
    block_records_ = block_bytes_read_ = 0;
    if (checkpoint_every_ > 0 && at_boundary_ && since_checkpoint_ >= checkpoint_every_) {
        since_checkpoint_ = 0;
        taking([&] { checkpoint_(boundary_lines_, boundary_bytes_); });
    }
}

void parallel_parse::hand_on(bool last) {
    if (gathering_->items.empty()) return;
    // What may fail (memory, threads) comes before the block is handed on, so that a failure
    // leaves it gathering, to be handed on again by finish().
    std::unique_ptr<block> next;
    if (!spare_.empty()) {
        next = std::move(spare_.back());
        spare_.pop_back();
    } else {
        next = std::make_unique<block>();
    }
    // A stream of one block is parsed here: no thread is started for it.
    if (!last && !workers_started_) {
        workers_started_ = true;
        try {
            workers_.reserve(threads_ - 1);
            for (unsigned i = 1; i < threads_; ++i) workers_.emplace_back([this] { work(plan_, limits_); });
        } catch (const std::exception&) {
            // No more threads to be had: fewer workers, or none (this thread parses alone).
        }
    }
    gathering_->text.append(required_padding(), ' ');
    block* const b = gathering_.get();
    pending_.push_back(std::move(gathering_));
    try {
        std::lock_guard<std::mutex> lock(mutex_);
        queued_.push_back(b);
    } catch (...) {
        gathering_ = std::move(pending_.back());
        pending_.pop_back();
        throw;
    }
    gathering_ = std::move(next);
    work_.notify_one();
    // Two blocks a thread are read ahead: enough to keep the workers busy while this thread
    // takes one in, and a bound on the memory held.
    while (pending_.size() > 2 * std::size_t{threads_} - 1) take_oldest();
}

void parallel_parse::take_oldest() {
    std::unique_ptr<block> owned = std::move(pending_.front());
    pending_.pop_front();
    block& b = *owned;
    bool mine = false;
    {
        std::unique_lock<std::mutex> lock(mutex_);
        if (!queued_.empty() && queued_.front() == &b) {
            queued_.pop_front();
            mine = true;
        } else {
            parsed_.wait(lock, [&] { return b.parsed; });
        }
    }
    if (mine) parse(b, own_);
    taking([&] {
        for (std::size_t i = 0; i < b.items.size(); ++i) {
            if (i == b.failed_at) std::rethrow_exception(b.failure);  // the records before it are in
            const block::item& it = b.items[i];
            if (i + 1 < b.items.size() && b.items[i + 1].parsed) {
                const std::string_view next = b.records[b.items[i + 1].result].id;
                if (!next.empty()) sink_.upcoming(next);
            }
            if (it.parsed)
                sink_.take(&b.records[it.result], std::string(), it.line);
            else
                sink_.take(nullptr, b.errors[it.result], it.line);
        }
    });
    b.clear();
    spare_.push_back(std::move(owned));
}

void parallel_parse::parse(block& b, record_parser& parser) const {
    std::size_t i = 0;
    try {
        for (; i < b.items.size(); ++i) {
            block::item& it = b.items[i];
            if (it.length == std::string::npos) continue;
            if (parser.parse(b.text.data() + it.offset, it.length, b.text.size() - it.offset)) {
                if (b.records_used == b.records.size()) b.records.emplace_back();
                parsed_record& r = b.records[b.records_used];
                r = parser.record();
                keep_strings(r, b.arena);
                it.result = b.records_used++;
                it.parsed = true;
            } else {
                it.result = b.errors.size();
                b.errors.push_back(parser.error());
            }
        }
    } catch (...) {
        b.failure = std::current_exception();
        b.failed_at = i;
    }
}

void parallel_parse::work(const check::plan& plan, const limits& l) {
    std::unique_ptr<record_parser> parser;
    try {
        parser = std::make_unique<record_parser>(plan, l);
    } catch (...) {
        return;  // out of memory: the blocks this worker would have parsed are the caller's to parse
    }
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        work_.wait(lock, [&] { return stopping_ || !queued_.empty(); });
        if (stopping_) return;
        block* b = queued_.front();
        queued_.pop_front();
        lock.unlock();
        parse(*b, *parser);
        lock.lock();
        b->parsed = true;
        parsed_.notify_all();
    }
}

}  // namespace mandate::io
