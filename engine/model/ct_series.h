/* The loaded data: the unit hierarchy and every metric's values as dense
 * arrays (units of the metric's level x periods of each type), NaN for no
 * data. Loaded once; after ct_series_finish no lookup needs hashing. */
#ifndef CT_SERIES_H
#define CT_SERIES_H

#include <stddef.h>

#include "../core/ct_arena.h"
#include "../core/ct_error.h"
#include "../core/ct_strmap.h"
#include "ct_period.h"

typedef struct {
    const char *name;
    size_t name_len;
    int level;            /* level index */
    int type;             /* ct_metric_type */
    int over_time;        /* ct_over_time */
    const char *decl_file;
    int decl_line;
    int finest;           /* finest period type observed; -1: no observation */
    size_t n_obs;
    double *vals[4];      /* per period type: level_size x n_periods(type); NULL if none */
} ct_metric;

typedef struct {
    ct_arena arena;
    const char *units_path, *obs_path;

    /* units; index 0.. n_units-1, parents before children in `order` */
    int n_units;
    const char **code, **name;
    int *level, *parent, *depth, *line;
    int *level_pos;       /* position among the units of its level */
    int *valid_first, *valid_last; /* month range (see ct_period_first_month) */
    int *order;           /* units sorted by depth (parents first) */
    int *anc;             /* n_units x n_levels: ancestor-or-self at each level, -1 */
    int root;             /* the unit without a parent */
    int implicit_root;    /* the root VN was not in units.csv */

    int n_levels;
    const char **level_name;
    unsigned char *level_above; /* n_levels x n_levels: [b][l] some unit of level b has an ancestor of level l */
    int *level_size;
    int **level_units;    /* the units of each level, in file order */

    int n_attrs;
    const char **attr_name;
    double *attr;         /* n_attrs x n_units */
    int *attr_bad_line;   /* first line with a non-numeric value, or 0 */
    const char **attr_bad_text;

    int n_metrics;
    ct_metric *metrics;

    /* observations of periods ending after this month are ignored (--as-of) */
    int cutoff_month;
    size_t n_after_cutoff;

    /* the span of observations */
    int year0, year1;     /* inclusive; year0 > year1 when there are none */
    int n_periods[4];     /* periods of each type in the span */
    int first_month, last_month;

    ct_strmap unit_map, level_map, attr_map, metric_map;
} ct_series;

void ct_series_init(ct_series *s);
void ct_series_free(ct_series *s);

/* Unit index for a code, or -1. */
int ct_series_unit(const ct_series *s, const char *code, size_t len);
/* Level index for a name, or -1. */
int ct_series_level(const ct_series *s, const char *name);
/* Attribute index for a name, or -1. */
int ct_series_attr(const ct_series *s, const char *name);
/* Metric index for a name, or -1. */
int ct_series_metric(const ct_series *s, const char *name, size_t len);

/* Declares a metric read by a plan. A second declaration must agree in level,
 * type and over_time; a conflict is an error added to d. Returns the index or -1. */
int ct_series_declare_metric(ct_series *s, const char *name, const char *level_name,
                             int type, int over_time, const char *file, int line, int col,
                             ct_diags *d);

/* Number of periods of type t in the observed span. */
int ct_series_n_periods(const ct_series *s, ct_ptype t);

/* The value of metric m for unit u (of the metric's level) at period p, or NaN. */
double ct_series_value(const ct_series *s, int m, int u, ct_period p);

/* Whether unit u exists during period p (valid_from / valid_to). */
int ct_series_unit_valid(const ct_series *s, int u, ct_period p);

/* Whether unit u lies in the subtree of unit top. */
int ct_series_in_subtree(const ct_series *s, int u, int top);


/* Building (used by the data loader) ------------------------------------ */

enum { CT_MAX_LEVELS = 16 };

/* Interns a level name and returns its index (-1 on out-of-memory, -3 when
 * there would be more than CT_MAX_LEVELS levels). */
int ct_series_add_level(ct_series *s, const char *name, size_t len);

/* Computes order, depth, level_pos, level_units and anc from parent[] and
 * level[]; reports cycles and children whose level is not below their
 * parent's. Returns CT_OK or CT_EINPUT. */
ct_status ct_series_finish_units(ct_series *s, ct_diags *d);

/* Allocates metric m's arrays for types down to `finest`, NaN-filled. */
ct_status ct_series_alloc_metric(ct_series *s, int m, int finest);

/* Fills every coarser period from finer ones by the metric's over_time rule
 * where the coarser period has no observation of its own. */
void ct_series_rollup(ct_series *s, int m);

#endif
