// Benchmarks of the whole pipeline on the Goutang plan and the generated records of
// bench/generator.hpp, made in memory once per run:
//   MANDATE_BENCH_SCALE=town (default) | county | FACTOR (the county times FACTOR: 0.1, 3...)
//   MANDATE_BENCH_SEED=N (default 2023)
//
//   BM_CompileGoutang       compiling rules/goutang-2023.mandate (bytes/s)
//   BM_CompilePathological  rule files that once made the front end quadratic
//   BM_ParseRecords         the record parser alone over every event line (items/s, bytes/s)
//   BM_IngestJsonl/threads:N  JSON Lines end to end into an engine: parse, check, dedup,
//                           conflicts, store (items/s = events, bytes/s = registry and events),
//                           records parsed on N threads (1, 2), in wall time
//   BM_Check/threads:N      what `mandate check` does in process: ingest, evaluate as of
//                           2023-12-31 with evidence, write the JSON report (bulk events/s)
//   BM_Report               the report alone on a loaded engine, with and without evidence
//   BM_AddEvent             one more event into a loaded engine (ns/event), no report
//   BM_AddScreenPlay/form:F the same for the held-back screen_play events with a date-time, in
//                           each form a host may hold them: a struct (mandate/eval/structs.hpp),
//                           typed_event, JSON text (ns/event); /batch: structs 1000 to a batch
//   BM_FreshReport          1000 more events into a loaded engine, then the JSON report
//   BM_State                not a timing: heap and RSS growth over the retained events
//                           (counters bytes_per_event, rss_per_event, peak_rss_MiB), and
//                           engine::memory()'s parts per retained event (B_strings, B_rows...)
//
// docs/performance.md has the figures and how to read them; bench/sqlite_bench.cpp compares
// with SQLite on the same records.
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <istream>
#include <sstream>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

#include "bench_data.hpp"
#include "generator.hpp"
#include "mandate/ingest/records.hpp"
#include "mandate/eval/structs.hpp"
#include "mandate/report/report_writer.hpp"
#include "mandate/mandate.hpp"

namespace {

using namespace mandate::bench;

void BM_CompileGoutang(benchmark::State& state) {
    const std::string& rules = the_data().rules;
    for (auto _ : state) benchmark::DoNotOptimize(mandate::compile(rules, "goutang-2023.mandate"));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * rules.size()));
}

// Rule files that once made the front end quadratic (the robustness tests only check that they
// are handled): 2000 outcomes reading every obligation, 20000 errors on one line, 10000 unknown
// parent kinds. Time per file.
std::string pathological(int which) {
    std::string text;
    switch (which) {
        case 0:
            text = "plan p {}\nphase c from 2023-01-01 to 2023-12-31\nkind k\nevent e {}\n";
            for (int i = 0; i < 2000; ++i) {
                text += "obligation b" + std::to_string(i) + " { each u: k require count(e of u) >= 1 }\n";
                text += "outcome v" + std::to_string(i) + " { each u: k when violations(of u) >= 1 }\n";
            }
            break;
        case 1:
            text = "plan p {} phase c from 2023-01-01 to 2023-12-31";
            for (int i = 0; i < 20000; ++i) text += " obligation o" + std::to_string(i) + " { require 1 }";
            break;
        default:
            text = "plan p {}\n";
            for (int i = 0; i < 10000; ++i) text += "kind k" + std::to_string(i) + "\n";
            for (int i = 0; i < 10000; ++i) text += "kind x" + std::to_string(i) + " within y" + std::to_string(i) + "\n";
    }
    return text;
}

void BM_CompilePathological(benchmark::State& state) {
    const std::string text = pathological(static_cast<int>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(mandate::compile(text, "p.mandate"));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

void BM_ParseRecords(benchmark::State& state) {
    const data& d = the_data();
    mandate::io::record_parser parser(compiled()->model());
    for (auto _ : state)
        for (const auto& line : d.event_lines) benchmark::DoNotOptimize(parser.parse(line));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * d.events.size()));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.event_lines.size()));
}

