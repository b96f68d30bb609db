/* The rows of observations.csv, read in one pass over a window of the
 * file: each row is checked, its value written into its cell, and what the
 * rows hold (unknown units and metrics, cells given twice, the span of the
 * data) noted. ct_data runs the passes; this module reads the rows. */
#ifndef CT_ROWS_H
#define CT_ROWS_H

#include <pthread.h>
#include <stddef.h>

#include "../core/ct_error.h"
#include "../core/ct_strmap.h"
#include "../model/ct_series.h"
#include "ct_csv.h"

/* Errors reported per file before reading stops. */
enum { CT_ROWS_MAX_ERRORS = 100 };

/* A cell given again (kept until every row is checked: like the other
 * findings about cells, they are reported only for a file whose rows are all
 * valid). */
typedef struct {
    int unit, metric, line, first_line;
    ct_period period;
    double value, first;
    size_t cell;
} ct_rows_dup;

typedef struct {
    ct_rows_dup *items;
    size_t n, cap;
} ct_rows_dups;

/* Unknown unit codes and metric names, reported once each with a count
 * rather than once per row. */
typedef struct {
    ct_strmap names;      /* "u:CODE" or "m:NAME" -> slot */
    int *first_line;
    size_t *rows;
    int n, cap;
} ct_rows_tally;

/* What the previous rows resolved: files are usually sorted by unit, then
 * period, with metrics in a repeating order, so most look-ups are a compare.
 * The texts are copies: the window they were read from moves. */
typedef struct {
    char unit_text[64];
    size_t unit_len;      /* > sizeof unit_text: nothing cached */
    int unit;
    char period_text[32];
    size_t period_len;
    ct_period period;
    int first_month, last_month; /* of period */
    int period_placed;    /* period_idx and period_np are those of period */
    int period_idx, period_np; /* its index in the span, the periods of its type */
    int metric;           /* the previous row's metric, -1 */
    int *next_metric;     /* the metric that followed each metric last time */
    int *next_unit;       /* the unit that followed each unit last time (second pass) */
    int unit_history;     /* the unit's code names others at other times, or it has a validity */
} ct_rows_cache;

/* What the first pass finds: the span of the rows that hold a value of a
 * used metric (the rows the second pass stores, when every row is valid),
 * the rows at its two ends, and each metric's finest period type. */
typedef struct {
    int any;
    int first_month, last_month;
    ct_period lo, hi;
    int lo_line, hi_line;
} ct_rows_span;

/* One reading of the rows (the second pass, or the third that finds the
 * first lines of cells given twice). */
typedef struct {
    ct_series *s;
    ct_csv *r;
    const int *col;
    int ncols;
    int store;            /* the arrays are sized: write the values (else check only) */
    int shared;           /* another reader writes into the same arrays at once */
    size_t stop_at;       /* read the rows that start before this offset */
    size_t *n_obs;        /* per metric: the cells this pass filled */
    int track;            /* note the span and finest types in span, finest */
    ct_rows_span span;
    int *finest;
    int count_misses;     /* the arrays may be too small: count the rows that do not fit */
    int grow;             /* make the arrays of a metric or type that has none (the span must fit) */
    pthread_mutex_t *lock; /* held while arrays are made, when two readers share them */
    size_t misses;
    int whole;            /* every row up to stop_at (or the end) was read */
    int find;             /* third pass: note the first line of the cells in dups */
    size_t pending;       /* third pass: cells whose first line is still unknown */
    ct_rows_tally unk;
    ct_rows_cache cache;
    ct_diags diags;
    ct_rows_dups dups;
    size_t errors, unknown_rows;
    ct_status st;
} ct_rows_pass;

/* Starts a pass over reader r, whose columns unit, period, metric and value
 * are col[0..3] of ncols (ct_rows_header); nothing is stored until the
 * caller sets store. ps->st is CT_ENOMEM when it cannot be set up. */
void ct_rows_init(ct_rows_pass *ps, ct_series *s, ct_csv *r, const int *col, int ncols);
void ct_rows_free(ct_rows_pass *ps);

/* Reads the rows from the reader's position up to ps->stop_at (or the end
 * of the file), or until CT_ROWS_MAX_ERRORS errors. */
void ct_rows_read(ct_rows_pass *ps);

/* Whether a pass found nothing to report and stored every row it read. */
int ct_rows_clean(const ct_rows_pass *ps);

/* Reads the header row: the column of each of unit, period, metric, value
 * (an error names a missing one). */
ct_status ct_rows_header(const ct_series *s, ct_csv *r, int col[4], int *ncols, ct_diags *d);

/* The first pass: the span and finest types of the rows from the reader's
 * position up to stop_at, added to sp and finest (per metric). Rows are not
 * checked; a row that does not parse is passed over. */
ct_status ct_rows_scan(const ct_series *s, ct_csv *r, const int *col, int ncols, size_t stop_at,
                       int *finest, ct_rows_span *sp);

/* Adds a later part's span to a's; line_at_split: the line where the part
 * starts (b's lines count from 1 there). Equal months keep a's row. */
void ct_rows_span_merge(ct_rows_span *a, const ct_rows_span *b, int line_at_split);

/* Adds one error per unknown unit code or metric name the pass met, with
 * its row count and first line. */
void ct_rows_report_unknown(const ct_series *s, ct_rows_pass *ps, ct_diags *d);

#endif
