/* Diagnostics: errors and warnings as values, each with a place.
 * Library code never prints; it appends to a ct_diags list that the CLI prints. */
#ifndef CT_ERROR_H
#define CT_ERROR_H

#include <stddef.h>

typedef enum {
    CT_OK = 0,
    CT_EINPUT,      /* bad input: see the diagnostics */
    CT_ENOMEM,      /* out of memory */
    CT_EIO,         /* a file could not be read or written */
    CT_EUNSUPPORTED /* a feature that is not available */
} ct_status;

typedef enum { CT_SEV_ERROR, CT_SEV_WARNING } ct_severity;

typedef struct {
    ct_severity sev;
    char *file;   /* owned; NULL when no file is involved */
    int line;     /* 1-based; 0 when unknown */
    int col;      /* 1-based; 0 when unknown */
    char *msg;    /* owned */
} ct_diag;

typedef struct {
    ct_diag *items;
    size_t n, cap;
    size_t n_errors, n_warnings;
    size_t n_dropped;    /* diagnostics not kept because of the cap */
    size_t cap_per_list; /* keep at most this many (0: default 1000) */
} ct_diags;

void ct_diags_init(ct_diags *d);
void ct_diags_free(ct_diags *d);

/* Appends a diagnostic (printf-style message). Never fails visibly: on
 * out-of-memory the diagnostic is counted but not kept. */
void ct_diag_add(ct_diags *d, ct_severity sev, const char *file, int line,
                 int col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

#define ct_error_at(d, file, line, col, ...) \
    ct_diag_add((d), CT_SEV_ERROR, (file), (line), (col), __VA_ARGS__)
#define ct_warn_at(d, file, line, col, ...) \
    ct_diag_add((d), CT_SEV_WARNING, (file), (line), (col), __VA_ARGS__)

/* Formats one diagnostic as "FILE:LINE[:COL]: error: MESSAGE" into buf. */
void ct_diag_format(const ct_diag *dg, char *buf, size_t size);

/* A short English text for a status. */
const char *ct_status_str(ct_status s);

#endif
