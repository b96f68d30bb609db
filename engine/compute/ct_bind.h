/* Binding a plan to loaded data: the metrics a plan reads are declared
 * before the observations are loaded (with the data dictionary's), then
 * every name the plan uses (region, levels, metrics, the names in its
 * conditions) is resolved against the data, with the plan's file:line:col
 * for each problem; and the span of the plan's observations is found. */
#ifndef CT_BIND_H
#define CT_BIND_H

#include "../core/ct_error.h"
#include "../load/ct_plan.h"
#include "../model/ct_series.h"

/* Declares the plan's metrics in s (before observations are loaded). */
ct_status ct_bind_declare(const ct_plan *plan, ct_series *s, ct_diags *d);

/* Resolves the plan's names against loaded data: region, levels, metrics and
 * the names in conditions (metrics or unit attributes). Every problem is added
 * to d with the plan's file:line:col. */
ct_status ct_bind_plan(ct_plan *plan, const ct_series *s, ct_diags *d);

/* Whether unit u lies in the plan's region (or the territory it became). */
static inline int ct_bind_in_plan(const ct_plan *plan, const ct_series *s, int u)
{
    if (plan->territory) return plan->territory[u];
    return ct_series_in_subtree(s, u, plan->region_unit);
}

#endif
