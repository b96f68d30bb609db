/* What every chart script shares: the words of the charts, the style, the
 * preamble (theme, terminal, output), axes, datablocks. Each kind of chart
 * writes its script with them (ct_chart_trajectory.c, ct_chart_multiples.c,
 * ct_chart_status.c: a new kind goes beside them); ct_plot_script picks the
 * kind. */
#ifndef CT_CHART_H
#define CT_CHART_H

#include "ct_plot_data.h"

/* ---- words ------------------------------------------------------------------------ */

typedef ct_lang ct_plot_lang;
#define CT_PLOT_VI CT_LANG_VI
#define CT_PLOT_EN CT_LANG_EN
typedef enum { CT_PLOT_PNG, CT_PLOT_SVG, CT_PLOT_PDF } ct_plot_format;

/* Parses "vi"/"en" and "png"/"svg"/"pdf"; -1 if unknown. */
int ct_plot_lang_parse(const char *s, ct_plot_lang *out);
int ct_plot_format_parse(const char *s, ct_plot_format *out);
const char *ct_plot_format_ext(ct_plot_format f);

/* The words of a status (achieved, on_track...) in lang; an unknown status
 * (from a Lua rule) is returned as is. Static text. */
const char *ct_plot_status_label(const char *status, ct_plot_lang lang);

/* The theme colour variable of a status ("c_at_risk"; "c_other" if unknown). */
const char *ct_plot_status_var(const char *status);

/* A row's status as a chart shows it (ct_assess_look): its label in lang,
 * and in colour_buf the gnuplot colour: the rule's "\"#rrggbb\"" or the
 * theme's variable. Returns the label. */
const char *ct_plot_row_look(const ct_assessment *a, ct_plot_lang lang, char *colour_buf, size_t size);

/* The contract's statuses (ct_assess_statuses), in summary order; n is set to their number. */
const char *const *ct_plot_statuses(int *n);

typedef struct {
    ct_plot_lang lang;
    ct_plot_format format;
} ct_plot_style;


/* ---- pieces the chart kinds share ---- */

typedef struct {
    const char *reported, *plan, *trend, *band, *target, *transition, *year, *percent, *count, *final_status,
        *status_title, *multiples, *legend_status, *no_data, *range, *zoom_top, *zoom_bottom;
} ct_chart_words;

/* The words of the charts in lang (static). */
const ct_chart_words *ct_chart_words_of(ct_plot_lang l);
/* Index of a contract status, -1 for another (a rule's). */
int ct_chart_status_index(const char *status);
/* A number for a label (ct_lang_number: the language's one rule); for a datablock (plain). */
void ct_chart_num_label(double v, ct_plot_lang lang, char *buf, size_t size);
/* A period in words ("6 tháng đầu năm 2025", ct_lang_period). */
void ct_chart_period(ct_period p, ct_plot_lang lang, char *buf, size_t size);
void ct_chart_num_data(ct_plot_buf *b, double v);
/* Wraps text at spaces into lines of at most width characters (UTF-8 aware). */
void ct_chart_wrap(const char *text, int width, ct_plot_buf *out);
/* "CMD 'TEXT'TAIL\n" with TEXT quoted for gnuplot. */
void ct_chart_set_string(ct_plot_buf *b, const char *cmd, const char *text, const char *tail);
const char *ct_chart_base_name(const char *rel);
/* The start of every script: locating itself, the theme, the terminal, the output. */
void ct_chart_preamble(const ct_chart *c, const ct_plot_style *st, const char *width, const char *height, ct_plot_buf *b);
/* The target's value: "75", or a range "90–95". */
void ct_chart_target_value(const ct_assessment *a, ct_plot_lang lang, char *buf, size_t size);
/* A target's label: "75% — 2017", "90–95% — 2020", "100% — 2016–2020". */
void ct_chart_target_label(const ct_assessment *a, ct_plot_lang lang, char *buf, size_t size);

/* Value and year range of a chart. */
typedef struct {
    double lo, hi;
    int y0, y1;
} ct_chart_extent;
void ct_chart_extent_year(ct_chart_extent *e, int y);
void ct_chart_extent_add(ct_chart_extent *e, double v);
/* Whether a series' 95 % band says something: not wider than 1.5 times the
 * span of its values and targets (a band from 0 to 100 % is left out). */
int ct_chart_band_informative(const ct_plot_series *ps);
/* Adds a series' values, targets, projection and bands to e (core: values and targets only). */
void ct_chart_series_extent(const ct_plot_series *ps, ct_chart_extent *e, ct_chart_extent *core);
/* x and y ranges and tics for an indicator (small: a panel of small multiples).
 * Returns 1 when a percentage axis is zoomed to its top, 2 to its bottom, else 0. */
int ct_chart_axes(const ct_indicator *ind, const ct_chart_extent *e, const ct_chart_extent *core, int small, ct_plot_buf *b);
void ct_chart_block_begin(ct_plot_buf *b, const char *name);
void ct_chart_block_end(ct_plot_buf *b);

/* Which datablocks of a series exist: $obs (a blank line at a missing year),
 * $plan, $trend, $pband, $tband, $rband (the plan's range targets). */
typedef struct {
    int obs, plan, trend, pband, tband, rband;
    double band_lo, band_hi;  /* the transition rates, percent */
} ct_chart_blocks;
/* Writes a series' datablocks, their names suffixed with sfx. */
void ct_chart_series_blocks(const ct_plot_series *ps, const char *sfx, ct_plot_buf *b, ct_chart_blocks *have);
/* The plan's transition rates (percent a year) for a share indicator; 0 if none. */
int ct_chart_band_rates(const ct_plot_series *ps, double *lo, double *hi);
/* A level's name in lang ("province": "tỉnh"); other names as they are. */
const char *ct_chart_level_word(const char *level, ct_plot_lang lang);
/* Whether an indicator's values are never negative (every kind but lua). */
int ct_chart_nonnegative(const ct_indicator *ind);
/* A unit's name, or its code. */
const char *ct_chart_unit_title(const ct_series *s, int u);
/* One layer of a plot command ("SPEC title 'TITLE'") after *sep. */
void ct_chart_layer(ct_plot_buf *plot, const char **sep, const char *spec, const char *title);

#endif
