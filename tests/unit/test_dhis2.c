/* DHIS2 period ids in and out, and Excel sheet names and headers. */
#include <string.h>

#include "load/ct_dhis2_in.h"
#include "render/ct_dhis2_out.h"
#include "render/ct_xlsx.h"
#include "test.h"

static const char *in(const char *s, int want_rc)
{
    static char out[16];
    const char *type = NULL;
    out[0] = '\0';
    int rc = ct_dhis2_period_in(s, out, &type);
    CHECK_INT(rc, want_rc);
    return rc == 0 ? out : rc == -1 ? type : "";
}

static void test_period_in(void)
{
    /* the contract's forms (DHIS2's yearly, six-monthly, quarterly, monthly ids) */
    CHECK_STR(in("2016", 0), "2016");
    CHECK_STR(in("2016S2", 0), "2016S2");
    CHECK_STR(in("2016Q1", 0), "2016Q1");
    CHECK_STR(in("201603", 0), "2016-03");
    CHECK_STR(in("201612", 0), "2016-12");
    CHECK_STR(in("2016-03", 0), "2016-03");
    /* DHIS2 period types the contract lacks: named */
    CHECK_STR(in("2016W14", -1), "weekly");
    CHECK_STR(in("2016SunW3", -1), "weekly (Sunday)");
    CHECK_STR(in("2016BiW2", -1), "bi-weekly");
    CHECK_STR(in("20160315", -1), "daily");
    CHECK_STR(in("201601B", -1), "bi-monthly");
    CHECK_STR(in("2016NovQ1", -1), "quarterly (November)");
    CHECK_STR(in("2016AprilS1", -1), "six-monthly (April)");
    CHECK_STR(in("2016April", -1), "financial year");
    CHECK_STR(in("2016July", -1), "financial year");
    CHECK_STR(in("2016Oct", -1), "financial year");
    /* not periods at all */
    in("", -2);
    in("16Q1", -2);
    in("2016Q5", -2);
    in("201613", -2);
    in("2016W", -2);
    in("last year", -2);
}

static const char *name(const char *code)
{
    static char out[64];
    ct_dhis2_metric_name(code, out, sizeof out);
    return out;
}

static void test_metric_name(void)
{
    /* the documented rule: other characters -> one '_', m_ before a non-letter */
    CHECK_STR(name("MAL-POS 01"), "MAL_POS_01");
    CHECK_STR(name("105-1.2"), "m_105_1_2");
    CHECK_STR(name("staff_trained"), "staff_trained");
    CHECK_STR(name("a--b"), "a_b");
    CHECK_STR(name("x."), "x_");
    CHECK_STR(name("_x"), "m__x");
    CHECK_STR(name("Số ca"), "S_ca");
    CHECK_STR(name("..."), "m_x");
    char small[8];
    CHECK_INT(ct_dhis2_metric_name("abcdefghijkl", small, sizeof small), 1);
    CHECK_INT((int)strlen(small) < 8, 1);
    CHECK_INT(ct_dhis2_metric_name("ok_1", small, sizeof small), 0);
}

static const char *month(const char *s, int want_rc)
{
    static char out[16];
    out[0] = '\0';
    CHECK_INT(ct_dhis2_period_month(s, out), want_rc);
    return out;
}

static void test_period_month(void)
{
    /* days; ISO weeks by their Thursday (checked with Python's date.fromisocalendar) */
    CHECK_STR(month("20250715", 0), "2025-07");
    CHECK_STR(month("20240229", 0), "2024-02");
    month("20230229", -1);
    month("20251301", -1);
    CHECK_STR(month("2025W1", 0), "2025-01");
    CHECK_STR(month("2020W53", 0), "2020-12");
    CHECK_STR(month("2025W27", 0), "2025-07");
    CHECK_STR(month("2025W26", 0), "2025-06");
    CHECK_STR(month("2026W1", 0), "2026-01");
    CHECK_STR(month("2009W53", 0), "2009-12");
    CHECK_STR(month("2024W1", 0), "2024-01");
    month("2021W53", -1);
    month("2025W0", -1);
    month("2025SunW3", -1);
    month("2025Q1", -1);
}

