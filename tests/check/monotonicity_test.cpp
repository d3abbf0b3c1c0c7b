// check::classify for each form LANGUAGE.md lists ("Status of a bucket"), and the exact
// values of number literals once checked.
#include <gtest/gtest.h>

#include "syntax/support.hpp"

namespace mandate {
namespace {

using check::monotonicity;

const std::string prelude =
    "plan p {}\n"
    "phase c from 2023-01-01 to 2023-12-31\n"
    "kind town\n"
    "kind village within town\n"
    "event e { n: int, x: number, who: ref village, tags: set<text>, day_of: date }\n"
    "obligation other { each u: village  require count(e of u) >= 1 }\n"
    "outcome praised { each u: village  when count(e of u) >= 5 }\n";

// Checks `requirement` as the require clause of an obligation over villages and classifies it.
monotonicity classify(const std::string& requirement) {
    const check::plan p = testing::load_ok(prelude + "obligation subject { each u: village  require " + requirement + " }\n");
    const auto& r = p.rules.at(static_cast<std::size_t>(p.find_rule("subject")));
    const monotonicity m = check::classify(r.condition);
    EXPECT_EQ(m, r.mono) << "rule::mono disagrees with classify for " << requirement;
    return m;
}

struct mono_case {
    const char* requirement;
    monotonicity expected;
};

std::ostream& operator<<(std::ostream& os, const mono_case& c) { return os << c.requirement; }

class check_classify_form : public ::testing::TestWithParam<mono_case> {};

TEST_P(check_classify_form, as_language_md_lists) {
    EXPECT_EQ(check::to_string(classify(GetParam().requirement)), std::string(check::to_string(GetParam().expected)));
}

constexpr auto M = monotonicity::monotone;
constexpr auto A = monotonicity::anti_monotone;
constexpr auto N = monotonicity::none;

INSTANTIATE_TEST_SUITE_P(
    forms, check_classify_form,
    ::testing::Values(
        // count / distinct compared >= or > with a constant: can only turn true.
        mono_case{"count(e of u) >= 1", M}, mono_case{"count(e of u) > 0", M},
        mono_case{"count(e of u where n > 3) >= 2", M}, mono_case{"distinct(e.tags of u) >= 3", M},
        mono_case{"distinct(e.n) > 1", M}, mono_case{"count(e of u) >= 1 + 1", M},
        // <=, < or == 0 with a constant: can only turn false.
        mono_case{"count(e of u) <= 3", A}, mono_case{"count(e of u) < 3", A}, mono_case{"count(e of u) == 0", A},
        mono_case{"distinct(e.who of u) <= 2", A}, mono_case{"distinct(e.tags) < 2", A},
        mono_case{"distinct(e.tags) == 0", A},
        // == another number, != anything: neither.
        mono_case{"count(e of u) == 1", N}, mono_case{"count(e of u) != 0", N}, mono_case{"distinct(e.n) == 2", N},
        // any / all.
        mono_case{"any(e of u: n > 3)", M}, mono_case{"all(e of u: n > 3)", A},
        mono_case{"any(e of u where x > 0: n > 3)", M}, mono_case{"all(e where x > 0: n > 3)", A},
        // and / or of two of a kind keep it; mixed gives none.
        mono_case{"count(e of u) >= 1 and any(e: n > 1)", M}, mono_case{"count(e of u) >= 1 or distinct(e.n) > 2", M},
        mono_case{"count(e of u) <= 1 and all(e: n > 1)", A}, mono_case{"count(e of u) == 0 or all(e: n > 1)", A},
        mono_case{"count(e of u) >= 1 and count(e of u) <= 3", N}, mono_case{"any(e: n > 1) or all(e: n > 1)", N},
        mono_case{"(count(e) >= 1 and any(e: n > 1)) and count(e) <= 9", N},
        // Everything else is judged when the bucket closes.
        mono_case{"sum(e.n of u) >= 10", N}, mono_case{"sum(e.x of u where n > 0) / sum(e.x of u) >= 15%", N},
        mono_case{"coverage(e.who, village within u) >= 100%", N}, mono_case{"gap(e of u) < 21 days", N},
        mono_case{"streak(month, count(e of u) == 0) >= 6", N}, mono_case{"violations(of u) >= 1", N},
        mono_case{"violations(other of u) == 0", N}, mono_case{"fired(praised of u)", N},
        mono_case{"min(e.n of u) >= 1", N}, mono_case{"max(e.day_of of u) <= 2023-06-01", N},
        mono_case{"not count(e of u) >= 1", N}, mono_case{"not all(e: n > 1)", N},
        // Compared with something that is not a constant.
        mono_case{"count(e of u) >= count(e)", N}, mono_case{"count(e of u) >= sum(e.n)", N},
        mono_case{"true", N}));

// ---------------------------------------------------------------- exact literals

check::texpr checked_rhs(const std::string& requirement) {
    const check::plan p = testing::load_ok(prelude + "obligation subject { each u: village  require " + requirement + " }\n");
    const auto& r = p.rules.at(static_cast<std::size_t>(p.find_rule("subject")));
    return r.condition.args.at(1);
}

TEST(check_exact_literals, percent_is_exactly_fifteen_hundredths) {
    const check::texpr rhs = checked_rhs("sum(e.x of u) >= 15%");
    EXPECT_EQ(rhs.o, check::op::literal);
    EXPECT_TRUE(rhs.value.percent);
    EXPECT_EQ(rhs.value.number, rational(15, 100));
    EXPECT_EQ(rhs.value.number.num(), 3);
    EXPECT_EQ(rhs.value.number.den(), 20);
    EXPECT_EQ(rhs.t.kind, check::type_kind::number);
}

TEST(check_exact_literals, one_tenth_is_exact) {
    const check::texpr rhs = checked_rhs("sum(e.x of u) >= 0.1");
    EXPECT_EQ(rhs.value.number, rational(1, 10));
    EXPECT_FALSE(rhs.value.percent);
    EXPECT_EQ(rhs.t.kind, check::type_kind::number);
    // 0.1 + 0.2 == 0.3 exactly, unlike binary floating point.
    EXPECT_EQ(rational(1, 10) + rational(2, 10), rational(3, 10));
    EXPECT_NE(0.1 + 0.2, 0.3);
}

TEST(check_exact_literals, ninety_percent_equals_zero_point_nine) {
    const rational percent = checked_rhs("sum(e.x of u) >= 90%").value.number;
    const rational decimal = checked_rhs("sum(e.x of u) >= 0.9").value.number;
    EXPECT_EQ(percent, decimal);
    EXPECT_EQ(compare(percent, decimal), 0);
    EXPECT_EQ(percent, rational(9, 10));
    // 7 of 10 is >= 70% exactly.
    EXPECT_GE(rational(7) / rational(10), checked_rhs("sum(e.x of u) >= 70%").value.number);
}

TEST(check_exact_literals, integers_are_ints_and_percents_numbers) {
    EXPECT_EQ(checked_rhs("count(e of u) >= 12").t.kind, check::type_kind::integer);
    EXPECT_EQ(checked_rhs("count(e of u) >= 12").value.number, rational(12));
    EXPECT_EQ(checked_rhs("count(e of u) >= 100%").t.kind, check::type_kind::number);
    EXPECT_EQ(checked_rhs("count(e of u) >= 100%").value.number, rational(1));
    EXPECT_EQ(checked_rhs("sum(e.x of u) >= 1.000001").value.number, rational(1000001, 1000000));
}

TEST(check_exact_literals, durations_and_dates) {
    const check::texpr gap = checked_rhs("gap(e of u) < 3 weeks");
    EXPECT_EQ(gap.t.kind, check::type_kind::duration);
    EXPECT_EQ(gap.value.length.unit, check::time_unit::week);
    EXPECT_EQ(gap.value.length.days(), 21);
    const check::texpr date = checked_rhs("max(e.day_of of u) <= 2023-06-01");
    EXPECT_EQ(date.t.kind, check::type_kind::date);
    EXPECT_EQ(calendar::to_iso(date.value.date), "2023-06-01");
}

}  // namespace
}  // namespace mandate
