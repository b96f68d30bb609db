#define _DEFAULT_SOURCE
/* Output: number formatting, CSV and JSON escaping, whole-or-nothing files. */
#include <dirent.h>
#include <float.h>
#include <math.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/ct_file.h"
#include "render/ct_output.h"
#include "test.h"

static char dir[64];

static const char *num(double v)
{
    static char buf[CT_OUT_NUMBER_BUF + 16];
    memset(buf, 'X', sizeof buf);
    size_t n = ct_out_format_number(v, buf);
    if (strlen(buf) != n) {
        fprintf(stderr, "format_number(%.17g) returned %zu for \"%s\"\n", v, n, buf);
        test_failures++;
    }
    return buf;
}

static void test_numbers(void)
{
    CHECK_STR(num(0), "0");
    CHECK_STR(num(-0.0), "0");
    CHECK_STR(num(66.6666666667), "66.666667");
    CHECK_STR(num(-66.6666666667), "-66.666667");
    CHECK_STR(num(200.0 / 3), "66.666667");
    CHECK_STR(num(100), "100");
    CHECK_STR(num(0.5), "0.5");
    CHECK_STR(num(1e-7), "0");
    CHECK_STR(num(-1e-7), "0");
    CHECK_STR(num(-2.25), "-2.25");
    CHECK_STR(num(12345678.9), "12345678.9");
    CHECK_STR(num(NAN), "");
    CHECK_STR(num(INFINITY), "");
    CHECK_STR(num(1.0 / 3), "0.333333");
    CHECK_STR(num(0.1 + 0.2), "0.3");
    CHECK_STR(num(99.9999996), "100");
    CHECK_STR(num(-0.4), "-0.4");
    CHECK_STR(num(0.000001), "0.000001");
    CHECK_STR(num(14), "14");
    CHECK_STR(num(-1), "-1");
    CHECK_STR(num(1e15), "1000000000000000");
    CHECK_STR(num(2015), "2015");
    CHECK_STR(num(0.05), "0.05");
    CHECK_INT(ct_out_format_number(NAN, (char[48]){0}), 0);
    /* large values print their true value, every digit, no stack bytes */
    CHECK_STR(num(1e32), "100000000000000005366162204393472");
    CHECK_STR(num(-1e20), "-100000000000000000000");
    CHECK_STR(num(123456789012.5), "123456789012.5");
    CHECK_STR(num(9007199254740993.0), "9007199254740992");
    const char *big = num(1e300);
    CHECK_INT(strlen(big), 301);
    CHECK(big[0] == '1' && strspn(big, "0123456789") == 301);
    CHECK_INT(strlen(num(-DBL_MAX)), 310);
    CHECK_STR(num(5e-324), "0");
}

/* Every finite double, over the whole range: the text holds only digits, a
 * sign and a point, and strtod gives back the value rounded to 6 decimals. */
static int round_trips(double v)
{
    char buf[CT_OUT_NUMBER_BUF];
    size_t n = ct_out_format_number(v, buf);
    if (n == 0 || n >= sizeof buf || strlen(buf) != n || strspn(buf, "-0123456789.") != n) return 0;
    double back = strtod(buf, NULL);
    double want = fabs(v) >= 9e12 ? v : (double)llround(v * 1e6) / 1e6;
    double tol = fabs(v) >= 9007199254740992.0 ? 0 : 5e-7 + 4 * fabs(v) * DBL_EPSILON;
    if (fabs(v) < 9e12) tol = 4 * fabs(want) * DBL_EPSILON;
    if (!(fabs(back - want) <= tol)) {
        fprintf(stderr, "round trip of %.17g: printed %s, read back %.17g, want %.17g\n", v, buf, back, want);
        return 0;
    }
    return 1;
}

