/* The HTML progress report: the document, its header and first page (the
 * summary an officer reads aloud), and each plan's section; the other
 * sections are in ct_report_*.c. */
#include "ct_report.h"

#include "ct_report_parts.h"
#include "ct_report_tasks.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../compute/ct_compute.h"

static const char *const css[] = {
    ":root{--ink:#222;--muted:#666;--line:#ddd;--bg:#fafafa}\n",
    "*{box-sizing:border-box}\n",
    "body{font-family:'DejaVu Sans',system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--ink);"
    "margin:0 auto;max-width:1200px;padding:0 1rem 3rem;line-height:1.45;font-size:15px}\n",
    "h1{font-size:1.6rem;margin:1.2rem 0 .3rem}h2{font-size:1.3rem;border-bottom:2px solid var(--line);"
    "padding-bottom:.2rem;margin-top:2.2rem}h3{font-size:1.08rem;margin-top:1.6rem}\n",
    ".meta{color:var(--muted);font-size:.9rem}\n",
    "nav ul{padding-left:1.2rem}\n",
    ".chips{display:flex;flex-wrap:wrap;gap:.5rem;margin:.6rem 0}\n",
    ".chip{display:inline-block;border-radius:999px;padding:.12rem .6rem;font-size:.85rem;white-space:nowrap;"
    "border:1px solid rgba(0,0,0,.15)}\n",
    ".chips .chip{font-size:1rem;padding:.3rem .8rem}\n",
    ".s-achieved{background:#009E73;color:#fff}.s-on_track{background:#56B4E9;color:#000}"
    ".s-at_risk{background:#E69F00;color:#000}.s-off_track{background:#D55E00;color:#fff}"
    ".s-deteriorating{background:#CC79A7;color:#000}.s-insufficient_data{background:#ccc;color:#000}"
    ".s-nearly_achieved{background:#8CCFB9;color:#000}.s-not_achieved{background:#8E2C00;color:#fff}"
    ".s-not_applicable{background:#E6E6E6;color:#555}"
    ".s-other{background:#F0E442;color:#000}\n",
    ".tw{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:.4rem 0 1rem}\n",
    "table{border-collapse:collapse;width:100%;font-size:.88rem}\n",
    "th,td{border-bottom:1px solid var(--line);padding:.35rem .45rem;text-align:left;vertical-align:top}\n",
    "th{background:var(--bg);font-weight:600}\n",
    "td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\n",
    "td.note{color:var(--muted);font-size:.82rem;min-width:12rem}\n",
    "td.ind{min-width:11rem;max-width:22rem}td.st{min-width:8.5rem}.sub{display:block;color:var(--muted);font-size:.78rem}\n",
    "dl.head{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .8rem;margin:.6rem 0}dl.head dt{color:var(--muted)}"
    "dl.head dd{margin:0}\n",
    ".groups{display:flex;flex-wrap:wrap;gap:.4rem 1.4rem}.groups div{margin:.2rem 0}.groups b{display:block;font-size:.85rem;"
    "color:var(--muted);font-weight:600}\n",
    "td.late{color:#8E2C00;font-weight:600}\n",
    "table.overview{width:auto;font-size:.8rem}table.overview td,table.overview th{padding:.2rem .35rem;border:1px solid #fff}"
    "table.overview td.u{white-space:nowrap;position:sticky;left:0;background:#fff}table.overview th.num{text-align:right}td.d1{padding-left:1rem!important}td.d2{padding-left:1.8rem!important}"
    "td.d3{padding-left:2.6rem!important}td.cell{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "ol.key{font-size:.8rem;columns:2 22rem;margin:.3rem 0}.legend .chip{font-size:.8rem}\n",
    "details{border:1px solid var(--line);border-radius:6px;margin:.5rem 0;padding:.2rem .6rem}\n",
    "details details{margin-left:.4rem}\n",
    "summary{cursor:pointer;font-weight:600;padding:.3rem 0}\n",
    "summary .chip{font-weight:400;margin-left:.25rem}\n",
    "figure{margin:1rem 0;page-break-inside:avoid;break-inside:avoid}\n",
    "figure svg.chart{display:block;width:100%;height:auto;border:1px solid var(--line);border-radius:4px;background:#fff}\n",
    "figcaption{color:var(--muted);font-size:.85rem}\n",
    ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(420px,100%),1fr));gap:1rem}\n",
    "figure.wide{grid-column:1/-1}\n",
    "ul.findings li{margin:.3rem 0}\n",
    "@media (max-width:640px){body{font-size:14px;padding:0 .6rem 2rem}.grid{grid-template-columns:1fr}"
    "td.note{min-width:10rem}h1{font-size:1.3rem}dl.head{grid-template-columns:1fr;gap:0;font-size:.9rem}dl.head dd{margin-bottom:.35rem}}\n",
    "@media print{html{font-size:9pt}nav,.noprint{display:none}body{max-width:none;font-size:8.5pt;padding:0}table{font-size:8pt}"
    "th,td{padding:.2rem .3rem}td.ind{width:26%}td.note{width:30%;font-size:7.5pt}"
    "details{border:none;padding:0;margin:.1rem 0}summary{list-style:none;padding:.1rem 0}a{color:inherit;text-decoration:none}"
    "section.plan+section.plan h2.plan{page-break-before:always;break-before:page}"
    ".tw{overflow:visible}.chip{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "tr{page-break-inside:avoid;break-inside:avoid}h2,h3{break-after:avoid;page-break-after:avoid}.grid{display:block}figure svg.chart{max-height:125mm}section#summary{break-after:page;page-break-after:always}"
    "td.note{min-width:0}td.ind{min-width:0}}\n",
    "header.official{display:flex;justify-content:space-between;gap:1rem;flex-wrap:wrap;margin-top:1rem;font-size:.95rem}"
    "header.official .agency{font-weight:700;text-transform:uppercase}header.official .right{text-align:right;font-style:italic}\n",
    ".quote{display:block;color:var(--muted);font-style:italic;font-size:.78rem;margin-top:.2rem}\n",
    ".warn{border-left:4px solid #E69F00;background:#FFF6E0;padding:.4rem .7rem;margin:.6rem 0}\n",
    ".why{font-style:italic}.drop{display:block;color:#8E2C00;font-weight:600}\n",
    "div.lag h4{font-size:.98rem;margin:1rem 0 .2rem}ol.worst li,ul.follow li{margin:.25rem 0}\n",
    "@media print{header.official{font-size:10pt}.warn{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "td.tg{width:16%}div.lag{break-inside:avoid}"
    /* the first page holds the header and the whole summary */
    "h1{margin:.5rem 0 .2rem}section#summary h2{margin-top:.8rem}section#summary h3{margin:.6rem 0 .2rem}"
    "section#summary p{margin:.3rem 0}section#summary .chips{margin:.2rem 0}"
    "section#summary .chips .chip{font-size:.9rem;padding:.1rem .6rem}ol.worst li,ul.follow li{margin:.1rem 0}}\n"};

