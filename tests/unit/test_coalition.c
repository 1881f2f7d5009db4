/* Coalitions (engine/coalition.h): values against the closed form of a full link (docs/model.md
 * §6: v(S) = sum over S of c_j m_j^2 / 2 at the group price), Shapley values against a direct
 * sum over every ordering of the members, superadditivity. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coalition.h"
#include "load.h"
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
        CU_ASSERT_EQUAL_FATAL(el_game_solve(s, members, n, NULL, NULL, &opt, &game, &err), EL_OK);
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
        CU_ASSERT_EQUAL_FATAL(el_game_solve(s, members, n, NULL, NULL, &opt, &game, &err), EL_OK);
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

/* ---- Coalition structures (docs/model.md §8) ---- */

/* Member k's Shapley value in the game restricted to block b, by the direct sum over the
 * subsets S of b without k: |S|! (|b| - |S| - 1)! / |b|! (v(S + k) - v(S)). */
static double block_shapley_direct(const double *v, unsigned b, int k)
{
    unsigned rest = b & ~(1u << k), s;
    int nb = __builtin_popcount(b), size;
    double phi = 0, w;
    for (s = rest;; s = (s - 1) & rest) {
        int i;
        size = __builtin_popcount(s);
        w = 1;
        for (i = 1; i <= size; i++) /* size! (nb - size - 1)! / nb! as a product of ratios */
            w *= (double)i / (nb - size - 1 + i);
        w /= nb;
        phi += w * (v[s | (1u << k)] - v[s]);
        if (s == 0)
            break;
    }
    return phi;
}

/* A brute-force census of the partitions of n members: each partition is generated by
 * recursion (the lowest unassigned member opens a block with every subset of the remaining
 * ones), its payoffs set by each rule, and every coalition tested for blocking. */
typedef struct {
    int n;
    const double *v, *gains;
    double tol, best;
    long partitions, stable[2];
    /* the partitions found, as sorted block lists, with their flags */
    unsigned blocks[256][6];
    int nblocks[256];
    bool is_stable[256][2];
    unsigned blocker[256][2];
} Census;

static double census_pay(const Census *c, int rule, unsigned b, int k)
{
    return rule == 0 ? c->gains[(size_t)b * (size_t)c->n + (size_t)k]
                     : block_shapley_direct(c->v, b, k);
}

static void census_check(Census *c, const unsigned *b, int nb)
{
    double x[6], value = 0, top;
    int r, k, i, id = (int)c->partitions;
    unsigned s, full = (1u << c->n) - 1u;
    for (i = 0; i < nb; i++)
        value += c->v[b[i]];
    if (value > c->best)
        c->best = value;
    memcpy(c->blocks[id], b, (size_t)nb * sizeof(unsigned));
    c->nblocks[id] = nb;
    for (r = 0; r < 2; r++) {
        for (i = 0; i < nb; i++)
            for (k = 0; k < c->n; k++)
                if ((b[i] >> k) & 1u)
                    x[k] = census_pay(c, r, b[i], k);
        c->is_stable[id][r] = true;
        c->blocker[id][r] = 0;
        top = -HUGE_VAL;
        for (s = 1; s <= full; s++) {
            double least = HUGE_VAL;
            for (k = 0; k < c->n; k++)
                if ((s >> k) & 1u)
                    least = fmin(least, census_pay(c, r, s, k) - x[k]);
            if (least > c->tol) {
                c->is_stable[id][r] = false;
                if (least > top + c->tol) {
                    top = least;
                    c->blocker[id][r] = s;
                }
            }
        }
        c->stable[r] += c->is_stable[id][r];
    }
    c->partitions++;
}

static void census_rec(Census *c, unsigned left, unsigned *b, int nb)
{
    unsigned low, rest, s;
    if (left == 0) {
        census_check(c, b, nb);
        return;
    }
    low = left & (~left + 1u);
    rest = left & ~low;
    for (s = rest;; s = (s - 1) & rest) {
        b[nb] = low | s;
        census_rec(c, left & ~(low | s), b, nb + 1);
        if (s == 0)
            break;
    }
}

/* The census's index of the partition with blocks b (sorted by lowest member), or -1. */
static int census_find(const Census *c, const unsigned *b, int nb)
{
    long i;
    for (i = 0; i < c->partitions; i++)
        if (c->nblocks[i] == nb && memcmp(c->blocks[i], b, (size_t)nb * sizeof(unsigned)) == 0)
            return (int)i;
    return -1;
}

