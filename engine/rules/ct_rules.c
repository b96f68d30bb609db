#define _XOPEN_SOURCE 700 /* realpath */
#include "ct_rules.h"

#include "../model/ct_geo.h"

#include <lauxlib.h>
#include <limits.h>
#include <lua.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/ct_file.h"
#include "ct_rules_impl.h"

static rules_file *file_of(lua_State *L) { return ct_rules_file_of(L); }

int ct_rules_line(lua_State *L, int fn_ref)
{
    lua_Debug ar;
    lua_rawgeti(L, LUA_REGISTRYINDEX, fn_ref);
    if (!lua_getinfo(L, ">S", &ar)) return 0; /* ">" pops the function */
    return ar.linedefined > 0 ? ar.linedefined : 0;
}

/* ---- registration of rules ---------------------------------------------------------- */

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

char *ct_rules_dup_clean(const char *s)
{
    size_t n = strlen(s), size = n * 6 + 1;
    char *p = malloc(size);
    if (p) ct_sandbox_escape(s, n, p, size);
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
    ct_rules *r = file_of(L)->owner;
    if (r->loading != file_of(L)) return luaL_error(L, "assess_rule may only be called when the rules file is loaded");
    const char *name = luaL_checkstring(L, 1);
    int fn = lua_gettop(L);
    luaL_checktype(L, fn, LUA_TFUNCTION);
    if (grow((void **)&r->assess, r->n_assess, sizeof *r->assess)) return luaL_error(L, "out of memory");
    assess_rule *a = &r->assess[r->n_assess];
    memset(a, 0, sizeof *a);
    a->file = file_of(L);
    a->name = ct_rules_dup_clean(name);
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
    ct_rules *r = file_of(L)->owner;
    if (r->loading != file_of(L)) return luaL_error(L, "check_rule may only be called when the rules file is loaded");
    const char *name = luaL_checkstring(L, 1);
    int fn = lua_gettop(L);
    luaL_checktype(L, fn, LUA_TFUNCTION);
    int level = -1, series = 0;
    ct_ptype t = CT_PT_YEAR;
    const char *importance = "medium";
    if (fn == 3) {
        luaL_checktype(L, 2, LUA_TTABLE);
        series = lua_getfield(L, 2, "series") != LUA_TNIL && lua_toboolean(L, -1);
        if (lua_getfield(L, 2, "level") == LUA_TSTRING) {
            level = ct_series_level(r->world.s, lua_tostring(L, -1));
            if (level < 0 && r->world.s->n_units > 0) return luaL_error(L, "check_rule %s: unknown level '%s'", name, lua_tostring(L, -1));
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
    c->name = ct_rules_dup_clean(name);
    c->series = series;
    c->level = level;
    c->ptype = t;
    snprintf(c->importance, sizeof c->importance, "%s", importance);
    lua_pushvalue(L, fn);
    c->fn_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    r->n_checks++;
    return 0;
}

/* log(...): its arguments as tostring gives them, joined by spaces, to the
 * log function with the file and line of the call; control characters
 * escaped. It costs 100 instructions plus one per byte, logged or not. */
static int api_log(lua_State *L)
{
    rules_file *f = file_of(L);
    int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        if (i > 1) luaL_addchar(&b, ' ');
        luaL_tolstring(L, i, NULL);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    size_t len;
    const char *text = lua_tolstring(L, -1, &len);
    ct_sandbox_charge(L, 100.0 + (double)len, "log");
    if (!f->owner->log) return 0;
    lua_Debug ar;
    int line = lua_getstack(L, 1, &ar) && lua_getinfo(L, "l", &ar) && ar.currentline > 0 ? ar.currentline : 0;
    char clean[1200];
    size_t k = ct_sandbox_escape(text, len > 1000 ? 1000 : len, clean, sizeof clean);
    if (len > 1000 && k + 4 < sizeof clean) memcpy(clean + k, "\xE2\x80\xA6", 4); /* … */
    f->owner->log(f->owner->log_ctx, f->path, line, clean);
    return 0;
}

void ct_rules_set_log(ct_rules *r, ct_rules_log_fn fn, void *ctx)
{
    r->log = fn;
    r->log_ctx = ctx;
}

/* ---- files ------------------------------------------------------------------------------ */

void ct_rules_use_series(ct_rules *r, const ct_series *s)
{
    r->world.s = s;
}

void ct_rules_plan_series(ct_rules *r, const ct_plan *plan, const ct_series *s)
{
    for (size_t i = 0; i < r->world.n_plans; i++)
        if (r->world.plans[i] == plan) r->world.plan_series[i] = s;
}

ct_rules *ct_rules_new(const ct_series *s, const ct_rules_limits *limits)
{
    ct_rules *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->world.s = s;
    r->run.instructions = 20000000;
    r->run.seconds = 2;
    r->run.memory = (size_t)64 << 20;
    if (limits) {
        if (limits->instructions > 0) r->run.instructions = limits->instructions;
        if (limits->seconds > 0) r->run.seconds = limits->seconds;
        if (limits->memory > 0) r->run.memory = limits->memory;
    }
    return r;
}

void ct_rules_free(ct_rules *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n_files; i++) {
        ct_sandbox_close(&r->files[i]->sb);
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
    free((void *)r->world.plans);
    free((void *)r->world.plan_series);
    ct_rules_world_free(&r->world);
    free(r);
}

static rules_file *find_file(ct_rules *r, const char *path)
{
    for (size_t i = 0; i < r->n_files; i++)
        if (strcmp(r->files[i]->path, path) == 0) return r->files[i];
    return NULL;
}

/* What a rules file's environment has beyond the sandbox's allow-list. */
static void add_api(lua_State *L, void *ctx)
{
    (void)ctx;
    int env = lua_gettop(L);
    ct_rules_api_add(L);
    lua_pushcfunction(L, api_assess_rule);
    lua_setfield(L, env, "assess_rule");
    lua_pushcfunction(L, api_check_rule);
    lua_setfield(L, env, "check_rule");
    lua_pushcfunction(L, api_log);
    lua_setfield(L, env, "log");
}

static rules_file *load_file(ct_rules *r, const char *path, ct_diags *d)
{
    rules_file *f = find_file(r, path);
    if (f) return f->sb.L ? f : NULL;
    f = calloc(1, sizeof *f);
    if (!f || grow((void **)&r->files, r->n_files, sizeof *r->files)) { free(f); return NULL; }
    r->files[r->n_files++] = f;
    f->owner = r;
    f->path = dup_str(path);
    if (!f->path) return NULL;
    /* Lua cuts source names longer than 60 characters in its messages: a long
     * path is known to Lua by its file name, messages name the whole path */
    const char *slash = strrchr(f->path, '/');
    f->sb.chunk = strlen(f->path) > 50 && slash ? slash + 1 : f->path;
    f->sb.run = &r->run;
    f->sb.user = f;
    f->api.world = &r->world;
    size_t len;
    char *src;
    if (ct_file_read(path, (size_t)16 << 20, "rules file", &src, &len, d) != CT_OK) return NULL;
    if (ct_sandbox_open(&f->sb) != 0) { free(src); ct_error_at(d, path, 0, 0, "cannot start Lua"); return NULL; }
    lua_State *L = f->sb.L;
    ct_rules_api_open(L, &f->api);
    static const char driver[] =
        "local fn, units, period, out = ...\n"
        "for i = 1, #units do out[i] = fn(units[i], period) end\n"
        "return out\n";
    if (luaL_loadbufferx(L, driver, sizeof driver - 1, "=chitieu", "t") != LUA_OK) {
        free(src);
        ct_sandbox_close(&f->sb);
        ct_error_at(d, path, 0, 0, "cannot start Lua");
        return NULL;
    }
    f->driver_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    char msg[600];
    int line;
    r->loading = f;
    size_t n_assess = r->n_assess, n_checks = r->n_checks;
    int rc = ct_sandbox_load(&f->sb, src, len, add_api, NULL, &f->env_ref, msg, sizeof msg, &line);
    r->loading = NULL;
    free(src);
    if (rc != 0) {
        /* the rules the file registered before it failed go with it */
        for (size_t i = n_assess; i < r->n_assess; i++) {
            free(r->assess[i].name);
            for (size_t k = 0; k < r->assess[i].n_indicators; k++) free(r->assess[i].indicators[k]);
            free(r->assess[i].indicators);
        }
        for (size_t i = n_checks; i < r->n_checks; i++) free(r->checks[i].name);
        r->n_assess = n_assess;
        r->n_checks = n_checks;
        ct_error_at(d, path, line, 0, "%s", msg);
        ct_sandbox_close(&f->sb);
        return NULL;
    }
    return f;
}

ct_status ct_rules_load(ct_rules *r, const char *path, ct_diags *d)
{
    return load_file(r, path, d) ? CT_OK : CT_EINPUT;
}

/* Whether path (resolved) lies within folder (resolved). */
static int inside(const char *folder, const char *path)
{
    char rf[PATH_MAX], rp[PATH_MAX];
    if (!realpath(folder, rf) || !realpath(path, rp)) return 1; /* a missing file is reported when it is read */
    size_t n = strlen(rf);
    return strncmp(rf, rp, n) == 0 && (rp[n] == '/' || (n == 1 && rf[0] == '/'));
}

/* The path of a file named in a plan: relative to the plan file's folder, a
 * Lua file (.lua), and inside the plan's folder, the folder that holds it
 * (the project's) or the current folder (the places the user pointed at). 0, or -1 with the reason in why. */
static int plan_file(const char *plan_path, const char *file, char *out, size_t size, char *why, size_t why_size)
{
    const char *slash = strrchr(plan_path, '/');
    size_t fl = strlen(file);
    if (file[0] == '/') { snprintf(why, why_size, "is an absolute path"); return -1; }
    if (fl < 4 || strcmp(file + fl - 4, ".lua") != 0) { snprintf(why, why_size, "is not a .lua file"); return -1; }
    if (!slash) snprintf(out, size, "%s", file);
    else snprintf(out, size, "%.*s/%s", (int)(slash - plan_path), plan_path, file);
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - plan_path) : 1, slash ? plan_path : ".");
    if (slash == plan_path) snprintf(dir, sizeof dir, "/");
    /* a project keeps its plans and scripts side by side (indicators/, scripts/) */
    char project[PATH_MAX + 4];
    snprintf(project, sizeof project, "%s/..", dir);
    if (!inside(dir, out) && !inside(project, out) && !inside(".", out)) {
        snprintf(why, why_size, "lies outside the plan's project folder and the current folder");
        return -1;
    }
    return 0;
}

