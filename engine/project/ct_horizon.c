#include "ct_horizon.h"

#include <math.h>
#include <stdlib.h>

double ct_horizon_phi(int d) { return d <= 0 ? 1 : 1.0 - 0.1 * d; }

double ct_horizon_years(double h, double damp)
{
    if (damp <= 0) return h;
    double phi = 1 - damp;
    return phi * (1 - pow(phi, h)) / damp;
}

int ct_horizon_add(ct_horizon_set *s, const ct_horizon_rec *r)
{
    if (s->n == s->cap) {
        int cap = s->cap ? 2 * s->cap : 64;
        ct_horizon_rec *p = realloc(s->rec, (size_t)cap * sizeof *p);
        if (!p) return -1;
        s->rec = p;
        s->cap = cap;
    }
    s->rec[s->n++] = *r;
    return 0;
}

void ct_horizon_free(ct_horizon_set *s)
{
    free(s->rec);
    s->rec = NULL;
    s->n = s->cap = 0;
}

double ct_horizon_kappa2(int g) { return g <= 0 ? 0 : 0.001 * pow(2.0, g - 1); }

/* Gauss-Hermite nodes (weight exp(-x^2), normalised): the held-out
 * count's probability over the forecast's link-scale distribution. */
enum { GH = 10 };
static const double gh_x[GH] = {-3.4361591188377376, -2.5327316742327897, -1.7566836492998817, -1.0366108297895136,
                                -0.3429013272237046, 0.3429013272237046,  1.0366108297895136,  1.7566836492998817,
                                2.5327316742327897,  3.4361591188377376};
static const double gh_w[GH] = {7.640432855232621e-06, 0.0013436457467812327, 0.033874394455481064,
                                0.24013861108231469,   0.6108626337353258,    0.6108626337353258,
                                0.24013861108231469,   0.033874394455481064,  0.0013436457467812327,
                                7.640432855232621e-06};

/* log f(k | eta), less what does not depend on eta */
static double log_pmf(double k, double n, double eta)
{
    if (n > 0) {
        double lp = eta > 0 ? -log1p(exp(-eta)) : eta - log1p(exp(eta));
        return k * lp + (n - k) * (lp - eta);
    }
    return k * eta - exp(eta < 700 ? eta : 700);
}

static double log_pred(double k, double n, double f, double v)
{
    double l[GH], mx = -INFINITY, s = 0, sd = sqrt(2 * v);
    for (int j = 0; j < GH; j++) {
        l[j] = log_pmf(k, n, f + sd * gh_x[j]);
        if (l[j] > mx) mx = l[j];
    }
    for (int j = 0; j < GH; j++) s += gh_w[j] / 1.7724538509055159 * exp(l[j] - mx);
    return mx + log(s);
}

void ct_horizon_estimate(const ct_horizon_set *s, double b_mean, double b_prec, double sigma2, double infl,
                         double *damp, double *kappa2)
{
    *damp = *kappa2 = 0;
    if (s->n < CT_HORIZON_MIN) return;
    double ll[CT_HORIZON_DAMP][CT_HORIZON_KAPPA] = {{0}};
    int stride = s->n > CT_HORIZON_USE ? (s->n + CT_HORIZON_USE - 1) / CT_HORIZON_USE : 1;
    int used = 0;
    for (int i = 0; i < s->n; i += stride) {
        const ct_horizon_rec *r = &s->rec[i];
        /* the training line's covariance with the year-to-year variance */
        double g = r->vsm > 0 ? 1 + sigma2 / r->vsm : 1;
        double a = r->vee * g, c = r->veb * g, d = r->vbb * g, det = a * d - c * c;
        if (!(det > 0)) continue;
        /* the slope prior as one more equation (the model's second pass):
         * posterior precision Q = C^-1 + diag(0, b_prec) */
        double q00 = d / det, q01 = -c / det, q11 = a / det + b_prec;
        double r0 = q00 * r->e + q01 * r->b, r1 = q01 * r->e + (a / det) * r->b + b_prec * b_mean;
        double qd = q00 * q11 - q01 * q01;
        if (!(qd > 0)) continue;
        double p00 = q11 / qd, p01 = -q01 / qd, p11 = q00 / qd;
        double e = p00 * r0 + p01 * r1, b = p01 * r0 + p11 * r1;
        used++;
        for (int k = 0; k < CT_HORIZON_DAMP; k++) {
            double y = ct_horizon_years(r->h, 1 - ct_horizon_phi(k));
            double v = (p00 + 2 * y * p01 + y * y * p11) * infl + sigma2;
            for (int q = 0; q < CT_HORIZON_KAPPA; q++)
                ll[k][q] += log_pred(r->k, r->n, e + b * y, v + ct_horizon_kappa2(q) * r->h * r->h);
        }
    }
    int bk = 0, bq = 0;
    double best = ll[0][0], pen = 0.5 * log((double)used);
    for (int k = 0; k < CT_HORIZON_DAMP; k++)
        for (int q = 0; q < CT_HORIZON_KAPPA; q++) {
            double score = ll[k][q] - pen * ((k > 0) + (q > 0));
            if (score > best + 1e-9) {
                best = score;
                bk = k;
                bq = q;
            }
        }
    *damp = 1 - ct_horizon_phi(bk);
    *kappa2 = ct_horizon_kappa2(bq);
}
