/* The calibrated model's fitter and predictive distribution (ct_model,
 * ct_predict) against values computed independently by
 * tests/unit/model_reference.py (scipy: a direct maximisation instead of
 * IRLS, adaptive quadrature instead of Gauss-Hermite), and against cases
 * derived by hand. */
#include "test.h"

#include "project/ct_model.h"
#include "project/ct_predict.h"
#include "project/ct_proj.h"

/* A fit of the given line and variances, as ct_model_finish leaves one. */
static ct_model_fit line_fit(ct_family fam, double eta, double var, double size)
{
    ct_model_fit f;
    memset(&f, 0, sizeof f);
    f.family = fam;
    f.ok = 1;
    f.n = 3;
    f.tc = 2020;
    f.b0 = eta;
    f.c00 = var;
    f.size_last = size;
    f.lo_bound = 0;
    f.hi_bound = fam == CT_FAM_BINOMIAL ? 100 : NAN;
    return f;
}

static void first_pass(void)
{
    const double t[] = {2015, 2016, 2017}, y[] = {50, 70, 80}, den[] = {10, 10, 10};
    ct_model_fit f;
    ct_model_fit_series(CT_FAM_BINOMIAL, t, y, den, 3, 0, 100, 0, &f);
    CHECK(f.ok);
    CHECK_INT(f.family, CT_FAM_BINOMIAL);
    CHECK_NUM(f.tc, 2016, 1e-12);
    /* model_reference.py, part 1 */
    CHECK_NUM(f.b0, 0.7481973280, 1e-8);
    CHECK_NUM(f.b1, 0.7057625197, 1e-8);
    CHECK_NUM(f.c00, 0.1671046326, 1e-8);
    CHECK_NUM(f.c01, 0.0399169254, 1e-8);
    CHECK_NUM(f.c11, 0.2574214370, 1e-8);
    /* no denominator: the normal family; a count below zero likewise */
    ct_model_fit_series(CT_FAM_BINOMIAL, t, y, NULL, 3, 0, 100, 0, &f);
    CHECK_INT(f.family, CT_FAM_NORMAL);
    const double c[] = {3, -1, 4};
    ct_model_fit_series(CT_FAM_POISSON, t, c, NULL, 3, 0, NAN, 0, &f);
    CHECK_INT(f.family, CT_FAM_NORMAL);
    /* one point: no trend */
    ct_model_fit_series(CT_FAM_BINOMIAL, t, y, den, 1, 0, 100, 0, &f);
    CHECK(!f.ok);
}

static void binomial_predictive(void)
{
    ct_model_fit f = line_fit(CT_FAM_BINOMIAL, 1.2, 0.3, 20);
    ct_predictive pd;
    ct_predict_at(&f, 2020, &pd);
    CHECK(pd.ok);
    /* model_reference.py, part 2: 70% of 20 is 14 of 20, 90% is 18 */
    CHECK_NUM(ct_predict_prob_ge(&pd, 70), 0.7431490613, 1e-6);
    CHECK_NUM(ct_predict_prob_ge(&pd, 90), 0.1967393219, 1e-6);
    CHECK_NUM(ct_predict_prob_le(&pd, 50), 0.0600381723, 1e-6);
    /* 66 of 100 is between 65% (13) and 70% (14): the same as 70% */
    CHECK_NUM(ct_predict_prob_ge(&pd, 66), ct_predict_prob_ge(&pd, 70), 1e-15);
    double lo, hi;
    ct_predict_interval(&pd, 0.95, &lo, &hi);
    CHECK_NUM(lo, 50, 1e-9);
    CHECK_NUM(hi, 95, 1e-9);
    CHECK_NUM(ct_predict_quantile(&pd, 0.5), 75, 1e-9);
    CHECK_NUM(ct_predict_center(&pd), 100 / (1 + exp(-1.2)), 1e-12);
    /* the value reached with probability p: reached, and the next one not */
    for (double p = 0.1; p < 0.95; p += 0.2) {
        double v = ct_predict_reached(&pd, p, 1);
        CHECK(ct_predict_prob_ge(&pd, v) >= p);
        CHECK(ct_predict_prob_ge(&pd, v + 5) < p);
        double w = ct_predict_reached(&pd, p, -1);
        CHECK(ct_predict_prob_le(&pd, w) >= p);
        CHECK(ct_predict_prob_le(&pd, w - 5) < p);
    }
    /* nothing below 0% or above 100%: certainties only there */
    CHECK_NUM(ct_predict_prob_ge(&pd, 0), 1, 0);
    CHECK_NUM(ct_predict_prob_ge(&pd, 100.5), 0, 0);
    CHECK_NUM(ct_predict_prob_le(&pd, 100), 1, 0);
}

