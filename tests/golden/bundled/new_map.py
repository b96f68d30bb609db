#!/usr/bin/env python3
"""The bundled data's new map against the official conversion table
(data/vn-units/source/conversion-2025-07-01.csv), read here directly: Hà Nội's 126
communes and the new Cần Thơ's 103 are units of data/units.csv from 2025S2 under their
province, with the table's names; every old commune of Hà Nội, the old Cần Thơ, Sóc Trăng
and Hậu Giang ends at 2025S1 and has one successions.csv link per row of the table, whole
where the table says the whole commune went ("Nhập toàn bộ", "Giữ nguyên") and no other
row names it, a part (without a weight: the table gives none) otherwise.
usage: new_map.py ROOT"""
import collections
import csv
import os
import sys

root = sys.argv[1]
table = [r for r in csv.DictReader(open(os.path.join(root, 'data', 'vn-units', 'source', 'conversion-2025-07-01.csv'),
                                        encoding='utf-8')) if r['new_province_code'] in ('01', '92')]
units = list(csv.DictReader(open(os.path.join(root, 'data', 'units.csv'), encoding='utf-8')))
links = list(csv.DictReader(open(os.path.join(root, 'data', 'successions.csv'), encoding='utf-8')))
bad = []
new = {(u['code']): u for u in units if u['valid_from'] == '2025S2' and u['level'] == 'commune'}
for prov, n in (('01', 126), ('92', 103)):
    want = {r['new_commune_code']: r['new_commune_name'] for r in table if r['new_province_code'] == prov}
    got = {c: u['name'] for c, u in new.items() if u['parent'] == prov}
    if len(want) != n or got != want:
        bad.append(f'{prov}: {len(got)} new communes, the table {len(want)}; differ: {sorted(set(got.items()) ^ set(want.items()))[:3]}')
old = {u['code'] for u in units if u['level'] == 'commune' and u['valid_to'] == '2025S1'}
rows_of = collections.Counter(r['old_commune_code'] for r in table)
want = collections.Counter()
for r in table:
    if r['old_commune_code'] not in old:
        bad.append(f'{r["old_commune_code"]} ({r["old_commune_name"]}) is not an old commune ending at 2025S1')
    whole = r['change'] in ('Nhập toàn bộ', 'Giữ nguyên') and rows_of[r['old_commune_code']] == 1
    want[('2025S2', r['old_commune_code'], r['new_commune_code'], 'whole' if whole else 'part', '')] += 1
got = collections.Counter((l['period'], l['from'], l['to'], l['kind'], l['weight']) for l in links
                          if l['to'] in new and len(l['from']) == 5)
if got != want:
    bad.append(f'links differ from the table: {sorted((got - want).items())[:3]} / {sorted((want - got).items())[:3]}')
for b in bad:
    print(b)
print('the new map is the official table' if not bad else 'FAILED')
sys.exit(1 if bad else 0)
