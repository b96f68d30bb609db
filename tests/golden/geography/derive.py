#!/usr/bin/env python3
"""Independent derivation of the worked example in docs/examples/geography
(docs/data-formats.md, "A worked example"): reads its CSV files, carries the
half-year values of the old units onto the units valid in 2025S2 by each
metric's merge rule, and prints the yearly region figures the docs quote:
plan,indicator,unit,period,value,approximate,geography (`2025S2`: with
--geography 2025S2; empty: on the plan's own map, the default, which for
Hậu Giang is 2025S1, its units as they were until it closed). Written from
the docs' rules, not from the program's code."""
import csv
import sys
from collections import defaultdict

root = sys.argv[1]
data = root + "/data"


def rows(name):
    with open(f"{data}/{name}", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def month(period, last):
    if "Q" in period:
        y, q = period.split("Q")
        return int(y) * 12 + (int(q) - 1) * 3 + (2 if last else 0)
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

print("plan,indicator,unit,period,value,approximate,geography")
for year in ("2024", "2025"):
    # is_clean: over_time last -> the year's second half
    clean = carried("is_clean", year + "S2")
    n = sum(1 for k in hau_giang_communes if k in clean)
    k = sum(1 for c in hau_giang_communes if c in clean and clean[c][0] == 1)
    print(f"hau-giang-example,clean_communes_pct,93,{year},{100 * k / n:g},,2025S2")
    # cases: over_time sum -> both halves
    for plan, region, members in (("hau-giang-example", "93", hau_giang_communes), ("can-tho-example", "92", can_tho_communes)):
        total, apx = 0.0, False
        for h in (year + "S1", year + "S2"):
            c = carried("cases", h)
            for key in members:
                if key in c:
                    total += c[key][0]
                    apx = apx or c[key][1]
        print(f"{plan},cases,{region},{year},{total:g},{'1' if apx else ''},2025S2")


# Staff trained (district level). Districts no longer exist in 2025S2: each district counts
# on its last figures (2024's own, 2025 from 2025S1) towards the province of 2025S2 its
# communes all went to: Vị Thanh (930, whose province closed) towards Cần Thơ, whose own
# district Bình Thuỷ (918) is there already; the yearly value is the last reported (last).
def staff(district, year, metric):
    v = obs[metric].get((district, -10**9, year))
    if v is None:
        v = obs[metric].get((district, -10**9, year + "S1"))
    return v


def reaches(district):
    """The province of 2025S2 a district counts towards."""
    d = next(u for u in units if u["code"] == district)
    if d["parent"] == "92":
        return "92"
    provinces = {dd["parent"] for u in units if u["level"] == "commune" and u["parent"] == district
                 for dd, _, _ in dests(u)}
    assert len(provinces) == 1, provinces
    return provinces.pop()


for year in ("2024", "2025"):
    for plan, region, districts in (("hau-giang-example", "93", ["930"]),
                                    ("can-tho-example", "92", [d for d in ("930", "918") if reaches(d) == "92"])):
        t = sum(staff(d, year, "staff_trained") for d in districts)
        n = sum(staff(d, year, "staff_total") for d in districts)
        print(f"{plan},staff_trained_pct,{region},{year},{100 * t / n:g},,2025S2")

# Media (province level, quarterly, kind frequency): Hậu Giang's own figures, every
# quarter while it existed (to 2025-06): 2024 has 4 quarters due, 2025 only 2.
def media(year):
    due = [q for q in range(1, 5) if month(year, True) - (4 - q) * 3 <= next(u["hi"] for u in units if u["code"] == "93")]
    met = sum(1 for q in due if obs["media_posts"].get(("93", -10**9, f"{year}Q{q}"), 0) >= 1)
    return 100 * met / len(due)


for year in ("2024", "2025"):
    print(f"hau-giang-example,media_quarterly_pct,93,{year},{media(year):g},,2025S2")

# On Hậu Giang's own map (2025S1, the default): its six communes and its district as they
# were; 2025 is made of the half-year they existed. clean: the last half-year of the year
# in which they existed; cases: the half-years they existed (2025: 2025S1 only, 6 months).
old_communes = [u for u in units if u["level"] == "commune" and u["parent"] == "930"]
for year in ("2024", "2025"):
    halves = [h for h in (year + "S1", year + "S2") if month(h, True) <= old_communes[0]["hi"]]
    last = halves[-1]
    vals = [obs["is_clean"].get((u["code"], u["lo"], last)) for u in old_communes]
    vals = [v for v in vals if v is not None]
    print(f"hau-giang-example,clean_communes_pct,93,{year},{100 * sum(1 for v in vals if v == 1) / len(vals):g},,")
    total = sum(obs["cases"].get((u["code"], u["lo"], h), 0) for u in old_communes for h in halves)
    print(f"hau-giang-example,cases,93,{year},{total:g},,")
    print(f"hau-giang-example,staff_trained_pct,93,{year},"
          f"{100 * staff('930', year, 'staff_trained') / staff('930', year, 'staff_total'):g},,")
    print(f"hau-giang-example,media_quarterly_pct,93,{year},{media(year):g},,")
