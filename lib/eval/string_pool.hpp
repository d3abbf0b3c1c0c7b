// Interned strings: every text value, entity id and event id an engine holds is stored once
// and named by a 32-bit id, so equality is an integer comparison and rows stay small.
//
// A numbered text — a prefix and a run of up to nine digits, like e1234567, v01 or bk8-o02 —
// is not stored at all: its id is its number, offset into the range of ids its shape (the
// prefix and the number of digits: 10^digits numbers) was given when first seen. Such ids
// have the top bit set; the others are dense from 0, in the order their texts were first seen.
// A text's id depends only on the text and on the shapes seen before it, so two engines fed the
// same records give the same ids, and a saved state restores them.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "../bytes.hpp"
#include "numeric_table.hpp"
#include "pod_vector.hpp"

namespace mandate::eval {

using string_id = std::uint32_t;
inline constexpr string_id no_string = 0xFFFFFFFFu;
inline constexpr string_id numbered_bit = 0x80000000u;
// Whether an id is a numbered text's (no_string is not).
inline bool is_numbered(string_id id) { return (id & numbered_bit) != 0 && id != no_string; }

// Room for a numbered text (a prefix of up to 32 bytes and 9 digits), written out on demand.
struct text_buffer {
    char at[48];
};

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
        if (const string_id n = numbered_or_new(s); n != no_string) return {n, seen_.insert(n & ~numbered_bit, 1).second};
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
        if (const string_id n = numbered(s); n != no_string) return seen(n) ? n : no_string;
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

    // The text of `id`, valid as long as the pool. A numbered text is written out the first time
    // it is asked for and kept: for the many, and for comparisons, text(id, buffer) and
    // compare() write it where the caller says instead.
    std::string_view view(string_id id) const {
        if (is_numbered(id)) return materialized(id);
        const std::uint64_t off = offsets_[id];
        return std::string_view(chunks_[off >> 32].get() + (off & 0xFFFFFFFFu), lengths_[id]);
    }
    // The text of `id`, a numbered one written into `b` (valid while b is).
    std::string_view text(string_id id, text_buffer& b) const {
        if (!is_numbered(id)) return view(id);
        const shape& sh = shape_of(id);
        std::memcpy(b.at, sh.prefix.data(), sh.prefix.size());
        char* p = b.at + sh.prefix.size();
        const std::uint32_t number = (id & ~numbered_bit) - sh.base;
        std::uint32_t x = number;
        for (int i = sh.width - 1; i >= 0; --i, x /= 10) p[i] = static_cast<char>('0' + x % 10);
        return std::string_view(b.at, sh.prefix.size() + sh.width);
    }
    // The texts' order (bytes, as std::string_view's), <0, 0 or >0.
    int compare(string_id a, string_id b) const {
        if (a == b) return 0;
        text_buffer ba, bb;
        return text(a, ba).compare(text(b, bb));
    }
    bool less(string_id a, string_id b) const { return compare(a, b) < 0; }

    // Pooled texts (numbered ones are not among them): their ids are 0..size()-1.
    std::size_t size() const { return offsets_.size(); }
    // Whether a numbered id has been interned (or found in a saved state).
    bool seen(string_id id) const { return seen_.get(id & ~numbered_bit) != 0; }
    // Every numbered id interned, ascending.
    template <class F>
    void for_each_numbered(F&& f) const {
        seen_.for_each([&](std::uint32_t k, std::uint8_t) { f(k | numbered_bit); });
    }
    std::size_t numbered_count() const { return seen_.size(); }

    // A numbered text's shape: its prefix and its number of digits (the width, 1 to 9: a number
    // is written zero-padded to it); its ids are numbered_bit | base + number, number < span.
    struct shape {
        std::string prefix;
        std::uint8_t width = 0;
        std::uint32_t base = 0, span = 0;
    };
    const std::vector<shape>& shapes() const { return shapes_; }
    // Restores a saved shape, in the order saved: false if it is not the next one this pool
    // would give (a state of another plan or a damaged one).
    bool restore_shape(const shape& s) {
        const bool digit_last = !s.prefix.empty() && static_cast<unsigned char>(s.prefix.back() - '0') < 10;
        if (s.prefix.size() > max_prefix || digit_last || shapes_.size() >= max_shapes || s.width < 1 || s.width > 9 || s.base != next_base_ || s.span != span_for(s.width) ||
            s.span > numeric_table<std::uint8_t, 0>::max_key - next_base_)
            return false;
        for (const shape& o : shapes_)
            if (o.prefix == s.prefix && o.width == s.width) return false;
        add_shape(s.prefix, s.width);
        return true;
    }
    // Marks a numbered id as interned (a saved state's); false if no shape gives it.
    bool restore_numbered(string_id id) {
        if (!is_numbered(id) || shapes_.empty()) return false;
        const std::uint32_t k = id & ~numbered_bit;
        const shape& last = shapes_.back();
        if (k >= last.base + last.span) return false;
        seen_.insert(k, 1);
        return true;
    }

    std::size_t bytes() const {
        std::size_t shapes = 0;
        for (const shape& s : shapes_) shapes += sizeof(shape) + s.prefix.capacity();
        return chunk_bytes_total_ + offsets_.capacity() * 8 + lengths_.capacity() * 4 + slots_.size() * 8 + seen_.bytes() + shapes +
               materialized_bytes_ + materialized_.bytes() + materialized_views_.capacity() * sizeof(std::string_view);
    }

private:
    static constexpr std::size_t max_prefix = 32;
    static std::uint32_t span_for(std::uint8_t width) {
        std::uint32_t n = 1;
        for (int i = 0; i < width; ++i) n *= 10;
        return n;
    }

