"""The HTML report in a real browser: `mandate check --format html` on the town record set of
tests/cli/data/town (worked out by hand in check_formats.py), rendered by headless Chromium.

Asserts on the DOM Chromium built: the summary totals, one heat-map cell per bucket with its
status, the violations with their evidence and cited clause, the outcome cells, the record
accounting; that the page loads nothing from the network; and that a CJK font is installed so
the Chinese labels render. Leaves a screenshot in the build tree (html-report/report.png).
"""
import html.parser
import os
import re
import shutil
import subprocess
import sys
import tempfile

BIN = os.path.abspath(sys.argv[1])
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data", "town")
OUT = os.path.join(os.path.dirname(os.path.dirname(BIN)), "html-report")
failures = []


def expect(cond, what):
    if not cond:
        failures.append(what)


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children, self.text = tag, dict(attrs), parent, [], ""

    def classes(self):
        return self.attrs.get("class", "").split()

    def all_text(self):
        return self.text + "".join(c.all_text() for c in self.children)

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()

    def find(self, pred):
        return [n for n in self.walk() if pred(n)]


class DomBuilder(html.parser.HTMLParser):
    VOID = {"meta", "link", "br", "img", "input", "hr"}

    def __init__(self):
        super().__init__()
        self.root = Node("#document", [], None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.children.append(n)
        if tag not in self.VOID:
            self.cur = n

    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.text += data


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    sys.exit("FAIL: no Chromium found (tools/setup installs Debian's chromium)")


def browser(*args, profile):
    return subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                           f"--user-data-dir={profile}", *args], capture_output=True, text=True, timeout=120)


