/* The data folder: units.csv, observations.csv, roll-ups, and indicator cells by hand. */
#include <stdlib.h>
#include <unistd.h>

#include "compute/ct_compute.h"
#include "compute/ct_bind.h"
#include "load/ct_data.h"
#include "load/ct_plan.h"
#include "model/ct_series.h"
#include "test.h"

static char dir[64];
static char units_path[128], obs_path[128], plan_path[128];

/* Units: the province 01 (no parent: under the implicit root VN), two
 * districts and three communes; 00001 stops after 2017S1, 00004 starts in
 * July 2016. high_risk is numeric; note has a non-number on line 4. */
static const char *units_csv =
    "code,name,level,parent,valid_from,valid_to,high_risk,note\n"  /* 1 */
    "01,H\xC3\xA0 N\xE1\xBB\x99i,province,,,,1,\n"                 /* 2 */
    "001,Ba \xC4\x90\xC3\xACnh,district,01,,,0,5\n"                /* 3 */
    "00001,Ph\xC3\xBA" "c X\xC3\xA1,commune,001,,2017S1,1,abc\n"   /* 4 */
    "00004,Tr\xC3\xBA" "c B\xE1\xBA\xA1" "ch,commune,001,2016-07,,,\n" /* 5 */
    "002,Ho\xC3\xA0n Ki\xE1\xBA\xBFm,district,01,,,,zz\n"          /* 6 */
    "00037,\"Ph\xC3\xBA" "c T\xC3\xA2n, ph\xC6\xB0\xE1\xBB\x9Dng\",commune,002,,,1,\n"; /* 7 */

static ct_period P(const char *s)
{
    ct_period p = {0, 0, 0};
    if (ct_period_parse(s, strlen(s), &p) != 0) { fprintf(stderr, "bad period in test: %s\n", s); exit(2); }
    return p;
}

static int U(const ct_series *s, const char *code) { return ct_series_unit(s, code, strlen(code)); }
static int M(const ct_series *s, const char *name) { return ct_series_metric(s, name, strlen(name)); }

static double V(const ct_series *s, const char *metric, const char *unit, const char *period)
{
    int m = M(s, metric), u = U(s, unit);
    if (m < 0 || u < 0) { fprintf(stderr, "no metric %s or unit %s\n", metric, unit); return -12345; }
    return ct_series_value(s, m, u, P(period));
}

static void declare_all(ct_series *s, ct_diags *d)
{
    ct_series_declare_metric(s, "is_clean", "commune", CT_MT_BOOLEAN, CT_OT_LAST, -1, "t.yaml", 1, 1, d);
    ct_series_declare_metric(s, "hot", "commune", CT_MT_COUNT, CT_OT_SUM, -1, "t.yaml", 2, 1, d);
    ct_series_declare_metric(s, "peak", "commune", CT_MT_NUMBER, CT_OT_MAX, -1, "t.yaml", 3, 1, d);
    ct_series_declare_metric(s, "low", "commune", CT_MT_NUMBER, CT_OT_MIN, -1, "t.yaml", 4, 1, d);
    ct_series_declare_metric(s, "avg", "commune", CT_MT_NUMBER, CT_OT_MEAN, -1, "t.yaml", 5, 1, d);
    ct_series_declare_metric(s, "staff_trained", "district", CT_MT_COUNT, CT_OT_LAST, -1, "t.yaml", 6, 1, d);
    ct_series_declare_metric(s, "staff_total", "district", CT_MT_COUNT, CT_OT_LAST, -1, "t.yaml", 7, 1, d);
}

