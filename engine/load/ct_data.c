#include "ct_data.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/ct_number.h"
#include "../load/ct_plan.h"
#include "ct_csv.h"

enum { MAX_COLS = 256 };

static int field_is(const ct_field *f, const char *name)
{
    size_t n = strlen(name);
    return f->len == n && memcmp(f->ptr, name, n) == 0;
}

/* Reads the header row, mapping required column names to positions. */
static int read_header(ct_csv *r, ct_field *hdr, int *ncols, ct_diags *d)
{
    int n = ct_csv_next(r, hdr, MAX_COLS, d);
    if (n <= 0) {
        if (n == 0) ct_error_at(d, r->path, 1, 0, "the file is empty (a header row is required)");
        return -1;
    }
    if (n > MAX_COLS) {
        ct_error_at(d, r->path, r->row_line, 0, "more than %d columns", MAX_COLS);
        return -1;
    }
    *ncols = n;
    return 0;
}

static int find_col(const ct_field *hdr, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (field_is(&hdr[i], name)) return i;
    return -1;
}

/* Trims spaces around a field (values and codes are compared trimmed). */
static inline ct_field trim(ct_field f)
{
    while (f.len && isspace((unsigned char)f.ptr[0])) { f.ptr++; f.len--; }
    while (f.len && isspace((unsigned char)f.ptr[f.len - 1])) f.len--;
    return f;
}

/* 0, or a ct_number_status (the contract's decimal syntax only). */
static int parse_double(ct_field f, double *out)
{
    f = trim(f);
    return (int)ct_number_parse(f.ptr, f.len, out);
}

static int utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned c = p[i];
        int k = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
        if (k < 0 || i + (size_t)k >= n + (k ? 0 : 1)) return 0;
        for (int j = 1; j <= k; j++)
            if (i + (size_t)j >= n || (p[i + (size_t)j] & 0xC0) != 0x80) return 0;
        i += (size_t)k + 1;
    }
    return 1;
}

/* ---- units.csv ------------------------------------------------------------ */

typedef struct {
    ct_field *parent_code;  /* resolved after all rows are read */
    ct_field *vfrom, *vto;
    int cap;
} unit_rows;

static int grow_units(ct_series *s, unit_rows *ur, int need)
{
    if (need <= ur->cap) return 0;
    int nc = ur->cap ? ur->cap * 2 : 1024;
    while (nc < need) nc *= 2;
#define GROW(arr) do { void *np_ = realloc((void *)(arr), (size_t)nc * sizeof *(arr)); if (!np_) return -1; (arr) = np_; } while (0)
    GROW(s->code); GROW(s->name); GROW(s->level); GROW(s->parent); GROW(s->line);
    GROW(ur->parent_code); GROW(ur->vfrom); GROW(ur->vto);
#undef GROW
    ur->cap = nc;
    return 0;
}

static int valid_bound(ct_series *s, ct_field f, int line, int last, int *out, ct_diags *d)
{
    f = trim(f);
    if (f.len == 0) { *out = last ? INT_MAX : INT_MIN; return 0; }
    ct_period p;
    if (ct_period_parse(f.ptr, f.len, &p) != 0) {
        ct_error_at(d, s->units_path, line, 0, "'%.*s' is not a period (valid_%s)", (int)f.len, f.ptr, last ? "to" : "from");
        return -1;
    }
    *out = last ? ct_period_last_month(p) : ct_period_first_month(p);
    return 0;
}

