#include "ct_sandbox.h"

#include <lauxlib.h>
#include <lualib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { HOOK_EVERY = 1000 };

/* C work is cheaper than a Lua instruction: this many steps of a C loop
 * (bytes copied, characters compared) count as one instruction. */
#define STEPS_PER_INSTRUCTION 64.0

ct_sandbox *ct_sandbox_of(lua_State *L) { return *(ct_sandbox **)lua_getextraspace(L); }

/* ---- memory ---------------------------------------------------------------------- */

static void trip(ct_sandbox_run *run, const char *msg)
{
    if (run->tripped) return;
    run->tripped = 1;
    snprintf(run->trip_msg, sizeof run->trip_msg, "%s", msg);
}

static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    ct_sandbox *sb = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        sb->mem_used -= old;
        return NULL;
    }
    /* the engine's own work between calls may go a little over the cap, so
     * that it never fails outside a protected call */
    size_t cap = sb->in_call ? sb->mem_cap : sb->mem_cap + ((size_t)16 << 20);
    if (nsize > old && sb->mem_used - old + nsize > cap) {
        if (sb->in_call && sb->run->depth > 0) {
            char m[80];
            snprintf(m, sizeof m, "memory cap of %zu MiB exceeded", sb->mem_cap >> 20);
            trip(sb->run, m);   /* not for pcall to catch */
        }
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (p) sb->mem_used = sb->mem_used - old + nsize;
    return p;
}

/* ---- time and instructions --------------------------------------------------------- */

static int past(const struct timespec *deadline)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > deadline->tv_sec || (now.tv_sec == deadline->tv_sec && now.tv_nsec > deadline->tv_nsec);
}

static double call_seconds(const ct_sandbox *sb)
{
    double t = sb->run->seconds + (sb->batch - 1) * CT_SANDBOX_BATCH_SECONDS;
    return t < sb->run->seconds * CT_SANDBOX_BATCH_MAX ? t : sb->run->seconds * CT_SANDBOX_BATCH_MAX;
}

static long long call_budget(const ct_sandbox *sb)
{
    long long base = sb->run->instructions, cap = base * CT_SANDBOX_BATCH_MAX;
    double b = (double)base + (double)(sb->batch - 1) * (double)CT_SANDBOX_BATCH_INSTRUCTIONS;
    return b < (double)cap ? (long long)b : cap;
}

/* "of 20000000", or for a batch what it was given: the figure spent */
static void budget_words(const ct_sandbox_run *run, int batch, int secs, char *buf, size_t size)
{
    if (batch <= 1 || run->budget <= run->instructions) {
        if (secs) snprintf(buf, size, "time limit of %g s", run->call_secs > 0 ? run->call_secs : run->seconds);
        else snprintf(buf, size, "instruction budget of %lld", run->budget > 0 ? run->budget : run->instructions);
    } else if (secs) {
        snprintf(buf, size, "time limit of %g s of a batch of %d units (%g s a call, %g s more a unit, at most %dx)",
                 run->call_secs, batch, run->seconds, CT_SANDBOX_BATCH_SECONDS, CT_SANDBOX_BATCH_MAX);
    } else {
        snprintf(buf, size, "instruction budget of %lld of a batch of %d units (%lld a call, %lld more a unit, at most %dx)",
                 run->budget, batch, run->instructions, CT_SANDBOX_BATCH_INSTRUCTIONS, CT_SANDBOX_BATCH_MAX);
    }
}

static void set_deadline(ct_sandbox *sb)
{
    ct_sandbox_run *run = sb->run;
    if (run->deadline_set) return;
    clock_gettime(CLOCK_MONOTONIC, &run->deadline);
    double secs = call_seconds(sb);
    run->deadline.tv_sec += (time_t)secs;
    run->deadline.tv_nsec += (long)((secs - floor(secs)) * 1e9);
    if (run->deadline.tv_nsec >= 1000000000L) { run->deadline.tv_sec++; run->deadline.tv_nsec -= 1000000000L; }
    run->deadline_set = 1;
}

