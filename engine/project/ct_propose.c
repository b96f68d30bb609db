#include "ct_propose.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct_assess.h"
#include "ct_propose_model.h"
#include "ct_yearly.h"

static const char *const scenario_names[CT_SC_COUNT] = {"trend", "likely", "stretch", "best_pace", "maintain",
                                                        "proposed"};

const char *ct_scenario_name(ct_scenario sc)
{
    return (int)sc >= 0 && (int)sc < CT_SC_COUNT ? scenario_names[sc] : "";
}

static void note_add(ct_proposal *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note_add(ct_proposal *p, const char *fmt, ...)
{
    size_t len = strlen(p->note);
    if (len + 3 >= sizeof p->note) return;
    if (len) { p->note[len++] = ';'; p->note[len++] = ' '; p->note[len] = '\0'; }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->note + len, sizeof p->note - len, fmt, ap);
    va_end(ap);
}

#define NOTE(p, lang, en, vi, ...) note_add((p), CT_TR((lang), en, vi), __VA_ARGS__)

/* One unit's history: its baseline and observed pace (its model is fitted
 * when its rows are written: one at a time, whatever the number of units). */
typedef struct {
    int has_base;
    double base;
    double observed;       /* pace of its usable years up to the baseline; NaN with fewer than two */
    double den;            /* the baseline's denominator (units with data, a ratio's denominator) */
    int first_year;
} unit_hist;

static void read_unit(const ct_plan *plan, const ct_indicator *ind, const ct_series *s, const ct_grid *g, int k,
                      int asof, const ct_propose_options *opt, int from, ct_yearly *u, unit_hist *h)
{
    ct_yearly_read(plan, g, k, asof, opt->min_coverage, u);
    (void)s;
    const ct_year_value *b = ct_yearly_at(u, from);
    h->has_base = b != NULL;
    h->base = b ? b->value : NAN;
    h->den = b ? b->den : NAN;
    h->observed = NAN;
    h->first_year = 0;
    for (int j = 0; j < u->n && b; j++) {
        const ct_year_value *v = &u->y[j];
        if (!v->usable || v->year >= from) continue;
        h->first_year = v->year;
        h->observed = ct_assess_rate(ind, v->value, b->value, from - v->year);
        break;
    }
}

static double clamp(const ct_pmodel *m, double v)
{
    if (isfinite(m->lo) && v < m->lo) v = m->lo;
    if (isfinite(m->hi) && v > m->hi) v = m->hi;
    return v;
}

