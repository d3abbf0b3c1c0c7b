// Diagnostics are values: a severity, a position in a named source, and a message.
// Every stage (parser, checker, record reader) reports through these; the renderer prints
// `file:line:column: error: message`, the source line, and a caret under the spot.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mandate {

// A byte range [begin, end) in a source text.
struct span {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
    friend bool operator==(const span& a, const span& b) { return a.begin == b.begin && a.end == b.end; }
};

// 1-based line and column; the column counts Unicode code points, not bytes.
struct position {
    std::uint32_t line = 1;
    std::uint32_t column = 1;
};

// A named text with a line index. Owns its text; cheap to query positions. Immutable once
// built, so safe to share between threads.
class source_file {
public:
    source_file() = default;
    source_file(std::string name, std::string text);

    const std::string& name() const { return name_; }
    const std::string& text() const { return text_; }
    position position_of(std::uint32_t offset) const;
    // The text of 1-based line `line`, without its newline.
    std::string_view line_text(std::uint32_t line) const;

private:
    std::string name_;
    std::string text_;
    std::vector<std::uint32_t> line_starts_;
    // Every 4 KiB of a long line: (offset, column there), so a column is found quickly.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> checkpoints_;
};

enum class severity { error, warning, note };

struct diagnostic {
    severity level = severity::error;
    std::string file;
    position pos;
    span where;
    std::string message;
};

// Builds a diagnostic for `where` in `source`.
diagnostic make_diagnostic(const source_file& source, span where, std::string message,
                           severity level = severity::error);

// "file:3:7: error: message\n   3 | source line\n     |       ^~~~\n" — the caret is placed by
// display width, so it stands under the right spot in lines holding Chinese text.
std::string render(const diagnostic& d, const source_file& source);
// The first line only: "file:3:7: error: message".
std::string headline(const diagnostic& d);

// Number of display columns of a UTF-8 string (East Asian wide characters count two).
std::size_t display_width(std::string_view utf8);

}  // namespace mandate
