#include "mandate/ingest/csv.hpp"

#include <algorithm>
#include <cstring>
#include <istream>
#include <stdexcept>

#include "mandate/ingest/records.hpp"
#include "mandate/json_text.hpp"

namespace mandate::io {

// ---------------------------------------------------------------- splitting records

struct csv_reader::impl {
    impl(std::istream& s, std::size_t limit, bool raw) : in(s), max_bytes(limit), keep_raw(raw) {}

    std::istream& in;
    std::size_t max_bytes;
    bool keep_raw;
    std::vector<char> block = std::vector<char>(std::size_t{1} << 20);
    std::size_t pos = 0, end = 0;
    bool eof = false, started = false;
    std::uint64_t line = 0;  // physical lines finished so far
    std::string cells;       // the record's cell contents, back to back
    std::vector<std::size_t> bounds;  // end offset of each cell in `cells`
    // Bytes to read again before the stream's: the lines after a quote that was never closed.
    std::string replay;
    std::size_t replay_pos = 0;

    // The next byte, or -1 at the end of the stream.
    int get() {
        if (replay_pos < replay.size()) return static_cast<unsigned char>(replay[replay_pos++]);
        if (pos == end) {
            if (eof) return -1;
            in.read(block.data(), static_cast<std::streamsize>(block.size()));
            end = static_cast<std::size_t>(in.gcount());
            pos = 0;
            if (in.bad()) throw std::runtime_error("read error");
            if (!in) eof = true;
            if (!started) {
                started = true;
                if (end >= 3 && std::memcmp(block.data(), "\xEF\xBB\xBF", 3) == 0) pos = 3;
            }
            if (pos == end) return -1;
        }
        return static_cast<unsigned char>(block[pos++]);
    }
};

csv_reader::csv_reader(std::istream& in, std::size_t max_record_bytes, bool keep_raw)
    : impl_(std::make_unique<impl>(in, max_record_bytes, keep_raw)) {}
csv_reader::~csv_reader() = default;

void csv_reader::set_lines_read(std::uint64_t lines) { impl_->line = lines; }

bool csv_reader::next(csv_row& row) {
    impl& m = *impl_;
    enum class state : std::uint8_t { cell_start, unquoted, quoted, quote_in_quoted };
    for (;;) {
        row.cells.clear();
        row.error.clear();
        row.raw.clear();
        m.cells.clear();
        m.bounds.clear();
        row.line = m.line + 1;
        state s = state::cell_start;
        std::size_t bytes = 0;
        bool too_long = false, any = false, blank = true, ended = false;
        // From the first line break inside a quoted cell on, the bytes read are kept: if the
        // quote is never closed (the stream ends, the record outgrows the limit, or a later
        // quote pairs with it and leaves a malformed cell), the record is the opening line
        // alone, rejected as such, and the lines after it are read again.
        bool spans_lines = false;
        std::string after_break, first_line_raw;
        auto unclosed = [&] {
            row.error = "a quoted cell is not closed";
            row.lines = 1;
            row.cells.clear();
            if (m.keep_raw) {
                row.raw = std::move(first_line_raw);
                if (!row.raw.empty() && row.raw.back() == '\r') row.raw.pop_back();
            }
            m.line = row.line;
            m.replay = after_break + m.replay.substr(m.replay_pos);
            m.replay_pos = 0;
        };
        auto put = [&](char c) {
            if (!too_long) m.cells.push_back(c);
        };
        auto end_cell = [&] { m.bounds.push_back(m.cells.size()); };
        bool reopen = false;  // a problem after a quoted line break: the quote was never closed
        auto problem = [&](std::string why) {
            if (spans_lines) reopen = true;
            if (row.error.empty()) row.error = std::move(why);
        };
        for (;;) {
            const int c = m.get();
            if (c < 0) break;
            any = true;
            if (spans_lines) after_break.push_back(static_cast<char>(c));
            if (++bytes > m.max_bytes && !too_long) {
                too_long = true;
                m.cells.clear();
                row.raw.clear();
            }
            if (m.keep_raw && !too_long) row.raw.push_back(static_cast<char>(c));
            const char ch = static_cast<char>(c);
            if (ch == '\n') ++m.line;
            if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n') blank = false;
            switch (s) {
                case state::cell_start:
                    if (ch == '"') {
                        s = state::quoted;
                    } else if (ch == ',') {
                        end_cell();
                    } else if (ch == '\n') {
                        ended = true;
                    } else {
                        put(ch);
                        s = state::unquoted;
                    }
                    break;
                case state::unquoted:
                    if (ch == ',') {
                        end_cell();
                        s = state::cell_start;
                    } else if (ch == '\n') {
                        ended = true;
                    } else {
                        if (ch == '"') problem("cell " + std::to_string(m.bounds.size() + 1) + " has a quote but does not start with one");
                        put(ch);
                    }
                    break;
                case state::quoted:
                    if (ch == '"') {
                        s = state::quote_in_quoted;
                    } else {
                        put(ch);
                        if (ch == '\n' && !spans_lines) {
                            spans_lines = true;
                            if (m.keep_raw) first_line_raw.assign(row.raw.begin(), row.raw.end() - 1);
                        }
                    }
                    break;
                case state::quote_in_quoted:
                    if (ch == '"') {
                        put('"');  // a doubled quote stands for one
                        s = state::quoted;
                    } else if (ch == ',') {
                        end_cell();
                        s = state::cell_start;
                    } else if (ch == '\n') {
                        ended = true;
                    } else if (ch != '\r') {
                        problem("cell " + std::to_string(m.bounds.size() + 1) + " has text after its closing quote");
                        put(ch);
                        s = state::unquoted;
                    }
                    break;
            }
            if (reopen) {
                // The quote that ran over lines was closed by one meant to open a later cell.
                unclosed();
                return true;
            }
            if (ended) break;
            if (too_long && spans_lines) {
                if (s == state::quoted) {
                    unclosed();
                    return true;
                }
                spans_lines = false;  // a long record whose quotes closed: skipped as too long
                after_break.clear();
                after_break.shrink_to_fit();
            }
        }
        if (!any) return false;
        if (s == state::quoted && spans_lines) {
            unclosed();
            return true;
        }
        if (m.keep_raw && !row.raw.empty() && row.raw.back() == '\n') row.raw.pop_back();
        if (m.keep_raw && !row.raw.empty() && row.raw.back() == '\r') row.raw.pop_back();
        row.lines = m.line + (ended ? 0 : 1) - row.line + 1;
        if (blank && s != state::quoted) {
            if (!ended) return false;  // trailing blank line at the end of the stream
            continue;
        }
        if (s == state::quoted) problem("a quoted cell is not closed");
        // A '\r' before the line break belongs to it (CRLF files), not to the last cell.
        if (ended && s == state::unquoted && !m.cells.empty() && m.cells.back() == '\r' &&
            m.cells.size() > (m.bounds.empty() ? 0 : m.bounds.back()))
            m.cells.pop_back();
        end_cell();
        if (too_long) {
            row.error = too_long_reason(m.max_bytes);
            m.bounds.clear();
        }
        std::size_t begin = 0;
        for (const std::size_t e : m.bounds) {
            row.cells.emplace_back(m.cells.data() + begin, e - begin);
            begin = e;
        }
        return true;
    }
}

// ---------------------------------------------------------------- rows into JSON records

csv_layout::csv_layout(const check::plan& plan, const std::vector<std::string_view>& header, std::string_view type)
    : plan_(plan), type_(type) {
    auto has = [&](std::string_view name) { return std::find(header.begin(), header.end(), name) != header.end(); };
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (header[i].empty()) {
            error_ = "column " + std::to_string(i + 1) + " of the header has no name";
            return;
        }
        if (std::find(header.begin(), header.begin() + static_cast<std::ptrdiff_t>(i), header[i]) != header.begin() + static_cast<std::ptrdiff_t>(i)) {
            error_ = "the header names column '" + std::string(header[i]) + "' twice";
            return;
        }
    }
    int event = -1;
    if (has("entity")) {
        kind_ = file_kind::entities;
        if (!has("kind")) {
            error_ = "an entity registry needs a 'kind' column (entity,kind,parent,name,since,until,version)";
            return;
        }
    } else if (has("retract")) {
        kind_ = file_kind::retractions;
    } else {
        kind_ = file_kind::events;
        if (!type_.empty()) {
            event = plan.find_event(type_);
            if (event < 0) {
                error_ = "the plan has no event type '" + type_ + "'";
                return;
            }
        } else if (!has("type")) {
            error_ = "the header names neither 'entity' (a registry), 'retract', nor 'type': give the events' type as "
                     "--events TYPE=FILE, or add a 'type' column";
            return;
        }
        for (const char* required : {"id", "time", "unit"})
            if (!has(required)) {
                error_ = "an events file needs an '" + std::string(required) + "' column";
                return;
            }
        if (event >= 0)
            for (std::size_t f = check::first_declared_field; f < plan.events[static_cast<std::size_t>(event)].fields.size(); ++f) {
                const check::field& field = plan.events[static_cast<std::size_t>(event)].fields[f];
                if (!field.optional && !has(field.id)) {
                    error_ = "the header has no column for field '" + field.id + "', which every " + type_ + " event needs";
                    return;
                }
            }
    }
    for (std::size_t i = 0; i < header.size(); ++i) {
        column c;
        c.name = std::string(header[i]);
        if (c.name == "type") type_column_ = static_cast<int>(i);
        if (kind_ == file_kind::entities && c.name == "kind") kind_column_ = static_cast<int>(i);
        if (kind_ == file_kind::entities && c.name == "version") c.kind = check::type_kind::integer;
        if (event >= 0) {
            const check::event_type& et = plan.events[static_cast<std::size_t>(event)];
            const int f = et.find_field(c.name);
            if (f >= check::first_declared_field) {
                c.kind = et.fields[static_cast<std::size_t>(f)].t.kind;
                c.element = et.fields[static_cast<std::size_t>(f)].t.element;
            }
        }
        columns_.push_back(std::move(c));
    }
}

