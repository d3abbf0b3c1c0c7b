#include "mandate/limits.hpp"

#include <charconv>

namespace mandate {

namespace {

template <class T>
std::optional<std::string> parse_into(T& out, std::string_view name, std::string_view value, std::uint64_t low, std::uint64_t high) {
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size())
        return "limit " + std::string(name) + " needs a whole number, not '" + std::string(value) + "'";
    if (n < low || n > high)
        return "limit " + std::string(name) + " must be between " + std::to_string(low) + " and " + std::to_string(high);
    out = static_cast<T>(n);
    return std::nullopt;
}

}  // namespace

std::optional<std::string> set_limit(limits& l, std::string_view name, std::string_view value) {
    constexpr std::uint64_t big = std::uint64_t{1} << 48;
    if (name == "max_source_bytes") return parse_into(l.max_source_bytes, name, value, 1, std::uint64_t{1} << 32);
    if (name == "max_expression_depth") return parse_into(l.max_expression_depth, name, value, 1, expression_depth_ceiling);
    if (name == "max_record_bytes") return parse_into(l.max_record_bytes, name, value, 16, std::uint64_t{1} << 30);
    if (name == "max_field_bytes") return parse_into(l.max_field_bytes, name, value, 1, std::uint64_t{1} << 30);
    if (name == "max_entities") return parse_into(l.max_entities, name, value, 1, big);
    if (name == "max_buckets") return parse_into(l.max_buckets, name, value, 1, big);
    return "no limit named '" + std::string(name) + "' (limits: " + describe(limits{}) + ")";
}

std::string describe(const limits& l) {
    return "max_source_bytes=" + std::to_string(l.max_source_bytes) +
           ", max_expression_depth=" + std::to_string(l.max_expression_depth) +
           ", max_record_bytes=" + std::to_string(l.max_record_bytes) + ", max_field_bytes=" + std::to_string(l.max_field_bytes) +
           ", max_entities=" + std::to_string(l.max_entities) + ", max_buckets=" + std::to_string(l.max_buckets);
}

}  // namespace mandate
