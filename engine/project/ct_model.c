#include "ct_model.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_integration.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The prior weight, in residual degrees of freedom, of the peers' pooled
 * variance against the unit's own: a unit with 4 residual degrees of
 * freedom (6 years) counts half. */
static const double POOL_DF = 4.0;
/* The peers' pooled likelihood counts as this many residual degrees of
 * freedom against the unit's own (binomial, poisson): the unit's own
 * variance estimate from 3-6 points is mostly noise. */
static const double PRIOR_DF = 20.0;
/* The persistence is capped: beyond it a line is no model of the series. */
static const double RHO_MAX = 0.9;
/* Normal family: the smallest relative year-to-year variance (0.5% of the
 * series' size), as no sampling variance bounds it from below. */
static const double NORMAL_FLOOR = 0.005 * 0.005;
/* Binomial, poisson: the slope prior of a unit with fewer than three peers
 * (a region's one province, a plan with two districts). Its own 3-6 counts
 * near 0 or n leave the slope almost free, and a free slope carried five
 * years ahead on the link scale splits the forecast between 0 and 100 %.
 * N(0, 0.25): a change of odds (or of the mean) by e^1 a year at two
 * standard deviations, wider than the spread of the peers' slopes of any
 * level in the bundled data (their prior variances 0.001-0.45, most below
 * 0.25). */
static const double LONE_SLOPE_VAR = 0.25;

/* Gauss-Hermite nodes for the likelihood of a year's count given the
 * year-to-year variance (weight exp(-x^2), normalised). */
enum { LL_GH = 8 };
static double ll_x[LL_GH], ll_w[LL_GH];
static int ll_ready;

/* A year whose count carries more information than this (n p q, or mu)
 * enters the likelihood by its normal approximation: the quadrature would
 * need more nodes than the binomial's width allows. */
static const double LL_NORMAL = 15.0;

void ct_model_init(void)
{
    if (ll_ready) return;
    ct_slope_init();
    gsl_integration_fixed_workspace *ws = gsl_integration_fixed_alloc(gsl_integration_fixed_hermite, LL_GH, 0, 1, 0, 0);
    if (!ws) return;
    const double *x = gsl_integration_fixed_nodes(ws), *w = gsl_integration_fixed_weights(ws);
    double sum = 0;
    for (int j = 0; j < LL_GH; j++) sum += w[j];
    for (int j = 0; j < LL_GH; j++) {
        ll_x[j] = x[j];
        ll_w[j] = w[j] / sum;
    }
    gsl_integration_fixed_free(ws);
    ll_ready = 1;
}

double ct_model_grid(int g) { return g <= 0 ? 0 : 0.002 * pow(2.0, g - 1); }
double ct_model_tau_grid(int g) { return g <= 0 ? 0 : 1e-4 * pow(2.0, g - 1); }

int ct_model_parse(const char *s, ct_model_kind *out)
{
    if (!strcmp(s, "calibrated")) { *out = CT_MODEL_CALIBRATED; return 0; }
    if (!strcmp(s, "ols")) { *out = CT_MODEL_OLS; return 0; }
    return -1;
}

const char *ct_model_name(ct_model_kind m) { return m == CT_MODEL_OLS ? "ols" : "calibrated"; }

static double expit(double x) { return 1.0 / (1.0 + exp(-x)); }

static double clamp_eta(double e) { return e < -30 ? -30 : e > 30 ? 30 : e; }

/* Working response and weight of point i at eta (IRLS), with sigma2 the
 * extra link-scale variance; the half count each way is spread over the
 * m points so that the whole series carries one extra observation. */
static void working(const ct_model_fit *f, int i, double eta, double sigma2, double *z, double *w)
{
    double m = f->n;
    if (f->family == CT_FAM_BINOMIAL) {
        double kk = f->k[i] + f->pseudo * 0.5 / m, nn = f->size[i] + f->pseudo / m;
        double p = expit(eta), v = nn * p * (1 - p);
        *z = eta + (kk - nn * p) / v;
        *w = 1.0 / (1.0 / v + sigma2);
    } else if (f->family == CT_FAM_POISSON) {
        double kk = f->k[i] + 0.5 / m, mu = exp(eta);
        *z = eta + (kk - mu) / mu;
        *w = 1.0 / (1.0 / mu + sigma2);
    } else {
        *z = f->k[i];
        *w = 1.0;
    }
}

