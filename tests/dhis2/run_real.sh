#!/bin/sh
# DHIS2 as it is really used: DHIS2's own test files (real/, see its README)
# imported and compared with folders checked by hand; then the cases real
# databases hold (a metadata export's default combo, null combos, subtrees,
# paged responses, reused codes by id, codes that are no metric names, long
# codes, opening dates, cycles, XML, gzip), each against a result worked out
# by hand from DHIS2's rules; and a round trip through export and import.
# usage: run_real.sh CHITIEU DIR_OF_THIS_SCRIPT
set -u
bin=$1
here=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
has() { grep -qF -- "$1" "$2" || { fail "$3: lacks: $1"; cat "$2"; }; }
same() { for f in units observations metrics; do diff -u "$1/$f.csv" "$2/$f.csv" || fail "$3: $f.csv differs"; done; }
cd "$here/real" || exit 1

# 1. DHIS2's own files
"$bin" import dhis2 --org-units organisation_units.json --data-values dataValueSetJ.json --out "$tmp/j" 2>"$tmp/err" \
  || { fail "dataValueSetJ.json: exit $?"; cat "$tmp/err"; }
same expected/j "$tmp/j" dataValueSetJ
has "1 org units have no parent in the files (a subtree export)" "$tmp/err" "subtree warning"
"$bin" import dhis2 --org-units orgunits_code_fixture.json --data-values dataValueSetBcode.xml --out "$tmp/x" 2>"$tmp/err" \
  || { fail "dataValueSetBcode.xml: exit $?"; cat "$tmp/err"; }
same expected/bcode "$tmp/x" "XML"
gzip -c dataValueSetBcode.xml > "$tmp/b.xml.gz"
"$bin" import dhis2 --org-units orgunits_code_fixture.json --data-values "$tmp/b.xml.gz" --out "$tmp/xg" 2>/dev/null \
  || fail "gzip XML: exit $?"
same expected/bcode "$tmp/xg" "gzip XML"
"$bin" import dhis2 --org-units organisation_units.json --data-values dataValueSetBooleanTest.csv --out "$tmp/b" 2>"$tmp/err" \
  && fail "boolean CSV: values that are no booleans were accepted"
has "dataValueSetBooleanTest.csv:12: error: (jH26dja2f30, 201202, DiszpKrYNg8): the value 'test' is not a number" "$tmp/err" "boolean CSV"
has "dataValueSetBooleanTest.csv:10: error: (jH26dja2f30, 201201, BdfsJfj87js): org unit 'BdfsJfj87js' is not in the org unit file" "$tmp/err" "boolean CSV"
has "18 data values read, 3 placed as observations, 8 repeated (kept once); 7 not placed" "$tmp/err" "boolean CSV"
gzip -c dataValueSetBooleanTest.csv > "$tmp/b.csv.gz"
"$bin" import dhis2 --org-units organisation_units.json --data-values "$tmp/b.csv.gz" --skip-unplaced --out "$tmp/b" 2>/dev/null \
  || fail "gzip CSV --skip-unplaced: exit $?"
same expected/boolean "$tmp/b" "boolean CSV"

# the default combo of Sierra Leone's demo (bRowv6yZOF2, code COC_4) from the Android SDK's metadata
printf '{"dataValues": [{"dataElement": "de1", "period": "2020", "orgUnit": "OU_559", "categoryOptionCombo": "bRowv6yZOF2", "value": "1"},\n{"dataElement": "de2", "period": "2020", "orgUnit": "g8upMTyEZGZ", "categoryOptionCombo": "COC_4", "attributeOptionCombo": "bRowv6yZOF2", "value": "2"}]}' > "$tmp/sl.json"
"$bin" import dhis2 --org-units organisation_units.json --org-units default_category_combo.json --data-values "$tmp/sl.json" \
  --out "$tmp/sl" 2>"$tmp/err" || { fail "Sierra Leone's default combo: exit $?"; cat "$tmp/err"; }
"$bin" import dhis2 --org-units organisation_units.json --data-values "$tmp/sl.json" --out "$tmp/sl2" 2>"$tmp/err" \
  && fail "bRowv6yZOF2 taken for the default without the metadata"
has "category option combo 'bRowv6yZOF2' is not the default (give --map)" "$tmp/err" "no metadata"

