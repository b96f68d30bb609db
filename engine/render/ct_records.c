#include "ct_records.h"

#include <math.h>

void ct_rec_begin(ct_rec *r, ct_out *out, int json, const char *const *columns, int n_columns)
{
    r->out = out;
    r->xlsx = NULL;
    r->json = json;
    r->columns = columns;
    r->n_columns = n_columns;
    r->col = 0;
    r->rows = 0;
    if (json) {
        ct_out_char(out, '[');
        return;
    }
    for (int i = 0; i < n_columns; i++) {
        if (i) ct_out_char(out, ',');
        ct_out_csv_field(out, columns[i]);
    }
    ct_out_char(out, '\n');
}

void ct_rec_begin_xlsx(ct_rec *r, ct_xlsx *x, const char *const *columns, int n_columns)
{
    r->out = NULL;
    r->xlsx = x;
    r->json = 0;
    r->columns = columns;
    r->n_columns = n_columns;
    r->col = 0;
    r->rows = 0;
    ct_xlsx_columns(x, columns, n_columns);
}

static void field_start(ct_rec *r)
{
    if (r->json) {
        if (r->col == 0) ct_out_puts(r->out, r->rows ? ",\n{" : "\n{");
        else ct_out_char(r->out, ',');
        ct_out_json_string(r->out, r->columns[r->col]);
        ct_out_char(r->out, ':');
    } else if (r->col > 0) {
        ct_out_char(r->out, ',');
    }
    r->col++;
}

void ct_rec_text(ct_rec *r, const char *text)
{
    if (r->xlsx) { ct_xlsx_text(r->xlsx, text); return; }
    field_start(r);
    if (r->json) {
        if (text) ct_out_json_string(r->out, text);
        else ct_out_puts(r->out, "null");
    } else if (text) {
        ct_out_csv_field(r->out, text);
    }
}

void ct_rec_status(ct_rec *r, const char *code, const char *label, const char *colour)
{
    if (r->xlsx) ct_xlsx_status(r->xlsx, code, label, colour);
    else ct_rec_text(r, code);
}

void ct_rec_number(ct_rec *r, double v)
{
    if (r->xlsx) { ct_xlsx_number(r->xlsx, v); return; }
    field_start(r);
    if (isfinite(v)) ct_out_number(r->out, v);
    else if (r->json) ct_out_puts(r->out, "null");
}

void ct_rec_int(ct_rec *r, long v, int present)
{
    ct_rec_number(r, present ? (double)v : NAN);
}

void ct_rec_flag(ct_rec *r, int on)
{
    if (r->xlsx) { ct_xlsx_number(r->xlsx, on ? 1 : NAN); return; }
    field_start(r);
    if (r->json) ct_out_puts(r->out, on ? "true" : "false");
    else if (on) ct_out_char(r->out, '1');
}

void ct_rec_end_row(ct_rec *r)
{
    if (r->xlsx) {
        ct_xlsx_end_row(r->xlsx);
        r->rows++;
        return;
    }
    ct_out_puts(r->out, r->json ? "}" : "\n");
    r->col = 0;
    r->rows++;
}

void ct_rec_end(ct_rec *r)
{
    if (r->xlsx) return;
    if (r->json) ct_out_puts(r->out, r->rows ? "\n]\n" : "]\n");
}