static double start_eta(const ct_model_fit *f, int i)
{
    double m = f->n;
    if (f->family == CT_FAM_BINOMIAL) {
        double kk = f->k[i] + 0.5 / m, nn = f->size[i] + 1.0 / m;
        return log(kk / (nn - kk));
    }
    if (f->family == CT_FAM_POISSON) return log(f->k[i] + 0.5 / m);
    return f->k[i];
}

/* Weighted least squares of z on x with a normal prior on the slope
 * (mean b_mean, precision b_prec > 0): the normal equations with b_prec
 * added to the slope's diagonal; the covariance is their inverse. */
static int wls_prior(const double *x, const double *w, const double *z, int m, double b_mean, double b_prec,
                     double *c0, double *c1, double *c00, double *c01, double *c11)
{
    double s0 = 0, s1 = 0, s2 = 0, sz = 0, sxz = 0;
    for (int i = 0; i < m; i++) {
        s0 += w[i];
        s1 += w[i] * x[i];
        s2 += w[i] * x[i] * x[i];
        sz += w[i] * z[i];
        sxz += w[i] * x[i] * z[i];
    }
    s2 += b_prec;
    sxz += b_prec * b_mean;
    double det = s0 * s2 - s1 * s1;
    if (!(det > 0)) return -1;
    *c00 = s2 / det;
    *c01 = -s1 / det;
    *c11 = s0 / det;
    *c0 = *c00 * sz + *c01 * sxz;
    *c1 = *c01 * sz + *c11 * sxz;
    return 0;
}

/* Iteratively reweighted least squares; w receives the final weights.
 * With b_prec > 0, the slope has the peers' prior N(b_mean, 1/b_prec).
 * Returns 0 when the line is finite. */
static int irls(ct_model_fit *f, double sigma2, double b_mean, double b_prec, double *w)
{
    int m = f->n;
    double x[CT_MODEL_MAX_POINTS], z[CT_MODEL_MAX_POINTS], eta[CT_MODEL_MAX_POINTS];
    for (int i = 0; i < m; i++) {
        x[i] = f->t[i] - f->tc;
        eta[i] = start_eta(f, i);
    }
    double c0 = 0, c1 = 0, chisq;
    int iters = f->family == CT_FAM_NORMAL ? 1 : 60;
    for (int it = 0; it < iters; it++) {
        for (int i = 0; i < m; i++) working(f, i, clamp_eta(eta[i]), sigma2, &z[i], &w[i]);
        double n0, n1;
        if (b_prec > 0) {
            if (wls_prior(x, w, z, m, b_mean, b_prec, &n0, &n1, &f->c00, &f->c01, &f->c11) != 0) return -1;
        } else if (gsl_fit_wlinear(x, 1, w, 1, z, 1, (size_t)m, &n0, &n1, &f->c00, &f->c01, &f->c11, &chisq) !=
                   GSL_SUCCESS) {
            return -1;
        }
        if (!isfinite(n0) || !isfinite(n1)) return -1;
        int done = it > 0 && fabs(n0 - c0) + fabs(n1 - c1) < 1e-10;
        c0 = n0;
        c1 = n1;
        for (int i = 0; i < m; i++) eta[i] = c0 + c1 * x[i];
        if (done) break;
    }
    /* the weights at the final line */
    for (int i = 0; i < m; i++) working(f, i, clamp_eta(eta[i]), sigma2, &z[i], &w[i]);
    f->b0 = c0;
    f->b1 = c1;
    return 0;
}

void ct_model_line(const ct_model_fit *fit, double t, double *eta, double *var)
{
    double d = t - fit->tc;
    if (fit->damp > 0 && t > fit->t_last) d = fit->t_last - fit->tc + ct_horizon_years(t - fit->t_last, fit->damp);
    *eta = fit->b0 + fit->b1 * d;
    *var = fit->c00 + 2 * d * fit->c01 + d * d * fit->c11;
    if (*var < 0) *var = 0;
}

/* Whether years i and j are both at 0, or both at n (binomial). */
static int same_bound(const ct_model_fit *f, int i, int j)
{
    const double eps = 1e-6;
    if (f->k[i] < eps && f->k[j] < eps) return 1;
    return f->family == CT_FAM_BINOMIAL && f->size[i] - f->k[i] < eps && f->size[j] - f->k[j] < eps;
}

/* The part of log f(k | eta) that does not depend on eta: the log of the
 * binomial coefficient, or -log k! (k may be fractional for a ratio). */
