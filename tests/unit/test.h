/* A minimal test harness: each CHECK says what it expected and what it got. */
#ifndef CT_TEST_H
#define CT_TEST_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int test_failures, test_checks;

#define CHECK(cond) do { test_checks++; if (!(cond)) { test_failures++; \
    fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); } } while (0)

#define CHECK_INT(got, want) do { long long g_ = (long long)(got), w_ = (long long)(want); test_checks++; \
    if (g_ != w_) { test_failures++; fprintf(stderr, "%s:%d: %s: expected %lld, got %lld\n", \
    __FILE__, __LINE__, #got, w_, g_); } } while (0)

#define CHECK_NUM(got, want, tol) do { double g_ = (got), w_ = (want); test_checks++; \
    if (!(fabs(g_ - w_) <= (tol)) && !(isnan(g_) && isnan(w_))) { test_failures++; \
    fprintf(stderr, "%s:%d: %s: expected %.10g, got %.10g\n", __FILE__, __LINE__, #got, w_, g_); } } while (0)

#define CHECK_STR(got, want) do { const char *g_ = (got), *w_ = (want); test_checks++; \
    if (!g_ || strcmp(g_, w_) != 0) { test_failures++; fprintf(stderr, "%s:%d: %s: expected \"%s\", got \"%s\"\n", \
    __FILE__, __LINE__, #got, w_, g_ ? g_ : "(null)"); } } while (0)

/* Whether some diagnostic message contains text. */
#define DIAGS_HAVE(diags, text) diags_have(&(diags), (text))

#include "core/ct_error.h"
static inline int diags_have(const ct_diags *d, const char *text)
{
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->items[i].msg, text)) return 1;
    return 0;
}

/* Writes n bytes of text to path; a test that cannot write its input stops. */
static inline void test_write(const char *path, const char *text, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f) { perror(path); exit(2); }
    if (fwrite(text, 1, n, f) != n || fclose(f) != 0) { perror(path); exit(2); }
}

static inline void test_write_text(const char *path, const char *text) { test_write(path, text, strlen(text)); }

static inline int test_report(const char *name)
{
    if (test_failures) fprintf(stderr, "%s: %d of %d checks failed\n", name, test_failures, test_checks);
    else printf("%s: %d checks passed\n", name, test_checks);
    return test_failures ? 1 : 0;
}

#endif
