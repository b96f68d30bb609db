#include "ct_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ct_status ct_file_read(const char *path, size_t max, const char *what, char **out, size_t *len, ct_diags *d)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        ct_error_at(d, path, 0, 0, "cannot open: %s", strerror(errno));
        return CT_EIO;
    }
    char *buf = NULL;
    size_t n = 0, cap = 0;
    ct_status st = CT_OK;
    for (;;) {
        if (n + 1 >= cap) {
            cap = cap ? cap * 2 : 65536;
            if (cap > max * 2 + 65536) cap = max + 2;
            char *nb = realloc(buf, cap);
            if (!nb) { st = CT_ENOMEM; ct_error_at(d, path, 0, 0, "out of memory"); break; }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - 1 - n, f);
        n += got;
        if (n > max) {
            st = CT_EINPUT;
            ct_error_at(d, path, 0, 0, "%s larger than %zu MiB; refused", what, max >> 20);
            break;
        }
        if (got == 0) break;
    }
    if (st == CT_OK && ferror(f)) {
        st = CT_EIO;
        ct_error_at(d, path, 0, 0, "cannot read: %s", strerror(errno));
    }
    fclose(f);
    if (st != CT_OK) { free(buf); return st; }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return CT_OK;
}
