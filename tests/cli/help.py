#!/usr/bin/env python3
"""The help of `mandate`: every subcommand's --help lists exactly the options its parser takes,
`mandate help CMD` says the same, an unknown option or command gets the closest known one, the
man page renders, and the bash completion completes. Usage: help.py PATH_TO_MANDATE"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

MANDATE = os.path.abspath(sys.argv[1])
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)


def run(*args, **kw):
    return subprocess.run([MANDATE, *args], capture_output=True, timeout=60, **kw)


# What each parser accepts, written out by hand (not read from the help it is checked against).
OPTIONS = {
    "lint": ["--limit"],
    "fmt": ["--check"],
    "check": ["--events", "--registry", "--as-of", "--format", "-o", "--output", "--rejects", "--strict",
              "--csv-raw", "--state", "--state-every", "--limit", "--progress", "--no-progress", "--color",
              "--colour", "--no-color", "--no-colour", "--lang", "--width", "--encoding"],
    "test": ["-v", "--verbose", "--limit"],
    "watch": ["--registry", "--events", "--as-of", "--clock", "--follow", "--limit", "--lang"],
    "graph": ["--partitions"],
    "explain": ["--events", "--registry", "--as-of", "--obligation", "--outcome", "--unit", "--period", "--limit",
                "--progress", "--no-progress", "--lang", "--encoding"],
    "help": ["--man", "--completion"],
    "version": [],
}
EVERY = sorted({o for opts in OPTIONS.values() for o in opts})

for command, options in OPTIONS.items():
    r = run(command, "--help")
    check(r.returncode == 0, f"{command} --help: exit {r.returncode} {r.stderr!r}")
    check(r.stderr == b"", f"{command} --help wrote to stderr: {r.stderr!r}")
    text = r.stdout.decode()
    check(text.startswith(f"usage: mandate {command}"), f"{command} --help: {text[:80]!r}")
    for section in ("options:", "exit codes:", "example"):
        check(f"\n{section}" in text, f"{command} --help has no '{section}'")
    listed = set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", text.split("\noptions:\n")[1].split("\nexit codes:")[0]))
    for option in options + ["-h", "--help"]:
        check(option in listed, f"{command} --help does not list {option}")
    for option in EVERY:
        if option not in options and option in listed:
            check(False, f"{command} --help lists {option}, which {command} refuses")
    # ... and the parser agrees: what is listed is taken, what is not is refused.
    for option in EVERY:
        if option in options:
            continue
        r = run(command, "plan.mandate", option, "x")
        check(r.returncode == 2 and f"unknown option {option}".encode() in r.stderr,
              f"{command} {option}: exit {r.returncode} {r.stderr!r}")
    r = run(command, "-h")
    check(r.returncode == 0 and r.stdout == run(command, "--help").stdout, f"{command} -h differs from --help")
    r = run("help", command)
    check(r.returncode == 0 and r.stdout == run(command, "--help").stdout, f"help {command} differs from {command} --help")

# An option the parser takes is not refused (it may fail later, on the missing plan, but not as unknown).
for command, options in OPTIONS.items():
    for option in options:
        if command in ("help", "version"):
            continue
        r = run(command, "no-such-plan.mandate", option, "2023-01-01")
        check(b"unknown option" not in r.stderr, f"{command} refuses {option}: {r.stderr!r}")

# --help comes before everything else: no file is read, no other option weighed.
with tempfile.TemporaryDirectory() as tmp:
    r = run("lint", "--help", cwd=tmp)
    check(r.returncode == 0 and b"cannot read" not in r.stderr, f"lint --help: {r.returncode} {r.stderr!r}")
    r = run("check", "no-such-plan.mandate", "--bogus", "--help", cwd=tmp)
    check(r.returncode == 0 and r.stdout.startswith(b"usage: mandate check"), f"check ... --help: {r.stderr!r}")
    r = run("fmt", "--help", cwd=tmp)
    check(r.returncode == 0 and os.listdir(tmp) == [], f"fmt --help: {r.returncode} {os.listdir(tmp)}")

# The list of commands.
r = run("help")
check(r.returncode == 0, f"help: exit {r.returncode}")
for command in OPTIONS:
    check(f"\n  {command} ".encode() in r.stdout, f"help does not list {command}")
check(run("--help").stdout == r.stdout, "--help differs from help")
r = run("--version")
check(r.returncode == 0 and r.stdout.startswith(b"mandate "), f"--version: {r.stdout!r}")

# Did you mean: the messages, written out.
for args, expected in [
    (["check", "plan.mandate", "--asof", "2023-01-01"], "mandate check: unknown option --asof; did you mean --as-of?\n"),
    (["check", "plan.mandate", "--fromat", "json"], "mandate check: unknown option --fromat; did you mean --format?\n"),
    (["explain", "plan.mandate", "--obligaton", "x"], "mandate explain: unknown option --obligaton; did you mean --obligation?\n"),
    (["watch", "plan.mandate", "--folow"], "mandate watch: unknown option --folow; did you mean --follow?\n"),
    (["fmt", "--chek", "x.mandate"], "mandate fmt: unknown option --chek; did you mean --check?\n"),
    (["test", "plan.mandate", "--verb"], "mandate test: unknown option --verb; did you mean --verbose?\n"),
    (["check", "plan.mandate", "--bogus"], "mandate check: unknown option --bogus\n"),
    (["help", "chek"], "mandate help: unknown command 'chek'; did you mean check?\n"),
    (["help", "nosuch"], "mandate help: unknown command 'nosuch'\n"),
]:
    r = run(*args)
    check(r.returncode == 2, f"{args}: exit {r.returncode}")
    check(r.stderr.decode() == expected, f"{args}: {r.stderr!r}, expected {expected!r}")
    check(r.stdout == b"", f"{args} wrote to stdout: {r.stdout!r}")
r = run("chekc")
check(r.returncode == 2, f"chekc: exit {r.returncode}")
check(r.stderr.startswith(b"mandate: unknown command 'chekc'; did you mean check?\n"), f"chekc: {r.stderr!r}")

# The man page: roff that renders, with every command.
r = run("help", "--man")
check(r.returncode == 0 and r.stdout.startswith(b".TH MANDATE 1"), f"help --man: {r.stdout[:60]!r}")
with tempfile.TemporaryDirectory() as tmp:
    page = os.path.join(tmp, "mandate.1")
    with open(page, "wb") as f:
        f.write(r.stdout)
    if shutil.which("man"):
        rendered = subprocess.run(["man", "-l", page], capture_output=True, timeout=60,
                                  env={**os.environ, "MANPAGER": "cat", "MANWIDTH": "100", "LC_ALL": "C.UTF-8"})
    elif shutil.which("groff"):
        rendered = subprocess.run(["groff", "-man", "-Tutf8", page], capture_output=True, timeout=60)
    else:
        rendered = None
        print("neither man nor groff: the man page was not rendered")
    if rendered is not None:
        check(rendered.returncode == 0, f"man page: exit {rendered.returncode} {rendered.stderr!r}")
        check(b"warning" not in rendered.stderr, f"man page warnings: {rendered.stderr!r}")
        # man may mark bold by overstriking: read the text without it.
        out = re.sub(rb".\x08", b"", rendered.stdout).decode()
        for command in OPTIONS:
            check(f"mandate {command}" in out, f"man page: no 'mandate {command}'")
        check("--as-of" in out or "\u2010\u2010as\u2010of" in out, "man page: no --as-of")

# The bash completion, sourced and asked.
if shutil.which("bash"):
    r = run("help", "--completion", "bash")
    check(r.returncode == 0, f"help --completion bash: exit {r.returncode}")
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "mandate")
        with open(script, "wb") as f:
            f.write(r.stdout)
        open(os.path.join(tmp, "plan.mandate"), "w").close()

        def complete(*words):
            line = "mandate " + " ".join(words)
            program = (f'source {script}; COMP_WORDS=(mandate {" ".join(repr(w) for w in words)}); '
                       f'COMP_CWORD={len(words)}; COMP_LINE="{line}"; COMP_POINT=${{#COMP_LINE}}; '
                       '_mandate; printf "%s\\n" "${COMPREPLY[@]}"')
            p = subprocess.run(["bash", "-c", program], capture_output=True, timeout=60, cwd=tmp)
            check(p.returncode == 0, f"completing {words}: {p.stderr!r}")
            return sorted(p.stdout.decode().split())

        for words, expected in [
            (("ch",), ["check"]),
            (("check", "--for"), ["--format"]),
            (("check", "--format", ""), sorted(["table", "json", "csv", "html", "xlsx"])),
            (("check", "--lang", ""), ["en", "zh"]),
            (("watch", "--lang", "e"), ["en"]),
            (("fmt", "--"), ["--check", "--help"]),
            (("help", "ex"), ["explain"]),
            (("check", "pl"), ["plan.mandate"]),
            (("check", "--events", "pl"), ["plan.mandate"]),
        ]:
            got = complete(*words)
            check(got == expected, f"completing {words}: {got}, expected {expected}")

# The zsh completion: a #compdef file zsh can read (checked by zsh when it is there).
r = run("help", "--completion", "zsh")
check(r.returncode == 0 and r.stdout.startswith(b"#compdef mandate\n"), f"help --completion zsh: {r.stdout[:40]!r}")
if shutil.which("zsh"):
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "_mandate")
        with open(script, "wb") as f:
            f.write(r.stdout)
        p = subprocess.run(["zsh", "-n", script], capture_output=True, timeout=60)
        check(p.returncode == 0, f"zsh -n _mandate: {p.stderr!r}")
        # What _mandate hands zsh's completion system: _arguments and _describe defined here to print what they are given.
        program = ('_arguments() { printf "%s\\n" "$@"; }; _describe() { print -l -- "${(@P)4}"; }; '
                   f'source {script} >/dev/null; '
                   'words=(mandate ch); CURRENT=2; _mandate; print -- ---; '
                   'words=(mandate check --format ""); CURRENT=4; _mandate')
        p = subprocess.run(["zsh", "-f", "-c", program], capture_output=True, timeout=60)
        commands, _, check_specs = p.stdout.decode().partition("---\n")
        check(p.returncode == 0, f"zsh _mandate: {p.stderr!r}")
        check([line.split(":", 1)[0] for line in commands.splitlines()] == list(OPTIONS),
              f"zsh commands: {commands!r}")
        specs = check_specs.splitlines()
        check(any(s.startswith("*--format[") and s.endswith(":FORMAT:(table json csv html xlsx)") for s in specs),
              f"zsh check --format: {specs}")
        check(any(s.startswith("*--lang[") and s.endswith(":LANG:(zh en)") for s in specs), f"zsh check --lang: {specs}")
        check(any(s.startswith("*--events[") and s.endswith(":_files") for s in specs), f"zsh check --events: {specs}")
r = run("help", "--completion", "fish")
check(r.returncode == 2, f"help --completion fish: exit {r.returncode}")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("ok" + ("" if shutil.which("zsh") else " (zsh not found: the zsh completion was not run)"))
