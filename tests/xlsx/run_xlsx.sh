#!/bin/sh
# compute and assess --format xlsx, read back with openpyxl: one sheet per
# plan, the same rows, columns and values as the CSV, numbers as numbers,
# Vietnamese (or English) headers, status fills in the report's palette, a
# frozen header and an autofilter; a workbook that cannot be written leaves
# nothing behind.
# usage: run_xlsx.sh CHITIEU SOURCE_DIR
set -u
bin=$1
src=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
cd "$src" || exit 1
plans="indicators/thanh-hoa-2016-2020.yaml indicators/hau-giang-2021-2025.yaml indicators/ha-noi-2024.yaml
       indicators/national-2021-2025.yaml indicators/phu-tho-2015.yaml"
# shellcheck disable=SC2086
"$bin" assess $plans --data data --as-of 2019 -o "$tmp/a.csv" || fail "assess csv"
# shellcheck disable=SC2086
"$bin" assess $plans --data data --as-of 2019 --format xlsx -o "$tmp/a.xlsx" || fail "assess xlsx"
# shellcheck disable=SC2086
"$bin" assess $plans --data data --as-of 2019 --format xlsx --lang en -o "$tmp/a-en.xlsx" || fail "assess xlsx en"
# shellcheck disable=SC2086
"$bin" assess $plans --data data --as-of 2019 --lang en -o "$tmp/a-en.csv" || fail "assess csv en"
# shellcheck disable=SC2086
"$bin" compute $plans --data data --level province -o "$tmp/c.csv" || fail "compute csv"
# shellcheck disable=SC2086
"$bin" compute $plans --data data --level province --format xlsx -o "$tmp/c.xlsx" || fail "compute xlsx"
ls "$tmp" | grep -q '\.tmp\.' && fail "a temporary file was left"

$py - "$tmp" <<'PY' || fail "workbooks: see above"
import csv, sys, openpyxl
tmp = sys.argv[1]
ok = True
def bad(*a):
    global ok
    print(*a); ok = False
# the report's palette (ct_report.c / plots/theme.gp)
fills = {"achieved": "FF009E73", "on_track": "FF56B4E9", "at_risk": "FFE69F00", "off_track": "FFD55E00",
         "deteriorating": "FFCC79A7", "insufficient_data": "FFBBBBBB"}
def compare(csv_path, xlsx_path, first_header, text_cols, number_cols):
    rows = list(csv.reader(open(csv_path, encoding="utf-8")))
    header, body = rows[0], rows[1:]
    wb = openpyxl.load_workbook(xlsx_path)
    plans = []
    for r in body:
        if r[0] not in plans: plans.append(r[0])
    # the first sheet is the overview; an assessment's last one the lagging units
    extra = ["Tổng quan", "Overview", "Đơn vị chậm", "Lagging units"]
    names = [n for n in wb.sheetnames if n not in extra]
    if names != plans: bad(xlsx_path, "sheets", wb.sheetnames, "expected", plans)
    if wb.sheetnames[0] not in ("Tổng quan", "Overview"): bad(xlsx_path, "first sheet", wb.sheetnames[0])
    seen_fill = set()
    for ws in wb.worksheets:
        if ws.title in extra: continue
        want = [r for r in body if r[0] == ws.title]
        got = list(ws.iter_rows(values_only=True))
        if got[0][0] != first_header: bad(ws.title, "header", got[0][0], "expected", first_header)
        if len(got[0]) != len(header): bad(ws.title, "columns", len(got[0]), "expected", len(header))
        if len(got) - 1 != len(want): bad(ws.title, "rows", len(got) - 1, "expected", len(want)); continue
        if ws.freeze_panes != "A2": bad(ws.title, "frozen at", ws.freeze_panes)
        if not ws.auto_filter.ref or not ws.auto_filter.ref.startswith("A1:"): bad(ws.title, "autofilter", ws.auto_filter.ref)
        for i, (w, g) in enumerate(zip(want, got[1:])):
            for j, (a, b) in enumerate(zip(w, g)):
                col = header[j]
                if a == "":
                    if b is not None: bad(ws.title, i + 2, col, "expected an empty cell, got", repr(b))
                elif col in text_cols:
                    if not isinstance(b, str) or b != a: bad(ws.title, i + 2, col, "expected text", a, "got", repr(b))
                elif col in number_cols:
                    if not isinstance(b, (int, float)) or abs(b - float(a)) > 1e-9: bad(ws.title, i + 2, col, "expected number", a, "got", repr(b))
                elif str(b) != a and not (isinstance(b, (int, float)) and abs(b - float(a)) < 1e-9):
                    bad(ws.title, i + 2, col, "expected", a, "got", repr(b))
            if "status" in header:
                j = header.index("status")
                cell = ws.cell(row=i + 2, column=j + 1)
                if w[j] in fills:
                    if cell.fill.fill_type != "solid" or cell.fill.fgColor.rgb != fills[w[j]]:
                        bad(ws.title, i + 2, "status", w[j], "fill", cell.fill.fgColor.rgb)
                    seen_fill.add(w[j])
        for j, h in enumerate(got[0]):
            letter = openpyxl.utils.get_column_letter(j + 1)
            width = ws.column_dimensions[letter].width
            if width is None or width < min(len(h), 40): bad(ws.title, "column", h, "width", width)
    return seen_fill
