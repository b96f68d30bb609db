/* Conditions over a unit's metrics and attributes:
 *   is_clean == 1 and not (has_hotspot == 1 or staff_trained < 5)
 * Comparisons of a name with a number, joined by and, or, not and
 * parentheses. A condition is unknown for a unit and period when any name it
 * reads has no value there (strict, not three-valued). */
#ifndef CT_COND_H
#define CT_COND_H

#include <stddef.h>

#include "../core/ct_arena.h"

typedef enum { CT_C_CMP, CT_C_AND, CT_C_OR, CT_C_NOT } ct_cond_op;
typedef enum { CT_CMP_EQ, CT_CMP_NE, CT_CMP_LT, CT_CMP_LE, CT_CMP_GT, CT_CMP_GE } ct_cmp;
typedef enum { CT_REF_NONE, CT_REF_METRIC, CT_REF_ATTR } ct_ref_kind;

typedef struct ct_cond ct_cond;
struct ct_cond {
    ct_cond_op op;
    ct_cond *a, *b;       /* operands of and/or; a for not */
    const char *name;     /* compared name (CT_C_CMP) */
    int offset;           /* 0-based byte offset of the name in the text */
    ct_cmp cmp;
    double number;
    ct_ref_kind ref_kind; /* filled when the condition is bound to data */
    int ref;
    int attr_level;       /* an attribute read from the unit's ancestor of level attr_level - 1; 0: its own */
};

/* Parses text into a tree allocated from arena. On a syntax error returns
 * NULL, writes a message to err and the 0-based offset of the problem. */
ct_cond *ct_cond_parse(ct_arena *arena, const char *text, char *err,
                       size_t err_size, int *err_offset);

/* Calls fn for every comparison leaf (for binding names). */
typedef int (*ct_cond_leaf_fn)(ct_cond *leaf, void *ctx);
int ct_cond_each_leaf(ct_cond *c, ct_cond_leaf_fn fn, void *ctx);

/* Evaluates with a lookup returning the value of a bound leaf (NaN: no data).
 * Returns 1 (true), 0 (false) or -1 (unknown). */
typedef double (*ct_cond_lookup_fn)(const ct_cond *leaf, void *ctx);
int ct_cond_eval(const ct_cond *c, ct_cond_lookup_fn lookup, void *ctx);

#endif