/* Random games of 2 to 6 members, values and gains drawn from a few integers (so that ties are
 * common): el_game_structures against the census, partition by partition for the listed ones. */
static void test_structures_census(void)
{
    static const long bell[7] = {1, 1, 2, 5, 15, 52, 203};
    Rng g = {4242};
    ElSettings set;
    int t;
    el_settings_default(&set);
    for (t = 0; t < 60; t++) {
        int n = 2 + t % 5, k, i;
        unsigned full = (1u << n) - 1u, s, b[6];
        double v[64], gains[64 * 6];
        Census *c = calloc(1, sizeof(Census));
        ElGame game;
        ElStructures st;
        ElError err = {EL_OK, ""};
        CU_ASSERT_PTR_NOT_NULL_FATAL(c);
        v[0] = 0;
        for (k = 0; k < n; k++)
            gains[k] = 0;
        for (s = 1; s <= full; s++) {
            v[s] = 0;
            for (k = 0; k < n; k++) {
                gains[(size_t)s * (size_t)n + (size_t)k] =
                    (s >> k) & 1u ? (__builtin_popcount(s) == 1 ? irand(&g, 2) : irand(&g, 6)) : 0;
                v[s] += gains[(size_t)s * (size_t)n + (size_t)k];
            }
            if (t % 3 == 2) /* values that are not the gains' sums */
                v[s] = irand(&g, 4 * n);
        }
        CU_ASSERT_EQUAL_FATAL(el_game_from_values(n, NULL, v, gains, &game, &err), EL_OK);
        CU_ASSERT_EQUAL_FATAL(el_game_structures(&game, &set, &st, &err), EL_OK);
        c->n = n;
        c->v = v;
        c->gains = gains;
        c->tol = 1e-9 * (1 + 4 * n * 6);
        c->best = -HUGE_VAL;
        census_rec(c, full, b, 0);
        CU_ASSERT_EQUAL(c->partitions, bell[n]);
        CU_ASSERT_EQUAL(st.partitions, bell[n]);
        CU_ASSERT_EQUAL(st.stable_count[0], c->stable[0]);
        CU_ASSERT_EQUAL(st.stable_count[1], c->stable[1]);
        CU_ASSERT_DOUBLE_EQUAL(st.best_value, c->best, 1e-9);
        CU_ASSERT(st.nlisted >= 1 && st.listed[0].nblocks >= 1);
        for (i = 0; i < st.nlisted; i++) {
            const ElStructure *p = &st.listed[i];
            int id = census_find(c, p->blocks, p->nblocks), r;
            double value = 0;
            CU_ASSERT_FATAL(id >= 0);
            for (k = 0; k < p->nblocks; k++)
                value += v[p->blocks[k]];
            CU_ASSERT_DOUBLE_EQUAL(p->value, value, 1e-9);
            CU_ASSERT_DOUBLE_EQUAL(p->loss, v[full] - value, 1e-9);
            for (r = 0; r < 2; r++) {
                CU_ASSERT_EQUAL(p->stable[r], c->is_stable[id][r]);
                if (!p->stable[r])
                    CU_ASSERT_EQUAL(p->blocker[r], c->blocker[id][r]);
            }
            /* listed: the grand coalition, the efficient ones and the stable ones */
            CU_ASSERT(p->nblocks == 1 || p->value >= c->best - 1e-9 || p->stable[0] ||
                      p->stable[1]);
            if (i > 0) /* by value */
                CU_ASSERT(p->value <= st.listed[i - 1].value + 1e-9);
        }
        { /* every stable or efficient partition is listed (none truncated at these sizes) */
            long listed = 0, want = 0;
            CU_ASSERT(!st.truncated);
            for (i = 0; i < c->partitions; i++) {
                double value = 0;
                for (k = 0; k < c->nblocks[i]; k++)
                    value += v[c->blocks[i][k]];
                want += c->nblocks[i] == 1 || value >= c->best - 1e-9 || c->is_stable[i][0] ||
                        c->is_stable[i][1];
            }
            listed = st.nlisted;
            CU_ASSERT_EQUAL(listed, want);
        }
        el_structures_clear(&st);
        el_game_clear(&game);
        free(c);
    }
}

