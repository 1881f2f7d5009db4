/* LAPACK wrapper. Scaling: rows, then columns, are divided by their largest entry so that the
 * condition estimate measures the problem and not its units (prices vs megatonnes). */
#include "el_la.h"

#include <math.h>
#include <string.h>

#include <lapacke.h>

#include "el_alloc.h"

static el_status lapack_info(lapack_int info, const char *who, ElError *err)
{
    if (info < 0)
        return el_error_set(err, EL_ERR_INTERNAL, "%s: argument %d is invalid", who, (int)-info);
    return el_error_set(err, EL_ERR_NUMERIC, "%s: the matrix is singular (info %d)", who,
                        (int)info);
}

/* dst = src with each of its n columns (m rows, column-major) divided by its largest entry;
 * scale[j] gets the factor applied. src and dst may be the same array. */
static void scale_columns(int m, int n, const double *src, double *dst, double *scale)
{
    int i, j;
    for (j = 0; j < n; j++) {
        double mx = 0;
        for (i = 0; i < m; i++)
            mx = fmax(mx, fabs(src[i + (size_t)j * m]));
        scale[j] = mx > 0 ? 1.0 / mx : 1.0;
        for (i = 0; i < m; i++)
            dst[i + (size_t)j * m] = src[i + (size_t)j * m] * scale[j];
    }
}

static void equilibrate(int n, double *K, double *b, double *colscale)
{
    int i, j;
    for (i = 0; i < n; i++) {
        double m = 0;
        for (j = 0; j < n; j++)
            m = fmax(m, fabs(K[i + (size_t)j * n]));
        if (m > 0) {
            for (j = 0; j < n; j++)
                K[i + (size_t)j * n] /= m;
            b[i] /= m;
        }
    }
    scale_columns(n, n, K, K, colscale);
}

static el_status
solve(int n, double *K, double *b, bool allow_ls, bool *least_squares, ElError *err)
{
    double *copy = NULL, *bcopy = NULL, *colscale = NULL, *sv = NULL;
    lapack_int *ipiv = NULL, info, rank;
    double anorm = 0, rcond = 0;
    el_status st = EL_OK;
    size_t nn = (size_t)n * (size_t)n;
    int i, j;
    if (least_squares)
        *least_squares = false;
    if (n <= 0)
        return EL_OK;
    colscale = el_calloc((size_t)n, sizeof(double));
    ipiv = el_calloc((size_t)n, sizeof(lapack_int));
    copy = el_calloc(nn, sizeof(double));
    bcopy = el_calloc((size_t)n, sizeof(double));
    if (!colscale || !ipiv || !copy || !bcopy) {
        st = el_error_set(err, EL_ERR_NOMEM, "out of memory (linear solve of size %d)", n);
        goto out;
    }
    equilibrate(n, K, b, colscale);
    memcpy(copy, K, nn * sizeof(double));
    memcpy(bcopy, b, (size_t)n * sizeof(double));
    for (j = 0; j < n; j++) {
        double s = 0;
        for (i = 0; i < n; i++)
            s += fabs(K[i + (size_t)j * n]);
        anorm = fmax(anorm, s);
    }
    info = LAPACKE_dgetrf(LAPACK_COL_MAJOR, n, n, K, n, ipiv);
    if (info < 0) {
        st = lapack_info(info, "dgetrf", err);
        goto out;
    }
    if (info == 0) {
        info = LAPACKE_dgecon(LAPACK_COL_MAJOR, '1', n, K, n, anorm, &rcond);
        if (info != 0) {
            st = lapack_info(info, "dgecon", err);
            goto out;
        }
    }
    if (info == 0 && rcond >= 1e-13) {
        info = LAPACKE_dgetrs(LAPACK_COL_MAJOR, 'N', n, 1, K, n, ipiv, b, n);
        if (info != 0)
            st = lapack_info(info, "dgetrs", err);
        goto scale_back;
    }
    if (!allow_ls) {
        st =
            el_error_set(err, EL_ERR_NUMERIC,
                         "dgetrf: the matrix is singular or too ill-conditioned (rcond %g)", rcond);
        goto out;
    }
    sv = el_calloc((size_t)n, sizeof(double));
    if (!sv) {
        st = el_error_set(err, EL_ERR_NOMEM, "out of memory (least squares of size %d)", n);
        goto out;
    }
    memcpy(b, bcopy, (size_t)n * sizeof(double));
    info = LAPACKE_dgelsd(LAPACK_COL_MAJOR, n, n, 1, copy, n, b, n, sv, 1e-12, &rank);
    if (info != 0) {
        st = lapack_info(info, "dgelsd", err);
        goto out;
    }
    if (least_squares)
        *least_squares = true;
scale_back:
    if (st == EL_OK)
        for (j = 0; j < n; j++)
            b[j] *= colscale[j];
out:
    el_free(sv);
    el_free(bcopy);
    el_free(copy);
    el_free(ipiv);
    el_free(colscale);
    return st;
}

el_status el_la_solve(int n, double *K, double *b, bool *least_squares, ElError *err)
{
    return solve(n, K, b, true, least_squares, err);
}

el_status el_la_solve_lu(int n, double *K, double *b, ElError *err)
{
    return solve(n, K, b, false, NULL, err);
}

el_status el_la_least_squares(
    int m, int n, const double *A, const double *b, double *x, double *rms, ElError *err)
{
    double *a = NULL, *bb = NULL, *scale = NULL, ss = 0;
    lapack_int info;
    el_status st = EL_OK;
    int i, j;
    if (m < n || n < 1)
        return el_error_set(err, EL_ERR_NUMERIC,
                            "least squares needs at least %d observations, "
                            "got %d",
                            n, m);
    a = el_calloc((size_t)m * (size_t)n, sizeof(double));
    bb = el_calloc((size_t)m, sizeof(double));
    scale = el_calloc((size_t)n, sizeof(double));
    if (!a || !bb || !scale) {
        st = el_error_set(err, EL_ERR_NOMEM, "out of memory (least squares)");
        goto out;
    }
    memcpy(bb, b, (size_t)m * sizeof(double));
    scale_columns(m, n, A, a, scale);
    info = LAPACKE_dgels(LAPACK_COL_MAJOR, 'N', m, n, 1, a, m, bb, m);
    if (info != 0) {
        st = info < 0 ? lapack_info(info, "dgels", err)
                      : el_error_set(err, EL_ERR_NUMERIC,
                                     "the observations do not determine the fit (rank deficient)");
        goto out;
    }
    for (j = 0; j < n; j++)
        x[j] = bb[j] * scale[j];
    for (i = 0; i < m; i++) {
        double r = -b[i];
        for (j = 0; j < n; j++)
            r += A[i + (size_t)j * m] * x[j];
        ss += r * r;
    }
    if (rms)
        *rms = sqrt(ss / m);
out:
    el_free(a);
    el_free(bb);
    el_free(scale);
    return st;
}
