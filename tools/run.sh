#!/usr/bin/env bash
# The main job on the bundled data: checks every bundled plan against data/,
# computes every indicator at every level, assesses every target, tests each
# plan's feasibility and writes the HTML progress report with its charts
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
echo "wrote out/report/index.html ($(find out/report -name '*.png' | wc -l) charts)"
echo "status of every target at province level:"
awk -F, 'NR > 1 && $4 == "province" { n[$17]++ } END { for (s in n) printf "  %-18s %d\n", s, n[s] }' out/assessment.csv | sort
