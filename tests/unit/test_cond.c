/* Conditions: parsing, precedence, comparisons, strict unknowns, syntax errors with offsets. */
#include <stdlib.h>

#include "model/ct_cond.h"
#include "test.h"

/* A lookup table of names and values (NaN: no data). */
typedef struct {
    const char *name;
    double value;
} var;

typedef struct {
    const var *vars;
    int n;
} table;

static double lookup(const ct_cond *leaf, void *ctx)
{
    const table *t = ctx;
    for (int i = 0; i < t->n; i++)
        if (strcmp(t->vars[i].name, leaf->name) == 0) return t->vars[i].value;
    fprintf(stderr, "lookup of unexpected name '%s'\n", leaf->name);
    return NAN;
}

static ct_arena arena;

/* Parses and evaluates text; -2 when it does not parse. */
static int ev(const char *text, const var *vars, int n)
{
    char err[200];
    int off = -1;
    ct_cond *c = ct_cond_parse(&arena, text, err, sizeof err, &off);
    if (!c) {
        fprintf(stderr, "did not parse: '%s': %s at %d\n", text, err, off);
        return -2;
    }
    table t = {vars, n};
    return ct_cond_eval(c, lookup, &t);
}

#define EV(text, ...) ev((text), (const var[]){__VA_ARGS__}, \
                         (int)(sizeof((const var[]){__VA_ARGS__}) / sizeof(var)))

static void test_tree(void)
{
    char err[200];
    int off = -1;
    ct_cond *c = ct_cond_parse(&arena, "  staff_trained >= -2.5", err, sizeof err, &off);
    CHECK(c != NULL);
    if (c) {
        CHECK_INT(c->op, CT_C_CMP);
        CHECK_STR(c->name, "staff_trained");
        CHECK_INT(c->offset, 2);
        CHECK_INT(c->cmp, CT_CMP_GE);
        CHECK_NUM(c->number, -2.5, 0);
    }
    /* a or b and c: or at the top, and below it on the right */
    c = ct_cond_parse(&arena, "a == 1 or b != 0.25 and not c < 3", err, sizeof err, &off);
    CHECK(c != NULL);
    if (c) {
        CHECK_INT(c->op, CT_C_OR);
        CHECK_INT(c->a->op, CT_C_CMP);
        CHECK_STR(c->a->name, "a");
        CHECK_INT(c->a->offset, 0);
        CHECK_INT(c->b->op, CT_C_AND);
        CHECK_STR(c->b->a->name, "b");
        CHECK_INT(c->b->a->offset, 10);
        CHECK_INT(c->b->a->cmp, CT_CMP_NE);
        CHECK_NUM(c->b->a->number, 0.25, 0);
        CHECK_INT(c->b->b->op, CT_C_NOT);
        CHECK_STR(c->b->b->a->name, "c");
        CHECK_INT(c->b->b->a->offset, 28);
        CHECK_INT(c->b->b->a->cmp, CT_CMP_LT);
    }
    /* names that start with a keyword are names */
    c = ct_cond_parse(&arena, "notable == 1 and order_x == 2 or android == 3", err, sizeof err, &off);
    CHECK(c != NULL);
    if (c) {
        CHECK_INT(c->op, CT_C_OR);
        CHECK_STR(c->a->a->name, "notable");
        CHECK_STR(c->a->b->name, "order_x");
        CHECK_STR(c->b->name, "android");
    }
    /* no spaces needed around operators */
    c = ct_cond_parse(&arena, "(x<=1)or(y>2)", err, sizeof err, &off);
    CHECK(c != NULL);
    if (c) { CHECK_INT(c->op, CT_C_OR); CHECK_INT(c->a->cmp, CT_CMP_LE); CHECK_INT(c->b->cmp, CT_CMP_GT); }
}

