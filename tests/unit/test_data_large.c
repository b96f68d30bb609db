/* A large observations file is read once on arrays sized from a sample of
 * its rows, by two threads over its two halves: whatever the file holds,
 * the values, the span and every diagnostic must be those of the plain
 * reading (two passes, one reader). Each case is loaded both ways and
 * compared value for value and message for message. The files are a few
 * megabytes, larger than the sample windows, so that rows between them are
 * seen only by the full pass. */
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include "load/ct_data.h"
#include "load/ct_plan.h"
#include "load/ct_units.h"
#include "model/ct_series.h"
#include "test.h"

static char dir[64];
static char units_path[128], obs_path[128];

enum { COMMUNES = 1200, FIRST_YEAR = 2011, YEARS = 15 };

/* A growing text. */
typedef struct {
    char *p;
    size_t n, cap;
} text;

static void add(text *t, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int k = vsnprintf(t->p ? t->p + t->n : NULL, t->p ? t->cap - t->n : 0, fmt, ap);
        va_end(ap);
        if (k < 0) exit(2);
        if (t->p && t->n + (size_t)k < t->cap) { t->n += (size_t)k; return; }
        t->cap = (t->cap + (size_t)k + 1) * 2;
        t->p = realloc(t->p, t->cap);
        if (!t->p) exit(2);
    }
}

/* Rows of communes c0..c1-1 for every half-year, three metrics, unit by
 * unit; some values left empty, some rows left out. */
static void add_rows(text *t, int c0, int c1)
{
    for (int c = c0; c < c1; c++)
        for (int y = FIRST_YEAR; y < FIRST_YEAR + YEARS; y++)
            for (int h = 1; h <= 2; h++) {
                int k = c * 31 + y * 7 + h;
                if (k % 17 == 0) continue;
                add(t, "c%04d,%dS%d,is_clean,%d,\n", c, y, h, k % 3 == 0);
                add(t, "c%04d,%dS%d,hot,%s,\n", c, y, h, k % 13 == 0 ? "" : (k % 5 ? "3" : "12"));
                add(t, "c%04d,%dS%d,peak,%d.%d,\n", c, y, h, k % 50, k % 10);
            }
}

static void load(const text *t, size_t split_bytes, ct_series *s, ct_diags *d, ct_status *st)
{
    test_write(obs_path, t->p, t->n);
    ct_series_init(s);
    ct_diags_init(d);
    s->obs_split_bytes = split_bytes;
    if (ct_units_load(s, units_path, d) != CT_OK) { fprintf(stderr, "test units do not load\n"); exit(2); }
    ct_series_declare_metric(s, "is_clean", "commune", CT_MT_BOOLEAN, CT_OT_LAST, -1, "t.yaml", 1, 1, d);
    ct_series_declare_metric(s, "hot", "commune", CT_MT_COUNT, CT_OT_SUM, -1, "t.yaml", 2, 1, d);
    ct_series_declare_metric(s, "peak", "commune", CT_MT_NUMBER, CT_OT_MAX, -1, "t.yaml", 3, 1, d);
    for (int m = 0; m < s->n_metrics; m++) s->metrics[m].used = 1;
    *st = ct_data_load_observations(s, obs_path, d);
}

/* Loads t both ways and compares everything; returns the status. */
static ct_status same_both_ways(int at, const text *t, ct_diags *out)
{
    ct_series a, b;
    ct_diags da, db;
    ct_status sa, sb;
    load(t, 0, &a, &da, &sa);
    load(t, 1, &b, &db, &sb);
    int before = test_failures;
    CHECK_INT(sb, sa);
    CHECK_INT((int)db.n, (int)da.n);
    for (size_t i = 0; i < da.n && i < db.n; i++) {
        CHECK_INT(db.items[i].sev, da.items[i].sev);
        CHECK_INT(db.items[i].line, da.items[i].line);
        CHECK_STR(db.items[i].msg, da.items[i].msg);
    }
    CHECK_INT(b.year0, a.year0);
    CHECK_INT(b.year1, a.year1);
    CHECK_INT(b.first_month, a.first_month);
    CHECK_INT(b.last_month, a.last_month);
    for (int m = 0; m < a.n_metrics && sa == CT_OK; m++) {
        const ct_metric *ma = &a.metrics[m], *mb = &b.metrics[m];
        CHECK_INT(mb->finest, ma->finest);
        CHECK_INT((int)mb->n_obs, (int)ma->n_obs);
        for (int ty = 0; ty < CT_PT_COUNT; ty++) {
            CHECK_INT(mb->vals[ty] != NULL, ma->vals[ty] != NULL);
            if (!ma->vals[ty] || !mb->vals[ty]) continue;
            size_t cells = (size_t)a.level_size[ma->level] * (size_t)ct_series_n_periods(&a, (ct_ptype)ty);
            CHECK(memcmp(ma->vals[ty], mb->vals[ty], cells * sizeof(double)) == 0);
        }
    }
    if (test_failures != before) fprintf(stderr, "  (case at line %d: %d diagnostics)\n", at, (int)da.n);
    if (out) {
        *out = da;
        ct_diags_init(&da);
    }
    ct_series_free(&a);
    ct_series_free(&b);
    ct_diags_free(&da);
    ct_diags_free(&db);
    return sa;
}
#define SAME(t, out) same_both_ways(__LINE__, (t), (out))

static const char *header = "unit,period,metric,value,note\n";

/* The whole file, with `middle` written after where/8 of the communes'
 * rows (where 3 or 5: between the sample windows). */
