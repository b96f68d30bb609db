#include "ct_dhis2_in.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../model/ct_period.h"
#include "ct_csv.h"

static const char *const default_levels[] = {NULL, "national", "province", "district", "commune"};

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
    ct_arena_free(&im->arena);
    memset(im, 0, sizeof *im);
}

size_t ct_dhis2_unplaced(const ct_dhis2_import *im)
{
    size_t n = 0;
    for (int i = 0; i < CT_DHIS2_N_REASONS; i++) n += im->n_unplaced[i];
    return n;
}

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap) return 0;
    size_t c = *cap ? *cap * 2 : 64;
    void *q = realloc(*p, c * size);
    if (!q) return -1;
    *p = q;
    *cap = c;
    return 0;
}

static const char *dup(ct_dhis2_import *im, const char *s, size_t n)
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

/* "2016-01-01T00:00:00.000" -> "2016-01"; "" when s is NULL; NULL when bad. */
static const char *date_month(ct_dhis2_import *im, const char *s)
{
    if (!s || !*s) return "";
    if (strlen(s) < 7 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2)) return NULL;
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    if (m < 1 || m > 12) return NULL;
    return dup(im, s, 7);
}

/* ---- the map ---- */

static int is_default_combo(const char *s)
{
    return !s || !*s || !strcmp(s, "HllvX50cXC0") || !strcmp(s, "default");
}

/* "de\x1fcombo" with the default combo written as "". */
static size_t map_key(char *buf, size_t size, const char *de, const char *coc)
{
    int n = snprintf(buf, size, "%s\x1f%s", de, is_default_combo(coc) ? "" : coc);
    return n < 0 ? 0 : (size_t)n >= size ? size - 1 : (size_t)n;
}

static const char *field_dup(ct_dhis2_import *im, ct_field f)
{
    while (f.len && isspace((unsigned char)f.ptr[0])) { f.ptr++; f.len--; }
    while (f.len && isspace((unsigned char)f.ptr[f.len - 1])) f.len--;
    return dup(im, f.ptr, f.len);
}

ct_status ct_dhis2_read_map(ct_dhis2_import *im, const char *path, ct_diags *d)
{
    ct_csv r;
    ct_status st = ct_csv_open(&r, path, d);
    if (st != CT_OK) return st;
    ct_field f[8];
    int n, first = 1;
    size_t errors = d->n_errors;
    while ((n = ct_csv_next(&r, f, 8, d)) != 0) {
        if (n < 0) continue;
        const char *a = field_dup(im, f[0]), *b = n > 1 ? field_dup(im, f[1]) : "", *c = n > 2 ? field_dup(im, f[2]) : "";
        if (first && !strcmp(a, "dataelement")) { first = 0; continue; }
        first = 0;
        if (n != 3) {
            ct_error_at(d, path, r.row_line, 0, "expected 3 fields (dataelement,catoptcombo,metric), found %d", n);
            continue;
        }
        if (!strcmp(a, "level")) {
            char *end;
            long lv = strtol(b, &end, 10);
            if (*end || lv < 1 || lv > 15 || !*c) {
                ct_error_at(d, path, r.row_line, 0, "a level row is level,N,NAME with N from 1 to 15, not level,%s,%s", b, c);
                continue;
            }
            im->level_names[lv] = (char *)c;
            continue;
        }
        if (!*a) { ct_error_at(d, path, r.row_line, 0, "%s", "the dataelement is empty"); continue; }
        char key[512];
        size_t kn = map_key(key, sizeof key, a, b);
        if (grow((void **)&im->map_metrics, &im->cap_map, im->n_map, sizeof *im->map_metrics)) { st = CT_ENOMEM; break; }
        /* the map's value is 1 + the row's place in map_metrics ("" metric: ignored on purpose) */
        int prev = ct_strmap_put(&im->map, key, kn, (int)im->n_map + 1);
        if (prev == -2) { st = CT_ENOMEM; break; }
        if (prev != (int)im->n_map + 1) {
            ct_error_at(d, path, r.row_line, 0, "%s,%s is mapped twice", a, b);
            continue;
        }
        im->map_metrics[im->n_map++] = c;
        /* remember which data elements the map names at all */
        if (ct_strmap_put(&im->map, a, strlen(a), 0) == -2) { st = CT_ENOMEM; break; }
    }
    ct_csv_close(&r);
    im->has_map = 1;
    if (st == CT_OK && d->n_errors > errors) st = CT_EINPUT;
    return st;
}

