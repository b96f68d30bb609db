#include "ct_units.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ct_csv.h"

/* Row data kept only while reading: texts resolved once every row is in. */
typedef struct {
    ct_field *parent_code;
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

static int valid_bound(ct_series *s, ct_field f, int line, int last, int *out, const char **text, ct_diags *d)
{
    f = ct_field_trim(f);
    *text = NULL;
    if (f.len == 0) { *out = last ? INT_MAX : INT_MIN; return 0; }
    ct_period p;
    if (ct_period_parse(f.ptr, f.len, &p) != 0) {
        ct_error_at(d, s->units_path, line, 0, "'%.*s' is not a period (valid_%s)", (int)f.len, f.ptr, last ? "to" : "from");
        return -1;
    }
    *out = last ? ct_period_last_month(p) : ct_period_first_month(p);
    char buf[CT_PERIOD_BUF];
    ct_period_format(p, buf);
    *text = ct_arena_strdup(&s->arena, buf);
    return *text ? 0 : -2;
}

static int *arena_ints(ct_series *s, int n)
{
    return ct_arena_alloc(&s->arena, (size_t)(n ? n : 1) * sizeof(int));
}

/* Parses every unit's validity (the implicit root, if any, is added later). */
static ct_status read_validity(ct_series *s, unit_rows *ur, int n, ct_diags *d)
{
    s->orig_first = arena_ints(s, n + 1);
    s->orig_last = arena_ints(s, n + 1);
    s->valid_from_text = ct_arena_alloc(&s->arena, (size_t)(n + 1) * sizeof(char *));
    s->valid_to_text = ct_arena_alloc(&s->arena, (size_t)(n + 1) * sizeof(char *));
    if (!s->orig_first || !s->orig_last || !s->valid_from_text || !s->valid_to_text) return CT_ENOMEM;
    int bad = 0;
    for (int u = 0; u < n; u++) {
        int b1 = valid_bound(s, ur->vfrom[u], s->line[u], 0, &s->orig_first[u], &s->valid_from_text[u], d);
        int b2 = valid_bound(s, ur->vto[u], s->line[u], 1, &s->orig_last[u], &s->valid_to_text[u], d);
        if (b1 == -2 || b2 == -2) return CT_ENOMEM;
        if (b1 || b2) { bad = 1; continue; }
        if (s->orig_first[u] > s->orig_last[u]) {
            ct_error_at(d, s->units_path, s->line[u], 0, "unit %s: valid_from is after valid_to", s->code[u]);
            bad = 1;
        }
    }
    return bad ? CT_EINPUT : CT_OK;
}

static const ct_series *sort_series;

static int by_code_then_validity(const void *a, const void *b)
{
    int u = *(const int *)a, v = *(const int *)b;
    const ct_series *s = sort_series;
    /* codes are interned: one pointer per code */
    if (s->code[u] != s->code[v]) return (uintptr_t)s->code[u] < (uintptr_t)s->code[v] ? -1 : 1;
    if (s->orig_first[u] != s->orig_first[v]) return s->orig_first[u] < s->orig_first[v] ? -1 : 1;
    return u < v ? -1 : u > v;
}

/* Chains the units that share a code, in order of validity, and refuses
 * ranges that overlap. The code map then names each chain's earliest unit. */
static ct_status chain_codes(ct_series *s, int n, ct_diags *d)
{
    s->same_next = arena_ints(s, n + 1);
    s->reused = ct_arena_alloc(&s->arena, (size_t)n + 1);
    int *idx = malloc((size_t)(n > 0 ? n : 1) * sizeof *idx);
    if (!s->same_next || !s->reused || !idx) { free(idx); return CT_ENOMEM; }
    for (int u = 0; u < n; u++) { idx[u] = u; s->same_next[u] = -1; s->reused[u] = 0; }
    sort_series = s;
    qsort(idx, (size_t)n, sizeof *idx, by_code_then_validity);
    int bad = 0;
    for (int k = 0; k < n;) {
        int j = k + 1;
        while (j < n && s->code[idx[j]] == s->code[idx[k]]) j++;
        if (j - k > 1) {
            int reach = k; /* the unit of the chain so far that is valid latest */
            for (int i = k + 1; i < j; i++) {
                int a = idx[reach], b = idx[i];
                if (s->orig_first[b] <= s->orig_last[a]) {
                    int first = s->line[a] < s->line[b] ? a : b, second = first == a ? b : a;
                    ct_error_at(d, s->units_path, s->line[second], 0,
                                "unit code %s appears twice with overlapping validity (first at line %d); a reused code needs valid_from/valid_to ranges that do not overlap",
                                s->code[b], s->line[first]);
                    bad = 1;
                }
                if (s->orig_last[b] > s->orig_last[a]) reach = i;
            }
            for (int i = k; i < j; i++) {
                s->reused[idx[i]] = 1;
                s->same_next[idx[i]] = i + 1 < j ? idx[i + 1] : -1;
            }
            ct_strmap_set(&s->unit_map, s->code[idx[k]], strlen(s->code[idx[k]]), idx[k]);
        }
        k = j;
    }
    free(idx);
    return bad ? CT_EINPUT : CT_OK;
}

/* The parent of each unit: the unit with the parent code valid during the
 * child's validity; then the implicit national root if there is no other. */
static ct_status resolve_parents(ct_series *s, unit_rows *ur, ct_diags *d)
{
    int n = s->n_units, roots = 0, national_root = -1, bad = 0;
    for (int u = 0; u < n; u++) {
        ct_field pc = ct_field_trim(ur->parent_code[u]);
        if (pc.len == 0) {
            s->parent[u] = -1;
            roots++;
            if (strcmp(s->level_name[s->level[u]], "national") == 0) national_root = u;
            continue;
        }
        int p = ct_series_unit_during(s, pc.ptr, pc.len, s->orig_first[u], s->orig_last[u]);
        if (p == -2) {
            ct_error_at(d, s->units_path, s->line[u], 0,
                        "unit %s: parent '%.*s' names several units during its validity; give unit %s a valid_from/valid_to within one of them",
                        s->code[u], (int)pc.len, pc.ptr, s->code[u]);
            bad = 1;
        } else if (p < 0 && ct_series_unit(s, pc.ptr, pc.len) >= 0) {
            ct_error_at(d, s->units_path, s->line[u], 0, "unit %s: parent '%.*s' is not valid during the validity of unit %s",
                        s->code[u], (int)pc.len, pc.ptr, s->code[u]);
            bad = 1;
        } else if (p < 0) {
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
    s->orig_first[r] = INT_MIN;
    s->orig_last[r] = INT_MAX;
    s->valid_from_text[r] = s->valid_to_text[r] = NULL;
    s->same_next[r] = -1;
    s->reused[r] = 0;
    if (ct_strmap_put(&s->unit_map, "VN", 2, r) < 0 || s->level[r] < 0) return CT_ENOMEM;
    for (int u = 0; u < n; u++)
        if (s->parent[u] < 0) s->parent[u] = r;
    s->n_units = n + 1;
    s->root = r;
    s->implicit_root = 1;
    return CT_OK;
}

/* The per-unit arrays the model needs, in the series' arena. */
static ct_status settle_units(ct_series *s)
{
    int n = s->n_units;
    s->depth = arena_ints(s, n);
    s->level_pos = arena_ints(s, n);
    s->order = arena_ints(s, n);
    s->valid_first = arena_ints(s, n);
    s->valid_last = arena_ints(s, n);
    if (!s->depth || !s->level_pos || !s->order || !s->valid_first || !s->valid_last) return CT_ENOMEM;
    memcpy(s->valid_first, s->orig_first, (size_t)n * sizeof(int));
    memcpy(s->valid_last, s->orig_last, (size_t)n * sizeof(int));
    return CT_OK;
}

typedef struct {
    int code, name, level, parent, vfrom, vto;
    int ncols;
    int attr_col[CT_CSV_MAX_COLS]; /* attribute index per column, -1 */
} unit_cols;

static ct_status units_header(ct_series *s, ct_csv *r, unit_cols *uc, int *ncols, ct_diags *d)
{
    ct_field hdr[CT_CSV_MAX_COLS];
    if ((*ncols = ct_csv_header(r, hdr, d)) < 0) return CT_EINPUT;
    uc->ncols = *ncols;
    uc->code = ct_csv_col(hdr, *ncols, "code");
    uc->name = ct_csv_col(hdr, *ncols, "name");
    uc->level = ct_csv_col(hdr, *ncols, "level");
    uc->parent = ct_csv_col(hdr, *ncols, "parent");
    uc->vfrom = ct_csv_col(hdr, *ncols, "valid_from");
    uc->vto = ct_csv_col(hdr, *ncols, "valid_to");
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
        ct_field h = ct_field_trim(hdr[i]);
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
            ct_field h = ct_field_trim(hdr[i]);
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
    ct_field t = ct_field_trim(f);
    if (t.len && ct_field_double(t, &v) != 0) {
        v = NAN;
        if (!s->attr_bad_line[a]) {
            s->attr_bad_line[a] = line;
            s->attr_bad_text[a] = ct_arena_strndup(&s->arena, t.ptr, t.len);
        }
    }
    (*attr)[(size_t)u * (size_t)s->n_attrs + (size_t)a] = v;
    return 0;
}

/* Reads one row into unit s->n_units; returns 0, 1 (a bad row) or -1 (out of memory). */
static int read_unit_row(ct_series *s, const unit_cols *uc, unit_rows *ur, const ct_field *f, int line,
                         double **attr, int *attr_cap, ct_diags *d)
{
    const char *path = s->units_path;
    ct_field code = ct_field_trim(f[uc->code]), lvl = ct_field_trim(f[uc->level]);
    if (code.len == 0) { ct_error_at(d, path, line, 0, "empty unit code"); return 1; }
    if (lvl.len == 0) { ct_error_at(d, path, line, 0, "unit %.*s: empty level", (int)code.len, code.ptr); return 1; }
    if (!ct_utf8_valid(f[uc->name].ptr, f[uc->name].len)) {
        ct_error_at(d, path, line, 0, "unit %.*s: the name is not valid UTF-8", (int)code.len, code.ptr);
        return 1;
    }
    int u = s->n_units;
    if (ct_strmap_put(&s->unit_map, code.ptr, code.len, u) == -2 || grow_units(s, ur, u + 2) != 0) return -1;
    s->code[u] = ct_strmap_key(&s->unit_map, code.ptr, code.len);
    s->name[u] = ct_arena_strndup(&s->arena, f[uc->name].ptr, f[uc->name].len);
    s->level[u] = ct_series_add_level(s, lvl.ptr, lvl.len);
    s->line[u] = line;
    if (s->level[u] == -3) {
        ct_error_at(d, path, line, 0, "unit %.*s: level '%.*s' would be level number %d; at most %d levels are allowed",
                    (int)code.len, code.ptr, (int)lvl.len, lvl.ptr, CT_MAX_LEVELS + 1, CT_MAX_LEVELS);
        s->level[u] = 0;
        s->n_units++;
        return 1;
    }
    ur->parent_code[u] = f[uc->parent];
    ur->vfrom[u] = uc->vfrom >= 0 ? f[uc->vfrom] : (ct_field){NULL, 0};
    ur->vto[u] = uc->vto >= 0 ? f[uc->vto] : (ct_field){NULL, 0};
    s->n_units++;
    for (int i = 0; i < uc->ncols; i++)
        if (uc->attr_col[i] >= 0 && store_attr(s, attr, attr_cap, u, uc->attr_col[i], f[i], line) != 0) return -1;
    return !s->name[u] || s->level[u] == -1 ? -1 : 0;
}

ct_status ct_units_load(ct_series *s, const char *path, ct_diags *d)
{
    s->units_path = ct_arena_strdup(&s->arena, path);
    ct_csv r;
    ct_status st = ct_csv_open(&r, path, d);
    if (st != CT_OK) return st;
    unit_cols uc;
    memset(&uc, 0, sizeof uc);
    for (int i = 0; i < CT_CSV_MAX_COLS; i++) uc.attr_col[i] = -1;
    int ncols = 0;
    unit_rows ur;
    memset(&ur, 0, sizeof ur);
    double *attr_by_unit = NULL; /* row-major while reading */
    int attr_cap = 0;
    st = units_header(s, &r, &uc, &ncols, d);
    int bad = st != CT_OK;
    ct_field f[CT_CSV_MAX_COLS];
    int n;
    int header_ok = st == CT_OK;
    while (header_ok && (n = ct_csv_next(&r, f, CT_CSV_MAX_COLS, d)) != 0) {
        if (n < 0) { bad = 1; continue; }
        if (n != ncols) {
            ct_error_at(d, path, r.row_line, 0, "%d fields where the header has %d", n, ncols);
            bad = 1;
            continue;
        }
        int rc = read_unit_row(s, &uc, &ur, f, r.row_line, &attr_by_unit, &attr_cap, d);
        if (rc < 0) { st = CT_ENOMEM; break; }
        bad |= rc;
    }
    if (st == CT_OK && !bad && s->n_units == 0) {
        ct_error_at(d, path, 2, 0, "no units");
        bad = 1;
    }
    if (st == CT_OK && !bad) st = read_validity(s, &ur, s->n_units, d);
    if (st == CT_OK && !bad) st = chain_codes(s, s->n_units, d);
    if (st == CT_OK && !bad) st = resolve_parents(s, &ur, d);
    if (st == CT_OK && !bad) st = settle_units(s);
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
    if (st == CT_OK && bad) st = CT_EINPUT;
    ct_csv_close(&r);
    return st;
}
