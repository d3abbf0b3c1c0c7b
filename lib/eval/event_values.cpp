#include "event_values.hpp"

#include <algorithm>

namespace mandate::eval {

using graph::node;
using graph::node_id;
using graph::node_kind;

event_values::event_values(const graph::compiled_plan& plan, store& st)
    : plan_(plan), st_(st), literal_ids_(plan.nodes().size(), no_string) {
    for (std::size_t n = 0; n < plan.nodes().size(); ++n) {
        const node& x = plan.nodes()[n];
        if (x.kind == node_kind::constant && x.type.kind == check::type_kind::text) literal_ids_[n] = st.strings.intern(x.value.text);
    }
}

val event_values::field(int type, std::uint32_t row, int field) const {
    const table& t = st_.tables[static_cast<std::size_t>(type)];
    switch (field) {
        case check::field_id: return val::str(t.id[row]);
        case check::field_time: return val::date(t.date[row]);
        case check::field_unit: return val::str(t.unit[row]);
        default: break;
    }
    const column& c = t.columns[static_cast<std::size_t>(field)];
    if (!c.present[row]) return val::undef();
    return stored(c.kind, c.value[row]);
}

val event_values::stored(check::type_kind kind, std::int64_t v) {
    switch (kind) {
        case check::type_kind::integer: return val::number(rational(v));
        case check::type_kind::number: return val::number(rational(v, io::number_scale));
        case check::type_kind::boolean: return val::boolean(v != 0);
        case check::type_kind::date: return val::date(v);
        case check::type_kind::text:
        case check::type_kind::ref: return val::str(v);
        default: return val::undef();
    }
}

val event_values::constant(node_id id) const {
    const node& n = plan_.at(id);
    switch (n.type.kind) {
        case check::type_kind::boolean: return val::boolean(n.value.boolean);
        case check::type_kind::integer:
        case check::type_kind::number: return val::number(n.value.number);
        case check::type_kind::date: return val::date(n.value.date);
        case check::type_kind::duration: return val::days(n.value.length.days());
        case check::type_kind::text: return val::str(literal_ids_[static_cast<std::size_t>(id)]);
        default: return val::undef();
    }
}

bool event_values::in_list(const node& list, const val& x) const {
    const check::member_set& m = *list.members;
    switch (x.k) {
        case val::kind::str: return m.has_text(st_.text(static_cast<string_id>(x.i)));
        case val::kind::number: return m.has_number(x.n);
        case val::kind::date: return m.has_date(x.i);
        case val::kind::duration: return m.has_days(x.i);
        case val::kind::boolean: return m.has_boolean(x.b);
        default: return false;
    }
}

val event_values::evaluate(node_id id, int type, std::uint32_t row, std::uint32_t unit) const {
    const node& n = plan_.at(id);
    switch (n.kind) {
        case node_kind::constant: return constant(id);
        case node_kind::field: return field(type, row, n.field);
        case node_kind::unit_var: return unit == none ? val::undef() : val::str(st_.entities[unit].id);
        case node_kind::unary: {
            const val a = evaluate(n.args[0], type, row, unit);
            return eval::unary(n.op, a);
        }
        case node_kind::binary: {
            if (n.op == check::op::and_ || n.op == check::op::or_) {
                const bool a = evaluate(n.args[0], type, row, unit).truthy();
                if (n.op == check::op::and_ && !a) return val::boolean(false);
                if (n.op == check::op::or_ && a) return val::boolean(true);
                return val::boolean(evaluate(n.args[1], type, row, unit).truthy());
            }
            bool undefined = false;
            return binary(n.op, evaluate(n.args[0], type, row, unit), evaluate(n.args[1], type, row, unit), undefined);
        }
        case node_kind::in: {
            const val x = evaluate(n.args[0], type, row, unit);
            if (x.k == val::kind::undef) return val::boolean(false);
            const node& rhs = plan_.at(n.args[1]);
            if (rhs.kind == node_kind::list) return val::boolean(in_list(rhs, x));
            // A set field on the right.
            const table& t = st_.tables[static_cast<std::size_t>(type)];
            const column& c = t.columns[static_cast<std::size_t>(rhs.field)];
            if (!c.present[row]) return val::boolean(false);
            for (std::uint32_t m = c.set_begin[row]; m < c.set_end[row]; ++m) {
                bool undefined = false;
                if (binary(check::op::eq, x, stored(c.element, t.members[m]), undefined).truthy())
                    return val::boolean(true);
            }
            return val::boolean(false);
        }
        case node_kind::entity_field:
        case node_kind::is_kind: {
            // The unit named: the instance's (a variable), or the event's unit or a ref field.
            const node& o = plan_.at(n.args[0]);
            std::uint32_t x = none;
            if (o.kind == node_kind::unit_var) {
                x = unit;
            } else {
                const val id = evaluate(n.args[0], type, row, unit);
                if (id.k == val::kind::str) x = st_.entity_of.get(static_cast<string_id>(id.i));
            }
            if (x != none && st_.entities[x].state != entity_state::resolved) x = none;
            if (n.kind == node_kind::is_kind)
                return val::boolean(x != none && std::binary_search(n.kinds.begin(), n.kinds.end(), st_.entities[x].kind));
            if (x == none) return val::undef();
            const entity& ent = st_.entities[x];
            const int f = n.kind_fields[static_cast<std::size_t>(ent.kind)];
            if (f < 0) return val::undef();
            const std::int64_t* v = ent.standing_record().field(f);
            if (!v) return val::undef();
            return stored(plan_.model().kinds[static_cast<std::size_t>(ent.kind)].fields[static_cast<std::size_t>(f)].t.kind, *v);
        }
        default: return val::undef();
    }
}

}  // namespace mandate::eval
