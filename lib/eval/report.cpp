// The report's value types: their text, and replaying a whole report into a sink.
#include "mandate/eval/report.hpp"

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

void replay(const report& r, report_sink& sink) {
    sink.begin(r);
    for (const auto& row : r.results) sink.result(row);
    for (const auto& row : r.outcomes) sink.outcome(row);
    sink.end(r);
}

}  // namespace mandate
