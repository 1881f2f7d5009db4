/* el_la: dense linear algebra, the only caller of LAPACK (through LAPACKE). */
#ifndef EL_LA_H
#define EL_LA_H

#include <stdbool.h>

#include "el_status.h"

/** Solve the n x n system K z = b. K is column-major (K[i + j n] is row i, column j); both K and
 * b are overwritten, and the solution is left in b. The system is equilibrated and factored
 * with LU (dgetrf); if it is singular or its reciprocal condition number is below 1e-13, the
 * minimum-norm least-squares solution (dgelsd) is returned instead and *least_squares is set.
 * EL_ERR_NUMERIC means LAPACK could not produce a solution (info > 0), EL_ERR_INTERNAL that it
 * was called wrongly (info < 0). */
el_status el_la_solve(int n, double *K, double *b, bool *least_squares, ElError *err);

/** Same as el_la_solve but without the least-squares fallback: singular K is EL_ERR_NUMERIC. */
el_status el_la_solve_lu(int n, double *K, double *b, ElError *err);

/** Least squares: the x (n entries) minimising |A x - b| for the m x n column-major A (m >= n),
 * through LAPACK's dgels after scaling each column to unit largest entry. A and b are left
 * unchanged; *rms (if given) receives sqrt(sum of squared residuals / m). EL_ERR_NUMERIC if A
 * does not have full column rank. */
el_status el_la_least_squares(
    int m, int n, const double *A, const double *b, double *x, double *rms, ElError *err);

#endif
