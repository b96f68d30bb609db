/* The YAML tree: positions, quoting, aliases, expansion bound, duplicate keys, syntax errors. */
#include <stdlib.h>
#include <time.h>

#include "load/ct_yaml.h"
#include "test.h"

static ct_status load(ct_ydoc *doc, const char *text, ct_diags *d)
{
    ct_diags_init(d);
    return ct_ydoc_load_string(doc, "t.yaml", text, strlen(text), d);
}

static void test_positions(void)
{
    ct_ydoc doc;
    ct_diags d;
    const char *text =
        "a: 1\n"                 /* 1 */
        "b:\n"                   /* 2 */
        "  - x\n"                /* 3 */
        "  - \"y\"\n"            /* 4 */
        "c: {k: 'v', n: 7}\n"    /* 5 */
        "d: |\n"                 /* 6 */
        "  block\n";             /* 7 */
    CHECK_INT(load(&doc, text, &d), CT_OK);
    CHECK_INT(d.n_errors, 0);
    const ct_ynode *root = doc.root;
    CHECK(root != NULL);
    if (!root) { ct_ydoc_free(&doc); ct_diags_free(&d); return; }
    CHECK_INT(root->type, CT_Y_MAP);
    CHECK_INT(root->n, 8);
    CHECK_INT(root->line, 1);
    CHECK_INT(root->col, 1);
    CHECK_STR(root->items[0]->text, "a");
    CHECK_INT(root->items[0]->line, 1);
    CHECK_INT(root->items[0]->col, 1);
    const ct_ynode *a = ct_ynode_get(root, "a");
    CHECK_STR(a->text, "1");
    CHECK_INT(a->len, 1);
    CHECK_INT(a->line, 1);
    CHECK_INT(a->col, 4);
    CHECK_INT(a->quoted, 0);
    const ct_ynode *b = ct_ynode_get(root, "b");
    CHECK_INT(b->type, CT_Y_SEQ);
    CHECK_INT(b->n, 2);
    CHECK_INT(b->line, 3);
    CHECK_INT(b->col, 3);
    CHECK_STR(b->items[0]->text, "x");
    CHECK_INT(b->items[0]->line, 3);
    CHECK_INT(b->items[0]->col, 5);
    CHECK_INT(b->items[0]->quoted, 0);
    CHECK_STR(b->items[1]->text, "y");
    CHECK_INT(b->items[1]->line, 4);
    CHECK_INT(b->items[1]->col, 5);
    CHECK_INT(b->items[1]->quoted, 1);
    const ct_ynode *c = ct_ynode_get(root, "c");
    CHECK_INT(c->type, CT_Y_MAP);
    CHECK_INT(c->line, 5);
    CHECK_INT(c->col, 4);
    CHECK_INT(c->n, 4);
    const ct_ynode *k = ct_ynode_get(c, "k");
    CHECK_STR(k->text, "v");
    CHECK_INT(k->quoted, 1);
    CHECK_INT(k->col, 8);
    const ct_ynode *n = ct_ynode_get(c, "n");
    CHECK_STR(n->text, "7");
    CHECK_INT(n->col, 16);
    CHECK_INT(n->quoted, 0);
    const ct_ynode *blk = ct_ynode_get(root, "d");
    CHECK_STR(blk->text, "block\n");
    CHECK_INT(blk->quoted, 1);
    CHECK_INT(blk->line, 6);
    CHECK(ct_ynode_get(root, "zz") == NULL);
    CHECK(ct_ynode_get(a, "a") == NULL);   /* not a map */
    CHECK_STR(ct_ynode_kind(b), "a list");
    CHECK_STR(ct_ynode_kind(c), "a mapping");
    CHECK_STR(ct_ynode_kind(a), "a scalar");
    ct_ydoc_free(&doc);
    ct_diags_free(&d);

    /* an empty document has no root and no error */
    CHECK_INT(load(&doc, "# only a comment\n", &d), CT_OK);
    CHECK(doc.root == NULL);
    CHECK_INT(d.n_errors, 0);
    ct_ydoc_free(&doc);
    ct_diags_free(&d);
}

static void test_aliases(void)
{
    ct_ydoc doc;
    ct_diags d;
    const char *text =
        "base: &b {level: commune, type: count}\n"
        "use: *b\n"
        "list: [&s one, *s, *b]\n";
    CHECK_INT(load(&doc, text, &d), CT_OK);
    CHECK_INT(d.n_errors, 0);
    if (doc.root) {
        const ct_ynode *base = ct_ynode_get(doc.root, "base");
        const ct_ynode *use = ct_ynode_get(doc.root, "use");
        CHECK(base != NULL && base == use);  /* shared, not copied */
        CHECK_STR(ct_ynode_get(use, "type")->text, "count");
        const ct_ynode *list = ct_ynode_get(doc.root, "list");
        CHECK_INT(list->n, 3);
        CHECK(list->items[0] == list->items[1]);
        CHECK_STR(list->items[1]->text, "one");
        CHECK(list->items[2] == base);
    }
    ct_ydoc_free(&doc);
    ct_diags_free(&d);

    /* an alias to an anchor that is not defined */
    CHECK(load(&doc, "a: *nowhere\n", &d) != CT_OK);
    CHECK(doc.root == NULL);
    CHECK_INT(d.n_errors, 1);
    if (d.n) { CHECK_INT(d.items[0].line, 1); CHECK_INT(d.items[0].col, 4); }
    ct_ydoc_free(&doc);
    ct_diags_free(&d);
}

