/* lp: the backend-neutral LP interface and solution type. The only implementation is
 * lp_glpk.c; no other file includes glpk.h. */
#ifndef EL_LP_H
#define EL_LP_H

#include "el_settings.h"
#include "el_status.h"
#include "problem.h"

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
} ElSolution;

/** Allocate a zeroed solution; free with el_solution_free (NULL is a no-op). */
el_status el_solution_create(ElSolution **out, int ncols, int nrows, ElError *err);
void el_solution_free(ElSolution *s);
const char *el_outcome_name(ElOutcome o);

typedef struct ElLp ElLp;

/** Load a linear problem (every h must be 0) into the backend. p is copied; settings are
 * validated and copied (NULL = defaults). Free with el_lp_free. */
el_status el_lp_create(ElLp **out, const ElProblem *p, const ElSettings *s, ElError *err);
/** Change the bounds of row i (keeps the current basis for a warm start). */
el_status el_lp_set_row_bounds(ElLp *lp, int i, double lo, double up, ElError *err);
/** Solve from the current basis (the first call starts from an advanced basis). The solution
 * must have been created with the problem's sizes. */
el_status el_lp_solve(ElLp *lp, ElSolution *sol, ElError *err);
/** Solve with the integer columns integer (GLPK branch and cut, glp_intopt) after the LP
 * relaxation. sol gets the integer solution's primal values (duals are not meaningful). */
el_status el_lp_solve_mip(ElLp *lp, ElSolution *sol, ElError *err);
void el_lp_free(ElLp *lp);

typedef enum {
    EL_LP_FORMAT_MPS,
    EL_LP_FORMAT_CPLEX
} ElLpFormat;

/** Write a linear problem to path in free MPS or CPLEX LP format, atomically (a temporary file
 * beside path, fsync, rename; a symbolic link at path is replaced, never followed). */
el_status el_lp_write(const ElProblem *p, const char *path, ElLpFormat fmt, ElError *err);

/** Test of the last-resort guard: makes an invalid GLPK call on purpose. GLPK reports it
 * through its error hook, and the adapter recovers. Returns EL_ERR_LP when the guard worked. */
el_status el_lp_selftest_guard(ElError *err);

/** Release the backend's global state; the CLI calls it once at exit. */
void el_lp_shutdown(void);

#endif
