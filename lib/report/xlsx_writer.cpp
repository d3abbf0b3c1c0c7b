// The Excel workbook: a summary sheet, one sheet per obligation and outcome with its grid of
// units × periods (a glyph and a fill colour per bucket), the violated and at-risk buckets with
// their evidence, and the accounting of the records read. Written with libxlsxwriter, every
// word from the message catalogue, every text from records made safe for a spreadsheet.
#include <xlsxwriter.h>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <ostream>
#include <string>
#include <type_traits>
#include <vector>

#include "grid.hpp"
#include "mandate/diagnostic.hpp"
#include "mandate/graph/plan.hpp"
#include "mandate/report/report_writer.hpp"
#include "support/output_file.hpp"
#include "words.hpp"

namespace mandate::io {

namespace {

using detail::phrase;
using namespace detail::glyphs;  // ✓ ✗ ! · ⊘ ● ○ –: words.hpp

// Excel's limits: rows and columns of a sheet, characters of a cell and of a sheet's name.
constexpr std::size_t max_rows = LXW_ROW_MAX;
constexpr std::size_t max_columns = LXW_COL_MAX;
constexpr std::size_t max_cell_units = 32767;  // UTF-16 code units
constexpr std::size_t max_name_units = LXW_SHEETNAME_MAX;
// Columns are sized to their text, up to this many character widths (a CJK character is two).
constexpr double max_width = 60;


// The meaning of a cell, which picks its glyph and its colours.
enum class mark { satisfied, violated, at_risk, pending, excused, fired, fired_not_final, not_fired, count };

struct mark_style {
    const char* glyph;
    lxw_color_t fill;  // LXW_COLOR_WHITE: no fill
    lxw_color_t ink;
};

// Fills light enough to print and to read the glyph on, in the colours Excel's own "Good",
// "Bad" and "Neutral" cell styles use, so a reader knows them at a glance.
constexpr mark_style mark_styles[] = {
    {glyph_satisfied, 0xC6EFCE, 0x006100},     // green
    {glyph_violated, 0xFFC7CE, 0x9C0006},      // red
    {glyph_at_risk, 0xFFEB9C, 0x9C5700},       // amber
    {glyph_pending, 0xEDEDED, 0x595959},       // grey
    {glyph_excused, 0xE4DFEC, 0x5B3F86},       // purple
    {glyph_fired, 0xBDD7EE, 0x1F4E79},         // blue
    {glyph_provisional, 0xDDEBF7, 0x1F4E79},   // pale blue: fired, may still change
    {glyph_not_fired, LXW_COLOR_WHITE, 0x808080},
};

mark mark_of(const result_row& x) {
    if (x.status == status::satisfied) return mark::satisfied;
    if (x.status == status::violated) return mark::violated;
    if (x.status == status::excused) return mark::excused;
    return x.at_risk ? mark::at_risk : mark::pending;
}

mark mark_of(const outcome_row& x) {
    if (x.fired) return x.final ? mark::fired : mark::fired_not_final;
    return mark::not_fired;
}

// UTF-16 code units of a UTF-8 character of `n` bytes: what Excel counts its limits in.
std::size_t utf16_units(std::size_t n) { return n == 4 ? 2 : 1; }

// Text from records and rule files as a cell may hold it: control characters and
// bidirectional overrides shown as escapes (as on a terminal), the two non-characters XML
// forbids replaced, Excel's own escape "_xHHHH_" kept literal by escaping its underscore, and
// cut to Excel's 32767 characters.
std::string cell_text(std::string_view s) {
    const std::string shown = detail::terminal_text(s);
    std::string out;
    out.reserve(shown.size());
    std::size_t units = 0;
    auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
    for (std::size_t i = 0; i < shown.size();) {
        const std::size_t n = std::max<std::size_t>(1, detail::utf8_length(shown, i));
        std::string_view ch(shown.data() + i, n);
        if (ch == "\xEF\xBF\xBE" || ch == "\xEF\xBF\xBF") ch = "\xEF\xBF\xBD";  // U+FFFE, U+FFFF
        const bool excel_escape = ch == "_" && i + 7 <= shown.size() && (shown[i + 1] == 'x' || shown[i + 1] == 'X') &&
                                  hex(shown[i + 2]) && hex(shown[i + 3]) && hex(shown[i + 4]) && hex(shown[i + 5]) && shown[i + 6] == '_';
        const std::string_view put = excel_escape ? std::string_view("_x005F_") : ch;
        const std::size_t need = excel_escape ? 1 : utf16_units(n);
        if (units + need > max_cell_units - 1) {
            out += "\u2026";  // …
            break;
        }
        out.append(put);
        units += need;
        i += n;
    }
    return out;
}

// A sheet name Excel takes: the characters it forbids ([ ] : * ? / \ and controls) as '_', no
// apostrophe at either end, at most 31 characters, never "History" (Excel keeps it), and
// different from every name in `taken` (Excel compares them ignoring case): a number is added
// when it is not.
std::string sheet_name(std::string_view wanted, std::string_view fallback, std::vector<std::string>& taken) {
    auto clean = [](std::string_view s) {
        std::string out;
        detail::append_utf8(s, out, [](char c, std::string& o) {
            o += std::strchr("[]:*?/\\", c) || static_cast<unsigned char>(c) < 0x20 || c == 0x7F ? '_' : c;
        });
        while (!out.empty() && out.front() == '\'') out.erase(0, 1);
        while (!out.empty() && (out.back() == '\'' || out.back() == ' ')) out.pop_back();
        return out;
    };
    // The first characters of `s` that fit in `room` UTF-16 units, no apostrophe last.
    auto cut = [](const std::string& s, std::size_t room) {
        std::string out;
        std::size_t units = 0;
        for (std::size_t i = 0; i < s.size();) {
            const std::size_t n = std::max<std::size_t>(1, detail::utf8_length(s, i));
            if (units + utf16_units(n) > room) break;
            out.append(s, i, n);
            units += utf16_units(n);
            i += n;
        }
        while (!out.empty() && (out.back() == '\'' || out.back() == ' ')) out.pop_back();
        return out;
    };
    auto folded = [](std::string s) {
        for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return s;
    };
    auto free = [&](const std::string& name) {
        if (folded(name) == "history") return false;
        return std::none_of(taken.begin(), taken.end(), [&](const std::string& t) { return folded(t) == folded(name); });
    };
    std::string base = clean(wanted);
    if (base.empty()) base = clean(fallback);
    if (base.empty()) base = "sheet";
    std::string name = cut(base, max_name_units);
    for (int k = 2; !free(name); ++k) {
        const std::string suffix = " (" + std::to_string(k) + ")";
        name = cut(base, max_name_units - suffix.size()) + suffix;
    }
    taken.push_back(name);
    return name;
}

// A libxlsxwriter workbook with its formats; every call that can fail is checked, and a
// failure throws an output_error naming the output the workbook was meant for (`target`, empty
// for a stream) and the file libxlsxwriter was writing.
class workbook {
public:
    workbook(const std::string& file, const std::string& target, const std::string& tmpdir)
        : shown_((target.empty() ? std::string() : "for " + target + " ") + "(in " + file + ")"), tmpdir_(tmpdir) {
        // Rows go to a temporary file as each is finished, so a large report does not hold
        // every cell in memory twice; the sheets are written a row at a time, in order.
        lxw_workbook_options o{};
        o.constant_memory = LXW_TRUE;
        o.tmpdir = tmpdir_.empty() ? nullptr : tmpdir_.data();
        book_ = workbook_new_opt(file.c_str(), &o);
        if (!book_) fail("libxlsxwriter could not make a workbook");
        title = format();
        format_set_bold(title);
        format_set_font_size(title, 14);
        bold = format();
        format_set_bold(bold);
        header = format();
        format_set_bold(header);
        format_set_bg_color(header, 0xF2F2F2);
        format_set_bottom(header, LXW_BORDER_THIN);
        header_centre = format();
        format_set_bold(header_centre);
        format_set_bg_color(header_centre, 0xF2F2F2);
        format_set_bottom(header_centre, LXW_BORDER_THIN);
        format_set_align(header_centre, LXW_ALIGN_CENTER);
        muted = format();
        format_set_font_color(muted, 0x595959);
        centred = format();
        format_set_align(centred, LXW_ALIGN_CENTER);
        wrapped = format();
        format_set_text_wrap(wrapped);
        format_set_align(wrapped, LXW_ALIGN_VERTICAL_TOP);
        top = format();
        format_set_align(top, LXW_ALIGN_VERTICAL_TOP);
        for (std::size_t m = 0; m < static_cast<std::size_t>(mark::count); ++m) {
            lxw_format* f = format();
            format_set_align(f, LXW_ALIGN_CENTER);
            format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
            format_set_bold(f);
            format_set_font_color(f, mark_styles[m].ink);
            if (mark_styles[m].fill != LXW_COLOR_WHITE) {
                format_set_pattern(f, LXW_PATTERN_SOLID);
                format_set_bg_color(f, mark_styles[m].fill);
            }
            format_set_border(f, LXW_BORDER_THIN);
            format_set_border_color(f, 0xFFFFFF);
            marks[m] = f;
        }
    }
    ~workbook() {
        if (book_) lxw_workbook_free(book_);
    }
    workbook(const workbook&) = delete;
    workbook& operator=(const workbook&) = delete;

