#include "ct_rules.h"

#include <errno.h>
#include <lauxlib.h>
#include <limits.h>
#include <lua.h>
#include <lualib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/ct_file.h"
#include "../project/ct_proj.h"

enum { HOOK_EVERY = 1000, MAX_INDICATOR_DEPTH = 8 };

/* A batch of n calls (a kind: lua indicator over many units) may use the
 * per-call limits plus this much for each further call. */
#define BATCH_INSTRUCTIONS 100000LL
#define BATCH_SECONDS 0.0005

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
    ct_rules *owner;
    char *path;
    const char *chunk;    /* the name Lua knows the file by (in path) */
    lua_State *L;
    size_t mem_used, mem_cap;
    long long budget_left;
    struct timespec deadline;
    int deadline_set;     /* the clock is read when a call first reaches the hook */
    int tripped;
    int in_call;          /* a protected call of the rule's code is running */
    int rehook;           /* the hook fires every instruction since a trip */
    const char *metric_name; /* the last metric name looked up, and its index */
    size_t metric_len;
    int metric_index;
    int driver_ref;       /* the Lua loop that calls a function over many units */
    int units_ref;        /* the table of unit objects, made once per unit */
    int batch;            /* calls in the current protected call (limits scale with it) */
    char trip_msg[1200];
    int env_ref;
};

struct ct_rules {
    const ct_series *s;
    ct_rules_limits lim;
    rules_file **files;
    size_t n_files;
    assess_rule *assess;
    size_t n_assess;
    check_rule *checks;
    size_t n_checks;
    lua_indicator **lua_inds;
    size_t n_lua_inds;
    const ct_plan **plans;
    size_t n_plans;
    ct_diags *diags;          /* where errors of kind: lua indicators go */
    int *first_child, *next_sibling;
    int indicator_depth;
    rules_file *loading;      /* the file whose top level is running */
};

static const char *const UNIT_MT = "chitieu.unit";

/* ---- memory, time and instruction limits ------------------------------------ */

static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    rules_file *f = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        f->mem_used -= old;
        return NULL;
    }
    /* the engine's own pushes between calls may go a little over the cap, so
     * that they never fail outside a protected call */
    size_t cap = f->in_call ? f->mem_cap : f->mem_cap + ((size_t)16 << 20);
    if (nsize > old && f->mem_used - old + nsize > cap) return NULL;
    void *p = realloc(ptr, nsize);
    if (p) f->mem_used = f->mem_used - old + nsize;
    return p;
}

static rules_file *file_of(lua_State *L)
{
    return *(rules_file **)lua_getextraspace(L);
}

static int past(const struct timespec *deadline)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > deadline->tv_sec || (now.tv_sec == deadline->tv_sec && now.tv_nsec > deadline->tv_nsec);
}

/* Once tripped, the hook fires on every instruction of every thread that
 * runs, so that neither pcall nor a coroutine can swallow the stop. */
static void limit_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    rules_file *f = file_of(L);
    if (!f->tripped) {
        const char *why = NULL;
        char what[96];
        int every = lua_gethookcount(L);
        if (every != HOOK_EVERY) lua_sethook(L, limit_hook, LUA_MASKCOUNT, HOOK_EVERY); /* after a trip */
        f->budget_left -= every;
        if (!f->deadline_set) {
            clock_gettime(CLOCK_MONOTONIC, &f->deadline);
            double secs = f->owner->lim.seconds + (f->batch - 1) * BATCH_SECONDS;
            f->deadline.tv_sec += (time_t)secs;
            f->deadline.tv_nsec += (long)((secs - floor(secs)) * 1e9);
            if (f->deadline.tv_nsec >= 1000000000L) { f->deadline.tv_sec++; f->deadline.tv_nsec -= 1000000000L; }
            f->deadline_set = 1;
        }
        if (f->budget_left < 0) {
            snprintf(what, sizeof what, "instruction budget of %lld exceeded", f->owner->lim.instructions);
            why = what;
        } else if (past(&f->deadline)) {
            snprintf(what, sizeof what, "time limit of %g s exceeded", f->owner->lim.seconds);
            why = what;
        }
        if (why) {
            /* level 0 is the running Lua function: the message names its line */
            lua_Debug where;
            f->tripped = 1;
            if (lua_getstack(L, 0, &where) && lua_getinfo(L, "Sl", &where) && where.currentline > 0)
                snprintf(f->trip_msg, sizeof f->trip_msg, "%s:%d: %s", where.source[0] == '@' ? where.source + 1 : where.short_src,
                         where.currentline, why);
            else
                snprintf(f->trip_msg, sizeof f->trip_msg, "%s", why);
        }
    }
    if (f->tripped) {
        lua_sethook(L, limit_hook, LUA_MASKCOUNT, 1);
        f->rehook = 1;
        lua_pushstring(L, f->trip_msg);
        lua_error(L);
    }
}

/* A new call's budget. The hook stays installed between calls; the clock is
 * read only by calls long enough to reach it. */
static void arm(rules_file *f)
{
    f->tripped = 0;
    f->deadline_set = 0;
    f->budget_left = f->owner->lim.instructions + (long long)(f->batch - 1) * BATCH_INSTRUCTIONS;
    if (f->rehook) {
        lua_sethook(f->L, limit_hook, LUA_MASKCOUNT, HOOK_EVERY);
        f->rehook = 0;
    }
}

/* ---- calling into Lua --------------------------------------------------------- */

static int message_handler(lua_State *L)
{
    if (lua_type(L, 1) == LUA_TSTRING) return 1;
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
    lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    return 1;
}

/* Calls the function below nargs arguments on the stack under the limits.
 * On failure leaves nothing and writes the message; the line of the script
 * is split out when the message starts with "FILE:LINE:". */

/* Calls the function below nargs arguments on the stack under the limits.
 * On failure leaves nothing and writes the message; the line of the script
 * is split out when the message starts with "FILE:LINE:". fn_ref (or
 * LUA_NOREF) names the function's first line for errors with no position. */
