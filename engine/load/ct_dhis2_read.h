/* DHIS2 in, the files of data values: a dataValueSets JSON read one data
 * value at a time (memory follows the values placed, not the size of the
 * file), DHIS2's CSV (a header row, when present, names the columns in any
 * order), and the XML dataValueSet (libxml2's streaming reader); any of them
 * may be gzip-compressed (zlib). Each value goes to ct_dhis2_place. */
#ifndef CT_DHIS2_READ_H
#define CT_DHIS2_READ_H

#include "ct_dhis2_in.h"

/* Reads one data values file (JSON, CSV or XML, told apart by the first
 * character of its text). Unplaced values are added to d (errors, or warnings
 * when skip_unplaced) and counted; the status is CT_OK unless the file could
 * not be read. */
ct_status ct_dhis2_read_values(ct_dhis2_import *im, const char *path, ct_diags *d);

#endif
