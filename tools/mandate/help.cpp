// The help of `mandate`: one table of commands and options, and what is made from it.
#include "help.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "commands.hpp"

namespace mandate::cli {

namespace {

const std::string limit_text =
    "Changes a limit on untrusted input (repeatable): max_source_bytes, max_expression_depth, "
    "max_record_bytes, max_field_bytes, max_entities or max_buckets (docs/embedding.md, \"Limits\").";
const std::string lang_text = "The language of the notes on standard error";

option_doc help_option() { return {{"-h", "--help"}, "", "Prints this help and exits.", {}}; }

std::vector<command_doc> make_docs() {
    std::vector<command_doc> d;
    d.push_back({"lint",
                 "lint [--werror] [--allow WARNING] [--limit NAME=N] FILE...",
                 "check rule files and test files; print every error and warning",
                 "Reads each rule file or scenario test file (- is standard input), checks it (a test "
                 "file NAME.test.mandate against its plan NAME.mandate), and prints every diagnostic "
                 "on standard error with its file, line and column. A rule file without errors may get "
                 "warnings, each named in brackets: no-timezone, no-cite, percent-scale, warn-too-long, "
                 "unused-kind, unused-event; a comment '# lint: allow NAME' on the warning's line or the "
                 "line above silences it there.",
                 {{{"--werror"}, "", "Fails (exit 2) on a warning too.", {}},
                  {{"--allow"}, "WARNING", "Silences the warning of that name in every file; may be repeated.",
                   {"no-timezone", "no-cite", "percent-scale", "warn-too-long", "unused-kind", "unused-event"}},
                  {{"--limit"}, "NAME=N", limit_text, {}},
                  help_option()},
                 {{0, "no error (warnings may have been printed)"},
                  {2, "an error, a warning under --werror, or a file that cannot be read"}},
                 {"mandate lint --werror rules/*.mandate"}});
    d.push_back({"fmt",
                 "fmt [--check] FILE...",
                 "rewrite rule and test files in canonical layout",
                 "Rewrites each rule file or scenario test file (NAME.test.mandate, or any file that "
                 "opens with plan NAME then given or test) in place in the canonical layout; - reads "
                 "standard input and writes the result to standard output.",
                 {{{"--check"}, "",
                   "Changes nothing: prints a unified diff of each file that would be rewritten, and "
                   "names it on standard error (exit 1 if any).",
                   {}},
                  help_option()},
                 {{0, "done (with --check: nothing to change)"},
                  {1, "with --check: a file would change"},
                  {2, "a file does not parse or cannot be read"},
                  {3, "a file could not be written"}},
                 {"mandate fmt --check rules/*.mandate"}});
    const option_doc events{{"--events"}, "FILE...",
                            "The event records: JSON Lines, CSV (FILE.csv, or TYPE=FILE for one event type), "
                            "or - for JSON Lines on standard input, any of them plain, gzip or zstd (told by "
                            "content). Takes every argument up to the next option.",
                            {}};
    const option_doc encoding{{"--encoding"}, "ENCODING",
                              "The encoding of the CSV inputs: utf-8 (default), gbk or gb18030 (a registry saved by "
                              "Excel on a Chinese Windows machine is GBK).",
                              {"utf-8", "gbk", "gb18030"}};
    const option_doc registry{{"--registry"}, "FILE...",
                              "The registry of units (entity records), read before the events; same formats.", {}};
    const option_doc as_of{{"--as-of"}, "DATE",
                           "The date to evaluate at (2023-12-31); default: the latest event date.", {}};
    const option_doc limit{{"--limit"}, "NAME=N", limit_text, {}};
    const option_doc progress{{"--progress", "--no-progress"}, "",
                              "Shows (or hides) the progress of reading on standard error; default: on a terminal.", {}};
    const option_doc threads{{"--threads"}, "N",
                             "Parses records on N threads (1 to 256); default: one per core. The report is the "
                             "same whatever N.",
                             {}};
    const option_doc block_size{{"--block-size"}, "SIZE",
                                "Hands records to the threads in blocks of SIZE bytes of text (1 to 256M, with K or M "
                                "for KiB or MiB; default 1M), cut between records: 1 makes each record a block. The "
                                "report is the same whatever SIZE.",
                                {}};
    d.push_back({"check",
                 "check PLAN --events FILE... [OPTIONS]",
                 "evaluate records against a plan and report",
                 "Compiles PLAN, reads the registry and the event records, evaluates every obligation "
                 "and outcome at the as-of date, and writes the report. Violations are data, not errors: "
                 "they do not change the exit code.",
                 {events, registry, as_of,
                  {{"--format"}, "FORMAT",
                   "The report's format: table (default on a terminal), json, csv, html or xlsx; by default "
                   "taken from the -o file's extension.",
                   {"table", "json", "csv", "html", "xlsx"}},
                  {{"-o", "--output"}, "FILE", "Writes the report to FILE instead of standard output.", {}},
                  {{"--rejects"}, "FILE", "Writes the rejected records, each with its reason, to FILE.", {}},
                  {{"--strict"}, "",
                   "Exits 1 when a record was rejected, an entity left unresolved, or the report is empty for a "
                   "reason stderr names (no registry read, every registry row rejected, most events unresolved).",
                   {}},
                  {{"--csv-raw"}, "",
                   "Keeps CSV text cells that start with = + - @ as they are (by default they get a leading ').", {}},
                  {{"--state"}, "FILE",
                   "Resumes from the state saved in FILE and saves to it as it goes, after each input and at "
                   "the end (not with --events -). A file read before is skipped when unchanged and read on when "
                   "grown; one not named keeps its records (a run a day names that day's events).",
                   {}},
                  {{"--state-every"}, "N",
                   "With --state: saves every N records as well (default 1000000), at the end of the block "
                   "that holds the Nth.",
                   {}},
                  limit,
                  progress,
                  threads,
                  block_size,
                  {{"--color", "--colour", "--no-color", "--no-colour"}, "",
                   "Colours the table (or not); default: on a terminal, unless NO_COLOR is set.", {}},
                  {{"--lang"}, "LANG", "The language of the table, the HTML page and the notes: zh (default) or en.",
                   {"zh", "en"}},
                  {{"--width"}, "N", "The table's width in columns, 40 or more; default: the terminal's.", {}},
                  encoding,
                  help_option()},
                 {{0, "the report was written (violations included)"},
                  {1, "with --strict: records rejected or entities unresolved"},
                  {2, "usage, rule-file or input errors"},
                  {3, "the output could not be written (standard output, -o, --rejects, --state)"},
                  {4, "a resource limit was reached (out of memory, max_buckets)"},
                  {130, "stopped by SIGINT or SIGTERM (with --state, after saving)"}},
                 {"mandate check plan.mandate --registry units.jsonl --events events.jsonl --as-of 2023-12-31",
                  "mandate check plan.mandate --events events.csv -o report.html --lang en"}});
    d.push_back({"test",
                 "test PLAN [TESTS...] [-v]",
                 "run scenario tests",
                 "Runs the scenario tests in TESTS (default: PLAN's sibling NAME.test.mandate) against PLAN, "
                 "prints each failing expectation and \"N passed, N failed\".",
                 {{{"-v", "--verbose"}, "", "Names every scenario as it runs, passing ones too.", {}}, limit, help_option()},
                 {{0, "every scenario passed"}, {1, "a scenario failed"}, {2, "a rule or test file has errors"}},
                 {"mandate test rules/goutang-2023.mandate"}});
    d.push_back({"watch",
                 "watch PLAN [--registry FILE...] --events FILE|- [--as-of DATE | --clock] [--follow]",
                 "follow records as they come; print each status change",
                 "Reads records as they come and prints one JSON line per status change, flushed at once.",
                 {registry,
                  {{"--events"}, "FILE", "The event records, JSON Lines (- is standard input).", {}},
                  {{"--as-of"}, "DATE", "The date to watch at (2023-12-31).", {}},
                  {{"--clock"}, "",
                   "Watches today's date in the plan's zone; a new day is heard as what it changed.", {}},
                  {{"--follow"}, "", "Keeps reading what is appended to FILE until SIGINT or SIGTERM.", {}},
                  limit,
                  {{"--lang"}, "LANG", lang_text + ": zh (default) or en.", {"zh", "en"}},
                  help_option()},
                 {{0, "the input ended (or the watch was stopped)"},
                  {2, "usage, rule-file or input errors"},
                  {3, "standard output could not be written"}},
                 {"tail -f events.jsonl | mandate watch plan.mandate --events - --clock"}});
    d.push_back({"graph",
                 "graph PLAN [--partitions]",
                 "print the evaluation graph as Graphviz DOT",
                 "Compiles PLAN and prints its evaluation graph in Graphviz DOT; with --partitions, the kinds at which "
                 "its unit hierarchy can be split for evaluation in parts, and why the others cannot.",
                 {{{"--partitions"}, "", "Prints the partition levels instead: the finest first, then each kind with "
                                         "the rule that reads across its parts.", {}},
                  help_option()},
                 {{0, "printed"}, {2, "the plan has errors"}},
                 {"mandate graph plan.mandate | dot -Tsvg > plan.svg", "mandate graph plan.mandate --partitions"}});
    d.push_back({"explain",
                 "explain PLAN --events FILE... (--obligation ID | --outcome ID) --unit ID [--period BUCKET] [--as-of DATE]",
                 "why a bucket has its status",
                 "Evaluates like check, then explains one unit's status for one obligation or outcome: "
                 "which records counted and what was due.",
                 {events, registry, as_of,
                  {{"--obligation"}, "ID", "The obligation to explain.", {}},
                  {{"--outcome"}, "ID", "The outcome to explain.", {}},
                  {{"--unit"}, "ID", "The unit whose status to explain.", {}},
                  {{"--period"}, "BUCKET",
                   "The bucket: a date (2023-04-15), a period (2023-04-01..2023-04-30) or a month (2023-04).", {}},
                  limit,
                  progress,
                  threads,
                  block_size,
                  {{"--lang"}, "LANG", "The language of the explanation: zh (default) or en.", {"zh", "en"}},
                  encoding,
                  help_option()},
                 {{0, "explained"}, {2, "usage, rule-file or input errors"}, {4, "a resource limit was reached"}},
                 {"mandate explain plan.mandate --events events.jsonl --obligation patrol --unit v1 --period 2023-04"}});
    d.push_back({"help",
                 "help [COMMAND]",
                 "print the help of a command",
                 "Lists the commands, or prints COMMAND's help (the same as mandate COMMAND --help).",
                 {{{"--man"}, "", "Prints the manual page (roff).", {}},
                  {{"--completion"}, "SHELL", "Prints the completion script for bash or zsh.", {"bash", "zsh"}},
                  help_option()},
                 {{0, "printed"}, {2, "no such command"}},
                 {"mandate help check"}});
    d.push_back({"version", "version", "print the version", "Prints the version (as does mandate --version).",
                 {help_option()}, {{0, "printed"}}, {"mandate version"}});
    return d;
}

std::string wrap(const std::string& text, std::size_t indent, std::size_t width = 79) {
    std::string out, line;
    std::istringstream words(text);
    std::string w;
    const std::string pad(indent, ' ');
    while (words >> w) {
        if (!line.empty() && indent + line.size() + 1 + w.size() > width) {
            out += pad + line + "\n";
            line.clear();
        }
        line += (line.empty() ? "" : " ") + w;
    }
    if (!line.empty()) out += pad + line + "\n";
    return out;
}

std::string option_label(const option_doc& o) {
    std::string s;
    for (const auto& n : o.names) s += (s.empty() ? "" : ", ") + n;
    if (!o.argument.empty()) s += " " + o.argument;
    return s;
}

std::string strip_dashes(const std::string& s) { return s.substr(std::min(s.find_first_not_of('-'), s.size())); }

// Optimal string alignment distance: Levenshtein with a swap of two neighbours as one edit.
std::size_t distance(const std::string& a, const std::string& b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

std::string roff_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '\\') out += "\\e";
        else if (c == '-') out += "\\-";
        else out += c;
    }
    if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
    return out;
}

