/* How the calibrated model (ct_model.h) forecasts beyond a unit's last
 * year, learnt from the peers' own out-of-sample errors: each peer's last
 * year is forecast from its years before it (1 and 2 years ahead), with
 * the model's own slope prior, and the errors choose
 *
 *   a damping of the slope beyond the last point, phi (Gardner and
 *   McKenzie 1985: h years ahead the line moves phi + ... + phi^h slopes;
 *   1, a straight line, unless the peers' years say otherwise);
 *   an extra link-scale variance kappa2 h^2 for h years ahead (a trend
 *   that bends departs from its line in proportion to the horizon);
 *
 * the pair that maximises the held-out counts' predictive likelihood
 * (each count's binomial or Poisson probability integrated over the
 * forecast's normal link-scale distribution by Gauss-Hermite), less one
 * for each of the two that departs from the plain line (Akaike's
 * penalty): a proper score on the counts themselves, so that a count at 0
 * or n, or one that fell short of a forecast beyond 100 %, is scored for
 * what it is. At most CT_HORIZON_USE records are scored, evenly spaced.
 *
 * Formulas and sources: docs/methodology.md 3.7. */
#ifndef CT_HORIZON_H
#define CT_HORIZON_H

/* One held-out forecast, from a first-pass fit of the years before the
 * unit's last: the line's value e at the training's last year and its
 * slope b, their covariance (vee, veb, vbb), the horizon h (years), the
 * last year's count k of n (binomial; n 0: poisson), and the training
 * points' mean sampling variance vsm (the line's covariance grows with a
 * year-to-year variance sigma2 about as 1 + sigma2 / vsm). */
typedef struct {
    double e, b, vee, veb, vbb, h, k, n, vsm;
} ct_horizon_rec;

typedef struct {
    ct_horizon_rec *rec;
    int n, cap;
} ct_horizon_set;

enum { CT_HORIZON_DAMP = 6 };

/* The damping factors tried: 1, then 0.9 down to 0.5. */
double ct_horizon_phi(int d);

/* h years along a slope damped by phi = 1 - damp. */
double ct_horizon_years(double h, double damp);

/* Adds a record; -1 when out of memory (the set is unchanged). */
int ct_horizon_add(ct_horizon_set *s, const ct_horizon_rec *r);
void ct_horizon_free(ct_horizon_set *s);

/* Fewer records than this: no damping, no extra variance. */
enum { CT_HORIZON_MIN = 10, CT_HORIZON_USE = 200, CT_HORIZON_KAPPA = 9 };

/* The horizon variances tried: 0, then 0.001 doubling to 0.256. */
double ct_horizon_kappa2(int g);

/* The damping (1 - phi) and kappa2 from the records, each forecast made
 * with the slope prior N(b_mean, 1 / b_prec) (b_prec 0: none), the
 * year-to-year variance sigma2 and the persistence's variance inflation
 * infl the model applies. */
void ct_horizon_estimate(const ct_horizon_set *s, double b_mean, double b_prec, double sigma2, double infl,
                         double *damp, double *kappa2);

#endif
