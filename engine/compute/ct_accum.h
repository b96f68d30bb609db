/* How an indicator's values are made: each base unit's contribution at a
 * period (units counted, metric values summed) goes into slots of
 * accumulators, slots are added up the hierarchy, and a slot becomes a
 * cell (ratios divide last). */
#ifndef CT_ACCUM_H
#define CT_ACCUM_H

#include "../load/ct_plan.h"
#include "../model/ct_series.h"

/* What a row of an indicator holds (flags: which parts are present). */
enum {
    CT_ROW_VALUE = 1,   /* value is present */
    CT_ROW_NUM = 2,     /* numerator is present */
    CT_ROW_DEN = 4,     /* denominator is present */
    CT_ROW_COUNTS = 8,  /* reported and expected are present (unit-counting kinds) */
    CT_ROW_COVER = 16,  /* reported/expected give the coverage (every kind but lua:
                           for metric kinds, units with a value / units valid) */
    CT_ROW_APPROX = 32  /* rests on a part link without a weight (see ct_geo.h) */
};

typedef struct {
    double value, num, den;
    int reported, expected;
    unsigned flags;
} ct_cell;

/* Slots 0..n-1 of num, den (sums), rep, exp, cnt (counts) and apx (some
 * value rests on a part link without a weight). */
typedef struct {
    double *num, *den;
    int *rep, *exp, *cnt;
    unsigned char *apx;
} ct_accum;

/* Allocates n zeroed slots; 0, or -1 when out of memory (free it anyway). */
int ct_accum_alloc(ct_accum *a, int n);
void ct_accum_free(ct_accum *a);
void ct_accum_clear(ct_accum *a, int n);

/* Adds slot `from` of b into slot `to` of a. */
static inline void ct_accum_add(ct_accum *a, int to, const ct_accum *b, int from)
{
    a->num[to] += b->num[from];
    a->den[to] += b->den[from];
    a->rep[to] += b->rep[from];
    a->exp[to] += b->exp[from];
    a->cnt[to] += b->cnt[from];
    a->apx[to] |= b->apx[from];
}

/* Whether base unit u counts towards the plan's figures: it lies in the
 * plan's region and, outside the geography, only a closed region's own
 * figures count. */
int ct_accum_contributes(const ct_plan *plan, const ct_series *s, int u);

/* Adds the contribution of base unit u at period p into slot i of a. */
void ct_accum_contribute(const ct_indicator *ind, const ct_series *s, int u, ct_period p, ct_accum *a, int i);

/* The cell that slot i of a holds. */
ct_cell ct_accum_cell(const ct_indicator *ind, const ct_accum *a, int i);

/* Fills a[k] (slots by unit index) for every unit at period p[k], k < nb:
 * base contributions (a unit's nb periods read together), then sums up
 * the hierarchy and, for a closed region, into its unit. The contributing
 * base units are list[0 .. n_list) in file order, or when list is NULL
 * found here. */
void ct_accum_block(const ct_plan *plan, const ct_indicator *ind, const ct_series *s,
                    const ct_period *p, int nb, ct_accum *a, const int *list, int n_list);

/* Adds, for the units of `level` of an abolished level, their counts v[u]
 * into the units they reach on the map beyond their own ancestors (a
 * district's new province; ct_series.reach). */
void ct_accum_reach_counts(const ct_series *s, int level, int *v);

/* Condition c for unit u at period p: 1, 0, or -1 when data are missing. */
int ct_accum_eval(const ct_series *s, const ct_cond *c, int unit, ct_period p);

#endif
