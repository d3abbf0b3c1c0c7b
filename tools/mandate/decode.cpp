#include "decode.hpp"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace mandate::cli {

std::optional<text_encoding> parse_encoding(const std::string& name) {
    std::string n = name;
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (n == "utf-8" || n == "utf8") return text_encoding::utf8;
    if (n == "gbk" || n == "gb18030") return text_encoding::gb18030;
    return std::nullopt;
}

struct decoded_buf::codecs {
    z_stream z{};
    bool z_open = false;
    ZSTD_DStream* zstd = nullptr;
    ~codecs() {
        if (z_open) inflateEnd(&z);
        if (zstd) ZSTD_freeDStream(zstd);
    }
};

decoded_buf::decoded_buf(std::streambuf* raw, std::string name, text_encoding encoding, bool sniff)
    : raw_(raw), name_(std::move(name)), encoding_(encoding), sniff_(sniff && encoding == text_encoding::utf8),
      in_(std::size_t{1} << 20), mid_(std::size_t{1} << 18), codecs_(std::make_unique<codecs>()) {
    if (encoding_ == text_encoding::gb18030) {
        iconv_ = iconv_open("UTF-8", "GB18030");
        if (iconv_ == reinterpret_cast<iconv_t>(-1))
            throw std::runtime_error(std::string("cannot convert from GB18030: ") + std::strerror(errno));
        out_.resize(2 * mid_.size() + 16);
    }
}

decoded_buf::~decoded_buf() {
    if (iconv_ != reinterpret_cast<iconv_t>(-1)) iconv_close(iconv_);
}

bool decoded_buf::fill_raw() {
    if (raw_eof_) return false;
    if (in_pos_ == in_end_) in_pos_ = in_end_ = 0;
    if (in_end_ == in_.size()) return true;
    const std::streamsize n = raw_->sgetn(in_.data() + in_end_, static_cast<std::streamsize>(in_.size() - in_end_));
    if (n <= 0) {
        raw_eof_ = true;
        return false;
    }
    in_end_ += static_cast<std::size_t>(n);
    raw_read_ += static_cast<std::uint64_t>(n);
    return true;
}

compression decoded_buf::kind() {
    if (started_) return kind_;
    started_ = true;
    while (in_end_ < 4 && fill_raw()) {}
    const auto* b = reinterpret_cast<const unsigned char*>(in_.data());
    if (in_end_ >= 2 && b[0] == 0x1f && b[1] == 0x8b) {
        kind_ = compression::gzip;
        // 15 + 16: a gzip wrapper only.
        if (inflateInit2(&codecs_->z, 15 + 16) != Z_OK) throw std::runtime_error("cannot start reading gzip data");
        codecs_->z_open = true;
    } else if (in_end_ >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd) {
        kind_ = compression::zstd;
        codecs_->zstd = ZSTD_createDStream();
        if (!codecs_->zstd || ZSTD_isError(ZSTD_initDStream(codecs_->zstd))) throw std::runtime_error("cannot start reading zstd data");
    }
    return kind_;
}

void decoded_buf::fail(const std::string& why) {
    if (error_.empty()) error_ = name_ + ": " + why;
    finished_ = true;
}

std::size_t decoded_buf::produce(char*& data) {
    if (finished_) return 0;
    switch (kind()) {
    case compression::none: {
        if (in_pos_ == in_end_ && !fill_raw()) {
            finished_ = true;
            return 0;
        }
        data = in_.data() + in_pos_;
        const std::size_t n = in_end_ - in_pos_;
        in_pos_ = in_end_;
        return n;
    }
    case compression::gzip: {
        z_stream& z = codecs_->z;
        for (;;) {
            if (in_pos_ == in_end_ && !fill_raw()) {
                if (frame_open_) fail("the gzip data is cut short (the file is truncated)");
                finished_ = true;
                return 0;
            }
            if (!frame_open_) {
                // A new member: several concatenated gzip members read as one stream.
                if (inflateReset(&z) != Z_OK) {
                    fail("cannot read the gzip data");
                    return 0;
                }
                frame_open_ = true;
            }
            z.next_in = reinterpret_cast<Bytef*>(in_.data() + in_pos_);
            z.avail_in = static_cast<uInt>(in_end_ - in_pos_);
            z.next_out = reinterpret_cast<Bytef*>(mid_.data());
            z.avail_out = static_cast<uInt>(mid_.size());
            const int rc = inflate(&z, Z_NO_FLUSH);
            in_pos_ = in_end_ - z.avail_in;
            const std::size_t n = mid_.size() - z.avail_out;
            if (rc == Z_STREAM_END) {
                frame_open_ = false;
            } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
                fail(std::string("the gzip data is corrupt (") + (z.msg ? z.msg : "inflate error " + std::to_string(rc)) + ")");
                return 0;
            }
            if (n > 0) {
                data = mid_.data();
                return n;
            }
        }
    }
    case compression::zstd: {
        for (;;) {
            if (in_pos_ == in_end_ && !fill_raw()) {
                if (frame_open_) fail("the zstd data is cut short (the file is truncated)");
                finished_ = true;
                return 0;
            }
            ZSTD_inBuffer input{in_.data() + in_pos_, in_end_ - in_pos_, 0};
            ZSTD_outBuffer output{mid_.data(), mid_.size(), 0};
            const std::size_t rc = ZSTD_decompressStream(codecs_->zstd, &output, &input);
            in_pos_ += input.pos;
            if (ZSTD_isError(rc)) {
                fail(std::string("the zstd data is corrupt (") + ZSTD_getErrorName(rc) + ")");
                return 0;
            }
            frame_open_ = rc != 0;  // 0: a frame ended and all of it was given out
            if (output.pos > 0) {
                data = mid_.data();
                return output.pos;
            }
        }
    }
    }
    return 0;
}

