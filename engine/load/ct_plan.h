/* A plan: its metadata, the metrics it reads, its indicators and their
 * targets, loaded from one YAML file and validated against the schema in
 * docs/yaml-reference.md. Every problem is reported with file:line:col. */
#ifndef CT_PLAN_H
#define CT_PLAN_H

#include <stddef.h>

#include "../core/ct_arena.h"
#include "../core/ct_error.h"
#include "../model/ct_cond.h"
#include "../model/ct_period.h"

typedef enum { CT_MT_BOOLEAN, CT_MT_COUNT, CT_MT_NUMBER } ct_metric_type;
typedef enum { CT_OT_LAST, CT_OT_SUM, CT_OT_MAX, CT_OT_MIN, CT_OT_MEAN } ct_over_time;
/* How the values of units that merge combine (metrics.csv, a plan's merge:). */
typedef enum { CT_MG_SUM, CT_MG_MEAN, CT_MG_MAX, CT_MG_MIN, CT_MG_ANY, CT_MG_ALL } ct_merge;
enum { CT_MG_COUNT = 6 };

typedef enum {
    CT_KIND_SHARE,      /* share_of_units */
    CT_KIND_COUNT,      /* count_of_units */
    CT_KIND_RATIO,
    CT_KIND_SUM,
    CT_KIND_TRANSITION, /* transition_rate */
    CT_KIND_FREQUENCY,
    CT_KIND_LUA
} ct_kind;

typedef enum {
    CT_TF_VALUE,    /* {year, value} */
    CT_TF_RANGE,    /* {year, min, max} */
    CT_TF_CHANGE,   /* {year, change: -50%} relative to the baseline value */
    CT_TF_MAINTAIN  /* {year, maintain: true} */
} ct_target_form;

typedef struct {
    const char *document, *quote, *section; /* any may be NULL */
} ct_source;

/* A place in the plan file. */
typedef struct {
    int line, col;
} ct_pos;

typedef struct {
    ct_target_form form;
    int year;              /* target year (for each_period: the span's last year) */
    int from, to;          /* each_period span; 0 when not each_period */
    int each_period;
    double value;          /* CT_TF_VALUE */
    double min, max;       /* CT_TF_RANGE (max NaN when absent); also each_period with min */
    double change;         /* CT_TF_CHANGE, as a fraction: -0.5 for -50% */
    const char *label, *note;
    ct_source source;
    ct_pos pos;
    /* `unit:`: that unit's own target, in place of the plan-wide one for the
     * same year; NULL for a plan-wide target */
    const char *unit;
    ct_pos unit_pos;
    int unit_index;        /* bound unit (ct_bind_plan); -1 before binding */
} ct_target;

typedef struct {
    const char *name;
    const char *level;
    ct_metric_type type;
    ct_over_time over_time;
    int merge;            /* ct_merge, -1 when not given */
    const char *title, *unit, *description;
    ct_pos pos;
} ct_metric_decl;

/* A reference to a metric by name, with where the plan names it. */
typedef struct {
    const char *name;
    ct_pos pos;
    int index;            /* bound data metric, -1 before binding */
} ct_mref;

typedef struct {
    ct_cond *cond;
    const char *text;
    ct_pos pos;           /* the YAML scalar */
    ct_pos text_pos;      /* its text's first character */
} ct_cexpr;

typedef struct {
    const char *id, *title, *description, *unit;
    ct_kind kind;
    int direction;        /* +1 increase, -1 decrease */
    int missing_as_not_met;
    const char *of;       /* level name (share, count, transition) */
    ct_pos of_pos;
    ct_cexpr condition, among, from, to;
    ct_mref metric, numerator, denominator;
    double scale;         /* ratio; default 100 */
    ct_ptype per;         /* frequency */
    double at_least;      /* frequency; default 1 */
    const char *script, *function; /* lua */
    ct_pos script_pos;
    /* kind lua: the values of n units at period p, supplied by the rules
     * layer (one call for many units keeps the cost per unit low); returns 0
     * (a value NaN for no data) or -1 when the script failed */
    int (*custom)(void *ctx, const int *units, int n, ct_period p, double *values);
    void *custom_ctx;
    ct_source source;
    ct_target *targets;
    size_t n_targets;
    ct_pos pos;
    /* filled by ct_compute_bind */
    int of_level;         /* level index of `of`, or -1 */
    int base_level;       /* the level whose units feed the indicator */
    int finest_out;       /* finest period type printed */
    int break_month;      /* the first month its units change within the plan's span
                           * (as reported); -1 when they do not */
} ct_indicator;

typedef struct {
    ct_arena arena;
    const char *path;
    const char *id, *title, *description;
    ct_pos id_pos;
    const char *region;   /* unit code; NULL: the data's root */
    ct_pos region_pos;
    ct_period baseline;
    int has_baseline;
    int horizon;          /* 0 when absent */
    ct_source source;
    const char **rules;   /* rules files named by the plan (as written) */
    ct_pos *rules_pos;
    size_t n_rules;
    ct_metric_decl *metrics;
    size_t n_metrics;
    ct_indicator *indicators;
    size_t n_indicators;
    /* filled by ct_compute_bind */
    int region_unit;
    int first_month, last_month; /* span of the plan's observations in its region */
    int last_reported_month;     /* the last month of a reported (not rolled-up) period */
    unsigned char *uses;  /* per data metric: the plan reads it (set by ct_compute_declare) */
    unsigned char *territory; /* per unit: in the plan's territory when its region closed
                               * before the geography (see ct_geo.h); NULL: the region's subtree */
} ct_plan;

/* Loads and validates path. Returns a plan (owned by the caller, free with
 * ct_plan_free) even when errors were found, so that every problem can be
 * reported; returns NULL only when the file could not be read or parsed.
 * *status is CT_OK when the plan is valid. */
ct_plan *ct_plan_load(const char *path, ct_diags *d, ct_status *status);
void ct_plan_free(ct_plan *p);

const char *ct_kind_name(ct_kind k);
const char *ct_over_time_name(ct_over_time o);
const char *ct_metric_type_name(ct_metric_type t);
const char *ct_merge_name(ct_merge m);
/* The merge rule named by text (len bytes), or -1. */
int ct_merge_parse(const char *text, size_t len);
/* The metric type / over_time rule named by text, or -1. */
int ct_metric_type_parse(const char *text, size_t len);
int ct_over_time_parse(const char *text, size_t len);

/* Reports every metric that an indicator names and the plan does not
 * declare (used when there is no data folder whose metrics.csv could). */
ct_status ct_plan_check_refs(const ct_plan *p, ct_diags *d);

/* The declaration of metric name in the plan, or NULL. */
const ct_metric_decl *ct_plan_metric(const ct_plan *p, const char *name);

/* The furthest year the plan looks at: its horizon or its last target year. */
int ct_plan_last_year(const ct_plan *p);

/* Whether target t of ind applies to unit (a bound unit index): a `unit:`
 * target to its own unit only; a plan-wide target to every unit that has no
 * `unit:` target of its own for the same year. */
int ct_target_applies(const ct_indicator *ind, const ct_target *t, int unit);

/* Whether the indicator's value is a percentage (0-100 scale). */
int ct_indicator_is_percent(const ct_indicator *ind);

#endif
