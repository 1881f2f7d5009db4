/* problem: a solver-neutral optimisation problem, the contract between model/ and solver/.
 *   minimise  sum_j c_j x_j + h_j x_j^2 / 2
 *   subject to rlo_i <= sum_j A_ij x_j <= rup_i,  lo_j <= x_j <= up_j
 * with h_j >= 0 (a separable convex QP; h = 0 everywhere makes it an LP). Indices are 0-based,
 * the matrix is a list of triplets, bounds may be +-HUGE_VAL. */
#ifndef EL_PROBLEM_H
#define EL_PROBLEM_H

#include <stdbool.h>

#include "el_status.h"

typedef enum {
    EL_ROW_PLAIN = 0,
    EL_ROW_REQUIREMENT = 1
} ElRowKind;

typedef struct {
    int ncols, nrows, nnz;
    int cap_cols, cap_rows, cap_nnz;
    double *c, *h, *lo, *up; /* per column */
    char *is_int;            /* per column: 1 for an integer (binary) decision */
    char **colname;          /* per column, owned; NULL where unnamed */
    double *rlo, *rup;       /* per row */
    int *rkind;              /* ElRowKind per row: requirement rows get the left-derivative price */
    char **rowname;          /* per row, owned; NULL where unnamed */
    int *ai, *aj;            /* triplets */
    double *av;
} ElProblem;

/** Empty problem; freed with el_problem_free. */
el_status el_problem_create(ElProblem **out, ElError *err);
void el_problem_free(ElProblem *p);
/** Empty p (no rows, columns or coefficients), keeping its capacity. */
void el_problem_reset(ElProblem *p);
/** Deep copy. */
el_status el_problem_copy(ElProblem **out, const ElProblem *p, ElError *err);

/** Append a column and return its index in *idx. name is copied (NULL: unnamed). */
el_status el_problem_add_col(ElProblem *p,
                             const char *name,
                             double c,
                             double h,
                             double lo,
                             double up,
                             int *idx,
                             ElError *err);
/** Mark column j as integer (used by el_lp_solve_mip; the QP solver needs it fixed). */
void el_problem_set_integer(ElProblem *p, int j);
/** True if some column is integer. */
bool el_problem_has_integers(const ElProblem *p);
/** Append a row. */
el_status el_problem_add_row(
    ElProblem *p, const char *name, double rlo, double rup, ElRowKind kind, int *idx, ElError *err);
/** Append a coefficient A_ij = v (no duplicates allowed; el_problem_check finds them). */
el_status el_problem_add_coef(ElProblem *p, int i, int j, double v, ElError *err);

/** Structural checks the backends rely on: indices in range, finite coefficients, lo <= up,
 * h >= 0, quadratic columns with lo = 0 and finite up, no duplicate (i, j). */
el_status el_problem_check(const ElProblem *p, ElError *err);

/** True if every row activity of x lies within its bounds to tol (1 + |activity terms| +
 * |finite bounds|), relative: the same scale for every caller that checks a point. */
bool el_problem_rows_hold(const ElProblem *p, const double *x, double tol);

/** True if some column has h > 0. */
bool el_problem_is_quadratic(const ElProblem *p);

#endif
