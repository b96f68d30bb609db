/* chitieu assess and chitieu project: progress against every target, and
 * trends projected forward. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../project/ct_assess.h"
#include "../render/ct_records.h"
#include "cli.h"

static const char *const usage_assess =
    "usage: chitieu assess PLAN.yaml... --data DIR [--as-of PERIOD] [--method M]\n"
    "                      [--level L] [--unit CODE] [--format csv|json] [-o FILE]\n"
    "\n"
    "Assesses progress against every target of every indicator, for every unit\n"
    "of each plan's region: baseline and latest values, observed and required\n"
    "rates, their ratio, the projection at the target year with its 95%\n"
    "prediction interval, the status and a note. CSV columns:\n"
    "  plan,indicator,unit,level,target_year,target,baseline_period,baseline_value,\n"
    "  latest_period,latest_value,observed_rate,required_rate,ratio,projected,lower,\n"
    "  upper,status,note,met_year,method,points,name,valid_from,valid_to,approximate\n"
    "\n"
    "options:\n"
    "  --data DIR       a folder with units.csv and observations.csv (required)\n"
    "  --as-of PERIOD   assess with only the data of periods ending by PERIOD\n"
    "  --geography G    the units to compute on: a period (default: the latest in\n"
    "                   the data) or as-reported (see docs/data-formats.md)\n"
    "  --method M       projection: auto (default), linear, logit, cagr\n"
    "  --level L, --unit CODE, --format csv|json, -o FILE   as for compute\n"
    "  -h, --help       this text\n";

static const char *const usage_project =
    "usage: chitieu project PLAN.yaml... --data DIR [--method M] [--to YEAR]\n"
    "                       [--level L] [--unit CODE] [--format csv|json] [-o FILE]\n"
    "\n"
    "Projects every indicator's yearly trend for every unit, from the year after\n"
    "its latest value to YEAR (default: the plan's horizon or last target year),\n"
    "with a 95% prediction interval. CSV columns:\n"
    "  plan,indicator,unit,level,method,year,projected,lower,upper,points,\n"
    "  last_period,last_value\n"
    "\n"
    "methods:\n"
    "  auto        logit for percentages, linear otherwise (default)\n"
    "  linear      ordinary least squares on the values\n"
    "  logit       least squares on the logit of a percentage (stays within 0-100)\n"
    "  cagr        least squares on the logarithm: constant compound growth\n"
    "  transition  for a share of units whose plan sets a yearly transition band\n"
    "              (e.g. 7-10% of the remaining communes a year): the band's paths\n"
    "\n"
    "options:\n"
    "  --data DIR, --as-of PERIOD, --level L, --unit CODE, --format, -o FILE\n"
    "  -h, --help       this text\n";

static const char *const assess_columns[] = {
    "plan", "indicator", "unit", "level", "target_year", "target", "baseline_period", "baseline_value",
    "latest_period", "latest_value", "observed_rate", "required_rate", "ratio", "projected", "lower",
    "upper", "status", "note", "met_year", "method", "points", "name", "valid_from", "valid_to", "approximate"};

static const char *const project_columns[] = {"plan", "indicator", "unit", "level", "method", "year",
                                              "projected", "lower", "upper", "points", "last_period",
                                              "last_value", "name", "valid_from", "valid_to"};

typedef struct {
    ct_rec rec;
    const ct_series *s;
    const ct_indicator *apx_ind; /* the indicator whose approximate units apx marks */
    unsigned char *apx;
} writer;

/* Whether a row's values rest on a part link without a weight (one
 * computation per indicator, only when the data have such values). */
static int approximate(writer *w, const ct_plan *plan, const ct_indicator *ind, int unit)
{
    if (!w->s->has_approx) return 0;
    if (w->apx_ind != ind) {
        if (!w->apx && !(w->apx = malloc((size_t)w->s->n_units))) return 0;
        if (ct_compute_approximate(plan, ind, w->s, w->apx) != CT_OK) return 0;
        w->apx_ind = ind;
    }
    return w->apx[unit];
}

