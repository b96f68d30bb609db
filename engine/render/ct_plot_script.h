/* A chart's gnuplot script, written by the module of its kind. */
#ifndef CT_PLOT_SCRIPT_H
#define CT_PLOT_SCRIPT_H

#include "ct_chart.h"

/* Writes the complete gnuplot script of a chart into b: it loads the theme
 * (OUT/theme.gp, by a path relative to the script) and writes the chart
 * beside the script, whatever the folder gnuplot runs in. */
void ct_plot_script(const ct_chart *c, const ct_plot_style *st, ct_plot_buf *b);

#endif
