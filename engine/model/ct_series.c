#define _DEFAULT_SOURCE /* madvise, posix_memalign */
#include "ct_series.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

void ct_series_init(ct_series *s)
{
    memset(s, 0, sizeof *s);
    ct_arena_init(&s->arena);
    ct_strmap_init(&s->unit_map);
    ct_strmap_init(&s->level_map);
    ct_strmap_init(&s->attr_map);
    ct_strmap_init(&s->metric_map);
    s->year0 = 1;
    s->year1 = 0;
    s->root = -1;
    s->cutoff_month = INT_MAX;
    s->obs_split_bytes = CT_SERIES_SPLIT_BYTES;
    s->geo_month = INT_MIN;
    strcpy(s->geography, "as-reported");
}

void ct_series_free(ct_series *s)
{
    for (int m = 0; m < s->n_metrics; m++)
        for (int t = 0; t < CT_PT_COUNT; t++) {
            free(s->metrics[m].vals[t]);
            free(s->metrics[m].approx[t]);
            free(s->metrics[m].raw[t]);
        }
    free(s->metrics);
    free(s->anc);
    free((void *)s->code);
    free((void *)s->name);
    free(s->level);
    free(s->parent);
    free(s->line);
    free(s->attr);
    free(s->links);
    free(s->in_geo);
    free(s->dest_start);
    free(s->dest_len);
    free(s->dest_unit);
    free(s->dest_w);
    free(s->dest_apx);
    free(s->level_geo);
    free(s->reach);
    free(s->reach_apx);
    ct_strmap_free(&s->unit_map);
    ct_strmap_free(&s->level_map);
    ct_strmap_free(&s->attr_map);
    ct_strmap_free(&s->metric_map);
    ct_arena_free(&s->arena);
    memset(s, 0, sizeof *s);
}

int ct_series_unit(const ct_series *s, const char *code, size_t len)
{
    return ct_strmap_get(&s->unit_map, code, len);
}

int ct_series_unit_during(const ct_series *s, const char *code, size_t len, int first, int last)
{
    int u = ct_strmap_get(&s->unit_map, code, len), found = -1;
    for (; u >= 0; u = s->same_next ? s->same_next[u] : -1) {
        if (s->orig_first[u] > last || s->orig_last[u] < first) continue;
        if (found >= 0) return -2;
        found = u;
    }
    return found;
}

int ct_series_unit_at(const ct_series *s, const char *code, size_t len, int month)
{
    int u = ct_strmap_get(&s->unit_map, code, len), best = u;
    for (; u >= 0; u = s->same_next ? s->same_next[u] : -1) {
        if (s->orig_first[u] <= month && s->orig_last[u] >= month) return u;
        if (s->orig_first[u] <= month) best = u; /* chains run in order of validity */
    }
    return best;
}

int ct_series_level(const ct_series *s, const char *name)
{
    return ct_strmap_get(&s->level_map, name, strlen(name));
}

int ct_series_attr(const ct_series *s, const char *name)
{
    return ct_strmap_get(&s->attr_map, name, strlen(name));
}

int ct_series_metric(const ct_series *s, const char *name, size_t len)
{
    return ct_strmap_get(&s->metric_map, name, len);
}

int ct_series_add_level(ct_series *s, const char *name, size_t len)
{
    int l = ct_strmap_get(&s->level_map, name, len);
    if (l >= 0) return l;
    if (s->n_levels >= CT_MAX_LEVELS) return -3;
    l = ct_strmap_put(&s->level_map, name, len, s->n_levels);
    if (l < 0) return -1;
    const char **nn = ct_arena_alloc(&s->arena, (size_t)(s->n_levels + 1) * sizeof *nn);
    if (!nn) return -1;
    if (s->n_levels) memcpy(nn, s->level_name, (size_t)s->n_levels * sizeof *nn);
    nn[s->n_levels] = ct_strmap_key(&s->level_map, name, len);
    s->level_name = nn;
    return s->n_levels++;
}

