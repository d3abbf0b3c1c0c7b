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
#include "mandate/ingest/csv.hpp"
#include "mandate/ingest/records.hpp"
#include "support/output_file.hpp"

#include <openssl/evp.h>

namespace mandate::cli {

namespace {

// FILE.csv, or a compressed one named so: FILE.csv.gz, FILE.csv.zst (compression itself is told
// by the content, whatever the name).
bool ends_with_csv(const std::string& path) {
    std::string name = path;
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto ends = [&](const std::string& tail) { return name.size() >= tail.size() && name.compare(name.size() - tail.size(), tail.size(), tail) == 0; };
    return ends(".csv") || ends(".csv.gz") || ends(".csv.zst");
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

}  // namespace

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

namespace {

// SHA-256 of a stream's first bytes, for any length asked for among the last bytes given: the
// state records what was read of an input up to a record boundary, which lies somewhat behind
// what has been read ahead. The bytes older than `keep` are hashed as they come; the last
// `keep` are held until a length is asked for or they fall behind.
class prefix_hash {
public:
    explicit prefix_hash(std::size_t keep) : ctx_(EVP_MD_CTX_new()), keep_(keep) {
        if (!ctx_ || EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr) != 1) throw std::runtime_error("cannot start a checksum");
    }
    ~prefix_hash() { EVP_MD_CTX_free(ctx_); }
    prefix_hash(const prefix_hash&) = delete;
    prefix_hash& operator=(const prefix_hash&) = delete;

    void add(const char* p, std::size_t n) {
        held_.append(p, n);
        if (held_.size() > 2 * keep_) absorb(held_.size() - keep_);
    }
    std::uint64_t size() const { return hashed_ + held_.size(); }

    // The hash of the first `length` bytes given, in hex; `length` may not lie before the bytes
    // already hashed away.
    std::string digest(std::uint64_t length) {
        if (length < hashed_ || length > size()) throw std::logic_error("prefix_hash: a length outside the bytes held");
        absorb(static_cast<std::size_t>(length - hashed_));
        EVP_MD_CTX* copy = EVP_MD_CTX_new();
        unsigned char d[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        if (!copy || EVP_MD_CTX_copy_ex(copy, ctx_) != 1 || EVP_DigestFinal_ex(copy, d, &n) != 1) {
            EVP_MD_CTX_free(copy);
            throw std::runtime_error("cannot compute a checksum");
        }
        EVP_MD_CTX_free(copy);
        static const char hex[] = "0123456789abcdef";
        std::string out;
        for (unsigned int i = 0; i < n; ++i) {
            out += hex[d[i] >> 4];
            out += hex[d[i] & 15];
        }
        return out;
    }

private:
    void absorb(std::size_t n) {
        EVP_DigestUpdate(ctx_, held_.data(), n);
        held_.erase(0, n);
        hashed_ += n;
    }
    EVP_MD_CTX* ctx_;
    std::size_t keep_;
    std::string held_;
    std::uint64_t hashed_ = 0;
};

// Passes a stream's bytes through in large blocks, telling the progress bar, hashing them and
// counting their line breaks for the state, and copying them to `tee` (a file descriptor) when
// one is given (standard input kept for --rejects). A `prelude` is served first, untold (a
// CSV header read again before the rows that follow where an earlier run stopped).
class counting_buf : public std::streambuf {
public:
    // `hash`: null when no state is kept, and nothing needs hashing. The progress bar counts
    // the file's bytes, which `decoded` has read (compressed, they are fewer than its text's).
    // `raw_skipped`: the file's bytes read before (the part a state says was read already).
    counting_buf(decoded_buf& source, std::uint64_t raw_skipped, int tee, progress_bar& bar, prefix_hash* hash, std::string prelude = {})
        : source_(&source), decoded_(source), tee_(tee), bar_(bar), hash_(hash), prelude_(std::move(prelude)),
          buffer_(std::size_t{1} << 20), raw_told_(raw_skipped) {
        if (!prelude_.empty()) setg(prelude_.data(), prelude_.data(), prelude_.data() + prelude_.size());
    }

