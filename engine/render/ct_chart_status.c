/* The status overview: units x indicators, coloured by the final target's status. */
#include "ct_chart_status.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether a unit has a final target that applies to it. */
static int applies(const ct_plot_series *ps)
{
    if (ps->final < 0) return 0;
    const char *st = ps->assess[ps->final].status;
    return !(st && !strcmp(st, "not_applicable"));
}

/* Whether a status's colour is dark: its cell's label is then white (theme.gp's palette). */
static int dark_status(const char *st)
{
    return st && (!strcmp(st, "achieved") || !strcmp(st, "not_achieved") || !strcmp(st, "off_track"));
}

void ct_chart_status(const ct_chart *c, const ct_plot_style *st, ct_plot_buf *b)
{
    const ct_plot_plan *pp = c->pp;
    const ct_series *s = pp->s;
    const ct_chart_words *w = ct_chart_words_of(st->lang);
    int cols = 0, *col_ind = malloc((size_t)(pp->n_ind ? pp->n_ind : 1) * sizeof *col_ind);
    if (!col_ind) { b->oom = 1; return; }
    for (int i = 0; i < pp->n_ind; i++) {
        if (pp->plan->indicators[i].n_targets == 0) continue;
        int any = 0;
        for (int k = 0; k < pp->n_units && !any; k++) any = ct_plot_get(pp, i, pp->units[k]) != NULL;
        if (any) col_ind[cols++] = i;
    }
    int rows = pp->n_units;
    char wexpr[64], hexpr[64];
    snprintf(wexpr, sizeof wexpr, "%d", 330 + 72 * (cols > 4 ? cols : 4));
    snprintf(hexpr, sizeof hexpr, "%d", 480 + 24 * rows);
    ct_chart_preamble(c, st, wexpr, hexpr, b);
    int nst;
    const char *const *sts = ct_plot_statuses(&nst);
    int present[CT_ASSESS_N_STATUSES + 1] = {0};
    /* a rule's own statuses: each distinct one (code, label, colour) gets
     * its datablock and legend entry; past CT_CHART_RULE_STATUSES they share
     * the theme's "other" colour without an entry */
    enum { CT_CHART_RULE_STATUSES = 12 };
    const ct_assessment *own[CT_CHART_RULE_STATUSES];
    int n_own = 0;
    for (int si = 0; si <= nst + CT_CHART_RULE_STATUSES; si++) {
        int opened = 0;
        for (int j = 0; j < cols; j++)
            for (int r = 0; r < rows; r++) {
                const ct_plot_series *ps = ct_plot_get(pp, col_ind[j], pp->units[r]);
                if (!ps || !applies(ps)) continue;   /* a target that does not apply: an empty cell, not "no data" */
                int idx = ct_chart_status_index(ct_plot_final_status(ps));
                if (idx < 0) { /* which rule status, found on the first pass */
                    const ct_assessment *a = &ps->assess[ps->final];
                    int k = 0;
                    while (k < n_own && (strcmp(own[k]->status, a->status) || strcmp(own[k]->label, a->label) ||
                                         strcmp(own[k]->colour, a->colour)))
                        k++;
                    if (k == n_own && si == 0 && n_own < CT_CHART_RULE_STATUSES) own[n_own++] = a;
                    idx = k < n_own ? nst + 1 + k : nst;
                }
                if (idx != si) continue;
                if (!opened) { ct_plot_buf_printf(b, "$st%d << EOD\n", si); opened = 1; }
                ct_plot_buf_printf(b, "%d %d\n", j + 1, rows - r);
            }
        if (opened) { ct_chart_block_end(b); if (si <= nst) present[si] = 1; }
    }
    /* the latest value in each cell, with its year when it is not the year
     * most cells show (a 2015 baseline among 2020 values says so) */
    int common = 0;
    {
        int seen[CT_PLOT_MAX_YEARS] = {0}, yrs[CT_PLOT_MAX_YEARS], ny = 0, best = 0;
        for (int j = 0; j < cols; j++)
            for (int r = 0; r < rows; r++) {
                const ct_plot_series *ps = ct_plot_get(pp, col_ind[j], pp->units[r]);
                if (!ps || ps->final < 0 || !ps->assess[ps->final].has_latest) continue;
                int y = ps->assess[ps->final].latest_period.year, q = 0;
                while (q < ny && yrs[q] != y) q++;
                if (q == ny && ny < CT_PLOT_MAX_YEARS) yrs[ny++] = y;
                if (q < ny && ++seen[q] > best) { best = seen[q]; common = y; }
            }
    }
    int any_val = 0, any_light = 0;
    /* two blocks of labels: white on the dark colours, dark on the light ones (readable in print) */
    for (int dark = 1; dark >= 0; dark--) {
    int opened = 0;
    for (int j = 0; j < cols; j++)
        for (int r = 0; r < rows; r++) {
            const ct_plot_series *ps = ct_plot_get(pp, col_ind[j], pp->units[r]);
            if (!ps || !applies(ps) || !ps->assess[ps->final].has_latest) continue;
            const ct_assessment *a = &ps->assess[ps->final];
            if (dark_status(a->status) != dark) continue;
            if (!opened) { ct_plot_buf_puts(b, dark ? "$vals << EOD\n" : "$valsl << EOD\n"); opened = 1; }
            if (dark) any_val = 1;
            else any_light = 1;
            char v[48], yr[16] = "";
            ct_chart_num_label(a->latest_value, st->lang, v, sizeof v);
            if (ct_indicator_is_percent(ps->ind)) strcat(v, "%");
            if (a->latest_period.year != common) snprintf(yr, sizeof yr, " ('%02d)", a->latest_period.year % 100);
            ct_plot_buf_printf(b, "%d %d \"%s%s\"\n", j + 1, rows - r, v, yr);
        }
    if (opened) ct_chart_block_end(b);
    }
    ct_plot_buf title = {0};
    ct_plot_buf_printf(&title, "%s\n", w->status_title);
    ct_chart_wrap(pp->plan->title ? pp->plan->title : pp->plan->id, 90, &title);
    ct_chart_set_string(b, "set title", title.s ? title.s : "", " font \",12\"");
    ct_plot_buf_free(&title);
    ct_plot_buf_printf(b, "set xrange [0.5:%d.5]\nset yrange [0.5:%d.5]\n", cols > 0 ? cols : 1, rows > 0 ? rows : 1);
    ct_plot_buf_puts(b, "unset grid\nset border 0\nset tics scale 0\nset xtics rotate by 90 right nomirror\n");
    ct_plot_buf_puts(b, "set lmargin 34\nset rmargin 3\nset bmargin 23\nset tmargin 5\n");
    ct_plot_buf_puts(b, "set xtics (");
    for (int j = 0; j < cols; j++) {
        if (j) ct_plot_buf_puts(b, ", ");
        const ct_indicator *ci = &pp->plan->indicators[col_ind[j]];
        ct_plot_buf wt = {0};   /* the indicator's title, wrapped, never cut */
        ct_chart_wrap(ci->title ? ci->title : ci->id, 38, &wt);
        ct_plot_gp_string(b, wt.s ? wt.s : "");
        ct_plot_buf_free(&wt);
        ct_plot_buf_printf(b, " %d", j + 1);
    }
    if (cols == 0) ct_plot_buf_puts(b, "\"\" 1");
    ct_plot_buf_puts(b, ")\nset ytics (");
    for (int r = 0; r < rows; r++) {
        int u = pp->units[r];
        /* a unit's title of any length: never cut inside a character */
        ct_plot_buf lab = {0};
        int depth = s->depth[u] - s->depth[pp->units[0]];
        ct_plot_buf_puts(&lab, depth > 0 ? "   " : "");
        ct_plot_buf_puts(&lab, ct_chart_unit_title(s, u));
        if (r) ct_plot_buf_puts(b, ", ");
        ct_plot_gp_string(b, lab.s ? lab.s : "");
        ct_plot_buf_free(&lab);
        ct_plot_buf_printf(b, " %d", rows - r);
    }
    if (rows == 0) ct_plot_buf_puts(b, "\"\" 1");
    ct_plot_buf_puts(b, ")\nset key outside bottom center horizontal reverse Left\n");
    ct_plot_buf plot = {0};
    const char *sep = "plot ";
    for (int si = 0; si < nst; si++) {
        if (present[si])
            ct_plot_buf_printf(&plot, "%s$st%d using 1:2:(0.47):(0.44) with boxxyerror fc rgb %s fs solid title ", sep, si,
                               ct_plot_status_var(sts[si]));
        else
            ct_plot_buf_printf(&plot, "%skeyentry with boxes fc rgb %s title ", sep, ct_plot_status_var(sts[si]));
        ct_plot_gp_string(&plot, ct_plot_status_label(sts[si], st->lang));
        sep = ", \\\n  ";
    }
    if (present[nst]) ct_plot_buf_printf(&plot, "%s$st%d using 1:2:(0.47):(0.44) with boxxyerror fc rgb c_other fs solid notitle", sep, nst);
    for (int k = 0; k < n_own; k++) {
        char col[32];
        const char *label = ct_plot_row_look(own[k], st->lang, col, sizeof col);
        ct_plot_buf_printf(&plot, "%s$st%d using 1:2:(0.47):(0.44) with boxxyerror fc rgb %s fs solid title ", sep,
                           nst + 1 + k, col);
        ct_plot_gp_string(&plot, label);
    }
    if (any_val) ct_plot_buf_printf(&plot, "%s$vals using 1:2:3 with labels textcolor rgb \"white\" font \",9\" notitle", sep);
    if (any_light) ct_plot_buf_printf(&plot, "%s$valsl using 1:2:3 with labels textcolor rgb c_text font \",9\" notitle", sep);
    /* gnuplot 5.4 aborts on a plot of key entries alone: one invisible point */
    ct_plot_buf_printf(&plot, "%s'+' using (1):(1) every ::0::0 with points ps 0 lc rgb \"white\" notitle", sep);
    ct_plot_buf_puts(b, plot.s ? plot.s : "");
    ct_plot_buf_puts(b, "\nunset output\n");
    ct_plot_buf_free(&plot);
    free(col_ind);
}

