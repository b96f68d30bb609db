/* The gnuplot process driver: renders a batch of chart scripts through a
 * few gnuplot processes and gives each message to the chart it belongs to. */
#ifndef CT_GNUPLOT_H
#define CT_GNUPLOT_H

#include <stddef.h>

#include "../core/ct_error.h"
#include "ct_plot_buf.h"

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
