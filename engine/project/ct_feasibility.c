#include "ct_feasibility.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct_assess.h"
#include "ct_yearly.h"

typedef struct {
    int year;
    double value;
} milestone;

/* The region's yearly values as the assessment reads them. */
typedef struct {
    int ok;                  /* a usable baseline value */
    double baseline, num0, den0;
    int baseline_year;
    int has_latest;
    double latest;
    int latest_year;
    ct_yearly u;
} region_values;

static ct_status region_of(const ct_plan *plan, const ct_indicator *ind, const ct_series *s, double min_cov,
                           region_values *rv)
{
    memset(rv, 0, sizeof *rv);
    if (!s || !plan->has_baseline || ind->base_level < 0) return CT_OK;
    ct_compute_filter f = {-1, plan->region_unit, CT_PT_YEAR};
    ct_grid g;
    ct_status st = ct_compute_grid(plan, ind, s, &f, &g);
    if (st != CT_OK) return st;
    if (g.n_units > 0) ct_yearly_read(plan, &g, 0, ct_series_asof_month(s), min_cov, &rv->u);
    ct_grid_free(&g);
    const ct_yearly *u = &rv->u;
    if (!u->has_baseline) return CT_OK;
    rv->ok = 1;
    rv->baseline = u->baseline.value;
    rv->num0 = u->baseline.num;
    rv->den0 = u->baseline.den;
    rv->baseline_year = u->baseline_period.year;
    int k = ct_yearly_latest(u, rv->baseline_year + 1);
    if (k >= 0) {
        rv->has_latest = 1;
        rv->latest = u->y[k].value;
        rv->latest_year = u->y[k].year;
    }
    return CT_OK;
}