with tempfile.TemporaryDirectory() as tmp:
    page = os.path.join(tmp, "report.html")
    p = subprocess.run([BIN, "check", os.path.join(DATA, "plan.mandate"), "--registry", os.path.join(DATA, "registry.csv"),
                        "--events", os.path.join(DATA, "events.jsonl"), "leaflet=" + os.path.join(DATA, "leaflets.csv"),
                        "--as-of", "2023-07-03", "--format", "html", "-o", page], capture_output=True, text=True)
    expect(p.returncode == 0, f"check --format html exits 0: {p.stderr}")
    source = open(page, encoding="utf-8").read()
    # Self-contained: nothing fetched from anywhere.
    expect(not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", source), "no network assets")
    expect("<script" not in source and "<link" not in source and "@import" not in source, "no scripts or linked style sheets")

    dump = browser("--dump-dom", "file://" + page, profile=os.path.join(tmp, "profile"))
    expect(dump.returncode == 0 and "<html" in dump.stdout, f"chromium renders the page: {dump.stderr[-500:]}")
    dom = DomBuilder()
    dom.feed(dump.stdout)
    root = dom.root

    def by_id(i):
        found = root.find(lambda n: n.attrs.get("id") == i)
        return found[0] if found else None

    title = root.find(lambda n: n.tag == "title")
    expect(title and title[0].all_text() == "测试镇宣传方案 — 2023-07-03", f"title: {title and title[0].all_text()}")
    expect(by_id("title") is not None and by_id("title").all_text() == "测试镇宣传方案", "the plan's Chinese title heads the page")
    expect(by_id("plan") is not None and by_id("plan").all_text() == "town_check", "plan id")
    expect(by_id("as-of") is not None and by_id("as-of").attrs.get("datetime") == "2023-07-03", "as-of date")

    totals = {c: n.attrs.get("data-count") for n in root.find(lambda n: "total" in n.classes()) for c in n.classes() if c != "total"}
    expect(totals == {"satisfied": "5", "violated": "2", "at-risk": "1", "pending": "0", "excused": "0", "fired": "1"}, f"totals: {totals}")

    def section(rule):
        s = root.find(lambda n: n.tag == "section" and n.attrs.get("data-rule") == rule)
        return s[0] if s else Node("missing", [], None)

    def cells(sec):
        return {(n.attrs["data-unit"], n.attrs["data-from"]): n for n in sec.find(lambda n: "cell" in n.classes())}

    monthly = cells(section("monthly_activity"))
    want = {("v1", "2023-04-01"): "satisfied", ("v1", "2023-05-01"): "violated", ("v1", "2023-06-01"): "satisfied",
            ("v2", "2023-04-01"): "satisfied", ("v2", "2023-05-01"): "satisfied", ("v2", "2023-06-01"): "at-risk"}
    expect({k: [c for c in n.classes() if c != "cell"][0] for k, n in monthly.items()} == want, f"monthly heat map: {monthly.keys()}")
    expect(monthly.get(("v2", "2023-06-01")) is not None and monthly[("v2", "2023-06-01")].attrs.get("data-status") == "pending"
           and monthly[("v2", "2023-06-01")].attrs.get("data-at-risk") == "true", "the at-risk cell is pending and at risk")
    headings = [n.all_text() for n in section("monthly_activity").find(lambda n: "period" in n.classes() and n.tag == "th")]
    expect(headings == ["Apr", "May", "Jun"], f"month headings: {headings}")
    leaflets = cells(section("leaflets"))
    expect({k: n.attrs.get("data-status") for k, n in leaflets.items()} ==
           {("v1", "2023-04-01"): "satisfied", ("v2", "2023-04-01"): "violated"}, f"leaflet tiles: {leaflets.keys()}")
    commend = cells(section("commend"))
    expect({k: (n.attrs.get("data-fired"), n.attrs.get("data-final")) for k, n in commend.items()} ==
           {("v1", "2023-04-01"): ("true", "true"), ("v2", "2023-04-01"): ("false", "true")}, "commend cells")

    # The violations, with their evidence and the clause they break.
    rows = section("monthly_activity").find(lambda n: n.tag == "tr" and "data-from" in n.attrs and n.parent.tag == "tbody"
                                            and "violations" in n.parent.parent.classes())
    expect([(r.attrs["data-unit"], r.attrs["data-from"], r.classes()) for r in rows] ==
           [("v1", "2023-05-01", ["violated"]), ("v2", "2023-06-01", ["at-risk"])], "monthly violations listed")
    for r in rows:
        expect("一、各村每月组织一次集中宣传活动" in r.all_text(), "each violation cites its clause")
        expect('count(activity of v where venue in ["park", "square"]) = 0' in r.all_text(), "each violation shows what was measured")
    leaf = section("leaflets").find(lambda n: n.tag == "tr" and n.attrs.get("data-unit") == "v2")
    expect(leaf and "covered 0 of 1; not covered: v2-h1" in leaf[0].all_text() and "二、5月底前每户收到一张宣传页" in leaf[0].all_text(),
           "the leaflet violation names the household not covered and the clause")

    counts = {n.attrs["data-count"]: n.all_text() for n in by_id("inputs").find(lambda n: "data-count" in n.attrs)}
    expect(counts.get("read", "").endswith("17") and counts.get("rejected", "").endswith("1") and counts.get("applied", "").endswith("9"),
           f"record accounting: {counts}")
    expect("field 'venue' must be a string" in by_id("inputs").all_text(), "the rejected record and its reason")

    # Chinese renders only with a CJK font; take a screenshot to look at.
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True)
    expect(fonts.returncode == 0 and fonts.stdout.strip(), "a CJK font is installed (fonts-noto-cjk)")
    os.makedirs(OUT, exist_ok=True)
    shot = os.path.join(OUT, "report.png")
    if os.path.exists(shot):
        os.remove(shot)
    s = browser("--window-size=1280,1600", f"--screenshot={shot}", "file://" + page, profile=os.path.join(tmp, "profile2"))
    expect(s.returncode == 0 and os.path.exists(shot) and os.path.getsize(shot) > 20000, f"screenshot: {s.stderr[-300:]}")
    shutil.copy(page, os.path.join(OUT, "report.html"))

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
