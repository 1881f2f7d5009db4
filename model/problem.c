/* The neutral problem container: growable arrays, copied names, structural checks. */
#include "problem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "el_alloc.h"

static el_status nomem(ElError *err)
{
    return el_error_set(err, EL_ERR_NOMEM, "out of memory (problem)");
}

el_status el_problem_create(ElProblem **out, ElError *err)
{
    *out = el_calloc(1, sizeof(**out));
    return *out ? EL_OK : nomem(err);
}

void el_problem_reset(ElProblem *p)
{
    int k;
    for (k = 0; k < p->ncols; k++) {
        el_free(p->colname[k]);
        p->colname[k] = NULL;
    }
    for (k = 0; k < p->nrows; k++) {
        el_free(p->rowname[k]);
        p->rowname[k] = NULL;
    }
    p->ncols = p->nrows = p->nnz = 0;
}

void el_problem_free(ElProblem *p)
{
    int k;
    if (!p)
        return;
    for (k = 0; k < p->ncols; k++)
        el_free(p->colname[k]);
    for (k = 0; k < p->nrows; k++)
        el_free(p->rowname[k]);
    el_free(p->c);
    el_free(p->h);
    el_free(p->lo);
    el_free(p->up);
    el_free(p->colname);
    el_free(p->is_int);
    el_free(p->rlo);
    el_free(p->rup);
    el_free(p->rkind);
    el_free(p->rowname);
    el_free(p->ai);
    el_free(p->aj);
    el_free(p->av);
    el_free(p);
}

/* Grow each array in the list to cap elements; on failure nothing is lost (old blocks stay). */
static int grow(void **arr, size_t elem, int cap)
{
    void *q = el_reallocarray(*arr, (size_t)cap, elem);
    if (!q)
        return 0;
    *arr = q;
    return 1;
}

static el_status ensure_cols(ElProblem *p, ElError *err)
{
    int cap;
    if (p->ncols < p->cap_cols)
        return EL_OK;
    cap = p->cap_cols ? 2 * p->cap_cols : 16;
    if (!grow((void **)&p->c, sizeof(double), cap) || !grow((void **)&p->h, sizeof(double), cap) ||
        !grow((void **)&p->lo, sizeof(double), cap) ||
        !grow((void **)&p->up, sizeof(double), cap) ||
        !grow((void **)&p->colname, sizeof(char *), cap) ||
        !grow((void **)&p->is_int, sizeof(char), cap))
        return nomem(err);
    p->cap_cols = cap;
    return EL_OK;
}

static el_status ensure_rows(ElProblem *p, ElError *err)
{
    int cap;
    if (p->nrows < p->cap_rows)
        return EL_OK;
    cap = p->cap_rows ? 2 * p->cap_rows : 16;
    if (!grow((void **)&p->rlo, sizeof(double), cap) ||
        !grow((void **)&p->rup, sizeof(double), cap) ||
        !grow((void **)&p->rkind, sizeof(int), cap) ||
        !grow((void **)&p->rowname, sizeof(char *), cap))
        return nomem(err);
    p->cap_rows = cap;
    return EL_OK;
}

el_status el_problem_add_col(ElProblem *p,
                             const char *name,
                             double c,
                             double h,
                             double lo,
                             double up,
                             int *idx,
                             ElError *err)
{
    char *nm = NULL;
    el_status st = ensure_cols(p, err);
    if (st != EL_OK)
        return st;
    if (name && !(nm = el_strdup(name)))
        return nomem(err);
    p->c[p->ncols] = c;
    p->h[p->ncols] = h;
    p->lo[p->ncols] = lo;
    p->up[p->ncols] = up;
    p->colname[p->ncols] = nm;
    p->is_int[p->ncols] = 0;
    if (idx)
        *idx = p->ncols;
    p->ncols++;
    return EL_OK;
}

el_status el_problem_add_row(
    ElProblem *p, const char *name, double rlo, double rup, ElRowKind kind, int *idx, ElError *err)
{
    char *nm = NULL;
    el_status st = ensure_rows(p, err);
    if (st != EL_OK)
        return st;
    if (name && !(nm = el_strdup(name)))
        return nomem(err);
    p->rlo[p->nrows] = rlo;
    p->rup[p->nrows] = rup;
    p->rkind[p->nrows] = (int)kind;
    p->rowname[p->nrows] = nm;
    if (idx)
        *idx = p->nrows;
    p->nrows++;
    return EL_OK;
}

el_status el_problem_add_coef(ElProblem *p, int i, int j, double v, ElError *err)
{
    if (p->nnz == p->cap_nnz) {
        int cap = p->cap_nnz ? 2 * p->cap_nnz : 32;
        if (!grow((void **)&p->ai, sizeof(int), cap) || !grow((void **)&p->aj, sizeof(int), cap) ||
            !grow((void **)&p->av, sizeof(double), cap))
            return nomem(err);
        p->cap_nnz = cap;
    }
    p->ai[p->nnz] = i;
    p->aj[p->nnz] = j;
    p->av[p->nnz] = v;
    p->nnz++;
    return EL_OK;
}