static int new_metric(ct_series *s, const char *name, size_t len)
{
    ct_metric *nm = realloc(s->metrics, (size_t)(s->n_metrics + 1) * sizeof *nm);
    if (!nm) return -1;
    s->metrics = nm;
    int m = s->n_metrics;
    if (ct_strmap_put(&s->metric_map, name, len, m) < 0) return -1;
    ct_metric *mt = &s->metrics[m];
    memset(mt, 0, sizeof *mt);
    mt->name = ct_strmap_key(&s->metric_map, name, len);
    mt->name_len = len;
    mt->level = mt->type = mt->over_time = mt->merge = -1;
    mt->finest = -1;
    s->n_metrics++;
    return m;
}

int ct_series_dict_metric(ct_series *s, const char *name, size_t len, int level, int type,
                          int over_time, int merge, const char *title, const char *file, int line)
{
    int m = new_metric(s, name, len);
    if (m < 0) return -1;
    ct_metric *mt = &s->metrics[m];
    mt->level = level;
    mt->type = type;
    mt->over_time = over_time;
    mt->merge = merge;
    mt->title = title;
    mt->decl_file = mt->dict_file = file;
    mt->decl_line = mt->dict_line = line;
    return m;
}

/* Fills or checks one field of a declaration: -1 when they disagree. */
static int agree(int *have, int want)
{
    if (want < 0) return 0;
    if (*have < 0) { *have = want; return 0; }
    return *have == want ? 0 : -1;
}

int ct_series_declare_metric(ct_series *s, const char *name, const char *level_name,
                             int type, int over_time, int merge, const char *file, int line, int col,
                             ct_diags *d)
{
    int level = -1;
    if (level_name) {
        level = ct_series_level(s, level_name);
        if (level < 0) {
            ct_error_at(d, file, line, col, "metric '%s': level '%s' does not occur in %s", name,
                        level_name, s->units_path ? s->units_path : "the units file");
            return -1;
        }
    }
    size_t len = strlen(name);
    int m = ct_series_metric(s, name, len);
    if (m >= 0) {
        ct_metric *old = &s->metrics[m];
        int have[4] = {old->level, old->type, old->over_time, old->merge};
        int want[4] = {level, type, over_time, merge};
        static const char *const fields[4] = {"level", "type", "over_time", "merge"};
        int bad = agree(&old->level, level) | agree(&old->type, type) | agree(&old->over_time, over_time) |
                  agree(&old->merge, merge);
        int f = 0;
        while (f < 3 && !(have[f] >= 0 && want[f] >= 0 && have[f] != want[f])) f++;
        if (bad && old->dict_file)
            ct_error_at(d, file, line, col,
                        "metric '%s' is declared differently in %s:%d (%s differs; level, type, over_time and merge must agree)",
                        name, old->dict_file, old->dict_line, fields[f]);
        else if (bad)
            ct_error_at(d, file, line, col,
                        "metric '%s' is declared differently in %s:%d (level, type and over_time must agree)",
                        name, old->decl_file, old->decl_line);
        return m;
    }
    m = new_metric(s, name, len);
    if (m < 0) return -1;
    ct_metric *mt = &s->metrics[m];
    mt->level = level;
    mt->type = type;
    mt->over_time = over_time;
    mt->merge = merge;
    mt->decl_file = ct_arena_strdup(&s->arena, file);
    mt->decl_line = line;
    mt->used = 1; /* a plan declares it: the plan reads it */
    return m;
}

