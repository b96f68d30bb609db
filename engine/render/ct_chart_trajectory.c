/* One indicator for one unit: its reported series, planned path, targets,
 * projected trend and bands. */
#include "ct_chart_trajectory.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The period that ends with month m (months since year 0): a half-year or
 * quarter when m closes one, else the month. */
static ct_period period_to(int m)
{
    ct_period p = {(short)(m / 12), CT_PT_MONTH, (unsigned char)(m % 12)};
    if (p.sub % 6 == 5) { p.type = CT_PT_HALF; p.sub /= 6; }
    else if (p.sub % 3 == 2) { p.type = CT_PT_QUARTER; p.sub /= 3; }
    return p;
}

void ct_chart_trajectory(const ct_chart *c, const ct_plot_style *st, ct_plot_buf *b)
{
    const ct_plot_series *ps = ct_plot_get(c->pp, c->ind, c->unit);
    const ct_series *s = c->pp->s;
    const ct_chart_words *w = ct_chart_words_of(st->lang);
    ct_chart_preamble(c, st, "theme_width", "theme_height", b);
    if (!ps) return;
    const ct_indicator *ind = ps->ind;
    ct_chart_blocks have;
    ct_chart_series_blocks(ps, "", b, &have);

    ct_plot_buf title = {0};
    ct_chart_wrap(ind->title ? ind->title : ind->id, 80, &title);
    /* the unit by its own name ("Thị xã Bỉm Sơn"): no code, no level word that its name may contradict */
    ct_plot_buf_printf(&title, "\n%s", ct_chart_unit_title(s, c->unit));
    ct_chart_set_string(b, "set title", title.s ? title.s : "", " font \",12\"");
    ct_plot_buf_free(&title);
    ct_plot_buf_puts(b, "unset xlabel\n");   /* the years speak for themselves; the legend sits there */
    ct_chart_set_string(b, "set ylabel", ct_indicator_is_percent(ind) ? w->percent : ind->unit && ind->unit[0] ? ind->unit : w->count, NULL);

    ct_chart_extent e = {INFINITY, -INFINITY, 9999, -9999}, core = e;
    ct_chart_series_extent(ps, &e, &core);
    int zoom = ct_chart_axes(ind, &e, &core, 0, b);
    if (zoom) {   /* a zoomed percentage axis says so */
        ct_plot_buf_puts(b, "set label 91 ");
        ct_plot_gp_string(b, zoom == 1 ? w->zoom_top : w->zoom_bottom);
        ct_plot_buf_puts(b, " at graph 0.01, graph 0.97 left front textcolor rgb c_muted font \",9\"\n");
    }
    /* labels stay readable over the lines they sit on */
    ct_plot_buf_puts(b, "set style textbox opaque noborder margins 1,1\n");

    /* target labels */
    for (int k = 0; k < ps->n_assess; k++) {
        const ct_assessment *a = &ps->assess[k];
        if (!isfinite(a->target_value)) continue;
        char lab[128];
        ct_chart_target_label(a, st->lang, lab, sizeof lab);
        ct_plot_buf_printf(b, "set label %d ", k + 1);
        ct_plot_gp_string(b, lab);
        ct_plot_buf_printf(b, " at %d,", a->target_year);
        ct_chart_num_data(b, a->target_value);
        /* on an axis zoomed to its top, a label above a target near 100 % would fall off the chart: below it */
        int below = zoom == 1 && a->target_value >= 95;
        ct_plot_buf_puts(b, below ? " offset 0,-1.25 center front boxed textcolor rgb c_text\n"
                                  : " offset 0,1.25 center front boxed textcolor rgb c_text\n");
    }
    if (!have.obs) {
        ct_plot_buf_puts(b, "set label 90 ");
        ct_plot_gp_string(b, w->no_data);
        ct_plot_buf_puts(b, " at graph 0.5, graph 0.5 center textcolor rgb c_muted font \",14\"\n");
    }

    /* the plot: bands first, lines over them, then targets and the status entry */
    ct_plot_buf plot = {0};
    const char *sep = "plot ";
    if (have.rband)
        ct_chart_layer(&plot, &sep, "$rband using 1:2:3 with filledcurves fc rgb c_plan fs transparent solid 0.16", w->range);
    if (have.pband)
        ct_chart_layer(&plot, &sep, "$pband using 1:2:3 with filledcurves fc rgb c_band fs transparent solid band_alpha", w->band);
    if (have.tband) {
        double lo = 0, hi = 0;
        char tl[160], a1[32], a2[32];
        ct_chart_band_rates(ps, &lo, &hi);
        ct_chart_num_label(lo, st->lang, a1, sizeof a1);
        ct_chart_num_label(hi, st->lang, a2, sizeof a2);
        snprintf(tl, sizeof tl, w->transition, a1, a2);
        ct_plot_buf_printf(&plot, "%s$tband using 1:2:3 with filledcurves fc rgb c_transition fs transparent solid "
                                  "0.45 title ", sep);
        ct_plot_gp_string(&plot, tl);
        ct_plot_buf_puts(&plot, ", \\\n  $tband using 1:2 with lines ls 4 notitle, $tband using 1:3 with lines ls 4 notitle");
        sep = ", \\\n  ";
    }
    if (have.trend) ct_chart_layer(&plot, &sep, "$trend using 1:2 with lines ls 3", w->trend);
    if (have.plan) ct_chart_layer(&plot, &sep, "$plan using 1:2 with lines ls 2", w->plan);
    if (have.obs) ct_chart_layer(&plot, &sep, "$obs using 1:2 with linespoints ls 1", w->reported);
    int first_target = 1;
    for (int k = 0; k < ps->n_assess; k++) {
        const ct_assessment *a = &ps->assess[k];
        if (!isfinite(a->target_value)) continue;
        ct_plot_buf_printf(&plot, "%s'+' using (%d):(", sep, a->target_year);
        ct_chart_num_data(&plot, a->target_value);
        char col[32];
        ct_plot_row_look(a, st->lang, col, sizeof col);
        ct_plot_buf_printf(&plot, ") every ::0::0 with points pt 13 ps 2.0 lc rgb %s notitle", col);
        if (first_target) {   /* one neutral legend entry for the markers */
            ct_plot_buf_puts(&plot, ", \\\n  keyentry with points pt 13 ps 1.6 lc rgb c_muted title ");
            ct_plot_gp_string(&plot, w->target);
        }
        first_target = 0;
        sep = ", \\\n  ";
    }
    /* the current year: the value so far and where the unit's own profile
     * expected it by now, at the target year beside its target */
    int so_far = 0;
    for (int k = 0; k < ps->n_assess; k++) {
        const ct_assessment *a = &ps->assess[k];
        if (!a->ytd || !a->has_latest || !isfinite(a->latest_value)) continue;
        so_far = 1;
        char lab[192], when[96];
        ct_chart_period(a->latest_period, st->lang, when, sizeof when);   /* in words, not "2024S1" */
        snprintf(lab, sizeof lab, ct_msg(st->lang, CT_M_CH_SO_FAR), a->target_year, when);
        ct_plot_buf_printf(&plot, "%s'+' using (%d):(", sep, a->target_year);
        ct_chart_num_data(&plot, a->latest_value);
        ct_plot_buf_puts(&plot, ") every ::0::0 with points pt 7 ps 1.6 lc rgb c_text title ");
        ct_plot_gp_string(&plot, lab);
        sep = ", \\\n  ";
        if (isfinite(a->ytd_expected)) {
            ct_plot_buf_printf(&plot, "%s'+' using (%d):(", sep, a->target_year);
            ct_chart_num_data(&plot, a->ytd_expected);
            ct_plot_buf_puts(&plot, ") every ::0::0 with points pt 6 ps 1.6 lc rgb c_text title ");
            ct_plot_gp_string(&plot, ct_msg(st->lang, CT_M_CH_EXPECTED_NOW));
        }
        break; /* one current year */
    }
    /* a year under way without a target of its own: its value so far, off the reported line */
    for (int k = 0; !so_far && k < ps->n; k++) {
        if (ps->year[k] != ps->year_under_way || !isfinite(ps->value[k])) continue;
        char lab[192], when[96];
        ct_chart_period(period_to(ct_series_asof_month(s)), st->lang, when, sizeof when);
        snprintf(lab, sizeof lab, ct_msg(st->lang, CT_M_CH_SO_FAR), ps->year[k], when);
        ct_plot_buf_printf(&plot, "%s'+' using (%d):(", sep, ps->year[k]);
        ct_chart_num_data(&plot, ps->value[k]);
        ct_plot_buf_puts(&plot, ") every ::0::0 with points pt 7 ps 1.6 lc rgb c_text title ");
        ct_plot_gp_string(&plot, lab);
        sep = ", \\\n  ";
    }
    if (ps->final >= 0) {
        const ct_assessment *a = &ps->assess[ps->final];
        char tl[300], col[32];
        const char *label = ct_plot_row_look(a, st->lang, col, sizeof col);
        snprintf(tl, sizeof tl, w->final_status, a->target_year, label);
        ct_plot_buf_printf(&plot, "%skeyentry with boxes fc rgb %s title ", sep, col);
        ct_plot_gp_string(&plot, tl);
        sep = ", \\\n  ";
    }
    /* gnuplot 5.4 aborts on a plot of key entries alone: one invisible point */
    ct_plot_buf_printf(&plot, "%s'+' using (%d):(0) every ::0::0 with points ps 0 lc rgb \"white\" notitle", sep,
                       e.y0 <= e.y1 ? e.y0 : 2020);
    ct_plot_buf_puts(b, "set key reverse Left\n");
    ct_plot_buf_puts(b, plot.s ? plot.s : "");
    ct_plot_buf_puts(b, "\nunset output\n");
    ct_plot_buf_free(&plot);
}

