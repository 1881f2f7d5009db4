/* Solver suite: equilibria against the closed forms of docs/model.md §3 (linear MACs through the
 * origin or with an intercept), hand-solved step and point curves, generated problems with a
 * known optimum, and the no-equilibrium diagnosis. Every expected value below is computed from
 * a formula or by hand, never taken from the solver. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "el_la.h"
#include "load.h"
#include "lp.h"
#include "qp.h"
#include "suites.h"

/* Add a design holding one group of all n jurisdictions; returns its index. */
static int add_full_group(ElScenario *s, int n)
{
    ElError err;
    int members[600], j;
    el_scenario_add_design(s, "full", 0, &err);
    for (j = 0; j < n; j++)
        members[j] = j;
    el_scenario_add_group(s, s->ndesigns - 1, members, n, 0, &err);
    return s->ndesigns - 1;
}

static void test_autarky(void)
{
    double bau[3] = {100, 50, 80}, cap[3] = {80, 40, 90}, c[3] = {2, 0.5, 1};
    ElScenario *s = test_linear_scenario(3, bau, cap, c, NULL);
    ElDesignResult r;
    ElError err;
    int j;
    CU_ASSERT_FATAL(s != NULL);
    CU_ASSERT_FATAL(el_scenario_finish(s, &err) == EL_OK);
    CU_ASSERT_FATAL(test_design_solve(s, -1, NULL, &r, &err) == EL_OK);
    CU_ASSERT_EQUAL(r.outcome, EL_OPTIMAL);
    for (j = 0; j < 3; j++) {
        double R = bau[j] - cap[j], p = R > 0 ? c[j] * R : 0;
        CHECK_REL(r.jur[j].price, p);
        CHECK_REL(r.jur[j].abatement, R > 0 ? R : 0);
        CHECK_REL(r.jur[j].abatement_cost, R > 0 ? c[j] * R * R / 2 : 0);
        CHECK_REL(r.jur[j].emissions, bau[j] - (R > 0 ? R : 0));
    }
    el_design_result_clear(&r);
    el_scenario_free(s);
}

/* Full link of n jurisdictions with MAC c_j a on [0, bau_j]: p = sum R / sum 1/c over the
 * members not at the end of their curve (water-filling: a member whose p / c_j exceeds bau_j
 * abates bau_j and drops out); gain_j = autarky cost - (abatement cost + p m_j). */
static void check_full_link(int n, const double *bau, const double *cap, const double *c)
{
    ElScenario *s = test_linear_scenario(n, bau, cap, c, NULL);
    ElRun *run;
    ElError err;
    double p = 0, total = 0;
    int j, changed = 1;
    char *atend = calloc((size_t)n, 1);
    CU_ASSERT_FATAL(s != NULL && atend != NULL);
    add_full_group(s, n);
    CU_ASSERT_FATAL(el_scenario_finish(s, &err) == EL_OK);
    run = test_solve(s);
    CU_ASSERT_FATAL(run != NULL);
    while (changed) {
        double num = 0, den = 0;
        changed = 0;
        for (j = 0; j < n; j++) {
            num += bau[j] - cap[j];
            if (atend[j])
                num -= bau[j];
            else
                den += 1 / c[j];
        }
        p = num / den;
        for (j = 0; j < n; j++)
            if (!atend[j] && p / c[j] > bau[j]) {
                atend[j] = 1;
                changed = 1;
            }
    }
    for (j = 0; j < n; j++) {
        double R = bau[j] - cap[j], a = atend[j] ? bau[j] : p / c[j], m = R - a;
        double gain = c[j] * R * R / 2 - (c[j] * a * a / 2 + p * m);
        const ElJurResult *q = &run->designs[0].jur[j];
        CHECK_REL(q->price, p);
        CHECK_REL(q->abatement, a);
        CHECK_REL(q->net_imports, m);
        CHECK_REL(q->payments, p * m);
        CHECK_REL(q->gain, gain);
        if (!atend[j])
            CHECK_REL(gain, c[j] * m * m / 2); /* model.md §3 */
        total += gain;
    }
    CHECK_REL(run->designs[0].gain, total);
    free(atend);
    el_run_free(run);
    el_scenario_free(s);
}

static void test_full_link_2(void)
{
    double bau[2] = {1000, 600}, cap[2] = {900, 500}, c[2] = {0.05, 0.4};
    check_full_link(2, bau, cap, c);
}

