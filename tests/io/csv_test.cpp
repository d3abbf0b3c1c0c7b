// Reading CSV: splitting records (RFC 4180 quoting, line breaks inside cells, CRLF, a BOM, blank
// lines, the size limit) and turning rows into the JSON records they stand for, by header.
#include <gtest/gtest.h>

#include <sstream>

#include "mandate/ingest/csv.hpp"
#include "mandate/ingest/records.hpp"
#include "mandate/mandate.hpp"

namespace mandate::io {
namespace {

struct row_seen {
    std::vector<std::string> cells;
    std::uint64_t line, lines;
    std::string error, raw;
};

std::vector<row_seen> split(const std::string& text, std::size_t limit = default_max_record_bytes) {
    std::istringstream in(text);
    csv_reader reader(in, limit, true);
    csv_row row;
    std::vector<row_seen> out;
    while (reader.next(row)) out.push_back({std::vector<std::string>(row.cells.begin(), row.cells.end()), row.line, row.lines, row.error, row.raw});
    return out;
}

TEST(CsvReader, SplitsCellsAndHonoursQuotes) {
    const auto rows = split("a,b,c\n1,\"two, three\",\"say \"\"hi\"\"\"\n,,\n");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].cells, (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(rows[1].cells, (std::vector<std::string>{"1", "two, three", "say \"hi\""}));
    EXPECT_EQ(rows[2].cells, (std::vector<std::string>{"", "", ""}));
    EXPECT_EQ(rows[1].line, 2u);
    EXPECT_EQ(rows[1].raw, "1,\"two, three\",\"say \"\"hi\"\"\"");
}

TEST(CsvReader, ALineBreakInsideQuotesBelongsToTheCell) {
    const auto rows = split("a,b\n\"x\ny\",z\nlast,one\n");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[1].cells, (std::vector<std::string>{"x\ny", "z"}));
    EXPECT_EQ(rows[1].line, 2u);
    EXPECT_EQ(rows[1].lines, 2u);
    EXPECT_EQ(rows[2].line, 4u);  // the record after it starts on line 4
}

TEST(CsvReader, CrlfBomAndBlankLines) {
    const auto rows = split("\xEF\xBB\xBF" "id,v\r\n\r\n   \r\nx,\"1\"\r\ny,2");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].cells, (std::vector<std::string>{"id", "v"}));  // no BOM in the first cell
    EXPECT_EQ(rows[1].cells, (std::vector<std::string>{"x", "1"}));
    EXPECT_EQ(rows[1].line, 4u);                                     // lines 2 and 3 were blank
    EXPECT_EQ(rows[2].cells, (std::vector<std::string>{"y", "2"}));  // the last line has no break
    EXPECT_EQ(rows[2].line, 5u);
}

TEST(CsvReader, MalformedRecordsSayWhy) {
    auto rows = split("a,b\nx\"y,z\n\"q\"r,s\n\"open,t\n");
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[1].error, "cell 1 has a quote but does not start with one");
    EXPECT_EQ(rows[2].error, "cell 1 has text after its closing quote");
    EXPECT_EQ(rows[3].error, "a quoted cell is not closed");  // runs to the end of the input
}

TEST(CsvReader, ARecordOverTheLimitIsReportedNotHeld) {
    const std::string big(5000, 'x');
    const auto rows = split("a\n" + big + "\nafter\n", 1000);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[1].error, "record longer than the limit of 1000 bytes");
    EXPECT_TRUE(rows[1].cells.empty());
    EXPECT_TRUE(rows[1].raw.empty());
    EXPECT_EQ(rows[2].cells, (std::vector<std::string>{"after"}));
    EXPECT_EQ(rows[2].line, 3u);
}