static void poisson_predictive(void)
{
    ct_model_fit f = line_fit(CT_FAM_POISSON, log(12), 0.05, NAN);
    ct_predictive pd;
    ct_predict_at(&f, 2020, &pd);
    /* model_reference.py, part 3 */
    CHECK_NUM(ct_predict_prob_ge(&pd, 15), 0.2862952086, 1e-6);
    CHECK_NUM(ct_predict_prob_le(&pd, 8), 0.2013719584, 1e-6);
    CHECK_NUM(ct_predict_prob_ge(&pd, 14.5), ct_predict_prob_ge(&pd, 15), 1e-15);
    double lo, hi;
    ct_predict_interval(&pd, 0.95, &lo, &hi);
    CHECK_NUM(lo, 5, 0);
    CHECK_NUM(hi, 21, 0);
    CHECK_NUM(ct_predict_center(&pd), 12, 1e-12);
}

/* 2 of 2 communes clean four years running (by hand): not a certainty, the
 * band reaches 100%, and 90% of 2 communes needs 2 of 2. */
static void constant_series(void)
{
    const double t[] = {2015, 2016, 2017, 2018}, y[] = {100, 100, 100, 100}, den[] = {2, 2, 2, 2};
    ct_model_fit f;
    ct_model_fit_series(CT_FAM_BINOMIAL, t, y, den, 4, 0, 100, 0, &f);
    ct_model_finish(&f, NULL, 0);
    CHECK(f.ok);
    /* the line: the half count gives 8.5 of 9, flat */
    CHECK_NUM(f.b1, 0, 1e-9);
    CHECK_NUM(100 / (1 + exp(-f.b0)), 100 * 8.5 / 9, 1e-6);
    ct_predictive pd;
    ct_predict_at(&f, 2020, &pd);
    double p90 = ct_predict_prob_ge(&pd, 90), p100 = ct_predict_prob_ge(&pd, 100);
    CHECK_NUM(p90, p100, 1e-15);
    CHECK(p100 > 0.5 && p100 < 1);
    double lo, hi;
    ct_predict_interval(&pd, 0.95, &lo, &hi);
    CHECK_NUM(hi, 100, 0);
    CHECK(lo < hi);
    /* constant counts: a band of positive width from the sampling variance */
    const double c[] = {7, 7, 7, 7};
    ct_model_fit_series(CT_FAM_POISSON, t, c, NULL, 4, 0, NAN, 0, &f);
    ct_model_finish(&f, NULL, 0);
    ct_predict_at(&f, 2020, &pd);
    ct_predict_interval(&pd, 0.95, &lo, &hi);
    CHECK(lo < 7 && hi > 7);
    double pg = ct_predict_prob_ge(&pd, 7);
    CHECK(pg > 0 && pg < 1);
}

/* The peers' pool: a unit of two points gets an interval from its peers'
 * noise, and a noisy peer group gives a wider band than a quiet one. */
