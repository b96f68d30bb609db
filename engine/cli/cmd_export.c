/* chitieu export dhis2: every computed indicator value (and, with
 * --targets, every target) as a DHIS2 dataValueSets JSON. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/ct_strmap.h"
#include "../project/ct_assess.h"
#include "../render/ct_dhis2_out.h"
#include "cli.h"

static const char *const usage_export =
    "usage: chitieu export dhis2 PLAN.yaml... --data DIR [--targets] [--as-of PERIOD]\n"
    "                            [--level L] [--unit CODE] [--periods TYPE]\n"
    "                            [--data-set CODE] [-o FILE.json]\n"
    "\n"
    "Writes every computed indicator value as a DHIS2 dataValueSets JSON: data\n"
    "element = the indicator id, org unit = the unit code, period = the DHIS2\n"
    "period id (2016, 2016S1, 2016Q1, 201603), value as text. DHIS2 imports it\n"
    "with POST /api/dataValueSets?idScheme=code (docs/exchange.md).\n"
    "\n"
    "options:\n"
    "  --data DIR       a folder with units.csv and observations.csv (required)\n"
    "  --targets        add each target as data element <indicator>_target in its\n"
    "                   target year (every year of an each_period span), for every\n"
    "                   unit assessed: a range target's min, a change target's\n"
    "                   number for that unit\n"
    "  --as-of PERIOD   use only the data of periods ending by PERIOD\n"
    "  --data-set CODE  the data set the values belong to (written as the payload's\n"
    "                   dataSet: DHIS2 needs it where a data element is in several);\n"
    "                   one period type, so several types need --periods\n"
    "  --periods TYPE   only the values of this period type (year, half-year,\n"
    "                   quarter, month); without it, values of several types go\n"
    "                   to one file each, FILE.year.json, FILE.quarter.json, ...\n"
    "  --level L, --unit CODE   as for compute\n"
    "  --rules FILE     a Lua rules file (repeatable)\n"
    "  -o FILE          write to FILE (whole or not at all) instead of stdout\n"
    "  -h, --help       this text\n";

/* One value to export; written once every value is known, so that the
 * payload can be checked whole before any of it is written. */
typedef struct {
    const char *de;
    const ct_series *s;   /* the plan's series (each plan on its own map): unit indexes into it */
    ct_period p;
    int unit;
    double value;
} xvalue;

typedef struct {
    const ct_series *s;   /* the series of the plan being computed */
    xvalue *v;
    size_t n, cap;
    ct_arena arena;
    ct_strmap seen;       /* indicator, unit and year of targets written */
    ct_strmap shared;     /* indicator ids that several loaded plans use */
    int want_type;        /* --periods: only this period type; -1: all */
    size_t n_closed;      /* values of units not open for the whole period: left out */
    size_t n_root;        /* values of the implicit root VN (not in units.csv): left out */
    size_t n_reused;      /* values of an earlier unit whose code a later one took: left out */
    const char *reused_code; /* the first such code */
    int failed;
} exporter;

/* The data element of an indicator: its id; where several loaded plans share
 * the id, PLAN.ID (one key per value: DHIS2 2.43 refuses a payload with a
 * key twice, E8128), with suffix ("_target") after it. */
static const char *data_element(exporter *e, const ct_plan *plan, const ct_indicator *ind, const char *suffix)
{
    int shared = ct_strmap_get(&e->shared, ind->id, strlen(ind->id)) > 0;
    size_t n = strlen(ind->id) + strlen(suffix) + (shared && plan->id ? strlen(plan->id) + 1 : 0) + 1;
    char *de = ct_arena_alloc(&e->arena, n);
    if (!de) { e->failed = 1; return NULL; }
    if (shared && plan->id) snprintf(de, n, "%s.%s%s", plan->id, ind->id, suffix);
    else snprintf(de, n, "%s%s", ind->id, suffix);
    return de;
}

/* DHIS2 2.43 refuses the whole payload when a period starts outside an org
 * unit's openingDate..closedDate (E8031, DefaultDataEntryService.
 * validateKeyConsistency; 2.40-2.42's DataValueSetImportValidator did not
 * check). units.csv gives months, not the dates, and a value of a period the
 * unit did not live through whole is a part of one: a value is written only
 * for a unit open for the whole of its period, which meets the rule whatever
 * day of its first and last month the unit opened and closed. */
