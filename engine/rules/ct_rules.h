/* Lua 5.4 rules written by M&E specialists: custom indicators (kind: lua),
 * custom assessment (a status and a note for a target), and data checks
 * (violations with unit, period, importance and message).
 *
 * Each rules file runs in its own lua_State with an environment built from
 * an allow-list (no io, os beyond time/date/clock, require, package, debug,
 * dofile, loadfile, string.dump; load of text chunks only), an instruction
 * budget and a wall-clock limit per call enforced by a count hook that pcall
 * and coroutines cannot defeat, and a memory cap through the allocator.
 * Every error names the script's file:line and the rule. docs/lua-api.md. */
#ifndef CT_RULES_H
#define CT_RULES_H

#include "../compute/ct_compute.h"
#include "../core/ct_error.h"
#include "../project/ct_assess.h"

typedef struct ct_rules ct_rules;

typedef struct {
    long long instructions;   /* per call; default 20 million */
    double seconds;           /* per call; default 2 */
    size_t memory;            /* per rules file, bytes; default 64 MiB */
} ct_rules_limits;
/* A kind: lua indicator is called for all the units of a period at once; such
 * a batch of n calls may use the limits above plus 100,000 instructions and
 * 0.5 ms for each call after the first. */

/* A set of rules over loaded data (s may have no units: scripts are then
 * only compiled). Owned by the caller: ct_rules_free. NULL on out-of-memory. */
ct_rules *ct_rules_new(const ct_series *s, const ct_rules_limits *limits);
void ct_rules_free(ct_rules *r);

/* The data the rules read from now on: another map of the same units and
 * metrics (each plan is computed on its own map). */
void ct_rules_use_series(ct_rules *r, const ct_series *s);

/* The map an attached plan is computed on: unit:indicator(id, period, plan)
 * reads that plan's indicator there (NULL: the data of ct_rules_use_series). */
void ct_rules_plan_series(ct_rules *r, const ct_plan *plan, const ct_series *s);

/* Loads a rules file (text only) into its own sandbox and runs its top
 * level, which registers assess_rule and check_rule functions. A file
 * already loaded is not loaded twice. Errors are added to d. */
ct_status ct_rules_load(ct_rules *r, const char *path, ct_diags *d);

/* Loads the plan's `rules:` files and the scripts of its kind: lua
 * indicators (paths relative to the plan file) and connects those
 * indicators to their functions. */
ct_status ct_rules_attach_plan(ct_rules *r, ct_plan *plan, ct_diags *d);

/* Applies every assess rule to an assessment (in load order; each sees the
 * status left by the one before). A failing rule sets status "error" and
 * the message in the note, and adds an error to d. */
void ct_rules_assess(ct_rules *r, ct_assessment *a, ct_diags *d);

/* Where log(...) of the rules goes: FILE and LINE of the call, and the text
 * (control characters escaped). Without it, logs are dropped (still counted
 * in the budget). Set it before loading files: their top level may log. */
typedef void (*ct_rules_log_fn)(void *ctx, const char *file, int line, const char *text);
void ct_rules_set_log(ct_rules *r, ct_rules_log_fn fn, void *ctx);

/* The number of assess rules and check rules loaded. */
int ct_rules_n_assess(const ct_rules *r);
int ct_rules_n_checks(const ct_rules *r);

typedef struct {
    const char *rule;         /* the check rule's name */
    const char *file;         /* its rules file */
    int unit;
    ct_period period;
    const char *importance;   /* "high", "medium" or "low" */
    const char *message;      /* control characters escaped */
    int has_period;           /* 0: a whole-series check that named no period */
} ct_violation;

typedef int (*ct_violation_fn)(const ct_violation *v, void *ctx);

/* Runs every check rule over the data: each rule over the units of its level
 * and the periods of its type (a whole-series rule, once per unit). Failing rules add errors to d. Returns the
 * number of violations, or -1 on out-of-memory. */
long ct_rules_check(ct_rules *r, ct_violation_fn fn, void *ctx, ct_diags *d);

#endif
