// The texts the checker gives expressions, which name conditions, measures and sources in
// reports: an operator inside an expression keeps none of its own (each of a chain's N
// operators holding its text was quadratic in the chain's length), while every text that is
// read is there: the condition, both sides of its comparison, aggregates, `where` predicates.
#include <gtest/gtest.h>

#include "syntax/support.hpp"

namespace mandate::check {
namespace {

const std::string prelude =
    "plan p {}\nphase c from 2023-04-01 to 2023-06-30\nkind village\nevent activity { venue: text, size: int }\n";

TEST(Texts, OperatorsInsideAnExpressionKeepNoText) {
    const plan p = mandate::testing::load_ok(
        prelude + "obligation o { each v: village during c require count(activity of v) + 1 + 1 >= 2 }\n");
    const texpr& condition = p.rules[0].condition;
    EXPECT_EQ(condition.text, "count(activity of v) + 1 + 1 >= 2");
    const texpr& sum = condition.args[0];  // (count + 1) + 1
    EXPECT_EQ(sum.text, "count(activity of v) + 1 + 1");
    EXPECT_EQ(condition.args[1].text, "2");
    const texpr& inner = sum.args[0];  // count + 1
    ASSERT_EQ(inner.o, op::add);
    EXPECT_EQ(inner.text, "");
    EXPECT_EQ(inner.args[0].text, "count(activity of v)");
    EXPECT_EQ(inner.args[1].text, "1");
}

TEST(Texts, WherePredicatesAndTriggersAreNamed) {
    const plan p = mandate::testing::load_ok(
        prelude + "obligation o { each v: village during c require count(activity of v where venue == \"a\" and size > 1) >= 1 }\n"
                  "obligation t { each v: village during c after activity of v where size > 2 within 3 days "
                  "require all(activity of v: size > 0 or venue == \"b\") }\n");
    const texpr& count = p.rules[0].condition.args[0];
    const texpr& where = count.args[static_cast<std::size_t>(count.where_arg)];
    EXPECT_EQ(where.text, "venue == \"a\" and size > 1");
    EXPECT_EQ(where.args[0].text, "");  // venue == "a", inside the `and`
    ASSERT_TRUE(p.rules[1].trig.where);
    EXPECT_EQ(p.rules[1].trig.where->text, "size > 2");
    const texpr& all = p.rules[1].condition;
    EXPECT_EQ(all.text, "all(activity of v: size > 0 or venue == \"b\")");
    EXPECT_EQ(all.args[static_cast<std::size_t>(all.pred_arg)].text, "size > 0 or venue == \"b\"");
}

}  // namespace
}  // namespace mandate::check