static int open_whole(const ct_series *s, int u, ct_period p)
{
    /* the dates units.csv gives, which DHIS2's org unit has: not the span a later map carries a new unit's
     * values back over (its predecessors' figures before it opened) */
    return ct_period_first_month(p) >= s->orig_first[u] && ct_period_last_month(p) <= s->orig_last[u];
}

static void add_value(exporter *e, const char *de, ct_period p, int unit, double value)
{
    if (!de || !isfinite(value)) return;
    if (e->want_type >= 0 && p.type != e->want_type) return;
    /* the implicit root is no unit of units.csv: a DHIS2 database holds no org unit coded VN for it, and
     * 2.43 refuses the whole payload for an org unit it cannot find by code (E8107) */
    if (e->s->implicit_root && unit == e->s->root) { e->n_root++; return; }
    /* a DHIS2 code names one org unit (the column is unique, identifiableProperties.hbm): a code that
     * chitieu's units reuse is the latest unit's in DHIS2, and an earlier unit's value sent under it would
     * land on that one, refused for a period before its opening (E8031) or silently misplaced (2.40-2.42) */
    if (e->s->same_next && e->s->same_next[unit] >= 0) {
        if (!e->n_reused++) e->reused_code = e->s->code[unit];
        return;
    }
    if (!open_whole(e->s, unit, p)) { e->n_closed++; return; }
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 1024;
        xvalue *v = realloc(e->v, cap * sizeof *v);
        if (!v) { e->failed = 1; return; }
        e->v = v;
        e->cap = cap;
    }
    e->v[e->n++] = (xvalue){de, e->s, p, unit, value};
}

static int export_row(const ct_row *row, void *ctx)
{
    exporter *e = ctx;
    if (row->cell.flags & CT_ROW_VALUE) {
        /* the indicator's name is interned per plan by its pointer: one name per indicator */
        add_value(e, data_element(e, row->plan, row->ind, ""), row->period, row->unit, row->cell.value);
    }
    return e->failed;
}

static int export_target(const ct_assessment *a, void *ctx)
{
    exporter *e = ctx;
    int from = a->target->each_period ? a->target->from : a->target_year;
    for (int y = from; y <= a->target_year; y++) {
        const char *de = data_element(e, a->plan, a->ind, "_target");
        if (!de) return 1;
        const char *parts_unit = e->s->code[a->unit];
        size_t n = strlen(de) + strlen(parts_unit) + 32;
        char *key = malloc(n);
        if (!key) { e->failed = 1; return 1; }
        int kn = snprintf(key, n, "%s\x1f%d\x1f%d", de, a->unit, y);
        int prev = ct_strmap_get(&e->seen, key, (size_t)kn);
        if (prev < 0 && ct_strmap_put(&e->seen, key, (size_t)kn, 0) == -2) e->failed = 1;
        free(key);
        if (e->failed) return 1;
        if (prev >= 0) continue; /* the first target of a year wins */
        ct_period p = {(short)y, CT_PT_YEAR, 0};
        add_value(e, de, p, a->unit, a->target_value);
    }
    return 0;
}

/* Indicator ids that two loaded plans share. */
static int mark_shared(exporter *e, ct_plan *const *plans, size_t n_plans)
{
    ct_strmap first;
    ct_strmap_init(&first);
    int bad = 0;
    for (size_t i = 0; !bad && i < n_plans; i++)
        for (size_t k = 0; !bad && k < plans[i]->n_indicators; k++) {
            const char *id = plans[i]->indicators[k].id;
            if (!id) continue;
            int prev = ct_strmap_put(&first, id, strlen(id), (int)i);
            if (prev == -2 || ct_strmap_put(&e->shared, id, strlen(id), 0) == -2) bad = 1;
            else if (prev != (int)i) ct_strmap_set(&e->shared, id, strlen(id), 1);
        }
    ct_strmap_free(&first);
    return bad;
}

/* The payload checked whole against DHIS2's rules before it is written:
 * codes within 50 characters (the code column of every DHIS2 object,
 * identifiableProperties.hbm: a longer code names no data element or org
 * unit, and 2.43 refuses the payload, E8103/E8107, where 2.40-2.42 record a
 * conflict per value, E7610/E7612), and one value per (data element, period,
 * org unit): 2.43's DefaultDataEntryService.validateValues refuses a payload
 * with a key twice (E8128). Returns the errors added. */
