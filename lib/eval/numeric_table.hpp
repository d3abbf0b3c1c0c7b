// A map from 31-bit keys to small values, for the keys of numbered ids (string_pool's numbered
// texts): pages of a dense array while the keys are dense — 4 bytes a key for a run of ids
// like e1..e10000000, with no hashing — and an open-addressing table from the moment they
// prove sparse (random nine-digit numbers), which never comes back to pages. Pages of 1 024
// keys are found through regions of 1 024 pages, made as keys reach them: a shape's range
// starts far from the last one's, and an engine with a few ids holds a few kilobytes.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "pod_vector.hpp"

namespace mandate::eval {

template <class T, T Empty>
class numeric_table {
    static_assert(sizeof(T) <= 4, "a value fits beside its key in 8 bytes");

public:
    static constexpr std::uint32_t max_key = 0x7FFFFFFFu;

    T get(std::uint32_t k) const {
        if (!hashed_) {
            const T* page = page_of(k);
            return page ? page[k & page_mask] : Empty;
        }
        for (std::size_t i = spread(k) & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
            const std::uint64_t s = slots_[i];
            if (s == empty_slot) return Empty;
            if ((s >> 32) == k) return static_cast<T>(s & 0xFFFFFFFFu);
        }
    }

    // k's value, or `value` stored now when k has none; second: whether it was stored.
    std::pair<T, bool> insert(std::uint32_t k, T value) {
        if (!hashed_) {
            const std::size_t r = k >> region_bits;
            if (r >= regions_.size()) regions_.resize(r + 1);
            if (!regions_[r]) regions_[r] = std::make_unique<std::unique_ptr<T[]>[]>(pages_per_region);
            std::unique_ptr<T[]>& page = regions_[r][(k >> page_bits) & (pages_per_region - 1)];
            if (!page) {
                page = std::make_unique<T[]>(page_size);
                std::fill_n(page.get(), page_size, Empty);
                ++page_count_;
            }
            T& at = page[k & page_mask];
            if (at != Empty) return {at, false};
            at = value;
            ++count_;
            // Pages that are mostly empty: the keys are sparse, and a hash table holds them in
            // a few bytes each instead of a page each.
            if (page_count_ * page_size > 32 * count_ + (std::size_t{1} << 16)) to_hashed();
            return {value, true};
        }
        if ((count_ + 1) * 2 > slots_.size()) rehash(slots_.size() * 2);
        for (std::size_t i = spread(k) & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
            const std::uint64_t s = slots_[i];
            if (s == empty_slot) {
                slots_[i] = (std::uint64_t{k} << 32) | static_cast<std::uint32_t>(value);
                ++count_;
                return {value, true};
            }
            if ((s >> 32) == k) return {static_cast<T>(s & 0xFFFFFFFFu), false};
        }
    }

    std::size_t size() const { return count_; }
    std::size_t bytes() const {
        if (hashed_) return slots_.capacity() * 8;
        std::size_t n = page_count_ * page_size * sizeof(T) + regions_.capacity() * sizeof(regions_[0]);
        for (const auto& r : regions_) n += r ? pages_per_region * sizeof(r[0]) : 0;
        return n;
    }

    // Calls f(key, value) for every key, in ascending order.
    template <class F>
    void for_each(F&& f) const {
        if (!hashed_) {
            for (std::size_t r = 0; r < regions_.size(); ++r) {
                if (!regions_[r]) continue;
                for (std::size_t p = 0; p < pages_per_region; ++p) {
                    const T* page = regions_[r][p].get();
                    if (!page) continue;
                    const std::size_t first = (r << region_bits) | (p << page_bits);
                    for (std::size_t i = 0; i < page_size; ++i)
                        if (page[i] != Empty) f(static_cast<std::uint32_t>(first | i), page[i]);
                }
            }
            return;
        }
        std::vector<std::uint64_t> all;
        all.reserve(count_);
        for (const std::uint64_t s : slots_)
            if (s != empty_slot) all.push_back(s);
        std::sort(all.begin(), all.end());
        for (const std::uint64_t s : all) f(static_cast<std::uint32_t>(s >> 32), static_cast<T>(s & 0xFFFFFFFFu));
    }

private:
    static constexpr unsigned page_bits = 10;
    static constexpr std::size_t page_size = std::size_t{1} << page_bits;
    static constexpr std::uint32_t page_mask = page_size - 1;
    static constexpr unsigned region_bits = page_bits + 10;
    static constexpr std::size_t pages_per_region = std::size_t{1} << (region_bits - page_bits);
    const T* page_of(std::uint32_t k) const {
        const std::size_t r = k >> region_bits;
        if (r >= regions_.size() || !regions_[r]) return nullptr;
        return regions_[r][(k >> page_bits) & (pages_per_region - 1)].get();
    }
    static constexpr std::uint64_t empty_slot = ~std::uint64_t{0};  // no key is 0xFFFFFFFF

    static std::uint64_t spread(std::uint32_t k) {
        std::uint64_t h = k * 0x9E3779B97F4A7C15ull;
        return h ^ (h >> 29);
    }
    void to_hashed() {
        std::vector<std::pair<std::uint32_t, T>> all;
        all.reserve(count_);
        for_each([&](std::uint32_t k, T v) { all.emplace_back(k, v); });
        std::vector<std::unique_ptr<std::unique_ptr<T[]>[]>>().swap(regions_);
        page_count_ = 0;
        hashed_ = true;
        std::size_t n = 64;
        while (n < all.size() * 2 + 2) n *= 2;
        slots_.assign(n, empty_slot);
        for (const auto& [k, v] : all) place(k, v);
    }
    void rehash(std::size_t n) {
        pod_vector<std::uint64_t> old = std::move(slots_);
        slots_ = pod_vector<std::uint64_t>();
        slots_.assign(n, empty_slot);
        for (const std::uint64_t s : old)
            if (s != empty_slot) place(static_cast<std::uint32_t>(s >> 32), static_cast<T>(s & 0xFFFFFFFFu));
    }
    void place(std::uint32_t k, T v) {
        std::size_t i = spread(k) & (slots_.size() - 1);
        while (slots_[i] != empty_slot) i = (i + 1) & (slots_.size() - 1);
        slots_[i] = (std::uint64_t{k} << 32) | static_cast<std::uint32_t>(v);
    }

    std::vector<std::unique_ptr<std::unique_ptr<T[]>[]>> regions_;  // by key >> region_bits
    std::size_t page_count_ = 0, count_ = 0;
    bool hashed_ = false;
    pod_vector<std::uint64_t> slots_;
};

}  // namespace mandate::eval
