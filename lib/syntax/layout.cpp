#include "layout.hpp"

#include <algorithm>
#include <iterator>

namespace mandate::syntax::detail {

bool blank_between(const std::string& text, std::uint32_t from, std::uint32_t to) {
    if (to > text.size() || from >= to) return false;
    bool seen_newline = false;
    for (std::uint32_t i = from; i < to; ++i) {
        const char c = text[i];
        if (c == '\n') {
            if (seen_newline) return true;
            seen_newline = true;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            seen_newline = false;
        }
    }
    return false;
}

void layout::add(int indent, std::string text, span source, bool block_edge, bool first_in_block) {
    layout_line l;
    l.indent = indent;
    l.text = std::move(text);
    l.source = source;
    l.block_edge = block_edge;
    l.first_in_block = first_in_block;
    lines_.push_back(std::move(l));
}

void layout::attach_comments(const std::vector<ast::comment>& comments) {
    auto after = [&](std::uint32_t offset) {
        return std::upper_bound(lines_.begin(), lines_.end(), offset,
                                [](std::uint32_t off, const layout_line& l) { return off < l.source.begin; });
    };
    for (const auto& c : comments) {
        auto it = after(c.loc.begin);
        if (!c.own_line && it != lines_.begin()) {
            // Trails the last line that starts before it.
            std::prev(it)->trailing.push_back(c.text);
            std::prev(it)->trailing_end = std::max(std::prev(it)->trailing_end, c.loc.end);
        } else if (it == lines_.end()) {
            tail_.push_back(c);
        } else {
            it->leading.push_back(c.text);
            it->leading_spans.push_back(c.loc);
        }
    }
}

std::string layout::render(const std::string& text) const {
    std::string out;
    std::uint32_t previous_end = 0;
    bool previous_block_end = false;
    bool any = false;
    auto gap = [&](bool wanted) {
        if (any && wanted) out += "\n";
    };
    for (const layout_line& l : lines_) {
        const std::string indent(static_cast<std::size_t>(l.indent), ' ');
        // Comments just before a closing brace stay inside the block.
        const std::string comment_indent(static_cast<std::size_t>(l.text == "}" ? 2 : l.indent), ' ');
        const bool top = l.indent == 0 && l.text != "}";
        // A block, or anything after a block, gets a blank line before it.
        const bool forced = top && (l.block_edge || previous_block_end);
        for (std::size_t k = 0; k < l.leading.size(); ++k) {
            const bool blank = (!l.first_in_block || k > 0) && blank_between(text, previous_end, l.leading_spans[k].begin);
            gap((k == 0 && forced) || blank);
            out += comment_indent + l.leading[k] + "\n";
            previous_end = l.leading_spans[k].end;
            any = true;
        }
        const bool blank = !l.first_in_block && l.text != "}" && blank_between(text, previous_end, l.source.begin);
        gap((l.leading.empty() && forced) || blank);
        out += indent + l.text;
        if (!l.trailing.empty()) out += "  " + l.trailing.front();
        out += "\n";
        // A line holds one comment: more than one trailing comment (a clause or statement
        // written over several lines) and the others follow on lines of their own.
        for (std::size_t k = 1; k < l.trailing.size(); ++k) out += comment_indent + l.trailing[k] + "\n";
        any = true;
        previous_end = std::max(l.source.end, l.trailing_end);
        if (l.indent == 0) previous_block_end = l.text == "}";
    }
    for (std::size_t k = 0; k < tail_.size(); ++k) {
        gap(blank_between(text, previous_end, tail_[k].loc.begin) || (k == 0 && previous_block_end));
        out += tail_[k].text + "\n";
        previous_end = tail_[k].loc.end;
        any = true;
    }
    return out;
}

}  // namespace mandate::syntax::detail