/* Trips the run with "WHERE: WHY" when the budget or the time is spent. */
static void check_limits(lua_State *L, ct_sandbox *sb, int level)
{
    ct_sandbox_run *run = sb->run;
    char why[300], words[240];
    set_deadline(sb);
    if (run->budget_left < 0) {
        budget_words(run, sb->batch, 0, words, sizeof words);
        snprintf(why, sizeof why, "%s exceeded", words);
    } else if (past(&run->deadline)) {
        budget_words(run, sb->batch, 1, words, sizeof words);
        snprintf(why, sizeof why, "%s exceeded", words);
    } else {
        return;
    }
    lua_Debug where;
    char m[sizeof run->trip_msg];
    if (lua_getstack(L, level, &where) && lua_getinfo(L, "Sl", &where) && where.currentline > 0)
        snprintf(m, sizeof m, "%s:%d: %s", where.source[0] == '@' ? where.source + 1 : where.short_src, where.currentline, why);
    else
        snprintf(m, sizeof m, "%s", why);
    trip(run, m);
}

/* Once tripped, the hook fires on every instruction of the thread that
 * runs, so that neither pcall nor a coroutine can swallow the stop. */
static void limit_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    ct_sandbox *sb = ct_sandbox_of(L);
    ct_sandbox_run *run = sb->run;
    if (!run->tripped) {
        int every = lua_gethookcount(L);
        if (every != HOOK_EVERY) lua_sethook(L, limit_hook, LUA_MASKCOUNT, HOOK_EVERY); /* after a trip */
        run->budget_left -= every;
        check_limits(L, sb, 0);   /* level 0: the running Lua function names its line */
    }
    if (run->tripped) {
        lua_sethook(L, limit_hook, LUA_MASKCOUNT, 1);
        sb->rehook = 1;
        lua_pushstring(L, run->trip_msg);
        lua_error(L);
    }
}

void ct_sandbox_charge(lua_State *L, double cost, const char *what)
{
    ct_sandbox *sb = ct_sandbox_of(L);
    ct_sandbox_run *run = sb->run;
    if (run->tripped) { lua_pushstring(L, run->trip_msg); lua_error(L); }
    if (!(cost >= 0)) cost = 0;
    if (cost > (double)run->budget_left) {
        char why[200];
        luaL_where(L, 1);
        snprintf(why, sizeof why, "%s%s would cost more than the %lld instructions left of the budget of %lld",
                 lua_tostring(L, -1), what, run->budget_left, run->budget);
        lua_pop(L, 1);
        trip(run, why);
        lua_pushstring(L, run->trip_msg);
        lua_error(L);
    }
    run->budget_left -= (long long)cost;
    if (cost >= 1e5) {
        check_limits(L, sb, 1);
        if (run->tripped) { lua_pushstring(L, run->trip_msg); lua_error(L); }
    }
}

/* A new call's budget, unless a call is already running: a nested call
 * spends the budget of the outermost one. */
static void arm(ct_sandbox *sb)
{
    ct_sandbox_run *run = sb->run;
    if (run->depth == 0) {
        run->tripped = 0;
        run->deadline_set = 0;
        run->budget_left = run->budget = call_budget(sb);
        run->call_secs = call_seconds(sb);
    }
    if (sb->rehook && !run->tripped) {
        lua_sethook(sb->L, limit_hook, LUA_MASKCOUNT, HOOK_EVERY);
        sb->rehook = 0;
    }
}

/* ---- guards on C functions: their cost is charged before they run ------------------- */

static int call_original(lua_State *L)
{
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* string.rep(s, n [, sep]): n steps, and the bytes it writes. */
static int guard_rep(lua_State *L)
{
    size_t ls, lsep = 0;
    luaL_checklstring(L, 1, &ls);
    double n = (double)luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &lsep);
    ct_sandbox *sb = ct_sandbox_of(L);
    if (n > 0 && n * (double)(ls + lsep) > (double)(sb->mem_cap - (sb->mem_used < sb->mem_cap ? sb->mem_used : sb->mem_cap))) {
        char m[1100];
        luaL_where(L, 1);
        snprintf(m, sizeof m, "%smemory cap of %zu MiB exceeded", lua_tostring(L, -1), sb->mem_cap >> 20);
        lua_pop(L, 1);
        trip(sb->run, m);   /* what the allocation would do, without trying it */
        lua_pushstring(L, sb->run->trip_msg);
        return lua_error(L);
    }
    if (n > 0) ct_sandbox_charge(L, n / 8 + n * (double)(ls + lsep) / STEPS_PER_INSTRUCTION, "string.rep");
    return call_original(L);
}

