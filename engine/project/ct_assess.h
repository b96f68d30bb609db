/* Progress against targets: for every indicator, unit and target, the
 * baseline and latest values, the observed and required rates, their ratio,
 * the projection at the target year with its 95% interval, the year the
 * trend meets the target, and a status (UNSD progress-chart method adapted
 * for percentages; docs/methodology.md). Also the plan feasibility checks. */
#ifndef CT_ASSESS_H
#define CT_ASSESS_H

#include "../compute/ct_compute.h"
#include "ct_proj.h"

typedef struct {
    const ct_plan *plan;
    const ct_indicator *ind;
    const ct_target *target;
    int unit;
    int target_year;
    double target_value;          /* NaN when it cannot be set (no baseline) */
    int has_baseline;
    ct_period baseline_period;
    double baseline_value;
    int has_latest;
    ct_period latest_period;
    double latest_value;
    double observed_rate, required_rate, ratio;
    double projected, lower, upper;
    ct_proj_method method;
    int met_year;                 /* the year the trend meets the target; 0: not by 2100 */
    int points;                   /* yearly values the trend was fitted to */
    const char *status;           /* achieved, on_track, ... or a rule's status */
    char status_buf[48];          /* a status set by a rule lives here */
    char note[600];
} ct_assessment;

typedef int (*ct_assess_fn)(const ct_assessment *a, void *ctx);

typedef struct {
    ct_proj_method method;        /* projection method (AUTO by default) */
    /* called on each assessment after the default method, to change its
     * status and note (the rules layer's assess rules); may be NULL */
    void (*custom)(void *ctx, ct_assessment *a);
    void *custom_ctx;
} ct_assess_options;

/* Assesses every target of every indicator of a bound plan for the units
 * selected by filter; passes each row to fn in order. */
ct_status ct_assess_plan(const ct_plan *plan, const ct_series *s, const ct_compute_filter *filter,
                         const ct_assess_options *opt, ct_assess_fn fn, void *ctx);

/* The default status from a ratio (UNSD thresholds 0.95, 0.5, -0.1). */
const char *ct_assess_status_from_ratio(double ratio);

/* Projections: one row per indicator, unit and year after the latest value
 * up to `to_year`. */
typedef struct {
    const ct_plan *plan;
    const ct_indicator *ind;
    int unit;
    ct_proj_method method;
    int year;
    double projected, lower, upper;
    int points;
    ct_period last_period;
    double last_value;
} ct_projection;

typedef int (*ct_project_fn)(const ct_projection *p, void *ctx);

ct_status ct_assess_project(const ct_plan *plan, const ct_series *s, const ct_compute_filter *filter,
                            ct_proj_method method, int to_year, ct_project_fn fn, void *ctx);

/* Plan feasibility: the plan's targets tested against one another and, with
 * data, against the region's observed values. Each finding is one line of
 * text passed to fn. */
typedef int (*ct_finding_fn)(const ct_plan *plan, const ct_indicator *ind, const char *text, void *ctx);

ct_status ct_assess_feasibility(const ct_plan *plan, const ct_series *s, ct_finding_fn fn, void *ctx);

#endif
