#include "ct_report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void ct_report_escape(ct_out *o, const char *s)
{
    const char *p = s ? s : "", *run = p;
    for (; *p; p++) {
        const char *rep = NULL;
        switch (*p) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        ct_out_write(o, run, (size_t)(p - run));
        ct_out_puts(o, rep);
        run = p + 1;
    }
    ct_out_write(o, run, (size_t)(p - run));
}

typedef struct {
    const char *title, *generated, *summary, *targets_total, *plans, *status_chart, *targets, *charts,
        *feasibility, *no_findings, *completeness, *completeness_intro, *all_reported, *not_reported, *unit,
        *indicator, *target, *baseline, *latest, *projected, *status, *note, *chart, *open_chart, *missing_chart,
        *region, *horizon, *as_of, *none, *children, *reported_of, *print_hint;
} rwords;

static const rwords rw_vi = {
    "Báo cáo tiến độ thực hiện chỉ tiêu", "Tạo bởi chitieu", "Tổng hợp", "mục tiêu (theo đơn vị)", "Kế hoạch",
    "Tình trạng mục tiêu cuối cùng theo đơn vị", "Các mục tiêu", "Biểu đồ", "Tính khả thi của kế hoạch",
    "Không có nhận xét.", "Mức độ đầy đủ số liệu",
    "Đơn vị đã báo cáo / đơn vị phải báo cáo, ở năm gần nhất có số liệu.", "đủ", "Chưa báo cáo đầy đủ",
    "Đơn vị", "Chỉ tiêu", "Mục tiêu", "Cơ sở", "Gần nhất", "Dự báo (95%)", "Tình trạng", "Ghi chú", "Biểu đồ",
    "xem", "chưa có biểu đồ", "Địa bàn", "Kết thúc", "Số liệu đến", "—", "Các đơn vị trực thuộc",
    "đã báo cáo", "Bấm vào tên đơn vị để mở; khi in, mọi mục được mở."};
static const rwords rw_en = {
    "Progress report on plan targets", "Made by chitieu", "Summary", "targets (by unit)", "Plans",
    "Status of the final target by unit", "Targets", "Charts", "Plan feasibility", "No findings.",
    "Data completeness", "Units that reported / units expected to report, in the latest year with data.",
    "complete", "Not all units reported", "Unit", "Indicator", "Target", "Baseline", "Latest",
    "Projected (95%)", "Status", "Note", "Chart", "view", "no chart", "Region", "Horizon", "Data as of", "—",
    "Units below", "reported", "Select a unit's name to open it; printing opens every section."};

