// The terminal table: per obligation and outcome, a grid of units × periods with one glyph per
// bucket, the buckets that need attention with their evidence in words, the outcomes fired
// and why, and the accounting of the records read. Every line keeps to the width it is given:
// a grid wider than it wraps by columns, a longer line folds.
#include <algorithm>
#include <ostream>
#include <type_traits>

#include "grid.hpp"
#include "mandate/diagnostic.hpp"
#include "mandate/graph/plan.hpp"
#include "mandate/report/report_writer.hpp"
#include "words.hpp"

namespace mandate::io {

namespace {

using detail::phrase;
using namespace detail::glyphs;  // ✓ ✗ ! · ⊘ ● ○ –: words.hpp

// Terminal colours (SGR); the text unchanged when colour is off.
struct palette {
    explicit palette(bool on) : on_(on) {}
    std::string paint(const char* code, const std::string& text) const {
        return on_ ? std::string("\033[") + code + "m" + text + "\033[0m" : text;
    }
    std::string bold(const std::string& t) const { return paint("1", t); }
    std::string dim(const std::string& t) const { return paint("2", t); }
    std::string green(const std::string& t) const { return paint("32", t); }
    std::string red(const std::string& t) const { return paint("31", t); }
    std::string yellow(const std::string& t) const { return paint("33", t); }
    std::string cyan(const std::string& t) const { return paint("36", t); }
    std::string blue(const std::string& t) const { return paint("34", t); }

private:
    bool on_;
};


std::string symbol(const result_row& x, const palette& c) {
    if (x.status == status::satisfied) return c.green(glyph_satisfied);
    if (x.status == status::violated) return c.red(glyph_violated);
    if (x.status == status::excused) return c.blue(glyph_excused);
    if (x.at_risk) return c.yellow(glyph_at_risk);
    return c.dim(glyph_pending);
}

std::string symbol(const outcome_row& x, const palette& c) {
    if (x.fired) return c.cyan(x.final ? glyph_fired : glyph_provisional);
    return c.dim(glyph_not_fired);
}

// Columns a text takes on a terminal, colour codes not counted.
std::size_t width_of(std::string_view s) {
    std::size_t w = 0;
    for (std::size_t i = 0; i < s.size();) {
        if (s[i] == '\033') {
            const std::size_t m = s.find('m', i);
            i = m == std::string_view::npos ? s.size() : m + 1;
            continue;
        }
        std::size_t j = i + 1;
        while (j < s.size() && s[j] != '\033') ++j;
        w += display_width(s.substr(i, j - i));
        i = j;
    }
    return w;
}

std::string pad_to(const std::string& s, std::size_t width) {
    const std::size_t w = width_of(s);
    return w >= width ? s : s + std::string(width - w, ' ');
}

// A plain text folded to lines of at most `width` columns: broken after a space or a Chinese
// punctuation mark where one is near, else between characters; continuation lines start
// with `indent`.
std::vector<std::string> fold(const std::string& text, std::size_t width, const std::string& indent) {
    std::vector<std::string> lines;
    std::string line;
    std::size_t used = 0, break_at = std::string::npos, break_used = 0;
    const std::size_t indent_width = display_width(indent);
    const std::size_t room = std::max<std::size_t>(width, indent_width + 8);
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = std::max<std::size_t>(1, detail::utf8_length(text, i));
        const std::string_view ch(text.data() + i, n);
        const std::size_t w = display_width(ch);
        if (used + w > room && used > indent_width) {
            std::string rest;
            if (break_at != std::string::npos && break_used > indent_width + (room - indent_width) / 3) {
                rest = line.substr(break_at);
                line.resize(break_at);
            }
            while (!line.empty() && line.back() == ' ') line.pop_back();
            lines.push_back(line);
            while (!rest.empty() && rest.front() == ' ') rest.erase(0, 1);
            line = indent + rest;
            used = display_width(line);
            break_at = std::string::npos;
        }
        line.append(ch);
        used += w;
        if (ch == " " || ch == "\uff0c" || ch == "\uff1b" || ch == "\u3001" || ch == "\uff09" || ch == "\u3002") {
            break_at = line.size();
            break_used = used;
        }
        i += n;
    }
    if (!line.empty() || lines.empty()) lines.push_back(line);
    return lines;
}

void write_folded(std::ostream& out, const std::string& text, std::size_t width, const std::string& indent) {
    for (const auto& l : fold(text, width, indent)) out << l << "\n";
}

// Items side by side, two spaces apart, on as many lines as the width needs.
void write_flow(std::ostream& out, const std::vector<std::string>& items, std::size_t width, const std::string& indent) {
    std::string line = indent;
    std::size_t used = display_width(indent);
    bool first = true;
    for (const auto& item : items) {
        const std::size_t w = width_of(item);
        if (!first && used + 2 + w > width) {
            out << line << "\n";
            line = indent;
            used = display_width(indent);
            first = true;
        }
        line += (first ? "" : "  ") + item;
        used += (first ? 0 : 2) + w;
        first = false;
    }
    out << line << "\n";
}

// Grids of more periods than this show a count per unit instead (a daily duty).
constexpr std::size_t max_grid_columns = 62;

template <class Row>
void write_grid(const detail::rule_grid& g, const std::vector<const Row*>& rows, const detail::words& w, const palette& c,
                std::size_t width, std::ostream& out) {
    std::vector<std::string> names;  // row labels, safe for a terminal
    std::size_t unit_width = 4;
    for (const auto& u : g.units) {
        names.push_back(detail::terminal_text(u.empty() ? w(phrase::the_plan) : w.unit(u)));
        unit_width = std::max(unit_width, display_width(names.back()));
    }
    const std::string indent = "  ";
    if (g.columns.size() == 1) {
        // One bucket each: units side by side, as many to a line as fit.
        out << indent << c.dim(w.period(g.columns[0])) << "\n";
        std::vector<std::string> tiles;
        for (std::size_t u = 0; u < g.units.size(); ++u) {
            const int i = g.cells[u][0];
            tiles.push_back(names[u] + " " + (i < 0 ? std::string(" ") : symbol(*rows[static_cast<std::size_t>(i)], c)));
        }
        write_flow(out, tiles, width, indent);
        return;
    }
    if (g.columns.size() > max_grid_columns) {
        out << indent
            << c.dim(w(phrase::periods_count, {std::to_string(g.columns.size()), w.period({g.columns.front().from, g.columns.back().to})}))
            << "\n";
        for (std::size_t u = 0; u < g.units.size(); ++u) {
            std::size_t counts[5] = {0, 0, 0, 0, 0};  // satisfied/fired, violated, at risk, pending/not fired, excused
            for (const int i : g.cells[u]) {
                if (i < 0) continue;
                const Row& x = *rows[static_cast<std::size_t>(i)];
                if constexpr (std::is_same_v<Row, result_row>) {
                    ++counts[x.status == status::satisfied ? 0 : x.status == status::violated ? 1 : x.status == status::excused ? 4 : x.at_risk ? 2 : 3];
                } else {
                    ++counts[x.fired ? 0 : 3];
                }
            }
            std::vector<std::string> items{pad_to(names[u], unit_width)};
            if constexpr (std::is_same_v<Row, result_row>) {
                items.push_back(c.green(std::to_string(counts[0]) + " " + glyph_satisfied));
                items.push_back(c.red(std::to_string(counts[1]) + " " + glyph_violated));
                items.push_back(c.yellow(std::to_string(counts[2]) + " " + glyph_at_risk));
                items.push_back(c.dim(std::to_string(counts[3]) + " " + glyph_pending));
                if (counts[4]) items.push_back(c.blue(std::to_string(counts[4]) + " " + glyph_excused));
            } else {
                items.push_back(c.cyan(std::to_string(counts[0]) + " " + glyph_fired));
                items.push_back(c.dim(std::to_string(counts[3]) + " " + glyph_not_fired));
            }
            write_flow(out, items, width, indent + "  ");
        }
        return;
    }
    const detail::column_labels labels = detail::label_columns(g.columns, w.lang());
    // Cells are as wide as the labels that stand over each of them (the bottom row when there
    // are two: the months above then name the first column of each month, running on).
    std::size_t cell = 3;
    for (const auto& l : labels.two_rows ? labels.bottom : labels.top) cell = std::max(cell, display_width(l) + 1);
    // As many columns to a block as the width holds; the blocks one under the other.
    const std::size_t lead = indent.size() + unit_width + 1;
    const std::size_t per_block = width > lead + cell ? std::max<std::size_t>(1, (width - lead) / cell) : 1;
    for (std::size_t first = 0; first < g.columns.size(); first += per_block) {
        const std::size_t last = std::min(g.columns.size(), first + per_block);
        auto heading = [&](const std::vector<std::string>& text, bool top) {
            std::string line = indent + std::string(unit_width, ' ');
            const std::size_t base = display_width(line) + 1;
            for (std::size_t k = first; k < last; ++k) {
                // A block that starts inside a month names it again.
                std::string t = text[k];
                if (top && t.empty() && k == first && labels.two_rows) {
                    const calendar::ymd d = calendar::to_ymd(g.columns[k].from);
                    t = w.month_label(d.year, d.month);
                }
                if (t.empty()) continue;
                const std::size_t at = base + (k - first) * cell, now = display_width(line);
                line += (now < at ? std::string(at - now, ' ') : std::string(" ")) + t;
            }
            while (display_width(line) > width && !line.empty()) line.pop_back();
            out << c.dim(line) << "\n";
        };
        heading(labels.top, true);
        if (labels.two_rows) heading(labels.bottom, false);
        for (std::size_t u = 0; u < g.units.size(); ++u) {
            std::string line = indent + pad_to(names[u], unit_width) + " ";
            for (std::size_t k = first; k < last; ++k) {
                const int i = g.cells[u][k];
                const bool end = k + 1 == last;
                line += (i < 0 ? std::string(" ") : symbol(*rows[static_cast<std::size_t>(i)], c)) + (end ? "" : std::string(cell - 1, ' '));
            }
            while (!line.empty() && line.back() == ' ') line.pop_back();
            out << line << "\n";
        }
    }
}


}  // namespace

