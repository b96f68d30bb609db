/* The trend model as planning asks it: the central value for a year, the
 * probability of meeting a value, and the value reached with a given
 * probability. The one place `propose` meets the model (ct_trend.h: the
 * calibrated model by default, the least-squares one with --model ols), so
 * that propose's probabilities are those assess prints for the same value. */
#ifndef CT_PROPOSE_MODEL_H
#define CT_PROPOSE_MODEL_H

#include "ct_trend.h"

typedef struct {
    ct_trend tr;
    double lo, hi;       /* what the indicator can be: 0-100, at least 0, or unbounded (NaN) */
    int direction;
} ct_pmodel;

/* Fits unit `unit`'s usable complete years (all of them: the history before
 * a new baseline counts), with its level's peers in pool (ct_trend_pool). */
void ct_pmodel_fit(ct_pmodel *m, const ct_yearly *u, const ct_indicator *ind, const ct_series *s,
                   ct_model_kind model, const ct_model_pool *pool, int unit);

/* Whether the model gives a central value / a distribution. */
int ct_pmodel_has_central(const ct_pmodel *m);
int ct_pmodel_has_spread(const ct_pmodel *m);

/* The years the model was fitted to. */
int ct_pmodel_points(const ct_pmodel *m);

/* The central value (median) for year; NaN without a trend. */
double ct_pmodel_central(const ct_pmodel *m, int year);

/* P(the year's value meets x) in the indicator's direction; NaN without a spread. */
double ct_pmodel_prob(const ct_pmodel *m, int year, double x);

/* The value the year reaches or passes (in the indicator's direction) with
 * probability p, within the indicator's bounds; NaN without a spread. */
double ct_pmodel_value_at(const ct_pmodel *m, int year, double p);

#endif