static const char *const css =
    ":root{--ink:#222;--muted:#666;--line:#ddd;--bg:#fafafa}\n"
    "*{box-sizing:border-box}\n"
    "body{font-family:'DejaVu Sans',system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--ink);"
    "margin:0 auto;max-width:1200px;padding:0 1rem 3rem;line-height:1.45;font-size:15px}\n"
    "h1{font-size:1.6rem;margin:1.2rem 0 .3rem}h2{font-size:1.3rem;border-bottom:2px solid var(--line);"
    "padding-bottom:.2rem;margin-top:2.2rem}h3{font-size:1.08rem;margin-top:1.6rem}\n"
    ".meta{color:var(--muted);font-size:.9rem}\n"
    "nav ul{padding-left:1.2rem}\n"
    ".chips{display:flex;flex-wrap:wrap;gap:.5rem;margin:.6rem 0}\n"
    ".chip{display:inline-block;border-radius:999px;padding:.12rem .6rem;font-size:.85rem;white-space:nowrap;"
    "border:1px solid rgba(0,0,0,.15)}\n"
    ".chips .chip{font-size:1rem;padding:.3rem .8rem}\n"
    ".s-achieved{background:#009E73;color:#fff}.s-on_track{background:#56B4E9;color:#000}"
    ".s-at_risk{background:#E69F00;color:#000}.s-off_track{background:#D55E00;color:#fff}"
    ".s-deteriorating{background:#CC79A7;color:#000}.s-insufficient_data{background:#ccc;color:#000}"
    ".s-nearly_achieved{background:#8CCFB9;color:#000}.s-not_achieved{background:#8E2C00;color:#fff}"
    ".s-not_applicable{background:#E6E6E6;color:#555}"
    ".s-other{background:#F0E442;color:#000}\n"
    ".tw{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:.4rem 0 1rem}\n"
    "table{border-collapse:collapse;width:100%;font-size:.88rem}\n"
    "th,td{border-bottom:1px solid var(--line);padding:.35rem .45rem;text-align:left;vertical-align:top}\n"
    "th{background:var(--bg);font-weight:600}\n"
    "td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\n"
    "td.note{color:var(--muted);font-size:.82rem;min-width:14rem}\n"
    "details{border:1px solid var(--line);border-radius:6px;margin:.5rem 0;padding:.2rem .6rem}\n"
    "details details{margin-left:.4rem}\n"
    "summary{cursor:pointer;font-weight:600;padding:.3rem 0}\n"
    "summary .chip{font-weight:400;margin-left:.25rem}\n"
    "figure{margin:1rem 0;page-break-inside:avoid;break-inside:avoid}\n"
    "figure img{max-width:100%;height:auto;border:1px solid var(--line);border-radius:4px;background:#fff}\n"
    "figcaption{color:var(--muted);font-size:.85rem}\n"
    ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:1rem}\n"
    "ul.findings li{margin:.3rem 0}\n"
    "@media (max-width:640px){body{font-size:14px;padding:0 .6rem 2rem}.grid{grid-template-columns:1fr}"
    "td.note{min-width:10rem}h1{font-size:1.3rem}}\n"
    "@media print{nav,.noprint{display:none}body{max-width:none;font-size:10pt}"
    "details{border:none;padding:0}summary{list-style:none}a{color:inherit;text-decoration:none}"
    "h2{page-break-before:always;break-before:page}h2.first{page-break-before:avoid;break-before:avoid}"
    ".tw{overflow:visible}.chip{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "tr{page-break-inside:avoid;break-inside:avoid}}\n";

typedef struct {
    ct_out *o;
    const ct_report_input *in;
    const rwords *w;
} rctx;

static void esc(rctx *r, const char *s) { ct_report_escape(r->o, s); }
static void puts_(rctx *r, const char *s) { ct_out_puts(r->o, s); }

static void fmt_num(double v, char *buf, size_t size)
{
    if (!isfinite(v)) { snprintf(buf, size, "–"); return; }
    if (fabs(v) >= 1000) snprintf(buf, size, "%.0f", v);
    else snprintf(buf, size, "%.4g", v);
}

static const char *status_class(const char *st)
{
    int n;
    const char *const *sts = ct_plot_statuses(&n);
    for (int i = 0; i < n; i++)
        if (st && !strcmp(st, sts[i])) return sts[i];
    return "other";
}

static void chip(rctx *r, const char *status)
{
    ct_out_puts(r->o, "<span class=\"chip s-");
    puts_(r, status_class(status));
    puts_(r, "\">");
    esc(r, ct_plot_status_label(status, r->in->lang));
    puts_(r, "</span>");
}

/* The chart file of a kind for a plan, indicator and unit, if it exists. */
static const ct_chart *find_chart(const ct_report_input *in, const ct_plot_plan *pp, ct_chart_kind k, int ind, int unit)
{
    for (size_t i = 0; i < in->n_charts; i++) {
        const ct_chart *c = &in->charts[i];
        if (c->pp == pp && c->kind == k && (k == CT_CHART_STATUS || (c->ind == ind && c->unit == unit)))
            return in->rendered[i] ? c : NULL;
    }
    return NULL;
}

static void chart_href(rctx *r, const ct_chart *c)
{
    esc(r, c->rel);
    puts_(r, ".");
    esc(r, r->in->ext);
}

static void figure(rctx *r, const ct_chart *c, const char *caption)
{
    puts_(r, "<figure><a href=\"");
    chart_href(r, c);
    puts_(r, "\"><img loading=\"lazy\" src=\"");
    chart_href(r, c);
    puts_(r, "\" alt=\"");
    esc(r, caption);
    puts_(r, "\"></a><figcaption>");
    esc(r, caption);
    puts_(r, "</figcaption></figure>\n");
}

static const char *unit_name(const ct_series *s, int u) { return s->name[u] && s->name[u][0] ? s->name[u] : s->code[u]; }

