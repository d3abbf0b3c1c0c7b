// The parser driver: calls the grammar one declaration at a time, turns X3's expectation
// failures into diagnostics, and recovers at the next declaration.
#include "mandate/syntax/parse.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <optional>

#include "mandate/syntax/scenario.hpp"
#include "support/spelling.hpp"

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

// A word in column 1 that is a declaration keyword misspelt ("obligaton"): where the next
// declaration most likely starts, to be reported there rather than skipped.
bool starts_misspelt_declaration(const char* p, const char* last) {
    const char* q = p;
    while (q != last && is_idchar(*q)) ++q;
    if (q == p || q == last || (*q != ' ' && *q != '\t')) return false;
    const std::string_view word(p, static_cast<std::size_t>(q - p));
    return !ast::is_reserved_word(word) && !detail::closest_word(word, declaration_keywords).empty();
}

// The start of the first line after `from` that opens with a declaration keyword, or a
// misspelling of one, in column 1.
const char* recovery_point(const char* from, const char* last) {
    const char* p = from;
    for (;;) {
        p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(last - p)));
        if (p == nullptr) return last;
        ++p;
        if (starts_declaration(p, last) || starts_misspelt_declaration(p, last)) return p;
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

// ", did you mean 'every'?" when the word at `p` is a misspelling of one of the keywords that
// `which` names as expected there ("a clause (cite, each, ...)"), else "".
std::string keyword_suggestion(const std::string& which, const char* p, const char* last) {
    if (p == last || !is_idchar(*p)) return "";
    const char* q = p;
    while (q != last && is_idchar(*q)) ++q;
    const std::string_view found(p, static_cast<std::size_t>(q - p));
    std::vector<std::string> expected;
    for (std::size_t i = 0; i < which.size();) {
        if (!is_idchar(which[i])) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < which.size() && is_idchar(which[j])) ++j;
        std::string word = which.substr(i, j - i);
        if ((ast::is_reserved_word(word) && word != "or") || word == "as_of" || word == "expect" || word == "retract" || word == "given" ||
            word == "record" || word == "entity" || word == "test" || word == "calendar")
            expected.push_back(std::move(word));
        i = j;
    }
    // A reserved word out of place, a number or a short word is no misspelling of a keyword.
    if (found.size() < 3 || !std::isalpha(static_cast<unsigned char>(found[0])) || ast::is_reserved_word(found)) return "";
    const std::string best = detail::closest_word(found, expected);
    const std::size_t most = found.size() >= 5 ? 2 : 1;
    if (best.empty() || detail::edit_distance(found, best) > most) return "";
    return ", did you mean '" + best + "'?";
}

std::string expected_message(std::string which, const char* p, const char* last) {
    // Every expectation point names a rule; should an unnamed parser slip through, its
    // mangled C++ type must not reach the author.
    if (which.rfind("N5boost", 0) == 0 || which.find("boost::") != std::string::npos || which.find("spirit") != std::string::npos)
        which = "something else here";
    std::string message = "expected " + which + ", found " + describe_found(p, last);
    message += keyword_suggestion(which, p, last);
    const bool wants_name = which == "an identifier" || which.find("NAME") != std::string::npos ||
                            which.find("a name") != std::string::npos;
    if (wants_name && p != last && is_idchar(*p)) {
        const char* q = p;
        while (q != last && is_idchar(*q)) ++q;
        if (ast::is_reserved_word(std::string_view(p, static_cast<std::size_t>(q - p)))) message += ", a reserved word";
    }
    return message;
}

// ---------------------------------------------------------------- input-method punctuation

// Punctuation a Chinese input method types in place of the ASCII the language uses: each is
// three bytes of UTF-8, and the ASCII it stands for at most three, so the text with them
// replaced (padded with spaces) keeps every byte offset.
struct full_width_mark {
    const char* utf8;
    const char* ascii;
    const char* name;
};

