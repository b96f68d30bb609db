#include "ct_model.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <math.h>
#include <string.h>

/* The prior weight, in residual degrees of freedom, of the peers' pooled
 * variance against the unit's own: a unit with 4 residual degrees of
 * freedom (6 years) counts half. */
static const double POOL_DF = 4.0;
/* The persistence is capped: beyond it a line is no model of the series. */
static const double RHO_MAX = 0.9;
/* Normal family: the smallest relative year-to-year variance (0.5% of the
 * series' size), as no sampling variance bounds it from below. */
static const double NORMAL_FLOOR = 0.005 * 0.005;

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
        double kk = f->k[i] + 0.5 / m, nn = f->size[i] + 1.0 / m;
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

/* Iteratively reweighted least squares; w receives the final weights.
 * Returns 0 when the line is finite. */
static int irls(ct_model_fit *f, double sigma2, double *w)
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
        if (gsl_fit_wlinear(x, 1, w, 1, z, 1, (size_t)m, &n0, &n1, &f->c00, &f->c01, &f->c11, &chisq) != GSL_SUCCESS)
            return -1;
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
    *eta = fit->b0 + fit->b1 * d;
    *var = fit->c00 + 2 * d * fit->c01 + d * d * fit->c11;
    if (*var < 0) *var = 0;
}

/* The unit's evidence on its noise from the first-pass fit: Pearson
 * residuals e_i, leverages h_i; E[e_i^2] = (1 - h_i)(1 + a_i sigma2) with
 * a_i = (n_i - 1) p_i q_i (binomial) or mu_i (poisson), so the moment sums
 * are sum(e^2 - (1 - h)) and sum((1 - h) a). The lag-1 products of
 * consecutive years, with their expectation under independent noise
 * (-H_i,i-1 per pair, H the hat matrix), measure persistence. */
static void evidence(ct_model_fit *f, const double *w)
{
    int m = f->n;
    double e[CT_MODEL_MAX_POINTS], h[CT_MODEL_MAX_POINTS], sw = 0, swx = 0;
    for (int i = 0; i < m; i++) { sw += w[i]; swx += w[i] * (f->t[i] - f->tc); }
    double xb = swx / sw, sxx = 0;
    for (int i = 0; i < m; i++) sxx += w[i] * (f->t[i] - f->tc - xb) * (f->t[i] - f->tc - xb);
    double sse = 0, s1h = 0;
    f->od_num = f->od_den = 0;
    for (int i = 0; i < m; i++) {
        double dx = f->t[i] - f->tc - xb;
        h[i] = w[i] * (1.0 / sw + (sxx > 0 ? dx * dx / sxx : 0));
        double eta, v;
        ct_model_line(f, f->t[i], &eta, &v);
        double a;
        if (f->family == CT_FAM_BINOMIAL) {
            double p = expit(clamp_eta(eta)), n = f->size[i];
            e[i] = (f->k[i] - n * p) / sqrt(n * p * (1 - p));
            a = (n - 1) * p * (1 - p);
        } else if (f->family == CT_FAM_POISSON) {
            double mu = exp(clamp_eta(eta));
            e[i] = (f->k[i] - mu) / sqrt(mu);
            a = mu;
        } else {
            e[i] = (f->k[i] - eta) / f->scale;
            a = 0;
        }
        double one = 1 - h[i] > 0 ? 1 - h[i] : 0;
        sse += e[i] * e[i];
        s1h += one;
        if (f->family == CT_FAM_NORMAL) {
            f->od_num += e[i] * e[i];
            f->od_den += one;
        } else {
            f->od_num += e[i] * e[i] - one;
            f->od_den += one * a;
        }
    }
    f->ac_num = f->ac_exp = f->ac_den = 0;
    if (s1h <= 0.5) return;
    double s2 = sse / s1h;
    for (int i = 1; i < m; i++) {
        if (fabs(f->t[i] - f->t[i - 1] - 1) > 1e-9) continue;
        double dx0 = f->t[i] - f->tc - xb, dx1 = f->t[i - 1] - f->tc - xb;
        double hij = sqrt(w[i] * w[i - 1]) * (1.0 / sw + (sxx > 0 ? dx0 * dx1 / sxx : 0));
        f->ac_num += e[i] * e[i - 1];
        f->ac_exp += -hij * s2;
        f->ac_den += s2;
    }
}

