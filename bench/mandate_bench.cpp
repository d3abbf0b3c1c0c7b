// Benchmarks of the whole pipeline on the Goutang plan and a generated town (bench/generate.cpp,
// `--scale town --seed 2023`): compile time, record parsing, ingestion, evaluation, and the
// cost of one added event. Data comes from $MANDATE_BENCH_DATA (a directory holding
// registry.jsonl and events.jsonl) or is generated beside the benchmark binary on first use.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "mandate/io/records.hpp"
#include "mandate/mandate.hpp"

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

struct data {
    std::string rules, registry, events;
    std::vector<std::string> event_lines;
};

const data& town() {
    static const data d = [] {
        data out;
        out.rules = slurp(std::string(MANDATE_SOURCE_DIR) + "/rules/goutang-2023.mandate");
        std::string dir;
        if (const char* env = std::getenv("MANDATE_BENCH_DATA")) {
            dir = env;
        } else {
            dir = std::string(MANDATE_BINARY_DIR) + "/bench-data/town";
            const std::string command = "mkdir -p " + dir + " && test -s " + dir + "/events.jsonl || " +
                                        std::string(MANDATE_BINARY_DIR) + "/bin/mandate-generate --scale town --seed 2023 --registry " +
                                        dir + "/registry.jsonl --events " + dir + "/events.jsonl";
            if (std::system(command.c_str()) != 0) std::abort();
        }
        out.registry = slurp(dir + "/registry.jsonl");
        out.events = slurp(dir + "/events.jsonl");
        std::istringstream in(out.events);
        for (std::string line; std::getline(in, line);)
            if (!line.empty()) out.event_lines.push_back(line);
        return out;
    }();
    return d;
}

mandate::plan compiled() {
    static const mandate::plan p = *mandate::compile(town().rules, "goutang-2023.mandate");
    return p;
}

void BM_CompileGoutang(benchmark::State& state) {
    const std::string& rules = town().rules;
    for (auto _ : state) benchmark::DoNotOptimize(mandate::compile(rules, "goutang-2023.mandate"));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * rules.size()));
}
BENCHMARK(BM_CompileGoutang)->Unit(benchmark::kMillisecond);

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
BENCHMARK(BM_CompilePathological)->DenseRange(0, 2)->ArgNames({"case"})->Unit(benchmark::kMillisecond);

void BM_ParseRecords(benchmark::State& state) {
    const data& d = town();
    mandate::io::record_parser parser(compiled()->model());
    std::size_t bytes = 0;
    for (auto _ : state) {
        for (const auto& line : d.event_lines) benchmark::DoNotOptimize(parser.parse(line));
    }
    for (const auto& line : d.event_lines) bytes += line.size() + 1;
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.event_lines.size()));
}
BENCHMARK(BM_ParseRecords)->Unit(benchmark::kMillisecond);

void BM_IngestJsonl(benchmark::State& state) {
    const data& d = town();
    for (auto _ : state) {
        mandate::engine e(compiled());
        std::istringstream registry(d.registry), events(d.events);
        e.add_jsonl(registry, "registry.jsonl");
        e.add_jsonl(events, "events.jsonl");
        benchmark::DoNotOptimize(e.latest_event_date());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * (d.registry.size() + d.events.size())));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.event_lines.size()));
}
BENCHMARK(BM_IngestJsonl)->Unit(benchmark::kMillisecond);

void BM_Evaluate(benchmark::State& state) {
    const data& d = town();
    mandate::engine_options options;
    options.evidence = state.range(0) != 0;
    mandate::engine e(compiled(), options);
    std::istringstream registry(d.registry), events(d.events);
    e.add_jsonl(registry, "registry.jsonl");
    e.add_jsonl(events, "events.jsonl");
    const auto as_of = mandate::calendar::from_ymd(2023, 12, 31);
    e.evaluate(as_of);  // indexes built once
    for (auto _ : state) benchmark::DoNotOptimize(e.evaluate(as_of));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.event_lines.size()));
}
BENCHMARK(BM_Evaluate)->Arg(0)->Arg(1)->ArgNames({"evidence"})->Unit(benchmark::kMillisecond);

void BM_AddEvent(benchmark::State& state) {
    const data& d = town();
    mandate::engine e(compiled());
    std::istringstream registry(d.registry);
    e.add_jsonl(registry, "registry.jsonl");
    std::size_t i = 0;
    for (auto _ : state) {
        e.add(d.event_lines[i % d.event_lines.size()], "events.jsonl", i);
        ++i;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_AddEvent);

}  // namespace

BENCHMARK_MAIN();
