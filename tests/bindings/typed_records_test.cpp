// Typed records (mandate/ingest/typed_record.hpp) against their JSON twins: the same reasons
// for the same faults, duplicates rather than conflicts, and the same report.
#include <gtest/gtest.h>

#include <climits>
#include <stdexcept>

#include "mandate/report/report_writer.hpp"
#include "mandate/mandate.hpp"

namespace {

using mandate::typed_entity;
using mandate::typed_event;
using tv = mandate::typed_value;
using mandate::calendar::from_ymd;

const char* plan_text = R"(plan t { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-04-30
kind town "镇"
kind village "村" within town
kind household "户" within village
event visit "走访" {
  households: set<ref household>
  people:     int
  seconds:    number
  antifraud:  bool
  venue:      text
  due:        date
  host:       ref village
  note?:      text
  tags?:      set<text>
  sizes?:     set<int>
}
obligation monthly "每月" {
  each v: village
  during campaign
  require count(visit of v) >= 1
}
)";

mandate::plan compiled() {
    static const mandate::plan plan = [] {
        auto p = mandate::compile(plan_text, "t.mandate");
        if (!p) throw std::runtime_error("the test plan does not compile");
        return *p;
    }();
    return plan;
}

// The registry every case starts from, as JSON (the typed twins are tested separately).
void register_units(mandate::engine& e) {
    e.add(R"({"entity": "goutang", "kind": "town"})");
    e.add(R"({"entity": "v1", "kind": "village", "parent": "goutang"})");
    e.add(R"({"entity": "v2", "kind": "village", "parent": "goutang"})");
    e.add(R"({"entity": "h1", "kind": "household", "parent": "v1"})");
}

typed_event base_event() {
    typed_event e("e1", "visit", "2023-04-10T09:30:00+08:00", "v1");
    e.set("households", tv::set({tv::text("h1")}))
        .set("people", tv::integer(3))
        .set("seconds", tv::decimal("12.5"))
        .set("antifraud", tv::boolean(true))
        .set("venue", tv::text("park"))
        .set("due", tv::date(from_ymd(2023, 4, 30)))
        .set("host", tv::text("v1"));
    return e;
}

// base_event() as JSON, or an event with the same head and other fields.
std::string base_json(const std::string& fields = R"("households": ["h1"], "people": 3, "seconds": 12.5, "antifraud": true, "venue": "park", "due": "2023-04-30", "host": "v1")",
                      const std::string& head = R"("id": "e1", "type": "visit", "time": "2023-04-10T09:30:00+08:00", "unit": "v1")") {
    return "{" + head + ", " + fields + "}";
}

std::string typed_reason(const typed_event& ev) {
    mandate::engine e(compiled());
    register_units(e);
    EXPECT_EQ(e.add(ev), mandate::add_status::rejected);
    return e.last_error();
}

std::string json_reason(const std::string& json) {
    mandate::engine e(compiled());
    register_units(e);
    EXPECT_EQ(e.add(json), mandate::add_status::rejected) << json;
    return e.last_error();
}

TEST(TypedRecords, AValidEventIsAppliedAndItsJsonTwinIsADuplicate) {
    for (bool typed_first : {true, false}) {
        mandate::engine e(compiled());
        register_units(e);
        if (typed_first) {
            EXPECT_EQ(e.add(base_event()), mandate::add_status::accepted) << e.last_error();
            EXPECT_EQ(e.add(base_json()), mandate::add_status::accepted) << e.last_error();
        } else {
            EXPECT_EQ(e.add(base_json()), mandate::add_status::accepted) << e.last_error();
            EXPECT_EQ(e.add(base_event()), mandate::add_status::accepted) << e.last_error();
        }
        const auto r = e.evaluate(from_ymd(2023, 5, 1));
        EXPECT_EQ(r.inputs.applied, 1u);
        EXPECT_EQ(r.inputs.duplicates, 1u);
        EXPECT_EQ(r.inputs.rejected, 0u);
    }
}

TEST(TypedRecords, EveryNumberFormIsTheSameValue) {
    // 12.5 given as millionths, as "12.50" and as JSON 12.5; 3 people as "3.0"; the time as the
    // same instant in UTC: all one event.
    typed_event other = base_event();
    other.set("seconds", tv::millionths(12500000)).set("people", tv::decimal("3.0"));
    typed_event third("e1", "visit", "2023-04-10T01:30:00Z", "v1");
    const typed_event base = base_event();
    for (const auto& [name, value] : base.fields()) third.set(name, value);
    third.set("seconds", tv::decimal("12.50"));
    mandate::engine e(compiled());
    register_units(e);
    EXPECT_EQ(e.add(base_json()), mandate::add_status::accepted);
    EXPECT_EQ(e.add(other), mandate::add_status::accepted) << e.last_error();
    EXPECT_EQ(e.add(third), mandate::add_status::accepted) << e.last_error();
    const auto r = e.evaluate(from_ymd(2023, 5, 1));
    EXPECT_EQ(r.inputs.applied, 1u);
    EXPECT_EQ(r.inputs.duplicates, 2u);
}