/* ---- what the sections share ---- */

void ct_rp_esc(ct_rctx *r, const char *s) { ct_out_html(r->o, s ? s : ""); }
void ct_rp_puts(ct_rctx *r, const char *s) { ct_out_puts(r->o, s); }

void ct_rp_printf(ct_rctx *r, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    ct_rp_esc(r, buf);
}

const char *ct_rp_unit_name(const ct_series *s, int u) { return ct_chart_unit_title(s, u); }

void ct_rp_value(const ct_rctx *r, const ct_indicator *ind, double v, char *buf, size_t size)
{
    ct_lang_number(r->in->lang, v, buf, size);
    if (isfinite(v) && ct_indicator_is_percent(ind)) {
        size_t l = strlen(buf);
        snprintf(buf + l, size - l, "%%");
    }
}

void ct_rp_period(const ct_rctx *r, ct_period p, char *buf, size_t size) { ct_chart_period(p, r->in->lang, buf, size); }

const char *ct_rp_status_label(const ct_rctx *r, const ct_assessment *a)
{
    return ct_assess_look(a, r->in->lang, NULL);
}

static const char *status_class(const char *st)
{
    int n;
    const char *const *sts = ct_plot_statuses(&n);
    for (int i = 0; i < n; i++)
        if (st && !strcmp(st, sts[i])) return sts[i];
    return "other";
}

void ct_rp_chip(ct_rctx *r, const char *status, int count)
{
    ct_rp_puts(r, "<span class=\"chip s-");
    ct_rp_puts(r, status_class(status));
    ct_rp_puts(r, "\">");
    if (count >= 0) ct_rp_printf(r, "%d ", count);
    ct_rp_esc(r, ct_plot_status_label(status, r->in->lang));
    ct_rp_puts(r, "</span>");
}

void ct_rp_chip_look(ct_rctx *r, const ct_assessment *a, int count)
{
    const char *colour;
    const char *label = ct_assess_look(a, r->in->lang, &colour);
    ct_rp_puts(r, "<span class=\"chip s-");
    ct_rp_puts(r, status_class(a->status));
    ct_rp_puts(r, "\"");
    if (colour) { /* the rule's "#rrggbb", validated; dark text on a light colour */
        unsigned v = (unsigned)strtoul(colour + 1, NULL, 16);
        double lum = 0.299 * (v >> 16 & 255) + 0.587 * (v >> 8 & 255) + 0.114 * (v & 255);
        ct_rp_puts(r, " style=\"background:");
        ct_rp_esc(r, colour);
        ct_rp_puts(r, lum > 140 ? ";color:#111\"" : ";color:#fff\"");
    }
    ct_rp_puts(r, ">");
    if (count >= 0) ct_rp_printf(r, "%d ", count);
    ct_rp_esc(r, label);
    ct_rp_puts(r, "</span>");
}

/* A count's chip; a rule's statuses (status NULL) under its label when they are all one. */
static void chip_count(ct_rctx *r, const ct_rp_counts *c, const char *status, int count)
{
    if (status) ct_rp_chip(r, status, count);
    else if (c->own && !c->own_mixed) ct_rp_chip_look(r, c->own, count);
    else ct_rp_chip(r, "other", count);
}

void ct_rp_count_unit(const ct_plot_plan *pp, int u, ct_rp_counts *c)
{
    int n;
    const char *const *sts = ct_plot_statuses(&n);
    for (int i = 0; i < pp->n_ind; i++) {
        const ct_plot_series *ps = ct_plot_get(pp, i, u);
        if (!ps) continue;
        for (int k = 0; k < ps->n_assess; k++) {
            const ct_assessment *a = &ps->assess[k];
            int idx = n;
            for (int j = 0; j < n; j++)
                if (a->status && !strcmp(a->status, sts[j])) idx = j;
            c->n[a->evaluated ? 0 : 1][idx]++;
            if (idx == n && !c->own) c->own = a;
            else if (idx == n && (strcmp(c->own->status, a->status) || strcmp(c->own->label, a->label))) c->own_mixed = 1;
            c->total++;
        }
    }
}

