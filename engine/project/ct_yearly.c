#include "ct_yearly.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../model/ct_geo.h"

int ct_yearly_complete(int year, int asof_month)
{
    ct_period p = {(short)year, CT_PT_YEAR, 0};
    return ct_period_last_month(p) <= asof_month;
}

/* Time of a period in years, at its end: 2015 -> 2015, 2015S1 -> 2014.5. */
static double period_time(ct_period p)
{
    return p.year - 1 + (p.sub + 1.0) / ct_ptype_per_year((ct_ptype)p.type);
}

static void fill(ct_year_value *v, ct_period p, const ct_cell *c, double min_coverage)
{
    memset(v, 0, sizeof *v);
    v->year = p.year;
    v->t = period_time(p);
    v->has_value = (c->flags & CT_ROW_VALUE) != 0;
    v->value = v->has_value ? c->value : NAN;
    v->num = (c->flags & CT_ROW_NUM) ? c->num : NAN;
    v->den = (c->flags & CT_ROW_DEN) ? c->den : NAN;
    v->coverage = NAN;
    if ((c->flags & CT_ROW_COVER) && c->expected > 0) {
        v->reported = c->reported;
        v->expected = c->expected;
        v->coverage = (double)c->reported / c->expected;
    }
    /* a tiny tolerance so that 4 of 5 meets a minimum of 0.8 */
    v->set_aside = v->has_value && isfinite(v->coverage) && v->coverage < min_coverage - 1e-12;
    v->usable = v->has_value && !v->set_aside;
}

static int same_period(ct_period a, ct_period b)
{
    return a.year == b.year && a.type == b.type && a.sub == b.sub;
}

void ct_yearly_read(const ct_plan *plan, const ct_grid *g, int i, int asof_month, double min_coverage,
                    ct_yearly *u)
{
    memset(u, 0, sizeof *u);
    u->asof_month = asof_month;
    u->asof_year = (asof_month + 1) / 12 - 1;
    for (int j = 0; j < g->n_periods; j++) {
        ct_period p = g->periods[j];
        const ct_cell *c = &g->cells[(size_t)i * (size_t)g->n_periods + (size_t)j];
        if (ct_period_last_month(p) > asof_month) continue; /* not over yet */
        if (plan->has_baseline && same_period(p, plan->baseline)) {
            fill(&u->baseline, p, c, min_coverage);
            u->baseline_period = p;
            u->has_baseline = u->baseline.usable;
            u->baseline_set_aside = u->baseline.set_aside;
        }
        if (p.type != CT_PT_YEAR || u->n >= CT_YEARLY_MAX) continue;
        fill(&u->y[u->n++], p, c, min_coverage);
    }
    if (plan->has_baseline && !u->has_baseline) u->baseline_period = plan->baseline;
}

/* The rest of year `year` after month `closed` of a region that closed
 * then: the sum of metric m over the units of its level that began at
 * closed + 1 and were made of the region's units only (each link into them
 * from the region, whole or with a weight; a part link's share of a unit
 * that passed into several is its weight). NaN when some successor was
 * also made of units outside the region, or a share is unknown. */
static double completion(const ct_series *s, int m, int region, int closed, int year, int *n_units)
{
    const ct_metric *mt = &s->metrics[m];
    ct_period yp = {(short)year, CT_PT_YEAR, 0};
    double sum = 0;
    int n = 0;
    for (int k = 0; k < s->level_size[mt->level]; k++) {
        int v = s->level_units[mt->level][k];
        if (s->orig_first[v] != closed + 1) continue;
        int from_region = 0, from_outside = 0, unknown = 0;
        double share = 0;
        for (int i = 0; i < s->n_links; i++) {
            const ct_link *l = &s->links[i];
            if (l->to != v || l->month != closed + 1) continue;
            if (!ct_series_in_subtree(s, l->from, region)) { from_outside = 1; continue; }
            from_region = 1;
            if (l->whole) share = 1;
            else if (isnan(l->weight)) unknown = 1;
            else share = 1; /* the part's weighted share is in v's value as a whole */
        }
        if (!from_region) continue;
        if (from_outside || unknown) return NAN; /* not the region's alone: approximate */
        double x = ct_series_value(s, m, v, yp);
        if (isnan(x)) return NAN;
        sum += share * x;
        n++;
    }
    *n_units = n;
    return n ? sum : NAN;
}

/* The months in which the units of metric m's level that make unit's
 * figure were valid: those of the geography below it, and those of an
 * abolished level that reach it (a district towards its new province).
 * A unit that stays valid all year while all its units closed within it
 * (old Cần Thơ's districts on the 2025S1 map) has a sum over part of the
 * year, as much as a unit that closed. *own is set when the months are
 * the unit's own. */
