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

/* Textbook 3-player games given by their tables: the majority game (any two win 1) has an empty
 * core and least-core value -1/3 at (1/3, 1/3, 1/3); the glove game (player 0 holds the left
 * glove, 1 and 2 a right one each) has the single core point (1, 0, 0), so an equal-ish market
 * split is not in it and the pair {0, 1} is short by 1 - 0.75. */
static void test_core_textbook(void)
{
    double vm[8] = {0, 0, 0, 1, 0, 1, 1, 1}, vg[8] = {0, 0, 0, 1, 0, 1, 0, 1};
    double market[3] = {0.5, 0.25, 0.25};
    ElGame g;
    ElCore c;
    ElSettings set;
    ElError err = {EL_OK, ""};
    int k;
    el_settings_default(&set);
    memset(&g, 0, sizeof(g));
    g.n = 3;
    g.v = vm;
    g.market = market;
    CU_ASSERT_EQUAL_FATAL(el_game_core(&g, &set, &c, &err), EL_OK);
    CU_ASSERT(c.empty);
    CU_ASSERT_DOUBLE_EQUAL(c.eps, -1.0 / 3, 1e-9);
    for (k = 0; k < 3; k++)
        CU_ASSERT_DOUBLE_EQUAL(c.x[k], 1.0 / 3, 1e-9);
    el_core_clear(&c);
    g.v = vg;
    CU_ASSERT_EQUAL_FATAL(el_game_core(&g, &set, &c, &err), EL_OK);
    CU_ASSERT(!c.empty);
    CU_ASSERT_DOUBLE_EQUAL(c.eps, 0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(c.x[0], 1, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(c.x[1], 0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(c.x[2], 0, 1e-9);
    CU_ASSERT(!c.market_in_core);
    CU_ASSERT_EQUAL(c.market_s, 3u); /* {0, 1}: the smallest mask of the two */
    CU_ASSERT_DOUBLE_EQUAL(c.market_gap, 0.25, 1e-12);
    el_core_clear(&c);
}

/* Linking games of linear MACs: the least-core allocation the row generation returns gives every
 * coalition at least its value (checked here against all 2^n - 2 of them) and the grand
 * coalition exactly its value. */
static void test_core_linking(void)
{
    Rng g = {2024};
    int t;
    for (t = 0; t < 6; t++) {
        int n = 3 + t, k, members[8];
        double bau[8], cap[8], c[8];
        unsigned mask, full = (1u << n) - 1u;
        ElScenario *s;
        ElGame game;
        ElCore core;
        ElError err = {EL_OK, ""};
        ElBatchOptions opt = {2, false, 0};
        double sum = 0;
        for (k = 0; k < n; k++) {
            c[k] = uniform(&g, 0.2, 5);
            bau[k] = 1000;
            cap[k] = 1000 - uniform(&g, 1, 30);
            members[k] = k;
        }
        s = test_linear_scenario(n, bau, cap, c, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(s);
        CU_ASSERT_EQUAL_FATAL(el_scenario_finish(s, &err), EL_OK);
        CU_ASSERT_EQUAL_FATAL(el_game_solve(s, members, n, NULL, &opt, &game, &err), EL_OK);
        CU_ASSERT_EQUAL_FATAL(el_game_core(&game, &s->settings, &core, &err), EL_OK);
        for (k = 0; k < n; k++)
            sum += core.x[k];
        CU_ASSERT_DOUBLE_EQUAL(sum, game.v[full], 1e-9 * (1 + game.v[full]));
        for (mask = 1; mask < full; mask++) {
            double xs = 0;
            for (k = 0; k < n; k++)
                if ((mask >> k) & 1u)
                    xs += core.x[k];
            CU_ASSERT(xs - core.eps >= game.v[mask] - 1e-7 * (1 + game.v[full]));
        }
        CU_ASSERT(!core.empty);
        CU_ASSERT(core.rows < (int)full); /* row generation needed fewer than all rows */
        { /* the nucleolus is in the core when the core is not empty */
            double nu[8], tot = 0;
            CU_ASSERT_EQUAL_FATAL(el_game_nucleolus(&game, &s->settings, nu, &err), EL_OK);
            for (k = 0; k < n; k++)
                tot += nu[k];
            CU_ASSERT_DOUBLE_EQUAL(tot, game.v[full], 1e-9 * (1 + game.v[full]));
            for (mask = 1; mask < full; mask++) {
                double xs = 0;
                for (k = 0; k < n; k++)
                    if ((mask >> k) & 1u)
                        xs += nu[k];
                CU_ASSERT(xs >= game.v[mask] - 1e-7 * (1 + game.v[full]));
            }
        }
        el_core_clear(&core);
        el_game_clear(&game);
        el_scenario_free(s);
    }
}

/* The nucleolus of three textbook games, derived by hand stage by stage: the majority game
 * (1/3 each), the glove game (1, 0, 0), and v(12) = 0.8, v(13) = 0.6, v(23) = 0, v(N) = 1,
 * whose first stage balances the excesses x3 and 0.2 - x3 (x3 = 0.1) and whose second
 * balances x2 and 0.4 - x2 (x2 = 0.2): (0.7, 0.2, 0.1). */
static void test_nucleolus_textbook(void)
{
    static const double tables[3][8] = {
        {0, 0, 0, 1, 0, 1, 1, 1}, {0, 0, 0, 1, 0, 1, 0, 1}, {0, 0, 0, 0.8, 0, 0.6, 0, 1}};
    static const double want[3][3] = {{1.0 / 3, 1.0 / 3, 1.0 / 3}, {1, 0, 0}, {0.7, 0.2, 0.1}};
    ElSettings set;
    int t, k;
    el_settings_default(&set);
    for (t = 0; t < 3; t++) {
        double v[8], x[3];
        ElGame g;
        ElError err = {EL_OK, ""};
        memcpy(v, tables[t], sizeof(v));
        memset(&g, 0, sizeof(g));
        g.n = 3;
        g.v = v;
        CU_ASSERT_EQUAL_FATAL(el_game_nucleolus(&g, &set, x, &err), EL_OK);
        for (k = 0; k < 3; k++)
            CU_ASSERT_DOUBLE_EQUAL(x[k], want[t][k], 1e-9);
    }
}

CU_TestInfo coalition_tests[] = {
    {"coalition values, market gains and Shapley values on the closed forms",
     test_game_closed_forms},
    {"Shapley values of random games against every ordering", test_shapley_tables},
    {"core of textbook games: majority (empty, -1/3) and glove ((1, 0, 0))", test_core_textbook},
    {"core of linking games: the allocation blocks no coalition", test_core_linking},
    {"nucleolus of three textbook games", test_nucleolus_textbook},
    CU_TEST_INFO_NULL,
};