static double log_pmf_const(const ct_model_fit *f, int i)
{
    double k = f->k[i];
    if (f->family == CT_FAM_BINOMIAL) return lgamma(f->size[i] + 1) - lgamma(k + 1) - lgamma(f->size[i] - k + 1);
    return -lgamma(k + 1);
}

/* log f(k | eta) - log_pmf_const: binomial or poisson. */
static double log_pmf(const ct_model_fit *f, int i, double eta)
{
    double k = f->k[i];
    if (f->family == CT_FAM_BINOMIAL) {
        /* log p and log q without cancellation */
        double lp = eta > 0 ? -log1p(exp(-eta)) : eta - log1p(exp(eta));
        return k * lp + (f->size[i] - k) * (lp - eta);
    }
    return k * eta - exp(eta < 700 ? eta : 700);
}

static double log_sum_exp(const double *v, const double *w, int n)
{
    double mx = -INFINITY, s = 0;
    for (int j = 0; j < n; j++)
        if (v[j] > mx) mx = v[j];
    if (!isfinite(mx)) return mx;
    for (int j = 0; j < n; j++) s += w[j] * exp(v[j] - mx);
    return mx + log(s);
}

/* The empirical logit (log) of point i, and the sampling variance there. */
static void empirical(const ct_model_fit *f, int i, double *z, double *v)
{
    if (f->family == CT_FAM_BINOMIAL) {
        double n = f->size[i], p = (f->k[i] + 0.5) / (n + 1);
        *z = log(p / (1 - p));
        *v = 1.0 / ((n + 1) * p * (1 - p));
    } else {
        *z = log(f->k[i] + 0.5);
        *v = 1.0 / (f->k[i] + 0.5);
    }
}

/* The unit's evidence on its noise from the first-pass fit (leverages h_i
 * of the weighted fit):
 *  - binomial, poisson: the log-likelihood of each grid variance, each
 *    year's count integrated over e_t ~ N(0, sigma2) by Gauss-Hermite
 *    around its residual inflated by 1 / sqrt(1 - h_i) (the fitted line
 *    absorbs part of the noise: the correction REML makes for a normal
 *    model), weighted by (n - 2) / n, the share of the points' information
 *    left to the noise;
 *  - normal: the relative squared residuals and their degrees of freedom;
 *  - all: the lag-1 products of the standardised residuals of consecutive
 *    years with their expectation under independent noise (-H_i,i-1 per
 *    pair, H the hat matrix), which measure persistence. */
