/* DHIS2 out: a dataValueSets JSON ({"dataValues": [{"dataElement",
 * "period", "orgUnit", "value"}]}) written through a ct_out, identifiers as
 * codes (DHIS2 imports it with idScheme=code), values as strings as DHIS2
 * writes them, periods as DHIS2 period ids. */
#ifndef CT_DHIS2_OUT_H
#define CT_DHIS2_OUT_H

#include <stddef.h>

#include "../model/ct_period.h"
#include "ct_output.h"

typedef struct {
    ct_out *out;
    size_t n;           /* values written */
} ct_dhis2_out;

/* DHIS2's id of a period: 2016, 2016S1, 2016Q1, 201603; returns its length. */
size_t ct_dhis2_period_id(ct_period p, char buf[CT_PERIOD_BUF]);

/* The payload's head: the id schemes (CODE) and, when data_set is not NULL,
 * the data set DHIS2 files the values under. */
void ct_dhis2_out_begin(ct_dhis2_out *w, ct_out *out, const char *data_set);
/* One data value; a NaN value is not written. */
void ct_dhis2_out_value(ct_dhis2_out *w, const char *data_element, ct_period p, const char *org_unit, double value);
void ct_dhis2_out_end(ct_dhis2_out *w);

#endif
