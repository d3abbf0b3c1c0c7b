// The C interface over the C++ API. Every entry point runs inside guarded(), so no exception
// (std::bad_alloc included) crosses into C; the contracts are in mandate.h.
#include "mandate.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <new>
#include <optional>
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include "mandate/report/report_writer.hpp"
#include "mandate/mandate.hpp"

namespace {

// Every handle counts itself while it lives (mandate_live_handles).
std::atomic<std::size_t> live_handles{0};
struct counted {
    counted() noexcept { ++live_handles; }
    counted(const counted&) noexcept { ++live_handles; }
    counted& operator=(const counted&) noexcept { return *this; }
    ~counted() { --live_handles; }
};

}  // namespace

struct mandate_plan : counted {
    explicit mandate_plan(mandate::plan p) : compiled(std::move(p)) {}
    mandate::plan compiled;
};

struct mandate_diagnostics : counted {
    struct item {
        std::uint32_t line = 0, column = 0;
        std::string message;
    };
    std::vector<item> items;
};

struct mandate_engine : counted {
    explicit mandate_engine(mandate::plan p) : engine(std::move(p)) {}
    mandate::engine engine;
    int in_callback = 0;  // > 0 while a subscriber runs: only (un)subscribing is allowed then
};

struct mandate_event : counted {
    explicit mandate_event(mandate::typed_event e) : event(std::move(e)) {}
    mandate::typed_event event;
};

namespace {

char* copy_text(const std::string& s) {
    char* out = static_cast<char*>(std::malloc(s.size() + 1));
    if (out) std::memcpy(out, s.c_str(), s.size() + 1);
    return out;
}

void set_error(char** error, const std::string& text) {
    if (error) *error = copy_text(text);
}

// A report's as-of date, or nullopt with the reason in *error.
std::optional<mandate::calendar::day> report_date(const char* as_of, char** error) {
    const auto day = mandate::calendar::parse_iso(as_of);
    if (!day) set_error(error, std::string("as_of must be a date like 2023-12-31, not '") + as_of + "'");
    return day;
}

template <class F>
mandate_status guarded(char** error, F&& f) noexcept {
    if (error) *error = nullptr;
    try {
        return f();
    } catch (const std::bad_alloc&) {
        set_error(error, "out of memory");
    } catch (const std::exception& e) {
        set_error(error, e.what());
    } catch (...) {
        set_error(error, "unknown error");
    }
    return MANDATE_INTERNAL_ERROR;
}

mandate_status invalid(char** error, const char* function, const char* what) {
    set_error(error, std::string(function) + ": " + what);
    return MANDATE_INVALID_ARGUMENT;
}

// Records may not be added, nor reports made, from inside a subscriber (engine.hpp).
bool busy(const mandate_engine* engine) { return engine->in_callback > 0; }
constexpr const char* in_callback_message = "not allowed inside a status-change callback";

mandate_status add_result(mandate_engine* engine, mandate::add_status s, char** error) {
    if (s == mandate::add_status::accepted) return MANDATE_OK;
    set_error(error, engine->engine.last_error());
    return MANDATE_REJECTED;
}

// A date, or none for {0, 0, 0}; false when it is neither.
bool date_of(const mandate_date& d, std::optional<mandate::calendar::day>& out) {
    if (d.year == 0 && d.month == 0 && d.day == 0) {
        out.reset();
        return true;
    }
    if (!mandate::calendar::is_valid(d.year, d.month, d.day)) return false;
    out = mandate::calendar::from_ymd(d.year, d.month, d.day);
    return true;
}

std::string date_text(const mandate_date& d) {
    return std::to_string(d.year) + "-" + std::to_string(d.month) + "-" + std::to_string(d.day);
}

// A read-only stream over a caller's buffer: no copy of the data.
class memory_buffer : public std::streambuf {
public:
    memory_buffer(const char* data, std::size_t length) {
        char* p = const_cast<char*>(data);  // only ever read
        setg(p, p, p + length);
    }
};

mandate_bucket_status bucket_status(const std::optional<mandate::status>& s) {
    if (!s) return MANDATE_BUCKET_ABSENT;
    switch (*s) {
        case mandate::status::pending: return MANDATE_BUCKET_PENDING;
        case mandate::status::satisfied: return MANDATE_BUCKET_SATISFIED;
        case mandate::status::violated: return MANDATE_BUCKET_VIOLATED;
        case mandate::status::excused: return MANDATE_BUCKET_EXCUSED;
    }
    return MANDATE_BUCKET_ABSENT;
}

int tristate(const std::optional<bool>& b) { return b ? (*b ? 1 : 0) : -1; }

// Setting a field of a builder; `value` is made only once the arguments are known good.
template <class Make>
mandate_status set_field(mandate_event* event, const char* field, Make&& make) {
    return guarded(nullptr, [&] {
        if (!event || !field) return MANDATE_INVALID_ARGUMENT;
        std::optional<mandate::typed_value> value = make();
        if (!value) return MANDATE_INVALID_ARGUMENT;
        event->event.set(field, std::move(*value));
        return MANDATE_OK;
    });
}

template <class Make>
mandate_status append_member(mandate_event* event, const char* field, Make&& make) {
    return guarded(nullptr, [&] {
        if (!event || !field) return MANDATE_INVALID_ARGUMENT;
        std::optional<mandate::typed_value> member = make();
        if (!member) return MANDATE_INVALID_ARGUMENT;
        mandate::typed_value* existing = event->event.find(field);
        if (existing && existing->type() == mandate::typed_value::kind::set) {
            existing->append(std::move(*member));
        } else {
            event->event.set(field, mandate::typed_value::set({std::move(*member)}));
        }
        return MANDATE_OK;
    });
}

std::optional<mandate::typed_value> decimal_value(const char* decimal) {
    if (!decimal) return std::nullopt;
    try {
        return mandate::typed_value::decimal(decimal);
    } catch (const std::invalid_argument&) {
        return std::nullopt;
    }
}

std::optional<mandate::typed_value> date_value(const mandate_date& d) {
    if (!mandate::calendar::is_valid(d.year, d.month, d.day)) return std::nullopt;
    return mandate::typed_value::date(mandate::calendar::from_ymd(d.year, d.month, d.day));
}

}  // namespace

