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

/* A note as the page says it: the assessment writes its numbers for a CSV
 * ("87.45", "2025S1"); the page gives them by the language's one rule and
 * periods in words ("87,5", "6 tháng đầu năm 2025"). Integers (years) stay. */
void ct_rp_note(ct_rctx *r, const char *note)
{
    char out[4096];
    size_t k = 0;
    const char *p = note ? note : "";
    while (*p && k + 200 < sizeof out) {
        /* negative progress in words: "đạt -160.0% tiến độ kế hoạch" says the value moved away */
        const char *neg = r->in->lang == CT_LANG_EN ? "-" : "đạt -";
        const char *tail = r->in->lang == CT_LANG_EN ? "% of the planned progress" : "% tiến độ kế hoạch";
        if (!strncmp(p, neg, strlen(neg)) && (p == note || p[-1] == ' ')) {
            const char *q = p + strlen(neg);
            char *end;
            strtod(q, &end);
            if (end > q && !strncmp(end, tail, strlen(tail))) {
                k += (size_t)snprintf(out + k, sizeof out - k, "%s", RW(r, NEG_PROGRESS));
                p = end + strlen(tail);
                continue;
            }
        }
        if (p[0] == ' ' && p[1] == '(') {   /* " (communes_transformed_pct)": an id, said already by the words */
            const char *q = p + 2;
            int under = 0;
            while (islower((unsigned char)*q) || isdigit((unsigned char)*q) || *q == '_') under |= *q++ == '_';
            if (under && *q == ')') { p = q + 1; continue; }
        }
        if (!strncmp(p, "cấp ", strlen("cấp "))) {   /* "cấp district": a level by its name in the data */
            static const char *const levels[] = {"national", "province", "district", "commune"};
            const char *q = p + strlen("cấp ");
            int hit = 0;
            for (size_t i = 0; i < sizeof levels / sizeof *levels && !hit; i++) {
                size_t l = strlen(levels[i]);
                if (!strncmp(q, levels[i], l) && !isalnum((unsigned char)q[l])) {
                    k += (size_t)snprintf(out + k, sizeof out - k, "cấp %s", ct_chart_level_word(levels[i], r->in->lang));
                    p = q + l;
                    hit = 1;
                }
            }
            if (hit) continue;
        }
        int start = p == note || !(isalnum((unsigned char)p[-1]) || p[-1] == '.' || p[-1] == '_');
        if (start && isdigit((unsigned char)*p)) {
            const char *q = p;
            while (isdigit((unsigned char)*q)) q++;
            /* a period code: 2025S1, 2025Q3 */
            if (q - p == 4 && (q[0] == 'S' || q[0] == 'Q') && q[1] >= '1' && q[1] <= (q[0] == 'S' ? '2' : '4') &&
                !isalnum((unsigned char)q[2])) {
                int y = atoi(p);
                k += strlen(ct_lang_period(r->in->lang, y, q[0] == 'S' ? 6 : 3, q[1] - '1', out + k, sizeof out - k));
                p = q + 2;
                continue;
            }
            if (q[0] == '.' && isdigit((unsigned char)q[1])) {
                char *end;
                double v = strtod(p, &end);
                if (!isalpha((unsigned char)*end)) {
                    k += strlen(ct_lang_number(r->in->lang, v, out + k, sizeof out - k));
                    p = end;
                    continue;
                }
            }
            memcpy(out + k, p, (size_t)(q - p));
            k += (size_t)(q - p);
            p = q;
            continue;
        }
        out[k++] = *p++;
    }
    if (*p) {   /* a note longer than the room: the rest as it is */
        out[k] = '\0';
        ct_rp_esc(r, out);
        ct_rp_esc(r, p);
        return;
    }
    out[k] = '\0';
    ct_rp_esc(r, out);
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
