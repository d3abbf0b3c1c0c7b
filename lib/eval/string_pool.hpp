// Interned strings: every text value, entity id and event id an engine holds is stored once
// and named by a dense 32-bit id, so equality is an integer comparison and rows stay small.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace mandate::eval {

using string_id = std::uint32_t;
inline constexpr string_id no_string = 0xFFFFFFFFu;

class string_pool {
public:
    string_pool() { slots_.assign(1024, empty); }

    // The id of `s`, adding it when new.
    string_id intern(std::string_view s) {
        const std::uint64_t h = hash(s);
        const std::uint64_t tag = h >> 32;
        std::size_t i = h & (slots_.size() - 1);
        for (;;) {
            const std::uint64_t slot = slots_[i];
            if (slot == empty) break;
            // The slot holds the string's hash tag beside its id: one memory access a probe.
            if ((slot >> 32) == tag && view(static_cast<string_id>(slot)) == s) return static_cast<string_id>(slot);
            i = (i + 1) & (slots_.size() - 1);
        }
        const auto id = static_cast<string_id>(offsets_.size());
        offsets_.push_back(store(s));
        lengths_.push_back(static_cast<std::uint32_t>(s.size()));
        slots_[i] = (tag << 32) | id;
        if (offsets_.size() * 2 > slots_.size()) grow();
        return id;
    }

    // The id of `s` if interned, else no_string.
    string_id find(std::string_view s) const {
        const std::uint64_t h = hash(s);
        const std::uint64_t tag = h >> 32;
        std::size_t i = h & (slots_.size() - 1);
        for (;;) {
            const std::uint64_t slot = slots_[i];
            if (slot == empty) return no_string;
            if ((slot >> 32) == tag && view(static_cast<string_id>(slot)) == s) return static_cast<string_id>(slot);
            i = (i + 1) & (slots_.size() - 1);
        }
    }

    std::string_view view(string_id id) const {
        const std::uint64_t off = offsets_[id];
        return std::string_view(chunks_[off >> 32].get() + (off & 0xFFFFFFFFu), lengths_[id]);
    }

    std::size_t size() const { return offsets_.size(); }

    std::size_t bytes() const {
        return chunk_bytes_total_ + offsets_.capacity() * 8 + lengths_.capacity() * 4 + slots_.capacity() * 8;
    }

private:
    // Eight bytes at a time, then a final mix: ids and units are short, but there are millions.
    static std::uint64_t hash(std::string_view s) {
        std::uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
        const char* p = s.data();
        std::size_t n = s.size();
        for (; n >= 8; p += 8, n -= 8) {
            std::uint64_t w;
            std::memcpy(&w, p, 8);
            h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
            h ^= h >> 31;
        }
        std::uint64_t tail = 0;
        std::memcpy(&tail, p, n);
        h = (h ^ tail) * 0x94D049BB133111EBull;
        h ^= h >> 29;
        h *= 0xBF58476D1CE4E5B9ull;
        return h ^ (h >> 32);
    }

    // Strings live in large chunks; (chunk << 32 | offset) locates one.
    std::uint64_t store(std::string_view s) {
        if (chunks_.empty() || used_ + s.size() > chunk_size_) {
            chunk_size_ = std::max<std::size_t>(std::size_t{1} << 16, s.size());
            chunks_.push_back(std::make_unique<char[]>(chunk_size_));
            chunk_bytes_total_ += chunk_size_;
            used_ = 0;
        }
        std::memcpy(chunks_.back().get() + used_, s.data(), s.size());
        const std::uint64_t loc = (static_cast<std::uint64_t>(chunks_.size() - 1) << 32) | used_;
        used_ += s.size();
        return loc;
    }

    // Doubles the table, placing each entry again from its full hash.
    void grow() {
        std::vector<std::uint64_t> bigger(slots_.size() * 2, empty);
        for (const std::uint64_t slot : slots_) {
            if (slot == empty) continue;
            std::size_t i = hash(view(static_cast<string_id>(slot))) & (bigger.size() - 1);
            while (bigger[i] != empty) i = (i + 1) & (bigger.size() - 1);
            bigger[i] = slot;
        }
        slots_.swap(bigger);
    }

    std::vector<std::unique_ptr<char[]>> chunks_;
    std::size_t chunk_size_ = 0, used_ = 0, chunk_bytes_total_ = 0;
    std::vector<std::uint64_t> offsets_;
    std::vector<std::uint32_t> lengths_;
    static constexpr std::uint64_t empty = ~std::uint64_t{0};
    std::vector<std::uint64_t> slots_;  // (hash >> 32) << 32 | id, or empty
};

}  // namespace mandate::eval