/* Copies the unit arrays out of the growable buffers into the arena. */
static ct_status settle_units(ct_series *s, unit_rows *ur, ct_diags *d)
{
    int n = s->n_units;
    s->depth = ct_arena_alloc(&s->arena, (size_t)n * sizeof(int));
    s->level_pos = ct_arena_alloc(&s->arena, (size_t)n * sizeof(int));
    s->order = ct_arena_alloc(&s->arena, (size_t)n * sizeof(int));
    s->valid_first = ct_arena_alloc(&s->arena, (size_t)n * sizeof(int));
    s->valid_last = ct_arena_alloc(&s->arena, (size_t)n * sizeof(int));
    if (!s->depth || !s->level_pos || !s->order || !s->valid_first || !s->valid_last) return CT_ENOMEM;
    int bad = 0;
    for (int u = 0; u < n; u++) {
        bad |= valid_bound(s, ur->vfrom[u], s->line[u], 0, &s->valid_first[u], d);
        bad |= valid_bound(s, ur->vto[u], s->line[u], 1, &s->valid_last[u], d);
        if (!bad && s->valid_first[u] > s->valid_last[u]) {
            ct_error_at(d, s->units_path, s->line[u], 0, "unit %s: valid_from is after valid_to", s->code[u]);
            bad = 1;
        }
    }
    return bad ? CT_EINPUT : CT_OK;
}

static ct_status resolve_parents(ct_series *s, unit_rows *ur, ct_diags *d)
{
    int n = s->n_units, roots = 0, national_root = -1, bad = 0;
    for (int u = 0; u < n; u++) {
        ct_field pc = trim(ur->parent_code[u]);
        if (pc.len == 0) {
            s->parent[u] = -1;
            roots++;
            if (strcmp(s->level_name[s->level[u]], "national") == 0) national_root = u;
            continue;
        }
        int p = ct_series_unit(s, pc.ptr, pc.len);
        if (p < 0) {
            ct_error_at(d, s->units_path, s->line[u], 0, "unit %s: parent '%.*s' is not a unit in this file",
                        s->code[u], (int)pc.len, pc.ptr);
            bad = 1;
        }
        s->parent[u] = p;
    }
    if (bad) return CT_EINPUT;
    if (roots == 1 && national_root >= 0) { s->root = national_root; return CT_OK; }
    if (national_root >= 0) {
        ct_error_at(d, s->units_path, s->line[national_root], 0,
                    "unit %s is a national root but other units have no parent either", s->code[national_root]);
        return CT_EINPUT;
    }
    /* the implicit national root VN */
    if (grow_units(s, ur, n + 1) != 0) return CT_ENOMEM;
    if (ct_series_unit(s, "VN", 2) >= 0) {
        ct_error_at(d, s->units_path, 0, 0, "a unit is coded VN but is not the national root");
        return CT_EINPUT;
    }
    int r = n;
    s->code[r] = "VN";
    s->name[r] = "Việt Nam";
    s->level[r] = ct_series_add_level(s, "national", 8);
    s->parent[r] = -1;
    s->line[r] = 0;
    memset(&ur->parent_code[r], 0, sizeof ur->parent_code[r]);
    memset(&ur->vfrom[r], 0, sizeof ur->vfrom[r]);
    memset(&ur->vto[r], 0, sizeof ur->vto[r]);
    if (ct_strmap_put(&s->unit_map, "VN", 2, r) < 0 || s->level[r] < 0) return CT_ENOMEM;
    for (int u = 0; u < n; u++)
        if (s->parent[u] < 0) s->parent[u] = r;
    s->n_units = n + 1;
    s->root = r;
    s->implicit_root = 1;
    return CT_OK;
}

typedef struct {
    int code, name, level, parent, vfrom, vto;
    int attr_col[MAX_COLS]; /* attribute index per column, -1 */
} unit_cols;

