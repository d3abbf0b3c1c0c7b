// Host structs as records (mandate/eval/structs.hpp): a struct type's members resolved
// against the plan once (bind), and each record's member values turned into the parsed record
// the store takes (read), with the checks and rejection reasons of the JSON reader, so a
// struct and its JSON twin are judged alike.
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "mandate/check/model.hpp"
#include "mandate/ingest/host_value.hpp"
#include "mandate/ingest/records.hpp"

namespace mandate {

struct record_binding::impl {
    // What a member fills.
    enum class role : std::uint8_t { id, time, unit, entity, parent, name, since, until, version, field };
    struct slot {
        role r = role::field;
        int field = -1;  // role::field: the index in the type's or kind's fields
        host_member member;
        std::string name;  // member.name, owned
    };
    const check::plan* plan = nullptr;
    bool entity = false;
    int index = -1;  // the event type or the kind
    std::string target;
    std::vector<slot> slots;  // in member order
    std::vector<int> member_of;  // by field index: the member giving it, or -1
    int id = -1, time = -1, unit = -1, parent = -1, name = -1, since = -1, until = -1, version = -1;  // members, or -1
};

namespace io {

// Throws binding_error listing every member that does not fit.
record_binding bind_host_type(const check::plan& plan, bool entity, std::string_view target, const host_member* members,
                              std::size_t count);

// Reusable; not thread-safe. The parsed record's strings point into the host's values and into
// this reader, so both must outlive its use (one add()).
class host_reader {
public:
    host_reader(const check::plan& plan, std::size_t max_field_bytes) : plan_(plan), max_field_bytes_(max_field_bytes) {}

    // False with `error` set when the record is rejected.
    bool read(const record_binding::impl& b, const host_value* values, parsed_record& out, std::string& error);

private:
    bool read_event(const record_binding::impl& b, const host_value* values, parsed_record& r, std::string& error);
    bool read_entity(const record_binding::impl& b, const host_value* values, parsed_record& r, std::string& error);
    // Declared field `f` from member value `v` (a scalar, or a member of a set when `member`).
    bool scalar(const check::field& f, check::type_kind k, const host_member& m, const host_value& v, field_value& out,
                bool member, std::string& error);
    bool fields(const record_binding::impl& b, const std::vector<check::field>& declared, std::size_t first,
                const host_value* values, parsed_record& r, std::string& error);
    // Valid UTF-8 (as JSON text is by definition) and within the field length limit.
    bool checked_text(std::string_view field, std::string_view text, std::string& error) const;
    // Every text the record gives, checked before anything else, as the typed reader does.
    bool checked_texts(const record_binding::impl& b, const host_value* values, std::string& error) const;
    const check::plan& plan_;
    std::size_t max_field_bytes_;
    std::deque<std::string> scratch_;  // texts made here (numbers and dates written out); stable addresses
};

}  // namespace io
}  // namespace mandate