void decoded_buf::sniff(const char* p, std::size_t n) {
    for (std::size_t i = 0; i < n && !(utf8_bad_ && gb_bad_); ++i) {
        const auto c = static_cast<unsigned char>(p[i]);
        if (!utf8_bad_) {
            if (utf8_due_ > 0) {
                if ((c & 0xC0) == 0x80) --utf8_due_;
                else utf8_bad_ = true;
            } else if (c >= 0xC2 && c <= 0xDF) {
                utf8_due_ = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                utf8_due_ = 2;
            } else if (c >= 0xF0 && c <= 0xF4) {
                utf8_due_ = 3;
            } else if (c >= 0x80) {
                utf8_bad_ = true;
            }
        }
        if (!gb_bad_) {
            // GB18030: one byte 00-7F; two bytes 81-FE then 40-7E or 80-FE; four bytes 81-FE
            // 30-39 81-FE 30-39.
            switch (gb_state_) {
            case 0:
                if (c >= 0x81 && c <= 0xFE) gb_state_ = 1;
                else if (c >= 0x80) gb_bad_ = true;
                break;
            case 1:
                if (c >= 0x30 && c <= 0x39) gb_state_ = 2;
                else if ((c >= 0x40 && c <= 0x7E) || (c >= 0x80 && c <= 0xFE)) gb_state_ = 0;
                else gb_bad_ = true;
                break;
            case 2:
                if (c >= 0x81 && c <= 0xFE) gb_state_ = 3;
                else gb_bad_ = true;
                break;
            default:
                if (c >= 0x30 && c <= 0x39) gb_state_ = 0;
                else gb_bad_ = true;
            }
        }
    }
}

bool decoded_buf::reads_as_gb18030() const {
    return sniff_ && (utf8_bad_ || utf8_due_ > 0) && !gb_bad_ && gb_state_ == 0;
}

decoded_buf::int_type decoded_buf::underflow() {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    for (;;) {
        char* data = nullptr;
        const std::size_t n = produce(data);
        if (encoding_ == text_encoding::utf8) {
            if (n == 0) return traits_type::eof();
            if (sniff_) sniff(data, n);
            setg(data, data, data + n);
            return traits_type::to_int_type(*gptr());
        }
        // GB18030 to UTF-8. A byte that is no GB18030 is passed on as it is, for the reader
        // to reject its record as not UTF-8; so is an incomplete character at the end.
        std::string text = std::move(pending_);
        pending_.clear();
        text.append(data ? data : "", n);
        if (text.empty()) return traits_type::eof();
        if (out_.size() < 2 * text.size() + 16) out_.resize(2 * text.size() + 16);
        char* from = text.data();
        std::size_t from_left = text.size();
        char* to = out_.data();
        std::size_t to_left = out_.size();
        while (from_left > 0) {
            if (iconv(iconv_, &from, &from_left, &to, &to_left) != static_cast<std::size_t>(-1)) break;
            if ((errno == EINVAL && n > 0) || errno == E2BIG) {
                pending_.assign(from, from_left);  // E2BIG: not with twice the room; still, the rest waits
                break;
            }
            *to++ = *from++;  // EILSEQ, or EINVAL at the end
            --from_left;
            --to_left;
        }
        const std::size_t made = static_cast<std::size_t>(to - out_.data());
        if (made == 0 && n > 0) continue;  // only the start of a character so far
        if (made == 0) return traits_type::eof();
        setg(out_.data(), out_.data(), out_.data() + made);
        return traits_type::to_int_type(*gptr());
    }
}

}  // namespace mandate::cli
