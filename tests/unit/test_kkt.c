/* KKT suite: the sparse KKT solve (solver/kkt.c) against the dense LAPACK oracle on generated
 * systems and problems, a group's closed-form price, memory linear in N for a star, singular
 * systems, and allocation failures. Random data come from a fixed seed, so every run is the
 * same. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "el_alloc.h"
#include "el_la.h"
#include "kkt.h"
#include "qp.h"
#include "suites.h"

#define KKT_REL 1e-10 /* sparse vs dense on one system, relative to the solution's size */
#define QP_REL  1e-9  /* sparse vs dense through el_qp_solve, and the closed-form price */

/* A coefficient away from 0: +-[0.2, 2]. */
static double coef(Rng *g)
{
    double v = uniform(g, 0.2, 2);
    return urand(g) < 0.5 ? -v : v;
}

/* |a - b| <= rel (|b| + scale) for every entry. */
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

/* ---- the sparse LU alone ---- */

/* Random sparse n x n matrices with a hidden permuted diagonal (so that most are regular) and
 * some tiny entries (so that threshold pivoting must look elsewhere), against LAPACK's dense
 * LU. */
static void test_lu_random(void)
{
    Rng g = {0x9e3779b97f4a7c15ULL};
    int trial, compared = 0;
    for (trial = 0; trial < 300; trial++) {
        int n = 1 + irand(&g, trial < 200 ? 12 : 60), nnz = 0, k, t;
        int *ri = calloc((size_t)n * n, sizeof(int)), *ci = calloc((size_t)n * n, sizeof(int));
        int *perm = calloc((size_t)n, sizeof(int));
        double *v = calloc((size_t)n * n, sizeof(double)),
               *K = calloc((size_t)n * n, sizeof(double));
        double *b = calloc((size_t)n, sizeof(double)), *bd = calloc((size_t)n, sizeof(double));
        double density = uniform(&g, 0.05, 0.4), rcond;
        ElError err;
        el_status st, sd;
        for (k = 0; k < n; k++)
            perm[k] = k;
        for (k = n - 1; k > 0; k--) {
            int j = irand(&g, k + 1), tmp = perm[k];
            perm[k] = perm[j];
            perm[j] = tmp;
        }
        for (k = 0; k < n; k++) {
            int j;
            for (j = 0; j < n; j++)
                if (j == perm[k] || urand(&g) < density) {
                    double val = coef(&g) * (urand(&g) < 0.2 ? 1e-6 : 1.0);
                    ri[nnz] = k;
                    ci[nnz] = j;
                    v[nnz++] = val;
                    K[k + (size_t)j * n] = val;
                }
            b[k] = bd[k] = uniform(&g, -10, 10);
        }
        st = el_kkt_lu_solve(n, nnz, ri, ci, v, b, &rcond, &err);
        sd = el_la_solve_lu(n, K, bd, &err);
        /* both call the matrix singular (rcond < 1e-13) or neither does; both answers are
         * within about cond(A) x rounding of the truth */
        CU_ASSERT_EQUAL(st, sd);
        if (st == EL_OK && sd == EL_OK) {
            CU_ASSERT(close_all(n, b, bd, fmax(KKT_REL, 1e-15 / rcond)));
            compared++;
        }
        for (t = 0; t < nnz; t++)
            CU_ASSERT(ri[t] >= 0);
        free(ri);
        free(ci);
        free(perm);
        free(v);
        free(K);
        free(b);
        free(bd);
    }
    CU_ASSERT(compared >= 250);
}

/* Duplicated triplets are summed; a structurally singular matrix (an empty column) and a
 * numerically singular one (two equal rows) are EL_ERR_NUMERIC. */