static void test_number_range(void)
{
    int bad = 0;
    for (int e = -324; e <= 308 && bad < 5; e++) {
        double p = pow(10, e);
        double vals[] = {p, -p, p * 1.5, p * 0.999999, p * 1.000001 + 0.5e-6, nextafter(p, 0), nextafter(p, INFINITY)};
        for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
            if (isfinite(vals[i]) && !round_trips(vals[i])) bad++;
    }
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < 200000 && bad < 5; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;   /* xorshift: random bit patterns */
        double v;
        memcpy(&v, &x, sizeof v);
        if (isfinite(v) && !round_trips(v)) bad++;
        double w = (double)(int64_t)(x >> 20) / 1e6; /* and ordinary values with decimals */
        if (!round_trips(w)) bad++;
    }
    CHECK_INT(bad, 0);
    CHECK(round_trips(DBL_MAX) && round_trips(-DBL_MAX) && round_trips(DBL_MIN) && round_trips(9e12) &&
          round_trips(nextafter(9e12, 0)) && round_trips(1e15) && round_trips(nextafter(1e15, 0)));
}

static char *read_all(const char *p)
{
    FILE *f = fopen(p, "rb");
    if (!f) return NULL;
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static int files_in(const char *d)
{
    DIR *dp = opendir(d);
    if (!dp) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dp)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(dp);
    return n;
}

static void test_escaping(void)
{
    char p[128];
    snprintf(p, sizeof p, "%s/esc.txt", dir);
    ct_diags d;
    ct_diags_init(&d);
    ct_out *o = ct_out_open(p, &d);
    CHECK(o != NULL);
    if (!o) { ct_diags_free(&d); return; }
    ct_out_csv_field(o, "plain");
    ct_out_char(o, '|');
    ct_out_csv_field(o, "a,b");
    ct_out_char(o, '|');
    ct_out_csv_field(o, "say \"hi\"");
    ct_out_char(o, '|');
    ct_out_csv_field(o, "two\nlines");
    ct_out_char(o, '|');
    ct_out_csv_field(o, "cr\r");
    ct_out_char(o, '|');
    ct_out_csv_field(o, "");
    ct_out_char(o, '|');
    ct_out_csv_field(o, NULL);
    ct_out_char(o, '|');
    ct_out_csv_field(o, "Ph\xC6\xB0\xE1\xBB\x9Dng H\xC3\xA0m R\xE1\xBB\x93ng");
    ct_out_char(o, '|');
    ct_out_csv_field(o, "semi;colon 'single'");
    ct_out_puts(o, "\n");
    ct_out_json_string(o, "a\"b\\c\nd\te\rf\x01g/h");
    ct_out_char(o, '|');
    ct_out_json_string(o, "");
    ct_out_char(o, '|');
    ct_out_json_string(o, "Thanh H\xC3\xB3" "a");
    ct_out_char(o, '|');
    ct_out_json_string(o, "\x1f");
    ct_out_char(o, '|');
    ct_out_number(o, 66.6666666667);
    ct_out_char(o, '|');
    ct_out_number(o, NAN);
    ct_out_char(o, '|');
    ct_out_write(o, "xyz", 2);
    CHECK_INT(ct_out_commit(o, &d), CT_OK);
    CHECK_INT(d.n_errors, 0);
    const char *got = read_all(p);
    CHECK_STR(got,
              "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"|\"cr\r\"||"
              "|Ph\xC6\xB0\xE1\xBB\x9Dng H\xC3\xA0m R\xE1\xBB\x93ng|semi;colon 'single'\n"
              "\"a\\\"b\\\\c\\nd\\te\\rf\\u0001g/h\"|\"\"|\"Thanh H\xC3\xB3" "a\"|\"\\u001f\"|66.666667||xy");
    unlink(p);
    ct_diags_free(&d);
}

