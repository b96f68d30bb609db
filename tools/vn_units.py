#!/usr/bin/env python3
"""Vietnam's administrative units with their history, from the official lists.

Reads the General Statistics Office's list of units as of 2025-01-04 and the
official conversion table of 2025-07-01 (Decision 19/2025/QĐ-TTg and the
Standing Committee resolutions 1654-1687/NQ-UBTVQH15), as normalised in
data/vn-units/source/, and writes a chitieu data folder's

  units.csv        63 provinces, 696 districts and the communes of January
                   2025, valid until 2025S1; 34 provinces and 3,321 communes
                   from 2025S2 (no district level); a code reused by the
                   reform is two rows told apart by their validity
  successions.csv  every old commune -> new commune link of the table
                   (whole, or part with an empty weight: no shares are
                   published), and each old province -> new province

The gaps between the two lists (codes in one and not the other) are reported
on stderr and the script goes on: a code that only the table knows becomes an
old commune (from the table's district and name); a code that only the
January list knows has no successor. Python 3, standard library only:

  python3 tools/vn_units.py [--source DIR] [--out DIR]
"""
import argparse
import collections
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OLD_UNTIL, NEW_FROM = "2025S1", "2025S2"

WHOLE = ("Nhập toàn bộ", "Giữ nguyên", "Đổi tên", "Đổi loại hình", "Sắp xếp toàn bộ")


def kind_of(change):
    """whole or part, from the table's `change` note (as published)."""
    c = " ".join(change.split())
    low = c.lower()
    if "một phần" in low or "phần còn lại" in low:
        return "part"
    if c.startswith(WHOLE):
        return "whole"
    return None


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", default=os.path.join(ROOT, "data", "vn-units", "source"))
    ap.add_argument("--out", default=os.path.join(ROOT, "data", "vn-units"))
    args = ap.parse_args()
    jan = read(os.path.join(args.source, "units-2025-01-04.csv"))
    table = read(os.path.join(args.source, "conversion-2025-07-01.csv"))
    warn = lambda msg: print("vn_units: " + msg, file=sys.stderr)

    provinces, districts, communes = {}, {}, {}
    for r in jan:
        provinces.setdefault(r["province_code"], r["province_name"])
        districts.setdefault(r["district_code"], (r["district_name"], r["province_code"]))
        if r["commune_code"]:  # island districts have no communes
            communes[r["commune_code"]] = (r["commune_name"], r["district_code"])
    new_provinces, new_communes = {}, {}
    for r in table:
        new_provinces.setdefault(r["new_province_code"], r["new_province_name"])
        new_communes.setdefault(r["new_commune_code"], (r["new_commune_name"], r["new_province_code"]))
    no_commune = [r for r in table if not r["old_commune_code"]]
    for r in no_commune:
        warn(f"new commune {r['new_commune_code']} {r['new_commune_name']} is made of "
             f"'{r['old_commune_name'] or r['old_district_name']}' (district {r['old_district_code']}), "
             f"which has no commune code: no commune link")
    table = [r for r in table if r["old_commune_code"]]

    in_table = {r["old_commune_code"] for r in table}
    only_jan = sorted(set(communes) - in_table)
    only_table = sorted(in_table - set(communes))
    if only_jan:
        warn(f"{len(only_jan)} communes of the January list are not in the conversion table "
             f"(no successor: their data are not carried): {' '.join(only_jan)}")
    if only_table:
        warn(f"{len(only_table)} old communes of the conversion table are not in the January list "
             f"(added as old communes from the table's district and name): {' '.join(only_table)}")
    for r in table:
        code = r["old_commune_code"]
        if code not in communes:
            if r["old_district_code"] not in districts:
                districts[r["old_district_code"]] = (r["old_district_name"], r["old_province_code"])
            communes[code] = (r["old_commune_name"], r["old_district_code"])

    # commune links: one per (old, new); a "whole" old commune with other links is a part
    links = collections.OrderedDict()
    unknown_notes = collections.Counter()
    for r in table:
        key = (r["old_commune_code"], r["new_commune_code"])
        kind = kind_of(r["change"])
        if kind is None:
            unknown_notes[r["change"]] += 1
            kind = "part"
        if key in links and links[key] != kind:
            kind = "part"
        links[key] = kind
    for note, n in unknown_notes.items():
        warn(f"change note '{note}' ({n} link(s)) read as a part link")
    by_old = collections.defaultdict(list)
    for (old, new) in links:
        by_old[old].append(new)
    demoted = [old for old, news in by_old.items() if len(news) > 1 and any(links[(old, n)] == "whole" for n in news)]
    for old in demoted:
        for n in by_old[old]:
            links[(old, n)] = "part"
    if demoted:
        warn(f"{len(demoted)} old communes pass 'whole' into one commune and also into others: "
             f"all their links are read as parts: {' '.join(sorted(demoted))}")

    # province links: where each old province's communes went
    went = collections.defaultdict(set)
    for (old, new) in links:
        went[districts[communes[old][1]][1]].add(new_communes[new][1])

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "units.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "level", "parent", "valid_from", "valid_to"])
        for p in sorted(provinces):
            w.writerow([p, provinces[p], "province", "", "", OLD_UNTIL])
        for d in sorted(districts):
            w.writerow([d, districts[d][0], "district", districts[d][1], "", OLD_UNTIL])
        for c in sorted(communes):
            w.writerow([c, communes[c][0], "commune", communes[c][1], "", OLD_UNTIL])
        for p in sorted(new_provinces):
            w.writerow([p, new_provinces[p], "province", "", NEW_FROM, ""])
        for c in sorted(new_communes):
            w.writerow([c, new_communes[c][0], "commune", new_communes[c][1], NEW_FROM, ""])
    with open(os.path.join(args.out, "successions.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["period", "from", "to", "kind", "weight"])
        for p in sorted(went):
            for q in sorted(went[p]):
                w.writerow([NEW_FROM, p, q, "whole" if len(went[p]) == 1 else "part", ""])
        for (old, new), kind in sorted(links.items()):
            w.writerow([NEW_FROM, old, new, kind, ""])
    n_part = sum(1 for k in links.values() if k == "part")
    print(f"vn_units: {len(provinces)} provinces, {len(districts)} districts, {len(communes)} communes until {OLD_UNTIL}; "
          f"{len(new_provinces)} provinces, {len(new_communes)} communes from {NEW_FROM}; "
          f"{len(links)} commune links ({n_part} part), {sum(len(v) for v in went.values())} province links",
          file=sys.stderr)


if __name__ == "__main__":
    main()
