/* The current year (engine/project/ct_ytd.c): the periods a year so far
 * reads, and the probability of meeting the target from past profiles.
 * Expected values by hand: with two shares the predictive is Student t with
 * one degree of freedom (Cauchy), whose cdf is 1/2 + atan(x)/pi. */
#include "project/ct_ytd.h"
#include "test.h"

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

int main(void)
{
    test_periods();
    test_probability();
    return test_report("test_ytd");
}
