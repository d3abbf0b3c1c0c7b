// The items of a literal list as the checker keeps them: one sorted set, whose membership
// follows `==` (1 and 1.0 are one number, a text is its bytes, a date is not a duration), and a
// checked list holds no typed expression per item.
#include <gtest/gtest.h>

#include "syntax/support.hpp"

namespace mandate::check {
namespace {

check::literal text(const std::string& t) {
    check::literal v;
    v.text = t;
    return v;
}

check::literal number(rational n) {
    check::literal v;
    v.number = n;
    return v;
}

TEST(MemberSet, TextsAreLookedUpByTheirBytes) {
    check::member_set m;
    for (const char* t : {"square", "park", "", "park", "公园"}) m.add(text(t), check::type_kind::text);
    m.seal();
    for (const char* t : {"square", "park", "", "公园"}) EXPECT_TRUE(m.has_text(t)) << t;
    for (const char* t : {"Park", "parks", "par", "squar", "z", "公"}) EXPECT_FALSE(m.has_text(t)) << t;
    EXPECT_FALSE(m.has_number(rational(0)));
}

TEST(MemberSet, NumbersAreEqualAsFractions) {
    check::member_set m;
    m.add(number(rational(2)), check::type_kind::integer);
    m.add(number(rational(3, 2)), check::type_kind::number);
    m.add(number(rational(-1)), check::type_kind::integer);
    m.seal();
    EXPECT_TRUE(m.has_number(rational(4, 2)));  // 4/2 is 2
    EXPECT_TRUE(m.has_number(rational(15, 10)));
    EXPECT_TRUE(m.has_number(rational(-1)));
    EXPECT_FALSE(m.has_number(rational(1)));
    EXPECT_FALSE(m.has_number(rational(5, 3)));
    EXPECT_FALSE(m.has_text("2"));
}

TEST(MemberSet, DatesDurationsAndBooleansAreKeptApart) {
    check::member_set m;
    check::literal d;
    d.date = 19448;  // 2023-04-01
    m.add(d, check::type_kind::date);
    check::literal w;
    w.length.count = 2;
    w.length.unit = check::time_unit::week;
    m.add(w, check::type_kind::duration);
    check::literal yes;
    yes.boolean = true;
    m.add(yes, check::type_kind::boolean);
    m.seal();
    EXPECT_TRUE(m.has_date(19448));
    EXPECT_FALSE(m.has_date(14));     // 14 is the duration's days, not a date
    EXPECT_TRUE(m.has_days(14));      // 2 weeks
    EXPECT_FALSE(m.has_days(19448));
    EXPECT_TRUE(m.has_boolean(true));
    EXPECT_FALSE(m.has_boolean(false));
}

TEST(MemberSet, KeysAreEqualExactlyForEqualSets) {
    check::member_set a, b, c;
    for (const char* t : {"x", "y", "x"}) a.add(text(t), check::type_kind::text);
    for (const char* t : {"y", "x"}) b.add(text(t), check::type_kind::text);
    for (const char* t : {"xy"}) c.add(text(t), check::type_kind::text);
    for (auto* m : {&a, &b, &c}) m->seal();
    EXPECT_EQ(a.key(), b.key());
    EXPECT_NE(a.key(), c.key());  // "x", "y" is not "xy"
    EXPECT_EQ(a.texts(), (std::vector<std::string_view>{"x", "y"}));
}

TEST(MemberSet, ACheckedListKeepsItsItemsInTheSet) {
    const check::plan p = mandate::testing::load_ok(
        "plan p {}\nphase c from 2023-04-01 to 2023-06-30\nkind village\nevent activity { venue: text }\n"
        "obligation o { each v: village during c require count(activity of v where venue in [\"b\", \"a\", \"b\"]) >= 1 }\n");
    // count(...) >= 1: the count's `where` is the `in`, whose right side is the list.
    const texpr& count = p.rules[0].condition.args[0];
    const texpr& in = count.args[static_cast<std::size_t>(count.where_arg)];
    ASSERT_EQ(in.o, op::in);
    const texpr& list = in.args[1];
    ASSERT_EQ(list.o, op::list);
    EXPECT_TRUE(list.args.empty());
    ASSERT_TRUE(list.members);
    EXPECT_EQ(list.members->texts(), (std::vector<std::string_view>{"a", "b"}));
    EXPECT_EQ(list.text, "[\"b\", \"a\", \"b\"]");
}

}  // namespace
}  // namespace mandate::check
