// mandate_sqlite_bench: the baseline a user would pick instead of mandate — the same checks
// written as SQL (bench/sql/) over the same records in an in-memory SQLite database.
//
// It loads the generated records (registry.jsonl and events.jsonl) twice: into SQLite
// (a raw(line) table filled by prepared inserts, then bench/sql/load.sql), and into mandate
// engines the way `mandate check` does (engine::add_jsonl). Each check runs on an engine of
// its own, compiled from rules/goutang-2023.mandate with every other obligation and outcome
// left out, so mandate evaluates that one check and nothing else.
//
// First it asserts, for every check and several as-of dates, that SQLite and mandate give
// the same status to every (unit, period), and stops naming the first difference; the same
// again on bench/sql/edge-records.jsonl, whose statuses must also be those worked out by
// hand. Then it times each check both ways, prints the ratios, and times the loads.
//
//   mandate_sqlite_bench [--data DIR] [--check-only] [--as-of DATE] [--sql DIR] [benchmark flags]
//
// DIR holds registry.jsonl and events.jsonl (default $MANDATE_BENCH_DATA, else the town of
// `mandate-generate --scale town --seed 2023`, generated beside the binary on first use).
// --check-only runs the assertion alone (ctest: bench.sqlite_same_statuses). --as-of sets
// the date the timed runs evaluate at (default: the latest event date, as `mandate check`).
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "mandate/mandate.hpp"