# 2. A metadata export's default combo (Sierra Leone's bRowv6yZOF2 / COC_4), a
#    reused code (31321 closed 2025-07-01, reopened as another unit), a unit
#    without code opened 2025-07-15, codes that are no metric names, null combos.
cat > "$tmp/ou.json" <<'J'
{"pager": {"page": 1, "pageCount": 1},
 "categoryOptionCombos": [{"id": "bRowv6yZOF2", "code": "COC_4", "name": "default"}],
 "organisationUnits": [
  {"id": "r1", "code": "P1", "name": "P1", "level": 2, "path": "/root/r1", "openingDate": "2000-01-01"},
  {"id": "c1", "code": "31321", "name": "Old", "level": 3, "parent": {"id": "r1"}, "openingDate": "2000-01-01", "closedDate": "2025-07-01"},
  {"id": "c2", "code": "31321", "name": "New", "level": 3, "parent": {"id": "r1"}, "openingDate": "2025-07-01"},
  {"id": "c3", "name": "No code", "level": 3, "path": "/root/r1/c3", "openingDate": "2025-07-15"}
]}
J
cat > "$tmp/v.json" <<'J'
{"dataValues": [
 {"dataElement": "MAL-POS 01", "period": "2025Q3", "orgUnit": "c1", "categoryOptionCombo": "bRowv6yZOF2", "value": "3"},
 {"dataElement": "MAL-POS 01", "period": "2025Q3", "orgUnit": "31321", "categoryOptionCombo": "COC_4", "value": 0.1},
 {"dataElement": "105-1.2", "period": "202508", "orgUnit": "c3", "value": "t"},
 {"dataElement": "105-1.2", "period": "202507", "orgUnit": "c3", "value": "T"},
 {"dataElement": "x", "period": "2024", "orgUnit": "P1", "categoryOptionCombo": null, "value": "12"},
 {"dataElement": "x", "period": "2024", "orgUnit": "P1", "categoryOptionCombo": null, "value": "12"},
 {"dataElement": "y", "period": "2024", "orgUnit": "P1", "value": "5", "deleted": "true"}
]}
J
"$bin" import dhis2 --org-units "$tmp/ou.json" --data-values "$tmp/v.json" --out "$tmp/o" 2>"$tmp/err" && fail "null combos were accepted"
has "dataValues[0] (MAL-POS 01, 2025Q3, c1): org unit c1 (31321) was not open for the whole of 2025Q3 (open 2000-01..2025-06)" "$tmp/err" "by id, closed"
has "dataValues[3] (105-1.2, 202507, c3): org unit c3 (c3) was not open for the whole of 2025-07 (open 2025-08..-)" "$tmp/err" "opening date"
has "dataValues[5] (x, 2024, P1): its category option combo is null" "$tmp/err" "null combo"
has "(so is the value at $tmp/v.json dataValues[4]: two disaggregations, never merged); export with categoryOptionComboIdScheme=UID" "$tmp/err" "null combo"
has "1 marked deleted; 4 not placed (2 units not open in the period, 2 null option combos)" "$tmp/err" "summary"
"$bin" import dhis2 --org-units "$tmp/ou.json" --data-values "$tmp/v.json" --skip-unplaced --out "$tmp/o" 2>/dev/null \
  || fail "--skip-unplaced: exit $?"
printf 'unit,period,metric,value\n31321,2025Q3,MAL_POS_01,0.1\nc3,2025-08,m_105_1_2,1\n' > "$tmp/want"
diff -u "$tmp/want" "$tmp/o/observations.csv" || fail "observations (the new 31321, 0.1 as written, c3 from 2025-08)"
printf 'metric,level,type,over_time,merge,title,dhis2_code\nMAL_POS_01,,,,,,MAL-POS 01\nm_105_1_2,,boolean,,,,105-1.2\n' > "$tmp/want"
diff -u "$tmp/want" "$tmp/o/metrics.csv" || fail "metrics.csv (names made valid, codes kept)"
grep -q '^31321,Old,district,P1,2000-01,2025-06$' "$tmp/o/units.csv" || fail "closedDate 2025-07-01: valid_to 2025-06"
grep -q '^c3,No code,district,P1,2025-08,$' "$tmp/o/units.csv" || fail "a unit without code by its id; opened 2025-07-15: 2025-08"

# 3. The null combos mapped, a map with attribute combos and '*'
printf 'dataelement,catoptcombo,attroptcombo,metric\nx,null,*,x_any\nz,*,*,z_all\nw,,A1,w_a1\n' > "$tmp/map.csv"
cat > "$tmp/m.json" <<'J'
{"dataValues": [
 {"dataElement": "x", "period": "2024", "orgUnit": "P1", "categoryOptionCombo": null, "value": "7"},
 {"dataElement": "z", "period": "2024", "orgUnit": "P1", "categoryOptionCombo": "F", "attributeOptionCombo": "A1", "value": "2"},
 {"dataElement": "z", "period": "2024", "orgUnit": "P1", "categoryOptionCombo": "M", "value": "3"},
 {"dataElement": "w", "period": "2024", "orgUnit": "P1", "attributeOptionCombo": "A1", "value": "4"},
 {"dataElement": "w", "period": "2024", "orgUnit": "P1", "attributeOptionCombo": "A2", "value": "4"}
]}
J
"$bin" import dhis2 --org-units "$tmp/ou.json" --data-values "$tmp/m.json" --map "$tmp/map.csv" --out "$tmp/m" 2>"$tmp/err" \
  && fail "an unmapped attribute combo was accepted"
has "dataValues[4] (w, 2024, P1): category option combo 'A2' is not in the map" "$tmp/err" "map"
"$bin" import dhis2 --org-units "$tmp/ou.json" --data-values "$tmp/m.json" --map "$tmp/map.csv" --skip-unplaced --out "$tmp/m" \
  2>/dev/null || fail "map: exit $?"
printf 'unit,period,metric,value\nP1,2024,x_any,7\nP1,2024,z_all,5\nP1,2024,w_a1,4\n' > "$tmp/want"
diff -u "$tmp/want" "$tmp/m/observations.csv" || fail "map with attroptcombo and '*'"

# 4. Several org unit files; a paged response with pages missing
head -c 0 /dev/null
cat > "$tmp/p1.json" <<'J'
{"pager": {"page": 1, "pageCount": 2}, "organisationUnits": [{"id": "a", "code": "A", "name": "A", "level": 1}]}
J
cat > "$tmp/p2.json" <<'J'
{"pager": {"page": 2, "pageCount": 2}, "organisationUnits": [{"id": "b", "code": "B", "name": "B", "level": 2, "parent": {"id": "a"}}]}
J
printf 'dataelement,period,orgunit,catoptcombo,attroptcombo,value\nm, 2020, B, , , 4\n' > "$tmp/s.csv"
"$bin" import dhis2 --org-units "$tmp/p1.json" --data-values "$tmp/s.csv" --out "$tmp/p" 2>"$tmp/err" && fail "a missing page was accepted"
has "p1.json: error: a paged response: 1 of its 2 pages are missing (page 2 first)" "$tmp/err" "pager"
"$bin" import dhis2 --org-units "$tmp/p1.json" --org-units "$tmp/p2.json" --data-values "$tmp/s.csv" --out "$tmp/p" 2>"$tmp/err" \
  || { fail "two pages, spaces after commas: exit $?"; cat "$tmp/err"; }
grep -q '^B,2020,m,4$' "$tmp/p/observations.csv" || fail "spaces after commas: the value"

