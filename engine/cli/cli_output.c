#include "cli_output.h"

#include <string.h>

int cli_output_open(cli_output *o, const char *path, int xlsx, const char *lang, ct_diags *d)
{
    o->out = NULL;
    o->xlsx = NULL;
    if (xlsx) o->xlsx = ct_xlsx_open(path, lang && !strcmp(lang, "en") ? CT_XLSX_EN : CT_XLSX_VI, d);
    else o->out = ct_out_open(path, d);
    return o->out || o->xlsx ? 0 : 1;
}

int cli_output_close(cli_output *o, int ok, ct_diags *d)
{
    ct_status st = CT_OK;
    if (o->xlsx) {
        if (ok) st = ct_xlsx_commit(o->xlsx, d);
        else ct_xlsx_abort(o->xlsx);
    } else if (o->out) {
        if (ok) st = ct_out_commit(o->out, d);
        else ct_out_abort(o->out);
    }
    o->out = NULL;
    o->xlsx = NULL;
    return ok && st == CT_OK ? 0 : 1;
}
