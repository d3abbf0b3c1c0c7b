// A map keyed by entity index (or `none`, the plan itself): entities are numbered densely, so a
// vector of slot numbers finds a value without hashing, and only entities with a value hold one.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "store.hpp"

namespace mandate::eval {

template <class T>
class entity_map {
public:
    T& operator[](std::uint32_t e) {
        if (e == none) {
            if (none_at_ == none) {
                none_at_ = static_cast<std::uint32_t>(values_.size());
                values_.emplace_back();
                keys_.resize(values_.size(), none);
            }
            return values_[none_at_];
        }
        if (e >= at_.size()) at_.resize(std::max<std::size_t>(std::size_t{e} + 1, at_.size() * 3 / 2 + 16), none);
        if (at_[e] == none) {
            at_[e] = static_cast<std::uint32_t>(values_.size());
            values_.emplace_back();
            keys_.resize(values_.size(), none);
            keys_.back() = e;
        }
        return values_[at_[e]];
    }
    // Forgets e's value: the last value takes its place.
    void erase(std::uint32_t e) {
        if (e != none && e >= at_.size()) return;
        std::uint32_t& at = e == none ? none_at_ : at_[e];
        if (at == none) return;
        const std::uint32_t hole = at, last = static_cast<std::uint32_t>(values_.size() - 1);
        at = none;
        if (hole != last) {
            values_[hole] = std::move(values_[last]);
            const std::uint32_t moved = keys_[last];
            keys_[hole] = moved;
            (moved == none ? none_at_ : at_[moved]) = hole;
        }
        values_.pop_back();
        keys_.pop_back();
    }
    T* find(std::uint32_t e) { return const_cast<T*>(static_cast<const entity_map&>(*this).find(e)); }
    const T* find(std::uint32_t e) const {
        const std::uint32_t at = e == none ? none_at_ : e < at_.size() ? at_[e] : none;
        return at != none ? &values_[at] : nullptr;
    }
    void clear() {
        at_.clear();
        none_at_ = none;
        values_.clear();
        keys_.clear();
    }
    // Calls f(entity, value) for every value held (`none` for the plan's), in no particular order.
    template <class F>
    void for_each(F&& f) const {
        if (none_at_ != none) f(none, values_[none_at_]);
        for (std::uint32_t e = 0; e < at_.size(); ++e)
            if (at_[e] != none) f(e, values_[at_[e]]);
    }
    template <class F>
    void for_each(F&& f) {
        if (none_at_ != none) f(none, values_[none_at_]);
        for (std::uint32_t e = 0; e < at_.size(); ++e)
            if (at_[e] != none) f(e, values_[at_[e]]);
    }
    // Every value held, in no particular order.
    std::vector<T>& values() { return values_; }

private:
    std::vector<std::uint32_t> at_;  // entity index -> index into values_, or none
    std::uint32_t none_at_ = none;   // the value of `none` (the plan, for rules without `each`)
    std::vector<T> values_;
    std::vector<std::uint32_t> keys_;  // the key of each value (none for the plan's)
};

}  // namespace mandate::eval