static void test_units(void)
{
    ct_series s;
    ct_diags d;
    ct_series_init(&s);
    ct_diags_init(&d);
    CHECK_INT(ct_units_load(&s, units_path, &d), CT_OK);
    CHECK_INT(d.n_errors, 0);
    CHECK_INT(s.n_units, 7);   /* six rows and the implicit root */
    CHECK_INT(s.implicit_root, 1);
    CHECK(s.root >= 0 && strcmp(s.code[s.root], "VN") == 0);
    CHECK_STR(s.level_name[s.level[s.root]], "national");
    CHECK_INT(U(&s, "VN"), s.root);
    /* codes kept as text with their leading zeros */
    int p01 = U(&s, "01"), d001 = U(&s, "001"), c1 = U(&s, "00001"), c4 = U(&s, "00004"), c37 = U(&s, "00037");
    int d002 = U(&s, "002");
    CHECK(p01 >= 0 && d001 >= 0 && c1 >= 0 && c4 >= 0 && c37 >= 0 && d002 >= 0);
    CHECK_INT(U(&s, "1"), -1);
    CHECK_INT(U(&s, "00001 "), -1);
    CHECK_INT(U(&s, "4"), -1);
    if (p01 < 0 || d001 < 0 || c1 < 0 || c4 < 0 || c37 < 0 || d002 < 0) { ct_series_free(&s); ct_diags_free(&d); return; }
    CHECK_STR(s.code[p01], "01");
    CHECK_STR(s.code[c1], "00001");
    CHECK_STR(s.name[p01], "H\xC3\xA0 N\xE1\xBB\x99i");
    CHECK_STR(s.name[c37], "Ph\xC3\xBA" "c T\xC3\xA2n, ph\xC6\xB0\xE1\xBB\x9Dng");
    CHECK_INT(s.parent[p01], s.root);
    CHECK_INT(s.parent[d001], p01);
    CHECK_INT(s.parent[c1], d001);
    CHECK_INT(s.parent[c37], d002);
    CHECK_INT(s.line[c1], 4);
    CHECK_INT(s.depth[c1], 3);
    CHECK_INT(s.depth[s.root], 0);
    CHECK_STR(s.level_name[s.level[c4]], "commune");
    CHECK_INT(ct_series_level(&s, "district"), s.level[d001]);
    CHECK_INT(ct_series_level(&s, "ward"), -1);
    CHECK_INT(s.level_size[s.level[c1]], 3);
    CHECK_INT(s.level_size[s.level[d001]], 2);
    CHECK(ct_series_in_subtree(&s, c37, d002));
    CHECK(!ct_series_in_subtree(&s, c37, d001));
    CHECK(ct_series_in_subtree(&s, c1, s.root));
    CHECK(ct_series_in_subtree(&s, c1, c1));

    /* valid_from / valid_to */
    CHECK_INT(ct_series_unit_valid(&s, c1, P("2016")), 1);
    CHECK_INT(ct_series_unit_valid(&s, c1, P("2017S1")), 1);
    CHECK_INT(ct_series_unit_valid(&s, c1, P("2017")), 1);      /* overlaps */
    CHECK_INT(ct_series_unit_valid(&s, c1, P("2017S2")), 0);
    CHECK_INT(ct_series_unit_valid(&s, c1, P("2017-07")), 0);
    CHECK_INT(ct_series_unit_valid(&s, c1, P("2017-06")), 1);
    CHECK_INT(ct_series_unit_valid(&s, c4, P("2016-06")), 0);
    CHECK_INT(ct_series_unit_valid(&s, c4, P("2016S1")), 0);
    CHECK_INT(ct_series_unit_valid(&s, c4, P("2016-07")), 1);
    CHECK_INT(ct_series_unit_valid(&s, c4, P("2016")), 1);
    CHECK_INT(ct_series_unit_valid(&s, c4, P("2015")), 0);
    CHECK_INT(ct_series_unit_valid(&s, c37, P("1990")), 1);

    /* attributes */
    CHECK_INT(s.n_attrs, 2);
    int hr = ct_series_attr(&s, "high_risk"), note = ct_series_attr(&s, "note");
    CHECK(hr >= 0 && note >= 0);
    CHECK_INT(ct_series_attr(&s, "code"), -1);
    CHECK_INT(ct_series_attr(&s, "valid_to"), -1);
    if (hr >= 0 && note >= 0) {
        size_t nu = (size_t)s.n_units;
        CHECK_NUM(s.attr[(size_t)hr * nu + (size_t)p01], 1, 0);
        CHECK_NUM(s.attr[(size_t)hr * nu + (size_t)d001], 0, 0);
        CHECK_NUM(s.attr[(size_t)hr * nu + (size_t)c1], 1, 0);
        CHECK(isnan(s.attr[(size_t)hr * nu + (size_t)c4]));
        CHECK(isnan(s.attr[(size_t)hr * nu + (size_t)s.root]));
        CHECK_INT(s.attr_bad_line[hr], 0);
        CHECK_NUM(s.attr[(size_t)note * nu + (size_t)d001], 5, 0);
        CHECK(isnan(s.attr[(size_t)note * nu + (size_t)c1]));
        CHECK_INT(s.attr_bad_line[note], 4);     /* the first non-number */
        CHECK_STR(s.attr_bad_text[note], "abc");
    }
    ct_series_free(&s);
    ct_diags_free(&d);
}

