#!/usr/bin/env bash
# Per-call overhead of a Lua rule: builds bench/rules_overhead and runs it on the
# national synthetic dataset (generated with bench/gen_national.py if missing).
#
#   bash bench/run_rules.sh [--data DIR] [--repeats N] [--build DIR]
#
#   --data DIR     dataset folder (default bench/out/national)
#   --repeats N    passes per variant; the best is kept (default 5)
#   --build DIR    the CMake build folder (default build)
#
# Goal: the engine's time per call of a kind: lua indicator within 2x of a bare
# Lua loop calling an equivalent pure-Lua function.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
cd "$root"

data=bench/out/national repeats=5 build=build
while [ $# -gt 0 ]; do
    case "$1" in
        --data) shift; data=${1:?--data needs a folder} ;;
        --repeats) shift; repeats=${1:?--repeats needs a number} ;;
        --build) shift; build=${1:?--build needs a folder} ;;
        -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run_rules.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
fi
cmake --build "$build" --target rules_overhead > /dev/null

if [ ! -s "$data/units.csv" ] || [ ! -s "$data/observations.csv" ]; then
    echo "== generating $data"
    python3 bench/gen_national.py "$data"
fi
echo "== machine: $(nproc) cores, $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"), $(uname -m)"
"$build/bench/rules_overhead" "$data" "$repeats"