static void target_text(const ct_assessment *a, char *buf, size_t size)
{
    const ct_target *t = a->target;
    char v[128], m[40];
    fmt_num(a->target_value, v, sizeof v);
    if (t->form == CT_TF_RANGE && isfinite(t->max) && t->max != t->min) {
        fmt_num(t->max, m, sizeof m);
        size_t l = strlen(v);
        snprintf(v + l, sizeof v - l, "–%s", m);
    }
    const char *pct = ct_indicator_is_percent(a->ind) ? "%" : "";
    const char *op = a->ind->direction < 0 ? "≤ " : "";
    if (t->each_period && t->from && t->to && t->from != t->to)
        snprintf(buf, size, "%s%s%s (%d–%d)", op, v, pct, t->from, t->to);
    else
        snprintf(buf, size, "%s%s%s (%d)", op, v, pct, a->target_year);
}

/* The targets table of one unit. */
static void unit_table(rctx *r, const ct_plot_plan *pp, int u)
{
    const rwords *w = r->w;
    const char *const heads[] = {w->indicator, w->target, w->baseline, w->latest,
                                 w->projected, w->status, w->note, w->chart};
    puts_(r, "<div class=\"tw\"><table><thead><tr>");
    for (size_t h = 0; h < sizeof heads / sizeof *heads; h++) {
        puts_(r, "<th>");
        esc(r, heads[h]);
        puts_(r, "</th>");
    }
    puts_(r, "</tr></thead><tbody>\n");
    for (int i = 0; i < pp->n_ind; i++) {
        const ct_plot_series *ps = ct_plot_get(pp, i, u);
        if (!ps) continue;
        const ct_chart *c = find_chart(r->in, pp, CT_CHART_TRAJECTORY, i, u);
        for (int k = 0; k < ps->n_assess; k++) {
            const ct_assessment *a = &ps->assess[k];
            char buf[160], b1[48], b2[48], b3[48], pb[CT_PERIOD_BUF];
            const char *pct = ct_indicator_is_percent(a->ind) ? "%" : "";
            puts_(r, "<tr><td>");
            if (k == 0) esc(r, a->ind->title ? a->ind->title : a->ind->id);
            puts_(r, "</td><td class=\"num\">");
            target_text(a, buf, sizeof buf);
            esc(r, buf);
            puts_(r, "</td><td class=\"num\">");
            if (a->has_baseline) {
                fmt_num(a->baseline_value, b1, sizeof b1);
                ct_period_format(a->baseline_period, pb);
                snprintf(buf, sizeof buf, "%s%s (%s)", b1, pct, pb);
                esc(r, buf);
            } else esc(r, w->none);
            puts_(r, "</td><td class=\"num\">");
            if (a->has_latest) {
                fmt_num(a->latest_value, b1, sizeof b1);
                ct_period_format(a->latest_period, pb);
                snprintf(buf, sizeof buf, "%s%s (%s)", b1, pct, pb);
                esc(r, buf);
            } else esc(r, w->none);
            puts_(r, "</td><td class=\"num\">");
            if (isfinite(a->projected)) {
                fmt_num(a->projected, b1, sizeof b1);
                fmt_num(a->lower, b2, sizeof b2);
                fmt_num(a->upper, b3, sizeof b3);
                if (isfinite(a->lower) && isfinite(a->upper))
                    snprintf(buf, sizeof buf, "%s%s [%s–%s]", b1, pct, b2, b3);
                else
                    snprintf(buf, sizeof buf, "%s%s", b1, pct);
                esc(r, buf);
            } else esc(r, w->none);
            puts_(r, "</td><td>");
            chip(r, a->status);
            puts_(r, "</td><td class=\"note\">");
            esc(r, a->note); /* with a closed region, an abolished level or a break (ct_assess) */
            puts_(r, "</td><td>");
            if (k == 0) {
                if (c) {
                    puts_(r, "<a href=\"");
                    chart_href(r, c);
                    puts_(r, "\">");
                    esc(r, w->open_chart);
                    puts_(r, "</a>");
                } else esc(r, w->missing_chart);
            }
            puts_(r, "</td></tr>\n");
        }
    }
    puts_(r, "</tbody></table></div>\n");
}

