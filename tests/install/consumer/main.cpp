// A program built against an installed mandate, found with find_package(mandate).
#include <mandate/mandate.hpp>
#include <iostream>
int main() {
    auto plan = mandate::compile("plan p {}\nphase c \"c\" from 2023-04-01 to 2023-04-30\nkind k \"k\"\nevent e {}\n"
                                 "obligation o { each x: k  require count(e of x) >= 1 }\n", "p.mandate");
    if (!plan) return 1;
    mandate::engine e(*plan);
    e.add(R"({"entity": "k1", "kind": "k"})");
    e.add(R"({"id": "a", "type": "e", "time": "2023-04-02", "unit": "k1"})");
    std::cout << mandate::to_string(e.evaluate(mandate::calendar::from_ymd(2023, 4, 3)).results.at(0).status) << "\n";
}