std::string roff_paragraphs(const std::string& text) {
    std::string out;
    std::size_t at = 0;
    while (at <= text.size()) {
        const std::size_t end = text.find("\n\n", at);
        const std::string para = text.substr(at, end == std::string::npos ? std::string::npos : end - at);
        if (!out.empty()) out += ".PP\n";
        out += roff_escape(para) + "\n";
        if (end == std::string::npos) break;
        at = end + 2;
    }
    return out;
}

std::vector<std::string> option_names(const command_doc& c) {
    std::vector<std::string> names;
    for (const auto& o : c.options) names.insert(names.end(), o.names.begin(), o.names.end());
    return names;
}

// Single quotes for a shell word.
std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string join(const std::vector<std::string>& v, const char* sep = " ") {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
    return s;
}

}  // namespace

const std::vector<command_doc>& command_docs() {
    static const std::vector<command_doc> docs = make_docs();
    return docs;
}

const command_doc* find_command_doc(const std::string& name) {
    for (const auto& c : command_docs())
        if (c.name == name) return &c;
    return nullptr;
}

std::vector<std::string> command_names() {
    std::vector<std::string> names;
    for (const auto& c : command_docs()) names.push_back(c.name);
    return names;
}

std::optional<std::string> closest(const std::string& word, const std::vector<std::string>& candidates) {
    const std::string bare = strip_dashes(word);
    std::optional<std::string> best;
    std::size_t best_distance = 3;
    for (const auto& c : candidates) {
        const std::size_t d = distance(word, c);
        // A short word is a few edits from anything: allow fewer edits the shorter it is.
        if (d < best_distance && d * 2 < bare.size()) {
            best = c;
            best_distance = d;
        }
    }
    if (best) return best;
    if (bare.size() >= 2)
        for (const auto& c : candidates)
            if (c.size() > word.size() && c.compare(0, word.size(), word) == 0) return c;
    return std::nullopt;
}

