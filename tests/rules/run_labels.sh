#!/bin/sh
# A rule's labelled status reaches every view through one function: the
# report's chips (row and counts), the trajectory chart's legend and marker,
# the small multiples' legend,
# the status overview's legend, and the workbook's status cell (its label in
# the rule's colour, read back with openpyxl); in the language asked for.
# usage: run_labels.sh CHITIEU SOURCE_DIR
set -u
bin=$1
src=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
cd "$src" || exit 1
cat >"$tmp/label.lua" <<'LUA'
assess_rule("conditional", function(a)
  if a.status == "achieved" then
    return { status = "dat_co_dieu_kien", colour = "#2a9d8f",
             label = { vi = "Đạt có điều kiện", en = "Achieved, conditionally" } }
  end
end)
LUA
plan=indicators/thanh-hoa-2016-2020.yaml
"$bin" report $plan --data data --out "$tmp/vi" --charts-dir "$tmp/vi" --rules "$tmp/label.lua" >/dev/null 2>&1 || fail "report vi"
"$bin" report $plan --data data --out "$tmp/en" --charts-dir "$tmp/en" --lang en --rules "$tmp/label.lua" >/dev/null 2>&1 || fail "report en"
grep -q 'style="background:#2a9d8f;color:#fff">Đạt có điều kiện</span>' "$tmp/vi/index.html" || fail "row chip (vi)"
grep -q 'style="background:#2a9d8f;color:#fff">[0-9]* Đạt có điều kiện</span>' "$tmp/vi/index.html" || fail "count chip (vi)"
grep -q '>Achieved, conditionally</span>' "$tmp/en/index.html" || fail "row chip (en)"
grep -q 'dat_co_dieu_kien' "$tmp/vi/index.html" && fail "the code shows in the report"
# the page's status overview (a table): the cells in the rule's colour, titled by its label
grep -q '<td class="num cell s-other" style="background:#2a9d8f;color:#fff" title="Đạt có điều kiện">' "$tmp/vi/index.html" || fail "overview cell"
"$bin" plot $plan --data data --out "$tmp/plot" --format svg --rules "$tmp/label.lua" >/dev/null 2>&1 || fail "plot"
grep -q "fc rgb \"#2a9d8f\" fs solid title 'Đạt có điều kiện'" "$tmp/plot/thanh-hoa-2016-2020/status.gp" || fail "overview legend"
grep -q "keyentry with boxes fc rgb \"#2a9d8f\" title 'Mục tiêu 2020: Đạt có điều kiện'" "$tmp/vi/thanh-hoa-2016-2020/clean_communes/38.gp" ||
  fail "trajectory legend"
grep -q "title '2020 target: Achieved, conditionally'" "$tmp/en/thanh-hoa-2016-2020/clean_communes/38.gp" || fail "trajectory legend (en)"
grep -q "set label 111 'Đạt có điều kiện'" "$tmp/vi/thanh-hoa-2016-2020/clean_communes/38-district.gp" || fail "small multiples legend"
"$bin" assess $plan --data data --rules "$tmp/label.lua" --format xlsx -o "$tmp/a.xlsx" || fail "assess xlsx"
"$bin" assess $plan --data data --rules "$tmp/label.lua" -o "$tmp/a.csv" || fail "assess csv"
grep -q ',dat_co_dieu_kien,' "$tmp/a.csv" || fail "the CSV keeps the code"
if /usr/bin/python3 -c 'import openpyxl' 2>/dev/null; then
  /usr/bin/python3 - "$tmp/a.xlsx" <<'PY' || fail "workbook status cells"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["thanh-hoa-2016-2020"]
head = [c.value for c in ws[1]]
col = head.index("Tình trạng") + 1
cells = [ws.cell(row=r, column=col) for r in range(2, ws.max_row + 1)]
own = [c for c in cells if c.value == "Đạt có điều kiện"]
assert own, "no labelled status cell"
assert all(c.fill.fgColor.rgb.endswith("2A9D8F") for c in own), own[0].fill.fgColor.rgb
assert not [c for c in cells if c.value == "dat_co_dieu_kien"], "a code in the workbook"
PY
fi
# the data-quality section: every violation of the checks in the plan's
# region, one row each, the same as check --format csv finds
"$bin" report $plan --data data --out "$tmp/dq" --rules scripts/data_quality.lua >/dev/null 2>&1 || fail "report with checks"
grep -q '<h3>Chất lượng số liệu</h3>' "$tmp/dq/index.html" || fail "data-quality heading"
rows=$(grep -o '<td class="imp-[a-z]*">' "$tmp/dq/index.html" | wc -l)
"$bin" check $plan --data data --rules scripts/data_quality.lua --format csv -o "$tmp/v.csv" >/dev/null 2>&1
want=$(/usr/bin/python3 - "$tmp/v.csv" data/units.csv <<'PY'
import csv, sys
parent = {r["code"]: r["parent"] for r in csv.DictReader(open(sys.argv[2], encoding="utf-8"))}
def within(u):
    while u:
        if u == "38":
            return True
        u = parent.get(u, "")
    return False
print(sum(1 for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")) if within(r["unit"])))
PY
)
[ "$rows" -gt 0 ] && [ "$rows" -eq "$want" ] || fail "data-quality rows: $rows, check found $want"
grep -q '<td class="imp-medium">trung bình</td><td>reported free of prostitution but with a public hotspot</td>' "$tmp/dq/index.html" ||
  fail "a violation's row"
grep -q 'Chất lượng số liệu' "$tmp/vi/index.html" && fail "a data-quality section without data checks"
[ $fails -eq 0 ] && echo "labels: all views show the rule's label; the report lists the data checks' violations"
exit $fails
