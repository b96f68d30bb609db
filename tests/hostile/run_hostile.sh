#!/bin/bash
# Hostile and careless use of the command line: outputs that are devices,
# FIFOs, symbolic links or one of the inputs; inputs that are FIFOs or
# folders; a full disk; a condition of 200,000 terms; rules limits from the
# environment; chart names that used to collide; gnuplot flooding its
# messages. Each case must end (no hang), with the exit status and the error
# the docs promise, and destroy nothing.
# usage: run_hostile.sh CHITIEU SOURCE_DIR
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'umount "$tmp/small" 2>/dev/null; rm -rf "$tmp"' EXIT
fail=0
say() { echo "FAIL: $*"; fail=1; }
# runs the command with a time limit: a hang is a failure, not a hang
run() { timeout 20 "$@"; }

# a small data folder and plan
mkdir -p "$tmp/w/data"
cd "$tmp/w" || exit 2
cat >plan.yaml <<'YAML'
plan:
  id: tiny
  title: "tiny"
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
      - {year: 2017, value: 80}
YAML
printf 'code,name,level,parent\n01,A,province,\n011,B,district,01\n01101,C,commune,011\n01102,D,commune,011\n' >data/units.csv
printf 'unit,period,metric,value\n01101,2015,is_clean,1\n01102,2015,is_clean,0\n01101,2016,is_clean,1\n01102,2016,is_clean,1\n' >data/observations.csv
cp data/observations.csv obs.orig
expect() { # WHAT WANT_RC GOT_RC [TEXT-IN-STDERR]
  [ "$3" = "$2" ] || { say "$1: exit $3, expected $2"; sed 's/^/    /' err; return; }
  [ $# -lt 4 ] || grep -qF -- "$4" err || { say "$1: stderr lacks '$4'"; sed 's/^/    /' err; }
}

# 1. outputs
run "$bin" compute plan.yaml --data data -o /dev/full >out 2>err
expect "-o /dev/full" 1 $? "/dev/full: error: cannot write: No space left on device"
[ -c /dev/full ] || say "/dev/full is no longer a device"
if mknod "$tmp/null" c 1 3 2>/dev/null; then
  run "$bin" compute plan.yaml --data data -o "$tmp/null" >out 2>err
  expect "-o a device" 0 $?
  [ -c "$tmp/null" ] || say "-o a device: it became a $(stat -c %F "$tmp/null")"
fi
mkfifo fifo.out
timeout 20 cat fifo.out >fifo.got &
reader=$!
run "$bin" compute plan.yaml --data data -o fifo.out >out 2>err
expect "-o a FIFO" 0 $?
wait $reader
[ -p fifo.out ] || say "-o a FIFO: it was replaced"
grep -q '^tiny,clean_pct,01,province,2016,100,' fifo.got || say "-o a FIFO: the reader did not get the rows"
run "$bin" compute plan.yaml --data data -o /dev/stdout 2>err | cat >piped
expect "-o /dev/stdout into a pipe" 0 "${PIPESTATUS[0]}"
grep -q '^tiny,clean_pct,01,province,2016,100,' piped || say "-o /dev/stdout: no rows through the pipe"
[ -L /dev/stdout ] || [ ! -e /dev/stdout ] || say "/dev/stdout is no longer a link"
echo old >real.csv
ln -s real.csv link.csv
run "$bin" compute plan.yaml --data data -o link.csv >out 2>err
expect "-o a symbolic link" 0 $?
[ -L link.csv ] || say "-o a symbolic link: the link was replaced"
grep -q '^plan,indicator' real.csv || say "-o a symbolic link: the file it names was not written"
ln -s data/observations.csv alias.csv
for o in data/observations.csv ./data/../data/observations.csv alias.csv plan.yaml data/units.csv; do
  run "$bin" compute plan.yaml --data data -o "$o" >out 2>err
  expect "-o $o (an input)" 1 $? "is one of the inputs"
done
cmp -s data/observations.csv obs.orig || say "an input was overwritten"
[ -z "$(find . -name '.*.tmp')" ] || say "temporary files left: $(find . -name '.*.tmp')"
run "$bin" compute plan.yaml --data data -o data >out 2>err
expect "-o a folder" 1 $? "it is a folder"

# 2. inputs that are not regular files: refused at once
mkfifo fifo.yaml
run "$bin" check fifo.yaml >out 2>err
expect "a FIFO as the plan" 1 $? "FIFO"
mkdir -p fd && cp data/units.csv fd/ && mkfifo fd/observations.csv
run "$bin" compute plan.yaml --data fd >out 2>err
expect "a FIFO as observations.csv" 1 $? "FIFO"
mkfifo rules.lua
run "$bin" assess plan.yaml --data data --rules rules.lua >out 2>err
expect "a FIFO as a rules file" 1 $? "FIFO"
run "$bin" check data >out 2>err
expect "a folder as the plan" 1 $? "folder"

# 3. a condition of 200,000 terms: bound and computed without overflow
awk '{ if ($0 ~ /condition:/) { printf "    condition: \"is_clean == 1"; for (i = 1; i < 200000; i++) printf " and is_clean == 1"; print "\"" } else print }' plan.yaml >long.yaml
start=$(date +%s)
run "$bin" compute long.yaml --data data >out 2>err
expect "200,000 and-terms" 0 $?
[ $(( $(date +%s) - start )) -le 10 ] || say "200,000 and-terms: more than 10 s"
grep -q '^tiny,clean_pct,01,province,2016,100,' out || say "200,000 and-terms: wrong value"

# 4. rules limits from the environment
printf 'assess_rule("spin", function(a) while true do end end)\n' >spin.lua
CHITIEU_LUA_INSTRUCTIONS=5000 run "$bin" assess plan.yaml --data data --rules spin.lua >out 2>err
expect "CHITIEU_LUA_INSTRUCTIONS" 1 $? "instruction budget of 5000 exceeded"
CHITIEU_LUA_SECONDS=soon run "$bin" assess plan.yaml --data data --rules spin.lua >out 2>err
expect "a bad CHITIEU_LUA_SECONDS" 1 $? "CHITIEU_LUA_SECONDS must be a positive number"
printf 'assess_rule("hoard", function(a) local t = {} ; while true do t[#t + 1] = {} end end)\n' >hoard.lua
CHITIEU_LUA_MEMORY_MB=3 run "$bin" assess plan.yaml --data data --rules hoard.lua >out 2>err
expect "CHITIEU_LUA_MEMORY_MB" 1 $? "memory cap of 3 MiB exceeded"

# 5. charts: names that used to collide, a full disk, gnuplot flooding its messages
if command -v gnuplot >/dev/null 2>&1; then
  theme="$src/plots/theme.gp"
  mkdir -p c/data
  printf 'code,name,level,parent\n01,A,province,\n38/0,B,district,01\n38_0,C,district,01\n' >c/data/units.csv
  printf 'unit,period,metric,value\n38/0,2015,staff,1\n38_0,2015,staff,2\n38/0,2016,staff,3\n38_0,2016,staff,4\n' >c/data/observations.csv
  cat >c/plan.yaml <<'YAML'
plan:
  id: names
  title: "names"
  region: "01"
  baseline: 2015
  horizon: 2017
metrics:
  staff: {level: district, type: count, over_time: last}
indicators:
  - id: staff_sum
    kind: sum
    metric: staff
    targets:
      - {year: 2017, value: 10}
YAML
  (cd c && run "$bin" plot plan.yaml --data data --out charts --level district --theme "$theme" >../out 2>../err)
  expect "charts of 38/0 and 38_0" 0 $?
  n=$(find c/charts/names/staff_sum -name '38*.png' | wc -l)
  [ "$n" -eq 2 ] || say "charts of 38/0 and 38_0: $n files, expected 2: $(ls c/charts/names/staff_sum)"
  # gnuplot that floods its messages (20 MB): chitieu keeps at most 64 KiB of
  # them per chart, and prints no more
  cat >flood.sh <<'SH'
#!/bin/sh
yes 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' | head -c 20000000 >&2
exec gnuplot "$@"
SH
  chmod +x flood.sh
  (cd c && CHITIEU_GNUPLOT=../flood.sh timeout 60 "$bin" plot plan.yaml --data data --out flood \
     --level district --jobs 1 --theme "$theme" >../out 2>../err)
  rc=$?
  [ $rc -eq 1 ] || say "gnuplot flood: exit $rc, expected 1 (the chart has gnuplot's messages as its error)"
  [ "$(wc -c <err)" -lt 200000 ] || say "gnuplot flood: $(wc -c <err) bytes of messages printed"
  # a full disk: the command fails and names the file it could not write
  mkdir -p "$tmp/small"
  if mount -t tmpfs -o size=200k tmpfs "$tmp/small" 2>/dev/null; then
    head -c 150000 /dev/urandom >"$tmp/small/filler"
    (cd c && run "$bin" plot plan.yaml --data data --out "$tmp/small/charts" --level district --theme "$theme" >../out 2>../err)
    rc=$?
    [ $rc -eq 1 ] || say "plot on a full disk: exit $rc, expected 1"
    grep -q "$tmp/small/charts" err || { say "plot on a full disk: no error naming a file"; sed 's/^/    /' err; }
    umount "$tmp/small"
  else
    echo "plot on a full disk: skipped (cannot mount a tmpfs here)"
  fi
fi

[ $fail -eq 0 ] && echo ok
exit $fail
