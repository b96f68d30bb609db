#!/usr/bin/python3
"""Writes the golden cases assess_*, project_*, feasibility_* (data, plan,
args and expected output), every number computed here independently of the
engine from the textbook formulas:

  UNSD progress ratio (the interface contract; docs/methodology.md):
    percentages: observed = (latest - baseline)/(latest year - baseline year),
                 required = (target - baseline)/(target year - baseline year)
    others:      observed = (latest/baseline)^(1/years) - 1, required likewise
    ratio = observed/required; >= .95 on_track, >= .5 at_risk, >= -.1 off_track, else deteriorating
  OLS with 95% PREDICTION interval on all yearly points with data:
    yhat +- t(.975, n-2) sqrt(s^2 (1 + 1/n + (x0-xbar)^2/Sxx)), s^2 = SSE/(n-2), t from scipy
  logit for percentages (values clamped to [0.5, 99.5]: log(p/(100-p))), back-transformed.
  transition band: 100 - (100-p0)(1-r)^t; rate needed 1 - ((100-T)/(100-p0))^(1/t).
Columns after `note` (met_year, method, points) are the engine's additions: met_year is
the first year after the latest whose central projection meets the target (for logit,
target capped at 99.5), or the latest year when the latest value meets it.
The command lines choose `--model ols`, the model these formulas are (the
calibrated default is checked by tests/unit/test_model.c and model_*).
Run from tests/golden/cases: /usr/bin/python3 assess_unsd/gen_expected.py .
The one deliberate disagreement with the engine: assess_each_period, a finished span
with a missed year is off_track.
"""
import math, os, sys
import numpy as np
from scipy import stats

OUT = sys.argv[1] if len(sys.argv) > 1 else '.'

UNITS = """code,name,level,parent
01,Hà Nội,province,
001,Ba Đình,district,01
002,Hoàn Kiếm,district,01
00001,Phúc Xá,commune,001
00002,Trúc Bạch,commune,001
00003,Phúc Tân,commune,002
00004,Chương Dương,commune,002
"""
COMMUNES = {'001': ['00001', '00002'], '002': ['00003', '00004'], '01': ['00001', '00002', '00003', '00004']}
LEVEL = {'01': 'province', '001': 'district', '002': 'district',
         '00001': 'commune', '00002': 'commune', '00003': 'commune', '00004': 'commune'}

def num(v):
    """Up to 6 decimals, trailing zeros dropped; empty for no value (contract)."""
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return ''
    s = '%.6f' % v
    s = s.rstrip('0').rstrip('.')
    return '0' if s == '-0' else s

def csv_field(s):
    return '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\n') else s

def ols(xs, zs):
    x = np.array(xs, float); z = np.array(zs, float); n = len(x)
    xb = x.mean(); sxx = ((x - xb) ** 2).sum()
    b = ((x - xb) * (z - z.mean())).sum() / sxx
    a = z.mean() - b * xb
    def at(x0):
        yh = a + b * x0
        if n < 3:
            return yh, None, None
        s2 = ((z - (a + b * x)) ** 2).sum() / (n - 2)
        h = stats.t.ppf(0.975, n - 2) * math.sqrt(s2 * (1 + 1 / n + (x0 - xb) ** 2 / sxx))
        return yh, yh - h, yh + h
    return at

def inv_logit(z):
    return None if z is None else 100 / (1 + math.exp(-z))

def project(points, method, x0):
    """points: list of (year, value, k, n). Returns (mean, lo, hi) on the value scale."""
    if len(points) < 2:
        return None, None, None
    xs = [p[0] for p in points]
    if method == 'logit':
        zs = [math.log(min(max(p[1], .5), 99.5) / (100 - min(max(p[1], .5), 99.5))) for p in points]
        return tuple(inv_logit(v) for v in ols(xs, zs)(x0))
    return ols(xs, [p[1] for p in points])(x0)

