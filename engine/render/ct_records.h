/* Tables of named columns written as CSV (header row, RFC 4180 quoting), as
 * a JSON array of objects, or as an Excel workbook: the output of assess and
 * project, and of compute in JSON and Excel. A writer adds a column in one
 * place, its column list, and every format has it. */
#ifndef CT_RECORDS_H
#define CT_RECORDS_H

#include "ct_output.h"
#include "ct_xlsx.h"

typedef struct {
    ct_out *out;
    ct_xlsx *xlsx;        /* when set, rows go to the workbook instead of out */
    int json;
    const char *const *columns;
    int n_columns;
    int col;              /* next column of the current row */
    size_t rows;
} ct_rec;

void ct_rec_begin(ct_rec *r, ct_out *out, int json, const char *const *columns, int n_columns);
/* The same for an Excel workbook (one sheet per value of a first column "plan"). */
void ct_rec_begin_xlsx(ct_rec *r, ct_xlsx *x, const char *const *columns, int n_columns);
/* Fields of the current row, in column order; NULL text and NaN numbers are empty (null). */
void ct_rec_text(ct_rec *r, const char *text);
void ct_rec_number(ct_rec *r, double v);
/* A status: its code in CSV and JSON; in a workbook, the rule's label (when
 * not NULL) in the rule's colour "#rrggbb" (when not NULL). */
void ct_rec_status(ct_rec *r, const char *code, const char *label, const char *colour);
void ct_rec_int(ct_rec *r, long v, int present);
/* A yes/no field: CSV 1 or empty, JSON true or false, Excel 1 or empty. */
void ct_rec_flag(ct_rec *r, int on);
void ct_rec_end_row(ct_rec *r);
void ct_rec_end(ct_rec *r);

#endif
