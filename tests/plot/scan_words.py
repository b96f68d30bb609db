#!/usr/bin/env python3
"""Scans a page (HTML) or a workbook (.xlsx) meant for a Vietnamese reader for
what a reader should not find there: English words, raw period codes
(2025S1), ids (snake_case, plan-ids-2016-2020), unit codes beside a name,
ISO dates and numbers with a decimal point. Prints each find with its
context; exit 1 if any.

usage: scan_words.py FILE.html|FILE.xlsx [--lang vi|en]"""
import html.parser
import re
import sys
import zipfile

ENGLISH = """the of and target targets province district commune communes status achieved track risk
data report unit units year not no chart gnuplot baseline projected latest coverage indicator
reported planned trend probability nearly deteriorating insufficient applicable plan plans""".split()

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


def texts_of(path):
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
    finds = 0
    for t in texts_of(path):
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