// A quote opened and never closed: the record is its opening line alone, rejected as such, and
// the lines after it are read again as records of their own — whether the stream ends inside
// the quote or the record outgrows the limit first (it used to swallow every later line).
TEST(CsvReader, AnUnclosedQuoteIsItsOwnLineAndTheRowsAfterItAreReadAgain) {
    auto rows = split("a,b\nx,\"open\ny,1\nz,2\n");
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[1].error, "a quoted cell is not closed");
    EXPECT_EQ(rows[1].line, 2u);
    EXPECT_EQ(rows[1].lines, 1u);
    EXPECT_EQ(rows[1].raw, "x,\"open");
    EXPECT_EQ(rows[2].cells, (std::vector<std::string>{"y", "1"}));
    EXPECT_EQ(rows[2].line, 3u);
    EXPECT_EQ(rows[3].cells, (std::vector<std::string>{"z", "2"}));
    EXPECT_EQ(rows[3].line, 4u);

    // With the limit at 40 bytes, the open quote outgrows it on line 6: lines 3 to 12 come
    // back as their own rows, one with a quote of its own that closes.
    std::string text = "a,b\nx,\"open\r\n";
    for (int i = 0; i < 10; ++i) text += "r" + std::to_string(i) + "," + (i == 4 ? "\"q,\"\"uoted\"\"\"" : std::to_string(i)) + "\n";
    rows = split(text, 40);
    ASSERT_EQ(rows.size(), 12u);
    EXPECT_EQ(rows[1].error, "a quoted cell is not closed");
    EXPECT_EQ(rows[1].raw, "x,\"open");
    for (int i = 0; i < 10; ++i) {
        const row_seen& r = rows[static_cast<std::size_t>(i) + 2];
        EXPECT_EQ(r.error, "") << i;
        EXPECT_EQ(r.line, static_cast<std::uint64_t>(i) + 3);
        EXPECT_EQ(r.cells, (std::vector<std::string>{"r" + std::to_string(i), i == 4 ? "q,\"uoted\"" : std::to_string(i)}));
    }

    // A quote that does close, over lines, within the limit is one record as before.
    rows = split("a,b\nx,\"two\nlines\"\ny,1\n");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[1].cells, (std::vector<std::string>{"x", "two\nlines"}));
    EXPECT_EQ(rows[2].line, 4u);
}

const char* const plan_text = R"(
plan p { timezone "+08:00" }
phase c "c" from 2023-04-01 to 2023-04-30
kind village "村"
event activity "a" { venue: text, methods: set<text>, people?: int, ok?: bool, share?: number }
event visit "v" { who: ref village }
obligation o "o" { each v: village  during c  require count(activity of v) >= 1 }
)";

check::plan checked() {
    auto p = compile(plan_text, "p.mandate");
    EXPECT_TRUE(p.ok());
    return (*p)->model();
}

