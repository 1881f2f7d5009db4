/* Warm suite: step 0 of el_qp_solve (KKT first from a predicted active set, solver/qp.h) against
 * the LP path, which stays the reference. Every problem is solved both ways (ElQpOptions.lp_only)
 * and must give the same status, outcome, x, y and objective to 1e-9 relative: random QPs,
 * random scenarios built through the scenario API, every scenario file of the tests, groups of
 * 2,000 and 10,000 members against the closed form, degenerate points where the left-derivative
 * or tie rules matter (step 0 must leave them to the LP path), warm starts, and allocation
 * failures. Random data come from fixed seeds. EL_WARM_STATS=1 prints what step 0 answered. */
#include <glob.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "el_alloc.h"
#include "load.h"
#include "qp.h"
#include "suites.h"

#define SAME_REL 1e-9 /* step 0 against the LP path, and prices against closed forms */

static int stats(void)
{
    const char *v = getenv("EL_WARM_STATS");
    return v && *v && strcmp(v, "0") != 0;
}

/* |a - b| <= rel (|b| + max |b|) for every entry. */
static int close_all(int n, const double *a, const double *b, double rel)
{
    double scale = 0;
    int k;
    for (k = 0; k < n; k++)
        scale = fmax(scale, fabs(b[k]));
    for (k = 0; k < n; k++)
        if (!(fabs(a[k] - b[k]) <= rel * (fabs(b[k]) + scale)))
            return 0;
    return 1;
}

typedef struct {
    int solved;   /* problems solved both ways */
    int compared; /* ... both optimal, compared */
    int parts;    /* parts of the compared problems */
    int skipped;  /* ... that step 0 answered */
} Tally;

/* Solve p with the LP path and with step 0 (warm start: warm, may be NULL); the same status,
 * outcome, x, y and objective. The step-0 solution goes to *out if out is not NULL (the
 * caller frees it). */
static void both_ways(const ElProblem *p,
                      const ElSolution *warm,
                      Tally *t,
                      const char *where,
                      ElSolution **out,
                      ElQpInfo *info)
{
    ElQpOptions lp = {.lp_only = true}, first = {.warm = warm};
    ElSolution *a = NULL, *b = NULL;
    ElQpInfo ia, ib;
    ElError ea = {EL_OK, ""}, eb = {EL_OK, ""};
    el_status sa, sb;
    int ok = 1;
    CU_ASSERT_FATAL(el_solution_create(&a, p->ncols, p->nrows, &ea) == EL_OK);
    CU_ASSERT_FATAL(el_solution_create(&b, p->ncols, p->nrows, &eb) == EL_OK);
    sa = el_qp_solve_with(p, NULL, &lp, a, &ia, &ea);
    sb = el_qp_solve_with(p, NULL, &first, b, &ib, &eb);
    t->solved++;
    CU_ASSERT_EQUAL(ia.lp_skipped, 0);
    if (sa != sb || (sa == EL_OK && a->outcome != b->outcome)) {
        ok = 0;
    } else if (sa == EL_OK && a->outcome == EL_OPTIMAL) {
        CU_ASSERT_EQUAL(ia.parts, ib.parts);
        ok = close_all(p->ncols, b->x, a->x, SAME_REL) &&
             close_all(p->nrows, b->y, a->y, SAME_REL) &&
             fabs(b->obj - a->obj) <= SAME_REL * (1 + fabs(a->obj));
        t->compared++;
        t->parts += ib.parts;
        t->skipped += ib.lp_skipped;
    }
    if (!ok) {
        fprintf(stderr, "\n  warm: %s: LP path %s (%s) outcome %d, step 0 %s (%s) outcome %d",
                where, el_status_name(sa), ea.msg, a->outcome, el_status_name(sb), eb.msg,
                b->outcome);
        CU_FAIL("step 0 differs from the LP path");
    }
    if (info)
        *info = ib;
    el_solution_free(a);
    if (out)
        *out = b;
    else
        el_solution_free(b);
}

/* ---- (a) random separable QPs ---- */

/* A random separable QP: quadratic columns on [0, up], linear columns with finite, half or no
 * bounds, rows with lower (sometimes requirement), upper, range or equality bounds around a
 * point inside the bounds (feasible), some infeasible or unbounded on purpose. */
