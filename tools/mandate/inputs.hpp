// The record files a command names: JSON Lines or CSV, files or standard input. They are read
// into an engine in blocks (with a progress bar on a terminal when reading takes a while), and
// afterwards the records the report rejected can be copied out verbatim, so nothing is lost.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <stdexcept>
#include <vector>

#include "decode.hpp"
#include "mandate/eval/engine.hpp"
#include "mandate/report/report_writer.hpp"

namespace mandate::cli {

struct input {
    std::string path;    // the file to read; "-" is standard input
    std::string source;  // the name its rejections carry: the path, or "<stdin>"
    std::string type;    // CSV events given as TYPE=FILE: their event type
    bool csv = false;
};

// `FILE.jsonl`, `FILE.csv`, `TYPE=FILE.csv` or `-`. Throws usage_error when TYPE names no event
// type of the plan or a TYPE= file is not CSV.
input parse_input(const std::string& arg, const check::plan& plan);

enum class progress_mode { automatic, always, never };

// A run stopped by SIGINT or SIGTERM after saving its state.
struct interrupted_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class progress_bar;

class record_inputs {
public:
    // `keep_stdin`: copy standard input to a temporary file as it is read, so its rejected
    // records can be copied out afterwards. The copy is unlinked as soon as it is made: it
    // lives only as long as this process, however the process ends.
    // `max_record_bytes`: the engine's limit on a record, which bounds how far it reads ahead.
    record_inputs(std::vector<input> inputs, bool keep_stdin, progress_mode progress, std::size_t max_record_bytes);
    ~record_inputs();
    record_inputs(const record_inputs&) = delete;
    record_inputs& operator=(const record_inputs&) = delete;

    // With a state file: load() resumes from it when it exists, and saves to it every `every`
    // records of a JSON Lines input, after each input, and at the end; SIGINT and SIGTERM save
    // at the next record and stop with interrupted_error. A compressed input is saved only
    // whole: a run stopped inside one saves nothing of it, and the next reads it again from
    // the state saved before it. The state knows each input by its
    // path and the SHA-256 of the bytes read from it: on resuming, an input whose first bytes
    // no longer hash the same is refused (usage_error, naming it), and one that has grown is
    // read on from where the state left it. An input the state read that this command does
    // not name keeps its records, and its position stays in the state saved again: named on a
    // later run it is known still (a daily run names that day's file). Standard input cannot be
    // resumed (usage_error).
    void use_state(std::string path, std::uint64_t every);

    // The encoding of the CSV inputs (JSON Lines is UTF-8 always). Read as UTF-8, a CSV file
    // that is not UTF-8 but reads as GB18030 gets a note on standard error, once, naming
    // --encoding; `command` begins it ("mandate check").
    void use_encoding(text_encoding encoding, std::string command, io::language lang);

    // Reads every input into the engine, in order. Throws usage_error when a file cannot be
    // read, and std::runtime_error ("FILE:LINE: ...") for a CSV header that cannot be used.
    void load(engine& e);

    // Writes the text of every rejected record, as it stood in its file, one record per line,
    // in the order given (the report's: by source, then line). The records of a file an earlier
    // run read and this command does not name are copied from it when its read part is there
    // still, unchanged; otherwise they are left out with a note on standard error.
    void write_rejects(const std::vector<rejection>& rejected, std::ostream& out) const;

private:
    // How far an input has been read (kept in the state file with the engine's records).
    struct position {
        bool done = false;
        std::uint64_t lines = 0, bytes = 0;
        std::string hash;   // SHA-256 of the first `bytes` bytes, in hex
        bool line_ended = true;  // the last byte read was a line break
    };
    std::string resume_text() const;
    void read_resume(const std::string& text);
    void save(const engine& e) const;
    void load_one(engine& e, std::size_t i, progress_bar& bar);
    bool reads_as_before(const std::string& path, bool csv, const position& at) const;

    std::vector<input> inputs_;
    std::vector<position> positions_;  // per input, this run's
    // The inputs the state had read that this command does not name, in the state's order:
    // saved again as they were.
    std::vector<std::pair<std::string, position>> kept_;
    std::string state_path_;
    std::uint64_t state_every_ = 0;
    bool keep_stdin_;
    progress_mode progress_;
    std::size_t max_record_bytes_;
    text_encoding encoding_ = text_encoding::utf8;
    std::string command_ = "mandate";
    io::language lang_ = io::language::zh;  // of the notes on stderr
    int stdin_copy_ = -1;  // the unlinked copy of standard input, if one was made
};

}  // namespace mandate::cli