static void test_full_link_5(void)
{
    double bau[5] = {100, 200, 50, 80, 400}, cap[5] = {90, 150, 45, 60, 390},
           c[5] = {3, 0.2, 7, 1.5, 0.05};
    check_full_link(5, bau, cap, c);
}

/* A jurisdiction with a surplus (cap above BAU) sells into the link. */
static void test_surplus(void)
{
    double bau[2] = {100, 100}, cap[2] = {120, 60}, c[2] = {1, 2};
    ElScenario *s = test_linear_scenario(2, bau, cap, c, NULL);
    ElRun *run;
    ElError err;
    double R0 = -20, R1 = 40, p = (R0 + R1) / (1 / c[0] + 1 / c[1]);
    CU_ASSERT_FATAL(s != NULL);
    add_full_group(s, 2);
    CU_ASSERT_FATAL(el_scenario_finish(s, &err) == EL_OK);
    run = test_solve(s);
    CU_ASSERT_FATAL(run != NULL);
    CHECK_REL(run->autarky.jur[0].price, 0);
    CHECK_REL(run->autarky.jur[0].abatement, 0);
    CHECK_REL(run->autarky.jur[1].price, c[1] * R1);
    CHECK_REL(run->designs[0].jur[0].price, p);
    CHECK_REL(run->designs[0].jur[0].abatement, p / c[0]);
    /* seller's gain: receipts minus its abatement cost, from a zero-cost autarky */
    CHECK_REL(run->designs[0].jur[0].gain, p * p / (2 * c[0]) - p * R0);
    CHECK_REL(run->designs[0].jur[1].gain, c[1] * pow(R1 - p / c[1], 2) / 2);
    el_run_free(run);
    el_scenario_free(s);
}

/* MAC = alpha + c a: abatement (p - alpha)/c when p >= alpha, else 0. */
static void test_intercept(void)
{
    double bau[3] = {100, 100, 100}, cap[3] = {80, 90, 95}, c[3] = {1, 2, 0.5},
           alpha[3] = {5, 10, 40};
    ElScenario *s = test_linear_scenario(3, bau, cap, c, alpha);
    ElRun *run;
    ElError err;
    double p;
    CU_ASSERT_FATAL(s != NULL);
    add_full_group(s, 3);
    CU_ASSERT_FATAL(el_scenario_finish(s, &err) == EL_OK);
    run = test_solve(s);
    CU_ASSERT_FATAL(run != NULL);
    /* autarky: p = alpha + c R */
    CHECK_REL(run->autarky.jur[0].price, 5 + 1 * 20);
    CHECK_REL(run->autarky.jur[2].price, 40 + 0.5 * 5);
    CHECK_REL(run->autarky.jur[2].abatement_cost, 40 * 5 + 0.5 * 0.5 * 25);
    /* linked, guessing J2 does not abate (checked below): (p-5)/1 + (p-10)/2 = 35 */
    p = (35 + 5 + 5) / 1.5;
    CU_ASSERT(p < alpha[2]);
    CHECK_REL(run->designs[0].jur[0].price, p);
    CHECK_REL(run->designs[0].jur[0].abatement, p - 5);
    CHECK_REL(run->designs[0].jur[1].abatement, (p - 10) / 2);
    CHECK_REL(run->designs[0].jur[2].abatement, 0);
    el_run_free(run);
    el_scenario_free(s);
}

static ElScenario *two(double Ri, double ci, double Rj, double cj)
{
    double bau[2] = {500, 500}, cap[2] = {500 - Ri, 500 - Rj}, c[2] = {ci, cj};
    ElScenario *s = test_linear_scenario(2, bau, cap, c, NULL);
    ElError err;
    el_scenario_add_design(s, "d", 0, &err);
    return s;
}