static void test_precedence(void)
{
    /* and binds tighter than or: 1 or (0 and 0) = 1; (1 or 0) and 0 would be 0 */
    CHECK_INT(EV("a == 1 or b == 1 and c == 1", {"a", 1}, {"b", 0}, {"c", 0}), 1);
    CHECK_INT(EV("a == 1 and b == 1 or c == 1", {"a", 0}, {"b", 1}, {"c", 1}), 1);
    CHECK_INT(EV("a == 1 and b == 1 or c == 1", {"a", 1}, {"b", 0}, {"c", 0}), 0);
    /* not binds tighter than and: (not 0) and 0 = 0; not (0 and 0) would be 1 */
    CHECK_INT(EV("not a == 1 and b == 1", {"a", 0}, {"b", 0}), 0);
    CHECK_INT(EV("not a == 1 and b == 1", {"a", 0}, {"b", 1}), 1);
    /* not binds tighter than or: (not 1) or 1 = 1; not (1 or 1) would be 0 */
    CHECK_INT(EV("not a == 1 or b == 1", {"a", 1}, {"b", 1}), 1);
    CHECK_INT(EV("not not a == 1", {"a", 1}), 1);
    /* parentheses */
    CHECK_INT(EV("(a == 1 or b == 1) and c == 1", {"a", 1}, {"b", 0}, {"c", 0}), 0);
    CHECK_INT(EV("(a == 1 or b == 1) and c == 1", {"a", 0}, {"b", 1}, {"c", 1}), 1);
    CHECK_INT(EV("not (a == 1 and b == 1)", {"a", 0}, {"b", 0}), 1);
    CHECK_INT(EV("not (a == 1 and b == 1)", {"a", 1}, {"b", 1}), 0);
    CHECK_INT(EV("((a == 1))", {"a", 1}), 1);
    /* or is left to right and keeps going: 0 or 0 or 1 */
    CHECK_INT(EV("a == 1 or b == 1 or c == 1", {"a", 0}, {"b", 0}, {"c", 1}), 1);
    CHECK_INT(EV("a == 1 and b == 1 and c == 1", {"a", 1}, {"b", 1}, {"c", 0}), 0);
}

static void test_comparisons(void)
{
    CHECK_INT(EV("x == 5", {"x", 5}), 1);
    CHECK_INT(EV("x == 5", {"x", 5.5}), 0);
    CHECK_INT(EV("x != 5", {"x", 5}), 0);
    CHECK_INT(EV("x != 5", {"x", 4}), 1);
    CHECK_INT(EV("x < 5", {"x", 5}), 0);
    CHECK_INT(EV("x < 5", {"x", 4.999}), 1);
    CHECK_INT(EV("x <= 5", {"x", 5}), 1);
    CHECK_INT(EV("x <= 5", {"x", 5.001}), 0);
    CHECK_INT(EV("x > 4.5", {"x", 5}), 1);
    CHECK_INT(EV("x > 4.5", {"x", 4.5}), 0);
    CHECK_INT(EV("x >= 5.5", {"x", 5}), 0);
    CHECK_INT(EV("x >= 5.5", {"x", 5.5}), 1);
    /* negative and decimal numbers */
    CHECK_INT(EV("y < -2.5", {"y", -3}), 1);
    CHECK_INT(EV("y < -2.5", {"y", -2.5}), 0);
    CHECK_INT(EV("y <= -2.5", {"y", -2.5}), 1);
    CHECK_INT(EV("y > -1", {"y", 0}), 1);
    CHECK_INT(EV("y == 0.1", {"y", 0.1}), 1);
    CHECK_INT(EV("y >= .5", {"y", 0.5}), 1);
    CHECK_INT(EV("y == -0", {"y", 0}), 1);
    CHECK_INT(EV("rate.pct > 12.75", {"rate.pct", 12.8}), 1);
}

static void test_unknown(void)
{
    const double nan = NAN;
    CHECK_INT(EV("x == 1", {"x", nan}), -1);
    CHECK_INT(EV("x != 1", {"x", nan}), -1);
    CHECK_INT(EV("not x == 1", {"x", nan}), -1);
    /* strict: an unknown leaf makes the whole condition unknown, even when
     * the other side of or is true or the other side of and is false */
    CHECK_INT(EV("x == 1 or y == 1", {"x", 1}, {"y", nan}), -1);
    CHECK_INT(EV("y == 1 or x == 1", {"x", 1}, {"y", nan}), -1);
    CHECK_INT(EV("x == 1 and y == 1", {"x", 0}, {"y", nan}), -1);
    CHECK_INT(EV("y == 1 and x == 1", {"x", 0}, {"y", nan}), -1);
    CHECK_INT(EV("(x == 1 or y == 1) and z == 1", {"x", 1}, {"y", 1}, {"z", nan}), -1);
    CHECK_INT(EV("not (x == 1 and (z > 0 or y == 1))", {"x", 1}, {"y", 1}, {"z", nan}), -1);
    /* known leaves only: an ordinary answer */
    CHECK_INT(EV("x == 1 or y == 1", {"x", 0}, {"y", 0}), 0);
}

