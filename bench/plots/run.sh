#!/bin/sh
# bench/plots: charts per second of `chitieu plot` on a batch (every district
# chart of the bundled plans), against gnuplot rendering the same saved .gp
# scripts in one process, and against an equivalent matplotlib script.
# usage: bash bench/plots/run.sh [--jobs N]   (from anywhere; needs build/chitieu
# or CHITIEU=path, gnuplot, /usr/bin/python3 with matplotlib)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${CHITIEU:-$root/build/chitieu}
jobs=2
[ "${1:-}" = "--jobs" ] && jobs=$2
out=$root/bench/out/plots
rm -rf "$out"; mkdir -p "$out"
cd "$root"
now() { date +%s.%N; }

# 1. chitieu plot: load, compute, assess, write every script, render
t0=$(now)
"$bin" plot indicators/*.yaml --data data --out "$out/chitieu" --level district --jobs "$jobs" >/dev/null
t1=$(now)
n=$(find "$out/chitieu" -name '*.png' | wc -l)

# 2. gnuplot alone: the same saved scripts in one process
all=$out/all.gp
: >"$all"
find "$out/chitieu" -name '*.gp' ! -name theme.gp | sort | while IFS= read -r gp; do
  printf "cd '%s'\nload '%s'\n" "$(dirname "$gp")" "$(basename "$gp")" >>"$all"
done
t2=$(now)
gnuplot "$all" 2>"$out/gnuplot.err"
t3=$(now)
[ -s "$out/gnuplot.err" ] && { echo "gnuplot wrote errors:"; head "$out/gnuplot.err"; }

# 3. matplotlib: the same trajectory charts from the same data
mkdir -p "$out/mpl"
t4=$(now)
/usr/bin/python3 "$here/mpl_charts.py" "$out/chitieu" "$out/mpl" >"$out/mpl.txt"
t5=$(now)
m=$(find "$out/mpl" -name '*.png' | wc -l)

awk -v n="$n" -v m="$m" -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v e="$t4" -v f="$t5" -v j="$jobs" 'BEGIN {
  tc = b - a; tg = d - c; tm = f - e
  printf "charts: %d (chitieu, gnuplot), %d (matplotlib)\n", n, m
  printf "chitieu plot --jobs %d  %7.2f s  %7.1f charts/s\n", j, tc, n / tc
  printf "gnuplot, one process    %7.2f s  %7.1f charts/s\n", tg, n / tg
  printf "matplotlib              %7.2f s  %7.1f charts/s\n", tm, m / tm
  printf "chitieu / gnuplot: %.0f%% (goal >= 85%%)\n", 100 * (n / tc) / (n / tg)
  printf "chitieu / matplotlib: %.1fx (goal >= 10x)\n", (n / tc) / (m / tm)
}'
