#!/usr/bin/env python3
"""Independent derivation of the worked example in docs/examples/geography
(docs/data-formats.md, "A worked example"): reads its CSV files, carries the
half-year values of the old units onto the units valid in 2025S2 by each
metric's merge rule, and prints the yearly region figures the docs quote:
plan,indicator,unit,period,value,approximate. Written from the docs' rules,
not from the program's code."""
import csv
import sys
from collections import defaultdict

root = sys.argv[1]
data = root + "/data"


def rows(name):
    with open(f"{data}/{name}", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def month(period, last):
    y, h = period.split("S") if "S" in period else (period, None)
    y = int(y)
    if h is None:
        return y * 12 + (11 if last else 0)
    return y * 12 + (int(h) - 1) * 6 + (5 if last else 0)


units = []
for u in rows("units.csv"):
    lo = month(u["valid_from"], False) if u["valid_from"] else -10**9
    hi = month(u["valid_to"], True) if u["valid_to"] else 10**9
    units.append(dict(u, lo=lo, hi=hi))
G = month("2025S2", True)


def unit_at(code, m):
    found = [u for u in units if u["code"] == code and u["lo"] <= m <= u["hi"]]
    assert len(found) == 1, (code, m)
    return found[0]


links = defaultdict(list)  # (code, hi) of the old unit -> [(new unit, weight or None)]
for l in rows("successions.csv"):
    m = month(l["period"], False)
    old, new = unit_at(l["from"], m - 1), unit_at(l["to"], m)
    w = 1.0 if l["kind"] == "whole" else float(l["weight"]) if l["weight"] else None
    links[(old["code"], old["hi"])].append((new, w))


def dests(u):
    """[(unit of 2025S2, share, approximate)] for unit u."""
    if u["lo"] <= G <= u["hi"]:
        return [(u, 1.0, False)]
    out = links[(u["code"], u["hi"])]
    known = sum(w for _, w in out if w is not None)
    unknown = sum(1 for _, w in out if w is None)
    res = []
    for v, w in out:
        share = w if w is not None else (1 - known) / unknown
        for d, s2, a2 in dests(v):
            res.append((d, share * s2, a2 or w is None))
    return res


merge = {m["metric"]: m["merge"] for m in rows("metrics.csv")}
obs = defaultdict(dict)  # metric -> (code, lo, period) -> value
for o in rows("observations.csv"):
    u = unit_at(o["unit"], month(o["period"], False))
    obs[o["metric"]][(u["code"], u["lo"], o["period"])] = float(o["value"])

halves = ["2024S1", "2024S2", "2025S1", "2025S2"]


def carried(metric, period):
    """{(code, lo) of a 2025S2 unit: (value, approximate)} at a half-year."""
    acc = defaultdict(list)
    for u in units:
        if u["level"] != "commune" or not (u["lo"] <= month(period, True) and month(period, False) <= u["hi"]):
            continue
        v = obs[metric].get((u["code"], u["lo"], period))
        for d, share, apx in dests(u):
            acc[(d["code"], d["lo"])].append((v, share, apx))
    out = {}
    for key, parts in acc.items():
        if any(v is None for v, _, _ in parts):
            continue
        if merge[metric] == "sum":
            out[key] = (sum(v * s for v, s, _ in parts), any(a for _, _, a in parts))
        elif merge[metric] == "all":
            out[key] = (min(v for v, _, _ in parts), False)
    return out


def parent_chain(code_lo):
    u = next(x for x in units if (x["code"], x["lo"]) == code_lo)
    return u["parent"]


hau_giang_communes = set()  # the 2025S2 units that Hậu Giang's communes became
for u in units:
    if u["level"] == "commune" and u["parent"] == "930":
        for d, _, _ in dests(u):
            hau_giang_communes.add((d["code"], d["lo"]))
can_tho_communes = {(u["code"], u["lo"]) for u in units if u["level"] == "commune" and u["lo"] <= G <= u["hi"]}

print("plan,indicator,unit,period,value,approximate")
for year in ("2024", "2025"):
    # is_clean: over_time last -> the year's second half
    clean = carried("is_clean", year + "S2")
    n = sum(1 for k in hau_giang_communes if k in clean)
    k = sum(1 for c in hau_giang_communes if c in clean and clean[c][0] == 1)
    print(f"hau-giang-example,clean_communes_pct,93,{year},{100 * k / n:g},")
    # cases: over_time sum -> both halves
    for plan, region, members in (("hau-giang-example", "93", hau_giang_communes), ("can-tho-example", "92", can_tho_communes)):
        total, apx = 0.0, False
        for h in (year + "S1", year + "S2"):
            c = carried("cases", h)
            for key in members:
                if key in c:
                    total += c[key][0]
                    apx = apx or c[key][1]
        print(f"{plan},cases,{region},{year},{total:g},{'1' if apx else ''}")
