#!/usr/bin/python3
"""`propose --allocate` on the bundled data (Hậu Giang's plan, its districts): the
district targets, weighted by each district's own baseline denominator read here from
data/observations.csv (workers in total, reports received, ...; communes with data for a
share of communes), give back the province's likely target; equal_gap closes the same
share of every district's gap to 100 %, same_change makes the same relative change; a
frequency (quarters with media items) is not split, since the province's frequency is not
made of its districts'. Nothing here comes from chitieu's own arithmetic.
usage: allocate_bundled.py CHITIEU ROOT"""
import csv, io, os, subprocess, sys
import yaml

chitieu, root = sys.argv[1:3]
plan_path = os.path.join(root, 'indicators', 'hau-giang-2021-2025.yaml')
plan = yaml.safe_load(open(plan_path, encoding='utf-8'))
units = list(csv.DictReader(open(os.path.join(root, 'data', 'units.csv'), encoding='utf-8')))
districts = [u['code'] for u in units if u['parent'] == '93' and u['level'] == 'district']
communes = {d: [(u['code'], u['valid_to']) for u in units if u['parent'] == d] for d in districts}
obs = {}
for r in csv.DictReader(open(os.path.join(root, 'data', 'observations.csv'), encoding='utf-8')):
    if r['value'] != '':
        obs[(r['unit'], r['period'], r['metric'])] = float(r['value'])
BASE = '2025'
fail = 0


def bad(msg):
    global fail
    fail = 1
    print(msg)


def baseline(ind, d):
    """(value, weight) of district d in 2025, or None."""
    if ind['kind'] == 'ratio':
        n, w = obs.get((d, BASE, ind['numerator'])), obs.get((d, BASE, ind['denominator']))
        return (100 * n / w, w) if n is not None and w else None
    # a share of communes (condition "metric == 1", over_time max over the half-years)
    metric = ind['condition'].split()[0]
    vals = []
    for c, last in communes[d]:
        # a commune that closed in 2025S1: its code names a new commune after (31321)
        halves = [h for h in (BASE + 'S1', BASE + 'S2') if not last or h <= last]
        v = [obs[(c, h, metric)] for h in halves if (c, h, metric) in obs]
        if v:
            vals.append(max(v))
    return (100 * sum(vals) / len(vals), len(vals)) if vals else None


checked = 0
for method in ('equal_gap', 'same_change'):
    out = subprocess.run([chitieu, 'propose', plan_path, '--data', os.path.join(root, 'data'), '--to', '2030',
                          '--allocate', method, '--lang', 'en'], capture_output=True, text=True, check=True).stdout
    rows = [r for r in csv.DictReader(io.StringIO(out)) if r['scenario'] == 'likely']
    for ind in plan['indicators']:
        mine = {r['unit']: r for r in rows if r['indicator'] == ind['id']}
        region = mine.get('93')
        split = {d: float(mine[d]['value']) for d in districts
                 if d in mine and mine[d]['note'].startswith('allocated by')}
        if ind['kind'] == 'frequency':
            if split or 'not split' not in region['note']:
                bad(f'{method} {ind["id"]}: a frequency split among {sorted(split)}: {region["note"]}')
            continue
        if ind['kind'] not in ('ratio', 'share_of_units') or ind.get('of') == 'district' or not split:
            continue
        if ind['kind'] == 'ratio' and ind['numerator'].endswith('_prov'):
            continue
        T = float(region['value'])
        base = {d: baseline(ind, d) for d in split}
        if any(b is None for b in base.values()):
            bad(f'{method} {ind["id"]}: a district was allocated without a baseline here')
            continue
        got = sum(split[d] * base[d][1] for d in split) / sum(base[d][1] for d in split)
        left = [d for d in districts if baseline(ind, d) is None]
        if sorted(split) != sorted(d for d in districts if d not in left):
            bad(f'{method} {ind["id"]}: allocated {sorted(split)}, districts with a baseline {sorted(set(districts) - set(left))}')
        if got < T - 1e-6 * max(1, abs(T)):
            bad(f'{method} {ind["id"]}: the districts\' targets give {got}, short of the province\'s {T}')
        inside = [d for d in split if 1e-9 < split[d] < 100 - 1e-9]
        if len(inside) == len(split) and abs(got - T) > 1e-5 * max(1, abs(T)):
            bad(f'{method} {ind["id"]}: the districts\' targets give {got}, not the province\'s {T}')
        if method == 'equal_gap':
            g = [(split[d] - base[d][0]) / (100 - base[d][0]) for d in split if base[d][0] < 100]
            if max(g) - min(g) > 1e-5: bad(f'equal_gap {ind["id"]}: shares of the gap closed differ {g}')
        else:
            c = [split[d] / base[d][0] for d in inside if base[d][0] > 0]
            if c and max(c) - min(c) > 1e-5: bad(f'same_change {ind["id"]}: relative changes differ {c}')
        checked += 1
if checked < 12:
    bad(f'only {checked} allocations checked')
print(f'{checked} allocations checked' if not fail else 'FAILED')
sys.exit(fail)
