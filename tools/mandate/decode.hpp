// The bytes of a record file as the readers want them: decompressed when the file is gzip or
// zstd (told by its first bytes, not its name), and converted to UTF-8 when it is in GBK or
// GB18030. Line numbers, --rejects and the state all see these decoded bytes.
#pragma once

#include <iconv.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <streambuf>
#include <string>
#include <vector>

namespace mandate::cli {

enum class text_encoding { utf8, gb18030 };  // GBK is a subset of GB18030

// "utf-8" (or "utf8"), "gbk" or "gb18030", in any case; nullopt for anything else.
std::optional<text_encoding> parse_encoding(const std::string& name);

enum class compression { none, gzip, zstd };

class decoded_buf : public std::streambuf {
public:
    // `raw`: the file's bytes. `name`: the file, for messages. `encoding`: of the text;
    // `sniff`: with utf8, watch whether the text is not UTF-8 but would read as GB18030.
    decoded_buf(std::streambuf* raw, std::string name, text_encoding encoding, bool sniff);
    ~decoded_buf() override;
    decoded_buf(const decoded_buf&) = delete;
    decoded_buf& operator=(const decoded_buf&) = delete;

    // What the first bytes say (reads them when nothing has been read yet).
    compression kind();
    // Empty, or why the compressed bytes could not be read (corrupt or cut short), naming the
    // file. Reading stops there, as at the end of the file.
    const std::string& error() const { return error_; }
    // After the whole file is read with `sniff`: its bytes were not UTF-8, but are GB18030.
    bool reads_as_gb18030() const;
    // How many bytes of the file have been read so far (for a progress bar: of the file's size).
    std::uint64_t raw_read() const { return raw_read_; }

protected:
    int_type underflow() override;

private:
    bool fill_raw();                       // more raw bytes into in_; false at the end
    std::size_t produce(char*& data);      // the next decompressed bytes; 0 at the end
    void fail(const std::string& why);
    void sniff(const char* p, std::size_t n);

    std::streambuf* raw_;
    std::string name_;
    text_encoding encoding_;
    bool sniff_;
    bool started_ = false, finished_ = false, raw_eof_ = false;
    compression kind_ = compression::none;
    std::vector<char> in_, mid_, out_;
    std::size_t in_pos_ = 0, in_end_ = 0;
    std::uint64_t raw_read_ = 0;
    struct codecs;
    std::unique_ptr<codecs> codecs_;
    bool frame_open_ = false;  // a compressed stream has begun and not yet ended
    iconv_t iconv_ = reinterpret_cast<iconv_t>(-1);
    std::string pending_;      // an incomplete multibyte character held for the next block
    std::string error_;
    // The sniffers' states: UTF-8 continuation bytes still due, GB18030 position in a character.
    int utf8_due_ = 0, gb_state_ = 0;
    bool utf8_bad_ = false, gb_bad_ = false;
};

}  // namespace mandate::cli
