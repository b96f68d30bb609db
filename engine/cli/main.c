/* chitieu: the command line. Parses options, runs a command through the
 * engine, prints diagnostics; exit status 0 ok, 1 bad input, 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../render/ct_table.h"
#include "cli_session.h"

#ifndef CHITIEU_VERSION
#define CHITIEU_VERSION "0.1.0"
#endif

typedef struct {
    char **plans;
    size_t n_plans;
    const char *data, *out, *level, *unit, *format, *periods;
    int help;
} cli_args;

static const char *const usage_main =
    "usage: chitieu COMMAND [options]\n"
    "\n"
    "Monitoring and evaluation of plan targets over the administrative hierarchy.\n"
    "\n"
    "commands:\n"
    "  check    PLAN.yaml... [--data DIR]      validate plans (and data against them)\n"
    "  compute  PLAN.yaml... --data DIR        indicator values for every unit and period\n"
    "\n"
    "  chitieu COMMAND --help   options of a command\n"
    "  chitieu --version        the version\n"
    "\n"
    "Exit status: 0 success, 1 bad input or a failed check, 2 usage error.\n";

static const char *const usage_check =
    "usage: chitieu check PLAN.yaml... [--data DIR]\n"
    "\n"
    "Validates every plan file against the plan schema and, with --data, the data\n"
    "folder (units.csv, observations.csv) against the plans. Prints every problem\n"
    "as FILE:LINE[:COL]: error: MESSAGE on stderr, and a summary on stdout.\n"
    "\n"
    "options:\n"
    "  --data DIR   a folder with units.csv and observations.csv\n"
    "  -h, --help   this text\n";

static const char *const usage_compute =
    "usage: chitieu compute PLAN.yaml... --data DIR [--level L] [--unit CODE]\n"
    "                       [--format csv|json] [--periods TYPE] [-o FILE]\n"
    "\n"
    "Computes every indicator of the plans for every unit of each plan's region\n"
    "and every period of the data. CSV columns:\n"
    "  plan,indicator,unit,level,period,value,numerator,denominator,reported,expected\n"
    "\n"
    "options:\n"
    "  --data DIR       a folder with units.csv and observations.csv (required)\n"
    "  --level L        only units of level L (e.g. province, district)\n"
    "  --unit CODE      only the unit with this code\n"
    "  --format F       csv (default) or json\n"
    "  --periods TYPE   finest periods to print: year, half-year, quarter or month\n"
    "                   (default: as fine as the data are reported)\n"
    "  -o FILE          write to FILE (whole or not at all) instead of stdout\n"
    "  -h, --help       this text\n";

static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
    fprintf(stderr, "chitieu%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'chitieu %s%s--help'.\n", cmd ? cmd : "", cmd ? " " : "");
    return CLI_EXIT_USAGE;
}

/* Options that take a value; returns its slot, or NULL. */
static const char **option_slot(cli_args *a, const char *name)
{
    if (!strcmp(name, "--data")) return &a->data;
    if (!strcmp(name, "-o") || !strcmp(name, "--output")) return &a->out;
    if (!strcmp(name, "--level")) return &a->level;
    if (!strcmp(name, "--unit")) return &a->unit;
    if (!strcmp(name, "--format")) return &a->format;
    if (!strcmp(name, "--periods")) return &a->periods;
    return NULL;
}

static int parse_args(const char *cmd, int argc, char **argv, cli_args *a, const char *const *allowed)
{
    memset(a, 0, sizeof *a);
    a->plans = calloc((size_t)argc + 1, sizeof *a->plans);
    if (!a->plans) return usage_error(cmd, "%s", "out of memory");
    for (int i = 0; i < argc; i++) {
        char *arg = argv[i];
        if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) { a->help = 1; continue; }
        if (arg[0] != '-' || !strcmp(arg, "-")) { a->plans[a->n_plans++] = arg; continue; }
        char name[64];
        const char *value = NULL;
        const char *eq = strchr(arg, '=');
        size_t nlen = eq ? (size_t)(eq - arg) : strlen(arg);
        if (nlen >= sizeof name) return usage_error(cmd, "unknown option '%s'", arg);
        memcpy(name, arg, nlen);
        name[nlen] = '\0';
        const char **slot = option_slot(a, name);
        int ok = 0;
        for (const char *const *p = allowed; slot && *p; p++) ok |= !strcmp(*p, name);
        if (!slot || !ok) return usage_error(cmd, "unknown option '%s'", arg);
        if (eq) value = eq + 1;
        else if (i + 1 < argc) value = argv[++i];
        else return usage_error(cmd, "option '%s' needs a value", name);
        *slot = value;
    }
    return CLI_EXIT_OK;
}

static int finish(cli_session *ss, int bad)
{
    cli_session_print(ss);
    cli_session_free(ss);
    return bad ? CLI_EXIT_INPUT : CLI_EXIT_OK;
}