int ct_rp_has_targets(const ct_plot_plan *pp, int u)
{
    ct_rp_counts c = {{{0}}, 0, NULL, 0};
    ct_rp_count_unit(pp, u, &c);
    return c.total > 0;
}

int ct_rp_subtree_has_targets(const ct_plot_plan *pp, int pos)
{
    int u = pp->units[pos];
    if (ct_rp_has_targets(pp, u)) return 1;
    for (int k = pos + 1; k < pp->n_units; k++)
        if (pp->s->parent[pp->units[k]] == u && ct_rp_subtree_has_targets(pp, k)) return 1;
    return 0;
}

/* Chips of the counts: evaluations (Đạt, Cơ bản đạt, Không đạt), monitoring
 * (Đúng tiến độ ... Đang xấu đi), then "no data" and "not applicable" apart. */
void ct_rp_chips_counts(ct_rctx *r, const ct_rp_counts *c, int big)
{
    int n;
    const char *const *sts = ct_plot_statuses(&n);
    int nodata = c->n[0][7] + c->n[1][7], na = c->n[0][8] + c->n[1][8];
    if (!big) {
        for (int g = 0; g < 2; g++)
            for (int j = 0; j <= n; j++) {
                if (j == 7 || j == 8 || !c->n[g][j]) continue;
                chip_count(r, c, j < n ? sts[j] : NULL, c->n[g][j]);
                ct_rp_puts(r, " ");
            }
        if (nodata) { ct_rp_chip(r, sts[7], nodata); ct_rp_puts(r, " "); }
        if (na) ct_rp_chip(r, sts[8], na);
        return;
    }
    ct_rp_puts(r, "<div class=\"groups\">");
    const char *titles[3] = {RW(r, EVALUATED), RW(r, MONITORED), RW(r, OTHER)};
    for (int g = 0; g < 3; g++) {
        int any = 0;
        for (int j = 0; j <= n && g < 2; j++) any |= j != 7 && j != 8 && c->n[g][j];
        if (g == 2) any = nodata || na;
        if (!any) continue;
        ct_rp_puts(r, "<div><b>");
        ct_rp_esc(r, titles[g]);
        ct_rp_puts(r, "</b><span class=\"chips\">");
        if (g < 2) {
            /* a rule's own status counts apart, in the group of its row */
            for (int j = 0; j <= n; j++)
                if (j != 7 && j != 8 && c->n[g][j]) { chip_count(r, c, j < n ? sts[j] : NULL, c->n[g][j]); ct_rp_puts(r, " "); }
        } else {
            if (nodata) { ct_rp_chip(r, sts[7], nodata); ct_rp_puts(r, " "); }
            if (na) ct_rp_chip(r, sts[8], na);
        }
        ct_rp_puts(r, "</span></div>");
    }
    ct_rp_puts(r, "</div>\n");
}

/* ---- the document ---- */

static void plan_anchor(ct_rctx *r, const ct_plan *p)
{
    char part[128];
    ct_plot_file_part(p->id, part, sizeof part);
    ct_rp_puts(r, "plan-");
    ct_rp_esc(r, part);
}

/* A month index (year * 12 + month) as the period it closes, in words. */
static void month_words(const ct_rctx *r, int month, char *buf, size_t size)
{
    int y = month / 12, m = month % 12;
    if (m == 11) ct_lang_period(r->in->lang, y, 12, 0, buf, size);
    else if (m == 5) ct_lang_period(r->in->lang, y, 6, 0, buf, size);
    else if (m % 3 == 2) ct_lang_period(r->in->lang, y, 3, m / 3, buf, size);
    else ct_lang_period(r->in->lang, y, 1, m, buf, size);
}

/* A period given as text ("2025S1") in words; anything else as it is. */
static void period_text_words(const ct_rctx *r, const char *text, char *buf, size_t size)
{
    ct_period p;
    if (text && !ct_period_parse(text, strlen(text), &p)) ct_rp_period(r, p, buf, size);
    else if (text && !strcmp(text, "as-reported")) snprintf(buf, size, "%s", RW(r, GEOGRAPHY_AS_REPORTED));
    else snprintf(buf, size, "%s", text ? text : "");
}

/* How far a plan's data reach: the as-of period in words, and whether its
 * last year is only part of a year (*partial: that year, else 0). */
typedef struct {
    char words[64];
    int year;      /* the last complete year with a value at the root */
    int partial;   /* a year the data cover only in part; 0: none */
    int month;     /* the as-of month */
} asof_t;

static asof_t plan_asof(const ct_rctx *r, const ct_plot_plan *pp)
{
    asof_t a = {"", 0, 0, 0};
    int am = ct_series_asof_month(pp->s);
    a.month = am;
    int complete = am % 12 == 11 ? am / 12 : am / 12 - 1;
    for (int i = 0; pp->root >= 0 && i < pp->n_ind; i++) {
        const ct_plot_series *ps = ct_plot_get(pp, i, pp->root);
        for (int k = 0; ps && k < ps->n; k++)
            if (isfinite(ps->value[k]) && ps->year[k] <= complete && ps->year[k] > a.year) a.year = ps->year[k];
    }
    if (!a.year) a.year = complete;
    if (am / 12 > a.year + 1 || (am / 12 > a.year && am % 12 == 11)) ct_lang_period(r->in->lang, a.year, 12, 0, a.words, sizeof a.words);
    else {
        month_words(r, am, a.words, sizeof a.words);
        if (am % 12 != 11) a.partial = am / 12;
    }
    return a;
}

