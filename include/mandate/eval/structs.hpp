// A host's own structs as records: no JSON, and no field looked up by name per record.
//
//   struct visit {
//       std::string id, unit;
//       mandate::date time;
//       int people;
//       std::optional<std::string> venue;
//   };
//   MANDATE_RECORD(visit, id, unit, time, people, venue)   // beside the struct, in its namespace
//
//   mandate::engine e(plan);
//   auto visits = mandate::bind_events<visit>(e, "visit");  // checked against the plan here
//   visits.add(visit{"e1", "v01", {2023, 4, 10}, 3, {}});
//   visits.add(records.data(), records.size(), "visits");   // a batch
//
// Each member is named by its record key: the built-in keys of an event (id, time, unit) or of
// an entity (entity, parent, name, since, until, version), or a field the event type or kind
// declares. bind_events and bind_entities resolve them against the compiled plan once, and throw
// binding_error naming every member that does not fit: a type or kind the plan lacks, a member
// no field matches, a required field or key no member gives, a member whose C++ type cannot
// hold the field's values. A record added so is checked and judged exactly as its JSON twin
// would be (the JSON object with the same keys and values): the same rejection reasons, and a
// duplicate of that twin rather than a conflict with it.
//
// Member types (and the JSON value each stands for):
//   std::string, std::string_view           a string (text and ref fields, ids, `time` text)
//   integral types, bool                    a number, true/false
//   float, double                           a number, written as its shortest round-trip decimal
//   mandate::millionths                     an exact number in millionths
//   mandate::date                           a date string like "2023-05-31"
//   std::chrono::system_clock::time_point   a date-time in UTC (`time` only)
//   std::optional<M>                        M, or the key left out when unset
//   std::vector<M>, std::set<M>, ...        a list of M (set fields)
//
// Where a member's name is not its key, or members are private, specialise
// mandate::record_traits<T> instead of using the macro:
//
//   template <> struct mandate::record_traits<legacy_row> {
//       static auto members() {
//           return std::make_tuple(mandate::member("id", &legacy_row::key),
//                                  mandate::member("people", &legacy_row::headcount), ...);
//       }
//   };
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "mandate/eval/engine.hpp"
#include "mandate/ingest/host_value.hpp"

