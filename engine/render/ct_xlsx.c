#include "ct_xlsx.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "../core/ct_lang.h"
#include "../project/ct_assess.h"
#include "../core/ct_tmpfile.h"
#include "ct_output.h"

enum { MAX_SHEETS = 256, MAX_COLS = 64, EXCEL_ROWS = 1048576, NAME_BUF = 128 };

typedef struct {
    lxw_worksheet *ws;
    char name[NAME_BUF];   /* the sheet's name */
    char *plan;            /* the plan id it holds */
    unsigned row;          /* next row to write (0 is the header) */
    double width[MAX_COLS];
    char geography[32];    /* the map its rows are on ("" until a row says; "*": more than one) */
    double min_coverage;   /* the lowest coverage of its rows with a value; NaN: none */
    char asof[32];         /* the latest period of its rows */
} sheet;

/* The report's palette (ct_report.c, plots/theme.gp): background and text. */
static const struct {
    const char *status;
    lxw_color_t bg, fg;
} palette[] = {
    {"achieved", 0x009E73, 0xFFFFFF},      {"nearly_achieved", 0x8CCFB9, 0x000000},
    {"not_achieved", 0x8E2C00, 0xFFFFFF},  {"on_track", 0x56B4E9, 0x000000},
    {"at_risk", 0xE69F00, 0x000000},       {"off_track", 0xD55E00, 0xFFFFFF},
    {"deteriorating", 0xCC79A7, 0x000000}, {"insufficient_data", 0xBBBBBB, 0x000000},
    {"not_applicable", 0xE6E6E6, 0x000000}};
enum { N_PALETTE = sizeof palette / sizeof *palette };

/* A row behind its target (assess), kept for the sheet of lagging units. */
typedef struct {
    char *plan, *indicator, *unit, *level, *status, *period;
    double target_year, target, latest, gap;
} lag_row;

/* The cells of the current row that the overview and the lagging sheet read. */
typedef struct {
    char plan[128], indicator[128], unit[256], name[256], level[64], status[64], period[32], geography[32];
    double target_year, target, latest, coverage;
} row_scratch;

struct ct_xlsx {
    lxw_workbook *wb;
    char *path;
    char *tmpdir;          /* private folder (0700) where libxlsxwriter writes */
    char *tmp;             /* the workbook in it */
    ct_out *out;           /* the target, through the one safe writer */
    ct_xlsx_lang lang;
    const char *const *columns;
    int n_columns, col;
    int status_col;
    sheet sheets[MAX_SHEETS];
    int n_sheets;
    sheet *cur;
    lxw_format *header, *status_fmt[N_PALETTE], *other_status;
    lxw_color_t rule_rgb[16];   /* the colours rules gave, each with its format */
    lxw_format *rule_fmt[16];
    int n_rule_fmt;
    lxw_format *fmt_int, *fmt_dec, *fmt_pct, *fmt_wrap, *fmt_title;
    lxw_worksheet *overview;   /* the first sheet: as of when, on which map, coverage, the plans */
    row_scratch cur_row;
    lag_row *lag;
    size_t n_lag, cap_lag;
    char next_sheet[128];  /* the sheet of the next row, when not its plan's */
    char **titles;         /* triples: plan, indicator ("" for the plan itself), title */
    size_t n_titles, cap_titles;
    char asof[32], geography[32];
    double min_coverage;   /* the lowest coverage of a row with a value */
    int latest_col;        /* the rows have a latest value (assess) */
    int geo_mixed;         /* the sheets are on different maps */
    long rows_total;
    int failed;            /* a problem already reported in err */
    char err[256];
};


/* The headers are the catalogue's COL_ messages (ct_lang.h): English is the column's name. */
const char *ct_xlsx_header(const char *column, ct_xlsx_lang lang)
{
    if (lang == CT_XLSX_VI)
        for (int id = 0; id < CT_M_COUNT; id++)
            if (!strncmp(ct_msg_name((ct_msg_id)id), "COL_", 4) && !strcmp(ct_msg(CT_LANG_EN, (ct_msg_id)id), column))
                return ct_msg(CT_LANG_VI, (ct_msg_id)id);
    return column;
}

/* Cuts s to at most max characters (UTF-8), returning its byte length. */
static size_t utf8_prefix(const char *s, size_t max_chars)
{
    size_t bytes = 0, chars = 0;
    while (s[bytes] && chars < max_chars) {
        bytes++;
        while ((s[bytes] & 0xC0) == 0x80) bytes++;
        chars++;
    }
    return bytes;
}

