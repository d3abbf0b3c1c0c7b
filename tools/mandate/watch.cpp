// watch: reads records as they come and prints one JSON line per status change, flushed at
// once, so a host can pipe its live feed through it (docs/report.md, "mandate watch").
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "help.hpp"
#include "inputs.hpp"
#include "mandate/json_text.hpp"
#include "mandate/mandate.hpp"
#include "mandate/report/report_writer.hpp"
#include "support/output_file.hpp"

namespace mandate::cli {

namespace {

volatile std::sig_atomic_t watch_stop = 0;
extern "C" void stop_watching(int) { watch_stop = 1; }

struct watch_options {
    std::string plan, events;
    std::vector<std::string> registry;
    std::optional<calendar::day> as_of;
    bool clock = false, follow = false;
    mandate::limits limits;
    io::language lang = io::language::zh;  // of the notes on stderr about rejected records
};

watch_options parse_watch(const std::vector<std::string>& args) {
    watch_options o;
    bool in_registry = false;
    auto value = [&](std::size_t& i, const std::string& name) { return take_value(args, i, name); };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--registry") {
            in_registry = true;
            continue;
        }
        if (a == "--events") {
            o.events = value(i, a);
        } else if (a == "--as-of") {
            o.as_of = parse_date_option(value(i, a), "--as-of");
        } else if (a == "--clock") {
            o.clock = true;
        } else if (a == "--follow") {
            o.follow = true;
        } else if (a == "--limit") {
            take_limit(args, i, o.limits);
        } else if (a == "--lang") {
            const std::string tag = value(i, a);
            const auto lang = io::parse_language(tag);
            if (!lang) throw usage_error("--lang must be zh or en, not '" + tag + "'");
            o.lang = *lang;
        } else if (a.size() > 1 && a[0] == '-') {
            refuse_unknown_option("watch", a);
        } else if (in_registry) {
            o.registry.push_back(a);
            continue;
        } else if (o.plan.empty()) {
            o.plan = a;
        } else {
            throw usage_error("one plan, and the records after --events: '" + a + "' is one too many");
        }
        in_registry = false;
    }
    if (o.plan.empty() || o.events.empty())
        throw usage_error("usage: mandate watch PLAN [--registry FILE...] --events FILE|- [--as-of DATE | --clock] [--follow] [--lang zh|en]");
    if (o.clock && o.as_of) throw usage_error("--as-of and --clock both say what date to watch: give one");
    return o;
}

// Today in the plan's zone (its UTC offset): the date --clock watches.
calendar::day today(int offset_minutes) {
    const std::time_t now = std::time(nullptr) + static_cast<std::time_t>(offset_minutes) * 60;
    std::tm utc{};
    gmtime_r(&now, &utc);
    return calendar::from_ymd(utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday);
}

std::string json_optional(const std::optional<bool>& b) { return b ? (*b ? "true" : "false") : "null"; }

std::string json_status(const std::optional<status>& s) { return s ? io::json_string(to_string(*s)) : "null"; }

// One change as a JSON line (docs/report.md lists the fields).
std::string change_line(const status_change& c, calendar::day as_of) {
    std::string line = "{\"rule\": " + io::json_string(c.rule) + ", \"outcome\": " + (c.outcome ? "true" : "false") +
                       ", \"unit\": " + (c.unit ? io::json_string(*c.unit) : "null") + ", \"period\": {\"from\": " +
                       io::json_string(calendar::to_iso(c.span.from)) + ", \"to\": " + io::json_string(calendar::to_iso(c.span.to)) +
                       "}, \"before\": " + json_status(c.before) + ", \"after\": " + json_status(c.after) +
                       ", \"fired_before\": " + json_optional(c.fired_before) + ", \"fired_after\": " + json_optional(c.fired_after) +
                       ", \"final_before\": " + json_optional(c.final_before) + ", \"final_after\": " + json_optional(c.final_after) +
                       ", \"as_of\": " + io::json_string(calendar::to_iso(as_of)) + "}\n";
    return line;
}

}  // namespace