static void test_lu_small(void)
{
    /* [[2, 1], [1, 3]] given as 2 = 1 + 1 in two triplets: z = [1, 2] for b = [4, 7] */
    int ri[] = {0, 0, 0, 1, 1}, ci[] = {0, 0, 1, 0, 1};
    double v[] = {1, 1, 1, 1, 3}, b[] = {4, 7}, rcond;
    int ri2[] = {0, 1}, ci2[] = {0, 0};
    double v2[] = {1, 2}, b2[] = {1, 1};
    int ri3[] = {0, 0, 1, 1}, ci3[] = {0, 1, 0, 1};
    double v3[] = {1, 2, 2, 4}, b3[] = {1, 2};
    ElError err;
    CU_ASSERT_EQUAL_FATAL(el_kkt_lu_solve(2, 5, ri, ci, v, b, &rcond, &err), EL_OK);
    CU_ASSERT_DOUBLE_EQUAL(b[0], 1, 1e-14);
    CU_ASSERT_DOUBLE_EQUAL(b[1], 2, 1e-14);
    CU_ASSERT(rcond > 0.1);
    CU_ASSERT_EQUAL(el_kkt_lu_solve(2, 2, ri2, ci2, v2, b2, &rcond, &err), EL_ERR_NUMERIC);
    CU_ASSERT_EQUAL(el_kkt_lu_solve(2, 4, ri3, ci3, v3, b3, &rcond, &err), EL_ERR_NUMERIC);
    CU_ASSERT_EQUAL(el_kkt_lu_solve(0, 0, NULL, NULL, NULL, NULL, &rcond, &err), EL_OK);
}

/* ---- KKT systems of random active sets ---- */

/* A random problem: columns quadratic (h > 0 on [0, up]) or linear with finite or infinite
 * bounds, rows with lower, upper, range or equality bounds, a sparse A. */
static ElProblem *random_problem(Rng *g, int nrows, int ncols, double density)
{
    ElProblem *p = NULL;
    ElError err;
    int i, j;
    char name[32];
    if (el_problem_create(&p, &err) != EL_OK)
        return NULL;
    for (j = 0; j < ncols; j++) {
        snprintf(name, sizeof(name), "c%d", j);
        if (urand(g) < 0.6)
            el_problem_add_col(p, name, uniform(g, -5, 5), uniform(g, 0.2, 5), 0, uniform(g, 1, 10),
                               NULL, &err);
        else if (urand(g) < 0.8) {
            double lo = uniform(g, -5, 0);
            el_problem_add_col(p, name, uniform(g, -5, 5), 0, lo, lo + uniform(g, 0.5, 10), NULL,
                               &err);
        } else
            el_problem_add_col(p, name, uniform(g, -5, 5), 0, -HUGE_VAL, HUGE_VAL, NULL, &err);
    }
    for (i = 0; i < nrows; i++) {
        int any = 0;
        snprintf(name, sizeof(name), "r%d", i);
        el_problem_add_row(p, name, -HUGE_VAL, HUGE_VAL, EL_ROW_PLAIN, NULL, &err);
        for (j = 0; j < ncols; j++)
            if (urand(g) < density) {
                el_problem_add_coef(p, i, j, coef(g), &err);
                any = 1;
            }
        if (!any)
            el_problem_add_coef(p, i, irand(g, ncols), coef(g), &err);
    }
    return p;
}

/* Random active sets of random problems, sparse against dense: the same answer to 1e-10
 * relative when the system is regular; when it is singular the sparse path says so exactly
 * when LAPACK falls back to least squares, and the default method then gives the dense
 * answer. */
