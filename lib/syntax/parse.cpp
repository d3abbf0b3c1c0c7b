// The parser driver: calls the grammar one declaration at a time, turns X3's expectation
// failures into diagnostics, and recovers at the next declaration.
#include "mandate/syntax/parse.hpp"

#include <cstring>

#include "mandate/syntax/scenario.hpp"

#include "grammar.hpp"

namespace mandate::syntax {
namespace {

namespace x3 = boost::spirit::x3;
using parser::iterator_type;

bool is_idchar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

const char* const declaration_keywords[] = {"plan", "phase", "calendar", "kind", "event", "obligation", "outcome"};

bool starts_declaration(const char* p, const char* last) {
    for (const char* kw : declaration_keywords) {
        const std::size_t n = std::strlen(kw);
        if (static_cast<std::size_t>(last - p) >= n && std::memcmp(p, kw, n) == 0 && (p + n == last || !is_idchar(p[n])))
            return true;
    }
    return false;
}

// The start of the first line after `from` that opens with a declaration keyword in column 1.
const char* recovery_point(const char* from, const char* last) {
    const char* p = from;
    for (;;) {
        p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(last - p)));
        if (p == nullptr) return last;
        ++p;
        if (starts_declaration(p, last)) return p;
    }
}

const char* skip_blank(const char* p, const char* last) {
    const auto& skipper = parser::skipper;
    while (p != last && skipper.parse(p, last, x3::unused, x3::unused, x3::unused)) {
    }
    return p;
}

// What stands at `p`, for "expected X, found Y".
std::string describe_found(const char* p, const char* last) {
    if (p == last) return "end of file";
    if (is_idchar(*p)) {
        const char* q = p;
        while (q != last && is_idchar(*q)) ++q;
        std::string word(p, q);
        return "'" + word + "'";
    }
    if (*p == '"') return "a string";
    // One UTF-8 character.
    const char* q = p + 1;
    while (q != last && (static_cast<unsigned char>(*q) & 0xC0) == 0x80) ++q;
    return "'" + std::string(p, q) + "'";
}

std::string expected_message(std::string which, const char* p, const char* last) {
    // Every expectation point names a rule; should an unnamed parser slip through, its
    // mangled C++ type must not reach the author.
    if (which.rfind("N5boost", 0) == 0 || which.find("boost::") != std::string::npos || which.find("spirit") != std::string::npos)
        which = "something else here";
    std::string message = "expected " + which + ", found " + describe_found(p, last);
    const bool wants_name = which == "an identifier" || which.find("NAME") != std::string::npos ||
                            which.find("a name") != std::string::npos;
    if (wants_name && p != last && is_idchar(*p)) {
        const char* q = p;
        while (q != last && is_idchar(*q)) ++q;
        if (ast::is_reserved_word(std::string_view(p, static_cast<std::size_t>(q - p)))) message += ", a reserved word";
    }
    return message;
}

template <class Attribute, class Rule>
bool parse_one(const Rule& rule, const char*& first, const char* last, parser::parse_state& state, Attribute& attr) {
    const auto skipper_context = x3::make_context<x3::skipper_tag>(parser::skipper);
    const auto context = x3::make_context<parser::state_tag>(state, skipper_context);
    return rule.parse(first, last, context, x3::unused, attr);
}

}  // namespace

std::vector<ast::comment> scan_comments(std::string_view text) {
    std::vector<ast::comment> comments;
    bool in_string = false;
    bool line_blank = true;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n') {
            in_string = false;
            line_blank = true;
            continue;
        }
        if (in_string) {
            if (c == '\\' && i + 1 < text.size() && text[i + 1] != '\n') ++i;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') {
            in_string = true;
            line_blank = false;
        } else if (c == '#') {
            std::size_t end = text.find('\n', i);
            if (end == std::string_view::npos) end = text.size();
            std::size_t trimmed = end;
            while (trimmed > i && (text[trimmed - 1] == '\r' || text[trimmed - 1] == ' ' || text[trimmed - 1] == '\t'))
                --trimmed;
            comments.push_back({span{static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(trimmed)},
                                std::string(text.substr(i, trimmed - i)), line_blank});
            i = end - 1;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            line_blank = false;
        }
    }
    return comments;
}

