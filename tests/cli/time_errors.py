#!/usr/bin/env python3
"""Bad time constructs (LANGUAGE-v2.md sections 4-7 and 9): `mandate lint` refuses each with
exit 2 and one diagnostic, exactly as shown here: `plan.mandate:LINE:COLUMN: error: ...`, the
source line, and a caret under the spot (placed by display width: a Chinese character takes
two columns), then `1 error`. Each case is a whole small rule file, so the line and column
are those of the file as written below.

usage: time_errors.py MANDATE_BIN
"""
import os
import subprocess
import sys
import tempfile

BIN = os.path.abspath(sys.argv[1])
failures = []
cases = 0

# A plan with one office and its events, for the rules below (lines 1-5).
HEAD = """plan p {
  timezone "+08:00"
}
kind office "办公室"
event report "报告" {}
"""


def case(name, source, expected):
    """Lint `source` as plan.mandate; its stderr must be `expected` and its exit code 2."""
    global cases
    cases += 1
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "plan.mandate"), "w", encoding="utf-8") as f:
            f.write(source)
        p = subprocess.run([BIN, "lint", "plan.mandate"], cwd=tmp, capture_output=True, timeout=60)
    err = p.stderr.decode("utf-8", errors="replace")
    if p.returncode != 2:
        failures.append(f"{name}: exit {p.returncode}, not 2; stderr:\n{err}")
    elif err != expected:
        failures.append(f"{name}: diagnostics differ\n--- expected\n{expected}--- actual\n{err}")
    if p.stdout:
        failures.append(f"{name}: wrote to stdout: {p.stdout!r}")


# ------------------------------------------------------------------ calendars

case("a holiday range that runs backwards", """plan p {
  timezone "+08:00"
  calendar town
}
calendar town {
  holiday 2025-03-04 to 2025-03-03 "镇庆"
}
phase march "三月" from 2025-03-01 to 2025-03-31
""", """plan.mandate:6:3: error: calendar 'town': the holiday 2025-03-04 to 2025-03-03 runs backwards
 6 |   holiday 2025-03-04 to 2025-03-03 "镇庆"
   |   ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
1 error
""")

# cn_mainland covers 2023-2026. A 2027 window with `within 3 workdays` counts workdays from
# the window's start to the deadline of a trigger on its last day: 2027-12-31 is a Friday, so
# (Monday to Friday) 2028-01-03, 01-04, 01-05.
case("a window the calendar does not cover", """plan p {
  timezone "+08:00"
  calendar cn_mainland
}
phase y27 "2027年" from 2027-01-01 to 2027-12-31
kind office "办公室"
event request "来件" {}
event reply "回复" {}
obligation reply_in_time "3个工作日内回复" {
  each    o: office
  during  y27
  after   request of o within 3 workdays
  require count(reply of o) >= 1
}
""", """plan.mandate:12:31: error: obligation 'reply_in_time' counts workdays from 2027-01-01 to 2028-01-05, but calendar 'cn_mainland' covers only 2023-2026: it cannot tell which of those days are holidays
 12 |   after   request of o within 3 workdays
    |                               ^~~~~~~~~~
1 error
""")

# A declared calendar covers the years from its first listed date to its last: here 2025.
case("a window a declared calendar does not cover", """plan p {
  timezone "+08:00"
  calendar town
}
calendar town {
  holiday 2025-03-03 to 2025-03-04 "镇庆"
}
phase q1 "2026年一季度" from 2026-01-01 to 2026-03-31
kind office "办公室"
event report "报告" {}
obligation monthly "每月报告" {
  each    o: office
  during  q1
  every   month
  require count(report of o) >= 1
  grace   2 workdays
}
""", """plan.mandate:16:11: error: obligation 'monthly' counts workdays from 2026-01-01 to 2026-04-02, but calendar 'town' covers only 2025: it cannot tell which of those days are holidays
 16 |   grace   2 workdays
    |           ^~~~~~~~~~
1 error
""")

case("an unknown calendar", """plan p {
  timezone "+08:00"
  calendar cn_mainlnd
}
phase y25 "2025年" from 2025-01-01 to 2025-12-31
""", """plan.mandate:3:12: error: unknown calendar 'cn_mainlnd', did you mean 'cn_mainland'?
 3 |   calendar cn_mainlnd
   |            ^~~~~~~~~~
1 error
""")

case("a declared calendar named like the shipped one", """plan p {
  timezone "+08:00"
  calendar cn_mainland
}
calendar cn_mainland {
  holiday 2025-03-03 "镇庆"
}
phase y25 "2025年" from 2025-01-01 to 2025-12-31
""", """plan.mandate:5:10: error: calendar 'cn_mainland' is shipped with mandate; name yours otherwise
 5 | calendar cn_mainland {
   |          ^~~~~~~~~~~
1 error
""")

# ------------------------------------------------------------------ due

case("due day 32", HEAD + """phase h2 "下半年" from 2023-07-01 to 2023-12-31
obligation monthly "每月报送" {
  each    o: office
  during  h2
  every   month
  due     day 32
  require count(report of o) >= 1
}
""", """plan.mandate:11:3: error: 'due day 32' names no day of a month: give 1 to 31
 11 |   due     day 32
    |   ^~~~~~~~~~~~~~
1 error
""")

case("due without every", HEAD + """phase h2 "下半年" from 2023-07-01 to 2023-12-31
obligation once "报送" {
  each    o: office
  during  h2
  due     10 days after
  require count(report of o) >= 1
}
""", """plan.mandate:10:3: error: 'due' says when the work about each period of 'every' is reported; this rule has no 'every'
 10 |   due     10 days after
    |   ^~~~~~~~~~~~~~~~~~~~~
1 error
""")

