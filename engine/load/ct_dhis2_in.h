/* DHIS2 in: the organisation unit tree (organisationUnits JSON, or a
 * metadata export) and data values, placed into the rows of a chitieu data
 * folder: units with the months DHIS2 takes data for, observations with the
 * contract's period ids on the unit open in the period, and the metrics found
 * (codes made valid names). Values that cannot be placed (unknown org units,
 * units not open in the period, unmapped or null option combos, period types
 * the contract lacks, values that are not numbers) are counted and each is
 * reported with its file and position. The files of data values are read by
 * ct_dhis2_read. */
#ifndef CT_DHIS2_IN_H
#define CT_DHIS2_IN_H

#include <limits.h>
#include <stddef.h>

#include "../core/ct_arena.h"
#include "../core/ct_error.h"
#include "../core/ct_strmap.h"

/* One row of units.csv; every field is a string ("" when empty). */
typedef struct {
    const char *id, *code, *name, *level, *parent_id, *parent, *valid_from, *valid_to;
    int level_no;
    int from_month, to_month;   /* months since year 0 of valid_from and valid_to; -1 / INT_MAX when open */
    int next_same_code;         /* the next unit with this code (a reused code), or -1 */
    const char *file;           /* the org units file it came from */
} ct_dhis2_unit;

/* One row of observations.csv. */
typedef struct {
    const char *unit, *period, *metric;
    double value;
    char text[40];          /* the value as written (or the sum, when combos add up) */
    int summed_days;        /* a sum of daily or weekly values (into_months) */
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
    const char *dhis2_code; /* the data element's code when the name had to be made valid, else "" */
    int boolean_only;       /* every value was true/false: a boolean metric */
    int summed_days;        /* it has daily or weekly values summed into months: over_time sum */
} ct_dhis2_metric;

/* Why values were not placed. */
enum {
    CT_DHIS2_ORGUNIT,       /* the org unit is neither a code nor an id of the tree */
    CT_DHIS2_COMBO,         /* a category (or attribute) option combo not mapped */
    CT_DHIS2_PERIOD,        /* a DHIS2 period type the contract lacks, or no period */
    CT_DHIS2_VALUE,         /* not a number, true or false; or a malformed entry */
    CT_DHIS2_CONFLICT,      /* the same value twice with different numbers */
    CT_DHIS2_CLOSED,        /* the org unit was not open in the value's period */
    CT_DHIS2_NULLCOMBO,     /* a null combo (a combo without a code, written under idScheme=code) */
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
    int into_months;        /* daily and ISO weekly values summed into their months */
    size_t n_into_months;   /* values so summed */
    const char **map_metrics;  /* the map's metric per row ("": ignore; "*": the data element's code) */
    int map_aoc;            /* the map has an attroptcombo column */
    int map_wild;           /* the map has a '*' somewhere */
    const char *default_ids[8];  /* the default combo's id, code and name from the metadata */
    size_t n_default_ids;
    int n_subtree;          /* units whose parent is in no file: hung under the implicit root */
    const char *subtree_file;
    struct { long page_count; unsigned char *seen; const char *file; } pages; /* a paged response */
    size_t n_closed_dates;  /* closing dates before an opening date (refused) */
    char *key;              /* a scratch buffer for the maps' keys */
    size_t key_cap;
    ct_strmap null_seen;    /* (de, period, org unit, aoc) of values with a null combo: the first position */
    ct_dhis2_src *nulls;
    size_t n_nulls, cap_nulls;
    size_t n_map, cap_map;
    char *level_names[16];  /* from the map's "level,N,NAME" rows */
    const char **map_codes; /* from the map's "orgunit,ID,CODE" rows: the code a unit gets */
    size_t n_map_codes, cap_map_codes;
    size_t n_map_codes_used;
    ct_strmap map_code_of;  /* org unit id -> index in map_codes */
    ct_strmap unit_by_dhis2_code; /* a unit's DHIS2 code where the map gave it another */
    const char **de_codes;  /* the codes of data elements a metadata file lists */
    size_t n_de_codes, cap_de_codes;
    ct_strmap de_code_of;   /* data element id -> index in de_codes */
    size_t n_root_values;   /* values of a level-1 root without code: placed on the implicit root VN */
    ct_strmap unit_by_code, unit_by_id, map, obs_key, src_key, metric_ix, metric_names;
} ct_dhis2_import;

void ct_dhis2_init(ct_dhis2_import *im);
void ct_dhis2_free(ct_dhis2_import *im);

/* Reads a map CSV (dataelement,catoptcombo,metric; rows "level,N,NAME" name
 * the levels; rows "orgunit,ID,CODE" give the org unit ID the code CODE, a
 * unit without code or one whose code is to change). Must be read before
 * the org units and the data values. */
ct_status ct_dhis2_read_map(ct_dhis2_import *im, const char *path, ct_diags *d);

/* Shared by the DHIS2 readers: grows an array of n items to hold one more
 * (-1 when out of memory); copies n bytes of s ("" for NULL) into the arena. */
int ct_dhis2_grow(void **p, size_t *cap, size_t n, size_t size);
const char *ct_dhis2_dup(ct_dhis2_import *im, const char *s, size_t n);

/* One data value as a file gives it (strings; NULL when absent). coc_null /
 * aoc_null: the combo was written as null. */
typedef struct {
    const char *de, *period, *ou, *coc, *aoc, *value;
    int deleted, coc_null, aoc_null;
} ct_dhis2_raw;

/* Places one value (line > 0: a CSV line; else index in dataValues):
 * CT_OK (placed, or reported as unplaced), CT_ENOMEM. */
ct_status ct_dhis2_place(ct_dhis2_import *im, ct_diags *d, const char *path, int line, long index,
                         const ct_dhis2_raw *v);

/* Reports a value that cannot be placed (counted under reason). */
void ct_dhis2_unplaced(ct_dhis2_import *im, ct_diags *d, int reason, const char *path, int line, long index,
                       const ct_dhis2_raw *v, const char *what);

/* A metric name from a data element code: letters, digits and '_' kept,
 * every other run of bytes becomes one '_', "m_" put before a name that does
 * not start with a letter ("MAL-POS 01" -> MAL_POS_01, "105-1.2" -> m_105_1_2).
 * Writes at most size bytes; returns 1 when the name differs from the code. */
int ct_dhis2_metric_name(const char *code, char *out, size_t size);

/* Total of unplaced values. */
size_t ct_dhis2_n_unplaced(const ct_dhis2_import *im);

/* Converts a DHIS2 period id to the contract's canonical form (2016, 2016S1,
 * 2016Q1, 2016-03) in out (16 bytes). Returns 0; or -1 for a DHIS2 period type
 * the contract lacks, with *type naming it (weekly, daily, ...); or -2 for
 * text that is no period at all. */
int ct_dhis2_period_in(const char *s, char out[16], const char **type);

/* The month a daily (20250715) or ISO weekly (2025W29: the month of its
 * Thursday) period id falls in, as 2025-07 in out (16 bytes); -1 for other
 * ids. */
int ct_dhis2_period_month(const char *s, char out[16]);

#endif
