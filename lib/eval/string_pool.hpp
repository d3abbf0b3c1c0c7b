// Interned strings: every text value, entity id and event id an engine holds is stored once
// and named by a dense 32-bit id, so equality is an integer comparison and rows stay small.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string_view>
#include <utility>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "../bytes.hpp"
#include "pod_vector.hpp"

namespace mandate::eval {

using string_id = std::uint32_t;
inline constexpr string_id no_string = 0xFFFFFFFFu;

// The open-addressing table of a string_pool: large (millions of slots) and probed at random,
// so it asks the kernel for huge pages (where it has them to give), which spares a TLB miss
// on nearly every probe and most of the page faults of filling it.
class slot_table {
public:
    slot_table() = default;
    explicit slot_table(std::size_t n) : size_(n) {
        const std::size_t bytes = n * sizeof(std::uint64_t);
        void* p = nullptr;
        if (bytes >= huge_page && posix_memalign(&p, huge_page, bytes) == 0) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
            madvise(p, bytes, MADV_HUGEPAGE);
#endif
        } else {
            p = std::malloc(bytes);
        }
        if (!p) throw std::bad_alloc();
        at_.reset(static_cast<std::uint64_t*>(p));
        std::memset(p, 0xFF, bytes);  // every slot empty
    }
    std::uint64_t& operator[](std::size_t i) { return at_.get()[i]; }
    std::uint64_t operator[](std::size_t i) const { return at_.get()[i]; }
    const std::uint64_t* data() const { return at_.get(); }
    std::size_t size() const { return size_; }

private:
    static constexpr std::size_t huge_page = std::size_t{2} << 20;
    struct release {
        void operator()(std::uint64_t* p) const { std::free(p); }
    };
    std::unique_ptr<std::uint64_t, release> at_;
    std::size_t size_ = 0;
};

class string_pool {
public:
    string_pool() : slots_(1024) {}

    // The id of `s`, adding it when new.
    string_id intern(std::string_view s) { return intern(s, hash(s)).first; }

    // intern() with the hash given (see hash_of), and whether `s` was added now.
    std::pair<string_id, bool> intern(std::string_view s, std::uint64_t h) {
        const std::uint64_t tag = h >> 32;
        const std::size_t mask = slots_.size() - 1;
        std::size_t i = h & mask;
        for (;;) {
            const std::uint64_t slot = slots_[i];
            if (slot == empty) break;
            // The slot holds the string's hash tag beside its id: one memory access a probe.
            if ((slot >> 32) == tag && same_text(view(static_cast<string_id>(slot)), s)) return {static_cast<string_id>(slot), false};
            i = (i + 1) & mask;
        }
        const auto id = static_cast<string_id>(offsets_.size());
        offsets_.push_back(store(s));
        lengths_.push_back(static_cast<std::uint32_t>(s.size()));
        slots_[i] = (tag << 32) | id;
        // Up to 70% full: 16 M slots (128 MB) still hold a county's 10 M strings, and with eight
        // slots to a cache line a probe rarely reads a second one.
        if (offsets_.size() * 10 > slots_.size() * 7) grow();
        return {id, true};
    }

    // The id of `s` if interned, else no_string.
    string_id find(std::string_view s) const {
        const std::uint64_t h = hash(s);
        const std::uint64_t tag = h >> 32;
        std::size_t i = h & (slots_.size() - 1);
        for (;;) {
            const std::uint64_t slot = slots_[i];
            if (slot == empty) return no_string;
            if ((slot >> 32) == tag && same_text(view(static_cast<string_id>(slot)), s)) return static_cast<string_id>(slot);
            i = (i + 1) & (slots_.size() - 1);
        }
    }

    // Starts loading the slot where `s` would be probed first, so that an intern() of it a
    // little later (the next record's id, while this one is stored) finds it in cache.
    // Returns the hash, for that intern().
    std::uint64_t prefetch(std::string_view s) const {
        const std::uint64_t h = hash(s);
        __builtin_prefetch(slots_.data() + (h & (slots_.size() - 1)));
        return h;
    }
    static std::uint64_t hash_of(std::string_view s) { return hash(s); }

    std::string_view view(string_id id) const {
        const std::uint64_t off = offsets_[id];
        return std::string_view(chunks_[off >> 32].get() + (off & 0xFFFFFFFFu), lengths_[id]);
    }

    std::size_t size() const { return offsets_.size(); }

    std::size_t bytes() const {
        return chunk_bytes_total_ + offsets_.capacity() * 8 + lengths_.capacity() * 4 + slots_.size() * 8;
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
        if (n) std::memcpy(&tail, p, n);  // an empty view's data may be null
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
        if (!s.empty()) std::memcpy(chunks_.back().get() + used_, s.data(), s.size());
        const std::uint64_t loc = (static_cast<std::uint64_t>(chunks_.size() - 1) << 32) | used_;
        used_ += s.size();
        return loc;
    }

    // Doubles the table, placing each entry again from its full hash. Strings are visited in
    // id order, which reads their bytes front to back; only the writes land at random, and
    // those do not wait on one another.
    void grow() {
        slot_table bigger(slots_.size() * 2);
        const std::size_t mask = bigger.size() - 1;
        // Hashes run a few strings ahead, with their slots prefetched: the probes then rarely
        // wait on memory.
        constexpr std::size_t ahead = 16;
        std::uint64_t pending[ahead];
        const std::size_t n = offsets_.size();
        for (std::size_t id = 0; id < n + ahead; ++id) {
            if (id >= ahead) {
                const std::uint64_t h = pending[id % ahead];
                std::size_t i = h & mask;
                while (bigger[i] != empty) i = (i + 1) & mask;
                bigger[i] = ((h >> 32) << 32) | (id - ahead);
            }
            if (id < n) {
                const std::uint64_t h = hash(view(static_cast<string_id>(id)));
                __builtin_prefetch(bigger.data() + (h & mask), 1);
                pending[id % ahead] = h;
            }
        }
        slots_ = std::move(bigger);
    }

    std::vector<std::unique_ptr<char[]>> chunks_;
    std::size_t chunk_size_ = 0, used_ = 0, chunk_bytes_total_ = 0;
    pod_vector<std::uint64_t> offsets_;
    pod_vector<std::uint32_t> lengths_;
    static constexpr std::uint64_t empty = ~std::uint64_t{0};
    slot_table slots_;  // (hash >> 32) << 32 | id, or empty
};

}  // namespace mandate::eval
