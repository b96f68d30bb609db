/* Trends and projections on GSL: ordinary least squares with a 95%
 * prediction interval, on the value (linear), on the logit of a percentage
 * (logit: value and band stay within 0-100), on the logarithm (cagr: constant
 * compound growth); and the transition scenario p(t+1) = p(t) + r(100 - p(t)).
 * Formulas and sources: docs/methodology.md. */
#ifndef CT_PROJ_H
#define CT_PROJ_H

typedef enum {
    CT_PM_AUTO,
    CT_PM_LINEAR,
    CT_PM_LOGIT,
    CT_PM_CAGR,
    CT_PM_TRANSITION,
    /* the calibrated model's families (ct_model.h): named in the method
     * column, not chosen with --method */
    CT_PM_BINOMIAL,
    CT_PM_POISSON,
    CT_PM_NORMAL
} ct_proj_method;

typedef struct {
    ct_proj_method method;  /* the method used (never AUTO) */
    int n;                  /* points fitted */
    int ok;                 /* a trend exists (n >= 2; for transition, a band) */
    int has_interval;       /* n >= 3: a prediction interval exists */
    double c0, c1;          /* intercept and slope on the fitted scale */
    double cov00, cov01, cov11, sumsq;
    double x_last;          /* time of the last point */
    double den_last;        /* denominator of the last point (logit); NaN if unknown */
    double lo_bound, hi_bound; /* what the indicator can be (NaN: unbounded) */
    /* transition: the band of yearly rates from the last value */
    double p0, r_lo, r_hi;
} ct_proj_fit;

/* Parses "auto", "linear", "logit", "cagr", "transition"; -1 if unknown. */
int ct_proj_method_parse(const char *s, ct_proj_method *out);
const char *ct_proj_method_name(ct_proj_method m);

/* Makes GSL return errors instead of aborting and sets up the calibrated
 * model's quadrature (ct_predict_init); call once at start-up. */
void ct_proj_init(void);

/* Fits n points (t[i] in years, y[i] values; NaN values are skipped). For
 * logit a percentage of 0 or 100 enters as the empirical logit
 * ln((k + 1/2) / (n - k + 1/2)) of its numerator k = y n / 100 and
 * denominator n = den[i] (den NULL or NaN: n = 100); a series with a value
 * outside 0-100 is fitted linearly instead. For cagr a value below 0.001
 * counts as 0.001. */
void ct_proj_fit_series(ct_proj_method m, const double *t, const double *y, int n, ct_proj_fit *fit);
void ct_proj_fit_counts(ct_proj_method m, const double *t, const double *y, const double *den, int n,
                        ct_proj_fit *fit);

/* Keeps projections and bands within [lo, hi] (NaN: no bound on that side):
 * 0 for counts, 0-100 for percentages. */
void ct_proj_bound(ct_proj_fit *fit, double lo, double hi);

/* The probability (0-1) that the value at time t meets target (direction +1:
 * at least, -1: at most) under the fitted trend: the Student t predictive
 * distribution with n - 2 degrees of freedom on the fitted scale. A target
 * of 0 or 100 on the logit scale is taken as the empirical logit with the
 * last point's denominator. NaN without an interval (fewer than 3 points)
 * or for a transition band. */
double ct_proj_probability(const ct_proj_fit *fit, double t, double target, int direction);

/* A transition band from value p0 at time t0 with yearly rates r_lo..r_hi
 * (fractions: 0.07 for 7%). */
void ct_proj_fit_transition(double p0, double t0, double r_lo, double r_hi, ct_proj_fit *fit);

/* The central projection at time t and its 95% prediction interval
 * (NaN bounds when there is no interval). */
void ct_proj_at(const ct_proj_fit *fit, double t, double *mean, double *lo, double *hi);

/* The first whole year from `from` to `until` at which the central
 * projection meets target (direction +1: at least, -1: at most); 0 if none.
 * On the logit scale a target of 0 or 100 is the empirical logit with the
 * last point's denominator. */
int ct_proj_met_year(const ct_proj_fit *fit, double target, int direction, int from, int until);

/* Rates between a start and an end value over `years`:
 * linear (points a year) and compound ((end/start)^(1/years) - 1, zeros as 0.001). */
double ct_proj_rate_linear(double start, double end, double years);
double ct_proj_rate_compound(double start, double end, double years);

/* The yearly transition rate r that takes p0 to target in `years`:
 * 1 - ((100 - target) / (100 - p0))^(1/years). */
double ct_proj_transition_rate_needed(double p0, double target, double years);

#endif