    lxw_worksheet* add_sheet(const std::string& name) {
        lxw_worksheet* s = workbook_add_worksheet(book_, name.c_str());
        if (!s) fail("libxlsxwriter refused the sheet name '" + name + "'");
        return s;
    }

    // The title and subject; the creation time is the report's as-of date (midnight UTC), so
    // the workbook is a function of the report, the same bytes from one run to the next.
    void properties(const std::string& title_text, const std::string& subject, calendar::day as_of) {
        lxw_doc_properties p{};
        p.title = const_cast<char*>(title_text.c_str());
        p.subject = const_cast<char*>(subject.c_str());
        p.created = static_cast<time_t>(as_of) * 86400;
        check(workbook_set_properties(book_, &p));
    }

    // Writes the file; the workbook is gone afterwards, whatever the outcome.
    void close() {
        lxw_workbook* b = book_;
        book_ = nullptr;
        check(workbook_close(b));
    }

    void check(lxw_error e) const {
        if (e != LXW_NO_ERROR) fail(lxw_strerror(e));
    }
    [[noreturn]] void fail(const std::string& what) const {
        throw mandate::detail::output_error("cannot write the workbook " + shown_ + ": " + what);
    }

    lxw_format *title = nullptr, *bold = nullptr, *header = nullptr, *header_centre = nullptr, *muted = nullptr,
               *centred = nullptr, *wrapped = nullptr, *top = nullptr;
    lxw_format* marks[static_cast<std::size_t>(mark::count)] = {};

private:
    lxw_format* format() {
        lxw_format* f = workbook_add_format(book_);
        if (!f) fail("out of memory");
        return f;
    }
    std::string shown_, tmpdir_;
    lxw_workbook* book_ = nullptr;
};

// One sheet, written a row at a time: texts and numbers, with the width each column needs
// remembered and set when the sheet is done.
class sheet {
public:
    sheet(workbook& book, const std::string& name) : book_(book), ws_(book.add_sheet(name)) {}

