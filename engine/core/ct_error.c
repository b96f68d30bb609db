#include "ct_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ct_diags_init(ct_diags *d) { memset(d, 0, sizeof *d); }

void ct_diags_free(ct_diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->items[i].file);
        free(d->items[i].msg);
    }
    free(d->items);
    memset(d, 0, sizeof *d);
}

static char *dup_or_null(const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

void ct_diag_add(ct_diags *d, ct_severity sev, const char *file, int line,
                 int col, const char *fmt, ...)
{
    if (sev == CT_SEV_ERROR) d->n_errors++;
    else d->n_warnings++;
    size_t cap = d->cap_per_list ? d->cap_per_list : 1000;
    if (d->n >= cap) { d->n_dropped++; return; }
    if (d->n == d->cap) {
        size_t nc = d->cap ? d->cap * 2 : 16;
        ct_diag *ni = realloc(d->items, nc * sizeof *ni);
        if (!ni) { d->n_dropped++; return; }
        d->items = ni;
        d->cap = nc;
    }
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    ct_diag *dg = &d->items[d->n];
    dg->sev = sev;
    dg->file = dup_or_null(file);
    dg->line = line;
    dg->col = col;
    dg->msg = dup_or_null(buf);
    if (!dg->msg) { free(dg->file); d->n_dropped++; return; }
    d->n++;
}

void ct_diag_format(const ct_diag *dg, char *buf, size_t size)
{
    const char *sev = dg->sev == CT_SEV_ERROR ? "error" : "warning";
    const char *file = dg->file ? dg->file : "chitieu";
    if (dg->line > 0 && dg->col > 0)
        snprintf(buf, size, "%s:%d:%d: %s: %s", file, dg->line, dg->col, sev, dg->msg);
    else if (dg->line > 0)
        snprintf(buf, size, "%s:%d: %s: %s", file, dg->line, sev, dg->msg);
    else
        snprintf(buf, size, "%s: %s: %s", file, sev, dg->msg);
}

const char *ct_status_str(ct_status s)
{
    switch (s) {
    case CT_OK: return "ok";
    case CT_EINPUT: return "bad input";
    case CT_ENOMEM: return "out of memory";
    case CT_EIO: return "input/output error";
    case CT_EUNSUPPORTED: return "not supported";
    }
    return "unknown status";
}
