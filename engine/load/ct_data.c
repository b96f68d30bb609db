#include "ct_data.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/ct_number.h"
#include "../load/ct_plan.h"
#include "ct_units.h"
#include "ct_csv.h"

enum { MAX_COLS = CT_CSV_MAX_COLS };

/* ---- observations.csv ------------------------------------------------------ */

/* The file is read twice through a window of a few megabytes (ct_csv_stream),
 * so that memory goes with the dense arrays, not with the file or a buffer
 * of its rows: a first pass checks the text and finds the span of periods
 * and each metric's finest period type (from the rows that hold a value of a
 * used metric); the arrays are then sized, and a second pass checks every row
 * and writes its value straight into its cell. A cell given twice is found
 * there; the line of its first value is searched for by a third pass, only
 * when there are such cells. */

/* A cell given again (kept until every row is checked: like the other
 * findings about cells, they are reported only for a file whose rows are all
 * valid). */
typedef struct {
    int unit, metric, line, first_line;
    ct_period period;
    double value, first;
    size_t cell;
} dup_rec;

typedef struct {
    dup_rec *items;
    size_t n, cap;
} dup_list;

/* Unknown unit codes and metric names, reported once each with a count
 * rather than once per row. */
typedef struct {
    ct_strmap names;      /* "u:CODE" or "m:NAME" -> slot */
    int *first_line;
    size_t *rows;
    int n, cap;
} unknown_tally;

static int tally(unknown_tally *t, char kind, ct_field name, int line)
{
    char key[256];
    int n = name.len < sizeof key - 3 ? (int)name.len : (int)sizeof key - 3;
    key[0] = kind;
    key[1] = ':';
    memcpy(key + 2, name.ptr, (size_t)n);
    int slot = ct_strmap_get(&t->names, key, (size_t)n + 2);
    if (slot >= 0) { t->rows[slot]++; return 0; }
    if (t->n == t->cap) {
        int nc = t->cap ? t->cap * 2 : 16;
        int *fl = realloc(t->first_line, (size_t)nc * sizeof *fl);
        if (!fl) return -1;
        t->first_line = fl;
        size_t *rw = realloc(t->rows, (size_t)nc * sizeof *rw);
        if (!rw) return -1;
        t->rows = rw;
        t->cap = nc;
    }
    if (ct_strmap_put(&t->names, key, (size_t)n + 2, t->n) < 0) return -1;
    t->first_line[t->n] = line;
    t->rows[t->n] = 1;
    t->n++;
    return 1;
}

static void report_unknown(const ct_series *s, unknown_tally *t, ct_diags *d)
{
    const char **keys = calloc((size_t)(t->n ? t->n : 1), sizeof *keys);
    if (!keys) return;
    for (size_t i = 0; i < t->names.cap; i++)
        if (t->names.keys[i]) keys[t->names.vals[i]] = t->names.keys[i];
    for (int slot = 0; slot < t->n; slot++) {
        const char *key = keys[slot];
        size_t rows = t->rows[slot];
        if (key[0] == 'm')
            ct_error_at(d, s->obs_path, t->first_line[slot], 0,
                        "metric '%s' is not declared by any loaded plan%s%s (%zu row%s, the first here)",
                        key + 2, s->dict_path ? " nor by " : "", s->dict_path ? s->dict_path : "", rows, rows == 1 ? "" : "s");
        else
            ct_error_at(d, s->obs_path, t->first_line[slot], 0,
                        "unit '%s' is not in %s (%zu row%s, the first here)",
                        key + 2, s->units_path, rows, rows == 1 ? "" : "s");
    }
    free(keys);
}

enum { MAX_ERRORS_PER_FILE = 100 };

/* whole: v was written as an integer (no need to ask floor). */
static int check_value(const ct_metric *mt, double v, int whole)
{
    switch (mt->type) {
    case CT_MT_BOOLEAN: return v == 0 || v == 1;
    case CT_MT_COUNT: return v >= 0 && (whole || v == floor(v));
    default: return 1;
    }
}

static const char *value_rule(const ct_metric *mt)
{
    switch (mt->type) {
    case CT_MT_BOOLEAN: return "0 or 1 (boolean)";
    case CT_MT_COUNT: return "a whole number >= 0 (count)";
    default: return "a number";
    }
}

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
    int metric;           /* the previous row's metric, -1 */
    int *next_metric;     /* the metric that followed each metric last time */
    int *next_unit;       /* the unit that followed each unit last time (second pass) */
    int unit_history;     /* the unit's code names others at other times, or it has a validity */
} row_cache;

static int cache_init(row_cache *c, const ct_series *s)
{
    memset(c, 0, sizeof *c);
    c->unit_len = c->period_len = SIZE_MAX;
    c->metric = -1;
    c->next_metric = malloc((size_t)(s->n_metrics + 1) * sizeof *c->next_metric);
    if (!c->next_metric) return -1;
    for (int m = 0; m <= s->n_metrics; m++) c->next_metric[m] = -1;
    return 0;
}

/* Texts here are a few bytes long: word compares beat a call to memcmp. */
static int same_bytes(const char *a, const char *b, size_t n)
{
    if (n >= 8) {
        uint64_t x, y;
        for (size_t i = 0; i + 8 < n; i += 8) {
            memcpy(&x, a + i, 8);
            memcpy(&y, b + i, 8);
            if (x != y) return 0;
        }
        memcpy(&x, a + n - 8, 8);
        memcpy(&y, b + n - 8, 8);
        return x == y;
    }
    if (n >= 4) {
        uint32_t x, y, u, v;
        memcpy(&x, a, 4);
        memcpy(&y, b, 4);
        memcpy(&u, a + n - 4, 4);
        memcpy(&v, b + n - 4, 4);
        return x == y && u == v;
    }
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i]) return 0;
    return 1;
}

