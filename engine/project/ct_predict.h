/* The calibrated model's predictive distribution of a target year's
 * printed value, from a fit of ct_model.h:
 *
 *   binomial  the value is 100 K / N (or K, for a count of units), N the
 *             last year's denominator (units that reported),
 *             K ~ Binomial(N, expit(eta)), eta ~ Normal(line(t), v)
 *   poisson   the value is K ~ Poisson(exp(eta)), eta ~ Normal(line(t), v)
 *   normal    the value is line(t) + sqrt(v) T, T Student t, kept within
 *             the indicator's bounds
 *
 * with v the variance of the fitted line at t (parameter uncertainty)
 * plus the year-to-year variance. The mixtures over eta are integrated by
 * Gauss-Hermite quadrature. Probabilities are on the printed scale: the
 * value 90% of a share of 20 units is 18 of 20, so P(value >= 90) >=
 * P(value >= 100) always, and an interval may contain 0% and 100%.
 *
 * The API for a caller (assess, project, propose), in order:
 *   ct_model_fit_series   the unit's yearly points (first pass)
 *   ct_model_pool_add     every peer's first-pass fit (optional)
 *   ct_model_finish       the unit's variance from its own and its peers'
 *   ct_predict_at         the predictive distribution at a time (a year)
 * then any of ct_predict_center, _interval, _prob_ge, _prob_le, _quantile,
 * _reached on it. A caller holding an indicator's grid and a unit's
 * ct_yearly lets ct_trend.h do the first steps as assess does:
 * ct_trend_pool (once per indicator), ct_trend_fit (per unit),
 * ct_trend_predictive (per year), ct_model_pool_free. The distribution is a value (no allocation, nothing to
 * free); functions are safe from several threads once ct_predict_init has
 * run (ct_proj_init calls it). */
#ifndef CT_PREDICT_H
#define CT_PREDICT_H

#include "ct_model.h"

typedef struct {
    int ok;                /* 0: no distribution (fewer than two points) */
    ct_family family;
    double eta, var;       /* link-scale mean and variance at t */
    double size;           /* binomial: N */
    double per_k;          /* binomial: the printed value of one count (100 / N; 1 for counts) */
    double df;             /* normal: degrees of freedom */
    int logit;             /* normal: eta is on the logit scale of a percentage */
    double lo_bound, hi_bound; /* the printed value's bounds (NaN: none) */
} ct_predictive;

/* The quadrature nodes; call once at start-up (ct_proj_init does). */
void ct_predict_init(void);

/* The predictive distribution at time t (years). */
void ct_predict_at(const ct_model_fit *fit, double t, ct_predictive *pd);

/* The central value: the trend's value at t (for binomial and poisson the
 * median of the rate, 100 expit(eta) and exp(eta)); NaN if !ok. */
double ct_predict_center(const ct_predictive *pd);

/* The two-sided interval holding the value with probability `level`
 * (0.95: the 2.5% and 97.5% quantiles). For the discrete families, of the
 * quantiles' interval and those without one end or both, the one whose
 * probability is closest to `level`, so that the interval holds the value
 * about `level` of the time rather than always more; never a single value
 * while another one is possible. */
void ct_predict_interval(const ct_predictive *pd, double level, double *lo, double *hi);

/* P(value >= x) and P(value <= x), on the printed scale (0-1). Exactly 0
 * or 1 only when no value the distribution can take is on the other side
 * of x (e.g. x <= 0 for a share); else within [1e-4, 1 - 1e-4]: beyond
 * that the model's tails are not to be trusted. */
double ct_predict_prob_ge(const ct_predictive *pd, double x);
double ct_predict_prob_le(const ct_predictive *pd, double x);

/* The smallest printed value v with P(value <= v) >= p. */
double ct_predict_quantile(const ct_predictive *pd, double p);

/* The value reached or passed with probability p: direction +1 the
 * largest v with P(value >= v) >= p, -1 the smallest v with
 * P(value <= v) >= p. */
double ct_predict_reached(const ct_predictive *pd, double p, int direction);

/* The link-scale threshold the central line must pass for the printed
 * value to meet target (direction +1: at least): for binomial the latent
 * rate at which the expected count rounds to the target's count; NaN if
 * the target cannot be met. */
double ct_predict_link_target(const ct_model_fit *fit, double target, int direction);

#endif