static size_t check_values(exporter *e, ct_diags *d)
{
    size_t before = d->n_errors;
    ct_strmap keys, long_codes;
    ct_strmap_init(&keys);
    ct_strmap_init(&long_codes);
    for (size_t i = 0; i < e->n && !e->failed; i++) {
        const xvalue *v = &e->v[i];
        const char *codes[2] = {v->de, v->s->code[v->unit]};
        for (int c = 0; c < 2; c++) {
            size_t len = strlen(codes[c]);
            if (len <= 50) continue;
            int prev = ct_strmap_put(&long_codes, codes[c], len, 0);
            if (prev == -2) { e->failed = 1; break; }
            if (prev != 0) continue; /* named once */
            ct_strmap_set(&long_codes, codes[c], len, 1);
            ct_error_at(d, NULL, 0, 0, "the %s code '%s' has %zu characters: DHIS2 keeps at most 50, so no %s has it "
                        "(shorten the %s)", c ? "org unit" : "data element", codes[c], len, c ? "org unit" : "data element",
                        c ? "unit's code" : strchr(v->de, '.') ? "indicator id or the plan id, or export the plans apart"
                                                               : "indicator id");
        }
        char pb[CT_PERIOD_BUF];
        ct_dhis2_period_id(v->p, pb);
        size_t n = strlen(v->de) + strlen(codes[1]) + sizeof pb + 3;
        char *key = malloc(n);
        if (!key) { e->failed = 1; break; }
        int kn = snprintf(key, n, "%s\x1f%s\x1f%s", v->de, pb, codes[1]);
        int prev = ct_strmap_put(&keys, key, (size_t)kn, (int)i);
        free(key);
        if (prev == -2) { e->failed = 1; break; }
        if (prev != (int)i)
            ct_error_at(d, NULL, 0, 0, "two values for data element %s, period %s, org unit %s: DHIS2 2.43 refuses the "
                        "whole payload (E8128)", v->de, pb, codes[1]);
    }
    ct_strmap_free(&keys);
    ct_strmap_free(&long_codes);
    return d->n_errors - before;
}

/* FILE.json -> FILE.TYPE.json (one payload per period type). */
static char *typed_path(const char *path, ct_ptype t)
{
    const char *name = ct_ptype_name(t);
    size_t n = strlen(path) + strlen(name) + 8;
    char *p = malloc(n);
    if (!p) return NULL;
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    if (dot && (!slash || dot > slash) && dot != path && (!slash || dot > slash + 1))
        snprintf(p, n, "%.*s.%s%s", (int)(dot - path), path, name, dot);
    else snprintf(p, n, "%s.%s", path, name);
    return p;
}

/* Writes the values of one period type (-1: all) to path. */
static int write_payload(const exporter *e, const char *path, int type, const char *data_set, ct_diags *d)
{
    ct_out *out = ct_out_open(path, d);
    if (!out) return 1;
    ct_dhis2_out w;
    ct_dhis2_out_begin(&w, out, data_set);
    for (size_t i = 0; i < e->n; i++)
        if (type < 0 || e->v[i].p.type == type)
            ct_dhis2_out_value(&w, e->v[i].de, e->v[i].p, e->v[i].s->code[e->v[i].unit], e->v[i].value);
    ct_dhis2_out_end(&w);
    return ct_out_commit(out, d) != CT_OK;
}

