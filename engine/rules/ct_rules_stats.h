/* The statistics helpers that rules see (stats.mean, sd, median, quantile,
 * mad, zscores, qnorm, qt, trend, predict and the rates): the engine's
 * formulas, no cap on the numbers, the work in C charged to the call's
 * budget and the lists' copies to its memory. docs/lua-api.md. */
#ifndef CT_RULES_STATS_H
#define CT_RULES_STATS_H

#include <lua.h>

/* Adds the table `stats` to the environment table on the top of the stack. */
void ct_rules_stats_add(lua_State *L);

#endif
