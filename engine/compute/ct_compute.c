#include "ct_compute.h"
#include "../model/ct_geo.h"

#include <limits.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- binding ----------------------------------------------------------------- */

typedef struct {
    const ct_plan *plan;
    const ct_series *s;
    ct_diags *d;
    const ct_cexpr *ce;
    const char *key;
    int of_level;
    int bad;
    int at, at_col, at_nl;    /* leaf_pos's cursor: the column at byte at of the text */
    unsigned char *uses;
} leaf_ctx;

/* Where a name in a condition stands in the plan file. Leaves come in the
 * order of the text: the column is counted on from the last leaf's, so that
 * binding a long condition stays linear. */
static ct_pos leaf_pos(leaf_ctx *lc, const ct_cond *leaf)
{
    const ct_cexpr *ce = lc->ce;
    ct_pos p = ce->text_pos;
    if (leaf->offset < lc->at) { lc->at = 0; lc->at_col = p.col; lc->at_nl = 0; }
    int i = lc->at, c = lc->at_col, nl = lc->at_nl;
    for (; i < leaf->offset && ce->text[i] && !nl; i++) {
        if (ce->text[i] == '\n') nl = 1; /* a later line: its start is shown as the text's */
        else if (((unsigned char)ce->text[i] & 0xC0) != 0x80) c++;
    }
    lc->at = i;
    lc->at_col = c;
    lc->at_nl = nl;
    if (!nl) p.col = c;
    return p;
}

typedef struct {
    const ct_plan *plan;
    ct_series *s;
    ct_diags *d;
    leaf_ctx cur;         /* leaf_pos's cursor over the condition's text */
} use_ctx;

/* Marks a metric that the plan reads without declaring it, when metrics.csv
 * declares it (anything else is reported when the plan binds). */
static void use_name(const ct_plan *plan, ct_series *s, const char *name, ct_pos pos, ct_diags *d)
{
    if (!name || ct_plan_metric(plan, name)) return;
    int m = ct_series_metric(s, name, strlen(name));
    if (m < 0 || !s->metrics[m].dict_file || ct_series_attr(s, name) >= 0) return;
    ct_series_use_metric(s, m, plan->path, pos.line, pos.col, d);
}


static int use_leaf(ct_cond *leaf, void *vctx)
{
    use_ctx *c = vctx;
    use_name(c->plan, c->s, leaf->name, leaf_pos(&c->cur, leaf), c->d);
    return 0;
}

static void use_cexpr(const ct_plan *plan, ct_series *s, const ct_cexpr *ce, ct_diags *d)
{
    if (!ce->cond) return;
    use_ctx c = {plan, s, d, {0}};
    c.cur.ce = ce;
    c.cur.at_col = ce->text_pos.col;
    ct_cond_each_leaf(ce->cond, use_leaf, &c);
}

ct_status ct_compute_declare(const ct_plan *plan, ct_series *s, ct_diags *d)
{
    size_t before = d->n_errors;
    for (size_t i = 0; i < plan->n_metrics; i++) {
        const ct_metric_decl *m = &plan->metrics[i];
        if (!m->name || !m->level) continue;
        int k = ct_series_declare_metric(s, m->name, m->level, (int)m->type, (int)m->over_time, m->merge,
                                         plan->path, m->pos.line, m->pos.col, d);
        if (k >= 0) ct_series_use_metric(s, k, plan->path, m->pos.line, m->pos.col, d);
    }
    for (size_t i = 0; i < plan->n_indicators; i++) {
        const ct_indicator *ind = &plan->indicators[i];
        const ct_mref *refs[] = {&ind->metric, &ind->numerator, &ind->denominator};
        for (int k = 0; k < 3; k++) use_name(plan, s, refs[k]->name, refs[k]->pos, d);
        const ct_cexpr *ces[] = {&ind->condition, &ind->among, &ind->from, &ind->to};
        for (int k = 0; k < 4; k++) use_cexpr(plan, s, ces[k], d);
    }
    return d->n_errors > before ? CT_EINPUT : CT_OK;
}


static int metric_level_ok(const ct_series *s, int metric_level, int of_level)
{
    return metric_level == of_level || s->level_above[of_level * s->n_levels + metric_level];
}

