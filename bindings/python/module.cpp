// The extension module mandate._mandate: thin wrappers over the C++ API, and the one piece of
// its own, turning Python values into typed records (docs/embedding.md, "Python values").
// The package mandate (bindings/python/mandate/) re-exports it.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

#include <simdjson.h>
#include <zlib.h>

#include "mandate/graph/partitions.hpp"
#include "mandate/ingest/csv.hpp"
#include "mandate/report/report_writer.hpp"
#include "mandate/mandate.hpp"

namespace py = pybind11;

namespace {

// What the module needs from other modules, imported once when the module loads (its init
// runs once, under the import lock, before any thread can call in) and kept for the life of the
// process (never released: releasing at exit would run after the interpreter is gone). Not a
// function-local static filled on first use: an import gives up the interpreter lock, and a
// second thread holding that lock would then wait forever on the static's guard.
struct python_types {
    py::handle date, datetime, decimal, json_loads, fspath;
};
python_types types;

void import_types() {
    py::module_ datetime = py::module_::import("datetime");
    types.date = py::object(datetime.attr("date")).release();
    types.datetime = py::object(datetime.attr("datetime")).release();
    types.decimal = py::object(py::module_::import("decimal").attr("Decimal")).release();
    types.json_loads = py::object(py::module_::import("json").attr("loads")).release();
    types.fspath = py::object(py::module_::import("os").attr("fspath")).release();
}

PyObject* rule_error_type = nullptr;  // mandate.RuleError, owned by the module

std::string type_name(py::handle h) { return Py_TYPE(h.ptr())->tp_name; }

// A str as UTF-8. A str that has none (a lone surrogate) raises UnicodeEncodeError, a
// ValueError, rather than a cast error.
std::string utf8(py::handle s) {
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(s.ptr(), &size);
    if (!data) throw py::error_already_set();
    return std::string(data, static_cast<std::size_t>(size));
}

struct plan_handle {
    mandate::plan compiled;
    // The text it was compiled from, and its name: what a worker elsewhere compiles it again from.
    std::shared_ptr<const std::string> source;
    std::string name;
};

// Compiles a rule file's text, or raises mandate.RuleError with every diagnostic rendered
// against the text under `name`.
plan_handle compile_source(const std::string& source, const std::string& name) {
    auto compiled = mandate::compile(source, name);
    if (!compiled.ok()) {
        const mandate::source_file src(name, source);
        std::string text;
        py::list diagnostics;
        for (const auto& d : compiled.diagnostics()) {
            text += mandate::render(d, src);
            diagnostics.append(py::make_tuple(d.pos.line, d.pos.column, d.message));
        }
        py::object error = py::reinterpret_steal<py::object>(PyObject_CallFunction(rule_error_type, "s", text.c_str()));
        if (!error) throw py::error_already_set();
        const auto& first = compiled.diagnostics().front();
        error.attr("line") = first.pos.line;
        error.attr("column") = first.pos.column;
        error.attr("message") = first.message;
        error.attr("diagnostics") = diagnostics;
        PyErr_SetObject(rule_error_type, error.ptr());
        throw py::error_already_set();
    }
    return plan_handle{compiled.value(), std::make_shared<const std::string>(source), name};
}

// Opens the file a host names (a str, bytes or os.PathLike) for reading and returns its path;
// OSError naming it (FileNotFoundError, IsADirectoryError, PermissionError) when it cannot be.
std::string open_input(py::handle path, std::ifstream& in) {
    py::object fs_path = types.fspath(path);
    const std::string file = fs_path.cast<std::string>();
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec)) {
        errno = EISDIR;
        PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, fs_path.ptr());
        throw py::error_already_set();
    }
    errno = 0;
    in.open(file, std::ios::binary);
    if (!in) {
        if (errno == 0) errno = ENOENT;
        PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, fs_path.ptr());
        throw py::error_already_set();
    }
    return file;
}