void set_bulk_counters(benchmark::State& state) {
    const data& d = the_data();
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * (d.registry.size() + d.events.size())));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.event_lines.size()));
}

// Records parsed on state.range(0) threads: wall time, the figure threads change.
mandate::engine_options on_threads(const benchmark::State& state) {
    mandate::engine_options o;
    o.threads = static_cast<unsigned>(state.range(0));
    return o;
}

void BM_IngestJsonl(benchmark::State& state) {
    const data& d = the_data();
    for (auto _ : state) {
        mandate::engine e = loaded(d.event_lines.size(), on_threads(state));
        benchmark::DoNotOptimize(e.latest_event_date());
        state.PauseTiming();  // not the engine's teardown
        { mandate::engine gone = std::move(e); }
        state.ResumeTiming();
    }
    set_bulk_counters(state);
}

void BM_Check(benchmark::State& state) {
    const data& d = the_data();
    std::size_t bytes = 0;
    for (auto _ : state) {
        mandate::engine e = loaded(d.event_lines.size(), on_threads(state));
        const mandate::report r = e.evaluate(year_end);
        std::ostringstream out;
        mandate::io::write_json(r, out);
        bytes = out.str().size();
        benchmark::DoNotOptimize(bytes);
        state.PauseTiming();
        { mandate::engine gone = std::move(e); }
        state.ResumeTiming();
    }
    set_bulk_counters(state);
    state.counters["report_MB"] = static_cast<double>(bytes) / 1e6;
}

void BM_Report(benchmark::State& state) {
    const data& d = the_data();
    mandate::engine_options options;
    options.evidence = state.range(0) != 0;
    mandate::engine e = loaded(d.event_lines.size(), options);
    e.evaluate(year_end);  // the first report builds the indexes
    for (auto _ : state) {
        const mandate::report r = e.evaluate(year_end);
        std::ostringstream out;
        mandate::io::write_json(r, out);
        benchmark::DoNotOptimize(out.str().size());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.event_lines.size()));
}

