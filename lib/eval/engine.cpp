// mandate::engine, the facade over the engine's state (engine_state.hpp, which lists the roles
// and their files): records in, reports out, saved state, subscriptions.
#include "mandate/eval/engine.hpp"

#include <algorithm>
#include <cstring>
#include <istream>

#include "engine_state.hpp"
#include "mandate/io/csv.hpp"
#include "state_file.hpp"

namespace mandate {

namespace {

// The id of a line that starts {"id":"...", as JSON Lines writers commonly put it, found
// without parsing: only a hint for prefetching where interning it will probe. Empty when the
// line starts any other way (it is then simply not prefetched).
std::string_view leading_id(const char* p, const char* end) {
    static constexpr char head[] = "{\"id\":\"";
    constexpr std::size_t n = sizeof head - 1;
    if (static_cast<std::size_t>(end - p) < n || std::memcmp(p, head, n) != 0) return {};
    const char* const begin = p + n;
    const char* q = begin;
    while (q < end && q - begin < 128 && *q != '"' && *q != '\\') ++q;
    if (q == end || *q != '"') return {};
    return {begin, static_cast<std::size_t>(q - begin)};
}

}  // namespace

// ---------------------------------------------------------------- engine

struct engine::impl : eval::engine_state {
    using engine_state::engine_state;
};

engine::engine(std::shared_ptr<const graph::compiled_plan> plan, engine_options options)
    : impl_(std::make_unique<impl>(std::move(plan), options)) {}
engine::~engine() = default;
engine::engine(engine&&) noexcept = default;
engine& engine::operator=(engine&&) noexcept = default;

const graph::compiled_plan& engine::plan() const { return *impl_->plan; }
const std::string& engine::last_error() const { return impl_->last_error; }
std::optional<calendar::day> engine::latest_event_date() const { return impl_->st.latest_event; }

add_status engine::add(std::string_view json, std::string_view source, std::uint64_t line) {
    const std::uint32_t source_index = impl_->st.source_index(source);
    const bool ok = impl_->parser.parse(json);
    const add_status result = impl_->add_parsed(ok, source_index, line);
    impl_->notify();
    return result;
}

add_status engine::add(const typed_entity& entity, std::string_view source, std::uint64_t line) {
    return impl_->add_typed(source, line,
                            [&](io::parsed_record& r, std::string& error) { return impl_->typed.read(entity, r, error); });
}

add_status engine::add(const typed_event& event, std::string_view source, std::uint64_t line) {
    return impl_->add_typed(source, line,
                            [&](io::parsed_record& r, std::string& error) { return impl_->typed.read(event, r, error); });
}

add_status engine::retract(std::string_view event_id, std::string_view source, std::uint64_t line) {
    return impl_->add_typed(source, line,
                            [&](io::parsed_record& r, std::string& error) {
                                return impl_->typed.read_retraction(event_id, r, error);
                            });
}

std::uint64_t engine::add_jsonl(std::istream& in, std::string_view source) { return add_jsonl(in, source, jsonl_options{}); }

std::uint64_t engine::add_jsonl(std::istream& in, std::string_view source, const jsonl_options& options) {
    eval::engine_state& m = *impl_;
    const std::uint32_t source_index = m.st.source_index(source);
    const std::size_t limit = m.options.limits.max_record_bytes;
    // The window holds a block of input plus the longest record (and its "\r"); the padding
    // after it lets simdjson read past a record's end.
    const std::size_t window = (std::size_t{1} << 20) + limit + 1;
    std::vector<char> buffer(window + io::required_padding());
    std::size_t filled = 0;
    std::uint64_t line = options.first_line, records = 0;
    std::uint64_t base = 0;  // the stream offset of buffer[0]
    bool skipping = false;   // inside a line already rejected as too long
    bool due = false;        // a checkpoint is due at the next line boundary
    const bool checkpoints = options.checkpoint_every > 0 && options.checkpoint;
    auto too_long = [&] {
        ++records;
        m.reject(source_index, line, io::too_long_reason(limit));
    };
    // One whole line, without its "\n".
    auto take = [&](char* begin, std::size_t length) {
        ++line;
        if (length > 0 && begin[length - 1] == '\r') --length;
        bool blank = true;
        for (std::size_t i = 0; i < length && blank; ++i) blank = begin[i] == ' ' || begin[i] == '\t';
        if (blank) return;
        if (length > limit) {
            too_long();
            return;
        }
        ++records;
        const bool ok = m.parser.parse(begin, length, buffer.size() - static_cast<std::size_t>(begin - buffer.data()));
        m.add_parsed(ok, source_index, line, false);
        m.notify();
        if (checkpoints && records % options.checkpoint_every == 0) due = true;
    };
    for (bool eof = false, first = true; !eof; first = false) {
        in.read(buffer.data() + filled, static_cast<std::streamsize>(window - filled));
        filled += static_cast<std::size_t>(in.gcount());
        eof = !in;
        if (in.bad()) throw std::runtime_error("error reading " + std::string(source));
        std::size_t start = 0;
        // A UTF-8 byte order mark (as some Windows tools write) is not part of the first record.
        if (first && options.first_line == 0 && filled >= 3 && std::memcmp(buffer.data(), "\xEF\xBB\xBF", 3) == 0) start = 3;
        while (start < filled) {
            char* begin = buffer.data() + start;
            char* newline = static_cast<char*>(std::memchr(begin, '\n', filled - start));
            if (!newline) break;
            if (skipping) {
                skipping = false;  // the rest of the long line: already counted
                if (checkpoints && records % options.checkpoint_every == 0) due = true;
            } else {
                // The next record's id will most likely be new: its first probe is a cache
                // miss in a table of millions. Start it now, while this record is read.
                const std::string_view next = leading_id(newline + 1, buffer.data() + filled);
                if (!next.empty()) m.st.strings.prefetch(next);
                take(begin, static_cast<std::size_t>(newline - begin));
            }
            start = static_cast<std::size_t>(newline - buffer.data()) + 1;
            if (due) {  // between two records: what was read so far is whole
                due = false;
                options.checkpoint(line, base + start);
            }
        }
        std::size_t rest = filled - start;
        if (eof) {
            if (rest > 0 && !skipping) take(buffer.data() + start, rest);
            break;
        }
        if (skipping) {
            base += filled;
            filled = 0;  // still inside the long line
            continue;
        }
        // An unfinished line longer than any record (its "\r" aside) is rejected now and skipped,
        // so memory never grows with a line's length.
        const bool cr = rest > 0 && buffer[start + rest - 1] == '\r';
        if (rest > limit + (cr ? 1 : 0)) {
            ++line;
            too_long();
            skipping = true;
            base += filled;
            filled = 0;
            continue;
        }
        std::memmove(buffer.data(), buffer.data() + start, rest);
        base += start;
        filled = rest;
    }
    return records;
}

std::uint64_t engine::add_csv(std::istream& in, std::string_view source, std::string_view type) {
    return add_csv(in, source, type, 0);
}

std::uint64_t engine::add_csv(std::istream& in, std::string_view source, std::string_view type, std::uint64_t first_line) {
    eval::engine_state& m = *impl_;
    const std::uint32_t source_index = m.st.source_index(source);
    io::csv_reader reader(in, m.options.limits.max_record_bytes);
    io::csv_row row;
    auto where = [&](std::uint64_t line) { return std::string(source) + ":" + std::to_string(line) + ": "; };
    try {
        if (!reader.next(row)) return 0;  // an empty file: no header, no records
    } catch (const std::runtime_error&) {
        throw std::runtime_error("error reading " + std::string(source));
    }
    if (!row.error.empty()) throw std::runtime_error(where(row.line) + "the header row: " + row.error);
    const std::vector<std::string> header(row.cells.begin(), row.cells.end());
    const io::csv_layout layout(m.model, std::vector<std::string_view>(header.begin(), header.end()), type);
    if (!layout.error().empty()) throw std::runtime_error(where(row.line) + layout.error());
    if (first_line > 0) reader.set_lines_read(first_line);
    std::uint64_t records = 0;
    std::string json, why;
    for (;;) {
        try {
            if (!reader.next(row)) break;
        } catch (const std::runtime_error&) {
            throw std::runtime_error("error reading " + std::string(source));
        }
        ++records;
        why = row.error;
        if (why.empty() && layout.to_json(row.cells, json, why)) {
            const bool ok = m.parser.parse(json);
            m.add_parsed(ok, source_index, row.line, false);
        } else {
            m.reject(source_index, row.line, why);
        }
        m.notify();
    }
    return records;
}

void engine::save(const std::string& path, std::string_view host) const {
    const eval::engine_state& m = *impl_;
    eval::state_writer w(path);
    w.str(m.plan->revision());
    w.str(host);
    m.st.save(w);
    w.commit();
}

std::string engine::restore(const std::string& path) {
    // Into a fresh engine first: the file is taken whole or not at all.
    auto fresh = std::make_unique<impl>(impl_->plan, impl_->options);
    eval::state_reader r(path);
    const std::string revision = r.str();
    if (revision != fresh->plan->revision())
        r.fail("it was saved for plan revision " + revision.substr(0, 12) + "…, and this plan is revision " +
               fresh->plan->revision().substr(0, 12) + "… (feed the records again to move them to another revision)");
    std::string host = r.str();
    fresh->st.load(r);
    r.finish();
    fresh->subscribers = std::move(impl_->subscribers);
    fresh->next_token = impl_->next_token;
    fresh->watch_date = impl_->watch_date;
    impl_ = std::move(fresh);
    // Listeners hear of changes from the restored state on, not of the restore itself.
    impl_->notify(true);
    return host;
}

report engine::evaluate(calendar::day as_of) { return impl_->evaluate(as_of, impl_->options.evidence); }

void engine::evaluate(calendar::day as_of, report_sink& sink) { impl_->evaluate(as_of, impl_->options.evidence, sink); }

int engine::subscribe(subscriber callback) {
    const int token = impl_->next_token++;
    const bool first = impl_->subscribers.empty();
    impl_->subscribers.emplace(token, std::move(callback));
    // A new listener hears of changes from now on, not of the state the engine is in.
    if (first) impl_->notify(true);
    return token;
}

void engine::unsubscribe(int token) { impl_->subscribers.erase(token); }

void engine::set_watch_date(std::optional<calendar::day> as_of) {
    impl_->watch_date = as_of;
    // Moving the watch date is not a change records made: start from the new date's state.
    impl_->notify(true);
}

}  // namespace mandate
