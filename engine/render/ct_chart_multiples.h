/* Small multiples: one panel per unit under a parent, on one scale. */
#ifndef CT_CHART_MULTIPLES_H
#define CT_CHART_MULTIPLES_H

#include "ct_chart.h"

/* Writes the gnuplot script of chart c into b (b->oom on failure). */
void ct_chart_multiples(const ct_chart *c, const ct_plot_style *st, ct_plot_buf *b);

#endif
