/* Write-behind: full buffers are written to a FILE by a thread of their
 * own, in the order they were handed over, while the caller fills the next
 * (a few buffers at most: memory stays bounded). */
#ifndef CT_WRITEBEHIND_H
#define CT_WRITEBEHIND_H

#include <stddef.h>
#include <stdio.h>

typedef struct ct_wb ct_wb;

/* Starts the writer of f with buffers of size bytes. Returns NULL when
 * memory or a thread cannot be had (then write in the caller's thread). */
ct_wb *ct_wb_start(FILE *f, size_t size);

/* A buffer of the start's size to fill (waits while every buffer is still
 * to be written). It stays the caller's until ct_wb_submit. */
char *ct_wb_buffer(ct_wb *w);

/* Hands the buffer last returned by ct_wb_buffer, n bytes of it filled,
 * to the writer. */
void ct_wb_submit(ct_wb *w, size_t n);

/* Waits for every buffer handed over to be written (with discard: drops
 * those not yet written), stops the thread and frees w. Returns 0, or the
 * errno of the first write that failed (no later buffer is written). */
int ct_wb_finish(ct_wb *w, int discard);

#endif
