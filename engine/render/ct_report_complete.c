/* Data completeness: for every indicator of the report's unit, the units that
 * reported at the latest year with data, and which units below did not (an
 * indicator without any data is listed as such). */
#include "ct_report_parts.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The latest year with a value or a count at the root; 0 if none. */
static int latest_year(const ct_plot_series *ps)
{
    for (int k = ps->n - 1; k >= 0; k--)
        if (isfinite(ps->value[k]) || ps->expected[k] >= 0) return ps->year[k];
    return 0;
}

void ct_rp_completeness(ct_rctx *r, const ct_plot_plan *pp)
{
    const ct_series *s = pp->s;
    int any = 0;
    if (pp->n_units == 0 || pp->root < 0) return;
    int root = pp->root;
    for (int i = 0; i < pp->n_ind; i++) {
        const ct_plot_series *ps = ct_plot_get(pp, i, root);
        if (!ps) continue;
        int year = latest_year(ps);
        int k = ps->n - 1;
        while (k > 0 && ps->year[k] != year) k--;
        if (!any) {
            ct_rp_puts(r, "<h3>");
            ct_rp_esc(r, RW(r, COMPLETENESS));
            ct_rp_puts(r, "</h3>\n<p class=\"meta\">");
            ct_rp_esc(r, RW(r, COMPLETENESS_INTRO));
            ct_rp_puts(r, "</p><div class=\"tw\"><table><thead><tr><th>");
            ct_rp_esc(r, RW(r, INDICATOR));
            ct_rp_puts(r, "</th><th>");
            ct_rp_esc(r, RW(r, REPORTING));
            ct_rp_puts(r, "</th><th>");
            ct_rp_esc(r, RW(r, NOT_REPORTED));
            ct_rp_puts(r, "</th></tr></thead><tbody>\n");
            any = 1;
        }
        ct_rp_puts(r, "<tr><td class=\"ind\">");
        ct_rp_esc(r, ps->ind->title ? ps->ind->title : ps->ind->id);
        ct_rp_puts(r, "</td><td class=\"num\">");
        if (!year) {   /* listed too: an indicator nobody has reported on yet */
            ct_rp_esc(r, RW(r, NONE));
            ct_rp_puts(r, "</td><td>");
            ct_rp_esc(r, RW(r, NO_DATA_YET));
            ct_rp_puts(r, "</td></tr>\n");
            continue;
        }
        /* below: the children with data that year, for kinds that do not count units */
        int with = 0, all = 0, listed = 0;
        char names[2000] = "";
        for (int q = 1; q < pp->n_units; q++) {
            int c = pp->units[q];
            if (s->parent[c] != root) continue;
            const ct_plot_series *cs = ct_plot_get(pp, i, c);
            if (!cs) continue;
            int m = -1;
            for (int j = 0; j < cs->n; j++)
                if (cs->year[j] == year) m = j;
            all++;
            int reported = m >= 0 && (isfinite(cs->value[m]) || (cs->expected[m] > 0 && cs->reported[m] > 0));
            int part = m >= 0 && cs->expected[m] > 0 && cs->reported[m] < cs->expected[m];
            with += reported;
            if (!reported || part) {
                size_t l = strlen(names);
                const char *nm = ct_rp_unit_name(s, c);
                if (l + strlen(nm) + 40 < sizeof names) {
                    if (part && reported)
                        snprintf(names + l, sizeof names - l, "%s%s (%d/%d)", listed ? "; " : "", nm, cs->reported[m],
                                 cs->expected[m]);
                    else snprintf(names + l, sizeof names - l, "%s%s", listed ? "; " : "", nm);
                }
                listed++;
            }
        }
        if (ps->expected[k] > 0) ct_rp_printf(r, RW(r, REPORTED_OF), ps->reported[k], ps->expected[k], year);
        else if (all) ct_rp_printf(r, RW(r, REPORTED_OF), with, all, year);
        else ct_rp_esc(r, RW(r, NONE));
        ct_rp_puts(r, "</td><td>");
        if (listed) ct_rp_esc(r, names);
        else if (ps->expected[k] > 0 && ps->reported[k] < ps->expected[k])
            ct_rp_printf(r, "%d", ps->expected[k] - ps->reported[k]);
        else ct_rp_esc(r, RW(r, ALL_REPORTED));
        ct_rp_puts(r, "</td></tr>\n");
    }
    if (any) ct_rp_puts(r, "</tbody></table></div>\n");
}