static ElProblem *random_qp(Rng *g)
{
    int nrows = 1 + irand(g, 7), ncols = 1 + irand(g, 12), i, j, t;
    ElProblem *p = NULL;
    ElError err;
    double *x0 = calloc((size_t)ncols, sizeof(double));
    if (!x0 || el_problem_create(&p, &err) != EL_OK) {
        free(x0);
        return NULL;
    }
    for (j = 0; j < ncols; j++) {
        double u = urand(g), lo = 0, up, h = 0, c = uniform(g, -5, 5);
        if (u < 0.6) {
            h = uniform(g, 0.1, 5);
            up = uniform(g, 0.5, 20);
        } else if (u < 0.8) {
            lo = uniform(g, -5, 0);
            up = lo + uniform(g, 0.5, 10);
        } else if (u < 0.9) {
            up = HUGE_VAL; /* linear, lower bound only: a flow or an instrument */
            c = uniform(g, 0, 5);
        } else {
            lo = -HUGE_VAL; /* free: a trade */
            up = HUGE_VAL;
            c = 0;
        }
        if (urand(g) < 0.15)
            c = round(c); /* round costs make ties and breakpoints meet */
        el_problem_add_col(p, NULL, c, h, lo, up, NULL, &err);
        x0[j] = isfinite(lo) && isfinite(up) ? uniform(g, lo, up)
                : isfinite(lo)               ? lo + uniform(g, 0, 5)
                                             : uniform(g, -5, 5);
    }
    for (i = 0; i < nrows; i++) {
        double u = urand(g), r0 = 0, lo, up;
        int any = 0;
        for (j = 0; j < ncols; j++)
            if (urand(g) < 0.45 || (j == ncols - 1 && !any)) {
                double v = uniform(g, 0.2, 2) * (urand(g) < 0.3 ? -1 : 1);
                el_problem_add_coef(p, i, j, urand(g) < 0.4 ? 1.0 : v, &err);
                any = 1;
            }
        for (t = 0; t < p->nnz; t++)
            if (p->ai[t] == i)
                r0 += p->av[t] * x0[p->aj[t]];
        lo = r0 - (u < 0.15 ? 0 : uniform(g, 0, 3));
        up = u < 0.15 ? lo : r0 + uniform(g, 0, 3);
        if (u >= 0.15 && u < 0.6)
            up = HUGE_VAL;
        else if (u >= 0.6 && u < 0.8)
            lo = -HUGE_VAL;
        if (urand(g) < 0.03) /* now and then a requirement above what can be met */
            lo = 1e3, up = HUGE_VAL;
        el_problem_add_row(p, NULL, lo, up,
                           isfinite(lo) && !isfinite(up) && urand(g) < 0.7 ? EL_ROW_REQUIREMENT
                                                                           : EL_ROW_PLAIN,
                           NULL, &err);
    }
    free(x0);
    return p;
}

static void test_random_qp(void)
{
    Rng g = {0x452821e638d01377ULL};
    Tally t = {0};
    int trial;
    char where[64];
    for (trial = 0; trial < 800; trial++) {
        ElProblem *p = random_qp(&g);
        ElError err;
        CU_ASSERT_FATAL(p != NULL && el_problem_check(p, &err) == EL_OK);
        snprintf(where, sizeof(where), "random QP %d", trial);
        both_ways(p, NULL, &t, where, NULL, NULL);
        el_problem_free(p);
    }
    if (stats())
        fprintf(stderr, "\n  warm: random QPs: %d compared of %d, %d of %d parts without LP\n",
                t.compared, t.solved, t.skipped, t.parts);
    CU_ASSERT(t.compared >= 500);
    /* step 0 answers many, and leaves many (degenerate, or not found) to the LP path */
    CU_ASSERT(t.skipped >= t.parts / 5);
    CU_ASSERT(t.skipped <= t.parts * 9 / 10);
}

/* ---- (a) random scenarios through the scenario API ---- */

static double round_price(Rng *g)
{
    static const double set[6] = {5, 10, 20, 25, 40, 50};
    return urand(g) < 0.6 ? set[irand(g, 6)] : uniform(g, 1, 60);
}

/* A random MAC: linear (sometimes with an intercept and an end), points (sometimes flat
 * pieces) or steps (sometimes met exactly at a step's end by the requirement in *exact). */
