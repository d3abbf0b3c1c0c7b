// Saved state: an engine saves what its reports depend on and another restores it; a restored
// engine plus the remaining records reports exactly what one uninterrupted engine does; records
// fed again after a restore are duplicates; a truncated, corrupted or foreign file is refused
// with a clear error and the engine is left as it was; the file is replaced atomically.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "helpers.hpp"
#include "mandate/report/report_writer.hpp"

namespace mandate {
namespace {

using evaltest::slurp;

namespace fs = std::filesystem;

const plan& goutang() { return evaltest::goutang_plan(); }

// The hand-worked Goutang record set, and records of every class the accounting knows: a
// conflicting id, an entity version conflict, a record the parser rejects, an unresolved event.
std::vector<std::string> records() {
    std::vector<std::string> lines;
    for (const char* file : {"/golden/goutang/registry.jsonl", "/golden/goutang/events.jsonl"}) {
        std::istringstream in(slurp(std::string(MANDATE_TESTS_DIR) + file));
        for (std::string line; std::getline(in, line);)
            if (!line.empty()) lines.push_back(line);
    }
    lines.push_back(R"({"id": "clash", "type": "activity", "time": "2023-05-02", "unit": "v1", "venue": "park", "methods": []})");
    lines.push_back(R"({"id": "clash", "type": "activity", "time": "2023-05-02", "unit": "v1", "venue": "square", "methods": []})");
    lines.push_back(R"({"entity": "v9", "kind": "village", "parent": "gt", "version": 2, "name": "A"})");
    lines.push_back(R"({"entity": "v9", "kind": "village", "parent": "gt", "version": 2, "name": "B"})");
    lines.push_back(R"({"id": "bad", "type": "activity", "time": "2023-13-01", "unit": "v1", "venue": "park", "methods": []})");
    lines.push_back(R"({"id": "ghost", "type": "activity", "time": "2023-05-03", "unit": "nowhere", "venue": "park", "methods": []})");
    lines.push_back(R"({"retract": "never-sent"})");
    return lines;
}

void add(engine& e, const std::vector<std::string>& lines, std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) e.add(lines[i], "records.jsonl", i + 1);
}

const calendar::day dates[] = {calendar::from_ymd(2023, 3, 31), calendar::from_ymd(2023, 7, 10), calendar::from_ymd(2024, 1, 31)};

std::vector<std::string> reports(engine& e) {
    std::vector<std::string> out;
    for (const auto d : dates) out.push_back(io::to_json(e.evaluate(d)));
    return out;
}

struct temp_dir {
    fs::path path = fs::temp_directory_path() / ("mandate-state-" + std::to_string(::getpid()) + "-" +
                                                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    temp_dir() { fs::create_directories(path); }
    ~temp_dir() { fs::remove_all(path); }
    std::string file(const std::string& name) const { return (path / name).string(); }
};

TEST(State, ARestoredEngineReportsWhatTheSavedOneDid) {
    const auto lines = records();
    engine a(goutang());
    add(a, lines, 0, lines.size());
    const auto expected = reports(a);
    // Every class of the accounting is present, so each part of the state is exercised.
    const report r = a.evaluate(dates[2]);
    EXPECT_GT(r.inputs.entities, 0u);
    EXPECT_GT(r.inputs.applied, 0u);
    EXPECT_GT(r.inputs.duplicates, 0u);
    EXPECT_GT(r.inputs.retracted, 0u);
    EXPECT_GT(r.inputs.unresolved, 0u);
    EXPECT_GE(r.inputs.rejected, 5u);  // the two clash copies, both v9 records, the bad date
    EXPECT_FALSE(r.ignored_fields.empty());
    temp_dir t;
    a.save(t.file("state"), "host bytes \x01\x02");
    engine b(goutang());
    EXPECT_EQ(b.restore(t.file("state")), "host bytes \x01\x02");
    EXPECT_EQ(reports(b), expected);
    EXPECT_EQ(b.latest_event_date(), a.latest_event_date());
}

TEST(State, RestoredPlusTheRestEqualsOneUninterruptedRun) {
    const auto lines = records();
    engine whole(goutang());
    add(whole, lines, 0, lines.size());
    const auto expected = reports(whole);
    temp_dir t;
    // Cuts before the registry ends, inside the events, between the clash's two copies and
    // between the two v9 records.
    for (const std::size_t cut : {std::size_t{30}, std::size_t{200}, lines.size() - 6, lines.size() - 4}) {
        SCOPED_TRACE("cut at record " + std::to_string(cut));
        engine first(goutang());
        add(first, lines, 0, cut);
        first.save(t.file("state"));
        engine resumed(goutang());
        resumed.restore(t.file("state"));
        add(resumed, lines, cut, lines.size());
        EXPECT_EQ(reports(resumed), expected);
    }
}

TEST(State, RecordsFedAgainAfterARestoreAreDuplicates) {
    const auto lines = records();
    engine a(goutang());
    add(a, lines, 0, 200);
    temp_dir t;
    a.save(t.file("state"));
    const report before = a.evaluate(dates[2]);
    engine b(goutang());
    b.restore(t.file("state"));
    add(b, lines, 0, 200);
    const report after = b.evaluate(dates[2]);
    EXPECT_EQ(io::to_json(after).substr(0, io::to_json(after).find("\"inputs\"")),
              io::to_json(before).substr(0, io::to_json(before).find("\"inputs\"")));
    // Every event sent again is one more duplicate; entity records and retractions are counted
    // again as what they are.
    const std::uint64_t events_again = before.inputs.applied + before.inputs.unresolved + before.inputs.retracted;
    EXPECT_EQ(after.inputs.duplicates, before.inputs.duplicates * 2 + events_again);
    EXPECT_EQ(after.inputs.read, before.inputs.read * 2);
    EXPECT_EQ(after.inputs.applied, before.inputs.applied);
}

TEST(State, SubscribersStayAndHearChangesAfterARestore) {
    const auto lines = records();
    engine a(goutang());
    add(a, lines, 0, 40);  // the registry and a few events
    temp_dir t;
    a.save(t.file("state"));
    engine b(goutang());
    b.set_watch_date(calendar::from_ymd(2023, 4, 20));
    std::vector<status_change> heard;
    b.subscribe([&](const status_change& c) { heard.push_back(c); });
    b.restore(t.file("state"));
    EXPECT_TRUE(heard.empty()) << "a restore is not a change records made";
    b.add(R"({"id": "new-act", "type": "activity", "time": "2023-04-15", "unit": "v1", "venue": "park", "methods": []})");
    bool april = false;
    for (const auto& c : heard)
        april = april || (c.rule == "village_monthly_activity" && c.unit == std::optional<std::string>("v1") &&
                          c.after == status::satisfied);
    EXPECT_TRUE(april) << heard.size() << " changes heard";
}

// Reads a file's bytes, changes them, writes them back.
void mangle(const std::string& path, const std::function<void(std::string&)>& change) {
    std::string bytes = slurp(path);
    change(bytes);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

std::string restore_error(engine& e, const std::string& path) {
    try {
        e.restore(path);
    } catch (const state_error& x) {
        return x.what();
    }
    return "(restored)";
}

TEST(State, BadFilesAreRefusedAndTheEngineIsUnchanged) {
    const auto lines = records();
    engine a(goutang());
    add(a, lines, 0, lines.size());
    temp_dir t;
    a.save(t.file("good"));
    const std::string good = slurp(t.file("good"));
    ASSERT_GT(good.size(), 1000u);

    engine b(goutang());
    add(b, lines, 0, 50);
    const auto b_before = reports(b);
    auto refused = [&](const std::string& name, const std::string& expected_part) {
        const std::string message = restore_error(b, t.file(name));
        EXPECT_NE(message.find("cannot restore from " + t.file(name) + ": "), std::string::npos) << message;
        EXPECT_NE(message.find(expected_part), std::string::npos) << message;
        EXPECT_EQ(reports(b), b_before) << name << " changed the engine";
    };
    for (const std::size_t keep : {std::size_t{0}, std::size_t{5}, std::size_t{30}, std::size_t{60}, good.size() / 2, good.size() - 1}) {
        const std::string name = "cut" + std::to_string(keep);
        std::ofstream(t.file(name), std::ios::binary) << good.substr(0, keep);
        refused(name, keep < 8 ? "it is not a mandate state file" : "it is truncated");
    }
    std::ofstream(t.file("longer"), std::ios::binary) << good << "x";
    refused("longer", "it has 1 bytes after its end");
    for (const std::size_t at : {good.size() / 3, good.size() - 1}) {
        const std::string name = "flip" + std::to_string(at);
        std::ofstream(t.file(name), std::ios::binary) << good;
        mangle(t.file(name), [&](std::string& s) { s[at] = static_cast<char>(s[at] ^ 0x20); });
        refused(name, "its checksum does not match: the file is corrupted");
    }
    std::ofstream(t.file("magic"), std::ios::binary) << good;
    mangle(t.file("magic"), [](std::string& s) { s[0] = 'X'; });
    refused("magic", "it is not a mandate state file");
    std::ofstream(t.file("version"), std::ios::binary) << good;
    mangle(t.file("version"), [](std::string& s) { s[8] = 4; });
    refused("version", "it has state format 4, and this mandate reads format 3");
    std::ofstream(t.file("jsonl"), std::ios::binary) << lines[0] << "\n";
    refused("jsonl", "it is not a mandate state file");
    EXPECT_NE(restore_error(b, t.file("missing")).find("cannot read the state file " + t.file("missing")), std::string::npos);

    // Another plan: the same records do not fit its revision.
    auto other = evaltest::compile_or_throw(slurp(std::string(MANDATE_SOURCE_DIR) + "/rules/goutang-2023.mandate") + "\n# changed\n");
    engine c(other);
    EXPECT_NE(restore_error(c, t.file("good")).find("it was saved for plan revision "), std::string::npos);
}

TEST(State, SavingReplacesTheFileWholeOrNotAtAll) {
    const auto lines = records();
    engine a(goutang());
    add(a, lines, 0, 100);
    temp_dir t;
    a.save(t.file("state"));
    const std::string first = slurp(t.file("state"));
    add(a, lines, 100, lines.size());
    a.save(t.file("state"));  // over the old one
    EXPECT_NE(slurp(t.file("state")), first);
    engine b(goutang());
    b.restore(t.file("state"));
    EXPECT_EQ(reports(b), reports(a));
    // A save that cannot finish (the target is a directory) leaves nothing behind.
    fs::create_directories(t.path / "a-directory");
    EXPECT_THROW(a.save(t.file("a-directory")), state_error);
    std::size_t files = 0;
    for (const auto& entry : fs::directory_iterator(t.path)) files += entry.is_regular_file();
    EXPECT_EQ(files, 1u) << "no temporary file may be left";
    EXPECT_THROW(a.save(t.file("no-such-dir/state")), state_error);
}

// The (lines, bytes) of each checkpoint add_jsonl calls, asked for every ten records.
std::vector<std::pair<std::uint64_t, std::uint64_t>> checkpoints_every_ten(const std::string& text, const engine_options& o) {
    engine e(goutang(), o);
    std::vector<std::pair<std::uint64_t, std::uint64_t>> seen;
    jsonl_options options;
    options.checkpoint_every = 10;
    options.checkpoint = [&](std::uint64_t line, std::uint64_t bytes) { seen.emplace_back(line, bytes); };
    std::istringstream in(text);
    EXPECT_EQ(e.add_jsonl(in, "x.jsonl", options), 60u);
    return seen;
}

// With one record a block, a checkpoint falls after every tenth record, on whatever thread
// the records were parsed; with larger blocks, at the end of the block that holds the tenth.
TEST(State, JsonlCheckpointsFallBetweenRecords) {
    const auto lines = records();
    std::string text;
    for (std::size_t i = 0; i < 60; ++i) text += lines[i] + (i % 7 == 0 ? "\r\n\n" : "\n");  // CRLF and blank lines too
    // The line and byte just after record n's line (1-based): a blank line after it is not
    // yet read, as a checkpoint comes at the first boundary after the record.
    auto after_record = [&](std::size_t n) {
        std::uint64_t line = 0, bytes = 0;
        for (std::size_t i = 0; i < n; ++i) {
            line += 1;
            bytes += lines[i].size() + (i % 7 == 0 ? 2 : 1);
            if (i + 1 < n && i % 7 == 0) {  // the blank line after it
                line += 1;
                bytes += 1;
            }
        }
        return std::make_pair(line, bytes);
    };
    for (const unsigned threads : {1u, 2u, 4u}) {
        SCOPED_TRACE("threads " + std::to_string(threads));
        engine_options one_a_block;
        one_a_block.threads = threads;
        one_a_block.block_bytes = 1;
        const auto seen = checkpoints_every_ten(text, one_a_block);
        ASSERT_EQ(seen.size(), 6u);  // after records 10, 20, ..., 60
        for (std::size_t k = 0; k < seen.size(); ++k) {
            const auto [line, bytes] = seen[k];
            ASSERT_LE(bytes, text.size());
            EXPECT_EQ(text[bytes - 1], '\n');
            EXPECT_EQ(static_cast<std::uint64_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bytes), '\n')), line);
            EXPECT_EQ(seen[k], after_record(10 * (k + 1)));
        }
        // Resuming from a checkpoint reads the rest exactly: the same report as one pass.
        engine whole(goutang());
        std::istringstream all(text);
        whole.add_jsonl(all, "x.jsonl");
        engine first(goutang(), one_a_block);
        std::istringstream head(text.substr(0, seen[2].second));
        first.add_jsonl(head, "x.jsonl");
        jsonl_options resume;
        resume.first_line = seen[2].first;
        std::istringstream tail(text.substr(seen[2].second));
        first.add_jsonl(tail, "x.jsonl", resume);
        EXPECT_EQ(reports(first), reports(whole));
    }
    // The 60 records in one block: one checkpoint, at its end, after the last line.
    const auto seen = checkpoints_every_ten(text, engine_options{});
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].second, text.size());
    EXPECT_EQ(seen[0].first, static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n')));
}

