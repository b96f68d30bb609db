/* The data of a plan's charts: the series, assessments, projections and
 * transition bands of the units charted, and the list of charts they make. */
#include "ct_plot_data.h"

#include "../project/ct_yearly.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- collecting a plan's chart data ------------------------------------------------- */

static ct_plot_series **cell_at(const ct_plot_plan *pp, int ind, int unit)
{
    return &pp->cell[(size_t)ind * (size_t)pp->s->n_units + (size_t)unit];
}

const ct_plot_series *ct_plot_get(const ct_plot_plan *pp, int ind, int unit)
{
    if (ind < 0 || ind >= pp->n_ind || unit < 0 || unit >= pp->s->n_units) return NULL;
    return *cell_at(pp, ind, unit);
}

const char *ct_plot_final_status(const ct_plot_series *ps)
{
    if (!ps || ps->final < 0) return "insufficient_data";
    const char *st = ps->assess[ps->final].status;
    return st ? st : "insufficient_data";
}

typedef struct {
    ct_plot_plan *pp;
    int failed;
} collect_ctx;

static ct_plot_series *series_for(ct_plot_plan *pp, const ct_indicator *ind, int unit)
{
    int i = (int)(ind - pp->plan->indicators);
    if (i < 0 || i >= pp->n_ind || unit < 0 || unit >= pp->s->n_units) return NULL;
    return *cell_at(pp, i, unit);
}

static int on_assessment(const ct_assessment *a, void *ctx)
{
    collect_ctx *c = ctx;
    ct_plot_series *ps = series_for(c->pp, a->ind, a->unit);
    if (!ps) return 0;
    if (!ps->assess) {
        ps->assess = calloc(a->ind->n_targets ? a->ind->n_targets : 1, sizeof *ps->assess);
        if (!ps->assess) { c->failed = 1; return 1; }
    }
    if ((size_t)ps->n_assess >= a->ind->n_targets) return 0;
    ps->assess[ps->n_assess] = *a;
    if (a->status == a->status_buf)   /* a rule's status lives in the copied struct's own buffer */
        ps->assess[ps->n_assess].status = ps->assess[ps->n_assess].status_buf;
    if (ps->final < 0 || a->target_year >= ps->assess[ps->final].target_year) ps->final = ps->n_assess;
    ps->n_assess++;
    return 0;
}

static int on_projection(const ct_projection *p, void *ctx)
{
    collect_ctx *c = ctx;
    ct_plot_series *ps = series_for(c->pp, p->ind, p->unit);
    if (!ps || ps->n_proj >= CT_PLOT_MAX_YEARS) return 0;
    ps->proj_year[ps->n_proj] = p->year;
    ps->proj[ps->n_proj] = p->projected;
    ps->proj_lo[ps->n_proj] = p->lower;
    ps->proj_hi[ps->n_proj] = p->upper;
    ps->n_proj++;
    return 0;
}

static int on_band(const ct_projection *p, void *ctx)
{
    collect_ctx *c = ctx;
    if (p->method != CT_PM_TRANSITION) return 0;
    ct_plot_series *ps = series_for(c->pp, p->ind, p->unit);
    if (!ps || ps->n_band >= CT_PLOT_MAX_YEARS || !isfinite(p->lower) || !isfinite(p->upper)) return 0;
    ps->band_year[ps->n_band] = p->year;
    ps->band_lo[ps->n_band] = p->lower;
    ps->band_hi[ps->n_band] = p->upper;
    ps->n_band++;
    return 0;
}

/* Units of the region in depth-first order (each unit, then its children in
 * file order), keeping those with charted[u]. */
static int dfs_units(const ct_series *s, int root, const unsigned char *charted, int *out)
{
    int n = 0, *first = malloc((size_t)s->n_units * sizeof *first), *next = malloc((size_t)s->n_units * sizeof *next),
        *stack = malloc((size_t)s->n_units * sizeof *stack);
    if (!first || !next || !stack) { free(first); free(next); free(stack); return -1; }
    for (int u = 0; u < s->n_units; u++) first[u] = next[u] = -1;
    for (int u = s->n_units - 1; u >= 0; u--) {
        int p = s->parent[u];
        if (p >= 0 && p < s->n_units) { next[u] = first[p]; first[p] = u; }
    }
    int sp = 0;
    stack[sp++] = root;
    while (sp > 0) {
        int u = stack[--sp];
        if (charted[u]) out[n++] = u;
        /* push children in reverse so that they pop in file order */
        int k = 0;
        for (int c = first[u]; c >= 0; c = next[c]) k++;
        int base = sp;
        sp += k;
        int i = sp - 1;
        for (int c = first[u]; c >= 0; c = next[c]) stack[i--] = c;
        (void)base;
    }
    free(first);
    free(next);
    free(stack);
    return n;
}

