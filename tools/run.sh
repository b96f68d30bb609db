#!/usr/bin/env bash
# The main job on the bundled data: checks every bundled plan against data/,
# computes every indicator at every level, assesses every target, tests each
# plan's feasibility and writes the HTML progress report, one file with its charts inside
# (and the assessment as an Excel workbook).
# Results go to out/; the report is out/report/index.html.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bash tools/build.sh build >/dev/null
mkdir -p out
plans=(indicators/*.yaml)
./build/chitieu check "${plans[@]}" --data data
./build/chitieu compute "${plans[@]}" --data data -o out/indicators.csv
./build/chitieu project "${plans[@]}" --data data -o out/projections.csv
./build/chitieu assess "${plans[@]}" --data data -o out/assessment.csv
./build/chitieu assess "${plans[@]}" --data data --format xlsx -o out/assessment.xlsx
./build/chitieu check "${plans[@]}" --data data --feasibility | grep '^feasibility:' > out/feasibility.txt
rm -rf out/report
./build/chitieu report "${plans[@]}" --data data --out out/report
for f in out/indicators.csv out/projections.csv out/assessment.csv; do
  echo "wrote $f ($(($(wc -l < "$f") - 1)) rows)"
done
echo "wrote out/assessment.xlsx (one sheet per plan)"
echo "wrote out/feasibility.txt ($(wc -l < out/feasibility.txt) findings)"
# the page holds its charts inline, as SVG
echo "wrote out/report/index.html, one file ($(grep -o '<svg class="chart"' out/report/index.html | wc -l) charts inline)"
# The bundled data end in 2026S1: assessed as of then, targets of 2025 and
# before are evaluated on their own year's value, those of 2026 monitored on
# the year so far.
/usr/bin/python3 - out/assessment.csv <<'PY'
import csv, sys
from collections import Counter, defaultdict
evaluation = ("achieved", "nearly_achieved", "not_achieved")
per_plan = defaultdict(lambda: [Counter(), Counter()])
maps = defaultdict(set)  # each plan is judged on its own map (column geography)
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    maps[r["plan"]].add(r["geography"])
    if r["level"] not in ("province", "national"):
        continue
    per_plan[r["plan"]][0 if r["status"] in evaluation else 1][r["status"]] += 1
print("targets at province and national level, as of the last period with data:")
for plan, (ev, mon) in sorted(per_plan.items()):
    e = ", ".join(f"{k} {v}" for k, v in sorted(ev.items())) or "none"
    m = ", ".join(f"{k} {v}" for k, v in sorted(mon.items())) or "none"
    g = ", ".join(sorted(maps[plan]))
    print(f"  {plan} (judged on the map of {g})\n    evaluated: {e}\n    monitored or without a verdict: {m}")
PY
# The mid-year review ("sơ kết 6 tháng") of Hà Nội's 2026 plan (07/KH-UBND,
# on the city's 126 communes and wards): its 2026 targets as of 2026S1,
# monitored on the year so far against the city's own seasonal profile.
./build/chitieu assess indicators/ha-noi-2026.yaml --data data --as-of 2026S1 --level province \
  -o out/midyear-ha-noi-2026.csv
echo "mid-year review of ha-noi-2026 as of 2026S1 (out/midyear-ha-noi-2026.csv):"
/usr/bin/python3 - out/midyear-ha-noi-2026.csv <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    print(f"  {r['indicator']}: {r['status']} ({r['note']})")
PY
