// mandate-generate: writes the deterministic synthetic town or county of bench/generator.hpp as
// JSON Lines files.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "generator.hpp"

namespace {

[[noreturn]] void usage(const char* message = nullptr, bool help = false) {
    if (message) std::fprintf(stderr, "mandate-generate: %s\n", message);
    std::fprintf(help ? stdout : stderr,
        "usage: mandate-generate [--scale town|county|FACTOR] [--towns N] [--seed N] [--villages N]\n"
        "                        [--screen-slots N] [--from DATE] [--to DATE] [--shuffle] [--stats]\n"
        "                        [--registry FILE] [--events FILE] [-o FILE]\n"
        "Writes a deterministic synthetic Goutang-like town (default, 24 villages) or county (500\n"
        "villages, about 10 million events; a number FACTOR is the county times FACTOR, e.g. 0.1 or\n"
        "3) as JSON Lines fitting rules/goutang-2023.mandate: the entity registry, then the events\n"
        "of 2023-03-01..2023-12-31 in time order (--shuffle: in a random order). --registry and\n"
        "--events name separate files, -o one combined file; with none, everything goes to standard\n"
        "output. --from/--to keep only events dated in range. --screen-slots: screen_play reports\n"
        "per outlet and day (town 1, county 30). --towns N writes N such places one after another,\n"
        "each its own root with ids prefixed t1-, t2-, ... (seeds SEED, SEED+1000003, ...); --shuffle\n"
        "then shuffles within each. --stats prints counts as JSON on standard error.\n"
        "Bad records at fixed frequencies: see bench/generator.cpp.\n");
    std::exit(help ? 0 : 2);
}

std::FILE* open_out(const char* path) {
    if (!path || std::strcmp(path, "-") == 0) return stdout;
    std::FILE* f = std::fopen(path, "wb");
    if (!f) {
        std::fprintf(stderr, "mandate-generate: %s: %s\n", path, std::strerror(errno));
        std::exit(1);
    }
    return f;
}

}  // namespace

int main(int argc, char** argv) {
    namespace gen = mandate::generator;
    gen::config cfg = gen::town();
    std::uint64_t seed = cfg.seed;
    int villages = -1, slots = -1, towns = 1;
    int from = cfg.from, to = cfg.to;
    bool do_shuffle = false, stats = false;
    const char *registry_path = nullptr, *events_path = nullptr, *combined_path = nullptr;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc) usage((a + " needs a value").c_str());
            return argv[++i];
        };
        auto number = [&]() -> long long {
            const char* v = value();
            char* end = nullptr;
            const long long x = std::strtoll(v, &end, 10);
            if (!*v || *end || x < 0) usage((a + " needs a whole number").c_str());
            return x;
        };
        if (a == "--seed") seed = static_cast<std::uint64_t>(number());
        else if (a == "--towns") {
            towns = static_cast<int>(number());
            if (towns < 1 || towns > 100000) usage("--towns must be 1 to 100000");
        }
        else if (a == "--villages") villages = static_cast<int>(number());
        else if (a == "--screen-slots") slots = static_cast<int>(number());
        else if (a == "--scale") {
            const std::string s = value();
            if (s == "county") cfg = gen::county();
            else if (s == "town") cfg = gen::town();
            else {
                char* end = nullptr;
                const double f = std::strtod(s.c_str(), &end);
                if (s.empty() || *end || !(f > 0) || f > 100)
                    usage("--scale must be town, county or a factor of the county in (0, 100]");
                cfg = gen::county(f);
            }
        } else if (a == "--from") {
            if (!gen::parse_day(value(), from)) usage("--from needs a date like 2023-03-01");
        } else if (a == "--to") {
            if (!gen::parse_day(value(), to)) usage("--to needs a date like 2023-12-31");
        } else if (a == "--shuffle") do_shuffle = true;
        else if (a == "--stats") stats = true;
        else if (a == "--registry") registry_path = value();
        else if (a == "--events") events_path = value();
        else if (a == "-o" || a == "--output") combined_path = value();
        else if (a == "-h" || a == "--help") usage(nullptr, true);
        else usage(("unknown argument " + a).c_str());
    }
    if (villages == 0 || villages > 100000) usage("--villages must be 1..100000");
    if (villages > 0) cfg.villages = villages;
    if (slots == 0 || slots > 3600) usage("--screen-slots must be 1..3600");
    if (slots > 0) cfg.screen_slots = slots;
    if (combined_path && (registry_path || events_path)) usage("-o writes one file; do not combine it with --registry/--events");
    if (!combined_path && (!registry_path) != (!events_path)) usage("give both --registry and --events, or -o");
    cfg.seed = seed;
    cfg.from = from;
    cfg.to = to;
    cfg.shuffle = do_shuffle;
    cfg.towns = towns;

    std::FILE* registry_file = open_out(combined_path ? combined_path : registry_path);
    std::FILE* events_file = combined_path || !events_path ? registry_file : open_out(events_path);
    gen::stats n;
    const bool written = gen::generate(cfg, registry_file, events_file, &n) &&
                         (events_file == stdout || std::fclose(events_file) == 0) &&
                         (registry_file == stdout || registry_file == events_file || std::fclose(registry_file) == 0);
    if (!written) {
        std::fprintf(stderr, "mandate-generate: write: %s\n", std::strerror(errno));
        return 1;
    }
    if (stats) std::fputs(gen::stats_json(cfg, n).c_str(), stderr);
    return 0;
}