TEST(TypedRecords, DifferentContentUnderOneIdIsAConflictWithTheJsonTwin) {
    mandate::engine e(compiled());
    register_units(e);
    typed_event other = base_event();
    other.set("venue", tv::text("square"));
    EXPECT_EQ(e.add(base_json()), mandate::add_status::accepted);
    EXPECT_EQ(e.add(other), mandate::add_status::rejected);
    EXPECT_NE(e.last_error().find("'e1'"), std::string::npos) << e.last_error();
    const auto r = e.evaluate(from_ymd(2023, 5, 1));
    EXPECT_EQ(r.inputs.rejected, 2u);
    EXPECT_EQ(r.inputs.applied, 0u);
}

struct event_case {
    const char* what;
    typed_event typed;
    std::string json;
    std::string reason;
};

TEST(TypedRecords, AFaultyEventGetsTheReasonOfItsJsonTwin) {
    auto with = [](const char* field, tv v) { return base_event().set(field, std::move(v)); };
    auto fields = [](const std::string& replace_key, const std::string& json_value) {
        // The base fields with one value replaced (or dropped when json_value is empty).
        const std::vector<std::pair<std::string, std::string>> base = {
            {"households", R"(["h1"])"}, {"people", "3"},   {"seconds", "12.5"}, {"antifraud", "true"},
            {"venue", R"("park")"},      {"due", R"("2023-04-30")"}, {"host", R"("v1")"}};
        std::string out;
        bool found = false;
        for (const auto& [k, v] : base) {
            const bool mine = k == replace_key;
            found = found || mine;
            if (mine && json_value.empty()) continue;
            out += (out.empty() ? "" : ", ") + ("\"" + k + "\": ") + (mine ? json_value : v);
        }
        if (!found) out += ", \"" + replace_key + "\": " + json_value;
        return out;
    };
    const std::string long_type(100, 'x');
    std::vector<event_case> cases = {
        {"int as text", with("people", tv::text("3")), base_json(fields("people", R"("3")")),
         "field 'people' must be a whole number"},
        {"int with a fraction", with("people", tv::decimal("2.5")), base_json(fields("people", "2.5")),
         "field 'people' must be a whole number"},
        {"int below the range", with("people", tv::integer(INT64_MIN)),
         base_json(fields("people", "-9223372036854775808")), "field 'people' is out of range: an int field holds -9223372036854775807 to 9223372036854775807"},
        {"seven fractional digits", with("seconds", tv::decimal("0.1234567")), base_json(fields("seconds", "0.1234567")),
         "field 'seconds' has more than 6 fractional digits"},
        {"number as bool", with("seconds", tv::boolean(true)), base_json(fields("seconds", "true")),
         "field 'seconds' must be a number"},
        {"number too large", with("seconds", tv::integer(INT64_MAX)), base_json(fields("seconds", "9223372036854775807")),
         "field 'seconds' is out of range: a number field holds -9000000000000 to 9000000000000"},
        {"number beyond 128 bits", with("seconds", tv::decimal("1e400")), base_json(fields("seconds", "1e400")),
         "field 'seconds' is out of range: a number field holds -9000000000000 to 9000000000000"},
        {"number finer than 128 bits", with("seconds", tv::decimal("1E-400")), base_json(fields("seconds", "1E-400")),
         "field 'seconds' has more than 6 fractional digits"},
        {"int beyond 128 bits", with("people", tv::decimal("1e300")), base_json(fields("people", "1e300")),
         "field 'people' is out of range: an int field holds -9223372036854775807 to 9223372036854775807"},
        {"int of 40 digits", with("people", tv::decimal("1234567890123456789012345678901234567890")),
         base_json(fields("people", "1234567890123456789012345678901234567890")), "field 'people' is out of range: an int field holds -9223372036854775807 to 9223372036854775807"},
        {"bool as int", with("antifraud", tv::integer(1)), base_json(fields("antifraud", "1")),
         "field 'antifraud' must be true or false"},
        {"text as int", with("venue", tv::integer(5)), base_json(fields("venue", "5")), "field 'venue' must be a string"},
        {"text as list", with("venue", tv::set({})), base_json(fields("venue", "[]")), "field 'venue' must be a string"},
        {"not a real date", with("due", tv::text("2023-02-30")), base_json(fields("due", R"("2023-02-30")")),
         "field 'due' must be a date like 2023-05-31"},
        {"empty ref", with("host", tv::text("")), base_json(fields("host", R"("")")),
         "field 'host' must be an entity id (a string)"},
        {"set as one value", with("households", tv::text("h1")), base_json(fields("households", R"("h1")")),
         "field 'households' must be a list"},
        {"set of numbers", with("households", tv::set({tv::integer(1)})), base_json(fields("households", "[1]")),
         "field 'households' must hold only entity ids (strings)"},
        {"set of lists", with("households", tv::set({tv::set({})})), base_json(fields("households", "[[]]")),
         "field 'households' must hold only entity ids (strings)"},
        {"text set holding a number", with("tags", tv::set({tv::text("a"), tv::integer(1)})),
         base_json(fields("tags", R"(["a", 1])")), "field 'tags' must hold only strings"},
        {"int set holding a fraction", with("sizes", tv::set({tv::decimal("1.5")})), base_json(fields("sizes", "[1.5]")),
         "field 'sizes' must hold only whole numbers"},
        {"a missing field", base_event().erase("venue"), base_json(fields("venue", "")), "field 'venue' is missing"},
        {"a ref of the wrong kind", with("host", tv::text("h1")), base_json(fields("host", R"("h1")")),
         "field 'host' names 'h1', a household; expected village"},
        {"unknown type", typed_event("e1", "meeting", "2023-04-10", "v1"),
         R"({"id": "e1", "type": "meeting", "time": "2023-04-10", "unit": "v1"})", "unknown event type 'meeting'"},
        {"a long unknown type", typed_event("e1", long_type, "2023-04-10", "v1"),
         R"({"id": "e1", "type": ")" + long_type + R"(", "time": "2023-04-10", "unit": "v1"})",
         "unknown event type '" + std::string(80, 'x') + "...'"},
        {"not a real time", typed_event("e1", "visit", "2023-04-31", "v1"),
         R"({"id": "e1", "type": "visit", "time": "2023-04-31", "unit": "v1"})",
         "field 'time' must be a date or a date-time like 2023-04-15T09:30:00+08:00, not '2023-04-31'"},
        {"empty id", typed_event("", "visit", "2023-04-10", "v1"),
         R"({"id": "", "type": "visit", "time": "2023-04-10", "unit": "v1"})", "field 'id' must not be empty"},
        {"empty unit", typed_event("e1", "visit", "2023-04-10", ""),
         R"({"id": "e1", "type": "visit", "time": "2023-04-10", "unit": ""})", "field 'unit' must not be empty"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.what);
        EXPECT_EQ(json_reason(c.json), c.reason);
        EXPECT_EQ(typed_reason(c.typed), c.reason);
    }
}

