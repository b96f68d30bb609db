/* Excel workbooks (libxlsxwriter): the rows of a table of named columns,
 * one sheet per plan (the value of a first column named "plan" picks the
 * sheet, named by the plan id cut to Excel's 31 characters, unique), a header
 * row (Vietnamese or English), numbers as numbers, empty cells for no data,
 * status cells coloured with the report's palette, a frozen header, an
 * autofilter and column widths that fit. Written to a temporary file beside
 * the target and renamed into place on commit: whole or not at all. */
#ifndef CT_XLSX_H
#define CT_XLSX_H

#include "../core/ct_error.h"

typedef struct ct_xlsx ct_xlsx;

typedef enum { CT_XLSX_VI, CT_XLSX_EN } ct_xlsx_lang;

/* Opens a workbook for path (a file; stdout is refused). Returns NULL with
 * an error in d on failure. */
ct_xlsx *ct_xlsx_open(const char *path, ct_xlsx_lang lang, ct_diags *d);

/* The columns of the rows that follow (kept by pointer: they must outlive x). */
void ct_xlsx_columns(ct_xlsx *x, const char *const *columns, int n_columns);

/* The words a person reads for a plan's id (indicator NULL) or for one of its
 * indicators' ids: the sheets of the overview and of lagging units show them
 * instead of the id. Copied; without one, the id is shown. */
void ct_xlsx_title(ct_xlsx *x, const char *plan, const char *indicator, const char *title);

/* The next row goes to the sheet called name (made on first use) rather than
 * to its plan's, its "plan" cell still saying the plan (a sheet gathering
 * rows of several plans). */
void ct_xlsx_next_sheet(ct_xlsx *x, const char *name);

/* Fields of the current row in column order; NULL text and NaN are empty cells. */
void ct_xlsx_text(ct_xlsx *x, const char *text);
void ct_xlsx_number(ct_xlsx *x, double v);
/* The status cell of a row: the rule's label when it gave one (else the
 * code), filled with the rule's colour "#rrggbb" (NULL: the palette's). */
void ct_xlsx_status(ct_xlsx *x, const char *code, const char *label, const char *colour);
void ct_xlsx_end_row(ct_xlsx *x);

/* Finishes the workbook and renames it into place; frees x. */
ct_status ct_xlsx_commit(ct_xlsx *x, ct_diags *d);
/* Discards the workbook (nothing is left on disk); frees x. */
void ct_xlsx_abort(ct_xlsx *x);

/* A column's header in lang: the column name itself for English and for a
 * column without a Vietnamese header. */
const char *ct_xlsx_header(const char *column, ct_xlsx_lang lang);

/* A valid, unique sheet name for name into buf (32 bytes or more per
 * character: at least 128 bytes): Excel's []:*?/\ replaced by _, cut to 31
 * characters; taken names (n of them) get a ~2, ~3... suffix. */
void ct_xlsx_sheet_name(const char *name, const char *const *taken, int n, char *buf, size_t size);

#endif
