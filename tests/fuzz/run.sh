#!/bin/sh
# Builds the libFuzzer harnesses and runs each for N seconds.
#
#   tests/fuzz/run.sh [SECONDS] [HARNESS...]     (default: 30, all seven)
#
# Environment: CC (default clang), OUT (build dir, default build-fuzz),
# JOBS (harnesses run at once, default 1), MAX_LEN (largest input, default
# 1 MiB: large enough for the quadratic and deep cases), FUZZ_FLAGS (extra
# libFuzzer flags).
# Crashes are written to tests/fuzz/crashes/NAME/; new corpus entries go to
# OUT/corpus/NAME (the seeds in tests/fuzz/corpus/NAME are read, not written).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
secs=${1:-30}
[ $# -gt 0 ] && shift
all="csv yaml plan cond period data dhis2"
names=${*:-$all}
CC=${CC:-clang}
OUT=${OUT:-$root/build-fuzz}
JOBS=${JOBS:-1}
MAX_LEN=${MAX_LEN:-1048576}

# every module of the layers the parsers live in (core, model, load)
engine=$(cd "$root/engine" && ls core/*.c model/*.c load/*.c)
srcs=""
for f in $engine; do srcs="$srcs $root/engine/$f"; done

pc=$(pkg-config --cflags --libs yaml-0.1 gsl lua5.4 jansson libxml-2.0 zlib)
cflags="-std=c11 -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined
        -fno-sanitize-recover=undefined -D_POSIX_C_SOURCE=200809L -DCHITIEU_VERSION=\"fuzz\"
        -I$root/engine -I$here"

mkdir -p "$OUT"
for n in $names; do
    echo "== build fuzz_$n"
    # shellcheck disable=SC2086
    $CC $cflags -o "$OUT/fuzz_$n" "$here/fuzz_$n.c" $srcs $pc -pthread -lm
done

run_one() {
    n=$1
    rc=0
    mkdir -p "$OUT/corpus/$n" "$here/crashes/$n"
    dict=""
    [ -f "$here/dict/$n.dict" ] && dict="-dict=$here/dict/$n.dict"
    echo "== run fuzz_$n for ${secs}s"
    # shellcheck disable=SC2086
    "$OUT/fuzz_$n" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -max_len="$MAX_LEN" -print_final_stats=1 \
        -artifact_prefix="$here/crashes/$n/" $dict ${FUZZ_FLAGS:-} \
        "$OUT/corpus/$n" "$here/corpus/$n" >"$OUT/fuzz_$n.log" 2>&1 || rc=$?
    grep -E '^stat::number_of_executed_units|^==[0-9]+==ERROR|^SUMMARY|Test unit written|ERROR: libFuzzer' \
        "$OUT/fuzz_$n.log" | sed "s/^/fuzz_$n: /" || true
    return "$rc"
}

status=0
if [ "$JOBS" -gt 1 ]; then
    pids=""
    for n in $names; do
        while [ "$(jobs -p | wc -l)" -ge "$JOBS" ]; do sleep 1; done
        run_one "$n" &
        pids="$pids $!"
    done
    for p in $pids; do wait "$p" || status=1; done
else
    for n in $names; do run_one "$n" || status=1; done
fi
[ $status -eq 0 ] && echo "== no crash" || echo "== crashes: see $here/crashes and $OUT/fuzz_*.log"
exit $status
