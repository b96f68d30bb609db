/* chitieu plot and chitieu report: progress charts through gnuplot, and the
 * HTML report that shows them. */
#define _XOPEN_SOURCE 700 /* realpath, gmtime_r */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <dirent.h>
#include <sys/wait.h>

#include "../core/ct_file.h"
#include "../project/ct_assess.h"
#include "../project/ct_feasibility.h"
#include "../render/ct_output.h"
#include "../render/ct_plot.h"
#include "../render/ct_report.h"
#include "../render/ct_theme.h"
#include "../core/ct_tmpfile.h"
#include "cli.h"
#include "cli_compare.h"

#ifndef CHITIEU_THEME_REL
#define CHITIEU_THEME_REL "../share/chitieu/plots/theme.gp"
#endif
#ifndef CHITIEU_SOURCE_DIR
#define CHITIEU_SOURCE_DIR "."
#endif

static const char *const usage_plot =
    "usage: chitieu plot PLAN.yaml... --data DIR --out DIR [--format png|svg|pdf]\n"
    "                    [--level L] [--lang vi|en] [--jobs N] [--theme FILE] [--as-of PERIOD]\n"
    "                    [--rules FILE.lua]... [--quiet-rules]\n"
    "                    [--model ols|calibrated]\n"
    "\n"
    "Draws progress charts with gnuplot, into DIR:\n"
    "  PLAN/INDICATOR/UNIT.png          reported series, planned path and targets,\n"
    "                                   projected trend with its 95% band, the plan's\n"
    "                                   transition band, the status of the final target\n"
    "  PLAN/INDICATOR/UNIT-LEVEL.png    small multiples: the units under UNIT, same scale\n"
    "  PLAN/status.png                  units x indicators coloured by status\n"
    "Each chart's gnuplot script is kept beside it (NAME.gp; `gnuplot NAME.gp`\n"
    "draws it again), and DIR/theme.gp is the look they all load.\n"
    "\n"
    "options:\n"
    "  --data DIR       a folder with units.csv and observations.csv (required)\n"
    "  --out DIR        the output folder (required; created if missing)\n"
    "  --format F       png (default), svg or pdf\n"
    "  --level L        chart only the units of level L (default: the plan's region\n"
    "                   and every level below it except the finest, e.g. communes)\n"
    "  --lang L         words on the charts: vi (default) or en\n"
    "  --jobs N         gnuplot processes working in parallel (default 2)\n"
    "  --theme FILE     the theme (default: plots/theme.gp of chitieu)\n"
    "  --as-of PERIOD   use only the data of periods ending by PERIOD\n"
    "  --rules FILE     a Lua rules file whose assess_rule rules set the statuses\n"
    "                   (and labels) the charts show (repeatable)\n"
    "  --quiet-rules    drop what the rules print with log(...)\n"
    "  --geography G    the units to compute on: a period, or as-reported\n"
    "                   (default: each plan's own map)\n"
    "  --model M        the trend model of the bands: calibrated (default) or ols\n"
    "  -h, --help       this text\n"
    "\n"
    "environment: CHITIEU_GNUPLOT  the gnuplot program (default: gnuplot in PATH)\n";

static const char *const usage_report =
    "usage: chitieu report PLAN.yaml... --data DIR --out DIR [--unit CODE] [--as-of PERIOD]\n"
    "                      [--rules FILE.lua]... [--level L] [--lang vi|en] [--geography G]\n"
    "                      [--min-coverage F] [--format html|pdf] [--charts-dir DIR]\n"
    "                      [--agency TEXT] [--doc-number TEXT] [--date DATE] [--each LEVEL]\n"
    "                      [--jobs N] [--theme FILE] [--model ols|calibrated]\n"
    "\n"
    "Writes DIR/index.html, one self-contained file (styles inside, every chart\n"
    "inline as SVG): the progress report of one unit, to read on a phone, print on\n"
    "A4 with page numbers or send as it is. Its first page is a summary to read\n"
    "aloud (targets evaluated and monitored, those furthest behind, the units to\n"
    "follow up); then, per plan, every target of the unit with the plan's own\n"
    "words, its status, probability and note, the units one level down lagging\n"
    "behind each target, the units below, the tasks of a plan tracked as tasks,\n"
    "the charts, the plan's feasibility findings and data completeness.\n"
    "\n"
    "options:\n"
    "  --data DIR       a folder with units.csv and observations.csv (required)\n"
    "  --out DIR        the output folder (required; created if missing)\n"
    "  --unit CODE      the unit reported on: its part of each plan's region (default:\n"
    "                   each plan's region); plans that do not cover it are left out\n"
    "  --as-of PERIOD   use only the data of periods ending by PERIOD\n"
    "  --rules FILE     a Lua rules file whose assess_rule rules set statuses and notes\n"
    "                   and whose check_rule checks fill the data-quality section\n"
    "                   (repeatable; the plans' own rules: files apply too)\n"
    "  --quiet-rules    drop what the rules print with log(...)\n"
    "  --level L        the finest level shown (default: the level above the finest\n"
    "                   of the data, e.g. districts rather than communes)\n"
    "  --lang L         the report's language: vi (default) or en\n"
    "  --geography G    the units to compute on: a period, or as-reported\n"
    "                   (default: each plan's own map)\n"
    "  --min-coverage F a yearly value with less coverage is set aside (default 0.8)\n"
    "  --format F       html (default), or pdf: DIR/index.pdf printed by headless\n"
    "                   Chromium (Debian: chromium; or $CHITIEU_CHROMIUM)\n"
    "  --charts-dir DIR also keep the charts there (SVG, each with its .gp script)\n"
    "  --agency TEXT    the issuing agency, at the top of the first page\n"
    "  --doc-number T   the document's number (\"12/BC-SLĐTBXH\")\n"
    "  --date DATE      the date of the document (YYYY-MM-DD, in words; default: today)\n"
    "  --each LEVEL     one report per unit of LEVEL (under --unit), DIR/CODE.html,\n"
    "                   and DIR/index.html listing them; gnuplot on every core\n"
    "  --model M        the trend model of projections, bands and probabilities:\n"
    "                   calibrated (default) or ols\n"
    "  --jobs N         gnuplot processes working in parallel (default 2)\n"
    "  --theme FILE     the chart theme (default: plots/theme.gp of chitieu)\n"
    "  -h, --help       this text\n";

