/* Small multiples: one panel per unit under a parent, on one scale. */
#include "ct_chart_multiples.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ct_chart_multiples(const ct_chart *c, const ct_plot_style *st, ct_plot_buf *b)
{
    const ct_plot_plan *pp = c->pp;
    const ct_series *s = pp->s;
    const ct_chart_words *w = ct_chart_words_of(st->lang);
    const ct_indicator *ind = &pp->plan->indicators[c->ind];
    int *kids = malloc((size_t)(pp->n_units ? pp->n_units : 1) * sizeof *kids);
    if (!kids) { b->oom = 1; return; }
    int nk = ct_plot_children(pp, c->ind, c->unit, kids);
    int cols = (int)ceil(sqrt((double)nk));
    if (cols > 5) cols = 5;
    if (cols < 1) cols = 1;
    int rows = (nk + cols - 1) / cols;
    char wexpr[64], hexpr[64];
    snprintf(wexpr, sizeof wexpr, "%d*theme_panel_w", cols);
    /* each row of panels gets 20 px more than the theme's panel: room between a panel's
     * title and the year labels of the panel above it */
    snprintf(hexpr, sizeof hexpr, "%d*(theme_panel_h+20)+180", rows);
    if (cols < 3) snprintf(wexpr, sizeof wexpr, "3*theme_panel_w");
    ct_chart_preamble(c, st, wexpr, hexpr, b);
    ct_chart_extent e = {INFINITY, -INFINITY, 9999, -9999}, core = e;
    for (int k = 0; k < nk; k++) ct_chart_series_extent(ct_plot_get(pp, c->ind, kids[k]), &e, &core);
    ct_chart_axes(ind, &e, &core, 1, b);
    ct_plot_buf_puts(b, "unset key\nset xlabel \"\"\nset ylabel \"\"\nset title font \",10\"\n");
    ct_plot_buf_puts(b, "set lmargin 6\nset rmargin 1.5\nset tmargin 2.2\nset bmargin 1.8\n");

    ct_plot_buf title = {0}, sub = {0};
    ct_chart_wrap(ind->title ? ind->title : ind->id, 110, &title);
    /* sized by what it holds: a long unit title is never cut */
    ct_plot_buf_puts(&title, "\n");
    ct_plot_buf_printf(&title, w->multiples, ct_chart_unit_title(s, c->unit));
    (void)sub;
    /* the legend: statuses along the bottom of the page */
    ct_plot_buf_printf(b, "_lh = 40.0/(%s)\n", hexpr);
    int nst;
    const char *const *sts = ct_plot_statuses(&nst);
    ct_plot_buf_puts(b, "set label 101 ");
    ct_plot_gp_string(b, w->legend_status);
    ct_plot_buf_puts(b, " at screen 0.02, screen _lh*1.5 left front\n");
    for (int i = 0; i < nst; i++) {
        /* two rows of five, so that every status fits on a narrow page */
        double x = 0.12 + (i % 5) * 0.175, row = i < 5 ? 1.5 : 0.5;
        ct_plot_buf_printf(b, "set object %d rectangle from screen %.3f, screen _lh*(%.1f-0.2) to screen %.3f, screen _lh*(%.1f+0.2) "
                              "fc rgb %s fs solid noborder front\n", 101 + i, x, row, x + 0.018, row, ct_plot_status_var(sts[i]));
        ct_plot_buf_printf(b, "set label %d ", 102 + i);
        ct_plot_gp_string(b, ct_plot_status_label(sts[i], st->lang));
        ct_plot_buf_printf(b, " at screen %.3f, screen _lh*%.1f left front\n", x + 0.024, row);
    }
    /* the tenth place: a rule's own status (the first one among the panels), its label and colour */
    for (int k = 0; k < nk && nst < 10; k++) {
        const ct_plot_series *ps = ct_plot_get(pp, c->ind, kids[k]);
        if (!ps || ps->final < 0 || ct_chart_status_index(ct_plot_final_status(ps)) >= 0) continue;
        char col[32];
        const char *label = ct_plot_row_look(&ps->assess[ps->final], st->lang, col, sizeof col);
        double x = 0.12 + (nst % 5) * 0.175, row = nst < 5 ? 1.5 : 0.5;
        ct_plot_buf_printf(b, "set object %d rectangle from screen %.3f, screen _lh*(%.1f-0.2) to screen %.3f, screen _lh*(%.1f+0.2) "
                              "fc rgb %s fs solid noborder front\n", 101 + nst, x, row, x + 0.018, row, col);
        ct_plot_buf_printf(b, "set label %d ", 102 + nst);
        ct_plot_gp_string(b, label);
        ct_plot_buf_printf(b, " at screen %.3f, screen _lh*%.1f left front\n", x + 0.024, row);
        break;
    }
    /* margins and spacing in pixels: room for a panel's title above it and
     * its tic labels below and to the left */
    ct_plot_buf_printf(b, "_pw = (%s)*1.0\n_ph = (%s)*1.0\n", wexpr, hexpr);
    ct_plot_buf_printf(b, "set multiplot layout %d,%d title ", rows, cols);
    ct_plot_gp_string(b, title.s ? title.s : "");
    ct_plot_buf_puts(b, " font \",12\" margins screen 48/_pw, 1-12/_pw, 110/_ph, 1-100/_ph"
                        " spacing screen 52/_pw, screen 78/_ph\n");
    ct_plot_buf_free(&title);

    for (int k = 0; k < nk; k++) {
        const ct_plot_series *ps = ct_plot_get(pp, c->ind, kids[k]);
        char sfx[16];
        snprintf(sfx, sizeof sfx, "_%d", k);
        ct_chart_blocks have;
        ct_chart_series_blocks(ps, sfx, b, &have);
        char stv[32];
        if (ps && ps->final >= 0) ct_plot_row_look(&ps->assess[ps->final], st->lang, stv, sizeof stv);
        else snprintf(stv, sizeof stv, "%s", ct_plot_status_var(ct_plot_final_status(ps)));
        ct_chart_set_string(b, "set title", ct_chart_unit_title(s, kids[k]), NULL);
        ct_plot_buf_printf(b, "set object 1 rectangle from graph 0, graph 1.0 to graph 1, graph 1.035 fc rgb %s "
                              "fs solid noborder front clip\nunset object 1\n"
                              "set object 1 rectangle from graph 0, graph 0.985 to graph 1, graph 1.03 fc rgb %s "
                              "fs solid noborder front\n", stv, stv);
        ct_plot_buf plot = {0};
        const char *sep = "plot ";
        if (have.tband) {
            ct_plot_buf_printf(&plot, "%s$tband%s using 1:2:3 with filledcurves fc rgb c_transition fs transparent solid transition_alpha", sep, sfx);
            sep = ", ";
        }
        if (have.pband) {
            ct_plot_buf_printf(&plot, "%s$pband%s using 1:2:3 with filledcurves fc rgb c_band fs transparent solid band_alpha", sep, sfx);
            sep = ", ";
        }
        if (have.trend) { ct_plot_buf_printf(&plot, "%s$trend%s using 1:2 with lines ls 3", sep, sfx); sep = ", "; }
        if (have.plan) { ct_plot_buf_printf(&plot, "%s$plan%s using 1:2 with lines ls 2", sep, sfx); sep = ", "; }
        if (have.obs) { ct_plot_buf_printf(&plot, "%s$obs%s using 1:2 with linespoints ls 1 ps 0.6", sep, sfx); sep = ", "; }
        if (ps->final >= 0 && isfinite(ps->assess[ps->final].target_value)) {
            const ct_assessment *a = &ps->assess[ps->final];
            ct_plot_buf_printf(&plot, "%s'+' using (%d):(", sep, a->target_year);
            ct_chart_num_data(&plot, a->target_value);
            ct_plot_buf_printf(&plot, ") every ::0::0 with points pt 13 ps 1.4 lc rgb %s", stv);
            sep = ", ";
        }
        if (have.rband) { ct_plot_buf_printf(&plot, "%s$rband%s using 1:2:3 with filledcurves fc rgb c_plan fs transparent solid 0.16", sep, sfx); sep = ", "; }
        /* gnuplot 5.4 aborts on a plot without data: one invisible point */
        ct_plot_buf_printf(&plot, "%s'+' using (%d):(0) every ::0::0 with points ps 0 lc rgb \"white\"", sep,
                           e.y0 <= e.y1 ? e.y0 : 2020);
        ct_plot_buf_puts(b, plot.s ? plot.s : "");
        ct_plot_buf_puts(b, "\n");
        ct_plot_buf_free(&plot);
        if (k == 0) {
            ct_plot_buf_puts(b, "unset label 101\n");
            for (int i = 0; i < nst; i++) ct_plot_buf_printf(b, "unset object %d\nunset label %d\n", 101 + i, 102 + i);
        }
        ct_plot_buf_printf(b, "undefine $obs%s $plan%s $trend%s $pband%s $tband%s $rband%s\n", sfx, sfx, sfx, sfx, sfx, sfx);
    }
    ct_plot_buf_puts(b, "unset multiplot\nunset output\n");
    free(kids);
}

