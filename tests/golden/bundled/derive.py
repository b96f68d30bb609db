#!/usr/bin/env python3
"""Independent derivation of a handful of indicator values on the bundled data.

Plain Python over data/units.csv, data/observations.csv and data/successions.csv,
written from the definitions in docs/yaml-reference.md and docs/data-formats.md,
sharing no code with chitieu. It writes expected.csv
(plan,indicator,unit,period,value,geography), which tests/golden/run_bundled.sh
compares with `chitieu compute` on the bundled plans: on the default geography,
each plan's own map (Thanh Hóa 2016-2020 on 2020S2, its communes merged in 2020
carried onto the 549 they passed into; Hậu Giang 2021-2025 on 2025S1, the last map
before it closed, its 75 communes as they were), or on the geography the last
column names (`as-reported`: the 635 communes of 2015; `2025S2`: Hậu Giang followed
onto the 28 communes of Cần Thơ its communes became).
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
valid_to = {u['code']: u['valid_to'] for u in old_units}
links = list(csv.DictReader(open(os.path.join(ROOT, 'data', 'successions.csv'), encoding='utf-8-sig')))
obs = {}
for r in csv.DictReader(open(os.path.join(ROOT, 'data', 'observations.csv'), encoding='utf-8-sig')):
    if r['value'] != '':
        obs[(r['unit'], r['period'], r['metric'])] = float(r['value'])
# Thanh Hóa's 2016-2020 plan is judged on its own map: the units of 2020S2 (the end
# of its horizon year), values of units merged before then carried onto them.
GEOGRAPHY = '2020S2'


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
    """100 x sum num / sum den over the units of level lvl under top (or under each of a
    tuple of tops), each unit with both values."""
    tops = top if isinstance(top, tuple) else (top,)
    pairs = [(year_last(u, year, num), year_last(u, year, den)) for t in tops for u in units_of(lvl, t)]
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


def own_map_share(top, metric, year):
    """A commune boolean (over_time max) on the communes of a province that closed at
    2025S1, on its own last map: each commune's half-years while it existed (a code
    reused by a new commune from 2025S2 is another unit's)."""
    vals = []
    for c in units_of('commune', top):
        have = [obs[(c, '%d%s' % (year, h), metric)] for h in ('S1', 'S2')
                if valid_in(c, '%d%s' % (year, h)) and (c, '%d%s' % (year, h), metric) in obs]
        if have:
            vals.append(max(have))
    return 100.0 * sum(1 for v in vals if v == 1) / len(vals)


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


def valid_in(code, period):
    """Whether a unit of old_units exists in a half-year (its valid_to is a half-year)."""
    return valid_to[code] == '' or period <= valid_to[code]


def carried(top, metric, merge, period):
    """A commune boolean at a half-year on the communes of GEOGRAPHY: each one's own value
    merged with those of the communes that passed into it (merge 'any' or 'all'); a value
    needs every part that existed then, unless the missing ones cannot change it (any: a 1,
    all: a 0). Thanh Hóa's communes merged in 2020 pass whole into one commune each."""
    made_of = {}
    for l in links:
        if l['period'] <= GEOGRAPHY:
            made_of.setdefault(l['to'], []).append(l['from'])
    out = {}
    for g in units_of('commune', top):
        if not valid_in(g, GEOGRAPHY):
            continue
        parts = [c for c in [g] + made_of.get(g, []) if valid_in(c, period)]
        got = [obs.get((c, period, metric)) for c in parts]
        have = [v for v in got if v is not None]
        if not have:
            v = None
        elif merge == 'any':
            v = 1 if 1 in have else (0 if len(have) == len(got) else None)
        else:
            v = 0 if 0 in have else (1 if len(have) == len(got) else None)
        out[g] = v
    return out


def carried_year(top, metric, merge, year, over_time):
    """The year's value of each commune from its carried half-years: last (S2, else S1) or max."""
    s1, s2 = (carried(top, metric, merge, '%d%s' % (year, h)) for h in ('S1', 'S2'))
    out = {}
    for g in s1:
        halves = [v for v in (s1[g], s2[g]) if v is not None]
        if over_time == 'last':
            out[g] = s2[g] if s2[g] is not None else s1[g]
        else:
            out[g] = max(halves) if halves else None
    return out


def carried_share(top, metric, merge, year, over_time, count=False):
    vals = [v for v in carried_year(top, metric, merge, year, over_time).values() if v is not None]
    n = sum(1 for v in vals if v == 1)
    return n if count else 100.0 * n / len(vals)


def carried_transition(top, metric, merge, year):
    was = carried_year(top, metric, merge, year - 1, 'last')
    now = carried_year(top, metric, merge, year, 'last')
    pairs = [(was[g], now[g]) for g in was if was[g] is not None and now[g] is not None]
    den = sum(1 for a, _ in pairs if a == 0)
    return 100.0 * sum(1 for a, b in pairs if a == 0 and b == 1) / den


