/* The loaded data: the unit hierarchy and every metric's values as dense
 * arrays (units of the metric's level x periods of each type), NaN for no
 * data. Loaded once; after ct_series_finish no lookup needs hashing. */
#ifndef CT_SERIES_H
#define CT_SERIES_H

#include <limits.h>
#include <math.h>
#include <stddef.h>

#include "../core/ct_arena.h"
#include "../core/ct_error.h"
#include "../core/ct_strmap.h"
#include "ct_period.h"

typedef struct {
    const char *name;
    size_t name_len;
    int level;            /* level index; -1: not yet known (a dictionary entry left it empty) */
    int type;             /* ct_metric_type; -1: not yet known */
    int over_time;        /* ct_over_time; -1: not yet known */
    int merge;            /* ct_merge; -1: not specified */
    int used;             /* read by a loaded plan: only used metrics keep their values */
    const char *title;
    const char *decl_file;  /* the first declaration (a plan, or metrics.csv) */
    int decl_line;
    const char *dict_file;  /* metrics.csv when it declares the metric, else NULL */
    int dict_line;
    int finest;           /* finest period type observed; -1: no observation */
    size_t n_obs;
    double *vals[4];      /* per period type: n_periods(type) x level_size, a period's
                           * units side by side (ct_series_cell); NULL if none */
    unsigned char *approx[4]; /* cells that rest on a part link without a weight; NULL if none */
    double *raw[4];       /* with keep_raw: the values as reported, before they were carried */
} ct_metric;

/* A succession: at month `month` unit `from` passed (whole or in part) into `to`. */
typedef struct {
    int from, to;
    int month;            /* first month of the new units */
    int whole;
    double weight;        /* share of from's quantities; NaN: not known (a part) */
    int line;
} ct_link;

typedef struct {
    ct_arena arena;
    const char *units_path, *obs_path, *dict_path, *succ_path;

    /* units; index 0.. n_units-1, parents before children in `order` */
    int n_units;
    const char **code, **name;
    int *level, *parent, *depth, *line;
    int *level_pos;       /* position among the units of its level */
    int *valid_first, *valid_last; /* month range (see ct_period_first_month); a
                                    * geography makes its units valid from the start
                                    * (data carried onto them) until they closed */
    int *orig_first, *orig_last; /* the validity written in units.csv (INT_MIN/INT_MAX: open) */
    const char **valid_from_text, **valid_to_text; /* canonical periods, NULL when open */
    int *same_next;       /* the next unit with the same code, by validity; -1 */
    unsigned char *reused; /* the unit's code names other units at other times */
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

    /* successions.csv */
    int n_links;
    ct_link *links;

    /* the geography every series is computed on (see ct_geo.h) */
    int geo_month;        /* INT_MIN: as reported (nothing carried) */
    int *level_geo;       /* per level: the month whose units it is computed on; NULL: as reported */
    char geography[CT_PERIOD_BUF]; /* its label: a period such as 2025S2, or as-reported */
    int has_approx;       /* some carried value rests on a part link without a weight */
    unsigned char *in_geo; /* per unit: it belongs to the geography; NULL: as reported */
    int *dest_start;      /* per unit: its destinations in the geography are */
    int *dest_unit;       /* dest_unit[dest_start[u] .. dest_start[u] + dest_len[u]) */
    int *dest_len;
    double *dest_w;       /* the share of u's quantities that goes there */
    unsigned char *dest_apx; /* resting on a part link without a weight */
    int *reach;           /* per unit of an abolished level whose parent is not on the
                           * map: the unit of its parent's level on the map that its
                           * units passed into (a district's new province); -1; NULL: none */
    unsigned char *reach_apx; /* its units went to several: approximate */

    /* observations.csv files of at least this many bytes are read by two
     * threads, each over half the file (0: never; ct_series_init sets
     * CT_SERIES_SPLIT_BYTES) */
    size_t obs_split_bytes;

    /* keep each carried metric's values as reported (ct_metric.raw), for
     * ct_geo_as_reported (set before ct_geo_apply) */
    int keep_raw;

    /* observations of periods ending after this month are ignored (--as-of) */
    int cutoff_month;
    size_t n_after_cutoff;

    /* the span of observations */
    int year0, year1;     /* inclusive; year0 > year1 when there are none */
    int n_periods[4];     /* periods of each type in the span */
    int first_month, last_month;

    ct_strmap unit_map, level_map, attr_map, metric_map;
} ct_series;

