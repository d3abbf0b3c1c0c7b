// Turns a typed record (typed_record.hpp) into the parsed record the store takes, with the
// checks and the rejection reasons of the JSON reader (lib/ingest/records.cpp), so a typed record
// and its JSON twin are judged alike.
#pragma once

#include <deque>
#include <string>
#include <string_view>

#include "mandate/check/model.hpp"
#include "mandate/ingest/typed_record.hpp"
#include "mandate/ingest/records.hpp"

namespace mandate::io {

// Reusable; not thread-safe. The parsed record's strings point into the typed record and into
// this reader, so both must outlive its use (one add()).
class typed_reader {
public:
    typed_reader(const check::plan& plan, std::size_t max_field_bytes) : plan_(plan), max_field_bytes_(max_field_bytes) {}

    // Each returns false with `error` set when the record is rejected.
    bool read(const typed_entity& e, io::parsed_record& out, std::string& error);
    bool read(const typed_event& e, io::parsed_record& out, std::string& error);
    bool read(const typed_waiver& w, io::parsed_record& out, std::string& error);
    bool read_retraction(std::string_view id, io::parsed_record& out, std::string& error);

private:
    bool scalar(const check::field& f, check::type_kind k, const typed_value& v, io::field_value& out, bool member,
                std::string& error);
    // Valid UTF-8 (as JSON text is by definition) and within the field length limit.
    bool checked_text(std::string_view field, std::string_view text, std::string& error) const;
    const check::plan& plan_;
    std::size_t max_field_bytes_;
    std::deque<std::string> scratch_;  // texts made here (dates given to text fields); stable addresses
};

}  // namespace mandate::io