int ct_series_use_metric(ct_series *s, int m, const char *file, int line, int col, ct_diags *d)
{
    ct_metric *mt = &s->metrics[m];
    mt->used = 1;
    if (mt->level >= 0 && mt->type >= 0 && mt->over_time >= 0) return 0;
    char missing[40] = "";
    const char *names[] = {"level", "type", "over_time"};
    int unknown[] = {mt->level < 0, mt->type < 0, mt->over_time < 0};
    for (int i = 0; i < 3; i++)
        if (unknown[i]) {
            size_t l = strlen(missing);
            snprintf(missing + l, sizeof missing - l, "%s%s", l ? ", " : "", names[i]);
        }
    ct_error_at(d, file, line, col, "metric '%s' is read here but its %s %s not known (%s:%d leaves %s empty; declare %s in the plan or there)",
                mt->name, missing, unknown[0] + unknown[1] + unknown[2] > 1 ? "are" : "is", mt->decl_file, mt->decl_line,
                unknown[0] + unknown[1] + unknown[2] > 1 ? "them" : "it", unknown[0] + unknown[1] + unknown[2] > 1 ? "them" : "it");
    return -1;
}

int ct_series_n_periods(const ct_series *s, ct_ptype t)
{
    return s->n_periods[t]; /* zero until observations are loaded */
}

int ct_series_in_subtree(const ct_series *s, int u, int top)
{
    return s->anc[(size_t)u * (size_t)s->n_levels + (size_t)s->level[top]] == top;
}

/* Depth of u, walking up only to the first ancestor whose depth is known
 * (depth[] holds -2 for unknown, -3 for the units of the walk in progress,
 * -1 for a unit in or under a cycle); -1 on a cycle. Every unit is walked
 * over once in all: linear over all units, cycles included. */
static int depth_of(const ct_series *s, int u)
{
    int steps = 0, v = u;
    while (v >= 0 && s->depth[v] == -2) {
        s->depth[v] = -3;
        steps++;
        v = s->parent[v];
    }
    /* v: the root's parent (-1), a unit of known depth, a unit of a cycle
     * found before (-1), or one of this walk (-3: the walk closed a cycle) */
    int d = v < 0 ? -1 : s->depth[v];
    if (v >= 0 && d < 0) {
        for (int w = u; s->depth[w] == -3; w = s->parent[w]) s->depth[w] = -1;
        return -1;
    }
    /* fill the path from u up to v */
    int len = steps;
    for (int w = u; w != v; w = s->parent[w]) s->depth[w] = d + len--;
    return s->depth[u];
}

ct_status ct_series_finish_units(ct_series *s, ct_diags *d)
{
    int n = s->n_units, nl = s->n_levels;
    int bad = 0;
    int max_depth = 0;
    for (int u = 0; u < n; u++) s->depth[u] = -2;
    for (int u = 0; u < n; u++) {
        if (s->depth[u] == -2) s->depth[u] = depth_of(s, u);
        if (s->depth[u] < 0) {
            ct_error_at(d, s->units_path, s->line[u], 0, "unit %s is its own ancestor (a cycle of parents)", s->code[u]);
            bad = 1;
        } else if (s->depth[u] > max_depth) {
            max_depth = s->depth[u];
        }
        int p = s->parent[u];
        if (p >= 0 && s->level[p] == s->level[u]) {
            ct_error_at(d, s->units_path, s->line[u], 0, "unit %s has level %s, the same as its parent %s",
                        s->code[u], s->level_name[s->level[u]], s->code[p]);
            bad = 1;
        }
    }
    if (bad) return CT_EINPUT;
    /* counting sort by depth: parents before children, file order within a depth */
    int *count = calloc((size_t)max_depth + 2, sizeof *count);
    s->anc = malloc((size_t)n * (size_t)nl * sizeof *s->anc);
    s->level_size = ct_arena_alloc(&s->arena, (size_t)nl * sizeof *s->level_size);
    s->level_units = ct_arena_alloc(&s->arena, (size_t)nl * sizeof *s->level_units);
    if (!count || !s->anc || !s->level_size || !s->level_units) { free(count); return CT_ENOMEM; }
    for (int u = 0; u < n; u++) count[s->depth[u] + 1]++;
    for (int k = 1; k <= max_depth + 1; k++) count[k] += count[k - 1];
    for (int u = 0; u < n; u++) s->order[count[s->depth[u]]++] = u;
    free(count);
    for (int u = 0; u < n; u++) s->level_pos[u] = s->level_size[s->level[u]]++;
    for (int l = 0; l < nl; l++) {
        s->level_units[l] = ct_arena_alloc(&s->arena, (size_t)(s->level_size[l] + 1) * sizeof(int));
        if (!s->level_units[l]) return CT_ENOMEM;
    }
    for (int u = 0; u < n; u++) s->level_units[s->level[u]][s->level_pos[u]] = u;
    for (int k = 0; k < n; k++) {
        int u = s->order[k], p = s->parent[u];
        int *a = s->anc + (size_t)u * (size_t)nl;
        if (p >= 0) memcpy(a, s->anc + (size_t)p * (size_t)nl, (size_t)nl * sizeof *a);
        else for (int l = 0; l < nl; l++) a[l] = -1;
        a[s->level[u]] = u;
    }
    s->level_above = ct_arena_alloc(&s->arena, (size_t)nl * (size_t)nl);
    if (!s->level_above) return CT_ENOMEM;
    for (int u = 0; u < n; u++)
        for (int l = 0; l < nl; l++) {
            int a = s->anc[(size_t)u * (size_t)nl + (size_t)l];
            if (a >= 0 && a != u) s->level_above[s->level[u] * nl + l] = 1;
        }
    return CT_OK;
}