# 5. Trees and names the loader would refuse: nothing written, the input named
printf '{"organisationUnits": [{"id": "a", "code": "A", "level": 2, "parent": {"id": "b"}}, {"id": "b", "code": "B", "level": 2, "parent": {"id": "a"}}]}' > "$tmp/cyc.json"
"$bin" import dhis2 --org-units "$tmp/cyc.json" --data-values "$tmp/s.csv" --out "$tmp/c" 2>"$tmp/err" && fail "a cycle was accepted"
has "cyc.json: error: org unit" "$tmp/err" "cycle"; has "is its own ancestor" "$tmp/err" "cycle"
[ -e "$tmp/c" ] && fail "cycle: a folder was written"
printf '{"organisationUnits": [{"id": "a", "code": "A", "level": 1, "openingDate": "2020-05-01", "closedDate": "2019-01-01"}]}' > "$tmp/rev.json"
"$bin" import dhis2 --org-units "$tmp/rev.json" --data-values "$tmp/s.csv" --out "$tmp/c" 2>"$tmp/err" && fail "reversed dates were accepted"
has "rev.json: error: organisationUnits[0] (a, A): closedDate 2019-01-01 is before openingDate 2020-05-01" "$tmp/err" "reversed dates"
printf '{"organisationUnits": [{"id": "a", "code": "A", "level": 1, "parent": {"id": "a"}}]}' > "$tmp/self.json"
"$bin" import dhis2 --org-units "$tmp/self.json" --data-values "$tmp/s.csv" --out "$tmp/c" 2>"$tmp/err" && fail "a self-parent was accepted"
has "the unit is its own parent" "$tmp/err" "self-parent"

printf '{"organisationUnits": [{"id": "a", "code": "A", "level": 1}, {"id": "b", "code": "B", "level": 1}, {"id": "c", "code": "C", "level": 1}]}' > "$tmp/roots.json"
"$bin" import dhis2 --org-units "$tmp/roots.json" --data-values "$tmp/s.csv" --out "$tmp/c" 2>"$tmp/err" && fail "three national roots were accepted"
has "roots.json: error: 3 org units have no parent, a (A) among them at level 1: a data folder has one national root" "$tmp/err" "roots"
printf 'level,1,region\n' > "$tmp/lv.csv"
printf 'dataelement,period,orgunit,value\nm,2020,B,4\n' > "$tmp/b.csv"
"$bin" import dhis2 --org-units "$tmp/roots.json" --data-values "$tmp/b.csv" --map "$tmp/lv.csv" --out "$tmp/c" 2>"$tmp/err" \
  || { fail "three roots renamed by the map"; cat "$tmp/err"; }

# 6. Two long codes that share their first 600 bytes stay two metrics
long=$(printf 'D%.0s' $(seq 1 700))
printf 'dataelement,period,orgunit,value\n%s1,2020,A,1\n%s2,2020,A,2\n' "$long" "$long" > "$tmp/long.csv"
printf '{"organisationUnits": [{"id": "a", "code": "A", "name": "A", "level": 1}]}' > "$tmp/one.json"
"$bin" import dhis2 --org-units "$tmp/one.json" --data-values "$tmp/long.csv" --out "$tmp/l" 2>"$tmp/err" \
  || { fail "long codes: exit $?"; cat "$tmp/err"; }
[ "$(wc -l < "$tmp/l/observations.csv")" -eq 3 ] || fail "long codes: a value vanished"

# codes made names never share a metric; a map's metric of a code's name is that metric
printf 'dataelement,period,orgunit,catoptcombo,value\na,2020,A,,1\nb,2020,A,x,2\nA-1,2020,A,,3\nA_1,2020,A,,4\n' > "$tmp/n.csv"
printf 'dataelement,catoptcombo,metric\nb,*,a\n' > "$tmp/nm.csv"
"$bin" import dhis2 --org-units "$tmp/one.json" --data-values "$tmp/n.csv" --map "$tmp/nm.csv" --out "$tmp/n" 2>/dev/null \
  || fail "names: exit $?"
printf 'unit,period,metric,value\nA,2020,a,3\nA,2020,A_1,3\nA,2020,A_1_2,4\n' > "$tmp/want"
diff -u "$tmp/want" "$tmp/n/observations.csv" || fail "names: observations"
grep -q '^A_1_2,,,,,,A_1$' "$tmp/n/metrics.csv" || fail "names: A_1 after A-1 is A_1_2"

# a round trip through a real file: DHIS2's dataValueSetJ.json (by ids) back as codes
"$bin" export dhis2 roundtrip_j.yaml --data "$tmp/j" --level commune --periods month > "$tmp/jback.json" 2>"$tmp/err" \
  || { fail "real round trip: exit"; cat "$tmp/err"; }
/usr/bin/python3 - dataValueSetJ.json organisation_units.json "$tmp/jback.json" <<'PY' || fail "real round trip: see above"
import json, sys
src = json.load(open(sys.argv[1]))["dataValues"]
code = {u["id"]: u["code"] for u in json.load(open(sys.argv[2]))["organisationUnits"]}
back = json.load(open(sys.argv[3]))["dataValues"]
want = {(v["dataElement"], v["period"], code[v["orgUnit"]]): float(v["value"]) for v in src}
got = {(v["dataElement"], v["period"], v["orgUnit"]): float(v["value"]) for v in back}
assert want == got, (want, got)
PY

