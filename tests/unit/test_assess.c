/* The default status from the UNSD progress ratio (engine/project/ct_assess.c).
 * Thresholds from the contract (the interface contract; docs/methodology.md): on_track ratio >= 0.95;
 * at_risk 0.5 <= ratio < 0.95; off_track -0.1 <= ratio < 0.5; deteriorating ratio < -0.1.
 * Each boundary is checked from both sides. */
#include <string.h>

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
    /* a note longer than its buffer: cut at a character's start, ending with "…" */
    static ct_assessment a;
    ct_assess_note_append(&a, "first");
    ct_assess_note_append(&a, "second");
    CHECK_STR(a.note, "first; second");
    char big[2000];
    size_t k = 0;
    while (k + 3 < sizeof big) { memcpy(big + k, "Ễ", 3); k += 3; } /* 3 bytes each */
    big[k] = '\0';
    ct_assess_note_append(&a, big);
    size_t n = strlen(a.note);
    CHECK(n < sizeof a.note);
    CHECK(n >= 3 && strcmp(a.note + n - 3, "…") == 0);
    /* every character before the ellipsis is whole: the text after "first; second; " is Ễ repeated */
    size_t body = n - 3 - strlen("first; second; ");
    CHECK(body % 3 == 0);
    CHECK(memcmp(a.note + strlen("first; second; "), "ỄỄ", 6) == 0);
    ct_assess_note_append(&a, "more"); /* full: nothing is added, nothing breaks */
    CHECK(strlen(a.note) == n);
    return test_report("test_assess");
}