    // Writes `text` (made safe for a cell) at (row, col). A text not `measure`d does not widen
    // its column: it runs on over the empty cells to its right (a heading, a note).
    void text(std::size_t row, std::size_t col, std::string_view s, lxw_format* f = nullptr, bool measure = true) {
        if (row >= max_rows || col >= max_columns) return;
        const std::string t = cell_text(s);
        book_.check(worksheet_write_string(ws_, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col), t.c_str(), f));
        used(row, col);
        const double width = static_cast<double>(display_width(t)) * (f == book_.title ? 1.3 : 1.0);
        if (measure) fit(col, width);
        else if (col == 0) run_on_ = std::max(run_on_, width);
    }
    void number(std::size_t row, std::size_t col, double n, lxw_format* f = nullptr) {
        if (row >= max_rows || col >= max_columns) return;
        used(row, col);
        book_.check(worksheet_write_number(ws_, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col), n, f));
        fit(col, static_cast<double>(std::to_string(static_cast<long long>(n)).size()));
    }
    // A column at least this wide (in character widths), whatever it holds.
    void fit(std::size_t col, double width) {
        if (col >= max_columns) return;
        if (widths_.size() <= col) widths_.resize(col + 1, 0);
        widths_[col] = std::max(widths_[col], width);
    }
    // A column whose long texts wrap within `cap` widths instead of running on.
    void wrap_column(std::size_t col, double cap) {
        if (wrap_caps_.size() <= col) wrap_caps_.resize(col + 1, 0);
        wrap_caps_[col] = cap;
    }
    // A row tall enough for `n` lines of text (before any cell of it is written).
    void lines(std::size_t row, std::size_t n) {
        if (n > 1 && row < max_rows)
            book_.check(worksheet_set_row(ws_, static_cast<lxw_row_t>(row), 15.0 * static_cast<double>(std::min<std::size_t>(n, 27)), nullptr));
    }
    // Rows above and columns left of (rows, cols) stay in view when scrolling, and are
    // printed on every page.
    void freeze(std::size_t rows, std::size_t cols) {
        worksheet_freeze_panes(ws_, static_cast<lxw_row_t>(rows), static_cast<lxw_col_t>(cols));
        frozen_rows_ = rows;
        frozen_cols_ = cols;
    }
    // Sets the widths the columns' texts need (two more for the cell's margins), and the page
    // setup for printing: A4, landscape when the columns are wider than a portrait page, one
    // page wide when that leaves the text legible, the frozen rows and columns on every page.
    void finish() {
        std::vector<double> shown(widths_.size(), default_width);
        for (std::size_t c = 0; c < widths_.size(); ++c) {
            if (widths_[c] <= 0) continue;
            const double cap = c < wrap_caps_.size() && wrap_caps_[c] > 0 ? wrap_caps_[c] : max_width;
            shown[c] = std::min(widths_[c], cap) + 2;
            book_.check(worksheet_set_column(ws_, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), shown[c], nullptr));
        }
        // Printed, a text that runs on must not be cut at the last column in use: the page
        // takes in the columns it runs over.
        std::size_t columns = widths_.size();
        double covered = 0;
        for (std::size_t c = 0; covered < run_on_ + 2 && c < max_columns; ++c) {
            covered += c < shown.size() ? shown[c] : default_width;
            columns = std::max(columns, c + 1);
        }
        double total = static_cast<double>(columns - shown.size()) * default_width;
        for (const double x : shown) total += x;
        if (rows_ > 0 && columns > widths_.size())
            book_.check(worksheet_print_area(ws_, 0, 0, static_cast<lxw_row_t>(rows_ - 1), static_cast<lxw_col_t>(columns - 1)));
        worksheet_set_paper(ws_, 9);  // A4
        if (total > portrait_width) worksheet_set_landscape(ws_);
        if (total <= 2.5 * portrait_width) worksheet_fit_to_pages(ws_, 1, 0);
        if (frozen_rows_ > 0) book_.check(worksheet_repeat_rows(ws_, 0, static_cast<lxw_row_t>(frozen_rows_ - 1)));
        if (frozen_cols_ > 0) book_.check(worksheet_repeat_columns(ws_, 0, static_cast<lxw_col_t>(frozen_cols_ - 1)));
    }