# daily and ISO weekly values: refused, or with --into-months summed into months
# (2025W27's Thursday is 2025-07-03, 2025W26's 2025-06-26; a boolean is not summed;
# a monthly value beside daily ones for one month would count twice)
printf 'dataelement,period,orgunit,value\ncases,20250701,A,2\ncases,20250731,A,3\ncases,2025W27,A,4\ncases,2025W26,A,5\nclean,20250702,A,true\nvisits,202507,A,1\nvisits,20250703,A,1\n' > "$tmp/d.csv"
"$bin" import dhis2 --org-units "$tmp/one.json" --data-values "$tmp/d.csv" --out "$tmp/d" 2>"$tmp/err" && fail "daily values accepted"
has "d.csv:2: error: (cases, 20250701, A): the period type daily is not one chitieu has (year, half-year, quarter, month); --into-months sums" "$tmp/err" "daily"
has "6 not placed (6 period types chitieu lacks)" "$tmp/err" "daily count"
"$bin" import dhis2 --org-units "$tmp/one.json" --data-values "$tmp/d.csv" --into-months --skip-unplaced --out "$tmp/d" 2>"$tmp/err" \
  || { fail "--into-months: exit"; cat "$tmp/err"; }
has "d.csv:6: warning: (clean, 20250702, A): a boolean of the daily period 20250702 cannot be summed into its month" "$tmp/err" "into-months boolean"
has "d.csv:8: warning: (visits, 20250703, A): a monthly value and daily or weekly values of visits for one month" "$tmp/err" "into-months mixed"
has "4 daily or weekly values summed into months; 2 not placed and skipped" "$tmp/err" "into-months count"
printf 'unit,period,metric,value\nA,2025-07,cases,9\nA,2025-06,cases,5\nA,2025-07,visits,1\n' > "$tmp/want"
diff -u "$tmp/want" "$tmp/d/observations.csv" || fail "--into-months: observations"
printf 'metric,level,type,over_time,merge,title,dhis2_code\ncases,,,sum,,,\nvisits,,,,,,\n' > "$tmp/want"
diff -u "$tmp/want" "$tmp/d/metrics.csv" || fail "--into-months: metrics.csv (over_time sum where summed)"

# A root without code is the implicit root VN (its values placed there); the map's
# orgunit,ID,CODE rows code a unit without code, recode another (its DHIS2 code still
# finds it in the data values) or make the root a unit of its own; a row naming no
# unit is said.
cat > "$tmp/rc.json" <<'J'
{"organisationUnits": [
 {"id": "ROOT1", "name": "Country", "level": 1},
 {"id": "p1", "code": "P1", "name": "P1", "level": 2, "parent": {"id": "ROOT1"}},
 {"id": "d1", "name": "No code", "level": 3, "parent": {"id": "p1"}},
 {"id": "d2", "code": "OLD-2", "name": "Coded", "level": 3, "parent": {"id": "p1"}}
]}
J
printf 'dataelement,period,orgunit,value\nn,2020,ROOT1,9\nm,2020,d1,1\nm,2020,OLD-2,2\nm,2021,d2,3\n' > "$tmp/rc.csv"
"$bin" import dhis2 --org-units "$tmp/rc.json" --data-values "$tmp/rc.csv" --out "$tmp/rc0" 2>"$tmp/err" \
  || { fail "root without code: exit"; cat "$tmp/err"; }
printf 'unit,period,metric,value\nVN,2020,n,9\nd1,2020,m,1\nOLD-2,2020,m,2\nOLD-2,2021,m,3\n' > "$tmp/want"
diff -u "$tmp/want" "$tmp/rc0/observations.csv" || fail "root without code: observations"
has "4 placed as observations, 1 of the level-1 root without code (on the implicit root VN)" "$tmp/err" "root values"
printf 'orgunit,d1,101\norgunit,d2,102\norgunit,zz,999\n' > "$tmp/rcm.csv"
"$bin" import dhis2 --org-units "$tmp/rc.json" --data-values "$tmp/rc.csv" --map "$tmp/rcm.csv" --out "$tmp/rc1" 2>"$tmp/err" \
  || { fail "map orgunit rows: exit"; cat "$tmp/err"; }
printf 'code,name,level,parent,valid_from,valid_to\nP1,P1,province,,,\n101,No code,district,P1,,\n102,Coded,district,P1,,\n' > "$tmp/want"
diff -u "$tmp/want" "$tmp/rc1/units.csv" || fail "map orgunit rows: units"
printf 'unit,period,metric,value\nVN,2020,n,9\n101,2020,m,1\n102,2020,m,2\n102,2021,m,3\n' > "$tmp/want"
diff -u "$tmp/want" "$tmp/rc1/observations.csv" || fail "map orgunit rows: observations"
has "warning: the map gives the code 999 to an org unit that is in no --org-units file" "$tmp/err" "unused orgunit row"
printf 'orgunit,ROOT1,SL\n' > "$tmp/rcr.csv"
"$bin" import dhis2 --org-units "$tmp/rc.json" --data-values "$tmp/rc.csv" --map "$tmp/rcr.csv" --out "$tmp/rc2" 2>"$tmp/err" \
  || { fail "map coding the root: exit"; cat "$tmp/err"; }
grep -q '^SL,Country,national,,,$' "$tmp/rc2/units.csv" && grep -q '^P1,P1,province,SL,,$' "$tmp/rc2/units.csv" \
  || { fail "map coding the root: units"; cat "$tmp/rc2/units.csv"; }
grep -q '^SL,2020,n,9$' "$tmp/rc2/observations.csv" || fail "map coding the root: its value"
printf 'orgunit,d1,VN\n' > "$tmp/rcv.csv"
"$bin" import dhis2 --org-units "$tmp/rc.json" --data-values "$tmp/rc.csv" --map "$tmp/rcv.csv" --out "$tmp/rc3" 2>"$tmp/err" \
  && fail "the code VN given to a unit"
has "rcv.csv:1: error: an org unit row is orgunit,ID,CODE with an id and a code other than VN" "$tmp/err" "VN in the map"
# the export leaves out the implicit root (no DHIS2 org unit has its code: 2.43 would refuse
# the whole payload, E8107 in DefaultDataEntryService.decodeGroup) and writes an explicit root
cat > "$tmp/rc.yaml" <<'Y'
plan:
  id: rc
  title: rc
  baseline: 2020
  horizon: 2021
