#include "ct_bind.h"

#include "../model/ct_geo.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


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

/* A plan whose indicators are all kind: lua names no metric the engine can
 * see: its rules read them. Without metrics: of its own it reads every
 * metric of metrics.csv (a rule naming another gets "unknown metric");
 * without metrics.csv either, nothing could be read: an error, rather
 * than a check that says ok and results that are empty. */
static int lua_only(const ct_plan *plan)
{
    if (plan->n_metrics > 0 || plan->n_indicators == 0) return 0;
    for (size_t i = 0; i < plan->n_indicators; i++)
        if (plan->indicators[i].kind != CT_KIND_LUA) return 0;
    return 1;
}

static void lua_only_metrics(const ct_plan *plan, ct_series *s, ct_diags *d)
{
    if (!lua_only(plan)) return;
    int any = 0;
    for (int m = 0; m < s->n_metrics; m++)
        if (s->metrics[m].dict_file) {
            any = 1;
            ct_series_use_metric(s, m, s->metrics[m].dict_file, s->metrics[m].dict_line, 0, d);
        }
    if (!any)
        ct_error_at(d, plan->path, plan->id_pos.line, plan->id_pos.col,
                    "plan %s: its indicators are all kind: lua and it declares no metrics, and the data folder has no "
                    "metrics.csv: declare under metrics: the metrics its rules read", plan->id ? plan->id : "?");
}

ct_status ct_bind_declare(const ct_plan *plan, ct_series *s, ct_diags *d)
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
    lua_only_metrics(plan, s, d);
    return d->n_errors > before ? CT_EINPUT : CT_OK;
}


static int metric_level_ok(const ct_series *s, int metric_level, int of_level)
{
    return metric_level == of_level || s->level_above[of_level * s->n_levels + metric_level];
}

/* Whether some unit of level l has a value for attribute a. */
static int level_has_attr(const ct_series *s, int l, int a)
{
    for (int k = 0; k < s->level_size[l]; k++)
        if (isfinite(s->attr[(size_t)a * (size_t)s->n_units + (size_t)s->level_units[l][k]])) return 1;
    return 0;
}

/* An attribute that no unit of the `of` level has (a district's high_risk
 * in a condition on communes) is read from the nearest level above that has
 * it; with none, an error rather than a condition that is never met. */
static int attr_level(leaf_ctx *c, ct_cond *leaf, int a, const char *file, int line, int col)
{
    const ct_series *s = c->s;
    int of = c->of_level;
    if (level_has_attr(s, of, a)) return 0;
    int best = -1, best_depth = -1;
    for (int l = 0; l < s->n_levels; l++) {
        if (l == of || !s->level_above[of * s->n_levels + l] || !level_has_attr(s, l, a)) continue;
        int depth = s->level_size[l] ? s->depth[s->level_units[l][0]] : -1;
        if (depth > best_depth) { best = l; best_depth = depth; }
    }
    if (best >= 0) { leaf->attr_level = best + 1; return 0; }
    ct_error_at(c->d, file, line, col, "attribute '%s' in %s has no value for any %s unit nor for a level above it in %s",
                leaf->name, c->key, s->level_name[of], s->units_path);
    c->bad = 1;
    return -1;
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
        if (c->of_level >= 0 && attr_level(c, leaf, attr, file, line, col) != 0) return 0;
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
            int np = ct_series_n_periods(s, (ct_ptype)t), len = 12 / ct_ptype_per_year((ct_ptype)t);
            for (int k = 0; k < s->level_size[mt->level]; k++) {
                int u = units[k];
                /* a unit of an abolished level counts towards the new unit it reaches */
                if (!ct_bind_in_plan(plan, s, u) && !(s->reach && s->reach[u] >= 0 && ct_bind_in_plan(plan, s, s->reach[u])))
                    continue;
                const double *v = mt->vals[t];
                int first = 0, last = np - 1;
                while (first < np && isnan(v[ct_series_cell(s, mt, k, first)])) first++;
                if (first == np) continue;
                while (isnan(v[ct_series_cell(s, mt, k, last)])) last--;
                /* period i of the span covers months len * i ... len * (i + 1) - 1 from year0 */
                int fm = s->year0 * 12 + len * first, lm = s->year0 * 12 + len * (last + 1) - 1;
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
        if (!ct_bind_in_plan(plan, s, u)) continue;
        int a = s->orig_first[u], b = s->orig_last[u] == INT_MAX ? INT_MAX : s->orig_last[u] + 1;
        if (a > plan->first_month && a <= plan->last_month && a < best) best = a;
        if (b > plan->first_month && b <= plan->last_month && b < best) best = b;
    }
    if (best != INT_MAX) ind->break_month = best;
}

/* `unit:` targets: each code a unit the plan's region holds on the plan's
 * map (the geography its values are computed on). */
static int bind_target_units(ct_plan *plan, ct_indicator *ind, const ct_series *s, ct_diags *d)
{
    int bad = 0;
    for (size_t j = 0; j < ind->n_targets; j++) {
        ct_target *t = &ind->targets[j];
        t->unit_index = -1;
        if (!t->unit) continue;
        int u = ct_series_unit_at(s, t->unit, strlen(t->unit), ct_geo_ref_month(s));
        if (u < 0 || !ct_geo_in(s, u) || !ct_bind_in_plan(plan, s, u)) {
            ct_error_at(d, plan->path, t->unit_pos.line, t->unit_pos.col,
                        "indicators.%s: target unit '%s' is not a unit of the plan's region on its map (%s)",
                        ind->id ? ind->id : "?", t->unit, s->units_path);
            bad = 1;
            continue;
        }
        t->unit_index = u;
    }
    return bad;
}

ct_status ct_bind_plan(ct_plan *plan, const ct_series *s, ct_diags *d)
{
    int bad = 0;
    plan->uses = ct_arena_alloc(&plan->arena, (size_t)s->n_metrics + 1);
    if (!plan->uses) return CT_ENOMEM;
    memset(plan->uses, 0, (size_t)s->n_metrics + 1);
    for (size_t i = 0; i < plan->n_metrics; i++) {
        int m = plan->metrics[i].name ? ct_series_metric(s, plan->metrics[i].name, strlen(plan->metrics[i].name)) : -1;
        if (m >= 0) plan->uses[m] = 1;
    }
    for (int m = 0; lua_only(plan) && m < s->n_metrics; m++) /* what lua_only_metrics read for it */
        if (s->metrics[m].dict_file) plan->uses[m] = 1;
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
    int r = plan->region_unit;
    if (!ct_geo_in(s, r) || (s->in_geo && s->orig_last[r] < s->level_geo[s->level[r]])) {
        /* the region closed before the geography: followed onto what it became,
         * through its own link or, without one (it is then kept as reported),
         * through its units' own successions */
        plan->territory = ct_arena_alloc(&plan->arena, (size_t)s->n_units);
        if (!plan->territory) return CT_ENOMEM;
        memset(plan->territory, 0, (size_t)s->n_units);
        ct_geo_territory(s, plan->region_unit, plan->territory);
    }
    for (size_t i = 0; i < plan->n_indicators; i++)
        bad |= bind_indicator(plan, &plan->indicators[i], s, d);
    for (size_t i = 0; i < plan->n_indicators; i++)
        bad |= bind_target_units(plan, &plan->indicators[i], s, d);
    if (bad) return CT_EINPUT;
    plan_span(plan, s);
    for (size_t i = 0; i < plan->n_indicators; i++) find_break(plan, &plan->indicators[i], s);
    return CT_OK;
}
