#include "ct_assess.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TREND_HORIZON = 2100 };

/* Time of a period in years, at its end: 2015 -> 2015, 2015S1 -> 2014.5. */
static double period_time(ct_period p)
{
    return p.year - 1 + (p.sub + 1.0) / ct_ptype_per_year((ct_ptype)p.type);
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

static void note_add(ct_assessment *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note_add(ct_assessment *a, const char *fmt, ...)
{
    size_t len = strlen(a->note);
    if (len + 3 >= sizeof a->note) return;
    if (len) { a->note[len++] = ';'; a->note[len++] = ' '; a->note[len] = '\0'; }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->note + len, sizeof a->note - len, fmt, ap);
    va_end(ap);
}

static void fmt_num(double v, char *buf)
{
    if (!isfinite(v)) { strcpy(buf, "-"); return; }
    snprintf(buf, 32, "%.4g", v);
}

/* The yearly values of one unit from a grid, and the baseline cell. */
typedef struct {
    int n;
    double t[256], y[256];
    int year[256];
    int has_baseline;
    double baseline;
    ct_period baseline_period;
} unit_series;

static void read_unit(const ct_plan *plan, const ct_series *s, const ct_grid *g, int i, unit_series *u)
{
    memset(u, 0, sizeof *u);
    u->baseline = NAN;
    for (int j = 0; j < g->n_periods; j++) {
        ct_period p = g->periods[j];
        const ct_cell *c = &g->cells[(size_t)i * (size_t)g->n_periods + (size_t)j];
        if (plan->has_baseline && p.year == plan->baseline.year && p.type == plan->baseline.type &&
            p.sub == plan->baseline.sub && (c->flags & CT_ROW_VALUE)) {
            u->has_baseline = 1;
            u->baseline = c->value;
            u->baseline_period = p;
        }
        if (p.type != CT_PT_YEAR || !(c->flags & CT_ROW_VALUE) || u->n >= 256) continue;
        u->t[u->n] = period_time(p);
        /* a year cut by --as-of counts up to the cut-off */
        if (ct_period_last_month(p) > s->cutoff_month) u->t[u->n] = (s->cutoff_month + 1) / 12.0 - 1;
        u->y[u->n] = c->value;
        u->year[u->n] = p.year;
        u->n++;
    }
}

/* The target as a number for this unit. */
static double target_value(const ct_target *t, const unit_series *u)
{
    switch (t->form) {
    case CT_TF_VALUE: return t->value;
    case CT_TF_RANGE: return t->min;
    case CT_TF_CHANGE: return u->has_baseline ? u->baseline * (1.0 + t->change) : NAN;
    case CT_TF_MAINTAIN: return u->has_baseline ? u->baseline : NAN;
    }
    return NAN;
}

static ct_proj_method auto_method(const ct_indicator *ind, ct_proj_method m)
{
    if (m == CT_PM_AUTO || m == CT_PM_TRANSITION) return ct_indicator_is_percent(ind) ? CT_PM_LOGIT : CT_PM_LINEAR;
    if (m == CT_PM_LOGIT && !ct_indicator_is_percent(ind)) return CT_PM_LINEAR;
    return m;
}

/* Observed and required rates, their ratio and the default status, for a
 * target `target` by `year` (the UNSD progress-chart method; linear rates
 * for percentages, compound for the rest). */
static void rate_status(ct_assessment *a, const unit_series *u, int year, double target)
{
    int pct = ct_indicator_is_percent(a->ind);
    int dir = a->ind->direction;
    double tb = period_time(u->baseline_period);
    double obs_years = u->t[u->n - 1] - tb, req_years = year - tb;
    int since = 0;
    for (int k = 0; k < u->n; k++)
        if (u->t[k] >= tb - 1e-9) since++;
    if (!u->has_baseline) { a->status = "insufficient_data"; note_add(a, "no value at the baseline"); return; }
    if (since < 2 || obs_years <= 0) {
        a->status = "insufficient_data";
        note_add(a, "fewer than two years with data since the baseline");
        return;
    }
    if (req_years <= 0) req_years = obs_years;
    if (pct) {
        a->observed_rate = ct_proj_rate_linear(u->baseline, a->latest_value, obs_years);
        a->required_rate = ct_proj_rate_linear(u->baseline, target, req_years);
    } else {
        a->observed_rate = ct_proj_rate_compound(u->baseline, a->latest_value, obs_years);
        a->required_rate = ct_proj_rate_compound(u->baseline, target, req_years);
    }
    if (!isfinite(a->observed_rate) || !isfinite(a->required_rate)) {
        a->status = "insufficient_data";
        note_add(a, "rates undefined for negative values");
        return;
    }
    if (a->required_rate * dir <= 0) {
        /* the baseline already met the target, and the latest value does not */
        a->status = "deteriorating";
        note_add(a, "the baseline met the target but the latest value no longer does");
        return;
    }
    a->ratio = a->observed_rate / a->required_rate;
    a->status = ct_assess_status_from_ratio(a->ratio);
    if (a->latest_period.year >= year && strcmp(a->status, "deteriorating") != 0) {
        a->status = "off_track";
        note_add(a, "target year passed without reaching the target");
    }
}

/* Targets that must hold in every year of a span: the status of each year
 * so far, then of the span. */
static void each_period_status(ct_assessment *a, const unit_series *u, double target)
{
    const ct_target *t = a->target;
    int dir = a->ind->direction, met = 0, seen = 0, last_met = -1;
    char missed[300] = "";
    double prev = NAN, last = NAN;
    for (int k = 0; k < u->n; k++) {
        int y = u->year[k];
        if (y < t->from || y > t->to) continue;
        seen++;
        prev = last;
        last = u->y[k];
        last_met = meets(last, target, dir);
        if (last_met) met++;
        else {
            size_t len = strlen(missed);
            char vb[32];
            fmt_num(last, vb);
            snprintf(missed + len, sizeof missed - len, "%s%d (%s)", len ? ", " : "", y, vb);
        }
    }
    if (seen == 0) {
        a->status = "insufficient_data";
        note_add(a, "no value yet in %d-%d", t->from, t->to);
        return;
    }
    note_add(a, "met in %d of %d years of %d-%d so far", met, seen, t->from, t->to);
    if (missed[0]) note_add(a, "missed %s", missed);
    if (met < seen && a->latest_period.year >= t->to) {
        a->status = "off_track"; /* the span is over and a year was missed */
    } else if (last_met) {
        a->status = met == seen ? (a->latest_period.year >= t->to ? "achieved" : "on_track") : "at_risk";
    } else if (isfinite(prev) && (last - prev) * dir < 0) {
        a->status = "deteriorating";
    } else {
        a->status = "off_track";
    }
}

static void project_target(ct_assessment *a, const unit_series *u, ct_proj_method method, double target)
{
    ct_proj_fit fit;
    a->method = auto_method(a->ind, method);
    ct_proj_fit_series(a->method, u->t, u->y, u->n, &fit);
    a->points = fit.n;
    ct_proj_at(&fit, a->target_year, &a->projected, &a->lower, &a->upper);
    if (!isfinite(target) || !fit.ok || !a->has_latest) return;
    if (meets(a->latest_value, target, a->ind->direction)) {
        a->met_year = a->latest_period.year;
        return;
    }
    /* a logit trend approaches 0 and 100 without reaching them: within half a point counts */
    double reach = target;
    if (a->method == CT_PM_LOGIT) reach = a->ind->direction > 0 ? fmin(target, 99.5) : fmax(target, 0.5);
    a->met_year = ct_proj_met_year(&fit, reach, a->ind->direction, a->latest_period.year + 1, TREND_HORIZON);
    if (a->target->each_period && a->latest_period.year >= a->target->to) return; /* the span is over */
    if (a->met_year) note_add(a, "the trend meets the target in %d", a->met_year);
    else note_add(a, "the trend does not meet the target by %d", TREND_HORIZON);
}

/* Whitespace-insensitive comparison of two condition texts. */
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

/* For a share of units, the yearly transition band the plan sets for the
 * same units: a transition_rate indicator whose `to` is the share's
 * condition, with a range (or value) target. Rates as fractions. */
static const ct_indicator *transition_band(const ct_plan *plan, const ct_indicator *ind, double *lo, double *hi)
{
    if (ind->kind != CT_KIND_SHARE || !ind->condition.text || !ind->of) return NULL;
    for (size_t i = 0; i < plan->n_indicators; i++) {
        const ct_indicator *tr = &plan->indicators[i];
        if (tr->kind != CT_KIND_TRANSITION || !tr->to.text || !tr->of || strcmp(tr->of, ind->of) != 0) continue;
        if (!same_condition(tr->to.text, ind->condition.text)) continue;
        /* the same units: both filtered alike */
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

static void band_note(ct_assessment *a, const unit_series *u)
{
    double lo, hi;
    if (!a->has_latest || a->target_year <= a->latest_period.year) return;
    if (!transition_band(a->plan, a->ind, &lo, &hi)) return;
    ct_proj_fit band;
    ct_proj_fit_transition(a->latest_value, a->latest_period.year, lo, hi, &band);
    double m, plo, phi;
    ct_proj_at(&band, a->target_year, &m, &plo, &phi);
    char b1[32], b2[32];
    fmt_num(plo, b1);
    fmt_num(phi, b2);
    note_add(a, "transforming %g-%g%% of the rest a year gives %s-%s by %d", lo * 100, hi * 100, b1, b2, a->target_year);
    (void)u;
}

/* For a target year already past, whether it was met that year. */
static void milestone_note(ct_assessment *a, const unit_series *u)
{
    if (a->target_year >= a->latest_period.year) return;
    for (int k = 0; k < u->n; k++) {
        if (u->year[k] != a->target_year) continue;
        char vb[32];
        fmt_num(u->y[k], vb);
        note_add(a, "%d value %s: target %s that year", a->target_year, vb,
                 meets(u->y[k], a->target_value, a->ind->direction) ? "met" : "missed");
        return;
    }
    note_add(a, "no value in %d", a->target_year);
}

static void assess_one(ct_assessment *a, const unit_series *u, ct_proj_method method)
{
    const ct_target *t = a->target;
    int dir = a->ind->direction;
    a->target_year = t->year;
    a->target_value = target_value(t, u);
    a->has_baseline = u->has_baseline;
    a->baseline_value = u->baseline;
    a->baseline_period = u->baseline_period;
    if (!u->has_baseline && a->plan->has_baseline) a->baseline_period = a->plan->baseline;
    a->observed_rate = a->required_rate = a->ratio = NAN;
    a->projected = a->lower = a->upper = NAN;
    a->latest_value = NAN;
    /* the latest value counts from the baseline on */
    if (u->n > 0 && !(a->plan->has_baseline && u->year[u->n - 1] < a->plan->baseline.year)) {
        a->has_latest = 1;
        a->latest_value = u->y[u->n - 1];
        a->latest_period = (ct_period){(short)u->year[u->n - 1], CT_PT_YEAR, 0};
    }
    project_target(a, u, method, a->target_value);
    if (!a->has_latest) {
        a->status = "insufficient_data";
        note_add(a, u->n ? "no data since the baseline" : "no data");
        return;
    }
    if (!isfinite(a->target_value)) {
        a->status = "insufficient_data";
        note_add(a, "the target is relative to a baseline value that is missing");
        return;
    }
    if (t->each_period && a->latest_period.year >= t->from) {
        each_period_status(a, u, a->target_value);
        return;
    }
    milestone_note(a, u);
    if (meets(a->latest_value, a->target_value, dir)) {
        a->status = "achieved";
    } else {
        int year = t->each_period ? t->from : t->year;
        rate_status(a, u, year, a->target_value);
    }
    if (strcmp(a->status, "achieved") != 0) band_note(a, u);
    if (t->form == CT_TF_RANGE && isfinite(t->max)) {
        char mb[32];
        fmt_num(t->max, mb);
        note_add(a, meets(a->latest_value, t->max, dir) ? "upper aim %s reached" : "upper aim %s", mb);
    }
}

ct_status ct_assess_plan(const ct_plan *plan, const ct_series *s, const ct_compute_filter *filter,
                         const ct_assess_options *opt, ct_assess_fn fn, void *ctx)
{
    ct_compute_filter f = filter ? *filter : (ct_compute_filter){-1, -1, -1};
    /* years, and the baseline's own period when it is finer */
    f.finest = plan->has_baseline ? plan->baseline.type : CT_PT_YEAR;
    for (size_t i = 0; i < plan->n_indicators; i++) {
        const ct_indicator *ind = &plan->indicators[i];
        if (ind->n_targets == 0) continue;
        ct_grid g;
        ct_status st = ct_compute_grid(plan, ind, s, &f, &g);
        if (st != CT_OK) return st;
        for (int k = 0; st == CT_OK && k < g.n_units; k++) {
            unit_series u;
            read_unit(plan, s, &g, k, &u);
            for (size_t j = 0; j < ind->n_targets; j++) {
                ct_assessment a;
                memset(&a, 0, sizeof a);
                a.plan = plan;
                a.ind = ind;
                a.target = &ind->targets[j];
                a.unit = g.units[k];
                assess_one(&a, &u, opt ? opt->method : CT_PM_AUTO);
                if (opt && opt->custom) opt->custom(opt->custom_ctx, &a);
                if (fn(&a, ctx) != 0) { st = CT_EIO; break; }
            }
        }
        ct_grid_free(&g);
        if (st != CT_OK) return st;
    }
    return CT_OK;
}

/* ---- projections ----------------------------------------------------------------- */

ct_status ct_assess_project(const ct_plan *plan, const ct_series *s, const ct_compute_filter *filter,
                            ct_proj_method method, int to_year, ct_project_fn fn, void *ctx)
{
    ct_compute_filter f = filter ? *filter : (ct_compute_filter){-1, -1, -1};
    f.finest = CT_PT_YEAR;
    for (size_t i = 0; i < plan->n_indicators; i++) {
        const ct_indicator *ind = &plan->indicators[i];
        ct_grid g;
        ct_status st = ct_compute_grid(plan, ind, s, &f, &g);
        if (st != CT_OK) return st;
        double lo = 0, hi = 0;
        int band = method == CT_PM_TRANSITION && transition_band(plan, ind, &lo, &hi);
        for (int k = 0; st == CT_OK && k < g.n_units; k++) {
            unit_series u;
            read_unit(plan, s, &g, k, &u);
            if (u.n == 0) continue;
            ct_proj_fit fit;
            ct_projection pr = {plan, ind, g.units[k], CT_PM_LINEAR, 0, NAN, NAN, NAN, 0, {0, 0, 0}, NAN};
            pr.last_period = (ct_period){(short)u.year[u.n - 1], CT_PT_YEAR, 0};
            pr.last_value = u.y[u.n - 1];
            if (band) {
                ct_proj_fit_transition(pr.last_value, pr.last_period.year, lo, hi, &fit);
            } else {
                ct_proj_fit_series(auto_method(ind, method), u.t, u.y, u.n, &fit);
            }
            pr.method = fit.method;
            pr.points = fit.n;
            for (int y = pr.last_period.year + 1; y <= to_year; y++) {
                pr.year = y;
                ct_proj_at(&fit, y, &pr.projected, &pr.lower, &pr.upper);
                if (fn(&pr, ctx) != 0) { st = CT_EIO; break; }
            }
        }
        ct_grid_free(&g);
        if (st != CT_OK) return st;
    }
    return CT_OK;
}

/* ---- feasibility -------------------------------------------------------------------- */

typedef struct {
    int year;
    double value;
} milestone;

/* The region's value at the baseline and the latest year, from data. */
typedef struct {
    int ok;
    double baseline, latest, num0, den0;
    int baseline_year, latest_year;
    int n;                /* every yearly value, for milestones already due */
    int years[256];
    double values[256];
} region_values;

static double value_in(const region_values *rv, int year)
{
    for (int k = 0; k < rv->n; k++)
        if (rv->years[k] == year) return rv->values[k];
    return NAN;
}

static region_values region_of(const ct_plan *plan, const ct_indicator *ind, const ct_series *s)
{
    region_values rv;
    memset(&rv, 0, sizeof rv);
    rv.baseline = rv.latest = rv.num0 = rv.den0 = NAN;
    if (!s || !plan->has_baseline || ind->base_level < 0) return rv;
    ct_compute_filter f = {-1, plan->region_unit, CT_PT_YEAR};
    ct_grid g;
    if (ct_compute_grid(plan, ind, s, &f, &g) != CT_OK) return rv;
    for (int j = 0; j < g.n_periods && g.n_units > 0; j++) {
        const ct_cell *c = &g.cells[j];
        if (!(c->flags & CT_ROW_VALUE)) continue;
        if (rv.n < 256) {
            rv.years[rv.n] = g.periods[j].year;
            rv.values[rv.n++] = c->value;
        }
        if (g.periods[j].year == plan->baseline.year) {
            rv.baseline = c->value;
            rv.baseline_year = g.periods[j].year;
            rv.num0 = c->num;
            rv.den0 = c->den;
            rv.ok = 1;
        }
        if (rv.ok) {
            rv.latest = c->value;
            rv.latest_year = g.periods[j].year;
        }
    }
    ct_grid_free(&g);
    return rv;
}

static int emit(ct_finding_fn fn, void *ctx, const ct_plan *plan, const ct_indicator *ind, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int emit(ct_finding_fn fn, void *ctx, const ct_plan *plan, const ct_indicator *ind, const char *fmt, ...)
{
    char text[800];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return fn(plan, ind, text, ctx);
}

static int collect_milestones(const ct_indicator *ind, milestone *m, int max)
{
    int n = 0;
    for (size_t j = 0; j < ind->n_targets && n < max; j++) {
        const ct_target *t = &ind->targets[j];
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

static const char *rate_unit(const ct_indicator *ind) { return ct_indicator_is_percent(ind) ? " points" : ""; }

static double rate(const ct_indicator *ind, double from, double to, double years)
{
    return ct_indicator_is_percent(ind) ? ct_proj_rate_linear(from, to, years) : ct_proj_rate_compound(from, to, years);
}

static int milestone_findings(const ct_plan *plan, const ct_indicator *ind, const region_values *rv,
                              ct_finding_fn fn, void *ctx)
{
    milestone m[32];
    int n = collect_milestones(ind, m, 32), rc = 0, dir = ind->direction;
    int pct = ct_indicator_is_percent(ind);
    for (int k = 1; k < n && !rc; k++) {
        if ((m[k].value - m[k - 1].value) * dir < 0)
            rc = emit(fn, ctx, plan, ind, "inconsistent targets: %g by %d is %s than %g by %d", m[k].value, m[k].year,
                      dir > 0 ? "lower" : "higher", m[k - 1].value, m[k - 1].year);
    }
    if (n == 0 || !rv->ok || rc) return rc;
    /* the pace each milestone needs, from the baseline, against the pace observed */
    double from = rv->baseline;
    int from_year = rv->baseline_year;
    double observed = rv->latest_year > rv->baseline_year ? rate(ind, rv->baseline, rv->latest, rv->latest_year - rv->baseline_year) : NAN;
    for (int k = 0; k < n && !rc; k++) {
        double need = rate(ind, from, m[k].value, m[k].year - from_year);
        if (!isfinite(need)) continue;
        if (need * dir <= 0) {
            rc = emit(fn, ctx, plan, ind, "%g by %d: already met at %.4g in %d", m[k].value, m[k].year, from, from_year);
            continue;
        }
        char pace[320] = "";
        if (isfinite(observed)) {
            size_t len = (size_t)snprintf(pace, sizeof pace, "; observed %s%.3g%s a year %d-%d (%.0f%% of the pace needed)",
                                          observed >= 0 ? "+" : "", pct ? observed : observed * 100,
                                          pct ? rate_unit(ind) : "%", rv->baseline_year, rv->latest_year,
                                          observed / need * 100);
            double gap = m[k].value - rv->latest;
            double then = value_in(rv, m[k].year);
            if (m[k].year <= rv->latest_year && isfinite(then))
                len += (size_t)snprintf(pace + len, sizeof pace - len, "; %d value %.4g: %s that year", m[k].year, then,
                                        (then - m[k].value) * dir >= -1e-9 ? "met" : "missed");
            if (len >= sizeof pace) len = sizeof pace - 1;
            if (gap * dir <= 0)
                snprintf(pace + len, sizeof pace - len, "; reached by %d (%.4g)", rv->latest_year, rv->latest);
            else if (observed * dir > 0) {
                double years = pct ? gap / observed : log(m[k].value / rv->latest) / log(1 + observed);
                int when = rv->latest_year + (int)ceil(years - 1e-9);
                snprintf(pace + len, sizeof pace - len, "; at that pace it is reached in %d%s", when,
                         when > m[k].year ? ", late" : "");
            } else
                snprintf(pace + len, sizeof pace - len, "; at that pace it is never reached");
        }
        rc = emit(fn, ctx, plan, ind, "%g by %d needs %s%.3g%s a year from %.4g in %d%s", m[k].value, m[k].year,
                  need >= 0 ? "+" : "", pct ? need : need * 100, pct ? rate_unit(ind) : "%", from, from_year, pace);
        from = m[k].value;
        from_year = m[k].year;
    }
    return rc;
}

static int band_findings(const ct_plan *plan, const ct_indicator *ind, const region_values *rv,
                         ct_finding_fn fn, void *ctx)
{
    double lo, hi;
    const ct_indicator *tr = transition_band(plan, ind, &lo, &hi);
    if (!tr) return 0;
    milestone m[32];
    int n = collect_milestones(ind, m, 32), rc = 0;
    if (!rv->ok) {
        return emit(fn, ctx, plan, ind, "the %g-%g%% yearly transition band (%s) needs the baseline value from data (--data)",
                    lo * 100, hi * 100, tr->id);
    }
    for (int k = 0; k < n && !rc; k++) {
        double years = m[k].year - rv->baseline_year;
        if (years <= 0) continue;
        double p_lo = 100 - (100 - rv->baseline) * pow(1 - lo, years);
        double p_hi = 100 - (100 - rv->baseline) * pow(1 - hi, years);
        double need = ct_proj_transition_rate_needed(rv->baseline, m[k].value, years);
        const char *verdict = p_lo >= m[k].value - 1e-9 ? "the whole band reaches the target"
                              : p_hi >= m[k].value - 1e-9 ? "only the upper part of the band reaches the target"
                                                          : "even the upper end of the band falls short";
        char base[96];
        if (isfinite(rv->num0) && isfinite(rv->den0) && rv->den0 > 0)
            snprintf(base, sizeof base, "%.4g%% (%.0f of %.0f)", rv->baseline, rv->num0, rv->den0);
        else
            snprintf(base, sizeof base, "%.4g%%", rv->baseline);
        rc = emit(fn, ctx, plan, ind,
                  "from %s in %d, transforming %g%% of the rest a year (%s) gives %.2f%% by %d and %g%% gives %.2f%%; "
                  "%g%% by %d needs %.2f%% a year: %s",
                  base, rv->baseline_year, lo * 100, tr->id, p_lo, m[k].year, hi * 100, p_hi, m[k].value, m[k].year,
                  need * 100, verdict);
    }
    return rc;
}

ct_status ct_assess_feasibility(const ct_plan *plan, const ct_series *s, ct_finding_fn fn, void *ctx)
{
    for (size_t i = 0; i < plan->n_indicators; i++) {
        const ct_indicator *ind = &plan->indicators[i];
        region_values rv = region_of(plan, ind, s);
        if (milestone_findings(plan, ind, &rv, fn, ctx) || band_findings(plan, ind, &rv, fn, ctx)) return CT_EIO;
    }
    return CT_OK;
}
