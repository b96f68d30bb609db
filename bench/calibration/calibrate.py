#!/usr/bin/python3
"""Calibration of chitieu's trend models, end to end through `chitieu assess`.

For each scenario a seeded simulator writes data folders (units.csv,
observations.csv, plan.yaml): a province of D districts, each district one
independent series of the scenario's process, observed over the first years
and withheld after the as-of year. `chitieu assess --as-of` projects each
district to the target year; the value the simulator drew for that year is
the outcome. Per scenario and model the runner prints

  coverage  share of rows whose realised value lies in [lower, upper]
  zero      bands of zero width; P01 probabilities exactly 0 or 1, and of
            those, how many were wrong
  reliab.   the rows by deciles of `probability`: count, mean predicted,
            observed frequency of meeting the target, and the largest gap
  Brier     of `probability`, and of the UNSD status read as a forecast
            (on_track 1, at_risk 0.5, off_track and deteriorating 0)

and, with --backtest, the same on the bundled data at several as-of years
(the realised values from `chitieu compute`).

usage: bench/calibration/calibrate.py CHITIEU [--scenarios a,b,...] [--seeds N]
       [--models ols,calibrated] [--backtest ROOT] [--quick]
Standard library and numpy only; run with /usr/bin/python3.
"""
import argparse, csv, io, math, os, subprocess, sys, tempfile
import numpy as np

FIRST, ASOF = 2015, 2019          # observed years FIRST..ASOF


def expit(x):
    return 1 / (1 + np.exp(-x))


# ---- scenarios: each returns per district a dict year -> (k, n) or count ------------

def draw_trend(rng, D):
    """District trends on the logit scale: a start spread over 15-90%, slopes of
    -0.1 to +0.6 a year, so that the target's probability spreads over 0-1."""
    a = rng.uniform(-1.7, 2.2, D)
    b = rng.uniform(-0.1, 0.6, D)
    return a, b


def share(N, *, od=None, ar=None, slowing=False, sigma=0.0, accel=False):
    def gen(rng, D, years):
        a, b = draw_trend(rng, D)
        eps = np.zeros(D)
        out = []
        for j, y in enumerate(years):
            t = y - FIRST
            if slowing:
                # gains that halve every two years: the slope decays as 0.707^t
                lin = a + b * (1 - 0.707 ** t) / (1 - 0.707)
            elif accel:
                # gains that grow by a sixth a year (a programme that gathers pace)
                lin = a + 0.5 * b * (1.167 ** t - 1) / 0.167
            else:
                lin = a + b * t
            if ar is not None:
                z = rng.normal(0, 1, D)
                eps = ar * eps + math.sqrt(1 - ar * ar) * z * sigma if j else z * sigma
            elif sigma:
                eps = rng.normal(0, sigma, D)
            p = expit(lin + eps)
            if od:
                # beta-binomial with intra-class correlation od
                s = (1 - od) / od
                p = rng.beta(np.maximum(p * s, 1e-6), np.maximum((1 - p) * s, 1e-6))
            k = rng.binomial(N, p)
            out.append(k)
        return np.array(out), N
    return gen


def counts(mean0, *, size=None):
    def gen(rng, D, years):
        a = np.log(rng.uniform(mean0 / 3, mean0 * 3, D))
        b = rng.uniform(-0.15, 0.25, D)
        out = []
        for y in years:
            mu = np.exp(a + b * (y - FIRST))
            if size:
                mu = rng.gamma(size, mu / size)
            out.append(rng.poisson(mu))
        return np.array(out), None
    # targets around the counts' own size (15, 30, 60 for a mean of 20)
    gen.targets = [max(1, round(v * mean0 / 20)) for v in (15, 30, 60)] if mean0 != 40 else [15, 30, 60]
    return gen


