#!/usr/bin/python3
"""An independent implementation of the assessment contract
(../shared/interface.md, `assess`, from "Which rows" on), written from the
contract's text and not from the engine: it reads the plan, units.csv and
observations.csv itself, computes each indicator from the raw data, applies
the rules, and compares every number and status with the CSV that
`chitieu assess` wrote.

Covers the kinds the test province uses: share_of_units, count_of_units,
transition_rate, ratio, sum, frequency (yearly data, and monthly for
frequency); attributes in `among`.

usage: reference.py PLAN.yaml DATA_DIR ASSESS.csv [--as-of P] [--min-coverage F] [--level L]
exit 0 when every row agrees, 1 otherwise (the differences are printed).
"""
import csv
import math
import sys

import numpy as np
import yaml
from scipy import stats

args = sys.argv[1:]
opts = {}
while len(args) > 3:
    opts[args[-2]] = args[-1]
    args = args[:-2]
plan_path, data_dir, assess_csv = args
min_cov = float(opts.get('--min-coverage', 0.8))
plan = yaml.safe_load(open(plan_path, encoding='utf-8'))
P = plan['plan']
BASE = int(P['baseline'])

# ---- data ------------------------------------------------------------------------
units = {}
order = []
for r in csv.DictReader(open(f'{data_dir}/units.csv', encoding='utf-8')):
    units[r['code']] = r
    order.append(r['code'])
children = {c: [] for c in units}
for c, r in units.items():
    if r['parent']:
        children[r['parent']].append(c)


def subtree(c):
    out = [c]
    for k in children[c]:
        out += subtree(k)
    return out


def month_of(period):
    """(last month index, kind, year, month)."""
    if '-' in period:
        y, m = period.split('-')
        return int(y) * 12 + int(m) - 1, 'month', int(y), int(m)
    return int(period) * 12 + 11, 'year', int(period), None


obs = {}
for r in csv.DictReader(open(f'{data_dir}/observations.csv', encoding='utf-8')):
    if r['value'] != '':
        obs[(r['unit'], r['period'], r['metric'])] = float(r['value'])

region = P['region']
region_units = set(subtree(region))
if '--as-of' in opts:
    a = opts['--as-of']
    if 'S' in a:
        y, h = a.split('S')
        asof = int(y) * 12 + int(h) * 6 - 1
    else:
        asof = month_of(a)[0]
    obs = {k: v for k, v in obs.items() if month_of(k[1])[0] <= asof}
else:
    asof = max(month_of(k[1])[0] for k in obs)
last_complete = (asof + 1) // 12 - 1


def complete(year):
    return year * 12 + 11 <= asof


def yearly(unit, metric, year):
    return obs.get((unit, str(year), metric))


def of_level(c, level):
    return [u for u in subtree(c) if units[u]['level'] == level]


def cond_value(expr, unit, year):
    """The few conditions the test plan uses: NAME OP NUMBER."""
    name, op, num = expr.split()
    v = float(units[unit][name]) if name in units[unit] else yearly(unit, name, year)
    if v is None:
        return None
    n = float(num)
    return {'==': v == n, '!=': v != n, '>=': v >= n, '<=': v <= n, '>': v > n, '<': v < n}[op]


