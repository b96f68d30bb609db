#!/bin/sh
# Builds the synthetic test province and compares `chitieu assess` with the
# independent implementation of the contract (reference.py) for several
# as-of periods (the default, within a plan, inside a year, at the start)
# and coverage minimums; reference.py implements the least-squares model (--model ols).
set -u
bin=$1
dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 "$dir/make_province.py" "$tmp" || exit 1
fail=0
for opts in "" "--as-of 2018" "--as-of 2021S1" "--as-of 2016" "--min-coverage 0.3" "--as-of 2019 --min-coverage 0.9"; do
  # shellcheck disable=SC2086
  "$bin" assess "$tmp/plan.yaml" --data "$tmp/data" --model ols $opts -o "$tmp/a.csv" || { echo "assess $opts failed"; fail=1; continue; }
  echo "== assess $opts"
  # shellcheck disable=SC2086
  /usr/bin/python3 "$dir/reference.py" "$tmp/plan.yaml" "$tmp/data" "$tmp/a.csv" $opts || fail=1
done
# the golden assess cases, with the options of their command lines
for case in "$dir"/../golden/cases/assess_*; do
  opts=$(sed -n '/^--as-of$/{n;s/^/--as-of /p};/^--level$/{n;s/^/--level /p}' "$case/args" | tr '\n' ' ')
  echo "== $(basename "$case") $opts"
  # shellcheck disable=SC2086
  (cd "$case" && "$bin" assess plan.yaml --data data --model ols $opts -o "$tmp/g.csv" &&
   /usr/bin/python3 "$dir/reference.py" plan.yaml data "$tmp/g.csv" $opts) || fail=1
done
exit $fail
