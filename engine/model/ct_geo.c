#include "ct_geo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* merge rules, as ct_merge in ct_plan.h */
enum { MG_SUM, MG_MEAN, MG_MAX, MG_MIN, MG_ANY, MG_ALL };
enum { TYPE_BOOLEAN, TYPE_COUNT, TYPE_NUMBER };

int ct_geo_parse(const char *text, int *month)
{
    if (strcmp(text, "as-reported") == 0) { *month = CT_GEO_AS_REPORTED; return 0; }
    ct_period p;
    if (ct_period_parse(text, strlen(text), &p) != 0) return -1;
    *month = ct_period_last_month(p);
    return 0;
}

static int data_month(const ct_series *s)
{
    int m = s->last_month;
    if (s->year0 > s->year1) { /* no data: the latest units */
        m = INT_MIN;
        for (int u = 0; u < s->n_units; u++)
            if (s->orig_first[u] > m) m = s->orig_first[u];
        if (m == INT_MIN) m = INT_MAX - 1;
    }
    return m < s->cutoff_month ? m : s->cutoff_month;
}

int ct_geo_plan_month(const ct_series *s, const char *region, int last_year)
{
    int m = data_month(s);
    if (last_year > 0 && last_year < INT_MAX / 12 - 1 && last_year * 12 + 11 < m) m = last_year * 12 + 11;
    if (!region) return m;
    int u = ct_series_unit_at(s, region, strlen(region), m);
    /* a region that closed before: the last map it was on */
    if (u >= 0 && s->orig_first[u] <= m && s->orig_last[u] < m) m = s->orig_last[u];
    return m;
}

int ct_geo_ref_month(const ct_series *s)
{
    return s->geo_month != CT_GEO_AS_REPORTED ? s->geo_month : data_month(s);
}

int ct_geo_in(const ct_series *s, int u)
{
    return !s->in_geo || s->in_geo[u];
}

void ct_geo_label(int month, char buf[CT_PERIOD_BUF])
{
    int y = month / 12, mo = month % 12;
    if (mo == 5 || mo == 11) snprintf(buf, CT_PERIOD_BUF, "%dS%d", y, mo / 6 + 1);
    else if (mo % 3 == 2) snprintf(buf, CT_PERIOD_BUF, "%dQ%d", y, mo / 3 + 1);
    else snprintf(buf, CT_PERIOD_BUF, "%d-%02d", y, mo + 1);
}

static int valid_at(const ct_series *s, int u, int month)
{
    return s->orig_first[u] <= month && month <= s->orig_last[u];
}

/* Per level, the month whose units it is computed on: the geography's, or
 * the last month before it when the level had units, for a level abolished. */
static int level_months(ct_series *s, int g)
{
    s->level_geo = malloc((size_t)s->n_levels * sizeof *s->level_geo);
    if (!s->level_geo) return -1;
    for (int l = 0; l < s->n_levels; l++) {
        int here = 0, last = INT_MIN;
        for (int k = 0; k < s->level_size[l]; k++) {
            int u = s->level_units[l][k];
            if (valid_at(s, u, g)) { here = 1; break; }
            if (s->orig_last[u] < g && s->orig_last[u] > last) last = s->orig_last[u];
        }
        s->level_geo[l] = here || last == INT_MIN ? g : last;
    }
    return 0;
}

static const ct_series *sort_s;

static int later_end_first(const void *a, const void *b)
{
    int u = *(const int *)a, v = *(const int *)b;
    int x = sort_s->orig_last[u], y = sort_s->orig_last[v];
    if (x != y) return x > y ? -1 : 1;
    return u - v;
}

typedef struct {
    int *unit;
    double *w;
    unsigned char *apx;
    int n, cap;
} dest_buf;

static int push_dest(dest_buf *b, int unit, double w, int apx)
{
    if (b->n == b->cap) {
        int nc = b->cap ? b->cap * 2 : 1024;
        int *nu = realloc(b->unit, (size_t)nc * sizeof *nu);
        if (!nu) return -1;
        b->unit = nu;
        double *nw = realloc(b->w, (size_t)nc * sizeof *nw);
        if (!nw) return -1;
        b->w = nw;
        unsigned char *na = realloc(b->apx, (size_t)nc);
        if (!na) return -1;
        b->apx = na;
        b->cap = nc;
    }
    b->unit[b->n] = unit;
    b->w[b->n] = w;
    b->apx[b->n] = (unsigned char)apx;
    b->n++;
    return 0;
}

