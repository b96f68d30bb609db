#include "ct_report.h"

#include "ct_report_tasks.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../compute/ct_compute.h"

typedef struct {
    const char *title, *generated, *summary, *targets_total, *plans, *status_chart, *targets, *charts,
        *feasibility, *no_findings, *completeness, *completeness_intro, *all_reported, *not_reported, *unit,
        *indicator, *target, *baseline, *latest, *projected, *status, *note, *chart, *open_chart, *missing_chart,
        *region, *horizon, *as_of, *none, *children, *reported_of, *print_hint, *geography, *made_on, *rules,
        *coverage, *coverage_fmt, *evaluated, *monitored, *other, *probability, *below, *units_below, *no_targets, *no_plan, *left_out;
} rwords;

static const rwords rw_vi = {
    "Báo cáo tiến độ thực hiện chỉ tiêu", "Lập bằng chitieu", "Tổng hợp", "mục tiêu", "Kế hoạch",
    "Tình trạng mục tiêu cuối cùng theo đơn vị", "Các mục tiêu", "Biểu đồ", "Tính khả thi của kế hoạch",
    "Không có nhận xét.", "Mức độ đầy đủ số liệu",
    "Đơn vị đã báo cáo / đơn vị phải báo cáo, ở năm gần nhất có số liệu.", "đủ", "Chưa báo cáo đầy đủ",
    "Đơn vị", "Chỉ tiêu", "Mục tiêu", "Cơ sở", "Gần nhất", "Dự báo", "Tình trạng", "Ghi chú", "Biểu đồ",
    "xem", "chưa có biểu đồ", "Địa bàn", "Kết thúc", "Số liệu đến", "—", "Các đơn vị trực thuộc",
    "đã báo cáo", "Bấm vào tên đơn vị để mở bảng mục tiêu của đơn vị; bản in giữ dòng tổng hợp của từng đơn vị.", "Địa giới hành chính", "Ngày lập",
    "Quy tắc Lua", "Số liệu năm %d", "%d/%d chỉ tiêu có số liệu; tỷ lệ đơn vị báo cáo thấp nhất: %s",
    "Mục tiêu đã đến hạn (đánh giá)", "Mục tiêu chưa đến hạn (theo dõi)", "Khác", "xác suất đạt",
    "Các đơn vị trực thuộc", "đơn vị trực thuộc", "Không có mục tiêu cho đơn vị này.",
    "Kế hoạch không bao gồm đơn vị này.", "Không bao gồm đơn vị này"};
static const rwords rw_en = {
    "Progress report on plan targets", "Made with chitieu", "Summary", "targets", "Plans",
    "Status of the final target by unit", "Targets", "Charts", "Plan feasibility", "No findings.",
    "Data completeness", "Units that reported / units expected to report, in the latest year with data.",
    "complete", "Not all units reported", "Unit", "Indicator", "Target", "Baseline", "Latest",
    "Projected", "Status", "Note", "Chart", "view", "no chart", "Region", "Horizon", "Data as of", "—",
    "Units below", "reported", "Select a unit's name to open its targets; a print keeps each unit's summary line.", "Geography",
    "Made on", "Lua rules", "Data for %d", "%d/%d indicators have data; the lowest share of units reporting: %s",
    "Targets due (evaluation)", "Targets ahead (monitoring)", "Other", "probability of meeting it",
    "Units below", "units below", "No target for this unit.", "The plan does not cover this unit.", "Not covering this unit"};

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
    "td.note{color:var(--muted);font-size:.82rem;min-width:12rem}\n"
    "td.ind{min-width:11rem;max-width:22rem}td.st{min-width:8.5rem}.sub{display:block;color:var(--muted);font-size:.78rem}\n"
    "dl.head{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .8rem;margin:.6rem 0}dl.head dt{color:var(--muted)}"
    "dl.head dd{margin:0}\n"
    ".groups{display:flex;flex-wrap:wrap;gap:.4rem 1.4rem}.groups div{margin:.2rem 0}.groups b{display:block;font-size:.85rem;"
    "color:var(--muted);font-weight:600}\n"
    "td.late{color:#8E2C00;font-weight:600}\n"
    "details{border:1px solid var(--line);border-radius:6px;margin:.5rem 0;padding:.2rem .6rem}\n"
    "details details{margin-left:.4rem}\n"
    "summary{cursor:pointer;font-weight:600;padding:.3rem 0}\n"
    "summary .chip{font-weight:400;margin-left:.25rem}\n"
    "figure{margin:1rem 0;page-break-inside:avoid;break-inside:avoid}\n"
    "figure img{max-width:100%;height:auto;border:1px solid var(--line);border-radius:4px;background:#fff}\n"
    "figcaption{color:var(--muted);font-size:.85rem}\n"
    ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(420px,100%),1fr));gap:1rem}\n"
    "figure.wide{grid-column:1/-1}\n"
    "ul.findings li{margin:.3rem 0}\n"
    "@media (max-width:640px){body{font-size:14px;padding:0 .6rem 2rem}.grid{grid-template-columns:1fr}"
    "td.note{min-width:10rem}h1{font-size:1.3rem}dl.head{grid-template-columns:1fr;gap:0;font-size:.9rem}dl.head dd{margin-bottom:.35rem}}\n"
    "@media print{nav,.noprint{display:none}body{max-width:none;font-size:8.5pt;padding:0}table{font-size:8pt}"
    "th,td{padding:.2rem .3rem}td.ind{width:26%}td.note{width:30%;font-size:7.5pt}"
    "details{border:none;padding:0;margin:.1rem 0}summary{list-style:none;padding:.1rem 0}a{color:inherit;text-decoration:none}"
    "section.plan+section.plan h2.plan{page-break-before:always;break-before:page}"
    ".tw{overflow:visible}.chip{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "tr{page-break-inside:avoid;break-inside:avoid}h2,h3{break-after:avoid;page-break-after:avoid}.grid{display:block}figure img{max-height:120mm;width:auto}"
    "td.note{min-width:0}td.ind{min-width:0}}\n"
    "@page{size:A4;margin:12mm}\n";

