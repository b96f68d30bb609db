#!/usr/bin/env python3
"""Every value of a data values file placed or reported: counts the values
in the file (its own way: XML dataValue elements, JSON dataValues entries,
CSV rows after a header) and checks the import's summary line against it:
as many read, and read = placed + added to another combo's + repeated +
deleted + empty + left out by the map + not placed.

usage: account.py FILE... STDERR_OF_THE_IMPORT
"""
import csv
import gzip
import json
import re
import sys


def count(path):
    raw = open(path, "rb").read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    text = raw.decode("utf-8-sig").strip()
    if not text:
        return 0
    if text[0] == "<":
        return len(re.findall(r"<(?:\w+:)?dataValue[\s/>]", text))
    if text[0] == "{":
        return len(json.loads(text)["dataValues"])
    rows = [r for r in csv.reader(text.splitlines(), skipinitialspace=True) if r]
    names = {"dataelement", "period", "orgunit", "value", "catoptcombo", "categoryoptioncombo"}
    if sum(c.strip().lower() in names for c in rows[0]) >= 2:
        rows = rows[1:]
    return len(rows)


def main():
    files, err = sys.argv[1:-1], open(sys.argv[-1], encoding="utf-8").read()
    line = [l for l in err.splitlines() if l.startswith("chitieu import: ") and "data values read" in l]
    if not line:
        print("no summary line in", sys.argv[-1])
        return 1
    s = line[-1]

    def num(pattern):
        m = re.search(r"(\d+) " + pattern, s)
        return int(m.group(1)) if m else 0

    read = num("data values read")
    parts = {"placed": num("placed as observations"), "summed": num("added to another combo"),
             "repeated": num(r"repeated \(kept once\)"), "deleted": num("marked deleted"), "empty": num("empty"),
             "map": num("left out by the map"), "unplaced": num("not placed")}
    want = sum(count(f) for f in files)
    ok = True
    if read != want:
        print(f"{files}: {want} values in the files, the import read {read}: {s}")
        ok = False
    if sum(parts.values()) != read:
        print(f"{files}: {read} read, but {parts} add up to {sum(parts.values())}: {s}")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
