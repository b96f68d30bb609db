#include "ct_plot_script.h"

#include "ct_chart_multiples.h"
#include "ct_chart_status.h"
#include "ct_chart_trajectory.h"

void ct_plot_script(const ct_chart *c, const ct_plot_style *st, ct_plot_buf *b)
{
    switch (c->kind) {
    case CT_CHART_TRAJECTORY: ct_chart_trajectory(c, st, b); break;
    case CT_CHART_MULTIPLES: ct_chart_multiples(c, st, b); break;
    case CT_CHART_STATUS: ct_chart_status(c, st, b); break;
    }
}
