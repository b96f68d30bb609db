#include "ct_data.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ct_csv.h"
#include "ct_rows.h"

/* ---- observations.csv ------------------------------------------------------ */

/* The file is read through a window of a few megabytes (ct_csv_stream), so
 * that memory goes with the dense arrays, not with the file or a buffer of
 * its rows. A small file is read twice: a first pass finds the span of
 * periods and each metric's finest period type (from the rows that hold a
 * value of a used metric); the arrays are then sized, and a second pass
 * checks every row and writes its value straight into its cell (ct_rows).
 * A large file is read once when it can be (see "large files" below). A
 * cell given twice is found by the checking pass; the line of its first
 * value is searched for by a further pass, only when there are such cells. */

/* Reports the cells given twice, in file order, naming the line of the first
 * value (found by a third pass): an error when the values differ, a warning
 * when they agree. */
static ct_status report_dups(ct_series *s, ct_csv *r, const int *col, int ncols, ct_rows_dups *dl, ct_diags *d)
{
    ct_rows_pass ps;
    ct_rows_init(&ps, s, r, col, ncols);
    ps.store = 1;
    ps.find = 1;
    ps.dups = *dl;
    ps.pending = dl->n < CT_ROWS_MAX_ERRORS ? dl->n : CT_ROWS_MAX_ERRORS;
    int ignored[4];
    int nc;
    ct_status st = ps.st;
    if (st == CT_OK) st = ct_csv_rewind(r);
    if (st == CT_OK) st = ct_rows_header(s, r, ignored, &nc, &ps.diags);
    if (st == CT_OK) ct_rows_read(&ps);
    if (st == CT_OK) st = ps.st;
    *dl = ps.dups;
    ps.dups.items = NULL;
    ct_rows_free(&ps);
    size_t dup_errors = 0;
    for (size_t i = 0; i < dl->n; i++) {
        const ct_rows_dup *dr = &dl->items[i];
        const ct_metric *mt = &s->metrics[dr->metric];
        char pb[CT_PERIOD_BUF], first[32] = "earlier";
        ct_period_format(dr->period, pb);
        if (i < CT_ROWS_MAX_ERRORS) snprintf(first, sizeof first, "at line %d", dr->first_line);
        if (dr->first == dr->value) {
            ct_warn_at(d, s->obs_path, dr->line, 0, "%s %s %s given again with the same value (first %s)",
                       s->code[dr->unit], pb, mt->name, first);
        } else if (dup_errors++ < CT_ROWS_MAX_ERRORS) {
            ct_error_at(d, s->obs_path, dr->line, 0, "%s %s %s is %g here but %g %s",
                        s->code[dr->unit], pb, mt->name, dr->value, dr->first, first);
        }
    }
    if (st == CT_OK && dup_errors) st = CT_EINPUT;
    return st;
}

/* --as-of: values of periods that end after the cut-off were not known
 * then. They were read and checked like the rest; now they are dropped. */
static void forget_after_cutoff(ct_series *s)
{
    for (int m = 0; m < s->n_metrics; m++) {
        ct_metric *mt = &s->metrics[m];
        for (int t = 0; t <= mt->finest; t++) {
            int np = ct_series_n_periods(s, (ct_ptype)t);
            int first_late = np;
            for (int i = 0; i < np; i++)
                if (ct_period_last_month(ct_period_from_index((ct_ptype)t, s->year0, i)) > s->cutoff_month) {
                    first_late = i;
                    break;
                }
            for (int u = 0; u < s->level_size[mt->level]; u++) {
                for (int i = first_late; i < np; i++) {
                    double *cell = &mt->vals[t][ct_series_cell(s, mt, u, i)];
                    if (!isnan(*cell)) { s->n_after_cutoff++; mt->n_obs--; }
                    *cell = NAN;
                }
            }
        }
    }
}


/* ---- large files ------------------------------------------------------------- */

/* A large file is read once when it can be: the arrays are sized from a
 * sample of its rows (a few windows spread over the file), and the one
 * pass that checks and stores every row also finds the exact span and
 * finest types, as the first pass would. When the sample saw less than the
 * whole file holds (a row did not fit), the arrays are sized again from
 * what that pass found, and the rows are read again.
 *
 * On two processors the rows are read by two threads: this one up to the
 * first line that starts past the middle, another from there. A pass keeps
 * the two halves' work only when they join at that line (a quoted field
 * running across it would have started the second reader inside a row)
 * and neither found anything to say (an error, an unknown unit or metric,
 * a cell given twice); otherwise the rows are read again in one reader, so
 * that findings are reported in file order exactly as without threads. */

