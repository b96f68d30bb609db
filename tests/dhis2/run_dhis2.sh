#!/bin/sh
# DHIS2 exchange: import dhis2 on files shaped as a DHIS2 server writes them
# (organisationUnits JSON; dataValueSets JSON and CSV), export dhis2, and the
# round trip DHIS2 -> chitieu -> DHIS2. Expected files were written by hand
# from the fixtures; the round trip is checked by an independent script.
# usage: run_dhis2.sh CHITIEU DIR_OF_THIS_SCRIPT
set -u
bin=$1
here=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
cd "$here" || exit 1

# 1. Unplaced values: listed with file and position, nothing written, exit 1.
"$bin" import dhis2 --org-units orgunits.json --data-values values.json values.csv --out "$tmp/d" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || fail "unplaced values: exit status $rc, expected 1"
[ -e "$tmp/d" ] && fail "unplaced values: the folder was written"
ls "$tmp" | grep -q 'd\.tmp' && fail "unplaced values: a temporary folder was left"
for want in \
  "values.csv:3: error: (media_posts, 2016W14, 38): the period type weekly is not one chitieu has" \
  "values.csv:4: error: (staff_trained, 2018, 999): org unit '999' is not in the org unit file" \
  "values.csv:5: error: (staff_trained, 2018, 381): category option combo 'Prlt0C1RF0s' is not the default" \
  "3 not placed (1 unknown org units, 1 unmapped category option combos, 1 period types chitieu lacks)"; do
  grep -qF "$want" "$tmp/err" || { fail "unplaced values: stderr lacks: $want"; cat "$tmp/err"; }
done

# 2. --skip-unplaced: the folder, as written by hand.
"$bin" import dhis2 --org-units orgunits.json --data-values values.json values.csv --skip-unplaced \
  --out "$tmp/d" 2>"$tmp/err" || fail "--skip-unplaced: exit status $?"
grep -q "values.csv:3: warning: " "$tmp/err" || fail "--skip-unplaced: the skipped values are not listed as warnings"
for f in units observations metrics; do
  diff -u "expected/$f.csv" "$tmp/d/$f.csv" || fail "$f.csv differs from expected/$f.csv"
done
# an import may replace a folder that holds only what an import writes
"$bin" import dhis2 --org-units orgunits.json --data-values values.json values.csv --skip-unplaced \
  --out "$tmp/d" 2>/dev/null || fail "a second import into the same folder failed"
touch "$tmp/d/notes.txt"
"$bin" import dhis2 --org-units orgunits.json --data-values values.json --out "$tmp/d" 2>"$tmp/err" \
  && fail "an import replaced a folder with other files"
[ -f "$tmp/d/notes.txt" ] || fail "the user's file was removed"

# 3. A data value set with period and orgUnit given once, a CSV without header,
#    deleted values, and a map: combos summed into one metric, one data element
#    left out, the level 4 renamed.
"$bin" import dhis2 --org-units orgunits.json --data-values values_set.json values_noheader.csv \
  --map map.csv --out "$tmp/m" 2>"$tmp/err" || { fail "map: exit status $?"; cat "$tmp/err"; }
diff -u expected/map_observations.csv "$tmp/m/observations.csv" || fail "map: observations differ"
grep -q '^14755,Phường Hàm Rồng,xa,380,1970-01,$' "$tmp/m/units.csv" || fail "map: level 4 not named xa"
grep -q "1 marked deleted" "$tmp/err" || fail "map: the deleted value is not counted"
grep -q "1 left out by the map" "$tmp/err" || fail "map: the value the map leaves out is not counted"

# the same file twice: every value repeated, kept once; a changed value: a conflict
"$bin" import dhis2 --org-units orgunits.json --data-values values_set.json values_set.json --map map.csv \
  --out "$tmp/twice" 2>"$tmp/err" || fail "the same file twice was refused"
grep -q "3 repeated (kept once)" "$tmp/err" || { fail "repeated values are not counted"; cat "$tmp/err"; }
sed 's/"value": "4"}/"value": "5"}/' values_set.json > "$tmp/changed.json"
"$bin" import dhis2 --org-units orgunits.json --data-values values_set.json "$tmp/changed.json" --map map.csv \
  --out "$tmp/changed" 2>"$tmp/err" && fail "a conflicting value was accepted"
grep -q "changed.json: error: dataValues\[1\] (staff_trained, 2016, 381): the same value twice with different numbers: it was 4 at values_set.json dataValues\[1\], now 5" \
  "$tmp/err" || { fail "the conflict is not reported"; cat "$tmp/err"; }

# 4. Broken input names its place; two units with one code and overlapping dates.
printf '{"organisationUnits": [\n  {"id": "a", "code": "1",}\n]}\n' > "$tmp/bad.json"
"$bin" import dhis2 --org-units "$tmp/bad.json" --data-values values.json --out "$tmp/x" 2>"$tmp/err" \
  && fail "a broken JSON was accepted"
grep -q "bad.json:2:[0-9]*: error: " "$tmp/err" || { fail "a JSON error does not name line and column"; cat "$tmp/err"; }
"$bin" import dhis2 --org-units orgunits_overlap.json --data-values values_noheader.csv --out "$tmp/x" 2>"$tmp/err" \
  && fail "overlapping units were accepted"
grep -q "share the code '14758' and their opening and closed dates overlap" "$tmp/err" || fail "overlap not reported"
printf '{"dataValues": [1, {"dataElement": "staff_trained", "period": 2016, "orgUnit": "380", "value": 20}]}' \
  > "$tmp/odd.json"