void csv_layout::cell_json(check::type_kind kind, std::string_view cell, std::string& json) const {
    switch (kind) {
        case check::type_kind::integer:
        case check::type_kind::number:
            // Written as a number when it is one; otherwise as a string, which the record's
            // check rejects with the field's name ("must be a number").
            if (is_json_number(cell)) {
                json.append(cell);
                return;
            }
            break;
        case check::type_kind::boolean:
            if (cell == "true" || cell == "TRUE" || cell == "True") {
                json += "true";
                return;
            }
            if (cell == "false" || cell == "FALSE" || cell == "False") {
                json += "false";
                return;
            }
            break;
        default: break;
    }
    json += json_string(cell);
}

bool csv_layout::to_json(const std::vector<std::string_view>& cells, std::string& json, std::string& why) const {
    if (cells.size() != columns_.size()) {
        why = "the row has " + std::to_string(cells.size()) + (cells.size() == 1 ? " cell" : " cells") + ", the header " +
              std::to_string(columns_.size());
        return false;
    }
    // Bytes that are not UTF-8 are refused here: turned into JSON they would be replaced.
    for (std::size_t i = 0; i < cells.size(); ++i)
        if (!is_valid_utf8(cells[i])) {
            why = "not valid UTF-8 (column '" + columns_[i].name + "')";
            return false;
        }
    // With a `type` column, each row's type decides how its cells are written.
    const check::event_type* row_type = nullptr;
    if (kind_ == file_kind::events && type_.empty() && type_column_ >= 0) {
        const int e = plan_.find_event(cells[static_cast<std::size_t>(type_column_)]);
        if (e >= 0) row_type = &plan_.events[static_cast<std::size_t>(e)];
    }
    // In a registry, each row's kind decides how the cells of its fields are written.
    const check::kind* row_kind = nullptr;
    if (kind_ == file_kind::entities && kind_column_ >= 0) {
        const int k = plan_.find_kind(cells[static_cast<std::size_t>(kind_column_)]);
        if (k >= 0) row_kind = &plan_.kinds[static_cast<std::size_t>(k)];
    }
    json = "{";
    bool first = true;
    auto key = [&](std::string_view name) {
        if (!first) json += ", ";
        first = false;
        json += json_string(name);
        json += ": ";
    };
    if (kind_ == file_kind::events && !type_.empty()) {
        if (type_column_ >= 0 && !cells[static_cast<std::size_t>(type_column_)].empty() &&
            cells[static_cast<std::size_t>(type_column_)] != type_) {
            why = "the row's type '" + std::string(cells[static_cast<std::size_t>(type_column_)]) + "' is not " + type_ +
                  ", the type the file was given";
            return false;
        }
        key("type");
        json += json_string(type_);
    }
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const column& c = columns_[i];
        if (cells[i].empty()) continue;  // an empty cell is an absent field
        if (static_cast<int>(i) == type_column_ && !type_.empty()) continue;
        check::type_kind kind = c.kind, element = c.element;
        if (row_type) {
            const int f = row_type->find_field(c.name);
            if (f >= check::first_declared_field) {
                kind = row_type->fields[static_cast<std::size_t>(f)].t.kind;
                element = row_type->fields[static_cast<std::size_t>(f)].t.element;
            }
        }
        if (row_kind) {
            const int f = row_kind->find_field(c.name);
            if (f >= 0) kind = row_kind->fields[static_cast<std::size_t>(f)].t.kind;
        }
        key(c.name);
        if (kind != check::type_kind::set) {
            cell_json(kind, cells[i], json);
            continue;
        }
        json += "[";
        bool first_member = true;
        std::string_view rest = cells[i];
        for (;;) {
            const std::size_t cut = rest.find(';');
            const std::string_view member = rest.substr(0, cut);
            if (!member.empty()) {
                if (!first_member) json += ", ";
                first_member = false;
                cell_json(element, member, json);
            }
            if (cut == std::string_view::npos) break;
            rest.remove_prefix(cut + 1);
        }
        json += "]";
    }
    json += "}";
    return true;
}

}  // namespace mandate::io
