#!/usr/bin/env python3
"""Independent derivation of a handful of indicator values on the bundled data.

Plain Python over data/units.csv and data/observations.csv, written from the
definitions in docs/yaml-reference.md and docs/data-formats.md, sharing no code
with chitieu. It writes expected.csv (plan,indicator,unit,period,value), which
tests/golden/run_bundled.sh compares with `chitieu compute` on the bundled plans.
Run from the repository root:  python3 tests/golden/bundled/derive.py
"""
import csv
import os

ROOT = os.path.join(os.path.dirname(__file__), '..', '..', '..')
units = list(csv.DictReader(open(os.path.join(ROOT, 'data', 'units.csv'), encoding='utf-8-sig')))
# a code reused after the 2025 reform names two units: these maps hold the units
# valid before it (the new communes are handled apart, by reform_share below)
old_units = [u for u in units if u['valid_from'] == '']
parent = {u['code']: u['parent'] for u in old_units}
level = {u['code']: u['level'] for u in old_units}
links = list(csv.DictReader(open(os.path.join(ROOT, 'data', 'successions.csv'), encoding='utf-8-sig')))
obs = {}
for r in csv.DictReader(open(os.path.join(ROOT, 'data', 'observations.csv'), encoding='utf-8-sig')):
    if r['value'] != '':
        obs[(r['unit'], r['period'], r['metric'])] = float(r['value'])


def within(code, top):
    while code:
        if code == top:
            return True
        code = parent.get(code, '')
    return False


def units_of(lvl, top):
    return [u['code'] for u in old_units if u['level'] == lvl and within(u['code'], top)]


def year_last(unit, year, metric):
    """over_time last, from half-years (S2 if reported, else S1), or the year itself."""
    if (unit, str(year), metric) in obs:
        return obs[(unit, str(year), metric)]
    for p in ('S2', 'S1'):
        if (unit, '%d%s' % (year, p), metric) in obs:
            return obs[(unit, '%d%s' % (year, p), metric)]
    return None


def year_max(unit, year, metric):
    """over_time max, from half-years, or the year itself."""
    if (unit, str(year), metric) in obs:
        return obs[(unit, str(year), metric)]
    have = [obs[k] for k in ((unit, '%dS1' % year, metric), (unit, '%dS2' % year, metric)) if k in obs]
    return max(have) if have else None


def share(top, lvl, metric, year, rule=year_last):
    vals = [rule(c, year, metric) for c in units_of(lvl, top)]
    vals = [v for v in vals if v is not None]
    return 100.0 * sum(1 for v in vals if v == 1) / len(vals)


def ratio(top, lvl, num, den, year):
    pairs = [(year_last(u, year, num), year_last(u, year, den)) for u in units_of(lvl, top)]
    pairs = [(a, b) for a, b in pairs if a is not None and b is not None]
    return 100.0 * sum(a for a, _ in pairs) / sum(b for _, b in pairs)


def transition(top, lvl, metric, year):
    den = num = 0
    for c in units_of(lvl, top):
        was, now = year_last(c, year - 1, metric), year_last(c, year, metric)
        if was is None or now is None:
            continue
        if was == 0:
            den += 1
            num += now == 1
    return 100.0 * num / den


def months_with(unit, year, metric):
    have = [obs.get((unit, '%d-%02d' % (year, m), metric)) for m in range(1, 13)]
    return 100.0 * sum(1 for v in have if v is not None and v >= 1) / 12


def reform_share(top, metric, year):
    """A commune boolean (over_time max, merge any) of a province that closed on
    2025-07-01, on the communes it became: each new commune's half-year value is
    its own from 2025S2, and before that 1 if any old commune it is made of was 1,
    0 if all reported 0, else no data; the year takes the max of its halves."""
    olds = set(units_of('commune', top))
    made_of = {}
    for l in links:
        if l['from'] in olds:
            made_of.setdefault(l['to'], []).append(l['from'])
    vals = []
    for new, parts in made_of.items():
        halves = []
        for h in ('S1', 'S2'):
            p = '%d%s' % (year, h)
            if p >= '2025S2':
                v = obs.get((new, p, metric))
            else:
                got = [obs.get((o, p, metric)) for o in parts]
                v = 1 if 1 in got else (0 if None not in got else None)
            if v is not None:
                halves.append(v)
        if halves:
            vals.append(max(halves))
    return 100.0 * sum(1 for v in vals if v == 1) / len(vals)


rows = [
    ('thanh-hoa-2016-2020', 'clean_communes_pct', '38', 2015, share('38', 'commune', 'is_clean', 2015)),
    ('thanh-hoa-2016-2020', 'clean_communes_pct', '38', 2020, share('38', 'commune', 'is_clean', 2020)),
    ('thanh-hoa-2016-2020', 'communes_propaganda_pct', '38', 2017, share('38', 'commune', 'has_propaganda', 2017, year_max)),
    ('thanh-hoa-2016-2020', 'staff_trained_pct', '38', 2018, ratio('38', 'district', 'staff_trained', 'staff_total', 2018)),
    ('thanh-hoa-2016-2020', 'communes_transformed_pct', '38', 2017, transition('38', 'commune', 'is_clean', 2017)),
    ('thanh-hoa-2016-2020', 'media_monthly_pct', '38', 2019, months_with('38', 2019, 'media_posts')),
    ('hau-giang-2021-2025', 'districts_action_plan_pct', '93', 2023, share('93', 'district', 'has_action_plan', 2023)),
    ('hau-giang-2021-2025', 'workers_informed_pct', '93', 2024, ratio('93', 'district', 'workers_informed', 'workers_total', 2024)),
    ('hau-giang-2021-2025', 'communes_propaganda_pct', '93', 2021, reform_share('93', 'has_propaganda', 2021)),
    ('hau-giang-2021-2025', 'communes_propaganda_pct', '93', 2025, reform_share('93', 'has_propaganda', 2025)),
]
with open(os.path.join(os.path.dirname(__file__), 'expected.csv'), 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['plan', 'indicator', 'unit', 'period', 'value'])
    for plan, ind, unit, year, value in rows:
        w.writerow([plan, ind, unit, year, '%.6f' % value])
