#include "state_file.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace mandate::eval {

namespace {

// Header: magic, format version, flags (0), payload length, SHA-256 of the payload.
constexpr std::size_t header_bytes = 8 + 4 + 4 + 8 + 32;
constexpr std::size_t block = std::size_t{1} << 20;

std::string os_error(const std::string& what, const std::string& path) {
    return what + " " + path + ": " + std::strerror(errno);
}

void put32(unsigned char* p, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}
void put64(unsigned char* p, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}
std::uint32_t get32(const unsigned char* p) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}
std::uint64_t get64(const unsigned char* p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

struct md_free {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

}  // namespace

// ---------------------------------------------------------------- writing

struct state_writer::hasher {
    std::unique_ptr<EVP_MD_CTX, md_free> ctx{EVP_MD_CTX_new()};
};

void state_writer::hasher_free::operator()(hasher* h) const { delete h; }

state_writer::state_writer(const std::string& path) : path_(path), hash_(new hasher) {
    if (!hash_->ctx || EVP_DigestInit_ex(hash_->ctx.get(), EVP_sha256(), nullptr) != 1)
        throw state_error("cannot start a checksum for " + path);
    try {
        // A temporary file beside the target (renamed over it by commit), flushed to disk.
        detail::output_file::options o;
        o.durable = true;
        o.whole_only = true;
        file_ = std::make_unique<detail::output_file>(path, o);
    } catch (const detail::output_error& e) {
        throw state_error(e.what());
    }
    buffer_.reserve(block);
    const unsigned char zero[header_bytes] = {};
    bytes_unhashed(zero, header_bytes);
}

state_writer::~state_writer() = default;

void state_writer::bytes_unhashed(const void* data, std::size_t n) {
    try {
        file_->write(data, n);
    } catch (const detail::output_error& e) {
        throw state_error(e.what());
    }
}

void state_writer::u32(std::uint32_t v) {
    unsigned char b[4];
    put32(b, v);
    bytes(b, 4);
}

void state_writer::u64(std::uint64_t v) {
    unsigned char b[8];
    put64(b, v);
    bytes(b, 8);
}

void state_writer::str(std::string_view s) {
    u64(s.size());
    bytes(s.data(), s.size());
}

void state_writer::bytes(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    payload_ += n;
    while (n > 0) {
        const std::size_t room = block - buffer_.size();
        const std::size_t take = n < room ? n : room;
        buffer_.insert(buffer_.end(), p, p + take);
        p += take;
        n -= take;
        if (buffer_.size() == block) flush();
    }
}

void state_writer::flush() {
    if (buffer_.empty()) return;
    EVP_DigestUpdate(hash_->ctx.get(), buffer_.data(), buffer_.size());
    bytes_unhashed(buffer_.data(), buffer_.size());
    buffer_.clear();
}

void state_writer::commit() {
    flush();
    unsigned char header[header_bytes];
    std::memcpy(header, state_magic, 8);
    put32(header + 8, state_format_version);
    put32(header + 12, 0);
    put64(header + 16, payload_);
    unsigned int length = 0;
    EVP_DigestFinal_ex(hash_->ctx.get(), header + 24, &length);
    try {
        file_->write_at(0, header, header_bytes);
        file_->commit();
    } catch (const detail::output_error& e) {
        throw state_error(e.what());
    }
}

// ---------------------------------------------------------------- reading

state_reader::state_reader(const std::string& path) : path_(path) {
    file_ = std::fopen(path.c_str(), "rb");
    if (!file_) throw state_error(os_error("cannot read the state file", path));
    unsigned char header[header_bytes];
    const std::size_t got = std::fread(header, 1, header_bytes, file_);
    if (got < 8 || std::memcmp(header, state_magic, 8) != 0) fail("it is not a mandate state file");
    if (got < header_bytes) fail("it is truncated (" + std::to_string(got) + " bytes, shorter than its header)");
    const std::uint32_t version = get32(header + 8);
    if (version != state_format_version)
        fail("it has state format " + std::to_string(version) + ", and this mandate reads format " +
             std::to_string(state_format_version));
    payload_ = get64(header + 16);
    // First pass: the length and the checksum, before anything of the payload is believed.
    std::unique_ptr<EVP_MD_CTX, md_free> ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) fail("cannot start a checksum");
    buffer_.resize(block);
    std::uint64_t seen = 0;
    for (;;) {
        const std::size_t n = std::fread(buffer_.data(), 1, buffer_.size(), file_);
        if (n == 0) break;
        EVP_DigestUpdate(ctx.get(), buffer_.data(), n);
        seen += n;
    }
    if (std::ferror(file_)) fail(std::string("reading it failed: ") + std::strerror(errno));
    if (seen < payload_)
        fail("it is truncated (" + std::to_string(header_bytes + seen) + " of " + std::to_string(header_bytes + payload_) + " bytes)");
    if (seen > payload_) fail("it has " + std::to_string(seen - payload_) + " bytes after its end");
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx.get(), digest, &length);
    if (length != 32 || std::memcmp(digest, header + 24, 32) != 0) fail("its checksum does not match: the file is corrupted");
    if (std::fseek(file_, static_cast<long>(header_bytes), SEEK_SET) != 0) fail("cannot read it again");
}

state_reader::~state_reader() {
    if (file_) std::fclose(file_);
}

void state_reader::fail(const std::string& why) const { throw state_error("cannot restore from " + path_ + ": " + why); }

void state_reader::fill() {
    pos_ = 0;
    end_ = std::fread(buffer_.data(), 1, buffer_.size(), file_);
}

void state_reader::bytes(void* out, std::size_t n) {
    if (n > payload_ - consumed_) fail("it ends inside a value");
    auto* p = static_cast<unsigned char*>(out);
    consumed_ += n;
    while (n > 0) {
        if (pos_ == end_) {
            fill();
            if (end_ == 0) fail("it ends inside a value");
        }
        const std::size_t take = n < end_ - pos_ ? n : end_ - pos_;
        std::memcpy(p, buffer_.data() + pos_, take);
        pos_ += take;
        p += take;
        n -= take;
    }
}

std::uint8_t state_reader::u8() {
    std::uint8_t v;
    bytes(&v, 1);
    return v;
}

std::uint32_t state_reader::u32() {
    unsigned char b[4];
    bytes(b, 4);
    return get32(b);
}

std::uint64_t state_reader::u64() {
    unsigned char b[8];
    bytes(b, 8);
    return get64(b);
}

std::string state_reader::str() {
    const std::uint64_t n = count(1);
    std::string s(static_cast<std::size_t>(n), '\0');
    bytes(s.data(), s.size());
    return s;
}

std::uint64_t state_reader::count(std::uint64_t item_bytes) {
    const std::uint64_t n = u64();
    if (item_bytes > 0 && n > (payload_ - consumed_) / item_bytes) fail("a count runs past its end");
    return n;
}

void state_reader::finish() {
    if (consumed_ != payload_) fail("it holds " + std::to_string(payload_ - consumed_) + " bytes this mandate does not read");
}

}  // namespace mandate::eval
