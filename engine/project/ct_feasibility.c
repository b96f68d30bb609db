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

#define EMIT(lang, en, vi, ...) emit(fn, ctx, plan, ind, CT_TR(lang, en, vi), __VA_ARGS__)

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
        snprintf(buf, size, "%s%.3g%s", rate >= 0 ? "+" : "", rate, CT_TR(lang, " points", " điểm"));
    else
        snprintf(buf, size, "%s%.3g%%", rate >= 0 ? "+" : "", rate * 100);
}

/* When the observed pace from the latest value reaches a milestone. */
static void reach_text(const ct_indicator *ind, const region_values *rv, double observed, const milestone *m,
                       ct_lang lang, char *buf, size_t size)
{
    int dir = ind->direction;
    double gap = m->value - rv->latest;
    const ct_year_value *then = ct_yearly_at(&rv->u, m->year);
    size_t len = 0;
    buf[0] = '\0';
    if (then)
        len = (size_t)snprintf(buf, size, CT_TR(lang, "; %d value %.4g: %s that year", "; giá trị năm %d là %.4g: %s"),
                               m->year, then->value,
                               (then->value - m->value) * dir >= -1e-9 ? CT_TR(lang, "met", "đạt")
                                                                       : CT_TR(lang, "missed", "không đạt"));
    if (len >= size) return;
    if (then && (then->value - m->value) * dir >= -1e-9) {
        /* met in its year: what matters now is whether it still holds */
        if (rv->latest_year > m->year)
            snprintf(buf + len, size - len,
                     gap * dir <= 0 ? CT_TR(lang, "; still met in %d (%.4g)", "; vẫn đạt năm %d (%.4g)")
                                    : CT_TR(lang, "; no longer met in %d (%.4g)", "; không còn đạt năm %d (%.4g)"),
                     rv->latest_year, rv->latest);
        return;
    }
    if (gap * dir <= 0) {
        snprintf(buf + len, size - len, CT_TR(lang, "; reached by %d (%.4g)", "; đã đạt vào năm %d (%.4g)"),
                 rv->latest_year, rv->latest);
    } else if (observed * dir > 0) {
        double years = ct_indicator_is_percent(ind) ? gap / observed : log(m->value / rv->latest) / log(1 + observed);
        int when = rv->latest_year + (int)ceil(years - 1e-9);
        snprintf(buf + len, size - len, CT_TR(lang, "; at that pace it is reached in %d%s", "; với tốc độ đó sẽ đạt vào năm %d%s"),
                 when, when > m->year ? CT_TR(lang, ", late", ", muộn") : "");
    } else {
        snprintf(buf + len, size - len, "%s", CT_TR(lang, "; at that pace it is never reached", "; với tốc độ đó sẽ không đạt"));
    }
}