static void test_kkt_random(void)
{
    Rng g = {0x243f6a8885a308d3ULL};
    int trial, compared = 0, singular = 0;
    for (trial = 0; trial < 1500; trial++) {
        int nrows = 1 + irand(&g, trial < 1000 ? 8 : 40), ncols = 1 + irand(&g, 2 * nrows + 4);
        double density = uniform(&g, 0.1, 0.6);
        ElProblem *p = random_problem(&g, nrows, ncols, density);
        ElKkt *k = NULL;
        ElKktInfo is, id, ia;
        ElError err;
        int *cstat, *rstat, i, j;
        double *xs, *ys, *xd, *yd, *xa, *ya;
        el_status ss, sd, sa;
        CU_ASSERT_FATAL(p != NULL);
        CU_ASSERT_FATAL(el_kkt_create(&k, p, &err) == EL_OK);
        cstat = calloc((size_t)ncols, sizeof(int));
        rstat = calloc((size_t)nrows, sizeof(int));
        xs = calloc((size_t)ncols, sizeof(double));
        xd = calloc((size_t)ncols, sizeof(double));
        xa = calloc((size_t)ncols, sizeof(double));
        ys = calloc((size_t)nrows, sizeof(double));
        yd = calloc((size_t)nrows, sizeof(double));
        ya = calloc((size_t)nrows, sizeof(double));
        /* quadratic columns basic more often than linear ones, as in a solution; a linear
         * basic column needs an active row to pin its equation */
        for (j = 0; j < ncols; j++) {
            double u = urand(&g), basic = p->h[j] > 0 ? 0.7 : 0.35;
            cstat[j] = u < basic             ? EL_ST_BASIC
                       : !isfinite(p->lo[j]) ? EL_ST_FREE
                       : u < basic + 0.15    ? EL_ST_LOWER
                       : u < basic + 0.25    ? EL_ST_UPPER
                                             : EL_ST_FIXED;
        }
        for (i = 0; i < nrows; i++) {
            double u = urand(&g);
            p->rlo[i] = uniform(&g, -10, 10);
            p->rup[i] = p->rlo[i] + (u < 0.15 ? 0 : uniform(&g, 0.1, 5));
            rstat[i] = u < 0.15   ? EL_ST_FIXED
                       : u < 0.35 ? EL_ST_LOWER
                       : u < 0.55 ? EL_ST_UPPER
                                  : EL_ST_BASIC;
        }
        sd = el_kkt_solve(k, EL_KKT_DENSE, cstat, rstat, xd, yd, &id, &err);
        ss = el_kkt_solve(k, EL_KKT_SPARSE_ONLY, cstat, rstat, xs, ys, &is, &err);
        sa = el_kkt_solve(k, EL_KKT_SPARSE, cstat, rstat, xa, ya, &ia, &err);
        CU_ASSERT_EQUAL(sd, EL_OK);
        CU_ASSERT_EQUAL(sa, EL_OK);
        CU_ASSERT(id.dense && !is.dense);
        CU_ASSERT_EQUAL(is.unknowns, id.unknowns);
        if (ss == EL_OK) {
            CU_ASSERT(!id.least_squares);
            CU_ASSERT(!ia.dense);
            CU_ASSERT(close_all(ncols, xs, xd, KKT_REL));
            CU_ASSERT(close_all(nrows, ys, yd, KKT_REL));
            CU_ASSERT(close_all(ncols, xa, xs, 0));
            CU_ASSERT(close_all(nrows, ya, ys, 0));
            for (j = 0; j < ncols; j++) /* nonbasic columns at their bound */
                if (cstat[j] != EL_ST_BASIC)
                    CU_ASSERT_EQUAL(xs[j], cstat[j] == EL_ST_UPPER  ? p->up[j]
                                           : cstat[j] == EL_ST_FREE ? 0
                                                                    : p->lo[j]);
            for (i = 0; i < nrows; i++)
                if (rstat[i] == EL_ST_BASIC)
                    CU_ASSERT_EQUAL(ys[i], 0);
            compared++;
        } else {
            CU_ASSERT_EQUAL(ss, EL_ERR_NUMERIC);
            CU_ASSERT(is.singular);
            CU_ASSERT(id.least_squares);
            CU_ASSERT(ia.dense && ia.singular);
            CU_ASSERT(close_all(ncols, xa, xd, 0));
            CU_ASSERT(close_all(nrows, ya, yd, 0));
            singular++;
        }
        free(cstat);
        free(rstat);
        free(xs);
        free(xd);
        free(xa);
        free(ys);
        free(yd);
        free(ya);
        el_kkt_free(k);
        el_problem_free(p);
    }
    /* both kinds occur, and most systems are regular */
    CU_ASSERT(compared >= 500);
    CU_ASSERT(singular >= 50);
}

/* ---- groups ---- */

/* A full-link group of n members as model/build.c makes it: compliance row j (a requirement,
 * sum of abatement + m_j >= R_j), abatement column a_j with MAC slope[j] a on [0, bau_j], one
 * balance row sum_j m_j = 0 and a free trade column m_j per member. With two_trades, member 0
 * gets a second trade column identical to its first (a singular system when both are basic). */
static ElProblem *
group_problem(int n, const double *bau, const double *R, const double *slope, int two_trades)
{
    ElProblem *p = NULL;
    ElError err;
    int j, g, col;
    char name[32];
    if (el_problem_create(&p, &err) != EL_OK)
        return NULL;
    for (j = 0; j < n; j++) {
        snprintf(name, sizeof(name), "comply_%d", j);
        el_problem_add_row(p, name, R[j], HUGE_VAL, EL_ROW_REQUIREMENT, NULL, &err);
        snprintf(name, sizeof(name), "abate_%d", j);
        el_problem_add_col(p, name, 0, slope[j], 0, bau[j], &col, &err);
        el_problem_add_coef(p, j, col, 1, &err);
    }
    el_problem_add_row(p, "group", 0, 0, EL_ROW_PLAIN, &g, &err);
    for (j = 0; j < n + (two_trades ? 1 : 0); j++) {
        int member = j < n ? j : 0;
        snprintf(name, sizeof(name), "trade_%d", j);
        el_problem_add_col(p, name, 0, 0, -HUGE_VAL, HUGE_VAL, &col, &err);
        el_problem_add_coef(p, member, col, 1, &err);
        el_problem_add_coef(p, g, col, 1, &err);
    }
    return p;
}