/* Exchange rate rho on i -> j: p_j = (R_j + rho R_i) / (1/c_j + rho^2/c_i), p_i = rho p_j. */
static void test_exchange_rate(void)
{
    double rates[3] = {0.8, 1.0, 1.7};
    int k;
    for (k = 0; k < 3; k++) {
        double rho = rates[k], Ri = 10, ci = 0.5, Rj = 60, cj = 2;
        ElScenario *s = two(Ri, ci, Rj, cj);
        ElRun *run;
        ElError err;
        double pj = (Rj + rho * Ri) / (1 / cj + rho * rho / ci), pi = rho * pj;
        double x = pi / ci - Ri;
        el_scenario_add_link(s, 0, 0, 1, rho, HUGE_VAL, nan(""), 0, &err);
        CU_ASSERT_FATAL(el_scenario_finish(s, &err) == EL_OK);
        run = test_solve(s);
        CU_ASSERT_FATAL(run != NULL);
        CHECK_REL(run->designs[0].jur[1].price, pj);
        CHECK_REL(run->designs[0].jur[0].price, pi);
        CHECK_REL(run->designs[0].link[0].units, x);
        CHECK_REL(run->designs[0].link[0].credited, rho * x);
        CHECK_REL(run->designs[0].link[0].rent, 0);
        CHECK_REL(run->designs[0].jur[1].payments, pi * x);
        el_run_free(run);
        el_scenario_free(s);
    }
}

/* Binding quota q: p_j = c_j (R_j - q), p_i = c_i (R_i + q), rent (p_j - p_i) q; a slack quota
 * changes nothing. */
static void test_quota(void)
{
    double Ri = 10, ci = 0.5, Rj = 60, cj = 2, q = 8;
    ElScenario *s = two(Ri, ci, Rj, cj);
    ElRun *run;
    ElError err;
    double pj = cj * (Rj - q), pi = ci * (Ri + q), pfree = (Rj + Ri) / (1 / cj + 1 / ci);
    el_scenario_add_link(s, 0, 0, 1, 1, q, nan(""), 0, &err);
    el_scenario_add_design(s, "slack", 0, &err);
    el_scenario_add_link(s, 1, 0, 1, 1, 1000, nan(""), 0, &err);
    CU_ASSERT_FATAL(el_scenario_finish(s, &err) == EL_OK);
    run = test_solve(s);
    CU_ASSERT_FATAL(run != NULL);
    CHECK_REL(run->designs[0].jur[1].price, pj);
    CHECK_REL(run->designs[0].jur[0].price, pi);
    CHECK_REL(run->designs[0].link[0].units, q);
    CHECK_REL(run->designs[0].link[0].rent, (pj - pi) * q);
    /* buyer keeps the rent: its gain is autarky cost - (abatement cost + p_i q) */
    CHECK_REL(run->designs[0].jur[1].gain,
              cj * Rj * Rj / 2 - (cj * (Rj - q) * (Rj - q) / 2 + pi * q));
    CHECK_REL(run->designs[1].jur[0].price, pfree);
    CHECK_REL(run->designs[1].jur[1].price, pfree);
    CHECK_REL(run->designs[1].link[0].rent, 0);
    el_run_free(run);
    el_scenario_free(s);
}

/* Quota-share s: credited <= s (e_j - a_j). Binding: a_j = (R_j - s e_j) / (1 - s). The
 * compliance dual of j is then its domestic allowance price, and firms equate their MAC with
 * the blended cost of a tonne: MAC_j = (1 - s) p_j + s p_i (docs/model.md §5). */
static void test_quota_share(void)
{
    double Ri = 10, ci = 0.5, Rj = 60, cj = 2, e = 500, sh = 0.05;
    ElScenario *s = two(Ri, ci, Rj, cj);
    ElRun *run;
    ElError err;
    double aj = (Rj - sh * e) / (1 - sh), x = Rj - aj, pfree = (Rj + Ri) / (1 / cj + 1 / ci);
    double pi = ci * (Ri + x), pj = (cj * aj - sh * pi) / (1 - sh);
    el_scenario_add_link(s, 0, 0, 1, 1, HUGE_VAL, sh, 0, &err);
    el_scenario_add_design(s, "slack", 0, &err);
    el_scenario_add_link(s, 1, 0, 1, 1, HUGE_VAL, 0.5, 0, &err);
    CU_ASSERT_FATAL(el_scenario_finish(s, &err) == EL_OK);
    run = test_solve(s);
    CU_ASSERT_FATAL(run != NULL);
    CHECK_REL(run->designs[0].jur[1].abatement, aj);
    CHECK_REL(run->designs[0].jur[0].price, pi);
    CHECK_REL(run->designs[0].jur[1].price, pj);
    CHECK_REL((1 - sh) * run->designs[0].jur[1].price + sh * run->designs[0].jur[0].price, cj * aj);
    CHECK_REL(run->designs[0].link[0].units, x);
    CHECK_REL(run->designs[0].link[0].credited, sh * run->designs[0].jur[1].emissions);
    CHECK_REL(run->designs[0].link[0].rent, (pj - pi) * x);
    CHECK_REL(run->designs[0].jur[1].gain, cj * Rj * Rj / 2 - (cj * aj * aj / 2 + pi * x));
    CHECK_REL(run->designs[1].jur[1].price, pfree);
    el_run_free(run);
    el_scenario_free(s);
}

