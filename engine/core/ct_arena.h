/* A bump allocator for load-once data: everything allocated from an arena
 * is freed at once by ct_arena_free. */
#ifndef CT_ARENA_H
#define CT_ARENA_H

#include <stddef.h>

typedef struct ct_arena_block ct_arena_block;

typedef struct {
    ct_arena_block *head;
    size_t used_total;
} ct_arena;

void ct_arena_init(ct_arena *a);
void ct_arena_free(ct_arena *a);

/* Returns size bytes aligned for any type, zeroed; NULL on out-of-memory. */
void *ct_arena_alloc(ct_arena *a, size_t size);

/* Copies n bytes of s and a terminating NUL; NULL on out-of-memory. */
char *ct_arena_strndup(ct_arena *a, const char *s, size_t n);
char *ct_arena_strdup(ct_arena *a, const char *s);

#endif