/* Every unit's destinations in the geography: itself when it belongs to it;
 * else, through its links, the destinations of the units it passed into.
 * Units are taken latest end first, so successors are done before. */
static int find_dests(ct_series *s)
{
    int n = s->n_units;
    int *order = malloc((size_t)n * sizeof *order);
    int *link_start = malloc((size_t)(n + 1) * sizeof *link_start);
    s->dest_start = malloc((size_t)n * sizeof *s->dest_start);
    s->dest_len = calloc((size_t)n, sizeof *s->dest_len);
    dest_buf b = {NULL, NULL, NULL, 0, 0};
    int rc = order && link_start && s->dest_start && s->dest_len ? 0 : -1;
    for (int i = 0; rc == 0 && i <= n; i++) link_start[i] = 0;
    for (int i = 0; rc == 0 && i < s->n_links; i++) link_start[s->links[i].from + 1]++;
    for (int i = 0; rc == 0 && i < n; i++) link_start[i + 1] += link_start[i];
    for (int i = 0; rc == 0 && i < n; i++) order[i] = i;
    sort_s = s;
    if (rc == 0) qsort(order, (size_t)n, sizeof *order, later_end_first);
    for (int k = 0; rc == 0 && k < n; k++) {
        int u = order[k], g = s->level_geo[s->level[u]];
        s->dest_start[u] = b.n;
        if (valid_at(s, u, g)) {
            rc = push_dest(&b, u, 1, 0);
            s->dest_len[u] = 1;
            continue;
        }
        if (s->orig_last[u] > g) continue; /* begins after the geography: not carried back */
        /* the links of u (sorted by from, then month) up to the geography */
        double known = 0;
        int unknown = 0, n_out = 0;
        for (int i = link_start[u]; i < link_start[u + 1]; i++) {
            const ct_link *l = &s->links[i];
            if (l->month > g) continue;
            n_out++;
            if (isnan(l->weight)) unknown++;
            else known += l->weight;
        }
        if (n_out == 0) {
            /* it ended without passing into anything: kept as it was reported */
            rc = push_dest(&b, u, 1, 0);
            s->dest_len[u] = 1;
            continue;
        }
        double share = unknown && known < 1 ? (1 - known) / unknown : 0;
        for (int i = link_start[u]; rc == 0 && i < link_start[u + 1]; i++) {
            const ct_link *l = &s->links[i];
            if (l->month > g) continue;
            int apx = isnan(l->weight);
            double w = apx ? share : l->weight;
            int v = l->to;
            for (int j = 0; rc == 0 && j < s->dest_len[v]; j++) {
                int at = s->dest_start[v] + j;
                int dv = b.unit[at];
                double dw = w * b.w[at];
                int da = apx | b.apx[at];
                int merged = 0;
                for (int q = s->dest_start[u]; q < b.n; q++)
                    if (b.unit[q] == dv) { b.w[q] += dw; b.apx[q] |= (unsigned char)da; merged = 1; break; }
                if (!merged) rc = push_dest(&b, dv, dw, da);
            }
        }
        s->dest_len[u] = b.n - s->dest_start[u];
    }
    s->dest_unit = b.unit;
    s->dest_w = b.w;
    s->dest_apx = b.apx;
    free(order);
    free(link_start);
    return rc;
}

/* A unit that closed before the map with no link of its own, at a level
 * the map still has (a province that closed in 2025 when successions.csv
 * holds its communes' links only, as the official table does), passes whole
 * into the unit of its level that its own units passed into: the one most
 * of them went to, approximate when they went to several. */