/* Whether unit a lies in the subtree of unit b. */
static int under(const ct_series *s, int a, int b) { return a >= 0 && b >= 0 && ct_series_in_subtree(s, a, b); }

ct_status ct_plot_collect(const ct_plan *plan, const ct_series *s, const ct_plot_scope *scope,
                          const ct_assess_options *opt, ct_plot_plan *pp)
{
    int level = scope ? scope->level : -1;
    memset(pp, 0, sizeof *pp);
    pp->plan = plan;
    pp->s = s;
    pp->n_ind = (int)plan->n_indicators;
    int region = plan->region_unit >= 0 ? plan->region_unit : s->root;
    pp->root = -1;
    if (s->n_units == 0 || region < 0) return CT_OK;
    if (scope && scope->unit >= 0) {   /* the unit's part of the plan's region */
        if (under(s, scope->unit, region)) region = scope->unit;
        else if (!under(s, region, scope->unit)) return CT_OK;   /* the plan does not cover it */
    }
    pp->root = region;
    pp->cell = calloc((size_t)(pp->n_ind ? pp->n_ind : 1) * (size_t)s->n_units, sizeof *pp->cell);
    pp->charted = calloc((size_t)s->n_units, 1);
    pp->units = malloc((size_t)s->n_units * sizeof *pp->units);
    unsigned char *lv = calloc((size_t)s->n_levels + 1, 1);
    if (!pp->cell || !pp->charted || !pp->units || !lv) { free(lv); ct_plot_plan_free(pp); return CT_ENOMEM; }
    int rl = s->level[region];
    int down_to = scope ? scope->down_to : -1;
    if (level >= 0) {
        lv[level] = 1;
    } else if (down_to >= 0) {   /* the root's level and every level down to down_to */
        for (int l = 0; l < s->n_levels; l++)
            if (l == rl || (s->level_above[(size_t)l * (size_t)s->n_levels + (size_t)rl] &&
                            (l == down_to || s->level_above[(size_t)down_to * (size_t)s->n_levels + (size_t)l])))
                lv[l] = 1;
    } else {
        for (int l = 0; l < s->n_levels; l++) {
            if (l != rl && !s->level_above[(size_t)l * (size_t)s->n_levels + (size_t)rl]) continue;
            int finest = 1;   /* no level lies below l */
            for (int b = 0; b < s->n_levels; b++)
                if (s->level_above[(size_t)b * (size_t)s->n_levels + (size_t)l]) finest = 0;
            if (!finest || l == rl) lv[l] = 1;
        }
    }
    for (int u = 0; u < s->n_units; u++)
        if (lv[s->level[u]] && ct_series_in_subtree(s, u, region)) pp->charted[u] = 1;
    int n = dfs_units(s, region, pp->charted, pp->units);
    if (n < 0) { free(lv); ct_plot_plan_free(pp); return CT_ENOMEM; }
    pp->n_units = n;

    ct_status st = CT_OK;
    for (int l = 0; st == CT_OK && l < s->n_levels; l++) {
        if (!lv[l]) continue;
        ct_compute_filter f = {l, -1, CT_PT_YEAR};
        for (int i = 0; st == CT_OK && i < pp->n_ind; i++) {
            const ct_indicator *ind = &plan->indicators[i];
            if (ind->base_level < 0 || !ct_compute_level_applies(s, ind, l)) continue;
            ct_grid g;
            st = ct_compute_grid(plan, ind, s, &f, &g);
            if (st != CT_OK) break;
            for (int k = 0; k < g.n_units; k++) {
                int u = g.units[k];
                if (!pp->charted[u]) continue;
                ct_plot_series *ps = calloc(1, sizeof *ps);
                if (!ps) { st = CT_ENOMEM; break; }
                ps->plan = plan;
                ps->ind = ind;
                ps->ind_index = i;
                ps->unit = u;
                ps->final = -1;
                *cell_at(pp, i, u) = ps;
                for (int j = 0; j < g.n_periods; j++) {
                    const ct_cell *c = &g.cells[(size_t)k * (size_t)g.n_periods + (size_t)j];
                    if (g.periods[j].type != CT_PT_YEAR || ps->n >= CT_PLOT_MAX_YEARS) continue;
                    if (!(c->flags & CT_ROW_VALUE) && !(c->flags & CT_ROW_COUNTS)) continue;
                    /* a year with counts but no value is kept for completeness only */
                    ps->year[ps->n] = g.periods[j].year;
                    ps->value[ps->n] = (c->flags & CT_ROW_VALUE) ? c->value : NAN;
                    ps->reported[ps->n] = (c->flags & CT_ROW_COUNTS) ? c->reported : -1;
                    ps->expected[ps->n] = (c->flags & CT_ROW_COUNTS) ? c->expected : -1;
                    ps->num[ps->n] = (c->flags & CT_ROW_NUM) ? c->num : NAN;
                    ps->den[ps->n] = (c->flags & CT_ROW_DEN) ? c->den : NAN;
                    if (!ct_yearly_complete(ps->year[ps->n], ct_series_asof_month(s))) ps->year_under_way = ps->year[ps->n];
                    ps->n++;
                }
            }
            ct_grid_free(&g);
        }
        if (st != CT_OK) break;
        collect_ctx cc = {pp, 0};
        ct_compute_filter fa = {l, -1, -1};
        ct_assess_options ao = {CT_PM_AUTO, NULL, NULL, CT_LANG_VI, 0, NULL, CT_MODEL_CALIBRATED};
        if (opt) ao = *opt;
        /* one charted unit at this level (the root): assess it alone */
        int alone = -1, count = 0;
        for (int k = 0; k < n; k++)
            if (s->level[pp->units[k]] == l) { alone = pp->units[k]; count++; }
        if (count == 1) fa.unit = alone;
        st = ct_assess_plan(plan, s, &fa, &ao, on_assessment, &cc);
        if (st == CT_OK) st = ct_assess_project(plan, s, &fa, CT_PM_AUTO, ao.model, ct_plan_last_year(plan), ao.min_coverage, on_projection, &cc);
        if (st == CT_OK) st = ct_assess_project(plan, s, &fa, CT_PM_TRANSITION, ao.model, ct_plan_last_year(plan), ao.min_coverage, on_band, &cc);
        if (cc.failed) st = CT_ENOMEM;
    }
    free(lv);
    if (st != CT_OK) ct_plot_plan_free(pp);
    return st;
}

