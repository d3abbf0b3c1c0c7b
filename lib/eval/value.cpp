#include "value.hpp"

#include <stdexcept>

namespace mandate::eval {

reported_value to_reported(const val& v) {
    reported_value r;
    switch (v.k) {
        case val::kind::undef:
        case val::kind::str: break;
        case val::kind::boolean:
            r.k = reported_value::kind::boolean;
            r.boolean = v.b;
            break;
        case val::kind::number:
            r.k = reported_value::kind::number;
            r.number = v.n;
            break;
        case val::kind::date:
            r.k = reported_value::kind::date;
            r.date = static_cast<calendar::day>(v.i);
            break;
        case val::kind::duration:
            r.k = reported_value::kind::days;
            r.number = rational(v.i);
            break;
    }
    return r;
}

val unary(check::op op, const val& a) {
    if (op == check::op::not_) return val::boolean(!a.truthy());
    if (a.k == val::kind::number) {
        try {
            return val::number(-a.n);
        } catch (const arithmetic_overflow&) {
            return val::undef();
        }
    }
    if (a.k == val::kind::duration) return val::days(-a.i);
    return val::undef();
}

val binary(check::op op, const val& a, const val& b, bool& undefined) {
    if (check::is_comparison(op)) {
        if (a.k == val::kind::undef || b.k == val::kind::undef) {
            undefined = true;
            return val::boolean(false);
        }
        int c = 0;
        if (a.k == val::kind::number && b.k == val::kind::number) {
            c = compare(a.n, b.n);
        } else if (a.k == val::kind::boolean && b.k == val::kind::boolean) {
            c = a.b == b.b ? 0 : 1;
        } else if (a.k == b.k) {
            c = a.i < b.i ? -1 : (a.i > b.i ? 1 : 0);
        } else {
            return val::boolean(false);
        }
        switch (op) {
            case check::op::eq: return val::boolean(c == 0);
            case check::op::ne: return val::boolean(c != 0);
            case check::op::lt: return val::boolean(c < 0);
            case check::op::le: return val::boolean(c <= 0);
            case check::op::gt: return val::boolean(c > 0);
            case check::op::ge: return val::boolean(c >= 0);
            default: return val::boolean(false);
        }
    }
    if (a.k == val::kind::undef || b.k == val::kind::undef) return val::undef();
    try {
        if (a.k == val::kind::number && b.k == val::kind::number) {
            switch (op) {
                case check::op::add: return val::number(a.n + b.n);
                case check::op::sub: return val::number(a.n - b.n);
                case check::op::mul: return val::number(a.n * b.n);
                case check::op::div:
                    if (b.n == rational(0)) return val::undef();
                    return val::number(a.n / b.n);
                default: break;
            }
        }
        if (a.k == val::kind::duration && b.k == val::kind::duration)
            return op == check::op::add ? val::days(a.i + b.i) : val::days(a.i - b.i);
        if (a.k == val::kind::date && b.k == val::kind::duration)
            return op == check::op::add ? val::date(a.i + b.i) : val::date(a.i - b.i);
        if (a.k == val::kind::date && b.k == val::kind::date) return val::days(a.i - b.i);
    } catch (const arithmetic_overflow&) {
        return val::undef();
    } catch (const std::domain_error&) {
        return val::undef();
    }
    return val::undef();
}

}  // namespace mandate::eval