enum { SAMPLE_WINDOWS = 5, SAMPLE_BYTES = 256 << 10 };

/* The offset of the first line that starts at or after `at` (0 when none). */
static size_t line_start_from(int fd, size_t at, size_t size)
{
    if (at == 0) return 0;
    at--; /* a line starting at `at` follows a line end just before it */
    char buf[4096];
    while (at < size) {
        ssize_t n = pread(fd, buf, sizeof buf, (off_t)at);
        if (n <= 0) return 0;
        const char *nl = memchr(buf, '\n', (size_t)n);
        if (nl) {
            at += (size_t)(nl - buf) + 1;
            return at < size ? at : 0;
        }
        at += (size_t)n;
    }
    return 0;
}

static size_t file_size(const ct_csv *r)
{
    struct stat fs;
    return fstat(r->fd, &fs) == 0 && fs.st_size > 0 ? (size_t)fs.st_size : 0;
}

/* The most the dense arrays may take for a file of file_bytes: 1 GiB, or
 * 256 bytes per byte of the file when that is more (the arrays grow with
 * units x periods of the span, not with the rows: a few rows far apart must
 * not take gigabytes); $CHITIEU_DATA_MEMORY_MB sets it. */
static double arrays_budget(size_t file_bytes)
{
    const char *env = getenv("CHITIEU_DATA_MEMORY_MB");
    if (env && *env) {
        char *end;
        double mb = strtod(env, &end);
        if (*end == '\0' && mb > 0) return mb * 1048576.0;
    }
    double b = 256.0 * (double)file_bytes;
    return b > 1073741824.0 ? b : 1073741824.0;
}

/* Sizes s's arrays for span sp and finest types (freeing any before);
 * *too_long: 1 when the span is past CT_DATA_MAX_YEARS, 2 when the arrays
 * would take more than arrays_budget (s->arrays_bytes: how much); nothing
 * is allocated then. */
static ct_status size_arrays(ct_series *s, const ct_rows_span *sp, const int *finest, int *too_long, size_t file_bytes,
                             double *need)
{
    for (int m = 0; m < s->n_metrics; m++)
        for (int t = 0; t < CT_PT_COUNT; t++) {
            free(s->metrics[m].vals[t]);
            s->metrics[m].vals[t] = NULL;
        }
    *too_long = sp->any && sp->last_month / 12 - sp->first_month / 12 + 1 > CT_DATA_MAX_YEARS;
    s->year0 = 1;
    s->year1 = 0;
    if (sp->any && !*too_long) {
        s->year0 = sp->first_month / 12;
        s->year1 = sp->last_month / 12;
    }
    for (int t = 0; t < CT_PT_COUNT; t++)
        s->n_periods[t] = s->year0 <= s->year1 ? (s->year1 - s->year0 + 1) * ct_ptype_per_year((ct_ptype)t) : 0;
    *need = 0;
    for (int m = 0; m < s->n_metrics; m++) {
        const ct_metric *mt = &s->metrics[m];
        if (!mt->used || mt->level < 0) continue;
        for (int t = 0; t <= (finest[m] < 0 ? 0 : finest[m]); t++)
            *need += (double)s->level_size[mt->level] * (double)s->n_periods[t] * (double)sizeof(double);
    }
    if (!*too_long && *need > arrays_budget(file_bytes)) *too_long = 2;
    ct_status st = CT_OK;
    for (int m = 0; m < s->n_metrics; m++) {
        ct_metric *mt = &s->metrics[m];
        mt->finest = finest[m];
        if (!*too_long && st == CT_OK && mt->used && mt->level >= 0)
            st = ct_series_alloc_metric(s, m, mt->finest < 0 ? 0 : mt->finest);
    }
    return st;
}

/* Whether span sp and finest types would size the arrays as they are. */
static int sized_for(const ct_series *s, const ct_rows_span *sp, const int *finest)
{
    int y0 = sp->any ? sp->first_month / 12 : 1, y1 = sp->any ? sp->last_month / 12 : 0;
    if (y0 != s->year0 || y1 != s->year1) return 0;
    for (int m = 0; m < s->n_metrics; m++)
        if (finest[m] != s->metrics[m].finest) return 0;
    return 1;
}