static void test_whole_or_nothing(void)
{
    char p[128];
    ct_diags d;
    ct_diags_init(&d);

    /* abort: no file, and no temporary file left behind */
    snprintf(p, sizeof p, "%s/aborted.csv", dir);
    ct_out *o = ct_out_open(p, &d);
    CHECK(o != NULL);
    if (o) {
        ct_out_puts(o, "plan,indicator\n");
        CHECK_INT(files_in(dir), 1);   /* only the temporary file so far */
        struct stat st;
        CHECK(stat(p, &st) != 0);      /* the target does not exist yet */
        ct_out_abort(o);
    }
    struct stat st;
    CHECK(stat(p, &st) != 0);
    CHECK_INT(files_in(dir), 0);

    /* abort does not touch an existing file of that name */
    FILE *f = fopen(p, "wb");
    fputs("old\n", f);
    fclose(f);
    o = ct_out_open(p, &d);
    if (o) {
        ct_out_puts(o, "new\n");
        ct_out_abort(o);
    }
    CHECK_STR(read_all(p), "old\n");
    CHECK_INT(files_in(dir), 1);

    /* commit replaces it whole */
    o = ct_out_open(p, &d);
    CHECK(o != NULL);
    if (o) {
        /* more than the 64 KiB buffer */
        for (int i = 0; i < 20000; i++) ct_out_puts(o, "0123456789");
        ct_out_puts(o, "\n");
        CHECK_INT(ct_out_commit(o, &d), CT_OK);
    }
    CHECK(stat(p, &st) == 0 && st.st_size == 200001);
    CHECK_INT(files_in(dir), 1);
    unlink(p);
    CHECK_INT(d.n_errors, 0);

    /* a directory that does not exist: NULL with an error naming the path */
    ct_diags_free(&d);
    ct_diags_init(&d);
    o = ct_out_open("/tmp/ct_output_no_such_dir/x.csv", &d);
    CHECK(o == NULL);
    CHECK_INT(d.n_errors, 1);
    if (d.n) CHECK_STR(d.items[0].file, "/tmp/ct_output_no_such_dir/x.csv");
    ct_diags_free(&d);
}

/* Output to stdout (captured here in a file): commit writes it, abort discards it. */
static const char *through_stdout(int commit)
{
    char p[128];
    snprintf(p, sizeof p, "%s/stdout.txt", dir);
    fflush(stdout);
    int saved = dup(1);
    FILE *f = fopen(p, "wb");
    if (saved < 0 || !f) { perror("capture"); exit(2); }
    dup2(fileno(f), 1);
    ct_diags d;
    ct_diags_init(&d);
    ct_out *o = ct_out_open("-", &d);
    if (o) {
        ct_out_puts(o, "plan,indicator\n");
        if (commit) ct_out_commit(o, &d);
        else ct_out_abort(o);
    }
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    fclose(f);
    ct_diags_free(&d);
    const char *got = read_all(p);
    unlink(p);
    return got;
}

static void test_stdout(void)
{
    CHECK_STR(through_stdout(1), "plan,indicator\n");
    /* "Discards everything written" (ct_output.h): nothing reaches stdout */
    CHECK_STR(through_stdout(0), "");
}

static void write_text(const char *p, const char *text)
{
    FILE *f = fopen(p, "wb");
    if (!f) { perror(p); exit(2); }
    fputs(text, f);
    fclose(f);
}

static ct_status write_out(const char *p, const char *text, ct_diags *d)
{
    ct_out *o = ct_out_open(p, d);
    if (!o) return CT_EIO;
    ct_out_puts(o, text);
    return ct_out_commit(o, d);
}

/* A symbolic link is written through (the file it names changes, the link
 * stays a link), even a link to a file that does not exist yet. */