static void test_billion_laughs(void)
{
    /* 10 levels of 10 aliases each: 10^9 nodes when expanded */
    char text[4096];
    size_t n = 0;
    n += (size_t)snprintf(text + n, sizeof text - n, "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i <= 9; i++) {
        n += (size_t)snprintf(text + n, sizeof text - n, "l%d: &l%d [", i, i);
        for (int j = 0; j < 10; j++)
            n += (size_t)snprintf(text + n, sizeof text - n, "%s*l%d", j ? ", " : "", i - 1);
        n += (size_t)snprintf(text + n, sizeof text - n, "]\n");
    }
    ct_ydoc doc;
    ct_diags d;
    clock_t t0 = clock();
    ct_status st = load(&doc, text, &d);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK_INT(st, CT_EINPUT);
    CHECK(doc.root == NULL);
    CHECK_INT(d.n_errors, 1);
    CHECK(DIAGS_HAVE(d, "expand"));
    if (d.n) { CHECK_INT(d.items[0].line, 1); CHECK_STR(d.items[0].file, "t.yaml"); }
    if (secs >= 0.5) fprintf(stderr, "billion laughs took %.3f s\n", secs);
    CHECK(secs < 0.5);
    ct_ydoc_free(&doc);
    ct_diags_free(&d);

    /* a moderate amount of sharing stays under the bound and is accepted */
    CHECK_INT(load(&doc, "a: &a [1, 2, 3]\nb: [*a, *a, *a]\n", &d), CT_OK);
    CHECK(doc.root != NULL);
    ct_ydoc_free(&doc);
    ct_diags_free(&d);
}

static void test_self_alias(void)
{
    ct_ydoc doc;
    ct_diags d;
    ct_status st = load(&doc, "a: &x [1, *x]\n", &d);
    CHECK_INT(st, CT_EINPUT);
    CHECK(doc.root == NULL);
    CHECK(d.n_errors >= 1);
    ct_ydoc_free(&doc);
    ct_diags_free(&d);

    st = load(&doc, "a: &m {k: *m}\n", &d);
    CHECK_INT(st, CT_EINPUT);
    CHECK(doc.root == NULL);
    CHECK(d.n_errors >= 1);
    ct_ydoc_free(&doc);
    ct_diags_free(&d);
}

static void test_duplicate_keys(void)
{
    ct_ydoc doc;
    ct_diags d;
    const char *text =
        "plan:\n"          /* 1 */
        "  id: x\n"        /* 2 */
        "  title: t\n"     /* 3 */
        "  id: y\n"        /* 4 */
        "other: 1\n";      /* 5 */
    CHECK_INT(load(&doc, text, &d), CT_EINPUT);
    CHECK_INT(d.n_errors, 1);
    if (d.n == 1) {
        CHECK_INT(d.items[0].line, 4);
        CHECK_INT(d.items[0].col, 3);
        CHECK(strstr(d.items[0].msg, "duplicate key 'id'") != NULL);
        CHECK(strstr(d.items[0].msg, "line 2") != NULL);
    }
    ct_ydoc_free(&doc);
    ct_diags_free(&d);

    /* in a flow mapping too */
    CHECK_INT(load(&doc, "m: {a: 1, b: 2, a: 3}\n", &d), CT_EINPUT);
    CHECK_INT(d.n_errors, 1);
    if (d.n == 1) {
        CHECK_INT(d.items[0].line, 1);
        CHECK_INT(d.items[0].col, 17);
        CHECK(strstr(d.items[0].msg, "line 1") != NULL);
    }
    ct_ydoc_free(&doc);
    ct_diags_free(&d);
}

static void test_syntax_errors(void)
{
    ct_ydoc doc;
    ct_diags d;
    /* a tab cannot start a token */
    CHECK_INT(load(&doc, "a:\n  b: 1\n\tc: 2\n", &d), CT_EINPUT);
    CHECK(doc.root == NULL);
    CHECK_INT(d.n_errors, 1);
    if (d.n) {
        CHECK_INT(d.items[0].line, 3);
        CHECK_STR(d.items[0].file, "t.yaml");
        CHECK(strstr(d.items[0].msg, "YAML syntax") != NULL);
    }
    ct_ydoc_free(&doc);
    ct_diags_free(&d);

    /* a list item where a mapping key is expected */
    CHECK_INT(load(&doc, "a: 1\nb: 2\n- c\n", &d), CT_EINPUT);
    CHECK_INT(d.n_errors, 1);
    if (d.n) { CHECK_INT(d.items[0].line, 3); CHECK_INT(d.items[0].col, 1); }
    ct_ydoc_free(&doc);
    ct_diags_free(&d);

    /* two documents in one plan file */
    CHECK_INT(load(&doc, "a: 1\n---\nb: 2\n", &d), CT_EINPUT);
    CHECK_INT(d.n_errors, 1);
    if (d.n) CHECK_INT(d.items[0].line, 2);
    ct_ydoc_free(&doc);
    ct_diags_free(&d);

    /* a missing file */
    ct_diags_init(&d);
    CHECK_INT(ct_ydoc_load(&doc, "/tmp/ct_yaml_no_such_dir/p.yaml", &d), CT_EIO);
    CHECK_INT(d.n_errors, 1);
    if (d.n) CHECK_STR(d.items[0].file, "/tmp/ct_yaml_no_such_dir/p.yaml");
    ct_ydoc_free(&doc);
    ct_diags_free(&d);
}

int main(void)
{
    test_positions();
    test_aliases();
    test_billion_laughs();
    test_self_alias();
    test_duplicate_keys();
    test_syntax_errors();
    return test_report("test_yaml");
}