static void period_field(ct_rec *r, ct_period p, int present)
{
    char pb[CT_PERIOD_BUF];
    ct_period_format(p, pb);
    ct_rec_text(r, present ? pb : NULL);
}

static void unit_fields(writer *w, const ct_plan *plan, const ct_indicator *ind, int unit)
{
    ct_rec_text(&w->rec, plan->id);
    ct_rec_text(&w->rec, ind->id);
    ct_rec_text(&w->rec, w->s->code[unit]);
    ct_rec_text(&w->rec, w->s->level_name[w->s->level[unit]]);
}

/* The unit's name and, for a reused code, its validity (columns at the end). */
static void unit_identity(writer *w, int unit)
{
    const ct_series *s = w->s;
    ct_rec_text(&w->rec, s->name[unit]);
    ct_rec_text(&w->rec, s->reused[unit] ? s->valid_from_text[unit] : NULL);
    ct_rec_text(&w->rec, s->reused[unit] ? s->valid_to_text[unit] : NULL);
}

static int write_assessment(const ct_assessment *a, void *ctx)
{
    writer *w = ctx;
    ct_rec *r = &w->rec;
    unit_fields(w, a->plan, a->ind, a->unit);
    ct_rec_int(r, a->target_year, 1);
    ct_rec_number(r, a->target_value);
    period_field(r, a->baseline_period, a->plan->has_baseline);
    ct_rec_number(r, a->baseline_value);
    period_field(r, a->latest_period, a->has_latest);
    ct_rec_number(r, a->latest_value);
    ct_rec_number(r, a->observed_rate);
    ct_rec_number(r, a->required_rate);
    ct_rec_number(r, a->ratio);
    ct_rec_number(r, a->projected);
    ct_rec_number(r, a->lower);
    ct_rec_number(r, a->upper);
    ct_rec_text(r, a->status);
    char geo[300], note[2048];
    ct_compute_geo_note(a->plan, a->ind, w->s, a->unit, geo, sizeof geo);
    if (geo[0]) snprintf(note, sizeof note, "%s%s%s", a->note, a->note[0] ? "; " : "", geo);
    ct_rec_text(r, geo[0] ? note : a->note);
    ct_rec_int(r, a->met_year, a->met_year != 0);
    ct_rec_text(r, ct_proj_method_name(a->method));
    ct_rec_int(r, a->points, 1);
    unit_identity(w, a->unit);
    ct_rec_int(r, 1, approximate(w, a->plan, a->ind, a->unit));
    ct_rec_end_row(r);
    return 0;
}

static int write_projection(const ct_projection *p, void *ctx)
{
    writer *w = ctx;
    ct_rec *r = &w->rec;
    unit_fields(w, p->plan, p->ind, p->unit);
    ct_rec_text(r, ct_proj_method_name(p->method));
    ct_rec_int(r, p->year, 1);
    ct_rec_number(r, p->projected);
    ct_rec_number(r, p->lower);
    ct_rec_number(r, p->upper);
    ct_rec_int(r, p->points, 1);
    period_field(r, p->last_period, 1);
    ct_rec_number(r, p->last_value);
    unit_identity(w, p->unit);
    ct_rec_end_row(r);
    return 0;
}

typedef struct {
    const char *name;
    const char *usage;
    const char *const *columns;
    int n_columns;
} command;

