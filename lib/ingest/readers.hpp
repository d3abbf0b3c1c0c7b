// Reading record streams in blocks — JSON Lines, and CSV files by their header — and handing
// each record to a consumer (the engine) as text for the record parser, or, when it cannot be
// one (too long, a CSV row that does not fit its header), its line and the reason. Memory
// holds a block and the longest record, whatever the stream's size or a line's length.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include "mandate/check/model.hpp"
#include "mandate/ingest/records.hpp"

namespace mandate::io {

class record_consumer {
public:
    virtual ~record_consumer() = default;
    // A record's text at data[0, length), numbered `line` in its source; `capacity` bytes from
    // `data` are readable (at least length + required_padding(), as record_parser::parse needs).
    virtual void record(const char* data, std::size_t length, std::size_t capacity, std::uint64_t line) = 0;
    // A record rejected before it could be parsed.
    virtual void rejected(std::uint64_t line, std::string reason) = 0;
    // The id of the record after this one, when it is cheap to see: a hint to prefetch.
    virtual void upcoming(std::string_view) {}
    // Between two records: `lines` lines and `bytes` bytes of the stream read so far (bytes 0
    // where the reader does not count them). Called after each line of JSON Lines, each row of
    // CSV; a saved state plus this position resumes the stream exactly.
    virtual void boundary(std::uint64_t /*lines*/, std::uint64_t /*bytes*/) {}
};

struct jsonl_read_options {
    std::uint64_t first_line = 0;  // lines of the source already read (no BOM looked for then)
    std::size_t max_record_bytes = default_max_record_bytes;
};

// The bytes read_jsonl holds of a stream at once: a block, and the longest record.
std::size_t jsonl_window(std::size_t max_record_bytes);

// Every line of a JSON Lines stream (blank lines skipped, not counted; a byte order mark at the
// start dropped); returns the records read. Throws std::runtime_error on a read error.
std::uint64_t read_jsonl(std::istream& in, std::string_view source, const jsonl_read_options& options, record_consumer& to);

// Every row of a CSV file (DESIGN.md's layout) as the JSON record it stands for; the rows follow
// line `first_line` of the source when it is read on from there. Throws std::runtime_error
// ("SOURCE:LINE: ...") when the header cannot be used, before any row is handed over.
std::uint64_t read_csv(std::istream& in, std::string_view source, const check::plan& plan, std::string_view type,
                       std::uint64_t first_line, std::size_t max_record_bytes, record_consumer& to);

}  // namespace mandate::io