/* The number of elements from i to j (0 when empty). */
static double span(lua_Integer i, lua_Integer j) { return j >= i ? (double)j - (double)i + 1 : 0; }

static lua_Integer len_of(lua_State *L, int idx) { return luaL_len(L, idx); }

static int guard_move(lua_State *L)
{
    lua_Integer f = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3);
    ct_sandbox_charge(L, span(f, e), "table.move");
    return call_original(L);
}

/* table.concat(t [, sep [, i [, j]]]) and table.unpack(t [, i [, j]]) */
static int guard_range(lua_State *L, int i_arg, const char *what)
{
    lua_Integer i = luaL_optinteger(L, i_arg, 1);
    lua_Integer j = lua_isnoneornil(L, i_arg + 1) ? len_of(L, 1) : luaL_checkinteger(L, i_arg + 1);
    ct_sandbox_charge(L, span(i, j), what);
    return call_original(L);
}

static int guard_concat(lua_State *L) { return guard_range(L, 3, "table.concat"); }
static int guard_unpack(lua_State *L) { return guard_range(L, 2, "table.unpack"); }

/* table.insert(t, pos, v) and table.remove(t, pos) shift the elements after pos. */
static int guard_shift(lua_State *L)
{
    int insert = lua_toboolean(L, lua_upvalueindex(2));
    if ((insert && lua_gettop(L) == 3) || (!insert && lua_gettop(L) >= 2)) {
        lua_Integer n = len_of(L, 1), pos = luaL_checkinteger(L, 2);
        ct_sandbox_charge(L, span(pos, n), insert ? "table.insert" : "table.remove");
    }
    return call_original(L);
}

static int guard_sort(lua_State *L)
{
    double n = (double)len_of(L, 1);
    ct_sandbox_charge(L, n * log2(n + 2), "table.sort");
    return call_original(L);
}

/* Lua's pattern matcher backtracks: with k quantifiers a pattern may try
 * about (n+1)^(k+1) steps on a subject of n bytes ('?' doubles the steps).
 * A plain search compares the needle at each position. */
static double pattern_cost(const char *p, size_t lp, size_t ls, int plain)
{
    double n = (double)ls + 1, m = (double)lp + 1;
    if (plain || !strpbrk(p, "^$*+?.([%-")) return n * m / STEPS_PER_INSTRUCTION + 1;
    int k = 0, opt = 0;
    for (size_t i = 0; i < lp; i++) {
        char c = p[i];
        if (c == '%') {
            if (i + 1 < lp && p[i + 1] == 'b') { k++; i += 3; }
            else i++;
        } else if (c == '[') {
            i++;
            if (i < lp && p[i] == '^') i++;
            do {
                if (i < lp && p[i] == '%') i++;
                i++;
            } while (i < lp && p[i] != ']');
        } else if (c == '*' || c == '+' || c == '-') k++;
        else if (c == '?') opt++;
    }
    if (opt > 60) opt = 60;
    return pow(n, k + 1) * ldexp(1, opt) * m / STEPS_PER_INSTRUCTION + 1;
}

/* string.find, match, gmatch, gsub (for gmatch, the whole scan). */
static int guard_pattern(lua_State *L)
{
    size_t ls, lp;
    luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    const char *name = lua_tostring(L, lua_upvalueindex(2));
    int plain = strcmp(name, "string.find") == 0 && lua_toboolean(L, 4);
    double cost = pattern_cost(p, lp, ls, plain);
    ct_sandbox *sb = ct_sandbox_of(L);
    if (cost > (double)sb->run->instructions)
        return luaL_error(L, "%s: pattern '%s' on a %d-byte string is too costly for a rule (shorten the string or "
                             "use fewer quantifiers)", name, lp > 40 ? "(long)" : p, (int)(ls > 2147483647 ? 2147483647 : ls));
    ct_sandbox_charge(L, cost, name);
    return call_original(L);
}

static void guard(lua_State *L, const char *lib, const char *fn, lua_CFunction g, int extra)
{
    lua_getglobal(L, lib);
    lua_getfield(L, -1, fn);
    int n = 1;
    if (extra == 1) { lua_pushfstring(L, "%s.%s", lib, fn); n++; }
    if (extra == 2) { lua_pushboolean(L, strcmp(fn, "insert") == 0); n++; }
    lua_pushcclosure(L, g, n);
    lua_setfield(L, -2, fn);
    lua_pop(L, 1);
}