static void head_item(ct_rctx *r, const char *dt)
{
    ct_rp_puts(r, "<dt>");
    ct_rp_esc(r, dt);
    ct_rp_puts(r, "</dt><dd>");
}

static void partial_warning(ct_rctx *r, const asof_t *a)
{
    if (!a->partial) return;
    char w[64];
    month_words(r, a->month, w, sizeof w);
    ct_rp_puts(r, "<p class=\"warn\">");
    ct_rp_printf(r, RW(r, PARTIAL_YEAR), a->partial, w, a->partial);
    ct_rp_puts(r, "</p>\n");
}

/* The feasibility findings of a plan. */
static void findings(ct_rctx *r, const ct_plan *plan)
{
    int nf = 0;
    for (size_t i = 0; i < r->in->n_findings; i++) {
        const ct_report_finding *f = &r->in->findings[i];
        if (f->plan != plan) continue;
        if (!nf++) {
            ct_rp_puts(r, "<h3>");
            ct_rp_esc(r, RW(r, FEASIBILITY));
            ct_rp_puts(r, "</h3>\n<ul class=\"findings\">\n");
        }
        ct_rp_puts(r, "<li>");
        if (f->ind) {
            ct_rp_puts(r, "<strong>");
            ct_rp_esc(r, f->ind->title ? f->ind->title : f->ind->id);
            ct_rp_puts(r, "</strong>: ");
        }
        ct_rp_note(r, f->text);
        ct_rp_puts(r, "</li>\n");
    }
    if (nf) ct_rp_puts(r, "</ul>\n");
}

static void plan_section(ct_rctx *r, const ct_plot_plan *pp)
{
    const ct_plan *plan = pp->plan;
    const ct_series *s = pp->s;
    ct_rp_puts(r, "<section class=\"plan\" id=\"");
    plan_anchor(r, plan);
    ct_rp_puts(r, "\"><h2 class=\"plan\">");
    ct_rp_esc(r, plan->title ? plan->title : plan->id);
    ct_rp_puts(r, "</h2>\n<p class=\"meta\">");
    char buf[160];
    if (pp->root >= 0) {
        ct_rp_printf(r, "%s: %s", RW(r, AREA), ct_rp_unit_name(s, pp->root));
        asof_t a = plan_asof(r, pp);
        ct_rp_printf(r, " · %s: %s", RW(r, AS_OF), a.words);
    }
    if (plan->has_baseline) {
        ct_rp_period(r, plan->baseline, buf, sizeof buf);
        ct_rp_printf(r, " · %s: %s", RW(r, BASELINE), buf);
    }
    if (plan->horizon) ct_rp_printf(r, " · %s: %d", RW(r, HORIZON), plan->horizon);
    ct_rp_puts(r, "</p>\n");
    if (pp->root < 0) {
        ct_rp_puts(r, "<p>");
        ct_rp_esc(r, RW(r, NO_PLAN));
        ct_rp_puts(r, "</p></section>\n");
        return;
    }
    asof_t a = plan_asof(r, pp);
    partial_warning(r, &a);
    ct_rp_counts c = {{{0}}, 0, NULL, 0};
    ct_rp_count_unit(pp, pp->root, &c);
    ct_rp_chips_counts(r, &c, 1);

    ct_rp_puts(r, "<h3>");
    ct_rp_printf(r, RW(r, TARGETS_OF), ct_rp_unit_name(s, pp->root));
    ct_rp_puts(r, "</h3>\n");
    if (ct_rp_has_targets(pp, pp->root)) ct_rp_unit_table(r, pp, pp->root);
    else { ct_rp_puts(r, "<p>"); ct_rp_esc(r, RW(r, NO_TARGETS)); ct_rp_puts(r, "</p>\n"); }
    ct_report_tasks(r->o, pp, ct_series_asof_month(s), r->in->lang);
    ct_rp_lagging(r, pp);

    int below = 0;
    for (int k = 1; k < pp->n_units && !below; k++) below = ct_rp_subtree_has_targets(pp, k);
    if (below) {
        ct_rp_counts cb = {{{0}}, 0, NULL, 0};
        for (int k = 1; k < pp->n_units; k++) ct_rp_count_unit(pp, pp->units[k], &cb);
        ct_rp_puts(r, "<h3>");
        ct_rp_esc(r, RW(r, BELOW));
        ct_rp_puts(r, "</h3>\n");
        ct_rp_chips_counts(r, &cb, 1);
        ct_rp_overview(r, pp);
        ct_rp_puts(r, "<p class=\"meta noprint\">");
        ct_rp_esc(r, RW(r, PRINT_HINT));
        ct_rp_puts(r, "</p>\n");
        for (int k = 1; k < pp->n_units; k++)
            if (s->parent[pp->units[k]] == pp->root) ct_rp_unit_section(r, pp, k);
    }
    ct_rp_charts(r, pp);
    findings(r, plan);
    ct_report_data_quality(r->o, pp->s, pp->root, r->in->violations, r->in->lang);
    ct_rp_completeness(r, pp);
    ct_rp_puts(r, "</section>\n");
}

