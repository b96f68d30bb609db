/* chitieu check: validates plans, data against them, and with
 * --feasibility tests each plan's targets against one another. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "../project/ct_feasibility.h"
#include "../render/ct_records.h"
#include "cli.h"

static const char *const usage =
    "usage: chitieu check PLAN.yaml... [--data DIR] [--feasibility] [--rules FILE.lua]...\n"
    "                     [--format text|csv|json] [-o FILE] [--quiet-rules]\n"
    "\n"
    "Validates every plan file against the plan schema and, with --data, the data\n"
    "folder (units.csv, observations.csv) against the plans. Prints every problem\n"
    "as FILE:LINE[:COL]: error: MESSAGE on stderr, and a summary on stdout.\n"
    "\n"
    "options:\n"
    "  --data DIR      a folder with units.csv and observations.csv\n"
    "  --feasibility   test each plan's targets against one another (milestones,\n"
    "                  transition bands) and, with --data, against the region's\n"
    "                  baseline and the pace observed so far\n"
    "  --rules FILE    a Lua rules file (repeatable): its check_rule functions\n"
    "                  inspect the data; each violation is printed as\n"
    "                  violation: RULE: UNIT PERIOD [IMPORTANCE]: MESSAGE\n"
    "                  and any violation makes the check fail (exit 1)\n"
    "  --format F      the violations as text (default), or as a table, csv or\n"
    "                  json, with the columns rule, importance, unit, name,\n"
    "                  period, message (the summary then goes to stderr)\n"
    "  -o FILE         write the violations to FILE (whole or not at all)\n"
    "  --quiet-rules   drop what the rules print with log(...)\n"
    "  --as-of PERIOD  use only the data of periods ending by PERIOD\n"
    "  --min-coverage F  feasibility: set aside yearly values reported by fewer\n"
    "                  than this share of the units (0-1, default 0.8)\n"
    "  --lang L        words of the findings: vi (default) or en\n"
    "  --geography G   the units to compute on: a period, or as-reported\n"
    "  -h, --help      this text\n";

static int print_finding(const ct_plan *plan, const ct_indicator *ind, const char *text, void *ctx)
{
    fprintf(ctx, "feasibility: %s: %s: %s\n", plan->id, ind->id ? ind->id : "?", text);
    return 0;
}

typedef struct {
    const ct_series *s;
    int table;            /* csv or json: rows of rec; else text lines on out */
    ct_rec rec;
    ct_out *out;
} violations_out;

static const char *const violation_columns[] = {"rule", "importance", "unit", "name", "period", "message"};

/* A violation; its rule name and message come escaped from the rules layer. */
static int print_violation(const ct_violation *v, void *ctx)
{
    violations_out *vo = ctx;
    char pb[CT_PERIOD_BUF] = "";
    if (v->has_period) ct_period_format(v->period, pb);
    if (vo->table) {
        ct_rec_text(&vo->rec, v->rule);
        ct_rec_text(&vo->rec, v->importance);
        ct_rec_text(&vo->rec, vo->s->code[v->unit]);
        ct_rec_text(&vo->rec, vo->s->name[v->unit]);
        ct_rec_text(&vo->rec, v->has_period ? pb : NULL);
        ct_rec_text(&vo->rec, v->message);
        ct_rec_end_row(&vo->rec);
        return 0;
    }
    ct_out_puts(vo->out, "violation: ");
    ct_out_puts(vo->out, v->rule);
    ct_out_puts(vo->out, ": ");
    ct_out_puts(vo->out, vo->s->code[v->unit]);
    if (v->has_period) { ct_out_char(vo->out, ' '); ct_out_puts(vo->out, pb); }
    ct_out_puts(vo->out, " [");
    ct_out_puts(vo->out, v->importance);
    ct_out_puts(vo->out, "]: ");
    ct_out_puts(vo->out, v->message);
    ct_out_char(vo->out, '\n');
    return 0;
}