def met_year(points, method, target, direction):
    latest = points[-1]
    if (latest[1] - target) * direction >= 0:
        return latest[0]
    if len(points) < 2:
        return None
    reach = min(target, 99.5) if method == 'logit' and direction > 0 else target
    for y in range(latest[0] + 1, 2101):
        m = project(points, method, y)[0]
        if (m - reach) * direction >= -1e-9:
            return y
    return None

def status_from_ratio(r):
    return 'on_track' if r >= .95 else 'at_risk' if r >= .5 else 'off_track' if r >= -.1 else 'deteriorating'

def write(case, files, args, stdout, rc=0):
    # the formulas here are those of the least-squares model: --model ols
    if args[0] in ('assess', 'project'):
        args = args[:1] + ['--model', 'ols'] + args[1:]
    d = os.path.join(OUT, case)
    os.makedirs(os.path.join(d, 'data'), exist_ok=True)
    for name, text in files.items():
        with open(os.path.join(d, name), 'w') as f:
            f.write(text)
    with open(os.path.join(d, 'args'), 'w') as f:
        f.write('\n'.join(args) + '\n')
    with open(os.path.join(d, 'expected.rc'), 'w') as f:
        f.write('%d\n' % rc)
    with open(os.path.join(d, 'expected.stdout'), 'w') as f:
        f.write(stdout)
    with open(os.path.join(d, 'expected.stderr'), 'w') as f:
        f.write('')

ASSESS_HEAD = ('plan,indicator,unit,level,target_year,target,baseline_period,baseline_value,latest_period,'
               'latest_value,observed_rate,required_rate,ratio,projected,lower,upper,status,note,met_year,method,points\n')

def assess_row(plan, ind, unit, tyear, target, points, *, pct, direction=1, method=None,
               baseline_year=2015, extra_note=None, status=None, note=None, rates=True):
    """One assess row from a unit's yearly points [(year, value, k, n)], computed from scratch."""
    method = method or ('logit' if pct else 'linear')
    base = [p for p in points if p[0] == baseline_year]
    bv = base[0][1] if base else None
    latest = points[-1] if points else None
    proj = project(points, method, tyear) if points else (None, None, None)
    obs = req = ratio = None
    notes = []
    my = None
    if latest is not None and target is not None and len(points) >= 2:
        my = met_year(points, method, target, direction)
        if my is not None and my != latest[0]:
            notes.append('the trend meets the target in %d' % my)
        elif my is None:
            notes.append('the trend does not meet the target by 2100')
    if latest is None:
        st = 'insufficient_data'; notes.append('no data')
    elif target is None:
        st = 'insufficient_data'; notes.append('the target is relative to a baseline value that is missing')
    elif (latest[1] - target) * direction >= 0:
        st = 'achieved'
    elif bv is None:
        st = 'insufficient_data'; notes.append('no value at the baseline')
    elif len([p for p in points if p[0] >= baseline_year]) < 2:
        st = 'insufficient_data'; notes.append('fewer than two years with data since the baseline')
    else:
        yo, yr = latest[0] - baseline_year, tyear - baseline_year
        if pct:
            obs = (latest[1] - bv) / yo; req = (target - bv) / yr
        else:
            z = lambda v: v if v != 0 else 0.001
            obs = (z(latest[1]) / z(bv)) ** (1 / yo) - 1; req = (z(target) / z(bv)) ** (1 / yr) - 1
        ratio = obs / req
        st = status_from_ratio(ratio)
    if status: st = status
    if extra_note: notes.append(extra_note)
    if note is not None: notes = [note]
    if not rates: obs = req = ratio = None
    f = [plan, ind, unit, LEVEL[unit], str(tyear), num(target), str(baseline_year), num(bv),
         str(latest[0]) if latest else '', num(latest[1]) if latest else '', num(obs), num(req), num(ratio),
         num(proj[0]), num(proj[1]), num(proj[2]), st, csv_field('; '.join(notes)),
         str(my) if my is not None else '', method, str(len(points))]
    return ','.join(f) + '\n'