/* Members with BAU 100 + j % 50, caps 80-95% of BAU and slopes 1 to 4.84: the linked price
 * p = sum R / sum 1/c puts every member inside its curve (p / c_j < BAU). */
static void group_data(int n, double *bau, double *R, double *slope, double *price)
{
    double sumR = 0, suminv = 0;
    int j;
    for (j = 0; j < n; j++) {
        bau[j] = 100 + j % 50;
        R[j] = bau[j] * (1 - (0.8 + 0.15 * ((j * 7919) % 100) / 100.0));
        slope[j] = 1 + 0.04 * ((j * 104729) % 97);
        sumR += R[j];
        suminv += 1 / slope[j];
    }
    *price = sumR / suminv;
}

/* The KKT system of a group's interior active set is a star: the sparse LU's factors hold a
 * fixed number of entries per member, and the price is the closed form. 10,000 members (the
 * schema's maximum), where the dense path would need 7.2 GB. */
static void test_star(void)
{
    int n = 10000, j;
    double *bau = calloc((size_t)n, sizeof(double)), *R = calloc((size_t)n, sizeof(double));
    double *slope = calloc((size_t)n, sizeof(double)), price;
    ElProblem *p;
    ElKkt *k = NULL;
    ElKktInfo info;
    ElError err;
    int *cstat, *rstat;
    double *x, *y;
    group_data(n, bau, R, slope, &price);
    p = group_problem(n, bau, R, slope, 0);
    CU_ASSERT_FATAL(p != NULL);
    CU_ASSERT_FATAL(el_kkt_create(&k, p, &err) == EL_OK);
    cstat = calloc((size_t)p->ncols, sizeof(int));
    rstat = calloc((size_t)p->nrows, sizeof(int));
    x = calloc((size_t)p->ncols, sizeof(double));
    y = calloc((size_t)p->nrows, sizeof(double));
    for (j = 0; j < p->ncols; j++)
        cstat[j] = EL_ST_BASIC;
    for (j = 0; j < p->nrows; j++)
        rstat[j] = j < n ? EL_ST_LOWER : EL_ST_FIXED;
    CU_ASSERT_EQUAL_FATAL(el_kkt_solve(k, EL_KKT_SPARSE, cstat, rstat, x, y, &info, &err), EL_OK);
    CU_ASSERT(!info.dense);
    CU_ASSERT_EQUAL(info.unknowns, 3 * n + 1);
    /* 7 nonzeros per member in the KKT matrix; the factors add 2 per member (the Schur
     * complement's 1 / h_j and its link to the balance row), never more */
    CU_ASSERT(info.lu_nnz <= 9 * n + 1);
    CU_ASSERT(info.rcond > 1e-8);
    for (j = 0; j < n; j++) {
        CU_ASSERT_DOUBLE_EQUAL(y[j], price, QP_REL * price);
        CU_ASSERT_DOUBLE_EQUAL(x[j], price / slope[j], QP_REL * price / slope[j]);
    }
    /* the balance row's dual is -p: a free trade column has 0 = -(y_j + y_balance) */
    CU_ASSERT_DOUBLE_EQUAL(y[n], -price, QP_REL * price);
    /* the dense oracle is refused at this size, before it allocates anything */
    CU_ASSERT_EQUAL(el_kkt_solve(k, EL_KKT_DENSE, cstat, rstat, x, y, &info, &err), EL_ERR_LP);
    free(cstat);
    free(rstat);
    free(x);
    free(y);
    el_kkt_free(k);
    el_problem_free(p);
    free(bau);
    free(R);
    free(slope);
}

/* el_qp_solve on a group of 2,000 members (LP stage, then the sparse polish): every member's
 * price is p = sum R_j / sum 1/c_j and each abates p / c_j. */