static ct_status units_header(ct_series *s, ct_csv *r, unit_cols *uc, int *ncols, ct_diags *d)
{
    ct_field hdr[MAX_COLS];
    if (read_header(r, hdr, ncols, d) != 0) return CT_EINPUT;
    uc->code = find_col(hdr, *ncols, "code");
    uc->name = find_col(hdr, *ncols, "name");
    uc->level = find_col(hdr, *ncols, "level");
    uc->parent = find_col(hdr, *ncols, "parent");
    uc->vfrom = find_col(hdr, *ncols, "valid_from");
    uc->vto = find_col(hdr, *ncols, "valid_to");
    const char *req[] = {"code", "name", "level", "parent"};
    int have[] = {uc->code, uc->name, uc->level, uc->parent};
    int bad = 0;
    for (int i = 0; i < 4; i++)
        if (have[i] < 0) {
            ct_error_at(d, s->units_path, 1, 0, "missing column '%s' (the header needs code,name,level,parent)", req[i]);
            bad = 1;
        }
    for (int i = 0; i < *ncols; i++) {
        uc->attr_col[i] = -1;
        if (i == uc->code || i == uc->name || i == uc->level || i == uc->parent || i == uc->vfrom || i == uc->vto)
            continue;
        ct_field h = trim(hdr[i]);
        if (h.len == 0) {
            ct_error_at(d, s->units_path, 1, 0, "column %d has an empty name", i + 1);
            bad = 1;
            continue;
        }
        int a = ct_strmap_put(&s->attr_map, h.ptr, h.len, s->n_attrs);
        if (a != s->n_attrs) {
            ct_error_at(d, s->units_path, 1, 0, "column '%.*s' appears twice", (int)h.len, h.ptr);
            bad = 1;
            continue;
        }
        uc->attr_col[i] = s->n_attrs++;
    }
    if (bad) return CT_EINPUT;
    s->attr_name = ct_arena_alloc(&s->arena, (size_t)(s->n_attrs + 1) * sizeof *s->attr_name);
    s->attr_bad_line = ct_arena_alloc(&s->arena, (size_t)(s->n_attrs + 1) * sizeof(int));
    s->attr_bad_text = ct_arena_alloc(&s->arena, (size_t)(s->n_attrs + 1) * sizeof(char *));
    if (!s->attr_name || !s->attr_bad_line || !s->attr_bad_text) return CT_ENOMEM;
    for (int i = 0; i < *ncols; i++)
        if (uc->attr_col[i] >= 0) {
            ct_field h = trim(hdr[i]);
            s->attr_name[uc->attr_col[i]] = ct_strmap_key(&s->attr_map, h.ptr, h.len);
        }
    return CT_OK;
}

/* Stores one attribute value; a non-number is remembered, and only an
 * error if a condition reads that attribute. */
static int store_attr(ct_series *s, double **attr, int *attr_cap, int u, int a, ct_field f, int line)
{
    if (u >= *attr_cap) {
        int nc = *attr_cap ? *attr_cap * 2 : 1024;
        while (nc <= u) nc *= 2;
        double *na = realloc(*attr, (size_t)nc * (size_t)(s->n_attrs ? s->n_attrs : 1) * sizeof *na);
        if (!na) return -1;
        *attr = na;
        *attr_cap = nc;
    }
    double v = NAN;
    ct_field t = trim(f);
    if (t.len && parse_double(t, &v) != 0) {
        v = NAN;
        if (!s->attr_bad_line[a]) {
            s->attr_bad_line[a] = line;
            s->attr_bad_text[a] = ct_arena_strndup(&s->arena, t.ptr, t.len);
        }
    }
    (*attr)[(size_t)u * (size_t)s->n_attrs + (size_t)a] = v;
    return 0;
}

