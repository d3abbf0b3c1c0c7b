#include "mandate/rational.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <utility>

namespace mandate {
namespace {

int128 abs128(int128 v) { return v < 0 ? -v : v; }

// Whether v fits 63 bits and a sign: the products of two such fit an int128.
bool small(int128 v) { return v >= -(int128(1) << 62) && v < (int128(1) << 62); }

int128 gcd128(int128 a, int128 b) {
    a = abs128(a);
    b = abs128(b);
    if (small(a) && small(b)) {
        // Most values a plan meets are small: 64-bit division, not a 128-bit library call.
        auto x = static_cast<std::uint64_t>(a), y = static_cast<std::uint64_t>(b);
        while (y != 0) {
            const std::uint64_t t = x % y;
            x = y;
            y = t;
        }
        return static_cast<int128>(x);
    }
    while (b != 0) {
        int128 t = a % b;
        a = b;
        b = t;
    }
    return a;
}

int128 checked_mul(int128 a, int128 b) {
    int128 r;
    if (__builtin_mul_overflow(a, b, &r)) throw arithmetic_overflow();
    return r;
}

int128 checked_add(int128 a, int128 b) {
    int128 r;
    if (__builtin_add_overflow(a, b, &r)) throw arithmetic_overflow();
    return r;
}

// Floor division for d > 0.
int128 floor_div(int128 n, int128 d) {
    int128 q = n / d;
    if (n % d != 0 && n < 0) --q;
    return q;
}

int sign(int128 v) { return v < 0 ? -1 : (v > 0 ? 1 : 0); }

// Compares a/b with c/d (b, d > 0) by continued-fraction expansion, which never overflows.
int compare_fractions(int128 a, int128 b, int128 c, int128 d) {
    int orientation = 1;
    for (;;) {
        const int128 q1 = floor_div(a, b), q2 = floor_div(c, d);
        if (q1 != q2) return orientation * (q1 < q2 ? -1 : 1);
        const int128 r1 = a - q1 * b;  // 0 <= r1 < b
        const int128 r2 = c - q2 * d;  // 0 <= r2 < d
        if (r1 == 0 || r2 == 0) return orientation * (sign(r1) - sign(r2));
        // r1/b ? r2/d  is the reverse of  b/r1 ? d/r2
        a = b; b = r1;
        c = d; d = r2;
        orientation = -orientation;
    }
}

}  // namespace

rational::rational(int128 n, int128 d) {
    if (d == 1) {  // an integer: already reduced
        num_ = n;
        return;
    }
    if (d == 0) throw std::domain_error("division by zero");
    if (d < 0) {
        n = -n;
        d = -d;
    }
    const int128 g = gcd128(n, d);
    num_ = g > 1 ? n / g : n;
    den_ = g > 1 ? d / g : d;
}

std::optional<rational> rational::parse_decimal(std::string_view text) {
    std::size_t i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
    int128 digits = 0;
    int fraction_digits = 0;
    bool any = false, dot = false;
    try {
        for (; i < text.size(); ++i) {
            const char ch = text[i];
            if (ch >= '0' && ch <= '9') {
                digits = checked_add(checked_mul(digits, 10), ch - '0');
                any = true;
                if (dot) ++fraction_digits;
            } else if (ch == '.' && !dot) {
                dot = true;
            } else {
                break;
            }
        }
        if (!any) return std::nullopt;
        int exponent = 0;
        if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
            ++i;
            bool exp_negative = false;
            if (i < text.size() && (text[i] == '-' || text[i] == '+')) exp_negative = text[i++] == '-';
            if (i == text.size()) return std::nullopt;
            for (; i < text.size(); ++i) {
                if (text[i] < '0' || text[i] > '9') return std::nullopt;
                exponent = exponent * 10 + (text[i] - '0');
                if (exponent > 60) return std::nullopt;
            }
            if (exp_negative) exponent = -exponent;
        }
        if (i != text.size()) return std::nullopt;
        int scale = exponent - fraction_digits;
        int128 num = negative ? -digits : digits;
        int128 den = 1;
        for (; scale > 0; --scale) num = checked_mul(num, 10);
        for (; scale < 0; ++scale) den = checked_mul(den, 10);
        return rational(num, den);
    } catch (const arithmetic_overflow&) {
        return std::nullopt;
    }
}