static void test_symlinks(void)
{
    char real[128], link[128], dangling[128], target2[128];
    snprintf(real, sizeof real, "%s/real.csv", dir);
    snprintf(link, sizeof link, "%s/link.csv", dir);
    snprintf(dangling, sizeof dangling, "%s/dangling.csv", dir);
    snprintf(target2, sizeof target2, "%s/later.csv", dir);
    write_text(real, "old\n");
    CHECK(symlink("real.csv", link) == 0);
    CHECK(symlink(target2, dangling) == 0);
    ct_diags d;
    ct_diags_init(&d);
    CHECK_INT(write_out(link, "new\n", &d), CT_OK);
    struct stat st;
    CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
    CHECK_STR(read_all(real), "new\n");
    CHECK_INT(write_out(dangling, "made\n", &d), CT_OK);
    CHECK(lstat(dangling, &st) == 0 && S_ISLNK(st.st_mode));
    CHECK_STR(read_all(target2), "made\n");
    CHECK_INT(d.n_errors, 0);
    CHECK_INT(files_in(dir), 4);
    unlink(real); unlink(link); unlink(dangling); unlink(target2);
    ct_diags_free(&d);
}

/* What is not a regular file is written in place, never replaced: a device
 * node stays a device, a FIFO stays a FIFO and its reader gets the text. */
static void test_devices(void)
{
    char p[128];
    ct_diags d;
    ct_diags_init(&d);
    snprintf(p, sizeof p, "%s/null", dir);
    if (mknod(p, S_IFCHR | 0666, makedev(1, 3)) == 0) { /* a private /dev/null (root only) */
        CHECK_INT(write_out(p, "into the void\n", &d), CT_OK);
        struct stat st;
        CHECK(lstat(p, &st) == 0 && S_ISCHR(st.st_mode));
        unlink(p);
    } else {
        printf("test_output: mknod: %s (the device test needs root; skipped)\n", strerror(errno));
    }
    CHECK_INT(files_in(dir), 0);
    snprintf(p, sizeof p, "%s/fifo", dir);
    CHECK(mkfifo(p, 0600) == 0);
    int fds[2];
    CHECK(pipe(fds) == 0);
    pid_t pid = fork();
    if (pid == 0) {  /* the reader: copies the FIFO into the pipe */
        close(fds[0]);
        int fd = open(p, O_RDONLY);
        char buf[256];
        ssize_t n;
        while ((n = read(fd, buf, sizeof buf)) > 0) if (write(fds[1], buf, (size_t)n) < 0) break;
        _exit(0);
    }
    close(fds[1]);
    CHECK_INT(write_out(p, "through the fifo\n", &d), CT_OK);
    char got[64] = {0};
    ssize_t n = 0, r;
    while ((r = read(fds[0], got + n, sizeof got - 1 - (size_t)n)) > 0) n += r;
    close(fds[0]);
    waitpid(pid, NULL, 0);
    CHECK_STR(got, "through the fifo\n");
    struct stat st;
    CHECK(lstat(p, &st) == 0 && S_ISFIFO(st.st_mode));
    unlink(p);
    /* a full device: the write fails and the error names the file */
    if (access("/dev/full", W_OK) == 0) {
        ct_diags_free(&d);
        ct_diags_init(&d);
        ct_out *o = ct_out_open("/dev/full", &d);
        CHECK(o != NULL);
        if (o) {
            for (int i = 0; i < 10000; i++) ct_out_puts(o, "0123456789");
            CHECK_INT(ct_out_commit(o, &d), CT_EIO);
        }
        CHECK_INT(d.n_errors, 1);
        if (d.n) CHECK_STR(d.items[0].file, "/dev/full");
        CHECK(DIAGS_HAVE(d, "No space left"));
        struct stat full;
        CHECK(stat("/dev/full", &full) == 0 && S_ISCHR(full.st_mode));
    }
    /* a folder is refused */
    ct_diags_free(&d);
    ct_diags_init(&d);
    CHECK(ct_out_open(dir, &d) == NULL);
    CHECK(DIAGS_HAVE(d, "folder"));
    ct_diags_free(&d);
}

