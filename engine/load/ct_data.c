#include "ct_data.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

static int check_value(const ct_metric *mt, double v)
{
    switch (mt->type) {
    case CT_MT_BOOLEAN: return v == 0 || v == 1;
    case CT_MT_COUNT: return v >= 0 && v == floor(v);
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
    int first_month, last_month; /* of period (first pass) */
    int metric;           /* the previous row's metric, -1 */
    int *next_metric;     /* the metric that followed each metric last time */
    int *next_unit;       /* the unit that followed each unit last time (second pass) */
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

static int cached_text(const char *buf, size_t len, ct_field f)
{
    return len == f.len && memcmp(buf, f.ptr, f.len) == 0;
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
        memcmp(s->metrics[guess].name, name.ptr, name.len) == 0)
        m = guess;
    else
        m = ct_series_metric(s, name.ptr, name.len);
    if (c->metric >= 0) c->next_metric[c->metric] = m;
    c->metric = m;
    return m;
}

/* A plain decimal integer, the common case, without strtod. */
static int parse_value(ct_field f, double *out)
{
    if (f.len > 0 && f.len < 16) {
        long long v = 0;
        size_t i = f.ptr[0] == '-' ? 1 : 0;
        if (i < f.len) {
            for (; i < f.len && f.ptr[i] >= '0' && f.ptr[i] <= '9'; i++) v = v * 10 + (f.ptr[i] - '0');
            if (i == f.len) { *out = (double)(f.ptr[0] == '-' ? -v : v); return 0; }
        }
    }
    return ct_field_double(f, out);
}

/* One reading of the rows (the second pass, or the third that finds the
 * first lines of cells given twice). */
typedef struct {
    ct_series *s;
    ct_csv *r;
    const int *col;
    int ncols;
    int store;            /* the arrays are sized: write the values (else check only) */
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
        /* the first pass did not see this row */
        ct_error_at(&ps->diags, s->obs_path, line, 0, "the file changed while it was read; read it again");
        return -1;
    }
    size_t cell = (size_t)s->level_pos[u] * (size_t)np + (size_t)idx;
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
    if (isnan(*slot)) {
        *slot = v;
        mt->n_obs++;
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
    int u;
    if (cached_text(c->unit_text, c->unit_len, code)) u = c->unit;
    else {
        /* files sorted by period list the units in the same order each time */
        int prev = c->unit, guess = prev >= 0 && c->next_unit ? c->next_unit[prev] : -1;
        if (guess >= 0 && !s->reused[guess] && strlen(s->code[guess]) == code.len &&
            memcmp(s->code[guess], code.ptr, code.len) == 0)
            u = guess;
        else
            u = ct_series_unit(s, code.ptr, code.len);
        if (prev >= 0 && c->next_unit) c->next_unit[prev] = u;
        c->unit = u;
        cache_text(c->unit_text, sizeof c->unit_text, &c->unit_len, code);
    }
    if (u < 0) {
        if (code.len == 0) {
            ct_error_at(d, path, line, 0, "empty unit code");
            return -1;
        }
        int rc = tally(unk, 'u', code, line);
        return rc < 0 ? -2 : -3;
    }
    ct_period p;
    if (cached_text(c->period_text, c->period_len, per)) p = c->period;
    else if (ct_period_parse(per.ptr, per.len, &p) != 0) {
        ct_error_at(d, path, line, 0, "'%.*s' is not a period (2016, 2016S1, 2016Q1, 2016-01 or 201601)", (int)per.len, per.ptr);
        return -1;
    } else {
        cache_text(c->period_text, sizeof c->period_text, &c->period_len, per);
        c->period = p;
    }
    if (s->reused[u] || s->orig_first[u] != INT_MIN || s->orig_last[u] != INT_MAX) {
        /* a unit with a history: the one with this code valid in the period */
        int fm = ct_period_first_month(p), lm = ct_period_last_month(p);
        int v = ct_series_unit_during(s, code.ptr, code.len, fm, lm);
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
    int m = cached_metric(s, c, met);
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
    int bad_number = parse_value(val, &v);
    if (bad_number != 0) {
        ct_error_at(d, path, line, 0, "value '%.*s' %s", (int)(val.len > 80 ? 80 : val.len), val.ptr,
                    ct_number_problem((ct_number_status)bad_number));
        return -1;
    }
    if (!check_value(mt, v)) {
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
    ps->cache.next_unit = malloc((size_t)(s->n_units + 1) * sizeof *ps->cache.next_unit);
    if (!ps->cache.next_unit) ps->st = CT_ENOMEM;
    for (int u = 0; ps->cache.next_unit && u <= s->n_units; u++) ps->cache.next_unit[u] = -1;
}

static void pass_free(obs_pass *ps)
{
    free(ps->cache.next_metric);
    free(ps->cache.next_unit);
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
    while (ps->st == CT_OK && !(ps->find && ps->pending == 0) &&
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

/* What the first pass finds: the span of the rows that hold a value of a
 * used metric (the rows the second pass stores, when every row is valid),
 * the rows at its two ends, and each metric's finest period type. */
typedef struct {
    int any;
    int first_month, last_month;
    ct_period lo, hi;
    int lo_line, hi_line;
} span_scan;

static ct_status scan_span(ct_series *s, ct_csv *r, const int *col, int ncols, span_scan *sp)
{
    row_cache c;
    if (cache_init(&c, s) != 0) return CT_ENOMEM;
    ct_diags scratch; /* the second pass reports the rows' errors */
    ct_diags_init(&scratch);
    ct_field f[MAX_COLS];
    int n;
    while ((n = ct_csv_next(r, f, MAX_COLS, &scratch)) != 0) {
        if (scratch.n > 1000) {
            ct_diags_free(&scratch);
            ct_diags_init(&scratch);
        }
        if (n != ncols) continue;
        ct_field val = ct_field_trim(f[col[3]]);
        if (val.len == 0) continue;
        int m = cached_metric(s, &c, ct_field_trim(f[col[2]]));
        if (m < 0) continue;
        ct_metric *mt = &s->metrics[m];
        if (!mt->used || mt->level < 0) continue;
        ct_field per = ct_field_trim(f[col[1]]);
        ct_period p;
        int fm, lm;
        if (cached_text(c.period_text, c.period_len, per)) {
            p = c.period;
            fm = c.first_month;
            lm = c.last_month;
        } else if (ct_period_parse(per.ptr, per.len, &p) != 0) {
            continue;
        } else {
            cache_text(c.period_text, sizeof c.period_text, &c.period_len, per);
            c.period = p;
            fm = c.first_month = ct_period_first_month(p);
            lm = c.last_month = ct_period_last_month(p);
        }
        if (p.type > mt->finest) mt->finest = p.type;
        if (!sp->any || fm < sp->first_month) { sp->first_month = fm; sp->lo = p; sp->lo_line = r->row_line; }
        if (!sp->any || lm > sp->last_month) { sp->last_month = lm; sp->hi = p; sp->hi_line = r->row_line; }
        sp->any = 1;
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
                double *row = mt->vals[t] + (size_t)u * (size_t)np;
                for (int i = first_late; i < np; i++) {
                    if (!isnan(row[i])) { s->n_after_cutoff++; mt->n_obs--; }
                    row[i] = NAN;
                }
            }
        }
    }
}


ct_status ct_data_load_observations(ct_series *s, const char *path, ct_diags *d)
{
    s->obs_path = ct_arena_strdup(&s->arena, path);
    ct_csv r;
    ct_status st = ct_csv_stream(&r, path, d);
    if (st != CT_OK) return st;
    int col[4], ncols;
    span_scan sp;
    memset(&sp, 0, sizeof sp);
    st = read_header(s, &r, col, &ncols, d);
    if (st == CT_OK) st = scan_span(s, &r, col, ncols, &sp);
    if (st != CT_OK) {
        ct_csv_close(&r);
        return st;
    }
    /* Memory goes with units x periods from the first year to the last: a
     * span past CT_DATA_MAX_YEARS is refused, naming the rows at its two ends
     * (once every row is known to be valid). */
    int too_long = sp.any && sp.last_month / 12 - sp.first_month / 12 + 1 > CT_DATA_MAX_YEARS;
    if (sp.any && !too_long) {
        s->year0 = sp.first_month / 12;
        s->year1 = sp.last_month / 12;
        for (int t = 0; t < CT_PT_COUNT; t++)
            s->n_periods[t] = (s->year1 - s->year0 + 1) * ct_ptype_per_year((ct_ptype)t);
    }
    for (int m = 0; !too_long && st == CT_OK && m < s->n_metrics; m++)
        if (s->metrics[m].used && s->metrics[m].level >= 0)
            st = ct_series_alloc_metric(s, m, s->metrics[m].finest < 0 ? 0 : s->metrics[m].finest);
    obs_pass ps;
    pass_init(&ps, s, &r, col, ncols);
    ps.store = !too_long;
    if (st == CT_OK) st = ps.st;
    if (st == CT_OK) st = ct_csv_rewind(&r);
    if (st == CT_OK) st = read_header(s, &r, col, &ncols, d);
    if (st == CT_OK) {
        read_rows(&ps);
        st = ps.st;
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
