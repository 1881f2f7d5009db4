/* LAPACK wrapper. Scaling: rows, then columns, are divided by their largest entry so that the
 * condition estimate measures the problem and not its units (prices vs megatonnes).
 *
 * Loading. LAPACK is opened on first use (dlopen of its soname, EL_LA_LIBRARY) and its Fortran
 * routines are called directly, not through LAPACKE: a run that never needs LAPACK never loads
 * OpenBLAS, whose symbol relocations were a third of a small run's instructions, and a run that
 * does binds 5 symbols instead of LAPACKE's 2,560 eagerly bound ones (docs/design.md §10). The
 * library is loaded once per process (pthread_once) and never unloaded. What LAPACKE did for us
 * is done here: workspace queries and allocation, the hidden lengths of character arguments
 * (gfortran ABI: size_t, last), and LAPACKE's check that no input is NaN (so that the error
 * messages stay the same: "dgetrf: argument 4 is invalid"). */
#define _GNU_SOURCE /* RTLD_DEEPBIND */
#include "el_la.h"

#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "el_alloc.h"

/* LAPACK's Fortran interface (LP64: INTEGER is int). */
typedef void (*dgetrf_fn)(
    const int *m, const int *n, double *a, const int *lda, int *ipiv, int *info);
typedef void (*dgecon_fn)(const char *norm,
                          const int *n,
                          const double *a,
                          const int *lda,
                          const double *anorm,
                          double *rcond,
                          double *work,
                          int *iwork,
                          int *info,
                          size_t norm_len);
typedef void (*dgetrs_fn)(const char *trans,
                          const int *n,
                          const int *nrhs,
                          const double *a,
                          const int *lda,
                          const int *ipiv,
                          double *b,
                          const int *ldb,
                          int *info,
                          size_t trans_len);
typedef void (*dgelsd_fn)(const int *m,
                          const int *n,
                          const int *nrhs,
                          double *a,
                          const int *lda,
                          double *b,
                          const int *ldb,
                          double *s,
                          const double *rcond,
                          int *rank,
                          double *work,
                          const int *lwork,
                          int *iwork,
                          int *info);
typedef void (*dgels_fn)(const char *trans,
                         const int *m,
                         const int *n,
                         const int *nrhs,
                         double *a,
                         const int *lda,
                         double *b,
                         const int *ldb,
                         double *work,
                         const int *lwork,
                         int *info,
                         size_t trans_len);
typedef void (*dpstrf_fn)(const char *uplo,
                          const int *n,
                          double *a,
                          const int *lda,
                          int *piv,
                          int *rank,
                          const double *tol,
                          double *work,
                          int *info,
                          size_t uplo_len);
typedef void (*set_threads_fn)(int n);

/* Written once, inside pthread_once, and only read afterwards. */
static struct {
    dgetrf_fn dgetrf;
    dgecon_fn dgecon;
    dgetrs_fn dgetrs;
    dgelsd_fn dgelsd;
    dgels_fn dgels;
    dpstrf_fn dpstrf;
    set_threads_fn set_threads; /* openblas_set_num_threads, when LAPACK is OpenBLAS */
    char why[256];              /* why loading failed ("" when it worked) */
} lapack;
static pthread_once_t lapack_once = PTHREAD_ONCE_INIT;
static atomic_bool lapack_loaded;   /* set once loading has ended (well or not) */
static atomic_bool want_one_thread; /* el_la_single_thread was called */

/* How LAPACK is opened. RTLD_LAZY: its own calls are bound when first made. RTLD_LOCAL: its
 * symbols stay out of the program's global scope. RTLD_DEEPBIND: its symbols are looked up in
 * itself and its dependencies before the program's scope; OpenBLAS's 13,922 symbolic
 * relocations (its kernel tables) then cost about 8 million instructions instead of 19 million,
 * half of a small run. The sanitizer runtimes refuse RTLD_DEEPBIND (it would bypass their
 * malloc), so sanitizer builds go without it. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define EL_LA_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define EL_LA_SANITIZED 1
#endif
#if defined(RTLD_DEEPBIND) && !defined(EL_LA_SANITIZED)
#define LAPACK_OPEN (RTLD_LAZY | RTLD_LOCAL | RTLD_DEEPBIND)
#else
#define LAPACK_OPEN (RTLD_LAZY | RTLD_LOCAL)
#endif

static void *symbol(void *h, const char *name)
{
    void *f = dlsym(h, name);
    if (!f && !lapack.why[0])
        snprintf(lapack.why, sizeof(lapack.why), "%s has no %s", EL_LA_LIBRARY, name);
    return f;
}

/* ISO C forbids converting a void * to a function pointer; POSIX requires dlsym's result to
 * convert. memcpy states the conversion without a cast that -Wpedantic refuses. */