static void test_group_2000(void)
{
    int n = 2000, j;
    double *bau = calloc((size_t)n, sizeof(double)), *R = calloc((size_t)n, sizeof(double));
    double *slope = calloc((size_t)n, sizeof(double)), price;
    ElProblem *p;
    ElSolution *sol = NULL;
    ElQpInfo info;
    ElError err;
    group_data(n, bau, R, slope, &price);
    p = group_problem(n, bau, R, slope, 0);
    CU_ASSERT_FATAL(p != NULL);
    CU_ASSERT_FATAL(el_solution_create(&sol, p->ncols, p->nrows, &err) == EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_qp_solve(p, NULL, sol, &info, &err), EL_OK);
    CU_ASSERT_EQUAL(sol->outcome, EL_OPTIMAL);
    CU_ASSERT(info.polished);
    for (j = 0; j < n; j++) {
        CU_ASSERT_DOUBLE_EQUAL(sol->y[j], price, QP_REL * price);
        CU_ASSERT_DOUBLE_EQUAL(sol->x[j], price / slope[j], QP_REL * price / slope[j]);
        CU_ASSERT_DOUBLE_EQUAL(sol->x[n + j], R[j] - price / slope[j], QP_REL * bau[j]);
    }
    el_solution_free(sol);
    el_problem_free(p);
    free(bau);
    free(R);
    free(slope);
}

/* ---- el_qp_solve, sparse against dense ---- */

/* A random bounded, feasible separable QP: every column bounded, rows built around a point
 * inside the bounds. */
static ElProblem *random_qp(Rng *g)
{
    int nrows = 1 + irand(g, 6), ncols = 2 + irand(g, 9), i, j, t;
    ElProblem *p = NULL;
    ElError err;
    double *x0 = calloc((size_t)ncols, sizeof(double));
    char name[32];
    el_problem_create(&p, &err);
    for (j = 0; j < ncols; j++) {
        double lo = 0, up, h = 0;
        snprintf(name, sizeof(name), "c%d", j);
        if (urand(g) < 0.6) {
            h = uniform(g, 0.2, 5);
            up = uniform(g, 1, 10);
        } else {
            lo = uniform(g, -5, 0);
            up = lo + uniform(g, 0.5, 10);
        }
        el_problem_add_col(p, name, uniform(g, -5, 5), h, lo, up, NULL, &err);
        x0[j] = uniform(g, lo, up);
    }
    for (i = 0; i < nrows; i++) {
        double u = urand(g), r0 = 0, lo, up;
        int any = 0;
        for (j = 0; j < ncols; j++)
            if (urand(g) < 0.5 || (j == ncols - 1 && !any)) {
                el_problem_add_coef(p, i, j, coef(g), &err);
                any = 1;
            }
        for (t = 0; t < p->nnz; t++)
            if (p->ai[t] == i)
                r0 += p->av[t] * x0[p->aj[t]];
        lo = u < 0.15 ? r0 : r0 - uniform(g, 0, 3);
        up = u < 0.15 ? r0 : r0 + uniform(g, 0, 3);
        if (u >= 0.15 && u < 0.5)
            up = HUGE_VAL;
        else if (u >= 0.5 && u < 0.75)
            lo = -HUGE_VAL;
        snprintf(name, sizeof(name), "r%d", i);
        el_problem_add_row(p, name, lo, up,
                           isfinite(lo) && !isfinite(up) && urand(g) < 0.5 ? EL_ROW_REQUIREMENT
                                                                           : EL_ROW_PLAIN,
                           NULL, &err);
    }
    free(x0);
    return p;
}

/* The same random QPs solved with the sparse and the dense KKT path: the same status and
 * outcome, and the same x and y to 1e-9 relative. */