typedef struct {
    rules_file *f;
    int fn_ref;
    const int *units;
    int n;
    ct_period p;
} batch_call;

static int push_batch(lua_State *L, void *ctx)
{
    batch_call *bc = ctx;
    lua_rawgeti(L, LUA_REGISTRYINDEX, bc->f->driver_ref);
    lua_rawgeti(L, LUA_REGISTRYINDEX, bc->fn_ref);
    lua_createtable(L, bc->n, 0);
    for (int i = 0; i < bc->n; i++) {
        ct_rules_api_push_unit(L, bc->units[i]);
        lua_rawseti(L, -2, i + 1);
    }
    ct_rules_api_push_period(L, bc->p);
    lua_createtable(L, bc->n, 0);
    return 4;
}

/* The values of a kind: lua indicator for n units at one period: one
 * protected call runs a small Lua loop over the units, so that the cost per
 * unit is that of a Lua call. The batch's limits grow with n (see ct_rules.h). */
static int lua_indicator_values(void *ctx, const int *units, int n, ct_period p, double *values)
{
    lua_indicator *li = ctx;
    rules_file *f = li->file;
    lua_State *L = f->sb.L;
    for (int i = 0; i < n; i++) values[i] = NAN;
    if (li->failed) return -1;
    char msg[600];
    int line;
    batch_call bc = {f, li->fn_ref, units, n, p};
    int outer_batch = f->sb.batch;
    f->sb.batch = n;
    int rc = ct_sandbox_call(&f->sb, push_batch, &bc, 1, li->fn_ref, msg, sizeof msg, &line);
    f->sb.batch = outer_batch;
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
            ct_error_at(li->owner->diags, f->path, ct_rules_line(L, li->fn_ref), 0,
                        "indicator %s (function %s) returned a %s for unit %s; return a number, a boolean or nil",
                        li->ind->id, li->ind->function, lua_typename(L, t), li->owner->world.s->code[units[i]]);
            rc = -1;
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return rc;
}

