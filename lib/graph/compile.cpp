#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "mandate/check/buckets.hpp"
#include "mandate/graph/plan.hpp"

namespace mandate::graph {

std::string sha256_hex(std::string_view bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
    std::string out;
    char buf[3];
    for (unsigned int i = 0; i < length; ++i) {
        std::snprintf(buf, sizeof buf, "%02x", digest[i]);
        out += buf;
    }
    return out;
}

// Builds the graph, giving structurally equal sub-expressions one node (hash-consing on a
// printed key of kind, operator, payload and child ids).
class compiler {
public:
    explicit compiler(check::plan model) { out_ = std::make_shared<compiled_plan>(); out_->model_ = std::move(model); }

    std::shared_ptr<const compiled_plan> run(std::string_view text, std::string name) {
        out_->revision_ = sha256_hex(text);
        out_->name_ = std::move(name);
        const check::plan& m = out_->model_;
        for (std::size_t r = 0; r < m.rules.size(); ++r) {
            const check::rule& rule = m.rules[r];
            current_kinds_ = rule.unit_kinds;
            current_var_ = rule.var;
            rule_node rn;
            rn.rule = static_cast<int>(r);
            rn.condition = lower(rule.condition);
            if (rule.where) rn.where = lower(*rule.where);
            const node& cond = out_->nodes_[static_cast<std::size_t>(rn.condition)];
            if (check::is_comparison(cond.op) || cond.op == check::op::in) rn.compared = cond.args[0];
            rn.buckets = check::rule_buckets(rule, m.week_start);
            if ((rule.schedule == check::schedule_kind::after || rule.schedule == check::schedule_kind::before) &&
                !rule.trig.outcome && rule.trig.target >= 0) {
                const node_id filter = rule.trig.where ? lower(*rule.trig.where) : no_node;
                rn.trigger_source = make_source(rule.trig.target, filter, rule.trig.scoped, rule.unit_kinds);
            }
            if (rule.event_phase >= 0) {
                const check::phase& ph = m.phases[static_cast<std::size_t>(rule.event_phase)];
                std::vector<int> every_kind(m.kinds.size());
                for (std::size_t k = 0; k < every_kind.size(); ++k) every_kind[k] = static_cast<int>(k);
                rn.window_start_source = make_source(ph.start_event, no_node, true, every_kind);
                rn.window_end_source = make_source(ph.end_event, no_node, true, every_kind);
            }
            collect_measures(rule.condition, rn.condition, rn);
            out_->rules_.push_back(std::move(rn));
        }
        return out_;
    }

private:
    node_id intern(node n, const std::string& key) {
        auto it = index_.find(key);
        if (it != index_.end()) {
            // The checker names an operator only where its text is read (a `where`, say), so
            // a node first met unnamed inside a larger expression takes the name it is given later.
            node& found = out_->nodes_[static_cast<std::size_t>(it->second)];
            if (found.text.empty()) found.text = std::move(n.text);
            return it->second;
        }
        const auto id = static_cast<node_id>(out_->nodes_.size());
        out_->nodes_.push_back(std::move(n));
        index_.emplace(key, id);
        return id;
    }

    static std::string literal_key(const check::texpr& e) {
        const check::literal& v = e.value;
        switch (e.t.kind) {
            case check::type_kind::boolean: return v.boolean ? "true" : "false";
            case check::type_kind::integer:
            case check::type_kind::number: return "n" + v.number.to_fraction_string();
            case check::type_kind::text: return "s" + std::to_string(v.text.size()) + ":" + v.text;
            case check::type_kind::date: return "d" + std::to_string(v.date);
            case check::type_kind::duration:
                return "p" + std::to_string(v.length.count) + "/" + std::to_string(static_cast<int>(v.length.unit));
            default: return "?";
        }
    }

    int make_source(int event, node_id filter, bool scoped, const std::vector<int>& scope_kinds) {
        const std::string key = std::to_string(event) + "|" + std::to_string(filter) + "|" + (scoped ? "s" : "-");
        auto it = source_index_.find(key);
        int id;
        if (it != source_index_.end()) {
            id = it->second;
        } else {
            id = static_cast<int>(out_->sources_.size());
            source s;
            s.event = event;
            s.filter = filter;
            s.scoped = scoped;
            s.filter_uses_unit = filter != no_node && out_->nodes_[static_cast<std::size_t>(filter)].uses_unit;
            s.filter_reads_registry = filter != no_node && out_->nodes_[static_cast<std::size_t>(filter)].reads_registry;
            const auto& et = out_->model_.events[static_cast<std::size_t>(event)];
            s.text = et.id + (scoped ? " of " + std::string(current_var()) : "") +
                     (filter != no_node ? " where " + out_->nodes_[static_cast<std::size_t>(filter)].text : "");
            out_->sources_.push_back(std::move(s));
            source_index_.emplace(key, id);
        }
        auto& kinds = out_->sources_[static_cast<std::size_t>(id)].scope_kinds;
        if (scoped)
            for (int k : scope_kinds.empty() ? current_kinds_ : scope_kinds)
                if (std::find(kinds.begin(), kinds.end(), k) == kinds.end()) kinds.push_back(k);
        return id;
    }