def obs_csv(rows):
    return 'unit,period,metric,value\n' + ''.join('%s,%s,%s,%s\n' % r for r in rows)

def share_points(flags, unit):
    """flags: {year: {commune: 0/1}} -> [(year, 100 k/n, k, n)] for a unit's communes."""
    pts = []
    for y in sorted(flags):
        vals = [flags[y][c] for c in COMMUNES.get(unit, [unit]) if c in flags[y]]
        if vals:
            pts.append((y, 100 * sum(vals) / len(vals), sum(vals), len(vals)))
    return pts

def sum_points(data, unit):
    """data: {year: {commune: value}} -> [(year, sum, None, None)]"""
    pts = []
    for y in sorted(data):
        vals = [data[y][c] for c in COMMUNES.get(unit, [unit]) if c in data[y]]
        if vals:
            pts.append((y, sum(vals), None, None))
    return pts

def plan_yaml(pid, metrics, indicators, horizon=2020):
    return ('plan:\n  id: %s\n  title: "Kế hoạch thử"\n  region: "01"\n  baseline: 2015\n  horizon: %d\n\n'
            'metrics:\n%s\nindicators:\n%s' % (pid, horizon, metrics, indicators))

ALL = ['01', '001', '002', '00001', '00002', '00003', '00004']

# ---- assess_unsd: a sum, 40 (2015) -> 50 (2020), target 100 by 2030 ----------------
d = {2015: {'00001': 25, '00003': 15}, 2020: {'00001': 30, '00003': 20}}
out = ASSESS_HEAD
for u in ALL:
    out += assess_row('unsd', 'cases_total', u, 2030, 100, sum_points(d, u), pct=False)
write('assess_unsd', {
    'data/units.csv': UNITS,
    'data/observations.csv': obs_csv([(c, y, 'cases', v) for y in d for c, v in d[y].items()]),
    'plan.yaml': plan_yaml('unsd', '  cases: {level: commune, type: count, over_time: sum}\n',
                           '  - id: cases_total\n    kind: sum\n    metric: cases\n    direction: increase\n'
                           '    targets:\n      - {year: 2030, value: 100}\n', horizon=2030)},
    ['assess', 'plan.yaml', '--data', 'data'], out)

# ---- assess_relative_reduction: a decreasing sum, change -30% ----------------------
d = {2015: {'00001': 50, '00003': 40}, 2016: {'00001': 47, '00003': 37}, 2017: {'00001': 45, '00003': 30}}
out = ASSESS_HEAD
for u in ALL:
    pts = sum_points(d, u)
    base = [p[1] for p in pts if p[0] == 2015]
    target = base[0] * (1 - 0.30) if base else None   # relative change, not points
    out += assess_row('reduce', 'hotspots_total', u, 2020, target, pts, pct=False, direction=-1)
write('assess_relative_reduction', {
    'data/units.csv': UNITS,
    'data/observations.csv': obs_csv([(c, y, 'hotspots', v) for y in d for c, v in d[y].items()]),
    'plan.yaml': plan_yaml('reduce', '  hotspots: {level: commune, type: count, over_time: sum}\n',
                           '  - id: hotspots_total\n    kind: sum\n    metric: hotspots\n    direction: decrease\n'
                           '    targets:\n      - {year: 2020, change: -30%}\n')},
    ['assess', 'plan.yaml', '--data', 'data'], out)

SHARE_METRIC = '  is_clean: {level: commune, type: boolean, over_time: last}\n'
def share_ind(iid, targets):
    return ('  - id: %s\n    kind: share_of_units\n    of: commune\n    condition: "is_clean == 1"\n'
            '    direction: increase\n    targets:\n%s' % (iid, targets))
def flag_rows(flags):
    return obs_csv([(c, y, 'is_clean', v) for y in sorted(flags) for c, v in flags[y].items()])