static ElMac *random_mac(Rng *g, double bau, double *exact)
{
    ElMac *m = NULL;
    ElError err;
    double q[6], pr[6], total = 0;
    int form = irand(g, 3), n = 1 + irand(g, 4), k;
    *exact = -1;
    if (form == 0) {
        el_mac_create_linear(&m, urand(g) < 0.3 ? round_price(g) : 0, uniform(g, 0.2, 4),
                             urand(g) < 0.3 ? uniform(g, 20, 80) : HUGE_VAL, &err);
        return m;
    }
    if (form == 1) {
        q[0] = 0;
        pr[0] = urand(g) < 0.5 ? 0 : round_price(g) / 4;
        for (k = 1; k <= n; k++) {
            q[k] = fmin(q[k - 1] + uniform(g, 5, 35), bau);
            pr[k] = pr[k - 1] + (urand(g) < 0.2 ? 0 : uniform(g, 1, 30));
        }
        for (k = 1; k <= n && q[k] > q[k - 1]; k++)
            ;
        el_mac_create_points(&m, q, pr, k, &err);
        return m;
    }
    for (k = 0; k < n; k++) {
        int i;
        q[k] = 2 + irand(g, 19);
        pr[k] = round_price(g);
        for (i = k; i > 0 && pr[i - 1] > pr[i]; i--) {
            double tmp = pr[i];
            pr[i] = pr[i - 1];
            pr[i - 1] = tmp;
        }
    }
    for (k = 1 + irand(g, n); k > 0; k--)
        total += q[k - 1];
    if (total < bau)
        *exact = total;
    el_mac_create_steps(&m, q, pr, n, &err);
    return m;
}

/* A scenario of 2-6 jurisdictions and 4 designs: groups, links with rates, quotas and
 * quota-shares, an offset pool with limits and discounts, export caps, price instruments.
 * NULL when the draw is not a valid scenario. */
static ElScenario *random_scenario(Rng *g)
{
    ElScenario *s = NULL;
    ElError err;
    int nj = 2 + irand(g, 5), j, d, pool = -1;
    if (el_scenario_create(&s, "random", "USD", "Mt", &err) != EL_OK)
        return NULL;
    for (j = 0; j < nj; j++) {
        char id[16];
        double bau = uniform(g, 60, 160), exact, R;
        ElMac *m = random_mac(g, bau, &exact);
        snprintf(id, sizeof(id), "J%d", j);
        R = exact >= 0 && urand(g) < 0.3 ? exact : uniform(g, -10, 45);
        if (!m || el_scenario_add_jurisdiction(s, id, id, bau, bau - R, m, 0, &err) != EL_OK)
            goto fail;
        if (urand(g) < 0.15 &&
            el_scenario_add_instrument(s, EL_SCENARIO_LEVEL, j,
                                       urand(g) < 0.5 ? EL_INSTR_CEILING : EL_INSTR_FLOOR,
                                       round_price(g) + 20, uniform(g, 2, 15), 0, &err) != EL_OK)
            goto fail;
    }
    if (urand(g) < 0.4) {
        ElMac *sup = NULL;
        if (el_mac_create_linear(&sup, round_price(g) / 5, uniform(g, 0.1, 2), HUGE_VAL, &err) !=
                EL_OK ||
            el_scenario_add_pool(s, "P", EL_HOST_ROW, sup, 0, &err) != EL_OK)
            goto fail;
        pool = el_scenario_find_pool(s, "P");
    }
    for (d = 0; d < 4; d++) {
        char id[16];
        int members[6], n = 0, l;
        snprintf(id, sizeof(id), "d%d", d);
        if (el_scenario_add_design(s, id, 0, &err) != EL_OK)
            goto fail;
        for (j = 0; j < nj; j++)
            if (urand(g) < 0.6)
                members[n++] = j;
        if (n >= 2 && urand(g) < 0.6 && el_scenario_add_group(s, d, members, n, 0, &err) != EL_OK)
            goto fail;
        for (l = irand(g, 3); l > 0; l--) {
            int from = irand(g, nj), to = irand(g, nj);
            double rate = urand(g) < 0.7 ? 1 : uniform(g, 0.4, 2.5);
            double quota = urand(g) < 0.4 ? uniform(g, 1, 25) : HUGE_VAL;
            double share = urand(g) < 0.15 ? uniform(g, 0.02, 0.3) : nan("");
            if (from != to &&
                el_scenario_add_link(s, d, from, to, rate, quota, share, 0, &err) != EL_OK)
                goto fail;
        }
        if (pool >= 0)
            for (j = 0; j < nj; j++)
                if (urand(g) < 0.4 &&
                    el_scenario_add_accept(s, d, pool, j, uniform(g, 2, 20),
                                           urand(g) < 0.2 ? uniform(g, 0.02, 0.2) : nan(""),
                                           urand(g) < 0.8 ? 1 : uniform(g, 0.5, 1), 0,
                                           &err) != EL_OK)
                    goto fail;
        if (urand(g) < 0.15 && el_scenario_add_export_cap(s, d, irand(g, nj), uniform(g, 0, 15),
                                                          nan(""), 0, &err) != EL_OK)
            goto fail;
    }
    if (el_scenario_finish(s, &err) != EL_OK)
        goto fail;
    return s;
fail:
    el_scenario_free(s);
    return NULL;
}

