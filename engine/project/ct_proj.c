#include "ct_proj.h"
#include "ct_predict.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <math.h>
#include <string.h>

static const char *const method_names[] = {"auto",       "linear",   "logit",   "cagr",
                                           "transition", "binomial", "poisson", "normal"};

int ct_proj_method_parse(const char *s, ct_proj_method *out)
{
    for (int i = 0; i < 5; i++)
        if (strcmp(s, method_names[i]) == 0) { *out = (ct_proj_method)i; return 0; }
    return -1;
}

const char *ct_proj_method_name(ct_proj_method m) { return method_names[m]; }

enum { MAX_POINTS = 512 };

/* Student t quantiles for 95% two-sided intervals, by degrees of freedom:
 * computed once, since the inverse CDF is costly and fits are many. */
static double t975[MAX_POINTS + 1];

void ct_proj_init(void)
{
    gsl_set_error_handler_off();
    ct_predict_init();
    for (int df = 1; df <= MAX_POINTS; df++) t975[df] = gsl_cdf_tdist_Pinv(0.975, df);
}

static double t_quantile(int df)
{
    if (df >= 1 && df <= MAX_POINTS && t975[df] > 0) return t975[df];
    return gsl_cdf_tdist_Pinv(0.975, df);
}

/* The empirical logit ln((k + 1/2) / (n - k + 1/2)) of a percentage y with
 * denominator n (Cox 1970; docs/methodology.md); the plain logit between. */
static double logit_of(double y, double den)
{
    double n = isfinite(den) && den > 0 ? den : 100.0;
    if (y <= 0 || y >= 100) {
        double k = y <= 0 ? 0 : n;
        return log((k + 0.5) / (n - k + 0.5));
    }
    return log(y / (100.0 - y));
}

static double to_scale(ct_proj_method m, double y, double den)
{
    switch (m) {
    case CT_PM_LOGIT: return logit_of(y, den);
    case CT_PM_CAGR: return log(y < 0.001 ? 0.001 : y);
    default: return y;
    }
}

static double from_scale(ct_proj_method m, double z)
{
    switch (m) {
    case CT_PM_LOGIT: return 100.0 / (1.0 + exp(-z));
    case CT_PM_CAGR: return exp(z);
    default: return z;
    }
}

void ct_proj_fit_series(ct_proj_method m, const double *t, const double *y, int n, ct_proj_fit *fit)
{
    ct_proj_fit_counts(m, t, y, NULL, n, fit);
}

void ct_proj_fit_counts(ct_proj_method m, const double *t, const double *y, const double *den, int n,
                        ct_proj_fit *fit)
{
    memset(fit, 0, sizeof *fit);
    fit->lo_bound = fit->hi_bound = fit->den_last = NAN;
    fit->method = m == CT_PM_AUTO || m == CT_PM_TRANSITION ? CT_PM_LINEAR : m;
    for (int i = 0; fit->method == CT_PM_LOGIT && i < n; i++)
        if (isfinite(y[i]) && (y[i] < 0 || y[i] > 100)) fit->method = CT_PM_LINEAR;
    double x[MAX_POINTS], z[MAX_POINTS];
    int k = 0;
    for (int i = 0; i < n && k < MAX_POINTS; i++) {
        if (!isfinite(y[i])) continue;
        double d = den ? den[i] : NAN;
        x[k] = t[i];
        z[k] = to_scale(fit->method, y[i], d);
        fit->den_last = d;
        k++;
    }
    fit->n = k;
    if (k == 0) return;
    fit->x_last = x[k - 1];
    if (k < 2) return;
    if (gsl_fit_linear(x, 1, z, 1, (size_t)k, &fit->c0, &fit->c1, &fit->cov00, &fit->cov01,
                       &fit->cov11, &fit->sumsq) != GSL_SUCCESS)
        return;
    fit->ok = isfinite(fit->c0) && isfinite(fit->c1);
    fit->has_interval = fit->ok && k >= 3;
}

void ct_proj_bound(ct_proj_fit *fit, double lo, double hi)
{
    fit->lo_bound = lo;
    fit->hi_bound = hi;
}

static double clip(const ct_proj_fit *fit, double v)
{
    if (isfinite(fit->lo_bound) && v < fit->lo_bound) return fit->lo_bound;
    if (isfinite(fit->hi_bound) && v > fit->hi_bound) return fit->hi_bound;
    return v;
}

void ct_proj_fit_transition(double p0, double t0, double r_lo, double r_hi, ct_proj_fit *fit)
{
    memset(fit, 0, sizeof *fit);
    fit->lo_bound = fit->hi_bound = fit->den_last = NAN;
    fit->method = CT_PM_TRANSITION;
    fit->p0 = p0;
    fit->x_last = t0;
    fit->r_lo = r_lo;
    fit->r_hi = r_hi;
    fit->n = 1;
    fit->ok = isfinite(p0);
    fit->has_interval = fit->ok;
}

