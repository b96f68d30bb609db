/* What every chart script shares: words, the preamble, axes, datablocks. */
#include "ct_chart.h"
#include "../load/ct_kind.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* ---- ct_chart_words ------------------------------------------------------------------------- */

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

const char *const *ct_plot_statuses(int *n)
{
    *n = CT_ASSESS_N_STATUSES;
    return ct_assess_statuses;
}

const char *ct_plot_status_label(const char *status, ct_plot_lang lang)
{
    return ct_assess_status_label(status, lang);
}

const char *ct_plot_row_look(const ct_assessment *a, ct_plot_lang lang, char *colour_buf, size_t size)
{
    const char *colour;
    const char *label = ct_assess_look(a, lang, &colour);
    if (colour) snprintf(colour_buf, size, "\"%s\"", colour); /* validated #rrggbb: nothing to escape */
    else snprintf(colour_buf, size, "%s", ct_plot_status_var(a->status));
    return label;
}

int ct_chart_status_index(const char *status)
{
    for (int i = 0; i < CT_ASSESS_N_STATUSES; i++)
        if (status && !strcmp(status, ct_assess_statuses[i])) return i;
    return -1;
}

const char *ct_plot_status_var(const char *status)
{
    static const char *const vars[CT_ASSESS_N_STATUSES] = {
        "c_achieved", "c_nearly_achieved", "c_not_achieved", "c_on_track", "c_at_risk",
        "c_off_track", "c_deteriorating", "c_insufficient_data", "c_not_applicable"};
    for (int i = 0; i < CT_ASSESS_N_STATUSES; i++)
        if (status && !strcmp(status, ct_assess_statuses[i])) return vars[i];
    return "c_other";
}


/* The charts' words, from the catalogue (ct_lang.h); filled on each call with
 * the same static texts, so that a call from any thread reads whole pointers. */
const ct_chart_words *ct_chart_words_of(ct_plot_lang l)
{
    static ct_chart_words words[2];
    ct_chart_words *w = &words[l == CT_PLOT_EN ? 1 : 0];
    *w = (ct_chart_words){ct_msg(l, CT_M_CH_REPORTED), ct_msg(l, CT_M_CH_PLAN), ct_msg(l, CT_M_CH_TREND),
                          ct_msg(l, CT_M_CH_BAND), ct_msg(l, CT_M_CH_TARGET), ct_msg(l, CT_M_CH_TRANSITION),
                          ct_msg(l, CT_M_CH_YEAR), ct_msg(l, CT_M_CH_PERCENT), ct_msg(l, CT_M_CH_COUNT),
                          ct_msg(l, CT_M_CH_FINAL_STATUS), ct_msg(l, CT_M_STATUS_CHART), ct_msg(l, CT_M_CH_MULTIPLES),
                          ct_msg(l, CT_M_CH_LEGEND_STATUS), ct_msg(l, CT_M_CH_NO_DATA), ct_msg(l, CT_M_CH_RANGE),
                          ct_msg(l, CT_M_CH_ZOOM_TOP), ct_msg(l, CT_M_CH_ZOOM_BOTTOM)};
    return w;
}

/* A number for a label: the language's one rule (ct_lang_number). */
void ct_chart_num_label(double v, ct_plot_lang lang, char *buf, size_t size) { ct_lang_number(lang, v, buf, size); }

void ct_chart_period(ct_period p, ct_plot_lang lang, char *buf, size_t size)
{
    ct_lang_period(lang, p.year, 12 / ct_ptype_per_year((ct_ptype)p.type), p.sub, buf, size);
}

/* A number for a datablock: plain, enough digits. */
void ct_chart_num_data(ct_plot_buf *b, double v)
{
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%.10g", v);
    ct_plot_buf_puts(b, tmp);
}


/* ---- scripts ------------------------------------------------------------------------ */

/* Wraps text at spaces into lines of at most `width` characters (UTF-8 aware). */
void ct_chart_wrap(const char *text, int width, ct_plot_buf *out)
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

void ct_chart_set_string(ct_plot_buf *b, const char *cmd, const char *text, const char *tail)
{
    ct_plot_buf_puts(b, cmd);
    ct_plot_buf_puts(b, " ");
    ct_plot_gp_string(b, text);
    if (tail) ct_plot_buf_puts(b, tail);
    ct_plot_buf_puts(b, "\n");
}

