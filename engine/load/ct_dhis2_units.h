/* DHIS2 in, the org unit tree: organisationUnits JSON files (API responses,
 * their pages, metadata exports) merged into the units of a ct_dhis2_import,
 * with the months DHIS2 takes data for, parents by id or path, and the tree
 * checked (one root, no cycle, no overlapping reuse of a code). */
#ifndef CT_DHIS2_UNITS_H
#define CT_DHIS2_UNITS_H

#include "ct_dhis2_in.h"

/* Reads organisationUnits JSON (an API response or a metadata export, whose
 * categoryOptionCombos give the default combo and whose dataElements give
 * the codes of data elements named by id); may be called for several
 * files, which are merged. A level-1 root without a code is left out (the
 * implicit root); another unit without a code is identified by its id. */
ct_status ct_dhis2_read_orgunits(ct_dhis2_import *im, const char *path, ct_diags *d);

/* After the last org units file: parents resolved (a parent in no file: the
 * implicit root, one warning), `order` (parent before child), overlaps and
 * missing pages checked. */
ct_status ct_dhis2_finish_orgunits(ct_dhis2_import *im, ct_diags *d);

#endif
