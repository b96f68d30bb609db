/* Indicator values for every unit of a plan's region and every period:
 * units are counted or metrics summed at the indicator's base level, then
 * added up the hierarchy; ratios divide last. */
#ifndef CT_COMPUTE_H
#define CT_COMPUTE_H

#include "../core/ct_error.h"
#include "../core/ct_lang.h"
#include "../load/ct_plan.h"
#include "../model/ct_series.h"
#include "ct_accum.h"



typedef struct {
    const ct_plan *plan;
    const ct_indicator *ind;
    int unit;
    ct_period period;
    ct_cell cell;
} ct_row;

/* Receives each row; a non-zero return stops the computation. */
typedef int (*ct_row_fn)(const ct_row *row, void *ctx);

typedef struct {
    int level;        /* only units of this level; -1: all */
    int unit;         /* only this unit; -1: all */
    int finest;       /* finest period type to print; -1: as the data allow */
} ct_compute_filter;

/* One indicator's values for the units and periods it is printed for:
 * cells[i * n_periods + j] is unit units[i] at periods[j]. */
typedef struct {
    int n_units, n_periods;
    int *units;
    ct_period *periods;
    ct_cell *cells;
} ct_grid;

/* Computes an indicator's grid (owned by the caller: ct_grid_free). */
ct_status ct_compute_grid(const ct_plan *plan, const ct_indicator *ind, const ct_series *s,
                          const ct_compute_filter *filter, ct_grid *grid);
void ct_grid_free(ct_grid *grid);

/* Computes one indicator of a bound plan, passing its rows to fn in order
 * (from the calling thread; a second thread may compute half of a large
 * grid). Holds cells only for the printed units above the indicator's base
 * level; a base unit's cells are made as its rows are passed. Safe to call
 * from several threads at once for indicators not of kind lua. */
ct_status ct_compute_indicator(const ct_plan *plan, const ct_indicator *ind, const ct_series *s,
                               const ct_compute_filter *filter, ct_row_fn fn, void *ctx);

/* Computes every indicator of a bound plan and passes the rows to fn in
 * order: indicator, unit (file order, root first), period (each year, then
 * its finer periods), as ct_compute_indicator does, with its scratch space
 * kept from one indicator to the next. Returns CT_OK, CT_ENOMEM, or CT_EIO
 * if fn stopped. */
ct_status ct_compute_plan(const ct_plan *plan, const ct_series *s,
                          const ct_compute_filter *filter, ct_row_fn fn, void *ctx);

/* The value of one indicator for one unit and period (for projections,
 * assessment and rules). */
ct_cell ct_compute_cell(const ct_plan *plan, const ct_indicator *ind,
                        const ct_series *s, int unit, ct_period p);

/* Counts over the base units of a unit-counting indicator at period p, for
 * every unit at once (arrays of s->n_units ints, overwritten): units valid
 * at p whose `among` cannot be evaluated for lack of data (among_unknown),
 * and, for a transition rate, units counted at p that meet `from`
 * (from_in) or whose `from` is known (from_known). Any array may be NULL.
 * Returns CT_OK or CT_ENOMEM. */
ct_status ct_compute_base_counts(const ct_plan *plan, const ct_indicator *ind, const ct_series *s,
                                 ct_period p, int *among_unknown, int *from_in, int *from_known);

/* What a reader of a row for `unit` must know about its units (empty when
 * nothing): a level abolished before the geography, assessed on the last
 * units it had; or, as reported, where the units of the series change. */
void ct_compute_geo_note(const ct_plan *plan, const ct_indicator *ind, const ct_series *s, int unit,
                         ct_lang lang, char *buf, size_t size);

/* Sets mark[u] (n_units bytes, cleared first) for every unit for which some
 * value of the indicator rests on a part link without a weight (only after
 * a geography carried such values). Returns CT_OK or CT_ENOMEM. */
ct_status ct_compute_approximate(const ct_plan *plan, const ct_indicator *ind, const ct_series *s,
                                 unsigned char *mark);

/* Whether units of `level` lie above (or at) the indicator's base level, so
 * that the indicator has a value for them. */
int ct_compute_level_applies(const ct_series *s, const ct_indicator *ind, int level);

#endif