/* The coverage of the year reported at the roots: indicators with a value
 * that year, and the lowest share of units reporting among them, named (an
 * indicator without any value that year is counted apart, not as 0 %). */
static void coverage_text(ct_rctx *r, int year, char *buf, size_t size)
{
    int with = 0, all = 0, lo_rep = -1, lo_exp = -1;
    double lo = INFINITY;
    const ct_indicator *lo_ind = NULL;
    for (size_t p = 0; p < r->in->n_plans; p++) {
        const ct_plot_plan *pp = &r->in->plans[p];
        if (pp->root < 0) continue;
        for (int i = 0; i < pp->n_ind; i++) {
            const ct_plot_series *ps = ct_plot_get(pp, i, pp->root);
            if (!ps) continue;
            all++;
            int has = 0;
            for (int k = 0; k < ps->n; k++) {
                if (ps->year[k] != year || !isfinite(ps->value[k])) continue;
                has = 1;
                if (ps->expected[k] > 0 && (double)ps->reported[k] / ps->expected[k] < lo) {
                    lo = (double)ps->reported[k] / ps->expected[k];
                    lo_rep = ps->reported[k];
                    lo_exp = ps->expected[k];
                    lo_ind = ps->ind;
                }
            }
            with += has;
            /* the kinds that do not count units carry their coverage on the assessment */
            for (int k = 0; has && k < ps->n_assess; k++)
                if (ps->assess[k].has_latest && ps->assess[k].latest_period.year == year && isfinite(ps->assess[k].coverage) &&
                    ps->assess[k].coverage < lo - 1e-9) {
                    lo = ps->assess[k].coverage;
                    lo_rep = lo_exp = -1;
                    lo_ind = ps->ind;
                }
        }
    }
    char units[900], pct[48];
    if (!isfinite(lo)) snprintf(units, sizeof units, "%s", RW(r, NONE));
    else if (lo >= 1) snprintf(units, sizeof units, "%s", RW(r, COVERAGE_ALL));
    else {
        ct_lang_number(r->in->lang, 100 * lo, pct, sizeof pct - 2);
        strcat(pct, "%");
        const char *title = lo_ind->title ? lo_ind->title : lo_ind->id;
        if (lo_exp > 0) snprintf(units, sizeof units, RW(r, COVERAGE_WHICH), pct, lo_rep, lo_exp, title);
        else snprintf(units, sizeof units, "%s (%s)", pct, title);
    }
    snprintf(buf, size, RW(r, COVERAGE_FMT), with, all, units);
}

/* The targets furthest behind at the roots, for the first page. */
typedef struct {
    const ct_plot_plan *pp;
    const ct_assessment *a;
    int ind;      /* its indicator's index in the plan */
    double rel;   /* the gap relative to the target */
} worst_t;

static int by_rel(const void *x, const void *y)
{
    const worst_t *a = x, *b = y;
    return a->rel < b->rel ? 1 : a->rel > b->rel ? -1 : 0;
}

