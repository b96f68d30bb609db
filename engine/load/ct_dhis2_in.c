#include "ct_dhis2_in.h"

#include <ctype.h>
#include <limits.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../model/ct_period.h"
#include "ct_csv.h"

void ct_dhis2_init(ct_dhis2_import *im)
{
    memset(im, 0, sizeof *im);
    ct_arena_init(&im->arena);
    ct_strmap_init(&im->unit_by_code);
    ct_strmap_init(&im->unit_by_id);
    ct_strmap_init(&im->map);
    ct_strmap_init(&im->obs_key);
    ct_strmap_init(&im->src_key);
    ct_strmap_init(&im->metric_ix);
    ct_strmap_init(&im->metric_names);
    ct_strmap_init(&im->null_seen);
    ct_strmap_init(&im->map_code_of);
    ct_strmap_init(&im->unit_by_dhis2_code);
    ct_strmap_init(&im->de_code_of);
}

void ct_dhis2_free(ct_dhis2_import *im)
{
    free(im->units);
    free(im->order);
    free(im->obs);
    free(im->metrics);
    free(im->map_metrics);
    ct_strmap_free(&im->unit_by_code);
    ct_strmap_free(&im->unit_by_id);
    ct_strmap_free(&im->map);
    ct_strmap_free(&im->obs_key);
    ct_strmap_free(&im->src_key);
    free(im->srcs);
    ct_strmap_free(&im->metric_ix);
    ct_strmap_free(&im->metric_names);
    ct_strmap_free(&im->null_seen);
    free(im->nulls);
    free(im->key);
    free(im->pages.seen);
    free(im->map_codes);
    ct_strmap_free(&im->map_code_of);
    ct_strmap_free(&im->unit_by_dhis2_code);
    ct_strmap_free(&im->de_code_of);
    free(im->de_codes);
    ct_arena_free(&im->arena);
    memset(im, 0, sizeof *im);
}

size_t ct_dhis2_n_unplaced(const ct_dhis2_import *im)
{
    size_t n = 0;
    for (int i = 0; i < CT_DHIS2_N_REASONS; i++) n += im->n_unplaced[i];
    return n;
}

int ct_dhis2_grow(void **p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap) return 0;
    size_t c = *cap ? *cap * 2 : 64;
    void *q = realloc(*p, c * size);
    if (!q) return -1;
    *p = q;
    *cap = c;
    return 0;
}

const char *ct_dhis2_dup(ct_dhis2_import *im, const char *s, size_t n)
{
    return ct_arena_strndup(&im->arena, s ? s : "", s ? n : 0);
}

/* ---- periods ---- */

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i])) return 0;
    return n > 0;
}

/* Whether s is PREFIX followed by 1 to 2 digits. */
static int prefixed_number(const char *s, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(s, prefix, n) != 0) return 0;
    size_t k = strlen(s + n);
    return k >= 1 && k <= 2 && digits(s + n, k);
}

