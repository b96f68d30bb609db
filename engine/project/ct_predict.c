#include "ct_predict.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_integration.h>
#include <limits.h>
#include <math.h>

/* Gauss-Hermite nodes and weights (weight exp(-x^2)), normalised so that
 * sum w_j f(eta + sqrt(2 var) x_j) is E f(eta + sqrt(var) Z). 20 nodes
 * reach 6.4 standard deviations; the outer ones, of weight below 1e-12,
 * are left out (gh_lo..gh_hi). */
enum { GH_N = 20 };
static int gh_lo, gh_hi;
static double gh_x[GH_N], gh_w[GH_N];
static int gh_ready;

/* Probabilities the model will not claim beyond (see the header). */
static const double P_EDGE = 1e-4;

void ct_predict_init(void)
{
    ct_model_init();
    if (gh_ready) return;
    gsl_integration_fixed_workspace *ws = gsl_integration_fixed_alloc(gsl_integration_fixed_hermite, GH_N, 0, 1, 0, 0);
    if (!ws) return;
    const double *x = gsl_integration_fixed_nodes(ws), *w = gsl_integration_fixed_weights(ws);
    double sum = 0;
    for (int j = 0; j < GH_N; j++) sum += w[j];
    for (int j = 0; j < GH_N; j++) {
        gh_x[j] = x[j];
        gh_w[j] = w[j] / sum;
    }
    gsl_integration_fixed_free(ws);
    gh_lo = 0;
    while (gh_lo < GH_N / 2 && gh_w[gh_lo] < 1e-12) gh_lo++;
    gh_hi = GH_N - gh_lo;
    gh_ready = 1;
}

static double expit(double x) { return 1.0 / (1.0 + exp(-x)); }

void ct_predict_at(const ct_model_fit *fit, double t, ct_predictive *pd)
{
    pd->ok = fit->ok;
    pd->family = fit->family;
    pd->lo_bound = fit->lo_bound;
    pd->hi_bound = fit->hi_bound;
    pd->df = fit->df_pred;
    pd->logit = fit->logit;
    pd->size = 1;
    pd->per_k = 1;
    if (fit->family == CT_FAM_BINOMIAL) {
        double n = floor(fit->size_last + 0.5);
        pd->size = n < 1 ? 1 : n > 1e9 ? 1e9 : n;
        pd->per_k = fit->as_count ? 1 : 100.0 / pd->size;
    }
    double eta, v;
    ct_model_line(fit, t, &eta, &v);
    pd->eta = eta;
    double h = t - fit->t_last;
    pd->var = v + fit->sigma2 + (h > 0 ? fit->kappa2 * h * h : 0);
    if (!isfinite(pd->eta) || !isfinite(pd->var)) pd->ok = 0;
}

double ct_predict_center(const ct_predictive *pd)
{
    if (!pd->ok) return NAN;
    double v;
    switch (pd->family) {
    case CT_FAM_BINOMIAL: return pd->per_k * pd->size * expit(pd->eta);
    case CT_FAM_POISSON: return exp(pd->eta);
    default:
        if (pd->logit) return 100.0 * expit(pd->eta);
        v = pd->eta;
        if (isfinite(pd->lo_bound) && v < pd->lo_bound) v = pd->lo_bound;
        if (isfinite(pd->hi_bound) && v > pd->hi_bound) v = pd->hi_bound;
        return v;
    }
}

/* ---- the discrete families: the CDF of K and its support --------------------- */

static double cdf_k(const ct_predictive *pd, double k)
{
    if (k < 0) return 0;
    double sd = sqrt(2 * pd->var), f = 0;
    unsigned kk = k > (double)UINT_MAX ? UINT_MAX : (unsigned)k;
    for (int j = gh_lo; j < gh_hi; j++) {
        double e = pd->eta + sd * gh_x[j];
        if (pd->family == CT_FAM_BINOMIAL)
            f += gh_w[j] * gsl_cdf_binomial_P(kk, expit(e), (unsigned)pd->size);
        else
            f += gh_w[j] * gsl_cdf_poisson_P(kk, exp(e < 700 ? e : 700));
    }
    return f > 1 ? 1 : f;
}

/* The largest K the distribution can take (poisson: where the CDF has
 * reached 1 to double precision, or the largest unsigned). */
static double k_max(const ct_predictive *pd)
{
    if (pd->family == CT_FAM_BINOMIAL) return pd->size;
    double hi = 1;
    while (hi < (double)UINT_MAX / 2 && cdf_k(pd, hi) < 1 - 1e-15) hi *= 2;
    return hi;
}

