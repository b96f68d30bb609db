#define _XOPEN_SOURCE 700 /* realpath */
#include "ct_output.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/ct_file.h"
#include "../core/ct_tmpfile.h"
#include "ct_writebehind.h"

enum { BUF_SIZE = 1 << 16, WB_SIZE = 1 << 18, MAX_LINKS = 40 };

struct ct_out {
    FILE *f;
    char *path;      /* the path as given; NULL for stdout */
    char *target;    /* the file written: path with its symbolic links followed */
    char *tmp;       /* temporary path; NULL when writing in place */
    int failed;      /* errno of the first failed write, or 0 */
    int behind;      /* once a buffer is full, write behind (ct_out_write_behind) */
    ct_wb *wb;       /* the writer thread, once started */
    size_t len, cap;
    char *buf;       /* the buffer being filled (cap bytes): first, or the writer's */
    char first[BUF_SIZE];
};

static char *dup_n(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) { memcpy(p, s, n); p[n] = '\0'; }
    return p;
}

/* path with its symbolic links followed (the last one may point to a file
 * that does not exist yet). NULL with errno set on failure. */
static char *follow_links(const char *path)
{
    char *cur = dup_n(path, strlen(path));
    for (int i = 0; cur && i < MAX_LINKS; i++) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode)) return cur;
        char link[PATH_MAX];
        ssize_t n = readlink(cur, link, sizeof link - 1);
        if (n < 0) { free(cur); return NULL; }
        link[n] = '\0';
        char *next;
        const char *slash = strrchr(cur, '/');
        if (link[0] == '/' || !slash) next = dup_n(link, (size_t)n);
        else {
            size_t dl = (size_t)(slash - cur) + 1;
            next = malloc(dl + (size_t)n + 1);
            if (next) { memcpy(next, cur, dl); memcpy(next + dl, link, (size_t)n + 1); }
        }
        free(cur);
        cur = next;
    }
    if (cur) { free(cur); errno = ELOOP; }
    return NULL;
}

static ct_out *open_failed(ct_out *o, ct_diags *d, const char *fmt, const char *arg)
{
    ct_error_at(d, o->path, 0, 0, fmt, arg);
    free(o->path);
    free(o->target);
    free(o->tmp);
    free(o);
    return NULL;
}

ct_out *ct_out_open(const char *path, ct_diags *d)
{
    ct_out *o = calloc(1, sizeof *o);
    if (!o) { ct_error_at(d, path, 0, 0, "out of memory"); return NULL; }
    o->buf = o->first;
    o->cap = BUF_SIZE;
    if (!path || strcmp(path, "-") == 0) { o->f = stdout; return o; }
    o->path = dup_n(path, strlen(path));
    if (!o->path) return open_failed(o, d, "%s", "out of memory");
    struct stat st;
    int exists = stat(path, &st) == 0;   /* through every link, /proc's too */
    if (exists) {
        const char *input = ct_file_input_named(st.st_dev, st.st_ino);
        if (input) return open_failed(o, d, "is one of the inputs (%s); refusing to overwrite it: choose another output file", input);
        if (S_ISDIR(st.st_mode)) return open_failed(o, d, "cannot write: %s", "it is a folder");
    }
    if (exists && !S_ISREG(st.st_mode)) {
        /* a device or a FIFO (or /dev/stdout): written in place, never replaced */
        int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
        if (fd < 0 || !(o->f = fdopen(fd, "wb"))) {
            if (fd >= 0) close(fd);
            return open_failed(o, d, "cannot write: %s", strerror(errno));
        }
        return o;
    }
    /* a regular file, or a new one: the temporary file goes beside the file
     * that path names after its links (a link may name a file to be made) */
    o->target = exists ? realpath(path, NULL) : follow_links(path);
    if (!o->target) return open_failed(o, d, "cannot write: %s", strerror(errno));
    const char *slash = strrchr(o->target, '/');
    char *dir = slash ? dup_n(o->target, slash == o->target ? 1 : (size_t)(slash - o->target)) : NULL;
    if (slash && !dir) return open_failed(o, d, "%s", "out of memory");
    int fd = ct_tmpfile_create(dir, slash ? slash + 1 : o->target, &o->tmp);
    free(dir);
    if (fd < 0) return open_failed(o, d, "cannot write: %s", strerror(errno));
    if (exists) {
        /* the new file keeps the mode (and, for root, the owner) of the old */
        if (fchmod(fd, st.st_mode & 07777) != 0) { /* keep the umask's mode */ }
        if (geteuid() == 0 && fchown(fd, st.st_uid, st.st_gid) != 0) { /* keep root's */ }
    }
    o->f = fdopen(fd, "wb");
    if (!o->f) {
        int e = errno;
        close(fd);
        unlink(o->tmp);
        ct_tmpfile_forget(o->tmp);
        return open_failed(o, d, "cannot write: %s", strerror(e));
    }
    return o;
}

