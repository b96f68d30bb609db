#include "ct_plot.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- buffer ---------------------------------------------------------------------- */

void ct_plot_buf_put(ct_plot_buf *b, const char *s, size_t n)
{
    if (b->oom) return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n + 1) cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) { b->oom = 1; return; }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void ct_plot_buf_puts(ct_plot_buf *b, const char *s) { ct_plot_buf_put(b, s, strlen(s)); }

void ct_plot_buf_printf(ct_plot_buf *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof tmp) { ct_plot_buf_put(b, tmp, (size_t)n); return; }
    char *big = malloc((size_t)n + 1);
    if (!big) { b->oom = 1; return; }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    ct_plot_buf_put(b, big, (size_t)n);
    free(big);
}

void ct_plot_buf_free(ct_plot_buf *b)
{
    free(b->s);
    memset(b, 0, sizeof *b);
}

void ct_plot_gp_string(ct_plot_buf *b, const char *s)
{
    /* single quotes: gnuplot substitutes `commands` and backslash escapes only
     * inside double quotes; a line break is a "\n" joined by the . operator */
    ct_plot_buf_put(b, "'", 1);
    for (const char *p = s ? s : ""; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '\'') ct_plot_buf_put(b, "''", 2);
        else if (c == '\n') ct_plot_buf_put(b, "'.\"\\n\".'", 8);
        else if (c < 0x20 || c == 0x7f) ct_plot_buf_put(b, " ", 1);
        else ct_plot_buf_put(b, p, 1);
    }
    ct_plot_buf_put(b, "'", 1);
}

static void file_part(const char *s, char *buf, size_t size, int dash_ok)
{
    /* A name that has to change (a character replaced, a leading dot, cut
     * to fit) gets "~" and a hash of the whole text: '~' never appears in an
     * unchanged name, so two different texts never share a file name. */
    enum { HASH_LEN = 17 };   /* "~" and 16 hex digits */
    const char *t = s ? s : "";
    size_t len = strlen(t);
    int changed = len == 0 || len >= size || t[0] == '.';
    for (size_t i = 0; i < len && !changed; i++) {
        unsigned char c = (unsigned char)t[i];
        changed = !((isalnum(c) || c == '.' || c == '_' || (c == '-' && dash_ok)) && c < 0x80);
    }
    if (!changed) { memcpy(buf, t, len + 1); return; }
    if (size == 0) return;
    size_t room = size > HASH_LEN + 1 ? size - 1 - HASH_LEN : size - 1, n = 0;
    for (; t[n] && n < room; n++) {
        unsigned char c = (unsigned char)t[n];
        buf[n] = (isalnum(c) || c == '.' || c == '_' || (c == '-' && dash_ok)) && c < 0x80 ? (char)c : '_';
    }
    if (n == 0 && size > 1) buf[n++] = '_';
    if (n >= 1 && buf[0] == '.') buf[0] = '_';   /* no hidden files, no ".." */
    buf[n] = '\0';
    if (size > HASH_LEN + 1) {
        unsigned long long h = 1469598103934665603ULL;   /* FNV-1a, 64 bits */
        for (const char *q = t; *q; q++) h = (h ^ (unsigned char)*q) * 1099511628211ULL;
        snprintf(buf + n, size - n, "~%016llx", h);
    }
}

void ct_plot_file_part(const char *s, char *buf, size_t size) { file_part(s, buf, size, 1); }

/* ---- words ------------------------------------------------------------------------- */

int ct_plot_lang_parse(const char *s, ct_plot_lang *out)
{
    if (!strcmp(s, "vi")) { *out = CT_PLOT_VI; return 0; }
    if (!strcmp(s, "en")) { *out = CT_PLOT_EN; return 0; }
    return -1;
}

int ct_plot_format_parse(const char *s, ct_plot_format *out)
{
    if (!strcmp(s, "png")) { *out = CT_PLOT_PNG; return 0; }
    if (!strcmp(s, "svg")) { *out = CT_PLOT_SVG; return 0; }
    if (!strcmp(s, "pdf")) { *out = CT_PLOT_PDF; return 0; }
    return -1;
}

const char *ct_plot_format_ext(ct_plot_format f)
{
    return f == CT_PLOT_SVG ? "svg" : f == CT_PLOT_PDF ? "pdf" : "png";
}

static const char *const statuses[] = {"achieved", "on_track", "at_risk", "off_track", "deteriorating",
                                       "insufficient_data"};
static const char *const status_vi[] = {"Đã đạt", "Đúng tiến độ", "Có nguy cơ", "Chậm tiến độ", "Đang xấu đi",
                                        "Thiếu số liệu"};
static const char *const status_en[] = {"Achieved", "On track", "At risk", "Off track", "Deteriorating",
                                        "Insufficient data"};

const char *const *ct_plot_statuses(int *n)
{
    *n = 6;
    return statuses;
}

static int status_index(const char *status)
{
    for (int i = 0; i < 6; i++)
        if (status && !strcmp(status, statuses[i])) return i;
    return -1;
}

const char *ct_plot_status_label(const char *status, ct_plot_lang lang)
{
    int i = status_index(status);
    if (i < 0) return status ? status : "";
    return lang == CT_PLOT_EN ? status_en[i] : status_vi[i];
}

const char *ct_plot_status_var(const char *status)
{
    static const char *const vars[] = {"c_achieved", "c_on_track", "c_at_risk", "c_off_track", "c_deteriorating",
                                       "c_insufficient_data"};
    int i = status_index(status);
    return i < 0 ? "c_other" : vars[i];
}

typedef struct {
    const char *reported, *plan, *trend, *band, *target, *transition, *year, *percent, *count, *final_status,
        *status_title, *multiples, *legend_status, *no_data;
} words;

static const words words_vi = {
    "Số liệu báo cáo", "Lộ trình kế hoạch", "Xu hướng dự báo", "Khoảng dự báo 95%", "Mục tiêu",
    "Kịch bản chuyển hóa %s–%s%%/năm", "Năm", "Tỷ lệ (%)", "Số lượng", "Mục tiêu %d: %s",
    "Tình trạng mục tiêu cuối cùng theo đơn vị", "các đơn vị trực thuộc %s (cùng thang đo)", "Tình trạng:",
    "chưa có số liệu"};
static const words words_en = {
    "Reported", "Planned path", "Projected trend", "95% prediction band", "Target",
    "Transition scenario %s–%s%% a year", "Year", "Percent", "Count", "%d target: %s",
    "Status of the final target by unit", "units under %s (same scale)", "Status:", "no data yet"};

static const words *W(ct_plot_lang l) { return l == CT_PLOT_EN ? &words_en : &words_vi; }

/* A number for a label: at most 4 significant digits, no trailing zeros. */
static void num_label(double v, char *buf, size_t size)
{
    if (!isfinite(v)) { snprintf(buf, size, "–"); return; }
    if (fabs(v) >= 1000) snprintf(buf, size, "%.0f", v);
    else snprintf(buf, size, "%.4g", v);
}

/* A number for a datablock: plain, enough digits. */
static void num_data(ct_plot_buf *b, double v)
{
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%.10g", v);
    ct_plot_buf_puts(b, tmp);
}

/* ---- collecting a plan's chart data ------------------------------------------------- */

static ct_plot_series **cell_at(const ct_plot_plan *pp, int ind, int unit)
{
    return &pp->cell[(size_t)ind * (size_t)pp->s->n_units + (size_t)unit];
}

const ct_plot_series *ct_plot_get(const ct_plot_plan *pp, int ind, int unit)
{
    if (ind < 0 || ind >= pp->n_ind || unit < 0 || unit >= pp->s->n_units) return NULL;
    return *cell_at(pp, ind, unit);
}

const char *ct_plot_final_status(const ct_plot_series *ps)
{
    if (!ps || ps->final < 0) return "insufficient_data";
    const char *st = ps->assess[ps->final].status;
    return st ? st : "insufficient_data";
}

typedef struct {
    ct_plot_plan *pp;
    int failed;
} collect_ctx;

static ct_plot_series *series_for(ct_plot_plan *pp, const ct_indicator *ind, int unit)
{
    int i = (int)(ind - pp->plan->indicators);
    if (i < 0 || i >= pp->n_ind || unit < 0 || unit >= pp->s->n_units) return NULL;
    return *cell_at(pp, i, unit);
}

