/* The status overview of the page: units by indicators, each cell the final
 * target's status colour and latest value. A table rather than a chart, so
 * that its text keeps the page's size in print (a chart of 14 indicators and
 * 27 units scaled to A4 prints its labels at 3 pt) and wraps on a phone.
 * Only the targets that apply are painted: a unit a target does not apply to
 * has an empty cell, not "no data". Columns are numbered; the key below the
 * table gives each number's indicator. */
#include "ct_report_parts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The final target of a unit's series when it applies to the unit; NULL otherwise. */
static const ct_assessment *final_applying(const ct_plot_series *ps)
{
    if (!ps || ps->final < 0) return NULL;
    const ct_assessment *a = &ps->assess[ps->final];
    return a->status && !strcmp(a->status, "not_applicable") ? NULL : a;
}

void ct_rp_overview(ct_rctx *r, const ct_plot_plan *pp)
{
    const ct_plan *plan = pp->plan;
    int *cols = malloc((size_t)(pp->n_ind ? pp->n_ind : 1) * sizeof *cols), nc = 0;
    if (!cols) return;
    /* the indicators with a target that applies to some unit below the root */
    for (int i = 0; i < pp->n_ind; i++) {
        int any = 0;
        for (int k = 0; k < pp->n_units && !any; k++)
            any = pp->units[k] != pp->root && final_applying(ct_plot_get(pp, i, pp->units[k])) != NULL;
        if (any) cols[nc++] = i;
    }
    /* nothing to show where no unit has a value (a plan whose years the data do not reach yet) */
    int values = 0;
    for (int j = 0; j < nc && !values; j++)
        for (int k = 0; k < pp->n_units && !values; k++) {
            const ct_assessment *a = final_applying(ct_plot_get(pp, cols[j], pp->units[k]));
            values = a && a->has_latest;
        }
    if (!nc || !values) { free(cols); return; }
    /* the year most cells show: a value of another year carries its year */
    int years[CT_PLOT_MAX_YEARS], seen[CT_PLOT_MAX_YEARS] = {0}, ny = 0, common = 0, best = 0;
    for (int j = 0; j < nc; j++)
        for (int k = 0; k < pp->n_units; k++) {
            const ct_assessment *a = final_applying(ct_plot_get(pp, cols[j], pp->units[k]));
            if (!a || !a->has_latest) continue;
            int y = a->latest_period.year, q = 0;
            while (q < ny && years[q] != y) q++;
            if (q == ny && ny < CT_PLOT_MAX_YEARS) years[ny++] = y;
            if (q < ny && ++seen[q] > best) { best = seen[q]; common = y; }
        }
    ct_rp_puts(r, "<figure class=\"wide overview\"><div class=\"tw\"><table class=\"overview\"><thead><tr><th>");
    ct_rp_esc(r, RW(r, UNIT));
    ct_rp_puts(r, "</th>");
    for (int j = 0; j < nc; j++) {
        const ct_indicator *ind = &plan->indicators[cols[j]];
        ct_rp_puts(r, "<th class=\"num\" title=\"");
        ct_rp_esc(r, ind->title ? ind->title : ind->id);
        char h[32];
        snprintf(h, sizeof h, "\">%d</th>", j + 1);
        ct_rp_puts(r, h);
    }
    ct_rp_puts(r, "</tr></thead><tbody>\n");
    const ct_series *s = pp->s;
    int depth0 = pp->root >= 0 ? s->depth[pp->root] : 0;
    for (int k = 0; k < pp->n_units; k++) {
        int u = pp->units[k], any = 0;
        for (int j = 0; j < nc && !any; j++) any = ct_plot_get(pp, cols[j], u) != NULL;
        if (!any) continue;
        int depth = s->depth[u] - depth0;
        char td[48];
        snprintf(td, sizeof td, "<tr><td class=\"u d%d\">", depth > 3 ? 3 : depth < 0 ? 0 : depth);
        ct_rp_puts(r, td);
        ct_rp_esc(r, ct_rp_unit_name(s, u));
        ct_rp_puts(r, "</td>");
        for (int j = 0; j < nc; j++) {
            const ct_assessment *a = final_applying(ct_plot_get(pp, cols[j], u));
            if (!a) { ct_rp_puts(r, "<td></td>"); continue; }
            const char *colour;
            const char *label = ct_assess_look(a, r->in->lang, &colour);
            int n;
            const char *const *sts = ct_plot_statuses(&n);
            const char *cls = "other";
            for (int q = 0; q < n; q++)
                if (a->status && !strcmp(a->status, sts[q])) cls = sts[q];
            ct_rp_puts(r, "<td class=\"num cell s-");
            ct_rp_puts(r, cls);
            ct_rp_puts(r, "\"");
            if (colour) {   /* a rule's own colour, validated "#rrggbb"; dark text on a light one */
                unsigned v = (unsigned)strtoul(colour + 1, NULL, 16);
                double lum = 0.299 * (v >> 16 & 255) + 0.587 * (v >> 8 & 255) + 0.114 * (v & 255);
                ct_rp_puts(r, " style=\"background:");
                ct_rp_esc(r, colour);
                ct_rp_puts(r, lum > 140 ? ";color:#111\"" : ";color:#fff\"");
            }
            ct_rp_puts(r, " title=\"");
            ct_rp_esc(r, label);
            ct_rp_puts(r, "\">");
            if (a->has_latest) {
                char v[64];
                ct_rp_value(r, a->ind, a->latest_value, v, sizeof v);
                ct_rp_esc(r, v);
                if (a->latest_period.year != common) ct_rp_printf(r, " ('%02d)", a->latest_period.year % 100);
            } else ct_rp_esc(r, RW(r, NONE));
            ct_rp_puts(r, "</td>");
        }
        ct_rp_puts(r, "</tr>\n");
    }
    ct_rp_puts(r, "</tbody></table></div>\n<figcaption>");
    ct_rp_esc(r, RW(r, STATUS_CHART));
    if (common) {
        ct_rp_puts(r, " (");
        ct_rp_printf(r, RW(r, OVERVIEW_YEAR), common);
        ct_rp_puts(r, ")");
    }
    ct_rp_puts(r, "</figcaption>\n<ol class=\"key\">");
    for (int j = 0; j < nc; j++) {
        const ct_indicator *ind = &plan->indicators[cols[j]];
        ct_rp_puts(r, "<li>");
        ct_rp_esc(r, ind->title ? ind->title : ind->id);
        ct_rp_puts(r, "</li>");
    }
    ct_rp_puts(r, "</ol>\n<p class=\"chips legend\">");
    /* the legend: the statuses the cells show */
    int n;
    const char *const *sts = ct_plot_statuses(&n);
    for (int q = 0; q < n; q++) {
        int shown = 0;
        for (int j = 0; j < nc && !shown; j++)
            for (int k = 0; k < pp->n_units && !shown; k++) {
                const ct_assessment *a = final_applying(ct_plot_get(pp, cols[j], pp->units[k]));
                shown = a && a->status && !strcmp(a->status, sts[q]);
            }
        if (shown) { ct_rp_chip(r, sts[q], -1); ct_rp_puts(r, " "); }
    }
    const ct_assessment *own = NULL;   /* a rule's own status, by its label and colour */
    for (int j = 0; j < nc && !own; j++)
        for (int k = 0; k < pp->n_units && !own; k++) {
            const ct_assessment *a = final_applying(ct_plot_get(pp, cols[j], pp->units[k]));
            if (a && ct_chart_status_index(a->status) < 0) own = a;
        }
    if (own) ct_rp_chip_look(r, own, -1);
    ct_rp_puts(r, "</p></figure>\n");
    free(cols);
}