static int protected_call(rules_file *f, int nargs, int nresults, int fn_ref, char *msg, size_t msg_size, int *line)
{
    lua_State *L = f->L;
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, message_handler);
    lua_insert(L, base);
    arm(f);
    int outer = f->in_call;
    f->in_call = 1;
    int rc = lua_pcall(L, nargs, nresults, base);
    f->in_call = outer;
    lua_remove(L, base);
    if (rc == LUA_OK && !f->tripped) return 0;
    const char *m = rc == LUA_OK ? f->trip_msg : lua_tostring(L, -1);
    if (rc == LUA_ERRMEM) m = "memory cap exceeded";
    *line = 0;
    if (fn_ref != LUA_NOREF) {
        lua_Debug fn;
        lua_rawgeti(L, LUA_REGISTRYINDEX, fn_ref);
        if (lua_getinfo(L, ">S", &fn) && fn.linedefined > 0) *line = fn.linedefined;
    }
    size_t plen = strlen(f->chunk);
    if (m && strncmp(m, f->chunk, plen) == 0 && m[plen] == ':') {
        char *end;
        long l = strtol(m + plen + 1, &end, 10);
        if (end > m + plen + 1 && *end == ':') {
            *line = (int)l;
            m = end + 1;
            while (*m == ' ') m++;
        }
    }
    if (!m) m = "unknown error";
    size_t n = strlen(m);
    if (n >= msg_size) n = msg_size - 1;
    memcpy(msg, m, n);
    msg[n] = '\0';
    if (rc != LUA_OK) lua_pop(L, 1);
    else lua_pop(L, nresults);
    if (rc == LUA_ERRMEM && f->mem_cap) snprintf(msg, msg_size, "memory cap of %zu MiB exceeded", f->mem_cap >> 20);
    return -1;
}

/* ---- the API seen by rules ---------------------------------------------------- */

static void push_unit(lua_State *L, int u)
{
    if (u < 0) { lua_pushnil(L); return; }
    rules_file *f = file_of(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, f->units_ref);
    if (lua_rawgeti(L, -1, u + 1) == LUA_TUSERDATA) {
        lua_remove(L, -2);
        return;
    }
    lua_pop(L, 1);
    int *ud = lua_newuserdatauv(L, sizeof(int), 0);
    *ud = u;
    luaL_setmetatable(L, UNIT_MT);
    lua_pushvalue(L, -1);
    lua_rawseti(L, -3, u + 1);
    lua_remove(L, -2);
}

static int check_unit(lua_State *L, int idx)
{
    return *(int *)luaL_checkudata(L, idx, UNIT_MT);
}

static ct_rules *owner_of(lua_State *L) { return file_of(L)->owner; }

static void push_period(lua_State *L, ct_period p)
{
    char pb[CT_PERIOD_BUF];
    size_t n = ct_period_format(p, pb);
    lua_pushlstring(L, pb, n);
}

static ct_period check_period(lua_State *L, int idx)
{
    size_t len;
    const char *s = luaL_checklstring(L, idx, &len);
    ct_period p;
    if (ct_period_parse(s, len, &p) != 0) luaL_error(L, "'%s' is not a period (2016, 2016S1, 2016Q1, 2016-01)", s);
    return p;
}

static void push_number_or_nil(lua_State *L, double v)
{
    if (isfinite(v)) lua_pushnumber(L, v);
    else lua_pushnil(L);
}

/* unit:metric(name, period): the reported (or rolled-up) value, or nil. */
static int unit_metric(lua_State *L)
{
    const ct_series *s = owner_of(L)->s;
    int u = check_unit(L, 1);
    size_t len;
    const char *name = luaL_checklstring(L, 2, &len);
    ct_period p = check_period(L, 3);
    rules_file *f = file_of(L);
    int m;
    if (name == f->metric_name && len == f->metric_len) {
        m = f->metric_index; /* the same interned string as last time */
    } else {
        m = ct_series_metric(s, name, len);
        if (m < 0) return luaL_error(L, "unknown metric '%s' (no loaded plan declares it)", name);
        /* keep the string alive while it is cached */
        lua_pushvalue(L, 2);
        lua_setfield(L, LUA_REGISTRYINDEX, "chitieu.metric_name");
        f->metric_name = name;
        f->metric_len = len;
        f->metric_index = m;
    }
    int at = s->anc[(size_t)u * (size_t)s->n_levels + (size_t)s->metrics[m].level];
    if (at < 0)
        return luaL_error(L, "metric '%s' is reported per %s; read it from unit:units('%s')", name,
                          s->level_name[s->metrics[m].level], s->level_name[s->metrics[m].level]);
    push_number_or_nil(L, ct_series_value(s, m, at, p));
    return 1;
}

static int unit_attribute(lua_State *L)
{
    const ct_series *s = owner_of(L)->s;
    int u = check_unit(L, 1);
    const char *name = luaL_checkstring(L, 2);
    int a = ct_series_attr(s, name);
    if (a < 0) return luaL_error(L, "unknown attribute '%s' (not a column of units.csv)", name);
    push_number_or_nil(L, s->attr[(size_t)a * (size_t)s->n_units + (size_t)u]);
    return 1;
}

static const ct_indicator *find_indicator(ct_rules *r, const char *id, const ct_plan **plan)
{
    for (size_t i = 0; i < r->n_plans; i++)
        for (size_t k = 0; k < r->plans[i]->n_indicators; k++) {
            const ct_indicator *ind = &r->plans[i]->indicators[k];
            if (ind->id && strcmp(ind->id, id) == 0) { *plan = r->plans[i]; return ind; }
        }
    return NULL;
}

/* unit:indicator(id, period): an indicator's value, or nil. */
static int unit_indicator(lua_State *L)
{
    ct_rules *r = owner_of(L);
    int u = check_unit(L, 1);
    const char *id = luaL_checkstring(L, 2);
    ct_period p = check_period(L, 3);
    const ct_plan *plan;
    const ct_indicator *ind = find_indicator(r, id, &plan);
    if (!ind) return luaL_error(L, "unknown indicator '%s'", id);
    if (r->indicator_depth >= MAX_INDICATOR_DEPTH) return luaL_error(L, "indicators read one another too deeply (a cycle?)");
    r->indicator_depth++;
    ct_cell c = ct_compute_cell(plan, ind, r->s, u, p);
    r->indicator_depth--;
    push_number_or_nil(L, (c.flags & CT_ROW_VALUE) ? c.value : NAN);
    return 1;
}

/* unit:series(metric [, type]): {period = value} over the data's span. */
static int unit_series(lua_State *L)
{
    const ct_series *s = owner_of(L)->s;
    int u = check_unit(L, 1);
    size_t len;
    const char *name = luaL_checklstring(L, 2, &len);
    ct_ptype t = CT_PT_YEAR;
    if (!lua_isnoneornil(L, 3) && ct_ptype_parse(luaL_checkstring(L, 3), &t) != 0)
        return luaL_error(L, "period type must be year, half-year, quarter or month");
    int m = ct_series_metric(s, name, len);
    if (m < 0) return luaL_error(L, "unknown metric '%s'", name);
    int at = s->anc[(size_t)u * (size_t)s->n_levels + (size_t)s->metrics[m].level];
    lua_newtable(L);
    if (at < 0) return 1;
    int np = ct_series_n_periods(s, t);
    for (int i = 0; i < np; i++) {
        ct_period p = ct_period_from_index(t, s->year0, i);
        double v = ct_series_value(s, m, at, p);
        if (!isfinite(v)) continue;
        push_period(L, p);
        lua_pushnumber(L, v);
        lua_rawset(L, -3);
    }
    return 1;
}

