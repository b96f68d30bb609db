/* What every command shares: the plans and data named on its command line,
 * loaded and checked, and the diagnostics printed on stderr. */
#ifndef CLI_SESSION_H
#define CLI_SESSION_H

#include <stddef.h>

#include "../compute/ct_compute.h"
#include "../core/ct_error.h"
#include "../load/ct_plan.h"
#include "../model/ct_series.h"
#include "../rules/ct_rules.h"

enum { CLI_EXIT_OK = 0, CLI_EXIT_INPUT = 1, CLI_EXIT_USAGE = 2 };

typedef struct {
    ct_plan **plans;
    size_t n_plans;
    ct_series series;     /* the first plan's map (every plan's with --geography) */
    ct_series **more;     /* the further maps of plans judged on their own */
    size_t n_more;
    int *plan_month;      /* per plan: the month of its map (CT_GEO_AS_REPORTED: none) */
    int *plan_series;     /* per plan: 0 the series above, k *more[k - 1] */
    ct_series *as_reported; /* the data on the units of each period, read when a
                             * verdict is compared (cli_compare); NULL until then */
    int as_reported_failed;
    int as_reported_view; /* as_reported is a view of series (ct_geo_as_reported) */
    int compare;          /* set before loading by the commands that compare the
                           * maps: the first series keeps its values as reported */
    const char *data_dir;
    int has_data;
    ct_diags diags;
    size_t n_observations;
    ct_rules *rules;      /* Lua rules, when any are named */
    int quiet_rules;      /* the rules' log(...) is dropped */
    int geo_month;        /* --geography: CT_GEO_DEFAULT, CT_GEO_AS_REPORTED or a month */
    int latest_map;       /* set before loading (propose): without --geography, each plan on
                           * the latest map up to --as-of (its region's last, where it
                           * closed), not on its own last year's */
} cli_session;

void cli_session_init(cli_session *ss);
void cli_session_free(cli_session *ss);

/* Loads every plan, then the data folder (if data_dir is not NULL) and binds
 * the plans to it. Keeps going after errors so that all are reported.
 * Returns 0 when there were no errors. */
int cli_session_load(cli_session *ss, char **plan_paths, size_t n, const char *data_dir);

/* The data a plan is computed on: its own map's, or --geography's. */
ct_series *cli_session_series(cli_session *ss, size_t plan);

/* The data on the units of each period (nothing carried), read on first
 * use; NULL when it cannot be read. */
ct_series *cli_session_as_reported(cli_session *ss);

/* Loads the rules files named on the command line and by the plans, and
 * connects kind: lua indicators to their functions. Returns 0 when fine. */
int cli_session_rules(cli_session *ss, const char *const *files, size_t n);

/* Prints the diagnostics gathered so far to stderr, then forgets them. */
void cli_session_print(cli_session *ss);

#endif