TEST(TypedRecords, WhatJsonCannotCarryHasAReasonOfItsOwn) {
    EXPECT_EQ(typed_reason(base_event().set("venue", tv::text("\xff\xfe"))), "field 'venue' is not valid UTF-8");
    EXPECT_EQ(typed_reason(base_event().set("due", tv::date(from_ymd(1400, 1, 1) - 1))),
              "field 'due' holds a date outside the years 1400 to 9999");
    EXPECT_EQ(typed_reason(base_event().set("unit", tv::text("v2"))),
              "field 'unit' is built in: give it as the event's unit, not as a declared field");
    EXPECT_THROW(tv::decimal("1,5"), std::invalid_argument);
    EXPECT_THROW(tv::decimal("+1"), std::invalid_argument);  // JSON has no leading '+'
    EXPECT_THROW(tv::decimal(""), std::invalid_argument);
}

TEST(TypedRecords, UndeclaredFieldsAreIgnoredAndCountedAsInJson) {
    mandate::engine e(compiled());
    register_units(e);
    EXPECT_EQ(e.add(base_event().set("colour", tv::text("red"))), mandate::add_status::accepted) << e.last_error();
    EXPECT_EQ(e.add(base_json(R"("households": ["h1"], "people": 3, "seconds": 12.5, "antifraud": true, "venue": "park", "due": "2023-04-30", "host": "v1", "colour": 7)")),
              mandate::add_status::accepted)
        << e.last_error();
    const auto r = e.evaluate(from_ymd(2023, 5, 1));
    ASSERT_EQ(r.ignored_fields.size(), 1u);
    EXPECT_EQ(r.ignored_fields[0].type, "visit");
    EXPECT_EQ(r.ignored_fields[0].field, "colour");
    EXPECT_EQ(r.ignored_fields[0].records, 2u);
    EXPECT_EQ(r.inputs.duplicates, 1u);  // an ignored field is not content
}

