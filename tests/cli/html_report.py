"""The HTML report in a real browser: `mandate check --format html` on the town record set of
tests/cli/data/town (worked out by hand in check_formats.py), rendered by headless Chromium,
and on tests/cli/data/visits (a cumulative obligation, worked out below).

Asserts on the DOM Chromium built: the summary totals, one heat-map cell per bucket with its
status as a class, as data-* attributes and as a glyph, units named as the registry names them,
the violations with their values and evidence in words, the cited clause once per rule, the
per-unit roll-up and the per-month trend, the outcome cells, the record accounting; the page in
Chinese by default and with --lang zh, in English with --lang en; that the page loads nothing
from the network; and that a CJK font is installed so the Chinese renders. Then prints the page
to PDF, renders it with pdftoppm and checks on the pixels that a violated heat-map cell keeps
its red on paper. Leaves a screenshot and the printed pages in the build tree (html-report/).

The town record set as of 2023-07-03 (check_formats.py): monthly_activity v1 Apr ✓ May ✗ Jun ✓,
v2 Apr ✓ May ✓ Jun ! (at risk); leaflets (due 05-31) v1 ✓, v2 ✗ (household v2-h1 missing);
commend v1 fired and final since 07-01 (streak of 3 months), v2 not fired. Registry names:
t1 测试镇, v1 苟堂村, v2 "新村, 东片". So per unit: v1 1 violation (May), v2 1 violation
(leaflets) and 1 at risk (June); by the month a violated bucket's period ends: 2023-04 none,
2023-05 two (v1's May ends 05-31, v2's leaflets 05-31), 2023-06 none.

The visits record set as of 2023-07-03: `every month cumulative` over 2023-01..06, each bucket
01-01..end of its month, requiring a visit since 01-01. v1 visited on 01-05: all six satisfied.
v2 visited on 04-10: the buckets to 01-31, 02-28, 03-31 violated, then satisfied. v3 never
visited: all six violated. So the list has one row for v2 (three periods, 01-01..01-31 to
01-01..03-31) and one for v3 (six, to 01-01..06-30); the roll-up v3 6, v2 3 and one unit clean;
the trend Jan–Mar 2 each, Apr–Jun 1 each.
"""
import base64
import html.parser
import json
import os
import re
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

BIN = os.path.abspath(sys.argv[1])
HERE = os.path.dirname(os.path.abspath(__file__))
TOWN = os.path.join(HERE, "data", "town")
VISITS = os.path.join(HERE, "data", "visits")
OUT = os.path.join(os.path.dirname(os.path.dirname(BIN)), "html-report")
failures = []

# The colour of a violated cell (--bad in html_writer.cpp's style sheet): #c62828.
VIOLATED_RGB = (0xC6, 0x28, 0x28)


def expect(cond, what):
    if not cond:
        failures.append(what)


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children, self.parts = tag, dict(attrs), parent, [], []

    def classes(self):
        return self.attrs.get("class", "").split()

    def all_text(self):
        # Text and children in document order.
        return "".join(p if isinstance(p, str) else p.all_text() for p in self.parts)

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
        self.cur.parts.append(n)
        if tag not in self.VOID:
            self.cur = n

    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.parts.append(data)


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    sys.exit("FAIL: no Chromium found (tools/setup installs Debian's chromium)")


def browser(*args, profile):
    return subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                           f"--user-data-dir={profile}", *args], capture_output=True, text=True, timeout=120)


