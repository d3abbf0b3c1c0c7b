#include "mandate/check/check.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

#include "mandate/calendar/schedule.hpp"
#include "mandate/check/buckets.hpp"
#include "mandate/syntax/parse.hpp"
#include "mandate/syntax/print.hpp"
#include "support/spelling.hpp"

namespace mandate::check {
namespace {

const char* const month_names[] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};

// ", did you mean 'campaign'?" when one known name is close enough. Only the first few unknown
// names of a file get a suggestion: they are for a person reading the first errors, and a
// machine-made file with thousands would otherwise cost a quadratic search.
thread_local int suggestions_left = 0;

template <class Candidates>
std::string suggestion(const std::string& wrong, Candidates&& candidates) {
    if (suggestions_left <= 0) return "";
    --suggestions_left;
    return did_you_mean(wrong, candidates());
}

template <class T>
std::vector<std::string> ids_of(const std::vector<T>& items) {
    std::vector<std::string> out;
    for (const auto& i : items) out.push_back(i.id);
    return out;
}

bool fixed_length(const duration& d) { return d.unit != time_unit::month; }

// Durations longer than this are refused: they could only be mistakes, and bounding them keeps
// date arithmetic far from overflow.
constexpr std::int64_t max_duration_count = 100000;
// A rule may cut its window into at most this many buckets (or a streak, sub-periods).
constexpr std::int64_t max_buckets = 100000;

// The shortest length of one period, in days (for estimating how many buckets a window makes).
std::int64_t shortest_days(const ast::period& p) {
    switch (p.unit) {
        case ast::period_unit::day: return p.count;
        case ast::period_unit::week: return p.count * 7;
        case ast::period_unit::month: return 28;
        case ast::period_unit::quarter: return 90;
        case ast::period_unit::year: return 365;
        case ast::period_unit::half: return 181;
        case ast::period_unit::hour: return 1;
    }
    return 1;
}

duration to_duration(const ast::duration& d) {
    duration out;
    out.count = d.count;
    switch (d.unit) {
        case ast::time_unit::day: out.unit = time_unit::day; break;
        case ast::time_unit::week: out.unit = time_unit::week; break;
        case ast::time_unit::month: out.unit = time_unit::month; break;
        case ast::time_unit::hour: out.unit = time_unit::hour; break;
        case ast::time_unit::workday: out.unit = time_unit::workday; break;
        case ast::time_unit::year:
            out.unit = time_unit::month;
            out.count = d.count > INT64_MAX / 12 ? INT64_MAX : d.count * 12;
            break;
    }
    return out;
}

period to_period(const ast::period& p) {
    period out;
    out.count = p.count;
    out.counted = p.counted;
    switch (p.unit) {
        case ast::period_unit::day: out.unit = period_unit::day; break;
        case ast::period_unit::week: out.unit = period_unit::week; break;
        case ast::period_unit::month: out.unit = period_unit::month; break;
        case ast::period_unit::quarter: out.unit = period_unit::quarter; break;
        case ast::period_unit::year: out.unit = period_unit::year; break;
        case ast::period_unit::half: out.unit = period_unit::half; break;
        case ast::period_unit::hour: out.unit = period_unit::hour; break;
    }
    return out;
}

// What an expression may see: the rule's unit variable, and inside `where` / all/any
// predicates the fields of one event type.
// A unit variable in scope: the rule's `each` variable (slot 0), or one a child quantifier or
// units() binds (the next slot), with the kinds it ranges over.
struct bound_var {
    std::string name;
    int slot = 0;
    std::vector<int> kinds;
};

struct scope {
    const rule* owner = nullptr;
    int rule_index = -1;
    int event = -1;  // >= 0 inside an event predicate
    std::vector<bound_var> vars;  // innermost last
    // Inside `each ... where`: the registry only (no events, verdicts or rankings).
    bool registry_only = false;
    bool in_rank = false;

    const bound_var* find(std::string_view name) const {
        for (auto it = vars.rbegin(); it != vars.rend(); ++it)
            if (it->name == name) return &*it;
        return nullptr;
    }
    int next_slot() const { return vars.empty() ? 1 : vars.back().slot + 1; }
};

class checker {
public:
    checker(const ast::file& file, const source_file& source, const limits& l) : file_(file), source_(source), limits_(l) {}

    // The warnings found by run(): what is legal but most likely not what the author meant.
    // Warnings are gathered only when asked for (lint): compiling a plan needs none.
    struct named_warning {
        const char* name;  // as `--allow` and `# lint: allow` spell it
        diagnostic d;
    };
    void gather_warnings() { want_warnings_ = true; }
    std::vector<named_warning> take_warnings() { return std::move(warnings_); }

    result<plan> run() {
        collect_plan();
        declare_names();
        check_calendars();
        check_phases();
        check_kinds();
        check_events();
        compute_span();
        for (auto& r : plan_.rules) r.workdays = plan_.workdays.get();
        for (std::size_t i = 0; i < rule_decls_.size(); ++i) check_rule(static_cast<int>(i));
        resolve_dependencies();
        // What nothing uses is known only once every rule has been read without error.
        if (diagnostics_.empty()) warn_unused();
        if (!diagnostics_.empty()) {
            std::stable_sort(diagnostics_.begin(), diagnostics_.end(), [](const diagnostic& a, const diagnostic& b) {
                return a.where.begin < b.where.begin;
            });
            return result<plan>(std::move(diagnostics_));
        }
        return result<plan>(std::move(plan_));
    }

private:
    // ---------------------------------------------------------------- reporting

    void error(span where, std::string message) {
        diagnostics_.push_back(make_diagnostic(source_, where, std::move(message)));
    }

    // A warning carries its name in brackets, as `lint --allow NAME` and `# lint: allow NAME`
    // spell it (docs/language.md, "Warnings").
    void warning(span where, std::string message, const char* name) {
        if (!want_warnings_) return;
        warnings_.push_back({name, make_diagnostic(source_, where, std::move(message) + " [" + name + "]", severity::warning)});
    }

    std::string at(span where) const {
        const position p = source_.position_of(where.begin);
        return std::to_string(p.line) + ":" + std::to_string(p.column);
    }

    // A duration as written, refused beyond max_duration_count.
    duration bounded(const ast::duration& d, std::optional<span> at = std::nullopt) {
        if (d.count > max_duration_count)
            error(at.value_or(d.loc), "a duration of more than " + std::to_string(max_duration_count) + " " + ast::to_string(d.unit, true));
        duration out = to_duration(d);
        out.count = std::min(out.count, max_duration_count);
        return out;
    }

    // Refuses a schedule that would cut [from, to] into more than max_buckets periods.
    void check_bucket_count(day from, day to, const ast::period& p, span where, const char* what,
                            const char* of = "this window") {
        const std::int64_t length = static_cast<std::int64_t>(to) - from + 1;
        if (p.count >= 1 && length / shortest_days(p) > max_buckets)
            error(where, std::string(what) + " makes more than " + std::to_string(max_buckets) + " periods of " + of +
                             "; use a longer period or a shorter window");
    }

    std::optional<day> date_of(const ast::date_lit& d) {
        if (auto problem = date_problem(d)) {
            error(d.loc, std::move(*problem));
            return std::nullopt;
        }
        return calendar::from_ymd(d.year, d.month, d.day);
    }

    // ---------------------------------------------------------------- warnings

    // `warn` as long as a period, or longer: every period of the rule is at risk from its first
    // day. Lengths in days, each side at its shortest (a month is 28 days, a workday one).
    void warn_against_period(const rule& r, const ast::warn_clause& warn, const ast::every_clause* every,
                             const ast::by_clause* by, bool window_ok) {
        const ast::duration& w = warn.length;
        double warn_days = static_cast<double>(w.count);
        switch (w.unit) {
            case ast::time_unit::week: warn_days *= 7; break;
            case ast::time_unit::month: warn_days *= 28; break;
            case ast::time_unit::year: warn_days *= 365; break;
            case ast::time_unit::hour: warn_days /= 24; break;
            case ast::time_unit::day:
            case ast::time_unit::workday: break;
        }
        double period_days = 0;
        std::string message = "warn " + syntax::to_source(w) + " is at least as long as ";
        if (every && r.schedule == schedule_kind::every) {
            const ast::period& p = every->per;
            period_days = p.unit == ast::period_unit::hour ? p.count / 24.0
                          : p.unit == ast::period_unit::month ? 28.0 * p.count
                                                              : static_cast<double>(shortest_days(p));
            message += "the period (every " + syntax::to_source(p) + "): every period is at risk from its first day";
        } else if (by && r.schedule == schedule_kind::by && window_ok && r.by >= r.window_from) {
            period_days = static_cast<double>(r.by) - r.window_from + 1;
            message += "the " + std::to_string(static_cast<long long>(period_days)) + (period_days == 1 ? " day" : " days") +
                       " from the window's start to the deadline: the obligation is at risk from its first day";
        } else {
            return;
        }
        if (warn_days < period_days) return;
        warning(warn.loc, message + "; give a shorter warn, or none", "warn-too-long");
    }

    // Kinds and event types that nothing names: records of them are accepted and change nothing.
    void warn_unused() {
        for (std::size_t i = 0; i < kind_decls_.size(); ++i)
            if (!kind_used_.count(static_cast<int>(i)))
                warning(kind_decls_[i]->id.loc, "kind '" + kind_decls_[i]->id.text + "' is declared but no rule, event " +
                                                     "or other kind names it: its units are read and judged by nothing",
                        "unused-kind");
        for (std::size_t i = 0; i < event_decls_.size(); ++i)
            if (!event_used_.count(static_cast<int>(i)))
                warning(event_decls_[i]->id.loc, "event type '" + event_decls_[i]->id.text + "' is declared but no rule " +
                                                      "reads it: its records are read and counted, and change nothing",
                        "unused-event");
    }

    // ---------------------------------------------------------------- declarations

    void collect_plan() {
        const ast::plan_decl* found = nullptr;
        for (const auto& d : file_.declarations) {
            if (const auto* p = std::get_if<ast::plan_decl>(&d)) {
                if (found) {
                    error(p->loc, "a second plan block: a rule file holds exactly one (the first is at " +
                                      at(found->loc) + ")");
                    continue;
                }
                found = p;
            }
        }
        if (!found) {
            error(span{0, 0}, "no plan block: a rule file needs `plan ID { ... }`");
            return;
        }
        plan_.id = found->id.text;
        const bool zoned = std::any_of(found->properties.begin(), found->properties.end(),
                                       [](const ast::plan_property& p) { return p.key.text == "timezone"; });
        if (!zoned)
            warning(found->id.loc,
                    "the plan gives no timezone, so events are dated in UTC (+00:00): an event at 07:00 in China "
                    "falls on the day before; write timezone \"+08:00\", or timezone \"+00:00\" if UTC is meant",
                    "no-timezone");
        std::map<std::string, span> seen;
        for (const auto& prop : found->properties) {
            const std::string& key = prop.key.text;
            if (auto it = seen.find(key); it != seen.end()) {
                error(prop.key.loc, "plan property '" + key + "' is given twice (first at " + at(it->second) + ")");
                continue;
            }
            seen[key] = prop.key.loc;
            auto need_text = [&]() -> const std::string* {
                if (prop.text) return &*prop.text;
                error(prop.word ? prop.word->loc : prop.loc, "plan property '" + key + "' takes a string");
                return nullptr;
            };
            if (key == "title") {
                if (auto t = need_text()) plan_.title = *t;
            } else if (key == "source") {
                if (auto t = need_text()) plan_.source = *t;
            } else if (key == "timezone") {
                if (auto t = need_text()) {
                    auto offset = parse_offset(*t);
                    if (!offset)
                        error(prop.loc, "timezone \"" + *t + "\" is not a UTC offset like \"+08:00\" (named zones are not supported)");
                    else
                        plan_.utc_offset_minutes = *offset;
                }
            } else if (key == "language") {
                if (!prop.number || (*prop.number != 1 && *prop.number != 2))
                    error(prop.loc, "language takes a version of the rule language: 1 or 2");
                else
                    plan_.language = static_cast<int>(*prop.number);
            } else if (key == "calendar") {
                if (!prop.word)
                    error(prop.loc, "calendar takes the name of a calendar: cn_mainland, or one the file declares");
                else
                    calendar_name_ = &*prop.word;
            } else if (key == "week_start") {
                static const char* const days[] = {"monday", "tuesday", "wednesday", "thursday",
                                                   "friday", "saturday", "sunday"};
                if (!prop.word) {
                    error(prop.loc, "week_start takes a day name: monday ... sunday");
                    continue;
                }
                bool ok = false;
                for (int i = 0; i < 7; ++i)
                    if (prop.word->text == days[i]) {
                        plan_.week_start = static_cast<calendar::weekday>(i);
                        ok = true;
                    }
                if (!ok)
                    error(prop.word->loc, "week_start takes a day name: monday, tuesday, wednesday, thursday, friday, "
                                          "saturday or sunday, not '" + prop.word->text + "'");
            } else {
                error(prop.key.loc, "unknown plan property '" + key +
                                        "'; expected title, source, timezone, week_start, calendar or language" +
                                        suggestion(key, [] {
                                            return std::vector<std::string>{"title", "source", "timezone", "week_start",
                                                                            "calendar", "language"};
                                        }));
            }
        }
    }

