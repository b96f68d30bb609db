/* The report's targets table of a unit, and the sections of the units below. */
#include "ct_report_parts.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ct_rp_target_text(const ct_rctx *r, const ct_assessment *a, char *buf, size_t size)
{
    const ct_target *t = a->target;
    ct_lang lang = r->in->lang;
    const char *pct = ct_indicator_is_percent(a->ind) ? "%" : "";
    char v[128], num[160], phrase[400], when[64], x[64];
    ct_chart_target_value(a, lang, v, sizeof v);
    snprintf(num, sizeof num, "%s%s%s", a->ind->direction < 0 ? "≤ " : "", v, pct);
    int show_num = isfinite(a->target_value);
    if (t->label && t->label[0]) snprintf(phrase, sizeof phrase, "%s", t->label);
    else switch (t->form) {
    case CT_TF_CHANGE:
        snprintf(x, sizeof x, "%s%%", ct_lang_number(lang, fabs(t->change) * 100, v, sizeof v));
        snprintf(phrase, sizeof phrase, t->change < 0 ? RW(r, DECREASE_BY) : RW(r, INCREASE_BY), x);
        break;
    case CT_TF_MAINTAIN:
        snprintf(phrase, sizeof phrase, "%s", RW(r, MAINTAIN));
        break;
    default:
        snprintf(phrase, sizeof phrase, a->ind->direction < 0 ? RW(r, AT_MOST) : RW(r, REACH), num + (a->ind->direction < 0 ? strlen("≤ ") : 0));
        show_num = 0;
        break;
    }
    if (t->each_period && t->from && t->to && t->from != t->to) snprintf(when, sizeof when, RW(r, EACH_YEAR), t->from, t->to);
    else snprintf(when, sizeof when, RW(r, IN_YEAR), a->target_year);
    if (show_num) snprintf(buf, size, "%s (%s), %s", phrase, num, when);
    else snprintf(buf, size, "%s, %s", phrase, when);
}

static void value_cell(ct_rctx *r, const ct_indicator *ind, int has, double v, ct_period p)
{
    ct_rp_puts(r, "<td class=\"num\">");
    if (has) {
        char b[64], pb[64];
        ct_rp_value(r, ind, v, b, sizeof b);
        ct_rp_period(r, p, pb, sizeof pb);
        ct_rp_esc(r, b);
        ct_rp_puts(r, "<span class=\"sub\">");
        ct_rp_esc(r, pb);
        ct_rp_puts(r, "</span>");
    } else ct_rp_esc(r, RW(r, NONE));
    ct_rp_puts(r, "</td>");
}

/* A note as the page says it (ct_lang_note), escaped. */
void ct_rp_note(ct_rctx *r, const char *note)
{
    char out[4096];
    ct_rp_esc(r, ct_lang_note(r->in->lang, note, out, sizeof out));
}

/* The units reporting in year y (*rep of *exp): the series' own count, else
 * the units one level down with a value that year (a sum counts no units);
 * 0 without either. */
static int reporting_in(const ct_plot_plan *pp, int i, int u, const ct_plot_series *ps, int y, int *rep, int *exp);

int ct_rp_coverage_drop(const ct_plot_plan *pp, int i, int u, const ct_assessment *a, int cnt[4])
{
    const ct_plot_series *ps = ct_plot_get(pp, i, u);
    if (!ps || !a->has_latest || !a->has_baseline || !reporting_in(pp, i, u, ps, a->latest_period.year, &cnt[0], &cnt[1]) ||
        !reporting_in(pp, i, u, ps, a->baseline_period.year, &cnt[2], &cnt[3]) || !cnt[0] || !cnt[2])
        return 0;
    return (double)cnt[0] / cnt[1] < (double)cnt[2] / cnt[3] - 1e-9;
}