static int name_taken(const char *name, const char *const *taken, int n)
{
    for (int i = 0; i < n; i++)
        if (!strcasecmp(name, taken[i])) return 1;
    return 0;
}

void ct_xlsx_sheet_name(const char *name, const char *const *taken, int n, char *buf, size_t size)
{
    char clean[NAME_BUF];
    size_t k = 0;
    for (const char *p = name && *name ? name : "plan"; *p && k + 1 < sizeof clean; p++)
        clean[k++] = strchr("[]:*?/\\", *p) ? '_' : *p;
    clean[k] = '\0';
    if (clean[0] == '\'') clean[0] = '_';
    size_t len = utf8_prefix(clean, 31);
    if (len && clean[len - 1] == '\'') clean[len - 1] = '_';
    snprintf(buf, size, "%.*s", (int)len, clean);
    /* Excel keeps "History" for itself (any case): such a sheet gets a suffix */
    int reserved = !strcasecmp(buf, "History");
    for (int i = 2; (reserved || name_taken(buf, taken, n)) && i < 100000; i++) {
        reserved = 0;
        char suffix[16];
        int sn = snprintf(suffix, sizeof suffix, "~%d", i);
        size_t keep = utf8_prefix(clean, (size_t)(31 - sn));
        snprintf(buf, size, "%.*s%s", (int)keep, clean, suffix);
    }
}

/* The width a text needs, in characters (UTF-8 sequences count once). */
static double text_width(const char *s)
{
    double w = 0;
    for (; *s; s++)
        if ((*s & 0xC0) != 0x80) w += 1;
    return w;
}

static void fail(ct_xlsx *x, const char *what, lxw_error e)
{
    if (x->failed) return;
    x->failed = 1;
    snprintf(x->err, sizeof x->err, "%s: %s", what, lxw_strerror(e));
}

ct_xlsx *ct_xlsx_open(const char *path, ct_xlsx_lang lang, ct_diags *d)
{
    if (!path || !strcmp(path, "-")) {
        ct_error_at(d, NULL, 0, 0, "%s", "an Excel workbook is written to a file: give -o FILE.xlsx");
        return NULL;
    }
    /* the target is opened first, through the safe writer: an input, a
     * folder or no access is refused before any work; a device or FIFO is
     * written in place; a file is replaced whole on commit, keeping its mode */
    ct_out *out = ct_out_open(path, d);
    if (!out) return NULL;
    ct_xlsx *x = calloc(1, sizeof *x);
    size_t n = strlen(path);
    if (x) {
        x->out = out;
        x->path = malloc(n + 1);
        x->tmpdir = ct_tmpdir_create(ct_tmpdir_parent(), "chitieu-xlsx");
        if (x->tmpdir) x->tmp = malloc(strlen(x->tmpdir) + 16);
    }
    if (!x || !x->path || !x->tmpdir || !x->tmp) {
        int e = errno;
        if (x) { free(x->path); ct_tmpdir_remove(x->tmpdir); free(x->tmpdir); free(x->tmp); free(x); }
        ct_out_abort(out);
        ct_error_at(d, path, 0, 0, "cannot create a private temporary folder: %s", strerror(e ? e : ENOMEM));
        return NULL;
    }
    memcpy(x->path, path, n + 1);
    sprintf(x->tmp, "%s/book.xlsx", x->tmpdir);
    lxw_workbook_options opt = {0};
    opt.tmpdir = x->tmpdir;   /* libxlsxwriter's own temporary files: there too */
    x->wb = workbook_new_opt(x->tmp, &opt);
    if (!x->wb) {
        ct_error_at(d, path, 0, 0, "%s", "cannot create the workbook");
        ct_out_abort(out);
        ct_tmpdir_remove(x->tmpdir);
        free(x->path); free(x->tmpdir); free(x->tmp); free(x);
        return NULL;
    }
    x->lang = lang;
    x->status_col = -1;
    x->header = workbook_add_format(x->wb);
    format_set_bold(x->header);
    format_set_bg_color(x->header, 0xE3E3E3);
    format_set_pattern(x->header, LXW_PATTERN_SOLID);
    format_set_text_wrap(x->header);
    for (int i = 0; i < N_PALETTE; i++) {
        lxw_format *f = workbook_add_format(x->wb);
        format_set_pattern(f, LXW_PATTERN_SOLID);
        format_set_bg_color(f, palette[i].bg);
        format_set_font_color(f, palette[i].fg);
        x->status_fmt[i] = f;
    }
    x->other_status = workbook_add_format(x->wb); /* a status set by a Lua rule */
    format_set_pattern(x->other_status, LXW_PATTERN_SOLID);
    format_set_bg_color(x->other_status, 0xF0E442);
    /* number formats: Excel shows them in the reader's locale (a decimal comma in vi-VN) */
    x->fmt_int = workbook_add_format(x->wb);
    format_set_num_format(x->fmt_int, "#,##0");
    x->fmt_dec = workbook_add_format(x->wb);
    format_set_num_format(x->fmt_dec, "#,##0.0");
    x->fmt_pct = workbook_add_format(x->wb);
    format_set_num_format(x->fmt_pct, "0.0%");
    x->fmt_wrap = workbook_add_format(x->wb);
    format_set_text_wrap(x->fmt_wrap);
    format_set_align(x->fmt_wrap, LXW_ALIGN_VERTICAL_TOP);
    x->fmt_title = workbook_add_format(x->wb);
    format_set_bold(x->fmt_title);
    format_set_font_size(x->fmt_title, 14);
    x->min_coverage = INFINITY;
    x->cur_row.target_year = x->cur_row.target = x->cur_row.latest = x->cur_row.coverage = NAN;
    return x;
}