void ct_model_fit_series(ct_family fam, const double *t, const double *y, const double *den, int n, double lo,
                         double hi, int as_count, ct_model_fit *fit)
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
        } else {
            fit->k[m] = y[i];
            fit->size[m] = NAN;
        }
        sum += y[i];
        fit->tc += t[i];
        m++;
    }
    fit->n = m;
    if (m < 2) return;
    fit->tc /= m;
    fit->scale = fabs(sum / m) > 1e-9 ? fabs(sum / m) : 1e-9;
    fit->df = m - 2;
    double w[CT_MODEL_MAX_POINTS];
    if (irls(fit, 0, w) != 0) return;
    fit->ok = 1;
    evidence(fit, w);
}

void ct_model_pool_init(ct_model_pool *pool) { memset(pool, 0, sizeof *pool); }

void ct_model_pool_add(ct_model_pool *pool, int level, const ct_model_fit *fit)
{
    if (level < 0 || level >= CT_MODEL_LEVELS || !fit->ok) return;
    pool->units[level]++;
    pool->od_num[level] += fit->od_num;
    pool->od_den[level] += fit->od_den;
    pool->df[level] += fit->df;
    pool->ac_num[level] += fit->ac_num;
    pool->ac_exp[level] += fit->ac_exp;
    pool->ac_den[level] += fit->ac_den;
}

void ct_model_finish(ct_model_fit *fit, const ct_model_pool *pool, int level)
{
    if (!fit->ok) return;
    int pooled = pool && level >= 0 && level < CT_MODEL_LEVELS && pool->od_den[level] > 0;
    double own = fit->od_den > 0 ? fit->od_num / fit->od_den : 0;
    if (own < 0) own = 0;
    double wown = fit->od_den > 0 ? fit->df / (fit->df + POOL_DF) : 0;
    double s2;
    if (pooled) {
        double p = pool->od_num[level] / pool->od_den[level];
        if (p < 0) p = 0;
        s2 = wown * own + (1 - wown) * p;
    } else {
        s2 = own;
    }
    double rho = 0;
    if (pool && level >= 0 && level < CT_MODEL_LEVELS && pool->ac_den[level] > 0)
        rho = (pool->ac_num[level] - pool->ac_exp[level]) / pool->ac_den[level];
    else if (fit->ac_den > 0)
        rho = (fit->ac_num - fit->ac_exp) / fit->ac_den;
    if (!(rho > 0)) rho = 0;
    if (rho > RHO_MAX) rho = RHO_MAX;
    fit->rho = rho;
    double w[CT_MODEL_MAX_POINTS];
    if (fit->family == CT_FAM_NORMAL) {
        if (s2 < NORMAL_FLOOR) s2 = NORMAL_FLOOR;
        fit->sigma2 = s2 * fit->scale * fit->scale;
        fit->df_pred = fit->df * wown + (pooled ? pool->df[level] < POOL_DF ? pool->df[level] : POOL_DF : 0);
        if (fit->df_pred < 1) fit->df_pred = 1;
        if (irls(fit, 0, w) != 0) { fit->ok = 0; return; }
        fit->c00 *= fit->sigma2;
        fit->c01 *= fit->sigma2;
        fit->c11 *= fit->sigma2;
    } else {
        fit->sigma2 = s2;
        if (irls(fit, s2, w) != 0) { fit->ok = 0; return; }
    }
    /* persistent noise: n points carry about n (1 - rho) / (1 + rho)
     * independent ones (the variance of a mean under AR(1)) */
    double infl = (1 + rho) / (1 - rho);
    fit->c00 *= infl;
    fit->c01 *= infl;
    fit->c11 *= infl;
}