enum { CT_SERIES_SPLIT_BYTES = 8 << 20 };

void ct_series_init(ct_series *s);
void ct_series_free(ct_series *s);

/* Unit index for a code (the earliest unit with that code), or -1. */
int ct_series_unit(const ct_series *s, const char *code, size_t len);

/* The unit with this code valid during months first..last (overlapping them):
 * its index, -1 when none is, -2 when several are. */
int ct_series_unit_during(const ct_series *s, const char *code, size_t len, int first, int last);

/* The unit with this code valid at month, else the latest one before it,
 * else the earliest one; -1 when no unit has the code. */
int ct_series_unit_at(const ct_series *s, const char *code, size_t len, int month);

/* Level index for a name, or -1. */
int ct_series_level(const ct_series *s, const char *name);
/* Attribute index for a name, or -1. */
int ct_series_attr(const ct_series *s, const char *name);
/* Metric index for a name, or -1. */
int ct_series_metric(const ct_series *s, const char *name, size_t len);

/* Declares a metric of the data dictionary (metrics.csv): level -1, type,
 * over_time or merge -1 when left empty. Returns the index or -1 (out of memory). */
int ct_series_dict_metric(ct_series *s, const char *name, size_t len, int level, int type,
                          int over_time, int merge, const char *title, const char *file, int line);

/* Declares a metric read by a plan. A second declaration must agree in level,
 * type and over_time; a conflict is an error added to d. Returns the index or -1. */
int ct_series_declare_metric(ct_series *s, const char *name, const char *level_name,
                             int type, int over_time, int merge, const char *file, int line, int col,
                             ct_diags *d);

/* Marks metric m as read by a loaded plan, and checks that its level, type
 * and over_time are known (an error names the metric otherwise). */
int ct_series_use_metric(ct_series *s, int m, const char *file, int line, int col, ct_diags *d);

/* Number of periods of type t in the observed span. */
int ct_series_n_periods(const ct_series *s, ct_ptype t);

/* The index in a metric's vals[t] (and approx[t]) of the unit at position
 * pos among the units of its level, at period index idx. A period's units
 * lie side by side: loading a file ordered by period, and computing a
 * period across every unit, walk memory in order. */
static inline size_t ct_series_cell(const ct_series *s, const ct_metric *mt, int pos, int idx)
{
    return (size_t)idx * (size_t)s->level_size[mt->level] + (size_t)pos;
}

/* The cells of a metric's array of period type t: its level's units x the
 * periods of that type. */
static inline size_t ct_series_n_cells(const ct_series *s, const ct_metric *mt, int t)
{
    return (size_t)s->level_size[mt->level] * (size_t)s->n_periods[t];
}

/* The value of metric m for unit u (of the metric's level) at period p, or NaN. */
static inline double ct_series_value(const ct_series *s, int m, int u, ct_period p)
{
    static const int per_year[CT_PT_COUNT] = {1, 2, 4, 12};
    const ct_metric *mt = &s->metrics[m];
    const double *v = mt->vals[p.type];
    if (!v) return NAN;
    int i = (p.year - s->year0) * per_year[p.type] + p.sub;
    if (i < 0 || i >= s->n_periods[p.type]) return NAN;
    return v[ct_series_cell(s, mt, s->level_pos[u], i)];
}

/* Whether unit u exists during period p (valid_from / valid_to). */
/* The last month the data speak for: the --as-of cut-off when there is one,
 * else the last month with data. Sub-periods after it are not yet due. */
static inline int ct_series_asof_month(const ct_series *s)
{
    return s->cutoff_month != INT_MAX ? s->cutoff_month : s->last_month;
}

static inline int ct_series_unit_valid(const ct_series *s, int u, ct_period p)
{
    static const int months[CT_PT_COUNT] = {12, 6, 3, 1};
    int len = months[p.type], first = p.year * 12 + p.sub * len;
    return first <= s->valid_last[u] && first + len - 1 >= s->valid_first[u];
}

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

/* A new array of cells, every one empty (NaN); NULL when out of memory. */
double *ct_series_new_cells(size_t cells);

/* Allocates metric m's arrays for types down to `finest`, NaN-filled. */
ct_status ct_series_alloc_metric(ct_series *s, int m, int finest);

/* Fills every coarser period from finer ones by the metric's over_time rule
 * where the coarser period has no observation of its own. */
void ct_series_rollup(ct_series *s, int m);

#endif