/* Status counts of a unit's targets into counts[CT_ASSESS_N_STATUSES + 1] (the contract's + other). */
static void count_unit(const ct_plot_plan *pp, int u, int *counts)
{
    for (int i = 0; i < pp->n_ind; i++) {
        const ct_plot_series *ps = ct_plot_get(pp, i, u);
        if (!ps) continue;
        for (int k = 0; k < ps->n_assess; k++) {
            int n;
            const char *const *sts = ct_plot_statuses(&n);
            int idx = n;
            for (int j = 0; j < n; j++)
                if (ps->assess[k].status && !strcmp(ps->assess[k].status, sts[j])) idx = j;
            counts[idx]++;
        }
    }
}

static void chips_counts(rctx *r, const int *counts, int big)
{
    int n;
    const char *const *sts = ct_plot_statuses(&n);
    if (big) puts_(r, "<div class=\"chips\">");
    for (int j = 0; j <= n; j++) {
        if (!counts[j]) continue;
        char num[32];
        snprintf(num, sizeof num, "%d ", counts[j]);
        ct_out_puts(r->o, "<span class=\"chip s-");
        puts_(r, j < n ? sts[j] : "other");
        puts_(r, "\">");
        puts_(r, num);
        esc(r, j < n ? ct_plot_status_label(sts[j], r->in->lang) : "other");
        puts_(r, "</span> ");
    }
    if (big) puts_(r, "</div>\n");
}

/* A unit's section: its table, then its children's sections (depth-first). */
static void unit_section(rctx *r, const ct_plot_plan *pp, int pos, int open)
{
    const ct_series *s = pp->s;
    int u = pp->units[pos];
    int counts[CT_ASSESS_N_STATUSES + 1] = {0};
    count_unit(pp, u, counts);
    puts_(r, open ? "<details open><summary>" : "<details><summary>");
    esc(r, unit_name(s, u));
    puts_(r, " <span class=\"meta\">(");
    esc(r, s->level_name[s->level[u]]);
    puts_(r, " ");
    esc(r, s->code[u]);
    puts_(r, ")</span> ");
    chips_counts(r, counts, 0);
    puts_(r, "</summary>\n");
    unit_table(r, pp, u);
    for (int k = pos + 1; k < pp->n_units; k++)
        if (s->parent[pp->units[k]] == u) unit_section(r, pp, k, 0);
    puts_(r, "</details>\n");
}

static void completeness(rctx *r, const ct_plot_plan *pp)
{
    const ct_series *s = pp->s;
    const rwords *w = r->w;
    int any = 0;
    if (pp->n_units == 0) return;
    int root = pp->units[0];
    for (int i = 0; i < pp->n_ind; i++) {
        const ct_plot_series *ps = ct_plot_get(pp, i, root);
        if (!ps) continue;
        int k = ps->n - 1;
        while (k >= 0 && ps->expected[k] < 0) k--;
        if (k < 0) continue;
        if (!any) {
            puts_(r, "<p class=\"meta\">");
            esc(r, w->completeness_intro);
            puts_(r, "</p><div class=\"tw\"><table><thead><tr><th>");
            esc(r, w->indicator);
            puts_(r, "</th><th>");
            esc(r, w->region);
            puts_(r, "</th><th>");
            esc(r, w->not_reported);
            puts_(r, "</th></tr></thead><tbody>\n");
            any = 1;
        }
        int year = ps->year[k];
        char buf[200];
        puts_(r, "<tr><td>");
        esc(r, ps->ind->title ? ps->ind->title : ps->ind->id);
        snprintf(buf, sizeof buf, "%d/%d %s (%d)", ps->reported[k], ps->expected[k], w->reported_of, year);
        puts_(r, "</td><td class=\"num\">");
        esc(r, buf);
        puts_(r, "</td><td>");
        int listed = 0;
        for (int q = 1; q < pp->n_units; q++) {
            int c = pp->units[q];
            const ct_plot_series *cs = ct_plot_get(pp, i, c);
            if (!cs) continue;
            for (int m = 0; m < cs->n; m++) {
                if (cs->year[m] != year || cs->expected[m] < 0 || cs->reported[m] >= cs->expected[m]) continue;
                snprintf(buf, sizeof buf, "%s%s %d/%d", listed ? "; " : "", unit_name(s, c), cs->reported[m],
                         cs->expected[m]);
                esc(r, buf);
                listed++;
            }
        }
        if (ps->reported[k] >= ps->expected[k] && !listed) esc(r, w->all_reported);
        else if (!listed && ps->reported[k] < ps->expected[k]) {
            snprintf(buf, sizeof buf, "%d", ps->expected[k] - ps->reported[k]);
            esc(r, buf);
        }
        puts_(r, "</td></tr>\n");
    }
    if (any) puts_(r, "</tbody></table></div>\n");
    else { puts_(r, "<p>"); esc(r, w->none); puts_(r, "</p>\n"); }
}