seen = compare(f"{tmp}/a.csv", f"{tmp}/a.xlsx", "Kế hoạch",
               {"plan", "indicator", "unit", "level", "baseline_period", "latest_period", "status", "note", "method"},
               {"target_year", "target", "baseline_value", "latest_value", "observed_rate", "required_rate", "ratio",
                "projected", "lower", "upper", "met_year", "points"})
if len(seen) < 3: bad("fewer than 3 statuses were coloured:", seen)
compare(f"{tmp}/a-en.csv", f"{tmp}/a-en.xlsx", "plan", {"unit", "status"}, {"target", "latest_value"})
compare(f"{tmp}/c.csv", f"{tmp}/c.xlsx", "Kế hoạch", {"plan", "indicator", "unit", "level", "period"},
        {"value", "numerator", "denominator", "reported", "expected"})
wb = openpyxl.load_workbook(f"{tmp}/a.xlsx")
hdr = [c.value for c in wb.worksheets[1][1]]
# number formats: whole numbers, one decimal, fractions as percents; notes wrap
ws = wb.worksheets[1]
col = {c.value: c.column for c in ws[1]}
fmt = lambda name: ws.cell(row=2, column=col[name]).number_format
if fmt("Năm mục tiêu") != "#,##0": bad("target_year format", fmt("Năm mục tiêu"))
if fmt("Mục tiêu") != "#,##0.0": bad("target format", fmt("Mục tiêu"))
for r in range(2, ws.max_row + 1):
    c = ws.cell(row=r, column=col["Tỷ lệ báo cáo"])
    if c.value is not None:
        if c.number_format != "0.0%": bad("coverage format", c.number_format)
        break
if not ws.cell(row=2, column=col["Ghi chú"]).alignment.wrap_text: bad("notes do not wrap")
ov = wb["Tổng quan"]
texts = [c.value for row in ov.iter_rows() for c in row if isinstance(c.value, str)]
for w in ("Số liệu đến", "Địa giới hành chính", "Tỷ lệ báo cáo thấp nhất", "thanh-hoa-2016-2020", "Đạt", "Không đạt"):
    if w not in texts: bad("overview lacks", w, texts[:20])