case("due with cumulative", HEAD + """phase h2 "下半年" from 2023-07-01 to 2023-12-31
obligation monthly "每月累计报送" {
  each    o: office
  during  h2
  every   month cumulative
  due     day 5 after
  require count(report of o) >= 1
}
""", """plan.mandate:11:3: error: 'due' cannot be combined with 'cumulative': a cumulative bucket's work is reported as it accrues
 11 |   due     day 5 after
    |   ^~~~~~~~~~~~~~~~~~~
1 error
""")

case("due day N on every week", HEAD + """phase h2 "下半年" from 2023-07-01 to 2023-12-31
obligation weekly "每周报送" {
  each    o: office
  during  h2
  every   week
  due     day 5
  require count(report of o) >= 1
}
""", """plan.mandate:11:3: error: 'due day 5' needs periods of whole months (month, N months, quarter, half, year); 'every week' is not
 11 |   due     day 5
    |   ^~~~~~~~~~~~~
1 error
""")

case("due on an outcome", HEAD + """phase h2 "下半年" from 2023-07-01 to 2023-12-31
outcome praise "表扬" {
  each    o: office
  during  h2
  every   month
  due     day 5 after
  when    count(report of o) >= 1
}
""", """plan.mandate:11:3: error: 'due' says when an obligation's work is reported; an outcome has none
 11 |   due     day 5 after
    |   ^~~~~~~~~~~~~~~~~~~
1 error
""")

# ------------------------------------------------------------------ periods and durations

case("every 0 months", HEAD + """phase h2 "下半年" from 2023-07-01 to 2023-12-31
obligation never "报送" {
  each    o: office
  during  h2
  every   0 months
  require count(report of o) >= 1
}
""", """plan.mandate:10:11: error: a period needs a count of at least 1
 10 |   every   0 months
    |           ^~~~~~~~
1 error
""")

case("a grace in hours", HEAD + """phase h2 "下半年" from 2023-07-01 to 2023-12-31
event warning "预警" {}
obligation feedback "月报" {
  each    o: office
  during  h2
  every   month
  require count(report of o) >= 1
  grace   2 hours
}
""", """plan.mandate:13:11: error: hours count only in 'within' after an event or outcome and in 'every N hours'; give this length in days or workdays
 13 |   grace   2 hours
    |           ^~~~~~~
1 error
""")

# ------------------------------------------------------------------ windows bounded by events

case("a phase whose end event type does not exist", """plan p {
  timezone "+08:00"
}
phase response "应急响应期间" from event response_started to event response_lifed
kind township "乡镇"
event response_started "启动应急响应" {}
event response_lifted "解除应急响应" {}
""", """plan.mandate:4:62: error: unknown event type 'response_lifed', did you mean 'response_lifted'?
 4 | phase response "应急响应期间" from event response_started to event response_lifed
   |                                                                    ^~~~~~~~~~~~~~
1 error
""")

case("by during a phase bounded by events", HEAD + """phase response "应急响应期间" from event started to event lifted
event started "启动" {}
event lifted "解除" {}
obligation final_report "响应期间报送" {
  each    o: office
  during  response
  by      2025-08-01
  require count(report of o) >= 1
}
""", """plan.mandate:12:3: error: a rule during 'response', a phase bounded by events, is cut by 'every' or judged whole per window, not by 'by'
 12 |   by      2025-08-01
    |   ^~~~~~~~~~~~~~~~~~
1 error
""")

case("before registered", HEAD + """phase y "2024年" from 2024-01-01 to 2024-12-31
obligation pledge "入驻前签订承诺书" {
  each    o: office
  during  y
  before  registered within 15 days
  require count(report of o) >= 1
}
""", """plan.mandate:10:3: error: 'before registered' has no meaning: a unit's registration opens its bucket ('after registered')
 10 |   before  registered within 15 days
    |   ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
1 error
""")

# ------------------------------------------------------------------ plan properties

case("language 3", """plan p {
  timezone "+08:00"
  language 3
}
""", """plan.mandate:3:3: error: language takes a version of the rule language: 1 or 2
 3 |   language 3
   |   ^~~~~~~~~~
1 error
""")

case("title 42", """plan p {
  title 42
}
""", """plan.mandate:2:3: error: plan property 'title' takes a string
 2 |   title 42
   |   ^~~~~~~~
1 error
""")

# ------------------------------------------------------------------ peak and earlier

case("peak over months", HEAD + """phase y "2024年" from 2024-01-01 to 2024-12-31
outcome supervise "督办" {
  each o: office
  during y
  when peak(2 months, count(report of o)) >= 3
}
""", """plan.mandate:10:13: error: peak() runs over days or weeks, not months
 10 |   when peak(2 months, count(report of o)) >= 3
    |             ^~~~~~~~
1 error
""")

case("earlier of a gap", HEAD + """phase y "2024年" from 2024-01-01 to 2024-12-31
obligation cadence "报送间隔不长于去年" {
  each o: office
  during y
  require gap(report of o) <= earlier(1 year, gap(report of o))
}
""", """plan.mandate:10:47: error: earlier() takes count(), sum(), distinct(), min() or max() of events, not gap(report of o)
 10 |   require gap(report of o) <= earlier(1 year, gap(report of o))
    |                                               ^~~~~~~~~~~~~~~~
1 error
""")

for f in failures:
    print("FAIL:", f)
print(f"{cases} cases, {len(failures)} failed")
sys.exit(1 if failures else 0)
