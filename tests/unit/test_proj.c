/* Trends and projections (engine/project/ct_proj.c).
 *
 * Every expected number below was computed independently of the engine with
 * /usr/bin/python3 (numpy 1.24, scipy 1.10) implementing the textbook formulas,
 * or by hand where said:
 *   OLS:  b = Sxy/Sxx, a = ybar - b*xbar, yhat = a + b*x0,
 *         s^2 = SSE/(n-2),
 *         95% PREDICTION interval: yhat +- t(0.975, n-2) * sqrt(s^2 (1 + 1/n + (x0-xbar)^2/Sxx))
 *         with t from scipy.stats.t.ppf(0.975, n-2).
 *   logit: z = log(p/(100-p)) with p clamped to [0.5, 99.5]; OLS on z; back with 100/(1+exp(-z)).
 *   cagr:  OLS on log(y), back with exp.
 *   transition: p(t) = 100 - (100-p0)(1-r)^t.
 */
#include "project/ct_proj.h"
#include "test.h"

#define TOL 1e-6

static void fit(ct_proj_method m, const double *t, const double *y, int n, ct_proj_fit *f)
{
    ct_proj_fit_series(m, t, y, n, f);
}

static void test_linear_pi(void)
{
    /* Series A: x = 2015..2019, y = 10,12,15,15,19.
     * xbar = 2017, Sxx = 10, Sxy = 21 -> b = 2.1, a(2017) = 14.2; SSE = 2.9, s^2 = 2.9/3.
     * t(0.975, 3) = 3.182446305.
     * x0 = 2020: yhat = 20.5, half width = 3.182446*sqrt(0.966667*(1+0.2+0.9)) = 4.375140327
     *   -> [16.124859673, 24.875140327]
     * x0 = 2025: yhat = 31, [22.676822897, 39.323177103] (python). */
    double t[] = {2015, 2016, 2017, 2018, 2019}, y[] = {10, 12, 15, 15, 19};
    ct_proj_fit f;
    fit(CT_PM_LINEAR, t, y, 5, &f);
    CHECK_INT(f.ok, 1);
    CHECK_INT(f.has_interval, 1);
    CHECK_INT(f.n, 5);
    CHECK_NUM(f.c1, 2.1, 1e-9);
    double m, lo, hi;
    ct_proj_at(&f, 2020, &m, &lo, &hi);
    CHECK_NUM(m, 20.5, TOL);
    CHECK_NUM(lo, 16.124859673, TOL);
    CHECK_NUM(hi, 24.875140327, TOL);
    ct_proj_at(&f, 2025, &m, &lo, &hi);
    CHECK_NUM(m, 31.0, TOL);
    CHECK_NUM(lo, 22.676822897, TOL);
    CHECK_NUM(hi, 39.323177103, TOL);
    /* Not the confidence interval of the mean, which at 2020 would be
     * 20.5 +- 3.182446*sqrt(0.966667*(0.2+0.9)) = 20.5 +- 3.281 (narrower). */
    CHECK(hi - lo > 2 * 4.0);

    /* Series B, n = 3: x = 2016,2017,2018, y = 5,9,10; x0 = 2020.
     * b = 2.5, a(2017) = 8, yhat = 15.5; SSE = 1.5, s^2 = 1.5; t(0.975,1) = 12.706204736.
     * half width = 12.706205*sqrt(1.5*(1 + 1/3 + 9/2)) = 37.585460481
     *   -> [-22.085460481, 53.085460481] */
    double tb[] = {2016, 2017, 2018}, yb[] = {5, 9, 10};
    fit(CT_PM_LINEAR, tb, yb, 3, &f);
    CHECK_INT(f.has_interval, 1);
    ct_proj_at(&f, 2020, &m, &lo, &hi);
    CHECK_NUM(m, 15.5, TOL);
    CHECK_NUM(lo, -22.085460481, TOL);
    CHECK_NUM(hi, 53.085460481, TOL);

    /* Series C, decreasing: x = 2014..2019, y = 80,74,71,65,60,57; x0 = 2022.
     * b = -4.657142857, yhat = 42.219047619; t(0.975,4) = 2.776445105
     *   -> [37.943558460, 46.494536778] (python). */
    double tc[] = {2014, 2015, 2016, 2017, 2018, 2019}, yc[] = {80, 74, 71, 65, 60, 57};
    fit(CT_PM_LINEAR, tc, yc, 6, &f);
    ct_proj_at(&f, 2022, &m, &lo, &hi);
    CHECK_NUM(f.c1, -4.657142857, 1e-8);
    CHECK_NUM(m, 42.219047619, TOL);
    CHECK_NUM(lo, 37.943558460, TOL);
    CHECK_NUM(hi, 46.494536778, TOL);

    /* Points with no value (NaN) are left out: the same as series B. */
    double tn[] = {2015, 2016, 2017, 2018}, yn[] = {NAN, 5, 9, 10};
    fit(CT_PM_LINEAR, tn, yn, 4, &f);
    CHECK_INT(f.n, 3);
    ct_proj_at(&f, 2020, &m, &lo, &hi);
    CHECK_NUM(m, 15.5, TOL);
    CHECK_NUM(lo, -22.085460481, TOL);
}

