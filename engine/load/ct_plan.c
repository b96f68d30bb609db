#include "ct_plan.h"
#include "ct_kind.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/ct_number.h"
#include "ct_yaml.h"
#include "../core/ct_strmap.h"

/* The loader's state: where it is in the document, for messages such as
 * "indicators[3].targets[0]: unknown key 'yeer'". */
typedef struct {
    ct_plan *plan;
    ct_diags *d;
    char where[256];
    size_t errors;
} loader;

static void errf(loader *L, const ct_ynode *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void errf(loader *L, const ct_ynode *n, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    L->errors++;
    if (L->where[0])
        ct_error_at(L->d, L->plan->path, n ? n->line : 0, n ? n->col : 0, "%s: %s", L->where, msg);
    else
        ct_error_at(L->d, L->plan->path, n ? n->line : 0, n ? n->col : 0, "%s", msg);
}

static size_t where_push(loader *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static size_t where_push(loader *L, const char *fmt, ...)
{
    size_t len = strlen(L->where);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(L->where + len, sizeof L->where - len, fmt, ap);
    va_end(ap);
    return len;
}

static void where_pop(loader *L, size_t len) { L->where[len] = '\0'; }

static ct_pos pos_of(const ct_ynode *n)
{
    ct_pos p = {n ? n->line : 0, n ? n->col : 0};
    return p;
}

/* Reports every key of map not in allowed (a NULL-terminated list). */
static void check_keys(loader *L, const ct_ynode *map, const char *const *allowed)
{
    for (size_t i = 0; i < map->n; i += 2) {
        const ct_ynode *k = map->items[i];
        int ok = 0;
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(k->text, *a) == 0) { ok = 1; break; }
        if (ok) continue;
        char list[400] = "";
        for (const char *const *a = allowed; *a; a++) {
            size_t n = strlen(list);
            snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "", *a);
        }
        errf(L, k, "unknown key '%s' (allowed here: %s)", k->text, list);
    }
}

static int expect_map(loader *L, const ct_ynode *n, const char *what)
{
    if (n && n->type == CT_Y_MAP) return 1;
    if (n) errf(L, n, "%s must be a mapping, not %s", what, ct_ynode_kind(n));
    return 0;
}

static const char *scalar_text(loader *L, const ct_ynode *map, const char *key, int required)
{
    const ct_ynode *v = ct_ynode_get(map, key);
    if (!v) {
        if (required) errf(L, map, "missing required key '%s'", key);
        return NULL;
    }
    if (v->type != CT_Y_SCALAR) {
        errf(L, v, "'%s' must be text, not %s", key, ct_ynode_kind(v));
        return NULL;
    }
    return ct_arena_strdup(&L->plan->arena, v->text);
}

/* 0, or a ct_number_status (the contract's decimal syntax only). */
static int parse_number_text(const char *s, double *out)
{
    return (int)ct_number_parse(s, strlen(s), out);
}

/* A number: 0 when present and valid, 1 when absent, -1 on error. */
static int get_number(loader *L, const ct_ynode *map, const char *key, double *out)
{
    const ct_ynode *v = ct_ynode_get(map, key);
    if (!v) return 1;
    int bad = v->type == CT_Y_SCALAR && !v->quoted ? parse_number_text(v->text, out) : CT_NUM_SYNTAX;
    if (bad != CT_NUM_OK) {
        if (v->type == CT_Y_SCALAR && !v->quoted && bad != CT_NUM_SYNTAX)
            errf(L, v, "'%s': '%s' %s", key, v->text, ct_number_problem((ct_number_status)bad));
        else if (v->type == CT_Y_SCALAR && v->quoted)
            errf(L, v, "'%s' must be a number, not the text \"%s\" (write it without quotes)", key, v->text);
        else if (v->type == CT_Y_SCALAR)
            errf(L, v, "'%s' must be a number, not '%s'", key, v->text);
        else
            errf(L, v, "'%s' must be a number, not %s", key, ct_ynode_kind(v));
        return -1;
    }
    return 0;
}

static int get_year(loader *L, const ct_ynode *map, const char *key, int *out)
{
    double v;
    int rc = get_number(L, map, key, &v);
    if (rc != 0) return rc;
    if (v != floor(v) || v < 1900 || v > 2200) {
        errf(L, ct_ynode_get(map, key), "'%s' must be a year (1900-2200), not '%s'", key,
             ct_ynode_get(map, key)->text);
        return -1;
    }
    *out = (int)v;
    return 0;
}

