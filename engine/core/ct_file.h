/* Opening input files safely (never blocking on a FIFO, refusing what is not
 * a regular file), reading whole small files, and remembering which files
 * were read so that no output can overwrite one of them. */
#ifndef CT_FILE_H
#define CT_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "ct_error.h"

/* Opens path for reading without blocking (a FIFO with no writer does not
 * hang), refuses anything but a regular file (FIFO, device, folder) with an
 * error naming path and WHAT, then returns a blocking descriptor, or -1 with
 * the error in d. The file is noted as an input (ct_file_input_named). *size
 * (if not NULL) gets its size. */
int ct_file_open_input(const char *path, const char *what, size_t *size, ct_diags *d);

/* Reads path into a malloc'd buffer (*out, owned by the caller; NUL-terminated,
 * *len bytes before the NUL). A file larger than max bytes is refused as
 * "WHAT larger than N MiB". Returns CT_OK, CT_EIO, CT_EINPUT or CT_ENOMEM,
 * with the problem added to d. */
ct_status ct_file_read(const char *path, size_t max, const char *what, char **out, size_t *len, ct_diags *d);

/* The path an input was read under if the file (device and inode) is one of
 * the inputs read so far, else NULL. */
const char *ct_file_input_named(dev_t dev, ino_t ino);

/* Forgets every input noted (for tests and long-running callers). */
void ct_file_inputs_clear(void);

#endif
