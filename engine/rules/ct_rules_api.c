#include "ct_rules_api.h"

#include <lauxlib.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ct_rules_stats.h"
#include "../model/ct_geo.h"
#include "../project/ct_proj.h"

enum { MAX_INDICATOR_DEPTH = 8 };

static const char *const UNIT_MT = "chitieu.unit";


static ct_rules_api_state *state_of(lua_State *L) { return ct_sandbox_of(L)->user; }
static ct_rules_world *world_of(lua_State *L) { return state_of(L)->world; }

void ct_rules_api_push_unit(lua_State *L, int u)
{
    if (u < 0) { lua_pushnil(L); return; }
    ct_rules_api_state *f = state_of(L);
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


void ct_rules_api_push_period(lua_State *L, ct_period p)
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

void ct_rules_api_push_number(lua_State *L, double v)
{
    if (isfinite(v)) lua_pushnumber(L, v);
    else lua_pushnil(L);
}

/* unit:metric(name, period): the reported (or rolled-up) value, or nil. */
static int unit_metric(lua_State *L)
{
    const ct_series *s = world_of(L)->s;
    int u = check_unit(L, 1);
    size_t len;
    const char *name = luaL_checklstring(L, 2, &len);
    ct_period p = check_period(L, 3);
    ct_rules_api_state *f = state_of(L);
    int m;
    if (name == f->metric_name && len == f->metric_len) {
        m = f->metric_index; /* the same interned string as last time */
    } else {
        m = ct_series_metric(s, name, len);
        if (m < 0) return luaL_error(L, "unknown metric '%s' (no loaded plan declares it)", name);
        if (!s->metrics[m].used) /* its values were not kept: nil would be silently wrong */
            return luaL_error(L, "metric '%s' is in metrics.csv but no loaded plan reads it; declare it under the "
                              "plan's metrics:", name);
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
    ct_rules_api_push_number(L, ct_series_value(s, m, at, p));
    return 1;
}

static int unit_attribute(lua_State *L)
{
    const ct_series *s = world_of(L)->s;
    int u = check_unit(L, 1);
    const char *name = luaL_checkstring(L, 2);
    int a = ct_series_attr(s, name);
    if (a < 0) return luaL_error(L, "unknown attribute '%s' (not a column of units.csv)", name);
    ct_rules_api_push_number(L, s->attr[(size_t)a * (size_t)s->n_units + (size_t)u]);
    return 1;
}

/* The indicator `id` of plan `plan_id` (NULL: of whichever loaded plan has
 * it, an error when several do); raises a Lua error when there is none. */
static const ct_indicator *find_indicator(lua_State *L, const ct_rules_world *r, const char *id, const char *plan_id,
                                          size_t *plan_index)
{
    const ct_indicator *found = NULL;
    int plan_known = 0;
    for (size_t i = 0; i < r->n_plans; i++) {
        const ct_plan *p = r->plans[i];
        if (plan_id && !(p->id && strcmp(p->id, plan_id) == 0)) continue;
        plan_known = 1;
        for (size_t k = 0; k < p->n_indicators; k++) {
            const ct_indicator *ind = &p->indicators[k];
            if (!ind->id || strcmp(ind->id, id) != 0) continue;
            if (found)
                luaL_error(L, "indicator '%s' is in plans %s and %s: name the plan, unit:indicator('%s', period, '%s')", id,
                           r->plans[*plan_index]->id ? r->plans[*plan_index]->id : "?", p->id ? p->id : "?", id,
                           r->plans[*plan_index]->id ? r->plans[*plan_index]->id : "?");
            found = ind;
            *plan_index = i;
        }
    }
    if (plan_id && !plan_known) luaL_error(L, "unknown plan '%s'", plan_id);
    if (!found && plan_id) luaL_error(L, "plan '%s' has no indicator '%s'", plan_id, id);
    if (!found) luaL_error(L, "unknown indicator '%s'", id);
    return found;
}

/* The cell of unit:indicator(id, period [, plan]) on the map of its plan. */
static ct_cell indicator_cell(lua_State *L)
{
    ct_rules_world *r = world_of(L);
    int u = check_unit(L, 1);
    const char *id = luaL_checkstring(L, 2);
    ct_period p = check_period(L, 3);
    const char *plan_id = lua_isnoneornil(L, 4) ? NULL : luaL_checkstring(L, 4);
    size_t i = 0;
    const ct_indicator *ind = find_indicator(L, r, id, plan_id, &i);
    const ct_plan *plan = r->plans[i];
    const ct_series *s = r->plan_series && r->plan_series[i] ? r->plan_series[i] : r->s;
    if (r->indicator_depth >= MAX_INDICATOR_DEPTH) luaL_error(L, "indicators read one another too deeply (a cycle?)");
    r->indicator_depth++;
    ct_cell c = ct_compute_cell(plan, ind, s, u, p);
    r->indicator_depth--;
    ct_sandbox_run *run = ct_sandbox_of(L)->run;
    if (run->tripped) { lua_pushstring(L, run->trip_msg); lua_error(L); } /* the budget is the caller's */
    return c;
}

/* unit:indicator(id, period [, plan]): an indicator's value, or nil. */
static int unit_indicator(lua_State *L)
{
    ct_cell c = indicator_cell(L);
    ct_rules_api_push_number(L, (c.flags & CT_ROW_VALUE) ? c.value : NAN);
    return 1;
}

/* unit:indicator_detail(id, period [, plan]): {value, numerator, denominator,
 * reported, expected} as compute prints them (nil where empty). */
static int unit_indicator_detail(lua_State *L)
{
    ct_cell c = indicator_cell(L);
    lua_createtable(L, 0, 5);
    ct_rules_api_push_number(L, (c.flags & CT_ROW_VALUE) ? c.value : NAN);
    lua_setfield(L, -2, "value");
    ct_rules_api_push_number(L, (c.flags & CT_ROW_NUM) ? c.num : NAN);
    lua_setfield(L, -2, "numerator");
    ct_rules_api_push_number(L, (c.flags & CT_ROW_DEN) ? c.den : NAN);
    lua_setfield(L, -2, "denominator");
    ct_rules_api_push_number(L, (c.flags & CT_ROW_COUNTS) ? (double)c.reported : NAN);
    lua_setfield(L, -2, "reported");
    ct_rules_api_push_number(L, (c.flags & CT_ROW_COUNTS) ? (double)c.expected : NAN);
    lua_setfield(L, -2, "expected");
    return 1;
}

/* unit:series(metric [, type]): {period = value} over the data's span. */
static int unit_series(lua_State *L)
{
    const ct_series *s = world_of(L)->s;
    int u = check_unit(L, 1);
    size_t len;
    const char *name = luaL_checklstring(L, 2, &len);
    ct_ptype t = CT_PT_YEAR;
    if (!lua_isnoneornil(L, 3) && ct_ptype_parse(luaL_checkstring(L, 3), &t) != 0)
        return luaL_error(L, "period type must be year, half-year, quarter or month");
    int m = ct_series_metric(s, name, len);
    if (m < 0) return luaL_error(L, "unknown metric '%s'", name);
    if (!s->metrics[m].used)
        return luaL_error(L, "metric '%s' is in metrics.csv but no loaded plan reads it; declare it under the plan's "
                          "metrics:", name);
    int at = s->anc[(size_t)u * (size_t)s->n_levels + (size_t)s->metrics[m].level];
    lua_newtable(L);
    if (at < 0) return 1;
    int np = ct_series_n_periods(s, t);
    ct_sandbox_charge(L, np, "unit:series");
    for (int i = 0; i < np; i++) {
        ct_period p = ct_period_from_index(t, s->year0, i);
        double v = ct_series_value(s, m, at, p);
        if (!isfinite(v)) continue;
        ct_rules_api_push_period(L, p);
        lua_pushnumber(L, v);
        lua_rawset(L, -3);
    }
    return 1;
}

static void build_children(ct_rules_world *r)
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
    int l = ct_series_level(world_of(L)->s, name);
    if (l < 0) return luaL_error(L, "unknown level '%s'", name);
    return l;
}

/* unit:children([level]): the units directly below, in file order. */
static int unit_children(lua_State *L)
{
    ct_rules_world *r = world_of(L);
    int u = check_unit(L, 1);
    int level = optional_level(L, 2);
    build_children(r);
    if (!r->first_child) return luaL_error(L, "out of memory");
    lua_newtable(L);
    int k = 0;
    for (int c = r->first_child[u]; c >= 0; c = r->next_sibling[c]) {
        if (level >= 0 && r->s->level[c] != level) continue;
        if (!ct_geo_in(r->s, c)) continue; /* the units of the map in use */
        ct_rules_api_push_unit(L, c);
        lua_rawseti(L, -2, ++k);
    }
    return 1;
}

/* unit:units(level): every unit of that level in the subtree (itself
 * included) on the map in use, each once: an old commune merged into a new
 * one is not listed beside it. A unit that is no longer on the map (a
 * closed province) lists the units of the map its units became. */
static int unit_units(lua_State *L)
{
    const ct_series *s = world_of(L)->s;
    int u = check_unit(L, 1);
    int level = optional_level(L, 2);
    if (level < 0) return luaL_error(L, "unit:units needs a level");
    ct_sandbox_charge(L, s->level_size[level], "unit:units");
    unsigned char *mark = NULL;
    if (s->in_geo && (!s->in_geo[u] || s->orig_last[u] < s->level_geo[s->level[u]])) {
        ct_sandbox_charge(L, s->n_units, "unit:units");
        mark = calloc((size_t)s->n_units, 1);
        if (!mark) return luaL_error(L, "out of memory");
        ct_geo_territory(s, u, mark);
    }
    lua_newtable(L);
    int k = 0;
    for (int i = 0; i < s->level_size[level]; i++) {
        int c = s->level_units[level][i];
        if (!ct_geo_in(s, c) || !(mark ? mark[c] : ct_series_in_subtree(s, c, u))) continue;
        ct_rules_api_push_unit(L, c);
        lua_rawseti(L, -2, ++k);
    }
    free(mark);
    return 1;
}

static int unit_within(lua_State *L)
{
    const ct_series *s = world_of(L)->s;
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
    const ct_series *s = world_of(L)->s;
    int u = check_unit(L, 1);
    const char *key = luaL_checkstring(L, 2);
    if (!strcmp(key, "code")) lua_pushstring(L, s->code[u]);
    else if (!strcmp(key, "name")) lua_pushstring(L, s->name[u]);
    else if (!strcmp(key, "level")) lua_pushstring(L, s->level_name[s->level[u]]);
    else if (!strcmp(key, "parent")) ct_rules_api_push_unit(L, s->parent[u]);
    else if (!strcmp(key, "depth")) lua_pushinteger(L, s->depth[u]);
    else if (!strcmp(key, "valid_from")) { if (s->valid_from_text[u]) lua_pushstring(L, s->valid_from_text[u]); else lua_pushnil(L); }
    else if (!strcmp(key, "valid_to")) { if (s->valid_to_text[u]) lua_pushstring(L, s->valid_to_text[u]); else lua_pushnil(L); }
    else lua_pushnil(L);
    return 1;
}

static int unit_tostring(lua_State *L)
{
    const ct_series *s = world_of(L)->s;
    int u = check_unit(L, 1);
    lua_pushfstring(L, "%s %s (%s)", s->code[u], s->name[u], s->level_name[s->level[u]]);
    return 1;
}

static void register_unit_type(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"metric", unit_metric},     {"attribute", unit_attribute}, {"indicator", unit_indicator},
        {"indicator_detail", unit_indicator_detail},
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
    ct_rules_api_push_unit(L, ct_series_unit(world_of(L)->s, code, len));
    return 1;
}