/* The metric a (data element, combo) goes to: 1 with *metric set (NULL: the
 * map ignores it on purpose), 0 when it cannot be placed. */
static int map_metric(const ct_dhis2_import *im, const char *de, const char *coc, const char **metric)
{
    char key[512];
    size_t kn = map_key(key, sizeof key, de, coc);
    int k = ct_strmap_get(&im->map, key, kn);
    if (k > 0) {
        const char *m = im->map_metrics[k - 1];
        *metric = *m ? m : NULL;
        return 1;
    }
    /* a data element the map does not name is read by its code, default combo only */
    if (ct_strmap_get(&im->map, de, strlen(de)) >= 0 || !is_default_combo(coc)) return 0;
    *metric = de;
    return 1;
}

/* ---- org units ---- */

static const char *json_str(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *level_name(ct_dhis2_import *im, int level)
{
    if (level >= 1 && level < 16 && im->level_names[level]) return im->level_names[level];
    if (level >= 1 && level <= 4) return default_levels[level];
    char buf[24];
    snprintf(buf, sizeof buf, "level%d", level);
    return dup(im, buf, strlen(buf));
}

/* Orders by code, then valid_from. */
static int code_cmp(const void *a, const void *b)
{
    const ct_dhis2_unit *x = *(ct_dhis2_unit *const *)a, *y = *(ct_dhis2_unit *const *)b;
    int c = strcmp(x->code, y->code);
    return c ? c : strcmp(x->valid_from, y->valid_from);
}

/* Two org units with one code and overlapping validity cannot be told apart. */
static void check_overlaps(ct_dhis2_import *im, const char *path, ct_diags *d)
{
    if (im->n_units < 2) return;
    ct_dhis2_unit **v = malloc(im->n_units * sizeof *v);
    if (!v) return;
    for (size_t i = 0; i < im->n_units; i++) v[i] = &im->units[i];
    qsort(v, im->n_units, sizeof *v, code_cmp);
    for (size_t i = 1; i < im->n_units; i++) {
        const ct_dhis2_unit *a = v[i - 1], *b = v[i];
        if (strcmp(a->code, b->code)) continue;
        if (!*a->valid_to || !*b->valid_from || strcmp(a->valid_to, b->valid_from) >= 0)
            ct_error_at(d, path, 0, 0,
                        "org units %s and %s share the code '%s' and their opening and closed dates overlap "
                        "(%s..%s and %s..%s, by month)",
                        a->id, b->id, a->code, *a->valid_from ? a->valid_from : "-", *a->valid_to ? a->valid_to : "-",
                        *b->valid_from ? b->valid_from : "-", *b->valid_to ? b->valid_to : "-");
    }
    free(v);
}

/* The level from "level", else from the depth of "path" (/a/b/c is 3). */
static int orgunit_level(json_t *ou)
{
    json_t *lv = json_object_get(ou, "level");
    if (json_is_integer(lv)) return (int)json_integer_value(lv);
    const char *p = json_str(ou, "path");
    if (!p) return 0;
    int n = 0;
    for (; *p; p++) n += *p == '/';
    return n;
}

ct_status ct_dhis2_read_orgunits(ct_dhis2_import *im, const char *path, ct_diags *d)
{
    json_error_t err;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
    if (!root) {
        ct_error_at(d, path, err.line > 0 ? err.line : 0, err.column > 0 ? err.column : 0, "%s", err.text);
        return CT_EINPUT;
    }
    json_t *list = json_object_get(root, "organisationUnits");
    if (!json_is_array(list)) {
        ct_error_at(d, path, 0, 0, "%s", "no \"organisationUnits\" array (expected {\"organisationUnits\": [...]})");
        json_decref(root);
        return CT_EINPUT;
    }
    size_t errors = d->n_errors, i;
    json_t *ou;
    ct_status st = CT_OK;
    json_array_foreach(list, i, ou) {
        const char *id = json_str(ou, "id"), *code = json_str(ou, "code"), *name = json_str(ou, "name");
        json_t *parent = json_object_get(ou, "parent");
        const char *pid = json_is_object(parent) ? json_str(parent, "id") : NULL;
        int level = orgunit_level(ou);
        if (!json_is_object(ou) || !id) {
            ct_error_at(d, path, 0, 0, "organisationUnits[%zu]: no \"id\"", i);
            continue;
        }
        if (level < 1) {
            ct_error_at(d, path, 0, 0, "organisationUnits[%zu] (%s): no \"level\" (or \"path\")", i, id);
            continue;
        }
        if (!code || !*code) {
            if (level == 1) { /* the root: left implicit; its children hang under it */
                if (ct_strmap_put(&im->unit_by_id, id, strlen(id), -1) == -2) st = CT_ENOMEM;
                continue;
            }
            ct_error_at(d, path, 0, 0, "organisationUnits[%zu] (%s, %s): no \"code\"; chitieu identifies units by code",
                        i, id, name ? name : "");
            continue;
        }
        if (grow((void **)&im->units, &im->cap_units, im->n_units, sizeof *im->units)) { st = CT_ENOMEM; break; }
        ct_dhis2_unit *u = &im->units[im->n_units];
        u->id = dup(im, id, strlen(id));
        u->code = dup(im, code, strlen(code));
        u->name = dup(im, name ? name : code, strlen(name ? name : code));
        u->level_no = level;
        u->level = level_name(im, level);
        u->parent_id = dup(im, pid, pid ? strlen(pid) : 0);
        u->parent = "";
        const char *from = json_str(ou, "openingDate"), *to = json_str(ou, "closedDate");
        u->valid_from = date_month(im, from);
        u->valid_to = date_month(im, to);
        if (!u->valid_from || !u->valid_to) {
            ct_error_at(d, path, 0, 0, "organisationUnits[%zu] (%s): a date is not YYYY-MM-DD: \"%s\"", i, id,
                        !u->valid_from ? from : to);
            continue;
        }
        if (!u->id || !u->code || !u->name || !u->level || !u->parent_id) { st = CT_ENOMEM; break; }
        int prev = ct_strmap_put(&im->unit_by_id, id, strlen(id), (int)im->n_units);
        if (prev == -2) { st = CT_ENOMEM; break; }
        if (prev != (int)im->n_units) { ct_error_at(d, path, 0, 0, "organisationUnits[%zu]: id %s appears twice", i, id); continue; }
        if (ct_strmap_put(&im->unit_by_code, code, strlen(code), (int)im->n_units) == -2) { st = CT_ENOMEM; break; }
        im->n_units++;
    }
    json_decref(root);
    if (st != CT_OK) return st;
    /* parents by id -> their code */
    for (size_t k = 0; k < im->n_units; k++) {
        ct_dhis2_unit *u = &im->units[k];
        if (!*u->parent_id) {
            if (u->level_no > 1)
                ct_error_at(d, path, 0, 0, "org unit %s (%s) at level %d has no parent", u->id, u->code, u->level_no);
            continue;
        }
        int p = ct_strmap_get(&im->unit_by_id, u->parent_id, strlen(u->parent_id));
        if (p == -1 && ct_strmap_key(&im->unit_by_id, u->parent_id, strlen(u->parent_id))) continue; /* the implicit root */
        if (p < 0) ct_error_at(d, path, 0, 0, "org unit %s (%s): its parent %s is not in the file", u->id, u->code, u->parent_id);
        else u->parent = im->units[p].code;
    }
    /* parent before child: by level, keeping the file's order within a level */
    free(im->order);
    im->order = malloc((im->n_units ? im->n_units : 1) * sizeof *im->order);
    if (!im->order) return CT_ENOMEM;
    size_t m = 0;
    for (int lv = 1; lv <= 64 && m < im->n_units; lv++)
        for (size_t k = 0; k < im->n_units; k++)
            if (im->units[k].level_no == lv) im->order[m++] = k;
    for (size_t k = 0; k < im->n_units; k++)
        if (im->units[k].level_no > 64) im->order[m++] = k;
    check_overlaps(im, path, d);
    return d->n_errors > errors ? CT_EINPUT : CT_OK;
}

/* ---- data values ---- */

typedef struct {
    const char *de, *period, *ou, *coc, *aoc, *value;
    int deleted;
} raw_value;

static void unplaced(ct_dhis2_import *im, ct_diags *d, int reason, const char *path, int line, long index,
                     const raw_value *v, const char *fmt, const char *arg)
{
    char what[512], where[64];
    im->n_unplaced[reason]++;
    snprintf(what, sizeof what, fmt, arg);
    if (line > 0) where[0] = '\0';
    else snprintf(where, sizeof where, "dataValues[%ld] ", index);
    ct_diag_add(d, im->skip_unplaced ? CT_SEV_WARNING : CT_SEV_ERROR, path, line, 0,
                "%s(%s, %s, %s): %s; the value is not placed", where, v->de ? v->de : "", v->period ? v->period : "",
                v->ou ? v->ou : "", what);
}

static int metric_index(ct_dhis2_import *im, const char *name, int boolean)
{
    int k = ct_strmap_get(&im->metric_ix, name, strlen(name));
    if (k < 0) {
        if (grow((void **)&im->metrics, &im->cap_metrics, im->n_metrics, sizeof *im->metrics)) return -2;
        k = (int)im->n_metrics;
        const char *copy = dup(im, name, strlen(name));
        if (!copy || ct_strmap_put(&im->metric_ix, name, strlen(name), k) == -2) return -2;
        im->metrics[k].name = copy;
        im->metrics[k].boolean_only = 1;
        im->n_metrics++;
    }
    if (!boolean) im->metrics[k].boolean_only = 0;
    return k;
}

/* Places one value: CT_OK (placed, or reported as unplaced), CT_ENOMEM. */
static ct_status place(ct_dhis2_import *im, ct_diags *d, const char *path, int line, long index, const raw_value *v)
{
    im->n_read++;
    if (v->deleted) { im->n_deleted++; return CT_OK; }
    if (!v->value || !*v->value) { im->n_empty++; return CT_OK; }
    const char *de = v->de ? v->de : "";
    if (!*de) { unplaced(im, d, CT_DHIS2_COMBO, path, line, index, v, "%s", "no data element"); return CT_OK; }
    /* the org unit: a code, else an id */
    const char *ou = v->ou ? v->ou : "";
    const char *code = NULL;
    int k = ct_strmap_get(&im->unit_by_code, ou, strlen(ou));
    if (k >= 0) code = im->units[k].code;
    else if ((k = ct_strmap_get(&im->unit_by_id, ou, strlen(ou))) >= 0) code = im->units[k].code;
    if (!code) {
        unplaced(im, d, CT_DHIS2_ORGUNIT, path, line, index, v, "org unit '%s' is not in the org unit file (by code or id)", ou);
        return CT_OK;
    }
    char pbuf[16];
    const char *ptype;
    int pr = ct_dhis2_period_in(v->period ? v->period : "", pbuf, &ptype);
    if (pr == -1) { unplaced(im, d, CT_DHIS2_PERIOD, path, line, index, v, "the period type %s is not one chitieu has (year, half-year, quarter, month)", ptype); return CT_OK; }
    if (pr < 0) { unplaced(im, d, CT_DHIS2_PERIOD, path, line, index, v, "'%s' is not a DHIS2 period id", v->period ? v->period : ""); return CT_OK; }
    if (!is_default_combo(v->aoc)) {
        unplaced(im, d, CT_DHIS2_COMBO, path, line, index, v, "attribute option combo '%s' is not the default", v->aoc);
        return CT_OK;
    }
    const char *metric;
    if (!map_metric(im, de, v->coc, &metric)) {
        unplaced(im, d, CT_DHIS2_COMBO, path, line, index, v,
                 im->has_map ? "category option combo '%s' is not in the map" : "category option combo '%s' is not the default (give --map)",
                 v->coc ? v->coc : "");
        return CT_OK;
    }
    if (!metric) { im->n_ignored++; return CT_OK; }
    /* the value */
    double x;
    int boolean = 0;
    if (!strcmp(v->value, "true")) { x = 1; boolean = 1; }
    else if (!strcmp(v->value, "false")) { x = 0; boolean = 1; }
    else {
        char *end;
        x = strtod(v->value, &end);
        if (end == v->value || *end || !isfinite(x) || strlen(v->value) >= 40 || isspace((unsigned char)v->value[0])) {
            unplaced(im, d, CT_DHIS2_VALUE, path, line, index, v, "the value '%s' is not a number", v->value);
            return CT_OK;
        }
    }
    int mi = metric_index(im, metric, boolean);
    if (mi == -2) return CT_ENOMEM;
    metric = im->metrics[mi].name;
    char key[600];
    int kn = snprintf(key, sizeof key, "%s\x1f%s\x1f%s", code, pbuf, metric);
    if (kn < 0 || (size_t)kn >= sizeof key) kn = (int)sizeof key - 1;
    /* each source (data element and combo) gives one value for a unit, period and metric */
    char skey[1200];
    int sn = snprintf(skey, sizeof skey, "%.*s\x1f%s\x1f%s", kn, key, de, is_default_combo(v->coc) ? "" : v->coc);
    if (sn < 0 || (size_t)sn >= sizeof skey) sn = (int)sizeof skey - 1;
    int si = ct_strmap_get(&im->src_key, skey, (size_t)sn);
    if (si >= 0) {
        const ct_dhis2_src *src = &im->srcs[si];
        if (src->value == x) { im->n_duplicate++; return CT_OK; } /* the same value twice: kept once */
        char msg[200];
        if (src->line > 0) snprintf(msg, sizeof msg, "it was %.15g at %s:%d, now %s", src->value, src->file, src->line, v->value);
        else snprintf(msg, sizeof msg, "it was %.15g at %s dataValues[%ld], now %s", src->value, src->file, src->index, v->value);
        unplaced(im, d, CT_DHIS2_CONFLICT, path, line, index, v, "the same value twice with different numbers: %s", msg);
        return CT_OK;
    }
    if (grow((void **)&im->srcs, &im->cap_srcs, im->n_srcs, sizeof *im->srcs)) return CT_ENOMEM;
    im->srcs[im->n_srcs] = (ct_dhis2_src){x, path, line, index};
    if (ct_strmap_put(&im->src_key, skey, (size_t)sn, (int)im->n_srcs) == -2) return CT_ENOMEM;
    im->n_srcs++;
    int prev = ct_strmap_get(&im->obs_key, key, (size_t)kn);
    if (prev >= 0) { /* another combo mapped to the same metric: they add up */
        ct_dhis2_obs *o = &im->obs[prev];
        o->value += x;
        snprintf(o->text, sizeof o->text, "%.15g", o->value);
        im->n_summed++;
        return CT_OK;
    }
    if (grow((void **)&im->obs, &im->cap_obs, im->n_obs, sizeof *im->obs)) return CT_ENOMEM;
    ct_dhis2_obs *o = &im->obs[im->n_obs];
    o->unit = code;
    o->period = dup(im, pbuf, strlen(pbuf));
    o->metric = metric;
    o->value = x;
    if (boolean) snprintf(o->text, sizeof o->text, "%d", (int)x);
    else snprintf(o->text, sizeof o->text, "%s", v->value);
    if (!o->period) return CT_ENOMEM;
    if (ct_strmap_put(&im->obs_key, key, (size_t)kn, (int)im->n_obs) == -2) return CT_ENOMEM;
    im->n_obs++;
    return CT_OK;
}

/* A JSON value as text: strings as they are, numbers and booleans printed. */
static const char *json_text(json_t *o, const char *key, char *buf, size_t size)
{
    json_t *v = json_object_get(o, key);
    if (json_is_string(v)) return json_string_value(v);
    if (json_is_integer(v)) { snprintf(buf, size, "%lld", (long long)json_integer_value(v)); return buf; }
    if (json_is_real(v)) { snprintf(buf, size, "%.17g", json_real_value(v)); return buf; }
    if (json_is_true(v)) return "true";
    if (json_is_false(v)) return "false";
    return NULL;
}

static ct_status read_json_values(ct_dhis2_import *im, const char *path, ct_diags *d)
{
    json_error_t err;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
    if (!root) {
        ct_error_at(d, path, err.line > 0 ? err.line : 0, err.column > 0 ? err.column : 0, "%s", err.text);
        return CT_EINPUT;
    }
    json_t *list = json_object_get(root, "dataValues");
    if (!json_is_array(list)) {
        ct_error_at(d, path, 0, 0, "%s", "no \"dataValues\" array (expected a DHIS2 dataValueSet)");
        json_decref(root);
        return CT_EINPUT;
    }
    /* a data value set may give period, orgUnit and attributeOptionCombo once for all its values */
    const char *set_pe = json_str(root, "period"), *set_ou = json_str(root, "orgUnit");
    const char *set_aoc = json_str(root, "attributeOptionCombo");
    size_t i;
    json_t *dv;
    ct_status st = CT_OK;
    json_array_foreach(list, i, dv) {
        char b[6][64];
        raw_value v = {0};
        if (!json_is_object(dv)) {
            im->n_read++;
            unplaced(im, d, CT_DHIS2_VALUE, path, 0, (long)i, &v, "%s", "not a data value (an object)");
            continue;
        }
        v.de = json_text(dv, "dataElement", b[0], sizeof b[0]);
        v.period = json_text(dv, "period", b[1], sizeof b[1]);
        v.ou = json_text(dv, "orgUnit", b[2], sizeof b[2]);
        v.coc = json_text(dv, "categoryOptionCombo", b[3], sizeof b[3]);
        v.aoc = json_text(dv, "attributeOptionCombo", b[4], sizeof b[4]);
        v.value = json_text(dv, "value", b[5], sizeof b[5]);
        v.deleted = json_is_true(json_object_get(dv, "deleted"));
        if (!v.period) v.period = set_pe;
        if (!v.ou) v.ou = set_ou;
        if (!v.aoc) v.aoc = set_aoc;
        if ((st = place(im, d, path, 0, (long)i, &v)) != CT_OK) break;
    }
    json_decref(root);
    return st;
}

/* DHIS2's CSV: dataelement,period,orgunit,catoptcombo,attroptcombo,value,
 * storedby,lastupdated,comment,followup[,deleted]; a header row is optional
 * and, when present, may name the columns in another order. */
static ct_status read_csv_values(ct_dhis2_import *im, const char *path, ct_diags *d)
{
    ct_csv r;
    ct_status st = ct_csv_open(&r, path, d);
    if (st != CT_OK) return st;
    enum { DE, PE, OU, COC, AOC, VAL, DEL, NCOL };
    int col[NCOL] = {0, 1, 2, 3, 4, 5, 10};
    static const char *const names[NCOL][2] = {
        {"dataelement", "dataelement"}, {"period", "period"}, {"orgunit", "orgunit"},
        {"catoptcombo", "categoryoptioncombo"}, {"attroptcombo", "attributeoptioncombo"}, {"value", "value"},
        {"deleted", "deleted"}};
    ct_field f[32];
    int n, first = 1;
    while (st == CT_OK && (n = ct_csv_next(&r, f, 32, d)) != 0) {
        if (n < 0) continue;
        char *cells[32];
        int nc = n < 32 ? n : 32;
        for (int k = 0; k < nc; k++) cells[k] = (char *)field_dup(im, f[k]);
        if (first) {
            first = 0;
            if (!strcasecmp(cells[0], "dataelement")) {
                for (int c = 0; c < NCOL; c++) {
                    col[c] = -1;
                    for (int k = 0; k < nc; k++)
                        if (!strcasecmp(cells[k], names[c][0]) || !strcasecmp(cells[k], names[c][1])) col[c] = k;
                }
                for (int c = 0; c < VAL + 1; c++)
                    if (col[c] < 0) {
                        ct_error_at(d, path, r.row_line, 0, "the header has no column '%s'", names[c][0]);
                        st = CT_EINPUT;
                    }
                continue;
            }
        }
        if (n < 6) {
            char found[16];
            snprintf(found, sizeof found, "%d", n);
            unplaced(im, d, CT_DHIS2_VALUE, path, r.row_line, 0, &(raw_value){0},
                     "expected at least 6 fields (dataelement,period,orgunit,catoptcombo,attroptcombo,value), found %s",
                     found);
            im->n_read++;
            continue;
        }
        raw_value v = {0};
        const char **slot[NCOL - 1] = {&v.de, &v.period, &v.ou, &v.coc, &v.aoc, &v.value};
        for (int c = 0; c < NCOL - 1; c++) *slot[c] = col[c] >= 0 && col[c] < nc ? cells[col[c]] : NULL;
        v.deleted = col[DEL] >= 0 && col[DEL] < nc && !strcasecmp(cells[col[DEL]], "true");
        st = place(im, d, path, r.row_line, 0, &v);
    }
    ct_csv_close(&r);
    return st;
}

ct_status ct_dhis2_read_values(ct_dhis2_import *im, const char *path, ct_diags *d)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        ct_csv r; /* let the CSV reader say why */
        return ct_csv_open(&r, path, d);
    }
    int c;
    while ((c = fgetc(f)) != EOF && (isspace(c) || c == 0xEF || c == 0xBB || c == 0xBF)) {}
    fclose(f);
    return c == '{' || c == '[' ? read_json_values(im, path, d) : read_csv_values(im, path, d);
}