double *ct_series_new_cells(size_t cells)
{
    size_t bytes = (cells ? cells : 1) * sizeof(double);
    double *v = NULL;
#ifdef MADV_HUGEPAGE
    /* arrays of megabytes: a page fault per 2 MiB rather than per 4 kB */
    const size_t huge = (size_t)2 << 20;
    if (bytes >= huge) {
        void *p = NULL;
        if (posix_memalign(&p, huge, bytes) != 0) return NULL;
        (void)madvise(p, bytes & ~(huge - 1), MADV_HUGEPAGE);
        v = p;
    }
#endif
    if (!v) v = malloc(bytes);
    if (!v) return NULL;
    for (size_t i = 0; i < cells; i++) v[i] = NAN;
    return v;
}

ct_status ct_series_alloc_metric(ct_series *s, int m, int finest)
{
    ct_metric *mt = &s->metrics[m];
    for (int t = 0; t <= finest; t++) {
        if (mt->vals[t]) continue;
        mt->vals[t] = ct_series_new_cells(ct_series_n_cells(s, mt, t));
        if (!mt->vals[t]) return CT_ENOMEM;
    }
    return CT_OK;
}

static double combine(int rule, const double *x, int k)
{
    double acc = NAN;
    int n = 0;
    for (int j = 0; j < k; j++) {
        double v = x[j];
        if (isnan(v)) continue;
        switch (rule) {
        case 0: acc = v; break;                                 /* last */
        case 1: case 4: acc = n ? acc + v : v; break;           /* sum, mean */
        case 2: acc = n && acc >= v ? acc : v; break;           /* max */
        case 3: acc = n && acc <= v ? acc : v; break;           /* min */
        }
        n++;
    }
    if (rule == 4 && n) acc /= n;
    return acc;
}

void ct_series_rollup(ct_series *s, int m)
{
    ct_metric *mt = &s->metrics[m];
    size_t units = (size_t)s->level_size[mt->level];
    for (int t = mt->finest - 1; t >= 0; t--) {
        int np = ct_series_n_periods(s, (ct_ptype)t);
        int npc = ct_series_n_periods(s, (ct_ptype)(t + 1));
        int k = npc / np;
        double *v = mt->vals[t];
        const double *c = mt->vals[t + 1];
        double x[12];
        for (int i = 0; i < np; i++) {
            double *col = v + (size_t)i * units;
            for (size_t u = 0; u < units; u++) {
                if (!isnan(col[u])) continue;
                for (int j = 0; j < k; j++) x[j] = c[((size_t)i * (size_t)k + (size_t)j) * units + u];
                col[u] = combine(mt->over_time, x, k);
            }
        }
    }
}