# ---- indicator values --------------------------------------------------------------
def cell(ind, unit, year):
    """dict(value, den, reported, expected, among_unknown, from_in, from_known)."""
    kind = ind['kind']
    c = dict(value=None, den=None, reported=0, expected=0, among_unknown=0, from_in=0, from_known=0)
    if kind in ('share_of_units', 'count_of_units', 'transition_rate'):
        num = den = 0
        for u in of_level(unit, ind['of']):
            am = cond_value(ind['among'], u, year) if 'among' in ind else True
            if am is None:
                c['among_unknown'] += 1
            if am is not True:
                continue
            c['expected'] += 1
            if kind == 'transition_rate':
                f = cond_value(ind['from'], u, year)
                if f is not None:
                    c['from_known'] += 1
                    c['from_in'] += f is True
                was = cond_value(ind['from'], u, year - 1)
                now = cond_value(ind['to'], u, year)
                if was is None or now is None:
                    continue
                c['reported'] += 1
                if was:
                    den += 1
                    num += now is True
            else:
                v = cond_value(ind['condition'], u, year)
                if v is None:
                    continue
                c['reported'] += 1
                num += v is True
        if kind == 'transition_rate':
            if den:
                c['value'], c['den'] = 100 * num / den, den
        elif c['reported']:
            if kind == 'share_of_units':
                c['value'], c['den'] = 100 * num / c['reported'], c['reported']
            else:
                c['value'] = num
        return c
    if kind == 'ratio':
        lvl = plan['metrics'][ind['numerator']]['level']
        n = d = 0
        for u in of_level(unit, lvl):
            c['expected'] += 1
            x, y = yearly(u, ind['numerator'], year), yearly(u, ind['denominator'], year)
            if x is None or y is None:
                continue
            c['reported'] += 1
            n += x
            d += y
        if c['reported'] and d:
            c['value'], c['den'] = ind.get('scale', 100) * n / d, d
        return c
    if kind == 'sum':
        lvl = plan['metrics'][ind['metric']]['level']
        s = 0
        for u in of_level(unit, lvl):
            c['expected'] += 1
            x = yearly(u, ind['metric'], year)
            if x is not None:
                c['reported'] += 1
                s += x
        if c['reported']:
            c['value'] = s
        return c
    if kind == 'frequency':
        lvl = plan['metrics'][ind['metric']]['level']
        for u in of_level(unit, lvl):
            c['expected'] += 1
            due = met = 0
            anyv = False
            for m in range(1, 13):
                if year * 12 + m - 1 > asof:
                    break
                due += 1
                x = obs.get((u, f'{year}-{m:02d}', ind['metric']))
                if x is not None:
                    anyv = True
                    met += x >= ind.get('at_least', 1)
            if anyv:
                c['reported'] += 1
                c['value'], c['den'] = 100 * met / due, due
        return c
    raise SystemExit(f'kind {kind} is not covered by the reference')


PCT = ('share_of_units', 'transition_rate', 'frequency')
COUNTING = ('share_of_units', 'count_of_units', 'transition_rate')


def is_pct(ind):
    return ind['kind'] in PCT or (ind['kind'] == 'ratio' and ind.get('scale', 100) == 100)


def meets(v, t, direction):
    return v >= t - 1e-9 if direction > 0 else v <= t + 1e-9


def elogit(p, n):
    n = n if n else 100.0
    if p <= 0:
        return math.log(0.5 / (n + 0.5))
    if p >= 100:
        return math.log((n + 0.5) / 0.5)
    return math.log(p / (100 - p))


