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
    for (size_t i = 0; i < ss->n_more; i++) {
        ct_series_free(ss->more[i]);
        free(ss->more[i]);
    }
    free(ss->more);
    free(ss->plan_month);
    free(ss->plan_series);
    if (ss->as_reported && ss->as_reported_view) ct_geo_view_free(ss->as_reported);
    else if (ss->as_reported) ct_series_free(ss->as_reported);
    free(ss->as_reported);
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

/* One load of the data folder onto one geography: the units, the optional
 * files, the observations, carried onto `month` (CT_GEO_DEFAULT: each plan's
 * own map, decided here from the loaded data); the plans whose group is
 * `group` are bound to it. A further load (group > 0) reads what the first
 * already checked: its problems other than the geography's own go to a
 * scratch list. Returns nonzero on errors. */
static int load_series(cli_session *ss, ct_series *s, const char *data_dir, int month, int group)
{
    ct_diags scratch;
    ct_diags_init(&scratch);
    ct_diags *dl = group ? &scratch : &ss->diags;
    char *units = join_path(data_dir, "units.csv");
    char *obs = join_path(data_dir, "observations.csv");
    int bad = 0;
    if (!units || !obs) { free(units); free(obs); ct_diags_free(&scratch); return 1; }
    if (ct_units_load(s, units, dl) != CT_OK) {
        bad = 1;
    } else {
        bad |= load_optional(s, data_dir, "metrics.csv", ct_dict_load, dl);
        bad |= load_optional(s, data_dir, "successions.csv", ct_succ_load, dl);
        for (size_t i = 0; i < ss->n_plans; i++)
            bad |= ct_bind_declare(ss->plans[i], s, dl) != CT_OK;
        size_t before = ss->diags.n_errors + scratch.n_errors;
        ct_status st = ct_data_load_observations(s, obs, dl);
        if (st == CT_OK && month == CT_GEO_DEFAULT) {
            /* each plan on its own map: the first plan's is this load's */
            for (size_t i = 0; i < ss->n_plans; i++) {
                const ct_plan *p = ss->plans[i];
                /* latest_map: the latest map up to --as-of, not the plan's last year's */
                int last = ss->latest_map ? 0 : ct_plan_last_year(p);
                ss->plan_month[i] = s->n_links ? ct_geo_plan_month(s, p->region, last) : CT_GEO_AS_REPORTED;
            }
            month = ss->n_plans ? ss->plan_month[0] : CT_GEO_DEFAULT;
        }
        if (st == CT_OK) st = ct_geo_apply(s, month, &ss->diags);
        if (st == CT_ENOMEM) ct_error_at(&ss->diags, obs, 0, 0, "out of memory");
        bad |= st != CT_OK || ss->diags.n_errors + scratch.n_errors > before;
        if (group == 0)
            for (int m = 0; m < s->n_metrics; m++) ss->n_observations += s->metrics[m].n_obs;
        /* names bind against units and declarations even when values were refused */
        for (size_t i = 0; st != CT_ENOMEM && i < ss->n_plans; i++)
            if (ss->plan_series[i] == group) bad |= ct_bind_plan(ss->plans[i], s, &ss->diags) != CT_OK;
        if (group == 0) ss->has_data = st == CT_OK;
    }
    free(units);
    free(obs);
    ct_diags_free(&scratch);
    return bad;
}