if "năm 2019" not in texts: bad("overview: as-of not in words", texts[:8])
# each plan on its own map, as of its own last period, with the lowest coverage of a value
# (a row without data counts apart: never 0 %)
ovr = {r[0]: r for r in ov.iter_rows(values_only=True) if r and r[0]}
th = ovr.get("thanh-hoa-2016-2020")
if not th or th[4] != "6 tháng cuối năm 2019" or th[6] != "năm 2019": bad("overview: thanh-hoa's map or as-of", th)
pt = ovr.get("phu-tho-2015")
if not pt or pt[4] != "6 tháng cuối năm 2015" or pt[6] != "năm 2015": bad("overview: phu-tho's map or as-of", pt)
if ovr.get("Địa giới hành chính", [None, None])[1] != "theo từng kế hoạch": bad("overview: one map said for all", ovr.get("Địa giới hành chính"))
low = ovr.get("Tỷ lệ báo cáo thấp nhất")
if not low or not isinstance(low[1], float) or not 0 < low[1] < 1: bad("overview: lowest coverage", low)
if any(isinstance(r[5], (int, float)) and r[5] <= 0 for r in ovr.values() if len(r) > 5): bad("overview: a coverage of 0")
lag = wb["Đơn vị chậm"]
rows = list(lag.iter_rows(values_only=True))
if len(rows) < 10: bad("lagging sheet: only", len(rows), "rows")
if rows and rows[0][:3] != ("Kế hoạch", "Chỉ tiêu", "Đơn vị"): bad("lagging sheet header", rows[0])
words = {r[9] for r in rows[1:]}
if not words <= {"Không đạt", "Chậm tiến độ", "Đang xấu đi", "Có nguy cơ chậm"}: bad("lagging statuses", words)
# words, not ids: the plan's and the indicator's titles, the unit's name
import re
for r in rows[1:]:
    if re.fullmatch(r"[a-z0-9_-]+", str(r[0])) or re.fullmatch(r"[a-z0-9_]+", str(r[1])) or re.fullmatch(r"\d+", str(r[2])):
        bad("lagging sheet: an id where words belong", r[:3]); break
if rows[1:] and not any(str(r[1]).startswith("Tỷ lệ") for r in rows[1:]): bad("lagging sheet: no indicator title", rows[1][:3])
plan_titles = [c.value for row in ov.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("Kế hoạch ")]
if not plan_titles: bad("overview: no plan title", texts[:30])
# ranked: within a plan, indicator and target year, the largest gap first
for a, b in zip(rows[1:], rows[2:]):
    if a[:2] == b[:2] and a[5] == b[5] and a[8] < b[8] - 1e-9: bad("lagging rows not ranked", a, b); break
for w in ("Mã đơn vị", "Mục tiêu", "Tình trạng", "Ghi chú"):
    if w not in hdr: bad("Vietnamese header lacks", w, hdr)
sys.exit(0 if ok else 1)
PY

# The sheet written for a reader says no English word and no raw code (the plan sheets
# hold the CSV's rows, codes included, as the contract says).
$py tests/plot/scan_words.py "$tmp/a.xlsx" --sheet "Đơn vị chậm" >"$tmp/scan" || { fail "lagging sheet: English words or raw codes"; head -10 "$tmp/scan"; }

# A plan id too long for a sheet name (Excel: 31 characters).
mkdir "$tmp/p"
sed 's|^  id: thanh-hoa-2016-2020$|  id: thanh-hoa-2016-2020-phong-chong-mai-dam-ke-hoach-112|' \
  indicators/thanh-hoa-2016-2020.yaml > "$tmp/p/long.yaml"
cp -r scripts "$tmp/scripts"
# shellcheck disable=SC2086
"$bin" assess "$tmp/p/long.yaml" indicators/hau-giang-2021-2025.yaml indicators/ha-noi-2024.yaml \
  indicators/national-2021-2025.yaml indicators/phu-tho-2015.yaml --data data --format xlsx -o "$tmp/long.xlsx" \
  2>"$tmp/err" || { fail "assess with a long plan id"; cat "$tmp/err"; }
$py -c "
import openpyxl, sys
n = openpyxl.load_workbook('$tmp/long.xlsx').sheetnames[1]
sys.exit(0 if n == 'thanh-hoa-2016-2020-phong-chong' else print('sheet name', repr(n)) or 1)" || fail "long sheet name"

# Usage and failures: no -o; a folder that does not exist.
# shellcheck disable=SC2086
"$bin" assess $plans --data data --format xlsx >/dev/null 2>&1
[ $? -eq 2 ] || fail "--format xlsx without -o is not a usage error"
# shellcheck disable=SC2086
"$bin" assess $plans --data data --format xlsx -o "$tmp/no/such/a.xlsx" 2>"$tmp/err"
[ $? -eq 1 ] || fail "an unwritable workbook does not fail"
grep -q "no/such/a.xlsx: error: cannot write" "$tmp/err" || { fail "the error does not name the file"; cat "$tmp/err"; }
[ $fails -eq 0 ] && echo "xlsx: workbooks match the CSV, with headers, fills, frozen panes and filters"
exit $((fails > 0))