static void evidence(ct_model_fit *f, const double *w)
{
    int m = f->n;
    double e[CT_MODEL_MAX_POINTS], h[CT_MODEL_MAX_POINTS], sw = 0, swx = 0;
    for (int i = 0; i < m; i++) { sw += w[i]; swx += w[i] * (f->t[i] - f->tc); }
    double xb = swx / sw, sxx = 0;
    for (int i = 0; i < m; i++) sxx += w[i] * (f->t[i] - f->tc - xb) * (f->t[i] - f->tc - xb);
    double sse = 0, s1h = 0, frac = m > 2 ? (m - 2.0) / m : 0;
    f->od_num = f->od_den = 0;
    for (int g = 0; g < CT_MODEL_GRID; g++) f->ll[g] = 0;
    for (int i = 0; i < m; i++) {
        double dx = f->t[i] - f->tc - xb;
        h[i] = w[i] * (1.0 / sw + (sxx > 0 ? dx * dx / sxx : 0));
        double one = 1 - h[i] > 1e-9 ? 1 - h[i] : 1e-9;
        double eta, v;
        ct_model_line(f, f->t[i], &eta, &v);
        if (f->family == CT_FAM_NORMAL) {
            e[i] = (f->k[i] - eta) / f->scale;
            f->od_num += e[i] * e[i];
            f->od_den += 1 - h[i] > 0 ? 1 - h[i] : 0;
            sse += e[i] * e[i];
            s1h += 1 - h[i] > 0 ? 1 - h[i] : 0;
            continue;
        }
        double z, vs;
        empirical(f, i, &z, &vs);
        double adj = z - (z - eta) / sqrt(one);
        /* Pearson residuals: the standardisation the hat matrix of the
         * weighted fit belongs to */
        if (f->family == CT_FAM_BINOMIAL) {
            double p = expit(clamp_eta(eta)), n = f->size[i];
            e[i] = (f->k[i] - n * p) / sqrt(n * p * (1 - p));
        } else {
            double mu = exp(clamp_eta(eta));
            e[i] = (f->k[i] - mu) / sqrt(mu);
        }
        sse += e[i] * e[i];
        s1h += 1 - h[i] > 0 ? 1 - h[i] : 0;
        /* a single unit's 0 or 1 says nothing about extra variation */
        if (frac <= 0 || (f->family == CT_FAM_BINOMIAL && f->size[i] < 2)) continue;
        double info = f->family == CT_FAM_BINOMIAL ? 1.0 / vs : f->k[i] + 0.5;
        double lc = info >= LL_NORMAL ? 0 : log_pmf_const(f, i);
        for (int g = 0; g < CT_MODEL_GRID; g++) {
            double s2 = ct_model_grid(g), l;
            if (info >= LL_NORMAL) {
                double var = vs + s2;
                l = -0.5 * log(2 * M_PI * var) - (z - adj) * (z - adj) / (2 * var);
            } else if (s2 == 0) {
                l = lc + log_pmf(f, i, adj);
            } else {
                double lv[LL_GH], sd = sqrt(2 * s2);
                for (int j = 0; j < LL_GH; j++) lv[j] = log_pmf(f, i, adj + sd * ll_x[j]);
                l = lc + log_sum_exp(lv, ll_w, LL_GH);
            }
            f->ll[g] += frac * l;
        }
    }
    f->ac_num = f->ac_exp = f->ac_den = 0;
    if (s1h <= 0.5) return;
    double s2 = sse / s1h, lim = 2.5 * sqrt(s2);
    for (int i = 0; i < m; i++) e[i] = e[i] > lim ? lim : e[i] < -lim ? -lim : e[i];
    for (int i = 1; i < m; i++) {
        if (fabs(f->t[i] - f->t[i - 1] - 1) > 1e-9) continue;
        /* two years at the same bound (0 and 0, n and n): their residuals are
         * those of the half count spread over the years, of one sign by
         * construction, not a persistence */
        if (same_bound(f, i, i - 1)) continue;
        double dx0 = f->t[i] - f->tc - xb, dx1 = f->t[i - 1] - f->tc - xb;
        double hij = sqrt(w[i] * w[i - 1]) * (1.0 / sw + (sxx > 0 ? dx0 * dx1 / sxx : 0));
        f->ac_num += e[i] * e[i - 1];
        f->ac_exp += -hij * s2;
        f->ac_den += s2;
    }
}

static void fit_impl(ct_family fam, const double *t, const double *y, const double *den, int n, double lo,
                     double hi, int as_count, int with_evidence, ct_model_fit *fit);

/* The unit's forecast of its last year from its years before it, 2
 * years ahead (1 with 4 points; 3 points at least to fit on): the
 * evidence of the peers' out-of-sample errors (ct_horizon.h). */
static void holdout(ct_model_fit *f)
{
    f->ho_n = 0;
    int m = f->n, last = m - 1;
    /* a single unit's 0 or 1 says next to nothing of how a trend bends
     * (and a commune's share of itself is most units of a national plan) */
    if (f->family == CT_FAM_BINOMIAL && f->size[last] < 2) return;
    double w[CT_MODEL_MAX_POINTS];
    static const ct_model_fit zero;
    ct_model_fit g = zero;
    /* one forecast a unit, 2 years ahead when 3 points are left to fit on
     * (the longer horizon says more of a trend that bends), else 1 */
    for (int h = m >= 5 ? 2 : 1; h <= 2 && m - h >= 3 && f->ho_n == 0; h++) {
        int mt = m - h;
        g.family = f->family;
        g.n = mt;
        g.tc = 0;
        g.pseudo = 0;
        for (int i = 0; i < mt; i++) {
            g.t[i] = f->t[i];
            g.k[i] = f->k[i];
            g.size[i] = f->size[i];
            g.tc += f->t[i] / mt;
            if (f->family == CT_FAM_BINOMIAL && (f->k[i] <= 0 || f->k[i] >= f->size[i])) g.pseudo = 1;
        }
        if (irls(&g, 0, 0, 0, w) != 0) continue;
        ct_horizon_rec *r = &f->ho[f->ho_n];
        double tl = g.t[mt - 1], d = tl - g.tc, v;
        ct_model_line(&g, tl, &r->e, &v);
        /* the covariance of (line at tl, slope) */
        r->vee = v;
        r->veb = g.c01 + d * g.c11;
        r->vbb = g.c11;
        r->b = g.b1;
        r->h = f->t[last] - tl;
        r->k = f->k[last];
        r->n = f->family == CT_FAM_BINOMIAL ? f->size[last] : 0;
        r->vsm = 0;
        for (int i = 0; i < mt; i++) r->vsm += 1.0 / w[i] / mt;
        f->ho_n++;
    }
}