std::vector<std::string_view> cells(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

TEST(CsvLayout, EventRowsBecomeTypedJson) {
    const check::plan plan = checked();
    const std::vector<std::string> header = {"id", "time", "unit", "venue", "methods", "people", "ok", "share", "colour"};
    const csv_layout layout(plan, cells(header), "activity");
    ASSERT_EQ(layout.error(), "");
    std::string json, why;
    const std::vector<std::string> row = {"e1", "2023-04-02", "v1", "park", "desk;banner", "12", "TRUE", "0.25", "red"};
    ASSERT_TRUE(layout.to_json(cells(row), json, why)) << why;
    EXPECT_EQ(json, R"({"type": "activity", "id": "e1", "time": "2023-04-02", "unit": "v1", "venue": "park", )"
                    R"("methods": ["desk", "banner"], "people": 12, "ok": true, "share": 0.25, "colour": "red"})");
    // Empty cells are absent fields; a number cell that is not one stays text, for the record
    // check to reject by the field's name.
    const std::vector<std::string> sparse = {"e2", "2023-04-03", "v1", "square", "desk", "", "", "lots", ""};
    ASSERT_TRUE(layout.to_json(cells(sparse), json, why));
    EXPECT_EQ(json, R"({"type": "activity", "id": "e2", "time": "2023-04-03", "unit": "v1", "venue": "square", "methods": ["desk"], "share": "lots"})");
    record_parser parser(plan);
    EXPECT_FALSE(parser.parse(json));
    EXPECT_EQ(parser.error(), "field 'share' must be a number");
}

TEST(CsvLayout, RegistryAndRetractions) {
    const check::plan plan = checked();
    std::string json, why;
    const std::vector<std::string> reg = {"entity", "kind", "name", "since", "version"};
    const csv_layout registry(plan, cells(reg), "");
    ASSERT_EQ(registry.error(), "");
    ASSERT_TRUE(registry.to_json(cells({"v1", "village", "苟堂村", "2023-01-01", "2"}), json, why));
    EXPECT_EQ(json, R"({"entity": "v1", "kind": "village", "name": "苟堂村", "since": "2023-01-01", "version": 2})");
    const std::vector<std::string> ret = {"retract"};
    const csv_layout retractions(plan, cells(ret), "");
    ASSERT_TRUE(retractions.to_json(cells({"e1"}), json, why));
    EXPECT_EQ(json, R"({"retract": "e1"})");
}

TEST(CsvLayout, ATypeColumnDecidesEachRow) {
    const check::plan plan = checked();
    const std::vector<std::string> header = {"id", "type", "time", "unit", "venue", "methods", "who"};
    const csv_layout layout(plan, cells(header), "");
    ASSERT_EQ(layout.error(), "");
    std::string json, why;
    ASSERT_TRUE(layout.to_json(cells({"e1", "activity", "2023-04-02", "v1", "park", "desk;board", ""}), json, why));
    EXPECT_EQ(json, R"({"id": "e1", "type": "activity", "time": "2023-04-02", "unit": "v1", "venue": "park", "methods": ["desk", "board"]})");
    ASSERT_TRUE(layout.to_json(cells({"e2", "visit", "2023-04-02", "v1", "", "", "v2"}), json, why));
    EXPECT_EQ(json, R"({"id": "e2", "type": "visit", "time": "2023-04-02", "unit": "v1", "who": "v2"})");
    EXPECT_FALSE(layout.to_json(cells({"e3", "visit", "2023-04-02"}), json, why));
    EXPECT_EQ(why, "the row has 3 cells, the header 7");
}

TEST(CsvLayout, HeadersThatCannotBeUsed) {
    const check::plan plan = checked();
    EXPECT_EQ(csv_layout(plan, cells({"id", "time", "unit", "venue"}), "").error(),
              "the header names neither 'entity' (a registry), 'retract', nor 'type': give the events' type as "
              "--events TYPE=FILE, or add a 'type' column");
    EXPECT_EQ(csv_layout(plan, cells({"id", "time", "unit"}), "nope").error(), "the plan has no event type 'nope'");
    EXPECT_EQ(csv_layout(plan, cells({"id", "time", "unit", "methods"}), "activity").error(),
              "the header has no column for field 'venue', which every activity event needs");
    EXPECT_EQ(csv_layout(plan, cells({"id", "time", "venue", "methods"}), "activity").error(), "an events file needs an 'unit' column");
    EXPECT_EQ(csv_layout(plan, cells({"entity", "kind", "kind"}), "").error(), "the header names column 'kind' twice");
    EXPECT_EQ(csv_layout(plan, cells({"entity", ""}), "").error(), "column 2 of the header has no name");
}

TEST(EngineCsv, AddsRowsAndCountsEveryOne) {
    auto p = compile(plan_text, "p.mandate");
    ASSERT_TRUE(p.ok());
    engine e(*p);
    std::istringstream registry("entity,kind\nv1,village\nv2,village\n");
    EXPECT_EQ(e.add_csv(registry, "reg.csv"), 2u);
    std::istringstream events("id,time,unit,venue,methods\ne1,2023-04-02,v1,park,desk\ne2,2023-04-03,v2,,desk\ne3,2023-04-04,v2,x\n");
    EXPECT_EQ(e.add_csv(events, "ev.csv", "activity"), 3u);
    const report r = e.evaluate(calendar::from_ymd(2023, 5, 1));
    EXPECT_EQ(r.inputs.read, 5u);
    EXPECT_EQ(r.inputs.entities, 2u);
    EXPECT_EQ(r.inputs.applied, 1u);
    EXPECT_EQ(r.inputs.rejected, 2u);
    ASSERT_EQ(r.rejected.size(), 2u);
    EXPECT_EQ(r.rejected[0].line, 3u);
    EXPECT_EQ(r.rejected[0].reason, "field 'venue' is missing");
    EXPECT_EQ(r.rejected[1].line, 4u);
    EXPECT_EQ(r.rejected[1].reason, "the row has 4 cells, the header 5");
    ASSERT_EQ(r.results.size(), 2u);
    EXPECT_EQ(r.results[0].status, status::satisfied);  // v1: e1
    EXPECT_EQ(r.results[1].status, status::violated);   // v2: both its rows were rejected
    // A header that cannot be used throws with its location and adds nothing.
    std::istringstream bad("id,time,unit\ne9,2023-04-05,v1\n");
    try {
        e.add_csv(bad, "bad.csv");
        FAIL() << "expected an error";
    } catch (const std::runtime_error& x) {
        EXPECT_STREQ(x.what(), "bad.csv:1: the header names neither 'entity' (a registry), 'retract', nor 'type': give the "
                               "events' type as --events TYPE=FILE, or add a 'type' column");
    }
    EXPECT_EQ(e.evaluate(calendar::from_ymd(2023, 5, 1)).inputs.read, 5u);
}

}  // namespace
}  // namespace mandate::io
