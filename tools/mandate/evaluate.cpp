// check, graph and explain: the evaluation commands.
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "help.hpp"
#include "inputs.hpp"
#include "mandate/graph/partitions.hpp"
#include "mandate/report/select.hpp"
#include "mandate/report/report_writer.hpp"
#include "mandate/mandate.hpp"

namespace mandate::cli {
namespace {

struct options {
    std::vector<std::string> positional;
    std::vector<std::string> events, registry;
    std::optional<std::string> as_of, format, output, rejects, obligation, outcome, unit, period, state;
    std::uint64_t state_every = 1000000;
    bool strict = false;
    bool csv_raw = false;  // --csv-raw: text cells as they are, formulas included
    progress_mode progress = progress_mode::automatic;
    std::optional<bool> colour;  // --color / --no-color; default: on a terminal, unless NO_COLOR is set
    mandate::limits limits;
    io::language lang = io::language::zh;  // --lang: of the table, the HTML page, explain, the notes on stderr
    std::optional<std::size_t> width;      // --width: of the table
    text_encoding encoding = text_encoding::utf8;  // --encoding: of the CSV inputs
    unsigned threads = 0;                           // --threads: 0, one per core
    std::size_t block_bytes = std::size_t{1} << 20;  // --block-size
};

// "--block-size 64K": a size in bytes, with K or M for KiB or MiB, 1 to 256 MiB.
std::size_t parse_block_size(const std::string& text) {
    const std::size_t digits = std::min(text.find_first_not_of("0123456789"), text.size());
    const std::string unit = text.substr(digits);
    const int shift = unit.empty() ? 0 : unit == "K" || unit == "k" ? 10 : unit == "M" || unit == "m" ? 20 : -1;
    const unsigned long long n = digits > 0 && digits <= 9 ? std::stoull(text.substr(0, digits)) : 0;
    if (n == 0 || shift < 0 || (n << shift) > (std::size_t{256} << 20))
        throw usage_error("--block-size needs a size from 1 to 256M (bytes, or with K or M), not '" + text + "'");
    return static_cast<std::size_t>(n << shift);
}

// Options may repeat their value list: `--events a.jsonl b.jsonl --as-of ...`.
options parse_options(const std::string& command, const std::vector<std::string>& args) {
    options o;
    std::vector<std::string>* list = nullptr;
    auto value = [&](std::size_t& i, const std::string& name) { return take_value(args, i, name); };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        refuse_unknown_option(command, a);  // check and explain share this parser, not all its options
        if (a == "--events") {
            list = &o.events;
        } else if (a == "--registry") {
            list = &o.registry;
        } else if (a == "--as-of") {
            o.as_of = value(i, a);
            list = nullptr;
        } else if (a == "--format") {
            o.format = value(i, a);
            list = nullptr;
        } else if (a == "-o" || a == "--output") {
            o.output = value(i, a);
            list = nullptr;
        } else if (a == "--rejects") {
            o.rejects = value(i, a);
            list = nullptr;
        } else if (a == "--obligation") {
            o.obligation = value(i, a);
            list = nullptr;
        } else if (a == "--outcome") {
            o.outcome = value(i, a);
            list = nullptr;
        } else if (a == "--unit") {
            o.unit = value(i, a);
            list = nullptr;
        } else if (a == "--period") {
            o.period = value(i, a);
            list = nullptr;
        } else if (a == "--state") {
            o.state = value(i, a);
            list = nullptr;
        } else if (a == "--state-every") {
            const std::string n = value(i, a);
            // Digits only: strtoull would take "-5" (as 2^64 - 5), "+5" and " 5", and clamp
            // what overflows.
            const bool digits = !n.empty() && n.find_first_not_of("0123456789") == std::string::npos;
            char* end = nullptr;
            errno = 0;
            const unsigned long long v = digits ? std::strtoull(n.c_str(), &end, 10) : 0;
            if (v == 0 || errno == ERANGE)
                throw usage_error("--state-every needs a number of records, 1 or more, not '" + n + "'");
            o.state_every = v;
            list = nullptr;
        } else if (a == "--threads") {
            const std::string n = value(i, a);
            const bool digits = !n.empty() && n.size() <= 3 && n.find_first_not_of("0123456789") == std::string::npos;
            if (!digits || std::stoul(n) < 1 || std::stoul(n) > 256)
                throw usage_error("--threads needs a number from 1 to 256, not '" + n + "'");
            o.threads = static_cast<unsigned>(std::stoul(n));
            list = nullptr;
        } else if (a == "--block-size") {
            o.block_bytes = parse_block_size(value(i, a));
            list = nullptr;
        } else if (a == "--strict") {
            o.strict = true;
            list = nullptr;
        } else if (a == "--lang") {
            const std::string tag = value(i, a);
            const auto lang = io::parse_language(tag);
            if (!lang) throw usage_error("--lang must be zh or en, not '" + tag + "'");
            o.lang = *lang;
            list = nullptr;
        } else if (a == "--width") {
            const std::string n = value(i, a);
            const bool digits = !n.empty() && n.size() < 6 && n.find_first_not_of("0123456789") == std::string::npos;
            if (!digits || std::stoul(n) < 40) throw usage_error("--width needs a number of columns, 40 or more, not '" + n + "'");
            o.width = std::stoul(n);
            list = nullptr;
        } else if (a == "--encoding") {
            const std::string name = value(i, a);
            const auto encoding = parse_encoding(name);
            if (!encoding) throw usage_error("--encoding must be utf-8, gbk or gb18030, not '" + name + "'");
            o.encoding = *encoding;
            list = nullptr;
        } else if (a == "--csv-raw") {
            o.csv_raw = true;
            list = nullptr;
        } else if (a == "--color" || a == "--colour" || a == "--no-color" || a == "--no-colour") {
            o.colour = a.rfind("--no-", 0) != 0;
            list = nullptr;
        } else if (a == "--limit") {
            take_limit(args, i, o.limits);
            list = nullptr;
        } else if (a == "--progress" || a == "--no-progress") {
            o.progress = a == "--progress" ? progress_mode::always : progress_mode::never;
            list = nullptr;
        } else if (list) {
            list->push_back(a);
        } else {
            o.positional.push_back(a);
        }
    }
    return o;
}


// Reads the --registry and --events files into the engine.
std::unique_ptr<record_inputs> load_records(engine& e, const options& o, const std::string& command) {
    std::vector<input> inputs;
    for (const auto& path : o.registry) inputs.push_back(parse_input(path, e.plan().model()));
    for (const auto& path : o.events) inputs.push_back(parse_input(path, e.plan().model()));
    if (o.state)
        for (const auto& x : inputs)
            if (x.path == "-")
                throw usage_error("--state cannot be used with standard input (--events -): a later run could not tell "
                                  "which of its records were read before; give the records as a file");
    auto reader = std::make_unique<record_inputs>(std::move(inputs), o.rejects.has_value(), o.progress,
                                                  o.limits.max_record_bytes);
    if (o.state) reader->use_state(*o.state, o.state_every);
    reader->use_encoding(o.encoding, command, o.lang);
    reader->load(e);
    return reader;
}

// Passes a report on to a writer (when there is one), keeping its accounting for what the
// command does after: --rejects, the summary on standard error, --strict.
struct accounting_tap : report_sink {
    void begin(const report& r) override {
        if (next) next->begin(r);
    }
    void result(const result_row& row) override {
        if (next) next->result(row);
    }
    void outcome(const outcome_row& row) override {
        if (next) next->outcome(row);
    }
    void end(const report& r) override {
        rejected = r.rejected;
        unresolved_entities = r.unresolved_entities;
        inputs = r.inputs;
        if (next) next->end(r);
    }
    report_sink* next = nullptr;
    input_counts inputs;
    std::vector<rejection> rejected;
    std::vector<unresolved_entity> unresolved_entities;
};

// Collects a report for the table, the HTML page or the workbook, which arrange rows into grids
// and so take them whole: a row's evidence is kept only where they show it (violated and
// at-risk buckets, outcomes that fired), which is most of what a row costs.
struct people_report : report_sink {
    void begin(const report& r) override { whole = r; }
    void result(const result_row& row) override {
        whole.results.push_back(row);
        if (row.status != status::violated && !row.at_risk) whole.results.back().evidence = {};
    }
    void outcome(const outcome_row& row) override {
        whole.outcomes.push_back(row);
        if (!row.fired) whole.outcomes.back().evidence = {};
    }
    void end(const report& r) override {
        whole.inputs = r.inputs;
        whole.rejected = r.rejected;
        whole.ignored_fields = r.ignored_fields;
        whole.unresolved_entities = r.unresolved_entities;
        whole.unapplied_waivers = r.unapplied_waivers;
    }
    report whole;
};

// A report that is empty for a reason the user can mend says so on stderr, with the likely
// cause and the fix: no entity record read at all (a missing --registry), every record of the
// registry rejected (an encoding), or most events naming units nobody registered. True when
// it said something (--strict then fails).
bool loud_empty_results(const check::plan& model, const options& o, const input_counts& in, const std::vector<rejection>& rejected) {
    const bool has_units = std::any_of(model.rules.begin(), model.rules.end(), [](const check::rule& r) { return !r.var.empty(); });
    if (!has_units) return false;
    std::uint64_t registry_rejected = 0;
    const rejection* first = nullptr;
    bool not_utf8 = false;
    for (const rejection& x : rejected) {
        if (std::find(o.registry.begin(), o.registry.end(), x.source) == o.registry.end()) continue;
        ++registry_rejected;
        if (!first) first = &x;
        not_utf8 = not_utf8 || x.reason.find("UTF-8") != std::string::npos;
    }
    if (in.entities == 0 && registry_rejected > 0) {
        std::cerr << io::note_text(o.lang, io::note::all_entities_rejected,
                                   {std::to_string(registry_rejected), first->source + ":" + std::to_string(first->line) + ": " + first->reason,
                                    not_utf8 ? io::note_text(o.lang, io::note::encoding_hint, {}) : std::string()})
                  << "\n";
        return true;
    }
    if (in.entities == 0) {
        std::cerr << io::note_text(o.lang, io::note::no_entities, {std::to_string(in.unresolved)}) << "\n";
        return true;
    }
    const std::uint64_t events = in.applied + in.unresolved;
    if (in.unresolved * 2 > events) {
        const std::uint64_t tenths = (in.unresolved * 1000 + events / 2) / events;  // of a percent
        const std::string share = std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + "%";
        std::cerr << io::note_text(o.lang, io::note::mostly_unresolved, {std::to_string(in.unresolved), std::to_string(events), share})
                  << "\n";
        return true;
    }
    return false;
}

// The table's width: $COLUMNS (else the terminal's) on a terminal, 100 otherwise.
std::size_t table_width(bool to_terminal) {
    if (!to_terminal) return 100;
    if (const char* env = std::getenv("COLUMNS")) {
        char* end = nullptr;
        const unsigned long n = std::strtoul(env, &end, 10);
        if (end && *end == '\0' && n >= 20 && n <= 10000) return std::max<std::size_t>(n, 40);
    }
    winsize ws{};
    if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20) return std::max<std::size_t>(ws.ws_col, 40);
    return 100;
}

