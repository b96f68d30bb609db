#include "ct_dict.h"

#include <ctype.h>
#include <string.h>

#include "ct_csv.h"
#include "ct_plan.h"

static int name_ok(ct_field f)
{
    if (f.len == 0 || !isalpha((unsigned char)f.ptr[0])) return 0;
    for (size_t i = 0; i < f.len; i++)
        if (!isalnum((unsigned char)f.ptr[i]) && f.ptr[i] != '_') return 0;
    return 1;
}

/* One optional word column: -1 when empty; -2 (after an error) when not a word of the list. */
static int word(const ct_series *s, const ct_field *f, int col, int line, const char *what, const char *list,
                int (*parse)(const char *, size_t), ct_diags *d)
{
    if (col < 0) return -1;
    ct_field t = ct_field_trim(f[col]);
    if (t.len == 0) return -1;
    int v = parse(t.ptr, t.len);
    if (v < 0) {
        ct_error_at(d, s->dict_path, line, 0, "%s '%.*s' is not one of %s", what, (int)t.len, t.ptr, list);
        return -2;
    }
    return v;
}

static int row(ct_series *s, const int *col, const ct_field *f, int line, ct_diags *d)
{
    ct_field name = ct_field_trim(f[col[0]]);
    if (!name_ok(name)) {
        ct_error_at(d, s->dict_path, line, 0, "metric name '%.*s' must be letters, digits and '_', starting with a letter",
                    (int)name.len, name.ptr);
        return 1;
    }
    int m = ct_series_metric(s, name.ptr, name.len);
    if (m >= 0) {
        ct_error_at(d, s->dict_path, line, 0, "metric '%.*s' appears twice (first at line %d)", (int)name.len, name.ptr,
                    s->metrics[m].dict_line);
        return 1;
    }
    int level = -1, bad = 0;
    ct_field lv = col[1] >= 0 ? ct_field_trim(f[col[1]]) : (ct_field){"", 0};
    if (lv.len) {
        level = ct_strmap_get(&s->level_map, lv.ptr, lv.len);
        if (level < 0) {
            ct_error_at(d, s->dict_path, line, 0, "metric '%.*s': level '%.*s' does not occur in %s", (int)name.len, name.ptr,
                        (int)lv.len, lv.ptr, s->units_path);
            bad = 1;
        }
    }
    int type = word(s, f, col[2], line, "type", "boolean, count, number", ct_metric_type_parse, d);
    int over = word(s, f, col[3], line, "over_time", "last, sum, max, min, mean", ct_over_time_parse, d);
    int merge = word(s, f, col[4], line, "merge", "sum, mean, max, min, any, all", ct_merge_parse, d);
    if (type == -2 || over == -2 || merge == -2) bad = 1;
    if ((merge == CT_MG_ANY || merge == CT_MG_ALL) && type >= 0 && type != CT_MT_BOOLEAN) {
        ct_error_at(d, s->dict_path, line, 0, "metric '%.*s': merge %s is for boolean metrics", (int)name.len, name.ptr,
                    ct_merge_name((ct_merge)merge));
        bad = 1;
    }
    const char *title = NULL;
    if (col[5] >= 0) {
        ct_field t = ct_field_trim(f[col[5]]);
        if (!ct_utf8_valid(t.ptr, t.len)) {
            ct_error_at(d, s->dict_path, line, 0, "metric '%.*s': the title is not valid UTF-8", (int)name.len, name.ptr);
            bad = 1;
        } else if (t.len) {
            title = ct_arena_strndup(&s->arena, t.ptr, t.len);
        }
    }
    if (bad) return 1;
    return ct_series_dict_metric(s, name.ptr, name.len, level, type < 0 ? -1 : type, over < 0 ? -1 : over,
                                 merge < 0 ? -1 : merge, title, s->dict_path, line) < 0 ? -1 : 0;
}

ct_status ct_dict_load(ct_series *s, const char *path, ct_diags *d)
{
    s->dict_path = ct_arena_strdup(&s->arena, path);
    ct_csv r;
    ct_status st = ct_csv_open(&r, path, d);
    if (st != CT_OK) return st;
    ct_field f[CT_CSV_MAX_COLS];
    int ncols = ct_csv_header(&r, f, d), bad = ncols < 0;
    static const char *const names[] = {"metric", "level", "type", "over_time", "merge", "title"};
    int col[6];
    for (int i = 0; !bad && i < 6; i++) col[i] = ct_csv_col(f, ncols, names[i]);
    if (!bad && col[0] < 0) {
        ct_error_at(d, path, 1, 0, "missing column 'metric' (the header is metric,level,type,over_time,merge,title)");
        bad = 1;
    }
    int n, header_bad = bad;
    while (!header_bad && (n = ct_csv_next(&r, f, CT_CSV_MAX_COLS, d)) != 0) {
        if (n < 0) { bad = 1; continue; }
        if (n != ncols) {
            ct_error_at(d, path, r.row_line, 0, "%d fields where the header has %d", n, ncols);
            bad = 1;
            continue;
        }
        int rc = row(s, col, f, r.row_line, d);
        if (rc < 0) { st = CT_ENOMEM; break; }
        bad |= rc;
    }
    ct_csv_close(&r);
    if (st == CT_OK && bad) st = CT_EINPUT;
    return st;
}
