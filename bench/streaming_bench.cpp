// Benchmarks of a host that feeds records as they happen, on the Goutang plan and the
// generated records (bench_data.hpp: MANDATE_BENCH_SCALE=town|county|FACTOR):
//
//   BM_Stream            the last N events by date (MANDATE_BENCH_STREAM, default 100000, at
//                        most a tenth of the data) added one at a time to an engine loaded
//                        with the rest, with a subscriber at the default watch date; each add
//                        is timed: counters median_us, p99_us, max_us, changes_per_event
//   BM_ReportAfter1000   1 000 more events, then a report as of 2023-12-31 handed to a sink
//                        that keeps nothing: statuses only (evidence:0) and with evidence
//                        (evidence:1); time per round
//   BM_MoveWatch         with a subscriber, the watch date moved one day forward per
//                        iteration, from 2023-06-01 (time per move, counter changes_per_move)
//   BM_NewUnit           with a subscriber, a household registered (a unit nothing names yet)
//   BM_NewVersion        the same with a household's record fed again as a new version in
//                        the same place (nothing derived changes: only the accounting)
//   BM_MoveHousehold     a new version of a household moving it to the other of two villages
//                        (its rows and both villages' buckets follow; hierarchy.cpp)
//   BM_WaitingUnit       three events of a household not yet registered, then its record:
//                        the events wait unresolved until it resolves them (time per round)
//   BM_State             not a timing: the heap a loaded engine holds after its first report
//                        (freed), per bucket reported and per retained event (counters)
//
// docs/performance.md ("Streaming") has the figures.
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <vector>

#include "bench_data.hpp"
#include "mandate/mandate.hpp"

namespace {

using namespace mandate::bench;

std::size_t stream_length() {
    const char* text = std::getenv("MANDATE_BENCH_STREAM");
    const std::size_t wanted = text ? std::strtoull(text, nullptr, 10) : 100000;
    return std::max<std::size_t>(1, std::min(wanted, the_data().event_lines.size() / 10));
}

// Keeps nothing: the cost measured is the engine's, not a writer's.
struct null_sink : mandate::report_sink {
    void begin(const mandate::report&) override {}
    void result(const mandate::result_row& row) override { rows += 1 + (row.status == mandate::status::violated); }
    void outcome(const mandate::outcome_row& row) override { rows += 1 + row.fired; }
    void end(const mandate::report&) override {}
    std::size_t rows = 0;
};

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return v[k];
}

void BM_Stream(benchmark::State& state) {
    const data& d = the_data();
    const std::size_t n = stream_length();
    const std::size_t first = d.event_lines.size() - n;
    for (auto _ : state) {
        state.PauseTiming();
        mandate::engine e = loaded(first);
        std::size_t changes = 0;
        e.subscribe([&](const mandate::status_change&) { ++changes; });
        std::vector<double> micros;
        micros.reserve(n);
        state.ResumeTiming();
        for (std::size_t i = first; i < d.event_lines.size(); ++i) {
            const auto t0 = std::chrono::steady_clock::now();
            e.add(d.event_lines[i], "events.jsonl", i + 1);
            micros.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
        }
        state.PauseTiming();
        state.counters["events"] = static_cast<double>(n);
        state.counters["median_us"] = percentile(micros, 0.5);
        state.counters["p99_us"] = percentile(micros, 0.99);
        state.counters["max_us"] = percentile(micros, 1.0);
        state.counters["changes_per_event"] = static_cast<double>(changes) / static_cast<double>(n);
        { mandate::engine gone = std::move(e); }
        state.ResumeTiming();
    }
}

void BM_ReportAfter1000(benchmark::State& state) {
    const data& d = the_data();
    mandate::engine_options options;
    options.evidence = state.range(0) != 0;
    const std::size_t batch = 1000, rounds = static_cast<std::size_t>(state.max_iterations);
    const std::size_t first = d.event_lines.size() - std::min(batch * rounds, d.event_lines.size());
    mandate::engine e = loaded(first, options);
    null_sink warm;
    e.evaluate(year_end, warm);
    std::size_t i = first, rows = 0;
    for (auto _ : state) {
        const std::size_t to = std::min(i + batch, d.event_lines.size());
        for (; i < to; ++i) e.add(d.event_lines[i], "events.jsonl", i + 1);
        null_sink sink;
        e.evaluate(year_end, sink);
        rows = sink.rows;
        benchmark::DoNotOptimize(rows);
    }
    state.counters["events_per_round"] = static_cast<double>(batch);
}

// A household registered while records stream: a new unit nothing names yet, added to an
// engine loaded with everything and watched by a subscriber at 2023-12-31 (the household's
// village's coverage of households is judged again). Time per registration.
void BM_NewUnit(benchmark::State& state) {
    const data& d = the_data();
    mandate::engine e = loaded(d.event_lines.size());
    std::size_t changes = 0;
    e.set_watch_date(year_end);
    e.subscribe([&](const mandate::status_change&) { ++changes; });
    std::size_t n = 0;
    for (auto _ : state) {
        const std::string record = "{\"entity\": \"v001-new" + std::to_string(++n) +
                                   "\", \"kind\": \"household\", \"parent\": \"v001\"}";
        e.add(record, "registry.jsonl", n);
    }
    state.counters["changes_per_unit"] = static_cast<double>(changes) / static_cast<double>(std::max<std::size_t>(1, n));
}