// The last `held` event lines are held back; each iteration adds the next one.
void BM_AddEvent(benchmark::State& state) {
    const data& d = the_data();
    const std::size_t held = static_cast<std::size_t>(state.max_iterations);
    const std::size_t first = d.event_lines.size() - std::min(held, d.event_lines.size());
    mandate::engine e = loaded(first);
    std::size_t i = first;
    for (auto _ : state) {
        e.add(d.event_lines[i], "events.jsonl", i + 1);
        ++i;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// A host's own record of a screen play, as structs.hpp binds it.
struct screen_play_row {
    std::string id, unit;
    std::chrono::system_clock::time_point time;
    mandate::millionths seconds;
    bool antifraud = false;
};
MANDATE_RECORD(screen_play_row, id, unit, time, seconds, antifraud)

// The last screen_play events with a date-time that the plan accepts as read (at most `want`),
// as structs, typed events and JSON lines; `first` is the line of the earliest, before which
// the engine is loaded.
struct held_screen_plays {
    std::size_t first = 0;
    std::vector<screen_play_row> rows;
    std::vector<mandate::typed_event> typed;
    std::vector<std::string_view> lines;
};

const held_screen_plays& screen_plays(std::size_t want) {  // `want`: the first call's
    static const held_screen_plays held = [want] {
        const data& d = the_data();
        held_screen_plays h;
        mandate::io::record_parser parser(compiled()->model());
        const int type = compiled()->model().find_event("screen_play");
        const int seconds = compiled()->model().events[static_cast<std::size_t>(type)].find_field("seconds");
        const int antifraud = compiled()->model().events[static_cast<std::size_t>(type)].find_field("antifraud");
        for (std::size_t i = d.event_lines.size(); i-- > 0 && h.rows.size() < want;) {
            if (!parser.parse(d.event_lines[i])) continue;
            const auto& r = parser.record();
            if (r.kind != mandate::io::record_kind::event || r.type != type || !r.time.has_clock) continue;
            screen_play_row row;
            row.id = std::string(r.id);
            row.unit = std::string(r.unit);
            row.time = std::chrono::system_clock::time_point(std::chrono::seconds(r.time.instant_s)) +
                       std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::nanoseconds(r.time.nanos));
            row.seconds = mandate::millionths{r.fields[static_cast<std::size_t>(seconds)].integer};
            row.antifraud = r.fields[static_cast<std::size_t>(antifraud)].integer != 0;
            h.rows.push_back(row);
            h.lines.push_back(d.event_lines[i]);
            h.first = i;
        }
        std::reverse(h.rows.begin(), h.rows.end());
        std::reverse(h.lines.begin(), h.lines.end());
        // The typed twins: the time as the JSON line writes it, read back from its own parse.
        for (std::size_t k = 0; k < h.rows.size(); ++k) {
            const screen_play_row& row = h.rows[k];
            const auto t0 = h.lines[k].find("\"time\":\"") + 8;
            mandate::typed_event t(row.id, "screen_play", std::string(h.lines[k].substr(t0, h.lines[k].find('"', t0) - t0)), row.unit);
            t.set("seconds", mandate::typed_value::millionths(row.seconds.value)).set("antifraud", mandate::typed_value::boolean(row.antifraud));
            h.typed.push_back(std::move(t));
        }
        return h;
    }();
    return held;
}

// state.range(0): 0 a struct, 1 a typed_event, 2 JSON text, each added alone; 3 structs in
// batches of 1000 (items: events).
void BM_AddScreenPlay(benchmark::State& state) {
    const held_screen_plays& h = screen_plays(0);
    mandate::engine e = loaded(h.first);
    auto rows = mandate::bind_events<screen_play_row>(e, "screen_play");
    std::size_t i = 0;
    std::uint64_t rejected = 0;
    for (auto _ : state) {
        if (i >= h.rows.size()) i = 0;  // copies from here on: duplicates
        switch (state.range(0)) {
            case 0: rejected += rows.add(h.rows[i]) == mandate::add_status::rejected; ++i; break;
            case 1: rejected += e.add(h.typed[i]) == mandate::add_status::rejected; ++i; break;
            case 2: rejected += e.add(h.lines[i], "events.jsonl", i + 1) == mandate::add_status::rejected; ++i; break;
            default: {
                const std::size_t n = std::min<std::size_t>(1000, h.rows.size() - i);
                rejected += rows.add(h.rows.data() + i, n).rejected;
                i += n;
            }
        }
    }
    state.counters["rejected"] = static_cast<double>(rejected);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * (state.range(0) == 3 ? 1000 : 1)));
}

// Each iteration adds the next 1000 held-back events and writes a fresh JSON report.
void BM_FreshReport(benchmark::State& state) {
    const data& d = the_data();
    const std::size_t batch = 1000, rounds = static_cast<std::size_t>(state.max_iterations);
    const std::size_t first = d.event_lines.size() - std::min(batch * rounds, d.event_lines.size());
    mandate::engine e = loaded(first);
    e.evaluate(year_end);
    std::size_t i = first;
    for (auto _ : state) {
        const std::size_t to = std::min(i + batch, d.event_lines.size());
        for (; i < to; ++i) e.add(d.event_lines[i], "events.jsonl", i + 1);
        const mandate::report r = e.evaluate(year_end);
        std::ostringstream out;
        mandate::io::write_json(r, out);
        benchmark::DoNotOptimize(out.str().size());
    }
    state.counters["events_per_round"] = static_cast<double>(batch);
}

std::size_t heap_in_use() {
    const struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
}

std::size_t rss_bytes() {
    long pages = 0, resident = 0;
    if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
        std::fclose(f);
    }
    return static_cast<std::size_t>(resident) * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