/* Every design of s (the baseline included), built as the engine builds it, both ways. */
static void scenario_both_ways(const ElScenario *s, const char *name, Tally *t)
{
    int d;
    char where[160];
    for (d = -1; d < s->ndesigns; d++) {
        ElProblem *p = NULL;
        ElModelMap *m = NULL;
        ElError err;
        snprintf(where, sizeof(where), "%s, design %s", name,
                 d < 0 ? "autarky" : s->designs[d]->id);
        CU_ASSERT_EQUAL_FATAL(test_build(s, d, false, &p, &m, &err), EL_OK);
        both_ways(p, NULL, t, where, NULL, NULL);
        el_problem_free(p);
        el_model_map_free(m);
    }
}

static void test_random_scenarios(void)
{
    Rng g = {0xbe5466cf34e90c6cULL};
    Tally t = {0};
    int i, made = 0;
    char name[32];
    for (i = 0; i < 200; i++) {
        ElScenario *s = random_scenario(&g);
        if (!s)
            continue;
        made++;
        snprintf(name, sizeof(name), "random scenario %d", i);
        scenario_both_ways(s, name, &t);
        el_scenario_free(s);
    }
    if (stats())
        fprintf(stderr,
                "\n  warm: random scenarios: %d made, %d designs compared of %d, %d of %d parts "
                "without LP\n",
                made, t.compared, t.solved, t.skipped, t.parts);
    CU_ASSERT(made >= 110);
    CU_ASSERT(t.compared >= 2 * made); /* of 5 designs each: many draws have no equilibrium */
    CU_ASSERT(t.skipped >= t.parts / 3);
}

/* Every scenario the tests use: the bundled one, tests/data, tests/data/permute and the golden
 * inputs. The bundled scenario's quadratic parts all skip the LP. */
static void test_scenario_files(void)
{
    static const char *const patterns[] = {"../scenarios/*.xml", "data/*.xml", "data/permute/*.xml",
                                           "golden/*/input.xml"};
    Tally t = {0}, bundled = {0};
    int k, files = 0;
    size_t f;
    for (k = 0; k < 4; k++) {
        glob_t gl;
        if (glob(patterns[k], 0, NULL, &gl) != 0)
            continue;
        for (f = 0; f < gl.gl_pathc; f++) {
            ElScenario *s = NULL;
            ElError err;
            const char *path = gl.gl_pathv[f];
            if (el_scenario_load(&s, path, NULL, &err) != EL_OK)
                continue; /* files of failure cases */
            files++;
            scenario_both_ways(s, path, strstr(path, "northeast-asia") ? &bundled : &t);
            el_scenario_free(s);
        }
        globfree(&gl);
    }
    if (stats())
        fprintf(stderr,
                "\n  warm: %d scenario files: %d of %d parts without LP; bundled: %d designs, %d "
                "of %d parts\n",
                files, t.skipped, t.parts, bundled.compared, bundled.skipped, bundled.parts);
    CU_ASSERT(files >= 10);
    CU_ASSERT(t.compared >= 60);
    CU_ASSERT(bundled.compared >= 13);
    /* at most one part per design needs the LP (a step curve: a pure LP, which only a warm
     * start lets skip it) */
    CU_ASSERT(bundled.skipped >= bundled.parts - bundled.compared);
}

/* ---- (b) big groups ---- */

/* A full-link group as model/build.c makes it: compliance row j (a requirement), abatement
 * column a_j with MAC slope[j] a on [0, bau_j], a balance row and a free trade column each. */
static ElProblem *group_problem(int n, const double *bau, const double *R, const double *slope)
{
    ElProblem *p = NULL;
    ElError err;
    int j, g, col;
    if (el_problem_create(&p, &err) != EL_OK)
        return NULL;
    for (j = 0; j < n; j++) {
        el_problem_add_row(p, NULL, R[j], HUGE_VAL, EL_ROW_REQUIREMENT, NULL, &err);
        el_problem_add_col(p, NULL, 0, slope[j], 0, bau[j], &col, &err);
        el_problem_add_coef(p, j, col, 1, &err);
    }
    el_problem_add_row(p, NULL, 0, 0, EL_ROW_PLAIN, &g, &err);
    for (j = 0; j < n; j++) {
        el_problem_add_col(p, NULL, 0, 0, -HUGE_VAL, HUGE_VAL, &col, &err);
        el_problem_add_coef(p, j, col, 1, &err);
        el_problem_add_coef(p, g, col, 1, &err);
    }
    return p;
}

/* Members with BAU 100 + j % 50, caps 80-95% of BAU and slopes 1 to 4.84: every member is
 * inside its curve at p = sum R / sum 1/c. With ends, every seventh member's curve ends at
 * 5 Mt, below p / c_j: those drop out of the sums (water-filling), the price is
 * (sum R - sum_ended 5) / sum_others 1/c. */