static int bind_leaf(ct_cond *leaf, void *vctx)
{
    leaf_ctx *c = vctx;
    const ct_series *s = c->s;
    const char *file = c->plan->path;
    ct_pos lp = leaf_pos(c, leaf);
    int line = lp.line, col = lp.col;
    int declared = ct_plan_metric(c->plan, leaf->name) != NULL;
    int known = ct_series_metric(s, leaf->name, strlen(leaf->name));
    if (!declared && known >= 0 && s->metrics[known].dict_file) declared = 1;
    int attr = ct_series_attr(s, leaf->name);
    if (declared && attr >= 0) {
        ct_error_at(c->d, file, line, col, "'%s' in %s is both a declared metric and a column of %s; rename one",
                    leaf->name, c->key, s->units_path);
        c->bad = 1;
        return 0;
    }
    if (declared) {
        int m = ct_series_metric(s, leaf->name, strlen(leaf->name));
        if (m < 0) { c->bad = 1; return 0; } /* its declaration was refused already */
        leaf->ref_kind = CT_REF_METRIC;
        leaf->ref = m;
        if (c->uses) c->uses[m] = 1;
        if (c->of_level >= 0 && !metric_level_ok(s, s->metrics[m].level, c->of_level)) {
            ct_error_at(c->d, file, line, col, "metric '%s' is reported per %s, which is not at or above the %s units this indicator counts",
                        leaf->name, s->level_name[s->metrics[m].level], s->level_name[c->of_level]);
            c->bad = 1;
        }
        return 0;
    }
    if (attr >= 0) {
        leaf->ref_kind = CT_REF_ATTR;
        leaf->ref = attr;
        if (s->attr_bad_line[attr]) {
            ct_error_at(c->d, s->units_path, s->attr_bad_line[attr], 0,
                        "attribute '%s' is read by a condition (%s:%d) but '%s' is not a number",
                        leaf->name, file, line, s->attr_bad_text[attr]);
            c->bad = 1;
        }
        return 0;
    }
    ct_error_at(c->d, file, line, col, "'%s' in %s is neither a metric declared by the plan%s%s nor a column of %s",
                leaf->name, c->key, s->dict_path ? " or " : "", s->dict_path ? s->dict_path : "", s->units_path);
    c->bad = 1;
    return 0;
}

static int bind_cexpr(const ct_plan *plan, const ct_series *s, ct_cexpr *ce, const char *key,
                      int of_level, ct_diags *d)
{
    if (!ce->cond) return 0;
    leaf_ctx c = {plan, s, d, ce, key, of_level, 0, 0, ce->text_pos.col, 0, plan->uses};
    ct_cond_each_leaf(ce->cond, bind_leaf, &c);
    return c.bad;
}

static int bind_mref(const ct_plan *plan, const ct_indicator *ind, const ct_series *s, ct_mref *r, const char *key, ct_diags *d)
{
    if (!r->name) return 1;
    r->index = ct_series_metric(s, r->name, strlen(r->name));
    if (r->index >= 0 && !ct_plan_metric(plan, r->name) && !s->metrics[r->index].dict_file) r->index = -1;
    if (r->index >= 0 && plan->uses) plan->uses[r->index] = 1;
    if (r->index >= 0 || ct_plan_metric(plan, r->name)) return r->index < 0;
    size_t i = (size_t)(ind - plan->indicators);
    if (s->dict_path)
        ct_error_at(d, plan->path, r->pos.line, r->pos.col,
                    "indicators[%zu] (%s): '%s' names metric '%s', which neither the plan (under 'metrics') nor %s declares",
                    i, ind->id ? ind->id : "?", key, r->name, s->dict_path);
    else
        ct_error_at(d, plan->path, r->pos.line, r->pos.col,
                    "indicators[%zu] (%s): '%s' names metric '%s', which the plan does not declare under 'metrics'",
                    i, ind->id ? ind->id : "?", key, r->name);
    return 1;
}

/* The finest period type at which every metric in a condition has data. */
static int cond_finest_fn(ct_cond *leaf, void *ctx)
{
    int *f = ((int **)ctx)[0];
    const ct_series *s = ((const ct_series **)ctx)[1];
    if (leaf->ref_kind == CT_REF_METRIC) {
        int mf = s->metrics[leaf->ref].finest;
        if (mf < 0) mf = 0;
        if (*f < 0 || mf < *f) *f = mf;
    }
    return 0;
}

static int cond_finest(const ct_series *s, ct_cond *c, int finest)
{
    void *ctx[2] = {&finest, (void *)s};
    if (c) ct_cond_each_leaf(c, cond_finest_fn, ctx);
    return finest;
}

static int metric_finest(const ct_series *s, const ct_mref *r, int finest)
{
    if (r->index < 0) return finest;
    int mf = s->metrics[r->index].finest;
    if (mf < 0) mf = 0;
    return finest < 0 || mf < finest ? mf : finest;
}

/* The level of the deepest units under top. */
static int deepest_level(const ct_series *s, int top)
{
    int best = s->level[top], depth = -1;
    for (int u = 0; u < s->n_units; u++)
        if (s->depth[u] > depth && ct_series_in_subtree(s, u, top)) { depth = s->depth[u]; best = s->level[u]; }
    return best;
}