    static std::optional<int> parse_offset(const std::string& t) {
        if (t == "Z" || t == "UTC") return 0;
        if (t.size() != 6 || (t[0] != '+' && t[0] != '-') || t[3] != ':') return std::nullopt;
        auto digit = [&](std::size_t i) { return t[i] >= '0' && t[i] <= '9'; };
        if (!digit(1) || !digit(2) || !digit(4) || !digit(5)) return std::nullopt;
        const int hours = (t[1] - '0') * 10 + (t[2] - '0');
        const int minutes = (t[4] - '0') * 10 + (t[5] - '0');
        if (hours > 14 || minutes > 59) return std::nullopt;
        const int total = hours * 60 + minutes;
        return t[0] == '-' ? -total : total;
    }

    template <class Decl>
    void declare(std::unordered_map<std::string, int>& table, std::unordered_map<std::string, span>& where,
                 const Decl& d, const char* what, int index) {
        auto [it, inserted] = table.emplace(d.id.text, index);
        if (!inserted) {
            error(d.id.loc, std::string(what) + " '" + d.id.text + "' is declared twice (first at " +
                                at(where[d.id.text]) + ")");
            return;
        }
        where[d.id.text] = d.id.loc;
    }

    void declare_names() {
        std::unordered_map<std::string, span> phase_at, kind_at, event_at, obligation_at, outcome_at, calendar_at;
        for (const auto& d : file_.declarations) {
            if (const auto* c = std::get_if<ast::calendar_decl>(&d)) {
                declare(calendar_index_, calendar_at, *c, "calendar", static_cast<int>(calendar_decls_.size()));
                calendar_decls_.push_back(c);
            } else if (const auto* p = std::get_if<ast::phase_decl>(&d)) {
                declare(phase_index_, phase_at, *p, "phase", static_cast<int>(phase_decls_.size()));
                phase_decls_.push_back(p);
            } else if (const auto* k = std::get_if<ast::kind_decl>(&d)) {
                declare(kind_index_, kind_at, *k, "kind", static_cast<int>(kind_decls_.size()));
                kind_decls_.push_back(k);
            } else if (const auto* e = std::get_if<ast::event_decl>(&d)) {
                declare(event_index_, event_at, *e, "event type", static_cast<int>(event_decls_.size()));
                event_decls_.push_back(e);
            } else if (const auto* r = std::get_if<ast::rule_decl>(&d)) {
                // Obligations and outcomes are separate namespaces (LANGUAGE.md); the place a
                // name stands in says which one it belongs to.
                if (r->outcome)
                    declare(outcome_index_, outcome_at, *r, "outcome", static_cast<int>(rule_decls_.size()));
                else
                    declare(obligation_index_, obligation_at, *r, "obligation", static_cast<int>(rule_decls_.size()));
                rule_decls_.push_back(r);
            }
        }
        // Entries for every declaration (duplicates included) keep indices aligned with decls.
        for (const auto* p : phase_decls_) {
            phase ph;
            ph.id = p->id.text;
            ph.label = p->label.value_or("");
            ph.loc = p->loc;
            plan_.phases.push_back(std::move(ph));
        }
        for (const auto* k : kind_decls_) plan_.kinds.push_back(kind{k->id.text, k->label.value_or(""), {}, k->loc, {}});
        for (const auto* e : event_decls_) {
            event_type t;
            t.id = e->id.text;
            t.label = e->label.value_or("");
            t.loc = e->loc;
            plan_.events.push_back(std::move(t));
        }
        for (const auto* r : rule_decls_) {
            rule x;
            x.id = r->id.text;
            x.label = r->label.value_or("");
            x.outcome = r->outcome;
            x.loc = r->loc;
            plan_.rules.push_back(std::move(x));
        }
    }

    template <class Candidates>
    int lookup(const std::unordered_map<std::string, int>& table, const ast::name& n, const char* what,
               Candidates&& known) {
        auto it = table.find(n.text);
        if (it != table.end()) {
            if (&table == &kind_index_) kind_used_.insert(it->second);
            if (&table == &event_index_) event_used_.insert(it->second);
            return it->second;
        }
        error(n.loc, std::string("unknown ") + what + " '" + n.text + "'" + suggestion(n.text, known));
        return -1;
    }

    int lookup_kind(const ast::name& n) { return lookup(kind_index_, n, "kind", [&] { return ids_of(plan_.kinds); }); }

    std::vector<int> lookup_kinds(const std::vector<ast::name>& names) {
        std::vector<int> out;
        for (const auto& n : names) {
            const int k = lookup_kind(n);
            if (k >= 0 && std::find(out.begin(), out.end(), k) == out.end()) out.push_back(k);
        }
        return out;
    }

    // ---------------------------------------------------------------- calendars (LANGUAGE-v2.md section 4)