const char *ct_chart_base_name(const char *rel)
{
    const char *sl = strrchr(rel, '/');
    return sl ? sl + 1 : rel;
}

/* The part every script starts with: locating itself, the theme, the terminal. */
void ct_chart_preamble(const ct_chart *c, const ct_plot_style *st, const char *width, const char *height,
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
    snprintf(out, sizeof out, "%s.%s", ct_chart_base_name(c->rel), ct_plot_format_ext(st->format));
    ct_chart_set_string(b, "set output", out, NULL);
}

void ct_chart_target_value(const ct_assessment *a, ct_plot_lang lang, char *buf, size_t size)
{
    const ct_target *t = a->target;
    ct_chart_num_label(a->target_value, lang, buf, size);
    if (t->form == CT_TF_RANGE && isfinite(t->max) && t->max != t->min) {
        char m[40];
        ct_chart_num_label(t->max, lang, m, sizeof m);
        size_t l = strlen(buf);
        snprintf(buf + l, size - l, "–%s", m);
    }
}

/* The target's text for its label: "75% — 2017", "90–95% — 2020", "100% — 2016–2020". */
void ct_chart_target_label(const ct_assessment *a, ct_plot_lang lang, char *buf, size_t size)
{
    const ct_target *t = a->target;
    int pct = ct_indicator_is_percent(a->ind);
    char v[128];
    ct_chart_target_value(a, lang, v, sizeof v);
    if (t->each_period && t->from && t->to && t->from != t->to)
        snprintf(buf, size, "%s%s — %d–%d", v, pct ? "%" : "", t->from, t->to);
    else
        snprintf(buf, size, "%s%s — %d", v, pct ? "%" : "", a->target_year);
}


void ct_chart_extent_year(ct_chart_extent *e, int y)
{
    if (y < e->y0) e->y0 = y;
    if (y > e->y1) e->y1 = y;
}

void ct_chart_extent_add(ct_chart_extent *e, double v)
{
    if (!isfinite(v)) return;
    if (v < e->lo) e->lo = v;
    if (v > e->hi) e->hi = v;
}

/* A band's bound clipped to what the indicator can be: 0-100 for a
 * percentage, never below 0 for counts. */
static double clip(const ct_indicator *ind, double v)
{
    if (!isfinite(v)) return v;
    if (ct_chart_nonnegative(ind) && v < 0) v = 0;
    if (ct_indicator_is_percent(ind) && v > 100) v = 100;
    return v;
}

/* A band as a datablock: it starts at the latest value (lo = hi), then
 * each year with both bounds, clipped. */
static void band_block(ct_plot_buf *b, const char *name, const ct_plot_series *ps, int last, const int *year,
                       const double *lo, const double *hi, int n)
{
    ct_chart_block_begin(b, name);
    ct_plot_buf_printf(b, "%d ", ps->year[last]);
    ct_chart_num_data(b, ps->value[last]);
    ct_plot_buf_puts(b, " ");
    ct_chart_num_data(b, ps->value[last]);
    ct_plot_buf_puts(b, "\n");
    for (int k = 0; k < n; k++)
        if (isfinite(lo[k]) && isfinite(hi[k])) {
            ct_plot_buf_printf(b, "%d ", year[k]);
            ct_chart_num_data(b, clip(ps->ind, lo[k]));
            ct_plot_buf_puts(b, " ");
            ct_chart_num_data(b, clip(ps->ind, hi[k]));
            ct_plot_buf_puts(b, "\n");
        }
    ct_chart_block_end(b);
}

int ct_chart_band_informative(const ct_plot_series *ps)
{
    double lo = INFINITY, hi = -INFINITY, width = 0;
    for (int k = 0; k < ps->n; k++)
        if (isfinite(ps->value[k])) { lo = fmin(lo, ps->value[k]); hi = fmax(hi, ps->value[k]); }
    for (int k = 0; k < ps->n_assess; k++)
        if (isfinite(ps->assess[k].target_value)) {
            lo = fmin(lo, ps->assess[k].target_value);
            hi = fmax(hi, ps->assess[k].target_value);
        }
    for (int k = 0; k < ps->n_proj; k++) {
        double w = clip(ps->ind, ps->proj_hi[k]) - clip(ps->ind, ps->proj_lo[k]);
        if (isfinite(w) && w > width) width = w;
    }
    double span = hi > lo ? hi - lo : fabs(hi) > 0 ? fabs(hi) : 1;
    return width <= 1.5 * span;
}