// checkpoint_now: asked between every two records; where it says yes, the checkpoint comes
// there, in the middle of a block, with every record before it taken in and none after.
TEST(State, JsonlCheckpointWhenAsked) {
    const auto lines = records();
    std::string text;
    for (std::size_t i = 0; i < 40; ++i) text += lines[i] + "\n";
    for (const unsigned threads : {1u, 2u}) {
        engine_options o;
        o.threads = threads;
        engine e(goutang(), o);
        std::uint64_t asked = 0;
        std::vector<std::pair<std::uint64_t, std::uint64_t>> seen;
        jsonl_options options;
        options.checkpoint_every = 1000;
        options.checkpoint_now = [&] { return ++asked == 25; };
        options.checkpoint = [&](std::uint64_t line, std::uint64_t bytes) {
            seen.emplace_back(line, bytes);
            throw std::runtime_error("stop here");
        };
        std::istringstream in(text);
        EXPECT_THROW(e.add_jsonl(in, "x.jsonl", options), std::runtime_error);
        ASSERT_EQ(seen.size(), 1u);
        EXPECT_EQ(seen[0].first, 25u);
        std::size_t bytes = 0;
        for (std::size_t i = 0; i < 25; ++i) bytes += lines[i].size() + 1;
        EXPECT_EQ(seen[0].second, bytes);
        // The engine holds the 25 records before it, the same as one fed them alone.
        engine first(goutang());
        std::istringstream head(text.substr(0, bytes));
        first.add_jsonl(head, "x.jsonl");
        EXPECT_EQ(reports(e), reports(first));
    }
}

}  // namespace
}  // namespace mandate
