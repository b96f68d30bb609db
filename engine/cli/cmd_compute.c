/* chitieu compute: every indicator for every unit and period. */
#include <stdio.h>
#include <string.h>

#include "../render/ct_table.h"
#include "cli.h"

static const char *const usage =
    "usage: chitieu compute PLAN.yaml... --data DIR [--level L] [--unit CODE]\n"
    "                       [--format csv|json|xlsx] [--lang vi|en] [--periods TYPE]\n"
    "                       [-o FILE]\n"
    "\n"
    "Computes every indicator of the plans for every unit of each plan's region\n"
    "and every period of the data. CSV columns:\n"
    "  plan,indicator,unit,level,period,value,numerator,denominator,reported,expected\n"
    "\n"
    "options:\n"
    "  --data DIR       a folder with units.csv and observations.csv (required)\n"
    "  --level L        only units of level L (e.g. province, district)\n"
    "  --unit CODE      only the unit with this code\n"
    "  --format F       csv (default), json, or xlsx (an Excel workbook, one sheet\n"
    "                   per plan; needs -o FILE.xlsx)\n"
    "  --lang L         the workbook's headers: vi (default) or en\n"
    "  --periods TYPE   finest periods to print: year, half-year, quarter or month\n"
    "                   (default: as fine as the data are reported)\n"
    "  --as-of PERIOD   use only the data of periods ending by PERIOD\n"
    "  --geography G    the units to compute on: a period (default: each plan's\n"
    "                   own map) or as-reported (see docs/data-formats.md)\n"
    "  --rules FILE     a Lua rules file (repeatable; kind: lua indicators load\n"
    "                   their scripts themselves)\n"
    "  --quiet-rules    drop what the rules print with log(...)\n"
    "  -o FILE          write to FILE (whole or not at all) instead of stdout\n"
    "  -h, --help       this text\n";

int cmd_compute(int argc, char **argv)
{
    static const char *const allowed[] = {"--data", "-o", "--output", "--level", "--unit", "--format",
                                          "--periods", "--as-of", "--lang", NULL};
    cli_args a;
    int rc = cli_parse_args("compute", argc, argv, &a, allowed);
    if (rc || cli_help(&a, usage)) { cli_args_free(&a); return rc; }
    int f = 0;
    rc = cli_format(&a, "compute", &f);
    ct_format fmt = f == 2 ? CT_FMT_XLSX : f == 1 ? CT_FMT_JSON : CT_FMT_CSV;
    if (!rc && a.n_plans == 0) rc = cli_usage_error("compute", "%s", "no plan file given");
    if (!rc && !a.data) rc = cli_usage_error("compute", "%s", "--data DIR is required");
    if (rc) { cli_args_free(&a); return rc; }
    cli_session ss;
    cli_session_init(&ss);
    rc = cli_load(&ss, &a, "compute");
    ct_compute_filter filter;
    if (rc == 0) rc = cli_filter(&a, &ss.series, "compute", &filter);
    if (rc == CLI_EXIT_USAGE) { cli_args_free(&a); cli_finish(&ss, 0); return rc; }
    int bad = rc != 0;
    cli_output out = {0};
    if (!bad && cli_output_open(&out, a.out, fmt == CT_FMT_XLSX, a.lang, &ss.diags)) bad = 1;
    if (!bad) {
        ct_table t;
        if (out.xlsx) ct_table_begin_xlsx(&t, out.xlsx, &ss.series);
        else {
            ct_out_write_behind(out.out);
            ct_table_begin(&t, out.out, &ss.series, fmt);
        }
        ct_status st = CT_OK;
        for (size_t i = 0; st == CT_OK && i < ss.n_plans; i++) {
            /* each plan on its own map */
            const ct_series *s = cli_session_series(&ss, i);
            if (ss.rules) ct_rules_use_series(ss.rules, s);
            t.series = s;
            t.prefix_unit = -1;
            st = ct_compute_plan(ss.plans[i], s, &filter, ct_table_row, &t);
        }
        ct_table_end(&t);
        bad |= ss.diags.n_errors > 0; /* a failing lua indicator: empty values; exit 1 */
        if (st != CT_OK) ct_error_at(&ss.diags, NULL, 0, 0, "compute failed: %s", ct_status_str(st));
        if (cli_output_close(&out, st == CT_OK, &ss.diags)) bad = 1;
    }
    cli_args_free(&a);
    return cli_finish(&ss, bad);
}
