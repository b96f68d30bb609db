#!/usr/bin/python3
"""A unit with no peers to borrow a slope from: Hậu Giang, the one province of its
plan, posted on its media in every quarter but one of 2021-2025 (4, 4, 3, 4 of 4, then
2 of the 2 quarters it lived in 2025). Its 2030 forecast must not split between 0 and
100 %: a series that never fell below 75 % is not 'likely' (probability 0.8) to fall to
0, and its chance of all four quarters in 2030 lies between what one missed quarter in
18 gives a stationary series (about 0.8) and a coin (0.5).
usage: lone_unit.py CHITIEU ROOT"""
import csv, io, os, subprocess, sys

chitieu, root = sys.argv[1:3]
out = subprocess.run([chitieu, 'propose', os.path.join(root, 'indicators', 'hau-giang-2021-2025.yaml'), '--data',
                      os.path.join(root, 'data'), '--to', '2030', '--level', 'province', '--lang', 'en'],
                     check=True, capture_output=True, text=True).stdout
rows = {r['scenario']: r for r in csv.DictReader(io.StringIO(out))
        if r['indicator'] == 'media_province_quarterly_pct' and r['unit'] == '93'}
fail = 0
if not rows:
    print('no media_province_quarterly_pct rows for 93'); sys.exit(1)
likely = float(rows['likely']['value'])
if not likely >= 50:
    print('likely 2030 value %g: the forecast puts a fifth of its mass below 50%%' % likely); fail = 1
p = float(rows['maintain']['probability'])
if not 0.5 <= p <= 0.85:
    print('P(100%% in 2030) = %g, outside [0.5, 0.85]' % p); fail = 1
print('likely %g, P(maintain 100) %g' % (likely, p))
sys.exit(fail)
