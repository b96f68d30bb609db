#include "ct_accum.h"
#include "ct_bind.h"
#include "../model/ct_geo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const ct_series *s;
    ct_period p;
    int unit;
    int apx;          /* a value read rests on a part link without a weight */
} eval_ctx;

static double lookup(const ct_cond *leaf, void *vctx)
{
    const eval_ctx *e = vctx;
    const ct_series *s = e->s;
    if (leaf->ref_kind == CT_REF_ATTR) {
        int u = leaf->attr_level ? s->anc[(size_t)e->unit * (size_t)s->n_levels + (size_t)(leaf->attr_level - 1)] : e->unit;
        return u >= 0 ? s->attr[(size_t)leaf->ref * (size_t)s->n_units + (size_t)u] : NAN;
    }
    const ct_metric *mt = &s->metrics[leaf->ref];
    int at = s->anc[(size_t)e->unit * (size_t)s->n_levels + (size_t)mt->level];
    if (at < 0) return NAN;
    if (s->has_approx && ct_geo_approx(s, leaf->ref, at, e->p)) ((eval_ctx *)vctx)->apx = 1;
    return ct_series_value(s, leaf->ref, at, e->p);
}

static int eval_apx(const ct_series *s, const ct_cond *c, int unit, ct_period p, unsigned char *apx)
{
    eval_ctx e = {s, p, unit, 0};
    int r = ct_cond_eval(c, lookup, &e);
    if (e.apx) *apx = 1;
    return r;
}

int ct_accum_eval(const ct_series *s, const ct_cond *c, int unit, ct_period p)
{
    eval_ctx e = {s, p, unit, 0};
    return ct_cond_eval(c, lookup, &e);
}

/* Whether a base unit is counted at p: it exists then and passes `among`. */
static int counted(const ct_series *s, const ct_indicator *ind, int u, ct_period p)
{
    if (!ct_series_unit_valid(s, u, p)) return 0;
    return !ind->among.cond || ct_accum_eval(s, ind->among.cond, u, p) == 1;
}

/* The contribution of base unit u at period p, added into slot i of a. */
void ct_accum_contribute(const ct_indicator *ind, const ct_series *s, int u, ct_period p, ct_accum *a, int i)
{
    switch (ind->kind) {
    case CT_KIND_SHARE:
    case CT_KIND_COUNT: {
        if (!counted(s, ind, u, p)) return;
        a->exp[i]++;
        int r = eval_apx(s, ind->condition.cond, u, p, &a->apx[i]);
        if (r >= 0) a->rep[i]++;
        if (r == 1) a->num[i]++;
        return;
    }
    case CT_KIND_TRANSITION: {
        if (!counted(s, ind, u, p)) return;
        a->exp[i]++;
        int was = eval_apx(s, ind->from.cond, u, ct_period_prev(p), &a->apx[i]);
        int now = eval_apx(s, ind->to.cond, u, p, &a->apx[i]);
        if (was < 0 || now < 0) return;
        a->rep[i]++;
        if (was == 1) {
            a->den[i]++;
            if (now == 1) a->num[i]++;
        }
        return;
    }
    case CT_KIND_RATIO: {
        if (ct_series_unit_valid(s, u, p)) a->exp[i]++;
        double x = ct_series_value(s, ind->numerator.index, u, p);
        double y = ct_series_value(s, ind->denominator.index, u, p);
        if (isnan(x) || isnan(y)) return;
        if (s->has_approx && (ct_geo_approx(s, ind->numerator.index, u, p) || ct_geo_approx(s, ind->denominator.index, u, p)))
            a->apx[i] = 1;
        a->num[i] += x;
        a->den[i] += y;
        a->cnt[i]++;
        return;
    }
    case CT_KIND_SUM: {
        if (ct_series_unit_valid(s, u, p)) a->exp[i]++;
        double x = ct_series_value(s, ind->metric.index, u, p);
        if (isnan(x)) return;
        if (s->has_approx && ct_geo_approx(s, ind->metric.index, u, p)) a->apx[i] = 1;
        a->num[i] += x;
        a->cnt[i]++;
        return;
    }
    case CT_KIND_FREQUENCY: {
        if (ct_series_unit_valid(s, u, p)) a->exp[i]++;
        int k = ct_ptype_per_year(ind->per) / ct_ptype_per_year((ct_ptype)p.type);
        ct_period sp = {p.year, (unsigned char)ind->per, (unsigned char)(p.sub * k)};
        int met = 0, any = 0, due = 0;
        int until = ct_series_asof_month(s);
        for (int j = 0; j < k; j++, sp.sub++) {
            if (ct_period_last_month(sp) > until) break; /* not over yet as of the as-of period */
            if (!ct_series_unit_valid(s, u, sp)) continue; /* not due before it opened or after it closed */
            due++;
            double x = ct_series_value(s, ind->metric.index, u, sp);
            if (isnan(x)) continue;
            if (s->has_approx && ct_geo_approx(s, ind->metric.index, u, sp)) a->apx[i] = 1;
            any = 1;
            if (x >= ind->at_least) met++;
        }
        if (!any) return;
        a->num[i] += met;
        a->den[i] += due;
        a->cnt[i]++;
        return;
    }
    case CT_KIND_LUA:
        return;
    }
}