SCENARIOS = {
    # name: (generator, kind, target years after ASOF, D districts)
    'share_2': (share(2), 'share', 2, 400),
    'share_5': (share(5), 'share', 2, 400),
    'share_10': (share(10), 'share', 2, 400),
    'share_30': (share(30), 'share', 2, 300),
    'share_200': (share(200), 'share', 2, 150),
    'share_30_noise': (share(30, sigma=0.3), 'share', 2, 300),
    'betabinomial_30': (share(30, od=0.05), 'share', 2, 300),
    'poisson': (counts(20), 'count', 2, 400),
    'negbin': (counts(40, size=8), 'count', 2, 400),
    'ar1_0.5': (share(100, ar=0.5, sigma=0.3), 'share', 2, 200),
    'ar1_0.7': (share(100, ar=0.7, sigma=0.3), 'share', 2, 200),
    'slowing_5y': (share(100, slowing=True, sigma=0.15), 'share', 5, 200),
    # checks beyond the scenarios the model was developed on: other unit
    # counts, a small count, a trend that speeds up, persistence at a
    # third size
    'share_3': (share(3), 'share', 2, 400),
    'share_7': (share(7), 'share', 2, 400),
    'share_15': (share(15), 'share', 2, 300),
    'share_50': (share(50), 'share', 2, 200),
    'poisson_5': (counts(5), 'count', 2, 400),
    'accelerating_3y': (share(50, accel=True, sigma=0.1), 'share', 3, 200),
    'ar1_0.5_share_20': (share(20, ar=0.5, sigma=0.3), 'share', 2, 300),
    # units with fewer than three peers (a plan of two districts): no slope
    # prior to borrow, the model's default one instead; LONE_FOLDERS plans a seed
    'share_2_lone': (share(2), 'share', 2, 2),
    'share_10_lone': (share(10), 'share', 2, 2),
    'poisson_5_lone': (counts(5), 'count', 2, 2),
    'slowing_5y_lone': (share(100, slowing=True, sigma=0.15), 'share', 5, 2),
}
LONE_FOLDERS = 12
INDEPENDENT = {'share_2', 'share_5', 'share_10', 'share_30', 'share_200', 'share_30_noise', 'betabinomial_30',
               'poisson', 'negbin', 'slowing_5y', 'share_3', 'share_7', 'share_15', 'share_50', 'poisson_5',
               'accelerating_3y', 'share_2_lone', 'share_10_lone', 'poisson_5_lone', 'slowing_5y_lone'}


def share_targets(n_years_ahead):
    return [50, 75, 90]


def write_folder(d, name, gen, kind, ahead, D, seed):
    rng = np.random.default_rng(seed)
    years = list(range(FIRST, ASOF + 1 + ahead))
    vals, N = gen(rng, D, years)
    tyear = ASOF + ahead
    os.makedirs(os.path.join(d, 'data'), exist_ok=True)
    units = ['code,name,level,parent', '01,Tỉnh,province,']
    obs = ['unit,period,metric,value']
    truth = {}
    for i in range(D):
        dc = '%03d' % (i + 1)
        units.append('%s,Huyện %d,district,01' % (dc, i + 1))
        if kind == 'share':
            for c in range(N):
                units.append('%s%03d,Xã %d-%d,commune,%s' % (dc, c + 1, i + 1, c + 1, dc))
            for j, y in enumerate(years):
                k = int(vals[j][i])
                # which communes are clean does not matter to the share: the first k
                for c in range(N):
                    obs.append('%s%03d,%d,clean,%d' % (dc, c + 1, y, 1 if c < k else 0))
            truth[dc] = 100.0 * vals[years.index(tyear)][i] / N
        else:
            for j, y in enumerate(years):
                obs.append('%s,%d,cases,%d' % (dc, y, int(vals[j][i])))
            truth[dc] = float(vals[years.index(tyear)][i])
    with open(os.path.join(d, 'data', 'units.csv'), 'w') as f:
        f.write('\n'.join(units) + '\n')
    with open(os.path.join(d, 'data', 'observations.csv'), 'w') as f:
        f.write('\n'.join(obs) + '\n')
    if kind == 'share':
        metrics = '  clean: {level: commune, type: boolean, over_time: last}\n'
        ind = ('  - id: clean_pct\n    kind: share_of_units\n    of: commune\n    condition: "clean == 1"\n'
               '    direction: increase\n    targets:\n' +
               ''.join('      - {year: %d, value: %d}\n' % (tyear, v) for v in share_targets(ahead)))
    else:
        metrics = '  cases: {level: district, type: count, over_time: sum}\n'
        ind = ('  - id: cases_total\n    kind: sum\n    metric: cases\n    direction: increase\n    targets:\n' +
               ''.join('      - {year: %d, value: %d}\n' % (tyear, v) for v in getattr(gen, 'targets', (15, 30, 60))))
    with open(os.path.join(d, 'plan.yaml'), 'w') as f:
        f.write('plan:\n  id: sim\n  title: "Mô phỏng"\n  region: "01"\n  baseline: %d\n  horizon: %d\n\n'
                'metrics:\n%s\nindicators:\n%s' % (FIRST, tyear, metrics, ind))
    return truth