namespace {

using mandate::calendar::day;

[[noreturn]] void fail(const std::string& message) {
    std::cerr << "mandate_sqlite_bench: " << message << "\n";
    std::exit(1);
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail("cannot read " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// ------------------------------------------------------------------------------ the checks

struct check {
    const char* obligation;  // in rules/goutang-2023.mandate; its query is bench/sql/<obligation>.sql
    const char* shape;
};
const check checks[] = {
    {"village_monthly_activity", "monthly count"},
    {"bank_sms_weekly", "full-week count"},
    {"three_ones_leaflet", "deadline coverage"},
    {"operator_screen_share", "monthly ratio of sums"},
    {"bank_screen_share", "monthly ratio of sums"},
    {"internal_training_cadence", "three-week count"},
};
constexpr std::size_t check_count = sizeof checks / sizeof checks[0];

// The rule file with every obligation and outcome block left out except those in `keep`.
// Blocks start with `obligation NAME` or `outcome NAME` at the start of a line and end with
// the first line that is `}`.
std::string sub_plan(const std::string& rules, const std::vector<std::string>& keep) {
    std::istringstream in(rules);
    std::string out, line;
    bool skipping = false, kept_any = false;
    while (std::getline(in, line)) {
        if (!skipping) {
            for (const char* word : {"obligation ", "outcome "}) {
                if (line.rfind(word, 0) != 0) continue;
                std::string name = line.substr(std::string(word).size());
                name = name.substr(0, name.find_first_of(" \t{"));
                const bool wanted = std::string(word) == "obligation " && std::find(keep.begin(), keep.end(), name) != keep.end();
                skipping = !wanted;
                kept_any = kept_any || wanted;
            }
        }
        if (!skipping) out += line + "\n";
        else if (line == "}") skipping = false;
    }
    if (!kept_any) fail("no obligation of the rule file is among those asked for");
    return out;
}

mandate::plan compile_plan(const std::string& text, const std::string& name) {
    auto compiled = mandate::compile(text, name);
    if (!compiled.ok()) {
        const mandate::source_file source(name, text);
        std::string all;
        for (const auto& d : compiled.diagnostics()) all += mandate::render(d, source);
        fail("the plan cut down to " + name + " does not compile:\n" + all);
    }
    return compiled.value();
}

// ------------------------------------------------------------------------------ the data

struct data {
    std::string dir, rules, registry, events, sql_dir;
    std::vector<std::string> sql;  // per check
    std::string load_sql;
};

data g_data;

std::string default_data_dir() {
    if (const char* env = std::getenv("MANDATE_BENCH_DATA")) return env;
    const std::string dir = std::string(MANDATE_BINARY_DIR) + "/bench-data/sqlite-town";
    // Written under temporary names and renamed, so a reader never sees half a file.
    const std::string command = "mkdir -p '" + dir + "' && { test -s '" + dir + "/events.jsonl' || { '" +
                                std::string(MANDATE_BINARY_DIR) + "/bin/mandate-generate' --scale town --seed 2023 --registry '" +
                                dir + "/registry.jsonl.tmp' --events '" + dir + "/events.jsonl.tmp' && mv '" + dir +
                                "/registry.jsonl.tmp' '" + dir + "/registry.jsonl' && mv '" + dir + "/events.jsonl.tmp' '" +
                                dir + "/events.jsonl'; }; }";
    if (std::system(command.c_str()) != 0) fail("could not generate the town's records into " + dir);
    return dir;
}

// ------------------------------------------------------------------------------ SQLite

struct db_closer {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using database = std::unique_ptr<sqlite3, db_closer>;
struct stmt_closer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using statement = std::unique_ptr<sqlite3_stmt, stmt_closer>;

void exec(sqlite3* db, const std::string& sql, const std::string& what) {
    char* error = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        const std::string message = error ? error : sqlite3_errmsg(db);
        sqlite3_free(error);
        fail(what + ": " + message);
    }
}

statement prepare(sqlite3* db, const std::string& sql, const std::string& what) {
    sqlite3_stmt* s = nullptr;
    const char* tail = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &s, &tail) != SQLITE_OK)
        fail(what + ": " + sqlite3_errmsg(db));
    if (!s) fail(what + ": no statement");
    statement out(s);
    // One statement a file: what follows it may only be blanks and comments.
    if (tail && *tail) {
        sqlite3_stmt* next = nullptr;
        const char* rest = nullptr;
        if (sqlite3_prepare_v2(db, tail, -1, &next, &rest) != SQLITE_OK || next) {
            sqlite3_finalize(next);
            fail(what + ": holds more than one statement");
        }
    }
    return out;
}

// The raw lines of both files, then load.sql.
database load_sqlite(const std::string& registry, const std::string& events) {
    const data& d = g_data;
    sqlite3* raw = nullptr;
    if (sqlite3_open(":memory:", &raw) != SQLITE_OK) fail("cannot open an in-memory SQLite database");
    database db(raw);
    exec(db.get(), "CREATE TABLE raw(line TEXT)", "creating raw");
    exec(db.get(), "BEGIN", "begin");
    statement insert = prepare(db.get(), "INSERT INTO raw(line) VALUES (?1)", "insert");
    for (const std::string* text : {&registry, &events}) {
        std::size_t p = 0;
        while (p < text->size()) {
            std::size_t q = text->find('\n', p);
            if (q == std::string::npos) q = text->size();
            if (q > p) {
                sqlite3_bind_text(insert.get(), 1, text->data() + p, static_cast<int>(q - p), SQLITE_STATIC);
                if (sqlite3_step(insert.get()) != SQLITE_DONE) fail(std::string("inserting a line: ") + sqlite3_errmsg(db.get()));
                sqlite3_reset(insert.get());
            }
            p = q + 1;
        }
    }
    insert.reset();
    exec(db.get(), "COMMIT", "commit");
    exec(db.get(), d.load_sql, d.sql_dir + "/load.sql");
    return db;
}

struct row {
    std::string unit, period_start, status;
    friend bool operator<(const row& a, const row& b) {
        return a.unit != b.unit ? a.unit < b.unit : a.period_start < b.period_start;
    }
};

// Runs a check's prepared query as of a date; rows (obligation, unit, period_start, status).
std::vector<row> run_query(sqlite3* db, sqlite3_stmt* s, const std::string& as_of, const std::string& what) {
    sqlite3_reset(s);
    const int index = sqlite3_bind_parameter_index(s, ":as_of");
    if (index == 0) fail(what + ": takes no :as_of parameter");
    sqlite3_bind_text(s, index, as_of.c_str(), static_cast<int>(as_of.size()), SQLITE_TRANSIENT);
    std::vector<row> rows;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        auto text = [&](int col) {
            const unsigned char* t = sqlite3_column_text(s, col);
            return t ? std::string(reinterpret_cast<const char*>(t)) : std::string("NULL");
        };
        rows.push_back({text(1), text(2), text(3)});
    }
    if (rc != SQLITE_DONE) fail(what + ": " + sqlite3_errmsg(db));
    return rows;
}