TEST(TypedRecords, AFaultyEntityGetsTheReasonOfItsJsonTwin) {
    struct entity_case {
        const char* what;
        typed_entity typed;
        std::string json, reason;
    };
    auto entity = [](std::string id, std::string kind, std::optional<std::string> parent, std::int64_t version = 0) {
        typed_entity e;
        e.id = std::move(id);
        e.kind = std::move(kind);
        e.parent = std::move(parent);
        e.version = version;
        return e;
    };
    const std::vector<entity_case> cases = {
        {"empty id", entity("", "village", "goutang"), R"({"entity": "", "kind": "village", "parent": "goutang"})",
         "field 'entity' must not be empty"},
        {"unknown kind", entity("c1", "city", std::nullopt), R"({"entity": "c1", "kind": "city"})", "unknown kind 'city'"},
        {"empty parent", entity("v3", "village", ""), R"({"entity": "v3", "kind": "village", "parent": ""})",
         "field 'parent' must not be empty"},
        {"negative version", entity("v3", "village", "goutang", -1),
         R"({"entity": "v3", "kind": "village", "parent": "goutang", "version": -1})",
         "field 'version' must be a whole number >= 0"},
        {"a parent of a kind not allowed", entity("h9", "household", "goutang"),
         R"({"entity": "h9", "kind": "household", "parent": "goutang"})",
         "entity 'h9': its parent 'goutang' is a town, and a household may not be within one"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.what);
        mandate::engine a(compiled()), b(compiled());
        register_units(a);
        register_units(b);
        EXPECT_EQ(a.add(c.typed), mandate::add_status::rejected);
        EXPECT_EQ(a.last_error(), c.reason);
        EXPECT_EQ(b.add(c.json), mandate::add_status::rejected);
        EXPECT_EQ(b.last_error(), c.reason);
    }
    typed_entity bad_date = entity("v3", "village", "goutang");
    bad_date.until = from_ymd(9999, 12, 31) + 1;
    mandate::engine e(compiled());
    EXPECT_EQ(e.add(bad_date), mandate::add_status::rejected);
    EXPECT_EQ(e.last_error(), "field 'until' holds a date outside the years 1400 to 9999");
}

TEST(TypedRecords, ATypedEntityIsTheSameRecordAsItsJsonTwin) {
    typed_entity v3;
    v3.id = "v3";
    v3.kind = "village";
    v3.parent = "goutang";
    v3.name = "苟堂村";
    v3.since = from_ymd(2023, 1, 1);
    v3.until = from_ymd(2023, 4, 16);
    v3.version = 2;
    mandate::engine e(compiled());
    register_units(e);
    EXPECT_EQ(e.add(v3), mandate::add_status::accepted) << e.last_error();
    // Equal versions that differ would conflict (and be rejected): this twin does not.
    EXPECT_EQ(e.add(R"({"entity": "v3", "kind": "village", "parent": "goutang", "name": "苟堂村", "since": "2023-01-01", "until": "2023-04-16", "version": 2})"),
              mandate::add_status::accepted)
        << e.last_error();
    typed_entity other = v3;
    other.name = "另一个村";
    EXPECT_EQ(e.add(other), mandate::add_status::rejected);
    EXPECT_EQ(e.last_error(), "entity 'v3' version 2 is in conflict: records with this version differ");
}

TEST(TypedRecords, RetractionsByIdWhicheverWayTheyCome) {
    mandate::engine e(compiled());
    register_units(e);
    EXPECT_EQ(e.retract("e1"), mandate::add_status::accepted);
    EXPECT_EQ(e.add(base_event()), mandate::add_status::accepted);
    EXPECT_EQ(e.add(R"({"retract": "e1"})"), mandate::add_status::accepted);
    EXPECT_EQ(e.retract(""), mandate::add_status::rejected);
    EXPECT_EQ(e.last_error(), "field 'retract' must name an event id");
    const auto r = e.evaluate(from_ymd(2023, 5, 1));
    EXPECT_EQ(r.inputs.retractions, 2u);
    EXPECT_EQ(r.inputs.retracted, 1u);
    EXPECT_EQ(r.inputs.applied, 0u);
    EXPECT_EQ(r.inputs.rejected, 1u);
}

