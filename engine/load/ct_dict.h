/* Reads metrics.csv, the data folder's dictionary: each metric's level,
 * type, over_time, merge rule and title (empty fields left unspecified for
 * a plan's declaration to fill). */
#ifndef CT_DICT_H
#define CT_DICT_H

#include "../core/ct_error.h"
#include "../model/ct_series.h"

/* Declares every metric of the dictionary at path in s, whose units must be
 * loaded. Problems are added to d with file:line; returns CT_OK, CT_EINPUT,
 * CT_EIO or CT_ENOMEM. */
ct_status ct_dict_load(ct_series *s, const char *path, ct_diags *d);

#endif