// ------------------------------------------------------------------------------ mandate

std::unique_ptr<mandate::engine> load_engine(const mandate::plan& p, bool evidence, const std::string& registry_text,
                                             const std::string& events_text) {
    mandate::engine_options options;
    options.evidence = evidence;
    auto e = std::make_unique<mandate::engine>(p, options);
    std::istringstream registry(registry_text), events(events_text);
    e->add_jsonl(registry, "registry.jsonl");
    e->add_jsonl(events, "events.jsonl");
    return e;
}

std::vector<row> mandate_rows(const mandate::report& r, const std::string& obligation) {
    std::vector<row> rows;
    for (const auto& x : r.results)
        if (x.obligation == obligation)
            rows.push_back({x.unit.value_or("NULL"), mandate::calendar::to_iso(x.span.from), mandate::to_string(x.status)});
    return rows;
}

// The first (unit, period) where the two disagree, or nothing.
std::optional<std::string> first_difference(std::vector<row> sql, std::vector<row> engine) {
    std::sort(sql.begin(), sql.end());
    std::sort(engine.begin(), engine.end());
    std::size_t i = 0, j = 0;
    while (i < sql.size() || j < engine.size()) {
        if (j == engine.size() || (i < sql.size() && sql[i] < engine[j]))
            return "SQLite reports " + sql[i].unit + " " + sql[i].period_start + " as " + sql[i].status +
                   "; mandate has no such bucket";
        if (i == sql.size() || engine[j] < sql[i])
            return "mandate reports " + engine[j].unit + " " + engine[j].period_start + " as " + engine[j].status +
                   "; SQLite has no such bucket";
        if (sql[i].status != engine[j].status)
            return "unit " + sql[i].unit + ", period from " + sql[i].period_start + ": SQLite says " + sql[i].status +
                   ", mandate says " + engine[j].status;
        ++i, ++j;
    }
    return std::nullopt;
}

// ------------------------------------------------------------------------------ the state the benchmarks share

database g_db;
std::string g_as_of;
std::vector<mandate::plan> g_plans;  // per check: the rule file cut down to its obligation
mandate::plan g_all_plan;          // every check's obligation together

// One engine at a time (a county's engine holds every record): rebuilt when another is asked for.
struct engine_slot {
    int which = -2;
    bool evidence = false;
    std::unique_ptr<mandate::engine> e;
} g_slot;

mandate::engine& engine_for(int which, bool evidence) {
    if (g_slot.which != which || g_slot.evidence != evidence || !g_slot.e) {
        g_slot.e.reset();
        g_slot.e = load_engine(which < 0 ? g_all_plan : g_plans[static_cast<std::size_t>(which)], evidence, g_data.registry,
                               g_data.events);
        g_slot.which = which;
        g_slot.evidence = evidence;
        if (!g_as_of.empty()) g_slot.e->evaluate(*mandate::calendar::parse_iso(g_as_of));  // indexes built once, as SQLite's are
    }
    return *g_slot.e;
}

