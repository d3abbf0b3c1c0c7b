// Comparing short byte strings (ids, units, keys) inline: shared by the record reader and the
// engine's string pool, where such comparisons run several times a record.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace mandate {

// Whether the first and the last sizeof(W) of n bytes (sizeof(W) <= n <= 2 * sizeof(W)) agree:
// two overlapping words cover them all.
template <class W>
inline bool same_ends(const char* a, const char* b, std::size_t n) {
    W a0, b0, a1, b1;
    std::memcpy(&a0, a, sizeof(W));
    std::memcpy(&b0, b, sizeof(W));
    std::memcpy(&a1, a + n - sizeof(W), sizeof(W));
    std::memcpy(&b1, b + n - sizeof(W), sizeof(W));
    return a0 == b0 && a1 == b1;
}

// Whether n bytes at a and b agree. Ids, units and names are mostly 4 to 16 bytes: compared
// in two overlapping words, inline, instead of a call to memcmp for each.
inline bool same_bytes(const char* a, const char* b, std::size_t n) {
    if (n >= 8 && n <= 16) return same_ends<std::uint64_t>(a, b, n);
    if (n >= 4 && n < 8) return same_ends<std::uint32_t>(a, b, n);
    if (n < 4) {
        for (std::size_t i = 0; i < n; ++i)
            if (a[i] != b[i]) return false;
        return true;
    }
    return std::memcmp(a, b, n) == 0;
}

inline bool same_text(std::string_view a, std::string_view b) { return a.size() == b.size() && same_bytes(a.data(), b.data(), a.size()); }

}  // namespace mandate