/* Whether the NUL-terminated code is exactly the field's text. */
static int code_is(const char *code, ct_field f)
{
    size_t i = 0;
    for (; i < f.len; i++)
        if (code[i] == '\0' || code[i] != f.ptr[i]) return 0;
    return code[i] == '\0';
}

static int cached_text(const char *buf, size_t len, ct_field f)
{
    return len == f.len && same_bytes(buf, f.ptr, f.len);
}

static void cache_text(char *buf, size_t size, size_t *len, ct_field f)
{
    if (f.len > size) { *len = SIZE_MAX; return; }
    memcpy(buf, f.ptr, f.len);
    *len = f.len;
}

static int cached_metric(const ct_series *s, row_cache *c, ct_field name)
{
    int guess = c->metric >= 0 ? c->next_metric[c->metric] : -1;
    int m;
    if (guess >= 0 && s->metrics[guess].name_len == name.len &&
        same_bytes(s->metrics[guess].name, name.ptr, name.len))
        m = guess;
    else
        m = ct_series_metric(s, name.ptr, name.len);
    if (c->metric >= 0) c->next_metric[c->metric] = m;
    c->metric = m;
    return m;
}

/* A plain decimal integer, the common case, without strtod (*whole set). */
static int parse_value(ct_field f, double *out, int *whole)
{
    if (f.len > 0 && f.len < 16) {
        long long v = 0;
        size_t i = f.ptr[0] == '-' ? 1 : 0;
        if (i < f.len) {
            for (; i < f.len && f.ptr[i] >= '0' && f.ptr[i] <= '9'; i++) v = v * 10 + (f.ptr[i] - '0');
            if (i == f.len) { *out = (double)(f.ptr[0] == '-' ? -v : v); *whole = 1; return 0; }
        }
    }
    return ct_field_double(f, out);
}

/* What the first pass finds: the span of the rows that hold a value of a
 * used metric (the rows the second pass stores, when every row is valid),
 * the rows at its two ends, and each metric's finest period type. */
typedef struct {
    int any;
    int first_month, last_month;
    ct_period lo, hi;
    int lo_line, hi_line;
} span_scan;

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
    span_scan span;
    int *finest;
    int count_misses;     /* the arrays may be too small: count the rows that do not fit */
    size_t misses;
    int whole;            /* every row up to stop_at (or the end) was read */
    int find;             /* third pass: note the first line of the cells in dups */
    size_t pending;       /* third pass: cells whose first line is still unknown */
    unknown_tally unk;
    row_cache cache;
    ct_diags diags;
    dup_list dups;
    size_t errors, unknown_rows;
    ct_status st;
} obs_pass;

/* Writes value v of row `line` into its cell, or notes the cell as given
 * again; returns 0, -1 on a bad row, -2 out of memory. */
static int store_value(obs_pass *ps, int u, int m, ct_period p, double v, int line)
{
    ct_series *s = ps->s;
    ct_metric *mt = &s->metrics[m];
    int t = p.type;
    int np = ct_series_n_periods(s, (ct_ptype)t);
    int idx = ct_period_index(p, s->year0);
    if (t > mt->finest || !mt->vals[t] || idx < 0 || idx >= np) {
        if (ps->count_misses) { ps->misses++; return 0; }
        /* the first pass did not see this row */
        ct_error_at(&ps->diags, s->obs_path, line, 0, "the file changed while it was read; read it again");
        return -1;
    }
    size_t cell = ct_series_cell(s, mt, s->level_pos[u], idx);
    if (ps->find) {
        for (size_t i = 0; i < ps->dups.n && i < MAX_ERRORS_PER_FILE; i++) {
            dup_rec *dr = &ps->dups.items[i];
            if (dr->first_line == 0 && dr->metric == m && dr->period.type == t && dr->cell == cell) {
                dr->first_line = line;
                ps->pending--;
            }
        }
        return 0;
    }
    double *slot = &mt->vals[t][cell];
    if (ps->shared) {
        /* the other reader may fill the same cell (a cell given in both
         * halves): both may then find it empty, which the count of filled
         * cells shows once they are done (read_rows_split) */
        double old;
        __atomic_load(slot, &old, __ATOMIC_RELAXED);
        if (isnan(old)) {
            __atomic_store(slot, &v, __ATOMIC_RELAXED);
            ps->n_obs[m]++;
            return 0;
        }
    } else if (isnan(*slot)) {
        *slot = v;
        ps->n_obs[m]++;
        return 0;
    }
    dup_list *dl = &ps->dups;
    if (dl->n == dl->cap) {
        size_t nc = dl->cap ? dl->cap * 2 : 16;
        dup_rec *ni = realloc(dl->items, nc * sizeof *ni);
        if (!ni) return -2;
        dl->items = ni;
        dl->cap = nc;
    }
    dl->items[dl->n++] = (dup_rec){u, m, line, 0, p, v, *slot, cell};
    return 0;
}

/* The row's period (cached: files repeat it), or -1 when it is not one. */
static int row_period(row_cache *c, ct_field per, ct_period *p)
{
    if (cached_text(c->period_text, c->period_len, per)) { *p = c->period; return 0; }
    if (ct_period_parse(per.ptr, per.len, p) != 0) return -1;
    cache_text(c->period_text, sizeof c->period_text, &c->period_len, per);
    c->period = *p;
    c->first_month = ct_period_first_month(*p);
    c->last_month = ct_period_last_month(*p);
    return 0;
}

