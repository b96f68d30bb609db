/* A unit's trend as assess and project read it, by the model chosen:
 * ols (ct_proj.h: least squares, today's formulas kept exactly) or
 * calibrated (ct_model.h and ct_predict.h: the counts' own likelihood and
 * the noise borrowed from the peers). One reader for both, so that every
 * projected value, band and probability shown comes from one model. */
#ifndef CT_TREND_H
#define CT_TREND_H

#include "ct_model.h"
#include "ct_predict.h"
#include "ct_proj.h"
#include "ct_yearly.h"

typedef struct {
    ct_model_kind model;
    ct_proj_method method;   /* the row's method: linear, logit, cagr (ols); binomial, poisson, normal */
    int n;                   /* points fitted */
    int ok;                  /* a trend exists */
    ct_proj_fit ols;
    ct_model_fit cal;
} ct_trend;

/* The calibrated family of an indicator: binomial for percentages and
 * counts of units (k of the units that reported), poisson for sums of
 * counts, normal otherwise. */
ct_family ct_trend_family(const ct_indicator *ind, const ct_series *s);

/* The peers' pool for an indicator: the first-pass fit of every unit of
 * grid g, by level, or, when filter picks a unit or a level, of every
 * unit of that level (a grid computed here); only the units `applies`
 * accepts (NULL: all), those that have rows. Nothing to do for ols.
 * The pool keeps each unit's evidence for its second pass: release it
 * with ct_model_pool_free. */
ct_status ct_trend_pool(const ct_plan *plan, const ct_indicator *ind, const ct_series *s, const ct_grid *g,
                        const ct_compute_filter *filter, int asof_month, double min_coverage, ct_model_kind model,
                        int (*applies)(const ct_series *s, const ct_indicator *ind, int unit), ct_model_pool *pool);

/* Fits unit `unit`'s usable years u, with its level's pool. */
void ct_trend_fit(ct_trend *tr, const ct_yearly *u, const ct_indicator *ind, const ct_series *s, ct_model_kind model,
                  ct_proj_method m, const ct_model_pool *pool, int unit);

/* The calibrated predictive distribution at year t (ct_predict.h: its
 * center, intervals at any level, P(value >= x), quantiles); -1 for ols or
 * without a trend. */
int ct_trend_predictive(const ct_trend *tr, double t, ct_predictive *pd);

/* The central value at year t and its 95% interval (NaN: none). */
void ct_trend_at(const ct_trend *tr, double t, double *mean, double *lo, double *hi);

/* The probability that year t meets target (direction +1: at least); NaN
 * when the model has none (ols with fewer than three points). */
double ct_trend_probability(const ct_trend *tr, double t, double target, int direction);

/* The first year from `from` to `until` the central line meets target; 0: none. */
int ct_trend_met_year(const ct_trend *tr, double target, int direction, int from, int until);

#endif
