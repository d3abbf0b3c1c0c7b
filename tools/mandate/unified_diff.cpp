#include "unified_diff.hpp"

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <vector>

namespace mandate::cli {
namespace {

enum class op : char { equal = ' ', remove = '-', insert = '+' };

// The lines of a text, each with its line break; the last may lack one.
std::vector<std::string_view> lines_of(const std::string& text) {
    std::vector<std::string_view> out;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t end = text.find('\n', at);
        end = end == std::string::npos ? text.size() : end + 1;
        out.emplace_back(text.data() + at, end - at);
        at = end;
    }
    return out;
}

// Beyond this many differing lines the search would cost more memory (the square of it) than
// the answer is worth: the differing middle is then shown as one removal and one insertion.
constexpr std::ptrdiff_t max_edit_distance = 2000;

// Myers' greedy algorithm over a[0..n) and b[0..m), with the frontier of every step kept for
// the walk back.
void middle_script(const std::string_view* a, std::ptrdiff_t n, const std::string_view* b, std::ptrdiff_t m,
                   std::vector<op>& out) {
    const std::ptrdiff_t max = std::min(n + m, max_edit_distance);
    // v[k + offset] is the furthest x reached on diagonal k (y = x - k).
    const std::ptrdiff_t offset = max + 1;
    std::vector<std::ptrdiff_t> v(static_cast<std::size_t>(2 * max + 3), 0);
    // trace[d]: v over k in [-d-1, d+1] before step d.
    std::vector<std::vector<std::ptrdiff_t>> trace;
    std::ptrdiff_t found = -1;
    for (std::ptrdiff_t d = 0; d <= max && found < 0; ++d) {
        trace.emplace_back(v.begin() + (offset - d - 1), v.begin() + (offset + d + 2));
        for (std::ptrdiff_t k = -d; k <= d; k += 2) {
            std::ptrdiff_t x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1]
                                                                                            : v[offset + k - 1] + 1;
            std::ptrdiff_t y = x - k;
            while (x < n && y < m && a[x] == b[y]) ++x, ++y;
            v[offset + k] = x;
            if (x >= n && y >= m) {
                found = d;
                break;
            }
        }
    }
    if (found < 0) {
        out.insert(out.end(), static_cast<std::size_t>(n), op::remove);
        out.insert(out.end(), static_cast<std::size_t>(m), op::insert);
        return;
    }
    std::vector<op> reversed;
    std::ptrdiff_t x = n, y = m;
    for (std::ptrdiff_t d = found; d >= 0; --d) {
        const auto& t = trace[static_cast<std::size_t>(d)];
        auto at = [&](std::ptrdiff_t k) { return t[static_cast<std::size_t>(k + d + 1)]; };
        const std::ptrdiff_t k = x - y;
        const std::ptrdiff_t prev_k = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1;
        const std::ptrdiff_t prev_x = d == 0 ? 0 : at(prev_k);
        const std::ptrdiff_t prev_y = d == 0 ? 0 : prev_x - prev_k;
        while (x > prev_x && y > prev_y) {
            reversed.push_back(op::equal);
            --x, --y;
        }
        if (d == 0) break;
        reversed.push_back(x == prev_x ? op::insert : op::remove);
        x = prev_x;
        y = prev_y;
    }
    out.insert(out.end(), reversed.rbegin(), reversed.rend());
}

// The shortest edit script from a to b; in each run of changes the removals come first, as
// diff(1) prints them.
std::vector<op> edit_script(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
    std::size_t prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
    std::size_t suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix && a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
        ++suffix;
    std::vector<op> script(prefix, op::equal);
    middle_script(a.data() + prefix, static_cast<std::ptrdiff_t>(a.size() - prefix - suffix), b.data() + prefix,
                  static_cast<std::ptrdiff_t>(b.size() - prefix - suffix), script);
    script.insert(script.end(), suffix, op::equal);
    for (std::size_t i = 0; i < script.size();) {
        if (script[i] == op::equal) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < script.size() && script[j] != op::equal) ++j;
        std::stable_partition(script.begin() + static_cast<std::ptrdiff_t>(i), script.begin() + static_cast<std::ptrdiff_t>(j),
                              [](op o) { return o == op::remove; });
        i = j;
    }
    return script;
}

std::string range(std::size_t before, std::size_t count) {
    // diff(1): a hunk of one line gives its number alone; an empty one the line before it.
    if (count == 1) return std::to_string(before + 1);
    return std::to_string(count == 0 ? before : before + 1) + "," + std::to_string(count);
}

}  // namespace

std::string unified_diff(const std::string& name, const std::string& before, const std::string& after, int context) {
    if (before == after) return "";
    const auto a = lines_of(before);
    const auto b = lines_of(after);
    const std::vector<op> script = edit_script(a, b);
    const std::size_t ctx = static_cast<std::size_t>(std::max(context, 0));

    // Where each entry of the script stands in a and in b.
    std::vector<std::size_t> at_a(script.size() + 1), at_b(script.size() + 1);
    for (std::size_t i = 0; i < script.size(); ++i) {
        at_a[i + 1] = at_a[i] + (script[i] != op::insert);
        at_b[i + 1] = at_b[i] + (script[i] != op::remove);
    }

    std::string out = "--- a/" + name + "\n+++ b/" + name + "\n";
    std::size_t done = 0;  // entries already shown
    for (std::size_t i = 0; i < script.size();) {
        if (script[i] == op::equal) {
            ++i;
            continue;
        }
        const std::size_t start = std::max(done, i >= ctx ? i - ctx : 0);
        std::size_t end = i;
        for (;;) {
            while (end < script.size() && script[end] != op::equal) ++end;
            std::size_t same = 0;
            while (end + same < script.size() && script[end + same] == op::equal) ++same;
            // Two changes with at most twice the context between them share a hunk.
            if (end + same < script.size() && same <= 2 * ctx) {
                end += same;
                continue;
            }
            end += std::min(same, ctx);
            break;
        }
        out += "@@ -" + range(at_a[start], at_a[end] - at_a[start]) + " +" + range(at_b[start], at_b[end] - at_b[start]) +
               " @@\n";
        for (std::size_t e = start; e < end; ++e) {
            const std::string_view text = script[e] == op::insert ? b[at_b[e]] : a[at_a[e]];
            out += static_cast<char>(script[e]);
            out += text;
            if (text.empty() || text.back() != '\n') out += "\n\\ No newline at end of file\n";
        }
        done = i = end;
    }
    return out;
}

}  // namespace mandate::cli