static ElScenario *curve_scenario(ElMac *m, double bau, double cap)
{
    ElScenario *s = NULL;
    ElError err;
    el_scenario_create(&s, "t", "USD", "Mt", &err);
    el_scenario_add_jurisdiction(s, "A", "A", bau, cap, m, 0, &err);
    return s;
}

/* Points (0,0) (10,10) (20,30): at R = 15, p = 10 + 2 * 5 = 20, cost 50 + 10*5 + 25 = 125. */
static void test_points(void)
{
    double q[3] = {0, 10, 20}, p[3] = {0, 10, 30};
    ElMac *m = NULL;
    ElScenario *s;
    ElDesignResult r;
    ElError err;
    CU_ASSERT_FATAL(el_mac_create_points(&m, q, p, 3, &err) == EL_OK);
    s = curve_scenario(m, 100, 85);
    CU_ASSERT_FATAL(el_scenario_finish(s, &err) == EL_OK);
    CU_ASSERT_FATAL(test_design_solve(s, -1, NULL, &r, &err) == EL_OK);
    CHECK_REL(r.jur[0].price, 20);
    CHECK_REL(r.jur[0].abatement_cost, 125);
    el_design_result_clear(&r);
    el_scenario_free(s);
}

/* Steps 5 Mt @ 10, 5 Mt @ 20, 10 Mt @ 40. R = 7 lands inside the second step: p = 20,
 * cost = 50 + 2 * 20 = 90. R = 10 ends exactly at the second step: the convention gives the
 * cost of the last measure used, 20 (not 40). R = 0.5 inside the first: 10. */
static void test_steps(void)
{
    double q[3] = {5, 5, 10}, p[3] = {10, 20, 40};
    double R[3] = {7, 10, 0.5}, price[3] = {20, 20, 10}, cost[3] = {90, 150, 5};
    int k;
    for (k = 0; k < 3; k++) {
        ElMac *m = NULL;
        ElScenario *s;
        ElDesignResult r;
        ElError err;
        CU_ASSERT_FATAL(el_mac_create_steps(&m, q, p, 3, &err) == EL_OK);
        s = curve_scenario(m, 100, 100 - R[k]);
        CU_ASSERT_FATAL(el_scenario_finish(s, &err) == EL_OK);
        CU_ASSERT_FATAL(test_design_solve(s, -1, NULL, &r, &err) == EL_OK);
        CHECK_REL(r.jur[0].price, price[k]);
        CHECK_REL(r.jur[0].abatement_cost, cost[k]);
        el_design_result_clear(&r);
        el_scenario_free(s);
    }
}

/* A step curve linked with a linear one. Steps A: 5 @ 10, 10 @ 30; R_A = 12. Linear B: 2a,
 * R_B = 10. At a common price p in (10, 30) A abates 5 (inside no step), B abates p/2:
 * 5 + p/2 = 22 gives p = 34 > 30, so A's second step is partly used and p = 30:
 * B abates 15, A abates 7 (5 + 2 of the second step), B exports 5. */
static void test_steps_linked(void)
{
    double q[2] = {5, 10}, p[2] = {10, 30};
    ElMac *ma = NULL, *mb = NULL;
    ElScenario *s = NULL;
    ElRun *run;
    ElError err;
    int members[2] = {0, 1};
    el_mac_create_steps(&ma, q, p, 2, &err);
    el_mac_create_linear(&mb, 0, 2, HUGE_VAL, &err);
    el_scenario_create(&s, "t", "USD", "Mt", &err);
    el_scenario_add_jurisdiction(s, "A", "A", 100, 88, ma, 0, &err);
    el_scenario_add_jurisdiction(s, "B", "B", 100, 90, mb, 0, &err);
    el_scenario_add_design(s, "ab", 0, &err);
    el_scenario_add_group(s, 0, members, 2, 0, &err);
    CU_ASSERT_FATAL(el_scenario_finish(s, &err) == EL_OK);
    run = test_solve(s);
    CU_ASSERT_FATAL(run != NULL);
    CHECK_REL(run->designs[0].jur[0].price, 30);
    CHECK_REL(run->designs[0].jur[1].price, 30);
    CHECK_REL(run->designs[0].jur[1].abatement, 15);
    CHECK_REL(run->designs[0].jur[0].abatement, 7);
    CHECK_REL(run->designs[0].jur[1].net_imports, -5);
    el_run_free(run);
    el_scenario_free(s);
}