const full_width_mark full_width_marks[] = {
    {"\xEF\xBC\x8C", ",", "full-width comma"},           {"\xE3\x80\x81", ",", "enumeration comma"},
    {"\xEF\xBC\x9A", ":", "full-width colon"},           {"\xEF\xBC\x88", "(", "full-width parenthesis"},
    {"\xEF\xBC\x89", ")", "full-width parenthesis"},     {"\xEF\xBC\xBB", "[", "full-width bracket"},
    {"\xEF\xBC\xBD", "]", "full-width bracket"},         {"\xEF\xBD\x9B", "{", "full-width brace"},
    {"\xEF\xBD\x9D", "}", "full-width brace"},           {"\xE2\x89\xA5", ">=", "the sign '\xE2\x89\xA5'"},
    {"\xE2\x89\xA4", "<=", "the sign '\xE2\x89\xA4'"},    {"\xE2\x89\xA0", "!=", "the sign '\xE2\x89\xA0'"},
    {"\xEF\xBC\x9E", ">", "full-width greater-than sign"}, {"\xEF\xBC\x9C", "<", "full-width less-than sign"},
    {"\xEF\xBC\x9D", "=", "full-width equals sign"},     {"\xEF\xBC\x85", "%", "full-width percent sign"},
    {"\xEF\xBD\x9C", "|", "full-width vertical bar"},    {"\xEF\xBC\x8E", ".", "full-width full stop"},
    {"\xE3\x80\x82", ".", "ideographic full stop"},      {"\xEF\xBC\x8D", "-", "full-width hyphen-minus"},
    {"\xEF\xBC\x8B", "+", "full-width plus sign"},       {"\xEF\xBC\x8A", "*", "full-width asterisk"},
    {"\xEF\xBC\x8F", "/", "full-width solidus"},         {"\xEF\xBC\x81", "!", "full-width exclamation mark"},
    {"\xEF\xBC\x82", "\"", "full-width quotation mark"},  {"\xE2\x80\x9C", "\"", "Chinese quotation mark"},
    {"\xE2\x80\x9D", "\"", "Chinese quotation mark"},     {"\xE3\x80\x80", " ", "ideographic space"},
};

const full_width_mark* full_width_at(const char* p, const char* last) {
    if (last - p < 3) return nullptr;
    for (const auto& m : full_width_marks)
        if (std::memcmp(p, m.utf8, 3) == 0) return &m;
    return nullptr;
}

// Reports every input-method mark outside strings and comments, one error each ("'（' is a
// full-width parenthesis: write '('"), and returns the text with each replaced by its ASCII, for
// the parser to read on as the author meant; or nothing when there is none. A string opened
// with a Chinese quotation mark runs to its closing one (or the line's end) and its contents are
// left alone.
std::optional<std::string> fold_full_width(const source_file& source, std::vector<diagnostic>& diagnostics) {
    const std::string& text = source.text();
    const char* const begin = text.data();
    const char* const last = begin + text.size();
    std::optional<std::string> folded;
    bool in_string = false;
    const char* closing = nullptr;  // the closing mark of the string open, or nullptr for '"'
    for (const char* p = begin; p < last; ++p) {
        const char c = *p;
        if (c == '\n') {
            in_string = false;
            continue;
        }
        if (in_string) {
            if (closing == nullptr) {
                if (c == '\\' && p + 1 != last && p[1] != '\n') ++p;
                else if (c == '"') in_string = false;
                continue;
            }
            const full_width_mark* m = full_width_at(p, last);
            if (m == nullptr || std::strcmp(m->ascii, "\"") != 0) continue;
        } else if (c == '"') {
            in_string = true;
            closing = nullptr;
            continue;
        } else if (c == '#') {
            while (p + 1 != last && p[1] != '\n') ++p;
            continue;
        }
        const full_width_mark* m = full_width_at(p, last);
        if (m == nullptr) continue;
        const auto offset = static_cast<std::uint32_t>(p - begin);
        const std::string shown(p, 3);
        std::string message;
        if (std::strncmp(m->name, "the sign", 8) == 0)
            message = "'" + shown + "' is not an operator of the rule language: write '" + m->ascii + "'";
        else if (std::strcmp(m->ascii, " ") == 0)
            message = "'" + shown + "' is an ideographic space, as a Chinese input method types it: write an ASCII space";
        else
            message = "'" + shown + "' is a " + m->name + ", as a Chinese input method types it: write '" + m->ascii + "'";
        diagnostics.push_back(make_diagnostic(source, span{offset, offset + 3}, std::move(message)));
        if (!folded) folded = text;
        char* out = folded->data() + offset;
        const std::size_t n = std::strlen(m->ascii);
        std::memcpy(out, m->ascii, n);
        std::memset(out + n, ' ', 3 - n);
        if (std::strcmp(m->ascii, "\"") == 0) {
            // A Chinese quotation mark opens a string (closed by another) or closes one.
            if (in_string) {
                in_string = false;
            } else {
                in_string = true;
                closing = m->utf8;
            }
        }
        p += 2;
    }
    return folded;
}

