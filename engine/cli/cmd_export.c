/* chitieu export dhis2: every computed indicator value (and, with
 * --targets, every target) as a DHIS2 dataValueSets JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/ct_strmap.h"
#include "../project/ct_assess.h"
#include "../render/ct_dhis2_out.h"
#include "cli.h"

static const char *const usage_export =
    "usage: chitieu export dhis2 PLAN.yaml... --data DIR [--targets] [--as-of PERIOD]\n"
    "                            [--level L] [--unit CODE] [--periods TYPE] [-o FILE.json]\n"
    "\n"
    "Writes every computed indicator value as a DHIS2 dataValueSets JSON: data\n"
    "element = the indicator id, org unit = the unit code, period = the DHIS2\n"
    "period id (2016, 2016S1, 2016Q1, 201603), value as text. DHIS2 imports it\n"
    "with POST /api/dataValueSets?idScheme=code (docs/exchange.md).\n"
    "\n"
    "options:\n"
    "  --data DIR       a folder with units.csv and observations.csv (required)\n"
    "  --targets        add each target as data element <indicator>_target in its\n"
    "                   target year (every year of an each_period span), for every\n"
    "                   unit assessed: a range target's min, a change target's\n"
    "                   number for that unit\n"
    "  --as-of PERIOD   use only the data of periods ending by PERIOD\n"
    "  --level L, --unit CODE, --periods TYPE   as for compute\n"
    "  --rules FILE     a Lua rules file (repeatable)\n"
    "  -o FILE          write to FILE (whole or not at all) instead of stdout\n"
    "  -h, --help       this text\n";

typedef struct {
    ct_dhis2_out w;
    const ct_series *s;
    ct_strmap seen;       /* indicator, unit and year of targets written */
    int failed;
} exporter;

static int export_row(const ct_row *row, void *ctx)
{
    exporter *e = ctx;
    if (row->cell.flags & CT_ROW_VALUE)
        ct_dhis2_out_value(&e->w, row->ind->id, row->period, e->s->code[row->unit], row->cell.value);
    return 0;
}

static int export_target(const ct_assessment *a, void *ctx)
{
    exporter *e = ctx;
    char de[300];
    snprintf(de, sizeof de, "%s_target", a->ind->id);
    int from = a->target->each_period ? a->target->from : a->target_year;
    for (int y = from; y <= a->target_year; y++) {
        char key[400];
        int n = snprintf(key, sizeof key, "%s\x1f%d\x1f%d", a->ind->id, a->unit, y);
        if (n < 0) continue;
        if ((size_t)n >= sizeof key) n = (int)sizeof key - 1; /* a very long id: its cut form */
        if (ct_strmap_get(&e->seen, key, (size_t)n) >= 0) continue; /* the first target of a year wins */
        if (ct_strmap_put(&e->seen, key, (size_t)n, 0) == -2) { e->failed = 1; return 1; }
        ct_period p = {(short)y, CT_PT_YEAR, 0};
        ct_dhis2_out_value(&e->w, de, p, e->s->code[a->unit], a->target_value);
    }
    return 0;
}

int cmd_export(int argc, char **argv)
{
    if (argc < 1 || (strcmp(argv[0], "dhis2") && strcmp(argv[0], "--help") && strcmp(argv[0], "-h")))
        return cli_usage_error("export", "%s", "the destination must be dhis2 (chitieu export dhis2 ...)");
    if (strcmp(argv[0], "dhis2")) { fputs(usage_export, stdout); return 0; }
    argc--;
    argv++;
    /* --targets is this command's own flag */
    int targets = 0, n = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--targets")) targets = 1;
        else argv[n++] = argv[i];
    }
    argc = n;
    static const char *const allowed[] = {"--data", "-o", "--output", "--level", "--unit", "--periods",
                                          "--as-of", "--rules", NULL};
    cli_args a;
    int rc = cli_parse_args("export", argc, argv, &a, allowed);
    if (rc || cli_help(&a, usage_export)) { cli_args_free(&a); return rc; }
    if (a.n_plans == 0) rc = cli_usage_error("export", "%s", "no plan file given");
    if (!rc && !a.data) rc = cli_usage_error("export", "%s", "--data DIR is required");
    if (rc) { cli_args_free(&a); return rc; }
    cli_session ss;
    cli_session_init(&ss);
    rc = cli_load(&ss, &a, "export");
    ct_compute_filter filter;
    if (rc == 0) rc = cli_filter(&a, &ss.series, "export", &filter);
    if (rc == CLI_EXIT_USAGE) { cli_args_free(&a); cli_finish(&ss, 0); return rc; }
    int bad = rc != 0;
    ct_out *out = bad ? NULL : ct_out_open(a.out, &ss.diags);
    if (!bad && !out) bad = 1;
    if (out) {
        exporter e = {{0}, &ss.series, {0}, 0};
        ct_strmap_init(&e.seen);
        ct_dhis2_out_begin(&e.w, out);
        ct_status st = CT_OK;
        for (size_t i = 0; st == CT_OK && i < ss.n_plans; i++)
            st = ct_compute_plan(ss.plans[i], &ss.series, &filter, export_row, &e);
        if (targets) {
            ct_assess_options opt = {CT_PM_AUTO, NULL, NULL, CT_LANG_VI, 0, NULL, CT_MODEL_CALIBRATED};
            for (size_t i = 0; st == CT_OK && i < ss.n_plans; i++)
                st = ct_assess_plan(ss.plans[i], &ss.series, &filter, &opt, export_target, &e);
        }
        ct_dhis2_out_end(&e.w);
        ct_strmap_free(&e.seen);
        if (e.failed && st == CT_OK) st = CT_ENOMEM;
        bad |= ss.diags.n_errors > 0;
        if (st != CT_OK || bad) {
            ct_out_abort(out);
            if (st != CT_OK) ct_error_at(&ss.diags, NULL, 0, 0, "export failed: %s", ct_status_str(st));
            bad = 1;
        } else if (ct_out_commit(out, &ss.diags) != CT_OK) {
            bad = 1;
        }
    }
    cli_args_free(&a);
    return cli_finish(&ss, bad);
}
