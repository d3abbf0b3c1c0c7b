// The HTML report: one self-contained page (inline style, no script, no network assets) that
// a person can open from a file or a mail attachment, or print. Every word on it comes from the
// message catalogue (catalogue.inc) in the reader's language; units are named as the registry
// names them. Every bucket is a cell carrying its status in a class, in data-* attributes and
// as a glyph (so it reads without colour and on paper); tests and hosts read the page's DOM.
#include <algorithm>
#include <cstdio>
#include <map>
#include <ostream>
#include <tuple>

#include "grid.hpp"
#include "mandate/graph/plan.hpp"
#include "mandate/report/report_writer.hpp"
#include "words.hpp"

namespace mandate::io {

namespace {

using detail::phrase;
using namespace detail::glyphs;  // ✓ ✗ ! · ⊘ ● ○ –: words.hpp

std::string esc(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    detail::append_utf8(s, out, [](char c, std::string& o) {
        switch (c) {
            case '&': o += "&amp;"; break;
            case '<': o += "&lt;"; break;
            case '>': o += "&gt;"; break;
            case '"': o += "&quot;"; break;
            case '\'': o += "&#39;"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') o += "\xEF\xBF\xBD";
                else o += c;
        }
    });
    return out;
}

// A phrase whose arguments are markup already: the pattern is escaped, the arguments are not.
std::string markup(const detail::words& w, phrase p, std::initializer_list<std::string_view> html_args) {
    return detail::fill(esc(detail::text(w.lang(), p)), html_args);
}


const char* glyph(const result_row& x) {
    if (x.status == status::satisfied) return glyph_satisfied;
    if (x.status == status::violated) return glyph_violated;
    if (x.status == status::excused) return glyph_excused;
    return x.at_risk ? glyph_at_risk : glyph_pending;
}

const char* glyph(const outcome_row& x) {
    if (x.fired) return x.final ? glyph_fired : glyph_provisional;
    return glyph_not_fired;
}

// Element ids from rule ids: identifiers already, so only a prefix per namespace is needed.
std::string anchor(const detail::rule_grid& g) { return (g.outcome ? "outcome-" : "obligation-") + g.id; }

const char* status_class(const result_row& x) {
    if (x.status == status::satisfied) return "satisfied";
    if (x.status == status::violated) return "violated";
    if (x.status == status::excused) return "excused";
    return x.at_risk ? "at-risk" : "pending";
}

const char* outcome_class(const outcome_row& x) {
    if (x.fired) return x.final ? "fired" : "fired-provisional";
    return x.final ? "not-fired" : "not-fired-provisional";
}

// A grid's row label ("" is the plan's own bucket) as people know the unit: "苟堂村 v1".
std::string unit_words(const detail::words& w, const std::string& id) {
    return w.unit(id.empty() ? std::nullopt : std::optional<std::string>(id));
}

// The value of a violated or at-risk bucket against what it must be: "0（应 ≥ 1）".
std::string value_words(const detail::words& w, const result_row& x) {
    if (x.value.is_null()) return x.reason ? w(phrase::no_data) : std::string("\u2014");
    const check::rule* rule = w.rule(x.rule);
    return rule ? w(phrase::html_value_must, {w.value(x), w.requirement(*rule)}) : w.value(x);
}

std::string cell_title(const detail::words& w, const std::string& unit, const result_row& x) {
    const std::string dot = " \u00b7 ";
    std::string t = unit_words(w, unit) + dot + w.period(x.span) + dot + w.status(x);
    if (x.due) t += dot + w(phrase::due_range, {w.period(*x.due)});
    if (!x.value.is_null() || x.reason) t += dot + w(phrase::value_is, {value_words(w, x)});
    return t;
}

std::string cell_title(const detail::words& w, const std::string& unit, const outcome_row& x) {
    const std::string dot = " \u00b7 ";
    return unit_words(w, unit) + dot + w.period(x.span) + dot + w.status(x);
}

// The attributes of one bucket's cell: its status as a class and as data-* attributes.
std::string cell_attributes(const detail::words& w, const std::string& unit, const result_row& x) {
    return "class=\"cell " + std::string(status_class(x)) + "\" data-unit=\"" + esc(unit) + "\" data-from=\"" +
           x.span.from_text() + "\" data-to=\"" + x.span.to_text() + "\" data-status=\"" +
           to_string(x.status) + "\" data-at-risk=\"" + (x.at_risk ? "true" : "false") + "\"" +
           (x.due ? " data-due-from=\"" + calendar::to_iso(x.due->from) + "\" data-due-to=\"" + calendar::to_iso(x.due->to) + "\"" : std::string()) +
           " title=\"" + esc(cell_title(w, unit, x)) + "\"";
}

std::string cell_attributes(const detail::words& w, const std::string& unit, const outcome_row& x) {
    return "class=\"cell " + std::string(outcome_class(x)) + "\" data-unit=\"" + esc(unit) + "\" data-from=\"" +
           x.span.from_text() + "\" data-to=\"" + x.span.to_text() + "\" data-fired=\"" +
           (x.fired ? "true" : "false") + "\" data-final=\"" + (x.final ? "true" : "false") + "\" title=\"" +
           esc(cell_title(w, unit, x)) + "\"";
}

template <class Row>
void heat_map(const detail::rule_grid& g, const std::vector<const Row*>& rows, const detail::words& w, std::ostream& out) {
    if (g.columns.size() == 1) {
        // One period (a deadline, a whole window): the units as tiles side by side.
        out << "<p class=\"period-of-tiles\">" << esc(w.period(g.columns[0])) << "</p>\n<div class=\"tiles heatmap\" data-rule=\""
            << esc(g.id) << "\">";
        for (std::size_t u = 0; u < g.units.size(); ++u) {
            const int i = g.cells[u][0];
            if (i < 0) continue;
            const Row& x = *rows[static_cast<std::size_t>(i)];
            out << "<div " << cell_attributes(w, g.units[u], x) << "><span class=\"glyph\">" << glyph(x) << "</span> "
                << esc(unit_words(w, g.units[u])) << "</div>";
        }
        out << "</div>\n";
        return;
    }
    const detail::column_labels labels = detail::label_columns(g.columns, w.lang());
    out << "<div class=\"heatmap-wrap\"><table class=\"heatmap\" data-rule=\"" << esc(g.id) << "\"><thead><tr><th class=\"unit\" rowspan=\""
        << (labels.two_rows ? 2 : 1) << "\">" << esc(w(phrase::unit)) << "</th>";
    for (std::size_t k = 0; k < g.columns.size(); ++k)
        out << "<th class=\"period\" title=\"" << esc(w.period(g.columns[k])) << "\">" << esc(labels.top[k]) << "</th>";
    out << "</tr>";
    if (labels.two_rows) {
        out << "<tr>";
        for (std::size_t k = 0; k < g.columns.size(); ++k) out << "<th class=\"day\">" << esc(labels.bottom[k]) << "</th>";
        out << "</tr>";
    }
    out << "</thead><tbody>\n";
    for (std::size_t u = 0; u < g.units.size(); ++u) {
        out << "<tr data-unit=\"" << esc(g.units[u]) << "\"><th class=\"unit\">" << esc(unit_words(w, g.units[u])) << "</th>";
        for (std::size_t k = 0; k < g.columns.size(); ++k) {
            const int i = g.cells[u][k];
            if (i < 0) {
                out << "<td class=\"none\"></td>";
                continue;
            }
            const Row& x = *rows[static_cast<std::size_t>(i)];
            out << "<td " << cell_attributes(w, g.units[u], x) << ">" << glyph(x) << "</td>";
        }
        out << "</tr>\n";
    }
    out << "</tbody></table></div>\n";
}

// The evidence of a row as sentences. For an obligation the compared value stands in its own
// column; a bucket in which nothing the requirement reads was recorded says so.
void evidence_list(const detail::words& w, int rule, const std::optional<std::string>& unit, const evidence& e, bool obligation,
                   std::ostream& out) {
    std::vector<std::string> lines = w.evidence(rule, unit, e, obligation);
    if (obligation) {
        bool nothing = !e.measures.empty() && !e.gap && !e.coverage && e.event_count == 0;
        for (const auto& m : e.measures)
            nothing = nothing && (m.second.is_null() || (m.second.k == reported_value::kind::number && m.second.number == rational(0)));
        if (nothing) lines.push_back(w(phrase::ev_no_records));
    }
    if (lines.empty()) return;
    out << "<ul class=\"evidence\">";
    for (const auto& l : lines) out << "<li>" << esc(l) << "</li>";
    out << "</ul>";
}

void cites(const std::vector<std::string>& lines, std::ostream& out) {
    if (lines.empty()) return;
    out << "<blockquote class=\"cite\" lang=\"zh\">";
    for (const auto& c : lines) out << "<p>" << esc(c) << "</p>";
    out << "</blockquote>\n";
}


// Rows of a detail list beyond this are counted, not shown: the JSON report has them all.
constexpr std::size_t max_listed = 300;

// One row of an obligation's list: a violated or at-risk bucket, or, for a cumulative rule, a
// run of consecutive violated buckets of one unit (they share their start; a unit that misses
// three months running is one miss, not three).
struct listed_row {
    const result_row* first = nullptr;
    const result_row* last = nullptr;
    std::size_t periods = 1;
};

std::vector<listed_row> rows_to_list(const detail::rule_grid& g, const check::rule* rule) {
    std::vector<listed_row> out;
    const bool cumulative = rule && rule->cumulative;
    const result_row* previous = nullptr;
    for (const result_row* x : g.results) {
        if (x->status == status::violated || x->at_risk) {
            if (cumulative && x->status == status::violated && !out.empty() && out.back().last == previous &&
                previous->status == status::violated && previous->unit == x->unit && previous->span.from == x->span.from) {
                out.back().last = x;
                ++out.back().periods;
            } else {
                out.push_back({x, x, 1});
            }
        }
        previous = x;
    }
    return out;
}

// Per unit, across all obligations: violated and at-risk buckets, and which obligations.
struct unit_tally {
    std::string id;  // "" for the plan's own buckets
    std::optional<std::string> unit;
    std::size_t violated = 0, at_risk = 0;
    std::vector<std::pair<int, std::size_t>> obligations;  // rule, violated buckets (file order)
};

void unit_rollup(const report& r, const detail::words& w, std::ostream& out) {
    std::map<std::string, unit_tally> by_unit;
    for (const result_row& x : r.results) {
        unit_tally& t = by_unit[x.unit.value_or("")];
        t.id = x.unit.value_or("");
        t.unit = x.unit;
        t.violated += x.status == status::violated;
        t.at_risk += x.at_risk;
        if (x.status != status::violated) continue;
        if (t.obligations.empty() || t.obligations.back().first != x.rule) t.obligations.emplace_back(x.rule, 0);
        ++t.obligations.back().second;
    }
    std::vector<const unit_tally*> listed;
    for (const auto& [id, t] : by_unit)
        if (t.violated || t.at_risk) listed.push_back(&t);
    // Most violations first, then by id (the map's order, kept by a stable sort).
    std::stable_sort(listed.begin(), listed.end(), [](const unit_tally* a, const unit_tally* b) { return a->violated > b->violated; });
    out << "<section id=\"units\">\n<h2>" << esc(w(phrase::html_units)) << "</h2>\n<p class=\"muted\">" << esc(w(phrase::html_units_note))
        << "</p>\n";
    if (listed.empty()) {
        out << "<p id=\"rollup\" class=\"muted\">" << esc(w(phrase::html_units_none)) << "</p>\n</section>\n";
        return;
    }
    const std::size_t most = std::max<std::size_t>(1, listed.front()->violated);
    out << "<table class=\"list rollup\" id=\"rollup\"><thead><tr><th>" << esc(w(phrase::unit)) << "</th><th class=\"n\">"
        << esc(w(phrase::violated)) << "</th><th></th><th class=\"n\">" << esc(w(phrase::at_risk)) << "</th><th>"
        << esc(w(phrase::html_obligations_missed)) << "</th></tr></thead><tbody>\n";
    for (std::size_t i = 0; i < listed.size() && i < max_listed; ++i) {
        const unit_tally& t = *listed[i];
        out << "<tr data-unit=\"" << esc(t.id) << "\" data-violations=\"" << t.violated << "\" data-at-risk=\"" << t.at_risk << "\"><td class=\"unit\">"
            << esc(w.unit(t.unit)) << "</td><td class=\"n violated\">" << t.violated << "</td><td>";
        if (t.violated) out << "<span class=\"hbar\" style=\"width:" << 100 * t.violated / most << "%\"></span>";
        out << "</td><td class=\"n at-risk\">" << t.at_risk << "</td><td>";
        for (std::size_t k = 0; k < t.obligations.size(); ++k) {
            const check::rule* rule = w.rule(t.obligations[k].first);
            out << (k ? esc(w(phrase::enumeration_separator)) : "") << esc(rule ? w.label_or_id(rule->label, rule->id) : "?");
            if (t.obligations[k].second > 1) out << " \u00d7" << t.obligations[k].second;
        }
        out << "</td></tr>\n";
    }
    out << "</tbody></table>\n";
    if (listed.size() > max_listed) out << "<p class=\"muted\">" << esc(w(phrase::html_more, {std::to_string(listed.size() - max_listed)})) << "</p>\n";
    if (by_unit.size() > listed.size())
        out << "<p class=\"muted\">" << esc(w(phrase::html_units_clean, {std::to_string(by_unit.size() - listed.size())})) << "</p>\n";
    out << "</section>\n";
}

// Violated buckets per month, by the month their period ends: from the first month in which a
// bucket ended (or one was violated) to the last, the months without a violation included.
void month_trend(const report& r, const detail::words& w, std::ostream& out) {
    auto month_of = [](calendar::day d) {
        const calendar::ymd m = calendar::to_ymd(d);
        return m.year * 12 + (m.month - 1);
    };
    std::map<int, std::size_t> violations;
    int first = 0, last = 0;
    bool any = false;
    for (const result_row& x : r.results) {
        const bool violated = x.status == status::violated;
        if (!violated && x.span.to > r.as_of) continue;
        const int m = month_of(x.span.to);
        first = any ? std::min(first, m) : m;
        last = any ? std::max(last, m) : m;
        any = true;
        if (violated) ++violations[m];
    }
    if (!any) return;
    first = std::max(first, last - static_cast<int>(max_listed) + 1);  // the latest months, when there are very many
    std::size_t most = 1;
    for (const auto& [m, n] : violations) most = std::max(most, n);
    out << "<section id=\"months\">\n<h2>" << esc(w(phrase::html_trend)) << "</h2>\n<p class=\"muted\">" << esc(w(phrase::html_trend_note))
        << "</p>\n<div class=\"trend-wrap\"><div class=\"trend\" id=\"trend\">";
    for (int m = first; m <= last; ++m) {
        const int year = m / 12, month = m % 12 + 1;
        const auto it = violations.find(m);
        const std::size_t n = it == violations.end() ? 0 : it->second;
        char key[16];
        std::snprintf(key, sizeof key, "%04d-%02d", year, month);
        const std::string name = w(phrase::html_month, {std::to_string(year), w.month_label(year, month)});
        out << "<div class=\"month" << (n ? "" : " zero") << "\" data-month=\"" << key << "\" data-violations=\"" << n << "\" title=\""
            << esc(w(phrase::html_month_count, {name, w(phrase::count_violated, {std::to_string(n)})})) << "\"><span class=\"n\">" << n
            << "</span><span class=\"column\"><span class=\"fill\" style=\"height:" << 100 * n / most << "%\"></span></span><span class=\"label\">"
            << esc(w.month_label(year, month)) << "</span><span class=\"year\">" << (m == first || month == 1 ? std::to_string(year) : "")
            << "</span></div>";
    }
    out << "</div></div>\n</section>\n";
}

const char* const style = R"css(
:root { --ok: #2e7d32; --bad: #c62828; --risk: #ef8f00; --wait: #b0bec5; --excused: #7e57c2; --fire: #1565c0; --ink: #1f2933; --muted: #616e7c; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC",
       "PingFang SC", "Microsoft YaHei", sans-serif; color: var(--ink); margin: 0 auto; max-width: 1280px; padding: 24px; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.2rem; margin: 0 0 6px; }
h2 code, td code { font-size: .9em; }
.meta, .muted { color: var(--muted); }
.meta code { background: #f0f2f5; padding: 0 4px; border-radius: 3px; }
section { margin: 28px 0; }
section.rule { border-top: 1px solid #e4e7eb; padding-top: 18px; }
.totals { display: flex; gap: 12px; flex-wrap: wrap; margin: 10px 0 16px; }
.total { padding: 8px 14px; border-radius: 6px; background: #f5f7fa; min-width: 110px; }
.total b { display: block; font-size: 1.4rem; }
.total.satisfied b { color: var(--ok); } .total.violated b { color: var(--bad); }
.total.at-risk b { color: var(--risk); } .total.fired b { color: var(--fire); }
table { border-collapse: collapse; }
table.summary { margin-bottom: 10px; }
table.summary td, table.summary th, table.list td, table.list th, table.inputs td, table.inputs th {
  padding: 4px 8px; border-bottom: 1px solid #e4e7eb; text-align: left; vertical-align: top; }
table.summary td.n, table.list td.n, table.list th.n, table.inputs td.n { text-align: right; font-variant-numeric: tabular-nums; }
.bar { display: flex; width: 160px; height: 10px; border-radius: 3px; overflow: hidden; background: #eceff1; }
.bar span { display: block; height: 100%; }
.bar .satisfied, .legend .satisfied, .cell.satisfied { background: var(--ok); }
.bar .violated, .legend .violated, .cell.violated { background: var(--bad); }
.bar .at-risk, .legend .at-risk, .cell.at-risk { background: var(--risk); }
.bar .pending, .legend .pending, .cell.pending { background: var(--wait); }
.bar .excused, .legend .excused, .cell.excused { background: var(--excused); }
.total.excused b { color: var(--excused); } .status.excused { color: var(--excused); }
.cell.fired, .legend .fired { background: var(--fire); }
.cell.fired-provisional, .legend .fired-provisional { background: repeating-linear-gradient(45deg, var(--fire) 0 3px, #90caf9 3px 6px); }
.cell.not-fired, .legend .not-fired { background: #eceff1; }
.cell.not-fired-provisional, .legend .not-fired-provisional { background: repeating-linear-gradient(45deg, #eceff1 0 3px, #ffffff 3px 6px); }
.cell, .legend i { color: #fff; font-weight: 700; text-align: center; }
.cell.at-risk, .cell.pending, .cell.not-fired, .cell.not-fired-provisional, .cell.fired-provisional,
.legend .at-risk, .legend .pending, .legend .not-fired, .legend .not-fired-provisional, .legend .fired-provisional { color: var(--ink); }
.legend { display: flex; gap: 14px; flex-wrap: wrap; font-size: .9rem; color: var(--muted); align-items: center; margin: 0 0 14px; }
.legend i { display: inline-block; width: 20px; height: 16px; line-height: 16px; border-radius: 3px; margin-right: 4px; font-style: normal; font-size: .8rem; }
blockquote { margin: 6px 0 10px; padding: 4px 12px; border-left: 3px solid #cbd2d9; color: #3e4c59; background: #fafbfc; }
blockquote p { margin: 2px 0; }
.requirement code { background: #f0f2f5; padding: 2px 6px; border-radius: 3px; white-space: pre-wrap; }
.heatmap-wrap, .trend-wrap { overflow-x: auto; margin: 8px 0 12px; }
table.heatmap th, table.heatmap td { padding: 0; }
table.heatmap th.period, table.heatmap th.day { font-weight: normal; font-size: .75rem; color: var(--muted); min-width: 30px; text-align: left; padding: 0 1px; white-space: nowrap; }
table.heatmap th.unit { text-align: left; font-weight: normal; font-size: .85rem; padding: 0 10px 0 0; white-space: nowrap; }
table.heatmap td.cell, table.heatmap td.none { width: 30px; min-width: 30px; height: 20px; border: 2px solid #fff; border-radius: 4px; font-size: .8rem; line-height: 1; }
table.heatmap td.none { background: transparent; }
.tiles { display: flex; flex-wrap: wrap; gap: 4px; margin: 6px 0 12px; }
.tiles .cell { font-size: .8rem; font-weight: normal; padding: 2px 8px; border-radius: 4px; min-width: 44px; }
.tiles .cell .glyph { font-weight: 700; }
.period-of-tiles { margin: 0; font-size: .8rem; color: var(--muted); }
table.list { margin-top: 6px; font-size: .92rem; }
table.list td.unit, table.list td.status, table.list .span { white-space: nowrap; }
table.list td.period .note { display: block; color: var(--muted); font-size: .85rem; }
ul.evidence { margin: 0; padding-left: 18px; }
.status { font-weight: 600; }
.status.violated, table.rollup td.violated { color: var(--bad); } .status.at-risk, table.rollup td.at-risk { color: var(--risk); }
.status.satisfied { color: var(--ok); }
.hbar { display: inline-block; height: 10px; min-width: 2px; background: var(--bad); border-radius: 2px; vertical-align: middle; }
table.rollup td:nth-child(3) { width: 140px; }
table.rollup th, table.rollup td.n { white-space: nowrap; }
.trend { display: flex; align-items: flex-end; gap: 4px; padding-top: 4px; }
.trend .month { display: flex; flex-direction: column; align-items: center; min-width: 34px; font-size: .8rem; }
.trend .month .n { font-variant-numeric: tabular-nums; font-weight: 600; color: var(--bad); }
.trend .month.zero .n { color: var(--muted); font-weight: normal; }
.trend .column { display: flex; align-items: flex-end; height: 90px; width: 22px; background: #f5f7fa; border-radius: 3px 3px 0 0; }
.trend .fill { display: block; width: 100%; background: var(--bad); border-radius: 3px 3px 0 0; }
.trend .label { color: var(--ink); margin-top: 2px; white-space: nowrap; }
.trend .year { color: var(--muted); font-size: .75rem; min-height: 1em; }
footer { margin-top: 40px; color: var(--muted); font-size: .85rem; }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  .heatmap-wrap, .trend-wrap { overflow: visible; margin: 4px 0 8px; }
  section { margin: 14px 0; }
  section.rule { break-inside: auto; }
  h1, h2, h3, blockquote, .requirement, .counts, .period-of-tiles { break-after: avoid; page-break-after: avoid; }
  table.heatmap, .tiles, .trend, .legend, .totals, table.summary tr, table.list tr { break-inside: avoid; page-break-inside: avoid; }
  table.heatmap thead, table.list thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
)css";

}  // namespace

void write_html(const report& r, std::ostream& out, const html_options& options) {
    const detail::words w(r, options.lang);
    const check::plan* model = w.plan();
    const std::string title = model && !model->title.empty() ? model->title : r.plan;
    const auto grids = detail::grids_of(r);
    std::size_t satisfied = 0, violated = 0, pending = 0, at_risk = 0, fired = 0, excused = 0;
    for (const auto& g : grids) {
        excused += g.excused;
        satisfied += g.satisfied;
        violated += g.violated;
        pending += g.pending;
        at_risk += g.at_risk;
        fired += g.fired;
    }
    const std::string sep = w(phrase::list_separator);
    out << "<!DOCTYPE html>\n<html lang=\"" << (options.lang == language::en ? "en" : "zh-Hans") << "\">\n<head>\n<meta charset=\"utf-8\">\n"
        << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        << "<meta name=\"generator\" content=\"mandate " << MANDATE_VERSION << "\">\n"
        << "<title>" << esc(title) << " — " << calendar::to_iso(r.as_of) << "</title>\n<style>" << style << "</style>\n</head>\n<body>\n";

    // ------------------------------------------------------------ summary
    const std::string as_of = calendar::to_iso(r.as_of);
    out << "<header>\n<h1 id=\"title\">" << esc(title) << "</h1>\n<p class=\"meta\">"
        << markup(w, phrase::plan_heading, {"<code id=\"plan\">" + esc(r.plan) + "</code>"});
    if (model && !model->source.empty()) out << " · " << esc(model->source);
    out << " · " << markup(w, phrase::as_of, {"<time id=\"as-of\" datetime=\"" + as_of + "\">" + as_of + "</time>"}) << " · "
        << markup(w, phrase::html_revision, {"<code title=\"" + esc(r.revision) + "\">" + esc(r.revision.substr(0, 12)) + "</code>"})
        << "</p>\n</header>\n";
    auto total = [&](const char* cls, std::size_t n, phrase p) {
        out << "<div class=\"total " << cls << "\" data-count=\"" << n << "\"><b>" << n << "</b>" << esc(w(p)) << "</div>";
    };
    out << "<section id=\"summary\">\n<h2>" << esc(w(phrase::html_summary)) << "</h2>\n<div class=\"totals\">";
    total("satisfied", satisfied, phrase::satisfied);
    total("violated", violated, phrase::violated);
    total("at-risk", at_risk, phrase::at_risk);
    total("pending", pending - at_risk, phrase::pending);
    total("excused", excused, phrase::excused);
    total("fired", fired, phrase::html_outcomes_fired);
    out << "</div>\n";
    // The key to the heat maps: each status's colour and glyph.
    out << "<div class=\"legend\" id=\"legend\"><b>" << esc(w(phrase::html_legend)) << "</b>";
    const std::tuple<const char*, const char*, phrase> key[] = {
        {"satisfied", glyph_satisfied, phrase::satisfied}, {"violated", glyph_violated, phrase::violated},
        {"at-risk", glyph_at_risk, phrase::at_risk},       {"pending", glyph_pending, phrase::pending},
        {"excused", glyph_excused, phrase::excused},       {"fired", glyph_fired, phrase::fired},
        {"fired-provisional", glyph_provisional, phrase::fired_not_final}, {"not-fired", glyph_not_fired, phrase::not_fired}};
    for (const auto& [cls, g, p] : key)
        out << "<span data-key=\"" << cls << "\"><i class=\"" << cls << "\">" << g << "</i>" << esc(w(p)) << "</span>";
    out << "</div>\n";
    const bool any_obligation = std::any_of(grids.begin(), grids.end(), [](const detail::rule_grid& g) { return !g.outcome; });
    const bool any_outcome = std::any_of(grids.begin(), grids.end(), [](const detail::rule_grid& g) { return g.outcome; });
    if (any_obligation) {
        out << "<table class=\"summary\" id=\"obligations\"><thead><tr><th>" << esc(w(phrase::obligation)) << "</th><th></th><th>"
            << esc(w(phrase::satisfied)) << "</th><th>" << esc(w(phrase::violated)) << "</th><th>" << esc(w(phrase::at_risk)) << "</th><th>"
            << esc(w(phrase::pending)) << "</th><th></th></tr></thead><tbody>\n";
        for (const auto& g : grids) {
            if (g.outcome) continue;
            const std::size_t n = std::max<std::size_t>(1, g.results.size());
            auto width = [&](std::size_t k) { return std::to_string(100.0 * static_cast<double>(k) / static_cast<double>(n)); };
            out << "<tr data-rule=\"" << esc(g.id) << "\"><td><a href=\"#" << esc(anchor(g)) << "\"><code>" << esc(g.id) << "</code></a></td><td>"
                << esc(g.label) << "</td><td class=\"n\">" << g.satisfied << "</td><td class=\"n\">" << g.violated << "</td><td class=\"n\">"
                << g.at_risk << "</td><td class=\"n\">" << g.pending - g.at_risk << "</td><td><div class=\"bar\"><span class=\"satisfied\" style=\"width:"
                << width(g.satisfied) << "%\"></span><span class=\"violated\" style=\"width:" << width(g.violated)
                << "%\"></span><span class=\"at-risk\" style=\"width:" << width(g.at_risk) << "%\"></span><span class=\"pending\" style=\"width:"
                << width(g.pending - g.at_risk) << "%\"></span></div></td></tr>\n";
        }
        out << "</tbody></table>\n";
    }
    if (any_outcome) {
        out << "<table class=\"summary\" id=\"outcomes\"><thead><tr><th>" << esc(w(phrase::outcome)) << "</th><th></th><th>"
            << esc(w(phrase::fired)) << "</th><th>" << esc(w(phrase::html_final)) << "</th><th>" << esc(w(phrase::not_fired))
            << "</th></tr></thead><tbody>\n";
        for (const auto& g : grids) {
            if (!g.outcome) continue;
            out << "<tr data-rule=\"" << esc(g.id) << "\"><td><a href=\"#" << esc(anchor(g)) << "\"><code>" << esc(g.id) << "</code></a></td><td>"
                << esc(g.label) << "</td><td class=\"n\">" << g.fired << "</td><td class=\"n\">" << g.fired_final << "</td><td class=\"n\">"
                << g.outcomes.size() - g.fired << "</td></tr>\n";
        }
        out << "</tbody></table>\n";
    }
    out << "</section>\n";

    // ------------------------------------------------------------ by unit, by month
    unit_rollup(r, w, out);
    month_trend(r, w, out);

    // ------------------------------------------------------------ one section per rule
    for (const auto& g : grids) {
        const check::rule* rule = w.rule(g.rule);
        out << "<section class=\"rule " << (g.outcome ? "outcome" : "obligation") << "\" id=\"" << esc(anchor(g)) << "\" data-rule=\""
            << esc(g.id) << "\">\n<h2><code>" << esc(g.id) << "</code> <span class=\"label\">" << esc(g.label) << "</span></h2>\n";
        // The clause, once: the rows below are all about it.
        cites(g.cites, out);
        out << "<p class=\"requirement\">" << esc(w(g.outcome ? phrase::html_fires_when : phrase::html_requires)) << " <code>"
            << esc(g.condition) << "</code></p>\n";
        if (g.outcome ? g.outcomes.empty() : g.results.empty()) {
            out << "<p class=\"muted\">" << esc(w(phrase::no_bucket_yet, {as_of})) << "</p>\n</section>\n";
            continue;
        }
        if (g.outcome) {
            out << "<p class=\"counts\">"
                << esc(w(phrase::count_fired, {std::to_string(g.fired), std::to_string(g.fired_final), std::to_string(g.outcomes.size() - g.fired)}))
                << "</p>\n";
            heat_map(g, g.outcomes, w, out);
            std::size_t listed = 0;
            for (const outcome_row* x : g.outcomes) listed += x->fired;
            if (listed > 0) {
                out << "<table class=\"list firings\"><thead><tr><th>" << esc(w(phrase::unit)) << "</th><th>" << esc(w(phrase::period))
                    << "</th><th>" << esc(w(phrase::status)) << "</th><th>" << esc(w(phrase::evidence)) << "</th></tr></thead><tbody>\n";
                std::size_t shown = 0;
                for (const outcome_row* x : g.outcomes) {
                    if (!x->fired || shown++ == max_listed) continue;
                    out << "<tr class=\"" << outcome_class(*x) << "\" data-unit=\"" << esc(x->unit.value_or("")) << "\" data-from=\""
                        << calendar::to_iso(x->span.from) << "\"><td class=\"unit\">" << esc(w.unit(x->unit))
                        << "</td><td class=\"period\"><span class=\"span\">" << esc(w.period(x->span)) << "</span></td><td class=\"status\"><span class=\"glyph\">" << glyph(*x) << "</span> " << esc(w.status(*x));
                    // Final since the day it became so (the status says when it is not final yet).
                    if (x->final && x->final_on)
                        out << "<br><span class=\"muted\">" << esc(w(phrase::final_since, {calendar::to_iso(*x->final_on)})) << "</span>";
                    out << "</td><td>";
                    evidence_list(w, g.rule, x->unit, x->evidence, false, out);
                    out << "</td></tr>\n";
                }
                out << "</tbody></table>\n";
                if (listed > max_listed) out << "<p class=\"muted\">" << esc(w(phrase::html_more, {std::to_string(listed - max_listed)})) << "</p>\n";
            }
            out << "</section>\n";
            continue;
        }
        std::string counts = w(phrase::count_satisfied, {std::to_string(g.satisfied)}) + sep +
                             w(phrase::count_violated, {std::to_string(g.violated)}) + sep + w(phrase::count_pending, {std::to_string(g.pending)});
        if (g.at_risk)
            counts += (w.lang() == language::zh ? "（" : " (") + w(phrase::count_at_risk, {std::to_string(g.at_risk)}) +
                      (w.lang() == language::zh ? "）" : ")");
        if (g.excused) counts += sep + w(phrase::count_excused, {std::to_string(g.excused)});
        out << "<p class=\"counts\">" << esc(counts) << "</p>\n";
        heat_map(g, g.results, w, out);
        const std::vector<listed_row> rows = rows_to_list(g, rule);
        if (rows.empty()) {
            out << "</section>\n";
            continue;
        }
        out << "<table class=\"list violations\"><thead><tr><th>" << esc(w(phrase::unit)) << "</th><th>" << esc(w(phrase::period)) << "</th><th>"
            << esc(w(phrase::status)) << "</th><th>" << esc(w(phrase::value)) << "</th><th>" << esc(w(phrase::evidence))
            << "</th></tr></thead><tbody>\n";
        for (std::size_t i = 0; i < rows.size() && i < max_listed; ++i) {
            const listed_row& row = rows[i];
            const result_row& x = *row.last;  // a run's value and evidence: those of its last period
            out << "<tr class=\"" << status_class(x) << "\" data-unit=\"" << esc(x.unit.value_or("")) << "\" data-from=\""
                << calendar::to_iso(row.first->span.from) << "\" data-to=\"" << calendar::to_iso(x.span.to) << "\"";
            if (row.periods > 1)
                out << " data-periods=\"" << row.periods << "\" data-first-to=\"" << calendar::to_iso(row.first->span.to) << "\"";
            out << "><td class=\"unit\">" << esc(w.unit(x.unit)) << "</td><td class=\"period\">";
            const std::string span = "<span class=\"span\">" + esc(w.period(x.span)) + "</span>";
            if (row.periods > 1)
                out << markup(w, phrase::html_run,
                              {"<span class=\"span\">" + esc(w.period(row.first->span)) + "</span>", span, std::to_string(row.periods)});
            else out << span;
            if (x.due) out << "<span class=\"note\">" << esc(w(phrase::due_range, {w.period(*x.due)})) << "</span>";
            if (x.waiver && x.waiver->extended_to)
                out << "<span class=\"note\">" << esc(w(phrase::extended_to, {calendar::to_iso(*x.waiver->extended_to), x.waiver->id})) << "</span>";
            out << "</td><td class=\"status " << status_class(x) << "\"><span class=\"glyph\">" << glyph(x) << "</span> " << esc(w.status(x))
                << "</td><td>" << esc(row.periods > 1 ? w(phrase::html_in_last, {value_words(w, x)}) : value_words(w, x)) << "</td><td>";
            evidence_list(w, g.rule, x.unit, x.evidence, true, out);
            out << "</td></tr>\n";
        }
        out << "</tbody></table>\n";
        if (rows.size() > max_listed) out << "<p class=\"muted\">" << esc(w(phrase::html_more, {std::to_string(rows.size() - max_listed)})) << "</p>\n";
        out << "</section>\n";
    }

    // ------------------------------------------------------------ the records read
    const input_counts& in = r.inputs;
    out << "<section id=\"inputs\">\n<h2>" << esc(w(phrase::html_records)) << "</h2>\n<table class=\"inputs\"><tbody>";
    const std::tuple<const char*, phrase, std::uint64_t> counts[] = {
        {"read", phrase::count_read, in.read},
        {"entities", phrase::count_entities, in.entities},
        {"applied", phrase::count_applied, in.applied},
        {"duplicates", phrase::count_duplicates, in.duplicates},
        {"retracted", phrase::count_retracted, in.retracted},
        {"retractions", phrase::count_retractions, in.retractions},
        {"unresolved", phrase::count_unresolved, in.unresolved},
        {"rejected", phrase::count_rejected, in.rejected},
        {"waivers", phrase::count_waivers, in.waivers}};
    for (const auto& [name, p, n] : counts)
        out << "<tr data-count=\"" << name << "\"><th>" << esc(w(p)) << "</th><td class=\"n\">" << n << "</td></tr>";
    out << "</tbody></table>\n";
    if (!r.rejected.empty()) {
        out << "<h3>" << esc(w(phrase::html_rejected_records)) << "</h3>\n<table class=\"list rejected\"><thead><tr><th>"
            << esc(w(phrase::html_source)) << "</th><th>" << esc(w(phrase::html_line)) << "</th><th>" << esc(w(phrase::html_reason))
            << "</th></tr></thead><tbody>\n";
        for (std::size_t i = 0; i < r.rejected.size() && i < max_listed; ++i)
            out << "<tr><td>" << esc(r.rejected[i].source) << "</td><td>" << r.rejected[i].line << "</td><td>" << esc(r.rejected[i].reason)
                << "</td></tr>\n";
        out << "</tbody></table>\n";
        if (r.rejected.size() > max_listed)
            out << "<p class=\"muted\">" << esc(w(phrase::more_rejects, {std::to_string(r.rejected.size() - max_listed)})) << "</p>\n";
    }
    if (!r.ignored_fields.empty()) {
        out << "<h3>" << esc(w(phrase::html_ignored_fields)) << "</h3>\n<table class=\"list ignored\"><thead><tr><th>"
            << esc(w(phrase::html_type_or_kind)) << "</th><th>" << esc(w(phrase::html_field)) << "</th><th>" << esc(w(phrase::html_record_count))
            << "</th></tr></thead><tbody>\n";
        for (const auto& f : r.ignored_fields)
            out << "<tr><td>" << esc(f.kind ? w(phrase::kind_named, {f.type}) : f.type) << "</td><td>" << esc(f.field) << "</td><td>"
                << f.records << "</td></tr>\n";
        out << "</tbody></table>\n";
    }
    if (!r.unapplied_waivers.empty()) {
        out << "<h3>" << esc(w(phrase::html_waivers_not_applied)) << "</h3>\n<table class=\"list unapplied-waivers\"><thead><tr><th>"
            << esc(w(phrase::html_waiver)) << "</th><th>" << esc(w(phrase::obligation)) << "</th><th>" << esc(w(phrase::unit)) << "</th><th>"
            << esc(w(phrase::period)) << "</th><th>" << esc(w(phrase::html_reason)) << "</th></tr></thead><tbody>\n";
        for (std::size_t i = 0; i < r.unapplied_waivers.size() && i < max_listed; ++i) {
            const unapplied_waiver& x = r.unapplied_waivers[i];
            out << "<tr data-waiver=\"" << esc(x.id) << "\"><td>" << esc(x.id) << "</td><td>" << esc(x.obligation) << "</td><td>"
                << esc(w.unit(x.unit)) << "</td><td>" << calendar::to_iso(x.period) << "</td><td>" << esc(x.reason) << "</td></tr>\n";
        }
        out << "</tbody></table>\n";
        if (r.unapplied_waivers.size() > max_listed)
            out << "<p class=\"muted\">" << esc(w(phrase::html_more, {std::to_string(r.unapplied_waivers.size() - max_listed)})) << "</p>\n";
    }
    if (!r.unresolved_entities.empty()) {
        out << "<h3>" << esc(w(phrase::html_held_out)) << "</h3>\n<p class=\"muted\">" << esc(w(phrase::html_held_out_note))
            << "</p>\n<table class=\"list unresolved\"><thead><tr><th>" << esc(w(phrase::html_entity)) << "</th><th>"
            << esc(w(phrase::html_reason)) << "</th><th>" << esc(w(phrase::html_ids)) << "</th></tr></thead><tbody>\n";
        for (std::size_t i = 0; i < r.unresolved_entities.size() && i < max_listed; ++i) {
            const unresolved_entity& u = r.unresolved_entities[i];
            out << "<tr data-entity=\"" << esc(u.entity) << "\"><td>" << esc(w.unit(u.entity)) << "</td><td>" << esc(w.held_out_reason(u.reason))
                << "</td><td>";
            for (std::size_t k = 0; k < u.chain.size(); ++k) out << (k ? ", " : "") << esc(u.chain[k]);
            out << "</td></tr>\n";
        }
        out << "</tbody></table>\n";
        if (r.unresolved_entities.size() > max_listed)
            out << "<p class=\"muted\">" << esc(w(phrase::html_more, {std::to_string(r.unresolved_entities.size() - max_listed)})) << "</p>\n";
    }
    out << "</section>\n<footer>" << esc(w(phrase::html_footer, {MANDATE_VERSION, "mandate.report/1"})) << "</footer>\n</body>\n</html>\n";
}

}  // namespace mandate::io