static ct_lang lang_of(const ct_xlsx *x) { return x->lang == CT_XLSX_EN ? CT_LANG_EN : CT_LANG_VI; }

void ct_xlsx_columns(ct_xlsx *x, const char *const *columns, int n_columns)
{
    x->columns = columns;
    x->n_columns = n_columns < MAX_COLS ? n_columns : MAX_COLS;
    x->status_col = -1;
    for (int i = 0; i < x->n_columns; i++)
        if (!strcmp(columns[i], "status")) x->status_col = i;
    if (!x->overview && !x->failed) {   /* first of the sheets; written at commit */
        x->overview = workbook_add_worksheet(x->wb, ct_msg(lang_of(x), CT_M_XLSX_OVERVIEW));
        if (!x->overview) fail(x, "cannot add a sheet", LXW_ERROR_SHEETNAME_ALREADY_USED);
    }
}

static int is_one_of(const char *col, const char *const *names)
{
    for (; *names; names++)
        if (!strcmp(col, *names)) return 1;
    return 0;
}

/* The number format of a column: whole numbers, fractions 0-1 as percents, values with one decimal. */
static lxw_format *number_format(const ct_xlsx *x, const char *col)
{
    static const char *const ints[] = {"reported", "expected", "target_year", "met_year", "points", "year", NULL};
    static const char *const pcts[] = {"coverage", "probability", NULL};
    static const char *const decs[] = {"value", "target", "baseline_value", "latest_value", "projected", "lower",
                                       "upper", "observed_rate", "required_rate", "last_value", "numerator",
                                       "denominator", NULL};
    if (is_one_of(col, ints)) return x->fmt_int;
    if (is_one_of(col, pcts)) return x->fmt_pct;
    if (is_one_of(col, decs)) return x->fmt_dec;
    return NULL;
}

/* Keeps a cell the overview or the lagging sheet reads. */
static void scratch_text(ct_xlsx *x, const char *col, const char *text)
{
    row_scratch *r = &x->cur_row;
    struct { const char *name; char *buf; size_t size; } keep[] = {
        {"plan", r->plan, sizeof r->plan},         {"indicator", r->indicator, sizeof r->indicator},
        {"unit", r->unit, sizeof r->unit},         {"name", r->name, sizeof r->name},
        {"level", r->level, sizeof r->level},      {"status", r->status, sizeof r->status},
        {"latest_period", r->period, sizeof r->period}, {"period", r->period, sizeof r->period},
        {"geography", r->geography, sizeof r->geography}};
    for (size_t i = 0; i < sizeof keep / sizeof *keep; i++)
        if (!strcmp(col, keep[i].name)) snprintf(keep[i].buf, keep[i].size, "%s", text ? text : "");
}

static void scratch_number(ct_xlsx *x, const char *col, double v)
{
    row_scratch *r = &x->cur_row;
    if (!strcmp(col, "target_year")) r->target_year = v;
    else if (!strcmp(col, "target")) r->target = v;
    else if (!strcmp(col, "latest_value")) r->latest = v;
    if (!strcmp(col, "latest_value")) x->latest_col = 1;
    else if (!strcmp(col, "coverage")) r->coverage = v;
}