def reported_share(top, metric, year):
    """As reported (--geography as-reported): the communes that existed in the year."""
    vals = [year_last(c, year, metric) for c in units_of('commune', top)
            if valid_in(c, '%dS1' % year)]
    vals = [v for v in vals if v is not None]
    return 100.0 * sum(1 for v in vals if v == 1) / len(vals)


rows = [
    ('thanh-hoa-2016-2020', 'clean_communes_pct', '38', 2015, carried_share('38', 'is_clean', 'all', 2015, 'last')),
    ('thanh-hoa-2016-2020', 'clean_communes', '38', 2015, carried_share('38', 'is_clean', 'all', 2015, 'last', True)),
    ('thanh-hoa-2016-2020', 'clean_communes_pct', '38', 2020, carried_share('38', 'is_clean', 'all', 2020, 'last')),
    ('thanh-hoa-2016-2020', 'communes_propaganda_pct', '38', 2017, carried_share('38', 'has_propaganda', 'any', 2017, 'max')),
    ('thanh-hoa-2016-2020', 'communes_with_hotspot', '38', 2019, carried_share('38', 'has_hotspot', 'any', 2019, 'max', True)),
    ('thanh-hoa-2016-2020', 'staff_trained_pct', '38', 2018, ratio('38', 'district', 'staff_trained', 'staff_total', 2018)),
    ('thanh-hoa-2016-2020', 'communes_transformed_pct', '38', 2017, carried_transition('38', 'is_clean', 'all', 2017)),
    ('thanh-hoa-2016-2020', 'communes_transformed_pct', '38', 2020, carried_transition('38', 'is_clean', 'all', 2020)),
    ('thanh-hoa-2016-2020', 'media_monthly_pct', '38', 2019, months_with('38', 2019, 'media_posts')),
    ('thanh-hoa-2016-2020', 'clean_communes_pct', '38', 2015, reported_share('38', 'is_clean', 2015), 'as-reported'),
    ('thanh-hoa-2016-2020', 'clean_communes_pct', '38', 2019, reported_share('38', 'is_clean', 2019), 'as-reported'),
    ('thanh-hoa-2016-2020', 'clean_communes_pct', '38', 2020, reported_share('38', 'is_clean', 2020), 'as-reported'),
    ('hau-giang-2021-2025', 'districts_action_plan_pct', '93', 2023, share('93', 'district', 'has_action_plan', 2023)),
    ('hau-giang-2021-2025', 'workers_informed_pct', '93', 2024, ratio('93', 'district', 'workers_informed', 'workers_total', 2024)),
    ('hau-giang-2021-2025', 'communes_propaganda_pct', '93', 2021, own_map_share('93', 'has_propaganda', 2021)),
    ('hau-giang-2021-2025', 'communes_propaganda_pct', '93', 2025, own_map_share('93', 'has_propaganda', 2025)),
    ('hau-giang-2021-2025', 'communes_propaganda_pct', '93', 2021, reform_share('93', 'has_propaganda', 2021), '2025S2'),
    ('hau-giang-2021-2025', 'communes_propaganda_pct', '93', 2025, reform_share('93', 'has_propaganda', 2025), '2025S2'),
    ('phu-tho-2015', 'communes_propaganda_pct', '25', 2015, share('25', 'commune', 'has_propaganda', 2015, year_max)),
    ('phu-tho-2015', 'cases_handled_pct', '25', 2014, ratio('25', 'district', 'cases_handled', 'cases_detected', 2014)),
    ('ha-noi-2024', 'staff_trained_pct', '01', 2024, ratio('01', 'district', 'staff_trained', 'staff_total', 2024)),
    # a 2026 plan for the new Cần Thơ (tests/golden/bundled/can-tho-2026.yaml): the districts
    # of Hậu Giang, the old Cần Thơ and Sóc Trăng closed on 2025-07-01 with no successor, all
    # their communes went to 92, so their district-level figures are 92's baseline
    ('can-tho-2026-districts', 'staff_trained_pct', '92', 2021, ratio(('92', '93', '94'), 'district', 'staff_trained', 'staff_total', 2021)),
    ('can-tho-2026-districts', 'staff_trained_pct', '92', 2025, ratio(('92', '93', '94'), 'district', 'staff_trained', 'staff_total', 2025)),
]
with open(os.path.join(os.path.dirname(__file__), 'expected.csv'), 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['plan', 'indicator', 'unit', 'period', 'value', 'geography'])
    for plan, ind, unit, period, value, *geo in rows:
        w.writerow([plan, ind, unit, period, '%.6f' % value, geo[0] if geo else ''])