ct_status ct_data_load_units(ct_series *s, const char *path, ct_diags *d)
{
    s->units_path = ct_arena_strdup(&s->arena, path);
    ct_csv r;
    ct_status st = ct_csv_open(&r, path, d);
    if (st != CT_OK) return st;
    unit_cols uc;
    memset(&uc, 0, sizeof uc);
    int ncols;
    unit_rows ur;
    memset(&ur, 0, sizeof ur);
    double *attr_by_unit = NULL; /* row-major while reading */
    int attr_cap = 0;
    st = units_header(s, &r, &uc, &ncols, d);
    int bad = st != CT_OK;
    ct_field f[MAX_COLS];
    int n;
    int header_ok = st == CT_OK;
    while (header_ok && (n = ct_csv_next(&r, f, MAX_COLS, d)) != 0) {
        if (n < 0) { bad = 1; continue; }
        int line = r.row_line;
        if (n != ncols) {
            ct_error_at(d, path, line, 0, "%d fields where the header has %d", n, ncols);
            bad = 1;
            continue;
        }
        ct_field code = trim(f[uc.code]), lvl = trim(f[uc.level]);
        if (code.len == 0) { ct_error_at(d, path, line, 0, "empty unit code"); bad = 1; continue; }
        if (lvl.len == 0) { ct_error_at(d, path, line, 0, "unit %.*s: empty level", (int)code.len, code.ptr); bad = 1; continue; }
        if (!utf8_valid(f[uc.name].ptr, f[uc.name].len)) {
            ct_error_at(d, path, line, 0, "unit %.*s: the name is not valid UTF-8", (int)code.len, code.ptr);
            bad = 1;
            continue;
        }
        int u = s->n_units;
        int prev = ct_strmap_put(&s->unit_map, code.ptr, code.len, u);
        if (prev == -2 || grow_units(s, &ur, u + 2) != 0) { st = CT_ENOMEM; break; }
        if (prev != u) {
            ct_error_at(d, path, line, 0, "unit code %.*s appears twice (first at line %d)", (int)code.len, code.ptr, s->line[prev]);
            bad = 1;
            continue;
        }
        s->code[u] = ct_strmap_key(&s->unit_map, code.ptr, code.len);
        s->name[u] = ct_arena_strndup(&s->arena, f[uc.name].ptr, f[uc.name].len);
        s->level[u] = ct_series_add_level(s, lvl.ptr, lvl.len);
        s->line[u] = line;
        if (s->level[u] == -3) {
            ct_error_at(d, path, line, 0, "unit %.*s: level '%.*s' would be level number %d; at most %d levels are allowed",
                        (int)code.len, code.ptr, (int)lvl.len, lvl.ptr, CT_MAX_LEVELS + 1, CT_MAX_LEVELS);
            bad = 1;
            s->level[u] = 0;
        }
        ur.parent_code[u] = f[uc.parent];
        ur.vfrom[u] = uc.vfrom >= 0 ? f[uc.vfrom] : (ct_field){NULL, 0};
        ur.vto[u] = uc.vto >= 0 ? f[uc.vto] : (ct_field){NULL, 0};
        for (int i = 0; i < ncols; i++)
            if (uc.attr_col[i] >= 0 && store_attr(s, &attr_by_unit, &attr_cap, u, uc.attr_col[i], f[i], line) != 0)
                st = CT_ENOMEM;
        if (!s->name[u] || s->level[u] == -1) st = CT_ENOMEM;
        s->n_units++;
    }
    if (st == CT_OK && !bad && s->n_units == 0) {
        ct_error_at(d, path, 2, 0, "no units");
        bad = 1;
    }
    if (st == CT_OK && !bad) st = resolve_parents(s, &ur, d);
    if (st == CT_OK && !bad) st = settle_units(s, &ur, d);
    if (st == CT_OK && !bad) st = ct_series_finish_units(s, d);
    if (st == CT_OK && !bad) {
        /* attributes column-major: attr[a * n_units + u]; the implicit root has none */
        size_t na = (size_t)s->n_attrs, nu = (size_t)s->n_units;
        s->attr = malloc((na * nu > 0 ? na * nu : 1) * sizeof *s->attr);
        if (!s->attr) st = CT_ENOMEM;
        for (size_t u = 0; st == CT_OK && u < nu; u++)
            for (size_t a = 0; a < na; a++)
                s->attr[a * nu + u] = (s->implicit_root && (int)u == s->root) ? NAN : attr_by_unit[u * na + a];
    }
    free(attr_by_unit);
    free(ur.parent_code);
    free(ur.vfrom);
    free(ur.vto);
    /* the unit arrays were realloc'd buffers: keep them in the arena's care */
    if (st == CT_OK && bad) st = CT_EINPUT;
    ct_csv_close(&r);
    return st;
}

