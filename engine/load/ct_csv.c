#define _DEFAULT_SOURCE
#include "ct_csv.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "../core/ct_file.h"
#include "../core/ct_number.h"

static char empty_data[1];

/* The line (1-based) and column (1-based, in bytes) of offset at. */
static void place_of(const char *s, size_t at, int *line, int *col)
{
    int l = 1;
    size_t start = 0;
    for (const char *p = s; (p = memchr(p, '\n', at - (size_t)(p - s))) != NULL; p++) { l++; start = (size_t)(p - s) + 1; }
    *line = l;
    *col = (int)(at - start) + 1;
}

/* The length of the UTF-8 sequence at s[i] (at most n - i bytes), or 0 when
 * it is not valid (overlong, surrogate, past U+10FFFF, cut short). */
static size_t utf8_seq(const unsigned char *s, size_t i, size_t n)
{
    unsigned c = s[i];
    size_t len;
    unsigned min;
    if (c < 0x80) return c ? 1 : 0;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; min = 0x10000; }
    else return 0;
    if (n - i < len) return 0;
    unsigned cp = c & (0x7Fu >> len);
    for (size_t k = 1; k < len; k++) {
        if ((s[i + k] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i + k] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

/* Refuses a file with a NUL byte or text that is not UTF-8 (an error at its
 * line and column). ASCII is checked eight bytes at a time. */
static int check_text(const char *path, const char *data, size_t from, size_t n, int line0, ct_diags *d)
{
    const unsigned char *s = (const unsigned char *)data;
    const uint64_t high = 0x8080808080808080ull, ones = 0x0101010101010101ull;
    size_t i = from;
    while (i < n) {
#ifdef __SSE2__
        if (n - i >= 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            if (!_mm_movemask_epi8(_mm_or_si128(v, _mm_cmpeq_epi8(v, _mm_setzero_si128())))) {
                i += 16; /* no high bit, no zero byte */
                continue;
            }
        }
#endif
        if (n - i >= 8) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!((w | ((w - ones) & ~w)) & high)) { i += 8; continue; } /* no high bit, no zero byte */
        }
        size_t len = utf8_seq(s, i, n);
        if (len) { i += len; continue; }
        int line, col;
        place_of(data, i, &line, &col);
        line += line0 - 1;
        if (s[i] == 0) ct_error_at(d, path, line, col, "a NUL byte; the file must be UTF-8 text");
        else ct_error_at(d, path, line, col, "invalid UTF-8 (byte 0x%02X); save the file as UTF-8", s[i]);
        return -1;
    }
    return 0;
}

ct_status ct_csv_open(ct_csv *r, const char *path, ct_diags *d)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->line = 1;
    r->line0 = 1;
    r->eof = 1;
    size_t size;
    int fd = ct_file_open_input(path, "a data file", &size, d);
    if (fd < 0) return CT_EIO;
    r->size = size;
    if (r->size == 0) {
        r->data = empty_data;
        close(fd);
        return CT_OK;
    }
    /* read, not mapped: a file cut short while it is read is an error, not
     * a SIGBUS */
    void *m = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        ct_error_at(d, path, 0, 0, "cannot read: %s", strerror(errno));
        close(fd);
        return CT_EIO;
    }
    r->data = m;
    size_t got = 0;
    while (got < r->size) {
        ssize_t n = read(fd, r->data + got, r->size - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            ct_error_at(d, path, 0, 0, "cannot read: %s", strerror(errno));
            break;
        }
        if (n == 0) {
            ct_error_at(d, path, 0, 0, "the file became shorter while it was read (%zu of %zu bytes); read it again", got,
                        r->size);
            break;
        }
        got += (size_t)n;
    }
    close(fd);
    if (got < r->size) { ct_csv_close(r); return CT_EIO; }
    if (check_text(path, r->data, 0, r->size, 1, d) != 0) { ct_csv_close(r); return CT_EINPUT; }
    if (r->size >= 3 && memcmp(r->data, "\xEF\xBB\xBF", 3) == 0) r->pos = 3;
    return CT_OK;
}

void ct_csv_close(ct_csv *r)
{
    if (r->stream) {
        free(r->data);
        if (r->fd >= 0) close(r->fd);
        r->fd = -1;
        r->stream = 0;
    } else if (r->data && r->data != empty_data) {
        munmap(r->data, r->size);
    }
    r->data = NULL;
}

