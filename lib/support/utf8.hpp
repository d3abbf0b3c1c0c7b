// UTF-8 for writers: how long a valid sequence is, and appending text so that what is written
// is always valid UTF-8 (a byte that is not becomes U+FFFD).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mandate::detail {

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not one.
std::size_t utf8_length(std::string_view s, std::size_t i);

// Appends `s` to `out` for a writer: multi-byte characters as they are, a byte that is not
// UTF-8 as U+FFFD (so what writers write is always valid UTF-8), and each ASCII character
// through `ascii(c, out)`, which escapes it as the format needs.
template <class Ascii>
void append_utf8(std::string_view s, std::string& out, Ascii&& ascii) {
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8_length(s, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else if (n > 1) {
            out.append(s.substr(i, n));
            i += n;
        } else {
            ascii(s[i++], out);
        }
    }
}

}  // namespace mandate::detail