metrics:
  m: {level: district, type: count, over_time: sum}
indicators:
  - {id: m_total, title: m, kind: sum, metric: m}
Y
"$bin" export dhis2 "$tmp/rc.yaml" --data "$tmp/rc1" --periods year > "$tmp/rc1.json" 2>"$tmp/err" \
  || { fail "export of an implicit root: exit"; cat "$tmp/err"; }
grep -q '"orgUnit":"VN"' "$tmp/rc1.json" && fail "the implicit root VN was exported"
grep -q '"period":"2020","orgUnit":"P1","value":"3"' "$tmp/rc1.json" || { fail "export: P1's 2020 (1 + 2)"; cat "$tmp/rc1.json"; }
has "values of the implicit national root VN left out" "$tmp/err" "implicit root warning"
"$bin" export dhis2 "$tmp/rc.yaml" --data "$tmp/rc2" --periods year > "$tmp/rc2.json" 2>"$tmp/err" \
  || { fail "export of an explicit root: exit"; cat "$tmp/err"; }
grep -q '"period":"2020","orgUnit":"SL","value":"3"' "$tmp/rc2.json" || { fail "export: the explicit root SL"; cat "$tmp/rc2.json"; }

# 7. Export that DHIS2 2.40-2.43 take whole: a test per rule of their data value
#    import, each naming the class of dhis2-core that applies it and its code
#    (2.43: DefaultDataEntryService, dhis-service-core; 2.40-2.42:
#    DataValueSetImportValidator, dhis-service-dxf2; ErrorCode.java). Every payload
#    written is also checked by dhis2_rules.py, written from those rules.
cd "$here" || exit 1
rules() { /usr/bin/python3 "$here/dhis2_rules.py" "$@" || fail "DHIS2's rules: $*"; }
"$bin" import dhis2 --org-units roundtrip_orgunits.json --data-values roundtrip_values.json --out "$tmp/rt" 2>/dev/null \
  || fail "export: the round-trip folder"
# the checker itself finds each breach: a value in an exponent, an org unit of no folder,
# a key twice, a period starting before the opening, a "+", two period types
printf '{"dataValues":[{"dataElement":"a","period":"2016","orgUnit":"381","value":"1e-05"},\n{"dataElement":"a","period":"2016","orgUnit":"VNX","value":"1"},\n{"dataElement":"a","period":"2016Q1","orgUnit":"381","value":"1"},\n{"dataElement":"a","period":"2016Q1","orgUnit":"381","value":"2"},\n{"dataElement":"a","period":"1977","orgUnit":"381","value":"+1"}]}' > "$tmp/bad.json"
/usr/bin/python3 "$here/dhis2_rules.py" "$tmp/rt/units.csv" "$tmp/bad.json" > "$tmp/out" && fail "dhis2_rules.py passed a bad payload"
has "6 breaches of DHIS2's import rules in 5 values" "$tmp/out" "dhis2_rules.py"

# E8021 (validateKeyConsistency: every period of the data set's one period type):
# one period type per payload; to stdout several types are an error
"$bin" export dhis2 roundtrip_plan.yaml --data "$tmp/rt" > "$tmp/e.json" 2>"$tmp/err" && fail "E8021: mixed period types accepted"
has "a DHIS2 data set has one: 2.43 refuses a payload holding periods of another type (E8021): give --periods TYPE" "$tmp/err" "E8021"
"$bin" export dhis2 roundtrip_plan.yaml --data "$tmp/rt" --periods quarter > "$tmp/q.json" 2>/dev/null || fail "E8021: --periods"
grep -q '"period":"2016Q1"' "$tmp/q.json" || fail "E8021: --periods quarter lacks 2016Q1"
grep -q '"period":"2016"' "$tmp/q.json" && fail "E8021: --periods quarter holds a year"
rules "$tmp/rt/units.csv" "$tmp/q.json"
# ... and one data set named for values of several types would hold periods of another type
"$bin" export dhis2 roundtrip_plan.yaml --data "$tmp/rt" --data-set RT_YEARLY -o "$tmp/dsx.json" 2>"$tmp/err" \
  && fail "E8021: one --data-set over several period types"
has "give --periods TYPE with --data-set RT_YEARLY (DHIS2 2.43 refuses periods of another type, E8021)" "$tmp/err" "E8021 data set"
ls "$tmp"/dsx* >/dev/null 2>&1 && fail "E8021: a payload was written"
# E8002/E8003 (autoTargetDataSet: without dataSet in the payload the data elements must
# belong to exactly one data set): --data-set writes the payload's dataSet
"$bin" export dhis2 roundtrip_plan.yaml --data "$tmp/rt" --periods year --data-set RT_YEARLY > "$tmp/ds.json" || fail "--data-set"
grep -q '^{"idScheme":"CODE","dataElementIdScheme":"CODE","orgUnitIdScheme":"CODE","dataSetIdScheme":"CODE","dataSet":"RT_YEARLY","dataValues":\[' \
  "$tmp/ds.json" || { fail "E8002/E8003: no dataSet in the payload"; head -c 300 "$tmp/ds.json"; }
rules "$tmp/rt/units.csv" "$tmp/ds.json"
# E8128 (validateValues: two values of one key refuse the payload): two plans sharing
# indicator ids are qualified by the plan, no key twice
sed 's/id: dhis2-roundtrip/id: rt2/' roundtrip_plan.yaml > "$tmp/rt2.yaml"
"$bin" export dhis2 roundtrip_plan.yaml "$tmp/rt2.yaml" --data "$tmp/rt" --targets --periods year > "$tmp/two.json" 2>"$tmp/err" \
  || { fail "E8128: two plans"; cat "$tmp/err"; }
