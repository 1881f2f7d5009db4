/* Coalitions (engine/coalition.h): values against the closed form of a full link (docs/model.md
 * §6: v(S) = sum over S of c_j m_j^2 / 2 at the group price), Shapley values against a direct
 * sum over every ordering of the members, superadditivity. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "coalition.h"
#include "suites.h"

/* v(S) of linear MACs through the origin: p = sum R / sum 1/c, m_j = R_j - p / c_j. */
static double closed_value(const double *c, const double *R, unsigned mask, int n)
{
    double sr = 0, si = 0, v = 0, p;
    int j;
    for (j = 0; j < n; j++)
        if ((mask >> j) & 1u) {
            sr += R[j];
            si += 1 / c[j];
        }
    if (si == 0)
        return 0;
    p = sr / si;
    for (j = 0; j < n; j++)
        if ((mask >> j) & 1u) {
            double m = R[j] - p / c[j];
            v += c[j] * m * m / 2;
        }
    return v;
}

/* The Shapley value as the average over all n! orderings of each member's marginal
 * contribution (Heap's algorithm over the orderings), from values given by vf. */
static void shapley_orderings(int n, double (*vf)(void *, unsigned), void *ctx, double *phi)
{
    int order[8], cnt[8], k, i;
    long count = 0;
    for (k = 0; k < n; k++) {
        order[k] = k;
        cnt[k] = 0;
        phi[k] = 0;
    }
    for (;;) {
        unsigned mask = 0;
        double prev = 0;
        for (k = 0; k < n; k++) {
            double v;
            mask |= 1u << order[k];
            v = vf(ctx, mask);
            phi[order[k]] += v - prev;
            prev = v;
        }
        count++;
        /* next permutation (Heap's algorithm, iterative) */
        i = 1;
        while (i < n && cnt[i] >= i) {
            cnt[i] = 0;
            i++;
        }
        if (i >= n)
            break;
        {
            int a = i % 2 ? cnt[i] : 0, t = order[a];
            order[a] = order[i];
            order[i] = t;
        }
        cnt[i]++;
    }
    for (k = 0; k < n; k++)
        phi[k] /= (double)count;
}

typedef struct {
    const double *c, *R, *v;
    int n;
} VCtx;

static double v_closed(void *ctx, unsigned mask)
{
    VCtx *x = ctx;
    return closed_value(x->c, x->R, mask, x->n);
}

static double v_table(void *ctx, unsigned mask)
{
    return ((VCtx *)ctx)->v[mask];
}

/* Random pools of 3 to 6 linear jurisdictions: every v(S), the grand coalition's market gains
 * and the Shapley values on the closed forms; superadditive. */
static void test_game_closed_forms(void)
{
    Rng g = {1107};
    int t;
    for (t = 0; t < 8; t++) {
        int n = 3 + t % 4, k;
        double bau[6], cap[6], c[6], R[6], phi[6];
        int members[6];
        unsigned mask;
        ElScenario *s;
        ElGame game;
        ElError err = {EL_OK, ""};
        ElBatchOptions opt = {t % 2 ? 2 : 1, false, 0};
        VCtx vc;
        for (k = 0; k < n; k++) {
            c[k] = uniform(&g, 0.2, 5);
            R[k] = uniform(&g, 1, 30);
            bau[k] = 1000;
            cap[k] = 1000 - R[k];
            members[k] = k;
        }
        s = test_linear_scenario(n, bau, cap, c, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(s);
        CU_ASSERT_EQUAL_FATAL(el_scenario_finish(s, &err), EL_OK);
        CU_ASSERT_EQUAL_FATAL(el_game_solve(s, members, n, NULL, &opt, &game, &err), EL_OK);
        CU_ASSERT_EQUAL(game.evaluations, (1L << n) - 1);
        for (mask = 1; mask < (1u << n); mask++)
            CHECK_REL(game.v[mask], closed_value(c, R, mask, n));
        {
            double si = 0, sr = 0, p;
            for (k = 0; k < n; k++) {
                si += 1 / c[k];
                sr += R[k];
            }
            p = sr / si;
            for (k = 0; k < n; k++) {
                double m = R[k] - p / c[k];
                CHECK_REL(game.market[k], c[k] * m * m / 2);
            }
        }
        vc = (VCtx){c, R, NULL, n};
        shapley_orderings(n, v_closed, &vc, phi);
        for (k = 0; k < n; k++)
            CHECK_REL(game.shapley[k], phi[k]);
        CU_ASSERT(game.superadditive);
        CU_ASSERT(game.sa_exhaustive);
        el_game_clear(&game);
        el_scenario_free(s);
    }
}

/* el_shapley on arbitrary games (random tables, not superadditive) against the orderings. */
static void test_shapley_tables(void)
{
    Rng g = {77};
    int t;
    for (t = 0; t < 20; t++) {
        int n = 2 + t % 5, k;
        double v[64], phi[6], ref[6], sum = 0;
        unsigned mask;
        VCtx vc = {NULL, NULL, v, n};
        v[0] = 0;
        for (mask = 1; mask < (1u << n); mask++)
            v[mask] = uniform(&g, -10, 50);
        el_shapley(v, n, phi);
        shapley_orderings(n, v_table, &vc, ref);
        for (k = 0; k < n; k++) {
            CU_ASSERT_DOUBLE_EQUAL(phi[k], ref[k], 1e-9 * (1 + fabs(ref[k])));
            sum += phi[k];
        }
        CU_ASSERT_DOUBLE_EQUAL(sum, v[(1u << n) - 1], 1e-9); /* efficiency */
    }
}

CU_TestInfo coalition_tests[] = {
    {"coalition values, market gains and Shapley values on the closed forms",
     test_game_closed_forms},
    {"Shapley values of random games against every ordering", test_shapley_tables},
    CU_TEST_INFO_NULL,
};
