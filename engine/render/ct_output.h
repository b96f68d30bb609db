/* Output that is written whole or not at all: to stdout, or to a temporary
 * file beside the target (through symbolic links: beside the file they
 * name) that is renamed into place on commit; a device or FIFO is written in
 * place; a file that is one of the inputs read is refused. Also the
 * number, CSV and JSON formatting shared by every command. */
#ifndef CT_OUTPUT_H
#define CT_OUTPUT_H

#include <stddef.h>

#include "../core/ct_error.h"

typedef struct ct_out ct_out;

/* Opens path for writing (NULL or "-": stdout). Returns NULL on failure,
 * with an error in d naming path (a folder, one of the inputs, no access). */
ct_out *ct_out_open(const char *path, ct_diags *d);

/* Flushes and, for a file, renames it into place; frees o. */
ct_status ct_out_commit(ct_out *o, ct_diags *d);

/* Discards everything written (a file is removed); frees o. */
void ct_out_abort(ct_out *o);

/* From the first full buffer on, buffers are written by a thread of their
 * own while the next is filled (for large outputs; errors are reported by
 * ct_out_commit as before). */
void ct_out_write_behind(ct_out *o);

void ct_out_write(ct_out *o, const char *s, size_t n);
void ct_out_puts(ct_out *o, const char *s);
void ct_out_char(ct_out *o, char c);

/* Room for n bytes (n at most CT_OUT_ROOM) written in place: returns where
 * they go; ct_out_advance then counts the bytes actually written. */
#define CT_OUT_ROOM 32768
char *ct_out_reserve(ct_out *o, size_t n);
void ct_out_advance(ct_out *o, size_t n);

/* The size of a buffer that holds any formatted number (a finite double
 * has at most 309 integer digits). */
#define CT_OUT_NUMBER_BUF 330

/* A number rounded to 6 decimals, trailing zeros trimmed, '.' as decimal
 * point, no exponent and no thousands separator: every finite double prints
 * its true value (1e300 as its 301 digits); nothing for NaN or infinity. */
void ct_out_number(ct_out *o, double v);
/* The same into buf (CT_OUT_NUMBER_BUF bytes); returns the length. */
size_t ct_out_format_number(double v, char *buf);
/* An integer into buf (at least 21 bytes), as ct_out_format_number prints it. */
size_t ct_out_format_integer(long long v, char *buf);

/* A CSV field, quoted when it holds a comma, quote or line break. */
void ct_out_csv_field(ct_out *o, const char *s);
/* The same into buf of size bytes (cut if too long); returns the length. */
size_t ct_out_format_csv_field(const char *s, char *buf, size_t size);
/* A JSON string with its quotes. */
void ct_out_json_string(ct_out *o, const char *s);

/* s with & < > " ' escaped for HTML text and attribute values. */
void ct_out_html(ct_out *o, const char *s);

#endif
