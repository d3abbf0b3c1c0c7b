// The values met while a plan is evaluated — undefined, a boolean, an exact number, a date, a
// duration in days, a string (an interned id) — and the operators of the rule language on them,
// with LANGUAGE.md's treatment of undefined values.
#pragma once

#include <cstdint>

#include "mandate/check/model.hpp"
#include "mandate/eval/report.hpp"
#include "mandate/rational.hpp"

namespace mandate::eval {

struct val {
    enum class kind : std::uint8_t { undef, boolean, number, date, duration, str };
    kind k = kind::undef;
    bool b = false;
    rational n;          // number
    std::int64_t i = 0;  // date day, duration days, string id

    static val undef() { return {}; }
    static val boolean(bool v) {
        val x;
        x.k = kind::boolean;
        x.b = v;
        return x;
    }
    static val number(rational v) {
        val x;
        x.k = kind::number;
        x.n = v;
        return x;
    }
    static val date(std::int64_t d) {
        val x;
        x.k = kind::date;
        x.i = d;
        return x;
    }
    static val days(std::int64_t d) {
        val x;
        x.k = kind::duration;
        x.i = d;
        return x;
    }
    static val str(std::int64_t id) {
        val x;
        x.k = kind::str;
        x.i = id;
        return x;
    }
    bool truthy() const { return k == kind::boolean && b; }
};

// The value as a report shows it (strings are not reported: null).
reported_value to_reported(const val& v);

// `not` and unary minus; anything else is undefined.
val unary(check::op op, const val& a);

// Arithmetic and comparison. A comparison with an undefined side is false and sets
// `undefined`; arithmetic with one (or an overflow, or a division by zero) is undefined.
val binary(check::op op, const val& a, const val& b, bool& undefined);

}  // namespace mandate::eval
