#!/bin/bash
# The second hostile round, one section per class: numbers and texts too
# large for a fixed buffer; a chart theme that would run programs; outputs
# that bypass the safe writer (workbooks, imported folders, charts, signals);
# successions that would invent or lose cases; costs that grow with the
# wrong thing; silent bounds. Each case must end with the right number or a
# clear error, clobber nothing and leave nothing running or behind.
# usage: run_hostile2.sh CHITIEU SOURCE_DIR
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
tmp=$(mktemp -d)
export TMPDIR="$tmp/tmpdir"   # the private temporary folders go here: checked empty at the end
mkdir -p "$TMPDIR"
trap 'rm -rf "$tmp"' EXIT
fail=0
say() { echo "FAIL: $*"; fail=1; }
run() { timeout 60 "$@"; }
expect() { # WHAT WANT_RC GOT_RC [TEXT-IN-STDERR]
  [ "$3" = "$2" ] || { say "$1: exit $3, expected $2"; sed 's/^/    /' "$tmp/err" | head -5; return; }
  [ $# -lt 4 ] || grep -qF -- "$4" "$tmp/err" || { say "$1: stderr lacks '$4'"; sed 's/^/    /' "$tmp/err" | head -5; }
}
no_temps() { # WHAT DIR
  local left
  left=$(find "$2" "$TMPDIR" -name '.*.tmp' 2>/dev/null)
  [ -z "$left" ] || say "$1: temporary files left: $left"
}
cd "$tmp" || exit 2
theme="$src/plots/theme.gp"

# ---- 1. fixed buffers: huge numbers, long ids, long names ------------------------------
mkdir -p n/data
long_id=$(printf 'p%.0s' $(seq 1 1500))
long_name=$(python3 -c "print('Xã Ễ' * 400)")
cat >n/plan.yaml <<YAML
plan:
  id: $long_id
  title: "big"
  region: "01"
  baseline: 2015
  horizon: 2017
metrics:
  staff: {level: commune, type: count, over_time: last}
indicators:
  - id: staff_sum
    kind: sum
    metric: staff
    targets:
      - {year: 2017, value: 10}
YAML
printf 'code,name,level,parent,valid_from,valid_to\n01,A,province,,,\n01101,%s,commune,01,,2016\n01101,B,commune,01,2017,\n' "$long_name" >n/data/units.csv
printf 'unit,period,metric,value\n01101,2015,staff,1e47\n01101,2016,staff,1e308\n' >n/data/observations.csv
(cd n && run "$bin" compute plan.yaml --data data >"$tmp/out".csv 2>"$tmp/err")
expect "compute with 1e308 and long texts" 0 $?
python3 - "$long_id" "$long_name" <<'PY' || say "CSV with long texts or huge numbers: wrong columns"
import csv, sys
rows = list(csv.reader(open('out.csv', encoding='utf-8')))
head = rows[0]
want = {'01': 'province', '01101': 'commune'}
ok = True
for r in rows[1:]:
    d = dict(zip(head, r))
    ok &= len(r) == len(head) and d['plan'] == sys.argv[1] and d['indicator'] == 'staff_sum'
    ok &= d['level'] == want.get(d['unit'])
    if d['unit'] == '01101' and d['name'] != 'B':   # B: the unit that reuses the code from 2017
        ok &= d['name'] == sys.argv[2] and d['valid_to'] == '2016'
    if d['name'] == 'B':
        continue
    if d['period'] == '2015':
        ok &= d['value'] == str(int(1e47))
    if d['period'] == '2016':
        ok &= d['value'] == str(int(1e308))
sys.exit(0 if ok and len(rows) > 2 else 1)
PY
for v in 1e47 1e100 1e200 1e308; do
  printf 'unit,period,metric,value\n01101,2015,staff,%s\n' "$v" >n/data/observations.csv
  (cd n && run "$bin" export dhis2 plan.yaml --data data >"$tmp/out".json 2>"$tmp/err")
  expect "export dhis2 of $v" 0 $?
  grep -qF "\"value\":\"$(python3 -c "print(int(float('$v')))")\"" out.json || say "export dhis2 of $v: not all its digits"
  (cd n && run "$bin" compute plan.yaml --data data --format xlsx -o ../big.xlsx 2>"$tmp/err")
  expect "--format xlsx of $v" 0 $?
done

# ---- 2. the chart theme is settings, never a program, never from the current folder ----
if command -v gnuplot >/dev/null 2>&1; then
  mkdir -p t/data t/plots
  cat >t/plan.yaml <<'YAML'
plan:
  id: tiny
  title: "tiny"
  region: "01"
  baseline: 2015
  horizon: 2017
metrics:
  staff: {level: commune, type: count, over_time: last}
indicators:
  - id: staff_sum
    kind: sum
    metric: staff
    targets:
      - {year: 2017, value: 10}
YAML
  printf 'code,name,level,parent\n01,A,province,\n01101,B,commune,01\n' >t/data/units.csv
  printf 'unit,period,metric,value\n01101,2015,staff,1\n01101,2016,staff,3\n' >t/data/observations.csv
  printf 'system("touch PWNED")\n' >t/plots/theme.gp
  (cd t && run "$bin" plot plan.yaml --data data --out charts >"$tmp/out" 2>"$tmp/err")
  expect "a plots/theme.gp in the current folder" 0 $?
  [ ! -e t/PWNED ] || say "the current folder's plots/theme.gp was loaded"
  i=0
  while IFS= read -r line; do
    i=$((i + 1))
    printf 'theme_width = 960\n%s\n' "$line" >"t/bad$i.gp"
    (cd t && run "$bin" plot plan.yaml --data data --out "bad$i" --theme "bad$i.gp" >"$tmp/out" 2>"$tmp/err")
    expect "theme line '$line'" 1 $? "bad$i.gp:2: error: chart theme:"
  done <<'LINES'
system("touch PWNED")
x = system("touch PWNED")
x = system ("touch PWNED")
load "other.gp"
call "other.gp"
set output "stolen.png"
set out "stolen.png"
set print "stolen.txt"
set table "stolen.txt"
set terminal png
set fit logfile "stolen.log"
set title "`touch PWNED`"
x = `touch PWNED`
!touch PWNED
shell
print "x"
save "stolen.gp"
eval "system('touch PWNED')"
f(x) = x
set title sprintf("%s", "a")
a = 1; load "other.gp"
set label @macro
plot "<touch PWNED" using 1
set palette file "<touch PWNED"
LINES
  [ ! -e t/PWNED ] || say "a --theme ran a program"
  [ -z "$(find t -name 'stolen*')" ] || say "a --theme wrote a file"

  # ---- 3. charts: a planted link at an image; gnuplot ended with chitieu ---------------
  (cd t && run "$bin" plot plan.yaml --data data --out ok --theme "$theme" >"$tmp/out" 2>"$tmp/err")
  expect "plot" 0 $?
  echo secret >victim
  rm -f t/ok/tiny/staff_sum/01.png
  ln -s "$tmp/victim" t/ok/tiny/staff_sum/01.png
  (cd t && run "$bin" plot plan.yaml --data data --out ok --theme "$theme" >"$tmp/out" 2>"$tmp/err")
  expect "plot over a planted link" 0 $?
  [ "$(cat victim)" = secret ] || say "gnuplot followed a link planted at a chart's image"
  [ ! -L t/ok/tiny/staff_sum/01.png ] || say "the planted link is still there"
  cat >slowgp.sh <<'SH'
#!/bin/sh
sleep 7
exec gnuplot "$@"
SH
  chmod +x slowgp.sh
  (cd t && CHITIEU_GNUPLOT="$tmp/slowgp.sh" exec "$bin" plot plan.yaml --data data --out slow --theme "$theme" >"$tmp/out" 2>"$tmp/err") &
  plotter=$!
  sleep 1.5
  kill -TERM "$plotter"
  wait "$plotter"
  sleep 0.5
  pgrep -f "$tmp/slowgp.sh" >/dev/null && say "gnuplot still running after chitieu was ended"
  [ -z "$(find t/slow -name '.*.tmp')" ] || say "plot ended by SIGTERM: temporary folder left"
fi

# ---- 3. workbooks and imported folders through the safe writer --------------------------
mkdir -p w/data
cp t/plan.yaml w/plan.yaml 2>/dev/null || cp n/plan.yaml w/plan.yaml
printf 'code,name,level,parent\n01,A,province,\n01101,B,commune,01\n' >w/data/units.csv
printf 'unit,period,metric,value\n01101,2015,staff,1\n01101,2016,staff,3\n' >w/data/observations.csv
cp w/data/units.csv units.orig
cd w
for o in data/units.csv ./data/../data/observations.csv; do
  run "$bin" compute plan.yaml --data data --format xlsx -o "$o" >"$tmp/out" 2>"$tmp/err"
  expect "xlsx -o $o (an input)" 1 $? "is one of the inputs"
done
cmp -s data/units.csv ../units.orig || say "xlsx: an input was overwritten"
ln -s data/units.csv alias.xlsx
run "$bin" compute plan.yaml --data data --format xlsx -o alias.xlsx >"$tmp/out" 2>"$tmp/err"
expect "xlsx -o a link to an input" 1 $? "is one of the inputs"
echo old >book.xlsx
chmod 640 book.xlsx
run "$bin" compute plan.yaml --data data --format xlsx -o book.xlsx >"$tmp/out" 2>"$tmp/err"
expect "xlsx over a file" 0 $?
[ "$(stat -c %a book.xlsx)" = 640 ] || say "xlsx: the file's permissions were not kept ($(stat -c %a book.xlsx))"
head -c 2 book.xlsx | grep -q PK || say "xlsx: not a workbook"
echo real >real.xlsx
ln -s real.xlsx link.xlsx
run "$bin" compute plan.yaml --data data --format xlsx -o link.xlsx >"$tmp/out" 2>"$tmp/err"
expect "xlsx -o a link" 0 $?
[ -L link.xlsx ] || say "xlsx: the link was replaced"
head -c 2 real.xlsx | grep -q PK || say "xlsx: the file a link names was not written"
mkfifo book.fifo
timeout 20 cat book.fifo >fifo.got &
run "$bin" compute plan.yaml --data data --format xlsx -o book.fifo >"$tmp/out" 2>"$tmp/err"
expect "xlsx -o a FIFO" 0 $?
wait
[ -p book.fifo ] || say "xlsx: the FIFO was replaced"
head -c 2 fifo.got | grep -q PK || say "xlsx: the FIFO's reader got no workbook"
run "$bin" compute plan.yaml --data data --format xlsx -o /dev/null >"$tmp/out" 2>"$tmp/err"
expect "xlsx -o /dev/null" 0 $?
[ -c /dev/null ] || say "/dev/null is no longer a device"
no_temps "xlsx" .
# imported folders: DIR/ with a trailing slash, a folder that holds an input
T=$src/tests/dhis2
run "$bin" import dhis2 --org-units "$T/orgunits.json" --data-values "$T/values.csv" --map "$T/map.csv" \
  --skip-unplaced --out imported/ >"$tmp/out" 2>"$tmp/err"
expect "import --out DIR/" 0 $?
[ -s imported/units.csv ] || say "import --out DIR/: no units.csv"
run "$bin" import dhis2 --org-units "$T/orgunits.json" --data-values "$T/values.csv" --map "$T/map.csv" \
  --skip-unplaced --out imported >"$tmp/out" 2>"$tmp/err"
expect "import over its own folder" 0 $?
cp imported/units.csv ../imported.units
run "$bin" import dhis2 --org-units "$T/orgunits.json" --data-values imported/observations.csv --map "$T/map.csv" \
  --skip-unplaced --out imported >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || say "import into the folder of an input: exit $rc, expected 1"
[ -s imported/observations.csv ] || say "import into the folder of an input: the input is gone"
no_temps "import" .
# stopped by SIGTERM at some point of a large import, and of a large workbook:
# nothing half-written, no temporary file or folder left
python3 - <<'PY'
import json
ous = [{"id": "R", "code": "01", "name": "P", "level": 1}]
ous += [{"id": f"u{i}", "code": f"C{i}", "name": "c", "level": 2, "parent": {"id": "R"}} for i in range(20000)]
json.dump({"organisationUnits": ous}, open('big_ou.json', 'w'))
with open('big_dv.csv', 'w') as f:
    f.write('dataelement,period,orgunit,catoptcombo,attroptcombo,value\n')
    for i in range(20000):
        for y in range(2010, 2030):
            f.write(f'staff,{y},C{i},,,{y}\n')
open('big_map.csv', 'w').write('dataelement,catoptcombo,metric\nstaff,,staff\n')
PY
for t in 0.5 1.5; do
  "$bin" import dhis2 --org-units big_ou.json --data-values big_dv.csv --map big_map.csv --out killed >/dev/null 2>&1 &
  job=$!
  sleep $t
  kill -TERM $job 2>/dev/null
  wait $job
  [ ! -e killed ] || [ -s killed/units.csv -a -s killed/observations.csv -a -s killed/metrics.csv ] ||
    say "import stopped after $t s: a half-written folder"
  rm -rf killed
  no_temps "import stopped after $t s" .
done
mkdir -p bigdata
python3 - <<'PY'
with open('bigdata/units.csv', 'w') as f:
    f.write('code,name,level,parent\n01,A,province,\n')
    for i in range(20000):
        f.write(f'C{i},c,commune,01\n')
with open('bigdata/observations.csv', 'w') as f:
    f.write('unit,period,metric,value\n')
    for i in range(20000):
        for y in range(2010, 2020):
            f.write(f'C{i},{y},staff,{y}\n')
PY
sed 's/horizon: 2017/horizon: 2019/' plan.yaml >bigplan.yaml
for t in 0.5 1.5; do
  "$bin" compute bigplan.yaml --data bigdata --format xlsx -o killed.xlsx >/dev/null 2>&1 &
  job=$!
  sleep $t
  kill -TERM $job 2>/dev/null
  wait $job
  [ ! -e killed.xlsx ] || head -c 2 killed.xlsx | grep -q PK || say "xlsx stopped after $t s: a half-written file"
  rm -f killed.xlsx
  no_temps "xlsx stopped after $t s" .
done
cd ..

# ---- 4. successions: counts carried, never invented or lost --------------------------------
mkdir -p s/data
cat >s/plan.yaml <<'YAML'
plan:
  id: succ
  title: "successions"
  region: "01"
  baseline: 2024
  horizon: 2025
indicators:
  - id: cases
    kind: sum
    metric: cases
    direction: decrease
    targets:
      - {year: 2025, change: -50%}
YAML
printf 'metric,level,type,over_time,merge,title\ncases,commune,count,sum,sum,cases\n' >s/data/metrics.csv
printf 'code,name,level,parent,valid_from,valid_to\n01,P,province,,,\n011,A,commune,01,,2025S1\n012,B,commune,01,,2025S1\n013,C,commune,01,2025S2,\n014,D,commune,01,2025S2,\n' >s/data/units.csv
printf 'unit,period,metric,value\n011,2024,cases,6\n012,2024,cases,4\n' >s/data/observations.csv
printf 'period,from,to,kind,weight\n2025S2,011,013,whole,\n2025S2,012,013,part,0.4\n2025S2,012,014,part,0.5991\n' >s/data/successions.csv
for g in as-reported 2025S1 2025S2; do
  (cd s && run "$bin" compute plan.yaml --data data --geography $g --periods year --level province >"$tmp/out" 2>"$tmp/err")
  expect "successions, geography $g" 0 $?
  grep -q '^succ,cases,01,province,2024,10,' out || { say "successions, geography $g: the province's 2024 total is not 10"; grep ',2024,' out; }
done
bad_succ() { # WHAT UNITS SUCCESSIONS TEXT
  printf '%b' "$2" >s/data/units.csv
  printf '%b' "$3" >s/data/successions.csv
  for g in as-reported 2025S2; do
    (cd s && run "$bin" compute plan.yaml --data data --geography $g --level province >"$tmp/out" 2>"$tmp/err")
    expect "$1 ($g)" 1 $? "$4"
  done
}
U='code,name,level,parent,valid_from,valid_to\n01,P,province,,,\n011,A,commune,01,,2025S1\n012,B,commune,01,,2025S1\n013,C,commune,01,2025S2,\n014,D,commune,01,2025S2,\n'
bad_succ "a self-link" "${U}015,E,commune,01,,\n" \
  'period,from,to,kind,weight\n2025S2,011,013,whole,\n2025S2,015,015,part,0.7\n2025S2,015,014,part,0.3\n2025S2,012,014,whole,\n' \
  "successions.csv:3: error: unit 015 passes into itself"
bad_succ "a unit that passed on and stays valid" \
  'code,name,level,parent,valid_from,valid_to\n01,P,province,,,\n011,A,commune,01,,\n012,B,commune,01,,2025S1\n013,C,commune,01,2025S2,\n' \
  'period,from,to,kind,weight\n2025S2,011,013,whole,\n2025S2,012,013,whole,\n' \
  "successions.csv:2: error: unit 011 passes into 013 at 2025S2 but stays valid"
bad_succ "a successor that ends before its predecessor" \
  'code,name,level,parent,valid_from,valid_to\n01,P,province,,,\n011,A,commune,01,,2026S1\n012,B,commune,01,,2025S1\n013,C,commune,01,2025S2,2025S2\n' \
  'period,from,to,kind,weight\n2025S2,011,013,whole,\n2025S2,012,013,whole,\n' \
  "error: unit 013 ends (valid_to 2025S2) before its predecessor 011"
bad_succ "a unit that passes on twice" \
  'code,name,level,parent,valid_from,valid_to\n01,P,province,,,\n011,A,commune,01,,\n013,C,commune,01,2025S2,\n014,D,commune,01,2026S1,\n' \
  'period,from,to,kind,weight\n2025S2,011,013,whole,\n2026S1,011,014,whole,\n' \
  "passes into 013 at 2025S2 but stays valid"
bad_succ "weights of 0.4 and 0.59" "$U" \
  'period,from,to,kind,weight\n2025S2,011,013,whole,\n2025S2,012,013,part,0.4\n2025S2,012,014,part,0.59\n' \
  "successions.csv:4: error: the weights of unit 012's parts add up to 0.99, not 1"

# ---- 5. costs that grow with the wrong thing --------------------------------------------------
mkdir -p c/data
python3 - <<'PY'
n = 120000
with open('c/data/units.csv', 'w') as f:
    f.write('code,name,level,parent\n01,A,province,\n')
    for i in range(n):
        f.write(f'D{i},d,district,D{(i + 1) % n}\n')
with open('c/data/observations.csv', 'w') as f:
    f.write('unit,period,metric,value\n')
PY
start=$(date +%s%N)
run "$bin" check t/plan.yaml --data c/data >"$tmp/out" 2>"$tmp/err"
expect "120,000 units in one cycle of parents" 1 $? "is its own ancestor (a cycle of parents)"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ $ms -le 5000 ] || say "120,000 units in one cycle: $ms ms"
mkdir -p m/data
python3 - <<'PY'
n = 100000
with open('m/data/units.csv', 'w') as f:
    f.write('code,name,level,parent\n01,A,province,\n')
    for i in range(n):
        f.write(f'C{i},c,commune,01\n')