bool wants_help(const std::vector<std::string>& args) {
    return std::any_of(args.begin(), args.end(), [](const std::string& a) { return a == "-h" || a == "--help"; });
}

void refuse_unknown_option(const std::string& command, const std::string& arg) {
    if (arg.size() < 2 || arg[0] != '-') return;
    const command_doc* c = find_command_doc(command);
    if (!c) return;
    const auto names = option_names(*c);
    if (std::find(names.begin(), names.end(), arg) != names.end()) return;
    std::string message = "unknown option " + arg;
    if (auto near = closest(arg, names)) message += "; did you mean " + *near + "?";
    throw usage_error(message);
}

std::string command_help(const command_doc& c) {
    std::string out = "usage: mandate " + c.synopsis + "\n\n";
    std::size_t at = 0;
    while (true) {
        const std::size_t end = c.description.find("\n\n", at);
        out += wrap(c.description.substr(at, end == std::string::npos ? std::string::npos : end - at), 0) + "\n";
        if (end == std::string::npos) break;
        at = end + 2;
    }
    out += "options:\n";
    for (const auto& o : c.options) {
        const std::string label = "  " + option_label(o);
        std::string text = wrap(o.text, 28);
        if (label.size() < 27) text.replace(0, label.size(), label);
        else text = label + "\n" + text;
        out += text;
    }
    out += "\nexit codes:\n";
    for (const auto& [code, meaning] : c.exit_codes) {
        std::string line = "  " + std::to_string(code);
        out += line + std::string(7 - line.size(), ' ') + meaning + "\n";
    }
    out += "\nexample" + std::string(c.examples.size() > 1 ? "s" : "") + ":\n";
    for (const auto& e : c.examples) out += "  " + e + "\n";
    return out;
}