/* Notes a row holding a value of a used metric in the span and the finest
 * types (what the first pass finds: see scan_span). */
static void track_row(span_scan *sp, int *finest, const row_cache *c, int m, int line)
{
    ct_period p = c->period;
    if (p.type > finest[m]) finest[m] = p.type;
    if (!sp->any || c->first_month < sp->first_month) { sp->first_month = c->first_month; sp->lo = p; sp->lo_line = line; }
    if (!sp->any || c->last_month > sp->last_month) { sp->last_month = c->last_month; sp->hi = p; sp->hi_line = line; }
    sp->any = 1;
}

/* The unit of a row's code (cached), or -1. */
static int row_unit(const ct_series *s, row_cache *c, ct_field code)
{
    if (cached_text(c->unit_text, c->unit_len, code)) return c->unit;
    /* files sorted by period list the units in the same order each time */
    int prev = c->unit, guess = prev >= 0 && c->next_unit ? c->next_unit[prev] : -1;
    int u;
    if (guess >= 0 && !s->reused[guess] && code_is(s->code[guess], code))
        u = guess;
    else
        u = ct_series_unit(s, code.ptr, code.len);
    if (prev >= 0 && c->next_unit) c->next_unit[prev] = u;
    c->unit = u;
    c->unit_history = u >= 0 && (s->reused[u] || s->orig_first[u] != INT_MIN || s->orig_last[u] != INT_MAX);
    cache_text(c->unit_text, sizeof c->unit_text, &c->unit_len, code);
    return u;
}

/* Checks one row and stores its value; returns 0 (stored or no data), -1 on
 * a bad row, -2 out of memory, -3 an unknown unit or metric (tallied). */
static int parse_obs_row(obs_pass *ps, const ct_field *f, int line)
{
    ct_series *s = ps->s;
    const int *col = ps->col;
    row_cache *c = &ps->cache;
    unknown_tally *unk = &ps->unk;
    ct_diags *d = &ps->diags;
    const char *path = s->obs_path;
    ct_field code = ct_field_trim(f[col[0]]), per = ct_field_trim(f[col[1]]), met = ct_field_trim(f[col[2]]), val = ct_field_trim(f[col[3]]);
    int m = cached_metric(s, c, met);
    ct_period p;
    int bad_period = row_period(c, per, &p);
    if (ps->track && val.len && m >= 0 && s->metrics[m].used && s->metrics[m].level >= 0 && !bad_period)
        track_row(&ps->span, ps->finest, c, m, line);
    int u = row_unit(s, c, code);
    if (u < 0) {
        if (code.len == 0) {
            ct_error_at(d, path, line, 0, "empty unit code");
            return -1;
        }
        int rc = tally(unk, 'u', code, line);
        return rc < 0 ? -2 : -3;
    }
    if (bad_period) {
        ct_error_at(d, path, line, 0, "'%.*s' is not a period (2016, 2016S1, 2016Q1, 2016-01 or 201601)", (int)per.len, per.ptr);
        return -1;
    }
    if (c->unit_history) {
        /* a unit with a history: the one with this code valid in the period */
        int v = ct_series_unit_during(s, code.ptr, code.len, c->first_month, c->last_month);
        char pb[CT_PERIOD_BUF];
        if (v < 0 && val.len == 0) return 0; /* an empty value says nothing */
        if (v < 0) ct_period_format(p, pb);
        if (v == -2) {
            ct_error_at(d, path, line, 0, "unit code %s names several units during %s (see %s); report it by a period within one of them",
                        s->code[u], pb, s->units_path);
            return -1;
        }
        if (v < 0) {
            ct_error_at(d, path, line, 0, "unit %s is not valid in %s (%s:%d)", s->code[u], pb, s->units_path, s->line[u]);
            return -1;
        }
        u = v;
    }
    if (m < 0) {
        int rc = tally(unk, 'm', met, line);
        return rc < 0 ? -2 : -3;
    }
    ct_metric *mt = &s->metrics[m];
    if (mt->level >= 0 && s->level[u] != mt->level) {
        ct_error_at(d, path, line, 0, "metric %s is reported at level %s, but unit %s is a %s", mt->name,
                    s->level_name[mt->level], s->code[u], s->level_name[s->level[u]]);
        return -1;
    }
    if (val.len == 0) return 0; /* no data */
    double v;
    int whole = 0;
    int bad_number = parse_value(val, &v, &whole);
    if (bad_number != 0) {
        ct_error_at(d, path, line, 0, "value '%.*s' %s", (int)(val.len > 80 ? 80 : val.len), val.ptr,
                    ct_number_problem((ct_number_status)bad_number));
        return -1;
    }
    if (!check_value(mt, v, whole)) {
        ct_error_at(d, path, line, 0, "value %.*s of metric %s must be %s", (int)val.len, val.ptr, mt->name, value_rule(mt));
        return -1;
    }
    if (!mt->used || mt->level < 0) return 0; /* validated, and left aside: no loaded plan reads it */
    if (!ps->store) return 0;
    return store_value(ps, u, m, p, v, line);
}