static int emit(ct_finding_fn fn, void *ctx, const ct_plan *plan, const ct_indicator *ind, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int emit(ct_finding_fn fn, void *ctx, const ct_plan *plan, const ct_indicator *ind, const char *fmt, ...)
{
    /* sized by what it holds: a finding quotes ids and titles of any length */
    char small[900], *text = small;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return 0;
    if ((size_t)n >= sizeof small && (text = malloc((size_t)n + 1)) != NULL) {
        va_start(ap, fmt);
        vsnprintf(text, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    int r = fn(plan, ind, text ? text : small, ctx);
    if (text && text != small) free(text);
    return r;
}

/* The findings' words are the catalogue's (CT_MESSAGES in ct_lang.h). */
#define M(lang, id) ct_msg(lang, CT_M_##id)

#define EMIT(lang, id, ...) emit(fn, ctx, plan, ind, M(lang, id), __VA_ARGS__)

/* The region's milestones: plan-wide targets and the region's own `unit:` ones. */
static int collect_milestones(const ct_indicator *ind, int region, milestone *m, int max)
{
    int n = 0;
    for (size_t j = 0; j < ind->n_targets && n < max; j++) {
        const ct_target *t = &ind->targets[j];
        if (t->unit ? t->unit_index != region || region < 0 : !ct_target_applies(ind, t, region)) continue;
        if (t->each_period || (t->form != CT_TF_VALUE && t->form != CT_TF_RANGE)) continue;
        m[n].year = t->year;
        m[n].value = t->form == CT_TF_VALUE ? t->value : t->min;
        n++;
    }
    for (int a = 1; a < n; a++)
        for (int b = a; b > 0 && m[b].year < m[b - 1].year; b--) {
            milestone tmp = m[b];
            m[b] = m[b - 1];
            m[b - 1] = tmp;
        }
    return n;
}

/* A pace as printed: "+5.57 points" for percentages, "+3.2%" for the rest. */
static void pace_text(const ct_indicator *ind, double rate, ct_lang lang, char *buf, size_t size)
{
    if (ct_indicator_is_percent(ind))
        snprintf(buf, size, M(lang, FEAS_POINTS), rate >= 0 ? "+" : "", rate);
    else
        snprintf(buf, size, "%s%.3g%%", rate >= 0 ? "+" : "", rate * 100);
}

/* A milestone's year judged as the assessment judges it (ct_assess): met,
 * nearly met (at least CT_ASSESS_NEARLY of the way from the baseline), or
 * missed, so that a finding never says "missed" beside "nearly achieved". */
static const char *year_verdict(const ct_indicator *ind, const region_values *rv, double value, double target,
                                ct_lang lang)
{
    int dir = ind->direction;
    if ((value - target) * dir >= -1e-9) return M(lang, FEAS_MET);
    if ((target - rv->baseline) * dir > 0 &&
        (value - rv->baseline) / (target - rv->baseline) >= CT_ASSESS_NEARLY - 1e-12)
        return M(lang, FEAS_NEARLY);
    return M(lang, FEAS_MISSED);
}

/* When the observed pace from the latest value reaches a milestone. */
static void reach_text(const ct_indicator *ind, const region_values *rv, double observed, const milestone *m,
                       ct_lang lang, char *buf, size_t size)
{
    int dir = ind->direction;
    double gap = m->value - rv->latest;
    const ct_year_value *then = ct_yearly_at(&rv->u, m->year);
    size_t len = 0;
    char vb[32];
    buf[0] = '\0';
    if (then)
        len = (size_t)snprintf(buf, size, M(lang, FEAS_YEAR_VALUE), m->year, ct_yearly_note_value(then->value, vb, sizeof vb),
                               year_verdict(ind, rv, then->value, m->value, lang));
    if (len >= size) return;
    if (then && (then->value - m->value) * dir >= -1e-9) {
        /* met in its year: what matters now is whether it still holds */
        if (rv->latest_year > m->year)
            snprintf(buf + len, size - len, gap * dir <= 0 ? M(lang, FEAS_STILL_MET) : M(lang, FEAS_NO_LONGER),
                     rv->latest_year, ct_yearly_note_value(rv->latest, vb, sizeof vb));
        return;
    }
    if (gap * dir <= 0) {
        snprintf(buf + len, size - len, M(lang, FEAS_REACHED_BY), rv->latest_year, ct_yearly_note_value(rv->latest, vb, sizeof vb));
    } else if (observed * dir > 0) {
        double years = ct_indicator_is_percent(ind) ? gap / observed : log(m->value / rv->latest) / log(1 + observed);
        int when = rv->latest_year + (int)ceil(years - 1e-9);
        snprintf(buf + len, size - len, M(lang, FEAS_REACHED_IN), when, when > m->year ? M(lang, FEAS_LATE) : "");
    } else {
        snprintf(buf + len, size - len, "%s", M(lang, FEAS_NEVER));
    }
}

static int milestone_findings(const ct_plan *plan, const ct_indicator *ind, const region_values *rv, ct_lang lang,
                              ct_finding_fn fn, void *ctx)
{
    milestone m[32];
    int n = collect_milestones(ind, plan->region_unit, m, 32), rc = 0, dir = ind->direction;
    for (int k = 1; k < n && !rc; k++)
        if ((m[k].value - m[k - 1].value) * dir < 0)
            rc = EMIT(lang, FEAS_INCONSISTENT, m[k].value, m[k].year, dir > 0 ? M(lang, FEAS_LOWER) : M(lang, FEAS_HIGHER),
                      m[k - 1].value, m[k - 1].year);
    if (n == 0 || !rv->ok || rc) return rc;
    double observed = rv->has_latest ? ct_assess_rate(ind, rv->baseline, rv->latest, rv->latest_year - rv->baseline_year) : NAN;
    double before = NAN;
    int before_year = 0;
    for (int j = 0; !rv->has_latest && j < rv->u.n; j++) {
        const ct_year_value *v = &rv->u.y[j];
        if (!v->usable || v->year >= rv->baseline_year) continue;
        before_year = v->year;
        before = ct_assess_rate(ind, v->value, rv->baseline, rv->baseline_year - v->year);
        break;
    }
    for (int k = 0; k < n && !rc; k++) {
        /* the assessment's required rate: from the baseline */
        double need = ct_assess_rate(ind, rv->baseline, m[k].value, m[k].year - rv->baseline_year);
        if (!isfinite(need)) continue;
        char bb[32];
        if ((m[k].value - rv->baseline) * dir < -1e-9) {
            /* below its own starting point: met already, but a falling planned path */
            rc = EMIT(lang, FEAS_AGAINST, m[k].value, m[k].year, ct_yearly_note_value(rv->baseline, bb, sizeof bb), rv->baseline_year,
                      dir > 0 ? M(lang, FEAS_BELOW) : M(lang, FEAS_ABOVE));
            continue;
        }
        if (need * dir <= 0) {
            rc = EMIT(lang, FEAS_MET_ALREADY, m[k].value, m[k].year, ct_yearly_note_value(rv->baseline, bb, sizeof bb), rv->baseline_year);
            continue;
        }
        char needb[48], step[200] = "", pace[400] = "";
        pace_text(ind, need, lang, needb, sizeof needb);
        if (k > 0 && m[k].year > m[k - 1].year) {
            char sb[48];
            pace_text(ind, ct_assess_rate(ind, m[k - 1].value, m[k].value, m[k].year - m[k - 1].year), lang, sb, sizeof sb);
            snprintf(step, sizeof step, M(lang, FEAS_STEP), sb, m[k - 1].year, m[k - 1].value);
        }
        if (isfinite(observed)) {
            char ob[48], reach[240];
            pace_text(ind, observed, lang, ob, sizeof ob);
            reach_text(ind, rv, observed, &m[k], lang, reach, sizeof reach);
            snprintf(pace, sizeof pace, M(lang, FEAS_OBSERVED), ob, rv->baseline_year, rv->latest_year, observed / need * 100, reach);
        } else if (isfinite(before)) {
            /* a new plan: nothing since its baseline yet, but the years before it show a pace */
            char ob[48];
            pace_text(ind, before, lang, ob, sizeof ob);
            snprintf(pace, sizeof pace, M(lang, FEAS_OBSERVED_BEFORE), ob, before_year, rv->baseline_year, before / need * 100);
        }
        /* a draft's warning, as propose's note says it: the region's own pace
         * (since the baseline, or before it for a new plan) is the best it has shown */
        double best = isfinite(observed) ? observed : before;
        if (isfinite(best) && best * dir > 0 && need * dir > 2 * best * dir) {
            size_t len = strlen(pace);
            snprintf(pace + len, sizeof pace - len, "%s", M(lang, FEAS_TWICE_BEST));
        }
        rc = EMIT(lang, FEAS_NEEDS, m[k].value, m[k].year, needb, ct_yearly_note_value(rv->baseline, bb, sizeof bb), rv->baseline_year,
                  step, pace);
    }
    return rc;
}

static int band_findings(const ct_plan *plan, const ct_indicator *ind, const region_values *rv, ct_lang lang,
                         ct_finding_fn fn, void *ctx)
{
    double lo, hi;
    const ct_indicator *tr = ct_assess_transition_band(plan, ind, &lo, &hi);
    if (!tr) return 0;
    milestone m[32];
    int n = collect_milestones(ind, plan->region_unit, m, 32), rc = 0;
    if (!rv->ok)
        return EMIT(lang, FEAS_BAND_NO_DATA, lo * 100, hi * 100, tr->id);
    for (int k = 0; k < n && !rc; k++) {
        double years = m[k].year - rv->baseline_year;
        if (years <= 0) continue;
        double p_lo = 100 - (100 - rv->baseline) * pow(1 - lo, years);
        double p_hi = 100 - (100 - rv->baseline) * pow(1 - hi, years);
        double need = ct_proj_transition_rate_needed(rv->baseline, m[k].value, years);
        const char *verdict = p_lo >= m[k].value - 1e-9   ? M(lang, FEAS_BAND_WHOLE)
                              : p_hi >= m[k].value - 1e-9 ? M(lang, FEAS_BAND_UPPER)
                                                          : M(lang, FEAS_BAND_SHORT);
        char base[96];
        if (isfinite(rv->num0) && isfinite(rv->den0) && rv->den0 > 0)
            snprintf(base, sizeof base, M(lang, FEAS_BASE_OF), rv->baseline, rv->num0, rv->den0);
        else
            snprintf(base, sizeof base, "%.4g%%", rv->baseline);
        rc = EMIT(lang, FEAS_BAND,
                  base, rv->baseline_year, lo * 100, tr->id, p_lo, m[k].year, hi * 100, p_hi, m[k].value, m[k].year,
                  need * 100, verdict);
    }
    return rc;
}

ct_status ct_feasibility_plan(const ct_plan *plan, const ct_series *s, ct_lang lang, double min_coverage,
                              ct_finding_fn fn, void *ctx)
{
    if (!(min_coverage > 0)) min_coverage = CT_ASSESS_MIN_COVERAGE;
    region_values *rv = malloc(sizeof *rv);
    if (!rv) return CT_ENOMEM;
    ct_status st = CT_OK;
    for (size_t i = 0; st == CT_OK && i < plan->n_indicators; i++) {
        const ct_indicator *ind = &plan->indicators[i];
        st = region_of(plan, ind, s, min_coverage, rv);
        if (st == CT_OK && (milestone_findings(plan, ind, rv, lang, fn, ctx) || band_findings(plan, ind, rv, lang, fn, ctx)))
            st = CT_EIO;
    }
    free(rv);
    return st;
}
