/* An RFC 4180 CSV reader: quoted fields with commas, quotes and newlines,
 * CRLF or LF line ends, an optional UTF-8 byte-order mark. Either over a file
 * read whole into memory (ct_csv_open) or streamed through a window of a few
 * megabytes (ct_csv_stream), for files as large as the data. Fields point
 * into the buffer, valid until the next row; no allocation per row. */
#ifndef CT_CSV_H
#define CT_CSV_H

#include <ctype.h>
#include <stddef.h>

#include "../core/ct_error.h"

typedef struct {
    const char *ptr;
    size_t len;
} ct_field;

typedef struct {
    const char *path;
    char *data;          /* the text (anonymous pages, writable: "" is unescaped in place) */
    size_t size, pos;
    int line;            /* line where the next row starts (1-based) */
    int row_line;        /* line where the last row returned started */
    /* streaming (ct_csv_stream); stream 0 when the file is read whole */
    int stream, fd;
    size_t avail, cap;   /* bytes in the buffer (size: up to the last whole line), its capacity */
    int eof;             /* the whole file has been read into the buffer once */
    int line0;           /* the line at data[0] */
    size_t base;         /* the file offset of data[0] */
    int unchecked;       /* streaming: the text is not checked (a pass that only sizes) */
    ct_status fatal;     /* the file cannot be read (or is not UTF-8): rows stop */
    ct_diags *fatal_d;   /* where that error goes */
    int pad_quotes;      /* spaces and tabs around a quoted field are skipped (DHIS2's CSV reader
                          * takes `"a",  "b"`); set after opening */
} ct_csv;

/* Opens path without blocking (a FIFO, device or folder is refused) and reads
 * it. A file that is not UTF-8 text or holds a NUL byte is refused with its
 * line and column (CT_EINPUT); one that cannot be read whole, CT_EIO. */
ct_status ct_csv_open(ct_csv *r, const char *path, ct_diags *d);
void ct_csv_close(ct_csv *r);

/* Opens path like ct_csv_open but reads it through a window of whole lines,
 * refilled as rows are read (a row longer than the window grows it). The
 * text is checked window by window: an error that it is not UTF-8, or that it
 * cannot be read, goes to d (not to the rows' diagnostics), stops the rows
 * (ct_csv_next returns 0) and sets r->fatal. */
ct_status ct_csv_stream(ct_csv *r, const char *path, ct_diags *d);

/* Starts a streamed file over from its first line (for a second pass). */
ct_status ct_csv_rewind(ct_csv *r);

/* Streams path from byte offset `from`, which must be the start of a line
 * (no byte-order mark is looked for past offset 0); line numbers count from
 * 1 there. For a second reader over the end of a large file. */
ct_status ct_csv_stream_at(ct_csv *r, const char *path, size_t from, ct_diags *d);

/* The file offset where the next row (or blank line) starts. */
static inline size_t ct_csv_tell(const ct_csv *r) { return r->base + r->pos; }

/* Reads the next non-blank row into fields (at most max). Returns the number
 * of fields in the row (which may exceed max: only max are stored), 0 at end
 * of file, or -1 on a syntax error (added to d; the reader skips to the next line). */
int ct_csv_next(ct_csv *r, ct_field *fields, int max, ct_diags *d);

/* Helpers shared by the data folder's readers ------------------------- */

enum { CT_CSV_MAX_COLS = 256 };

/* Reads the header row into hdr (CT_CSV_MAX_COLS fields); returns the number
 * of columns, or -1 after adding an error (empty file, too many columns). */
int ct_csv_header(ct_csv *r, ct_field *hdr, ct_diags *d);

/* The position of column name in a header of n fields, or -1. */
int ct_csv_col(const ct_field *hdr, int n, const char *name);

/* Whether a field's text is exactly s. */
int ct_field_is(ct_field f, const char *s);

/* The field without surrounding spaces (codes and values are compared trimmed). */
static inline int ct_csv_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r'); /* isspace in the C locale */
}

static inline ct_field ct_field_trim(ct_field f)
{
    if (f.len && (unsigned char)f.ptr[0] > ' ' && (unsigned char)f.ptr[f.len - 1] > ' ') return f;
    while (f.len && ct_csv_space(f.ptr[0])) { f.ptr++; f.len--; }
    while (f.len && ct_csv_space(f.ptr[f.len - 1])) f.len--;
    return f;
}

/* Parses a number in the contract's decimal syntax (trimmed): returns 0, or
 * a ct_number_status saying what is wrong (ct_number_problem). */
int ct_field_double(ct_field f, double *out);

/* Whether n bytes at s are valid UTF-8. */
int ct_utf8_valid(const char *s, size_t n);

#endif