static void build_children(ct_rules *r)
{
    if (r->first_child) return;
    const ct_series *s = r->s;
    r->first_child = malloc((size_t)s->n_units * sizeof(int));
    r->next_sibling = malloc((size_t)s->n_units * sizeof(int));
    if (!r->first_child || !r->next_sibling) return;
    for (int u = 0; u < s->n_units; u++) r->first_child[u] = r->next_sibling[u] = -1;
    for (int u = s->n_units - 1; u >= 0; u--) {
        int p = s->parent[u];
        if (p < 0) continue;
        r->next_sibling[u] = r->first_child[p];
        r->first_child[p] = u;
    }
}

static int optional_level(lua_State *L, int idx)
{
    if (lua_isnoneornil(L, idx)) return -1;
    const char *name = luaL_checkstring(L, idx);
    int l = ct_series_level(owner_of(L)->s, name);
    if (l < 0) return luaL_error(L, "unknown level '%s'", name);
    return l;
}

/* unit:children([level]): the units directly below, in file order. */
static int unit_children(lua_State *L)
{
    ct_rules *r = owner_of(L);
    int u = check_unit(L, 1);
    int level = optional_level(L, 2);
    build_children(r);
    if (!r->first_child) return luaL_error(L, "out of memory");
    lua_newtable(L);
    int k = 0;
    for (int c = r->first_child[u]; c >= 0; c = r->next_sibling[c]) {
        if (level >= 0 && r->s->level[c] != level) continue;
        push_unit(L, c);
        lua_rawseti(L, -2, ++k);
    }
    return 1;
}

/* unit:units(level): every unit of that level in the subtree (itself included). */
static int unit_units(lua_State *L)
{
    const ct_series *s = owner_of(L)->s;
    int u = check_unit(L, 1);
    int level = optional_level(L, 2);
    if (level < 0) return luaL_error(L, "unit:units needs a level");
    lua_newtable(L);
    int k = 0;
    for (int i = 0; i < s->level_size[level]; i++) {
        int c = s->level_units[level][i];
        if (!ct_series_in_subtree(s, c, u)) continue;
        push_unit(L, c);
        lua_rawseti(L, -2, ++k);
    }
    return 1;
}

static int unit_within(lua_State *L)
{
    const ct_series *s = owner_of(L)->s;
    int u = check_unit(L, 1);
    int top = check_unit(L, 2);
    lua_pushboolean(L, ct_series_in_subtree(s, u, top));
    return 1;
}

static int unit_index(lua_State *L)
{
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) return 1; /* a method */
    lua_pop(L, 1);
    const ct_series *s = owner_of(L)->s;
    int u = check_unit(L, 1);
    const char *key = luaL_checkstring(L, 2);
    if (!strcmp(key, "code")) lua_pushstring(L, s->code[u]);
    else if (!strcmp(key, "name")) lua_pushstring(L, s->name[u]);
    else if (!strcmp(key, "level")) lua_pushstring(L, s->level_name[s->level[u]]);
    else if (!strcmp(key, "parent")) push_unit(L, s->parent[u]);
    else if (!strcmp(key, "depth")) lua_pushinteger(L, s->depth[u]);
    else lua_pushnil(L);
    return 1;
}

static int unit_tostring(lua_State *L)
{
    const ct_series *s = owner_of(L)->s;
    int u = check_unit(L, 1);
    lua_pushfstring(L, "%s %s (%s)", s->code[u], s->name[u], s->level_name[s->level[u]]);
    return 1;
}

static void register_unit_type(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"metric", unit_metric},     {"attribute", unit_attribute}, {"indicator", unit_indicator},
        {"series", unit_series},     {"children", unit_children},   {"units", unit_units},
        {"is_within", unit_within},  {NULL, NULL}};
    luaL_newmetatable(L, UNIT_MT);
    luaL_newlib(L, methods);
    lua_pushcclosure(L, unit_index, 1);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, unit_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
}

/* data.unit(code), data.periods(type), data.levels(), data.root */
static int data_unit(lua_State *L)
{
    size_t len;
    const char *code = luaL_checklstring(L, 1, &len);
    push_unit(L, ct_series_unit(owner_of(L)->s, code, len));
    return 1;
}

