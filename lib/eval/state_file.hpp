// The saved-state file: a versioned header, a payload, and the payload's SHA-256. Written
// through a temporary file beside the target, flushed to disk and renamed over it, so the
// target always holds a whole state; read in two passes (check, then parse), so a truncated or
// corrupted file is refused before anything of it is used.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mandate/eval/engine.hpp"
#include "support/output_file.hpp"

namespace mandate::eval {

inline constexpr char state_magic[8] = {'M', 'N', 'D', 'S', 'T', 'A', 'T', 'E'};
inline constexpr std::uint32_t state_format_version = 3;  // 2: entity fields, waivers; 3: numbered texts

// Writes a state file. Values are little-endian; strings are a length and their bytes.
class state_writer {
public:
    explicit state_writer(const std::string& path);  // opens a temporary file beside `path`
    ~state_writer();                                 // removes it unless commit() ran
    state_writer(const state_writer&) = delete;
    state_writer& operator=(const state_writer&) = delete;

    void u8(std::uint8_t v) { bytes(&v, 1); }
    void u32(std::uint32_t v);
    void u64(std::uint64_t v);
    void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
    void str(std::string_view s);
    void bytes(const void* data, std::size_t n);

    // Fills in the header, flushes to disk and renames the file over the target.
    void commit();

private:
    void flush();
    void bytes_unhashed(const void* data, std::size_t n);
    std::string path_;
    std::unique_ptr<detail::output_file> file_;
    std::vector<unsigned char> buffer_;
    std::uint64_t payload_ = 0;
    struct hasher;
    struct hasher_free {
        void operator()(hasher* h) const;
    };
    std::unique_ptr<hasher, hasher_free> hash_;  // freed even when the constructor throws
};

// Reads a state file that check() has verified. Every read is bounded by the payload: a value
// past its end, or a count that could not fit in what is left, is a state_error.
class state_reader {
public:
    explicit state_reader(const std::string& path);  // opens, checks the header and checksum
    ~state_reader();
    state_reader(const state_reader&) = delete;
    state_reader& operator=(const state_reader&) = delete;

    std::uint8_t u8();
    std::uint32_t u32();
    std::uint64_t u64();
    std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
    std::string str();
    // A count of items at least `item_bytes` each, refused when more than what is left.
    std::uint64_t count(std::uint64_t item_bytes);
    void bytes(void* out, std::size_t n);
    // The payload is read to its end (else the file is not what it claims).
    void finish();

    [[noreturn]] void fail(const std::string& why) const;

private:
    void fill();
    std::string path_;
    std::FILE* file_ = nullptr;
    std::uint64_t payload_ = 0, consumed_ = 0;
    std::vector<unsigned char> buffer_;
    std::size_t pos_ = 0, end_ = 0;
};

}  // namespace mandate::eval