static int load_data(cli_session *ss, const char *data_dir)
{
    size_t n = ss->n_plans ? ss->n_plans : 1;
    ss->plan_month = malloc(n * sizeof *ss->plan_month);
    ss->plan_series = calloc(n, sizeof *ss->plan_series);
    if (!ss->plan_month || !ss->plan_series) return 1;
    for (size_t i = 0; i < ss->n_plans; i++) ss->plan_month[i] = ss->geo_month;
    /* a month of the first plan's map is known only once the data are read:
     * the first load decides every plan's (with --geography, one for all) */
    int first_month = ss->geo_month;
    for (size_t i = 0; i < ss->n_plans; i++) ss->plan_series[i] = first_month == CT_GEO_DEFAULT ? -1 : 0;
    if (first_month == CT_GEO_DEFAULT && ss->n_plans) ss->plan_series[0] = 0;
    ss->series.keep_raw = ss->compare;
    int bad = load_series(ss, &ss->series, data_dir, first_month, 0);
    if (first_month != CT_GEO_DEFAULT || !ss->has_data) {
        for (size_t i = 0; i < ss->n_plans; i++)
            if (ss->plan_series[i] < 0) {
                ss->plan_series[i] = 0;
                bad |= ct_bind_plan(ss->plans[i], &ss->series, &ss->diags) != CT_OK;
            }
        return bad;
    }
    /* the plans on the first map bind to it; each other map is one more load */
    for (size_t i = 1; i < ss->n_plans; i++)
        if (ss->plan_month[i] == ss->plan_month[0]) {
            ss->plan_series[i] = 0;
            bad |= ct_bind_plan(ss->plans[i], &ss->series, &ss->diags) != CT_OK;
        }
    for (size_t i = 1; i < ss->n_plans && !bad; i++) {
        if (ss->plan_series[i] >= 0) continue;
        /* each series is allocated alone: a loaded series is not moved */
        ct_series **more = realloc(ss->more, (ss->n_more + 1) * sizeof *more);
        if (!more) return 1;
        ss->more = more;
        ct_series *s = malloc(sizeof *s);
        if (!s) return 1;
        ss->more[ss->n_more++] = s;
        ct_series_init(s);
        s->cutoff_month = ss->series.cutoff_month;
        s->obs_split_bytes = ss->series.obs_split_bytes;
        int group = (int)ss->n_more;
        for (size_t j = i; j < ss->n_plans; j++)
            if (ss->plan_series[j] < 0 && ss->plan_month[j] == ss->plan_month[i]) ss->plan_series[j] = group;
        bad |= load_series(ss, s, data_dir, ss->plan_month[i], group);
    }
    /* after a failed load, a plan left without a map is bound to the first
     * (its structures stay whole; the command reports the failure) */
    for (size_t i = 0; i < ss->n_plans; i++)
        if (ss->plan_series[i] < 0) {
            ss->plan_series[i] = 0;
            (void)ct_bind_plan(ss->plans[i], &ss->series, &ss->diags);
        }
    return bad;
}

ct_series *cli_session_as_reported(cli_session *ss)
{
    if (ss->as_reported || ss->as_reported_failed || !ss->data_dir) return ss->as_reported;
    ct_series *s = malloc(sizeof *s);
    if (!s) { ss->as_reported_failed = 1; return NULL; }
    if (ss->series.keep_raw && ss->has_data) {
        /* the values as reported are at hand: no second reading of the files */
        if (ct_geo_as_reported(&ss->series, s) != CT_OK) { free(s); ss->as_reported_failed = 1; return NULL; }
        ss->as_reported = s;
        ss->as_reported_view = 1;
        return s;
    }
    ct_series_init(s);
    s->cutoff_month = ss->series.cutoff_month;
    s->obs_split_bytes = ss->series.obs_split_bytes;
    if (load_series(ss, s, ss->data_dir, CT_GEO_AS_REPORTED, -1) != 0) {
        ct_series_free(s);
        free(s);
        ss->as_reported_failed = 1;
        return NULL;
    }
    ss->as_reported = s;
    return s;
}

ct_series *cli_session_series(cli_session *ss, size_t plan)
{
    int g = ss->plan_series && plan < ss->n_plans ? ss->plan_series[plan] : 0;
    return g > 0 ? ss->more[g - 1] : &ss->series;
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
    ss->data_dir = data_dir;
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
    for (size_t i = 0; i < ss->n_plans; i++) {
        bad |= ct_rules_attach_plan(ss->rules, ss->plans[i], &ss->diags) != CT_OK;
        /* each plan's indicators read on its own map */
        if (ss->has_data) ct_rules_plan_series(ss->rules, ss->plans[i], cli_session_series(ss, i));
    }
    return bad;
}
