#!/usr/bin/python3
"""Checks `chitieu propose` against computations made here from the raw data
(data/observations.csv) and the contract's formulas, not from the engine:
- the yearly values (sums; shares of clean communes) of every unit;
- trend: the median of the OLS fit (on the logit for a percentage) at --to;
- likely: P(value of --to meets it) = P under the Student t predictive
  (n - 2 degrees of freedom), and stretch 1 - P;
- maintain: the baseline; best_pace: the baseline at the 75th percentile
  (25th for a decrease) of the observed paces of the units of the same level;
- proposed: each plan target from --from to --to;
those on the least-squares model (--model ols), whose formulas are written
out here; on the calibrated model (the default) the scenarios are checked
against what `chitieu assess` says of the same values as per-unit targets
(`unit:`), not against propose's own code:
- likely: P(value >= likely) is at least P and any better value is below P
  (the printed scale is discrete for counts and shares), stretch with 1 - P;
- trend: assess's projected value for the target year;
- proposed: assess's probability of the plan's own target.
usage: check.py CHITIEU PLAN DATA"""
import csv, io, math, subprocess, sys
import numpy as np
import yaml
from scipy import stats

chitieu, plan_path, data = sys.argv[1:4]
P = 0.8
plan = yaml.safe_load(open(plan_path, encoding='utf-8'))
units = {r['code']: r for r in csv.DictReader(open(f'{data}/units.csv', encoding='utf-8'))}
def under(u, top):
    while u:
        if u == top: return True
        u = units[u]['parent']
    return False
obs = {}
for r in csv.DictReader(open(f'{data}/observations.csv', encoding='utf-8')):
    obs[(r['unit'], int(r['period']), r['metric'])] = float(r['value'])
years = sorted({k[1] for k in obs})
communes = [c for c in units if units[c]['level'] == 'commune']

def value(ind, u, y):
    cs = [c for c in communes if under(c, u)]
    if ind['kind'] == 'sum':
        v = [obs.get((c, y, ind['metric'])) for c in cs]
        return sum(v) if all(x is not None for x in v) else None
    v = [obs.get((c, y, 'clean')) for c in cs]
    v = [x for x in v if x is not None]
    return (100 * sum(v) / len(v), len(v)) if v else None

fail = 0
def bad(msg):
    global fail
    fail = 1
    print(msg)

def propose(*extra):
    out = subprocess.run([chitieu, 'propose', plan_path, '--data', data, '--to', '2030', '--lang', 'en', *extra],
                         capture_output=True, text=True, check=True).stdout
    return list(csv.DictReader(io.StringIO(out)))