static int get_bool(loader *L, const ct_ynode *map, const char *key, int *out)
{
    const ct_ynode *v = ct_ynode_get(map, key);
    if (!v) return 1;
    if (v->type == CT_Y_SCALAR && !v->quoted) {
        if (!strcmp(v->text, "true") || !strcmp(v->text, "yes")) { *out = 1; return 0; }
        if (!strcmp(v->text, "false") || !strcmp(v->text, "no")) { *out = 0; return 0; }
    }
    errf(L, v, "'%s' must be true or false, not %s%s%s", key,
         v->type == CT_Y_SCALAR ? "'" : "", v->type == CT_Y_SCALAR ? v->text : ct_ynode_kind(v),
         v->type == CT_Y_SCALAR ? "'" : "");
    return -1;
}

static int name_ok(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-') return 0;
    return 1;
}

static void load_source(loader *L, const ct_ynode *map, ct_source *src)
{
    const ct_ynode *v = ct_ynode_get(map, "source");
    if (!v) return;
    if (v->type == CT_Y_SCALAR) {
        src->document = ct_arena_strdup(&L->plan->arena, v->text);
        return;
    }
    if (v->type != CT_Y_MAP) {
        errf(L, v, "'source' must be text or a mapping {document, quote, section}");
        return;
    }
    static const char *const keys[] = {"document", "quote", "section", NULL};
    size_t mark = where_push(L, ".source");
    check_keys(L, v, keys);
    src->document = scalar_text(L, v, "document", 0);
    src->quote = scalar_text(L, v, "quote", 0);
    src->section = scalar_text(L, v, "section", 0);
    where_pop(L, mark);
}

/* ---- metrics ---------------------------------------------------------- */

static int lookup_word(loader *L, const ct_ynode *v, const char *key, const char *const *words, int n)
{
    if (v->type == CT_Y_SCALAR)
        for (int i = 0; i < n; i++)
            if (strcmp(v->text, words[i]) == 0) return i;
    char list[200] = "";
    for (int i = 0; i < n; i++) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", words[i]);
    }
    errf(L, v, "'%s' must be one of %s, not %s%s%s", key, list,
         v->type == CT_Y_SCALAR ? "'" : "", v->type == CT_Y_SCALAR ? v->text : ct_ynode_kind(v),
         v->type == CT_Y_SCALAR ? "'" : "");
    return -1;
}

static const char *const metric_types[] = {"boolean", "count", "number"};
static const char *const over_times[] = {"last", "sum", "max", "min", "mean"};
static const char *const merges[] = {"sum", "mean", "max", "min", "any", "all"};

static void load_metric(loader *L, const ct_ynode *key, const ct_ynode *v, ct_metric_decl *m)
{
    static const char *const keys[] = {"level", "type", "over_time", "merge", "title", "unit", "description", NULL};
    size_t mark = where_push(L, "metrics.%s", key->text);
    m->name = ct_arena_strdup(&L->plan->arena, key->text);
    m->pos = pos_of(key);
    if (!name_ok(key->text) || isdigit((unsigned char)key->text[0]) || strchr(key->text, '-'))
        errf(L, key, "metric name '%s' must be letters, digits and '_', starting with a letter", key->text);
    if (expect_map(L, v, "a metric")) {
        check_keys(L, v, keys);
        m->level = scalar_text(L, v, "level", 1);
        const ct_ynode *t = ct_ynode_get(v, "type");
        if (!t) errf(L, v, "missing required key 'type' (boolean, count or number)");
        else {
            int i = lookup_word(L, t, "type", metric_types, 3);
            if (i >= 0) m->type = (ct_metric_type)i;
        }
        const ct_ynode *o = ct_ynode_get(v, "over_time");
        m->over_time = CT_OT_LAST;
        if (o) {
            int i = lookup_word(L, o, "over_time", over_times, 5);
            if (i >= 0) m->over_time = (ct_over_time)i;
        }
        const ct_ynode *mg = ct_ynode_get(v, "merge");
        m->merge = -1;
        if (mg) m->merge = lookup_word(L, mg, "merge", merges, CT_MG_COUNT);
        if (m->merge == CT_MG_ANY || m->merge == CT_MG_ALL) {
            if (m->type != CT_MT_BOOLEAN) errf(L, mg, "merge: %s is for boolean metrics", merges[m->merge]);
        }
        m->title = scalar_text(L, v, "title", 0);
        m->unit = scalar_text(L, v, "unit", 0);
        m->description = scalar_text(L, v, "description", 0);
    }
    where_pop(L, mark);
}

