// Graphviz rendering of a compiled plan.
#include <sstream>

#include "mandate/graph/plan.hpp"

namespace mandate::graph {
namespace {

std::string escape(const std::string& s) {
    std::string out;
    for (const char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

}  // namespace

std::string compiled_plan::to_dot() const {
    std::ostringstream out;
    out << "digraph \"" << escape(model_.id) << "\" {\n"
        << "  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n";
    // Event types read by some source.
    std::vector<bool> used(model_.events.size(), false);
    for (const auto& s : sources_) used[static_cast<std::size_t>(s.event)] = true;
    for (std::size_t e = 0; e < model_.events.size(); ++e)
        if (used[e])
            out << "  event" << e << " [shape=cds, style=filled, fillcolor=\"#e8f0fe\", label=\"" << escape(model_.events[e].id)
                << "\"];\n";
    for (std::size_t s = 0; s < sources_.size(); ++s) {
        const source& src = sources_[s];
        out << "  source" << s << " [shape=ellipse, label=\"source\\n" << escape(src.text) << "\"];\n";
        out << "  event" << src.event << " -> source" << s << ";\n";
        if (src.filter != no_node) out << "  n" << src.filter << " -> source" << s << " [style=dashed, label=\"where\"];\n";
    }
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        const node& n = nodes_[i];
        std::string label;
        std::string shape = "box";
        switch (n.kind) {
            case node_kind::constant: label = n.text; shape = "plaintext"; break;
            case node_kind::field: label = "field " + n.text; shape = "plaintext"; break;
            case node_kind::unit_var: label = "unit"; shape = "plaintext"; break;
            case node_kind::list: label = n.text; shape = "plaintext"; break;
            case node_kind::aggregate: label = n.text; shape = "box3d"; break;
            case node_kind::streak: label = n.text; shape = "box3d"; break;
            case node_kind::violations:
            case node_kind::fired: label = n.text; shape = "box3d"; break;
            // The registry: a unit's field or kind, its children, a ranking of units.
            case node_kind::entity_field:
            case node_kind::is_kind: label = n.text; shape = "note"; break;
            case node_kind::units:
            case node_kind::all_units:
            case node_kind::any_unit:
            case node_kind::rank: label = n.text; shape = "box3d"; break;
            default: {
                const char* o = check::operator_text(n.op);
                label = o ? o : n.text;
                shape = "circle";
            }
        }
        out << "  n" << i << " [shape=" << shape << ", label=\"" << escape(label) << "\"];\n";
        for (node_id a : n.args) out << "  n" << a << " -> n" << i << ";\n";
        if (n.kind == node_kind::aggregate) out << "  source" << n.source << " -> n" << i << ";\n";
        if (n.predicate != no_node) out << "  n" << n.predicate << " -> n" << i << " [style=dashed, label=\"each event\"];\n";
        for (int r : n.rules) out << "  rule" << r << " -> n" << i << " [style=bold, color=\"#b3261e\"];\n";
    }
    for (const auto& rn : rules_) {
        const check::rule& r = model_.rules[static_cast<std::size_t>(rn.rule)];
        out << "  rule" << rn.rule << " [shape=" << (r.outcome ? "doubleoctagon" : "octagon")
            << ", style=filled, fillcolor=\"" << (r.outcome ? "#fde7e9" : "#e6f4ea") << "\", label=\""
            << (r.outcome ? "outcome " : "obligation ") << escape(r.id) << "\"];\n";
        out << "  n" << rn.condition << " -> rule" << rn.rule << " [label=\"" << (r.outcome ? "when" : "require") << "\"];\n";
        if (rn.trigger_source >= 0) out << "  source" << rn.trigger_source << " -> rule" << rn.rule << " [label=\"trigger\"];\n";
        if (r.trig.outcome && r.trig.target >= 0)
            out << "  rule" << r.trig.target << " -> rule" << rn.rule << " [style=bold, label=\"triggers\"];\n";
    }
    out << "}\n";
    return out.str();
}

}  // namespace mandate::graph