static void test_units_errors(void)
{
    static const struct { const char *csv; const char *msg; int line; } cases[] = {
        {"code,name,level,parent\n01,A,province,\n02,B,province,\n01,C,province,\n", "appears twice with overlapping validity (first at line 2)", 4},
        {"code,name,level,parent\n01,A,province,\n011,B,district,09\n", "parent '09'", 3},
        {"code,name,level\n01,A,province\n", "missing column 'parent'", 1},
        {"code,name,level,parent,valid_from\n01,A,province,,2016S3\n", "2016S3", 2},
        {"code,name,level,parent,valid_from,valid_to\n01,A,province,,2017,2016\n", "valid_from is after valid_to", 2},
        {"code,name,level,parent\n01,A,province,\n011,B,province,01\n", "the same as its parent", 3},
        {"code,name,level,parent\n01,A,province,\n011,B,district\n", "3 fields where the header has 4", 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        test_write_text(units_path, cases[i].csv);
        ct_series s;
        ct_diags d;
        ct_series_init(&s);
        ct_diags_init(&d);
        ct_status st = ct_units_load(&s, units_path, &d);
        const ct_diag *found = NULL;
        for (size_t k = 0; k < d.n; k++)
            if (strstr(d.items[k].msg, cases[i].msg)) found = &d.items[k];
        if (st != CT_EINPUT || !found || found->line != cases[i].line) {
            fprintf(stderr, "units case %zu: expected an error at line %d containing \"%s\"; status %d, %zu errors:\n",
                    i, cases[i].line, cases[i].msg, st, d.n_errors);
            for (size_t k = 0; k < d.n; k++) fprintf(stderr, "    %d: %s\n", d.items[k].line, d.items[k].msg);
        }
        CHECK_INT(st, CT_EINPUT);
        CHECK(found && found->line == cases[i].line && strcmp(found->file, units_path) == 0);
        ct_series_free(&s);
        ct_diags_free(&d);
    }

    /* a single national unit is the root, no VN is added */
    test_write_text(units_path, "code,name,level,parent\nVN0,Vi\xE1\xBB\x87t Nam,national,\n01,A,province,VN0\n");
    ct_series s;
    ct_diags d;
    ct_series_init(&s);
    ct_diags_init(&d);
    CHECK_INT(ct_units_load(&s, units_path, &d), CT_OK);
    CHECK_INT(s.n_units, 2);
    CHECK_INT(s.implicit_root, 0);
    CHECK(s.root >= 0 && strcmp(s.code[s.root], "VN0") == 0);
    CHECK_INT(U(&s, "VN"), -1);
    ct_series_free(&s);
    ct_diags_free(&d);

    /* a missing file */
    ct_series_init(&s);
    ct_diags_init(&d);
    CHECK_INT(ct_units_load(&s, "/tmp/ct_data_no_such_dir/units.csv", &d), CT_EIO);
    CHECK_INT(d.n_errors, 1);
    ct_series_free(&s);
    ct_diags_free(&d);
    test_write_text(units_path, units_csv);
}

/* Observations with every roll-up rule. */
static const char *obs_csv =
    "unit,period,metric,value\n"        /*  1 */
    "00001,2015,is_clean,0\n"           /*  2 */
    "00037,2015,is_clean,0\n"           /*  3 */
    "00001,2016S1,is_clean,0\n"         /*  4 */
    "00001,2016S2,is_clean,1\n"         /*  5 */
    "00004,2016S2,is_clean,1\n"         /*  6 */
    "00037,2016S1,is_clean,0\n"         /*  7 */
    "00037,2016S2,is_clean,0\n"         /*  8 */
    "00004,2016S1,is_clean,\n"          /*  9: no data */
    "00001,2016-01,hot,2\n"             /* 10 */
    "00001,201602,hot,3\n"              /* 11 */
    "00001,2016-11,hot,5\n"             /* 12 */
    "00037,2016,hot,7\n"                /* 13: the year's own value wins */
    "00037,2016-01,hot,1\n"             /* 14 */
    "00037,2016-02,hot,1\n"             /* 15 */
    "00001,2016-01,peak,4.5\n"          /* 16 */
    "00001,2016-07,peak,-1\n"           /* 17 */
    "00001,2016-03,low,4.5\n"           /* 18 */
    "00001,2016-12,low,-1\n"            /* 19 */
    "00001,2016S1,avg,3\n"              /* 20 */
    "00001,2016S2,avg,6\n"              /* 21 */
    "00001,2016-05,avg,100\n"           /* 22: Q2 only; S1 has its own value */
    "00004,2016Q3,avg,10\n"             /* 23 */
    "00004,2016Q4,avg,20\n"             /* 24 */
    "00004,2016-12,avg,90\n"            /* 25: Q4 has its own value */
    "001,2016,staff_trained,3\n"        /* 26 */
    "001,2016,staff_total,10\n"         /* 27 */
    "002,2016,staff_trained,4\n"        /* 28 */
    "002,2016,staff_total,40\n"         /* 29 */
    "001,2016,staff_trained,3\n"        /* 30: the same value again: a warning */
    "002,2015,staff_trained,1\n";       /* 31: no denominator in 2015 */

static void load_all(ct_series *s, ct_diags *d, ct_status *units_st, ct_status *obs_st)
{
    ct_series_init(s);
    ct_diags_init(d);
    *units_st = ct_units_load(s, units_path, d);
    declare_all(s, d);
    *obs_st = ct_data_load_observations(s, obs_path, d);
}

static void test_rollups(void)
{
    test_write_text(obs_path, obs_csv);
    ct_series s;
    ct_diags d;
    ct_status ust, ost;
    load_all(&s, &d, &ust, &ost);
    CHECK_INT(ust, CT_OK);
    CHECK_INT(ost, CT_OK);
    CHECK_INT(d.n_errors, 0);
    CHECK_INT(d.n_warnings, 1);
    if (d.n == 1) {
        CHECK_INT(d.items[0].sev, CT_SEV_WARNING);
        CHECK_INT(d.items[0].line, 30);
        CHECK(strstr(d.items[0].msg, "line 26") != NULL);
    }
    CHECK_INT(s.year0, 2015);
    CHECK_INT(s.year1, 2016);

    /* last: 2016 = S2 */
    CHECK_NUM(V(&s, "is_clean", "00001", "2015"), 0, 0);
    CHECK_NUM(V(&s, "is_clean", "00001", "2016"), 1, 0);
    CHECK_NUM(V(&s, "is_clean", "00001", "2016S1"), 0, 0);
    CHECK_NUM(V(&s, "is_clean", "00004", "2016"), 1, 0);       /* S1 has no data: skipped */
    CHECK(isnan(V(&s, "is_clean", "00004", "2016S1")));         /* an empty value is no data */
    CHECK_NUM(V(&s, "is_clean", "00037", "2016"), 0, 0);
    CHECK(isnan(V(&s, "is_clean", "00037", "2015S1")));         /* never made up from a year */
    CHECK(isnan(V(&s, "is_clean", "00004", "2015")));

    /* sum: months -> quarters -> halves -> year */
    CHECK_NUM(V(&s, "hot", "00001", "2016-02"), 3, 0);
    CHECK_NUM(V(&s, "hot", "00001", "2016Q1"), 5, 0);
    CHECK(isnan(V(&s, "hot", "00001", "2016Q2")));
    CHECK_NUM(V(&s, "hot", "00001", "2016Q4"), 5, 0);
    CHECK_NUM(V(&s, "hot", "00001", "2016S1"), 5, 0);
    CHECK_NUM(V(&s, "hot", "00001", "2016S2"), 5, 0);
    CHECK_NUM(V(&s, "hot", "00001", "2016"), 10, 0);
    CHECK(isnan(V(&s, "hot", "00001", "2015")));
    CHECK_NUM(V(&s, "hot", "00037", "2016"), 7, 0);             /* not 1 + 1 */
    CHECK_NUM(V(&s, "hot", "00037", "2016Q1"), 2, 0);
    CHECK_NUM(V(&s, "hot", "00037", "2016S1"), 2, 0);
    CHECK(isnan(V(&s, "hot", "00004", "2016")));

    /* max and min */
    CHECK_NUM(V(&s, "peak", "00001", "2016"), 4.5, 0);
    CHECK_NUM(V(&s, "peak", "00001", "2016S2"), -1, 0);
    CHECK_NUM(V(&s, "low", "00001", "2016"), -1, 0);
    CHECK_NUM(V(&s, "low", "00001", "2016S1"), 4.5, 0);
    CHECK_NUM(V(&s, "low", "00001", "2016Q1"), 4.5, 0);

    /* mean of the sub-periods with data, an own value winning at each level */
    CHECK_NUM(V(&s, "avg", "00001", "2016Q2"), 100, 0);
    CHECK_NUM(V(&s, "avg", "00001", "2016S1"), 3, 0);
    CHECK_NUM(V(&s, "avg", "00001", "2016"), 4.5, 1e-12);
    CHECK_NUM(V(&s, "avg", "00004", "2016Q4"), 20, 0);
    CHECK_NUM(V(&s, "avg", "00004", "2016S2"), 15, 1e-12);
    CHECK_NUM(V(&s, "avg", "00004", "2016"), 15, 1e-12);        /* S1 has no data */

    /* district metrics: year only */
    CHECK_NUM(V(&s, "staff_trained", "001", "2016"), 3, 0);
    CHECK_NUM(V(&s, "staff_total", "002", "2016"), 40, 0);
    CHECK_NUM(V(&s, "staff_trained", "002", "2015"), 1, 0);
    CHECK(isnan(V(&s, "staff_total", "002", "2015")));
    ct_series_free(&s);
    ct_diags_free(&d);
}

/* Loads obs text against the standard units and declarations. */
static ct_status obs_case(const char *text, ct_series *s, ct_diags *d)
{
    test_write_text(obs_path, text);
    ct_status ust, ost;
    load_all(s, d, &ust, &ost);
    CHECK_INT(ust, CT_OK);
    return ost;
}

static const ct_diag *diag_with(const ct_diags *d, const char *text)
{
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->items[i].msg, text)) return &d->items[i];
    return NULL;
}

