// mandate::engine, the facade over the engine's state (engine_state.hpp, which lists the roles
// and their files): records in, reports out, saved state, subscriptions.
#include "mandate/eval/engine.hpp"

#include <algorithm>
#include <cstring>
#include <istream>
#include <stdexcept>
#include <thread>

#include "engine_state.hpp"
#include "evaluation.hpp"
#include "ingest/readers.hpp"
#include "state_file.hpp"

namespace mandate {

namespace eval {

namespace {

// Which declared fields of each event type some rule reads: the fields an aggregate sums,
// counts distinct, takes the least or most of, or covers, and those its sources' filters and
// its all/any predicates name. Every field node of the graph sits in one of those; should one
// not, every field is read.
std::vector<std::vector<bool>> fields_read(const graph::compiled_plan& plan) {
    const auto& nodes = plan.nodes();
    std::vector<std::vector<bool>> read;
    for (const auto& e : plan.model().events) read.emplace_back(e.fields.size(), false);
    std::vector<std::uint8_t> placed(nodes.size(), 0);
    std::vector<graph::node_id> visited;  // this walk's, to clear its marks after it
    auto mark = [&](graph::node_id root, int event) {
        std::vector<graph::node_id> stack{root};
        while (!stack.empty()) {
            const graph::node_id id = stack.back();
            stack.pop_back();
            if (id == graph::no_node || placed[static_cast<std::size_t>(id)] & 2) continue;
            placed[static_cast<std::size_t>(id)] |= 2;  // this walk's mark
            visited.push_back(id);
            const graph::node& n = plan.at(id);
            if (n.kind == graph::node_kind::field && n.field >= 0) {
                read[static_cast<std::size_t>(event)][static_cast<std::size_t>(n.field)] = true;
                placed[static_cast<std::size_t>(id)] |= 1;
            }
            stack.insert(stack.end(), n.args.begin(), n.args.end());
            stack.push_back(n.predicate);
        }
        for (const graph::node_id id : visited) placed[static_cast<std::size_t>(id)] &= 1;
        visited.clear();
    };
    for (const auto& s : plan.sources())
        if (s.event >= 0 && s.filter != graph::no_node) mark(s.filter, s.event);
    for (const auto& n : nodes) {
        if (n.kind != graph::node_kind::aggregate || n.source < 0) continue;
        const int event = plan.sources()[static_cast<std::size_t>(n.source)].event;
        if (event < 0) continue;
        if (n.field >= 0) read[static_cast<std::size_t>(event)][static_cast<std::size_t>(n.field)] = true;
        if (n.predicate != graph::no_node) mark(n.predicate, event);
    }
    for (std::size_t id = 0; id < nodes.size(); ++id)
        if (nodes[id].kind == graph::node_kind::field && !(placed[id] & 1))
            for (auto& fields : read) fields.assign(fields.size(), true);
    return read;
}

}  // namespace

engine_state::engine_state(std::shared_ptr<const graph::compiled_plan> p, engine_options o)
    : plan(std::move(p)), model(plan->model()), options(o), st(model), parser(model, o.limits),
      typed(model, o.limits.max_field_bytes), host(model, o.limits.max_field_bytes), values(*plan, st), states(*plan, st, values), indexes(*plan, st, values, states), transitions(*plan) {
    st.keep_only(fields_read(*plan));
}

engine_state::~engine_state() = default;

unsigned engine_state::threads() const {
    if (options.threads > 0) return std::min(options.threads, 256u);
    return std::clamp(std::thread::hardware_concurrency(), 1u, 256u);
}

}  // namespace eval

// ---------------------------------------------------------------- engine

struct engine::impl : eval::engine_state {
    using engine_state::engine_state;
};

engine::engine(std::shared_ptr<const graph::compiled_plan> plan, engine_options options)
    : impl_(std::make_unique<impl>(std::move(plan), options)) {}
engine::~engine() = default;
engine::engine(engine&&) noexcept = default;
engine& engine::operator=(engine&&) noexcept = default;

const graph::compiled_plan& engine::plan() const { return *impl_->plan; }
const std::string& engine::last_error() const { return impl_->last_error; }
std::optional<calendar::day> engine::latest_event_date() const { return impl_->st.latest_event; }

memory_usage engine::memory() const {
    const eval::store::memory m = impl_->st.bytes();
    memory_usage u;
    u.strings = m.strings;
    u.event_ids = m.event_ids;
    u.rows = m.rows;
    u.fields = m.fields;
    u.entities = m.entities;
    u.indexes = impl_->indexes.bytes();
    u.other = m.other;
    return u;
}

add_status engine::add(std::string_view json, std::string_view source, std::uint64_t line) {
    const std::uint32_t source_index = impl_->st.source_index(source);
    const bool ok = impl_->parser.parse(json);
    const add_status result = impl_->add_parsed(ok, source_index, line);
    impl_->notify();
    return result;
}

add_status engine::add_unreadable(std::string_view reason, std::string_view source, std::uint64_t line) {
    // The reason is listed in reports as the record's: text a report can hold.
    if (reason.empty()) throw std::invalid_argument("add_unreadable needs a reason");
    if (!io::is_valid_utf8(reason)) throw std::invalid_argument("add_unreadable's reason is not valid UTF-8");
    const add_status result = impl_->add_record(nullptr, std::string(reason), impl_->st.source_index(source), line);
    impl_->notify();
    return result;
}

add_status engine::add(const typed_entity& entity, std::string_view source, std::uint64_t line) {
    return impl_->add_typed(source, line,
                            [&](io::parsed_record& r, std::string& error) { return impl_->typed.read(entity, r, error); });
}

add_status engine::add(const typed_waiver& waiver, std::string_view source, std::uint64_t line) {
    return impl_->add_typed(source, line,
                            [&](io::parsed_record& r, std::string& error) { return impl_->typed.read(waiver, r, error); });
}

add_status engine::add(const typed_event& event, std::string_view source, std::uint64_t line) {
    return impl_->add_typed(source, line,
                            [&](io::parsed_record& r, std::string& error) { return impl_->typed.read(event, r, error); });
}

record_binding engine::bind_event(std::string_view event_type, const host_member* members, std::size_t count) const {
    return io::bind_host_type(impl_->model, false, event_type, members, count);
}

record_binding engine::bind_entity(std::string_view kind, const host_member* members, std::size_t count) const {
    return io::bind_host_type(impl_->model, true, kind, members, count);
}

namespace {

const record_binding::impl& binding_of(const record_binding& b, const check::plan& plan) {
    if (!b.get()) throw std::invalid_argument("engine::add: the record binding is empty (bind a type first)");
    if (b.get()->plan != &plan)
        throw std::invalid_argument("engine::add: the record binding for '" + b.target() + "' was made for another plan");
    return *b.get();
}

}  // namespace

add_status engine::add(const record_binding& binding, const host_value* values, std::string_view source, std::uint64_t line) {
    const record_binding::impl& b = binding_of(binding, impl_->model);
    return impl_->add_typed(source, line,
                            [&](io::parsed_record& r, std::string& error) { return impl_->host.read(b, values, r, error); });
}

batch_result engine::add_batch(const record_binding& binding, host_batch& records, std::string_view source, std::uint64_t first_line) {
    const record_binding::impl& b = binding_of(binding, impl_->model);
    eval::engine_state& m = *impl_;
    const std::uint32_t source_index = m.st.source_index(source);
    const std::size_t n = records.size();
    // Two buffers of values: the next record's are filled, and its id's first probe started,
    // while this one is taken in (its id is most likely new: a cache miss in a large table).
    std::vector<host_value> values[2] = {std::vector<host_value>(b.slots.size()), std::vector<host_value>(b.slots.size())};
    const int id_member = b.id;
    batch_result result;
    std::string error;
    if (n > 0) records.fill(0, values[0].data(), 0);
    for (std::size_t i = 0; i < n; ++i) {
        const int now = static_cast<int>(i & 1);
        if (i + 1 < n) {
            records.fill(i + 1, values[1 - now].data(), 1 - now);
            if (!b.entity) m.st.strings.prefetch(values[1 - now][static_cast<std::size_t>(id_member)].text);
        }
        const bool ok = m.host.read(b, values[now].data(), m.typed_record, error);
        const add_status s = m.add_record(ok ? &m.typed_record : nullptr, error, source_index, first_line + i + 1);
        ++(s == add_status::accepted ? result.accepted : result.rejected);
        m.notify();
    }
    return result;
}

add_status engine::retract(std::string_view event_id, std::string_view source, std::uint64_t line) {
    return impl_->add_typed(source, line,
                            [&](io::parsed_record& r, std::string& error) {
                                return impl_->typed.read_retraction(event_id, r, error);
                            });
}

std::uint64_t engine::add_jsonl(std::istream& in, std::string_view source) { return add_jsonl(in, source, jsonl_options{}); }

std::uint64_t engine::add_jsonl(std::istream& in, std::string_view source, const jsonl_options& options) {
    io::jsonl_read_options o;
    o.first_line = options.first_line;
    o.max_record_bytes = impl_->options.limits.max_record_bytes;
    return impl_->read_in_blocks(source, &options, [&](io::record_consumer& to) { return io::read_jsonl(in, source, o, to); });
}

std::uint64_t engine::add_lines(const std::string_view* records, const std::uint64_t* lines, std::size_t count,
                               std::string_view source) {
    const std::size_t padding = io::required_padding();
    return impl_->read_in_blocks(source, nullptr, [&](io::record_consumer& to) {
        std::string padded;  // the parser reads past a record's end
        for (std::size_t i = 0; i < count; ++i) {
            padded.assign(records[i]);
            padded.append(padding, ' ');
            to.record(padded.data(), records[i].size(), padded.size(), lines[i]);
            to.boundary(lines[i], 0);
        }
        return static_cast<std::uint64_t>(count);
    });
}

std::uint64_t engine::jsonl_read_ahead() const {
    // A checkpoint comes when its block is cut: what lies beyond is in read_jsonl's window.
    return io::jsonl_window(impl_->options.limits.max_record_bytes);
}

std::uint64_t engine::add_csv(std::istream& in, std::string_view source, std::string_view type) {
    return add_csv(in, source, type, 0);
}

std::uint64_t engine::add_csv(std::istream& in, std::string_view source, std::string_view type, std::uint64_t first_line) {
    const std::size_t max_record_bytes = impl_->options.limits.max_record_bytes;
    return impl_->read_in_blocks(source, nullptr, [&](io::record_consumer& to) {
        return io::read_csv(in, source, impl_->model, type, first_line, max_record_bytes, to);
    });
}

void engine::save(const std::string& path, std::string_view host) const {
    const eval::engine_state& m = *impl_;
    eval::state_writer w(path);
    w.str(m.plan->revision());
    w.str(host);
    m.st.save(w);
    w.commit();
}

std::string engine::restore(const std::string& path) {
    // Into a fresh engine first: the file is taken whole or not at all.
    auto fresh = std::make_unique<impl>(impl_->plan, impl_->options);
    eval::state_reader r(path);
    const std::string revision = r.str();
    if (revision != fresh->plan->revision())
        r.fail("it was saved for plan revision " + revision.substr(0, 12) + "…, and this plan is revision " +
               fresh->plan->revision().substr(0, 12) + "… (feed the records again to move them to another revision)");
    std::string host = r.str();
    fresh->st.load(r);
    r.finish();
    fresh->subscribers = std::move(impl_->subscribers);
    fresh->next_token = impl_->next_token;
    fresh->watch_date = impl_->watch_date;
    impl_ = std::move(fresh);
    // Listeners hear of changes from the restored state on, not of the restore itself.
    impl_->notify(true);
    return host;
}

report engine::evaluate(calendar::day as_of) { return impl_->evaluate(as_of, impl_->options.evidence); }

void engine::evaluate(calendar::day as_of, report_sink& sink) { impl_->evaluate(as_of, impl_->options.evidence, sink); }

int engine::subscribe(subscriber callback) {
    const int token = impl_->next_token++;
    const bool first = impl_->subscribers.empty();
    impl_->subscribers.emplace(token, std::move(callback));
    // A new listener hears of changes from now on, not of the state the engine is in.
    if (first) impl_->notify(true);
    return token;
}

void engine::unsubscribe(int token) { impl_->subscribers.erase(token); }

void engine::set_watch_date(std::optional<calendar::day> as_of) {
    impl_->watch_date = as_of;
    // Time passing changes buckets as records do (one closes, one enters its warn window, a
    // new one starts): subscribers hear the difference between the two dates.
    impl_->notify();
}

}  // namespace mandate
