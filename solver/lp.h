/* lp: the backend-neutral LP interface (the solution type is in solution.h). The only
 * implementation is lp_glpk.c; no other file includes glpk.h. */
#ifndef EL_LP_H
#define EL_LP_H

#include "el_settings.h"
#include "el_status.h"
#include "problem.h"
#include "solution.h"

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

/** Release the calling thread's backend state (GLPK's environment is per thread). Every handle
 * the thread still holds dies with it (later calls say it is no longer valid; el_lp_free only
 * frees it). A thread that ends (pthread_exit or returning from its start routine) releases its
 * state by itself; the main thread, which ends with exit(), calls this (the CLI does, once at
 * exit). A handle may only be used and freed by the thread that created it (another thread gets
 * EL_ERR_LP). */
void el_lp_shutdown(void);

#endif