namespace mandate {

// A member of T under a record key.
template <class T, class M>
struct member_ref {
    std::string_view name;
    M T::*pointer;
};

template <class T, class M>
constexpr member_ref<T, M> member(std::string_view name, M T::*pointer) {
    return {name, pointer};
}

// The customisation point: members() returns a tuple of member(name, &T::m). By default it is
// the one MANDATE_RECORD defines beside T (found by argument-dependent lookup).
template <class T, class = void>
struct record_traits {
    static auto members() { return mandate_members(static_cast<const T*>(nullptr)); }
};

namespace detail {

template <class M, class = void>
struct host_type {
    // No specialisation matches: the member's type is not one a record can carry.
    static_assert(sizeof(M) == 0, "mandate: this member type cannot be a record's value (see mandate/eval/structs.hpp)");
};

template <class M>
struct scalar_type {
    static constexpr bool optional = false, list = false;
};

template <>
struct host_type<std::string> : scalar_type<std::string> {
    static constexpr host_kind kind = host_kind::text;
    static void put(const std::string& v, host_value& out, std::vector<host_value>&) { out.text = v; }
};
template <>
struct host_type<std::string_view> : scalar_type<std::string_view> {
    static constexpr host_kind kind = host_kind::text;
    static void put(std::string_view v, host_value& out, std::vector<host_value>&) { out.text = v; }
};
template <>
struct host_type<bool> : scalar_type<bool> {
    static constexpr host_kind kind = host_kind::boolean;
    static void put(bool v, host_value& out, std::vector<host_value>&) { out.number = v ? 1 : 0; }
};
template <class M>
struct host_type<M, std::enable_if_t<std::is_integral_v<M> && !std::is_same_v<M, bool> && !std::is_same_v<M, char>>>
    : scalar_type<M> {
    static constexpr host_kind kind = host_kind::integer;
    static void put(M v, host_value& out, std::vector<host_value>&) {
        if constexpr (std::is_unsigned_v<M> && sizeof(M) >= sizeof(std::int64_t))
            out.overflow = v > static_cast<M>(std::numeric_limits<std::int64_t>::max());
        out.number = static_cast<std::int64_t>(v);
    }
};
template <class M>
struct host_type<M, std::enable_if_t<std::is_floating_point_v<M>>> : scalar_type<M> {
    static constexpr host_kind kind = host_kind::real;
    static void put(M v, host_value& out, std::vector<host_value>&) { out.real = static_cast<double>(v); }
};
template <>
struct host_type<millionths> : scalar_type<millionths> {
    static constexpr host_kind kind = host_kind::millionths;
    static void put(millionths v, host_value& out, std::vector<host_value>&) { out.number = v.value; }
};
template <>
struct host_type<date> : scalar_type<date> {
    static constexpr host_kind kind = host_kind::date;
    static void put(date v, host_value& out, std::vector<host_value>&) { out.number = v.day; }
};
template <class D>
struct host_type<std::chrono::time_point<std::chrono::system_clock, D>>
    : scalar_type<std::chrono::time_point<std::chrono::system_clock, D>> {
    static constexpr host_kind kind = host_kind::instant;
    static void put(std::chrono::time_point<std::chrono::system_clock, D> v, host_value& out, std::vector<host_value>&) {
        const auto s = std::chrono::floor<std::chrono::seconds>(v);
        out.number = static_cast<std::int64_t>(s.time_since_epoch().count());
        out.nanos = static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(v - s).count());
    }
};
template <class M>
struct host_type<std::optional<M>> {
    static constexpr host_kind kind = host_type<M>::kind;
    static constexpr bool optional = true, list = host_type<M>::list;
    static_assert(!host_type<M>::optional, "mandate: an optional of an optional member");
    static void put(const std::optional<M>& v, host_value& out, std::vector<host_value>& items) {
        out.present = v.has_value();
        if (v) host_type<M>::put(*v, out, items);
    }
};

// A sequence: anything with begin() and end() over scalars, but text.
template <class M, class = void>
struct is_sequence : std::false_type {};
template <class M>
struct is_sequence<M, std::void_t<decltype(std::begin(std::declval<const M&>())), decltype(std::end(std::declval<const M&>())),
                                  typename M::value_type>>
    : std::bool_constant<!std::is_same_v<M, std::string> && !std::is_same_v<M, std::string_view>> {};

template <class M>
struct host_type<M, std::enable_if_t<is_sequence<M>::value>> {
    using element = host_type<typename M::value_type>;
    static_assert(!element::list && !element::optional, "mandate: a list member holds scalars");
    static constexpr host_kind kind = element::kind;
    static constexpr bool optional = false, list = true;
    static void put(const M& v, host_value& out, std::vector<host_value>& items) {
        items.clear();
        std::vector<host_value> none;
        for (const auto& x : v) {
            items.emplace_back();
            element::put(x, items.back(), none);
        }
        out.items = items.data();
        out.count = items.size();
    }
};

template <class T>
using members_of = decltype(record_traits<T>::members());

template <class M>
using plain = std::remove_cv_t<std::remove_reference_t<M>>;

template <class T, class M>
host_member describe_one(const member_ref<T, M>& m) {
    using h = host_type<plain<M>>;
    host_member out;
    out.name = m.name;
    out.kind = h::kind;
    out.optional = h::optional;
    out.list = h::list;
    return out;
}

}  // namespace detail

// The members of T as bind() takes them.
template <class T>
std::array<host_member, std::tuple_size_v<detail::members_of<T>>> describe() {
    return std::apply([](const auto&... m) { return std::array<host_member, sizeof...(m)>{detail::describe_one(m)...}; },
                      record_traits<T>::members());
}