#define LOAD(field, name)                                 \
    do {                                                  \
        void *f_ = symbol(h, name);                       \
        memcpy(&lapack.field, &f_, sizeof(lapack.field)); \
    } while (0)

static void load_lapack(void)
{
    void *h = dlopen(EL_LA_LIBRARY, LAPACK_OPEN);
    if (!h) {
        const char *e = dlerror();
        snprintf(lapack.why, sizeof(lapack.why), "%s", e ? e : EL_LA_LIBRARY);
    } else {
        void *f;
        LOAD(dgetrf, "dgetrf_");
        LOAD(dgecon, "dgecon_");
        LOAD(dgetrs, "dgetrs_");
        LOAD(dgelsd, "dgelsd_");
        LOAD(dgels, "dgels_");
        LOAD(dpstrf, "dpstrf_");
        f = dlsym(h, "openblas_set_num_threads"); /* absent from reference LAPACK: fine */
        memcpy(&lapack.set_threads, &f, sizeof(lapack.set_threads));
        if (lapack.set_threads && atomic_load(&want_one_thread))
            lapack.set_threads(1);
    }
    atomic_store(&lapack_loaded, true);
}

el_status el_la_init(ElError *err)
{
    pthread_once(&lapack_once, load_lapack);
    if (lapack.why[0])
        return el_error_set(err, EL_ERR_IO,
                            "LAPACK could not be loaded: %s (install liblapack3 or "
                            "libopenblas0-pthread)",
                            lapack.why);
    return EL_OK;
}

void el_la_single_thread(void)
{
    atomic_store(&want_one_thread, true);
    /* if loading has not ended yet, load_lapack sees want_one_thread and does it */
    if (atomic_load(&lapack_loaded) && lapack.set_threads)
        lapack.set_threads(1);
}

/* LAPACKE refuses NaN input with the argument's (negative) position: kept, see the top. */
static bool has_nan(const double *a, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (isnan(a[i]))
            return true;
    return false;
}

static el_status lapack_info(int info, const char *who, ElError *err)
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

/* dgelsd with LAPACKE_dgelsd's workspace query (b is n x 1, a is n x n). */
static int call_dgelsd(int n, double *a, double *b, double *sv, double rc, int *rank, int *nomem)
{
    int one = 1, lwork = -1, liwork, info = 0, iq = 0;
    double wq = 0, *work = NULL;
    int *iwork = NULL;
    lapack.dgelsd(&n, &n, &one, a, &n, b, &n, sv, &rc, rank, &wq, &lwork, &iq, &info);
    if (info != 0)
        return info;
    lwork = (int)wq;
    liwork = iq > 1 ? iq : 1;
    work = el_calloc((size_t)(lwork > 1 ? lwork : 1), sizeof(double));
    iwork = el_calloc((size_t)liwork, sizeof(int));
    if (!work || !iwork) {
        *nomem = 1;
        info = 0;
    } else {
        lapack.dgelsd(&n, &n, &one, a, &n, b, &n, sv, &rc, rank, work, &lwork, iwork, &info);
    }
    el_free(work);
    el_free(iwork);
    return info;
}

