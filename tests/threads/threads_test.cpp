// Thread safety as documented: a compiled plan is immutable and shared by engines on several
// threads, each engine used by one thread; compiling is safe on several threads at once. Run
// under ThreadSanitizer in CI (a build of its own), where any data race fails the test.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "mandate/report/report_writer.hpp"
#include "mandate/mandate.hpp"

namespace mandate {
namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

const std::string& rules() {
    static const std::string text = slurp(std::string(MANDATE_SOURCE_DIR) + "/rules/goutang-2023.mandate");
    return text;
}

// The hand-worked Goutang record set of tests/golden/goutang.
const std::string& registry() {
    static const std::string text = slurp(std::string(MANDATE_TESTS_DIR) + "/golden/goutang/registry.jsonl");
    return text;
}
const std::string& events() {
    static const std::string text = slurp(std::string(MANDATE_TESTS_DIR) + "/golden/goutang/events.jsonl");
    return text;
}

const calendar::day dates[] = {calendar::from_ymd(2023, 3, 31), calendar::from_ymd(2023, 6, 15), calendar::from_ymd(2023, 12, 31)};

// Every report of one engine over the record set, as JSON, as of each date.
std::vector<std::string> reports(const plan& p, bool one_by_one, engine_options options = {}) {
    engine e(p, options);
    if (one_by_one) {
        // Line by line through add(), with a subscriber: the paths a host uses while records stream in.
        int changes = 0;
        e.subscribe([&](const status_change&) { ++changes; });
        for (const auto& [text, source] : {std::pair{registry(), "registry.jsonl"}, std::pair{events(), "events.jsonl"}}) {
            std::istringstream lines(text);
            std::uint64_t n = 0;  // lines as add_jsonl counts them, blank ones included
            for (std::string line; std::getline(lines, line);)
                if (++n, !line.empty()) e.add(line, source, n);
        }
        EXPECT_GT(changes, 0);
    } else {
        std::istringstream reg(registry()), ev(events());
        e.add_jsonl(reg, "registry.jsonl");
        e.add_jsonl(ev, "events.jsonl");
    }
    std::vector<std::string> out;
    for (const auto d : dates) out.push_back(io::to_json(e.evaluate(d)));
    return out;
}

TEST(Threads, EnginesOnSeveralThreadsShareOnePlan) {
    auto compiled = compile(rules(), "goutang-2023.mandate");
    ASSERT_TRUE(compiled.ok());
    const plan p = compiled.value();
    const std::vector<std::string> expected = reports(p, false);
    constexpr int n = 4;
    std::vector<std::vector<std::string>> got(n);
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) threads.emplace_back([&, i] { got[static_cast<std::size_t>(i)] = reports(p, i % 2 == 1); });
    for (auto& t : threads) t.join();
    for (int i = 0; i < n; ++i) EXPECT_EQ(got[static_cast<std::size_t>(i)], expected) << "thread " << i;
}

// add_jsonl parsing on worker threads of its own (small blocks, so that every worker has some),
// in two engines at once, each on its own thread: the reports of records added one by one.
TEST(Threads, RecordsParsedOnWorkersInTwoEnginesAtOnce) {
    auto compiled = compile(rules(), "goutang-2023.mandate");
    ASSERT_TRUE(compiled.ok());
    const plan p = compiled.value();
    const std::vector<std::string> expected = reports(p, true);
    std::vector<std::vector<std::string>> got(2);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < 2; ++i)
        threads.emplace_back([&, i] {
            engine_options o;
            o.threads = i == 0 ? 3 : 4;
            o.block_bytes = i == 0 ? 1 : 300;
            got[i] = reports(p, false, o);
        });
    for (auto& t : threads) t.join();
    for (std::size_t i = 0; i < 2; ++i) EXPECT_EQ(got[i], expected) << "engine " << i;
}

TEST(Threads, CompilingOnSeveralThreadsAtOnce) {
    constexpr int n = 4;
    std::vector<std::string> dots(n), bad(n);
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i)
        threads.emplace_back([&, i] {
            auto good = compile(rules(), "goutang-2023.mandate");
            if (good.ok()) dots[static_cast<std::size_t>(i)] = good.value()->to_dot();
            auto broken = compile("plan p {}\nobligation o { every fortnight }\n", "broken.mandate");
            if (!broken.ok()) bad[static_cast<std::size_t>(i)] = headline(broken.diagnostics().front());
        });
    for (auto& t : threads) t.join();
    for (int i = 0; i < n; ++i) {
        EXPECT_FALSE(dots[static_cast<std::size_t>(i)].empty());
        EXPECT_EQ(dots[static_cast<std::size_t>(i)], dots[0]);
        EXPECT_EQ(bad[static_cast<std::size_t>(i)].rfind("broken.mandate:2:22: error: expected a period", 0), 0u) << bad[i];
    }
}

// A plan outlives the engines that hold it, and engines may be dropped on any thread.
TEST(Threads, APlanReleasedWhileEnginesStillRun) {
    std::vector<std::thread> threads;
    std::vector<std::size_t> rows(3);
    {
        auto compiled = compile(rules(), "goutang-2023.mandate");
        ASSERT_TRUE(compiled.ok());
        plan p = compiled.value();
        for (int i = 0; i < 3; ++i)
            threads.emplace_back([i, p, &rows] { rows[static_cast<std::size_t>(i)] = reports(p, false).size(); });
    }  // this scope's reference is gone; the threads keep theirs
    for (auto& t : threads) t.join();
    for (auto r : rows) EXPECT_EQ(r, 3u);
}

}  // namespace
}  // namespace mandate