static int data_periods(lua_State *L)
{
    const ct_series *s = owner_of(L)->s;
    ct_ptype t = CT_PT_YEAR;
    if (!lua_isnoneornil(L, 1) && ct_ptype_parse(luaL_checkstring(L, 1), &t) != 0)
        return luaL_error(L, "period type must be year, half-year, quarter or month");
    lua_newtable(L);
    int np = ct_series_n_periods(s, t);
    for (int i = 0; i < np; i++) {
        push_period(L, ct_period_from_index(t, s->year0, i));
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

/* data.levels(): level names from the top (national) down, by depth. */
static int data_levels(lua_State *L)
{
    const ct_series *s = owner_of(L)->s;
    int depth[CT_MAX_LEVELS + 1], order[CT_MAX_LEVELS + 1];
    for (int l = 0; l < s->n_levels; l++) depth[l] = INT_MAX;
    for (int u = 0; u < s->n_units; u++)
        if (s->depth[u] < depth[s->level[u]]) depth[s->level[u]] = s->depth[u];
    for (int l = 0; l < s->n_levels; l++) {
        int k = l;
        while (k > 0 && depth[order[k - 1]] > depth[l]) { order[k] = order[k - 1]; k--; }
        order[k] = l;
    }
    lua_newtable(L);
    for (int k = 0; k < s->n_levels; k++) {
        lua_pushstring(L, s->level_name[order[k]]);
        lua_rawseti(L, -2, k + 1);
    }
    return 1;
}

/* ---- statistics helpers --------------------------------------------------------- */

/* The numbers of a list (nil holes and non-numbers skipped), sorted if asked. */
static int numbers_of(lua_State *L, int idx, double *out, int max)
{
    luaL_checktype(L, idx, LUA_TTABLE);
    int n = 0;
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        if (lua_type(L, -1) == LUA_TNUMBER && n < max) out[n++] = lua_tonumber(L, -1);
        lua_pop(L, 1);
    }
    return n;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

enum { MAX_STAT_VALUES = 100000 };

static int stats_mean(lua_State *L)
{
    double *v = malloc(MAX_STAT_VALUES * sizeof *v);
    if (!v) return luaL_error(L, "out of memory");
    int n = numbers_of(L, 1, v, MAX_STAT_VALUES);
    double sum = 0;
    for (int i = 0; i < n; i++) sum += v[i];
    free(v);
    push_number_or_nil(L, n ? sum / n : NAN);
    return 1;
}

/* stats.quantile(values, q): linear interpolation between order statistics (R type 7). */
static int stats_quantile(lua_State *L)
{
    double q = luaL_checknumber(L, 2);
    if (q < 0 || q > 1) return luaL_error(L, "quantile must be within 0 and 1");
    double *v = malloc(MAX_STAT_VALUES * sizeof *v);
    if (!v) return luaL_error(L, "out of memory");
    int n = numbers_of(L, 1, v, MAX_STAT_VALUES);
    if (n == 0) { free(v); lua_pushnil(L); return 1; }
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    double h = (n - 1) * q;
    int lo = (int)floor(h);
    double r = lo + 1 < n ? v[lo] + (h - lo) * (v[lo + 1] - v[lo]) : v[lo];
    free(v);
    lua_pushnumber(L, r);
    return 1;
}

/* stats.trend(series): least squares over {period = value} (or a list
 * indexed by year); returns {slope =, intercept =, n =, projected = f(year)}. */
static int stats_trend(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    double t[512], y[512];
    int n = 0;
    lua_pushnil(L);
    while (lua_next(L, 1) != 0 && n < 512) {
        if (lua_type(L, -1) == LUA_TNUMBER) {
            double x = NAN;
            if (lua_type(L, -2) == LUA_TNUMBER) x = lua_tonumber(L, -2);
            else if (lua_type(L, -2) == LUA_TSTRING) {
                size_t len;
                const char *k = lua_tolstring(L, -2, &len);
                ct_period p;
                if (ct_period_parse(k, len, &p) == 0)
                    x = p.year - 1 + (p.sub + 1.0) / ct_ptype_per_year((ct_ptype)p.type);
            }
            if (isfinite(x)) { t[n] = x; y[n] = lua_tonumber(L, -1); n++; }
        }
        lua_pop(L, 1);
    }
    ct_proj_fit fit;
    ct_proj_fit_series(CT_PM_LINEAR, t, y, n, &fit);
    lua_createtable(L, 0, 3);
    push_number_or_nil(L, fit.ok ? fit.c1 : NAN);
    lua_setfield(L, -2, "slope");
    push_number_or_nil(L, fit.ok ? fit.c0 : NAN);
    lua_setfield(L, -2, "intercept");
    lua_pushinteger(L, n);
    lua_setfield(L, -2, "n");
    return 1;
}

static int stats_compound_rate(lua_State *L)
{
    push_number_or_nil(L, ct_proj_rate_compound(luaL_checknumber(L, 1), luaL_checknumber(L, 2), luaL_checknumber(L, 3)));
    return 1;
}

static int stats_linear_rate(lua_State *L)
{
    push_number_or_nil(L, ct_proj_rate_linear(luaL_checknumber(L, 1), luaL_checknumber(L, 2), luaL_checknumber(L, 3)));
    return 1;
}

/* stats.required_rate(baseline, target, years [, percent]): points a year
 * for a percentage, the compound rate otherwise (the assess method). */
static int stats_required_rate(lua_State *L)
{
    double b = luaL_checknumber(L, 1), t = luaL_checknumber(L, 2), years = luaL_checknumber(L, 3);
    int pct = lua_toboolean(L, 4);
    push_number_or_nil(L, pct ? ct_proj_rate_linear(b, t, years) : ct_proj_rate_compound(b, t, years));
    return 1;
}

/* ---- registration of rules ---------------------------------------------------------- */

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

static int grow(void **arr, size_t n, size_t size)
{
    if (n & (n - 1) && n) return 0; /* capacity doubles at powers of two */
    void *na = realloc(*arr, (n ? n * 2 : 4) * size);
    if (!na) return -1;
    *arr = na;
    return 0;
}

/* assess_rule(name, [options,] fn) */
static int api_assess_rule(lua_State *L)
{
    ct_rules *r = owner_of(L);
    if (r->loading != file_of(L)) return luaL_error(L, "assess_rule may only be called when the rules file is loaded");
    const char *name = luaL_checkstring(L, 1);
    int fn = lua_gettop(L);
    luaL_checktype(L, fn, LUA_TFUNCTION);
    if (grow((void **)&r->assess, r->n_assess, sizeof *r->assess)) return luaL_error(L, "out of memory");
    assess_rule *a = &r->assess[r->n_assess];
    memset(a, 0, sizeof *a);
    a->file = file_of(L);
    a->name = dup_str(name);
    if (fn == 3 && lua_istable(L, 2) && lua_getfield(L, 2, "indicators") == LUA_TTABLE) {
        size_t n = lua_rawlen(L, -1);
        a->indicators = calloc(n ? n : 1, sizeof *a->indicators);
        for (size_t i = 0; a->indicators && i < n; i++) {
            lua_rawgeti(L, -1, (lua_Integer)i + 1);
            if (lua_type(L, -1) == LUA_TSTRING) a->indicators[a->n_indicators++] = dup_str(lua_tostring(L, -1));
            lua_pop(L, 1);
        }
    }
    lua_pushvalue(L, fn);
    a->fn_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    r->n_assess++;
    return 0;
}

/* check_rule(name, [options,] fn); options: level, period, importance */
static int api_check_rule(lua_State *L)
{
    ct_rules *r = owner_of(L);
    if (r->loading != file_of(L)) return luaL_error(L, "check_rule may only be called when the rules file is loaded");
    const char *name = luaL_checkstring(L, 1);
    int fn = lua_gettop(L);
    luaL_checktype(L, fn, LUA_TFUNCTION);
    int level = -1;
    ct_ptype t = CT_PT_YEAR;
    const char *importance = "medium";
    if (fn == 3) {
        luaL_checktype(L, 2, LUA_TTABLE);
        if (lua_getfield(L, 2, "level") == LUA_TSTRING) {
            level = ct_series_level(r->s, lua_tostring(L, -1));
            if (level < 0 && r->s->n_units > 0) return luaL_error(L, "check_rule %s: unknown level '%s'", name, lua_tostring(L, -1));
        }
        if (lua_getfield(L, 2, "period") == LUA_TSTRING && ct_ptype_parse(lua_tostring(L, -1), &t) != 0)
            return luaL_error(L, "check_rule %s: period must be year, half-year, quarter or month", name);
        if (lua_getfield(L, 2, "importance") == LUA_TSTRING) importance = lua_tostring(L, -1);
        if (strcmp(importance, "high") && strcmp(importance, "medium") && strcmp(importance, "low"))
            return luaL_error(L, "check_rule %s: importance must be high, medium or low", name);
    }
    if (grow((void **)&r->checks, r->n_checks, sizeof *r->checks)) return luaL_error(L, "out of memory");
    check_rule *c = &r->checks[r->n_checks];
    memset(c, 0, sizeof *c);
    c->file = file_of(L);
    c->name = dup_str(name);
    c->level = level;
    c->ptype = t;
    snprintf(c->importance, sizeof c->importance, "%s", importance);
    lua_pushvalue(L, fn);
    c->fn_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    r->n_checks++;
    return 0;
}

/* ---- the sandbox -------------------------------------------------------------------- */

/* xpcall(f, handler, ...): the handler is called after the protected call
 * returns, not while the error unwinds: an error raised by the limits is
 * raised from the hook, where Lua turns hooks off, so a handler run there
 * would escape the limits. */
static int sandboxed_xpcall(lua_State *L)
{
    int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 1);
    for (int i = 3; i <= n; i++) lua_pushvalue(L, i);
    int rc = lua_pcall(L, n - 2, LUA_MULTRET, 0);
    if (rc == LUA_OK) {
        lua_pushboolean(L, 1);
        lua_insert(L, n + 1);
        return lua_gettop(L) - n;
    }
    if (file_of(L)->tripped) return lua_error(L); /* not the script's to handle */
    lua_pushvalue(L, 2);
    lua_insert(L, -2);
    lua_call(L, 1, 1);
    lua_pushboolean(L, 0);
    lua_insert(L, -2);
    return 2;
}

/* Lua's pattern matcher runs in C, out of reach of the instruction hook;
 * with several quantifiers on a long subject it can run for ages. Patterns
 * are refused when subject length ^ quantifiers could exceed 1e8 steps. */
static int pattern_guard(lua_State *L)
{
    size_t slen, plen;
    luaL_checklstring(L, 1, &slen);
    const char *pat = luaL_checklstring(L, 2, &plen);
    int quantifiers = 0;
    for (size_t i = 0; i < plen; i++) {
        if (pat[i] == '%') { i++; continue; }
        if (pat[i] == '*' || pat[i] == '+' || pat[i] == '-') quantifiers++;
    }
    if (quantifiers > 1 && slen > 1 && quantifiers * log10((double)slen) > 8)
        return luaL_error(L, "pattern with %d quantifiers on a %d-character string is too costly for a rule", quantifiers,
                          (int)slen);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* setmetatable without __gc: finalizers run with hooks off (during a
 * collection or at close), out of reach of every limit. */
static int sandboxed_setmetatable(lua_State *L)
{
    if (lua_istable(L, 2)) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL) return luaL_error(L, "__gc metamethods are not allowed in rules");
        lua_pop(L, 1);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

static void guard_patterns(lua_State *L)
{
    static const char *const fns[] = {"find", "match", "gmatch", "gsub", NULL};
    lua_getglobal(L, "string");
    for (const char *const *p = fns; *p; p++) {
        lua_getfield(L, -1, *p);
        lua_pushcclosure(L, pattern_guard, 1);
        lua_setfield(L, -2, *p);
    }
    lua_pop(L, 1);
}

/* load() for rules: text chunks only, in the rule's own environment by default. */
static int sandboxed_load(lua_State *L)
{
    int n = lua_gettop(L);
    lua_getfield(L, LUA_REGISTRYINDEX, "chitieu.load");
    lua_pushvalue(L, 1);
    if (n >= 2) lua_pushvalue(L, 2); else lua_pushnil(L);
    lua_pushliteral(L, "t");
    if (n >= 4) lua_pushvalue(L, 4); else lua_pushvalue(L, lua_upvalueindex(1));
    lua_call(L, 4, 2);
    return 2;
}

static int sandboxed_collectgarbage(lua_State *L)
{
    const char *opt = luaL_optstring(L, 1, "count");
    if (strcmp(opt, "count") != 0) return luaL_error(L, "collectgarbage(\"%s\") is not allowed in rules", opt);
    lua_pushnumber(L, (lua_Number)lua_gc(L, LUA_GCCOUNT, 0) + lua_gc(L, LUA_GCCOUNTB, 0) / 1024.0);
    return 1;
}

static void copy_field(lua_State *L, int from, int to, const char *name)
{
    lua_getfield(L, from, name);
    lua_setfield(L, to, name);
}

/* The environment of one rules file, from an allow-list. Leaves it on the stack. */
static void build_env(lua_State *L)
{
    static const char *const base[] = {"assert", "error", "ipairs", "next", "pairs", "pcall", "select",
                                       "tonumber", "tostring", "type", "xpcall", "rawequal", "rawget",
                                       "rawlen", "rawset", "setmetatable", "getmetatable", "_VERSION", NULL};
    static const char *const libs[] = {"string", "table", "math", "utf8", "coroutine", NULL};
    lua_newtable(L);
    int env = lua_gettop(L);
    lua_pushglobaltable(L);
    int g = lua_gettop(L);
    for (const char *const *p = base; *p; p++) copy_field(L, g, env, *p);
    for (const char *const *p = libs; *p; p++) copy_field(L, g, env, *p);
    lua_createtable(L, 0, 3);
    lua_getfield(L, g, "os");
    copy_field(L, -1, -2, "time");
    copy_field(L, -1, -2, "date");
    copy_field(L, -1, -2, "clock");
    lua_pop(L, 1);
    lua_setfield(L, env, "os");
    lua_pop(L, 1); /* the global table */
    lua_pushvalue(L, env);
    lua_pushcclosure(L, sandboxed_load, 1);
    lua_setfield(L, env, "load");
    lua_pushcfunction(L, sandboxed_collectgarbage);
    lua_setfield(L, env, "collectgarbage");
    lua_pushcfunction(L, sandboxed_xpcall);
    lua_setfield(L, env, "xpcall");
    lua_getfield(L, env, "setmetatable");
    lua_pushcclosure(L, sandboxed_setmetatable, 1);
    lua_setfield(L, env, "setmetatable");
    lua_pushcfunction(L, api_assess_rule);
    lua_setfield(L, env, "assess_rule");
    lua_pushcfunction(L, api_check_rule);
    lua_setfield(L, env, "check_rule");
    static const luaL_Reg data_fns[] = {{"unit", data_unit}, {"periods", data_periods}, {"levels", data_levels}, {NULL, NULL}};
    luaL_newlib(L, data_fns);
    ct_rules *r = owner_of(L);
    if (r->s->n_units > 0) {
        push_unit(L, r->s->root);
        lua_setfield(L, -2, "root");
    }
    lua_setfield(L, env, "data");
    static const luaL_Reg stats_fns[] = {{"mean", stats_mean}, {"quantile", stats_quantile}, {"trend", stats_trend},
                                         {"compound_rate", stats_compound_rate}, {"linear_rate", stats_linear_rate},
                                         {"required_rate", stats_required_rate}, {NULL, NULL}};
    luaL_newlib(L, stats_fns);
    lua_setfield(L, env, "stats");
    lua_pushvalue(L, env);
    lua_setfield(L, env, "_G");
}

static lua_State *new_state(rules_file *f)
{
    lua_State *L = lua_newstate(limited_alloc, f);
    if (!L) return NULL;
    *(rules_file **)lua_getextraspace(L) = f;
    static const luaL_Reg libs[] = {{LUA_GNAME, luaopen_base}, {LUA_TABLIBNAME, luaopen_table},
                                    {LUA_STRLIBNAME, luaopen_string}, {LUA_MATHLIBNAME, luaopen_math},
                                    {LUA_UTF8LIBNAME, luaopen_utf8}, {LUA_COLIBNAME, luaopen_coroutine},
                                    {LUA_OSLIBNAME, luaopen_os}, {NULL, NULL}};
    for (const luaL_Reg *lib = libs; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);
        lua_pop(L, 1);
    }
    /* string.dump is reachable through every string's metatable: remove it */
    lua_getglobal(L, "string");
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    lua_pop(L, 1);
    guard_patterns(L);
    lua_getglobal(L, "load");
    lua_setfield(L, LUA_REGISTRYINDEX, "chitieu.load");
    register_unit_type(L);
    lua_settop(L, 0);
    lua_createtable(L, f->owner->s->n_units, 0); /* the unit objects, an array by unit */
    f->units_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    static const char driver[] =
        "local fn, units, period, out = ...\n"
        "for i = 1, #units do out[i] = fn(units[i], period) end\n"
        "return out\n";
    if (luaL_loadbufferx(L, driver, sizeof driver - 1, "=chitieu", "t") != LUA_OK) { lua_close(L); return NULL; }
    f->driver_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    f->batch = 1;
    lua_sethook(L, limit_hook, LUA_MASKCOUNT, HOOK_EVERY);
    return L;
}

/* ---- files ------------------------------------------------------------------------------ */

ct_rules *ct_rules_new(const ct_series *s, const ct_rules_limits *limits)
{
    ct_rules *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->s = s;
    r->lim.instructions = 20000000;
    r->lim.seconds = 2;
    r->lim.memory = (size_t)64 << 20;
    if (limits) {
        if (limits->instructions > 0) r->lim.instructions = limits->instructions;
        if (limits->seconds > 0) r->lim.seconds = limits->seconds;
        if (limits->memory > 0) r->lim.memory = limits->memory;
    }
    return r;
}

void ct_rules_free(ct_rules *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n_files; i++) {
        if (r->files[i]->L) {
            arm(r->files[i]); /* finalizers run at close: under the limits too */
            r->files[i]->in_call = 1;
            lua_close(r->files[i]->L);
        }
        free(r->files[i]->path);
        free(r->files[i]);
    }
    for (size_t i = 0; i < r->n_assess; i++) {
        free(r->assess[i].name);
        for (size_t k = 0; k < r->assess[i].n_indicators; k++) free(r->assess[i].indicators[k]);
        free(r->assess[i].indicators);
    }
    for (size_t i = 0; i < r->n_checks; i++) free(r->checks[i].name);
    for (size_t i = 0; i < r->n_lua_inds; i++) free(r->lua_inds[i]);
    free(r->lua_inds);
    free(r->assess);
    free(r->checks);
    free(r->files);
    free((void *)r->plans);
    free(r->first_child);
    free(r->next_sibling);
    free(r);
}