rows = propose('--model', 'ols')
base_year, to = years[-1], 2030
for ind in plan['indicators']:
    pct = ind['kind'] == 'share_of_units'
    d = -1 if ind.get('direction') == 'decrease' else 1
    hist, paces, dens = {}, {}, {}
    for u in units:
        if pct and units[u]['level'] == 'commune': continue
        vals = {}
        for y in years:
            v = value(ind, u, y)
            if v is not None:
                vals[y] = v[0] if pct else v
                if pct: dens[(u, y)] = v[1]
        hist[u] = vals
        first = min(vals)
        b = vals[base_year]
        paces[u] = (b - vals[first]) / (base_year - first) if pct else (max(b, .001) / max(vals[first], .001)) ** (1 / (base_year - first)) - 1
    for u, vals in hist.items():
        got = {(r['scenario'], r['target_year']): r for r in rows if r['indicator'] == ind['id'] and r['unit'] == u}
        xs = np.array(sorted(vals), float)
        def elogit(v, n_):
            # a 0 % or 100 % value: the empirical logit of its count k of n
            if 0 < v < 100: return math.log(v / (100 - v))
            k = v * n_ / 100
            return math.log((k + .5) / (n_ - k + .5))
        zs = np.array([elogit(vals[y], dens[(u, y)]) if pct else vals[y] for y in sorted(vals)])
        n = len(xs); xb = xs.mean(); sxx = ((xs - xb) ** 2).sum()
        b1 = ((xs - xb) * (zs - zs.mean())).sum() / sxx; b0 = zs.mean() - b1 * xb
        s2 = ((zs - b0 - b1 * xs) ** 2).sum() / (n - 2)
        zh = b0 + b1 * to
        se = math.sqrt(s2 * (1 + 1 / n + (to - xb) ** 2 / sxx))
        def se_at(y): return math.sqrt(s2 * (1 + 1 / n + (y - xb) ** 2 / sxx))
        if s2 == 0:
            continue  # points on a line: no spread under this model, nothing to invert
        back = (lambda z: 100 / (1 + math.exp(-z))) if pct else (lambda z: max(z, 0.0))
        fwd = (lambda v: elogit(v, dens[(u, base_year)])) if pct else (lambda v: v)
        def prob(v, y=to):
            c = stats.t.cdf((fwd(v) - (b0 + b1 * y)) / se_at(y), n - 2)
            return 1 - c if d > 0 else c
        checks = [('trend', back(zh), 0.5), ('maintain', vals[base_year], None)]
        for sc, p in (('likely', P), ('stretch', 1 - P)):
            v = float(got[(sc, '2030')]['value'])
            checks.append((sc, back(zh + d * stats.t.ppf(1 - p, n - 2) * se), p))
            if abs(prob(v) - p) > 1e-6: bad(f'{ind["id"]} {u} {sc}: P({v}) = {prob(v)}, not {p}')
        lvl = [paces[w] for w in hist if units[w]['level'] == units[u]['level']]
        bp = np.quantile(lvl, 0.75 if d > 0 else 0.25)
        b = vals[base_year]
        bv = b + bp * (to - base_year) if pct else max(b, .001) * (1 + bp) ** (to - base_year)
        checks.append(('best_pace', min(100, max(0, bv)) if pct else bv, None))
        for t in ind.get('targets', []):
            if base_year < t['year'] <= to:
                checks.append(('proposed', t['value'], None, str(t['year'])))
        for c in checks:
            sc, want, p = c[:3]
            r = got.get((sc, c[3] if len(c) > 3 else '2030'))
            if r is None: bad(f'{ind["id"]} {u} {sc}: no row'); continue
            if abs(float(r['value']) - want) > 1e-4 * max(1, abs(want)): bad(f'{ind["id"]} {u} {sc}: value {r["value"]}, expected {want}')
            if p is not None and abs(float(r['probability']) - p) > 1e-5: bad(f'{ind["id"]} {u} {sc}: probability {r["probability"]}, expected {p}')
            if sc == 'proposed' and abs(float(r['probability']) - prob(want, int(c[3]))) > 1e-5: bad(f'{ind["id"]} {u} proposed: probability {r["probability"]}, expected {prob(want, int(c[3]))}')
# the calibrated model (the default): each scenario's value as a per-unit
# target of assess, which gives its probability and projection independently
import os, tempfile
crows = propose()
if any(r['probability'] == '' for r in crows if r['scenario'] in ('likely', 'stretch')): bad('calibrated: a likely value without probability')
cplan = {k: v for k, v in plan.items() if k != 'indicators'}
cplan['indicators'] = []
for ind in plan['indicators']:
    d = -1 if ind.get('direction') == 'decrease' else 1
    for sc in ('likely', 'stretch'):
        for shift in (0, 1):
            targets = []
            for r in crows:
                if r['indicator'] != ind['id'] or r['scenario'] != sc or r['value'] == '': continue
                v = float(r['value'])
                if shift and ind['kind'] == 'share_of_units' and (v >= 100 if d > 0 else v <= 0): continue  # nothing better
                targets.append({'year': 2030, 'value': v + shift * d * 1e-6 * max(1, abs(v)), 'unit': r['unit']})
            cplan['indicators'].append(dict(ind, id=f'{ind["id"]}__{sc}{shift}', targets=targets))
with tempfile.TemporaryDirectory() as tmp:
    cpath = os.path.join(tmp, 'calibrated.yaml')
    with open(cpath, 'w', encoding='utf-8') as f: yaml.safe_dump(cplan, f, allow_unicode=True)
    out = subprocess.run([chitieu, 'assess', cpath, '--data', data, '--lang', 'en'], capture_output=True, text=True)
    if out.returncode != 0: bad('assess of the calibrated scenarios: ' + out.stderr)
    arows = {(r['indicator'], r['unit']): r for r in csv.DictReader(io.StringIO(out.stdout))}
