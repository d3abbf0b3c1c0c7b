// Reading records from CSV (DESIGN.md): a header row names the fields, one record kind per
// file — an entity registry (entity,kind,parent,name,since,until,version), events of one type
// (given by the caller, or a `type` column), or retractions (a `retract` column). Each row
// becomes the JSON record it stands for, so CSV and JSON Lines records are validated, compared
// and rejected alike. Cells follow RFC 4180 (quotes, doubled quotes, line breaks in quoted
// cells); set fields are `;`-separated; an empty cell is an absent field.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mandate/check/model.hpp"

namespace mandate::io {

// One CSV record as read: its cells, the line it starts on, and its text as it stood in the
// file (kept only when asked for). A record the reader could not split has `error` set.
struct csv_row {
    std::vector<std::string_view> cells;  // valid until the next call to next()
    std::uint64_t line = 0;               // first physical line of the record (1-based)
    std::uint64_t lines = 0;              // physical lines it spans
    std::string error;                    // "a quoted cell is not closed", too long, ...
    std::string raw;                      // the record's bytes, line breaks inside it included
};

// Splits a stream into CSV records, reading in blocks: memory holds one record at most (a
// record longer than `max_record_bytes` is reported with an error and skipped, not held).
// Blank lines are skipped; a UTF-8 byte order mark at the start is dropped; LF or CRLF.
class csv_reader {
public:
    csv_reader(std::istream& in, std::size_t max_record_bytes, bool keep_raw = false);
    ~csv_reader();
    csv_reader(const csv_reader&) = delete;
    csv_reader& operator=(const csv_reader&) = delete;

    // The next record; false at the end of the stream. Throws std::runtime_error on a read error.
    bool next(csv_row& row);
    // Numbers the records that follow as if `lines` physical lines had been read (the rows
    // of a file continued where an earlier read of it stopped).
    void set_lines_read(std::uint64_t lines);

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

// Turns the rows of one CSV file into JSON records of a plan, by the file's header.
class csv_layout {
public:
    // `header` is the first row; `type` the event type the caller says the file holds (empty:
    // the header decides). When the header cannot be used, error() says why and every row is
    // rejected with that reason.
    csv_layout(const check::plan& plan, const std::vector<std::string_view>& header, std::string_view type);

    const std::string& error() const { return error_; }
    // The JSON record for `cells` into `json`; false (with `why`) when the row cannot be one.
    bool to_json(const std::vector<std::string_view>& cells, std::string& json, std::string& why) const;

private:
    enum class file_kind : std::uint8_t { entities, events, retractions };
    struct column {
        std::string name;
        check::type_kind kind = check::type_kind::text;     // how the cell is written into JSON
        check::type_kind element = check::type_kind::text;  // set members
    };
    const check::plan& plan_;
    file_kind kind_ = file_kind::events;
    std::string type_;  // the event type given by the caller
    int type_column_ = -1;
    int kind_column_ = -1;  // a registry's `kind`: each row's kind decides how its fields' cells are written
    std::vector<column> columns_;
    std::string error_;

    void cell_json(check::type_kind kind, std::string_view cell, std::string& json) const;
};

}  // namespace mandate::io
