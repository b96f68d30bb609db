/* A growable text buffer, and strings made safe for gnuplot scripts and file names. */
#ifndef CT_PLOT_BUF_H
#define CT_PLOT_BUF_H

#include <stddef.h>

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

/* As ct_plot_file_part; with dash_ok 0 a '-' is replaced too (a unit's part
 * of UNIT-LEVEL names stays apart from the level). */
void ct_plot_file_part_sep(const char *s, char *buf, size_t size, int dash_ok);

#endif