/* Generated problems (fixed seed): random slopes, requirements and group sizes against the
 * full-link closed form, solved through the whole pipeline. */
static void test_generated(void)
{
    unsigned long seed = 12345;
    int trial;
    for (trial = 0; trial < 25; trial++) {
        double bau[12], cap[12], c[12];
        int n = 2 + trial % 11, j;
        for (j = 0; j < n; j++) {
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            c[j] = 0.01 + (double)((seed >> 33) % 10000) / 1000.0;
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            bau[j] = 50 + (double)((seed >> 33) % 5000) / 10.0;
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            cap[j] = bau[j] * (0.7 + 0.29 * (double)((seed >> 33) % 1000) / 1000.0);
        }
        check_full_link(n, bau, cap, c);
    }
}

/* 500 members in one group: still n columns, closed-form price. */
static void test_large_group(void)
{
    enum {
        N = 500
    };
    static double bau[N], cap[N], c[N];
    ElScenario *s;
    ElProblem *p = NULL;
    ElModelMap *m = NULL;
    ElError err;
    int j;
    for (j = 0; j < N; j++) {
        bau[j] = 100 + j;
        cap[j] = 90 + j * 0.9;
        c[j] = 0.1 + 0.01 * (j % 37);
    }
    s = test_linear_scenario(N, bau, cap, c, NULL);
    CU_ASSERT_FATAL(s != NULL);
    add_full_group(s, N);
    CU_ASSERT_FATAL(el_scenario_finish(s, &err) == EL_OK);
    CU_ASSERT_FATAL(test_build(s, 0, false, &p, &m, &err) == EL_OK);
    CU_ASSERT_EQUAL(p->ncols, 2 * N); /* abatement + one trade column per member */
    CU_ASSERT_EQUAL(p->nrows, N + 1);
    el_problem_free(p);
    el_model_map_free(m);
    check_full_link(N, bau, cap, c);
    el_scenario_free(s);
}

/* BAU 100, cap 10: 90 Mt required, the curve ends at 50: no equilibrium, 40 Mt short. */
static void test_no_equilibrium(void)
{
    ElMac *m = NULL;
    ElScenario *s = NULL;
    ElRun *run = NULL;
    ElError err = {EL_OK, ""};
    el_mac_create_linear(&m, 0, 1, 50, &err);
    el_scenario_create(&s, "t", "USD", "Mt", &err);
    el_scenario_add_jurisdiction(s, "KR", "Korea", 100, 10, m, 0, &err);
    CU_ASSERT_FATAL(el_scenario_finish(s, &err) == EL_OK);
    CU_ASSERT_EQUAL(el_run_solve(&run, s, &err), EL_ERR_NO_EQUILIBRIUM);
    CU_ASSERT_PTR_NULL(run);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'KR' is short of 40 Mt"));
    el_scenario_free(s);
}

/* Linking rescues a short jurisdiction only if the partner has room; autarky alone decides
 * the baseline, so a design whose total capacity is short names the shortfall. */
static void test_no_equilibrium_linked(void)
{
    ElMac *m1 = NULL, *m2 = NULL;
    ElScenario *s = NULL;
    ElDesignResult r;
    ElError err = {EL_OK, ""};
    int members[2] = {0, 1};
    el_mac_create_linear(&m1, 0, 1, 30, &err);
    el_mac_create_linear(&m2, 0, 1, 20, &err);
    el_scenario_create(&s, "t", "USD", "Mt", &err);
    el_scenario_add_jurisdiction(s, "A", "A", 100, 60, m1, 0, &err);
    el_scenario_add_jurisdiction(s, "B", "B", 100, 85, m2, 0, &err);
    el_scenario_add_design(s, "ab", 0, &err);
    el_scenario_add_group(s, 0, members, 2, 0, &err);
    CU_ASSERT_FATAL(el_scenario_finish(s, &err) == EL_OK);
    CU_ASSERT_FATAL(test_design_solve(s, 0, NULL, &r, &err) == EL_OK);
    CU_ASSERT_EQUAL(r.outcome, EL_INFEASIBLE);
    /* 40 + 15 required, 30 + 20 possible: 5 Mt short in total */
    CHECK_REL(r.jur[0].shortfall + r.jur[1].shortfall, 5);
    el_design_result_clear(&r);
    el_scenario_free(s);
}

