#include "ct_strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h ^ (h >> 29);
}

void ct_strmap_init(ct_strmap *m)
{
    memset(m, 0, sizeof *m);
    ct_arena_init(&m->arena);
}

void ct_strmap_free(ct_strmap *m)
{
    free(m->keys);
    free(m->lens);
    free(m->vals);
    ct_arena_free(&m->arena);
    memset(m, 0, sizeof *m);
}

static size_t find_slot(const ct_strmap *m, const char *key, size_t len)
{
    size_t mask = m->cap - 1;
    size_t i = (size_t)hash_bytes(key, len) & mask;
    while (m->keys[i]) {
        if (m->lens[i] == len && memcmp(m->keys[i], key, len) == 0) return i;
        i = (i + 1) & mask;
    }
    return i;
}

int ct_strmap_get(const ct_strmap *m, const char *key, size_t len)
{
    if (m->cap == 0) return -1;
    size_t i = find_slot(m, key, len);
    return m->keys[i] ? m->vals[i] : -1;
}

const char *ct_strmap_key(const ct_strmap *m, const char *key, size_t len)
{
    if (m->cap == 0) return NULL;
    size_t i = find_slot(m, key, len);
    return m->keys[i];
}

int ct_strmap_set(ct_strmap *m, const char *key, size_t len, int val)
{
    if (m->cap == 0) return -1;
    size_t i = find_slot(m, key, len);
    if (!m->keys[i]) return -1;
    m->vals[i] = val;
    return 0;
}

static int grow(ct_strmap *m)
{
    size_t nc = m->cap ? m->cap * 2 : 64;
    const char **ok = m->keys;
    unsigned *ol = m->lens;
    int *ov = m->vals;
    size_t oc = m->cap;
    m->keys = calloc(nc, sizeof *m->keys);
    m->lens = calloc(nc, sizeof *m->lens);
    m->vals = calloc(nc, sizeof *m->vals);
    if (!m->keys || !m->lens || !m->vals) {
        free(m->keys); free(m->lens); free(m->vals);
        m->keys = ok; m->lens = ol; m->vals = ov;
        return -1;
    }
    m->cap = nc;
    for (size_t i = 0; i < oc; i++) {
        if (!ok[i]) continue;
        size_t j = find_slot(m, ok[i], ol[i]);
        m->keys[j] = ok[i];
        m->lens[j] = ol[i];
        m->vals[j] = ov[i];
    }
    free(ok); free(ol); free(ov);
    return 0;
}

int ct_strmap_put(ct_strmap *m, const char *key, size_t len, int val)
{
    if ((m->n + 1) * 2 > m->cap && grow(m) != 0) return -2;
    size_t i = find_slot(m, key, len);
    if (m->keys[i]) return m->vals[i];
    char *copy = ct_arena_strndup(&m->arena, key, len);
    if (!copy) return -2;
    m->keys[i] = copy;
    m->lens[i] = (unsigned)len;
    m->vals[i] = val;
    m->n++;
    return val;
}
