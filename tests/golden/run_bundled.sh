#!/bin/sh
# The bundled plans on the bundled data: `check` passes, every indicator of
# every plan has a value at the plan's region, and a handful of values equal
# those derived independently by tests/golden/bundled/derive.py (expected.csv).
set -u
bin=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root" || exit 2
"$bin" check indicators/*.yaml --data data > "$tmp/check.out" 2>&1 || { echo "check failed:"; cat "$tmp/check.out"; exit 1; }
"$bin" compute indicators/*.yaml --data data --periods year -o "$tmp/all.csv" || { echo "compute failed"; exit 1; }
# a 2026 plan for the new Cần Thơ reads the district-level figures of the districts that closed
"$bin" compute tests/golden/bundled/can-tho-2026.yaml --data data --periods year | tail -n +2 >> "$tmp/all.csv" ||
  { echo "compute can-tho-2026.yaml failed"; exit 1; }
# as reported: Thanh Hóa's 635 communes of 2015, before the 2019-2020 mergers
"$bin" compute indicators/*.yaml --data data --periods year --geography as-reported -o "$tmp/as-reported.csv" ||
  { echo "compute --geography as-reported failed"; exit 1; }
"$bin" compute indicators/*.yaml --data data --periods year --geography 2025S2 -o "$tmp/2025S2.csv" ||
  { echo "compute --geography 2025S2 failed"; exit 1; }
fail=0
# each plan alone on the shared folder (metrics.csv declares the others' metrics)
for plan in indicators/*.yaml; do
  "$bin" assess "$plan" --data data -o "$tmp/one.csv" > "$tmp/one.out" 2>&1 || { echo "assess $plan alone failed:"; cat "$tmp/one.out"; fail=1; }
done
# Hậu Giang closed on 2025-07-01: by default its plan is judged on its own last map
# (2025S1, its 75 communes), and where the verdict differs as reported the note says so;
# with --geography 2025S2 it is followed onto the 28 communes of Cần Thơ its 75 communes
# became (2025S2 reported by the new communes), and says so
"$bin" assess indicators/hau-giang-2021-2025.yaml --data data --level province --lang en -o "$tmp/hg.csv" || fail=1
grep -q '^hau-giang-2021-2025,communes_propaganda_pct,93,province,2025,.*,2025S1,' "$tmp/hg.csv" ||
  { echo "Hậu Giang's plan is not judged on its own map (2025S1):"; grep communes_propaganda "$tmp/hg.csv"; fail=1; }
"$bin" assess indicators/hau-giang-2021-2025.yaml --data data --level province --lang en --geography 2025S2 -o "$tmp/hg2.csv" || fail=1
grep -q '^hau-giang-2021-2025,communes_propaganda_pct,93,province,2025,.*followed onto the 28 commune units its units became' "$tmp/hg2.csv" ||
  { echo "Hậu Giang's assessment is not followed across the reform:"; grep communes_propaganda "$tmp/hg2.csv"; fail=1; }
# without a link for the province itself (the official table links communes only), 93 is
# still followed onto the communes its communes became: the same figures as with it
mkdir "$tmp/nolink" && cp data/*.csv "$tmp/nolink/" && grep -v '^2025S2,93,92,whole' data/successions.csv > "$tmp/nolink/successions.csv"
"$bin" compute indicators/hau-giang-2021-2025.yaml --data "$tmp/nolink" --periods year --geography 2025S2 --unit 93 -o "$tmp/nolink.csv" || fail=1
"$bin" compute indicators/hau-giang-2021-2025.yaml --data data --periods year --geography 2025S2 --unit 93 -o "$tmp/link.csv" || fail=1
grep -c '' "$tmp/nolink/successions.csv" | grep -qx "$(($(grep -c '' data/successions.csv) - 1))" || { echo "the region's link was not removed"; fail=1; }
for ind in communes_propaganda_pct media_province_quarterly_pct staff_trained_province_pct staff_trained_local_pct; do
  a=$(grep "^hau-giang-2021-2025,$ind,93,province," "$tmp/link.csv"); b=$(grep "^hau-giang-2021-2025,$ind,93,province," "$tmp/nolink.csv")
  [ -n "$a" ] && [ "$a" = "$b" ] || { echo "93 without its own link differs for $ind:"; echo "$a"; echo "$b"; fail=1; }
done
# the new map of Hà Nội and Cần Thơ is the official conversion table's
python3 tests/golden/bundled/new_map.py . || fail=1
# on a map before it began, a unit does not exist yet (not "no longer"); every code of the
# bundled new map was an old unit's too (the old Cần Thơ is 92 until 2025S1), so a province
# that begins in 2025S2 is added to a copy
mkdir "$tmp/early" && cp data/*.csv "$tmp/early/" && echo '99,Tỉnh Mới,province,,2025S2,,,' >> "$tmp/early/units.csv"
sed 's/region: "92"/region: "99"/' tests/golden/bundled/can-tho-2026.yaml > "$tmp/early.yaml"
"$bin" assess "$tmp/early.yaml" --data "$tmp/early" --geography 2025S1 --lang en -o "$tmp/early.csv" || fail=1
grep -q 'Tỉnh Mới does not exist yet in geography 2025S1: it begins in 2025S2' "$tmp/early.csv" ||
  { echo "a unit not yet existing is not said to be so:"; cat "$tmp/early.csv"; fail=1; }
# a Lua indicator over unit:units("commune") counts each commune of the map once: Thanh Hóa's
# healthy communes (scripts/healthy_commune.lua) equal the same share computed by the engine
for geo in "" "--geography as-reported"; do
  # shellcheck disable=SC2086
  "$bin" compute tests/golden/bundled/healthy-builtin.yaml indicators/thanh-hoa-2016-2020.yaml --data data --periods year --unit 38 $geo -o "$tmp/healthy.csv" || fail=1
  awk -F, '$2 == "healthy_builtin_pct" { b[$5] = $6 } $2 == "healthy_communes_pct" { l[$5] = $6 }
    END { n = 0; for (y in b) { n++; if (b[y] != l[y]) { print "healthy communes " y ": built-in " b[y] ", Lua " l[y]; bad = 1 } } exit bad || n < 6 }' "$tmp/healthy.csv" ||
    { echo "the Lua count of healthy communes differs from the built-in count ${geo:-on the default map}"; fail=1; }
done
# the new Cần Thơ's province-level figures of 2024: the sums of the three old provinces' own
# (Hậu Giang's, the old Cần Thơ's, Sóc Trăng's), with Hậu Giang's link or, as the official
# table gives them, through its communes' links only
printf '%s\n' 'plan:' '  id: ct-prov' '  title: "t"' '  region: "92"' '  baseline: 2025' '  horizon: 2030' \
  'indicators:' '  - id: staff_prov_pct' '    title: "t"' '    kind: ratio' '    numerator: staff_trained_prov' \
  '    denominator: staff_total_prov' '    targets:' '      - {year: 2030, value: 90}' > "$tmp/ct-prov.yaml"
for d in data "$tmp/nolink"; do
  want=$(awk -F, '$1 ~ /^9[234]$/ && $2 == "2024" && $3 == "staff_trained_prov" { n += $4 }
    $1 ~ /^9[234]$/ && $2 == "2024" && $3 == "staff_total_prov" { t += $4; k++ }
    END { if (k == 3) printf "%.6f,%d,%d", 100 * n / t, n, t }' data/observations.csv)
  [ -n "$want" ] && "$bin" compute "$tmp/ct-prov.yaml" --data "$d" --periods year | grep -q "^ct-prov,staff_prov_pct,92,province,2024,$want," ||
    { echo "the old provinces' 2024 figures ($want) do not reach the new Cần Thơ ($d)"; fail=1; }
done
# each plan on its own map in one run: Thanh Hóa on 2020S2, Hậu Giang on 2025S1
"$bin" assess indicators/*.yaml --data data --level province -o "$tmp/maps.csv" || fail=1
for want in thanh-hoa-2016-2020:2020S2 hau-giang-2021-2025:2025S1 national-2021-2025:2025S2; do
  awk -F, -v p="${want%%:*}" -v g="${want##*:}" '$1 == p && $0 !~ ","g"," { bad = 1 } END { exit bad }' "$tmp/maps.csv" ||
    { echo "plan ${want%%:*} is not judged on ${want##*:}"; fail=1; }
done
# every indicator has at least one value at its plan's region
for plan in indicators/*.yaml; do
  id=$(sed -n 's/^  id: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' "$plan" | head -n 1)
  region=$(sed -n 's/^  region: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' "$plan" | head -n 1)
  for ind in $(sed -n 's/^  - id: *//p' "$plan"); do
    if ! awk -F, -v p="$id" -v i="$ind" -v u="$region" '$1 == p && $2 == i && $3 == u && $6 != "" { found = 1 } END { exit !found }' "$tmp/all.csv"; then
      echo "no value for $id $ind at $region"; fail=1
    fi
  done
done
# the independently derived values
# (on the default geography, each plan's own map, or on the one the last column names)
tail -n +2 tests/golden/bundled/expected.csv | while IFS=, read -r plan ind unit period want geo; do
  out=$tmp/all.csv
  [ "$geo" = as-reported ] && out=$tmp/as-reported.csv
  [ "$geo" = 2025S2 ] && out=$tmp/2025S2.csv
  got=$(awk -F, -v p="$plan" -v i="$ind" -v u="$unit" -v t="$period" '$1 == p && $2 == i && $3 == u && $5 == t { print $6 }' "$out")
  if ! awk -v g="$got" -v w="$want" 'BEGIN { d = g - w; if (g == "" || d > 1e-6 || d < -1e-6) exit 1 }'; then
    echo "$plan $ind $unit $period ${geo:-default geography}: expected $want, got '${got}'"; echo x >> "$tmp/bad"
  fi
done
[ -f "$tmp/bad" ] && fail=1
[ $fail -eq 0 ] && echo "ok"
exit $fail