static int derive_whole(ct_series *s)
{
    int n = s->n_units, nl = s->n_levels;
    int any = 0;
    for (int u = 0; u < n && !any; u++)
        any = s->dest_len[u] == 1 && s->dest_unit[s->dest_start[u]] == u && s->orig_last[u] < s->level_geo[s->level[u]];
    if (!any) return 0;
    int *votes = calloc((size_t)n, sizeof *votes), *best = malloc((size_t)n * sizeof *best);
    unsigned char *split = calloc((size_t)n, 1);
    if (!votes || !best || !split) { free(votes); free(best); free(split); return -1; }
    for (int k = 0; k < n; k++) best[k] = -1;
    for (int c = 0; c < n; c++) {
        if (!s->dest_len[c]) continue;
        for (int l = 0; l < nl; l++) {
            int u = s->anc[(size_t)c * (size_t)nl + (size_t)l];
            if (u < 0 || u == c) continue;
            if (!(s->dest_len[u] == 1 && s->dest_unit[s->dest_start[u]] == u) || s->orig_last[u] >= s->level_geo[l]) continue;
            for (int j = 0; j < s->dest_len[c]; j++) {
                int dv = s->dest_unit[s->dest_start[c] + j];
                if (dv == c) continue; /* kept as it was: not passed anywhere */
                int pv = s->anc[(size_t)dv * (size_t)nl + (size_t)l];
                if (pv < 0 || pv == u || !valid_at(s, pv, s->level_geo[l])) continue;
                if (best[u] == pv) votes[u]++;
                else if (votes[u] == 0) { if (best[u] >= 0) split[u] = 1; best[u] = pv; votes[u] = 1; }
                else { votes[u]--; split[u] = 1; }
            }
        }
    }
    for (int u = 0; u < n; u++)
        if (best[u] >= 0) {
            s->dest_unit[s->dest_start[u]] = best[u];
            s->dest_apx[s->dest_start[u]] = split[u];
        }
    free(votes);
    free(best);
    free(split);
    return 0;
}

/* Whether some value of metric m comes from a unit other than its destination. */
static int crosses(const ct_series *s, const ct_metric *mt)
{
    for (int t = 0; t <= mt->finest; t++) {
        if (!mt->vals[t]) continue;
        int np = ct_series_n_periods(s, (ct_ptype)t);
        for (int k = 0; k < s->level_size[mt->level]; k++) {
            int u = s->level_units[mt->level][k];
            if (s->dest_len[u] == 1 && s->dest_unit[s->dest_start[u]] == u) continue;
            for (int i = 0; i < np; i++)
                if (!isnan(mt->vals[t][ct_series_cell(s, mt, k, i)])) return 1;
        }
    }
    return 0;
}

static double fold(int rule, double acc, double v, double w)
{
    if (isnan(acc)) return rule == MG_SUM ? w * v : v;
    switch (rule) {
    case MG_SUM: return acc + w * v;
    case MG_MEAN: return acc + v;
    case MG_MAX: case MG_ANY: return v > acc ? v : acc;
    default: return v < acc ? v : acc;
    }
}

/* A value needs every unit that made it: partial data give none, except an
 * answer that the missing units cannot change (any: a 1; all: a 0). */
static double settle(int rule, double acc, int have, int want)
{
    if (have == 0) return NAN;
    if (have < want) {
        if (rule == MG_ANY && acc == 1) return 1;
        if (rule == MG_ALL && acc == 0) return 0;
        return NAN;
    }
    return rule == MG_MEAN ? acc / have : acc;
}