    void check_calendars() {
        std::vector<std::shared_ptr<calendar::workday_calendar>> built;
        for (const auto* c : calendar_decls_) {
            auto cal = std::make_shared<calendar::workday_calendar>(c->id.text);
            if (calendar::builtin_calendar(c->id.text))
                error(c->id.loc, "calendar '" + c->id.text + "' is shipped with mandate; name yours otherwise");
            for (const auto& e : c->entries) {
                if (e.kind == ast::calendar_entry_kind::weekend) {
                    static const char* const names[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
                    std::vector<calendar::weekday> days;
                    for (const auto& n : e.days) {
                        const auto* it = std::find_if(std::begin(names), std::end(names), [&](const char* x) { return n.text == x; });
                        if (it == std::end(names)) {
                            error(n.loc, "'" + n.text + "' is not a day of the week: monday, tuesday, ... sunday");
                            continue;
                        }
                        days.push_back(static_cast<calendar::weekday>(it - std::begin(names)));
                    }
                    if (auto problem = cal->set_weekend(days); !problem.empty()) error(e.loc, problem);
                    continue;
                }
                auto from = date_of(e.from);
                std::optional<day> to = from;
                if (e.to) to = date_of(*e.to);
                if (!from || !to) continue;
                const std::string problem = e.kind == ast::calendar_entry_kind::holiday
                                                ? cal->add_holiday(*from, *to, e.label.value_or(""))
                                                : cal->add_workday(*from, e.label.value_or(""));
                if (!problem.empty()) error(e.loc, "calendar '" + c->id.text + "': " + problem);
            }
            built.push_back(std::move(cal));
        }
        if (!calendar_name_) return;
        const ast::name& n = *calendar_name_;
        if (auto it = calendar_index_.find(n.text); it != calendar_index_.end()) {
            plan_.workdays = built[static_cast<std::size_t>(it->second)];
        } else if (const auto* shipped = calendar::builtin_calendar(n.text)) {
            // Shipped calendars live as long as the library: shared without owning.
            plan_.workdays = std::shared_ptr<const calendar::workday_calendar>(std::shared_ptr<void>(), shipped);
        } else {
            error(n.loc, "unknown calendar '" + n.text + "'" + suggestion(n.text, [&] {
                             std::vector<std::string> names = calendar::builtin_calendar_names();
                             for (const auto* c : calendar_decls_) names.push_back(c->id.text);
                             return names;
                         }));
        }
    }

    // A rule counting workdays on [from, to] needs a calendar that covers it.
    void need_covered(span where, day from, day to, const char* what) {
        if (!plan_.workdays || plan_.workdays->covers(from, to)) return;
        std::string years;
        if (auto y = plan_.workdays->covered_years())
            years = std::to_string(y->first) + (y->first == y->second ? "" : "-" + std::to_string(y->second));
        error(where, std::string(what) + " counts workdays from " + calendar::to_iso(from) + " to " + calendar::to_iso(to) +
                         ", but calendar '" + plan_.workdays->name() + "' covers only " + years +
                         ": it cannot tell which of those days are holidays");
    }

    void check_phases() {
        for (std::size_t i = 0; i < phase_decls_.size(); ++i) {
            const auto* p = phase_decls_[i];
            if (p->by_events) {
                phase& ph = plan_.phases[i];
                ph.by_events = true;
                ph.start_event = lookup(event_index_, p->start_event, "event type", [&] { return ids_of(plan_.events); });
                ph.end_event = lookup(event_index_, p->end_event, "event type", [&] { return ids_of(plan_.events); });
                if (p->at_most) {
                    ph.at_most = bounded(*p->at_most);
                    if (p->at_most->count < 1) error(p->at_most->loc, "'at most' needs a length of at least 1");
                    if (p->at_most->unit == ast::time_unit::hour)
                        error(p->at_most->loc, "a phase bounded by events is cut in days, weeks, months or workdays, not hours");
                }
                phase_ok_.push_back(ph.start_event >= 0 && ph.end_event >= 0);
                continue;
            }
            auto from = date_of(p->from), to = date_of(p->to);
            if (from && to) {
                if (*from > *to)
                    error(p->from.loc, "phase '" + p->id.text + "' starts after it ends (" + syntax::to_source(p->from) +
                                           " is after " + syntax::to_source(p->to) + ")");
                plan_.phases[i].from = *from;
                plan_.phases[i].to = *to;
                phase_ok_.push_back(true);
            } else {
                phase_ok_.push_back(false);
            }
        }
    }

    void check_kinds() {
        for (std::size_t i = 0; i < kind_decls_.size(); ++i) {
            const auto* k = kind_decls_[i];
            plan_.kinds[i].parents = lookup_kinds(k->parents);
            std::map<std::string, span> seen;
            for (const auto& f : k->fields) {
                if (is_entity_key(f.id.text)) {
                    error(f.id.loc, "'" + f.id.text +
                                        "' is a key of every entity record (entity, kind, parent, name, since, until, "
                                        "version); name the field otherwise");
                    continue;
                }
                if (auto it = seen.find(f.id.text); it != seen.end()) {
                    error(f.id.loc, "field '" + f.id.text + "' of kind '" + k->id.text + "' is declared twice (first at " +
                                        at(it->second) + ")");
                    continue;
                }
                seen[f.id.text] = f.id.loc;
                const type t = field_type_of(f.type);
                if (t.is(type_kind::ref) || t.is(type_kind::set)) {
                    error(f.type.loc, "a kind's field is an int, number, bool, text or date; '" + f.id.text + "' is " +
                                          describe(t) + " (the hierarchy is given by 'parent')");
                    continue;
                }
                plan_.kinds[i].fields.push_back(field{f.id.text, t, f.optional, f.loc});
            }
        }
    }

    type field_type_of(const ast::field_type& t) {
        switch (t.base) {
            case ast::base_type::int_: return type::of(type_kind::integer);
            case ast::base_type::number: return type::of(type_kind::number);
            case ast::base_type::bool_: return type::of(type_kind::boolean);
            case ast::base_type::text: return type::of(type_kind::text);
            case ast::base_type::date: return type::of(type_kind::date);
            case ast::base_type::ref: {
                type out = type::of(type_kind::ref);
                out.kinds = lookup_kinds(t.ref_kinds);
                return out;
            }
            case ast::base_type::set: {
                type element = t.element ? field_type_of(**t.element) : type::of(type_kind::error);
                type out = type::of(type_kind::set);
                out.element = element.kind;
                out.kinds = element.kinds;
                return out;
            }
        }
        return type::of(type_kind::error);
    }

    void check_events() {
        for (std::size_t i = 0; i < event_decls_.size(); ++i) {
            const auto* e = event_decls_[i];
            auto& t = plan_.events[i];
            t.fields.push_back(field{"id", type::of(type_kind::text), false, e->loc});
            t.fields.push_back(field{"time", type::of(type_kind::date), false, e->loc});
            t.fields.push_back(field{"unit", type::of(type_kind::ref), false, e->loc});
            std::map<std::string, span> seen;
            for (const auto& f : e->fields) {
                if (f.id.text == "id" || f.id.text == "time" || f.id.text == "unit") {
                    error(f.id.loc, "field '" + f.id.text + "' is built in: every event has id, time and unit");
                    continue;
                }
                if (auto it = seen.find(f.id.text); it != seen.end()) {
                    error(f.id.loc, "field '" + f.id.text + "' of event type '" + e->id.text +
                                        "' is declared twice (first at " + at(it->second) + ")");
                    continue;
                }
                seen[f.id.text] = f.id.loc;
                t.fields.push_back(field{f.id.text, field_type_of(f.type), f.optional, f.loc});
            }
        }
    }

    void compute_span() {
        bool any = false;
        for (std::size_t i = 0; i < plan_.phases.size(); ++i) {
            if (!phase_ok_[i] || plan_.phases[i].by_events) continue;  // windows of events take no part
            const auto& p = plan_.phases[i];
            if (!any || p.from < plan_.span_from) plan_.span_from = p.from;
            if (!any || p.to > plan_.span_to) plan_.span_to = p.to;
            any = true;
        }
        plan_.has_span = any;
    }

    // ---------------------------------------------------------------- rules

    template <class Clause>
    const Clause* single(const ast::rule_decl& r, const char* what) {
        const Clause* found = nullptr;
        for (const auto& c : r.clauses) {
            if (const auto* x = std::get_if<Clause>(&c)) {
                if (found) {
                    error(x->loc, std::string("'") + ast::keyword_of(c) + "' is given twice in " +
                                      (r.outcome ? "outcome '" : "obligation '") + r.id.text + "' (first at " +
                                      at(found->loc) + ")");
                    continue;
                }
                found = x;
            }
        }
        (void)what;
        return found;
    }

    void check_rule(int index) {
        const ast::rule_decl& d = *rule_decls_[static_cast<std::size_t>(index)];
        rule& r = plan_.rules[static_cast<std::size_t>(index)];
        const char* what = d.outcome ? "outcome" : "obligation";

        for (const auto& c : d.clauses)
            if (const auto* cite = std::get_if<ast::cite_clause>(&c)) r.cites.push_back(cite->text);
        if (r.cites.empty())
            warning(d.id.loc, std::string(what) + " '" + d.id.text + "' has no cite: reports cannot say which clause " +
                                  "of the plan it encodes; add cite \"...\" quoting it", "no-cite");

        const auto* each = single<ast::each_clause>(d, "each");
        if (each) {
            r.var = each->var.text;
            r.unit_kinds = lookup_kinds(each->kinds);
        }

        // The window.
        const auto* during = single<ast::during_clause>(d, "during");
        const auto* window = single<ast::window_clause>(d, "from");
        bool window_ok = true;
        if (during && window) {
            error(window->loc, std::string("the window is given twice: 'during ") + during->phase.text +
                                   "' and 'from ... to ...'; keep one");
            window_ok = false;
        } else if (during) {
            const int p = lookup(phase_index_, during->phase, "phase", [&] { return ids_of(plan_.phases); });
            if (p >= 0 && phase_ok_[static_cast<std::size_t>(p)] && plan_.phases[static_cast<std::size_t>(p)].by_events) {
                // Its windows come with events, per unit: the rule's own window is every date.
                r.event_phase = p;
                r.window_from = calendar::from_ymd(calendar::min_year, 1, 1);
                r.window_to = calendar::from_ymd(calendar::max_year, 12, 31);
            } else if (p >= 0 && phase_ok_[static_cast<std::size_t>(p)]) {
                r.window_from = plan_.phases[static_cast<std::size_t>(p)].from;
                r.window_to = plan_.phases[static_cast<std::size_t>(p)].to;
            } else {
                window_ok = false;
            }
        } else if (window) {
            auto from = date_of(window->from), to = date_of(window->to);
            if (from && to) {
                if (*from > *to) {
                    error(window->from.loc, "the window starts after it ends (" + syntax::to_source(window->from) +
                                                " is after " + syntax::to_source(window->to) + ")");
                    window_ok = false;
                }
                r.window_from = *from;
                r.window_to = *to;
            } else {
                window_ok = false;
            }
        } else if (plan_.has_span) {
            r.window_from = plan_.span_from;
            r.window_to = plan_.span_to;
        } else {
            error(d.id.loc, std::string(what) + " '" + d.id.text +
                                "' has no window: the plan declares no phase, so give 'during PHASE' or 'from DATE to DATE'");
            window_ok = false;
        }

        // The schedule: at most one of every / by / after / before.
        const auto* every = single<ast::every_clause>(d, "every");
        const auto* by = single<ast::by_clause>(d, "by");
        std::vector<const ast::trigger_clause*> triggers;
        for (const auto& c : d.clauses)
            if (const auto* t = std::get_if<ast::trigger_clause>(&c)) triggers.push_back(t);
        std::vector<std::pair<span, std::string>> schedules;
        if (every) schedules.emplace_back(every->loc, "every");
        if (by) schedules.emplace_back(by->loc, "by");
        for (const auto* t : triggers) schedules.emplace_back(t->loc, t->before ? "before" : "after");
        std::sort(schedules.begin(), schedules.end(),
                  [](const auto& a, const auto& b) { return a.first.begin < b.first.begin; });
        if (schedules.size() > 1) {
            error(schedules[1].first, "'" + schedules[1].second + "' conflicts with '" + schedules[0].second + "' at " +
                                          at(schedules[0].first) + ": a rule has one schedule (every, by, after or before)");
        }

        if (r.event_phase >= 0 && schedules.size() == 1 && !every) {
            error(schedules[0].first, "a rule during '" + during->phase.text +
                                          "', a phase bounded by events, is cut by 'every' or judged whole per window, not by '" +
                                          schedules[0].second + "'");
        }
        if (every && schedules.size() <= 1) {
            r.schedule = schedule_kind::every;
            r.per = to_period(every->per);
            r.full = every->full;
            r.cumulative = every->cumulative;
            if (r.per.count < 1) error(every->per.loc, "a period needs a count of at least 1");
            if (r.per.count > max_duration_count) error(every->per.loc, "a period of more than 100000 days or weeks");
            else if (window_ok && r.event_phase < 0 && r.per.unit == period_unit::hour) {
                const std::int64_t hours = (static_cast<std::int64_t>(r.window_to) - r.window_from + 1) * 24;
                if (r.per.count >= 1 && hours / r.per.count > max_buckets)
                    error(every->per.loc, "this schedule makes more than " + std::to_string(max_buckets) +
                                              " periods of this window; use a longer period or a shorter window");
            } else if (window_ok && r.event_phase < 0) {
                check_bucket_count(r.window_from, r.window_to, every->per, every->per.loc, "this schedule");
            }
            if (r.per.unit == period_unit::hour && every->full)
                error(every->loc, "'every full' keeps whole periods of days or longer; hours are counted from the window's start");
            if (every->cumulative && r.event_phase >= 0)
                error(every->loc, "'cumulative' has no start in a phase bounded by events: each window is cut afresh");
            r.cumulative_from = r.window_from;
            if (every->cumulative_from) {
                if (auto from = date_of(*every->cumulative_from)) {
                    r.cumulative_from = *from;
                    if (window_ok && *from > r.window_from)
                        error(every->cumulative_from->loc,
                              "'cumulative from " + syntax::to_source(*every->cumulative_from) +
                                  "' starts after the window does (" + calendar::to_iso(r.window_from) +
                                  "); a cumulative start may only lie before it");
                }
            }
        } else if (by && schedules.size() <= 1) {
            r.schedule = schedule_kind::by;
            if (auto date = date_of(by->date)) {
                r.by = *date;
                if (window_ok && *date < r.window_from)
                    error(by->date.loc, "the deadline " + syntax::to_source(by->date) + " is before the window starts (" +
                                            calendar::to_iso(r.window_from) + ")");
            }
        } else if (triggers.size() == 1 && schedules.size() <= 1) {
            const auto* t = triggers.front();
            r.schedule = t->before ? schedule_kind::before : schedule_kind::after;
            r.within = bounded(t->within);
            if (t->within.count < 1) error(t->within.loc, "'within' needs a length of at least 1 day");
            check_trigger(index, *t);
            if (r.trig.registered) refuse_hours(t->within);
        }

        if (const auto* due = single<ast::due_clause>(d, "due")) check_due(r, *due, every);
        if (const auto* grace = single<ast::grace_clause>(d, "grace")) {
            r.grace = bounded(grace->length);
            refuse_hours(grace->length);
        }
        if (const auto* warn = single<ast::warn_clause>(d, "warn")) {
            if (d.outcome) {
                error(warn->loc, "an outcome has no 'warn': warnings flag obligation buckets at risk");
            } else {
                r.warn = bounded(warn->length);
                refuse_hours(warn->length);
                warn_against_period(r, *warn, every, by, window_ok);
            }
        }
        if (window_ok) check_coverage(r, d);

        // The condition.
        const auto* condition = single<ast::require_clause>(d, "require");
        if (!condition) {
            error(d.id.loc, std::string(what) + " '" + d.id.text + "' has no " +
                                (d.outcome ? "'when' clause" : "'require' clause"));
        } else {
            if (condition->when != d.outcome)
                error(condition->loc, d.outcome ? "an outcome states its condition with 'when', not 'require'"
                                                : "an obligation states its requirement with 'require', not 'when'");
            scope s = rule_scope(r, index);
            r.condition = named(condition->condition, s);
            if (r.condition.t.kind != type_kind::error && r.condition.t.kind != type_kind::boolean)
                error(condition->condition.loc, std::string(d.outcome ? "a condition" : "a requirement") +
                                                    " must be true or false, not " + describe_expr(r.condition));
            r.mono = classify(r.condition);
            if (plan_.language >= 2 && r.mono == monotonicity::none) r.mono = earlier_verdict(r.condition);
        }
        if (each && each->where) {
            scope s = rule_scope(r, index);
            s.registry_only = true;
            texpr w = named(*each->where, s);
            if (w.t.kind != type_kind::error && !w.t.is(type_kind::boolean))
                error(each->where->loc, "'each ... where' needs a condition that is true or false, not " + describe_expr(w));
            r.where = std::move(w);
        }
        // What the rule reads beyond its own unit's events.
        auto flags = [&](const texpr& e, auto&& self) -> void {
            if (e.o == op::units || e.o == op::all_units || e.o == op::any_unit || e.o == op::coverage) r.reads_below = true;
            if (e.o == op::unit_field || e.o == op::is_kind) {
                r.reads_fields = true;
                if (e.args[0].o == op::field) r.reads_event_units = true;
            }
            if (e.o == op::rank) r.ranks = true;
            for (const auto& a : e.args) self(a, self);
        };
        flags(r.condition, flags);
        if (r.trig.where) flags(*r.trig.where, flags);
        if (r.where) {
            flags(*r.where, flags);
            r.reads_fields = true;  // a new version of a unit can change whether it is an instance
        }
    }

    scope rule_scope(const rule& r, int index) const {
        scope s{&r, index, -1, {}, false, false};
        if (!r.var.empty()) s.vars.push_back(bound_var{r.var, 0, r.unit_kinds});
        return s;
    }

    // A unit variable named where one is expected (`of VAR`, `within VAR`): its slot, or -1
    // having said why not.
    int var_slot(const ast::name& v, const scope& s) {
        if (const bound_var* b = s.find(v.text)) return b->slot;
        if (!s.owner || s.owner->var.empty()) {
            error(v.loc, "'" + v.text + "' is no unit variable here: the rule needs 'each " + v.text + ": KIND'");
            return -1;
        }
        std::string known;
        for (std::size_t i = 0; i < s.vars.size(); ++i) known += (i ? "', '" : "") + s.vars[i].name;
        error(v.loc, "unknown unit variable '" + v.text + "'; " + (s.vars.size() == 1 ? "this rule's is '" : "those in scope are '") +
                         known + "'");
        return -1;
    }

    // Hours count to the minute in `after|before X within N hours` and `every N hours` only: a
    // grace, a warning, a due range or a registration are counted in days.
    void refuse_hours(const ast::duration& d) {
        if (d.unit == ast::time_unit::hour)
            error(d.loc, "hours count only in 'within' after an event or outcome and in 'every N hours'; give this length "
                         "in days or workdays");
    }

    // `due day N`, `due DURATION after`, `due day N after` (LANGUAGE-v2.md section 5).
    void check_due(rule& r, const ast::due_clause& due, const ast::every_clause* every) {
        if (!every || r.schedule != schedule_kind::every) {
            error(due.loc, "'due' says when the work about each period of 'every' is reported; this rule has no 'every'");
            return;
        }
        if (r.outcome) {
            error(due.loc, "'due' says when an obligation's work is reported; an outcome has none");
            return;
        }
        if (r.per.unit == period_unit::hour) {
            error(due.loc, "'due' reports a period of days or longer; periods of hours are reported as they run");
            return;
        }
        if (r.cumulative) {
            error(due.loc, "'due' cannot be combined with 'cumulative': a cumulative bucket's work is reported as it accrues");
            return;
        }
        if (due.day_form) {
            if (due.day < 1 || due.day > 31) {
                error(due.loc, "'due day " + std::to_string(due.day) + "' names no day of a month: give 1 to 31");
                return;
            }
            const bool whole_months = r.per.unit == period_unit::month || r.per.unit == period_unit::quarter ||
                                      r.per.unit == period_unit::half || r.per.unit == period_unit::year;
            if (!whole_months) {
                error(due.loc, "'due day " + std::to_string(due.day) +
                                   "' needs periods of whole months (month, N months, quarter, half, year); 'every " +
                                   syntax::to_source(every->per) + "' is not");
                return;
            }
            r.due = due.after ? rule::due_kind::day_after : rule::due_kind::day;
            r.due_day = static_cast<int>(due.day);
            return;
        }
        if (due.length.count < 1) {
            error(due.length.loc, "'due' needs a length of at least 1");
            return;
        }
        refuse_hours(due.length);
        r.due = rule::due_kind::after;
        r.due_length = bounded(due.length);
    }

    // A rule counting workdays must stay within the years its calendar covers: from its window's
    // start to the last day it counts to (a due range, a deadline, a grace after the window).
    void check_coverage(const rule& r, const ast::rule_decl& d) {
        auto workdays = [](const std::optional<duration>& x) { return x && x->unit == time_unit::workday; };
        const bool counts = workdays(r.grace) || workdays(r.warn) ||
                            ((r.schedule == schedule_kind::after || r.schedule == schedule_kind::before) &&
                             r.within.unit == time_unit::workday) ||
                            (r.due == rule::due_kind::after && r.due_length.unit == time_unit::workday);
        if (!counts || !plan_.workdays || r.event_phase >= 0) return;
        const calendar::workday_calendar* cal = plan_.workdays.get();
        day last = r.window_to;
        if (r.schedule == schedule_kind::by) last = std::max(last, r.by);
        if (r.schedule == schedule_kind::after) last = calendar::shift(last, r.within, +1, cal);
        if (r.due != rule::due_kind::none) last = counted_days(r, r.window_to, r.window_to).to;
        if (r.grace) last = calendar::shift(last, *r.grace, +1, cal);
        // Pointed at the first clause that counts workdays.
        span where = d.id.loc;
        for (const auto& c : d.clauses) {
            const ast::duration* length = nullptr;
            if (const auto* t = std::get_if<ast::trigger_clause>(&c)) length = &t->within;
            else if (const auto* g = std::get_if<ast::grace_clause>(&c)) length = &g->length;
            else if (const auto* w = std::get_if<ast::warn_clause>(&c)) length = &w->length;
            else if (const auto* u = std::get_if<ast::due_clause>(&c); u && !u->day_form) length = &u->length;
            if (length && length->unit == ast::time_unit::workday) {
                where = length->loc;
                break;
            }
        }
        need_covered(where, r.window_from, last, (std::string(r.outcome ? "outcome '" : "obligation '") + r.id + "'").c_str());
    }

    void check_trigger(int index, const ast::trigger_clause& t) {
        rule& r = plan_.rules[static_cast<std::size_t>(index)];
        r.trig.outcome = t.outcome;
        if (!t.outcome && t.target.text == "registered" && !event_index_.count("registered")) {
            // `after registered within D` (LANGUAGE-v2.md section 6): from the unit's `since`
            // (a plan with an event type of that name keeps its meaning).
            r.trig.registered = true;
            if (t.before) error(t.loc, "'before registered' has no meaning: a unit's registration opens its bucket ('after registered')");
            if (r.var.empty()) error(t.target.loc, "'after registered' opens a bucket per unit: the rule needs 'each VAR: KIND'");
            if (t.of_var) error(t.of_var->loc, "'after registered' is the rule's own unit's registration: drop 'of " + t.of_var->text + "'");
            if (t.where) error(t.where->loc, "'after registered' takes no 'where'");
            return;
        }
        if (t.outcome) {
            auto it = outcome_index_.find(t.target.text);
            if (it == outcome_index_.end()) {
                if (obligation_index_.count(t.target.text))
                    error(t.target.loc, "'" + t.target.text + "' is an obligation; 'after outcome' names an outcome");
                else
                    error(t.target.loc, "unknown outcome '" + t.target.text + "'" + suggestion(t.target.text, [&] { return outcome_ids(); }));
                return;
            }
            r.trig.target = it->second;
            return;
        }
        r.trig.target = lookup(event_index_, t.target, "event type", [&] { return ids_of(plan_.events); });
        if (t.of_var) r.trig.scoped = check_var(*t.of_var, r);
        if (t.where && r.trig.target >= 0) {
            scope s = rule_scope(r, index);
            s.event = r.trig.target;
            texpr w = named(*t.where, s);
            if (w.t.kind != type_kind::error && w.t.kind != type_kind::boolean)
                error(t.where->loc, "a where predicate must be true or false, not " + describe_expr(w));
            r.trig.where = std::move(w);
        }
    }

    std::vector<std::string> outcome_ids() const {
        std::vector<std::string> out;
        for (const auto& r : plan_.rules)
            if (r.outcome) out.push_back(r.id);
        return out;
    }
    std::vector<std::string> obligation_ids() const {
        std::vector<std::string> out;
        for (const auto& r : plan_.rules)
            if (!r.outcome) out.push_back(r.id);
        return out;
    }

    bool check_var(const ast::name& v, const rule& r) {
        if (r.var.empty()) {
            error(v.loc, "'of " + v.text + "' needs the rule to say 'each " + v.text + ": KIND'");
            return false;
        }
        if (v.text != r.var) {
            error(v.loc, "unknown unit variable '" + v.text + "'; this rule's is '" + r.var + "'");
            return false;
        }
        return true;
    }

    // ---------------------------------------------------------------- expressions

    static texpr make(op o, type t, span loc) {
        texpr e;
        e.o = o;
        e.t = std::move(t);
        e.loc = loc;
        return e;
    }

    static texpr poisoned(span loc) { return make(op::literal, type::of(type_kind::error), loc); }

    std::string describe_expr(const texpr& e) const {
        if (e.o == op::literal && e.value.percent) return "a percent";
        std::string d = describe(e.t);
        if (e.t.kind == type_kind::ref && !e.t.kinds.empty()) {
            d = "a ref to ";
            for (std::size_t i = 0; i < e.t.kinds.size(); ++i)
                d += (i ? " | " : "") + plan_.kinds[static_cast<std::size_t>(e.t.kinds[static_cast<std::size_t>(i)])].id;
        }
        return d;
    }

    texpr typecheck(const ast::expr& e, const scope& s) {
        // The parser bounds nesting by its ceiling; a host may ask for less. Reported once, at
        // the outermost expression past the limit. (A chain `a + b + ...` is one level.)
        if (e.nesting > limits_.max_expression_depth && !depth_reported_) {
            depth_reported_ = true;
            error(e.loc, "expression too deeply nested (the limit is " + std::to_string(limits_.max_expression_depth) + " levels)");
        }
        texpr out = std::visit([&](const auto& n) { return node(e, n, s); }, e.node);
        out.loc = e.loc;
        // An operator's text is made only where it is read (named()): each of the N operators
        // of a chain `1 + 1 + ... + 1` holding its own text made N texts of up to N terms,
        // quadratic in time and memory. Operands, aggregates and the like are named here.
        if (out.text.empty() && !operator_text(out.o)) out.text = syntax::to_short_source(e);
        return out;
    }

    // typecheck() of an expression whose text is read: a rule's condition and the two sides of
    // a comparison there (reports and explanations quote them), a `where` or all/any predicate
    // (it names the source of events).
    texpr named(const ast::expr& e, const scope& s) {
        texpr out = typecheck(e, s);
        if (out.text.empty()) out.text = syntax::to_short_source(e);
        if (const auto* b = std::get_if<ast::binary>(&e.node); b && is_comparison(out.o) && out.args.size() == 2) {
            if (out.args[0].text.empty()) out.args[0].text = syntax::to_short_source(*b->lhs);
            if (out.args[1].text.empty()) out.args[1].text = syntax::to_short_source(*b->rhs);
        }
        return out;
    }

    texpr node(const ast::expr& e, const ast::number_lit& n, const scope&) {
        texpr out = make(op::literal,
                         type::of(n.value.is_integer() && !n.percent ? type_kind::integer : type_kind::number), e.loc);
        out.value.number = n.value;
        out.value.percent = n.percent;
        return out;
    }
    texpr node(const ast::expr& e, const ast::bool_lit& b, const scope&) {
        texpr out = make(op::literal, type::of(type_kind::boolean), e.loc);
        out.value.boolean = b.value;
        return out;
    }
    texpr node(const ast::expr& e, const ast::string_lit& str, const scope&) {
        texpr out = make(op::literal, type::of(type_kind::text), e.loc);
        out.value.text = str.value;
        return out;
    }
    texpr node(const ast::expr& e, const ast::date_value& d, const scope&) {
        auto date = date_of(d.value);
        if (!date) return poisoned(e.loc);
        texpr out = make(op::literal, type::of(type_kind::date), e.loc);
        out.value.date = *date;
        return out;
    }
    texpr node(const ast::expr& e, const ast::duration_value& d, const scope&) {
        if (d.value.unit == ast::time_unit::month || d.value.unit == ast::time_unit::year) {
            error(e.loc, std::string("a ") + ast::to_string(d.value.unit, false) +
                             " has no fixed length in days; in expressions write days or weeks");
            return poisoned(e.loc);
        }
        if (d.value.unit == ast::time_unit::hour || d.value.unit == ast::time_unit::workday) {
            error(e.loc, std::string("a duration in an expression is in days or weeks (what gap() measures), not ") +
                             ast::to_string(d.value.unit, true));
            return poisoned(e.loc);
        }
        texpr out = make(op::literal, type::of(type_kind::duration), e.loc);
        out.value.length = bounded(d.value, e.loc);
        return out;
    }
    texpr node(const ast::expr& e, const ast::list_lit&, const scope&) {
        error(e.loc, "a list can only stand on the right of 'in'");
        return poisoned(e.loc);
    }
    texpr node(const ast::expr& e, const ast::name_ref& n, const scope& s) {
        if (s.event >= 0) {
            const auto& ev = plan_.events[static_cast<std::size_t>(s.event)];
            const int f = ev.find_field(n.text);
            if (f >= 0) {
                texpr out = make(op::field, ev.fields[static_cast<std::size_t>(f)].t, e.loc);
                out.field = f;
                out.event = s.event;
                return out;
            }
            if (const bound_var* b = s.find(n.text)) {
                if (b->slot != 0) {
                    error(e.loc, "inside a where predicate only the rule's unit variable '" + s.owner->var +
                                     "' may be named; '" + n.text + "' is bound by a quantifier");
                    return poisoned(e.loc);
                }
                texpr out = make(op::var, type::of(type_kind::ref), e.loc);
                out.t.kinds = b->kinds;
                out.slot = 0;
                return out;
            }
            error(e.loc, "event type '" + ev.id + "' has no field '" + n.text + "'" + suggestion(n.text, [&] { return ids_of(ev.fields); }));
            return poisoned(e.loc);
        }
        if (s.find(n.text))
            error(e.loc, "the unit variable '" + n.text + "' stands after 'of' or inside a where predicate, not alone");
        else
            error(e.loc, "unknown name '" + n.text + "'; event fields are visible only inside where and all/any predicates");
        return poisoned(e.loc);
    }

    texpr node(const ast::expr& e, const ast::unary& u, const scope& s) {
        texpr operand = typecheck(*u.operand, s);
        if (operand.t.kind == type_kind::error) return poisoned(e.loc);
        if (u.op == ast::unop::not_) {
            if (!operand.t.is(type_kind::boolean)) {
                error(u.operand->loc, "'not' needs true or false, not " + describe_expr(operand));
                return poisoned(e.loc);
            }
            texpr out = make(op::not_, type::of(type_kind::boolean), e.loc);
            out.args.push_back(std::move(operand));
            return out;
        }
        if (!operand.t.numeric() && !operand.t.is(type_kind::duration)) {
            error(u.operand->loc, "'-' needs a number or a duration, not " + describe_expr(operand));
            return poisoned(e.loc);
        }
        texpr out = make(op::neg, operand.t, e.loc);
        out.args.push_back(std::move(operand));
        return out;
    }

    bool comparable(const texpr& a, const texpr& b, ast::binop o, span where) {
        const type_kind x = a.t.kind, y = b.t.kind;
        auto textual = [](type_kind k) { return k == type_kind::text || k == type_kind::ref; };
        const bool ordering = o == ast::binop::lt || o == ast::binop::le || o == ast::binop::gt || o == ast::binop::ge;
        if (a.t.numeric() && b.t.numeric()) return true;
        if ((x == type_kind::date && y == type_kind::date)) return true;
        if (x == type_kind::duration && y == type_kind::duration) {
            for (const texpr* side : {&a, &b})
                if (side->o == op::literal && !fixed_length(side->value.length)) {
                    error(side->loc, "a month has no fixed length in days; compare durations in days or weeks");
                    return false;
                }
            return true;
        }
        if ((textual(x) && textual(y)) || (x == type_kind::boolean && y == type_kind::boolean)) {
            if (ordering) {
                error(where, std::string(x == type_kind::boolean ? "true/false values" : "texts and refs") +
                                 " can only be compared with == and !=");
                return false;
            }
            return true;
        }
        if (x == type_kind::set || y == type_kind::set) {
            error(where, "a set field can only be used with 'in', distinct() and coverage()");
            return false;
        }
        // `gap(...) <= 10`: a bare count of days where a duration is meant.
        for (const auto& [d, n] : {std::pair<const texpr*, const texpr*>{&a, &b}, {&b, &a}})
            if (d->t.kind == type_kind::duration && n->o == op::literal && n->t.kind == type_kind::integer &&
                !n->value.percent) {
                const std::string count = n->value.number.to_string();
                error(where, "cannot compare " + describe_expr(a) + " with " + describe_expr(b) + "; write '" + count +
                                 (count == "1" ? " day'" : " days'") + " (or weeks) for a duration");
                return false;
            }
        error(where, "cannot compare " + describe_expr(a) + " with " + describe_expr(b));
        return false;
    }

    // `coverage(...) >= 80`: a share, from 0 to 1, compared with a number above 1, where a
    // percent was meant.
    void warn_percent_scale(const texpr& a, const texpr& b) {
        for (const auto& [share, bound] : {std::pair<const texpr*, const texpr*>{&a, &b}, {&b, &a}}) {
            if (share->o != op::coverage || bound->o != op::literal || bound->value.percent || !bound->t.numeric()) continue;
            if (!(rational(1) < bound->value.number)) continue;
            const std::string n = bound->value.number.to_string();
            warning(bound->loc, "coverage is a share from 0 to 1 (100% is 1), so it never reaches " + n +
                                    ": write '" + n + "%'", "percent-scale");
        }
    }

    texpr node(const ast::expr& e, const ast::binary& b, const scope& s) {
        if (b.op == ast::binop::in) return membership(e, b, s);
        // A chain `a + b + c` is built left-deep, as tall as it is long, and a frame of this
        // checker takes kilobytes: the left spine is checked in a loop, bottom up (the order
        // recursion would take), so that only nesting to the right costs stack. Nodes below
        // `e` nest no deeper than it, so typecheck()'s depth check for them is not needed.
        std::vector<const ast::expr*> spine{&e};
        for (;;) {
            const ast::expr& left = *std::get<ast::binary>(spine.back()->node).lhs;
            const auto* lb = std::get_if<ast::binary>(&left.node);
            if (!lb || lb->op == ast::binop::in) break;
            spine.push_back(&left);
        }
        texpr acc = typecheck(*std::get<ast::binary>(spine.back()->node).lhs, s);
        for (auto it = spine.rbegin(); it != spine.rend(); ++it) {
            acc = combine(**it, std::get<ast::binary>((*it)->node), std::move(acc), s);
            acc.loc = (*it)->loc;
        }
        return acc;
    }

    // A binary operator (not `in`) over its checked left operand.
    texpr combine(const ast::expr& e, const ast::binary& b, texpr lhs, const scope& s) {
        using ast::binop;
        texpr rhs = typecheck(*b.rhs, s);
        if (lhs.t.kind == type_kind::error || rhs.t.kind == type_kind::error) return poisoned(e.loc);
        const char* symbol = ast::to_string(b.op);
        switch (b.op) {
            case binop::and_:
            case binop::or_: {
                for (const texpr* side : {&lhs, &rhs})
                    if (!side->t.is(type_kind::boolean)) {
                        error(side->loc, std::string("'") + symbol + "' needs true or false on both sides, not " +
                                             describe_expr(*side));
                        return poisoned(e.loc);
                    }
                return binary_node(b.op == binop::and_ ? op::and_ : op::or_, type::of(type_kind::boolean), e.loc,
                                   std::move(lhs), std::move(rhs));
            }
            case binop::eq: case binop::ne: case binop::lt: case binop::le: case binop::gt: case binop::ge: {
                if (!comparable(lhs, rhs, b.op, e.loc)) return poisoned(e.loc);
                warn_percent_scale(lhs, rhs);
                static const op ops[] = {op::eq, op::ne, op::lt, op::le, op::gt, op::ge};
                const op o = ops[static_cast<int>(b.op) - static_cast<int>(binop::eq)];
                return binary_node(o, type::of(type_kind::boolean), e.loc, std::move(lhs), std::move(rhs));
            }
            case binop::add: case binop::sub: case binop::mul: case binop::div:
                return arithmetic(e, b.op, std::move(lhs), std::move(rhs));
            case binop::in: break;
        }
        return poisoned(e.loc);
    }

    static texpr binary_node(op o, type t, span loc, texpr lhs, texpr rhs) {
        texpr out = make(o, std::move(t), loc);
        out.args.push_back(std::move(lhs));
        out.args.push_back(std::move(rhs));
        return out;
    }

    texpr arithmetic(const ast::expr& e, ast::binop o, texpr lhs, texpr rhs) {
        const type_kind x = lhs.t.kind, y = rhs.t.kind;
        const op code = o == ast::binop::add ? op::add : o == ast::binop::sub ? op::sub : o == ast::binop::mul ? op::mul : op::div;
        if (lhs.t.numeric() && rhs.t.numeric()) {
            const bool integral = x == type_kind::integer && y == type_kind::integer && o != ast::binop::div;
            return binary_node(code, type::of(integral ? type_kind::integer : type_kind::number), e.loc, std::move(lhs),
                               std::move(rhs));
        }
        if (o == ast::binop::add || o == ast::binop::sub) {
            if (x == type_kind::duration && y == type_kind::duration)
                return binary_node(code, type::of(type_kind::duration), e.loc, std::move(lhs), std::move(rhs));
            if (x == type_kind::date && y == type_kind::duration)
                return binary_node(code, type::of(type_kind::date), e.loc, std::move(lhs), std::move(rhs));
            if (x == type_kind::date && y == type_kind::date && o == ast::binop::sub)
                return binary_node(code, type::of(type_kind::duration), e.loc, std::move(lhs), std::move(rhs));
        }
        const texpr& bad = lhs.t.numeric() ? rhs : lhs;
        error(bad.loc, std::string("'") + ast::to_string(o) + "' needs numbers, not " + describe_expr(bad));
        return poisoned(e.loc);
    }

    texpr membership(const ast::expr& e, const ast::binary& b, const scope& s) {
        texpr lhs = typecheck(*b.lhs, s);
        texpr out = make(op::in, type::of(type_kind::boolean), e.loc);
        if (const auto* list = std::get_if<ast::list_lit>(&b.rhs->node)) {
            texpr items = make(op::list, type::of(type_kind::list), b.rhs->loc);
            items.text = syntax::to_short_source(*b.rhs);
            // The items go into one sorted set, not a typed expression each (model.hpp).
            auto members = std::make_shared<member_set>();
            bool ok = lhs.t.kind != type_kind::error;
            for (const auto& item : list->items) {
                texpr x = typecheck(item, s);
                if (x.t.kind == type_kind::error) {
                    ok = false;
                    continue;
                }
                if (x.o != op::literal) {
                    error(item.loc, "a list holds literal values");
                    ok = false;
                    continue;
                }
                if (ok && !comparable(lhs, x, ast::binop::eq, item.loc)) ok = false;
                members->add(x.value, x.t.kind);
            }
            if (!ok) return poisoned(e.loc);
            members->seal();
            items.members = std::move(members);
            items.t.element = lhs.t.kind;
            out.args.push_back(std::move(lhs));
            out.args.push_back(std::move(items));
            return out;
        }
        texpr rhs = typecheck(*b.rhs, s);
        if (lhs.t.kind == type_kind::error || rhs.t.kind == type_kind::error) return poisoned(e.loc);
        if (rhs.t.kind != type_kind::set) {
            error(b.rhs->loc, "'in' needs a list like [\"park\", \"square\"] or a set field on its right, not " +
                                  describe_expr(rhs));
            return poisoned(e.loc);
        }
        texpr element = make(op::literal, type::of(rhs.t.element), rhs.loc);
        element.t.kinds = rhs.t.kinds;
        if (!comparable(lhs, element, ast::binop::eq, e.loc)) return poisoned(e.loc);
        out.args.push_back(std::move(lhs));
        out.args.push_back(std::move(rhs));
        return out;
    }

    // `each ... where` is judged on the registry alone.
    bool registry_refuses(const ast::expr& e, const scope& s, const std::string& what) {
        if (!s.registry_only) return false;
        error(e.loc, "'each ... where' is judged on the registry (unit fields, 'is', units()); " + what +
                         " cannot stand there: put it in the requirement");
        return true;
    }

    texpr node(const ast::expr& e, const ast::aggregate& a, const scope& s) {
        using ast::aggregate_kind;
        if (s.event >= 0) {
            error(e.loc, std::string(ast::to_string(a.kind)) + "() cannot stand inside a predicate about one event");
            return poisoned(e.loc);
        }
        if (registry_refuses(e, s, std::string(ast::to_string(a.kind)) + "()")) return poisoned(e.loc);
        const int ev = lookup(event_index_, a.source.event, "event type", [&] { return ids_of(plan_.events); });
        texpr out = make(op::count, type::of(type_kind::integer), e.loc);
        static const op ops[] = {op::count, op::sum, op::distinct, op::min, op::max, op::gap, op::all, op::any, op::coverage};
        out.o = ops[static_cast<int>(a.kind)];
        out.event = ev;
        bool ok = ev >= 0;
        if (a.source.of_var) {
            if (a.kind == aggregate_kind::coverage) {
                // coverage counts entities under `within VAR`, whoever reported the event
                error(a.source.of_var->loc, "coverage takes no 'of': its entities are those under 'within VAR'");
                ok = false;
            } else {
                out.slot = var_slot(*a.source.of_var, s);
                out.scoped = out.slot >= 0;
                if (out.scoped) out.scope_kinds = s.find(a.source.of_var->text)->kinds;
                ok = ok && out.scoped;
            }
        }
        const char* name = ast::to_string(a.kind);
        const bool wants_field = a.kind == aggregate_kind::sum || a.kind == aggregate_kind::distinct ||
                                 a.kind == aggregate_kind::min || a.kind == aggregate_kind::max ||
                                 a.kind == aggregate_kind::coverage;
        const field* f = nullptr;
        if (ok) {
            const auto& type_decl = plan_.events[static_cast<std::size_t>(ev)];
            if (a.source.field && !wants_field) {
                error(a.source.field->loc, std::string(name) + " counts events: write " + name + "(" + type_decl.id +
                                               " ...) without '." + a.source.field->text + "'");
                ok = false;
            } else if (!a.source.field && wants_field) {
                error(a.source.event.loc, std::string(name) + " needs a field: write " + name + "(" + type_decl.id + ".FIELD ...)");
                ok = false;
            } else if (a.source.field) {
                const int fi = type_decl.find_field(a.source.field->text);
                if (fi < 0) {
                    error(a.source.field->loc, "event type '" + type_decl.id + "' has no field '" + a.source.field->text +
                                                   "'" + suggestion(a.source.field->text, [&] { return ids_of(type_decl.fields); }));
                    ok = false;
                } else {
                    out.field = fi;
                    f = &type_decl.fields[static_cast<std::size_t>(fi)];
                }
            }
        }
        if (ok && f) {
            const type& ft = f->t;
            switch (a.kind) {
                case aggregate_kind::sum:
                    if (!ft.numeric()) {
                        error(a.source.field->loc, "sum needs a numeric field; '" + f->id + "' is " + describe(ft));
                        ok = false;
                    } else {
                        out.t = type::of(ft.kind);
                    }
                    break;
                case aggregate_kind::min:
                case aggregate_kind::max:
                    if (!ft.numeric() && !ft.is(type_kind::date)) {
                        error(a.source.field->loc,
                              std::string(name) + " needs a numeric or date field; '" + f->id + "' is " + describe(ft));
                        ok = false;
                    } else {
                        out.t = type::of(ft.kind);
                    }
                    break;
                case aggregate_kind::coverage: {
                    const bool refs = ft.is(type_kind::ref) || (ft.is(type_kind::set) && ft.element == type_kind::ref);
                    if (!refs) {
                        error(a.source.field->loc, "coverage needs a ref field (or a set of refs); '" + f->id + "' is " +
                                                       describe(ft));
                        ok = false;
                    }
                    out.t = type::of(type_kind::number);
                    break;
                }
                default: break;  // distinct counts any field
            }
        }
        if (a.kind == aggregate_kind::gap) out.t = type::of(type_kind::duration);
        if (a.kind == aggregate_kind::all || a.kind == aggregate_kind::any) out.t = type::of(type_kind::boolean);
        if (a.kind == aggregate_kind::coverage) {
            out.t = type::of(type_kind::number);
            out.kinds = lookup_kinds(a.kinds);
            if (out.kinds.size() != a.kinds.size()) ok = false;
            if (a.within_var) {
                out.within_slot = var_slot(*a.within_var, s);
                if (out.within_slot < 0) ok = false;
            }
            if (ok && f && !f->t.kinds.empty()) {
                bool overlap = false;
                for (int k : out.kinds)
                    if (std::find(f->t.kinds.begin(), f->t.kinds.end(), k) != f->t.kinds.end()) overlap = true;
                if (!overlap) {
                    std::string named, wanted;
                    for (std::size_t i = 0; i < f->t.kinds.size(); ++i)
                        named += (i ? " | " : "") + plan_.kinds[static_cast<std::size_t>(f->t.kinds[i])].id;
                    for (std::size_t i = 0; i < out.kinds.size(); ++i)
                        wanted += (i ? " | " : "") + plan_.kinds[static_cast<std::size_t>(out.kinds[i])].id;
                    error(e.loc, "field '" + f->id + "' names " + named + ", never " + wanted +
                                     ": this coverage could never count anything");
                    ok = false;
                }
            }
        }
        if (ev >= 0 && a.source.where) {
            scope inner = s;
            inner.event = ev;
            texpr w = named(**a.source.where, inner);
            if (w.t.kind != type_kind::error && !w.t.is(type_kind::boolean)) {
                error((*a.source.where)->loc, "a where predicate must be true or false, not " + describe_expr(w));
                ok = false;
            }
            if (w.t.kind == type_kind::error) ok = false;
            out.where_arg = static_cast<int>(out.args.size());
            out.args.push_back(std::move(w));
        }
        if (ev >= 0 && a.predicate) {
            scope inner = s;
            inner.event = ev;
            texpr p = named(**a.predicate, inner);
            if (p.t.kind != type_kind::error && !p.t.is(type_kind::boolean)) {
                error((*a.predicate)->loc, std::string(name) + " needs a predicate that is true or false, not " + describe_expr(p));
                ok = false;
            }
            if (p.t.kind == type_kind::error) ok = false;
            out.pred_arg = static_cast<int>(out.args.size());
            out.args.push_back(std::move(p));
        }
        if (!ok) return poisoned(e.loc);
        return out;
    }

    texpr node(const ast::expr& e, const ast::streak& st, const scope& s) {
        if (s.event >= 0) {
            error(e.loc, "streak() cannot stand inside a predicate about one event");
            return poisoned(e.loc);
        }
        if (registry_refuses(e, s, "streak()")) return poisoned(e.loc);
        texpr body = typecheck(*st.body, s);
        if (body.t.kind == type_kind::error) return poisoned(e.loc);
        if (!body.t.is(type_kind::boolean)) {
            error(st.body->loc, "streak counts periods in which a condition holds; this is " + describe_expr(body));
            return poisoned(e.loc);
        }
        if (st.per.count < 1) {
            error(st.per.loc, "a period needs a count of at least 1");
            return poisoned(e.loc);
        }
        if (st.per.count > max_duration_count) {
            error(st.per.loc, "a period of more than 100000 days or weeks");
            return poisoned(e.loc);
        }
        if (s.owner) {
            // A streak cuts each bucket, and a bucket may reach beyond the window: back to a
            // `cumulative from` date, or on to a `by` deadline after the window's end.
            const rule& r = *s.owner;
            day from = r.window_from, to = r.window_to;
            if (r.schedule == schedule_kind::every && r.cumulative) from = std::min(from, r.cumulative_from);
            if (r.schedule == schedule_kind::by) to = std::max(to, r.by);
            check_bucket_count(from, to, st.per, st.per.loc, "this streak", "a bucket");
        }
        texpr out = make(op::streak, type::of(type_kind::integer), e.loc);
        out.per = to_period(st.per);
        out.args.push_back(std::move(body));
        return out;
    }

    // peak(D, AGG), earlier(D, AGG) (LANGUAGE-v2.md section 7).
    texpr node(const ast::expr& e, const ast::window_call& w, const scope& s) {
        const bool peak = w.kind == ast::window_kind::peak;
        const std::string name = peak ? "peak()" : "earlier()";
        if (s.event >= 0) {
            error(e.loc, name + " cannot stand inside a predicate about one event");
            return poisoned(e.loc);
        }
        if (registry_refuses(e, s, name)) return poisoned(e.loc);
        texpr body = typecheck(*w.body, s);
        if (body.t.kind == type_kind::error) return poisoned(e.loc);
        const bool fits = peak ? (body.o == op::count || body.o == op::sum || body.o == op::distinct)
                               : (body.o == op::count || body.o == op::sum || body.o == op::distinct || body.o == op::min ||
                                  body.o == op::max);
        if (!fits) {
            error(w.body->loc, name + (peak ? " takes count(), sum() or distinct() of events"
                                            : " takes count(), sum(), distinct(), min() or max() of events") +
                                   ", not " + syntax::to_short_source(*w.body));
            return poisoned(e.loc);
        }
        if (w.length.count < 1) {
            error(w.length.loc, name + " needs a length of at least 1");
            return poisoned(e.loc);
        }
        const bool days = w.length.unit == ast::time_unit::day || w.length.unit == ast::time_unit::week;
        const bool months = w.length.unit == ast::time_unit::month || w.length.unit == ast::time_unit::year;
        if (peak ? !days : !(days || months)) {
            error(w.length.loc, name + (peak ? " runs over days or weeks" : " moves back by days, weeks, months or years") +
                                    ", not " + ast::to_string(w.length.unit, true));
            return poisoned(e.loc);
        }
        texpr out = make(peak ? op::peak : op::earlier, body.t, e.loc);
        out.value.length = bounded(w.length, w.length.loc);
        out.args.push_back(std::move(body));
        return out;
    }

    texpr node(const ast::expr& e, const ast::violations& v, const scope& s) {
        const std::string name = v.distinct ? "violated_obligations()" : "violations()";
        if (s.event >= 0) {
            error(e.loc, name + " cannot stand inside a predicate about one event");
            return poisoned(e.loc);
        }
        if (registry_refuses(e, s, name)) return poisoned(e.loc);
        texpr out = make(op::violations, type::of(type_kind::integer), e.loc);
        out.slot = var_slot(v.of_var, s);
        out.within = v.within;
        out.distinct = v.distinct;
        bool ok = out.slot >= 0;
        for (const auto& n : v.obligations) {
            auto it = obligation_index_.find(n.text);
            if (it == obligation_index_.end()) {
                if (outcome_index_.count(n.text))
                    error(n.loc, "'" + n.text + "' is an outcome; violations() counts obligation buckets");
                else
                    error(n.loc, "unknown obligation '" + n.text + "'" + suggestion(n.text, [&] { return obligation_ids(); }));
                ok = false;
            } else {
                out.rules.push_back(it->second);
            }
        }
        out.all_obligations = v.obligations.empty();
        if (!ok) return poisoned(e.loc);
        return out;
    }

    texpr node(const ast::expr& e, const ast::fired& f, const scope& s) {
        if (s.event >= 0) {
            error(e.loc, "fired() cannot stand inside a predicate about one event");
            return poisoned(e.loc);
        }
        if (registry_refuses(e, s, "fired()")) return poisoned(e.loc);
        texpr out = make(op::fired, type::of(type_kind::boolean), e.loc);
        out.slot = var_slot(f.of_var, s);
        bool ok = out.slot >= 0;
        auto it = outcome_index_.find(f.outcome.text);
        if (it == outcome_index_.end()) {
            if (obligation_index_.count(f.outcome.text))
                error(f.outcome.loc, "'" + f.outcome.text + "' is an obligation; fired() names an outcome");
            else
                error(f.outcome.loc, "unknown outcome '" + f.outcome.text + "'" + suggestion(f.outcome.text, [&] { return outcome_ids(); }));
            ok = false;
        } else {
            out.rules.push_back(it->second);
        }
        if (!ok) return poisoned(e.loc);
        return out;
    }

    // ---------------------------------------------------------------- units (LANGUAGE-v2.md 1-3)

    // The unit an `X.FIELD` or `X is KIND` reads: a unit variable (`it` too), or, inside a
    // where predicate, the event's `unit` or one of its ref fields. Typed as a ref to the kinds
    // it may name (empty: any).
    std::optional<texpr> unit_operand(const ast::expr& x, const scope& s, const char* form) {
        if (const auto* n = std::get_if<ast::name_ref>(&x.node)) {
            if (const bound_var* b = s.find(n->text)) {
                if (s.event >= 0 && b->slot != 0) {
                    error(x.loc, "inside a where predicate only the rule's unit variable '" + s.owner->var +
                                     "' may be named; '" + n->text + "' is bound by a quantifier");
                    return std::nullopt;
                }
                texpr out = make(op::var, type::of(type_kind::ref), x.loc);
                out.t.kinds = b->kinds;
                out.slot = b->slot;
                out.text = n->text;
                return out;
            }
            if (s.event < 0) {
                error(x.loc, "unknown unit variable '" + n->text + "'" +
                                 (s.vars.empty() ? std::string(": the rule needs 'each " + n->text + ": KIND'")
                                                 : "; in scope: " + [&] {
                                                       std::string k;
                                                       for (std::size_t i = 0; i < s.vars.size(); ++i) k += (i ? ", " : "") + s.vars[i].name;
                                                       return k;
                                                   }()));
                return std::nullopt;
            }
        }
        texpr t = typecheck(x, s);
        if (t.t.kind == type_kind::error) return std::nullopt;
        if (!t.t.is(type_kind::ref)) {
            error(x.loc, std::string(form) + " needs a unit (a unit variable, 'unit' or a ref field), not " + describe_expr(t));
            return std::nullopt;
        }
        return t;
    }

    std::string kinds_text(const std::vector<int>& kinds) const {
        std::string out;
        for (std::size_t i = 0; i < kinds.size(); ++i) out += (i ? " | " : "") + plan_.kinds[static_cast<std::size_t>(kinds[i])].id;
        return out;
    }

    texpr node(const ast::expr& e, const ast::member& m, const scope& s) {
        ast::expr object;
        object.loc = m.object.loc;
        object.node = ast::name_ref{m.object.text};
        auto unit = unit_operand(object, s, "'.FIELD'");
        if (!unit) return poisoned(e.loc);
        // The kinds the unit may be of; any kind for `unit` (a ref to any kind).
        std::vector<int> kinds = unit->t.kinds;
        if (kinds.empty())
            for (std::size_t k = 0; k < plan_.kinds.size(); ++k) kinds.push_back(static_cast<int>(k));
        texpr out = make(op::unit_field, type::of(type_kind::error), e.loc);
        out.kind_fields.assign(plan_.kinds.size(), -1);
        const field* first = nullptr;
        for (const int k : kinds) {
            const kind& kd = plan_.kinds[static_cast<std::size_t>(k)];
            const int f = kd.find_field(m.field.text);
            if (f < 0) continue;
            const field& fd = kd.fields[static_cast<std::size_t>(f)];
            if (first && first->t.kind != fd.t.kind) {
                error(m.field.loc, "field '" + m.field.text + "' is " + describe(first->t) + " for one kind and " +
                                       describe(fd.t) + " for kind '" + kd.id + "': '" + m.object.text + "." + m.field.text +
                                       "' would have no one type");
                return poisoned(e.loc);
            }
            if (!first) first = &fd;
            out.kind_fields[static_cast<std::size_t>(k)] = f;
        }
        if (!first) {
            std::vector<std::string> names;
            for (const int k : kinds)
                for (const auto& fd : plan_.kinds[static_cast<std::size_t>(k)].fields) names.push_back(fd.id);
            error(m.field.loc, "no kind '" + m.object.text + "' may be (" + kinds_text(unit->t.kinds.empty() ? kinds : unit->t.kinds) +
                                   ") declares a field '" + m.field.text + "'" +
                                   (names.empty() ? std::string(": declare it as 'kind K { " + m.field.text + ": TYPE }'")
                                                  : suggestion(m.field.text, [&] { return names; })));
            return poisoned(e.loc);
        }
        out.t = first->t;
        out.args.push_back(std::move(*unit));
        return out;
    }

    texpr node(const ast::expr& e, const ast::is_kind& k, const scope& s) {
        auto unit = unit_operand(*k.operand, s, "'is'");
        std::vector<int> kinds = lookup_kinds(k.kinds);
        if (!unit || kinds.size() != k.kinds.size()) return poisoned(e.loc);
        texpr out = make(op::is_kind, type::of(type_kind::boolean), e.loc);
        out.kinds = kinds;
        std::sort(out.kinds.begin(), out.kinds.end());
        out.args.push_back(std::move(*unit));
        return out;
    }

    // A variable bound inside an expression: not one already in scope, and not too deep.
    bool bindable(const ast::name& v, const scope& s) {
        if (s.find(v.text)) {
            error(v.loc, "'" + v.text + "' is already a unit variable here; name this one otherwise");
            return false;
        }
        if (s.next_slot() >= max_unit_slots) {
            error(v.loc, "quantifiers nested too deeply (at most " + std::to_string(max_unit_slots - 1) + " inside a rule)");
            return false;
        }
        return true;
    }

    texpr node(const ast::expr& e, const ast::units_call& u, const scope& s) {
        const char* name = u.form == ast::units_form::all ? "all_units()" : u.form == ast::units_form::any ? "any_unit()" : "units()";
        if (s.event >= 0) {
            error(e.loc, std::string(name) + " cannot stand inside a predicate about one event");
            return poisoned(e.loc);
        }
        const op o = u.form == ast::units_form::all ? op::all_units : u.form == ast::units_form::any ? op::any_unit : op::units;
        texpr out = make(o, type::of(u.form == ast::units_form::count ? type_kind::integer : type_kind::boolean), e.loc);
        out.kinds = lookup_kinds(u.kinds);
        bool ok = out.kinds.size() == u.kinds.size();
        std::sort(out.kinds.begin(), out.kinds.end());
        out.within_slot = var_slot(u.within_var, s);
        if (out.within_slot < 0) ok = false;
        // The predicate is judged per entity: `o` (or `it`) is bound to it.
        const ast::name bound = u.var ? *u.var : ast::name{u.within_var.loc, "it"};
        if (u.predicate) {
            if (!bindable(bound, s)) return poisoned(e.loc);
            scope inner = s;
            inner.vars.push_back(bound_var{bound.text, s.next_slot(), out.kinds});
            out.slot = inner.vars.back().slot;
            texpr p = named(**u.predicate, inner);
            if (p.t.kind == type_kind::error) ok = false;
            else if (!p.t.is(type_kind::boolean)) {
                error((*u.predicate)->loc, std::string(name) + " needs a predicate that is true or false, not " + describe_expr(p));
                ok = false;
            }
            out.args.push_back(std::move(p));
        }
        if (!ok) return poisoned(e.loc);
        return out;
    }

    texpr node(const ast::expr& e, const ast::rank& r, const scope& s) {
        if (s.event >= 0) {
            error(e.loc, "rank() cannot stand inside a predicate about one event");
            return poisoned(e.loc);
        }
        if (registry_refuses(e, s, "rank()")) return poisoned(e.loc);
        if (!s.owner || s.owner->var.empty()) {
            error(e.loc, "rank() ranks the unit of an 'each': this rule has no 'each'");
            return poisoned(e.loc);
        }
        if (r.var.text != s.owner->var) {
            error(r.var.loc, "rank() ranks the rule's own unit variable '" + s.owner->var + "', not '" + r.var.text + "'");
            return poisoned(e.loc);
        }
        if (s.in_rank) {
            error(e.loc, "rank() cannot stand inside another rank()'s value");
            return poisoned(e.loc);
        }
        texpr out = make(op::rank, type::of(type_kind::integer), e.loc);
        out.kinds = lookup_kinds(r.kinds);
        bool ok = out.kinds.size() == r.kinds.size();
        std::sort(out.kinds.begin(), out.kinds.end());
        out.ascending = r.ascending;
        if (r.within_var) {
            out.within_slot = var_slot(*r.within_var, s);
            if (out.within_slot < 0) ok = false;
            else if (out.within_slot == 0) {
                error(r.within_var->loc, "rank() among the units under '" + r.within_var->text +
                                             "' would rank the unit among its own children; name another variable");
                ok = false;
            }
        }
        // EXPR is evaluated for each unit ranked: the variable ranges over those kinds.
        scope inner = s;
        inner.in_rank = true;
        inner.vars[0].kinds = out.kinds;
        texpr by = named(*r.by, inner);
        if (by.t.kind == type_kind::error) ok = false;
        else if (!by.t.numeric() && !by.t.is(type_kind::duration) && !by.t.is(type_kind::date)) {
            error(r.by->loc, "rank() orders by a number, a duration or a date, not " + describe_expr(by));
            ok = false;
        }
        out.args.push_back(std::move(by));
        if (!ok) return poisoned(e.loc);
        return out;
    }

    // ---------------------------------------------------------------- dependencies

    static void collect_reads(const texpr& e, std::vector<const texpr*>& out) {
        if (e.o == op::violations || e.o == op::fired) out.push_back(&e);
        for (const auto& a : e.args) collect_reads(a, out);
    }

    // An outcome fires for its units and triggers an obligation with `each` for the same unit,
    // so their kinds must meet (an outcome without `each` triggers every instance). Checked once
    // every rule's kinds are known: the outcome may be declared after the obligation.
    void check_trigger_kinds() {
        for (std::size_t r = 0; r < plan_.rules.size(); ++r) {
            const rule& x = plan_.rules[r];
            if (!x.trig.outcome || x.trig.target < 0 || x.var.empty()) continue;
            const rule& source = plan_.rules[static_cast<std::size_t>(x.trig.target)];
            if (source.var.empty() || x.unit_kinds.empty() || source.unit_kinds.empty()) continue;
            bool meet = false;
            for (int k : x.unit_kinds)
                if (std::find(source.unit_kinds.begin(), source.unit_kinds.end(), k) != source.unit_kinds.end()) meet = true;
            if (meet) continue;
            for (const auto& c : rule_decls_[r]->clauses)
                if (const auto* t = std::get_if<ast::trigger_clause>(&c))
                    error(t->target.loc, "outcome '" + source.id +
                                             "' fires for units of other kinds than this obligation's: it could never trigger it");
        }
    }

    void resolve_dependencies() {
        check_trigger_kinds();
        const std::size_t n = plan_.rules.size();
        // depends[r]: rules r depends on, with the reason, for cycle messages.
        std::vector<std::vector<std::pair<int, std::string>>> depends(n);
        std::vector<std::vector<texpr*>> unnamed(n);
        for (std::size_t r = 0; r < n; ++r) {
            rule& x = plan_.rules[r];
            if ((x.schedule == schedule_kind::after || x.schedule == schedule_kind::before) && x.trig.outcome &&
                x.trig.target >= 0)
                depends[r].emplace_back(x.trig.target, "is triggered by");
            std::vector<const texpr*> reads;
            collect_reads(x.condition, reads);
            for (const texpr* e : reads) {
                if (e->all_obligations) {
                    unnamed[r].push_back(const_cast<texpr*>(e));
                    continue;
                }
                for (int q : e->rules) depends[r].emplace_back(q, "reads");
            }
        }
        // An unnamed violations(of VAR) reads every obligation that does not depend on its own
        // rule. To stay acyclic whatever the others read, the other unnamed readers are taken to
        // read every obligation when computing what depends on a rule.
        std::vector<bool> is_unnamed(n);
        std::vector<int> unnamed_readers;
        for (std::size_t r = 0; r < n; ++r) {
            is_unnamed[r] = !unnamed[r].empty();
            if (is_unnamed[r]) unnamed_readers.push_back(static_cast<int>(r));
        }
        // dependents[q]: the rules that depend on q through an explicit edge.
        std::vector<std::vector<int>> dependents(n);
        for (std::size_t t = 0; t < n; ++t)
            for (const auto& dep : depends[t]) dependents[static_cast<std::size_t>(dep.first)].push_back(static_cast<int>(t));
        for (int r : unnamed_readers) {
            // Everything that depends on r, reading the other unnamed readers as depending on
            // every obligation. Linear in rules and edges.
            std::vector<bool> downstream(n, false);
            std::vector<int> stack{r};
            downstream[static_cast<std::size_t>(r)] = true;
            bool readers_added = false;
            while (!stack.empty()) {
                const int q = stack.back();
                stack.pop_back();
                for (int t : dependents[static_cast<std::size_t>(q)])
                    if (!downstream[static_cast<std::size_t>(t)]) {
                        downstream[static_cast<std::size_t>(t)] = true;
                        stack.push_back(t);
                    }
                if (!readers_added && !plan_.rules[static_cast<std::size_t>(q)].outcome) {
                    readers_added = true;
                    for (int t : unnamed_readers)
                        if (t != r && !downstream[static_cast<std::size_t>(t)]) {
                            downstream[static_cast<std::size_t>(t)] = true;
                            stack.push_back(t);
                        }
                }
            }
            std::vector<int> reads;
            for (std::size_t q = 0; q < n; ++q)
                if (!plan_.rules[q].outcome && !downstream[q]) reads.push_back(static_cast<int>(q));
            for (texpr* e : unnamed[static_cast<std::size_t>(r)]) e->rules = reads;
            for (int q : reads) depends[static_cast<std::size_t>(r)].emplace_back(q, "reads");
        }
        for (std::size_t r = 0; r < n; ++r) {
            std::set<int> reads, within, anywhere;
            // Verdicts read of other units than the rule's own: `within`, or of a unit a
            // quantifier binds (under the rule's), or inside rank() (of every unit ranked).
            auto walk = [&](const texpr& e, bool in_rank, auto&& self) -> void {
                if (e.o == op::violations || e.o == op::fired) {
                    reads.insert(e.rules.begin(), e.rules.end());
                    if (in_rank) anywhere.insert(e.rules.begin(), e.rules.end());
                    else if (e.within || e.slot > 0) within.insert(e.rules.begin(), e.rules.end());
                }
                for (const auto& a : e.args) self(a, in_rank || e.o == op::rank, self);
            };
            walk(plan_.rules[r].condition, false, walk);
            plan_.rules[r].reads.assign(reads.begin(), reads.end());
            plan_.rules[r].reads_within.assign(within.begin(), within.end());
            plan_.rules[r].reads_anywhere.assign(anywhere.begin(), anywhere.end());
        }
        // Cycles, then a dependency order that keeps file order where it is free.
        std::vector<int> state(n, 0);  // 0 new, 1 on stack, 2 done
        std::vector<int> path;
        bool cyclic = false;
        std::function<void(int)> visit = [&](int r) {
            if (cyclic) return;
            state[static_cast<std::size_t>(r)] = 1;
            path.push_back(r);
            for (const auto& [q, why] : depends[static_cast<std::size_t>(r)]) {
                if (state[static_cast<std::size_t>(q)] == 1) {
                    cyclic = true;
                    auto named = [&](int x) {
                        const rule& rr = plan_.rules[static_cast<std::size_t>(x)];
                        return std::string(rr.outcome ? "outcome '" : "obligation '") + rr.id + "'";
                    };
                    std::string message = "a cycle: ";
                    auto it = std::find(path.begin(), path.end(), q);
                    std::vector<int> ring(it, path.end());
                    for (std::size_t i = 0; i < ring.size(); ++i) {
                        const int a = ring[i];
                        const int b = i + 1 < ring.size() ? ring[i + 1] : q;
                        std::string reason = "depends on";
                        for (const auto& d : depends[static_cast<std::size_t>(a)])
                            if (d.first == b) reason = d.second;
                        message += (i ? ", and " : "") + named(a) + " " + reason + " " + named(b);
                    }
                    error(rule_decls_[static_cast<std::size_t>(q)]->id.loc, message);
                    return;
                }
                if (state[static_cast<std::size_t>(q)] == 0) visit(q);
                if (cyclic) return;
            }
            path.pop_back();
            state[static_cast<std::size_t>(r)] = 2;
            plan_.order.push_back(r);
        };
        for (std::size_t r = 0; r < n && !cyclic; ++r)
            if (state[r] == 0) visit(static_cast<int>(r));
    }

    const ast::file& file_;
    const source_file& source_;
    const limits& limits_;
    bool depth_reported_ = false;
    std::vector<diagnostic> diagnostics_;
    bool want_warnings_ = false;
    std::vector<named_warning> warnings_;
    std::set<int> kind_used_, event_used_;  // kinds and event types some name refers to
    plan plan_;
    std::unordered_map<std::string, int> phase_index_, kind_index_, event_index_, obligation_index_, outcome_index_,
        calendar_index_;
    std::vector<const ast::phase_decl*> phase_decls_;
    std::vector<const ast::calendar_decl*> calendar_decls_;
    const ast::name* calendar_name_ = nullptr;  // the plan's `calendar NAME`
    std::vector<const ast::kind_decl*> kind_decls_;
    std::vector<const ast::event_decl*> event_decls_;
    std::vector<const ast::rule_decl*> rule_decls_;
    std::vector<bool> phase_ok_;
};

bool is_constant(const texpr& e) {
    // A field of the rule's own unit stands for its bucket (LANGUAGE-v2.md section 1).
    if (e.o == op::unit_field) return e.args[0].o == op::var && e.args[0].slot == 0;
    if (e.o == op::field || e.o == op::var || is_aggregate(e.o) || e.o == op::streak || e.o == op::violations ||
        e.o == op::fired || e.o == op::is_kind || e.o == op::units || e.o == op::all_units || e.o == op::any_unit ||
        e.o == op::rank || e.o == op::peak || e.o == op::earlier)
        return false;
    for (const auto& a : e.args)
        if (!is_constant(a)) return false;
    return true;
}

}  // namespace

std::string did_you_mean(const std::string& wrong, const std::vector<std::string>& known) {
    const std::string best = detail::closest_word(wrong, known);
    return best.empty() ? "" : ", did you mean '" + best + "'?";
}

std::string describe(const type& t) {
    switch (t.kind) {
        case type_kind::error: return "an error";
        case type_kind::boolean: return "true or false";
        case type_kind::integer: return "an int";
        case type_kind::number: return "a number";
        case type_kind::text: return "a text";
        case type_kind::date: return "a date";
        case type_kind::duration: return "a duration";
        case type_kind::ref: return "a ref";
        case type_kind::set: {
            type element = type::of(t.element);
            std::string d = describe(element);
            const auto space = d.find(' ');
            return "a set<" + (element.kind == type_kind::boolean ? std::string("bool") : d.substr(space + 1)) + ">";
        }
        case type_kind::list: return "a list";
    }
    return "?";
}

int event_type::find_field(std::string_view name) const {
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].id == name) return static_cast<int>(i);
    return -1;
}

