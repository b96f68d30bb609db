/* Unit tests for render/ct_plot: escaping, names, words, and the gnuplot
 * driver (charts rendered, errors attributed to their chart, a gnuplot that
 * fails or is missing reported). The driver tests need gnuplot in PATH and
 * are skipped without it. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render/ct_plot.h"
#include "test.h"

static void test_escape(void)
{
    ct_plot_buf b = {0};
    ct_plot_gp_string(&b, "Thanh Hóa \"x\" a\\b `cmd` it's\nc\td");
    CHECK_STR(b.s, "'Thanh Hóa \"x\" a\\b `cmd` it''s'.\"\\n\".'c d'");
    ct_plot_buf_free(&b);
    ct_plot_gp_string(&b, NULL);
    CHECK_STR(b.s, "''");
    ct_plot_buf_free(&b);
    char part[32];
    ct_plot_file_part("thanh-hoa_2016.v1", part, sizeof part);
    CHECK_STR(part, "thanh-hoa_2016.v1");
    ct_plot_file_part("../a/b c", part, sizeof part);
    CHECK_STR(part, "_._a_b_c~b30ecc51e71175eb");
    ct_plot_file_part("", part, sizeof part);
    CHECK_STR(part, "_~14650fb0739d0383");
    ct_plot_file_part("Hóa", part, sizeof part);
    CHECK_STR(part, "H__a~b7087cf51aa95dba");
    /* names never collide: 38/0 and 38_0, and long ids cut to fit
     * (hashes from an independent FNV-1a in Python) */
    char other[32];
    ct_plot_file_part("38/0", part, sizeof part);
    ct_plot_file_part("38_0", other, sizeof other);
    CHECK_STR(part, "38_0~1fd7f6182375099f");
    CHECK_STR(other, "38_0");
    char longa[201], longb[201], big[128], big2[128];
    memset(longa, 'a', 200); longa[200] = '\0';
    memcpy(longb, longa, 201); longb[199] = 'b';
    ct_plot_file_part(longa, big, sizeof big);
    ct_plot_file_part(longb, big2, sizeof big2);
    CHECK(strcmp(big, big2) != 0);
    CHECK_INT(strlen(big), 127);
    CHECK_STR(big + 110, "~688d528e21044d2b");
}

static void test_words(void)
{
    CHECK_STR(ct_plot_status_label("at_risk", CT_PLOT_VI), "Có nguy cơ chậm");
    CHECK_STR(ct_plot_status_label("at_risk", CT_PLOT_EN), "At risk");
    CHECK_STR(ct_plot_status_label("insufficient_data", CT_PLOT_VI), "Thiếu số liệu");
    CHECK_STR(ct_plot_status_label("custom_rule", CT_PLOT_VI), "custom_rule");
    CHECK_STR(ct_plot_status_var("off_track"), "c_off_track");
    CHECK_STR(ct_plot_status_var("custom_rule"), "c_other");
    ct_plot_format f;
    CHECK_INT(ct_plot_format_parse("svg", &f), 0);
    CHECK_INT(f, CT_PLOT_SVG);
    CHECK_INT(ct_plot_format_parse("jpeg", &f), -1);
    ct_plot_lang l;
    CHECK_INT(ct_plot_lang_parse("en", &l), 0);
    CHECK_INT(ct_plot_lang_parse("fr", &l), -1);
}

static int has_gnuplot(void) { return system("gnuplot --version >/dev/null 2>&1") == 0; }

static int png_signature(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    unsigned char sig[8] = {0};
    size_t n = fread(sig, 1, 8, f);
    fclose(f);
    return n == 8 && !memcmp(sig, "\x89PNG\r\n\x1a\n", 8);
}

static void test_driver(void)
{
    if (!has_gnuplot()) { printf("test_plot: gnuplot not found, driver tests skipped\n"); return; }
    char dir[] = "/tmp/ct_plot_testXXXXXX";
    if (!mkdtemp(dir)) { CHECK(0); return; }
    char good[600], bad[600], png1[600], png3[600];
    snprintf(good, sizeof good, "set terminal pngcairo size 200,100\nset output 'a%%d.png'\nplot x\nunset output\n");
    snprintf(png1, sizeof png1, "%s/a1.png", dir);
    snprintf(png3, sizeof png3, "%s/a3.png", dir);
    char s1[300], s3[300];
    snprintf(s1, sizeof s1, good, 1);
    snprintf(s3, sizeof s3, good, 3);
    snprintf(bad, sizeof bad, "plot $no_such_block\n");
    /* one bad chart among good ones: only it fails, with gnuplot's message */
    ct_plot_job jobs[3] = {{s1, dir, "one.gp", 0}, {bad, dir, "two.gp", 0}, {s3, dir, "three.gp", 0}};
    ct_diags d;
    ct_diags_init(&d);
    ct_plot_run_opts o = {"gnuplot", 2, NULL, NULL};
    ct_status st = ct_plot_run(jobs, 3, &o, &d);
    CHECK_INT(st, CT_EIO);
    CHECK_INT(jobs[0].failed, 0);
    CHECK_INT(jobs[1].failed, 1);
    CHECK_INT(jobs[2].failed, 0);
    CHECK(png_signature(png1));
    CHECK(png_signature(png3));
    CHECK(DIAGS_HAVE(d, "no datablock named $no_such_block"));
    int named = 0;
    for (size_t i = 0; i < d.n; i++)
        if (d.items[i].file && !strcmp(d.items[i].file, "two.gp")) named = 1;
    CHECK(named);
    ct_diags_free(&d);

    /* a gnuplot that exits at once: every chart fails, and the run ends */
    ct_diags_init(&d);
    ct_plot_job j2[2] = {{s1, dir, "one.gp", 0}, {s3, dir, "three.gp", 0}};
    o.gnuplot = "/bin/false";
    st = ct_plot_run(j2, 2, &o, &d);
    CHECK(st != CT_OK);
    CHECK(j2[0].failed && j2[1].failed);
    CHECK(DIAGS_HAVE(d, "exited with status 1"));
    ct_diags_free(&d);

    /* a missing program */
    ct_diags_init(&d);
    o.gnuplot = "/no/such/gnuplot";
    st = ct_plot_run(j2, 2, &o, &d);
    CHECK_INT(st, CT_EUNSUPPORTED);
    CHECK(DIAGS_HAVE(d, "cannot run '/no/such/gnuplot'"));
    ct_diags_free(&d);

    /* many charts through one worker keep their order and attribution */
    enum { N = 40 };
    ct_plot_job many[N];
    char scripts[N][300];
    for (int i = 0; i < N; i++) {
        if (i % 7 == 3) snprintf(scripts[i], sizeof scripts[i], "print 'oops %d'\n", i);
        else snprintf(scripts[i], sizeof scripts[i], "x%d = %d\n", i, i);
        many[i] = (ct_plot_job){scripts[i], dir, "many.gp", 0};
    }
    ct_diags_init(&d);
    o.gnuplot = NULL;
    o.workers = 1;
    st = ct_plot_run(many, N, &o, &d);
    CHECK_INT(st, CT_EIO);
    int wrong = 0;
    for (int i = 0; i < N; i++)
        if (many[i].failed != (i % 7 == 3)) wrong++;
    CHECK_INT(wrong, 0);
    CHECK(DIAGS_HAVE(d, "oops 10"));
    ct_diags_free(&d);

    remove(png1);
    remove(png3);
    rmdir(dir);
}

int main(void)
{
    test_escape();
    test_words();
    test_driver();
    return test_report("test_plot");
}
