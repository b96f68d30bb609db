#include "ct_slope.h"

#include <math.h>
#include <string.h>

/* The slope nodes: mu at the CT_SLOPE_NODES nodes from -2 to 2; a unit's
 * profile at PROFILE_NODES from -4 to 4 (the same spacing), so that the
 * spread around a mu near the edge still finds the unit's likelihood. */
static const double STEP = 0.1;
enum { PROFILE_NODES = 81, OFFSET = (PROFILE_NODES - CT_SLOPE_NODES) / 2, KERNEL_MAX = 64 };

/* A unit whose first-pass slope has a variance below this (a standard
 * error of 0.2 a year, two nodes) and no year at 0 or n is entered by its
 * normal approximation. */
static const double GAUSS_VAR = 0.04;

/* The normal density of the slope around mu, integrated over each node's
 * cell (so that a spread narrower than a node is no error): kern[g][d] is
 * the mass of N(0, tau2_g) within (d -+ 1/2) STEP, for d = 0..width[g]. */
static double kern[CT_SLOPE_TAUS][KERNEL_MAX + 1];
static int width[CT_SLOPE_TAUS];

double ct_slope_node(int j) { return -2.0 + STEP * j; }
double ct_slope_tau2(int g) { return g <= 0 ? 0 : 1e-4 * pow(2.0, g - 1); }

static double phi_cdf(double z) { return 0.5 * erfc(-z / sqrt(2.0)); }

void ct_slope_init(void)
{
    for (int g = 0; g < CT_SLOPE_TAUS; g++) {
        double tau = sqrt(ct_slope_tau2(g));
        if (tau == 0) {
            kern[g][0] = 1;
            width[g] = 0;
            continue;
        }
        int w = (int)ceil(6 * tau / STEP);
        width[g] = w > KERNEL_MAX ? KERNEL_MAX : w;
        for (int d = 0; d <= width[g]; d++)
            kern[g][d] = phi_cdf((d + 0.5) * STEP / tau) - phi_cdf((d - 0.5) * STEP / tau);
    }
}

/* The maximum over b0 of the binomial (n given) or Poisson log-likelihood
 * at slope b, b0 starting from *b0 and left at the maximum. */
static double profile_at(const double *x, const double *k, const double *n, int m, double b, double *b0)
{
    double a = *b0;
    if (!n) {
        /* Poisson: the intercept in closed form */
        double sk = 0, se = 0, l = 0;
        for (int i = 0; i < m; i++) { sk += k[i]; se += exp(b * x[i]); }
        a = log(sk / se);
        for (int i = 0; i < m; i++) l += k[i] * (a + b * x[i]);
        *b0 = a;
        return l - sk;
    }
    /* Newton's method on b0 (the log-likelihood is concave in it) */
    for (int it = 0; it < 100; it++) {
        double g = 0, h = 0;
        for (int i = 0; i < m; i++) {
            double p = 1 / (1 + exp(-(a + b * x[i])));
            g += k[i] - n[i] * p;
            h += n[i] * p * (1 - p);
        }
        double step = h > 1e-300 ? g / h : (g > 0 ? 5 : -5);
        if (step > 5) step = 5;
        if (step < -5) step = -5;
        a += step;
        if (fabs(step) < 1e-8) break;
    }
    double l = 0;
    for (int i = 0; i < m; i++) {
        double eta = a + b * x[i];
        /* log p and log q without cancellation */
        double lp = eta > 0 ? -log1p(exp(-eta)) : eta - log1p(exp(eta));
        l += k[i] * lp + (n[i] - k[i]) * (lp - eta);
    }
    *b0 = a;
    return l;
}

/* Below the profile's best by more than this, a node is as good as
 * impossible (e^-20); the profile is concave (the maximum over b0 of a
 * log-likelihood concave in (b0, b1)), so the nodes beyond are lower still. */
static const double PROFILE_DROP = 20;

/* The profile at all PROFILE_NODES (from the first-pass slope outwards,
 * the nodes beyond the drop set to it); -1 when flat (no information). */
static int profile(const double *x, const double *k, const double *n, int m, double b_hat, double *pl)
{
    double sk = 0, sn = 0;
    for (int i = 0; i < m; i++) {
        sk += k[i];
        sn += n ? n[i] - k[i] : 1;
    }
    if (m < 2 || !(sk > 0) || !(sn > 0)) return -1;
    double start = n ? log((sk + 0.5) / (sn + 0.5)) : log(sk / m);
    int mid = isfinite(b_hat) ? (int)floor((b_hat + 4.0) / STEP + 0.5) : PROFILE_NODES / 2;
    if (mid < 0) mid = 0;
    if (mid >= PROFILE_NODES) mid = PROFILE_NODES - 1;
    double b0 = start, top = -INFINITY;
    int j = mid;
    for (; j < PROFILE_NODES; j++) {
        pl[j] = profile_at(x, k, n, m, -4.0 + STEP * j, &b0);
        if (pl[j] > top) top = pl[j];
        if (pl[j] < top - PROFILE_DROP) break;
    }
    for (int r = j + 1; r < PROFILE_NODES; r++) pl[r] = pl[j];
    b0 = start;
    for (j = mid - 1; j >= 0; j--) {
        pl[j] = profile_at(x, k, n, m, -4.0 + STEP * j, &b0);
        if (pl[j] > top) top = pl[j];
        if (pl[j] < top - PROFILE_DROP) break;
    }
    for (int r = j - 1; r >= 0; r--) pl[r] = pl[j];
    for (j = 0; j < PROFILE_NODES; j++)
        if (!isfinite(pl[j])) return -1;
    return 0;
}