n_cal = 0
for r in crows:
    key = (r['indicator'], r['unit'])
    if r['scenario'] in ('likely', 'stretch') and r['value'] != '':
        p = P if r['scenario'] == 'likely' else 1 - P
        at = arows.get((f'{r["indicator"]}__{r["scenario"]}0', r['unit']))
        past = arows.get((f'{r["indicator"]}__{r["scenario"]}1', r['unit']))
        edge = past is None and float(r['value']) in (0.0, 100.0) and r['indicator'].startswith('clean')
        if at is None or (past is None and not edge): bad(f'calibrated {key} {r["scenario"]}: assess has no row'); continue
        pa, pb = float(at['probability']), float(past['probability']) if past else 0.0
        if pa < p - 1e-6: bad(f'calibrated {key} {r["scenario"]} {r["value"]}: assess P {pa} < {p}')
        if pb >= p - 1e-6 and pb < 1 - 1e-9 and pa > p + 1e-3: bad(f'calibrated {key} {r["scenario"]}: a better value still has P {pb}')
        if pb >= p + 1e-6: bad(f'calibrated {key} {r["scenario"]}: a better value than {r["value"]} has P {pb} >= {p}')
        if abs(float(r['probability']) - pa) > 2e-6: bad(f'calibrated {key} {r["scenario"]}: P {r["probability"]}, assess {pa}')
        n_cal += 1
        if r['scenario'] == 'likely':
            t = [x for x in crows if (x['indicator'], x['unit'], x['scenario']) == key + ('trend',)][0]
            if abs(float(t['value']) - float(at['projected'])) > 1e-5 * max(1, abs(float(at['projected']))):
                bad(f'calibrated {key} trend {t["value"]}, assess projects {at["projected"]}')
own = subprocess.run([chitieu, 'assess', plan_path, '--data', data, '--lang', 'en'], capture_output=True, text=True, check=True).stdout
for a in csv.DictReader(io.StringIO(own)):
    r = [x for x in crows if (x['indicator'], x['unit'], x['scenario'], x['target_year']) == (a['indicator'], a['unit'], 'proposed', a['target_year'])]
    if not r: bad(f'calibrated {a["indicator"]} {a["unit"]} {a["target_year"]}: no proposed row'); continue
    if abs(float(r[0]['probability']) - float(a['probability'])) > 2e-6: bad(f'calibrated proposed {a["indicator"]} {a["unit"]}: P {r[0]["probability"]}, assess {a["probability"]}')
if n_cal == 0: bad('calibrated: nothing checked')
rows_ols, rows = rows, crows

# allocation: the region's value computed from the allocated unit targets by the
# indicator's own sums (a share: weighted by the units with data) meets the region's target
for method in ('equal_gap', 'same_change'):
    out = subprocess.run([chitieu, 'propose', plan_path, '--data', data, '--to', '2030', '--allocate', method],
                         capture_output=True, text=True, check=True).stdout
    arows = [r for r in csv.DictReader(io.StringIO(out)) if r['scenario'] == 'likely']
    region = plan['plan']['region']
    for ind in plan['indicators']:
        pct = ind['kind'] == 'share_of_units'
        d = -1 if ind.get('direction') == 'decrease' else 1
        kids = [u for u in units if units[u]['parent'] == region]
        T = float([r for r in arows if r['indicator'] == ind['id'] and r['unit'] == region][0]['value'])
        t = {r['unit']: float(r['value']) for r in arows if r['indicator'] == ind['id'] and r['unit'] in kids}
        if pct:
            w = {u: value(ind, u, base_year)[1] for u in kids}
            got = sum(w[u] * t[u] for u in kids) / sum(w.values())
        else:
            got = sum(t.values())
        if (got - T) * d < -1e-6 * max(1, abs(T)): bad(f'{method} {ind["id"]}: region from units {got} misses {T}')
        if method == 'same_change' or not pct:
            if abs(got - T) > 1e-6 * max(1, abs(T)): bad(f'{method} {ind["id"]}: region from units {got}, not {T}')
        if not pct:
            # counts: the same relative change for every unit
            ch = [t[u] / value(ind, u, base_year) for u in kids]
            if max(ch) - min(ch) > 1e-6: bad(f'{method} {ind["id"]}: changes differ {ch}')

