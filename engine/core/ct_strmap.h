/* A string-to-index hash map (open addressing, FNV-1a), used while loading
 * to turn unit codes, metric and level names into small integers.
 * Keys are copied into the map's own arena. */
#ifndef CT_STRMAP_H
#define CT_STRMAP_H

#include <stddef.h>

#include "ct_arena.h"

typedef struct {
    const char **keys;   /* NULL for an empty slot */
    unsigned *lens;
    int *vals;
    size_t cap, n;
    ct_arena arena;
} ct_strmap;

void ct_strmap_init(ct_strmap *m);
void ct_strmap_free(ct_strmap *m);

/* The value stored for key (len bytes), or -1 when absent. */
int ct_strmap_get(const ct_strmap *m, const char *key, size_t len);

/* Stores key -> val unless key is present. Returns the value now stored for
 * key (the old one if it was present), or -2 on out-of-memory. */
int ct_strmap_put(ct_strmap *m, const char *key, size_t len, int val);

/* Replaces the value of a key that is present; returns -1 when absent. */
int ct_strmap_set(ct_strmap *m, const char *key, size_t len, int val);

/* The map's own copy of a key that is present, or NULL. */
const char *ct_strmap_key(const ct_strmap *m, const char *key, size_t len);

#endif