static int on_assessment(const ct_assessment *a, void *ctx)
{
    collect_ctx *c = ctx;
    ct_plot_series *ps = series_for(c->pp, a->ind, a->unit);
    if (!ps) return 0;
    if (!ps->assess) {
        ps->assess = calloc(a->ind->n_targets ? a->ind->n_targets : 1, sizeof *ps->assess);
        if (!ps->assess) { c->failed = 1; return 1; }
    }
    if ((size_t)ps->n_assess >= a->ind->n_targets) return 0;
    ps->assess[ps->n_assess] = *a;
    if (ps->final < 0 || a->target_year >= ps->assess[ps->final].target_year) ps->final = ps->n_assess;
    ps->n_assess++;
    return 0;
}

static int on_projection(const ct_projection *p, void *ctx)
{
    collect_ctx *c = ctx;
    ct_plot_series *ps = series_for(c->pp, p->ind, p->unit);
    if (!ps || ps->n_proj >= CT_PLOT_MAX_YEARS) return 0;
    ps->proj_year[ps->n_proj] = p->year;
    ps->proj[ps->n_proj] = p->projected;
    ps->proj_lo[ps->n_proj] = p->lower;
    ps->proj_hi[ps->n_proj] = p->upper;
    ps->n_proj++;
    return 0;
}

static int on_band(const ct_projection *p, void *ctx)
{
    collect_ctx *c = ctx;
    if (p->method != CT_PM_TRANSITION) return 0;
    ct_plot_series *ps = series_for(c->pp, p->ind, p->unit);
    if (!ps || ps->n_band >= CT_PLOT_MAX_YEARS || !isfinite(p->lower) || !isfinite(p->upper)) return 0;
    ps->band_year[ps->n_band] = p->year;
    ps->band_lo[ps->n_band] = p->lower;
    ps->band_hi[ps->n_band] = p->upper;
    ps->n_band++;
    return 0;
}

/* Units of the region in depth-first order (each unit, then its children in
 * file order), keeping those with charted[u]. */
static int dfs_units(const ct_series *s, int root, const unsigned char *charted, int *out)
{
    int n = 0, *first = malloc((size_t)s->n_units * sizeof *first), *next = malloc((size_t)s->n_units * sizeof *next),
        *stack = malloc((size_t)s->n_units * sizeof *stack);
    if (!first || !next || !stack) { free(first); free(next); free(stack); return -1; }
    for (int u = 0; u < s->n_units; u++) first[u] = next[u] = -1;
    for (int u = s->n_units - 1; u >= 0; u--) {
        int p = s->parent[u];
        if (p >= 0 && p < s->n_units) { next[u] = first[p]; first[p] = u; }
    }
    int sp = 0;
    stack[sp++] = root;
    while (sp > 0) {
        int u = stack[--sp];
        if (charted[u]) out[n++] = u;
        /* push children in reverse so that they pop in file order */
        int k = 0;
        for (int c = first[u]; c >= 0; c = next[c]) k++;
        int base = sp;
        sp += k;
        int i = sp - 1;
        for (int c = first[u]; c >= 0; c = next[c]) stack[i--] = c;
        (void)base;
    }
    free(first);
    free(next);
    free(stack);
    return n;
}

ct_status ct_plot_collect(const ct_plan *plan, const ct_series *s, int level, ct_plot_plan *pp)
{
    memset(pp, 0, sizeof *pp);
    pp->plan = plan;
    pp->s = s;
    pp->n_ind = (int)plan->n_indicators;
    int region = plan->region_unit >= 0 ? plan->region_unit : s->root;
    if (s->n_units == 0 || region < 0) return CT_OK;
    pp->cell = calloc((size_t)(pp->n_ind ? pp->n_ind : 1) * (size_t)s->n_units, sizeof *pp->cell);
    pp->charted = calloc((size_t)s->n_units, 1);
    pp->units = malloc((size_t)s->n_units * sizeof *pp->units);
    unsigned char *lv = calloc((size_t)s->n_levels + 1, 1);
    if (!pp->cell || !pp->charted || !pp->units || !lv) { free(lv); ct_plot_plan_free(pp); return CT_ENOMEM; }
    int rl = s->level[region];
    if (level >= 0) {
        lv[level] = 1;
    } else {
        for (int l = 0; l < s->n_levels; l++) {
            if (l != rl && !s->level_above[(size_t)l * (size_t)s->n_levels + (size_t)rl]) continue;
            int finest = 1;   /* no level lies below l */
            for (int b = 0; b < s->n_levels; b++)
                if (s->level_above[(size_t)b * (size_t)s->n_levels + (size_t)l]) finest = 0;
            if (!finest || l == rl) lv[l] = 1;
        }
    }
    for (int u = 0; u < s->n_units; u++)
        if (lv[s->level[u]] && ct_series_in_subtree(s, u, region)) pp->charted[u] = 1;
    int n = dfs_units(s, region, pp->charted, pp->units);
    if (n < 0) { free(lv); ct_plot_plan_free(pp); return CT_ENOMEM; }
    pp->n_units = n;

    ct_status st = CT_OK;
    for (int l = 0; st == CT_OK && l < s->n_levels; l++) {
        if (!lv[l]) continue;
        ct_compute_filter f = {l, -1, CT_PT_YEAR};
        for (int i = 0; st == CT_OK && i < pp->n_ind; i++) {
            const ct_indicator *ind = &plan->indicators[i];
            if (ind->base_level < 0 || !ct_compute_level_applies(s, ind, l)) continue;
            ct_grid g;
            st = ct_compute_grid(plan, ind, s, &f, &g);
            if (st != CT_OK) break;
            for (int k = 0; k < g.n_units; k++) {
                int u = g.units[k];
                if (!pp->charted[u]) continue;
                ct_plot_series *ps = calloc(1, sizeof *ps);
                if (!ps) { st = CT_ENOMEM; break; }
                ps->plan = plan;
                ps->ind = ind;
                ps->ind_index = i;
                ps->unit = u;
                ps->final = -1;
                *cell_at(pp, i, u) = ps;
                for (int j = 0; j < g.n_periods; j++) {
                    const ct_cell *c = &g.cells[(size_t)k * (size_t)g.n_periods + (size_t)j];
                    if (g.periods[j].type != CT_PT_YEAR || ps->n >= CT_PLOT_MAX_YEARS) continue;
                    if (!(c->flags & CT_ROW_VALUE) && !(c->flags & CT_ROW_COUNTS)) continue;
                    /* a year with counts but no value is kept for completeness only */
                    ps->year[ps->n] = g.periods[j].year;
                    ps->value[ps->n] = (c->flags & CT_ROW_VALUE) ? c->value : NAN;
                    ps->reported[ps->n] = (c->flags & CT_ROW_COUNTS) ? c->reported : -1;
                    ps->expected[ps->n] = (c->flags & CT_ROW_COUNTS) ? c->expected : -1;
                    ps->n++;
                }
            }
            ct_grid_free(&g);
        }
        if (st != CT_OK) break;
        collect_ctx cc = {pp, 0};
        ct_compute_filter fa = {l, -1, -1};
        ct_assess_options opt = {CT_PM_AUTO};
        st = ct_assess_plan(plan, s, &fa, &opt, on_assessment, &cc);
        if (st == CT_OK) st = ct_assess_project(plan, s, &fa, CT_PM_AUTO, ct_plan_last_year(plan), on_projection, &cc);
        if (st == CT_OK) st = ct_assess_project(plan, s, &fa, CT_PM_TRANSITION, ct_plan_last_year(plan), on_band, &cc);
        if (cc.failed) st = CT_ENOMEM;
    }
    free(lv);
    if (st != CT_OK) ct_plot_plan_free(pp);
    return st;
}

void ct_plot_plan_free(ct_plot_plan *pp)
{
    if (pp->cell && pp->s) {
        size_t total = (size_t)(pp->n_ind ? pp->n_ind : 1) * (size_t)pp->s->n_units;
        for (size_t i = 0; i < total; i++)
            if (pp->cell[i]) { free(pp->cell[i]->assess); free(pp->cell[i]); }
    }
    free(pp->cell);
    free(pp->units);
    free(pp->charted);
    memset(pp, 0, sizeof *pp);
}

/* ---- listing charts ----------------------------------------------------------------- */

static int push_chart(ct_chart **charts, size_t *n, size_t *cap, const ct_chart *c)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        ct_chart *p = realloc(*charts, nc * sizeof *p);
        if (!p) return -1;
        *charts = p;
        *cap = nc;
    }
    (*charts)[(*n)++] = *c;
    return 0;
}

/* The charted children of unit u that have a series for indicator i. */
static int charted_children(const ct_plot_plan *pp, int i, int u, int *out)
{
    int n = 0;
    for (int k = 0; k < pp->n_units; k++) {
        int c = pp->units[k];
        if (pp->s->parent[c] == u && ct_plot_get(pp, i, c)) {
            if (out) out[n] = c;
            n++;
        }
    }
    return n;
}

