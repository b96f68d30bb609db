/* Output: number formatting, CSV and JSON escaping, whole-or-nothing files. */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render/ct_output.h"
#include "test.h"

static char dir[64];

static const char *num(double v)
{
    static char buf[64];
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

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/ct_out_XXXXXX");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 2; }
    test_numbers();
    test_escaping();
    test_whole_or_nothing();
    test_stdout();
    rmdir(dir);
    return test_report("test_output");
}
