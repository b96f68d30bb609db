/* A YAML document as a tree of nodes with positions, built from libyaml's
 * events. Aliases point at their anchored node (shared, not copied); a
 * document whose aliases would expand past a bound is refused, so that a
 * "billion laughs" file costs neither time nor memory. */
#ifndef CT_YAML_H
#define CT_YAML_H

#include <stddef.h>

#include "../core/ct_arena.h"
#include "../core/ct_error.h"

typedef enum { CT_Y_SCALAR, CT_Y_SEQ, CT_Y_MAP } ct_ynode_type;

typedef struct ct_ynode ct_ynode;
struct ct_ynode {
    ct_ynode_type type;
    int line, col;        /* 1-based */
    int quoted;           /* scalar written in quotes or as a block */
    int text_line, text_col; /* where the scalar's first character of text stands */
    const char *text;     /* scalar text (NUL-terminated) */
    size_t len;
    ct_ynode **items;     /* sequence items, or map keys and values interleaved */
    size_t n;             /* items; for a map, 2 x pairs */
    size_t expanded;      /* size with aliases expanded (0: not computed yet) */
};

typedef struct {
    ct_arena arena;
    ct_ynode *root;       /* NULL for an empty document */
    const char *path;
} ct_ydoc;

enum { CT_YAML_MAX_EXPANDED = 200000 };

/* Parses path. On error fills d (file:line:col) and returns CT_EINPUT or
 * CT_EIO; doc is then empty but still needs ct_ydoc_free. */
ct_status ct_ydoc_load(ct_ydoc *doc, const char *path, ct_diags *d);
ct_status ct_ydoc_load_string(ct_ydoc *doc, const char *name, const char *text,
                              size_t len, ct_diags *d);
void ct_ydoc_free(ct_ydoc *doc);

/* The line and column of byte `offset` of a scalar's text, exact on the
 * text's first line and the start of its line after that. */
void ct_ynode_text_pos(const ct_ynode *n, size_t offset, int *line, int *col);

/* The value for key in a map node, or NULL. */
const ct_ynode *ct_ynode_get(const ct_ynode *map, const char *key);

/* A short name for a node's type ("a mapping", "a list", "a scalar"). */
const char *ct_ynode_kind(const ct_ynode *n);

#endif
