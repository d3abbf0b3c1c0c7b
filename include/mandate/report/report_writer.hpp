// Writing reports: JSON (the `mandate.report/1` contract of DESIGN.md), CSV (one row per
// bucket), a terminal table, an HTML page and an Excel workbook.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "mandate/eval/report.hpp"
#include "mandate/json_text.hpp"  // io::json_string
#include "mandate/report/select.hpp"  // bucket_selector

namespace mandate::check {
struct plan;
}

namespace mandate::io {

// The language of people-facing output (the table, the HTML page, the workbook, explain):
// Chinese unless English is asked for. JSON and CSV are for machines and do not change.
enum class language : std::uint8_t { zh, en };
// "zh", "zh-CN", "zh-Hans", "cn" -> zh; "en", "en-US", "en_GB" -> en; nullopt otherwise.
std::optional<language> parse_language(std::string_view tag);

// The JSON report: fields and ordering exactly as DESIGN.md specifies, one result per line.
void write_json(const report& r, std::ostream& out);
std::string to_json(const report& r);
// The same as a sink for engine::evaluate(as_of, sink): each row is written as it is made.
std::unique_ptr<report_sink> json_writer(std::ostream& out);

struct csv_options {
    // Text cells as they are; by default one starting with =, +, -, @ (or a tab or carriage
    // return) gets a leading ' so that a spreadsheet shows it instead of running it.
    bool raw = false;
};

// One line per obligation and outcome bucket, then one per unresolved entity, with a header
// row; the last column is the report's as-of date.
void write_csv(const report& r, std::ostream& out, const csv_options& options = {});
std::unique_ptr<report_sink> csv_writer(std::ostream& out, const csv_options& options = {});

// The notes the command line writes on stderr about the records it read, in the reader's
// language, from the same catalogue as the reports.
enum class note : std::uint8_t {
    records_rejected,   // {0}: how many records `mandate check` rejected
    entities_held_out,  // {0}: how many entities are held out of the hierarchy
    late_as_of,         // {0}: the default as-of date, {1}: the day the plan's last period closes
    watch_rejected,     // {0}: source, {1}: line, {2}: why (`mandate watch`, one record)
    no_entities,        // {0}: how many events are unresolved for want of any entity record
    all_entities_rejected,  // {0}: the registry's records, {1}: the first rejection, {2}: encoding_hint or ""
    encoding_hint,      // what to do about a registry that is not UTF-8
    mostly_unresolved,  // {0}: events unresolved, {1}: events, {2}: the share as a percent
    not_utf8,           // {0}: the command, {1}: a CSV file read as UTF-8 that reads as GBK
    rejects_not_copied, // {0}: how many rejected records, {1}: a file an earlier run read, gone or changed since
};
std::string note_text(language lang, note n, std::initializer_list<std::string_view> args);

struct table_options {
    bool colour = false;            // ANSI colours (for a terminal)
    std::size_t max_details = 12;   // violated / at-risk buckets listed per obligation
    language lang = language::zh;
    // The width lines keep to, in terminal columns: a grid wider than it wraps by columns,
    // a longer line folds (the CLI passes $COLUMNS on a terminal, else 100).
    std::size_t width = 100;
};

// For people at a terminal: per obligation and outcome, a grid of units × periods with one
// glyph per bucket (✓ satisfied, ✗ violated, ! at risk, · pending, ⊘ excused; ● fired,
// ○ fired and not final, – not fired), then the violated and at-risk buckets with their
// evidence in words, the outcomes fired and why, and the accounting of the records read.
void write_table(const report& r, std::ostream& out, const table_options& options = {});

struct html_options {
    language lang = language::zh;
};

// A self-contained HTML page (no network assets): a summary, a heat map of units × periods
// per obligation and outcome, the violations with their evidence and cited clause, and the
// accounting of the records read with the rejected ones.
void write_html(const report& r, std::ostream& out, const html_options& options = {});

struct xlsx_options {
    language lang = language::zh;
};

// The Excel workbook: a summary sheet (the plan, the date, counts per obligation and outcome,
// the legend), a sheet per obligation and outcome with its grid of units × periods (a glyph
// and a fill colour per bucket) under its cited clause and requirement, the violated and
// at-risk buckets with their evidence, and the accounting of the records read with the
// rejected ones. Errors (of libxlsxwriter, or writing the output) throw std::runtime_error
// naming the path.
// Writes the workbook to `path` (created or replaced: a new file renamed over the old one, as
// every output of the program).
void write_xlsx(const report& r, const std::string& path, const xlsx_options& options = {});
// The same to a stream (through a temporary file): standard output, a device, a FIFO.
void write_xlsx(const report& r, std::ostream& out, const xlsx_options& options = {});

// In plain words: what rule `rule` asks, for whom and when (its heading for explain).
std::string explain_rule(const report& r, int rule, language lang = language::zh);
// In plain words, why one bucket has its status: when it is judged, the value measured
// against what it must be, the events counted, what was missing, the longest gap, numerator
// and denominator, and the clause cited.
std::string explain(const report& r, const result_row& row, language lang = language::zh);
std::string explain(const report& r, const outcome_row& row, language lang = language::zh);
// What `mandate explain` prints for one rule and unit (nullopt for a rule without `each`): the
// rule's heading, then each of the unit's buckets, or only the one `period` names, each after
// a blank line; or, after the heading, that none has started. Throws std::invalid_argument
// when `period` names no bucket or several (the message lists them, for the user to name
// one), or when the rule has buckets for other units but none for `unit` (the message
// suggests the closest ids, and the id of a unit `unit` is the registry's name of).
// "the plan has no obligation 'montly', did you mean 'monthly_activity' (每月宣传活动)?": for a
// rule id given on a command line or to a binding; a label given for an id is matched too.
std::string no_such_rule(const check::plan& plan, bool outcome, const std::string& wrong);
std::string explain_unit(const report& r, int rule, const std::optional<std::string>& unit,
                         const std::optional<bucket_selector>& period, language lang = language::zh);

}  // namespace mandate::io