/* The sheet of a plan, added with its header row on first use. */
static sheet *sheet_for(ct_xlsx *x, const char *plan)
{
    for (int i = 0; i < x->n_sheets; i++)
        if (!strcmp(x->sheets[i].plan, plan)) return &x->sheets[i];
    if (x->n_sheets == MAX_SHEETS) { fail(x, "more plans than sheets", LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE); return NULL; }
    sheet *sh = &x->sheets[x->n_sheets];
    const char *taken[MAX_SHEETS];
    for (int i = 0; i < x->n_sheets; i++) taken[i] = x->sheets[i].name;
    ct_xlsx_sheet_name(plan, taken, x->n_sheets, sh->name, sizeof sh->name);
    sh->plan = strdup(plan);
    sh->geography[0] = sh->asof[0] = '\0';
    sh->min_coverage = NAN;
    if (!sh->plan) { fail(x, "out of memory", LXW_ERROR_MEMORY_MALLOC_FAILED); return NULL; }
    sh->ws = workbook_add_worksheet(x->wb, sh->name);
    if (!sh->ws) { free(sh->plan); fail(x, "cannot add a sheet", LXW_ERROR_SHEETNAME_ALREADY_USED); return NULL; }
    x->n_sheets++;
    for (int c = 0; c < x->n_columns; c++) {
        const char *h = ct_xlsx_header(x->columns[c], x->lang);
        lxw_error e = worksheet_write_string(sh->ws, 0, (lxw_col_t)c, h, x->header);
        if (e) fail(x, "cannot write the header", e);
        double w = text_width(h) + 2;
        sh->width[c] = w > 40 ? 40 : w;
    }
    sh->row = 1;
    return sh;
}

/* Starts a cell: the column to write, or -1 when nothing is to be written. */
static int cell(ct_xlsx *x)
{
    int c = x->col++;
    if (x->failed || c >= x->n_columns) return -1;
    if (c == 0 && !x->cur) x->cur = sheet_for(x, "plan");
    if (!x->cur) return -1;
    if (x->cur->row >= EXCEL_ROWS) {
        fail(x, "more rows than an Excel sheet holds (1048576; choose --level, --unit or --format csv)",
             LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE);
        return -1;
    }
    return c;
}

static void widen(sheet *sh, int c, double w)
{
    w += 1;
    if (w > 60) w = 60;
    if (w > sh->width[c]) sh->width[c] = w;
}

void ct_xlsx_next_sheet(ct_xlsx *x, const char *name)
{
    if (x) snprintf(x->next_sheet, sizeof x->next_sheet, "%s", name ? name : "");
}

void ct_xlsx_text(ct_xlsx *x, const char *text)
{
    /* the first column, "plan", picks the sheet */
    if (x->col == 0 && x->n_columns > 0 && !strcmp(x->columns[0], "plan") && !x->failed)
        x->cur = sheet_for(x, x->next_sheet[0] ? x->next_sheet : text ? text : "");
    int c = cell(x);
    if (c >= 0) scratch_text(x, x->columns[c], text);
    if (c < 0 || !text || !*text) return;
    lxw_format *f = NULL;
    if (!strcmp(x->columns[c], "note")) f = x->fmt_wrap;
    if (c == x->status_col) {
        f = x->other_status;
        for (int i = 0; i < N_PALETTE; i++)
            if (!strcmp(text, palette[i].status)) f = x->status_fmt[i];
    }
    lxw_error e = worksheet_write_string(x->cur->ws, x->cur->row, (lxw_col_t)c, text, f);
    if (e) fail(x, "cannot write a cell", e);
    widen(x->cur, c, f == x->fmt_wrap && text_width(text) > 60 ? 60 : text_width(text));
}

/* The format of a rule's colour, made on first use (past 16 colours: the "other" one). */
static lxw_format *rule_format(ct_xlsx *x, const char *colour)
{
    lxw_color_t rgb = (lxw_color_t)strtoul(colour + 1, NULL, 16);
    for (int i = 0; i < x->n_rule_fmt; i++)
        if (x->rule_rgb[i] == rgb) return x->rule_fmt[i];
    if (x->n_rule_fmt == 16) return x->other_status;
    lxw_format *f = workbook_add_format(x->wb);
    if (!f) return x->other_status;
    format_set_pattern(f, LXW_PATTERN_SOLID);
    format_set_bg_color(f, rgb);
    double lum = 0.299 * (rgb >> 16 & 255) + 0.587 * (rgb >> 8 & 255) + 0.114 * (rgb & 255);
    format_set_font_color(f, lum > 140 ? 0x000000 : 0xFFFFFF);
    x->rule_rgb[x->n_rule_fmt] = rgb;
    x->rule_fmt[x->n_rule_fmt++] = f;
    return f;
}