def print_without_backgrounds(url, pdf, profile):
    """Prints a page as a print dialog does by default, background graphics off: Page.printToPDF
    with printBackground false over --remote-debugging-pipe (--print-to-pdf always prints them)."""
    to_child_r, to_child_w = os.pipe()
    from_child_r, from_child_w = os.pipe()

    def fds():  # the pipe's ends as fds 3 (commands) and 4 (answers), as Chromium expects
        a, b = os.dup(to_child_r), os.dup(from_child_w)
        os.dup2(a, 3)
        os.dup2(b, 4)

    p = subprocess.Popen([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe", "--no-first-run",
                          "--disable-background-networking", "--disable-component-update", "--disable-sync",
                          f"--user-data-dir={profile}", "about:blank"], preexec_fn=fds, pass_fds=(3, 4),
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(to_child_r)
    os.close(from_child_w)
    buf, ids = b"", [0]
    deadline = time.time() + 60

    def send(method, params=None, session=None):
        ids[0] += 1
        msg = {"id": ids[0], "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(to_child_w, json.dumps(msg).encode() + b"\0")
        return ids[0]

    def next_message():
        nonlocal buf
        while b"\0" not in buf:
            if time.time() > deadline:
                raise TimeoutError("no answer from chromium")
            r, _, _ = select.select([from_child_r], [], [], 1)
            if r:
                chunk = os.read(from_child_r, 1 << 20)
                if not chunk:
                    raise EOFError("chromium closed the pipe")
                buf += chunk
        msg, buf = buf.split(b"\0", 1)
        return json.loads(msg)

    def call(method, params=None, session=None):
        i = send(method, params, session)
        while True:
            m = next_message()
            if m.get("id") == i:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m["result"]

    try:
        target = call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        call("Page.enable", session=session)
        send("Page.navigate", {"url": url}, session)
        while True:
            m = next_message()
            if m.get("method") == "Page.loadEventFired":
                break
        data = call("Page.printToPDF", {"printBackground": False}, session)["data"]
        open(pdf, "wb").write(base64.b64decode(data))
        try:
            send("Browser.close")
        except OSError:
            pass
    finally:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        os.close(to_child_w)
        os.close(from_child_r)


def read_png(path):
    """(width, height, rows of (r, g, b) tuples) of an 8-bit RGB or RGBA PNG, as pdftoppm writes."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, f"PNG kind {depth} {colour} {interlace}"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    bpp = 3 if colour == 2 else 4
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 0xFF
            elif f == 2:
                line[x] = (line[x] + b) & 0xFF
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append([tuple(line[x:x + 3]) for x in range(0, stride, bpp)])
        prev = line
    return width, height, rows


def red_blocks(rows, colour, tolerance=40):
    """Bounding boxes (x0, y0, x1, y1, pixels) of the 4-connected regions of pixels near `colour`."""
    h, w = len(rows), len(rows[0])
    near = [[all(abs(p[k] - colour[k]) <= tolerance for k in range(3)) for p in row] for row in rows]
    seen = [[False] * w for _ in range(h)]
    blocks = []
    for y in range(h):
        for x in range(w):
            if not near[y][x] or seen[y][x]:
                continue
            stack, box, n = [(x, y)], [x, y, x, y], 0
            seen[y][x] = True
            while stack:
                cx, cy = stack.pop()
                n += 1
                box = [min(box[0], cx), min(box[1], cy), max(box[2], cx), max(box[3], cy)]
                for nx, ny in ((cx + 1, cy), (cx - 1, cy), (cx, cy + 1), (cx, cy - 1)):
                    if 0 <= nx < w and 0 <= ny < h and near[ny][nx] and not seen[ny][nx]:
                        seen[ny][nx] = True
                        stack.append((nx, ny))
            blocks.append((*box, n))
    return blocks


def render(tmp, name, data, *extra):
    """Writes the page for a record set, has Chromium build its DOM; (page path, source, root)."""
    page = os.path.join(tmp, name + ".html")
    args = [BIN, "check", os.path.join(data, "plan.mandate"), "--registry", os.path.join(data, "registry.csv"),
            "--events", os.path.join(data, "events.jsonl")]
    if data == TOWN:
        args.append("leaflet=" + os.path.join(data, "leaflets.csv"))
    p = subprocess.run(args + ["--as-of", "2023-07-03", "--format", "html", "-o", page, *extra], capture_output=True, text=True)
    expect(p.returncode == 0, f"{name}: check --format html exits 0: {p.stderr}")
    source = open(page, encoding="utf-8").read() if os.path.exists(page) else ""
    dump = browser("--dump-dom", "file://" + page, profile=os.path.join(tmp, "profile-" + name))
    expect(dump.returncode == 0 and "<html" in dump.stdout, f"{name}: chromium renders the page: {dump.stderr[-500:]}")
    dom = DomBuilder()
    dom.feed(dump.stdout)
    return page, source, dom.root


def by_id(root, i):
    found = root.find(lambda n: n.attrs.get("id") == i)
    return found[0] if found else Node("missing", [], None)


def section(root, rule):
    s = root.find(lambda n: n.tag == "section" and n.attrs.get("data-rule") == rule)
    return s[0] if s else Node("missing", [], None)


def cells(sec):
    return {(n.attrs["data-unit"], n.attrs["data-from"]): n for n in sec.find(lambda n: "cell" in n.classes())}


def list_rows(sec, kind):
    return sec.find(lambda n: n.tag == "tr" and "data-from" in n.attrs and n.parent.tag == "tbody" and kind in n.parent.parent.classes())


def body_text(root):
    body = root.find(lambda n: n.tag == "body")
    return body[0].all_text() if body else ""


with tempfile.TemporaryDirectory() as tmp:
    page, source, root = render(tmp, "town", TOWN)
    # Self-contained: nothing fetched from anywhere.
    expect(not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", source), "no network assets")
    expect("<script" not in source and "<link" not in source and "@import" not in source, "no scripts or linked style sheets")

    html_el = root.find(lambda n: n.tag == "html")
    expect(html_el and html_el[0].attrs.get("lang") == "zh-Hans", "Chinese by default: <html lang=\"zh-Hans\">")
    title = root.find(lambda n: n.tag == "title")
    expect(title and title[0].all_text() == "测试镇宣传方案 — 2023-07-03", f"title: {title and title[0].all_text()}")
    expect(by_id(root, "title").all_text() == "测试镇宣传方案", "the plan's Chinese title heads the page")
    expect(by_id(root, "plan").all_text() == "town_check", "plan id")
    expect(by_id(root, "as-of").attrs.get("datetime") == "2023-07-03", "as-of date")
    meta = root.find(lambda n: "meta" in n.classes())
    expect(meta and "方案 town_check" in meta[0].all_text() and "截至 2023-07-03" in meta[0].all_text(),
           f"the heading's words are Chinese: {meta and meta[0].all_text()}")

    totals = {c: n.attrs.get("data-count") for n in root.find(lambda n: "total" in n.classes()) for c in n.classes() if c != "total"}
    expect(totals == {"satisfied": "5", "violated": "2", "at-risk": "1", "pending": "0", "excused": "0", "fired": "1"}, f"totals: {totals}")
    total_words = {c: n.all_text() for n in root.find(lambda n: "total" in n.classes()) for c in n.classes() if c != "total"}
    expect(total_words.get("violated") == "2未达标" and total_words.get("at-risk") == "1预警", f"totals in words: {total_words}")

    # The key: each status's glyph and its word.
    key = {n.attrs["data-key"]: n.all_text() for n in by_id(root, "legend").find(lambda n: "data-key" in n.attrs)}
    expect(key == {"satisfied": "✓达标", "violated": "✗未达标", "at-risk": "!预警", "pending": "·待定", "excused": "⊘豁免",
                   "fired": "●已触发", "fired-provisional": "○已触发（未定）", "not-fired": "–未触发"}, f"legend: {key}")

    # Heat maps: status as a class, as data-* attributes and as a glyph in the cell.
    monthly_sec = section(root, "monthly_activity")
    monthly = cells(monthly_sec)
    want = {("v1", "2023-04-01"): ("satisfied", "✓"), ("v1", "2023-05-01"): ("violated", "✗"), ("v1", "2023-06-01"): ("satisfied", "✓"),
            ("v2", "2023-04-01"): ("satisfied", "✓"), ("v2", "2023-05-01"): ("satisfied", "✓"), ("v2", "2023-06-01"): ("at-risk", "!")}
    got = {k: ([c for c in n.classes() if c != "cell"][0], n.all_text()) for k, n in monthly.items()}
    expect(got == want, f"monthly heat map: {got}")
    expect(monthly.get(("v2", "2023-06-01")) is not None and monthly[("v2", "2023-06-01")].attrs.get("data-status") == "pending"
           and monthly[("v2", "2023-06-01")].attrs.get("data-at-risk") == "true", "the at-risk cell is pending and at risk")
    expect(monthly.get(("v1", "2023-05-01")) is not None
           and monthly[("v1", "2023-05-01")].attrs.get("title") == "苟堂村 v1 · 2023-05-01至2023-05-31 · 未达标 · 数值 0（应 ≥ 1）",
           f"the violated cell's title in words: {monthly.get(('v1', '2023-05-01')) and monthly[('v1', '2023-05-01')].attrs.get('title')}")
    headings = [n.all_text() for n in monthly_sec.find(lambda n: "period" in n.classes() and n.tag == "th")]
    expect(headings == ["4月", "5月", "6月"], f"month headings: {headings}")
    heads = [(n.parent.attrs.get("data-unit"), n.all_text()) for n in monthly_sec.find(lambda n: n.tag == "th" and "unit" in n.classes()
                                                                                        and n.parent.parent.tag == "tbody")]
    expect(heads == [("v1", "苟堂村 v1"), ("v2", "新村, 东片 v2")], f"heat-map row heads name the units: {heads}")
    leaflets_sec = section(root, "leaflets")
    leaflets = cells(leaflets_sec)
    expect({k: (n.attrs.get("data-status"), n.all_text()) for k, n in leaflets.items()} ==
           {("v1", "2023-04-01"): ("satisfied", "✓ 苟堂村 v1"), ("v2", "2023-04-01"): ("violated", "✗ 新村, 东片 v2")},
           f"leaflet tiles: {[(k, n.all_text()) for k, n in leaflets.items()]}")
    commend_sec = section(root, "commend")
    commend = cells(commend_sec)
    expect({k: (n.attrs.get("data-fired"), n.attrs.get("data-final"), n.all_text()) for k, n in commend.items()} ==
           {("v1", "2023-04-01"): ("true", "true", "● 苟堂村 v1"), ("v2", "2023-04-01"): ("false", "true", "– 新村, 东片 v2")},
           f"commend cells: {[(k, n.all_text()) for k, n in commend.items()]}")

    # The clause once per rule, in its heading area; none on the rows.
    for rule, clause in (("monthly_activity", "一、各村每月组织一次集中宣传活动"), ("leaflets", "二、5月底前每户收到一张宣传页"),
                         ("commend", "三、连续两个月未发生案件的村予以表扬")):
        sec = section(root, rule)
        expect(sec.all_text().count(clause) == 1, f"{rule}: the clause appears once: {sec.all_text().count(clause)}")
        quote = sec.find(lambda n: n.tag == "blockquote" and "cite" in n.classes())
        expect(quote and quote[0].all_text() == clause, f"{rule}: the clause is quoted under the heading")

    # The violations, with values and evidence in words.
    rows = list_rows(monthly_sec, "violations")
    expect([(r.attrs["data-unit"], r.attrs["data-from"], r.classes()) for r in rows] ==
           [("v1", "2023-05-01", ["violated"]), ("v2", "2023-06-01", ["at-risk"])], "monthly violations listed")
    texts = [[c.all_text() for c in r.children if c.tag == "td"] for r in rows]
    expect(texts == [["苟堂村 v1", "2023-05-01至2023-05-31", "✗ 未达标", "0（应 ≥ 1）", "期间内没有要求所读取的记录"],
                     ["新村, 东片 v2", "2023-06-01至2023-06-30", "! 预警", "0（应 ≥ 1）", "期间内没有要求所读取的记录"]],
           f"monthly violation rows in words: {texts}")
    leaf = list_rows(leaflets_sec, "violations")
    texts = [[c.all_text() for c in r.children if c.tag == "td"] for r in leaf]
    expect(texts == [["新村, 东片 v2", "2023-04-01至2023-05-31", "✗ 未达标", "0%（应 ≥ 100%）", "1个住户中0个已有发放宣传页；缺：v2-h1"]],
           f"the leaflet violation names the household not covered: {texts}")
    fired = list_rows(commend_sec, "firings")
    texts = [[c.all_text() for c in r.children if c.tag == "td"] for r in fired]
    expect(texts == [["苟堂村 v1", "2023-04-01至2023-06-30", "● 已触发2023-07-01起确定", "连续满足的最长月数：3"]],
           f"the firing with its evidence in words: {texts}")

    # Per unit: violated buckets across obligations (and at risk), most first, then by id.
    rollup = [(r.attrs.get("data-unit"), r.attrs.get("data-violations"), r.attrs.get("data-at-risk"),
               [c.all_text() for c in r.children if c.tag == "td"])
              for r in by_id(root, "rollup").find(lambda n: n.tag == "tr" and "data-unit" in n.attrs)]
    expect(rollup == [("v1", "1", "0", ["苟堂村 v1", "1", "", "0", "每月宣传活动"]),
                      ("v2", "1", "1", ["新村, 东片 v2", "1", "", "1", "宣传页入户"])], f"roll-up: {rollup}")
    # Per month: violated buckets by the month their period ends.
    trend = [(m.attrs.get("data-month"), m.attrs.get("data-violations")) for m in by_id(root, "trend").find(lambda n: "data-month" in n.attrs)]
    expect(trend == [("2023-04", "0"), ("2023-05", "2"), ("2023-06", "0")], f"trend: {trend}")

    counts = {n.attrs["data-count"]: n.all_text() for n in by_id(root, "inputs").find(lambda n: "data-count" in n.attrs)}
    expect(counts.get("read") == "读取17" and counts.get("rejected") == "拒收1" and counts.get("applied") == "计入9",
           f"record accounting: {counts}")
    expect("field 'venue' must be a string" in by_id(root, "inputs").all_text(), "the rejected record and its reason")
    text = body_text(root)
    english = [w for w in ("satisfied", "violated", "at risk", "pending", "Summary", "Records", "evidence", "clause", "unit ", "more")
               if w in text]
    expect(not english, f"no English words on the Chinese page: {english}")

    # --lang zh is the default; --lang en is English throughout.
    _, source_zh, _ = render(tmp, "town-zh", TOWN, "--lang", "zh")
    expect(source_zh == source, "--lang zh writes the same page as the default")
    page_en, source_en, root_en = render(tmp, "town-en", TOWN, "--lang", "en")
    html_el = root_en.find(lambda n: n.tag == "html")
    expect(html_el and html_el[0].attrs.get("lang") == "en", "<html lang=\"en\"> with --lang en")
    text = body_text(root_en)
    for words in ("Summary", "Key", "violated", "at risk", "By unit", "Violations by month", "Records", "plan town_check", "as of 2023-07-03"):
        expect(words in text, f"English page says '{words}'")
    expect(not re.search("[达标预警待定豁免触发概况记录单位期间]", "".join(
        n.all_text() for n in root_en.find(lambda n: n.tag in ("th", "h2", "h3") or "total" in n.classes() or "counts" in n.classes()))),
        "no Chinese in the English page's headings, column heads and counts")
    en_monthly = section(root_en, "monthly_activity")
    headings = [n.all_text() for n in en_monthly.find(lambda n: "period" in n.classes() and n.tag == "th")]
    expect(headings == ["Apr", "May", "Jun"], f"English month headings: {headings}")
    texts = [[c.all_text() for c in r.children if c.tag == "td"] for r in list_rows(en_monthly, "violations")]
    expect(texts and texts[0][:4] == ["苟堂村 v1", "2023-05-01..2023-05-31", "✗ violated", "0 (must be ≥ 1)"],
           f"English violation row: {texts}")
    texts = [[c.all_text() for c in r.children if c.tag == "td"] for r in list_rows(section(root_en, "leaflets"), "violations")]
    expect(texts and texts[0][4] == "0 of 1 household have leaflet; missing: v2-h1", f"English coverage evidence: {texts}")
    trend = [(m.attrs.get("data-month"), m.attrs.get("data-violations"), m.attrs.get("title"))
             for m in by_id(root_en, "trend").find(lambda n: "data-month" in n.attrs)]
    expect(trend == [("2023-04", "0", "Apr 2023: 0 violated"), ("2023-05", "2", "May 2023: 2 violated"),
                     ("2023-06", "0", "Jun 2023: 0 violated")], f"English trend: {trend}")

    # A cumulative miss is one row naming the periods it spans.
    _, _, vroot = render(tmp, "visits", VISITS)
    vsec = section(vroot, "visits_to_date")
    # Cumulative buckets share their start: told apart by their end.
    vcells = {(n.attrs["data-unit"], n.attrs["data-to"]): n for n in vsec.find(lambda n: "cell" in n.classes())}
    ends = ["2023-01-31", "2023-02-28", "2023-03-31", "2023-04-30", "2023-05-31", "2023-06-30"]
    expect({k: n.all_text() for k, n in vcells.items()} ==
           {**{("v1", e): "✓" for e in ends}, **{("v2", e): g for e, g in zip(ends, "✗✗✗✓✓✓")}, **{("v3", e): "✗" for e in ends}},
           f"visits heat map: {[(k, n.all_text()) for k, n in sorted(vcells.items())]}")
    rows = list_rows(vsec, "violations")
    got = [(r.attrs.get("data-unit"), r.attrs.get("data-from"), r.attrs.get("data-first-to"), r.attrs.get("data-to"),
            r.attrs.get("data-periods")) for r in rows]
    expect(got == [("v2", "2023-01-01", "2023-01-31", "2023-03-31", "3"), ("v3", "2023-01-01", "2023-01-31", "2023-06-30", "6")],
           f"one row per cumulative miss: {got}")
    texts = [[c.all_text() for c in r.children if c.tag == "td"][:4] for r in rows]
    expect(texts == [["乙村 v2", "2023-01-01至2023-01-31 … 2023-01-01至2023-03-31（连续3期）", "✗ 未达标", "最后一期：0（应 ≥ 1）"],
                     ["丙村 v3", "2023-01-01至2023-01-31 … 2023-01-01至2023-06-30（连续6期）", "✗ 未达标", "最后一期：0（应 ≥ 1）"]],
           f"the cumulative rows name their span: {texts}")
    expect(vsec.all_text().count("四、各村自1月起开展入户走访，每月底前累计不少于一次") == 1, "the visits clause once")
    rollup = [(r.attrs.get("data-unit"), r.attrs.get("data-violations")) for r in by_id(vroot, "rollup").find(lambda n: "data-unit" in n.attrs)]
    expect(rollup == [("v3", "6"), ("v2", "3")], f"visits roll-up: {rollup}")
    expect("其余1个单位没有未达标或预警的期间。" in by_id(vroot, "units").all_text(), "the clean unit is counted")
    trend = [(m.attrs.get("data-month"), m.attrs.get("data-violations")) for m in by_id(vroot, "trend").find(lambda n: "data-month" in n.attrs)]
    expect(trend == [("2023-01", "2"), ("2023-02", "2"), ("2023-03", "2"), ("2023-04", "1"), ("2023-05", "1"), ("2023-06", "1")],
           f"visits trend: {trend}")

    # Chinese renders only with a CJK font; take a screenshot to look at.
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True)
    expect(fonts.returncode == 0 and fonts.stdout.strip(), "a CJK font is installed (fonts-noto-cjk)")
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))
    shot = os.path.join(OUT, "report.png")
    s = browser("--window-size=1280,1600", f"--screenshot={shot}", "file://" + page, profile=os.path.join(tmp, "profile-shot"))
    expect(s.returncode == 0 and os.path.exists(shot) and os.path.getsize(shot) > 20000, f"screenshot: {s.stderr[-300:]}")
    shutil.copy(page, os.path.join(OUT, "report.html"))

    # On paper: printed to PDF and rendered at 60 dpi, a violated heat-map cell keeps its red
    # and its glyph. A cell is 30 × 20 CSS px (about 19 × 12 pixels at 60 dpi) with its white
    # glyph inside; the key's swatch is 20 × 16; red text, the bars (10 px high) and the trend's
    # columns are other shapes. Printed twice: with --print-to-pdf, which prints backgrounds
    # anyway, and as a print dialog does by default, background graphics off, where only the
    # page's print-color-adjust keeps them (without it that print has no red block at all).
    if shutil.which("pdftoppm") is None:
        failures.append("pdftoppm not found (tools/setup installs poppler-utils)")
    pdf = os.path.join(OUT, "report.pdf")
    s = browser("--no-pdf-header-footer", f"--print-to-pdf={pdf}", "file://" + page, profile=os.path.join(tmp, "profile-pdf"))
    expect(s.returncode == 0 and os.path.exists(pdf) and os.path.getsize(pdf) > 10000, f"print to PDF: {s.stderr[-300:]}")
    plain = os.path.join(OUT, "report-no-backgrounds.pdf")
    try:
        print_without_backgrounds("file://" + page, plain, os.path.join(tmp, "profile-print"))
    except (OSError, EOFError, RuntimeError, TimeoutError) as e:
        failures.append(f"printing with background graphics off: {e}")
    for pdf, stem in ((pdf, "print"), (plain, "print-no-backgrounds")):
        if not os.path.exists(pdf) or shutil.which("pdftoppm") is None:
            continue
        p = subprocess.run(["pdftoppm", "-png", "-r", "60", pdf, os.path.join(OUT, stem)], capture_output=True, text=True)
        expect(p.returncode == 0, f"pdftoppm: {p.stderr}")
        pages = sorted(f for f in os.listdir(OUT) if re.fullmatch(re.escape(stem) + r"-\d+\.png", f))
        expect(pages, f"{stem}: the printed pages as PNG")
        found = []
        for name in pages:
            _, _, pixels = read_png(os.path.join(OUT, name))
            for x0, y0, x1, y1, n in red_blocks(pixels, VIOLATED_RGB):
                w, h = x1 - x0 + 1, y1 - y0 + 1
                if w < 8 or h < 8 or n < 0.4 * w * h:
                    continue  # text in red, a bar
                # The glyph: light pixels inside the red (a white ✗ on the cell).
                glyph = sum(1 for y in range(y0 + 1, y1) for x in range(x0 + 1, x1) if min(pixels[y][x]) > 170)
                found.append((name, x0, y0, w, h, n, glyph))
        cell = [b for b in found if 15 <= b[3] <= 24 and 10 <= b[4] <= 15]
        swatch = [b for b in found if 10 <= b[3] <= 14 and 8 <= b[4] <= 12]
        expect(cell and all(b[6] >= 3 for b in cell), f"{stem}: a violated heat-map cell printed red, its glyph white in it: {found}")
        expect(swatch and all(b[6] >= 3 for b in swatch), f"{stem}: the key's violated swatch printed red with its glyph: {found}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