static void load_metrics(loader *L, const ct_ynode *map)
{
    ct_plan *p = L->plan;
    if (!map) return;
    if (!expect_map(L, map, "'metrics'")) return;
    p->n_metrics = map->n / 2;
    p->metrics = ct_arena_alloc(&p->arena, (p->n_metrics ? p->n_metrics : 1) * sizeof *p->metrics);
    for (size_t i = 0; i < p->n_metrics; i++)
        load_metric(L, map->items[2 * i], map->items[2 * i + 1], &p->metrics[i]);
}

/* ---- indicators --------------------------------------------------------- */


static void load_cexpr(loader *L, const ct_ynode *map, const char *key, int required, ct_cexpr *out)
{
    const ct_ynode *v = ct_ynode_get(map, key);
    if (!v) {
        if (required) errf(L, map, "missing required key '%s' (a condition such as \"is_clean == 1\")", key);
        return;
    }
    if (v->type != CT_Y_SCALAR) {
        errf(L, v, "'%s' must be a condition in text, not %s", key, ct_ynode_kind(v));
        return;
    }
    out->text = ct_arena_strdup(&L->plan->arena, v->text);
    out->pos = pos_of(v);
    out->text_pos.line = v->text_line;
    out->text_pos.col = v->text_col;
    char err[200];
    int off = 0;
    out->cond = ct_cond_parse(&L->plan->arena, v->text, err, sizeof err, &off);
    if (!out->cond) {
        ct_ynode at = *v;
        ct_ynode_text_pos(v, (size_t)off, &at.line, &at.col);
        errf(L, &at, "in %s \"%s\": %s", key, v->text, err);
    }
}

static void load_mref(loader *L, const ct_ynode *map, const char *key, ct_mref *out)
{
    const ct_ynode *v = ct_ynode_get(map, key);
    out->index = -1;
    if (!v) { errf(L, map, "missing required key '%s' (a metric name)", key); return; }
    if (v->type != CT_Y_SCALAR) { errf(L, v, "'%s' must be a metric name, not %s", key, ct_ynode_kind(v)); return; }
    out->name = ct_arena_strdup(&L->plan->arena, v->text);
    out->pos = pos_of(v);
    /* a metric the plan does not declare may come from the data's metrics.csv:
     * checked when the plan binds to data (ct_plan_check_refs without data) */
}

