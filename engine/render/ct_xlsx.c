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

#include "../core/ct_tmpfile.h"
#include "ct_output.h"

enum { MAX_SHEETS = 256, MAX_COLS = 64, EXCEL_ROWS = 1048576, NAME_BUF = 128 };

typedef struct {
    lxw_worksheet *ws;
    char name[NAME_BUF];   /* the sheet's name */
    char *plan;            /* the plan id it holds */
    unsigned row;          /* next row to write (0 is the header) */
    double width[MAX_COLS];
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
    int failed;            /* a problem already reported in err */
    char err[256];
};

static const struct { const char *column, *vi; } headers_vi[] = {
    {"plan", "Kế hoạch"}, {"indicator", "Chỉ tiêu"}, {"unit", "Mã đơn vị"}, {"unit_name", "Tên đơn vị"},
    {"name", "Tên đơn vị"}, {"level", "Cấp"}, {"period", "Kỳ"}, {"value", "Giá trị"},
    {"numerator", "Tử số"}, {"denominator", "Mẫu số"}, {"reported", "Số đơn vị đã báo cáo"},
    {"expected", "Số đơn vị phải báo cáo"}, {"target_year", "Năm mục tiêu"}, {"target", "Mục tiêu"},
    {"baseline_period", "Kỳ gốc"}, {"baseline_value", "Giá trị kỳ gốc"}, {"latest_period", "Kỳ gần nhất"},
    {"latest_value", "Giá trị gần nhất"}, {"observed_rate", "Tốc độ thực tế"},
    {"required_rate", "Tốc độ cần đạt"}, {"ratio", "Tỷ số tiến độ"}, {"projected", "Dự báo năm mục tiêu"},
    {"lower", "Cận dưới (95%)"}, {"upper", "Cận trên (95%)"}, {"status", "Tình trạng"},
    {"note", "Ghi chú"}, {"met_year", "Năm dự kiến đạt"}, {"method", "Phương pháp dự báo"},
    {"points", "Số năm có số liệu"}, {"probability", "Xác suất đạt"}, {"coverage", "Tỷ lệ báo cáo"},
    {"geography", "Địa giới"}, {"year", "Năm"}, {"last_period", "Kỳ cuối"}, {"last_value", "Giá trị cuối"},
    {"valid_from", "Hiệu lực từ"}, {"valid_to", "Hiệu lực đến"}};

const char *ct_xlsx_header(const char *column, ct_xlsx_lang lang)
{
    if (lang == CT_XLSX_VI)
        for (size_t i = 0; i < sizeof headers_vi / sizeof *headers_vi; i++)
            if (!strcmp(headers_vi[i].column, column)) return headers_vi[i].vi;
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
    return x;
}

void ct_xlsx_columns(ct_xlsx *x, const char *const *columns, int n_columns)
{
    x->columns = columns;
    x->n_columns = n_columns < MAX_COLS ? n_columns : MAX_COLS;
    x->status_col = -1;
    for (int i = 0; i < x->n_columns; i++)
        if (!strcmp(columns[i], "status")) x->status_col = i;
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

void ct_xlsx_text(ct_xlsx *x, const char *text)
{
    /* the first column, "plan", picks the sheet */
    if (x->col == 0 && x->n_columns > 0 && !strcmp(x->columns[0], "plan") && !x->failed)
        x->cur = sheet_for(x, text ? text : "");
    int c = cell(x);
    if (c < 0 || !text || !*text) return;
    lxw_format *f = NULL;
    if (c == x->status_col) {
        f = x->other_status;
        for (int i = 0; i < N_PALETTE; i++)
            if (!strcmp(text, palette[i].status)) f = x->status_fmt[i];
    }
    lxw_error e = worksheet_write_string(x->cur->ws, x->cur->row, (lxw_col_t)c, text, f);
    if (e) fail(x, "cannot write a cell", e);
    widen(x->cur, c, text_width(text));
}

void ct_xlsx_number(ct_xlsx *x, double v)
{
    int c = cell(x);
    if (c < 0 || !isfinite(v)) return;
    /* the number the CSV prints (up to 6 decimals), so that both say the same */
    char buf[CT_OUT_NUMBER_BUF];
    size_t n = ct_out_format_number(v, buf);
    lxw_error e = worksheet_write_number(x->cur->ws, x->cur->row, (lxw_col_t)c, strtod(buf, NULL), NULL);
    if (e) fail(x, "cannot write a cell", e);
    widen(x->cur, c, (double)n);
}

void ct_xlsx_end_row(ct_xlsx *x)
{
    if (x->cur && !x->failed) x->cur->row++;
    x->col = 0;
}

static void free_sheets(ct_xlsx *x)
{
    for (int i = 0; i < x->n_sheets; i++) free(x->sheets[i].plan);
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
    }
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