int watch(const std::vector<std::string>& args) {
    const watch_options o = parse_watch(args);
    const plan p = load_plan(o.plan, o.limits);
    if (!p) return 2;
    engine_options eo;
    eo.limits = o.limits;
    engine e(p, eo);

    // The registry first, whole: its entities are the baseline, not changes to hear of.
    std::vector<input> registry;
    for (const auto& path : o.registry) registry.push_back(parse_input(path, e.plan().model()));
    record_inputs(std::move(registry), false, progress_mode::never, o.limits.max_record_bytes).load(e);

    const int offset = e.plan().model().utc_offset_minutes;
    calendar::day clock_date = o.clock ? today(offset) : 0;
    if (o.clock) e.set_watch_date(clock_date);
    else if (o.as_of) e.set_watch_date(*o.as_of);
    std::cout.flush();
    const auto watched = [&]() -> calendar::day {
        if (o.clock) return clock_date;
        if (o.as_of) return *o.as_of;
        return e.latest_event_date().value_or(0);
    };
    // Each change a line, written and flushed at once: a host reads it before it sends more.
    e.subscribe([&](const status_change& c) {
        const std::string line = change_line(c, watched());
        if (!detail::write_all(1, line.data(), line.size()))
            throw detail::output_error(std::string("cannot write standard output: ") + std::strerror(errno));
    });

    std::signal(SIGINT, stop_watching);
    std::signal(SIGTERM, stop_watching);
    const bool from_stdin = o.events == "-";
    const int fd = from_stdin ? 0 : ::open(o.events.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw usage_error("cannot read " + o.events + ": " + std::strerror(errno));
    struct stat st {};
    const bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    if (!regular && o.follow && !from_stdin && !S_ISFIFO(st.st_mode))
        throw usage_error("--follow reads what is appended to a file: " + o.events + " is not one");
    const std::string source = from_stdin ? "<stdin>" : o.events;
    const std::size_t limit = o.limits.max_record_bytes;
    std::string pending;  // the start of a line not yet ended
    std::uint64_t line = 0;
    bool skipping = false;  // inside a line already rejected as too long
    bool started = false;   // the first bytes have been read
    std::vector<char> block(std::size_t{1} << 16);
    auto take = [&](std::string_view record) {
        ++line;
        if (!record.empty() && record.back() == '\r') record.remove_suffix(1);
        if (record.find_first_not_of(" \t") == std::string_view::npos) return;
        if (e.add(record, source, line) == add_status::rejected)
            std::cerr << io::note_text(o.lang, io::note::watch_rejected, {source, std::to_string(line), e.last_error()}) << "\n";
    };
    for (;;) {
        if (watch_stop) break;
        if (o.clock) {
            // Time passes while records do not: a new day is heard as what it changed.
            const calendar::day now = today(offset);
            if (now != clock_date) {
                clock_date = now;
                e.set_watch_date(now);
            }
        }
        pollfd p{fd, POLLIN, 0};
        const int ready = regular ? 1 : poll(&p, 1, 200);
        if (ready < 0 && errno != EINTR) throw usage_error("cannot read " + o.events + ": " + std::strerror(errno));
        if (ready <= 0) continue;
        const ssize_t n = ::read(fd, block.data(), block.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw usage_error("cannot read " + o.events + ": " + std::strerror(errno));
        }
        if (n == 0) {
            // The end: of a pipe for good, of a file until more is appended (--follow).
            if (!(o.follow && regular)) break;
            ::usleep(200 * 1000);
            continue;
        }
        std::size_t start = 0;
        const std::size_t count = static_cast<std::size_t>(n);
        if (!started) {
            // The first bytes: a compressed stream cannot be watched as it grows, and a byte
            // order mark is not part of the first record.
            started = true;
            const auto* b = reinterpret_cast<const unsigned char*>(block.data());
            const bool gzip = count >= 2 && b[0] == 0x1F && b[1] == 0x8B;
            const bool zstd = count >= 4 && b[0] == 0x28 && b[1] == 0xB5 && b[2] == 0x2F && b[3] == 0xFD;
            if (gzip || zstd)
                throw usage_error(source + " is " + (gzip ? "gzip" : "zstd") + "-compressed: mandate watch reads records as " +
                                  "plain text as they are written; give it the text (" + (gzip ? "zcat " : "zstdcat ") +
                                  (from_stdin ? "FILE" : o.events) + " | mandate watch ... --events -), or read the file with " +
                                  "mandate check, which decompresses");
            if (count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) start = 3;
        }
        while (start < count) {
            const char* nl = static_cast<const char*>(std::memchr(block.data() + start, '\n', count - start));
            const std::size_t stop = nl ? static_cast<std::size_t>(nl - block.data()) : count;
            if (!skipping) pending.append(block.data() + start, stop - start);
            if (!skipping && pending.size() > limit + 1) {
                // Too long to be a record: rejected now, and the rest of its line skipped.
                ++line;
                std::cerr << io::note_text(o.lang, io::note::watch_rejected,
                                           {source, std::to_string(line), "record longer than the limit of " + std::to_string(limit) + " bytes"})
                          << "\n";
                pending.clear();
                skipping = true;
            }
            if (!nl) break;
            if (!skipping) take(pending);
            skipping = false;
            pending.clear();
            start = stop + 1;
        }
    }
    if (!pending.empty() && !skipping) take(pending);  // a last line without a line break
    if (!from_stdin) ::close(fd);
    return 0;
}

}  // namespace mandate::cli
