#include "ct_tmpfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* The live temporary files, in fixed slots that a signal handler can read. */
enum { SLOTS = 32, SLOT_PATH = 4096 };

static char slot_path[SLOTS][SLOT_PATH];
static volatile sig_atomic_t slot_used[SLOTS];
static int handlers_set;

static void on_signal(int sig)
{
    for (int i = 0; i < SLOTS; i++)
        if (slot_used[i]) unlink(slot_path[i]);
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

static void watch(const char *path)
{
    size_t n = strlen(path);
    if (n >= SLOT_PATH) return;
    set_handlers();
    for (int i = 0; i < SLOTS; i++) {
        if (slot_used[i]) continue;
        memcpy(slot_path[i], path, n + 1);
        slot_used[i] = 1;
        return;
    }
}

void ct_tmpfile_forget(const char *path)
{
    for (int i = 0; i < SLOTS; i++)
        if (slot_used[i] && strcmp(slot_path[i], path) == 0) { slot_used[i] = 0; return; }
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

int ct_tmpfile_create(const char *dir, const char *base, char **path)
{
    *path = NULL;
    size_t size = (dir ? strlen(dir) : 0) + strlen(base) + 32;
    char *p = malloc(size);
    if (!p) { errno = ENOMEM; return -1; }
    for (int attempt = 0; attempt < 100; attempt++) {
        char letters[13];
        random_letters(letters, 12);
        letters[12] = '\0';
        if (dir) snprintf(p, size, "%s/.%.200s.%s.tmp", dir, base, letters);
        else snprintf(p, size, ".%.200s.%s.tmp", base, letters);
        int fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0666);
        if (fd >= 0) {
            watch(p);
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