void ct_model_fit_series(ct_family fam, const double *t, const double *y, const double *den, int n, double lo,
                         double hi, int as_count, ct_model_fit *fit)
{
    fit_impl(fam, t, y, den, n, lo, hi, as_count, 1, fit);
}

_Static_assert(CT_MODEL_EVIDENCE == CT_MODEL_GRID + 6, "evidence_put and evidence_get write CT_MODEL_GRID + 6 values");

static void evidence_put(const ct_model_fit *f, double *e)
{
    for (int g = 0; g < CT_MODEL_GRID; g++) e[g] = f->ll[g];
    double *r = e + CT_MODEL_GRID;
    r[0] = f->od_num;
    r[1] = f->od_den;
    r[2] = f->ac_num;
    r[3] = f->ac_exp;
    r[4] = f->ac_den;
    r[5] = f->df;
}

static void evidence_get(ct_model_fit *f, const double *e)
{
    for (int g = 0; g < CT_MODEL_GRID; g++) f->ll[g] = e[g];
    const double *r = e + CT_MODEL_GRID;
    f->od_num = r[0];
    f->od_den = r[1];
    f->ac_num = r[2];
    f->ac_exp = r[3];
    f->ac_den = r[4];
    f->df = r[5];
}

void ct_model_fit_kept(ct_family fam, const double *t, const double *y, const double *den, int n, double lo,
                       double hi, int as_count, const ct_model_pool *pool, int unit, ct_model_fit *fit)
{
    int kept = pool && pool->kept && unit >= 0 && unit < pool->n_kept && pool->has_kept[unit];
    fit_impl(fam, t, y, den, n, lo, hi, as_count, !kept, fit);
    if (kept && fit->ok) evidence_get(fit, pool->kept + (size_t)unit * CT_MODEL_EVIDENCE);
}

static void fit_impl(ct_family fam, const double *t, const double *y, const double *den, int n, double lo,
                     double hi, int as_count, int with_evidence, ct_model_fit *fit)
{
    memset(fit, 0, sizeof *fit);
    fit->as_count = as_count;
    fit->lo_bound = lo;
    fit->hi_bound = hi;
    fit->size_last = NAN;
    fit->scale = 1;
    for (int i = 0; fam == CT_FAM_BINOMIAL && i < n; i++)
        if (isfinite(y[i]) && (!den || !(den[i] > 0) || !isfinite(den[i]) || y[i] < 0 || y[i] > (as_count ? den[i] : 100)))
            fam = as_count ? CT_FAM_POISSON : CT_FAM_NORMAL;
    for (int i = 0; fam == CT_FAM_POISSON && i < n; i++)
        if (isfinite(y[i]) && y[i] < 0) fam = CT_FAM_NORMAL;
    fit->family = fam;
    int m = 0;
    double sum = 0;
    for (int i = 0; i < n && m < CT_MODEL_MAX_POINTS; i++) {
        if (!isfinite(y[i])) continue;
        fit->t[m] = t[i];
        if (fam == CT_FAM_BINOMIAL) {
            fit->size[m] = den[i];
            fit->k[m] = as_count ? y[i] : y[i] * den[i] / 100.0;
            fit->size_last = den[i];
        } else if (fam == CT_FAM_NORMAL && lo == 0 && hi == 100) {
            /* a percentage without counts: normal on the logit scale, 0 and
             * 100 entering as 0.5 and 99.5 */
            double v = y[i] < 0.5 ? 0.5 : y[i] > 99.5 ? 99.5 : y[i];
            fit->k[m] = log(v / (100 - v));
            fit->size[m] = NAN;
            fit->logit = 1;
        } else {
            fit->k[m] = y[i];
            fit->size[m] = NAN;
        }
        sum += fit->logit ? 0 : y[i];
        fit->tc += t[i];
        m++;
    }
    fit->n = m;
    if (m < 2) return;
    fit->tc /= m;
    fit->pseudo = 0;
    for (int i = 0; fam == CT_FAM_BINOMIAL && i < m; i++)
        if (fit->k[i] <= 0 || fit->k[i] >= fit->size[i]) fit->pseudo = 1;
    fit->scale = fit->logit ? 1 : fabs(sum / m) > 1e-9 ? fabs(sum / m) : 1e-9;
    fit->df = m - 2;
    double w[CT_MODEL_MAX_POINTS];
    if (irls(fit, 0, 0, 0, w) != 0) return;
    fit->ok = 1;
    fit->b1_first = fit->b1;
    fit->v1_first = fit->c11;
    fit->t_last = fit->t[0];
    for (int i = 1; i < m; i++) fit->t_last = fit->t[i] > fit->t_last ? fit->t[i] : fit->t_last;
    if (with_evidence) evidence(fit, w);
    if (with_evidence && fam != CT_FAM_NORMAL) holdout(fit);
}

