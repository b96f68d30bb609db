#!/usr/bin/env python3
"""A plan for a data folder an import wrote: each metric declared at the
level of the units that report it (its type boolean where metrics.csv says
so, else number) with a `sum` indicator of its own, so that `chitieu check`
reads every observation against a plan. A metric reported at several levels
is an error here (a plan declares one level).

usage: plan_for.py DIR > PLAN.yaml
"""
import csv
import sys


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main():
    folder = sys.argv[1]
    units = rows(folder + "/units.csv")
    level = {u["code"]: u["level"] for u in units}
    roots = [u["code"] for u in units if not u["parent"]]
    region = roots[0] if len(roots) == 1 and level[roots[0]] == "national" else "VN"
    level.setdefault("VN", "national")
    kinds = {m["metric"]: m["type"] for m in rows(folder + "/metrics.csv")}
    levels, years = {}, []
    for o in rows(folder + "/observations.csv"):
        levels.setdefault(o["metric"], set()).add(level[o["unit"]])
        years.append(int(o["period"][:4]))
    if not years:
        print("no observations", file=sys.stderr)
        return 1
    out = ["plan:", "  id: dhis2-real-check", '  title: "every metric of an imported folder"', f'  region: "{region}"',
           f"  baseline: {min(years)}", f"  horizon: {max(years) + 1}", "metrics:"]
    for m in kinds:
        if m not in levels:
            continue
        if len(levels[m]) != 1:
            print(f"metric {m} is reported at several levels: {sorted(levels[m])}", file=sys.stderr)
            return 1
        kind = "boolean" if kinds[m] == "boolean" else "number"
        out.append(f"  {m}: {{level: {next(iter(levels[m]))}, type: {kind}, over_time: last}}")
    out.append("indicators:")
    for m in kinds:
        if m not in levels:
            continue
        if kinds[m] == "boolean":
            lv = next(iter(levels[m]))
            out.append(f'  - {{id: i_{m}, title: "{m}", kind: count_of_units, of: {lv}, condition: "{m} == 1"}}')
        else:
            out.append(f'  - {{id: i_{m}, title: "{m}", kind: sum, metric: {m}}}')
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
