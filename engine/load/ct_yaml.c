#include "ct_yaml.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "../core/ct_file.h"
#include "../core/ct_strmap.h"

/* A growable stack of nodes being filled. */
typedef struct {
    ct_ynode *node;
    ct_ynode **items;
    size_t n, cap;
} frame;

typedef struct {
    ct_ydoc *doc;
    ct_diags *d;
    const char *src;      /* the document's text, to place block scalars */
    size_t src_len;
    size_t scan_pos;      /* where placing the last block scalar left off */
    int scan_line;
    frame *stack;
    size_t depth, cap;
    ct_strmap anchors;    /* anchor name -> index into anchored */
    ct_ynode **anchored;
    size_t n_anchored, cap_anchored;
} builder;

enum { MAX_DEPTH = 200 };

static ct_ynode *new_node(builder *b, ct_ynode_type t, yaml_mark_t m)
{
    ct_ynode *n = ct_arena_alloc(&b->doc->arena, sizeof *n);
    if (!n) return NULL;
    n->type = t;
    n->line = (int)m.line + 1;
    n->col = (int)m.column + 1;
    return n;
}

static int push_item(frame *f, ct_ynode *item)
{
    if (f->n == f->cap) {
        size_t nc = f->cap ? f->cap * 2 : 8;
        ct_ynode **ni = realloc(f->items, nc * sizeof *ni);
        if (!ni) return -1;
        f->items = ni;
        f->cap = nc;
    }
    f->items[f->n++] = item;
    return 0;
}

static int add_anchor(builder *b, const char *name, ct_ynode *node)
{
    if (b->n_anchored == b->cap_anchored) {
        size_t nc = b->cap_anchored ? b->cap_anchored * 2 : 8;
        ct_ynode **na = realloc(b->anchored, nc * sizeof *na);
        if (!na) return -1;
        b->anchored = na;
        b->cap_anchored = nc;
    }
    int idx = (int)b->n_anchored;
    /* a redefined anchor refers to the newest node */
    int old = ct_strmap_get(&b->anchors, name, strlen(name));
    if (old >= 0) { b->anchored[old] = node; return 0; }
    if (ct_strmap_put(&b->anchors, name, strlen(name), idx) < 0) return -1;
    b->anchored[b->n_anchored++] = node;
    return 0;
}

/* Attaches a finished node to its parent, or makes it the root. */
static int attach(builder *b, ct_ynode *node)
{
    if (b->depth == 0) { b->doc->root = node; return 0; }
    return push_item(&b->stack[b->depth - 1], node);
}

static int open_frame(builder *b, ct_ynode *node, const yaml_mark_t m)
{
    if (b->depth >= MAX_DEPTH) {
        ct_error_at(b->d, b->doc->path, (int)m.line + 1, (int)m.column + 1,
                    "nesting deeper than %d levels", MAX_DEPTH);
        return -1;
    }
    if (b->depth == b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 16;
        frame *ns = realloc(b->stack, nc * sizeof *ns);
        if (!ns) return -1;
        b->stack = ns;
        b->cap = nc;
    }
    frame *f = &b->stack[b->depth++];
    memset(f, 0, sizeof *f);
    f->node = node;
    return 0;
}

static int close_frame(builder *b)
{
    frame *f = &b->stack[--b->depth];
    ct_ynode *node = f->node;
    node->n = f->n;
    if (f->n) {
        node->items = ct_arena_alloc(&b->doc->arena, f->n * sizeof *node->items);
        if (!node->items) { free(f->items); return -1; }
        memcpy(node->items, f->items, f->n * sizeof *node->items);
    }
    free(f->items);
    return attach(b, node);
}

/* Where a scalar's text starts: after the quote of a quoted scalar; for a
 * block scalar (| or >) at the first non-blank of the next line. */
static void place_text(builder *b, ct_ynode *n, yaml_scalar_style_t style)
{
    n->text_line = n->line;
    n->text_col = n->col;
    if (style == YAML_SINGLE_QUOTED_SCALAR_STYLE || style == YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
        n->text_col++;
        return;
    }
    if (style != YAML_LITERAL_SCALAR_STYLE && style != YAML_FOLDED_SCALAR_STYLE) return;
    /* scalars come in document order: the scan goes on from the last one */
    if (b->scan_line > n->line) { b->scan_pos = 0; b->scan_line = 1; }
    size_t i = b->scan_pos;
    int line = b->scan_line;
    while (i < b->src_len && line <= n->line) {
        if (b->src[i] == '\n') line++;
        i++;
    }
    b->scan_pos = i;
    b->scan_line = line;
    for (;;) { /* skip blank lines */
        size_t j = i;
        while (j < b->src_len && b->src[j] == ' ') j++;
        if (j < b->src_len && b->src[j] == '\n') { i = j + 1; line++; continue; }
        n->text_line = line;
        n->text_col = (int)(j - i) + 1;
        return;
    }
}

