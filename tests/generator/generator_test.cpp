// The data generator as a library (bench/generator.hpp): the same bytes in memory as in a file,
// the scale factor's unit counts, growth in proportion, determinism, and the shuffled order.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "generator.hpp"

namespace gen = mandate::generator;

namespace {

std::uint64_t lines_in(const std::string& s) { return static_cast<std::uint64_t>(std::count(s.begin(), s.end(), '\n')); }

std::string read_all(std::FILE* f) {
    std::rewind(f);
    std::string out;
    char buf[1 << 16];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
    return out;
}

std::uint64_t entities(const gen::stats& s, const std::string& kind) {
    for (const auto& [k, n] : s.entities_by_kind)
        if (k == kind) return n;
    ADD_FAILURE() << "no kind " << kind;
    return 0;
}

// A small county for quick runs: one month of events.
gen::config small_county(double factor) {
    gen::config c = gen::county(factor);
    c.seed = 2023;
    EXPECT_TRUE(gen::parse_day("2023-03-01", c.from));
    EXPECT_TRUE(gen::parse_day("2023-03-31", c.to));
    return c;
}

}  // namespace

TEST(Generator, ParseDayCountsFromTheEpoch) {
    int day = 0;
    ASSERT_TRUE(gen::parse_day("2023-03-01", day));
    EXPECT_EQ(day, 19417);  // 53 years of 365 days and 13 leap days, then Jan + Feb 2023 (59)
    ASSERT_TRUE(gen::parse_day("1970-01-01", day));
    EXPECT_EQ(day, 0);
    EXPECT_FALSE(gen::parse_day("2023-13-01", day));
    EXPECT_FALSE(gen::parse_day("2023-03-01x", day));
    EXPECT_FALSE(gen::parse_day("March", day));
}

TEST(Generator, PresetsAreTheDocumentedSizes) {
    const gen::config t = gen::town();
    EXPECT_EQ(t.scale, "town");
    EXPECT_EQ(t.villages, 24);
    EXPECT_EQ(t.banks, 4);
    EXPECT_EQ(t.screen_slots, 1);
    const gen::config c = gen::county();
    EXPECT_EQ(c.scale, "county");
    EXPECT_EQ(c.villages, 500);
    EXPECT_EQ(c.banks, 8);
    EXPECT_EQ(c.schools, 20);
    EXPECT_EQ(c.members, 30);
    EXPECT_EQ(c.police, 5);
    EXPECT_EQ(c.finance, 2);
    EXPECT_EQ(c.screen_slots, 30);
}

TEST(Generator, ScaleFactorMultipliesVillagesAndTownUnits) {
    const gen::config tenth = gen::county(0.1);
    EXPECT_EQ(tenth.scale, "county x0.1");
    EXPECT_EQ(tenth.villages, 50);
    EXPECT_EQ(tenth.schools, 2);
    EXPECT_EQ(tenth.central_schools, 1);  // 0.5 rounds up
    EXPECT_EQ(tenth.members, 3);
    EXPECT_EQ(tenth.police, 1);           // 0.5 rounds up
    EXPECT_EQ(tenth.finance, 1);          // 0.2, but at least one
    EXPECT_EQ(tenth.banks, 8);            // the same banks, fewer outlets
    EXPECT_EQ(tenth.households[0], 350);  // per village: unchanged
    EXPECT_EQ(tenth.households[1], 950);
    const gen::config three = gen::county(3);
    EXPECT_EQ(three.scale, "county x3");
    EXPECT_EQ(three.villages, 1500);
    EXPECT_EQ(three.schools, 60);
    EXPECT_EQ(three.members, 90);
    EXPECT_EQ(three.police, 15);
    EXPECT_EQ(three.finance, 6);
    EXPECT_EQ(gen::county(1).villages, gen::county().villages);
    EXPECT_EQ(gen::county(1).scale, "county");
}

