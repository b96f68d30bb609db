/* A unit's yearly series as the assessment sees it: the complete years only
 * (a year is complete when the as-of period reaches its end), each with its
 * value, numerator, denominator and coverage; a year whose coverage is
 * below the minimum is set aside (no baseline, latest, target-year value or
 * trend point rests on it). Shared by assess, project and the feasibility
 * checks, so that all three read the same years. docs/methodology.md. */
#ifndef CT_YEARLY_H
#define CT_YEARLY_H

#include "../compute/ct_compute.h"
#include "ct_proj.h"

enum { CT_YEARLY_MAX = 256 };

typedef struct {
    int year;
    double t;              /* time in years (the period's end) */
    double value, num, den;
    int has_value;
    int reported, expected; /* coverage counts (expected 0: unknown) */
    double coverage;       /* reported / expected, NaN when unknown */
    int set_aside;         /* has a value, but coverage below the minimum */
    int usable;            /* has a value and is not set aside */
    int part_months;       /* a sum over part of the year only (the unit opened or
                            * closed within it): its months, and set aside; 0: whole */
    int part_first, part_last; /* those months (ct_period_first_month's scale) */
    int part_units;        /* the unit was valid all those months, its units
                            * (those its figure is made of) were not */
    int completed;         /* a closed region's last year, completed from the units
                            * its units became: how many of them */
} ct_year_value;

typedef struct {
    int n;                 /* complete years in the grid, oldest first */
    ct_year_value y[CT_YEARLY_MAX];
    int asof_month;        /* the last month the as-of period covers */
    int asof_year;         /* the last complete year (may have no data) */
    /* the plan's baseline period, when it is complete, has a value and is
     * not set aside */
    int has_baseline;
    ct_year_value baseline;
    ct_period baseline_period;
    int baseline_set_aside;
} ct_yearly;

/* Whether a year is complete as of asof_month. */
int ct_yearly_complete(int year, int asof_month);

/* Reads unit row i of grid g (yearly periods, and the baseline's period
 * when finer); min_coverage in 0-1. */
void ct_yearly_read(const ct_plan *plan, const ct_grid *g, int i, int asof_month, double min_coverage,
                    ct_yearly *u);

/* Sets aside the years of a `sum` indicator in which unit u of the
 * geography was valid for part of the year only (it opened or closed within
 * it): a sum over six months is not compared with whole years. A unit that
 * is followed onto other units (a closed region) is not partial. A plan's
 * region (is_region) that closed within the year has it completed instead
 * from the units its units passed into when each of them was made of the
 * region's units only (whole links, or parts with a weight); otherwise the
 * year stays set aside. */
void ct_yearly_partial(ct_yearly *u, const ct_indicator *ind, const ct_series *s, int unit, int is_region);

/* The usable years' times, values and denominators (den_reported: the
 * units that reported, for a count of units, NaN when none did); their
 * number. The arrays hold CT_YEARLY_MAX. */
int ct_yearly_points(const ct_yearly *u, int den_reported, double *t, double *y, double *den);

/* A value in a note or finding: four significant digits, a count of tens
 * of thousands whole (55969 people, not 5.597e+04), "-" when there is none.
 * Returns buf. */
const char *ct_yearly_note_value(double v, char *buf, size_t size);

/* The usable year y, or NULL. */
const ct_year_value *ct_yearly_at(const ct_yearly *u, int year);

/* Index of the last usable year at or after `from` (0: any), or -1. */
int ct_yearly_latest(const ct_yearly *u, int from);

/* The method a trend of the indicator is fitted with: auto and transition
 * mean logit for percentages and linear otherwise; logit only for
 * percentages. */
ct_proj_method ct_yearly_method(const ct_indicator *ind, ct_proj_method m);

/* Whether an indicator can never be negative (shares, counts, sums and
 * ratios of counts). */
int ct_yearly_non_negative(const ct_indicator *ind, const ct_series *s);

/* Fits the trend of the usable years (with their denominators for the
 * empirical logit) and bounds it to what the indicator can be: 0-100 for a
 * percentage, at least 0 for counts. */
void ct_yearly_fit(const ct_yearly *u, const ct_indicator *ind, const ct_series *s, ct_proj_method m,
                   ct_proj_fit *fit);

#endif
