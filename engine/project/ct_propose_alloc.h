/* Allocation (`propose --allocate`): a region's target split among the units
 * one level below it, so that the region's value computed from the unit
 * targets by the indicator's own sums meets the region's target.
 *   equal_gap    every unit closes the same share of the gap between its
 *                baseline and the best value (100 % or 0 %); for counts and
 *                sums, the region's target applied proportionally
 *   same_change  every unit makes the same relative change
 * docs/planning.md. */
#ifndef CT_PROPOSE_ALLOC_H
#define CT_PROPOSE_ALLOC_H

typedef enum { CT_ALLOC_NONE, CT_ALLOC_EQUAL_GAP, CT_ALLOC_SAME_CHANGE } ct_alloc_method;

/* Parses "equal_gap" / "same_change"; -1 if unknown. */
int ct_alloc_parse(const char *s, ct_alloc_method *out);
const char *ct_alloc_name(ct_alloc_method m);

/* The region's value from unit values v[0..n): the sum when additive (sums
 * and counts), else the mean weighted by w (the denominators: a share's units
 * with data, a ratio's denominator). */
double ct_alloc_region(int additive, const double *v, const double *w, int n);

/* Splits target T among n units with baselines b and weights w, within
 * [lo, hi] (NaN: unbounded); writes t[0..n), the share of the gap closed
 * (equal_gap) or the relative change (same_change) to *param, and the
 * region's value from t to *region. Returns 0, or -1 when no split exists
 * (no unit, a zero total). */
int ct_alloc_split(ct_alloc_method m, int additive, const double *b, const double *w, int n, double target,
                   int direction, double lo, double hi, double *t, double *param, double *region);

#endif
