#include "ct_assess.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../load/ct_kind.h"
#include "ct_trend.h"
#include "ct_yearly.h"
#include "ct_ytd.h"

enum { TREND_HORIZON = 2100 };

const char *const ct_assess_statuses[CT_ASSESS_N_STATUSES] = {
    "achieved", "nearly_achieved", "not_achieved", "on_track", "at_risk",
    "off_track", "deteriorating", "insufficient_data", "not_applicable"};

static const char *const status_vi[CT_ASSESS_N_STATUSES] = {
    "Đạt", "Cơ bản đạt", "Không đạt", "Đúng tiến độ", "Có nguy cơ chậm",
    "Chậm tiến độ", "Đang xấu đi", "Thiếu số liệu", "Không áp dụng"};

static const char *const status_en[CT_ASSESS_N_STATUSES] = {
    "Achieved", "Nearly achieved", "Not achieved", "On track", "At risk",
    "Off track", "Deteriorating", "Insufficient data", "Not applicable"};

static int status_index(const char *status)
{
    for (int i = 0; i < CT_ASSESS_N_STATUSES; i++)
        if (status && !strcmp(status, ct_assess_statuses[i])) return i;
    return -1;
}

const char *ct_assess_status_label(const char *status, ct_lang lang)
{
    int i = status_index(status);
    if (i < 0) return status ? status : "";
    return lang == CT_LANG_EN ? status_en[i] : status_vi[i];
}

const char *ct_assess_look(const ct_assessment *a, ct_lang lang, const char **colour)
{
    if (colour) *colour = a && a->colour[0] ? a->colour : NULL;
    if (a && a->label[0]) return a->label;
    return ct_assess_status_label(a ? a->status : NULL, lang);
}

int ct_assess_status_is_evaluation(const char *status)
{
    int i = status_index(status);
    return i >= 0 && i <= 2;
}

static int meets(double v, double target, int direction)
{
    const double eps = 1e-9;
    return direction >= 0 ? v >= target - eps : v <= target + eps;
}

const char *ct_assess_status_from_ratio(double ratio)
{
    if (ratio >= 0.95) return "on_track";
    if (ratio >= 0.5) return "at_risk";
    if (ratio >= -0.1) return "off_track";
    return "deteriorating";
}

double ct_assess_rate(const ct_indicator *ind, double from, double to, double years)
{
    return ct_indicator_is_percent(ind) ? ct_proj_rate_linear(from, to, years)
                                        : ct_proj_rate_compound(from, to, years);
}

/* ---- notes ----------------------------------------------------------------------- */

void ct_assess_note_append(ct_assessment *a, const char *text)
{
    static const char more[] = "…";
    size_t len = strlen(a->note), n = strlen(text), room = sizeof a->note - 1;
    const size_t ml = sizeof more - 1;
    /* a note with no room for "; " and a character (one already cut is
     * such a note) stays as it is */
    if (len + 2 + ml >= room) return;
    if (len) { a->note[len++] = ';'; a->note[len++] = ' '; }
    if (len + n > room) {
        /* cut at a character's start and say so: never half a character */
        n = room - len - ml;
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80) n--;
        memcpy(a->note + len, text, n);
        memcpy(a->note + len + n, more, sizeof more);
        return;
    }
    memcpy(a->note + len, text, n + 1);
}