std::string overview() {
    std::string out = "usage: mandate COMMAND [ARGS]\n\ncommands:\n";
    for (const auto& c : command_docs()) out += "  " + c.name + std::string(10 - c.name.size(), ' ') + c.summary + "\n";
    out += "\n'mandate help COMMAND' (or 'mandate COMMAND --help') prints a command's options;\n"
           "'man mandate' prints them all.\n"
           "\nlint, check, explain, test and watch take --limit NAME=N to change a limit on untrusted input:\n"
           "  max_source_bytes, max_expression_depth, max_record_bytes, max_field_bytes, max_entities,\n"
           "  max_buckets (docs/embedding.md, \"Limits\")\n"
           "\nexit codes: 0 ran, 1 rejected records or unresolved entities under --strict (or fmt --check\n"
           "            found changes, or a scenario test failed), 2 usage, rule-file or test-file errors,\n"
           "            3 the output could not be written (standard output, -o, --rejects, --state),\n"
           "            4 a resource limit was reached (out of memory, max_buckets), 130 stopped by\n"
           "            SIGINT or SIGTERM (with --state, after saving)\n";
    return out;
}

std::string man_page() {
    std::string out = ".TH MANDATE 1 \"\" \"mandate " MANDATE_VERSION "\" \"User Commands\"\n";
    out += ".nh\n.SH NAME\nmandate \\- check work plans against event records\n";
    out += ".SH SYNOPSIS\n";
    for (const auto& c : command_docs()) out += ".B mandate\n" + roff_escape(c.synopsis) + "\n.br\n";
    out += ".SH DESCRIPTION\n"
           "mandate compiles a plan of obligations and outcomes written in the mandate rule language, "
           "reads the records of what was done, and reports which units met their obligations.\n";
    out += ".SH COMMANDS\n";
    for (const auto& c : command_docs()) {
        out += ".SS \"mandate " + roff_escape(c.synopsis) + "\"\n";
        out += roff_paragraphs(c.description);
        out += ".PP\nOptions:\n";
        for (const auto& o : c.options) {
            std::string label;
            for (const auto& n : o.names) label += (label.empty() ? "" : ", ") + ("\\fB" + roff_escape(n) + "\\fR");
            if (!o.argument.empty()) label += " \\fI" + roff_escape(o.argument) + "\\fR";
            out += ".TP\n" + label + "\n" + roff_escape(o.text) + "\n";
        }
        out += ".PP\nExit status:\n";
        for (const auto& [code, meaning] : c.exit_codes) out += ".TP\n.B " + std::to_string(code) + "\n" + roff_escape(meaning) + "\n";
        out += ".PP\nExample:\n";
        for (const auto& e : c.examples) out += ".RS\n.nf\n" + roff_escape(e) + "\n.fi\n.RE\n";
    }
    out += ".SH EXIT STATUS\n"
           "0 ran (violations are data, not errors); 1 records rejected or entities unresolved under "
           "\\-\\-strict, files that fmt \\-\\-check would change, or a failing scenario test; 2 usage, "
           "rule-file or test-file errors; 3 the output could not be written; 4 a resource limit was "
           "reached; 130 stopped by SIGINT or SIGTERM.\n";
    out += ".SH ENVIRONMENT\n.TP\n.B NO_COLOR\nWhen set, the table is not coloured unless \\-\\-color is given.\n";
    return out;
}