/* Shared by assess and project: options, loading, output; `run` does the work. */
static int run_command(const command *c, int argc, char **argv,
                       ct_status (*run)(const ct_plan *, cli_session *, const cli_args *,
                                        const ct_compute_filter *, ct_proj_method, writer *))
{
    static const char *const allowed[] = {"--data", "-o", "--output", "--level", "--unit", "--format",
                                          "--method", "--to", "--as-of", "--rules", NULL};
    cli_args a;
    int rc = cli_parse_args(c->name, argc, argv, &a, allowed);
    if (rc || cli_help(&a, c->usage)) { cli_args_free(&a); return rc; }
    ct_proj_method method = CT_PM_AUTO;
    int json = a.format && !strcmp(a.format, "json");
    if (a.format && !json && strcmp(a.format, "csv")) rc = cli_usage_error(c->name, "--format must be csv or json, not '%s'", a.format);
    if (!rc && a.method && ct_proj_method_parse(a.method, &method) != 0)
        rc = cli_usage_error(c->name, "--method must be auto, linear, logit, cagr or transition, not '%s'", a.method);
    if (!rc && a.to && (strspn(a.to, "0123456789") != strlen(a.to) || atoi(a.to) < 1900 || atoi(a.to) > 2200))
        rc = cli_usage_error(c->name, "--to must be a year, not '%s'", a.to);
    if (!rc && a.n_plans == 0) rc = cli_usage_error(c->name, "%s", "no plan file given");
    if (!rc && !a.data) rc = cli_usage_error(c->name, "%s", "--data DIR is required");
    if (rc) { cli_args_free(&a); return rc; }
    cli_session ss;
    cli_session_init(&ss);
    rc = cli_load(&ss, &a, c->name);
    ct_compute_filter filter;
    if (rc == 0) rc = cli_filter(&a, &ss.series, c->name, &filter);
    if (rc == CLI_EXIT_USAGE) { cli_args_free(&a); cli_finish(&ss, 0); return rc; }
    int bad = rc != 0;
    ct_out *out = bad ? NULL : ct_out_open(a.out, &ss.diags);
    if (!bad && !out) bad = 1;
    if (out) {
        writer w = {{0}, &ss.series, NULL, NULL};
        ct_rec_begin(&w.rec, out, json, c->columns, c->n_columns);
        ct_status st = CT_OK;
        for (size_t i = 0; st == CT_OK && i < ss.n_plans; i++)
            st = run(ss.plans[i], &ss, &a, &filter, method, &w);
        ct_rec_end(&w.rec);
        free(w.apx);
        bad |= ss.diags.n_errors > 0; /* a failing rule: its rows say error; exit 1 */
        if (st != CT_OK) {
            ct_out_abort(out);
            ct_error_at(&ss.diags, NULL, 0, 0, "%s failed: %s", c->name, ct_status_str(st));
            bad = 1;
        } else if (ct_out_commit(out, &ss.diags) != CT_OK) {
            bad = 1;
        }
    }
    cli_args_free(&a);
    return cli_finish(&ss, bad);
}

static void apply_rules(void *ctx, ct_assessment *a)
{
    cli_session *ss = ctx;
    ct_rules_assess(ss->rules, a, &ss->diags);
}

static ct_status run_assess(const ct_plan *plan, cli_session *ss, const cli_args *a,
                            const ct_compute_filter *f, ct_proj_method m, writer *w)
{
    (void)a;
    ct_assess_options opt = {m == CT_PM_TRANSITION ? CT_PM_AUTO : m, NULL, NULL};
    if (ss->rules && ct_rules_n_assess(ss->rules) > 0) {
        opt.custom = apply_rules;
        opt.custom_ctx = ss;
    }
    return ct_assess_plan(plan, &ss->series, f, &opt, write_assessment, w);
}

static ct_status run_project(const ct_plan *plan, cli_session *ss, const cli_args *a,
                             const ct_compute_filter *f, ct_proj_method m, writer *w)
{
    int to = a->to ? atoi(a->to) : ct_plan_last_year(plan);
    return ct_assess_project(plan, &ss->series, f, m, to, write_projection, w);
}

int cmd_assess(int argc, char **argv)
{
    command c = {"assess", usage_assess, assess_columns, (int)(sizeof assess_columns / sizeof *assess_columns)};
    return run_command(&c, argc, argv, run_assess);
}

int cmd_project(int argc, char **argv)
{
    command c = {"project", usage_project, project_columns, (int)(sizeof project_columns / sizeof *project_columns)};
    return run_command(&c, argc, argv, run_project);
}