// A struct type bound to an engine's plan: adds T records to that engine. Holds scratch for
// one record's values, so one per thread, as the engine is.
template <class T>
class bound_records {
public:
    static constexpr std::size_t size = std::tuple_size_v<detail::members_of<T>>;

    // `b` must be a binding of T's members (from bind_events<T> or bind_entities<T>, for any
    // engine of e's plan); one with another count of members throws std::invalid_argument.
    bound_records(engine& e, record_binding b) : engine_(&e), binding_(std::move(b)), members_(record_traits<T>::members()) {
        if (binding_.members() != size)
            throw std::invalid_argument("mandate::bound_records: the binding for '" + binding_.target() + "' has " +
                                        std::to_string(binding_.members()) + " members, and this type " + std::to_string(size));
    }

    // Adds one record; last_error() on the engine says why when it is rejected.
    add_status add(const T& record, std::string_view source = "", std::uint64_t line = 0) {
        fill(record, values_.data(), 0);
        return engine_->add(binding_, values_.data(), source, line);
    }
    // Adds `count` records from `first` on, numbered first_line + 1 on in rejections. Subscribers
    // hear of each as add() would tell them; rejections are counted in the report.
    batch_result add(const T* first, std::size_t count, std::string_view source = "", std::uint64_t first_line = 0) {
        span_batch batch(*this, first, count);
        return engine_->add_batch(binding_, batch, source, first_line);
    }
    batch_result add(const std::vector<T>& records, std::string_view source = "", std::uint64_t first_line = 0) {
        return add(records.data(), records.size(), source, first_line);
    }

    const record_binding& binding() const { return binding_; }

private:
    class span_batch : public host_batch {
    public:
        span_batch(bound_records& b, const T* first, std::size_t count) : b_(b), first_(first), count_(count) {}
        std::size_t size() const override { return count_; }
        void fill(std::size_t i, host_value* out, int buffer) override { b_.fill(first_[i], out, buffer); }

    private:
        bound_records& b_;
        const T* first_;
        std::size_t count_;
    };

    void fill(const T& record, host_value* out, int buffer) {
        fill_each(record, out, lists_[static_cast<std::size_t>(buffer)], std::make_index_sequence<size>());
    }
    template <std::size_t... I>
    void fill_each(const T& record, host_value* out, std::array<std::vector<host_value>, size>& lists,
                   std::index_sequence<I...>) {
        (put(record, std::get<I>(members_), out[I], lists[I]), ...);
    }
    template <class M>
    static void put(const T& record, const member_ref<T, M>& m, host_value& out, std::vector<host_value>& items) {
        out = host_value{};
        detail::host_type<detail::plain<M>>::put(record.*(m.pointer), out, items);
    }

    engine* engine_;
    record_binding binding_;
    detail::members_of<T> members_;
    std::array<host_value, size> values_{};
    std::array<std::array<std::vector<host_value>, size>, 2> lists_;
};

// Binds T's members to an event type of e's plan; throws binding_error listing what does not fit.
template <class T>
bound_records<T> bind_events(engine& e, std::string_view event_type) {
    const auto members = describe<T>();
    return bound_records<T>(e, e.bind_event(event_type, members.data(), members.size()));
}

// Binds T's members to an entity kind of e's plan; throws binding_error listing what does not fit.
template <class T>
bound_records<T> bind_entities(engine& e, std::string_view kind) {
    const auto members = describe<T>();
    return bound_records<T>(e, e.bind_entity(kind, members.data(), members.size()));
}

}  // namespace mandate

// MANDATE_RECORD(Type, member...): names Type's record members (at most 64), each under its own
// name. Put it beside Type, in Type's namespace.
#define MANDATE_RECORD(Type, ...) \
    [[maybe_unused]] inline auto mandate_members(const Type*) { return std::make_tuple(MANDATE_PP_MEMBERS(Type, __VA_ARGS__)); }