/* The span and finest types of the rows in a few windows of the file: at
 * most what the whole file holds. */
static ct_status sample_span(const ct_series *s, ct_csv *r, const int *col, int ncols, size_t size,
                             int *finest, ct_rows_span *sp)
{
    ct_status st = ct_rows_scan(s, r, col, ncols, SAMPLE_BYTES, finest, sp);
    for (int w = 1; st == CT_OK && w < SAMPLE_WINDOWS; w++) {
        size_t want = w == SAMPLE_WINDOWS - 1 ? (size > SAMPLE_BYTES ? size - SAMPLE_BYTES : 0)
                                              : size / (SAMPLE_WINDOWS - 1) * (size_t)w;
        size_t from = line_start_from(r->fd, want, size);
        if (from == 0) continue;
        ct_diags scratch;
        ct_diags_init(&scratch);
        ct_csv wr;
        if (ct_csv_stream_at(&wr, r->path, from, &scratch) == CT_OK) {
            wr.unchecked = 1;
            ct_rows_span part;
            memset(&part, 0, sizeof part);
            st = ct_rows_scan(s, &wr, col, ncols, from + SAMPLE_BYTES, finest, &part);
            ct_rows_span_merge(sp, &part, 1); /* only the months size the arrays */
            ct_csv_close(&wr);
            if (st != CT_OK) st = CT_OK; /* a window that cannot be read: the pass will tell */
        }
        ct_diags_free(&scratch);
    }
    return st;
}

/* The first pass over the second half (the text is not checked: the second
 * pass does it). */
typedef struct {
    const ct_series *s;
    ct_csv r;             /* opened by the caller's thread (inputs are noted there) */
    ct_diags reader_d;
    const int *col;
    int ncols;
    int *finest;
    ct_rows_span sp;
    int whole;            /* read to the end without trouble */
} span_half;

static void *span_half_run(void *arg)
{
    span_half *h = arg;
    h->whole = ct_rows_scan(h->s, &h->r, h->col, h->ncols, SIZE_MAX, h->finest, &h->sp) == CT_OK;
    return NULL;
}

static void merge_finest(int *a, const int *b, int n)
{
    for (int m = 0; m < n; m++)
        if (b[m] > a[m]) a[m] = b[m];
}

/* The exact first pass (r just past the header), in halves when split (set
 * to 0 when the halves did not join). */
static ct_status scan_spans(ct_series *s, ct_csv *r, const int *col, int ncols, size_t *split,
                            int *finest, ct_rows_span *sp)
{
    span_half h;
    memset(&h, 0, sizeof h);
    ct_diags_init(&h.reader_d);
    pthread_t th;
    int threaded = 0, opened = 0;
    if (*split) {
        h.s = s;
        h.col = col;
        h.ncols = ncols;
        h.finest = malloc((size_t)(s->n_metrics + 1) * sizeof(int));
        opened = h.finest && ct_csv_stream_at(&h.r, r->path, *split, &h.reader_d) == CT_OK;
        if (opened) {
            h.r.unchecked = 1;
            memcpy(h.finest, finest, (size_t)s->n_metrics * sizeof(int));
            threaded = pthread_create(&th, NULL, span_half_run, &h) == 0;
        }
    }
    ct_status st = ct_rows_scan(s, r, col, ncols, threaded ? *split : SIZE_MAX, finest, sp);
    if (threaded) {
        pthread_join(th, NULL);
        if (st == CT_OK && h.whole && ct_csv_tell(r) == *split) {
            ct_rows_span_merge(sp, &h.sp, r->line);
            merge_finest(finest, h.finest, s->n_metrics);
        } else if (st == CT_OK) {
            st = ct_rows_scan(s, r, col, ncols, SIZE_MAX, finest, sp);
            *split = 0;
        }
    }
    if (opened) ct_csv_close(&h.r);
    ct_diags_free(&h.reader_d);
    free(h.finest);
    return st;
}

/* Work over every metric on two threads (even metrics here, odd ones on
 * the other), when there are two processors: counting the cells that hold
 * a value, or rolling the values up. */
typedef struct {
    ct_series *s;
    int first;            /* 0 or 1: the metrics first, first + 2, ... */
    int roll;             /* roll up (else count) */
    size_t filled;
} metric_job;

