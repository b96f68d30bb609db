#!/bin/sh
# bench/plots: the same charts drawn three ways, timed on one core and on the
# whole machine.
#   chitieu:    the whole `chitieu plot` command (load, compute, assess, write
#               every .gp, render through gnuplot workers), --jobs 1 / --jobs N;
#   gnuplot:    the .gp scripts chitieu wrote, rendered by gnuplot alone,
#               one process / N processes each taking every N-th script;
#   matplotlib: mpl_charts.py drawing the same charts (same pixel size, same
#               layers, read from the same scripts), one process / N processes.
# "One core" pins every process to CPU 0 (taskset -c 0). Each figure is the
# median of RUNS runs (default 3).
# usage: sh bench/plots/run.sh   (from anywhere; env: CHITIEU=path RUNS=3 JOBS=2;
#        needs build/chitieu, gnuplot, taskset, /usr/bin/python3 with matplotlib)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${CHITIEU:-$root/build/chitieu}
runs=${RUNS:-3}
jobs=${JOBS:-$(nproc)}
out=$root/bench/out/plots
rm -rf "$out"; mkdir -p "$out"
cd "$root"
now() { date +%s.%N; }
plot() { pre=$1; shift; $pre "$bin" plot indicators/*.yaml --data data --level district "$@" >/dev/null; }

# the scripts (and chitieu's own charts) that the other two sides draw again
plot "" --out "$out/src" --jobs "$jobs"
n=$(find "$out/src" -name '*.gp' ! -name theme.gp | wc -l)
p=$(find "$out/src" -name '*.png' | wc -l)
[ "$n" -eq "$p" ] || { echo "chitieu wrote $n scripts but $p charts" >&2; exit 1; }
# gnuplot: N lists of `cd DIR; load NAME` (a copy of the tree, so chitieu's charts stay)
cp -r "$out/src" "$out/gp"
find "$out/gp" -name '*.gp' ! -name theme.gp | sort | awk -v k="$jobs" -v o="$out" '{
  d = $0; sub(/\/[^\/]*$/, "", d); f = $0; sub(/.*\//, "", f)
  printf "cd \"%s\"\nload \"%s\"\n", d, f >> (o "/all.gp")
  printf "cd \"%s\"\nload \"%s\"\n", d, f >> (o "/part" ((NR - 1) % k) ".gp") }'

# one timed run of a side: prints seconds
t_chitieu1() { a=$(now); plot "taskset -c 0" --out "$out/c1" --jobs 1; b=$(now); echo "$b - $a" | bc; }
t_chitieuN() { a=$(now); plot "" --out "$out/cN" --jobs "$jobs"; b=$(now); echo "$b - $a" | bc; }
t_gnuplot1() { a=$(now); taskset -c 0 gnuplot "$out/all.gp" 2>>"$out/gnuplot.err"; b=$(now); echo "$b - $a" | bc; }
t_gnuplotN() {
  a=$(now); i=0
  while [ $i -lt "$jobs" ]; do gnuplot "$out/part$i.gp" 2>>"$out/gnuplot.err" & i=$((i + 1)); done
  wait; b=$(now); echo "$b - $a" | bc
}
mpl() { /usr/bin/python3 "$here/mpl_charts.py" "$out/src" "$out/mpl" "$@" >>"$out/mpl.txt"; }
t_mpl1() { rm -rf "$out/mpl"; mkdir -p "$out/mpl"; a=$(now); taskset -c 0 /usr/bin/python3 "$here/mpl_charts.py" "$out/src" "$out/mpl" >>"$out/mpl.txt"; b=$(now); echo "$b - $a" | bc; }
t_mplN() {
  rm -rf "$out/mpl"; mkdir -p "$out/mpl"; a=$(now); i=0
  while [ $i -lt "$jobs" ]; do mpl $i "$jobs" & i=$((i + 1)); done
  wait; b=$(now); echo "$b - $a" | bc
}

: >"$out/times"
r=1
while [ $r -le "$runs" ]; do
  for side in chitieu1 chitieuN gnuplot1 gnuplotN mpl1 mplN; do
    rm -rf "$out/c1" "$out/cN"
    s=$(t_$side)
    echo "$side $s" >>"$out/times"
    echo "run $r: $side $s s" >&2
  done
  r=$((r + 1))
done
[ -s "$out/gnuplot.err" ] && { echo "gnuplot wrote errors:"; head "$out/gnuplot.err"; }
m=$(find "$out/mpl" -name '*.png' | wc -l)
[ "$m" -eq "$n" ] || echo "matplotlib drew $m charts, not $n" >&2

sort -k1,1 -k2,2n "$out/times" | awk -v n="$n" -v j="$jobs" -v runs="$runs" '
  { t[$1, ++k[$1]] = $2 }
  function med(s) { c = k[s]; return c % 2 ? t[s, (c + 1) / 2] : (t[s, c / 2] + t[s, c / 2 + 1]) / 2 }
  END {
    printf "%d charts in every run (trajectories and status overviews); median of %d runs; %d cores\n", n, runs, j
    printf "%-11s %9s %13s %9s %13s %15s\n", "side", "1 core s", "charts/s/core", j " cores s", "charts/s", "charts/s/core"
    split("chitieu gnuplot mpl", names, " ")
    for (i = 1; i <= 3; i++) {
      s = names[i]; a = med(s "1"); b = med(s "N")
      r1[s] = n / a; rN[s] = n / b
      printf "%-11s %9.2f %13.1f %9.2f %13.1f %15.1f\n", (s == "mpl" ? "matplotlib" : s), a, n / a, b, n / b, n / b / j
    }
    printf "chitieu / gnuplot:    per core %.0f%%, whole machine %.0f%%\n", 100 * r1["chitieu"] / r1["gnuplot"], 100 * rN["chitieu"] / rN["gnuplot"]
    printf "chitieu / matplotlib: per core %.1fx, whole machine %.1fx\n", r1["chitieu"] / r1["mpl"], rN["chitieu"] / rN["mpl"]
  }'