enum { STREAM_WINDOW = 256 << 10 }; /* small enough to be parsed while still in the cache */

/* Streaming: keeps the bytes from keep_from on (a row start, at line
 * keep_line), moved to the front, and reads more, up to the last whole line
 * (or the end of the file); checks the new text. Offsets into the buffer
 * shift down by keep_from, and the buffer may move. */
static ct_status refill(ct_csv *r, size_t keep_from, int keep_line)
{
    if (r->fatal != CT_OK) return r->fatal;
    size_t keep = r->avail - keep_from, checked = r->size - keep_from;
    if (keep) memmove(r->data, r->data + keep_from, keep);
    r->base += keep_from;
    r->avail = keep;
    r->pos -= keep_from;
    r->size = checked;
    r->line0 = keep_line;
    for (;;) {
        if (r->avail == r->cap) {
            size_t nc = r->cap ? r->cap * 2 : STREAM_WINDOW;
            char *nd = realloc(r->data, nc);
            if (!nd) return r->fatal = CT_ENOMEM;
            r->data = nd;
            r->cap = nc;
        }
        while (!r->eof && r->avail < r->cap) {
            ssize_t n = read(r->fd, r->data + r->avail, r->cap - r->avail);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
                ct_error_at(r->fatal_d, r->path, 0, 0, "cannot read: %s", strerror(errno));
                return r->fatal = CT_EIO;
            }
            if (n == 0) r->eof = 1;
            r->avail += (size_t)n;
        }
        size_t end = r->avail;
        if (!r->eof) {
            const char *p = r->data + r->avail;
            while (p > r->data + checked && p[-1] != '\n') p--;
            end = (size_t)(p - r->data);
        }
        if (end > checked || r->eof) {
            if (!r->unchecked && check_text(r->path, r->data, checked, end, r->line0, r->fatal_d) != 0)
                return r->fatal = CT_EINPUT;
            r->size = end;
            return CT_OK;
        }
        /* no whole line in the window: read on into a larger one */
    }
}

ct_status ct_csv_stream_at(ct_csv *r, const char *path, size_t from, ct_diags *d)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->line = 1;
    r->line0 = 1;
    r->fatal_d = d;
    r->fd = ct_file_open_input(path, "a data file", NULL, d);
    if (r->fd < 0) return CT_EIO;
    r->stream = 1;
    r->base = from;
    if (from && lseek(r->fd, (off_t)from, SEEK_SET) != (off_t)from) {
        ct_error_at(d, path, 0, 0, "cannot read: %s", strerror(errno));
        ct_csv_close(r);
        return CT_EIO;
    }
    ct_status st = refill(r, 0, 1);
    if (st != CT_OK) { ct_csv_close(r); return st; }
    if (from == 0 && r->size >= 3 && memcmp(r->data, "\xEF\xBB\xBF", 3) == 0) r->pos = 3;
    return CT_OK;
}

ct_status ct_csv_stream(ct_csv *r, const char *path, ct_diags *d)
{
    return ct_csv_stream_at(r, path, 0, d);
}

ct_status ct_csv_rewind(ct_csv *r)
{
    if (!r->stream) return CT_OK;
    if (lseek(r->fd, 0, SEEK_SET) != 0) {
        ct_error_at(r->fatal_d, r->path, 0, 0, "cannot read: %s", strerror(errno));
        return r->fatal = CT_EIO;
    }
    r->avail = r->size = r->pos = r->base = 0;
    r->eof = 0;
    r->fatal = CT_OK; /* read again: what fails is reported again */
    r->line = r->row_line = 1;
    ct_status st = refill(r, 0, 1);
    if (st == CT_OK && r->size >= 3 && memcmp(r->data, "\xEF\xBB\xBF", 3) == 0) r->pos = 3;
    return st;
}

static void skip_line(ct_csv *r)
{
    while (r->pos < r->size && r->data[r->pos] != '\n') r->pos++;
    if (r->pos < r->size) { r->pos++; r->line++; }
}