static void test_two_and_one_points(void)
{
    /* n = 2: (2015, 3), (2016, 7): the line through both, 3 + 4*(2018-2015) = 15 by hand;
     * no interval: NaN bounds. */
    double t[] = {2015, 2016}, y[] = {3, 7};
    ct_proj_fit f;
    fit(CT_PM_LINEAR, t, y, 2, &f);
    CHECK_INT(f.ok, 1);
    CHECK_INT(f.has_interval, 0);
    double m, lo, hi;
    ct_proj_at(&f, 2018, &m, &lo, &hi);
    CHECK_NUM(m, 15.0, TOL);
    CHECK(isnan(lo));
    CHECK(isnan(hi));

    /* n = 1: no trend at all. */
    fit(CT_PM_LINEAR, t, y, 1, &f);
    CHECK_INT(f.ok, 0);
    ct_proj_at(&f, 2018, &m, &lo, &hi);
    CHECK(isnan(m) && isnan(lo) && isnan(hi));

    /* n = 0 */
    fit(CT_PM_LINEAR, t, y, 0, &f);
    CHECK_INT(f.ok, 0);
    CHECK_INT(f.n, 0);
}

static void test_logit(void)
{
    double m, lo, hi;
    ct_proj_fit f;

    double t2[] = {2018, 2019}, y2[] = {50, 100};
    /* A value of exactly 100 without a denominator enters as the empirical
     * logit with n = 100 (and 50 stays 50): by hand, z0 = 0,
     * z1 = log(100.5/0.5) = log 201; z(2021) = 3 log 201,
     * p = 100/(1 + 201^-3) = 100 * 8120601/8120602. */
    fit(CT_PM_LOGIT, t2, y2, 2, &f);
    CHECK_INT(f.method, CT_PM_LOGIT);
    CHECK_NUM(f.c1, log(201.0), 1e-9);
    ct_proj_at(&f, 2021, &m, &lo, &hi);
    CHECK_NUM(m, 100.0 * 8120601.0 / 8120602.0, 1e-7);

    /* With its denominator: 1 of 2 communes, then 2 of 2. z1 = log(2.5/0.5) = log 5. */
    double d2[] = {2, 2};
    ct_proj_fit_counts(CT_PM_LOGIT, t2, y2, d2, 2, &f);
    CHECK_NUM(f.c1, log(5.0), 1e-12);
    /* A two-commune district going 0 -> 50%: z0 = log(0.5/2.5) = -log 5, z1 = 0;
     * the next year z = log 5: 100 * 5/6 = 83.33, not 99.5. */
    double y0[] = {0, 50};
    ct_proj_fit_counts(CT_PM_LOGIT, t2, y0, d2, 2, &f);
    ct_proj_at(&f, 2020, &m, &lo, &hi);
    CHECK_NUM(m, 500.0 / 6.0, 1e-9);
    /* a series with a value above 100 is not a percentage that logit can fit */
    double yo[] = {90, 104};
    fit(CT_PM_LOGIT, t2, yo, 2, &f);
    CHECK_INT(f.method, CT_PM_LINEAR);

    /* A series near 100 without counts: 90, 96, 99, 100 (2016..2019); 100 -> log 201.
     * numpy/scipy: at 2022 mean 99.982478367, PI [99.866502621, 99.997702590];
     * at 2019 mean 99.563047487, PI [98.631943569, 99.861329831]. */
    double t[] = {2016, 2017, 2018, 2019}, y[] = {90, 96, 99, 100};
    fit(CT_PM_LOGIT, t, y, 4, &f);
    CHECK_INT(f.has_interval, 1);
    ct_proj_at(&f, 2022, &m, &lo, &hi);
    CHECK_NUM(m, 99.982478367, TOL);
    CHECK_NUM(lo, 99.866502621, TOL);
    CHECK_NUM(hi, 99.997702590, TOL);
    CHECK(lo > 0 && hi < 100);
    ct_proj_at(&f, 2019, &m, &lo, &hi);
    CHECK_NUM(m, 99.563047487, TOL);
    CHECK_NUM(lo, 98.631943569, TOL);
    CHECK_NUM(hi, 99.861329831, TOL);
    /* further out the band still stays inside (0, 100) (by 2060 exp(-z) underflows
     * below the double precision of 100, so the check stops at 2030) */
    ct_proj_at(&f, 2030, &m, &lo, &hi);
    CHECK(m < 100 && hi < 100 && lo > 0);
    ct_proj_at(&f, 2060, &m, &lo, &hi);
    CHECK(m <= 100 && hi <= 100 && lo > 0);

    /* Decreasing to exactly 0 without counts: 10, 5, 2, 0 -> 0 as log(0.5/100.5);
     * numpy/scipy: at 2022 mean 0.027355692, PI [0.002576384, 0.289768440]. */
    double yz[] = {10, 5, 2, 0};
    fit(CT_PM_LOGIT, t, yz, 4, &f);
    ct_proj_at(&f, 2022, &m, &lo, &hi);
    CHECK_NUM(m, 0.027355692, TOL);
    CHECK_NUM(lo, 0.002576384, TOL);
    CHECK_NUM(hi, 0.289768440, TOL);
    CHECK(lo > 0 && m > 0 && hi < 100);
}

