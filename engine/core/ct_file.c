#include "ct_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The files read so far: a short list (plans, data files, rules files). */
typedef struct {
    dev_t dev;
    ino_t ino;
    char *path;
} input_file;

static input_file *inputs;
static size_t n_inputs, cap_inputs;

static void note_input(const struct stat *st, const char *path)
{
    if (ct_file_input_named(st->st_dev, st->st_ino)) return;
    if (n_inputs == cap_inputs) {
        size_t nc = cap_inputs ? cap_inputs * 2 : 16;
        input_file *p = realloc(inputs, nc * sizeof *p);
        if (!p) return;
        inputs = p;
        cap_inputs = nc;
    }
    char *copy = strdup(path);
    if (!copy) return;
    inputs[n_inputs++] = (input_file){st->st_dev, st->st_ino, copy};
}

const char *ct_file_input_named(dev_t dev, ino_t ino)
{
    for (size_t i = 0; i < n_inputs; i++)
        if (inputs[i].dev == dev && inputs[i].ino == ino) return inputs[i].path;
    return NULL;
}

void ct_file_inputs_clear(void)
{
    for (size_t i = 0; i < n_inputs; i++) free(inputs[i].path);
    free(inputs);
    inputs = NULL;
    n_inputs = cap_inputs = 0;
}

static const char *kind_of(mode_t m)
{
    if (S_ISDIR(m)) return "a folder";
    if (S_ISFIFO(m)) return "a FIFO (named pipe)";
    if (S_ISCHR(m) || S_ISBLK(m)) return "a device";
    if (S_ISSOCK(m)) return "a socket";
    return "not a regular file";
}

int ct_file_open_input(const char *path, const char *what, size_t *size, ct_diags *d)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        ct_error_at(d, path, 0, 0, "cannot open: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        ct_error_at(d, path, 0, 0, "cannot open: %s", strerror(errno));
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        ct_error_at(d, path, 0, 0, "%s is %s; give a regular file", what, kind_of(st.st_mode));
        close(fd);
        return -1;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
        ct_error_at(d, path, 0, 0, "cannot open: %s", strerror(errno));
        close(fd);
        return -1;
    }
    note_input(&st, path);
    if (size) *size = (size_t)st.st_size;
    return fd;
}

ct_status ct_file_read(const char *path, size_t max, const char *what, char **out, size_t *len, ct_diags *d)
{
    *out = NULL;
    *len = 0;
    int fd = ct_file_open_input(path, what, NULL, d);
    if (fd < 0) return CT_EIO;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    ct_status st = CT_OK;
    for (;;) {
        if (n + 1 >= cap) {
            cap = cap ? cap * 2 : 65536;
            if (cap > max + 2) cap = max + 2;
            char *nb = realloc(buf, cap);
            if (!nb) { st = CT_ENOMEM; ct_error_at(d, path, 0, 0, "out of memory"); break; }
            buf = nb;
        }
        ssize_t got = read(fd, buf + n, cap - 1 - n);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            st = CT_EIO;
            ct_error_at(d, path, 0, 0, "cannot read: %s", strerror(errno));
            break;
        }
        n += (size_t)got;
        if (n > max) {
            st = CT_EINPUT;
            ct_error_at(d, path, 0, 0, "%s larger than %zu MiB; refused", what, max >> 20);
            break;
        }
        if (got == 0) break;
    }
    close(fd);
    if (st != CT_OK) { free(buf); return st; }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return CT_OK;
}
