// Limits on untrusted rule and test files: the defaults, a host's own (lower or higher), and
// the clear diagnostic each gives; and setting limits by name, as --limit NAME=N does.
#include <gtest/gtest.h>

#include "mandate/mandate.hpp"
#include "mandate/scenario/scenario.hpp"

namespace mandate {
namespace {

const std::string small_plan = R"(plan p {}
phase c "c" from 2023-04-01 to 2023-04-30
kind village "村"
event e "事件" {}
obligation o "o" { each v: village  during c  require count(e of v) + 1 + 1 + 1 >= 1 }
)";

std::string first_message(const result<plan>& r) {
    return r.ok() || r.diagnostics().empty() ? std::string() : headline(r.diagnostics().front());
}

TEST(Limits, Defaults) {
    const limits l;
    EXPECT_EQ(l.max_source_bytes, 8u << 20);
    EXPECT_EQ(l.max_expression_depth, 256u);
    EXPECT_EQ(l.max_record_bytes, 256u << 10);
    EXPECT_EQ(l.max_field_bytes, 64u << 10);
    EXPECT_EQ(l.max_entities, 10000000u);
    EXPECT_EQ(l.max_buckets, 10000000u);
    EXPECT_TRUE(compile(small_plan, "p.mandate").ok());
}

TEST(Limits, ARuleFileOverTheSizeLimit) {
    limits l;
    l.max_source_bytes = 100;  // the plan is longer
    EXPECT_EQ(first_message(compile(small_plan, "p.mandate", l)), "p.mandate:1:1: error: rule file is larger than the limit of 100 bytes");
    l.max_source_bytes = small_plan.size();
    EXPECT_TRUE(compile(small_plan, "p.mandate", l).ok());
}

TEST(Limits, ExpressionDepth) {
    // count(e of v) is 1 deep; the chain `+ 1 + 1 + 1` one level more, however long (2);
    // `>= 1` one more: 3 in all.
    limits l;
    l.max_expression_depth = 2;
    EXPECT_EQ(first_message(compile(small_plan, "p.mandate", l)),
              "p.mandate:5:55: error: expression too deeply nested (the limit is 2 levels)");
    l.max_expression_depth = 3;
    EXPECT_TRUE(compile(small_plan, "p.mandate", l).ok());
    // So is a chain of 300 terms.
    std::string plan = small_plan;
    std::string terms;
    for (int i = 0; i < 300; ++i) terms += " + 1";
    plan.replace(plan.find(" + 1 + 1 + 1"), 12, terms);
    EXPECT_TRUE(compile(plan, "p.mandate", l).ok()) << first_message(compile(plan, "p.mandate", l));
    // Two comparisons joined by `and`: one level more, 4.
    plan = small_plan;
    plan.replace(plan.find(">= 1 }"), 6, ">= 1 and count(e of v) + 1 >= 1 }");
    EXPECT_EQ(first_message(compile(plan, "p.mandate", l)),
              "p.mandate:5:55: error: expression too deeply nested (the limit is 3 levels)");
    l.max_expression_depth = 4;
    EXPECT_TRUE(compile(plan, "p.mandate", l).ok());
}

TEST(Limits, ATestFileOverTheSizeLimit) {
    auto p = compile(small_plan, "p.mandate");
    ASSERT_TRUE(p.ok());
    limits l;
    l.max_source_bytes = 10;
    const source_file tests("p.test.mandate", "plan p\ntest t { as_of 2023-05-01 }\n");
    auto loaded = scenario::load(tests, **p, l);
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(headline(loaded.diagnostics().front()), "p.test.mandate:1:1: error: test file is larger than the limit of 10 bytes");
    EXPECT_TRUE(scenario::load(tests, **p).ok());
}

TEST(Limits, SetByName) {
    limits l;
    EXPECT_EQ(set_limit(l, "max_entities", "20000000"), std::nullopt);
    EXPECT_EQ(l.max_entities, 20000000u);
    EXPECT_EQ(set_limit(l, "max_record_bytes", "1048576"), std::nullopt);
    EXPECT_EQ(l.max_record_bytes, 1048576u);
    EXPECT_EQ(set_limit(l, "max_expression_depth", "300"), std::optional<std::string>("limit max_expression_depth must be between 1 and 256"));
    EXPECT_EQ(set_limit(l, "max_buckets", "lots"), std::optional<std::string>("limit max_buckets needs a whole number, not 'lots'"));
    EXPECT_EQ(set_limit(l, "max_buckets", "-1"), std::optional<std::string>("limit max_buckets needs a whole number, not '-1'"));
    const auto unknown = set_limit(l, "max_rows", "1");
    ASSERT_TRUE(unknown.has_value());
    EXPECT_EQ(unknown->rfind("no limit named 'max_rows' (limits: max_source_bytes=8388608, max_expression_depth=256, ", 0), 0u) << *unknown;
}

}  // namespace
}  // namespace mandate
