#define _GNU_SOURCE /* syscall(SYS_getdents64): listing a folder inside a signal handler */
#include "ct_tmpfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The live temporary files and folders, and the child processes writing
 * into them, in fixed slots that a signal handler can read. */
enum { SLOTS = 32, SLOT_PATH = 4096, CHILDREN = 64, RM_DEPTH = 8 };

static char slot_path[SLOTS][SLOT_PATH];
static volatile sig_atomic_t slot_used[SLOTS];   /* 1: a file, 2: a folder */
static volatile pid_t child_pid[CHILDREN];
static int handlers_set;

/* Removes what the folder fd holds, depth levels down, with system calls
 * only (getdents64, unlinkat): safe in a signal handler. Never follows a
 * link: a link is removed, not what it names. */
static void rm_inside(int fd, int depth)
{
    char buf[4096];
    for (;;) {
        long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
        if (n <= 0) return;
        int removed = 0;
        for (long off = 0; off < n;) {
            unsigned short reclen;
            unsigned char type;
            memcpy(&reclen, buf + off + 16, sizeof reclen);
            type = (unsigned char)buf[off + 18];
            const char *name = buf + off + 19;
            off += reclen;
            if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2]))) continue;
            if (unlinkat(fd, name, 0) == 0) { removed = 1; continue; }
            if ((type == 4 /* DT_DIR */ || type == 0) && depth > 0) {
                int sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (sub >= 0) {
                    rm_inside(sub, depth - 1);
                    close(sub);
                }
                if (unlinkat(fd, name, AT_REMOVEDIR) == 0) removed = 1;
            }
        }
        if (removed) lseek(fd, 0, SEEK_SET); /* the listing changed: read it again */
    }
}

static void rm_tree(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        rm_inside(fd, RM_DEPTH);
        close(fd);
    }
    rmdir(path);
}

static void on_signal(int sig)
{
    /* first the children, so that none writes into a folder being removed */
    for (int i = 0; i < CHILDREN; i++)
        if (child_pid[i] > 0) { kill(-child_pid[i], SIGKILL); kill(child_pid[i], SIGKILL); } /* its group, and it */
    for (int i = 0; i < CHILDREN; i++)
        if (child_pid[i] > 0) waitpid(child_pid[i], NULL, 0);
    for (int i = 0; i < SLOTS; i++) {
        if (slot_used[i] == 1) unlink(slot_path[i]);
        else if (slot_used[i] == 2) rm_tree(slot_path[i]);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void set_handlers(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    if (handlers_set) return;
    handlers_set = 1;
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old, sa;
        if (sigaction(sigs[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN) continue;
        if (old.sa_handler != SIG_DFL) continue; /* the program has its own */
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
}

static void watch(const char *path, int kind)
{
    size_t n = strlen(path);
    if (n >= SLOT_PATH) return;
    set_handlers();
    for (int i = 0; i < SLOTS; i++) {
        if (slot_used[i]) continue;
        memcpy(slot_path[i], path, n + 1);
        slot_used[i] = (sig_atomic_t)kind;
        return;
    }
}

void ct_tmpfile_forget(const char *path)
{
    for (int i = 0; i < SLOTS; i++)
        if (slot_used[i] && strcmp(slot_path[i], path) == 0) { slot_used[i] = 0; return; }
}

int ct_tmpfile_watch_child(pid_t pid)
{
    set_handlers();
    for (int i = 0; i < CHILDREN; i++)
        if (child_pid[i] <= 0) { child_pid[i] = pid; return 0; }
    return -1;
}

void ct_tmpfile_forget_child(pid_t pid)
{
    for (int i = 0; i < CHILDREN; i++)
        if (child_pid[i] == pid) { child_pid[i] = 0; return; }
}

static void random_letters(char *out, size_t n)
{
    static const char abc[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    unsigned char r[32];
    if (n > sizeof r) n = sizeof r;
    if (getrandom(r, n, 0) != (ssize_t)n) {
        /* no entropy source: time and address bits (O_EXCL still holds) */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        unsigned long long x = (unsigned long long)ts.tv_nsec ^ ((unsigned long long)getpid() << 32) ^ (unsigned long long)(size_t)&ts;
        for (size_t i = 0; i < n; i++) { x = x * 6364136223846793005ULL + 1442695040888963407ULL; r[i] = (unsigned char)(x >> 56); }
    }
    for (size_t i = 0; i < n; i++) out[i] = abc[r[i] % (sizeof abc - 1)];
}

/* ".BASE.RANDOM.tmp" beside DIR's other files: hidden, and never a name a user chose */
static size_t hidden_name_size(const char *dir, const char *base)
{
    return (dir ? strlen(dir) : 0) + strlen(base) + 32;
}

static void hidden_name(char *p, size_t size, const char *dir, const char *base)
{
    char letters[13];
    random_letters(letters, 12);
    letters[12] = '\0';
    if (dir) snprintf(p, size, "%s/.%.200s.%s.tmp", dir, base, letters);
    else snprintf(p, size, ".%.200s.%s.tmp", base, letters);
}

int ct_tmpfile_create(const char *dir, const char *base, char **path)
{
    *path = NULL;
    size_t size = hidden_name_size(dir, base);
    char *p = malloc(size);
    if (!p) { errno = ENOMEM; return -1; }
    for (int attempt = 0; attempt < 100; attempt++) {
        hidden_name(p, size, dir, base);
        int fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0666);
        if (fd >= 0) {
            watch(p, 1);
            *path = p;
            return fd;
        }
        if (errno != EEXIST) break;
    }
    int e = errno;
    free(p);
    errno = e;
    return -1;
}

char *ct_tmpdir_create(const char *dir, const char *base)
{
    size_t size = hidden_name_size(dir, base);
    char *p = malloc(size);
    if (!p) { errno = ENOMEM; return NULL; }
    for (int attempt = 0; attempt < 100; attempt++) {
        hidden_name(p, size, dir, base);
        /* mkdir never follows a link at its last name and fails on anything there */
        if (mkdir(p, 0700) == 0) {
            watch(p, 2);
            return p;
        }
        if (errno != EEXIST) break;
    }
    int e = errno;
    free(p);
    errno = e;
    return NULL;
}

void ct_tmpdir_remove(const char *path)
{
    if (!path) return;
    rm_tree(path);
    ct_tmpfile_forget(path);
}

const char *ct_tmpdir_parent(void)
{
    const char *t = getenv("TMPDIR");
    struct stat st;
    if (t && t[0] == '/' && stat(t, &st) == 0 && S_ISDIR(st.st_mode)) return t;
    return "/tmp";
}
