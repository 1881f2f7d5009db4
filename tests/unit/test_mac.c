/* mac suite: each curve form against hand-computed values, truncation, and bad curves. */
#include <math.h>
#include <string.h>

#include "equilibrium.h"
#include "mac.h"
#include "mac_fit.h"
#include "scenario.h"
#include "suites.h"

static void test_linear(void)
{
    ElMac *m = NULL;
    ElError err;
    CU_ASSERT_EQUAL_FATAL(el_mac_create_linear(&m, 2, 0.5, 100, &err), EL_OK);
    CHECK_REL(el_mac_value(m, 10), 7);                  /* 2 + 0.5 * 10 */
    CHECK_REL(el_mac_cost(m, 10), 2 * 10 + 0.25 * 100); /* alpha q + c q^2 / 2 */
    CHECK_REL(el_mac_abatement_at(m, 7), 10);
    CHECK_REL(el_mac_abatement_at(m, 1), 0);      /* below the intercept */
    CHECK_REL(el_mac_abatement_at(m, 1000), 100); /* the curve's end */
    CHECK_REL(el_mac_max_abatement(m), 100);
    CU_ASSERT_EQUAL(el_mac_truncate(m, 40, &err), EL_OK);
    CHECK_REL(el_mac_max_abatement(m), 40);
    el_mac_free(m);
    CU_ASSERT_EQUAL(el_mac_create_linear(&m, 0, -1, 10, &err), EL_ERR_INPUT);
    CU_ASSERT_PTR_NULL(m);
    CU_ASSERT_EQUAL(el_mac_create_linear(&m, -3, 1, 10, &err), EL_ERR_INPUT);
    CU_ASSERT_EQUAL(el_mac_create_linear(&m, 0, nan(""), 10, &err), EL_ERR_INPUT);
    el_mac_free(NULL);
}

static void test_points(void)
{
    double q[3] = {0, 10, 20}, p[3] = {0, 10, 30};
    ElMac *m = NULL, *c = NULL;
    ElError err;
    CU_ASSERT_EQUAL_FATAL(el_mac_create_points(&m, q, p, 3, &err), EL_OK);
    CU_ASSERT_EQUAL(el_mac_piece_count(m), 2);
    CHECK_REL(el_mac_value(m, 15), 20);
    CHECK_REL(el_mac_cost(m, 15), 50 + 10 * 5 + 25);
    CHECK_REL(el_mac_abatement_at(m, 20), 15);
    CU_ASSERT_EQUAL(el_mac_copy(&c, m, &err), EL_OK);
    CU_ASSERT_EQUAL(el_mac_truncate(c, 12, &err), EL_OK);
    CHECK_REL(el_mac_max_abatement(c), 12);
    CHECK_REL(el_mac_max_abatement(m), 20); /* the copy is independent */
    el_mac_free(c);
    el_mac_free(m);
    p[2] = 5;
    CU_ASSERT_EQUAL(el_mac_create_points(&m, q, p, 3, &err), EL_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "non-decreasing"));
    CU_ASSERT_EQUAL(el_mac_create_points(&m, q, p, 1, &err), EL_ERR_INPUT);
}

static void test_steps(void)
{
    double q[3] = {5, 5, 10}, p[3] = {10, 20, 40};
    ElMac *m = NULL;
    ElError err;
    CU_ASSERT_EQUAL_FATAL(el_mac_create_steps(&m, q, p, 3, &err), EL_OK);
    CHECK_REL(el_mac_value(m, 7), 20);
    CHECK_REL(el_mac_value(m, 5), 20); /* right-continuous at a boundary */
    CHECK_REL(el_mac_cost(m, 7), 50 + 40);
    CHECK_REL(el_mac_abatement_at(m, 25), 10);
    CHECK_REL(el_mac_abatement_at(m, 40), 20);
    CHECK_REL(el_mac_max_abatement(m), 20);
    el_mac_free(m);
    q[1] = -1;
    CU_ASSERT_EQUAL(el_mac_create_steps(&m, q, p, 3, &err), EL_ERR_INPUT);
}

