/* libFuzzer harness for the condition parser (engine/model/ct_cond.c):
 * parse, then walk and evaluate the tree with a lookup derived from names. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/ct_arena.h"
#include "fuzz_util.h"
#include "model/ct_cond.h"

static size_t text_len;

static int leaf(ct_cond *c, void *ctx)
{
    (void)ctx;
    if (!c->name || c->offset < 0 || (size_t)c->offset >= text_len) abort();
    c->ref_kind = CT_REF_METRIC;
    c->ref = (int)strlen(c->name);
    return 0;
}

static double lookup(const ct_cond *c, void *ctx)
{
    (void)ctx;
    return c->ref % 3 == 0 ? NAN : (double)(c->ref % 7);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    text_len = size;
    ct_arena a;
    ct_arena_init(&a);
    char err[200];
    int off = -1;
    ct_cond *c = ct_cond_parse(&a, text, err, sizeof err, &off);
    if (c) {
        ct_cond_each_leaf(c, leaf, NULL);
        int r = ct_cond_eval(c, lookup, NULL);
        if (r < -1 || r > 1) abort();
    } else {
        /* the error offset lies within the text (or at its end) */
        if (off < 0 || (size_t)off > strlen(text)) abort();
        if (!memchr(err, '\0', sizeof err)) abort();
    }
    ct_arena_free(&a);
    free(text);
    return 0;
}