int ct_dhis2_period_in(const char *s, char out[16], const char **type)
{
    size_t len = strlen(s);
    ct_period p;
    *type = NULL;
    if (len < 16 && ct_period_parse(s, len, &p) == 0) {
        ct_period_format(p, out);
        return 0;
    }
    if (len < 5 || !digits(s, 4)) return -2;
    const char *r = s + 4;
    static const struct { const char *prefix, *type; } numbered[] = {
        {"W", "weekly"}, {"WedW", "weekly (Wednesday)"}, {"ThuW", "weekly (Thursday)"},
        {"SatW", "weekly (Saturday)"}, {"SunW", "weekly (Sunday)"}, {"BiW", "bi-weekly"},
        {"NovQ", "quarterly (November)"}, {"AprilS", "six-monthly (April)"}, {"NovS", "six-monthly (November)"}};
    for (size_t i = 0; i < sizeof numbered / sizeof *numbered; i++)
        if (prefixed_number(r, numbered[i].prefix)) { *type = numbered[i].type; return -1; }
    if (len == 8 && digits(r, 4)) { *type = "daily"; return -1; }
    if (len == 7 && digits(r, 2) && r[2] == 'B') { *type = "bi-monthly"; return -1; }
    static const char *const fy[] = {"April", "July", "Oct", "Nov", "Sep"};
    for (size_t i = 0; i < sizeof fy / sizeof *fy; i++)
        if (!strcmp(r, fy[i])) { *type = "financial year"; return -1; }
    return -2;
}

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int ct_dhis2_period_month(const char *s, char out[16])
{
    size_t len = strlen(s);
    if (len < 6 || !digits(s, 4)) return -1;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    if (len == 8 && digits(s + 4, 4)) { /* daily */
        int m = (s[4] - '0') * 10 + (s[5] - '0'), d = (s[6] - '0') * 10 + (s[7] - '0');
        int cy, cm, cd;
        civil_from_days(days_from_civil(y, m, d), &cy, &cm, &cd);
        if (m < 1 || m > 12 || cy != y || cm != m || cd != d) return -1;
        snprintf(out, 16, "%04d-%02d", y, m);
        return 0;
    }
    if (s[4] == 'W' && prefixed_number(s + 4, "W")) { /* ISO week: Monday weeks, week 1 holds 4 January */
        int w = atoi(s + 5);
        long jan4 = days_from_civil(y, 1, 4);
        long wd = ((jan4 + 3) % 7 + 7) % 7; /* 0 = Monday (1970-01-01 was a Thursday) */
        long thursday = jan4 - wd + 7L * (w - 1) + 3;
        int ty, tm, td;
        civil_from_days(thursday, &ty, &tm, &td);
        long dec28 = days_from_civil(y, 12, 28); /* the last ISO week of y holds 28 December */
        int last_week = (int)((dec28 - (jan4 - wd)) / 7) + 1;
        if (w < 1 || w > last_week) return -1;
        snprintf(out, 16, "%04d-%02d", ty, tm);
        return 0;
    }
    return -1;
}

/* ---- keys ---- */

/* The n parts joined by \x1f into im->key (grown as needed); its length, or
 * (size_t)-1 when out of memory. Keys have no fixed size: two long codes
 * never collide in a cut key. */
static size_t make_key(ct_dhis2_import *im, int n, const char *const *parts)
{
    size_t len = 0;
    for (int i = 0; i < n; i++) len += strlen(parts[i]) + 1;
    if (len + 1 > im->key_cap) {
        size_t cap = len + 64;
        char *k = realloc(im->key, cap);
        if (!k) return (size_t)-1;
        im->key = k;
        im->key_cap = cap;
    }
    size_t at = 0;
    for (int i = 0; i < n; i++) {
        size_t l = strlen(parts[i]);
        if (i) im->key[at++] = '\x1f';
        memcpy(im->key + at, parts[i], l);
        at += l;
    }
    im->key[at] = '\0';
    return at;
}

/* ---- option combos and the map ---- */

/* The default combo: absent or empty, DHIS2's usual id and code, and the id,
 * code and name the metadata gave for the combo named "default". A null
 * combo is not the default (see combo_text). */
static int is_default_combo(const ct_dhis2_import *im, const char *s)
{
    if (!s || !*s || !strcmp(s, "HllvX50cXC0") || !strcmp(s, "default")) return 1;
    for (size_t i = 0; i < im->n_default_ids; i++)
        if (!strcmp(s, im->default_ids[i])) return 1;
    return 0;
}

/* A combo as the map's keys write it: "" for the default, "null" for a
 * combo given as null, else its text. */
static const char *combo_text(const ct_dhis2_import *im, const char *s, int is_null)
{
    if (is_null) return "null";
    return is_default_combo(im, s) ? "" : s;
}

static const char *field_dup(ct_dhis2_import *im, ct_field f)
{
    f = ct_field_trim(f);
    return ct_dhis2_dup(im, f.ptr, f.len);
}