static void dump(const ct_diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        char buf[1200];
        ct_diag_format(&d->items[i], buf, sizeof buf);
        fprintf(stderr, "    %s\n", buf);
    }
}

static void obs_error(int src_line, const char *text, const char *msg, int line, size_t n_err)
{
    ct_series s;
    ct_diags d;
    ct_status st = obs_case(text, &s, &d);
    const ct_diag *dg = diag_with(&d, msg);
    test_checks++;
    if (st != CT_EINPUT || !dg || dg->line != line || !dg->file || strcmp(dg->file, obs_path) != 0 ||
        dg->sev != CT_SEV_ERROR || d.n_errors != n_err) {
        test_failures++;
        fprintf(stderr, "%s:%d: expected status %d and %zu error(s), one at line %d containing \"%s\"; got status %d and:\n",
                __FILE__, src_line, CT_EINPUT, n_err, line, msg, st);
        dump(&d);
    }
    ct_series_free(&s);
    ct_diags_free(&d);
}

#define OBS_ERROR(text, msg, line, n_err) obs_error(__LINE__, (text), (msg), (line), (n_err))

static void test_obs_errors(void)
{
    const char *H = "unit,period,metric,value\n";
    char buf[1024];
#define T(body) (snprintf(buf, sizeof buf, "%s%s", H, (body)), buf)

    /* the same cell twice with different values: an error naming both lines */
    OBS_ERROR(T("00001,2016,is_clean,1\n00037,2016,is_clean,1\n00001,2016,is_clean,0\n"),
              "at line 2", 4, 1);
    /* the same cell in another spelling of the period */
    OBS_ERROR(T("00001,2016-03,hot,1\n00001,201603,hot,2\n"), "at line 2", 3, 1);

    /* unknown units: one error per code with the row count */
    OBS_ERROR(T("99999,2016,is_clean,1\n99999,2016S1,is_clean,1\n00001,2016,is_clean,1\n"
                "99999,2015,is_clean,0\n88888,2016,hot,1\n"),
              "unit '99999' is not in", 2, 2);
    OBS_ERROR(T("99999,2016,is_clean,1\n99999,2016S1,is_clean,1\n00001,2016,is_clean,1\n"
                "99999,2015,is_clean,0\n88888,2016,hot,1\n"),
              "(3 rows", 2, 2);
    OBS_ERROR(T("99999,2016,is_clean,1\n99999,2016S1,is_clean,1\n00001,2016,is_clean,1\n"
                "99999,2015,is_clean,0\n88888,2016,hot,1\n"),
              "unit '88888' is not in", 6, 2);
    /* a code without its leading zero is another code */
    OBS_ERROR(T("1,2016,is_clean,1\n"), "unit '1' is not in", 2, 1);
    /* undeclared metrics: one error per name with the row count */
    OBS_ERROR(T("00001,2016,nope,1\n00037,2016,nope,1\n00001,2016,is_clean,1\n"),
              "metric 'nope' is not declared", 2, 1);
    OBS_ERROR(T("00001,2016,nope,1\n00037,2016,nope,1\n00001,2016,is_clean,1\n"), "(2 rows", 2, 1);
    /* bad period */
    OBS_ERROR(T("00001,2016,is_clean,1\n00001,2016S3,is_clean,1\n"), "'2016S3' is not a period", 3, 1);
    OBS_ERROR(T("00001,16,is_clean,1\n"), "'16' is not a period", 2, 1);
    /* bad values */
    OBS_ERROR(T("00001,2016,hot,many\n"), "'many' is not a number", 2, 1);
    OBS_ERROR(T("00001,2016,hot,1.5.2\n"), "is not a number", 2, 1);
    OBS_ERROR(T("00001,2016,avg,nan\n"), "is not a number", 2, 1);
    OBS_ERROR(T("00001,2016,avg,inf\n"), "is not a number", 2, 1);
    OBS_ERROR(T("00001,2016,is_clean,2\n"), "must be 0 or 1", 2, 1);
    OBS_ERROR(T("00001,2016,is_clean,0.5\n"), "must be 0 or 1", 2, 1);
    OBS_ERROR(T("00001,2016,hot,-1\n"), "must be a whole number >= 0", 2, 1);
    OBS_ERROR(T("00001,2016,hot,2.5\n"), "must be a whole number >= 0", 2, 1);
    /* a commune metric reported by a district */
    OBS_ERROR(T("00001,2016,is_clean,1\n001,2016,is_clean,1\n"), "reported at level commune, but unit 001 is a district", 3, 1);
    /* every bad row is reported, not only the first */
    OBS_ERROR(T("00001,2016,is_clean,2\n00001,2016,hot,-3\n00037,20XX,hot,1\n"), "-3", 3, 3);
    /* a wrong number of fields */
    OBS_ERROR(T("00001,2016,is_clean\n"), "3 fields", 2, 1);
#undef T

    /* a negative number is fine for a number metric; a count may be 0 */
    ct_series s;
    ct_diags d;
    CHECK_INT(obs_case("unit,period,metric,value\n00001,2016,avg,-7.25\n00001,2016,hot,0\n", &s, &d), CT_OK);
    CHECK_NUM(V(&s, "avg", "00001", "2016"), -7.25, 0);
    CHECK_NUM(V(&s, "hot", "00001", "2016"), 0, 0);
    ct_series_free(&s);
    ct_diags_free(&d);

    /* a missing observations file */
    ct_series_init(&s);
    ct_diags_init(&d);
    CHECK_INT(ct_units_load(&s, units_path, &d), CT_OK);
    CHECK_INT(ct_data_load_observations(&s, "/tmp/ct_data_no_such_dir/obs.csv", &d), CT_EIO);
    CHECK_INT(d.n_errors, 1);
    ct_series_free(&s);
    ct_diags_free(&d);

    /* a conflicting second declaration */
    ct_series_init(&s);
    ct_diags_init(&d);
    CHECK_INT(ct_units_load(&s, units_path, &d), CT_OK);
    int m = ct_series_declare_metric(&s, "x", "commune", CT_MT_COUNT, CT_OT_SUM, -1, "a.yaml", 3, 3, &d);
    CHECK(m >= 0);
    CHECK_INT(ct_series_declare_metric(&s, "x", "commune", CT_MT_COUNT, CT_OT_SUM, -1, "b.yaml", 4, 3, &d), m);
    CHECK_INT(d.n_errors, 0);
    ct_series_declare_metric(&s, "x", "district", CT_MT_COUNT, CT_OT_SUM, -1, "c.yaml", 5, 3, &d);
    CHECK_INT(d.n_errors, 1);
    CHECK(DIAGS_HAVE(d, "a.yaml:3"));
    CHECK_INT(ct_series_declare_metric(&s, "y", "ward", CT_MT_COUNT, CT_OT_SUM, -1, "c.yaml", 6, 3, &d), -1);
    CHECK_INT(d.n_errors, 2);
    ct_series_free(&s);
    ct_diags_free(&d);
}