static int reporting_in(const ct_plot_plan *pp, int i, int u, const ct_plot_series *ps, int y, int *rep, int *exp)
{
    for (int k = 0; k < ps->n; k++)
        if (ps->year[k] == y && ps->expected[k] > 0) {
            *rep = ps->reported[k];
            *exp = ps->expected[k];
            return 1;
        }
    *rep = *exp = 0;
    for (int q = 0; q < pp->n_units; q++) {
        int c = pp->units[q];
        const ct_plot_series *cs = pp->s->parent[c] == u ? ct_plot_get(pp, i, c) : NULL;
        if (!cs) continue;
        ++*exp;
        for (int k = 0; k < cs->n; k++)
            if (cs->year[k] == y && isfinite(cs->value[k])) { ++*rep; break; }
    }
    return *exp > 0;
}

/* A latest value resting on a smaller share of units than the baseline's is
 * said so before the note: a sum of fewer units is not progress. */
static void coverage_drop(ct_rctx *r, const ct_plot_plan *pp, int i, int u, const ct_assessment *a)
{
    int c[4];
    if (!ct_rp_coverage_drop(pp, i, u, a, c)) return;
    int lr = c[0], le = c[1], br = c[2], be = c[3];
    ct_rp_puts(r, "<span class=\"drop\">");
    if (ct_indicator_is_percent(a->ind)) ct_rp_printf(r, RW(r, COVERAGE_DROP), a->latest_period.year, lr, le, br, be);
    else ct_rp_printf(r, RW(r, COVERAGE_DROP_SUM), a->latest_period.year, lr, le, br, be);
    ct_rp_puts(r, "</span> ");
}

/* Whether a status and the probability seem to disagree (on track at 0 %, off track at 90 %). */
static int status_vs_probability(const ct_assessment *a)
{
    if (!isfinite(a->probability) || a->evaluated || !a->status) return 0;
    if (!strcmp(a->status, "on_track")) return a->probability < 0.5;
    if (!strcmp(a->status, "off_track") || !strcmp(a->status, "deteriorating")) return a->probability >= 0.5;
    return 0;
}

/* The plan's own sentence for an indicator: its first target's quote, else its own. */
static const char *plan_quote(const ct_indicator *ind)
{
    for (size_t k = 0; k < ind->n_targets; k++)
        if (ind->targets[k].source.quote && ind->targets[k].source.quote[0]) return ind->targets[k].source.quote;
    return ind->source.quote;
}

