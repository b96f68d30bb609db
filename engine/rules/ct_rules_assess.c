/* Assess rules: the assessment as a Lua table, and what a rule returns
 * (a status, with its label and colour, and a note) read back into it. */
#include <lauxlib.h>
#include <lua.h>
#include <stdio.h>
#include <string.h>

#include "ct_rules_impl.h"

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
    set_string(L, "method", ct_proj_method_name(a->method));
    set_string(L, "status", a->status);
    set_string(L, "label", a->label[0] ? a->label : NULL);
    set_string(L, "note", a->note);
    set_string(L, "lang", a->lang == CT_LANG_EN ? "en" : "vi");
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

/* A status code: 1-40 lower-case ASCII letters, digits and _, starting with
 * a letter. Codes end up in CSV columns, CSS classes and theme names, so
 * they stay plain; the words people read go in a label, which may be any
 * UTF-8 text. */
static int valid_status(const char *s)
{
    if (!(*s >= 'a' && *s <= 'z') || strlen(s) > 40) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || *s == '_' || (*s >= '0' && *s <= '9'))) return 0;
    return 1;
}

/* A label: 1-120 bytes of UTF-8 without control characters. 0, or -1 with the reason. */
static int valid_label(const char *s, size_t len, const char **why)
{
    if (len == 0 || len > 120) { *why = "must be 1 to 120 bytes long"; return -1; }
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        unsigned c = *p;
        int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
        if (n < 0 || (n == 1 && c < 0xC2) || p + n >= end + (n ? 0 : 1)) { *why = "is not UTF-8 text"; return -1; }
        unsigned cp = n == 0 ? c : c & (0x3F >> n);
        for (int k = 1; k <= n; k++) {
            if ((p[k] & 0xC0) != 0x80) { *why = "is not UTF-8 text"; return -1; }
            cp = cp << 6 | (p[k] & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF)) {
            *why = "is not UTF-8 text";
            return -1;
        }
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) { *why = "holds a control character"; return -1; }
        p += n + 1;
    }
    return 0;
}

/* A colour: #rrggbb. */
static int valid_colour(const char *s)
{
    if (strlen(s) != 7 || s[0] != '#') return 0;
    for (int i = 1; i < 7; i++)
        if (!strchr("0123456789abcdefABCDEF", s[i])) return 0;
    return 1;
}

/* Adds a rule's note, its control characters escaped. */
static void append_note(ct_assessment *a, const char *text)
{
    /* a note longer than the row's is cut by ct_assess_note_append at a
     * character's start; escaping makes a byte at most six */
    size_t n = strlen(text), room = sizeof a->note;
    char clean[sizeof a->note];
    ct_sandbox_escape(text, n < room ? n : room, clean, sizeof clean);
    ct_assess_note_append(a, clean);
}

static void rule_failed(ct_assessment *a, const char *msg)
{
    snprintf(a->status_buf, sizeof a->status_buf, "error");
    a->status = a->status_buf;
    a->label[0] = a->colour[0] = '\0';
    snprintf(a->note, sizeof a->note, "%s", msg);
}

/* A field of the result table, raw (no metamethod of the rule's runs outside the limits). */
static int raw_field(lua_State *L, int t, const char *key)
{
    lua_pushstring(L, key);
    return lua_rawget(L, t);
}

/* Reads what an assess rule returned (status or {status =, label =, colour
 * =, note =}, then an optional note) at the top two slots into a. 0, or -1
 * with the error in why (the row is then an error). */
static int take_result(lua_State *L, ct_assessment *a, char *why, size_t why_size)
{
    int res = lua_gettop(L) - 1, note_slot = res + 1;
    const char *status = NULL, *label = NULL, *colour = NULL, *note = NULL;
    size_t label_len = 0;
    int top = lua_gettop(L);
    if (lua_type(L, res) == LUA_TTABLE) {
        int t = raw_field(L, res, "status");
        if (t == LUA_TSTRING) status = lua_tostring(L, -1);
        else if (t != LUA_TNIL) { snprintf(why, why_size, "returned a %s as status; return a string", lua_typename(L, t)); goto fail; }
        t = raw_field(L, res, "label");
        if (t == LUA_TTABLE) { /* {vi = ..., en = ...}: the row's language */
            int lt = lua_gettop(L);
            if (raw_field(L, lt, a->lang == CT_LANG_EN ? "en" : "vi") != LUA_TSTRING) {
                lua_pop(L, 1);
                raw_field(L, lt, a->lang == CT_LANG_EN ? "vi" : "en");
            }
            t = lua_type(L, -1);
        }
        if (t == LUA_TSTRING) label = lua_tolstring(L, -1, &label_len);
        else if (t != LUA_TNIL) { snprintf(why, why_size, "returned a %s as label; return a string", lua_typename(L, t)); goto fail; }
        t = raw_field(L, res, "colour");
        if (t == LUA_TNIL) { lua_pop(L, 1); t = raw_field(L, res, "color"); }
        if (t == LUA_TSTRING) colour = lua_tostring(L, -1);
        else if (t != LUA_TNIL) { snprintf(why, why_size, "returned a %s as colour; return \"#rrggbb\"", lua_typename(L, t)); goto fail; }
        if (raw_field(L, res, "note") == LUA_TSTRING) note = lua_tostring(L, -1);
        if (!status && (label || colour)) { snprintf(why, why_size, "returned a label or a colour without a status"); goto fail; }
    } else if (lua_type(L, res) == LUA_TSTRING) {
        status = lua_tostring(L, res);
    } else if (!lua_isnil(L, res)) {
        snprintf(why, why_size, "returned a %s as status; return a string, a table {status = ...} or nil", luaL_typename(L, res));
        goto fail;
    }
    if (status && !valid_status(status)) {
        snprintf(why, why_size, "returned status '%.60s'; a status is a code of lower-case ASCII letters, digits and _ "
                 "(at most 40, starting with a letter): put the words in label = \"...\"", status);
        goto fail;
    }
    const char *lwhy;
    if (label && valid_label(label, label_len, &lwhy) != 0) { snprintf(why, why_size, "returned a label that %s", lwhy); goto fail; }
    if (colour && !valid_colour(colour)) { snprintf(why, why_size, "returned colour '%.20s'; use \"#rrggbb\"", colour); goto fail; }
    if (status) {
        snprintf(a->status_buf, sizeof a->status_buf, "%s", status);
        a->status = a->status_buf;
        snprintf(a->label, sizeof a->label, "%s", label ? label : "");
        snprintf(a->colour, sizeof a->colour, "%s", colour ? colour : "");
    }
    if (note) append_note(a, note);
    if (lua_type(L, note_slot) == LUA_TSTRING) append_note(a, lua_tostring(L, note_slot));
    lua_settop(L, top);
    return 0;
fail:
    lua_settop(L, top);
    return -1;
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
        /* a result the engine cannot use is an error of this row only: the
         * rule may well return a good one for the next */
        if (take_result(L, a, msg, sizeof msg) != 0) {
            const ct_series *s = r->world.s;
            ct_error_at(d, rule->file->path, ct_rules_line(L, rule->fn_ref), 0, "rule %s %s (indicator %s, unit %s, target %d)",
                        rule->name, msg, a->ind->id, a->unit >= 0 && a->unit < s->n_units ? s->code[a->unit] : "?",
                        a->target_year);
            char note[sizeof a->note];
            snprintf(note, sizeof note, "rule %s %.500s", rule->name, msg);
            rule_failed(a, note);
        }
        lua_pop(L, 2);
    }
}