// The assertion: every check, at each date, the same statuses both ways. `label` names the
// records; `engine_of(c)` gives the engine of check c.
template <class EngineOf>
void assert_same_statuses(const std::string& label, sqlite3* db, EngineOf engine_of, const std::vector<std::string>& dates) {
    for (std::size_t c = 0; c < check_count; ++c) {
        const std::string name = checks[c].obligation;
        const std::string what = g_data.sql_dir + "/" + name + ".sql";
        statement s = prepare(db, g_data.sql[c], what);
        mandate::engine& e = engine_of(c);
        std::map<std::string, std::size_t> seen;
        for (const std::string& date : dates) {
            const std::vector<row> sql = run_query(db, s.get(), date, what);
            const std::vector<row> engine = mandate_rows(e.evaluate(*mandate::calendar::parse_iso(date)), name);
            if (auto diff = first_difference(sql, engine))
                fail("statuses differ on " + label + ": " + name + " as of " + date + ": " + *diff);
            for (const row& r : sql) ++seen[r.status];
        }
        // A comparison of nothing proves nothing: every check must have judged both ways.
        if (!seen["satisfied"] || !seen["violated"])
            fail(name + ": " + label + " give no satisfied or no violated bucket; the comparison would prove little");
        std::printf("same statuses (%s): %-26s %-22s satisfied %6zu  violated %6zu  pending %6zu  (%zu dates)\n", label.c_str(),
                    name.c_str(), checks[c].shape, seen["satisfied"], seen["violated"], seen["pending"], dates.size());
    }
    std::fflush(stdout);
}

// bench/sql/edge-records.jsonl: a small town of its own whose records each test one rule of
// the load or the checks (retracted, conflicting, re-sent, mistyped and late records, units
// under the one judged, entity versions, since and until, dates near midnight in another
// offset, exact ratios). What each check must say of it on 2024-01-05, when every bucket is
// closed, worked out by hand from LANGUAGE.md: a letter per bucket in period order
// (s satisfied, v violated).
struct expectation {
    const char* obligation;
    const char* unit;
    const char* statuses;
};
const expectation edge_expectations[] = {
    // April retracted, May's id in conflict, June re-sent (counts once), July at a market its
    // record says was not crowded, August reported by a villager group, 09-30 20:00Z is 10-01
    // local, November mistyped, December's on the 31st (after the campaign).
    {"village_monthly_activity", "xv1", "vvsvsvsvv"},
    {"village_monthly_activity", "xv2", "sssssssss"},
    // Registered since 07-01: no bucket before July; October's is at a market marked crowded.
    {"village_monthly_activity", "xv3", "ssssss"},
    // Full weeks 04-03 .. 12-18: 04-05 retracted; 04-12 re-sent; 04-23 17:00Z is 04-24 local;
    // recipients 1.0 is a whole number, 1.5 is rejected; 05-17 from the bank's outlet; 12-20.
    {"bank_sms_weekly", "xb", "vsvssvs" "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvv" "s"},
    // xv1: h1, h2 (23:30 local on 05-31) and m1 (delivered by xv2) of h1 h2 m1; h3 moved out,
    // h4 moved in later. xv2: h2's leaflet is 06-01 local; h3's records conflict, so it is
    // no entity to cover.
    {"three_ones_leaflet", "xv1", "s"},
    {"three_ones_leaflet", "xv2", "v"},
    // Per screen outlet: xo-o1 says screen: true, xo-o2 false (its 70 seconds in August, none
    // anti-fraud, do not count). xo-o1: April 15 of 100 (a re-sent row counts once); May
    // 14.999999 of 100; June none; July's anti-fraud row retracted; August's a string, so
    // none; September 3 x 0.1 of 2.0; 10-31 17:00Z is November; December's anti-fraud row is
    // on the 31st.
    {"operator_screen_share", "xo", "svvvvsvsv"},
    {"bank_screen_share", "xb", "svvvvvvvv"},  // xb-o1: 1.5 of 10.0 in April, nothing after
    // Three-week buckets from 04-01 (04-01..04-21, 04-22..05-12, ..., 12-09..12-29, and
    // 12-30..12-30), grace 5 days, so the last closes on 2024-01-05. xv1 trains on the first
    // day of each: all 14 kept. xv2 trains 04-01, 04-23 and then every 15 days to 12-19: each
    // bucket has one but the last (its 21 days 04-02..04-22 without one straddle two buckets).
    // xm trains every 14 days from 04-05 to 11-29, then 12-10: none on 12-30. xv3 is
    // registered from 07-01, so its buckets start with 06-24..07-14 (10 of them), and its only
    // training, 03-20, is before the campaign: all violated.
    {"internal_training_cadence", "xm", "sssssssssssssv"},
    {"internal_training_cadence", "xv1", "ssssssssssssss"},
    {"internal_training_cadence", "xv2", "sssssssssssssv"},
    {"internal_training_cadence", "xv3", "vvvvvvvvvv"},
};

