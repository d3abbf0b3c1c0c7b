// The data every benchmark suite shares: the Goutang plan and the generated records, made in
// memory once per process (MANDATE_BENCH_SCALE=town|county|FACTOR, MANDATE_BENCH_SEED=N), and
// engines loaded with part of them.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <istream>
#include <sstream>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

#include "generator.hpp"
#include "mandate/mandate.hpp"

namespace mandate::bench {

namespace gen = mandate::generator;


inline std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// An istream over bytes already in memory, without copying them.
struct memory_buf : std::streambuf {
    explicit memory_buf(std::string_view s) {
        char* p = const_cast<char*>(s.data());
        setg(p, p, p + s.size());
    }
};
struct memory_stream : std::istream {
    explicit memory_stream(std::string_view s) : std::istream(nullptr), buf(s) { rdbuf(&buf); }
    memory_buf buf;
};

struct data {
    gen::config config;
    std::string rules, registry, events;
    std::vector<std::string_view> event_lines;  // into events
};

inline data& the_data() {
    static data d = [] {
        data out;
        const char* scale = std::getenv("MANDATE_BENCH_SCALE");
        const std::string s = scale ? scale : "town";
        if (s == "town") out.config = gen::town();
        else if (s == "county") out.config = gen::county();
        else out.config = gen::county(std::strtod(s.c_str(), nullptr));
        if (!(out.config.villages > 0)) {
            std::fprintf(stderr, "MANDATE_BENCH_SCALE must be town, county or a positive factor\n");
            std::exit(2);
        }
        const char* seed = std::getenv("MANDATE_BENCH_SEED");
        out.config.seed = seed ? std::strtoull(seed, nullptr, 10) : 2023;
        out.rules = slurp(std::string(MANDATE_SOURCE_DIR) + "/rules/goutang-2023.mandate");
        gen::dataset g = gen::generate(out.config);
        out.registry = std::move(g.registry);
        out.events = std::move(g.events);
        for (std::size_t p = 0; p < out.events.size();) {
            const std::size_t q = out.events.find('\n', p);
            out.event_lines.emplace_back(out.events.data() + p, q - p);
            p = q + 1;
        }
        std::fprintf(stderr, "data: %s, seed %llu: %zu event lines, %.1f MB\n", out.config.scale.c_str(),
                     static_cast<unsigned long long>(out.config.seed), out.event_lines.size(),
                     (out.registry.size() + out.events.size()) / 1e6);
        return out;
    }();
    return d;
}

inline const mandate::plan& compiled() {
    static const mandate::plan p = *mandate::compile(the_data().rules, "goutang-2023.mandate");
    return p;
}

inline const mandate::calendar::day year_end = mandate::calendar::from_ymd(2023, 12, 31);

// The events from line `from` up to line `to` as one JSON Lines text.
inline std::string_view lines(std::size_t from, std::size_t to) {
    const data& d = the_data();
    if (from >= to) return {};
    const char* b = d.event_lines[from].data();
    const char* e = d.event_lines[to - 1].data() + d.event_lines[to - 1].size() + 1;
    return {b, static_cast<std::size_t>(e - b)};
}

// An engine holding the registry and the events before line `upto`.
inline mandate::engine loaded(std::size_t upto, mandate::engine_options options = {}) {
    const data& d = the_data();
    mandate::engine e(compiled(), options);
    memory_stream registry(d.registry), events(lines(0, upto));
    e.add_jsonl(registry, "registry.jsonl");
    e.add_jsonl(events, "events.jsonl");
    return e;
}

}  // namespace mandate::bench
