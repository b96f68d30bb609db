#!/usr/bin/env bash
# chitieu national benchmark: `chitieu compute` against an equivalent pandas script
# and DuckDB (SQL), `chitieu check` against a bare scan of the same bytes.
#
#   bash bench/run.sh [--compare] [--repeat N] [--no-pandas] [--no-duckdb] [--no-chitieu]
#                     [--data DIR] [--plan FILE] [--keep]
#
#   --compare      also compare the outputs numerically (bench/compare.py)
#   --repeat N     run every command N times, in turn (A B C A B C ...); medians
#   --no-pandas    no pandas side
#   --no-duckdb    no DuckDB side (it needs node and npm: bench/duckdb is installed on first use)
#   --no-chitieu   no chitieu side
#   --data DIR     dataset folder (default bench/out/national; generated if missing)
#   --plan FILE    the plan for chitieu (default bench/national-plan.yaml; the peers know only it)
#   --keep         keep the output CSVs and timing logs (their folder is printed)
#
# Needs: python3 (any, for the generator), /usr/bin/python3 with pandas, GNU time
# (/usr/bin/time, Debian package `time`), cc, and build/chitieu (or $CHITIEU).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
cd "$root"

data=bench/out/national
plan=bench/national-plan.yaml
chitieu=${CHITIEU:-build/chitieu}   # override with CHITIEU=path
pandas_py=/usr/bin/python3
do_compare=0 do_pandas=1 do_chitieu=1 do_duckdb=1 keep=0 repeat=1
while [ $# -gt 0 ]; do
    case "$1" in
        --compare) do_compare=1 ;;
        --no-pandas) do_pandas=0 ;;
        --no-chitieu) do_chitieu=0 ;;
        --no-duckdb) do_duckdb=0 ;;
        --repeat) shift; repeat=${1:?--repeat needs a number} ;;
        --plan) shift; plan=${1:?--plan needs a file} ;;
        --keep) keep=1 ;;
        --data) shift; data=${1:?--data needs a folder} ;;
        -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

if [ ! -x /usr/bin/time ]; then
    echo "run.sh: /usr/bin/time (GNU time) is missing; install it with: apt-get install time" >&2
    exit 1
fi
if [ "$do_pandas" = 1 ] && ! "$pandas_py" -c 'import pandas' 2>/dev/null; then
    echo "run.sh: $pandas_py has no pandas (apt-get install python3-pandas); or use --no-pandas" >&2
    exit 1
fi
if [ "$do_chitieu" = 1 ] && [ ! -x "$chitieu" ]; then
    echo "run.sh: $chitieu not found: build the engine first (or use --no-chitieu)" >&2
    exit 1
fi
if [ "$do_compare" = 1 ] && [ "$do_chitieu" = 0 ]; then
    echo "run.sh: --compare needs the chitieu side" >&2
    exit 2
fi
if [ "$do_duckdb" = 1 ]; then
    if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
        echo "run.sh: node and npm are needed for the DuckDB side (apt-get install nodejs npm); or use --no-duckdb" >&2
        exit 1
    fi
    if [ ! -d bench/duckdb/node_modules/@duckdb/node-api ]; then
        echo "== installing @duckdb/node-api into bench/duckdb (npm)"
        (cd bench/duckdb && npm install --no-audit --no-fund)
    fi
fi

if [ ! -s "$data/units.csv" ] || [ ! -s "$data/observations.csv" ]; then
    echo "== generating $data"
    python3 bench/gen_national.py "$data"
fi
obs_rows=$(( $(wc -l < "$data/observations.csv") - 1 ))
obs_mb=$(wc -c < "$data/observations.csv" | awk '{printf "%.1f", $1 / 1e6}')
unit_rows=$(( $(wc -l < "$data/units.csv") - 1 ))
echo "== dataset $data: $unit_rows units, $obs_rows observation rows (${obs_mb} MB)"
echo "== machine: $(nproc) cores, $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"), $(uname -m)"

work=$(mktemp -d /tmp/chitieu-bench.XXXXXX)
if [ "$keep" = 0 ]; then trap 'rm -rf "$work"' EXIT; fi

# Warm the page cache so that neither side pays for the first read from disk.
cat "$data/units.csv" "$data/observations.csv" > /dev/null

