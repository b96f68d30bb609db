#include "model/ct_period.h"
#include "test.h"

static const char *fmt(ct_period p)
{
    static char buf[CT_PERIOD_BUF];
    ct_period_format(p, buf);
    return buf;
}

static ct_period parse(const char *s)
{
    ct_period p = {0, 0, 0};
    CHECK(ct_period_parse(s, strlen(s), &p) == 0);
    return p;
}

static void test_forms(void)
{
    CHECK_STR(fmt(parse("2016")), "2016");
    CHECK_STR(fmt(parse("2016S1")), "2016S1");
    CHECK_STR(fmt(parse("2016S2")), "2016S2");
    CHECK_STR(fmt(parse("2016Q4")), "2016Q4");
    CHECK_STR(fmt(parse("2016-03")), "2016-03");
    CHECK_STR(fmt(parse("201603")), "2016-03");
    CHECK_STR(fmt(parse("2016-12")), "2016-12");
    CHECK_INT(parse("2016Q3").type, CT_PT_QUARTER);
    CHECK_INT(parse("2016Q3").sub, 2);
}

static void test_bad_forms(void)
{
    const char *bad[] = {"", "16", "2016S3", "2016S0", "2016Q5", "2016-13", "2016-00", "201613",
                         "2016-1", "2016W01", "2016 ", "abcd", "20161", "2016-001", "1800", "2016s1"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ct_period p;
        int rc = ct_period_parse(bad[i], strlen(bad[i]), &p);
        if (rc != -1) fprintf(stderr, "accepted bad period '%s'\n", bad[i]);
        CHECK(rc == -1);
    }
}

static void test_arithmetic(void)
{
    CHECK_STR(fmt(ct_period_prev(parse("2016"))), "2015");
    CHECK_STR(fmt(ct_period_prev(parse("2016S1"))), "2015S2");
    CHECK_STR(fmt(ct_period_prev(parse("2016Q1"))), "2015Q4");
    CHECK_STR(fmt(ct_period_prev(parse("2016-01"))), "2015-12");
    CHECK_STR(fmt(ct_period_prev(parse("2016-07"))), "2016-06");
    CHECK_INT(ct_period_first_month(parse("2016S2")), 2016 * 12 + 6);
    CHECK_INT(ct_period_last_month(parse("2016S2")), 2016 * 12 + 11);
    CHECK_INT(ct_period_last_month(parse("2016Q1")), 2016 * 12 + 2);
    CHECK_INT(ct_period_index(parse("2017S2"), 2015), 5);
    CHECK_STR(fmt(ct_period_from_index(CT_PT_HALF, 2015, 5)), "2017S2");
    CHECK_STR(fmt(ct_period_from_index(CT_PT_MONTH, 2015, 13)), "2016-02");
    CHECK(ct_period_cmp(parse("2016"), parse("2016S1")) < 0);
    CHECK(ct_period_cmp(parse("2016S2"), parse("2016Q2")) > 0);
    CHECK_INT(ct_ptype_per_year(CT_PT_QUARTER), 4);
}

int main(void)
{
    test_forms();
    test_bad_forms();
    test_arithmetic();
    return test_report("test_period");
}
