#!/bin/sh
# The hand-worked dataset (see handcalc/README.md): compute must reproduce
# expected.csv exactly, and the JSON form must carry the same numbers.
set -u
bin=$1
dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" compute "$dir/plan.yaml" --data "$dir/data" -o "$tmp/out.csv" || { echo "compute failed"; exit 1; }
diff -u "$dir/expected.csv" "$tmp/out.csv" || { echo "compute differs from the hand-worked expected.csv"; exit 1; }
echo "ok"