def assess_unit(ind, unit, years):
    rows = {}
    direction = 1 if ind.get('direction', 'increase') == 'increase' else -1
    cells = {y: cell(ind, unit, y) for y in years}

    def cov(y):
        c = cells.get(y)
        return c['reported'] / c['expected'] if c and c['expected'] else None

    def usable(y):
        c = cells.get(y)
        if not c or c['value'] is None or not complete(y):
            return False
        cv = cov(y)
        return cv is None or cv >= min_cov - 1e-12

    use = [y for y in years if usable(y)]
    base = cells[BASE]['value'] if BASE in cells and usable(BASE) else None
    later = [y for y in use if y >= BASE]
    latest = later[-1] if later else None
    pct = is_pct(ind)
    # trend
    xs = [float(y) for y in use]
    if pct and all(0 <= cells[y]['value'] <= 100 for y in use):
        method = 'logit'
        zs = [elogit(cells[y]['value'], cells[y]['den']) for y in use]
    else:
        method = 'linear'
        zs = [cells[y]['value'] for y in use]
    nonneg = ind['kind'] in PCT + ('count_of_units',) or ind['kind'] in ('sum', 'ratio')

    def back(z):
        v = 100 / (1 + math.exp(-z)) if method == 'logit' else z
        if nonneg:
            v = max(0.0, v)
        if pct:
            v = min(100.0, v)
        return v

    fit = None
    if len(xs) >= 2:
        x, z = np.array(xs), np.array(zs)
        xb = x.mean()
        sxx = ((x - xb) ** 2).sum()
        b1 = ((x - xb) * (z - z.mean())).sum() / sxx
        b0 = z.mean() - b1 * xb
        fit = (b0, b1, x, z, xb, sxx)
    targets = ind.get('targets', [])
    own_years = {(t['to'] if t.get('each_period') else t['year']) for t in targets if str(t.get('unit', '')) == unit}
    for t in targets:
        ty = t['to'] if t.get('each_period') else t['year']
        # a `unit:` target is that unit's alone, and replaces the plan-wide one of its year
        if 'unit' in t and str(t['unit']) != unit:
            continue
        if 'unit' not in t and ty in own_years:
            continue
        if 'value' in t:
            target = t['value']
        elif 'min' in t:
            target = t['min']
        elif 'change' in t:
            ch = float(str(t['change']).rstrip('%')) / 100
            target = base * (1 + ch) if base is not None else None
        else:
            target = base
        row = dict(target=target, baseline_value=base, latest_period=latest,
                   latest_value=cells[latest]['value'] if latest else None,
                   observed_rate=None, required_rate=None, ratio=None, projected=None, lower=None, upper=None,
                   probability=None, coverage=None, status=None)
        evaluated = complete(ty)
        if fit:
            b0, b1, x, z, xb, sxx = fit
            n = len(x)
            zh = b0 + b1 * ty
            row['projected'] = back(zh)
            if n >= 3:
                s2 = ((z - (b0 + b1 * x)) ** 2).sum() / (n - 2)
                se = math.sqrt(s2 * (1 + 1 / n + (ty - xb) ** 2 / sxx))
                h = stats.t.ppf(0.975, n - 2) * se
                row['lower'], row['upper'] = back(zh - h), back(zh + h)
                if not evaluated and target is not None and latest is not None:
                    zt = elogit(target, cells[use[-1]]['den']) if method == 'logit' else target
                    # points exactly on a line: the distribution is the line itself
                    pb = stats.t.cdf((zt - zh) / se, n - 2) if se > 0 else float(zh < zt)
                    row['probability'] = 1 - pb if direction > 0 else pb
        # 1. not applicable
        status = None
        if ind['kind'] in COUNTING:
            if ind['kind'] == 'transition_rate':
                start = t['from'] - 1 if t.get('each_period') else BASE
                c0 = cells.get(start) or cell(ind, unit, start)
                if c0['from_known'] > 0 and c0['from_in'] == 0:
                    status = 'not_applicable'
            if status is None:
                first = t['from'] if t.get('each_period') else BASE
                last = max(first, min(ty, last_complete))
                span = [y for y in years if first <= y <= last]
                if span and all(cells[y]['expected'] == 0 and cells[y]['among_unknown'] == 0 for y in span):
                    status = 'not_applicable'
        if status == 'not_applicable':
            row.update(status=status, probability=None, coverage=None)
        elif evaluated:
            row['probability'] = None
            if t.get('each_period'):
                met = missed = 0
                for y in range(t['from'], t['to'] + 1):
                    left = ind['kind'] == 'transition_rate' and cells.get(y - 1) and \
                        cells[y - 1]['from_known'] > 0 and cells[y - 1]['from_in'] == 0
                    v = cells[y]['value'] if usable(y) else None
                    if v is not None and not meets(v, target, direction):
                        missed += 1
                    elif v is not None or left:
                        met += 1
                status = 'not_achieved' if missed else 'achieved' if met == t['to'] - t['from'] + 1 else 'insufficient_data'
                row['coverage'] = cov(ty)
            elif ind['kind'] == 'transition_rate' and cells.get(ty - 1) and cells[ty - 1]['from_known'] > 0 \
                    and cells[ty - 1]['from_in'] == 0:
                status = 'achieved'
            else:
                row['coverage'] = cov(ty)
                if target is None or not usable(ty):
                    status = 'insufficient_data'
                else:
                    v = cells[ty]['value']
                    if meets(v, target, direction):
                        status = 'achieved'
                    elif base is not None and (target - base) * direction > 0 and \
                            (v - base) / (target - base) >= 0.95 - 1e-12:
                        status = 'nearly_achieved'
                    else:
                        status = 'not_achieved'
            row['status'] = status
        else:
            lv = row['latest_value']
            if t.get('each_period') and last_complete >= t['from']:
                seen = []
                for y in range(t['from'], min(t['to'], last_complete) + 1):
                    if usable(y):
                        seen.append(meets(cells[y]['value'], target, direction))
                    elif ind['kind'] == 'transition_rate' and cells.get(y - 1) and \
                            cells[y - 1]['from_known'] > 0 and cells[y - 1]['from_in'] == 0:
                        seen.append(True)
                if not seen:
                    status = 'insufficient_data'
                else:
                    status = 'on_track' if all(seen) else 'at_risk' if seen[-1] else 'off_track'
                    lastseen = [y for y in range(t['from'], min(t['to'], last_complete) + 1)
                                if usable(y) or (ind['kind'] == 'transition_rate' and cells.get(y - 1) and
                                                 cells[y - 1]['from_known'] > 0 and cells[y - 1]['from_in'] == 0)]
                    row['coverage'] = cov(lastseen[-1]) if lastseen else None
            else:
                if latest is not None:
                    row['coverage'] = cov(latest)
                if target is None:
                    status = 'insufficient_data'
                elif lv is not None and meets(lv, target, direction):
                    status = 'achieved'
                elif base is None or len([y for y in use if y >= BASE]) < 2:
                    status = 'insufficient_data'
                else:
                    yrs = latest - BASE
                    req_y = (t['from'] if t.get('each_period') else ty) - BASE
                    if pct:
                        obs_r = (lv - base) / yrs
                        req_r = (target - base) / req_y
                    else:
                        f = lambda a: a if a != 0 else 0.001
                        obs_r = (f(lv) / f(base)) ** (1 / yrs) - 1
                        req_r = (f(target) / f(base)) ** (1 / req_y) - 1
                    row['observed_rate'], row['required_rate'] = obs_r, req_r
                    if req_r * direction <= 0:
                        status = 'deteriorating'
                    else:
                        r = obs_r / req_r
                        row['ratio'] = r
                        status = 'on_track' if r >= 0.95 else 'at_risk' if r >= 0.5 else \
                            'off_track' if r >= -0.1 else 'deteriorating'
            row['status'] = status
        rows[ty] = row
    return rows