void ct_ynode_text_pos(const ct_ynode *n, size_t offset, int *line, int *col)
{
    int l = n->text_line, c = n->text_col;
    for (size_t i = 0; i < offset && i < n->len; i++) {
        if (n->text[i] == '\n') { *line = l + 1; *col = n->text_col; return; }
        if (((unsigned char)n->text[i] & 0xC0) != 0x80) c++; /* count characters, not bytes */
    }
    *line = l;
    *col = c;
}

static int on_event(builder *b, yaml_event_t *ev)
{
    ct_ydoc *doc = b->doc;
    switch (ev->type) {
    case YAML_SCALAR_EVENT: {
        ct_ynode *n = new_node(b, CT_Y_SCALAR, ev->start_mark);
        if (!n) return -1;
        n->text = ct_arena_strndup(&doc->arena, (const char *)ev->data.scalar.value,
                                   ev->data.scalar.length);
        if (!n->text) return -1;
        n->len = ev->data.scalar.length;
        n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
        place_text(b, n, ev->data.scalar.style);
        if (ev->data.scalar.anchor && add_anchor(b, (const char *)ev->data.scalar.anchor, n)) return -1;
        return attach(b, n);
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        int seq = ev->type == YAML_SEQUENCE_START_EVENT;
        ct_ynode *n = new_node(b, seq ? CT_Y_SEQ : CT_Y_MAP, ev->start_mark);
        if (!n) return -1;
        const yaml_char_t *anchor = seq ? ev->data.sequence_start.anchor : ev->data.mapping_start.anchor;
        if (anchor && add_anchor(b, (const char *)anchor, n)) return -1;
        return open_frame(b, n, ev->start_mark);
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return close_frame(b);
    case YAML_ALIAS_EVENT: {
        const char *name = (const char *)ev->data.alias.anchor;
        int idx = ct_strmap_get(&b->anchors, name, strlen(name));
        if (idx < 0) {
            ct_error_at(b->d, doc->path, (int)ev->start_mark.line + 1,
                        (int)ev->start_mark.column + 1, "unknown alias *%s", name);
            return -1;
        }
        return attach(b, b->anchored[idx]);
    }
    default:
        return 0;
    }
}

/* Size of a node counting aliases as copies, saturating at limit + 1.
 * Each node is sized once (shared subtrees cost one visit); a node that
 * contains itself through an alias is infinite. */
static size_t expanded_size(ct_ynode *n, size_t limit)
{
    if (n->expanded == SIZE_MAX) return limit + 1; /* a cycle */
    if (n->expanded) return n->expanded;
    n->expanded = SIZE_MAX;
    size_t total = 1;
    for (size_t i = 0; i < n->n && total <= limit; i++)
        total += expanded_size(n->items[i], limit);
    if (total > limit) total = limit + 1;
    n->expanded = total;
    return total;
}

static int check_duplicate_keys(const ct_ydoc *doc, const ct_ynode *n, ct_diags *d, size_t *budget)
{
    if (*budget == 0) return 0;
    (*budget)--;
    int bad = 0;
    if (n->type == CT_Y_MAP) {
        ct_strmap seen; /* key -> position of its first occurrence */
        ct_strmap_init(&seen);
        for (size_t i = 0; i < n->n; i += 2) {
            const ct_ynode *k = n->items[i];
            if (k->type != CT_Y_SCALAR) {
                ct_error_at(d, doc->path, k->line, k->col, "a mapping key must be a plain text key, not %s", ct_ynode_kind(k));
                bad = 1;
                continue;
            }
            int first = ct_strmap_put(&seen, k->text, k->len, (int)i);
            if (first >= 0 && first != (int)i) {
                ct_error_at(d, doc->path, k->line, k->col, "duplicate key '%s' (first at line %d)", k->text,
                            n->items[first]->line);
                bad = 1;
            }
        }
        ct_strmap_free(&seen);
    }
    for (size_t i = 0; i < n->n; i++)
        bad |= check_duplicate_keys(doc, n->items[i], d, budget);
    return bad;
}

static ct_status parse(ct_ydoc *doc, yaml_parser_t *p, const char *src, size_t src_len, ct_diags *d)
{
    builder b;
    memset(&b, 0, sizeof b);
    b.doc = doc;
    b.d = d;
    b.src = src;
    b.src_len = src_len;
    b.scan_line = 1;
    ct_strmap_init(&b.anchors);
    ct_status st = CT_OK;
    int docs = 0;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(p, &ev)) {
            /* an unclosed construct is best shown where it starts */
            int unclosed = p->context && p->problem && strstr(p->problem, "end of stream");
            yaml_mark_t m = unclosed ? p->context_mark : p->problem_mark;
            ct_error_at(d, doc->path, (int)m.line + 1, (int)m.column + 1, "YAML syntax: %s%s%s",
                        p->problem ? p->problem : "error",
                        p->context ? " " : "", p->context ? p->context : "");
            st = CT_EINPUT;
            break;
        }
        if (ev.type == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
            ct_error_at(d, doc->path, (int)ev.start_mark.line + 1, 1, "only one YAML document per plan file");
            yaml_event_delete(&ev);
            st = CT_EINPUT;
            break;
        }
        int done = ev.type == YAML_STREAM_END_EVENT;
        int rc = on_event(&b, &ev);
        yaml_event_delete(&ev);
        if (rc != 0) {
            if (d->n_errors == 0) ct_error_at(d, doc->path, 0, 0, "out of memory while reading YAML");
            st = CT_EINPUT;
            break;
        }
        if (done) break;
    }
    for (size_t i = 0; i < b.depth; i++) free(b.stack[i].items);
    free(b.stack);
    free(b.anchored);
    ct_strmap_free(&b.anchors);
    if (st != CT_OK) { doc->root = NULL; return st; }
    if (doc->root) {
        size_t size = expanded_size(doc->root, CT_YAML_MAX_EXPANDED);
        if (size > CT_YAML_MAX_EXPANDED) {
            ct_error_at(d, doc->path, doc->root->line, doc->root->col,
                        "the document's aliases expand to more than %d nodes; refused", CT_YAML_MAX_EXPANDED);
            doc->root = NULL;
            return CT_EINPUT;
        }
        size_t budget = CT_YAML_MAX_EXPANDED;
        if (check_duplicate_keys(doc, doc->root, d, &budget)) { doc->root = NULL; return CT_EINPUT; }
    }
    return CT_OK;
}