/* Exact data are recovered: p = 2 + 0.5 q + 0.01 q^2, p = 1 + q + 0.1 q^2 + 0.002 q^3,
 * p = 3 q^1.5. */
static void test_fit_exact(void)
{
    double q[8], p[8], pc[8], pp[6], qq[6];
    ElMac *m = NULL;
    ElMacFit *fit = NULL;
    ElError err;
    int i;
    for (i = 0; i < 8; i++) {
        q[i] = 5.0 * i;
        p[i] = 2 + 0.5 * q[i] + 0.01 * q[i] * q[i];
        pc[i] = 1 + q[i] + 0.1 * q[i] * q[i] + 0.002 * q[i] * q[i] * q[i];
    }
    CU_ASSERT_EQUAL_FATAL(el_mac_fit(&m, &fit, EL_FIT_QUADRATIC, q, p, 8, 100, &err), EL_OK);
    CHECK_REL(fit->coef[0], 2);
    CHECK_REL(fit->coef[1], 0.5);
    CHECK_REL(fit->coef[2], 0.01);
    CU_ASSERT(fit->rms < 1e-9);
    CHECK_REL(el_mac_max_abatement(m), 100);
    CU_ASSERT(fit->max_gap < 0.01 * (100.0 / EL_FIT_POINTS) * (100.0 / EL_FIT_POINTS));
    el_mac_free(m);
    el_mac_fit_free(fit);
    CU_ASSERT_EQUAL_FATAL(el_mac_fit(&m, &fit, EL_FIT_CUBIC, q, pc, 8, 50, &err), EL_OK);
    CHECK_REL(fit->coef[3], 0.002);
    CHECK_REL(fit->coef[1], 1);
    el_mac_free(m);
    el_mac_fit_free(fit);
    for (i = 0; i < 6; i++) {
        qq[i] = i + 1;
        pp[i] = 3 * pow(qq[i], 1.5);
    }
    CU_ASSERT_EQUAL_FATAL(el_mac_fit(&m, &fit, EL_FIT_POWER, qq, pp, 6, 20, &err), EL_OK);
    CHECK_REL(fit->coef[0], 3);
    CHECK_REL(fit->coef[1], 1.5);
    el_mac_free(m);
    el_mac_fit_free(fit);
}

/* Noisy data against the normal equations (X'X) b = X'p solved by Cramer's rule. */
static void test_fit_least_squares(void)
{
    double q[6] = {0, 2, 4, 6, 8, 10}, p[6] = {1.0, 2.9, 5.2, 6.8, 9.5, 11.6};
    double S[5] = {0}, T[3] = {0}, M[3][3], D, b[3];
    ElMac *m = NULL;
    ElMacFit *fit = NULL;
    ElError err;
    int i, k, c;
    for (i = 0; i < 6; i++) {
        double v = 1;
        for (k = 0; k < 5; k++) {
            S[k] += v;
            if (k < 3)
                T[k] += v * p[i];
            v *= q[i];
        }
    }
    for (k = 0; k < 3; k++)
        for (c = 0; c < 3; c++)
            M[k][c] = S[k + c];
#define DET3(A)                                                    \
    ((A)[0][0] * ((A)[1][1] * (A)[2][2] - (A)[1][2] * (A)[2][1]) - \
     (A)[0][1] * ((A)[1][0] * (A)[2][2] - (A)[1][2] * (A)[2][0]) + \
     (A)[0][2] * ((A)[1][0] * (A)[2][1] - (A)[1][1] * (A)[2][0]))
    D = DET3(M);
    for (c = 0; c < 3; c++) {
        double Mc[3][3];
        memcpy(Mc, M, sizeof(M));
        for (k = 0; k < 3; k++)
            Mc[k][c] = T[k];
        b[c] = DET3(Mc) / D;
    }
#undef DET3
    CU_ASSERT_EQUAL_FATAL(el_mac_fit(&m, &fit, EL_FIT_QUADRATIC, q, p, 6, 10, &err), EL_OK);
    for (c = 0; c < 3; c++)
        CHECK_REL(fit->coef[c], b[c]);
    CU_ASSERT(fit->rms > 0);
    el_mac_free(m);
    el_mac_fit_free(fit);
}