def run_assess(binary, d, model, asof, extra=()):
    cmd = [binary, 'assess', os.path.join(d, 'plan.yaml'), '--data', os.path.join(d, 'data'), '--as-of', str(asof),
           '--model', model, '--level', 'district', '--lang', 'en'] + list(extra)
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return list(csv.DictReader(io.StringIO(out)))


def fnum(s):
    return float(s) if s not in ('', None) else None


STATUS_P = {'on_track': 1.0, 'achieved': 1.0, 'at_risk': 0.5, 'off_track': 0.0, 'deteriorating': 0.0}


class Tally:
    def __init__(self):
        self.cov_n = self.cov_in = self.zero = 0
        self.p, self.o, self.s = [], [], []
        self.p01 = self.p01_wrong = 0

    def add_band(self, lo, hi, v):
        if lo is None or hi is None:
            return
        self.cov_n += 1
        # the bands are printed to 6 decimals: 66.666667 for 2 of 3 communes
        tol = 1e-6 * max(1.0, abs(v))
        self.cov_in += lo - tol <= v <= hi + tol
        self.zero += hi - lo < 1e-12

    def add_prob(self, p, met, status):
        if p is None:
            return
        self.p.append(p)
        self.o.append(1.0 if met else 0.0)
        self.s.append(STATUS_P.get(status))
        if p in (0.0, 1.0):
            self.p01 += 1
            self.p01_wrong += (p == 1.0) != met

    def report(self):
        lines = []
        cov = self.cov_in / self.cov_n if self.cov_n else float('nan')
        lines.append('  coverage %.3f of %d bands; zero-width %d; P exactly 0/1: %d (%d wrong)'
                     % (cov, self.cov_n, self.zero, self.p01, self.p01_wrong))
        p, o = np.array(self.p), np.array(self.o)
        worst = 0.0
        self.beyond = 0
        dec = []
        for i in range(10):
            m = (p >= i / 10) & ((p < (i + 1) / 10) if i < 9 else (p <= 1))
            if m.sum() == 0:
                dec.append('  %d-%d%%: -' % (10 * i, 10 * i + 10))
                continue
            n, mp, mo = int(m.sum()), p[m].mean(), o[m].mean()
            # a decile's gap counts only when it has enough rows to measure it
            # (100 rows: a sampling error of at most 0.05)
            if n >= 100:
                worst = max(worst, abs(mp - mo))
            # the observed frequency of n rows has a binomial standard error
            # sqrt(p (1 - p) / n): a decile misses the goal of 0.07 when its gap
            # exceeds 0.07 by more than two of them (a one-sided test of "the
            # true gap is at most 0.07" at about 2%); the rows of a unit's three
            # targets are correlated, so the true error is somewhat larger and
            # this test errs towards declaring a miss
            se = math.sqrt(max(mp * (1 - mp), 1e-6) / n)
            miss = abs(mp - mo) > 0.07 + 2 * se
            self.beyond += miss
            dec.append('  %d-%d%%: n=%d p=%.3f obs=%.3f se=%.3f%s'
                       % (10 * i, 10 * i + 10, n, mp, mo, se, '  beyond 0.07 + 2 se' if miss else ''))
        lines.append('  reliability (decile: rows, mean P, observed):')
        lines += ['   ' + x for x in dec]
        lines.append('  largest decile gap (deciles of >= 100 rows): %.3f; deciles beyond 0.07 + 2 se: %d'
                     % (worst, self.beyond))
        self.brier = self.brier_status = float('nan')
        if len(p):
            s = np.array([x if x is not None else 0.5 for x in self.s])
            self.brier, self.brier_status = np.mean((p - o) ** 2), np.mean((s - o) ** 2)
            lines.append('  Brier: probability %.4f, UNSD status %.4f (%d rows)'
                         % (self.brier, self.brier_status, len(p)))
        return lines, cov, worst

    def summary(self, cov, worst):
        return ['%.3f' % cov, '%.3f' % worst, '%d' % self.beyond, '%.4f' % self.brier, '%d' % self.zero,
                '%d/%d' % (self.p01_wrong, self.p01)]