static void *metric_job_run(void *arg)
{
    metric_job *j = arg;
    ct_series *s = j->s;
    for (int m = j->first; m < s->n_metrics; m += 2) {
        const ct_metric *mt = &s->metrics[m];
        if (j->roll) {
            ct_series_rollup(s, m);
            continue;
        }
        for (int t = 0; t < CT_PT_COUNT; t++)
            for (size_t i = 0; mt->vals[t] && i < ct_series_n_cells(s, mt, t); i++) j->filled += !isnan(mt->vals[t][i]);
    }
    return NULL;
}

static size_t every_metric(ct_series *s, int roll, int threads)
{
    metric_job even = {s, 0, roll, 0}, odd = {s, 1, roll, 0};
    pthread_t th;
    int threaded = threads > 1 && pthread_create(&th, NULL, metric_job_run, &odd) == 0;
    metric_job_run(&even);
    if (threaded) pthread_join(th, NULL);
    else metric_job_run(&odd);
    return even.filled + odd.filled;
}

/* A pass over the second half. */
typedef struct {
    ct_csv r;
    ct_rows_pass ps;
    ct_diags reader_d;
} rows_half;

static void *rows_half_run(void *arg)
{
    ct_rows_read(&((rows_half *)arg)->ps);
    return NULL;
}

/* Opens the second half's pass like ps (its own row cache and findings;
 * a copy of ps's finest types when it tracks them). */
static int half_open(rows_half *h, const ct_rows_pass *ps, size_t split)
{
    memset(h, 0, sizeof *h);
    ct_diags_init(&h->reader_d);
    if (ct_csv_stream_at(&h->r, ps->r->path, split, &h->reader_d) != CT_OK) return -1;
    ct_rows_init(&h->ps, ps->s, &h->r, ps->col, ps->ncols);
    h->ps.store = ps->store;
    h->ps.shared = 1;
    h->ps.track = ps->track;
    h->ps.count_misses = ps->count_misses;
    h->ps.grow = ps->grow;
    h->ps.lock = ps->lock;
    if (ps->track) {
        h->ps.finest = malloc((size_t)(ps->s->n_metrics + 1) * sizeof(int));
        if (!h->ps.finest) h->ps.st = CT_ENOMEM;
        else memcpy(h->ps.finest, ps->finest, (size_t)ps->s->n_metrics * sizeof(int));
    }
    return h->ps.st == CT_OK ? 0 : -1;
}

static void half_close(rows_half *h, int opened)
{
    if (opened) {
        free(h->ps.finest);
        ct_rows_free(&h->ps);
    }
    ct_csv_close(&h->r);
    ct_diags_free(&h->reader_d);
}

/* A pass in halves (ps just past the header). Returns 1 when the halves
 * joined and both were read whole: ps then holds both halves' counts,
 * misses and tracked span; clean tells whether neither had anything to
 * report and no cell was given in both. 0: nothing of it can be used. */
static int read_halves(ct_rows_pass *ps, size_t split, int *clean)
{
    rows_half h;
    int opened = half_open(&h, ps, split) == 0;
    *clean = 0;
    /* what the reader cannot read is reported by the pass in one reader */
    ct_diags scratch, *fatal_d = ps->r->fatal_d;
    ct_diags_init(&scratch);
    ps->r->fatal_d = &scratch;
    ps->shared = 1;
    ps->stop_at = split;
    pthread_t th;
    int ok = opened && pthread_create(&th, NULL, rows_half_run, &h) == 0;
    if (ok) {
        ct_rows_read(ps);
        pthread_join(th, NULL);
        ok = ps->whole && h.ps.whole && ct_csv_tell(ps->r) == split && ps->st == CT_OK && h.ps.st == CT_OK;
    }
    if (ok) {
        *clean = ct_rows_clean(ps) && ct_rows_clean(&h.ps);
        size_t stored = 0;
        for (int m = 0; m < ps->s->n_metrics; m++) {
            stored += ps->n_obs[m] + h.ps.n_obs[m];
            ps->n_obs[m] += h.ps.n_obs[m];
        }
        /* a cell both halves found empty was counted twice */
        if (*clean && ps->store) *clean = stored == every_metric(ps->s, 0, 2);
        ps->misses += h.ps.misses;
        if (ps->track) {
            ct_rows_span_merge(&ps->span, &h.ps.span, ps->r->line);
            merge_finest(ps->finest, h.ps.finest, ps->s->n_metrics);
        }
    }
    half_close(&h, opened);
    ps->r->fatal_d = fatal_d;
    ct_diags_free(&scratch);
    ps->shared = 0;
    ps->stop_at = SIZE_MAX;
    return ok;
}

