// Writing a file the way a user expects whatever stands at its path: a report, a copy of the
// rejected records, a saved state, a formatted rule file. Shared by the library (saved state)
// and the command-line program (-o, --rejects, fmt), so every output follows the same rules
// and leaves nothing behind.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <vector>

namespace mandate::detail {

// An output could not be written (a full disk, a closed pipe, a path that cannot be opened).
struct output_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// What is written to `path`, by what stands there when the file is opened:
//  - nothing, or a regular file with one link: a temporary file beside it (NAME.tmp-mandate-PID-N,
//    created with the permissions a new file gets, or the old file's), renamed over it by
//    commit(), so a reader sees the old file or the new one, whole;
//  - a regular file with several (hard) links: rewritten in place, so the links stay one file;
//  - anything else that opens for writing (a terminal, a device, a FIFO): written through;
//  - a directory or a socket: refused.
// A symbolic link is followed (a chain of them too): its target is what is written.
// No temporary file outlives a failure: one not committed is removed when the output_file is
// destroyed, and one left by a process that was killed is removed by the next output_file
// made beside the same target (its name carries the writer's process id).
class output_file {
public:
    struct options {
        // commit() flushes the file and the rename to disk (fsync): for saved state.
        bool durable = false;
        // Only a new path or a regular file with one link will do (nothing is written in
        // place or through): for saved state, which must be replaced whole or not at all.
        bool whole_only = false;
    };
    explicit output_file(const std::string& path) : output_file(path, options{}) {}
    output_file(const std::string& path, options o);
    ~output_file();
    output_file(const output_file&) = delete;
    output_file& operator=(const output_file&) = delete;

    // Writes all of [data, data + n); throws output_error naming the path.
    void write(const void* data, std::size_t n);
    // Writes at an offset already written (a header filled in at the end); not for a file
    // written through, which may not be seekable.
    void write_at(std::uint64_t offset, const void* data, std::size_t n);
    // Finishes the file: checks the last write, closes it, and renames a temporary over the
    // target. Throws output_error; the target is then as it was (or, rewritten in place or
    // written through, holds what was written before the failure).
    void commit();

    const std::string& path() const { return path_; }
    // Whether what is written goes to a temporary file renamed at commit() (else in place).
    bool replaces() const { return !temporary_.empty(); }

private:
    [[noreturn]] void fail(const std::string& what) const;
    std::string path_;       // as the caller named it, for messages
    std::string target_;     // the path written, symbolic links followed
    std::string temporary_;  // when replacing
    int fd_ = -1;
    bool durable_;
    bool committed_ = false;
};

// Standard output (fd 1) as an output: writes are checked, a failure throws output_error.
// Kept apart from std::cout's buffer: flush std::cout first when both are used.
struct standard_output_tag {};

// A std::ostream over an output_file or standard output with a large buffer. A failed write
// throws output_error out of the stream operation (badbit is in exceptions()), so a writer
// stops at the first failure instead of producing the rest for nothing.
class output_stream : public std::ostream {
public:
    explicit output_stream(output_file& file);
    explicit output_stream(standard_output_tag);
    ~output_stream() override;
    // Flushes the buffer (and commits the file, if any). Throws output_error.
    void finish();

private:
    class buffer : public std::streambuf {
    public:
        buffer(output_file* file, const std::string& name);
        void drain();  // writes what is buffered; throws output_error

    protected:
        int_type overflow(int_type c) override;
        std::streamsize xsputn(const char* s, std::streamsize n) override;
        int sync() override;

    private:
        output_file* file_;  // null: standard output
        std::string name_;
        std::vector<char> space_;
    };
    output_file* file_;
    buffer buffer_;
};

// Writes all of [data, data + n) to a file descriptor, through short writes and EINTR;
// returns false (errno set) on a failure.
bool write_all(int fd, const void* data, std::size_t n);

}  // namespace mandate::detail