static void pass_init(obs_pass *ps, ct_series *s, ct_csv *r, const int *col, int ncols)
{
    memset(ps, 0, sizeof *ps);
    ps->s = s;
    ps->r = r;
    ps->col = col;
    ps->ncols = ncols;
    ct_diags_init(&ps->diags);
    ct_strmap_init(&ps->unk.names);
    if (cache_init(&ps->cache, s) != 0) ps->st = CT_ENOMEM;
    ps->cache.unit = -1;
    ps->stop_at = SIZE_MAX;
    ps->cache.next_unit = malloc((size_t)(s->n_units + 1) * sizeof *ps->cache.next_unit);
    ps->n_obs = calloc((size_t)s->n_metrics + 1, sizeof *ps->n_obs);
    if (!ps->cache.next_unit || !ps->n_obs) ps->st = CT_ENOMEM;
    for (int u = 0; ps->cache.next_unit && u <= s->n_units; u++) ps->cache.next_unit[u] = -1;
}

static void pass_free(obs_pass *ps)
{
    free(ps->cache.next_metric);
    free(ps->cache.next_unit);
    free(ps->n_obs);
    ct_strmap_free(&ps->unk.names);
    free(ps->unk.first_line);
    free(ps->unk.rows);
    ct_diags_free(&ps->diags);
    free(ps->dups.items);
}

static void read_rows(obs_pass *ps)
{
    ct_field f[MAX_COLS];
    int n;
    while (ps->st == CT_OK && !(ps->find && ps->pending == 0) && ct_csv_tell(ps->r) < ps->stop_at &&
           (n = ct_csv_next(ps->r, f, MAX_COLS, &ps->diags)) != 0) {
        int rc;
        if (n < 0) rc = -1;
        else if (n != ps->ncols) {
            ct_error_at(&ps->diags, ps->s->obs_path, ps->r->row_line, 0, "%d fields where the header has %d", n, ps->ncols);
            rc = -1;
        } else {
            rc = parse_obs_row(ps, f, ps->r->row_line);
        }
        if (rc == -2) { ps->st = CT_ENOMEM; break; }
        if (rc == -3) { ps->unknown_rows++; continue; }
        if (rc < 0 && ++ps->errors >= MAX_ERRORS_PER_FILE) {
            ct_error_at(&ps->diags, ps->s->obs_path, ps->r->row_line, 0, "too many errors; stopped reading this file");
            break;
        }
    }
    if (ps->st == CT_OK && ps->r->fatal != CT_OK) ps->st = ps->r->fatal;
    ps->whole = ps->st == CT_OK && ps->errors < MAX_ERRORS_PER_FILE;
}

/* The header row: the column of each of unit, period, metric, value. */
static ct_status read_header(const ct_series *s, ct_csv *r, int col[4], int *ncols, ct_diags *d)
{
    ct_field hdr[MAX_COLS];
    if ((*ncols = ct_csv_header(r, hdr, d)) < 0) return r->fatal != CT_OK ? r->fatal : CT_EINPUT;
    static const char *const names[] = {"unit", "period", "metric", "value"};
    int bad = 0;
    for (int i = 0; i < 4; i++) {
        col[i] = ct_csv_col(hdr, *ncols, names[i]);
        if (col[i] < 0) {
            ct_error_at(d, s->obs_path, 1, 0, "missing column '%s' (the header needs unit,period,metric,value)", names[i]);
            bad = 1;
        }
    }
    return bad ? CT_EINPUT : CT_OK;
}


static ct_status scan_span(const ct_series *s, ct_csv *r, const int *col, int ncols, size_t stop_at,
                           int *finest, span_scan *sp)
{
    row_cache c;
    if (cache_init(&c, s) != 0) return CT_ENOMEM;
    ct_diags scratch; /* the second pass reports the rows' errors */
    ct_diags_init(&scratch);
    ct_field f[MAX_COLS];
    int n;
    while (ct_csv_tell(r) < stop_at && (n = ct_csv_next(r, f, MAX_COLS, &scratch)) != 0) {
        if (scratch.n > 1000) {
            ct_diags_free(&scratch);
            ct_diags_init(&scratch);
        }
        if (n != ncols) continue;
        ct_field val = ct_field_trim(f[col[3]]);
        if (val.len == 0) continue;
        int m = cached_metric(s, &c, ct_field_trim(f[col[2]]));
        if (m < 0) continue;
        const ct_metric *mt = &s->metrics[m];
        if (!mt->used || mt->level < 0) continue;
        ct_period p;
        if (row_period(&c, ct_field_trim(f[col[1]]), &p) != 0) continue;
        track_row(sp, finest, &c, m, r->row_line);
    }
    ct_diags_free(&scratch);
    free(c.next_metric);
    return r->fatal;
}

/* Reports the cells given twice, in file order, naming the line of the first
 * value (found by a third pass): an error when the values differ, a warning
 * when they agree. */
static ct_status report_dups(ct_series *s, ct_csv *r, const int *col, int ncols, dup_list *dl, ct_diags *d)
{
    obs_pass ps;
    pass_init(&ps, s, r, col, ncols);
    ps.store = 1;
    ps.find = 1;
    ps.dups = *dl;
    ps.pending = dl->n < MAX_ERRORS_PER_FILE ? dl->n : MAX_ERRORS_PER_FILE;
    int ignored[4];
    int nc;
    ct_status st = ps.st;
    if (st == CT_OK) st = ct_csv_rewind(r);
    if (st == CT_OK) st = read_header(s, r, ignored, &nc, &ps.diags);
    if (st == CT_OK) read_rows(&ps);
    if (st == CT_OK) st = ps.st;
    *dl = ps.dups;
    ps.dups.items = NULL;
    pass_free(&ps);
    size_t dup_errors = 0;
    for (size_t i = 0; i < dl->n; i++) {
        const dup_rec *dr = &dl->items[i];
        const ct_metric *mt = &s->metrics[dr->metric];
        char pb[CT_PERIOD_BUF], first[32] = "earlier";
        ct_period_format(dr->period, pb);
        if (i < MAX_ERRORS_PER_FILE) snprintf(first, sizeof first, "at line %d", dr->first_line);
        if (dr->first == dr->value) {
            ct_warn_at(d, s->obs_path, dr->line, 0, "%s %s %s given again with the same value (first %s)",
                       s->code[dr->unit], pb, mt->name, first);
        } else if (dup_errors++ < MAX_ERRORS_PER_FILE) {
            ct_error_at(d, s->obs_path, dr->line, 0, "%s %s %s is %g here but %g %s",
                        s->code[dr->unit], pb, mt->name, dr->value, dr->first, first);
        }
    }
    if (st == CT_OK && dup_errors) st = CT_EINPUT;
    return st;
}

