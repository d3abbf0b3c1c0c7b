// A report's rows arranged for people: per rule, a grid of units × periods, shared by the
// terminal table and the HTML page so both show the same cells under the same labels.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mandate/eval/report.hpp"
#include "mandate/report/report_writer.hpp"
#include "support/utf8.hpp"

namespace mandate::io::detail {

using mandate::detail::append_utf8;  // support/utf8.hpp
using mandate::detail::utf8_length;

struct rule_grid {
    int rule = -1;
    bool outcome = false;
    std::string id, label;
    std::vector<std::string> cites;
    std::string condition;                 // the requirement / `when` as written
    std::vector<period> columns;           // distinct periods, by start then end
    std::vector<std::string> units;        // row labels in report order ("" for a rule without `each`)
    std::vector<std::vector<int>> cells;   // [unit][column]: index into results/outcomes, or -1
    std::vector<const result_row*> results;
    std::vector<const outcome_row*> outcomes;
    std::size_t satisfied = 0, violated = 0, pending = 0, at_risk = 0, excused = 0;  // obligations
    std::size_t fired = 0, fired_final = 0;                              // outcomes
};

// One grid per rule of the plan, in file order (obligations and outcomes as they come); a rule
// with no started bucket has an empty grid.
std::vector<rule_grid> grids_of(const report& r);

// Column headings: `top` names the month (or year) where it changes, `bottom` the day when a
// month holds several columns (weeks, days); both empty strings where nothing is shown.
struct column_labels {
    std::vector<std::string> top, bottom;
    bool two_rows = false;
};
column_labels label_columns(const std::vector<period>& columns, language lang = language::en);

// Text from records (ids, reasons, names) made safe to print on a terminal: control
// characters (C0, DEL, C1) and the bidirectional overrides that reorder a line are shown as
// escapes (\x1B, \u202E) instead of acting on the terminal; a byte that is not UTF-8 becomes
// U+FFFD. Everything else, CJK text included, is as it was.
std::string terminal_text(std::string_view s);

}  // namespace mandate::io::detail