parse_output parse(const source_file& source, const limits& l) {
    parse_output out;
    const std::string& text = source.text();
    if (text.size() > l.max_source_bytes) {
        out.diagnostics.push_back(make_diagnostic(
            source, span{0, 0}, "rule file is larger than the limit of " + std::to_string(l.max_source_bytes) + " bytes"));
        return out;
    }
    out.file.comments = scan_comments(text);

    const char* const begin = text.data();
    const char* const last = begin + text.size();
    const char* first = begin;
    parser::parse_state state{begin, 0};
    auto report = [&](const char* at, std::string message) {
        const auto offset = static_cast<std::uint32_t>(at - begin);
        const char* end = at;
        while (end != last && is_idchar(*end)) ++end;
        out.diagnostics.push_back(
            make_diagnostic(source, span{offset, static_cast<std::uint32_t>(end - begin)}, std::move(message)));
    };

    for (;;) {
        first = skip_blank(first, last);
        if (first == last) break;
        const char* const start = first;
        try {
            ast::declaration declaration;
            state.nesting = 0;
            if (parse_one(parser::declaration(), first, last, state, declaration)) {
                out.file.declarations.push_back(std::move(declaration));
                continue;
            }
            report(start, expected_message("a declaration: plan, phase, calendar, kind, event, obligation, outcome", start, last));
            first = recovery_point(start, last);
        } catch (const x3::expectation_failure<iterator_type>& failure) {
            // A string left open is reported where the line ends, not on the next line.
            const bool open_string = failure.which() == "'\"'";
            const char* at = open_string ? failure.where() : skip_blank(failure.where(), last);
            report(at, open_string ? std::string("this string is not closed on its line")
                                   : expected_message(failure.which(), at, last));
            first = recovery_point(at, last);
        } catch (const parser::semantic_error& error) {
            const char* at = skip_blank(error.where, last);
            report(at, error.message);
            first = recovery_point(at, last);
        }
    }
    return out;
}

result<ast::expr> parse_expression(const source_file& source) {
    const std::string& text = source.text();
    const char* const begin = text.data();
    const char* const last = begin + text.size();
    const char* first = begin;
    parser::parse_state state{begin, 0};
    auto fail = [&](const char* at, std::string message) {
        const auto offset = static_cast<std::uint32_t>(at - begin);
        return result<ast::expr>(std::vector<diagnostic>{make_diagnostic(source, span{offset, offset}, std::move(message))});
    };
    try {
        ast::expr e;
        if (!parse_one(parser::expression(), first, last, state, e))
            return fail(skip_blank(first, last), expected_message("an expression", skip_blank(first, last), last));
        first = skip_blank(first, last);
        if (first != last) return fail(first, "unexpected " + describe_found(first, last) + " after the expression");
        return result<ast::expr>(std::move(e));
    } catch (const x3::expectation_failure<iterator_type>& failure) {
        const char* at = skip_blank(failure.where(), last);
        return fail(at, expected_message(failure.which(), at, last));
    } catch (const parser::semantic_error& error) {
        return fail(error.where, error.message);
    }
}

// ---------------------------------------------------------------- scenario test files

namespace {

bool word_at(const char* p, const char* last, const char* word) {
    const std::size_t n = std::strlen(word);
    return static_cast<std::size_t>(last - p) >= n && std::memcmp(p, word, n) == 0 && (p + n == last || !is_idchar(p[n]));
}

const char* const scenario_declaration_keywords[] = {"plan", "given", "test"};
const char* const scenario_statement_keywords[] = {"entity", "event", "retract", "record", "as_of", "expect"};

bool starts_scenario_declaration(const char* p, const char* last) {
    for (const char* kw : scenario_declaration_keywords)
        if (word_at(p, last, kw)) return true;
    return false;
}

bool starts_statement(const char* p, const char* last) {
    for (const char* kw : scenario_statement_keywords)
        if (word_at(p, last, kw)) return true;
    return false;
}

bool at_line_start(const char* p, const char* begin) { return p == begin || p[-1] == '\n'; }

// The next line after `from` that opens, in column 1, with plan, given or test.
const char* scenario_recovery_point(const char* from, const char* last) {
    const char* p = from;
    for (;;) {
        p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(last - p)));
        if (p == nullptr) return last;
        ++p;
        if (starts_scenario_declaration(p, last)) return p;
    }
}

// Where to resume after a broken statement that started at `start` and failed at `at`: the
// first later line that opens with a statement keyword outside any braces the statement
// opened, the '}' that closes the enclosing block, or a declaration in column 1. Braces in
// strings and comments do not count.
const char* statement_recovery_point(const char* start, const char* at, const char* last) {
    int depth = 0;
    bool line_start = false;
    for (const char* p = start; p != last; ++p) {
        if (line_start) {
            const char* q = p;
            while (q != last && (*q == ' ' || *q == '\t' || *q == '\r')) ++q;
            // The error may stand on the first word of a later line (a statement left
            // unfinished at the end of its own): that word is where to resume.
            if (q >= at) {
                if (starts_scenario_declaration(p, last)) return p;
                if (depth == 0 && q != last && starts_statement(q, last)) return q;
            }
            p = q;
            if (p == last) break;
        }
        line_start = false;
        const char c = *p;
        if (c == '\n') {
            line_start = true;
        } else if (c == '#') {
            while (p + 1 != last && p[1] != '\n') ++p;
        } else if (c == '"') {
            while (p + 1 != last && p[1] != '\n' && p[1] != '"') p += (p[1] == '\\' && p + 2 != last && p[2] != '\n') ? 2 : 1;
            if (p + 1 != last && p[1] == '"') ++p;
        } else if (c == '{') {
            ++depth;
        } else if (c == '}') {
            if (depth == 0 && p >= at) return p;
            if (depth > 0) --depth;
        }
    }
    return last;
}

