// check, graph and explain: the evaluation commands.
#include "commands.hpp"

namespace mandate::cli {

int check(const std::vector<std::string>&) { throw usage_error("check: not built yet"); }
int graph(const std::vector<std::string>&) { throw usage_error("graph: not built yet"); }
int explain(const std::vector<std::string>&) { throw usage_error("explain: not built yet"); }

}  // namespace mandate::cli