static void plan_anchor(rctx *r, const ct_plan *p)
{
    char part[128];
    ct_plot_file_part(p->id, part, sizeof part);
    puts_(r, "plan-");
    esc(r, part);
}

static void plan_section(rctx *r, const ct_plot_plan *pp)
{
    const rwords *w = r->w;
    const ct_plan *plan = pp->plan;
    const ct_series *s = pp->s;
    puts_(r, "<section id=\"");
    plan_anchor(r, plan);
    puts_(r, "\"><h2>");
    esc(r, plan->title ? plan->title : plan->id);
    puts_(r, "</h2>\n<p class=\"meta\">");
    esc(r, plan->id);
    if (pp->n_units > 0) {
        puts_(r, " · ");
        esc(r, w->region);
        puts_(r, ": ");
        esc(r, unit_name(s, pp->units[0]));
    }
    char buf[120];
    if (plan->has_baseline) {
        char pb[CT_PERIOD_BUF];
        ct_period_format(plan->baseline, pb);
        snprintf(buf, sizeof buf, " · %s: %s", w->baseline, pb);
        esc(r, buf);
    }
    if (plan->horizon) {
        snprintf(buf, sizeof buf, " · %s: %d", w->horizon, plan->horizon);
        esc(r, buf);
    }
    puts_(r, "</p>\n");
    int counts[CT_ASSESS_N_STATUSES + 1] = {0};
    for (int k = 0; k < pp->n_units; k++) count_unit(pp, pp->units[k], counts);
    chips_counts(r, counts, 1);

    const ct_chart *sc = find_chart(r->in, pp, CT_CHART_STATUS, -1, -1);
    if (sc) {
        puts_(r, "<h3>");
        esc(r, w->status_chart);
        puts_(r, "</h3>\n");
        figure(r, sc, w->status_chart);
    }
    puts_(r, "<h3>");
    esc(r, w->targets);
    puts_(r, "</h3>\n<p class=\"meta noprint\">");
    esc(r, w->print_hint);
    puts_(r, "</p>\n");
    if (pp->n_units > 0) unit_section(r, pp, 0, 1);

    puts_(r, "<h3>");
    esc(r, w->charts);
    puts_(r, "</h3>\n");
    for (int i = 0; i < pp->n_ind; i++) {
        const ct_chart *tc = pp->n_units ? find_chart(r->in, pp, CT_CHART_TRAJECTORY, i, pp->units[0]) : NULL;
        int any_multi = 0;
        for (int k = 0; k < pp->n_units && !any_multi; k++)
            any_multi = find_chart(r->in, pp, CT_CHART_MULTIPLES, i, pp->units[k]) != NULL;
        if (!tc && !any_multi) continue;
        const char *title = plan->indicators[i].title ? plan->indicators[i].title : plan->indicators[i].id;
        puts_(r, "<div class=\"grid\">\n");
        if (tc) figure(r, tc, title);
        for (int k = 0; k < pp->n_units; k++) {
            const ct_chart *mc = find_chart(r->in, pp, CT_CHART_MULTIPLES, i, pp->units[k]);
            if (!mc) continue;
            char cap[400];
            snprintf(cap, sizeof cap, "%s — %s: %s", title, w->children, unit_name(s, pp->units[k]));
            figure(r, mc, cap);
        }
        puts_(r, "</div>\n");
    }

    puts_(r, "<h3>");
    esc(r, w->feasibility);
    puts_(r, "</h3>\n");
    int nf = 0;
    for (size_t i = 0; i < r->in->n_findings; i++) {
        const ct_report_finding *f = &r->in->findings[i];
        if (f->plan != plan) continue;
        if (!nf++) puts_(r, "<ul class=\"findings\">\n");
        puts_(r, "<li>");
        if (f->ind) {
            puts_(r, "<strong>");
            esc(r, f->ind->title ? f->ind->title : f->ind->id);
            puts_(r, "</strong>: ");
        }
        esc(r, f->text);
        puts_(r, "</li>\n");
    }
    if (nf) puts_(r, "</ul>\n");
    else { puts_(r, "<p>"); esc(r, w->no_findings); puts_(r, "</p>\n"); }

    puts_(r, "<h3>");
    esc(r, w->completeness);
    puts_(r, "</h3>\n");
    completeness(r, pp);
    puts_(r, "</section>\n");
}