static void print_summary(FILE *to, const cli_session *ss, const cli_args *a)
{
    for (size_t i = 0; i < ss->n_plans; i++) {
        const ct_plan *p = ss->plans[i];
        size_t targets = 0;
        for (size_t k = 0; k < p->n_indicators; k++) targets += p->indicators[k].n_targets;
        fprintf(to, "%s: plan %s: %zu metrics, %zu indicators, %zu targets\n", p->path, p->id ? p->id : "?",
               p->n_metrics, p->n_indicators, targets);
    }
    if (ss->has_data) {
        const ct_series *s = &ss->series;
        fprintf(to, "%s: %d units, %zu observations of %d metrics", a->data, s->n_units - s->implicit_root,
               ss->n_observations, s->n_metrics);
        /* the span of what was kept: --as-of cuts it */
        int last = s->cutoff_month != INT_MAX && s->cutoff_month / 12 < s->year1 ? s->cutoff_month / 12 : s->year1;
        if (s->year0 <= last) fprintf(to, ", %d-%d", s->year0, last);
        fprintf(to, "\n");
    }
}

int cmd_check(int argc, char **argv)
{
    static const char *const allowed[] = {"--data", "--feasibility", "--lang", "--min-coverage", "--format", "-o", "--output",
                                          NULL};
    cli_args a;
    int rc = cli_parse_args("check", argc, argv, &a, allowed);
    if (rc || cli_help(&a, usage)) { cli_args_free(&a); return rc; }
    ct_lang lang;
    double min_cov;
    if ((rc = cli_judgement(&a, "check", &lang, &min_cov)) != 0) { cli_args_free(&a); return rc; }
    if (a.n_plans == 0) { cli_args_free(&a); return cli_usage_error("check", "%s", "no plan file given"); }
    int table = a.format && strcmp(a.format, "text") != 0, json = a.format && !strcmp(a.format, "json");
    if (table && !json && strcmp(a.format, "csv")) {
        rc = cli_usage_error("check", "--format must be text, csv or json, not '%s'", a.format);
        cli_args_free(&a);
        return rc;
    }
    cli_session ss;
    cli_session_init(&ss);
    rc = cli_load(&ss, &a, "check");
    if (rc == CLI_EXIT_USAGE) { cli_args_free(&a); cli_session_free(&ss); return rc; }
    int bad = rc != 0;
    long violations = 0;
    /* the violations go to -o FILE or stdout; a table on stdout sends the summary to stderr */
    int to_file = a.out && strcmp(a.out, "-") != 0;
    FILE *summary = table && !to_file ? stderr : stdout;
    cli_output out = {0};
    int opened = !bad && cli_output_open(&out, a.out, 0, NULL, &ss.diags) == 0;
    if (!opened) bad = 1;
    violations_out vo = {&ss.series, table, {0}, out.out};
    if (opened && table) ct_rec_begin(&vo.rec, out.out, json, violation_columns, 6);
    if (opened && ss.has_data && ss.rules && ct_rules_n_checks(ss.rules) > 0) {
        violations = ct_rules_check(ss.rules, print_violation, &vo, &ss.diags);
        bad |= violations != 0 || ss.diags.n_errors > 0;
    }
    if (opened && table) ct_rec_end(&vo.rec);
    if (opened && violations < 0) bad = 1;
    if (opened && cli_output_close(&out, violations >= 0, &ss.diags)) bad = 1;
    fflush(stdout);
    size_t n_errors = ss.diags.n_errors, n_warnings = ss.diags.n_warnings;
    cli_session_print(&ss);
    fflush(stderr);
    print_summary(summary, &ss, &a);
    if (ss.series.n_after_cutoff)
        fprintf(summary, "--as-of %s: %zu observations of later periods left out\n", a.as_of, ss.series.n_after_cutoff);
    if (violations > 0) fprintf(summary, "%ld violation%s of the data checks\n", violations, violations == 1 ? "" : "s");
    if (a.feasibility && !bad)
        for (size_t i = 0; i < ss.n_plans; i++)
            ct_feasibility_plan(ss.plans[i], ss.has_data ? cli_session_series(&ss, i) : NULL, lang, min_cov, print_finding, summary);
    fprintf(summary, "%s (%zu error%s, %zu warning%s)\n", bad ? "FAILED" : "ok", n_errors, n_errors == 1 ? "" : "s",
            n_warnings, n_warnings == 1 ? "" : "s");
    cli_args_free(&a);
    return cli_finish(&ss, bad);
}