std::string bash_completion() {
    std::string out =
        "# bash completion for mandate (made by `mandate help --completion bash`)\n"
        "_mandate() {\n"
        "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
        "    COMPREPLY=()\n"
        "    if (( COMP_CWORD == 1 )); then\n"
        "        COMPREPLY=($(compgen -W " + shell_quote(join(command_names()) + " --help --version") + " -- \"$cur\"))\n"
        "        return\n"
        "    fi\n"
        "    local opts=\n"
        "    case ${COMP_WORDS[1]} in\n";
    for (const auto& c : command_docs()) {
        out += "        " + c.name + ") opts=" + shell_quote(join(option_names(c))) + " ;;\n";
    }
    out += "    esac\n"
           "    case ${COMP_WORDS[1]}:$prev in\n";
    for (const auto& c : command_docs())
        for (const auto& o : c.options)
            if (!o.values.empty())
                for (const auto& n : o.names)
                    out += "        " + c.name + ":" + n + ") COMPREPLY=($(compgen -W " + shell_quote(join(o.values)) +
                           " -- \"$cur\")); return ;;\n";
    out += "    esac\n"
           "    if [[ ${COMP_WORDS[1]} == help ]]; then\n"
           "        COMPREPLY=($(compgen -W " + shell_quote(join(command_names())) + " -- \"$cur\"))\n"
           "        if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\")); fi\n"
           "        return\n"
           "    fi\n"
           "    if [[ $cur == -?* ]]; then\n"
           "        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
           "        return\n"
           "    fi\n"
           "    case $prev in\n"
           "        --limit) COMPREPLY=($(compgen -W 'max_source_bytes= max_expression_depth= max_record_bytes= "
           "max_field_bytes= max_entities= max_buckets=' -- \"$cur\")); compopt -o nospace 2>/dev/null; return ;;\n"
           "        --as-of|--state-every|--width|--threads|--block-size|--obligation|--outcome|--unit|--period) return ;;\n"
           "    esac\n"
           "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
           "}\n"
           "complete -o filenames -F _mandate mandate\n";
    return out;
}

