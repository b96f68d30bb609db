#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../model/ct_geo.h"

int cli_usage_error(const char *cmd, const char *fmt, const char *arg)
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
    if (!strcmp(name, "-o") || !strcmp(name, "--output") || !strcmp(name, "--out")) return &a->out;
    if (!strcmp(name, "--level")) return &a->level;
    if (!strcmp(name, "--unit")) return &a->unit;
    if (!strcmp(name, "--format")) return &a->format;
    if (!strcmp(name, "--periods")) return &a->periods;
    if (!strcmp(name, "--method")) return &a->method;
    if (!strcmp(name, "--model")) return &a->model;
    if (!strcmp(name, "--to")) return &a->to;
    if (!strcmp(name, "--as-of")) return &a->as_of;
    if (!strcmp(name, "--lang")) return &a->lang;
    if (!strcmp(name, "--min-coverage")) return &a->min_coverage;
    if (!strcmp(name, "--geography")) return &a->geography;
    if (!strcmp(name, "--from")) return &a->from;
    if (!strcmp(name, "--probability")) return &a->probability;
    if (!strcmp(name, "--allocate")) return &a->allocate;
    return NULL;
}

static int allowed_option(const char *name, const char *const *allowed)
{
    for (const char *const *p = allowed; *p; p++)
        if (!strcmp(*p, name)) return 1;
    return 0;
}

int cli_parse_args(const char *cmd, int argc, char **argv, cli_args *a, const char *const *allowed)
{
    static const char *const everywhere[] = {"--rules", "--as-of", "--geography", "--quiet-rules", NULL};
    memset(a, 0, sizeof *a);
    a->plans = calloc((size_t)argc + 1, sizeof *a->plans);
    a->rules = calloc((size_t)argc + 1, sizeof *a->rules);
    if (!a->plans || !a->rules) return cli_usage_error(cmd, "%s", "out of memory");
    for (int i = 0; i < argc; i++) {
        char *arg = argv[i];
        if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) { a->help = 1; continue; }
        if (arg[0] != '-' || !strcmp(arg, "-")) { a->plans[a->n_plans++] = arg; continue; }
        char name[64];
        const char *eq = strchr(arg, '=');
        size_t nlen = eq ? (size_t)(eq - arg) : strlen(arg);
        if (nlen >= sizeof name) return cli_usage_error(cmd, "unknown option '%s'", arg);
        memcpy(name, arg, nlen);
        name[nlen] = '\0';
        if (!allowed_option(name, allowed) && !allowed_option(name, everywhere))
            return cli_usage_error(cmd, "unknown option '%s'", arg);
        if (!strcmp(name, "--feasibility")) { a->feasibility = 1; continue; }
        if (!strcmp(name, "--quiet-rules")) { a->quiet_rules = 1; continue; }
        const char *value;
        if (eq) value = eq + 1;
        else if (i + 1 < argc) value = argv[++i];
        else return cli_usage_error(cmd, "option '%s' needs a value", name);
        if (!strcmp(name, "--rules")) { ((const char **)a->rules)[a->n_rules++] = value; continue; }
        *option_slot(a, name) = value;
    }
    return CLI_EXIT_OK;
}

void cli_args_free(cli_args *a)
{
    free(a->plans);
    free((void *)a->rules);
    a->plans = NULL;
    a->rules = NULL;
}

int cli_format(const cli_args *a, const char *cmd, int *fmt)
{
    *fmt = 0;
    if (a->format && !strcmp(a->format, "json")) *fmt = 1;
    else if (a->format && !strcmp(a->format, "xlsx")) *fmt = 2;
    else if (a->format && strcmp(a->format, "csv"))
        return cli_usage_error(cmd, "--format must be csv, json or xlsx, not '%s'", a->format);
    if (*fmt == 2 && (!a->out || !strcmp(a->out, "-")))
        return cli_usage_error(cmd, "%s", "--format xlsx writes a workbook: give -o FILE.xlsx");
    if (a->lang && strcmp(a->lang, "vi") && strcmp(a->lang, "en"))
        return cli_usage_error(cmd, "--lang must be vi or en, not '%s'", a->lang);
    return CLI_EXIT_OK;
}

