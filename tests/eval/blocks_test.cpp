// add_jsonl and add_csv parse records on engine_options::threads threads in blocks of
// engine_options::block_bytes, and take them in in the stream's order: the engine ends as if
// each record had been add()ed by itself, whatever the thread count and the block size (down to
// one record a block), with the same rejections at the same lines and the same status changes
// heard by a subscriber, in the same order. A subscriber that throws stops the load there.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "helpers.hpp"
#include "mandate/mandate.hpp"

namespace mandate {
namespace {

using evaltest::slurp;

const plan& goutang() { return evaltest::goutang_plan(); }

engine_options on(unsigned threads, std::size_t block_bytes) {
    engine_options o;
    o.threads = threads;
    o.block_bytes = block_bytes;
    return o;
}

// The hand-worked records (with unit data), then records of every class the accounting knows,
// blank lines, CRLF, a line past the size limit and lines the parser rejects.
std::string stream_text() {
    std::string text = slurp(std::string(MANDATE_TESTS_DIR) + "/golden/goutang/registry.jsonl") +
                       slurp(std::string(MANDATE_TESTS_DIR) + "/golden/goutang/events.jsonl");
    text += R"({"id": "clash", "type": "activity", "time": "2023-05-02", "unit": "v1", "venue": "park", "methods": []})"
            "\r\n\n   \n";
    text += R"({"id": "clash", "type": "activity", "time": "2023-05-02", "unit": "v1", "venue": "square", "methods": []})"
            "\n";
    text += R"({"entity": "v9", "kind": "village", "parent": "gt", "version": 2, "name": "A"})"
            "\n";
    text += R"({"entity": "v9", "kind": "village", "parent": "gt", "version": 2, "name": "B"})"
            "\n";
    text += R"({"id": "bad", "type": "activity", "time": "2023-13-01", "unit": "v1", "venue": "park", "methods": []})"
            "\n";
    text += R"({"id": "long", "type": "activity", "time": "2023-05-02", "unit": "v1", "venue": ")" + std::string(300000, 'x') +
            "\"}\n";
    text += R"({"id": "cut", "type": "activity", "time": )"
            "\n";
    text += R"({"id": "ghost", "type": "activity", "time": "2023-05-03", "unit": "nowhere", "venue": "park", "methods": []})"
            "\n";
    text += R"({"retract": "never-sent"})"
            "\n";
    text += R"({"retract": "a1"})";  // the last line has no line break
    return text;
}

const calendar::day dates[] = {calendar::from_ymd(2023, 3, 31), calendar::from_ymd(2023, 7, 10), calendar::from_ymd(2024, 1, 31)};

std::vector<std::string> reports(engine& e) {
    std::vector<std::string> out;
    for (const auto d : dates) out.push_back(io::to_json(e.evaluate(d)));
    return out;
}

std::string describe(const status_change& c) {
    auto opt = [](const auto& v) { return v ? std::to_string(static_cast<int>(*v)) : std::string("-"); };
    return c.rule + " " + c.unit.value_or("-") + " " + std::to_string(c.span.from) + ".." + std::to_string(c.span.to) + " " +
           opt(c.before) + ">" + opt(c.after) + " " + opt(c.fired_before) + ">" + opt(c.fired_after) + " " +
           opt(c.final_before) + ">" + opt(c.final_after);
}

// The reference: each line add()ed by itself, with its line number; blank lines skipped.
struct one_by_one {
    std::vector<std::string> reports, changes;
};
one_by_one add_each(const std::string& text, std::size_t stop_after_records = ~std::size_t{0}) {
    engine e(goutang());
    one_by_one out;
    e.set_watch_date(calendar::from_ymd(2023, 7, 10));
    e.subscribe([&](const status_change& c) { out.changes.push_back(describe(c)); });
    std::istringstream in(text);
    std::uint64_t line = 0;
    std::size_t records = 0;
    for (std::string l; records < stop_after_records && std::getline(in, l);) {
        ++line;
        if (!l.empty() && l.back() == '\r') l.pop_back();
        if (l.find_first_not_of(" \t") == std::string::npos) continue;
        e.add(l, "records.jsonl", line);
        ++records;
    }
    out.reports = reports(e);
    return out;
}

TEST(Blocks, AddJsonlEqualsAddingEachRecordWhateverTheThreadsAndBlocks) {
    const std::string text = stream_text();
    const one_by_one expected = add_each(text);
    ASSERT_FALSE(expected.changes.empty());
    for (const unsigned threads : {1u, 2u, 4u, 7u}) {
        for (const std::size_t block : {std::size_t{1}, std::size_t{50}, std::size_t{4096}, std::size_t{1} << 20}) {
            SCOPED_TRACE("threads " + std::to_string(threads) + ", blocks of " + std::to_string(block) + " bytes");
            engine e(goutang(), on(threads, block));
            e.set_watch_date(calendar::from_ymd(2023, 7, 10));
            std::vector<std::string> changes;
            e.subscribe([&](const status_change& c) { changes.push_back(describe(c)); });
            std::istringstream in(text);
            EXPECT_EQ(e.add_jsonl(in, "records.jsonl"), 393u + 10u);  // the golden files, and the ten records above
            EXPECT_EQ(reports(e), expected.reports);
            EXPECT_EQ(changes, expected.changes);
        }
    }
}

TEST(Blocks, TheHandCountedAccountingOfTheStream) {
    engine e(goutang(), on(3, 100));
    std::istringstream in(stream_text());
    e.add_jsonl(in, "records.jsonl");
    const report r = e.evaluate(calendar::from_ymd(2024, 1, 31));
    // The golden files' rejections, and here: both copies of "clash", the second v9 version
    // record, the month 13, the long line and the cut one.
    std::uint64_t golden_rejected = 0, golden_retractions = 0;
    {
        engine g(goutang());
        std::istringstream reg(slurp(std::string(MANDATE_TESTS_DIR) + "/golden/goutang/registry.jsonl"));
        std::istringstream ev(slurp(std::string(MANDATE_TESTS_DIR) + "/golden/goutang/events.jsonl"));
        g.add_jsonl(reg, "r");
        g.add_jsonl(ev, "e");
        golden_rejected = g.evaluate(calendar::from_ymd(2024, 1, 31)).inputs.rejected;
        golden_retractions = g.evaluate(calendar::from_ymd(2024, 1, 31)).inputs.retractions;
    }
    EXPECT_EQ(r.inputs.rejected, golden_rejected + 2 + 2 + 1 + 1 + 1);
    ASSERT_FALSE(r.rejected.empty());
    bool long_line = false, cut = false;
    for (const auto& x : r.rejected) {
        long_line |= x.reason.find("longer than the limit of 262144 bytes") != std::string::npos;
        cut |= x.reason.find("not valid JSON") != std::string::npos;
    }
    EXPECT_TRUE(long_line && cut);
    EXPECT_EQ(r.inputs.retractions, golden_retractions + 2);
}

TEST(Blocks, CsvIsTheSameWhateverTheThreadsAndBlocks) {
    std::string csv = "id,time,unit,venue,methods\n";
    for (int i = 1; i <= 300; ++i) {
        csv += "c" + std::to_string(i) + ",2023-0" + std::to_string(4 + i % 6) + "-" + std::to_string(10 + i % 18) + ",v" +
               std::to_string(1 + i % 3) + (i % 17 == 0 ? "\n" : ",park,desk\n");  // every 17th row too short
    }
    csv += "c999,2023-05-01,v1,\"unclosed\n";
    const std::string registry = slurp(std::string(MANDATE_TESTS_DIR) + "/golden/goutang/registry.jsonl");
    std::vector<std::string> expected;
    for (const unsigned threads : {1u, 2u, 7u}) {
        for (const std::size_t block : {std::size_t{1}, std::size_t{64}, std::size_t{1} << 20}) {
            SCOPED_TRACE("threads " + std::to_string(threads) + ", blocks of " + std::to_string(block) + " bytes");
            engine e(goutang(), on(threads, block));
            std::istringstream reg(registry), rows(csv);
            e.add_jsonl(reg, "registry.jsonl");
            EXPECT_EQ(e.add_csv(rows, "activities.csv", "activity"), 301u);
            const auto got = reports(e);
            if (expected.empty()) {
                expected = got;
                const report r = e.evaluate(calendar::from_ymd(2024, 1, 31));
                std::size_t csv_rejected = 0;
                for (const auto& x : r.rejected) csv_rejected += x.source == "activities.csv";
                EXPECT_EQ(csv_rejected, 300u / 17 + 1);  // 17 short rows and the unclosed quote
            }
            EXPECT_EQ(got, expected);
        }
    }
}

// A subscriber that throws: add_jsonl throws it on, with every record up to the one whose
// change it heard taken in, and none after, as add() one by one would have stopped there.
TEST(Blocks, ASubscriberThatThrowsStopsTheLoadAtItsRecord) {
    const std::string text = stream_text();
    for (const unsigned threads : {1u, 2u, 4u}) {
        for (const std::size_t block : {std::size_t{1}, std::size_t{4096}}) {
            SCOPED_TRACE("threads " + std::to_string(threads) + ", blocks of " + std::to_string(block) + " bytes");
            engine e(goutang(), on(threads, block));
            e.set_watch_date(calendar::from_ymd(2023, 7, 10));
            std::size_t heard = 0;
            e.subscribe([&](const status_change&) {
                if (++heard == 40) throw std::runtime_error("enough");
            });
            std::istringstream in(text);
            EXPECT_THROW(e.add_jsonl(in, "records.jsonl"), std::runtime_error);
            const std::uint64_t read = e.evaluate(calendar::from_ymd(2024, 1, 31)).inputs.read;
            ASSERT_GT(read, 0u);
            ASSERT_LT(read, 403u);
            EXPECT_EQ(reports(e), add_each(text, read).reports);
        }
    }
}

// Lines rejected before they are parsed (too long) add no text to a block: a block of them
// alone is cut at 65 536 records, so memory does not grow with a file of them, and a
// checkpoint falls there.
TEST(Blocks, ABlockOfRejectionsAloneIsCutByItsCount) {
    engine_options o = on(2, 1 << 20);
    o.limits.max_record_bytes = 10;
    engine e(goutang(), o);
    std::string text;
    for (int i = 0; i < 70000; ++i) text += "{\"id\": \"far too long\"}\n";
    std::vector<std::pair<std::uint64_t, std::uint64_t>> seen;
    jsonl_options options;
    options.checkpoint_every = 1000;
    options.checkpoint = [&](std::uint64_t line, std::uint64_t bytes) { seen.emplace_back(line, bytes); };
    std::istringstream in(text);
    EXPECT_EQ(e.add_jsonl(in, "long.jsonl", options), 70000u);
    const std::uint64_t line_bytes = text.size() / 70000;
    ASSERT_EQ(seen.size(), 2u);  // where the block of 65 536 was cut, and at the end
    EXPECT_EQ(seen[0], std::make_pair(std::uint64_t{65536}, 65536 * line_bytes));
    EXPECT_EQ(seen[1], std::make_pair(std::uint64_t{70000}, std::uint64_t{text.size()}));
    EXPECT_EQ(e.evaluate(calendar::from_ymd(2023, 12, 31)).inputs.rejected, 70000u);
}

}  // namespace
}  // namespace mandate