static double transition_path(double p0, double r, double years)
{
    return 100.0 - (100.0 - p0) * pow(1.0 - r, years);
}

/* The trend's value at t on the fitted scale and the standard error of a
 * new observation there: prediction, not confidence, so the residual
 * variance is added to the variance of the fitted mean. */
static int predictive(const ct_proj_fit *fit, double t, double *zhat, double *se)
{
    double zerr;
    if (gsl_fit_linear_est(t, fit->c0, fit->c1, fit->cov00, fit->cov01, fit->cov11, zhat, &zerr) != GSL_SUCCESS)
        return -1;
    double s2 = fit->n > 2 ? fit->sumsq / (fit->n - 2) : 0;
    *se = sqrt(s2 + zerr * zerr);
    return 0;
}

void ct_proj_at(const ct_proj_fit *fit, double t, double *mean, double *lo, double *hi)
{
    *mean = *lo = *hi = NAN;
    if (!fit->ok) return;
    if (fit->method == CT_PM_TRANSITION) {
        double years = t - fit->x_last;
        if (years < 0) years = 0;
        *mean = transition_path(fit->p0, (fit->r_lo + fit->r_hi) / 2, years);
        *lo = transition_path(fit->p0, fit->r_lo, years);
        *hi = transition_path(fit->p0, fit->r_hi, years);
        return;
    }
    double zhat, se;
    if (predictive(fit, t, &zhat, &se) != 0) return;
    *mean = clip(fit, from_scale(fit->method, zhat));
    if (!fit->has_interval) return;
    double q = t_quantile(fit->n - 2);
    *lo = clip(fit, from_scale(fit->method, zhat - q * se));
    *hi = clip(fit, from_scale(fit->method, zhat + q * se));
}

double ct_proj_probability(const ct_proj_fit *fit, double t, double target, int direction)
{
    double zhat, se;
    if (fit->method == CT_PM_TRANSITION || !fit->has_interval || !isfinite(target)) return NAN;
    if (predictive(fit, t, &zhat, &se) != 0 || !isfinite(se)) return NAN;
    double z = to_scale(fit->method, target, fit->den_last);
    /* points exactly on a line: the predictive distribution is that line */
    if (se == 0) return (direction >= 0 ? zhat >= z - 1e-12 : zhat <= z + 1e-12) ? 1.0 : 0.0;
    double below = gsl_cdf_tdist_P((z - zhat) / se, fit->n - 2);
    return direction >= 0 ? 1.0 - below : below;
}

static int meets(double v, double target, int direction)
{
    const double eps = 1e-9;
    return direction >= 0 ? v >= target - eps : v <= target + eps;
}

/* The trend line is monotone on its own scale: solve for the crossing. */
static int line_met_year(const ct_proj_fit *fit, double target, int direction, int from, int until)
{
    if (fit->method == CT_PM_LOGIT && (target < 0 || target > 100)) return 0;
    if (fit->method == CT_PM_CAGR && target <= 0) return 0;
    double z = to_scale(fit->method, target, fit->den_last);
    double at_from = fit->c0 + fit->c1 * from;
    if (direction >= 0 ? at_from >= z : at_from <= z) return from;
    if (fit->c1 == 0 || (fit->c1 > 0) != (direction >= 0)) return 0;
    double t = (z - fit->c0) / fit->c1;
    if (!(t - 1e-9 <= until)) return 0; /* also keeps a far crossing out of int */
    if (t < from) return from;
    int y = (int)ceil(t - 1e-9);
    if (y < from) y = from;
    return y <= until ? y : 0;
}

int ct_proj_met_year(const ct_proj_fit *fit, double target, int direction, int from, int until)
{
    if (!fit->ok || !isfinite(target)) return 0;
    if (fit->method != CT_PM_TRANSITION) return line_met_year(fit, target, direction, from, until);
    for (int y = from; y <= until; y++) {
        double m, lo, hi;
        ct_proj_at(fit, y, &m, &lo, &hi);
        if (isfinite(m) && meets(m, target, direction)) return y;
    }
    return 0;
}

double ct_proj_rate_linear(double start, double end, double years)
{
    if (!(years > 0)) return NAN;
    return (end - start) / years;
}

double ct_proj_rate_compound(double start, double end, double years)
{
    if (!(years > 0) || start < 0 || end < 0) return NAN;
    if (start == 0) start = 0.001;
    if (end == 0) end = 0.001;
    return pow(end / start, 1.0 / years) - 1.0;
}

double ct_proj_transition_rate_needed(double p0, double target, double years)
{
    if (!(years > 0) || p0 >= 100 || target >= 100) return target >= 100 && p0 < 100 ? 1.0 : NAN;
    if (target <= p0) return 0;
    return 1.0 - pow((100.0 - target) / (100.0 - p0), 1.0 / years);
}