/* Coverage of a metric kind: the units of the metric's level with a value
 * over those valid at the period (kept apart from the contract's
 * reported/expected columns, which are for unit-counting kinds). */
static void metric_cover(ct_cell *c, const ct_accum *a, int u)
{
    c->reported = a->cnt[u];
    c->expected = a->exp[u];
    c->flags |= CT_ROW_COVER;
}

ct_cell ct_accum_cell(const ct_indicator *ind, const ct_accum *a, int u)
{
    ct_cell c = {NAN, 0, 0, 0, 0, 0};
    switch (ind->kind) {
    case CT_KIND_SHARE:
    case CT_KIND_TRANSITION:
        c.num = a->num[u];
        c.den = ind->kind == CT_KIND_TRANSITION ? a->den[u] : ind->missing_as_not_met ? a->exp[u] : a->rep[u];
        c.reported = a->rep[u];
        c.expected = a->exp[u];
        c.flags = CT_ROW_NUM | CT_ROW_DEN | CT_ROW_COUNTS | CT_ROW_COVER;
        if (c.den > 0) { c.value = 100.0 * c.num / c.den; c.flags |= CT_ROW_VALUE; }
        break;
    case CT_KIND_COUNT:
        c.num = a->num[u];
        c.reported = a->rep[u];
        c.expected = a->exp[u];
        c.flags = CT_ROW_NUM | CT_ROW_COUNTS | CT_ROW_COVER;
        if (c.reported > 0) { c.value = c.num; c.flags |= CT_ROW_VALUE; }
        break;
    case CT_KIND_RATIO:
        metric_cover(&c, a, u);
        if (!a->cnt[u]) break;
        c.num = a->num[u];
        c.den = a->den[u];
        c.flags |= CT_ROW_NUM | CT_ROW_DEN;
        if (c.den != 0) { c.value = ind->scale * c.num / c.den; c.flags |= CT_ROW_VALUE; }
        break;
    case CT_KIND_SUM:
        metric_cover(&c, a, u);
        if (!a->cnt[u]) break;
        c.num = c.value = a->num[u];
        c.flags |= CT_ROW_NUM | CT_ROW_VALUE;
        break;
    case CT_KIND_FREQUENCY:
        metric_cover(&c, a, u);
        if (!a->cnt[u] || a->den[u] <= 0) break;
        c.num = a->num[u];
        c.den = a->den[u];
        c.value = 100.0 * c.num / c.den;
        c.flags |= CT_ROW_NUM | CT_ROW_DEN | CT_ROW_VALUE;
        break;
    case CT_KIND_LUA:
        break;
    }
    if (a->apx[u] && (c.flags & CT_ROW_VALUE)) c.flags |= CT_ROW_APPROX;
    return c;
}

int ct_accum_alloc(ct_accum *a, int n)
{
    a->num = calloc((size_t)n, sizeof *a->num);
    a->den = calloc((size_t)n, sizeof *a->den);
    a->rep = calloc((size_t)n, sizeof *a->rep);
    a->exp = calloc((size_t)n, sizeof *a->exp);
    a->cnt = calloc((size_t)n, sizeof *a->cnt);
    a->apx = calloc((size_t)n, sizeof *a->apx);
    return a->num && a->den && a->rep && a->exp && a->cnt && a->apx ? 0 : -1;
}

void ct_accum_free(ct_accum *a)
{
    free(a->num); free(a->den); free(a->rep); free(a->exp); free(a->cnt); free(a->apx);
}