static void summary_page(ct_rctx *r)
{
    const ct_report_input *in = r->in;
    ct_rp_puts(r, "<section id=\"summary\"><h2 class=\"first\">");
    ct_rp_esc(r, RW(r, SUMMARY));
    ct_rp_puts(r, "</h2>\n");
    size_t cap = 0;
    for (size_t i = 0; i < in->n_plans; i++)
        for (int k = 0; in->plans[i].root >= 0 && k < in->plans[i].n_ind; k++) {
            const ct_plot_series *ps = ct_plot_get(&in->plans[i], k, in->plans[i].root);
            if (ps) cap += (size_t)ps->n_assess;
        }
    worst_t *w = malloc((cap ? cap : 1) * sizeof *w);
    size_t nw = 0;
    for (size_t i = 0; i < in->n_plans; i++) {
        const ct_plot_plan *pp = &in->plans[i];
        if (pp->root < 0) continue;
        ct_rp_counts c = {{{0}}, 0, NULL, 0};
        ct_rp_count_unit(pp, pp->root, &c);
        /* judged, monitored, and those without the data to say either (chips 7 and 8: no data, not applicable) */
        int ne = 0, nm = 0, nd = c.n[0][7] + c.n[1][7];
        for (int j = 0; j <= CT_ASSESS_N_STATUSES; j++)
            if (j != 7 && j != 8) { ne += c.n[0][j]; nm += c.n[1][j]; }
        ct_rp_puts(r, "<p><a href=\"#");
        plan_anchor(r, pp->plan);
        ct_rp_puts(r, "\"><b>");
        ct_rp_esc(r, pp->plan->title ? pp->plan->title : pp->plan->id);
        ct_rp_puts(r, "</b></a><br>");
        if (!ne && !nm && nd) ct_rp_printf(r, RW(r, SUMMARY_ONLY_NO_DATA), ct_rp_unit_name(pp->s, pp->root), nd);
        else ct_rp_printf(r, RW(r, SUMMARY_COUNTS), ct_rp_unit_name(pp->s, pp->root), ne, nm);
        if (nd && (ne || nm)) {
            ct_rp_puts(r, " ");
            ct_rp_printf(r, RW(r, SUMMARY_NO_DATA), nd);
        }
        ct_rp_puts(r, "</p>\n");
        ct_rp_chips_counts(r, &c, 1);
        for (int k = 0; w && k < pp->n_ind; k++) {
            const ct_plot_series *ps = ct_plot_get(pp, k, pp->root);
            for (int t = 0; ps && t < ps->n_assess; t++) {
                const ct_assessment *a = &ps->assess[t];
                double g = ct_rp_gap(a);
                if (!ct_rp_behind(a->status) || !isfinite(g) || g <= 0) continue;
                w[nw++] = (worst_t){pp, a, k, g / fmax(fabs(a->target_value), 1e-9)};
            }
        }
    }
    ct_rp_puts(r, "<h3>");
    ct_rp_esc(r, RW(r, WORST));
    ct_rp_puts(r, "</h3>\n");
    if (nw) {
        qsort(w, nw, sizeof *w, by_rel);
        ct_rp_puts(r, "<ol class=\"worst\">\n");
        for (size_t i = 0; i < nw && i < 6; i++) {
            const ct_assessment *a = w[i].a;
            char v[64], t[600];
            ct_rp_value(r, a->ind, a->latest_value, v, sizeof v);
            ct_rp_target_text(r, a, t, sizeof t);
            ct_rp_puts(r, "<li><b>");
            ct_rp_esc(r, a->ind->title ? a->ind->title : a->ind->id);
            ct_rp_puts(r, "</b> (");
            ct_rp_esc(r, ct_rp_unit_name(w[i].pp->s, a->unit));
            ct_rp_puts(r, "): ");
            char pb[64];
            ct_rp_period(r, a->latest_period, pb, sizeof pb);
            int cnt[4];
            if (ct_rp_coverage_drop(w[i].pp, w[i].ind, a->unit, a, cnt)) {   /* fewer units than the baseline: said here too */
                char c[160];
                snprintf(c, sizeof c, RW(r, COVERAGE_SHORT), cnt[0], cnt[1], cnt[2], cnt[3]);
                ct_rp_printf(r, "%s (%s; %s) — %s: %s ", v, pb, c, RW(r, TARGET), t);
            } else ct_rp_printf(r, "%s (%s) — %s: %s ", v, pb, RW(r, TARGET), t);
            ct_rp_chip_look(r, a, -1);
            ct_rp_puts(r, "</li>\n");
        }
        ct_rp_puts(r, "</ol>\n");
    } else {
        ct_rp_puts(r, "<p>");
        ct_rp_esc(r, RW(r, NOTHING_TO_FOLLOW));
        ct_rp_puts(r, "</p>\n");
    }
    free(w);
    int header = 0;
    for (size_t i = 0; i < in->n_plans; i++) {
        const ct_plot_plan *pp = &in->plans[i];
        char behind[1200], silent[1200];
        int nb = ct_rp_lagging_names(r, pp, behind, sizeof behind, silent, sizeof silent);
        if (!nb && !silent[0]) continue;
        if (!header++) {
            ct_rp_puts(r, "<h3>");
            ct_rp_esc(r, RW(r, FOLLOW_UP));
            ct_rp_puts(r, "</h3>\n<ul class=\"follow\">\n");
        }
        ct_rp_puts(r, "<li><b>");
        ct_rp_esc(r, pp->plan->title ? pp->plan->title : pp->plan->id);
        ct_rp_puts(r, "</b>: ");
        if (nb) ct_rp_printf(r, RW(r, FOLLOW_UP_BEHIND), behind);
        if (nb && silent[0]) ct_rp_puts(r, "; ");
        if (silent[0]) ct_rp_esc(r, silent);
        ct_rp_puts(r, "</li>\n");
    }
    if (header) ct_rp_puts(r, "</ul>\n");
    ct_rp_puts(r, "</section>\n");
}

/* The area of the report: the one unit the plans are about, or how many. */
static int report_area(const ct_report_input *in, char *buf, size_t size)
{
    int roots[256], n = 0;
    const ct_series *s = NULL;
    buf[0] = '\0';
    for (size_t i = 0; i < in->n_plans; i++) {
        const ct_plot_plan *pp = &in->plans[i];
        if (pp->root < 0) continue;
        s = pp->s;
        int seen = 0;
        for (int k = 0; k < n; k++) seen |= roots[k] == pp->root;
        if (!seen && n < 256) roots[n++] = pp->root;
    }
    for (int k = 0; k < n; k++) {
        size_t l = strlen(buf);
        snprintf(buf + l, size - l, "%s%s", k ? ", " : "", ct_rp_unit_name(s, roots[k]));
    }
    return n;
}