static int bind_indicator(ct_plan *plan, ct_indicator *ind, const ct_series *s, ct_diags *d)
{
    int bad = 0;
    ind->of_level = -1;
    ind->base_level = -1;
    int finest = -1;
    if (ind->of) {
        ind->of_level = ct_series_level(s, ind->of);
        if (ind->of_level < 0) {
            ct_error_at(d, plan->path, ind->of_pos.line, ind->of_pos.col, "indicator %s: level '%s' does not occur in %s",
                        ind->id, ind->of, s->units_path);
            return 1;
        }
        ind->base_level = ind->of_level;
    }
    switch (ind->kind) {
    case CT_KIND_SHARE:
    case CT_KIND_COUNT:
        bad |= bind_cexpr(plan, s, &ind->condition, "condition", ind->of_level, d);
        bad |= bind_cexpr(plan, s, &ind->among, "among", ind->of_level, d);
        finest = cond_finest(s, ind->condition.cond, -1);
        break;
    case CT_KIND_TRANSITION:
        bad |= bind_cexpr(plan, s, &ind->from, "from", ind->of_level, d);
        bad |= bind_cexpr(plan, s, &ind->to, "to", ind->of_level, d);
        bad |= bind_cexpr(plan, s, &ind->among, "among", ind->of_level, d);
        finest = cond_finest(s, ind->to.cond, cond_finest(s, ind->from.cond, -1));
        break;
    case CT_KIND_RATIO:
        bad |= bind_mref(plan, ind, s, &ind->numerator, "numerator", d) | bind_mref(plan, ind, s, &ind->denominator, "denominator", d);
        if (!bad && s->metrics[ind->numerator.index].level != s->metrics[ind->denominator.index].level) {
            ct_error_at(d, plan->path, ind->denominator.pos.line, ind->denominator.pos.col,
                        "indicator %s: numerator %s and denominator %s must be reported at the same level",
                        ind->id, ind->numerator.name, ind->denominator.name);
            bad = 1;
        }
        if (!bad) ind->base_level = s->metrics[ind->numerator.index].level;
        finest = metric_finest(s, &ind->denominator, metric_finest(s, &ind->numerator, -1));
        break;
    case CT_KIND_SUM:
    case CT_KIND_FREQUENCY:
        bad |= bind_mref(plan, ind, s, &ind->metric, "metric", d);
        if (!bad) ind->base_level = s->metrics[ind->metric.index].level;
        finest = metric_finest(s, &ind->metric, -1);
        if (ind->kind == CT_KIND_FREQUENCY) finest = (int)ind->per - 1;
        break;
    case CT_KIND_LUA:
        /* the script is called for every unit at or above `of` (default: every level) */
        if (ind->base_level < 0) ind->base_level = deepest_level(s, plan->region_unit);
        break;
    }
    ind->finest_out = finest < 0 ? 0 : finest;
    return bad;
}

/* Whether unit u lies in the plan's region (or the territory it became). */
static inline int in_plan(const ct_plan *plan, const ct_series *s, int u)
{
    if (plan->territory) return plan->territory[u];
    return ct_series_in_subtree(s, u, plan->region_unit);
}

/* The span of the plan's observations inside its region. */
static void plan_span(ct_plan *plan, const ct_series *s)
{
    plan->first_month = INT_MAX;
    plan->last_month = plan->last_reported_month = INT_MIN;
    for (int m = 0; m < s->n_metrics; m++) {
        if (!plan->uses[m]) continue;
        const ct_metric *mt = &s->metrics[m];
        const int *units = s->level_units[mt->level];
        for (int t = 0; t <= mt->finest && mt->vals[t]; t++) {
            int np = ct_series_n_periods(s, (ct_ptype)t);
            for (int k = 0; k < s->level_size[mt->level]; k++) {
                if (!in_plan(plan, s, units[k])) continue;
                const double *row = mt->vals[t] + (size_t)k * (size_t)np;
                int first = 0, last = np - 1;
                while (first < np && isnan(row[first])) first++;
                if (first == np) continue;
                while (isnan(row[last])) last--;
                int fm = ct_period_first_month(ct_period_from_index((ct_ptype)t, s->year0, first));
                int lm = ct_period_last_month(ct_period_from_index((ct_ptype)t, s->year0, last));
                if (fm < plan->first_month) plan->first_month = fm;
                if (lm > plan->last_month) plan->last_month = lm;
                if (t == mt->finest && lm > plan->last_reported_month) plan->last_reported_month = lm;
            }
        }
    }
}

/* As reported, the first month within the plan's span at which a unit
 * that feeds the indicator starts or stops existing. */
static void find_break(const ct_plan *plan, ct_indicator *ind, const ct_series *s)
{
    ind->break_month = -1;
    if (ind->base_level < 0 || s->in_geo || plan->first_month > plan->last_month) return;
    int best = INT_MAX;
    for (int k = 0; k < s->level_size[ind->base_level]; k++) {
        int u = s->level_units[ind->base_level][k];
        if (!in_plan(plan, s, u)) continue;
        int a = s->orig_first[u], b = s->orig_last[u] == INT_MAX ? INT_MAX : s->orig_last[u] + 1;
        if (a > plan->first_month && a <= plan->last_month && a < best) best = a;
        if (b > plan->first_month && b <= plan->last_month && b < best) best = b;
    }
    if (best != INT_MAX) ind->break_month = best;
}