static rules_file *find_file(ct_rules *r, const char *path)
{
    for (size_t i = 0; i < r->n_files; i++)
        if (strcmp(r->files[i]->path, path) == 0) return r->files[i];
    return NULL;
}

static rules_file *load_file(ct_rules *r, const char *path, ct_diags *d)
{
    rules_file *f = find_file(r, path);
    if (f) return f->L ? f : NULL;
    f = calloc(1, sizeof *f);
    if (!f || grow((void **)&r->files, r->n_files, sizeof *r->files)) { free(f); return NULL; }
    r->files[r->n_files++] = f;
    f->owner = r;
    f->path = dup_str(path);
    /* Lua cuts source names longer than 60 characters in its messages: a long
     * path is known to Lua by its file name, messages name the whole path */
    const char *slash = strrchr(path, '/');
    f->chunk = strlen(path) > 50 && slash ? slash + 1 : path;
    f->chunk = f->path + (f->chunk - path);
    f->mem_cap = r->lim.memory;
    size_t len;
    char *src;
    if (ct_file_read(path, (size_t)16 << 20, "rules file", &src, &len, d) != CT_OK) return NULL;
    if (len >= 1 && src[0] == LUA_SIGNATURE[0]) {
        ct_error_at(d, path, 1, 0, "precompiled (binary) Lua chunks are not allowed; give the source text");
        free(src);
        return NULL;
    }
    f->L = new_state(f);
    if (!f->L) { free(src); ct_error_at(d, path, 0, 0, "cannot start Lua"); return NULL; }
    lua_State *L = f->L;
    char chunkname[1100];
    snprintf(chunkname, sizeof chunkname, "@%s", f->chunk);
    int rc = luaL_loadbufferx(L, src, len, chunkname, "t");
    free(src);
    if (rc != LUA_OK) {
        char msg[600];
        int line = 0;
        const char *m = lua_tostring(L, -1);
        size_t plen = strlen(f->chunk);
        if (m && !strncmp(m, f->chunk, plen) && m[plen] == ':') {
            char *end;
            line = (int)strtol(m + plen + 1, &end, 10);
            m = *end == ':' ? end + 2 : m;
        }
        snprintf(msg, sizeof msg, "%s", m ? m : "syntax error");
        ct_error_at(d, path, line, 0, "%s", msg);
        lua_close(L);
        f->L = NULL;
        return NULL;
    }
    build_env(L);
    lua_pushvalue(L, -1);
    f->env_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_setupvalue(L, -2, 1); /* _ENV of the chunk */
    char msg[600];
    int line;
    r->loading = f;
    rc = protected_call(f, 0, 0, LUA_NOREF, msg, sizeof msg, &line);
    r->loading = NULL;
    if (rc != 0) {
        ct_error_at(d, path, line, 0, "%s", msg);
        lua_close(L);
        f->L = NULL;
        return NULL;
    }
    return f;
}

