// The deterministic synthetic data generator: a Goutang-like town, or a county of them, as the
// JSON Lines records rules/goutang-2023.mandate reads — the entity registry, then a year of
// events (2023-03-01..2023-12-31). The same configuration and seed give the same bytes on every
// machine. Used by mandate-generate (bench/generate.cpp), the benchmarks (in memory) and tests.
//
// Not reentrant: one generate() at a time per process.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace mandate::generator {

// How big a place, and how it behaves. town() and county() are the presets; the counts of
// villages and of the town-level units (banks, schools, member units...) are what a scale
// factor multiplies, and the ranges are per village (or per unit) drawn uniformly.
struct config {
    std::string scale = "town";  // a name for the stats: "town", "county", "county x0.1"
    double factor = 1;           // county(factor)'s factor (1 for the presets)
    std::uint64_t seed = 1;
    int villages = 24;
    int banks = 4, central_schools = 1, schools = 6, members = 8, police = 1, finance = 1;
    int groups[2] = {3, 8}, communities[2] = {0, 3}, enterprises[2] = {1, 5}, institutions[2] = {1, 3};
    int stairwells[2] = {4, 20}, households[2] = {120, 320}, merchants[2] = {5, 30}, key_persons[2] = {10, 40};
    int village_staff[2] = {6, 12}, member_staff[2] = {4, 10}, students[2] = {60, 240};
    int screen_slots = 1;  // screen_play reports per outlet and day (each an anti-fraud and an other row)
    // Only events dated in [from, to] (days since 1970-01-01) are written; the defaults are the
    // model's year.
    int from = 19417, to = 19722;  // 2023-03-01, 2023-12-31
    bool shuffle = false;          // events in a random (seeded) order instead of time order
    // Several towns of this size, one after another: town k (from 1) is the town of seed
    // seed + (k - 1) * 1000003 with every id (entities and events) prefixed "tK-" (K padded to
    // the width of `towns`). The plan has no kind above the town: each town is a root. 1: the
    // one town as before, ids unprefixed.
    int towns = 1;
    std::string prefix;  // what every id starts with (set per town when towns > 1)
};

// The town of Goutang: 24 villages, 4 banks, 3 operators... about 33 000 events.
config town();
// A county: 500 villages and their town-level units, 30 screen reports per outlet and day —
// about 10 million events — times `factor`: villages, schools, member units, police stations
// and finance offices scale with it (at least one of each), the eight banks and three operators
// stay and their outlets follow the villages; per-village sizes stay. So events, entities and
// units all grow in proportion, and cost can be measured against size.
config county(double factor = 1);

// What was written (all towns together).
struct stats {
    std::uint64_t registry_lines = 0, event_lines = 0, registry_bytes = 0, event_bytes = 0;
    // events_by_type counts the base events; the deliberate bad records below are extra lines.
    std::vector<std::pair<std::string, std::uint64_t>> entities_by_kind, events_by_type;
    std::uint64_t entity_updates = 0;  // version 1 records (households moving out)
    std::uint64_t base = 0, duplicates = 0, retractions = 0, conflicts = 0, unregistered = 0, malformed = 0,
                  mistyped = 0, ignored = 0;
    double seconds = 0;
};

// Writes the registry to `registry` and the events to `events` (they may be the same file).
// Returns false, with errno set, when a write fails.
bool generate(const config& c, std::FILE* registry, std::FILE* events, stats* out = nullptr);

// The same records in memory: each string is whole lines, each ending in '\n'.
struct dataset {
    std::string registry, events;
    stats counts;
};
dataset generate(const config& c);

// A date like 2023-03-01 as days since 1970-01-01 (for config::from and to).
bool parse_day(const char* text, int& day);

// The stats as one JSON object (what mandate-generate --stats prints).
std::string stats_json(const config& c, const stats& s);

}  // namespace mandate::generator