void assert_edge_records(const std::vector<std::string>& dates) {
    const std::string path = g_data.sql_dir + "/edge-records.jsonl";
    const std::string edges = slurp(path);
    database db = load_sqlite("", edges);
    std::unique_ptr<mandate::engine> current;
    std::size_t current_check = check_count;
    assert_same_statuses("the edge records", db.get(), [&](std::size_t c) -> mandate::engine& {
        if (current_check != c) current = load_engine(g_plans[c], false, "", edges), current_check = c;
        return *current;
    }, dates);
    for (std::size_t c = 0; c < check_count; ++c) {
        const std::string name = checks[c].obligation;
        statement s = prepare(db.get(), g_data.sql[c], name);
        std::map<std::string, std::string> got;
        for (const row& r : run_query(db.get(), s.get(), "2024-01-05", name)) got[r.unit] += r.status.substr(0, 1);
        std::map<std::string, std::string> want;
        for (const expectation& x : edge_expectations)
            if (name == x.obligation) want[x.unit] = x.statuses;
        if (got != want) {
            std::string text;
            for (const auto& [unit, letters] : got) text += " " + unit + "=" + letters;
            fail(path + ": " + name + " as of 2024-01-05 gives" + (text.empty() ? " nothing" : text) +
                 "; worked out by hand it is otherwise (see edge_expectations)");
        }
    }
    std::printf("edge records: every check as worked out by hand\n");
}

// ------------------------------------------------------------------------------ benchmarks

void BM_Sqlite(benchmark::State& state, int c) {
    const std::string what = g_data.sql_dir + "/" + checks[c].obligation + ".sql";
    statement s = prepare(g_db.get(), g_data.sql[static_cast<std::size_t>(c)], what);
    std::size_t rows = 0;
    for (auto _ : state) rows = run_query(g_db.get(), s.get(), g_as_of, what).size();
    state.counters["rows"] = static_cast<double>(rows);
}

void BM_Mandate(benchmark::State& state, int c, bool evidence) {
    mandate::engine& e = engine_for(c, evidence);
    const day as_of = *mandate::calendar::parse_iso(g_as_of);
    std::size_t rows = 0;
    for (auto _ : state) {
        const mandate::report r = e.evaluate(as_of);
        rows = r.results.size();
        benchmark::DoNotOptimize(rows);
    }
    state.counters["rows"] = static_cast<double>(rows);
}

// All the checks: every query in turn, or one engine with every check's obligation.
void BM_SqliteAll(benchmark::State& state) {
    std::vector<statement> statements;
    for (std::size_t c = 0; c < check_count; ++c)
        statements.push_back(prepare(g_db.get(), g_data.sql[c], checks[c].obligation));
    std::size_t rows = 0;
    for (auto _ : state) {
        rows = 0;
        for (std::size_t c = 0; c < check_count; ++c) rows += run_query(g_db.get(), statements[c].get(), g_as_of, checks[c].obligation).size();
    }
    state.counters["rows"] = static_cast<double>(rows);
}