ct_status ct_rules_load(ct_rules *r, const char *path, ct_diags *d)
{
    return load_file(r, path, d) ? CT_OK : CT_EINPUT;
}

/* A path relative to the plan file's folder (absolute paths stay). */
static void relative_to(const char *plan_path, const char *file, char *out, size_t size)
{
    const char *slash = strrchr(plan_path, '/');
    if (file[0] == '/' || !slash) snprintf(out, size, "%s", file);
    else snprintf(out, size, "%.*s/%s", (int)(slash - plan_path), plan_path, file);
}

/* The values of a kind: lua indicator for n units at one period: one
 * protected call runs a small Lua loop over the units, so that the cost per
 * unit is that of a Lua call. The batch's limits grow with n (see ct_rules.h). */
static int lua_indicator_values(void *ctx, const int *units, int n, ct_period p, double *values)
{
    lua_indicator *li = ctx;
    rules_file *f = li->file;
    lua_State *L = f->L;
    for (int i = 0; i < n; i++) values[i] = NAN;
    if (li->failed) return -1;
    if (!lua_checkstack(L, 8)) return -1;
    lua_rawgeti(L, LUA_REGISTRYINDEX, f->driver_ref);
    lua_rawgeti(L, LUA_REGISTRYINDEX, li->fn_ref);
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) {
        push_unit(L, units[i]);
        lua_rawseti(L, -2, i + 1);
    }
    push_period(L, p);
    lua_createtable(L, n, 0);
    char msg[600];
    int line;
    f->batch = n;
    int rc = protected_call(f, 4, 1, li->fn_ref, msg, sizeof msg, &line);
    f->batch = 1;
    if (rc != 0) {
        li->failed = 1;
        ct_error_at(li->owner->diags, f->path, line, 0, "indicator %s (function %s): %s", li->ind->id,
                    li->ind->function, msg);
        return -1;
    }
    for (int i = 0; i < n && rc == 0; i++) {
        int t = lua_rawgeti(L, -1, i + 1);
        if (t == LUA_TNUMBER) values[i] = lua_tonumber(L, -1);
        else if (t == LUA_TBOOLEAN) values[i] = lua_toboolean(L, -1);
        else if (t != LUA_TNIL) {
            li->failed = 1;
            ct_error_at(li->owner->diags, f->path, 0, 0,
                        "indicator %s (function %s) returned a %s for unit %s; return a number, a boolean or nil",
                        li->ind->id, li->ind->function, lua_typename(L, t), li->owner->s->code[units[i]]);
            rc = -1;
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return rc;
}

static ct_status attach_indicator(ct_rules *r, ct_plan *plan, ct_indicator *ind, ct_diags *d)
{
    char path[1024];
    relative_to(plan->path, ind->script, path, sizeof path);
    rules_file *f = load_file(r, path, d);
    if (!f) {
        ct_error_at(d, plan->path, ind->script_pos.line, ind->script_pos.col, "indicator %s: script %s could not be loaded",
                    ind->id, ind->script);
        return CT_EINPUT;
    }
    lua_State *L = f->L;
    lua_rawgeti(L, LUA_REGISTRYINDEX, f->env_ref);
    lua_getfield(L, -1, ind->function);
    if (!lua_isfunction(L, -1)) {
        lua_pop(L, 2);
        ct_error_at(d, plan->path, ind->script_pos.line, ind->script_pos.col, "indicator %s: %s defines no function '%s'",
                    ind->id, ind->script, ind->function);
        return CT_EINPUT;
    }
    lua_indicator *li = calloc(1, sizeof *li);
    if (!li || grow((void **)&r->lua_inds, r->n_lua_inds, sizeof *r->lua_inds)) { free(li); lua_pop(L, 2); return CT_ENOMEM; }
    li->owner = r;
    li->file = f;
    li->ind = ind;
    li->fn_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pop(L, 1);
    r->lua_inds[r->n_lua_inds++] = li;
    ind->custom = lua_indicator_values;
    ind->custom_ctx = li;
    return CT_OK;
}

ct_status ct_rules_attach_plan(ct_rules *r, ct_plan *plan, ct_diags *d)
{
    ct_status st = CT_OK;
    r->diags = d;
    if (grow((void **)&r->plans, r->n_plans, sizeof *r->plans)) return CT_ENOMEM;
    r->plans[r->n_plans++] = plan;
    for (size_t i = 0; i < plan->n_rules; i++) {
        char path[1024];
        relative_to(plan->path, plan->rules[i], path, sizeof path);
        if (!load_file(r, path, d)) {
            ct_error_at(d, plan->path, plan->rules_pos[i].line, plan->rules_pos[i].col, "rules file %s could not be loaded",
                        plan->rules[i]);
            st = CT_EINPUT;
        }
    }
    for (size_t i = 0; i < plan->n_indicators; i++) {
        ct_indicator *ind = &plan->indicators[i];
        if (ind->kind != CT_KIND_LUA || !ind->script || !ind->function) continue;
        ct_status s2 = attach_indicator(r, plan, ind, d);
        if (st == CT_OK) st = s2;
    }
    return st;
}

/* ---- assess rules -------------------------------------------------------------------- */

static void set_number(lua_State *L, const char *key, double v)
{
    push_number_or_nil(L, v);
    lua_setfield(L, -2, key);
}

static void set_string(lua_State *L, const char *key, const char *v)
{
    if (v) lua_pushstring(L, v);
    else lua_pushnil(L);
    lua_setfield(L, -2, key);
}

static const char *const form_names[] = {"value", "range", "change", "maintain"};

/* The assessment as a Lua table. */
static void push_assessment(lua_State *L, const ct_assessment *a)
{
    char pb[CT_PERIOD_BUF];
    lua_createtable(L, 0, 20);
    set_string(L, "plan", a->plan->id);
    lua_createtable(L, 0, 6);
    set_string(L, "id", a->ind->id);
    set_string(L, "title", a->ind->title);
    set_string(L, "kind", ct_kind_name(a->ind->kind));
    set_string(L, "direction", a->ind->direction > 0 ? "increase" : "decrease");
    set_string(L, "unit", a->ind->unit);
    lua_pushboolean(L, ct_indicator_is_percent(a->ind));
    lua_setfield(L, -2, "percent");
    lua_setfield(L, -2, "indicator");
    const ct_target *t = a->target;
    lua_createtable(L, 0, 9);
    lua_pushinteger(L, a->target_year);
    lua_setfield(L, -2, "year");
    set_number(L, "value", a->target_value);
    set_string(L, "form", form_names[t->form]);
    if (t->form == CT_TF_RANGE) { set_number(L, "min", t->min); set_number(L, "max", t->max); }
    if (t->form == CT_TF_CHANGE) set_number(L, "change", t->change);
    lua_pushboolean(L, t->each_period);
    lua_setfield(L, -2, "each_period");
    if (t->each_period) {
        lua_pushinteger(L, t->from);
        lua_setfield(L, -2, "from");
        lua_pushinteger(L, t->to);
        lua_setfield(L, -2, "to");
    }
    lua_setfield(L, -2, "target");
    push_unit(L, a->unit);
    lua_setfield(L, -2, "unit");
    lua_createtable(L, 0, 2);
    if (a->has_baseline) { ct_period_format(a->baseline_period, pb); set_string(L, "period", pb); }
    set_number(L, "value", a->baseline_value);
    lua_setfield(L, -2, "baseline");
    lua_createtable(L, 0, 2);
    if (a->has_latest) { ct_period_format(a->latest_period, pb); set_string(L, "period", pb); }
    set_number(L, "value", a->latest_value);
    lua_setfield(L, -2, "latest");
    set_number(L, "observed_rate", a->observed_rate);
    set_number(L, "required_rate", a->required_rate);
    set_number(L, "ratio", a->ratio);
    set_number(L, "projected", a->projected);
    set_number(L, "lower", a->lower);
    set_number(L, "upper", a->upper);
    if (a->met_year) { lua_pushinteger(L, a->met_year); lua_setfield(L, -2, "met_year"); }
    set_number(L, "probability", a->probability);
    set_number(L, "coverage", a->coverage);
    set_string(L, "geography", a->geography);
    lua_pushboolean(L, a->evaluated);
    lua_setfield(L, -2, "evaluated");
    lua_pushinteger(L, a->points);
    lua_setfield(L, -2, "points");
    set_string(L, "status", a->status);
    set_string(L, "note", a->note);
}

static int rule_applies(const assess_rule *rule, const ct_assessment *a)
{
    if (!rule->indicators) return 1;
    for (size_t i = 0; i < rule->n_indicators; i++)
        if (a->ind->id && strcmp(rule->indicators[i], a->ind->id) == 0) return 1;
    return 0;
}

static int valid_status(const char *s)
{
    if (!*s || strlen(s) > 40) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || *s == '_' || (*s >= '0' && *s <= '9'))) return 0;
    return 1;
}