// Notes the keyword and name of a declaration that starts at `p` and did not parse, so the
// checker's errors about that name being unknown can be told from real ones.
// A misspelt keyword counts as the word it stands for ("obligaton x" breaks obligation x).
void note_broken(parse_output& out, const char* p, const char* last) {
    const char* k = p;
    while (k != last && is_idchar(*k)) ++k;
    if (k == p) return;
    const std::string keyword = detail::closest_word(std::string_view(p, static_cast<std::size_t>(k - p)), declaration_keywords);
    const char* q = k;
    while (q != last && (*q == ' ' || *q == '\t')) ++q;
    const char* e = q;
    while (e != last && is_idchar(*e)) ++e;
    out.broken.push_back({keyword, std::string(q, e)});
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
    if (source.text().size() > l.max_source_bytes) {
        out.diagnostics.push_back(make_diagnostic(
            source, span{0, 0}, "rule file is larger than the limit of " + std::to_string(l.max_source_bytes) + " bytes"));
        return out;
    }
    out.file.comments = scan_comments(source.text());
    // Punctuation typed by an input method is reported, every instance, and read as meant.
    const auto folded = fold_full_width(source, out.diagnostics);
    const std::string& text = folded ? *folded : source.text();

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
            note_broken(out, start, last);
            first = recovery_point(start, last);
        } catch (const x3::expectation_failure<iterator_type>& failure) {
            // A string left open is reported where the line ends, not on the next line.
            const bool open_string = failure.which() == "'\"'";
            const char* at = open_string ? failure.where() : skip_blank(failure.where(), last);
            report(at, open_string ? std::string("this string is not closed on its line")
                                   : expected_message(failure.which(), at, last));
            note_broken(out, start, last);
            first = recovery_point(at, last);
        } catch (const parser::semantic_error& error) {
            const char* at = skip_blank(error.where, last);
            report(at, error.message);
            note_broken(out, start, last);
            first = recovery_point(at, last);
        }
    }
    std::stable_sort(out.diagnostics.begin(), out.diagnostics.end(),
                     [](const diagnostic& a, const diagnostic& b) { return a.where.begin < b.where.begin; });
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
    if (source.text().size() > l.max_source_bytes) {
        out.diagnostics.push_back(make_diagnostic(
            source, span{0, 0}, "test file is larger than the limit of " + std::to_string(l.max_source_bytes) + " bytes"));
        return out;
    }
    const auto folded = fold_full_width(source, out.diagnostics);
    const std::string& text = folded ? *folded : source.text();
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
    std::stable_sort(out.diagnostics.begin(), out.diagnostics.end(),
                     [](const diagnostic& a, const diagnostic& b) { return a.where.begin < b.where.begin; });
    return out;
}

}  // namespace mandate::syntax
