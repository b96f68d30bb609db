/* Data checks: each check rule over the units of its level and the periods
 * of its type (or once per unit over its series), its violations read back. */
#include <lauxlib.h>
#include <lua.h>
#include <stdio.h>
#include <string.h>

#include "ct_rules_impl.h"
#include "../model/ct_geo.h"

typedef struct {
    int fn_ref, unit, series;
    ct_period period;
} check_call;

static int push_check_call(lua_State *L, void *ctx)
{
    check_call *cc = ctx;
    lua_rawgeti(L, LUA_REGISTRYINDEX, cc->fn_ref);
    ct_rules_api_push_unit(L, cc->unit);
    if (cc->series) return 1;
    ct_rules_api_push_period(L, cc->period);
    return 2;
}

static int valid_importance(const char *s) { return !strcmp(s, "high") || !strcmp(s, "medium") || !strcmp(s, "low"); }

/* One violation from the value at idx (a string or {message, importance,
 * period}); passes it to fn. 0, 1 when fn asked to stop, -1 on a result the
 * rule should not have given (an error added to d). */
static int take_violation(ct_rules *r, check_rule *c, int idx, const check_call *cc, ct_violation_fn fn, void *ctx,
                          ct_diags *d)
{
    lua_State *L = c->file->sb.L;
    const ct_series *s = r->world.s;
    const char *message = NULL, *importance = c->importance;
    ct_period p = cc->period;
    int has_period = !cc->series, top = lua_gettop(L);
    char pb[CT_PERIOD_BUF] = "";
    if (has_period) ct_period_format(p, pb);
    const char *why = NULL;
    if (lua_type(L, idx) == LUA_TSTRING) message = lua_tostring(L, idx);
    else { /* raw reads: no metamethod of the rule's runs outside the limits */
        lua_pushliteral(L, "message");
        if (lua_rawget(L, idx) == LUA_TSTRING) message = lua_tostring(L, -1);
        lua_pushliteral(L, "importance");
        if (lua_rawget(L, idx) == LUA_TSTRING) importance = lua_tostring(L, -1);
        lua_pushliteral(L, "period");
        int t = lua_rawget(L, idx);
        if (t == LUA_TSTRING || t == LUA_TNUMBER) {
            size_t len;
            const char *ps = lua_tolstring(L, -1, &len);
            if (ct_period_parse(ps, len, &p) != 0) why = "returned a period that is not one (2016, 2016S1, 2016Q1, 2016-01)";
            else { has_period = 1; ct_period_format(p, pb); }
        } else if (t != LUA_TNIL) {
            why = "returned a period that is not a string";
        }
    }
    if (!why && !valid_importance(importance)) why = "returned an importance other than high, medium or low";
    if (why) {
        c->failed = 1;
        ct_error_at(d, c->file->path, ct_rules_line(L, c->fn_ref), 0, "rule %s %s (unit %s%s%s)", c->name, why,
                    s->code[cc->unit], cc->series ? "" : ", period ", cc->series ? "" : pb);
        lua_settop(L, top);
        return -1;
    }
    char text[2000];
    const char *m = message ? message : c->name;
    ct_sandbox_escape(m, strlen(m), text, sizeof text);
    ct_violation v = {c->name, c->file->path, cc->unit, p, importance, text, has_period};
    int stop = fn(&v, ctx) != 0;
    lua_settop(L, top);
    return stop;
}

/* Runs one call of a check: the violations it returned (none, one, or a list of them). */
static long check_once(ct_rules *r, check_rule *c, check_call *cc, ct_violation_fn fn, void *ctx, ct_diags *d, int *stop)
{
    const ct_series *s = r->world.s;
    lua_State *L = c->file->sb.L;
    char msg[600];
    int line;
    if (ct_sandbox_call(&c->file->sb, push_check_call, cc, 1, c->fn_ref, msg, sizeof msg, &line) != 0) {
        char pb[CT_PERIOD_BUF] = "";
        if (!cc->series) ct_period_format(cc->period, pb);
        c->failed = 1;
        ct_error_at(d, c->file->path, line, 0, "rule %s: %s (unit %s%s%s)", c->name, msg, s->code[cc->unit],
                    cc->series ? "" : ", period ", pb);
        return 0;
    }
    long found = 0;
    int t = lua_type(L, -1), res = lua_gettop(L);
    int is_list = 0;
    if (t == LUA_TTABLE) { /* one violation has a message, an importance or a period; else a list (maybe empty) */
        int one = 0;
        const char *const keys[] = {"message", "importance", "period"};
        for (int k = 0; k < 3 && !one; k++) {
            lua_pushstring(L, keys[k]);
            one = lua_rawget(L, res) != LUA_TNIL;
            lua_pop(L, 1);
        }
        is_list = !one;
    }
    if (is_list) {
        lua_Integer n = (lua_Integer)lua_rawlen(L, res);
        for (lua_Integer i = 1; i <= n && !c->failed && !*stop; i++) {
            int et = lua_rawgeti(L, res, i);
            if (et == LUA_TSTRING || et == LUA_TTABLE) {
                int rc = take_violation(r, c, lua_gettop(L), cc, fn, ctx, d);
                found += rc >= 0;
                *stop = rc > 0;
            }
            lua_settop(L, res);
        }
    } else if (t == LUA_TSTRING || t == LUA_TTABLE) {
        int rc = take_violation(r, c, res, cc, fn, ctx, d);
        found += rc >= 0;
        *stop = rc > 0;
    }
    lua_settop(L, res - 1);
    return found;
}

static long run_check(ct_rules *r, check_rule *c, ct_violation_fn fn, void *ctx, ct_diags *d)
{
    const ct_series *s = r->world.s;
    long found = 0;
    int np = ct_series_n_periods(s, c->ptype), stop = 0;
    for (int u = 0; u < s->n_units && !c->failed && !stop; u++) {
        if (c->level >= 0 && s->level[u] != c->level) continue;
        /* the units of the geography in use, each once */
        if (!ct_geo_in(s, u)) continue;
        if (c->series) {
            check_call cc = {c->fn_ref, u, 1, {0, 0, 0}};
            found += check_once(r, c, &cc, fn, ctx, d, &stop);
            continue;
        }
        for (int i = 0; i < np && !c->failed && !stop; i++) {
            ct_period p = ct_period_from_index(c->ptype, s->year0, i);
            if (!ct_series_unit_valid(s, u, p)) continue;
            check_call cc = {c->fn_ref, u, 0, p};
            found += check_once(r, c, &cc, fn, ctx, d, &stop);
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
