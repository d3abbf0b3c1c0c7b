// The report's value types: their text, and replaying a whole report into a sink.
#include "mandate/eval/report.hpp"

#include <algorithm>

namespace mandate {

std::string period::from_text() const {
    return has_clock() ? calendar::to_iso_minute(clock_from, offset_minutes) : calendar::to_iso(from);
}
std::string period::to_text() const {
    return has_clock() ? calendar::to_iso_minute(clock_to, offset_minutes) : calendar::to_iso(to);
}

const char* to_string(status s) {
    switch (s) {
        case status::pending: return "pending";
        case status::satisfied: return "satisfied";
        case status::violated: return "violated";
        case status::excused: return "excused";
    }
    return "?";
}

std::string reported_value::to_string() const {
    switch (k) {
        case kind::null: return "null";
        case kind::number: return number.to_string();
        case kind::days: return number.to_string();
        case kind::date: return calendar::to_iso(date);
        case kind::boolean: return boolean ? "true" : "false";
    }
    return "null";
}

unit_names::unit_names(std::vector<std::pair<std::string, std::string>> names) : names_(std::move(names)) {
    names_.erase(std::remove_if(names_.begin(), names_.end(), [](const auto& n) { return n.second.empty(); }), names_.end());
    std::sort(names_.begin(), names_.end());
    names_.erase(std::unique(names_.begin(), names_.end(), [](const auto& a, const auto& b) { return a.first == b.first; }),
                 names_.end());
}

const std::string* unit_names::find(std::string_view id) const {
    const auto it = std::lower_bound(names_.begin(), names_.end(), id, [](const auto& n, std::string_view k) { return n.first < k; });
    return it != names_.end() && it->first == id ? &it->second : nullptr;
}

void replay(const report& r, report_sink& sink) {
    sink.begin(r);
    for (const auto& row : r.results) sink.result(row);
    for (const auto& row : r.outcomes) sink.outcome(row);
    sink.end(r);
}

}  // namespace mandate