ct_status ct_plot_list_charts(const ct_plot_plan *pp, ct_chart **charts, size_t *n, size_t *cap)
{
    char plan_part[128], ind_part[128], unit_part[128], level_part[64];
    ct_plot_file_part(pp->plan->id, plan_part, sizeof plan_part);
    for (int i = 0; i < pp->n_ind; i++) {
        ct_plot_file_part(pp->plan->indicators[i].id, ind_part, sizeof ind_part);
        for (int k = 0; k < pp->n_units; k++) {
            int u = pp->units[k];
            if (!ct_plot_get(pp, i, u)) continue;
            file_part(pp->s->code[u], unit_part, sizeof unit_part, 0);   /* no '-': UNIT-LEVEL stays apart */
            ct_chart c = {CT_CHART_TRAJECTORY, pp, i, u, ""};
            snprintf(c.rel, sizeof c.rel, "%s/%s/%s", plan_part, ind_part, unit_part);
            if (push_chart(charts, n, cap, &c)) return CT_ENOMEM;
        }
        for (int k = 0; k < pp->n_units; k++) {
            int u = pp->units[k];
            int *kids = malloc((size_t)pp->n_units * sizeof *kids);
            if (!kids) return CT_ENOMEM;
            int nk = charted_children(pp, i, u, kids);
            int lvl = nk > 0 ? pp->s->level[kids[0]] : 0;
            free(kids);
            if (nk < 2) continue;
            file_part(pp->s->code[u], unit_part, sizeof unit_part, 0);
            ct_plot_file_part(pp->s->level_name[lvl], level_part, sizeof level_part);
            ct_chart c = {CT_CHART_MULTIPLES, pp, i, u, ""};
            snprintf(c.rel, sizeof c.rel, "%s/%s/%s-%s", plan_part, ind_part, unit_part, level_part);
            if (push_chart(charts, n, cap, &c)) return CT_ENOMEM;
        }
    }
    int cells = 0;   /* the status overview needs a target somewhere */
    for (int i = 0; i < pp->n_ind && !cells; i++)
        for (int k = 0; k < pp->n_units && !cells; k++) {
            const ct_plot_series *ps = ct_plot_get(pp, i, pp->units[k]);
            cells = ps && ps->n_assess > 0;
        }
    if (cells) {
        ct_chart c = {CT_CHART_STATUS, pp, -1, -1, ""};
        snprintf(c.rel, sizeof c.rel, "%s/status", plan_part);
        if (push_chart(charts, n, cap, &c)) return CT_ENOMEM;
    }
    return CT_OK;
}

/* ---- scripts ------------------------------------------------------------------------ */

/* Wraps text at spaces into lines of at most `width` characters (UTF-8 aware). */
static void wrap_text(const char *text, int width, ct_plot_buf *out)
{
    const char *p = text ? text : "";
    int col = 0, total = 0;
    for (const char *q = p; *q; q++)
        if (((unsigned char)*q & 0xC0) != 0x80) total++;
    if (total > width) {   /* balance the lines: no lone word on the last one */
        int lines = (total + width - 1) / width;
        width = (total + lines - 1) / lines + 6;
    }
    while (*p) {
        while (*p == ' ') p++;
        const char *w = p;
        int chars = 0;
        while (*p && *p != ' ') {
            if (((unsigned char)*p & 0xC0) != 0x80) chars++;
            p++;
        }
        if (p == w) break;
        if (col > 0 && col + 1 + chars > width) { ct_plot_buf_put(out, "\n", 1); col = 0; }
        else if (col > 0) { ct_plot_buf_put(out, " ", 1); col++; }
        ct_plot_buf_put(out, w, (size_t)(p - w));
        col += chars;
    }
    if (!out->s) ct_plot_buf_put(out, "", 0);
}

static void set_string(ct_plot_buf *b, const char *cmd, const char *text, const char *tail)
{
    ct_plot_buf_puts(b, cmd);
    ct_plot_buf_puts(b, " ");
    ct_plot_gp_string(b, text);
    if (tail) ct_plot_buf_puts(b, tail);
    ct_plot_buf_puts(b, "\n");
}

static const char *base_name(const char *rel)
{
    const char *sl = strrchr(rel, '/');
    return sl ? sl + 1 : rel;
}

/* The part every script starts with: locating itself, the theme, the terminal. */
static void preamble(const ct_chart *c, const ct_plot_style *st, const char *width, const char *height,
                     ct_plot_buf *b)
{
    ct_plot_buf_printf(b, "# chitieu chart %s.%s\n", c->rel, ct_plot_format_ext(st->format));
    ct_plot_buf_puts(b, "# Re-render it with: gnuplot NAME.gp (from any folder). The look: theme.gp.\n");
    ct_plot_buf_puts(b,
                     "if (exists(\"ARG0\") && strlen(ARG0) > 0) { _i = strlen(ARG0); "
                     "while (_i > 0 && ARG0[_i:_i] ne \"/\") { _i = _i - 1 }; if (_i > 0) { cd ARG0[1:_i] } }\n");
    ct_plot_buf_puts(b, "reset session\nset encoding utf8\nload \"");
    for (const char *p = c->rel; *p; p++)
        if (*p == '/') ct_plot_buf_puts(b, "../");
    ct_plot_buf_puts(b, "theme.gp\"\n");
    const char *font = "font theme_font.\",\".theme_fontsize";
    switch (st->format) {
    case CT_PLOT_PNG:
        ct_plot_buf_printf(b, "set terminal pngcairo size %s,%s noenhanced %s background rgb \"white\"\n", width,
                           height, font);
        break;
    case CT_PLOT_SVG:
        ct_plot_buf_printf(b, "set terminal svg size %s,%s dynamic noenhanced %s background rgb \"white\"\n", width,
                           height, font);
        break;
    case CT_PLOT_PDF:
        ct_plot_buf_printf(b, "set terminal pdfcairo size (%s)/96.0,(%s)/96.0 noenhanced %s\n", width, height, font);
        break;
    }
    char out[600];
    snprintf(out, sizeof out, "%s.%s", base_name(c->rel), ct_plot_format_ext(st->format));
    set_string(b, "set output", out, NULL);
}

/* The target's text for its label: "75% — 2017", "90–95% — 2020", "100% — 2016–2020". */
static void target_label(const ct_assessment *a, char *buf, size_t size)
{
    const ct_target *t = a->target;
    int pct = ct_indicator_is_percent(a->ind);
    char v[128], m[40];
    num_label(a->target_value, v, sizeof v);
    if (t->form == CT_TF_RANGE && isfinite(t->max) && t->max != t->min) {
        num_label(t->max, m, sizeof m);
        size_t l = strlen(v);
        snprintf(v + l, sizeof v - l, "–%s", m);
    }
    if (t->each_period && t->from && t->to && t->from != t->to)
        snprintf(buf, size, "%s%s — %d–%d", v, pct ? "%" : "", t->from, t->to);
    else
        snprintf(buf, size, "%s%s — %d", v, pct ? "%" : "", a->target_year);
}

/* Value range of a chart (counts): data, targets, projection, band. */
typedef struct {
    double lo, hi;
    int y0, y1;
} extent;

static void extent_add_year(extent *e, int y)
{
    if (y < e->y0) e->y0 = y;
    if (y > e->y1) e->y1 = y;
}

static void extent_add(extent *e, double v)
{
    if (!isfinite(v)) return;
    if (v < e->lo) e->lo = v;
    if (v > e->hi) e->hi = v;
}

static void series_extent(const ct_plot_series *ps, extent *e, extent *core)
{
    const ct_plan *plan = ps->plan;
    if (plan->has_baseline) extent_add_year(e, plan->baseline.year);
    if (plan->horizon) extent_add_year(e, plan->horizon);
    for (int k = 0; k < ps->n; k++)
        if (isfinite(ps->value[k])) {
            extent_add_year(e, ps->year[k]);
            extent_add(e, ps->value[k]);
            extent_add(core, ps->value[k]);
        }
    for (int k = 0; k < ps->n_assess; k++) {
        const ct_assessment *a = &ps->assess[k];
        extent_add_year(e, a->target_year);
        if (a->target->each_period && a->target->from) extent_add_year(e, a->target->from);
        extent_add(e, a->target_value);
        extent_add(core, a->target_value);
        extent_add(e, a->baseline_value);
        extent_add(core, a->baseline_value);
    }
    for (int k = 0; k < ps->n_proj; k++) {
        extent_add(e, ps->proj[k]);
        extent_add(e, ps->proj_lo[k]);
        extent_add(e, ps->proj_hi[k]);
    }
    for (int k = 0; k < ps->n_band; k++) {
        extent_add(e, ps->band_lo[k]);
        extent_add(e, ps->band_hi[k]);
    }
}