void ct_chart_series_extent(const ct_plot_series *ps, ct_chart_extent *e, ct_chart_extent *core)
{
    const ct_plan *plan = ps->plan;
    if (plan->has_baseline) ct_chart_extent_year(e, plan->baseline.year);
    if (plan->horizon) ct_chart_extent_year(e, plan->horizon);
    for (int k = 0; k < ps->n; k++)
        if (isfinite(ps->value[k])) {
            ct_chart_extent_year(e, ps->year[k]);
            ct_chart_extent_add(e, ps->value[k]);
            ct_chart_extent_add(core, ps->value[k]);
        }
    for (int k = 0; k < ps->n_assess; k++) {
        const ct_assessment *a = &ps->assess[k];
        ct_chart_extent_year(e, a->target_year);
        if (a->target->each_period && a->target->from) ct_chart_extent_year(e, a->target->from);
        ct_chart_extent_add(e, a->target_value);
        ct_chart_extent_add(core, a->target_value);
        if (a->target->form == CT_TF_RANGE && isfinite(a->target->max)) {
            ct_chart_extent_add(e, a->target->max);
            ct_chart_extent_add(core, a->target->max);
        }
        ct_chart_extent_add(e, a->baseline_value);
        ct_chart_extent_add(core, a->baseline_value);
    }
    int band = ct_chart_band_informative(ps);
    for (int k = 0; k < ps->n_proj; k++) {
        ct_chart_extent_add(e, ps->proj[k]);
        if (!band) continue;
        ct_chart_extent_add(e, clip(ps->ind, ps->proj_lo[k]));
        ct_chart_extent_add(e, clip(ps->ind, ps->proj_hi[k]));
    }
    for (int k = 0; k < ps->n_band; k++) {
        ct_chart_extent_add(e, ps->band_lo[k]);
        ct_chart_extent_add(e, ps->band_hi[k]);
    }
}

/* x and y ranges and the y tics. */
int ct_chart_axes(const ct_indicator *ind, const ct_chart_extent *e, const ct_chart_extent *core, int small, ct_plot_buf *b)
{
    int y0 = e->y0, y1 = e->y1;
    if (y0 > y1) y0 = y1 = 2020;
    ct_plot_buf_printf(b, "set xrange [%g:%g]\n", y0 - 0.5, y1 + 0.5);
    int span = y1 - y0;
    int step = span > 24 ? 5 : span > 12 ? 2 : 1;
    if (small && span > 4) step = span > 12 ? 5 : 2;
    ct_plot_buf_printf(b, "set xtics %d,%d,%d format \"%%.0f\"\nset mxtics 1\n", y0, step, y1);
    if (ct_indicator_is_percent(ind)) {
        /* a percentage is drawn on 0-100 unless its values and targets all lie
         * high (92 % against 95 %) or low (3 % against 7-10 %): then the axis is
         * zoomed to them, so that the difference that decides the status shows,
         * and the chart says so (ct_chart_zoom_note) */
        double clo = isfinite(core->lo) ? core->lo : 0, chi = isfinite(core->hi) ? core->hi : 100;
        double floor5 = floor((clo - 5) / 5) * 5;
        /* a share above 100 % (more inspected than at risk) keeps the axis open above it */
        double top = chi > 100 ? ceil(chi / 5) * 5 : 100;
        if (floor5 >= top) floor5 = top - 10;
        if (!small && floor5 >= 40) {
            double range = top - floor5;
            int step = range <= 30 ? 5 : 10;
            ct_plot_buf_printf(b, "set yrange [%g:%g]\nset ytics %g,%d,%g format \"%%g%%%%\"\n", floor5,
                               top + range * 0.12, floor5, step, top);
            return 1;
        }
        double ceil5 = ceil((chi * 1.25 + 1) / 5) * 5;
        if (!small && ceil5 <= 50) {
            int step = ceil5 <= 20 ? 2 : ceil5 <= 30 ? 5 : 10;
            ct_plot_buf_printf(b, "set yrange [0:%g]\nset ytics 0,%d,%g format \"%%g%%%%\"\n", ceil5 * 1.12, step, ceil5);
            return 2;
        }
        ct_plot_buf_printf(b, "set yrange [0:%g]\nset ytics 0,%d,%g format \"%%g%%%%\"\n", top * (small ? 1.18 : 1.12),
                           small ? 25 : 20, top);
        return 0;
    }
    double lo = e->lo, hi = e->hi;
    if (!(lo <= hi)) { lo = 0; hi = 1; }
    double cap = core->hi > 0 && isfinite(core->hi) ? core->hi * 1.6 : hi;
    if (hi > cap) hi = cap;
    if (lo > 0 || ct_chart_nonnegative(ind)) lo = 0;   /* counts: never below 0 */
    if (hi <= lo) hi = lo + 1;
    /* counts: whole-number tics, no decimals ("7095", not "7.095") */
    /* a sum of a few (3 television reports a year): whole tics too, never 0.5 */
    int few = ind->kind == CT_KIND_COUNT || (ind->kind == CT_KIND_SUM && hi - lo >= 2);
    const char *fmt = few || (ind->kind == CT_KIND_SUM && hi - lo >= 5) ? "%.0f" : "%g";
    ct_plot_buf_printf(b, "set yrange [%.10g:%.10g]\nset ytics format \"%s\"\n", lo, hi + (hi - lo) * (small ? 0.18 : 0.12), fmt);
    if (few && hi - lo < 8) ct_plot_buf_puts(b, "set ytics 1\n");
    return 0;
}

