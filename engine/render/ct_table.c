#include "ct_table.h"

#include <math.h>
#include <string.h>

static const char *const columns[] = {"plan", "indicator", "unit", "level", "period", "value",
                                      "numerator", "denominator", "reported", "expected",
                                      "name", "valid_from", "valid_to", "approximate"};
enum { N_COLUMNS = 14 };

void ct_table_begin(ct_table *t, ct_out *out, const ct_series *s, ct_format f)
{
    t->out = out;
    t->series = s;
    t->format = f;
    t->rows = 0;
    t->prefix_ind = NULL;
    t->prefix_unit = -1;
    t->prefix_len = 0;
    if (f == CT_FMT_JSON) {
        ct_rec_begin(&t->rec, out, 1, columns, N_COLUMNS);
        return;
    }
    for (int i = 0; i < N_COLUMNS; i++) {
        if (i) ct_out_char(out, ',');
        ct_out_puts(out, columns[i]);
    }
    ct_out_char(out, '\n');
}

/* "plan,indicator,unit,level," is the same for every period of a unit:
 * it is formatted once and copied. */
void ct_table_begin_xlsx(ct_table *t, ct_xlsx *x, const ct_series *s)
{
    t->out = NULL;
    t->series = s;
    t->format = CT_FMT_XLSX;
    t->rows = 0;
    t->prefix_ind = NULL;
    t->prefix_unit = -1;
    t->prefix_len = 0;
    ct_rec_begin_xlsx(&t->rec, x, columns, N_COLUMNS);
}

static void csv_prefix(ct_table *t, const ct_row *r)
{
    const ct_series *s = t->series;
    if (t->prefix_ind == r->ind && t->prefix_unit == r->unit && t->prefix_len) return;
    const char *fields[4] = {r->plan->id, r->ind->id, s->code[r->unit], s->level_name[s->level[r->unit]]};
    size_t n = 0;
    for (int i = 0; i < 4; i++) {
        n += ct_out_format_csv_field(fields[i], t->prefix + n, sizeof t->prefix - n - 1);
        t->prefix[n++] = ',';
    }
    t->prefix_len = n;
    /* ",name,valid_from,valid_to," after expected: the validity only for a reused code */
    const char *tail[3] = {s->name[r->unit], s->reused[r->unit] ? s->valid_from_text[r->unit] : NULL,
                           s->reused[r->unit] ? s->valid_to_text[r->unit] : NULL};
    n = 0;
    for (int i = 0; i < 3; i++) {
        t->suffix[n++] = ',';
        if (tail[i]) n += ct_out_format_csv_field(tail[i], t->suffix + n, sizeof t->suffix - n - 2);
    }
    t->suffix[n++] = ',';
    t->suffix_len = n;
    t->prefix_ind = r->ind;
    t->prefix_unit = r->unit;
}

/* The longest row: prefix, period, three numbers, two counts, suffix,
 * the approximate flag and the commas between. */
enum { ROW_ROOM = 1024 + CT_PERIOD_BUF + 3 * CT_OUT_NUMBER_BUF + 2 * 24 + 1024 + 16 };

_Static_assert(ROW_ROOM <= CT_OUT_ROOM, "a row fits the room the output gives");

/* A CSV row, formatted in place in the output's buffer. */
static void csv_row(ct_table *t, const ct_row *r)
{
    csv_prefix(t, r);
    const ct_cell *c = &r->cell;
    char *b = ct_out_reserve(t->out, ROW_ROOM), *p = b;
    memcpy(p, t->prefix, t->prefix_len);
    p += t->prefix_len;
    p += ct_period_format(r->period, p);
    *p++ = ',';
    if (c->flags & CT_ROW_VALUE) p += ct_out_format_number(c->value, p);
    *p++ = ',';
    if (c->flags & CT_ROW_NUM) p += ct_out_format_number(c->num, p);
    *p++ = ',';
    if (c->flags & CT_ROW_DEN) p += ct_out_format_number(c->den, p);
    *p++ = ',';
    if (c->flags & CT_ROW_COUNTS) p += ct_out_format_integer(c->reported, p);
    *p++ = ',';
    if (c->flags & CT_ROW_COUNTS) p += ct_out_format_integer(c->expected, p);
    memcpy(p, t->suffix, t->suffix_len);
    p += t->suffix_len;
    if (c->flags & CT_ROW_APPROX) *p++ = '1';
    *p++ = '\n';
    ct_out_advance(t->out, (size_t)(p - b));
}

/* A row through ct_rec (JSON, Excel), in the order of `columns`. */
static void rec_row(ct_table *t, const ct_row *r)
{
    ct_rec *rec = &t->rec;
    const ct_series *s = t->series;
    char pb[CT_PERIOD_BUF];
    ct_period_format(r->period, pb);
    const ct_cell *c = &r->cell;
    ct_rec_text(rec, r->plan->id);
    ct_rec_text(rec, r->ind->id);
    ct_rec_text(rec, s->code[r->unit]);
    ct_rec_text(rec, s->level_name[s->level[r->unit]]);
    ct_rec_text(rec, pb);
    ct_rec_number(rec, c->flags & CT_ROW_VALUE ? c->value : NAN);
    ct_rec_number(rec, c->flags & CT_ROW_NUM ? c->num : NAN);
    ct_rec_number(rec, c->flags & CT_ROW_DEN ? c->den : NAN);
    ct_rec_number(rec, c->flags & CT_ROW_COUNTS ? c->reported : NAN);
    ct_rec_number(rec, c->flags & CT_ROW_COUNTS ? c->expected : NAN);
    ct_rec_text(rec, s->name[r->unit]);
    ct_rec_text(rec, s->reused[r->unit] ? s->valid_from_text[r->unit] : NULL);
    ct_rec_text(rec, s->reused[r->unit] ? s->valid_to_text[r->unit] : NULL);
    ct_rec_flag(rec, (c->flags & CT_ROW_APPROX) != 0);
    ct_rec_end_row(rec);
}

int ct_table_row(const ct_row *row, void *table)
{
    ct_table *t = table;
    if (t->format == CT_FMT_CSV) csv_row(t, row);
    else rec_row(t, row);
    t->rows++;
    return 0;
}

void ct_table_end(ct_table *t)
{
    if (t->format != CT_FMT_CSV) ct_rec_end(&t->rec);
}