// The expansion of MANDATE_RECORD's member list.
#define MANDATE_PP_EXPAND(x) x
#define MANDATE_PP_GET_MACRO(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, _17, _18, _19, _20, _21, _22, _23, _24, _25, _26, _27, _28, _29, _30, _31, _32, _33, _34, _35, _36, _37, _38, _39, _40, _41, _42, _43, _44, _45, _46, _47, _48, _49, _50, _51, _52, _53, _54, _55, _56, _57, _58, _59, _60, _61, _62, _63, _64, NAME, ...) NAME
#define MANDATE_PP_MEMBERS(T, ...) MANDATE_PP_EXPAND(MANDATE_PP_GET_MACRO(__VA_ARGS__, MANDATE_PP_M64, MANDATE_PP_M63, MANDATE_PP_M62, MANDATE_PP_M61, MANDATE_PP_M60, MANDATE_PP_M59, MANDATE_PP_M58, MANDATE_PP_M57, MANDATE_PP_M56, MANDATE_PP_M55, MANDATE_PP_M54, MANDATE_PP_M53, MANDATE_PP_M52, MANDATE_PP_M51, MANDATE_PP_M50, MANDATE_PP_M49, MANDATE_PP_M48, MANDATE_PP_M47, MANDATE_PP_M46, MANDATE_PP_M45, MANDATE_PP_M44, MANDATE_PP_M43, MANDATE_PP_M42, MANDATE_PP_M41, MANDATE_PP_M40, MANDATE_PP_M39, MANDATE_PP_M38, MANDATE_PP_M37, MANDATE_PP_M36, MANDATE_PP_M35, MANDATE_PP_M34, MANDATE_PP_M33, MANDATE_PP_M32, MANDATE_PP_M31, MANDATE_PP_M30, MANDATE_PP_M29, MANDATE_PP_M28, MANDATE_PP_M27, MANDATE_PP_M26, MANDATE_PP_M25, MANDATE_PP_M24, MANDATE_PP_M23, MANDATE_PP_M22, MANDATE_PP_M21, MANDATE_PP_M20, MANDATE_PP_M19, MANDATE_PP_M18, MANDATE_PP_M17, MANDATE_PP_M16, MANDATE_PP_M15, MANDATE_PP_M14, MANDATE_PP_M13, MANDATE_PP_M12, MANDATE_PP_M11, MANDATE_PP_M10, MANDATE_PP_M9, MANDATE_PP_M8, MANDATE_PP_M7, MANDATE_PP_M6, MANDATE_PP_M5, MANDATE_PP_M4, MANDATE_PP_M3, MANDATE_PP_M2, MANDATE_PP_M1)(T, __VA_ARGS__))
#define MANDATE_PP_M1(T, m) ::mandate::member(#m, &T::m)
#define MANDATE_PP_M2(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M1(T, __VA_ARGS__))
#define MANDATE_PP_M3(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M2(T, __VA_ARGS__))
#define MANDATE_PP_M4(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M3(T, __VA_ARGS__))
#define MANDATE_PP_M5(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M4(T, __VA_ARGS__))
#define MANDATE_PP_M6(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M5(T, __VA_ARGS__))
#define MANDATE_PP_M7(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M6(T, __VA_ARGS__))
#define MANDATE_PP_M8(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M7(T, __VA_ARGS__))
#define MANDATE_PP_M9(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M8(T, __VA_ARGS__))
#define MANDATE_PP_M10(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M9(T, __VA_ARGS__))
#define MANDATE_PP_M11(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M10(T, __VA_ARGS__))
#define MANDATE_PP_M12(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M11(T, __VA_ARGS__))
#define MANDATE_PP_M13(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M12(T, __VA_ARGS__))
#define MANDATE_PP_M14(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M13(T, __VA_ARGS__))
#define MANDATE_PP_M15(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M14(T, __VA_ARGS__))
#define MANDATE_PP_M16(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M15(T, __VA_ARGS__))
#define MANDATE_PP_M17(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M16(T, __VA_ARGS__))
#define MANDATE_PP_M18(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M17(T, __VA_ARGS__))
#define MANDATE_PP_M19(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M18(T, __VA_ARGS__))
#define MANDATE_PP_M20(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M19(T, __VA_ARGS__))
#define MANDATE_PP_M21(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M20(T, __VA_ARGS__))
#define MANDATE_PP_M22(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M21(T, __VA_ARGS__))
#define MANDATE_PP_M23(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M22(T, __VA_ARGS__))
#define MANDATE_PP_M24(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M23(T, __VA_ARGS__))
#define MANDATE_PP_M25(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M24(T, __VA_ARGS__))
#define MANDATE_PP_M26(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M25(T, __VA_ARGS__))
#define MANDATE_PP_M27(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M26(T, __VA_ARGS__))
#define MANDATE_PP_M28(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M27(T, __VA_ARGS__))
#define MANDATE_PP_M29(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M28(T, __VA_ARGS__))
#define MANDATE_PP_M30(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M29(T, __VA_ARGS__))
#define MANDATE_PP_M31(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M30(T, __VA_ARGS__))
#define MANDATE_PP_M32(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M31(T, __VA_ARGS__))
#define MANDATE_PP_M33(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M32(T, __VA_ARGS__))
#define MANDATE_PP_M34(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M33(T, __VA_ARGS__))
#define MANDATE_PP_M35(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M34(T, __VA_ARGS__))
#define MANDATE_PP_M36(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M35(T, __VA_ARGS__))
#define MANDATE_PP_M37(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M36(T, __VA_ARGS__))
#define MANDATE_PP_M38(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M37(T, __VA_ARGS__))
#define MANDATE_PP_M39(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M38(T, __VA_ARGS__))
#define MANDATE_PP_M40(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M39(T, __VA_ARGS__))
#define MANDATE_PP_M41(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M40(T, __VA_ARGS__))
#define MANDATE_PP_M42(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M41(T, __VA_ARGS__))
#define MANDATE_PP_M43(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M42(T, __VA_ARGS__))
#define MANDATE_PP_M44(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M43(T, __VA_ARGS__))
#define MANDATE_PP_M45(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M44(T, __VA_ARGS__))
#define MANDATE_PP_M46(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M45(T, __VA_ARGS__))
#define MANDATE_PP_M47(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M46(T, __VA_ARGS__))
#define MANDATE_PP_M48(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M47(T, __VA_ARGS__))
#define MANDATE_PP_M49(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M48(T, __VA_ARGS__))
#define MANDATE_PP_M50(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M49(T, __VA_ARGS__))
#define MANDATE_PP_M51(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M50(T, __VA_ARGS__))
#define MANDATE_PP_M52(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M51(T, __VA_ARGS__))
#define MANDATE_PP_M53(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M52(T, __VA_ARGS__))
#define MANDATE_PP_M54(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M53(T, __VA_ARGS__))
#define MANDATE_PP_M55(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M54(T, __VA_ARGS__))
#define MANDATE_PP_M56(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M55(T, __VA_ARGS__))
#define MANDATE_PP_M57(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M56(T, __VA_ARGS__))
#define MANDATE_PP_M58(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M57(T, __VA_ARGS__))
#define MANDATE_PP_M59(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M58(T, __VA_ARGS__))
#define MANDATE_PP_M60(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M59(T, __VA_ARGS__))
#define MANDATE_PP_M61(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M60(T, __VA_ARGS__))
#define MANDATE_PP_M62(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M61(T, __VA_ARGS__))
#define MANDATE_PP_M63(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M62(T, __VA_ARGS__))
#define MANDATE_PP_M64(T, m, ...) ::mandate::member(#m, &T::m), MANDATE_PP_EXPAND(MANDATE_PP_M63(T, __VA_ARGS__))
