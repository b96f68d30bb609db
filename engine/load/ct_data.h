/* Loads observations.csv (the reported values, long format) into a
 * ct_series whose units (ct_units.h) and metrics are known. */
#ifndef CT_DATA_H
#define CT_DATA_H

#include "../core/ct_error.h"
#include "../model/ct_series.h"
#include "ct_units.h"

/* The most years that observations may span, first to last: each metric
 * holds a value for every unit and period of the span. */
enum { CT_DATA_MAX_YEARS = 50 };

/* Reads observations.csv into s, whose units and metric declarations must be
 * loaded already, then rolls every metric up to coarser periods (unless
 * successions are loaded: ct_geo_apply carries the values first). Values of
 * metrics no loaded plan uses are checked and left aside. A span of periods
 * past CT_DATA_MAX_YEARS is an error naming the two rows. */
ct_status ct_data_load_observations(ct_series *s, const char *path, ct_diags *d);

#endif
