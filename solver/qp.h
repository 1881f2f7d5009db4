/* qp: exact solution of the separable convex QP of model/problem.h.
 * 0. KKT first: the polish below starts from a predicted active set (the caller's warm start,
 *    else a cold guess: quadratic and free columns strictly inside, requirement and equality
 *    rows active) with a small iteration cap. Its point is kept only if it verifies and is
 *    strictly complementary with a regular KKT system, so that it is the problem's unique
 *    primal-dual solution and the LP path below would return it too; otherwise the LP path
 *    runs as if the attempt had not been made.
 * 1. GLPK solves an LP in which each quadratic column is split into `grid` steps (the
 *    piecewise-linear interpolation of its cost). Pure LPs are solved as they are.
 * 2. The LP's basis gives an active set; a primal-dual active-set iteration solves the KKT
 *    system of the true QP (solver/kkt.h: a sparse LU, linear in the nonzeros) and checks
 *    every bound and sign, so the answer is the exact equilibrium (to rounding), not a grid
 *    point. If it fails, the grid is refined.
 * Prices at a degenerate point (a requirement exactly met by whole steps) are left derivatives:
 * the LP is solved with every requirement row lowered by 1e-6 (1 + |requirement|) and then
 * restored, so the price is the cost of the last measure used (docs/model.md §4). Step 0 never
 * answers at such a point (its dual is not unique), so the convention is the LP path's. */
#ifndef EL_QP_H
#define EL_QP_H

#include <stdbool.h>

#include "kkt.h"
#include "lp.h"

#define EL_QP_MAX_FAILED_ROWS 8

typedef struct {
    int lp_solves;   /* LPs solved by GLPK */
    int polish_iter; /* active-set iterations */
    int grid;        /* steps per quadratic column in the last LP */
    bool polished;   /* the exact KKT polish ran and converged */
    /* on EL_ERR_NUMERIC: requirement rows (indices in the problem) of the independent part
     * that could not be verified, so that callers can name what failed */
    int failed_rows[EL_QP_MAX_FAILED_ROWS];
    int nfailed_rows;
    double lp_s;    /* seconds in the LP stage: discretisation and GLPK */
    double kkt_s;   /* seconds in the polish's KKT solves (step 0's included) */
    int parts;      /* independent parts solved */
    int lp_skipped; /* ... of which step 0 (KKT first) answered: no LP was solved for them */
} ElQpInfo;

/** Switches of el_qp_solve_with that are not settings (no scenario or command line can reach
 * them): the KKT method and lp_only for tests and benchmarks, a warm start for callers that
 * solve similar problems in a row. Zeroed, it is el_qp_solve's default. */
typedef struct {
    /* how the polish solves each KKT system: EL_KKT_SPARSE (the default) or EL_KKT_DENSE, the
     * LAPACK path kept as the test oracle (capped at EL_KKT_DENSE_MAX_UNKNOWNS unknowns) */
    ElKktMethod kkt;
    /* true: skip step 0 (KKT first) and always take the LP path, the reference (tests,
     * benchmarks). Settings with fast_path = 0 do the same. */
    bool lp_only;
    /* A warm start for step 0 (borrowed, may be NULL, may be the sol being solved into): a
     * previous solution of a problem with the same columns and rows in the same order,
     * typically of a similar problem (a moved requirement, another draw). Its cstat and rstat
     * are the active set tried first (then the cold guess); it is ignored unless its sizes are
     * p's and its outcome is EL_OPTIMAL. It only changes where the search starts, never the
     * answer (to rounding). */
    const ElSolution *warm;
} ElQpOptions;

/** Solve p. Independent parts (connected components of the rows and columns) are solved one
 * by one, so that one part's scale never affects another's answer. sol must have p's sizes. An
 * infeasible or unbounded problem is EL_OK with sol->outcome set; EL_ERR_NUMERIC means the exact
 * solution could not be verified. On EL_OPTIMAL, sol->cstat and sol->rstat hold the final
 * active set in p's indices (the verified KKT active set, or GLPK's basis for a part that is a
 * pure LP): pass sol as ElQpOptions.warm to the next solve of a similar problem. */
el_status
el_qp_solve(const ElProblem *p, const ElSettings *s, ElSolution *sol, ElQpInfo *info, ElError *err);
/** The same with options o (NULL: the defaults, as el_qp_solve). */
el_status el_qp_solve_with(const ElProblem *p,
                           const ElSettings *s,
                           const ElQpOptions *o,
                           ElSolution *sol,
                           ElQpInfo *info,
                           ElError *err);

/** The LP that step 1 solves for p with the given grid (for export). Owned by the caller. */
el_status el_qp_discretize(const ElProblem *p, int grid, ElProblem **out, ElError *err);

/** The breakpoints 0 = bp[0] < ... < bp[nb - 1] = p->up[j] of quadratic column j (h > 0) of p,
 * written into bp (room for the maxbp given below); returns nb >= 2. */
typedef int (*ElStepBreaks)(void *ctx, const ElProblem *p, int j, double *bp);
/** The LP of steps of p: each quadratic column becomes one column per step between its
 * breakpoints (breaks), at the average marginal cost over the step, so the cost is interpolated
 * exactly; other columns, rows and coefficients are copied. counts (optional, p->ncols entries)
 * gets each column's number of LP columns. Budgets are the caller's to check. */
el_status el_qp_steps_lp(const ElProblem *p,
                         ElStepBreaks breaks,
                         void *ctx,
                         int maxbp,
                         ElProblem **out,
                         int *counts,
                         ElError *err);
/** The same with extra steps of width up/grid^2 around center[j] for each quadratic column
 * (center has p->ncols entries; NULL gives the uniform grid). If first is not NULL it receives
 * (p->ncols entries, caller-allocated) the LP column where column j of p starts; a linear
 * column of p is exactly one LP column. */
el_status el_qp_discretize_around(
    const ElProblem *p, int grid, const double *center, ElProblem **out, int *first, ElError *err);

#endif