    const std::string& current_var() const { return current_var_; }

    node_id lower(const check::texpr& e) {
        node n;
        n.op = e.o;
        n.type = e.t;
        n.text = e.text;
        std::string key = std::to_string(static_cast<int>(e.o)) + "|" + std::to_string(static_cast<int>(e.t.kind));
        auto child = [&](const check::texpr& c) {
            const node_id id = lower(c);
            const node& cn = out_->nodes_[static_cast<std::size_t>(id)];
            n.event_level = n.event_level || cn.event_level;
            n.uses_unit = n.uses_unit || cn.uses_unit;
            n.reads_slots = n.reads_slots || cn.reads_slots;
            n.reads_registry = n.reads_registry || cn.reads_registry;
            n.args.push_back(id);
            key += "|" + std::to_string(id);
        };
        switch (e.o) {
            case check::op::literal:
                n.kind = node_kind::constant;
                n.value = e.value;
                key += "|" + literal_key(e);
                break;
            case check::op::field:
                n.kind = node_kind::field;
                n.field = e.field;
                n.event_level = true;
                key += "|" + std::to_string(e.event) + "." + std::to_string(e.field);
                break;
            case check::op::var:
                n.kind = node_kind::unit_var;
                n.slot = e.slot < 0 ? 0 : e.slot;
                // Inside an event predicate it is the instance's unit (slot 0); elsewhere it is
                // the operand of X.FIELD or `X is KIND`, read from its slot.
                n.event_level = n.slot == 0;
                n.uses_unit = n.slot == 0;
                n.reads_slots = n.slot != 0;
                key += "|v" + std::to_string(n.slot);
                break;
            case check::op::unit_field:
            case check::op::is_kind: {
                n.kind = e.o == check::op::unit_field ? node_kind::entity_field : node_kind::is_kind;
                n.kind_fields = e.kind_fields;
                n.kinds = e.kinds;
                for (int f : n.kind_fields) key += "|" + std::to_string(f);
                for (int k : n.kinds) key += "|k" + std::to_string(k);
                child(e.args[0]);
                // Read per event only when the unit is an event's (`unit`, a ref field); a
                // variable's unit is the bucket's. Either way it reads the registry, which a
                // filter must read when it is applied, not when the event is indexed.
                n.event_level = out_->nodes_[static_cast<std::size_t>(n.args[0])].kind == node_kind::field;
                n.uses_unit = true;
                n.reads_registry = true;
                break;
            }
            case check::op::units:
            case check::op::all_units:
            case check::op::any_unit:
            case check::op::rank: {
                n.kind = e.o == check::op::units ? node_kind::units : e.o == check::op::all_units ? node_kind::all_units
                         : e.o == check::op::any_unit ? node_kind::any_unit : node_kind::rank;
                n.kinds = e.kinds;
                n.slot = e.slot;
                n.within_slot = e.within_slot;
                n.ascending = e.ascending;
                key += "|s" + std::to_string(n.slot) + "|w" + std::to_string(n.within_slot) + (n.ascending ? "|a" : "");
                for (int k : n.kinds) key += "|k" + std::to_string(k);
                for (const auto& a : e.args) child(a);
                // What the predicate reads of the entity it binds is its own; what it reads
                // of the variables around it is the node's.
                n.event_level = false;
                n.uses_unit = true;
                n.reads_slots = n.within_slot != 0 && n.within_slot >= 0;
                break;
            }
            case check::op::list:
                // The checked list's set, shared: no constant node per item (a list of a million
                // items was a million nodes and keys, and a scan of them for every event).
                n.kind = node_kind::list;
                n.members = e.members;
                key += "|" + (e.members ? e.members->key() : std::string());
                break;
            case check::op::not_:
            case check::op::neg:
                n.kind = node_kind::unary;
                child(e.args[0]);
                break;
            case check::op::in:
                n.kind = node_kind::in;
                child(e.args[0]);
                child(e.args[1]);
                break;
            case check::op::streak:
                n.kind = node_kind::streak;
                n.per = e.per;
                key += "|" + std::to_string(static_cast<int>(e.per.unit)) + "/" + std::to_string(e.per.count) +
                       (e.per.counted ? "c" : "");
                child(e.args[0]);
                break;
            case check::op::peak:
            case check::op::earlier:
                n.kind = node_kind::window;
                n.value = e.value;
                key += "|" + std::to_string(e.value.length.count) + "/" +
                       std::to_string(static_cast<int>(e.value.length.unit));
                child(e.args[0]);
                break;
            case check::op::violations:
            case check::op::fired:
                n.kind = e.o == check::op::fired ? node_kind::fired : node_kind::violations;
                n.rules = e.rules;
                n.slot = e.slot < 0 ? 0 : e.slot;
                n.within = e.within;
                n.distinct = e.distinct;
                n.reads_slots = n.slot != 0;
                for (int r : e.rules) key += "|r" + std::to_string(r);
                key += "|s" + std::to_string(n.slot) + (n.within ? "|w" : "") + (n.distinct ? "|d" : "");
                break;
            default:
                if (check::is_aggregate(e.o)) {
                    n.kind = node_kind::aggregate;
                    const node_id filter = e.where_arg >= 0 ? lower(e.args[static_cast<std::size_t>(e.where_arg)]) : no_node;
                    n.source = make_source(e.event, filter, e.scoped, e.scope_kinds);
                    n.slot = e.scoped ? e.slot : -1;
                    n.within_slot = e.within_slot;
                    n.reads_slots = (e.scoped && e.slot > 0) || e.within_slot > 0;
                    n.field = e.field;
                    n.predicate = e.pred_arg >= 0 ? lower(e.args[static_cast<std::size_t>(e.pred_arg)]) : no_node;
                    n.kinds = e.kinds;
                    std::sort(n.kinds.begin(), n.kinds.end());
                    const source& s = out_->sources_[static_cast<std::size_t>(n.source)];
                    n.uses_unit = s.scoped || s.filter_uses_unit || e.o == check::op::coverage;
                    if (n.predicate != no_node && out_->nodes_[static_cast<std::size_t>(n.predicate)].uses_unit) n.uses_unit = true;
                    key += "|s" + std::to_string(n.source) + "|f" + std::to_string(n.field) + "|p" +
                           std::to_string(n.predicate) + "|v" + std::to_string(n.slot) + "|w" + std::to_string(n.within_slot);
                    for (int k : n.kinds) key += "|k" + std::to_string(k);
                    break;
                }
                n.kind = node_kind::binary;
                child(e.args[0]);
                child(e.args[1]);
                break;
        }
        if (n.kind == node_kind::streak || n.kind == node_kind::violations || n.kind == node_kind::fired) n.uses_unit = true;
        return intern(std::move(n), key);
    }

