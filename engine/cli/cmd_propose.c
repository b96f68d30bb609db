/* chitieu propose: target scenarios for the next cycle of a plan. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../project/ct_propose.h"
#include "../render/ct_draft.h"
#include "../render/ct_records.h"
#include "cli.h"

static const char *const usage_propose =
    "usage: chitieu propose PLAN.yaml... --data DIR --to YEAR [--from YEAR]\n"
    "                       [--probability P] [--allocate equal_gap|same_change]\n"
    "                       [--level L] [--unit CODE]\n"
    "                       [--as-of PERIOD] [--geography G] [--lang vi|en]\n"
    "                       [--model calibrated|ols]\n"
    "                       [--format csv|json|xlsx|yaml] [-o FILE]\n"
    "\n"
    "Target scenarios for a new plan's target year, for every indicator and\n"
    "unit: trend (the model's median), likely (reached or passed with\n"
    "probability P), stretch (with probability 1 - P), best_pace (the baseline\n"
    "at the pace of the best quarter of the units of its level), maintain (the\n"
    "baseline) and proposed (each target the plan sets from --from to --to).\n"
    "CSV columns:\n"
    "  plan,indicator,unit,level,name,baseline_period,baseline_value,target_year,\n"
    "  scenario,value,probability,pace,observed_pace,note\n"
    "\n"
    "options:\n"
    "  --data DIR       a folder with units.csv and observations.csv (required)\n"
    "  --to YEAR        the new plan's target year (required)\n"
    "  --from YEAR      the new plan's baseline year (default: the last complete year)\n"
    "  --probability P  the confidence of a likely target, in (0, 1) (default 0.8)\n"
    "  --allocate M     split the region's likely target among the units one level\n"
    "                   below it: equal_gap (each closes the same share of the gap to\n"
    "                   the best value; counts proportionally) or same_change (the\n"
    "                   same relative change); the region's note gives the margin\n"
    "  --model M        the trend model: calibrated (default) or ols, as for assess\n"
    "  --format yaml    a draft plan (one plan given): each target the likely value\n"
    "                   of the region, rounded outward; chitieu check accepts it\n"
    "  --as-of, --geography, --level, --unit, --format, --lang, -o FILE\n"
    "                   as for assess\n"
    "  -h, --help       this text\n";

static const char *const propose_columns[] = {"plan", "indicator", "unit", "level", "name", "baseline_period",
                                              "baseline_value", "target_year", "scenario", "value", "probability",
                                              "pace", "observed_pace", "note"};

typedef struct {
    ct_rec rec;
    const ct_series *s;
    /* --format yaml: the draft's targets */
    int yaml;
    ct_draft_target *t;
    size_t n, cap;
    double probability;
    const char *geography;
    int failed;
} writer;

/* A likely value rounded outward (a whole percent or count, on the side
 * that keeps at least the stated probability). */
static double outward(double v, int direction)
{
    return direction >= 0 ? floor(v + 1e-9) : ceil(v - 1e-9);
}

static int keep_target(writer *w, const ct_proposal *p)
{
    if (p->scenario != CT_SC_LIKELY || (p->unit != p->plan->region_unit && !p->allocated) || !isfinite(p->value))
        return 0;
    if (w->n == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 32;
        ct_draft_target *t = realloc(w->t, cap * sizeof *t);
        if (!t) { w->failed = 1; return 1; }
        w->t = t;
        w->cap = cap;
    }
    ct_draft_target *d = &w->t[w->n++];
    memset(d, 0, sizeof *d);
    d->ind = p->ind;
    /* the region's target rounded outward; a unit's share inward, so that the
     * region computed from the units still meets its target */
    d->value = outward(p->value, p->allocated ? -p->ind->direction : p->ind->direction);
    d->unit = p->allocated ? w->s->code[p->unit] : NULL;
    char last[16];
    snprintf(last, sizeof last, "%d", p->from);
    if (p->allocated) {
        snprintf(d->note, sizeof d->note, "allocated: %.240s (%.4g rounded toward the target's side)", p->note, p->value);
        return 0;
    }
    snprintf(d->note, sizeof d->note,
             "likely: reached with probability %.2g under the trend (%.4g rounded outward), data up to %s, "
             "geography %s%s%s",
             w->probability, p->value, last, w->geography ? w->geography : "as-reported",
             p->flag_direction ? "; moves against the indicator's direction" : "",
             p->flag_pace ? "; needs more than twice the best observed pace" : "");
    return 0;
}

static void write_row(writer *w, const ct_proposal *p, const char *sheet);

static int write_proposal(const ct_proposal *p, void *ctx)
{
    writer *w = ctx;
    if (w->yaml) return keep_target(w, p);
    write_row(w, p, p->plan->id);
    /* a workbook also gathers the allocated rows (and their region's) on a sheet of their own */
    if (w->rec.xlsx && (p->allocated || p->alloc_units)) {
        ct_xlsx_next_sheet(w->rec.xlsx, "allocations");   /* its plan cell still names the plan */
        write_row(w, p, p->plan->id);
    }
    return 0;
}

static void write_row(writer *w, const ct_proposal *p, const char *sheet)
{
    ct_rec *r = &w->rec;
    ct_rec_text(r, sheet);
    ct_rec_text(r, p->ind->id);
    ct_rec_text(r, w->s->code[p->unit]);
    ct_rec_text(r, w->s->level_name[w->s->level[p->unit]]);
    ct_rec_text(r, w->s->name[p->unit]);
    ct_rec_int(r, p->from, 1);
    ct_rec_number(r, p->baseline_value);
    ct_rec_int(r, p->to, 1);
    ct_rec_text(r, ct_scenario_name(p->scenario));
    ct_rec_number(r, p->value);
    ct_rec_number(r, p->probability);
    ct_rec_number(r, p->pace);
    ct_rec_number(r, p->observed_pace);
    ct_rec_text(r, p->note);
    ct_rec_end_row(r);
}