static void test_qp_random(void)
{
    Rng g = {0x13198a2e03707344ULL};
    ElQpOptions dense = {.kkt = EL_KKT_DENSE};
    int trial, compared = 0;
    for (trial = 0; trial < 300; trial++) {
        ElProblem *p = random_qp(&g);
        ElSolution *ss = NULL, *sd = NULL;
        ElQpInfo is, id;
        ElError err;
        el_status a, b;
        CU_ASSERT_FATAL(p != NULL && el_problem_check(p, &err) == EL_OK);
        CU_ASSERT_FATAL(el_solution_create(&ss, p->ncols, p->nrows, &err) == EL_OK);
        CU_ASSERT_FATAL(el_solution_create(&sd, p->ncols, p->nrows, &err) == EL_OK);
        a = el_qp_solve(p, NULL, ss, &is, &err);
        b = el_qp_solve_with(p, NULL, &dense, sd, &id, &err);
        CU_ASSERT_EQUAL(a, b);
        if (a == EL_OK && b == EL_OK) {
            CU_ASSERT_EQUAL(ss->outcome, sd->outcome);
            if (ss->outcome == EL_OPTIMAL && sd->outcome == EL_OPTIMAL) {
                CU_ASSERT(close_all(p->ncols, ss->x, sd->x, QP_REL));
                CU_ASSERT(close_all(p->nrows, ss->y, sd->y, QP_REL));
                CU_ASSERT_DOUBLE_EQUAL(ss->obj, sd->obj, QP_REL * (1 + fabs(sd->obj)));
                compared++;
            }
        }
        el_solution_free(ss);
        el_solution_free(sd);
        el_problem_free(p);
    }
    CU_ASSERT(compared >= 250);
}

/* ---- singular systems ---- */

/* Two identical free trade columns of one member: with both basic the system is singular.
 * The default method answers as before (the dense least-squares solution, splitting the trade
 * equally), the sparse method alone says EL_ERR_NUMERIC, and so does the default above the
 * dense cap. el_qp_solve gives the same equilibrium on both paths. */