/* The LAPACK wrapper: a 3x3 system with a known solution, and a singular one that falls back
 * to the minimum-norm least-squares solution. */
static void test_la(void)
{
    double K[9] = {4, 1, 0, 1, 3, 1, 0, 1, 2}; /* column-major, symmetric */
    double x[3] = {1, -2, 3}, b[3];
    double S[4] = {1, 1, 1, 1}, sb[2] = {2, 2};
    bool ls = true;
    ElError err;
    int i;
    for (i = 0; i < 3; i++)
        b[i] = K[i] * x[0] + K[i + 3] * x[1] + K[i + 6] * x[2];
    CU_ASSERT_FATAL(el_la_solve(3, K, b, &ls, &err) == EL_OK);
    CU_ASSERT_FALSE(ls);
    for (i = 0; i < 3; i++)
        CHECK_REL(b[i], x[i]);
    CU_ASSERT_EQUAL(el_la_solve(2, S, sb, &ls, &err), EL_OK);
    CU_ASSERT_TRUE(ls);
    CHECK_REL(sb[0], 1); /* min-norm solution of x + y = 2 */
    CHECK_REL(sb[1], 1);
    S[0] = S[1] = S[2] = S[3] = 1;
    sb[0] = sb[1] = 2;
    CU_ASSERT_EQUAL(el_la_solve_lu(2, S, sb, &err), EL_ERR_NUMERIC);
}

/* The exact polish must not depend on the grid of the first LP. */
static void test_grid_independent(void)
{
    double bau[3] = {300, 200, 100}, cap[3] = {250, 170, 95}, c[3] = {0.3, 1.1, 4};
    int grids[4] = {1, 3, 16, 200}, k;
    for (k = 0; k < 4; k++) {
        ElScenario *s = test_linear_scenario(3, bau, cap, c, NULL);
        ElRun *run;
        ElError err;
        char v[16];
        snprintf(v, sizeof(v), "%d", grids[k]);
        CU_ASSERT_FATAL(el_settings_set(&s->settings, "grid", v, &err) == EL_OK);
        s->settings.fast_path = 0; /* the polish is what is tested, not the fast path */
        add_full_group(s, 3);
        CU_ASSERT_FATAL(el_scenario_finish(s, &err) == EL_OK);
        run = test_solve(s);
        CU_ASSERT_FATAL(run != NULL);
        CHECK_REL(run->designs[0].jur[0].price, 85 / (1 / 0.3 + 1 / 1.1 + 1 / 4.0));
        CU_ASSERT_TRUE(run->designs[0].info.polished);
        el_run_free(run);
        el_scenario_free(s);
    }
}

/* Degenerate designs (tests/data/degenerate.xml) make the KKT system singular or the LP basis
 * degenerate. Hand solutions: MACs A = a, B = 2a, C = points (0,0) (10,5) (60,200), i.e.
 * a_C(p) = 10 + (p - 5) / 3.9 for p >= 5; D has a 10 Mt surplus and steps 5 @ 3, 5 @ 30.
 * R_A = 10, R_B = 20, R_C = 30 (autarky p_C = 5 + 3.9 * 20 = 83).
 * - A and B linked twice (group + link, or links both ways): p = 30 / 1.5 = 20.
 * - A, B, C linked by three groups or a cycle: 1.5 p + a_C(p) = 60, p = 51.28205/1.75641.
 * - all four: D sells its surplus and its first step: 1.5 p + a_C(p) + 5 = 50.
 * - zero quotas change nothing.
 * - rate 2 on A -> B and 0.5 on B -> A: p_A = 2 p_B, 2 a_A + a_B = 40, p_B = 40 / 4.5. */