private:
    void used(std::size_t row, std::size_t col) {
        rows_ = std::max(rows_, row + 1);
        if (widths_.size() <= col) widths_.resize(col + 1, 0);
    }
    // Column widths an A4 page holds upright, near enough; Excel's default column width.
    static constexpr double portrait_width = 95, default_width = 8.43;
    workbook& book_;
    lxw_worksheet* ws_;
    std::vector<double> widths_, wrap_caps_;
    double run_on_ = 0;  // the widest text that runs on from the first column
    std::size_t rows_ = 0, frozen_rows_ = 0, frozen_cols_ = 0;
};

// The rows a list may use, keeping one for the note of how many were left out.
std::size_t rows_left(std::size_t row) { return row + 1 < max_rows ? max_rows - 1 - row : 0; }

void more_rows(sheet& s, const detail::words& w, std::size_t row, std::size_t left_out, const workbook& book) {
    if (left_out > 0) s.text(row, 0, w(phrase::xlsx_more_rows, {std::to_string(left_out)}), book.muted, false);
}

// The summary: the plan, the date, per obligation its counts, per outcome its firings, and
// the legend of glyphs and colours.
void summary_sheet(sheet& s, workbook& book, const report& r, const detail::words& w, const std::vector<detail::rule_grid>& grids) {
    const check::plan* model = w.plan();
    std::size_t row = 0;
    s.text(row++, 0, model && !model->title.empty() ? model->title : r.plan, book.title, false);
    s.text(row++, 0, w(phrase::plan_heading, {r.plan}), nullptr, false);
    s.text(row++, 0, w(phrase::as_of, {calendar::to_iso(r.as_of)}), nullptr, false);
    ++row;
    const std::vector<std::string> obligation_columns{w(phrase::obligation), w(phrase::xlsx_id), w(phrase::satisfied),
                                                      w(phrase::violated),   w(phrase::pending), w(phrase::xlsx_of_which_at_risk),
                                                      w(phrase::excused)};
    for (std::size_t c = 0; c < obligation_columns.size(); ++c) s.text(row, c, obligation_columns[c], c < 2 ? book.header : book.header_centre);
    ++row;
    // Labels as the plan declares them (in any language, as the table's headings show them):
    // the id column beside them serves a reader who cannot read the label.
    for (const auto& g : grids) {
        if (g.outcome) continue;
        s.text(row, 0, g.label.empty() ? g.id : g.label);
        s.text(row, 1, g.id);
        const std::size_t counts[] = {g.satisfied, g.violated, g.pending, g.at_risk, g.excused};
        for (std::size_t c = 0; c < 5; ++c) s.number(row, 2 + c, static_cast<double>(counts[c]), book.centred);
        ++row;
    }
    ++row;
    const std::vector<std::string> outcome_columns{w(phrase::outcome), w(phrase::xlsx_id), w(phrase::fired), w(phrase::xlsx_of_which_final),
                                                   w(phrase::not_fired)};
    for (std::size_t c = 0; c < outcome_columns.size(); ++c) s.text(row, c, outcome_columns[c], c < 2 ? book.header : book.header_centre);
    ++row;
    for (const auto& g : grids) {
        if (!g.outcome) continue;
        s.text(row, 0, g.label.empty() ? g.id : g.label);
        s.text(row, 1, g.id);
        s.number(row, 2, static_cast<double>(g.fired), book.centred);
        s.number(row, 3, static_cast<double>(g.fired_final), book.centred);
        s.number(row, 4, static_cast<double>(g.outcomes.size() - g.fired), book.centred);
        ++row;
    }
    ++row;
    s.text(row++, 0, w(phrase::xlsx_legend), book.bold);
    const std::pair<mark, phrase> legend[] = {{mark::satisfied, phrase::satisfied}, {mark::violated, phrase::violated},
                                              {mark::at_risk, phrase::at_risk},     {mark::pending, phrase::pending},
                                              {mark::excused, phrase::excused},     {mark::fired, phrase::fired},
                                              {mark::fired_not_final, phrase::fired_not_final}, {mark::not_fired, phrase::not_fired}};
    for (const auto& [m, p] : legend) {
        // The glyph in the id column, which is narrow and next to the meaning.
        s.text(row, 0, w(p));
        s.text(row, 1, mark_styles[static_cast<std::size_t>(m)].glyph, book.marks[static_cast<std::size_t>(m)]);
        ++row;
    }
    s.freeze(3, 0);  // the plan and the date stay in view
    s.finish();
}

