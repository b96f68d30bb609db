#!/usr/bin/python3
"""Independent values for tests/unit/test_model.c (numpy and scipy only):

1. the first-pass binomial fit: the maximum of the binomial log-likelihood (no
   year is 0 or n, so without the half count), found by scipy.optimize (not by
   IRLS), and the inverse Fisher information there;
2. the predictive distribution of a given fit: P(K >= k) and the CDF integrated
   over eta ~ N(eta_hat, v) by adaptive quadrature (scipy.integrate.quad, not
   Gauss-Hermite), for binomial and poisson; the discrete mid-quantile interval.

3. the peers' slope prior of a hierarchical binomial GLM: each unit's
   profile likelihood of its slope (its intercept maximised by scipy's
   scalar optimiser), the slope integrated against N(mu, tau2) by adaptive
   quadrature, mu integrated under a flat prior for the restricted
   likelihood of tau2 (maximised by a bounded scalar search), and mu's
   posterior mean and variance at that tau2.

Run: /usr/bin/python3 tests/unit/model_reference.py (prints the numbers the test uses).
"""
import numpy as np
from scipy import optimize, integrate, stats

def expit(x):
    return 1 / (1 + np.exp(-x))

# 1. k = 5, 7, 8 of 10 in 2015-2017
t = np.array([2015., 2016., 2017.]); k = np.array([5., 7., 8.]); n = np.array([10., 10., 10.])
# no year is 0 or n, so no half count is added: the plain maximum likelihood
m = len(t); kk = k.copy(); nn = n.copy(); x = t - t.mean()
def nll(b):
    eta = b[0] + b[1] * x
    return -np.sum(kk * eta - nn * np.log1p(np.exp(eta)))
res = optimize.minimize(nll, [0, 0], method='BFGS', options={'gtol': 1e-12})
# polished on the score equations (the gradient), solved by a root finder
score = lambda b: [np.sum(kk - nn * expit(b[0] + b[1] * x)), np.sum((kk - nn * expit(b[0] + b[1] * x)) * x)]
b0, b1 = optimize.root(score, res.x, tol=1e-14).x
p = expit(b0 + b1 * x); w = nn * p * (1 - p)
info = np.array([[w.sum(), (w * x).sum()], [(w * x).sum(), (w * x * x).sum()]])
cov = np.linalg.inv(info)
print('fit: b0 %.10f b1 %.10f c00 %.10f c01 %.10f c11 %.10f' % (b0, b1, cov[0, 0], cov[0, 1], cov[1, 1]))

# 2. a binomial predictive: eta ~ N(1.2, 0.3), N = 20
def mix(f, eta, v):
    sd = np.sqrt(v)
    g = lambda e: f(e) * stats.norm.pdf(e, eta, sd)
    return integrate.quad(g, eta - 12 * sd, eta + 12 * sd, epsabs=1e-13, epsrel=1e-12, limit=200)[0]
eta, v, N = 1.2, 0.3, 20
cdf = lambda kq: mix(lambda e: stats.binom.cdf(kq, N, expit(e)), eta, v)
print('binomial: P(>=70%%) %.10f P(>=90%%) %.10f P(<=50%%) %.10f' %
      (1 - cdf(13), 1 - cdf(17), cdf(10)))
F = [cdf(q) for q in range(N + 1)]
def mid_interval(F, level):
    # the quantiles' interval, or it without one end or both, whichever
    # holds a probability closest to the level (the wider on a tie)
    a = (1 - level) / 2
    lo = next(q for q in range(len(F)) if F[q] >= a)
    hi = next(q for q in range(len(F)) if F[q] >= 1 - a)
    mass = lambda l, h: F[h] - (F[l - 1] if l > 0 else 0)
    best = (lo, hi)
    for l, h in ((lo + 1, hi), (lo, hi - 1), (lo + 1, hi - 1)):
        if l < h and abs(mass(l, h) - level) < abs(mass(*best) - level) - 1e-12:
            best = (l, h)
    return best
lo, hi = mid_interval(F, 0.95)
print('binomial: interval 95%% %g-%g (of %d); median k %d' % (100 * lo / N, 100 * hi / N, N,
      next(q for q in range(N + 1) if F[q] >= 0.5)))

# 3. a poisson predictive: eta ~ N(log 12, 0.05)
eta, v = np.log(12), 0.05
cdfp = lambda kq: mix(lambda e: stats.poisson.cdf(kq, np.exp(e)), eta, v)
print('poisson: P(>=15) %.10f P(<=8) %.10f' % (1 - cdfp(14), cdfp(8)))
Fp = [cdfp(q) for q in range(80)]
lo, hi = mid_interval(Fp, 0.95)
print('poisson: interval 95%% %d-%d' % (lo, hi))

# 4. the slope prior: twelve districts of 30 communes (k of 30, 2015-2019),
# two of them 30 of 30 every year (a likelihood flat in the slope: nothing)
series = [[19, 17, 15, 13, 11], [10, 14, 19, 23, 25], [6, 9, 11, 14, 17], [22, 22, 22, 22, 22], [2, 4, 8, 14, 19], [19, 18, 16, 15, 14], [16, 21, 25, 27, 28], [10, 11, 13, 14, 16], [20, 20, 21, 21, 21], [9, 12, 15, 18, 21], [30, 30, 30, 30, 30], [30, 30, 30, 30, 30]]
N4 = 30
x = np.arange(5.) - 2
def profile(k, b):
    k = np.array(k, float)
    nll = lambda a: -np.sum(k * (a + b * x) - N4 * np.logaddexp(0, a + b * x))
    return -optimize.minimize_scalar(nll, bounds=(-40, 40), method='bounded', options={'xatol': 1e-10}).fun
units = [k for k in series if 0 < sum(k) < 5 * N4]
# each profile on a fine grid of slopes (0.01 apart, to +-6), then a cubic spline
from scipy.interpolate import CubicSpline
fine = np.linspace(-6, 6, 1201)
splines = [CubicSpline(fine, [profile(k, b) for b in fine]) for k in units]
def marg(i, mu, tau2):
    if tau2 == 0:
        return float(splines[i](mu))
    sd = np.sqrt(tau2)
    lo, hi = max(mu - 8 * sd, -6), min(mu + 8 * sd, 6)
    g = lambda b: np.exp(float(splines[i](b))) * stats.norm.pdf(b, mu, sd)
    return np.log(integrate.quad(g, lo, hi, epsabs=1e-14, limit=100)[0])
mus = np.linspace(-2, 2, 101)
def post(tau2):
    ll = np.array([sum(marg(i, m, tau2) for i in range(len(units))) for m in mus])
    w = np.exp(ll - ll.max()); d = mus[1] - mus[0]
    r = ll.max() + np.log(w.sum() * d)
    m = (w * mus).sum() / w.sum(); v = (w * mus ** 2).sum() / w.sum() - m * m
    return r, m, v
res = optimize.minimize_scalar(lambda lt: -post(np.exp(lt))[0], bounds=(np.log(1e-4), np.log(0.2)), method='bounded',
                               options={'xatol': 1e-3})
tau2 = np.exp(res.x); r, m, v = post(tau2)
print('slope prior: %d units with information; tau2 %.4f mean %.4f variance %.4f' % (len(units), tau2, m, tau2 + v))
print('profile of the first district at slope 0.5: %.8f' % profile(series[0], 0.5))
