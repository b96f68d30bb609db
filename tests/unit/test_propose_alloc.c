/* Allocation (engine/project/ct_propose_alloc.c), against values by hand. */
#include "project/ct_propose_alloc.h"
#include "test.h"

static void test_equal_gap_share(void)
{
    /* two districts: 40 % of 10 communes and 80 % of 30; the region is
     * (4 + 24) / 40 = 70 %. Target 85: the gap to 100 is 30, so each closes
     * g = 15/30 = 0.5 of its own: 40 -> 70, 80 -> 90; region (7 + 27) / 40 = 85. */
    double b[2] = {40, 80}, w[2] = {10, 30}, t[2], g, region;
    CHECK_INT(ct_alloc_split(CT_ALLOC_EQUAL_GAP, 0, b, w, 2, 85, +1, 0, 100, t, &g, &region), 0);
    CHECK_NUM(g, 0.5, 1e-12);
    CHECK_NUM(t[0], 70, 1e-9);
    CHECK_NUM(t[1], 90, 1e-9);
    CHECK_NUM(region, 85, 1e-9);
    /* a decrease toward 0: target 35 from 70 closes half of the gap: 20 and 40 */
    CHECK_INT(ct_alloc_split(CT_ALLOC_EQUAL_GAP, 0, b, w, 2, 35, -1, 0, 100, t, &g, &region), 0);
    CHECK_NUM(t[0], 20, 1e-9);
    CHECK_NUM(t[1], 40, 1e-9);
}

static void test_same_change_share(void)
{
    /* the same relative change c: (10*40 + 30*80)(1 + c) / 40 = 70 (1 + c) = 77 -> c = 0.1 */
    double b[2] = {40, 80}, w[2] = {10, 30}, t[2], c, region;
    CHECK_INT(ct_alloc_split(CT_ALLOC_SAME_CHANGE, 0, b, w, 2, 77, +1, 0, 100, t, &c, &region), 0);
    CHECK_NUM(c, 0.1, 1e-9);
    CHECK_NUM(t[0], 44, 1e-7);
    CHECK_NUM(t[1], 88, 1e-7);
    /* 95 needs a unit at the bound: 80 (1 + c) caps at 100, so 10 * 40 (1 + c) + 3000 = 3800
     * -> c = 1; the region meets 95 */
    CHECK_INT(ct_alloc_split(CT_ALLOC_SAME_CHANGE, 0, b, w, 2, 95, +1, 0, 100, t, &c, &region), 0);
    CHECK_NUM(c, 1, 1e-7);
    CHECK_NUM(t[1], 100, 0);
    CHECK(region >= 95 - 1e-9);
}

static void test_counts(void)
{
    /* counts add up: 30 + 70 = 100 -> 120 is +20 % for each: 36 and 84 */
    double b[2] = {30, 70}, w[2] = {1, 1}, t[2], c, region;
    CHECK_INT(ct_alloc_split(CT_ALLOC_EQUAL_GAP, 1, b, w, 2, 120, +1, 0, NAN, t, &c, &region), 0);
    CHECK_NUM(t[0], 36, 1e-9);
    CHECK_NUM(t[1], 84, 1e-9);
    CHECK_NUM(region, 120, 1e-9);
    /* nothing at the baseline: equal parts */
    double z[2] = {0, 0};
    CHECK_INT(ct_alloc_split(CT_ALLOC_SAME_CHANGE, 1, z, w, 2, 10, +1, 0, NAN, t, &c, &region), 0);
    CHECK_NUM(t[0], 5, 0);
    CHECK_NUM(region, 10, 0);
    /* no unit: no split */
    CHECK_INT(ct_alloc_split(CT_ALLOC_SAME_CHANGE, 1, z, w, 0, 10, +1, 0, NAN, t, &c, &region), -1);
}

int main(void)
{
    test_equal_gap_share();
    test_same_change_share();
    test_counts();
    return test_report("test_propose_alloc");
}
