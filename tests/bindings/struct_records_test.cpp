// Host structs as records (mandate/eval/structs.hpp): bound once against the plan, with every
// misfit named at bind time; each record then judged as its JSON twin is (the same reasons, a
// duplicate of it rather than a conflict), one at a time or in batches.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <sstream>
#include <cstdint>
#include <limits>
#include <set>
#include <stdexcept>

#include "mandate/eval/structs.hpp"
#include "mandate/mandate.hpp"
#include "mandate/report/report_writer.hpp"

namespace {

using mandate::calendar::from_ymd;

// The plan of typed_records_test.cpp, with fields on the village kind.
const char* plan_text = R"(plan t { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-04-30
kind town "镇"
kind village "村" within town {
  population: int
  rural?:     bool
}
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

// Every field type of the plan, and every built-in key, under its own name.
struct visit {
    std::string id;
    mandate::date time;
    std::string unit;
    std::vector<std::string> households;
    int people = 0;
    double seconds = 0;
    bool antifraud = false;
    std::string venue;
    mandate::date due;
    std::string_view host;
    std::optional<std::string> note;
    std::optional<std::vector<std::string>> tags;
    std::set<std::int64_t> sizes;
};
MANDATE_RECORD(visit, id, time, unit, households, people, seconds, antifraud, venue, due, host, note, tags, sizes)

struct village {
    std::string entity;
    std::optional<std::string> parent;
    std::string name;
    std::uint32_t population = 0;
    std::optional<bool> rural;
    std::int64_t version = 0;
    std::optional<mandate::date> since;
};
MANDATE_RECORD(village, entity, parent, name, population, rural, version, since)

// The registry every case starts from, as JSON.
void register_units(mandate::engine& e) {
    ASSERT_EQ(e.add(R"({"entity": "goutang", "kind": "town"})"), mandate::add_status::accepted);
    ASSERT_EQ(e.add(R"({"entity": "v1", "kind": "village", "parent": "goutang", "population": 800})"), mandate::add_status::accepted);
    ASSERT_EQ(e.add(R"({"entity": "v2", "kind": "village", "parent": "goutang", "population": 650})"), mandate::add_status::accepted);
    ASSERT_EQ(e.add(R"({"entity": "h1", "kind": "household", "parent": "v1"})"), mandate::add_status::accepted);
}

visit base_visit() {
    visit v;
    v.id = "e1";
    v.time = mandate::date(2023, 4, 10);
    v.unit = "v1";
    v.households = {"h1"};
    v.people = 3;
    v.seconds = 12.5;
    v.antifraud = true;
    v.venue = "park";
    v.due = mandate::date(2023, 4, 30);
    v.host = "v1";
    return v;
}

const char* base_json =
    R"({"id": "e1", "time": "2023-04-10", "unit": "v1", "households": ["h1"], "people": 3, "seconds": 12.5,)"
    R"( "antifraud": true, "venue": "park", "due": "2023-04-30", "host": "v1", "sizes": [], "type": "visit"})";

// base_visit() as JSON, with the value of one key replaced.
// Without `sizes` for the structs that have no such member (the key left out).
std::string json_with(const std::string& replace_key, const std::string& value, bool sizes = true) {
    const std::vector<std::pair<std::string, std::string>> base = {
        {"households", R"(["h1"])"}, {"people", "3"}, {"seconds", "12.5"}, {"antifraud", "true"}, {"venue", R"("park")"},
        {"due", R"("2023-04-30")"}, {"host", R"("v1")"}, {"time", R"("2023-04-10")"}, {"unit", R"("v1")"}, {"id", R"("e1")"},
        {"sizes", "[]"}};
    std::string out = R"({"type": "visit")";
    for (const auto& [k, v] : base)
        if (sizes || k != "sizes") out += ", \"" + k + "\": " + (k == replace_key ? value : v);
    return out + "}";
}

const mandate::result_row& row(const mandate::report& r, const std::string& unit) {
    for (const auto& x : r.results)
        if (x.unit == unit) return x;
    throw std::runtime_error("no row for " + unit);
}

TEST(StructRecords, EveryFieldTypeIsReadAsItsJsonTwin) {
    mandate::engine e(compiled());
    register_units(e);
    auto visits = mandate::bind_events<visit>(e, "visit");
    EXPECT_EQ(visits.binding().target(), "visit");
    EXPECT_EQ(visits.binding().members(), 13u);
    visit v = base_visit();
    v.note = "门口";
    v.tags = std::vector<std::string>{"宣传", "入户"};
    v.sizes = {2, 5};
    ASSERT_EQ(visits.add(v, "visits", 1), mandate::add_status::accepted) << e.last_error();
    // The same event as JSON: the twin of every value above, keys in another order.
    EXPECT_EQ(e.add(R"({"type": "visit", "unit": "v1", "id": "e1", "time": "2023-04-10", "households": ["h1"],)"
                    R"( "people": 3, "seconds": 12.5, "antifraud": true, "venue": "park", "due": "2023-04-30",)"
                    R"( "host": "v1", "note": "门口", "tags": ["宣传", "入户"], "sizes": [2, 5]})"),
              mandate::add_status::accepted)
        << e.last_error();
    // As of May 1st April is over (on April 30th it is still open, and v2 pending).
    const auto r = e.evaluate(from_ymd(2023, 5, 1));
    EXPECT_EQ(r.inputs.read, 6u);
    EXPECT_EQ(r.inputs.applied, 1u);
    EXPECT_EQ(r.inputs.duplicates, 1u);
    EXPECT_EQ(r.inputs.rejected, 0u);
    // April: v1 has its visit, v2 none.
    EXPECT_EQ(row(r, "v1").status, mandate::status::satisfied);
    EXPECT_EQ(row(r, "v1").evidence.events, std::vector<std::string>{"e1"});
    EXPECT_EQ(row(r, "v2").status, mandate::status::violated);
}

TEST(StructRecords, ADifferentValueUnderTheSameIdIsAConflict) {
    // The twin check can fail: one value apart, the copies conflict; 12.50 is 12.5.
    const std::vector<std::pair<std::string, std::string>> twins = {
        {"seconds", "12.25"}, {"sizes", "[2]"}, {"due", R"("2023-04-29")"}, {"seconds", "12.50"}};
    for (const auto& [key, value] : twins) {
        mandate::engine e(compiled());
        register_units(e);
        auto visits = mandate::bind_events<visit>(e, "visit");
        ASSERT_EQ(visits.add(base_visit()), mandate::add_status::accepted) << e.last_error();
        const std::string twin = json_with(key, value);
        const bool same = value == "12.50";
        EXPECT_EQ(e.add(twin), same ? mandate::add_status::accepted : mandate::add_status::rejected) << twin;
        if (!same) EXPECT_EQ(e.last_error(), "event id 'e1' is in conflict: records with this id differ") << twin;
        const auto r = e.evaluate(from_ymd(2023, 4, 30));
        EXPECT_EQ(r.inputs.applied, same ? 1u : 0u) << twin;
        EXPECT_EQ(r.inputs.duplicates, same ? 1u : 0u) << twin;
        EXPECT_EQ(r.inputs.rejected, same ? 0u : 2u) << twin;
    }
}

TEST(StructRecords, AnOptionalMemberLeftUnsetIsAKeyLeftOut) {
    mandate::engine e(compiled());
    register_units(e);
    auto visits = mandate::bind_events<visit>(e, "visit");
    visit v = base_visit();  // note and tags unset, sizes empty
    ASSERT_FALSE(v.note.has_value());
    ASSERT_EQ(visits.add(v), mandate::add_status::accepted) << e.last_error();
    EXPECT_EQ(e.add(base_json), mandate::add_status::accepted) << e.last_error();
    auto r = e.evaluate(from_ymd(2023, 4, 30));
    EXPECT_EQ(r.inputs.duplicates, 1u);
    // The twin that gives a note is another record: the id comes into conflict, and every
    // copy of it is rejected.
    std::string with_note = base_json;
    with_note.insert(with_note.size() - 1, R"(, "note": "x")");
    EXPECT_EQ(e.add(with_note), mandate::add_status::rejected);
    r = e.evaluate(from_ymd(2023, 4, 30));
    EXPECT_EQ(r.inputs.duplicates, 0u);
    EXPECT_EQ(r.inputs.rejected, 3u);
}

// A required field given by an optional member: unset, the record is refused as its JSON twin
// without the key is.
struct loose_visit {
    std::string id, unit;
    mandate::date time;
    std::vector<std::string> households;
    std::optional<int> people;
    mandate::millionths seconds;
    bool antifraud = true;
    std::string venue = "park";
    mandate::date due{2023, 4, 30};
    std::string host = "v1";
};
MANDATE_RECORD(loose_visit, id, unit, time, households, people, seconds, antifraud, venue, due, host)

TEST(StructRecords, ARequiredFieldLeftUnsetIsMissing) {
    mandate::engine e(compiled());
    register_units(e);
    auto visits = mandate::bind_events<loose_visit>(e, "visit");
    loose_visit v{"e1", "v1", mandate::date(2023, 4, 10), {"h1"}, std::nullopt, mandate::millionths{12500000}};
    EXPECT_EQ(visits.add(v), mandate::add_status::rejected);
    EXPECT_EQ(e.last_error(), "field 'people' is missing");
    v.people = 3;
    EXPECT_EQ(visits.add(v), mandate::add_status::accepted) << e.last_error();
    // 12500000 millionths and JSON's 12.5 are one value (and the key sizes is left out in both).
    EXPECT_EQ(e.add(json_with("seconds", "12.5", false)), mandate::add_status::accepted) << e.last_error();
    EXPECT_EQ(e.add(json_with("seconds", "12.500000", false)), mandate::add_status::accepted) << e.last_error();
    const auto r = e.evaluate(from_ymd(2023, 4, 30));
    EXPECT_EQ(r.inputs.applied, 1u);
    EXPECT_EQ(r.inputs.duplicates, 2u);
    EXPECT_EQ(r.inputs.rejected, 1u);
}

TEST(StructRecords, ATypeThePlanLacksIsRefusedWhenBound) {
    mandate::engine e(compiled());
    try {
        mandate::bind_events<visit>(e, "visits");
        FAIL() << "bound to an event type the plan lacks";
    } catch (const mandate::binding_error& x) {
        EXPECT_STREQ(x.what(), "the plan has no event type 'visits' (its event types: visit)");
    }
    try {
        mandate::bind_entities<village>(e, "hamlet");
        FAIL() << "bound to a kind the plan lacks";
    } catch (const mandate::binding_error& x) {
        EXPECT_STREQ(x.what(), "the plan has no kind 'hamlet' (its kinds: town, village, household)");
    }
}

struct mistyped_visit {
    std::string id, unit;
    std::int64_t time = 0;             // a day number would read as an int: not a time
    std::string households;            // a set field needs a list
    std::string people;                // an int field needs an integer
    double seconds = 0;
    bool antifraud = false;
    std::string venue;
    mandate::date due;
    std::vector<std::string> peoples;  // no such field
    std::string type;                  // the type is the one bound to
};
MANDATE_RECORD(mistyped_visit, id, unit, time, households, people, seconds, antifraud, venue, due, peoples, type)

TEST(StructRecords, AMistypedMemberIsRefusedWhenBoundWithEveryOtherMisfit) {
    mandate::engine e(compiled());
    try {
        mandate::bind_events<mistyped_visit>(e, "visit");
        FAIL() << "bound a mistyped struct";
    } catch (const mandate::binding_error& x) {
        EXPECT_EQ(std::string(x.what()),
                  "event type 'visit': member 'time' is an integer: the record's 'time' must be mandate::date, a "
                  "std::chrono::system_clock time point or text\n"
                  "event type 'visit': member 'households' is text, and field 'households' is a set<ref>: its "
                  "member must be a list of text (std::string or std::string_view)\n"
                  "event type 'visit': member 'people' is text, and field 'people' is an int: its member must be an integer\n"
                  "event type 'visit': member 'peoples' is not one of its fields (households, people, seconds, antifraud, "
                  "venue, due, host, note, tags, sizes)\n"
                  "event type 'visit': member 'type': the event type is the one bound to, not a member\n"
                  "event type 'visit': no member gives field 'host' (a ref), which every record needs");
    }
}

// Members under other names, through record_traits instead of the macro; and a binding
// describing the members by hand, for the keys the macro cannot name.
struct legacy_row {
    std::string key, village, code;
    mandate::date day;
    int headcount = 0;
};

}  // namespace

