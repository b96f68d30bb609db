/* The number syntax of every input (CSV values, plan numbers, conditions):
 * an optional sign, decimal digits with an optional '.' and fraction, an
 * optional exponent (e or E, optional sign, digits). No hexadecimal, no inf
 * or nan, nothing that overflows to infinity or underflows to zero. */
#ifndef CT_NUMBER_H
#define CT_NUMBER_H

#include <stddef.h>

typedef enum {
    CT_NUM_OK = 0,
    CT_NUM_SYNTAX,   /* not a decimal number */
    CT_NUM_HUGE,     /* beyond the largest double (about 1.8e308) */
    CT_NUM_TINY      /* not zero, but closer to zero than 2.2e-308 */
} ct_number_status;

/* The length of the number at the start of s (at most len bytes; a NUL ends
 * it too, so len may be SIZE_MAX for a C string), or 0 when s does not start
 * with one. */
size_t ct_number_span(const char *s, size_t len);

/* Parses exactly s[0..len) as a number into *out. */
ct_number_status ct_number_parse(const char *s, size_t len, double *out);

/* Why a text is not a number, for an error message ("is not a number
 * (...)", "is too large", "is too close to zero"). */
const char *ct_number_problem(ct_number_status st);

#endif