void ct_chart_block_begin(ct_plot_buf *b, const char *name) { ct_plot_buf_printf(b, "$%s << EOD\n", name); }
void ct_chart_block_end(ct_plot_buf *b) { ct_plot_buf_puts(b, "EOD\n"); }


void ct_chart_series_blocks(const ct_plot_series *ps, const char *sfx, ct_plot_buf *b, ct_chart_blocks *have)
{
    memset(have, 0, sizeof *have);
    char name[64];
    /* reported */
    int last = -1;
    for (int k = 0; k < ps->n; k++)
        /* the year under way is a value so far, drawn as its own point (ct_chart_trajectory) */
        if (isfinite(ps->value[k]) && ps->year[k] != ps->year_under_way) {
            if (!have->obs) { snprintf(name, sizeof name, "obs%s", sfx); ct_chart_block_begin(b, name); }
            have->obs = 1;
            if (last >= 0 && ps->year[k] > ps->year[last] + 1) ct_plot_buf_puts(b, "\n");   /* a missing year: a gap */
            ct_plot_buf_printf(b, "%d ", ps->year[k]);
            ct_chart_num_data(b, ps->value[k]);
            ct_plot_buf_puts(b, "\n");
            last = k;
        }
    if (have->obs) ct_chart_block_end(b);
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
        ct_chart_block_begin(b, name);
        const ct_assessment *a0 = &ps->assess[order[0]];
        /* the path never goes the wrong way: where the baseline (or an earlier
         * target) already beats a target, the plan is to hold that level */
        int dir = ps->ind->direction < 0 ? -1 : 1, have_level = 0;
        double level = 0;
        if (a0->has_baseline && isfinite(a0->baseline_value)) {
            ct_plot_buf_printf(b, "%d ", a0->baseline_period.year);
            ct_chart_num_data(b, a0->baseline_value);
            ct_plot_buf_puts(b, "\n");
            level = a0->baseline_value;
            have_level = 1;
        }
        for (int i = 0; i < no; i++) {
            const ct_assessment *a = &ps->assess[order[i]];
            double v = a->target_value;
            if (have_level && (v - level) * dir < 0) v = level;
            level = v;
            have_level = 1;
            if (a->target->each_period && a->target->from && a->target->from < a->target_year) {
                ct_plot_buf_printf(b, "%d ", a->target->from);
                ct_chart_num_data(b, v);
                ct_plot_buf_puts(b, "\n");
            }
            ct_plot_buf_printf(b, "%d ", a->target_year);
            ct_chart_num_data(b, v);
            ct_plot_buf_puts(b, "\n");
        }
        ct_chart_block_end(b);
        have->plan = 1;
    }
    /* the plan's range targets (7-10 % a year): a band over their span */
    int nr = 0;
    for (int k = 0; k < ps->n_assess; k++) {
        const ct_target *tg = ps->assess[k].target;
        if (tg->form != CT_TF_RANGE || !isfinite(tg->min) || !isfinite(tg->max) || tg->max == tg->min) continue;
        int from = tg->each_period && tg->from ? tg->from : ps->assess[k].target_year;
        if (!nr++) { snprintf(name, sizeof name, "rband%s", sfx); ct_chart_block_begin(b, name); }
        else ct_plot_buf_puts(b, "\n");
        double lo = ps->ind->direction < 0 ? tg->min : tg->min, hi = tg->max;
        if (lo > hi) { double x = lo; lo = hi; hi = x; }
        ct_plot_buf_printf(b, "%g ", from - (from == ps->assess[k].target_year ? 0.3 : 0.0));
        ct_chart_num_data(b, lo);
        ct_plot_buf_puts(b, " ");
        ct_chart_num_data(b, hi);
        ct_plot_buf_printf(b, "\n%g ", ps->assess[k].target_year + (from == ps->assess[k].target_year ? 0.3 : 0.0));
        ct_chart_num_data(b, lo);
        ct_plot_buf_puts(b, " ");
        ct_chart_num_data(b, hi);
        ct_plot_buf_puts(b, "\n");
    }
    if (nr) { ct_chart_block_end(b); have->rband = 1; }
    /* trend and its band, from the latest value */
    int nt = 0, nb = 0;
    for (int k = 0; k < ps->n_proj; k++) {
        if (isfinite(ps->proj[k])) nt++;
        if (isfinite(ps->proj_lo[k]) && isfinite(ps->proj_hi[k])) nb++;
    }
    if (nt > 0 && last >= 0) {
        snprintf(name, sizeof name, "trend%s", sfx);
        ct_chart_block_begin(b, name);
        ct_plot_buf_printf(b, "%d ", ps->year[last]);
        ct_chart_num_data(b, ps->value[last]);
        ct_plot_buf_puts(b, "\n");
        for (int k = 0; k < ps->n_proj; k++)
            if (isfinite(ps->proj[k])) {
                ct_plot_buf_printf(b, "%d ", ps->proj_year[k]);
                ct_chart_num_data(b, ps->proj[k]);
                ct_plot_buf_puts(b, "\n");
            }
        ct_chart_block_end(b);
        have->trend = 1;
    }
    if (nb > 0 && last >= 0 && ct_chart_band_informative(ps)) {
        snprintf(name, sizeof name, "pband%s", sfx);
        band_block(b, name, ps, last, ps->proj_year, ps->proj_lo, ps->proj_hi, ps->n_proj);
        have->pband = 1;
    }
    if (ps->n_band > 0 && last >= 0) {
        snprintf(name, sizeof name, "tband%s", sfx);
        band_block(b, name, ps, last, ps->band_year, ps->band_lo, ps->band_hi, ps->n_band);
        have->tband = 1;
    }
}