// One bucket's cell in a grid.
template <class Row>
void glyph_cell(sheet& s, workbook& book, std::size_t row, std::size_t col, const Row& x) {
    const auto m = static_cast<std::size_t>(mark_of(x));
    s.text(row, col, mark_styles[m].glyph, book.marks[m], false);
}

// A grid too wide for a column per period (hours over years): per unit, how many buckets have
// each status.
template <class Row>
void count_grid(sheet& s, workbook& book, const detail::rule_grid& g, const std::vector<const Row*>& rows, const detail::words& w,
                std::size_t row) {
    constexpr bool results = std::is_same_v<Row, result_row>;
    const std::vector<mark> shown = results ? std::vector<mark>{mark::satisfied, mark::violated, mark::at_risk, mark::pending, mark::excused}
                                            : std::vector<mark>{mark::fired, mark::fired_not_final, mark::not_fired};
    const phrase names[] = {phrase::satisfied, phrase::violated, phrase::at_risk, phrase::pending,
                            phrase::excused,   phrase::fired,    phrase::fired_not_final, phrase::not_fired};
    s.text(row, 0, w(phrase::unit), book.header);
    for (std::size_t k = 0; k < shown.size(); ++k) {
        const auto m = static_cast<std::size_t>(shown[k]);
        s.text(row, 1 + k, std::string(mark_styles[m].glyph) + " " + w(names[m]), book.header_centre);
    }
    s.freeze(row + 1, 1);
    ++row;
    const std::size_t room = rows_left(row);
    for (std::size_t u = 0; u < g.units.size() && u < room; ++u, ++row) {
        std::vector<std::size_t> counts(static_cast<std::size_t>(mark::count), 0);
        for (const int i : g.cells[u])
            if (i >= 0) ++counts[static_cast<std::size_t>(mark_of(*rows[static_cast<std::size_t>(i)]))];
        s.text(row, 0, g.units[u].empty() ? w(phrase::the_plan) : w.unit(g.units[u]));
        for (std::size_t k = 0; k < shown.size(); ++k)
            s.number(row, 1 + k, static_cast<double>(counts[static_cast<std::size_t>(shown[k])]), book.centred);
    }
    more_rows(s, w, row, g.units.size() - std::min(g.units.size(), room), book);
}

// Whether a grid's columns are hour buckets, which the month-and-day headings cannot tell apart.
bool hour_columns(const std::vector<period>& columns) {
    return std::any_of(columns.begin(), columns.end(), [](const period& p) { return p.has_clock(); });
}

// Headings of hour buckets: the date where it changes ("04-10"), the time each starts under
// it ("14:00").
detail::column_labels hour_labels(const std::vector<period>& columns) {
    detail::column_labels out;
    out.two_rows = true;
    char text[16];
    for (std::size_t k = 0; k < columns.size(); ++k) {
        const period& p = columns[k];
        const calendar::ymd d = calendar::to_ymd(p.from);
        std::snprintf(text, sizeof text, "%02d-%02d", d.month, d.day);
        out.top.emplace_back(k == 0 || columns[k - 1].from != p.from ? text : "");
        if (p.has_clock()) {
            const auto of_day = ((p.clock_from % 1440) + 1440) % 1440;
            std::snprintf(text, sizeof text, "%02d:%02d", static_cast<int>(of_day / 60), static_cast<int>(of_day % 60));
            out.bottom.emplace_back(text);
        } else {
            out.bottom.emplace_back("");
        }
    }
    return out;
}

