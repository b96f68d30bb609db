#!/usr/bin/python3
"""Writes a synthetic province (data folder and plan) built to exercise every
rule of the assessment contract: milestones missed and met, a near miss, a
district with nothing to count, a district with nothing left to transform, a
year in which two of five districts reported, monthly media for an as-of
inside a year. Seeded: the same files every run.

usage: make_province.py OUTDIR
"""
import os
import random
import sys

out = sys.argv[1]
os.makedirs(os.path.join(out, 'data'), exist_ok=True)
rnd = random.Random(20261130)

YEARS = range(2015, 2022)          # 2015 baseline .. 2021
PROV = '99'
DISTRICTS = ['991', '992', '993', '994', '995']
units = ['code,name,level,parent,high_risk', f'{PROV},Tỉnh Thử,province,,0']
communes = {}
for i, d in enumerate(DISTRICTS):
    units.append(f'{d},Huyện {i + 1},district,{PROV},0')
    communes[d] = []
    for j in range(6):
        c = f'{d}{j:02d}'
        # 994 has no high-risk commune: a share among high-risk ones is not applicable
        hr = 0 if d == '994' else (1 if j < 4 else 0)
        units.append(f'{c},Xã {i + 1}.{j + 1},commune,{d},{hr}')
        communes[d].append(c)

obs = ['unit,period,metric,value']
# is_clean: district 991 climbs fast, 992 climbs slowly (near miss), 993 falls,
# 995 is clean from the start (nothing left to transform); 994 noisy
clean_start = {'991': 1, '992': 2, '993': 3, '994': 2, '995': 6}
for d in DISTRICTS:
    state = [1 if j < clean_start[d] else 0 for j in range(6)]
    for y in YEARS:
        if y > 2015:
            for j in range(6):
                if d == '991' and state[j] == 0 and rnd.random() < 0.55: state[j] = 1
                elif d == '992' and state[j] == 0 and rnd.random() < 0.2: state[j] = 1
                elif d == '993' and state[j] == 1 and rnd.random() < 0.3: state[j] = 0
                elif d == '994' and rnd.random() < 0.25: state[j] = 1 - state[j]
        for j, c in enumerate(communes[d]):
            # one commune of 994 never reports in 2018
            if d == '994' and j == 0 and y == 2018:
                continue
            obs.append(f'{c},{y},is_clean,{state[j]}')
# staff at district level; in 2019 only two of five districts reported
for k, d in enumerate(DISTRICTS):
    total = 20 + 4 * k
    for y in YEARS:
        if y == 2019 and d not in ('991', '992'):
            continue
        trained = min(total, int(total * (0.4 + 0.07 * (y - 2015) + 0.02 * k)) + rnd.randint(0, 2))
        obs.append(f'{d},{y},staff_trained,{trained}')
        obs.append(f'{d},{y},staff_total,{total}')
# cases (a count at commune level, to be cut by 30%)
for d in DISTRICTS:
    for c in communes[d]:
        base = rnd.randint(3, 9)
        for y in YEARS:
            v = max(0, base - (y - 2015) * rnd.choice([0, 1, 1, 2]) // 2)
            obs.append(f'{c},{y},cases,{v}')
# monthly media posts of the province, through 2021-06
for y in YEARS:
    for m in range(1, 13):
        if y == 2021 and m > 6:
            break
        v = 0 if (y in (2016, 2019) and m in (3, 8)) else rnd.randint(1, 4)
        obs.append(f'{PROV},{y}-{m:02d},media_posts,{v}')

open(os.path.join(out, 'data', 'units.csv'), 'w').write('\n'.join(units) + '\n')
open(os.path.join(out, 'data', 'observations.csv'), 'w').write('\n'.join(obs) + '\n')

PLAN = """plan:
  id: test-province
  title: "Kế hoạch thử: mọi quy tắc đánh giá"
  region: "99"
  baseline: 2015
  horizon: 2023

metrics:
  is_clean:      {level: commune, type: boolean, over_time: last}
  staff_trained: {level: district, type: count, over_time: last}
  staff_total:   {level: district, type: count, over_time: last}
  cases:         {level: commune, type: count, over_time: sum}
  media_posts:   {level: province, type: count, over_time: sum}

indicators:
  - id: clean_pct
    title: "Tỷ lệ xã trọng điểm không có tệ nạn"
    kind: share_of_units
    of: commune
    condition: "is_clean == 1"
    among: "high_risk == 1"
    direction: increase
    targets:
      - {year: 2017, value: 60}
      - {year: 2020, min: 75, max: 90}
      - {year: 2023, value: 95}
  - id: clean_count
    title: "Số xã không có tệ nạn"
    kind: count_of_units
    of: commune
    condition: "is_clean == 1"
    direction: increase
    targets:
      - {year: 2022, value: 20}
  - id: transformed_pct
    title: "Tỷ lệ xã được chuyển hóa mỗi năm"
    kind: transition_rate
    of: commune
    from: "is_clean == 0"
    to: "is_clean == 1"
    direction: increase
    targets:
      - {from: 2016, to: 2020, min: 7, max: 10, each_period: true}
      - {year: 2021, value: 20}
  - id: staff_trained_pct
    title: "Tỷ lệ cán bộ được tập huấn"
    kind: ratio
    numerator: staff_trained
    denominator: staff_total
    direction: increase
    targets:
      - {year: 2018, value: 70}
      - {year: 2023, min: 90, max: 95}
  - id: cases_total
    title: "Số vụ việc"
    kind: sum
    metric: cases
    direction: decrease
    targets:
      - {year: 2020, change: -30%}
      - {year: 2023, change: -60%}
  - id: media_monthly_pct
    title: "Tỷ lệ tháng có tin bài"
    kind: frequency
    metric: media_posts
    per: month
    direction: increase
    targets:
      - {from: 2016, to: 2022, value: 100, each_period: true}
"""
open(os.path.join(out, 'plan.yaml'), 'w').write(PLAN)