# timed NAME CMD...: run CMD under GNU time; appends the wall time (s) and peak RSS (kB)
# to $work/NAME.runs, one run a line.
timed() {
    local name=$1; shift
    echo "== $name: $*"
    # the previous round's output goes first, untimed: replacing a file of
    # hundreds of megabytes costs the kernel a fraction of a second
    rm -f "$work/$name.csv"
    if ! /usr/bin/time -v -o "$work/$name.time" "$@" > "$work/$name.out" 2> "$work/$name.err"; then
        echo "run.sh: $name failed:" >&2
        tail -n 20 "$work/$name.err" >&2
        exit 1
    fi
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {
            n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' \
           "$work/$name.time")
    rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/$name.time")
    echo "$wall $rss" >> "$work/$name.runs"
    local rows=""
    if [ -f "$work/$name.csv" ]; then rows=", output $(( $(wc -l < "$work/$name.csv") - 1 )) rows"; fi
    printf '   wall %.2f s, peak RSS %.1f MB%s\n' "$wall" "$(echo "$rss" | awk '{print $1/1024}')" "$rows"
}

# median NAME FIELD: the median of column FIELD (1 wall, 2 rss) of NAME's runs
median() {
    sort -g -k"$2,$2" "$work/$1.runs" | awk -v f="$2" '{ v[NR] = $f } END {
        if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

cc -O2 -o "$work/scan" bench/scan.c
sides=""
for ((k = 1; k <= repeat; k++)); do
    echo "== round $k of $repeat (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
    if [ "$do_chitieu" = 1 ]; then
        timed chitieu "$chitieu" compute "$plan" --data "$data" -o "$work/chitieu.csv"
        timed check "$chitieu" check "$plan" --data "$data"
        timed scan "$work/scan" "$data/observations.csv"
        # assess: every target of the plan at every level (goal: at most 1.5x compute)
        timed assess "$chitieu" assess "$plan" --data "$data" -o "$work/assess.csv"
    fi
    if [ "$do_duckdb" = 1 ]; then
        timed duckdb node bench/duckdb/compute.mjs "$data" "$work/duckdb.csv"
    fi
    if [ "$do_pandas" = 1 ]; then
        timed pandas "$pandas_py" bench/pandas_compute.py "$data" "$work/pandas.csv"
    fi
done

echo
echo "medians of $repeat run(s); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-10s %12s %16s %12s\n' "" "wall (s)" "peak RSS (MB)" "B/obs"
for n in chitieu check scan assess duckdb pandas; do
    [ -f "$work/$n.runs" ] || continue
    printf '%-10s %12.2f %16.1f %12.1f\n' "$n" "$(median $n 1)" "$(awk "BEGIN{print $(median $n 2)/1024}")" \
        "$(awk "BEGIN{print $(median $n 2) * 1024 / $obs_rows}")"
done
ratio() { awk -v a="$(median "$1" 1)" -v b="$(median "$2" 1)" 'BEGIN { if (b <= 0) b = 0.01; printf "%.2f", a / b }'; }
if [ "$do_chitieu" = 1 ]; then
    echo "assess    $(ratio assess chitieu)x the time of compute  (goal <= 1.5x)"
    echo "check     $(ratio check scan)x the time of a bare scan of observations.csv  (goal <= 3x)"
    awk -v r="$(median chitieu 2)" -v c="$(median check 2)" -v n="$obs_rows" 'BEGIN {
        printf "memory    check %.1f, compute %.1f bytes of peak RSS per observation row  (goal <= 16)\n", c * 1024 / n, r * 1024 / n }'
fi
if [ "$do_chitieu" = 1 ] && [ "$do_pandas" = 1 ]; then
    echo "pandas    chitieu $(ratio pandas chitieu)x faster  (goal >= 25x); memory $(awk "BEGIN{printf \"%.3f\", $(median chitieu 2) / $(median pandas 2)}") of its peak RSS"
fi
if [ "$do_chitieu" = 1 ] && [ "$do_duckdb" = 1 ]; then
    echo "duckdb    chitieu $(ratio duckdb chitieu)x faster; memory $(awk "BEGIN{printf \"%.3f\", $(median chitieu 2) / $(median duckdb 2)}") of its peak RSS"
fi

if [ "$do_compare" = 1 ]; then
    for peer in pandas duckdb; do
        [ -f "$work/$peer.csv" ] || continue
        echo
        echo "== compare chitieu with $peer (rows joined on plan,indicator,unit,period; tolerance 1e-6)"
        "$pandas_py" bench/compare.py "$work/chitieu.csv" "$work/$peer.csv" || true
    done
fi
if [ "$keep" = 1 ]; then echo "== outputs and logs kept in $work"; fi
