#include "cli_compare.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../compute/ct_bind.h"
#include "../model/ct_geo.h"

/* One row of the plan assessed as reported: the key that finds it again and
 * what a note needs. */
typedef struct {
    const ct_indicator *ind;
    const ct_target *target;
    int unit;
    char status[48];
    int has_value;
    ct_period period;
    double value;
} cmp_row;

struct cli_compare {
    cmp_row *rows;
    size_t n, cap;
    /* open addressing on (indicator, target, unit): each row of the real run
     * finds its counterpart in constant time (a national plan has tens of
     * thousands of rows; a scan per row was most of the comparison's cost) */
    size_t *slot; /* row index + 1; 0 is empty */
    size_t n_slot; /* a power of two */
    int oom;
    void (*then)(void *, ct_assessment *);
    void *then_ctx;
};

/* The value a status rests on: an evaluation's target year, else the latest. */
static void judged(const ct_assessment *a, int *has, ct_period *p, double *v)
{
    if (a->evaluated && !a->target->each_period) {
        *has = isfinite(a->year_value);
        *p = (ct_period){(short)a->target_year, CT_PT_YEAR, 0};
        *v = a->year_value;
        return;
    }
    *has = a->has_latest && isfinite(a->latest_value);
    *p = a->latest_period;
    *v = a->latest_value;
}

static int keep_row(const ct_assessment *a, void *ctx)
{
    cli_compare *c = ctx;
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 256;
        cmp_row *nr = realloc(c->rows, nc * sizeof *nr);
        if (!nr) { c->oom = 1; return 1; }
        c->rows = nr;
        c->cap = nc;
    }
    cmp_row *r = &c->rows[c->n++];
    r->ind = a->ind;
    r->target = a->target;
    r->unit = a->unit;
    snprintf(r->status, sizeof r->status, "%s", a->status ? a->status : "");
    /* an evaluation rests on the target year's value, monitoring on the latest */
    judged(a, &r->has_value, &r->period, &r->value);
    return 0;
}

static size_t row_hash(const ct_indicator *ind, const ct_target *t, int unit)
{
    uint64_t h = (uint64_t)(uintptr_t)ind * 0x9E3779B97F4A7C15u;
    h ^= (uint64_t)(uintptr_t)t + 0x632BE59BD9B4E019u + (h << 6) + (h >> 2);
    h ^= (uint64_t)(unsigned)unit * 0xC2B2AE3D27D4EB4Fu;
    h ^= h >> 29;
    return (size_t)h;
}

static int index_rows(cli_compare *c)
{
    size_t n = 16;
    while (n < c->n * 2) n *= 2;
    c->slot = calloc(n, sizeof *c->slot);
    if (!c->slot) return 1;
    c->n_slot = n;
    for (size_t i = 0; i < c->n; i++) {
        const cmp_row *r = &c->rows[i];
        size_t k = row_hash(r->ind, r->target, r->unit) & (n - 1);
        while (c->slot[k]) k = (k + 1) & (n - 1);
        c->slot[k] = i + 1;
    }
    return 0;
}

/* The first row kept for this key (the order of the scan it replaces). */
static const cmp_row *find_row(const cli_compare *c, const ct_assessment *a)
{
    if (!c->n_slot) return NULL;
    const cmp_row *best = NULL;
    size_t k = row_hash(a->ind, a->target, a->unit) & (c->n_slot - 1);
    for (; c->slot[k]; k = (k + 1) & (c->n_slot - 1)) {
        const cmp_row *r = &c->rows[c->slot[k] - 1];
        if (r->ind != a->ind || r->target != a->target || r->unit != a->unit) continue;
        if (!best || r < best) best = r;
    }
    return best;
}

ct_status cli_compare_new(cli_compare **out, cli_session *ss, size_t plan, const ct_compute_filter *f,
                          const ct_assess_options *opt)
{
    *out = NULL;
    ct_series *own = cli_session_series(ss, plan);
    if (own->geo_month == CT_GEO_AS_REPORTED || !ss->has_data) return CT_OK;
    ct_series *ar = cli_session_as_reported(ss);
    if (!ar) return CT_OK; /* the data could not be read again: no comparison (the first reading said why) */
    cli_compare *c = calloc(1, sizeof *c);
    if (!c) return CT_ENOMEM;
    ct_plan *p = ss->plans[plan];
    ct_diags scratch;
    ct_diags_init(&scratch);
    ct_status st = ct_bind_plan(p, ar, &scratch);
    if (st == CT_OK) {
        /* the built-in status on the units of each period; rules come after */
        ct_assess_options o = *opt;
        o.custom = NULL;
        o.custom_ctx = NULL;
        o.geography = ar->geography;
        if (ss->rules) { ct_rules_use_series(ss->rules, ar); ct_rules_plan_series(ss->rules, p, ar); }
        st = ct_assess_plan(p, ar, f, &o, keep_row, c);
        if (ss->rules) { ct_rules_use_series(ss->rules, own); ct_rules_plan_series(ss->rules, p, own); }
    }
    ct_status back = ct_bind_plan(p, own, &scratch);
    ct_diags_free(&scratch);
    if (c->oom || index_rows(c)) st = CT_ENOMEM;
    if (back == CT_ENOMEM) st = CT_ENOMEM;
    if (st == CT_ENOMEM) { cli_compare_free(c); return st; }
    c->then = opt->custom;
    c->then_ctx = opt->custom_ctx;
    *out = c;
    return CT_OK;
}

static void value_text(ct_lang lang, int has, ct_period p, double v, char *buf, size_t size)
{
    if (!has) { snprintf(buf, size, "%s", ct_msg(lang, CT_M_CMP_NO_VALUE)); return; }
    char pb[CT_PERIOD_BUF];
    ct_period_format(p, pb);
    snprintf(buf, size, "%s %.4g", pb, v);
}

void cli_compare_hook(void *ctx, ct_assessment *a)
{
    cli_compare *c = ctx;
    const cmp_row *r = a->status ? find_row(c, a) : NULL;
    if (r && strcmp(r->status, a->status) != 0) {
        char own[64], ar[64];
        int has;
        ct_period p;
        double v;
        judged(a, &has, &p, &v);
        value_text(a->lang, has, p, v, own, sizeof own);
        value_text(a->lang, r->has_value, r->period, r->value, ar, sizeof ar);
        size_t len = strlen(a->note);
        snprintf(a->note + len, sizeof a->note - len,
                 ct_msg(a->lang, CT_M_CMP_DEPENDS_ON_MAP),
                 len ? "; " : "", ct_assess_status_label(a->status, a->lang), own, a->geography ? a->geography : "",
                 ct_assess_status_label(r->status, a->lang), ar);
    }
    if (c->then) c->then(c->then_ctx, a);
}

void cli_compare_free(cli_compare *c)
{
    if (!c) return;
    free(c->rows);
    free(c->slot);
    free(c);
}