std::string zsh_completion() {
    auto escape = [](std::string s) {
        std::string out;
        for (char c : s) {
            if (c == '[' || c == ']' || c == ':' || c == '\\') out += '\\';
            if (c == '\'') out += "'\\''";
            else out += c;
        }
        return out;
    };
    std::string out = "#compdef mandate\n# zsh completion for mandate (made by `mandate help --completion zsh`)\n\n"
                       "_mandate() {\n"
                       "    local -a commands\n"
                       "    commands=(\n";
    for (const auto& c : command_docs()) out += "        '" + c.name + ":" + escape(c.summary) + "'\n";
    out += "    )\n"
           "    if (( CURRENT == 2 )); then\n"
           "        _describe -t commands 'mandate command' commands\n"
           "        return\n"
           "    fi\n"
           "    local cmd=$words[2]\n"
           "    shift words\n"
           "    (( CURRENT-- ))\n"
           "    case $cmd in\n";
    for (const auto& c : command_docs()) {
        out += "        " + c.name + ")\n            _arguments \\\n";
        for (const auto& o : c.options) {
            std::string action;
            if (!o.values.empty()) action = ":" + escape(o.argument) + ":(" + join(o.values) + ")";
            else if (o.argument.rfind("FILE", 0) == 0) action = ":" + escape(o.argument) + ":_files";
            else if (!o.argument.empty()) action = ":" + escape(o.argument) + ": ";
            std::string text = o.text.substr(0, o.text.find(". "));
            if (!text.empty() && text.back() == '.') text.pop_back();
            for (const auto& n : o.names) out += "                '*" + n + "[" + escape(text) + "]" + action + "' \\\n";
        }
        if (c.name == "help") out += "                '1:command:(" + join(command_names()) + ")'\n";
        else out += "                '*:file:_files'\n";
        out += "            ;;\n";
    }
    out += "    esac\n"
           "}\n\n"
           "_mandate \"$@\"\n";
    return out;
}

int help(const std::vector<std::string>& args) {
    if (args.empty()) {
        std::cout << overview();
        return 0;
    }
    if (args[0] == "--man" && args.size() == 1) {
        std::cout << man_page();
        return 0;
    }
    if (args[0] == "--completion" && args.size() == 2 && (args[1] == "bash" || args[1] == "zsh")) {
        std::cout << (args[1] == "bash" ? bash_completion() : zsh_completion());
        return 0;
    }
    if (args[0] == "--completion") throw usage_error("--completion needs bash or zsh");
    for (const auto& a : args) refuse_unknown_option("help", a);
    if (args.size() > 1) throw usage_error("usage: mandate help [COMMAND]");
    const command_doc* c = find_command_doc(args[0]);
    if (!c) {
        std::string message = "unknown command '" + args[0] + "'";
        if (auto near = closest(args[0], command_names())) message += "; did you mean " + *near + "?";
        throw usage_error(message);
    }
    std::cout << command_help(*c);
    return 0;
}

}  // namespace mandate::cli
