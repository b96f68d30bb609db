#include "ct_rules_stats.h"

#include <gsl/gsl_cdf.h>
#include <lauxlib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../model/ct_period.h"
#include "../project/ct_proj.h"
#include "ct_rules_api.h"
#include "ct_sandbox.h"

/* ---- lists of numbers ----------------------------------------------------------- */

/* The numbers of the list at idx (nil holes and non-numbers skipped), in a
 * userdata pushed on the stack (the collector frees it, even on an error;
 * its size counts against the memory cap). No cap on the count: a list the
 * rule could build fits. */
static double *numbers_of(lua_State *L, int idx, int *n_out)
{
    luaL_checktype(L, idx, LUA_TTABLE);
    idx = lua_absindex(L, idx);
    size_t n = 0;
    ct_sandbox_charge(L, (double)lua_rawlen(L, idx), "stats");
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        n += lua_type(L, -1) == LUA_TNUMBER;
        lua_pop(L, 1);
    }
    ct_sandbox_charge(L, (double)n, "stats");
    if (n > (size_t)1 << 28) luaL_error(L, "stats: too many numbers (%d)", (int)n);
    double *v = lua_newuserdatauv(L, (n ? n : 1) * sizeof *v, 0);
    size_t k = 0;
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        if (lua_type(L, -1) == LUA_TNUMBER && k < n) v[k++] = lua_tonumber(L, -1);
        lua_pop(L, 1);
    }
    *n_out = (int)k;
    return v;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void sort_numbers(lua_State *L, double *v, int n)
{
    if (n > 1) ct_sandbox_charge(L, n * log2((double)n), "stats (sort)");
    qsort(v, (size_t)n, sizeof *v, cmp_double);
}

/* R's type 7 on sorted values. */
static double quantile_sorted(const double *v, int n, double q)
{
    double h = (n - 1) * q;
    int lo = (int)floor(h);
    return lo + 1 < n ? v[lo] + (h - lo) * (v[lo + 1] - v[lo]) : v[lo];
}

/* Mean and sample standard deviation (two passes: no cancellation). */
static void mean_sd(const double *v, int n, double *mean, double *sd)
{
    double sum = 0;
    for (int i = 0; i < n; i++) sum += v[i];
    double m = n ? sum / n : NAN, ss = 0;
    for (int i = 0; i < n; i++) ss += (v[i] - m) * (v[i] - m);
    *mean = m;
    *sd = n > 1 ? sqrt(ss / (n - 1)) : NAN;
}

static int stats_mean(lua_State *L)
{
    int n;
    double *v = numbers_of(L, 1, &n), m, sd;
    mean_sd(v, n, &m, &sd);
    ct_rules_api_push_number(L, m);
    return 1;
}

/* stats.sd(list): the sample standard deviation (n - 1); nil under 2 numbers. */
static int stats_sd(lua_State *L)
{
    int n;
    double *v = numbers_of(L, 1, &n), m, sd;
    mean_sd(v, n, &m, &sd);
    ct_rules_api_push_number(L, sd);
    return 1;
}

static int stats_quantile(lua_State *L)
{
    double q = luaL_checknumber(L, 2);
    if (!(q >= 0 && q <= 1)) return luaL_error(L, "quantile must be within 0 and 1");
    int n;
    double *v = numbers_of(L, 1, &n);
    if (n == 0) { lua_pushnil(L); return 1; }
    sort_numbers(L, v, n);
    lua_pushnumber(L, quantile_sorted(v, n, q));
    return 1;
}

static int stats_median(lua_State *L)
{
    int n;
    double *v = numbers_of(L, 1, &n);
    if (n == 0) { lua_pushnil(L); return 1; }
    sort_numbers(L, v, n);
    lua_pushnumber(L, quantile_sorted(v, n, 0.5));
    return 1;
}

/* The median absolute deviation of v (sorted in place), times scale. */
static double mad_of(lua_State *L, double *v, int n, double *median)
{
    sort_numbers(L, v, n);
    double med = quantile_sorted(v, n, 0.5);
    for (int i = 0; i < n; i++) v[i] = fabs(v[i] - med);
    sort_numbers(L, v, n);
    *median = med;
    return quantile_sorted(v, n, 0.5);
}

/* stats.mad(list [, scale]): median of |x - median| times scale (default 1;
 * 1.4826 makes it estimate the standard deviation of normal data). */
static int stats_mad(lua_State *L)
{
    double scale = luaL_optnumber(L, 2, 1);
    int n;
    double *v = numbers_of(L, 1, &n), med;
    if (n == 0) { lua_pushnil(L); return 1; }
    lua_pushnumber(L, scale * mad_of(L, v, n, &med));
    return 1;
}