    // Walks the rule's typed expression beside its nodes, so each measure is named in the
    // rule's own words (its own unit variable), even where the node is shared.
    void collect_measures(const check::texpr& e, node_id id, rule_node& rn) {
        const node& n = out_->nodes_[static_cast<std::size_t>(id)];
        // Measures: what a bucket's value is made of. A quantifier's or a ranking's inner
        // aggregates are per unit judged, not measures of the bucket: the node itself is one.
        const bool unit_field = n.kind == node_kind::entity_field && !n.event_level &&
                                out_->nodes_[static_cast<std::size_t>(n.args[0])].slot == 0;
        if (n.kind == node_kind::aggregate || n.kind == node_kind::streak || n.kind == node_kind::violations ||
            n.kind == node_kind::fired || n.kind == node_kind::units || n.kind == node_kind::all_units ||
            n.kind == node_kind::any_unit || n.kind == node_kind::rank || n.kind == node_kind::window || unit_field) {
            if (std::find(rn.aggregates.begin(), rn.aggregates.end(), id) == rn.aggregates.end()) {
                rn.aggregates.push_back(id);
                rn.measure_names.push_back(e.text);
            }
            return;  // a streak's inner aggregates are per sub-period, not measures of the bucket
        }
        if (n.event_level) return;
        for (std::size_t i = 0; i < n.args.size() && i < e.args.size(); ++i) collect_measures(e.args[i], n.args[i], rn);
    }

    std::shared_ptr<compiled_plan> out_;
    std::map<std::string, node_id> index_;
    std::map<std::string, int> source_index_;
    std::vector<int> current_kinds_;
    std::string current_var_;
};

std::shared_ptr<const compiled_plan> compile(check::plan checked, std::string_view text, std::string name) {
    compiler c(std::move(checked));
    return c.run(text, std::move(name));
}

}  // namespace mandate::graph
