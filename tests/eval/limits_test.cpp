// Limits on untrusted records: a record over max_record_bytes and a string over
// max_field_bytes are rejected with that reason (JSON, CSV and typed records alike); entities
// past max_entities are rejected; a report over max_buckets fails with limit_error and leaves
// the engine usable. Every record stays accounted for.
#include <gtest/gtest.h>

#include <sstream>

#include "helpers.hpp"

namespace mandate {
namespace {

const char* const plan_text = R"(
plan p { timezone "+08:00" }
phase c "c" from 2023-04-01 to 2023-06-30
kind village "村"
event activity "a" { venue: text }
obligation o "o" { each v: village  during c  every month  require count(activity of v) >= 1 }
)";

engine with(const limits& l) {
    engine_options options;
    options.limits = l;
    return engine(evaltest::compile_or_throw(plan_text), options);
}

std::string activity(const std::string& id, const std::string& venue) {
    return R"({"id": ")" + id + R"(", "type": "activity", "time": "2023-04-02", "unit": "v1", "venue": ")" + venue + R"("})";
}

TEST(RecordLimits, RecordSize) {
    limits l;
    l.max_record_bytes = 120;
    engine e = with(l);
    EXPECT_EQ(e.add(R"({"entity": "v1", "kind": "village"})"), add_status::accepted);
    EXPECT_EQ(e.add(activity("a1", "park")), add_status::accepted);  // 81 bytes
    EXPECT_EQ(e.add(activity("a2", std::string(60, 'x'))), add_status::rejected);
    EXPECT_EQ(e.last_error(), "record longer than the limit of 120 bytes");
    std::istringstream lines(activity("a3", std::string(60, 'y')) + "\n" + activity("a4", "square") + "\n");
    EXPECT_EQ(e.add_jsonl(lines, "x.jsonl"), 2u);
    std::istringstream csv("id,time,unit,venue\na5,2023-04-03,v1," + std::string(200, 'z') + "\n");
    EXPECT_EQ(e.add_csv(csv, "x.csv", "activity"), 1u);
    const report r = e.evaluate(calendar::from_ymd(2023, 5, 1));
    EXPECT_EQ(r.inputs.read, 6u);
    EXPECT_EQ(r.inputs.rejected, 3u);
    for (const auto& x : r.rejected) EXPECT_EQ(x.reason, "record longer than the limit of 120 bytes") << x.source << ":" << x.line;
    EXPECT_TRUE(evaltest::inputs_balance(r));
}

TEST(RecordLimits, FieldLength) {
    limits l;
    l.max_field_bytes = 10;  // a date-time like 2023-04-02 just fits
    engine e = with(l);
    EXPECT_EQ(e.add(R"({"entity": "v1", "kind": "village"})"), add_status::accepted);
    EXPECT_EQ(e.add(activity("a1", "park")), add_status::accepted);
    EXPECT_EQ(e.add(activity("a2", "a-long-venue")), add_status::rejected);
    EXPECT_EQ(e.last_error(), "field 'venue' is longer than the limit of 10 bytes");
    EXPECT_EQ(e.add(activity("an-id-too-long", "park")), add_status::rejected);
    EXPECT_EQ(e.last_error(), "field 'id' is longer than the limit of 10 bytes");
    EXPECT_EQ(e.add(typed_event("a3", "activity", "2023-04-03", "v1").set("venue", typed_value::text("a-long-venue"))),
              add_status::rejected);
    EXPECT_EQ(e.last_error(), "field 'venue' is longer than the limit of 10 bytes");
    typed_entity big;
    big.id = "v-long-name";
    big.kind = "village";
    EXPECT_EQ(e.add(big), add_status::rejected);
    EXPECT_EQ(e.last_error(), "field 'entity' is longer than the limit of 10 bytes");
    EXPECT_TRUE(evaltest::inputs_balance(e.evaluate(calendar::from_ymd(2023, 5, 1))));
}

TEST(RecordLimits, Entities) {
    limits l;
    l.max_entities = 2;
    engine e = with(l);
    EXPECT_EQ(e.add(R"({"entity": "v1", "kind": "village"})"), add_status::accepted);
    EXPECT_EQ(e.add(R"({"entity": "v2", "kind": "village"})"), add_status::accepted);
    EXPECT_EQ(e.add(R"({"entity": "v3", "kind": "village"})"), add_status::rejected);
    EXPECT_EQ(e.last_error(), "entity 'v3' would be one more than the limit of 2 entities (max_entities)");
    // A new version of an entity already held is not one more.
    EXPECT_EQ(e.add(R"({"entity": "v2", "kind": "village", "version": 1, "name": "二村"})"), add_status::accepted);
    const report r = e.evaluate(calendar::from_ymd(2023, 5, 1));
    EXPECT_EQ(r.inputs.entities, 3u);
    EXPECT_EQ(r.inputs.rejected, 1u);
    EXPECT_TRUE(evaltest::inputs_balance(r));
}

TEST(RecordLimits, BucketsInAReport) {
    limits l;
    l.max_buckets = 5;  // two villages × three months = 6
    engine e = with(l);
    e.add(R"({"entity": "v1", "kind": "village"})");
    e.add(R"({"entity": "v2", "kind": "village"})");
    try {
        e.evaluate(calendar::from_ymd(2023, 7, 1));
        FAIL() << "expected a limit_error";
    } catch (const limit_error& x) {
        EXPECT_STREQ(x.what(), "the report would hold more than 5 buckets (units × periods; max_buckets)");
    }
    // As of May only April and May have started: 4 buckets, within the limit.
    EXPECT_EQ(e.evaluate(calendar::from_ymd(2023, 5, 1)).results.size(), 4u);
}

}  // namespace
}  // namespace mandate