// Heap bytes held, and RSS growth, per event the engine retains (applied and retracted ones:
// what it must keep to answer a report), ids and strings included; after its first report, so
// the indexes a report builds are counted too.
void BM_State(benchmark::State& state) {
    const data& d = the_data();
    double per_event = 0, rss_per_event = 0, retained = 0;
    mandate::memory_usage parts;
    for (auto _ : state) {
        malloc_trim(0);
        const std::size_t heap0 = heap_in_use(), rss0 = rss_bytes();
        mandate::engine e = loaded(d.event_lines.size());
        {
            const mandate::report r = e.evaluate(year_end);
            retained = static_cast<double>(r.inputs.applied + r.inputs.retracted);
        }
        parts = e.memory();
        malloc_trim(0);
        const std::size_t heap1 = heap_in_use(), rss1 = rss_bytes();
        per_event = (static_cast<double>(heap1) - static_cast<double>(heap0)) / retained;
        rss_per_event = (static_cast<double>(rss1) - static_cast<double>(rss0)) / retained;
    }
    struct rusage u {};
    getrusage(RUSAGE_SELF, &u);
    state.counters["retained_events"] = retained;
    state.counters["bytes_per_event"] = per_event;
    state.counters["rss_per_event"] = rss_per_event;
    state.counters["peak_rss_MiB"] = static_cast<double>(u.ru_maxrss) / 1024.0;
    // Where the bytes of a retained event go (engine::memory(), per retained event).
    const double n = retained > 0 ? retained : 1;
    state.counters["B_strings"] = static_cast<double>(parts.strings) / n;
    state.counters["B_event_ids"] = static_cast<double>(parts.event_ids) / n;
    state.counters["B_rows"] = static_cast<double>(parts.rows) / n;
    state.counters["B_fields"] = static_cast<double>(parts.fields) / n;
    state.counters["B_entities"] = static_cast<double>(parts.entities) / n;
    state.counters["B_indexes"] = static_cast<double>(parts.indexes) / n;
    state.counters["B_other"] = static_cast<double>(parts.other) / n;
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    const bool big = the_data().event_lines.size() > 1000000;
    const auto whole = big ? benchmark::kSecond : benchmark::kMillisecond;
    benchmark::RegisterBenchmark("BM_CompileGoutang", BM_CompileGoutang)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("BM_CompilePathological", BM_CompilePathological)
        ->DenseRange(0, 2)->ArgNames({"case"})->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("BM_ParseRecords", BM_ParseRecords)->Unit(whole);
    // On 1 thread and on 2 (this machine's cores), timed by the clock on the wall.
    benchmark::RegisterBenchmark("BM_IngestJsonl", BM_IngestJsonl)->Arg(1)->Arg(2)->ArgNames({"threads"})->UseRealTime()->Unit(whole);
    benchmark::RegisterBenchmark("BM_Check", BM_Check)->Arg(1)->Arg(2)->ArgNames({"threads"})->UseRealTime()->Unit(whole);
    benchmark::RegisterBenchmark("BM_Report", BM_Report)->Arg(0)->Arg(1)->ArgNames({"evidence"})->Unit(benchmark::kMillisecond);
    // Enough held-back events for a stable figure, never more than a tenth of the data.
    const auto held = static_cast<benchmark::IterationCount>(std::max<std::size_t>(1, std::min<std::size_t>(200000, the_data().event_lines.size() / 10)));
    benchmark::RegisterBenchmark("BM_AddEvent", BM_AddEvent)->Iterations(held);
    // The same held-back screen plays in every form; the batch takes them a thousand at a time.
    const auto plays = static_cast<benchmark::IterationCount>(std::max<std::size_t>(1, screen_plays(static_cast<std::size_t>(held)).rows.size()));
    for (int form = 0; form < 4; ++form)
        benchmark::RegisterBenchmark("BM_AddScreenPlay", BM_AddScreenPlay)
            ->Arg(form)->ArgNames({"form"})->Iterations(form == 3 ? std::max<benchmark::IterationCount>(1, plays / 1000) : plays);
    benchmark::RegisterBenchmark("BM_FreshReport", BM_FreshReport)->Iterations(std::min<benchmark::IterationCount>(10, held / 1000 + 1))
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("BM_State", BM_State)->Iterations(1)->Unit(whole);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