bool rational::is_decimal(int digits) const {
    int128 d = den_;
    int128 p = 1;
    for (int i = 0; i <= digits; ++i) {
        if (p % d == 0) return true;
        p *= 10;
    }
    return false;
}

rational operator+(const rational& a, const rational& b) {
    if (a.den_ == 1 && b.den_ == 1) return rational(checked_add(a.num_, b.num_), 1);
    const int128 g = gcd128(a.den_, b.den_);
    const int128 bd = b.den_ / g;
    return rational(checked_add(checked_mul(a.num_, bd), checked_mul(b.num_, a.den_ / g)), checked_mul(a.den_, bd));
}

rational operator-(const rational& a, const rational& b) { return a + (-b); }

rational operator*(const rational& a, const rational& b) {
    if (a.den_ == 1 && b.den_ == 1) return rational(checked_mul(a.num_, b.num_), 1);
    const int128 g1 = gcd128(a.num_, b.den_), g2 = gcd128(b.num_, a.den_);
    const int128 n1 = g1 ? a.num_ / g1 : a.num_, d2 = g1 ? b.den_ / g1 : b.den_;
    const int128 n2 = g2 ? b.num_ / g2 : b.num_, d1 = g2 ? a.den_ / g2 : a.den_;
    return rational(checked_mul(n1, n2), checked_mul(d1, d2));
}

rational operator/(const rational& a, const rational& b) {
    if (b.num_ == 0) throw std::domain_error("division by zero");
    rational inverse;
    inverse.num_ = b.num_ < 0 ? -b.den_ : b.den_;
    inverse.den_ = b.num_ < 0 ? -b.num_ : b.num_;
    return a * inverse;
}

rational rational::operator-() const {
    if (num_ == std::numeric_limits<int128>::min()) throw arithmetic_overflow();
    rational r = *this;
    r.num_ = -r.num_;
    return r;
}

int compare(const rational& a, const rational& b) {
    if (a.den_ == b.den_) return a.num_ < b.num_ ? -1 : (a.num_ > b.num_ ? 1 : 0);
    if (small(a.num_) && small(a.den_) && small(b.num_) && small(b.den_)) {
        // a/b ? c/d as a·d ? c·b (denominators positive): exact, the products fit 128 bits.
        const int128 left = a.num_ * b.den_, right = b.num_ * a.den_;
        return left < right ? -1 : (left > right ? 1 : 0);
    }
    return compare_fractions(a.num_, a.den_, b.num_, b.den_);
}

double rational::to_double() const { return static_cast<double>(static_cast<long double>(num_) / static_cast<long double>(den_)); }

std::string to_string(int128 v) {
    if (v == 0) return "0";
    const bool negative = v < 0;
    unsigned __int128 u = negative ? static_cast<unsigned __int128>(-(v + 1)) + 1 : static_cast<unsigned __int128>(v);
    char buf[48];
    int i = sizeof buf;
    while (u != 0) {
        buf[--i] = static_cast<char>('0' + static_cast<int>(u % 10));
        u /= 10;
    }
    if (negative) buf[--i] = '-';
    return std::string(buf + i, sizeof buf - i);
}

std::string rational::to_string() const {
    if (den_ == 1) return mandate::to_string(num_);
    // Find the number of decimal digits needed, if the expansion terminates soon.
    int128 scale = 1;
    for (int digits = 1; digits <= 18; ++digits) {
        scale *= 10;
        if (scale % den_ == 0) {
            int128 scaled;
            if (__builtin_mul_overflow(num_, scale / den_, &scaled)) break;
            const bool negative = scaled < 0;
            std::string text = mandate::to_string(negative ? -scaled : scaled);
            if (static_cast<int>(text.size()) <= digits) text.insert(0, static_cast<std::size_t>(digits) + 1 - text.size(), '0');
            text.insert(text.size() - static_cast<std::size_t>(digits), ".");
            return negative ? "-" + text : text;
        }
    }
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", to_double());
    // Prefer the shortest representation that reads back identically.
    for (int precision = 1; precision <= 17; ++precision) {
        char shorter[40];
        std::snprintf(shorter, sizeof shorter, "%.*g", precision, to_double());
        if (std::strtod(shorter, nullptr) == to_double()) return shorter;
    }
    return buf;
}

std::string rational::to_fraction_string() const {
    if (den_ == 1) return mandate::to_string(num_);
    return mandate::to_string(num_) + "/" + mandate::to_string(den_);
}

}  // namespace mandate