/* A bracket of K's likely values: the mean and variance of the mixture
 * (from the nodes, without distribution functions), +-9 standard
 * deviations; the search checks it and widens it when it misses. */
static void k_bracket(const ct_predictive *pd, double *lo, double *hi)
{
    double sd = sqrt(2 * pd->var), m1 = 0, m2 = 0, within = 0;
    for (int j = gh_lo; j < gh_hi; j++) {
        double e = pd->eta + sd * gh_x[j], mean, var;
        if (pd->family == CT_FAM_BINOMIAL) {
            double p = expit(e);
            mean = pd->size * p;
            var = mean * (1 - p);
        } else {
            mean = exp(e < 700 ? e : 700);
            var = mean;
        }
        m1 += gh_w[j] * mean;
        m2 += gh_w[j] * mean * mean;
        within += gh_w[j] * var;
    }
    double s = sqrt(within + (m2 - m1 * m1 > 0 ? m2 - m1 * m1 : 0)) + 1;
    *lo = floor(m1 - 9 * s);
    *hi = ceil(m1 + 9 * s);
}

/* The smallest K with CDF(K) >= p (or > p when strict). */
static double k_quantile(const ct_predictive *pd, double p, int strict)
{
    double top = pd->family == CT_FAM_BINOMIAL ? pd->size : -1, lo, hi;
    k_bracket(pd, &lo, &hi);
    if (lo < 0) lo = 0;
    if (top >= 0 && hi > top) hi = top;
#define MEETS(k) (strict ? cdf_k(pd, (k)) > p : cdf_k(pd, (k)) >= p)
    if (lo > 0 && MEETS(lo)) lo = 0;            /* the bracket missed: from the start */
    if (!MEETS(hi)) { lo = hi; hi = k_max(pd); }
#undef MEETS
    if (strict ? cdf_k(pd, lo) > p : cdf_k(pd, lo) >= p) return lo;
    /* invariant: CDF(lo) misses, CDF(hi) meets */
    while (hi - lo > 1) {
        double mid = floor((lo + hi) / 2);
        double f = cdf_k(pd, mid);
        if (strict ? f > p : f >= p) hi = mid;
        else lo = mid;
    }
    return hi;
}

static double k_to_value(const ct_predictive *pd, double k)
{
    return pd->family == CT_FAM_BINOMIAL ? k * pd->per_k : k;
}

/* The count at or above which the value is >= x. */
static double k_ceil(const ct_predictive *pd, double x)
{
    return ceil((pd->family == CT_FAM_BINOMIAL ? x / pd->per_k : x) - 1e-9);
}

static double k_floor(const ct_predictive *pd, double x)
{
    return floor((pd->family == CT_FAM_BINOMIAL ? x / pd->per_k : x) + 1e-9);
}

static double edge(double p)
{
    return p < P_EDGE ? P_EDGE : p > 1 - P_EDGE ? 1 - P_EDGE : p;
}

/* ---- the normal family ------------------------------------------------------ */

static double t_cdf(const ct_predictive *pd, double x)
{
    double sd = sqrt(pd->var);
    if (pd->logit) x = x <= 0 ? -INFINITY : x >= 100 ? INFINITY : log(x / (100 - x));
    if (!(sd > 0)) return x >= pd->eta ? 1 : 0;
    return gsl_cdf_tdist_P((x - pd->eta) / sd, pd->df);
}

static double bound(const ct_predictive *pd, double v)
{
    if (isfinite(pd->lo_bound) && v < pd->lo_bound) return pd->lo_bound;
    if (isfinite(pd->hi_bound) && v > pd->hi_bound) return pd->hi_bound;
    return v;
}

/* ---- the API ---------------------------------------------------------------- */

double ct_predict_prob_ge(const ct_predictive *pd, double x)
{
    if (!pd->ok || !isfinite(x)) return NAN;
    if (pd->family == CT_FAM_NORMAL) {
        if (isfinite(pd->lo_bound) && x <= pd->lo_bound) return 1;
        if (isfinite(pd->hi_bound) && x > pd->hi_bound) return 0;
        return edge(1 - t_cdf(pd, x));
    }
    double k = k_ceil(pd, x);
    if (k <= 0) return 1;
    if (pd->family == CT_FAM_BINOMIAL && k > pd->size) return 0;
    return edge(1 - cdf_k(pd, k - 1));
}