typedef struct {
    ct_out *o;
    const ct_report_input *in;
    const rwords *w;
} rctx;

static void esc(rctx *r, const char *s) { ct_out_html(r->o, s); }
static void puts_(rctx *r, const char *s) { ct_out_puts(r->o, s); }

/* A number for the page: counts without decimals, others with at most 4 significant digits. */
static const char *status_class(const char *st)
{
    int n;
    const char *const *sts = ct_plot_statuses(&n);
    for (int i = 0; i < n; i++)
        if (st && !strcmp(st, sts[i])) return sts[i];
    return "other";
}

static void chip_n(rctx *r, const char *status, int count)
{
    ct_out_puts(r->o, "<span class=\"chip s-");
    puts_(r, status_class(status));
    puts_(r, "\">");
    if (count >= 0) {
        char num[24];
        snprintf(num, sizeof num, "%d ", count);
        puts_(r, num);
    }
    esc(r, ct_plot_status_label(status, r->in->lang));
    puts_(r, "</span>");
}

static void chip(rctx *r, const char *status) { chip_n(r, status, -1); }

/* The chart of a kind for a plan, indicator and unit, if it was rendered. */
static const ct_chart *find_chart(const ct_report_input *in, const ct_plot_plan *pp, ct_chart_kind k, int ind, int unit)
{
    for (size_t i = 0; i < in->n_charts; i++) {
        const ct_chart *c = &in->charts[i];
        if (c->pp == pp && c->kind == k && (k == CT_CHART_STATUS || (c->ind == ind && c->unit == unit)))
            return in->rendered[i] ? c : NULL;
    }
    return NULL;
}

/* The chart that shows unit u for indicator i: its own trajectory, or the
 * small multiples of its parent (where it is a panel). */
static const ct_chart *chart_of(const ct_report_input *in, const ct_plot_plan *pp, int i, int u)
{
    const ct_chart *c = find_chart(in, pp, CT_CHART_TRAJECTORY, i, u);
    if (!c && pp->s->parent[u] >= 0) c = find_chart(in, pp, CT_CHART_MULTIPLES, i, pp->s->parent[u]);
    return c;
}

static void chart_href(rctx *r, const ct_chart *c)
{
    esc(r, c->rel);
    puts_(r, ".");
    esc(r, r->in->ext);
}