static void load_target(loader *L, const ct_ynode *v, const ct_indicator *ind, ct_target *t)
{
    static const char *const keys[] = {"year", "value", "min", "max", "change", "from", "to",
                                       "each_period", "maintain", "source", "note", "label", "unit", NULL};
    t->pos = pos_of(v);
    t->max = NAN;
    t->unit_index = -1;
    if (!expect_map(L, v, "a target")) return;
    check_keys(L, v, keys);
    int year_rc = get_year(L, v, "year", &t->year);
    int has_year = year_rc == 0;
    int has_from = get_year(L, v, "from", &t->from) == 0;
    int has_to = get_year(L, v, "to", &t->to) == 0;
    int ep = 0;
    if (get_bool(L, v, "each_period", &ep) == 0) t->each_period = ep;
    int maintain = 0;
    get_bool(L, v, "maintain", &maintain);
    int has_value = get_number(L, v, "value", &t->value) == 0;
    int has_min = get_number(L, v, "min", &t->min) == 0;
    int has_max = get_number(L, v, "max", &t->max) == 0;
    const ct_ynode *ch = ct_ynode_get(v, "change");
    int has_change = 0;
    if (ch) {
        double pct;
        char buf[64];
        size_t n = ch->type == CT_Y_SCALAR ? ch->len : 0;
        if (n > 0 && n < sizeof buf) {
            memcpy(buf, ch->text, n);
            buf[n] = '\0';
            if (buf[n - 1] == '%') buf[n - 1] = '\0';
        }
        if (n == 0 || n >= sizeof buf || parse_number_text(buf, &pct) != 0 || pct <= -100) {
            errf(L, ch, "'change' must be a percentage above -100%% such as -50%% (relative to the baseline value), not '%s'",
                 ch->type == CT_Y_SCALAR ? ch->text : ct_ynode_kind(ch));
        } else {
            t->change = pct / 100.0;
            has_change = 1;
        }
    }
    int forms = has_value + (has_min || has_max) + has_change + (maintain != 0);
    if (forms == 0) errf(L, v, "a target needs one of 'value', 'min' (and 'max'), 'change' or 'maintain: true'");
    else if (forms > 1) errf(L, v, "a target takes only one of 'value', 'min'/'max', 'change' and 'maintain'");
    if (has_value) t->form = CT_TF_VALUE;
    if (has_min || has_max) {
        t->form = CT_TF_RANGE;
        if (!has_min) errf(L, v, "a range target needs 'min' (the level to reach); 'max' is the upper aim");
        if (has_min && has_max && t->min > t->max) errf(L, v, "'min' (%g) is above 'max' (%g)", t->min, t->max);
    }
    if (has_change) t->form = CT_TF_CHANGE;
    if (maintain) t->form = CT_TF_MAINTAIN;
    if (t->each_period) {
        if (!has_from || !has_to) errf(L, v, "'each_period: true' needs 'from' and 'to' years");
        else if (t->from > t->to) errf(L, v, "'from' (%d) is after 'to' (%d)", t->from, t->to);
        if (has_year && has_to && t->year != t->to) errf(L, v, "'year' (%d) differs from 'to' (%d)", t->year, t->to);
        if (has_to) t->year = t->to;
    } else {
        if (has_from || has_to) errf(L, v, "'from'/'to' are for targets with 'each_period: true'");
        if (year_rc == 1) errf(L, v, "missing required key 'year'");
    }
    if (ct_indicator_is_percent(ind)) {
        double vals[3] = {has_value ? t->value : 0, has_min ? t->min : 0, has_max ? t->max : 0};
        for (int i = 0; i < 3; i++)
            if (vals[i] < 0 || vals[i] > 100) {
                errf(L, v, "the indicator is a percentage, so a target must be within 0-100, not %g", vals[i]);
                break;
            }
    }
    if (t->year && L->plan->has_baseline && !t->each_period && t->year <= L->plan->baseline.year && t->form != CT_TF_MAINTAIN)
        errf(L, v, "target year %d is not after the plan's baseline %d", t->year, L->plan->baseline.year);
    t->label = scalar_text(L, v, "label", 0);
    t->note = scalar_text(L, v, "note", 0);
    const ct_ynode *un = ct_ynode_get(v, "unit");
    if (un) {
        t->unit = scalar_text(L, v, "unit", 0);
        t->unit_pos = pos_of(un);
        if (t->unit && !t->unit[0]) {
            errf(L, un, "'unit' must be a unit code, not empty");
            t->unit = NULL;
        }
    }
    load_source(L, v, &t->source);
}

static void load_targets(loader *L, const ct_ynode *list, ct_indicator *ind)
{
    if (!list) return;
    if (list->type != CT_Y_SEQ) { errf(L, list, "'targets' must be a list, not %s", ct_ynode_kind(list)); return; }
    ind->n_targets = list->n;
    ind->targets = ct_arena_alloc(&L->plan->arena, (list->n ? list->n : 1) * sizeof *ind->targets);
    for (size_t i = 0; i < list->n; i++) {
        size_t mark = where_push(L, ".targets[%zu]", i);
        load_target(L, list->items[i], ind, &ind->targets[i]);
        where_pop(L, mark);
    }
}

/* The keys each kind needs and allows, besides the common ones. */
static const char *const common_keys[] = {"id", "title", "kind", "direction", "unit", "description",
                                          "source", "missing", "targets"};

static const char *const *kind_keys(ct_kind k) { return ct_kind_of(k)->keys; }

