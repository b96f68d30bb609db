/* ct_compute_plan streams its rows without holding a grid (only the units
 * above the base level have accumulators; base cells are made as they are
 * written); ct_compute_grid keeps the whole-hierarchy computation. The two
 * must give the same cells, bit for bit, in the same order: on a large
 * made-up province (enough work for the second thread, decimal values whose
 * sums depend on the order of addition), on the bundled plans, and on the
 * geography worked example (a closed province, a closed commune as region). */
#define _DEFAULT_SOURCE
#include <stdlib.h>
#include <unistd.h>

#include "compute/ct_bind.h"
#include "compute/ct_compute.h"
#include "load/ct_data.h"
#include "load/ct_dict.h"
#include "load/ct_plan.h"
#include "load/ct_succ.h"
#include "load/ct_units.h"
#include "model/ct_geo.h"
#include "test.h"

static char dir[64];

typedef struct {
    ct_row *rows;
    size_t n, cap;
} rows;

static int keep_row(const ct_row *r, void *ctx)
{
    rows *k = ctx;
    if (k->n == k->cap) {
        size_t cap = k->cap ? 2 * k->cap : 1024;
        ct_row *p = realloc(k->rows, cap * sizeof *p);
        if (!p) return 1;
        k->rows = p;
        k->cap = cap;
    }
    k->rows[k->n++] = *r;
    return 0;
}

static int same_cell(const ct_cell *a, const ct_cell *b)
{
    return memcmp(&a->value, &b->value, sizeof a->value) == 0 && memcmp(&a->num, &b->num, sizeof a->num) == 0 &&
           memcmp(&a->den, &b->den, sizeof a->den) == 0 && a->reported == b->reported &&
           a->expected == b->expected && a->flags == b->flags;
}

/* Every row of ct_compute_plan against the grids of its indicators, in order. */
static void check_plan(const ct_plan *plan, const ct_series *s, const ct_compute_filter *f, const char *what)
{
    rows got = {0};
    CHECK_INT(ct_compute_plan(plan, s, f, keep_row, &got), CT_OK);
    size_t at = 0, bad = 0;
    for (size_t i = 0; i < plan->n_indicators; i++) {
        const ct_indicator *ind = &plan->indicators[i];
        ct_grid g;
        CHECK_INT(ct_compute_grid(plan, ind, s, f, &g), CT_OK);
        for (int u = 0; u < g.n_units; u++)
            for (int j = 0; j < g.n_periods; j++, at++) {
                const ct_cell *want = &g.cells[(size_t)u * (size_t)g.n_periods + (size_t)j];
                if (at >= got.n) { bad++; continue; }
                const ct_row *r = &got.rows[at];
                if (r->ind != ind || r->unit != g.units[u] || ct_period_cmp(r->period, g.periods[j]) != 0 ||
                    !same_cell(&r->cell, want)) {
                    if (!bad)
                        fprintf(stderr, "%s: %s, unit %s, row %zu: streamed %.17g (%.17g / %.17g, %d of %d, flags %u), "
                                "grid %.17g (%.17g / %.17g, %d of %d, flags %u)\n", what, ind->id, s->code[g.units[u]], at,
                                r->cell.value, r->cell.num, r->cell.den, r->cell.reported, r->cell.expected, r->cell.flags,
                                want->value, want->num, want->den, want->reported, want->expected, want->flags);
                    bad++;
                }
            }
        ct_grid_free(&g);
    }
    if (bad) fprintf(stderr, "%s: %zu of %zu rows differ\n", what, bad, at);
    CHECK_INT(bad, 0);
    CHECK_INT(got.n, at);
    free(got.rows);
}