void BM_LoadSqlite(benchmark::State& state) {
    for (auto _ : state) {
        database db = load_sqlite(g_data.registry, g_data.events);
        benchmark::DoNotOptimize(db.get());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * (g_data.registry.size() + g_data.events.size())));
}

void BM_LoadMandate(benchmark::State& state) {
    for (auto _ : state) {
        auto e = load_engine(g_all_plan, false, g_data.registry, g_data.events);
        benchmark::DoNotOptimize(e->latest_event_date());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * (g_data.registry.size() + g_data.events.size())));
}

// Prints every run as the console does, then a table of SQLite / mandate per check.
class ratio_reporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const Run& r : runs) {
            if (r.run_type == Run::RT_Aggregate && r.aggregate_name != "median") continue;
            if (r.error_occurred) continue;
            const double unit = benchmark::GetTimeUnitMultiplier(r.time_unit);
            times_[r.run_name.function_name] = {r.GetAdjustedRealTime() / unit, r.GetAdjustedCPUTime() / unit};
        }
    }
    void Finalize() override {
        ConsoleReporter::Finalize();
        std::ostream& out = GetOutputStream();
        out << "\nSQLite vs mandate as of " << g_as_of << " (data: " << g_data.dir << ")\n"
            << "mandate computes statuses only, as the SQL does (but 'with evidence', as mandate check does);\n"
            << "wall-clock and CPU milliseconds per run (CPU is the steadier on a shared machine)\n";
        char line[256];
        std::snprintf(line, sizeof line, "%-26s %-22s %10s %10s %10s %10s %8s %8s\n", "check", "shape", "sqlite", "mandate",
                      "sqlite", "mandate", "ratio", "ratio");
        out << line;
        std::snprintf(line, sizeof line, "%-26s %-22s %10s %10s %10s %10s %8s %8s\n", "", "", "wall ms", "wall ms", "cpu ms",
                      "cpu ms", "wall", "cpu");
        out << line;
        auto print = [&](const std::string& label, const char* shape, const std::string& sql, const std::string& eng) {
            const auto a = times_.find(sql), b = times_.find(eng);
            if (a == times_.end() || b == times_.end()) return;
            const auto [a_real, a_cpu] = a->second;
            const auto [b_real, b_cpu] = b->second;
            // Two decimals below 1 (mandate the slower), one above.
            auto ratio = [](double x) {
                char text[32];
                std::snprintf(text, sizeof text, x < 1 ? "%.2fx" : "%.1fx", x);
                return std::string(text);
            };
            std::snprintf(line, sizeof line, "%-26s %-22s %10.3f %10.3f %10.3f %10.3f %8s %8s\n", label.c_str(), shape,
                          a_real * 1e3, b_real * 1e3, a_cpu * 1e3, b_cpu * 1e3, ratio(a_real / b_real).c_str(),
                          ratio(a_cpu / b_cpu).c_str());
            out << line;
        };
        for (const check& c : checks)
            print(c.obligation, c.shape, std::string("sqlite/") + c.obligation, std::string("mandate/") + c.obligation);
        print("all checks", "", "sqlite/all", "mandate/all");
        print("all checks, with evidence", "", "sqlite/all", "mandate/all_evidence");
        print("load", "", "load/sqlite", "load/mandate");
    }

private:
    std::map<std::string, std::pair<double, double>> times_;  // seconds per run: wall, CPU
};

}  // namespace