/* Starts ps over from the file's first row, with nothing found yet. */
static ct_status pass_restart(ct_rows_pass *ps, int *col, int *ncols, int store, ct_diags *d)
{
    ct_series *s = ps->s;
    ct_csv *r = ps->r;
    ct_rows_free(ps);
    ct_rows_init(ps, s, r, col, *ncols);
    ps->store = store;
    ct_status st = ps->st;
    if (st == CT_OK) st = ct_csv_rewind(r);
    if (st == CT_OK) st = ct_rows_header(s, r, col, ncols, d);
    return st;
}

/* The checking pass on exactly sized arrays (unless store is 0: the span is
 * refused): in halves when split and they come out clean, else in one
 * reader, whose findings are reported. */
static ct_status read_all_rows(ct_rows_pass *ps, int *col, int *ncols, size_t split, ct_diags *d)
{
    int store = ps->store;
    ct_status st = pass_restart(ps, col, ncols, store, d);
    if (st != CT_OK) return st;
    int clean;
    if (split && store && read_halves(ps, split, &clean) && clean) return CT_OK;
    if (split && store) {
        for (int m = 0; m < ps->s->n_metrics; m++)
            for (int t = 0; t < CT_PT_COUNT; t++) {
                ct_metric *mt = &ps->s->metrics[m];
                for (size_t i = 0; mt->vals[t] && i < ct_series_n_cells(ps->s, mt, t); i++) mt->vals[t][i] = NAN;
            }
        st = pass_restart(ps, col, ncols, store, &ps->diags);
        if (st != CT_OK) return st;
    }
    ct_rows_read(ps);
    return ps->st;
}

/* The one pass of a large file on arrays sized from a sample. Returns 1
 * when it stands (nothing to report, every row fitted, the arrays sized
 * exactly); else 0, and *exact tells whether sp and finest now hold the
 * exact span and finest types (every row was read). */
static int read_once(ct_rows_pass *ps, size_t split, const int *finest0, int *finest, ct_rows_span *sp, int *exact)
{
    ct_series *s = ps->s;
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    ps->track = 1;
    ps->count_misses = 1;
    ps->grow = 1;
    ps->lock = &lock;
    ps->finest = finest;
    memcpy(finest, finest0, (size_t)s->n_metrics * sizeof *finest);
    memset(&ps->span, 0, sizeof ps->span);
    int clean = 0;
    *exact = 0;
    ct_diags scratch, *fatal_d = ps->r->fatal_d;
    ct_diags_init(&scratch);
    ps->r->fatal_d = &scratch;
    if (split) {
        *exact = read_halves(ps, split, &clean);
    } else {
        ct_rows_read(ps);
        *exact = ps->whole;
        clean = ct_rows_clean(ps);
    }
    ps->r->fatal_d = fatal_d;
    ct_diags_free(&scratch);
    if (ps->st == ps->r->fatal) ps->st = CT_OK; /* read again, in one reader that reports */
    *sp = ps->span;
    ps->track = ps->count_misses = ps->grow = 0;
    ps->lock = NULL;
    pthread_mutex_destroy(&lock);
    ps->finest = NULL;
    return *exact && clean && sized_for(s, sp, finest);
}

