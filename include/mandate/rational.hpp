// Exact rational numbers: the arithmetic of rule files and reports.
// LANGUAGE.md requires `15%` to be exactly 15/100 and `/` to give an exact fraction, so every
// numeric value the engine compares is a rational with 128-bit numerator and denominator.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mandate {

using int128 = __int128;

// Thrown when an exact result does not fit 128 bits; evaluation reports it as undefined.
struct arithmetic_overflow : std::overflow_error {
    arithmetic_overflow() : std::overflow_error("arithmetic overflow") {}
};

// A normalised fraction num/den with den > 0 and gcd(num, den) == 1. Value type, thread-compatible.
class rational {
public:
    constexpr rational() = default;
    constexpr rational(std::int64_t n) : num_(n), den_(1) {}  // NOLINT: integers convert implicitly
    // Reduces n/d; throws std::domain_error when d == 0.
    rational(int128 n, int128 d);

    // Parses "12", "0.5", "-3.25" (optionally with exponent "1e3") exactly; nullopt if malformed.
    static std::optional<rational> parse_decimal(std::string_view text);

    int128 num() const { return num_; }
    int128 den() const { return den_; }
    bool is_integer() const { return den_ == 1; }
    // True when the value has a finite decimal expansion with at most `digits` fractional digits.
    bool is_decimal(int digits) const;

    friend rational operator+(const rational& a, const rational& b);
    friend rational operator-(const rational& a, const rational& b);
    friend rational operator*(const rational& a, const rational& b);
    // Throws std::domain_error on division by zero; callers treat that as undefined.
    friend rational operator/(const rational& a, const rational& b);
    rational operator-() const;

    // Exact three-way comparison, immune to overflow.
    friend int compare(const rational& a, const rational& b);
    friend bool operator==(const rational& a, const rational& b) { return a.num_ == b.num_ && a.den_ == b.den_; }
    friend bool operator!=(const rational& a, const rational& b) { return !(a == b); }
    friend bool operator<(const rational& a, const rational& b) { return compare(a, b) < 0; }
    friend bool operator<=(const rational& a, const rational& b) { return compare(a, b) <= 0; }
    friend bool operator>(const rational& a, const rational& b) { return compare(a, b) > 0; }
    friend bool operator>=(const rational& a, const rational& b) { return compare(a, b) >= 0; }

    double to_double() const;
    // Exact decimal text when the expansion terminates within 18 digits ("0.75", "12"),
    // otherwise the shortest text that reads back as the nearest double.
    std::string to_string() const;
    // "n/d" or "n": the exact form, for evidence and debugging.
    std::string to_fraction_string() const;

private:
    int128 num_ = 0;
    int128 den_ = 1;
};

std::string to_string(int128 v);

}  // namespace mandate