static void test_degenerate(void)
{
    ElScenario *s = NULL;
    ElRun *run;
    ElError err;
    double tri = (60 - 10 + 5 / 3.9) / (1.5 + 1 / 3.9), all = (50 - 15 + 5 / 3.9) / (1.5 + 1 / 3.9);
    double pb = 40 / 4.5;
    int k;
    CU_ASSERT_EQUAL_FATAL(el_scenario_load(&s, "data/degenerate.xml", NULL, &err), EL_OK);
    run = test_solve(s);
    CU_ASSERT_FATAL(run != NULL);
    CHECK_REL(run->autarky.jur[2].price, 83);
    CHECK_REL(run->autarky.jur[3].price, 0);
    for (k = 0; k < 2; k++) {
        CHECK_REL(run->designs[0].jur[k].price, 20);
        CHECK_REL(run->designs[3].jur[k].price, 20);
        CHECK_REL(run->designs[1].jur[k].price, tri);
        CHECK_REL(run->designs[2].jur[k].price, tri);
    }
    CHECK_REL(run->designs[1].jur[2].price, tri);
    CHECK_REL(run->designs[0].gain, 150);
    CHECK_REL(run->designs[4].jur[3].price, all);
    CHECK_REL(run->designs[4].jur[3].abatement, 5);
    CHECK_REL(run->designs[4].jur[3].net_imports, -15);
    CHECK_REL(run->designs[5].jur[0].price, 10);
    CHECK_REL(run->designs[5].jur[1].price, 40);
    CHECK_REL(run->designs[5].gain, 0);
    CHECK_REL(run->designs[6].jur[1].price, pb);
    CHECK_REL(run->designs[6].jur[0].price, 2 * pb);
    el_run_free(run);
    el_scenario_free(s);
}

/* A GLPK error (an invalid call inside GLPK) is caught by the guard: EL_ERR_LP, then the next
 * solve works with a fresh GLPK environment. */
static void test_glpk_guard(void)
{
    double bau[2] = {100, 100}, cap[2] = {90, 80}, c[2] = {1, 2};
    ElScenario *s;
    ElRun *run;
    ElError err;
    CU_ASSERT_EQUAL(el_lp_selftest_guard(&err), EL_ERR_LP);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "GLPK failed"));
    s = test_linear_scenario(2, bau, cap, c, NULL);
    add_full_group(s, 2);
    CU_ASSERT_FATAL(el_scenario_finish(s, &err) == EL_OK);
    run = test_solve(s);
    CU_ASSERT_FATAL(run != NULL);
    CHECK_REL(run->designs[0].jur[0].price, 20);
    el_run_free(run);
    el_scenario_free(s);
}

/* Caps of 0.001 Mt and 10,000 Mt in one market still meet the closed forms at 1e-6. */
static void test_extreme_scales(void)
{
    double bau[3] = {0.0012, 12000, 1.5}, cap[3] = {0.001, 10000, 1.2}, c[3] = {5000, 0.002, 30};
    check_full_link(3, bau, cap, c);
    {
        ElScenario *s = test_linear_scenario(3, bau, cap, c, NULL);
        ElDesignResult r;
        ElError err;
        int j;
        CU_ASSERT_FATAL(el_scenario_finish(s, &err) == EL_OK);
        CU_ASSERT_FATAL(test_design_solve(s, -1, NULL, &r, &err) == EL_OK);
        for (j = 0; j < 3; j++) {
            CHECK_REL(r.jur[j].price, c[j] * (bau[j] - cap[j]));
            CHECK_REL(r.jur[j].abatement, bau[j] - cap[j]);
        }
        el_design_result_clear(&r);
        el_scenario_free(s);
    }
}

CU_TestInfo solver_tests[] = {
    {"autarky closed form", test_autarky},
    {"full link of 2", test_full_link_2},
    {"full link of 5", test_full_link_5},
    {"surplus member", test_surplus},
    {"intercept MACs", test_intercept},
    {"exchange rates", test_exchange_rate},
    {"binding and slack quota", test_quota},
    {"binding and slack quota-share", test_quota_share},
    {"points MAC by hand", test_points},
    {"steps MAC by hand, boundary convention", test_steps},
    {"steps linked with linear", test_steps_linked},
    {"generated full links", test_generated},
    {"group of 500", test_large_group},
    {"no equilibrium: shortfall", test_no_equilibrium},
    {"no equilibrium in a link", test_no_equilibrium_linked},
    {"LAPACK wrapper", test_la},
    {"grid independence", test_grid_independent},
    {"degenerate designs by hand", test_degenerate},
    {"GLPK error guard", test_glpk_guard},
    {"caps from 0.001 to 10,000 Mt", test_extreme_scales},
    CU_TEST_INFO_NULL,
};