void write_table(const report& r, std::ostream& out, const table_options& options) {
    const palette c(options.colour);
    const detail::words w(r, options.lang);
    const std::size_t width = std::max<std::size_t>(options.width, 40);
    const check::plan* model = w.plan();
    // Ids and texts come from records and rule files: escaped so they cannot drive the terminal.
    const auto t = [](std::string_view text) { return detail::terminal_text(text); };
    const std::string sep = w(phrase::list_separator);

    out << c.bold(w(phrase::plan_heading, {t(r.plan)})) << (model && !model->title.empty() ? "  " + c.bold(t(model->title)) : "") << "\n";
    out << w(phrase::as_of, {calendar::to_iso(r.as_of)}) << "\n";
    write_flow(out,
               {c.green(glyph_satisfied) + " " + w(phrase::satisfied), c.red(glyph_violated) + " " + w(phrase::violated),
                c.yellow(glyph_at_risk) + " " + w(phrase::at_risk), c.dim(glyph_pending) + " " + w(phrase::pending),
                c.blue(glyph_excused) + " " + w(phrase::excused), c.cyan(glyph_fired) + " " + w(phrase::fired),
                c.cyan(glyph_provisional) + " " + w(phrase::fired_not_final), c.dim(glyph_not_fired) + " " + w(phrase::not_fired)},
               width, "");

    for (const auto& g : detail::grids_of(r)) {
        out << "\n";
        for (const auto& l : fold(t(w.rule_heading(g.rule, g.id)), width, "  ")) out << c.bold(l) << "\n";
        if (g.outcome ? g.outcomes.empty() : g.results.empty()) {
            out << "  " << c.dim(w(phrase::no_bucket_yet, {calendar::to_iso(r.as_of)})) << "\n";
            continue;
        }
        if (g.outcome) {
            out << "  " << w(phrase::count_fired, {std::to_string(g.fired), std::to_string(g.fired_final), std::to_string(g.outcomes.size() - g.fired)})
                << "\n";
            write_grid(g, g.outcomes, w, c, width, out);
            // The outcomes fired, and why.
            std::size_t shown = 0, listed = 0;
            for (const outcome_row* x : g.outcomes) {
                if (!x->fired) continue;
                ++listed;
                if (shown == options.max_details) continue;
                ++shown;
                std::string line = t(w.unit(x->unit)) + "  " + w.period(x->span) + "  " + w.status(*x);
                for (const auto& e : w.evidence(g.rule, x->unit, x->evidence)) line += sep + t(e);
                const auto lines = fold(line, width - 6, "  ");
                out << "    " << c.cyan(x->final ? glyph_fired : glyph_provisional) << " " << lines[0] << "\n";
                for (std::size_t k = 1; k < lines.size(); ++k) out << "      " << lines[k] << "\n";
            }
            if (listed > shown) out << "    " << c.dim(w(phrase::more_listed_elsewhere, {std::to_string(listed - shown)})) << "\n";
            continue;
        }
        std::string counts = c.green(w(phrase::count_satisfied, {std::to_string(g.satisfied)})) + sep +
                             c.red(w(phrase::count_violated, {std::to_string(g.violated)})) + sep +
                             w(phrase::count_pending, {std::to_string(g.pending)});
        if (g.at_risk)
            counts += (w.lang() == language::zh ? "（" : " (") + c.yellow(w(phrase::count_at_risk, {std::to_string(g.at_risk)})) +
                      (w.lang() == language::zh ? "）" : ")");
        if (g.excused) counts += sep + c.blue(w(phrase::count_excused, {std::to_string(g.excused)}));
        out << "  " << counts << "\n";
        write_grid(g, g.results, w, c, width, out);
        // The buckets that need attention, with what they lacked.
        const check::rule* rule = w.rule(g.rule);
        std::size_t shown = 0, listed = 0;
        for (const result_row* x : g.results) {
            if (x->status != status::violated && !x->at_risk) continue;
            ++listed;
            if (shown == options.max_details) continue;
            ++shown;
            std::string line = t(w.unit(x->unit)) + "  " + w.period(x->span);
            if (x->due) line += "  " + w(phrase::due_range, {w.period(*x->due)});
            if (!x->value.is_null())
                line += "  " + (rule ? w(phrase::value_against, {w.value(*x), w.requirement(*rule)}) : w(phrase::value_is, {w.value(*x)}));
            else if (x->reason)
                line += "  " + w(phrase::value_is, {w(phrase::no_data)});
            if (x->waiver && x->waiver->extended_to)
                line += "  " + w(phrase::extended_to, {calendar::to_iso(*x->waiver->extended_to), t(x->waiver->id)});
            for (const auto& e : w.evidence(g.rule, x->unit, x->evidence, true)) line += sep + t(e);
            const std::string label = x->at_risk ? w(phrase::at_risk) : w(phrase::violated);
            const std::size_t label_width = std::max(display_width(w(phrase::at_risk)), display_width(w(phrase::violated)));
            const std::string lead(4 + label_width + 2, ' ');
            const auto lines = fold(line, width - lead.size(), "");
            out << "    " << (x->at_risk ? c.yellow(pad_to(label, label_width)) : c.red(pad_to(label, label_width))) << "  " << lines[0] << "\n";
            for (std::size_t k = 1; k < lines.size(); ++k) out << lead << lines[k] << "\n";
        }
        if (listed > shown) out << "    " << c.dim(w(phrase::more_listed_elsewhere, {std::to_string(listed - shown)})) << "\n";
    }

    const input_counts& in = r.inputs;
    out << "\n";
    write_folded(out,
                 w(phrase::records_line, {std::to_string(in.read), std::to_string(in.entities), std::to_string(in.applied),
                                          std::to_string(in.duplicates), std::to_string(in.retracted), std::to_string(in.retractions),
                                          std::to_string(in.unresolved), std::to_string(in.rejected)}) +
                     (in.waivers ? w(phrase::records_waivers, {std::to_string(in.waivers)}) : std::string()),
                 width, "  ");
    for (std::size_t i = 0; i < r.rejected.size() && i < 10; ++i) {
        const std::string line = t(r.rejected[i].source) + ":" + std::to_string(r.rejected[i].line) + ": " + t(r.rejected[i].reason);
        const auto lines = fold(line, width - 4 - width_of(w(phrase::rejected_record)) - 1, "");
        out << "  " << c.red(w(phrase::rejected_record)) << " " << lines[0] << "\n";
        for (std::size_t k = 1; k < lines.size(); ++k) out << "    " << lines[k] << "\n";
    }
    if (r.rejected.size() > 10) out << "  " << w(phrase::more_rejects, {std::to_string(r.rejected.size() - 10)}) << "\n";
    for (const auto& f : r.ignored_fields)
        write_folded(out, "  " + w(phrase::ignored_field, {t(f.field), f.kind ? w(phrase::kind_named, {t(f.type)}) : t(f.type), std::to_string(f.records)}),
                     width, "    ");
    for (std::size_t i = 0; i < r.unapplied_waivers.size() && i < 10; ++i) {
        const std::string line = t(r.unapplied_waivers[i].id) + ": " + t(r.unapplied_waivers[i].reason);
        out << "  " << c.yellow(w(phrase::waiver_not_applied)) << " ";
        const auto lines = fold(line, width - 4 - width_of(w(phrase::waiver_not_applied)), "");
        out << lines[0] << "\n";
        for (std::size_t k = 1; k < lines.size(); ++k) out << "    " << lines[k] << "\n";
    }
    if (r.unapplied_waivers.size() > 10) out << "  " << w(phrase::more_json, {std::to_string(r.unapplied_waivers.size() - 10)}) << "\n";
    if (!r.unresolved_entities.empty()) {
        out << "\n";
        out << c.yellow(w(phrase::held_out, {std::to_string(r.unresolved_entities.size())})) << w(phrase::held_out_note) << "\n";
    }
    for (std::size_t i = 0; i < r.unresolved_entities.size() && i < 10; ++i) {
        const unresolved_entity& u = r.unresolved_entities[i];
        std::string line = "  " + t(w.unit(u.entity)) + ": " + w.held_out_reason(u.reason);
        for (std::size_t k = 0; k < u.chain.size(); ++k) line += (k ? ", " : " ") + t(u.chain[k]);
        write_folded(out, line, width, "    ");
    }
    if (r.unresolved_entities.size() > 10) out << "  " << w(phrase::more_json, {std::to_string(r.unresolved_entities.size() - 10)}) << "\n";
}

}  // namespace mandate::io