// The last day any bucket of the plan can still change: the latest window end plus grace.
calendar::day last_close(const check::plan& model) {
    calendar::day last = 0;
    for (const auto& rule : model.rules) last = std::max(last, calendar::close_day(rule.window_to, rule.grace));
    return last;
}

}  // namespace

plan load_plan(const std::string& path, const limits& l) {
    const std::string text = read_source_file(path, l.max_source_bytes);
    auto compiled = compile(text, path, l);
    if (!compiled.ok()) {
        const source_file source(path, text);
        for (const auto& d : compiled.diagnostics()) std::cerr << render(d, source);
        return nullptr;
    }
    return compiled.value();
}

calendar::day parse_date_option(const std::string& text, const char* what) {
    auto d = calendar::parse_iso(text);
    if (!d) throw usage_error(std::string(what) + " must be a date like 2023-12-31, not '" + text + "'");
    return *d;
}

int check(const std::vector<std::string>& args) {
    const options o = parse_options("check", args);
    if (o.positional.size() != 1)
        throw usage_error("usage: mandate check PLAN --events FILE... [--registry FILE...] [--as-of DATE] "
                          "[--format table|json|csv|html|xlsx] [-o FILE] [--rejects FILE] [--strict] [--lang zh|en] [--width N] "
                          "[--encoding utf-8|gbk|gb18030]");
    const plan p = load_plan(o.positional[0], o.limits);
    if (!p) return 2;
    engine_options eo;
    eo.limits = o.limits;
    eo.threads = o.threads;
    eo.block_bytes = o.block_bytes;
    engine e(p, eo);
    const auto inputs = load_records(e, o, "mandate check");
    calendar::day as_of;
    if (o.as_of) {
        as_of = parse_date_option(*o.as_of, "--as-of");
    } else if (auto latest = e.latest_event_date()) {
        as_of = *latest;
    } else {
        throw usage_error("no event dates to default --as-of to; give --as-of DATE");
    }
    const bool to_terminal = (!o.output || *o.output == "-") && isatty(1);
    std::string format = o.format.value_or("");
    if (format.empty()) {
        // -o report.html writes HTML; a terminal gets the table; anything else JSON.
        const std::string out = o.output.value_or("-");
        auto ends = [&](const char* tail) { return out.size() > std::strlen(tail) && out.compare(out.size() - std::strlen(tail), std::string::npos, tail) == 0; };
        format = ends(".html") || ends(".htm") ? "html" : ends(".csv") ? "csv" : ends(".txt") ? "table" : ends(".json") ? "json"
                 : ends(".xlsx")                ? "xlsx"
                                                : "";
        if (format.empty() && out != "-")
            throw usage_error("cannot tell the report's format from '" + out +
                              "': name it .json, .csv, .html, .xlsx or .txt, or give --format (table, json, csv, html or xlsx)");
        if (format.empty()) format = to_terminal ? "table" : "json";
    }
    if (format != "json" && format != "csv" && format != "table" && format != "html" && format != "xlsx")
        throw usage_error("--format must be table, json, csv, html or xlsx, not '" + format + "'");
    // A workbook is a zip archive: on a terminal it would be noise.
    if (format == "xlsx" && to_terminal) throw usage_error("a workbook is not for a terminal: give -o FILE.xlsx");
    if (!o.as_of) {
        // An event dated far ahead (a typo, a test record) would judge every bucket as closed.
        const calendar::day close = last_close(p->model());
        if (as_of > close)
            std::cerr << io::note_text(o.lang, io::note::late_as_of, {calendar::to_iso(as_of), calendar::to_iso(close)}) << "\n";
    }
    accounting_tap tap;
    if (format == "xlsx") {
        // The workbook takes the report whole, as the table does; to a path it is written
        // there directly, so an error names the path.
        people_report collected;
        tap.next = &collected;
        e.evaluate(as_of, tap);
        tap.next = nullptr;
        io::xlsx_options x;
        x.lang = o.lang;
        const std::string path = o.output.value_or("-");
        if (path == "-") write_output(path, [&](std::ostream& out) { io::write_xlsx(collected.whole, out, x); });
        else io::write_xlsx(collected.whole, path, x);
    } else {
        write_output(o.output.value_or("-"), [&](std::ostream& out) {
            // JSON and CSV are written row by row as the engine makes them; the table and the
            // HTML page arrange rows into grids, so they take the report whole.
            if (format == "json" || format == "csv") {
                io::csv_options c;
                c.raw = o.csv_raw;
                const auto writer = format == "json" ? io::json_writer(out) : io::csv_writer(out, c);
                tap.next = writer.get();
                e.evaluate(as_of, tap);
                tap.next = nullptr;
                return;
            }
            people_report collected;
            tap.next = &collected;
            e.evaluate(as_of, tap);
            tap.next = nullptr;
            const report& r = collected.whole;
            if (format == "table") {
                io::table_options t;
                t.colour = o.colour.value_or(to_terminal && !std::getenv("NO_COLOR"));
                t.lang = o.lang;
                t.width = o.width.value_or(table_width(to_terminal));
                io::write_table(r, out, t);
            } else {
                io::html_options h;
                h.lang = o.lang;
                io::write_html(r, out, h);
            }
        });
    }
    if (o.rejects) write_output(*o.rejects, [&](std::ostream& out) { inputs->write_rejects(tap.rejected, out); });
    if (!tap.rejected.empty()) std::cerr << io::note_text(o.lang, io::note::records_rejected, {std::to_string(tap.rejected.size())}) << "\n";
    if (!tap.unresolved_entities.empty()) std::cerr << io::note_text(o.lang, io::note::entities_held_out, {std::to_string(tap.unresolved_entities.size())}) << "\n";
    const bool empty = loud_empty_results(p->model(), o, tap.inputs, tap.rejected);
    return o.strict && (!tap.rejected.empty() || !tap.unresolved_entities.empty() || empty) ? 1 : 0;
}