static void figure(rctx *r, const ct_chart *c, const char *caption, int wide)
{
    puts_(r, wide ? "<figure class=\"wide\"><a href=\"" : "<figure><a href=\"");
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

/* "Thanh Hóa (tỉnh 38)" */
static void unit_label(rctx *r, const ct_series *s, int u, int meta)
{
    esc(r, unit_name(s, u));
    puts_(r, meta ? " <span class=\"meta\">(" : " (");
    esc(r, ct_chart_level_word(s->level_name[s->level[u]], r->in->lang));
    puts_(r, " ");
    esc(r, s->code[u]);
    puts_(r, meta ? ")</span>" : ")");
}

static void target_text(const ct_assessment *a, char *buf, size_t size)
{
    const ct_target *t = a->target;
    char v[128];
    ct_chart_target_value(a, v, sizeof v);
    const char *pct = ct_indicator_is_percent(a->ind) ? "%" : "";
    const char *op = a->ind->direction < 0 ? "≤ " : "";
    if (t->each_period && t->from && t->to && t->from != t->to)
        snprintf(buf, size, "%s%s%s (%d–%d)", op, v, pct, t->from, t->to);
    else
        snprintf(buf, size, "%s%s%s (%d)", op, v, pct, a->target_year);
}

static void value_cell(rctx *r, int has, double v, ct_period p, const char *pct)
{
    puts_(r, "<td class=\"num\">");
    if (has) {
        char b1[48], pb[CT_PERIOD_BUF], buf[120];
        ct_chart_num_label(v, b1, sizeof b1);
        ct_period_format(p, pb);
        snprintf(buf, sizeof buf, "%s%s", b1, pct);
        esc(r, buf);
        puts_(r, "<span class=\"sub\">");
        esc(r, pb);
        puts_(r, "</span>");
    } else esc(r, r->w->none);
    puts_(r, "</td>");
}

/* The targets table of one unit; nothing when it has no target. */
static void unit_table(rctx *r, const ct_plot_plan *pp, int u)
{
    const rwords *w = r->w;
    int any = 0;
    for (int i = 0; i < pp->n_ind && !any; i++) {
        const ct_plot_series *ps = ct_plot_get(pp, i, u);
        any = ps && ps->n_assess > 0;
    }
    if (!any) return;
    const char *const heads[] = {w->indicator, w->target, w->baseline, w->latest, w->status, w->note};
    puts_(r, "<div class=\"tw\"><table><thead><tr>");
    for (size_t h = 0; h < sizeof heads / sizeof *heads; h++) {
        puts_(r, "<th>");
        esc(r, heads[h]);
        puts_(r, "</th>");
    }
    puts_(r, "</tr></thead><tbody>\n");
    for (int i = 0; i < pp->n_ind; i++) {
        const ct_plot_series *ps = ct_plot_get(pp, i, u);
        if (!ps || ps->n_assess == 0) continue;
        const ct_chart *c = chart_of(r->in, pp, i, u);
        for (int k = 0; k < ps->n_assess; k++) {
            const ct_assessment *a = &ps->assess[k];
            char buf[200], b1[48], b2[48], b3[48];
            const char *pct = ct_indicator_is_percent(a->ind) ? "%" : "";
            puts_(r, "<tr>");
            if (k == 0) {
                snprintf(buf, sizeof buf, "<td class=\"ind\" rowspan=\"%d\">", ps->n_assess);
                puts_(r, buf);
                if (c) {
                    puts_(r, "<a href=\"");
                    chart_href(r, c);
                    puts_(r, "\">");
                }
                esc(r, a->ind->title ? a->ind->title : a->ind->id);
                if (c) puts_(r, "</a>");
                puts_(r, "</td>");
            }
            puts_(r, "<td class=\"num\">");
            target_text(a, buf, sizeof buf);
            esc(r, buf);
            puts_(r, "</td>");
            value_cell(r, a->has_baseline, a->baseline_value, a->baseline_period, pct);
            value_cell(r, a->has_latest, a->latest_value, a->latest_period, pct);
            puts_(r, "<td class=\"st\">");
            chip(r, a->status);
            if (isfinite(a->probability)) {
                snprintf(buf, sizeof buf, "%s %.0f%%", w->probability, 100 * a->probability);
                puts_(r, "<span class=\"sub\">");
                esc(r, buf);
                puts_(r, "</span>");
            }
            if (!a->evaluated && isfinite(a->projected)) {
                ct_chart_num_label(a->projected, b1, sizeof b1);
                ct_chart_num_label(a->lower, b2, sizeof b2);
                ct_chart_num_label(a->upper, b3, sizeof b3);
                if (isfinite(a->lower) && isfinite(a->upper))
                    snprintf(buf, sizeof buf, "%s %d: %s%s [%s–%s]", w->projected, a->target_year, b1, pct, b2, b3);
                else
                    snprintf(buf, sizeof buf, "%s %d: %s%s", w->projected, a->target_year, b1, pct);
                puts_(r, "<span class=\"sub\">");
                esc(r, buf);
                puts_(r, "</span>");
            }
            puts_(r, "</td><td class=\"note\">");
            esc(r, a->note); /* with a closed region, an abolished level or a break (ct_assess) */
            puts_(r, "</td></tr>\n");
        }
    }
    puts_(r, "</tbody></table></div>\n");
}

/* Status counts: [0] evaluations, [1] monitoring; each CT_ASSESS_N_STATUSES + 1 (a rule's own). */
typedef struct {
    int n[2][CT_ASSESS_N_STATUSES + 1];
    int total;
} counts_t;

static void count_unit(const ct_plot_plan *pp, int u, counts_t *c)
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
            c->total++;
        }
    }
}

