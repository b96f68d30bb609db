/* The words and formats for people (ct_lang): numbers by the one precision
 * rule in vi-VN and en, periods and dates in words, and the catalogue: every
 * message in both languages with the same printf conversions. */
#include "core/ct_lang.h"
#include "test.h"

static void test_numbers(void)
{
    char b[64];
    CHECK_STR(ct_lang_number(CT_LANG_VI, 87.45, b, sizeof b), "87,5");   /* 87.45 is 87.4500000000000028 */
    CHECK_STR(ct_lang_number(CT_LANG_EN, 87.45, b, sizeof b), "87.5");
    CHECK_STR(ct_lang_number(CT_LANG_VI, 6.452, b, sizeof b), "6,5");
    CHECK_STR(ct_lang_number(CT_LANG_VI, 96.64, b, sizeof b), "96,6");
    CHECK_STR(ct_lang_number(CT_LANG_VI, 100, b, sizeof b), "100");
    CHECK_STR(ct_lang_number(CT_LANG_VI, 66.666667, b, sizeof b), "66,7");
    CHECK_STR(ct_lang_number(CT_LANG_VI, 1234567.25, b, sizeof b), "1.234.567,3");
    CHECK_STR(ct_lang_number(CT_LANG_EN, 1234567.25, b, sizeof b), "1,234,567.3");
    CHECK_STR(ct_lang_number(CT_LANG_VI, 1000, b, sizeof b), "1.000");
    CHECK_STR(ct_lang_number(CT_LANG_VI, 999.96, b, sizeof b), "1.000");
    CHECK_STR(ct_lang_number(CT_LANG_VI, -160, b, sizeof b), "-160");
    CHECK_STR(ct_lang_number(CT_LANG_VI, -0.04, b, sizeof b), "0");   /* no "-0" */
    CHECK_STR(ct_lang_number(CT_LANG_VI, -2.25, b, sizeof b), "-2,3");
    CHECK_STR(ct_lang_number(CT_LANG_VI, NAN, b, sizeof b), "–");
    CHECK_STR(ct_lang_number(CT_LANG_VI, 0.05, b, sizeof b), "0,1");
}

static void test_periods_dates(void)
{
    char b[64];
    CHECK_STR(ct_lang_period(CT_LANG_VI, 2025, 12, 0, b, sizeof b), "năm 2025");
    CHECK_STR(ct_lang_period(CT_LANG_VI, 2025, 6, 0, b, sizeof b), "6 tháng đầu năm 2025");
    CHECK_STR(ct_lang_period(CT_LANG_VI, 2025, 6, 1, b, sizeof b), "6 tháng cuối năm 2025");
    CHECK_STR(ct_lang_period(CT_LANG_VI, 2026, 3, 1, b, sizeof b), "quý II/2026");
    CHECK_STR(ct_lang_period(CT_LANG_VI, 2026, 3, 3, b, sizeof b), "quý IV/2026");
    CHECK_STR(ct_lang_period(CT_LANG_VI, 2026, 1, 2, b, sizeof b), "tháng 3/2026");
    CHECK_STR(ct_lang_period(CT_LANG_EN, 2025, 6, 0, b, sizeof b), "first half of 2025");
    CHECK_STR(ct_lang_period(CT_LANG_EN, 2026, 3, 1, b, sizeof b), "Q2 2026");
    CHECK_STR(ct_lang_period(CT_LANG_EN, 2026, 1, 2, b, sizeof b), "March 2026");
    CHECK_STR(ct_lang_period(CT_LANG_EN, 2020, 12, 0, b, sizeof b), "2020");
    CHECK_STR(ct_lang_date(CT_LANG_VI, 2026, 12, 6, b, sizeof b), "ngày 6 tháng 12 năm 2026");
    CHECK_STR(ct_lang_date(CT_LANG_EN, 2026, 12, 6, b, sizeof b), "6 December 2026");
}

/* The printf conversions of a format, in order ("%d%s"); "%%" is not one,
 * nor a '%' in a plain text ("95% band", "Tỷ lệ (%)"): the catalogue's
 * formats use only d, s, f, g and z/l sizes, without a space flag. */
static void conversions(const char *f, char *out, size_t size)
{
    size_t k = 0;
    for (const char *p = f; *p && k + 3 < size; p++) {
        if (*p != '%') continue;
        p++;
        if (*p == '%') continue;
        while (*p && strchr("0123456789.-lz", *p)) p++;
        if (!*p) break;
        if (!strchr("dsfgu", *p)) continue;
        out[k++] = '%';
        out[k++] = *p;
    }
    out[k] = '\0';
}

static void test_catalogue(void)
{
    for (int id = 0; id < CT_M_COUNT; id++) {
        const char *en = ct_msg(CT_LANG_EN, (ct_msg_id)id), *vi = ct_msg(CT_LANG_VI, (ct_msg_id)id);
        char ce[64], cv[64];
        test_checks++;
        if (!en[0] || !vi[0]) {
            test_failures++;
            fprintf(stderr, "message %s: missing in %s\n", ct_msg_name((ct_msg_id)id), en[0] ? "vi" : "en");
        }
        conversions(en, ce, sizeof ce);
        conversions(vi, cv, sizeof cv);
        test_checks++;
        if (strcmp(ce, cv)) {
            test_failures++;
            fprintf(stderr, "message %s: conversions differ: en \"%s\", vi \"%s\"\n", ct_msg_name((ct_msg_id)id), ce, cv);
        }
    }
    CHECK_STR(ct_msg(CT_LANG_VI, CT_M_AS_OF), "Số liệu đến");
    CHECK_STR(ct_msg_name(CT_M_AS_OF), "AS_OF");
    CHECK_STR(ct_msg(CT_LANG_VI, CT_M_COUNT), "");
    /* a note's level in words: the data's name in English, the Vietnamese word in vi */
    CHECK_STR(ct_lang_level(CT_LANG_VI, "district"), "huyện");
    CHECK_STR(ct_lang_level(CT_LANG_VI, "commune"), "xã");
    CHECK_STR(ct_lang_level(CT_LANG_EN, "district"), "district");
    CHECK_STR(ct_lang_level(CT_LANG_VI, "ward"), "ward");
    /* a moved note keeps its CSV text */
    CHECK_STR(ct_msg(CT_LANG_VI, CT_M_NOTE_GAP_PROGRESS), "%s so với mục tiêu %s: %s, đạt %.1f%% tiến độ kế hoạch");
    CHECK_STR(ct_msg(CT_LANG_EN, CT_M_FEAS_NEARLY), "nearly met");
    /* the checker itself: it sees a conversion that differs */
    char a[16], b[16];
    conversions("%d of %s", a, sizeof a);
    conversions("%s/%d", b, sizeof b);
    CHECK(strcmp(a, b) != 0);
    conversions("95% band, 100%% done, %.1f%%", a, sizeof a);
    CHECK_STR(a, "%f");
}

int main(void)
{
    test_numbers();
    test_periods_dates();
    test_catalogue();
    return test_report("test_lang");
}