ct_status ct_compute_bind(ct_plan *plan, const ct_series *s, ct_diags *d)
{
    int bad = 0;
    plan->uses = ct_arena_alloc(&plan->arena, (size_t)s->n_metrics + 1);
    if (!plan->uses) return CT_ENOMEM;
    memset(plan->uses, 0, (size_t)s->n_metrics + 1);
    for (size_t i = 0; i < plan->n_metrics; i++) {
        int m = plan->metrics[i].name ? ct_series_metric(s, plan->metrics[i].name, strlen(plan->metrics[i].name)) : -1;
        if (m >= 0) plan->uses[m] = 1;
    }
    plan->region_unit = s->root;
    if (plan->region) {
        plan->region_unit = ct_series_unit_at(s, plan->region, strlen(plan->region), ct_geo_ref_month(s));
        if (plan->region_unit < 0) {
            ct_error_at(d, plan->path, plan->region_pos.line, plan->region_pos.col,
                        "region '%s' is not a unit of %s", plan->region, s->units_path);
            return CT_EINPUT;
        }
    }
    plan->territory = NULL;
    if (!ct_geo_in(s, plan->region_unit)) {
        /* the region closed before the geography: followed onto what it became */
        plan->territory = ct_arena_alloc(&plan->arena, (size_t)s->n_units);
        if (!plan->territory) return CT_ENOMEM;
        memset(plan->territory, 0, (size_t)s->n_units);
        ct_geo_territory(s, plan->region_unit, plan->territory);
    }
    for (size_t i = 0; i < plan->n_indicators; i++)
        bad |= bind_indicator(plan, &plan->indicators[i], s, d);
    if (bad) return CT_EINPUT;
    plan_span(plan, s);
    for (size_t i = 0; i < plan->n_indicators; i++) find_break(plan, &plan->indicators[i], s);
    return CT_OK;
}

/* ---- computing ------------------------------------------------------------------ */

typedef struct {
    double *num, *den;
    int *rep, *exp, *cnt;
    unsigned char *apx;
} accum;

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
    if (leaf->ref_kind == CT_REF_ATTR)
        return s->attr[(size_t)leaf->ref * (size_t)s->n_units + (size_t)e->unit];
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

static int eval(const ct_series *s, const ct_cond *c, int unit, ct_period p)
{
    eval_ctx e = {s, p, unit, 0};
    return ct_cond_eval(c, lookup, &e);
}

/* Whether a base unit is counted at p: it exists then and passes `among`. */
static int counted(const ct_series *s, const ct_indicator *ind, int u, ct_period p)
{
    if (!ct_series_unit_valid(s, u, p)) return 0;
    return !ind->among.cond || eval(s, ind->among.cond, u, p) == 1;
}

/* The contribution of base unit u at period p, added into slot u of a. */
static void contribute(const ct_indicator *ind, const ct_series *s, int u, ct_period p, accum *a)
{
    switch (ind->kind) {
    case CT_KIND_SHARE:
    case CT_KIND_COUNT: {
        if (!counted(s, ind, u, p)) return;
        a->exp[u]++;
        int r = eval_apx(s, ind->condition.cond, u, p, &a->apx[u]);
        if (r >= 0) a->rep[u]++;
        if (r == 1) a->num[u]++;
        return;
    }
    case CT_KIND_TRANSITION: {
        if (!counted(s, ind, u, p)) return;
        a->exp[u]++;
        int was = eval_apx(s, ind->from.cond, u, ct_period_prev(p), &a->apx[u]);
        int now = eval_apx(s, ind->to.cond, u, p, &a->apx[u]);
        if (was < 0 || now < 0) return;
        a->rep[u]++;
        if (was == 1) {
            a->den[u]++;
            if (now == 1) a->num[u]++;
        }
        return;
    }
    case CT_KIND_RATIO: {
        if (ct_series_unit_valid(s, u, p)) a->exp[u]++;
        double x = ct_series_value(s, ind->numerator.index, u, p);
        double y = ct_series_value(s, ind->denominator.index, u, p);
        if (isnan(x) || isnan(y)) return;
        if (s->has_approx && (ct_geo_approx(s, ind->numerator.index, u, p) || ct_geo_approx(s, ind->denominator.index, u, p)))
            a->apx[u] = 1;
        a->num[u] += x;
        a->den[u] += y;
        a->cnt[u]++;
        return;
    }
    case CT_KIND_SUM: {
        if (ct_series_unit_valid(s, u, p)) a->exp[u]++;
        double x = ct_series_value(s, ind->metric.index, u, p);
        if (isnan(x)) return;
        if (s->has_approx && ct_geo_approx(s, ind->metric.index, u, p)) a->apx[u] = 1;
        a->num[u] += x;
        a->cnt[u]++;
        return;
    }
    case CT_KIND_FREQUENCY: {
        if (ct_series_unit_valid(s, u, p)) a->exp[u]++;
        int k = ct_ptype_per_year(ind->per) / ct_ptype_per_year((ct_ptype)p.type);
        ct_period sp = {p.year, (unsigned char)ind->per, (unsigned char)(p.sub * k)};
        int met = 0, any = 0, due = 0;
        int until = ct_compute_asof_month(s);
        for (int j = 0; j < k; j++, sp.sub++) {
            if (ct_period_last_month(sp) > until) break; /* not over yet as of the as-of period */
            due++;
            double x = ct_series_value(s, ind->metric.index, u, sp);
            if (isnan(x)) continue;
            if (s->has_approx && ct_geo_approx(s, ind->metric.index, u, sp)) a->apx[u] = 1;
            any = 1;
            if (x >= ind->at_least) met++;
        }
        if (!any) return;
        a->num[u] += met;
        a->den[u] += due;
        a->cnt[u]++;
        return;
    }
    case CT_KIND_LUA:
        return;
    }
}