    std::uint64_t delivered() const { return delivered_; }
    std::uint64_t line_breaks() const { return line_breaks_; }
    bool line_ended() const { return last_ == '\n'; }

protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        const std::streamsize n = source_->sgetn(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
        if (n <= 0) return traits_type::eof();
        passed(buffer_.data(), n);
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
            passed(s + done, got);
            done += got;
        }
        return done;
    }

private:
    void passed(const char* p, std::streamsize n) {
        const auto size = static_cast<std::size_t>(n);
        if (tee_ >= 0 && !detail::write_all(tee_, p, size))
            throw usage_error(std::string("cannot keep a copy of standard input for --rejects: ") + std::strerror(errno));
        if (decoded_.raw_read() > raw_told_) {
            bar_.advance(decoded_.raw_read() - raw_told_);
            raw_told_ = decoded_.raw_read();
        }
        if (hash_) hash_->add(p, size);
        delivered_ += size;
        for (const char* q = p; (q = static_cast<const char*>(std::memchr(q, '\n', size - static_cast<std::size_t>(q - p)))); ++q)
            ++line_breaks_;
        last_ = p[size - 1];
    }

    std::streambuf* source_;
    decoded_buf& decoded_;
    int tee_;
    progress_bar& bar_;
    prefix_hash* hash_;
    std::string prelude_;
    std::vector<char> buffer_;
    std::uint64_t delivered_ = 0, line_breaks_ = 0;
    std::uint64_t raw_told_;  // of decoded_.raw_read(), what the bar has been told
    char last_ = '\n';
};

// Copies the physical lines [first, first + count) of each range, in order, from `path` to
// `out`, streaming: a line is never held whole. A byte order mark at the start is dropped.
void copy_lines(std::istream& in, const std::vector<std::pair<std::uint64_t, std::uint64_t>>& ranges, std::ostream& out) {
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

record_inputs::record_inputs(std::vector<input> inputs, bool keep_stdin, progress_mode progress, std::size_t max_record_bytes)
    : inputs_(std::move(inputs)), keep_stdin_(keep_stdin), progress_(progress), max_record_bytes_(max_record_bytes) {}

record_inputs::~record_inputs() {
    if (stdin_copy_ >= 0) ::close(stdin_copy_);
}

namespace {

volatile std::sig_atomic_t stop_requested = 0;
extern "C" void request_stop(int) { stop_requested = 1; }


}  // namespace

void record_inputs::use_encoding(text_encoding encoding, std::string command, io::language lang) {
    encoding_ = encoding;
    command_ = std::move(command);
    lang_ = lang;
}

void record_inputs::use_state(std::string path, std::uint64_t every) {
    state_path_ = std::move(path);
    state_every_ = every;
    std::signal(SIGINT, request_stop);
    std::signal(SIGTERM, request_stop);
}

// One line an input: done, lines and bytes read, their SHA-256, whether the last byte read
// ended a line, and its source name. The inputs earlier runs read and this one does not name
// come first, as they were.
std::string record_inputs::resume_text() const {
    std::string out = "mandate-resume 2\n";
    auto line = [&](const position& p, const std::string& source) {
        out += std::to_string(p.done ? 1 : 0) + " " + std::to_string(p.lines) + " " + std::to_string(p.bytes) + " " +
               (p.hash.empty() ? "-" : p.hash) + " " + (p.line_ended ? "1" : "0") + " " + source + "\n";
    };
    for (const auto& [source, p] : kept_) line(p, source);
    for (std::size_t i = 0; i < inputs_.size(); ++i) line(positions_[i], inputs_[i].source);
    return out;
}

void record_inputs::read_resume(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    if (!std::getline(in, line) || line.rfind("mandate-resume ", 0) != 0)
        throw usage_error("the state file " + state_path_ + " was not saved by mandate check (it holds no input positions)");
    if (line != "mandate-resume 2")
        throw usage_error("the state file " + state_path_ + " was saved by an earlier mandate, which did not record what it read "
                          "of each input: remove it to read everything again");
    std::vector<std::pair<std::string, position>> saved;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        position p;
        int done = 0, ended = 1;
        fields >> done >> p.lines >> p.bytes >> p.hash >> ended;
        if (p.hash == "-") p.hash.clear();
        std::string source;
        std::getline(fields >> std::ws, source);
        p.done = done != 0;
        p.line_ended = ended != 0;
        saved.emplace_back(std::move(source), p);
    }
    // An input named again takes up its position; one not named keeps its records in the
    // engine and its position in the state, for a later run that names it again.
    kept_.clear();
    for (auto& [source, p] : saved) {
        const auto named = std::find_if(inputs_.begin(), inputs_.end(), [&](const input& x) { return x.source == source; });
        if (named == inputs_.end()) kept_.emplace_back(std::move(source), std::move(p));
        else positions_[static_cast<std::size_t>(named - inputs_.begin())] = std::move(p);
    }
}

void record_inputs::save(const engine& e) const {
    try {
        e.save(state_path_, resume_text());
    } catch (const state_error& error) {
        throw detail::output_error(error.what());
    }
}

void record_inputs::load(engine& e) {
    positions_.assign(inputs_.size(), position{});
    std::error_code exists_ec;
    if (!state_path_.empty() && std::filesystem::exists(state_path_, exists_ec)) read_resume(e.restore(state_path_));
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
        const auto size = std::filesystem::is_regular_file(x.path, ec) ? std::filesystem::file_size(x.path, ec) : 0;
        if (ec || !std::filesystem::is_regular_file(x.path, ec)) sizes_known = false;
        else if (size > positions_[i].bytes) total += size - positions_[i].bytes;
    }
    progress_bar bar(progress_, sizes_known ? total : 0);
    for (std::size_t i = 0; i < inputs_.size(); ++i) load_one(e, i, bar);
    bar.finish();
}

void record_inputs::load_one(engine& e, std::size_t i, progress_bar& bar) {
    const input& x = inputs_[i];
    position& at = positions_[i];
    bar.begin_file(x.source);
    std::ifstream file;
    std::streambuf* source = nullptr;
    if (x.path == "-") {
        source = std::cin.rdbuf();
        if (keep_stdin_ && stdin_copy_ < 0) {
            // Unlinked at once: the copy is gone when the process is, however it ends.
            std::string name = (std::filesystem::temp_directory_path() / "mandate-stdin-XXXXXX").string();
            stdin_copy_ = mkstemp(name.data());
            if (stdin_copy_ < 0) throw usage_error(std::string("cannot make a temporary file for --rejects: ") + std::strerror(errno));
            unlink(name.c_str());
        }
    } else {
        file.open(x.path, std::ios::binary);
        if (!file) throw usage_error("cannot read " + x.path + ": " + std::strerror(errno));
        source = file.rdbuf();
    }
    // Decompressed and converted to UTF-8 before anything else sees the bytes: line numbers,
    // the copy of standard input kept for --rejects and the state's hashes are all of the text.
    const text_encoding encoding = x.csv ? encoding_ : text_encoding::utf8;
    decoded_buf decoded(source, x.source, encoding, x.csv);
    source = &decoded;
    const bool compressed = decoded.kind() != compression::none;
    // A compressed input is saved only whole: one stopped part-way is read again from the
    // state saved before it, which must then exist.
    std::error_code state_ec;
    if (compressed && !state_path_.empty() && !std::filesystem::exists(state_path_, state_ec)) save(e);
    // A checkpoint's position lies up to the engine's read-ahead behind what was read, and
    // counting_buf's own buffer more; the bytes before that are hashed as they come.
    prefix_hash hash(e.jsonl_read_ahead() + (std::size_t{1} << 20) + 16);
    std::string prelude;  // a CSV file's header, when it is read on from where a state left it
    if (at.bytes > 0) {
        // What the state says was read must be there still, byte for byte: read it again
        // (from a file or a FIFO alike) and compare the hashes.
        const std::string changed = x.path + " changed since " + state_path_ + " was saved";
        // Read again from nothing, the files earlier runs read must be named too.
        const std::string remedy = kept_.empty() ? ": remove the state file to read everything again"
                                                 : ": remove the state file to read everything again, naming the files earlier runs read too";
        std::vector<char> block(std::size_t{1} << 16);
        std::string head;  // the first bytes, where a CSV header is
        for (std::uint64_t left = at.bytes; left > 0;) {
            const auto n = source->sgetn(block.data(), static_cast<std::streamsize>(std::min<std::uint64_t>(left, block.size())));
            if (n <= 0)
                throw usage_error(changed + " (it is shorter than the " + std::to_string(at.bytes) + " bytes read then)" + remedy);
            hash.add(block.data(), static_cast<std::size_t>(n));
            if (x.csv && head.size() < io::default_max_record_bytes + 2)
                head.append(block.data(), static_cast<std::size_t>(std::min<std::streamsize>(n, static_cast<std::streamsize>(io::default_max_record_bytes + 2 - head.size()))));
            left -= static_cast<std::uint64_t>(n);
        }
        if (hash.digest(at.bytes) != at.hash)
            throw usage_error(changed + " (its first " + std::to_string(at.bytes) + " bytes are not the ones read then)" + remedy);
        if (std::char_traits<char>::eq_int_type(source->sgetc(), std::char_traits<char>::eof())) {
            at.done = true;  // nothing written since: every record of it is in the state
            return;
        }
        if (!at.line_ended)
            throw usage_error(changed + " (more was written after a last line that had no line break when it was read)" + remedy);
        if (x.csv) {
            std::istringstream header_text(head);
            io::csv_reader header_reader(header_text, io::default_max_record_bytes, true);
            io::csv_row header;
            if (!header_reader.next(header) || !header.error.empty())
                throw usage_error(changed + " (its header row cannot be read again)" + remedy);
            prelude = header.raw + "\n";
        }
        at.done = false;
    }
    // The bytes are hashed only for a state to keep: a run without --state does not pay for it.
    // The bytes read ahead to tell the compression count as this run's, for the bar; those a
    // state said were read do not (of a compressed file, all read to check them).
    const std::uint64_t raw_skipped = at.bytes == 0 ? 0 : compressed ? decoded.raw_read() : at.bytes;
    counting_buf counted(decoded, raw_skipped, x.path == "-" ? stdin_copy_ : -1, bar, state_path_.empty() ? nullptr : &hash, prelude);
    std::istream in(&counted);
    const std::uint64_t start_bytes = at.bytes, start_lines = at.lines;
    try {
    if (x.csv) {
        e.add_csv(in, x.source, x.type, start_lines);  // a CSV file is saved once read whole
    } else {
        jsonl_options options;
        options.first_line = start_lines;
        if (!state_path_.empty()) {
            // Called at the end of the block that holds every state_every_-th record, and at
            // once, between two records, when asked to stop.
            options.checkpoint_every = state_every_;
            options.checkpoint_now = [] { return stop_requested != 0; };
            options.checkpoint = [&](std::uint64_t lines, std::uint64_t bytes) {
                if (compressed) {
                    if (!stop_requested) return;
                    bar.finish();
                    throw interrupted_error("interrupted inside " + x.source + ", which is compressed and so saved only whole: " +
                                            state_path_ + " holds the records read before it; the same command resumes "
                                            "from there, reading " + x.source + " again");
                }
                at.lines = lines;
                at.bytes = start_bytes + bytes;
                at.hash = hash.digest(at.bytes);
                at.line_ended = true;  // a checkpoint falls between two records
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
    } catch (const interrupted_error&) {
        throw;
    } catch (const std::exception&) {
        if (!decoded.error().empty()) throw usage_error("cannot read " + decoded.error());
        throw;
    }
    // A corrupt or truncated compressed file ends its reading where it went wrong: the run
    // stops (exit 2) rather than report on part of the file.
    if (!decoded.error().empty()) throw usage_error("cannot read " + decoded.error());
    if (decoded.reads_as_gb18030())
        std::cerr << io::note_text(lang_, io::note::not_utf8, {command_, x.source}) << "\n";
    at.done = true;
    at.bytes = start_bytes + counted.delivered();
    at.lines = start_lines + counted.line_breaks();
    if (counted.delivered() > 0) at.line_ended = counted.line_ended();
    if (!state_path_.empty()) {
        at.hash = hash.digest(at.bytes);
        save(e);
    }
}

// Whether `path` still begins with the text a state says was read from it: its first `at.bytes`
// bytes, decoded as they were read, hash the same.
bool record_inputs::reads_as_before(const std::string& path, bool csv, const position& at) const {
    std::ifstream file(path, std::ios::binary);
    if (!file || at.bytes == 0) return false;
    try {
        decoded_buf decoded(file.rdbuf(), path, csv ? encoding_ : text_encoding::utf8, false);
        prefix_hash hash(0);
        std::vector<char> block(std::size_t{1} << 16);
        for (std::uint64_t left = at.bytes; left > 0;) {
            const auto n = decoded.sgetn(block.data(), static_cast<std::streamsize>(std::min<std::uint64_t>(left, block.size())));
            if (n <= 0) return false;
            hash.add(block.data(), static_cast<std::size_t>(n));
            left -= static_cast<std::uint64_t>(n);
        }
        return hash.digest(at.bytes) == at.hash;
    } catch (const std::exception&) {
        return false;  // unreadable now (corrupt compressed data, say): not as it was
    }
}

void record_inputs::write_rejects(const std::vector<rejection>& rejected, std::ostream& out) const {
    // The report lists rejections by source, then line: one pass over each source file.
    std::vector<std::string> order;
    std::map<std::string, std::vector<std::uint64_t>> lines;
    for (const auto& x : rejected) {
        auto [it, fresh] = lines.try_emplace(x.source);
        if (fresh) order.push_back(x.source);
        if (it->second.empty() || it->second.back() != x.line) it->second.push_back(x.line);
    }
    for (const auto& source : order) {
        const auto found = std::find_if(inputs_.begin(), inputs_.end(), [&](const input& x) { return x.source == source; });
        const std::vector<std::uint64_t>& wanted = lines[source];
        bool csv = false;
        if (found != inputs_.end()) {
            csv = found->csv;
        } else {
            // A file an earlier run read (the state's): its source is its path. Its rejected
            // lines lie in the part read then, copied only if that part is there unchanged.
            const auto kept = std::find_if(kept_.begin(), kept_.end(), [&](const auto& k) { return k.first == source; });
            if (kept == kept_.end()) continue;
            csv = ends_with_csv(source);
            if (!reads_as_before(source, csv, kept->second)) {
                std::cerr << io::note_text(lang_, io::note::rejects_not_copied, {std::to_string(wanted.size()), source}) << "\n";
                continue;
            }
        }
        const bool from_stdin = found != inputs_.end() && found->path == "-";
        if (from_stdin && stdin_copy_ < 0) continue;
        // The unlinked copy of standard input is read again through its descriptor.
        const std::string path = from_stdin ? "/proc/self/fd/" + std::to_string(stdin_copy_) : found != inputs_.end() ? found->path : source;
        // A file is decoded again as it was read; the copy of standard input holds decoded text.
        auto open_text = [&](std::ifstream& file, std::unique_ptr<decoded_buf>& decoded, std::unique_ptr<std::istream>& in) {
            file.open(path, std::ios::binary);
            if (!file) throw usage_error("cannot read " + path + " again to copy its rejected records");
            if (from_stdin) {
                in = std::make_unique<std::istream>(file.rdbuf());
                return;
            }
            decoded = std::make_unique<decoded_buf>(file.rdbuf(), source, csv ? encoding_ : text_encoding::utf8, false);
            in = std::make_unique<std::istream>(decoded.get());
        };
        std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
        if (csv) {
            // A CSV record may span several lines (a quoted line break): find each one's extent.
            std::ifstream file;
            std::unique_ptr<decoded_buf> decoded;
            std::unique_ptr<std::istream> text;
            open_text(file, decoded, text);
            std::istream& in = *text;
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
        std::ifstream file;
        std::unique_ptr<decoded_buf> decoded;
        std::unique_ptr<std::istream> text;
        open_text(file, decoded, text);
        copy_lines(*text, ranges, out);
    }
}

}  // namespace mandate::cli