/* x and y ranges and the y tics. */
static void axes(const ct_indicator *ind, const extent *e, const extent *core, int small, ct_plot_buf *b)
{
    int y0 = e->y0, y1 = e->y1;
    if (y0 > y1) y0 = y1 = 2020;
    ct_plot_buf_printf(b, "set xrange [%g:%g]\n", y0 - 0.5, y1 + 0.5);
    int span = y1 - y0;
    int step = span > 24 ? 5 : span > 12 ? 2 : 1;
    if (small && span > 4) step = span > 12 ? 5 : 2;
    ct_plot_buf_printf(b, "set xtics %d,%d,%d format \"%%.0f\"\nset mxtics 1\n", y0, step, y1);
    if (ct_indicator_is_percent(ind)) {
        /* a trajectory that stays high (92% to 95%, say) is drawn on a zoomed
         * scale so that its movement shows; small multiples keep 0-100 */
        double floor5 = isfinite(e->lo) ? floor((e->lo - 5) / 5) * 5 : 0;
        if (!small && floor5 >= 40) {
            double range = 100 - floor5;
            int step = range <= 30 ? 5 : 10;
            ct_plot_buf_printf(b, "set yrange [%g:%g]\nset ytics %g,%d,100 format \"%%g%%%%\"\n", floor5,
                               100 + range * 0.12, floor5, step);
            return;
        }
        ct_plot_buf_printf(b, "set yrange [0:%s]\nset ytics 0,%d,100 format \"%%g%%%%\"\n", small ? "118" : "112",
                           small ? 25 : 20);
        return;
    }
    double lo = e->lo, hi = e->hi;
    if (!(lo <= hi)) { lo = 0; hi = 1; }
    double cap = core->hi > 0 && isfinite(core->hi) ? core->hi * 1.6 : hi;
    if (hi > cap) hi = cap;
    if (lo > 0) lo = 0;
    if (hi <= lo) hi = lo + 1;
    ct_plot_buf_printf(b, "set yrange [%.10g:%.10g]\nset ytics format \"%%g\"\n", lo, hi + (hi - lo) * (small ? 0.18 : 0.12));
}

static void datablock_begin(ct_plot_buf *b, const char *name) { ct_plot_buf_printf(b, "$%s << EOD\n", name); }
static void datablock_end(ct_plot_buf *b) { ct_plot_buf_puts(b, "EOD\n"); }

/* The series' datablocks: $obs, $plan, $trend, $pband, $tband. Sets which exist. */
typedef struct {
    int obs, plan, trend, pband, tband;
    double band_lo, band_hi;  /* the transition rates, percent */
} blocks;

static void series_blocks(const ct_plot_series *ps, const char *sfx, ct_plot_buf *b, blocks *have)
{
    memset(have, 0, sizeof *have);
    char name[64];
    /* reported */
    int last = -1;
    for (int k = 0; k < ps->n; k++)
        if (isfinite(ps->value[k])) {
            if (!have->obs) { snprintf(name, sizeof name, "obs%s", sfx); datablock_begin(b, name); }
            have->obs = 1;
            ct_plot_buf_printf(b, "%d ", ps->year[k]);
            num_data(b, ps->value[k]);
            ct_plot_buf_puts(b, "\n");
            last = k;
        }
    if (have->obs) datablock_end(b);
    /* planned path: the baseline, then each target in time order */
    int order[64], no = 0;
    for (int k = 0; k < ps->n_assess && no < 64; k++)
        if (isfinite(ps->assess[k].target_value)) order[no++] = k;
    for (int i = 1; i < no; i++)
        for (int j = i; j > 0; j--) {
            const ct_assessment *x = &ps->assess[order[j - 1]], *y = &ps->assess[order[j]];
            int kx = x->target->each_period && x->target->from ? x->target->from : x->target_year;
            int ky = y->target->each_period && y->target->from ? y->target->from : y->target_year;
            if (kx <= ky) break;
            int t = order[j]; order[j] = order[j - 1]; order[j - 1] = t;
        }
    if (no > 0) {
        snprintf(name, sizeof name, "plan%s", sfx);
        datablock_begin(b, name);
        const ct_assessment *a0 = &ps->assess[order[0]];
        if (a0->has_baseline && isfinite(a0->baseline_value)) {
            ct_plot_buf_printf(b, "%d ", a0->baseline_period.year);
            num_data(b, a0->baseline_value);
            ct_plot_buf_puts(b, "\n");
        }
        for (int i = 0; i < no; i++) {
            const ct_assessment *a = &ps->assess[order[i]];
            if (a->target->each_period && a->target->from && a->target->from < a->target_year) {
                ct_plot_buf_printf(b, "%d ", a->target->from);
                num_data(b, a->target_value);
                ct_plot_buf_puts(b, "\n");
            }
            ct_plot_buf_printf(b, "%d ", a->target_year);
            num_data(b, a->target_value);
            ct_plot_buf_puts(b, "\n");
        }
        datablock_end(b);
        have->plan = 1;
    }
    /* trend and its band, from the latest value */
    int nt = 0, nb = 0;
    for (int k = 0; k < ps->n_proj; k++) {
        if (isfinite(ps->proj[k])) nt++;
        if (isfinite(ps->proj_lo[k]) && isfinite(ps->proj_hi[k])) nb++;
    }
    if (nt > 0 && last >= 0) {
        snprintf(name, sizeof name, "trend%s", sfx);
        datablock_begin(b, name);
        ct_plot_buf_printf(b, "%d ", ps->year[last]);
        num_data(b, ps->value[last]);
        ct_plot_buf_puts(b, "\n");
        for (int k = 0; k < ps->n_proj; k++)
            if (isfinite(ps->proj[k])) {
                ct_plot_buf_printf(b, "%d ", ps->proj_year[k]);
                num_data(b, ps->proj[k]);
                ct_plot_buf_puts(b, "\n");
            }
        datablock_end(b);
        have->trend = 1;
    }
    if (nb > 0 && last >= 0) {
        snprintf(name, sizeof name, "pband%s", sfx);
        datablock_begin(b, name);
        ct_plot_buf_printf(b, "%d ", ps->year[last]);
        num_data(b, ps->value[last]);
        ct_plot_buf_puts(b, " ");
        num_data(b, ps->value[last]);
        ct_plot_buf_puts(b, "\n");
        for (int k = 0; k < ps->n_proj; k++)
            if (isfinite(ps->proj_lo[k]) && isfinite(ps->proj_hi[k])) {
                ct_plot_buf_printf(b, "%d ", ps->proj_year[k]);
                num_data(b, ps->proj_lo[k]);
                ct_plot_buf_puts(b, " ");
                num_data(b, ps->proj_hi[k]);
                ct_plot_buf_puts(b, "\n");
            }
        datablock_end(b);
        have->pband = 1;
    }
    if (ps->n_band > 0 && last >= 0) {
        snprintf(name, sizeof name, "tband%s", sfx);
        datablock_begin(b, name);
        ct_plot_buf_printf(b, "%d ", ps->year[last]);
        num_data(b, ps->value[last]);
        ct_plot_buf_puts(b, " ");
        num_data(b, ps->value[last]);
        ct_plot_buf_puts(b, "\n");
        for (int k = 0; k < ps->n_band; k++) {
            ct_plot_buf_printf(b, "%d ", ps->band_year[k]);
            num_data(b, ps->band_lo[k]);
            ct_plot_buf_puts(b, " ");
            num_data(b, ps->band_hi[k]);
            ct_plot_buf_puts(b, "\n");
        }
        datablock_end(b);
        have->tband = 1;
    }
}

/* The transition rates of the plan's band for a share indicator, percent:
 * the first range target of a transition_rate indicator on the same units. */
static int band_rates(const ct_plot_series *ps, double *lo, double *hi)
{
    const ct_plan *plan = ps->plan;
    for (size_t i = 0; i < plan->n_indicators; i++) {
        const ct_indicator *tr = &plan->indicators[i];
        if (tr->kind != CT_KIND_TRANSITION || !tr->of || !ps->ind->of || strcmp(tr->of, ps->ind->of)) continue;
        for (size_t j = 0; j < tr->n_targets; j++) {
            const ct_target *t = &tr->targets[j];
            if (t->form == CT_TF_RANGE) { *lo = t->min; *hi = isfinite(t->max) ? t->max : t->min; return 1; }
            if (t->form == CT_TF_VALUE) { *lo = *hi = t->value; return 1; }
        }
    }
    return 0;
}