/* Coverage of a metric kind: the units of the metric's level with a value
 * over those valid at the period (kept apart from the contract's
 * reported/expected columns, which are for unit-counting kinds). */
static void metric_cover(ct_cell *c, const accum *a, int u)
{
    c->reported = a->cnt[u];
    c->expected = a->exp[u];
    c->flags |= CT_ROW_COVER;
}

static ct_cell make_cell(const ct_indicator *ind, const accum *a, int u)
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

static int accum_alloc(accum *a, int n)
{
    a->num = calloc((size_t)n, sizeof *a->num);
    a->den = calloc((size_t)n, sizeof *a->den);
    a->rep = calloc((size_t)n, sizeof *a->rep);
    a->exp = calloc((size_t)n, sizeof *a->exp);
    a->cnt = calloc((size_t)n, sizeof *a->cnt);
    a->apx = calloc((size_t)n, sizeof *a->apx);
    return a->num && a->den && a->rep && a->exp && a->cnt && a->apx ? 0 : -1;
}

static void accum_free(accum *a)
{
    free(a->num); free(a->den); free(a->rep); free(a->exp); free(a->cnt); free(a->apx);
}

static void accum_clear(accum *a, int n)
{
    memset(a->num, 0, (size_t)n * sizeof *a->num);
    memset(a->den, 0, (size_t)n * sizeof *a->den);
    memset(a->rep, 0, (size_t)n * sizeof *a->rep);
    memset(a->exp, 0, (size_t)n * sizeof *a->exp);
    memset(a->cnt, 0, (size_t)n * sizeof *a->cnt);
    memset(a->apx, 0, (size_t)n * sizeof *a->apx);
}

/* Fills a for every unit at period p: base contributions, then sums upward. */
static void compute_period(const ct_plan *plan, const ct_indicator *ind, const ct_series *s,
                           ct_period p, accum *a)
{
    int n = s->n_units;
    accum_clear(a, n);
    const int *base = s->level_units[ind->base_level];
    for (int k = 0; k < s->level_size[ind->base_level]; k++) {
        int u = base[k];
        /* outside the geography, only a closed region's own figures count */
        if (s->in_geo && !s->in_geo[u] && u != plan->region_unit) continue;
        if (in_plan(plan, s, u)) contribute(ind, s, u, p, a);
    }
    for (int k = n - 1; k >= 0; k--) {
        int u = s->order[k], par = s->parent[u];
        if (par < 0) continue;
        a->num[par] += a->num[u];
        a->den[par] += a->den[u];
        a->rep[par] += a->rep[u];
        a->exp[par] += a->exp[u];
        a->cnt[par] += a->cnt[u];
        a->apx[par] |= a->apx[u];
    }
    if (plan->territory) {
        /* a closed region: what its units became lies under other parents */
        int r = plan->region_unit;
        for (int k = 0; k < s->level_size[ind->base_level]; k++) {
            int u = base[k];
            if (!plan->territory[u] || u == r || ct_series_in_subtree(s, u, r)) continue;
            a->num[r] += a->num[u];
            a->den[r] += a->den[u];
            a->rep[r] += a->rep[u];
            a->exp[r] += a->exp[u];
            a->cnt[r] += a->cnt[u];
            a->apx[r] |= a->apx[u];
        }
    }
}

