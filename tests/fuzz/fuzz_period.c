/* libFuzzer harness for period parsing (engine/model/ct_period.c): parse,
 * then check that the canonical form parses back to the same period and
 * that the index arithmetic round-trips. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "model/ct_period.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* exact-size copy: ct_period_parse takes (s, len), no terminator */
    char *s = malloc(size ? size : 1);
    if (!s) abort();
    if (size) memcpy(s, data, size);
    ct_period p;
    if (ct_period_parse(s, size, &p) == 0) {
        if (p.type >= CT_PT_COUNT || p.sub >= ct_ptype_per_year((ct_ptype)p.type)) abort();
        char buf[CT_PERIOD_BUF];
        size_t n = ct_period_format(p, buf);
        if (n != strlen(buf)) abort();
        ct_period q;
        if (ct_period_parse(buf, n, &q) != 0) abort();
        if (q.year != p.year || q.type != p.type || q.sub != p.sub) abort();
        if (ct_period_cmp(p, q) != 0) abort();
        if (ct_period_first_month(p) > ct_period_last_month(p)) abort();
        int idx = ct_period_index(p, 1900);
        ct_period r = ct_period_from_index((ct_ptype)p.type, 1900, idx);
        if (r.year != p.year || r.sub != p.sub) abort();
        idx = ct_period_index(p, 2200);   /* negative index */
        r = ct_period_from_index((ct_ptype)p.type, 2200, idx);
        if (r.year != p.year || r.sub != p.sub) abort();
        ct_period pr = ct_period_prev(p);
        if (ct_period_cmp(pr, p) >= 0) abort();
        if (ct_period_last_month(pr) + 1 != ct_period_first_month(p)) abort();
        (void)ct_ptype_name((ct_ptype)p.type);
    }
    /* ct_ptype_parse takes a C string */
    char *z = fuzz_cstr(data, size);
    ct_ptype t;
    if (ct_ptype_parse(z, &t) == 0 && (int)t >= CT_PT_COUNT) abort();
    free(z);
    free(s);
    return 0;
}