namespace {
template <class T>
int find_by_id(const std::vector<T>& items, std::string_view id) {
    for (std::size_t i = 0; i < items.size(); ++i)
        if (items[i].id == id) return static_cast<int>(i);
    return -1;
}
}  // namespace

int plan::find_kind(std::string_view id) const { return find_by_id(kinds, id); }
int kind::find_field(std::string_view name) const { return find_by_id(fields, name); }
bool is_entity_key(std::string_view name) {
    for (const char* k : {"entity", "kind", "parent", "name", "since", "until", "version"})
        if (name == k) return true;
    return false;
}
int plan::find_event(std::string_view id) const { return find_by_id(events, id); }
int plan::find_rule(std::string_view id) const {
    const int obligation = find_obligation(id);
    return obligation >= 0 ? obligation : find_outcome(id);
}
int plan::find_obligation(std::string_view id) const {
    for (std::size_t i = 0; i < rules.size(); ++i)
        if (!rules[i].outcome && rules[i].id == id) return static_cast<int>(i);
    return -1;
}
int plan::find_outcome(std::string_view id) const {
    for (std::size_t i = 0; i < rules.size(); ++i)
        if (rules[i].outcome && rules[i].id == id) return static_cast<int>(i);
    return -1;
}
int plan::find_phase(std::string_view id) const { return find_by_id(phases, id); }