static const char *unit_title(const ct_series *s, int u) { return s->name[u] && s->name[u][0] ? s->name[u] : s->code[u]; }


/* One layer of the plot command: "SPEC title 'TITLE'", after the separator. */
static void plot_layer(ct_plot_buf *plot, const char **sep, const char *spec, const char *title)
{
    ct_plot_buf_printf(plot, "%s%s title ", *sep, spec);
    ct_plot_gp_string(plot, title);
    *sep = ", \\\n  ";
}
static void trajectory_script(const ct_chart *c, const ct_plot_style *st, ct_plot_buf *b)
{
    const ct_plot_series *ps = ct_plot_get(c->pp, c->ind, c->unit);
    const ct_series *s = c->pp->s;
    const words *w = W(st->lang);
    preamble(c, st, "theme_width", "theme_height", b);
    if (!ps) return;
    const ct_indicator *ind = ps->ind;
    blocks have;
    series_blocks(ps, "", b, &have);

    ct_plot_buf title = {0};
    wrap_text(ind->title ? ind->title : ind->id, 80, &title);
    ct_plot_buf_printf(&title, "\n%s (%s) · %s", unit_title(s, c->unit), s->code[c->unit], c->pp->plan->id);
    set_string(b, "set title", title.s ? title.s : "", " font \",12\"");
    ct_plot_buf_free(&title);
    set_string(b, "set xlabel", w->year, NULL);
    set_string(b, "set ylabel", ct_indicator_is_percent(ind) ? w->percent : ind->unit && ind->unit[0] ? ind->unit : w->count, NULL);

    extent e = {INFINITY, -INFINITY, 9999, -9999}, core = e;
    series_extent(ps, &e, &core);
    axes(ind, &e, &core, 0, b);

    /* target labels */
    for (int k = 0; k < ps->n_assess; k++) {
        const ct_assessment *a = &ps->assess[k];
        if (!isfinite(a->target_value)) continue;
        char lab[128];
        target_label(a, lab, sizeof lab);
        ct_plot_buf_printf(b, "set label %d ", k + 1);
        ct_plot_gp_string(b, lab);
        ct_plot_buf_printf(b, " at %d,", a->target_year);
        num_data(b, a->target_value);
        ct_plot_buf_puts(b, " offset 0,1.25 center front textcolor rgb c_text\n");
    }
    if (!have.obs) {
        ct_plot_buf_puts(b, "set label 90 ");
        ct_plot_gp_string(b, w->no_data);
        ct_plot_buf_puts(b, " at graph 0.5, graph 0.5 center textcolor rgb c_muted font \",14\"\n");
    }

    /* the plot: bands first, lines over them, then targets and the status entry */
    ct_plot_buf plot = {0};
    const char *sep = "plot ";
    if (have.tband) {
        double lo = 0, hi = 0;
        char tl[160], a1[32], a2[32];
        band_rates(ps, &lo, &hi);
        num_label(lo, a1, sizeof a1);
        num_label(hi, a2, sizeof a2);
        snprintf(tl, sizeof tl, w->transition, a1, a2);
        ct_plot_buf_printf(&plot, "%s$tband using 1:2:3 with filledcurves fc rgb c_transition fs transparent solid "
                                  "transition_alpha title ", sep);
        ct_plot_gp_string(&plot, tl);
        ct_plot_buf_puts(&plot, ", \\\n  $tband using 1:2 with lines ls 4 notitle, $tband using 1:3 with lines ls 4 notitle");
        sep = ", \\\n  ";
    }
    if (have.pband)
        plot_layer(&plot, &sep, "$pband using 1:2:3 with filledcurves fc rgb c_band fs transparent solid band_alpha", w->band);
    if (have.trend) plot_layer(&plot, &sep, "$trend using 1:2 with lines ls 3", w->trend);
    if (have.plan) plot_layer(&plot, &sep, "$plan using 1:2 with lines ls 2", w->plan);
    if (have.obs) plot_layer(&plot, &sep, "$obs using 1:2 with linespoints ls 1", w->reported);
    int first_target = 1;
    for (int k = 0; k < ps->n_assess; k++) {
        const ct_assessment *a = &ps->assess[k];
        if (!isfinite(a->target_value)) continue;
        ct_plot_buf_printf(&plot, "%s'+' using (%d):(", sep, a->target_year);
        num_data(&plot, a->target_value);
        ct_plot_buf_printf(&plot, ") every ::0::0 with points pt 13 ps 2.0 lc rgb %s notitle", ct_plot_status_var(a->status));
        if (first_target) {   /* one neutral legend entry for the markers */
            ct_plot_buf_puts(&plot, ", \\\n  keyentry with points pt 13 ps 1.6 lc rgb c_muted title ");
            ct_plot_gp_string(&plot, w->target);
        }
        first_target = 0;
        sep = ", \\\n  ";
    }
    if (ps->final >= 0) {
        const ct_assessment *a = &ps->assess[ps->final];
        char tl[200];
        snprintf(tl, sizeof tl, w->final_status, a->target_year, ct_plot_status_label(a->status, st->lang));
        ct_plot_buf_printf(&plot, "%skeyentry with boxes fc rgb %s title ", sep, ct_plot_status_var(a->status));
        ct_plot_gp_string(&plot, tl);
        sep = ", \\\n  ";
    }
    if (!strcmp(sep, "plot ")) ct_plot_buf_puts(&plot, "plot NaN notitle");
    ct_plot_buf_puts(b, "set key reverse Left\n");
    ct_plot_buf_puts(b, plot.s ? plot.s : "");
    ct_plot_buf_puts(b, "\nunset output\n");
    ct_plot_buf_free(&plot);
}