void ct_xlsx_status(ct_xlsx *x, const char *code, const char *label, const char *colour)
{
    if (!colour || x->col != x->status_col) { ct_xlsx_text(x, label ? label : code); return; }
    int c = cell(x);
    if (c >= 0) scratch_text(x, x->columns[c], code);
    if (c < 0 || !code || !*code) return;
    const char *text = label ? label : code;
    lxw_error e = worksheet_write_string(x->cur->ws, x->cur->row, (lxw_col_t)c, text, rule_format(x, colour));
    if (e) fail(x, "cannot write a cell", e);
    widen(x->cur, c, text_width(text));
}

void ct_xlsx_number(ct_xlsx *x, double v)
{
    int c = cell(x);
    if (c >= 0) scratch_number(x, x->columns[c], v);
    if (c < 0 || !isfinite(v)) return;
    /* the number the CSV prints (up to 6 decimals), so that both say the same; shown by its column's format */
    char buf[CT_OUT_NUMBER_BUF];
    size_t n = ct_out_format_number(v, buf);
    lxw_error e = worksheet_write_number(x->cur->ws, x->cur->row, (lxw_col_t)c, strtod(buf, NULL),
                                         number_format(x, x->columns[c]));
    if (e) fail(x, "cannot write a cell", e);
    widen(x->cur, c, (double)n);
}

/* The gap of a row behind its target: how far the latest value is from it. */
static double row_gap(const row_scratch *r) { return fabs(r->target - r->latest); }

static int behind(const char *st)
{
    return !strcmp(st, "not_achieved") || !strcmp(st, "off_track") || !strcmp(st, "deteriorating") ||
           !strcmp(st, "at_risk");
}

void ct_xlsx_end_row(ct_xlsx *x)
{
    row_scratch *r = &x->cur_row;
    if (x->cur && !x->failed) {
        x->cur->row++;
        x->rows_total++;
        if (r->period[0] && strcmp(r->period, x->asof) > 0) snprintf(x->asof, sizeof x->asof, "%s", r->period);
        if (r->period[0] && strcmp(r->period, x->cur->asof) > 0) snprintf(x->cur->asof, sizeof x->cur->asof, "%s", r->period);
        if (r->geography[0]) {
            snprintf(x->geography, sizeof x->geography, "%s", r->geography);
            /* each plan is judged on its own map: the overview says each sheet's */
            if (!x->cur->geography[0]) snprintf(x->cur->geography, sizeof x->cur->geography, "%s", r->geography);
            else if (strcmp(x->cur->geography, r->geography)) snprintf(x->cur->geography, sizeof x->cur->geography, "*");
            if (strcmp(x->cur->geography, x->sheets[0].geography)) x->geo_mixed = 1;
        }
        /* the coverage of a value: a row without one (no data) is counted apart, not as 0 % */
        if (isfinite(r->coverage) && r->coverage > 0 && (isfinite(r->latest) || !x->latest_col)) {
            if (r->coverage < x->min_coverage) x->min_coverage = r->coverage;
            if (!(r->coverage >= x->cur->min_coverage)) x->cur->min_coverage = r->coverage;
        }
        if (x->status_col >= 0 && behind(r->status) && isfinite(r->target) && isfinite(r->latest)) {
            if (x->n_lag == x->cap_lag) {
                size_t nc = x->cap_lag ? x->cap_lag * 2 : 256;
                lag_row *p = realloc(x->lag, nc * sizeof *p);
                if (!p) { fail(x, "out of memory", LXW_ERROR_MEMORY_MALLOC_FAILED); goto done; }
                x->lag = p;
                x->cap_lag = nc;
            }
            lag_row *l = &x->lag[x->n_lag];
            *l = (lag_row){strdup(r->plan), strdup(r->indicator), strdup(r->name[0] ? r->name : r->unit),
                           strdup(r->level), strdup(r->status), strdup(r->period), r->target_year, r->target, r->latest,
                           row_gap(r)};
            if (!l->plan || !l->indicator || !l->unit || !l->level || !l->status || !l->period) {
                free(l->plan); free(l->indicator); free(l->unit); free(l->level); free(l->status); free(l->period);
                fail(x, "out of memory", LXW_ERROR_MEMORY_MALLOC_FAILED);
            } else x->n_lag++;
        }
    }
done:
    memset(r, 0, sizeof *r);
    x->next_sheet[0] = '\0';
    r->target_year = r->target = r->latest = r->coverage = NAN;
    x->col = 0;
}

