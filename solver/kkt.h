/* kkt: the Karush-Kuhn-Tucker system of one active set of the separable convex QP of
 * model/problem.h, solved with a sparse LU of our own (memory and time linear in the nonzeros
 * for the structures etslink builds) or, as the test oracle, with LAPACK's dense LU. */
#ifndef EL_KKT_H
#define EL_KKT_H

#include <stdbool.h>

#include "problem.h"

/* The dense oracle forms an n x n matrix (8 n^2 bytes): it is refused above this many unknowns
 * (512 MB). The sparse path has no such cap. */
#define EL_KKT_DENSE_MAX_UNKNOWNS 8000

/** How el_kkt_solve solves the system. */
typedef enum {
    /* The default: the sparse LU. A system it finds singular (or with a reciprocal condition
     * estimate below 1e-13) goes to the dense path when it has at most
     * EL_KKT_DENSE_MAX_UNKNOWNS unknowns, whose least-squares answer keeps the old semantics;
     * above that it is EL_ERR_NUMERIC. */
    EL_KKT_SPARSE = 0,
    /* The test oracle: LAPACK's equilibrated dense LU through el_la_solve (minimum-norm least
     * squares when singular), as the polish did before the sparse path. EL_ERR_LP above
     * EL_KKT_DENSE_MAX_UNKNOWNS unknowns. */
    EL_KKT_DENSE,
    /* The sparse LU alone: a singular system is EL_ERR_NUMERIC whatever its size (tests). */
    EL_KKT_SPARSE_ONLY
} ElKktMethod;

/** What the last el_kkt_solve did. */
typedef struct {
    int unknowns;       /* basic columns + active rows */
    int lu_nnz;         /* nonzeros of the sparse factors L and U, pivots included */
    bool dense;         /* the dense LAPACK path produced the answer */
    bool least_squares; /* ... and it was LAPACK's least-squares answer (singular system) */
    bool singular;      /* the sparse LU found the system singular or too ill-conditioned */
    double rcond;       /* reciprocal 1-norm condition estimate, equilibrated (sparse path) */
} ElKktInfo;

/** A reusable workspace for the KKT systems of one problem. */
typedef struct ElKkt ElKkt;

/** Workspace for p (borrowed; must outlive the workspace and keep its sizes). Freed with
 * el_kkt_free. */
el_status el_kkt_create(ElKkt **out, const ElProblem *p, ElError *err);
/** Free k; NULL is a no-op. */
void el_kkt_free(ElKkt *k);

/** Solve the KKT system of the active set (cstat: ElVarStat per column, rstat per row; see
 * solution.h). Columns with EL_ST_BASIC are unknowns, the others sit at their bound (lower for
 * EL_ST_LOWER and EL_ST_FIXED, upper for EL_ST_UPPER, 0 for EL_ST_FREE); rows with EL_ST_LOWER,
 * EL_ST_UPPER or EL_ST_FIXED hold with equality at that bound and get a dual, the others a dual
 * of 0. The equations are
 *     sum_{j basic} A_ij x_j = bound_i - sum_{j not basic} A_ij x_j   (i active)
 *     h_j x_j - sum_{i active} A_ij y_i = -c_j                          (j basic)
 * x (p->ncols entries) and y (p->nrows) are written by the call. info may be NULL.
 * EL_ERR_NUMERIC: the system is singular and could not go to the dense path (see
 * ElKktMethod); EL_ERR_LP: the dense path was asked for above its cap; EL_ERR_NOMEM. */
el_status el_kkt_solve(ElKkt *k,
                       ElKktMethod method,
                       const int *cstat,
                       const int *rstat,
                       double *x,
                       double *y,
                       ElKktInfo *info,
                       ElError *err);

/** The sparse LU on its own: solve the n x n system A z = b given by nnz triplets (row ri[t],
 * column ci[t], value v[t]; duplicates are summed; the arrays are left unchanged). The system
 * is equilibrated as el_la_solve does. b (n entries) is overwritten with z. *rcond (may be
 * NULL) receives the reciprocal 1-norm condition estimate of the equilibrated matrix.
 * EL_ERR_NUMERIC if A is singular (no acceptable pivot above 1e-14 of the largest entry) or
 * the estimate is below 1e-13, where el_la_solve would switch to least squares. */
el_status el_kkt_lu_solve(int n,
                          int nnz,
                          const int *ri,
                          const int *ci,
                          const double *v,
                          double *b,
                          double *rcond,
                          ElError *err);

#endif
