// A line diff in the unified format of `diff -u` and `git diff` (`--- a/PATH`, `+++ b/PATH`,
// `@@ -l,n +l,n @@` hunks with three lines of context), for `mandate fmt --check` to show
// what it would change. Myers' algorithm: the shortest edit script, as diff(1) finds it.
#pragma once

#include <string>

namespace mandate::cli {

// The diff from `before` to `after`, both named `name`; empty when they are equal. A last line
// without a line break is marked `\ No newline at end of file`, as diff(1) does.
std::string unified_diff(const std::string& name, const std::string& before, const std::string& after, int context = 3);

}  // namespace mandate::cli