/* Expects text not to parse, with msg in the message and the offset off. */
static void bad(const char *text, const char *msg, int want_off)
{
    char err[200] = "";
    int off = -1;
    ct_cond *c = ct_cond_parse(&arena, text, err, sizeof err, &off);
    if (c) fprintf(stderr, "accepted bad condition '%s'\n", text);
    CHECK(c == NULL);
    if (c) return;
    if (!strstr(err, msg)) fprintf(stderr, "'%s': message '%s' lacks '%s'\n", text, err, msg);
    CHECK(strstr(err, msg) != NULL);
    if (off != want_off) fprintf(stderr, "'%s': %s\n", text, err);
    CHECK_INT(off, want_off);
}

static void test_syntax_errors(void)
{
    bad("a = 1", "use ==", 2);
    bad("a == ", "number", 5);
    bad("a ==", "number", 4);
    bad("a == b", "number", 5);
    bad("a == nan", "number", 5);
    bad("(a == 1", "missing ')'", 0);
    bad("(a == 1 b == 2)", "missing ')'", 8);
    bad("a == 1 b == 2", "expected 'and', 'or'", 7);
    bad("a == 1)", "unbalanced ')'", 6);
    bad("a == 1 and", "end of condition", 10);
    bad("a == 1 or ", "end of condition", 10);
    bad("", "end of condition", 0);
    bad("a", "comparison", 1);
    bad("a === 1", "number", 4);
    bad("1 == a", "name", 0);
    bad("a == 1 and (b == 2 or)", "name", 21);
    /* a keyword where a name must stand is an error at the keyword */
    bad("and a == 1", "", 0);
    bad("a == 1 or or b == 1", "", 10);
}

static int depth_of(const ct_cond *c)
{
    if (!c || c->op == CT_C_CMP) return 1;
    int a = depth_of(c->a), b = c->b ? depth_of(c->b) : 0;
    return 1 + (a > b ? a : b);
}

static int count_leaf(ct_cond *leaf, void *ctx)
{
    long *n = ctx;
    if (leaf->offset != (int)(*n * 11)) return 1;   /* in the order of the text */
    (*n)++;
    return 0;
}

/* 200,000 terms joined by and (or by or): parsed, walked and evaluated in
 * linear time, the tree only about log2(n) deep (it used to be a chain as
 * deep as the terms, which overflowed the stack). */
static void test_long_chains(void)
{
    enum { TERMS = 200000 };
    const char *ops[] = {" and ", " or  "};
    for (int k = 0; k < 2; k++) {
        char *text = malloc((size_t)TERMS * 11 + 1);
        size_t n = 0;
        for (int i = 0; i < TERMS; i++) {
            if (i) { memcpy(text + n, ops[k], 5); n += 5; }
            memcpy(text + n, "x == 1", 6);
            n += 6;
        }
        text[n] = '\0';
        char err[200];
        int off = -1;
        ct_cond *c = ct_cond_parse(&arena, text, err, sizeof err, &off);
        CHECK(c != NULL);
        if (c) {
            CHECK_INT(c->op, k ? CT_C_OR : CT_C_AND);
            CHECK(depth_of(c) <= 20);
            long leaves = 0;
            CHECK_INT(ct_cond_each_leaf(c, count_leaf, &leaves), 0);
            CHECK_INT(leaves, TERMS);
            var one = {"x", 1}, zero = {"x", 0}, none = {"x", NAN};
            table t1 = {&one, 1}, t0 = {&zero, 1}, tn = {&none, 1};
            CHECK_INT(ct_cond_eval(c, lookup, &t1), 1);
            CHECK_INT(ct_cond_eval(c, lookup, &t0), 0);
            CHECK_INT(ct_cond_eval(c, lookup, &tn), -1);
        }
        free(text);
    }
    /* a chain mixed with parentheses keeps its meaning */
    var v[] = {{"a", 1}, {"b", 0}, {"c", 1}, {"d", 1}};
    CHECK_INT(ev("a == 1 and (b == 1 or c == 1) and d == 1 and a == 1", v, 4), 1);
    CHECK_INT(ev("b == 1 or b == 1 or b == 1 or c == 1 and d == 0", v, 4), 0);
    CHECK_INT(ev("b == 1 or b == 1 or b == 1 or c == 1 and d == 1", v, 4), 1);
}

int main(void)
{
    ct_arena_init(&arena);
    test_tree();
    test_precedence();
    test_comparisons();
    test_unknown();
    test_syntax_errors();
    test_long_chains();
    ct_arena_free(&arena);
    return test_report("test_cond");
}