/* A file that was read as an input is never an output, by any name. */
static void test_inputs_refused(void)
{
    char in[128], link[128];
    snprintf(in, sizeof in, "%s/observations.csv", dir);
    snprintf(link, sizeof link, "%s/alias.csv", dir);
    write_text(in, "unit,period,metric,value\n");
    CHECK(symlink(in, link) == 0);
    ct_diags d;
    ct_diags_init(&d);
    char *text;
    size_t len;
    CHECK_INT(ct_file_read(in, 1 << 20, "data file", &text, &len, &d), CT_OK);
    free(text);
    CHECK(ct_out_open(in, &d) == NULL);
    CHECK(ct_out_open(link, &d) == NULL);
    CHECK_INT(d.n_errors, 2);
    CHECK(DIAGS_HAVE(d, "is one of the inputs"));
    if (d.n) CHECK_STR(d.items[0].file, in);
    CHECK_STR(read_all(in), "unit,period,metric,value\n");
    CHECK_INT(files_in(dir), 2);
    ct_file_inputs_clear();
    unlink(in); unlink(link);
    ct_diags_free(&d);
}

/* The temporary file: hidden, an unpredictable name (not PATH.tmp.PID), the
 * mode a new file gets from the umask (an existing file keeps its own), and
 * removed when the program is stopped by a signal. */