/* A period code ("2025S1") in words; anything else as it is. */
static void period_words(ct_lang lang, const char *p, char *buf, size_t size)
{
    int y = 0;
    char t = 0, extra = 0;
    int sub = 0;
    if (sscanf(p, "%4d%c%1d%c", &y, &t, &sub, &extra) == 3 && (t == 'S' || t == 'Q') && sub >= 1)
        ct_lang_period(lang, y, t == 'S' ? 6 : 3, sub - 1, buf, size);
    else if (sscanf(p, "%4d%c", &y, &extra) == 1 && strlen(p) == 4) ct_lang_period(lang, y, 12, 0, buf, size);
    else snprintf(buf, size, "%s", p);
}

static int by_lag(const void *a, const void *b)
{
    const lag_row *x = a, *y = b;
    int c = strcmp(x->plan, y->plan);
    if (!c) c = strcmp(x->indicator, y->indicator);
    if (!c && x->target_year != y->target_year) c = x->target_year < y->target_year ? -1 : 1;
    if (!c && x->gap != y->gap) c = x->gap < y->gap ? 1 : -1;
    return c;
}

static const char *title_of(const ct_xlsx *x, const char *plan, const char *indicator);

/* A map in words: a period's, or "as each period reported". */
static void geography_words(ct_lang lang, const char *g, char *buf, size_t size)
{
    if (!strcmp(g, "as-reported")) snprintf(buf, size, "%s", ct_msg(lang, CT_M_GEOGRAPHY_AS_REPORTED));
    else period_words(lang, g, buf, size);
}

/* The first sheet: what the workbook is, as of when, on which map, with what coverage, and its plans. */
static void write_overview(ct_xlsx *x)
{
    lxw_worksheet *ws = x->overview;
    ct_lang lang = lang_of(x);
    char buf[128];
    unsigned row = 0;
    worksheet_write_string(ws, row++, 0, ct_msg(lang, CT_M_XLSX_TITLE), x->fmt_title);
    row++;
    if (x->asof[0]) {
        period_words(lang, x->asof, buf, sizeof buf);
        worksheet_write_string(ws, row, 0, ct_msg(lang, CT_M_AS_OF), x->header);
        worksheet_write_string(ws, row++, 1, buf, NULL);
    }
    if (x->geography[0]) {
        if (x->geo_mixed) snprintf(buf, sizeof buf, "%s", ct_msg(lang, CT_M_AS_OF_EACH));
        else geography_words(lang, x->geography, buf, sizeof buf);
        worksheet_write_string(ws, row, 0, ct_msg(lang, CT_M_GEOGRAPHY), x->header);
        worksheet_write_string(ws, row++, 1, buf, NULL);
    }
    if (isfinite(x->min_coverage)) {
        worksheet_write_string(ws, row, 0, ct_msg(lang, CT_M_XLSX_MIN_COVERAGE), x->header);
        worksheet_write_number(ws, row++, 1, x->min_coverage, x->fmt_pct);
    }
    row++;
    worksheet_write_string(ws, row, 0, ct_msg(lang, CT_M_XLSX_SHEET), x->header);
    worksheet_write_string(ws, row, 1, ct_msg(lang, CT_M_XLSX_ROWS), x->header);
    if (x->status_col >= 0) worksheet_write_string(ws, row, 2, ct_msg(lang, CT_M_XLSX_BEHIND), x->header);
    worksheet_write_string(ws, row, 3, ct_msg(lang, CT_M_PLANS), x->header);
    worksheet_write_string(ws, row, 4, ct_msg(lang, CT_M_GEOGRAPHY), x->header);
    worksheet_write_string(ws, row, 5, ct_msg(lang, CT_M_XLSX_MIN_COVERAGE), x->header);
    worksheet_write_string(ws, row, 6, ct_msg(lang, CT_M_AS_OF), x->header);
    row++;
    for (int i = 0; i < x->n_sheets; i++) {
        size_t nb = 0;
        for (size_t k = 0; k < x->n_lag; k++) nb += !strcmp(x->lag[k].plan, x->sheets[i].plan);
        worksheet_write_string(ws, row, 0, x->sheets[i].name, NULL);
        worksheet_write_number(ws, row, 1, (double)(x->sheets[i].row - 1), x->fmt_int);
        if (x->status_col >= 0) worksheet_write_number(ws, row, 2, (double)nb, x->fmt_int);
        const char *title = title_of(x, x->sheets[i].plan, "");
        if (strcmp(title, x->sheets[i].plan)) worksheet_write_string(ws, row, 3, title, x->fmt_wrap);
        if (x->sheets[i].geography[0] && strcmp(x->sheets[i].geography, "*")) {   /* "*": rows on several maps */
            geography_words(lang, x->sheets[i].geography, buf, sizeof buf);
            worksheet_write_string(ws, row, 4, buf, NULL);
        }
        if (isfinite(x->sheets[i].min_coverage)) worksheet_write_number(ws, row, 5, x->sheets[i].min_coverage, x->fmt_pct);
        if (x->sheets[i].asof[0]) {
            period_words(lang, x->sheets[i].asof, buf, sizeof buf);
            worksheet_write_string(ws, row, 6, buf, NULL);
        }
        row++;
    }
    row++;
    if (x->status_col >= 0) {   /* the legend: each status code the sheets hold, in words */
        worksheet_write_string(ws, row, 0, ct_msg(lang, CT_M_XLSX_STATUS_CODE), x->header);
        worksheet_write_string(ws, row++, 1, ct_msg(lang, CT_M_STATUS), x->header);
        for (int i = 0; i < N_PALETTE; i++) {
            worksheet_write_string(ws, row, 0, palette[i].status, x->status_fmt[i]);
            worksheet_write_string(ws, row++, 1, ct_assess_status_label(palette[i].status, lang), NULL);
        }
    }
    worksheet_set_column(ws, 0, 0, 34, NULL);
    worksheet_set_column(ws, 1, 2, 28, NULL);
    worksheet_set_column(ws, 3, 3, 60, NULL);
    worksheet_set_column(ws, 4, 6, 26, NULL);
}

