/* The calibrated trend model's fitter: a generalised linear model of a
 * unit's yearly series on the counts behind it, with extra variation
 * borrowed from the unit's peers (the units of the same indicator and
 * level in the region).
 *
 *   binomial  a share or ratio k of n (a percentage with its denominator):
 *             logit(p_t) = b0 + b1 t + e_t, k_t ~ Binomial(n_t, p_t)
 *   poisson   a count or sum of counts:
 *             log(mu_t) = b0 + b1 t + e_t, k_t ~ Poisson(mu_t)
 *   normal    any other number: y_t = b0 + b1 t + e_t (a percentage
 *             without counts on the logit scale)
 *
 * e_t ~ N(0, sigma2) is the year-to-year variation beyond sampling (for
 * binomial and poisson the sampling variance itself is the floor, so a
 * constant series never gives a zero-width band). The line is fitted by
 * iteratively reweighted least squares (GSL's weighted least squares) with
 * a half count each way spread over the years when a year is 0 or n, so that 0 of n or n of n
 * every year has a finite fit; sigma2 maximises the unit's marginal
 * likelihood (Gauss-Hermite over e_t; REML-like correction for the fitted
 * line) plus its peers' pooled likelihood as a prior (empirical Bayes);
 * the slope has the peers' slopes as a normal prior (their spread and
 * random-effects mean, DerSimonian-Laird), which is what a unit of two or three points borrows;
 * and the parameter covariance is widened for the peers' year-to-year
 * persistence (lag-1 autocorrelation of the
 * residuals). The predictive distribution is in ct_predict.h. Formulas and
 * sources: docs/methodology.md. */
#ifndef CT_MODEL_H
#define CT_MODEL_H

#include "ct_horizon.h"
#include "ct_slope.h"

typedef enum { CT_MODEL_CALIBRATED = 0, CT_MODEL_OLS = 1 } ct_model_kind;

/* The likelihood's quadrature nodes; once at start-up (ct_predict_init
 * calls it). */
void ct_model_init(void);

/* "calibrated" or "ols"; -1 if unknown. */
int ct_model_parse(const char *s, ct_model_kind *out);
const char *ct_model_name(ct_model_kind m);

typedef enum { CT_FAM_BINOMIAL, CT_FAM_POISSON, CT_FAM_NORMAL } ct_family;

enum { CT_MODEL_MAX_POINTS = 256, CT_MODEL_LEVELS = 8, CT_MODEL_GRID = 13 };

/* The year-to-year variances the likelihood is evaluated at: 0, then
 * 0.002 doubling up to 4.1 (on the logit or log scale). */
double ct_model_grid(int g);
/* The spreads of the peers' slopes the random-effects mean is kept at: 0,
 * then 1e-4 doubling up to 0.2 (per year squared, on the link scale; a
 * normal-family slope relative to the series' size). */
double ct_model_tau_grid(int g);

typedef struct {
    ct_family family;
    int n;                   /* points fitted */
    int ok;                  /* a trend exists (n >= 2) */
    double t[CT_MODEL_MAX_POINTS], k[CT_MODEL_MAX_POINTS], size[CT_MODEL_MAX_POINTS];
    double tc;               /* the time the line is centred on */
    double b0, b1;           /* link-scale line: eta(t) = b0 + b1 (t - tc) */
    double c00, c01, c11;    /* covariance of (b0, b1) */
    double size_last;        /* binomial: the last point's denominator */
    int as_count;            /* binomial: the printed value is the count, not a percentage */
    double pseudo;           /* binomial: the extra observation spread over the years (1, or 0 when no year is 0 or n) */
    int logit;               /* normal: a percentage without counts, fitted on the logit scale */
    double scale;            /* normal: the series' typical size (|mean|, at least 1e-9) */
    double lo_bound, hi_bound; /* what the printed value can be (NaN: unbounded) */
    /* the unit's own evidence on its noise, for the pool (first pass) */
    double ll[CT_MODEL_GRID];  /* binomial, poisson: log-likelihood of sigma2 = ct_model_grid(g) */
    double od_num, od_den;   /* normal: relative squared residuals and their degrees of freedom */
    double df;               /* residual degrees of freedom (n - 2) */
    double ac_num, ac_exp, ac_den; /* lag-1 residual products, their white-noise expectation, scale */
    double b1_first, v1_first; /* the first pass's slope and its variance */
    /* the first pass's forecasts of its own last year from the years
     * before it (binomial, poisson; ct_horizon.h) */
    ct_horizon_rec ho[1];
    int ho_n;
    /* after ct_model_finish */
    double b_prior, b_prior_prec; /* the peers' slope prior (precision 0: none) */
    double sigma2;           /* the year-to-year variance on the link scale */
    double rho;              /* the persistence the covariance was widened for */
    double df_pred;          /* normal: degrees of freedom of the predictive t */
    double t_last;           /* the last point's time: the trend beyond it is damped */
    double damp;             /* 1 - phi: the peers' damping of the slope beyond t_last (0: none) */
    double kappa2;           /* the peers' extra link-scale variance per squared year beyond t_last */
} ct_model_fit;

