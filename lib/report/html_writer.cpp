// The HTML report: one self-contained page (inline style, no script, no network assets) that
// a person can open from a file or a mail attachment. Every bucket is a cell carrying its
// status in a class and in data-* attributes, so tests (and hosts) can read the page's DOM.
#include <algorithm>
#include <ostream>

#include "grid.hpp"
#include "mandate/graph/plan.hpp"
#include "mandate/report/report_writer.hpp"

namespace mandate::io {

namespace {

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

std::string cell_title(const std::string& unit, const result_row& x) {
    std::string t = (unit.empty() ? std::string("plan") : unit) + " · " + detail::period_text(x.span) + " · " + to_string(x.status);
    if (x.due) t += " · due " + detail::period_text(*x.due);
    if (x.at_risk) t += ", at risk";
    if (!x.value.is_null()) t += " · value " + detail::human_value(x.value);
    if (x.reason) t += " · " + *x.reason;
    return t;
}

std::string cell_title(const std::string& unit, const outcome_row& x) {
    std::string t = (unit.empty() ? std::string("plan") : unit) + " · " + detail::period_text(x.span) + " · " +
                    (x.fired ? "fired" : "not fired") + (x.final ? ", final" : ", not final yet");
    return t;
}

// The attributes of one bucket's cell: its status as a class and as data-* attributes.
std::string cell_attributes(const std::string& unit, const result_row& x) {
    return "class=\"cell " + std::string(status_class(x)) + "\" data-unit=\"" + esc(unit) + "\" data-from=\"" +
           x.span.from_text() + "\" data-to=\"" + x.span.to_text() + "\" data-status=\"" +
           to_string(x.status) + "\" data-at-risk=\"" + (x.at_risk ? "true" : "false") + "\"" +
           (x.due ? " data-due-from=\"" + calendar::to_iso(x.due->from) + "\" data-due-to=\"" + calendar::to_iso(x.due->to) + "\"" : std::string()) +
           " title=\"" + esc(cell_title(unit, x)) + "\"";
}

std::string cell_attributes(const std::string& unit, const outcome_row& x) {
    return "class=\"cell " + std::string(outcome_class(x)) + "\" data-unit=\"" + esc(unit) + "\" data-from=\"" +
           x.span.from_text() + "\" data-to=\"" + x.span.to_text() + "\" data-fired=\"" +
           (x.fired ? "true" : "false") + "\" data-final=\"" + (x.final ? "true" : "false") + "\" title=\"" +
           esc(cell_title(unit, x)) + "\"";
}

template <class Row>
void heat_map(const detail::rule_grid& g, const std::vector<const Row*>& rows, std::ostream& out) {
    if (g.columns.size() == 1) {
        // One period (a deadline, a whole window): the units as tiles side by side.
        out << "<p class=\"period-of-tiles\">" << detail::period_text(g.columns[0]) << "</p>\n<div class=\"tiles heatmap\" data-rule=\""
            << esc(g.id) << "\">";
        for (std::size_t u = 0; u < g.units.size(); ++u) {
            const int i = g.cells[u][0];
            if (i < 0) continue;
            out << "<div " << cell_attributes(g.units[u], *rows[static_cast<std::size_t>(i)]) << ">"
                << (g.units[u].empty() ? std::string("—") : esc(g.units[u])) << "</div>";
        }
        out << "</div>\n";
        return;
    }
    const detail::column_labels labels = detail::label_columns(g.columns);
    out << "<div class=\"heatmap-wrap\"><table class=\"heatmap\" data-rule=\"" << esc(g.id) << "\"><thead><tr><th class=\"unit\" rowspan=\""
        << (labels.two_rows ? 2 : 1) << "\">unit</th>";
    for (std::size_t k = 0; k < g.columns.size(); ++k)
        out << "<th class=\"period\" title=\"" << detail::period_text(g.columns[k]) << "\">"
            << esc(g.columns.size() == 1 ? detail::period_text(g.columns[k]) : labels.top[k]) << "</th>";
    out << "</tr>";
    if (labels.two_rows) {
        out << "<tr>";
        for (std::size_t k = 0; k < g.columns.size(); ++k) out << "<th class=\"day\">" << esc(labels.bottom[k]) << "</th>";
        out << "</tr>";
    }
    out << "</thead><tbody>\n";
    for (std::size_t u = 0; u < g.units.size(); ++u) {
        out << "<tr data-unit=\"" << esc(g.units[u]) << "\"><th class=\"unit\">" << (g.units[u].empty() ? "—" : esc(g.units[u])) << "</th>";
        for (std::size_t k = 0; k < g.columns.size(); ++k) {
            const int i = g.cells[u][k];
            if (i < 0) out << "<td class=\"none\"></td>";
            else out << "<td " << cell_attributes(g.units[u], *rows[static_cast<std::size_t>(i)]) << "></td>";
        }
        out << "</tr>\n";
    }
    out << "</tbody></table></div>\n";
}

void evidence_list(const evidence& e, std::ostream& out) {
    const auto lines = detail::evidence_lines(e);
    if (lines.empty()) return;
    out << "<ul class=\"evidence\">";
    for (const auto& l : lines) out << "<li>" << esc(l) << "</li>";
    out << "</ul>";
}

void cites(const std::vector<std::string>& lines, const char* cls, std::ostream& out) {
    if (lines.empty()) return;
    out << "<blockquote class=\"" << cls << "\" lang=\"zh\">";
    for (const auto& c : lines) out << "<p>" << esc(c) << "</p>";
    out << "</blockquote>";
}

// Rows of a detail list beyond this are counted, not shown: the JSON report has them all.
constexpr std::size_t max_listed = 300;

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
table.summary td, table.summary th, table.list td, table.list th, table.inputs td, table.inputs th {
  padding: 4px 8px; border-bottom: 1px solid #e4e7eb; text-align: left; vertical-align: top; }
table.summary td.n { text-align: right; font-variant-numeric: tabular-nums; }
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
.cell.not-fired-provisional { background: repeating-linear-gradient(45deg, #eceff1 0 3px, #ffffff 3px 6px); }
.legend { display: flex; gap: 14px; flex-wrap: wrap; font-size: .9rem; color: var(--muted); }
.legend i { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
blockquote { margin: 6px 0 10px; padding: 4px 12px; border-left: 3px solid #cbd2d9; color: #3e4c59; background: #fafbfc; }
blockquote p { margin: 2px 0; }
.requirement code { background: #f0f2f5; padding: 2px 6px; border-radius: 3px; white-space: pre-wrap; }
.heatmap-wrap { overflow-x: auto; margin: 8px 0 12px; }
table.heatmap th, table.heatmap td { padding: 0; }
table.heatmap th.period, table.heatmap th.day { font-weight: normal; font-size: .75rem; color: var(--muted); min-width: 30px; text-align: left; padding: 0 1px; white-space: nowrap; }
table.heatmap th.unit { text-align: left; font-weight: normal; font-size: .85rem; padding: 0 10px 0 0; white-space: nowrap; }
table.heatmap td.cell, table.heatmap td.none { width: 30px; min-width: 30px; height: 18px; border: 2px solid #fff; border-radius: 4px; }
table.heatmap td.none { background: transparent; }
.tiles { display: flex; flex-wrap: wrap; gap: 4px; margin: 6px 0 12px; }
.tiles .cell { font-size: .8rem; padding: 2px 8px; border-radius: 4px; color: #fff; min-width: 44px; text-align: center; }
.tiles .cell.pending, .tiles .cell.not-fired, .tiles .cell.not-fired-provisional { color: var(--ink); }
.period-of-tiles { margin: 0; font-size: .8rem; color: var(--muted); }
table.list { margin-top: 6px; font-size: .92rem; }
table.list td.period { white-space: nowrap; }
table.list .cite p { margin: 0; font-size: .85rem; color: var(--muted); }
ul.evidence { margin: 0; padding-left: 18px; }
.status { font-weight: 600; }
.status.violated { color: var(--bad); } .status.at-risk { color: var(--risk); } .status.satisfied { color: var(--ok); }
footer { margin-top: 40px; color: var(--muted); font-size: .85rem; }
)css";

}  // namespace

void write_html(const report& r, std::ostream& out, const html_options& options) {
    (void)options;
    const check::plan* model = r.compiled ? &r.compiled->model() : nullptr;
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
    out << "<!DOCTYPE html>\n<html lang=\"zh-Hans\">\n<head>\n<meta charset=\"utf-8\">\n"
        << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        << "<meta name=\"generator\" content=\"mandate " << MANDATE_VERSION << "\">\n"
        << "<title>" << esc(title) << " — " << calendar::to_iso(r.as_of) << "</title>\n<style>" << style << "</style>\n</head>\n<body>\n";

    // ------------------------------------------------------------ summary
    out << "<header>\n<h1 id=\"title\">" << esc(title) << "</h1>\n<p class=\"meta\">plan <code id=\"plan\">" << esc(r.plan) << "</code>";
    if (model && !model->source.empty()) out << " · " << esc(model->source);
    out << " · as of <time id=\"as-of\" datetime=\"" << calendar::to_iso(r.as_of) << "\">" << calendar::to_iso(r.as_of)
        << "</time> · revision <code title=\"" << esc(r.revision) << "\">" << esc(r.revision.substr(0, 12)) << "</code></p>\n</header>\n";
    out << "<section id=\"summary\">\n<h2>Summary</h2>\n<div class=\"totals\">"
        << "<div class=\"total satisfied\" data-count=\"" << satisfied << "\"><b>" << satisfied << "</b>satisfied</div>"
        << "<div class=\"total violated\" data-count=\"" << violated << "\"><b>" << violated << "</b>violated</div>"
        << "<div class=\"total at-risk\" data-count=\"" << at_risk << "\"><b>" << at_risk << "</b>at risk</div>"
        << "<div class=\"total pending\" data-count=\"" << pending - at_risk << "\"><b>" << pending - at_risk << "</b>pending</div>"
        << "<div class=\"total excused\" data-count=\"" << excused << "\"><b>" << excused << "</b>excused</div>"
        << "<div class=\"total fired\" data-count=\"" << fired << "\"><b>" << fired << "</b>outcomes fired</div></div>\n";
    out << "<div class=\"legend\"><span><i class=\"satisfied\"></i>satisfied</span><span><i class=\"violated\"></i>violated</span>"
        << "<span><i class=\"at-risk\"></i>at risk</span><span><i class=\"pending\"></i>pending</span>"
        << "<span><i class=\"excused\"></i>excused</span>"
        << "<span><i class=\"fired\"></i>fired</span><span><i class=\"fired-provisional\"></i>fired, not final</span>"
        << "<span><i class=\"not-fired\"></i>not fired</span></div>\n";
    out << "<table class=\"summary\" id=\"obligations\"><thead><tr><th>obligation</th><th></th><th>satisfied</th><th>violated</th>"
        << "<th>at risk</th><th>pending</th><th></th></tr></thead><tbody>\n";
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
    out << "<table class=\"summary\" id=\"outcomes\"><thead><tr><th>outcome</th><th></th><th>fired</th><th>final</th><th>not fired</th></tr></thead><tbody>\n";
    for (const auto& g : grids) {
        if (!g.outcome) continue;
        out << "<tr data-rule=\"" << esc(g.id) << "\"><td><a href=\"#" << esc(anchor(g)) << "\"><code>" << esc(g.id) << "</code></a></td><td>"
            << esc(g.label) << "</td><td class=\"n\">" << g.fired << "</td><td class=\"n\">" << g.fired_final << "</td><td class=\"n\">"
            << g.outcomes.size() - g.fired << "</td></tr>\n";
    }
    out << "</tbody></table>\n</section>\n";

    // ------------------------------------------------------------ one section per rule
    for (const auto& g : grids) {
        out << "<section class=\"rule " << (g.outcome ? "outcome" : "obligation") << "\" id=\"" << esc(anchor(g)) << "\" data-rule=\""
            << esc(g.id) << "\">\n<h2><code>" << esc(g.id) << "</code> <span class=\"label\">" << esc(g.label) << "</span></h2>\n";
        cites(g.cites, "cite", out);
        out << "<p class=\"requirement\">" << (g.outcome ? "when" : "require") << " <code>" << esc(g.condition) << "</code></p>\n";
        if (g.outcome ? g.outcomes.empty() : g.results.empty()) {
            out << "<p class=\"muted\">No bucket has started by " << calendar::to_iso(r.as_of) << ".</p>\n</section>\n";
            continue;
        }
        if (g.outcome) {
            out << "<p class=\"counts\">" << g.fired << " fired (" << g.fired_final << " final), " << g.outcomes.size() - g.fired
                << " not fired.</p>\n";
            heat_map(g, g.outcomes, out);
            std::size_t listed = 0;
            for (const outcome_row* x : g.outcomes) listed += x->fired;
            if (listed > 0) {
                out << "<table class=\"list firings\"><thead><tr><th>unit</th><th>period</th><th></th><th>why</th></tr></thead><tbody>\n";
                std::size_t shown = 0;
                for (const outcome_row* x : g.outcomes) {
                    if (!x->fired || shown++ == max_listed) continue;
                    out << "<tr data-unit=\"" << esc(x->unit.value_or("")) << "\" data-from=\"" << calendar::to_iso(x->span.from)
                        << "\"><td>" << esc(x->unit.value_or("—")) << "</td><td class=\"period\">" << detail::period_text(x->span) << "</td><td>"
                        << (x->final ? "final" + (x->final_on ? " since " + calendar::to_iso(*x->final_on) : std::string()) : "not final yet")
                        << "</td><td>";
                    evidence_list(x->evidence, out);
                    out << "</td></tr>\n";
                }
                out << "</tbody></table>\n";
                if (listed > max_listed) out << "<p class=\"muted\">… and " << listed - max_listed << " more.</p>\n";
            }
            out << "</section>\n";
            continue;
        }
        out << "<p class=\"counts\">" << g.satisfied << " satisfied, " << g.violated << " violated, " << g.pending << " pending";
        if (g.at_risk) out << " (" << g.at_risk << " at risk)";
        out << ".</p>\n";
        heat_map(g, g.results, out);
        const std::size_t listed = static_cast<std::size_t>(std::count_if(
            g.results.begin(), g.results.end(), [](const result_row* x) { return x->status == status::violated || x->at_risk; }));
        if (listed == 0) {
            out << "</section>\n";
            continue;
        }
        out << "<table class=\"list violations\"><thead><tr><th>unit</th><th>period</th><th>status</th><th>value</th><th>evidence</th>"
            << "<th>clause</th></tr></thead><tbody>\n";
        std::size_t shown = 0;
        for (const result_row* x : g.results) {
            if (x->status != status::violated && !x->at_risk) continue;
            if (shown++ == max_listed) continue;
            out << "<tr class=\"" << status_class(*x) << "\" data-unit=\"" << esc(x->unit.value_or("")) << "\" data-from=\""
                << calendar::to_iso(x->span.from) << "\" data-to=\"" << calendar::to_iso(x->span.to) << "\"><td>"
                << esc(x->unit.value_or("—")) << "</td><td class=\"period\">" << detail::period_text(x->span) << "</td><td class=\"status "
                << status_class(*x) << "\">" << (x->at_risk ? "at risk" : to_string(x->status)) << "</td><td>"
                << (x->value.is_null() ? std::string("—") : esc(detail::human_value(x->value))) << (x->reason ? " (" + esc(*x->reason) + ")" : "")
                << "</td><td>";
            evidence_list(x->evidence, out);
            out << "</td><td class=\"cite\">";
            for (const auto& c : g.cites) out << "<p lang=\"zh\">" << esc(c) << "</p>";
            out << "</td></tr>\n";
        }
        out << "</tbody></table>\n";
        if (listed > max_listed) out << "<p class=\"muted\">… and " << listed - max_listed << " more (the JSON report lists all).</p>\n";
        out << "</section>\n";
    }

    // ------------------------------------------------------------ the records read
    const input_counts& in = r.inputs;
    out << "<section id=\"inputs\">\n<h2>Records</h2>\n<table class=\"inputs\"><tbody>";
    const std::pair<const char*, std::uint64_t> counts[] = {
        {"read", in.read},           {"entities", in.entities},       {"applied", in.applied},     {"duplicates", in.duplicates},
        {"retracted", in.retracted}, {"retractions", in.retractions}, {"unresolved", in.unresolved}, {"rejected", in.rejected},
        {"waivers", in.waivers}};
    for (const auto& [name, n] : counts)
        out << "<tr data-count=\"" << name << "\"><th>" << name << "</th><td class=\"n\">" << n << "</td></tr>";
    out << "</tbody></table>\n";
    if (!r.rejected.empty()) {
        out << "<h3>Rejected records</h3>\n<table class=\"list rejected\"><thead><tr><th>source</th><th>line</th><th>reason</th></tr></thead><tbody>\n";
        for (std::size_t i = 0; i < r.rejected.size() && i < max_listed; ++i)
            out << "<tr><td>" << esc(r.rejected[i].source) << "</td><td>" << r.rejected[i].line << "</td><td>" << esc(r.rejected[i].reason)
                << "</td></tr>\n";
        out << "</tbody></table>\n";
        if (r.rejected.size() > max_listed)
            out << "<p class=\"muted\">… and " << r.rejected.size() - max_listed << " more (--rejects FILE copies them all).</p>\n";
    }
    if (!r.ignored_fields.empty()) {
        out << "<h3>Ignored fields</h3>\n<table class=\"list ignored\"><thead><tr><th>event type or kind</th><th>field</th><th>records</th></tr></thead><tbody>\n";
        for (const auto& f : r.ignored_fields)
            out << "<tr><td>" << (f.kind ? "kind " : "") << esc(f.type) << "</td><td>" << esc(f.field) << "</td><td>" << f.records << "</td></tr>\n";
        out << "</tbody></table>\n";
    }
    if (!r.unapplied_waivers.empty()) {
        out << "<h3>Waivers not applied</h3>\n<table class=\"list unapplied-waivers\"><thead><tr><th>waiver</th><th>obligation</th><th>unit</th>"
            << "<th>period</th><th>why</th></tr></thead><tbody>\n";
        for (std::size_t i = 0; i < r.unapplied_waivers.size() && i < max_listed; ++i) {
            const unapplied_waiver& w = r.unapplied_waivers[i];
            out << "<tr><td>" << esc(w.id) << "</td><td>" << esc(w.obligation) << "</td><td>" << esc(w.unit.value_or("—")) << "</td><td>"
                << calendar::to_iso(w.period) << "</td><td>" << esc(w.reason) << "</td></tr>\n";
        }
        out << "</tbody></table>\n";
    }
    if (!r.unresolved_entities.empty()) {
        out << "<h3>Entities held out of the hierarchy</h3>\n<p class=\"muted\">Counted, but without buckets until their parent "
            << "chain is mended.</p>\n<table class=\"list unresolved\"><thead><tr><th>entity</th><th>reason</th><th>ids</th></tr></thead><tbody>\n";
        for (std::size_t i = 0; i < r.unresolved_entities.size() && i < max_listed; ++i) {
            const unresolved_entity& u = r.unresolved_entities[i];
            out << "<tr data-entity=\"" << esc(u.entity) << "\"><td>" << esc(u.entity) << "</td><td>" << esc(u.reason) << "</td><td>";
            for (std::size_t k = 0; k < u.chain.size(); ++k) out << (k ? ", " : "") << esc(u.chain[k]);
            out << "</td></tr>\n";
        }
        out << "</tbody></table>\n";
        if (r.unresolved_entities.size() > max_listed)
            out << "<p class=\"muted\">… and " << r.unresolved_entities.size() - max_listed << " more (the JSON report lists all).</p>\n";
    }
    out << "</section>\n<footer>mandate " << MANDATE_VERSION << " · report schema mandate.report/1</footer>\n</body>\n</html>\n";
}

}  // namespace mandate::io
