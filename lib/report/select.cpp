#include "mandate/report/select.hpp"

#include <algorithm>

#include "mandate/graph/plan.hpp"

namespace mandate {
namespace {

std::string period_text(const calendar::bucket& b) { return calendar::to_iso(b.from) + ".." + calendar::to_iso(b.to); }

// At most `limit` periods, then how many there are in all.
std::string list_of(const std::vector<calendar::bucket>& buckets, const std::vector<std::size_t>& which,
                    std::size_t limit = 6) {
    std::string out;
    for (std::size_t i = 0; i < which.size() && i < limit; ++i) {
        if (i) out += ", ";
        out += period_text(buckets[which[i]]);
    }
    if (which.size() > limit) out += ", … (" + std::to_string(which.size()) + " in all)";
    return out;
}

const char* relation(bucket_selector::kind k, bool plural) {
    switch (k) {
        case bucket_selector::kind::date: return plural ? "hold" : "holds";
        case bucket_selector::kind::range: return plural ? "are" : "is";
        case bucket_selector::kind::month: return plural ? "lie in" : "lies in";
    }
    return "";
}

}  // namespace

bucket_selector bucket_selector::month(int year, int month) {
    const calendar::day first = calendar::from_ymd(year, month, 1);
    return {kind::month, first, calendar::next_month_start(first) - 1};
}

std::string bucket_selector::to_string() const {
    switch (k) {
        case kind::date: return calendar::to_iso(from);
        case kind::range: return calendar::to_iso(from) + ".." + calendar::to_iso(to);
        case kind::month: return calendar::to_iso(from).substr(0, 7);
    }
    return "";
}

bool bucket_selector::matches(const calendar::bucket& b) const {
    switch (k) {
        case kind::date: return b.from <= from && from <= b.to;
        case kind::range: return b.from == from && b.to == to;
        // A cumulative bucket is named by its own calendar period; a due bucket, first reported
        // after its period, by its period.
        case kind::month: return from <= (b.visible <= b.to ? std::max(b.visible, b.from) : b.from) && b.to <= to;
    }
    return false;
}

std::optional<bucket_selector> parse_bucket_selector(std::string_view text) {
    if (const auto dots = text.find(".."); dots != std::string_view::npos) {
        const auto from = calendar::parse_iso(text.substr(0, dots));
        const auto to = calendar::parse_iso(text.substr(dots + 2));
        if (!from || !to) return std::nullopt;
        return bucket_selector::between(*from, *to);
    }
    if (text.size() == 7 && text[4] == '-') {
        int year = 0, month = 0;
        for (std::size_t i = 0; i < 7; ++i) {
            if (i == 4) continue;
            if (text[i] < '0' || text[i] > '9') return std::nullopt;
            (i < 4 ? year : month) = (i < 4 ? year : month) * 10 + (text[i] - '0');
        }
        if (year < calendar::min_year || year > calendar::max_year || month < 1 || month > 12) return std::nullopt;
        return bucket_selector::month(year, month);
    }
    if (const auto d = calendar::parse_iso(text)) return bucket_selector::on(*d);
    return std::nullopt;
}

bucket_choice choose_bucket(const bucket_selector& s, const std::vector<calendar::bucket>& candidates,
                            std::string_view owner) {
    bucket_choice choice;
    std::vector<std::size_t> hits, all;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        all.push_back(i);
        if (s.matches(candidates[i])) hits.push_back(i);
    }
    choice.matches = hits.size();
    if (hits.size() == 1) {
        choice.index = hits.front();
        return choice;
    }
    const std::string named = s.to_string();
    if (hits.empty()) {
        choice.error = "no bucket of " + std::string(owner) + " " + relation(s.k, false) + " " + named;
        choice.error += candidates.empty() ? std::string("; it has none") : "; its buckets: " + list_of(candidates, all);
        return choice;
    }
    // Buckets of hours on one day have the same days: dates cannot tell them apart.
    const bool hours = std::all_of(hits.begin(), hits.end(), [&](std::size_t i) { return candidates[i].clock_from != calendar::no_clock; });
    choice.error = std::to_string(hits.size()) + " buckets of " + std::string(owner) + " " + relation(s.k, true) + " " + named +
                   ": " + list_of(candidates, hits) +
                   (hours ? "; buckets of hours on one day cannot be named by dates: check them in a report instead"
                          : "; name one as FROM..TO");
    return choice;
}

row_choice select_row(const report& r, int rule, const std::optional<std::string>& unit, const bucket_selector& s) {
    row_choice out;
    // A cumulative bucket's own period starts where the compiled schedule says it is first
    // reported; every other bucket's starts on its `from`.
    const graph::rule_node* node = nullptr;
    std::string name;
    if (r.compiled) {
        for (const auto& rn : r.compiled->rules())
            if (rn.rule == rule) node = &rn;
        if (rule >= 0 && static_cast<std::size_t>(rule) < r.compiled->model().rules.size())
            name = r.compiled->model().rules[static_cast<std::size_t>(rule)].id;
    }
    auto as_bucket = [&](const period& p) {
        calendar::bucket b{p.from, p.to, p.from};
        b.clock_from = p.clock_from;
        b.clock_to = p.clock_to;
        if (node)
            for (const auto& c : node->buckets)
                if (c.from == p.from && c.to == p.to && c.clock_from == p.clock_from) b.visible = c.visible;
        return b;
    };
    std::vector<calendar::bucket> candidates;
    std::vector<const result_row*> results;
    std::vector<const outcome_row*> outcomes;
    for (const auto& x : r.results)
        if (x.rule == rule && x.unit == unit) {
            candidates.push_back(as_bucket(x.span));
            results.push_back(&x);
            if (name.empty()) name = x.obligation;
        }
    for (const auto& x : r.outcomes)
        if (x.rule == rule && x.unit == unit) {
            candidates.push_back(as_bucket(x.span));
            outcomes.push_back(&x);
            if (name.empty()) name = x.outcome;
        }
    const std::string owner = name + (unit ? " for " + *unit : std::string()) + " as of " + calendar::to_iso(r.as_of);
    const bucket_choice choice = choose_bucket(s, candidates, owner);
    out.matches = choice.matches;
    if (!choice.index) {
        out.error = choice.error;
        return out;
    }
    if (*choice.index < results.size()) out.result = results[*choice.index];
    else out.outcome = outcomes[*choice.index - results.size()];
    return out;
}

}  // namespace mandate