static int has_targets(const ct_plot_plan *pp, int u)
{
    counts_t c = {{{0}}, 0};
    count_unit(pp, u, &c);
    return c.total > 0;
}

/* Chips of the counts: evaluations (Đạt, Cơ bản đạt, Không đạt), monitoring
 * (Đúng tiến độ ... Đang xấu đi), then "no data" and "not applicable" apart. */
static void chips_counts(rctx *r, const counts_t *c, int big)
{
    int n;
    const char *const *sts = ct_plot_statuses(&n);
    const rwords *w = r->w;
    int nodata = c->n[0][7] + c->n[1][7], na = c->n[0][8] + c->n[1][8];
    if (!big) {
        for (int g = 0; g < 2; g++)
            for (int j = 0; j <= n; j++) {
                if (j == 7 || j == 8 || !c->n[g][j]) continue;
                chip_n(r, j < n ? sts[j] : "other", c->n[g][j]);
                puts_(r, " ");
            }
        if (nodata) { chip_n(r, sts[7], nodata); puts_(r, " "); }
        if (na) chip_n(r, sts[8], na);
        return;
    }
    puts_(r, "<div class=\"groups\">");
    const char *titles[3] = {w->evaluated, w->monitored, w->other};
    for (int g = 0; g < 3; g++) {
        int any = 0;
        for (int j = 0; j <= n && g < 2; j++) any |= j != 7 && j != 8 && c->n[g][j];
        if (g == 2) any = nodata || na;
        if (!any) continue;
        puts_(r, "<div><b>");
        esc(r, titles[g]);
        puts_(r, "</b><span class=\"chips\">");
        if (g < 2) {
            /* a rule's own status counts apart, in the group of its row */
            for (int j = 0; j <= n; j++)
                if (j != 7 && j != 8 && c->n[g][j]) { chip_n(r, j < n ? sts[j] : "other", c->n[g][j]); puts_(r, " "); }
        } else {
            if (nodata) { chip_n(r, sts[7], nodata); puts_(r, " "); }
            if (na) chip_n(r, sts[8], na);
        }
        puts_(r, "</span></div>");
    }
    puts_(r, "</div>\n");
}

/* Whether unit u or a unit below it has a target. */
static int subtree_has_targets(const ct_plot_plan *pp, int pos)
{
    int u = pp->units[pos];
    if (has_targets(pp, u)) return 1;
    for (int k = pos + 1; k < pp->n_units; k++)
        if (pp->s->parent[pp->units[k]] == u && subtree_has_targets(pp, k)) return 1;
    return 0;
}

/* A unit below the root: its table, then its children's sections (depth-first). */
static void unit_section(rctx *r, const ct_plot_plan *pp, int pos)
{
    const ct_series *s = pp->s;
    int u = pp->units[pos];
    if (!subtree_has_targets(pp, pos)) return;
    counts_t c = {{{0}}, 0};
    count_unit(pp, u, &c);
    puts_(r, "<details><summary>");
    unit_label(r, s, u, 1);
    puts_(r, " ");
    chips_counts(r, &c, 0);
    puts_(r, "</summary>\n");
    unit_table(r, pp, u);
    for (int k = pos + 1; k < pp->n_units; k++)
        if (s->parent[pp->units[k]] == u) unit_section(r, pp, k);
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
            puts_(r, "<h3>");
            esc(r, w->completeness);
            puts_(r, "</h3>\n<p class=\"meta\">");
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
        puts_(r, "<tr><td class=\"ind\">");
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
                if (listed) esc(r, "; ");
                esc(r, unit_name(s, c)); /* any length: not through buf */
                snprintf(buf, sizeof buf, " %d/%d", cs->reported[m], cs->expected[m]);
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
}