static el_status
solve(int n, double *K, double *b, bool allow_ls, bool *least_squares, ElError *err)
{
    double *copy = NULL, *bcopy = NULL, *colscale = NULL, *sv = NULL, *work = NULL;
    int *ipiv = NULL, *iwork = NULL, info = 0, rank, one = 1, nomem = 0;
    double anorm = 0, rcond = 0;
    el_status st = EL_OK;
    size_t nn = (size_t)n * (size_t)n;
    int i, j;
    if (least_squares)
        *least_squares = false;
    if (n <= 0)
        return EL_OK;
    st = el_la_init(err);
    if (st != EL_OK)
        return st;
    colscale = el_calloc((size_t)n, sizeof(double));
    ipiv = el_calloc((size_t)n, sizeof(int));
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
    if (has_nan(K, nn))
        info = -4;
    else
        lapack.dgetrf(&n, &n, K, &n, ipiv, &info);
    if (info < 0) {
        st = lapack_info(info, "dgetrf", err);
        goto out;
    }
    if (info == 0) {
        work = el_calloc(4 * (size_t)n, sizeof(double));
        iwork = el_calloc((size_t)n, sizeof(int));
        if (!work || !iwork) {
            st = el_error_set(err, EL_ERR_NOMEM, "out of memory (linear solve of size %d)", n);
            goto out;
        }
        if (isnan(anorm))
            info = -6;
        else
            lapack.dgecon("1", &n, K, &n, &anorm, &rcond, work, iwork, &info, 1);
        if (info != 0) {
            st = lapack_info(info, "dgecon", err);
            goto out;
        }
    }
    if (info == 0 && rcond >= 1e-13) {
        if (has_nan(b, (size_t)n))
            info = -9;
        else
            lapack.dgetrs("N", &n, &one, K, &n, ipiv, b, &n, &info, 1);
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
    info = has_nan(copy, nn) ? -6 : has_nan(b, (size_t)n) ? -8 : 0;
    if (info == 0)
        info = call_dgelsd(n, copy, b, sv, 1e-12, &rank, &nomem);
    if (nomem) {
        st = el_error_set(err, EL_ERR_NOMEM, "out of memory (least squares of size %d)", n);
        goto out;
    }
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
    el_free(work);
    el_free(iwork);
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
    double *a = NULL, *bb = NULL, *scale = NULL, *work = NULL, ss = 0, wq = 0;
    int info = 0, one = 1, lwork = -1;
    el_status st = EL_OK;
    int i, j;
    if (m < n || n < 1)
        return el_error_set(err, EL_ERR_NUMERIC,
                            "least squares needs at least %d observations, "
                            "got %d",
                            n, m);
    st = el_la_init(err);
    if (st != EL_OK)
        return st;
    a = el_calloc((size_t)m * (size_t)n, sizeof(double));
    bb = el_calloc((size_t)m, sizeof(double));
    scale = el_calloc((size_t)n, sizeof(double));
    if (!a || !bb || !scale) {
        st = el_error_set(err, EL_ERR_NOMEM, "out of memory (least squares)");
        goto out;
    }
    memcpy(bb, b, (size_t)m * sizeof(double));
    scale_columns(m, n, A, a, scale);
    if (has_nan(a, (size_t)m * (size_t)n))
        info = -7;
    else if (has_nan(bb, (size_t)m))
        info = -9;
    else
        lapack.dgels("N", &m, &n, &one, a, &m, bb, &m, &wq, &lwork, &info, 1);
    if (info == 0) { /* the workspace query answered: solve */
        lwork = (int)wq > 1 ? (int)wq : 1;
        work = el_calloc((size_t)lwork, sizeof(double));
        if (!work) {
            st = el_error_set(err, EL_ERR_NOMEM, "out of memory (least squares)");
            goto out;
        }
        lapack.dgels("N", &m, &n, &one, a, &m, bb, &m, work, &lwork, &info, 1);
    }
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
    el_free(work);
    el_free(a);
    el_free(bb);
    el_free(scale);
    return st;
}

el_status el_la_cholesky_psd(int n, const double *A, double *L, int *rank, ElError *err)
{
    double *u = NULL, *work = NULL, tol = -1, scale = 0, worst = 0;
    int *piv = NULL, info = 0, r = 0, i, j, k;
    el_status st;
    if (n < 1)
        return el_error_set(err, EL_ERR_INTERNAL, "a factor of an empty matrix");
    st = el_la_init(err);
    if (st != EL_OK)
        return st;
    u = el_malloc((size_t)n * (size_t)n * sizeof(double));
    work = el_malloc(2 * (size_t)n * sizeof(double));
    piv = el_malloc((size_t)n * sizeof(int));
    if (!u || !work || !piv) {
        st = el_error_set(err, EL_ERR_NOMEM, "out of memory (Cholesky factor)");
        goto out;
    }
    memcpy(u, A, (size_t)n * (size_t)n * sizeof(double));
    if (has_nan(u, (size_t)n * (size_t)n))
        info = -3;
    else
        lapack.dpstrf("U", &n, u, &n, piv, &r, &tol, work, &info, 1);
    if (info < 0) {
        st = lapack_info(info, "dpstrf", err);
        goto out;
    }
    /* P^T A P = U^T U with U's first r rows: L = P U^T (row piv[k] - 1 of L is column k of
       U^T), zero beyond the rank */
    for (i = 0; i < n * n; i++)
        L[i] = 0;
    for (k = 0; k < n; k++)               /* U's column k */
        for (j = 0; j <= k && j < r; j++) /* U(j, k), j <= k */
            L[(piv[k] - 1) + (size_t)j * (size_t)n] = u[j + (size_t)k * (size_t)n];
    /* A semidefinite matrix is reproduced; a matrix with a negative eigenvalue is not (the
       factorisation stops at a pivot it cannot take) */
    for (i = 0; i < n * n; i++)
        scale = fmax(scale, fabs(A[i]));
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++) {
            double s = 0;
            for (k = 0; k < n; k++)
                s += L[i + (size_t)k * (size_t)n] * L[j + (size_t)k * (size_t)n];
            worst = fmax(worst, fabs(s - A[i + (size_t)j * (size_t)n]));
        }
    if (worst > 1e-10 * (1 + scale))
        st = el_error_set(err, EL_ERR_NUMERIC,
                          "the matrix is not positive semidefinite (a factor leaves %.3g)", worst);
    if (rank)
        *rank = r;
out:
    el_free(u);
    el_free(work);
    el_free(piv);
    return st;
}
