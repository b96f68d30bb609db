/* Shared helpers for the libFuzzer harnesses (tests/fuzz). */
#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes data to a fresh temp file (mkstemp); returns its path (static
 * buffer `path`, at least 64 bytes) or NULL. The caller unlinks it. */
static inline const char *fuzz_tmpfile(char *path, size_t cap, const char *tag,
                                       const uint8_t *data, size_t size)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    snprintf(path, cap, "%s/chitieu-fuzz-%s-XXXXXX", dir, tag);
    int fd = mkstemp(path);
    if (fd < 0) return NULL;
    size_t off = 0;
    while (off < size) {
        ssize_t w = write(fd, data + off, size - off);
        if (w <= 0) { close(fd); unlink(path); return NULL; }
        off += (size_t)w;
    }
    close(fd);
    return path;
}

/* A NUL-terminated heap copy of the input (exact size + 1, so that ASan
 * catches reads past the terminator). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s) abort();
    if (size) memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#endif
