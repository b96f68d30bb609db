#include "ct_compute.h"
#include "ct_accum.h"
#include "ct_bind.h"
#include "../load/ct_kind.h"
#include "../model/ct_geo.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Fills a for every unit at period p. */
static void compute_period(const ct_plan *plan, const ct_indicator *ind, const ct_series *s,
                           ct_period p, ct_accum *a)
{
    ct_accum_block(plan, ind, s, &p, 1, a, NULL, 0);
}

void ct_compute_geo_note(const ct_plan *plan, const ct_indicator *ind, const ct_series *s, int unit,
                         ct_lang lang, char *buf, size_t size)
{
    buf[0] = '\0';
    int l = s->level[unit];
    if (plan->territory && unit == plan->region_unit && s->orig_first[unit] > s->geo_month) {
        /* a unit of a later map: it does not exist yet on this one */
        char first[CT_PERIOD_BUF];
        ct_geo_label(s->orig_first[unit] + 5 - s->orig_first[unit] % 6, first);
        snprintf(buf, size, ct_msg(lang, CT_M_GEO_NOT_YET),
                 s->name[unit], s->geography, first);
    } else if (plan->territory && unit == plan->region_unit && ind->base_level == l) {
        char last[CT_PERIOD_BUF];
        ct_geo_label(s->orig_last[unit], last);
        snprintf(buf, size, ct_msg(lang, CT_M_GEO_OWN_FIGURES),
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
            snprintf(buf, size, ct_msg(lang, CT_M_GEO_LAST_UNITS),
                     s->name[unit], s->geography, n, ct_lang_level(lang, s->level_name[ind->base_level]));
        else
            snprintf(buf, size, ct_msg(lang, CT_M_GEO_FOLLOWED),
                     s->name[unit], s->geography, n, ct_lang_level(lang, s->level_name[ind->base_level]));
    } else if (s->level_geo && ind->base_level >= 0 && s->level_geo[ind->base_level] != s->geo_month &&
               s->level_geo[l] == s->geo_month) {
        char last[CT_PERIOD_BUF];
        ct_geo_label(s->level_geo[ind->base_level], last);
        snprintf(buf, size, ct_msg(lang, CT_M_GEO_LEVEL_GONE),
                 ct_lang_level(lang, s->level_name[ind->base_level]), s->geography, last);
    } else if (s->level_geo && s->level_geo[l] != s->geo_month) {
        char last[CT_PERIOD_BUF];
        ct_geo_label(s->level_geo[l], last);
        snprintf(buf, size, ct_msg(lang, CT_M_GEO_OWN_LEVEL_GONE),
                 ct_lang_level(lang, s->level_name[l]), s->geography, last);
    } else if (s->in_geo && s->in_geo[unit] && s->orig_last[unit] < s->level_geo[l]) {
        char last[CT_PERIOD_BUF];
        ct_geo_label(s->orig_last[unit], last);
        snprintf(buf, size, ct_msg(lang, CT_M_GEO_ENDED), s->name[unit], last);
    } else if (ind->break_month >= 0) {
        int m = ind->break_month;
        snprintf(buf, size, ct_msg(lang, CT_M_GEO_BREAK),
                 ct_lang_level(lang, s->level_name[ind->base_level]), m / 12, m % 12 + 1);
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
        if (!ct_accum_contributes(plan, s, u) || !ct_series_unit_valid(s, u, p)) continue;
        int among = ind->among.cond ? ct_accum_eval(s, ind->among.cond, u, p) : 1;
        if (among < 0 && among_unknown) among_unknown[u] = 1;
        if (among != 1 || !ind->from.cond) continue;
        int was = ct_accum_eval(s, ind->from.cond, u, p);
        if (was >= 0 && from_known) from_known[u] = 1;
        if (was == 1 && from_in) from_in[u] = 1;
    }
    sum_up(s, among_unknown);
    sum_up(s, from_in);
    sum_up(s, from_known);
    ct_accum_reach_counts(s, ind->of_level, among_unknown);
    ct_accum_reach_counts(s, ind->of_level, from_in);
    ct_accum_reach_counts(s, ind->of_level, from_known);
    if (plan->territory) {
        /* a closed region: what its units became lies under other parents */
        int r = plan->region_unit;
        for (int k = 0; k < s->level_size[ind->of_level]; k++) {
            int u = base[k];
            if (!plan->territory[u] || u == r || ct_series_in_subtree(s, u, r)) continue;
            if (among_unknown) among_unknown[r] += among_unknown[u];
            if (from_in) from_in[r] += from_in[u];
            if (from_known) from_known[r] += from_known[u];
        }
    }
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
    if (ct_kind_of(ind->kind)->needs_grid) return custom_cell(ind, unit, p);
    ct_accum a;
    ct_cell c = none;
    if (ct_accum_alloc(&a, s->n_units) == 0) {
        compute_period(plan, ind, s, p, &a);
        c = ct_accum_cell(ind, &a, unit);
    }
    ct_accum_free(&a);
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
            if (s->reach && s->reach[b] >= 0) {
                /* a closed unit under a closed parent: shown under the unit it
                 * reaches on the map (Hậu Giang's districts under the new
                 * Cần Thơ), not under a province that is no longer there */
                live[b] = 1;
                for (int v = s->reach[b]; v >= 0; v = s->parent[v]) live[v] = 1;
                continue;
            }
            const int *a = s->anc + (size_t)b * (size_t)s->n_levels;
            for (int l = 0; l < s->n_levels; l++)
                if (a[l] >= 0) live[a[l]] = 1;
        }
    }
    int n = 0;
    for (int k = 0; k < s->n_units; k++) {
        int u = s->implicit_root ? (k == 0 ? s->root : k - 1) : k;
        if (!ct_bind_in_plan(plan, s, u)) continue;
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
    ct_accum a[GRID_BLOCK];
    int n_acc = ct_kind_of(ind->kind)->needs_grid ? 1 : GRID_BLOCK, acc_ok = 1;
    memset(a, 0, sizeof a);
    for (int k = 0; k < n_acc; k++)
        if (ct_accum_alloc(&a[k], s->n_units) != 0) acc_ok = 0;
    ct_status st = g->periods && g->units && acc_ok ? CT_OK : CT_ENOMEM;
    if (st == CT_OK) {
        g->n_periods = list_periods(plan, finest, g->periods);
        g->n_units = ind->base_level >= 0 ? list_units(plan, ind, s, f, g->units) : 0;
        if (g->n_units < 0) { g->n_units = 0; st = CT_ENOMEM; }
        g->cells = malloc(((size_t)g->n_units * (size_t)np + 1) * sizeof *g->cells);
        if (!g->cells) st = CT_ENOMEM;
    }
    if (st == CT_OK && ct_kind_of(ind->kind)->needs_grid) {
        for (int j = 0; j < g->n_periods; j++) custom_column(ind, g, j, a[0].num);
    } else if (st == CT_OK) {
        for (int j0 = 0; j0 < g->n_periods; j0 += GRID_BLOCK) {
            int nb = g->n_periods - j0 < GRID_BLOCK ? g->n_periods - j0 : GRID_BLOCK;
            ct_accum_block(plan, ind, s, g->periods + j0, nb, a, NULL, 0);
            for (int i = 0; i < g->n_units; i++) {
                ct_cell *row = g->cells + (size_t)i * (size_t)np + (size_t)j0;
                for (int k = 0; k < nb; k++) row[k] = ct_accum_cell(ind, &a[k], g->units[i]);
            }
        }
    }
    for (int k = 0; k < n_acc; k++) ct_accum_free(&a[k]);
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

/* ---- streaming an indicator's rows --------------------------------------------- */

/* A base unit's own counters (0 or 1 each) for the unit-counting kinds, one
 * byte per base unit and period. */
enum { BIT_EXP = 1, BIT_REP = 2, BIT_NUM = 4, BIT_DEN = 8, BIT_APX = 16 };

static int counting_kind(const ct_indicator *ind) { return ct_kind_of(ind->kind)->counts_units; }

/* One thread's accumulators: GRID_BLOCK of them over the slots (the units
 * above the base level that sums reach), GRID_BLOCK slots for a base
 * unit's contributions, and for a closed region GRID_BLOCK over every unit. */
typedef struct {
    ct_accum up[GRID_BLOCK];
    int up_cap;
    ct_accum one;
    ct_accum full[GRID_BLOCK];
    int has_full;
} thread_acc;

/* Scratch space of a computation, kept from one indicator to the next. A
 * base-level unit's cell is its own contribution: it is made as its row is
 * written (from one byte per period for the unit-counting kinds), never
 * held for the whole indicator; only the units above the base level (a few
 * hundred) have their cells held. */
typedef struct {
    thread_acc acc[2];
    ct_accum cell;             /* one slot: a base unit's cell */
    int *units;                /* the printed units (s->n_units) */
    int *contrib;              /* the base units that contribute, file order */
    int *slot;                 /* per unit: its slot, or -1 */
    int *seq;                  /* contributing base units and slotted units, deepest first */
    ct_period *periods;
    size_t periods_cap;
    ct_cell *cells;            /* the printed units above the base level x periods */
    size_t cells_cap;
    unsigned char *bits;       /* base unit (level_pos) x period: its counters */
    size_t bits_cap;
} work;

static void thread_acc_free(thread_acc *t)
{
    for (int k = 0; k < GRID_BLOCK; k++) {
        ct_accum_free(&t->up[k]);
        ct_accum_free(&t->full[k]);
    }
    ct_accum_free(&t->one);
    memset(t, 0, sizeof *t);
}

static void work_free(work *w)
{
    for (int t = 0; t < 2; t++) thread_acc_free(&w->acc[t]);
    ct_accum_free(&w->cell);
    free(w->units);
    free(w->contrib);
    free(w->slot);
    free(w->seq);
    free(w->periods);
    free(w->cells);
    free(w->bits);
    memset(w, 0, sizeof *w);
}

static ct_status work_init(work *w, const ct_series *s)
{
    memset(w, 0, sizeof *w);
    size_t n = (size_t)(s->n_units ? s->n_units : 1);
    int ok = ct_accum_alloc(&w->cell, 1) == 0;
    for (int t = 0; t < 2; t++)
        if (ct_accum_alloc(&w->acc[t].one, GRID_BLOCK) != 0) ok = 0;
    w->units = malloc(n * sizeof *w->units);
    w->contrib = malloc(n * sizeof *w->contrib);
    w->slot = malloc(n * sizeof *w->slot);
    w->seq = malloc(n * sizeof *w->seq);
    if (ok && w->units && w->contrib && w->slot && w->seq) return CT_OK;
    work_free(w);
    return CT_ENOMEM;
}

/* Gives both threads accumulators over n_slots slots, and over every unit
 * when full. Returns 0 or -1. */
static int work_accumulators(work *w, const ct_series *s, int n_slots, int full)
{
    for (int t = 0; t < 2; t++) {
        thread_acc *a = &w->acc[t];
        if (n_slots > a->up_cap) {
            int cap = n_slots > 2 * a->up_cap ? n_slots : 2 * a->up_cap;
            for (int k = 0; k < GRID_BLOCK; k++) {
                ct_accum_free(&a->up[k]);
                if (ct_accum_alloc(&a->up[k], cap) != 0) {
                    a->up_cap = 0;
                    return -1;
                }
            }
            a->up_cap = cap;
        }
        if (full && !a->has_full) {
            for (int k = 0; k < GRID_BLOCK; k++)
                if (ct_accum_alloc(&a->full[k], s->n_units) != 0) return -1;
            a->has_full = 1;
        }
    }
    return 0;
}

/* Makes p hold at least n elements of size sz (its contents are not kept). */
static int reserve(void **p, size_t *cap, size_t n, size_t sz)
{
    if (n <= *cap) return 0;
    void *q = malloc(n * sz);
    if (!q) return -1;
    free(*p);
    *p = q;
    *cap = n;
    return 0;
}

static unsigned char encode_bits(const ct_accum *a, int i)
{
    return (unsigned char)((a->exp[i] ? BIT_EXP : 0) | (a->rep[i] ? BIT_REP : 0) | (a->num[i] != 0 ? BIT_NUM : 0) |
                           (a->den[i] != 0 ? BIT_DEN : 0) | (a->apx[i] ? BIT_APX : 0));
}

static void clear_cell(ct_accum *o)
{
    o->num[0] = o->den[0] = 0;
    o->rep[0] = o->exp[0] = o->cnt[0] = 0;
    o->apx[0] = 0;
}

/* The cell of a base-level unit of a unit-counting kind whose counters
 * make the byte b. */
static ct_cell bits_cell(const ct_indicator *ind, work *w, unsigned b)
{
    ct_accum *o = &w->cell;
    clear_cell(o);
    o->exp[0] = (b & BIT_EXP) != 0;
    o->rep[0] = (b & BIT_REP) != 0;
    o->num[0] = (b & BIT_NUM) ? 1 : 0;
    o->den[0] = (b & BIT_DEN) ? 1 : 0;
    o->apx[0] = (b & BIT_APX) != 0;
    return ct_accum_cell(ind, o, 0);
}

/* The cell of a base-level unit u at p of a metric kind: its contribution
 * computed again (as the grid adds it: from zero) when it contributes
 * (ct_accum_contributes). */
static ct_cell own_cell(const ct_indicator *ind, const ct_series *s, work *w, int u, int contributes, ct_period p)
{
    ct_accum *o = &w->cell;
    clear_cell(o);
    if (contributes) ct_accum_contribute(ind, s, u, p, o, 0);
    return ct_accum_cell(ind, o, 0);
}

/* An indicator's grid, blocks of periods at a time: first, first + step, ...
 * Each block's cells of the printed units above the base level go to
 * w->cells, its base units' counters to w->bits. */
typedef struct {
    const ct_plan *plan;
    const ct_indicator *ind;
    const ct_series *s;
    work *w;
    thread_acc *acc;
    int first, step;
    int np, n, n_contrib, n_seq, n_slots, counting;
} blocks;

/* base contributions (units x periods) from which a second thread helps */
#define PARALLEL_MIN ((size_t)1 << 16)

/* Whether blocks go over every unit rather than through the slots: a closed
 * region adds the units its units became, and units of an abolished level
 * add into the new units they reach (ct_series.reach), both off the tree. */
static int full_path(const ct_plan *plan, const ct_series *s)
{
    return plan->territory || s->reach;
}

static int is_grid_unit(const ct_plan *plan, const ct_series *s, int bl, int u)
{
    return s->level[u] != bl || (plan->territory && u == plan->region_unit);
}

/* The cells of the grid units for periods j0 .. j0 + nb - 1 from a[k]
 * (slot of unit u: slot[u], or u itself when slot is NULL). */
static void grid_cells(const blocks *b, int j0, int nb, const ct_accum *a, const int *slot)
{
    work *w = b->w;
    size_t pn = (size_t)b->np;
    for (int i = 0, g = 0; i < b->n; i++) {
        int u = w->units[i];
        if (!is_grid_unit(b->plan, b->s, b->ind->base_level, u)) continue;
        ct_cell *row = w->cells + (size_t)g++ * pn + (size_t)j0;
        int at = slot ? slot[u] : u;
        for (int k = 0; k < nb; k++) row[k] = ct_accum_cell(b->ind, &a[k], at);
    }
}

/* A block through the slots: the base units' contributions go to their
 * parents' slots, and slots to their parents', deepest first -- the order
 * in which the whole hierarchy would add them, so the sums are the same. */
static void slot_block(const blocks *b, int j0, int nb)
{
    const ct_series *s = b->s;
    const ct_indicator *ind = b->ind;
    work *w = b->w;
    ct_accum *up = b->acc->up, *one = &b->acc->one;
    const ct_period *p = w->periods + j0;
    int bl = ind->base_level;
    size_t pn = (size_t)b->np;
    for (int k = 0; k < nb; k++) ct_accum_clear(&up[k], b->n_slots);
    for (int e = 0; e < b->n_seq; e++) {
        int u = w->seq[e], par = s->parent[u];
        int to = par >= 0 ? w->slot[par] : -1;
        if (s->level[u] == bl) {
            ct_accum_clear(one, nb);
            for (int k = 0; k < nb; k++) ct_accum_contribute(ind, s, u, p[k], one, k);
            if (b->counting) {
                unsigned char *bits = w->bits + (size_t)s->level_pos[u] * pn + (size_t)j0;
                for (int k = 0; k < nb; k++) bits[k] = encode_bits(one, k);
            }
            if (to >= 0)
                for (int k = 0; k < nb; k++) ct_accum_add(&up[k], to, one, k);
        } else if (to >= 0) {
            int from = w->slot[u];
            for (int k = 0; k < nb; k++) ct_accum_add(&up[k], to, &up[k], from);
        }
    }
    grid_cells(b, j0, nb, up, w->slot);
}

/* A block over every unit (a closed region adds the units its units
 * became, wherever they lie). */
static void full_block(const blocks *b, int j0, int nb)
{
    const ct_series *s = b->s;
    work *w = b->w;
    ct_accum *a = b->acc->full;
    int bl = b->ind->base_level;
    size_t pn = (size_t)b->np;
    ct_accum_block(b->plan, b->ind, s, w->periods + j0, nb, a, w->contrib, b->n_contrib);
    if (b->counting) {
        for (int i = 0; i < b->n; i++) {
            int u = w->units[i];
            if (is_grid_unit(b->plan, s, bl, u)) continue;
            unsigned char *bits = w->bits + (size_t)s->level_pos[u] * pn + (size_t)j0;
            for (int k = 0; k < nb; k++) bits[k] = encode_bits(&a[k], u);
        }
    }
    grid_cells(b, j0, nb, a, NULL);
}

static void run_blocks(const blocks *b)
{
    for (int j0 = b->first * GRID_BLOCK; j0 < b->np; j0 += b->step * GRID_BLOCK) {
        int nb = b->np - j0 < GRID_BLOCK ? b->np - j0 : GRID_BLOCK;
        if (full_path(b->plan, b->s)) full_block(b, j0, nb);
        else slot_block(b, j0, nb);
    }
}

static void *blocks_thread(void *arg)
{
    run_blocks(arg);
    return NULL;
}

/* Gives slots to the printed units above the base level and to every
 * ancestor of a contributing base unit; lists those units and the
 * contributing base units deepest first (w->seq). Returns the slot count. */
static int make_slots(const ct_plan *plan, const ct_indicator *ind, const ct_series *s, work *w,
                      int n, int n_contrib, int *n_seq)
{
    int bl = ind->base_level, n_slots = 0;
    for (int u = 0; u < s->n_units; u++) w->slot[u] = -1;
    /* every ancestor first (a walk stops where another walk went up
     * before it), then the printed units no base unit lies under */
    for (int i = 0; i < n_contrib; i++)
        for (int v = s->parent[w->contrib[i]]; v >= 0 && w->slot[v] < 0; v = s->parent[v]) w->slot[v] = n_slots++;
    for (int i = 0; i < n; i++)
        if (is_grid_unit(plan, s, bl, w->units[i]) && w->slot[w->units[i]] < 0) w->slot[w->units[i]] = n_slots++;
    /* a contributing base unit: marked -2 while the sequence is made */
    for (int i = 0; i < n_contrib; i++) w->slot[w->contrib[i]] = -2;
    int m = 0;
    for (int k = s->n_units - 1; k >= 0; k--) {
        int u = s->order[k];
        if (w->slot[u] == -2 || (w->slot[u] >= 0 && s->level[u] != bl)) w->seq[m++] = u;
    }
    for (int i = 0; i < n_contrib; i++) w->slot[w->contrib[i]] = -1;
    *n_seq = m;
    return n_slots;
}

static ct_status stream_indicator(const ct_plan *plan, const ct_indicator *ind, const ct_series *s,
                                  const ct_compute_filter *f, work *w, ct_row_fn fn, void *ctx)
{
    int finest = ind->finest_out;
    if (f && f->finest >= 0 && f->finest < finest) finest = f->finest;
    int np = list_periods(plan, finest, NULL);
    if (reserve((void **)&w->periods, &w->periods_cap, (size_t)np + 1, sizeof *w->periods) != 0) return CT_ENOMEM;
    list_periods(plan, finest, w->periods);
    int n = ind->base_level >= 0 ? list_units(plan, ind, s, f, w->units) : 0;
    if (n < 0) return CT_ENOMEM;
    if (n == 0) return CT_OK;
    int bl = ind->base_level, n_grid = 0;
    for (int i = 0; i < n; i++) n_grid += is_grid_unit(plan, s, bl, w->units[i]);
    int counting = counting_kind(ind), n_contrib = 0;
    for (int k = 0; k < s->level_size[bl]; k++)
        if (ct_accum_contributes(plan, s, s->level_units[bl][k])) w->contrib[n_contrib++] = s->level_units[bl][k];
    int n_seq = 0, n_slots = full_path(plan, s) ? 0 : make_slots(plan, ind, s, w, n, n_contrib, &n_seq);
    size_t pn = (size_t)np, n_bits = (size_t)s->level_size[bl] * pn;
    if (reserve((void **)&w->cells, &w->cells_cap, (size_t)n_grid * pn + 1, sizeof *w->cells) != 0 ||
        (counting && reserve((void **)&w->bits, &w->bits_cap, n_bits + 1, 1) != 0) ||
        work_accumulators(w, s, n_slots, full_path(plan, s)) != 0)
        return CT_ENOMEM;
    if (counting) memset(w->bits, 0, n_bits);
    blocks job[2];
    for (int t = 0; t < 2; t++)
        job[t] = (blocks){plan, ind, s, w, &w->acc[t], t, 2, np, n, n_contrib, n_seq, n_slots, counting};
    /* a second thread takes every other block of periods when there is
     * enough to do; either way each block is computed alone, in the same way */
    pthread_t helper;
    int threaded = np > GRID_BLOCK && (size_t)n_contrib * pn >= PARALLEL_MIN &&
                   pthread_create(&helper, NULL, blocks_thread, &job[1]) == 0;
    if (!threaded) job[0].step = 1;
    run_blocks(&job[0]);
    if (threaded) pthread_join(helper, NULL);
    /* a counting kind's base cell depends on its counters alone: one cell
     * for each of the 32 bytes they can make */
    ct_cell by_bits[32];
    for (unsigned b = 0; counting && b < 32; b++) by_bits[b] = bits_cell(ind, w, b);
    for (int i = 0, g = 0; i < n; i++) {
        int u = w->units[i];
        ct_row row = {plan, ind, u, {0, 0, 0}, {NAN, 0, 0, 0, 0, 0}};
        if (is_grid_unit(plan, s, bl, u)) {
            const ct_cell *cells = w->cells + (size_t)g++ * pn;
            for (int j = 0; j < np; j++) {
                row.period = w->periods[j];
                row.cell = cells[j];
                if (fn(&row, ctx) != 0) return CT_EIO;
            }
        } else if (counting) {
            const unsigned char *bits = w->bits + (size_t)s->level_pos[u] * pn;
            for (int j = 0; j < np; j++) {
                row.period = w->periods[j];
                row.cell = by_bits[bits[j]];
                if (fn(&row, ctx) != 0) return CT_EIO;
            }
        } else {
            int contributes = ct_accum_contributes(plan, s, u);
            for (int j = 0; j < np; j++) {
                row.period = w->periods[j];
                row.cell = own_cell(ind, s, w, u, contributes, row.period);
                if (fn(&row, ctx) != 0) return CT_EIO;
            }
        }
    }
    return CT_OK;
}

/* A kind: lua indicator: its grid (the script is called for every unit of a period at once). */
static ct_status stream_grid(const ct_plan *plan, const ct_indicator *ind, const ct_series *s,
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

ct_status ct_compute_indicator(const ct_plan *plan, const ct_indicator *ind, const ct_series *s,
                               const ct_compute_filter *f, ct_row_fn fn, void *ctx)
{
    if (ct_kind_of(ind->kind)->needs_grid) return stream_grid(plan, ind, s, f, fn, ctx);
    work w;
    ct_status st = work_init(&w, s);
    if (st == CT_OK) st = stream_indicator(plan, ind, s, f, &w, fn, ctx);
    work_free(&w);
    return st;
}

ct_status ct_compute_plan(const ct_plan *plan, const ct_series *s,
                          const ct_compute_filter *filter, ct_row_fn fn, void *ctx)
{
    work w;
    ct_status st = work_init(&w, s);
    for (size_t i = 0; st == CT_OK && i < plan->n_indicators; i++) {
        const ct_indicator *ind = &plan->indicators[i];
        st = ct_kind_of(ind->kind)->needs_grid ? stream_grid(plan, ind, s, filter, fn, ctx)
                                      : stream_indicator(plan, ind, s, filter, &w, fn, ctx);
    }
    work_free(&w);
    return st;
}