bool is_aggregate(op o) {
    switch (o) {
        case op::count: case op::sum: case op::distinct: case op::min: case op::max: case op::gap: case op::all:
        case op::any: case op::coverage: return true;
        default: return false;
    }
}

const char* operator_text(op o) {
    switch (o) {
        case op::not_: return "not";
        case op::neg: return "-";
        case op::add: return "+";
        case op::sub: return "-";
        case op::mul: return "*";
        case op::div: return "/";
        case op::eq: return "==";
        case op::ne: return "!=";
        case op::lt: return "<";
        case op::le: return "<=";
        case op::gt: return ">";
        case op::ge: return ">=";
        case op::in: return "in";
        case op::and_: return "and";
        case op::or_: return "or";
        default: return nullptr;
    }
}

bool is_comparison(op o) {
    switch (o) {
        case op::eq: case op::ne: case op::lt: case op::le: case op::gt: case op::ge: return true;
        default: return false;
    }
}

const char* to_string(monotonicity m) {
    switch (m) {
        case monotonicity::none: return "none";
        case monotonicity::monotone: return "monotone";
        case monotonicity::anti_monotone: return "anti-monotone";
    }
    return "?";
}

monotonicity classify(const texpr& e) {
    switch (e.o) {
        case op::any: return monotonicity::monotone;
        case op::all: return monotonicity::anti_monotone;
        case op::and_:
        case op::or_: {
            const monotonicity a = classify(e.args[0]), b = classify(e.args[1]);
            return a == b ? a : monotonicity::none;
        }
        case op::ge: case op::gt: case op::le: case op::lt: case op::eq: {
            // A constant on the left reads as its mirror: `1 <= count(..)` is `count(..) >= 1`.
            const bool mirrored = is_constant(e.args[0]) && (e.args[1].o == op::count || e.args[1].o == op::distinct);
            const texpr& lhs = mirrored ? e.args[1] : e.args[0];
            const texpr& rhs = mirrored ? e.args[0] : e.args[1];
            op o = e.o;
            if (mirrored) o = o == op::ge ? op::le : o == op::gt ? op::lt : o == op::le ? op::ge : o == op::lt ? op::gt : o;
            if ((lhs.o != op::count && lhs.o != op::distinct) || !is_constant(rhs)) return monotonicity::none;
            if (o == op::ge || o == op::gt) return monotonicity::monotone;
            if (o == op::le || o == op::lt) return monotonicity::anti_monotone;
            // `== 0`: only the literal zero (possibly written 0.0) qualifies.
            if (rhs.o == op::literal && rhs.value.number == rational(0)) return monotonicity::anti_monotone;
            return monotonicity::none;
        }
        default: return monotonicity::none;
    }
}

