/* The HTML progress report: one self-contained file (styles inside, every
 * chart inline as SVG, no external asset) with an official header, a first
 * page to read aloud (what was evaluated and monitored, the targets furthest
 * behind, the units to follow up), every target with the plan's own words,
 * the units lagging behind each target, the charts, the plans' feasibility
 * findings and the data completeness; readable on a phone, printable on A4
 * with page numbers. The sections are written by ct_report_*.c
 * (ct_report_parts.h). */
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
    const char *charts_dir;    /* where the charts' SVG files are (read and inlined) */
    const ct_report_finding *findings;
    size_t n_findings;
    ct_plot_lang lang;
    const char *as_of;         /* --as-of; NULL: the last period with data */
    const char *geography;     /* the geography the figures are computed on; may be NULL */
    const char *generated;     /* the date the report was made ("2026-11-30", or as given); may be NULL */
    const char *agency;        /* the issuing agency, printed at the top; may be NULL */
    const char *doc_number;    /* the document's number ("12/BC-SLĐTBXH"); may be NULL */
    const char *const *rules;  /* the Lua rules files applied */
    size_t n_rules;
    const ct_report_violations *violations; /* the data checks' findings; NULL: no check ran */
    size_t *n_inline;          /* if not NULL, each page written adds the charts it holds inline */
} ct_report_input;


/* Writes the report to path (whole or not at all, through ct_out). Returns
 * CT_OK, or CT_EIO with an error in d. */
ct_status ct_report_write(const ct_report_input *in, const char *path, ct_diags *d);

/* One unit's report in a batch (chitieu report --each LEVEL). */
typedef struct {
    const ct_plot_plan *plans;   /* the unit's plans (n_plans of them) */
    size_t n_plans;
    const char *href;            /* its file, relative to the index */
} ct_report_index_item;

/* Writes the index page of a batch: one line per unit with a link to its
 * report and its status counts, evaluated apart from monitored (whole or not
 * at all). Header fields of in are used as for a report; in->plans is unused. */
ct_status ct_report_index_write(const ct_report_input *in, const ct_report_index_item *items, size_t n,
                                const char *path, ct_diags *d);

#endif
