/* Temporary files beside a target: created with an unpredictable name,
 * O_EXCL and O_NOFOLLOW, and removed if the program is stopped by SIGINT,
 * SIGTERM or SIGHUP before they are renamed into place or discarded. */
#ifndef CT_TMPFILE_H
#define CT_TMPFILE_H

#include <stddef.h>

/* Creates a new file in dir (NULL: the current folder) named
 * ".BASE.XXXXXXXXXXXX.tmp" (random letters), mode 0666 less the umask, and
 * registers it for removal on a signal. Returns the descriptor and writes
 * the path (malloc'd, the caller's) to *path, or -1 with errno set. */
int ct_tmpfile_create(const char *dir, const char *base, char **path);

/* Stops watching path (after it was renamed or removed). */
void ct_tmpfile_forget(const char *path);

#endif