static void pooling(void)
{
    const double t[] = {2015, 2016, 2017, 2018, 2019}, den[] = {30, 30, 30, 30, 30};
    const double quiet[] = {50, 53.333333, 56.666667, 60, 63.333333};
    const double noisy[] = {40, 70, 43.333333, 76.666667, 50};
    ct_model_pool qp, np_;
    ct_model_pool_init(&qp);
    ct_model_pool_init(&np_);
    ct_model_fit f;
    for (int i = 0; i < 20; i++) {
        ct_model_fit_series(CT_FAM_BINOMIAL, t, quiet, den, 5, 0, 100, 0, &f);
        ct_model_pool_add(&qp, 1, &f);
        ct_model_fit_series(CT_FAM_BINOMIAL, t, noisy, den, 5, 0, 100, 0, &f);
        ct_model_pool_add(&np_, 1, &f);
    }
    const double two[] = {50, 60};
    double lq, hq, ln, hn;
    ct_predictive pd;
    ct_model_fit_series(CT_FAM_BINOMIAL, t + 3, two, den, 2, 0, 100, 0, &f);
    ct_model_finish(&f, &qp, 1);
    CHECK(f.ok);
    ct_predict_at(&f, 2021, &pd);
    ct_predict_interval(&pd, 0.95, &lq, &hq);
    ct_model_fit_series(CT_FAM_BINOMIAL, t + 3, two, den, 2, 0, 100, 0, &f);
    ct_model_finish(&f, &np_, 1);
    CHECK(f.sigma2 > 0.1);
    ct_predict_at(&f, 2021, &pd);
    ct_predict_interval(&pd, 0.95, &ln, &hn);
    CHECK(isfinite(lq) && lq < hq);
    CHECK(hn - ln > hq - lq);
    ct_model_pool_free(&qp);
    ct_model_pool_free(&np_);
}

/* Peers measured well (counts of 4-40 a year): the hierarchical prior
 * (ct_slope.h) lands where their random-effects mean does (DerSimonian
 * and Laird: weights 1 / (v + tau2), computed here from the peers' own
 * first-pass slopes), not at the fixed-effect mean, which leans towards
 * the peers measured best, here those whose counts grow fastest. */
static void slope_prior(void)
{
    const double t[] = {2015, 2016, 2017, 2018, 2019};
    ct_model_pool pool;
    ct_model_pool_init(&pool);
    double sw = 0, swb = 0, swb2 = 0, sw2 = 0, b[12], v[12];
    ct_model_fit f;
    for (int i = 0; i < 12; i++) {
        double y[5], slope = -0.15 + 0.035 * i, mu0 = 4.0 + 3.0 * i;
        for (int j = 0; j < 5; j++) y[j] = floor(mu0 * exp(slope * j) + 0.5);
        ct_model_fit_series(CT_FAM_POISSON, t, y, NULL, 5, 0, NAN, 0, &f);
        CHECK(f.ok);
        ct_model_pool_add(&pool, 2, &f);
        b[i] = f.b1_first;
        v[i] = f.v1_first;
        sw += 1 / v[i];
        swb += b[i] / v[i];
        swb2 += b[i] * b[i] / v[i];
        sw2 += 1 / (v[i] * v[i]);
    }
    double fe = swb / sw, q = swb2 - sw * fe * fe, tau2 = (q - 11) / (sw - sw2 / sw);
    CHECK(tau2 > 0);
    double rw = 0, rwb = 0;
    for (int i = 0; i < 12; i++) {
        rw += 1 / (v[i] + tau2);
        rwb += b[i] / (v[i] + tau2);
    }
    double re = rwb / rw;
    CHECK(fe - re > 0.01); /* the case discriminates */
    const double two[] = {10, 12};
    ct_model_fit_series(CT_FAM_POISSON, t + 3, two, NULL, 2, 0, NAN, 0, &f);
    ct_model_finish(&f, &pool, 2);
    CHECK(f.ok);
    CHECK_NUM(f.b_prior, re, 0.1 * (fe - re));
    /* the spread: the restricted likelihood's, not the moments' estimate */
    CHECK_NUM(1 / f.b_prior_prec, tau2 + 1 / rw, 0.25 * (tau2 + 1 / rw));
    ct_model_pool_free(&pool);
}