/* --as-of: values of periods that end after the cut-off were not known
 * then. They were read and checked like the rest; now they are dropped. */
static void forget_after_cutoff(ct_series *s)
{
    for (int m = 0; m < s->n_metrics; m++) {
        ct_metric *mt = &s->metrics[m];
        for (int t = 0; t <= mt->finest; t++) {
            int np = ct_series_n_periods(s, (ct_ptype)t);
            int first_late = np;
            for (int i = 0; i < np; i++)
                if (ct_period_last_month(ct_period_from_index((ct_ptype)t, s->year0, i)) > s->cutoff_month) {
                    first_late = i;
                    break;
                }
            for (int u = 0; u < s->level_size[mt->level]; u++) {
                for (int i = first_late; i < np; i++) {
                    double *cell = &mt->vals[t][ct_series_cell(s, mt, u, i)];
                    if (!isnan(*cell)) { s->n_after_cutoff++; mt->n_obs--; }
                    *cell = NAN;
                }
            }
        }
    }
}


/* ---- large files ------------------------------------------------------------- */

/* A large file is read once when it can be: the arrays are sized from a
 * sample of its rows (a few windows spread over the file), and the one
 * pass that checks and stores every row also finds the exact span and
 * finest types, as the first pass would. When the sample saw less than the
 * whole file holds (a row did not fit), the arrays are sized again from
 * what that pass found, and the rows are read again.
 *
 * On two processors the rows are read by two threads: this one up to the
 * first line that starts past the middle, another from there. A pass keeps
 * the two halves' work only when they join at that line (a quoted field
 * running across it would have started the second reader inside a row)
 * and neither found anything to say (an error, an unknown unit or metric,
 * a cell given twice); otherwise the rows are read again in one reader, so
 * that findings are reported in file order exactly as without threads. */

enum { SAMPLE_WINDOWS = 5, SAMPLE_BYTES = 256 << 10 };

/* The offset of the first line that starts at or after `at` (0 when none). */
static size_t line_start_from(int fd, size_t at, size_t size)
{
    if (at == 0) return 0;
    at--; /* a line starting at `at` follows a line end just before it */
    char buf[4096];
    while (at < size) {
        ssize_t n = pread(fd, buf, sizeof buf, (off_t)at);
        if (n <= 0) return 0;
        const char *nl = memchr(buf, '\n', (size_t)n);
        if (nl) {
            at += (size_t)(nl - buf) + 1;
            return at < size ? at : 0;
        }
        at += (size_t)n;
    }
    return 0;
}

static size_t file_size(const ct_csv *r)
{
    struct stat fs;
    return fstat(r->fd, &fs) == 0 && fs.st_size > 0 ? (size_t)fs.st_size : 0;
}

/* Sizes s's arrays for span sp and finest types (freeing any before);
 * *too_long: the span is past CT_DATA_MAX_YEARS (nothing is allocated). */
static ct_status size_arrays(ct_series *s, const span_scan *sp, const int *finest, int *too_long)
{
    for (int m = 0; m < s->n_metrics; m++)
        for (int t = 0; t < CT_PT_COUNT; t++) {
            free(s->metrics[m].vals[t]);
            s->metrics[m].vals[t] = NULL;
        }
    *too_long = sp->any && sp->last_month / 12 - sp->first_month / 12 + 1 > CT_DATA_MAX_YEARS;
    s->year0 = 1;
    s->year1 = 0;
    if (sp->any && !*too_long) {
        s->year0 = sp->first_month / 12;
        s->year1 = sp->last_month / 12;
    }
    for (int t = 0; t < CT_PT_COUNT; t++)
        s->n_periods[t] = s->year0 <= s->year1 ? (s->year1 - s->year0 + 1) * ct_ptype_per_year((ct_ptype)t) : 0;
    ct_status st = CT_OK;
    for (int m = 0; m < s->n_metrics; m++) {
        ct_metric *mt = &s->metrics[m];
        mt->finest = finest[m];
        if (!*too_long && st == CT_OK && mt->used && mt->level >= 0)
            st = ct_series_alloc_metric(s, m, mt->finest < 0 ? 0 : mt->finest);
    }
    return st;
}

/* Whether span sp and finest types would size the arrays as they are. */
static int sized_for(const ct_series *s, const span_scan *sp, const int *finest)
{
    int y0 = sp->any ? sp->first_month / 12 : 1, y1 = sp->any ? sp->last_month / 12 : 0;
    if (y0 != s->year0 || y1 != s->year1) return 0;
    for (int m = 0; m < s->n_metrics; m++)
        if (finest[m] != s->metrics[m].finest) return 0;
    return 1;
}