int graph(const std::vector<std::string>& args) {
    std::vector<std::string> positional;
    bool partitions = false;
    for (const auto& a : args) {
        if (a == "--partitions")
            partitions = true;
        else {
            refuse_unknown_option("graph", a);
            positional.push_back(a);
        }
    }
    if (positional.size() != 1) throw usage_error("usage: mandate graph PLAN [--partitions]");
    const plan p = load_plan(positional[0]);
    if (!p) return 2;
    if (partitions)
        std::cout << graph::partitions_text(*p, graph::analyse_partitions(*p));
    else
        std::cout << p->to_dot();
    return 0;
}

int explain(const std::vector<std::string>& args) {
    const options o = parse_options("explain", args);
    if (o.positional.size() != 1 || (!o.obligation == !o.outcome) || !o.unit)
        throw usage_error("usage: mandate explain PLAN --events FILE... (--obligation ID | --outcome ID) --unit ID "
                          "[--period DATE|FROM..TO|YYYY-MM] [--as-of DATE] [--encoding utf-8|gbk|gb18030]");
    const plan p = load_plan(o.positional[0], o.limits);
    if (!p) return 2;
    // Obligations and outcomes are separate namespaces: each option looks in its own.
    const int rule = o.obligation ? p->model().find_obligation(*o.obligation) : p->model().find_outcome(*o.outcome);
    if (rule < 0)
        throw usage_error(io::no_such_rule(p->model(), !o.obligation, o.obligation ? *o.obligation : *o.outcome));
    engine_options eo;
    eo.limits = o.limits;
    eo.threads = o.threads;
    eo.block_bytes = o.block_bytes;
    engine e(p, eo);
    load_records(e, o, "mandate explain");
    calendar::day as_of;
    if (o.as_of) as_of = parse_date_option(*o.as_of, "--as-of");
    else if (auto latest = e.latest_event_date()) as_of = *latest;
    else throw usage_error("give --as-of DATE");
    std::optional<bucket_selector> named;
    if (o.period) {
        named = parse_bucket_selector(*o.period);
        if (!named)
            throw usage_error("--period must be a date (2023-04-15), a period (2023-04-01..2023-04-30) or a month "
                              "(2023-04), not '" + *o.period + "'");
    }
    const report r = e.evaluate(as_of);
    // --period names one bucket the way scenario tests do; several matching is an error.
    try {
        std::cout << io::explain_unit(r, rule, *o.unit, named, o.lang);
    } catch (const std::invalid_argument& e) {
        throw usage_error(e.what());
    }
    return 0;
}

}  // namespace mandate::cli
