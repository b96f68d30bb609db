/* Plan feasibility: the plan's targets tested against one another (a later
 * milestone lower than an earlier one) and, with data, against the region's
 * observed values: the pace each target needs from the baseline (the
 * assessment's required rate), the pace observed, when that pace reaches
 * it, and a transition band's reach. docs/methodology.md. */
#ifndef CT_FEASIBILITY_H
#define CT_FEASIBILITY_H

#include "../compute/ct_compute.h"
#include "../core/ct_lang.h"

/* Receives each finding as one line of text; non-zero stops. */
typedef int (*ct_finding_fn)(const ct_plan *plan, const ct_indicator *ind, const char *text, void *ctx);

/* Tests a bound plan (s may be NULL: the targets alone). min_coverage as
 * for the assessment (0: the default). Returns CT_OK, CT_ENOMEM, or CT_EIO
 * when fn stopped. */
ct_status ct_feasibility_plan(const ct_plan *plan, const ct_series *s, ct_lang lang, double min_coverage,
                              ct_finding_fn fn, void *ctx);

#endif