void ct_model_pool_init(ct_model_pool *pool) { memset(pool, 0, sizeof *pool); }

int ct_model_pool_keep(ct_model_pool *pool, int n_units)
{
    pool->kept = n_units > 0 ? malloc((size_t)n_units * CT_MODEL_EVIDENCE * sizeof(double)) : NULL;
    pool->has_kept = n_units > 0 ? calloc((size_t)n_units, 1) : NULL;
    if (!pool->kept || !pool->has_kept) { ct_model_pool_free(pool); return n_units > 0 ? -1 : 0; }
    pool->n_kept = n_units;
    return 0;
}

void ct_model_pool_free(ct_model_pool *pool)
{
    for (int l = 0; l < CT_MODEL_LEVELS; l++) ct_horizon_free(&pool->ho[l]);
    free(pool->kept);
    free(pool->has_kept);
    pool->kept = NULL;
    pool->has_kept = NULL;
    pool->n_kept = 0;
}

void ct_model_pool_add_unit(ct_model_pool *pool, int level, int unit, const ct_model_fit *fit)
{
    ct_model_pool_add(pool, level, fit);
    if (!pool->kept || unit < 0 || unit >= pool->n_kept || !fit->ok) return;
    evidence_put(fit, pool->kept + (size_t)unit * CT_MODEL_EVIDENCE);
    pool->has_kept[unit] = 1;
}

void ct_model_pool_add(ct_model_pool *pool, int level, const ct_model_fit *fit)
{
    if (level < 0 || level >= CT_MODEL_LEVELS || !fit->ok) return;
    pool->units[level]++;
    /* the slopes, for their spread among the peers (DerSimonian-Laird);
     * a normal-family slope is in the series' own units: relative here */
    double b = fit->b1_first, v = fit->v1_first;
    if (fit->family == CT_FAM_NORMAL) {
        b /= fit->scale;
        v /= fit->scale * fit->scale;
        v *= fit->od_den > 0 && fit->od_num > 0 ? fit->od_num / fit->od_den : 1;
    }
    if (isfinite(b) && v > 0 && isfinite(v)) {
        pool->sw[level] += 1 / v;
        pool->swb[level] += b / v;
        pool->swb2[level] += b * b / v;
        pool->sw2[level] += 1 / (v * v);
        pool->n_slopes[level]++;
        for (int g = 0; g < CT_MODEL_GRID; g++) {
            double u = 1 / (v + ct_model_tau_grid(g));
            pool->re_wb[level][g] += u * b;
            pool->re_w[level][g] += u;
        }
    }
    if (fit->family != CT_FAM_NORMAL) {
        double x[CT_MODEL_MAX_POINTS];
        for (int i = 0; i < fit->n; i++) x[i] = fit->t[i] - fit->tc;
        ct_slope_add(&pool->slope[level], x, fit->k, fit->family == CT_FAM_BINOMIAL ? fit->size : NULL, fit->n,
                     fit->b1_first, fit->v1_first);
    }
    for (int g = 0; g < CT_MODEL_GRID; g++) pool->ll[level][g] += fit->ll[g];
    for (int i = 0; i < fit->ho_n; i++) ct_horizon_add(&pool->ho[level], &fit->ho[i]);
    pool->od_num[level] += fit->od_num;
    pool->od_den[level] += fit->od_den;
    pool->df[level] += fit->df;
    pool->ac_num[level] += fit->ac_num;
    pool->ac_exp[level] += fit->ac_exp;
    pool->ac_den[level] += fit->ac_den;
}