rules "$tmp/rt/units.csv" "$tmp/two.json"
/usr/bin/python3 - "$tmp/two.json" <<'PY' || fail "E8128: see above"
import json, sys
dv = json.load(open(sys.argv[1]))["dataValues"]
keys = [(v["dataElement"], v["period"], v["orgUnit"]) for v in dv]
assert len(keys) == len(set(keys)), "a key twice"
des = {k[0] for k in keys}
assert "dhis2-roundtrip.staff_trained" in des and "rt2.staff_trained" in des, des
assert "rt2.staff_trained_target" in des and "staff_trained" not in des, des
# both plans compute the same values from the same data: the two halves agree
a = {(k[0].split(".", 1)[1], k[1], k[2]): v["value"] for k, v in zip(keys, dv) if k[0].startswith("rt2.")}
b = {(k[0].split(".", 1)[1], k[1], k[2]): v["value"] for k, v in zip(keys, dv) if k[0].startswith("dhis2-roundtrip.")}
assert a == b and len(a) * 2 == len(dv), (len(a), len(b), len(dv))
PY
# E8031 (validateKeyConsistency: a period must start within the org unit's
# openingDate..closedDate; 2.40-2.42 check no dates): 14797 open 2016-05..2017-02 gets
# no value for 2016 and 2016Q2 (starting before its opening) nor for 2017 and 2017Q1,
# which it did not live through whole; 2016Q3 and 2016Q4 are written
cp -r "$tmp/rt" "$tmp/rtc"
sed -i 's/^14797,Phường Bắc Sơn,commune,381,1978-01,$/14797,Phường Bắc Sơn,commune,381,2016-05,2017-02/' "$tmp/rtc/units.csv"
sed -i '/^14797,2016Q1,/d' "$tmp/rtc/observations.csv"
printf '14797,2016Q3,cases_handled,4\n14797,2016Q4,cases_handled,5\n' >> "$tmp/rtc/observations.csv"
"$bin" export dhis2 roundtrip_plan.yaml --data "$tmp/rtc" -o "$tmp/c.json" 2>"$tmp/err" || { fail "E8031: exit"; cat "$tmp/err"; }
grep -q '"period":"2016Q3","orgUnit":"14797","value":"4"' "$tmp/c.quarter.json" || fail "E8031: 2016Q3 of 14797 lost"
grep -q '"period":"2016Q4","orgUnit":"14797","value":"5"' "$tmp/c.quarter.json" || fail "E8031: 2016Q4 of 14797 lost"
for pe in 2016Q2 2017Q1; do grep -q "\"period\":\"$pe\",\"orgUnit\":\"14797\"" "$tmp/c.quarter.json" && fail "E8031: $pe of 14797 written"; done
for pe in 2016 2017; do grep -q "\"period\":\"$pe\",\"orgUnit\":\"14797\"" "$tmp/c.year.json" && fail "E8031: $pe of 14797 written"; done
has "values of units not open for the whole of their period left out (DHIS2 2.43 refuses a period that starts outside a unit's opening and closing dates: E8031)" "$tmp/err" "E8031"
rules "$tmp/rtc/units.csv" "$tmp"/c.*.json
# ... and a code reused by a later unit is that unit's in DHIS2 (the code column is
# unique): the earlier unit's values would land on the later one, so they are left out
cp -r "$tmp/rt" "$tmp/rtr"
sed -i 's/^14797,Phường Bắc Sơn,commune,381,1978-01,$/14797,Phường Bắc Sơn,commune,381,1978-01,2016-12\n14797,Phường Bắc Sơn mới,commune,381,2017-01,/' "$tmp/rtr/units.csv"
"$bin" export dhis2 roundtrip_plan.yaml --data "$tmp/rtr" --periods quarter > "$tmp/r.json" 2>"$tmp/err" || { fail "reused code: exit"; cat "$tmp/err"; }
grep -q '"period":"2017Q1","orgUnit":"14797","value":"2"' "$tmp/r.json" || fail "reused code: the later unit's 2017Q1 lost"
grep -q '"period":"2016Q2","orgUnit":"14797"' "$tmp/r.json" && fail "reused code: the earlier unit's 2016Q2 written"
has "2 values of units whose code a later unit took (14797 first) left out" "$tmp/err" "reused code"
rules "$tmp/rtr/units.csv" "$tmp/r.json"
# E8103/E8107 (decodeGroup: a code that names no data element or org unit refuses the
# payload; 2.40-2.42 E7610/E7612 per value): a code has at most 50 characters (the code
# column of identifiableProperties.hbm), so a longer one is an error naming it
long_id=indicator_with_a_rather_long_identifier_x4567
sed "s/id: staff_trained,/id: $long_id,/" roundtrip_plan.yaml > "$tmp/long.yaml"
"$bin" export dhis2 "$tmp/long.yaml" --data "$tmp/rt" --targets --periods year -o "$tmp/l.json" 2>"$tmp/err" \
  && fail "a 52-character code was written"
has "the data element code '${long_id}_target' has 52 characters: DHIS2 keeps at most 50, so no data element has it" "$tmp/err" "code length"
[ -e "$tmp/l.json" ] && fail "code length: a file was written"
# E8122 (validateValues, ValidationUtils.valueIsValid; 2.40-2.42 E7619): a NUMBER's text
# is MathUtils.isNumeric's, no exponent, no '+': shares of a third and of a millionth
cat > "$tmp/fr.yaml" <<'Y'
plan:
  id: fr
  title: fr
  baseline: 2016
  horizon: 2018
metrics:
  staff_trained: {level: district, type: count, over_time: sum}
indicators:
  - {id: third, title: t, kind: ratio, numerator: staff_trained, denominator: staff_trained, scale: 0.333333333}
  - {id: tiny, title: t, kind: ratio, numerator: staff_trained, denominator: staff_trained, scale: 0.0000001}
