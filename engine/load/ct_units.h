/* Reads units.csv: the hierarchy, unit attributes and unit history (a code
 * may name several units whose valid_from..valid_to ranges do not overlap;
 * a parent code means the unit with that code valid during the child's
 * validity). */
#ifndef CT_UNITS_H
#define CT_UNITS_H

#include "../core/ct_error.h"
#include "../model/ct_series.h"

/* Reads units.csv into s (which must be freshly initialised). Every problem
 * is added to d with file:line; returns CT_OK, CT_EINPUT, CT_EIO or CT_ENOMEM. */
ct_status ct_units_load(ct_series *s, const char *path, ct_diags *d);

#endif