typedef struct {
    const char *lang, *jobs, *theme, *charts_dir, *agency, *doc_number, *date, *each;
} own_opts;

/* Takes --lang, --jobs, --theme and the report's own options (and their
 * =VALUE forms) out of argv. */
static int take_own(const char *cmd, int argc, char **argv, char **rest, int *n_rest, own_opts *o)
{
    static const char *const names[] = {"--lang",   "--jobs",       "--theme", "--charts-dir",
                                        "--agency", "--doc-number", "--date",  "--each"};
    int n_names = !strcmp(cmd, "report") ? 8 : 3;
    *n_rest = 0;
    for (int i = 0; i < argc; i++) {
        int hit = -1;
        const char *value = NULL;
        for (int k = 0; k < n_names; k++) {
            size_t l = strlen(names[k]);
            if (!strncmp(argv[i], names[k], l) && (argv[i][l] == '\0' || argv[i][l] == '=')) {
                hit = k;
                if (argv[i][l] == '=') value = argv[i] + l + 1;
                else if (i + 1 < argc) value = argv[++i];
                else return cli_usage_error(cmd, "option '%s' needs a value", names[k]);
            }
        }
        if (hit < 0) { rest[(*n_rest)++] = argv[i]; continue; }
        if (hit == 0) o->lang = value;
        if (hit == 1) o->jobs = value;
        if (hit == 2) o->theme = value;
        if (hit == 3) o->charts_dir = value;
        if (hit == 4) o->agency = value;
        if (hit == 5) o->doc_number = value;
        if (hit == 6) o->date = value;
        if (hit == 7) o->each = value;
    }
    return 0;
}

static int is_file(const char *p)
{
    struct stat st;
    return p && stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* The theme file: --theme, $CHITIEU_THEME, beside the program
 * (../plots/theme.gp, or where it is installed: ../share/chitieu/plots), or
 * the source tree. Never a plots/theme.gp of the current folder: the folder
 * a command runs in may hold anyone's files. NULL if none exists. */
static const char *find_theme(const own_opts *o, char *buf, size_t size)
{
    if (o->theme) return o->theme;
    const char *env = getenv("CHITIEU_THEME");
    if (env && env[0]) return env;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *sl = strrchr(exe, '/');
        if (sl) *sl = '\0';
        if (snprintf(buf, size, "%s/../plots/theme.gp", exe) < (int)size && is_file(buf)) return buf;
        if (snprintf(buf, size, "%s/%s", exe, CHITIEU_THEME_REL) < (int)size && is_file(buf)) return buf;
    }
    snprintf(buf, size, "%s/plots/theme.gp", CHITIEU_SOURCE_DIR);
    return is_file(buf) ? buf : NULL;
}

/* Whether the gnuplot program can be run: a path, or a name found in PATH. */
static int find_program(const char *prog)
{
    if (strchr(prog, '/')) return access(prog, X_OK) == 0;
    const char *path = getenv("PATH");
    if (!path) path = "/usr/bin:/bin";
    char buf[PATH_MAX];
    while (*path) {
        const char *c = strchr(path, ':');
        size_t l = c ? (size_t)(c - path) : strlen(path);
        snprintf(buf, sizeof buf, "%.*s/%s", (int)l, l ? path : ".", prog);
        if (access(buf, X_OK) == 0 && is_file(buf)) return 1;
        path += l + (c ? 1 : 0);
    }
    return 0;
}

/* mkdir -p for the folder part of path (everything before the last '/'). */
static int make_dirs(const char *path, int whole)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    if (!whole) {
        char *sl = strrchr(buf, '/');
        if (!sl) return 0;
        *sl = '\0';
    }
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(buf, 0777) && errno != EEXIST) return -1;
        *p = '/';
    }
    if (mkdir(buf, 0777) && errno != EEXIST) return -1;
    return 0;
}

/* Writes a whole file (through ct_out: whole or not at all, never over an
 * input); the error, naming shown, goes to d. */
