/* The tasks table of the report: units of a level that is not an
 * administrative one (national, province, district, commune), such as Hà Nội's
 * `task`, with a metric in %: their completion per half-year of the plan up
 * to the as-of month, and who is late against an even pace from the plan's
 * start to the end of its horizon. */
#ifndef CT_REPORT_TASKS_H
#define CT_REPORT_TASKS_H

#include "ct_output.h"
#include "ct_plot.h"

/* Writes the table (with its heading) for plan pp's root unit into o, or
 * nothing when the plan has no such units with data. */
void ct_report_tasks(ct_out *o, const ct_plot_plan *pp, int asof_month, ct_plot_lang lang);

#endif
