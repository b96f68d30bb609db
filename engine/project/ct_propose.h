/* Planning the next cycle (`chitieu propose`): for each indicator and unit,
 * target scenarios for a new plan's target year from its baseline year.
 * The scenarios, one function each in ct_propose.c (a new scenario is a
 * value of ct_scenario, its name and a case in scenario_value):
 *   trend      the model's median for the target year
 *   likely     the value reached or passed with probability P
 *   stretch    the value reached with probability 1 - P
 *   best_pace  the baseline moved at the pace of the best quarter of the
 *              units of the same level in the region
 *   maintain   the baseline
 *   proposed   each target the given plan sets for a year from..to
 * The model is asked only through ct_propose_model.h. */
#ifndef CT_PROPOSE_H
#define CT_PROPOSE_H

#include "../compute/ct_compute.h"
#include "../core/ct_lang.h"
#include "ct_model.h"
#include "ct_propose_alloc.h"

typedef enum {
    CT_SC_TREND,
    CT_SC_LIKELY,
    CT_SC_STRETCH,
    CT_SC_BEST_PACE,
    CT_SC_MAINTAIN,
    CT_SC_PROPOSED
} ct_scenario;

enum { CT_SC_COUNT = 6 };

const char *ct_scenario_name(ct_scenario sc);

typedef struct {
    int from, to;          /* baseline year (0: the last complete year) and target year */
    double probability;    /* for likely (default 0.8) */
    double min_coverage;
    ct_lang lang;
    ct_alloc_method allocate; /* split the region's likely target among the units below it */
    ct_model_kind model;   /* the trend model (default calibrated) */
} ct_propose_options;

typedef struct {
    const ct_plan *plan;
    const ct_indicator *ind;
    int unit;
    int from, to;
    int has_baseline;
    double baseline_value;
    ct_scenario scenario;
    const ct_target *target;  /* proposed: the plan's target */
    double value, probability, pace, observed_pace;
    int flag_direction;       /* moves against the indicator's direction */
    int flag_pace;            /* needs more than twice the best observed pace */
    int allocated;            /* a unit's share of the region's likely target (--allocate) */
    double alloc_param;       /* the share of the gap closed, or the relative change */
    int alloc_units;          /* on the region's row: the units it was split among (0: none) */
    double alloc_region;      /* the region's value computed from their targets */
    int alloc_left_out;       /* units below the region without a baseline value */
    char note[600];
} ct_proposal;

typedef int (*ct_propose_fn)(const ct_proposal *p, void *ctx);

/* Every scenario for every indicator with targets or not, for the region and
 * the units of filter (as assess chooses its rows). */
ct_status ct_propose_plan(const ct_plan *plan, const ct_series *s, const ct_compute_filter *filter,
                          const ct_propose_options *opt, ct_propose_fn fn, void *ctx);

#endif
