/* Progress charts through gnuplot: the data behind each chart (reported
 * series, targets, assessments, projections, transition bands), the gnuplot
 * script of each chart (trajectory, small multiples, status overview), and a
 * driver that renders a batch through one gnuplot process per worker,
 * reading gnuplot's stderr and giving each message to the chart it belongs to.
 * docs/charts.md describes the charts; docs/architecture.md the layers. */
#ifndef CT_PLOT_H
#define CT_PLOT_H

#include <stddef.h>

#include "../core/ct_error.h"
#include "../project/ct_assess.h"

/* ---- a growable text buffer ---------------------------------------------------- */

typedef struct {
    char *s;       /* NUL-terminated; NULL until the first write */
    size_t len, cap;
    int oom;       /* an allocation failed: the text is incomplete */
} ct_plot_buf;

void ct_plot_buf_put(ct_plot_buf *b, const char *s, size_t n);
void ct_plot_buf_puts(ct_plot_buf *b, const char *s);
void ct_plot_buf_printf(ct_plot_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ct_plot_buf_free(ct_plot_buf *b);

/* s as a gnuplot string expression: single-quoted (no `command` or backslash
 * substitution), ' doubled, a line break joined in as '."\n".', other
 * control characters as spaces. */
void ct_plot_gp_string(ct_plot_buf *b, const char *s);

/* s as a file name part: unchanged if it holds only [A-Za-z0-9._-], does
 * not start with '.' and fits; otherwise every other character replaced by
 * '_', cut to fit, and "~" plus 16 hex digits of a hash of s appended, so
 * that different texts never give the same name ("_" and a hash for an
 * empty string). Into buf of size bytes (at least 18 for the hash). */
void ct_plot_file_part(const char *s, char *buf, size_t size);

/* ---- words ------------------------------------------------------------------------ */

typedef ct_lang ct_plot_lang;
#define CT_PLOT_VI CT_LANG_VI
#define CT_PLOT_EN CT_LANG_EN
typedef enum { CT_PLOT_PNG, CT_PLOT_SVG, CT_PLOT_PDF } ct_plot_format;

/* Parses "vi"/"en" and "png"/"svg"/"pdf"; -1 if unknown. */
int ct_plot_lang_parse(const char *s, ct_plot_lang *out);
int ct_plot_format_parse(const char *s, ct_plot_format *out);
const char *ct_plot_format_ext(ct_plot_format f);

/* The words of a status (achieved, on_track...) in lang; an unknown status
 * (from a Lua rule) is returned as is. Static text. */
const char *ct_plot_status_label(const char *status, ct_plot_lang lang);

/* The theme colour variable of a status ("c_at_risk"; "c_other" if unknown). */
const char *ct_plot_status_var(const char *status);

/* The contract's statuses (ct_assess_statuses), in summary order; n is set to their number. */
const char *const *ct_plot_statuses(int *n);

/* ---- the data of a plan's charts ------------------------------------------------ */

enum { CT_PLOT_MAX_YEARS = 64 };

/* One indicator for one unit: everything its trajectory chart shows. */
typedef struct {
    const ct_plan *plan;
    const ct_indicator *ind;
    int ind_index, unit;
    int n;                                   /* yearly values with data */
    int year[CT_PLOT_MAX_YEARS];
    double value[CT_PLOT_MAX_YEARS];
    int reported[CT_PLOT_MAX_YEARS], expected[CT_PLOT_MAX_YEARS]; /* -1: none */
    ct_assessment *assess;                   /* one per target, in the plan's order */
    int n_assess;
    int final;                               /* index in assess of the last target; -1 */
    int n_proj;                              /* trend projection, after the latest year */
    int proj_year[CT_PLOT_MAX_YEARS];
    double proj[CT_PLOT_MAX_YEARS], proj_lo[CT_PLOT_MAX_YEARS], proj_hi[CT_PLOT_MAX_YEARS];
    int n_band;                              /* transition scenario band */
    int band_year[CT_PLOT_MAX_YEARS];
    double band_lo[CT_PLOT_MAX_YEARS], band_hi[CT_PLOT_MAX_YEARS];
} ct_plot_series;

/* A plan's chart data for the units charted. */
typedef struct {
    const ct_plan *plan;
    const ct_series *s;
    int n_ind;
    ct_plot_series **cell;   /* n_ind x s->n_units; NULL: not charted */
    int *units;              /* charted units, in file order (parents first) */
    int n_units;
    unsigned char *charted;  /* per unit: 1 when charted */
} ct_plot_plan;

/* Gathers a plan's chart data: for `level` >= 0 the units of that level in
 * the plan's region, otherwise the region and every level below it down to
 * the one above the finest level of the data (districts, not communes).
 * The result is owned by the caller (ct_plot_plan_free). CT_ENOMEM on failure. */
ct_status ct_plot_collect(const ct_plan *plan, const ct_series *s, int level, ct_lang lang, ct_plot_plan *pp);
void ct_plot_plan_free(ct_plot_plan *pp);

/* The unit's series for indicator i, or NULL when not charted. */
const ct_plot_series *ct_plot_get(const ct_plot_plan *pp, int ind, int unit);

/* The status of a series' final target ("insufficient_data" without one). */
const char *ct_plot_final_status(const ct_plot_series *ps);

/* ---- charts and their scripts ---------------------------------------------------- */

typedef enum { CT_CHART_TRAJECTORY, CT_CHART_MULTIPLES, CT_CHART_STATUS } ct_chart_kind;

typedef struct {
    ct_chart_kind kind;
    const ct_plot_plan *pp;
    int ind;                 /* trajectory and multiples */
    int unit;                /* trajectory: the unit; multiples: the parent */
    char rel[512];           /* path relative to OUT, without extension */
} ct_chart;

typedef struct {
    ct_plot_lang lang;
    ct_plot_format format;
} ct_plot_style;

/* Lists the charts of a plan: a trajectory per indicator and charted unit
 * (PLAN/INDICATOR/UNIT), small multiples of the charted children of every
 * unit (PLAN/INDICATOR/UNIT-children), and a status overview (PLAN/status).
 * Appends to *charts (realloc'ed; the caller frees it). */
ct_status ct_plot_list_charts(const ct_plot_plan *pp, ct_chart **charts, size_t *n, size_t *cap);

/* Writes the complete gnuplot script of a chart into b: it loads the theme
 * (OUT/theme.gp, by a path relative to the script) and writes the chart
 * beside the script, whatever the folder gnuplot runs in. */
void ct_plot_script(const ct_chart *c, const ct_plot_style *st, ct_plot_buf *b);

/* ---- the driver --------------------------------------------------------------------- */

/* One chart to render: its script, the folder it runs in, and the .gp file
 * named in messages. */
typedef struct {
    const char *script;
    const char *dir;         /* absolute folder; gnuplot changes into it first */
    const char *gp_path;     /* as shown in messages */
    int failed;              /* set by ct_plot_run */
} ct_plot_job;

typedef struct {
    const char *gnuplot;     /* program; NULL: $CHITIEU_GNUPLOT, else "gnuplot" from PATH */
    int workers;             /* gnuplot processes (default 2) */
    void (*progress)(size_t done, size_t total, void *ctx);
    void *progress_ctx;
} ct_plot_run_opts;

/* Renders the jobs through `workers` gnuplot processes, each started once
 * (fork/exec, pipes on stdin and stderr) and fed scripts in turn. Any text
 * gnuplot writes while rendering a chart is an error naming its .gp file
 * (job->failed is set); a gnuplot that exits early is restarted for the
 * remaining charts; the exit status of each is checked on close. Returns
 * CT_OK when every chart rendered, CT_EIO when some failed (errors in d),
 * CT_EUNSUPPORTED when gnuplot cannot be started at all. */
ct_status ct_plot_run(ct_plot_job *jobs, size_t n, const ct_plot_run_opts *opts, ct_diags *d);

#endif