/* A plan over the same data, for ct_compute_cell. */
static const char *plan_yaml =
    "plan:\n"
    "  id: cells\n"
    "  baseline: 2015\n"
    "metrics:\n"
    "  is_clean: {level: commune, type: boolean, over_time: last}\n"
    "  hot: {level: commune, type: count, over_time: sum}\n"
    "  staff_trained: {level: district, type: count, over_time: last}\n"
    "  staff_total: {level: district, type: count, over_time: last}\n"
    "indicators:\n"
    "  - id: clean_pct\n"                 /* 0 */
    "    kind: share_of_units\n"
    "    of: commune\n"
    "    condition: \"is_clean == 1\"\n"
    "  - id: clean_risky_pct\n"           /* 1 */
    "    kind: share_of_units\n"
    "    of: commune\n"
    "    condition: \"is_clean == 1\"\n"
    "    among: \"high_risk == 1\"\n"
    "  - id: trained_pct\n"               /* 2 */
    "    kind: ratio\n"
    "    numerator: staff_trained\n"
    "    denominator: staff_total\n"
    "  - id: became_clean\n"              /* 3 */
    "    kind: transition_rate\n"
    "    of: commune\n"
    "    from: \"is_clean == 0\"\n"
    "    to: \"is_clean == 1\"\n"
    "  - id: clean_count\n"               /* 4 */
    "    kind: count_of_units\n"
    "    of: commune\n"
    "    condition: \"is_clean == 1\"\n"
    "  - id: hot_sum\n"                   /* 5 */
    "    kind: sum\n"
    "    metric: hot\n"
    "  - id: clean_or_hot\n"              /* 6 */
    "    kind: share_of_units\n"
    "    of: commune\n"
    "    condition: \"is_clean == 1 or hot > 0\"\n"
    "    missing: as_not_met\n"
    "  - id: staffed_communes\n"          /* 7 */
    "    kind: share_of_units\n"
    "    of: commune\n"
    "    condition: \"staff_trained >= 4\"\n"
    "  - id: hot_quarters\n"              /* 8 */
    "    kind: frequency\n"
    "    metric: hot\n"
    "    per: quarter\n"
    "    at_least: 2\n"
    "  - id: hot_months\n"                /* 9 */
    "    kind: frequency\n"
    "    metric: hot\n"
    "    per: month\n";

