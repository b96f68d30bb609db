#!/bin/sh
# Tests of `chitieu plot` and `chitieu report` on the bundled plans and on a
# small plan with hostile strings: every chart is written with a valid
# PNG/SVG/PDF signature, every .gp re-renders its chart with plain gnuplot
# from another folder, a broken theme or gnuplot is reported (exit 1), and
# the report is one file (every chart inline, no reference outside it), in
# Vietnamese throughout (scan_words.py), with its lagging units and summary.
# usage: run_plot.sh CHITIEU SOURCE_DIR
set -u
bin=$1
src=$2
cd "$src" || exit 2
command -v gnuplot >/dev/null 2>&1 || { echo "gnuplot not found: skipped"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
say() { echo "FAIL: $*"; fail=1; }

sig_ok() { # FILE FORMAT
  case $2 in
    png) [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] ;;
    svg) head -c 400 "$1" | grep -q "<svg" ;;
    pdf) [ "$(head -c 5 "$1")" = "%PDF-" ] ;;
  esac
}

# 1. every format: one chart per script, each with its signature
for fmt in png svg pdf; do
  out=$tmp/$fmt
  "$bin" plot indicators/*.yaml --data data --out "$out" --level province --format $fmt >"$tmp/out" 2>"$tmp/err"
  rc=$?
  [ $rc -eq 0 ] || { say "plot --format $fmt: exit $rc"; cat "$tmp/err"; }
  [ -s "$tmp/err" ] && { say "plot --format $fmt wrote to stderr"; cat "$tmp/err"; }
  n=0
  for gp in $(find "$out" -name '*.gp' ! -name theme.gp); do
    f=${gp%.gp}.$fmt
    n=$((n + 1))
    [ -f "$f" ] || { say "$f missing"; continue; }
    sig_ok "$f" $fmt || say "$f: not a valid $fmt"
  done
  [ $n -gt 20 ] || say "plot --format $fmt: only $n charts"
  [ -f "$out/thanh-hoa-2016-2020/clean_communes_pct/38.$fmt" ] || say "OUT/PLAN/INDICATOR/UNIT.$fmt naming"
  [ -f "$out/thanh-hoa-2016-2020/status.$fmt" ] || say "status overview missing"
done

# 2. every .gp re-renders its chart, from another folder, without a word on stderr
out=$tmp/png
mkdir -p "$tmp/elsewhere"
for gp in $(find "$out" -name '*.gp' ! -name theme.gp); do
  png=${gp%.gp}.png
  rm -f "$png"
  (cd "$tmp/elsewhere" && gnuplot "$gp") >"$tmp/gperr" 2>&1 || say "gnuplot $gp failed"
  [ -s "$tmp/gperr" ] && { say "gnuplot $gp: $(head -3 "$tmp/gperr")"; }
  sig_ok "$png" png || say "$png not re-rendered"
done
grep -q '^\$obs << EOD' "$out/thanh-hoa-2016-2020/clean_communes_pct/38.gp" || say "data not inline"

# 3. a theme that is not settings: refused at its line, exit 1
printf 'set style line 1 lc rgb "#000000"\nthis is not gnuplot\n' >"$tmp/bad_theme.gp"
"$bin" plot indicators/*.yaml --data data --out "$tmp/bad" --level province --theme "$tmp/bad_theme.gp" \
  >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || say "broken theme: exit $rc, expected 1"
grep -q 'bad_theme.gp:2: error: chart theme: the command .this. is not allowed' "$tmp/err" || { say "broken theme: not refused at its line"; head -3 "$tmp/err"; }
# a theme of allowed settings that gnuplot still refuses: the chart's .gp is named
printf 'set style line 1 lc rgb "#000000"\nset key nosuchkeyoption\n' >"$tmp/bad_theme2.gp"
"$bin" plot indicators/*.yaml --data data --out "$tmp/bad2" --level province --theme "$tmp/bad_theme2.gp" \
  >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || say "theme gnuplot refuses: exit $rc, expected 1"
grep -q '\.gp: error: gnuplot: ' "$tmp/err" || { say "theme gnuplot refuses: no error naming a .gp"; head -3 "$tmp/err"; }

# 4. a gnuplot that fails, and one that is missing
CHITIEU_GNUPLOT=/bin/false "$bin" plot indicators/*.yaml --data data --out "$tmp/false" --level province \
  >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || say "CHITIEU_GNUPLOT=/bin/false: exit $rc, expected 1"
grep -q 'exited with status 1' "$tmp/err" || { say "/bin/false: not reported"; head -3 "$tmp/err"; }
CHITIEU_GNUPLOT=/no/such/gnuplot "$bin" plot indicators/*.yaml --data data --out "$tmp/none" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || say "missing gnuplot: exit $rc, expected 1"
grep -q 'gnuplot not found' "$tmp/err" || say "missing gnuplot: no clear message"
[ -e "$tmp/none" ] && say "missing gnuplot: output folder created"

# 5. hostile strings in titles and names: escaped for gnuplot and HTML
mkdir -p "$tmp/h/data"
cat >"$tmp/h/plan.yaml" <<'YAML'
plan:
  id: hostile
  title: "Kế hoạch <script>alert('x')</script> \"quoted\" back\\slash $var @x ^{y}_z & 100%"
  region: "01"
  baseline: 2015
  horizon: 2018
metrics:
  is_clean: {level: commune, type: boolean, over_time: last}
indicators:
  - id: clean_pct
    title: "Tỷ lệ \"sạch\" <b>xã</b> \\n `cmd` $(x) '; system 'touch pwned'"
    kind: share_of_units
    of: commune
    condition: "is_clean == 1"
    targets:
      - {year: 2017, value: 75}
      - {year: 2018, value: 90}
YAML
printf 'code,name,level,parent\n01,"Tỉnh ""A"" <i>",province,\n011,Huyện $B\\n,district,01\n012,Huyện C'"'"'s,district,01\n01101,Xã 1,commune,011\n01102,Xã 2,commune,011\n01201,Xã 3,commune,012\n' >"$tmp/h/data/units.csv"
{ echo unit,period,metric,value
  for y in 2015 2016 2017; do echo 01101,$y,is_clean,1; echo 01102,$y,is_clean,0; echo 01201,$y,is_clean,1; done; } \
  >"$tmp/h/data/observations.csv"
(cd "$tmp/h" && "$bin" report plan.yaml --data data --out rep --charts-dir rep/charts >"$tmp/out" 2>"$tmp/err")
rc=$?
[ $rc -eq 0 ] || { say "hostile report: exit $rc"; cat "$tmp/err"; }
[ -e "$tmp/h/pwned" ] && say "a title ran a command"
grep -q '<script>alert' "$tmp/h/rep/index.html" && say "report: <script> not escaped"
grep -q '&lt;script&gt;alert' "$tmp/h/rep/index.html" || say "report: escaped title missing"
# the status overview chart of `plot` (the page's overview is a table)
(cd "$tmp/h" && "$bin" plot plan.yaml --data data --out plotted --format svg >"$tmp/out" 2>"$tmp/err") || { say "hostile plot failed"; cat "$tmp/err"; }
for f in "$tmp/h/rep/charts/hostile/clean_pct/01.svg" "$tmp/h/rep/charts/hostile/clean_pct/01-district.svg" "$tmp/h/plotted/hostile/status.svg"; do
  sig_ok "$f" svg || say "hostile: $f"
done

# 6. the report: one file, offline, both languages
for lang in vi en; do
  rep=$tmp/rep_$lang
  lv=; [ $lang = en ] && lv="--level province"
  "$bin" report indicators/*.yaml --data data --out "$rep" --lang $lang --as-of 2018 $lv >/dev/null 2>"$tmp/err"
  rc=$?
  [ $rc -eq 0 ] || { say "report --lang $lang: exit $rc"; head -3 "$tmp/err"; }
  html=$rep/index.html
  [ -f "$html" ] || { say "no $html"; continue; }
  grep -Eq '(src|href)="(https?:)?//' "$html" && say "report has external references"
  grep -q '@media print' "$html" || say "report: no print CSS"
  grep -q 'name="viewport"' "$html" || say "report: no viewport"
  grep -Eq '(src|href)="[^"#]' "$html" && say "report --lang $lang: a reference outside the page"
  [ "$(ls -A "$rep")" = "index.html" ] || say "report --lang $lang: more than one file: $(ls -A "$rep" | head -5)"
  [ "$(grep -c '<svg' "$html")" -gt 20 ] || say "report --lang $lang: charts not inline"
  grep -q '<title>Gnuplot</title>' "$html" && say "report --lang $lang: a chart titled Gnuplot"
  grep -q 'counter(page)' "$html" || say "report --lang $lang: no page numbers in print"
done
python3 tests/plot/scan_words.py "$tmp/rep_vi/index.html" >"$tmp/scan" || { say "report vi: English words or raw codes"; head -20 "$tmp/scan"; }
# a mid-year report: the current year's chart words give the period in words too
"$bin" report indicators/*.yaml --data data --out "$tmp/rep_mid" --as-of 2024S1 >/dev/null 2>"$tmp/err" || { say "report --as-of 2024S1: failed"; head -3 "$tmp/err"; }
python3 tests/plot/scan_words.py "$tmp/rep_mid/index.html" >"$tmp/scan" || { say "report --as-of 2024S1: English words or raw codes"; head -20 "$tmp/scan"; }
grep -q '2024 đến nay (6 tháng đầu năm 2024)' "$tmp/rep_mid/index.html" || say "report --as-of 2024S1: the year so far on the chart"
grep -q 'Đúng tiến độ' "$tmp/rep_vi/index.html" || say "report vi: status words"
grep -q 'On track' "$tmp/rep_en/index.html" || say "report en: status words"
grep -q 'Thanh Hóa' "$tmp/rep_vi/index.html" || say "report: unit names"

# 7. one province from the shared folder: only the charts its page shows, in
# Vietnamese throughout, with its period; every chart it draws is referenced
rep=$tmp/rep_th
"$bin" report indicators/thanh-hoa-2016-2020.yaml --data data --unit 38 --out "$rep" --charts-dir "$rep" \
  --agency "Sở Lao động - Thương binh và Xã hội" --doc-number "12/BC-SLĐTBXH" --date 2026-12-06 >/dev/null 2>"$tmp/err" \
  || { say "report --unit 38: failed"; head -3 "$tmp/err"; }
html=$rep/index.html
n_svg=$(grep -c '<svg' "$html")
[ "$n_svg" -gt 0 ] || say "report --unit 38: no chart inline"
[ "$n_svg" -le 40 ] || say "report --unit 38: $n_svg charts for one province"
grep -q 'national-2021-2025\|Quyết định số 1629' "$html" && say "report --unit 38: a plan not given"
grep -q '<h1>Báo cáo tiến độ thực hiện chỉ tiêu — Thanh Hóa</h1>' "$html" || say "report --unit 38: not titled with its unit"
grep -q '(tỉnh 38)\|(province 38)' "$html" && say "report --unit 38: a unit code in a sentence"
python3 tests/plot/scan_words.py "$html" >"$tmp/scan" || { say "report --unit 38: English words or raw codes"; head -20 "$tmp/scan"; }
grep -q 'Các đơn vị chậm so với mục tiêu' "$html" || say "report --unit 38: no lagging units"
grep -q '<section id="summary">' "$html" || say "report --unit 38: no summary page"
grep -q 'Cần đôn đốc' "$html" || say "report --unit 38: no units to follow up"
grep -q 'giảm 50% (≤ 266,5)' "$html" || say "report --unit 38: the plan's words of a reduction target"
grep -q 'giữ vững mức năm cơ sở' "$html" || say "report --unit 38: the plan's words of a maintain target"
grep -q 'target year passed' "$html" && say "report --unit 38: English notes"
grep -q 'Số liệu đến' "$html" || say "report --unit 38: no as-of period"
grep -q 'Mục tiêu đã đến hạn' "$html" || say "report --unit 38: evaluations not apart"
grep -q 'Số: 12/BC-SLĐTBXH' "$html" || say "report --unit 38: no document number"
grep -q 'ngày 6 tháng 12 năm 2026' "$html" || say "report --unit 38: the date not in words"
grep -q 'Sở Lao động - Thương binh và Xã hội' "$html" || say "report --unit 38: no agency"
[ -f "$rep/thanh-hoa-2016-2020/clean_communes/38.gp" ] || say "report --charts-dir: the scripts not kept"
# the status overview: a table, so that its words keep their size in print; a row per
# district under the province, a numbered column per indicator with a target below it,
# and an empty cell where a target does not apply (Quan Hóa has no commune with
# prostitution to transform: column 7)
python3 - "$html" <<'PY' || say "report --unit 38: the status overview"
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<table class="overview">(.*?)</table>', s, re.S)
if not m: print("no overview table"); sys.exit(1)
t = m.group(1)
heads = re.findall(r'<th class="num" title="[^"]*">(\d+)</th>', t)
rows = re.findall(r'<tr><td class="u d(\d)">([^<]*)</td>(.*?)</tr>', t, re.S)
qh = [r for r in rows if r[1] == "Huyện Quan Hóa"]
cells = re.findall(r'<td( class="num cell s-[a-z_]+"[^>]*)?>', qh[0][2]) if qh else []
ok = heads == [str(i) for i in range(1, 10)] and len(rows) == 27 and rows[0][:2] == ("0", "Thanh Hóa") \
    and all(r[0] == "1" for r in rows[1:]) and len(cells) == 9 and cells[6] == "" \
    and all(c for i, c in enumerate(cells) if i != 6) and "status.svg" not in s
if not ok: print(heads, len(rows), rows[:1], cells); sys.exit(1)
PY
grep -q '<table><thead><tr><th>[^<]*</th></tr></thead><tbody>\s*</tbody>' "$html" && say "report --unit 38: an empty table"
# coverage: 304 establishments from 22 of 26 districts (Thành phố Thanh Hóa, Ngọc Lặc, Triệu
# Sơn and Quảng Xương last reported in 2015) beside 533 from 26 is said so, not read as
# progress alone; those four are named as not reporting (their 2015 figure with its year),
# never ranked by it; the header's lowest share is that of a value (84,6 % = 22/26), not 0 %
grep -q 'Số liệu năm 2020 là tổng của 22/26 đơn vị (năm cơ sở: 26/26)' "$html" || say "report --unit 38: a sum of fewer units not said"
grep -q 'tỷ lệ đơn vị báo cáo thấp nhất: 84,6% (' "$html" || say "report --unit 38: the header's lowest reporting share"
grep -q '304 (năm 2020; từ 22/26 đơn vị, năm cơ sở từ 26/26)' "$html" || say "report --unit 38: the summary's sum of fewer units not said"
python3 - "$html" <<'PY' || say "report --unit 38: lagging units of the establishments"
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<div class="lag"><h4>Số cơ sở kinh doanh dịch vụ hoạt động mại dâm trá hình.*?</table>', s, re.S)
rows = re.findall(r"<tr><td>([^<]*)</td><td class=\"num\">([^<]*)</td>", m.group(0)) if m else []
names = [n for n, _ in rows]
last4 = {"Thành phố Thanh Hóa", "Huyện Ngọc Lặc", "Huyện Triệu Sơn", "Huyện Quảng Xương"}
ok = m and "14/22 đơn vị có số liệu chưa đạt mục tiêu · 4 đơn vị chưa báo cáo" in m.group(0) \
    and set(names[-4:]) == last4 and all("(năm 2015)" in v for n, v in rows if n in last4) \
    and "mọi đơn vị" not in s
if not ok: print(names, m and m.group(0)[:300]); sys.exit(1)
PY
# every indicator in the completeness table (the plan has 14)
[ "$(sed -n '/Mức độ đầy đủ số liệu/,/<\/table>/p' "$html" | grep -c '<tr><td class="ind">')" -eq 14 ] \
  || say "report --unit 38: the completeness table does not list every indicator"
# with the national plan too: its 2021-2025 targets have no data in Thanh Hóa (its data end in 2020);
# the page says so once per target, not as a table of 26 units that did not report
rep2=$tmp/rep_th2
"$bin" report indicators/thanh-hoa-2016-2020.yaml indicators/national-2021-2025.yaml --data data --unit 38 \
  --out "$rep2" >"$tmp/out" 2>"$tmp/err" || { say "report --unit 38, two plans: failed"; head -3 "$tmp/err"; }
grep -q 'Thanh Hóa: chưa đánh giá được mục tiêu nào trong 5 mục tiêu' "$rep2/index.html" || say "report --unit 38: targets without data counted as evaluated"
# (three of its targets apply to the districts; and once in the summary's follow-up)
[ "$(grep -o 'chưa đơn vị nào trong 26 đơn vị báo cáo' "$rep2/index.html" | wc -l)" -eq 4 ] || say "report --unit 38: no unit reported, not said"
[ "$(grep -o '<td class="num">chưa báo cáo' "$rep2/index.html" | wc -l)" -le 20 ] || say "report --unit 38: rows of units that did not report"
[ "$(sed -n '/Mức độ đầy đủ số liệu/,/<\/table>/p' "$rep2/index.html" | grep -c '<tr><td class="ind">')" -eq 20 ] \
  || say "report --unit 38, two plans: the completeness tables do not list every indicator"
# the count printed is the page's: the charts it holds inline (an empty panel of units is not drawn)
n_page=$(grep -o '<svg class="chart"' "$rep2/index.html" | wc -l)
grep -q "report with $n_page charts" "$tmp/out" || say "report: printed $(cat "$tmp/out"), the page holds $n_page"
python3 tests/plot/scan_words.py "$rep2/index.html" >"$tmp/scan" || { say "report --unit 38, two plans: English words or raw codes"; head -20 "$tmp/scan"; }
"$bin" report indicators/thanh-hoa-2016-2020.yaml --data data --unit 01 --out "$tmp/rep_none" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] || say "report --unit of another province: not an error"
grep -q 'no plan given covers' "$tmp/err" || say "report --unit not covered: no clear message"

# 7b. the charts of that report (plan: communes_transformed_pct 7-10 % a year 2016-2020;
# clean_communes_pct 92-95 % against 95 %; communes_with_hotspot a count)
d=$rep/thanh-hoa-2016-2020
sed -n '/^\$rband << EOD/,/^EOD/p' "$d/communes_transformed_pct/38.gp" | grep -q '^2016 7 10$' \
  || say "transition chart: no 7-10 % band of the plan from 2016"
grep -q '^set yrange \[0:[0-9.]*\]' "$d/communes_transformed_pct/38.gp" || say "transition chart: axis not from 0"
grep -q 'không đến 100%' "$d/communes_transformed_pct/38.gp" || say "transition chart: zoomed axis not said"
grep -q '^set yrange \[85:' "$d/clean_communes_pct/38.gp" || say "share chart at 92-95 %: axis not zoomed"
grep -q 'không bắt đầu từ 0%' "$d/clean_communes_pct/38.gp" || say "share chart: zoomed axis not said"
grep -q '^set yrange \[0:' "$d/communes_with_hotspot/38.gp" || say "count chart: axis below 0"
grep -q 'format "%.0f"' "$d/communes_with_hotspot/38.gp" || say "count chart: decimals on the axis"
grep -q 'communes_propaganda_pct' "$tmp/svg/thanh-hoa-2016-2020/status.gp" && say "status overview: an indicator id as a column title"

# 7c. a missing year is a gap in the reported line (a blank line in $obs)
mkdir -p "$tmp/g/data"
cat >"$tmp/g/plan.yaml" <<'YAML'
plan:
  id: gap
  region: "01"
  baseline: 2015
  horizon: 2019
metrics:
  cases: {level: province, type: count, over_time: sum}
indicators:
  - id: cases
    kind: sum
    metric: cases
    direction: decrease
    targets:
      - {year: 2019, value: 1}
YAML
printf 'code,name,level,parent\n01,A,province,\n' >"$tmp/g/data/units.csv"
printf 'unit,period,metric,value\n01,2015,cases,5\n01,2016,cases,4\n01,2018,cases,3\n' >"$tmp/g/data/observations.csv"
"$bin" plot "$tmp/g/plan.yaml" --data "$tmp/g/data" --out "$tmp/g/out" >/dev/null 2>"$tmp/err" || say "gap plot failed"
sed -n '/^\$obs << EOD/,/^EOD/p' "$tmp/g/out/gap/cases/01.gp" | tr '\n' '|' | grep -q '2016 4||2018 3' \
  || say "a missing year bridged by the line: $(sed -n '/^\$obs << EOD/,/^EOD/p' "$tmp/g/out/gap/cases/01.gp" | tr '\n' '|')"

# 8. a report before the data begin: every chart still renders and says so
"$bin" report indicators/thanh-hoa-2016-2020.yaml --data data --unit 38 --as-of 2014 --out "$tmp/rep_early" \
  --charts-dir "$tmp/rep_early" >/dev/null 2>"$tmp/err" || { say "report --as-of 2014: failed"; head -3 "$tmp/err"; }
grep -q 'chưa có số liệu' "$tmp/rep_early/thanh-hoa-2016-2020/clean_communes_pct/38.svg" || say "empty chart: no word"

# 9. rules reach the report: a rule's own status and note
cat >"$tmp/rule.lua" <<'LUA'
assess_rule("review", {indicators = {"clean_communes_pct"}}, function(a)
  return "xem_xet_lai", "ghi chú của quy tắc"
end)
LUA
"$bin" report indicators/thanh-hoa-2016-2020.yaml --data data --unit 38 --rules "$tmp/rule.lua" --out "$tmp/rep_rule" \
  --charts-dir "$tmp/rep_rule" >/dev/null 2>"$tmp/err" || { say "report --rules: failed"; head -3 "$tmp/err"; }
grep -q 'xem_xet_lai' "$tmp/rep_rule/index.html" || say "report --rules: the rule's status is not shown"
grep -q 'ghi chú của quy tắc' "$tmp/rep_rule/index.html" || say "report --rules: the rule's note is not shown"
grep -q '<td class="num cell s-other" title="xem_xet_lai">' "$tmp/rep_rule/index.html" || say "report --rules: the rule's status not in the overview"
"$bin" report --help | grep -q -- '--rules' || say "report --help: no --rules"

# 10. Hà Nội's tasks: completion per half-year and who is late (data: 01T04 at 20 % in
# 2024S1, 70 % in 2024S2, below the 100 % due by the end of 2024; 01T01 at 100 %); no
# section for the 30 districts, which have no target
"$bin" report indicators/ha-noi-2024.yaml --data data --unit 01 --out "$tmp/rep_hn" >/dev/null 2>"$tmp/err" \
  || { say "report ha-noi: failed"; head -3 "$tmp/err"; }
html=$tmp/rep_hn/index.html
grep -q 'Tiến độ các nhiệm vụ' "$html" || say "report ha-noi: no tasks table"
grep -q 'tại cơ sở kinh doanh dịch vụ</td><td class="num">20</td><td class="num">70</td><td class="late">Chậm</td>' "$html" \
  || say "report ha-noi: 01T04 not shown late at 20 % and 70 %"
grep -q 'Kế hoạch 46/KH-UBND</td><td class="num">50</td><td class="num">100</td><td>Đúng hạn</td>' "$html" \
  || say "report ha-noi: 01T01 not on time at 50 % and 100 %"
grep -q '01T0[0-9]' "$html" && say "report ha-noi: a task's code on the Vietnamese page"
grep -q '<details>' "$html" && say "report ha-noi: sections for units without targets"

# 10a. the mid-year review of Hà Nội's 2026 plan: each chart's year-so-far point says the
# period in words ("6 tháng đầu năm 2026"), not its code
"$bin" report indicators/ha-noi-2026.yaml --data data --out "$tmp/rep_midyear" --as-of 2026S1 >/dev/null 2>"$tmp/err" \
  || { say "report mid-year: failed"; head -3 "$tmp/err"; }
python3 tests/plot/scan_words.py "$tmp/rep_midyear/index.html" >"$tmp/scan" || { say "report mid-year: English words or raw codes"; head -5 "$tmp/scan"; }
[ "$(grep -c '2026 đến nay (6 tháng đầu năm 2026)' "$tmp/rep_midyear/index.html")" -ge 12 ] || say "report mid-year: not every chart has the year so far"

# 10a'. the year under way is a value so far, off the reported line: as of 2019S1 the
# province's reported series ends in 2018 and 2019 is its own point, with a target or without
"$bin" plot indicators/thanh-hoa-2016-2020.yaml --data data --as-of 2019S1 --level province --out "$tmp/under_way" >/dev/null 2>"$tmp/err" \
  || { say "plot --as-of 2019S1: failed"; head -3 "$tmp/err"; }
for gp in "$tmp"/under_way/thanh-hoa-2016-2020/*/38.gp; do
  [ -f "$gp" ] || { say "plot --as-of 2019S1: no charts of 38"; break; }
  sed -n '/^\$obs << EOD/,/^EOD/p' "$gp" | grep -q '^2019 ' && say "plot --as-of 2019S1: $gp draws 2019 so far on the reported line"
