/* Reporting periods: year, half-year, quarter and month, parsed from the
 * contract's forms and printed in canonical form. */
#ifndef CT_PERIOD_H
#define CT_PERIOD_H

#include <stddef.h>

typedef enum {
    CT_PT_YEAR = 0,
    CT_PT_HALF = 1,
    CT_PT_QUARTER = 2,
    CT_PT_MONTH = 3
} ct_ptype;

enum { CT_PT_COUNT = 4, CT_PERIOD_BUF = 16 };

typedef struct {
    short year;
    unsigned char type; /* ct_ptype */
    unsigned char sub;  /* 0-based position in the year: half 0..1, quarter 0..3, month 0..11 */
} ct_period;

/* Parses 2016, 2016S1, 2016Q3, 2016-03 or 201603 (len bytes, no spaces).
 * Returns 0 and fills *out, or -1 when the text is not a period. */
int ct_period_parse(const char *s, size_t len, ct_period *out);

/* Writes the canonical form (2016, 2016S1, 2016Q3, 2016-03); returns its length. */
size_t ct_period_format(ct_period p, char buf[CT_PERIOD_BUF]);

/* Periods of a type in one year: 1, 2, 4, 12. */
int ct_ptype_per_year(ct_ptype t);

/* The type's name: year, half-year, quarter, month; and its parse (-1 if unknown). */
const char *ct_ptype_name(ct_ptype t);
int ct_ptype_parse(const char *s, ct_ptype *out);

/* Months since year 0 of the first and last month the period covers. */
int ct_period_first_month(ct_period p);
int ct_period_last_month(ct_period p);

/* Position of p among periods of its type counted from January of year0. */
int ct_period_index(ct_period p, int year0);
ct_period ct_period_from_index(ct_ptype t, int year0, int index);

/* The period of p's type just before p (2016 -> 2015, 2016S1 -> 2015S2). */
ct_period ct_period_prev(ct_period p);

/* Orders periods by first month, then coarser first; <0, 0, >0. */
int ct_period_cmp(ct_period a, ct_period b);

#endif