static int write_file(const char *path, const char *shown, const char *text, size_t n, ct_diags *d)
{
    ct_diags local;
    ct_diags_init(&local);
    ct_out *o = ct_out_open(path, &local);
    if (o) {
        ct_out_write(o, text, n);
        ct_out_commit(o, &local);
    }
    int bad = local.n_errors > 0;
    for (size_t i = 0; i < local.n; i++) ct_error_at(d, shown, 0, 0, "%s", local.items[i].msg);
    ct_diags_free(&local);
    return bad ? -1 : 0;
}

/* Whether a chart gnuplot wrote is complete: not empty, and ending as its
 * format ends (a full disk leaves empty or cut files behind). */
static int chart_complete(const char *path, ct_plot_format format)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    char tail[64];
    size_t n = 0;
    if (fseek(f, -(long)sizeof tail, SEEK_END) != 0) rewind(f);
    n = fread(tail, 1, sizeof tail, f);
    int bad = ferror(f);
    fclose(f);
    if (bad || n == 0) return 0;
    if (format == CT_PLOT_PNG) return n >= 8 && memcmp(tail + n - 8, "IEND\xAE\x42\x60\x82", 8) == 0;
    const char *end = format == CT_PLOT_SVG ? "</svg>" : "%%EOF";
    size_t el = strlen(end);
    for (size_t i = 0; i + el <= n; i++)
        if (memcmp(tail + i, end, el) == 0) return 1;
    return 0;
}

static int copy_file(const char *from, const char *to, ct_diags *d)
{
    char *text;
    size_t len;
    if (ct_file_read(from, (size_t)1 << 20, "chart theme", &text, &len, d) != CT_OK) return -1;
    /* read as settings: a theme that would run or write anything is refused */
    if (ct_theme_check(from, text, len, d) != CT_OK) { free(text); return -1; }
    int bad = write_file(to, to, text, len, d);
    free(text);
    return bad;
}

/* The script gnuplot runs: the chart's own, drawing into drawdir/I.EXT
 * instead of beside the script (malloc'd; NULL when out of memory). */
static char *draw_script(const ct_plot_buf *b, const char *drawdir, size_t i, const char *ext)
{
    const char *at = strstr(b->s, "\nset output ");
    if (!at) return strdup(b->s);
    at++;
    const char *end = strchr(at, '\n');
    if (!end) end = at + strlen(at);
    char name[PATH_MAX + 64];
    snprintf(name, sizeof name, "%s/%zu.%s", drawdir, i, ext);
    ct_plot_buf o = {0};
    ct_plot_buf_put(&o, b->s, (size_t)(at - b->s));
    ct_plot_buf_puts(&o, "set output ");
    ct_plot_gp_string(&o, name);
    ct_plot_buf_puts(&o, end);
    if (o.oom) { ct_plot_buf_free(&o); return NULL; }
    return o.s;
}

/* Refuses a chart whose image would replace one of the inputs. */
static int chart_not_input(const char *gp, const char *ext, const char *shown, ct_diags *d)
{
    char img[PATH_MAX + 640];
    struct stat st;
    snprintf(img, sizeof img, "%.*s.%s", (int)(strlen(gp) - 3), gp, ext);
    const char *input = NULL;
    if (stat(img, &st) == 0) input = ct_file_input_named(st.st_dev, st.st_ino);
    if (!input && stat(gp, &st) == 0) input = ct_file_input_named(st.st_dev, st.st_ino);
    if (input) ct_error_at(d, shown, 0, 0, "is one of the inputs (%s); refusing to overwrite it: choose another --out", input);
    return input != NULL;
}

static void progress_bar(size_t done, size_t total, void *ctx)
{
    (void)ctx;
    int width = 30, fill = total ? (int)(done * (size_t)width / total) : width;
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu charts", fill, "##############################", width - fill, "", done, total);
    if (done == total) fputc('\n', stderr);
    fflush(stderr);
}

typedef struct {
    ct_report_finding *items;
    size_t n, cap;
    int oom;
} findings;

static int keep_finding(const ct_plan *plan, const ct_indicator *ind, const char *text, void *ctx)
{
    findings *f = ctx;
    if (f->n == f->cap) {
        size_t nc = f->cap ? f->cap * 2 : 32;
        ct_report_finding *p = realloc(f->items, nc * sizeof *p);
        if (!p) { f->oom = 1; return 1; }
        f->items = p;
        f->cap = nc;
    }
    char *t = strdup(text);
    if (!t) { f->oom = 1; return 1; }
    f->items[f->n++] = (ct_report_finding){plan, ind, t};
    return 0;
}

/* Lets the Lua rules (--rules, and the plans' own rules:) set statuses and notes. */
/* A batch's file name for unit u: its code, and where the code names another
 * unit of the batch too (92, the old Cần Thơ until 2025S1 and the new city from
 * 2025S2), the end of its validity, so that neither page overwrites the other. */
static void each_part(const ct_series *s, const int *each, int n_each, int u, char *part, size_t size)
{
    int twin = 0;
    for (int k = 0; k < n_each && !twin; k++)
        twin = each[k] != u && !strcmp(s->code[each[k]], s->code[u]);
    const char *to = s->valid_to_text ? s->valid_to_text[u] : NULL;
    char name[96];
    if (twin && to) snprintf(name, sizeof name, "%s-%s", s->code[u], to);
    else snprintf(name, sizeof name, "%s", s->code[u]);
    ct_plot_file_part(name, part, size);
}