    // A numbered text taken apart: its prefix, its number of digits and its number.
    struct numbered_text {
        std::string_view prefix;
        std::uint8_t width = 0;
        std::uint32_t number = 0;
    };
    static bool parse_numbered(std::string_view s, numbered_text& out) {
        std::size_t i = s.size();
        while (i > 0 && static_cast<unsigned char>(s[i - 1] - '0') < 10) --i;
        const std::size_t digits = s.size() - i;
        if (digits == 0 || digits > 9 || i > max_prefix) return false;
        std::uint32_t number = 0;
        for (std::size_t k = i; k < s.size(); ++k) number = number * 10 + static_cast<std::uint32_t>(s[k] - '0');
        out.width = static_cast<std::uint8_t>(digits);
        out.prefix = s.substr(0, i);
        out.number = number;
        return true;
    }
    static constexpr std::size_t no_shape = ~std::size_t{0};
    std::size_t shape_index(const numbered_text& n) const {
        if (last_shape_ < shapes_.size() && shapes_[last_shape_].width == n.width && shapes_[last_shape_].prefix == n.prefix)
            return last_shape_;
        key_.assign(n.prefix);
        key_.push_back(static_cast<char>(n.width));
        const auto it = shape_index_.find(key_);
        if (it == shape_index_.end()) return no_shape;
        last_shape_ = it->second;
        return it->second;
    }
    // The id `s` has as a numbered text, or no_string if it is not one or its shape is not known.
    string_id numbered(std::string_view s) const {
        numbered_text n;
        if (!parse_numbered(s, n)) return no_string;
        const std::size_t sh = shape_index(n);
        return sh == no_shape ? no_string : numbered_bit | (shapes_[sh].base + n.number);
    }
    // numbered(), giving a new shape the next range while there is room. Once there is none, no
    // shape is added again, so a text refused here is refused for good.
    string_id numbered_or_new(std::string_view s) {
        numbered_text n;
        if (!parse_numbered(s, n)) return no_string;
        std::size_t sh = shape_index(n);
        if (sh == no_shape) {
            if (shapes_.size() >= max_shapes || span_for(n.width) > numeric_table<std::uint8_t, 0>::max_key - next_base_) return no_string;
            sh = last_shape_ = add_shape(n.prefix, n.width);
        }
        return numbered_bit | (shapes_[sh].base + n.number);
    }
    std::size_t add_shape(std::string_view prefix, std::uint8_t width) {
        shape sh;
        sh.prefix.assign(prefix);
        sh.width = width;
        sh.base = next_base_;
        sh.span = span_for(width);
        next_base_ += sh.span;
        std::string key(prefix);
        key.push_back(static_cast<char>(width));
        shape_index_.emplace(std::move(key), shapes_.size());
        shapes_.push_back(std::move(sh));
        return shapes_.size() - 1;
    }
    const shape& shape_of(string_id id) const {
        const std::uint32_t k = id & ~numbered_bit;
        if (last_shape_ < shapes_.size() && k - shapes_[last_shape_].base < shapes_[last_shape_].span) return shapes_[last_shape_];
        // Ranges are given in order: the last base at or below k.
        const auto it = std::upper_bound(shapes_.begin(), shapes_.end(), k, [](std::uint32_t x, const shape& s) { return x < s.base; });
        return *(it - 1);
    }
    std::string_view materialized(string_id id) const {
        const std::uint32_t k = id & ~numbered_bit;
        if (const std::uint32_t at = materialized_.get(k); at != 0xFFFFFFFFu) return materialized_views_[at];
        text_buffer b;
        const std::string_view t = text(id, b);
        if (materialized_chunks_.empty() || materialized_used_ + t.size() > materialized_chunk) {
            materialized_chunks_.push_back(std::make_unique<char[]>(materialized_chunk));
            materialized_used_ = 0;
            materialized_bytes_ += materialized_chunk;
        }
        char* at = materialized_chunks_.back().get() + materialized_used_;
        std::memcpy(at, t.data(), t.size());
        materialized_used_ += t.size();
        materialized_.insert(k, static_cast<std::uint32_t>(materialized_views_.size()));
        materialized_views_.push_back(std::string_view(at, t.size()));
        return materialized_views_.back();
    }

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

    static constexpr std::size_t max_shapes = 65536;
    std::vector<shape> shapes_;
    std::unordered_map<std::string, std::size_t> shape_index_;  // prefix + width byte -> shape
    mutable std::string key_;
    mutable std::size_t last_shape_ = 0;
    std::uint32_t next_base_ = 0;
    numeric_table<std::uint8_t, 0> seen_;
    static constexpr std::size_t materialized_chunk = std::size_t{1} << 14;
    // Numbered texts written out by view(): key -> index into materialized_views_.
    mutable numeric_table<std::uint32_t, 0xFFFFFFFFu> materialized_;
    mutable pod_vector<std::string_view> materialized_views_;
    mutable std::vector<std::unique_ptr<char[]>> materialized_chunks_;
    mutable std::size_t materialized_used_ = 0, materialized_bytes_ = 0;
};

}  // namespace mandate::eval
