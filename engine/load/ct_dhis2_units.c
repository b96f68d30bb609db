#include "ct_dhis2_units.h"

#include <ctype.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const default_levels[] = {NULL, "national", "province", "district", "commune"};

static const char *dup(ct_dhis2_import *im, const char *s, size_t n) { return ct_dhis2_dup(im, s, n); }

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i])) return 0;
    return n > 0;
}

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

/* The months DHIS2 accepts data for, from an opening or closing date
 * (YYYY-MM-DD...): DHIS2 refuses a value whose period starts before the
 * opening date or ends after the closing date, so an opening date after the
 * 1st gives the next month and a closing date before the month's last day the
 * month before. Returns 0, or -1 when the text is no date. */
static int date_months(const char *s, int closing, int *month)
{
    if (strlen(s) < 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2))
        return -1;
    int y = atoi(s), m = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12) return -1;
    int last = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    if (day < 1 || day > last) return -1;
    int mo = y * 12 + (m - 1);
    if (!closing && day > 1) mo++;
    if (closing && day < last) mo--;
    *month = mo;
    return 0;
}

static const char *month_text(ct_dhis2_import *im, int month)
{
    char b[16];
    snprintf(b, sizeof b, "%04d-%02d", month / 12, month % 12 + 1);
    return dup(im, b, strlen(b));
}

/* Orders by code, then valid_from. */
static int code_cmp(const void *a, const void *b)
{
    const ct_dhis2_unit *x = *(ct_dhis2_unit *const *)a, *y = *(ct_dhis2_unit *const *)b;
    int c = strcmp(x->code, y->code);
    return c ? c : (x->from_month > y->from_month) - (x->from_month < y->from_month);
}