# ---- assess_achieved: a share reaching its target of 75 exactly (province) -------
flags = {2015: {'00001': 1, '00002': 0, '00003': 1, '00004': 0},
         2017: {'00001': 1, '00002': 1, '00003': 1, '00004': 0}}
out = ASSESS_HEAD
for u in ALL:
    out += assess_row('ach', 'clean_pct', u, 2020, 75, share_points(flags, u), pct=True)
write('assess_achieved', {
    'data/units.csv': UNITS, 'data/observations.csv': flag_rows(flags),
    'plan.yaml': plan_yaml('ach', SHARE_METRIC, share_ind('clean_pct', '      - {year: 2020, value: 75}\n'))},
    ['assess', 'plan.yaml', '--data', 'data'], out)

# ---- assess_insufficient_data: communes with one year, none, no baseline ----------
d = {2015: {'00001': 10, '00004': 4}, 2016: {'00003': 5}, 2017: {'00003': 8, '00004': 9}}
out = ASSESS_HEAD
for u in ['00001', '00002', '00003', '00004']:
    pts = sum_points(d, u)
    base = [p[1] for p in pts if p[0] == 2015]
    out += assess_row('insuff', 'visits_total', u, 2020, 20, pts, pct=False)
    out += assess_row('insuff', 'visits_total', u, 2020, base[0] * 1.5 if base else None, pts, pct=False)
write('assess_insufficient_data', {
    'data/units.csv': UNITS,
    'data/observations.csv': obs_csv([(c, y, 'visits', v) for y in d for c, v in d[y].items()]),
    'plan.yaml': plan_yaml('insuff', '  visits: {level: commune, type: count, over_time: sum}\n',
                           '  - id: visits_total\n    kind: sum\n    metric: visits\n'
                           '    targets:\n      - {year: 2020, value: 20}\n      - {year: 2020, change: 50%}\n')},
    ['assess', 'plan.yaml', '--data', 'data', '--level', 'commune'], out)

# ---- assess_decreasing: direction decrease, on the way down (province) -----------
d = {2015: {'00001': 22, '00003': 18}, 2016: {'00001': 20, '00003': 16},
     2017: {'00001': 17, '00003': 13}, 2018: {'00001': 15, '00003': 12}}
out = ASSESS_HEAD
for u in ['01']:
    out += assess_row('down', 'cases_total', u, 2020, 10, sum_points(d, u), pct=False, direction=-1)
write('assess_decreasing', {
    'data/units.csv': UNITS,
    'data/observations.csv': obs_csv([(c, y, 'cases', v) for y in d for c, v in d[y].items()]),
    'plan.yaml': plan_yaml('down', '  cases: {level: commune, type: count, over_time: sum}\n',
                           '  - id: cases_total\n    kind: sum\n    metric: cases\n    direction: decrease\n'
                           '    targets:\n      - {year: 2020, value: 10}\n')},
    ['assess', 'plan.yaml', '--data', 'data', '--level', 'province'], out)

# ---- assess_percentage_linear: 50% (2 of 4) 2015 -> 75% 2017, target 100 by 2020 -----
flags = {2015: {'00001': 1, '00002': 0, '00003': 1, '00004': 0},
         2017: {'00001': 1, '00002': 1, '00003': 1, '00004': 0}}
out = ASSESS_HEAD + assess_row('pct', 'clean_pct', '01', 2020, 100, share_points(flags, '01'), pct=True)
write('assess_percentage_linear', {
    'data/units.csv': UNITS, 'data/observations.csv': flag_rows(flags),
    'plan.yaml': plan_yaml('pct', SHARE_METRIC, share_ind('clean_pct', '      - {year: 2020, value: 100}\n'))},
    ['assess', 'plan.yaml', '--data', 'data', '--level', 'province'], out)

# ---- assess_as_of: 2015 50%, 2017 75%, 2019 75%; target 100 by 2020 ---------------
flags = {2015: {'00001': 1, '00002': 0, '00003': 1, '00004': 0},
         2017: {'00001': 1, '00002': 1, '00003': 1, '00004': 0},
         2019: {'00001': 1, '00002': 1, '00003': 0, '00004': 1}}
