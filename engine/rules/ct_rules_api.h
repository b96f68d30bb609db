/* The API that rules see: units as userdata (unit:metric, :attribute,
 * :indicator, :series, :children, :units, :is_within, .code, .name, ...),
 * the data (data.unit, data.periods, data.levels, data.root) and the
 * statistics helpers (stats.mean, quantile, trend, rates). docs/lua-api.md.
 * Work in C proportional to the data is charged to the call's budget. */
#ifndef CT_RULES_API_H
#define CT_RULES_API_H

#include <lua.h>

#include "../compute/ct_compute.h"
#include "ct_sandbox.h"

/* What the rules of a set read: the data and the plans loaded so far. */
typedef struct {
    const ct_series *s;
    const ct_plan **plans;    /* owned by the set of rules */
    const ct_series **plan_series; /* per plan: the map it is computed on (NULL: s) */
    size_t n_plans;
    int *first_child, *next_sibling;   /* built on first use; ct_rules_world_free */
    int indicator_depth;
} ct_rules_world;

/* The API's data for one Lua state; the sandbox's user pointer must point to
 * it (it may be the first member of a larger struct). */
typedef struct {
    ct_rules_world *world;
    int units_ref;            /* the unit objects, one per unit, made on first use */
    const char *metric_name;  /* the last metric name looked up, and its index */
    size_t metric_len;
    int metric_index;
} ct_rules_api_state;

/* Registers the unit type and the table of unit objects in L. */
void ct_rules_api_open(lua_State *L, ct_rules_api_state *st);
/* Adds data and stats to the environment table on the top of the stack. */
void ct_rules_api_add(lua_State *L);

void ct_rules_api_push_unit(lua_State *L, int u);           /* nil for u < 0 */
void ct_rules_api_push_period(lua_State *L, ct_period p);
void ct_rules_api_push_number(lua_State *L, double v);      /* nil for NaN */

void ct_rules_world_free(ct_rules_world *w);

#endif
