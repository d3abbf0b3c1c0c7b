#include "inputs.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <sstream>
#include <streambuf>

#include "commands.hpp"
#include "mandate/io/csv.hpp"
#include "mandate/io/records.hpp"

namespace mandate::cli {

namespace {

bool ends_with_csv(const std::string& path) {
    if (path.size() < 4) return false;
    std::string tail = path.substr(path.size() - 4);
    std::transform(tail.begin(), tail.end(), tail.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return tail == ".csv";
}

bool is_identifier(const std::string& s) {
    if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

std::string human_bytes(double bytes) {
    const char* units[] = {"B", "KB", "MB", "GB", "TB"};
    int u = 0;
    while (bytes >= 1000 && u < 4) {
        bytes /= 1000;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
    return buf;
}

// A one-line progress bar on standard error: drawn only on a terminal (unless forced) and only
// once reading has taken half a second, so small inputs print nothing.
class progress_bar {
public:
    progress_bar(progress_mode mode, std::uint64_t total)
        : mode_(mode), tty_(isatty(2) != 0), total_(total), start_(clock::now()) {}

    void begin_file(const std::string& name) { name_ = name; }

    void advance(std::uint64_t bytes) {
        done_ += bytes;
        if (mode_ == progress_mode::never || (mode_ == progress_mode::automatic && !tty_)) return;
        const auto now = clock::now();
        if (mode_ == progress_mode::automatic && now - start_ < std::chrono::milliseconds(500)) return;
        if (drawn_ && now - last_ < std::chrono::milliseconds(100)) return;
        draw(now);
    }

    void finish() {
        if (!drawn_ && mode_ != progress_mode::always) return;
        if (tty_) {
            std::fputs("\r\033[K", stderr);  // the report follows; leave no bar behind
        } else {
            draw(clock::now());
            std::fputc('\n', stderr);
        }
        std::fflush(stderr);
    }

private:
    using clock = std::chrono::steady_clock;

    void draw(clock::time_point now) {
        drawn_ = true;
        last_ = now;
        const double seconds = std::chrono::duration<double>(now - start_).count();
        std::string line = tty_ ? "\r\033[K" : "\n";
        line += "reading " + name_ + "  ";
        if (total_ > 0) {
            const double share = std::min(1.0, static_cast<double>(done_) / static_cast<double>(total_));
            const int width = 24, filled = static_cast<int>(share * width);
            line += "[" + std::string(static_cast<std::size_t>(filled), '#') + std::string(static_cast<std::size_t>(width - filled), '-') + "] ";
            char pct[16];
            std::snprintf(pct, sizeof pct, "%3d%%  ", static_cast<int>(share * 100));
            line += pct;
            line += human_bytes(static_cast<double>(done_)) + " of " + human_bytes(static_cast<double>(total_));
        } else {
            line += human_bytes(static_cast<double>(done_));
        }
        if (seconds > 0.05) line += "  " + human_bytes(static_cast<double>(done_) / seconds) + "/s";
        std::fputs(line.c_str(), stderr);
        std::fflush(stderr);
    }

    progress_mode mode_;
    bool tty_;
    std::uint64_t total_, done_ = 0;
    std::string name_;
    clock::time_point start_, last_;
    bool drawn_ = false;
};

// Passes a stream's bytes through in large blocks, telling the progress bar, and copying
// them to `tee` when one is given (standard input kept for --rejects).
class counting_buf : public std::streambuf {
public:
    counting_buf(std::streambuf* source, std::ostream* tee, progress_bar& bar)
        : source_(source), tee_(tee), bar_(bar), buffer_(std::size_t{1} << 20) {}

protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        const std::streamsize n = source_->sgetn(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
        if (n <= 0) return traits_type::eof();
        if (tee_ && !tee_->write(buffer_.data(), n)) throw usage_error("cannot keep a copy of standard input for --rejects");
        bar_.advance(static_cast<std::uint64_t>(n));
        setg(buffer_.data(), buffer_.data(), buffer_.data() + n);
        return traits_type::to_int_type(*gptr());
    }

    // A large read (add_jsonl's blocks) goes straight into the caller's memory once what is
    // buffered is used up, rather than through buffer_: the input is not copied twice.
    std::streamsize xsgetn(char* s, std::streamsize n) override {
        std::streamsize done = 0;
        if (gptr() < egptr()) {
            done = std::min<std::streamsize>(n, egptr() - gptr());
            std::memcpy(s, gptr(), static_cast<std::size_t>(done));
            setg(eback(), gptr() + done, egptr());
        }
        while (done < n) {
            const std::streamsize got = source_->sgetn(s + done, n - done);
            if (got <= 0) break;
            if (tee_ && !tee_->write(s + done, got)) throw usage_error("cannot keep a copy of standard input for --rejects");
            bar_.advance(static_cast<std::uint64_t>(got));
            done += got;
        }
        return done;
    }

private:
    std::streambuf* source_;
    std::ostream* tee_;
    progress_bar& bar_;
    std::vector<char> buffer_;
};

// Copies the physical lines [first, first + count) of each range, in order, from `path` to
// `out`, streaming: a line is never held whole. A byte order mark at the start is dropped.
void copy_lines(const std::string& path, const std::vector<std::pair<std::uint64_t, std::uint64_t>>& ranges, std::ostream& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw usage_error("cannot read " + path + " again to copy its rejected records");
    std::vector<char> block(std::size_t{1} << 20);
    std::uint64_t line = 1;
    std::size_t next = 0;  // the first range not yet finished
    bool first_block = true, line_open = false;
    auto selected = [&] {
        while (next < ranges.size() && line >= ranges[next].first + ranges[next].second) ++next;
        return next < ranges.size() && line >= ranges[next].first;
    };
    while (next < ranges.size()) {
        in.read(block.data(), static_cast<std::streamsize>(block.size()));
        const auto n = static_cast<std::size_t>(in.gcount());
        if (n == 0) break;
        std::size_t pos = 0;
        if (first_block && n >= 3 && std::memcmp(block.data(), "\xEF\xBB\xBF", 3) == 0) pos = 3;
        first_block = false;
        while (pos < n) {
            const char* nl = static_cast<const char*>(std::memchr(block.data() + pos, '\n', n - pos));
            const std::size_t stop = nl ? static_cast<std::size_t>(nl - block.data()) + 1 : n;
            if (selected()) {
                out.write(block.data() + pos, static_cast<std::streamsize>(stop - pos));
                line_open = nl == nullptr;
            }
            if (nl) ++line;
            pos = stop;
        }
    }
    if (line_open) out.put('\n');  // the file's last line had no line break
}

}  // namespace

input parse_input(const std::string& arg, const check::plan& plan) {
    input x;
    x.path = arg;
    if (const std::size_t eq = arg.find('='); eq != std::string::npos && eq > 0) {
        const std::string type = arg.substr(0, eq);
        std::error_code ec;
        if (is_identifier(type) && !std::filesystem::exists(arg, ec)) {
            if (plan.find_event(type) < 0) throw usage_error("the plan has no event type '" + type + "' (in " + arg + ")");
            x.type = type;
            x.path = arg.substr(eq + 1);
            x.csv = true;  // TYPE=FILE: a CSV file of that type's events
        }
    }
    if (x.path.empty()) throw usage_error("no file named in '" + arg + "'");
    if (!x.csv) x.csv = ends_with_csv(x.path);
    x.source = x.path == "-" ? "<stdin>" : x.path;
    return x;
}

record_inputs::record_inputs(std::vector<input> inputs, bool keep_stdin, progress_mode progress)
    : inputs_(std::move(inputs)), keep_stdin_(keep_stdin), progress_(progress) {}

record_inputs::~record_inputs() {
    if (!stdin_copy_.empty()) std::remove(stdin_copy_.c_str());
}

namespace {

volatile std::sig_atomic_t stop_requested = 0;
extern "C" void request_stop(int) { stop_requested = 1; }

std::uint64_t size_of(const std::string& path) {
    std::error_code ec;
    const auto n = std::filesystem::file_size(path, ec);
    return ec ? 0 : static_cast<std::uint64_t>(n);
}

}  // namespace

void record_inputs::use_state(std::string path, std::uint64_t every) {
    state_path_ = std::move(path);
    state_every_ = every;
    std::signal(SIGINT, request_stop);
    std::signal(SIGTERM, request_stop);
}

// One line a input: done, lines and bytes read, the file's size then, and its source name.
std::string record_inputs::resume_text() const {
    std::string out = "mandate-resume 1\n";
    for (std::size_t i = 0; i < inputs_.size(); ++i) {
        const position& p = positions_[i];
        out += std::to_string(p.done ? 1 : 0) + " " + std::to_string(p.lines) + " " + std::to_string(p.bytes) + " " +
               std::to_string(p.size) + " " + inputs_[i].source + "\n";
    }
    return out;
}

void record_inputs::read_resume(const std::string& text, const engine&) {
    std::istringstream in(text);
    std::string line;
    if (!std::getline(in, line) || line != "mandate-resume 1")
        throw usage_error("the state file " + state_path_ + " was not saved by mandate check (it holds no input positions)");
    std::map<std::string, position> saved;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        position p;
        int done = 0;
        fields >> done >> p.lines >> p.bytes >> p.size;
        std::string source;
        std::getline(fields >> std::ws, source);
        p.done = done != 0;
        saved[source] = p;
    }
    for (std::size_t i = 0; i < inputs_.size(); ++i) {
        const auto it = saved.find(inputs_[i].source);
        if (it == saved.end()) continue;
        const position& p = it->second;
        if (inputs_[i].path != "-") {
            const std::uint64_t now = size_of(inputs_[i].path);
            if (now < p.bytes || (p.done && now != p.size))
                throw usage_error(inputs_[i].path + " changed since " + state_path_ + " was saved (" + std::to_string(p.size) +
                                  " bytes then, " + std::to_string(now) + " now): remove the state file to read everything again");
        }
        positions_[i] = p;
        saved.erase(it);
    }
    if (!saved.empty())
        throw usage_error(state_path_ + " was saved reading " + saved.begin()->first +
                          ", which this command does not name: give the same inputs, or remove the state file");
}

void record_inputs::save(const engine& e) const {
    e.save(state_path_, resume_text());
}

void record_inputs::load(engine& e) {
    positions_.assign(inputs_.size(), position{});
    std::error_code exists_ec;
    if (!state_path_.empty() && std::filesystem::exists(state_path_, exists_ec)) read_resume(e.restore(state_path_), e);
    std::uint64_t total = 0;
    bool sizes_known = true;
    for (std::size_t i = 0; i < inputs_.size(); ++i) {
        const auto& x = inputs_[i];
        std::error_code ec;
        if (x.path == "-") {
            sizes_known = false;
            continue;
        }
        if (std::filesystem::is_directory(x.path, ec)) throw usage_error("cannot read " + x.path + ": it is a directory");
        const auto size = std::filesystem::file_size(x.path, ec);
        if (ec) sizes_known = false;
        else if (!positions_[i].done) total += size - positions_[i].bytes;
    }
    progress_bar bar(progress_, sizes_known ? total : 0);
    for (std::size_t i = 0; i < inputs_.size(); ++i) {
        const auto& x = inputs_[i];
        position& at = positions_[i];
        if (at.done) continue;  // read whole before the state was saved
        bar.begin_file(x.source);
        std::ifstream file;
        std::ofstream copy;
        std::streambuf* source = nullptr;
        if (x.path == "-") {
            source = std::cin.rdbuf();
            // What an earlier run read of standard input is in the state: this run skips it.
            for (std::uint64_t left = at.bytes; left > 0;) {
                char skip[65536];
                const auto n = source->sgetn(skip, static_cast<std::streamsize>(std::min<std::uint64_t>(left, sizeof skip)));
                if (n <= 0) throw usage_error("standard input ends before the " + std::to_string(at.bytes) +
                                              " bytes " + state_path_ + " says were read: give the same input");
                left -= static_cast<std::uint64_t>(n);
            }
            stdin_first_line_ = at.lines;
            if (keep_stdin_ && stdin_copy_.empty()) {
                std::string name = (std::filesystem::temp_directory_path() / "mandate-stdin-XXXXXX").string();
                const int fd = mkstemp(name.data());
                if (fd < 0) throw usage_error(std::string("cannot make a temporary file for --rejects: ") + std::strerror(errno));
                close(fd);
                stdin_copy_ = name;
                copy.open(stdin_copy_, std::ios::binary | std::ios::trunc);
                if (!copy) throw usage_error("cannot write " + stdin_copy_);
            }
        } else {
            file.open(x.path, std::ios::binary);
            if (!file) throw usage_error("cannot read " + x.path + ": " + std::strerror(errno));
            at.size = size_of(x.path);
            if (at.bytes > 0) file.seekg(static_cast<std::streamoff>(at.bytes));
            source = file.rdbuf();
        }
        counting_buf counted(source, copy.is_open() ? &copy : nullptr, bar);
        std::istream in(&counted);
        if (x.csv) {
            e.add_csv(in, x.source, x.type);  // a CSV file is saved once read whole
        } else {
            jsonl_options options;
            options.first_line = at.lines;
            if (!state_path_.empty()) {
                // Called between every two records: saves every state_every_ records, or at once
                // when asked to stop.
                // (The count of records since the last save lives in the callback itself: this
                // block ends before add_jsonl calls it.)
                const std::uint64_t start_bytes = at.bytes;
                options.checkpoint_every = 1;
                options.checkpoint = [&, start_bytes, since = std::uint64_t{0}](std::uint64_t lines, std::uint64_t bytes) mutable {
                    if (++since < state_every_ && !stop_requested) return;
                    since = 0;
                    at.lines = lines;
                    at.bytes = start_bytes + bytes;
                    save(e);
                    if (stop_requested) {
                        bar.finish();
                        throw interrupted_error("interrupted: the records read so far are saved in " + state_path_ +
                                                "; the same command resumes from there");
                    }
                };
            }
            e.add_jsonl(in, x.source, options);  // throws on a read error part-way
        }
        at.done = true;
        if (!state_path_.empty()) save(e);
    }
    bar.finish();
}

void record_inputs::write_rejects(const report& r, std::ostream& out) const {
    // The report lists rejections by source, then line: one pass over each source file.
    std::vector<std::string> order;
    std::map<std::string, std::vector<std::uint64_t>> lines;
    for (const auto& x : r.rejected) {
        auto [it, fresh] = lines.try_emplace(x.source);
        if (fresh) order.push_back(x.source);
        if (it->second.empty() || it->second.back() != x.line) it->second.push_back(x.line);
    }
    for (const auto& source : order) {
        const auto found = std::find_if(inputs_.begin(), inputs_.end(), [&](const input& x) { return x.source == source; });
        if (found == inputs_.end()) continue;
        const bool from_stdin = found->path == "-";
        const std::string path = from_stdin ? stdin_copy_ : found->path;
        if (path.empty()) continue;
        std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
        // A resumed run kept standard input only from where it went on: earlier lines are gone.
        std::vector<std::uint64_t> wanted;
        for (const std::uint64_t l : lines[source])
            if (!from_stdin || l > stdin_first_line_) wanted.push_back(from_stdin ? l - stdin_first_line_ : l);
        if (found->csv) {
            // A CSV record may span several lines (a quoted line break): find each one's extent.
            std::ifstream in(path, std::ios::binary);
            if (!in) throw usage_error("cannot read " + path + " again to copy its rejected records");
            io::csv_reader reader(in, io::default_max_record_bytes);  // only where records start and end
            io::csv_row row;
            std::size_t next = 0;
            while (next < wanted.size() && reader.next(row)) {
                while (next < wanted.size() && wanted[next] < row.line) ++next;
                if (next < wanted.size() && wanted[next] == row.line) ranges.emplace_back(row.line, row.lines);
            }
        } else {
            for (const std::uint64_t l : wanted) ranges.emplace_back(l, 1);
        }
        copy_lines(path, ranges, out);
    }
}

}  // namespace mandate::cli