/* The span and finest types of the rows in a few windows of the file: at
 * most what the whole file holds. */
static ct_status sample_span(const ct_series *s, ct_csv *r, const int *col, int ncols, size_t size,
                             int *finest, span_scan *sp)
{
    ct_status st = scan_span(s, r, col, ncols, SAMPLE_BYTES, finest, sp);
    for (int w = 1; st == CT_OK && w < SAMPLE_WINDOWS; w++) {
        size_t want = w == SAMPLE_WINDOWS - 1 ? (size > SAMPLE_BYTES ? size - SAMPLE_BYTES : 0)
                                              : size / (SAMPLE_WINDOWS - 1) * (size_t)w;
        size_t from = line_start_from(r->fd, want, size);
        if (from == 0) continue;
        ct_diags scratch;
        ct_diags_init(&scratch);
        ct_csv wr;
        if (ct_csv_stream_at(&wr, r->path, from, &scratch) == CT_OK) {
            wr.unchecked = 1;
            span_scan part;
            memset(&part, 0, sizeof part);
            st = scan_span(s, &wr, col, ncols, from + SAMPLE_BYTES, finest, &part);
            if (part.any) {
                if (!sp->any || part.first_month < sp->first_month) sp->first_month = part.first_month;
                if (!sp->any || part.last_month > sp->last_month) sp->last_month = part.last_month;
                sp->any = 1;
            }
            ct_csv_close(&wr);
            if (st != CT_OK) st = CT_OK; /* a window that cannot be read: the pass will tell */
        }
        ct_diags_free(&scratch);
    }
    return st;
}

/* The first pass over the second half (the text is not checked: the second
 * pass does it). */
typedef struct {
    const ct_series *s;
    const char *path;
    size_t from;
    const int *col;
    int ncols;
    int *finest;
    span_scan sp;
    int whole;            /* read to the end without trouble */
} span_half;

static void *span_half_run(void *arg)
{
    span_half *h = arg;
    ct_diags d;
    ct_diags_init(&d);
    ct_csv r;
    if (ct_csv_stream_at(&r, h->path, h->from, &d) == CT_OK) {
        r.unchecked = 1;
        h->whole = scan_span(h->s, &r, h->col, h->ncols, SIZE_MAX, h->finest, &h->sp) == CT_OK;
        ct_csv_close(&r);
    }
    ct_diags_free(&d);
    return NULL;
}

/* Adds the second half's span to the first's; line_at_split: the line where
 * the second half starts. Equal months keep the earlier row. */
static void merge_span(span_scan *a, const span_scan *b, int line_at_split)
{
    if (!b->any) return;
    if (!a->any || b->first_month < a->first_month) {
        a->first_month = b->first_month;
        a->lo = b->lo;
        a->lo_line = b->lo_line + line_at_split - 1;
    }
    if (!a->any || b->last_month > a->last_month) {
        a->last_month = b->last_month;
        a->hi = b->hi;
        a->hi_line = b->hi_line + line_at_split - 1;
    }
    a->any = 1;
}

static void merge_finest(int *a, const int *b, int n)
{
    for (int m = 0; m < n; m++)
        if (b[m] > a[m]) a[m] = b[m];
}

/* The exact first pass (r just past the header), in halves when split (set
 * to 0 when the halves did not join). */
static ct_status scan_spans(ct_series *s, ct_csv *r, const int *col, int ncols, size_t *split,
                            int *finest, span_scan *sp)
{
    span_half h;
    memset(&h, 0, sizeof h);
    pthread_t th;
    int threaded = 0;
    if (*split) {
        h = (span_half){s, r->path, *split, col, ncols, malloc((size_t)(s->n_metrics + 1) * sizeof(int)), {0}, 0};
        if (h.finest) {
            memcpy(h.finest, finest, (size_t)s->n_metrics * sizeof(int));
            threaded = pthread_create(&th, NULL, span_half_run, &h) == 0;
        }
    }
    ct_status st = scan_span(s, r, col, ncols, threaded ? *split : SIZE_MAX, finest, sp);
    if (threaded) {
        pthread_join(th, NULL);
        if (st == CT_OK && h.whole && ct_csv_tell(r) == *split) {
            merge_span(sp, &h.sp, r->line);
            merge_finest(finest, h.finest, s->n_metrics);
        } else if (st == CT_OK) {
            st = scan_span(s, r, col, ncols, SIZE_MAX, finest, sp);
            *split = 0;
        }
    }
    free(h.finest);
    return st;
}

/* The cells that hold a value. */
static size_t filled_cells(const ct_series *s)
{
    size_t n = 0;
    for (int m = 0; m < s->n_metrics; m++) {
        const ct_metric *mt = &s->metrics[m];
        for (int t = 0; t < CT_PT_COUNT; t++) {
            if (!mt->vals[t]) continue;
            size_t cells = (size_t)s->level_size[mt->level] * (size_t)ct_series_n_periods(s, (ct_ptype)t);
            for (size_t i = 0; i < cells; i++) n += !isnan(mt->vals[t][i]);
        }
    }
    return n;
}

/* A pass over the second half. */
typedef struct {
    ct_csv r;
    obs_pass ps;
    ct_diags reader_d;
} rows_half;

static void *rows_half_run(void *arg)
{
    read_rows(&((rows_half *)arg)->ps);
    return NULL;
}

static int pass_clean(const obs_pass *ps)
{
    return ps->st == CT_OK && ps->r->fatal == CT_OK && ps->errors == 0 && ps->unknown_rows == 0 &&
           ps->dups.n == 0 && ps->diags.n == 0 && ps->misses == 0;
}