TEST(Generator, InMemoryIsTheFileByteForByte) {
    gen::config c = gen::town();
    c.seed = 2023;
    const gen::dataset d = gen::generate(c);
    std::FILE* reg = std::tmpfile();
    std::FILE* evs = std::tmpfile();
    ASSERT_TRUE(reg && evs);
    gen::stats s;
    ASSERT_TRUE(gen::generate(c, reg, evs, &s));
    EXPECT_EQ(read_all(reg), d.registry);
    EXPECT_EQ(read_all(evs), d.events);
    std::fclose(reg);
    std::fclose(evs);
    // The counts are of what was written.
    EXPECT_EQ(d.counts.registry_lines, lines_in(d.registry));
    EXPECT_EQ(d.counts.event_lines, lines_in(d.events));
    EXPECT_EQ(d.counts.registry_bytes, d.registry.size());
    EXPECT_EQ(d.counts.event_bytes, d.events.size());
    EXPECT_EQ(s.event_lines, d.counts.event_lines);
    EXPECT_EQ(entities(d.counts, "village"), 24u);
    EXPECT_EQ(entities(d.counts, "town"), 1u);
    // Each base event is one line; every bad record is one more (a retraction and a conflict
    // are two extra lines each: the copy and the retraction, the copy and the clash).
    const gen::stats& n = d.counts;
    EXPECT_EQ(n.event_lines, n.base + n.duplicates + 2 * n.retractions + 2 * n.conflicts + n.unregistered + n.malformed + n.mistyped);
    EXPECT_EQ(d.registry.back(), '\n');
    EXPECT_EQ(d.events.back(), '\n');
}

TEST(Generator, SameSeedSameBytesOtherSeedOtherBytes) {
    gen::config c = gen::town();
    c.villages = 3;
    c.seed = 5;
    const gen::dataset a = gen::generate(c), b = gen::generate(c);
    EXPECT_EQ(a.registry, b.registry);
    EXPECT_EQ(a.events, b.events);
    c.seed = 6;
    const gen::dataset other = gen::generate(c);
    EXPECT_NE(a.events, other.events);
}

TEST(Generator, ShuffleKeepsEveryLineInAnotherOrder) {
    gen::config c = gen::town();
    c.villages = 3;
    const gen::dataset ordered = gen::generate(c);
    c.shuffle = true;
    const gen::dataset shuffled = gen::generate(c);
    EXPECT_EQ(shuffled.registry, ordered.registry);
    EXPECT_NE(shuffled.events, ordered.events);
    auto split = [](const std::string& s) {
        std::vector<std::string> v;
        for (std::size_t p = 0, q; p < s.size(); p = q + 1) v.push_back(s.substr(p, (q = s.find('\n', p)) - p));
        std::sort(v.begin(), v.end());
        return v;
    };
    EXPECT_EQ(split(shuffled.events), split(ordered.events));
}

TEST(Generator, CountyGrowsInProportionToTheFactor) {
    const gen::dataset one = gen::generate(small_county(0.1)), two = gen::generate(small_county(0.2));
    EXPECT_EQ(entities(one.counts, "village"), 50u);
    EXPECT_EQ(entities(two.counts, "village"), 100u);
    EXPECT_EQ(entities(one.counts, "bank"), 8u);
    EXPECT_EQ(entities(one.counts, "operator"), 3u);
    auto ratio = [](double a, double b) { return b / a; };
    // Households are drawn per village; outlets follow villages (a few per bank or operator).
    EXPECT_NEAR(ratio(entities(one.counts, "household"), entities(two.counts, "household")), 2.0, 0.2);
    EXPECT_NEAR(ratio(entities(one.counts, "outlet"), entities(two.counts, "outlet")), 2.0, 0.35);
    EXPECT_NEAR(ratio(one.counts.registry_lines, two.counts.registry_lines), 2.0, 0.2);
    EXPECT_NEAR(ratio(one.counts.event_lines, two.counts.event_lines), 2.0, 0.35);
    // March only: no event outside it.
    EXPECT_EQ(one.events.find("\"2023-04-"), std::string::npos);
    EXPECT_NE(one.events.find("\"2023-03-"), std::string::npos);
}

namespace multi {

// Every occurrence of `what` taken out of `s`.
std::string without(std::string s, const std::string& what) {
    for (std::size_t p; (p = s.find(what)) != std::string::npos;) s.erase(p, what.size());
    return s;
}

std::size_t count(const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t p = 0; (p = s.find(what, p)) != std::string::npos; p += what.size()) ++n;
    return n;
}

