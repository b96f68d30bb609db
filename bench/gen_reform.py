#!/usr/bin/env python3
"""Generate a national benchmark dataset that crosses the 2025 reform.

    python3 bench/gen_reform.py [OUT_DIR]      (default: bench/out/reform)

Units and successions are Vietnam's real ones (with a synthetic high_risk attribute) (data/vn-units/: 10,061 communes in
696 districts until 2025S1, 3,321 communes in 34 provinces from 2025S2, 10,565
commune links, 974 of them part links without a weight). Observations are
synthetic: half-yearly 2016S1..2025S2 of the 17 metrics of
bench/national-plan.yaml, old communes and districts until 2025S1, new communes
in 2025S2 (districts no longer exist). metrics.csv gives every metric its merge
rule. Deterministic (fixed seed, standard library only).
"""
import csv
import os
import random
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SEED = 20250701

COMMUNE = [  # name, type, over_time, merge
    ("is_clean", "boolean", "last", "all"), ("has_propaganda", "boolean", "max", "any"),
    ("has_hotspot", "boolean", "max", "any"), ("has_social_team", "boolean", "last", "any"),
    ("media_sessions", "count", "sum", "sum"), ("establishments_at_risk", "count", "last", "sum"),
    ("establishments_inspected", "count", "sum", "sum"), ("establishments_violating", "count", "sum", "sum"),
    ("cases_detected", "count", "sum", "sum"), ("cases_handled", "count", "sum", "sum"),
    ("people_supported", "count", "sum", "sum"), ("people_reintegrated", "count", "sum", "sum"),
]
DISTRICT = [
    ("staff_trained", "count", "last", "sum"), ("staff_total", "count", "last", "sum"),
    ("violators_detected", "count", "sum", "sum"), ("violators_handled", "count", "sum", "sum"),
    ("has_plan", "boolean", "last", "all"),
]


def value(rng, kind):
    if kind == "boolean":
        return 1 if rng.random() < 0.8 else 0
    return rng.randint(0, 9)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "out", "reform")
    os.makedirs(out, exist_ok=True)
    shutil.copy(os.path.join(ROOT, "data", "vn-units", "successions.csv"), os.path.join(out, "successions.csv"))
    rng = random.Random(SEED)
    with open(os.path.join(ROOT, "data", "vn-units", "units.csv"), encoding="utf-8", newline="") as f:
        units = list(csv.DictReader(f))
    with open(os.path.join(out, "units.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "level", "parent", "valid_from", "valid_to", "high_risk"])
        for u in units:  # the plan's `among` reads a high_risk attribute of communes
            risk = (1 if rng.random() < 0.3 else 0) if u["level"] == "commune" else ""
            w.writerow([u["code"], u["name"], u["level"], u["parent"], u["valid_from"], u["valid_to"], risk])
    halves = [f"{y}S{h}" for y in range(2016, 2026) for h in (1, 2)]
    with open(os.path.join(out, "metrics.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["metric", "level", "type", "over_time", "merge", "title"])
        for level, ms in (("commune", COMMUNE), ("district", DISTRICT)):
            for name, kind, over, merge in ms:
                w.writerow([name, level, kind, over, merge, ""])
    with open(os.path.join(out, "observations.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["unit", "period", "metric", "value"])
        for u in units:
            ms = COMMUNE if u["level"] == "commune" else DISTRICT if u["level"] == "district" else None
            if not ms:
                continue
            periods = halves[-1:] if u["valid_from"] == "2025S2" else halves[:-1]
            for p in periods:
                for name, kind, _, _ in ms:
                    if rng.random() < 0.03:
                        continue
                    w.writerow([u["code"], p, name, value(rng, kind)])


if __name__ == "__main__":
    main()
