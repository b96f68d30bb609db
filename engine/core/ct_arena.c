#include "ct_arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

struct ct_arena_block {
    ct_arena_block *next;
    size_t size, used;
    alignas(max_align_t) unsigned char data[];
};

enum { BLOCK_MIN = 64 * 1024 };

void ct_arena_init(ct_arena *a) { a->head = NULL; a->used_total = 0; }

void ct_arena_free(ct_arena *a)
{
    ct_arena_block *b = a->head;
    while (b) {
        ct_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->used_total = 0;
}

void *ct_arena_alloc(ct_arena *a, size_t size)
{
    const size_t align = alignof(max_align_t);
    size = (size + align - 1) & ~(align - 1);
    if (size == 0) size = align;
    ct_arena_block *b = a->head;
    if (!b || b->size - b->used < size) {
        size_t bs = size > BLOCK_MIN ? size : BLOCK_MIN;
        b = malloc(sizeof *b + bs);
        if (!b) return NULL;
        b->size = bs;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += size;
    a->used_total += size;
    memset(p, 0, size);
    return p;
}

char *ct_arena_strndup(ct_arena *a, const char *s, size_t n)
{
    char *p = ct_arena_alloc(a, n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *ct_arena_strdup(ct_arena *a, const char *s)
{
    return ct_arena_strndup(a, s, strlen(s));
}