static void plan_anchor(rctx *r, const ct_plan *p)
{
    char part[128];
    ct_plot_file_part(p->id, part, sizeof part);
    puts_(r, "plan-");
    esc(r, part);
}

/* The as-of month of the report: --as-of, else the last month with data. */
static int report_asof_month(const ct_plot_plan *pp) { return ct_series_asof_month(pp->s); }

static void month_label(int month, char *buf, size_t size)
{
    int y = month / 12, m = month % 12;
    if (m == 11) snprintf(buf, size, "%d", y);
    else if (m == 5) snprintf(buf, size, "%dS1", y);
    else if (m % 3 == 2) snprintf(buf, size, "%dQ%d", y, m / 3 + 1);
    else snprintf(buf, size, "%d-%02d", y, m + 1);
}

static void plan_section(rctx *r, const ct_plot_plan *pp)
{
    const rwords *w = r->w;
    const ct_plan *plan = pp->plan;
    const ct_series *s = pp->s;
    puts_(r, "<section class=\"plan\" id=\"");
    plan_anchor(r, plan);
    puts_(r, "\"><h2 class=\"plan\">");
    esc(r, plan->title ? plan->title : plan->id);
    puts_(r, "</h2>\n<p class=\"meta\">");
    esc(r, plan->id);
    if (pp->root >= 0) {
        puts_(r, " · ");
        esc(r, w->region);
        puts_(r, ": ");
        unit_label(r, s, pp->root, 0);
    }
    char buf[160];
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
    if (pp->root < 0) {
        puts_(r, "<p>");
        esc(r, w->no_plan);
        puts_(r, "</p></section>\n");
        return;
    }
    counts_t c = {{{0}}, 0};
    count_unit(pp, pp->root, &c);
    chips_counts(r, &c, 1);

    puts_(r, "<h3>");
    esc(r, w->targets);
    puts_(r, ": ");
    esc(r, unit_name(s, pp->root));
    puts_(r, "</h3>\n");
    if (has_targets(pp, pp->root)) unit_table(r, pp, pp->root);
    else { puts_(r, "<p>"); esc(r, w->no_targets); puts_(r, "</p>\n"); }
    ct_report_tasks(r->o, pp, report_asof_month(pp), r->in->lang);

    int below = 0;
    for (int k = 1; k < pp->n_units && !below; k++) below = subtree_has_targets(pp, k);
    const ct_chart *sc = find_chart(r->in, pp, CT_CHART_STATUS, -1, -1);
    if (below) {
        counts_t cb = {{{0}}, 0};
        for (int k = 1; k < pp->n_units; k++) count_unit(pp, pp->units[k], &cb);
        puts_(r, "<h3>");
        esc(r, w->below);
        puts_(r, "</h3>\n");
        chips_counts(r, &cb, 1);
        if (sc) figure(r, sc, w->status_chart, 1);
        puts_(r, "<p class=\"meta noprint\">");
        esc(r, w->print_hint);
        puts_(r, "</p>\n");
        for (int k = 1; k < pp->n_units; k++)
            if (s->parent[pp->units[k]] == pp->root) unit_section(r, pp, k);
    }

    int any_chart = 0;
    for (int i = 0; i < pp->n_ind; i++) {
        const ct_chart *tc = find_chart(r->in, pp, CT_CHART_TRAJECTORY, i, pp->root);
        int any_multi = 0;
        for (int k = 0; k < pp->n_units && !any_multi; k++)
            any_multi = find_chart(r->in, pp, CT_CHART_MULTIPLES, i, pp->units[k]) != NULL;
        if (!tc && !any_multi) continue;
        if (!any_chart++) {
            puts_(r, "<h3>");
            esc(r, w->charts);
            puts_(r, "</h3>\n");
        }
        const char *title = plan->indicators[i].title ? plan->indicators[i].title : plan->indicators[i].id;
        puts_(r, "<div class=\"grid\">\n");
        if (tc) figure(r, tc, title, 0);
        for (int k = 0; k < pp->n_units; k++) {
            const ct_chart *mc = find_chart(r->in, pp, CT_CHART_MULTIPLES, i, pp->units[k]);
            if (!mc) continue;
            /* sized by what it holds: a long title or unit name is never cut */
            const char *un = unit_name(s, pp->units[k]);
            size_t capn = strlen(title) + strlen(w->children) + strlen(un) + 16;
            char *cap = malloc(capn);
            if (!cap) continue;
            snprintf(cap, capn, "%s — %s: %s", title, w->children, un);
            figure(r, mc, cap, 0);
            free(cap);
        }
        puts_(r, "</div>\n");
    }

    int nf = 0;
    for (size_t i = 0; i < r->in->n_findings; i++) {
        const ct_report_finding *f = &r->in->findings[i];
        if (f->plan != plan) continue;
        if (!nf++) {
            puts_(r, "<h3>");
            esc(r, w->feasibility);
            puts_(r, "</h3>\n<ul class=\"findings\">\n");
        }
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
    completeness(r, pp);
    puts_(r, "</section>\n");
}

/* The coverage of the reported year at the root: indicators with a value
 * for the as-of year, and the lowest share of units reporting. */
static void coverage_text(rctx *r, int year, char *buf, size_t size)
{
    int with = 0, all = 0, lo_rep = -1, lo_exp = 1;
    for (size_t p = 0; p < r->in->n_plans; p++) {
        const ct_plot_plan *pp = &r->in->plans[p];
        if (pp->root < 0) continue;
        for (int i = 0; i < pp->n_ind; i++) {
            const ct_plot_series *ps = ct_plot_get(pp, i, pp->root);
            if (!ps) continue;
            all++;
            for (int k = 0; k < ps->n; k++) {
                if (ps->year[k] != year) continue;
                if (isfinite(ps->value[k])) with++;
                if (ps->expected[k] > 0 && (lo_rep < 0 || (double)ps->reported[k] / ps->expected[k] < (double)lo_rep / lo_exp)) {
                    lo_rep = ps->reported[k];
                    lo_exp = ps->expected[k];
                }
            }
        }
    }
    char units[64];
    if (lo_rep < 0) snprintf(units, sizeof units, "%s", r->w->none);
    else if (lo_rep >= lo_exp) snprintf(units, sizeof units, "%s", r->w->all_reported);
    else snprintf(units, sizeof units, "%d/%d (%.0f%%)", lo_rep, lo_exp, 100.0 * lo_rep / lo_exp);
    snprintf(buf, size, r->w->coverage_fmt, with, all, units);
}

static void head_item(rctx *r, const char *dt)
{
    puts_(r, "<dt>");
    esc(r, dt);
    puts_(r, "</dt><dd>");
}

ct_status ct_report_write(const ct_report_input *in, const char *path, ct_diags *d)
{
    ct_out *o = ct_out_open(path, d);
    if (!o) return CT_EIO;
    rctx r = {o, in, in->lang == CT_PLOT_EN ? &rw_en : &rw_vi};
    const rwords *w = r.w;
    const ct_plot_plan *first = NULL;
    for (size_t i = 0; i < in->n_plans && !first; i++)
        if (in->plans[i].root >= 0) first = &in->plans[i];
    puts_(&r, "<!DOCTYPE html>\n<html lang=\"");
    puts_(&r, in->lang == CT_PLOT_EN ? "en" : "vi");
    puts_(&r, "\">\n<head>\n<meta charset=\"utf-8\">\n"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    esc(&r, w->title);
    if (first) {
        puts_(&r, " — ");
        esc(&r, unit_name(first->s, first->root));
    }
    puts_(&r, "</title>\n<style>\n");
    puts_(&r, css);
    puts_(&r, "</style>\n</head>\n<body>\n<header><h1>");
    esc(&r, w->title);
    if (first) {
        puts_(&r, " — ");
        esc(&r, unit_name(first->s, first->root));
    }
    puts_(&r, "</h1>\n<dl class=\"head\">");
    head_item(&r, w->plans);
    int listed = 0, left_out = 0;
    for (size_t i = 0; i < in->n_plans; i++) {
        const ct_plan *p = in->plans[i].plan;
        if (in->plans[i].root < 0) { left_out++; continue; }
        if (listed++) puts_(&r, "<br>");
        puts_(&r, "<a href=\"#");
        plan_anchor(&r, p);
        puts_(&r, "\">");
        esc(&r, p->title ? p->title : p->id);
        puts_(&r, "</a> <span class=\"meta\">(");
        esc(&r, p->id);
        puts_(&r, ")</span>");
    }
    puts_(&r, "</dd>");
    if (left_out) {   /* plans given that do not cover the unit */
        head_item(&r, w->left_out);
        int k = 0;
        for (size_t i = 0; i < in->n_plans; i++)
            if (in->plans[i].root < 0) {
                if (k++) puts_(&r, ", ");
                esc(&r, in->plans[i].plan->id);
            }
        puts_(&r, "</dd>");
    }
    char buf[300];
    int asof_year = 0;
    if (first) {
        head_item(&r, w->region);
        unit_label(&r, first->s, first->root, 0);
        puts_(&r, "</dd>");
        int am = report_asof_month(first);
        int complete = am % 12 == 11 ? am / 12 : am / 12 - 1;   /* the last complete year */
        /* the period reported: the last complete year with a value at the root */
        for (size_t p = 0; p < in->n_plans; p++) {
            const ct_plot_plan *pp = &in->plans[p];
            for (int i = 0; pp->root >= 0 && i < pp->n_ind; i++) {
                const ct_plot_series *ps = ct_plot_get(pp, i, pp->root);
                for (int k = 0; ps && k < ps->n; k++)
                    if (isfinite(ps->value[k]) && ps->year[k] <= complete && ps->year[k] > asof_year) asof_year = ps->year[k];
            }
        }
        if (!asof_year) asof_year = complete;
        char ab[32];
        if (am / 12 > asof_year) snprintf(ab, sizeof ab, "%d", asof_year);   /* the plan's data end before */
        else month_label(am, ab, sizeof ab);
        head_item(&r, w->as_of);
        esc(&r, in->as_of ? in->as_of : ab);
        puts_(&r, "</dd>");
    }
    if (in->geography && in->geography[0]) {
        head_item(&r, w->geography);
        esc(&r, in->geography);
        puts_(&r, "</dd>");
    }
    if (in->generated) {
        head_item(&r, w->made_on);
        esc(&r, in->generated);
        puts_(&r, "</dd>");
    }
    if (in->n_rules) {
        head_item(&r, w->rules);
        for (size_t i = 0; i < in->n_rules; i++) {
            if (i) puts_(&r, ", ");
            esc(&r, in->rules[i]);
        }
        puts_(&r, "</dd>");
    }
    if (first) {
        char t[64];
        snprintf(t, sizeof t, w->coverage, asof_year);
        head_item(&r, t);
        coverage_text(&r, asof_year, buf, sizeof buf);
        esc(&r, buf);
        puts_(&r, "</dd>");
    }
    puts_(&r, "</dl></header>\n<section id=\"summary\"><h2 class=\"first\">");
    esc(&r, w->summary);
    puts_(&r, "</h2>\n");
    for (size_t i = 0; i < in->n_plans; i++) {
        const ct_plot_plan *pp = &in->plans[i];
        if (pp->root < 0) continue;
        counts_t c = {{{0}}, 0};
        count_unit(pp, pp->root, &c);
        puts_(&r, "<h3><a href=\"#");
        plan_anchor(&r, pp->plan);
        puts_(&r, "\">");
        esc(&r, pp->plan->title ? pp->plan->title : pp->plan->id);
        puts_(&r, "</a></h3>\n<p class=\"meta\">");
        unit_label(&r, pp->s, pp->root, 0);
        snprintf(buf, sizeof buf, ": %d %s", c.total, w->targets_total);
        esc(&r, buf);
        puts_(&r, "</p>\n");
        chips_counts(&r, &c, 1);
    }
    puts_(&r, "</section>\n");
    for (size_t i = 0; i < in->n_plans; i++)
        if (in->plans[i].root >= 0) plan_section(&r, &in->plans[i]);
    puts_(&r, "<p class=\"meta\">");
    esc(&r, w->generated);
    puts_(&r, "</p>\n");
    puts_(&r, "</body>\n</html>\n");
    return ct_out_commit(o, d);
}