static void multiples_script(const ct_chart *c, const ct_plot_style *st, ct_plot_buf *b)
{
    const ct_plot_plan *pp = c->pp;
    const ct_series *s = pp->s;
    const words *w = W(st->lang);
    const ct_indicator *ind = &pp->plan->indicators[c->ind];
    int *kids = malloc((size_t)(pp->n_units ? pp->n_units : 1) * sizeof *kids);
    if (!kids) { b->oom = 1; return; }
    int nk = charted_children(pp, c->ind, c->unit, kids);
    int cols = (int)ceil(sqrt((double)nk));
    if (cols > 5) cols = 5;
    if (cols < 1) cols = 1;
    int rows = (nk + cols - 1) / cols;
    char wexpr[64], hexpr[64];
    snprintf(wexpr, sizeof wexpr, "%d*theme_panel_w", cols);
    snprintf(hexpr, sizeof hexpr, "%d*theme_panel_h+150", rows);
    if (cols < 3) snprintf(wexpr, sizeof wexpr, "3*theme_panel_w");
    preamble(c, st, wexpr, hexpr, b);
    extent e = {INFINITY, -INFINITY, 9999, -9999}, core = e;
    for (int k = 0; k < nk; k++) series_extent(ct_plot_get(pp, c->ind, kids[k]), &e, &core);
    axes(ind, &e, &core, 1, b);
    ct_plot_buf_puts(b, "unset key\nset xlabel \"\"\nset ylabel \"\"\nset title font \",10\"\n");
    ct_plot_buf_puts(b, "set lmargin 6\nset rmargin 1.5\nset tmargin 2.2\nset bmargin 1.8\n");

    ct_plot_buf title = {0}, sub = {0};
    wrap_text(ind->title ? ind->title : ind->id, 110, &title);
    char what[300];
    snprintf(what, sizeof what, w->multiples, unit_title(s, c->unit));
    ct_plot_buf_printf(&title, "\n%s · %s", what, pp->plan->id);
    (void)sub;
    /* the legend: statuses along the bottom of the page */
    ct_plot_buf_printf(b, "_lh = 40.0/(%s)\n", hexpr);
    int nst;
    const char *const *sts = ct_plot_statuses(&nst);
    ct_plot_buf_puts(b, "set label 101 ");
    ct_plot_gp_string(b, w->legend_status);
    ct_plot_buf_puts(b, " at screen 0.02, screen _lh/2 left front\n");
    for (int i = 0; i < nst; i++) {
        double x = 0.12 + i * 0.145;
        ct_plot_buf_printf(b, "set object %d rectangle from screen %.3f, screen _lh*0.3 to screen %.3f, screen _lh*0.7 "
                              "fc rgb %s fs solid noborder front\n", 101 + i, x, x + 0.018, ct_plot_status_var(sts[i]));
        ct_plot_buf_printf(b, "set label %d ", 102 + i);
        ct_plot_gp_string(b, ct_plot_status_label(sts[i], st->lang));
        ct_plot_buf_printf(b, " at screen %.3f, screen _lh/2 left front\n", x + 0.024);
    }
    /* margins and spacing in pixels: room for a panel's title above it and
     * its tic labels below and to the left */
    ct_plot_buf_printf(b, "_pw = (%s)*1.0\n_ph = (%s)*1.0\n", wexpr, hexpr);
    ct_plot_buf_printf(b, "set multiplot layout %d,%d title ", rows, cols);
    ct_plot_gp_string(b, title.s ? title.s : "");
    ct_plot_buf_puts(b, " font \",12\" margins screen 48/_pw, 1-12/_pw, 74/_ph, 1-100/_ph"
                        " spacing screen 52/_pw, screen 58/_ph\n");
    ct_plot_buf_free(&title);

    for (int k = 0; k < nk; k++) {
        const ct_plot_series *ps = ct_plot_get(pp, c->ind, kids[k]);
        char sfx[16];
        snprintf(sfx, sizeof sfx, "_%d", k);
        blocks have;
        series_blocks(ps, sfx, b, &have);
        const char *stv = ct_plot_status_var(ct_plot_final_status(ps));
        set_string(b, "set title", unit_title(s, kids[k]), NULL);
        ct_plot_buf_printf(b, "set object 1 rectangle from graph 0, graph 1.0 to graph 1, graph 1.035 fc rgb %s "
                              "fs solid noborder front clip\nunset object 1\n"
                              "set object 1 rectangle from graph 0, graph 0.985 to graph 1, graph 1.03 fc rgb %s "
                              "fs solid noborder front\n", stv, stv);
        ct_plot_buf plot = {0};
        const char *sep = "plot ";
        if (have.tband) {
            ct_plot_buf_printf(&plot, "%s$tband%s using 1:2:3 with filledcurves fc rgb c_transition fs transparent solid transition_alpha", sep, sfx);
            sep = ", ";
        }
        if (have.pband) {
            ct_plot_buf_printf(&plot, "%s$pband%s using 1:2:3 with filledcurves fc rgb c_band fs transparent solid band_alpha", sep, sfx);
            sep = ", ";
        }
        if (have.trend) { ct_plot_buf_printf(&plot, "%s$trend%s using 1:2 with lines ls 3", sep, sfx); sep = ", "; }
        if (have.plan) { ct_plot_buf_printf(&plot, "%s$plan%s using 1:2 with lines ls 2", sep, sfx); sep = ", "; }
        if (have.obs) { ct_plot_buf_printf(&plot, "%s$obs%s using 1:2 with linespoints ls 1 ps 0.6", sep, sfx); sep = ", "; }
        if (ps->final >= 0 && isfinite(ps->assess[ps->final].target_value)) {
            const ct_assessment *a = &ps->assess[ps->final];
            ct_plot_buf_printf(&plot, "%s'+' using (%d):(", sep, a->target_year);
            num_data(&plot, a->target_value);
            ct_plot_buf_printf(&plot, ") every ::0::0 with points pt 13 ps 1.4 lc rgb %s", stv);
            sep = ", ";
        }
        if (!strcmp(sep, "plot ")) ct_plot_buf_puts(&plot, "plot NaN");
        ct_plot_buf_puts(b, plot.s ? plot.s : "");
        ct_plot_buf_puts(b, "\n");
        ct_plot_buf_free(&plot);
        if (k == 0) {
            ct_plot_buf_puts(b, "unset label 101\n");
            for (int i = 0; i < nst; i++) ct_plot_buf_printf(b, "unset object %d\nunset label %d\n", 101 + i, 102 + i);
        }
        ct_plot_buf_printf(b, "undefine $obs%s $plan%s $trend%s $pband%s $tband%s\n", sfx, sfx, sfx, sfx, sfx);
    }
    ct_plot_buf_puts(b, "unset multiplot\nunset output\n");
    free(kids);
}

static void status_script(const ct_chart *c, const ct_plot_style *st, ct_plot_buf *b)
{
    const ct_plot_plan *pp = c->pp;
    const ct_series *s = pp->s;
    const words *w = W(st->lang);
    int cols = 0, *col_ind = malloc((size_t)(pp->n_ind ? pp->n_ind : 1) * sizeof *col_ind);
    if (!col_ind) { b->oom = 1; return; }
    for (int i = 0; i < pp->n_ind; i++) {
        if (pp->plan->indicators[i].n_targets == 0) continue;
        int any = 0;
        for (int k = 0; k < pp->n_units && !any; k++) any = ct_plot_get(pp, i, pp->units[k]) != NULL;
        if (any) col_ind[cols++] = i;
    }
    int rows = pp->n_units;
    char wexpr[64], hexpr[64];
    snprintf(wexpr, sizeof wexpr, "%d", 330 + 64 * (cols > 4 ? cols : 4));
    snprintf(hexpr, sizeof hexpr, "%d", 250 + 24 * rows);
    preamble(c, st, wexpr, hexpr, b);
    int nst;
    const char *const *sts = ct_plot_statuses(&nst);
    int present[7] = {0};
    /* one datablock per status; cells at (column, row from the top) */
    for (int si = 0; si <= nst; si++) {
        int opened = 0;
        for (int j = 0; j < cols; j++)
            for (int r = 0; r < rows; r++) {
                const ct_plot_series *ps = ct_plot_get(pp, col_ind[j], pp->units[r]);
                if (!ps) continue;
                int idx = status_index(ct_plot_final_status(ps));
                if ((si < nst && idx != si) || (si == nst && idx >= 0)) continue;
                if (!opened) { ct_plot_buf_printf(b, "$st%d << EOD\n", si); opened = 1; }
                ct_plot_buf_printf(b, "%d %d\n", j + 1, rows - r);
            }
        if (opened) { datablock_end(b); present[si] = 1; }
    }
    /* the latest value in each cell */
    int any_val = 0;
    for (int j = 0; j < cols; j++)
        for (int r = 0; r < rows; r++) {
            const ct_plot_series *ps = ct_plot_get(pp, col_ind[j], pp->units[r]);
            if (!ps || ps->final < 0 || !ps->assess[ps->final].has_latest) continue;
            if (!any_val) { ct_plot_buf_puts(b, "$vals << EOD\n"); any_val = 1; }
            char v[48];
            if (ct_indicator_is_percent(ps->ind)) snprintf(v, sizeof v, "%.0f", ps->assess[ps->final].latest_value);
            else num_label(ps->assess[ps->final].latest_value, v, sizeof v);
            ct_plot_buf_printf(b, "%d %d \"%s%s\"\n", j + 1, rows - r, v, ct_indicator_is_percent(ps->ind) ? "%" : "");
        }
    if (any_val) datablock_end(b);
    ct_plot_buf title = {0};
    ct_plot_buf_printf(&title, "%s\n", w->status_title);
    wrap_text(pp->plan->title ? pp->plan->title : pp->plan->id, 90, &title);
    set_string(b, "set title", title.s ? title.s : "", " font \",12\"");
    ct_plot_buf_free(&title);
    ct_plot_buf_printf(b, "set xrange [0.5:%d.5]\nset yrange [0.5:%d.5]\n", cols > 0 ? cols : 1, rows > 0 ? rows : 1);
    ct_plot_buf_puts(b, "unset grid\nset border 0\nset tics scale 0\nset xtics rotate by 35 right nomirror\n");
    ct_plot_buf_puts(b, "set lmargin 34\nset rmargin 3\nset bmargin 14\nset tmargin 5\n");
    ct_plot_buf_puts(b, "set xtics (");
    for (int j = 0; j < cols; j++) {
        if (j) ct_plot_buf_puts(b, ", ");
        ct_plot_gp_string(b, pp->plan->indicators[col_ind[j]].id);
        ct_plot_buf_printf(b, " %d", j + 1);
    }
    if (cols == 0) ct_plot_buf_puts(b, "\"\" 1");
    ct_plot_buf_puts(b, ")\nset ytics (");
    for (int r = 0; r < rows; r++) {
        int u = pp->units[r];
        char lab[300];
        int depth = s->depth[u] - s->depth[pp->units[0]];
        snprintf(lab, sizeof lab, "%s%s", depth > 0 ? "   " : "", unit_title(s, u));
        if (r) ct_plot_buf_puts(b, ", ");
        ct_plot_gp_string(b, lab);
        ct_plot_buf_printf(b, " %d", rows - r);
    }
    if (rows == 0) ct_plot_buf_puts(b, "\"\" 1");
    ct_plot_buf_puts(b, ")\nset key outside bottom center horizontal reverse Left\n");
    ct_plot_buf plot = {0};
    const char *sep = "plot ";
    for (int si = 0; si < nst; si++) {
        if (present[si])
            ct_plot_buf_printf(&plot, "%s$st%d using 1:2:(0.47):(0.44) with boxxyerror fc rgb %s fs solid title ", sep, si,
                               ct_plot_status_var(sts[si]));
        else
            ct_plot_buf_printf(&plot, "%skeyentry with boxes fc rgb %s title ", sep, ct_plot_status_var(sts[si]));
        ct_plot_gp_string(&plot, ct_plot_status_label(sts[si], st->lang));
        sep = ", \\\n  ";
    }
    if (present[nst]) ct_plot_buf_printf(&plot, "%s$st%d using 1:2:(0.47):(0.44) with boxxyerror fc rgb c_other fs solid notitle", sep, nst);
    if (any_val) ct_plot_buf_printf(&plot, "%s$vals using 1:2:3 with labels textcolor rgb c_text font \",8\" notitle", sep);
    /* gnuplot 5.4 aborts on a plot of key entries alone: one invisible point */
    ct_plot_buf_printf(&plot, "%s'+' using (1):(1) every ::0::0 with points ps 0 lc rgb \"white\" notitle", sep);
    ct_plot_buf_puts(b, plot.s ? plot.s : "");
    ct_plot_buf_puts(b, "\nunset output\n");
    ct_plot_buf_free(&plot);
    free(col_ind);
}