/* A date "2026-12-06" in words; anything else as it is. */
static void date_words(const ct_rctx *r, const char *text, char *buf, size_t size)
{
    int y, m, d;
    char tail;
    if (sscanf(text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && m >= 1 && m <= 12 && d >= 1 && d <= 31)
        ct_lang_date(r->in->lang, y, m, d, buf, size);
    else snprintf(buf, size, "%s", text);
}

/* The map a plan was judged on: its series' geography (each plan is on its own). */
static const char *plan_geography(const ct_report_input *in, const ct_plot_plan *pp)
{
    return pp->s ? pp->s->geography : in->geography ? in->geography : "";
}

ct_status ct_report_write(const ct_report_input *in, const char *path, ct_diags *d)
{
    ct_out *o = ct_out_open(path, d);
    if (!o) return CT_EIO;
    ct_rctx rc = {o, in, 0}, *r = &rc;
    const ct_plot_plan *first = NULL;
    int same_asof = 1, same_geo = 1;
    asof_t a0 = {"", 0, 0, 0};
    for (size_t i = 0; i < in->n_plans; i++) {
        if (in->plans[i].root < 0) continue;
        asof_t a = plan_asof(r, &in->plans[i]);
        if (!first) { first = &in->plans[i]; a0 = a; }
        else if (strcmp(a.words, a0.words)) same_asof = 0;
        if (first && strcmp(plan_geography(in, &in->plans[i]), plan_geography(in, first))) same_geo = 0;
    }
    char area[2000], title[2300], buf[400];
    int n_areas = report_area(in, area, sizeof area);
    if (n_areas == 1) snprintf(title, sizeof title, "%s — %s", RW(r, TITLE), area);
    else if (n_areas > 1) {
        char na[64];
        snprintf(na, sizeof na, RW(r, N_AREAS), n_areas);
        snprintf(title, sizeof title, "%s — %s", RW(r, TITLE), na);
    } else snprintf(title, sizeof title, "%s", RW(r, TITLE));

    ct_rp_puts(r, "<!DOCTYPE html>\n<html lang=\"");
    ct_rp_puts(r, in->lang == CT_PLOT_EN ? "en" : "vi");
    ct_rp_puts(r, "\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    ct_rp_esc(r, title);
    ct_rp_puts(r, "</title>\n<style>\n");
    for (size_t i = 0; i < sizeof css / sizeof *css; i++) ct_rp_puts(r, css[i]);
    /* page numbers in print: "Trang 3/19" at the foot of each A4 page */
    snprintf(buf, sizeof buf, "@page{size:A4;margin:12mm 12mm 16mm;@bottom-right{content:\"%s \" counter(page) \"/\" counter(pages);"
                              "font:8pt 'DejaVu Sans',sans-serif;color:#666}}\n", RW(r, PAGE));
    ct_rp_puts(r, buf);
    ct_rp_puts(r, "</style>\n</head>\n<body>\n");
    if ((in->agency && in->agency[0]) || (in->doc_number && in->doc_number[0]) || in->generated) {
        ct_rp_puts(r, "<header class=\"official\"><div>");
        if (in->agency && in->agency[0]) {
            ct_rp_puts(r, "<div class=\"agency\">");
            ct_rp_esc(r, in->agency);
            ct_rp_puts(r, "</div>");
        }
        if (in->doc_number && in->doc_number[0]) {
            ct_rp_puts(r, "<div class=\"docno\">");
            ct_rp_printf(r, RW(r, DOC_NUMBER), in->doc_number);
            ct_rp_puts(r, "</div>");
        }
        ct_rp_puts(r, "</div>");
        if (in->generated) {
            date_words(r, in->generated, buf, sizeof buf);
            ct_rp_puts(r, "<div class=\"right\">");
            ct_rp_esc(r, buf);
            ct_rp_puts(r, "</div>");
        }
        ct_rp_puts(r, "</header>\n");
    }
    ct_rp_puts(r, "<header><h1>");
    ct_rp_esc(r, title);
    ct_rp_puts(r, "</h1>\n<dl class=\"head\">");
    head_item(r, RW(r, PLANS));
    int listed = 0, left_out = 0;
    for (size_t i = 0; i < in->n_plans; i++) {
        const ct_plan *p = in->plans[i].plan;
        if (in->plans[i].root < 0) { left_out++; continue; }
        if (listed++) ct_rp_puts(r, "<br>");
        ct_rp_puts(r, "<a href=\"#");
        plan_anchor(r, p);
        ct_rp_puts(r, "\">");
        ct_rp_esc(r, p->title ? p->title : p->id);
        ct_rp_puts(r, "</a>");
        if (!same_asof) {
            asof_t a = plan_asof(r, &in->plans[i]);
            ct_rp_puts(r, " <span class=\"meta\">(");
            ct_rp_printf(r, "%s %s", RW(r, AS_OF), a.words);
            ct_rp_puts(r, ")</span>");
        }
        if (!same_geo) {   /* each plan is judged on its own map */
            period_text_words(r, plan_geography(in, &in->plans[i]), buf, sizeof buf);
            ct_rp_puts(r, " <span class=\"meta\">(");
            ct_rp_esc(r, RW(r, GEOGRAPHY));
            ct_rp_puts(r, ": ");
            ct_rp_esc(r, buf);
            ct_rp_puts(r, ")</span>");
        }
    }
    ct_rp_puts(r, "</dd>");
    if (left_out) {   /* plans given that do not cover the unit */
        head_item(r, RW(r, LEFT_OUT));
        int k = 0;
        for (size_t i = 0; i < in->n_plans; i++)
            if (in->plans[i].root < 0) {
                if (k++) ct_rp_puts(r, ", ");
                ct_rp_esc(r, in->plans[i].plan->title ? in->plans[i].plan->title : in->plans[i].plan->id);
            }
        ct_rp_puts(r, "</dd>");
    }
    if (first) {
        head_item(r, RW(r, AREA));
        ct_rp_esc(r, area);
        ct_rp_puts(r, "</dd>");
        head_item(r, RW(r, AS_OF));
        if (in->as_of) period_text_words(r, in->as_of, buf, sizeof buf);
        else snprintf(buf, sizeof buf, "%s", same_asof ? a0.words : RW(r, AS_OF_EACH));
        ct_rp_esc(r, buf);
        ct_rp_puts(r, "</dd>");
    }
    const char *geo = first ? plan_geography(in, first) : in->geography;
    if (same_geo && geo && geo[0]) {
        head_item(r, RW(r, GEOGRAPHY));
        period_text_words(r, geo, buf, sizeof buf);
        ct_rp_esc(r, buf);
        ct_rp_puts(r, "</dd>");
    }
    if (in->generated) {
        head_item(r, RW(r, MADE_ON));
        date_words(r, in->generated, buf, sizeof buf);
        ct_rp_esc(r, buf);
        ct_rp_puts(r, "</dd>");
    }
    if (in->n_rules) {
        head_item(r, RW(r, RULES));
        for (size_t i = 0; i < in->n_rules; i++) {
            if (i) ct_rp_puts(r, ", ");
            ct_rp_esc(r, in->rules[i]);
        }
        ct_rp_puts(r, "</dd>");
    }
    if (first) {
        char t[64];
        snprintf(t, sizeof t, RW(r, COVERAGE_OF), a0.year);
        head_item(r, t);
        char cov[1200];
        coverage_text(r, a0.year, cov, sizeof cov);
        ct_rp_esc(r, cov);
        ct_rp_puts(r, "</dd>");
    }
    ct_rp_puts(r, "</dl></header>\n");
    if (first && same_asof) partial_warning(r, &a0);
    summary_page(r);
    for (size_t i = 0; i < in->n_plans; i++)
        if (in->plans[i].root >= 0) plan_section(r, &in->plans[i]);
    ct_rp_puts(r, "<p class=\"meta\">");
    ct_rp_esc(r, RW(r, MADE_WITH));
    ct_rp_puts(r, "</p>\n</body>\n</html>\n");
    ct_status st = ct_out_commit(o, d);
    if (st == CT_OK && in->n_inline) *in->n_inline += (size_t)r->n_fig;
    return st;
}

ct_status ct_report_index_write(const ct_report_input *in, const ct_report_index_item *items, size_t n,
                                const char *path, ct_diags *d)
{
    ct_out *o = ct_out_open(path, d);
    if (!o) return CT_EIO;
    ct_rctx rc = {o, in, 0}, *r = &rc;
    ct_rp_puts(r, "<!DOCTYPE html>\n<html lang=\"");
    ct_rp_puts(r, in->lang == CT_PLOT_EN ? "en" : "vi");
    ct_rp_puts(r, "\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    ct_rp_esc(r, RW(r, TITLE));
    ct_rp_puts(r, "</title>\n<style>\n");
    for (size_t i = 0; i < sizeof css / sizeof *css; i++) ct_rp_puts(r, css[i]);
    ct_rp_puts(r, "</style>\n</head>\n<body>\n<header><h1>");
    ct_rp_esc(r, RW(r, TITLE));
    ct_rp_puts(r, "</h1>\n<dl class=\"head\">");
    char buf[400];
    if (in->generated) {
        head_item(r, RW(r, MADE_ON));
        date_words(r, in->generated, buf, sizeof buf);
        ct_rp_esc(r, buf);
        ct_rp_puts(r, "</dd>");
    }
    /* the map: one when every page's plans are judged on it, else each plan's own */
    const char *geo = NULL;
    int mixed = 0;
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < items[k].n_plans; i++) {
            const ct_plot_plan *pp = &items[k].plans[i];
            if (pp->root < 0) continue;
            const char *g = plan_geography(in, pp);
            if (!geo) geo = g;
            else if (strcmp(geo, g)) mixed = 1;
        }
    if (!geo) geo = in->geography;
    if (mixed || (geo && geo[0])) {
        head_item(r, RW(r, GEOGRAPHY));
        if (mixed) snprintf(buf, sizeof buf, "%s", RW(r, AS_OF_EACH));
        else period_text_words(r, geo, buf, sizeof buf);
        ct_rp_esc(r, buf);
        ct_rp_puts(r, "</dd>");
    }
    ct_rp_puts(r, "</dl></header>\n<div class=\"tw\"><table><thead><tr><th>");
    ct_rp_esc(r, RW(r, UNIT));
    ct_rp_puts(r, "</th><th>");
    ct_rp_esc(r, RW(r, AS_OF));
    ct_rp_puts(r, "</th><th>");
    ct_rp_esc(r, RW(r, STATUS));
    ct_rp_puts(r, "</th></tr></thead><tbody>\n");
    for (size_t k = 0; k < n; k++) {
        const ct_report_index_item *it = &items[k];
        ct_rp_counts c = {{{0}}, 0, NULL, 0};
        const ct_plot_plan *first = NULL;
        for (size_t i = 0; i < it->n_plans; i++)
            if (it->plans[i].root >= 0) {
                if (!first) first = &it->plans[i];
                ct_rp_count_unit(&it->plans[i], it->plans[i].root, &c);
            }
        if (!first) continue;
        asof_t a = plan_asof(r, first);
        ct_rp_puts(r, "<tr><td><a href=\"");
        ct_rp_esc(r, it->href);
        ct_rp_puts(r, "\">");
        ct_rp_esc(r, ct_rp_unit_name(first->s, first->root));
        ct_rp_puts(r, "</a></td><td>");
        ct_rp_esc(r, a.words);
        ct_rp_puts(r, "</td><td>");
        ct_rp_chips_counts(r, &c, 0);
        ct_rp_puts(r, "</td></tr>\n");
    }
    ct_rp_puts(r, "</tbody></table></div>\n<p class=\"meta\">");
    ct_rp_esc(r, RW(r, MADE_WITH));
    ct_rp_puts(r, "</p>\n</body>\n</html>\n");
    return ct_out_commit(o, d);
}