static void load_kind_fields(loader *L, const ct_ynode *v, ct_indicator *ind)
{
    switch (ind->kind) {
    case CT_KIND_SHARE:
    case CT_KIND_COUNT:
    case CT_KIND_TRANSITION:
        ind->of = scalar_text(L, v, "of", 1);
        ind->of_pos = pos_of(ct_ynode_get(v, "of"));
        if (ind->kind == CT_KIND_TRANSITION) {
            load_cexpr(L, v, "from", 1, &ind->from);
            load_cexpr(L, v, "to", 1, &ind->to);
        } else {
            load_cexpr(L, v, "condition", 1, &ind->condition);
        }
        load_cexpr(L, v, "among", 0, &ind->among);
        break;
    case CT_KIND_RATIO:
        load_mref(L, v, "numerator", &ind->numerator);
        load_mref(L, v, "denominator", &ind->denominator);
        if (get_number(L, v, "scale", &ind->scale) == 0 && ind->scale <= 0)
            errf(L, ct_ynode_get(v, "scale"), "'scale' must be positive");
        break;
    case CT_KIND_SUM:
        load_mref(L, v, "metric", &ind->metric);
        break;
    case CT_KIND_FREQUENCY: {
        load_mref(L, v, "metric", &ind->metric);
        const ct_ynode *per = ct_ynode_get(v, "per");
        static const char *const pers[] = {"month", "quarter", "half-year"};
        static const ct_ptype pt[] = {CT_PT_MONTH, CT_PT_QUARTER, CT_PT_HALF};
        if (!per) errf(L, v, "missing required key 'per' (month, quarter or half-year)");
        else {
            int i = lookup_word(L, per, "per", pers, 3);
            if (i >= 0) ind->per = pt[i];
        }
        get_number(L, v, "at_least", &ind->at_least);
        break;
    }
    case CT_KIND_LUA:
        ind->script = scalar_text(L, v, "script", 1);
        ind->script_pos = pos_of(ct_ynode_get(v, "script"));
        ind->function = scalar_text(L, v, "function", 1);
        ind->of = scalar_text(L, v, "of", 0);
        ind->of_pos = pos_of(ct_ynode_get(v, "of"));
        break;
    }
}

static void load_indicator(loader *L, const ct_ynode *v, ct_indicator *ind)
{
    ct_plan *p = L->plan;
    ind->pos = pos_of(v);
    ind->direction = 1;
    ind->scale = 100;
    ind->at_least = 1;
    ind->metric.index = ind->numerator.index = ind->denominator.index = -1;
    if (!expect_map(L, v, "an indicator")) return;
    ind->id = scalar_text(L, v, "id", 1);
    if (ind->id && !name_ok(ind->id))
        errf(L, ct_ynode_get(v, "id"), "indicator id '%s' must be letters, digits, '_' and '-'", ind->id);
    ind->title = scalar_text(L, v, "title", 0);
    ind->unit = scalar_text(L, v, "unit", 0);
    ind->description = scalar_text(L, v, "description", 0);
    const ct_ynode *kind = ct_ynode_get(v, "kind");
    int k = -1;
    if (!kind) errf(L, v, "missing required key 'kind'");
    else {
        const char *words[CT_N_KINDS]; /* the descriptors' names, for the word and the message */
        for (int i = 0; i < CT_N_KINDS; i++) words[i] = ct_kind_of((ct_kind)i)->name;
        k = lookup_word(L, kind, "kind", words, CT_N_KINDS);
    }
    const ct_ynode *dir = ct_ynode_get(v, "direction");
    if (dir) {
        static const char *const dirs[] = {"increase", "decrease"};
        int i = lookup_word(L, dir, "direction", dirs, 2);
        ind->direction = i == 1 ? -1 : 1;
    }
    const ct_ynode *missing = ct_ynode_get(v, "missing");
    if (missing) {
        static const char *const ms[] = {"as_no_data", "as_not_met"};
        ind->missing_as_not_met = lookup_word(L, missing, "missing", ms, 2) == 1;
    }
    load_source(L, v, &ind->source);
    if (k < 0) return;
    ind->kind = (ct_kind)k;
    /* unknown keys: common ones plus the kind's own */
    const char *allowed[32];
    size_t n = 0;
    for (size_t i = 0; i < sizeof common_keys / sizeof *common_keys; i++) allowed[n++] = common_keys[i];
    for (const char *const *kk = kind_keys(ind->kind); *kk; kk++) allowed[n++] = *kk;
    allowed[n] = NULL;
    check_keys(L, v, allowed);
    if (missing && ind->kind != CT_KIND_SHARE)
        errf(L, missing, "'missing' applies to share_of_units only");
    load_kind_fields(L, v, ind);
    load_targets(L, ct_ynode_get(v, "targets"), ind);
    (void)p;
}