/* One plan collected on its own map, each status compared as reported. */
static ct_status collect_plan(cli_session *ss, size_t i, const ct_compute_filter *filter, const ct_plot_scope *scope,
                              ct_assess_options aopt, ct_plot_plan *out)
{
    const ct_series *ps = cli_session_series(ss, i);
    aopt.geography = ps->geography;
    if (ss->rules) ct_rules_use_series(ss->rules, ps);
    ct_assess_options o = aopt;
    cli_compare *cmp = NULL;
    /* charts and reports show the units under --unit too: compare them all */
    ct_compute_filter all = *filter;
    all.unit = all.level = -1;
    ct_status st = cli_compare_new(&cmp, ss, i, &all, &aopt);
    if (cmp) {
        o.custom = cli_compare_hook;
        o.custom_ctx = cmp;
    }
    if (st == CT_OK) st = ct_plot_collect(ss->plans[i], ps, scope, &o, out);
    cli_compare_free(cmp);
    return st;
}

static void apply_rules(void *ctx, ct_assessment *a)
{
    cli_session *ss = ctx;
    ct_rules_assess(ss->rules, a, &ss->diags);
}

/* Removes a folder the browser made (its profile) and everything in it. */
static void remove_tree(const char *path)
{
    DIR *dir = opendir(path);
    if (!dir) { remove(path); return; }
    struct dirent *e;
    char p[PATH_MAX + 300];
    while ((e = readdir(dir))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(p, sizeof p, "%s/%s", path, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) remove_tree(p);
        else remove(p);
    }
    closedir(dir);
    rmdir(path);
}

/* The headless browser that prints the PDF: $CHITIEU_CHROMIUM, or chromium
 * (Debian), chromium-browser, google-chrome in PATH; NULL if none. */
static const char *find_browser(void)
{
    const char *env = getenv("CHITIEU_CHROMIUM");
    if (env && env[0]) return find_program(env) ? env : NULL;
    static const char *const names[] = {"chromium", "chromium-browser", "google-chrome"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (find_program(names[i])) return names[i];
    return NULL;
}

/* Prints html to pdf (whole or not at all: written in tmpdir, renamed into place). */
static int print_pdf(const char *html, const char *tmpdir, const char *pdf, const char *cmd, ct_diags *d)
{
    const char *browser = find_browser();
    if (!browser) {
        ct_error_at(d, NULL, 0, 0, "%s --format pdf: no headless browser found (chromium): install it (Debian: apt-get "
                                   "install chromium) or set CHITIEU_CHROMIUM to its path", cmd);
        return -1;
    }
    char tmp[PATH_MAX + 32], arg_out[PATH_MAX + 64], url[2 * PATH_MAX + 16], profile[PATH_MAX + 64];
    snprintf(tmp, sizeof tmp, "%s/print.pdf", tmpdir);
    snprintf(arg_out, sizeof arg_out, "--print-to-pdf=%s", tmp);
    snprintf(url, sizeof url, "file://%s", html);
    snprintf(profile, sizeof profile, "--user-data-dir=%s/profile", tmpdir);
    char *const argv[] = {(char *)browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                          "--no-first-run", profile, arg_out, url, NULL};
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0) { dup2(fd, 1); dup2(fd, 2); }
        execvp(browser, argv);
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || !is_file(tmp)) {
        ct_error_at(d, pdf, 0, 0, "%s could not print the report to PDF (exit status %d)", browser,
                    pid > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        remove(tmp);
        return -1;
    }
    char rm[PATH_MAX + 64];
    snprintf(rm, sizeof rm, "%s/profile", tmpdir);
    remove_tree(rm);
    if (rename(tmp, pdf)) {
        ct_error_at(d, pdf, 0, 0, "cannot write: %s", strerror(errno));
        remove(tmp);
        return -1;
    }
    return 0;
}

