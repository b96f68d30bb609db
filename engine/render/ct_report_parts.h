/* What the sections of the HTML report share (internal to ct_report*.c):
 * the writing context, escaping, the words of numbers, periods, units and
 * statuses, status counts, and each section's writer:
 *   ct_report.c           the document: header, summary page, plan sections
 *   ct_report_table.c     the targets table of a unit, the units-below sections
 *   ct_report_lagging.c   the units lagging behind each target
 *   ct_report_overview.c  the status overview of the units below
 *   ct_report_complete.c  data completeness
 *   ct_report_charts.c    the charts, inline as SVG */
#ifndef CT_REPORT_PARTS_H
#define CT_REPORT_PARTS_H

#include <stddef.h>

#include "../core/ct_lang.h"
#include "ct_report.h"

typedef struct {
    ct_out *o;
    const ct_report_input *in;
    int n_fig;   /* figures written: the prefix that keeps their SVG ids apart */
} ct_rctx;

/* A word of the catalogue in the report's language. */
#define RW(r, id) ct_msg((r)->in->lang, CT_M_##id)

void ct_rp_esc(ct_rctx *r, const char *s);
void ct_rp_puts(ct_rctx *r, const char *s);
/* printf, the result HTML-escaped. */
void ct_rp_printf(ct_rctx *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A unit's own name (never its code unless it has no name). */
const char *ct_rp_unit_name(const ct_series *s, int u);
/* A value with its unit: "87,5%" or "1.234". */
void ct_rp_value(const ct_rctx *r, const ct_indicator *ind, double v, char *buf, size_t size);
/* A period in words. */
void ct_rp_period(const ct_rctx *r, ct_period p, char *buf, size_t size);
/* The words of an assessment's status: the one place the report reads them. */
const char *ct_rp_status_label(const ct_rctx *r, const ct_assessment *a);
/* A status chip (count < 0: no count). */
void ct_rp_chip(ct_rctx *r, const char *status, int count);

/* How far an assessment's latest value is short of its target, in the
 * indicator's units (> 0: short; <= 0: met); NaN without a latest value or target. */
double ct_rp_gap(const ct_assessment *a);
/* Whether a status is one to follow up (not achieved, off track, deteriorating, at risk). */
int ct_rp_behind(const char *status);

/* Status counts: [0] evaluations, [1] monitoring; each CT_ASSESS_N_STATUSES + 1 (a rule's own). */
typedef struct {
    int n[2][CT_ASSESS_N_STATUSES + 1];
    int total;
    const ct_assessment *own;   /* a rule's status counted apart, if only one */
    int own_mixed;
} ct_rp_counts;
/* A row's status chip: its label and colour through ct_assess_look (a rule's
 * own, else the theme's for the status); count < 0: no count. */
void ct_rp_chip_look(ct_rctx *r, const ct_assessment *a, int count);
void ct_rp_count_unit(const ct_plot_plan *pp, int u, ct_rp_counts *c);
int ct_rp_has_targets(const ct_plot_plan *pp, int u);
int ct_rp_subtree_has_targets(const ct_plot_plan *pp, int pos);
/* Chips of the counts; big: grouped under "evaluated" / "monitored" / "other". */
void ct_rp_chips_counts(ct_rctx *r, const ct_rp_counts *c, int big);

/* ct_report_table.c */
/* The target in the plan's own terms and its number: "giảm 50% (≤ 266,5) năm 2020". */
void ct_rp_target_text(const ct_rctx *r, const ct_assessment *a, char *buf, size_t size);
/* A note (or a finding) with its numbers and periods as the page says them. */
void ct_rp_note(ct_rctx *r, const char *note);
void ct_rp_unit_table(ct_rctx *r, const ct_plot_plan *pp, int u);
/* Whether unit u's latest value for indicator i rests on a smaller share of units than its
 * baseline: cnt gets the units reporting and expected at the latest year, then at the baseline. */
int ct_rp_coverage_drop(const ct_plot_plan *pp, int i, int u, const ct_assessment *a, int cnt[4]);
void ct_rp_unit_section(ct_rctx *r, const ct_plot_plan *pp, int pos);

/* ct_report_lagging.c */
void ct_rp_lagging(ct_rctx *r, const ct_plot_plan *pp);
/* The names of the units one level below the root that are behind on a
 * behind target of the root (a comma list) and what to say of those that did
 * not report (the sentence, "did not report: A, B", or that none of them
 * did), each cut to size; returns the number behind. */
int ct_rp_lagging_names(const ct_rctx *r, const ct_plot_plan *pp, char *behind, size_t bsize, char *silent, size_t ssize);

/* ct_report_overview.c */
/* The status overview of the units below the root: a table of units by indicators, each
 * cell the final target's status and latest value (empty where no target applies). */
void ct_rp_overview(ct_rctx *r, const ct_plot_plan *pp);

/* ct_report_complete.c */
void ct_rp_completeness(ct_rctx *r, const ct_plot_plan *pp);

/* ct_report_charts.c */
const ct_chart *ct_rp_find_chart(const ct_report_input *in, const ct_plot_plan *pp, ct_chart_kind k, int ind, int unit);
/* The chart that shows unit u for indicator i: its own trajectory, or its parent's small multiples. */
const ct_chart *ct_rp_chart_of(const ct_report_input *in, const ct_plot_plan *pp, int i, int u);
/* The anchor of a chart in the page ("fig-PLAN-REL"). */
void ct_rp_chart_anchor(ct_rctx *r, const ct_chart *c);
/* A chart inline as SVG (read from in->charts_dir), titled caption. */
void ct_rp_figure(ct_rctx *r, const ct_chart *c, const char *caption, int wide);
/* A plan's charts section. */
void ct_rp_charts(ct_rctx *r, const ct_plot_plan *pp);

#endif