static void test_cagr(void)
{
    /* y = 100 * 1.05^k, k = 0..4 (2015..2019): the log-linear fit is exact,
     * 2021 -> 100 * 1.05^6 = 134.009564063 (python), and the interval collapses. */
    double t[5], y[5];
    for (int i = 0; i < 5; i++) { t[i] = 2015 + i; y[i] = 100 * pow(1.05, i); }
    ct_proj_fit f;
    fit(CT_PM_CAGR, t, y, 5, &f);
    CHECK_INT(f.method, CT_PM_CAGR);
    CHECK_NUM(f.c1, log(1.05), 1e-9);
    double m, lo, hi;
    ct_proj_at(&f, 2021, &m, &lo, &hi);
    CHECK_NUM(m, 134.009564063, TOL);
    CHECK_NUM(lo, 134.009564063, 1e-5);
    CHECK_NUM(hi, 134.009564063, 1e-5);
    /* decreasing geometric: 80 * 0.5^k -> 2020: 80 * 0.5^5 = 2.5 */
    for (int i = 0; i < 5; i++) y[i] = 80 * pow(0.5, i);
    fit(CT_PM_CAGR, t, y, 5, &f);
    ct_proj_at(&f, 2020, &m, &lo, &hi);
    CHECK_NUM(m, 2.5, TOL);
}