static void load_indicators(loader *L, const ct_ynode *list)
{
    ct_plan *p = L->plan;
    if (!list) return;
    if (list->type != CT_Y_SEQ) { errf(L, list, "'indicators' must be a list, not %s", ct_ynode_kind(list)); return; }
    p->n_indicators = list->n;
    p->indicators = ct_arena_alloc(&p->arena, (list->n ? list->n : 1) * sizeof *p->indicators);
    ct_strmap ids; /* id -> its first indicator */
    ct_strmap_init(&ids);
    for (size_t i = 0; i < list->n; i++) {
        size_t mark = where_push(L, "indicators[%zu]", i);
        const ct_ynode *idn = list->items[i]->type == CT_Y_MAP ? ct_ynode_get(list->items[i], "id") : NULL;
        if (idn && idn->type == CT_Y_SCALAR) where_push(L, " (%s)", idn->text);
        load_indicator(L, list->items[i], &p->indicators[i]);
        where_pop(L, mark);
        const char *id = p->indicators[i].id;
        int first = id ? ct_strmap_put(&ids, id, strlen(id), (int)i) : -1;
        if (first >= 0 && first != (int)i)
            errf(L, list->items[i], "duplicate indicator id '%s' (first at line %d)", id, p->indicators[first].pos.line);
    }
    ct_strmap_free(&ids);
}

/* ---- the plan ------------------------------------------------------------- */

/* rules: a file name or a list of them (Lua rules files, relative to the plan) */
static void load_rules(loader *L, const ct_ynode *v)
{
    ct_plan *p = L->plan;
    if (!v) return;
    size_t n = v->type == CT_Y_SEQ ? v->n : 1;
    p->rules = ct_arena_alloc(&p->arena, (n ? n : 1) * sizeof *p->rules);
    p->rules_pos = ct_arena_alloc(&p->arena, (n ? n : 1) * sizeof *p->rules_pos);
    for (size_t i = 0; i < n; i++) {
        const ct_ynode *f = v->type == CT_Y_SEQ ? v->items[i] : v;
        if (f->type != CT_Y_SCALAR || f->len == 0) {
            errf(L, f, "'rules' must be a file name or a list of file names");
            continue;
        }
        p->rules[p->n_rules] = ct_arena_strdup(&p->arena, f->text);
        p->rules_pos[p->n_rules++] = pos_of(f);
    }
}

static void load_header(loader *L, const ct_ynode *v)
{
    ct_plan *p = L->plan;
    static const char *const keys[] = {"id", "title", "region", "baseline", "horizon", "source",
                                       "description", "rules", NULL};
    size_t mark = where_push(L, "plan");
    if (expect_map(L, v, "'plan'")) {
        check_keys(L, v, keys);
        p->id = scalar_text(L, v, "id", 1);
        p->id_pos = pos_of(ct_ynode_get(v, "id"));
        if (p->id && !name_ok(p->id))
            errf(L, ct_ynode_get(v, "id"), "plan id '%s' must be letters, digits, '_' and '-'", p->id);
        p->title = scalar_text(L, v, "title", 0);
        p->description = scalar_text(L, v, "description", 0);
        p->region = scalar_text(L, v, "region", 0);
        p->region_pos = pos_of(ct_ynode_get(v, "region"));
        const ct_ynode *b = ct_ynode_get(v, "baseline");
        if (b) {
            if (b->type != CT_Y_SCALAR || ct_period_parse(b->text, b->len, &p->baseline) != 0)
                errf(L, b, "'baseline' must be a period such as 2015 or 2015S2, not '%s'",
                     b->type == CT_Y_SCALAR ? b->text : ct_ynode_kind(b));
            else p->has_baseline = 1;
        }
        get_year(L, v, "horizon", &p->horizon);
        if (p->horizon && p->has_baseline && p->horizon <= p->baseline.year)
            errf(L, ct_ynode_get(v, "horizon"), "'horizon' (%d) must be after the baseline (%d)", p->horizon, p->baseline.year);
        load_source(L, v, &p->source);
        load_rules(L, ct_ynode_get(v, "rules"));
    }
    where_pop(L, mark);
}