Y
"$bin" export dhis2 "$tmp/fr.yaml" --data "$tmp/rt" --periods year > "$tmp/fr.json" 2>"$tmp/err" || { fail "E8122: exit"; cat "$tmp/err"; }
grep -q '"dataElement":"third","period":"2016","orgUnit":"381","value":"0.333333"' "$tmp/fr.json" || { fail "E8122: a third"; head -c 400 "$tmp/fr.json"; }
rules "$tmp/rt/units.csv" "$tmp/fr.json"

# 8. More of dhis2-core's own files (real/core/, see the README): every value
#    of each read and placed or reported (account.py counts them in the file),
#    the folder written passes `chitieu check` with a plan of every metric
#    (plan_for.py), and what is placed is what the files say.
cd "$here/real/core" || exit 1
acc() { /usr/bin/python3 "$here/account.py" "$@" || fail "account: $*"; }
checked() {
  /usr/bin/python3 "$here/plan_for.py" "$1" > "$1.yaml" 2>"$tmp/perr" || { fail "plan for $1: $(cat "$tmp/perr")"; return; }
  "$bin" check "$1.yaml" --data "$1" > "$tmp/cout" 2>&1 || { fail "check refuses $1"; cat "$tmp/cout"; }
}
printf 'level,1,facility\n' > "$tmp/lv.csv"
n=0
for f in dataValueSetB.csv dataValueSetBNoHeader.csv dataValueSetWithDataSetHeader.csv dataValueSetBooleanDuplicatesTest.csv \
         dataValueSetACatCombo.xml dataValueSetD.xml dataValueSetNonStrict.xml dataValueSetANull.xml dataValueSetG.xml \
         dataValueSetBDeleted.xml dataValueSetJDeleteZeroValue.json dataValueSetCreateDate.json; do
  n=$((n + 1))
  "$bin" import dhis2 --org-units dxf2_fixture.json --map "$tmp/lv.csv" --data-values "$f" --skip-unplaced \
    --out "$tmp/core$n" 2>"$tmp/err$n" || { fail "$f: exit"; cat "$tmp/err$n"; continue; }
  acc "$f" "$tmp/err$n"
  [ "$(wc -l < "$tmp/core$n/observations.csv")" -gt 1 ] && checked "$tmp/core$n"
done
# a header of eleven columns over rows of ten, the last line without its end
grep -q "3 data values read, 3 placed" "$tmp/err3" || { fail "WithDataSetHeader.csv"; cat "$tmp/err3"; }
grep -q '^OU_B,2012-01,f7n9E0hX8qk,10002$' "$tmp/core3/observations.csv" || fail "WithDataSetHeader.csv: OU_B's value"
# DHIS2's booleans, each key's repeats kept once, a repeat with another truth a conflict
grep -q "18 data values read, 4 placed as observations, 8 repeated (kept once); 6 not placed and skipped (3 not numbers or malformed, 3 conflicting duplicates)" \
  "$tmp/err4" || { fail "BooleanDuplicates.csv"; cat "$tmp/err4"; }
# the set's own attributeOptionCombo (kjuiHgy67hg, not the default) is every value's
grep -q "dataValueSetD.xml: warning: dataValues\[0\] (f7n9E0hX8qk, 201201, DiszpKrYNg8): attribute option combo 'kjuiHgy67hg' is not the default" \
  "$tmp/err6" || { fail "D.xml: the set's attribute combo"; cat "$tmp/err6"; }
printf 'dataelement,catoptcombo,attroptcombo,metric\n*,,kjuiHgy67hg,*\nlevel,1,facility\n' > "$tmp/aoc.csv"
"$bin" import dhis2 --org-units dxf2_fixture.json --map "$tmp/aoc.csv" --data-values dataValueSetD.xml --out "$tmp/d" 2>"$tmp/err" \
  || { fail "D.xml mapped: exit"; cat "$tmp/err"; }
printf 'unit,period,metric,value\nOU_A,2012-01,f7n9E0hX8qk,10001\nOU_A,2012-01,Ix2HsbDMLea,10002\nOU_A,2012-01,eY5ehpbEsB7,10003\n' > "$tmp/want"
diff -u "$tmp/want" "$tmp/d/observations.csv" || fail "D.xml mapped: observations"
# a month, a quarter and a year in one file; only the default combos' value without a map
printf 'unit,period,metric,value\nOU_B,2012,eY5ehpbEsB7,10003\n' > "$tmp/want"
diff -u "$tmp/want" "$tmp/core7/observations.csv" || fail "NonStrict.xml: observations"
# values written empty are no data; a zero is a value
grep -q "3 data values read, 1 placed as observations, 2 empty" "$tmp/err8" || { fail "ANull.xml"; cat "$tmp/err8"; }
grep -q '^OU_A,2012-01,f7n9E0hX8qk,0$' "$tmp/core11/observations.csv" || fail "JDeleteZeroValue.json: the zero"
# four of twelve deleted
grep -q "12 data values read, 8 placed as observations, 4 marked deleted" "$tmp/err10" || { fail "BDeleted.xml"; cat "$tmp/err10"; }

# Sierra Leone's demo (dhis-test-e2e's setup metadata: parents by {id, code}, paths,
# opening dates) and its bulk data values, 198 of 231 disaggregated: refused without a
# map, each listed; with the map *,*,* every disaggregation summed into its data
# element, the sums checked here from the file; then back through export
"$bin" import dhis2 --org-units setup_metadata.json --data-values dataValues_bulk.json --out "$tmp/sl" 2>"$tmp/err" \
  && fail "bulk: disaggregations taken for the default"
acc dataValues_bulk.json "$tmp/err"
has "231 data values read, 33 placed as observations; 198 not placed (198 unmapped category option combos)" "$tmp/err" "bulk"
printf 'dataelement,catoptcombo,metric\n*,*,*\n' > "$tmp/all.csv"
"$bin" import dhis2 --org-units setup_metadata.json --data-values dataValues_bulk.json dataValues_single_dataset.json \
  --map "$tmp/all.csv" --out "$tmp/sl" 2>"$tmp/err" || { fail "bulk mapped: exit"; cat "$tmp/err"; }
