/* The HTML progress report: one self-contained index.html (inline CSS, no
 * external assets) that summarises every target's status, shows the charts
 * rendered beside it (relative paths), the plans' feasibility findings and
 * the data completeness; readable on a phone and printable. */
#ifndef CT_REPORT_H
#define CT_REPORT_H

#include <stddef.h>

#include "ct_output.h"
#include "ct_plot.h"
#include "ct_report_checks.h"

/* One feasibility finding (text owned by the caller). */
typedef struct {
    const ct_plan *plan;
    const ct_indicator *ind;   /* may be NULL */
    const char *text;
} ct_report_finding;

typedef struct {
    const ct_plot_plan *plans;
    size_t n_plans;
    const ct_chart *charts;    /* the charts listed for the plans */
    const int *rendered;       /* per chart: 1 when its file exists */
    size_t n_charts;
    const char *ext;           /* chart file extension: "png" */
    const ct_report_finding *findings;
    size_t n_findings;
    ct_plot_lang lang;
    const char *as_of;         /* --as-of; NULL: the last period with data */
    const char *geography;     /* the geography the figures are computed on; may be NULL */
    const char *generated;     /* the date the report was made ("2026-11-30"); may be NULL */
    const char *const *rules;  /* the Lua rules files applied */
    size_t n_rules;
    const ct_report_violations *violations; /* the data checks' findings; NULL: no check ran */
} ct_report_input;


/* Writes the report to path (whole or not at all, through ct_out). Returns
 * CT_OK, or CT_EIO with an error in d. */
ct_status ct_report_write(const ct_report_input *in, const char *path, ct_diags *d);

#endif