static void data_span(const ct_series *s, int m, int unit, int *first, int *last, int *own)
{
    *first = s->valid_first[unit];
    *last = s->valid_last[unit];
    *own = 1;
    if (m < 0) return;
    int lm = s->metrics[m].level;
    if (lm == s->level[unit]) return;
    int lo = INT_MAX, hi = INT_MIN, any = 0;
    for (int k = 0; k < s->level_size[lm]; k++) {
        int v = s->level_units[lm][k];
        if (!ct_geo_in(s, v)) continue;
        int r = s->reach ? s->reach[v] : -1;
        if (!ct_series_in_subtree(s, v, unit) && !(r >= 0 && ct_series_in_subtree(s, r, unit))) continue;
        any = 1;
        if (s->valid_first[v] < lo) lo = s->valid_first[v];
        if (s->valid_last[v] > hi) hi = s->valid_last[v];
    }
    if (!any) return;
    if (lo > *first) { *first = lo; *own = 0; }
    if (hi < *last) { *last = hi; *own = 0; }
}

void ct_yearly_partial(ct_yearly *u, const ct_indicator *ind, const ct_series *s, int unit, int is_region)
{
    if (ind->kind != CT_KIND_SUM || !ct_geo_in(s, unit)) return;
    int first, last, own;
    data_span(s, ind->metric.index, unit, &first, &last, &own);
    for (int k = 0; k < u->n; k++) {
        ct_year_value *v = &u->y[k];
        int y0 = v->year * 12, y1 = y0 + 11;
        int a = first > y0 ? first : y0, b = last < y1 ? last : y1;
        if (!v->has_value || (a == y0 && b == y1) || b < a) continue;
        int n = 0;
        double rest = is_region && own && a == y0 && b < y1 && ind->metric.index >= 0
                          ? completion(s, ind->metric.index, unit, b, v->year, &n) : NAN;
        if (isfinite(rest)) {
            /* whole again: what its units became reported the rest of the year */
            v->value += rest;
            v->num += rest;
            v->completed = n;
            v->part_last = b;
            continue;
        }
        v->part_months = b - a + 1;
        v->part_units = !own;
        v->part_first = a;
        v->part_last = b;
        v->set_aside = 1;
        v->usable = 0;
    }
    if (u->has_baseline && u->baseline_period.type == CT_PT_YEAR)
        for (int k = 0; k < u->n; k++)
            if (u->y[k].year == u->baseline_period.year && u->y[k].part_months) {
                u->has_baseline = 0;
                u->baseline_set_aside = 1;
            }
}

const ct_year_value *ct_yearly_at(const ct_yearly *u, int year)
{
    for (int k = 0; k < u->n; k++)
        if (u->y[k].year == year) return u->y[k].usable ? &u->y[k] : NULL;
    return NULL;
}

int ct_yearly_latest(const ct_yearly *u, int from)
{
    for (int k = u->n - 1; k >= 0; k--) {
        if (u->y[k].year < from) break;
        if (u->y[k].usable) return k;
    }
    return -1;
}

ct_proj_method ct_yearly_method(const ct_indicator *ind, ct_proj_method m)
{
    if (m == CT_PM_AUTO || m == CT_PM_TRANSITION) return ct_indicator_is_percent(ind) ? CT_PM_LOGIT : CT_PM_LINEAR;
    if (m == CT_PM_LOGIT && !ct_indicator_is_percent(ind)) return CT_PM_LINEAR;
    return m;
}

static int metric_is_count(const ct_series *s, const ct_mref *r)
{
    return r->index >= 0 && s->metrics[r->index].type != CT_MT_NUMBER;
}

int ct_yearly_non_negative(const ct_indicator *ind, const ct_series *s)
{
    switch (ind->kind) {
    case CT_KIND_SHARE: case CT_KIND_COUNT: case CT_KIND_TRANSITION: case CT_KIND_FREQUENCY: return 1;
    case CT_KIND_SUM: return metric_is_count(s, &ind->metric);
    case CT_KIND_RATIO: return metric_is_count(s, &ind->numerator) && metric_is_count(s, &ind->denominator);
    case CT_KIND_LUA: return ct_indicator_is_percent(ind);
    }
    return 0;
}

const char *ct_yearly_note_value(double v, char *buf, size_t size)
{
    if (!isfinite(v)) snprintf(buf, size, "-");
    else if (fabs(v) >= 1e4) snprintf(buf, size, "%.0f", v);
    else snprintf(buf, size, "%.4g", v);
    return buf;
}

int ct_yearly_points(const ct_yearly *u, int den_reported, double *t, double *y, double *den)
{
    int n = 0;
    for (int k = 0; k < u->n; k++) {
        if (!u->y[k].usable) continue;
        t[n] = u->y[k].t;
        y[n] = u->y[k].value;
        den[n] = u->y[k].den;
        if (den_reported) den[n] = u->y[k].reported > 0 ? u->y[k].reported : NAN;
        n++;
    }
    return n;
}

void ct_yearly_fit(const ct_yearly *u, const ct_indicator *ind, const ct_series *s, ct_proj_method m,
                   ct_proj_fit *fit)
{
    double t[CT_YEARLY_MAX], y[CT_YEARLY_MAX], den[CT_YEARLY_MAX];
    int n = ct_yearly_points(u, 0, t, y, den);
    ct_proj_fit_counts(ct_yearly_method(ind, m), t, y, den, n, fit);
    int pct = ct_indicator_is_percent(ind);
    ct_proj_bound(fit, ct_yearly_non_negative(ind, s) ? 0 : NAN, pct ? 100 : NAN);
}