static void test_transition(void)
{
    /* p(t+1) = p(t) + r(100 - p(t)) => p(t) = 100 - (100 - p0)(1 - r)^t.
     * p0 = 92.283465, 5 years: r = 0.07 -> 94.631696349, r = 0.10 -> 95.443463248 (python). */
    ct_proj_fit f;
    ct_proj_fit_transition(92.283465, 2015, 0.07, 0.10, &f);
    CHECK_INT(f.ok, 1);
    CHECK_INT(f.method, CT_PM_TRANSITION);
    double m, lo, hi;
    ct_proj_at(&f, 2020, &m, &lo, &hi);
    CHECK_NUM(lo, 94.631696349, TOL);
    CHECK_NUM(hi, 95.443463248, TOL);
    CHECK(m >= lo && m <= hi);
    /* one year by hand: 92.283465 + 0.07 * 7.716535 = 92.82362245 */
    ct_proj_at(&f, 2016, &m, &lo, &hi);
    CHECK_NUM(lo, 92.82362245, 1e-8);
    CHECK_NUM(hi, 92.283465 + 0.1 * 7.716535, 1e-8);
    /* rate needed: 1 - ((100-95)/(100-92.283465))^(1/5) = 0.083126259 (python) */
    CHECK_NUM(ct_proj_transition_rate_needed(92.283465, 95, 5), 0.083126259, 1e-8);
    CHECK_NUM(ct_proj_transition_rate_needed(92.283465, 95, 5), 0.0831, 1e-4);
    /* by hand: from 75 to 87.5 in 1 year: 1 - 12.5/25 = 0.5 */
    CHECK_NUM(ct_proj_transition_rate_needed(75, 87.5, 1), 0.5, 1e-12);
    /* the rate needed, applied, reaches the target */
    ct_proj_fit_transition(92.283465, 2015, 0.083126259, 0.083126259, &f);
    ct_proj_at(&f, 2020, &m, &lo, &hi);
    CHECK_NUM(m, 95.0, 1e-6);
}

static void test_rates(void)
{
    /* UNSD worked example: baseline 2015 = 40, latest 2020 = 50, target 100 by 2030.
     * observed (50/40)^(1/5) - 1 = 0.045639553, required (100/40)^(1/15) - 1 = 0.062990379,
     * ratio 0.724547988 (python). */
    double obs = ct_proj_rate_compound(40, 50, 5), req = ct_proj_rate_compound(40, 100, 15);
    CHECK_NUM(obs, 0.04564, 1e-5);
    CHECK_NUM(obs, 0.045639553, 1e-8);
    CHECK_NUM(req, 0.06299, 1e-5);
    CHECK_NUM(req, 0.062990379, 1e-8);
    CHECK_NUM(obs / req, 0.7245, 1e-4);
    /* compound by hand: 100 -> 121 in 2 years = 10%; 64 -> 27 in 3 years: 0.75 - 1 = -0.25 */
    CHECK_NUM(ct_proj_rate_compound(100, 121, 2), 0.10, 1e-12);
    CHECK_NUM(ct_proj_rate_compound(64, 27, 3), -0.25, 1e-12);
    /* a zero replaced by 0.001: (5/0.001)^(1/2) - 1 = sqrt(5000) - 1 = 69.710678119 */
    CHECK_NUM(ct_proj_rate_compound(0, 5, 2), 69.710678119, 1e-8);
    /* (0.001/4)^(1/2) - 1 = sqrt(0.00025) - 1 = -0.984188612 */
    CHECK_NUM(ct_proj_rate_compound(4, 0, 2), sqrt(0.00025) - 1, 1e-12);
    /* linear, points a year: 50 -> 75 in 2 years = 12.5; 50 -> 100 in 5 years = 10 */
    CHECK_NUM(ct_proj_rate_linear(50, 75, 2), 12.5, 1e-12);
    CHECK_NUM(ct_proj_rate_linear(50, 100, 5), 10.0, 1e-12);
    CHECK_NUM(ct_proj_rate_linear(90, 63, 5), -5.4, 1e-12);
}

