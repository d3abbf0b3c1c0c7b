// Names in the graph: the checker names an operator only where its text is read, so a `where`
// predicate that another rule's larger predicate holds inside it is one node, first met without
// a name, and still names its source of events.
#include <gtest/gtest.h>

#include "mandate/mandate.hpp"

namespace mandate {
namespace {

TEST(GraphNames, AWhereMetFirstInsideAnotherStillNamesItsSource) {
    auto compiled = compile(R"(
plan p {}
phase c from 2023-04-01 to 2023-06-30
kind village
event activity { venue: text, size: int }
obligation big { each v: village during c require count(activity of v where venue == "a" and size > 1) >= 1 }
obligation small { each v: village during c require count(activity of v where size > 1) >= 1 }
)",
                            "names.mandate");
    ASSERT_TRUE(compiled.ok());
    const plan& p = *compiled;
    ASSERT_EQ(p->sources().size(), 2u);
    EXPECT_EQ(p->sources()[0].text, "activity of v where venue == \"a\" and size > 1");
    EXPECT_EQ(p->sources()[1].text, "activity of v where size > 1");
}

}  // namespace
}  // namespace mandate