with open('m/data/observations.csv', 'w') as f:
    f.write('unit,period,metric,value\n')
    for k in range(20):
        y = 1976 + k * 49 // 19
        for m in range(10):
            f.write(f'C{k},{y}-03,m{m},1\n')
ms = "\n".join(f"  m{m}: {{level: commune, type: count, over_time: last}}" for m in range(10))
inds = "\n".join(f"  - id: s{m}\n    kind: sum\n    metric: m{m}\n    targets:\n      - {{year: 2025, value: 10}}" for m in range(10))
open('m/plan.yaml', 'w').write(f'plan:\n  id: mem\n  title: "mem"\n  region: "01"\n  baseline: 2015\n  horizon: 2025\nmetrics:\n{ms}\nindicators:\n{inds}\n')
PY
if [ -x /usr/bin/time ]; then
  /usr/bin/time -o rss -f %M timeout 60 "$bin" compute m/plan.yaml --data m/data >"$tmp/out" 2>"$tmp/err"
  rc=$?
  [ "$(tail -1 rss)" -lt 1000000 ] || say "20 rows 50 years apart: $(tail -1 rss) kB resident"
else
  run "$bin" compute m/plan.yaml --data m/data >"$tmp/out" 2>"$tmp/err"
  rc=$?
fi
expect "20 rows 50 years apart over 100,000 communes" 1 $rc "would need 7.6 GB of memory"
mkdir -p l/data
python3 - <<'PY'
n = 50000
with open('l/data/units.csv', 'w') as f:
    f.write('code,name,level,parent\n01,A,province,\n')
    for i in range(n):
        f.write(f'C{i},c,commune,01\n')
