/* One descriptor per indicator kind: what plan parsing, compute, assess and
 * render need to know of a kind, in one table (ct_kind.c), so that a new
 * kind is a new entry and the switch statements that compute it
 * (docs/architecture.md, "A new indicator kind"). */
#ifndef CT_KIND_H
#define CT_KIND_H

#include <stddef.h>

#include "ct_plan.h"

/* The number of kinds: the last of ct_kind + 1 (a new kind is added at the
 * end of ct_kind and moves this to it). */
enum { CT_N_KINDS = CT_KIND_LUA + 1 };

/* Whether an indicator of a kind is a percentage. */
typedef enum {
    CT_PCT_NEVER,    /* a count or an amount */
    CT_PCT_ALWAYS,   /* a share of units, a rate, a frequency */
    CT_PCT_SCALE,    /* when its scale is 100 (ratio) */
    CT_PCT_UNIT      /* when the plan says unit: "%" (lua) */
} ct_kind_percent;

typedef struct {
    const char *name;            /* the word in plans: "share_of_units" */
    const char *const *keys;     /* the keys it takes beyond the common ones, NULL-terminated */
    ct_kind_percent percent;
    int counts_units;            /* counts base units: reported and expected columns, "nothing to count" notes */
    int adds_up;                 /* the engine adds its numerator and denominator up the hierarchy from
                                    the base units' figures (so it is never negative for counts) */
    int needs_grid;              /* computed by a function per unit and period over a grid of cells (the
                                    rules), not by the streaming accumulators of compute */
} ct_kind_desc;

/* The descriptor of a kind (k a valid ct_kind). */
const ct_kind_desc *ct_kind_of(ct_kind k);

/* The kind named by word (len bytes), or -1. */
int ct_kind_parse(const char *word, size_t len);

#endif
