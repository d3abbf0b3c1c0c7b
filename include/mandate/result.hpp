// A value or the diagnostics explaining why there is none: what compiling a rule file returns.
// The project's own type because std::expected is C++23; warnings may accompany a value.
#pragma once

#include <cassert>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "mandate/diagnostic.hpp"

namespace mandate {

// Holds a T when the operation succeeded; always holds the diagnostics it produced (warnings
// may accompany a value). Value type; thread-compatible.
template <class T>
class result {
public:
    result(T value, std::vector<diagnostic> diagnostics = {})
        : value_(std::move(value)), diagnostics_(std::move(diagnostics)) {}
    result(std::vector<diagnostic> diagnostics) : diagnostics_(std::move(diagnostics)) {}  // NOLINT

    bool ok() const { return value_.has_value(); }
    explicit operator bool() const { return ok(); }

    // Precondition: ok(). Throws std::logic_error otherwise, never undefined behaviour.
    T& value() & { return checked(); }
    const T& value() const& { return const_cast<result*>(this)->checked(); }
    T&& value() && { return std::move(checked()); }
    T* operator->() { return &checked(); }
    const T* operator->() const { return &const_cast<result*>(this)->checked(); }
    T& operator*() { return checked(); }
    const T& operator*() const { return const_cast<result*>(this)->checked(); }

    const std::vector<diagnostic>& diagnostics() const { return diagnostics_; }

private:
    T& checked() {
        if (!value_) throw std::logic_error("mandate::result has no value");
        return *value_;
    }
    std::optional<T> value_;
    std::vector<diagnostic> diagnostics_;
};

}  // namespace mandate