int cli_model(const cli_args *a, const char *cmd, ct_model_kind *model)
{
    *model = CT_MODEL_CALIBRATED;
    if (a->model) {
        if (ct_model_parse(a->model, model) != 0)
            return cli_usage_error(cmd, "--model must be calibrated or ols, not '%s'", a->model);
        if (*model == CT_MODEL_CALIBRATED && a->method && strcmp(a->method, "auto") && strcmp(a->method, "transition"))
            return cli_usage_error(cmd, "--method %s is a method of --model ols", a->method);
        return CLI_EXIT_OK;
    }
    if (a->method && strcmp(a->method, "auto") && strcmp(a->method, "transition")) *model = CT_MODEL_OLS;
    return CLI_EXIT_OK;
}

int cli_help(const cli_args *a, const char *usage)
{
    if (!a->help) return 0;
    fputs(usage, stdout);
    return 1;
}

int cli_load(cli_session *ss, const cli_args *a, const char *cmd)
{
    if (a->as_of) {
        ct_period p;
        if (ct_period_parse(a->as_of, strlen(a->as_of), &p) != 0)
            return cli_usage_error(cmd, "--as-of must be a period such as 2018 or 2018S1, not '%s'", a->as_of);
        ss->series.cutoff_month = ct_period_last_month(p);
    }
    if (a->geography && ct_geo_parse(a->geography, &ss->geo_month) != 0)
        return cli_usage_error(cmd, "--geography must be a period such as 2025S2, or as-reported, not '%s'", a->geography);
    int bad = cli_session_load(ss, a->plans, a->n_plans, a->data);
    ss->quiet_rules = a->quiet_rules;
    bad |= cli_session_rules(ss, a->rules, a->n_rules);
    return bad ? CLI_EXIT_INPUT : CLI_EXIT_OK;
}

int cli_filter(const cli_args *a, const ct_series *s, const char *cmd, ct_compute_filter *f)
{
    f->level = f->unit = f->finest = -1;
    if (a->level && (f->level = ct_series_level(s, a->level)) < 0)
        return cli_usage_error(cmd, "--level: no unit in the data has level '%s'", a->level);
    if (a->unit && (f->unit = ct_series_unit_at(s, a->unit, strlen(a->unit), ct_geo_ref_month(s))) < 0)
        return cli_usage_error(cmd, "--unit: '%s' is not a unit of the data", a->unit);
    if (a->periods) {
        ct_ptype t;
        if (ct_ptype_parse(a->periods, &t) != 0)
            return cli_usage_error(cmd, "--periods must be year, half-year, quarter or month, not '%s'", a->periods);
        f->finest = (int)t;
    }
    return CLI_EXIT_OK;
}

int cli_judgement(const cli_args *a, const char *cmd, ct_lang *lang, double *min_coverage)
{
    *lang = CT_LANG_VI;
    *min_coverage = 0.8;
    if (a->lang && ct_lang_parse(a->lang, lang) != 0)
        return cli_usage_error(cmd, "--lang must be vi or en, not '%s'", a->lang);
    if (a->min_coverage) {
        char *end;
        double v = strtod(a->min_coverage, &end);
        if (end == a->min_coverage || *end || !(v >= 0 && v <= 1))
            return cli_usage_error(cmd, "--min-coverage must be a number from 0 to 1, not '%s'", a->min_coverage);
        *min_coverage = v;
    }
    return CLI_EXIT_OK;
}

int cli_finish(cli_session *ss, int bad)
{
    cli_session_print(ss);
    cli_session_free(ss);
    return bad ? CLI_EXIT_INPUT : CLI_EXIT_OK;
}
