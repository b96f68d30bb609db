#include "ct_writebehind.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

enum { N_BUFS = 4 };

struct ct_wb {
    FILE *f;
    size_t size;
    char *bufs[N_BUFS];
    size_t len[N_BUFS];
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t work, done;  /* a buffer was handed over; one was written */
    /* under mu: the buffers handed over and not yet written are the
     * `pending` ones before next_fill in the ring, next_write the first */
    int next_fill, next_write, pending;
    int stop, discard;
    int idle, full;             /* the writer waits for work; the caller for a buffer */
    int err;
};

static void *writer(void *arg)
{
    ct_wb *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->pending && !w->stop) {
            w->idle = 1;
            pthread_cond_wait(&w->work, &w->mu);
            w->idle = 0;
        }
        if (!w->pending) break;
        int i = w->next_write;
        size_t n = w->len[i];
        int skip = w->discard || w->err;
        pthread_mutex_unlock(&w->mu);
        int e = 0;
        if (!skip && n && fwrite(w->bufs[i], 1, n, w->f) != n) e = errno ? errno : EIO;
        pthread_mutex_lock(&w->mu);
        if (e && !w->err) w->err = e;
        w->next_write = (i + 1) % N_BUFS;
        w->pending--;
        if (w->full) pthread_cond_signal(&w->done);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

static void free_wb(ct_wb *w)
{
    for (int i = 0; i < N_BUFS; i++) free(w->bufs[i]);
    free(w);
}

ct_wb *ct_wb_start(FILE *f, size_t size)
{
    ct_wb *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->f = f;
    w->size = size;
    for (int i = 0; i < N_BUFS; i++)
        if (!(w->bufs[i] = malloc(size))) { free_wb(w); return NULL; }
    if (pthread_mutex_init(&w->mu, NULL) != 0) { free_wb(w); return NULL; }
    if (pthread_cond_init(&w->work, NULL) != 0) {
        pthread_mutex_destroy(&w->mu);
        free_wb(w);
        return NULL;
    }
    if (pthread_cond_init(&w->done, NULL) != 0) {
        pthread_cond_destroy(&w->work);
        pthread_mutex_destroy(&w->mu);
        free_wb(w);
        return NULL;
    }
    if (pthread_create(&w->thread, NULL, writer, w) != 0) {
        pthread_cond_destroy(&w->done);
        pthread_cond_destroy(&w->work);
        pthread_mutex_destroy(&w->mu);
        free_wb(w);
        return NULL;
    }
    return w;
}

char *ct_wb_buffer(ct_wb *w)
{
    pthread_mutex_lock(&w->mu);
    while (w->pending == N_BUFS) {
        w->full = 1;
        pthread_cond_wait(&w->done, &w->mu);
        w->full = 0;
    }
    char *b = w->bufs[w->next_fill];
    pthread_mutex_unlock(&w->mu);
    return b;
}

void ct_wb_submit(ct_wb *w, size_t n)
{
    pthread_mutex_lock(&w->mu);
    w->len[w->next_fill] = n;
    w->next_fill = (w->next_fill + 1) % N_BUFS;
    w->pending++;
    if (w->idle) pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->mu);
}

int ct_wb_finish(ct_wb *w, int discard)
{
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    if (discard) w->discard = 1;
    pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    int err = w->err;
    pthread_cond_destroy(&w->done);
    pthread_cond_destroy(&w->work);
    pthread_mutex_destroy(&w->mu);
    free_wb(w);
    return err;
}