/* Carries one period type of metric m onto the geography. */
static int carry_type(ct_series *s, ct_metric *mt, int t, int rule)
{
    int np = ct_series_n_periods(s, (ct_ptype)t), nu = s->level_size[mt->level];
    size_t cells = (size_t)nu * (size_t)np;
    double *nv = malloc((cells ? cells : 1) * sizeof *nv);
    int *have = calloc(cells ? cells : 1, sizeof *have);
    int *want = calloc(cells ? cells : 1, sizeof *want);
    int *fm = malloc((size_t)(np ? np : 1) * sizeof *fm), *lm = malloc((size_t)(np ? np : 1) * sizeof *lm);
    unsigned char *apx = NULL;
    if (!nv || !have || !want || !fm || !lm) { free(nv); free(have); free(want); free(fm); free(lm); return -1; }
    for (size_t c = 0; c < cells; c++) nv[c] = NAN;
    /* units outside the geography keep their own values (a closed region's
     * figures about itself); compute never counts them otherwise */
    for (int k = 0; k < nu; k++) {
        int u = s->level_units[mt->level][k];
        if (!(s->dest_len[u] == 1 && s->dest_unit[s->dest_start[u]] == u))
            for (int i = 0; i < np; i++) {
                size_t c = ct_series_cell(s, mt, k, i);
                nv[c] = mt->vals[t][c];
            }
    }
    for (int i = 0; i < np; i++) {
        ct_period p = ct_period_from_index((ct_ptype)t, s->year0, i);
        fm[i] = ct_period_first_month(p);
        lm[i] = ct_period_last_month(p);
    }
    const double *old = mt->vals[t];
    int rc = 0;
    for (int k = 0; rc == 0 && k < nu; k++) {
        int u = s->level_units[mt->level][k];
        if (!s->dest_len[u]) continue;
        for (int i = 0; i < np; i++) {
            if (fm[i] > s->orig_last[u] || lm[i] < s->orig_first[u]) continue;
            double v = old[ct_series_cell(s, mt, k, i)];
            /* a unit that began within the period and reported nothing for it
             * is not a missing part: its predecessors speak for the period (a
             * 2025 figure of Hậu Giang carried onto the new Cần Thơ) */
            if (isnan(v) && s->orig_first[u] > fm[i] && s->dest_len[u] == 1 && s->dest_unit[s->dest_start[u]] == u)
                continue;
            for (int j = 0; j < s->dest_len[u]; j++) {
                int at = s->dest_start[u] + j;
                size_t c = ct_series_cell(s, mt, s->level_pos[s->dest_unit[at]], i);
                want[c]++;
                if (isnan(v)) continue;
                have[c]++;
                nv[c] = fold(rule, nv[c], v, s->dest_w[at]);
                if (s->dest_apx[at] && rule == MG_SUM) {
                    if (!apx && !(apx = calloc(cells, 1))) { rc = -1; break; }
                    apx[c] = 1;
                }
            }
        }
    }
    for (int k = 0; k < nu; k++) {
        int u = s->level_units[mt->level][k];
        if (!(s->dest_len[u] == 1 && s->dest_unit[s->dest_start[u]] == u)) continue;
        for (int i = 0; i < np; i++) {
            size_t c = ct_series_cell(s, mt, k, i);
            nv[c] = settle(rule, nv[c], have[c], want[c]);
        }
    }
    if (apx) {
        for (size_t c = 0; c < cells; c++)
            if (isnan(nv[c])) apx[c] = 0;
        s->has_approx = 1;
    }
    free(have); free(want); free(fm); free(lm);
    if (rc != 0) { free(nv); free(apx); return rc; }
    if (s->keep_raw) mt->raw[t] = mt->vals[t];
    else free(mt->vals[t]);
    mt->vals[t] = nv;
    mt->approx[t] = apx;
    return 0;
}

static int carry(ct_series *s, ct_diags *d)
{
    int bad = 0;
    for (int m = 0; m < s->n_metrics; m++) {
        ct_metric *mt = &s->metrics[m];
        if (!mt->used || mt->level < 0 || mt->finest < 0 || !crosses(s, mt)) continue;
        int rule = mt->merge;
        if (rule < 0 && mt->type == TYPE_COUNT) rule = MG_SUM;
        if (rule < 0) {
            ct_error_at(d, mt->decl_file, mt->decl_line, 0,
                        "metric '%s' needs an explicit merge (%s): its values cross a change of units in %s onto geography %s",
                        mt->name, mt->type == TYPE_BOOLEAN ? "any or all" : "sum, mean, max or min", s->succ_path,
                        s->geography);
            bad = 1;
            continue;
        }
        for (int t = 0; t <= mt->finest; t++)
            if (mt->vals[t] && carry_type(s, mt, t, rule) != 0) return -1;
    }
    return bad;
}

/* A coarser value that roll-up will make from approximate finer ones is
 * approximate too (marked before the values roll up: only empty cells fill). */
