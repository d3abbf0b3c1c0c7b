// Suggestions for misspelt words: the closest of the known ones, if it is close enough. Shared
// by the parser (keywords), the checker (names) and the command line (options).
#pragma once
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace mandate::detail {

// Levenshtein distance: insertions, deletions and substitutions of one byte each.
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// The known word closest to `wrong`, when it is at most max(2, |wrong|/3) edits away; the first
// of equally close ones. Empty when none is.
template <class Words>
std::string closest_word(std::string_view wrong, const Words& known) {
    std::string best;
    std::size_t best_distance = std::max<std::size_t>(2, wrong.size() / 3) + 1;
    for (const auto& k : known) {
        const std::size_t d = edit_distance(wrong, k);
        if (d < best_distance) {
            best_distance = d;
            best = k;
        }
    }
    return best;
}

}  // namespace mandate::detail