static void test_cells(void)
{
    test_write_text(obs_path, obs_csv);
    test_write_text(plan_path, plan_yaml);
    ct_series s;
    ct_diags d;
    ct_status ust, ost, pst = CT_EIO;
    load_all(&s, &d, &ust, &ost);
    CHECK_INT(ost, CT_OK);
    ct_plan *plan = ct_plan_load(plan_path, &d, &pst);
    CHECK_INT(pst, CT_OK);
    if (!plan || pst != CT_OK) { dump(&d); ct_plan_free(plan); ct_series_free(&s); ct_diags_free(&d); return; }
    CHECK_INT(ct_bind_declare(plan, &s, &d), CT_OK);
    CHECK_INT(ct_bind_plan(plan, &s, &d), CT_OK);
    CHECK_INT(d.n_errors, 0);
    if (d.n_errors) { dump(&d); ct_plan_free(plan); ct_series_free(&s); ct_diags_free(&d); return; }
    int vn = s.root, p01 = U(&s, "01"), d001 = U(&s, "001"), d002 = U(&s, "002"), c4 = U(&s, "00004");
    const ct_indicator *ind = plan->indicators;
    ct_cell c;

    /* share 2016 at VN: 00001 (1), 00004 (1), 00037 (0): 2 of 3 */
    c = ct_compute_cell(plan, &ind[0], &s, vn, P("2016"));
    CHECK_NUM(c.value, 200.0 / 3, 1e-9);
    CHECK_NUM(c.num, 2, 0);
    CHECK_NUM(c.den, 3, 0);
    CHECK_INT(c.reported, 3);
    CHECK_INT(c.expected, 3);
    CHECK(c.flags & CT_ROW_VALUE);
    CHECK(c.flags & CT_ROW_COUNTS);
    /* 2016S1: 00004 does not exist yet; 00001 0, 00037 0 */
    c = ct_compute_cell(plan, &ind[0], &s, vn, P("2016S1"));
    CHECK_NUM(c.value, 0, 0);
    CHECK_INT(c.expected, 2);
    CHECK_INT(c.reported, 2);
    /* 2016 at district 001: 00001 and 00004, both clean */
    c = ct_compute_cell(plan, &ind[0], &s, d001, P("2016"));
    CHECK_NUM(c.value, 100, 0);
    CHECK_INT(c.expected, 2);
    /* 2015: 00001 0, 00037 0, 00004 not yet valid */
    c = ct_compute_cell(plan, &ind[0], &s, p01, P("2015"));
    CHECK_NUM(c.value, 0, 0);
    CHECK_INT(c.expected, 2);
    CHECK_INT(c.reported, 2);
    /* 2015S1: nobody has data: no value, but expected still counts */
    c = ct_compute_cell(plan, &ind[0], &s, vn, P("2015S1"));
    CHECK(isnan(c.value));
    CHECK(!(c.flags & CT_ROW_VALUE));
    CHECK_INT(c.reported, 0);
    CHECK_INT(c.expected, 2);

    /* among high_risk == 1: 00001 (1, clean) and 00037 (1, not clean); 00004 has no value: not counted */
    c = ct_compute_cell(plan, &ind[1], &s, vn, P("2016"));
    CHECK_NUM(c.value, 50, 0);
    CHECK_INT(c.expected, 2);
    CHECK_INT(c.reported, 2);

    /* ratio: sums first: 100 * (3 + 4) / (10 + 40) = 14, not (30 + 10) / 2 = 20 */
    c = ct_compute_cell(plan, &ind[2], &s, vn, P("2016"));
    CHECK_NUM(c.value, 14, 1e-9);
    CHECK_NUM(c.num, 7, 0);
    CHECK_NUM(c.den, 50, 0);
    CHECK(!(c.flags & CT_ROW_COUNTS));
    c = ct_compute_cell(plan, &ind[2], &s, p01, P("2016"));
    CHECK_NUM(c.value, 14, 1e-9);
    c = ct_compute_cell(plan, &ind[2], &s, d001, P("2016"));
    CHECK_NUM(c.value, 30, 1e-9);
    c = ct_compute_cell(plan, &ind[2], &s, d002, P("2016"));
    CHECK_NUM(c.value, 10, 1e-9);
    /* 2015: 002 has a numerator but no denominator: pairwise complete, so no value */
    c = ct_compute_cell(plan, &ind[2], &s, vn, P("2015"));
    CHECK(isnan(c.value));

    /* transition 2015 -> 2016, from is_clean == 0 to is_clean == 1:
     * 00001 0 -> 1 (in both), 00037 0 -> 0 (in den, not num), 00004 no 2015 value (not reported) */
    c = ct_compute_cell(plan, &ind[3], &s, vn, P("2016"));
    CHECK_NUM(c.value, 50, 0);
    CHECK_NUM(c.num, 1, 0);
    CHECK_NUM(c.den, 2, 0);
    CHECK_INT(c.reported, 2);
    CHECK_INT(c.expected, 3);
    /* 2016S2 from 2016S1: 00001 0 -> 1, 00037 0 -> 0, 00004 S1 no data */
    c = ct_compute_cell(plan, &ind[3], &s, vn, P("2016S2"));
    CHECK_NUM(c.value, 50, 0);
    CHECK_INT(c.reported, 2);
    c = ct_compute_cell(plan, &ind[3], &s, d002, P("2016"));
    CHECK_NUM(c.value, 0, 0);
    CHECK_NUM(c.den, 1, 0);

    /* count of units 2016 at VN: 2 */
    c = ct_compute_cell(plan, &ind[4], &s, vn, P("2016"));
    CHECK_NUM(c.value, 2, 0);
    CHECK_INT(c.reported, 3);
    CHECK(!(c.flags & CT_ROW_DEN));

    /* sum of hot 2016: 00001 10 + 00037 7 = 17; 2016Q1: 5 + 2 = 7 */
    c = ct_compute_cell(plan, &ind[5], &s, vn, P("2016"));
    CHECK_NUM(c.value, 17, 0);
    c = ct_compute_cell(plan, &ind[5], &s, vn, P("2016Q1"));
    CHECK_NUM(c.value, 7, 0);
    c = ct_compute_cell(plan, &ind[5], &s, c4, P("2016"));
    CHECK(isnan(c.value));     /* no data is not zero */
    c = ct_compute_cell(plan, &ind[5], &s, vn, P("2015"));
    CHECK(isnan(c.value));

    /* strict unknowns with missing: as_not_met, 2016:
     * 00001 clean (1 or 10 > 0): met; 00037 0 or 7 > 0: met; 00004 clean but hot unknown: unknown.
     * reported 2, expected 3, denominator = expected = 3: 2 / 3 */
    c = ct_compute_cell(plan, &ind[6], &s, vn, P("2016"));
    CHECK_NUM(c.num, 2, 0);
    CHECK_INT(c.reported, 2);
    CHECK_INT(c.expected, 3);
    CHECK_NUM(c.den, 3, 0);
    CHECK_NUM(c.value, 200.0 / 3, 1e-9);

    /* a district metric read by communes from their district, 2016:
     * 00001 and 00004 (001: 3 trained) no, 00037 (002: 4 trained) yes */
    c = ct_compute_cell(plan, &ind[7], &s, vn, P("2016"));
    CHECK_NUM(c.num, 1, 0);
    CHECK_INT(c.reported, 3);
    CHECK_NUM(c.value, 100.0 / 3, 1e-9);
    c = ct_compute_cell(plan, &ind[7], &s, d001, P("2016"));
    CHECK_NUM(c.value, 0, 0);
    CHECK_INT(c.reported, 2);

    /* quarters of 2016 with hot >= 2: 00001 Q1 5, Q4 5 (2 of 4); 00037 Q1 2 (1 of 4); 00004 no data */
    c = ct_compute_cell(plan, &ind[8], &s, vn, P("2016"));
    CHECK_NUM(c.num, 3, 0);
    CHECK_NUM(c.den, 8, 0);
    CHECK_NUM(c.value, 37.5, 1e-12);
    /* 2016S2: only 00001 has data (Q4 5): 1 of 2 */
    c = ct_compute_cell(plan, &ind[8], &s, vn, P("2016S2"));
    CHECK_NUM(c.num, 1, 0);
    CHECK_NUM(c.den, 2, 0);
    CHECK_NUM(c.value, 50, 1e-12);
    /* months of 2016Q1 with hot >= 1: 00001 Jan 2, Feb 3 (2 of 3); 00037 Jan 1, Feb 1 (2 of 3) */
    c = ct_compute_cell(plan, &ind[9], &s, vn, P("2016Q1"));
    CHECK_NUM(c.value, 400.0 / 6, 1e-9);
    c = ct_compute_cell(plan, &ind[9], &s, d002, P("2016Q2"));
    CHECK(isnan(c.value));

    /* which levels an indicator has values for */
    CHECK_INT(ct_compute_level_applies(&s, &ind[0], s.level[d001]), 1);
    CHECK_INT(ct_compute_level_applies(&s, &ind[0], s.level[c4]), 1);
    CHECK_INT(ct_compute_level_applies(&s, &ind[2], s.level[c4]), 0);   /* ratio of district metrics */
    CHECK_INT(ct_compute_level_applies(&s, &ind[2], s.level[vn]), 1);

    ct_plan_free(plan);
    ct_series_free(&s);
    ct_diags_free(&d);
}