static int rollup_approx(ct_series *s, ct_metric *mt)
{
    for (int t = mt->finest - 1; t >= 0; t--) {
        if (!mt->approx[t + 1] || !mt->vals[t]) continue;
        int np = ct_series_n_periods(s, (ct_ptype)t), npc = ct_series_n_periods(s, (ct_ptype)(t + 1));
        int k = npc / np;
        size_t nu = (size_t)s->level_size[mt->level];
        if (!mt->approx[t] && !(mt->approx[t] = calloc(nu * (size_t)np + 1, 1))) return -1;
        for (size_t u = 0; u < nu; u++)
            for (int i = 0; i < np; i++) {
                size_t c = ct_series_cell(s, mt, (int)u, i);
                if (!isnan(mt->vals[t][c])) continue;
                for (int j = 0; j < k; j++)
                    if (mt->approx[t + 1][ct_series_cell(s, mt, (int)u, i * k + j)]) mt->approx[t][c] = 1;
            }
    }
    return 0;
}

/* Whether unit u is kept on the map as it was reported: it closed before
 * the map's month for its level, without passing into any other unit. */
static int kept_closed(const ct_series *s, int u)
{
    return s->in_geo[u] && s->orig_last[u] < s->level_geo[s->level[u]];
}

/* Where a unit that closed without a successor (a district, on 2025-07-01)
 * reaches on the map when its parent closed too: the unit of its parent's
 * level that its own units passed into (the new province of its communes);
 * the one most of them went to when they went to several, and then
 * approximate. */
static int find_reach(ct_series *s)
{
    int n = s->n_units, nl = s->n_levels;
    int candidates = 0;
    for (int u = 0; u < n && !candidates; u++) candidates = s->in_geo[u] && s->orig_last[u] < s->geo_month;
    if (!candidates) return 0;
    s->reach = malloc((size_t)n * sizeof *s->reach);
    int *votes = calloc((size_t)n, sizeof *votes);
    s->reach_apx = calloc((size_t)n, 1);
    if (!s->reach || !votes || !s->reach_apx) { free(votes); return -1; }
    for (int u = 0; u < n; u++) s->reach[u] = -1;
    for (int c = 0; c < n; c++) {
        if (!s->dest_len[c] || kept_closed(s, c)) continue;
        for (int l = 0; l < nl; l++) {
            int u = s->anc[(size_t)c * (size_t)nl + (size_t)l];
            /* closed before the map's month: kept as reported, or on the last
             * map of its abolished level */
            if (u < 0 || u == c || !s->in_geo[u] || s->orig_last[u] >= s->geo_month) continue;
            int p = s->parent[u];
            if (p < 0 || (s->in_geo[p] && !kept_closed(s, p))) continue; /* its parent is still on the map */
            for (int j = 0; j < s->dest_len[c]; j++) {
                int dv = s->dest_unit[s->dest_start[c] + j];
                int pv = s->anc[(size_t)dv * (size_t)nl + (size_t)s->level[p]];
                if (pv < 0 || pv == p || kept_closed(s, pv) || !s->in_geo[pv]) continue;
                /* a majority vote: the parent most of its units went to */
                if (s->reach[u] == pv) votes[u]++;
                else if (votes[u] == 0) { if (s->reach[u] >= 0) s->reach_apx[u] = 1; s->reach[u] = pv; votes[u] = 1; }
                else { votes[u]--; s->reach_apx[u] = 1; }
            }
        }
    }
    free(votes);
    int any = 0;
    for (int u = 0; u < n && !any; u++) any = s->reach[u] >= 0;
    if (!any) { /* nothing reaches elsewhere: the usual paths */
        free(s->reach);
        free(s->reach_apx);
        s->reach = NULL;
        s->reach_apx = NULL;
    }
    return 0;
}

