/* DHIS2 in: the organisation unit tree (organisationUnits JSON) and data
 * value sets (dataValueSets JSON or DHIS2's CSV) read into the rows of a
 * chitieu data folder: units with their validity, observations with the
 * contract's period ids, and the metrics found. Values that cannot be placed
 * (unknown org units, unmapped category option combos, period types the
 * contract lacks, values that are not numbers) are counted and each is
 * reported with its file and position. JSON is parsed by jansson. */
#ifndef CT_DHIS2_IN_H
#define CT_DHIS2_IN_H

#include <stddef.h>

#include "../core/ct_arena.h"
#include "../core/ct_error.h"
#include "../core/ct_strmap.h"

/* One row of units.csv; every field is a string ("" when empty). */
typedef struct {
    const char *id, *code, *name, *level, *parent_id, *parent, *valid_from, *valid_to;
    int level_no;
} ct_dhis2_unit;

/* One row of observations.csv. */
typedef struct {
    const char *unit, *period, *metric;
    double value;
    char text[40];          /* the value as written (or the sum, when combos add up) */
} ct_dhis2_obs;

/* A value as one source (data element and combo) gave it: where, to tell a
 * repeated value from a conflicting one. */
typedef struct {
    double value;
    const char *file;
    int line;               /* CSV line, or 0 */
    long index;             /* JSON dataValues index */
} ct_dhis2_src;

typedef struct {
    const char *name;
    int boolean_only;       /* every value was true/false: a boolean metric */
} ct_dhis2_metric;

/* Why values were not placed. */
enum {
    CT_DHIS2_ORGUNIT,       /* the org unit is neither a code nor an id of the tree */
    CT_DHIS2_COMBO,         /* a category (or attribute) option combo not mapped */
    CT_DHIS2_PERIOD,        /* a DHIS2 period type the contract lacks, or no period */
    CT_DHIS2_VALUE,         /* not a number, true or false; or a malformed entry */
    CT_DHIS2_CONFLICT,      /* the same value twice with different numbers */
    CT_DHIS2_N_REASONS
};

typedef struct {
    ct_arena arena;
    ct_dhis2_unit *units;
    size_t n_units, cap_units;
    size_t *order;          /* units parent before child (by level, file order within one) */
    ct_dhis2_obs *obs;
    size_t n_obs, cap_obs;
    ct_dhis2_metric *metrics;
    size_t n_metrics, cap_metrics;
    size_t n_read;          /* data values read */
    size_t n_unplaced[CT_DHIS2_N_REASONS];
    size_t n_deleted;       /* values marked deleted: not data */
    size_t n_empty;         /* values with an empty value: no data */
    size_t n_ignored;       /* values the map ignores on purpose (empty metric) */
    size_t n_summed;        /* values added to another of the same unit, period and metric */
    size_t n_duplicate;     /* the same value from the same source again: kept once */
    ct_dhis2_src *srcs;
    size_t n_srcs, cap_srcs;
    int has_map;
    int skip_unplaced;      /* report unplaced values as warnings, not errors */
    const char **map_metrics;  /* the map's metric per row ("": ignore) */
    size_t n_map, cap_map;
    char *level_names[16];  /* from the map's "level,N,NAME" rows */
    ct_strmap unit_by_code, unit_by_id, map, obs_key, src_key, metric_ix;
} ct_dhis2_import;

void ct_dhis2_init(ct_dhis2_import *im);
void ct_dhis2_free(ct_dhis2_import *im);

/* Reads a map CSV (dataelement,catoptcombo,metric; rows "level,N,NAME" name
 * the levels). Must be read before the data values. */
ct_status ct_dhis2_read_map(ct_dhis2_import *im, const char *path, ct_diags *d);

/* Reads organisationUnits JSON; `order` lists the units parent before child;
 * a level-1 root without a code is left out (the implicit root). */
ct_status ct_dhis2_read_orgunits(ct_dhis2_import *im, const char *path, ct_diags *d);

/* Reads one dataValueSets file, JSON or CSV (told apart by its first
 * character). Unplaced values are added to d (errors, or warnings when
 * skip_unplaced) and counted; the status is CT_OK unless the file could not
 * be read at all. */
ct_status ct_dhis2_read_values(ct_dhis2_import *im, const char *path, ct_diags *d);

/* Total of unplaced values. */
size_t ct_dhis2_unplaced(const ct_dhis2_import *im);

/* Converts a DHIS2 period id to the contract's canonical form (2016, 2016S1,
 * 2016Q1, 2016-03) in out (16 bytes). Returns 0; or -1 for a DHIS2 period type
 * the contract lacks, with *type naming it (weekly, daily, ...); or -2 for
 * text that is no period at all. */
int ct_dhis2_period_in(const char *s, char out[16], const char **type);

#endif