/* A file large enough to be read by two threads, each returning the pages it
 * has read (over 80 MiB, over 65,536 rows a part): every value is read back
 * right, on both sides of the split. The pages of the second part begin
 * after the page that holds the first part's last rows. */
static void test_large_file(void)
{
    enum { COMMUNES = 240, MONTHS = 600, PAD = 600 };
    char up[160], op[160];
    snprintf(up, sizeof up, "%s/big_units.csv", dir);
    snprintf(op, sizeof op, "%s/big_obs.csv", dir);
    FILE *f = fopen(up, "wb");
    if (!f) { perror(up); exit(2); }
    fputs("code,name,level,parent\n01,P,province,\n001,D,district,01\n", f);
    for (int c = 0; c < COMMUNES; c++) fprintf(f, "c%04d,C,commune,001\n", c);
    fclose(f);
    f = fopen(op, "wb");
    if (!f) { perror(op); exit(2); }
    char pad[PAD + 1];
    memset(pad, 'x', PAD);
    pad[PAD] = '\0';
    fputs("unit,period,metric,value,note\n", f);
    for (int m = 0; m < MONTHS; m++)
        for (int c = 0; c < COMMUNES; c++)
            fprintf(f, "c%04d,%d-%02d,hot,%d,%s\n", c, 1990 + m / 12, m % 12 + 1, (c * 7 + m) % 11, pad);
    fclose(f);
    ct_series s;
    ct_diags d;
    ct_series_init(&s);
    ct_diags_init(&d);
    CHECK_INT(ct_units_load(&s, up, &d), CT_OK);
    ct_series_declare_metric(&s, "hot", "commune", CT_MT_COUNT, CT_OT_SUM, -1, "t.yaml", 1, 1, &d);
    CHECK_INT(ct_data_load_observations(&s, op, &d), CT_OK);
    CHECK_INT(d.n_errors, 0);
    int wrong = 0, hot = M(&s, "hot");
    for (int m = 0; m < MONTHS && hot >= 0; m++)
        for (int c = 0; c < COMMUNES; c++) {
            char code[16], per[16];
            snprintf(code, sizeof code, "c%04d", c);
            snprintf(per, sizeof per, "%d-%02d", 1990 + m / 12, m % 12 + 1);
            if (ct_series_value(&s, hot, U(&s, code), P(per)) != (c * 7 + m) % 11 && wrong++ < 3)
                fprintf(stderr, "big file: %s %s: got %g, expected %d\n", code, per,
                        ct_series_value(&s, hot, U(&s, code), P(per)), (c * 7 + m) % 11);
        }
    CHECK_INT(wrong, 0);
    ct_series_free(&s);
    ct_diags_free(&d);
    unlink(up);
    unlink(op);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/ct_data_XXXXXX");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 2; }
    snprintf(units_path, sizeof units_path, "%s/units.csv", dir);
    snprintf(obs_path, sizeof obs_path, "%s/observations.csv", dir);
    snprintf(plan_path, sizeof plan_path, "%s/plan.yaml", dir);
    test_write_text(units_path, units_csv);
    test_units();
    test_units_errors();
    test_rollups();
    test_obs_errors();
    test_cells();
    test_large_file();
    unlink(units_path);
    unlink(obs_path);
    unlink(plan_path);
    rmdir(dir);
    return test_report("test_data");
}
