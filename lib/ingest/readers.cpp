#include "readers.hpp"

#include <cstring>
#include <istream>
#include <stdexcept>

#include "mandate/ingest/csv.hpp"

namespace mandate::io {

// A block of input plus the longest record (and its "\r").
std::size_t jsonl_window(std::size_t max_record_bytes) { return (std::size_t{1} << 20) + max_record_bytes + 1; }

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

std::uint64_t read_jsonl(std::istream& in, std::string_view source, const jsonl_read_options& options, record_consumer& to) {
    const std::size_t limit = options.max_record_bytes;
    // The window, and the padding after it that lets simdjson read past a record's end.
    const std::size_t window = jsonl_window(limit);
    std::vector<char> buffer(window + required_padding());
    std::size_t filled = 0;
    std::uint64_t line = options.first_line, records = 0;
    std::uint64_t base = 0;  // the stream offset of buffer[0]
    bool skipping = false;   // inside a line already rejected as too long
    auto too_long = [&] {
        ++records;
        to.rejected(line, too_long_reason(limit));
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
        to.record(begin, length, buffer.size() - static_cast<std::size_t>(begin - buffer.data()), line);
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
            } else {
                const std::string_view next = leading_id(newline + 1, buffer.data() + filled);
                if (!next.empty()) to.upcoming(next);
                take(begin, static_cast<std::size_t>(newline - begin));
            }
            start = static_cast<std::size_t>(newline - buffer.data()) + 1;
            to.boundary(line, base + start);  // between two records: what was read so far is whole
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

std::uint64_t read_csv(std::istream& in, std::string_view source, const check::plan& plan, std::string_view type,
                       std::uint64_t first_line, std::size_t max_record_bytes, record_consumer& to) {
    csv_reader reader(in, max_record_bytes);
    csv_row row;
    auto where = [&](std::uint64_t line) { return std::string(source) + ":" + std::to_string(line) + ": "; };
    try {
        if (!reader.next(row)) return 0;  // an empty file: no header, no records
    } catch (const std::runtime_error&) {
        throw std::runtime_error("error reading " + std::string(source));
    }
    if (!row.error.empty()) throw std::runtime_error(where(row.line) + "the header row: " + row.error);
    const std::vector<std::string> header(row.cells.begin(), row.cells.end());
    const csv_layout layout(plan, std::vector<std::string_view>(header.begin(), header.end()), type);
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
            // The parser reads past a record's end: the text is handed over padded.
            const std::size_t length = json.size();
            json.append(required_padding(), ' ');
            to.record(json.data(), length, json.size(), row.line);
        } else {
            to.rejected(row.line, why);
        }
        to.boundary(row.line, 0);
    }
    return records;
}

}  // namespace mandate::io