/* Writes (or hands to the writer thread) the buffer; the next is empty. */
static void flush(ct_out *o)
{
    if (o->wb) {
        ct_wb_submit(o->wb, o->len);
        o->buf = ct_wb_buffer(o->wb);
        o->len = 0;
        return;
    }
    if (o->len && !o->failed && fwrite(o->buf, 1, o->len, o->f) != o->len) o->failed = errno ? errno : EIO;
    o->len = 0;
    if (o->behind && !o->failed && (o->wb = ct_wb_start(o->f, WB_SIZE)) != NULL) {
        o->buf = ct_wb_buffer(o->wb);
        o->cap = WB_SIZE;
    }
}

/* Waits for the writer thread to write everything handed to it (discard:
 * drops what it has not written yet) and stops it. */
static void stop_writer(ct_out *o, int discard)
{
    if (!o->wb) return;
    if (!discard) ct_wb_submit(o->wb, o->len);
    int e = ct_wb_finish(o->wb, discard);
    if (e && !o->failed) o->failed = e;
    o->wb = NULL;
    o->buf = o->first;
    o->cap = BUF_SIZE;
    o->len = 0;
}

void ct_out_write_behind(ct_out *o) { o->behind = 1; }

void ct_out_write(ct_out *o, const char *s, size_t n)
{
    while (n > o->cap - o->len) {
        size_t k = o->cap - o->len;
        memcpy(o->buf + o->len, s, k);
        o->len += k;
        s += k;
        n -= k;
        flush(o);
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

void ct_out_puts(ct_out *o, const char *s) { ct_out_write(o, s, strlen(s)); }

char *ct_out_reserve(ct_out *o, size_t n)
{
    if (n > o->cap - o->len) flush(o);
    return o->buf + o->len;
}

void ct_out_advance(ct_out *o, size_t n) { o->len += n; }

void ct_out_char(ct_out *o, char c)
{
    if (o->len == o->cap) flush(o);
    o->buf[o->len++] = c;
}

static void free_out(ct_out *o)
{
    free(o->path);
    free(o->target);
    free(o->tmp);
    free(o);
}

ct_status ct_out_commit(ct_out *o, ct_diags *d)
{
    o->behind = 0;
    if (o->wb) stop_writer(o, 0);
    else flush(o);
    if (fflush(o->f) != 0 && !o->failed) o->failed = errno ? errno : EIO;
    if (ferror(o->f) && !o->failed) o->failed = EIO;
    ct_status st = CT_OK;
    if (o->path) {
        if (fclose(o->f) != 0 && !o->failed) o->failed = errno ? errno : EIO;
        if (o->tmp) {
            if (!o->failed && rename(o->tmp, o->target) != 0) o->failed = errno ? errno : EIO;
            if (o->failed) unlink(o->tmp);
            ct_tmpfile_forget(o->tmp);
        }
        if (o->failed) {
            ct_error_at(d, o->path, 0, 0, "cannot write: %s", strerror(o->failed));
            st = CT_EIO;
        }
    } else if (o->failed) {
        ct_error_at(d, "<stdout>", 0, 0, "cannot write: %s", strerror(o->failed));
        st = CT_EIO;
    }
    free_out(o);
    return st;
}

void ct_out_abort(ct_out *o)
{
    if (!o) return;
    stop_writer(o, 1);
    if (o->path) {
        fclose(o->f);
        if (o->tmp) {
            unlink(o->tmp);
            ct_tmpfile_forget(o->tmp);
        }
    }
    /* stdout: what is still buffered is dropped; what was flushed is out already */
    free_out(o);
}

static const char digit_pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* The decimal digits of a, written two at a time to end just before end;
 * returns where they start. */
static char *digits_before(unsigned long long a, char *end)
{
    while (a >= 100) {
        unsigned d = (unsigned)(a % 100);
        a /= 100;
        end -= 2;
        memcpy(end, digit_pairs + 2 * d, 2);
    }
    if (a >= 10) {
        end -= 2;
        memcpy(end, digit_pairs + 2 * a, 2);
    } else {
        *--end = (char)('0' + a);
    }
    return end;
}

static size_t format_integer(long long r, char *buf)
{
    char tmp[24];
    size_t n = 0;
    unsigned long long a = r < 0 ? 0ull - (unsigned long long)r : (unsigned long long)r;
    if (r < 0) buf[n++] = '-';
    if (a < 10) {
        buf[n++] = (char)('0' + a);
        buf[n] = '\0';
        return n;
    }
    char *d = digits_before(a, tmp + sizeof tmp);
    size_t k = (size_t)(tmp + sizeof tmp - d);
    memcpy(buf + n, d, k);
    n += k;
    buf[n] = '\0';
    return n;
}

size_t ct_out_format_integer(long long v, char *buf) { return format_integer(v, buf); }

size_t ct_out_format_number(double v, char *buf)
{
    if (!isfinite(v)) { buf[0] = '\0'; return 0; }
    if (fabs(v) >= 9e12) {
        /* from 2^53 every double is an integer: all its digits, exactly
         * (at most 309 of them); below, the six decimals after 16 digits */
        int whole = fabs(v) >= 9007199254740992.0;
        int n = snprintf(buf, CT_OUT_NUMBER_BUF, whole ? "%.0f" : "%.6f", v);
        if (n < 0 || n >= CT_OUT_NUMBER_BUF) { buf[0] = '\0'; return 0; }
        if (!whole) {
            while (n > 0 && buf[n - 1] == '0') n--;
            if (n > 0 && buf[n - 1] == '.') n--;
            buf[n] = '\0';
        }
        return (size_t)n;
    }
    if (v == (double)(long long)v) return format_integer(v == 0 ? 0 : (long long)v, buf);
    long long r = llround(v * 1e6);
    char tmp[40];
    size_t n = 0;
    int neg = r < 0;
    unsigned long long a = neg ? (unsigned long long)(-r) : (unsigned long long)r;
    unsigned long long ip = a / 1000000ull, fp = a % 1000000ull;
    if (neg && a) buf[n++] = '-';
    char *d = digits_before(ip, tmp + sizeof tmp);
    size_t k = (size_t)(tmp + sizeof tmp - d);
    memcpy(buf + n, d, k);
    n += k;
    if (fp) {
        buf[n++] = '.';
        char digits[6];
        unsigned f = (unsigned)fp;
        memcpy(digits, digit_pairs + 2 * (f / 10000), 2);
        memcpy(digits + 2, digit_pairs + 2 * (f / 100 % 100), 2);
        memcpy(digits + 4, digit_pairs + 2 * (f % 100), 2);
        size_t last = 5;
        while (digits[last] == '0') last--;
        memcpy(buf + n, digits, last + 1);
        n += last + 1;
    }
    buf[n] = '\0';
    return n;
}

void ct_out_number(ct_out *o, double v)
{
    char buf[CT_OUT_NUMBER_BUF];
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

void ct_out_html(ct_out *o, const char *s)
{
    const char *p = s ? s : "", *run = p;
    for (; *p; p++) {
        const char *rep = NULL;
        switch (*p) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        ct_out_write(o, run, (size_t)(p - run));
        ct_out_puts(o, rep);
        run = p + 1;
    }
    ct_out_write(o, run, (size_t)(p - run));
}
