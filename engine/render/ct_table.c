#include "ct_table.h"

#include <math.h>
#include <string.h>

static const char *const columns[] = {"plan", "indicator", "unit", "level", "period", "value",
                                      "numerator", "denominator", "reported", "expected",
                                      "name", "valid_from", "valid_to", "approximate"};
enum { N_COLUMNS = 14 };

static void table_init(ct_table *t, ct_out *out, const ct_series *s, ct_format f)
{
    memset(t, 0, sizeof *t);
    t->out = out;
    t->series = s;
    t->format = f;
    t->prefix_unit = -1;
}

void ct_table_begin(ct_table *t, ct_out *out, const ct_series *s, ct_format f)
{
    table_init(t, out, s, f);
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

void ct_table_begin_xlsx(ct_table *t, ct_xlsx *x, const ct_series *s)
{
    table_init(t, NULL, s, CT_FMT_XLSX);
    ct_rec_begin_xlsx(&t->rec, x, columns, N_COLUMNS);
}

/* The bytes s takes as a CSV field (quotes doubled, and the quotes around). */
static size_t csv_field_size(const char *s)
{
    if (!s) return 0;
    size_t n = strlen(s);
    if (!strpbrk(s, ",\"\r\n")) return n;
    for (const char *q = s; (q = strchr(q, '"')) != NULL; q++) n++;
    return n + 2;
}

/* "plan,indicator,unit,level," is the same for every period of a unit:
 * it is formatted once and copied. Texts too long for the cached copy
 * (a long plan id or unit name) make the row be written field by field
 * (t->long_text), never cut. */
static void csv_prefix(ct_table *t, const ct_row *r)
{
    const ct_series *s = t->series;
    if (t->prefix_ind == r->ind && t->prefix_unit == r->unit && (t->prefix_len || t->long_text)) return;
    const char *fields[4] = {r->plan->id, r->ind->id, s->code[r->unit], s->level_name[s->level[r->unit]]};
    /* ",name,valid_from,valid_to," after expected: the validity only for a reused code */
    const char *tail[3] = {s->name[r->unit], s->reused[r->unit] ? s->valid_from_text[r->unit] : NULL,
                           s->reused[r->unit] ? s->valid_to_text[r->unit] : NULL};
    size_t need_prefix = 4, need_suffix = 4;
    for (int i = 0; i < 4; i++) need_prefix += csv_field_size(fields[i]);
    for (int i = 0; i < 3; i++) need_suffix += csv_field_size(tail[i]);
    t->prefix_ind = r->ind;
    t->prefix_unit = r->unit;
    t->period_pos = 0;
    t->long_text = need_prefix + 16 > sizeof t->prefix || need_suffix + 16 > sizeof t->suffix;
    t->prefix_len = t->suffix_len = 0;
    if (t->long_text) return;
    size_t n = 0;
    for (int i = 0; i < 4; i++) {
        n += ct_out_format_csv_field(fields[i], t->prefix + n, sizeof t->prefix - n);
        t->prefix[n++] = ',';
    }
    t->prefix_len = n;
    n = 0;
    for (int i = 0; i < 3; i++) {
        t->suffix[n++] = ',';
        if (tail[i]) n += ct_out_format_csv_field(tail[i], t->suffix + n, sizeof t->suffix - n);
    }
    t->suffix[n++] = ',';
    t->suffix_len = n;
}

/* A row whose texts are too long for the cached prefix: field by field. */
static void csv_row_long(ct_table *t, const ct_row *r)
{
    const ct_series *s = t->series;
    ct_out *o = t->out;
    const ct_cell *c = &r->cell;
    const char *fields[4] = {r->plan->id, r->ind->id, s->code[r->unit], s->level_name[s->level[r->unit]]};
    for (int i = 0; i < 4; i++) {
        ct_out_csv_field(o, fields[i]);
        ct_out_char(o, ',');
    }
    char pb[CT_PERIOD_BUF];
    ct_period_format(r->period, pb);
    ct_out_puts(o, pb);
    ct_out_char(o, ',');
    if (c->flags & CT_ROW_VALUE) ct_out_number(o, c->value);
    ct_out_char(o, ',');
    if (c->flags & CT_ROW_NUM) ct_out_number(o, c->num);
    ct_out_char(o, ',');
    if (c->flags & CT_ROW_DEN) ct_out_number(o, c->den);
    ct_out_char(o, ',');
    if (c->flags & CT_ROW_COUNTS) ct_out_number(o, c->reported);
    ct_out_char(o, ',');
    if (c->flags & CT_ROW_COUNTS) ct_out_number(o, c->expected);
    ct_out_char(o, ',');
    ct_out_csv_field(o, s->name[r->unit]);
    ct_out_char(o, ',');
    if (s->reused[r->unit]) ct_out_csv_field(o, s->valid_from_text[r->unit]);
    ct_out_char(o, ',');
    if (s->reused[r->unit]) ct_out_csv_field(o, s->valid_to_text[r->unit]);
    ct_out_char(o, ',');
    if (c->flags & CT_ROW_APPROX) ct_out_char(o, '1');
    ct_out_char(o, '\n');
}

/* The longest row: prefix, period, three numbers, two counts, suffix,
 * the approximate flag and the commas between. */
enum { ROW_ROOM = 1024 + CT_PERIOD_BUF + 3 * CT_OUT_NUMBER_BUF + 2 * 24 + 1024 + 16 };

_Static_assert(ROW_ROOM <= CT_OUT_ROOM, "a row fits the room the output gives");

/* A number as ct_out_format_number writes it; most are small whole
 * numbers (counts), written without its general checks. */
static char *put_number(char *p, double v)
{
    if (v >= 0 && v < 4294967296.0) {
        unsigned u = (unsigned)v;
        if ((double)u == v) {
            if (u < 10) {
                *p = (char)('0' + u);
                return p + 1;
            }
            return p + ct_out_format_integer(u, p);
        }
    }
    return p + ct_out_format_number(v, p);
}

static char *put_int(char *p, int v)
{
    if (v >= 0 && v < 10) {
        *p = (char)('0' + v);
        return p + 1;
    }
    return p + ct_out_format_integer(v, p);
}

/* A CSV row, formatted in place in the output's buffer. */
static void csv_row(ct_table *t, const ct_row *r)
{
    csv_prefix(t, r);
    if (t->long_text) { csv_row_long(t, r); return; }
    const ct_cell *c = &r->cell;
    char *b = ct_out_reserve(t->out, ROW_ROOM), *p = b;
    memcpy(p, t->prefix, t->prefix_len);
    p += t->prefix_len;
    int k = t->period_pos++;
    if (k < CT_TABLE_PERIODS && t->periods[k].len && t->periods[k].period.year == r->period.year &&
        t->periods[k].period.type == r->period.type && t->periods[k].period.sub == r->period.sub) {
        memcpy(p, t->periods[k].text, CT_PERIOD_BUF);
        p += t->periods[k].len;
    } else {
        size_t n = ct_period_format(r->period, p);
        if (k < CT_TABLE_PERIODS) {
            t->periods[k].period = r->period;
            t->periods[k].len = (unsigned char)n;
            memcpy(t->periods[k].text, p, n);
        }
        p += n;
    }
    *p++ = ',';
    if (c->flags & CT_ROW_VALUE) p = put_number(p, c->value);
    *p++ = ',';
    if (c->flags & CT_ROW_NUM) p = put_number(p, c->num);
    *p++ = ',';
    if (c->flags & CT_ROW_DEN) p = put_number(p, c->den);
    *p++ = ',';
    if (c->flags & CT_ROW_COUNTS) p = put_int(p, c->reported);
    *p++ = ',';
    if (c->flags & CT_ROW_COUNTS) p = put_int(p, c->expected);
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
