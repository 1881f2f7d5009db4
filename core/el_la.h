/* el_la: dense linear algebra, the only caller of LAPACK. LAPACK is loaded on first use (see
 * el_la_init), so that a run that never needs it never loads OpenBLAS. Every function is
 * thread-safe: calls on different arrays may run in several threads at once. */
#ifndef EL_LA_H
#define EL_LA_H

#include <stdbool.h>

#include "el_status.h"

/** The LAPACK library loaded on first use (a soname: Debian's liblapack3, or OpenBLAS through
 * the liblapack.so.3 alternative). */
#define EL_LA_LIBRARY "liblapack.so.3"

/** Load LAPACK now if it is not loaded yet (once per process; the functions below call it
 * themselves). EL_ERR_IO, naming the library and saying which package to install, when it
 * cannot be loaded. Thread-safe. */
el_status el_la_init(ElError *err);

/** Pin OpenBLAS to one thread of its own (openblas_set_num_threads(1)), now if LAPACK is loaded,
 * otherwise as soon as it is; a no-op with a LAPACK that is not OpenBLAS. A batch that solves on
 * several threads calls it before starting its workers, so that each worker's LAPACK calls run
 * in that worker alone instead of all competing for OpenBLAS's own thread pool. OpenBLAS's
 * setting is process-wide: there is no way back short of a new process. Thread-safe. */
void el_la_single_thread(void);

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

/** A factor L (n x n, column-major) with L L^T = A of the symmetric positive semidefinite A,
 * by LAPACK's Cholesky factorisation with complete pivoting (dpstrf), so that singular matrices
 * (a correlation of 1) factor too: L = P U^T, zero beyond the numerical rank (*rank, if given).
 * EL_ERR_NUMERIC when A is not positive semidefinite (L L^T misses A by more than 1e-10 of its
 * largest entry). */
el_status el_la_cholesky_psd(int n, const double *A, double *L, int *rank, ElError *err);

#endif
