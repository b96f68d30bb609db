#!/usr/bin/env python3
"""The mid-year review of Hà Nội's 2026 plan on the bundled data, computed here from
data/observations.csv and the contract's rules ("The current year"), sharing no code with
chitieu, and compared with `chitieu assess indicators/ha-noi-2026.yaml --as-of 2026S1`.

For a count the city reports monthly (over_time: sum): the year so far is the sum of
2026-01..06; each past complete year 2023-2025 gives the share of its total reached by June;
expected by now = target x the mean share; ratio = so far / expected; on_track >= 0.95,
at_risk >= 0.5, off_track below, achieved once the target is met; probability = P(the year's
share <= so far / target) under a Student t with n - 1 degrees of freedom around the mean
share, scale sd x sqrt(1 + 1/n). For the share of reports handled (a ratio of two sums, which
does not accumulate) the value so far is compared with the target itself.
usage: check.py CHITIEU ROOT
"""
import csv
import math
import os
import subprocess
import sys

chitieu, root = sys.argv[1], sys.argv[2]
obs = {}
for r in csv.DictReader(open(os.path.join(root, 'data', 'observations.csv'), encoding='utf-8')):
    if r['unit'] == '01' and r['value'] != '' and len(r['period']) == 7:
        obs[(r['metric'], r['period'])] = float(r['value'])


def total(metric, year, last_month=12):
    vals = [obs.get((metric, '%d-%02d' % (year, m))) for m in range(1, last_month + 1)]
    assert all(v is not None for v in vals), (metric, year)
    return sum(vals)


def t_cdf(t, df):
    """Student t distribution function, by Simpson's rule on its density (df >= 1)."""
    c = math.gamma((df + 1) / 2) / (math.sqrt(df * math.pi) * math.gamma(df / 2))
    f = lambda x: c * (1 + x * x / df) ** (-(df + 1) / 2)
    n = 20000   # from 0 to |t|, then by symmetry
    b = abs(t)
    h = b / n
    s = f(0) + f(b) + sum((4 if k % 2 else 2) * f(k * h) for k in range(1, n))
    half = s * h / 3
    return 0.5 + half if t >= 0 else 0.5 - half


COUNTS = {  # indicator: (metric, target)
    'tv_features': ('tv_features', 3), 'residents_informed': ('residents_informed', 5300),
    'est_workers_informed': ('est_workers_informed', 3500),
    'ip_workers_informed': ('ip_workers_informed', 60000),
    'students_reached': ('students_reached', 100000), 'people_trained': ('people_trained', 6000),
    'crime_cases': ('crime_cases', 100), 'crime_cases_tried': ('crime_cases_tried', 100),
}
want = {}
for ind, (metric, target) in COUNTS.items():
    ytd = total(metric, 2026, 6)
    shares = [total(metric, y, 6) / total(metric, y) for y in (2023, 2024, 2025)]
    n = len(shares)
    mean = sum(shares) / n
    sd = math.sqrt(sum((s - mean) ** 2 for s in shares) / (n - 1))
    expected = target * mean
    ratio = ytd / expected
    status = ('achieved' if ytd >= target else 'on_track' if ratio >= 0.95 else
              'at_risk' if ratio >= 0.5 else 'off_track')
    p = t_cdf((ytd / target - mean) / (sd * math.sqrt(1 + 1 / n)), n - 1)
    want[ind] = (ytd, ratio, status, p)
handled, received = total('tips_handled', 2026, 6), total('tips_received', 2026, 6)
v = 100 * handled / received
want['reports_handled_pct'] = (v, v / 100, 'achieved' if v >= 100 else 'on_track' if v >= 95 else
                               'at_risk' if v >= 50 else 'off_track', None)

out = subprocess.run([chitieu, 'assess', 'indicators/ha-noi-2026.yaml', '--data', 'data', '--as-of',
                      '2026S1', '--level', 'province', '--lang', 'en'], cwd=root, capture_output=True,
                     text=True, check=True).stdout
got = {r['indicator']: r for r in csv.DictReader(out.splitlines())}
bad = 0
for ind, (value, ratio, status, p) in want.items():
    r = got.get(ind)
    if r is None:
        print('%s: no row' % ind)
        bad = 1
        continue
    ok = (abs(float(r['latest_value']) - value) <= 1e-4 * max(1, abs(value))
          and abs(float(r['ratio']) - ratio) <= 1e-5 and r['status'] == status
          and r['latest_period'] == '2026S1' and r['target_year'] == '2026')
    if p is not None:
        ok = ok and r['probability'] != '' and abs(float(r['probability']) - p) <= 1e-4
    if not ok:
        print('%s: expected value %g ratio %.6f %s P %s; chitieu: %s %s %s %s %s' % (
            ind, value, ratio, status, p, r['latest_period'], r['latest_value'], r['ratio'],
            r['status'], r['probability']))
        bad = 1
# the three shares of communes are monitored too (not insufficient_data), on the new map
for ind in ('communes_propaganda_pct', 'communes_model_pct', 'communes_integration_pct'):
    r = got.get(ind)
    if r is None or r['status'] not in ('on_track', 'at_risk', 'off_track', 'achieved') or r['geography'] != '2026S1':
        print('%s: not monitored on the year so far on the new map: %s' % (ind, r))
        bad = 1
statuses = sorted(r['status'] for r in got.values())
if len(got) != 12:
    print('expected the 12 targets of the plan, got %d' % len(got))
    bad = 1
print('mid-year review of ha-noi-2026: %s' % ', '.join(statuses) if not bad else 'FAILED')
sys.exit(bad)