int cmd_export(int argc, char **argv)
{
    if (argc < 1 || (strcmp(argv[0], "dhis2") && strcmp(argv[0], "--help") && strcmp(argv[0], "-h")))
        return cli_usage_error("export", "%s", "the destination must be dhis2 (chitieu export dhis2 ...)");
    if (strcmp(argv[0], "dhis2")) { fputs(usage_export, stdout); return 0; }
    argc--;
    argv++;
    /* --targets and --data-set are this command's own */
    int targets = 0, n = 0;
    const char *data_set = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--targets")) targets = 1;
        else if (!strcmp(argv[i], "--data-set") && i + 1 < argc) data_set = argv[++i];
        else if (!strcmp(argv[i], "--data-set")) return cli_usage_error("export", "%s", "option '--data-set' needs a value");
        else argv[n++] = argv[i];
    }
    argc = n;
    static const char *const allowed[] = {"--data", "-o", "--output", "--level", "--unit", "--periods",
                                          "--as-of", "--rules", NULL};
    cli_args a;
    int rc = cli_parse_args("export", argc, argv, &a, allowed);
    if (rc || cli_help(&a, usage_export)) { cli_args_free(&a); return rc; }
    if (a.n_plans == 0) rc = cli_usage_error("export", "%s", "no plan file given");
    if (!rc && !a.data) rc = cli_usage_error("export", "%s", "--data DIR is required");
    if (rc) { cli_args_free(&a); return rc; }
    cli_session ss;
    cli_session_init(&ss);
    rc = cli_load(&ss, &a, "export");
    ct_compute_filter filter;
    if (rc == 0) rc = cli_filter(&a, &ss.series, "export", &filter);
    if (rc == CLI_EXIT_USAGE) { cli_args_free(&a); cli_finish(&ss, 0); return rc; }
    int bad = rc != 0;
    exporter e = {.s = &ss.series, .want_type = -1};
    ct_arena_init(&e.arena);
    ct_strmap_init(&e.seen);
    ct_strmap_init(&e.shared);
    if (filter.finest >= 0) e.want_type = filter.finest;
    if (!bad) {
        ct_status st = mark_shared(&e, ss.plans, ss.n_plans) ? CT_ENOMEM : CT_OK;
        for (size_t i = 0; st == CT_OK && i < ss.n_plans; i++) {
            e.s = cli_session_series(&ss, i);
            st = ct_compute_plan(ss.plans[i], cli_session_series(&ss, i), &filter, export_row, &e);
        }
        if (targets) {
            ct_assess_options opt = {CT_PM_AUTO, NULL, NULL, CT_LANG_VI, 0, NULL, CT_MODEL_CALIBRATED};
            for (size_t i = 0; st == CT_OK && i < ss.n_plans; i++) {
                e.s = cli_session_series(&ss, i);
                st = ct_assess_plan(ss.plans[i], cli_session_series(&ss, i), &filter, &opt, export_target, &e);
            }
        }
        if (st == CT_OK && !e.failed) check_values(&e, &ss.diags);
        if (e.failed && st == CT_OK) st = CT_ENOMEM;
        if (st != CT_OK) ct_error_at(&ss.diags, NULL, 0, 0, "export failed: %s", ct_status_str(st));
        bad = st != CT_OK || ss.diags.n_errors > 0;
    }
    if (!bad && e.n_closed)
        ct_warn_at(&ss.diags, NULL, 0, 0, "%zu values of units not open for the whole of their period left out "
                   "(DHIS2 2.43 refuses a period that starts outside a unit's opening and closing dates: E8031)",
                   e.n_closed);
    if (!bad && e.n_reused)
        ct_warn_at(&ss.diags, NULL, 0, 0, "%zu values of units whose code a later unit took (%s first) left out: a "
                   "DHIS2 code names one org unit, the latest (a value sent under it would land there: E8031)",
                   e.n_reused, e.reused_code);
    if (!bad && e.n_root)
        ct_warn_at(&ss.diags, NULL, 0, 0, "%zu values of the implicit national root VN left out: it is not in units.csv, "
                   "so no DHIS2 org unit has its code (add the national unit to units.csv with its DHIS2 code to "
                   "export them)", e.n_root);
    unsigned types = 0;
    for (size_t i = 0; i < e.n; i++) types |= 1u << e.v[i].p.type;
    int n_types = 0;
    for (int t = 0; t < CT_PT_COUNT; t++) n_types += (types >> t) & 1;
    const char *out_path = a.out && strcmp(a.out, "-") ? a.out : NULL;
    if (!bad && n_types > 1 && !out_path) {
        ct_error_at(&ss.diags, NULL, 0, 0, "%s", "the values have several period types, and a DHIS2 data set has one: "
                    "2.43 refuses a payload holding periods of another type (E8021): give --periods TYPE, or -o FILE.json "
                    "for one file per type (FILE.year.json, ...)");
        bad = 1;
    }
    if (!bad && n_types > 1 && data_set) {
        ct_error_at(&ss.diags, NULL, 0, 0, "the values have several period types, and a DHIS2 data set has one: give "
                    "--periods TYPE with --data-set %s (DHIS2 2.43 refuses periods of another type, E8021)", data_set);
        bad = 1;
    }
    if (!bad && n_types > 1) {
        for (int t = 0; !bad && t < CT_PT_COUNT; t++) {
            if (!((types >> t) & 1)) continue;
            char *p = typed_path(out_path, (ct_ptype)t);
            if (!p) { bad = 1; break; }
            bad |= write_payload(&e, p, t, data_set, &ss.diags);
            if (!bad) fprintf(stderr, "chitieu export: %s\n", p);
            free(p);
        }
    } else if (!bad) {
        bad = write_payload(&e, a.out, -1, data_set, &ss.diags);
    }
    free(e.v);
    ct_strmap_free(&e.seen);
    ct_strmap_free(&e.shared);
    ct_arena_free(&e.arena);
    cli_args_free(&a);
    return cli_finish(&ss, bad);
}