// The lines that end their JSON object (those not cut short), joined.
std::string whole_lines(const std::string& s) {
    std::string out;
    for (std::size_t p = 0, q; p < s.size(); p = q + 1) {
        q = s.find('\n', p);
        if (q > p && s[q - 1] == '}') out.append(s, p, q - p + 1);
    }
    return out;
}

}  // namespace multi

TEST(Generator, TownsAreSeededTownsOneAfterAnotherWithPrefixedIds) {
    gen::config one = gen::town();
    one.villages = 3;
    gen::config c = one;
    c.towns = 3;
    const gen::dataset all = gen::generate(c);
    // Three roots: each town's own registry record, without a parent.
    EXPECT_EQ(multi::count(all.registry, "{\"entity\":\"t1-goutang\",\"kind\":\"town\",\"name\""), 1u);
    EXPECT_EQ(multi::count(all.registry, "{\"entity\":\"t2-goutang\",\"kind\":\"town\",\"name\""), 1u);
    EXPECT_EQ(multi::count(all.registry, "{\"entity\":\"t3-goutang\",\"kind\":\"town\",\"name\""), 1u);
    EXPECT_EQ(multi::count(all.registry, "\"kind\":\"town\""), 3u);
    // Town k is the one town of seed 1 + (k - 1) * 1000003 with its ids prefixed: taking the
    // prefix out gives that town's bytes, registry and events.
    std::string registries, events;
    for (int k = 1; k <= 3; ++k) {
        gen::config t = one;
        t.seed = 1 + static_cast<std::uint64_t>(k - 1) * 1000003u;
        const gen::dataset d = gen::generate(t);
        registries += d.registry;
        events += d.events;
    }
    // (The lines cut short on purpose are cut at 3/5 of the line, which the prefix lengthens:
    // those are compared by their count.)
    const std::string bare = multi::without(multi::without(multi::without(all.events, "t1-"), "t2-"), "t3-");
    EXPECT_TRUE(multi::without(multi::without(multi::without(all.registry, "t1-"), "t2-"), "t3-") == registries);
    EXPECT_TRUE(multi::whole_lines(bare) == multi::whole_lines(events));
    EXPECT_EQ(multi::count(bare, "\n"), multi::count(events, "\n"));
    EXPECT_GT(multi::whole_lines(events).size(), events.size() * 9 / 10);
    // Every id is prefixed: no event id, retraction or unit is left bare.
    EXPECT_EQ(multi::count(all.events, "\"id\":\"e"), 0u);
    EXPECT_EQ(multi::count(all.events, "\"retract\":\"e"), 0u);
    EXPECT_EQ(multi::count(all.events, "\"unit\":\"v"), 0u);
    EXPECT_GT(multi::count(all.events, "\"retract\":\"t2-e"), 0u);
    // The counts add up over the towns.
    const gen::dataset first = gen::generate(one);
    EXPECT_GT(all.counts.base, 2 * first.counts.base);
    EXPECT_EQ(all.counts.registry_lines, static_cast<std::uint64_t>(multi::count(all.registry, "\n")));
    EXPECT_EQ(all.counts.event_lines, static_cast<std::uint64_t>(multi::count(all.events, "\n")));
    std::uint64_t towns = 0;
    for (const auto& [kind, n] : all.counts.entities_by_kind)
        if (kind == "town") towns = n;
    EXPECT_EQ(towns, 3u);
}

TEST(Generator, ShuffledTownsKeepEachTownsLines) {
    gen::config c = gen::town();
    c.villages = 2;
    c.towns = 2;
    const gen::dataset ordered = gen::generate(c);
    c.shuffle = true;
    const gen::dataset shuffled = gen::generate(c);
    EXPECT_EQ(shuffled.registry, ordered.registry);
    EXPECT_NE(shuffled.events, ordered.events);
    // Town 1's lines all come before town 2's: each town is shuffled on its own.
    const std::size_t last_t1 = shuffled.events.rfind("\"t1-"), first_t2 = shuffled.events.find("\"t2-");
    EXPECT_LT(last_t1, first_t2);
    EXPECT_EQ(shuffled.events.size(), ordered.events.size());
}