/* ---- observations.csv ------------------------------------------------------ */

/* One parsed observation, kept until the span of years is known. */
typedef struct {
    int unit;       /* unit index */
    int line;
    double value;
    ct_period period;
    int metric;
} obs_rec;

typedef struct {
    obs_rec *recs;
    size_t n, cap;
} obs_buf;

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
                        "metric '%s' is not declared by any loaded plan (%zu row%s, the first here)",
                        key + 2, rows, rows == 1 ? "" : "s");
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
 * period, with metrics in a repeating order, so most look-ups are a compare. */
typedef struct {
    ct_field unit_code;
    int unit;
    ct_field period_text;
    ct_period period;
    int metric;           /* the previous row's metric, -1 */
    int *next_metric;     /* the metric that followed each metric last time */
} row_cache;

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

static int same_text(ct_field a, ct_field b)
{
    return a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0;
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
    return parse_double(f, out);
}

/* Parses one row; returns 0 (stored or no data), -1 on a bad row. */
static int parse_obs_row(ct_series *s, const ct_field *f, int line, const int *col,
                         obs_buf *ob, unknown_tally *unk, row_cache *c, ct_diags *d)
{
    const char *path = s->obs_path;
    ct_field code = trim(f[col[0]]), per = trim(f[col[1]]), met = trim(f[col[2]]), val = trim(f[col[3]]);
    int u;
    if (same_text(c->unit_code, code)) u = c->unit;
    else {
        u = ct_series_unit(s, code.ptr, code.len);
        c->unit = u;
        c->unit_code = code;
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
    if (same_text(c->period_text, per)) p = c->period;
    else if (ct_period_parse(per.ptr, per.len, &p) != 0) {
        ct_error_at(d, path, line, 0, "'%.*s' is not a period (2016, 2016S1, 2016Q1, 2016-01 or 201601)", (int)per.len, per.ptr);
        return -1;
    } else {
        c->period_text = per;
        c->period = p;
    }
    int m = cached_metric(s, c, met);
    if (m < 0) {
        int rc = tally(unk, 'm', met, line);
        return rc < 0 ? -2 : -3;
    }
    ct_metric *mt = &s->metrics[m];
    if (s->level[u] != mt->level) {
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
    if (ob->n == ob->cap) {
        size_t nc = ob->cap ? ob->cap * 2 : 65536;
        obs_rec *nr = realloc(ob->recs, nc * sizeof *nr);
        if (!nr) return -2;
        ob->recs = nr;
        ob->cap = nc;
    }
    obs_rec *rec = &ob->recs[ob->n++];
    rec->unit = u;
    rec->line = line;
    rec->value = v;
    rec->period = p;
    rec->metric = m;
    return 0;
}

/* One part of observations.csv, read by one thread. */
typedef struct {
    ct_series *s;
    ct_csv r;             /* a view of the mapping limited to this part */
    const int *col;
    int ncols;
    obs_buf ob;
    unknown_tally unk;
    row_cache cache;
    ct_diags diags;
    size_t errors, unknown_rows;
    ct_status st;
} chunk;

static void chunk_init(chunk *c, ct_series *s, const ct_csv *r, size_t from, size_t to, int line,
                       const int *col, int ncols)
{
    memset(c, 0, sizeof *c);
    c->s = s;
    c->r = *r;
    c->r.pos = from;
    c->r.size = to;
    c->r.released = (from + 4095) & ~(size_t)4095; /* the page before holds the previous part's last rows */
    c->r.line = line;
    c->col = col;
    c->ncols = ncols;
    ct_diags_init(&c->diags);
    ct_strmap_init(&c->unk.names);
    c->cache = (row_cache){{"", 0}, -1, {"", 0}, {0, 0, 0}, -1, NULL};
    c->cache.next_metric = malloc((size_t)(s->n_metrics + 1) * sizeof *c->cache.next_metric);
    if (!c->cache.next_metric) c->st = CT_ENOMEM;
    for (int m = 0; c->cache.next_metric && m <= s->n_metrics; m++) c->cache.next_metric[m] = -1;
}

static void chunk_free(chunk *c)
{
    free(c->ob.recs);
    free(c->cache.next_metric);
    ct_strmap_free(&c->unk.names);
    free(c->unk.first_line);
    free(c->unk.rows);
    ct_diags_free(&c->diags);
}

static void *read_chunk(void *arg)
{
    chunk *c = arg;
    ct_field f[MAX_COLS];
    int n;
    size_t rows = 0;
    while (c->st == CT_OK && (n = ct_csv_next(&c->r, f, MAX_COLS, &c->diags)) != 0) {
        if ((++rows & 0xFFFF) == 0) ct_csv_release_read(&c->r);
        int rc;
        if (n < 0) rc = -1;
        else if (n != c->ncols) {
            ct_error_at(&c->diags, c->s->obs_path, c->r.row_line, 0, "%d fields where the header has %d", n, c->ncols);
            rc = -1;
        } else {
            rc = parse_obs_row(c->s, f, c->r.row_line, c->col, &c->ob, &c->unk, &c->cache, &c->diags);
        }
        if (rc == -2) { c->st = CT_ENOMEM; break; }
        if (rc == -3) { c->unknown_rows++; continue; }
        if (rc < 0 && ++c->errors >= MAX_ERRORS_PER_FILE) {
            ct_error_at(&c->diags, c->s->obs_path, c->r.row_line, 0, "too many errors; stopped reading this file");
            break;
        }
    }
    return NULL;
}

/* Appends b's findings to a's, keeping file order (the records stay in
 * their own buffers, read in order afterwards). */
static ct_status chunk_merge(chunk *a, chunk *b)
{
    for (size_t i = 0; i < b->diags.n; i++) {
        const ct_diag *dg = &b->diags.items[i];
        ct_diag_add(&a->diags, dg->sev, dg->file, dg->line, dg->col, "%s", dg->msg);
    }
    for (size_t i = 0; i < b->unk.names.cap; i++) {
        const char *key = b->unk.names.keys[i];
        if (!key) continue;
        int slot = b->unk.names.vals[i];
        ct_field name = {key + 2, strlen(key + 2)};
        for (size_t k = 0; k < b->unk.rows[slot]; k++)
            if (tally(&a->unk, key[0], name, b->unk.first_line[slot]) < 0) return CT_ENOMEM;
    }
    a->errors += b->errors;
    a->unknown_rows += b->unknown_rows;
    return b->st;
}

static int count_lines(const char *p, size_t n)
{
    int lines = 0;
    const char *end = p + n;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) { lines++; p++; }
    return lines;
}

/* Where a second thread may start: a line start near the middle, when the
 * rest of the file has no quote (so no field spans lines). 0: one thread. */
static size_t split_point(ct_csv *r)
{
    size_t left = r->size - r->pos;
    r->no_quotes = memchr(r->data + r->pos, '"', left) == NULL;
    if (left < ((size_t)16 << 20) || !r->no_quotes) return 0;
    const char *mid = memchr(r->data + r->pos + left / 2, '\n', left - left / 2);
    return mid ? (size_t)(mid - r->data) + 1 : 0;
}

enum { MAX_PARTS = 2 };

/* Reads the rows into up to MAX_PARTS record buffers, in file order. */
static ct_status read_observations(ct_series *s, ct_csv *r, obs_buf *ob, ct_diags *d)
{
    ct_field hdr[MAX_COLS];
    int ncols;
    if (read_header(r, hdr, &ncols, d) != 0) return CT_EINPUT;
    static const char *const names[] = {"unit", "period", "metric", "value"};
    int col[4], bad = 0;
    for (int i = 0; i < 4; i++) {
        col[i] = find_col(hdr, ncols, names[i]);
        if (col[i] < 0) {
            ct_error_at(d, s->obs_path, 1, 0, "missing column '%s' (the header needs unit,period,metric,value)", names[i]);
            bad = 1;
        }
    }
    if (bad) return CT_EINPUT;
    size_t split = split_point(r);
    chunk parts[2];
    int nparts = split ? 2 : 1;
    chunk_init(&parts[0], s, r, r->pos, split ? split : r->size, r->line, col, ncols);
    if (split) chunk_init(&parts[1], s, r, split, r->size, r->line + count_lines(r->data + r->pos, split - r->pos), col, ncols);
    pthread_t second;
    int threaded = split && parts[1].st == CT_OK && pthread_create(&second, NULL, read_chunk, &parts[1]) == 0;
    read_chunk(&parts[0]);
    if (threaded) pthread_join(second, NULL);
    else if (split) read_chunk(&parts[1]);
    ct_status st = parts[0].st;
    if (nparts == 2) {
        ct_status st2 = chunk_merge(&parts[0], &parts[1]);
        if (st == CT_OK) st = st2;
    }
    chunk *c = &parts[0];
    for (size_t i = 0; i < c->diags.n; i++) {
        const ct_diag *dg = &c->diags.items[i];
        ct_diag_add(d, dg->sev, dg->file, dg->line, dg->col, "%s", dg->msg);
    }
    report_unknown(s, &c->unk, d);
    for (int k = 0; k < nparts; k++) {
        ob[k] = parts[k].ob;
        parts[k].ob.recs = NULL;
    }
    if (st == CT_OK && (c->errors || c->unknown_rows)) st = CT_EINPUT;
    for (int k = 0; k < nparts; k++) chunk_free(&parts[k]);
    return st;
}

/* The line of the first record for the same cell as records[k][i]. */
static int first_line_of(const obs_buf *parts, int k, size_t i)
{
    const obs_rec *rec = &parts[k].recs[i];
    for (int kk = 0; kk <= k; kk++)
        for (size_t j = 0; j < (kk == k ? i : parts[kk].n); j++) {
            const obs_rec *o = &parts[kk].recs[j];
            if (o->unit == rec->unit && o->metric == rec->metric && o->period.year == rec->period.year &&
                o->period.type == rec->period.type && o->period.sub == rec->period.sub)
                return o->line;
        }
    return 0;
}

/* Places every record in its metric's dense array (NaN: empty so far); a
 * cell given twice is an error when the values differ and a warning when
 * they agree. Duplicates are rare, so their first lines are searched for. */
static ct_status scatter(ct_series *s, const obs_buf *parts, ct_diags *d)
{
    ct_status st = CT_OK;
    for (int m = 0; m < s->n_metrics && st == CT_OK; m++)
        st = ct_series_alloc_metric(s, m, s->metrics[m].finest < 0 ? 0 : s->metrics[m].finest);
    size_t dup_errors = 0, dups = 0;
    for (int k = 0; k < MAX_PARTS; k++)
    for (size_t i = 0; st == CT_OK && i < parts[k].n; i++) {
        const obs_rec *rec = &parts[k].recs[i];
        ct_metric *mt = &s->metrics[rec->metric];
        int t = rec->period.type;
        size_t np = (size_t)ct_series_n_periods(s, (ct_ptype)t);
        size_t cell = (size_t)s->level_pos[rec->unit] * np + (size_t)ct_period_index(rec->period, s->year0);
        double *slot = &mt->vals[t][cell];
        if (isnan(*slot)) {
            *slot = rec->value;
            mt->n_obs++;
            continue;
        }
        char pb[CT_PERIOD_BUF], first[32] = "earlier";
        ct_period_format(rec->period, pb);
        if (dups++ < MAX_ERRORS_PER_FILE) snprintf(first, sizeof first, "at line %d", first_line_of(parts, k, i));
        if (*slot == rec->value) {
            ct_warn_at(d, s->obs_path, rec->line, 0, "%s %s %s given again with the same value (first %s)",
                       s->code[rec->unit], pb, mt->name, first);
        } else if (dup_errors++ < MAX_ERRORS_PER_FILE) {
            ct_error_at(d, s->obs_path, rec->line, 0, "%s %s %s is %g here but %g %s",
                        s->code[rec->unit], pb, mt->name, rec->value, *slot, first);
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


/* Memory goes with units x periods from the first year to the last: a span
 * past CT_DATA_MAX_YEARS is refused, naming the rows at its two ends. */
static int span_too_long(const ct_series *s, const obs_buf *ob, ct_diags *d)
{
    if (s->last_month / 12 - s->first_month / 12 + 1 <= CT_DATA_MAX_YEARS) return 0;
    const obs_rec *lo = NULL, *hi = NULL;
    for (int k = 0; k < MAX_PARTS; k++)
        for (size_t i = 0; i < ob[k].n; i++) {
            const obs_rec *rec = &ob[k].recs[i];
            if (!lo || ct_period_first_month(rec->period) < ct_period_first_month(lo->period)) lo = rec;
            if (!hi || ct_period_last_month(rec->period) > ct_period_last_month(hi->period)) hi = rec;
        }
    char a[CT_PERIOD_BUF], b[CT_PERIOD_BUF];
    ct_period_format(lo->period, a);
    ct_period_format(hi->period, b);
    ct_error_at(d, s->obs_path, hi->line, 0,
                "period %s is more than %d years after period %s (line %d): the data may span at most %d years",
                b, CT_DATA_MAX_YEARS - 1, a, lo->line, CT_DATA_MAX_YEARS);
    return 1;
}

ct_status ct_data_load_observations(ct_series *s, const char *path, ct_diags *d)
{
    s->obs_path = ct_arena_strdup(&s->arena, path);
    ct_csv r;
    ct_status st = ct_csv_open(&r, path, d);
    if (st != CT_OK) return st;
    obs_buf ob[MAX_PARTS];
    memset(ob, 0, sizeof ob);
    st = read_observations(s, &r, ob, d);
    ct_csv_close(&r);
    size_t n_recs = 0;
    for (int k = 0; k < MAX_PARTS; k++) n_recs += ob[k].n;
    if (st == CT_OK) {
        s->first_month = INT_MAX;
        s->last_month = INT_MIN;
        for (int k = 0; k < MAX_PARTS; k++)
        for (size_t i = 0; i < ob[k].n; i++) {
            const obs_rec *rec = &ob[k].recs[i];
            ct_metric *mt = &s->metrics[rec->metric];
            if (rec->period.type > mt->finest) mt->finest = rec->period.type;
            int fm = ct_period_first_month(rec->period), lm = ct_period_last_month(rec->period);
            if (fm < s->first_month) s->first_month = fm;
            if (lm > s->last_month) s->last_month = lm;
        }
        if (n_recs && span_too_long(s, ob, d)) st = CT_EINPUT;
        else if (n_recs) {
            s->year0 = s->first_month / 12;
            s->year1 = s->last_month / 12;
            for (int t = 0; t < CT_PT_COUNT; t++)
                s->n_periods[t] = (s->year1 - s->year0 + 1) * ct_ptype_per_year((ct_ptype)t);
        }
        if (st == CT_OK) st = scatter(s, ob, d);
    }
    for (int k = 0; k < MAX_PARTS; k++) free(ob[k].recs);
    if (st == CT_OK && s->cutoff_month != INT_MAX) forget_after_cutoff(s);
    for (int m = 0; st == CT_OK && m < s->n_metrics; m++) ct_series_rollup(s, m);
    return st;
}