static double group_data(int n, int ends, double *bau, double *R, double *slope)
{
    double sumR = 0, suminv = 0;
    int j;
    for (j = 0; j < n; j++) {
        bau[j] = 100 + j % 50;
        R[j] = bau[j] * (1 - (0.8 + 0.15 * ((j * 7919) % 100) / 100.0));
        slope[j] = 1 + 0.04 * ((j * 104729) % 97);
        sumR += R[j];
    }
    for (j = 0; j < n; j++) {
        if (ends && j % 7 == 0) {
            bau[j] = 5;
            sumR -= 5;
        } else {
            suminv += 1 / slope[j];
        }
    }
    return sumR / suminv;
}

static void check_group(int n, int ends, int compare)
{
    double *bau = calloc((size_t)n, sizeof(double)), *R = calloc((size_t)n, sizeof(double));
    double *slope = calloc((size_t)n, sizeof(double)), price;
    ElProblem *p;
    ElSolution *sol = NULL;
    ElQpInfo info;
    ElError err;
    Tally t = {0};
    int j;
    CU_ASSERT_FATAL(bau && R && slope);
    price = group_data(n, ends, bau, R, slope);
    p = group_problem(n, bau, R, slope);
    CU_ASSERT_FATAL(p != NULL);
    if (compare) {
        both_ways(p, NULL, &t, "group", &sol, &info);
        CU_ASSERT_EQUAL(t.compared, 1);
    } else {
        CU_ASSERT_FATAL(el_solution_create(&sol, p->ncols, p->nrows, &err) == EL_OK);
        CU_ASSERT_EQUAL_FATAL(el_qp_solve(p, NULL, sol, &info, &err), EL_OK);
    }
    CU_ASSERT_FATAL(sol != NULL);
    CU_ASSERT_EQUAL(sol->outcome, EL_OPTIMAL);
    CU_ASSERT_EQUAL(info.parts, 1);
    CU_ASSERT_EQUAL(info.lp_skipped, 1);
    CU_ASSERT_EQUAL(info.lp_solves, 0);
    CU_ASSERT(info.polished);
    for (j = 0; j < n; j++) {
        double a = ends && j % 7 == 0 ? 5 : price / slope[j];
        CU_ASSERT_DOUBLE_EQUAL(sol->y[j], price, SAME_REL * price);
        CU_ASSERT_DOUBLE_EQUAL(sol->x[j], a, SAME_REL * price / slope[j]);
        CU_ASSERT_DOUBLE_EQUAL(sol->x[n + j], R[j] - a, SAME_REL * bau[j]);
    }
    if (stats())
        fprintf(stderr, "\n  warm: group of %d%s: %d active-set iterations", n,
                ends ? " (water-filling)" : "", info.polish_iter);
    el_solution_free(sol);
    el_problem_free(p);
    free(bau);
    free(R);
    free(slope);
}

/* Groups of 2,000 (against the LP path too) and 10,000 members with linear MACs: the LP is
 * skipped, every price is sum R / sum 1/c to 1e-9; with curves that end, the same after a few
 * active-set iterations. */
static void test_groups(void)
{
    check_group(2000, 0, 1);
    check_group(10000, 0, 0);
    check_group(300, 1, 1);
    check_group(10000, 1, 0);
}

/* ---- (c) degenerate points: the LP path's conventions ---- */

/* One requirement row R over the given columns (coefficient 1 each). */
static ElProblem *one_row(int n, const double *c, const double *h, const double *up, double R)
{
    ElProblem *p = NULL;
    ElError err;
    int j, col;
    if (el_problem_create(&p, &err) != EL_OK)
        return NULL;
    el_problem_add_row(p, NULL, R, HUGE_VAL, EL_ROW_REQUIREMENT, NULL, &err);
    for (j = 0; j < n; j++) {
        el_problem_add_col(p, NULL, c[j], h[j], 0, up[j], &col, &err);
        el_problem_add_coef(p, 0, col, 1, &err);
    }
    return p;
}

/* Solve p both ways, also warm-started from its own solution; step 0 must leave it to the LP
 * path (the point is degenerate) and every price be the expected left derivative. */
