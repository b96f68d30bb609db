/* The peers' slope prior of the calibrated model (ct_model.h): the mean
 * and spread of the slopes of the units of one indicator and level,
 * estimated as the hyperparameters of a hierarchical binomial or Poisson
 * GLM,
 *
 *   b1_i ~ N(mu, tau2),   k_it ~ Binomial(n_it, expit(b0_i + b1_i x_it))
 *                               (or Poisson(exp(b0_i + b1_i x_it)))
 *
 * by the marginal likelihood of (mu, tau2), each unit's slope integrated
 * out of its own likelihood (its intercept profiled out) rather than
 * summarised by a normal first-pass estimate: a series at 0 % or 100 %
 * every year has a likelihood that is flat in the slope, so it says
 * nothing about it, where a first-pass fit would report a slope of about
 * 0 with a modest variance and pull the peers' mean down. A unit measured
 * well (no year at 0 or n, a slope's standard error below 0.2 a year) enters by
 * its normal approximation, which is then accurate and costs less.
 *
 * tau2 maximises the restricted likelihood (mu integrated out under a flat
 * prior, as REML does for a normal model); the prior a unit borrows is the
 * posterior of mu at that tau2 plus tau2. Formulas and sources:
 * docs/methodology.md 3.7. */
#ifndef CT_SLOPE_H
#define CT_SLOPE_H

/* Slopes (per year, on the link scale) from -2 to 2 by 0.1; the spreads
 * 0, then 1e-4 doubling to 0.2. */
enum { CT_SLOPE_NODES = 41, CT_SLOPE_TAUS = 13 };

typedef struct {
    /* log marginal likelihood of (mu = ct_slope_node(j), tau2 = ct_slope_tau2(g)),
     * summed over the units, up to a constant */
    double ll[CT_SLOPE_NODES][CT_SLOPE_TAUS];
    int units;
} ct_slope_pool;

/* The kernel tables; once at start-up (ct_model_init calls it). */
void ct_slope_init(void);

double ct_slope_node(int j);
double ct_slope_tau2(int g);

/* Adds a unit of m points at centred times x: counts k of sizes n
 * (binomial), or counts k with n NULL (Poisson); b_hat and v_hat its
 * first-pass slope and variance (the normal approximation). A unit whose
 * likelihood does not depend on its slope (every year 0, or every year n)
 * adds nothing. */
void ct_slope_add(ct_slope_pool *sp, const double *x, const double *k, const double *n, int m, double b_hat,
                  double v_hat);

/* The prior of a unit's slope: its mean and variance (tau2 plus the
 * uncertainty of mu), and tau2; -1 with fewer than three units. */
int ct_slope_prior(const ct_slope_pool *sp, double *mean, double *var, double *tau2);

/* The unit's profile log-likelihood of its slope at the nodes (for tests):
 * 0, or -1 when it does not depend on the slope. */
int ct_slope_profile(const double *x, const double *k, const double *n, int m, double *pl);

#endif
