// The `mandate` command-line program: lint, fmt, check, test, graph, explain.
// Exit codes: 0 ran (violations are data, not errors), 1 records rejected under --strict,
// files that fmt --check would change, or a failing scenario test, 2 usage, rule-file or
// test-file errors, 3 the output could not be written, 4 a resource limit was reached.
#include <cerrno>
#include <cstdio>
#include <new>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "inputs.hpp"
#include "mandate/limits.hpp"
#include "support/output_file.hpp"

namespace {

const char* const usage_text = R"(usage: mandate COMMAND [ARGS]

commands:
  lint FILE...                 check rule files; print every diagnostic
  fmt [--check] FILE...        rewrite rule files in canonical layout (- : stdin to stdout);
                               --check only reports files that would change (exit 1)
  check PLAN --events FILE... [--registry FILE...] [--as-of DATE]
        [--format table|json|csv|html|xlsx] [-o FILE] [--rejects FILE] [--strict]
        [--color|--no-color] [--progress|--no-progress] [--state FILE [--state-every N]] [--csv-raw]
        [--encoding utf-8|gbk|gb18030]
                               evaluate records against a plan and report; FILE is
                               JSON Lines, CSV (FILE.csv, or TYPE=FILE for one event
                               type), or - for JSON Lines on standard input, any of
                               them plain, gzip or zstd (told by content); --encoding
                               is that of CSV files (default utf-8); --state
                               resumes from FILE and saves to it every N records (default
                               1000000), after each input and at the end (not with -;
                               a compressed input is saved only once read whole);
                               --csv-raw keeps CSV text cells that start with = + - @ as
                               they are (by default they get a leading ')
  test PLAN [TESTS...] [-v]    run scenario tests (default: PLAN's sibling NAME.test.mandate);
                               prints failing expectations and "N passed, N failed" (exit 1 on a failure)
  watch PLAN [--registry FILE...] --events FILE|- [--as-of DATE | --clock] [--follow]
                               read records as they come and print one JSON line per status
                               change, flushed at once; --clock watches today's date in the
                               plan's zone (a new day is heard as what it changed); --follow
                               keeps reading what is appended to FILE until SIGINT or SIGTERM
  graph PLAN                   print the evaluation graph as Graphviz DOT
  explain PLAN --events FILE... (--obligation ID | --outcome ID) --unit ID [--period BUCKET] [--as-of DATE]
                               why a bucket has its status (BUCKET: DATE, FROM..TO or YYYY-MM)
  version                      print the version

lint, check, explain and test take --limit NAME=N to change a limit on untrusted input:
  max_source_bytes, max_expression_depth, max_record_bytes, max_field_bytes, max_entities,
  max_buckets (docs/embedding.md, "Limits")

exit codes: 0 ran, 1 rejected records or unresolved entities under --strict (or fmt --check
            found changes, or a scenario test failed), 2 usage, rule-file or test-file errors,
            3 the output could not be written (standard output, -o, --rejects, --state),
            4 a resource limit was reached (out of memory, max_buckets), 130 stopped by
            SIGINT or SIGTERM (with --state, after saving)
)";

}  // namespace

namespace {

// Everything written to standard output reaches it, or the exit code says it did not: a full
// disk or a closed pipe must not pass for a report written.
int finish_standard_output(const std::string& command, int code) {
    errno = 0;
    std::cout.flush();
    const bool failed = std::cout.bad() || std::fflush(stdout) != 0 || std::ferror(stdout);
    const int error = errno;
    if (std::fclose(stdout) != 0 || failed) {
        std::fprintf(stderr, "mandate %s: cannot write standard output: %s\n", command.c_str(),
                     std::strerror(error != 0 ? error : errno));
        return 3;
    }
    return code;
}

int run(const std::string& command, const std::vector<std::string>& args) {
    try {
        if (command == "lint") return mandate::cli::lint(args);
        if (command == "fmt") return mandate::cli::fmt(args);
        if (command == "check") return mandate::cli::check(args);
        if (command == "test") return mandate::cli::test(args);
        if (command == "graph") return mandate::cli::graph(args);
        if (command == "explain") return mandate::cli::explain(args);
        if (command == "watch") return mandate::cli::watch(args);
        if (command == "version" || command == "--version") {
            std::printf("mandate %s\n", MANDATE_VERSION);
            return 0;
        }
    } catch (const mandate::cli::interrupted_error& e) {
        std::fprintf(stderr, "mandate %s: %s\n", command.c_str(), e.what());
        return 130;  // as a shell reports a process stopped by SIGINT
    } catch (const mandate::detail::output_error& e) {
        std::fprintf(stderr, "mandate %s: %s\n", command.c_str(), e.what());
        return 3;
    } catch (const mandate::limit_error& e) {
        std::fprintf(stderr, "mandate %s: %s\n", command.c_str(), e.what());
        return 4;
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "mandate %s: out of memory (a smaller input, or --limit max_buckets=N, may help)\n", command.c_str());
        return 4;
    } catch (const mandate::cli::usage_error& e) {
        std::fprintf(stderr, "mandate %s: %s\n", command.c_str(), e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "mandate %s: %s\n", command.c_str(), e.what());
        return 2;
    }
    std::fprintf(stderr, "mandate: unknown command '%s'\n\n%s", command.c_str(), usage_text);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
        std::fputs(usage_text, args.empty() ? stderr : stdout);
        return finish_standard_output("help", args.empty() ? 2 : 0);
    }
    const std::string command = args[0];
    args.erase(args.begin());
    return finish_standard_output(command, run(command, args));
}
