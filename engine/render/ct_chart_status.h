/* The status overview: units x indicators, coloured by the final target's status. */
#ifndef CT_CHART_STATUS_H
#define CT_CHART_STATUS_H

#include "ct_chart.h"

/* Writes the gnuplot script of chart c into b (b->oom on failure). */
void ct_chart_status(const ct_chart *c, const ct_plot_style *st, ct_plot_buf *b);

#endif
