/* Per-call overhead of a Lua rule: a kind: lua indicator called for every
 * commune and year of the national benchmark dataset through the engine
 * (ct_indicator.custom, the path `compute` takes), against a bare Lua loop
 * in a plain lua_State calling an equivalent pure-Lua function that reads
 * the same values from a Lua table.
 *
 *   rules_overhead [DATA_DIR] [REPEATS]      (default bench/out/national 5)
 *
 * Run from the repository root (bench/run_rules.sh does). Prints the time
 * per call of each variant (best of REPEATS passes) and the ratio of the
 * engine's per-call time to the bare loop's. Goal: at most 2x. */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compute/ct_compute.h"
#include "compute/ct_bind.h"
#include "load/ct_data.h"
#include "load/ct_plan.h"
#include "rules/ct_rules.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void print_diags(ct_diags *d)
{
    char line[1400];
    for (size_t i = 0; i < d->n; i++) {
        ct_diag_format(&d->items[i], line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
}

static const ct_indicator *find(const ct_plan *p, const char *id)
{
    for (size_t i = 0; i < p->n_indicators; i++)
        if (p->indicators[i].id && !strcmp(p->indicators[i].id, id)) return &p->indicators[i];
    return NULL;
}

/* The bare side: the same function body, reading a Lua table
 * commune.is_clean[period] instead of calling commune:metric(...). */
static const char *const BARE =
    "local communes, periods, repeats = ...\n"
    "local function clean(commune, period)\n"
    "  return commune.is_clean[period]\n"
    "end\n"
    "local function constant(commune, period)\n"
    "  return 1\n"
    "end\n"
    "local clock = os.clock\n"
    "local function pass(f)\n"
    "  local sum = 0\n"
    "  for i = 1, #communes do\n"
    "    local c = communes[i]\n"
    "    for j = 1, #periods do\n"
    "      local v = f(c, periods[j])\n"
    "      if v then sum = sum + v end\n"
    "    end\n"
    "  end\n"
    "  return sum\n"
    "end\n"
    "local function best(f)\n"
    "  local t, sum = math.huge, 0\n"
    "  for r = 1, repeats do\n"
    "    local t0 = clock()\n"
    "    sum = pass(f)\n"
    "    local dt = clock() - t0\n"
    "    if dt < t then t = dt end\n"
    "  end\n"
    "  return t, sum\n"
    "end\n"
    "local t1, s1 = best(clean)\n"
    "local t2, s2 = best(constant)\n"
    "return t1, s1, t2, s2\n";

/* One pass of the engine side over every commune and year; returns the
 * sum of the values (to check both sides computed the same thing). */
static double engine_pass(const ct_indicator *ind, const int *units, int n_units, const ct_period *periods, int np,
                          int *failed)
{
    double sum = 0;
    double *v = malloc((size_t)n_units * sizeof *v);
    if (!v) { *failed = 1; return 0; }
    for (int j = 0; j < np; j++) {
        if (ind->custom(ind->custom_ctx, units, n_units, periods[j], v) != 0) { *failed = 1; break; }
        for (int i = 0; i < n_units; i++)
            if (!isnan(v[i])) sum += v[i];
    }
    free(v);
    return sum;
}

static double engine_best(const ct_indicator *ind, const int *units, int n_units, const ct_period *periods, int np,
                          int repeats, double *sum, int *failed)
{
    double best = INFINITY;
    for (int r = 0; r < repeats && !*failed; r++) {
        double t0 = now();
        *sum = engine_pass(ind, units, n_units, periods, np, failed);
        double dt = now() - t0;
        if (dt < best) best = dt;
    }
    return best;
}

static void count_hook(lua_State *L, lua_Debug *ar)
{
    (void)L;
    (void)ar;
}

/* A middle step: a C loop calling the bare Lua function with lua_pcall, one
 * call per commune and year, as the engine does but without its API. */
static double pcall_best(lua_State *L, int repeats, int n_units, int np, double *sum)
{
    /* stack: communes, periods, clean */
    double best = INFINITY;
    for (int r = 0; r < repeats; r++) {
        double t0 = now(), s = 0;
        for (int i = 1; i <= n_units; i++) {
            lua_rawgeti(L, 1, i);
            for (int j = 1; j <= np; j++) {
                lua_pushvalue(L, 3);
                lua_pushvalue(L, -2);
                lua_rawgeti(L, 2, j);
                if (lua_pcall(L, 2, 1, 0) != LUA_OK) { fprintf(stderr, "%s\n", lua_tostring(L, -1)); exit(1); }
                if (lua_isnumber(L, -1)) s += lua_tonumber(L, -1);
                lua_pop(L, 1);
            }
            lua_pop(L, 1);
        }
        double dt = now() - t0;
        if (dt < best) best = dt;
        *sum = s;
    }
    return best;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "bench/out/national";
    int repeats = argc > 2 ? atoi(argv[2]) : 5;
    if (repeats < 1) repeats = 1;
    char units_path[1024], obs_path[1024];
    snprintf(units_path, sizeof units_path, "%s/units.csv", dir);
    snprintf(obs_path, sizeof obs_path, "%s/observations.csv", dir);

    /* the load sequence of engine/cli/cli_session.c */
    ct_diags d;
    ct_diags_init(&d);
    ct_series s;
    ct_series_init(&s);
    ct_status st;
    const char *plan_paths[] = {"bench/national-plan.yaml", "bench/rules-plan.yaml"};
    ct_plan *plans[2];
    double t_load = now();
    int bad = 0;
    for (int i = 0; i < 2; i++) {
        plans[i] = ct_plan_load(plan_paths[i], &d, &st);
        bad |= st != CT_OK || !plans[i];
    }
    if (bad) { print_diags(&d); return 1; }
    bad |= ct_units_load(&s, units_path, &d) != CT_OK;
    for (int i = 0; i < 2 && !bad; i++) bad |= ct_bind_declare(plans[i], &s, &d) != CT_OK;
    if (!bad) bad |= ct_data_load_observations(&s, obs_path, &d) != CT_OK;
    for (int i = 0; i < 2 && !bad; i++) bad |= ct_bind_plan(plans[i], &s, &d) != CT_OK;
    ct_rules *rules = bad ? NULL : ct_rules_new(&s, NULL);
    for (int i = 0; i < 2 && rules && !bad; i++) bad |= ct_rules_attach_plan(rules, plans[i], &d) != CT_OK;
    if (bad || !rules) { print_diags(&d); fprintf(stderr, "rules_overhead: loading failed\n"); return 1; }
    t_load = now() - t_load;

    const ct_indicator *clean = find(plans[1], "clean_lua"), *constant = find(plans[1], "constant_lua");
    int commune = ct_series_level(&s, "commune");
    if (!clean || !constant || !clean->custom || !constant->custom || commune < 0) {
        fprintf(stderr, "rules_overhead: the lua indicators or the commune level are missing\n");
        return 1;
    }
    int n_units = s.level_size[commune];
    const int *units = s.level_units[commune];
    int np = s.year1 - s.year0 + 1;
    ct_period *periods = malloc((size_t)np * sizeof *periods);
    for (int j = 0; j < np; j++) periods[j] = (ct_period){(short)(s.year0 + j), CT_PT_YEAR, 0};
    long calls = (long)n_units * np;
    printf("data %s: %d communes x %d years (%d-%d) = %ld calls per pass; best of %d passes; loaded in %.1f s\n", dir,
           n_units, np, s.year0, s.year1, calls, repeats, t_load);

    double sum_engine = 0, sum_const = 0;
    int failed = 0;
    double t_engine = engine_best(clean, units, n_units, periods, np, repeats, &sum_engine, &failed);
    double t_engine_const = engine_best(constant, units, n_units, periods, np, repeats, &sum_const, &failed);
    if (failed) { print_diags(&d); fprintf(stderr, "rules_overhead: a Lua call failed\n"); return 1; }

    /* the bare side: a plain lua_State with the same values in Lua tables */
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    int m = ct_series_metric(&s, "is_clean", strlen("is_clean"));
    lua_createtable(L, n_units, 0); /* 1: communes */
    for (int i = 0; i < n_units; i++) {
        lua_createtable(L, 0, 1);
        lua_createtable(L, 0, np);
        for (int j = 0; j < np; j++) {
            double v = ct_series_value(&s, m, units[i], periods[j]);
            if (isnan(v)) continue;
            char pb[CT_PERIOD_BUF];
            ct_period_format(periods[j], pb);
            lua_pushnumber(L, v);
            lua_setfield(L, -2, pb);
        }
        lua_setfield(L, -2, "is_clean");
        lua_rawseti(L, -2, i + 1);
    }
    lua_createtable(L, np, 0); /* 2: periods */
    for (int j = 0; j < np; j++) {
        char pb[CT_PERIOD_BUF];
        ct_period_format(periods[j], pb);
        lua_pushstring(L, pb);
        lua_rawseti(L, -2, j + 1);
    }
    if (luaL_loadstring(L, BARE) != LUA_OK) { fprintf(stderr, "%s\n", lua_tostring(L, -1)); return 1; }
    lua_pushvalue(L, -1);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_pushinteger(L, repeats);
    if (lua_pcall(L, 3, 4, 0) != LUA_OK) { fprintf(stderr, "%s\n", lua_tostring(L, -1)); return 1; }
    double t_bare = lua_tonumber(L, -4), sum_bare = lua_tonumber(L, -3);
    double t_bare_const = lua_tonumber(L, -2);
    lua_pop(L, 4);
    /* the same loop under a count hook like the sandbox's, which makes the VM
     * check every instruction: this isolates the engine's own per-call cost */
    lua_sethook(L, count_hook, LUA_MASKCOUNT, 1000);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_pushinteger(L, repeats);
    if (lua_pcall(L, 3, 4, 0) != LUA_OK) { fprintf(stderr, "%s\n", lua_tostring(L, -1)); return 1; }
    double t_hooked = lua_tonumber(L, -4);
    double t_hooked_const = lua_tonumber(L, -2);
    lua_pop(L, 4);
    lua_sethook(L, NULL, 0, 0);

    /* C loop + lua_pcall of the bare function (stack: communes, periods, clean) */
    if (luaL_dostring(L, "return function(commune, period) return commune.is_clean[period] end") != LUA_OK) return 1;
    double sum_pcall = 0;
    double t_pcall = pcall_best(L, repeats, n_units, np, &sum_pcall);
    lua_close(L);

    double ns = 1e9 / (double)calls;
    printf("\n%-58s %10s %12s\n", "variant", "ns/call", "sum");
    printf("%-58s %10.1f %12.0f\n", "bare Lua loop, f reads commune.is_clean[period]", t_bare * ns, sum_bare);
    printf("%-58s %10.1f %12s\n", "bare Lua loop, f returns 1", t_bare_const * ns, "");
    printf("%-58s %10.1f %12s\n", "bare Lua loop under the sandbox's count hook, f reads", t_hooked * ns, "");
    printf("%-58s %10.1f %12s\n", "bare Lua loop under the sandbox's count hook, f returns 1", t_hooked_const * ns, "");
    printf("%-58s %10.1f %12.0f\n", "C loop + lua_pcall of the bare f (no engine API)", t_pcall * ns, sum_pcall);
    printf("%-58s %10.1f %12s\n", "engine: kind lua, function returns 1 (call only)", t_engine_const * ns, "");
    printf("%-58s %10.1f %12.0f\n", "engine: kind lua, commune:metric(\"is_clean\", period)", t_engine * ns, sum_engine);
    double ratio = t_engine / t_bare, ratio_hooked = t_engine / t_hooked;
    double call_ratio = t_engine_const / t_bare_const, call_ratio_hooked = t_engine_const / t_hooked_const;
    printf("\nengine per call / bare Lua per call: %.1fx; against the same loop under the count hook: %.1fx\n", ratio,
           ratio_hooked);
    printf("call only (f returns 1): %.1fx; against the hooked loop: %.1fx (goal <= 2x: %s)\n", call_ratio,
           call_ratio_hooked, call_ratio_hooked <= 2 ? "met" : "NOT met");
    if (sum_engine != sum_bare || sum_engine != sum_pcall)
        printf("warning: the sums differ (engine %.0f, bare %.0f, pcall %.0f)\n", sum_engine, sum_bare, sum_pcall);

    free(periods);
    ct_rules_free(rules);
    for (int i = 0; i < 2; i++) ct_plan_free(plans[i]);
    ct_series_free(&s);
    ct_diags_free(&d);
    return sum_engine == sum_bare ? 0 : 1;
}