static void install_guards(lua_State *L)
{
    static const char *const patterns[] = {"find", "match", "gmatch", "gsub", NULL};
    for (const char *const *p = patterns; *p; p++) guard(L, "string", *p, guard_pattern, 1);
    guard(L, "string", "rep", guard_rep, 0);
    guard(L, "table", "move", guard_move, 0);
    guard(L, "table", "concat", guard_concat, 0);
    guard(L, "table", "unpack", guard_unpack, 0);
    guard(L, "table", "insert", guard_shift, 2);
    guard(L, "table", "remove", guard_shift, 2);
    guard(L, "table", "sort", guard_sort, 0);
}

/* ---- the functions that a rule could use to escape the limits ------------------------ */

static int message_handler(lua_State *L)
{
    if (lua_type(L, 1) == LUA_TSTRING) return 1;
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
    lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    return 1;
}

static int stopped(lua_State *L, int status)
{
    return status == LUA_ERRMEM || ct_sandbox_of(L)->run->tripped;
}

static int finish_pcall(lua_State *L, int status, lua_KContext extra)
{
    if (status != LUA_OK && status != LUA_YIELD) {
        if (stopped(L, status)) return lua_error(L);   /* not the script's to handle */
        lua_pushboolean(L, 0);
        lua_pushvalue(L, -2);
        return 2;
    }
    return lua_gettop(L) - (int)extra;
}

/* pcall(f, ...): as Lua's, but the stop of a limit passes through. */
static int sandboxed_pcall(lua_State *L)
{
    luaL_checkany(L, 1);
    lua_pushboolean(L, 1);
    lua_insert(L, 1);
    int status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, finish_pcall);
    return finish_pcall(L, status, 0);
}

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
    if (stopped(L, rc)) return lua_error(L);
    lua_pushvalue(L, 2);
    lua_insert(L, -2);
    lua_call(L, 1, 1);
    lua_pushboolean(L, 0);
    lua_insert(L, -2);
    return 2;
}

/* coroutine.resume: a coroutine stopped by a limit stops its resumer too. */
static int sandboxed_resume(lua_State *L)
{
    int n = call_original(L);
    ct_sandbox *sb = ct_sandbox_of(L);
    if (sb->run->tripped) { lua_pushstring(L, sb->run->trip_msg); return lua_error(L); }
    return n;
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

/* load() for rules: text chunks only, in the rule's own environment by
 * default; the parse is charged by the length of the text. */
static int sandboxed_load(lua_State *L)
{
    int n = lua_gettop(L);
    size_t len = 0;
    if (lua_type(L, 1) == LUA_TSTRING) lua_tolstring(L, 1, &len);
    ct_sandbox_charge(L, (double)len / 4, "load");
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

void ct_sandbox_push_env(lua_State *L)
{
    static const char *const base[] = {"assert", "error", "ipairs", "next", "pairs", "select", "tonumber",
                                       "tostring", "type", "rawequal", "rawget", "rawlen", "rawset",
                                       "getmetatable", "_VERSION", NULL};
    static const char *const libs[] = {"string", "table", "math", "utf8", NULL};
    lua_newtable(L);
    int env = lua_gettop(L);
    lua_pushglobaltable(L);
    int g = lua_gettop(L);
    for (const char *const *p = base; *p; p++) copy_field(L, g, env, *p);
    for (const char *const *p = libs; *p; p++) copy_field(L, g, env, *p);
    /* os: only the clock and the calendar */
    lua_createtable(L, 0, 3);
    int os = lua_gettop(L);
    lua_getfield(L, g, "os");
    int real_os = lua_gettop(L);
    copy_field(L, real_os, os, "time");
    copy_field(L, real_os, os, "date");
    copy_field(L, real_os, os, "clock");
    lua_settop(L, os);
    lua_setfield(L, env, "os");
    /* coroutine, with a resume that passes the stop on */
    lua_newtable(L);
    int co = lua_gettop(L);
    lua_getfield(L, g, "coroutine");
    int real_co = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, real_co) != 0) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, co);
    }
    lua_getfield(L, real_co, "resume");
    lua_pushcclosure(L, sandboxed_resume, 1);
    lua_setfield(L, co, "resume");
    lua_settop(L, co);
    lua_setfield(L, env, "coroutine");
    lua_getfield(L, g, "setmetatable");
    lua_pushcclosure(L, sandboxed_setmetatable, 1);
    lua_setfield(L, env, "setmetatable");
    lua_settop(L, env); /* the global table goes */
    lua_pushvalue(L, env);
    lua_pushcclosure(L, sandboxed_load, 1);
    lua_setfield(L, env, "load");
    lua_pushcfunction(L, sandboxed_collectgarbage);
    lua_setfield(L, env, "collectgarbage");
    lua_pushcfunction(L, sandboxed_pcall);
    lua_setfield(L, env, "pcall");
    lua_pushcfunction(L, sandboxed_xpcall);
    lua_setfield(L, env, "xpcall");
    lua_pushvalue(L, env);
    lua_setfield(L, env, "_G");
}

