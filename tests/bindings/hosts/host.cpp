// A host in C++: compiles a plan, is told of every bucket that turns violated or outcome that
// fires as records arrive, adds a JSON Lines file and prints the report as of a date.
// Usage: host RULES RECORDS AS_OF
#include <fstream>
#include <iostream>
#include <sstream>

#include <mandate/report/report_writer.hpp>
#include <mandate/mandate.hpp>

int main(int argc, char** argv) {
    if (argc != 4) {
        std::cerr << "usage: host RULES RECORDS AS_OF\n";
        return 1;
    }
    std::ifstream rules_file(argv[1], std::ios::binary);
    std::ostringstream rules;
    rules << rules_file.rdbuf();
    const std::string text = rules.str();

    // 1. Compile once: the plan, or every diagnostic of the file.
    auto plan = mandate::compile(text, argv[1]);
    if (!plan) {
        const mandate::source_file source(argv[1], text);
        for (const auto& d : plan.diagnostics()) std::cerr << mandate::render(d, source);
        return 2;
    }
    const auto as_of = mandate::calendar::parse_iso(argv[3]);
    if (!as_of) {
        std::cerr << "not a date: " << argv[3] << "\n";
        return 1;
    }

    // 2. An engine, and a subscriber: called inside add() for every bucket that changed.
    mandate::engine engine(*plan);
    engine.subscribe([](const mandate::status_change& c) {
        const std::string where = c.rule + " " + c.unit.value_or("-") + " " + mandate::calendar::to_iso(c.span.from) +
                                  ".." + mandate::calendar::to_iso(c.span.to);
        if (!c.outcome && c.after == mandate::status::violated) std::cerr << "violated: " << where << "\n";
        if (c.outcome && c.fired_after == true && c.fired_before != true) std::cerr << "fired: " << where << "\n";
    });

    // 3. Records: a JSON Lines file, read in blocks; rejections are listed by file and line.
    std::ifstream records(argv[2], std::ios::binary);
    if (!records) {
        std::cerr << "cannot read " << argv[2] << "\n";
        return 1;
    }
    engine.add_jsonl(records, argv[2]);

    // 4. The report as of a date: the mandate.report/1 JSON contract.
    mandate::io::write_json(engine.evaluate(*as_of), std::cout);
    return 0;
}
