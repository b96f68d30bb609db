/* The current year: a target whose year is the as-of year, not yet complete
 * (an annual plan reviewed at mid-year), is monitored on the year so far.
 * A metric that accumulates over the year (over_time sum or max) is compared
 * with the part of the target the unit's own seasonal profile expects by now
 * (the share of the year's value reached by the same month in its past
 * complete years, from at least two of them; else pro rata of the months
 * elapsed); any other is compared with the target itself. The probability of
 * meeting the target by the year's end comes from the spread of the past
 * profiles. docs/methodology.md, "The current year". */
#ifndef CT_YTD_H
#define CT_YTD_H

#include "ct_assess.h"

enum { CT_YTD_MAX_PAST = 64 };

typedef struct {
    int year;              /* the as-of year */
    int months;            /* months of it elapsed (1-11) */
    ct_period period;      /* the period from January to the as-of month */
    int has_period;        /* such a period exists (a month, Q1 or S1) */
    int accumulates;       /* the indicator's value grows through the year */
    int has_value;         /* a year-to-date value with enough coverage */
    double value;          /* the year-to-date value */
    double coverage;       /* its coverage, NaN when unknown */
    int n_past;            /* past complete years with both values */
    int past_year[CT_YTD_MAX_PAST];
    double share[CT_YTD_MAX_PAST]; /* year-to-date value / the year's value */
} ct_ytd;

/* The as-of year when it is incomplete (asof_month is not a December), else 0. */
int ct_ytd_year(int asof_month);

/* The finest period type a year-to-date grid needs as of asof_month, or -1
 * when no period runs from January to that month. */
int ct_ytd_period_type(int asof_month);

/* Whether the indicator's value accumulates over the year: a sum of a metric
 * that rolls up by sum or max; a count or share of units whose condition
 * reads only such metrics; a ratio whose numerator does and denominator does
 * not. */
int ct_ytd_accumulates(const ct_plan *plan, const ct_indicator *ind);

/* Reads unit row i of grid g (computed with finest = ct_ytd_period_type);
 * g NULL or i < 0: the unit has no row (no value so far). */
void ct_ytd_read(const ct_plan *plan, const ct_indicator *ind, const ct_grid *g, int i, int asof_month,
                 double min_coverage, ct_ytd *y);

/* Monitors a target of the as-of year on the year so far: sets latest,
 * ratio, probability, coverage, status and note. a->target_value is set. */
void ct_ytd_assess(ct_assessment *a, const ct_ytd *y);

/* The probability that the year's end meets target given the year-to-date
 * value and the past profile shares (Student t predictive of a new share,
 * n - 1 degrees of freedom); NaN with fewer than two shares. */
double ct_ytd_probability(double ytd, double target, int direction, const double *share, int n);

#endif
