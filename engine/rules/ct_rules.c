#define _XOPEN_SOURCE 700 /* realpath */
#include "ct_rules.h"

#include <lauxlib.h>
#include <limits.h>
#include <lua.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/ct_file.h"
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
};

static rules_file *file_of(lua_State *L) { return ct_sandbox_of(L)->user; }

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
    ct_rules *r = file_of(L)->owner;
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
    ct_rules *r = file_of(L)->owner;
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
    c->name = dup_str(name);
    c->level = level;
    c->ptype = t;
    snprintf(c->importance, sizeof c->importance, "%s", importance);
    lua_pushvalue(L, fn);
    c->fn_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    r->n_checks++;
    return 0;
}

/* ---- files ------------------------------------------------------------------------------ */

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
            ct_error_at(li->owner->diags, f->path, 0, 0,
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
    if (grow((void **)&r->world.plans, r->world.n_plans, sizeof *r->world.plans)) return CT_ENOMEM;
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

/* ---- assess rules -------------------------------------------------------------------- */

static void set_number(lua_State *L, const char *key, double v)
{
    ct_rules_api_push_number(L, v);
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
    ct_rules_api_push_unit(L, a->unit);
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

typedef struct {
    int fn_ref;
    const ct_assessment *a;
} assess_call;

static int push_assess_call(lua_State *L, void *ctx)
{
    assess_call *ac = ctx;
    lua_rawgeti(L, LUA_REGISTRYINDEX, ac->fn_ref);
    push_assessment(L, ac->a);
    return 1;
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
    ct_assess_note_append(a, text);
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
        lua_State *L = rule->file->sb.L;
        assess_call ac = {rule->fn_ref, a};
        int line;
        if (ct_sandbox_call(&rule->file->sb, push_assess_call, &ac, 2, rule->fn_ref, msg, sizeof msg, &line) != 0) {
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

typedef struct {
    int fn_ref, unit;
    ct_period period;
} check_call;

static int push_check_call(lua_State *L, void *ctx)
{
    check_call *cc = ctx;
    lua_rawgeti(L, LUA_REGISTRYINDEX, cc->fn_ref);
    ct_rules_api_push_unit(L, cc->unit);
    ct_rules_api_push_period(L, cc->period);
    return 2;
}

static long run_check(ct_rules *r, check_rule *c, ct_violation_fn fn, void *ctx, ct_diags *d)
{
    const ct_series *s = r->world.s;
    lua_State *L = c->file->sb.L;
    long found = 0;
    int np = ct_series_n_periods(s, c->ptype);
    for (int u = 0; u < s->n_units && !c->failed; u++) {
        if (c->level >= 0 && s->level[u] != c->level) continue;
        for (int i = 0; i < np; i++) {
            ct_period p = ct_period_from_index(c->ptype, s->year0, i);
            if (!ct_series_unit_valid(s, u, p)) continue;
            check_call cc = {c->fn_ref, u, p};
            char msg[600];
            int line;
            if (ct_sandbox_call(&c->file->sb, push_check_call, &cc, 1, c->fn_ref, msg, sizeof msg, &line) != 0) {
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
    if (r->world.s->n_units == 0) return 0;
    for (size_t i = 0; i < r->n_checks; i++) total += run_check(r, &r->checks[i], fn, ctx, d);
    return total;
}
