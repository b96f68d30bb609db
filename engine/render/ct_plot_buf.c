/* A growable text buffer, and strings made safe for gnuplot and file names. */
#include "ct_plot_buf.h"

#include <ctype.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- buffer ---------------------------------------------------------------------- */

void ct_plot_buf_put(ct_plot_buf *b, const char *s, size_t n)
{
    if (b->oom) return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n + 1) cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) { b->oom = 1; return; }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void ct_plot_buf_puts(ct_plot_buf *b, const char *s) { ct_plot_buf_put(b, s, strlen(s)); }

void ct_plot_buf_printf(ct_plot_buf *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof tmp) { ct_plot_buf_put(b, tmp, (size_t)n); return; }
    char *big = malloc((size_t)n + 1);
    if (!big) { b->oom = 1; return; }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    ct_plot_buf_put(b, big, (size_t)n);
    free(big);
}

void ct_plot_buf_free(ct_plot_buf *b)
{
    free(b->s);
    memset(b, 0, sizeof *b);
}

void ct_plot_gp_string(ct_plot_buf *b, const char *s)
{
    /* single quotes: gnuplot substitutes `commands` and backslash escapes only
     * inside double quotes; a line break is a "\n" joined by the . operator */
    ct_plot_buf_put(b, "'", 1);
    for (const char *p = s ? s : ""; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '\'') ct_plot_buf_put(b, "''", 2);
        else if (c == '\n') ct_plot_buf_put(b, "'.\"\\n\".'", 8);
        else if (c < 0x20 || c == 0x7f) ct_plot_buf_put(b, " ", 1);
        else ct_plot_buf_put(b, p, 1);
    }
    ct_plot_buf_put(b, "'", 1);
}

void ct_plot_file_part_sep(const char *s, char *buf, size_t size, int dash_ok)
{
    /* A name that has to change (a character replaced, a leading dot, cut
     * to fit) gets "~" and a hash of the whole text: '~' never appears in an
     * unchanged name, so two different texts never share a file name. */
    enum { HASH_LEN = 17 };   /* "~" and 16 hex digits */
    const char *t = s ? s : "";
    size_t len = strlen(t);
    int changed = len == 0 || len >= size || t[0] == '.';
    for (size_t i = 0; i < len && !changed; i++) {
        unsigned char c = (unsigned char)t[i];
        changed = !((isalnum(c) || c == '.' || c == '_' || (c == '-' && dash_ok)) && c < 0x80);
    }
    if (!changed) { memcpy(buf, t, len + 1); return; }
    if (size == 0) return;
    size_t room = size > HASH_LEN + 1 ? size - 1 - HASH_LEN : size - 1, n = 0;
    for (; t[n] && n < room; n++) {
        unsigned char c = (unsigned char)t[n];
        buf[n] = (isalnum(c) || c == '.' || c == '_' || (c == '-' && dash_ok)) && c < 0x80 ? (char)c : '_';
    }
    if (n == 0 && size > 1) buf[n++] = '_';
    if (n >= 1 && buf[0] == '.') buf[0] = '_';   /* no hidden files, no ".." */
    buf[n] = '\0';
    if (size > HASH_LEN + 1) {
        unsigned long long h = 1469598103934665603ULL;   /* FNV-1a, 64 bits */
        for (const char *q = t; *q; q++) h = (h ^ (unsigned char)*q) * 1099511628211ULL;
        snprintf(buf + n, size - n, "~%016llx", h);
    }
}

void ct_plot_file_part(const char *s, char *buf, size_t size) { ct_plot_file_part_sep(s, buf, size, 1); }