plan = plan_yaml('asof', SHARE_METRIC, share_ind('clean_pct', '      - {year: 2020, value: 100}\n'))
early = {y: v for y, v in flags.items() if y <= 2017}
# as of 2017: observed 12.5 points a year, required 10: ratio 1.25, on_track
out = ASSESS_HEAD + assess_row('asof', 'clean_pct', '01', 2020, 100, share_points(early, '01'), pct=True)
write('assess_as_of', {'data/units.csv': UNITS, 'data/observations.csv': flag_rows(flags), 'plan.yaml': plan},
      ['assess', 'plan.yaml', '--data', 'data', '--level', 'province', '--as-of', '2017'], out)
# all the data: observed 25/4 = 6.25, required 10: ratio 0.625, at_risk
out = ASSESS_HEAD + assess_row('asof', 'clean_pct', '01', 2020, 100, share_points(flags, '01'), pct=True)
write('assess_as_of_latest', {'data/units.csv': UNITS, 'data/observations.csv': flag_rows(flags), 'plan.yaml': plan},
      ['assess', 'plan.yaml', '--data', 'data', '--level', 'province'], out)

# ---- assess_each_period: targets that must hold in every year of a span ----------
# Status (contract silent; M&E reading): no value in the span -> insufficient_data;
# span over (latest year >= to): achieved if every year met, else off_track (it can no
# longer be met); span open: every year so far met -> on_track; latest met after a miss
# -> at_risk; latest missed and lower than the year before -> deteriorating; else off_track.
flags = {2015: {'00001': 1, '00002': 0, '00003': 1, '00004': 0},
         2016: {'00001': 1, '00002': 1, '00003': 1, '00004': 0},
         2017: {'00001': 1, '00002': 1, '00003': 1, '00004': 1},
         2018: {'00001': 1, '00002': 1, '00003': 1, '00004': 0}}

def each_period_row(unit, frm, to, value):
    pts = share_points(flags, unit)
    span = [p for p in pts if frm <= p[0] <= to]
    met = [p for p in span if p[1] >= value - 1e-9]
    missed = [p for p in span if p[1] < value - 1e-9]
    notes = ['met in %d of %d years of %d-%d so far' % (len(met), len(span), frm, to)]
    if missed:
        notes.append('missed ' + ', '.join('%d (%s)' % (p[0], '%.4g' % p[1]) for p in missed))
    last_met = span[-1][1] >= value - 1e-9
    if pts[-1][0] >= to:
        st = 'achieved' if not missed else 'off_track'
    elif last_met:
        st = 'on_track' if not missed else 'at_risk'
    elif len(span) > 1 and span[-1][1] < span[-2][1]:
        st = 'deteriorating'
    else:
        st = 'off_track'
    row = assess_row('each', 'clean_pct', unit, to, value, pts, pct=True, status=st, rates=False)
    # the trend note (if any) comes first, then the span notes
    f = row.rstrip('\n').split(',')
    trend = f[17].strip('"')
    if pts[-1][0] >= to:
        trend = ''  # the span is over: no note on where the trend goes
    f[17] = csv_field('; '.join(([trend] if trend else []) + notes))
    return ','.join(f) + '\n'

out = ASSESS_HEAD
for u in ALL:
    out += each_period_row(u, 2016, 2020, 80)
    out += each_period_row(u, 2016, 2017, 70)
write('assess_each_period', {
    'data/units.csv': UNITS, 'data/observations.csv': flag_rows(flags),
    'plan.yaml': plan_yaml('each', SHARE_METRIC, share_ind('clean_pct',
        '      - {from: 2016, to: 2020, value: 80, each_period: true}\n'
        '      - {from: 2016, to: 2017, value: 70, each_period: true}\n'))},
    ['assess', 'plan.yaml', '--data', 'data'], out)