static void append_note(ct_assessment *a, const char *text)
{
    size_t len = strlen(a->note);
    snprintf(a->note + len, sizeof a->note - len, "%s%s", len ? "; " : "", text);
}

static void rule_failed(ct_assessment *a, const char *msg)
{
    snprintf(a->status_buf, sizeof a->status_buf, "error");
    a->status = a->status_buf;
    snprintf(a->note, sizeof a->note, "%s", msg);
}

void ct_rules_assess(ct_rules *r, ct_assessment *a, ct_diags *d)
{
    for (size_t i = 0; i < r->n_assess; i++) {
        assess_rule *rule = &r->assess[i];
        if (!rule_applies(rule, a)) continue;
        if (strcmp(a->status, "error") == 0) break; /* a failed rule's row stays an error */
        char msg[600];
        if (rule->failed) {
            snprintf(msg, sizeof msg, "rule %s failed (see the error above)", rule->name);
            rule_failed(a, msg);
            continue;
        }
        lua_State *L = rule->file->L;
        lua_rawgeti(L, LUA_REGISTRYINDEX, rule->fn_ref);
        push_assessment(L, a);
        int line;
        if (protected_call(rule->file, 1, 2, rule->fn_ref, msg, sizeof msg, &line) != 0) {
            rule->failed = 1;
            ct_error_at(d, rule->file->path, line, 0, "rule %s: %s", rule->name, msg);
            char note[sizeof a->note];
            snprintf(note, sizeof note, "rule %s: %.500s", rule->name, msg);
            rule_failed(a, note);
            continue;
        }
        if (lua_type(L, -2) == LUA_TSTRING) {
            const char *st = lua_tostring(L, -2);
            if (!valid_status(st)) {
                rule->failed = 1;
                ct_error_at(d, rule->file->path, 0, 0, "rule %s returned status '%s'; use lower-case letters, digits and _", rule->name, st);
                rule_failed(a, "invalid status from a rule");
            } else {
                snprintf(a->status_buf, sizeof a->status_buf, "%s", st);
                a->status = a->status_buf;
            }
        } else if (!lua_isnil(L, -2)) {
            rule->failed = 1;
            ct_error_at(d, rule->file->path, 0, 0, "rule %s returned a %s as status; return a string or nil", rule->name,
                        luaL_typename(L, -2));
            rule_failed(a, "invalid status from a rule");
        }
        if (lua_type(L, -1) == LUA_TSTRING && strcmp(a->status, "error") != 0) append_note(a, lua_tostring(L, -1));
        lua_pop(L, 2);
    }
}