/* Loads plans and a data folder as the command line does, on geography geo. */
static int load(ct_series *s, ct_plan **plans, size_t n, char **paths, const char *data, int geo, ct_diags *d)
{
    char units[256], obs[256], dict[256], succ[256];
    snprintf(units, sizeof units, "%s/units.csv", data);
    snprintf(obs, sizeof obs, "%s/observations.csv", data);
    snprintf(dict, sizeof dict, "%s/metrics.csv", data);
    snprintf(succ, sizeof succ, "%s/successions.csv", data);
    ct_series_init(s);
    ct_status st;
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        plans[i] = ct_plan_load(paths[i], d, &st);
        ok &= st == CT_OK;
    }
    ok &= ct_units_load(s, units, d) == CT_OK;
    if (access(dict, R_OK) == 0) ok &= ct_dict_load(s, dict, d) == CT_OK;
    if (access(succ, R_OK) == 0) ok &= ct_succ_load(s, succ, d) == CT_OK;
    for (size_t i = 0; i < n; i++) ok &= ct_bind_declare(plans[i], s, d) == CT_OK;
    ok &= ct_data_load_observations(s, obs, d) == CT_OK;
    ok &= ct_geo_apply(s, geo, d) == CT_OK;
    for (size_t i = 0; i < n; i++) ok &= ct_bind_plan(plans[i], s, d) == CT_OK;
    if (!ok)
        for (size_t i = 0; i < d->n; i++) fprintf(stderr, "%s: %s\n", data, d->items[i].msg);
    return ok;
}

/* Each plan alone and every level filter, on geography geo. */
static void check_folder(char **paths, size_t n, const char *data, int geo, const char *what)
{
    ct_series s;
    ct_plan *plans[8] = {0};
    ct_diags d;
    ct_diags_init(&d);
    int ok = load(&s, plans, n, paths, data, geo, &d);
    CHECK(ok);
    for (size_t i = 0; ok && i < n; i++) {
        ct_compute_filter f = {-1, -1, -1};
        char label[300];
        snprintf(label, sizeof label, "%s, %s", what, paths[i]);
        check_plan(plans[i], &s, &f, label);
        for (int l = 0; l < s.n_levels; l++) {
            f.level = l;
            check_plan(plans[i], &s, &f, label);
        }
        f.level = -1;
        f.finest = CT_PT_YEAR;
        check_plan(plans[i], &s, &f, label);
    }
    for (size_t i = 0; i < n; i++) ct_plan_free(plans[i]);
    ct_series_free(&s);
    ct_diags_free(&d);
}

static unsigned long long rng = 88172645463325252ull;

static unsigned next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng >> 11);
}

/* A province of 12 districts and 2,400 communes, monthly for three years
 * (2,400 communes x 57 periods: the second thread helps), some communes
 * closing or opening on the way, decimal values, and a plan of every kind. */