/* Reads a quoted field starting after its opening quote; unescapes "" in place. */
static int read_quoted(ct_csv *r, ct_field *f, ct_field *done, int n_done, size_t *row_start, ct_diags *d)
{
    char *s = r->data;
    size_t start = r->pos, out = r->pos;
    int start_line = r->line;
    for (;;) {
        if (r->pos >= r->size && r->stream && !r->eof && r->fatal == CT_OK) {
            /* the field goes on past the window: keep the row, read more */
            const char *old = r->data;
            size_t from = *row_start;
            if (refill(r, from, r->row_line) != CT_OK) return -1;
            for (int i = 0; i < n_done; i++) done[i].ptr = r->data + ((done[i].ptr - old) - (ptrdiff_t)from);
            start -= from;
            out -= from;
            *row_start = 0;
            s = r->data;
            continue;
        }
        if (r->pos >= r->size) {
            ct_error_at(d, r->path, start_line, 0, "quoted field is not closed before the end of the file");
            return -1;
        }
        char c = s[r->pos++];
        if (c == '"') {
            if (r->pos < r->size && s[r->pos] == '"') {
                s[out++] = '"';
                r->pos++;
                continue;
            }
            break;
        }
        if (c == '\n') r->line++;
        s[out++] = c;
    }
    f->ptr = s + start;
    f->len = out - start;
    return 0;
}

/* The bytes of w equal to c: the high bit of each is set, and perhaps that
 * of a byte above a match (a borrow), so every hit is confirmed by reading
 * the byte. */
static inline uint64_t bytes_equal(uint64_t w, unsigned char c)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t x = w ^ (c * ones);
    return (x - ones) & ~x & high;
}

enum { SCAN_WIDTH = 16 };

/* Bit k set (perhaps falsely: confirm) when p[k] is a comma, a line end or a
 * quote, for the SCAN_WIDTH bytes at p (or the n < SCAN_WIDTH left). */
static inline uint32_t delimiters(const char *p, size_t n)
{
    uint32_t bits = 0;
    if (n >= SCAN_WIDTH) {
#ifdef __SSE2__
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')),
                                                _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
                                   _mm_cmpeq_epi8(v, _mm_set1_epi8('"')));
        return (uint32_t)_mm_movemask_epi8(hit);
#else
        for (int half = 0; half < 2; half++) {
            uint64_t w;
            memcpy(&w, p + 8 * half, 8);
            uint64_t m = bytes_equal(w, ',') | bytes_equal(w, '\n') | bytes_equal(w, '"');
            for (; m; m &= m - 1) bits |= 1u << (8 * half + (__builtin_ctzll(m) >> 3));
        }
        return bits;
#endif
    }
    for (size_t k = 0; k < n; k++)
        if (p[k] == ',' || p[k] == '\n' || p[k] == '"') bits |= 1u << k;
    return bits;
}

/* The common case: a line without quotes, split in one pass over its bytes,
 * SCAN_WIDTH at a time. Returns the field count, or -1 when the line has a
 * quote (the general path handles it). */
static int next_plain(ct_csv *r, ct_field *fields, int max)
{
    const char *s = r->data + r->pos, *end = r->data + r->size;
    const char *p = s, *start = s, *nl = NULL;
    int n = 0;
    while (!nl && p < end) {
        size_t width = (size_t)(end - p) < SCAN_WIDTH ? (size_t)(end - p) : SCAN_WIDTH;
        for (uint32_t hits = delimiters(p, width); hits; hits &= hits - 1) {
            const char *q = p + __builtin_ctz(hits);
            if (*q == ',') {
                if (n < max) { fields[n].ptr = start; fields[n].len = (size_t)(q - start); }
                n++;
                start = q + 1;
            } else if (*q == '\n') {
                nl = q;
                break;
            } else if (*q == '"') {
                return -1;
            }
        }
        p += width;
    }
    const char *stop = nl ? nl : end;
    if (stop > start && stop[-1] == '\r') stop--; /* CRLF */
    if (n < max) { fields[n].ptr = start; fields[n].len = (size_t)(stop - start); }
    n++;
    r->pos = (size_t)((nl ? nl + 1 : end) - r->data);
    if (nl) r->line++;
    return n;
}

