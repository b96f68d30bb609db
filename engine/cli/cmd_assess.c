/* chitieu assess and chitieu project: progress against every target, and
 * trends projected forward. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../project/ct_assess.h"
#include "../render/ct_records.h"
#include "cli.h"
#include "cli_compare.h"

static const char *const usage_assess =
    "usage: chitieu assess PLAN.yaml... --data DIR [--as-of PERIOD] [--min-coverage F]\n"
    "                      [--lang vi|en] [--model ols|calibrated] [--method M]\n"
    "                      [--rules FILE.lua]...\n"
    "                      [--level L] [--unit CODE] [--format csv|json|xlsx] [-o FILE]\n"
    "\n"
    "Assesses every target of every indicator, for the plan's region and the\n"
    "units in it: a target whose year is complete is evaluated on that year's\n"
    "value (achieved, nearly_achieved, not_achieved); a target still ahead is\n"
    "monitored by the UNSD progress ratio (achieved, on_track, at_risk,\n"
    "off_track, deteriorating); insufficient_data and not_applicable otherwise.\n"
    "With the projection at the target year, its 95% prediction interval, the\n"
    "probability of meeting the target, the coverage and a note. CSV columns:\n"
    "  plan,indicator,unit,level,target_year,target,baseline_period,baseline_value,\n"
    "  latest_period,latest_value,observed_rate,required_rate,ratio,projected,lower,\n"
    "  upper,status,note,met_year,method,points,probability,coverage,geography,\n"
    "  name,valid_from,valid_to,approximate\n"
    "\n"
    "options:\n"
    "  --data DIR       a folder with units.csv and observations.csv (required)\n"
    "  --as-of PERIOD   assess with only the data of periods ending by PERIOD; a\n"
    "                   year is complete when PERIOD reaches its end (default: the\n"
    "                   last period with data)\n"
    "  --min-coverage F set aside yearly values reported by fewer than this share\n"
    "                   of the units that should report (0-1, default 0.8)\n"
    "  --geography G    the units to compute on: a period (default: each plan's\n"
    "                   own map) or as-reported (see docs/data-formats.md)\n"
    "  --lang L         language of the notes: vi (default) or en\n"
    "  --rules FILE     a Lua rules file whose assess_rule functions may set a\n"
    "                   status (with a label and a colour) and a note (repeatable)\n"
    "  --quiet-rules    drop what the rules print with log(...)\n"
    "  --model M        the trend model: calibrated (default: the counts' own\n"
    "                   distribution, the noise borrowed from the peers) or ols\n"
    "                   (least squares, the formulas of earlier versions)\n"
    "  --method M       ols projection: auto (default), linear, logit, cagr\n"
    "  --level L, --unit CODE, --format csv|json|xlsx, --lang vi|en, -o FILE\n"
    "                   as for compute (xlsx: status cells coloured)\n"
    "  -h, --help       this text\n";

static const char *const usage_project =
    "usage: chitieu project PLAN.yaml... --data DIR [--model ols|calibrated]\n"
    "                       [--method M] [--to YEAR]\n"
    "                       [--level L] [--unit CODE] [--format csv|json] [-o FILE]\n"
    "\n"
    "Projects every indicator's yearly trend for every unit, from the year after\n"
    "its latest value to YEAR (default: the plan's horizon or last target year),\n"
    "with a 95% prediction interval. CSV columns:\n"
    "  plan,indicator,unit,level,method,year,projected,lower,upper,points,\n"
    "  last_period,last_value\n"
    "\n"
    "models (--model):\n"
    "  calibrated  the default: binomial for percentages, poisson for counts,\n"
    "              normal otherwise, the noise borrowed from the unit's peers\n"
    "  ols         least squares, by the method below\n"
    "\n"
    "methods (--method, of the ols model but transition):\n"
    "  auto        logit for percentages, linear otherwise (default)\n"
    "  linear      ordinary least squares on the values\n"
    "  logit       least squares on the logit of a percentage (stays within 0-100)\n"
    "  cagr        least squares on the logarithm: constant compound growth\n"
    "  transition  for a share of units whose plan sets a yearly transition band\n"
    "              (e.g. 7-10% of the remaining communes a year): the band's paths\n"
    "\n"
    "options:\n"
    "  --data DIR, --as-of PERIOD, --level L, --unit CODE, --format, -o FILE\n"
    "  --min-coverage F as for assess: years reported by fewer units are set aside\n"
    "  -h, --help       this text\n";

static const char *const assess_columns[] = {
    "plan", "indicator", "unit", "level", "target_year", "target", "baseline_period", "baseline_value",
    "latest_period", "latest_value", "observed_rate", "required_rate", "ratio", "projected", "lower",
    "upper", "status", "note", "met_year", "method", "points", "probability", "coverage", "geography",
    "name", "valid_from", "valid_to", "approximate"};

static const char *const project_columns[] = {"plan", "indicator", "unit", "level", "method", "year",
                                              "projected", "lower", "upper", "points", "last_period",
                                              "last_value", "name", "valid_from", "valid_to"};

typedef struct {
    ct_rec rec;
    const ct_series *s;
    ct_lang lang;
    double min_coverage;
    ct_model_kind model;
    const ct_indicator *apx_ind; /* the indicator whose approximate units apx marks */
    unsigned char *apx;
    size_t plan_index;           /* the plan being written, in the session */
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
    const char *colour, *label = ct_assess_look(a, a->lang, &colour);
    ct_rec_status(r, a->status, a->label[0] ? label : NULL, colour);
    ct_rec_text(r, a->note);
    ct_rec_int(r, a->met_year, a->met_year != 0);
    ct_rec_text(r, ct_proj_method_name(a->method));
    ct_rec_int(r, a->points, 1);
    ct_rec_number(r, a->probability);
    ct_rec_number(r, a->coverage);
    ct_rec_text(r, a->geography);
    unit_identity(w, a->unit);
    ct_rec_flag(r, approximate(w, a->plan, a->ind, a->unit));
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
                                          "--method", "--model", "--to", "--as-of", "--rules", "--lang",
                                          "--min-coverage", NULL};
    cli_args a;
    int rc = cli_parse_args(c->name, argc, argv, &a, allowed);
    if (rc || cli_help(&a, c->usage)) { cli_args_free(&a); return rc; }
    ct_proj_method method = CT_PM_AUTO;
    int fmt = 0;
    rc = cli_format(&a, c->name, &fmt);
    if (!rc && a.method && ct_proj_method_parse(a.method, &method) != 0)
        rc = cli_usage_error(c->name, "--method must be auto, linear, logit, cagr or transition, not '%s'", a.method);
    ct_model_kind model = CT_MODEL_CALIBRATED;
    if (!rc) rc = cli_model(&a, c->name, &model);
    if (!rc && a.to && (strspn(a.to, "0123456789") != strlen(a.to) || atoi(a.to) < 1900 || atoi(a.to) > 2200))
        rc = cli_usage_error(c->name, "--to must be a year, not '%s'", a.to);
    ct_lang lang = CT_LANG_VI;
    double min_cov = 0.8;
    if (!rc) rc = cli_judgement(&a, c->name, &lang, &min_cov);
    if (!rc && a.n_plans == 0) rc = cli_usage_error(c->name, "%s", "no plan file given");
    if (!rc && !a.data) rc = cli_usage_error(c->name, "%s", "--data DIR is required");
    if (rc) { cli_args_free(&a); return rc; }
    cli_session ss;
    cli_session_init(&ss);
    ss.compare = strcmp(c->name, "assess") == 0; /* assess compares each status as reported */
    rc = cli_load(&ss, &a, c->name);
    ct_compute_filter filter;
    if (rc == 0) rc = cli_filter(&a, &ss.series, c->name, &filter);
    if (rc == CLI_EXIT_USAGE) { cli_args_free(&a); cli_finish(&ss, 0); return rc; }
    int bad = rc != 0;
    cli_output out = {0};
    if (!bad && cli_output_open(&out, a.out, fmt == 2, a.lang, &ss.diags)) bad = 1;
    if (!bad) {
        writer w = {{0}, &ss.series, lang, min_cov, model, NULL, NULL, 0};
        if (out.xlsx) ct_rec_begin_xlsx(&w.rec, out.xlsx, c->columns, c->n_columns);
        else ct_rec_begin(&w.rec, out.out, fmt == 1, c->columns, c->n_columns);
        for (size_t i = 0; out.xlsx && i < ss.n_plans; i++) {   /* the workbook's sheets name plans and indicators in words */
            const ct_plan *p = ss.plans[i];
            ct_xlsx_title(out.xlsx, p->id, NULL, p->title);
            for (size_t k = 0; k < p->n_indicators; k++)
                ct_xlsx_title(out.xlsx, p->id, p->indicators[k].id, p->indicators[k].title);
        }
        ct_status st = CT_OK;
        for (size_t i = 0; st == CT_OK && i < ss.n_plans; i++) {
            /* each plan on its own map */
            w.s = cli_session_series(&ss, i);
            w.apx_ind = NULL;
            w.plan_index = i;
            if (ss.rules) ct_rules_use_series(ss.rules, w.s);
            st = run(ss.plans[i], &ss, &a, &filter, method, &w);
        }
        ct_rec_end(&w.rec);
        free(w.apx);
        bad |= ss.diags.n_errors > 0; /* a failing rule: its rows say error; exit 1 */
        if (st != CT_OK) ct_error_at(&ss.diags, NULL, 0, 0, "%s failed: %s", c->name, ct_status_str(st));
        if (cli_output_close(&out, st == CT_OK, &ss.diags)) bad = 1;
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
    ct_assess_options opt = {m == CT_PM_TRANSITION ? CT_PM_AUTO : m, NULL, NULL, w->lang, w->min_coverage,
                             w->s->geography, w->model};
    if (ss->rules && ct_rules_n_assess(ss->rules) > 0) {
        opt.custom = apply_rules;
        opt.custom_ctx = ss;
    }
    /* a status that differs as reported says so */
    cli_compare *cmp = NULL;
    ct_status st = cli_compare_new(&cmp, ss, w->plan_index, f, &opt);
    if (st != CT_OK) return st;
    if (cmp) {
        opt.custom = cli_compare_hook;
        opt.custom_ctx = cmp;
    }
    st = ct_assess_plan(plan, w->s, f, &opt, write_assessment, w);
    cli_compare_free(cmp);
    return st;
}

static ct_status run_project(const ct_plan *plan, cli_session *ss, const cli_args *a,
                             const ct_compute_filter *f, ct_proj_method m, writer *w)
{
    (void)ss;
    int to = a->to ? atoi(a->to) : ct_plan_last_year(plan);
    return ct_assess_project(plan, w->s, f, m, w->model, to, w->min_coverage, write_projection, w);
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