/* Two org units with one code and overlapping validity cannot be told apart. */
static void check_overlaps(ct_dhis2_import *im, ct_diags *d)
{
    if (im->n_units < 2) return;
    ct_dhis2_unit **v = malloc(im->n_units * sizeof *v);
    if (!v) return;
    for (size_t i = 0; i < im->n_units; i++) v[i] = &im->units[i];
    qsort(v, im->n_units, sizeof *v, code_cmp);
    for (size_t i = 1; i < im->n_units; i++) {
        const ct_dhis2_unit *a = v[i - 1], *b = v[i];
        if (strcmp(a->code, b->code)) continue;
        if (a->to_month >= b->from_month)
            ct_error_at(d, b->file, 0, 0,
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

/* The parent's id: "parent": {"id"}, else the last but one id of "path". */
static const char *orgunit_parent(ct_dhis2_import *im, json_t *ou)
{
    json_t *parent = json_object_get(ou, "parent");
    if (json_is_object(parent) && json_str(parent, "id")) return json_str(parent, "id");
    if (json_is_string(parent)) return json_string_value(parent);
    const char *p = json_str(ou, "path");
    if (!p) return NULL;
    const char *last = strrchr(p, '/');
    if (!last || last == p) return NULL;
    const char *before = last;
    while (before > p && before[-1] != '/') before--;
    return dup(im, before, (size_t)(last - before));
}

/* The default combo of a metadata export: the combo named "default", in
 * categoryOptionCombos or in a categoryCombos entry's. Returns whether the
 * file has combos at all. */
static int read_default_combo(ct_dhis2_import *im, json_t *root)
{
    int found = 0;
    json_t *combos = json_object_get(root, "categoryCombos"), *cc;
    size_t j;
    json_array_foreach(combos, j, cc) found |= read_default_combo(im, cc);
    json_t *cocs = json_object_get(root, "categoryOptionCombos"), *c;
    size_t i;
    found |= json_is_array(cocs);
    json_array_foreach(cocs, i, c) {
        const char *name = json_str(c, "name");
        if (!name || strcmp(name, "default")) continue;
        const char *ids[2] = {json_str(c, "id"), json_str(c, "code")};
        for (int k = 0; k < 2; k++)
            if (ids[k] && im->n_default_ids < 8) im->default_ids[im->n_default_ids++] = dup(im, ids[k], strlen(ids[k]));
    }
    /* the data elements' codes: values given by id are named by them */
    json_t *des = json_object_get(root, "dataElements"), *de;
    size_t k;
    json_array_foreach(des, k, de) {
        const char *id = json_str(de, "id"), *code = json_str(de, "code");
        if (!id || !*id || !code || !*code) continue;
        if (ct_dhis2_grow((void **)&im->de_codes, &im->cap_de_codes, im->n_de_codes, sizeof *im->de_codes)) return -1;
        int prev = ct_strmap_put(&im->de_code_of, id, strlen(id), (int)im->n_de_codes);
        if (prev == -2) return -1;
        if (prev != (int)im->n_de_codes) continue; /* listed before (in another file): the first */
        im->de_codes[im->n_de_codes] = dup(im, code, strlen(code));
        if (!im->de_codes[im->n_de_codes++]) return -1;
    }
    return found || json_is_array(combos) || json_is_array(des);
}

/* A paged API response: the pages given are remembered, the missing ones
 * reported by ct_dhis2_finish_orgunits. */
static void read_pager(ct_dhis2_import *im, json_t *root, const char *path, ct_diags *d)
{
    json_t *pager = json_object_get(root, "pager");
    json_int_t page = json_integer_value(json_object_get(pager, "page"));
    json_int_t count = json_integer_value(json_object_get(pager, "pageCount"));
    if (!json_is_object(pager) || count <= 1) return;
    if (count > 100000 || page < 1 || page > count) {
        ct_error_at(d, path, 0, 0, "the pager says page %lld of %lld", (long long)page, (long long)count);
        return;
    }
    if (!im->pages.seen) {
        im->pages.seen = calloc((size_t)count + 1, 1);
        if (!im->pages.seen) return;
        im->pages.page_count = (long)count;
        im->pages.file = path;
    } else if (im->pages.page_count != (long)count) {
        ct_error_at(d, path, 0, 0, "the pager says %lld pages where %s said %ld", (long long)count, im->pages.file,
                    im->pages.page_count);
        return;
    }
    im->pages.seen[page] = 1;
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
    int has_combos = read_default_combo(im, root);
    if (has_combos < 0) { json_decref(root); return CT_ENOMEM; }
    if (!json_is_array(list) && has_combos) { json_decref(root); return CT_OK; } /* metadata: combos only */
    if (!json_is_array(list)) {
        ct_error_at(d, path, 0, 0, "%s", "no \"organisationUnits\" array (expected {\"organisationUnits\": [...]}, "
                                         "or a metadata export with categoryOptionCombos)");
        json_decref(root);
        return CT_EINPUT;
    }
    read_pager(im, root, path, d);
    const char *file = dup(im, path, strlen(path));
    size_t errors = d->n_errors, i;
    json_t *ou;
    ct_status st = file ? CT_OK : CT_ENOMEM;
    json_array_foreach(list, i, ou) {
        if (st != CT_OK) break;
        const char *id = json_str(ou, "id"), *code = json_str(ou, "code"), *name = json_str(ou, "name");
        if (!json_is_object(ou) || !id || !*id) {
            ct_error_at(d, path, 0, 0, "organisationUnits[%zu]: no \"id\"", i);
            continue;
        }
        const char *pid = orgunit_parent(im, ou);
        int level = orgunit_level(ou);
        /* the map's code for this unit (one without code, or one to be coded otherwise) */
        const char *dhis2_code = code;
        int mc = ct_strmap_get(&im->map_code_of, id, strlen(id));
        if (mc >= 0) code = im->map_codes[mc];
        if (!code || !*code) {
            if (level == 1 && (!pid || !*pid)) { /* the root: left implicit; its children hang under it */
                if (ct_strmap_put(&im->unit_by_id, id, strlen(id), -1) == -2) st = CT_ENOMEM;
                continue;
            }
            code = id; /* a unit without a code is known by its id */
        }
        if (pid && !strcmp(pid, id)) {
            ct_error_at(d, path, 0, 0, "organisationUnits[%zu] (%.100s): the unit is its own parent", i, id);
            continue;
        }
        if (ct_dhis2_grow((void **)&im->units, &im->cap_units, im->n_units, sizeof *im->units)) { st = CT_ENOMEM; break; }
        ct_dhis2_unit *u = &im->units[im->n_units];
        u->id = dup(im, id, strlen(id));
        u->code = dup(im, code, strlen(code));
        u->name = dup(im, name && *name ? name : code, strlen(name && *name ? name : code));
        u->level_no = level;
        u->level = level_name(im, level);
        u->parent_id = dup(im, pid, pid ? strlen(pid) : 0);
        u->parent = "";
        u->file = file;
        u->next_same_code = -1;
        if (!u->id || !u->code || !u->name || !u->level || !u->parent_id) { st = CT_ENOMEM; break; }
        const char *from = json_str(ou, "openingDate"), *to = json_str(ou, "closedDate");
        u->from_month = -1;
        u->to_month = INT_MAX;
        if ((from && *from && date_months(from, 0, &u->from_month) != 0) || (to && *to && date_months(to, 1, &u->to_month) != 0)) {
            ct_error_at(d, path, 0, 0, "organisationUnits[%zu] (%.100s): a date is not YYYY-MM-DD: \"%.60s\"", i, id,
                        from && date_months(from, 0, &u->from_month) != 0 ? from : to);
            continue;
        }
        if (from && to && *from && *to && strncmp(to, from, 10) < 0) {
            ct_error_at(d, path, 0, 0, "organisationUnits[%zu] (%.100s, %.100s): closedDate %.10s is before openingDate %.10s",
                        i, id, code, to, from);
            continue;
        }
        if (u->to_month < u->from_month) {
            ct_error_at(d, path, 0, 0, "organisationUnits[%zu] (%.100s, %.100s): open from %.10s to %.10s, no whole month: "
                        "DHIS2 takes no monthly value for it", i, id, code, from, to);
            continue;
        }
        u->valid_from = u->from_month >= 0 ? month_text(im, u->from_month) : "";
        u->valid_to = u->to_month != INT_MAX ? month_text(im, u->to_month) : "";
        if (!u->valid_from || !u->valid_to) { st = CT_ENOMEM; break; }
        int prev = ct_strmap_put(&im->unit_by_id, id, strlen(id), (int)im->n_units);
        if (prev == -2) { st = CT_ENOMEM; break; }
        if (prev != (int)im->n_units) {
            /* the same unit in two files (pages that overlap, a subtree and its tree): once */
            if (prev >= 0 && !strcmp(im->units[prev].code, u->code) && im->units[prev].from_month == u->from_month &&
                im->units[prev].to_month == u->to_month)
                continue;
            ct_error_at(d, path, 0, 0, "organisationUnits[%zu]: id %.100s appears twice, differently", i, id);
            continue;
        }
        if (mc >= 0 && dhis2_code && *dhis2_code && strcmp(dhis2_code, code) &&
            ct_strmap_put(&im->unit_by_dhis2_code, dhis2_code, strlen(dhis2_code), (int)im->n_units) == -2) {
            st = CT_ENOMEM;
            break;
        }
        int first = ct_strmap_put(&im->unit_by_code, u->code, strlen(u->code), (int)im->n_units);
        if (first == -2) { st = CT_ENOMEM; break; }
        if (first != (int)im->n_units) { /* a reused code: chained */
            int k = first;
            while (im->units[k].next_same_code >= 0) k = im->units[k].next_same_code;
            im->units[k].next_same_code = (int)im->n_units;
        }
        im->n_units++;
    }
    json_decref(root);
    if (st != CT_OK) return st;
    return d->n_errors > errors ? CT_EINPUT : CT_OK;
}

ct_status ct_dhis2_finish_orgunits(ct_dhis2_import *im, ct_diags *d)
{
    size_t errors = d->n_errors;
    if (im->pages.seen) {
        long missing = 0, first = 0;
        for (long p = 1; p <= im->pages.page_count; p++)
            if (!im->pages.seen[p]) { missing++; if (!first) first = p; }
        if (missing)
            ct_error_at(d, im->pages.file, 0, 0,
                        "a paged response: %ld of its %ld pages are missing (page %ld first); give every page with "
                        "--org-units, or export with paging=false", missing, im->pages.page_count, first);
    }
    /* a map's org unit row that names no unit of the files is said, never silently unused */
    if (im->n_map_codes) {
        unsigned char *used = calloc(im->n_map_codes, 1);
        if (!used) return CT_ENOMEM;
        for (size_t k = 0; k < im->n_units; k++) {
            int mc = ct_strmap_get(&im->map_code_of, im->units[k].id, strlen(im->units[k].id));
            if (mc >= 0) used[mc] = 1;
        }
        for (size_t i = 0; i < im->n_map_codes; i++)
            if (!used[i])
                ct_warn_at(d, NULL, 0, 0, "the map gives the code %s to an org unit that is in no --org-units file",
                           im->map_codes[i]);
        free(used);
    }
    /* parents by id -> their code; a parent in no file: the implicit root */
    int *parent = malloc((im->n_units ? im->n_units : 1) * sizeof *parent);
    if (!parent) return CT_ENOMEM;
    for (size_t k = 0; k < im->n_units; k++) {
        ct_dhis2_unit *u = &im->units[k];
        parent[k] = -1;
        if (!*u->parent_id) {
            if (u->level_no > 1) { im->n_subtree++; if (!im->subtree_file) im->subtree_file = u->file; }
            continue;
        }
        int p = ct_strmap_get(&im->unit_by_id, u->parent_id, strlen(u->parent_id));
        if (p == -1 && ct_strmap_key(&im->unit_by_id, u->parent_id, strlen(u->parent_id))) continue; /* the implicit root */
        if (p < 0) { im->n_subtree++; if (!im->subtree_file) im->subtree_file = u->file; continue; }
        u->parent = im->units[p].code;
        parent[k] = p;
    }
    /* a data folder has one root: a national unit, or the implicit root above the units without parent */
    size_t n_roots = 0;
    int national = -1;
    for (size_t k = 0; k < im->n_units; k++) {
        if (parent[k] >= 0) continue;
        n_roots++;
        if (national < 0 && !strcmp(im->units[k].level, "national")) national = (int)k;
    }
    if (national >= 0 && n_roots > 1) {
        const ct_dhis2_unit *r = &im->units[national];
        if (im->n_subtree)
            ct_error_at(d, r->file, 0, 0, "org unit %s (%s) is the national root, but %d other org units have no parent "
                        "in the files (their parents are missing); give the files of the whole tree", r->id, r->code,
                        im->n_subtree);
        else
            ct_error_at(d, r->file, 0, 0, "%zu org units have no parent, %s (%s) among them at level 1: a data folder "
                        "has one national root; a --map row level,1,NAME makes them units under the implicit root",
                        n_roots, r->id, r->code);
    }
    if (im->n_subtree)
        ct_warn_at(d, im->subtree_file, 0, 0,
                   "%d org units have no parent in the files (a subtree export): they hang under the implicit root",
                   im->n_subtree);
    /* depth from the parent links, in linear time; a cycle is an error */
    int *depth = calloc(im->n_units ? im->n_units : 1, sizeof *depth), *stack = malloc((im->n_units ? im->n_units : 1) * sizeof *stack);
    if (!depth || !stack) { free(parent); free(depth); free(stack); return CT_ENOMEM; }
    int maxdepth = 0;
    for (size_t k = 0; k < im->n_units; k++) {
        if (depth[k]) continue;
        size_t n = 0;
        int u = (int)k;
        while (u >= 0 && depth[u] == 0) { depth[u] = -1; stack[n++] = u; u = parent[u]; } /* -1: on the path */
        int base = 0;
        if (u >= 0 && depth[u] == -1) {
            ct_error_at(d, im->units[u].file, 0, 0, "org unit %s (%s) is its own ancestor (a cycle of parents)",
                        im->units[u].id, im->units[u].code);
            base = 0;
        } else if (u >= 0) {
            base = depth[u];
        }
        while (n) { depth[stack[--n]] = ++base; if (base > maxdepth) maxdepth = base; }
    }
    /* parent before child: by depth, keeping the files' order within one */
    free(im->order);
    im->order = malloc((im->n_units ? im->n_units : 1) * sizeof *im->order);
    size_t *start = calloc((size_t)maxdepth + 2, sizeof *start);
    if (!im->order || !start) { free(parent); free(depth); free(stack); free(start); return CT_ENOMEM; }
    for (size_t k = 0; k < im->n_units; k++) start[depth[k] + 1]++;
    for (int i = 1; i <= maxdepth + 1; i++) start[i] += start[i - 1];
    for (size_t k = 0; k < im->n_units; k++) im->order[start[depth[k]]++] = k;
    free(start);
    free(parent);
    free(depth);
    free(stack);
    check_overlaps(im, d);
    return d->n_errors > errors ? CT_EINPUT : CT_OK;
}