static void test_large(void)
{
    char p[128];
    snprintf(p, sizeof p, "%s/units.csv", dir);
    FILE *f = fopen(p, "wb");
    fprintf(f, "code,name,level,parent,valid_from,valid_to,high_risk\n01,P,province,,,,\n");
    for (int k = 0; k < 12; k++) fprintf(f, "%03d,D%d,district,01,,,%d\n", k + 1, k, k % 3 == 0);
    for (int c = 0; c < 2400; c++) {
        const char *from = c % 97 == 5 ? "2021-07" : "", *to = c % 89 == 3 ? "2022-02" : "";
        fprintf(f, "%05d,C%d,commune,%03d,%s,%s,%d\n", c + 1, c, c % 12 + 1, from, to, c % 5 == 0);
    }
    fclose(f);
    snprintf(p, sizeof p, "%s/observations.csv", dir);
    f = fopen(p, "wb");
    fprintf(f, "unit,period,metric,value\n");
    for (int y = 2020; y <= 2022; y++)
        for (int m = 1; m <= 12; m++) {
            for (int c = 0; c < 2400; c++) {
                int month = y * 12 + m - 1;
                if (c % 97 == 5 && month < 2021 * 12 + 6) continue; /* not open yet */
                if (c % 89 == 3 && month > 2022 * 12 + 1) continue;  /* closed */
                if (next() % 10 == 0) continue; /* some months unreported */
                fprintf(f, "%05d,%d-%02d,clean,%u\n", c + 1, y, m, next() % 3 != 0);
                fprintf(f, "%05d,%d-%02d,cases,%u\n", c + 1, y, m, next() % 4);
                fprintf(f, "%05d,%d-%02d,spent,%u.%u\n", c + 1, y, m, next() % 50, next() % 1000);
                fprintf(f, "%05d,%d-%02d,budget,%u.%u\n", c + 1, y, m, 50 + next() % 50, next() % 1000);
            }
            for (int k = 0; k < 12; k++) fprintf(f, "%03d,%d-%02d,visits,%u\n", k + 1, y, m, next() % 3);
        }
    fclose(f);
    snprintf(p, sizeof p, "%s/plan.yaml", dir);
    f = fopen(p, "wb");
    fputs("plan:\n  id: large\n  title: Large\n  region: \"01\"\n"
          "metrics:\n"
          "  clean:  {level: commune, type: boolean, over_time: last}\n"
          "  cases:  {level: commune, type: count, over_time: sum}\n"
          "  spent:  {level: commune, type: number, over_time: sum}\n"
          "  budget: {level: commune, type: number, over_time: sum}\n"
          "  visits: {level: district, type: count, over_time: sum}\n"
          "indicators:\n"
          "  - {id: clean_pct, kind: share_of_units, of: commune, condition: \"clean == 1\", missing: as_not_met}\n"
          "  - {id: clean_risk, kind: share_of_units, of: commune, condition: \"clean == 1 and cases < 2\", among: \"high_risk == 1\"}\n"
          "  - {id: clean_count, kind: count_of_units, of: commune, condition: \"clean == 1\"}\n"
          "  - {id: cleaned, kind: transition_rate, of: commune, from: \"clean == 0\", to: \"clean == 1\"}\n"
          "  - {id: spent_pct, kind: ratio, numerator: spent, denominator: budget}\n"
          "  - {id: spent_total, kind: sum, metric: spent}\n"
          "  - {id: cases_total, kind: sum, metric: cases}\n"
          "  - {id: visited, kind: frequency, metric: visits, per: month}\n", f);
    fclose(f);
    char *paths[] = {p};
    check_folder(paths, 1, dir, CT_GEO_DEFAULT, "large province");
    snprintf(p, sizeof p, "%s/units.csv", dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/observations.csv", dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/plan.yaml", dir);
    unlink(p);
}

static void test_bundled(void)
{
    char *plans[] = {"../indicators/ha-noi-2024.yaml", "../indicators/hau-giang-2021-2025.yaml",
                     "../indicators/national-2021-2025.yaml", "../indicators/phu-tho-2015.yaml",
                     "../indicators/thanh-hoa-2016-2020.yaml"};
    check_folder(plans, 5, "../data", CT_GEO_DEFAULT, "bundled");
    check_folder(plans, 5, "../data", CT_GEO_AS_REPORTED, "bundled, as reported");
}

static void test_geography(void)
{
    char *plans[] = {"../docs/examples/geography/hau-giang.yaml", "../docs/examples/geography/can-tho.yaml"};
    check_folder(plans, 2, "../docs/examples/geography/data", CT_GEO_DEFAULT, "geography");
    check_folder(plans, 2, "../docs/examples/geography/data", CT_GEO_AS_REPORTED, "geography, as reported");
    char *closed[] = {"golden/cases/geo_closed_commune_region/plan.yaml"};
    check_folder(closed, 1, "golden/cases/geo_closed_commune_region/data", CT_GEO_DEFAULT, "closed commune");
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/ct_compute_XXXXXX");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 2; }
    test_large();
    test_bundled();
    test_geography();
    rmdir(dir);
    return test_report("test_compute");
}