static void note_add(ct_assessment *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note_add(ct_assessment *a, const char *fmt, ...)
{
    char buf[sizeof a->note + 8], *text = buf;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n >= sizeof buf && (text = malloc((size_t)n + 1)) != NULL) {
        va_start(ap, fmt);
        vsnprintf(text, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    ct_assess_note_append(a, text ? text : buf);
    if (text != buf) free(text);
}

/* A note in the row's language: both texts take the same arguments. */
/* A note in the assessment's language, its words from the catalogue (CT_MESSAGES). */
#define NOTE(a, id, ...) note_add((a), ct_msg((a)->lang, CT_M_##id), __VA_ARGS__)

static void fmt_num(double v, char *buf)
{
    if (!isfinite(v)) { strcpy(buf, "-"); return; }
    snprintf(buf, 32, "%.4g", v);
}

/* A level's units in a note: "communes" / "xã" (plural), "commune" (not). */
static const char *level_words(const char *level, ct_lang lang, int plural, char *buf, size_t size)
{
    static const char *const vi[][2] = {{"commune", "xã"}, {"district", "huyện"}, {"province", "tỉnh"},
                                        {"national", "toàn quốc"}};
    if (lang == CT_LANG_VI) {
        for (size_t i = 0; i < sizeof vi / sizeof *vi; i++)
            if (!strcmp(level, vi[i][0])) return vi[i][1];
        return level;
    }
    snprintf(buf, size, "%s%s", level, plural ? "s" : "");
    return buf;
}

/* ---- one row --------------------------------------------------------------------- */

typedef struct {
    const ct_series *s;
    const ct_assess_options *opt;
    ct_proj_method method;
    ct_model_kind model;
    const ct_model_pool *pool;    /* the indicator's peers (calibrated) */
    struct trend_cache *cache;    /* the last unit's trend: one fit serves all its targets */
    /* per indicator, for each complete year of the grid: counts for the
     * not-applicable and transition rules (s->n_units ints per year) */
    int n_years, year0;
    int *among_unknown, *from_in, *from_known;
    const ct_ytd *ytd;            /* the unit's year so far, when a target is of the as-of year
                                   * (without a value so far, such a target is monitored on the
                                   * complete years like any other) */
} assess_ctx;

static const int *year_counts(const assess_ctx *c, const int *arr, int year)
{
    if (!arr || year < c->year0 || year >= c->year0 + c->n_years) return NULL;
    return arr + (size_t)(year - c->year0) * (size_t)c->s->n_units;
}

/* The target as a number for this unit. */
static double target_value(const ct_target *t, const ct_yearly *u)
{
    switch (t->form) {
    case CT_TF_VALUE: return t->value;
    case CT_TF_RANGE: return t->min;
    case CT_TF_CHANGE: return u->has_baseline ? u->baseline.value * (1.0 + t->change) : NAN;
    case CT_TF_MAINTAIN: return u->has_baseline ? u->baseline.value : NAN;
    }
    return NAN;
}

static int unit_counting(const ct_indicator *ind) { return ct_kind_of(ind->kind)->counts_units; }

/* The years over which "nothing to count" is judged: the span of an
 * each-period target, else the baseline to the target year; cut at the
 * last complete year. */
static void span_years(const ct_assessment *a, const ct_yearly *u, int *first, int *last)
{
    const ct_target *t = a->target;
    *first = t->each_period ? t->from : a->plan->has_baseline ? a->plan->baseline.year : t->year;
    *last = a->target_year < u->asof_year ? a->target_year : u->asof_year;
    if (*last < *first) *last = *first;
}

/* Rule 1: nothing to count. */
static int not_applicable(ct_assessment *a, const ct_yearly *u, const assess_ctx *c)
{
    const ct_indicator *ind = a->ind;
    if (!unit_counting(ind)) return 0;
    char lw[64];
    const char *units = level_words(ind->of ? ind->of : "unit", a->lang, 0, lw, sizeof lw);
    if (ind->kind == CT_KIND_TRANSITION) {
        int start = a->target->each_period ? a->target->from - 1
                    : a->plan->has_baseline ? a->plan->baseline.year : 0;
        const int *in = year_counts(c, c->from_in, start), *known = year_counts(c, c->from_known, start);
        if (in && known && known[a->unit] > 0 && in[a->unit] == 0) {
            a->status = "not_applicable";
            NOTE(a, NOTE_NONE_TO_TRANSFORM, units, start);
            return 1;
        }
    }
    int first, last, seen = 0;
    span_years(a, u, &first, &last);
    for (int k = 0; k < u->n; k++) {
        const ct_year_value *v = &u->y[k];
        if (v->year < first || v->year > last) continue;
        const int *unknown = year_counts(c, c->among_unknown, v->year);
        if (v->expected > 0 || (unknown && unknown[a->unit] > 0)) return 0;
        seen++;
    }
    if (!seen) return 0;
    a->status = "not_applicable";
    if (ind->among.text)
        NOTE(a, NOTE_NONE_PASSES,
             units, ind->among.text, first, last);
    else
        NOTE(a, NOTE_NONE_TO_COUNT, units, first, last);
    return 1;
}

/* "94.96 against 95: 0.04 points short, 98.5% of the planned progress". */
static void gap_note(ct_assessment *a, const ct_yearly *u, double v, double progress)
{
    int pct = ct_indicator_is_percent(a->ind), dir = a->ind->direction;
    char vb[32], tb[32], gb[32];
    fmt_num(v, vb);
    fmt_num(a->target_value, tb);
    if (pct) snprintf(gb, sizeof gb, "%.2f", fabs(a->target_value - v));
    else fmt_num(fabs(a->target_value - v), gb);
    const char *how = dir > 0 ? ct_msg(a->lang, CT_M_NOTE_SHORT) : ct_msg(a->lang, CT_M_NOTE_OVER);
    const char *pts = pct ? ct_msg(a->lang, CT_M_NOTE_POINTS) : "";
    char gap[96];
    if (a->lang == CT_LANG_EN) snprintf(gap, sizeof gap, "%s%s %s", gb, pts, how);
    else snprintf(gap, sizeof gap, "%s %s%s", how, gb, pts);
    if (isfinite(progress))
        NOTE(a, NOTE_GAP_PROGRESS,
             vb, tb, gap, progress * 100);
    else
        NOTE(a, NOTE_GAP, vb, tb, gap);
    (void)u;
}

/* "reached in 2019, a year late", when a later usable year meets the target. */
static void reached_later_note(ct_assessment *a, const ct_yearly *u)
{
    for (int k = 0; k < u->n; k++) {
        const ct_year_value *v = &u->y[k];
        if (v->year <= a->target_year || !v->usable || !meets(v->value, a->target_value, a->ind->direction)) continue;
        int late = v->year - a->target_year;
        if (late == 1) NOTE(a, NOTE_LATE_1, v->year);
        else NOTE(a, NOTE_LATE_N, v->year, late);
        return;
    }
}

/* The year before the target year had nothing left to transform. */
static int nothing_left(const ct_assessment *a, const assess_ctx *c, int year)
{
    if (a->ind->kind != CT_KIND_TRANSITION) return 0;
    const int *in = year_counts(c, c->from_in, year - 1), *known = year_counts(c, c->from_known, year - 1);
    return in && known && known[a->unit] > 0 && in[a->unit] == 0;
}

static void set_coverage_of_year(ct_assessment *a, const ct_yearly *u, int year)
{
    for (int k = 0; k < u->n; k++)
        if (u->y[k].year == year) { a->coverage = u->y[k].coverage; return; }
}

/* An each-period target whose span is complete: every year must meet it. */
static void evaluate_span(ct_assessment *a, const ct_yearly *u, const assess_ctx *c)
{
    const ct_target *t = a->target;
    int met = 0, missed = 0, years = t->to - t->from + 1;
    char list[300] = "";
    for (int y = t->from; y <= t->to; y++) {
        const ct_year_value *v = ct_yearly_at(u, y);
        if (nothing_left(a, c, y) && !(v && !meets(v->value, a->target_value, a->ind->direction))) { met++; continue; }
        if (!v) continue;
        if (meets(v->value, a->target_value, a->ind->direction)) { met++; continue; }
        missed++;
        size_t len = strlen(list);
        char vb[32];
        fmt_num(v->value, vb);
        snprintf(list + len, sizeof list - len, "%s%d (%s)", len ? ", " : "", y, vb);
    }
    set_coverage_of_year(a, u, t->to);
    a->status = missed ? "not_achieved" : met == years ? "achieved" : "insufficient_data";
    NOTE(a, NOTE_SPAN_MET, met, years, t->from, t->to);
    if (missed) NOTE(a, NOTE_SPAN_MISSED, list);
    else if (met < years) NOTE(a, NOTE_SPAN_NO_VALUE, years - met);
}

/* Rule 2: the target year is complete; judged on that year's own value. */
static void evaluate(ct_assessment *a, const ct_yearly *u, const assess_ctx *c)
{
    a->evaluated = 1;
    if (a->target->each_period) { evaluate_span(a, u, c); return; }
    int ty = a->target_year;
    if (nothing_left(a, c, ty)) {
        a->status = "achieved";
        NOTE(a, NOTE_ALL_TRANSFORMED, ty - 1, ty);
        return;
    }
    set_coverage_of_year(a, u, ty);
    if (!isfinite(a->target_value)) {
        a->status = "insufficient_data";
        NOTE(a, NOTE_NO_BASELINE_TARGET, "");
        return;
    }
    const ct_year_value *v = ct_yearly_at(u, ty);
    if (!v) {
        a->status = "insufficient_data";
        NOTE(a, NOTE_NO_VALUE_YEAR, ty);
        reached_later_note(a, u);
        return;
    }
    int dir = a->ind->direction;
    if (meets(v->value, a->target_value, dir)) {
        char vb[32], tb[32];
        fmt_num(v->value, vb);
        fmt_num(a->target_value, tb);
        a->status = "achieved";
        NOTE(a, NOTE_MEETS, ty, vb, tb);
        return;
    }
    double progress = NAN;
    if (u->has_baseline && (a->target_value - u->baseline.value) * dir > 0)
        progress = (v->value - u->baseline.value) / (a->target_value - u->baseline.value) + 0.0;
    if (progress == 0) progress = 0; /* no "-0.0%" */
    a->status = isfinite(progress) && progress >= CT_ASSESS_NEARLY - 1e-12 ? "nearly_achieved" : "not_achieved";
    gap_note(a, u, v->value, progress);
    reached_later_note(a, u);
}

/* Monitoring of an each-period target whose span has begun. */
static void monitor_span(ct_assessment *a, const ct_yearly *u, const assess_ctx *c)
{
    const ct_target *t = a->target;
    int met = 0, seen = 0, last_met = -1, last_year = 0;
    char list[300] = "";
    for (int y = t->from; y <= t->to && y <= u->asof_year; y++) {
        const ct_year_value *v = ct_yearly_at(u, y);
        int ok;
        if (v) ok = meets(v->value, a->target_value, a->ind->direction);
        else if (nothing_left(a, c, y)) ok = 1;
        else continue;
        seen++;
        last_met = ok;
        last_year = y;
        if (ok) { met++; continue; }
        size_t len = strlen(list);
        char vb[32];
        fmt_num(v ? v->value : NAN, vb);
        snprintf(list + len, sizeof list - len, "%s%d (%s)", len ? ", " : "", y, vb);
    }
    if (!seen) {
        a->status = "insufficient_data";
        NOTE(a, NOTE_SPAN_NONE_YET, t->from, t->to);
        return;
    }
    set_coverage_of_year(a, u, last_year);
    a->status = met == seen ? "on_track" : last_met ? "at_risk" : "off_track";
    NOTE(a, NOTE_SPAN_MET_SO_FAR, met, seen, t->from,
         t->to);
    if (list[0]) NOTE(a, NOTE_SPAN_MISSED, list);
}

/* Rule 3: the target year is ahead; UNSD progress ratio on the latest
 * complete year against the baseline. */
static void monitor(ct_assessment *a, const ct_yearly *u, const assess_ctx *c)
{
    const ct_target *t = a->target;
    if (t->each_period && u->asof_year >= t->from) { monitor_span(a, u, c); return; }
    if (a->has_latest) set_coverage_of_year(a, u, a->latest_period.year);
    if (!isfinite(a->target_value)) {
        a->status = "insufficient_data";
        NOTE(a, NOTE_NO_BASELINE_TARGET, "");
        return;
    }
    int dir = a->ind->direction;
    if (a->has_latest && meets(a->latest_value, a->target_value, dir)) {
        char vb[32];
        fmt_num(a->latest_value, vb);
        a->status = "achieved";
        NOTE(a, NOTE_ALREADY_MEETS,
             a->latest_period.year, vb);
        return;
    }
    if (!u->has_baseline) {
        a->status = "insufficient_data";
        NOTE(a, NOTE_NO_BASELINE, "");
        return;
    }
    int since = 0;
    for (int k = 0; k < u->n; k++)
        if (u->y[k].usable && u->y[k].t >= u->baseline.t - 1e-9) since++;
    double tb = u->baseline.t, obs_years = a->has_latest ? (a->latest_period.year - tb) : 0;
    if (since < 2 || obs_years <= 0) {
        a->status = "insufficient_data";
        NOTE(a, NOTE_TOO_FEW, "");
        return;
    }
    int year = t->each_period ? t->from : t->year;
    double req_years = year - tb;
    a->observed_rate = ct_assess_rate(a->ind, u->baseline.value, a->latest_value, obs_years);
    a->required_rate = ct_assess_rate(a->ind, u->baseline.value, a->target_value, req_years);
    if (!isfinite(a->observed_rate) || !isfinite(a->required_rate)) {
        a->status = "insufficient_data";
        NOTE(a, NOTE_NEGATIVE, "");
        return;
    }
    if (a->required_rate * dir <= 0) {
        a->status = "deteriorating";
        NOTE(a, NOTE_NO_LONGER_MET, "");
        return;
    }
    a->ratio = a->observed_rate / a->required_rate;
    a->status = ct_assess_status_from_ratio(a->ratio);
}

/* Whether a share of units has a yearly transition band in its plan (the
 * same units moving into the share's condition): its rates as fractions. */
static int same_condition(const char *x, const char *y)
{
    for (;;) {
        while (*x && isspace((unsigned char)*x)) x++;
        while (*y && isspace((unsigned char)*y)) y++;
        if (*x != *y) return 0;
        if (!*x) return 1;
        x++;
        y++;
    }
}

const ct_indicator *ct_assess_transition_band(const ct_plan *plan, const ct_indicator *ind, double *lo, double *hi)
{
    if (ind->kind != CT_KIND_SHARE || !ind->condition.text || !ind->of) return NULL;
    for (size_t i = 0; i < plan->n_indicators; i++) {
        const ct_indicator *tr = &plan->indicators[i];
        if (tr->kind != CT_KIND_TRANSITION || !tr->to.text || !tr->of || strcmp(tr->of, ind->of) != 0) continue;
        if (!same_condition(tr->to.text, ind->condition.text)) continue;
        if (!!tr->among.text != !!ind->among.text || (tr->among.text && !same_condition(tr->among.text, ind->among.text)))
            continue;
        for (size_t j = 0; j < tr->n_targets; j++) {
            const ct_target *t = &tr->targets[j];
            if (t->form == CT_TF_RANGE) {
                *lo = t->min / 100.0;
                *hi = isfinite(t->max) ? t->max / 100.0 : *lo;
                return tr;
            }
            if (t->form == CT_TF_VALUE) {
                *lo = *hi = t->value / 100.0;
                return tr;
            }
        }
    }
    return NULL;
}

static void band_note(ct_assessment *a)
{
    double lo, hi;
    if (!a->has_latest || a->target_year <= a->latest_period.year) return;
    if (!ct_assess_transition_band(a->plan, a->ind, &lo, &hi)) return;
    ct_proj_fit band;
    ct_proj_fit_transition(a->latest_value, a->latest_period.year, lo, hi, &band);
    double m, plo, phi;
    ct_proj_at(&band, a->target_year, &m, &plo, &phi);
    char b1[32], b2[32];
    fmt_num(plo, b1);
    fmt_num(phi, b2);
    NOTE(a, NOTE_BAND, lo * 100, hi * 100, b1, b2, a->target_year);
}

/* The trend: projection at the target year, the year it meets the target,
 * and the probability that the target year meets it. */
struct trend_cache {
    int unit;
    ct_trend t;
};

static void trend(ct_assessment *a, const ct_yearly *u, const assess_ctx *c)
{
    if (c->cache->unit != a->unit) {
        ct_trend_fit(&c->cache->t, u, a->ind, c->s, c->model, c->method, c->pool, a->unit);
        c->cache->unit = a->unit;
    }
    const ct_trend *fit = &c->cache->t;
    a->method = fit->method;
    a->points = fit->n;
    ct_trend_at(fit, a->target_year, &a->projected, &a->lower, &a->upper);
    if (!isfinite(a->target_value) || !fit->ok || !a->has_latest) return;
    if (!a->evaluated) a->probability = ct_trend_probability(fit, a->target_year, a->target_value, a->ind->direction);
    if (meets(a->latest_value, a->target_value, a->ind->direction)) {
        a->met_year = a->latest_period.year;
        return;
    }
    a->met_year = ct_trend_met_year(fit, a->target_value, a->ind->direction, a->latest_period.year + 1, TREND_HORIZON);
}

static void trend_notes(ct_assessment *a)
{
    if (a->evaluated || !strcmp(a->status, "achieved") || !strcmp(a->status, "not_applicable")) return;
    if (!a->target->each_period && a->points >= 2 && isfinite(a->target_value) && a->has_latest) {
        if (a->met_year) NOTE(a, NOTE_TREND_MEETS, a->met_year);
        else NOTE(a, NOTE_TREND_NOT, TREND_HORIZON);
    }
    if (!isfinite(a->probability)) return;
    int pct = (int)lround(a->probability * 100);
    int good = !strcmp(a->status, "on_track"), bad = !strcmp(a->status, "off_track") || !strcmp(a->status, "deteriorating");
    if (good && a->probability < 0.5)
        NOTE(a, NOTE_ON_TRACK_UNLIKELY, pct, a->target_year);
    else if (bad && a->probability >= 0.5)
        NOTE(a, NOTE_BEHIND_LIKELY, pct, a->target_year);
}


/* "set aside for coverage below 80%: 2021-2025: 67 of 987 communes reported". */
static void set_aside_note(ct_assessment *a, const ct_yearly *u, const char *level, double min_coverage)
{
    char text[400] = "", lw[64];
    size_t len = 0;
    const char *units = level_words(level, a->lang, 1, lw, sizeof lw);
    for (int k = 0; k < u->n && len < sizeof text - 1; k++) {
        const ct_year_value *v = &u->y[k];
        if (!v->set_aside || v->part_months) continue;
        int j = k;
        while (j + 1 < u->n && u->y[j + 1].set_aside && u->y[j + 1].year == u->y[j].year + 1 &&
               u->y[j + 1].reported == v->reported && u->y[j + 1].expected == v->expected)
            j++;
        char years[32];
        if (j > k) snprintf(years, sizeof years, "%d-%d", v->year, u->y[j].year);
        else snprintf(years, sizeof years, "%d", v->year);
        len += (size_t)snprintf(text + len, sizeof text - len, ct_msg(a->lang, CT_M_NOTE_REPORTED),
                                len ? ", " : "", years, v->reported, v->expected, units);
        k = j;
    }
    if (len) NOTE(a, NOTE_SET_ASIDE_COVERAGE,
                  min_coverage * 100, text);
}

/* "2025: 6 of 12 months, until the unit closed in 2025-06": a sum over part
 * of a year, set aside (ct_yearly_partial). */
static void partial_note(ct_assessment *a, const ct_yearly *u)
{
    for (int k = 0; k < u->n; k++) {
        const ct_year_value *v = &u->y[k];
        if (v->completed) {
            int m = v->part_last + 1;
            NOTE(a, NOTE_COMPLETED, v->year, m / 12,
                 m % 12 + 1, v->completed);
            continue;
        }
        if (!v->part_months) continue;
        int closed = v->part_last < v->year * 12 + 11;
        int m = closed ? v->part_last : v->part_first;
        char when[16];
        snprintf(when, sizeof when, "%d-%02d", m / 12, m % 12 + 1);
        if (v->part_units)
            note_add(a, ct_msg(a->lang, closed ? CT_M_NOTE_PART_UNITS_CLOSED : CT_M_NOTE_PART_UNITS_BEGAN), v->year,
                     v->part_months, when);
        else if (closed)
            NOTE(a, NOTE_PART_UNIT_CLOSED, v->year, v->part_months, when);
        else
            NOTE(a, NOTE_PART_UNIT_BEGAN, v->year, v->part_months, when);
    }
}

static void upper_aim_note(ct_assessment *a, const ct_yearly *u)
{
    const ct_target *t = a->target;
    if (t->form != CT_TF_RANGE || !isfinite(t->max)) return;
    const ct_year_value *v = a->evaluated ? ct_yearly_at(u, a->target_year) : NULL;
    double value = a->evaluated ? (v ? v->value : NAN) : a->latest_value;
    if (!isfinite(value)) return;
    char mb[32];
    fmt_num(t->max, mb);
    if (meets(value, t->max, a->ind->direction)) NOTE(a, NOTE_AIM_REACHED, mb);
    else NOTE(a, NOTE_AIM, mb);
}

static void assess_one(ct_assessment *a, const ct_yearly *u, const assess_ctx *c)
{
    const ct_target *t = a->target;
    double min_cov = c->opt && c->opt->min_coverage > 0 ? c->opt->min_coverage : CT_ASSESS_MIN_COVERAGE;
    a->target_year = t->each_period ? t->to : t->year;
    a->target_value = target_value(t, u);
    if (t->form == CT_TF_CHANGE && ct_indicator_is_percent(a->ind) && a->target_value > 100) {
        /* a percentage cannot pass 100%: the plan's "+150%" of a baseline of
         * 100% asks for all of it, and reaching 100% meets it (said in the note) */
        char bb[32], cb[32];
        fmt_num(u->baseline.value, bb);
        fmt_num(t->change * 100, cb);
        NOTE(a, NOTE_CAPPED, bb, cb);
        a->target_value = 100;
    }
    a->has_baseline = u->has_baseline;
    a->baseline_value = u->has_baseline ? u->baseline.value : NAN;
    a->baseline_period = u->baseline_period;
    a->observed_rate = a->required_rate = a->ratio = NAN;
    a->projected = a->lower = a->upper = a->probability = a->coverage = NAN;
    a->latest_value = NAN;
    int from = a->plan->has_baseline ? a->plan->baseline.year : 0;
    int k = ct_yearly_latest(u, from);
    if (k >= 0) {
        a->has_latest = 1;
        a->latest_value = u->y[k].value;
        a->latest_period = (ct_period){(short)u->y[k].year, CT_PT_YEAR, 0};
    }
    a->evaluated = ct_yearly_complete(a->target_year, u->asof_month);
    const ct_year_value *yv = a->evaluated && !t->each_period ? ct_yearly_at(u, a->target_year) : NULL;
    a->year_value = yv ? yv->value : NAN;
    trend(a, u, c);
    if (!not_applicable(a, u, c)) {
        if (!a->evaluated && c->ytd && c->ytd->has_value && !t->each_period && t->year == c->ytd->year) {
            ct_ytd_assess(a, c->ytd); /* the current year: monitored on the year so far */
            set_aside_note(a, u, c->s->level_name[a->ind->base_level], min_cov);
        } else {
        if (a->evaluated) evaluate(a, u, c);
        else monitor(a, u, c);
        if (!a->evaluated && strcmp(a->status, "achieved") != 0) band_note(a);
        upper_aim_note(a, u);
        trend_notes(a);
        set_aside_note(a, u, c->s->level_name[a->ind->base_level], min_cov);
        partial_note(a, u);
        }
    }
    if (!strcmp(a->status, "not_applicable")) a->probability = a->coverage = NAN;
    if (a->evaluated) a->probability = NAN;
    char geo[400];
    ct_compute_geo_note(a->plan, a->ind, c->s, a->unit, a->lang, geo, sizeof geo);
    if (geo[0]) note_add(a, "%s", geo);
}

/* Per-indicator counts for the not-applicable and transition rules, for
 * every complete year of the grid. */
static ct_status indicator_counts(const ct_plan *plan, const ct_indicator *ind, const ct_grid *g, int asof_month,
                                  assess_ctx *c)
{
    c->n_years = 0;
    if (!unit_counting(ind) || g->n_periods == 0) return CT_OK;
    int y0 = g->periods[0].year - 1, y1 = g->periods[g->n_periods - 1].year;
    c->year0 = y0;
    c->n_years = y1 - y0 + 1;
    size_t n = (size_t)c->n_years * (size_t)c->s->n_units;
    c->among_unknown = calloc(n, sizeof(int));
    int tr = ind->kind == CT_KIND_TRANSITION;
    if (tr) {
        c->from_in = calloc(n, sizeof(int));
        c->from_known = calloc(n, sizeof(int));
    }
    if (!c->among_unknown || (tr && (!c->from_in || !c->from_known))) return CT_ENOMEM;
    for (int y = y0; y <= y1; y++) {
        if (!ct_yearly_complete(y, asof_month)) break;
        ct_period p = {(short)y, CT_PT_YEAR, 0};
        size_t off = (size_t)(y - y0) * (size_t)c->s->n_units;
        ct_status st = ct_compute_base_counts(plan, ind, c->s, p, c->among_unknown + off,
                                              tr ? c->from_in + off : NULL, tr ? c->from_known + off : NULL);
        if (st != CT_OK) return st;
    }
    return CT_OK;
}

static void counts_free(assess_ctx *c)
{
    free(c->among_unknown);
    free(c->from_in);
    free(c->from_known);
    c->among_unknown = c->from_in = c->from_known = NULL;
}

/* Rows: the region and the units in it at or above the indicator's level,
 * except, for a unit-counting kind, units at or below the counted level (a
 * share of communes says nothing about one commune). */
static int row_applies(const ct_series *s, const ct_indicator *ind, int unit)
{
    if (!unit_counting(ind) || ind->of_level < 0) return 1;
    int l = s->level[unit];
    return l != ind->of_level && !s->level_above[l * s->n_levels + ind->of_level];
}

/* Whether a target of the indicator is of the as-of year, still incomplete. */
static int has_current_year_target(const ct_indicator *ind, int asof_month)
{
    int y = ct_ytd_year(asof_month);
    for (size_t j = 0; y && j < ind->n_targets; j++)
        if (!ind->targets[j].each_period && ind->targets[j].year == y) return 1;
    return 0;
}

/* The row of unit in grid g (most often at the same index k). */
static int grid_row(const ct_grid *g, int unit, int k)
{
    if (k < g->n_units && g->units[k] == unit) return k;
    for (int i = 0; i < g->n_units; i++)
        if (g->units[i] == unit) return i;
    return -1;
}

ct_status ct_assess_plan(const ct_plan *plan, const ct_series *s, const ct_compute_filter *filter,
                         const ct_assess_options *opt, ct_assess_fn fn, void *ctx)
{
    ct_compute_filter f = filter ? *filter : (ct_compute_filter){-1, -1, -1};
    /* years, and the baseline's own period when it is finer */
    f.finest = plan->has_baseline ? plan->baseline.type : CT_PT_YEAR;
    int asof = ct_series_asof_month(s);
    double min_cov = opt && opt->min_coverage > 0 ? opt->min_coverage : CT_ASSESS_MIN_COVERAGE;
    ct_yearly *u = malloc(sizeof *u);
    struct trend_cache *cache = malloc(sizeof *cache);
    if (!u || !cache) { free(u); free(cache); return CT_ENOMEM; }
    ct_status st = CT_OK;
    for (size_t i = 0; st == CT_OK && i < plan->n_indicators; i++) {
        const ct_indicator *ind = &plan->indicators[i];
        if (ind->n_targets == 0) continue;
        cache->unit = -1;
        ct_grid g;
        st = ct_compute_grid(plan, ind, s, &f, &g);
        if (st != CT_OK) break;
        ct_model_kind model = opt ? opt->model : CT_MODEL_CALIBRATED;
        ct_model_pool pool;
        assess_ctx c = {s, opt, opt ? opt->method : CT_PM_AUTO, model, &pool, cache, 0, 0, NULL, NULL, NULL, NULL};
        st = ct_trend_pool(plan, ind, s, &g, &f, asof, min_cov, model, row_applies, &pool);
        if (st == CT_OK) st = indicator_counts(plan, ind, &g, asof, &c);
        /* a target of the as-of year, not complete: the year so far, on a grid of its finer periods */
        ct_grid yg = {0};
        int has_yg = 0;
        ct_ytd ytd;
        if (st == CT_OK && has_current_year_target(ind, asof) && ct_ytd_period_type(asof) >= 0) {
            ct_compute_filter yf = f;
            yf.finest = ct_ytd_period_type(asof);
            st = ct_compute_grid(plan, ind, s, &yf, &yg);
            has_yg = st == CT_OK;
        }
        for (int k = 0; st == CT_OK && k < g.n_units; k++) {
            if (!row_applies(s, ind, g.units[k])) continue;
            ct_yearly_read(plan, &g, k, asof, min_cov, u);
            ct_yearly_partial(u, ind, s, g.units[k], g.units[k] == plan->region_unit);
            c.ytd = NULL;
            if (has_current_year_target(ind, asof)) {
                int r = has_yg ? grid_row(&yg, g.units[k], k) : -1;
                ct_ytd_read(plan, ind, r >= 0 ? &yg : NULL, r, asof, min_cov, &ytd);
                c.ytd = &ytd;
            }
            for (size_t j = 0; j < ind->n_targets; j++) {
                if (!ct_target_applies(ind, &ind->targets[j], g.units[k])) continue;
                ct_assessment a;
                memset(&a, 0, sizeof a);
                a.plan = plan;
                a.ind = ind;
                a.target = &ind->targets[j];
                a.unit = g.units[k];
                a.lang = opt ? opt->lang : CT_LANG_VI;
                a.geography = opt && opt->geography ? opt->geography : "as-reported";
                assess_one(&a, u, &c);
                if (opt && opt->custom) opt->custom(opt->custom_ctx, &a);
                if (fn(&a, ctx) != 0) { st = CT_EIO; break; }
            }
        }
        counts_free(&c);
        ct_model_pool_free(&pool);
        if (has_yg) ct_grid_free(&yg);
        ct_grid_free(&g);
    }
    free(u);
    free(cache);
    return st;
}

/* ---- projections ----------------------------------------------------------------- */

ct_status ct_assess_project(const ct_plan *plan, const ct_series *s, const ct_compute_filter *filter,
                            ct_proj_method method, ct_model_kind model, int to_year, double min_coverage, ct_project_fn fn, void *ctx)
{
    ct_compute_filter f = filter ? *filter : (ct_compute_filter){-1, -1, -1};
    f.finest = CT_PT_YEAR;
    int asof = ct_series_asof_month(s);
    if (!(min_coverage > 0)) min_coverage = CT_ASSESS_MIN_COVERAGE;
    ct_yearly *u = malloc(sizeof *u);
    if (!u) return CT_ENOMEM;
    ct_status st = CT_OK;
    for (size_t i = 0; st == CT_OK && i < plan->n_indicators; i++) {
        const ct_indicator *ind = &plan->indicators[i];
        ct_grid g;
        st = ct_compute_grid(plan, ind, s, &f, &g);
        if (st != CT_OK) break;
        double lo = 0, hi = 0;
        int band = method == CT_PM_TRANSITION && ct_assess_transition_band(plan, ind, &lo, &hi);
        ct_model_pool pool;
        ct_model_pool_init(&pool);
        if (!band) st = ct_trend_pool(plan, ind, s, &g, &f, asof, min_coverage, model, NULL, &pool);
        for (int k = 0; st == CT_OK && k < g.n_units; k++) {
            ct_yearly_read(plan, &g, k, asof, min_coverage, u);
            ct_yearly_partial(u, ind, s, g.units[k], g.units[k] == plan->region_unit);
            int last = ct_yearly_latest(u, 0);
            if (last < 0) continue;
            ct_trend fit;
            ct_projection pr = {plan, ind, g.units[k], CT_PM_LINEAR, 0, NAN, NAN, NAN, 0, {0, 0, 0}, NAN};
            pr.last_period = (ct_period){(short)u->y[last].year, CT_PT_YEAR, 0};
            pr.last_value = u->y[last].value;
            if (band) {
                /* a transition band is a scenario of the plan, not a fitted model */
                fit.model = CT_MODEL_OLS;
                ct_proj_fit_transition(pr.last_value, pr.last_period.year, lo, hi, &fit.ols);
                fit.method = fit.ols.method;
                fit.n = fit.ols.n;
            } else {
                ct_trend_fit(&fit, u, ind, s, model, method, &pool, g.units[k]);
            }
            pr.method = fit.method;
            pr.points = fit.n;
            for (int y = pr.last_period.year + 1; y <= to_year; y++) {
                pr.year = y;
                ct_trend_at(&fit, y, &pr.projected, &pr.lower, &pr.upper);
                if (fn(&pr, ctx) != 0) { st = CT_EIO; break; }
            }
        }
        ct_model_pool_free(&pool);
        ct_grid_free(&g);
    }
    free(u);
    return st;
}