static void test_fit_rejected(void)
{
    double q[4] = {0, 10, 20, 30}, down[4] = {30, 20, 12, 5}, neg[4] = {-5, 5, 15, 25};
    ElMac *m = NULL;
    ElMacFit *fit = NULL;
    ElError err;
    CU_ASSERT_EQUAL(el_mac_fit(&m, &fit, EL_FIT_QUADRATIC, q, down, 4, 30, &err), EL_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not non-decreasing"));
    CU_ASSERT_EQUAL(el_mac_fit(&m, &fit, EL_FIT_QUADRATIC, q, neg, 4, 30, &err), EL_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "negative MAC"));
    CU_ASSERT_EQUAL(el_mac_fit(&m, &fit, EL_FIT_CUBIC, q, neg, 3, 30, &err), EL_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "cannot determine"));
    CU_ASSERT_EQUAL(el_mac_fit(&m, &fit, EL_FIT_POWER, q, down, 4, 30, &err), EL_ERR_INPUT);
    CU_ASSERT_PTR_NULL(m);
    CU_ASSERT_PTR_NULL(fit);
}

/* Equilibria on a fitted curve see the fitted function itself (docs/model.md §1): in autarky
 * the price is the fit at R; linked with B (MAC = b, R 10), the price p solves
 * a_A(p) + p = 30 with a_A the inverse of the fit, found here by bisection. */
static double inverse_fit(double p)
{
    /* 0.01 a^2 + 0.5 a + 2 = p */
    return (-0.5 + sqrt(0.25 - 0.04 * (2 - p))) / 0.02;
}

static void test_fit_equilibrium(void)
{
    double q[8], p[8], lo = 2, hi = 60, pl;
    ElMac *m = NULL, *mb = NULL;
    ElMacFit *fit = NULL;
    ElScenario *s = NULL;
    ElRun *run;
    ElError err;
    int i, members[2] = {0, 1};
    for (i = 0; i < 8; i++) {
        q[i] = 5.0 * i;
        p[i] = 2 + 0.5 * q[i] + 0.01 * q[i] * q[i];
    }
    CU_ASSERT_EQUAL_FATAL(el_mac_fit(&m, &fit, EL_FIT_QUADRATIC, q, p, 8, 100, &err), EL_OK);
    el_mac_create_linear(&mb, 0, 1, HUGE_VAL, &err);
    el_scenario_create(&s, "t", "USD", "Mt", &err);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_jurisdiction(s, "A", "A", 100, 80, m, 0, &err), EL_OK);
    s->jur[0].fit = fit;
    el_scenario_add_jurisdiction(s, "B", "B", 100, 90, mb, 0, &err);
    el_scenario_add_design(s, "ab", 0, &err);
    el_scenario_add_group(s, 0, members, 2, 0, &err);
    CU_ASSERT_EQUAL_FATAL(el_scenario_finish(s, &err), EL_OK);
    run = test_solve(s);
    CU_ASSERT_FATAL(run != NULL);
    CHECK_REL(run->autarky.jur[0].price, 2 + 0.5 * 20 + 0.01 * 400);
    for (i = 0; i < 200; i++) {
        pl = 0.5 * (lo + hi);
        if (inverse_fit(pl) + pl > 30)
            hi = pl;
        else
            lo = pl;
    }
    CHECK_REL(run->designs[0].jur[0].price, pl);
    CHECK_REL(run->designs[0].jur[1].abatement, pl);
    CHECK_REL(run->designs[0].jur[0].abatement, inverse_fit(pl));
    el_run_free(run);
    el_scenario_free(s);
}

CU_TestInfo mac_tests[] = {
    {"linear", test_linear},
    {"points", test_points},
    {"steps", test_steps},
    {"fit: exact data recovered", test_fit_exact},
    {"fit: least squares by hand", test_fit_least_squares},
    {"fit: invalid fits rejected", test_fit_rejected},
    {"fit: equilibrium on a fitted curve", test_fit_equilibrium},
    CU_TEST_INFO_NULL,
};