static ct_status attach_indicator(ct_rules *r, ct_plan *plan, ct_indicator *ind, ct_diags *d)
{
    char path[1024], why[120];
    if (plan_file(plan->path, ind->script, path, sizeof path, why, sizeof why) != 0) {
        ct_error_at(d, plan->path, ind->script_pos.line, ind->script_pos.col,
                    "indicator %s: script %s %s; a plan's scripts must be .lua files in its project folder or the current "
                    "folder (give others with --rules)", ind->id, ind->script, why);
        return CT_EINPUT;
    }
    rules_file *f = load_file(r, path, d);
    if (!f) {
        ct_error_at(d, plan->path, ind->script_pos.line, ind->script_pos.col, "indicator %s: script %s could not be loaded",
                    ind->id, ind->script);
        return CT_EINPUT;
    }
    lua_State *L = f->sb.L;
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
    if (grow((void **)&r->world.plans, r->world.n_plans, sizeof *r->world.plans) ||
        grow((void **)&r->world.plan_series, r->world.n_plans, sizeof *r->world.plan_series))
        return CT_ENOMEM;
    r->world.plan_series[r->world.n_plans] = NULL;
    r->world.plans[r->world.n_plans++] = plan;
    for (size_t i = 0; i < plan->n_rules; i++) {
        char path[1024], why[120];
        if (plan_file(plan->path, plan->rules[i], path, sizeof path, why, sizeof why) != 0) {
            ct_error_at(d, plan->path, plan->rules_pos[i].line, plan->rules_pos[i].col,
                        "rules file %s %s; a plan's rules files must be .lua files in its project folder or the current "
                        "folder (give others with --rules)", plan->rules[i], why);
            st = CT_EINPUT;
            continue;
        }
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


int ct_rules_n_assess(const ct_rules *r) { return (int)r->n_assess; }
int ct_rules_n_checks(const ct_rules *r) { return (int)r->n_checks; }
