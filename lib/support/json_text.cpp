#include "mandate/json_text.hpp"

#include <cstdio>

#include "support/utf8.hpp"

namespace mandate {

namespace detail {

std::size_t utf8_length(std::string_view s, std::size_t i) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k)
        if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
    if (n == 2 && b < 0xC2) return 0;                                                        // overlong
    if (n == 3) {
        const auto c = static_cast<unsigned char>(s[i + 1]);
        if ((b == 0xE0 && c < 0xA0) || (b == 0xED && c >= 0xA0)) return 0;                  // overlong, surrogate
    }
    if (n == 4) {
        const auto c = static_cast<unsigned char>(s[i + 1]);
        if ((b == 0xF0 && c < 0x90) || b > 0xF4 || (b == 0xF4 && c >= 0x90)) return 0;       // overlong, > U+10FFFF
    }
    return n;
}

}  // namespace detail

namespace io {

// Control characters are escaped; bytes that are not valid UTF-8 (a file name, a cut string)
// become U+FFFD, so the report is always valid JSON.
std::string json_string(std::string_view s) {
    std::string out = "\"";
    detail::append_utf8(s, out, [](char c, std::string& o) {
        switch (c) {
            case '"': o += "\\\""; break;
            case '\\': o += "\\\\"; break;
            case '\n': o += "\\n"; break;
            case '\t': o += "\\t"; break;
            case '\r': o += "\\r"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
                    o += buf;
                } else {
                    o += c;
                }
        }
    });
    return out + "\"";
}

}  // namespace io
}  // namespace mandate