monotonicity earlier_verdict(const texpr& e) {
    if (e.o != op::lt && e.o != op::le && e.o != op::ge && e.o != op::gt) return monotonicity::none;
    if (!is_constant(e.args[1])) return monotonicity::none;
    // A run of days without the event only grows as T passes (events after T cannot shorten it).
    if (e.args[0].o == op::gap && (e.o == op::lt || e.o == op::le)) return monotonicity::anti_monotone;
    // Closed sub-buckets that held stay held.
    if (e.args[0].o == op::streak && (e.o == op::ge || e.o == op::gt)) return monotonicity::monotone;
    return monotonicity::none;
}

std::optional<std::string> date_problem(const ast::date_lit& d) {
    if (d.year < calendar::min_year || d.year > calendar::max_year)
        return syntax::to_source(d) + " is not a supported date: years run from " + std::to_string(calendar::min_year) + " to " +
               std::to_string(calendar::max_year);
    if (d.month < 1 || d.month > 12) return syntax::to_source(d) + " is not a date: there is no month " + std::to_string(d.month);
    const int days = calendar::days_in_month(d.year, d.month);
    if (d.day < 1 || d.day > days)
        return syntax::to_source(d) + " is not a date: " + month_names[d.month - 1] + " " + std::to_string(d.year) + " has " +
               std::to_string(days) + " days";
    return std::nullopt;
}

