// check, graph and explain: the evaluation commands.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "mandate/io/report_writer.hpp"
#include "mandate/mandate.hpp"

namespace mandate::cli {
namespace {

struct options {
    std::vector<std::string> positional;
    std::vector<std::string> events, registry;
    std::optional<std::string> as_of, format, output, rejects, obligation, outcome, unit, period;
    bool strict = false;
};

// Options may repeat their value list: `--events a.jsonl b.jsonl --as-of ...`.
options parse_options(const std::vector<std::string>& args) {
    options o;
    std::vector<std::string>* list = nullptr;
    auto value = [&](std::size_t& i, const std::string& name) -> std::string {
        if (i + 1 >= args.size()) throw usage_error(name + " needs a value");
        return args[++i];
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
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
        } else if (a == "--strict") {
            o.strict = true;
            list = nullptr;
        } else if (a.size() > 1 && a[0] == '-' && a != "-") {
            throw usage_error("unknown option " + a);
        } else if (list) {
            list->push_back(a);
        } else {
            o.positional.push_back(a);
        }
    }
    return o;
}

// Compiles the plan, printing diagnostics; nullptr when it does not compile.
plan load_plan(const std::string& path) {
    const std::string text = read_file(path);
    auto compiled = compile(text, path);
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

void load_records(engine& e, const std::vector<std::string>& files) {
    for (const auto& path : files) {
        if (path == "-") {
            e.add_jsonl(std::cin, "<stdin>");
            continue;
        }
        std::error_code ec;
        if (std::filesystem::is_directory(path, ec)) throw usage_error("cannot read " + path + ": it is a directory");
        std::ifstream in(path, std::ios::binary);
        if (!in) throw usage_error("cannot read " + path);
        e.add_jsonl(in, path);  // throws on a read error part-way
    }
}

void emit(const std::optional<std::string>& output, const std::string& text) {
    if (!output || *output == "-") {
        std::cout << text;
        return;
    }
    write_file_atomic(*output, text);
}

}  // namespace

int check(const std::vector<std::string>& args) {
    const options o = parse_options(args);
    if (o.positional.size() != 1)
        throw usage_error("usage: mandate check PLAN --events FILE... [--registry FILE...] [--as-of DATE] "
                          "[--format table|json|csv] [-o FILE] [--rejects FILE] [--strict]");
    const plan p = load_plan(o.positional[0]);
    if (!p) return 2;
    engine e(p);
    load_records(e, o.registry);
    load_records(e, o.events);
    calendar::day as_of;
    if (o.as_of) {
        as_of = parse_date_option(*o.as_of, "--as-of");
    } else if (auto latest = e.latest_event_date()) {
        as_of = *latest;
    } else {
        throw usage_error("no event dates to default --as-of to; give --as-of DATE");
    }
    const report r = e.evaluate(as_of);
    const std::string format = o.format.value_or(o.output && *o.output != "-" ? "json" : (isatty(1) ? "table" : "json"));
    std::ostringstream text;
    if (format == "json") io::write_json(r, text);
    else if (format == "csv") io::write_csv(r, text);
    else if (format == "table") io::write_table(r, text);
    else throw usage_error("--format must be table, json or csv, not '" + format + "'");
    emit(o.output, text.str());
    if (o.rejects) {
        std::ostringstream rejects;
        for (const auto& x : r.rejected)
            rejects << "{\"source\": " << io::json_string(x.source) << ", \"line\": " << x.line
                    << ", \"reason\": " << io::json_string(x.reason) << "}\n";
        emit(o.rejects, rejects.str());
    }
    if (!r.rejected.empty()) std::cerr << "mandate check: " << r.rejected.size() << " records rejected\n";
    return o.strict && !r.rejected.empty() ? 1 : 0;
}

int graph(const std::vector<std::string>& args) {
    if (args.size() != 1) throw usage_error("usage: mandate graph PLAN");
    const plan p = load_plan(args[0]);
    if (!p) return 2;
    std::cout << p->to_dot();
    return 0;
}

int explain(const std::vector<std::string>& args) {
    const options o = parse_options(args);
    if (o.positional.size() != 1 || (!o.obligation == !o.outcome) || !o.unit)
        throw usage_error("usage: mandate explain PLAN --events FILE... (--obligation ID | --outcome ID) --unit ID "
                          "[--period DATE] [--as-of DATE]");
    const plan p = load_plan(o.positional[0]);
    if (!p) return 2;
    // Obligations and outcomes are separate namespaces: each option looks in its own.
    const int rule = o.obligation ? p->model().find_obligation(*o.obligation) : p->model().find_outcome(*o.outcome);
    if (rule < 0)
        throw usage_error(std::string("the plan has no ") + (o.obligation ? "obligation '" + *o.obligation : "outcome '" + *o.outcome) + "'");
    engine e(p);
    load_records(e, o.registry);
    load_records(e, o.events);
    calendar::day as_of;
    if (o.as_of) as_of = parse_date_option(*o.as_of, "--as-of");
    else if (auto latest = e.latest_event_date()) as_of = *latest;
    else throw usage_error("give --as-of DATE");
    std::optional<calendar::day> within;
    if (o.period) within = parse_date_option(*o.period, "--period");
    const report r = e.evaluate(as_of);
    const check::rule& rr = p->model().rules[static_cast<std::size_t>(rule)];
    std::cout << (rr.outcome ? "outcome " : "obligation ") << rr.id << (rr.label.empty() ? "" : "  " + rr.label) << "\n";
    for (const auto& c : rr.cites) std::cout << "  cite: " << c << "\n";
    std::cout << "  " << (rr.outcome ? "when " : "require ") << rr.condition.text << "  ("
              << check::to_string(rr.mono) << ")\n";
    auto in_period = [&](const period& s) { return !within.has_value() || (s.from <= within.value() && within.value() <= s.to); };
    auto print_evidence = [&](const evidence& ev) {
        for (const auto& [text, v] : ev.measures) std::cout << "    " << text << " = " << v.to_string() << "\n";
        if (!ev.events.empty()) {
            std::cout << "    events (" << ev.event_count << "):";
            for (const auto& id : ev.events) std::cout << " " << id;
            std::cout << (ev.event_count > ev.events.size() ? " ...\n" : "\n");
        }
        if (ev.gap) std::cout << "    longest gap: " << calendar::to_iso(ev.gap->from) << ".." << calendar::to_iso(ev.gap->to)
                              << " (" << ev.gap->days << " days)\n";
        if (ev.ratio) std::cout << "    ratio: " << ev.ratio->numerator.to_string() << " / " << ev.ratio->denominator.to_string() << "\n";
        if (ev.coverage) {
            std::cout << "    covered " << ev.coverage->covered << " of " << ev.coverage->of;
            if (!ev.coverage->missing.empty()) {
                std::cout << "; missing:";
                for (const auto& m : ev.coverage->missing) std::cout << " " << m;
            }
            std::cout << "\n";
        }
    };
    std::size_t shown = 0;
    for (const auto& x : r.results) {
        if (x.rule != rule || x.unit.value_or("") != *o.unit || !in_period(x.span)) continue;
        ++shown;
        std::cout << "\n  " << calendar::to_iso(x.span.from) << ".." << calendar::to_iso(x.span.to) << ": " << to_string(x.status)
                  << (x.met ? " (met)" : " (not met)") << (x.at_risk ? ", at risk" : "");
        if (!x.value.is_null()) std::cout << ", value " << x.value.to_string();
        if (x.reason) std::cout << ", " << *x.reason;
        std::cout << "\n";
        print_evidence(x.evidence);
    }
    for (const auto& x : r.outcomes) {
        if (x.rule != rule || x.unit.value_or("") != *o.unit || !in_period(x.span)) continue;
        ++shown;
        std::cout << "\n  " << calendar::to_iso(x.span.from) << ".." << calendar::to_iso(x.span.to) << ": "
                  << (x.fired ? "fired" : "not fired") << (x.final ? ", final" : ", not final");
        if (x.final_on) std::cout << " since " << calendar::to_iso(*x.final_on);
        std::cout << "\n";
        print_evidence(x.evidence);
    }
    if (shown == 0) std::cout << "\n  no bucket of " << *o.unit << " has started by " << calendar::to_iso(as_of) << "\n";
    return 0;
}

}  // namespace mandate::cli
