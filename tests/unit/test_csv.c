/* The RFC 4180 reader: quoting, line ends, BOM, blank lines, errors with lines. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load/ct_csv.h"
#include "test.h"

enum { MAXF = 8 };

/* Writes text (n bytes) to a fresh temporary file; returns its path (static buffer). */
static const char *write_tmp(const char *text, size_t n)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/ct_csv_XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0) { perror("mkstemp"); exit(2); }
    if (write(fd, text, n) != (ssize_t)n) { perror("write"); exit(2); }
    close(fd);
    return path;
}

/* A field as a NUL-terminated string (static ring of buffers). */
static const char *fs(const ct_field *f)
{
    static char bufs[8][256];
    static int k;
    char *b = bufs[k++ % 8];
    size_t n = f->len < 255 ? f->len : 255;
    memcpy(b, f->ptr, n);
    b[n] = '\0';
    return b;
}

typedef struct {
    ct_csv r;
    ct_diags d;
    const char *path;
} reader;

static void open_text(reader *rd, const char *text, size_t n)
{
    ct_diags_init(&rd->d);
    rd->path = write_tmp(text, n);
    CHECK_INT(ct_csv_open(&rd->r, rd->path, &rd->d), CT_OK);
}

static void close_reader(reader *rd)
{
    ct_csv_close(&rd->r);
    unlink(rd->path);
    ct_diags_free(&rd->d);
}

#define OPEN(rd, lit) open_text((rd), (lit), sizeof(lit) - 1)

static void test_quoted(void)
{
    reader rd;
    ct_field f[MAXF];
    OPEN(&rd, "a,\"b,c\",\"say \"\"hi\"\"\",\"multi\nline\"\n"
              "x,y,z,w\n"
              "\"\",\"q\"\n");
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 4);
    CHECK_INT(rd.r.row_line, 1);
    CHECK_STR(fs(&f[0]), "a");
    CHECK_STR(fs(&f[1]), "b,c");
    CHECK_STR(fs(&f[2]), "say \"hi\"");
    CHECK_STR(fs(&f[3]), "multi\nline");
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 4);
    CHECK_INT(rd.r.row_line, 3);   /* line 2 is the quoted field's second line */
    CHECK_STR(fs(&f[0]), "x");
    CHECK_STR(fs(&f[3]), "w");
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 2);
    CHECK_INT(rd.r.row_line, 4);
    CHECK_INT(f[0].len, 0);
    CHECK_STR(fs(&f[1]), "q");
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 0);
    CHECK_INT(rd.d.n_errors, 0);
    close_reader(&rd);

    /* two quoted fields with embedded newlines: the next row is on line 6 */
    OPEN(&rd, "h1,h2\n\"1\n2\",\"3\n4\n5\"\nnext,row\n");
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 2);
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 2);
    CHECK_INT(rd.r.row_line, 2);
    CHECK_STR(fs(&f[1]), "3\n4\n5");
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 2);
    CHECK_INT(rd.r.row_line, 6);
    CHECK_STR(fs(&f[0]), "next");
    close_reader(&rd);
}

/* pad_quotes (DHIS2's CSV): spaces around a quoted field are not its text;
 * without it the same row is an error, as RFC 4180 says. */
static void test_pad_quotes(void)
{
    reader rd;
    ct_field f[MAXF];
    OPEN(&rd, "\"de\",    \"2017-01\" ,\t\"a, b\",plain \n");
    rd.r.pad_quotes = 1;
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 4);
    CHECK_STR(fs(&f[0]), "de");
    CHECK_STR(fs(&f[1]), "2017-01");
    CHECK_STR(fs(&f[2]), "a, b");
    CHECK_STR(fs(&f[3]), "plain ");
    CHECK_INT(rd.d.n_errors, 0);
    close_reader(&rd);
    OPEN(&rd, "\"de\",    \"2017-01\"\n");
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), -1);
    CHECK_INT(rd.d.n_errors, 1);
    close_reader(&rd);
}

static void test_crlf_bom(void)
{
    reader rd;
    ct_field f[MAXF];
    OPEN(&rd, "\xEF\xBB\xBF" "code,name\r\n\"01\",H\xC3\xA0 N\xE1\xBB\x99i\r\n02,\"x\"\r\n");
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 2);
    CHECK_STR(fs(&f[0]), "code");   /* the BOM is not part of the first field */
    CHECK_INT(f[0].len, 4);
    CHECK_STR(fs(&f[1]), "name");   /* no \r left at the end */
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 2);
    CHECK_INT(rd.r.row_line, 2);
    CHECK_STR(fs(&f[0]), "01");
    CHECK_STR(fs(&f[1]), "H\xC3\xA0 N\xE1\xBB\x99i");
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 2);
    CHECK_INT(rd.r.row_line, 3);
    CHECK_STR(fs(&f[1]), "x");
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 0);
    CHECK_INT(rd.d.n_errors, 0);
    close_reader(&rd);

    /* CRLF inside a quoted field is kept as is; the line count still advances */
    OPEN(&rd, "\"a\r\nb\",c\r\nd,e\r\n");
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 2);
    CHECK_STR(fs(&f[0]), "a\r\nb");
    CHECK_STR(fs(&f[1]), "c");
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 2);
    CHECK_INT(rd.r.row_line, 3);
    CHECK_STR(fs(&f[1]), "e");
    close_reader(&rd);
}