def scenario(binary, name, seeds, models, quick):
    gen, kind, ahead, D = SCENARIOS[name]
    if quick and D >= 3:
        D = max(50, D // 4)
    tallies = {m: Tally() for m in models}
    folders = LONE_FOLDERS if D < 3 else 1
    for seed in range(seeds * folders):
        with tempfile.TemporaryDirectory() as d:
            truth = write_folder(d, name, gen, kind, ahead, D, 1000 * seed + sum(map(ord, name)))
            for m in models:
                seen = set()
                for r in run_assess(binary, d, m, ASOF):
                    v = truth.get(r['unit'])
                    if v is None:
                        continue
                    if r['unit'] not in seen:
                        seen.add(r['unit'])
                        tallies[m].add_band(fnum(r['lower']), fnum(r['upper']), v)
                    tallies[m].add_prob(fnum(r['probability']), v >= float(r['target']) - 1e-6, r['status'])
    return tallies


def backtest(binary, root, models):
    """The bundled plans as of 2017, 2018, 2019 and 2023: each target ahead of the as-of
    year whose year has data, against the value `compute` gives for it (same geography)."""
    plans = sorted(os.path.join(root, 'indicators', f) for f in os.listdir(os.path.join(root, 'indicators'))
                   if f.endswith('.yaml'))
    data = os.path.join(root, 'data')
    # each indicator's direction, from the plans' text (an indicator's keys
    # follow its `- id:` line)
    decreasing = set()
    for p in plans:
        pid, ind = None, None
        for line in open(p, encoding='utf-8'):
            st = line.strip()
            if st.startswith('id:') and pid is None:
                pid = st.split(':', 1)[1].strip().strip('"')
            elif st.startswith('- id:'):
                ind = st.split(':', 1)[1].strip().strip('"')
            elif st.startswith('direction:') and 'decrease' in st and ind:
                decreasing.add((pid, ind))
    tallies = {m: Tally() for m in models}
    for asof in (2017, 2018, 2019, 2023):
        comp = subprocess.run([binary, 'compute'] + plans + ['--data', data, '--periods', 'year',
                              '--geography', '%dS2' % asof], check=True, capture_output=True, text=True).stdout
        real = {(r['plan'], r['indicator'], r['unit'], r['period']): fnum(r['value'])
                for r in csv.DictReader(io.StringIO(comp))}
        for m in models:
            out = subprocess.run([binary, 'assess'] + plans + ['--data', data, '--as-of', str(asof), '--model', m,
                                 '--lang', 'en'], check=True, capture_output=True, text=True).stdout
            seen = set()
            for r in csv.DictReader(io.StringIO(out)):
                v = real.get((r['plan'], r['indicator'], r['unit'], r['target_year']))
                if v is None or int(r['target_year']) <= asof:
                    continue
                key = (r['plan'], r['indicator'], r['unit'], r['target_year'])
                if key not in seen:
                    seen.add(key)
                    tallies[m].add_band(fnum(r['lower']), fnum(r['upper']), v)
                t = fnum(r['target'])
                if t is not None:
                    if (r['plan'], r['indicator']) in decreasing:
                        met = v <= t + 1e-9
                    else:
                        met = v >= t - 1e-9
                    tallies[m].add_prob(fnum(r['probability']), met, r['status'])
    return tallies


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('binary')
    ap.add_argument('--scenarios', default=','.join(SCENARIOS))
    ap.add_argument('--seeds', type=int, default=8)
    ap.add_argument('--models', default='ols,calibrated')
    ap.add_argument('--backtest', metavar='ROOT')
    ap.add_argument('--quick', action='store_true', help='a quarter of the districts')
    a = ap.parse_args()
    models = a.models.split(',')
    summary = []

    def record(title, name, t):
        print('== %s' % title)
        row = [name]
        for m in models:
            lines, cov, worst = t[m].report()
            print(' model %s' % m)
            print('\n'.join(lines))
            row += t[m].summary(cov, worst)
        row.append('%.4f' % t[models[0]].brier_status)
        summary.append(row)
        sys.stdout.flush()

    for name in [s for s in a.scenarios.split(',') if s]:
        record(name, name, scenario(a.binary, name, a.seeds, models, a.quick))
    if a.backtest:
        record('backtest (bundled data, as of 2017, 2018, 2019, 2023)', 'backtest',
               backtest(a.binary, a.backtest, models))
    cols = ['coverage', 'worst decile gap', 'deciles beyond 0.07 + 2 se', 'Brier', 'zero-width bands', 'P of 0/1 wrong/all']
    print('\n| scenario | ' + ' | '.join('%s %s' % (m, c) for m in models for c in cols) + ' | Brier of the UNSD status |')
    print('| --- |' + ' --- |' * (len(cols) * len(models) + 1))
    for r in summary:
        print('| %s | ' % r[0] + ' | '.join(r[1:]) + ' |')


if __name__ == '__main__':
    main()
