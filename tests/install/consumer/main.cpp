// A program built against an installed mandate, found with find_package(mandate): the event is
// one of its own structs, through the installed header templates (mandate/eval/structs.hpp).
#include <mandate/eval/structs.hpp>
#include <mandate/mandate.hpp>
#include <iostream>
struct sighting {
    std::string id, unit;
    mandate::date time;
};
MANDATE_RECORD(sighting, id, unit, time)
int main() {
    auto plan = mandate::compile("plan p {}\nphase c \"c\" from 2023-04-01 to 2023-04-30\nkind k \"k\"\nevent e {}\n"
                                 "obligation o { each x: k  require count(e of x) >= 1 }\n", "p.mandate");
    if (!plan) return 1;
    mandate::engine e(*plan);
    e.add(R"({"entity": "k1", "kind": "k"})");
    mandate::bind_events<sighting>(e, "e").add(sighting{"a", "k1", mandate::date(2023, 4, 2)});
    std::cout << mandate::to_string(e.evaluate(mandate::calendar::from_ymd(2023, 4, 3)).results.at(0).status) << "\n";
}
