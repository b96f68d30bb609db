/* The data of a plan's charts (series, assessments, projections, bands of
 * the units charted) and the list of charts they make. */
#ifndef CT_PLOT_DATA_H
#define CT_PLOT_DATA_H

#include <stddef.h>

#include "../core/ct_error.h"
#include "../project/ct_assess.h"
#include "ct_plot_buf.h"

/* ---- the data of a plan's charts ------------------------------------------------ */

enum { CT_PLOT_MAX_YEARS = 64 };

/* One indicator for one unit: everything its trajectory chart shows. */
typedef struct {
    const ct_plan *plan;
    const ct_indicator *ind;
    int ind_index, unit;
    int n;                                   /* yearly values with data */
    int year[CT_PLOT_MAX_YEARS];
    double value[CT_PLOT_MAX_YEARS];
    int reported[CT_PLOT_MAX_YEARS], expected[CT_PLOT_MAX_YEARS]; /* -1: none */
    double num[CT_PLOT_MAX_YEARS], den[CT_PLOT_MAX_YEARS];  /* the value's numerator and denominator; NaN: none */
    int year_under_way;                      /* a year of data not complete as of the data's last month
                                              * (its value so far, not a year's); 0: none */
    ct_assessment *assess;                   /* one per target, in the plan's order */
    int n_assess;
    int final;                               /* index in assess of the last target; -1 */
    int n_proj;                              /* trend projection, after the latest year */
    int proj_year[CT_PLOT_MAX_YEARS];
    double proj[CT_PLOT_MAX_YEARS], proj_lo[CT_PLOT_MAX_YEARS], proj_hi[CT_PLOT_MAX_YEARS];
    int n_band;                              /* transition scenario band */
    int band_year[CT_PLOT_MAX_YEARS];
    double band_lo[CT_PLOT_MAX_YEARS], band_hi[CT_PLOT_MAX_YEARS];
} ct_plot_series;

/* A plan's chart data for the units charted. */
typedef struct {
    const ct_plan *plan;
    const ct_series *s;
    int n_ind;
    ct_plot_series **cell;   /* n_ind x s->n_units; NULL: not charted */
    int *units;              /* charted units, in file order (parents first) */
    int n_units;
    unsigned char *charted;  /* per unit: 1 when charted */
    int root;                /* the unit the charts are about; -1: none */
    int view;                /* 1: cell belongs to another ct_plot_plan (ct_plot_view) */
} ct_plot_plan;

/* Which units a plan's charts cover. */
typedef struct {
    int unit;       /* the root: this unit's part of the plan's region; -1: the whole region */
    int level;      /* >= 0: only the units of this level (chitieu plot --level) */
    int down_to;    /* >= 0: the root and every level down to this one (chitieu report --level) */
} ct_plot_scope;

/* Gathers a plan's chart data for the units of scope (NULL: the region and
 * every level below it down to the one above the finest level of the data,
 * districts rather than communes), assessed with opt (NULL: the defaults;
 * its custom hook lets rules set statuses and notes). A plan that does not
 * cover scope->unit gets no units (n_units 0, root -1). The result is owned
 * by the caller (ct_plot_plan_free). CT_ENOMEM on failure. */
ct_status ct_plot_collect(const ct_plan *plan, const ct_series *s, const ct_plot_scope *scope,
                          const ct_assess_options *opt, ct_plot_plan *pp);
void ct_plot_plan_free(ct_plot_plan *pp);

/* The part of whole under unit root, as if collected with scope unit root
 * (a batch collects a plan once and reports on each unit through views): its
 * series are whole's (whole must outlive it); a root whole does not cover
 * gives no units (root -1). Freed by ct_plot_plan_free. CT_ENOMEM on failure. */
ct_status ct_plot_view(const ct_plot_plan *whole, int root, ct_plot_plan *view);

/* The unit's series for indicator i, or NULL when not charted. */
const ct_plot_series *ct_plot_get(const ct_plot_plan *pp, int ind, int unit);

/* The status of a series' final target ("insufficient_data" without one). */
const char *ct_plot_final_status(const ct_plot_series *ps);

/* ---- the charts ---- */

typedef enum { CT_CHART_TRAJECTORY, CT_CHART_MULTIPLES, CT_CHART_STATUS } ct_chart_kind;

typedef struct {
    ct_chart_kind kind;
    const ct_plot_plan *pp;
    int ind;                 /* trajectory and multiples */
    int unit;                /* trajectory: the unit; multiples: the parent */
    char rel[512];           /* path relative to OUT, without extension */
} ct_chart;

/* The children of unit u among the charted units that have a series for
 * indicator i, into out (NULL: only counted); returns their number. */
int ct_plot_children(const ct_plot_plan *pp, int i, int u, int *out);

/* Lists the charts of a plan: a trajectory per indicator and charted unit
 * (PLAN/INDICATOR/UNIT), small multiples of the charted children of every
 * unit (PLAN/INDICATOR/UNIT-children), and a status overview (PLAN/status);
 * with page set, the trajectories of the root only (what the report shows:
 * the other units appear in their parent's small multiples). Appends to *charts (realloc'ed; the caller frees it). */
ct_status ct_plot_list_charts(const ct_plot_plan *pp, int page, ct_chart **charts, size_t *n, size_t *cap);

#endif
