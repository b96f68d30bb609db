/* The tasks of a plan tracked as tasks (Hà Nội's 46/KH-UBND): each task and
 * group with its completion per half-year and whether it is late. */
#include "ct_report_tasks.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/ct_lang.h"
#include "ct_output.h"

typedef struct {
    const char *tasks, *tasks_intro, *late, *on_time, *task, *expected, *status;
} twords;

/* The table's words, from the catalogue (ct_lang.h). */
static twords words_of(ct_lang lang)
{
    twords w = {ct_msg(lang, CT_M_TASKS), ct_msg(lang, CT_M_TASKS_INTRO), ct_msg(lang, CT_M_TASK_LATE),
                ct_msg(lang, CT_M_TASK_ON_TIME), ct_msg(lang, CT_M_TASK), ct_msg(lang, CT_M_TASK_EXPECTED),
                ct_msg(lang, CT_M_STATUS)};
    return w;
}

static void num(double v, ct_lang lang, char *buf, size_t size) { ct_lang_number(lang, v, buf, size); }

/* Task-like units (a level below the root that is not an administrative
 * level, such as Hà Nội's `task`): their completion metric per period, and
 * who is late against an even pace from the plan's start to its horizon. */
void ct_report_tasks(ct_out *o, const ct_plot_plan *pp, int asof, ct_plot_lang lang)
{
    const twords words = words_of(lang), *w = &words;
    const ct_series *s = pp->s;
    const ct_plan *plan = pp->plan;
    for (size_t mi = 0; mi < plan->n_metrics; mi++) {
        const char *mname = plan->metrics[mi].name;
        int m = mname ? ct_series_metric(s, mname, strlen(mname)) : -1;
        if (m < 0 || m >= s->n_metrics) continue;
        int lvl = s->metrics[m].level;
        if (lvl < 0 || lvl >= s->n_levels || !plan->metrics[mi].unit || strcmp(plan->metrics[mi].unit, "%")) continue;
        const char *ln = s->level_name[lvl];
        if (!strcmp(ln, "national") || !strcmp(ln, "province") || !strcmp(ln, "district") || !strcmp(ln, "commune"))
            continue;
        /* the periods: half-years (or years) of the plan span up to the as-of month */
        int y0 = plan->has_baseline ? plan->baseline.year + 1 : s->year0, y1 = plan->horizon ? plan->horizon : s->year1;
        ct_period per[64];
        int np = 0;
        for (int y = y0; y <= y1 && np < 62; y++)
            for (int h = 0; h < 2; h++) {
                ct_period p = {(short)y, CT_PT_HALF, (short)h};
                if (ct_period_first_month(p) <= asof) per[np++] = p;
            }
        int start = y0 * 12, end = y1 * 12 + 12;
        int rows = 0;
        for (int k = 0; k < s->n_units; k++) {
            if (s->level[k] != lvl || !ct_series_in_subtree(s, k, pp->root)) continue;
            int anyv = 0;
            for (int j = 0; j < np && !anyv; j++) anyv = isfinite(ct_series_value(s, m, k, per[j]));
            if (!anyv) continue;
            if (!rows++) {
                char intro[400], exp[32], buf[64];
                int last = np > 0 ? ct_period_last_month(per[np - 1]) + 1 : start;
                double pace = end > start ? 100.0 * (last - start) / (end - start) : 100;
                if (pace > 100) pace = 100;
                num(pace, lang, exp, sizeof exp);
                snprintf(buf, sizeof buf, "%s %s%%", w->expected, exp);
                snprintf(intro, sizeof intro, w->tasks_intro, y1, buf);
                ct_out_puts(o, "<h3>");
                ct_out_html(o, w->tasks);
                ct_out_puts(o, "</h3>\n<p class=\"meta\">");
                ct_out_html(o, intro);
                ct_out_puts(o, "</p><div class=\"tw\"><table><thead><tr><th>");
                ct_out_html(o, w->task);
                ct_out_puts(o, "</th>");
                for (int j = 0; j < np; j++) {
                    char pb[64];
                    ct_chart_period(per[j], lang, pb, sizeof pb);
                    ct_out_puts(o, "<th>");
                    ct_out_html(o, pb);
                    ct_out_puts(o, "</th>");
                }
                ct_out_puts(o, "<th>");
                ct_out_html(o, w->status);
                ct_out_puts(o, "</th></tr></thead><tbody>\n");
            }
            ct_out_puts(o, "<tr><td class=\"ind\">");
            /* a task by its words; its code (01T04) only where it has none */
            ct_out_html(o, (s->name[k] && s->name[k][0] ? s->name[k] : s->code[k]));
            ct_out_puts(o, "</td>");
            double latest = NAN;
            int lj = -1;
            for (int j = 0; j < np; j++) {
                double v = ct_series_value(s, m, k, per[j]);
                char b[32];
                num(v, lang, b, sizeof b);
                ct_out_puts(o, "<td class=\"num\">");
                ct_out_html(o, isfinite(v) ? b : "—");
                ct_out_puts(o, "</td>");
                if (isfinite(v)) { latest = v; lj = j; }
            }
            int due = lj >= 0 ? ct_period_last_month(per[lj]) + 1 : start;
            double expect = end > start ? 100.0 * (due - start) / (end - start) : 100;
            int late = isfinite(latest) && latest + 1e-9 < (expect > 100 ? 100 : expect);
            ct_out_puts(o, late ? "<td class=\"late\">" : "<td>");
            ct_out_html(o, late ? w->late : w->on_time);
            ct_out_puts(o, "</td></tr>\n");
        }
        if (rows) ct_out_puts(o, "</tbody></table></div>\n");
    }
}

