/* The indicator kinds' descriptors: one per kind, each named and parsed back,
 * and what each says of percentages, unit counting, adding up and the grid. */
#include "load/ct_kind.h"
#include "test.h"

static void test_every_kind(void)
{
    for (int k = 0; k < CT_N_KINDS; k++) {
        const ct_kind_desc *d = ct_kind_of((ct_kind)k);
        CHECK(d->name != NULL && d->keys != NULL);
        if (!d->name) continue;
        CHECK_INT(ct_kind_parse(d->name, strlen(d->name)), k);
        CHECK_STR(ct_kind_name((ct_kind)k), d->name);
    }
    CHECK_INT(ct_kind_parse("median_of_units", 15), -1);
    CHECK_INT(ct_kind_parse("sum", 2), -1); /* a prefix is not a kind */
}

static void test_what_kinds_say(void)
{
    /* the unit-counting kinds have reported/expected columns */
    CHECK_INT(ct_kind_of(CT_KIND_SHARE)->counts_units, 1);
    CHECK_INT(ct_kind_of(CT_KIND_COUNT)->counts_units, 1);
    CHECK_INT(ct_kind_of(CT_KIND_TRANSITION)->counts_units, 1);
    CHECK_INT(ct_kind_of(CT_KIND_RATIO)->counts_units, 0);
    CHECK_INT(ct_kind_of(CT_KIND_LUA)->counts_units, 0);
    /* only a rule's values are computed over a grid, and never added up */
    for (int k = 0; k < CT_N_KINDS; k++) {
        CHECK_INT(ct_kind_of((ct_kind)k)->needs_grid, k == CT_KIND_LUA);
        CHECK_INT(ct_kind_of((ct_kind)k)->adds_up, k != CT_KIND_LUA);
    }
    /* percentages: shares, rates and frequencies always; a ratio by its scale, a rule's by its unit */
    ct_indicator ind;
    memset(&ind, 0, sizeof ind);
    ind.kind = CT_KIND_SHARE;
    CHECK_INT(ct_indicator_is_percent(&ind), 1);
    ind.kind = CT_KIND_COUNT;
    CHECK_INT(ct_indicator_is_percent(&ind), 0);
    ind.kind = CT_KIND_RATIO;
    ind.scale = 100;
    CHECK_INT(ct_indicator_is_percent(&ind), 1);
    ind.scale = 1000;
    CHECK_INT(ct_indicator_is_percent(&ind), 0);
    ind.kind = CT_KIND_LUA;
    CHECK_INT(ct_indicator_is_percent(&ind), 0);
    ind.unit = "%";
    CHECK_INT(ct_indicator_is_percent(&ind), 1);
}

int main(void)
{
    test_every_kind();
    test_what_kinds_say();
    return test_report("test_kind");
}
