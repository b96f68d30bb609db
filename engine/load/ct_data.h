/* Loads a data folder into a ct_series: units.csv (the hierarchy and unit
 * attributes) and observations.csv (the reported values, long format). */
#ifndef CT_DATA_H
#define CT_DATA_H

#include "../core/ct_error.h"
#include "../model/ct_series.h"

/* Reads units.csv into s (which must be freshly initialised). Every problem
 * is added to d; returns CT_OK, CT_EINPUT or CT_EIO. */
ct_status ct_data_load_units(ct_series *s, const char *path, ct_diags *d);

/* The most years that observations may span, first to last: each metric
 * holds a value for every unit and period of the span. */
enum { CT_DATA_MAX_YEARS = 50 };

/* Reads observations.csv into s, whose units and metric declarations must be
 * loaded already, then rolls every metric up to coarser periods. A span of
 * periods past CT_DATA_MAX_YEARS is an error naming the two rows. */
ct_status ct_data_load_observations(ct_series *s, const char *path, ct_diags *d);

#endif