static int run(const char *cmd, int report, int argc, char **argv)
{
    own_opts own = {0};
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    if (!rest) return cli_usage_error(cmd, "%s", "out of memory");
    int n_rest = 0;
    int rc = take_own(cmd, argc, argv, rest, &n_rest, &own);
    if (rc) { free(rest); return rc; }
    static const char *const allowed_plot[] = {"--data", "--out", "-o", "--output", "--format", "--level", "--as-of",
                                               "--geography", "--model", NULL};
    static const char *const allowed_report[] = {"--data", "--out", "-o", "--output", "--level", "--unit", "--format",
                                                 "--as-of", "--rules", "--geography", "--min-coverage", "--model",
                                                 NULL};
    cli_args a;
    rc = cli_parse_args(cmd, n_rest, rest, &a, report ? allowed_report : allowed_plot);
    if (rc || cli_help(&a, report ? usage_report : usage_plot)) { cli_args_free(&a); free(rest); return rc; }
    ct_plot_style style = {CT_PLOT_VI, report ? CT_PLOT_SVG : CT_PLOT_PNG};
    int jobs = 2, pdf = 0;
    if (report && a.format) {
        if (!strcmp(a.format, "pdf")) pdf = 1;
        else if (strcmp(a.format, "html")) rc = cli_usage_error(cmd, "--format must be html or pdf, not '%s'", a.format);
    } else if (a.format && ct_plot_format_parse(a.format, &style.format))
        rc = cli_usage_error(cmd, "--format must be png, svg or pdf, not '%s'", a.format);
    if (!rc && own.lang && ct_plot_lang_parse(own.lang, &style.lang))
        rc = cli_usage_error(cmd, "--lang must be vi or en, not '%s'", own.lang);
    if (!rc && own.jobs) {
        char *end;
        long j = strtol(own.jobs, &end, 10);
        if (*end || j < 1 || j > 64) rc = cli_usage_error(cmd, "--jobs must be a number from 1 to 64, not '%s'", own.jobs);
        jobs = (int)j;
    }
    ct_model_kind model = CT_MODEL_CALIBRATED;
    if (!rc) rc = cli_model(&a, cmd, &model);
    double min_cov = 0.8;
    if (!rc && a.min_coverage) {
        char *end;
        min_cov = strtod(a.min_coverage, &end);
        if (*end || !(min_cov >= 0 && min_cov <= 1))
            rc = cli_usage_error(cmd, "--min-coverage must be a number from 0 to 1, not '%s'", a.min_coverage);
    }
    if (!rc && a.n_plans == 0) rc = cli_usage_error(cmd, "%s", "no plan file given");
    if (!rc && !a.data) rc = cli_usage_error(cmd, "%s", "--data DIR is required");
    if (!rc && (!a.out || !a.out[0] || !strcmp(a.out, "-"))) rc = cli_usage_error(cmd, "%s", "--out DIR is required");
    if (rc) { cli_args_free(&a); free(rest); return rc; }

    char theme_buf[PATH_MAX];
    const char *theme = find_theme(&own, theme_buf, sizeof theme_buf);
    const char *prog = getenv("CHITIEU_GNUPLOT");
    if (!prog || !prog[0]) prog = "gnuplot";
    if (!theme || !is_file(theme)) {
        fprintf(stderr, "%s: error: chart theme not found (give --theme FILE, or set CHITIEU_THEME)\n",
                theme ? theme : "plots/theme.gp");
        cli_args_free(&a); free(rest);
        return CLI_EXIT_INPUT;
    }
    {
        /* the theme is checked before anything is loaded or written (and
         * again when it is copied into --out) */
        ct_diags td;
        ct_diags_init(&td);
        char *text;
        size_t len;
        int tbad = ct_file_read(theme, (size_t)1 << 20, "chart theme", &text, &len, &td) != CT_OK;
        if (!tbad) {
            tbad = ct_theme_check(theme, text, len, &td) != CT_OK;
            free(text);
        }
        for (size_t i = 0; i < td.n; i++) {
            char line[1600];
            ct_diag_format(&td.items[i], line, sizeof line);
            fprintf(stderr, "%s\n", line);
        }
        ct_diags_free(&td);
        if (tbad) { cli_args_free(&a); free(rest); return CLI_EXIT_INPUT; }
    }
    if (!find_program(prog)) {
        fprintf(stderr, "chitieu %s: error: gnuplot not found ('%s'): install gnuplot (Debian: apt-get install "
                        "gnuplot-nox) or set CHITIEU_GNUPLOT to the program's path\n", cmd, prog);
        cli_args_free(&a); free(rest);
        return CLI_EXIT_INPUT;
    }

    cli_session ss;
    cli_session_init(&ss);
    ss.compare = 1; /* each status compared as reported */
    rc = cli_load(&ss, &a, cmd);
    ct_compute_filter filter;
    if (rc == 0) rc = cli_filter(&a, &ss.series, cmd, &filter);
    if (rc == CLI_EXIT_USAGE) { cli_args_free(&a); free(rest); cli_finish(&ss, 0); return rc; }
    int bad = rc != 0;
    /* --each LEVEL: one report per unit of that level (under --unit), in one run */
    int *each = NULL, n_each = 0;
    size_t n_inline = 0;   /* the charts the pages written hold */
    if (!bad && own.each) {
        const ct_series *s = &ss.series;
        int lv = -1;
        for (int l = 0; l < s->n_levels; l++)
            if (!strcmp(s->level_name[l], own.each)) lv = l;
        if (lv < 0) {
            rc = cli_usage_error(cmd, "--each: no level '%s' in the data", own.each);
            cli_args_free(&a); free(rest); cli_finish(&ss, 0);
            return rc;
        }
        if (pdf) {
            rc = cli_usage_error(cmd, "%s", "--each writes HTML pages: --format pdf is for one report");
            cli_args_free(&a); free(rest); cli_finish(&ss, 0);
            return rc;
        }
        each = calloc((size_t)s->n_units + 1, sizeof *each);
        if (!each) bad = 1;
        for (int k = 0; each && k < s->n_units; k++) {
            int u = s->order ? s->order[k] : k;
            /* a unit of the level on the map of any plan (each plan is on its own) */
            int on_a_map = 0;
            for (size_t i = 0; i < ss.n_plans && !on_a_map; i++) {
                const ct_series *ps = cli_session_series(&ss, i);
                on_a_map = !ps->in_geo || ps->in_geo[u];
            }
            if (s->level[u] != lv || !on_a_map) continue;
            if (filter.unit >= 0 && s->anc[(size_t)u * (size_t)s->n_levels + (size_t)s->level[filter.unit]] != filter.unit) continue;
            each[n_each++] = u;
        }
        if (!own.jobs) {   /* a batch: every core */
            long n = sysconf(_SC_NPROCESSORS_ONLN);
            jobs = n > 1 ? (n > 64 ? 64 : (int)n) : 1;
        }
    }
    size_t n_rep = own.each ? (size_t)n_each : 1;
    ct_plot_plan *pps = calloc((n_rep ? n_rep : 1) * (ss.n_plans ? ss.n_plans : 1), sizeof *pps);
    unsigned char *rep_ok = calloc(n_rep ? n_rep : 1, 1);   /* per report: some plan covers its unit */
    ct_chart *charts = NULL;
    size_t n_charts = 0, cap = 0;
    ct_plot_job *jobv = NULL;
    char **scripts = NULL, **dirs = NULL, **gps = NULL;
    int *rendered = NULL;
    findings fi = {0};
    char outabs[PATH_MAX], chartabs[PATH_MAX];
    const char *chart_shown = a.out;   /* the charts' folder as the user named it */
    int temp_charts = 0;               /* the charts live in a folder removed at the end */
    if (!pps || !rep_ok) bad = 1;
    ct_plot_scope scope = {filter.unit, report ? -1 : filter.level, report ? filter.level : -1};
    ct_assess_options aopt = {CT_PM_AUTO, NULL, NULL, style.lang, min_cov, ss.series.geography, model};
    if (ss.rules && ct_rules_n_assess(ss.rules) > 0) {
        aopt.custom = apply_rules;
        aopt.custom_ctx = &ss;
    }
    size_t covered = 0;
    /* a batch collects each plan once, for every unit, and reports on each through a view */
    ct_plot_plan *whole = own.each ? calloc(ss.n_plans ? ss.n_plans : 1, sizeof *whole) : NULL;
    if (own.each && !whole) bad = 1;
    for (size_t i = 0; !bad && own.each && i < ss.n_plans; i++)
        if (collect_plan(&ss, i, &filter, &scope, aopt, &whole[i]) != CT_OK) {
            ct_error_at(&ss.diags, NULL, 0, 0, "%s: %s", cmd, ct_status_str(CT_ENOMEM));
            bad = 1;
        }
    for (size_t r = 0; !bad && r < n_rep; r++) {
        for (size_t i = 0; !bad && i < ss.n_plans; i++) {
            size_t from = n_charts;
            ct_plot_plan *pp = &pps[r * ss.n_plans + i];
            ct_status st = own.each ? ct_plot_view(&whole[i], each[r], pp)
                                    : collect_plan(&ss, i, &filter, &scope, aopt, pp);
            if (st == CT_OK) st = ct_plot_list_charts(pp, report, &charts, &n_charts, &cap);
            if (st == CT_OK && pp->root >= 0) { covered++; rep_ok[r] = 1; }
            if (st != CT_OK) { ct_error_at(&ss.diags, NULL, 0, 0, "%s: %s", cmd, ct_status_str(st)); bad = 1; }
            /* a batch keeps each unit's charts in a folder of its own (each has a PLAN/status) */
            for (size_t c = from; own.each && c < n_charts; c++) {
                char part[128], rel[sizeof charts[c].rel];
                each_part(&ss.series, each, n_each, each[r], part, sizeof part);
                if (snprintf(rel, sizeof rel, "%s/%s", part, charts[c].rel) >= (int)sizeof rel) {
                    ct_error_at(&ss.diags, NULL, 0, 0, "%s: a chart's path is too long: %s", cmd, charts[c].rel);
                    bad = 1;
                }
                memcpy(charts[c].rel, rel, sizeof rel);
            }
        }
    }
    if (!bad && own.each && covered == 0) {
        ct_error_at(&ss.diags, NULL, 0, 0, "%s: --each %s: no plan given covers a unit of that level", cmd, own.each);
        bad = 1;
    }
    if (!bad && !own.each && filter.unit >= 0 && covered == 0) {
        ct_error_at(&ss.diags, NULL, 0, 0, "%s: --unit %s: no plan given covers this unit", cmd, a.unit);
        bad = 1;
    }
    if (!bad && (make_dirs(a.out, 1) || !realpath(a.out, outabs))) {
        ct_error_at(&ss.diags, a.out, 0, 0, "cannot create the output folder: %s", strerror(errno));
        bad = 1;
    }
    if (!bad && !report) snprintf(chartabs, sizeof chartabs, "%s", outabs);
    else if (!bad && own.charts_dir) {
        /* the report keeps its charts and their scripts there too */
        chart_shown = own.charts_dir;
        if (make_dirs(own.charts_dir, 1) || !realpath(own.charts_dir, chartabs)) {
            ct_error_at(&ss.diags, own.charts_dir, 0, 0, "cannot create the charts folder: %s", strerror(errno));
            bad = 1;
        }
    } else if (!bad) {
        /* the page holds its charts: they are drawn in a folder of their own, removed after */
        /* a private folder, removed with what it holds on a signal too */
        char *page = ct_tmpdir_create(outabs, "page-charts");
        if (!page || snprintf(chartabs, sizeof chartabs, "%s", page) >= (int)sizeof chartabs) {
            free(page);
            ct_error_at(&ss.diags, a.out, 0, 0, "cannot create a temporary folder for the charts: %s", strerror(errno));
            bad = 1;
        } else {
            free(page);
            temp_charts = 1;
            chart_shown = chartabs;
        }
    }
    if (!bad) {
        char path[PATH_MAX + 16];
        snprintf(path, sizeof path, "%s/theme.gp", chartabs);
        if (copy_file(theme, path, &ss.diags)) bad = 1;
    }
    /* gnuplot draws into a private folder (0700, removed on a signal) and
     * each finished image is renamed into place: a link planted at a
     * chart's name is replaced, never followed */
    char *drawdir = NULL;
    if (!bad && n_charts && !(drawdir = ct_tmpdir_create(outabs, "charts"))) {
        ct_error_at(&ss.diags, a.out, 0, 0, "cannot create a temporary folder: %s", strerror(errno));
        bad = 1;
    }
    if (!bad && n_charts) {
        jobv = calloc(n_charts, sizeof *jobv);
        scripts = calloc(n_charts, sizeof *scripts);
        dirs = calloc(n_charts, sizeof *dirs);
        gps = calloc(n_charts, sizeof *gps);
        rendered = calloc(n_charts, sizeof *rendered);
        if (!jobv || !scripts || !dirs || !gps || !rendered) bad = 1;
    }
    const char *ext = ct_plot_format_ext(style.format);
    for (size_t i = 0; !bad && i < n_charts; i++) {
        ct_plot_buf b = {0};
        ct_plot_script(&charts[i], &style, &b);
        char gp[PATH_MAX + 600], dir[PATH_MAX + 600], shown[PATH_MAX + 600];
        snprintf(gp, sizeof gp, "%s/%s.gp", chartabs, charts[i].rel);
        snprintf(shown, sizeof shown, "%s/%s.gp", chart_shown, charts[i].rel);
        snprintf(dir, sizeof dir, "%s", gp);
        *strrchr(dir, '/') = '\0';
        if (b.oom) { ct_plot_buf_free(&b); bad = 1; break; }
        int failed = 0;
        if (make_dirs(gp, 0)) { ct_error_at(&ss.diags, shown, 0, 0, "cannot write: %s", strerror(errno)); failed = 1; }
        if (!failed) failed = chart_not_input(gp, ext, shown, &ss.diags) || write_file(gp, shown, b.s, b.len, &ss.diags);
        if (failed) {
            ct_plot_buf_free(&b);
            bad = 1;
            break;
        }
        scripts[i] = draw_script(&b, drawdir, i, ext);   /* the job's script: it draws into drawdir */
        ct_plot_buf_free(&b);
        if (!scripts[i]) { bad = 1; break; }
        dirs[i] = strdup(dir);
        gps[i] = strdup(shown);
        if (!dirs[i] || !gps[i]) { bad = 1; break; }
        jobv[i] = (ct_plot_job){scripts[i], dirs[i], gps[i], 0};
    }
    if (!bad && n_charts) {
        ct_plot_run_opts ro = {prog, jobs, isatty(2) ? progress_bar : NULL, NULL};
        ct_status st = ct_plot_run(jobv, n_charts, &ro, &ss.diags);
        if (st != CT_OK) bad = 1;
        for (size_t i = 0; i < n_charts; i++) {
            char f[PATH_MAX + 600], drawn[PATH_MAX + 64], shown[PATH_MAX + 600];
            snprintf(f, sizeof f, "%s/%s.%s", chartabs, charts[i].rel, ext);
            snprintf(drawn, sizeof drawn, "%s/%zu.%s", drawdir, i, ext);
            snprintf(shown, sizeof shown, "%s/%s.%s", chart_shown, charts[i].rel, ext);
            rendered[i] = !jobv[i].failed && is_file(drawn);
            if (rendered[i] && !chart_complete(drawn, style.format)) {
                ct_error_at(&ss.diags, shown, 0, 0, "chart not written whole (is the disk full?)");
                rendered[i] = 0;
                bad = 1;
            }
            if (rendered[i] && rename(drawn, f) != 0) {
                ct_error_at(&ss.diags, shown, 0, 0, "cannot write: %s", strerror(errno));
                rendered[i] = 0;
                bad = 1;
            }
        }
    }
    if (report && !bad) {
        for (size_t i = 0; !fi.oom && i < ss.n_plans; i++)
            if (pps[i].root >= 0) ct_feasibility_plan(ss.plans[i], cli_session_series(&ss, i), style.lang, min_cov, keep_finding, &fi);
        if (fi.oom) bad = 1;
    }
    if (report && (pps && !fi.oom) && (!bad || n_charts)) {
        /* the report is written even when some charts failed: it shows what exists */
        /* the date it was made: --date, today, or $SOURCE_DATE_EPOCH for a reproducible build */
        char date[32] = "";
        const char *sde = getenv("SOURCE_DATE_EPOCH");
        time_t now = sde && sde[0] ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
        struct tm tmv;
        if (gmtime_r(&now, &tmv)) strftime(date, sizeof date, "%Y-%m-%d", &tmv);
        /* the rules applied: --rules, then the plans' own */
        size_t n_rules = a.n_rules, k = 0;
        for (size_t i = 0; i < ss.n_plans; i++) n_rules += ss.plans[i]->n_rules;
        const char **rules = calloc(n_rules ? n_rules : 1, sizeof *rules);
        for (size_t i = 0; rules && i < a.n_rules; i++) rules[k++] = a.rules[i];
        for (size_t i = 0; rules && i < ss.n_plans; i++)
            for (size_t j = 0; j < ss.plans[i]->n_rules; j++) rules[k++] = ss.plans[i]->rules[j];
        /* the data checks of the rules, for the data-quality section */
        ct_report_violations viol = {0};
        int checked = ss.rules && ss.has_data && ct_rules_n_checks(ss.rules) > 0;
        if (checked && ct_rules_check(ss.rules, ct_report_violations_add, &viol, &ss.diags) < 0) viol.oom = 1;
        if (viol.oom) { ct_error_at(&ss.diags, NULL, 0, 0, "report: out of memory"); bad = 1; }
        ct_report_input in = {pps, ss.n_plans, charts, rendered, n_charts, chartabs, fi.items, fi.n, style.lang, a.as_of,
                              ss.series.geography, own.date ? own.date : date[0] ? date : NULL, own.agency,
                              own.doc_number, rules, rules ? k : 0, checked ? &viol : NULL, &n_inline};
        ct_report_index_item *items = own.each ? calloc(n_rep ? n_rep : 1, sizeof *items) : NULL;
        char (*hrefs)[160] = own.each ? calloc(n_rep ? n_rep : 1, sizeof *hrefs) : NULL;
        size_t n_items = 0;
        int wbad = own.each && (!items || !hrefs);   /* writing failed (a chart that failed still leaves a page) */
        for (size_t r = 0; !wbad && r < n_rep; r++) {
            char path[PATH_MAX + 192];
            in.plans = &pps[r * ss.n_plans];
            if (own.each) {
                if (!rep_ok[r]) continue;
                char part[128];
                each_part(&ss.series, each, n_each, each[r], part, sizeof part);
                snprintf(hrefs[r], sizeof hrefs[r], "%s.html", part);
                snprintf(path, sizeof path, "%s/%s", a.out, hrefs[r]);
                items[n_items++] = (ct_report_index_item){in.plans, ss.n_plans, hrefs[r]};
            } else if (pdf) snprintf(path, sizeof path, "%s/index.html", chartabs);   /* printed, then removed */
            else snprintf(path, sizeof path, "%s/index.html", a.out);
            if (ct_report_write(&in, path, &ss.diags) != CT_OK) wbad = 1;
            if (!wbad && pdf) {
                char pdfpath[PATH_MAX + 32];
                snprintf(pdfpath, sizeof pdfpath, "%s/index.pdf", a.out);
                if (print_pdf(path, chartabs, pdfpath, cmd, &ss.diags)) wbad = 1;
                remove(path);
            }
        }
        if (!wbad && own.each) {
            char path[PATH_MAX + 32];
            snprintf(path, sizeof path, "%s/index.html", a.out);
            if (ct_report_index_write(&in, items, n_items, path, &ss.diags) != CT_OK) wbad = 1;
            else n_each = (int)n_items;
        }
        if (wbad) bad = 1;
        free(items);
        free(hrefs);
        ct_report_violations_free(&viol);
        free(rules);
    }
    if (temp_charts) ct_tmpdir_remove(chartabs);
    if (!bad) {
        size_t ok = 0;
        for (size_t i = 0; i < n_charts; i++) ok += rendered[i] ? 1u : 0u;
        /* a report says the charts its pages hold, not those drawn */
        if (report && own.each) printf("%s/index.html: %d reports with %zu charts\n", a.out, n_each, n_inline);
        else if (report) printf("%s/index.%s: report with %zu charts\n", a.out, pdf ? "pdf" : "html", n_inline);
        else printf("%s: %zu charts\n", a.out, ok);
    }
    ct_tmpdir_remove(drawdir);
    free(drawdir);
    for (size_t i = 0; i < fi.n; i++) free((void *)fi.items[i].text);
    free(fi.items);
    for (size_t i = 0; i < n_charts; i++) {
        if (scripts) free(scripts[i]);
        if (dirs) free(dirs[i]);
        if (gps) free(gps[i]);
    }
    free(scripts);
    free(dirs);
    free(gps);
    free(jobv);
    free(rendered);
    free(charts);
    for (size_t i = 0; pps && i < n_rep * ss.n_plans; i++) ct_plot_plan_free(&pps[i]);
    free(pps);
    for (size_t i = 0; whole && i < ss.n_plans; i++) ct_plot_plan_free(&whole[i]);
    free(whole);
    free(rep_ok);
    free(each);
    cli_args_free(&a);
    free(rest);
    return cli_finish(&ss, bad);
}

int cmd_plot(int argc, char **argv) { return run("plot", 0, argc, argv); }
int cmd_report(int argc, char **argv) { return run("report", 1, argc, argv); }
