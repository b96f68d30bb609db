#!/usr/bin/env bash
# chitieu national benchmark: `chitieu compute` against an equivalent pandas script.
#
#   bash bench/run.sh [--compare] [--no-pandas] [--no-chitieu] [--data DIR] [--keep]
#
#   --compare      also compare the two outputs numerically (bench/compare.py)
#   --no-pandas    time chitieu only (no speed ratio)
#   --no-chitieu   time pandas only
#   --data DIR     dataset folder (default bench/out/national; generated if missing)
#   --keep         keep the output CSVs and timing logs (their folder is printed)
#
# Needs: python3 (any, for the generator), /usr/bin/python3 with pandas, GNU time
# (/usr/bin/time, Debian package `time`), and build/chitieu (or $CHITIEU) for the engine side.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
cd "$root"

data=bench/out/national
plan=bench/national-plan.yaml
chitieu=${CHITIEU:-build/chitieu}   # override with CHITIEU=path
pandas_py=/usr/bin/python3
do_compare=0 do_pandas=1 do_chitieu=1 keep=0
while [ $# -gt 0 ]; do
    case "$1" in
        --compare) do_compare=1 ;;
        --no-pandas) do_pandas=0 ;;
        --no-chitieu) do_chitieu=0 ;;
        --keep) keep=1 ;;
        --data) shift; data=${1:?--data needs a folder} ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
if [ "$do_compare" = 1 ] && { [ "$do_pandas" = 0 ] || [ "$do_chitieu" = 0 ]; }; then
    echo "run.sh: --compare needs both sides" >&2
    exit 2
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

# timed NAME CMD...: run CMD under GNU time; sets ${NAME}_wall (s) and ${NAME}_rss (kB).
timed() {
    local name=$1; shift
    echo "== $name: $*"
    if ! /usr/bin/time -v -o "$work/$name.time" "$@" 2> "$work/$name.err"; then
        echo "run.sh: $name failed:" >&2
        tail -n 20 "$work/$name.err" >&2
        exit 1
    fi
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {
            n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' \
           "$work/$name.time")
    rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/$name.time")
    printf -v "${name}_wall" '%s' "$wall"
    printf -v "${name}_rss" '%s' "$rss"
    printf '   wall %.2f s, peak RSS %.1f MB, output %s rows\n' "$wall" "$(echo "$rss" | awk '{print $1/1024}')" \
        "$(( $(wc -l < "$work/$name.csv") - 1 ))"
}

if [ "$do_chitieu" = 1 ]; then
    timed chitieu "$chitieu" compute "$plan" --data "$data" -o "$work/chitieu.csv"
    # assess: every target of the plan at every level (goal: at most 1.5x compute)
    timed assess "$chitieu" assess "$plan" --data "$data" -o "$work/assess.csv"
fi
if [ "$do_pandas" = 1 ]; then
    timed pandas "$pandas_py" bench/pandas_compute.py "$data" "$work/pandas.csv"
fi

echo
printf '%-10s %12s %16s\n' "" "wall (s)" "peak RSS (MB)"
[ "$do_chitieu" = 1 ] && printf '%-10s %12.2f %16.1f\n' chitieu "$chitieu_wall" "$(awk "BEGIN{print $chitieu_rss/1024}")"
[ "$do_pandas" = 1 ] && printf '%-10s %12.2f %16.1f\n' pandas "$pandas_wall" "$(awk "BEGIN{print $pandas_rss/1024}")"
if [ "$do_chitieu" = 1 ]; then
    printf '%-10s %12.2f %16.1f\n' assess "$assess_wall" "$(awk "BEGIN{print $assess_rss/1024}")"
    awk -v aw="$assess_wall" -v cw="$chitieu_wall" 'BEGIN {
        if (cw <= 0) cw = 0.01
        printf "assess    %.2fx the time of compute  (goal <= 1.5x: %s)\n", aw / cw, (aw / cw <= 1.5 ? "met" : "NOT met")
    }'
fi
if [ "$do_chitieu" = 1 ] && [ "$do_pandas" = 1 ]; then
    awk -v cw="$chitieu_wall" -v pw="$pandas_wall" -v cr="$chitieu_rss" -v pr="$pandas_rss" 'BEGIN {
        if (cw <= 0) cw = 0.01   # GNU time resolution is 10 ms
        speed = pw / cw; mem = cr / pr
        printf "speed-up  %.1fx  (goal >= 20x: %s)\n", speed, (speed >= 20 ? "met" : "NOT met")
        printf "memory    %.3f of pandas peak RSS  (goal <= 0.25: %s)\n", mem, (mem <= 0.25 ? "met" : "NOT met")
    }'
fi

if [ "$do_compare" = 1 ]; then
    echo
    echo "== compare (rows joined on plan,indicator,unit,period; tolerance 1e-6)"
    "$pandas_py" bench/compare.py "$work/chitieu.csv" "$work/pandas.csv" || true
fi
if [ "$keep" = 1 ]; then echo "== outputs and logs kept in $work"; fi
