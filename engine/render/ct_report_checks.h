/* The report's data-quality section: the violations of the data checks
 * (check_rule) listed by unit, each with its rule, period, importance and
 * message. Self-contained: the report places it where it sees fit. */
#ifndef CT_REPORT_CHECKS_H
#define CT_REPORT_CHECKS_H

#include <stddef.h>

#include "../rules/ct_rules.h"
#include "ct_output.h"
#include "ct_plot.h"

typedef struct {
    char *rule, *message;      /* owned */
    const char *importance;    /* "high", "medium" or "low" (static) */
    int unit;
    char period[CT_PERIOD_BUF]; /* "" for a whole-series check without a period */
} ct_report_violation;

/* The violations collected for the report; ct_report_violations_free. */
typedef struct {
    ct_report_violation *items;
    size_t n, cap;
    int oom;                   /* a violation could not be kept */
} ct_report_violations;

/* A ct_violation_fn: keeps a copy of v in ctx (a ct_report_violations). */
int ct_report_violations_add(const ct_violation *v, void *ctx);
void ct_report_violations_free(ct_report_violations *l);

/* Writes the section (a heading and a table by unit, in the order of
 * units.csv) for the units of the subtree of root, or a sentence saying the
 * checks found nothing when l has none there. Writes nothing when l is NULL
 * (no data checks ran). */
void ct_report_data_quality(ct_out *o, const ct_series *s, int root, const ct_report_violations *l, ct_plot_lang lang);

#endif