template <>
struct mandate::record_traits<legacy_row> {
    static auto members() {
        return std::make_tuple(mandate::member("entity", &legacy_row::key), mandate::member("parent", &legacy_row::village),
                               mandate::member("since", &legacy_row::day));
    }
};

namespace {

TEST(StructRecords, MembersNamedThroughRecordTraits) {
    mandate::engine e(compiled());
    register_units(e);
    auto households = mandate::bind_entities<legacy_row>(e, "household");
    EXPECT_TRUE(households.binding().is_entity());
    legacy_row h{"h2", "v2", "unused", mandate::date(2023, 4, 2), 4};
    ASSERT_EQ(households.add(h), mandate::add_status::accepted) << e.last_error();
    EXPECT_EQ(e.add(R"({"entity": "h2", "kind": "household", "parent": "v2", "since": "2023-04-02"})"), mandate::add_status::accepted);
    const auto r = e.evaluate(from_ymd(2023, 4, 30));
    EXPECT_EQ(r.inputs.entities, 6u);
    EXPECT_EQ(r.inputs.rejected, 0u);
    // A record whose parent is not a village is judged when the hierarchy is: the twin's reason.
    legacy_row bad{"h3", "goutang", "", mandate::date(2023, 4, 2), 1};
    EXPECT_EQ(households.add(bad), mandate::add_status::rejected);
    const std::string reason = e.last_error();
    EXPECT_NE(reason.find("'h3'"), std::string::npos) << reason;
    EXPECT_NE(reason.find("'goutang'"), std::string::npos) << reason;
    mandate::engine twin(compiled());
    register_units(twin);
    EXPECT_EQ(twin.add(R"({"entity": "h3", "kind": "household", "parent": "goutang", "since": "2023-04-02"})"),
              mandate::add_status::rejected);
    EXPECT_EQ(twin.last_error(), reason);
}

TEST(StructRecords, EntitiesAsStructsAreTheirJsonTwins) {
    mandate::engine e(compiled());
    register_units(e);
    auto villages = mandate::bind_entities<village>(e, "village");
    village v3{"v3", std::string("goutang"), "长河村", 420, true, 1, std::nullopt};
    ASSERT_EQ(villages.add(v3), mandate::add_status::accepted) << e.last_error();
    EXPECT_EQ(e.add(R"({"entity": "v3", "kind": "village", "parent": "goutang", "name": "长河村", "population": 420,)"
                    R"( "rural": true, "version": 1})"),
              mandate::add_status::accepted);
    // The same version with another population: a version conflict.
    village other = v3;
    other.population = 421;
    EXPECT_EQ(villages.add(other), mandate::add_status::rejected);
    EXPECT_EQ(e.last_error(), "entity 'v3' version 1 is in conflict: records with this version differ");
    // The faults of the keys, in the twin's words.
    village bad = v3;
    bad.version = -1;
    EXPECT_EQ(villages.add(bad), mandate::add_status::rejected);
    EXPECT_EQ(e.last_error(), "field 'version' must be a whole number >= 0");
    bad = v3;
    bad.parent = "";
    EXPECT_EQ(villages.add(bad), mandate::add_status::rejected);
    EXPECT_EQ(e.last_error(), "field 'parent' must not be empty");
    bad = v3;
    bad.entity = "";
    EXPECT_EQ(villages.add(bad), mandate::add_status::rejected);
    EXPECT_EQ(e.last_error(), "field 'entity' must not be empty");
    bad = v3;
    bad.since = mandate::date(from_ymd(9999, 12, 31) + 1);
    EXPECT_EQ(villages.add(bad), mandate::add_status::rejected);
    EXPECT_EQ(e.last_error(), "field 'since' holds a date outside the years 1400 to 9999");
    // A village struct without the required population member does not bind.
    const mandate::host_member members[] = {{"entity", mandate::host_kind::text}};
    try {
        e.bind_entity("village", members, 1);
        FAIL();
    } catch (const mandate::binding_error& x) {
        EXPECT_STREQ(x.what(), "kind 'village': no member gives field 'population' (an int), which every record needs");
    }
    const auto r = e.evaluate(from_ymd(2023, 4, 30));
    EXPECT_EQ(r.inputs.rejected, 7u);  // the three records of v3 version 1, and the four faults
}


std::string reason_of(const visit& v) {
    mandate::engine e(compiled());
    register_units(e);
    auto visits = mandate::bind_events<visit>(e, "visit");
    EXPECT_EQ(visits.add(v), mandate::add_status::rejected);
    return e.last_error();
}

std::string reason_of(const std::string& json) {
    mandate::engine e(compiled());
    register_units(e);
    EXPECT_EQ(e.add(json), mandate::add_status::rejected) << json;
    return e.last_error();
}

TEST(StructRecords, AFaultyRecordGetsTheReasonOfItsJsonTwin) {
    struct fault {
        const char* key;
        std::function<void(visit&)> change;
        std::string json;    // the twin's value of `key`
        std::string reason;  // worked out from LANGUAGE.md and the JSON reader's words
    };
    const std::vector<fault> faults = {
        {"id", [](visit& v) { v.id = ""; }, R"("")", "field 'id' must not be empty"},
        {"unit", [](visit& v) { v.unit = ""; }, R"("")", "field 'unit' must not be empty"},
        {"host", [](visit& v) { v.host = ""; }, R"("")", "field 'host' must be an entity id (a string)"},
        {"households", [](visit& v) { v.households = {"h1", ""}; }, R"(["h1", ""])", "field 'households' must hold only entity ids (strings)"},
        {"seconds", [](visit& v) { v.seconds = 0.1234567; }, "0.1234567", "field 'seconds' has more than 6 fractional digits"},
        {"seconds", [](visit& v) { v.seconds = 1e13; }, "1e13",
         "field 'seconds' is out of range: a number field holds -9000000000000 to 9000000000000"},
        {"people", [](visit& v) { v.people = std::numeric_limits<int>::min(); }, "-2147483648", ""},  // fits: a control
        {"venue", [](visit& v) { v.venue = std::string("\xff\xfe", 2); }, "", "field 'venue' is not valid UTF-8"},
        {"venue", [](visit& v) { v.venue = std::string(70000, 'a'); }, "\"" + std::string(70000, 'a') + "\"",
         "field 'venue' is longer than the limit of 65536 bytes"},
        {"due", [](visit& v) { v.due = mandate::date(from_ymd(1400, 1, 1) - 1); }, "", "field 'due' holds a date outside the years 1400 to 9999"},
    };
    for (const auto& f : faults) {
        visit v = base_visit();
        f.change(v);
        if (f.reason.empty()) {
            mandate::engine e(compiled());
            register_units(e);
            auto visits = mandate::bind_events<visit>(e, "visit");
            EXPECT_EQ(visits.add(v), mandate::add_status::accepted) << f.key << ": " << e.last_error();
            continue;
        }
        EXPECT_EQ(reason_of(v), f.reason) << f.key;
        if (!f.json.empty()) EXPECT_EQ(reason_of(json_with(f.key, f.json)), f.reason) << f.key;
    }
    // No JSON twin: a number that is not finite reads as a value that is not a number.
    visit nan = base_visit();
    nan.seconds = std::nan("");
    EXPECT_EQ(reason_of(nan), "field 'seconds' must be a number");
    EXPECT_EQ(reason_of(json_with("seconds", R"("x")")), "field 'seconds' must be a number");
}

// An int field from the widest unsigned member: beyond int64 it is out of range, as the JSON
// number 18446744073709551615 is.
struct wide_visit {
    std::string id = "e1", unit = "v1";
    mandate::date time{2023, 4, 10};
    std::vector<std::string_view> households{"h1"};
    std::uint64_t people = 0;
    std::int64_t seconds = 12;
    bool antifraud = true;
    std::string venue = "park", due = "2023-04-30", host = "v1";
};
MANDATE_RECORD(wide_visit, id, unit, time, households, people, seconds, antifraud, venue, due, host)

TEST(StructRecords, NumbersOutOfRangeAsInJson) {
    mandate::engine e(compiled());
    register_units(e);
    auto visits = mandate::bind_events<wide_visit>(e, "visit");
    wide_visit v;
    v.people = std::numeric_limits<std::uint64_t>::max();
    EXPECT_EQ(visits.add(v), mandate::add_status::rejected);
    const std::string int_range = "field 'people' is out of range: an int field holds -9223372036854775807 to 9223372036854775807";
    EXPECT_EQ(e.last_error(), int_range);
    EXPECT_EQ(reason_of(json_with("people", "18446744073709551615")), int_range);
    v.people = 3;
    v.seconds = 9000000000001;  // one past the number range, in whole units
    EXPECT_EQ(visits.add(v), mandate::add_status::rejected);
    EXPECT_EQ(e.last_error(), "field 'seconds' is out of range: a number field holds -9000000000000 to 9000000000000");
    v.seconds = 9000000000000;  // the edge itself fits
    EXPECT_EQ(visits.add(v), mandate::add_status::accepted) << e.last_error();
    // A date field given as text is read as the JSON string is.
    v.id = "e2";
    v.due = "2023-02-30";
    EXPECT_EQ(visits.add(v), mandate::add_status::rejected);
    EXPECT_EQ(e.last_error(), "field 'due' must be a date like 2023-05-31");
}

// `time` as an instant: the local date is the plan's zone's (+08:00).
struct timed_visit {
    std::string id, unit;
    std::chrono::system_clock::time_point time;
    std::vector<std::string> households{"h1"};
    int people = 3;
    double seconds = 12.5;
    bool antifraud = true;
    std::string venue = "park";
    mandate::date due{2023, 4, 30};
    std::string host = "v1";
};
MANDATE_RECORD(timed_visit, id, unit, time, households, people, seconds, antifraud, venue, due, host)

TEST(StructRecords, AnInstantIsADateTimeInThePlansZone) {
    using namespace std::chrono;
    // 2023-04-09T16:30:00Z is 2023-04-10T00:30 in +08:00: in April either way, on the 10th.
    const time_point<system_clock, seconds> midnight_utc{seconds{std::int64_t{from_ymd(2023, 4, 9)} * 86400}};
    const auto t = midnight_utc + hours(16) + minutes(30) + milliseconds(250);
    mandate::engine e(compiled());
    register_units(e);
    auto visits = mandate::bind_events<timed_visit>(e, "visit");
    timed_visit v;
    v.id = "e1";
    v.unit = "v1";
    v.time = t;
    ASSERT_EQ(visits.add(v), mandate::add_status::accepted) << e.last_error();
    EXPECT_EQ(e.add(json_with("time", R"("2023-04-10T00:30:00.25+08:00")", false)), mandate::add_status::accepted)
        << e.last_error();
    EXPECT_EQ(e.latest_event_date(), from_ymd(2023, 4, 10));
    // 15:59:59 UTC on the 9th is 23:59:59 on the 9th in +08:00.
    v.id = "e2";
    v.unit = "v2";
    v.time = midnight_utc + hours(15) + minutes(59) + seconds(59);
    ASSERT_EQ(visits.add(v), mandate::add_status::accepted) << e.last_error();
    const auto r = e.evaluate(from_ymd(2023, 4, 30));
    EXPECT_EQ(r.inputs.applied, 2u);
    EXPECT_EQ(r.inputs.duplicates, 1u);
    EXPECT_EQ(row(r, "v2").status, mandate::status::satisfied);
    // On 2023-04-09 as of its end, e2 counts and e1 (the 10th) does not.
    const auto before = e.evaluate(from_ymd(2023, 4, 9));
    EXPECT_EQ(row(before, "v2").evidence.event_count, 1u);
    EXPECT_EQ(row(before, "v1").evidence.event_count, 0u);
}

// An instant in whole seconds reaches far outside the calendar's years.
struct far_visit {
    std::string id = "far", unit = "v1";
    std::chrono::time_point<std::chrono::system_clock, std::chrono::seconds> time;
    std::vector<std::string> households{"h1"};
    int people = 3;
    double seconds = 12.5;
    bool antifraud = true;
    std::string venue = "park";
    mandate::date due{2023, 4, 30};
    std::string host = "v1";
};
MANDATE_RECORD(far_visit, id, unit, time, households, people, seconds, antifraud, venue, due, host)

TEST(StructRecords, AnInstantOutsideTheCalendarIsRejected) {
    using namespace std::chrono;
    using instant = time_point<system_clock, seconds>;
    mandate::engine e(compiled());
    register_units(e);
    auto visits = mandate::bind_events<far_visit>(e, "visit");
    // 9999-12-31T15:59:59Z is the calendar's last second in +08:00; a second later is year 10000.
    const instant last{seconds{std::int64_t{from_ymd(9999, 12, 31)} * 86400 + 15 * 3600 + 59 * 60 + 59}};
    for (const instant t : {instant::max(), instant::min(), last + seconds(1)}) {
        far_visit v;
        v.time = t;
        EXPECT_EQ(visits.add(v), mandate::add_status::rejected);
        EXPECT_EQ(e.last_error(), "field 'time' holds a date outside the years 1400 to 9999");
    }
    far_visit v;
    v.time = last;
    EXPECT_EQ(visits.add(v), mandate::add_status::accepted) << e.last_error();
    EXPECT_EQ(e.latest_event_date(), from_ymd(9999, 12, 31));
}

TEST(StructRecords, ABatchIsAddedInOrderWithItsRejectionsLocated) {
    std::vector<visit> batch;
    for (int i = 1; i <= 5; ++i) {
        visit v = base_visit();
        v.id = "b" + std::to_string(i);
        v.unit = i % 2 ? "v1" : "v2";
        v.time = mandate::date(2023, 4, i);
        batch.push_back(v);
    }
    batch[2].people = 0;        // fine: a control
    batch[3].unit = "";         // rejected at line 4
    batch.push_back(batch[0]);  // a duplicate of b1
    mandate::engine e(compiled());
    register_units(e);
    auto visits = mandate::bind_events<visit>(e, "visit");
    std::vector<std::string> heard;
    e.subscribe([&](const mandate::status_change& c) {
        if (c.after) heard.push_back(c.unit.value_or("") + ":" + mandate::to_string(*c.after));
    });
    const mandate::batch_result result = visits.add(batch, "visits.bin", 100);
    EXPECT_EQ(result.accepted, 5u);
    EXPECT_EQ(result.rejected, 1u);
    const auto r = e.evaluate(from_ymd(2023, 4, 30));
    EXPECT_EQ(r.inputs.applied, 4u);
    EXPECT_EQ(r.inputs.duplicates, 1u);
    ASSERT_EQ(r.rejected.size(), 1u);
    EXPECT_EQ(r.rejected[0].source, "visits.bin");
    EXPECT_EQ(r.rejected[0].line, 104u);
    EXPECT_EQ(r.rejected[0].reason, "field 'unit' must not be empty");
    EXPECT_EQ(row(r, "v1").evidence.event_count, 3u);  // b1, b3, b5
    EXPECT_EQ(row(r, "v2").evidence.event_count, 1u);  // b2
    // v2 was heard turning satisfied with b2, v1 with b1.
    EXPECT_NE(std::find(heard.begin(), heard.end(), "v1:satisfied"), heard.end());
    EXPECT_NE(std::find(heard.begin(), heard.end(), "v2:satisfied"), heard.end());
    // The same records one at a time give the same report.
    mandate::engine one(compiled());
    register_units(one);
    auto singles = mandate::bind_events<visit>(one, "visit");
    for (std::size_t i = 0; i < batch.size(); ++i) singles.add(batch[i], "visits.bin", 101 + i);
    std::ostringstream a, b;
    mandate::io::write_json(r, a);
    mandate::io::write_json(one.evaluate(from_ymd(2023, 4, 30)), b);
    EXPECT_EQ(a.str(), b.str());
}

TEST(StructRecords, ABindingServesEveryEngineOfItsPlanOnly) {
    mandate::engine a(compiled()), b(compiled());
    register_units(a);
    register_units(b);
    auto visits = mandate::bind_events<visit>(a, "visit");
    mandate::bound_records<visit> on_b(b, visits.binding());
    EXPECT_EQ(on_b.add(base_visit()), mandate::add_status::accepted) << b.last_error();
    auto other = mandate::compile(plan_text, "again.mandate");
    ASSERT_TRUE(other);
    mandate::engine c(*other);
    mandate::bound_records<visit> on_c(c, visits.binding());
    EXPECT_THROW(on_c.add(base_visit()), std::invalid_argument);
    EXPECT_THROW(c.add(mandate::record_binding(), nullptr), std::invalid_argument);
    // A binding of another struct (10 members) cannot add visits (13).
    auto loose = mandate::bind_events<loose_visit>(a, "visit");
    EXPECT_THROW(mandate::bound_records<visit>(a, loose.binding()), std::invalid_argument);
}

}  // namespace
