/* Temporary files beside a target: created with an unpredictable name,
 * O_EXCL and O_NOFOLLOW, and removed if the program is stopped by SIGINT,
 * SIGTERM or SIGHUP before they are renamed into place or discarded. */
#ifndef CT_TMPFILE_H
#define CT_TMPFILE_H

#include <stddef.h>
#include <sys/types.h>

/* Creates a new file in dir (NULL: the current folder) named
 * ".BASE.XXXXXXXXXXXX.tmp" (random letters), mode 0666 less the umask, and
 * registers it for removal on a signal. Returns the descriptor and writes
 * the path (malloc'd, the caller's) to *path, or -1 with errno set. */
int ct_tmpfile_create(const char *dir, const char *base, char **path);

/* Stops watching path (after it was renamed or removed). */
void ct_tmpfile_forget(const char *path);

/* Creates a private folder (mode 0700) in dir (NULL: the current folder)
 * named ".BASE.XXXXXXXXXXXX.tmp", registered for removal with all it holds
 * on a signal. Returns its path (malloc'd, the caller's), or NULL with
 * errno set. Commit it by rename, then ct_tmpfile_forget; or discard it
 * with ct_tmpdir_remove. */
char *ct_tmpdir_create(const char *dir, const char *base);

/* Removes the folder with everything in it (never through a link) and
 * stops watching it. */
void ct_tmpdir_remove(const char *path);

/* The folder for private temporary folders: $TMPDIR when it is an absolute
 * folder, else /tmp. */
const char *ct_tmpdir_parent(void);

/* A child process that a SIGINT, SIGTERM or SIGHUP ends (SIGKILL, and
 * waited for) before the temporary files and folders are removed.
 * Returns -1 when the table is full. */
int ct_tmpfile_watch_child(pid_t pid);
void ct_tmpfile_forget_child(pid_t pid);

#endif