/* stats.zscores(t [, "robust"]): a table with t's keys, each number as
 * (x - mean) / sd, or robust: (x - median) / (1.4826 MAD). Keys whose
 * value is not a number are absent; all are absent when the spread is 0 or
 * unknown (fewer than two numbers). */
static int stats_zscores(lua_State *L)
{
    const char *how = luaL_optstring(L, 2, "mean");
    int robust = !strcmp(how, "robust");
    if (!robust && strcmp(how, "mean")) return luaL_error(L, "stats.zscores: the method is \"mean\" or \"robust\"");
    int n;
    double *v = numbers_of(L, 1, &n), centre, spread;
    if (robust) spread = n ? 1.4826 * mad_of(L, v, n, &centre) : NAN;
    else mean_sd(v, n, &centre, &spread);
    lua_newtable(L);
    if (!(spread > 0)) return 1;
    lua_pushnil(L);
    while (lua_next(L, 1) != 0) {
        if (lua_type(L, -1) == LUA_TNUMBER) {
            double z = (lua_tonumber(L, -1) - centre) / spread;
            lua_pop(L, 1);
            lua_pushvalue(L, -1);
            lua_pushnumber(L, z);
            lua_rawset(L, -4);
        } else {
            lua_pop(L, 1);
        }
    }
    return 1;
}

/* stats.qnorm(p): the standard normal quantile. */
static int stats_qnorm(lua_State *L)
{
    double p = luaL_checknumber(L, 1);
    if (!(p > 0 && p < 1)) return luaL_error(L, "stats.qnorm: p must be within 0 and 1 (exclusive)");
    lua_pushnumber(L, gsl_cdf_ugaussian_Pinv(p));
    return 1;
}

/* stats.qt(p, df): the quantile of Student's t with df degrees of freedom. */
static int stats_qt(lua_State *L)
{
    double p = luaL_checknumber(L, 1), df = luaL_checknumber(L, 2);
    if (!(p > 0 && p < 1)) return luaL_error(L, "stats.qt: p must be within 0 and 1 (exclusive)");
    if (!(df > 0)) return luaL_error(L, "stats.qt: the degrees of freedom must be positive");
    lua_pushnumber(L, gsl_cdf_tdist_Pinv(p, df));
    return 1;
}

/* ---- the trend ------------------------------------------------------------------ */

/* A key of a series as a time in years: a number as it is, a period as
 * the end of it (2020 is 2020, 2020S1 2019.5), as the projections use. */
static double time_of(lua_State *L, int idx)
{
    if (lua_type(L, idx) == LUA_TNUMBER) return lua_tonumber(L, idx);
    if (lua_type(L, idx) == LUA_TSTRING) {
        size_t len;
        const char *k = lua_tolstring(L, idx, &len);
        ct_period p;
        if (ct_period_parse(k, len, &p) == 0) return p.year - 1 + (p.sub + 1.0) / ct_ptype_per_year((ct_ptype)p.type);
    }
    return NAN;
}

static void set_num(lua_State *L, const char *key, double v)
{
    ct_rules_api_push_number(L, v);
    lua_setfield(L, -2, key);
}

/* stats.trend(series): ordinary least squares of value on time; a table
 * {slope, intercept, n, sigma (the residual standard error, n >= 3),
 * x_mean, sxx} that stats.predict reads. No cap on the points. */
static int stats_trend(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    size_t n = 0;
    ct_sandbox_charge(L, (double)lua_rawlen(L, 1), "stats.trend");
    lua_pushnil(L);
    while (lua_next(L, 1) != 0) {
        n += lua_type(L, -1) == LUA_TNUMBER;
        lua_pop(L, 1);
    }
    ct_sandbox_charge(L, (double)n, "stats.trend");
    double *x = lua_newuserdatauv(L, (n ? n : 1) * 2 * sizeof *x, 0), *y = x + (n ? n : 1);
    int k = 0;
    lua_pushnil(L);
    while (lua_next(L, 1) != 0) {
        if (lua_type(L, -1) == LUA_TNUMBER && (size_t)k < n) {
            double t = time_of(L, -2);
            if (isfinite(t)) { x[k] = t; y[k] = lua_tonumber(L, -1); k++; }
        }
        lua_pop(L, 1);
    }
    double mx = 0, my = 0, sxx = 0, sxy = 0, sse = 0;
    for (int i = 0; i < k; i++) { mx += x[i]; my += y[i]; }
    if (k) { mx /= k; my /= k; }
    for (int i = 0; i < k; i++) { sxx += (x[i] - mx) * (x[i] - mx); sxy += (x[i] - mx) * (y[i] - my); }
    int ok = k >= 2 && sxx > 0;
    double slope = ok ? sxy / sxx : NAN, icpt = ok ? my - slope * mx : NAN;
    for (int i = 0; ok && i < k; i++) {
        double r = y[i] - (icpt + slope * x[i]);
        sse += r * r;
    }
    lua_createtable(L, 0, 6);
    set_num(L, "slope", slope);
    set_num(L, "intercept", icpt);
    lua_pushinteger(L, k);
    lua_setfield(L, -2, "n");
    set_num(L, "sigma", ok && k >= 3 ? sqrt(sse / (k - 2)) : NAN);
    set_num(L, "x_mean", ok ? mx : NAN);
    set_num(L, "sxx", ok ? sxx : NAN);
    return 1;
}

