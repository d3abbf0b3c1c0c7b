#include "grid.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>

#include "mandate/graph/plan.hpp"

namespace mandate::io::detail {

namespace {

const char* const month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
const char* const month_names_zh[] = {"1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"};

// By start, then end; hour buckets of one day by their minutes, or they would share a column.
bool period_less(const period& a, const period& b) {
    return std::tie(a.from, a.clock_from, a.to, a.clock_to) < std::tie(b.from, b.clock_from, b.to, b.clock_to);
}

template <class Row>
void place(rule_grid& g, const std::vector<const Row*>& rows) {
    std::vector<period> columns;
    for (const Row* x : rows) columns.push_back(x->span);
    std::sort(columns.begin(), columns.end(), period_less);
    columns.erase(std::unique(columns.begin(), columns.end()), columns.end());
    g.columns = columns;
    std::map<std::string, std::size_t> unit_index;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::string unit = rows[i]->unit.value_or("");
        auto [it, fresh] = unit_index.try_emplace(unit, g.units.size());
        if (fresh) {
            g.units.push_back(unit);
            g.cells.emplace_back(columns.size(), -1);
        }
        const auto c = std::lower_bound(columns.begin(), columns.end(), rows[i]->span, period_less) - columns.begin();
        g.cells[it->second][static_cast<std::size_t>(c)] = static_cast<int>(i);
    }
}

}  // namespace

std::vector<rule_grid> grids_of(const report& r) {
    std::vector<rule_grid> grids;
    std::map<int, std::size_t> by_rule;
    if (r.compiled) {
        const auto& rules = r.compiled->model().rules;
        for (std::size_t i = 0; i < rules.size(); ++i) {
            rule_grid g;
            g.rule = static_cast<int>(i);
            g.outcome = rules[i].outcome;
            g.id = rules[i].id;
            g.label = rules[i].label;
            g.cites = rules[i].cites;
            g.condition = rules[i].condition.text;
            by_rule[g.rule] = grids.size();
            grids.push_back(std::move(g));
        }
    }
    auto grid_for = [&](int rule, const std::string& id, bool outcome) -> rule_grid& {
        auto it = by_rule.find(rule);
        if (it != by_rule.end()) return grids[it->second];
        rule_grid g;
        g.rule = rule;
        g.outcome = outcome;
        g.id = id;
        by_rule[rule] = grids.size();
        grids.push_back(std::move(g));
        return grids.back();
    };
    for (const auto& x : r.results) {
        rule_grid& g = grid_for(x.rule, x.obligation, false);
        g.results.push_back(&x);
        g.satisfied += x.status == status::satisfied;
        g.violated += x.status == status::violated;
        g.pending += x.status == status::pending;
        g.excused += x.status == status::excused;
        g.at_risk += x.at_risk;
    }
    for (const auto& x : r.outcomes) {
        rule_grid& g = grid_for(x.rule, x.outcome, true);
        g.outcomes.push_back(&x);
        g.fired += x.fired;
        g.fired_final += x.fired && x.final;
    }
    for (auto& g : grids) {
        if (g.outcome) place(g, g.outcomes);
        else place(g, g.results);
    }
    return grids;
}

column_labels label_columns(const std::vector<period>& columns, language lang) {
    column_labels out;
    out.top.assign(columns.size(), "");
    out.bottom.assign(columns.size(), "");
    if (columns.empty()) return out;
    if (columns[0].has_clock()) {
        // Hour buckets: the day above where it changes (04-10), the hour of each below (14).
        out.two_rows = true;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const std::string from = columns[i].from_text();  // 2025-07-03T14:00+08:00
            if (i == 0 || columns[i].from != columns[i - 1].from) out.top[i] = from.substr(5, 5);
            out.bottom[i] = from.substr(11, 2);
        }
        return out;
    }
    // Cumulative buckets share their start: they are told apart by their end.
    const bool same_start = std::all_of(columns.begin(), columns.end(), [&](const period& p) { return p.from == columns[0].from; });
    std::vector<calendar::ymd> ref;
    for (const auto& p : columns) ref.push_back(calendar::to_ymd(same_start ? p.to : p.from));
    const bool yearly = std::all_of(columns.begin(), columns.end(), [](const period& p) { return p.to - p.from >= 300; });
    std::set<std::pair<int, int>> months;
    for (const auto& d : ref) months.emplace(d.year, d.month);
    if (yearly) {
        for (std::size_t i = 0; i < columns.size(); ++i) out.top[i] = std::to_string(ref[i].year);
        return out;
    }
    const bool one_per_month = months.size() == columns.size();
    out.two_rows = !one_per_month;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const bool new_month = i == 0 || ref[i].month != ref[i - 1].month || ref[i].year != ref[i - 1].year;
        if (new_month) out.top[i] = (lang == language::en ? month_names : month_names_zh)[ref[i].month - 1];
        if (!one_per_month) {
            const int d = ref[i].day;
            out.bottom[i] = (d < 10 ? "0" : "") + std::to_string(d);
        }
    }
    return out;
}

std::string terminal_text(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    char buf[12];
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8_length(s, i);
        const auto b0 = static_cast<unsigned char>(s[i]);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
            continue;
        }
        if (n == 1 && (b0 < 0x20 || b0 == 0x7F)) {
            std::snprintf(buf, sizeof buf, "\\x%02X", b0);
            out += buf;
        } else if (n == 2 && b0 == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) {  // U+0080..U+009F
            std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(static_cast<unsigned char>(s[i + 1])));
            out += buf;
        } else if (n == 3 && b0 == 0xE2) {
            // U+202A..U+202E (embeddings, overrides) and U+2066..U+2069 (isolates).
            const unsigned cp = 0x2000u | (static_cast<unsigned>(static_cast<unsigned char>(s[i + 1]) & 0x3F) << 6) |
                                (static_cast<unsigned char>(s[i + 2]) & 0x3F);
            if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
                std::snprintf(buf, sizeof buf, "\\u%04X", cp);
                out += buf;
            } else {
                out.append(s.substr(i, n));
            }
        } else {
            out.append(s.substr(i, n));
        }
        i += n;
    }
    return out;
}


}  // namespace mandate::io::detail