/* A linking game by hand: A (autarky price 0), B and C (price 10), MAC = a for all. A member's
 * gain in a full link at price p is (p - p_j)^2 / 2: {A B}: p = 5, 12.5 each; {B C}: 0;
 * {A B C}: p = 20/3, A 200/9, B and C 50/9; v(N) = 100/3. Under market payoffs the stable
 * structures are {A B C}, {A B}{C} and {A C}{B} (A gains 12.5 in a pair, not more with the
 * other; B prefers {A B} to {A B C} but A does not); the same under Shapley payoffs (in N:
 * A 175/9, B and C 125/18). With transfers only the efficient partition {A B C} has a
 * non-empty coalition-structure core. */
static void test_structures_hand(void)
{
    double bau[3] = {100, 100, 100}, cap[3] = {100, 90, 90}, c[3] = {1, 1, 1};
    int members[3] = {0, 1, 2}, i;
    ElScenario *s = test_linear_scenario(3, bau, cap, c, NULL);
    ElBatchOptions opt = {1, false, 0};
    ElCoalitionResult res;
    ElError err = {EL_OK, ""};
    const ElStructures *st;
    static const unsigned want[3][2] = {{7, 0}, {3, 4}, {5, 2}};
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL_FATAL(el_scenario_finish(s, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_coalitions_run(s, members, 3, NULL, NULL, &opt, &res, &err), EL_OK);
    CU_ASSERT_DOUBLE_EQUAL(res.game.v[3], 25, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(res.game.v[6], 0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(res.game.v[7], 100.0 / 3, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(res.game.market[0], 200.0 / 9, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(res.game.market[1], 50.0 / 9, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(res.game.gains[3 * 3 + 1], 12.5, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(res.game.shapley[0], 175.0 / 9, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(res.game.shapley[2], 125.0 / 18, 1e-9);
    CU_ASSERT_FATAL(res.have_structures);
    st = &res.structures;
    CU_ASSERT_EQUAL(st->partitions, 5);
    CU_ASSERT_EQUAL(st->stable_count[EL_PAYOFF_MARKET], 3);
    CU_ASSERT_EQUAL(st->stable_count[EL_PAYOFF_SHAPLEY], 3);
    CU_ASSERT_EQUAL(st->cs_core_count, 1);
    CU_ASSERT_DOUBLE_EQUAL(st->best_value, 100.0 / 3, 1e-9);
    CU_ASSERT_EQUAL_FATAL(st->nlisted, 3);
    for (i = 0; i < 3; i++) {
        const ElStructure *p = &st->listed[i];
        CU_ASSERT_EQUAL(p->blocks[0], want[i][0]);
        if (i > 0)
            CU_ASSERT_EQUAL(p->blocks[1], want[i][1]);
        CU_ASSERT(p->stable[0] && p->stable[1]);
        CU_ASSERT_EQUAL(p->cs_core, i == 0);
        CU_ASSERT_DOUBLE_EQUAL(p->loss, i == 0 ? 0 : 100.0 / 3 - 25, 1e-9);
    }
    el_coalition_result_clear(&res);
    el_scenario_free(s);
}

/* The empty core of tests/data/coalitions-pool.xml (its comment derives every number): members
 * compete for a rest-of-world pool that the rules let each of them use. */
static void test_structures_pool(void)
{
    ElScenario *s = NULL;
    ElError err = {EL_OK, ""};
    ElBatchOptions opt = {2, false, 0};
    ElCoalitionResult res;
    const ElAnalysis *an;
    int k;
    CU_ASSERT_EQUAL_FATAL(el_scenario_load(&s, "data/coalitions-pool.xml", NULL, &err), EL_OK);
    an = el_analyses_find(s->analyses, "pool");
    CU_ASSERT_PTR_NOT_NULL_FATAL(an);
    CU_ASSERT_EQUAL_FATAL(el_coalitions_run(s, an->designs, an->nsteps, s->designs[an->rules], NULL,
                                            &opt, &res, &err),
                          EL_OK);
    for (k = 0; k < 3; k++) {
        CU_ASSERT_DOUBLE_EQUAL(res.game.v[1u << k], 12.5, 1e-9);
        CU_ASSERT_DOUBLE_EQUAL(res.game.market[k], 3.125, 1e-9);
        CU_ASSERT_DOUBLE_EQUAL(res.core.x[k], 3.125, 1e-9);
        CU_ASSERT_DOUBLE_EQUAL(res.nucleolus[k], 3.125, 1e-9);
    }
    CU_ASSERT_DOUBLE_EQUAL(res.game.v[3], 100.0 / 9, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(res.game.v[7], 9.375, 1e-9);
    CU_ASSERT(!res.game.superadditive);
    CU_ASSERT(res.core.empty);
    CU_ASSERT_DOUBLE_EQUAL(res.core.eps, -9.375, 1e-9);
    CU_ASSERT(!res.core.market_in_core);
    CU_ASSERT_EQUAL(res.core.market_s, 1u); /* every singleton short by 9.375: the first */
    CU_ASSERT_DOUBLE_EQUAL(res.core.market_gap, 9.375, 1e-9);
    CU_ASSERT_EQUAL(res.structures.stable_count[0], 1);
    CU_ASSERT_EQUAL(res.structures.stable_count[1], 1);
    CU_ASSERT_EQUAL(res.structures.cs_core_count, 1);
    CU_ASSERT_DOUBLE_EQUAL(res.structures.best_value, 37.5, 1e-9);
    CU_ASSERT_EQUAL_FATAL(res.structures.nlisted, 2);
    CU_ASSERT_EQUAL(res.structures.listed[0].nblocks, 3); /* autarky with the pool first */
    CU_ASSERT(res.structures.listed[0].stable[0] && res.structures.listed[0].cs_core);
    CU_ASSERT_DOUBLE_EQUAL(res.structures.listed[0].loss, 9.375 - 37.5, 1e-9);
    CU_ASSERT_EQUAL(res.structures.listed[1].nblocks, 1);
    CU_ASSERT_EQUAL(res.structures.listed[1].blocker[0], 1u); /* {A}: ties to the first */
    el_coalition_result_clear(&res);
    el_scenario_free(s);
}

/* The coalition-structure core with transfers on two tables: the majority game (every pair
 * worth 1, N worth 1: the efficient partitions are N and the three pair + singleton ones, and
 * none has a core allocation since x(N) = 1 cannot give every pair 1) and a game where
 * {0 1}{2} is the efficient partition (v(01) = 1 > v(N) = 0.5): (0.5, 0.5, 0) is in its
 * coalition-structure core. */
static void test_structures_tu(void)
{
    double vm[8] = {0, 0, 0, 1, 0, 1, 1, 1}, vs[8] = {0, 0, 0, 1, 0, 0.2, 0.2, 0.5};
    ElSettings set;
    ElGame g;
    ElStructures st;
    ElError err = {EL_OK, ""};
    double gains[24] = {0};
    el_settings_default(&set);
    CU_ASSERT_EQUAL_FATAL(el_game_from_values(3, NULL, vm, gains, &g, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_game_structures(&g, &set, &st, &err), EL_OK);
    CU_ASSERT_DOUBLE_EQUAL(st.best_value, 1, 1e-12);
    CU_ASSERT_EQUAL(st.cs_core_count, 0);
    CU_ASSERT_EQUAL(st.nlisted, 5); /* N, the 3 efficient pair partitions, and autarky (gains
                                      of 0 everywhere: nothing blocks) */
    el_structures_clear(&st);
    el_game_clear(&g);
    CU_ASSERT_EQUAL_FATAL(el_game_from_values(3, NULL, vs, gains, &g, &err), EL_OK);
    CU_ASSERT(!g.superadditive);
    CU_ASSERT_EQUAL_FATAL(el_game_structures(&g, &set, &st, &err), EL_OK);
    CU_ASSERT_DOUBLE_EQUAL(st.best_value, 1, 1e-12);
    CU_ASSERT_EQUAL(st.cs_core_count, 1);
    CU_ASSERT_EQUAL(st.listed[0].blocks[0], 3u);
    CU_ASSERT(st.listed[0].cs_core);
    el_structures_clear(&st);
    el_game_clear(&g);
}

CU_TestInfo coalition_tests[] = {
    {"coalition values, market gains and Shapley values on the closed forms",
     test_game_closed_forms},
    {"Shapley values of random games against every ordering", test_shapley_tables},
    {"core of textbook games: majority (empty, -1/3) and glove ((1, 0, 0))", test_core_textbook},
    {"core of linking games: the allocation blocks no coalition", test_core_linking},
    {"nucleolus of three textbook games", test_nucleolus_textbook},
    {"coalition structures of random games against a brute-force census", test_structures_census},
    {"coalition structures of a linking game by hand", test_structures_hand},
    {"an empty core from the rules: members competing for an offset pool", test_structures_pool},
    {"coalition-structure core with transfers: majority game and a non-superadditive one",
     test_structures_tu},
    CU_TEST_INFO_NULL,
};