int main(int argc, char** argv) {
    std::optional<std::string> dir, as_of, sql_dir;
    bool check_only = false;
    std::vector<char*> rest{argv[0]};
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) fail(a + " needs a value");
            return argv[++i];
        };
        if (a == "--data") dir = value();
        else if (a == "--as-of") as_of = value();
        else if (a == "--sql") sql_dir = value();
        else if (a == "--check-only") check_only = true;
        else if (a == "-h" || a == "--help") {
            std::printf("usage: mandate_sqlite_bench [--data DIR] [--check-only] [--as-of DATE] [--sql DIR] [benchmark flags]\n"
                        "DIR holds registry.jsonl and events.jsonl (default $MANDATE_BENCH_DATA, else the generated town).\n");
            benchmark::PrintDefaultHelp();
            return 0;
        } else rest.push_back(argv[i]);
    }
    int rest_count = static_cast<int>(rest.size());
    benchmark::Initialize(&rest_count, rest.data());
    if (rest_count > 1) fail(std::string("unknown argument ") + rest[1]);

    g_data.dir = dir ? *dir : default_data_dir();
    g_data.sql_dir = sql_dir.value_or(std::string(MANDATE_SOURCE_DIR) + "/bench/sql");
    g_data.rules = slurp(std::string(MANDATE_SOURCE_DIR) + "/rules/goutang-2023.mandate");
    g_data.registry = slurp(g_data.dir + "/registry.jsonl");
    g_data.events = slurp(g_data.dir + "/events.jsonl");
    g_data.load_sql = slurp(g_data.sql_dir + "/load.sql");
    std::vector<std::string> all;
    for (const check& c : checks) {
        g_data.sql.push_back(slurp(g_data.sql_dir + "/" + c.obligation + ".sql"));
        g_plans.push_back(compile_plan(sub_plan(g_data.rules, {c.obligation}), std::string(c.obligation) + ".mandate"));
        all.push_back(c.obligation);
    }
    g_all_plan = compile_plan(sub_plan(g_data.rules, all), "checks.mandate");

    const auto started = std::chrono::steady_clock::now();
    g_db = load_sqlite(g_data.registry, g_data.events);
    const double load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf("SQLite: %s loaded in %.2f s\n", g_data.dir.c_str(), load_seconds);

    // The timed date: as `mandate check` defaults to, the latest event date seen.
    if (as_of) {
        if (!mandate::calendar::parse_iso(*as_of)) fail("--as-of must be a date like 2023-12-31, not '" + *as_of + "'");
        g_as_of = *as_of;
    } else {
        const auto latest = engine_for(0, false).latest_event_date();
        if (!latest) fail(g_data.dir + " holds no events");
        g_as_of = mandate::calendar::to_iso(*latest);
    }
    // Dates on both sides of the deadlines, month ends and grace periods the checks have.
    std::vector<std::string> dates = {"2023-03-15", "2023-04-09", "2023-04-10", "2023-05-31", "2023-06-01",
                                      "2023-06-05", "2023-06-06", "2023-07-17", "2023-12-24", "2023-12-30",
                                      "2023-12-31", "2024-01-04", "2024-01-05", g_as_of};
    std::sort(dates.begin(), dates.end());
    dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
    assert_same_statuses("the records of " + g_data.dir, g_db.get(), [](std::size_t c) -> mandate::engine& {
        return engine_for(static_cast<int>(c), false);
    }, dates);
    assert_edge_records(dates);
    if (check_only) return 0;

    for (std::size_t c = 0; c < check_count; ++c) {
        const int i = static_cast<int>(c);
        benchmark::RegisterBenchmark((std::string("sqlite/") + checks[c].obligation).c_str(), [i](benchmark::State& s) { BM_Sqlite(s, i); })
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark((std::string("mandate/") + checks[c].obligation).c_str(),
                                     [i](benchmark::State& s) { BM_Mandate(s, i, false); })
            ->Unit(benchmark::kMillisecond);
    }
    benchmark::RegisterBenchmark("sqlite/all", BM_SqliteAll)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("mandate/all", [](benchmark::State& s) { BM_Mandate(s, -1, false); })->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("mandate/all_evidence", [](benchmark::State& s) { BM_Mandate(s, -1, true); })
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("load/sqlite", BM_LoadSqlite)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("load/mandate", BM_LoadMandate)->Unit(benchmark::kMillisecond);

    ratio_reporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    return 0;
}