ct_status ct_ydoc_load_string(ct_ydoc *doc, const char *name, const char *text,
                              size_t len, ct_diags *d)
{
    ct_arena_init(&doc->arena);
    doc->root = NULL;
    doc->path = ct_arena_strdup(&doc->arena, name);
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        ct_error_at(d, name, 0, 0, "cannot start the YAML parser");
        return CT_ENOMEM;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    ct_status st = parse(doc, &p, text, len, d);
    yaml_parser_delete(&p);
    return st;
}

ct_status ct_ydoc_load(ct_ydoc *doc, const char *path, ct_diags *d)
{
    char *buf;
    size_t len;
    ct_status st = ct_file_read(path, (size_t)64 << 20, "plan file", &buf, &len, d);
    if (st != CT_OK) {
        ct_arena_init(&doc->arena);
        doc->root = NULL;
        doc->path = ct_arena_strdup(&doc->arena, path);
        return st;
    }
    st = ct_ydoc_load_string(doc, path, buf, len, d);
    free(buf);
    return st;
}

void ct_ydoc_free(ct_ydoc *doc)
{
    ct_arena_free(&doc->arena);
    doc->root = NULL;
}

const ct_ynode *ct_ynode_get(const ct_ynode *map, const char *key)
{
    if (!map || map->type != CT_Y_MAP) return NULL;
    for (size_t i = 0; i + 1 < map->n; i += 2) {
        const ct_ynode *k = map->items[i];
        if (k->type == CT_Y_SCALAR && strcmp(k->text, key) == 0) return map->items[i + 1];
    }
    return NULL;
}

const char *ct_ynode_kind(const ct_ynode *n)
{
    switch (n->type) {
    case CT_Y_SCALAR: return "a scalar";
    case CT_Y_SEQ: return "a list";
    case CT_Y_MAP: return "a mapping";
    }
    return "?";
}
