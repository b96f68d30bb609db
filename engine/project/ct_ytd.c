#include "ct_ytd.h"

#include <ctype.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ct_yearly.h"

int ct_ytd_year(int asof_month)
{
    return asof_month % 12 == 11 ? 0 : asof_month / 12;
}

int ct_ytd_period_type(int asof_month)
{
    switch (asof_month % 12 + 1) {
    case 1: return CT_PT_MONTH;
    case 3: return CT_PT_QUARTER;
    case 6: return CT_PT_HALF;
    default: return -1;
    }
}

static int rolls_up(const ct_plan *plan, const char *name)
{
    const ct_metric_decl *m = name ? ct_plan_metric(plan, name) : NULL;
    return m && (m->over_time == CT_OT_SUM || m->over_time == CT_OT_MAX);
}

/* Whether every plan metric a condition names rolls up by sum or max (and
 * it names at least one). */
static int cond_accumulates(const ct_plan *plan, const char *text)
{
    if (!text) return 0;
    int seen = 0;
    for (const char *p = text; *p;) {
        if (!isalpha((unsigned char)*p) && *p != '_') { p++; continue; }
        const char *b = p;
        while (isalnum((unsigned char)*p) || *p == '_') p++;
        char word[128];
        size_t n = (size_t)(p - b);
        if (n >= sizeof word) return 0;
        memcpy(word, b, n);
        word[n] = '\0';
        if (!ct_plan_metric(plan, word)) continue; /* an attribute or a keyword */
        if (!rolls_up(plan, word)) return 0;
        seen = 1;
    }
    return seen;
}

int ct_ytd_accumulates(const ct_plan *plan, const ct_indicator *ind)
{
    switch (ind->kind) {
    case CT_KIND_SUM: return rolls_up(plan, ind->metric.name);
    case CT_KIND_SHARE:
    case CT_KIND_COUNT: return cond_accumulates(plan, ind->condition.text);
    case CT_KIND_RATIO: return rolls_up(plan, ind->numerator.name) && !rolls_up(plan, ind->denominator.name);
    default: return 0;
    }
}

static int same_period(ct_period a, ct_period b)
{
    return a.year == b.year && a.type == b.type && a.sub == b.sub;
}

static int usable(const ct_cell *c, double min_cov, double *cov)
{
    *cov = NAN;
    if (!(c->flags & CT_ROW_VALUE)) return 0;
    if ((c->flags & CT_ROW_COVER) && c->expected > 0) *cov = (double)c->reported / c->expected;
    return !(isfinite(*cov) && *cov < min_cov - 1e-12);
}

void ct_ytd_read(const ct_plan *plan, const ct_indicator *ind, const ct_grid *g, int i, int asof_month,
                 double min_coverage, ct_ytd *y)
{
    memset(y, 0, sizeof *y);
    y->year = ct_ytd_year(asof_month);
    y->months = asof_month % 12 + 1;
    y->coverage = y->value = NAN;
    y->accumulates = ct_ytd_accumulates(plan, ind);
    int type = ct_ytd_period_type(asof_month);
    if (!y->year || type < 0) return;
    y->has_period = 1;
    y->period = (ct_period){(short)y->year, (unsigned char)type, 0};
    if (!g || i < 0) return;
    const ct_cell *row = &g->cells[(size_t)i * (size_t)g->n_periods];
    double cov;
    for (int j = 0; j < g->n_periods; j++)
        if (same_period(g->periods[j], y->period) && usable(&row[j], min_coverage, &cov)) {
            y->has_value = 1;
            y->value = row[j].value;
            y->coverage = cov;
        }
    /* past complete years: the same months' value over the year's */
    for (int j = 0; j < g->n_periods && y->n_past < CT_YTD_MAX_PAST; j++) {
        ct_period p = g->periods[j];
        if (p.type != type || p.sub != 0 || p.year >= y->year) continue;
        double c1, c2;
        if (!usable(&row[j], min_coverage, &c1)) continue;
        for (int k = 0; k < g->n_periods; k++) {
            ct_period q = g->periods[k];
            if (q.type != CT_PT_YEAR || q.year != p.year) continue;
            if (usable(&row[k], min_coverage, &c2) && row[k].value > 0) {
                y->past_year[y->n_past] = p.year;
                y->share[y->n_past++] = row[j].value / row[k].value;
            }
            break;
        }
    }
}