void ct_plot_script(const ct_chart *c, const ct_plot_style *st, ct_plot_buf *b)
{
    switch (c->kind) {
    case CT_CHART_TRAJECTORY: trajectory_script(c, st, b); break;
    case CT_CHART_MULTIPLES: multiples_script(c, st, b); break;
    case CT_CHART_STATUS: status_script(c, st, b); break;
    }
}

/* ---- the driver ----------------------------------------------------------------------- */

enum { PIPELINE = 2, ANSWER_TIMEOUT_MS = 120000, MAX_DEATHS = 3 };

typedef struct {
    pid_t pid;
    int in_fd, err_fd;
    size_t q[PIPELINE];
    int nq;
    ct_plot_buf w;       /* bytes still to write to stdin */
    size_t woff;
    ct_plot_buf e;       /* stderr text since the last marker */
    int had_error;
    int alive;
} gp_worker;

static const char *gnuplot_program(const ct_plot_run_opts *o)
{
    if (o && o->gnuplot && o->gnuplot[0]) return o->gnuplot;
    const char *env = getenv("CHITIEU_GNUPLOT");
    return env && env[0] ? env : "gnuplot";
}

/* Starts gnuplot: 0, or -1 with errno's text in msg. */
static int spawn(const char *prog, gp_worker *w, char *msg, size_t size)
{
    int in[2], err[2], st[2];
    if (pipe(in)) { snprintf(msg, size, "pipe: %s", strerror(errno)); return -1; }
    if (pipe(err)) { snprintf(msg, size, "pipe: %s", strerror(errno)); close(in[0]); close(in[1]); return -1; }
    if (pipe(st)) {
        snprintf(msg, size, "pipe: %s", strerror(errno));
        close(in[0]); close(in[1]); close(err[0]); close(err[1]);
        return -1;
    }
    fcntl(st[1], F_SETFD, FD_CLOEXEC);
    fcntl(in[1], F_SETFD, FD_CLOEXEC);
    fcntl(err[0], F_SETFD, FD_CLOEXEC);
    fcntl(st[0], F_SETFD, FD_CLOEXEC);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(msg, size, "fork: %s", strerror(errno));
        close(in[0]); close(in[1]); close(err[0]); close(err[1]); close(st[0]); close(st[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(err[1], 1);
        dup2(err[1], 2);
        close(in[0]);
        close(err[1]);
        char *argv[] = {(char *)prog, NULL};
        execvp(prog, argv);
        int e = errno;
        if (write(st[1], &e, sizeof e) < 0) _exit(127);
        _exit(127);
    }
    close(in[0]);
    close(err[1]);
    close(st[1]);
    int e = 0;
    ssize_t r;
    do r = read(st[0], &e, sizeof e);
    while (r < 0 && errno == EINTR);
    close(st[0]);
    if (r > 0) {
        snprintf(msg, size, "cannot run '%s': %s", prog, strerror(e));
        close(in[1]);
        close(err[0]);
        waitpid(pid, NULL, 0);
        return -1;
    }
    fcntl(in[1], F_SETFL, fcntl(in[1], F_GETFL) | O_NONBLOCK);
    /* keep the buffers of a worker started again */
    w->nq = 0;
    w->woff = w->w.len = w->e.len = 0;
    w->had_error = 0;
    w->pid = pid;
    w->in_fd = in[1];
    w->err_fd = err[0];
    w->alive = 1;
    return 0;
}

/* gnuplot's text made one line: trimmed lines joined with " | ", blank and
 * caret-only lines dropped. */
static void one_line(const char *text, ct_plot_buf *out)
{
    const char *p = text;
    while (*p) {
        const char *e = strchr(p, '\n');
        if (!e) e = p + strlen(p);
        const char *a = p, *z = e;
        while (a < z && isspace((unsigned char)*a)) a++;
        while (z > a && isspace((unsigned char)z[-1])) z--;
        int caret = z - a == 1 && *a == '^';
        if (z > a && !caret) {
            if (out->len) ct_plot_buf_puts(out, " | ");
            ct_plot_buf_put(out, a, (size_t)(z - a));
        }
        p = *e ? e + 1 : e;
    }
    if (!out->s) ct_plot_buf_put(out, "", 0);
}

static int has_text(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i])) return 1;
    return 0;
}

static void chart_error(ct_plot_job *j, const char *text, size_t n, const char *extra, ct_diags *d)
{
    ct_plot_buf t = {0}, line = {0};
    ct_plot_buf_put(&t, text, n);
    one_line(t.s ? t.s : "", &line);
    if (extra) {
        if (line.len) ct_plot_buf_puts(&line, " | ");
        ct_plot_buf_puts(&line, extra);
    }
    ct_error_at(d, j->gp_path, 0, 0, "gnuplot: %s", line.s ? line.s : "");
    j->failed = 1;
    ct_plot_buf_free(&t);
    ct_plot_buf_free(&line);
}