/* Opens the second half's pass like ps (its own row cache and findings;
 * a copy of ps's finest types when it tracks them). */
static int half_open(rows_half *h, const obs_pass *ps, size_t split)
{
    memset(h, 0, sizeof *h);
    ct_diags_init(&h->reader_d);
    if (ct_csv_stream_at(&h->r, ps->r->path, split, &h->reader_d) != CT_OK) return -1;
    pass_init(&h->ps, ps->s, &h->r, ps->col, ps->ncols);
    h->ps.store = ps->store;
    h->ps.shared = 1;
    h->ps.track = ps->track;
    h->ps.count_misses = ps->count_misses;
    if (ps->track) {
        h->ps.finest = malloc((size_t)(ps->s->n_metrics + 1) * sizeof(int));
        if (!h->ps.finest) h->ps.st = CT_ENOMEM;
        else memcpy(h->ps.finest, ps->finest, (size_t)ps->s->n_metrics * sizeof(int));
    }
    return h->ps.st == CT_OK ? 0 : -1;
}

static void half_close(rows_half *h, int opened)
{
    if (opened) {
        free(h->ps.finest);
        pass_free(&h->ps);
    }
    ct_csv_close(&h->r);
    ct_diags_free(&h->reader_d);
}

/* A pass in halves (ps just past the header). Returns 1 when the halves
 * joined and both were read whole: ps then holds both halves' counts,
 * misses and tracked span; clean tells whether neither had anything to
 * report and no cell was given in both. 0: nothing of it can be used. */
static int read_halves(obs_pass *ps, size_t split, int *clean)
{
    rows_half h;
    int opened = half_open(&h, ps, split) == 0;
    *clean = 0;
    /* what the reader cannot read is reported by the pass in one reader */
    ct_diags scratch, *fatal_d = ps->r->fatal_d;
    ct_diags_init(&scratch);
    ps->r->fatal_d = &scratch;
    ps->shared = 1;
    ps->stop_at = split;
    pthread_t th;
    int ok = opened && pthread_create(&th, NULL, rows_half_run, &h) == 0;
    if (ok) {
        read_rows(ps);
        pthread_join(th, NULL);
        ok = ps->whole && h.ps.whole && ct_csv_tell(ps->r) == split && ps->st == CT_OK && h.ps.st == CT_OK;
    }
    if (ok) {
        *clean = pass_clean(ps) && pass_clean(&h.ps);
        size_t stored = 0;
        for (int m = 0; m < ps->s->n_metrics; m++) {
            stored += ps->n_obs[m] + h.ps.n_obs[m];
            ps->n_obs[m] += h.ps.n_obs[m];
        }
        /* a cell both halves found empty was counted twice */
        if (*clean && ps->store) *clean = stored == filled_cells(ps->s);
        ps->misses += h.ps.misses;
        if (ps->track) {
            merge_span(&ps->span, &h.ps.span, ps->r->line);
            merge_finest(ps->finest, h.ps.finest, ps->s->n_metrics);
        }
    }
    half_close(&h, opened);
    ps->r->fatal_d = fatal_d;
    ct_diags_free(&scratch);
    ps->shared = 0;
    ps->stop_at = SIZE_MAX;
    return ok;
}

/* Starts ps over from the file's first row, with nothing found yet. */
static ct_status pass_restart(obs_pass *ps, int *col, int *ncols, int store, ct_diags *d)
{
    ct_series *s = ps->s;
    ct_csv *r = ps->r;
    pass_free(ps);
    pass_init(ps, s, r, col, *ncols);
    ps->store = store;
    ct_status st = ps->st;
    if (st == CT_OK) st = ct_csv_rewind(r);
    if (st == CT_OK) st = read_header(s, r, col, ncols, d);
    return st;
}

/* The checking pass on exactly sized arrays (unless store is 0: the span is
 * refused): in halves when split and they come out clean, else in one
 * reader, whose findings are reported. */
static ct_status read_all_rows(obs_pass *ps, int *col, int *ncols, size_t split, ct_diags *d)
{
    int store = ps->store;
    ct_status st = pass_restart(ps, col, ncols, store, d);
    if (st != CT_OK) return st;
    int clean;
    if (split && store && read_halves(ps, split, &clean) && clean) return CT_OK;
    if (split && store) {
        for (int m = 0; m < ps->s->n_metrics; m++)
            for (int t = 0; t < CT_PT_COUNT; t++) {
                ct_metric *mt = &ps->s->metrics[m];
                size_t n = mt->vals[t] ? (size_t)ps->s->level_size[mt->level] * (size_t)ct_series_n_periods(ps->s, (ct_ptype)t) : 0;
                for (size_t i = 0; i < n; i++) mt->vals[t][i] = NAN;
            }
        st = pass_restart(ps, col, ncols, store, &ps->diags);
        if (st != CT_OK) return st;
    }
    read_rows(ps);
    return ps->st;
}

/* The one pass of a large file on arrays sized from a sample. Returns 1
 * when it stands (nothing to report, every row fitted, the arrays sized
 * exactly); else 0, and *exact tells whether sp and finest now hold the
 * exact span and finest types (every row was read). */