void ct_compute_geo_note(const ct_plan *plan, const ct_indicator *ind, const ct_series *s, int unit,
                         ct_lang lang, char *buf, size_t size)
{
    buf[0] = '\0';
    int l = s->level[unit];
    if (plan->territory && unit == plan->region_unit && ind->base_level == l) {
        char last[CT_PERIOD_BUF];
        ct_geo_label(s->orig_last[unit], last);
        snprintf(buf, size, CT_TR(lang, "%s no longer exists in geography %s: its own figures, as reported until %s",
                           "%s không còn trong địa giới %s: số liệu của chính đơn vị, như đã báo cáo đến %s"),
                 s->name[unit], s->geography, last);
    } else if (plan->territory && unit == plan->region_unit && s->level_geo &&
        s->level_geo[ind->base_level] == s->geo_month) {
        int n = 0, own = 0;
        for (int k = 0; k < s->level_size[ind->base_level]; k++) {
            int u = s->level_units[ind->base_level][k];
            if (!plan->territory[u]) continue;
            n++;
            own += ct_series_in_subtree(s, u, unit);
        }
        if (own == n)
            snprintf(buf, size, CT_TR(lang, "%s no longer exists in geography %s: computed on its %d %s units as they last existed",
                               "%s không còn trong địa giới %s: tính trên %d đơn vị cấp %s của nó như lần cuối còn tồn tại"),
                     s->name[unit], s->geography, n, s->level_name[ind->base_level]);
        else
            snprintf(buf, size, CT_TR(lang, "%s no longer exists in geography %s: followed onto the %d %s units its units became",
                               "%s không còn trong địa giới %s: theo dõi trên %d đơn vị cấp %s mà các đơn vị của nó đã trở thành"),
                     s->name[unit], s->geography, n, s->level_name[ind->base_level]);
    } else if (s->level_geo && ind->base_level >= 0 && s->level_geo[ind->base_level] != s->geo_month &&
               s->level_geo[l] == s->geo_month) {
        char last[CT_PERIOD_BUF];
        ct_geo_label(s->level_geo[ind->base_level], last);
        snprintf(buf, size, CT_TR(lang, "made of %s units, which no longer exist in geography %s: as they were in %s, the last they existed",
                           "gồm các đơn vị cấp %s, không còn trong địa giới %s: như tại %s, lần cuối còn tồn tại"),
                 s->level_name[ind->base_level], s->geography, last);
    } else if (s->level_geo && s->level_geo[l] != s->geo_month) {
        char last[CT_PERIOD_BUF];
        ct_geo_label(s->level_geo[l], last);
        snprintf(buf, size, CT_TR(lang, "%s units no longer exist in geography %s: assessed on those of %s, the last they existed",
                           "đơn vị cấp %s không còn trong địa giới %s: đánh giá trên các đơn vị của %s, lần cuối còn tồn tại"),
                 s->level_name[l], s->geography, last);
    } else if (s->in_geo && s->in_geo[unit] && s->orig_last[unit] < s->level_geo[l]) {
        char last[CT_PERIOD_BUF];
        ct_geo_label(s->orig_last[unit], last);
        snprintf(buf, size, CT_TR(lang, "%s ended in %s (no successor): its figures as reported", "%s kết thúc vào %s (không có đơn vị kế thừa): số liệu như đã báo cáo"), s->name[unit], last);
    } else if (ind->break_month >= 0) {
        int m = ind->break_month;
        snprintf(buf, size, CT_TR(lang, "a break: the %s units change in %d-%02d and the series is as reported (no successions carry it)",
                           "chuỗi số liệu bị gián đoạn: các đơn vị cấp %s thay đổi vào %d-%02d và số liệu giữ như đã báo cáo (không có bảng kế thừa)"),
                 s->level_name[ind->base_level], m / 12, m % 12 + 1);
    }
}

ct_status ct_compute_approximate(const ct_plan *plan, const ct_indicator *ind, const ct_series *s,
                                 unsigned char *mark)
{
    memset(mark, 0, (size_t)s->n_units);
    if (!s->has_approx) return CT_OK;
    ct_grid g;
    ct_status st = ct_compute_grid(plan, ind, s, NULL, &g);
    if (st != CT_OK) return st;
    for (int i = 0; i < g.n_units; i++)
        for (int j = 0; j < g.n_periods; j++)
            if (g.cells[(size_t)i * (size_t)g.n_periods + (size_t)j].flags & CT_ROW_APPROX) mark[g.units[i]] = 1;
    ct_grid_free(&g);
    return CT_OK;
}

int ct_compute_asof_month(const ct_series *s)
{
    return s->cutoff_month != INT_MAX ? s->cutoff_month : s->last_month;
}

static void sum_up(const ct_series *s, int *v)
{
    if (!v) return;
    for (int k = s->n_units - 1; k >= 0; k--) {
        int u = s->order[k], par = s->parent[u];
        if (par >= 0) v[par] += v[u];
    }
}

