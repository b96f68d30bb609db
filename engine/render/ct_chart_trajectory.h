/* One indicator for one unit: its reported series, planned path, targets,
 * projected trend and bands. */
#ifndef CT_CHART_TRAJECTORY_H
#define CT_CHART_TRAJECTORY_H

#include "ct_chart.h"

/* Writes the gnuplot script of chart c into b (b->oom on failure). */
void ct_chart_trajectory(const ct_chart *c, const ct_plot_style *st, ct_plot_buf *b);

#endif