static const char *id(ct_period p)
{
    static char buf[CT_PERIOD_BUF];
    ct_dhis2_period_id(p, buf);
    return buf;
}

static void test_period_out(void)
{
    CHECK_STR(id((ct_period){2016, CT_PT_YEAR, 0}), "2016");
    CHECK_STR(id((ct_period){2016, CT_PT_HALF, 1}), "2016S2");
    CHECK_STR(id((ct_period){2016, CT_PT_QUARTER, 0}), "2016Q1");
    CHECK_STR(id((ct_period){2016, CT_PT_MONTH, 2}), "201603");
    CHECK_STR(id((ct_period){2016, CT_PT_MONTH, 11}), "201612");
}

static void test_sheet_names(void)
{
    char buf[128];
    ct_xlsx_sheet_name("thanh-hoa-2016-2020", NULL, 0, buf, sizeof buf);
    CHECK_STR(buf, "thanh-hoa-2016-2020");
    ct_xlsx_sheet_name("a[b]c:d*e?f/g\\h", NULL, 0, buf, sizeof buf);
    CHECK_STR(buf, "a_b_c_d_e_f_g_h");
    /* 31 characters, not bytes: "Kế hoạch" has multi-byte letters */
    ct_xlsx_sheet_name("Kế hoạch phòng chống mại dâm tỉnh Thanh Hóa", NULL, 0, buf, sizeof buf);
    CHECK_STR(buf, "Kế hoạch phòng chống mại dâm tỉ");
    const char *taken[] = {"national-2021-2025-phong-chong-", "NATIONAL-2021-2025-PHONG-CHON~2"};
    ct_xlsx_sheet_name("national-2021-2025-phong-chong-mai-dam", taken, 1, buf, sizeof buf);
    CHECK_STR(buf, "national-2021-2025-phong-chon~2");
    /* Excel compares sheet names without case */
    ct_xlsx_sheet_name("national-2021-2025-phong-chong-mai-dam", taken, 2, buf, sizeof buf);
    CHECK_STR(buf, "national-2021-2025-phong-chon~3");
    ct_xlsx_sheet_name("'quoted'", NULL, 0, buf, sizeof buf);
    CHECK_STR(buf, "_quoted_");
    ct_xlsx_sheet_name("", NULL, 0, buf, sizeof buf);
    CHECK_STR(buf, "plan");
    /* a name Excel reserves, in any case */
    ct_xlsx_sheet_name("History", NULL, 0, buf, sizeof buf);
    CHECK_STR(buf, "History~2");
    ct_xlsx_sheet_name("history", NULL, 0, buf, sizeof buf);
    CHECK_STR(buf, "history~2");
    /* only forbidden characters, and 31 characters then a clash */
    ct_xlsx_sheet_name("[]:*?/\\", NULL, 0, buf, sizeof buf);
    CHECK_STR(buf, "_______");
    const char *long_taken[] = {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
    ct_xlsx_sheet_name("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaX", long_taken, 1, buf, sizeof buf);
    CHECK_STR(buf, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaa~2");
}

static void test_headers(void)
{
    CHECK_STR(ct_xlsx_header("status", CT_XLSX_VI), "Tình trạng");
    CHECK_STR(ct_xlsx_header("status", CT_XLSX_EN), "status");
    /* a column added later shows its own name until it has a translation */
    CHECK_STR(ct_xlsx_header("some_new_column", CT_XLSX_VI), "some_new_column");
}

int main(void)
{
    test_period_in();
    test_period_out();
    test_metric_name();
    test_period_month();
    test_sheet_names();
    test_headers();
    return test_report("test_dhis2");
}
