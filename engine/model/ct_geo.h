/* One geography for a series: the set of units every period is computed on.
 * Values reported on other units are carried through the successions onto
 * the units valid at the chosen month, by each metric's merge rule; a level
 * that no longer exists then is kept on the last month it existed, and a
 * unit that ended without passing into any other is kept as reported.
 * Without successions nothing is carried (every period keeps its own units). */
#ifndef CT_GEO_H
#define CT_GEO_H

#include <limits.h>

#include "../core/ct_error.h"
#include "ct_series.h"

enum { CT_GEO_AS_REPORTED = INT_MIN, CT_GEO_DEFAULT = INT_MAX };

/* Parses a --geography value: "as-reported" (CT_GEO_AS_REPORTED) or a
 * period (its last month). Returns 0, or -1 when the text is neither. */
int ct_geo_parse(const char *text, int *month);

/* A month as a period label: 2025S1 for June, 2025S2 for December, a
 * quarter at a quarter's end, else the month (2025-07). */
void ct_geo_label(int month, char buf[CT_PERIOD_BUF]);

/* The month that references without a period resolve at (a plan's region,
 * --unit): the geography's, or else the last month of data up to --as-of. */
int ct_geo_ref_month(const ct_series *s);

/* A plan's own map: the last month of data up to --as-of and up to the end
 * of the plan's last year (last_year <= 0: no limit), or, where the plan's
 * region (its code; NULL: the root) no longer exists then, the last month it
 * existed. Needs the units and the observations loaded, before
 * ct_geo_apply. */
int ct_geo_plan_month(const ct_series *s, const char *region, int last_year);

/* Chooses the geography (a month, CT_GEO_DEFAULT: the last month of data up
 * to the cut-off, or CT_GEO_AS_REPORTED), carries every metric's values
 * onto it when there are successions, then rolls metrics up to coarser
 * periods. Sets s->geography to its label. A boolean or number metric whose
 * values must cross a change without a merge rule is an error naming its
 * declaration. Returns CT_OK, CT_EINPUT or CT_ENOMEM. */
ct_status ct_geo_apply(ct_series *s, int month, ct_diags *d);

/* A view of s as reported (every period on its own units), sharing s's
 * units and the values of metrics that were not carried: the carried ones
 * are the values kept as reported (s->keep_raw), rolled up here (which
 * leaves s's own values alone). Valid while s lives; freed with
 * ct_geo_view_free, never ct_series_free. CT_OK or CT_ENOMEM. */
ct_status ct_geo_as_reported(const ct_series *s, ct_series *view);
void ct_geo_view_free(ct_series *view);

/* Whether unit u belongs to the geography (every unit, as reported). */
int ct_geo_in(const ct_series *s, int u);

/* Marks in `mark` (n_units bytes, zeroed by the caller) the units of the
 * geography that the subtree of `top` passed into, and top itself. */
void ct_geo_territory(const ct_series *s, int top, unsigned char *mark);

/* Whether the value of metric m for unit u (of its level) at p rests on a
 * part link without a weight. */
int ct_geo_approx(const ct_series *s, int m, int u, ct_period p);

#endif