// A rule file's bytes, at most one past the size limit: enough for compile() to refuse a file
// that is too large with its usual diagnostic, without reading the rest (as the command line
// reads a rule file).
std::string read_rule_file(std::ifstream& in, const std::string& file) {
    const std::size_t limit = mandate::limits{}.max_source_bytes;
    const std::size_t wanted = limit < SIZE_MAX ? limit + 1 : limit;
    std::string text;
    while (text.size() < wanted && in) {
        const std::size_t at = text.size();
        text.resize(at + std::min<std::size_t>(std::size_t{1} << 16, wanted - at));
        in.read(text.data() + at, static_cast<std::streamsize>(text.size() - at));
        text.resize(at + static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad()) {
        PyErr_SetString(PyExc_OSError, ("cannot read " + file).c_str());
        throw py::error_already_set();
    }
    return text;
}

// ---------------------------------------------------------------- dates

bool is_datetime(py::handle v) { return PyObject_IsInstance(v.ptr(), types.datetime.ptr()) == 1; }
bool is_date(py::handle v) { return PyObject_IsInstance(v.ptr(), types.date.ptr()) == 1; }

// A datetime.date (not a datetime) as a day; ValueError outside the supported years.
mandate::calendar::day day_from_date(py::handle v, const std::string& what) {
    const int y = v.attr("year").cast<int>(), m = v.attr("month").cast<int>(), d = v.attr("day").cast<int>();
    if (!mandate::calendar::is_valid(y, m, d))
        throw py::value_error(what + ": " + py::str(v).cast<std::string>() + " is outside the years " +
                              std::to_string(mandate::calendar::min_year) + " to " +
                              std::to_string(mandate::calendar::max_year));
    return mandate::calendar::from_ymd(y, m, d);
}

// "2023-12-31" or a datetime.date.
mandate::calendar::day day_of(py::handle v, const std::string& what) {
    if (py::isinstance<py::str>(v)) {
        const std::string text = v.cast<std::string>();
        const auto d = mandate::calendar::parse_iso(text);
        if (!d) throw py::value_error(what + " must be a date like '2023-12-31', not '" + text + "'");
        return *d;
    }
    if (is_datetime(v)) throw py::type_error(what + " must be a date, not a datetime: pass its .date()");
    if (is_date(v)) return day_from_date(v, what);
    throw py::type_error(what + " must be a str like '2023-12-31' or a datetime.date, not " + type_name(v));
}

py::object date_object(mandate::calendar::day d) {
    const auto ymd = mandate::calendar::to_ymd(d);
    return types.date(ymd.year, ymd.month, ymd.day);
}

// ---------------------------------------------------------------- Python values -> typed records

// A value from Python as the JSON value it stands for. Shapes with no JSON meaning (a mapping,
// bytes, a datetime, NaN) are the caller's mistake: TypeError or ValueError, nothing added.
mandate::typed_value value_of(py::handle v, const std::string& field) {
    using tv = mandate::typed_value;
    if (PyBool_Check(v.ptr())) return tv::boolean(v.ptr() == Py_True);
    if (PyLong_Check(v.ptr())) {
        int overflow = 0;
        const long long x = PyLong_AsLongLongAndOverflow(v.ptr(), &overflow);
        if (overflow == 0) return tv::integer(x);
        return tv::decimal(py::str(v).cast<std::string>());  // exact; the field decides if it fits
    }
    if (PyFloat_Check(v.ptr())) {
        const double x = PyFloat_AsDouble(v.ptr());
        if (!std::isfinite(x)) throw py::value_error("field '" + field + "': " + py::repr(v).cast<std::string>() + " is not a number a record can hold");
        // The shortest decimal that reads back as this float: the digits Python prints, the
        // digits json.dumps writes. A `number` field takes it only with at most 6 fractional
        // digits (0.1 + 0.2 prints 0.30000000000000004 and is rejected), so nothing is rounded.
        char* text = PyOS_double_to_string(x, 'r', 0, 0, nullptr);
        if (!text) throw py::error_already_set();
        std::string s(text);
        PyMem_Free(text);
        if (s.find_first_of(".eE") == std::string::npos) s += ".0";
        return tv::decimal(s);
    }
    if (PyObject_IsInstance(v.ptr(), types.decimal.ptr()) == 1) {
        if (!v.attr("is_finite")().cast<bool>())
            throw py::value_error("field '" + field + "': " + py::repr(v).cast<std::string>() + " is not a number a record can hold");
        const std::string s = py::str(v).cast<std::string>();
        try {
            return tv::decimal(s);
        } catch (const std::invalid_argument&) {
            throw py::value_error("field '" + field + "': Decimal('" + s + "') has no JSON number form");
        }
    }
    if (py::isinstance<py::str>(v)) return tv::text(utf8(v));
    if (is_datetime(v))
        throw py::type_error("field '" + field + "': a datetime cannot be a field value; date fields take a datetime.date");
    if (is_date(v)) return tv::date(day_from_date(v, "field '" + field + "'"));
    if (PyList_Check(v.ptr()) || PyTuple_Check(v.ptr()) || PyAnySet_Check(v.ptr())) {
        std::vector<tv> members;
        for (py::handle m : v) {
            if (m.is_none()) throw py::type_error("field '" + field + "': a set cannot hold None");
            members.push_back(value_of(m, field));
        }
        return tv::set(std::move(members));
    }
    throw py::type_error("field '" + field + "': a " + type_name(v) +
                         " cannot be a field value (int, float, Decimal, bool, str, datetime.date, or a list of them)");
}

// A key of a record dict that must be a str (None or absent: nullopt, or TypeError if required).
std::optional<std::string> text_key(const py::dict& d, const char* key, const char* record, bool required) {
    // `record` names the record for messages: "an event record".
    if (d.contains(key)) {
        py::object v = d[key];
        if (!v.is_none()) {
            if (!py::isinstance<py::str>(v))
                throw py::type_error(std::string("record key '") + key + "' must be a str, not " + type_name(v));
            return utf8(v);
        }
    }
    if (required) throw py::type_error(std::string(record) + " needs '" + key + "'");
    return std::nullopt;
}

std::optional<mandate::calendar::day> date_key(const py::dict& d, const char* key) {
    if (!d.contains(key)) return std::nullopt;
    py::object v = d[key];
    if (v.is_none()) return std::nullopt;
    return day_of(v, std::string("record key '") + key + "'");
}

mandate::typed_entity entity_of(const py::dict& d) {
    mandate::typed_entity e;
    e.id = *text_key(d, "entity", "an entity record", true);
    e.kind = *text_key(d, "kind", "an entity record", true);
    e.parent = text_key(d, "parent", "an entity record", false);
    e.name = text_key(d, "name", "an entity record", false);
    e.since = date_key(d, "since");
    e.until = date_key(d, "until");
    if (d.contains("version")) {
        py::object v = d["version"];
        if (!v.is_none()) {
            if (PyBool_Check(v.ptr()) || !PyLong_Check(v.ptr()))
                throw py::type_error("record key 'version' must be an int, not " + type_name(v));
            int overflow = 0;
            e.version = PyLong_AsLongLongAndOverflow(v.ptr(), &overflow);
            if (overflow) throw py::value_error("record key 'version' is out of range");
        }
    }
    // The kind's fields (LANGUAGE-v2.md section 1): every other key, typed as an event's.
    for (auto [key, value] : d) {
        const std::string name = utf8(key);
        if (mandate::check::is_entity_key(name) || value.is_none()) continue;
        e.set(name, value_of(value, name));
    }
    return e;
}

// A waiver (LANGUAGE-v2.md section 8): {"waiver", "obligation", "unit", "period", "extend_to"
// or "excuse": True, "reason", "approved_by"}.
mandate::typed_waiver waiver_of(const py::dict& d) {
    mandate::typed_waiver w;
    w.id = *text_key(d, "waiver", "a waiver", true);
    w.obligation = *text_key(d, "obligation", "a waiver", true);
    w.unit = text_key(d, "unit", "a waiver", false);
    const auto period = date_key(d, "period");
    if (!period) throw py::type_error("a waiver needs 'period'");
    w.period = *period;
    w.extend_to = date_key(d, "extend_to");
    if (d.contains("excuse") && !d["excuse"].is_none()) {
        py::object x = d["excuse"];
        if (!PyBool_Check(x.ptr())) throw py::type_error("record key 'excuse' must be True, not " + type_name(x));
        if (!x.cast<bool>()) throw py::value_error("record key 'excuse' must be True (a waiver that only extends has 'extend_to')");
        w.excuse = true;
    }
    w.reason = text_key(d, "reason", "a waiver", false);
    w.approved_by = text_key(d, "approved_by", "a waiver", false);
    return w;
}

mandate::typed_event event_of(const py::dict& d) {
    const std::string id = *text_key(d, "id", "an event record", true);
    const std::string type = *text_key(d, "type", "an event record", true);
    const std::string unit = *text_key(d, "unit", "an event record", true);
    std::string time;
    if (!d.contains("time") || d["time"].is_none()) throw py::type_error("an event record needs 'time'");
    py::object t = d["time"];
    if (py::isinstance<py::str>(t)) {
        time = utf8(t);
    } else if (is_date(t)) {  // a datetime without tzinfo is local time in the plan's zone
        time = t.attr("isoformat")().cast<std::string>();
    } else {
        throw py::type_error("record key 'time' must be a str, a datetime.date or a datetime.datetime, not " + type_name(t));
    }
    mandate::typed_event e(id, type, time, unit);
    for (auto [key, value] : d) {
        const std::string name = utf8(key);
        if (name == "id" || name == "type" || name == "time" || name == "unit" || value.is_none()) continue;
        e.set(name, value_of(value, name));
    }
    return e;
}

// ---------------------------------------------------------------- the engine

struct change_object {
    bool outcome = false;
    std::string rule;
    std::optional<std::string> unit;
    std::string from, to;
    std::optional<std::string> before, after;
    std::optional<bool> fired_before, fired_after, final_before, final_after;
};

change_object change_of(const mandate::status_change& c) {
    change_object x;
    x.outcome = c.outcome;
    x.rule = c.rule;
    x.unit = c.unit;
    x.from = c.span.from_text();
    x.to = c.span.to_text();
    if (c.before) x.before = mandate::to_string(*c.before);
    if (c.after) x.after = mandate::to_string(*c.after);
    x.fired_before = c.fired_before;
    x.fired_after = c.fired_after;
    x.final_before = c.final_before;
    x.final_after = c.final_after;
    return x;
}

// The callbacks an engine's on_change() registered, by token, kept in the engine object's own
// dictionary (created on first use).
py::dict callbacks_of(py::object engine_object) {
    py::dict d = engine_object.attr("__dict__");
    if (!d.contains("_callbacks")) d["_callbacks"] = py::dict();
    return d["_callbacks"];
}

class py_engine {
public:
    py_engine(const plan_handle& p, mandate::engine_options options) : plan(p), engine(p.compiled, options) {}

    plan_handle plan;
    mandate::engine engine;
    std::optional<mandate::calendar::day> watch_date;
    int in_callback = 0;
    // The first exception a callback raised during the current call, raised when it returns.
    std::optional<py::error_already_set> pending;

    void check_not_busy(const char* what) const {
        if (in_callback > 0) throw std::runtime_error(std::string("Engine.") + what + "() cannot be called from an on_change callback");
    }

    void raise_pending() {
        if (!pending) return;
        py::error_already_set e = std::move(*pending);
        pending.reset();
        throw e;
    }

    bool add(py::handle record, const std::string& source, std::uint64_t line) {
        check_not_busy("add");
        mandate::add_status s;
        if (py::isinstance<py::str>(record)) {
            s = engine.add(utf8(record), source, line);
        } else if (py::isinstance<py::bytes>(record)) {
            // A line as a file holds it: not valid UTF-8 is the engine's rejection, as in a file.
            s = engine.add(std::string_view(record.cast<py::bytes>()), source, line);
        } else if (py::isinstance<py::dict>(record)) {
            const auto d = py::reinterpret_borrow<py::dict>(record);
            for (auto item : d)
                if (!py::isinstance<py::str>(item.first))
                    throw py::type_error("record keys must be str, not " + type_name(item.first));
            // The same order as for JSON records: a retraction, an entity, an event.
            if (d.contains("retract")) s = engine.retract(*text_key(d, "retract", "a retraction", true), source, line);
            else if (d.contains("entity")) s = engine.add(entity_of(d), source, line);
            else if (d.contains("waiver")) s = engine.add(waiver_of(d), source, line);
            else if (d.contains("id")) s = engine.add(event_of(d), source, line);
            else throw py::type_error("a record needs 'entity', 'id' (an event), 'waiver' or 'retract'");
        } else {
            throw py::type_error("a record is a dict, a JSON str or JSON bytes, not " + type_name(record));
        }
        raise_pending();
        return s == mandate::add_status::accepted;
    }
};

// ---------------------------------------------------------------- mandate.dask's first pass

// The first pass of mandate.dask over a block of JSON Lines, parsing each line once with
// simdjson rather than Python's json: the block's lines as an engine reads them (a byte order
// mark at the file's start dropped, a CR before the LF part of the line end, blank lines no
// record), and for each record what routing needs. Returns (lines in the block, entities
// [(entity, kind, parent, version)], facts [(line index, None, None, what, key, unit, texts)],
// ids: `buckets` lists of (id, unit, retraction?) by zlib's crc32 of the id, as Python's
// zlib.crc32 buckets the ids of CSV files). `what`: "r" a retraction of `key`, "e" an entity
// record of `key`, "i" an event or waiver with id `key`, "-" no JSON object. `texts`: the text
// values (and text members of lists) of the keys not in `skip`, which may name units. Where a
// key is given twice the first counts (the engine rejects such a record wherever it goes).
py::tuple scan_jsonl(std::string_view data, bool file_start, std::size_t buckets, const std::vector<std::string>& skip) {
    if (buckets == 0) throw py::value_error("buckets must be at least 1");
    if (file_start && data.substr(0, 3) == "\xEF\xBB\xBF") data.remove_prefix(3);
    simdjson::dom::parser parser;
    py::list entities, facts, ids;
    std::vector<py::list> bucket(buckets);
    for (auto& b : bucket) ids.append(b);
    const py::object none = py::none();
    const py::str r_what("r"), e_what("e"), i_what("i"), no_record("-");
    const py::tuple no_texts;
    auto text = [](std::string_view v) { return py::str(v.data(), v.size()); };
    auto id_bucket = [&](std::string_view id) {
        return static_cast<std::size_t>(crc32(0L, reinterpret_cast<const Bytef*>(id.data()), static_cast<uInt>(id.size()))) % buckets;
    };
    auto string_at = [](const simdjson::dom::object& o, std::string_view key, std::string_view& out) {
        return o.at_key(key).get_string().get(out) == simdjson::SUCCESS;
    };
    std::size_t count = 0;
    std::size_t at = 0;
    while (at < data.size()) {
        std::size_t end = data.find('\n', at);
        if (end == std::string_view::npos) end = data.size();
        std::string_view line = data.substr(at, end - at);
        at = end + 1;
        const std::size_t n = count++;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
        simdjson::dom::object o;
        if (parser.parse(line.data(), line.size(), true).get_object().get(o) != simdjson::SUCCESS) {
            facts.append(py::make_tuple(n, none, none, no_record, none, none, no_texts));
            continue;
        }
        std::string_view key, unit;
        if (o.at_key("retract").error() != simdjson::NO_SUCH_FIELD) {
            const bool is_text = string_at(o, "retract", key);
            if (is_text) bucket[id_bucket(key)].append(py::make_tuple(text(key), none, true));
            facts.append(py::make_tuple(n, none, none, r_what, is_text ? py::object(text(key)) : none, none, no_texts));
        } else if (o.at_key("entity").error() != simdjson::NO_SUCH_FIELD) {
            const bool is_text = string_at(o, "entity", key);
            if (is_text) {
                std::string_view kind, parent;
                std::int64_t version = 0;  // a version that is no whole number: 0, as Python's json reads it
                simdjson::dom::element v;
                if (o.at_key("version").get(v) == simdjson::SUCCESS && v.get_int64().get(version) != simdjson::SUCCESS)
                    version = 0;
                entities.append(py::make_tuple(text(key), string_at(o, "kind", kind) ? py::object(text(kind)) : none,
                                               string_at(o, "parent", parent) ? py::object(text(parent)) : none, version));
            }
            facts.append(py::make_tuple(n, none, none, e_what, is_text ? py::object(text(key)) : none, none, no_texts));
        } else {
            const bool waiver = o.at_key("waiver").error() != simdjson::NO_SUCH_FIELD;
            const bool is_text = string_at(o, waiver ? "waiver" : "id", key);
            const bool has_unit = string_at(o, "unit", unit);
            if (is_text) bucket[id_bucket(key)].append(py::make_tuple(text(key), has_unit ? py::object(text(unit)) : none, false));
            py::list texts;
            for (const auto field : o) {
                if (std::find(skip.begin(), skip.end(), field.key) != skip.end()) continue;
                std::string_view v;
                simdjson::dom::array members;
                if (field.value.get_string().get(v) == simdjson::SUCCESS) {
                    texts.append(text(v));
                } else if (field.value.get_array().get(members) == simdjson::SUCCESS) {
                    for (const simdjson::dom::element member : members)
                        if (member.get_string().get(v) == simdjson::SUCCESS) texts.append(text(v));
                }
            }
            facts.append(py::make_tuple(n, none, none, i_what, is_text ? py::object(text(key)) : none,
                                        has_unit ? py::object(text(unit)) : none, py::tuple(texts)));
        }
    }
    return py::make_tuple(count, entities, facts, ids);
}

mandate::calendar::day report_day(py::handle as_of) { return day_of(as_of, "as_of"); }

// ---------------------------------------------------------------- reports

// A report as the engine made it, kept whole (its rows, accounting, the compiled plan and the
// registry's unit names) for the writers; immutable, so shared by its Python copies.
struct report_object {
    std::shared_ptr<const mandate::report> r;
};

report_object evaluate(py_engine& e, py::handle as_of) {
    return report_object{std::make_shared<const mandate::report>(e.engine.evaluate(report_day(as_of)))};
}

// The mandate.report/1 contract as Python objects: numbers exact (int or Decimal).
py::object report_dict(const std::string& json) { return types.json_loads(json, py::arg("parse_float") = types.decimal); }

// "zh" or "en" (also "zh-CN", "en-US", ...), as the command line's --lang.
mandate::io::language language_of(py::handle lang) {
    if (!py::isinstance<py::str>(lang)) throw py::type_error("lang must be a str, 'zh' or 'en', not " + type_name(lang));
    const std::string tag = utf8(lang);
    const auto l = mandate::io::parse_language(tag);
    if (!l) throw py::value_error("lang must be 'zh' or 'en', not '" + tag + "'");
    return *l;
}

std::optional<std::string> optional_text(py::handle v, const char* what) {
    if (v.is_none()) return std::nullopt;
    if (!py::isinstance<py::str>(v)) throw py::type_error(std::string(what) + " must be a str or None, not " + type_name(v));
    return utf8(v);
}

template <class Write>
std::string written(Write write) {
    std::ostringstream out;
    write(out);
    return out.str();
}

// What `mandate explain` prints for the same choice: the rule's heading, then each bucket of
// the unit (the one `period` names, when it names one), each after a blank line.
std::string explain_text(const mandate::report& r, py::handle obligation, py::handle outcome, py::handle unit_arg,
                         py::handle period, py::handle lang_arg) {
    const auto obligation_id = optional_text(obligation, "obligation");
    const auto outcome_id = optional_text(outcome, "outcome");
    if (obligation_id.has_value() == outcome_id.has_value())
        throw py::type_error("explain() takes exactly one of obligation= and outcome=");
    const auto unit = optional_text(unit_arg, "unit");
    const mandate::io::language lang = language_of(lang_arg);
    const mandate::check::plan& model = r.compiled->model();
    // Obligations and outcomes are separate namespaces: each argument looks in its own.
    const int rule = obligation_id ? model.find_obligation(*obligation_id) : model.find_outcome(*outcome_id);
    if (rule < 0)
        throw py::value_error(mandate::io::no_such_rule(model, !obligation_id, obligation_id ? *obligation_id : *outcome_id));
    const mandate::check::rule& rr = model.rules[static_cast<std::size_t>(rule)];
    if (!unit && !rr.var.empty())
        throw py::value_error("'" + rr.id + "' is judged for each unit (each " + rr.var + "): give unit=");
    std::optional<mandate::bucket_selector> named;
    if (!period.is_none()) {
        if (py::isinstance<py::str>(period)) {
            const std::string text = utf8(period);
            named = mandate::parse_bucket_selector(text);
            if (!named)
                throw py::value_error("period must be a date (2023-04-15), a period (2023-04-01..2023-04-30) or a month "
                                      "(2023-04), not '" + text + "'");
        } else if (is_date(period) && !is_datetime(period)) {
            named = mandate::bucket_selector::on(day_from_date(period, "period"));
        } else {
            throw py::type_error("period must be a str, a datetime.date or None, not " + type_name(period));
        }
    }
    // As the command line chooses and writes them (a rule without `each` has rows of no unit,
    // chosen by unit=None); several buckets named by `period` is an error.
    try {
        return mandate::io::explain_unit(r, rule, unit, named, lang);
    } catch (const std::invalid_argument& e) {
        throw py::value_error(e.what());
    }
}

}  // namespace