static void build(text *t, const char *middle, int where)
{
    t->n = 0;
    add(t, "%s", header);
    int cut = COMMUNES * where / 8;
    add_rows(t, 0, cut);
    add(t, "%s", middle);
    add_rows(t, cut, COMMUNES);
}

static void test_clean(void)
{
    text t = {0};
    build(&t, "", 4);
    CHECK(t.n > (size_t)2 << 20); /* larger than the sample windows together */
    ct_diags d;
    CHECK_INT(SAME(&t, &d), CT_OK);
    CHECK_INT((int)d.n, 0);
    ct_diags_free(&d);
    /* CRLF line ends and blank lines */
    text c = {0};
    for (size_t i = 0; i < t.n; i++) {
        if (t.p[i] == '\n') add(&c, "\r\n%s", i % 7919 == 0 ? "\r\n" : "");
        else add(&c, "%c", t.p[i]);
    }
    CHECK_INT(SAME(&c, NULL), CT_OK);
    free(c.p);
    free(t.p);
}

/* Rows the sample does not see: a year before the others, a finer period,
 * a metric that appears only there. */
static void test_unseen(void)
{
    text t = {0};
    build(&t, "c0001,2009S2,hot,4,\n", 3);
    CHECK_INT(SAME(&t, NULL), CT_OK);
    build(&t, "c0002,2013Q3,hot,4,\n", 3);
    CHECK_INT(SAME(&t, NULL), CT_OK);
    build(&t, "c0002,2013-07,peak,1.5,\n", 5);
    CHECK_INT(SAME(&t, NULL), CT_OK);
    /* a span past the limit, seen only by the full pass: the error names both rows */
    ct_diags d;
    build(&t, "c0003,1950,hot,1,\n", 3);
    CHECK_INT(SAME(&t, &d), CT_EINPUT);
    CHECK_INT((int)d.n, 1);
    if (d.n) CHECK(strstr(d.items[0].msg, "more than 49 years") != NULL);
    ct_diags_free(&d);
    free(t.p);
}

/* Findings in either half are reported as the plain reading reports them. */
static void test_findings(void)
{
    text t = {0};
    ct_diags d;
    /* a cell given in both halves: same value (a warning), another (an error) */
    build(&t, "c0350,2020S1,hot,3,\n", 2);
    CHECK_INT(SAME(&t, NULL), CT_OK);
    build(&t, "c0350,2020S1,peak,99,\n", 2);
    CHECK_INT(SAME(&t, &d), CT_EINPUT);
    CHECK(d.n >= 1);
    ct_diags_free(&d);
    /* bad rows and unknown units in the second half, and in both */
    build(&t, "", 4);
    add(&t, "c9999,2020S1,hot,1,\nc0001,2020S3,hot,1,\nc0001,2020S1,hot,x,\nc9999,2021S1,hot,1,\n");
    CHECK_INT(SAME(&t, &d), CT_EINPUT);
    CHECK_INT((int)d.n_errors, 3); /* the unknown unit once, with its two rows */
    ct_diags_free(&d);
    build(&t, "c8888,2020S1,hot,1,\nc0001,2020S1,nope,1,\n", 2);
    add(&t, "c8888,2021S1,hot,1,\n");
    CHECK_INT(SAME(&t, &d), CT_EINPUT);
    CHECK_INT((int)d.n_errors, 2);
    ct_diags_free(&d);
    /* text that is not UTF-8 in the second half: one error, as in one reader */
    build(&t, "", 4);
    add(&t, "c0001,2020S1,hot,1,caf\xE9\n");
    CHECK_INT(SAME(&t, &d), CT_EINPUT);
    CHECK_INT((int)d.n, 1);
    ct_diags_free(&d);
    free(t.p);
}

/* A quoted field with a line end across the middle of the file: the second
 * reader would start inside a row; the halves do not join, and the file
 * is read in one reader. */
static void test_quoted_middle(void)
{
    text a = {0}, b = {0}, t = {0};
    add_rows(&a, 0, COMMUNES / 2);
    add_rows(&b, COMMUNES / 2, COMMUNES);
    char x[601], y[101];
    memset(x, 'x', 600);
    x[600] = '\0';
    memset(y, 'y', 100);
    y[100] = '\0';
    /* header + a + quoted + b, with a and b of about the same length: the
     * middle falls in the x's, before the line end inside the quotes */
    add(&t, "%s%.*s", header, (int)a.n, a.p);
    add(&t, "c0000,2010S1,hot,1,\"%s\n%s\"\n%.*s", x, y, (int)b.n, b.p);
    size_t quote = (size_t)(strchr(t.p + a.n, '"') - t.p);
    CHECK(t.n / 2 > quote && t.n / 2 < quote + 600);
    ct_diags d;
    CHECK_INT(SAME(&t, &d), CT_OK);
    CHECK_INT((int)d.n, 0);
    ct_diags_free(&d);
    free(a.p);
    free(b.p);
    free(t.p);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/ct_large_XXXXXX");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 2; }
    snprintf(units_path, sizeof units_path, "%s/units.csv", dir);
    snprintf(obs_path, sizeof obs_path, "%s/observations.csv", dir);
    text u = {0};
    add(&u, "code,name,level,parent\n01,P,province,\n001,D,district,01\n");
    for (int c = 0; c < COMMUNES; c++) add(&u, "c%04d,C,commune,001\n", c);
    test_write(units_path, u.p, u.n);
    free(u.p);
    test_clean();
    test_unseen();
    test_findings();
    test_quoted_middle();
    unlink(units_path);
    unlink(obs_path);
    rmdir(dir);
    return test_report("test_data_large");
}