with open('l/data/observations.csv', 'w') as f:
    f.write('unit,period,metric,value\n')
    for i in range(n):
        f.write(f'C{i},2015,staff,1\n')
open('l/spin.lua', 'w').write('function spin(unit, period)\n  if tostring(unit.code) == "C777" then while true do end end\n  return 1\nend\n')
open('l/plan.yaml', 'w').write('plan:\n  id: lb\n  title: "lb"\n  region: "01"\n  baseline: 2015\n  horizon: 2016\n'
  'metrics:\n  staff: {level: commune, type: count, over_time: last}\nindicators:\n  - id: x\n    kind: lua\n'
  '    script: spin.lua\n    function: spin\n    of: commune\n    targets:\n      - {year: 2016, value: 1}\n')
PY
start=$(date +%s%N)
(cd l && run "$bin" compute plan.yaml --data data --level commune >"$tmp/out" 2>"$tmp/err")
expect "a runaway call in a 50,000-unit kind: lua batch" 1 $? \
  "instruction budget of 200000000 of a batch of 50000 units (20000000 a call, 100000 more a unit, at most 10x) exceeded"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ $ms -le 30000 ] || say "a runaway call in a batch: $ms ms"

# ---- 6. silent bounds -----------------------------------------------------------------------------
mkdir -p b/data
cat >b/plan.yaml <<'YAML'
plan:
  id: History
  title: "bounds"
  region: "01"
  baseline: 2015
  horizon: 2017