static void test_temporary(void)
{
    char p[128], tmpname[300] = "";
    snprintf(p, sizeof p, "%s/out.csv", dir);
    ct_diags d;
    ct_diags_init(&d);
    mode_t old = umask(027);
    ct_out *o = ct_out_open(p, &d);
    CHECK(o != NULL);
    DIR *dp = opendir(dir);
    struct dirent *e;
    while (dp && (e = readdir(dp)))
        if (e->d_name[0] == '.' && strlen(e->d_name) > 2) snprintf(tmpname, sizeof tmpname, "%s", e->d_name);
    if (dp) closedir(dp);
    CHECK(strncmp(tmpname, ".out.csv.", 9) == 0);
    char pidname[64];
    snprintf(pidname, sizeof pidname, "out.csv.tmp.%ld", (long)getpid());
    CHECK(strstr(tmpname, pidname) == NULL);
    if (o) { ct_out_puts(o, "x\n"); CHECK_INT(ct_out_commit(o, &d), CT_OK); }
    struct stat st;
    CHECK(stat(p, &st) == 0 && (st.st_mode & 0777) == 0640);
    chmod(p, 0600);
    CHECK_INT(write_out(p, "y\n", &d), CT_OK);
    CHECK(stat(p, &st) == 0 && (st.st_mode & 0777) == 0600);
    umask(old);
    unlink(p);
    /* stopped by SIGTERM while writing: no temporary file stays */
    pid_t pid = fork();
    if (pid == 0) {
        ct_diags dd;
        ct_diags_init(&dd);
        ct_out *oo = ct_out_open(p, &dd);
        if (!oo) _exit(3);
        for (int i = 0; i < 20000; i++) ct_out_puts(oo, "0123456789");
        raise(SIGTERM);
        _exit(4);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    CHECK_INT(files_in(dir), 0);
    CHECK_INT(d.n_errors, 0);
    ct_diags_free(&d);
}

/* Integers, and the six decimals written two digits at a time. */
static void test_integers(void)
{
    char b[32];
    const struct { long long v; const char *text; } cases[] = {
        {0, "0"}, {7, "7"}, {10, "10"}, {99, "99"}, {100, "100"}, {101, "101"}, {-1, "-1"},
        {-10, "-10"}, {12345, "12345"}, {-2147483648LL, "-2147483648"}, {2147483647, "2147483647"},
        {9223372036854775807LL, "9223372036854775807"}, {-9223372036854775807LL - 1, "-9223372036854775808"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = ct_out_format_integer(cases[i].v, b);
        CHECK_STR(b, cases[i].text);
        CHECK_INT(n, strlen(cases[i].text));
        if (cases[i].v > -1000000000000LL && cases[i].v < 1000000000000LL)
            CHECK_STR(num((double)cases[i].v), cases[i].text);
    }
    CHECK_STR(num(12.340005), "12.340005");
    CHECK_STR(num(7.05), "7.05");
    CHECK_STR(num(1.1), "1.1");
    CHECK_STR(num(3.000102), "3.000102");
    CHECK_STR(num(-0.120034), "-0.120034");
    CHECK_STR(num(123456.654321), "123456.654321");
}

/* The text test_write_behind writes, line by line (the same each time). */
static size_t behind_line(int i, char *buf)
{
    if (i % 997 == 0) { /* now and then a block larger than a buffer */
        size_t n = 300000 + (size_t)i;
        for (size_t k = 0; k < n; k++) buf[k] = (char)('a' + (k + (size_t)i) % 26);
        buf[n] = '\n';
        return n + 1;
    }
    return (size_t)snprintf(buf, 64, "%d,row %d,%d\n", i, i * 7, i % 13);
}

/* Write-behind: the file holds every byte in order, through buffers handed
 * to the writer thread; abort leaves nothing; a full device is an error. */
static void test_write_behind(void)
{
    enum { LINES = 60000 };
    char p[128];
    snprintf(p, sizeof p, "%s/behind.csv", dir);
    static char line[400000];
    ct_diags d;
    ct_diags_init(&d);
    ct_out *o = ct_out_open(p, &d);
    CHECK(o != NULL);
    size_t total = 0;
    if (o) {
        ct_out_write_behind(o);
        for (int i = 0; i < LINES; i++) {
            size_t n = behind_line(i, line);
            total += n;
            if (i % 3 == 0 && n < 64) { /* in place, as the compute table writes */
                char *b = ct_out_reserve(o, 64);
                memcpy(b, line, n);
                ct_out_advance(o, n);
            } else if (i % 3 == 1 && n < 64) {
                for (size_t k = 0; k < n; k++) ct_out_char(o, line[k]);
            } else {
                ct_out_write(o, line, n);
            }
        }
        CHECK_INT(ct_out_commit(o, &d), CT_OK);
    }
    CHECK_INT(d.n_errors, 0);
    FILE *f = fopen(p, "rb");
    CHECK(f != NULL);
    if (f) {
        size_t got = 0, bad_line = 0;
        int bad = 0;
        for (int i = 0; i < LINES && !bad; i++) {
            static char back[400000];
            size_t n = behind_line(i, line);
            size_t r = fread(back, 1, n, f);
            got += r;
            if (r != n || memcmp(back, line, n) != 0) { bad = 1; bad_line = (size_t)i; }
        }
        if (bad) fprintf(stderr, "write-behind: the file differs from line %zu on\n", bad_line);
        CHECK(!bad);
        CHECK(fgetc(f) == EOF);
        CHECK_INT(got, total);
        fclose(f);
    }
    unlink(p);

    /* abort after several buffers: no file, no temporary file */
    o = ct_out_open(p, &d);
    CHECK(o != NULL);
    if (o) {
        ct_out_write_behind(o);
        for (int i = 0; i < 200000; i++) ct_out_puts(o, "0123456789");
        ct_out_abort(o);
    }
    CHECK_INT(files_in(dir), 0);

    /* a full device: the error of the writer thread is the commit's */
    if (access("/dev/full", W_OK) == 0) {
        o = ct_out_open("/dev/full", &d);
        CHECK(o != NULL);
        if (o) {
            ct_out_write_behind(o);
            for (int i = 0; i < 200000; i++) ct_out_puts(o, "0123456789");
            CHECK_INT(ct_out_commit(o, &d), CT_EIO);
        }
        CHECK_INT(d.n_errors, 1);
        if (d.n) CHECK_STR(d.items[0].file, "/dev/full");
        CHECK(DIAGS_HAVE(d, "No space left"));
    }
    ct_diags_free(&d);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/ct_out_XXXXXX");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 2; }
    test_numbers();
    test_number_range();
    test_symlinks();
    test_devices();
    test_inputs_refused();
    test_temporary();
    test_escaping();
    test_whole_or_nothing();
    test_stdout();
    test_integers();
    test_write_behind();
    rmdir(dir);
    return test_report("test_output");
}
