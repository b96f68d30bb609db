#!/bin/sh
# The real map in the box: tools/vn_units.py remakes data/vn-units/ byte for
# byte from the official lists in data/vn-units/source/, reports the gaps
# between them, and chitieu check loads the result (codes reused across the
# 2025 reform, every succession resolved in its period).
set -u
bin=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$root/tools/vn_units.py" --out "$tmp" 2> "$tmp/log" || { echo "vn_units.py failed:"; cat "$tmp/log"; exit 1; }
fail=0
for f in units.csv successions.csv; do
  cmp -s "$tmp/$f" "$root/data/vn-units/$f" || { echo "data/vn-units/$f differs from what tools/vn_units.py writes"; fail=1; }
done
for want in "28 communes of the January list are not in the conversion table" \
            "10 old communes of the conversion table are not in the January list" \
            "63 provinces, 696 districts, 10061 communes until 2025S1; 34 provinces, 3321 communes from 2025S2"; do
  grep -q "$want" "$tmp/log" || { echo "the report lacks: $want"; fail=1; }
done
"$bin" check "$root/tests/golden/vn_units/plan.yaml" --data "$root/data/vn-units" > "$tmp/check" 2>&1 || { echo "check failed:"; cat "$tmp/check"; fail=1; }
grep -q "14175 units" "$tmp/check" || { echo "unexpected unit count:"; cat "$tmp/check"; fail=1; }
[ $fail -eq 0 ] && echo ok
exit $fail
