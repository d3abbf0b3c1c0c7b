#include "mandate/compile.hpp"

#include "mandate/check/check.hpp"

namespace mandate {

result<plan> compile(std::string_view source, std::string name, const limits& l) {
    // A UTF-8 byte order mark is not part of the rules; spans count from after it.
    if (source.substr(0, 3) == "\xEF\xBB\xBF") source.remove_prefix(3);
    const source_file file(name, std::string(source));
    auto checked = check::load(file, l);
    if (!checked.ok()) return result<plan>(checked.diagnostics());
    return result<plan>(graph::compile(std::move(checked.value()), source, std::move(name)));
}

}  // namespace mandate