/* The grid variance of highest log-likelihood, refined by a parabola
 * through it and its neighbours on the log scale. */
static double argmax_grid(const double *ll)
{
    int best = 0;
    for (int g = 1; g < CT_MODEL_GRID; g++)
        if (ll[g] > ll[best] + 1e-12) best = g;
    if (best == 0 || best == CT_MODEL_GRID - 1) return ct_model_grid(best);
    double a = ll[best - 1], b = ll[best], c = ll[best + 1], den = a - 2 * b + c;
    double off = den < 0 ? 0.5 * (a - c) / den : 0;
    if (off > 0.5) off = 0.5;
    if (off < -0.5) off = -0.5;
    if (best == 1 && off < 0) return ct_model_grid(1) * pow(2.0, off);
    return ct_model_grid(best) * pow(2.0, off);
}

/* The peers' pooled persistence (0 to RHO_MAX); -1 when they have none. */
static double pool_rho(const ct_model_pool *pool, int level)
{
    if (!(pool->ac_den[level] > 0)) return -1;
    double rho = (pool->ac_num[level] - pool->ac_exp[level]) / pool->ac_den[level];
    return !(rho > 0) ? 0 : rho > RHO_MAX ? RHO_MAX : rho;
}

/* The damping and horizon variance of a level's binomial or poisson
 * units (ct_horizon.h), their forecasts made as the second pass makes a
 * unit's: the peers' slope prior, their pooled year-to-year variance and
 * persistence. */
static int level_prior(const ct_model_pool *pool, int level, double *mean, double *var)
{
    double tau2;
    if (pool->done) {
        *mean = pool->prior_mean[level];
        *var = pool->prior_var[level];
        return pool->prior_ok[level] ? 0 : -1;
    }
    return ct_slope_prior(&pool->slope[level], mean, var, &tau2);
}

static void level_horizon(const ct_model_pool *pool, int level, double *damp, double *kappa2)
{
    *damp = *kappa2 = 0;
    if (pool->ho[level].n < CT_HORIZON_MIN) return;
    double mean = 0, var = 0, prec = 0;
    if (level_prior(pool, level, &mean, &var) == 0 && var > 0) prec = 1 / var;
    double rho = pool_rho(pool, level);
    if (rho < 0) rho = 0;
    ct_horizon_estimate(&pool->ho[level], mean, prec, argmax_grid(pool->ll[level]), (1 + rho) / (1 - rho), damp,
                        kappa2);
}

void ct_model_pool_done(ct_model_pool *pool)
{
    double tau2;
    for (int l = 0; l < CT_MODEL_LEVELS; l++)
        pool->prior_ok[l] = ct_slope_prior(&pool->slope[l], &pool->prior_mean[l], &pool->prior_var[l], &tau2) == 0;
    pool->done = 1;
    for (int l = 0; l < CT_MODEL_LEVELS; l++) level_horizon(pool, l, &pool->damp[l], &pool->kappa2[l]);
}