double ct_ytd_probability(double ytd, double target, int direction, const double *share, int n)
{
    if (n < 2 || !isfinite(ytd) || !isfinite(target)) return NAN;
    double mean = 0, ss = 0;
    for (int k = 0; k < n; k++) mean += share[k];
    mean /= n;
    for (int k = 0; k < n; k++) ss += (share[k] - mean) * (share[k] - mean);
    double sd = sqrt(ss / (n - 1));
    /* the year's end is ytd / s for the year's share s: it meets an
     * increasing target when s <= ytd / target */
    double p_up;
    if (target <= 0) p_up = 1;
    else {
        double cut = ytd / target, scale = sd * sqrt(1 + 1.0 / n);
        p_up = scale > 0 ? gsl_cdf_tdist_P((cut - mean) / scale, n - 1) : (mean <= cut + 1e-12 ? 1 : 0);
    }
    return direction >= 0 ? p_up : 1 - p_up;
}

static void add_note(ct_assessment *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_note(ct_assessment *a, const char *fmt, ...)
{
    size_t len = strlen(a->note);
    if (len + 3 >= sizeof a->note) return;
    if (len) { a->note[len++] = ';'; a->note[len++] = ' '; a->note[len] = '\0'; }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->note + len, sizeof a->note - len, fmt, ap);
    va_end(ap);
}

#define NOTE(a, id, ...) add_note((a), ct_msg((a)->lang, CT_M_##id), __VA_ARGS__)


static int meets(double v, double target, int direction)
{
    return direction >= 0 ? v >= target - 1e-9 : v <= target + 1e-9;
}

void ct_ytd_assess(ct_assessment *a, const ct_ytd *y)
{
    int dir = a->ind->direction;
    a->ratio = a->observed_rate = a->required_rate = a->probability = NAN;
    a->has_latest = 0;
    a->latest_value = NAN;
    a->coverage = y->coverage;
    if (!y->has_period) {
        a->status = "insufficient_data";
        NOTE(a, YTD_NO_PERIOD, y->year, y->months);
        return;
    }
    char when[16];
    snprintf(when, sizeof when, "%d-%02d", y->year, y->months);
    if (!y->has_value) {
        a->status = "insufficient_data";
        NOTE(a, YTD_NO_VALUE, y->year, when);
        return;
    }
    a->has_latest = 1;
    a->latest_period = y->period;
    a->latest_value = y->value;
    if (!isfinite(a->target_value)) {
        a->status = "insufficient_data";
        NOTE(a, NOTE_NO_BASELINE_TARGET, "");
        return;
    }
    double mean = 0;
    for (int k = 0; k < y->n_past; k++) mean += y->share[k];
    if (y->n_past) mean /= y->n_past;
    int profile = y->accumulates && y->n_past >= 2;
    double part = !y->accumulates ? 1 : profile ? mean : y->months / 12.0;
    double expected = a->target_value * part;
    a->ytd = 1;
    a->ytd_expected = expected;
    char vb[32], tb[32], eb[32];
    ct_yearly_note_value(y->value, vb, sizeof vb);
    ct_yearly_note_value(a->target_value, tb, sizeof tb);
    ct_yearly_note_value(expected, eb, sizeof eb);
    a->probability = ct_ytd_probability(y->value, a->target_value, dir, y->share, y->n_past);
    if (meets(y->value, a->target_value, dir) && (dir > 0 || !y->accumulates)) {
        a->status = "achieved";
        NOTE(a, YTD_MEETS, vb, when, tb);
        return;
    }
    if (dir > 0) a->ratio = expected > 0 ? y->value / expected : NAN;
    else a->ratio = y->value > 0 ? expected / y->value : expected > 0 ? INFINITY : NAN;
    if (!isfinite(a->ratio) && a->ratio != INFINITY) {
        a->status = "insufficient_data";
        NOTE(a, YTD_NOTHING_EXPECTED, when);
        return;
    }
    a->status = a->ratio >= 0.95 ? "on_track" : a->ratio >= 0.5 ? "at_risk" : "off_track";
    if (a->ratio == INFINITY) a->ratio = NAN;
    if (!y->accumulates) {
        NOTE(a, YTD_AGAINST, vb, when, tb);
    } else if (profile) {
        int first = y->past_year[0], last = y->past_year[y->n_past - 1];
        char years[24];
        if (first == last) snprintf(years, sizeof years, "%d", first);
        else snprintf(years, sizeof years, "%d-%d", first, last);
        NOTE(a, YTD_PROFILE, vb, tb, when, eb, mean * 100, years);
    } else {
        NOTE(a, YTD_NO_PROFILE, vb,
             tb, when, eb, y->months);
    }
    /* a status and a probability that disagree are both shown, and the note
     * says so (as for a target ahead) */
    if (!isfinite(a->probability)) return;
    if (!strcmp(a->status, "on_track") && a->probability < 0.5) NOTE(a, YTD_ON_TRACK_UNLIKELY, a->probability * 100);
    else if (!strcmp(a->status, "off_track") && a->probability >= 0.5) NOTE(a, YTD_BEHIND_LIKELY, a->probability * 100);
    else NOTE(a, YTD_CHANCE, a->probability * 100);
}