int ct_csv_next(ct_csv *r, ct_field *fields, int max, ct_diags *d)
{
    if (r->stream && r->pos >= r->size && !r->eof && refill(r, r->pos, r->line) != CT_OK) return 0;
    if (r->fatal != CT_OK) return 0;
    const char *s = r->data;
    /* skip blank lines */
    while (r->pos < r->size || (r->stream && !r->eof)) {
        if (r->pos >= r->size) {
            if (refill(r, r->pos, r->line) != CT_OK) return 0;
            s = r->data;
            continue;
        }
        if (s[r->pos] == '\n') { r->pos++; r->line++; continue; }
        if (s[r->pos] == '\r' && r->pos + 1 < r->size && s[r->pos + 1] == '\n') {
            r->pos += 2; r->line++; continue;
        }
        break;
    }
    if (r->pos >= r->size) return 0;
    r->row_line = r->line;
    int plain = next_plain(r, fields, max);
    if (plain >= 0) return plain;
    size_t row_start = r->pos;
    int n = 0;
    for (;;) {
        ct_field f;
        if (r->pad_quotes) { /* spaces before a quote: the quoted field */
            size_t q = r->pos;
            while (q < r->size && (s[q] == ' ' || s[q] == '\t')) q++;
            if (q < r->size && s[q] == '"') r->pos = q;
        }
        if (s[r->pos] == '"' && r->pos < r->size) {
            r->pos++;
            int rc = read_quoted(r, &f, fields, n < max ? n : max, &row_start, d);
            s = r->data;
            if (rc != 0) { r->pos = r->size; return -1; }
            if (r->pad_quotes)
                while (r->pos < r->size && (s[r->pos] == ' ' || s[r->pos] == '\t')) r->pos++;
            if (r->pos < r->size && s[r->pos] != ',' && s[r->pos] != '\n' &&
                !(s[r->pos] == '\r' && (r->pos + 1 == r->size || s[r->pos + 1] == '\n'))) {
                ct_error_at(d, r->path, r->line, 0,
                            "unexpected character after a closing quote in field %d", n + 1);
                skip_line(r);
                return -1;
            }
        } else {
            size_t start = r->pos;
            while (r->pos < r->size && s[r->pos] != ',' && s[r->pos] != '\n') {
                if (s[r->pos] == '"') {
                    ct_error_at(d, r->path, r->line, 0,
                                "a quote inside an unquoted field %d (quote the whole field and double the quote)", n + 1);
                    skip_line(r);
                    return -1;
                }
                r->pos++;
            }
            size_t end = r->pos;
            if (end > start && s[end - 1] == '\r' && (end == r->size || s[end] == '\n')) end--;
            f.ptr = s + start;
            f.len = end - start;
        }
        if (n < max) fields[n] = f;
        n++;
        if (r->pos >= r->size) break;
        char c = s[r->pos];
        if (c == ',') { r->pos++; if (r->pos >= r->size) { if (n < max) { fields[n].ptr = s + r->pos; fields[n].len = 0; } n++; break; } continue; }
        if (c == '\r') r->pos++;
        if (r->pos < r->size && s[r->pos] == '\n') { r->pos++; r->line++; }
        break;
    }
    return n;
}

/* ---- helpers ------------------------------------------------------------------ */

int ct_field_is(ct_field f, const char *name)
{
    size_t n = strlen(name);
    return f.len == n && memcmp(f.ptr, name, n) == 0;
}

int ct_csv_header(ct_csv *r, ct_field *hdr, ct_diags *d)
{
    int n = ct_csv_next(r, hdr, CT_CSV_MAX_COLS, d);
    if (n <= 0) {
        if (n == 0) ct_error_at(d, r->path, 1, 0, "the file is empty (a header row is required)");
        return -1;
    }
    if (n > CT_CSV_MAX_COLS) {
        ct_error_at(d, r->path, r->row_line, 0, "more than %d columns", CT_CSV_MAX_COLS);
        return -1;
    }
    return n;
}

int ct_csv_col(const ct_field *hdr, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (ct_field_is(hdr[i], name)) return i;
    return -1;
}

int ct_field_double(ct_field f, double *out)
{
    f = ct_field_trim(f);
    return (int)ct_number_parse(f.ptr, f.len, out);
}

int ct_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned c = p[i];
        int k = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
        if (k < 0 || i + (size_t)k >= n + (k ? 0 : 1)) return 0;
        for (int j = 1; j <= k; j++)
            if (i + (size_t)j >= n || (p[i + (size_t)j] & 0xC0) != 0x80) return 0;
        i += (size_t)k + 1;
    }
    return 1;
}