result<plan> check(const ast::file& file, const source_file& source, const limits& l) {
    suggestions_left = 50;
    checker c(file, source, l);
    return c.run();
}


namespace {

// The diagnostics of a file that did not parse: the parser's, and the checker's on what did
// parse, to report every error in one run. A name declared in a declaration that did not parse
// is missing, so errors saying it is unknown are dropped, and those that follow from a broken
// plan or phase; every other one is kept.
std::vector<diagnostic> errors_after_parse_error(syntax::parse_output& parsed, const source_file& source, const limits& l) {
    auto checked = check(parsed.file, source, l);
    std::set<std::string> broken_names;
    bool broken_plan = false, broken_phase = false;
    for (const auto& b : parsed.broken) {
        if (!b.name.empty()) broken_names.insert(b.name);
        broken_plan = broken_plan || b.keyword == "plan";
        broken_phase = broken_phase || b.keyword == "phase" || b.keyword == "calendar" || b.keyword.empty();
    }
    auto follows_from_broken = [&](const std::string& m) {
        if (m.rfind("unknown ", 0) == 0) {
            const std::size_t open = m.find('\'');
            const std::size_t close = open == std::string::npos ? open : m.find('\'', open + 1);
            return close == std::string::npos || broken_names.count(m.substr(open + 1, close - open - 1)) > 0 ||
                   (broken_plan && m.rfind("unknown plan", 0) == 0);
        }
        // A file with a parse error may be a fragment, or its plan block out of place.
        if (m.rfind("no plan block", 0) == 0) return true;
        if (m.find("has no window") != std::string::npos) return broken_phase || broken_plan;
        return false;
    };
    std::vector<diagnostic> all = std::move(parsed.diagnostics);
    for (const auto& d : checked.diagnostics())
        if (!follows_from_broken(d.message)) all.push_back(d);
    std::stable_sort(all.begin(), all.end(), [](const diagnostic& a, const diagnostic& b) { return a.where.begin < b.where.begin; });
    return all;
}

}  // namespace

