/* libFuzzer harness for the YAML tree builder (engine/load/ct_yaml.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "load/ct_yaml.h"

/* Visits the tree (bounded: aliases share nodes) touching every field. */
static void walk(const ct_ynode *n, int depth, size_t *budget)
{
    if (!n || *budget == 0 || depth > 1000) return;
    (*budget)--;
    (void)ct_ynode_kind(n);
    if (n->type == CT_Y_SCALAR) {
        if (!n->text || strlen(n->text) > n->len) abort();
        int line, col;
        ct_ynode_text_pos(n, 0, &line, &col);
        ct_ynode_text_pos(n, n->len / 2, &line, &col);
        ct_ynode_text_pos(n, n->len, &line, &col);
        ct_ynode_text_pos(n, n->len + 5, &line, &col);
        return;
    }
    if (n->type == CT_Y_MAP) {
        if (n->n % 2) abort();
        /* a lookup is linear in the keys (the loader asks a few names of
         * each mapping): look up the first 64 keys, not every one, or the
         * harness itself is quadratic on a mapping of many keys */
        for (size_t i = 0; i < n->n && i < 128; i += 2)
            if (n->items[i]->type == CT_Y_SCALAR) (void)ct_ynode_get(n, n->items[i]->text);
        (void)ct_ynode_get(n, "plan");
    }
    for (size_t i = 0; i < n->n; i++) walk(n->items[i], depth + 1, budget);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* an exact-size copy: ct_ydoc_load_string takes (text, len), no terminator */
    char *text = malloc(size ? size : 1);
    if (!text) abort();
    if (size) memcpy(text, data, size);
    ct_diags d;
    ct_diags_init(&d);
    ct_ydoc doc;
    ct_status st = ct_ydoc_load_string(&doc, "fuzz.yaml", text, size, &d);
    if (st == CT_OK && doc.root) {
        size_t budget = 100000;
        walk(doc.root, 0, &budget);
    }
    for (size_t i = 0; i < d.n; i++) {
        char line[1400];
        ct_diag_format(&d.items[i], line, sizeof line);
    }
    ct_ydoc_free(&doc);
    ct_diags_free(&d);
    free(text);
    return 0;
}