ct_status ct_plot_view(const ct_plot_plan *whole, int root, ct_plot_plan *view)
{
    memset(view, 0, sizeof *view);
    view->plan = whole->plan;
    view->s = whole->s;
    view->n_ind = whole->n_ind;
    view->root = -1;
    view->view = 1;
    const ct_series *s = whole->s;
    if (whole->root < 0 || root < 0 || !whole->charted) return CT_OK;
    if (under(s, root, whole->root)) view->root = root;
    else if (under(s, whole->root, root)) view->root = whole->root;
    else return CT_OK;   /* the plan does not cover it */
    view->cell = whole->cell;
    view->charted = calloc((size_t)s->n_units, 1);
    view->units = malloc((size_t)s->n_units * sizeof *view->units);
    if (!view->charted || !view->units) { ct_plot_plan_free(view); return CT_ENOMEM; }
    for (int k = 0; k < whole->n_units; k++)
        if (under(s, whole->units[k], view->root)) view->charted[whole->units[k]] = 1;
    int n = dfs_units(s, view->root, view->charted, view->units);
    if (n < 0) { ct_plot_plan_free(view); return CT_ENOMEM; }
    view->n_units = n;
    return CT_OK;
}

void ct_plot_plan_free(ct_plot_plan *pp)
{
    if (pp->view) pp->cell = NULL;   /* another plan's */
    if (pp->cell && pp->s) {
        size_t total = (size_t)(pp->n_ind ? pp->n_ind : 1) * (size_t)pp->s->n_units;
        for (size_t i = 0; i < total; i++)
            if (pp->cell[i]) { free(pp->cell[i]->assess); free(pp->cell[i]); }
    }
    free(pp->cell);
    free(pp->units);
    free(pp->charted);
    memset(pp, 0, sizeof *pp);
}