ct_status ct_data_load_observations(ct_series *s, const char *path, ct_diags *d)
{
    s->obs_path = ct_arena_strdup(&s->arena, path);
    ct_csv r;
    ct_status st = ct_csv_stream(&r, path, d);
    if (st != CT_OK) return st;
    r.unchecked = 1; /* a pass that only sizes the arrays; the checking pass reads the text */
    int col[4], ncols = 0;
    ct_rows_span sp;
    memset(&sp, 0, sizeof sp);
    size_t size = file_size(&r);
    int large = s->obs_split_bytes && size >= s->obs_split_bytes;
    size_t split = large && sysconf(_SC_NPROCESSORS_ONLN) >= 2 ? line_start_from(r.fd, size / 2, size) : 0;
    int *finest = malloc((size_t)(s->n_metrics + 1) * sizeof *finest);
    int *finest0 = malloc((size_t)(s->n_metrics + 1) * sizeof *finest0);
    if (!finest || !finest0) st = CT_ENOMEM;
    for (int m = 0; st == CT_OK && m < s->n_metrics; m++) finest[m] = finest0[m] = s->metrics[m].finest;
    if (st == CT_OK) st = ct_rows_header(s, &r, col, &ncols, d);
    int too_long = 0, done = 0, checked = 0;
    double need = 0;
    ct_rows_pass ps;
    ct_rows_init(&ps, s, &r, col, ncols);
    if (st == CT_OK && large) {
        st = sample_span(s, &r, col, ncols, size, finest, &sp);
        if (st == CT_OK) st = size_arrays(s, &sp, finest, &too_long, size, &need);
        int exact = 0;
        if (st == CT_OK && !too_long) {
            r.unchecked = 0;
            ps.store = 1;
            st = pass_restart(&ps, col, &ncols, 1, d);
            if (st == CT_OK) done = read_once(&ps, split, finest0, finest, &sp, &exact);
            if (st == CT_OK) st = ps.st;
        }
        if (st == CT_OK && !done && !exact) {
            /* the exact first pass */
            r.unchecked = 1;
            memcpy(finest, finest0, (size_t)s->n_metrics * sizeof *finest);
            memset(&sp, 0, sizeof sp);
            st = ct_csv_rewind(&r);
            if (st == CT_OK) st = ct_rows_header(s, &r, col, &ncols, d);
            if (st == CT_OK) st = scan_spans(s, &r, col, ncols, &split, finest, &sp);
        }
    } else if (st == CT_OK) {
        st = ct_rows_scan(s, &r, col, ncols, SIZE_MAX, finest, &sp);
    }
    if (st == CT_OK && !done) {
        r.unchecked = 0;
        st = size_arrays(s, &sp, finest, &too_long, size, &need);
        ps.store = !too_long;
        /* Memory goes with units x periods from the first year to the last: a
         * span past CT_DATA_MAX_YEARS is refused, naming the rows at its two
         * ends (once every row is known to be valid). */
        if (st == CT_OK) st = read_all_rows(&ps, col, &ncols, split, d);
        checked = 1;
    }
    free(finest);
    free(finest0);
    for (int m = 0; m < s->n_metrics; m++) s->metrics[m].n_obs += ps.n_obs[m];
    if (checked) {
        for (size_t i = 0; i < ps.diags.n; i++) {
            const ct_diag *dg = &ps.diags.items[i];
            ct_diag_add(d, dg->sev, dg->file, dg->line, dg->col, "%s", dg->msg);
        }
        ct_rows_report_unknown(s, &ps, d);
        if (st == CT_OK && (ps.errors || ps.unknown_rows)) st = CT_EINPUT;
    }
    if (st == CT_OK && too_long == 2) {
        char a[CT_PERIOD_BUF], b[CT_PERIOD_BUF];
        ct_period_format(sp.lo, a);
        ct_period_format(sp.hi, b);
        ct_error_at(d, s->obs_path, sp.hi_line, 0,
                    "the data from period %s (line %d) to period %s would need %.1f GB of memory (every unit of each "
                    "metric's level at every period between), more than the %.1f GB allowed for a file of this size: "
                    "remove the rows far from the others, or set CHITIEU_DATA_MEMORY_MB",
                    a, sp.lo_line, b, need / 1e9, arrays_budget(size) / 1e9);
        st = CT_EINPUT;
    } else if (st == CT_OK && too_long) {
        char a[CT_PERIOD_BUF], b[CT_PERIOD_BUF];
        ct_period_format(sp.lo, a);
        ct_period_format(sp.hi, b);
        ct_error_at(d, s->obs_path, sp.hi_line, 0,
                    "period %s is more than %d years after period %s (line %d): the data may span at most %d years",
                    b, CT_DATA_MAX_YEARS - 1, a, sp.lo_line, CT_DATA_MAX_YEARS);
        st = CT_EINPUT;
    }
    if (st == CT_OK) {
        s->first_month = sp.any ? sp.first_month : INT_MAX;
        s->last_month = sp.any ? sp.last_month : INT_MIN;
    }
    if (st == CT_OK && ps.dups.n) st = report_dups(s, &r, col, ncols, &ps.dups, d);
    ct_rows_free(&ps);
    ct_csv_close(&r);
    if (st == CT_OK && s->cutoff_month != INT_MAX) forget_after_cutoff(s);
    /* with successions, values are carried onto one geography first (ct_geo) */
    if (st == CT_OK && s->n_links == 0) every_metric(s, 1, split ? 2 : 1);
    return st;
}