static int cmd_check(int argc, char **argv)
{
    static const char *const allowed[] = {"--data", NULL};
    cli_args a;
    int rc = parse_args("check", argc, argv, &a, allowed);
    if (rc || a.help) {
        if (!rc) fputs(usage_check, stdout);
        free(a.plans);
        return rc;
    }
    if (a.n_plans == 0) { free(a.plans); return usage_error("check", "%s", "no plan file given"); }
    cli_session ss;
    cli_session_init(&ss);
    int bad = cli_session_load(&ss, a.plans, a.n_plans, a.data);
    size_t n_errors = ss.diags.n_errors, n_warnings = ss.diags.n_warnings;
    cli_session_print(&ss);
    fflush(stderr);
    for (size_t i = 0; i < ss.n_plans; i++) {
        const ct_plan *p = ss.plans[i];
        size_t targets = 0;
        for (size_t k = 0; k < p->n_indicators; k++) targets += p->indicators[k].n_targets;
        printf("%s: plan %s: %zu metrics, %zu indicators, %zu targets\n", p->path, p->id ? p->id : "?",
               p->n_metrics, p->n_indicators, targets);
    }
    if (ss.has_data) {
        const ct_series *s = &ss.series;
        printf("%s: %d units, %zu observations of %d metrics", a.data, s->n_units - s->implicit_root,
               ss.n_observations, s->n_metrics);
        if (s->year0 <= s->year1) printf(", %d-%d", s->year0, s->year1);
        printf("\n");
    }
    printf("%s (%zu error%s, %zu warning%s)\n", bad ? "FAILED" : "ok", n_errors, n_errors == 1 ? "" : "s",
           n_warnings, n_warnings == 1 ? "" : "s");
    free(a.plans);
    return finish(&ss, bad);
}

/* Resolves --level, --unit and --periods against the loaded data. */
static int compute_filter(const cli_args *a, const ct_series *s, ct_compute_filter *f)
{
    f->level = f->unit = f->finest = -1;
    if (a->level && (f->level = ct_series_level(s, a->level)) < 0)
        return usage_error("compute", "--level: no unit in the data has level '%s'", a->level);
    if (a->unit && (f->unit = ct_series_unit(s, a->unit, strlen(a->unit))) < 0)
        return usage_error("compute", "--unit: '%s' is not a unit of the data", a->unit);
    if (a->periods) {
        ct_ptype t;
        if (ct_ptype_parse(a->periods, &t) != 0)
            return usage_error("compute", "--periods must be year, half-year, quarter or month, not '%s'", a->periods);
        f->finest = (int)t;
    }
    return CLI_EXIT_OK;
}

static int cmd_compute(int argc, char **argv)
{
    static const char *const allowed[] = {"--data", "-o", "--output", "--level", "--unit", "--format", "--periods", NULL};
    cli_args a;
    int rc = parse_args("compute", argc, argv, &a, allowed);
    if (rc || a.help) {
        if (!rc) fputs(usage_compute, stdout);
        free(a.plans);
        return rc;
    }
    ct_format fmt = CT_FMT_CSV;
    if (a.format && !strcmp(a.format, "json")) fmt = CT_FMT_JSON;
    else if (a.format && strcmp(a.format, "csv")) rc = usage_error("compute", "--format must be csv or json, not '%s'", a.format);
    if (!rc && a.n_plans == 0) rc = usage_error("compute", "%s", "no plan file given");
    if (!rc && !a.data) rc = usage_error("compute", "%s", "--data DIR is required");
    if (rc) { free(a.plans); return rc; }
    cli_session ss;
    cli_session_init(&ss);
    int bad = cli_session_load(&ss, a.plans, a.n_plans, a.data);
    ct_compute_filter filter;
    if (!bad && (rc = compute_filter(&a, &ss.series, &filter)) != 0) {
        free(a.plans);
        finish(&ss, 0);
        return rc;
    }
    if (!bad) {
        ct_out *out = ct_out_open(a.out, &ss.diags);
        if (!out) bad = 1;
        else {
            ct_table t;
            ct_table_begin(&t, out, &ss.series, fmt);
            ct_status st = CT_OK;
            for (size_t i = 0; st == CT_OK && i < ss.n_plans; i++)
                st = ct_compute_plan(ss.plans[i], &ss.series, &filter, ct_table_row, &t);
            ct_table_end(&t);
            if (st != CT_OK) {
                ct_out_abort(out);
                ct_error_at(&ss.diags, NULL, 0, 0, "compute failed: %s", ct_status_str(st));
                bad = 1;
            } else if (ct_out_commit(out, &ss.diags) != CT_OK) {
                bad = 1;
            }
        }
    }
    free(a.plans);
    return finish(&ss, bad);
}

int main(int argc, char **argv)
{
    if (argc < 2) { fputs(usage_main, stderr); return CLI_EXIT_USAGE; }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) { fputs(usage_main, stdout); return 0; }
    if (!strcmp(cmd, "--version")) { printf("chitieu %s\n", CHITIEU_VERSION); return 0; }
    if (!strcmp(cmd, "check")) return cmd_check(argc - 2, argv + 2);
    if (!strcmp(cmd, "compute")) return cmd_compute(argc - 2, argv + 2);
    static const char *const later[] = {"project", "assess", "plot", "report"};
    for (size_t i = 0; i < sizeof later / sizeof *later; i++)
        if (!strcmp(cmd, later[i])) {
            fprintf(stderr, "chitieu: '%s' is not available in this version yet\n", cmd);
            return CLI_EXIT_USAGE;
        }
    return usage_error(NULL, "unknown command '%s'", cmd);
}