done
# the half-yearly indicators have a value so far (the yearly ones none: no point)
for i in clean_communes_pct communes_propaganda_pct; do
  grep -q '2019 đến nay (6 tháng đầu năm 2019)' "$tmp/under_way/thanh-hoa-2016-2020/$i/38.gp" \
    || say "plot --as-of 2019S1: $i lacks the point of 2019 so far"
done

# 10b. a batch: one report per province and an index; each the same page as that
# unit's own report (but for the ids that keep its charts apart)
SOURCE_DATE_EPOCH=1765000000 "$bin" report indicators/*.yaml --data data --each province --out "$tmp/each" >"$tmp/out" 2>"$tmp/err" \
  || { say "report --each province: failed"; head -3 "$tmp/err"; }
# two units share the code 92 (the old Cần Thơ until 2025S1, the new city): two pages
grep -q '7 reports' "$tmp/out" || say "report --each province: $(cat "$tmp/out")"
for c in 01 25 38 92 92-2025S1 93 94; do [ -f "$tmp/each/$c.html" ] || say "report --each: no $c.html"; done
[ "$(ls -A "$tmp/each" | wc -l)" -eq 8 ] || say "report --each: files left: $(ls -A "$tmp/each")"
for c in 01 25 38 92 92-2025S1 93 94; do grep -q "href=\"$c.html\"" "$tmp/each/index.html" || say "report --each: index lacks $c"; done
# a district's report down to its communes: no panel of communes, whose shares are 0/100 %
# steps under no target (the plan's targets are for districts and the province)
"$bin" report indicators/thanh-hoa-2016-2020.yaml --data data --unit 380 --level commune --out "$tmp/rep_380" --charts-dir "$tmp/rep_380c" \
  >/dev/null 2>"$tmp/err" || { say "report --unit 380 --level commune: failed"; head -3 "$tmp/err"; }
grep -q 'id="fig-[^"]*-commune"' "$tmp/rep_380/index.html" && say "report --unit 380: panels of communes without a target"
[ -n "$(find "$tmp/rep_380c" -name '380.svg' | head -1)" ] || say "report --unit 380: no trajectory of the district"
# the plans are each on their own map: the index does not name one for all
grep -q 'Địa giới hành chính</dt><dd>theo từng kế hoạch' "$tmp/each/index.html" || say "report --each: the index names one map for plans on several"
SOURCE_DATE_EPOCH=1765000000 "$bin" report indicators/*.yaml --data data --unit 38 --out "$tmp/each38" >/dev/null 2>&1
sed 's/c[0-9]*-/c-/g; s/fig-38-/fig-/g' "$tmp/each/38.html" >"$tmp/a.html"
sed 's/c[0-9]*-/c-/g' "$tmp/each38/index.html" >"$tmp/b.html"
cmp -s "$tmp/a.html" "$tmp/b.html" || { say "report --each: 38.html differs from --unit 38"; diff "$tmp/a.html" "$tmp/b.html" | head -5; }
"$bin" report indicators/*.yaml --data data --each nosuchlevel --out "$tmp/each2" >/dev/null 2>&1
[ $? -eq 2 ] || say "report --each with an unknown level: not a usage error"

# 11. PDF: through headless Chromium where it is installed; a clear error where it is not
CHITIEU_CHROMIUM=/nonexistent/chromium "$bin" report indicators/ha-noi-2024.yaml --data data --unit 01 --format pdf \
  --out "$tmp/rep_nopdf" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] || say "report --format pdf without a browser: not an error"
grep -q 'chromium' "$tmp/err" || say "report --format pdf without a browser: the message does not name chromium"
"$bin" report indicators/ha-noi-2024.yaml --data data --format docx --out "$tmp/rep_docx" >/dev/null 2>&1
[ $? -eq 2 ] || say "report --format docx: not a usage error"
if command -v chromium >/dev/null 2>&1; then
  "$bin" report indicators/ha-noi-2024.yaml --data data --unit 01 --format pdf --out "$tmp/rep_pdf" >/dev/null 2>"$tmp/err" \
    || { say "report --format pdf: failed"; head -3 "$tmp/err"; }
  [ "$(head -c 5 "$tmp/rep_pdf/index.pdf" 2>/dev/null)" = "%PDF-" ] || say "report --format pdf: no PDF"
  [ "$(ls -A "$tmp/rep_pdf")" = "index.pdf" ] || say "report --format pdf: left files behind: $(ls -A "$tmp/rep_pdf")"
  # the summary is one printed page: Thanh Hóa's, with both plans, ends on page 1 and
  # page 2 begins the first plan's section
  if command -v pdftotext >/dev/null 2>&1; then
    "$bin" report indicators/thanh-hoa-2016-2020.yaml indicators/national-2021-2025.yaml --data data --unit 38 \
      --agency "Sở Lao động - Thương binh và Xã hội tỉnh Thanh Hóa" --doc-number "12/BC-SLĐTBXH" \
      --format pdf --out "$tmp/rep_pdf38" >/dev/null 2>"$tmp/err" || { say "report --format pdf --unit 38: failed"; head -3 "$tmp/err"; }
    pdftotext -f 1 -l 1 "$tmp/rep_pdf38/index.pdf" "$tmp/p1.txt"
    pdftotext -f 2 -l 2 "$tmp/rep_pdf38/index.pdf" "$tmp/p2.txt"
    grep -q 'Cần đôn đốc' "$tmp/p1.txt" && grep -q 'đơn vị khác' "$tmp/p1.txt" && grep -q 'Trang 1/' "$tmp/p1.txt" \
      || say "report --format pdf: the summary is not on page 1"
    grep -q 'Địa bàn: Thanh Hóa' "$tmp/p2.txt" && ! grep -q 'chưa báo cáo:' "$tmp/p2.txt" \
      || { say "report --format pdf: the summary runs onto page 2"; head -5 "$tmp/p2.txt"; }
  fi
fi

[ $fail -eq 0 ] && echo ok
exit $fail
