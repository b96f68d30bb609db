/* libFuzzer harness for the DHIS2 reader (engine/load/ct_dhis2_in.c).
 *
 * The input has up to three sections separated by a line `%%`: an optional
 * map CSV, organisationUnits JSON, and a dataValueSets file (JSON or CSV).
 * Each is written to a temp file and read in the order `import dhis2` reads
 * them; every unit and observation read must hold only valid strings. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "load/ct_dhis2_read.h"
#include "load/ct_dhis2_units.h"

static void touch(const char *s)
{
    if (!s) abort();
    volatile size_t n = strlen(s);
    (void)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *part[3] = {data, NULL, NULL};
    size_t len[3] = {size, 0, 0};
    int n = 1;
    for (size_t i = 0; i + 3 <= size && n < 3; i++) {
        if ((i == 0 || data[i - 1] == '\n') && !memcmp(data + i, "%%\n", 3)) {
            len[n - 1] = (size_t)(data + i - part[n - 1]);
            part[n] = data + i + 3;
            len[n] = size - (i + 3);
            n++;
            i += 2;
        }
    }
    /* one section: org units; two: org units, values; three: map, org units, values */
    int has_map = n == 3, ou = n == 3 ? 1 : 0, dv = n == 3 ? 2 : n == 2 ? 1 : -1;
    char pm[128], po[128], pv[128];
    const char *fm = has_map ? fuzz_tmpfile(pm, sizeof pm, "dhis2map", part[0], len[0]) : NULL;
    const char *fo = fuzz_tmpfile(po, sizeof po, "dhis2ou", part[ou], len[ou]);
    const char *fv = dv >= 0 ? fuzz_tmpfile(pv, sizeof pv, "dhis2dv", part[dv], len[dv]) : NULL;
    ct_diags d;
    ct_diags_init(&d);
    ct_dhis2_import im;
    ct_dhis2_init(&im);
    im.skip_unplaced = size & 1;
    if (fm) ct_dhis2_read_map(&im, fm, &d);
    if (fo && ct_dhis2_read_orgunits(&im, fo, &d) != CT_ENOMEM && ct_dhis2_finish_orgunits(&im, &d) != CT_ENOMEM && fv)
        ct_dhis2_read_values(&im, fv, &d);
    for (size_t i = 0; i < im.n_units; i++) {
        const ct_dhis2_unit *u = &im.units[im.order ? im.order[i] : i];
        touch(u->code); touch(u->name); touch(u->level); touch(u->parent);
        touch(u->valid_from); touch(u->valid_to);
    }
    for (size_t i = 0; i < im.n_obs; i++) {
        touch(im.obs[i].unit); touch(im.obs[i].period); touch(im.obs[i].metric);
        if (strlen(im.obs[i].text) >= sizeof im.obs[i].text) abort();
    }
    ct_dhis2_free(&im);
    ct_diags_free(&d);
    if (fm) unlink(fm);
    if (fo) unlink(fo);
    if (fv) unlink(fv);
    return 0;
}