static void test_empty_fields(void)
{
    reader rd;
    ct_field f[MAXF];
    OPEN(&rd, "a,,b\n,\na,b,\nc,d,e\na,b,\r\nx,y,");
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 3);
    CHECK_STR(fs(&f[0]), "a");
    CHECK_INT(f[1].len, 0);
    CHECK_STR(fs(&f[2]), "b");
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 2);   /* "," is two empty fields */
    CHECK_INT(f[0].len, 0);
    CHECK_INT(f[1].len, 0);
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 3);   /* trailing empty field */
    CHECK_INT(rd.r.row_line, 3);
    CHECK_STR(fs(&f[1]), "b");
    CHECK_INT(f[2].len, 0);
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 3);
    CHECK_INT(rd.r.row_line, 4);
    CHECK_STR(fs(&f[2]), "e");
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 3);   /* trailing empty field before CRLF */
    CHECK_INT(f[2].len, 0);
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 3);   /* ... and at the end of the file */
    CHECK_INT(rd.r.row_line, 6);
    CHECK_STR(fs(&f[1]), "y");
    CHECK_INT(f[2].len, 0);
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 0);
    CHECK_INT(rd.d.n_errors, 0);
    close_reader(&rd);

    /* more fields than max: the count is still right, only max stored */
    OPEN(&rd, "1,2,3,4,5\n");
    CHECK_INT(ct_csv_next(&rd.r, f, 2, &rd.d), 5);
    CHECK_STR(fs(&f[1]), "2");
    close_reader(&rd);
}

static void test_blank_and_end(void)
{
    reader rd;
    ct_field f[MAXF];
    OPEN(&rd, "\n\na,b\n\n\r\n\nc,d\n\n");
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 2);
    CHECK_INT(rd.r.row_line, 3);
    CHECK_STR(fs(&f[0]), "a");
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 2);
    CHECK_INT(rd.r.row_line, 7);
    CHECK_STR(fs(&f[0]), "c");
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 0);
    close_reader(&rd);

    /* no final newline */
    OPEN(&rd, "a,b\nc,d");
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 2);
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 2);
    CHECK_INT(rd.r.row_line, 2);
    CHECK_STR(fs(&f[1]), "d");
    CHECK_INT(f[1].len, 1);
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 0);
    close_reader(&rd);

    /* a quoted last field with no final newline */
    OPEN(&rd, "a,\"b\"");
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 2);
    CHECK_STR(fs(&f[1]), "b");
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 0);
    CHECK_INT(rd.d.n_errors, 0);
    close_reader(&rd);

    /* an empty file */
    OPEN(&rd, "");
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 0);
    CHECK_INT(rd.d.n_errors, 0);
    close_reader(&rd);
}

static void test_errors(void)
{
    reader rd;
    ct_field f[MAXF];

    /* an unclosed quote: the error names the line where the quote opened */
    OPEN(&rd, "a,b\nc,\"d\ne\nf\n");
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 2);
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), -1);
    CHECK_INT(rd.d.n_errors, 1);
    CHECK_INT(rd.d.items[0].line, 2);
    CHECK_STR(rd.d.items[0].file, rd.path);
    CHECK(DIAGS_HAVE(rd.d, "not closed"));
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 0);
    close_reader(&rd);

    /* a quote inside an unquoted field; reading goes on with the next line */
    OPEN(&rd, "h,i\n5 \"x\",b\nd,e\n");
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 2);
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), -1);
    CHECK_INT(rd.d.n_errors, 1);
    CHECK_INT(rd.d.items[0].line, 2);
    CHECK(DIAGS_HAVE(rd.d, "quote inside an unquoted field"));
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 2);
    CHECK_INT(rd.r.row_line, 3);
    CHECK_STR(fs(&f[0]), "d");
    CHECK_STR(fs(&f[1]), "e");
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 0);
    close_reader(&rd);

    /* text after a closing quote */
    OPEN(&rd, "\"a\"b,c\nd,e\n");
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), -1);
    CHECK_INT(rd.d.n_errors, 1);
    CHECK_INT(rd.d.items[0].line, 1);
    CHECK_INT(ct_csv_next(&rd.r, f, MAXF, &rd.d), 2);
    CHECK_INT(rd.r.row_line, 2);
    CHECK_STR(fs(&f[0]), "d");
    close_reader(&rd);

    /* a missing file */
    ct_csv r;
    ct_diags d;
    ct_diags_init(&d);
    CHECK_INT(ct_csv_open(&r, "/tmp/ct_csv_no_such_dir/none.csv", &d), CT_EIO);
    CHECK_INT(d.n_errors, 1);
    CHECK(d.n == 1 && d.items[0].file && strcmp(d.items[0].file, "/tmp/ct_csv_no_such_dir/none.csv") == 0);
    CHECK(DIAGS_HAVE(d, "cannot open"));
    ct_diags_free(&d);
}