// A rule's sheet: its heading, cited clause and requirement, its counts, then the grid of
// units × periods with the unit column and the period headings frozen.
void rule_sheet(sheet& s, workbook& book, const report& r, const detail::words& w, const detail::rule_grid& g) {
    const check::rule* rule = w.rule(g.rule);
    std::size_t row = 0;
    s.text(row++, 0, w.rule_heading(g.rule, g.id), book.title, false);
    for (const auto& c : g.cites) s.text(row++, 0, w(phrase::xlsx_clause, {c}), nullptr, false);
    if (g.outcome) {
        s.text(row++, 0, w(phrase::xlsx_fires_when, {g.condition}), nullptr, false);
    } else {
        s.text(row++, 0, w(phrase::xlsx_requires, {rule ? w.requirement(*rule) : g.condition}), nullptr, false);
        if (rule && w.requirement(*rule) != g.condition) s.text(row++, 0, w(phrase::xlsx_as_written, {g.condition}), book.muted, false);
    }
    if (g.outcome ? g.outcomes.empty() : g.results.empty()) {
        s.text(row, 0, w(phrase::no_bucket_yet, {calendar::to_iso(r.as_of)}), book.muted, false);
        s.finish();
        return;
    }
    if (g.outcome) {
        s.text(row++, 0,
               w(phrase::count_fired, {std::to_string(g.fired), std::to_string(g.fired_final), std::to_string(g.outcomes.size() - g.fired)}),
               nullptr, false);
    } else {
        const std::string sep = w(phrase::list_separator);
        std::string counts = w(phrase::count_satisfied, {std::to_string(g.satisfied)}) + sep +
                             w(phrase::count_violated, {std::to_string(g.violated)}) + sep +
                             w(phrase::count_pending, {std::to_string(g.pending)});
        if (g.at_risk)
            counts += (w.lang() == language::zh ? "（" : " (") + w(phrase::count_at_risk, {std::to_string(g.at_risk)}) +
                      (w.lang() == language::zh ? "）" : ")");
        if (g.excused) counts += sep + w(phrase::count_excused, {std::to_string(g.excused)});
        s.text(row++, 0, counts, nullptr, false);
    }
    ++row;
    if (g.columns.size() + 1 > max_columns) {
        s.text(row++, 0, w(phrase::xlsx_wide_grid, {w(phrase::periods_count, {std::to_string(g.columns.size()),
                                                                               w.period({g.columns.front().from, g.columns.back().to})})}),
               book.muted, false);
        if (g.outcome) count_grid(s, book, g, g.outcomes, w, row);
        else count_grid(s, book, g, g.results, w, row);
        s.finish();
        return;
    }
    // The period headings: the month (or year) where it changes, the day under it when a
    // month holds several columns; the whole period when there is only one.
    const detail::column_labels labels = hour_columns(g.columns) ? hour_labels(g.columns) : detail::label_columns(g.columns, w.lang());
    s.text(row, 0, w(phrase::unit), book.header);
    if (g.columns.size() == 1) {
        s.text(row, 1, w.period(g.columns[0]), book.header_centre);
    } else {
        for (std::size_t k = 0; k < g.columns.size(); ++k) s.text(row, 1 + k, labels.top[k], book.header_centre);
        if (labels.two_rows) {
            ++row;
            s.text(row, 0, "", book.header, false);
            for (std::size_t k = 0; k < g.columns.size(); ++k) s.text(row, 1 + k, labels.bottom[k], book.header_centre);
        }
    }
    ++row;
    s.freeze(row, 1);
    for (std::size_t k = 0; k < g.columns.size(); ++k) s.fit(1 + k, 3);
    const std::size_t room = rows_left(row);
    for (std::size_t u = 0; u < g.units.size() && u < room; ++u, ++row) {
        s.text(row, 0, g.units[u].empty() ? w(phrase::the_plan) : w.unit(g.units[u]));
        for (std::size_t k = 0; k < g.columns.size(); ++k) {
            const int i = g.cells[u][k];
            if (i < 0) continue;
            if (g.outcome) glyph_cell(s, book, row, 1 + k, *g.outcomes[static_cast<std::size_t>(i)]);
            else glyph_cell(s, book, row, 1 + k, *g.results[static_cast<std::size_t>(i)]);
        }
    }
    more_rows(s, w, row, g.units.size() - std::min(g.units.size(), room), book);
    s.finish();
}

