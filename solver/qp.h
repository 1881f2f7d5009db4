/* qp: exact solution of the separable convex QP of model/problem.h.
 * 1. GLPK solves an LP in which each quadratic column is split into `grid` steps (the
 *    piecewise-linear interpolation of its cost). Pure LPs are solved as they are.
 * 2. The LP's basis gives an active set; a primal-dual active-set iteration solves the KKT
 *    system of the true QP (solver/kkt.h: a sparse LU, linear in the nonzeros) and checks
 *    every bound and sign, so the answer is the exact equilibrium (to rounding), not a grid
 *    point. If it fails, the grid is refined.
 * Prices at a degenerate point (a requirement exactly met by whole steps) are left derivatives:
 * the LP is solved with every requirement row lowered by 1e-6 (1 + |requirement|) and then
 * restored, so the price is the cost of the last measure used (docs/model.md §4). */
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
    double lp_s;  /* seconds in the LP stage: discretisation and GLPK */
    double kkt_s; /* seconds in the polish's KKT solves */
} ElQpInfo;

/** Internal switches of el_qp_solve_with that are not settings (no scenario or command line
 * can reach them): for tests and benchmarks. Zeroed, it is el_qp_solve's default. */
typedef struct {
    /* how the polish solves each KKT system: EL_KKT_SPARSE (the default) or EL_KKT_DENSE, the
     * LAPACK path kept as the test oracle (capped at EL_KKT_DENSE_MAX_UNKNOWNS unknowns) */
    ElKktMethod kkt;
} ElQpOptions;

/** Solve p. Independent parts (connected components of the rows and columns) are solved one
 * by one, so that one part's scale never affects another's answer. sol must have p's sizes. An
 * infeasible or unbounded problem is EL_OK with sol->outcome set; EL_ERR_NUMERIC means the exact
 * solution could not be verified. */
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
/** The same with extra steps of width up/grid^2 around center[j] for each quadratic column
 * (center has p->ncols entries; NULL gives the uniform grid). If first is not NULL it receives
 * (p->ncols entries, caller-allocated) the LP column where column j of p starts; a linear
 * column of p is exactly one LP column. */
el_status el_qp_discretize_around(
    const ElProblem *p, int grid, const double *center, ElProblem **out, int *first, ElError *err);

#endif
