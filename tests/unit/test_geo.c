/* One geography: codes resolved by period, values carried through
 * successions by each merge rule, partial data, part weights, approximate
 * values, and nothing carried without successions. Expected values by hand. */
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include "load/ct_data.h"
#include "load/ct_plan.h"
#include "load/ct_succ.h"
#include "model/ct_geo.h"
#include "model/ct_series.h"
#include "test.h"

static char dir[64];
static char units_path[128], obs_path[128], succ_path[128];

/* Three old communes A (10001), B (10002), C (10003) until 2025S1; from
 * 2025S2 the code 10001 names X, made of all of A and B, and 10009 names Y,
 * made of 40 % of C; the rest of C goes to X with no weight given. */
static const char *units_csv =
    "code,name,level,parent,valid_from,valid_to\n"
    "01,P,province,,,\n"
    "10001,A,commune,01,,2025S1\n"
    "10002,B,commune,01,,2025S1\n"
    "10003,C,commune,01,,2025S1\n"
    "10001,X,commune,01,2025S2,\n"
    "10009,Y,commune,01,2025S2,\n";

static const char *succ_csv =
    "period,from,to,kind,weight\n"
    "2025S2,10001,10001,whole,\n"
    "2025S2,10002,10001,whole,\n"
    "2025S2,10003,10009,part,0.4\n"
    "2025S2,10003,10001,part,\n";

/* clean (all), hot (any), n (sum), avg (mean), top (max), low (min) */
static const char *obs_csv =
    "unit,period,metric,value\n"
    "10001,2024S1,clean,1\n10002,2024S1,clean,1\n10003,2024S1,clean,0\n"
    "10001,2024S2,clean,0\n10003,2024S2,clean,1\n"          /* B missing: X's all is 0 anyway */
    "10001,2025S1,clean,1\n10003,2025S1,clean,1\n"          /* B missing: X unknown */
    "10001,2024S1,hot,0\n10002,2024S1,hot,0\n10003,2024S1,hot,1\n"
    "10001,2024S2,hot,1\n"                                  /* B, C missing: X's any is 1 */
    "10001,2024S1,n,4\n10002,2024S1,n,6\n10003,2024S1,n,10\n"
    "10001,2025S2,n,3\n10009,2025S2,n,2\n"
    "10001,2024S1,avg,2\n10002,2024S1,avg,4\n10003,2024S1,avg,9\n"
    "10001,2024S1,top,2\n10002,2024S1,top,4\n10003,2024S1,top,9\n"
    "10001,2024S1,low,2\n10002,2024S1,low,4\n10003,2024S1,low,9\n";

static ct_period P(const char *t)
{
    ct_period p = {0, 0, 0};
    if (ct_period_parse(t, strlen(t), &p) != 0) { fprintf(stderr, "bad period %s\n", t); exit(2); }
    return p;
}

/* The unit with this code valid at the period's end. */
static int U(const ct_series *s, const char *code, const char *period)
{
    return ct_series_unit_at(s, code, strlen(code), ct_period_last_month(P(period)));
}

static double V(const ct_series *s, const char *metric, const char *code, const char *unit_at, const char *period)
{
    int m = ct_series_metric(s, metric, strlen(metric)), u = U(s, code, unit_at);
    if (m < 0 || u < 0) { fprintf(stderr, "no metric %s or unit %s\n", metric, code); return -12345; }
    return ct_series_value(s, m, u, P(period));
}

static void load(ct_series *s, ct_diags *d, int with_succ, const char *merge_clean)
{
    ct_series_init(s);
    ct_diags_init(d);
    CHECK_INT(ct_units_load(s, units_path, d), CT_OK);
    if (with_succ) CHECK_INT(ct_succ_load(s, succ_path, d), CT_OK);
    int mclean = merge_clean ? ct_merge_parse(merge_clean, strlen(merge_clean)) : -1;
    ct_series_declare_metric(s, "clean", "commune", CT_MT_BOOLEAN, CT_OT_LAST, mclean, "t.yaml", 1, 1, d);
    ct_series_declare_metric(s, "hot", "commune", CT_MT_BOOLEAN, CT_OT_MAX, CT_MG_ANY, "t.yaml", 2, 1, d);
    ct_series_declare_metric(s, "n", "commune", CT_MT_COUNT, CT_OT_SUM, -1, "t.yaml", 3, 1, d);
    ct_series_declare_metric(s, "avg", "commune", CT_MT_NUMBER, CT_OT_LAST, CT_MG_MEAN, "t.yaml", 4, 1, d);
    ct_series_declare_metric(s, "top", "commune", CT_MT_NUMBER, CT_OT_LAST, CT_MG_MAX, "t.yaml", 5, 1, d);
    ct_series_declare_metric(s, "low", "commune", CT_MT_NUMBER, CT_OT_LAST, CT_MG_MIN, "t.yaml", 6, 1, d);
    CHECK_INT(ct_data_load_observations(s, obs_path, d), CT_OK);
}