/* The value a pace reaches from the baseline in `years`, as ct_assess_rate measures paces. */
static double at_pace(const ct_indicator *ind, double base, double pace, int years)
{
    if (ct_indicator_is_percent(ind)) return base + pace * years;
    return (base > 0 ? base : 0.001) * pow(1 + pace, years);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The pace of the best quarter: the 75th percentile of the observed paces
 * (the 25th for a decrease), interpolated between order statistics. */
static double best_quarter(double *v, int n, int direction)
{
    if (n < 1) return NAN;
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    double q = direction >= 0 ? 0.75 : 0.25, h = (n - 1) * q;
    int i = (int)floor(h);
    return i + 1 < n ? v[i] + (h - i) * (v[i + 1] - v[i]) : v[i];
}

/* The target as a number for a unit (as assess reads it). */
static double target_number(const ct_target *t, double base)
{
    switch (t->form) {
    case CT_TF_VALUE: return t->value;
    case CT_TF_RANGE: return t->min;
    case CT_TF_CHANGE: return isfinite(base) ? base * (1 + t->change) : NAN;
    case CT_TF_MAINTAIN: return base;
    }
    return NAN;
}

static int unit_counting(const ct_indicator *ind)
{
    return ind->kind == CT_KIND_SHARE || ind->kind == CT_KIND_COUNT || ind->kind == CT_KIND_TRANSITION;
}

static int row_applies(const ct_series *s, const ct_indicator *ind, int unit)
{
    if (!unit_counting(ind) || ind->of_level < 0) return 1;
    int l = s->level[unit];
    return l != ind->of_level && !s->level_above[l * s->n_levels + ind->of_level];
}

static void finish(ct_proposal *p, const unit_hist *h, const ct_pmodel *m, double best, const ct_propose_options *opt)
{
    const ct_indicator *ind = p->ind;
    int years = p->to - p->from, dir = ind->direction;
    p->probability = isfinite(p->value) ? ct_pmodel_prob(m, p->to, p->value) : NAN;
    p->pace = isfinite(p->value) && h->has_base ? ct_assess_rate(ind, h->base, p->value, years) : NAN;
    p->observed_pace = h->observed;
    char vb[32], bb[32];
    snprintf(vb, sizeof vb, "%.4g", p->value);
    snprintf(bb, sizeof bb, "%.4g", h->base);
    if (isfinite(p->value) && h->has_base && (p->value - h->base) * dir < -1e-9) {
        p->flag_direction = 1;
        NOTE(p, opt->lang, "%s moves against the indicator's direction: %s the %d baseline %s (its maintain value)",
             "%s đi ngược chiều của chỉ tiêu: %s giá trị năm gốc %d là %s (mức duy trì)", vb,
             dir > 0 ? CT_TR(opt->lang, "below", "thấp hơn") : CT_TR(opt->lang, "above", "cao hơn"), p->from, bb);
    }
    if (isfinite(p->pace) && isfinite(best) && best * dir > 0 && p->pace * dir > 2 * best * dir) {
        p->flag_pace = 1;
        NOTE(p, opt->lang, "needs %.3g a year, more than twice the best observed pace %.3g",
             "cần %.3g mỗi năm, hơn gấp đôi tốc độ tốt nhất từng đạt %.3g", p->pace, best);
    }
}

static int emit(ct_proposal *p, const unit_hist *h, const ct_pmodel *m, double best, const ct_propose_options *opt,
                ct_propose_fn fn, void *ctx)
{
    finish(p, h, m, best, opt);
    return fn(p, ctx);
}

static void scenario_note(ct_proposal *p, const ct_pmodel *m, const ct_propose_options *opt)
{
    const ct_lang L = opt->lang;
    switch (p->scenario) {
    case CT_SC_TREND:
        if (!ct_pmodel_has_central(m))
            NOTE(p, L, "no trend: fewer than two usable years", "không có xu hướng: chưa đủ hai năm có số liệu%s", "");
        else NOTE(p, L, "the trend's median for %d, fitted to %d years", "trung vị xu hướng năm %d, từ %d năm số liệu",
                  p->to, ct_pmodel_points(m));
        break;
    case CT_SC_LIKELY:
    case CT_SC_STRETCH:
        if (!ct_pmodel_has_spread(m) && m->tr.model == CT_MODEL_OLS)
            NOTE(p, L, "no distribution: fewer than three usable years",
                 "không có phân phối: chưa đủ ba năm có số liệu%s", "");
        else if (!ct_pmodel_has_spread(m))
            NOTE(p, L, "no distribution: fewer than two usable years",
                 "không có phân phối: chưa đủ hai năm có số liệu%s", "");
        else
            NOTE(p, L, "reached or passed with probability %.2g under the trend", "đạt hoặc vượt với xác suất %.2g theo xu hướng",
                 p->scenario == CT_SC_LIKELY ? opt->probability : 1 - opt->probability);
        break;
    case CT_SC_BEST_PACE:
        NOTE(p, L, "the baseline at the pace of the best quarter of the units of its level",
             "giá trị năm gốc với tốc độ của 1/4 số đơn vị tốt nhất cùng cấp%s", "");
        break;
    case CT_SC_MAINTAIN:
        NOTE(p, L, "the %d baseline held", "giữ mức năm gốc %d", p->from);
        break;
    case CT_SC_PROPOSED:
        NOTE(p, L, "the plan's target for %d", "mục tiêu của kế hoạch cho năm %d", p->target ? p->target->year : p->to);
        break;
    }
}

/* The region's likely target split among the units one level below it:
 * alloc[k] for those grid rows (NaN elsewhere). Returns the number of units,
 * 0 when there is nothing to split (a unit without a baseline, no target). */
static int allocate(const ct_plan *plan, const ct_indicator *ind, const ct_series *s, const ct_grid *g,
                    const unit_hist *h, const ct_pmodel *rm, const ct_propose_options *opt, double *alloc, double *param, double *region,
                    int *left_out)
{
    int kr = -1, n = 0;
    *left_out = 0;
    for (int k = 0; k < g->n_units; k++) {
        alloc[k] = NAN;
        if (g->units[k] == plan->region_unit) kr = k;
    }
    /* a frequency of the region's figure (the months in which the sum of its
     * units' posts reached at_least) is not made of its units' frequencies:
     * no split of them adds up to it */
    if (kr < 0 || opt->allocate == CT_ALLOC_NONE || ind->kind == CT_KIND_LUA || ind->kind == CT_KIND_FREQUENCY)
        return 0;
    double target = ct_pmodel_value_at(rm, opt->to, opt->probability);
    if (!isfinite(target)) return 0;
    int additive = ind->kind == CT_KIND_SUM || ind->kind == CT_KIND_COUNT;
    int *rows = malloc((size_t)g->n_units * sizeof *rows);
    double *b = malloc((size_t)g->n_units * sizeof *b), *w = malloc((size_t)g->n_units * sizeof *w),
           *t = malloc((size_t)g->n_units * sizeof *t);
    int ok = rows && b && w && t;
    for (int k = 0; ok && k < g->n_units; k++) {
        int u = g->units[k];
        if (s->parent[u] != plan->region_unit || !row_applies(s, ind, u)) continue;
        if (!h[k].has_base || (!additive && !(h[k].den > 0))) { (*left_out)++; continue; } /* nothing to split from */
        rows[n] = k;
        b[n] = h[k].base;
        w[n] = additive ? 1 : h[k].den;
        n++;
    }
    if (ok && n > 0 &&
        ct_alloc_split(opt->allocate, additive, b, w, n, target, ind->direction, rm->lo, rm->hi, t, param,
                       region) == 0) {
        for (int i = 0; i < n; i++) alloc[rows[i]] = t[i];
    } else {
        n = 0;
    }
    free(rows);
    free(b);
    free(w);
    free(t);
    return n;
}

static void alloc_notes(ct_proposal *p, const ct_propose_options *opt, double target)
{
    const ct_lang L = opt->lang;
    const char *how = ct_alloc_name(opt->allocate);
    if (p->alloc_units) {
        double margin = (p->alloc_region - target) * (p->ind->direction >= 0 ? 1 : -1);
        if (fabs(margin) < 5e-7 * (1 + fabs(target))) margin = 0; /* no "-0" for an exact split */
        NOTE(p, L, "split by %s among %d units: the region's value from their targets is %.6g against %.6g (margin %+.3g)",
             "phân bổ theo %s cho %d đơn vị: giá trị của địa bàn tính từ mục tiêu của các đơn vị là %.6g so với %.6g (chênh %+.3g)",
             how, p->alloc_units, p->alloc_region, target, margin);
        if (p->alloc_left_out)
            NOTE(p, L, "%d units without a baseline value left out of the split", "%d đơn vị không có giá trị năm gốc, không phân bổ",
                 p->alloc_left_out);
        return;
    }
    if (!p->allocated) return;
    if (!isfinite(p->alloc_param)) NOTE(p, L, "allocated by %s: the region's target in equal parts", "phân bổ theo %s: chia đều mục tiêu của địa bàn", how);
    else if (opt->allocate == CT_ALLOC_EQUAL_GAP && ct_indicator_is_percent(p->ind))
        NOTE(p, L, "allocated by %s: closes %.1f%% of the gap between its baseline and %s", "phân bổ theo %s: thu hẹp %.1f%% khoảng cách từ năm gốc đến %s",
             how, p->alloc_param * 100, p->ind->direction >= 0 ? "100%" : "0%");
    else NOTE(p, L, "allocated by %s: a change of %+.1f%% from its baseline", "phân bổ theo %s: thay đổi %+.1f%% so với năm gốc", how, p->alloc_param * 100);
}

ct_status ct_propose_plan(const ct_plan *plan, const ct_series *s, const ct_compute_filter *filter,
                          const ct_propose_options *opt, ct_propose_fn fn, void *ctx)
{
    /* every unit is read (best_pace and allocation look at the others); the
     * filter picks the rows */
    ct_compute_filter want = filter ? *filter : (ct_compute_filter){-1, -1, -1};
    ct_compute_filter f = {-1, -1, CT_PT_YEAR};
    int asof = ct_series_asof_month(s);
    int from = opt->from ? opt->from : (asof + 1) / 12 - 1;
    ct_status st = CT_OK;
    ct_yearly *u = malloc(sizeof *u);
    ct_pmodel *m = malloc(sizeof *m), *rm = malloc(sizeof *rm);
    if (!u || !m || !rm) { free(u); free(m); free(rm); return CT_ENOMEM; }
    for (size_t i = 0; st == CT_OK && i < plan->n_indicators; i++) {
        const ct_indicator *ind = &plan->indicators[i];
        if (ind->base_level < 0) continue;
        ct_grid g;
        st = ct_compute_grid(plan, ind, s, &f, &g);
        if (st != CT_OK) break;
        unit_hist *h = malloc((size_t)(g.n_units ? g.n_units : 1) * sizeof *h);
        double *paces = malloc((size_t)(g.n_units ? g.n_units : 1) * sizeof *paces);
        double *best = malloc((size_t)(s->n_levels ? s->n_levels : 1) * sizeof *best);
        ct_model_pool pool;
        ct_model_pool_init(&pool);
        if (!h || !paces || !best) st = CT_ENOMEM;
        else st = ct_trend_pool(plan, ind, s, &g, NULL, asof, opt->min_coverage, opt->model, row_applies, &pool);
        if (st != CT_OK) { free(h); free(paces); free(best); ct_model_pool_free(&pool); ct_grid_free(&g); break; }
        int kr = -1;
        for (int k = 0; k < g.n_units; k++) {
            read_unit(plan, ind, s, &g, k, asof, opt, from, u, &h[k]);
            if (g.units[k] == plan->region_unit) {
                kr = k;
                ct_pmodel_fit(rm, u, ind, s, opt->model, &pool, g.units[k]);
            }
        }
        double *alloc = malloc((size_t)(g.n_units ? g.n_units : 1) * sizeof *alloc), aparam = NAN, aregion = NAN;
        if (!alloc) { free(h); free(paces); free(best); ct_model_pool_free(&pool); ct_grid_free(&g); st = CT_ENOMEM; break; }
        int left_out = 0;
        int n_alloc = kr >= 0 ? allocate(plan, ind, s, &g, h, rm, opt, alloc, &aparam, &aregion, &left_out) : 0;
        /* the best quarter's pace, per level, among the units of the region printed at that level */
        for (int l = 0; l < s->n_levels; l++) {
            int n = 0;
            for (int k = 0; k < g.n_units; k++)
                if (s->level[g.units[k]] == l && isfinite(h[k].observed)) paces[n++] = h[k].observed;
            best[l] = best_quarter(paces, n, ind->direction);
        }
        for (int k = 0; st == CT_OK && k < g.n_units; k++) {
            int unit = g.units[k];
            if (!row_applies(s, ind, unit)) continue;
            if ((want.level >= 0 && s->level[unit] != want.level) || (want.unit >= 0 && unit != want.unit)) continue;
            const unit_hist *uh = &h[k];
            if (k == kr) *m = *rm;
            else {
                ct_yearly_read(plan, &g, k, asof, opt->min_coverage, u);
                ct_pmodel_fit(m, u, ind, s, opt->model, &pool, unit);
            }
            double bp = best[s->level[unit]];
            ct_proposal p;
            for (int sc = 0; sc < CT_SC_COUNT && st == CT_OK; sc++) {
                memset(&p, 0, sizeof p);
                p.plan = plan;
                p.ind = ind;
                p.unit = unit;
                p.from = from;
                p.to = opt->to;
                p.has_baseline = uh->has_base;
                p.baseline_value = uh->base;
                p.scenario = (ct_scenario)sc;
                p.value = NAN;
                switch (p.scenario) {
                case CT_SC_TREND: p.value = ct_pmodel_central(m, opt->to); break;
                case CT_SC_LIKELY:
                    p.value = ct_pmodel_value_at(m, opt->to, opt->probability);
                    if (n_alloc && unit == plan->region_unit) {
                        p.alloc_units = n_alloc;
                        p.alloc_region = aregion;
                        p.alloc_left_out = left_out;
                    } else if (n_alloc && isfinite(alloc[k])) {
                        p.allocated = 1;
                        p.alloc_param = aparam;
                        p.value = alloc[k];
                    }
                    break;
                case CT_SC_STRETCH: p.value = ct_pmodel_value_at(m, opt->to, 1 - opt->probability); break;
                case CT_SC_BEST_PACE:
                    if (uh->has_base && isfinite(bp))
                        p.value = clamp(m, at_pace(ind, uh->base, bp, opt->to - from));
                    break;
                case CT_SC_MAINTAIN: p.value = uh->base; break;
                case CT_SC_PROPOSED:
                    for (size_t j = 0; j < ind->n_targets && st == CT_OK; j++) {
                        const ct_target *t = &ind->targets[j];
                        if (t->year <= from || t->year > opt->to || !ct_target_applies(ind, t, unit)) continue;
                        ct_proposal q = p;
                        q.target = t;
                        q.to = t->year;
                        q.value = target_number(t, uh->base);
                        scenario_note(&q, m, opt);
                        if (emit(&q, uh, m, bp, opt, fn, ctx)) st = CT_EIO;
                    }
                    continue;
                }
                if (p.allocated) alloc_notes(&p, opt, NAN);
                else scenario_note(&p, m, opt);
                if (p.alloc_units) alloc_notes(&p, opt, p.value);
                else if (p.scenario == CT_SC_LIKELY && unit == plan->region_unit && opt->allocate != CT_ALLOC_NONE &&
                         ind->kind == CT_KIND_FREQUENCY)
                    NOTE(&p, opt->lang, "not split by %s: the region's frequency is not made of its units' frequencies",
                         "không phân bổ theo %s: tần suất của địa bàn không được tạo thành từ tần suất của các đơn vị",
                         ct_alloc_name(opt->allocate));
                else if (p.scenario == CT_SC_LIKELY && unit == plan->region_unit && opt->allocate != CT_ALLOC_NONE &&
                         ind->kind != CT_KIND_LUA && isfinite(p.value))
                    /* a share of the units one level below, a figure reported above them, or
                     * a province of the new map (communes only) with a district figure:
                     * nothing below the region to go to */
                    NOTE(&p, opt->lang, "not split by %s: no unit one level below the region has a value of its own for it",
                         "không phân bổ theo %s: không đơn vị cấp dưới nào của địa bàn có giá trị riêng của chỉ tiêu này",
                         ct_alloc_name(opt->allocate));
                if (emit(&p, uh, m, bp, opt, fn, ctx)) st = CT_EIO;
            }
        }
        free(alloc);
        free(h);
        free(paces);
        free(best);
        ct_model_pool_free(&pool);
        ct_grid_free(&g);
    }
    free(u);
    free(m);
    free(rm);
    return st;
}
