#include "ct_cond.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/ct_number.h"

typedef struct {
    ct_arena *arena;
    const char *s;
    int pos;
    char *err;
    size_t err_size;
    int err_offset;
    int failed;
    int depth;
} parser;

static void fail(parser *p, int at, const char *msg)
{
    if (p->failed) return;
    p->failed = 1;
    p->err_offset = at;
    snprintf(p->err, p->err_size, "%s", msg);
}

static void skip_ws(parser *p)
{
    while (p->s[p->pos] && isspace((unsigned char)p->s[p->pos])) p->pos++;
}

static int is_name_start(int c) { return isalpha(c) || c == '_'; }
static int is_name_char(int c) { return isalnum(c) || c == '_' || c == '.'; }

/* Accepts a keyword (and/or/not) only as a whole word. */
static int keyword(parser *p, const char *kw)
{
    skip_ws(p);
    size_t n = strlen(kw);
    if (strncmp(p->s + p->pos, kw, n) == 0 && !is_name_char((unsigned char)p->s[p->pos + n])) {
        p->pos += (int)n;
        return 1;
    }
    return 0;
}

static ct_cond *node(parser *p, ct_cond_op op)
{
    ct_cond *c = ct_arena_alloc(p->arena, sizeof *c);
    if (!c) fail(p, p->pos, "out of memory");
    else { memset(c, 0, sizeof *c); c->op = op; }
    return c;
}

static ct_cond *parse_or(parser *p);

static int parse_cmp_op(parser *p, ct_cmp *out)
{
    skip_ws(p);
    const char *s = p->s + p->pos;
    static const struct { const char *t; ct_cmp c; } ops[] = {
        {"==", CT_CMP_EQ}, {"!=", CT_CMP_NE}, {"<=", CT_CMP_LE},
        {">=", CT_CMP_GE}, {"<", CT_CMP_LT},  {">", CT_CMP_GT},
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        size_t n = strlen(ops[i].t);
        if (strncmp(s, ops[i].t, n) == 0) { p->pos += (int)n; *out = ops[i].c; return 0; }
    }
    if (*s == '=') fail(p, p->pos, "use == to compare, not =");
    else fail(p, p->pos, "expected a comparison (==, !=, <, <=, >, >=)");
    return -1;
}

static ct_cond *parse_comparison(parser *p)
{
    skip_ws(p);
    int start = p->pos;
    if (!is_name_start((unsigned char)p->s[p->pos])) {
        fail(p, p->pos, p->s[p->pos] ? "expected a metric or attribute name" : "unexpected end of condition");
        return NULL;
    }
    while (is_name_char((unsigned char)p->s[p->pos])) p->pos++;
    int len = p->pos - start;
    if ((len == 3 && !strncmp(p->s + start, "and", 3)) || (len == 2 && !strncmp(p->s + start, "or", 2))) {
        fail(p, start, "'and' and 'or' need a comparison on each side");
        return NULL;
    }
    ct_cond *c = node(p, CT_C_CMP);
    if (!c) return NULL;
    c->name = ct_arena_strndup(p->arena, p->s + start, (size_t)(p->pos - start));
    c->offset = start;
    if (parse_cmp_op(p, &c->cmp) != 0) return NULL;
    skip_ws(p);
    const char *num = p->s + p->pos;
    size_t span = ct_number_span(num, (size_t)-1); /* stops at the NUL */
    double v;
    ct_number_status ns = span ? ct_number_parse(num, span, &v) : CT_NUM_SYNTAX;
    if (ns == CT_NUM_SYNTAX) {
        fail(p, p->pos, "expected a number after the comparison");
        return NULL;
    }
    if (ns != CT_NUM_OK) {
        char msg[160];
        snprintf(msg, sizeof msg, "the number %s", ct_number_problem(ns));
        fail(p, p->pos, msg);
        return NULL;
    }
    c->number = v;
    p->pos += (int)span;
    return c;
}