int ct_dhis2_metric_name(const char *code, char *out, size_t size)
{
    size_t n = 0;
    if (size < 4) { if (size) out[0] = '\0'; return 1; }
    if (!isalpha((unsigned char)code[0])) { out[n++] = 'm'; out[n++] = '_'; }
    int gap = 0;
    for (const char *c = code; *c && n + 2 < size; c++) {
        if (isalnum((unsigned char)*c) || *c == '_') {
            if (gap && n > 0 && out[n - 1] != '_') out[n++] = '_';
            gap = 0;
            out[n++] = *c;
        } else {
            gap = 1;
        }
    }
    if (gap && n > 0 && out[n - 1] != '_' && n + 1 < size) out[n++] = '_';
    while (n > 2 && out[n - 1] == '_' && out[n - 2] == '_') n--;
    if (n == 2 && out[0] == 'm' && out[1] == '_') out[n++] = 'x';
    out[n] = '\0';
    return strcmp(out, code) != 0;
}

static int metric_name_ok(const char *s)
{
    if (!isalpha((unsigned char)s[0])) return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_') return 0;
    return 1;
}

ct_status ct_dhis2_read_map(ct_dhis2_import *im, const char *path, ct_diags *d)
{
    ct_csv r;
    ct_status st = ct_csv_open(&r, path, d);
    if (st != CT_OK) return st;
    ct_field f[8];
    int n, first = 1;
    int c_de = 0, c_coc = 1, c_aoc = -1, c_m = 2, width = 3;
    size_t errors = d->n_errors;
    while ((n = ct_csv_next(&r, f, 8, d)) != 0) {
        if (n < 0) continue;
        const char *cell[8];
        for (int k = 0; k < n && k < 8; k++) cell[k] = field_dup(im, f[k]);
        if (first && n <= 8 && !strcmp(cell[0], "dataelement")) {
            first = 0;
            c_coc = c_aoc = c_m = -1;
            for (int k = 0; k < n; k++) {
                if (!strcmp(cell[k], "catoptcombo") || !strcmp(cell[k], "categoryoptioncombo")) c_coc = k;
                else if (!strcmp(cell[k], "attroptcombo") || !strcmp(cell[k], "attributeoptioncombo")) c_aoc = k;
                else if (!strcmp(cell[k], "metric")) c_m = k;
            }
            if (c_coc < 0 || c_m < 0) {
                ct_error_at(d, path, r.row_line, 0, "%s", "the header needs columns dataelement, catoptcombo and metric "
                                                          "(attroptcombo optional)");
                st = CT_EINPUT;
                break;
            }
            width = n;
            im->map_aoc = c_aoc >= 0;
            continue;
        }
        first = 0;
        if (n >= 3 && !strcmp(cell[0], "level")) {
            char *end;
            long lv = strtol(cell[1], &end, 10);
            if (*end || lv < 1 || lv > 15 || !*cell[2]) {
                ct_error_at(d, path, r.row_line, 0, "a level row is level,N,NAME with N from 1 to 15, not level,%.100s,%.100s",
                            cell[1], cell[2]);
                continue;
            }
            im->level_names[lv] = (char *)cell[2];
            continue;
        }
        if (n >= 3 && !strcmp(cell[0], "orgunit")) {
            const char *id = cell[1], *code = cell[2];
            if (!*id || !*code || strcmp(code, "VN") == 0) {
                ct_error_at(d, path, r.row_line, 0, "an org unit row is orgunit,ID,CODE with an id and a code other than "
                            "VN (the implicit root's), not orgunit,%.100s,%.100s", id, code);
                continue;
            }
            if (ct_dhis2_grow((void **)&im->map_codes, &im->cap_map_codes, im->n_map_codes, sizeof *im->map_codes)) {
                st = CT_ENOMEM;
                break;
            }
            int prev = ct_strmap_put(&im->map_code_of, id, strlen(id), (int)im->n_map_codes);
            if (prev == -2) { st = CT_ENOMEM; break; }
            if (prev != (int)im->n_map_codes) {
                ct_error_at(d, path, r.row_line, 0, "org unit %.200s is given a code twice", id);
                continue;
            }
            im->map_codes[im->n_map_codes++] = code;
            continue;
        }
        if (n != width) {
            ct_error_at(d, path, r.row_line, 0, "expected %d fields (as the header), found %d", width, n);
            continue;
        }
        const char *de = cell[c_de], *coc = cell[c_coc], *aoc = c_aoc >= 0 ? cell[c_aoc] : "", *m = cell[c_m];
        if (!*de) { ct_error_at(d, path, r.row_line, 0, "%s", "the dataelement is empty"); continue; }
        if (*m && strcmp(m, "*") && !metric_name_ok(m)) {
            ct_error_at(d, path, r.row_line, 0, "metric name '%.200s' must be letters, digits and '_', starting with a letter", m);
            continue;
        }
        if (!strcmp(de, "*") || !strcmp(coc, "*") || !strcmp(aoc, "*")) im->map_wild = 1;
        const char *parts[3] = {de, strcmp(coc, "null") && strcmp(coc, "*") ? combo_text(im, coc, 0) : coc,
                                strcmp(aoc, "*") ? combo_text(im, aoc, 0) : aoc};
        size_t kn = make_key(im, 3, parts);
        if (kn == (size_t)-1 || ct_dhis2_grow((void **)&im->map_metrics, &im->cap_map, im->n_map, sizeof *im->map_metrics)) {
            st = CT_ENOMEM;
            break;
        }
        /* the map's value is 1 + the row's place in map_metrics ("" metric: ignored on purpose) */
        int prev = ct_strmap_put(&im->map, im->key, kn, (int)im->n_map + 1);
        if (prev == -2) { st = CT_ENOMEM; break; }
        if (prev != (int)im->n_map + 1) {
            ct_error_at(d, path, r.row_line, 0, "%.200s,%.200s,%.200s is mapped twice", de, coc, aoc);
            continue;
        }
        im->map_metrics[im->n_map++] = m;
        /* remember which data elements the map names at all */
        if (ct_strmap_put(&im->map, de, strlen(de), 0) == -2) { st = CT_ENOMEM; break; }
    }
    ct_csv_close(&r);
    im->has_map = 1;
    if (st == CT_OK && d->n_errors > errors) st = CT_EINPUT;
    return st;
}