/* A streamed file (ct_csv_stream) reads the same rows, lines and errors as
 * the file read whole, when rows, quoted fields spanning lines, a row longer
 * than the window, and a bad row fall across the window's ends (256 kB). The
 * expected rows are those of ct_csv_open, tested above. */
static void test_stream(void)
{
    size_t cap = (size_t)11 << 20, n = 0;
    char *text = malloc(cap);
    if (!text) exit(2);
    int k = 0;
    while (n < ((size_t)10 << 20)) {
        k++;
        if (k % 50000 == 7) n += (size_t)snprintf(text + n, cap - n, "%d,\"two\nlines, \"\"quoted\"\"\",x\n", k);
        else if (k % 70001 == 3) n += (size_t)snprintf(text + n, cap - n, "%d,bad\"quote,x\n", k);
        else if (k == 200000) {
            n += (size_t)snprintf(text + n, cap - n, "%d,\"", k);
            for (int i = 0; i < (5 << 20) / 10; i++) n += (size_t)snprintf(text + n, cap - n, "long\nline");
            n += (size_t)snprintf(text + n, cap - n, "\",x\n");
        } else n += (size_t)snprintf(text + n, cap - n, "%d,plain,x\n", k);
    }
    const char *path = write_tmp(text, n);
    ct_csv a, b;
    ct_diags da, db;
    ct_diags_init(&da);
    ct_diags_init(&db);
    CHECK_INT(ct_csv_open(&a, path, &da), CT_OK);
    CHECK_INT(ct_csv_stream(&b, path, &db), CT_OK);
    for (int pass = 0; pass < 2; pass++) {
        ct_field fa[MAXF], fb[MAXF];
        int rows = 0, same = 1, na, nb;
        do {
            na = ct_csv_next(&a, fa, MAXF, &da);
            nb = ct_csv_next(&b, fb, MAXF, &db);
            if (na != nb || a.row_line != b.row_line) same = 0;
            for (int i = 0; same && i < na && i < MAXF; i++)
                if (fa[i].len != fb[i].len || memcmp(fa[i].ptr, fb[i].ptr, fa[i].len) != 0) same = 0;
            rows++;
        } while (same && na != 0);
        CHECK(same);
        CHECK(rows > 200000);
        CHECK_INT(b.fatal, CT_OK);
        CHECK_INT((int)db.n, (int)da.n);
        for (size_t i = 0; i < da.n && i < db.n; i++) CHECK_INT(db.items[i].line, da.items[i].line);
        /* a second pass over the streamed file, against a fresh whole read */
        ct_csv_close(&a);
        CHECK_INT(ct_csv_open(&a, path, &da), CT_OK);
        CHECK_INT(ct_csv_rewind(&b), CT_OK);
    }
    ct_csv_close(&a);
    ct_csv_close(&b);
    ct_diags_free(&da);
    ct_diags_free(&db);

    unlink(path);

    /* invalid UTF-8 past the first window: the error names its line and column */
    memcpy(text + ((size_t)6 << 20) + 5, "\xff", 1);
    path = write_tmp(text, n);
    ct_diags_init(&da);
    ct_diags_init(&db);
    CHECK_INT(ct_csv_open(&a, path, &da), CT_EINPUT);
    CHECK_INT(ct_csv_stream(&b, path, &db), CT_OK);
    ct_field f[MAXF];
    ct_diags rows;
    ct_diags_init(&rows);
    while (ct_csv_next(&b, f, MAXF, &rows) != 0) {}
    CHECK_INT(b.fatal, CT_EINPUT);
    CHECK_INT((int)db.n, 1);
    CHECK_INT((int)da.n, 1);
    if (da.n == 1 && db.n == 1) {
        CHECK_INT(db.items[0].line, da.items[0].line);
        CHECK_INT(db.items[0].col, da.items[0].col);
        CHECK_STR(db.items[0].msg, da.items[0].msg);
    }
    ct_csv_close(&b);
    ct_diags_free(&rows);
    ct_diags_free(&da);
    ct_diags_free(&db);
    unlink(path);
    free(text);
}

int main(void)
{
    test_stream();
    test_quoted();
    test_pad_quotes();
    test_crlf_bom();
    test_empty_fields();
    test_blank_and_end();
    test_errors();
    return test_report("test_csv");
}