double ct_predict_prob_le(const ct_predictive *pd, double x)
{
    if (!pd->ok || !isfinite(x)) return NAN;
    if (pd->family == CT_FAM_NORMAL) {
        if (isfinite(pd->hi_bound) && x >= pd->hi_bound) return 1;
        if (isfinite(pd->lo_bound) && x < pd->lo_bound) return 0;
        return edge(t_cdf(pd, x));
    }
    double k = k_floor(pd, x);
    if (k < 0) return 0;
    if (pd->family == CT_FAM_BINOMIAL && k >= pd->size) return 1;
    return edge(cdf_k(pd, k));
}

double ct_predict_quantile(const ct_predictive *pd, double p)
{
    if (!pd->ok || !(p > 0 && p < 1)) return NAN;
    if (pd->family == CT_FAM_NORMAL) {
        double sd = sqrt(pd->var);
        double z = pd->eta + (sd > 0 ? sd * gsl_cdf_tdist_Pinv(p, pd->df) : 0);
        return bound(pd, pd->logit ? 100.0 * expit(z) : z);
    }
    return k_to_value(pd, k_quantile(pd, p, 0));
}

double ct_predict_reached(const ct_predictive *pd, double p, int direction)
{
    if (!pd->ok || !(p > 0 && p < 1)) return NAN;
    if (direction < 0) return ct_predict_quantile(pd, p);
    if (pd->family == CT_FAM_NORMAL) return ct_predict_quantile(pd, 1 - p);
    /* the smallest K with CDF(K) > 1 - p: P(value >= K) = 1 - CDF(K - 1) >= p */
    return k_to_value(pd, k_quantile(pd, 1 - p, 1));
}

/* The CDF of K over lo..hi at once (F[i] = CDF(lo + i)): each node's
 * probabilities from its mode outwards by the ratio of successive terms,
 * so that the interval costs one distribution function, not dozens.
 * Returns 0, or -1 when the range is too wide for the table. */
enum { K_TABLE = 4096 };
static int k_table(const ct_predictive *pd, double lo, double hi, double *F)
{
    int w = (int)(hi - lo) + 1;
    if (w > K_TABLE || w < 1) return -1;
    double pmf[K_TABLE];
    for (int i = 0; i < w; i++) pmf[i] = 0;
    double sd = sqrt(2 * pd->var), N = pd->size;
    for (int j = gh_lo; j < gh_hi; j++) {
        double e = pd->eta + sd * gh_x[j], p = 0, q = 0, mu = 0, mode;
        if (pd->family == CT_FAM_BINOMIAL) {
            p = expit(e);
            q = 1 - p;
            mode = floor((N + 1) * p);
            if (mode > N) mode = N;
        } else {
            mu = exp(e < 700 ? e : 700);
            mode = floor(mu);
        }
        if (mode < lo) mode = lo;
        if (mode > hi) mode = hi;
        double lm = pd->family == CT_FAM_BINOMIAL
                        ? lgamma(N + 1) - lgamma(mode + 1) - lgamma(N - mode + 1) + mode * log(p) + (N - mode) * log(q)
                        : mode * log(mu) - mu - lgamma(mode + 1);
        if (!isfinite(lm)) continue; /* p of exactly 0 or 1: the node adds its mass below */
        int m = (int)(mode - lo);
        double v = exp(lm);
        pmf[m] += gh_w[j] * v;
        for (int i = m + 1; i < w && v > 0; i++) {
            double k = lo + i - 1; /* from k to k + 1 */
            v *= pd->family == CT_FAM_BINOMIAL ? (N - k) / (k + 1) * p / q : mu / (k + 1);
            pmf[i] += gh_w[j] * v;
        }
        v = exp(lm);
        for (int i = m - 1; i >= 0 && v > 0; i--) {
            double k = lo + i + 1; /* from k to k - 1 */
            v *= pd->family == CT_FAM_BINOMIAL ? k / (N - k + 1) * q / p : k / mu;
            pmf[i] += gh_w[j] * v;
        }
    }
    double f = cdf_k(pd, lo - 1);
    for (int i = 0; i < w; i++) {
        f += pmf[i];
        F[i] = f > 1 ? 1 : f;
    }
    return 0;
}

/* A discrete interval: the tails' quantiles, each end left out when that
 * brings the interval's probability closer to the level (plain quantiles
 * of a few possible values hold the value far more often than `level`:
 * 98-99 % for 5 communes); never a single value while another one is
 * possible. */
