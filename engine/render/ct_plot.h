/* Progress charts through gnuplot. The pieces, one module each:
 *   ct_plot_buf      a growable text buffer; strings safe for gnuplot and file names
 *   ct_plot_data     the data behind a plan's charts, and the list of its charts
 *   ct_chart         what chart scripts share (words, preamble, axes, datablocks)
 *   ct_chart_*       the script of each chart kind (trajectory, multiples, status)
 *   ct_gnuplot       the gnuplot process driver
 * docs/charts.md describes the charts; docs/architecture.md the layers. */
#ifndef CT_PLOT_H
#define CT_PLOT_H

#include "ct_chart.h"
#include "ct_gnuplot.h"
#include "ct_plot_buf.h"
#include "ct_plot_data.h"
#include "ct_plot_script.h"

#endif
