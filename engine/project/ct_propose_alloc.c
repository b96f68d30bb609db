#include "ct_propose_alloc.h"

#include <math.h>
#include <string.h>

int ct_alloc_parse(const char *s, ct_alloc_method *out)
{
    if (!strcmp(s, "equal_gap")) { *out = CT_ALLOC_EQUAL_GAP; return 0; }
    if (!strcmp(s, "same_change")) { *out = CT_ALLOC_SAME_CHANGE; return 0; }
    return -1;
}

const char *ct_alloc_name(ct_alloc_method m)
{
    return m == CT_ALLOC_EQUAL_GAP ? "equal_gap" : m == CT_ALLOC_SAME_CHANGE ? "same_change" : "none";
}

double ct_alloc_region(int additive, const double *v, const double *w, int n)
{
    double sum = 0, wsum = 0;
    for (int i = 0; i < n; i++) {
        if (additive) sum += v[i];
        else { sum += w[i] * v[i]; wsum += w[i]; }
    }
    return additive ? sum : wsum > 0 ? sum / wsum : NAN;
}

static double clampv(double v, double lo, double hi)
{
    if (isfinite(lo) && v < lo) v = lo;
    if (isfinite(hi) && v > hi) v = hi;
    return v;
}

static void apply_change(const double *b, int n, double c, double lo, double hi, double *t)
{
    for (int i = 0; i < n; i++) t[i] = clampv(b[i] * (1 + c), lo, hi);
}

int ct_alloc_split(ct_alloc_method m, int additive, const double *b, const double *w, int n, double target,
                   int direction, double lo, double hi, double *t, double *param, double *region)
{
    if (n <= 0 || !isfinite(target)) return -1;
    double base = ct_alloc_region(additive, b, w, n);
    if (!isfinite(base)) return -1;
    if (m == CT_ALLOC_EQUAL_GAP && !additive) {
        double best = direction >= 0 ? hi : lo;
        if (!isfinite(best)) best = direction >= 0 ? 100 : 0;
        double g = best != base ? (target - base) / (best - base) : 0;
        for (int i = 0; i < n; i++) t[i] = clampv(b[i] + g * (best - b[i]), lo, hi);
        *param = g;
    } else if (additive && (m == CT_ALLOC_EQUAL_GAP || m == CT_ALLOC_SAME_CHANGE)) {
        if (base <= 0) {
            /* nothing to apply a change to: the target in equal parts */
            for (int i = 0; i < n; i++) t[i] = target / n;
            *param = NAN;
        } else {
            *param = target / base - 1;
            apply_change(b, n, *param, lo, hi, t);
        }
    } else if (m == CT_ALLOC_SAME_CHANGE) {
        /* the region's value grows with c (units at a bound stay there): bisection */
        double c_lo = -1, c_hi = 1;
        for (int k = 0; k < 60; k++) {
            apply_change(b, n, c_hi, lo, hi, t);
            if (ct_alloc_region(0, t, w, n) >= target) break;
            c_hi *= 2;
        }
        for (int k = 0; k < 200; k++) {
            double c = 0.5 * (c_lo + c_hi);
            apply_change(b, n, c, lo, hi, t);
            if (ct_alloc_region(0, t, w, n) >= target) c_hi = c;
            else c_lo = c;
        }
        /* the side that meets the target in the indicator's direction */
        *param = direction >= 0 ? c_hi : c_lo;
        apply_change(b, n, *param, lo, hi, t);
    } else {
        return -1;
    }
    *region = ct_alloc_region(additive, t, w, n);
    return 0;
}