/* The transition rates of the plan's band for a share indicator, percent
 * (ct_assess_transition_band: a transition_rate on the same units). */
int ct_chart_band_rates(const ct_plot_series *ps, double *lo, double *hi)
{
    if (!ct_assess_transition_band(ps->plan, ps->ind, lo, hi)) return 0;
    *lo *= 100;
    *hi *= 100;
    return 1;
}

const char *ct_chart_level_word(const char *level, ct_plot_lang lang)
{
    static const char *const map[][3] = {{"national", "toàn quốc", "national"}, {"province", "tỉnh", "province"},
                                         {"district", "huyện", "district"}, {"commune", "xã", "commune"},
                                         {"task", "nhiệm vụ", "task"}};
    for (size_t i = 0; level && i < sizeof map / sizeof *map; i++)
        if (!strcmp(level, map[i][0])) return map[i][lang == CT_PLOT_EN ? 2 : 1];
    return level ? level : "";
}

int ct_chart_nonnegative(const ct_indicator *ind)
{
    return ct_kind_of(ind->kind)->adds_up;   /* units, shares, ratios and sums of counts; a rule's values may be anything */
}

const char *ct_chart_unit_title(const ct_series *s, int u) { return s->name[u] && s->name[u][0] ? s->name[u] : s->code[u]; }


/* One layer of the plot command: "SPEC title 'TITLE'", after the separator. */
void ct_chart_layer(ct_plot_buf *plot, const char **sep, const char *spec, const char *title)
{
    ct_plot_buf_printf(plot, "%s%s title ", *sep, spec);
    ct_plot_gp_string(plot, title);
    *sep = ", \\\n  ";
}

