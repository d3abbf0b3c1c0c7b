// The items of literal lists: a sorted set per list (model.hpp says why).
#include <algorithm>

#include "mandate/check/model.hpp"

namespace mandate::check {

void member_set::add(const literal& value, type_kind kind) {
    switch (kind) {
        case type_kind::text:
            texts_.push_back(text_ref{bytes_.size(), value.text.size()});
            bytes_ += value.text;
            break;
        case type_kind::integer:
        case type_kind::number: numbers_.push_back(value.number); break;
        case type_kind::date: dates_.push_back(value.date); break;
        case type_kind::duration: durations_.push_back(value.length.days()); break;
        case type_kind::boolean: (value.boolean ? true_ : false_) = true; break;
        default: break;  // the checker admits no other literal in a list
    }
}

void member_set::seal() {
    const auto text_less = [&](const text_ref& a, const text_ref& b) {
        return std::string_view(bytes_).substr(a.at, a.size) < std::string_view(bytes_).substr(b.at, b.size);
    };
    const auto text_equal = [&](const text_ref& a, const text_ref& b) {
        return std::string_view(bytes_).substr(a.at, a.size) == std::string_view(bytes_).substr(b.at, b.size);
    };
    std::sort(texts_.begin(), texts_.end(), text_less);
    texts_.erase(std::unique(texts_.begin(), texts_.end(), text_equal), texts_.end());
    std::sort(numbers_.begin(), numbers_.end());
    numbers_.erase(std::unique(numbers_.begin(), numbers_.end()), numbers_.end());
    for (auto* days : {&dates_, &durations_}) {
        std::sort(days->begin(), days->end());
        days->erase(std::unique(days->begin(), days->end()), days->end());
    }
    texts_.shrink_to_fit();
    numbers_.shrink_to_fit();
}

bool member_set::has_text(std::string_view text) const {
    std::size_t lo = 0, hi = texts_.size();
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (text_at(mid) < text) lo = mid + 1;
        else hi = mid;
    }
    return lo < texts_.size() && text_at(lo) == text;
}

bool member_set::has_number(const rational& number) const {
    return std::binary_search(numbers_.begin(), numbers_.end(), number);
}
bool member_set::has_date(std::int64_t day) const { return std::binary_search(dates_.begin(), dates_.end(), day); }
bool member_set::has_days(std::int64_t days) const {
    return std::binary_search(durations_.begin(), durations_.end(), days);
}
bool member_set::has_boolean(bool value) const { return value ? true_ : false_; }

std::vector<std::string_view> member_set::texts() const {
    std::vector<std::string_view> out;
    out.reserve(texts_.size());
    for (std::size_t i = 0; i < texts_.size(); ++i) out.push_back(text_at(i));
    return out;
}

std::vector<bool> member_set::booleans() const {
    std::vector<bool> out;
    if (false_) out.push_back(false);
    if (true_) out.push_back(true);
    return out;
}

std::string member_set::key() const {
    // Length-prefixed texts, fractions and day numbers: no two sets give one key.
    std::string out;
    for (std::size_t i = 0; i < texts_.size(); ++i) {
        out += 's' + std::to_string(texts_[i].size) + ':';
        out += text_at(i);
    }
    for (const auto& n : numbers_) out += 'n' + n.to_fraction_string() + ';';
    for (auto d : dates_) out += 'd' + std::to_string(d) + ';';
    for (auto d : durations_) out += 'p' + std::to_string(d) + ';';
    if (false_) out += 'f';
    if (true_) out += 't';
    return out;
}

}  // namespace mandate::check
