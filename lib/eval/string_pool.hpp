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
    string_pool() { slots_.assign(1024, no_string); }

    // The id of `s`, adding it when new.
    string_id intern(std::string_view s) {
        const std::uint64_t h = hash(s);
        std::size_t i = h & (slots_.size() - 1);
        for (;;) {
            const string_id id = slots_[i];
            if (id == no_string) break;
            if (hashes_[id] == static_cast<std::uint32_t>(h) && view(id) == s) return id;
            i = (i + 1) & (slots_.size() - 1);
        }
        const auto id = static_cast<string_id>(offsets_.size());
        offsets_.push_back(store(s));
        lengths_.push_back(static_cast<std::uint32_t>(s.size()));
        hashes_.push_back(static_cast<std::uint32_t>(h));
        slots_[i] = id;
        if (offsets_.size() * 2 > slots_.size()) grow();
        return id;
    }

    // The id of `s` if interned, else no_string.
    string_id find(std::string_view s) const {
        const std::uint64_t h = hash(s);
        std::size_t i = h & (slots_.size() - 1);
        for (;;) {
            const string_id id = slots_[i];
            if (id == no_string) return no_string;
            if (hashes_[id] == static_cast<std::uint32_t>(h) && view(id) == s) return id;
            i = (i + 1) & (slots_.size() - 1);
        }
    }

    std::string_view view(string_id id) const {
        const std::uint64_t off = offsets_[id];
        return std::string_view(chunks_[off >> 32].get() + (off & 0xFFFFFFFFu), lengths_[id]);
    }

    std::size_t size() const { return offsets_.size(); }

    std::size_t bytes() const {
        return chunk_bytes_total_ + offsets_.capacity() * 8 + lengths_.capacity() * 4 + hashes_.capacity() * 4 +
               slots_.capacity() * 4;
    }

private:
    static std::uint64_t hash(std::string_view s) {
        std::uint64_t h = 1469598103934665603ull;
        for (const char c : s) {
            h ^= static_cast<unsigned char>(c);
            h *= 1099511628211ull;
        }
        return h ^ (h >> 29);
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

    void grow() {
        std::vector<string_id> bigger(slots_.size() * 2, no_string);
        for (string_id id = 0; id < offsets_.size(); ++id) {
            std::size_t i = hashes_[id] & (bigger.size() - 1);
            while (bigger[i] != no_string) i = (i + 1) & (bigger.size() - 1);
            bigger[i] = id;
        }
        slots_.swap(bigger);
    }

    std::vector<std::unique_ptr<char[]>> chunks_;
    std::size_t chunk_size_ = 0, used_ = 0, chunk_bytes_total_ = 0;
    std::vector<std::uint64_t> offsets_;
    std::vector<std::uint32_t> lengths_;
    std::vector<std::uint32_t> hashes_;
    std::vector<string_id> slots_;
};

}  // namespace mandate::eval