result<plan> load(const source_file& source, const limits& l) {
    auto parsed = syntax::parse(source, l);
    if (!parsed.ok()) return result<plan>(errors_after_parse_error(parsed, source, l));
    return check(parsed.file, source, l);
}

namespace {

// `# lint: allow NAME[, NAME...]` on the warning's line or the line above it.
bool allowed_by_comment(const diagnostic& w, const std::string& name, const std::vector<ast::comment>& comments,
                        const source_file& source) {
    for (const auto& c : comments) {
        const std::uint32_t line = source.position_of(c.loc.begin).line;
        if (line != w.pos.line && line + 1 != w.pos.line) continue;
        const std::size_t at = c.text.find("lint: allow");
        if (at == std::string::npos) continue;
        const std::string rest = c.text.substr(at + 11);
        for (std::size_t i = 0; i < rest.size();) {
            while (i < rest.size() && (rest[i] == ' ' || rest[i] == ',' || rest[i] == '\t')) ++i;
            std::size_t j = i;
            while (j < rest.size() && rest[j] != ' ' && rest[j] != ',' && rest[j] != '\t') ++j;
            if (j > i && rest.compare(i, j - i, name) == 0) return true;
            i = j;
        }
    }
    return false;
}

}  // namespace

std::vector<diagnostic> lint(const source_file& source, const limits& l, const std::vector<std::string>& allowed) {
    auto parsed = syntax::parse(source, l);
    if (!parsed.ok()) return errors_after_parse_error(parsed, source, l);
    suggestions_left = 50;
    checker c(parsed.file, source, l);
    c.gather_warnings();
    auto checked = c.run();
    // Errors first: a file that has any gets no warnings until they are fixed.
    if (!checked.ok()) return checked.diagnostics();
    std::vector<diagnostic> all;
    for (auto& [name, w] : c.take_warnings()) {
        if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
        if (allowed_by_comment(w, name, parsed.file.comments, source)) continue;
        all.push_back(std::move(w));
    }
    std::stable_sort(all.begin(), all.end(), [](const diagnostic& a, const diagnostic& b) { return a.where.begin < b.where.begin; });
    return all;
}

}  // namespace mandate::check