static void k_interval(const ct_predictive *pd, double level, double *klo, double *khi)
{
    double a = (1 - level) / 2, top = pd->family == CT_FAM_BINOMIAL ? pd->size : INFINITY;
    double blo, bhi, F[K_TABLE];
    k_bracket(pd, &blo, &bhi);
    if (blo < 0) blo = 0;
    if (bhi > top) bhi = top;
    /* one value below the bracket, for the mass below it */
    double base = blo > 0 ? blo - 1 : 0;
    int tab = k_table(pd, base, bhi, F) == 0 && F[(int)(bhi - base)] >= 1 - a && (base == 0 || F[0] < a);
#define CDF(k) (tab ? ((k) < base ? cdf_k(pd, (k)) : (k) > bhi ? 1.0 : F[(int)((k) - base)]) : cdf_k(pd, (k)))
    double lo, hi;
    if (tab) {
        int i = 0, n = (int)(bhi - base) + 1;
        while (i < n - 1 && F[i] < a) i++;
        lo = base + i;
        while (i < n - 1 && F[i] < 1 - a) i++;
        hi = base + i;
    } else {
        lo = k_quantile(pd, a, 0);
        hi = k_quantile(pd, 1 - a, 0);
    }
    /* of the plain quantiles' interval and those without one end or both,
     * the one whose probability is closest to the level (the wider on a
     * tie; an interval of one value only when nothing else is left) */
    double f_lo1 = lo > 0 ? CDF(lo - 1) : 0, f_lo = CDF(lo), f_hi = CDF(hi), f_hi1 = hi > 0 ? CDF(hi - 1) : 0;
    double cl[4] = {lo, lo + 1, lo, lo + 1}, ch[4] = {hi, hi, hi - 1, hi - 1};
    double mass[4] = {f_hi - f_lo1, f_hi - f_lo, f_hi1 - f_lo1, f_hi1 - f_lo};
    int best = 0;
    for (int c = 1; c < 4; c++)
        if (cl[c] < ch[c] && fabs(mass[c] - level) < fabs(mass[best] - level) - 1e-12) best = c;
    lo = cl[best];
    hi = ch[best];
    if (lo == hi) {
        /* one value holds nearly all the probability: add the likelier neighbour */
        double below = lo > 0 ? CDF(lo - 1) - (lo > 1 ? CDF(lo - 2) : 0) : -1;
        double above = lo < top ? CDF(lo + 1) - CDF(lo) : -1;
        if (above > below && above >= 0) hi = lo + 1;
        else if (below >= 0) lo = lo - 1;
    }
#undef CDF
    *klo = lo;
    *khi = hi;
}

void ct_predict_interval(const ct_predictive *pd, double level, double *lo, double *hi)
{
    *lo = *hi = NAN;
    if (!pd->ok || !(level > 0 && level < 1)) return;
    if (pd->family == CT_FAM_NORMAL) {
        *lo = ct_predict_quantile(pd, (1 - level) / 2);
        *hi = ct_predict_quantile(pd, (1 + level) / 2);
        return;
    }
    double klo, khi;
    k_interval(pd, level, &klo, &khi);
    *lo = k_to_value(pd, klo);
    *hi = k_to_value(pd, khi);
}

double ct_predict_link_target(const ct_model_fit *fit, double target, int direction)
{
    if (!isfinite(target)) return NAN;
    if (fit->family == CT_FAM_NORMAL && fit->logit) {
        /* as the points were fitted: 0 and 100 as 0.5 and 99.5 */
        double v = target < 0.5 ? 0.5 : target > 99.5 ? 99.5 : target;
        return log(v / (100 - v));
    }
    if (fit->family == CT_FAM_NORMAL) return target;
    double n = fit->family == CT_FAM_BINOMIAL ? floor(fit->size_last + 0.5) : 0;
    if (fit->family == CT_FAM_BINOMIAL && n < 1) n = 1;
    double x = fit->family == CT_FAM_BINOMIAL && !fit->as_count ? target * n / 100.0 : target;
    if (direction >= 0) {
        double k = ceil(x - 1e-9);
        if (k <= 0) return -INFINITY;
        if (fit->family == CT_FAM_BINOMIAL) {
            if (k > n) return NAN;
            double p = (k - 0.5) / n;
            return log(p / (1 - p));
        }
        return log(k - 0.5);
    }
    double k = floor(x + 1e-9);
    if (k < 0) return NAN;
    if (fit->family == CT_FAM_BINOMIAL) {
        if (k >= n) return INFINITY;
        double p = (k + 0.5) / n;
        return log(p / (1 - p));
    }
    return log(k + 0.5);
}
