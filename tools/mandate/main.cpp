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
#include "help.hpp"
#include "inputs.hpp"
#include "mandate/limits.hpp"
#include "support/output_file.hpp"

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
        if (command == "help") return mandate::cli::help(args);
        if (command == "version" || command == "--version") {
            for (const auto& a : args) mandate::cli::refuse_unknown_option("version", a);
            if (!args.empty()) throw mandate::cli::usage_error("usage: mandate version");
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
    std::string message = "mandate: unknown command '" + command + "'";
    if (auto near = mandate::cli::closest(command, mandate::cli::command_names())) message += "; did you mean " + *near + "?";
    std::fprintf(stderr, "%s\n\n%s", message.c_str(), mandate::cli::overview().c_str());
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "-h" || args[0] == "--help") {
        std::fputs(mandate::cli::overview().c_str(), args.empty() ? stderr : stdout);
        return finish_standard_output("help", args.empty() ? 2 : 0);
    }
    const std::string command = args[0];
    args.erase(args.begin());
    // `mandate CMD --help` before anything else: no file is read, no other option weighed.
    if (const auto* doc = mandate::cli::find_command_doc(command); doc && mandate::cli::wants_help(args)) {
        std::fputs(mandate::cli::command_help(*doc).c_str(), stdout);
        return finish_standard_output(command, 0);
    }
    return finish_standard_output(command, run(command, args));
}