/* The metric a (data element, combo, attribute combo) goes to: 1 with
 * *metric set (NULL: the map ignores it on purpose; "*": the data element's
 * own name), 0 when it cannot be placed. The data element is looked up as
 * the file gives it, then by name (its code, where a metadata file gave the
 * id's), then as '*'; the combos exactly before '*'. */
static int map_metric(ct_dhis2_import *im, const char *de, const char *name, const char *coc, const char *aoc,
                      const char **metric)
{
    if (im->has_map) {
        const char *des[3] = {de, name, "*"}, *cocs[2] = {coc, "*"}, *aocs[2] = {aoc, "*"};
        if (!im->map_aoc && *aoc) return 0; /* the map has no attribute combos: only the default */
        for (int di = 0; di < 3; di++) {
            if (di == 1 && !strcmp(name, de)) continue;
            if (di == 2 && !im->map_wild) break;
            for (int t = 0; t < (im->map_wild ? 4 : 1); t++) {
                /* the order: exact; then the attribute combo, the combo as '*' */
                const char *parts[3] = {des[di], cocs[(t >> 1) & 1], aocs[t & 1]};
                if (!im->map_aoc && t & 1) continue;
                size_t kn = make_key(im, 3, parts);
                if (kn == (size_t)-1) return 0;
                int k = ct_strmap_get(&im->map, im->key, kn);
                if (k > 0) {
                    const char *m = im->map_metrics[k - 1];
                    *metric = !*m ? NULL : !strcmp(m, "*") ? name : m;
                    return 1;
                }
            }
        }
        /* a data element the map names is read only as the map says */
        if (ct_strmap_get(&im->map, de, strlen(de)) >= 0 || ct_strmap_get(&im->map, name, strlen(name)) >= 0) return 0;
    }
    if (*coc || *aoc) return 0;
    *metric = name;
    return 1;
}