ct_status ct_geo_apply(ct_series *s, int month, ct_diags *d)
{
    int rc = 0;
    if (month == CT_GEO_DEFAULT) month = data_month(s);
    if (s->n_links == 0 || month == CT_GEO_AS_REPORTED) {
        s->geo_month = CT_GEO_AS_REPORTED;
        strcpy(s->geography, "as-reported");
    } else {
        s->geo_month = month;
        ct_geo_label(month, s->geography);
        if (level_months(s, month) != 0 || find_dests(s) != 0 || derive_whole(s) != 0) return CT_ENOMEM;
        rc = carry(s, d);
        if (rc < 0) return CT_ENOMEM;
        s->in_geo = malloc((size_t)s->n_units);
        if (!s->in_geo) return CT_ENOMEM;
        for (int u = 0; u < s->n_units; u++) {
            /* its own destination: valid then, or ended without successor */
            s->in_geo[u] = (unsigned char)(s->dest_len[u] == 1 && s->dest_unit[s->dest_start[u]] == u);
            /* valid since ever (its predecessors' data are carried onto it),
             * and until it closed: what later units reported is not carried
             * back, so a unit that closed within a year has part of it */
            /* a unit outside it keeps its own validity: only a closed region's
             * figures about itself are read from it (ct_accum_contributes) */
            s->valid_first[u] = s->in_geo[u] ? INT_MIN : s->orig_first[u];
            s->valid_last[u] = s->orig_last[u];
        }
        if (find_reach(s) != 0) return CT_ENOMEM;
    }
    /* without successions, loading rolled the values up already */
    for (int m = 0; s->n_links && m < s->n_metrics; m++) {
        if (!s->metrics[m].used) continue;
        if (rollup_approx(s, &s->metrics[m]) != 0) return CT_ENOMEM;
        ct_series_rollup(s, m);
    }
    return rc ? CT_EINPUT : CT_OK;
}

ct_status ct_geo_as_reported(const ct_series *s, ct_series *view)
{
    memcpy(view, s, sizeof *view);
    view->metrics = malloc((size_t)(s->n_metrics ? s->n_metrics : 1) * sizeof *view->metrics);
    view->valid_first = malloc((size_t)(s->n_units ? s->n_units : 1) * sizeof(int));
    view->valid_last = malloc((size_t)(s->n_units ? s->n_units : 1) * sizeof(int));
    if (!view->metrics || !view->valid_first || !view->valid_last) {
        free(view->metrics); free(view->valid_first); free(view->valid_last);
        memset(view, 0, sizeof *view);
        return CT_ENOMEM;
    }
    if (s->n_metrics) memcpy(view->metrics, s->metrics, (size_t)s->n_metrics * sizeof *view->metrics);
    if (s->n_units) {
        memcpy(view->valid_first, s->orig_first, (size_t)s->n_units * sizeof(int));
        memcpy(view->valid_last, s->orig_last, (size_t)s->n_units * sizeof(int));
    }
    for (int m = 0; m < s->n_metrics; m++) {
        ct_metric *mt = &view->metrics[m];
        int carried = 0;
        for (int t = 0; t < CT_PT_COUNT; t++) {
            mt->approx[t] = NULL;
            if (mt->raw[t]) { mt->vals[t] = mt->raw[t]; carried = 1; }
            mt->raw[t] = NULL;
        }
        /* the values as reported, rolled up as loading would have */
        if (carried && mt->used) ct_series_rollup(view, m);
    }
    view->geo_month = CT_GEO_AS_REPORTED;
    strcpy(view->geography, "as-reported");
    view->level_geo = NULL;
    view->in_geo = NULL;
    view->dest_start = view->dest_unit = view->dest_len = NULL;
    view->dest_w = NULL;
    view->dest_apx = NULL;
    view->reach = NULL;
    view->reach_apx = NULL;
    view->has_approx = 0;
    view->keep_raw = 0;
    return CT_OK;
}

void ct_geo_view_free(ct_series *view)
{
    free(view->metrics);
    free(view->valid_first);
    free(view->valid_last);
    memset(view, 0, sizeof *view);
}

void ct_geo_territory(const ct_series *s, int top, unsigned char *mark)
{
    mark[top] = 1;
    for (int u = 0; u < s->n_units; u++) {
        if (u == top || !ct_series_in_subtree(s, u, top)) continue;
        if (ct_geo_in(s, u)) { mark[u] = 1; continue; }
        if (!s->dest_len) continue;
        /* what the units below top became (not what top became: a whole province) */
        for (int j = 0; j < s->dest_len[u]; j++) mark[s->dest_unit[s->dest_start[u] + j]] = 1;
    }
}

int ct_geo_approx(const ct_series *s, int m, int u, ct_period p)
{
    const ct_metric *mt = &s->metrics[m];
    const unsigned char *a = mt->approx[p.type];
    if (!a) return 0;
    int np = ct_series_n_periods(s, (ct_ptype)p.type);
    int i = ct_period_index(p, s->year0);
    if (i < 0 || i >= np) return 0;
    return a[ct_series_cell(s, mt, s->level_pos[u], i)];
}
