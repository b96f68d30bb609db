/* What the modules of the rules share (ct_rules.c: files, registration,
 * kind: lua indicators, log; ct_rules_assess.c: assess rules;
 * ct_rules_check.c: data checks): the set of rules and its parts. Private
 * to engine/rules/. */
#ifndef CT_RULES_IMPL_H
#define CT_RULES_IMPL_H

#include <lua.h>

#include "ct_rules.h"
#include "ct_rules_api.h"
#include "ct_sandbox.h"

typedef struct rules_file rules_file;

typedef struct {
    rules_file *file;
    char *name;
    int fn_ref;
    char **indicators;        /* only these indicator ids (NULL: all) */
    size_t n_indicators;
    int failed;
} assess_rule;

typedef struct {
    rules_file *file;
    char *name;
    int fn_ref;
    int level;                /* -1: every unit */
    ct_ptype ptype;
    int series;               /* once per unit (the whole series), not per unit and period */
    char importance[16];
    int failed;
} check_rule;

/* A kind: lua indicator connected to its function. */
typedef struct {
    ct_rules *owner;
    rules_file *file;
    const ct_indicator *ind;
    int fn_ref;
    int failed;
} lua_indicator;

struct rules_file {
    ct_rules_api_state api;   /* first: the sandbox's user pointer is the file */
    ct_sandbox sb;
    ct_rules *owner;
    char *path;
    int env_ref;
    int driver_ref;           /* the Lua loop that calls a function over many units */
};

struct ct_rules {
    ct_rules_world world;
    ct_sandbox_run run;       /* the limits, shared by every file */
    rules_file **files;
    size_t n_files;
    assess_rule *assess;
    size_t n_assess;
    check_rule *checks;
    size_t n_checks;
    lua_indicator **lua_inds;
    size_t n_lua_inds;
    ct_diags *diags;          /* where errors of kind: lua indicators go */
    rules_file *loading;      /* the file whose top level is running */
    ct_rules_log_fn log;      /* where log(...) goes; NULL: nowhere */
    void *log_ctx;
};

static inline rules_file *ct_rules_file_of(lua_State *L) { return ct_sandbox_of(L)->user; }

/* The first line of the function in registry slot fn_ref: where an error
 * about what a rule returned points (the return itself has run by then). */
int ct_rules_line(lua_State *L, int fn_ref);

/* A copy of a rule's text with its control characters escaped
 * (ct_sandbox_escape); NULL on out-of-memory. Free with free(). */
char *ct_rules_dup_clean(const char *s);

#endif