/* ---- listing charts ----------------------------------------------------------------- */

static int push_chart(ct_chart **charts, size_t *n, size_t *cap, const ct_chart *c)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        ct_chart *p = realloc(*charts, nc * sizeof *p);
        if (!p) return -1;
        *charts = p;
        *cap = nc;
    }
    (*charts)[(*n)++] = *c;
    return 0;
}

/* The charted children of unit u that have a series for indicator i. */
int ct_plot_children(const ct_plot_plan *pp, int i, int u, int *out)
{
    int n = 0;
    for (int k = 0; k < pp->n_units; k++) {
        int c = pp->units[k];
        if (pp->s->parent[c] == u && ct_plot_get(pp, i, c)) {
            if (out) out[n] = c;
            n++;
        }
    }
    return n;
}

ct_status ct_plot_list_charts(const ct_plot_plan *pp, int page, ct_chart **charts, size_t *n, size_t *cap)
{
    char plan_part[128], ind_part[128], unit_part[128], level_part[64];
    ct_plot_file_part(pp->plan->id, plan_part, sizeof plan_part);
    for (int i = 0; i < pp->n_ind; i++) {
        ct_plot_file_part(pp->plan->indicators[i].id, ind_part, sizeof ind_part);
        for (int k = 0; k < pp->n_units; k++) {
            int u = pp->units[k];
            if (!ct_plot_get(pp, i, u) || (page && u != pp->root)) continue;
            ct_plot_file_part_sep(pp->s->code[u], unit_part, sizeof unit_part, 0);   /* no '-': UNIT-LEVEL stays apart */
            ct_chart c = {CT_CHART_TRAJECTORY, pp, i, u, ""};
            snprintf(c.rel, sizeof c.rel, "%s/%s/%s", plan_part, ind_part, unit_part);
            if (push_chart(charts, n, cap, &c)) return CT_ENOMEM;
        }
        for (int k = 0; k < pp->n_units; k++) {
            int u = pp->units[k];
            int *kids = malloc((size_t)pp->n_units * sizeof *kids);
            if (!kids) return CT_ENOMEM;
            int nk = ct_plot_children(pp, i, u, kids);
            int lvl = nk > 0 ? pp->s->level[kids[0]] : 0;
            /* the page leaves out panels that would show nothing (no unit has a value) or
             * nothing to judge (no target applies to any unit: communes' 0/100 % steps) */
            int value = 0, target = 0;
            for (int q = 0; page && q < nk; q++) {
                const ct_plot_series *ks = ct_plot_get(pp, i, kids[q]);
                for (int y = 0; ks && y < ks->n && !value; y++) value = isfinite(ks->value[y]);
                for (int t = 0; ks && t < ks->n_assess && !target; t++)
                    target = !ks->assess[t].status || strcmp(ks->assess[t].status, "not_applicable");
            }
            free(kids);
            if (nk < 2 || (page && (!value || !target))) continue;
            ct_plot_file_part_sep(pp->s->code[u], unit_part, sizeof unit_part, 0);
            ct_plot_file_part(pp->s->level_name[lvl], level_part, sizeof level_part);
            ct_chart c = {CT_CHART_MULTIPLES, pp, i, u, ""};
            snprintf(c.rel, sizeof c.rel, "%s/%s/%s-%s", plan_part, ind_part, unit_part, level_part);
            if (push_chart(charts, n, cap, &c)) return CT_ENOMEM;
        }
    }
    /* the status overview needs a target somewhere; the page has its own, a table
     * (ct_report_overview.c) whose words keep their size in print */
    int cells = 0;
    for (int i = 0; i < pp->n_ind && !cells && !page; i++)
        for (int k = 0; k < pp->n_units && !cells; k++) {
            const ct_plot_series *ps = ct_plot_get(pp, i, pp->units[k]);
            cells = ps && ps->n_assess > 0;
        }
    if (cells) {
        ct_chart c = {CT_CHART_STATUS, pp, -1, -1, ""};
        snprintf(c.rel, sizeof c.rel, "%s/status", plan_part);
        if (push_chart(charts, n, cap, &c)) return CT_ENOMEM;
    }
    return CT_OK;
}