static int read_once(obs_pass *ps, size_t split, const int *finest0, int *finest, span_scan *sp, int *exact)
{
    ct_series *s = ps->s;
    ps->track = 1;
    ps->count_misses = 1;
    ps->finest = finest;
    memcpy(finest, finest0, (size_t)s->n_metrics * sizeof *finest);
    memset(&ps->span, 0, sizeof ps->span);
    int clean = 0;
    *exact = 0;
    ct_diags scratch, *fatal_d = ps->r->fatal_d;
    ct_diags_init(&scratch);
    ps->r->fatal_d = &scratch;
    if (split) {
        *exact = read_halves(ps, split, &clean);
    } else {
        read_rows(ps);
        *exact = ps->whole;
        clean = pass_clean(ps);
    }
    ps->r->fatal_d = fatal_d;
    ct_diags_free(&scratch);
    if (ps->st == ps->r->fatal) ps->st = CT_OK; /* read again, in one reader that reports */
    *sp = ps->span;
    ps->track = ps->count_misses = 0;
    ps->finest = NULL;
    return *exact && clean && sized_for(s, sp, finest);
}

ct_status ct_data_load_observations(ct_series *s, const char *path, ct_diags *d)
{
    s->obs_path = ct_arena_strdup(&s->arena, path);
    ct_csv r;
    ct_status st = ct_csv_stream(&r, path, d);
    if (st != CT_OK) return st;
    r.unchecked = 1; /* a pass that only sizes the arrays; the checking pass reads the text */
    int col[4], ncols = 0;
    span_scan sp;
    memset(&sp, 0, sizeof sp);
    size_t size = file_size(&r);
    int large = s->obs_split_bytes && size >= s->obs_split_bytes;
    size_t split = large && sysconf(_SC_NPROCESSORS_ONLN) >= 2 ? line_start_from(r.fd, size / 2, size) : 0;
    int *finest = malloc((size_t)(s->n_metrics + 1) * sizeof *finest);
    int *finest0 = malloc((size_t)(s->n_metrics + 1) * sizeof *finest0);
    if (!finest || !finest0) st = CT_ENOMEM;
    for (int m = 0; st == CT_OK && m < s->n_metrics; m++) finest[m] = finest0[m] = s->metrics[m].finest;
    if (st == CT_OK) st = read_header(s, &r, col, &ncols, d);
    int too_long = 0, done = 0, checked = 0;
    obs_pass ps;
    pass_init(&ps, s, &r, col, ncols);
    if (st == CT_OK && large) {
        st = sample_span(s, &r, col, ncols, size, finest, &sp);
        if (st == CT_OK) st = size_arrays(s, &sp, finest, &too_long);
        int exact = 0;
        if (st == CT_OK && !too_long) {
            r.unchecked = 0;
            ps.store = 1;
            st = pass_restart(&ps, col, &ncols, 1, d);
            if (st == CT_OK) done = read_once(&ps, split, finest0, finest, &sp, &exact);
            if (st == CT_OK) st = ps.st;
        }
        if (st == CT_OK && !done && !exact) {
            /* the exact first pass */
            r.unchecked = 1;
            memcpy(finest, finest0, (size_t)s->n_metrics * sizeof *finest);
            memset(&sp, 0, sizeof sp);
            st = ct_csv_rewind(&r);
            if (st == CT_OK) st = read_header(s, &r, col, &ncols, d);
            if (st == CT_OK) st = scan_spans(s, &r, col, ncols, &split, finest, &sp);
        }
    } else if (st == CT_OK) {
        st = scan_span(s, &r, col, ncols, SIZE_MAX, finest, &sp);
    }
    if (st == CT_OK && !done) {
        r.unchecked = 0;
        st = size_arrays(s, &sp, finest, &too_long);
        ps.store = !too_long;
        /* Memory goes with units x periods from the first year to the last: a
         * span past CT_DATA_MAX_YEARS is refused, naming the rows at its two
         * ends (once every row is known to be valid). */
        if (st == CT_OK) st = read_all_rows(&ps, col, &ncols, split, d);
        checked = 1;
    }
    free(finest);
    free(finest0);
    for (int m = 0; m < s->n_metrics; m++) s->metrics[m].n_obs += ps.n_obs[m];
    if (checked) {
        for (size_t i = 0; i < ps.diags.n; i++) {
            const ct_diag *dg = &ps.diags.items[i];
            ct_diag_add(d, dg->sev, dg->file, dg->line, dg->col, "%s", dg->msg);
        }
        report_unknown(s, &ps.unk, d);
        if (st == CT_OK && (ps.errors || ps.unknown_rows)) st = CT_EINPUT;
    }
    if (st == CT_OK && too_long) {
        char a[CT_PERIOD_BUF], b[CT_PERIOD_BUF];
        ct_period_format(sp.lo, a);
        ct_period_format(sp.hi, b);
        ct_error_at(d, s->obs_path, sp.hi_line, 0,
                    "period %s is more than %d years after period %s (line %d): the data may span at most %d years",
                    b, CT_DATA_MAX_YEARS - 1, a, sp.lo_line, CT_DATA_MAX_YEARS);
        st = CT_EINPUT;
    }
    if (st == CT_OK) {
        s->first_month = sp.any ? sp.first_month : INT_MAX;
        s->last_month = sp.any ? sp.last_month : INT_MIN;
    }
    if (st == CT_OK && ps.dups.n) st = report_dups(s, &r, col, ncols, &ps.dups, d);
    pass_free(&ps);
    ct_csv_close(&r);
    if (st == CT_OK && s->cutoff_month != INT_MAX) forget_after_cutoff(s);
    /* with successions, values are carried onto one geography first (ct_geo) */
    for (int m = 0; st == CT_OK && s->n_links == 0 && m < s->n_metrics; m++) ct_series_rollup(s, m);
    return st;
}