acc dataValues_bulk.json dataValues_single_dataset.json "$tmp/err"
grep -q '^OU_559,Ngelehun CHC,commune,OU_539,1970-01,$' "$tmp/sl/units.csv" || fail "Sierra Leone's units"
checked "$tmp/sl"
"$bin" export dhis2 "$tmp/sl.yaml" --data "$tmp/sl" --level province -o "$tmp/slx.json" 2>"$tmp/err" \
  || { fail "bulk: export"; cat "$tmp/err"; }
rules "$tmp/sl/units.csv" "$tmp"/slx.*.json
/usr/bin/python3 - dataValues_bulk.json dataValues_single_dataset.json setup_metadata.json "$tmp/sl/observations.csv" \
  "$tmp"/slx.*.json <<'PY' || fail "bulk: the sums (see above)"
import csv, json, sys
code = {u["id"]: u["code"] for u in json.load(open(sys.argv[3]))["organisationUnits"]}
want = {}
for path in sys.argv[1:3]:
    for v in json.load(open(path))["dataValues"]:
        p = v["period"]
        p = p if len(p) != 6 else p[:4] + "-" + p[4:]
        k = (code[v["orgUnit"]], p, v["dataElement"])
        x = {"true": 1.0, "false": 0.0}.get(v["value"].lower()) if v["value"].lower() in ("true", "false") else float(v["value"])
        want[k] = want.get(k, 0) + x
got = {(r["unit"], r["period"], r["metric"]): float(r["value"]) for r in csv.DictReader(open(sys.argv[4]))}
assert got == want, sorted(set(got.items()) ^ set(want.items()))[:5]
back = {}
for path in sys.argv[5:]:
    for v in json.load(open(path))["dataValues"]:
        p = v["period"]
        p = p if len(p) != 6 else p[:4] + "-" + p[4:]
        back[(v["orgUnit"], p, v["dataElement"][2:])] = float(v["value"])
# every value back as it came (the payloads also hold the coarser periods' roll-ups)
lost = {k: (v, back.get(k)) for k, v in want.items() if back.get(k) != v}
assert not lost and len(want) == 74, (len(want), list(lost.items())[:5])
PY

# with the aggregate tests' metadata export beside (its dataElements' codes), the same
# values under the codes of their data elements: TA_GEN_ALL-CAUSE_IPD_CASES made the
# name TA_GEN_ALL_CAUSE_IPD_CASES, the code kept in metrics.csv
"$bin" import dhis2 --org-units setup_metadata.json --org-units aggregate_metadata.json --data-values dataValues_bulk.json \
  dataValues_single_dataset.json --map "$tmp/all.csv" --out "$tmp/slc" 2>"$tmp/err" || { fail "bulk by codes: exit"; cat "$tmp/err"; }
acc dataValues_bulk.json dataValues_single_dataset.json "$tmp/err"
grep -q '^TA_GEN_ALL_CAUSE_IPD_CASES,,,,,,TA_GEN_ALL-CAUSE_IPD_CASES$' "$tmp/slc/metrics.csv" || fail "bulk by codes: metrics.csv"
checked "$tmp/slc"
/usr/bin/python3 - aggregate_metadata.json "$tmp/sl/observations.csv" "$tmp/slc/observations.csv" <<'PY' || fail "bulk by codes (see above)"
import csv, json, re, sys
code = {d["id"]: d["code"] for d in json.load(open(sys.argv[1]))["dataElements"]}
name = lambda c: re.sub(r"[^A-Za-z0-9_]+", "_", c)
by_id = {(r["unit"], r["period"], name(code[r["metric"]])): r["value"] for r in csv.DictReader(open(sys.argv[2]))}
by_code = {(r["unit"], r["period"], r["metric"]): r["value"] for r in csv.DictReader(open(sys.argv[3]))}
assert by_id == by_code and len(by_code) == 74, sorted(set(by_id.items()) ^ set(by_code.items()))[:5]
PY

# dhis-test-integration's analytics CSV: a space before each quoted field, ISO months
# (2017-01), text and date values (not numbers: listed)
"$bin" import dhis2 --org-units analytics_fixture.json --data-values analytics_dataValues.csv --skip-unplaced --out "$tmp/an" \
  2>"$tmp/err" || { fail "analytics CSV: exit"; cat "$tmp/err"; }
acc analytics_dataValues.csv "$tmp/err"
has "32 data values read, 30 placed as observations; 2 not placed and skipped (2 not numbers or malformed)" "$tmp/err" "analytics CSV"
has "analytics_dataValues.csv:32: warning: (deabcdefghG, 2017-01, ouabcdefghA): the value 'abc' is not a number" "$tmp/err" "analytics CSV"
grep -q '^OU_AN_D,2017-02,deabcdefghB,399$' "$tmp/an/observations.csv" || fail "analytics CSV: a value"
grep -q '^OU_AN_A,2017-03,deabcdefghF,1$' "$tmp/an/observations.csv" || fail "analytics CSV: a boolean"
checked "$tmp/an"
cd "$here" || exit 1

# the bundled plans on the bundled data (each plan on its own map, the 2025 reform's
# reused codes and carried values): every payload meets DHIS2's rules
for plan in "$here"/../../indicators/*.yaml; do
  name=$(basename "$plan" .yaml)
  "$bin" export dhis2 "$plan" --data "$here/../../data" --targets -o "$tmp/b-$name.json" 2>"$tmp/err" \
    || { fail "bundled $name: exit"; cat "$tmp/err"; }
  rules "$here/../../data/units.csv" "$tmp/b-$name".*.json
  grep -q '"dataElement"' "$tmp/b-$name.year.json" || fail "bundled $name: no yearly value"
done

echo "$fails failed"
[ $fails -eq 0 ]
