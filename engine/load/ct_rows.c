#include "ct_rows.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/ct_number.h"
#include "../load/ct_plan.h"
#include "ct_units.h"
static int tally_key(ct_rows_tally *t, const char *key, size_t klen, int line);

static int tally(ct_rows_tally *t, char kind, ct_field name, int line)
{
    /* the whole name is the key (a long one on the heap): two names that
     * share their first bytes are two names */
    char small[256], *key = small;
    size_t n = name.len;
    if (n + 3 > sizeof small && !(key = malloc(n + 3))) return -1;
    key[0] = kind;
    key[1] = ':';
    memcpy(key + 2, name.ptr, n);
    key[n + 2] = '\0';
    int r = tally_key(t, key, n + 2, line);
    if (key != small) free(key);
    return r;
}

static int tally_key(ct_rows_tally *t, const char *key, size_t klen, int line)
{
    int slot = ct_strmap_get(&t->names, key, klen);
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
    if (ct_strmap_put(&t->names, key, klen, t->n) < 0) return -1;
    t->first_line[t->n] = line;
    t->rows[t->n] = 1;
    t->n++;
    return 1;
}

void ct_rows_report_unknown(const ct_series *s, ct_rows_pass *ps, ct_diags *d)
{
    ct_rows_tally *t = &ps->unk;
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


static int cache_init(ct_rows_cache *c, const ct_series *s)
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
static inline int same_bytes(const char *a, const char *b, size_t n)
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

static int cached_metric(const ct_series *s, ct_rows_cache *c, ct_field name)
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



/* Writes value v of row `line` into its cell, or notes the cell as given
 * again; returns 0, -1 on a bad row, -2 out of memory. */
/* Makes metric m's arrays down to type t, which the arrays were not sized
 * for (the sample a large file was sized from did not see them), under the
 * lock the readers share. Returns the array of type t, or NULL (out of memory). */
static double *grow_metric(ct_rows_pass *ps, ct_metric *mt, int t)
{
    const ct_series *s = ps->s;
    if (ps->lock) pthread_mutex_lock(ps->lock);
    double *got = NULL;
    for (int k = 0; k <= t; k++) {
        got = __atomic_load_n(&mt->vals[k], __ATOMIC_ACQUIRE);
        if (got) continue;
        got = ct_series_new_cells(ct_series_n_cells(s, mt, k));
        if (!got) break;
        __atomic_store_n(&mt->vals[k], got, __ATOMIC_RELEASE);
    }
    if (got && t > __atomic_load_n(&mt->finest, __ATOMIC_RELAXED)) __atomic_store_n(&mt->finest, t, __ATOMIC_RELAXED);
    if (ps->lock) pthread_mutex_unlock(ps->lock);
    return got;
}

static int store_value(ct_rows_pass *ps, int u, int m, ct_period p, double v, int line)
{
    ct_series *s = ps->s;
    ct_metric *mt = &s->metrics[m];
    int t = p.type;
    ct_rows_cache *c = &ps->cache;
    if (!c->period_placed) {
        /* p is the cached period (row_period) */
        c->period_np = ct_series_n_periods(s, (ct_ptype)t);
        c->period_idx = ct_period_index(p, s->year0);
        c->period_placed = 1;
    }
    int np = c->period_np, idx = c->period_idx;
    double *vals = __atomic_load_n(&mt->vals[t], __ATOMIC_ACQUIRE);
    int finest = __atomic_load_n(&mt->finest, __ATOMIC_RELAXED);
    if ((t > finest || !vals) && ps->grow && idx >= 0 && idx < np && !(vals = grow_metric(ps, mt, t)))
        return -2;
    if (t > __atomic_load_n(&mt->finest, __ATOMIC_RELAXED) || !vals || idx < 0 || idx >= np) {
        if (ps->count_misses) { ps->misses++; return 0; }
        /* the first pass did not see this row */
        ct_error_at(&ps->diags, s->obs_path, line, 0, "the file changed while it was read; read it again");
        return -1;
    }
    size_t cell = ct_series_cell(s, mt, s->level_pos[u], idx);
    if (ps->find) {
        for (size_t i = 0; i < ps->dups.n && i < CT_ROWS_MAX_ERRORS; i++) {
            ct_rows_dup *dr = &ps->dups.items[i];
            if (dr->first_line == 0 && dr->metric == m && dr->period.type == t && dr->cell == cell) {
                dr->first_line = line;
                ps->pending--;
            }
        }
        return 0;
    }
    double *slot = &vals[cell];
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
    ct_rows_dups *dl = &ps->dups;
    if (dl->n == dl->cap) {
        size_t nc = dl->cap ? dl->cap * 2 : 16;
        ct_rows_dup *ni = realloc(dl->items, nc * sizeof *ni);
        if (!ni) return -2;
        dl->items = ni;
        dl->cap = nc;
    }
    dl->items[dl->n++] = (ct_rows_dup){u, m, line, 0, p, v, *slot, cell};
    return 0;
}

/* The row's period (cached: files repeat it), or -1 when it is not one. */
static int row_period(ct_rows_cache *c, ct_field per, ct_period *p)
{
    if (cached_text(c->period_text, c->period_len, per)) { *p = c->period; return 0; }
    if (ct_period_parse(per.ptr, per.len, p) != 0) return -1;
    cache_text(c->period_text, sizeof c->period_text, &c->period_len, per);
    c->period = *p;
    c->period_placed = 0;
    c->first_month = ct_period_first_month(*p);
    c->last_month = ct_period_last_month(*p);
    return 0;
}

/* Notes a row holding a value of a used metric in the span and the finest
 * types (what the first pass finds: see ct_rows_scan). */
static void track_row(ct_rows_span *sp, int *finest, const ct_rows_cache *c, int m, int line)
{
    ct_period p = c->period;
    if (p.type > finest[m]) finest[m] = p.type;
    if (!sp->any || c->first_month < sp->first_month) { sp->first_month = c->first_month; sp->lo = p; sp->lo_line = line; }
    if (!sp->any || c->last_month > sp->last_month) { sp->last_month = c->last_month; sp->hi = p; sp->hi_line = line; }
    sp->any = 1;
}

/* The unit of a row's code (cached), or -1. */
static int row_unit(const ct_series *s, ct_rows_cache *c, ct_field code)
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
static int parse_obs_row(ct_rows_pass *ps, const ct_field *f, int line)
{
    ct_series *s = ps->s;
    const int *col = ps->col;
    ct_rows_cache *c = &ps->cache;
    ct_rows_tally *unk = &ps->unk;
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

void ct_rows_init(ct_rows_pass *ps, ct_series *s, ct_csv *r, const int *col, int ncols)
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

void ct_rows_free(ct_rows_pass *ps)
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

void ct_rows_read(ct_rows_pass *ps)
{
    ct_field f[CT_CSV_MAX_COLS];
    int n;
    while (ps->st == CT_OK && !(ps->find && ps->pending == 0) && ct_csv_tell(ps->r) < ps->stop_at &&
           (n = ct_csv_next(ps->r, f, CT_CSV_MAX_COLS, &ps->diags)) != 0) {
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
        if (rc < 0 && ++ps->errors >= CT_ROWS_MAX_ERRORS) {
            ct_error_at(&ps->diags, ps->s->obs_path, ps->r->row_line, 0, "too many errors; stopped reading this file");
            break;
        }
    }
    if (ps->st == CT_OK && ps->r->fatal != CT_OK) ps->st = ps->r->fatal;
    ps->whole = ps->st == CT_OK && ps->errors < CT_ROWS_MAX_ERRORS;
}

/* The header row: the column of each of unit, period, metric, value. */
ct_status ct_rows_header(const ct_series *s, ct_csv *r, int col[4], int *ncols, ct_diags *d)
{
    ct_field hdr[CT_CSV_MAX_COLS];
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


ct_status ct_rows_scan(const ct_series *s, ct_csv *r, const int *col, int ncols, size_t stop_at,
                           int *finest, ct_rows_span *sp)
{
    ct_rows_cache c;
    if (cache_init(&c, s) != 0) return CT_ENOMEM;
    ct_diags scratch; /* the second pass reports the rows' errors */
    ct_diags_init(&scratch);
    ct_field f[CT_CSV_MAX_COLS];
    int n;
    while (ct_csv_tell(r) < stop_at && (n = ct_csv_next(r, f, CT_CSV_MAX_COLS, &scratch)) != 0) {
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

/* Adds the second half's span to the first's; line_at_split: the line where
 * the second half starts. Equal months keep the earlier row. */
void ct_rows_span_merge(ct_rows_span *a, const ct_rows_span *b, int line_at_split)
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

int ct_rows_clean(const ct_rows_pass *ps)
{
    return ps->st == CT_OK && ps->r->fatal == CT_OK && ps->errors == 0 && ps->unknown_rows == 0 &&
           ps->dups.n == 0 && ps->diags.n == 0 && ps->misses == 0;
}

