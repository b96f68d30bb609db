/* chitieu: the command line. Dispatches to a command; exit status 0 ok,
 * 1 bad input or a failed check, 2 usage error. */
#include <stdio.h>
#include <string.h>

#include "../project/ct_proj.h"
#include "cli.h"

static const char *const usage_main =
    "usage: chitieu COMMAND [options]\n"
    "\n"
    "Monitoring and evaluation of plan targets over the administrative hierarchy.\n"
    "\n"
    "commands:\n"
    "  check    PLAN.yaml... [--data DIR] [--feasibility]   validate plans and data\n"
    "  compute  PLAN.yaml... --data DIR    indicator values for every unit and period\n"
    "  project  PLAN.yaml... --data DIR    trends projected with 95% intervals\n"
    "  assess   PLAN.yaml... --data DIR    progress against every target\n"
    "  propose  PLAN.yaml... --data DIR --to YEAR   target scenarios for the next cycle\n"
    "  plot     PLAN.yaml... --data DIR --out DIR   progress charts (gnuplot)\n"
    "  report   PLAN.yaml... --data DIR --out DIR   an HTML progress report with its charts\n"
    "  import   dhis2 --org-units F --data-values F... --out DIR   a data folder from DHIS2\n"
    "  export   dhis2 PLAN.yaml... --data DIR [--targets]   indicators and targets for DHIS2\n"
    "\n"
    "  chitieu COMMAND --help   options of a command\n"
    "  chitieu --version        the version\n"
    "\n"
    "Exit status: 0 success, 1 bad input or a failed check, 2 usage error.\n";

int main(int argc, char **argv)
{
    if (argc < 2) { fputs(usage_main, stderr); return CLI_EXIT_USAGE; }
    ct_proj_init();
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) { fputs(usage_main, stdout); return 0; }
    if (!strcmp(cmd, "--version")) { printf("chitieu %s\n", CHITIEU_VERSION); return 0; }
    if (!strcmp(cmd, "check")) return cmd_check(argc - 2, argv + 2);
    if (!strcmp(cmd, "compute")) return cmd_compute(argc - 2, argv + 2);
    if (!strcmp(cmd, "assess")) return cmd_assess(argc - 2, argv + 2);
    if (!strcmp(cmd, "project")) return cmd_project(argc - 2, argv + 2);
    if (!strcmp(cmd, "plot")) return cmd_plot(argc - 2, argv + 2);
    if (!strcmp(cmd, "report")) return cmd_report(argc - 2, argv + 2);
    if (!strcmp(cmd, "import")) return cmd_import(argc - 2, argv + 2);
    if (!strcmp(cmd, "export")) return cmd_export(argc - 2, argv + 2);
    if (!strcmp(cmd, "propose")) return cmd_propose(argc - 2, argv + 2);
    return cli_usage_error(NULL, "unknown command '%s'", cmd);
}