void ct_xlsx_title(ct_xlsx *x, const char *plan, const char *indicator, const char *title)
{
    if (!x || x->failed || !plan || !title || !title[0]) return;
    if (x->n_titles == x->cap_titles) {
        size_t nc = x->cap_titles ? x->cap_titles * 2 : 64;
        char **p = realloc(x->titles, nc * 3 * sizeof *p);
        if (!p) { fail(x, "out of memory", LXW_ERROR_MEMORY_MALLOC_FAILED); return; }
        x->titles = p;
        x->cap_titles = nc;
    }
    char **t = &x->titles[x->n_titles * 3];
    t[0] = strdup(plan);
    t[1] = strdup(indicator ? indicator : "");
    t[2] = strdup(title);
    if (!t[0] || !t[1] || !t[2]) {
        free(t[0]); free(t[1]); free(t[2]);
        fail(x, "out of memory", LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    x->n_titles++;
}

/* The title given for a plan (indicator "") or an indicator; the id itself without one. */
static const char *title_of(const ct_xlsx *x, const char *plan, const char *indicator)
{
    for (size_t i = 0; i < x->n_titles; i++) {
        char *const *t = &x->titles[i * 3];
        if (!strcmp(t[0], plan) && !strcmp(t[1], indicator)) return t[2];
    }
    return indicator[0] ? indicator : plan;
}

/* The sheet of the rows behind their target, per plan and indicator, the furthest first. */
static void write_lagging(ct_xlsx *x)
{
    ct_lang lang = lang_of(x);
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, ct_msg(lang, CT_M_LAGGING_SHEET));
    if (!ws) { fail(x, "cannot add a sheet", LXW_ERROR_SHEETNAME_ALREADY_USED); return; }
    qsort(x->lag, x->n_lag, sizeof *x->lag, by_lag);
    const ct_msg_id heads[] = {CT_M_PLANS, CT_M_INDICATOR, CT_M_UNIT, CT_M_XLSX_LEVEL, CT_M_TARGET, CT_M_XLSX_TARGET_YEAR,
                               CT_M_LATEST, CT_M_XLSX_PERIOD, CT_M_XLSX_GAP, CT_M_STATUS};
    const double widths[] = {30, 48, 28, 10, 10, 10, 10, 22, 12, 18};
    for (int c = 0; c < (int)(sizeof heads / sizeof *heads); c++) {
        worksheet_write_string(ws, 0, (lxw_col_t)c, ct_msg(lang, heads[c]), x->header);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
    }
    for (size_t k = 0; k < x->n_lag && k + 1 < EXCEL_ROWS; k++) {
        const lag_row *l = &x->lag[k];
        lxw_row_t r = (lxw_row_t)(k + 1);
        char pw[64];
        worksheet_write_string(ws, r, 0, title_of(x, l->plan, ""), x->fmt_wrap);
        worksheet_write_string(ws, r, 1, title_of(x, l->plan, l->indicator), x->fmt_wrap);
        worksheet_write_string(ws, r, 2, l->unit, NULL);
        worksheet_write_string(ws, r, 3, lang == CT_LANG_EN ? l->level :
                                         !strcmp(l->level, "province") ? "tỉnh" : !strcmp(l->level, "district") ? "huyện" :
                                         !strcmp(l->level, "commune") ? "xã" : !strcmp(l->level, "national") ? "toàn quốc" : l->level, NULL);
        worksheet_write_number(ws, r, 4, l->target, x->fmt_dec);
        worksheet_write_number(ws, r, 5, l->target_year, x->fmt_int);
        worksheet_write_number(ws, r, 6, l->latest, x->fmt_dec);
        period_words(lang, l->period, pw, sizeof pw);
        worksheet_write_string(ws, r, 7, pw, NULL);
        worksheet_write_number(ws, r, 8, l->gap, x->fmt_dec);
        lxw_format *f = x->other_status;
        for (int i = 0; i < N_PALETTE; i++)
            if (!strcmp(l->status, palette[i].status)) f = x->status_fmt[i];
        worksheet_write_string(ws, r, 9, ct_assess_status_label(l->status, lang), f);
    }
    worksheet_freeze_panes(ws, 1, 0);
    worksheet_autofilter(ws, 0, 0, x->n_lag ? (lxw_row_t)x->n_lag : 1, 9);
}

static void free_sheets(ct_xlsx *x)
{
    for (int i = 0; i < x->n_sheets; i++) free(x->sheets[i].plan);
    for (size_t k = 0; k < x->n_lag; k++) {
        lag_row *l = &x->lag[k];
        free(l->plan); free(l->indicator); free(l->unit); free(l->level); free(l->status); free(l->period);
    }
    free(x->lag);
    for (size_t i = 0; i < x->n_titles * 3; i++) free(x->titles[i]);
    free(x->titles);
    ct_tmpdir_remove(x->tmpdir);
    free(x->tmpdir);
    free(x->path);
    free(x->tmp);
    free(x);
}

/* Copies the finished workbook into the target's writer: 0, or errno. */
static int copy_book(ct_xlsx *x)
{
    int fd = open(x->tmp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return errno;
    char buf[65536];
    ssize_t r;
    while ((r = read(fd, buf, sizeof buf)) > 0 || (r < 0 && errno == EINTR))
        if (r > 0) ct_out_write(x->out, buf, (size_t)r);
    int e = r < 0 ? errno : 0;
    close(fd);
    return e;
}

ct_status ct_xlsx_commit(ct_xlsx *x, ct_diags *d)
{
    if (x->n_sheets == 0 && !x->failed) sheet_for(x, "chitieu"); /* no rows: one sheet with the header */
    for (int i = 0; i < x->n_sheets && !x->failed; i++) {
        sheet *sh = &x->sheets[i];
        for (int c = 0; c < x->n_columns; c++)
            worksheet_set_column(sh->ws, (lxw_col_t)c, (lxw_col_t)c, sh->width[c], NULL);
        worksheet_freeze_panes(sh->ws, 1, 0);
        if (x->n_columns > 0)
            worksheet_autofilter(sh->ws, 0, 0, sh->row > 1 ? sh->row - 1 : 1, (lxw_col_t)(x->n_columns - 1));
        for (int c = 0; c < x->n_columns; c++)   /* a note wraps in a column of its own width */
            if (!strcmp(x->columns[c], "note")) worksheet_set_column(sh->ws, (lxw_col_t)c, (lxw_col_t)c, 60, x->fmt_wrap);
    }
    if (!x->failed && x->overview) write_overview(x);
    if (!x->failed && x->status_col >= 0) write_lagging(x);
    lxw_error e = workbook_close(x->wb);
    x->wb = NULL;
    ct_status st = CT_OK;
    int ce;
    if (x->failed) {
        ct_error_at(d, x->path, 0, 0, "%s", x->err);
        st = CT_EINPUT;
    } else if (e) {
        ct_error_at(d, x->path, 0, 0, "cannot write: %s", lxw_strerror(e));
        st = CT_EIO;
    } else if ((ce = copy_book(x)) != 0) {
        ct_error_at(d, x->path, 0, 0, "cannot write: %s", strerror(ce));
        st = CT_EIO;
    }
    if (st == CT_OK) st = ct_out_commit(x->out, d);
    else ct_out_abort(x->out);
    free_sheets(x);
    return st;
}

void ct_xlsx_abort(ct_xlsx *x)
{
    if (!x) return;
    if (x->wb) lxw_workbook_free(x->wb);
    ct_out_abort(x->out);
    free_sheets(x);
}
