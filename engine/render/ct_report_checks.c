#include "ct_report_checks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_text(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

int ct_report_violations_add(const ct_violation *v, void *ctx)
{
    ct_report_violations *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        ct_report_violation *ni = realloc(l->items, cap * sizeof *ni);
        if (!ni) { l->oom = 1; return 0; }
        l->items = ni;
        l->cap = cap;
    }
    ct_report_violation *r = &l->items[l->n];
    r->rule = dup_text(v->rule);
    r->message = dup_text(v->message);
    if (!r->rule || !r->message) { free(r->rule); free(r->message); l->oom = 1; return 0; }
    r->importance = !strcmp(v->importance, "high") ? "high" : !strcmp(v->importance, "low") ? "low" : "medium";
    r->unit = v->unit;
    r->period[0] = '\0';
    if (v->has_period) ct_period_format(v->period, r->period);
    l->n++;
    return 0;
}

void ct_report_violations_free(ct_report_violations *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].rule);
        free(l->items[i].message);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

typedef struct {
    const char *title, *intro, *none, *unit, *period, *rule, *importance, *message, *high, *medium, *low;
} words;

static const words words_vi = {"Chất lượng số liệu",
                               "Các vi phạm do các quy tắc kiểm tra số liệu (check_rule) phát hiện, theo đơn vị.",
                               "Các quy tắc kiểm tra số liệu không phát hiện vi phạm nào.",
                               "Đơn vị", "Kỳ", "Quy tắc", "Mức độ", "Nội dung", "cao", "trung bình", "thấp"};
static const words words_en = {"Data quality", "What the data checks (check_rule) found, by unit.",
                               "The data checks found nothing.", "Unit", "Period", "Rule", "Importance", "Message",
                               "high", "medium", "low"};

typedef struct {
    int unit;
    size_t i;
} place;

/* By unit (the order of units.csv), then in the order the checks found them. */
static int by_unit(const void *pa, const void *pb)
{
    const place *a = pa, *b = pb;
    if (a->unit != b->unit) return a->unit < b->unit ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

void ct_report_data_quality(ct_out *o, const ct_series *s, int root, const ct_report_violations *l, ct_plot_lang lang)
{
    if (!l) return;
    const words *w = lang == CT_LANG_EN ? &words_en : &words_vi;
    place *order = malloc((l->n ? l->n : 1) * sizeof *order);
    size_t n = 0;
    if (!order) return;
    for (size_t i = 0; i < l->n; i++)
        if (root < 0 || ct_series_in_subtree(s, l->items[i].unit, root)) order[n++] = (place){l->items[i].unit, i};
    qsort(order, n, sizeof *order, by_unit);
    ct_out_puts(o, "<h3>");
    ct_out_html(o, w->title);
    ct_out_puts(o, "</h3>\n");
    if (n == 0) {
        ct_out_puts(o, "<p class=\"meta\">");
        ct_out_html(o, w->none);
        ct_out_puts(o, "</p>\n");
        free(order);
        return;
    }
    ct_out_puts(o, "<p class=\"meta\">");
    ct_out_html(o, w->intro);
    ct_out_puts(o, "</p><div class=\"tw\"><table class=\"checks\"><thead><tr>");
    const char *heads[] = {w->unit, w->period, w->rule, w->importance, w->message};
    for (int i = 0; i < 5; i++) {
        ct_out_puts(o, "<th>");
        ct_out_html(o, heads[i]);
        ct_out_puts(o, "</th>");
    }
    ct_out_puts(o, "</tr></thead><tbody>\n");
    for (size_t i = 0; i < n; i++) {
        const ct_report_violation *v = &l->items[order[i].i];
        int first = i == 0 || order[i - 1].unit != v->unit;
        ct_out_puts(o, "<tr><td class=\"ind\">");
        if (first) {
            ct_out_html(o, s->name[v->unit] && s->name[v->unit][0] ? s->name[v->unit] : s->code[v->unit]);
            ct_out_puts(o, " <span class=\"meta\">");
            ct_out_html(o, s->code[v->unit]);
            ct_out_puts(o, "</span>");
        }
        ct_out_puts(o, "</td><td>");
        ct_out_html(o, v->period);
        ct_out_puts(o, "</td><td>");
        ct_out_html(o, v->rule);
        ct_out_puts(o, "</td><td class=\"imp-");
        ct_out_puts(o, v->importance);
        ct_out_puts(o, "\">");
        ct_out_html(o, !strcmp(v->importance, "high") ? w->high : !strcmp(v->importance, "low") ? w->low : w->medium);
        ct_out_puts(o, "</td><td>");
        ct_out_html(o, v->message);
        ct_out_puts(o, "</td></tr>\n");
    }
    ct_out_puts(o, "</tbody></table></div>\n");
    free(order);
}
