/* The default status from the UNSD progress ratio (engine/project/ct_assess.c).
 * Thresholds from the contract (the interface contract; docs/methodology.md): on_track ratio >= 0.95;
 * at_risk 0.5 <= ratio < 0.95; off_track -0.1 <= ratio < 0.5; deteriorating ratio < -0.1.
 * Each boundary is checked from both sides. */
#include "project/ct_assess.h"
#include "test.h"

int main(void)
{
    /* on_track / at_risk at 0.95 */
    CHECK_STR(ct_assess_status_from_ratio(0.95), "on_track");
    CHECK_STR(ct_assess_status_from_ratio(0.9500001), "on_track");
    CHECK_STR(ct_assess_status_from_ratio(0.9499999), "at_risk");
    /* at_risk / off_track at 0.5 */
    CHECK_STR(ct_assess_status_from_ratio(0.5), "at_risk");
    CHECK_STR(ct_assess_status_from_ratio(0.5000001), "at_risk");
    CHECK_STR(ct_assess_status_from_ratio(0.4999999), "off_track");
    /* off_track / deteriorating at -0.1 */
    CHECK_STR(ct_assess_status_from_ratio(-0.1), "off_track");
    CHECK_STR(ct_assess_status_from_ratio(-0.0999999), "off_track");
    CHECK_STR(ct_assess_status_from_ratio(-0.1000001), "deteriorating");
    /* inside each band and far out */
    CHECK_STR(ct_assess_status_from_ratio(1.0), "on_track");
    CHECK_STR(ct_assess_status_from_ratio(25.0), "on_track");
    /* the UNSD worked example: 0.045639553 / 0.062990379 = 0.724547988 */
    CHECK_STR(ct_assess_status_from_ratio(0.724547988), "at_risk");
    /* 12.5 / 10 points a year */
    CHECK_STR(ct_assess_status_from_ratio(1.25), "on_track");
    CHECK_STR(ct_assess_status_from_ratio(0.0), "off_track");
    CHECK_STR(ct_assess_status_from_ratio(-0.05), "off_track");
    CHECK_STR(ct_assess_status_from_ratio(-3.0), "deteriorating");
    return test_report("test_assess");
}