static void exit_text(int status, char *buf, size_t size)
{
    if (WIFEXITED(status)) snprintf(buf, size, "gnuplot exited with status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status)) snprintf(buf, size, "gnuplot was killed by signal %d", WTERMSIG(status));
    else snprintf(buf, size, "gnuplot ended abnormally");
}

/* Keeps gnuplot's messages for one chart within 64 KiB: past that, the
 * middle is dropped (the start says what went wrong; the end may hold the
 * beginning of the next marker). */
static void bound_stderr(gp_worker *w)
{
    enum { KEEP = 64 << 10, HEAD = 32 << 10, TAIL = 4 << 10 };
    if (w->e.len <= KEEP) return;
    static const char note[] = "\n[... gnuplot messages dropped ...]\n";
    size_t nl = sizeof note - 1, drop_to = w->e.len - TAIL;
    memcpy(w->e.s + HEAD, note, nl);
    memmove(w->e.s + HEAD + nl, w->e.s + drop_to, TAIL);
    w->e.len = HEAD + nl + TAIL;
    w->e.s[w->e.len] = '\0';
}

/* Consumes complete markers from w->e: each ends the chart at the head of the
 * queue. Returns the number of charts finished. */
static size_t take_markers(gp_worker *w, ct_plot_job *jobs, ct_diags *d)
{
    static const char mark[] = "CHITIEU-END ";
    size_t finished = 0;
    for (;;) {
        if (!w->e.s || w->nq == 0) break;
        char *m = NULL;
        for (char *p = w->e.s; (p = strstr(p, mark)) != NULL; p++)
            if (p == w->e.s || p[-1] == '\n') { m = p; break; }
        if (!m) break;
        char *eol = strchr(m, '\n');
        if (!eol) break;   /* the marker line is not complete yet */
        size_t job = w->q[0];
        if (has_text(w->e.s, (size_t)(m - w->e.s))) {
            chart_error(&jobs[job], w->e.s, (size_t)(m - w->e.s), NULL, d);
            w->had_error = 1;
        }
        size_t rest = w->e.len - (size_t)(eol + 1 - w->e.s);
        memmove(w->e.s, eol + 1, rest);
        w->e.len = rest;
        w->e.s[rest] = '\0';
        memmove(w->q, w->q + 1, (size_t)(w->nq - 1) * sizeof *w->q);
        w->nq--;
        finished++;
    }
    return finished;
}

static void close_worker(gp_worker *w, int *status)
{
    if (w->in_fd >= 0) close(w->in_fd);
    if (w->err_fd >= 0) close(w->err_fd);
    w->in_fd = w->err_fd = -1;
    int stv = 0;
    while (waitpid(w->pid, &stv, 0) < 0 && errno == EINTR) {}
    if (status) *status = stv;
    w->alive = 0;
}

ct_status ct_plot_run(ct_plot_job *jobs, size_t n, const ct_plot_run_opts *opts, ct_diags *d)
{
    if (n == 0) return CT_OK;
    const char *prog = gnuplot_program(opts);
    int nw = opts && opts->workers > 0 ? opts->workers : 2;
    if ((size_t)nw > n) nw = (int)n;
    gp_worker *ws = calloc((size_t)nw, sizeof *ws);
    size_t *todo = malloc(n * sizeof *todo);
    if (!ws || !todo) { free(ws); free(todo); return CT_ENOMEM; }
    struct sigaction ign, old;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ign, &old);
    for (size_t i = 0; i < n; i++) { todo[i] = i; jobs[i].failed = 0; }
    size_t head = 0, count = n;   /* circular queue of jobs to send */
    size_t done = 0, failed = 0;
    int deaths = 0;
    ct_status result = CT_OK;
    char msg[512];
    for (int i = 0; i < nw; i++) {
        ws[i].in_fd = ws[i].err_fd = -1;
        if (spawn(prog, &ws[i], msg, sizeof msg)) {
            ct_error_at(d, NULL, 0, 0, "gnuplot: %s (install gnuplot, or set CHITIEU_GNUPLOT to its path)", msg);
            for (int k = 0; k < i; k++) close_worker(&ws[k], NULL);
            for (size_t k = 0; k < n; k++) jobs[k].failed = 1;
            result = CT_EUNSUPPORTED;
            goto out;
        }
    }
    while (done < n) {
        /* feed idle workers */
        for (int i = 0; i < nw; i++) {
            gp_worker *w = &ws[i];
            while (w->alive && w->nq < PIPELINE && count > 0) {
                size_t j = todo[head];
                head = (head + 1) % n;
                count--;
                if (w->woff == w->w.len) { w->w.len = 0; w->woff = 0; }
                ct_plot_buf_puts(&w->w, "cd ");
                ct_plot_gp_string(&w->w, jobs[j].dir);
                ct_plot_buf_puts(&w->w, "\n");
                ct_plot_buf_puts(&w->w, jobs[j].script);
                ct_plot_buf_printf(&w->w, "\nprinterr \"\\nCHITIEU-END %zu\"\n", j); /* on a line of its own */
                if (w->w.oom) { result = CT_ENOMEM; goto stop; }
                w->q[w->nq++] = j;
            }
        }
        struct pollfd pf[64];
        int owner[64], nf = 0;
        for (int i = 0; i < nw && nf + 2 <= 64; i++) {
            gp_worker *w = &ws[i];
            if (!w->alive) continue;
            pf[nf] = (struct pollfd){w->err_fd, POLLIN, 0};
            owner[nf++] = i;
            if (w->woff < w->w.len && w->in_fd >= 0) {
                pf[nf] = (struct pollfd){w->in_fd, POLLOUT, 0};
                owner[nf++] = i;
            }
        }
        if (nf == 0) break;
        int pr = poll(pf, (nfds_t)nf, ANSWER_TIMEOUT_MS);
        if (pr < 0) {
            if (errno == EINTR) continue;
            ct_error_at(d, NULL, 0, 0, "gnuplot: poll: %s", strerror(errno));
            result = CT_EIO;
            goto stop;
        }
        if (pr == 0) {
            for (int i = 0; i < nw; i++)
                if (ws[i].alive && ws[i].nq > 0) {
                    chart_error(&jobs[ws[i].q[0]], "", 0, "no answer from gnuplot within 120 s", d);
                    kill(ws[i].pid, SIGKILL);
                }
            result = CT_EIO;
            goto stop;
        }
        for (int k = 0; k < nf; k++) {
            gp_worker *w = &ws[owner[k]];
            if (!w->alive || !pf[k].revents) continue;
            if (pf[k].fd == w->in_fd) {
                if (pf[k].revents & (POLLERR | POLLHUP)) { close(w->in_fd); w->in_fd = -1; w->woff = w->w.len; continue; }
                ssize_t r = write(w->in_fd, w->w.s + w->woff, w->w.len - w->woff);
                if (r > 0) w->woff += (size_t)r;
                else if (r < 0 && errno != EAGAIN && errno != EINTR) {
                    close(w->in_fd);    /* gnuplot has gone: its stderr will end too */
                    w->in_fd = -1;
                    w->woff = w->w.len;
                }
                continue;
            }
            char buf[65536];
            ssize_t r = read(w->err_fd, buf, sizeof buf);
            if (r < 0 && errno == EINTR) continue;
            if (r > 0) {
                ct_plot_buf_put(&w->e, buf, (size_t)r);
                size_t f = take_markers(w, jobs, d);
                bound_stderr(w);
                done += f;
                if (f) deaths = 0;
                if (f && opts && opts->progress) opts->progress(done, n, opts->progress_ctx);
                continue;
            }
            /* end of stderr: gnuplot exited */
            int status = 0;
            close_worker(w, &status);
            exit_text(status, msg, sizeof msg);
            if (w->nq > 0) {
                chart_error(&jobs[w->q[0]], w->e.s ? w->e.s : "", w->e.len, msg, d);
                done++;
                for (int q = 1; q < w->nq; q++) {   /* never run: send again */
                    head = (head + n - 1) % n;
                    todo[head] = w->q[q];
                    count++;
                }
                w->nq = 0;
            } else if (has_text(w->e.s ? w->e.s : "", w->e.len) || status != 0) {
                chart_error(&(ct_plot_job){NULL, NULL, NULL, 0}, w->e.s ? w->e.s : "", w->e.len, msg, d);
            }
            w->e.len = 0;
            w->w.len = w->woff = 0;
            if (opts && opts->progress) opts->progress(done, n, opts->progress_ctx);
            if (++deaths >= MAX_DEATHS) {
                ct_error_at(d, NULL, 0, 0, "gnuplot ('%s') keeps exiting: %zu chart(s) not rendered", prog, n - done);
                result = CT_EIO;
                goto stop;
            }
            if (count > 0 && spawn(prog, w, msg, sizeof msg)) {
                ct_error_at(d, NULL, 0, 0, "gnuplot: %s", msg);
                result = CT_EIO;
                goto stop;
            }
        }
    }
stop:
    for (int i = 0; i < nw; i++) {
        gp_worker *w = &ws[i];
        if (!w->alive) continue;
        if (w->in_fd >= 0) {   /* finish pending writes, then let gnuplot end */
            fcntl(w->in_fd, F_SETFL, fcntl(w->in_fd, F_GETFL) & ~O_NONBLOCK);
            if (result == CT_OK) {
                while (w->woff < w->w.len) {
                    ssize_t r = write(w->in_fd, w->w.s + w->woff, w->w.len - w->woff);
                    if (r <= 0) break;
                    w->woff += (size_t)r;
                }
            }
            close(w->in_fd);
            w->in_fd = -1;
        }
        char buf[4096];
        ssize_t r;
        while ((r = read(w->err_fd, buf, sizeof buf)) > 0 || (r < 0 && errno == EINTR))
            if (r > 0) {
                ct_plot_buf_put(&w->e, buf, (size_t)r);
                done += take_markers(w, jobs, d);
                bound_stderr(w);
            }
        done += take_markers(w, jobs, d);
        int status = 0;
        close_worker(w, &status);
        for (int q = 0; q < w->nq; q++) {
            if (q == 0 && has_text(w->e.s ? w->e.s : "", w->e.len)) chart_error(&jobs[w->q[0]], w->e.s, w->e.len, NULL, d);
            else chart_error(&jobs[w->q[q]], "", 0, "not rendered", d);
            w->had_error = 1;
        }
        w->nq = 0;
        if (status != 0 && !w->had_error) {
            exit_text(status, msg, sizeof msg);
            ct_error_at(d, NULL, 0, 0, "%s", msg);
            if (result == CT_OK) result = CT_EIO;
        }
    }
    /* jobs never sent */
    while (count > 0) {
        jobs[todo[head]].failed = 1;
        head = (head + 1) % n;
        count--;
    }
out:
    for (size_t i = 0; i < n; i++)
        if (jobs[i].failed) failed++;
    if (failed && result == CT_OK) result = CT_EIO;
    for (int i = 0; i < nw; i++) {
        ct_plot_buf_free(&ws[i].w);
        ct_plot_buf_free(&ws[i].e);
    }
    sigaction(SIGPIPE, &old, NULL);
    free(ws);
    free(todo);
    return result;
}