void ct_accum_clear(ct_accum *a, int n)
{
    memset(a->num, 0, (size_t)n * sizeof *a->num);
    memset(a->den, 0, (size_t)n * sizeof *a->den);
    memset(a->rep, 0, (size_t)n * sizeof *a->rep);
    memset(a->exp, 0, (size_t)n * sizeof *a->exp);
    memset(a->cnt, 0, (size_t)n * sizeof *a->cnt);
    memset(a->apx, 0, (size_t)n * sizeof *a->apx);
}

/* Whether base unit u contributes to the plan's figures: it lies in the
 * plan's region and, outside the geography, only a closed region's own
 * figures count. */
int ct_accum_contributes(const ct_plan *plan, const ct_series *s, int u)
{
    if (s->in_geo && !s->in_geo[u] && u != plan->region_unit) return 0;
    if (ct_bind_in_plan(plan, s, u)) return 1;
    /* a unit of an abolished level counts towards the unit its units passed into */
    return s->reach && s->reach[u] >= 0 && ct_bind_in_plan(plan, s, s->reach[u]);
}

/* Calls fn for the units a base unit u of an abolished level reaches beyond
 * its own ancestors: its reach and the reach's ancestors up to the first
 * that is an ancestor of u's parent (which the parent chain already has). */
static void each_reached(const ct_series *s, int u, void (*fn)(void *, int, int), void *ctx)
{
    int r = s->reach ? s->reach[u] : -1;
    if (r < 0) return;
    int p = s->parent[u];
    for (int v = r; v >= 0; v = s->parent[v]) {
        if (p >= 0 && ct_series_in_subtree(s, p, v)) break;
        fn(ctx, v, u);
    }
}

typedef struct {
    ct_accum *a;
    const ct_series *s;
} reach_ctx;

static void reach_add(void *vctx, int v, int u)
{
    reach_ctx *c = vctx;
    ct_accum_add(c->a, v, c->a, u);
    if (c->s->reach_apx[u]) c->a->apx[v] = 1;
}

void ct_accum_reach_counts(const ct_series *s, int level, int *v)
{
    if (!s->reach || !v) return;
    for (int k = 0; k < s->level_size[level]; k++) {
        int u = s->level_units[level][k], r = s->reach[u];
        if (r < 0 || !v[u]) continue;
        int p = s->parent[u];
        for (int w = r; w >= 0; w = s->parent[w]) {
            if (p >= 0 && ct_series_in_subtree(s, p, w)) break;
            v[w] += v[u];
        }
    }
}

/* Adds a's base contributions up the hierarchy (and, for a closed region,
 * into the region's unit). */
static void sum_upward(const ct_plan *plan, const ct_indicator *ind, const ct_series *s, ct_accum *a)
{
    for (int k = s->n_units - 1; k >= 0; k--) {
        int u = s->order[k], par = s->parent[u];
        if (par < 0) continue;
        ct_accum_add(a, par, a, u);
    }
    if (s->reach) {
        /* units of an abolished level: towards the new units above them too */
        reach_ctx rc = {a, s};
        const int *base = s->level_units[ind->base_level];
        for (int k = 0; k < s->level_size[ind->base_level]; k++) each_reached(s, base[k], reach_add, &rc);
    }
    if (plan->territory) {
        /* a closed region: what its units became lies under other parents */
        const int *base = s->level_units[ind->base_level];
        int r = plan->region_unit;
        for (int k = 0; k < s->level_size[ind->base_level]; k++) {
            int u = base[k];
            if (!plan->territory[u] || u == r || ct_series_in_subtree(s, u, r)) continue;
            ct_accum_add(a, r, a, u);
        }
    }
}

/* Fills a[k] for every unit at period p[k] (k < nb): base contributions,
 * then sums upward. A unit's values for the nb periods are read together
 * (they lie side by side in the series). The contributing base units are
 * list[0 .. n_list), in file order, or when list is NULL found here. */
void ct_accum_block(const ct_plan *plan, const ct_indicator *ind, const ct_series *s,
                          const ct_period *p, int nb, ct_accum *a, const int *list, int n_list)
{
    for (int k = 0; k < nb; k++) ct_accum_clear(&a[k], s->n_units);
    const int *base = s->level_units[ind->base_level];
    int n = list ? n_list : s->level_size[ind->base_level];
    for (int i = 0; i < n; i++) {
        int u = list ? list[i] : base[i];
        if (!list && !ct_accum_contributes(plan, s, u)) continue;
        for (int k = 0; k < nb; k++) ct_accum_contribute(ind, s, u, p[k], &a[k], u);
    }
    for (int k = 0; k < nb; k++) sum_upward(plan, ind, s, &a[k]);
}
