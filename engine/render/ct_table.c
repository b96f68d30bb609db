#include "ct_table.h"

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
        ct_out_char(out, '[');
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

static void csv_row(ct_table *t, const ct_row *r)
{
    ct_out *o = t->out;
    char pb[CT_PERIOD_BUF];
    size_t pn = ct_period_format(r->period, pb);
    csv_prefix(t, r);
    ct_out_write(o, t->prefix, t->prefix_len);
    pb[pn] = ',';
    ct_out_write(o, pb, pn + 1);
    const ct_cell *c = &r->cell;
    if (c->flags & CT_ROW_VALUE) ct_out_number(o, c->value);
    ct_out_char(o, ',');
    if (c->flags & CT_ROW_NUM) ct_out_number(o, c->num);
    ct_out_char(o, ',');
    if (c->flags & CT_ROW_DEN) ct_out_number(o, c->den);
    ct_out_char(o, ',');
    if (c->flags & CT_ROW_COUNTS) ct_out_number(o, c->reported);
    ct_out_char(o, ',');
    if (c->flags & CT_ROW_COUNTS) ct_out_number(o, c->expected);
    ct_out_write(o, t->suffix, t->suffix_len);
    if (c->flags & CT_ROW_APPROX) ct_out_char(o, '1');
    ct_out_char(o, '\n');
}

static void json_number(ct_out *o, const char *key, int present, double v)
{
    ct_out_puts(o, ",\"");
    ct_out_puts(o, key);
    ct_out_puts(o, "\":");
    if (present) ct_out_number(o, v);
    else ct_out_puts(o, "null");
}

static void json_row(ct_table *t, const ct_row *r)
{
    ct_out *o = t->out;
    const ct_series *s = t->series;
    char pb[CT_PERIOD_BUF];
    ct_period_format(r->period, pb);
    ct_out_puts(o, t->rows ? ",\n{" : "\n{");
    ct_out_puts(o, "\"plan\":");
    ct_out_json_string(o, r->plan->id);
    ct_out_puts(o, ",\"indicator\":");
    ct_out_json_string(o, r->ind->id);
    ct_out_puts(o, ",\"unit\":");
    ct_out_json_string(o, s->code[r->unit]);
    ct_out_puts(o, ",\"level\":");
    ct_out_json_string(o, s->level_name[s->level[r->unit]]);
    ct_out_puts(o, ",\"period\":");
    ct_out_json_string(o, pb);
    const ct_cell *c = &r->cell;
    json_number(o, "value", c->flags & CT_ROW_VALUE, c->value);
    json_number(o, "numerator", c->flags & CT_ROW_NUM, c->num);
    json_number(o, "denominator", c->flags & CT_ROW_DEN, c->den);
    json_number(o, "reported", c->flags & CT_ROW_COUNTS, c->reported);
    json_number(o, "expected", c->flags & CT_ROW_COUNTS, c->expected);
    ct_out_puts(o, ",\"name\":");
    ct_out_json_string(o, s->name[r->unit]);
    const char *vf = s->reused[r->unit] ? s->valid_from_text[r->unit] : NULL;
    const char *vt = s->reused[r->unit] ? s->valid_to_text[r->unit] : NULL;
    ct_out_puts(o, ",\"valid_from\":");
    if (vf) ct_out_json_string(o, vf);
    else ct_out_puts(o, "null");
    ct_out_puts(o, ",\"valid_to\":");
    if (vt) ct_out_json_string(o, vt);
    else ct_out_puts(o, "null");
    ct_out_puts(o, (c->flags & CT_ROW_APPROX) ? ",\"approximate\":true" : ",\"approximate\":false");
    ct_out_char(o, '}');
}

int ct_table_row(const ct_row *row, void *table)
{
    ct_table *t = table;
    if (t->format == CT_FMT_JSON) json_row(t, row);
    else csv_row(t, row);
    t->rows++;
    return 0;
}

void ct_table_end(ct_table *t)
{
    if (t->format == CT_FMT_JSON) ct_out_puts(t->out, t->rows ? "\n]\n" : "]\n");
}