/* The peers' pooled evidence, per level of the units (0..CT_MODEL_LEVELS-1). */
typedef struct {
    double ll[CT_MODEL_LEVELS][CT_MODEL_GRID];
    double od_num[CT_MODEL_LEVELS], od_den[CT_MODEL_LEVELS], df[CT_MODEL_LEVELS];
    double ac_num[CT_MODEL_LEVELS], ac_exp[CT_MODEL_LEVELS], ac_den[CT_MODEL_LEVELS];
    double sw[CT_MODEL_LEVELS], swb[CT_MODEL_LEVELS], swb2[CT_MODEL_LEVELS], sw2[CT_MODEL_LEVELS];
    int n_slopes[CT_MODEL_LEVELS];
    /* the slopes' random-effects sums at the spreads ct_model_tau_grid(g):
     * sum b / (v + T_g) and sum 1 / (v + T_g) */
    double re_wb[CT_MODEL_LEVELS][CT_MODEL_GRID], re_w[CT_MODEL_LEVELS][CT_MODEL_GRID];
    int units[CT_MODEL_LEVELS];
    /* the held-out forecasts (ct_model_fit's ho), and what they give once
     * ct_model_pool_done has run: the damping and the horizon variance */
    ct_horizon_set ho[CT_MODEL_LEVELS];
    int done;
    double damp[CT_MODEL_LEVELS], kappa2[CT_MODEL_LEVELS];
    int prior_ok[CT_MODEL_LEVELS];   /* the slope prior (ct_slope_prior), worked out once */
    double prior_mean[CT_MODEL_LEVELS], prior_var[CT_MODEL_LEVELS];
    /* binomial, poisson: the peers' slopes as a hierarchical GLM (ct_slope.h) */
    ct_slope_pool slope[CT_MODEL_LEVELS];
    /* optional (ct_model_pool_keep): each unit's evidence, so that its
     * second pass need not compute it again */
    int n_kept;
    double *kept;            /* n_kept x CT_MODEL_EVIDENCE */
    unsigned char *has_kept;
} ct_model_pool;

enum { CT_MODEL_EVIDENCE = CT_MODEL_GRID + 6 }; /* ll, then od_num, od_den, ac_num, ac_exp, ac_den, df */

/* First pass: fits n points (t in years; y the printed value: a percentage
 * for binomial, a count for poisson, the number for normal; den the
 * denominators for binomial, else NULL) without extra variation, and keeps
 * the unit's evidence on its noise. NaN values are skipped. A binomial
 * series without a positive denominator for every point, or with a value
 * outside 0-100, is fitted as normal; a poisson series with a negative
 * value likewise. lo/hi bound the printed value (NaN: none). With
 * `as_count`, a binomial value is the count k itself (a count of units of
 * the den units that reported), not a percentage; without a denominator
 * such a series is fitted as poisson. */
void ct_model_fit_series(ct_family fam, const double *t, const double *y, const double *den, int n, double lo,
                         double hi, int as_count, ct_model_fit *fit);

void ct_model_pool_init(ct_model_pool *pool);
/* Makes the pool keep the evidence of units 0..n_units-1 (added with
 * ct_model_pool_add_unit); -1 when out of memory (the pool still works,
 * without keeping). ct_model_pool_free releases it. */
int ct_model_pool_keep(ct_model_pool *pool, int n_units);
void ct_model_pool_free(ct_model_pool *pool);
/* As ct_model_pool_add, keeping the evidence of unit `unit`. */
void ct_model_pool_add_unit(ct_model_pool *pool, int level, int unit, const ct_model_fit *fit);
/* The line of ct_model_fit_series with the evidence the pool kept for
 * `unit` (the same points as when it was added); falls back to
 * ct_model_fit_series when the pool kept none. */
void ct_model_fit_kept(ct_family fam, const double *t, const double *y, const double *den, int n, double lo,
                       double hi, int as_count, const ct_model_pool *pool, int unit, ct_model_fit *fit);
/* Adds a first-pass fit of a unit of level `level` to the pool. */
void ct_model_pool_add(ct_model_pool *pool, int level, const ct_model_fit *fit);

/* After the last ct_model_pool_add: works out what the peers give every
 * unit once (the damping and horizon variance; without it,
 * ct_model_finish works them out for each unit, slower, not different). */
void ct_model_pool_done(ct_model_pool *pool);

/* Second pass: the unit's variance shrunk toward its level's pool (the
 * unit itself included in the pool or not: both work), the persistence,
 * and the final fit with the extra variance in the weights. pool NULL: the
 * unit's own evidence only. */
void ct_model_finish(ct_model_fit *fit, const ct_model_pool *pool, int level);

/* The link-scale line at t and the variance of that estimate; beyond the
 * last point the slope is damped (Gardner and McKenzie 1985): h years
 * beyond it the line has moved phi + phi^2 + ... + phi^h slopes. */
void ct_model_line(const ct_model_fit *fit, double t, double *eta, double *var);

#endif
