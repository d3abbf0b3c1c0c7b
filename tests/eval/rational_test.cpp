// Exact rationals (include/mandate/rational.hpp): reduced on construction, compared exactly.
// Small values (within 62 bits) take 64-bit gcd and a cross-multiplied comparison; large ones
// the 128-bit gcd and the continued-fraction comparison. Both are held to the same hand-worked
// answers, and to each other across the boundary.
#include <gtest/gtest.h>

#include "mandate/rational.hpp"

namespace {

using mandate::int128;
using mandate::rational;

const int128 big = int128(1) << 100;

TEST(Rational, ReducedOnConstruction) {
    EXPECT_EQ(rational(6, 4), rational(3, 2));
    EXPECT_EQ(rational(-10, -4), rational(5, 2));
    EXPECT_EQ(rational(10, -4).num(), -5);
    EXPECT_EQ(rational(10, -4).den(), 2);
    EXPECT_EQ(rational(0, 7).den(), 1);
    EXPECT_EQ(rational(7, 1).num(), 7);
    // 2^100 / 2^98 = 4, through the 128-bit gcd.
    EXPECT_EQ(rational(big, big >> 2), rational(4));
    // (2^100 + 4) / 6 = (2^99 + 2) / 3: 2^100 + 4 is even and not a multiple of 3 (2^100 ≡ 1,
    // so 2^100 + 4 ≡ 2 mod 3); (2^100 + 2) / 6 is a whole number (2^100 + 2 ≡ 0 mod 3).
    EXPECT_EQ(rational(big + 4, 6).den(), 3);
    EXPECT_EQ(rational(big + 2, 6).den(), 1);
    EXPECT_THROW(rational(1, 0), std::domain_error);
}

TEST(Rational, ComparedExactly) {
    EXPECT_LT(rational(1, 3), rational(1, 2));
    EXPECT_LT(rational(-1, 2), rational(1, 3));
    EXPECT_GT(rational(1, 3), rational(333333, 1000000));  // 1/3 − 0.333333 = 1/3000000
    EXPECT_EQ(compare(rational(2, 4), rational(1, 2)), 0);
    EXPECT_LT(rational(15, 100), rational(201323, 1342153));  // 0.15 < 0.150000...: 15·1342153 = 20132295 < 20132300
    // Across the 62-bit boundary: (2^62)/3 against (2^62 − 1)/3 and against 2^61.
    const int128 edge = int128(1) << 62;
    EXPECT_GT(rational(edge, 3), rational(edge - 1, 3));
    EXPECT_LT(rational(edge, 3), rational(edge >> 1));
    // Large on both sides: (2^100 + 1)/2^50 against (2^100)/2^50 = 2^50.
    EXPECT_GT(rational(big + 1, int128(1) << 50), rational(int128(1) << 50));
    EXPECT_LT(rational(-big - 1, 3), rational(-big, 3));
}

TEST(Rational, ArithmeticStaysExact) {
    EXPECT_EQ(rational(3) * rational(4), rational(12));
    EXPECT_EQ(rational(2, 3) * rational(3, 4), rational(1, 2));
    EXPECT_EQ(rational(1, 6) + rational(1, 3), rational(1, 2));
    EXPECT_EQ(rational(1) / rational(3) * rational(3), rational(1));
    EXPECT_THROW(rational(big, 1) * rational(big, 1), mandate::arithmetic_overflow);
    EXPECT_EQ(rational(big, 3) * rational(3, big), rational(1));
}

}  // namespace