def row_units(ind):
    levels_above = {'province': 0, 'district': 1, 'commune': 2}
    if ind['kind'] in COUNTING:
        deepest = levels_above[ind['of']] - 1
    else:
        m = ind.get('metric') or ind.get('numerator')
        deepest = levels_above[plan['metrics'][m]['level']]
    return [u for u in order if u in region_units and levels_above[units[u]['level']] <= deepest]


years_all = sorted({month_of(k[1])[2] for k in obs if k[0] in region_units})
expect = {}
for ind in plan['indicators']:
    for u in row_units(ind):
        for ty, row in assess_unit(ind, u, years_all).items():
            expect[(ind['id'], u, str(ty))] = row

if '--level' in opts:
    expect = {k: v for k, v in expect.items() if units[k[1]]['level'] == opts['--level']}
got = {(r['indicator'], r['unit'], r['target_year']): r for r in csv.DictReader(open(assess_csv, encoding='utf-8'))}
bad = 0
if set(got) != set(expect):
    print('rows differ: only in chitieu', sorted(set(got) - set(expect)), 'only here', sorted(set(expect) - set(got)))
    bad += 1
counts = {}
for key in sorted(set(got) & set(expect)):
    e, g = expect[key], got[key]
    counts[e['status']] = counts.get(e['status'], 0) + 1
    for col, ev in e.items():
        gv = g[col]
        if col in ('status',):
            ok = gv == ev
        elif col == 'latest_period':
            ok = gv == ('' if ev is None else str(ev))
        elif ev is None:
            ok = gv == ''
        else:
            ok = gv != '' and abs(float(gv) - ev) <= 1e-6 + 2e-6 * abs(ev)
        if not ok:
            print(f'{key} {col}: expected {ev}, chitieu {gv!r}')
            bad += 1
print(f'{len(expect)} rows compared, {bad} differences; statuses: {dict(sorted(counts.items()))}')
sys.exit(1 if bad else 0)