// The violated and at-risk buckets of every obligation, one a row: what, who, when, the value
// against the requirement, the evidence in sentences and the clause cited.
void violations_sheet(sheet& s, workbook& book, const detail::words& w, const std::vector<detail::rule_grid>& grids) {
    const phrase columns[] = {phrase::obligation, phrase::unit, phrase::period, phrase::status,
                              phrase::value,      phrase::requirement, phrase::evidence, phrase::clause};
    for (std::size_t c = 0; c < std::size(columns); ++c) s.text(0, c, w(columns[c]), book.header);
    s.freeze(1, 0);
    // Long texts wrap within their columns, narrow enough for a row to fit a landscape page.
    const std::pair<std::size_t, double> caps[] = {{0, 24}, {1, 24}, {5, 30}, {6, 50}, {7, 40}};
    for (const auto& [column, cap] : caps) s.wrap_column(column, cap);
    const std::string sentences = w(phrase::sentence_separator);
    std::size_t row = 1, left_out = 0;
    for (const auto& g : grids) {
        if (g.outcome) continue;
        const check::rule* rule = w.rule(g.rule);
        std::string clause;
        for (const auto& c : g.cites) clause += (clause.empty() ? "" : sentences) + c;
        for (const result_row* x : g.results) {
            if (x->status != status::violated && !x->at_risk) continue;
            if (rows_left(row) == 0) {
                ++left_out;
                continue;
            }
            std::string evidence;
            // The compared measure too: the value column has the number, this says what was counted.
            for (const auto& e : w.evidence(g.rule, x->unit, x->evidence)) evidence += (evidence.empty() ? "" : sentences) + e;
            const auto m = static_cast<std::size_t>(mark_of(*x));
            const std::string texts[] = {w.label_or_id(g.label, g.id),
                                         w.unit(x->unit),
                                         w.period(x->span),
                                         std::string(mark_styles[m].glyph) + " " + w.status(*x),
                                         x->value.is_null() ? w(phrase::no_data) : w.value(*x),
                                         rule ? w.requirement(*rule) : g.condition,
                                         evidence,
                                         clause};
            // Spreadsheets do not grow a row for wrapped text they open: the row is given the
            // lines its longest wrapped text takes.
            std::size_t lines = 1;
            for (const auto& [column, cap] : caps)
                lines = std::max(lines, (display_width(texts[column]) + static_cast<std::size_t>(cap) - 1) / static_cast<std::size_t>(cap));
            s.lines(row, lines);
            for (std::size_t c = 0; c < std::size(texts); ++c)
                s.text(row, c, texts[c], c == 3 ? book.marks[m] : c == 2 || c == 4 ? book.top : book.wrapped);
            ++row;
        }
    }
    more_rows(s, w, row, left_out, book);
    s.finish();
}

// The accounting of the records read, then the rejected records one a row, then what else the
// table notes: fields ignored, waivers not applied, entities held out of the hierarchy.
void inputs_sheet(sheet& s, workbook& book, const report& r, const detail::words& w) {
    const input_counts& in = r.inputs;
    s.text(0, 0, w(phrase::xlsx_records), book.header);
    s.text(0, 1, w(phrase::xlsx_count), book.header_centre);
    s.freeze(1, 0);
    const std::pair<phrase, std::uint64_t> counts[] = {
        {phrase::count_read, in.read},           {phrase::count_entities, in.entities},       {phrase::count_applied, in.applied},
        {phrase::count_duplicates, in.duplicates}, {phrase::count_retracted, in.retracted}, {phrase::count_retractions, in.retractions},
        {phrase::count_unresolved, in.unresolved}, {phrase::count_rejected, in.rejected},   {phrase::count_waivers, in.waivers}};
    std::size_t row = 1;
    for (const auto& [p, n] : counts) {
        s.text(row, 0, w(p));
        s.number(row, 1, static_cast<double>(n), book.centred);
        ++row;
    }
    ++row;
    s.text(row++, 0, w(phrase::xlsx_rejected_records), book.bold);
    s.text(row, 0, w(phrase::xlsx_source), book.header);
    s.text(row, 1, w(phrase::xlsx_line), book.header_centre);
    s.text(row, 2, w(phrase::xlsx_reason), book.header);
    ++row;
    if (r.rejected.empty()) s.text(row++, 0, w(phrase::xlsx_none), book.muted, false);
    // Rows for the notes below are kept back from the rejected records.
    const std::size_t notes = r.ignored_fields.size() + r.unapplied_waivers.size() + r.unresolved_entities.size() + 4;
    const std::size_t room = rows_left(row) > notes ? rows_left(row) - notes : 0;
    for (std::size_t i = 0; i < r.rejected.size() && i < room; ++i, ++row) {
        s.text(row, 0, r.rejected[i].source);
        s.number(row, 1, static_cast<double>(r.rejected[i].line), book.centred);
        s.text(row, 2, r.rejected[i].reason);
    }
    if (r.rejected.size() > room) more_rows(s, w, row++, r.rejected.size() - room, book);
    if (!r.ignored_fields.empty() || !r.unapplied_waivers.empty() || !r.unresolved_entities.empty()) {
        ++row;
        s.text(row++, 0, w(phrase::xlsx_notes), book.bold);
    }
    for (const auto& f : r.ignored_fields) {
        if (rows_left(row) == 0) break;
        s.text(row++, 0, w(phrase::ignored_field, {f.field, f.kind ? w(phrase::kind_named, {f.type}) : f.type, std::to_string(f.records)}),
               nullptr, false);
    }
    for (const auto& x : r.unapplied_waivers) {
        if (rows_left(row) == 0) break;
        s.text(row++, 0, w(phrase::waiver_not_applied) + " " + x.id + ": " + x.reason, nullptr, false);
    }
    if (!r.unresolved_entities.empty() && rows_left(row) > 0)
        s.text(row++, 0, w(phrase::held_out, {std::to_string(r.unresolved_entities.size())}) + w(phrase::held_out_note), nullptr, false);
    for (const auto& u : r.unresolved_entities) {
        if (rows_left(row) == 0) break;
        std::string line = w.unit(u.entity) + ": ";
        line += u.reason == "parent cycle"                 ? w(phrase::reason_parent_cycle)
                : u.reason == "missing parent"             ? w(phrase::reason_missing_parent)
                : u.reason == "under an unresolved parent" ? w(phrase::reason_unresolved_parent)
                                                           : u.reason;
        for (std::size_t k = 0; k < u.chain.size(); ++k) line += (k ? ", " : " ") + u.chain[k];
        s.text(row++, 0, line, nullptr, false);
    }
    s.finish();
}

