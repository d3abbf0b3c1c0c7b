// The words of people-facing reports, in the reader's language: the message catalogue
// (catalogue.inc), and a report's units, statuses, periods, values and evidence as sentences.
// Shared by the table, the HTML page, the workbook and explain, so each says a thing the same way.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mandate/check/model.hpp"
#include "mandate/report/report_writer.hpp"

namespace mandate::io::detail {

enum class phrase : std::uint16_t {
#define MANDATE_PHRASE(id, zh, en) id,
#include "catalogue.inc"
#undef MANDATE_PHRASE
};

// The glyphs, one per meaning, shared by the table, the HTML page and the workbook
// (docs/report.md lists them).
namespace glyphs {
constexpr const char* glyph_satisfied = "\u2713";    // ✓
constexpr const char* glyph_violated = "\u2717";     // ✗
constexpr const char* glyph_at_risk = "!";
constexpr const char* glyph_pending = "\u00b7";      // ·
constexpr const char* glyph_excused = "\u2298";      // ⊘
constexpr const char* glyph_fired = "\u25cf";        // ●
constexpr const char* glyph_provisional = "\u25cb";  // ○ fired, not final
constexpr const char* glyph_not_fired = "\u2013";    // –
}  // namespace glyphs

std::string_view text(language lang, phrase p);
// A period's unit in words: 月 / month, 季度 / quarter, ...
const char* per_name(language lang, calendar::period_unit u);
// The pattern with {0}, {1}, ... replaced by the arguments.
std::string fill(std::string_view pattern, std::initializer_list<std::string_view> args);

// Every phrase of the catalogue, for tests.
struct catalogue_entry {
    const char* id;
    const char* zh;
    const char* en;
};
const std::vector<catalogue_entry>& catalogue();

// A value written as the plan writes its threshold: a percent when compared with one, with the
// digits that show which side of the threshold it is on (14.9996% against 15%, never "15%").
// `threshold` in the value's own scale; `percent` multiplies by 100 and adds '%'.
std::string number_text(const rational& v, const rational* threshold, bool percent);

class words {
public:
    words(const report& r, language lang);

    language lang() const { return lang_; }
    std::string operator()(phrase p) const { return std::string(text(lang_, p)); }
    std::string operator()(phrase p, std::initializer_list<std::string_view> args) const { return fill(text(lang_, p), args); }

    const check::plan* plan() const { return plan_; }
    const check::rule* rule(int index) const;

    // A unit as people know it: "长河村 v12" where the registry names it, else "v12"; the
    // plan's own bucket (a rule without `each`) is "全局" / "the plan".
    std::string unit(const std::optional<std::string>& id) const;
    // An entity in a list of them (missing, failing): its name, or its id when it has none.
    std::string entity(std::string_view id) const;
    // A rule's heading: "monthly_activity  每月宣传活动".
    std::string rule_heading(int rule, const std::string& id) const;
    // A declared name as this language shows it: the label in Chinese; in English the label
    // when it is ASCII, else the id.
    std::string label_or_id(const std::string& label, const std::string& id) const;
    std::string event_name(int event) const;
    std::string kinds_name(const std::vector<int>& kinds) const;

    // The engine's reason an entity is held out of the hierarchy (unresolved_entity::reason,
    // machine text) in the reader's words.
    std::string held_out_reason(const std::string& reason) const;

    std::string status(const result_row& x) const;   // 达标, 未达标, 预警, 待定, 豁免
    std::string status(const outcome_row& x) const;  // 已触发, 已触发（未定）, 未触发, 未触发（未定）
    std::string period(const mandate::period& p) const;  // "2023-04-01至2023-04-30"
    std::string day(calendar::day d) const;
    std::string duration(const calendar::duration& d) const;
    std::string days(std::int64_t n) const;

    // The bucket's value as the plan writes its requirement: "12.43%", "2", "29天".
    std::string value(const result_row& x) const;
    std::string value(const check::rule* rule, const reported_value& v) const;
    // What the value must be: "≥ 15%".
    std::string requirement(const check::rule& rule) const;
    // "≥", "<", ... for a comparison.
    static const char* comparison_sign(check::op o);

    // The evidence of a row as sentences: each measure in words, what was missing, the events
    // counted, the ratio, the violated buckets behind an outcome. `skip_compared` leaves out
    // the compared side (explain states it apart).
    std::vector<std::string> evidence(int rule, const std::optional<std::string>& row_unit, const mandate::evidence& e,
                                      bool skip_compared = false) const;

    // Column labels of a grid: the month (or year) where it changes, the day below when a
    // month holds several columns.
    std::string month_label(int year, int month) const;

private:
    std::string list(const std::vector<std::string>& items, std::size_t total) const;
    std::string measure(const check::rule* rule, const check::texpr* x, const reported_value& v, const mandate::evidence& e,
                        const std::optional<std::string>& row_unit, bool& used_coverage, bool& used_children, bool& used_gap) const;

    const report& r_;
    language lang_;
    const check::plan* plan_ = nullptr;
};

}  // namespace mandate::io::detail
