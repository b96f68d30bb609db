#include "ct_propose_model.h"

#include <math.h>

void ct_pmodel_fit(ct_pmodel *m, const ct_yearly *u, const ct_indicator *ind, const ct_series *s,
                   ct_model_kind model, const ct_model_pool *pool, int unit)
{
    ct_trend_fit(&m->tr, u, ind, s, model, CT_PM_AUTO, pool, unit);
    if (model == CT_MODEL_OLS) {
        m->lo = m->tr.ols.lo_bound;
        m->hi = m->tr.ols.hi_bound;
    } else {
        m->lo = m->tr.cal.lo_bound;
        m->hi = m->tr.cal.hi_bound;
    }
    m->direction = ind->direction;
}

int ct_pmodel_has_central(const ct_pmodel *m) { return m->tr.ok; }
int ct_pmodel_has_spread(const ct_pmodel *m)
{
    if (m->tr.model == CT_MODEL_OLS) return m->tr.ok && m->tr.ols.has_interval;
    return m->tr.ok;
}
int ct_pmodel_points(const ct_pmodel *m) { return m->tr.n; }

double ct_pmodel_central(const ct_pmodel *m, int year)
{
    double c, lo, hi;
    if (!m->tr.ok) return NAN;
    ct_trend_at(&m->tr, year, &c, &lo, &hi);
    return c;
}

double ct_pmodel_prob(const ct_pmodel *m, int year, double x)
{
    if (!ct_pmodel_has_spread(m)) return NAN;
    return ct_trend_probability(&m->tr, year, x, m->direction);
}

/* The least-squares model's P(meets x) is monotone in x: bisection on
 * [lo, hi], which the indicator's bounds or a wide span around the central
 * value give. */
static double ols_value_at(const ct_pmodel *m, int year, double p)
{
    double c, lo, hi, l95, h95;
    ct_trend_at(&m->tr, year, &c, &l95, &h95);
    double w = isfinite(h95) && isfinite(l95) ? (h95 - l95) : fabs(c) + 1;
    /* inside the bounds: a value of exactly 0 % or 100 % enters the model as
     * the empirical logit of a count, which is not on the same curve */
    lo = isfinite(m->lo) ? m->lo + 1e-9 : c - 20 * w - 1;
    hi = isfinite(m->hi) ? m->hi - 1e-9 : c + 20 * w + 1;
    /* "good" end: direction +1 -> P falls as x rises */
    int dir = m->direction >= 0 ? 1 : -1;
    double good = dir > 0 ? hi : lo, bad = dir > 0 ? lo : hi;
    /* at a bound: the bound itself */
    if (ct_pmodel_prob(m, year, bad) < p) return dir > 0 ? (isfinite(m->lo) ? m->lo : bad) : (isfinite(m->hi) ? m->hi : bad);
    if (ct_pmodel_prob(m, year, good) >= p) return dir > 0 ? (isfinite(m->hi) ? m->hi : good) : (isfinite(m->lo) ? m->lo : good);
    for (int it = 0; it < 200 && fabs(good - bad) > 1e-10 * (1 + fabs(good)); it++) {
        double mid = 0.5 * (good + bad);
        if (ct_pmodel_prob(m, year, mid) >= p) bad = mid;
        else good = mid;
    }
    return bad;
}

double ct_pmodel_value_at(const ct_pmodel *m, int year, double p)
{
    if (!ct_pmodel_has_spread(m) || !(p > 0 && p < 1)) return NAN;
    if (m->tr.model == CT_MODEL_OLS) return ols_value_at(m, year, p);
    /* the calibrated predictive is on the printed scale: the value itself
     * (a count of 20 units' 18, a whole number of cases) with P >= p */
    ct_predictive pd;
    if (ct_trend_predictive(&m->tr, year, &pd) != 0 || !pd.ok) return NAN;
    return ct_predict_reached(&pd, p, m->direction >= 0 ? 1 : -1);
}