/* ---- the state -------------------------------------------------------------------------- */

int ct_sandbox_open(ct_sandbox *sb)
{
    sb->mem_used = 0;
    sb->mem_cap = sb->run->memory;
    sb->batch = 1;
    lua_State *L = lua_newstate(limited_alloc, sb);
    if (!L) return -1;
    sb->L = L;
    *(ct_sandbox **)lua_getextraspace(L) = sb;
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
    install_guards(L);
    /* the strings' metatable is not the rules' to change or replace */
    lua_pushliteral(L, "");
    if (lua_getmetatable(L, -1)) {
        lua_pushliteral(L, "locked");
        lua_setfield(L, -2, "__metatable");
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    lua_getglobal(L, "load");
    lua_setfield(L, LUA_REGISTRYINDEX, "chitieu.load");
    lua_settop(L, 0);
    lua_sethook(L, limit_hook, LUA_MASKCOUNT, HOOK_EVERY);
    return 0;
}

void ct_sandbox_close(ct_sandbox *sb)
{
    if (!sb->L) return;
    arm(sb); /* finalizers run at close: under the limits too */
    sb->in_call = 1;
    lua_close(sb->L);
    sb->L = NULL;
}

/* ---- calls ------------------------------------------------------------------------------- */

typedef struct {
    ct_sandbox_push_fn push;
    void *ctx;
    int nresults;
} call_frame;

static int trampoline(lua_State *L)
{
    call_frame *fr = lua_touserdata(L, 1);
    lua_settop(L, 0);
    int nargs = fr->push(L, fr->ctx);
    lua_call(L, nargs, fr->nresults);
    return fr->nresults;
}

/* A message fit to print: no control bytes (C1 controls, U+0080-U+009F,
 * are two bytes in UTF-8), at most max bytes. */
static void clean_message(const char *m, char *out, size_t size, size_t max)
{
    size_t n = 0;
    if (max >= size) max = size - 1;
    for (; m && *m && n < max; m++) {
        unsigned char c = (unsigned char)*m;
        if (c == 0xC2 && (unsigned char)m[1] >= 0x80 && (unsigned char)m[1] < 0xA0) { out[n++] = '?'; m++; continue; }
        out[n++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    out[n] = '\0';
}

size_t ct_sandbox_escape(const char *in, size_t len, char *out, size_t size)
{
    size_t n = 0;
    if (size == 0) return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        char esc[8] = "";
        if (c == '\n') snprintf(esc, sizeof esc, "\\n");
        else if (c == '\r') snprintf(esc, sizeof esc, "\\r");
        else if (c == '\t') snprintf(esc, sizeof esc, "\\t");
        else if (c < 0x20 || c == 0x7f) snprintf(esc, sizeof esc, "\\x%02X", c);
        else if (c == 0xC2 && i + 1 < len && (unsigned char)in[i + 1] >= 0x80 && (unsigned char)in[i + 1] < 0xA0)
            snprintf(esc, sizeof esc, "\\u%04X", (unsigned char)in[++i]);
        size_t el = esc[0] ? strlen(esc) : 1;
        if (n + el >= size) { /* cut: not inside a character */
            size_t k = n;
            while (k > 0 && ((unsigned char)out[k - 1] & 0xC0) == 0x80) k--;
            if (k > 0 && (unsigned char)out[k - 1] >= 0xC0) {
                unsigned lead = (unsigned char)out[k - 1];
                size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
                if (n - (k - 1) < want) n = k - 1;
            }
            break;
        }
        if (esc[0]) memcpy(out + n, esc, el);
        else out[n] = (char)c;
        n += el;
    }
    out[n] = '\0';
    return n;
}

/* Splits "CHUNK:LINE: text" into the line and the text. */
static const char *split_line(const ct_sandbox *sb, const char *m, int *line)
{
    size_t plen = strlen(sb->chunk);
    if (m && strncmp(m, sb->chunk, plen) == 0 && m[plen] == ':') {
        char *end;
        long l = strtol(m + plen + 1, &end, 10);
        if (end > m + plen + 1 && *end == ':') {
            *line = (int)l;
            m = end + 1;
            while (*m == ' ') m++;
        }
    }
    return m;
}

int ct_sandbox_call(ct_sandbox *sb, ct_sandbox_push_fn push, void *ctx, int nresults, int fn_ref, char *msg,
                    size_t msg_size, int *line)
{
    lua_State *L = sb->L;
    *line = 0;
    if (!lua_checkstack(L, nresults + 4)) {
        snprintf(msg, msg_size, "Lua stack exhausted");
        return -1;
    }
    int base = lua_gettop(L) + 1;
    lua_pushcfunction(L, message_handler);
    lua_pushcfunction(L, trampoline);
    call_frame fr = {push, ctx, nresults};
    lua_pushlightuserdata(L, &fr);
    arm(sb);
    int outer = sb->in_call;
    sb->in_call = 1;
    sb->run->depth++;
    int rc = lua_pcall(L, 1, nresults, base);
    sb->run->depth--;
    sb->in_call = outer;
    lua_remove(L, base);
    int tripped = sb->run->tripped;
    if (rc == LUA_OK && !tripped) return 0;
    const char *m = tripped ? sb->run->trip_msg : lua_tostring(L, -1);
    if (!tripped && rc == LUA_ERRMEM) m = "out of memory";
    if (fn_ref != LUA_NOREF) {
        lua_Debug fn;
        lua_rawgeti(L, LUA_REGISTRYINDEX, fn_ref);
        if (lua_getinfo(L, ">S", &fn) && fn.linedefined > 0) *line = fn.linedefined;
    }
    m = split_line(sb, m, line);
    clean_message(m ? m : "unknown error", msg, msg_size, msg_size - 1);
    if (rc != LUA_OK) lua_pop(L, 1);
    else lua_pop(L, nresults);
    return -1;
}

typedef struct {
    int chunk_ref;
} load_ctx;

static int push_chunk(lua_State *L, void *ctx)
{
    lua_rawgeti(L, LUA_REGISTRYINDEX, ((load_ctx *)ctx)->chunk_ref);
    return 0;
}

int ct_sandbox_load(ct_sandbox *sb, const char *src, size_t len, void (*add)(lua_State *L, void *ctx), void *ctx,
                    int *env_ref, char *msg, size_t msg_size, int *line)
{
    lua_State *L = sb->L;
    *line = 0;
    if (len >= 1 && src[0] == LUA_SIGNATURE[0]) {
        *line = 1;
        snprintf(msg, msg_size, "precompiled (binary) Lua chunks are not allowed; give the source text");
        return -1;
    }
    char chunkname[1100];
    snprintf(chunkname, sizeof chunkname, "@%s", sb->chunk);
    if (luaL_loadbufferx(L, src, len, chunkname, "t") != LUA_OK) {
        /* the message quotes the text near the error: printable and short */
        const char *m = split_line(sb, lua_tostring(L, -1), line);
        clean_message(m ? m : "syntax error", msg, msg_size, 200);
        lua_pop(L, 1);
        return -1;
    }
    ct_sandbox_push_env(L);
    if (add) add(L, ctx);
    lua_pushvalue(L, -1);
    *env_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_setupvalue(L, -2, 1); /* _ENV of the chunk */
    load_ctx lc = {luaL_ref(L, LUA_REGISTRYINDEX)};
    int rc = ct_sandbox_call(sb, push_chunk, &lc, 0, LUA_NOREF, msg, msg_size, line);
    luaL_unref(L, LUA_REGISTRYINDEX, lc.chunk_ref);
    return rc;
}