static ct_cond *parse_primary(parser *p)
{
    if (++p->depth > 100) { fail(p, p->pos, "condition nested too deeply"); return NULL; }
    ct_cond *r;
    skip_ws(p);
    if (keyword(p, "not")) {
        r = node(p, CT_C_NOT);
        if (r) r->a = parse_primary(p);
        if (r && !r->a) r = NULL;
    } else if (p->s[p->pos] == '(') {
        int open = p->pos++;
        r = parse_or(p);
        skip_ws(p);
        if (r && p->s[p->pos] != ')') { fail(p, p->s[p->pos] ? p->pos : open, "missing ')'"); r = NULL; }
        else if (r) p->pos++;
    } else {
        r = parse_comparison(p);
    }
    p->depth--;
    return r;
}

/* A chain "x and y and z ..." as a balanced tree of its operands (and and or
 * are associative), so that a chain of any length is only log2(n) deep and
 * nothing that walks the tree can run out of stack. */
static ct_cond *balanced(parser *p, ct_cond_op op, ct_cond **items, size_t lo, size_t hi)
{
    if (hi - lo == 1) return items[lo];
    size_t mid = lo + (hi - lo) / 2;
    ct_cond *c = node(p, op);
    if (!c) return NULL;
    c->a = balanced(p, op, items, lo, mid);
    c->b = balanced(p, op, items, mid, hi);
    return c->a && c->b ? c : NULL;
}

static ct_cond *parse_binary(parser *p, const char *kw, ct_cond_op op, ct_cond *(*sub)(parser *))
{
    ct_cond *first = sub(p);
    if (!first || !keyword(p, kw)) return first;
    ct_cond **items = NULL;
    size_t n = 0, cap = 0;
    ct_cond *item = first, *r = NULL;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            ct_cond **ni = realloc(items, cap * sizeof *ni);
            if (!ni) { fail(p, p->pos, "out of memory"); goto done; }
            items = ni;
        }
        items[n++] = item;
        if (n > 1 && !keyword(p, kw)) break;
        item = sub(p);
        if (!item) goto done;
    }
    r = balanced(p, op, items, 0, n);
done:
    free(items);
    return r;
}

static ct_cond *parse_and(parser *p) { return parse_binary(p, "and", CT_C_AND, parse_primary); }
static ct_cond *parse_or(parser *p) { return parse_binary(p, "or", CT_C_OR, parse_and); }

ct_cond *ct_cond_parse(ct_arena *arena, const char *text, char *err,
                       size_t err_size, int *err_offset)
{
    parser p = {arena, text, 0, err, err_size, 0, 0, 0};
    ct_cond *c = parse_or(&p);
    if (c && !p.failed) {
        skip_ws(&p);
        if (p.s[p.pos] != '\0') {
            fail(&p, p.pos, p.s[p.pos] == ')' ? "unbalanced ')'" : "expected 'and', 'or' or the end of the condition");
            c = NULL;
        }
    }
    if (p.failed) {
        *err_offset = p.err_offset;
        return NULL;
    }
    return c;
}

int ct_cond_each_leaf(ct_cond *c, ct_cond_leaf_fn fn, void *ctx)
{
    if (!c) return 0;
    if (c->op == CT_C_CMP) return fn(c, ctx);
    int rc = ct_cond_each_leaf(c->a, fn, ctx);
    if (c->b) rc |= ct_cond_each_leaf(c->b, fn, ctx);
    return rc;
}

static int compare(ct_cmp op, double x, double y)
{
    switch (op) {
    case CT_CMP_EQ: return x == y;
    case CT_CMP_NE: return x != y;
    case CT_CMP_LT: return x < y;
    case CT_CMP_LE: return x <= y;
    case CT_CMP_GT: return x > y;
    case CT_CMP_GE: return x >= y;
    }
    return 0;
}

int ct_cond_eval(const ct_cond *c, ct_cond_lookup_fn lookup, void *ctx)
{
    switch (c->op) {
    case CT_C_CMP: {
        double v = lookup(c, ctx);
        if (isnan(v)) return -1;
        return compare(c->cmp, v, c->number);
    }
    case CT_C_NOT: {
        int r = ct_cond_eval(c->a, lookup, ctx);
        return r < 0 ? -1 : !r;
    }
    case CT_C_AND:
    case CT_C_OR: {
        int x = ct_cond_eval(c->a, lookup, ctx);
        int y = ct_cond_eval(c->b, lookup, ctx);
        if (x < 0 || y < 0) return -1;
        return c->op == CT_C_AND ? (x && y) : (x || y);
    }
    }
    return -1;
}
