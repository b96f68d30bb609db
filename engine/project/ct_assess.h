/* Progress against targets: for every indicator, unit and target, the
 * baseline and latest values, the observed and required rates, their ratio,
 * the projection at the target year with its 95% interval, the year the
 * trend meets the target, and a status (UNSD progress-chart method adapted
 * for percentages; docs/methodology.md). Also the plan feasibility checks. */
#ifndef CT_ASSESS_H
#define CT_ASSESS_H

#include "../compute/ct_compute.h"
#include "../core/ct_lang.h"
#include "ct_model.h"
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
    int evaluated;                /* the target year is complete: an evaluation */
    double probability;           /* chance the target year meets the target; NaN: none */
    double coverage;              /* 0-1, for the value the status rests on; NaN: unknown */
    const char *geography;        /* the geography the row was computed on */
    ct_lang lang;                 /* the language of the note */
    const char *status;           /* achieved, on_track, ... or a rule's status */
    char status_buf[48];          /* a status set by a rule lives here */
    char label[128];              /* a rule's display label for its status ("": none) */
    char colour[8];               /* a rule's colour, "#rrggbb" ("": the theme's) */
    char note[900];
    double year_value;            /* an evaluation's value of the target year; NaN: none */
    int ytd;                      /* monitored on the year so far (latest_value is its value) */
    double ytd_expected;          /* the part of the target expected by now (the profile's); NaN: none */
} ct_assessment;

typedef int (*ct_assess_fn)(const ct_assessment *a, void *ctx);

typedef struct {
    ct_proj_method method;        /* projection method (AUTO by default) */
    /* called on each assessment after the default method, to change its
     * status and note (the rules layer's assess rules); may be NULL */
    void (*custom)(void *ctx, ct_assessment *a);
    void *custom_ctx;
    ct_lang lang;                 /* notes: Vietnamese (default) or English */
    double min_coverage;          /* 0-1; a year covered less is set aside (0: the default 0.8) */
    const char *geography;        /* printed in each row (NULL: as-reported) */
    ct_model_kind model;          /* the trend model (0: calibrated, the default) */
} ct_assess_options;

enum { CT_ASSESS_N_STATUSES = 9 };

/* The contract's statuses, in the order a summary lists them. */
extern const char *const ct_assess_statuses[CT_ASSESS_N_STATUSES];

/* The words a report uses for a status (Đạt, Cơ bản đạt, ...; Achieved...);
 * a status a rule returned is its own word. */
const char *ct_assess_status_label(const char *status, ct_lang lang);

/* How a row's status is shown, for every view (report chips and legends,
 * chart legends, the workbook): the label a rule gave, else the status's
 * words in lang (a rule's status without a label is its code); *colour gets
 * the rule's "#rrggbb", or NULL for the theme's colour of the status. colour
 * may be NULL. The strings live in a or in static tables. */
const char *ct_assess_look(const ct_assessment *a, ct_lang lang, const char **colour);

/* Appends text to a's note after "; ": a note longer than its buffer is
 * cut at the start of a UTF-8 character and ends with "…". */
void ct_assess_note_append(ct_assessment *a, const char *text);

/* Whether a status is the verdict of an evaluation (achieved, nearly
 * achieved, not achieved) rather than of monitoring. */
int ct_assess_status_is_evaluation(const char *status);

/* The default minimum coverage (0.8). */
#define CT_ASSESS_MIN_COVERAGE 0.8

/* An evaluated target missed by its year is nearly achieved when its value went at
 * least this share of the way from the baseline to the target. */
#define CT_ASSESS_NEARLY 0.95

/* The pace needed or observed between two values `years` apart, as the
 * assessment computes it: points a year for percentages, a compound annual
 * rate for the rest (zeros as 0.001). */
double ct_assess_rate(const ct_indicator *ind, double from, double to, double years);

/* Assesses every target of every indicator of a bound plan for the units
 * selected by filter; passes each row to fn in order. */
ct_status ct_assess_plan(const ct_plan *plan, const ct_series *s, const ct_compute_filter *filter,
                         const ct_assess_options *opt, ct_assess_fn fn, void *ctx);

/* For a share of units, the yearly transition band its plan sets for the
 * same units (a transition_rate indicator whose `to` is the share's
 * condition, with a range or value target): rates as fractions; NULL if none. */
const ct_indicator *ct_assess_transition_band(const ct_plan *plan, const ct_indicator *ind, double *lo, double *hi);

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

/* Projections use the assessment's complete years, coverage rule and
 * scales; min_coverage as in ct_assess_options; model the trend model
 * (ignored for a transition band). */
ct_status ct_assess_project(const ct_plan *plan, const ct_series *s, const ct_compute_filter *filter,
                            ct_proj_method method, ct_model_kind model, int to_year, double min_coverage, ct_project_fn fn, void *ctx);

#endif
