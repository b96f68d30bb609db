#!/usr/bin/env python3
"""Scans a page (HTML) or a workbook (.xlsx) meant for a Vietnamese reader for
what a reader should not find there: English words, raw period codes
(2025S1), ids (snake_case, plan-ids-2016-2020), unit codes beside a name,
ISO dates and numbers with a decimal point. Prints each find with its
context; exit 1 if any.

usage: scan_words.py FILE.html|FILE.xlsx [--sheet NAME]...

With --sheet, only the text of those sheets of the workbook (the sheets
written for a reader: the overview's words, the lagging units; a plan's sheet
holds the CSV's rows, codes included, as the contract says)."""
import html.parser
import re
import sys
import zipfile

ENGLISH = """the of and target targets province district commune communes status achieved track risk
data report unit units year not no chart gnuplot baseline projected latest coverage indicator
reported planned trend probability nearly deteriorating insufficient applicable plan plans
with from for value values level period page note notes rule rules task tasks late time points
short missed met reach least most overview lagging summary completeness feasibility sheet""".split()

RULES_VI = [
    ("English word", re.compile(r"\b(" + "|".join(ENGLISH) + r")\b", re.I)),
    ("period code", re.compile(r"\b\d{4}(S[12]|Q[1-4])\b")),
    ("id", re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")),
    ("plan id", re.compile(r"\b[a-z]+(-[a-z]+)*-\d{4}(-\d{4})?\b")),
    ("unit code", re.compile(r"\((tỉnh|huyện|xã|province|district|commune) \d+\)")),
    ("ISO date", re.compile(r"\b\d{4}-\d{2}-\d{2}\b")),
    ("decimal point", re.compile(r"(?<![\d.,])\d+\.(\d{1,2}|\d{4,})(?![\d.])")),
]


class Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.skip = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self.skip += 1
        for k, v in attrs:
            if k in ("alt", "aria-label", "title") and v:
                self.parts.append(v)

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def sheet_texts(path, names):
    """The text cells of the named sheets (shared strings resolved)."""
    out = []
    with zipfile.ZipFile(path) as z:
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            for si in re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode("utf-8"), re.S):
                shared.append("".join(re.findall(r"<t[^>]*>([^<]*)</t>", si)))
        wb = z.read("xl/workbook.xml").decode("utf-8")
        rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
        targets = dict(re.findall(r'<Relationship [^>]*Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
        targets.update({a: b for b, a in re.findall(r'<Relationship [^>]*Target="([^"]+)"[^>]*Id="([^"]+)"', rels)})
        found = set()
        for name, rid in re.findall(r'<sheet name="([^"]*)"[^>]*r:id="([^"]+)"', wb):
            name = html.unescape(name)
            if name not in names:
                continue
            found.add(name)
            x = z.read("xl/" + targets[rid].lstrip("/").removeprefix("xl/")).decode("utf-8")
            for attrs, body in re.findall(r"<c ([^>]*)>(.*?)</c>", x, re.S):
                v = re.search(r"<v>([^<]*)</v>", body)
                if 't="s"' in attrs and v:
                    out.append(shared[int(v.group(1))])
                out += re.findall(r"<t[^>]*>([^<]*)</t>", body)
        missing = set(names) - found
        if missing:
            print(f"{path}: no sheet {sorted(missing)}")
            sys.exit(2)
    return out


def texts_of(path, sheets=None):
    if path.endswith(".xlsx") and sheets:
        return sheet_texts(path, sheets)
    if path.endswith(".xlsx"):
        out = []
        with zipfile.ZipFile(path) as z:
            for n in z.namelist():
                if n.startswith("xl/sharedStrings") or (n.startswith("xl/worksheets/") and n.endswith(".xml")) \
                        or n == "xl/workbook.xml":
                    x = z.read(n).decode("utf-8")
                    out += re.findall(r"<t[^>]*>([^<]*)</t>", x)
                    out += re.findall(r'<sheet [^>]*name="([^"]*)"', x)
                    out += re.findall(r"<is><t>([^<]*)</t>", x)
        return out
    p = Text()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    return p.parts


def main():
    path = sys.argv[1]
    args = sys.argv[2:]
    sheets = [args[i + 1] for i, a in enumerate(args) if a == "--sheet" and i + 1 < len(args)]
    finds = 0
    for t in texts_of(path, sheets):
        t = html.unescape(t)
        for name, rx in RULES_VI:
            for m in rx.finditer(t):
                finds += 1
                if finds <= 40:
                    a = max(0, m.start() - 40)
                    print(f"{path}: {name}: '{m.group(0)}' in …{t[a:m.end() + 40].strip()}…")
    if finds > 40:
        print(f"{path}: … {finds} finds in all")
    return 1 if finds else 0


if __name__ == "__main__":
    sys.exit(main())