/* The hierarchical slope prior on districts of 30 communes, against
 * model_reference.py part 4 (profile likelihoods by scipy's optimiser,
 * adaptive quadrature over the slope, the restricted likelihood of tau2
 * by a continuous search): the two districts 30 of 30 every year add
 * nothing; the nodes (0.05 apart) and the doubling grid of tau2 set the
 * tolerances. */
/* model_reference.py, part 4 */
#define REF_MEAN 0.2646
#define REF_TAU2 0.1199
#define REF_VAR 0.1336
#define REF_NODE 25 /* slope 0.5 */
#define REF_PROFILE -123.03473572

static void hierarchical_prior(void)
{
    static const double k[12][5] = {{19, 17, 15, 13, 11}, {10, 14, 19, 23, 25}, {6, 9, 11, 14, 17},
                                    {22, 22, 22, 22, 22}, {2, 4, 8, 14, 19},    {19, 18, 16, 15, 14},
                                    {16, 21, 25, 27, 28}, {10, 11, 13, 14, 16}, {20, 20, 21, 21, 21},
                                    {9, 12, 15, 18, 21},  {30, 30, 30, 30, 30}, {30, 30, 30, 30, 30}};
    const double t[] = {2015, 2016, 2017, 2018, 2019}, den[] = {30, 30, 30, 30, 30};
    ct_model_pool *pool = malloc(sizeof *pool);
    CHECK(pool != NULL);
    if (!pool) return;
    ct_model_pool_init(pool);
    ct_model_fit f;
    for (int i = 0; i < 12; i++) {
        double y[5];
        for (int j = 0; j < 5; j++) y[j] = 100.0 * k[i][j] / 30;
        ct_model_fit_series(CT_FAM_BINOMIAL, t, y, den, 5, 0, 100, 0, &f);
        CHECK(f.ok);
        ct_model_pool_add(pool, 3, &f);
    }
    CHECK_INT(pool->slope[3].units, 10);
    double mean, var, tau2;
    CHECK_INT(ct_slope_prior(&pool->slope[3], &mean, &var, &tau2), 0);
    CHECK_NUM(mean, REF_MEAN, 0.02);
    CHECK_NUM(tau2, REF_TAU2, 0.25 * REF_TAU2);
    CHECK_NUM(var, REF_VAR, 0.2 * REF_VAR);
    /* a unit's profile likelihood: at its best slope the score is 0 */
    double x[5] = {-2, -1, 0, 1, 2}, pl[CT_SLOPE_NODES];
    CHECK_INT(ct_slope_profile(x, k[0], den, 5, pl), 0);
    CHECK_INT(ct_slope_profile(x, k[10], den, 5, pl), -1);
    CHECK_NUM(pl[REF_NODE] , REF_PROFILE, 1e-6);
    ct_model_fit_series(CT_FAM_BINOMIAL, t + 3, (const double[]){50, 60}, den, 2, 0, 100, 0, &f);
    ct_model_finish(&f, pool, 3);
    CHECK_NUM(f.b_prior, mean, 1e-12);
    CHECK_NUM(1 / f.b_prior_prec, var, 1e-12);
    ct_model_pool_free(pool);
    free(pool);
}

static void link_target(void)
{
    ct_model_fit f = line_fit(CT_FAM_BINOMIAL, 0, 0, 23);
    /* 100% of 23 is crossed when the expected count rounds to 23: 22.5 of 23 */
    CHECK_NUM(ct_predict_link_target(&f, 100, 1), log(22.5 / 0.5), 1e-12);
    CHECK(isinf(ct_predict_link_target(&f, 0, 1)));
    CHECK(isnan(ct_predict_link_target(&f, 101, 1)));
}

int main(void)
{
    ct_proj_init();
    first_pass();
    binomial_predictive();
    poisson_predictive();
    constant_series();
    pooling();
    slope_prior();
    hierarchical_prior();
    link_target();
    return test_report("test_model");
}