static void check_degenerate(ElProblem *p, int nprices, const double *price, const char *where)
{
    ElSolution *sol = NULL, *again = NULL;
    ElQpInfo info;
    Tally t = {0};
    int i;
    both_ways(p, NULL, &t, where, &sol, &info);
    CU_ASSERT_EQUAL(t.compared, 1);
    CU_ASSERT_EQUAL(info.lp_skipped, 0);
    for (i = 0; i < nprices; i++)
        CU_ASSERT_DOUBLE_EQUAL(sol->y[i], price[i], SAME_REL * (1 + price[i]));
    both_ways(p, sol, &t, where, &again, &info);
    CU_ASSERT_EQUAL(t.compared, 2);
    CU_ASSERT_EQUAL(info.lp_skipped, 0);
    for (i = 0; i < nprices; i++)
        CU_ASSERT_DOUBLE_EQUAL(again->y[i], price[i], SAME_REL * (1 + price[i]));
    el_solution_free(sol);
    el_solution_free(again);
}

static void test_degenerate(void)
{
    /* a MAC with a jump: a on [0, 10], then 30 + a on [0, 10]; R = 10 ends the first piece:
     * any price in [10, 30] clears, the left derivative is 10 */
    double c1[2] = {0, 30}, h1[2] = {1, 1}, up1[2] = {10, 10}, p1 = 10;
    /* steps 5 Mt at 10, 5 at 20, 10 at 40 met exactly by R = 10 (docs/model.md §4): 20 */
    double c2[3] = {10, 20, 40}, h2[3] = {0, 0, 0}, up2[3] = {5, 5, 10}, p2 = 20;
    /* a requirement of 0 with a MAC from 0: the row is tight at price 0 */
    double c3[1] = {0}, h3[1] = {2}, up3[1] = {50}, p3 = 0;
    /* a flat-step tie: a quadratic piece 2a on [0, 30] and two steps at 20 (10 Mt each);
     * R = 25 is met by 10 Mt of the piece and 15 Mt of steps, shared any way: price 20 */
    double c4[3] = {0, 20, 20}, h4[3] = {2, 0, 0}, up4[3] = {30, 10, 10}, p4 = 20;
    ElSolution *warm = NULL, *sol = NULL;
    ElQpInfo info;
    ElError err;
    Tally t = {0};
    ElProblem *p = one_row(2, c1, h1, up1, 10);
    CU_ASSERT_FATAL(p != NULL);
    check_degenerate(p, 1, &p1, "MAC with a jump met at its end");
    /* 1e-11 past the end: strictly the price is 30 + 1e-11, but within the verification
     * tolerance the requirement is met at the end, and the LP path says 10; step 0's margins
     * leave such a point to it */
    p->rlo[0] = 10 + 1e-11;
    check_degenerate(p, 1, &p1, "MAC with a jump, 1e-11 past its end");
    /* ... also from the active set of the strict answer (first piece full, 1e-11 of the
     * second): it verifies, but inside the margins */
    CU_ASSERT_FATAL(el_solution_create(&warm, 2, 1, &err) == EL_OK);
    warm->outcome = EL_OPTIMAL;
    warm->cstat[0] = EL_ST_UPPER;
    warm->cstat[1] = EL_ST_BASIC;
    warm->rstat[0] = EL_ST_LOWER;
    both_ways(p, warm, &t, "MAC with a jump, 1e-11 past its end, warm", &sol, &info);
    CU_ASSERT_EQUAL(t.compared, 1);
    CU_ASSERT_EQUAL(info.lp_skipped, 0);
    CU_ASSERT_DOUBLE_EQUAL(sol->y[0], p1, SAME_REL * p1);
    el_solution_free(sol);
    el_solution_free(warm);
    el_problem_free(p);
    p = one_row(3, c2, h2, up2, 10);
    CU_ASSERT_FATAL(p != NULL);
    check_degenerate(p, 1, &p2, "steps met at a step's end");
    el_problem_free(p);
    p = one_row(1, c3, h3, up3, 0);
    CU_ASSERT_FATAL(p != NULL);
    check_degenerate(p, 1, &p3, "requirement 0");
    el_problem_free(p);
    p = one_row(3, c4, h4, up4, 25);
    CU_ASSERT_FATAL(p != NULL);
    check_degenerate(p, 1, &p4, "flat-step tie");
    el_problem_free(p);
}

/* Two members in a group, each with a quadratic piece and a step at 20 of 10 Mt: at the
 * group price 20 the steps of A and B tie (the trade decides who uses which). Another
 * member's MAC ends exactly at the price (a column at its bound with a zero reduced cost). */