const char* const statement_or_brace = "a statement (entity, event, retract, record, as_of, expect) or '}'";

}  // namespace

bool looks_like_scenarios(std::string_view text) {
    const char* p = text.data();
    const char* const last = p + text.size();
    auto skip = [&] {
        while (p != last) {
            if (*p == '#') {
                while (p != last && *p != '\n') ++p;
            } else if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '\f' || *p == '\v') {
                ++p;
            } else {
                break;
            }
        }
    };
    skip();
    if (word_at(p, last, "given") || word_at(p, last, "test")) return true;
    if (!word_at(p, last, "plan")) return false;
    p += 4;
    skip();
    while (p != last && is_idchar(*p)) ++p;
    skip();
    return p == last || word_at(p, last, "given") || word_at(p, last, "test");
}

scenario_parse_output parse_scenarios(const source_file& source, const limits& l) {
    scenario_parse_output out;
    const std::string& text = source.text();
    if (text.size() > l.max_source_bytes) {
        out.diagnostics.push_back(make_diagnostic(
            source, span{0, 0}, "test file is larger than the limit of " + std::to_string(l.max_source_bytes) + " bytes"));
        return out;
    }
    const char* const begin = text.data();
    const char* const last = begin + text.size();
    const char* first = begin;
    parser::parse_state state{begin, 0};
    auto report = [&](const char* at, std::string message) {
        const auto offset = static_cast<std::uint32_t>(at - begin);
        const char* end = at;
        while (end != last && is_idchar(*end)) ++end;
        out.diagnostics.push_back(
            make_diagnostic(source, span{offset, static_cast<std::uint32_t>(end - begin)}, std::move(message)));
    };
    auto offset_of = [&](const char* p) { return static_cast<std::uint32_t>(p - begin); };
    // The place and message of a failure thrown by the grammar.
    auto failure_at = [&](const x3::expectation_failure<iterator_type>& failure) {
        const bool open_string = failure.which() == "'\"'";
        const char* at = open_string ? failure.where() : skip_blank(failure.where(), last);
        report(at, open_string ? std::string("this string is not closed on its line")
                               : expected_message(failure.which(), at, last));
        return at;
    };

    // The statements of a block whose '{' has just been read; returns where its '}' ends.
    auto body = [&](std::vector<ast::scenario::statement>& statements) -> std::uint32_t {
        bool after_error = false;
        for (;;) {
            first = skip_blank(first, last);
            if (first == last) {
                if (!after_error) report(first, expected_message(statement_or_brace, first, last));
                return offset_of(first);
            }
            if (*first == '}') {
                ++first;
                return offset_of(first);
            }
            if (at_line_start(first, begin) && starts_scenario_declaration(first, last)) {
                if (!after_error) report(first, expected_message(statement_or_brace, first, last));
                return offset_of(first);
            }
            const char* const start = first;
            try {
                ast::scenario::statement statement;
                state.nesting = 0;
                if (parse_one(parser::scenario_statement(), first, last, state, statement)) {
                    statements.push_back(std::move(statement));
                    after_error = false;
                    continue;
                }
                report(start, expected_message(statement_or_brace, start, last));
                first = statement_recovery_point(start, start, last);
            } catch (const x3::expectation_failure<iterator_type>& failure) {
                first = statement_recovery_point(start, failure_at(failure), last);
            } catch (const parser::semantic_error& error) {
                const char* at = skip_blank(error.where, last);
                report(at, error.message);
                first = statement_recovery_point(start, at, last);
            }
            after_error = true;
        }
    };

    for (;;) {
        first = skip_blank(first, last);
        if (first == last) break;
        const char* const start = first;
        try {
            state.nesting = 0;
            if (word_at(first, last, "plan")) {
                ast::scenario::plan_ref plan;
                if (parse_one(parser::scenario_plan(), first, last, state, plan)) {
                    out.file.declarations.push_back(std::move(plan));
                    continue;
                }
            } else if (word_at(first, last, "given")) {
                ast::scenario::given_block given;
                if (parse_one(parser::scenario_given(), first, last, state, given)) {
                    given.loc.end = body(given.statements);
                    out.file.declarations.push_back(std::move(given));
                    continue;
                }
            } else if (word_at(first, last, "test")) {
                ast::scenario::test_block test;
                if (parse_one(parser::scenario_test(), first, last, state, test)) {
                    test.loc.end = body(test.statements);
                    out.file.declarations.push_back(std::move(test));
                    continue;
                }
            }
            report(start, expected_message("a declaration: plan, given, test", start, last));
            first = scenario_recovery_point(start, last);
        } catch (const x3::expectation_failure<iterator_type>& failure) {
            first = scenario_recovery_point(failure_at(failure), last);
        } catch (const parser::semantic_error& error) {
            const char* at = skip_blank(error.where, last);
            report(at, error.message);
            first = scenario_recovery_point(at, last);
        }
    }
    return out;
}

}  // namespace mandate::syntax