// A household's record fed again as a new version, in the same place: nothing derived
// changes. Time per record.
void BM_NewVersion(benchmark::State& state) {
    const data& d = the_data();
    mandate::engine e = loaded(d.event_lines.size());
    e.set_watch_date(year_end);
    e.subscribe([](const mandate::status_change&) {});
    std::size_t n = 0;
    for (auto _ : state) {
        ++n;
        const std::string record = "{\"entity\": \"v001-h0001\", \"kind\": \"household\", \"parent\": \"v001\", \"version\": " +
                                   std::to_string(n + 1) + "}";
        e.add(record, "registry.jsonl", n);
    }
}

// A household moved between two villages by a new version, back and forth: its events leave
// one village's lists and states and join the other's, and both villages' buckets (and the
// household's) are judged again for the subscriber. Time per record.
void BM_MoveHousehold(benchmark::State& state) {
    const data& d = the_data();
    mandate::engine e = loaded(d.event_lines.size());
    std::size_t changes = 0;
    e.set_watch_date(year_end);
    e.subscribe([&](const mandate::status_change&) { ++changes; });
    std::size_t n = 0;
    for (auto _ : state) {
        ++n;
        const std::string record = "{\"entity\": \"v001-h0001\", \"kind\": \"household\", \"parent\": \"" +
                                   std::string(n % 2 ? "v002" : "v001") + "\", \"version\": " + std::to_string(n + 1) + "}";
        e.add(record, "registry.jsonl", n);
    }
    state.counters["changes_per_move"] = static_cast<double>(changes) / static_cast<double>(std::max<std::size_t>(1, n));
}

// Records naming a household before the registry does: three leaflet deliveries to it wait
// unresolved, then the household's record resolves them. Time per round (four records).
void BM_WaitingUnit(benchmark::State& state) {
    const data& d = the_data();
    mandate::engine e = loaded(d.event_lines.size());
    e.set_watch_date(year_end);
    e.subscribe([](const mandate::status_change&) {});
    std::size_t n = 0;
    for (auto _ : state) {
        ++n;
        const std::string unit = "v003-late" + std::to_string(n);
        for (int k = 0; k < 3; ++k)
            e.add("{\"id\": \"late-" + std::to_string(n) + "-" + std::to_string(k) +
                      "\", \"type\": \"leaflet_delivered\", \"time\": \"2023-05-1" + std::to_string(k) +
                      "\", \"unit\": \"v003\", \"recipient\": \"" + unit + "\"}",
                  "events.jsonl", n);
        e.add("{\"entity\": \"" + unit + "\", \"kind\": \"household\", \"parent\": \"v003\"}", "registry.jsonl", n);
    }
}

void BM_MoveWatch(benchmark::State& state) {
    const data& d = the_data();
    mandate::engine e = loaded(d.event_lines.size());
    std::size_t changes = 0;
    mandate::calendar::day watch = mandate::calendar::from_ymd(2023, 6, 1);
    e.set_watch_date(watch);
    e.subscribe([&](const mandate::status_change&) { ++changes; });
    for (auto _ : state) e.set_watch_date(++watch);
    state.counters["changes_per_move"] = static_cast<double>(changes) / static_cast<double>(state.iterations());
}

std::size_t heap_in_use() {
    const struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
}

// The heap an engine holds once loaded and asked for a report (the report itself freed): its
// store and indexes, and whatever it maintains per bucket. Per bucket reported and per event
// retained; the same figures before and after a change of design show what the change costs.
void BM_State(benchmark::State& state) {
    const data& d = the_data();
    double per_bucket = 0, per_event = 0, buckets = 0, engine_mib = 0;
    for (auto _ : state) {
        malloc_trim(0);
        const std::size_t heap0 = heap_in_use();
        mandate::engine e = loaded(d.event_lines.size());
        double retained = 0;
        {
            const mandate::report r = e.evaluate(year_end);
            buckets = static_cast<double>(r.results.size() + r.outcomes.size());
            retained = static_cast<double>(r.inputs.applied + r.inputs.retracted);
        }
        malloc_trim(0);
        const double engine_bytes = static_cast<double>(heap_in_use()) - static_cast<double>(heap0);
        engine_mib = engine_bytes / (1 << 20);
        per_bucket = engine_bytes / std::max(1.0, buckets);
        per_event = engine_bytes / std::max(1.0, retained);
    }
    state.counters["buckets"] = buckets;
    state.counters["engine_MiB"] = engine_mib;
    state.counters["engine_bytes_per_bucket"] = per_bucket;
    state.counters["engine_bytes_per_event"] = per_event;
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RegisterBenchmark("BM_Stream", BM_Stream)->Iterations(1)->Unit(benchmark::kSecond);
    benchmark::RegisterBenchmark("BM_ReportAfter1000", BM_ReportAfter1000)->Arg(0)->Arg(1)->ArgNames({"evidence"})
        ->Iterations(5)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("BM_MoveWatch", BM_MoveWatch)->Iterations(20)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("BM_NewUnit", BM_NewUnit)->Iterations(500)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("BM_NewVersion", BM_NewVersion)->Iterations(500)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("BM_MoveHousehold", BM_MoveHousehold)->Iterations(20)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("BM_WaitingUnit", BM_WaitingUnit)->Iterations(20)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("BM_State", BM_State)->Iterations(1)->Unit(benchmark::kSecond);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
