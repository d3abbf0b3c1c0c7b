// add_jsonl at its edges: lines longer than the window, and a CRLF line of exactly the size
// limit wherever it falls against the reading window's boundary.
// add_unreadable: a record a host could not read, counted as add_jsonl counts a broken line;
// add_lines: records held in memory, read as lines of a file with their numbers.
#include <gtest/gtest.h>

#include <sstream>

#include "mandate/ingest/records.hpp"
#include "mandate/mandate.hpp"
#include "mandate/report/report_writer.hpp"

namespace mandate {
namespace {

const char* plan_text = R"(
plan p { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-04-30
kind village "村"
event activity "活动" {}
obligation monthly "每月" { each v: village  during campaign  require count(activity of v) >= 1 }
)";

plan compiled() {
    static const plan p = *compile(plan_text, "p.mandate");
    return p;
}

TEST(Jsonl, ALineLongerThanTheWindowCountsOnceAndLaterLinesKeepTheirNumbers) {
    engine e(compiled());
    std::string text = "{\"entity\": \"v1\", \"kind\": \"village\", \"name\": \"" + std::string(3u << 20, 'x') + "\"}\n";
    text += "{\"id\": \"a1\", \"type\": \"activity\", \"time\": \"2023-04-05\", \"unit\": \"v1\"}\n";
    text += "{\"id\": \"a2\", \"type\": oops}\n";
    std::istringstream in(text);
    EXPECT_EQ(e.add_jsonl(in, "big.jsonl"), 3u);
    const report r = e.evaluate(calendar::from_ymd(2023, 5, 1));
    // v1 was never registered (its record was too long), so a1 waits as unresolved.
    EXPECT_EQ(r.inputs.read, 3u);
    EXPECT_EQ(r.inputs.rejected, 2u);
    EXPECT_EQ(r.inputs.unresolved, 1u);
    ASSERT_EQ(r.rejected.size(), 2u);
    EXPECT_EQ(r.rejected[0].line, 1u);
    EXPECT_NE(r.rejected[0].reason.find("longer than the limit"), std::string::npos);
    EXPECT_EQ(r.rejected[1].line, 3u);  // not 4: the long line is one line
}

TEST(Jsonl, ACrlfLineOfExactlyTheLimitIsAcceptedWhereverTheWindowEnds) {
    const std::size_t limit = io::default_max_record_bytes;
    std::string record = R"({"entity": "v1", "kind": "village"})";
    record.resize(limit, ' ');  // trailing spaces are valid JSON
    const std::size_t window = (std::size_t{1} << 20) + limit + 1;
    // Filler lines so the record's "\r" lands just before, on, and just after the window's end.
    for (std::size_t shift : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{3}}) {
        const std::size_t prefix = window - limit - 1 - 1 + shift;  // bytes before the record
        std::string text;
        while (text.size() + 1024 <= prefix) text += std::string(1023, ' ') + "\n";
        if (text.size() < prefix) text += std::string(prefix - text.size() - 1, ' ') + "\n";
        ASSERT_EQ(text.size(), prefix);
        text += record + "\r\n";
        text += "{\"id\": \"a1\", \"type\": \"activity\", \"time\": \"2023-04-05\", \"unit\": \"v1\"}\r\n";
        engine e(compiled());
        std::istringstream in(text);
        EXPECT_EQ(e.add_jsonl(in, "edge.jsonl"), 2u) << shift;
        const report r = e.evaluate(calendar::from_ymd(2023, 5, 1));
        EXPECT_EQ(r.inputs.entities, 1u) << shift;
        EXPECT_EQ(r.inputs.applied, 1u) << shift;
        EXPECT_EQ(r.inputs.rejected, 0u) << shift;
    }
}

TEST(Unreadable, ARecordTheHostCouldNotReadIsCountedAndListedAsAFileLineIs) {
    // The same three records, once as a file (its second line cut short) and once from a host
    // that read them itself and could not read the second.
    const std::string a1 = R"({"id": "a1", "type": "activity", "time": "2023-04-05", "unit": "v1"})";
    engine file(compiled()), host(compiled());
    std::istringstream in(R"({"entity": "v1", "kind": "village"})" "\n{\"id\": \"a2\",\n" + a1 + "\n");
    EXPECT_EQ(file.add_jsonl(in, "feed"), 3u);
    EXPECT_EQ(host.add(R"({"entity": "v1", "kind": "village"})", "feed", 1), add_status::accepted);
    EXPECT_EQ(host.add_unreadable(file.evaluate(calendar::from_ymd(2023, 5, 1)).rejected.at(0).reason, "feed", 2),
              add_status::rejected);
    EXPECT_EQ(host.last_error().rfind("not valid JSON", 0), 0u) << host.last_error();
    EXPECT_EQ(host.add(a1, "feed", 3), add_status::accepted);
    const report r = host.evaluate(calendar::from_ymd(2023, 5, 1));
    EXPECT_EQ(r.inputs.read, 3u);
    EXPECT_EQ(r.inputs.rejected, 1u);
    EXPECT_EQ(r.inputs.applied, 1u);
    ASSERT_EQ(r.rejected.size(), 1u);
    EXPECT_EQ(r.rejected[0].source, "feed");
    EXPECT_EQ(r.rejected[0].line, 2u);
    EXPECT_EQ(io::to_json(r), io::to_json(file.evaluate(calendar::from_ymd(2023, 5, 1))));
    // A reason is text a report can hold: none, or bytes that are not UTF-8, are refused.
    EXPECT_THROW(host.add_unreadable("", "feed", 4), std::invalid_argument);
    EXPECT_THROW(host.add_unreadable("\xff", "feed", 4), std::invalid_argument);
    EXPECT_EQ(host.evaluate(calendar::from_ymd(2023, 5, 1)).inputs.read, 3u);
}

TEST(Lines, RecordsHeldInMemoryAreReadAsLinesOfAFileWithTheirNumbers) {
    // Lines 3, 7, 8 and 12 of some file, routed here by a host: v1, an activity, a copy of it
    // (a duplicate), and a line cut short. Parsed on one thread and on two, in blocks of a
    // record: the same as adding each with its number.
    const std::string_view records[] = {
        R"({"entity": "v1", "kind": "village"})",
        R"({"id": "a1", "type": "activity", "time": "2023-04-05", "unit": "v1"})",
        R"({"id": "a1", "type": "activity", "time": "2023-04-05", "unit": "v1"})",
        R"({"id": "a2", "type":)",
    };
    const std::uint64_t lines[] = {3, 7, 8, 12};
    engine one(compiled());
    for (std::size_t i = 0; i < 4; ++i) one.add(records[i], "routed.jsonl", lines[i]);
    const std::string expected = io::to_json(one.evaluate(calendar::from_ymd(2023, 5, 1)));
    for (const unsigned threads : {1u, 2u}) {
        engine_options o;
        o.threads = threads;
        o.block_bytes = 1;
        engine e(compiled(), o);
        EXPECT_EQ(e.add_lines(records, lines, 4, "routed.jsonl"), 4u);
        const report r = e.evaluate(calendar::from_ymd(2023, 5, 1));
        EXPECT_EQ(r.inputs.read, 4u);
        EXPECT_EQ(r.inputs.duplicates, 1u);
        EXPECT_EQ(r.inputs.applied, 1u);
        ASSERT_EQ(r.rejected.size(), 1u);
        EXPECT_EQ(r.rejected[0].line, 12u);
        EXPECT_EQ(io::to_json(r), expected) << threads << " threads";
    }
}

}  // namespace
}  // namespace mandate
