// The Python module `mandate`: thin wrappers over the C++ API.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <fstream>
#include <sstream>

#include "mandate/io/report_writer.hpp"
#include "mandate/mandate.hpp"

namespace py = pybind11;

namespace {

struct plan_handle {
    mandate::plan compiled;
};

mandate::calendar::day day_of(const py::object& as_of) {
    // Accepts "2023-12-31" or a datetime.date.
    std::string text;
    if (py::isinstance<py::str>(as_of)) {
        text = as_of.cast<std::string>();
    } else if (py::hasattr(as_of, "isoformat")) {
        text = as_of.attr("isoformat")().cast<std::string>().substr(0, 10);
    }
    const auto d = mandate::calendar::parse_iso(text);
    if (!d) throw py::value_error("as_of must be a date like '2023-12-31'");
    return *d;
}

}  // namespace

PYBIND11_MODULE(mandate, m) {
    m.doc() = R"pbdoc(
        mandate: a rules engine for the obligations in government work plans.

            plan = mandate.compile(open("goutang-2023.mandate").read(), "goutang-2023.mandate")
            engine = mandate.Engine(plan)
            engine.add_jsonl("events.jsonl")
            report = engine.report("2023-12-31")   # a dict: the mandate.report/1 JSON contract
    )pbdoc";
    m.attr("__version__") = MANDATE_VERSION;

    static py::exception<std::runtime_error> rule_error(m, "RuleError", PyExc_ValueError);
    rule_error.doc() = "A rule file does not compile; .diagnostics lists (line, column, message).";

    py::class_<plan_handle>(m, "Plan", "A compiled plan: immutable, shareable between engines.")
        .def_property_readonly("id", [](const plan_handle& p) { return p.compiled->model().id; })
        .def_property_readonly("revision", [](const plan_handle& p) { return p.compiled->revision(); })
        .def_property_readonly("obligations", [](const plan_handle& p) {
            std::vector<std::string> out;
            for (const auto& r : p.compiled->model().rules)
                if (!r.outcome) out.push_back(r.id);
            return out;
        })
        .def_property_readonly("outcomes", [](const plan_handle& p) {
            std::vector<std::string> out;
            for (const auto& r : p.compiled->model().rules)
                if (r.outcome) out.push_back(r.id);
            return out;
        })
        .def("dot", [](const plan_handle& p) { return p.compiled->to_dot(); }, "The evaluation graph as Graphviz DOT.");

    m.def(
        "compile",
        [](const std::string& source, const std::string& name) {
            auto compiled = mandate::compile(source, name);
            if (!compiled.ok()) {
                const mandate::source_file src(name, source);
                std::string text;
                py::list diagnostics;
                for (const auto& d : compiled.diagnostics()) {
                    text += mandate::render(d, src);
                    diagnostics.append(py::make_tuple(d.pos.line, d.pos.column, d.message));
                }
                PyObject* error_type = rule_error.ptr();
                py::object error = py::reinterpret_steal<py::object>(PyObject_CallFunction(error_type, "s", text.c_str()));
                error.attr("diagnostics") = diagnostics;
                const auto& first = compiled.diagnostics().front();
                error.attr("line") = first.pos.line;
                error.attr("column") = first.pos.column;
                PyErr_SetObject(error_type, error.ptr());
                throw py::error_already_set();
            }
            return plan_handle{compiled.value()};
        },
        py::arg("source"), py::arg("name") = "<rules>",
        R"pbdoc(Compiles a rule file; raises mandate.RuleError (with .line, .column, .diagnostics) when it has errors.)pbdoc");

    py::class_<mandate::engine>(m, "Engine", "All evaluation state for one plan. Use from one thread at a time.")
        .def(py::init([](const plan_handle& p) { return std::make_unique<mandate::engine>(p.compiled); }), py::arg("plan"))
        .def(
            "add",
            [](mandate::engine& e, const std::string& record) {
                return e.add(record, "<python>") == mandate::add_status::accepted;
            },
            py::arg("record"), "Adds one JSON record; returns False when it was rejected (see last_error).")
        .def(
            "add_many",
            [](mandate::engine& e, const std::vector<std::string>& records) {
                std::size_t accepted = 0;
                for (const auto& r : records) accepted += e.add(r, "<python>") == mandate::add_status::accepted;
                return accepted;
            },
            py::arg("records"), "Adds JSON records; returns how many were accepted.")
        .def(
            "add_jsonl",
            [](mandate::engine& e, const std::string& path) {
                std::ifstream in(path, std::ios::binary);
                if (!in) throw py::value_error("cannot read " + path);
                return e.add_jsonl(in, path);
            },
            py::arg("path"), "Adds every record of a JSON Lines file; returns the number read.")
        .def_property_readonly("last_error", &mandate::engine::last_error)
        .def(
            "report",
            [](mandate::engine& e, const py::object& as_of) {
                const std::string json = mandate::io::to_json(e.evaluate(day_of(as_of)));
                return py::module_::import("json").attr("loads")(json);
            },
            py::arg("as_of"), "The report as of a date, as a dict (the mandate.report/1 contract).");
}
