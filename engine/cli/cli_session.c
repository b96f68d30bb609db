#include "cli_session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../compute/ct_bind.h"
#include "../load/ct_data.h"
#include "../load/ct_dict.h"
#include "../load/ct_succ.h"
#include "../model/ct_geo.h"

#include <unistd.h>

void cli_session_init(cli_session *ss)
{
    memset(ss, 0, sizeof *ss);
    ct_series_init(&ss->series);
    ct_diags_init(&ss->diags);
    ss->diags.cap_per_list = 500;
    ss->geo_month = CT_GEO_DEFAULT;
}

void cli_session_free(cli_session *ss)
{
    for (size_t i = 0; i < ss->n_plans; i++) ct_plan_free(ss->plans[i]);
    free(ss->plans);
    ct_rules_free(ss->rules);
    ct_series_free(&ss->series);
    ct_diags_free(&ss->diags);
}

static char *join_path(const char *dir, const char *file)
{
    size_t n = strlen(dir) + strlen(file) + 2;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/%s", dir, file);
    return p;
}

/* Reads an optional file of the data folder (metrics.csv, successions.csv). */
static int load_optional(ct_series *s, const char *dir, const char *file,
                         ct_status (*load)(ct_series *, const char *, ct_diags *), ct_diags *d)
{
    char *path = join_path(dir, file);
    if (!path) return 1;
    int bad = 0;
    if (access(path, F_OK) == 0) {
        ct_status st = load(s, path, d);
        if (st == CT_ENOMEM) ct_error_at(d, path, 0, 0, "out of memory");
        bad = st != CT_OK;
    }
    free(path);
    return bad;
}

static int load_data(cli_session *ss, const char *data_dir)
{
    ct_series *s = &ss->series;
    char *units = join_path(data_dir, "units.csv");
    char *obs = join_path(data_dir, "observations.csv");
    int bad = 0;
    if (!units || !obs) { free(units); free(obs); return 1; }
    if (ct_units_load(s, units, &ss->diags) != CT_OK) {
        bad = 1;
    } else {
        bad |= load_optional(s, data_dir, "metrics.csv", ct_dict_load, &ss->diags);
        bad |= load_optional(s, data_dir, "successions.csv", ct_succ_load, &ss->diags);
        for (size_t i = 0; i < ss->n_plans; i++)
            bad |= ct_bind_declare(ss->plans[i], s, &ss->diags) != CT_OK;
        size_t before = ss->diags.n_errors;
        ct_status st = ct_data_load_observations(s, obs, &ss->diags);
        if (st == CT_OK) st = ct_geo_apply(s, ss->geo_month, &ss->diags);
        if (st == CT_ENOMEM) ct_error_at(&ss->diags, obs, 0, 0, "out of memory");
        bad |= st != CT_OK || ss->diags.n_errors > before;
        for (int m = 0; m < s->n_metrics; m++) ss->n_observations += s->metrics[m].n_obs;
        /* names bind against units and declarations even when values were refused */
        for (size_t i = 0; st != CT_ENOMEM && i < ss->n_plans; i++)
            bad |= ct_bind_plan(ss->plans[i], s, &ss->diags) != CT_OK;
        ss->has_data = st == CT_OK;
    }
    free(units);
    free(obs);
    return bad;
}

int cli_session_load(cli_session *ss, char **plan_paths, size_t n, const char *data_dir)
{
    int bad = 0;
    ss->plans = calloc(n ? n : 1, sizeof *ss->plans);
    if (!ss->plans) return 1;
    for (size_t i = 0; i < n; i++) {
        ct_status st;
        ct_plan *p = ct_plan_load(plan_paths[i], &ss->diags, &st);
        if (st != CT_OK) bad = 1;
        if (!p) continue;
        for (size_t j = 0; j < ss->n_plans; j++)
            if (p->id && ss->plans[j]->id && strcmp(p->id, ss->plans[j]->id) == 0) {
                ct_error_at(&ss->diags, p->path, p->id_pos.line, p->id_pos.col, "plan id '%s' is also the id of %s",
                            p->id, ss->plans[j]->path);
                bad = 1;
            }
        ss->plans[ss->n_plans++] = p;
    }
    if (data_dir) bad |= load_data(ss, data_dir);
    else
        for (size_t i = 0; i < ss->n_plans; i++) bad |= ct_plan_check_refs(ss->plans[i], &ss->diags) != CT_OK;
    return bad;
}

void cli_session_print(cli_session *ss)
{
    char line[1400];
    for (size_t i = 0; i < ss->diags.n; i++) {
        ct_diag_format(&ss->diags.items[i], line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
    if (ss->diags.n_dropped)
        fprintf(stderr, "chitieu: %zu more problems not shown\n", ss->diags.n_dropped);
    ct_diags_free(&ss->diags);
    ct_diags_init(&ss->diags);
    ss->diags.cap_per_list = 500;
}

/* A limit from the environment: 0 when unset, -1 (and an error) when bad. */
static int env_limit(cli_session *ss, const char *name, double max, double *out)
{
    const char *v = getenv(name);
    *out = 0;
    if (!v || !v[0]) return 0;
    char *end;
    double x = strtod(v, &end);
    if (*end || !(x > 0) || x > max) {
        ct_error_at(&ss->diags, NULL, 0, 0, "%s must be a positive number up to %g, not '%s'", name, max, v);
        return -1;
    }
    *out = x;
    return 0;
}

/* A rule's log(...): on stderr at once, where the rule's author looks. */
static void log_to_stderr(void *ctx, const char *file, int line, const char *text)
{
    (void)ctx;
    fprintf(stderr, "%s:%d: log: %s\n", file, line, text);
}

int cli_session_rules(cli_session *ss, const char *const *files, size_t n)
{
    int needed = n > 0;
    for (size_t i = 0; i < ss->n_plans; i++) {
        needed |= ss->plans[i]->n_rules > 0;
        for (size_t k = 0; k < ss->plans[i]->n_indicators; k++)
            needed |= ss->plans[i]->indicators[k].kind == CT_KIND_LUA;
    }
    if (!needed) return 0;
    double ins, secs, mb;
    if (env_limit(ss, "CHITIEU_LUA_INSTRUCTIONS", 1e15, &ins) | env_limit(ss, "CHITIEU_LUA_SECONDS", 3600, &secs) |
        env_limit(ss, "CHITIEU_LUA_MEMORY_MB", 65536, &mb))
        return 1;
    ct_rules_limits lim = {(long long)ins, secs, (size_t)(mb * 1048576.0)};
    ss->rules = ct_rules_new(&ss->series, &lim);
    if (!ss->rules) return 1;
    if (!ss->quiet_rules) ct_rules_set_log(ss->rules, log_to_stderr, NULL);
    int bad = 0;
    for (size_t i = 0; i < n; i++) bad |= ct_rules_load(ss->rules, files[i], &ss->diags) != CT_OK;
    for (size_t i = 0; i < ss->n_plans; i++) bad |= ct_rules_attach_plan(ss->rules, ss->plans[i], &ss->diags) != CT_OK;
    return bad;
}
