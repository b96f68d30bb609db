/* libFuzzer harness for the CSV reader (engine/load/ct_csv.c).
 *
 * Each input is read twice: once through ct_csv_open on a temp file (the
 * real path, over mmap), and once over an exact-size heap copy so that
 * AddressSanitizer sees any read or write past the end of the data (a read
 * past the end of a mapping is invisible to ASan unless it crosses a page). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "load/ct_csv.h"

static void drain(ct_csv *r, int max, ct_diags *d)
{
    ct_field f[16];
    int rows = 0;
    for (;;) {
        size_t before = r->pos;
        int n = ct_csv_next(r, f, max, d);
        if (n == 0) break;
        if (n > 0) {
            int k = n < max ? n : max;
            for (int i = 0; i < k; i++) {
                /* every field lies within the data */
                if (f[i].len && (f[i].ptr < r->data || f[i].ptr + f[i].len > r->data + r->size)) abort();
                volatile char sink = 0;
                for (size_t j = 0; j < f[i].len; j++) sink ^= f[i].ptr[j];
                (void)sink;
            }
        }
        /* the reader must make progress */
        if (r->pos <= before && r->pos < r->size) abort();
        if (++rows > 1000000) abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ct_diags d;
    ct_diags_init(&d);

    /* 1. the real path: a file, read whole */
    char path[256];
    if (fuzz_tmpfile(path, sizeof path, "csv", data, size)) {
        ct_csv r;
        if (ct_csv_open(&r, path, &d) == CT_OK) {
            drain(&r, 16, &d);
            ct_csv_close(&r);
        }
        unlink(path);
    }

    /* 2. the same bytes in an exact-size heap buffer (as ct_csv_open would set it up) */
    char *buf = malloc(size ? size : 1);
    if (!buf) abort();
    if (size) memcpy(buf, data, size);
    ct_csv r;
    memset(&r, 0, sizeof r);
    r.path = "heap.csv";
    r.data = buf;
    r.size = size;
    r.line = 1;
    if (size >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) r.pos = 3;
    drain(&r, size ? (int)(data[0] % 16) + 1 : 4, &d);  /* also exercise small `max` */
    free(buf);

    ct_diags_free(&d);
    return 0;
}