static void test_singular(void)
{
    double bau[3] = {100, 80, 60}, R[3] = {10, 30, 5}, slope[3] = {1, 2, 4}, price = 45 / 1.75;
    ElProblem *p = group_problem(3, bau, R, slope, 1);
    ElKkt *k = NULL;
    ElKktInfo info;
    ElSolution *ss = NULL, *sd = NULL;
    ElQpOptions dense = {.kkt = EL_KKT_DENSE};
    ElError err;
    int cstat[7], rstat[4], j;
    double x[7], y[4], xd[7], yd[4];
    CU_ASSERT_FATAL(p != NULL && p->ncols == 7 && p->nrows == 4);
    CU_ASSERT_FATAL(el_kkt_create(&k, p, &err) == EL_OK);
    for (j = 0; j < 7; j++)
        cstat[j] = EL_ST_BASIC;
    for (j = 0; j < 4; j++)
        rstat[j] = j < 3 ? EL_ST_LOWER : EL_ST_FIXED;
    CU_ASSERT_EQUAL(el_kkt_solve(k, EL_KKT_SPARSE_ONLY, cstat, rstat, x, y, &info, &err),
                    EL_ERR_NUMERIC);
    CU_ASSERT(info.singular);
    CU_ASSERT_EQUAL_FATAL(el_kkt_solve(k, EL_KKT_SPARSE, cstat, rstat, x, y, &info, &err), EL_OK);
    CU_ASSERT(info.singular && info.dense);
    CU_ASSERT_EQUAL_FATAL(el_kkt_solve(k, EL_KKT_DENSE, cstat, rstat, xd, yd, &info, &err), EL_OK);
    CU_ASSERT(info.least_squares);
    CU_ASSERT(close_all(7, x, xd, 0));
    CU_ASSERT(close_all(4, y, yd, 0));
    for (j = 0; j < 3; j++) {
        CU_ASSERT_DOUBLE_EQUAL(y[j], price, 1e-12 * price);
        CU_ASSERT_DOUBLE_EQUAL(x[j], price / slope[j], 1e-12 * price);
    }
    /* member 0 sells 10 - price = -15.71..., split equally between its two trade columns */
    CU_ASSERT_DOUBLE_EQUAL(x[3], x[6], 1e-12 * price);
    CU_ASSERT_DOUBLE_EQUAL(x[3] + x[6], R[0] - price, 1e-12 * price);
    el_kkt_free(k);

    CU_ASSERT_FATAL(el_solution_create(&ss, 7, 4, &err) == EL_OK);
    CU_ASSERT_FATAL(el_solution_create(&sd, 7, 4, &err) == EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_qp_solve(p, NULL, ss, NULL, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_qp_solve_with(p, NULL, &dense, sd, NULL, &err), EL_OK);
    CU_ASSERT_EQUAL(ss->outcome, EL_OPTIMAL);
    CU_ASSERT(close_all(7, ss->x, sd->x, QP_REL));
    CU_ASSERT(close_all(4, ss->y, sd->y, QP_REL));
    for (j = 0; j < 3; j++)
        CU_ASSERT_DOUBLE_EQUAL(ss->y[j], price, QP_REL * price);
    el_solution_free(ss);
    el_solution_free(sd);
    el_problem_free(p);
}

/* Above the dense cap a singular system cannot fall back: EL_ERR_NUMERIC. */
static void test_singular_large(void)
{
    int n = 3000, j;
    double *bau = calloc((size_t)n, sizeof(double)), *R = calloc((size_t)n, sizeof(double));
    double *slope = calloc((size_t)n, sizeof(double)), price;
    ElProblem *p;
    ElKkt *k = NULL;
    ElKktInfo info;
    ElError err;
    int *cstat, *rstat;
    double *x, *y;
    group_data(n, bau, R, slope, &price);
    p = group_problem(n, bau, R, slope, 1);
    CU_ASSERT_FATAL(p != NULL && el_kkt_create(&k, p, &err) == EL_OK);
    cstat = calloc((size_t)p->ncols, sizeof(int));
    rstat = calloc((size_t)p->nrows, sizeof(int));
    x = calloc((size_t)p->ncols, sizeof(double));
    y = calloc((size_t)p->nrows, sizeof(double));
    for (j = 0; j < p->nrows; j++)
        rstat[j] = j < n ? EL_ST_LOWER : EL_ST_FIXED;
    CU_ASSERT(3 * n + 2 > EL_KKT_DENSE_MAX_UNKNOWNS);
    CU_ASSERT_EQUAL(el_kkt_solve(k, EL_KKT_SPARSE, cstat, rstat, x, y, &info, &err),
                    EL_ERR_NUMERIC);
    CU_ASSERT(info.singular && !info.dense);
    /* without the duplicate (at its lower bound... it is free: nonbasic at 0) it is regular */
    cstat[p->ncols - 1] = EL_ST_FREE;
    CU_ASSERT_EQUAL(el_kkt_solve(k, EL_KKT_SPARSE, cstat, rstat, x, y, &info, &err), EL_OK);
    CU_ASSERT_DOUBLE_EQUAL(y[0], price, QP_REL * price);
    free(cstat);
    free(rstat);
    free(x);
    free(y);
    el_kkt_free(k);
    el_problem_free(p);
    free(bau);
    free(R);
    free(slope);
}

/* Every allocation of the workspace and the solve may fail: EL_ERR_NOMEM each time, until the
 * run that succeeds (leaks are caught by make valgrind and make asan). */
static void test_out_of_memory(void)
{
    int n = 40, j;
    double bau[40], R[40], slope[40], price;
    ElProblem *p;
    long fail;
    ElError err;
    int cstat[81], rstat[41];
    double x[81], y[41];
    group_data(n, bau, R, slope, &price);
    p = group_problem(n, bau, R, slope, 0);
    CU_ASSERT_FATAL(p != NULL && p->ncols == 2 * n && p->nrows == n + 1);
    for (j = 0; j < 2 * n; j++)
        cstat[j] = EL_ST_BASIC;
    for (j = 0; j <= n; j++)
        rstat[j] = j < n ? EL_ST_LOWER : EL_ST_FIXED;
    for (fail = 1; fail < 1000; fail++) {
        ElKkt *k = NULL;
        el_status st;
        el_alloc_fail_at(fail);
        st = el_kkt_create(&k, p, &err);
        if (st == EL_OK)
            st = el_kkt_solve(k, EL_KKT_SPARSE, cstat, rstat, x, y, NULL, &err);
        el_alloc_fail_at(0);
        el_kkt_free(k);
        if (st == EL_OK)
            break;
        CU_ASSERT_EQUAL(st, EL_ERR_NOMEM);
    }
    CU_ASSERT(fail > 1 && fail < 1000);
    CU_ASSERT_DOUBLE_EQUAL(y[0], price, QP_REL * price);
    el_problem_free(p);
}

CU_TestInfo kkt_tests[] = {
    {"sparse LU vs dense LU, random", test_lu_random},
    {"sparse LU by hand, singular", test_lu_small},
    {"random active sets, sparse vs dense", test_kkt_random},
    {"group of 10,000: a star, linear fill", test_star},
    {"group of 2,000 through el_qp_solve", test_group_2000},
    {"random QPs, sparse vs dense", test_qp_random},
    {"singular: identical trade columns", test_singular},
    {"singular above the dense cap", test_singular_large},
    {"allocation failures", test_out_of_memory},
    CU_TEST_INFO_NULL,
};
