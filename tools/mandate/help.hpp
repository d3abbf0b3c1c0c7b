// What each subcommand of `mandate` says about itself: one table (help.cpp) from which come
// `mandate CMD --help`, `mandate help`, the man page, the shell completions, and the options
// each parser accepts, so that an unknown option can be answered with the closest known one.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace mandate::cli {

struct option_doc {
    std::vector<std::string> names;   // every spelling the parser accepts, the usual one first
    std::string argument;             // "FILE", "DATE", ...; empty for a flag
    std::string text;                 // what it does
    std::vector<std::string> values;  // the values it takes, when they are a fixed few
};

struct command_doc {
    std::string name;
    std::string synopsis;     // after "mandate "
    std::string summary;      // one line, for the list of commands
    std::string description;  // paragraphs separated by "\n\n"
    std::vector<option_doc> options;
    std::vector<std::pair<int, std::string>> exit_codes;
    std::vector<std::string> examples;
};

const std::vector<command_doc>& command_docs();
const command_doc* find_command_doc(const std::string& name);

// `mandate CMD --help`.
std::string command_help(const command_doc& c);
// `mandate help`: the commands, the limits, the exit codes.
std::string overview();
// The man page (roff), and the bash and zsh completion scripts.
std::string man_page();
std::string bash_completion();
std::string zsh_completion();

// The closest of `candidates` to `word` (a few edits away, or `word` a prefix of it).
std::optional<std::string> closest(const std::string& word, const std::vector<std::string>& candidates);
std::vector<std::string> command_names();

// True when args asks for help (-h or --help): answered before any other argument is read.
bool wants_help(const std::vector<std::string>& args);

// Throws usage_error when `arg` looks like an option (starts with '-', is not "-") and
// `command` has none of that name: "unknown option --asof; did you mean --as-of?".
void refuse_unknown_option(const std::string& command, const std::string& arg);

// The `help` command: `mandate help [CMD]`, `--man`, `--completion bash|zsh`.
int help(const std::vector<std::string>& args);

}  // namespace mandate::cli