# the draft (calibrated): each target the region's likely value rounded outward; check accepts it
with tempfile.TemporaryDirectory() as tmp:
    draft = os.path.join(tmp, 'draft.yaml')
    subprocess.run([chitieu, 'propose', plan_path, '--data', data, '--to', '2030', '--format', 'yaml', '-o', draft],
                   check=True)
    d = yaml.safe_load(open(draft, encoding='utf-8'))
    if d['plan']['baseline'] != base_year or d['plan']['horizon'] != 2030: bad('draft: baseline/horizon')
    for ind in d['indicators']:
        r = [r for r in rows if r['indicator'] == ind['id'] and r['unit'] == plan['plan']['region'] and r['scenario'] == 'likely'][0]
        v = float(r['value'])
        want = math.floor(v + 1e-9) if ind['direction'] == 'increase' else math.ceil(v - 1e-9)
        if [t['value'] for t in ind['targets']] != [want]: bad(f'draft {ind["id"]}: {ind["targets"]}, expected {want}')
        if 'likely' not in ind['targets'][0]['note']: bad(f'draft {ind["id"]}: no note')
    ck = subprocess.run([chitieu, 'check', draft, '--data', data], capture_output=True, text=True)
    if ck.returncode != 0: bad('check refuses the draft: ' + ck.stderr)
    # with --allocate: unit: targets for the districts, and check still accepts the draft
    subprocess.run([chitieu, 'propose', plan_path, '--data', data, '--to', '2030', '--allocate', 'equal_gap',
                    '--format', 'yaml', '-o', draft], check=True)
    d = yaml.safe_load(open(draft, encoding='utf-8'))
    kids = sorted(u for u in units if units[u]['parent'] == plan['plan']['region'])
    for ind in d['indicators']:
        if sorted(str(t['unit']) for t in ind['targets'] if 'unit' in t) != kids: bad(f'allocated draft {ind["id"]}: unit targets')
    ck = subprocess.run([chitieu, 'check', draft, '--data', data], capture_output=True, text=True)
    if ck.returncode != 0: bad('check refuses the allocated draft: ' + ck.stderr)
    # the workbook: the overview sheet, one sheet for the plan and one of allocations
    import zipfile, re as _re
    book = os.path.join(tmp, 'p.xlsx')
    subprocess.run([chitieu, 'propose', plan_path, '--data', data, '--to', '2030', '--allocate', 'equal_gap',
                    '--format', 'xlsx', '-o', book], check=True)
    names = _re.findall(r'<sheet name="([^"]+)"', zipfile.ZipFile(book).read('xl/workbook.xml').decode())
    if names != ['Tổng quan', plan['plan']['id'], 'allocations']: bad(f'workbook sheets {names}')
    # the allocations sheet's plan cells (column A below the header) name the plan, not the sheet
    z = zipfile.ZipFile(book)
    strings = [_re.sub(r'<[^>]+>', '', si) for si in _re.findall(r'<si>(.*?)</si>', z.read('xl/sharedStrings.xml').decode(), _re.S)]
    sheet = z.read(f'xl/worksheets/sheet{names.index("allocations") + 1}.xml').decode()
    cells = _re.findall(r'<c r="A([0-9]+)"[^>]*t="s"[^>]*><v>([0-9]+)</v>', sheet)
    plan_cells = {strings[int(v)] for r, v in cells if int(r) > 1}
    if plan_cells != {plan['plan']['id']}: bad(f'workbook: the allocations sheet\'s plan cells say {plan_cells}')
# check --feasibility flags a target needing more than twice the best observed
# pace (the region's own, before the new baseline), and only such a target
region = plan['plan']['region']
rv = {y: value(plan['indicators'][0], region, y) for y in years}
first = min(y for y in years if rv[y] is not None)
obs_pace = (rv[base_year] / rv[first]) ** (1 / (base_year - first)) - 1
with tempfile.TemporaryDirectory() as tmp:
    fplan = dict(plan, plan=dict(plan['plan'], baseline=base_year, horizon=2030))
    ind0 = dict(plan['indicators'][0], targets=[
        {'year': 2028, 'value': round(rv[base_year] * (1 + 1.5 * obs_pace) ** 3, 3)},
        {'year': 2030, 'value': round(rv[base_year] * (1 + 2.5 * obs_pace) ** 5, 3)}])
    fplan['indicators'] = [ind0]
    fpath = os.path.join(tmp, 'fast.yaml')
    with open(fpath, 'w', encoding='utf-8') as f: yaml.safe_dump(fplan, f, allow_unicode=True)
    ck = subprocess.run([chitieu, 'check', fpath, '--data', data, '--feasibility', '--lang', 'en'], capture_output=True, text=True)
    lines = [l for l in ck.stdout.splitlines() + ck.stderr.splitlines() if 'needs' in l]
    flagged = {l.split(' by ')[1].split()[0] for l in lines if 'twice' in l}
    if flagged != {'2030'}: bad(f'feasibility: twice the best pace flagged for {flagged}, expected 2030 only: {lines}')
print(f'{len(rows)} rows checked' if not fail else 'FAILED')
sys.exit(fail)
