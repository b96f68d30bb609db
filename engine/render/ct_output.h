/* Output that is written whole or not at all: to stdout, or to a temporary
 * file beside the target that is renamed into place on commit. Also the
 * number, CSV and JSON formatting shared by every command. */
#ifndef CT_OUTPUT_H
#define CT_OUTPUT_H

#include <stddef.h>

#include "../core/ct_error.h"

typedef struct ct_out ct_out;

/* Opens path for writing (NULL or "-": stdout). Returns NULL on failure,
 * with an error in d. */
ct_out *ct_out_open(const char *path, ct_diags *d);

/* Flushes and, for a file, renames it into place; frees o. */
ct_status ct_out_commit(ct_out *o, ct_diags *d);

/* Discards everything written (a file is removed); frees o. */
void ct_out_abort(ct_out *o);

void ct_out_write(ct_out *o, const char *s, size_t n);
void ct_out_puts(ct_out *o, const char *s);
void ct_out_char(ct_out *o, char c);

/* A number with up to 6 decimals, trailing zeros trimmed; nothing for NaN. */
void ct_out_number(ct_out *o, double v);
/* The same into buf (at least 40 bytes); returns the length. */
size_t ct_out_format_number(double v, char *buf);

/* A CSV field, quoted when it holds a comma, quote or line break. */
void ct_out_csv_field(ct_out *o, const char *s);
/* The same into buf of size bytes (cut if too long); returns the length. */
size_t ct_out_format_csv_field(const char *s, char *buf, size_t size);
/* A JSON string with its quotes. */
void ct_out_json_string(ct_out *o, const char *s);

#endif
