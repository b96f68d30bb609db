#!/usr/bin/python3
"""Independent values for tests/unit/test_model.c (numpy and scipy only):

1. the first-pass binomial fit: the maximum of the binomial log-likelihood (no
   year is 0 or n, so without the half count), found by scipy.optimize (not by
   IRLS), and the inverse Fisher information there;
2. the predictive distribution of a given fit: P(K >= k) and the CDF integrated
   over eta ~ N(eta_hat, v) by adaptive quadrature (scipy.integrate.quad, not
   Gauss-Hermite), for binomial and poisson; the discrete mid-quantile interval.

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
    a = (1 - level) / 2
    lo = next(q for q in range(len(F)) if F[q] >= a)
    hi = next(q for q in range(len(F)) if F[q] >= 1 - a)
    f = lambda q: F[q] - (F[q - 1] if q > 0 else 0)
    l2 = lo + 1 if F[lo] - f(lo) / 2 < a else lo
    h2 = hi - 1 if F[hi] - f(hi) / 2 > 1 - a else hi
    return (l2, h2) if l2 <= h2 else (lo, hi)
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