static void test_reused_codes(void)
{
    ct_series s;
    ct_diags d;
    load(&s, &d, 0, "all");
    CHECK_INT(ct_geo_apply(&s, CT_GEO_DEFAULT, &d), CT_OK);
    CHECK_STR(s.geography, "as-reported"); /* no successions: nothing carried */
    int a = U(&s, "10001", "2024S1"), x = U(&s, "10001", "2025S2");
    CHECK(a >= 0 && x >= 0 && a != x);
    CHECK_STR(s.name[a], "A");
    CHECK_STR(s.name[x], "X");
    CHECK(s.reused[a] && s.reused[x] && !s.reused[U(&s, "10002", "2024S1")]);
    CHECK_STR(s.valid_to_text[a], "2025S1");
    CHECK_STR(s.valid_from_text[x], "2025S2");
    CHECK_INT(ct_series_unit_during(&s, "10001", 5, ct_period_first_month(P("2025")), ct_period_last_month(P("2025"))), -2);
    /* observations went to the unit valid in their period */
    CHECK_NUM(V(&s, "n", "10001", "2024S1", "2024S1"), 4, 0);
    CHECK_NUM(V(&s, "n", "10001", "2025S2", "2025S2"), 3, 0);
    CHECK(isnan(V(&s, "n", "10001", "2025S2", "2024S1")));
    ct_series_free(&s);
    ct_diags_free(&d);
}

static void test_carry(void)
{
    ct_series s;
    ct_diags d;
    load(&s, &d, 1, "all");
    CHECK_INT(s.n_links, 4);
    CHECK_INT(ct_geo_apply(&s, CT_GEO_DEFAULT, &d), CT_OK);
    CHECK_INT(d.n_errors, 0);
    CHECK_STR(s.geography, "2025S2");
    /* all: X = A and B (C's rest too, a part read as it is) */
    CHECK_NUM(V(&s, "clean", "10001", "2025S2", "2024S1"), 0, 0);   /* C was 0 */
    CHECK_NUM(V(&s, "clean", "10001", "2025S2", "2024S2"), 0, 0);   /* A 0: B's gap cannot change it */
    CHECK(isnan(V(&s, "clean", "10001", "2025S2", "2025S1")));      /* A, C 1, B missing: unknown */
    CHECK_NUM(V(&s, "clean", "10009", "2025S2", "2024S1"), 0, 0);   /* Y: C */
    CHECK_NUM(V(&s, "clean", "10009", "2025S2", "2025S1"), 1, 0);
    /* any */
    CHECK_NUM(V(&s, "hot", "10001", "2025S2", "2024S1"), 1, 0);
    CHECK_NUM(V(&s, "hot", "10001", "2025S2", "2024S2"), 1, 0);     /* A 1: the gaps cannot change it */
    /* sum: X = 4 + 6 + 60 % of 10 (the share the known weight leaves), approximate; Y = 40 % of 10 */
    CHECK_NUM(V(&s, "n", "10001", "2025S2", "2024S1"), 16, 1e-9);
    CHECK_NUM(V(&s, "n", "10009", "2025S2", "2024S1"), 4, 1e-9);
    int mn = ct_series_metric(&s, "n", 1);
    CHECK(ct_geo_approx(&s, mn, U(&s, "10001", "2025S2"), P("2024S1")));
    CHECK(ct_geo_approx(&s, mn, U(&s, "10001", "2025S2"), P("2024")));  /* rolled up, still approximate */
    CHECK(!ct_geo_approx(&s, mn, U(&s, "10009", "2025S2"), P("2024S1")));
    CHECK(!ct_geo_approx(&s, mn, U(&s, "10001", "2025S2"), P("2025S2")));
    CHECK_NUM(V(&s, "n", "10001", "2025S2", "2024"), 16, 1e-9);
    CHECK_NUM(V(&s, "n", "10001", "2025S2", "2025"), 3, 1e-9);        /* 2025S1 has no data */
    /* mean, max, min over A, B, C */
    CHECK_NUM(V(&s, "avg", "10001", "2025S2", "2024S1"), 5, 1e-9);
    CHECK_NUM(V(&s, "top", "10001", "2025S2", "2024S1"), 9, 0);
    CHECK_NUM(V(&s, "low", "10001", "2025S2", "2024S1"), 2, 0);
    /* the geography's units are valid from the start (their predecessors'
     * data are theirs); the old ones keep their own validity but are not of
     * the geography (only a closed region's own figures are read from them) */
    CHECK(ct_series_unit_valid(&s, U(&s, "10001", "2025S2"), P("2016")));
    CHECK(ct_series_unit_valid(&s, U(&s, "10002", "2024S1"), P("2024S1")));
    CHECK(!ct_series_unit_valid(&s, U(&s, "10002", "2024S1"), P("2025S2")));
    CHECK(!ct_geo_in(&s, U(&s, "10002", "2024S1")));
    CHECK(!ct_geo_in(&s, U(&s, "10003", "2024S1")));
    ct_series_free(&s);
    ct_diags_free(&d);
}

