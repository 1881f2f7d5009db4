/* solution: how a solve ended and the primal-dual solution of a problem (model/problem.h), in
 * the problem's own indices. Shared by every backend (lp_glpk.c, qp.c) and read by the engine
 * through the model's column map. */
#ifndef EL_SOLUTION_H
#define EL_SOLUTION_H

#include "el_status.h"

/** How a solve ended. Not an error: an infeasible market is a result. */
typedef enum {
    EL_OPTIMAL = 0,
    EL_INFEASIBLE,
    EL_UNBOUNDED,
    EL_ITER_LIMIT,
    EL_TIME_LIMIT
} ElOutcome;

/** Status of a column or row at a solution: basic (row: inactive), at its lower or upper bound
 * (row: active), free and nonbasic, or fixed (lo = up). */
typedef enum {
    EL_ST_BASIC = 0,
    EL_ST_LOWER,
    EL_ST_UPPER,
    EL_ST_FREE,
    EL_ST_FIXED
} ElVarStat;

/** A primal-dual solution. Arrays have ncols / nrows entries and are owned by the solution. */
typedef struct {
    ElOutcome outcome;
    int ncols, nrows;
    double obj;
    double *x;  /* primal values of the columns */
    double *y;  /* row duals: d obj / d bound of the row (>= 0 for an active lower bound) */
    int *cstat; /* ElVarStat per column */
    int *rstat; /* ElVarStat per row */
    int cap_cols, cap_rows; /* allocated entries (el_solution_resize) */
} ElSolution;

/** Allocate a zeroed solution; free with el_solution_free (NULL is a no-op). */
el_status el_solution_create(ElSolution **out, int ncols, int nrows, ElError *err);
void el_solution_free(ElSolution *s);
/** Give s the sizes ncols x nrows, zeroed like a new solution, keeping its arrays when they are
 * large enough (a workspace's solution). */
el_status el_solution_resize(ElSolution *s, int ncols, int nrows, ElError *err);
const char *el_outcome_name(ElOutcome o);

#endif
