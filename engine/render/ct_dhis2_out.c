#include "ct_dhis2_out.h"

#include <math.h>
#include <string.h>

size_t ct_dhis2_period_id(ct_period p, char buf[CT_PERIOD_BUF])
{
    size_t n = ct_period_format(p, buf);
    if (p.type == CT_PT_MONTH && n == 7 && buf[4] == '-') { /* 2016-03 -> 201603 */
        memmove(buf + 4, buf + 5, 3);
        n = 6;
    }
    return n;
}

void ct_dhis2_out_begin(ct_dhis2_out *w, ct_out *out)
{
    w->out = out;
    w->n = 0;
    ct_out_puts(out, "{\"dataValues\":[");
}

void ct_dhis2_out_value(ct_dhis2_out *w, const char *data_element, ct_period p, const char *org_unit, double value)
{
    if (!isfinite(value)) return;
    ct_out *o = w->out;
    char pb[CT_PERIOD_BUF], vb[CT_OUT_NUMBER_BUF];
    ct_dhis2_period_id(p, pb);
    ct_out_format_number(value, vb);
    ct_out_puts(o, w->n ? ",\n{\"dataElement\":" : "\n{\"dataElement\":");
    ct_out_json_string(o, data_element);
    ct_out_puts(o, ",\"period\":");
    ct_out_json_string(o, pb);
    ct_out_puts(o, ",\"orgUnit\":");
    ct_out_json_string(o, org_unit);
    ct_out_puts(o, ",\"value\":");
    ct_out_json_string(o, vb);
    ct_out_char(o, '}');
    w->n++;
}

void ct_dhis2_out_end(ct_dhis2_out *w)
{
    ct_out_puts(w->out, w->n ? "\n]}\n" : "]}\n");
}
