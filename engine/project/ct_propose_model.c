#include "ct_propose_model.h"

#include <math.h>

void ct_pmodel_fit(ct_pmodel *m, const ct_yearly *u, const ct_indicator *ind, const ct_series *s)
{
    ct_yearly_fit(u, ind, s, CT_PM_AUTO, &m->fit);
    m->lo = m->fit.lo_bound;
    m->hi = m->fit.hi_bound;
    m->direction = ind->direction;
}

int ct_pmodel_has_central(const ct_pmodel *m) { return m->fit.ok; }
int ct_pmodel_has_spread(const ct_pmodel *m) { return m->fit.ok && m->fit.has_interval; }

double ct_pmodel_central(const ct_pmodel *m, int year)
{
    double c, lo, hi;
    if (!m->fit.ok) return NAN;
    ct_proj_at(&m->fit, year, &c, &lo, &hi);
    return c;
}

double ct_pmodel_prob(const ct_pmodel *m, int year, double x)
{
    if (!ct_pmodel_has_spread(m)) return NAN;
    return ct_proj_probability(&m->fit, year, x, m->direction);
}

/* The model's P(meets x) is monotone in x: bisection on [lo, hi], which the
 * indicator's bounds or a wide span around the central value give. */
double ct_pmodel_value_at(const ct_pmodel *m, int year, double p)
{
    if (!ct_pmodel_has_spread(m) || !(p > 0 && p < 1)) return NAN;
    double c, lo, hi, l95, h95;
    ct_proj_at(&m->fit, year, &c, &l95, &h95);
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