static int milestone_findings(const ct_plan *plan, const ct_indicator *ind, const region_values *rv, ct_lang lang,
                              ct_finding_fn fn, void *ctx)
{
    milestone m[32];
    int n = collect_milestones(ind, plan->region_unit, m, 32), rc = 0, dir = ind->direction;
    for (int k = 1; k < n && !rc; k++)
        if ((m[k].value - m[k - 1].value) * dir < 0)
            rc = EMIT(lang, "inconsistent targets: %g by %d is %s than %g by %d",
                      "mục tiêu không nhất quán: %g vào năm %d %s %g vào năm %d", m[k].value, m[k].year,
                      dir > 0 ? CT_TR(lang, "lower", "thấp hơn") : CT_TR(lang, "higher", "cao hơn"), m[k - 1].value,
                      m[k - 1].year);
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
        if ((m[k].value - rv->baseline) * dir < -1e-9) {
            /* below its own starting point: met already, but a falling planned path */
            rc = EMIT(lang, "%g by %d: already met at %.4g in %d, and %s that baseline: it moves against the indicator's direction",
                      "%g vào năm %d: đã đạt (%.4g năm %d), và %s giá trị năm gốc: đi ngược chiều của chỉ tiêu",
                      m[k].value, m[k].year, rv->baseline, rv->baseline_year,
                      dir > 0 ? CT_TR(lang, "below", "thấp hơn") : CT_TR(lang, "above", "cao hơn"));
            continue;
        }
        if (need * dir <= 0) {
            rc = EMIT(lang, "%g by %d: already met at %.4g in %d", "%g vào năm %d: đã đạt (%.4g năm %d)", m[k].value,
                      m[k].year, rv->baseline, rv->baseline_year);
            continue;
        }
        char needb[48], step[200] = "", pace[400] = "";
        pace_text(ind, need, lang, needb, sizeof needb);
        if (k > 0 && m[k].year > m[k - 1].year) {
            char sb[48];
            pace_text(ind, ct_assess_rate(ind, m[k - 1].value, m[k].value, m[k].year - m[k - 1].year), lang, sb, sizeof sb);
            snprintf(step, sizeof step, CT_TR(lang, " (%s a year from the %d milestone %g)", " (%s mỗi năm từ mốc %d là %g)"),
                     sb, m[k - 1].year, m[k - 1].value);
        }
        if (isfinite(observed)) {
            char ob[48], reach[240];
            pace_text(ind, observed, lang, ob, sizeof ob);
            reach_text(ind, rv, observed, &m[k], lang, reach, sizeof reach);
            snprintf(pace, sizeof pace, CT_TR(lang, "; observed %s a year %d-%d (%.0f%% of the pace needed)%s",
                                              "; thực tế %s mỗi năm %d-%d (%.0f%% tốc độ cần)%s"),
                     ob, rv->baseline_year, rv->latest_year, observed / need * 100, reach);
        } else if (isfinite(before)) {
            /* a new plan: nothing since its baseline yet, but the years before it show a pace */
            char ob[48];
            pace_text(ind, before, lang, ob, sizeof ob);
            snprintf(pace, sizeof pace, CT_TR(lang, "; observed %s a year %d-%d, before the baseline (%.0f%% of the pace needed)",
                                              "; thực tế %s mỗi năm %d-%d, trước năm gốc (%.0f%% tốc độ cần)"),
                     ob, before_year, rv->baseline_year, before / need * 100);
        }
        /* a draft's warning, as propose's note says it: the region's own pace
         * (since the baseline, or before it for a new plan) is the best it has shown */
        double best = isfinite(observed) ? observed : before;
        if (isfinite(best) && best * dir > 0 && need * dir > 2 * best * dir) {
            size_t len = strlen(pace);
            snprintf(pace + len, sizeof pace - len, "%s",
                     CT_TR(lang, "; the pace needed is more than twice the best observed", "; tốc độ cần hơn gấp đôi tốc độ tốt nhất từng đạt"));
        }
        rc = EMIT(lang, "%g by %d needs %s a year from %.4g in %d%s%s", "%g vào năm %d cần %s mỗi năm từ %.4g năm %d%s%s",
                  m[k].value, m[k].year, needb, rv->baseline, rv->baseline_year, step, pace);
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
        return EMIT(lang, "the %g-%g%% yearly transition band (%s) needs the baseline value from data (--data)",
                    "kịch bản chuyển hóa %g-%g%%/năm (%s) cần giá trị năm gốc từ số liệu (--data)", lo * 100, hi * 100, tr->id);
    for (int k = 0; k < n && !rc; k++) {
        double years = m[k].year - rv->baseline_year;
        if (years <= 0) continue;
        double p_lo = 100 - (100 - rv->baseline) * pow(1 - lo, years);
        double p_hi = 100 - (100 - rv->baseline) * pow(1 - hi, years);
        double need = ct_proj_transition_rate_needed(rv->baseline, m[k].value, years);
        const char *verdict = p_lo >= m[k].value - 1e-9
                                  ? CT_TR(lang, "the whole band reaches the target", "cả khoảng kịch bản đều đạt mục tiêu")
                              : p_hi >= m[k].value - 1e-9
                                  ? CT_TR(lang, "only the upper part of the band reaches the target",
                                          "chỉ phần trên của khoảng kịch bản đạt mục tiêu")
                                  : CT_TR(lang, "even the upper end of the band falls short",
                                          "cả mức cao nhất của kịch bản cũng không đạt");
        char base[96];
        if (isfinite(rv->num0) && isfinite(rv->den0) && rv->den0 > 0)
            snprintf(base, sizeof base, CT_TR(lang, "%.4g%% (%.0f of %.0f)", "%.4g%% (%.0f/%.0f)"), rv->baseline, rv->num0,
                     rv->den0);
        else
            snprintf(base, sizeof base, "%.4g%%", rv->baseline);
        rc = EMIT(lang,
                  "from %s in %d, transforming %g%% of the rest a year (%s) gives %.2f%% by %d and %g%% gives %.2f%%; "
                  "%g%% by %d needs %.2f%% a year: %s",
                  "từ %s năm %d, chuyển hóa %g%% số còn lại mỗi năm (%s) cho %.2f%% vào năm %d, %g%% cho %.2f%%; "
                  "%g%% vào năm %d cần %.2f%% mỗi năm: %s",
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
