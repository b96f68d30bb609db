#!/usr/bin/env python3
"""Checks the log lines of tests/rules/stats.lua (on stdin) against an
independent computation: Python's statistics module, and Student's t
quantiles from published tables (R's qt; df = 1 is tan(pi (p - 1/2)))."""
import math
import statistics as st
import sys

T = {(0.975, 3): 3.182446305284263, (0.975, 10): 2.228138851986274, (0.95, 1): math.tan(math.pi * 0.45),
     (0.025, 3): -3.182446305284263, (0.95, 3): 2.353363434801823}

xs = [12.5, 7, 3.25, 19, 11, 4.5, 30, 8]
med = st.median(xs)
mad = st.median([abs(x - med) for x in xs])
mean, sd = st.mean(xs), st.stdev(xs)
deciles = st.quantiles(xs, n=10, method="inclusive")  # R's type 7
z = {k: (v - mean) / sd for k, v in zip("abcdefgh", xs)}
zr = {k: (v - med) / (1.4826 * mad) for k, v in zip("abcdefgh", xs)}
nd = st.NormalDist()

def fit(x, y):
    slope, icpt = st.linear_regression(x, y)
    sse = sum((b - (icpt + slope * a)) ** 2 for a, b in zip(x, y))
    return slope, icpt, math.sqrt(sse / (len(x) - 2))

lx = list(range(1, 1001))
ly = [3 + 2 * i + ((i * 7919) % 13 - 6) for i in lx]
sx, sy = [2016, 2017, 2018, 2019, 2020], [10, 12, 15, 15, 19]
slope, icpt, sigma = fit(sx, sy)
xbar, sxx = st.mean(sx), sum((a - st.mean(sx)) ** 2 for a in sx)

def predict(x, p):
    v = icpt + slope * x
    half = T[(p, 3)] * sigma * math.sqrt(1 + 1 / 5 + (x - xbar) ** 2 / sxx)
    return [v, v - half, v + half]

want = {
    "mean_big": [0.5], "quantile_big": [0, 1],
    "mean": [mean], "sd": [sd], "median": [med], "quantile": [deciles[0], deciles[8]],
    "mad": [mad, 1.4826 * mad], "zscores": [z["a"], z["b"], z["g"]], "zrobust": [zr["a"], zr["b"], zr["g"]],
    "sd_one": [None],
    "qnorm": [nd.inv_cdf(0.975), nd.inv_cdf(0.05), 0],
    "qt": [T[(0.975, 3)], T[(0.975, 10)], T[(0.95, 1)], T[(0.025, 3)]],
    "trend_long": list(fit(lx, ly)[:2]) + [1000, fit(lx, ly)[2]],
    "trend": [slope, icpt, 5, sigma],
    "predict": predict(2022, 0.975), "predict90": predict(2023, 0.95),
    "predict_two": [5, None, None],
}
got = {}
for line in sys.stdin:
    if ": log: " not in line:
        continue
    name, *vals = line.split(": log: ", 1)[1].split()
    got[name] = [None if v == "nil" else float(v) for v in vals]
fails = 0
for name, w in want.items():
    g = got.get(name)
    ok = g is not None and len(g) == len(w) and all(
        (a is None and b is None) or (a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9))
        for a, b in zip(g, w))
    if not ok:
        print(f"FAIL {name}: expected {w}, got {g}")
        fails += 1
print(f"stats: {len(want) - fails} of {len(want)} helpers agree with the independent computation")
sys.exit(1 if fails else 0)
