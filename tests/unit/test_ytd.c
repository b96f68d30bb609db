/* The current year (engine/project/ct_ytd.c): the periods a year so far
 * reads, and the probability of meeting the target from past profiles.
 * Expected values by hand: with two shares the predictive is Student t with
 * one degree of freedom (Cauchy), whose cdf is 1/2 + atan(x)/pi. */
#include "project/ct_ytd.h"
#include "test.h"

#include <string.h>

static void test_periods(void)
{
    CHECK_INT(ct_ytd_year(2024 * 12 + 5), 2024);  /* as of 2024S1 */
    CHECK_INT(ct_ytd_year(2024 * 12 + 11), 0);    /* 2024 complete */
    CHECK_INT(ct_ytd_period_type(2024 * 12 + 5), CT_PT_HALF);
    CHECK_INT(ct_ytd_period_type(2024 * 12 + 2), CT_PT_QUARTER);
    CHECK_INT(ct_ytd_period_type(2024 * 12 + 0), CT_PT_MONTH);
    CHECK_INT(ct_ytd_period_type(2024 * 12 + 8), -1); /* no period runs January-September */
}

static void test_probability(void)
{
    /* shares 0.4 and 0.5: mean 0.45, sd sqrt(0.005); 50 so far of 100: the year meets the
     * target when the share is <= 0.5; x = 0.05 / (sqrt(0.005) * sqrt(1.5)) = 1/sqrt(3),
     * P = 1/2 + atan(1/sqrt(3))/pi = 1/2 + 1/6 */
    double sh[2] = {0.4, 0.5};
    CHECK_NUM(ct_ytd_probability(50, 100, +1, sh, 2), 2.0 / 3.0, 1e-9);
    CHECK_NUM(ct_ytd_probability(50, 100, -1, sh, 2), 1.0 / 3.0, 1e-9);
    /* at the mean: one half */
    CHECK_NUM(ct_ytd_probability(45, 100, +1, sh, 2), 0.5, 1e-9);
    /* one past year: no probability */
    CHECK(isnan(ct_ytd_probability(50, 100, +1, sh, 1)));
    /* no spread: a step */
    double same[3] = {0.5, 0.5, 0.5};
    CHECK_NUM(ct_ytd_probability(30, 60, +1, same, 3), 1, 0);
    CHECK_NUM(ct_ytd_probability(29, 60, +1, same, 3), 0, 0);
}

/* on track by the ratio, yet under 50 % likely by the year's end: the note says both.
 * Shares 0.80, 0.84, 0.82 (mean 0.82): 79 of 100 against 82 expected, ratio 0.963;
 * 0.79 < 0.82, so P < 1/2. */
static void test_disagreement_note(void)
{
    ct_indicator ind = {0};
    ind.direction = 1;
    ct_target t = {0};
    t.year = 2026;
    ct_assessment a = {0};
    a.ind = &ind;
    a.target = &t;
    a.target_year = 2026;
    a.target_value = 100;
    a.lang = CT_LANG_EN;
    ct_ytd y = {0};
    y.year = 2026;
    y.months = 6;
    y.has_period = y.has_value = y.accumulates = 1;
    y.value = 79;
    y.coverage = 1;
    y.n_past = 3;
    double sh[3] = {0.80, 0.84, 0.82};
    for (int k = 0; k < 3; k++) {
        y.past_year[k] = 2023 + k;
        y.share[k] = sh[k];
    }
    ct_ytd_assess(&a, &y);
    CHECK(!strcmp(a.status, "on_track"));
    CHECK_NUM(a.ratio, 79.0 / 82.0, 1e-9);
    CHECK(a.probability < 0.5);
    CHECK(strstr(a.note, "on track so far, but only a") != NULL);
}

int main(void)
{
    test_periods();
    test_probability();
    test_disagreement_note();
    return test_report("test_ytd");
}