metrics:
  is_clean: {level: commune, type: boolean, over_time: last}
indicators:
  - id: clean_pct
    kind: share_of_units
    of: commune
    condition: "is_clean == 1"
    targets:
      - {year: 2017, change: 150%}
YAML
printf 'code,name,level,parent\n01,A,province,\n01101,C,commune,01\n01102,D,commune,01\n' >b/data/units.csv
printf 'unit,period,metric,value\n01101,2015,is_clean,1\n01102,2015,is_clean,1\n01101,2016,is_clean,1\n01102,2016,is_clean,1\n' >b/data/observations.csv
(cd b && run "$bin" assess plan.yaml --data data --level province --lang en >"$tmp/out" 2>"$tmp/err")
expect "change: 150% on a percentage" 0 $?
python3 - <<'PY' || say "change: 150% on a percentage: the target is not capped at 100 with a note"
import csv
r = list(csv.DictReader(open('out', encoding='utf-8')))
ok = r and all(float(x['target']) == 100 and 'capped at 100%' in x['note'] for x in r)
raise SystemExit(0 if ok else 1)
PY
(cd b && run "$bin" compute plan.yaml --data data --format xlsx -o ../h.xlsx >"$tmp/out" 2>"$tmp/err")
expect "a plan id History in a workbook" 0 $?
python3 - <<'PY' || say "a plan id History: the sheet is named as Excel reserves"
import zipfile, re
names = re.findall(r'<sheet name="([^"]*)"', zipfile.ZipFile('h.xlsx').read('xl/workbook.xml').decode())
raise SystemExit(0 if names and all(n.lower() != 'history' for n in names) else 1)
PY

[ -z "$(ls -A "$TMPDIR")" ] || say "private temporary folders left in \$TMPDIR: $(ls -A "$TMPDIR")"
[ $fail -eq 0 ] && echo ok
exit $fail
