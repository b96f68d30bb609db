#!/bin/sh
# The worked example of docs/data-formats.md (docs/examples/geography): the
# region figures compute prints on geography 2025S2 and on each plan's own map
# (the default) equal those derived independently by derive.py (a closed
# province followed onto the communes it became without a link for itself, a
# count carried through a part link without a weight, approximate, a district
# that closed counting towards the new province, half a year of a unit that
# closed).
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$2
ex=$root/docs/examples/geography
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$root/tests/golden/geography/derive.py" "$ex" > "$tmp/want.csv" || { echo "derive.py failed"; exit 1; }
diff -u "$root/tests/golden/geography/expected.csv" "$tmp/want.csv" || { echo "derive.py no longer gives expected.csv"; exit 1; }
"$bin" compute "$ex/hau-giang.yaml" "$ex/can-tho.yaml" --data "$ex/data" --periods year --geography 2025S2 -o "$tmp/got-2025S2.csv" || { echo "compute failed"; exit 1; }
"$bin" compute "$ex/hau-giang.yaml" "$ex/can-tho.yaml" --data "$ex/data" --periods year -o "$tmp/got-.csv" || { echo "compute failed"; exit 1; }
fail=0
tail -n +2 "$tmp/want.csv" | while IFS=, read -r plan ind unit period want apx geo; do
  got=$(awk -F, -v p="$plan" -v i="$ind" -v u="$unit" -v t="$period" '$1 == p && $2 == i && $3 == u && $5 == t { print $6 "," $NF }' "$tmp/got-$geo.csv")
  if ! awk -v g="$got" -v w="$want,$apx" 'BEGIN { split(g, a, ","); split(w, b, ","); d = a[1] - b[1]
        if (g == "" || a[1] == "" || d > 1e-4 || d < -1e-4 || a[2] != b[2]) exit 1 }'; then
    echo "$plan $ind $unit $period ${geo:-own map}: expected $want,$apx (value,approximate), got '$got'"; echo x >> "$tmp/bad"
  fi
done
[ -f "$tmp/bad" ] && fail=1
# the same figures as reported are not one series: the assessment says where the break is
"$bin" assess "$ex/hau-giang.yaml" --data "$ex/data" --geography as-reported --lang en -o "$tmp/ar.csv" || { echo "assess as-reported failed"; exit 1; }
grep -q "a break: the commune units change in 2025-07" "$tmp/ar.csv" || { echo "no break noted as reported"; fail=1; }
# a sum over half a year: the closed region's last year completed from the wards its communes
# became (4 + 1 = 5); a district that closed has its half-year set aside, and the note says so
"$bin" assess "$ex/hau-giang.yaml" --data "$ex/data" --lang en -o "$tmp/own.csv" || { echo "assess failed"; exit 1; }
grep -q '^hau-giang-example,cases,93,province,2025,8,2024,16,2025,5,.*2025 completed from 2025-07 with the figures of the 2 units its units became' "$tmp/own.csv" ||
  { echo "Hậu Giang's last year is not completed:"; grep ',cases,' "$tmp/own.csv"; fail=1; }
"$bin" assess "$ex/can-tho.yaml" --data "$ex/data" --lang en --geography 2025S1 -o "$tmp/ct.csv" || { echo "assess failed"; exit 1; }
grep -q '^can-tho-example,cases,918,district,2025,.*insufficient_data,"no usable value for 2025; set aside: 2025: 6 of 12 months, until the unit closed in 2025-06"' "$tmp/ct.csv" ||
  { echo "a district's half-year is not set aside:"; grep ',cases,918,' "$tmp/ct.csv"; fail=1; }
# Cần Thơ stays valid all of 2025, but on 2025S1 its figure is its old ward's half-year
grep -q '^can-tho-example,cases,92,province,2025,.*insufficient_data,"no usable value for 2025; set aside: 2025: 6 of 12 months, until its units closed in 2025-06' "$tmp/ct.csv" ||
  { echo "a province whose units closed has its half-year counted as a year:"; grep ',cases,92,' "$tmp/ct.csv"; fail=1; }
# the output docs/data-formats.md quotes
doc=$root/docs/data-formats.md
awk '/^<!-- output: compute hau-giang.yaml can-tho.yaml --data data --periods year --level province --geography 2025S2/ { on = 1; next } on && /^```$/ { if (seen) exit; seen = 1; next } on && seen { print }' "$doc" > "$tmp/doc.csv"
(cd "$ex" && "$bin" compute hau-giang.yaml can-tho.yaml --data data --periods year --level province --geography 2025S2) > "$tmp/doc_got.csv"
diff -u "$tmp/doc.csv" "$tmp/doc_got.csv" || { echo "docs/data-formats.md quotes another output"; fail=1; }
[ $fail -eq 0 ] && echo ok
exit $fail