static void test_degenerate_group(void)
{
    double bau[3] = {100, 100, 100}, R[3] = {25, 20, 16}, slope[3] = {2, 1, 1.25};
    double price[3] = {20, 20, 20};
    ElProblem *p = group_problem(3, bau, R, slope);
    ElError err;
    int col;
    CU_ASSERT_FATAL(p != NULL);
    /* steps of A and B: R total 61 = 10 + 20 + 16 (pieces at price 20) + 15 of steps */
    el_problem_add_col(p, NULL, 20, 0, 0, 10, &col, &err);
    el_problem_add_coef(p, 0, col, 1, &err);
    el_problem_add_col(p, NULL, 20, 0, 0, 10, &col, &err);
    el_problem_add_coef(p, 1, col, 1, &err);
    p->up[2] = 16; /* C's curve ends where the price is 20 */
    check_degenerate(p, 3, price, "group with tied steps");
    el_problem_free(p);
}

/* ---- (d) warm starts ---- */

/* A problem of several parts (groups with curves that end, a step curve with its requirement
 * inside a step), solved, then one requirement moved by 1%: warm-started from the first
 * solution, every part skips the LP in one iteration, and the answer is the LP path's. */
static void test_warm_moved(void)
{
    enum {
        N = 60
    };
    double bau[N], R[N], slope[N], c[3] = {10, 20, 40}, up[3] = {5, 5, 10};
    ElProblem *p;
    ElSolution *first = NULL, *next = NULL, *cold = NULL;
    ElQpInfo info, cinfo;
    ElError err;
    Tally t = {0};
    int j, k, row, col, base;
    group_data(N, 1, bau, R, slope);
    p = group_problem(N, bau, R, slope);
    CU_ASSERT_FATAL(p != NULL);
    /* a second part: the step curve, its requirement inside the second step (price 20) */
    base = p->ncols;
    CU_ASSERT_FATAL(el_problem_add_row(p, NULL, 7.5, HUGE_VAL, EL_ROW_REQUIREMENT, &row, &err) ==
                    EL_OK);
    for (k = 0; k < 3; k++) {
        el_problem_add_col(p, NULL, c[k], 0, 0, up[k], &col, &err);
        el_problem_add_coef(p, row, col, 1, &err);
    }
    both_ways(p, NULL, &t, "parts, cold", &first, &info);
    CU_ASSERT_EQUAL(info.parts, 2);
    CU_ASSERT_EQUAL(info.lp_skipped, 1); /* the step curve has no cold guess */
    CU_ASSERT_DOUBLE_EQUAL(first->y[row], 20, SAME_REL * 20);

    p->rlo[3] *= 1.01;  /* a member's requirement */
    p->rlo[row] = 7.55; /* the steps' requirement, within the same step */
    both_ways(p, first, &t, "parts, warm", &next, &info);
    CU_ASSERT_EQUAL(t.compared, 2);
    CU_ASSERT_EQUAL(info.lp_skipped, 2);
    CU_ASSERT_EQUAL(info.lp_solves, 0);
    CU_ASSERT_EQUAL(info.polish_iter, 2); /* the warm active set is right: one solve a part */
    CU_ASSERT_DOUBLE_EQUAL(next->y[row], 20, SAME_REL * 20);
    CU_ASSERT_DOUBLE_EQUAL(next->x[base + 1], 2.55, SAME_REL * 5);
    both_ways(p, NULL, &t, "parts, cold again", &cold, &cinfo);
    CU_ASSERT(cinfo.polish_iter >= 2); /* the ends are found by the iteration */
    CU_ASSERT_EQUAL(cinfo.lp_skipped, 1);
    CU_ASSERT(close_all(p->ncols, next->x, cold->x, SAME_REL));
    for (j = 0; j < N; j++)
        CU_ASSERT_DOUBLE_EQUAL(next->y[j], next->y[0], SAME_REL * next->y[0]);
    el_solution_free(first);
    el_solution_free(next);
    el_solution_free(cold);
    el_problem_free(p);
}

/* A warm start is only a start: of the wrong size or not optimal it is ignored; the solution
 * being written may be its own warm start; with fast_path = 0 or lp_only no step 0 runs. */