/* The metric of a data element's code or a map's name: a code that is no
 * valid name becomes one (ct_dhis2_metric_name; "_2", "_3" ... when another
 * code already has that name), the code kept. -2 when out of memory. */
static int metric_index(ct_dhis2_import *im, const char *source, int from_code, int boolean)
{
    const char *parts[2] = {from_code ? "c" : "m", source};
    size_t kn = make_key(im, 2, parts);
    if (kn == (size_t)-1) return -2;
    int k = ct_strmap_get(&im->metric_ix, im->key, kn);
    if (k < 0) {
        if (ct_dhis2_grow((void **)&im->metrics, &im->cap_metrics, im->n_metrics, sizeof *im->metrics)) return -2;
        size_t size = strlen(source) + 24;
        char *name = ct_arena_alloc(&im->arena, size);
        if (!name) return -2;
        int changed = 0;
        if (from_code) changed = ct_dhis2_metric_name(source, name, size - 12);
        else snprintf(name, size, "%s", source);
        size_t base = strlen(name);
        /* the name of a metric already found: the same metric when that one is the name itself (a map's
         * metric, or a code that is a valid name) and so is this; a made-up name is never shared */
        int same = ct_strmap_get(&im->metric_names, name, base);
        if (same >= 0 && !*im->metrics[same].dhis2_code && !changed) {
            kn = make_key(im, 2, parts);
            if (kn == (size_t)-1 || ct_strmap_put(&im->metric_ix, im->key, kn, same) == -2) return -2;
            if (!boolean) im->metrics[same].boolean_only = 0;
            return same;
        }
        for (int i = 2; ct_strmap_get(&im->metric_names, name, strlen(name)) >= 0; i++) {
            snprintf(name + base, size - base, "_%d", i);
            changed = 1;
        }
        k = (int)im->n_metrics;
        if (ct_strmap_put(&im->metric_names, name, strlen(name), k) == -2) return -2;
        kn = make_key(im, 2, parts);
        if (kn == (size_t)-1 || ct_strmap_put(&im->metric_ix, im->key, kn, k) == -2) return -2;
        im->metrics[k].name = name;
        im->metrics[k].dhis2_code = changed && from_code ? ct_dhis2_dup(im, source, strlen(source)) : "";
        im->metrics[k].boolean_only = 1;
        im->metrics[k].summed_days = 0;
        if (!im->metrics[k].dhis2_code) return -2;
        im->n_metrics++;
    }
    if (!boolean) im->metrics[k].boolean_only = 0;
    return k;
}

/* ---- data values ---- */

void ct_dhis2_unplaced(ct_dhis2_import *im, ct_diags *d, int reason, const char *path, int line, long index,
                       const ct_dhis2_raw *v, const char *what)
{
    char where[64];
    im->n_unplaced[reason]++;
    if (line > 0) where[0] = '\0';
    else snprintf(where, sizeof where, "dataValues[%ld] ", index);
    ct_diag_add(d, im->skip_unplaced ? CT_SEV_WARNING : CT_SEV_ERROR, path, line, 0,
                "%s(%.200s, %.40s, %.200s): %s; the value is not placed", where, v->de ? v->de : "",
                v->period ? v->period : "", v->ou ? v->ou : "", what);
}

/* A value's position for a message: "FILE:LINE" or "FILE dataValues[I]". */
static void position(char *buf, size_t size, const ct_dhis2_src *s)
{
    if (s->line > 0) snprintf(buf, size, "%.300s:%d", s->file, s->line);
    else snprintf(buf, size, "%.300s dataValues[%ld]", s->file, s->index);
}