static int parse_year(const char *text, int *out)
{
    if (!text || !*text || strspn(text, "0123456789") != strlen(text) || strlen(text) > 4) return -1;
    *out = atoi(text);
    return *out >= 1900 && *out <= 2200 ? 0 : -1;
}

int cmd_propose(int argc, char **argv)
{
    static const char *const allowed[] = {"--data", "-o", "--output", "--level", "--unit", "--format", "--to",
                                          "--from", "--probability", "--as-of", "--lang", "--min-coverage",
                                          "--geography", "--allocate", "--model", NULL};
    const char *name = "propose";
    cli_args a;
    int rc = cli_parse_args(name, argc, argv, &a, allowed);
    if (rc || cli_help(&a, usage_propose)) { cli_args_free(&a); return rc; }
    int fmt = 0, yaml = a.format && !strcmp(a.format, "yaml");
    if (yaml) a.format = NULL;
    rc = cli_format(&a, name, &fmt);
    ct_propose_options opt = {0, 0, 0.8, 0.8, CT_LANG_VI, CT_ALLOC_NONE, CT_MODEL_CALIBRATED};
    if (!rc && !a.to) rc = cli_usage_error(name, "%s", "--to YEAR is required");
    if (!rc && parse_year(a.to, &opt.to) != 0) rc = cli_usage_error(name, "--to must be a year, not '%s'", a.to);
    if (!rc && a.from && parse_year(a.from, &opt.from) != 0)
        rc = cli_usage_error(name, "--from must be a year, not '%s'", a.from);
    if (!rc && a.from && opt.to <= opt.from)
        rc = cli_usage_error(name, "--to must be after --from (%s)", a.from);
    if (!rc && a.probability) {
        char *end;
        opt.probability = strtod(a.probability, &end);
        if (end == a.probability || *end || !(opt.probability > 0 && opt.probability < 1))
            rc = cli_usage_error(name, "--probability must be a number between 0 and 1 (exclusive), not '%s'",
                                 a.probability);
    }
    if (!rc && a.allocate && ct_alloc_parse(a.allocate, &opt.allocate) != 0)
        rc = cli_usage_error(name, "--allocate must be equal_gap or same_change, not '%s'", a.allocate);
    if (!rc) rc = cli_judgement(&a, name, &opt.lang, &opt.min_coverage);
    if (!rc) rc = cli_model(&a, name, &opt.model);
    if (!rc && a.n_plans == 0) rc = cli_usage_error(name, "%s", "no plan file given");
    if (!rc && yaml && a.n_plans != 1) rc = cli_usage_error(name, "%s", "--format yaml drafts one plan: give one plan file");
    if (!rc && !a.data) rc = cli_usage_error(name, "%s", "--data DIR is required");
    if (rc) { cli_args_free(&a); return rc; }
    cli_session ss;
    cli_session_init(&ss);
    ss.latest_map = 1; /* a new plan is drafted on the latest map in the data (up to --as-of) */
    rc = cli_load(&ss, &a, name);
    ct_compute_filter filter;
    if (rc == 0) rc = cli_filter(&a, &ss.series, name, &filter);
    int asof = ct_series_asof_month(&ss.series);
    if (rc == 0 && !a.from && opt.to <= (asof + 1) / 12 - 1) {
        char buf[16];
        snprintf(buf, sizeof buf, "%d", (asof + 1) / 12 - 1);
        rc = cli_usage_error(name, "--to must be after the baseline year, the last complete year %s", buf);
    }
    if (rc == CLI_EXIT_USAGE) { cli_args_free(&a); cli_finish(&ss, 0); return rc; }
    int bad = rc != 0;
    for (size_t i = 0; !bad && i < ss.n_plans; i++)
        if (ss.plans[i]->n_indicators == 0) {
            ct_error_at(&ss.diags, ss.plans[i]->path, 1, 1, "%s", "the plan has no indicators to propose targets for");
            bad = 1;
        }
    cli_output out = {0};
    if (!bad && cli_output_open(&out, a.out, fmt == 2, a.lang, &ss.diags)) bad = 1;
    if (!bad) {
        writer w = {{0}, &ss.series, yaml, NULL, 0, 0, opt.probability, ss.series.geography, 0};
        int n = (int)(sizeof propose_columns / sizeof *propose_columns);
        if (yaml) {}
        else if (out.xlsx) ct_rec_begin_xlsx(&w.rec, out.xlsx, propose_columns, n);
        else ct_rec_begin(&w.rec, out.out, fmt == 1, propose_columns, n);
        ct_status st = CT_OK;
        for (size_t i = 0; st == CT_OK && i < ss.n_plans; i++) {
            w.n = 0;
            st = ct_propose_plan(ss.plans[i], &ss.series, &filter, &opt, write_proposal, &w);
            if (w.failed) st = CT_ENOMEM;
            int from = opt.from ? opt.from : (asof + 1) / 12 - 1;
            if (yaml && st == CT_OK) ct_draft_write(out.out, ss.plans[i], from, opt.to, w.t, w.n);
        }
        free(w.t);
        if (!yaml) ct_rec_end(&w.rec);
        if (st != CT_OK) ct_error_at(&ss.diags, NULL, 0, 0, "%s failed: %s", name, ct_status_str(st));
        if (cli_output_close(&out, st == CT_OK, &ss.diags)) bad = 1;
    }
    cli_args_free(&a);
    return cli_finish(&ss, bad);
}