el_status el_problem_copy(ElProblem **out, const ElProblem *p, ElError *err)
{
    ElProblem *q;
    el_status st;
    int k;
    st = el_problem_create(&q, err);
    if (st != EL_OK)
        return st;
    for (k = 0; k < p->ncols && st == EL_OK; k++) {
        st = el_problem_add_col(q, p->colname[k], p->c[k], p->h[k], p->lo[k], p->up[k], NULL, err);
        if (st == EL_OK)
            q->is_int[k] = p->is_int[k];
    }
    for (k = 0; k < p->nrows && st == EL_OK; k++)
        st = el_problem_add_row(q, p->rowname[k], p->rlo[k], p->rup[k], (ElRowKind)p->rkind[k],
                                NULL, err);
    for (k = 0; k < p->nnz && st == EL_OK; k++)
        st = el_problem_add_coef(q, p->ai[k], p->aj[k], p->av[k], err);
    if (st != EL_OK) {
        el_problem_free(q);
        q = NULL;
    }
    *out = q;
    return st;
}

/* Whether two coefficients share a row and a column: the coefficients bucketed by row, then each
 * row's columns stamped with the row (linear in the problem's size; the check runs before every
 * solve). -1: out of memory. */
static int has_duplicate(const ElProblem *p)
{
    int nr = p->nrows, nc = p->ncols, nz = p->nnz, k, r, dup = 0;
    int *start = el_malloc(((size_t)nr + 1 + (size_t)nz + (size_t)nc + 1) * sizeof(int));
    int *cols, *seen;
    if (!start)
        return -1;
    cols = start + nr + 1;
    seen = cols + nz;
    memset(start, 0, ((size_t)nr + 1) * sizeof(int));
    for (k = 0; k < nz; k++)
        start[p->ai[k] + 1]++;
    for (r = 0; r < nr; r++)
        start[r + 1] += start[r];
    for (k = 0; k < nz; k++) /* start[r] moves to the end of row r's bucket */
        cols[start[p->ai[k]]++] = p->aj[k];
    for (k = 0; k < nc; k++)
        seen[k] = -1;
    for (r = 0, k = 0; r < nr && !dup; r++)
        for (; k < start[r] && !dup; k++) {
            dup = seen[cols[k]] == r;
            seen[cols[k]] = r;
        }
    el_free(start);
    return dup;
}

el_status el_problem_check(const ElProblem *p, ElError *err)
{
    int k, dup;
    for (k = 0; k < p->ncols; k++) {
        if (!isfinite(p->c[k]) || !isfinite(p->h[k]) || p->h[k] < 0 || isnan(p->lo[k]) ||
            isnan(p->up[k]) || p->lo[k] > p->up[k] || p->lo[k] == HUGE_VAL || p->up[k] == -HUGE_VAL)
            return el_error_set(err, EL_ERR_INPUT, "column %s (%d): invalid cost or bounds",
                                p->colname[k] ? p->colname[k] : "", k);
        if (p->h[k] > 0 && (p->lo[k] != 0 || !isfinite(p->up[k])))
            return el_error_set(err, EL_ERR_INTERNAL,
                                "column %s (%d): a quadratic column needs lo = 0 and a finite "
                                "upper bound",
                                p->colname[k] ? p->colname[k] : "", k);
    }
    for (k = 0; k < p->nrows; k++)
        if (isnan(p->rlo[k]) || isnan(p->rup[k]) || p->rlo[k] > p->rup[k] ||
            p->rlo[k] == HUGE_VAL || p->rup[k] == -HUGE_VAL)
            return el_error_set(err, EL_ERR_INPUT, "row %s (%d): invalid bounds",
                                p->rowname[k] ? p->rowname[k] : "", k);
    for (k = 0; k < p->nnz; k++)
        if (p->ai[k] < 0 || p->ai[k] >= p->nrows || p->aj[k] < 0 || p->aj[k] >= p->ncols ||
            !isfinite(p->av[k]))
            return el_error_set(err, EL_ERR_INTERNAL, "coefficient %d out of range or not finite",
                                k);
    dup = has_duplicate(p);
    if (dup < 0)
        return nomem(err);
    if (dup)
        return el_error_set(err, EL_ERR_INTERNAL, "duplicate coefficient in the problem");
    return EL_OK;
}

bool el_problem_is_quadratic(const ElProblem *p)
{
    int k;
    for (k = 0; k < p->ncols; k++)
        if (p->h[k] > 0)
            return true;
    return false;
}

void el_problem_set_integer(ElProblem *p, int j)
{
    if (j >= 0 && j < p->ncols)
        p->is_int[j] = 1;
}

bool el_problem_has_integers(const ElProblem *p)
{
    int k;
    for (k = 0; k < p->ncols; k++)
        if (p->is_int[k])
            return true;
    return false;
}

bool el_problem_rows_hold(const ElProblem *p, const double *x, double tol)
{
    double *r = el_calloc((size_t)p->nrows + 1, sizeof(double));
    double *sc = el_calloc((size_t)p->nrows + 1, sizeof(double));
    bool ok = r && sc;
    int i, t;
    for (t = 0; ok && t < p->nnz; t++) {
        r[p->ai[t]] += p->av[t] * x[p->aj[t]];
        sc[p->ai[t]] += fabs(p->av[t] * x[p->aj[t]]);
    }
    for (i = 0; ok && i < p->nrows; i++) {
        double lo = p->rlo[i], up = p->rup[i];
        double band =
            tol * (1 + sc[i] + (isfinite(lo) ? fabs(lo) : 0) + (isfinite(up) ? fabs(up) : 0));
        ok = r[i] >= lo - band && r[i] <= up + band;
    }
    el_free(r);
    el_free(sc);
    return ok;
}