static double field_num(lua_State *L, int t, const char *key)
{
    lua_pushstring(L, key);
    double v = lua_rawget(L, t) == LUA_TNUMBER ? lua_tonumber(L, -1) : NAN;
    lua_pop(L, 1);
    return v;
}

/* stats.predict(trend, x [, level]): the trend's value at x (a year or a
 * period) and its prediction interval at level (default 0.95):
 * value ± t(1 - (1 - level)/2, n - 2) sigma sqrt(1 + 1/n + (x - x_mean)^2 / sxx).
 * Three values; the bounds are nil with fewer than three points. */
static int stats_predict(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    double x = time_of(L, 2);
    if (!isfinite(x)) return luaL_error(L, "stats.predict: x must be a year or a period");
    double level = luaL_optnumber(L, 3, 0.95);
    if (!(level > 0 && level < 1)) return luaL_error(L, "stats.predict: the level must be within 0 and 1 (exclusive)");
    double slope = field_num(L, 1, "slope"), icpt = field_num(L, 1, "intercept"), sigma = field_num(L, 1, "sigma");
    double n = field_num(L, 1, "n"), mx = field_num(L, 1, "x_mean"), sxx = field_num(L, 1, "sxx");
    double v = icpt + slope * x;
    ct_rules_api_push_number(L, v);
    if (!(isfinite(v) && isfinite(sigma) && n >= 3 && sxx > 0)) {
        lua_pushnil(L);
        lua_pushnil(L);
        return 3;
    }
    double half = gsl_cdf_tdist_Pinv(1 - (1 - level) / 2, n - 2) * sigma * sqrt(1 + 1 / n + (x - mx) * (x - mx) / sxx);
    lua_pushnumber(L, v - half);
    lua_pushnumber(L, v + half);
    return 3;
}

/* ---- rates ------------------------------------------------------------------------ */

static int stats_compound_rate(lua_State *L)
{
    ct_rules_api_push_number(L, ct_proj_rate_compound(luaL_checknumber(L, 1), luaL_checknumber(L, 2), luaL_checknumber(L, 3)));
    return 1;
}

static int stats_linear_rate(lua_State *L)
{
    ct_rules_api_push_number(L, ct_proj_rate_linear(luaL_checknumber(L, 1), luaL_checknumber(L, 2), luaL_checknumber(L, 3)));
    return 1;
}

/* stats.required_rate(baseline, target, years [, percent]): points a year
 * for a percentage, the compound rate otherwise (the assess method). */
static int stats_required_rate(lua_State *L)
{
    double b = luaL_checknumber(L, 1), t = luaL_checknumber(L, 2), years = luaL_checknumber(L, 3);
    int pct = lua_toboolean(L, 4);
    ct_rules_api_push_number(L, pct ? ct_proj_rate_linear(b, t, years) : ct_proj_rate_compound(b, t, years));
    return 1;
}

void ct_rules_stats_add(lua_State *L)
{
    int env = lua_gettop(L);
    static const luaL_Reg fns[] = {{"mean", stats_mean},
                                   {"sd", stats_sd},
                                   {"quantile", stats_quantile},
                                   {"median", stats_median},
                                   {"mad", stats_mad},
                                   {"zscores", stats_zscores},
                                   {"qnorm", stats_qnorm},
                                   {"qt", stats_qt},
                                   {"trend", stats_trend},
                                   {"predict", stats_predict},
                                   {"compound_rate", stats_compound_rate},
                                   {"linear_rate", stats_linear_rate},
                                   {"required_rate", stats_required_rate},
                                   {NULL, NULL}};
    luaL_newlib(L, fns);
    lua_setfield(L, env, "stats");
}
