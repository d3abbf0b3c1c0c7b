#include "mandate/diagnostic.hpp"

#include <algorithm>
#include <climits>
#include <cstdint>

namespace mandate {
namespace {

// Decodes one UTF-8 sequence at s[i], advancing i; malformed bytes decode as themselves.
char32_t next_code_point(std::string_view s, std::size_t& i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    auto cont = [&](std::size_t k) { return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80; };
    if (b0 < 0x80) {
        ++i;
        return b0;
    }
    if ((b0 & 0xE0) == 0xC0 && cont(1)) {
        char32_t cp = ((b0 & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
        i += 2;
        return cp;
    }
    if ((b0 & 0xF0) == 0xE0 && cont(1) && cont(2)) {
        char32_t cp = ((b0 & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) |
                      (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
        i += 3;
        return cp;
    }
    if ((b0 & 0xF8) == 0xF0 && cont(1) && cont(2) && cont(3)) {
        char32_t cp = ((b0 & 0x07u) << 18) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 12) |
                      ((static_cast<unsigned char>(s[i + 2]) & 0x3Fu) << 6) | (static_cast<unsigned char>(s[i + 3]) & 0x3Fu);
        i += 4;
        return cp;
    }
    ++i;
    return b0;
}

bool is_wide(char32_t cp) {
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) || (cp >= 0x3041 && cp <= 0x33FF) ||
           (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
           (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

}  // namespace

source_file::source_file(std::string name, std::string text) : name_(std::move(name)), text_(std::move(text)) {
    line_starts_.push_back(0);
    std::uint32_t column = 1, since_checkpoint = 0;
    for (std::uint32_t i = 0; i < text_.size(); ++i) {
        if (text_[i] == '\n') {
            line_starts_.push_back(i + 1);
            column = 1;
            since_checkpoint = 0;
            continue;
        }
        if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) {
            if (++since_checkpoint >= 4096) {
                checkpoints_.emplace_back(i, column);
                since_checkpoint = 0;
            }
            ++column;
        }
    }
}

position source_file::position_of(std::uint32_t offset) const {
    offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text_.size()));
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const auto line = static_cast<std::uint32_t>(it - line_starts_.begin());
    std::uint32_t start = line_starts_[line - 1];
    std::uint32_t column = 1;
    // Resume from the last checkpoint of this line before the offset, if any.
    auto cp = std::upper_bound(checkpoints_.begin(), checkpoints_.end(), std::make_pair(offset, UINT32_MAX));
    if (cp != checkpoints_.begin() && std::prev(cp)->first >= start) {
        start = std::prev(cp)->first;
        column = std::prev(cp)->second;
    }
    std::string_view s(text_);
    for (std::size_t i = start; i < offset;) {
        next_code_point(s, i);
        ++column;
    }
    return {line, column};
}

std::string_view source_file::line_text(std::uint32_t line) const {
    if (line == 0 || line > line_starts_.size()) return {};
    const std::uint32_t start = line_starts_[line - 1];
    std::uint32_t end = line < line_starts_.size() ? line_starts_[line] - 1 : static_cast<std::uint32_t>(text_.size());
    if (end > start && text_[end - 1] == '\r') --end;
    return std::string_view(text_).substr(start, end - start);
}

std::size_t display_width(std::string_view utf8) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < utf8.size();) {
        const char32_t cp = next_code_point(utf8, i);
        width += cp == '\t' ? 1 : (is_wide(cp) ? 2 : 1);
    }
    return width;
}

diagnostic make_diagnostic(const source_file& source, span where, std::string message, severity level) {
    diagnostic d;
    d.level = level;
    d.file = source.name();
    d.pos = source.position_of(where.begin);
    d.where = where;
    d.message = std::move(message);
    return d;
}

std::string headline(const diagnostic& d) {
    const char* level = d.level == severity::error ? "error" : (d.level == severity::warning ? "warning" : "note");
    return d.file + ":" + std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column) + ": " + level + ": " +
           d.message;
}

std::string render(const diagnostic& d, const source_file& source) {
    std::string out = headline(d) + "\n";
    std::string_view line = source.line_text(d.pos.line);
    if (line.empty() && source.text().empty()) return out;
    const std::string number = std::to_string(d.pos.line);
    const std::string gutter(number.size(), ' ');
    const auto line_start = static_cast<std::uint32_t>(line.data() - source.text().data());
    std::size_t at = d.where.begin >= line_start ? std::min<std::size_t>(d.where.begin - line_start, line.size()) : 0;
    std::size_t end = d.where.end > d.where.begin ? std::min<std::size_t>(d.where.end - line_start, line.size()) : at;
    // A long line is shown as a window around the spot, marked with ellipses.
    constexpr std::size_t context = 80;
    std::string prefix, suffix;
    if (line.size() > 2 * context + 40) {
        auto boundary = [&](std::size_t i) {
            while (i > 0 && i < line.size() && (static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) --i;
            return i;
        };
        const std::size_t from = boundary(at > context ? at - context : 0);
        const std::size_t to = std::max(boundary(std::min(line.size(), std::max(end, at) + context)), at);
        if (from > 0) prefix = "…";
        if (to < line.size()) suffix = "…";
        line = line.substr(from, to - from);
        at -= from;
        end = std::min(end - std::min(end, from), line.size());
    }
    // Tabs are shown as single spaces so the caret lines up whatever the terminal's tab width.
    std::string shown(line);
    std::replace(shown.begin(), shown.end(), '\t', ' ');
    out += " " + number + " | " + prefix + shown + suffix + "\n";
    const std::size_t pad = display_width(prefix) + display_width(line.substr(0, at));
    std::size_t underline = 1;
    if (end > at) underline = std::max<std::size_t>(1, display_width(line.substr(at, end - at)));
    out += " " + gutter + " | " + std::string(pad, ' ') + "^" + std::string(underline - 1, '~') + "\n";
    return out;
}

}  // namespace mandate
