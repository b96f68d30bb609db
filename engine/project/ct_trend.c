#include "ct_trend.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

ct_family ct_trend_family(const ct_indicator *ind, const ct_series *s)
{
    if (ct_indicator_is_percent(ind) || ind->kind == CT_KIND_COUNT) return CT_FAM_BINOMIAL;
    if (ind->kind == CT_KIND_COUNT || (ind->kind == CT_KIND_SUM && ct_yearly_non_negative(ind, s))) return CT_FAM_POISSON;
    return CT_FAM_NORMAL;
}

/* The calibrated first pass on a unit's usable years (with the evidence
 * the pool kept for `unit`, if any). */
static void first_pass(const ct_yearly *u, const ct_indicator *ind, const ct_series *s, const ct_model_pool *pool,
                       int unit, ct_model_fit *fit)
{
    double t[CT_YEARLY_MAX], y[CT_YEARLY_MAX], den[CT_YEARLY_MAX];
    /* a count of units is k of the units that reported */
    int n = ct_yearly_points(u, ind->kind == CT_KIND_COUNT, t, y, den);
    int pct = ct_indicator_is_percent(ind);
    ct_model_fit_kept(ct_trend_family(ind, s), t, y, den, n, ct_yearly_non_negative(ind, s) ? 0 : NAN, pct ? 100 : NAN,
                      ind->kind == CT_KIND_COUNT, pool, unit, fit);
}

ct_status ct_trend_pool(const ct_plan *plan, const ct_indicator *ind, const ct_series *s, const ct_grid *g,
                        const ct_compute_filter *filter, int asof_month, double min_coverage, ct_model_kind model,
                        int (*applies)(const ct_series *s, const ct_indicator *ind, int unit), ct_model_pool *pool)
{
    ct_model_pool_init(pool);
    if (model == CT_MODEL_OLS) return CT_OK;
    ct_model_pool_keep(pool, s->n_units); /* without it, slower, not different */
    ct_grid own = {0, 0, NULL, NULL, NULL};
    const ct_grid *pg = g;
    if (filter && (filter->unit >= 0 || filter->level >= 0)) {
        /* a unit's peers are every unit of its level, printed or not */
        ct_compute_filter f = {filter->unit >= 0 ? s->level[filter->unit] : filter->level, -1, CT_PT_YEAR};
        ct_status st = ct_compute_grid(plan, ind, s, &f, &own);
        if (st != CT_OK) return st;
        pg = &own;
    }
    ct_yearly *u = malloc(sizeof *u);
    ct_model_fit *fit = malloc(sizeof *fit);
    if (!u || !fit) { free(u); free(fit); ct_grid_free(&own); return CT_ENOMEM; }
    for (int k = 0; k < pg->n_units; k++) {
        if (applies && !applies(s, ind, pg->units[k])) continue;
        ct_yearly_read(plan, pg, k, asof_month, min_coverage, u);
        first_pass(u, ind, s, NULL, -1, fit);
        ct_model_pool_add_unit(pool, s->level[pg->units[k]], pg->units[k], fit);
    }
    free(u);
    free(fit);
    if (pg == &own) ct_grid_free(&own);
    ct_model_pool_done(pool);
    return CT_OK;
}

static ct_proj_method family_method(ct_family f)
{
    return f == CT_FAM_BINOMIAL ? CT_PM_BINOMIAL : f == CT_FAM_POISSON ? CT_PM_POISSON : CT_PM_NORMAL;
}

void ct_trend_fit(ct_trend *tr, const ct_yearly *u, const ct_indicator *ind, const ct_series *s, ct_model_kind model,
                  ct_proj_method m, const ct_model_pool *pool, int unit)
{
    tr->model = model;
    if (model == CT_MODEL_OLS) {
        ct_yearly_fit(u, ind, s, m, &tr->ols);
        tr->method = tr->ols.method;
        tr->n = tr->ols.n;
        tr->ok = tr->ols.ok;
        return;
    }
    first_pass(u, ind, s, pool, unit, &tr->cal);
    ct_model_finish(&tr->cal, pool, s->level[unit]);
    tr->method = family_method(tr->cal.family);
    tr->n = tr->cal.n;
    tr->ok = tr->cal.ok;
}

int ct_trend_predictive(const ct_trend *tr, double t, ct_predictive *pd)
{
    if (tr->model == CT_MODEL_OLS || !tr->ok) return -1;
    ct_predict_at(&tr->cal, t, pd);
    return pd->ok ? 0 : -1;
}

void ct_trend_at(const ct_trend *tr, double t, double *mean, double *lo, double *hi)
{
    if (tr->model == CT_MODEL_OLS) { ct_proj_at(&tr->ols, t, mean, lo, hi); return; }
    *mean = *lo = *hi = NAN;
    if (!tr->ok) return;
    ct_predictive pd;
    ct_predict_at(&tr->cal, t, &pd);
    *mean = ct_predict_center(&pd);
    ct_predict_interval(&pd, 0.95, lo, hi);
}

double ct_trend_probability(const ct_trend *tr, double t, double target, int direction)
{
    if (tr->model == CT_MODEL_OLS) return ct_proj_probability(&tr->ols, t, target, direction);
    if (!tr->ok || !isfinite(target)) return NAN;
    ct_predictive pd;
    ct_predict_at(&tr->cal, t, &pd);
    return direction >= 0 ? ct_predict_prob_ge(&pd, target) : ct_predict_prob_le(&pd, target);
}

int ct_trend_met_year(const ct_trend *tr, double target, int direction, int from, int until)
{
    if (tr->model == CT_MODEL_OLS) return ct_proj_met_year(&tr->ols, target, direction, from, until);
    if (!tr->ok || !isfinite(target)) return 0;
    const ct_model_fit *f = &tr->cal;
    double z = ct_predict_link_target(f, target, direction);
    if (isnan(z)) return 0;
    /* year by year: at most 2100 - from steps */
    for (int y = from; y <= until; y++) {
        double eta, v;
        ct_model_line(f, y, &eta, &v);
        if (direction >= 0 ? eta >= z - 1e-12 : eta <= z + 1e-12) return y;
    }
    return 0;
}
