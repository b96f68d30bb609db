#include "ct_output.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { BUF_SIZE = 1 << 16 };

struct ct_out {
    FILE *f;
    char *path;      /* final path; NULL for stdout */
    char *tmp;       /* temporary path */
    int failed;      /* errno of the first failed write, or 0 */
    size_t len;
    char buf[BUF_SIZE];
};

ct_out *ct_out_open(const char *path, ct_diags *d)
{
    ct_out *o = calloc(1, sizeof *o);
    if (!o) { ct_error_at(d, path, 0, 0, "out of memory"); return NULL; }
    if (!path || strcmp(path, "-") == 0) { o->f = stdout; return o; }
    size_t n = strlen(path);
    o->path = malloc(n + 1);
    o->tmp = malloc(n + 32);
    if (!o->path || !o->tmp) { free(o->path); free(o->tmp); free(o); ct_error_at(d, path, 0, 0, "out of memory"); return NULL; }
    memcpy(o->path, path, n + 1);
    snprintf(o->tmp, n + 32, "%s.tmp.%ld", path, (long)getpid());
    o->f = fopen(o->tmp, "wb");
    if (!o->f) {
        ct_error_at(d, path, 0, 0, "cannot write: %s", strerror(errno));
        free(o->path); free(o->tmp); free(o);
        return NULL;
    }
    return o;
}

static void flush(ct_out *o)
{
    if (o->len && !o->failed && fwrite(o->buf, 1, o->len, o->f) != o->len) o->failed = errno ? errno : EIO;
    o->len = 0;
}

void ct_out_write(ct_out *o, const char *s, size_t n)
{
    if (n > BUF_SIZE - o->len) {
        flush(o);
        if (n > BUF_SIZE) {
            if (!o->failed && fwrite(s, 1, n, o->f) != n) o->failed = errno ? errno : EIO;
            return;
        }
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

void ct_out_puts(ct_out *o, const char *s) { ct_out_write(o, s, strlen(s)); }

void ct_out_char(ct_out *o, char c)
{
    if (o->len == BUF_SIZE) flush(o);
    o->buf[o->len++] = c;
}

ct_status ct_out_commit(ct_out *o, ct_diags *d)
{
    flush(o);
    if (fflush(o->f) != 0 && !o->failed) o->failed = errno ? errno : EIO;
    ct_status st = CT_OK;
    if (o->path) {
        if (fclose(o->f) != 0 && !o->failed) o->failed = errno ? errno : EIO;
        if (!o->failed && rename(o->tmp, o->path) != 0) o->failed = errno ? errno : EIO;
        if (o->failed) {
            remove(o->tmp);
            ct_error_at(d, o->path, 0, 0, "cannot write: %s", strerror(o->failed));
            st = CT_EIO;
        }
    } else if (o->failed) {
        ct_error_at(d, "<stdout>", 0, 0, "cannot write: %s", strerror(o->failed));
        st = CT_EIO;
    }
    free(o->path);
    free(o->tmp);
    free(o);
    return st;
}

void ct_out_abort(ct_out *o)
{
    if (!o) return;
    if (o->path) {
        fclose(o->f);
        remove(o->tmp);
    }
    /* stdout: what is still buffered is dropped; what was flushed is out already */
    free(o->path);
    free(o->tmp);
    free(o);
}

static size_t format_integer(long long r, char *buf)
{
    char tmp[24];
    size_t n = 0, k = 0;
    unsigned long long a = r < 0 ? 0ull - (unsigned long long)r : (unsigned long long)r;
    if (r < 0) buf[n++] = '-';
    do { tmp[k++] = (char)('0' + a % 10); a /= 10; } while (a);
    while (k) buf[n++] = tmp[--k];
    buf[n] = '\0';
    return n;
}

size_t ct_out_format_number(double v, char *buf)
{
    if (!isfinite(v)) { buf[0] = '\0'; return 0; }
    if (v == (double)(long long)v && fabs(v) < 1e15) return format_integer(v == 0 ? 0 : (long long)v, buf);
    if (fabs(v) >= 9e12) {
        int n = snprintf(buf, 40, "%.6f", v);
        while (n > 0 && buf[n - 1] == '0') n--;
        if (n > 0 && buf[n - 1] == '.') n--;
        buf[n] = '\0';
        return (size_t)n;
    }
    long long r = llround(v * 1e6);
    char tmp[40];
    size_t n = 0;
    int neg = r < 0;
    unsigned long long a = neg ? (unsigned long long)(-r) : (unsigned long long)r;
    unsigned long long ip = a / 1000000ull, fp = a % 1000000ull;
    if (neg && a) buf[n++] = '-';
    size_t k = 0;
    do { tmp[k++] = (char)('0' + ip % 10); ip /= 10; } while (ip);
    while (k) buf[n++] = tmp[--k];
    if (fp) {
        buf[n++] = '.';
        char digits[6];
        for (int i = 5; i >= 0; i--) { digits[i] = (char)('0' + fp % 10); fp /= 10; }
        int last = 5;
        while (digits[last] == '0') last--;
        for (int i = 0; i <= last; i++) buf[n++] = digits[i];
    }
    buf[n] = '\0';
    return n;
}

void ct_out_number(ct_out *o, double v)
{
    char buf[48];
    size_t n = ct_out_format_number(v, buf);
    ct_out_write(o, buf, n);
}

void ct_out_csv_field(ct_out *o, const char *s)
{
    if (!s) return;
    if (!strpbrk(s, ",\"\r\n")) { ct_out_puts(o, s); return; }
    ct_out_char(o, '"');
    for (; *s; s++) {
        if (*s == '"') ct_out_char(o, '"');
        ct_out_char(o, *s);
    }
    ct_out_char(o, '"');
}

size_t ct_out_format_csv_field(const char *s, char *buf, size_t size)
{
    size_t n = 0;
    int quote = s && strpbrk(s, ",\"\r\n") != NULL;
    if (!s || size < 3) { if (size) buf[0] = '\0'; return 0; }
    if (quote) buf[n++] = '"';
    for (; *s && n + 3 < size; s++) {
        if (*s == '"') buf[n++] = '"';
        buf[n++] = *s;
    }
    if (quote) buf[n++] = '"';
    buf[n] = '\0';
    return n;
}

void ct_out_json_string(ct_out *o, const char *s)
{
    ct_out_char(o, '"');
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') { ct_out_char(o, '\\'); ct_out_char(o, (char)c); }
        else if (c == '\n') ct_out_puts(o, "\\n");
        else if (c == '\r') ct_out_puts(o, "\\r");
        else if (c == '\t') ct_out_puts(o, "\\t");
        else if (c < 0x20) {
            char esc[8];
            snprintf(esc, sizeof esc, "\\u%04x", c);
            ct_out_puts(o, esc);
        } else ct_out_char(o, (char)c);
    }
    ct_out_char(o, '"');
}
