/* The `compute` table: one row per plan, indicator, unit and period, as CSV
 * (the contract's columns, then name, valid_from, valid_to, approximate), as
 * a JSON array of objects or as an Excel workbook (these two through ct_rec,
 * from the same column list). */
#ifndef CT_TABLE_H
#define CT_TABLE_H

#include "../compute/ct_compute.h"
#include "ct_output.h"
#include "ct_records.h"

typedef enum { CT_FMT_CSV, CT_FMT_JSON, CT_FMT_XLSX } ct_format;

enum { CT_TABLE_PERIODS = 400 };

typedef struct {
    ct_out *out;
    const ct_series *series;
    ct_format format;
    ct_rec rec;                      /* JSON and Excel rows */
    size_t rows;
    const ct_indicator *prefix_ind;  /* the row prefix cached for this indicator and unit */
    int prefix_unit;
    size_t prefix_len;
    int long_text;        /* the unit's texts do not fit prefix/suffix: written field by field */
    char prefix[1024];
    size_t suffix_len;    /* ",name,valid_from,valid_to," for the same unit */
    char suffix[1024];
    int period_pos;       /* the row's place among its unit's periods */
    struct {              /* the periods as text, by that place (every unit has the same) */
        ct_period period;
        unsigned char len;
        char text[CT_PERIOD_BUF];
    } periods[CT_TABLE_PERIODS];
} ct_table;

void ct_table_begin(ct_table *t, ct_out *out, const ct_series *s, ct_format f);
/* The same into an Excel workbook: one sheet per plan. */
void ct_table_begin_xlsx(ct_table *t, ct_xlsx *x, const ct_series *s);
/* A ct_row_fn: writes one row. */
int ct_table_row(const ct_row *row, void *table);
void ct_table_end(ct_table *t);

#endif
