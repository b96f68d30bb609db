/* Where a command's table goes: a text file (CSV, JSON) through ct_out, or
 * an Excel workbook; both written whole or not at all. */
#ifndef CLI_OUTPUT_H
#define CLI_OUTPUT_H

#include "../render/ct_output.h"
#include "../render/ct_xlsx.h"

typedef struct {
    ct_out *out;       /* CSV or JSON */
    ct_xlsx *xlsx;     /* --format xlsx */
} cli_output;

/* Opens -o FILE (or stdout) for the format; xlsx needs a file and takes
 * lang "vi" (default) or "en". Returns 0, or 1 with an error in d. */
int cli_output_open(cli_output *o, const char *path, int xlsx, const char *lang, ct_diags *d);

/* Commits the output when ok, else discards it. Returns 0 when committed. */
int cli_output_close(cli_output *o, int ok, ct_diags *d);

#endif