static void test_met_year(void)
{
    /* Series A: 14.2 + 2.1 (year - 2017). Target 25: 2022 -> 24.7, 2023 -> 26.8 => 2023.
     * Target 22.6 is met exactly in 2021 (14.2 + 8.4): equality counts as met. */
    double t[] = {2015, 2016, 2017, 2018, 2019}, y[] = {10, 12, 15, 15, 19};
    ct_proj_fit f;
    fit(CT_PM_LINEAR, t, y, 5, &f);
    CHECK_INT(ct_proj_met_year(&f, 25, +1, 2020, 2100), 2023);
    CHECK_INT(ct_proj_met_year(&f, 25, +1, 2020, 2022), 0);
    /* a target far beyond any year: no crossing, and no overflow on the way */
    CHECK_INT(ct_proj_met_year(&f, 3e298, +1, 2020, 2100), 0);
    CHECK_INT(ct_proj_met_year(&f, 22.6, +1, 2020, 2100), 2021);
    /* an increasing trend never reaches a lower target going down */
    CHECK_INT(ct_proj_met_year(&f, 5, -1, 2020, 2100), 0);
    /* Series C (decreasing), 42.219 in 2022: -4.657142857 a year (python):
     * 2020 51.533, 2021 46.876 -> at most 50 in 2021; at most 10: 2028 14.276, 2029 9.619 -> 2029. */
    double tc[] = {2014, 2015, 2016, 2017, 2018, 2019}, yc[] = {80, 74, 71, 65, 60, 57};
    fit(CT_PM_LINEAR, tc, yc, 6, &f);
    CHECK_INT(ct_proj_met_year(&f, 50, -1, 2020, 2100), 2021);
    CHECK_INT(ct_proj_met_year(&f, 10, -1, 2020, 2100), 2029);
    /* no trend: 0 */
    fit(CT_PM_LINEAR, tc, yc, 1, &f);
    CHECK_INT(ct_proj_met_year(&f, 50, -1, 2020, 2100), 0);
}

static void test_method_names(void)
{
    ct_proj_method m;
    CHECK_INT(ct_proj_method_parse("logit", &m), 0);
    CHECK_INT(m, CT_PM_LOGIT);
    CHECK_INT(ct_proj_method_parse("cagr", &m), 0);
    CHECK_INT(m, CT_PM_CAGR);
    CHECK_INT(ct_proj_method_parse("transition", &m), 0);
    CHECK_INT(m, CT_PM_TRANSITION);
    CHECK_INT(ct_proj_method_parse("quadratic", &m), -1);
    CHECK_STR(ct_proj_method_name(CT_PM_LINEAR), "linear");
    CHECK_STR(ct_proj_method_name(CT_PM_AUTO), "auto");
}

/* The chance that the target year meets the target: Student t predictive
 * distribution with n - 2 degrees of freedom (numpy/scipy). */
static void test_probability(void)
{
    ct_proj_fit f;
    double t[] = {2016, 2017, 2018, 2019}, y[] = {10, 12, 15, 16};
    fit(CT_PM_LINEAR, t, y, 4, &f);
    CHECK_NUM(ct_proj_probability(&f, 2021, 20, +1), 0.674666752922, 1e-9);
    CHECK_NUM(ct_proj_probability(&f, 2021, 20, -1), 0.325333247078, 1e-9);
    CHECK_NUM(ct_proj_probability(&f, 2021, 23, +1), 0.084722875876, 1e-9);
    /* two points: no interval, no probability */
    fit(CT_PM_LINEAR, t, y, 2, &f);
    CHECK(isnan(ct_proj_probability(&f, 2021, 20, +1)));
    /* bounds: a falling count is not projected below 0 */
    double yd[] = {30, 20, 12, 5};
    fit(CT_PM_LINEAR, t, yd, 4, &f);
    ct_proj_bound(&f, 0, NAN);
    double m, lo, hi;
    ct_proj_at(&f, 2022, &m, &lo, &hi);
    CHECK_NUM(m, 0, 0);
    CHECK_NUM(lo, 0, 0);
    CHECK(hi >= 0); /* no bound is below 0 */
}

int main(void)
{
    ct_proj_init();
    test_linear_pi();
    test_two_and_one_points();
    test_logit();
    test_probability();
    test_cagr();
    test_transition();
    test_rates();
    test_met_year();
    test_method_names();
    return test_report("test_proj");
}
