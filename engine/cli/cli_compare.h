/* A verdict that depends on the map: a plan is assessed on its own map (or
 * --geography's) and, once more, as reported (every period on its own
 * units); where a row's status differs, its note gives both values and
 * names each map, so that no officer learns it from someone else. */
#ifndef CLI_COMPARE_H
#define CLI_COMPARE_H

#include "cli_session.h"

typedef struct cli_compare cli_compare;

/* Assesses plan `plan` of the session as reported with the options of the
 * real run (without its custom rules: built-in statuses are compared), then
 * binds the plan back to its own map. *out is NULL when there is nothing to
 * compare (the plan is computed as reported). CT_OK or CT_ENOMEM. */
ct_status cli_compare_new(cli_compare **out, cli_session *ss, size_t plan, const ct_compute_filter *f,
                          const ct_assess_options *opt);

/* The custom hook of ct_assess_options (ctx: a cli_compare): adds the note
 * where the status differs, then calls the hook that opt had (rules). */
void cli_compare_hook(void *ctx, ct_assessment *a);

void cli_compare_free(cli_compare *c);

#endif