int ct_slope_profile(const double *x, const double *k, const double *n, int m, double *pl)
{
    double all[PROFILE_NODES];
    if (profile(x, k, n, m, NAN, all) != 0) return -1;
    memcpy(pl, all + OFFSET, CT_SLOPE_NODES * sizeof *pl);
    return 0;
}

void ct_slope_add(ct_slope_pool *sp, const double *x, const double *k, const double *n, int m, double b_hat,
                  double v_hat)
{
    int exact = !(v_hat > 0 && v_hat < GAUSS_VAR && isfinite(b_hat));
    for (int i = 0; i < m && !exact; i++)
        if (k[i] <= 0 || (n && k[i] >= n[i])) exact = 1;
    if (!exact) {
        /* the normal approximation: b_hat ~ N(mu, v + tau2) */
        for (int g = 0; g < CT_SLOPE_TAUS; g++) {
            double v = v_hat + ct_slope_tau2(g), c = -0.5 * log(v);
            for (int j = 0; j < CT_SLOPE_NODES; j++) {
                double d = b_hat - ct_slope_node(j);
                sp->ll[j][g] += c - d * d / (2 * v);
            }
        }
        sp->units++;
        return;
    }
    double pl[PROFILE_NODES], e[PROFILE_NODES];
    if (profile(x, k, n, m, b_hat, pl) != 0) return;
    double mx = pl[0];
    for (int j = 1; j < PROFILE_NODES; j++) mx = pl[j] > mx ? pl[j] : mx;
    /* nodes more than e^-700 below the best are as good as impossible */
    for (int j = 0; j < PROFILE_NODES; j++) e[j] = exp(pl[j] - mx < -700 ? -700 : pl[j] - mx);
    for (int g = 0; g < CT_SLOPE_TAUS; g++) {
        int w = width[g];
        for (int j = 0; j < CT_SLOPE_NODES; j++) {
            int c = j + OFFSET;
            double s = kern[g][0] * e[c];
            for (int d = 1; d <= w; d++) {
                double l = c - d >= 0 ? e[c - d] : 0, r = c + d < PROFILE_NODES ? e[c + d] : 0;
                s += kern[g][d] * (l + r);
            }
            sp->ll[j][g] += mx + log(s);
        }
    }
    sp->units++;
}

/* The posterior of mu at spread g (flat prior on the nodes): its mean and
 * variance, and the log of its normalising sum (the restricted
 * likelihood of tau2_g). Where the posterior is narrow beside the nodes'
 * spacing, its mean and variance come from the parabola through the best
 * node and its neighbours (exact for a normal posterior). */
static double mu_posterior(const ct_slope_pool *sp, int g, double *mean, double *var)
{
    int best = 0;
    for (int j = 1; j < CT_SLOPE_NODES; j++)
        if (sp->ll[j][g] > sp->ll[best][g]) best = j;
    double mx = sp->ll[best][g], s = 0, s1 = 0, s2 = 0;
    for (int j = 0; j < CT_SLOPE_NODES; j++) {
        double w = exp(sp->ll[j][g] - mx), b = ct_slope_node(j);
        s += w;
        s1 += w * b;
        s2 += w * b * b;
    }
    *mean = s1 / s;
    *var = s2 / s - *mean * *mean;
    if (*var < 0) *var = 0;
    if (best > 0 && best < CT_SLOPE_NODES - 1 && *var < 4 * STEP * STEP) {
        double a = sp->ll[best - 1][g], b = sp->ll[best][g], c = sp->ll[best + 1][g], den = a - 2 * b + c;
        if (den < 0) {
            double off = 0.5 * (a - c) / den;
            if (off > 0.5) off = 0.5;
            if (off < -0.5) off = -0.5;
            *mean = ct_slope_node(best) + STEP * off;
            *var = -STEP * STEP / den;
        }
    }
    return mx + log(s * STEP);
}

int ct_slope_prior(const ct_slope_pool *sp, double *mean, double *var, double *tau2)
{
    if (sp->units < 3) return -1;
    double r[CT_SLOPE_TAUS], m[CT_SLOPE_TAUS], v[CT_SLOPE_TAUS];
    int best = 0;
    for (int g = 0; g < CT_SLOPE_TAUS; g++) {
        r[g] = mu_posterior(sp, g, &m[g], &v[g]);
        if (r[g] > r[best] + 1e-12) best = g;
    }
    /* the spread between nodes: a parabola through the best and its
     * neighbours on the doubling scale, the posterior of mu interpolated */
    double t2 = ct_slope_tau2(best), mu = m[best], vm = v[best];
    if (best > 0 && best < CT_SLOPE_TAUS - 1) {
        double a = r[best - 1], b = r[best], c = r[best + 1], den = a - 2 * b + c;
        double off = den < 0 ? 0.5 * (a - c) / den : 0;
        if (off > 0.5) off = 0.5;
        if (off < -0.5) off = -0.5;
        int o = off < 0 ? best - 1 : best + 1;
        double f = fabs(off);
        t2 = best == 1 && off < 0 ? ct_slope_tau2(1) * (1 + off) : ct_slope_tau2(best) * pow(2.0, off);
        mu = (1 - f) * m[best] + f * m[o];
        vm = (1 - f) * v[best] + f * v[o];
    }
    *mean = mu;
    *var = t2 + vm;
    *tau2 = t2;
    return 0;
}
