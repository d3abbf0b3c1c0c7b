// A C++ host whose records are its own structs: an operator's outlets and what their screens
// played, added without JSON. usage: structs PLAN (rules/goutang-2023.mandate)
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <mandate/eval/structs.hpp>
#include <mandate/mandate.hpp>

namespace crm {

struct outlet {  // a row of the operator's outlet register
    std::string entity, parent, name;
    std::optional<bool> screen;
};
MANDATE_RECORD(outlet, entity, parent, name, screen)

struct screen_log {  // a screen's daily play log
    std::string id, unit;
    mandate::date time;
    double seconds = 0;
    bool antifraud = false;
};
MANDATE_RECORD(screen_log, id, unit, time, seconds, antifraud)

struct mistyped_log {  // seconds as text: refused when bound
    std::string id, unit, seconds;
    mandate::date time;
    bool antifraud = false;
};
MANDATE_RECORD(mistyped_log, id, unit, time, seconds, antifraud)

}  // namespace crm

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: structs PLAN\n";
        return 2;
    }
    std::ifstream file(argv[1], std::ios::binary);
    std::ostringstream rules;
    rules << file.rdbuf();
    const std::string text = rules.str();
    auto plan = mandate::compile(text, argv[1]);
    if (!plan) {
        const mandate::source_file source(argv[1], text);
        for (const auto& d : plan.diagnostics()) std::cerr << mandate::render(d, source);
        return 2;
    }
    mandate::engine engine(*plan);
    engine.add(R"({"entity": "goutang", "kind": "town"})");
    engine.add(R"({"entity": "cmcc", "kind": "operator", "parent": "goutang"})");

    // Bound once: each member is checked against the plan here, not per record.
    auto outlets = mandate::bind_entities<crm::outlet>(engine, "outlet");
    auto logs = mandate::bind_events<crm::screen_log>(engine, "screen_play");
    try {
        mandate::bind_events<crm::mistyped_log>(engine, "screen_play");
    } catch (const mandate::binding_error& e) {
        std::cout << "not bound: " << e.what() << "\n";
    }

    outlets.add({"o1", "cmcc", "城关营业厅", true});
    outlets.add({"o2", "cmcc", "河口营业厅", true});
    const std::vector<crm::screen_log> april = {
        {"p1", "o1", {2023, 4, 3}, 400, false},
        {"p2", "o1", {2023, 4, 3}, 100, true},   // o1: 100 of 500 seconds, 20%
        {"p3", "o2", {2023, 4, 5}, 370, false},
        {"p4", "o2", {2023, 4, 5}, 30, true},    // o2: 30 of 400 seconds, 7.5%
        {"p5", "", {2023, 4, 6}, 60, true},      // no unit: rejected, line 5
    };
    const mandate::batch_result added = logs.add(april, "screen-logs");
    std::cout << "added " << added.accepted << ", rejected " << added.rejected << "\n";

    // As of May 1st, April is over.
    const mandate::report report = engine.evaluate(mandate::calendar::from_ymd(2023, 5, 1));
    for (const auto& r : report.rejected) std::cout << "rejected " << r.source << ":" << r.line << ": " << r.reason << "\n";
    for (const auto& row : report.results) {
        if (row.obligation != "operator_screen_share" || row.span.from_text() != "2023-04-01") continue;
        std::cout << row.obligation << " " << row.unit.value_or("") << " " << row.span.from_text() << " "
                  << mandate::to_string(row.status);
        if (const auto& c = row.evidence.children) {
            std::cout << ": " << c->covered << " of " << c->of << " outlets hold";
            for (const auto& id : c->missing) std::cout << ", not " << id;
        }
        std::cout << "\n";
    }
    return 0;
}
