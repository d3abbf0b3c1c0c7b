// The C interface over the C++ API: no exception crosses it.
#include "mandate.h"

#include <cstdlib>
#include <filesystem>
#include <cstring>
#include <fstream>
#include <new>
#include <string>

#include "mandate/io/report_writer.hpp"
#include "mandate/mandate.hpp"

struct mandate_plan {
    mandate::plan compiled;
};

struct mandate_engine {
    explicit mandate_engine(mandate::plan p) : engine(std::move(p)) {}
    mandate::engine engine;
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

template <class F>
mandate_status guarded(char** error, F&& f) {
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

}  // namespace

extern "C" {

const char* mandate_version(void) { return MANDATE_VERSION; }

void mandate_free(void* text) { std::free(text); }

mandate_status mandate_plan_compile(const char* source, size_t length, const char* name, mandate_plan** plan,
                                    char** error) {
    return guarded(error, [&] {
        if (!plan || (!source && length)) {
            set_error(error, "mandate_plan_compile: plan and source must not be NULL");
            return MANDATE_INVALID_ARGUMENT;
        }
        *plan = nullptr;
        const std::string text(source ? source : "", length);
        const std::string file = name ? name : "<rules>";
        auto compiled = mandate::compile(text, file);
        if (!compiled.ok()) {
            const mandate::source_file src(file, text);
            std::string all;
            for (const auto& d : compiled.diagnostics()) all += mandate::render(d, src);
            set_error(error, all);
            return MANDATE_RULE_ERROR;
        }
        *plan = new mandate_plan{compiled.value()};
        return MANDATE_OK;
    });
}

void mandate_plan_free(mandate_plan* plan) { delete plan; }

const char* mandate_plan_id(const mandate_plan* plan) { return plan ? plan->compiled->model().id.c_str() : ""; }

mandate_status mandate_engine_new(const mandate_plan* plan, mandate_engine** engine) {
    return guarded(nullptr, [&] {
        if (!plan || !engine) return MANDATE_INVALID_ARGUMENT;
        *engine = new mandate_engine(plan->compiled);
        return MANDATE_OK;
    });
}

void mandate_engine_free(mandate_engine* engine) { delete engine; }

mandate_status mandate_engine_add(mandate_engine* engine, const char* json, size_t length, char** error) {
    return guarded(error, [&] {
        if (!engine || (!json && length)) {
            set_error(error, "mandate_engine_add: engine and json must not be NULL");
            return MANDATE_INVALID_ARGUMENT;
        }
        if (engine->engine.add(std::string_view(json ? json : "", length), "<api>") == mandate::add_status::accepted)
            return MANDATE_OK;
        set_error(error, engine->engine.last_error());
        return MANDATE_REJECTED;
    });
}

mandate_status mandate_engine_add_jsonl_file(mandate_engine* engine, const char* path, uint64_t* records, char** error) {
    return guarded(error, [&] {
        if (!engine || !path) {
            set_error(error, "mandate_engine_add_jsonl_file: engine and path must not be NULL");
            return MANDATE_INVALID_ARGUMENT;
        }
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

mandate_status mandate_engine_report_json(mandate_engine* engine, const char* as_of, char** json, char** error) {
    return guarded(error, [&] {
        if (!engine || !as_of || !json) {
            set_error(error, "mandate_engine_report_json: engine, as_of and json must not be NULL");
            return MANDATE_INVALID_ARGUMENT;
        }
        *json = nullptr;
        const auto day = mandate::calendar::parse_iso(as_of);
        if (!day) {
            set_error(error, std::string("as_of must be a date like 2023-12-31, not '") + as_of + "'");
            return MANDATE_INVALID_ARGUMENT;
        }
        *json = copy_text(mandate::io::to_json(engine->engine.evaluate(*day)));
        return *json ? MANDATE_OK : MANDATE_INTERNAL_ERROR;
    });
}

}  // extern "C"
