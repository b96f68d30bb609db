/* Reading a whole (small) file into memory, refusing files above a size. */
#ifndef CT_FILE_H
#define CT_FILE_H

#include <stddef.h>

#include "ct_error.h"

/* Reads path into a malloc'd buffer (*out, owned by the caller; NUL-terminated,
 * *len bytes before the NUL). A file larger than max bytes is refused as
 * "WHAT larger than N MiB". Returns CT_OK, CT_EIO, CT_EINPUT or CT_ENOMEM,
 * with the problem added to d. */
ct_status ct_file_read(const char *path, size_t max, const char *what, char **out, size_t *len, ct_diags *d);

#endif