static void test_as_reported_and_merge_needed(void)
{
    ct_series s;
    ct_diags d;
    load(&s, &d, 1, "all");
    CHECK_INT(ct_geo_apply(&s, CT_GEO_AS_REPORTED, &d), CT_OK);
    CHECK_STR(s.geography, "as-reported");
    CHECK_NUM(V(&s, "n", "10001", "2024S1", "2024S1"), 4, 0);      /* A's own */
    CHECK(isnan(V(&s, "n", "10001", "2025S2", "2024S1")));
    ct_series_free(&s);
    ct_diags_free(&d);

    load(&s, &d, 1, NULL); /* clean has no merge rule and must cross */
    CHECK_INT(ct_geo_apply(&s, CT_GEO_DEFAULT, &d), CT_EINPUT);
    CHECK(DIAGS_HAVE(d, "metric 'clean' needs an explicit merge (any or all)"));
    ct_series_free(&s);
    ct_diags_free(&d);

    int month = 0;
    CHECK_INT(ct_geo_parse("2025S1", &month), 0);
    CHECK_INT(month, ct_period_last_month(P("2025S1")));
    CHECK_INT(ct_geo_parse("as-reported", &month), 0);
    CHECK_INT(month, CT_GEO_AS_REPORTED);
    CHECK_INT(ct_geo_parse("2025H2", &month), -1);
}

/* A plan's own map: the last month of data up to the end of its last year,
 * or the last month its region existed; on the map of 2025S1 the old
 * communes are valid until they closed, and a unit that passed into another
 * at 2025S2 has only the first half of 2025. */
static void test_plan_map(void)
{
    ct_series s;
    ct_diags d;
    load(&s, &d, 1, "all");
    int end = ct_period_last_month(P("2025S2"));
    CHECK_INT(ct_geo_plan_month(&s, NULL, 0), end);                      /* the root: the data's end */
    CHECK_INT(ct_geo_plan_month(&s, "01", 2024), ct_period_last_month(P("2024S2"))); /* its last year */
    CHECK_INT(ct_geo_plan_month(&s, "01", 2030), end);
    CHECK_INT(ct_geo_plan_month(&s, "10002", 2025), ct_period_last_month(P("2025S1"))); /* B closed */
    CHECK_INT(ct_geo_plan_month(&s, "10001", 2025), end);                /* the code is X's by then */
    CHECK_INT(ct_geo_apply(&s, ct_geo_plan_month(&s, "10002", 2025), &d), CT_OK);
    CHECK_STR(s.geography, "2025S1");
    int b = U(&s, "10002", "2024S1");
    CHECK(ct_geo_in(&s, b));
    CHECK(ct_series_unit_valid(&s, b, P("2016")));
    CHECK(ct_series_unit_valid(&s, b, P("2025S1")));
    CHECK(!ct_series_unit_valid(&s, b, P("2025S2")));
    CHECK(ct_series_unit_valid(&s, b, P("2025")));
    CHECK(!ct_geo_in(&s, U(&s, "10001", "2025S2")));                    /* later units: not carried back */
    CHECK_NUM(V(&s, "n", "10001", "2024S1", "2025"), NAN, 0);
    ct_series_free(&s);
    ct_diags_free(&d);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/ct_geo_XXXXXX");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 2; }
    snprintf(units_path, sizeof units_path, "%s/units.csv", dir);
    snprintf(obs_path, sizeof obs_path, "%s/observations.csv", dir);
    snprintf(succ_path, sizeof succ_path, "%s/successions.csv", dir);
    test_write_text(units_path, units_csv);
    test_write_text(obs_path, obs_csv);
    test_write_text(succ_path, succ_csv);
    test_reused_codes();
    test_carry();
    test_as_reported_and_merge_needed();
    test_plan_map();
    unlink(units_path);
    unlink(obs_path);
    unlink(succ_path);
    rmdir(dir);
    return test_report("test_geo");
}