int ct_rules_n_assess(const ct_rules *r) { return (int)r->n_assess; }
int ct_rules_n_checks(const ct_rules *r) { return (int)r->n_checks; }

/* ---- data checks ------------------------------------------------------------------------- */

static long run_check(ct_rules *r, check_rule *c, ct_violation_fn fn, void *ctx, ct_diags *d)
{
    const ct_series *s = r->s;
    lua_State *L = c->file->L;
    long found = 0;
    int np = ct_series_n_periods(s, c->ptype);
    for (int u = 0; u < s->n_units && !c->failed; u++) {
        if (c->level >= 0 && s->level[u] != c->level) continue;
        for (int i = 0; i < np; i++) {
            ct_period p = ct_period_from_index(c->ptype, s->year0, i);
            if (!ct_series_unit_valid(s, u, p)) continue;
            lua_rawgeti(L, LUA_REGISTRYINDEX, c->fn_ref);
            push_unit(L, u);
            push_period(L, p);
            char msg[600];
            int line;
            if (protected_call(c->file, 2, 1, c->fn_ref, msg, sizeof msg, &line) != 0) {
                char pb[CT_PERIOD_BUF];
                ct_period_format(p, pb);
                c->failed = 1;
                ct_error_at(d, c->file->path, line, 0, "rule %s: %s (unit %s, period %s)", c->name, msg, s->code[u], pb);
                break;
            }
            int t = lua_type(L, -1);
            if (t == LUA_TSTRING || t == LUA_TTABLE) {
                const char *message = NULL, *importance = c->importance;
                if (t == LUA_TSTRING) message = lua_tostring(L, -1);
                else { /* raw reads: no metamethod of the rule's runs outside the limits */
                    lua_pushliteral(L, "message");
                    if (lua_rawget(L, -2) == LUA_TSTRING) message = lua_tostring(L, -1);
                    lua_pushliteral(L, "importance");
                    if (lua_rawget(L, -3) == LUA_TSTRING) importance = lua_tostring(L, -1);
                    lua_pop(L, 2);
                }
                if (strcmp(importance, "high") && strcmp(importance, "medium") && strcmp(importance, "low")) {
                    char pb[CT_PERIOD_BUF];
                    ct_period_format(p, pb);
                    c->failed = 1;
                    ct_error_at(d, c->file->path, 0, 0, "rule %s returned importance '%s' (unit %s, period %s); use high, medium or low",
                                c->name, importance, s->code[u], pb);
                    lua_pop(L, 1);
                    break;
                }
                ct_violation v = {c->name, c->file->path, u, p, importance, message ? message : c->name};
                found++;
                if (fn(&v, ctx) != 0) { lua_pop(L, 1); return found; }
            }
            lua_pop(L, 1);
        }
    }
    return found;
}

long ct_rules_check(ct_rules *r, ct_violation_fn fn, void *ctx, ct_diags *d)
{
    long total = 0;
    if (r->s->n_units == 0) return 0;
    for (size_t i = 0; i < r->n_checks; i++) total += run_check(r, &r->checks[i], fn, ctx, d);
    return total;
}