ct_status ct_compute_base_counts(const ct_plan *plan, const ct_indicator *ind, const ct_series *s,
                                 ct_period p, int *among_unknown, int *from_in, int *from_known)
{
    size_t bytes = (size_t)s->n_units * sizeof(int);
    if (among_unknown) memset(among_unknown, 0, bytes);
    if (from_in) memset(from_in, 0, bytes);
    if (from_known) memset(from_known, 0, bytes);
    if (ind->of_level < 0) return CT_OK;
    const int *base = s->level_units[ind->of_level];
    for (int k = 0; k < s->level_size[ind->of_level]; k++) {
        int u = base[k];
        if (!ct_series_in_subtree(s, u, plan->region_unit) || !ct_series_unit_valid(s, u, p)) continue;
        int among = ind->among.cond ? eval(s, ind->among.cond, u, p) : 1;
        if (among < 0 && among_unknown) among_unknown[u] = 1;
        if (among != 1 || !ind->from.cond) continue;
        int was = eval(s, ind->from.cond, u, p);
        if (was >= 0 && from_known) from_known[u] = 1;
        if (was == 1 && from_in) from_in[u] = 1;
    }
    sum_up(s, among_unknown);
    sum_up(s, from_in);
    sum_up(s, from_known);
    return CT_OK;
}

int ct_compute_level_applies(const ct_series *s, const ct_indicator *ind, int level)
{
    if (ind->base_level < 0) return 0;
    return level == ind->base_level || s->level_above[ind->base_level * s->n_levels + level];
}

/* A kind: lua value: whatever the script returns (NaN: no data). */
static ct_cell custom_cell(const ct_indicator *ind, int unit, ct_period p)
{
    ct_cell c = {NAN, 0, 0, 0, 0, 0};
    double v = NAN;
    if (ind->custom && ind->custom(ind->custom_ctx, &unit, 1, p, &v) == 0 && isfinite(v)) {
        c.value = v;
        c.flags = CT_ROW_VALUE;
    }
    return c;
}

/* A period's kind: lua values for every unit of the grid, in one call
 * (values is scratch space of at least n_units doubles). */
static void custom_column(const ct_indicator *ind, ct_grid *g, int j, double *values)
{
    size_t np = (size_t)g->n_periods;
    int ok = ind->custom && g->n_units > 0 &&
             ind->custom(ind->custom_ctx, g->units, g->n_units, g->periods[j], values) == 0;
    for (int i = 0; i < g->n_units; i++) {
        ct_cell c = {NAN, 0, 0, 0, 0, 0};
        if (ok && isfinite(values[i])) {
            c.value = values[i];
            c.flags = CT_ROW_VALUE;
        }
        g->cells[(size_t)i * np + (size_t)j] = c;
    }
}

ct_cell ct_compute_cell(const ct_plan *plan, const ct_indicator *ind,
                        const ct_series *s, int unit, ct_period p)
{
    ct_cell none = {NAN, 0, 0, 0, 0, 0};
    if (ind->base_level < 0) return none;
    if (ind->kind == CT_KIND_LUA) return custom_cell(ind, unit, p);
    accum a;
    ct_cell c = none;
    if (accum_alloc(&a, s->n_units) == 0) {
        compute_period(plan, ind, s, p, &a);
        c = make_cell(ind, &a, unit);
    }
    accum_free(&a);
    return c;
}

/* The periods printed for an indicator: each year of the plan's span, then
 * its finer periods nested (2016, 2016S1, 2016Q1, 2016-01 ... 2016S2 ...). */
static int list_periods(const ct_plan *plan, int finest, ct_period *out)
{
    int n = 0;
    if (plan->first_month > plan->last_month) return 0;
    int y0 = plan->first_month / 12, y1 = plan->last_month / 12;
    for (int y = y0; y <= y1; y++) {
        for (int m = 0; m < 12; m++) {
            for (int t = 0; t <= finest; t++) {
                int len = 12 / ct_ptype_per_year((ct_ptype)t);
                if (m % len) continue;
                ct_period p = {(short)y, (unsigned char)t, (unsigned char)(m / len)};
                if (ct_period_last_month(p) < plan->first_month || ct_period_first_month(p) > plan->last_month)
                    continue;
                /* a finer period after the last one reported is not a row (its year is) */
                if (t > CT_PT_YEAR && ct_period_first_month(p) > plan->last_reported_month) continue;
                if (out) out[n] = p;
                n++;
            }
        }
    }
    return n;
}

/* The units printed for an indicator: the region's subtree at levels the
 * indicator applies to, the implicit root first, then file order. */