void ct_model_finish(ct_model_fit *fit, const ct_model_pool *pool, int level)
{
    if (!fit->ok) return;
    int lv = pool && level >= 0 && level < CT_MODEL_LEVELS;
    int pooled = lv && pool->df[level] > 0;
    double wown = fit->df / (fit->df + POOL_DF);
    double s2;
    if (fit->family == CT_FAM_NORMAL) {
        double own = fit->od_den > 0 ? fit->od_num / fit->od_den : 0;
        if (!(fit->od_den > 0)) wown = 0;
        if (pooled && pool->od_den[level] > 0) s2 = wown * own + (1 - wown) * pool->od_num[level] / pool->od_den[level];
        else s2 = own;
    } else {
        /* the peers as a prior worth PRIOR_DF residual degrees of freedom, or
         * all they have when they have fewer */
        double ll[CT_MODEL_GRID], k = pooled ? (pool->df[level] > PRIOR_DF ? PRIOR_DF / pool->df[level] : 1) : 0;
        for (int g = 0; g < CT_MODEL_GRID; g++) ll[g] = fit->ll[g] + (pooled ? k * pool->ll[level][g] : 0);
        s2 = argmax_grid(ll);
    }
    double rho = lv ? pool_rho(pool, level) : -1;
    if (rho < 0) {
        rho = fit->ac_den > 0 ? (fit->ac_num - fit->ac_exp) / fit->ac_den : 0;
        if (!(rho > 0)) rho = 0;
        if (rho > RHO_MAX) rho = RHO_MAX;
    }
    fit->rho = rho;
    /* the peers' slopes as a prior: their mean, with their spread tau2 plus
     * the uncertainty of the mean as its variance */
    double b_mean = 0, b_prec = 0, h_mean, h_var;
    if (lv && fit->family != CT_FAM_NORMAL && level_prior(pool, level, &h_mean, &h_var) == 0) {
        /* binomial, poisson: the hierarchical GLM's prior (ct_slope.h) */
        b_mean = h_mean;
        b_prec = h_var > 0 ? 1 / h_var : 0;
    } else if (lv && pool->n_slopes[level] >= 3) {
        double sw = pool->sw[level], mean = pool->swb[level] / sw;
        double q = pool->swb2[level] - sw * mean * mean;
        double tau2 = (q - (pool->n_slopes[level] - 1)) / (sw - pool->sw2[level] / sw);
        if (!(tau2 > 0)) tau2 = 0;
        /* the random-effects mean and its variance (DerSimonian and Laird:
         * weights 1 / (v_i + tau2)); the fixed-effect weights 1 / v_i would
         * favour the units measured best, and how well a unit is measured
         * depends on its own slope (a count that grows is measured better,
         * a share that leaves 50% worse), which biased the prior's mean.
         * The pool keeps the sums at a grid of tau2; between two nodes
         * they are interpolated. */
        int g = 0;
        while (g < CT_MODEL_GRID - 2 && ct_model_tau_grid(g + 1) < tau2) g++;
        double t0 = ct_model_tau_grid(g), t1 = ct_model_tau_grid(g + 1);
        double f = tau2 <= t0 ? 0 : tau2 >= t1 ? 1 : (tau2 - t0) / (t1 - t0);
        double wb = (1 - f) * pool->re_wb[level][g] + f * pool->re_wb[level][g + 1];
        double ww = (1 - f) * pool->re_w[level][g] + f * pool->re_w[level][g + 1];
        double pv = tau2 + 1 / sw;
        if (ww > 0) {
            mean = wb / ww;
            pv = tau2 + 1 / ww;
        }
        if (fit->family == CT_FAM_NORMAL) {
            mean *= fit->scale;
            pv *= fit->scale * fit->scale;
        }
        b_mean = mean;
        b_prec = 1 / pv;
    }
    if (fit->family != CT_FAM_NORMAL && !(b_prec > 0)) {
        b_mean = 0;
        b_prec = 1 / LONE_SLOPE_VAR;
    }
    fit->b_prior = b_mean;
    fit->b_prior_prec = b_prec;
    /* beyond the last point: the damping whose forecasts of the peers'
     * own last years erred least, and the variance those errors show
     * beyond what the model expected of them, per squared year ahead */
    fit->damp = fit->kappa2 = 0;
    if (lv && fit->family != CT_FAM_NORMAL) {
        if (pool->done) {
            fit->damp = pool->damp[level];
            fit->kappa2 = pool->kappa2[level];
        } else {
            level_horizon(pool, level, &fit->damp, &fit->kappa2);
        }
    }
    double w[CT_MODEL_MAX_POINTS];
    if (fit->family == CT_FAM_NORMAL) {
        if (s2 < NORMAL_FLOOR) s2 = NORMAL_FLOOR;
        fit->sigma2 = s2 * fit->scale * fit->scale;
        fit->df_pred = fit->df * wown + (pooled ? pool->df[level] < POOL_DF ? pool->df[level] : POOL_DF : 0);
        if (fit->df_pred < 1) fit->df_pred = 1;
        /* the prior's precision in units of the residual variance */
        if (irls(fit, 0, b_mean, b_prec * fit->sigma2, w) != 0) { fit->ok = 0; return; }
        fit->c00 *= fit->sigma2;
        fit->c01 *= fit->sigma2;
        fit->c11 *= fit->sigma2;
    } else {
        fit->sigma2 = s2;
        if (irls(fit, s2, b_mean, b_prec, w) != 0) { fit->ok = 0; return; }
    }
    /* persistent noise: n points carry about n (1 - rho) / (1 + rho)
     * independent ones (the variance of a mean under AR(1)) */
    double infl = (1 + rho) / (1 - rho);
    fit->c00 *= infl;
    fit->c01 *= infl;
    fit->c11 *= infl;
}