/* Whether a unit was open for the whole of the months first..last. */
static int open_in(const ct_dhis2_unit *u, int first, int last)
{
    return u->from_month <= first && last <= u->to_month;
}

/* DHIS2's values: numbers (no hex, no inf), and booleans true/false, t/f in
 * any case. Returns 0 (number), 1 (boolean), -1 (neither). */
static int parse_value(const char *s, double *x)
{
    if (!strcasecmp(s, "true") || !strcasecmp(s, "t")) { *x = 1; return 1; }
    if (!strcasecmp(s, "false") || !strcasecmp(s, "f")) { *x = 0; return 1; }
    size_t n = strlen(s);
    if (n == 0 || n >= sizeof ((ct_dhis2_obs *)0)->text || strspn(s, "0123456789+-.eE") != n) return -1;
    char *end;
    *x = strtod(s, &end);
    return end == s || *end || !isfinite(*x) ? -1 : 0;
}

ct_status ct_dhis2_place(ct_dhis2_import *im, ct_diags *d, const char *path, int line, long index, const ct_dhis2_raw *v)
{
    char what[900];
    im->n_read++;
    if (v->deleted) { im->n_deleted++; return CT_OK; }
    if (!v->value || !*v->value) { im->n_empty++; return CT_OK; }
    const char *de = v->de ? v->de : "";
    if (!*de) { ct_dhis2_unplaced(im, d, CT_DHIS2_COMBO, path, line, index, v, "no data element"); return CT_OK; }
    char pbuf[16];
    const char *ptype;
    int pr = ct_dhis2_period_in(v->period ? v->period : "", pbuf, &ptype);
    int into_month = 0;
    if (pr == -1 && im->into_months && ct_dhis2_period_month(v->period, pbuf) == 0) { pr = 0; into_month = 1; }
    if (pr == -1) {
        snprintf(what, sizeof what, "the period type %s is not one chitieu has (year, half-year, quarter, month)%s", ptype,
                 im->into_months ? "" : !strncmp(ptype, "weekly", 6) || !strcmp(ptype, "daily")
                                           ? "; --into-months sums daily and ISO weekly values into months" : "");
        ct_dhis2_unplaced(im, d, CT_DHIS2_PERIOD, path, line, index, v, what);
        return CT_OK;
    }
    if (pr < 0) {
        snprintf(what, sizeof what, "'%.40s' is not a DHIS2 period id", v->period ? v->period : "");
        ct_dhis2_unplaced(im, d, CT_DHIS2_PERIOD, path, line, index, v, what);
        return CT_OK;
    }
    ct_period per;
    ct_period_parse(pbuf, strlen(pbuf), &per);
    int m0 = ct_period_first_month(per), m1 = ct_period_last_month(per);
    /* the org unit: by id that very unit; by code the unit with that code open in the period */
    const char *ou = v->ou ? v->ou : "";
    int k = ct_strmap_get(&im->unit_by_id, ou, strlen(ou)), by_id = k >= 0, u = -1;
    if (!by_id && k < 0 && (k = ct_strmap_get(&im->unit_by_dhis2_code, ou, strlen(ou))) >= 0)
        by_id = 1; /* its DHIS2 code, where the map gave it another */
    const char *code = NULL;
    if (by_id) u = open_in(&im->units[k], m0, m1) ? k : -1;
    else if (k == -1 && ct_strmap_key(&im->unit_by_id, ou, strlen(ou)))
        code = "VN"; /* the level-1 root without code: the implicit root */
    else
        for (k = ct_strmap_get(&im->unit_by_code, ou, strlen(ou)); k >= 0; k = im->units[k].next_same_code)
            if (open_in(&im->units[k], m0, m1)) { u = k; break; }
    if (u < 0 && !code) {
        int known = by_id || ct_strmap_get(&im->unit_by_code, ou, strlen(ou)) >= 0;
        if (!known) snprintf(what, sizeof what, "org unit '%.200s' is not in the org unit file (by code or id)", ou);
        else if (by_id) {
            const ct_dhis2_unit *x = &im->units[k];
            snprintf(what, sizeof what, "org unit %.100s (%.100s) was not open for the whole of %s (open %s..%s)", x->id,
                     x->code, pbuf, *x->valid_from ? x->valid_from : "-", *x->valid_to ? x->valid_to : "-");
        } else
            snprintf(what, sizeof what, "no org unit with the code '%.200s' was open for the whole of %s", ou, pbuf);
        ct_dhis2_unplaced(im, d, known ? CT_DHIS2_CLOSED : CT_DHIS2_ORGUNIT, path, line, index, v, what);
        return CT_OK;
    }
    int on_root = code != NULL;
    if (!code) code = im->units[u].code;
    const char *coc = combo_text(im, v->coc, v->coc_null), *aoc = combo_text(im, v->aoc, v->aoc_null);
    const char *metric;
    /* a data element given by id, where a metadata file gave its code: named by the code */
    int dk = ct_strmap_get(&im->de_code_of, de, strlen(de));
    const char *de_name = dk >= 0 ? im->de_codes[dk] : de;
    if (!map_metric(im, de, de_name, coc, aoc, &metric)) {
        if (v->coc_null || v->aoc_null) {
            /* never merged: a null combo is some disaggregation without a code */
            const char *parts[4] = {de, pbuf, code, aoc};
            size_t kn = make_key(im, 4, parts);
            if (kn == (size_t)-1 || ct_dhis2_grow((void **)&im->nulls, &im->cap_nulls, im->n_nulls, sizeof *im->nulls)) return CT_ENOMEM;
            int first = ct_strmap_put(&im->null_seen, im->key, kn, (int)im->n_nulls);
            if (first == -2) return CT_ENOMEM;
            im->nulls[im->n_nulls++] = (ct_dhis2_src){0, path, line, index};
            char other[480] = "";
            if (first != (int)im->n_nulls - 1) {
                char pos[360];
                position(pos, sizeof pos, &im->nulls[first]);
                snprintf(other, sizeof other, " (so is the value at %s: two disaggregations, never merged)", pos);
            }
            snprintf(what, sizeof what,
                     "its %s option combo is null, as DHIS2 writes a combo without a code under idScheme=code%s; export "
                     "with categoryOptionComboIdScheme=UID (and attributeOptionComboIdScheme=UID), or map it with "
                     "--map (a row %.100s,null,METRIC)", v->coc_null ? "category" : "attribute", other, de);
            ct_dhis2_unplaced(im, d, CT_DHIS2_NULLCOMBO, path, line, index, v, what);
            return CT_OK;
        }
        if (*aoc && !im->map_aoc)
            snprintf(what, sizeof what, "attribute option combo '%.200s' is not the default%s", aoc,
                     im->has_map ? " (the map has no attroptcombo column)" : " (give --map with an attroptcombo column)");
        else
            snprintf(what, sizeof what,
                     im->has_map ? "category option combo '%.200s' is not in the map"
                                 : "category option combo '%.200s' is not the default (give --map)",
                     *coc ? coc : *aoc ? aoc : "");
        ct_dhis2_unplaced(im, d, CT_DHIS2_COMBO, path, line, index, v, what);
        return CT_OK;
    }
    if (!metric) { im->n_ignored++; return CT_OK; }
    double x;
    int boolean = parse_value(v->value, &x);
    if (boolean < 0) {
        snprintf(what, sizeof what, "the value '%.100s' is not a number (nor a boolean): a text or date data "
                 "element has no place in a data folder (a map row %.100s,*, leaves it out)", v->value, de);
        ct_dhis2_unplaced(im, d, CT_DHIS2_VALUE, path, line, index, v, what);
        return CT_OK;
    }
    if (into_month && boolean) {
        snprintf(what, sizeof what, "a boolean of the %s period %.20s cannot be summed into its month", ptype, v->period);
        ct_dhis2_unplaced(im, d, CT_DHIS2_PERIOD, path, line, index, v, what);
        return CT_OK;
    }
    int mi = metric_index(im, metric, metric == de_name, boolean);
    if (mi == -2) return CT_ENOMEM;
    metric = im->metrics[mi].name;
    const char *okey[3] = {code, pbuf, metric};
    /* each source (data element and combos) gives one value for a unit, period and metric */
    const char *skey[6] = {code, into_month ? v->period : pbuf, metric, de, coc, aoc};
    size_t sn = make_key(im, 6, skey);
    if (sn == (size_t)-1) return CT_ENOMEM;
    int si = ct_strmap_get(&im->src_key, im->key, sn);
    if (si >= 0) {
        const ct_dhis2_src *src = &im->srcs[si];
        char pos[360];
        position(pos, sizeof pos, src);
        if (src->value == x && !v->coc_null && !v->aoc_null) { im->n_duplicate++; return CT_OK; } /* kept once */
        if (src->value == x)
            snprintf(what, sizeof what, "a second value with a null combo, as at %s: two disaggregations are never merged; "
                     "export with categoryOptionComboIdScheme=UID", pos);
        else
            snprintf(what, sizeof what, "the same value twice with different numbers: it was %.15g at %s, now %.40s",
                     src->value, pos, v->value);
        ct_dhis2_unplaced(im, d, CT_DHIS2_CONFLICT, path, line, index, v, what);
        return CT_OK;
    }
    if (ct_dhis2_grow((void **)&im->srcs, &im->cap_srcs, im->n_srcs, sizeof *im->srcs)) return CT_ENOMEM;
    im->srcs[im->n_srcs] = (ct_dhis2_src){x, path, line, index};
    if (ct_strmap_put(&im->src_key, im->key, sn, (int)im->n_srcs) == -2) return CT_ENOMEM;
    im->n_srcs++;
    size_t kn = make_key(im, 3, okey);
    if (kn == (size_t)-1) return CT_ENOMEM;
    int prev = ct_strmap_get(&im->obs_key, im->key, kn);
    if (prev >= 0) { /* another combo mapped to the same metric, or another day or week: they add up */
        ct_dhis2_obs *o = &im->obs[prev];
        if (o->summed_days != into_month) {
            snprintf(what, sizeof what, "a monthly value and daily or weekly values of %.200s for one month: they "
                     "would be counted twice", metric);
            ct_dhis2_unplaced(im, d, CT_DHIS2_CONFLICT, path, line, index, v, what);
            return CT_OK;
        }
        if (into_month) { im->metrics[mi].summed_days = 1; im->n_into_months++; }
        o->value += x;
        snprintf(o->text, sizeof o->text, "%.15g", o->value);
        if (!into_month) im->n_summed++;
        im->n_root_values += (size_t)on_root;
        return CT_OK;
    }
    if (ct_dhis2_grow((void **)&im->obs, &im->cap_obs, im->n_obs, sizeof *im->obs)) return CT_ENOMEM;
    ct_dhis2_obs *o = &im->obs[im->n_obs];
    o->unit = code;
    o->period = ct_dhis2_dup(im, pbuf, strlen(pbuf));
    o->metric = metric;
    o->value = x;
    o->summed_days = into_month;
    if (into_month) { im->metrics[mi].summed_days = 1; im->n_into_months++; }
    if (boolean) snprintf(o->text, sizeof o->text, "%d", (int)x);
    else snprintf(o->text, sizeof o->text, "%s", v->value);
    if (!o->period) return CT_ENOMEM;
    if (ct_strmap_put(&im->obs_key, im->key, kn, (int)im->n_obs) == -2) return CT_ENOMEM;
    im->n_obs++;
    im->n_root_values += (size_t)on_root;
    return CT_OK;
}