static int data_periods(lua_State *L)
{
    const ct_series *s = world_of(L)->s;
    ct_ptype t = CT_PT_YEAR;
    if (!lua_isnoneornil(L, 1) && ct_ptype_parse(luaL_checkstring(L, 1), &t) != 0)
        return luaL_error(L, "period type must be year, half-year, quarter or month");
    int np = ct_series_n_periods(s, t);
    ct_sandbox_charge(L, np, "data.periods");
    lua_newtable(L);
    for (int i = 0; i < np; i++) {
        ct_rules_api_push_period(L, ct_period_from_index(t, s->year0, i));
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

/* data.levels(): level names from the top (national) down, by depth. */
static int data_levels(lua_State *L)
{
    const ct_series *s = world_of(L)->s;
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

/* data.metrics(): the names of the metrics a rule can read, in the order
 * they were declared. */
static int data_metrics(lua_State *L)
{
    const ct_series *s = world_of(L)->s;
    lua_newtable(L);
    int k = 0;
    for (int m = 0; m < s->n_metrics; m++) {
        if (!s->metrics[m].used || s->metrics[m].level < 0) continue;
        lua_pushlstring(L, s->metrics[m].name, s->metrics[m].name_len);
        lua_rawseti(L, -2, ++k);
    }
    return 1;
}

/* ---- periods ------------------------------------------------------------------- */

/* p moved by n periods of its own type. */
static ct_period period_shift(ct_period p, long n)
{
    int per = ct_ptype_per_year((ct_ptype)p.type);
    long i = (long)p.year * per + p.sub + n;
    long y = i >= 0 ? i / per : -((-i + per - 1) / per);
    p.year = (short)y;
    p.sub = (unsigned char)(i - y * per);
    return p;
}

static ct_period shifted(lua_State *L, int sign)
{
    ct_period p = check_period(L, 1);
    lua_Integer n = luaL_optinteger(L, 2, 1);
    if (n < -100000 || n > 100000) luaL_error(L, "periods: a shift of at most 100000 periods");
    ct_period q = period_shift(p, sign * (long)n);
    if (q.year < 1000 || q.year > 9999) luaL_error(L, "periods: the result is outside the years 1000-9999");
    return q;
}

/* periods.previous(p [, n]) and periods.next(p [, n]): n periods (default 1) of p's type before or after. */
static int periods_previous(lua_State *L) { ct_rules_api_push_period(L, shifted(L, -1)); return 1; }
static int periods_next(lua_State *L) { ct_rules_api_push_period(L, shifted(L, 1)); return 1; }

/* periods.type(p): "year", "half-year", "quarter" or "month". */
static int periods_type(lua_State *L)
{
    lua_pushstring(L, ct_ptype_name((ct_ptype)check_period(L, 1).type));
    return 1;
}

/* periods.year(p): the year, as a number. */
static int periods_year(lua_State *L)
{
    lua_pushinteger(L, check_period(L, 1).year);
    return 1;
}

/* periods.number(p): its place in the year, from 1 (2020S2: 2, 2020Q3: 3, 2020-07: 7, 2020: 1). */
static int periods_number(lua_State *L)
{
    lua_pushinteger(L, check_period(L, 1).sub + 1);
    return 1;
}

/* periods.months(p): its first and last month (1-12). */
static int periods_months(lua_State *L)
{
    ct_period p = check_period(L, 1);
    lua_pushinteger(L, ct_period_first_month(p) % 12 + 1);
    lua_pushinteger(L, ct_period_last_month(p) % 12 + 1);
    return 2;
}

/* periods.compare(a, b): -1, 0 or 1, by first month, then the coarser first. */
static int periods_compare(lua_State *L)
{
    int c = ct_period_cmp(check_period(L, 1), check_period(L, 2));
    lua_pushinteger(L, (c > 0) - (c < 0));
    return 1;
}

void ct_rules_api_open(lua_State *L, ct_rules_api_state *st)
{
    register_unit_type(L);
    lua_createtable(L, st->world->s->n_units, 0); /* the unit objects, an array by unit */
    st->units_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

void ct_rules_api_add(lua_State *L)
{
    int env = lua_gettop(L);
    static const luaL_Reg data_fns[] = {{"unit", data_unit},     {"periods", data_periods}, {"levels", data_levels},
                                        {"metrics", data_metrics}, {NULL, NULL}};
    luaL_newlib(L, data_fns);
    const ct_series *s = world_of(L)->s;
    if (s->n_units > 0) {
        ct_rules_api_push_unit(L, s->root);
        lua_setfield(L, -2, "root");
    }
    lua_setfield(L, env, "data");
    static const luaL_Reg period_fns[] = {{"previous", periods_previous}, {"next", periods_next},
                                          {"type", periods_type},         {"year", periods_year},
                                          {"number", periods_number},     {"months", periods_months},
                                          {"compare", periods_compare},   {NULL, NULL}};
    luaL_newlib(L, period_fns);
    lua_setfield(L, env, "periods");
    ct_rules_stats_add(L);
}

void ct_rules_world_free(ct_rules_world *w)
{
    free(w->first_child);
    free(w->next_sibling);
    w->first_child = w->next_sibling = NULL;
}