# ---- project_linear: a count series, --method linear --to 2022 ---------------------
d = {2015: {'00001': 6, '00003': 4}, 2016: {'00001': 7, '00003': 5}, 2017: {'00001': 9, '00003': 6},
     2018: {'00001': 8, '00003': 7}, 2019: {'00001': 11, '00003': 8}}
out = 'plan,indicator,unit,level,method,year,projected,lower,upper,points,last_period,last_value\n'
for u in ALL:
    pts = sum_points(d, u)
    if not pts:
        continue
    for y in range(2020, 2023):
        m, lo, hi = project(pts, 'linear', y)
        out += ','.join(['proj', 'staff_total', u, LEVEL[u], 'linear', str(y), num(m), num(lo), num(hi),
                         str(len(pts)), str(pts[-1][0]), num(pts[-1][1])]) + '\n'
write('project_linear', {
    'data/units.csv': UNITS,
    'data/observations.csv': obs_csv([(c, y, 'staff', v) for y in d for c, v in d[y].items()]),
    'plan.yaml': plan_yaml('proj', '  staff: {level: commune, type: count, over_time: last}\n',
                           '  - id: staff_total\n    kind: sum\n    metric: staff\n'
                           '    targets:\n      - {year: 2020, value: 30}\n')},
    ['project', 'plan.yaml', '--data', 'data', '--method', 'linear', '--to', '2022'], out)

# ---- feasibility_transition: a share with a 7-10% yearly transition band ---------
flags = {2015: {'00001': 1, '00002': 1, '00003': 1, '00004': 0},
         2016: {'00001': 1, '00002': 1, '00003': 1, '00004': 0}}
p0 = 75.0  # 3 of 4 in 2015; 75 again in 2016: observed +0 points a year
lines = []
pre = 'feasibility: feas: clean_pct: '
prev, prev_year = p0, 2015
for year, value in [(2018, 80), (2020, 90)]:
    need = (value - prev) / (year - prev_year)   # points a year from the previous milestone
    lines.append(pre + '%g by %d needs +%.3g points a year from %.4g in %d; observed +0 points a year 2015-2016 '
                 '(0%% of the pace needed); at that pace it is never reached' % (value, year, need, prev, prev_year))
    prev, prev_year = value, year
for year, value in [(2018, 80), (2020, 90)]:
    t = year - 2015
    lo = 100 - (100 - p0) * (1 - 0.07) ** t
    hi = 100 - (100 - p0) * (1 - 0.10) ** t
    need = 1 - ((100 - value) / (100 - p0)) ** (1 / t)
    verdict = ('the whole band reaches the target' if lo >= value else
               'only the upper part of the band reaches the target' if hi >= value else
               'even the upper end of the band falls short')
    lines.append(pre + 'from 75%% (3 of 4) in 2015, transforming 7%% of the rest a year (became_clean) gives %.2f%% '
                 'by %d and 10%% gives %.2f%%; %g%% by %d needs %.2f%% a year: %s'
                 % (lo, year, hi, value, year, need * 100, verdict))
out = ('plan.yaml: plan feas: 1 metrics, 2 indicators, 3 targets\n'
       'data: 7 units, 8 observations of 1 metrics, 2015-2016\n' + '\n'.join(lines) + '\nok (0 errors, 0 warnings)\n')
write('feasibility_transition', {
    'data/units.csv': UNITS, 'data/observations.csv': flag_rows(flags),
    'plan.yaml': plan_yaml('feas', SHARE_METRIC,
        share_ind('clean_pct', '      - {year: 2018, value: 80}\n      - {year: 2020, value: 90}\n') +
        '  - id: became_clean\n    kind: transition_rate\n    of: commune\n    from: "is_clean == 0"\n'
        '    to: "is_clean == 1"\n    targets:\n      - {from: 2016, to: 2020, min: 7, max: 10, each_period: true}\n')},
    ['check', 'plan.yaml', '--data', 'data', '--feasibility'], out)