ct_plan *ct_plan_load(const char *path, ct_diags *d, ct_status *status)
{
    ct_ydoc doc;
    size_t errs_before = d->n_errors;
    ct_status st = ct_ydoc_load(&doc, path, d);
    if (st != CT_OK || !doc.root) {
        if (st == CT_OK) ct_error_at(d, path, 1, 1, "the plan file is empty");
        ct_ydoc_free(&doc);
        *status = st != CT_OK ? st : CT_EINPUT;
        return NULL;
    }
    ct_plan *p = calloc(1, sizeof *p);
    if (!p) { ct_ydoc_free(&doc); *status = CT_ENOMEM; return NULL; }
    ct_arena_init(&p->arena);
    p->path = ct_arena_strdup(&p->arena, path);
    loader L = {p, d, "", 0};
    const ct_ynode *root = doc.root;
    if (expect_map(&L, root, "a plan file")) {
        static const char *const keys[] = {"plan", "metrics", "indicators", NULL};
        check_keys(&L, root, keys);
        const ct_ynode *hdr = ct_ynode_get(root, "plan");
        if (!hdr) errf(&L, root, "missing required key 'plan'");
        else load_header(&L, hdr);
        load_metrics(&L, ct_ynode_get(root, "metrics"));
        const ct_ynode *inds = ct_ynode_get(root, "indicators");
        if (!inds) errf(&L, root, "missing required key 'indicators'");
        load_indicators(&L, inds);
    }
    ct_ydoc_free(&doc);
    *status = d->n_errors > errs_before ? CT_EINPUT : CT_OK;
    return p;
}

void ct_plan_free(ct_plan *p)
{
    if (!p) return;
    ct_arena_free(&p->arena);
    free(p);
}

const char *ct_kind_name(ct_kind k) { return ct_kind_of(k)->name; }
const char *ct_over_time_name(ct_over_time o) { return over_times[o]; }
const char *ct_metric_type_name(ct_metric_type t) { return metric_types[t]; }
const char *ct_merge_name(ct_merge m) { return merges[m]; }

static int word_index(const char *const *words, int n, const char *text, size_t len)
{
    for (int i = 0; i < n; i++)
        if (strlen(words[i]) == len && memcmp(words[i], text, len) == 0) return i;
    return -1;
}

int ct_merge_parse(const char *text, size_t len) { return word_index(merges, CT_MG_COUNT, text, len); }
int ct_metric_type_parse(const char *text, size_t len) { return word_index(metric_types, 3, text, len); }
int ct_over_time_parse(const char *text, size_t len) { return word_index(over_times, 5, text, len); }

static void check_ref(const ct_plan *p, size_t i, const ct_mref *r, const char *key, ct_diags *d, int *bad)
{
    if (!r->name || ct_plan_metric(p, r->name)) return;
    ct_error_at(d, p->path, r->pos.line, r->pos.col,
                "indicators[%zu] (%s): '%s' names metric '%s', which the plan does not declare under 'metrics'",
                i, p->indicators[i].id ? p->indicators[i].id : "?", key, r->name);
    *bad = 1;
}

ct_status ct_plan_check_refs(const ct_plan *p, ct_diags *d)
{
    int bad = 0;
    for (size_t i = 0; i < p->n_indicators; i++) {
        const ct_indicator *ind = &p->indicators[i];
        check_ref(p, i, &ind->metric, "metric", d, &bad);
        check_ref(p, i, &ind->numerator, "numerator", d, &bad);
        check_ref(p, i, &ind->denominator, "denominator", d, &bad);
    }
    return bad ? CT_EINPUT : CT_OK;
}

const ct_metric_decl *ct_plan_metric(const ct_plan *p, const char *name)
{
    for (size_t i = 0; i < p->n_metrics; i++)
        if (p->metrics[i].name && strcmp(p->metrics[i].name, name) == 0) return &p->metrics[i];
    return NULL;
}

int ct_plan_last_year(const ct_plan *p)
{
    int y = p->horizon;
    for (size_t i = 0; i < p->n_indicators; i++)
        for (size_t j = 0; j < p->indicators[i].n_targets; j++)
            if (p->indicators[i].targets[j].year > y) y = p->indicators[i].targets[j].year;
    return y;
}

int ct_indicator_is_percent(const ct_indicator *ind)
{
    switch (ct_kind_of(ind->kind)->percent) {
    case CT_PCT_ALWAYS: return 1;
    case CT_PCT_SCALE: return ind->scale == 100;
    case CT_PCT_UNIT: return ind->unit && strcmp(ind->unit, "%") == 0; /* the plan says so */
    case CT_PCT_NEVER: return 0;
    }
    return 0;
}

int ct_target_applies(const ct_indicator *ind, const ct_target *t, int unit)
{
    if (t->unit) return t->unit_index >= 0 && t->unit_index == unit;
    for (size_t j = 0; j < ind->n_targets; j++) {
        const ct_target *o = &ind->targets[j];
        if (o->unit && o->unit_index >= 0 && o->unit_index == unit && o->year == t->year) return 0;
    }
    return 1;
}