PYBIND11_MODULE(_mandate, m) {
    m.doc() = R"pbdoc(The compiled part of the mandate package; import mandate instead.)pbdoc";
    m.attr("__version__") = MANDATE_VERSION;
    import_types();

    rule_error_type = PyErr_NewExceptionWithDoc(
        "mandate.RuleError",
        "A rule file does not compile. str(e) renders every diagnostic with the source line and a\n"
        "caret; .line, .column and .message locate and state the first; .diagnostics lists them\n"
        "all as (line, column, message).",
        PyExc_ValueError, nullptr);
    if (!rule_error_type) throw py::error_already_set();
    m.attr("RuleError") = py::handle(rule_error_type);
    auto& state_error = py::register_exception<mandate::state_error>(m, "StateError", PyExc_OSError);
    state_error.doc() = "A saved state cannot be written, or cannot be restored: not a state file, another format or plan\n"
                        "revision, truncated or corrupted. str(e) says which.";

    py::class_<plan_handle>(m, "Plan", R"pbdoc(
        A compiled plan: immutable, shared by any number of engines and threads. Made by
        mandate.compile().
    )pbdoc")
        .def_property_readonly("id", [](const plan_handle& p) { return p.compiled->model().id; },
                               R"pbdoc(The plan's id, e.g. "goutang_antifraud_2023".)pbdoc")
        .def_property_readonly("revision", [](const plan_handle& p) { return p.compiled->revision(); },
                               R"pbdoc(SHA-256 of the rule file, in hex: reports carry it.)pbdoc")
        .def_property_readonly(
            "obligations",
            [](const plan_handle& p) {
                std::vector<std::string> out;
                for (const auto& r : p.compiled->model().rules)
                    if (!r.outcome) out.push_back(r.id);
                return out;
            },
            R"pbdoc(The obligation ids, in file order.)pbdoc")
        .def_property_readonly(
            "outcomes",
            [](const plan_handle& p) {
                std::vector<std::string> out;
                for (const auto& r : p.compiled->model().rules)
                    if (r.outcome) out.push_back(r.id);
                return out;
            },
            R"pbdoc(The outcome ids, in file order.)pbdoc")
        .def_property_readonly("source", [](const plan_handle& p) { return *p.source; },
                               R"pbdoc(The rule file's text the plan was compiled from.)pbdoc")
        .def_property_readonly("name", [](const plan_handle& p) { return p.name; },
                               R"pbdoc(The name it was compiled under (compile()'s `name`, compile_file()'s path).)pbdoc")
        .def_property_readonly(
            "event_types",
            [](const plan_handle& p) {
                std::vector<std::string> out;
                for (const auto& t : p.compiled->model().events) out.push_back(t.id);
                return out;
            },
            R"pbdoc(The event type ids, in file order.)pbdoc")
        .def("dot", [](const plan_handle& p) { return p.compiled->to_dot(); },
             R"pbdoc(The evaluation graph as Graphviz DOT text.)pbdoc")
        .def_property_readonly(
            "kinds",
            [](const plan_handle& p) {
                const auto& m = p.compiled->model();
                py::list out;
                for (const auto& k : m.kinds) {
                    py::list parents, fields;
                    for (const int parent : k.parents) parents.append(m.kinds[static_cast<std::size_t>(parent)].id);
                    for (const auto& f : k.fields) fields.append(f.id);
                    py::dict d;
                    d["id"] = k.id;
                    d["parents"] = parents;
                    d["fields"] = fields;
                    out.append(d);
                }
                return out;
            },
            R"pbdoc(The plan's kinds of units, in file order: {"id", "parents" (the kinds it may be
            within; [] for a root kind), "fields" (what its registry records carry)}.)pbdoc")
        .def_property_readonly(
            "partitions",
            [](const plan_handle& p) {
                const auto& m = p.compiled->model();
                const auto a = mandate::graph::analyse_partitions(*p.compiled);
                py::list levels;
                for (const auto& l : a.levels) {
                    py::list under;
                    for (const int k : l.under) under.append(m.kinds[static_cast<std::size_t>(k)].id);
                    py::dict d;
                    d["kind"] = m.kinds[static_cast<std::size_t>(l.kind)].id;
                    d["splits"] = l.splits;
                    d["reason"] = l.splits ? py::object(py::none()) : py::object(py::str(l.reason));
                    d["under"] = under;
                    levels.append(d);
                }
                py::dict out;
                out["finest"] = a.finest < 0 ? py::object(py::none()) : py::object(py::str(m.kinds[static_cast<std::size_t>(a.finest)].id));
                out["refused"] = py::cast(a.finer_refused);
                out["levels"] = levels;
                return out;
            },
            R"pbdoc(Where the unit hierarchy can be split for evaluation in parts (mandate graph
            --partitions): {"finest": the finest kind that splits, or None (the plan is evaluated
            whole), "refused": why the kinds just under it (or the root kinds) do not, "levels":
            per kind {"kind", "splits", "reason" (None when it splits), "under" (the kinds whose
            every unit lies under one of it)}}.)pbdoc")
        .def("__repr__", [](const plan_handle& p) { return "<mandate.Plan " + p.compiled->model().id + ">"; });

    m.def(
        "compile", [](const std::string& source, const std::string& name) { return compile_source(source, name); },
        py::arg("source"), py::arg("name") = "<rules>",
        R"pbdoc(
        Parses, checks and compiles a rule file's text; `name` labels diagnostics
        ("name:line:column"). Returns a Plan, or raises mandate.RuleError with .line, .column,
        .message and .diagnostics. Safe to call from any thread.
    )pbdoc");

    m.def(
        "compile_file",
        [](py::object path) {
            std::ifstream in;
            const std::string file = open_input(path, in);
            return compile_source(read_rule_file(in, file), file);
        },
        py::arg("path"),
        R"pbdoc(
        Reads a rule file (a str or os.PathLike) and compiles it as compile() does, its
        diagnostics labelled by the path ("path:line:column"): the Plan the command line's
        `mandate check PATH` evaluates, with the same revision (the SHA-256 of the file's
        bytes). Raises mandate.RuleError when the file does not compile, OSError when it cannot
        be read.
    )pbdoc");

    m.def(
        "_scan_jsonl",
        [](py::bytes block, bool file_start, std::size_t buckets, const std::vector<std::string>& skip) {
            return scan_jsonl(std::string_view(block), file_start, buckets, skip);
        },
        py::arg("block"), py::arg("file_start"), py::arg("buckets"), py::arg("skip"),
        R"pbdoc(
        mandate.dask's first pass over a block of JSON Lines (internal): (lines, entities, facts,
        ids); see scan_jsonl in module.cpp.
    )pbdoc");

    m.def(
        "csv_records",
        [](const plan_handle& p, py::object path, std::optional<std::string> type) {
            const mandate::check::plan& model = p.compiled->model();
            if (type && model.find_event(*type) < 0) throw py::value_error("the plan has no event type '" + *type + "'");
            std::ifstream in;
            const std::string file = open_input(path, in);
            py::list out;
            try {
                mandate::io::csv_reader reader(in, mandate::limits{}.max_record_bytes);
                mandate::io::csv_row row;
                if (!reader.next(row)) return out;
                auto where = [&](std::uint64_t line) { return file + ":" + std::to_string(line) + ": "; };
                if (!row.error.empty()) throw py::value_error(where(row.line) + "the header row: " + row.error);
                const std::vector<std::string> header(row.cells.begin(), row.cells.end());
                const mandate::io::csv_layout layout(model, std::vector<std::string_view>(header.begin(), header.end()),
                                                     type.value_or(""));
                if (!layout.error().empty()) throw py::value_error(where(row.line) + layout.error());
                std::string json, why;
                while (reader.next(row)) {
                    why = row.error;
                    if (why.empty() && layout.to_json(row.cells, json, why))
                        out.append(py::make_tuple(row.line, py::str(json), py::none()));
                    else
                        out.append(py::make_tuple(row.line, py::none(), py::str(why)));
                }
            } catch (const py::builtin_exception&) {
                throw;
            } catch (const std::runtime_error&) {
                PyErr_SetString(PyExc_OSError, ("error reading " + file).c_str());
                throw py::error_already_set();
            }
            return out;
        },
        py::arg("plan"), py::arg("path"), py::arg("type") = py::none(),
        R"pbdoc(
        Each row of a CSV file as Engine.add_csv() reads it, for a host that routes records
        before an engine takes them (mandate.dask): a list of (line, record, reason), `line` the
        row's first line; `record` the JSON text (str) the row stands for, which add() takes as
        add_csv() would, or None when the row is none (cut short, a cell that does not fit its
        column), and then `reason` says why, for add_unreadable(). Raises ValueError when
        `type` is no event type of the plan or the header cannot be used, OSError when the file
        cannot be read.
    )pbdoc");

    py::class_<report_object>(m, "Report", R"pbdoc(
        A report as of a date, as Engine.evaluate() made it: immutable, kept whole (its rows, the
        accounting of the records read, the plan and the registry's unit names), and written as
        the command line writes it. to_dict() gives what Engine.report() gives.
    )pbdoc")
        .def_property_readonly("plan", [](const report_object& x) { return x.r->plan; }, R"pbdoc(The plan's id.)pbdoc")
        .def_property_readonly("revision", [](const report_object& x) { return x.r->revision; },
                               R"pbdoc(SHA-256 of the rule file, in hex.)pbdoc")
        .def_property_readonly("as_of", [](const report_object& x) { return date_object(x.r->as_of); },
                               R"pbdoc(The date the report is as of, a datetime.date.)pbdoc")
        .def(
            "unit_name",
            [](const report_object& x, py::object id) -> py::object {
                if (!py::isinstance<py::str>(id)) throw py::type_error("id must be a str, not " + type_name(id));
                const std::string* name = x.r->name_of(utf8(id));
                return name ? py::object(py::str(*name)) : py::none();
            },
            py::arg("id"),
            R"pbdoc(
        The name the registry gives the entity `id` (its record's `name`, of the version that
        stands), as the table and the HTML page show it; None when it has none.
    )pbdoc")
        .def(
            "to_dict", [](const report_object& x) { return report_dict(mandate::io::to_json(*x.r)); },
            R"pbdoc(
        The mandate.report/1 contract as dicts and lists, as Engine.report() gives it: dates as
        "YYYY-MM-DD", whole numbers as int, others as decimal.Decimal.
    )pbdoc")
        .def(
            "to_json", [](const report_object& x) { return mandate::io::to_json(*x.r); },
            R"pbdoc(The mandate.report/1 JSON text: byte for byte `mandate check --format json`.)pbdoc")
        .def(
            "to_csv",
            [](const report_object& x, bool raw) {
                mandate::io::csv_options options;
                options.raw = raw;
                return written([&](std::ostream& out) { mandate::io::write_csv(*x.r, out, options); });
            },
            py::kw_only(), py::arg("raw") = false,
            R"pbdoc(
        One line per obligation and outcome bucket, then one per unresolved entity, under a
        header row: byte for byte `mandate check --format csv`. A text cell starting with =, +,
        -, @, a tab or a carriage return gets a leading ' so a spreadsheet shows it rather than
        runs it; raw=True leaves cells as they are (--csv-raw).
    )pbdoc")
        .def(
            "to_table",
            [](const report_object& x, py::object lang, std::size_t width, bool colour, std::size_t max_details) {
                mandate::io::table_options options;
                options.lang = language_of(lang);
                if (width < 40) throw py::value_error("width must be 40 columns or more, not " + std::to_string(width));
                options.width = width;
                options.colour = colour;
                options.max_details = max_details;
                return written([&](std::ostream& out) { mandate::io::write_table(*x.r, out, options); });
            },
            py::arg("lang") = "zh", py::kw_only(), py::arg("width") = 100, py::arg("colour") = false,
            py::arg("max_details") = 12,
            R"pbdoc(
        The report for people at a terminal: per obligation and outcome a grid of units by
        periods, the violated and at-risk buckets with their evidence in words, the outcomes
        fired, and the accounting of the records read. Byte for byte `mandate check --format
        table --lang LANG --width WIDTH` (colour=True: with --color, ANSI colours). `lang` is
        "zh" (the default) or "en", else ValueError; lines keep to `width` columns (40 or more,
        else ValueError); max_details caps the buckets listed per obligation.
    )pbdoc")
        .def(
            "to_html",
            [](const report_object& x, py::object lang) {
                mandate::io::html_options options;
                options.lang = language_of(lang);
                return written([&](std::ostream& out) { mandate::io::write_html(*x.r, out, options); });
            },
            py::arg("lang") = "zh",
            R"pbdoc(
        A self-contained HTML page (no network assets): a summary, a heat map of units by
        periods per obligation and outcome, the violations with their evidence and cited clause,
        and the accounting of the records read. Byte for byte `mandate check --format html
        --lang LANG`; `lang` is "zh" (the default) or "en", else ValueError.
    )pbdoc")
        .def(
            "to_xlsx",
            [](const report_object& x, py::object path, py::object lang) {
                mandate::io::xlsx_options options;
                options.lang = language_of(lang);
                const std::string file = py::str(py::module_::import("os").attr("fspath")(path));
                try {
                    mandate::io::write_xlsx(*x.r, file, options);
                } catch (const std::runtime_error& e) {  // the file could not be written
                    PyErr_SetString(PyExc_OSError, e.what());
                    throw py::error_already_set();
                }
            },
            py::arg("path"), py::arg("lang") = "zh",
            R"pbdoc(
        Writes the Excel workbook to `path` (a str or path-like; created or replaced whole): a
        summary sheet, a sheet per obligation and outcome with its units by periods grid, the
        violations with their evidence and clause, and the records read. The same bytes as
        `mandate check ... -o PATH --lang LANG`; `lang` is "zh" (the default) or "en".
    )pbdoc")
        .def(
            "explain",
            [](const report_object& x, py::object obligation, py::object outcome, py::object unit, py::object period,
               py::object lang) { return explain_text(*x.r, obligation, outcome, unit, period, lang); },
            py::arg("obligation") = py::none(), py::kw_only(), py::arg("outcome") = py::none(),
            py::arg("unit") = py::none(), py::arg("period") = py::none(), py::arg("lang") = "zh",
            R"pbdoc(
        In plain words, what a rule asks and why each bucket of a unit has its status: the text
        `mandate explain --obligation ID | --outcome ID --unit UNIT [--period P] --lang LANG`
        prints. Give exactly one of `obligation` and `outcome` (else TypeError); `unit` is the
        entity id (None only for a rule without `each`); `period` names one bucket as a date
        ("2023-04-15" or a datetime.date: the bucket holding it), a period
        ("2023-04-01..2023-04-30") or a month ("2023-04"). Raises ValueError for a rule the
        plan lacks, a period that is none of these or names several buckets, and a `lang`
        other than "zh" (the default) and "en".
    )pbdoc")
        .def("__repr__", [](const report_object& x) {
            return "<mandate.Report " + x.r->plan + " as of " + mandate::calendar::to_iso(x.r->as_of) + ": " +
                   std::to_string(x.r->results.size()) + " results, " + std::to_string(x.r->outcomes.size()) + " outcomes>";
        });

    py::class_<change_object>(m, "StatusChange", R"pbdoc(
        One bucket whose state changed, as passed to an Engine.on_change callback.
    )pbdoc")
        .def_readonly("outcome", &change_object::outcome, R"pbdoc(True for an outcome bucket, False for an obligation bucket.)pbdoc")
        .def_readonly("rule", &change_object::rule, R"pbdoc(The obligation's or outcome's id.)pbdoc")
        .def_readonly("unit", &change_object::unit, R"pbdoc(The entity id, or None for a rule without `each`.)pbdoc")
        .def_property_readonly(
            "period", [](const change_object& c) { return py::dict(py::arg("from") = c.from, py::arg("to") = c.to); },
            R"pbdoc(The bucket's period as in reports: {"from": "2023-04-01", "to": "2023-04-30"}.)pbdoc")
        .def_readonly("before", &change_object::before,
                      R"pbdoc(Obligations: "pending", "satisfied", "violated", "excused", or None when the bucket is new.)pbdoc")
        .def_readonly("after", &change_object::after,
                      R"pbdoc(Obligations: the state now, or None when the bucket no longer exists.)pbdoc")
        .def_readonly("fired_before", &change_object::fired_before, R"pbdoc(Outcomes: whether it had fired (None: new).)pbdoc")
        .def_readonly("fired_after", &change_object::fired_after, R"pbdoc(Outcomes: whether it fires now (None: gone).)pbdoc")
        .def_readonly("final_before", &change_object::final_before, R"pbdoc(Outcomes: whether it was final (None: new).)pbdoc")
        .def_readonly("final_after", &change_object::final_after, R"pbdoc(Outcomes: whether it is final now (None: gone).)pbdoc")
        .def("__repr__", [](const change_object& c) {
            auto state = [&](const std::optional<std::string>& s, const std::optional<bool>& fired) -> std::string {
                if (!c.outcome) return s.value_or("None");
                return fired ? (*fired ? "fired" : "not fired") : "None";
            };
            return "<mandate.StatusChange " + c.rule + " " + c.unit.value_or("-") + " " + c.from + ".." + c.to + ": " +
                   state(c.before, c.fired_before) + " -> " + state(c.after, c.fired_after) + ">";
        });

    // dynamic_attr: an instance dictionary, and with it the garbage collector's view of what an
    // engine holds. Callbacks live there (see on_change), so a callback that refers to its own
    // engine makes a cycle the collector can free.
    py::class_<py_engine>(m, "Engine", py::dynamic_attr(), R"pbdoc(
        All evaluation state for one plan: the records added so far and the indexes over them.
        Use one engine from one thread at a time; give each thread its own engine over a shared
        Plan. A report depends only on the set of records added and the as-of date.
    )pbdoc")
        .def(py::init([](const plan_handle& p, bool evidence, std::size_t evidence_limit, unsigned threads,
                         std::size_t block_bytes) {
                 mandate::engine_options options;
                 options.evidence = evidence;
                 options.evidence_limit = evidence_limit;
                 options.threads = threads;
                 options.block_bytes = block_bytes;
                 return std::make_unique<py_engine>(p, options);
             }),
             py::arg("plan"), py::kw_only(), py::arg("evidence") = true, py::arg("evidence_limit") = 20,
             py::arg("threads") = 0, py::arg("block_bytes") = std::size_t{1} << 20,
             R"pbdoc(
        An engine over `plan`. evidence=False leaves evidence out of reports (faster bulk
        runs); evidence_limit caps the event ids and missing entities listed per row.
        add_jsonl() and add_csv() parse records on `threads` threads (0: one per core) in
        blocks of about `block_bytes` bytes; the engine ends the same whatever the two are.
    )pbdoc")
        .def_property_readonly("plan", [](const py_engine& e) { return e.plan; }, R"pbdoc(The Plan this engine evaluates.)pbdoc")
        .def(
            "add", [](py_engine& e, py::object record, const std::string& source, std::uint64_t line) {
                return e.add(record, source, line);
            },
            py::arg("record"), py::arg("source") = "", py::arg("line") = 0,
             R"pbdoc(
        Adds one record: a dict of Python values (see "Python values" in docs/embedding.md), or
        a JSON object as str or bytes (bytes as a line of a file: not valid UTF-8 is a
        rejection, as it is in a file). Returns True when accepted, False when rejected (the reason is in
        last_error; the record is still counted and listed in reports with `source` and `line`).
        A dict whose shape is wrong (a key that must be a str is not, a value no record can hold)
        raises TypeError or ValueError and adds nothing. Raises the first exception an on_change
        callback raised while the record was added.
    )pbdoc")
        .def(
            "add_many",
            [](py_engine& e, py::iterable records, const std::string& source) {
                e.check_not_busy("add_many");
                // A str (or bytes) is iterable, one character at a time: it would add each
                // character as a record. It is one record, for add().
                if (py::isinstance<py::str>(records) || py::isinstance<py::bytes>(records) ||
                    PyByteArray_Check(records.ptr()))
                    throw py::type_error("add_many() takes an iterable of records, not a " + type_name(records) +
                                         ": pass one record to add()");
                std::size_t accepted = 0;
                std::uint64_t line = 0;
                for (py::handle r : records) accepted += e.add(r, source, ++line) ? 1 : 0;
                return accepted;
            },
            py::arg("records"), py::arg("source") = "",
            R"pbdoc(
        Adds each record of an iterable (dicts or JSON strs, as add() takes them), numbering them
        1, 2, ... as their line in rejections. Returns how many were accepted. A str, bytes or
        bytearray raises TypeError and adds nothing (it is one record, not an iterable of them).
        An error raised for one record (its TypeError, a callback's exception) stops the loop
        there: the records before it stay added.
    )pbdoc")
        .def(
            "add_jsonl",
            [](py_engine& e, py::object path, std::optional<std::string> source) {
                e.check_not_busy("add_jsonl");
                std::ifstream in;
                const std::string file = open_input(path, in);
                std::uint64_t n = 0;
                try {
                    n = e.engine.add_jsonl(in, source ? *source : file);
                } catch (const std::runtime_error& error) {
                    PyErr_SetString(PyExc_OSError, error.what());
                    throw py::error_already_set();
                }
                e.raise_pending();
                return n;
            },
            py::arg("path"), py::arg("source") = py::none(),
            R"pbdoc(
        Adds every line of a JSON Lines file, read in blocks (memory does not grow with the
        file). Rejections are listed with `source` (default: the path) and the line number.
        Returns the number of records read (blank lines are not records). Raises OSError when the
        file cannot be read; a callback's exception is raised once the whole file is read.
    )pbdoc")
        .def(
            "add_csv",
            [](py_engine& e, py::object path, std::optional<std::string> type, std::optional<std::string> source) {
                e.check_not_busy("add_csv");
                // As the command line's TYPE=FILE.csv: a type the plan lacks is the caller's
                // mistake, refused before anything is read.
                if (type && e.engine.plan().model().find_event(*type) < 0)
                    throw py::value_error("the plan has no event type '" + *type + "'");
                std::ifstream in;
                const std::string file = open_input(path, in);
                std::uint64_t n = 0;
                try {
                    n = e.engine.add_csv(in, source ? *source : file, type.value_or(""));
                } catch (const mandate::limit_error&) {
                    throw;
                } catch (const std::runtime_error& error) {
                    // The stream failing is a read error; anything else is a header that cannot
                    // be used ("SOURCE:LINE: ..."), and then no row of the file was added.
                    PyErr_SetString(in.bad() ? PyExc_OSError : PyExc_ValueError, error.what());
                    throw py::error_already_set();
                }
                e.raise_pending();
                return n;
            },
            py::arg("path"), py::arg("type") = py::none(), py::arg("source") = py::none(),
            R"pbdoc(
        Adds every record of a CSV file as the command line reads one: a header row naming the
        fields, then a record a row (RFC 4180 cells, `;` between the members of a set, an empty
        cell an absent field). The header decides what the file holds: an entity registry
        (entity,kind,parent,name,since,until,version and the kinds' fields), retractions (a
        `retract` column), or events, all of `type` (as `mandate check --events TYPE=FILE.csv`)
        or, without it, each of its row's `type` column. Each row is checked, counted and
        rejected as the JSON record it stands for, listed with `source` (default: the path) and
        the line it starts on. Read in blocks, like add_jsonl(). Returns the number of records
        read. Raises ValueError when `type` is no event type of the plan or the header cannot
        be used (no row is added then), OSError when the file cannot be read.
    )pbdoc")
        .def(
            "add_lines",
            [](py_engine& e, py::sequence records, const std::string& source, py::sequence lines) {
                e.check_not_busy("add_lines");
                if (py::isinstance<py::str>(records) || py::isinstance<py::bytes>(records))
                    throw py::type_error("add_lines() takes a sequence of records, not one " + type_name(records));
                const std::size_t n = py::len(records);
                if (py::len(lines) != n)
                    throw py::value_error("add_lines() has " + std::to_string(n) + " records and " +
                                          std::to_string(py::len(lines)) + " line numbers");
                // Held while the engine reads them: each item (a sequence may make a new object
                // each time it is indexed), bytes as they are, str as UTF-8.
                std::vector<py::object> held(n);
                std::vector<std::string_view> views(n);
                std::vector<std::uint64_t> numbers(n);
                std::vector<std::string> texts;
                texts.reserve(n);
                for (std::size_t i = 0; i < n; ++i) {
                    held[i] = records[i];
                    py::handle r = held[i];
                    if (py::isinstance<py::bytes>(r)) {
                        char* data = nullptr;
                        Py_ssize_t size = 0;
                        PyBytes_AsStringAndSize(r.ptr(), &data, &size);
                        views[i] = std::string_view(data, static_cast<std::size_t>(size));
                    } else if (py::isinstance<py::str>(r)) {
                        texts.push_back(utf8(r));
                        views[i] = texts.back();
                    } else {
                        throw py::type_error("add_lines() takes JSON records as bytes or str, not " + type_name(r));
                    }
                    numbers[i] = py::cast<std::uint64_t>(lines[i]);
                }
                const std::uint64_t read = e.engine.add_lines(views.data(), numbers.data(), n, source);
                e.raise_pending();
                return read;
            },
            py::arg("records"), py::arg("source"), py::arg("lines"),
            R"pbdoc(
        Adds JSON records (bytes or str, as add() takes them) that are lines of a file read
        elsewhere, record i numbered lines[i] in `source`: parsed in blocks on the engine's
        threads, as add_jsonl() parses a file, each judged as add() would judge it. For a host
        that routes the lines of files between engines (mandate.dask). Returns how many were
        read. The records are checked before any is added: one that is neither bytes nor str
        raises TypeError and adds nothing.
    )pbdoc")
        .def(
            "add_unreadable",
            [](py_engine& e, py::object reason, const std::string& source, std::uint64_t line) {
                e.check_not_busy("add_unreadable");
                if (!py::isinstance<py::str>(reason))
                    throw py::type_error("reason must be a str, not " + type_name(reason));
                const std::string why = utf8(reason);
                if (why.empty()) throw py::value_error("add_unreadable needs a reason");
                e.engine.add_unreadable(why, source, line);
                e.raise_pending();
            },
            py::arg("reason"), py::arg("source") = "", py::arg("line") = 0,
            R"pbdoc(
        Counts a record the host could not read (its own reader could not split or decode it)
        as rejected with `reason` (a non-empty str), listed with `source` and `line` as any
        rejection is: every record read stays accounted for, as add_jsonl() counts a line that
        is not JSON. The row of csv_records() that is no record goes in this way.
    )pbdoc")
        .def(
            "retract",
            [](py_engine& e, py::object event_id, const std::string& source, std::uint64_t line) {
                e.check_not_busy("retract");
                // Only a str: pybind11 would also turn bytes into the id, which add() refuses.
                if (!py::isinstance<py::str>(event_id))
                    throw py::type_error("event_id must be a str, not " + type_name(event_id));
                const bool ok = e.engine.retract(utf8(event_id), source, line) == mandate::add_status::accepted;
                e.raise_pending();
                return ok;
            },
            py::arg("event_id"), py::arg("source") = "", py::arg("line") = 0,
            R"pbdoc(
        Retracts an event id (a str; anything else raises TypeError), as add({"retract": event_id})
        does. Returns True when accepted.
    )pbdoc")
        .def_property_readonly("last_error", [](const py_engine& e) { return e.engine.last_error(); },
                               R"pbdoc(Why the last add() or retract() rejected its record; "" when it was accepted.)pbdoc")
        .def(
            "report",
            [](py_engine& e, py::object as_of) {
                e.check_not_busy("report");
                return report_dict(mandate::io::to_json(e.engine.evaluate(report_day(as_of))));
            },
            py::arg("as_of"),
            R"pbdoc(
        The report as of a local date (a datetime.date or "YYYY-MM-DD") as Python objects: the
        mandate.report/1 JSON contract as dicts and lists, dates as "YYYY-MM-DD" strings, whole
        numbers as int and other numbers as decimal.Decimal (exact, never float).
    )pbdoc")
        .def(
            "report_json",
            [](py_engine& e, py::object as_of) {
                e.check_not_busy("report_json");
                return mandate::io::to_json(e.engine.evaluate(report_day(as_of)));
            },
            py::arg("as_of"), R"pbdoc(The report as of a date as JSON text: byte for byte what C and C++ hosts get.)pbdoc")
        .def(
            "evaluate",
            [](py_engine& e, py::object as_of) {
                e.check_not_busy("evaluate");
                return evaluate(e, as_of);
            },
            py::arg("as_of"),
            R"pbdoc(
        The report as of a local date (a datetime.date or "YYYY-MM-DD") as a mandate.Report: the
        engine's report kept whole, to be written as a table, CSV, an HTML page or JSON, or
        explained bucket by bucket, as the command line writes it. It stays as it is when more
        records are added.
    )pbdoc")
        .def(
            "save",
            [](py_engine& e, py::object path, py::bytes host) {
                e.check_not_busy("save");
                const std::string p = py::str(types.fspath(path));
                e.engine.save(p, std::string(host));
            },
            py::arg("path"), py::arg("host") = py::bytes(), R"pbdoc(
        Saves what every report depends on (the records accepted, rejected and counted), with
        `host` (bytes kept beside them, e.g. how far the host has read its inputs), to `path`:
        through a temporary file beside it, flushed to disk and renamed over it, so `path`
        always holds a whole state. Subscriptions and watch_date are not saved. Raises
        mandate.StateError when the file cannot be written.
    )pbdoc")
        .def(
            "restore",
            [](py_engine& e, py::object path) {
                e.check_not_busy("restore");
                const std::string p = py::str(types.fspath(path));
                return py::bytes(e.engine.restore(p));
            },
            py::arg("path"), R"pbdoc(
        Replaces this engine's records with those saved in `path` by an engine of the same plan
        revision and returns the host bytes saved with them. Callbacks stay. Raises
        mandate.StateError, leaving the engine as it was, when the file is missing, not a
        state file, of another format or plan revision, truncated or corrupted.
    )pbdoc")
        .def_property_readonly(
            "latest_event_date",
            [](const py_engine& e) -> py::object {
                const auto d = e.engine.latest_event_date();
                return d ? date_object(*d) : py::none();
            },
            R"pbdoc(The latest event date seen (a datetime.date), or None before any event.)pbdoc")
        .def(
            "on_change",
            [](py::object engine_object, py::function callback) {
                py_engine& e = engine_object.cast<py_engine&>();
                py_engine* self = &e;
                // The engine's dictionary owns the callback; the subscription only borrows it, so
                // the reference the collector sees is the only one (it frees engine and callback
                // together when they only refer to each other).
                PyObject* borrowed = callback.ptr();
                const int token = e.engine.subscribe([self, borrowed](const mandate::status_change& c) {
                    // Held for the call: the callback may unsubscribe itself while it runs.
                    const py::object callback = py::reinterpret_borrow<py::object>(borrowed);
                    struct depth {
                        int& n;
                        explicit depth(int& x) : n(x) { ++n; }
                        ~depth() { --n; }
                    } guard(self->in_callback);
                    try {
                        callback(change_of(c));
                    } catch (py::error_already_set& error) {
                        if (!self->pending) self->pending = std::move(error);
                    } catch (const std::exception& error) {  // a change that would not convert
                        if (!self->pending) {
                            PyErr_SetString(PyExc_RuntimeError, error.what());
                            self->pending = py::error_already_set();
                        }
                    }
                });
                callbacks_of(engine_object)[py::int_(token)] = callback;
                return token;
            },
            py::arg("callback"),
            R"pbdoc(
        Calls callback(change) with a StatusChange for every bucket whose state changes as
        records are added, evaluated as of watch_date (default: the latest event date seen).
        Callbacks run inside add(); they may call on_change() and unsubscribe() but nothing else
        on the engine (RuntimeError). An exception a callback raises does not stop the others: it
        is raised from the add() (add_many(), add_jsonl(), retract()) call once that returns.
        After an event only the buckets it touches are judged again; a registry record, or a
        watch date that moves (the default one moves with the latest event date), judges every
        bucket again: for bulk loads, add first and subscribe after. Returns a token for
        unsubscribe().
    )pbdoc")
        .def(
            "unsubscribe",
            [](py::object engine_object, int token) {
                engine_object.cast<py_engine&>().engine.unsubscribe(token);
                py::dict callbacks = callbacks_of(engine_object);
                if (callbacks.contains(py::int_(token))) PyDict_DelItem(callbacks.ptr(), py::int_(token).ptr());
            },
            py::arg("token"),
            R"pbdoc(Stops the callback on_change() returned `token` for; an unknown token does nothing.)pbdoc")
        .def_property(
            "watch_date",
            [](const py_engine& e) -> py::object { return e.watch_date ? date_object(*e.watch_date) : py::none(); },
            [](py_engine& e, py::object as_of) {
                e.check_not_busy("watch_date");
                std::optional<mandate::calendar::day> d;
                if (!as_of.is_none()) d = day_of(as_of, "watch_date");
                e.watch_date = d;
                e.engine.set_watch_date(d);
                e.raise_pending();  // a callback's exception, as from add()
            },
            R"pbdoc(
        The date on_change callbacks are evaluated as of: a datetime.date (set a date or
        "YYYY-MM-DD"), or None for the latest event date seen. Setting it calls back for every
        bucket whose state differs between the old date and the new one (a bucket that closes,
        enters its warn window, or starts), as time passing would.
    )pbdoc");
}