"$bin" import dhis2 --org-units orgunits.json --data-values "$tmp/odd.json" --out "$tmp/x" 2>"$tmp/err" \
  && fail "a data value that is not an object was accepted"
grep -q 'odd.json: error: dataValues\[0\] (, , ): not a data value' "$tmp/err" || { fail "a non-object data value"; cat "$tmp/err"; }
grep -q '1 placed as observations' "$tmp/err" || fail "numbers given as JSON numbers are not read"
"$bin" import dhis2 --org-units orgunits.json --out "$tmp/x" 2>/dev/null
[ $? -eq 2 ] || fail "a missing --data-values is not a usage error"

# 5. Round trip: DHIS2 -> chitieu -> DHIS2 keeps every value; targets.
"$bin" import dhis2 --org-units roundtrip_orgunits.json --data-values roundtrip_values.json \
  --out "$tmp/rt" 2>"$tmp/err" || { fail "round trip: import failed"; cat "$tmp/err"; }
"$bin" export dhis2 roundtrip_plan.yaml --data "$tmp/rt" --targets -o "$tmp/rt.json" 2>"$tmp/err" \
  || { fail "round trip: export failed"; cat "$tmp/err"; }
[ -e "$tmp/rt.json" ] && fail "values of several period types went to one payload"
$py - "$here/roundtrip_values.json" "$tmp"/rt.*.json <<'PY' || fail "round trip: see above"
import json, re, sys
src = json.load(open(sys.argv[1]))["dataValues"]
ok = True
values = []
# one payload per period type (DHIS2 2.43, E8021), its id schemes in the payload
kinds = {"year": r"^\d{4}$", "half-year": r"^\d{4}S[12]$", "quarter": r"^\d{4}Q[1-4]$", "month": r"^\d{6}$"}
for path in sys.argv[2:]:
    out = json.load(open(path))
    assert list(out) == ["idScheme", "dataElementIdScheme", "orgUnitIdScheme", "dataValues"], out.keys()
    assert out["idScheme"] == "CODE"
    kind = path.rsplit(".", 2)[1]
    for dv in out["dataValues"]:
        if not re.match(kinds[kind], dv["period"]): print(path, "holds", dv["period"]); ok = False
    values += out["dataValues"]
got = {}
for dv in values:
    if set(dv) != {"dataElement", "period", "orgUnit", "value"} or not all(isinstance(v, str) for v in dv.values()):
        print("not a DHIS2 data value:", dv); ok = False
    key = (dv["dataElement"], dv["period"], dv["orgUnit"])
    if key in got:
        print("twice:", key); ok = False
    got[key] = dv["value"]
for dv in src:
    key = (dv["dataElement"], dv["period"], dv["orgUnit"])
    if key not in got:
        print("lost:", key); ok = False
    elif float(got[key]) != float(dv["value"]):
        print("changed:", key, dv["value"], "->", got[key]); ok = False
# sums up the tree, computed here from the input: staff_trained for 38 in 2017 is 26 + 9
if got.get(("staff_trained", "2017", "38")) != "35": print("38 2017:", got.get(("staff_trained", "2017", "38"))); ok = False
if got.get(("cases_handled", "2016Q2", "381")) != "1": print("381 2016Q2 wrong"); ok = False
if got.get(("media_posts", "2016Q1", "38")) != "7": print("38 2016Q1 wrong"); ok = False
# targets: a value; a range's min; a change of -50% on each unit's 2016 baseline
want = {("staff_trained_target", "2018", "381"): "40", ("media_posts_target", "2018", "38"): "10",
        ("cases_handled_target", "2018", "14755"): "3.5", ("cases_handled_target", "2018", "380"): "5",
        ("cases_handled_target", "2018", "38"): "5.5"}
for k, v in want.items():
    if got.get(k) != v:
        print("target", k, "expected", v, "got", got.get(k)); ok = False
sys.exit(0 if ok else 1)
PY
# the export names no period the contract lacks and writes months as DHIS2 does
grep -q '"period":"201601"' "$tmp/rt.month.json" || fail "months are not written as 201601"
grep -q '"period":"2016-' "$tmp"/rt.*.json && fail "a month is written as 2016-01"
# a failed export writes nothing
"$bin" export dhis2 roundtrip_plan.yaml --data "$tmp/nowhere" -o "$tmp/none.json" 2>/dev/null \
  && fail "export without data succeeded"
[ -e "$tmp/none.json" ] && fail "a failed export left a file"

# 6. The output docs/exchange.md quotes is the program's.
doc="$here/../../docs/exchange.md"
mkdir "$tmp/docrun"
cp orgunits.json values.json values.csv "$tmp/docrun/"
(cd "$tmp/docrun" && "$bin" import dhis2 --org-units orgunits.json --data-values values.json values.csv \
  --out data 2>"$tmp/doc.err")
while IFS= read -r line; do
  grep -qxF -- "$line" "$doc" || fail "docs/exchange.md does not quote: $line"
done < "$tmp/doc.err"
"$bin" export dhis2 roundtrip_plan.yaml --data "$tmp/rt" --targets --unit 381 --periods year > "$tmp/doc.json"
$py - "$doc" "$tmp/doc.json" <<'PY' || fail "docs/exchange.md: the export example differs from the program's output"
import sys
doc, out = open(sys.argv[1]).read(), open(sys.argv[2]).read()
sys.exit(0 if "```json\n" + out + "```" in doc else 1)
PY

[ $fails -eq 0 ] && echo "dhis2: import, export and round trip as expected"
exit $((fails > 0))
