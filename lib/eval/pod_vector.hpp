// A growable array of trivially copyable values, for the store's columns: grown with realloc,
// which for a large block moves the pages instead of copying the bytes (mremap on Linux), so
// a column of millions does not hold its old and new copy at once, nor fault in fresh pages
// for every doubling. The subset of std::vector's interface the store uses.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace mandate::eval {

template <class T>
class pod_vector {
    static_assert(std::is_trivially_copyable_v<T>, "pod_vector holds trivially copyable values only");

public:
    using value_type = T;
    using iterator = T*;
    using const_iterator = const T*;

    pod_vector() = default;
    pod_vector(const pod_vector& o) { *this = o; }
    pod_vector(pod_vector&& o) noexcept : p_(o.p_), n_(o.n_), cap_(o.cap_) { o.p_ = nullptr, o.n_ = o.cap_ = 0; }
    pod_vector& operator=(const pod_vector& o) {
        if (this == &o) return *this;
        n_ = 0;
        reserve(o.n_);
        if (o.n_) std::memcpy(static_cast<void*>(p_), o.p_, o.n_ * sizeof(T));
        n_ = o.n_;
        return *this;
    }
    pod_vector& operator=(pod_vector&& o) noexcept {
        std::swap(p_, o.p_);
        std::swap(n_, o.n_);
        std::swap(cap_, o.cap_);
        return *this;
    }
    ~pod_vector() { std::free(p_); }

    std::size_t size() const { return n_; }
    bool empty() const { return n_ == 0; }
    std::size_t capacity() const { return cap_; }
    T* data() { return p_; }
    const T* data() const { return p_; }
    T* begin() { return p_; }
    T* end() { return p_ + n_; }
    const T* begin() const { return p_; }
    const T* end() const { return p_ + n_; }
    T& operator[](std::size_t i) { return p_[i]; }
    const T& operator[](std::size_t i) const { return p_[i]; }
    T& back() { return p_[n_ - 1]; }
    const T& back() const { return p_[n_ - 1]; }

    void push_back(const T& v) {
        if (n_ == cap_) grow(n_ + 1);
        p_[n_++] = v;
    }
    template <class... A>
    T& emplace_back(A&&... a) {
        if (n_ == cap_) grow(n_ + 1);
        p_[n_] = T{std::forward<A>(a)...};
        return p_[n_++];
    }
    void reserve(std::size_t c) {
        if (c > cap_) reallocate(c);
    }
    void resize(std::size_t n, const T& v = T{}) {
        if (n > cap_) grow(n);
        for (std::size_t i = n_; i < n; ++i) p_[i] = v;
        n_ = n;
    }
    void assign(std::size_t n, const T& v) {
        n_ = 0;
        resize(n, v);
    }
    void clear() { n_ = 0; }
    T* erase(T* first, T* last) {
        // Nothing to move when nothing follows (and p_ may be null: memmove takes no null).
        if (last != end()) std::memmove(static_cast<void*>(first), last, static_cast<std::size_t>(end() - last) * sizeof(T));
        n_ -= static_cast<std::size_t>(last - first);
        return first;
    }

private:
    void grow(std::size_t need) { reallocate(std::max(need, cap_ ? cap_ * 2 : std::size_t{16})); }
    void reallocate(std::size_t c) {
        void* q = std::realloc(static_cast<void*>(p_), c * sizeof(T));
        if (!q) throw std::bad_alloc();
        p_ = static_cast<T*>(q);
        cap_ = c;
    }

    T* p_ = nullptr;
    std::size_t n_ = 0, cap_ = 0;
};

}  // namespace mandate::eval