void ct_rp_unit_table(ct_rctx *r, const ct_plot_plan *pp, int u)
{
    int any = 0;
    for (int i = 0; i < pp->n_ind && !any; i++) {
        const ct_plot_series *ps = ct_plot_get(pp, i, u);
        any = ps && ps->n_assess > 0;
    }
    if (!any) return;
    const char *const heads[] = {RW(r, INDICATOR), RW(r, TARGET), RW(r, BASELINE), RW(r, LATEST), RW(r, STATUS),
                                 RW(r, NOTE)};
    ct_rp_puts(r, "<div class=\"tw\"><table class=\"targets\"><thead><tr>");
    for (size_t h = 0; h < sizeof heads / sizeof *heads; h++) {
        ct_rp_puts(r, "<th>");
        ct_rp_esc(r, heads[h]);
        ct_rp_puts(r, "</th>");
    }
    ct_rp_puts(r, "</tr></thead><tbody>\n");
    for (int i = 0; i < pp->n_ind; i++) {
        const ct_plot_series *ps = ct_plot_get(pp, i, u);
        if (!ps || ps->n_assess == 0) continue;
        const ct_chart *c = ct_rp_chart_of(r->in, pp, i, u);
        for (int k = 0; k < ps->n_assess; k++) {
            const ct_assessment *a = &ps->assess[k];
            char buf[600], b1[160], b2[64], b3[64];
            ct_rp_puts(r, "<tr>");
            if (k == 0) {
                snprintf(buf, sizeof buf, "<td class=\"ind\" rowspan=\"%d\">", ps->n_assess);
                ct_rp_puts(r, buf);
                if (c) {
                    ct_rp_puts(r, "<a href=\"#");
                    ct_rp_chart_anchor(r, c);
                    ct_rp_puts(r, "\">");
                }
                ct_rp_esc(r, a->ind->title ? a->ind->title : a->ind->id);
                if (c) ct_rp_puts(r, "</a>");
                const char *q = u == pp->root ? plan_quote(a->ind) : NULL;
                if (q && q[0]) {
                    ct_rp_puts(r, "<span class=\"quote\">«");
                    ct_rp_esc(r, q);
                    ct_rp_puts(r, "»</span>");
                }
                ct_rp_puts(r, "</td>");
            }
            ct_rp_puts(r, "<td class=\"tg\">");
            ct_rp_target_text(r, a, buf, sizeof buf);
            ct_rp_esc(r, buf);
            ct_rp_puts(r, "</td>");
            value_cell(r, a->ind, a->has_baseline, a->baseline_value, a->baseline_period);
            value_cell(r, a->ind, a->has_latest, a->latest_value, a->latest_period);
            ct_rp_puts(r, "<td class=\"st\">");
            ct_rp_chip_look(r, a, -1);
            if (isfinite(a->probability)) {
                ct_lang_number(r->in->lang, 100 * a->probability, b1, sizeof b1);
                ct_rp_puts(r, "<span class=\"sub\">");
                ct_rp_printf(r, RW(r, PROBABILITY), b1);
                ct_rp_puts(r, "</span>");
            }
            if (!a->evaluated && isfinite(a->projected)) {
                ct_rp_value(r, a->ind, a->projected, b1, sizeof b1);
                if (isfinite(a->lower) && isfinite(a->upper)) {
                    ct_rp_value(r, a->ind, a->lower, b2, sizeof b2);
                    ct_rp_value(r, a->ind, a->upper, b3, sizeof b3);
                    size_t l = strlen(b1);
                    snprintf(b1 + l, sizeof b1 - l, " [%s–%s]", b2, b3);
                }
                ct_rp_puts(r, "<span class=\"sub\">");
                ct_rp_printf(r, RW(r, PROJECTED_BY), a->target_year, b1);
                ct_rp_puts(r, "</span>");
            }
            if (status_vs_probability(a)) {
                ct_rp_puts(r, "<span class=\"sub why\">");
                ct_rp_esc(r, RW(r, PROB_EXPLAIN));
                ct_rp_puts(r, "</span>");
            }
            ct_rp_puts(r, "</td><td class=\"note\">");
            coverage_drop(r, pp, i, u, a);
            ct_rp_note(r, a->note); /* with a closed region, an abolished level or a break (ct_assess) */
            ct_rp_puts(r, "</td></tr>\n");
        }
    }
    ct_rp_puts(r, "</tbody></table></div>\n");
}

/* A unit below the root: its table, then its children's sections (depth-first). */
void ct_rp_unit_section(ct_rctx *r, const ct_plot_plan *pp, int pos)
{
    const ct_series *s = pp->s;
    int u = pp->units[pos];
    if (!ct_rp_subtree_has_targets(pp, pos)) return;
    ct_rp_counts c = {{{0}}, 0, NULL, 0};
    ct_rp_count_unit(pp, u, &c);
    ct_rp_puts(r, "<details><summary>");
    ct_rp_esc(r, ct_rp_unit_name(s, u));
    ct_rp_puts(r, " ");
    ct_rp_chips_counts(r, &c, 0);
    ct_rp_puts(r, "</summary>\n");
    ct_rp_unit_table(r, pp, u);
    for (int k = pos + 1; k < pp->n_units; k++)
        if (s->parent[pp->units[k]] == u) ct_rp_unit_section(r, pp, k);
    ct_rp_puts(r, "</details>\n");
}