// The same records, one engine fed JSON and the other typed values: the same report, byte for
// byte. v1 has its April visit, v2 has none (its only visit is retracted), one record is bad.
TEST(TypedRecords, TheSameRecordsGiveTheSameReport) {
    mandate::engine json(compiled()), typed(compiled());
    const std::vector<std::string> lines = {
        R"({"entity": "goutang", "kind": "town"})",
        R"({"entity": "v1", "kind": "village", "parent": "goutang", "since": "2023-01-01"})",
        R"({"entity": "v2", "kind": "village", "parent": "goutang", "name": "二村"})",
        R"({"entity": "h1", "kind": "household", "parent": "v1"})",
        base_json(),
        R"({"id": "e2", "type": "visit", "time": "2023-04-12", "unit": "v2", "households": [], "people": 0, "seconds": 0, "antifraud": false, "venue": "x", "due": "2023-04-12", "host": "v2", "note": "retracted later"})",
        R"({"retract": "e2"})",
        R"({"id": "e3", "type": "visit", "time": "2023-04-13", "unit": "v2", "households": [], "people": "many", "seconds": 0, "antifraud": false, "venue": "x", "due": "2023-04-12", "host": "v2"})",
    };
    for (std::size_t i = 0; i < lines.size(); ++i) json.add(lines[i], "feed", i + 1);

    auto entity = [](std::string id, std::string kind, std::optional<std::string> parent) {
        typed_entity e;
        e.id = std::move(id);
        e.kind = std::move(kind);
        e.parent = std::move(parent);
        return e;
    };
    typed.add(entity("goutang", "town", std::nullopt), "feed", 1);
    typed_entity v1 = entity("v1", "village", "goutang");
    v1.since = from_ymd(2023, 1, 1);
    typed.add(v1, "feed", 2);
    typed_entity v2 = entity("v2", "village", "goutang");
    v2.name = "二村";
    typed.add(v2, "feed", 3);
    typed.add(entity("h1", "household", "v1"), "feed", 4);
    typed.add(base_event(), "feed", 5);
    typed_event e2("e2", "visit", from_ymd(2023, 4, 12), "v2");
    e2.set("households", tv::set({})).set("people", tv::integer(0)).set("seconds", tv::integer(0));
    e2.set("antifraud", tv::boolean(false)).set("venue", tv::text("x")).set("due", tv::date(from_ymd(2023, 4, 12)));
    e2.set("host", tv::text("v2")).set("note", tv::text("retracted later"));
    typed.add(e2, "feed", 6);
    typed.retract("e2", "feed", 7);
    typed_event e3("e3", "visit", "2023-04-13", "v2");
    for (const auto& [name, value] : e2.fields()) e3.set(name, value);
    e3.erase("note").set("people", tv::text("many"));
    typed.add(e3, "feed", 8);

    const auto as_of = from_ymd(2023, 5, 1);
    const mandate::report r = typed.evaluate(as_of);
    ASSERT_EQ(r.results.size(), 2u);
    EXPECT_EQ(*r.results[0].unit, "v1");
    EXPECT_EQ(r.results[0].status, mandate::status::satisfied);
    EXPECT_EQ(*r.results[1].unit, "v2");
    EXPECT_EQ(r.results[1].status, mandate::status::violated);
    ASSERT_EQ(r.rejected.size(), 1u);
    EXPECT_EQ(r.rejected[0].line, 8u);
    EXPECT_EQ(r.rejected[0].reason, "field 'people' must be a whole number");
    EXPECT_EQ(r.inputs.read, 8u);
    EXPECT_EQ(mandate::io::to_json(json.evaluate(as_of)), mandate::io::to_json(r));
}

TEST(TypedRecords, SubscribersHearOfTypedAdds) {
    mandate::engine e(compiled());
    register_units(e);
    std::vector<mandate::status_change> heard;
    e.subscribe([&](const mandate::status_change& c) { heard.push_back(c); });
    EXPECT_EQ(e.add(base_event()), mandate::add_status::accepted);
    // The watch date is the latest event date, 2023-04-10: only v1's April bucket has news, and
    // it is new (v2's bucket appears too, pending, since April has started).
    ASSERT_EQ(heard.size(), 2u);
    EXPECT_EQ(heard[0].rule, "monthly");
    EXPECT_EQ(*heard[0].unit, "v1");
    EXPECT_FALSE(heard[0].before.has_value());
    EXPECT_EQ(heard[0].after, mandate::status::satisfied);
    EXPECT_EQ(*heard[1].unit, "v2");
    EXPECT_EQ(heard[1].after, mandate::status::pending);
}

}  // namespace