// Builds the whole workbook into `file`; `target` names the output in error messages.
void build(const report& r, const std::string& file, const std::string& target, const std::string& tmpdir, const xlsx_options& options) {
    const detail::words w(r, options.lang);
    const auto grids = detail::grids_of(r);
    workbook book(file, target, tmpdir);
    const check::plan* model = w.plan();
    book.properties(cell_text(model && !model->title.empty() ? model->title : r.plan), w(phrase::as_of, {calendar::to_iso(r.as_of)}), r.as_of);
    // Names first, the fixed sheets' before the rules', so no rule's label can take them.
    std::vector<std::string> taken;
    const std::string summary_name = sheet_name(w(phrase::xlsx_summary), "summary", taken);
    const std::string violations_name = sheet_name(w(phrase::xlsx_violations), "violations", taken);
    const std::string inputs_name = sheet_name(w(phrase::xlsx_inputs), "records", taken);
    std::vector<std::string> rule_names;
    for (const auto& g : grids) rule_names.push_back(sheet_name(detail::terminal_text(w.label_or_id(g.label, g.id)), g.id, taken));

    {
        sheet s(book, summary_name);
        summary_sheet(s, book, r, w, grids);
    }
    for (std::size_t i = 0; i < grids.size(); ++i) {
        sheet s(book, rule_names[i]);
        rule_sheet(s, book, r, w, grids[i]);
    }
    {
        sheet s(book, violations_name);
        violations_sheet(s, book, w, grids);
    }
    {
        sheet s(book, inputs_name);
        inputs_sheet(s, book, r, w);
    }
    book.close();
}

// A temporary file for libxlsxwriter to write the workbook into (it writes to a named file
// only), removed when done with. In $TMPDIR, else /tmp.
class temporary_file {
public:
    temporary_file() {
        std::error_code ec;
        std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
        if (ec) dir = "/tmp";
        dir_ = dir.string();
        std::string pattern = (dir / "mandate-xlsx-XXXXXX").string();
        const int fd = mkstemp(pattern.data());
        if (fd < 0)
            throw mandate::detail::output_error("cannot make a temporary file for the workbook in " + dir_ + ": " + std::strerror(errno));
        ::close(fd);
        path_ = pattern;
    }
    ~temporary_file() { std::remove(path_.c_str()); }
    temporary_file(const temporary_file&) = delete;
    temporary_file& operator=(const temporary_file&) = delete;
    const std::string& path() const { return path_; }
    const std::string& dir() const { return dir_; }

    // Copies the file's bytes to `out`.
    void copy_to(std::ostream& out, const std::string& shown) const {
        std::ifstream in(path_, std::ios::binary);
        if (!in) throw mandate::detail::output_error("cannot read back the workbook for " + shown + " from " + path_);
        std::vector<char> chunk(1 << 16);
        while (in) {
            in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
            if (in.gcount() > 0) out.write(chunk.data(), in.gcount());
            if (!out) throw mandate::detail::output_error("cannot write the workbook to " + shown);
        }
        if (in.bad()) throw mandate::detail::output_error("cannot read back the workbook for " + shown + " from " + path_);
    }

private:
    std::string path_, dir_;
};

}  // namespace

void write_xlsx(const report& r, const std::string& path, const xlsx_options& options) {
    // Through a temporary file and output_file, so the target is replaced whole (or, a device
    // or a FIFO, written through) as every other output of the program is.
    temporary_file tmp;
    build(r, tmp.path(), path, tmp.dir(), options);
    mandate::detail::output_file file(path);
    mandate::detail::output_stream out(file);
    tmp.copy_to(out, path);
    out.finish();
}

void write_xlsx(const report& r, std::ostream& out, const xlsx_options& options) {
    temporary_file tmp;
    build(r, tmp.path(), "", tmp.dir(), options);
    tmp.copy_to(out, "the output");
    out.flush();
    if (!out) throw mandate::detail::output_error("cannot write the workbook to the output");
}

}  // namespace mandate::io