static void test_warm_options(void)
{
    double bau[3] = {100, 80, 60}, R[3] = {10, 30, 5}, slope[3] = {1, 2, 4}, price = 45 / 1.75;
    ElProblem *p = group_problem(3, bau, R, slope);
    ElSolution *sol = NULL, *small = NULL;
    ElQpOptions o = {0};
    ElQpInfo info;
    ElSettings s;
    ElError err;
    CU_ASSERT_FATAL(p != NULL);
    CU_ASSERT_FATAL(el_solution_create(&sol, p->ncols, p->nrows, &err) == EL_OK);
    CU_ASSERT_FATAL(el_solution_create(&small, 2, 2, &err) == EL_OK);
    o.warm = small; /* wrong size: the cold guess */
    CU_ASSERT_EQUAL_FATAL(el_qp_solve_with(p, NULL, &o, sol, &info, &err), EL_OK);
    CU_ASSERT_EQUAL(info.lp_skipped, 1);
    CU_ASSERT_DOUBLE_EQUAL(sol->y[0], price, SAME_REL * price);
    o.warm = sol; /* itself, optimal: one iteration */
    p->rlo[1] = 30.3;
    CU_ASSERT_EQUAL_FATAL(el_qp_solve_with(p, NULL, &o, sol, &info, &err), EL_OK);
    CU_ASSERT_EQUAL(info.lp_skipped, 1);
    CU_ASSERT_EQUAL(info.polish_iter, 1);
    CU_ASSERT_DOUBLE_EQUAL(sol->y[0], 45.3 / 1.75, SAME_REL * price);
    sol->outcome = EL_INFEASIBLE; /* not optimal: ignored */
    memset(sol->cstat, 0xff, (size_t)p->ncols * sizeof(int));
    CU_ASSERT_EQUAL_FATAL(el_qp_solve_with(p, NULL, &o, sol, &info, &err), EL_OK);
    CU_ASSERT_EQUAL(info.lp_skipped, 1);
    CU_ASSERT_DOUBLE_EQUAL(sol->y[0], 45.3 / 1.75, SAME_REL * price);
    sol->cstat[0] = 77; /* nonsense statuses are sanitized */
    sol->rstat[0] = EL_ST_UPPER;
    CU_ASSERT_EQUAL_FATAL(el_qp_solve_with(p, NULL, &o, sol, &info, &err), EL_OK);
    CU_ASSERT_EQUAL(info.lp_skipped, 1);
    CU_ASSERT_DOUBLE_EQUAL(sol->y[0], 45.3 / 1.75, SAME_REL * price);
    o.lp_only = true;
    CU_ASSERT_EQUAL_FATAL(el_qp_solve_with(p, NULL, &o, sol, &info, &err), EL_OK);
    CU_ASSERT_EQUAL(info.lp_skipped, 0);
    CU_ASSERT(info.lp_solves > 0);
    el_settings_default(&s);
    s.fast_path = 0;
    CU_ASSERT_EQUAL_FATAL(el_qp_solve(p, &s, sol, &info, &err), EL_OK);
    CU_ASSERT_EQUAL(info.lp_skipped, 0);
    CU_ASSERT(info.lp_solves > 0);
    CU_ASSERT_DOUBLE_EQUAL(sol->y[0], 45.3 / 1.75, SAME_REL * price);
    el_solution_free(sol);
    el_solution_free(small);
    el_problem_free(p);
}

/* Every allocation of step 0 may fail: EL_ERR_NOMEM each time, until the run that succeeds
 * (leaks are caught by make valgrind and make asan). */
static void test_out_of_memory(void)
{
    double bau[5], R[5], slope[5], price = group_data(5, 0, bau, R, slope);
    ElProblem *p = group_problem(5, bau, R, slope);
    ElSolution *sol = NULL;
    ElQpOptions o = {0};
    ElQpInfo info;
    ElError err;
    long fail;
    CU_ASSERT_FATAL(p != NULL);
    CU_ASSERT_FATAL(el_solution_create(&sol, p->ncols, p->nrows, &err) == EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_qp_solve(p, NULL, sol, &info, &err), EL_OK);
    o.warm = sol;
    for (fail = 1; fail < 1000; fail++) {
        el_status st;
        el_alloc_fail_at(fail);
        st = el_qp_solve_with(p, NULL, &o, sol, &info, &err);
        el_alloc_fail_at(0);
        if (st == EL_OK)
            break;
        CU_ASSERT_EQUAL(st, EL_ERR_NOMEM);
        sol->outcome = EL_OPTIMAL; /* the statuses are untouched by a failed solve */
    }
    CU_ASSERT(fail > 1 && fail < 1000);
    CU_ASSERT_EQUAL(info.lp_skipped, 1);
    CU_ASSERT_DOUBLE_EQUAL(sol->y[0], price, SAME_REL * price);
    el_solution_free(sol);
    el_problem_free(p);
}

CU_TestInfo warm_tests[] = {
    {"random QPs: KKT first = LP path", test_random_qp},
    {"random scenarios: KKT first = LP path", test_random_scenarios},
    {"scenario files: KKT first = LP path", test_scenario_files},
    {"groups of 2,000 and 10,000: no LP, closed form", test_groups},
    {"degenerate points go to the LP path", test_degenerate},
    {"tied steps in a group go to the LP path", test_degenerate_group},
    {"warm start after a moved requirement", test_warm_moved},
    {"warm start options", test_warm_options},
    {"allocation failures", test_out_of_memory},
    CU_TEST_INFO_NULL,
};