extern "C" {

const char* mandate_version(void) { return MANDATE_VERSION; }

void mandate_free(void* text) { std::free(text); }

// ---------------------------------------------------------------- plans

mandate_status mandate_plan_compile(const char* source, size_t length, const char* name, mandate_plan** plan,
                                    mandate_diagnostics** diagnostics, char** error) {
    if (plan) *plan = nullptr;
    if (diagnostics) *diagnostics = nullptr;
    return guarded(error, [&] {
        if (!plan || (!source && length)) return invalid(error, "mandate_plan_compile", "plan and source must not be NULL");
        const std::string text(source ? source : "", length);
        const std::string file = name ? name : "<rules>";
        auto compiled = mandate::compile(text, file);
        if (!compiled.ok()) {
            const mandate::source_file src(file, text);
            std::string all;
            for (const auto& d : compiled.diagnostics()) all += mandate::render(d, src);
            if (diagnostics) {
                auto list = std::make_unique<mandate_diagnostics>();
                for (const auto& d : compiled.diagnostics())
                    list->items.push_back(mandate_diagnostics::item{d.pos.line, d.pos.column, d.message});
                *diagnostics = list.release();
            }
            set_error(error, all);
            return MANDATE_RULE_ERROR;
        }
        *plan = new mandate_plan(compiled.value());
        return MANDATE_OK;
    });
}

void mandate_plan_free(mandate_plan* plan) { delete plan; }

const char* mandate_plan_id(const mandate_plan* plan) { return plan ? plan->compiled->model().id.c_str() : ""; }

const char* mandate_plan_revision(const mandate_plan* plan) { return plan ? plan->compiled->revision().c_str() : ""; }

size_t mandate_diagnostics_count(const mandate_diagnostics* diagnostics) {
    return diagnostics ? diagnostics->items.size() : 0;
}

uint32_t mandate_diagnostics_line(const mandate_diagnostics* diagnostics, size_t index) {
    return diagnostics && index < diagnostics->items.size() ? diagnostics->items[index].line : 0;
}

uint32_t mandate_diagnostics_column(const mandate_diagnostics* diagnostics, size_t index) {
    return diagnostics && index < diagnostics->items.size() ? diagnostics->items[index].column : 0;
}

const char* mandate_diagnostics_message(const mandate_diagnostics* diagnostics, size_t index) {
    return diagnostics && index < diagnostics->items.size() ? diagnostics->items[index].message.c_str() : nullptr;
}

void mandate_diagnostics_free(mandate_diagnostics* diagnostics) { delete diagnostics; }

// ---------------------------------------------------------------- engines

mandate_status mandate_engine_new(const mandate_plan* plan, mandate_engine** engine) {
    if (engine) *engine = nullptr;
    return guarded(nullptr, [&] {
        if (!plan || !engine) return MANDATE_INVALID_ARGUMENT;
        *engine = new mandate_engine(plan->compiled);
        return MANDATE_OK;
    });
}

void mandate_engine_free(mandate_engine* engine) { delete engine; }

mandate_status mandate_engine_add(mandate_engine* engine, const char* json, size_t length, char** error) {
    return guarded(error, [&] {
        if (!engine || (!json && length)) return invalid(error, "mandate_engine_add", "engine and json must not be NULL");
        if (busy(engine)) return invalid(error, "mandate_engine_add", in_callback_message);
        return add_result(engine, engine->engine.add(std::string_view(json ? json : "", length)), error);
    });
}

mandate_status mandate_engine_add_jsonl(mandate_engine* engine, const char* data, size_t length, const char* source,
                                        uint64_t* records, char** error) {
    return guarded(error, [&] {
        if (!engine || (!data && length))
            return invalid(error, "mandate_engine_add_jsonl", "engine and data must not be NULL");
        if (busy(engine)) return invalid(error, "mandate_engine_add_jsonl", in_callback_message);
        memory_buffer buffer(data ? data : "", data ? length : 0);
        std::istream in(&buffer);
        const std::uint64_t n = engine->engine.add_jsonl(in, source ? source : "");
        if (records) *records = n;
        return MANDATE_OK;
    });
}

mandate_status mandate_engine_add_jsonl_file(mandate_engine* engine, const char* path, uint64_t* records, char** error) {
    return guarded(error, [&] {
        if (!engine || !path) return invalid(error, "mandate_engine_add_jsonl_file", "engine and path must not be NULL");
        if (busy(engine)) return invalid(error, "mandate_engine_add_jsonl_file", in_callback_message);
        std::error_code ec;
        std::ifstream in(path, std::ios::binary);
        if (!in || std::filesystem::is_directory(path, ec)) {
            set_error(error, std::string("cannot read ") + path);
            return MANDATE_IO_ERROR;
        }
        std::uint64_t n = 0;
        try {
            n = engine->engine.add_jsonl(in, path);
        } catch (const std::runtime_error& e) {
            set_error(error, e.what());
            return MANDATE_IO_ERROR;
        }
        if (records) *records = n;
        return MANDATE_OK;
    });
}

namespace {

// An entity record, with its kind's fields when `fields` is given (`who` names the call).
mandate_status add_entity(mandate_engine* engine, const mandate_entity* entity, const mandate_event* fields, bool want_fields,
                          const char* who, char** error) {
    return guarded(error, [&] {
        if (!engine || !entity || !entity->id || !entity->kind || (want_fields && !fields))
            return invalid(error, who,
                           want_fields ? "engine, entity, its id, its kind and fields must not be NULL"
                                       : "engine, entity, its id and its kind must not be NULL");
        if (busy(engine)) return invalid(error, who, in_callback_message);
        mandate::typed_entity e;
        e.id = entity->id;
        e.kind = entity->kind;
        if (entity->parent) e.parent = entity->parent;
        if (entity->name) e.name = entity->name;
        if (!date_of(entity->since, e.since)) return invalid(error, who, ("since is not a real date: " + date_text(entity->since)).c_str());
        if (!date_of(entity->until, e.until)) return invalid(error, who, ("until is not a real date: " + date_text(entity->until)).c_str());
        e.version = entity->version;
        if (fields) e.fields = fields->event.fields();
        return add_result(engine, engine->engine.add(e), error);
    });
}

}  // namespace

mandate_status mandate_engine_add_entity(mandate_engine* engine, const mandate_entity* entity, char** error) {
    return add_entity(engine, entity, nullptr, false, "mandate_engine_add_entity", error);
}

mandate_status mandate_engine_add_entity_fields(mandate_engine* engine, const mandate_entity* entity, const mandate_event* fields,
                                               char** error) {
    return add_entity(engine, entity, fields, true, "mandate_engine_add_entity_fields", error);
}

mandate_status mandate_engine_add_waiver(mandate_engine* engine, const mandate_waiver* waiver, char** error) {
    return guarded(error, [&] {
        if (!engine || !waiver || !waiver->id || !waiver->obligation)
            return invalid(error, "mandate_engine_add_waiver", "engine, waiver, its id and its obligation must not be NULL");
        if (busy(engine)) return invalid(error, "mandate_engine_add_waiver", in_callback_message);
        mandate::typed_waiver w;
        w.id = waiver->id;
        w.obligation = waiver->obligation;
        if (waiver->unit) w.unit = waiver->unit;
        std::optional<mandate::calendar::day> period;
        if (!date_of(waiver->period, period) || !period)
            return invalid(error, "mandate_engine_add_waiver", ("period is not a real date: " + date_text(waiver->period)).c_str());
        w.period = *period;
        if (!date_of(waiver->extend_to, w.extend_to))
            return invalid(error, "mandate_engine_add_waiver", ("extend_to is not a real date: " + date_text(waiver->extend_to)).c_str());
        w.excuse = waiver->excuse != 0;
        if (waiver->reason) w.reason = waiver->reason;
        if (waiver->approved_by) w.approved_by = waiver->approved_by;
        return add_result(engine, engine->engine.add(w), error);
    });
}

mandate_status mandate_engine_add_event(mandate_engine* engine, const mandate_event* event, char** error) {
    return guarded(error, [&] {
        if (!engine || !event) return invalid(error, "mandate_engine_add_event", "engine and event must not be NULL");
        if (busy(engine)) return invalid(error, "mandate_engine_add_event", in_callback_message);
        return add_result(engine, engine->engine.add(event->event), error);
    });
}

mandate_status mandate_engine_retract(mandate_engine* engine, const char* event_id, char** error) {
    return guarded(error, [&] {
        if (!engine || !event_id) return invalid(error, "mandate_engine_retract", "engine and event_id must not be NULL");
        if (busy(engine)) return invalid(error, "mandate_engine_retract", in_callback_message);
        return add_result(engine, engine->engine.retract(event_id), error);
    });
}

mandate_status mandate_engine_report_json(mandate_engine* engine, const char* as_of, char** json, char** error) {
    if (json) *json = nullptr;
    return guarded(error, [&] {
        if (!engine || !as_of || !json)
            return invalid(error, "mandate_engine_report_json", "engine, as_of and json must not be NULL");
        if (busy(engine)) return invalid(error, "mandate_engine_report_json", in_callback_message);
        const auto day = report_date(as_of, error);
        if (!day) return MANDATE_INVALID_ARGUMENT;
        *json = copy_text(mandate::io::to_json(engine->engine.evaluate(*day)));
        if (!*json) throw std::bad_alloc();
        return MANDATE_OK;
    });
}

mandate_status mandate_engine_report_format(mandate_engine* engine, const char* as_of, const char* format, const char* language,
                                            char** output, size_t* length, char** error) {
    if (output) *output = nullptr;
    if (length) *length = 0;
    return guarded(error, [&] {
        if (!engine || !as_of || !format || !output || !length)
            return invalid(error, "mandate_engine_report_format", "engine, as_of, format, output and length must not be NULL");
        if (busy(engine)) return invalid(error, "mandate_engine_report_format", in_callback_message);
        const auto day = report_date(as_of, error);
        if (!day) return MANDATE_INVALID_ARGUMENT;
        const auto lang = language ? mandate::io::parse_language(language) : mandate::io::language::zh;
        if (!lang) {
            set_error(error, std::string("language must be \"zh\" or \"en\", not '") + language + "'");
            return MANDATE_INVALID_ARGUMENT;
        }
        const std::string_view f(format);
        if (f != "json" && f != "csv" && f != "table" && f != "html" && f != "xlsx") {
            set_error(error, std::string("format must be json, csv, table, html or xlsx, not '") + format + "'");
            return MANDATE_INVALID_ARGUMENT;
        }
        const mandate::report r = engine->engine.evaluate(*day);
        std::ostringstream out;
        if (f == "json") {
            mandate::io::write_json(r, out);
        } else if (f == "csv") {
            mandate::io::write_csv(r, out);
        } else if (f == "table") {
            mandate::io::table_options o;
            o.lang = *lang;
            mandate::io::write_table(r, out, o);
        } else if (f == "html") {
            mandate::io::html_options o;
            o.lang = *lang;
            mandate::io::write_html(r, out, o);
        } else {
            mandate::io::xlsx_options o;
            o.lang = *lang;
            mandate::io::write_xlsx(r, out, o);
        }
        const std::string bytes = std::move(out).str();
        *output = copy_text(bytes);  // a workbook's NUL bytes and all: it copies size() + 1 bytes
        if (!*output) throw std::bad_alloc();
        *length = bytes.size();
        return MANDATE_OK;
    });
}

size_t mandate_live_handles(void) { return live_handles.load(); }

// ---------------------------------------------------------------- saved state

mandate_status mandate_engine_save(mandate_engine* engine, const char* path, const char* host, size_t host_length, char** error) {
    return guarded(error, [&] {
        if (!engine || !path || (!host && host_length > 0))
            return invalid(error, "mandate_engine_save", "engine and path must not be NULL, nor host when host_length > 0");
        if (busy(engine)) return invalid(error, "mandate_engine_save", in_callback_message);
        try {
            engine->engine.save(path, std::string_view(host ? host : "", host_length));
        } catch (const mandate::state_error& e) {
            set_error(error, e.what());
            return MANDATE_IO_ERROR;
        }
        return MANDATE_OK;
    });
}

mandate_status mandate_engine_restore(mandate_engine* engine, const char* path, char** host, size_t* host_length, char** error) {
    if (host) *host = nullptr;
    if (host_length) *host_length = 0;
    return guarded(error, [&] {
        if (!engine || !path) return invalid(error, "mandate_engine_restore", "engine and path must not be NULL");
        if (busy(engine)) return invalid(error, "mandate_engine_restore", in_callback_message);
        std::string kept;
        try {
            kept = engine->engine.restore(path);
        } catch (const mandate::state_error& e) {
            set_error(error, e.what());
            return MANDATE_STATE_ERROR;
        }
        if (host) {
            *host = copy_text(kept);
            if (!*host) throw std::bad_alloc();
        }
        if (host_length) *host_length = kept.size();
        return MANDATE_OK;
    });
}

// ---------------------------------------------------------------- status changes

mandate_status mandate_engine_subscribe(mandate_engine* engine, mandate_change_callback callback, void* user, int* token) {
    if (token) *token = 0;
    return guarded(nullptr, [&] {
        if (!engine || !callback || !token) return MANDATE_INVALID_ARGUMENT;
        *token = engine->engine.subscribe([engine, callback, user](const mandate::status_change& c) {
            const std::string from = c.span.from_text(), to = c.span.to_text();
            mandate_change out;
            out.outcome = c.outcome ? 1 : 0;
            out.rule = c.rule.c_str();
            out.unit = c.unit ? c.unit->c_str() : nullptr;
            out.from = from.c_str();
            out.to = to.c_str();
            out.before = bucket_status(c.before);
            out.after = bucket_status(c.after);
            out.fired_before = tristate(c.fired_before);
            out.fired_after = tristate(c.fired_after);
            out.final_before = tristate(c.final_before);
            out.final_after = tristate(c.final_after);
            // Counted down even if a C++ callback behind the pointer throws.
            struct depth {
                int& n;
                explicit depth(int& x) : n(x) { ++n; }
                ~depth() { --n; }
            } guard(engine->in_callback);
            callback(&out, user);
        });
        return MANDATE_OK;
    });
}

mandate_status mandate_engine_unsubscribe(mandate_engine* engine, int token) {
    return guarded(nullptr, [&] {
        if (!engine) return MANDATE_INVALID_ARGUMENT;
        engine->engine.unsubscribe(token);
        return MANDATE_OK;
    });
}

mandate_status mandate_engine_set_watch_date(mandate_engine* engine, const char* as_of) {
    return guarded(nullptr, [&] {
        if (!engine || busy(engine)) return MANDATE_INVALID_ARGUMENT;
        std::optional<mandate::calendar::day> day;
        if (as_of) {
            day = mandate::calendar::parse_iso(as_of);
            if (!day) return MANDATE_INVALID_ARGUMENT;
        }
        engine->engine.set_watch_date(day);
        return MANDATE_OK;
    });
}

// ---------------------------------------------------------------- events without JSON

mandate_status mandate_event_new(const char* id, const char* type, const char* time, const char* unit,
                                 mandate_event** event) {
    if (event) *event = nullptr;
    return guarded(nullptr, [&] {
        if (!id || !type || !time || !unit || !event) return MANDATE_INVALID_ARGUMENT;
        *event = new mandate_event(mandate::typed_event(id, type, time, unit));
        return MANDATE_OK;
    });
}

void mandate_event_free(mandate_event* event) { delete event; }

mandate_status mandate_event_set_int(mandate_event* event, const char* field, int64_t value) {
    return set_field(event, field, [&] { return std::optional(mandate::typed_value::integer(value)); });
}

mandate_status mandate_event_set_number(mandate_event* event, const char* field, const char* decimal) {
    return set_field(event, field, [&] { return decimal_value(decimal); });
}

mandate_status mandate_event_set_millionths(mandate_event* event, const char* field, int64_t millionths) {
    return set_field(event, field, [&] { return std::optional(mandate::typed_value::millionths(millionths)); });
}

mandate_status mandate_event_set_bool(mandate_event* event, const char* field, int value) {
    return set_field(event, field, [&] { return std::optional(mandate::typed_value::boolean(value != 0)); });
}

mandate_status mandate_event_set_text(mandate_event* event, const char* field, const char* text) {
    return set_field(event, field, [&] {
        return text ? std::optional(mandate::typed_value::text(text)) : std::optional<mandate::typed_value>();
    });
}

mandate_status mandate_event_set_date(mandate_event* event, const char* field, mandate_date date) {
    return set_field(event, field, [&] { return date_value(date); });
}

mandate_status mandate_event_set_empty(mandate_event* event, const char* field) {
    return set_field(event, field, [&] { return std::optional(mandate::typed_value::set({})); });
}

mandate_status mandate_event_append_int(mandate_event* event, const char* field, int64_t value) {
    return append_member(event, field, [&] { return std::optional(mandate::typed_value::integer(value)); });
}

mandate_status mandate_event_append_number(mandate_event* event, const char* field, const char* decimal) {
    return append_member(event, field, [&] { return decimal_value(decimal); });
}

mandate_status mandate_event_append_bool(mandate_event* event, const char* field, int value) {
    return append_member(event, field, [&] { return std::optional(mandate::typed_value::boolean(value != 0)); });
}

mandate_status mandate_event_append_text(mandate_event* event, const char* field, const char* text) {
    return append_member(event, field, [&] {
        return text ? std::optional(mandate::typed_value::text(text)) : std::optional<mandate::typed_value>();
    });
}

mandate_status mandate_event_append_date(mandate_event* event, const char* field, mandate_date date) {
    return append_member(event, field, [&] { return date_value(date); });
}

mandate_status mandate_event_unset(mandate_event* event, const char* field) {
    return guarded(nullptr, [&] {
        if (!event || !field) return MANDATE_INVALID_ARGUMENT;
        event->event.erase(field);
        return MANDATE_OK;
    });
}

}  // extern "C"