ct_status ct_report_write(const ct_report_input *in, const char *path, ct_diags *d)
{
    ct_out *o = ct_out_open(path, d);
    if (!o) return CT_EIO;
    rctx r = {o, in, in->lang == CT_PLOT_EN ? &rw_en : &rw_vi};
    const rwords *w = r.w;
    puts_(&r, "<!DOCTYPE html>\n<html lang=\"");
    puts_(&r, in->lang == CT_PLOT_EN ? "en" : "vi");
    puts_(&r, "\">\n<head>\n<meta charset=\"utf-8\">\n"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    esc(&r, w->title);
    puts_(&r, "</title>\n<style>\n");
    puts_(&r, css);
    puts_(&r, "</style>\n</head>\n<body>\n<header><h1>");
    esc(&r, w->title);
    puts_(&r, "</h1>\n<p class=\"meta\">");
    esc(&r, w->generated);
    if (in->as_of) {
        puts_(&r, " · ");
        esc(&r, w->as_of);
        puts_(&r, " ");
        esc(&r, in->as_of);
    }
    puts_(&r, "</p></header>\n<nav><strong>");
    esc(&r, w->plans);
    puts_(&r, "</strong><ul>\n");
    for (size_t i = 0; i < in->n_plans; i++) {
        const ct_plan *p = in->plans[i].plan;
        puts_(&r, "<li><a href=\"#");
        plan_anchor(&r, p);
        puts_(&r, "\">");
        esc(&r, p->title ? p->title : p->id);
        puts_(&r, "</a></li>\n");
    }
    puts_(&r, "</ul></nav>\n<section id=\"summary\"><h2 class=\"first\">");
    esc(&r, w->summary);
    puts_(&r, "</h2>\n");
    int total[CT_ASSESS_N_STATUSES + 1] = {0}, nt = 0;
    for (size_t i = 0; i < in->n_plans; i++)
        for (int k = 0; k < in->plans[i].n_units; k++) count_unit(&in->plans[i], in->plans[i].units[k], total);
    for (int j = 0; j <= CT_ASSESS_N_STATUSES; j++) nt += total[j];
    char buf[120];
    snprintf(buf, sizeof buf, "%d %s", nt, w->targets_total);
    puts_(&r, "<p>");
    esc(&r, buf);
    puts_(&r, "</p>\n");
    chips_counts(&r, total, 1);
    puts_(&r, "<div class=\"tw\"><table><thead><tr><th>");
    esc(&r, w->plans);
    puts_(&r, "</th>");
    int ns;
    const char *const *sts = ct_plot_statuses(&ns);
    for (int j = 0; j < ns; j++) {
        puts_(&r, "<th>");
        chip(&r, sts[j]);
        puts_(&r, "</th>");
    }
    puts_(&r, "</tr></thead><tbody>\n");
    for (size_t i = 0; i < in->n_plans; i++) {
        int c[CT_ASSESS_N_STATUSES + 1] = {0};
        for (int k = 0; k < in->plans[i].n_units; k++) count_unit(&in->plans[i], in->plans[i].units[k], c);
        puts_(&r, "<tr><td><a href=\"#");
        plan_anchor(&r, in->plans[i].plan);
        puts_(&r, "\">");
        esc(&r, in->plans[i].plan->id);
        puts_(&r, "</a></td>");
        for (int j = 0; j < ns; j++) {
            snprintf(buf, sizeof buf, "<td class=\"num\">%d</td>", c[j]);
            puts_(&r, buf);
        }
        puts_(&r, "</tr>\n");
    }
    puts_(&r, "</tbody></table></div></section>\n");
    for (size_t i = 0; i < in->n_plans; i++) plan_section(&r, &in->plans[i]);
    puts_(&r, "<script>window.addEventListener('beforeprint',function(){"
              "document.querySelectorAll('details').forEach(function(e){e.open=true})});</script>\n");
    puts_(&r, "</body>\n</html>\n");
    return ct_out_commit(o, d);
}