static int list_units(const ct_plan *plan, const ct_indicator *ind, const ct_series *s,
                      const ct_compute_filter *f, int *out)
{
    /* on a geography, a unit is printed only if some base unit of the
     * geography lies under it (not a district whose communes became others) */
    unsigned char *live = NULL;
    if (s->in_geo && ind->base_level >= 0) {
        live = calloc((size_t)s->n_units, 1);
        if (!live) return -1;
        for (int k = 0; k < s->level_size[ind->base_level]; k++) {
            int b = s->level_units[ind->base_level][k];
            if (!s->in_geo[b]) continue;
            const int *a = s->anc + (size_t)b * (size_t)s->n_levels;
            for (int l = 0; l < s->n_levels; l++)
                if (a[l] >= 0) live[a[l]] = 1;
        }
    }
    int n = 0;
    for (int k = 0; k < s->n_units; k++) {
        int u = s->implicit_root ? (k == 0 ? s->root : k - 1) : k;
        if (!in_plan(plan, s, u)) continue;
        if (!ct_compute_level_applies(s, ind, s->level[u])) continue;
        if (live && u != plan->region_unit && !live[u]) continue;
        if (f && f->level >= 0 && s->level[u] != f->level) continue;
        if (f && f->unit >= 0 && u != f->unit) continue;
        out[n++] = u;
    }
    free(live);
    return n;
}

/* Periods computed together: their cells are then written unit by unit, in
 * the grid's order (a row of GRID_BLOCK neighbouring cells at a time), not
 * one period's column across every unit. */
enum { GRID_BLOCK = 8 };

ct_status ct_compute_grid(const ct_plan *plan, const ct_indicator *ind, const ct_series *s,
                          const ct_compute_filter *f, ct_grid *g)
{
    memset(g, 0, sizeof *g);
    int finest = ind->finest_out;
    if (f && f->finest >= 0 && f->finest < finest) finest = f->finest;
    int np = list_periods(plan, finest, NULL);
    g->periods = malloc((size_t)(np ? np : 1) * sizeof *g->periods);
    g->units = malloc((size_t)s->n_units * sizeof *g->units);
    accum a[GRID_BLOCK];
    int n_acc = ind->kind == CT_KIND_LUA ? 1 : GRID_BLOCK, acc_ok = 1;
    memset(a, 0, sizeof a);
    for (int k = 0; k < n_acc; k++)
        if (accum_alloc(&a[k], s->n_units) != 0) acc_ok = 0;
    ct_status st = g->periods && g->units && acc_ok ? CT_OK : CT_ENOMEM;
    if (st == CT_OK) {
        g->n_periods = list_periods(plan, finest, g->periods);
        g->n_units = ind->base_level >= 0 ? list_units(plan, ind, s, f, g->units) : 0;
        if (g->n_units < 0) { g->n_units = 0; st = CT_ENOMEM; }
        g->cells = malloc(((size_t)g->n_units * (size_t)np + 1) * sizeof *g->cells);
        if (!g->cells) st = CT_ENOMEM;
    }
    if (st == CT_OK && ind->kind == CT_KIND_LUA) {
        for (int j = 0; j < g->n_periods; j++) custom_column(ind, g, j, a[0].num);
    } else if (st == CT_OK) {
        for (int j0 = 0; j0 < g->n_periods; j0 += GRID_BLOCK) {
            int nb = g->n_periods - j0 < GRID_BLOCK ? g->n_periods - j0 : GRID_BLOCK;
            for (int k = 0; k < nb; k++) compute_period(plan, ind, s, g->periods[j0 + k], &a[k]);
            for (int i = 0; i < g->n_units; i++) {
                ct_cell *row = g->cells + (size_t)i * (size_t)np + (size_t)j0;
                for (int k = 0; k < nb; k++) row[k] = make_cell(ind, &a[k], g->units[i]);
            }
        }
    }
    for (int k = 0; k < n_acc; k++) accum_free(&a[k]);
    if (st != CT_OK) ct_grid_free(g);
    return st;
}

void ct_grid_free(ct_grid *g)
{
    free(g->units);
    free(g->periods);
    free(g->cells);
    memset(g, 0, sizeof *g);
}

ct_status ct_compute_indicator(const ct_plan *plan, const ct_indicator *ind, const ct_series *s,
                               const ct_compute_filter *f, ct_row_fn fn, void *ctx)
{
    ct_grid g;
    ct_status st = ct_compute_grid(plan, ind, s, f, &g);
    for (int i = 0; st == CT_OK && i < g.n_units; i++) {
        for (int j = 0; j < g.n_periods; j++) {
            ct_row row = {plan, ind, g.units[i], g.periods[j], g.cells[(size_t)i * (size_t)g.n_periods + (size_t)j]};
            if (fn(&row, ctx) != 0) { st = CT_EIO; break; }
        }
    }
    ct_grid_free(&g);
    return st;
}

ct_status ct_compute_plan(const ct_plan *plan, const ct_series *s,
                          const ct_compute_filter *filter, ct_row_fn fn, void *ctx)
{
    for (size_t i = 0; i < plan->n_indicators; i++) {
        ct_status st = ct_compute_indicator(plan, &plan->indicators[i], s, filter, fn, ctx);
        if (st != CT_OK) return st;
    }
    return CT_OK;
}
