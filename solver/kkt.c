/* Structured solve of the KKT system of an active set (see kkt.h).
 *
 * Unknowns are x_B (basic columns) then y_A (active rows); equations are the active rows, then
 * the basic columns (docs/model.md §4):
 *     [ A_AB    0     ] [x_B]   [ b_A - A_AN xbar_N ]
 *     [ H_B   -A_ABᵀ  ] [y_A] = [       -c_B        ]
 * The dense oracle stores exactly this, column-major, and calls el_la_solve (as the polish did
 * before the sparse path).
 *
 * The sparse path equilibrates like el_la (each equation, then each unknown, divided by its
 * largest entry, so that every row and column has largest entry 1) and factors with a
 * right-looking sparse LU:
 * - Pivots are chosen by Markowitz's rule (the entry with the least (row count - 1)(column
 *   count - 1), searching the shortest columns and rows first and stopping SEARCH_LIMIT
 *   columns or rows after the first acceptable candidate), with threshold partial pivoting:
 *   an entry is acceptable when |a_ij| >= PIVOT_THRESHOLD max_k |a_ik| and above PIVOT_FLOOR
 *   times the largest entry of the matrix.
 * - The equation of a free column with h_j > 0, h_j x_j - a_jᵀ y = -c_j, is short, so its
 *   pivot h_j is cheap: those columns go first, which forms the Schur complement
 *   A_Q H_Q⁻¹ A_Qᵀ on the rows, bordered by the columns with h = 0 (trade, link flows,
 *   instruments), which are eliminated the same way. When h_j is tiny against a_j the
 *   threshold refuses it and the row entry is the pivot instead: x_j = (a_jᵀ y - c_j) / h_j
 *   would cancel digits.
 * - A group is a star (each member's row tied to one balance row): every pivot costs 0 or 1,
 *   fill is O(1) per member, and time and memory are O(nonzeros). The hub row is updated once
 *   per member, so entries are found through a hash on (row, column): an update costs the
 *   length of the pivot row, not that of the row it updates.
 * - Entries of the active submatrix live in one pool, linked by rows and by columns; rows and
 *   columns are kept in lists by count for the pivot search.
 * - The system is singular when no acceptable pivot is left or when the reciprocal 1-norm
 *   condition estimate (Hager and Higham's method, as LAPACK's dgecon) is below RCOND_MIN, the
 *   threshold at which el_la_solve switches to least squares. The solution gets one step of
 *   iterative refinement. */
#include "kkt.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "el_alloc.h"
#include "el_la.h"
#include "solution.h"

#define PIVOT_THRESHOLD 0.1
#define PIVOT_FLOOR     1e-14
#define RCOND_MIN       1e-13
#define SEARCH_LIMIT    4
#define CONDEST_ITERS   5

/* ---- Sparse LU ---- */

typedef struct {
    int n, ncap; /* order; capacity of the per-row/column arrays */
    /* pool of entries of the active submatrix; free entries have er = -1 and chain by rnx */
    int ecap, efree;
    int *er, *ec, *rnx, *rpv, *cnx, *cpv;
    double *ev;
    int *rh, *rl, *chd, *cl; /* row/column list heads and counts */
    /* rows and columns by count (heads per count 0..n), and the count each is filed under */
    int *rbh, *rbn, *rbp, *rbk, *cbh, *cbn, *cbp, *cbk;
    double *rmax; /* largest |entry| of each row, valid where rmax_ok */
    char *rmax_ok;
    unsigned hmask; /* hash of (row, column) -> entry; open addressing, linear probing */
    int *ht;
    double floor; /* PIVOT_FLOOR times the largest entry */
    /* factors: step s pivots on (prow[s], pcol[s]) with value piv[s]; its U row is
     * ui/uv[us[s] .. us[s+1]), its L column li/lv[ls[s] .. ls[s+1]) (multipliers) */
    int *prow, *pcol, *us, *ls, *ui, *li;
    double *piv, *uv, *lv;
    int ucap, lcap, un, ln, nsteps;
    double *t1, *t2, *t3, *t4; /* n-sized work */
} Lu;

static void lu_free(Lu *lu)
{
    void *arrays[] = {lu->er,  lu->ec,   lu->rnx,  lu->rpv, lu->cnx, lu->cpv,  lu->ev,
                      lu->rh,  lu->rl,   lu->chd,  lu->cl,  lu->rbh, lu->rbn,  lu->rbp,
                      lu->rbk, lu->cbh,  lu->cbn,  lu->cbp, lu->cbk, lu->rmax, lu->rmax_ok,
                      lu->ht,  lu->prow, lu->pcol, lu->us,  lu->ls,  lu->ui,   lu->li,
                      lu->piv, lu->uv,   lu->lv,   lu->t1,  lu->t2,  lu->t3,   lu->t4};
    size_t k;
    for (k = 0; k < sizeof(arrays) / sizeof(arrays[0]); k++)
        el_free(arrays[k]);
    memset(lu, 0, sizeof(*lu));
}

static int grow_int(int **a, int cap)
{
    int *q = el_reallocarray(*a, (size_t)cap, sizeof(int));
    if (!q)
        return 0;
    *a = q;
    return 1;
}

static int grow_double(double **a, int cap)
{
    double *q = el_reallocarray(*a, (size_t)cap, sizeof(double));
    if (!q)
        return 0;
    *a = q;
    return 1;
}

static unsigned hash_home(const Lu *lu, int r, int c)
{
    uint64_t k = ((uint64_t)(uint32_t)r << 32) | (uint32_t)c;
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return (unsigned)k & lu->hmask;
}

/* Slot of entry (r, c), or -1. */
static long hash_find(const Lu *lu, int r, int c)
{
    unsigned s = hash_home(lu, r, c);
    while (lu->ht[s] >= 0) {
        int e = lu->ht[s];
        if (lu->er[e] == r && lu->ec[e] == c)
            return (long)s;
        s = (s + 1) & lu->hmask;
    }
    return -1;
}

static void hash_insert(Lu *lu, int e)
{
    unsigned s = hash_home(lu, lu->er[e], lu->ec[e]);
    while (lu->ht[s] >= 0)
        s = (s + 1) & lu->hmask;
    lu->ht[s] = e;
}

/* Delete the entry in slot s (backward-shift deletion keeps every probe chain whole). */
static void hash_delete(Lu *lu, unsigned s)
{
    unsigned j = s;
    for (;;) {
        unsigned k;
        int e;
        j = (j + 1) & lu->hmask;
        e = lu->ht[j];
        if (e < 0)
            break;
        k = hash_home(lu, lu->er[e], lu->ec[e]);
        /* the entry at j may fill the hole at s unless its home lies cyclically in (s, j] */
        if (s <= j ? (s < k && k <= j) : (s < k || k <= j))
            continue;
        lu->ht[s] = e;
        s = j;
    }
    lu->ht[s] = -1;
}

/* A hash table with at least 2 ecap slots, rebuilt from the live entries. */
static int hash_rebuild(Lu *lu)
{
    unsigned size = 16;
    int e;
    while (size < 2u * (unsigned)lu->ecap)
        size *= 2;
    if (size - 1 != lu->hmask || !lu->ht) {
        if (!grow_int(&lu->ht, (int)size))
            return 0;
        lu->hmask = size - 1;
    }
    memset(lu->ht, 0xff, (size_t)size * sizeof(int));
    for (e = 0; e < lu->ecap; e++)
        if (lu->er[e] >= 0)
            hash_insert(lu, e);
    return 1;
}

/* Room for at least cap entries in the pool (new ones free), hash included. */
static int pool_reserve(Lu *lu, int cap)
{
    int old = lu->ecap, e;
    if (cap <= old)
        return 1;
    if (cap < 2 * old)
        cap = 2 * old;
    if (!grow_int(&lu->er, cap) || !grow_int(&lu->ec, cap) || !grow_int(&lu->rnx, cap) ||
        !grow_int(&lu->rpv, cap) || !grow_int(&lu->cnx, cap) || !grow_int(&lu->cpv, cap) ||
        !grow_double(&lu->ev, cap))
        return 0;
    for (e = cap - 1; e >= old; e--) {
        lu->er[e] = -1;
        lu->rnx[e] = lu->efree;
        lu->efree = e;
    }
    lu->ecap = cap;
    return hash_rebuild(lu);
}

/* Arrays for order n and a pool for nnz entries; the lists are emptied. */
static int lu_prepare(Lu *lu, int n, int nnz)
{
    int k, cap = n > 0 ? n : 1;
    if (cap > lu->ncap) {
        int **ints[] = {&lu->rh,  &lu->rl,  &lu->chd, &lu->cl,  &lu->rbn,  &lu->rbp,
                        &lu->rbk, &lu->cbn, &lu->cbp, &lu->cbk, &lu->prow, &lu->pcol};
        for (k = 0; k < (int)(sizeof(ints) / sizeof(ints[0])); k++)
            if (!grow_int(ints[k], cap))
                return 0;
        if (!grow_int(&lu->rbh, cap + 1) || !grow_int(&lu->cbh, cap + 1) ||
            !grow_int(&lu->us, cap + 1) || !grow_int(&lu->ls, cap + 1) ||
            !grow_double(&lu->rmax, cap) || !grow_double(&lu->piv, cap) ||
            !grow_double(&lu->t1, cap) || !grow_double(&lu->t2, cap) ||
            !grow_double(&lu->t3, cap) || !grow_double(&lu->t4, cap))
            return 0;
        {
            char *q = el_realloc(lu->rmax_ok, (size_t)cap);
            if (!q)
                return 0;
            lu->rmax_ok = q;
        }
        lu->ncap = cap;
    }
    if (lu->ecap == 0) {
        lu->efree = -1;
        if (!pool_reserve(lu, nnz > 8 ? 2 * nnz : 16))
            return 0;
    } else {
        /* free every entry, keep the capacity */
        lu->efree = -1;
        for (k = lu->ecap - 1; k >= 0; k--) {
            lu->er[k] = -1;
            lu->rnx[k] = lu->efree;
            lu->efree = k;
        }
        if (!pool_reserve(lu, 2 * nnz))
            return 0;
        memset(lu->ht, 0xff, (size_t)(lu->hmask + 1) * sizeof(int));
    }
    lu->n = n;
    for (k = 0; k < n; k++) {
        lu->rh[k] = lu->chd[k] = -1;
        lu->rl[k] = lu->cl[k] = 0;
        lu->rbk[k] = lu->cbk[k] = -1;
        lu->rmax_ok[k] = 0;
    }
    for (k = 0; k <= n; k++)
        lu->rbh[k] = lu->cbh[k] = -1;
    lu->un = lu->ln = lu->nsteps = 0;
    lu->us[0] = lu->ls[0] = 0;
    return 1;
}

/* A new entry (r, c) = v linked in its row, its column and the hash; -1 if out of memory. */
static int entry_add(Lu *lu, int r, int c, double v)
{
    int e;
    if (lu->efree < 0 && !pool_reserve(lu, lu->ecap + 1))
        return -1;
    e = lu->efree;
    lu->efree = lu->rnx[e];
    lu->er[e] = r;
    lu->ec[e] = c;
    lu->ev[e] = v;
    lu->rpv[e] = -1;
    lu->rnx[e] = lu->rh[r];
    if (lu->rh[r] >= 0)
        lu->rpv[lu->rh[r]] = e;
    lu->rh[r] = e;
    lu->rl[r]++;
    lu->cpv[e] = -1;
    lu->cnx[e] = lu->chd[c];
    if (lu->chd[c] >= 0)
        lu->cpv[lu->chd[c]] = e;
    lu->chd[c] = e;
    lu->cl[c]++;
    hash_insert(lu, e);
    return e;
}

static void row_unlink(Lu *lu, int e)
{
    int r = lu->er[e];
    if (lu->rpv[e] >= 0)
        lu->rnx[lu->rpv[e]] = lu->rnx[e];
    else
        lu->rh[r] = lu->rnx[e];
    if (lu->rnx[e] >= 0)
        lu->rpv[lu->rnx[e]] = lu->rpv[e];
    lu->rl[r]--;
}

static void col_unlink(Lu *lu, int e)
{
    int c = lu->ec[e];
    if (lu->cpv[e] >= 0)
        lu->cnx[lu->cpv[e]] = lu->cnx[e];
    else
        lu->chd[c] = lu->cnx[e];
    if (lu->cnx[e] >= 0)
        lu->cpv[lu->cnx[e]] = lu->cpv[e];
    lu->cl[c]--;
}

/* Drop e from the hash and return it to the free list (already unlinked as needed). */
static void entry_release(Lu *lu, int e)
{
    hash_delete(lu, (unsigned)hash_find(lu, lu->er[e], lu->ec[e]));
    lu->er[e] = -1;
    lu->rnx[e] = lu->efree;
    lu->efree = e;
}

/* File row (is_row) or column k under its current count. */
static void refile(Lu *lu, int is_row, int k)
{
    int *bh = is_row ? lu->rbh : lu->cbh, *bn = is_row ? lu->rbn : lu->cbn;
    int *bp = is_row ? lu->rbp : lu->cbp, *bk = is_row ? lu->rbk : lu->cbk;
    int cnt = is_row ? lu->rl[k] : lu->cl[k];
    if (bk[k] == cnt)
        return;
    if (bk[k] >= 0) { /* out of its old list */
        if (bp[k] >= 0)
            bn[bp[k]] = bn[k];
        else
            bh[bk[k]] = bn[k];
        if (bn[k] >= 0)
            bp[bn[k]] = bp[k];
    }
    bk[k] = cnt;
    if (cnt < 0) /* eliminated */
        return;
    bp[k] = -1;
    bn[k] = bh[cnt];
    if (bh[cnt] >= 0)
        bp[bh[cnt]] = k;
    bh[cnt] = k;
}

static double row_max(Lu *lu, int r)
{
    if (!lu->rmax_ok[r]) {
        double m = 0;
        int e;
        for (e = lu->rh[r]; e >= 0; e = lu->rnx[e])
            m = fmax(m, fabs(lu->ev[e]));
        lu->rmax[r] = m;
        lu->rmax_ok[r] = 1;
    }
    return lu->rmax[r];
}

typedef struct {
    int e;
    double cost, ratio;
} Best;

/* Take entry e of Markowitz cost `cost` if it is an acceptable pivot better than b's. */
static int consider(Lu *lu, int e, double cost, Best *b)
{
    double a = fabs(lu->ev[e]), m, ratio;
    if (cost > b->cost || a <= lu->floor)
        return 0;
    m = row_max(lu, lu->er[e]);
    ratio = a / m;
    if (ratio < PIVOT_THRESHOLD)
        return 0;
    if (cost < b->cost || ratio > b->ratio) {
        b->e = e;
        b->cost = cost;
        b->ratio = ratio;
    }
    return 1;
}

/* The pivot entry, or -1 when no acceptable pivot is left (singular). Every candidate not yet
 * examined at count k lies in a row and a column of count >= k, so costs (k-1)^2 or more. */
static int find_pivot(Lu *lu)
{
    Best b = {-1, HUGE_VAL, 0};
    int k, searched = 0, i, j, e;
    if (lu->rbh[0] >= 0 || lu->cbh[0] >= 0)
        return -1; /* an empty row or column */
    for (k = 1; k <= lu->n; k++) {
        double least = (double)(k - 1) * (k - 1);
        if (b.e >= 0 && b.cost <= least)
            break;
        for (j = lu->cbh[k]; j >= 0; j = lu->cbn[j]) {
            double cmin = HUGE_VAL;
            int found = 0, pass;
            for (e = lu->chd[j]; e >= 0; e = lu->cnx[e])
                cmin = fmin(cmin, (double)(lu->rl[lu->er[e]] - 1) * (k - 1));
            /* the cheapest entries first, so that a long row's largest entry is only sought
             * when its entry could be the pivot */
            for (pass = 0; pass < 2 && !found && cmin <= b.cost; pass++)
                for (e = lu->chd[j]; e >= 0; e = lu->cnx[e]) {
                    double cost = (double)(lu->rl[lu->er[e]] - 1) * (k - 1);
                    if ((cost == cmin) == (pass == 0))
                        found |= consider(lu, e, cost, &b);
                }
            if (b.e >= 0 && (++searched >= SEARCH_LIMIT || b.cost <= least))
                return b.e;
        }
        for (i = lu->rbh[k]; i >= 0; i = lu->rbn[i]) {
            for (e = lu->rh[i]; e >= 0; e = lu->rnx[e])
                consider(lu, e, (double)(k - 1) * (lu->cl[lu->ec[e]] - 1), &b);
            if (b.e >= 0 && (++searched >= SEARCH_LIMIT || b.cost <= least))
                return b.e;
        }
    }
    return b.e;
}

/* One elimination step on pivot entry ep. 0 if out of memory. */
static int eliminate(Lu *lu, int ep)
{
    int r = lu->er[ep], c = lu->ec[ep], s = lu->nsteps, e, nxt, t;
    double pv = lu->ev[ep];
    if (lu->un + lu->rl[r] > lu->ucap) {
        int cap = 2 * (lu->un + lu->rl[r]);
        if (!grow_int(&lu->ui, cap) || !grow_double(&lu->uv, cap))
            return 0;
        lu->ucap = cap;
    }
    if (lu->ln + lu->cl[c] > lu->lcap) {
        int cap = 2 * (lu->ln + lu->cl[c]);
        if (!grow_int(&lu->li, cap) || !grow_double(&lu->lv, cap))
            return 0;
        lu->lcap = cap;
    }
    lu->prow[s] = r;
    lu->pcol[s] = c;
    lu->piv[s] = pv;
    /* the pivot row leaves the active submatrix and becomes U's row s */
    for (e = lu->rh[r]; e >= 0; e = nxt) {
        nxt = lu->rnx[e];
        if (e != ep) {
            lu->ui[lu->un] = lu->ec[e];
            lu->uv[lu->un++] = lu->ev[e];
        }
        col_unlink(lu, e);
        entry_release(lu, e);
    }
    lu->rh[r] = -1;
    lu->rl[r] = -1;
    refile(lu, 1, r);
    lu->us[s + 1] = lu->un;
    /* each other row of the pivot column: row i -= l (pivot row), l = a_ic / pivot */
    for (e = lu->chd[c]; e >= 0; e = nxt) {
        int i = lu->er[e];
        double l = lu->ev[e] / pv;
        nxt = lu->cnx[e];
        lu->li[lu->ln] = i;
        lu->lv[lu->ln++] = l;
        row_unlink(lu, e);
        entry_release(lu, e);
        for (t = lu->us[s]; t < lu->un; t++) {
            long slot = hash_find(lu, i, lu->ui[t]);
            double dv = -l * lu->uv[t];
            if (slot >= 0) {
                int f = lu->ht[slot];
                lu->ev[f] += dv;
                if (lu->ev[f] == 0) { /* exact cancellation: drop the entry */
                    row_unlink(lu, f);
                    col_unlink(lu, f);
                    entry_release(lu, f);
                }
            } else if (entry_add(lu, i, lu->ui[t], dv) < 0) {
                return 0;
            }
        }
        lu->rmax_ok[i] = 0;
        refile(lu, 1, i);
    }
    lu->chd[c] = -1;
    lu->cl[c] = -1;
    refile(lu, 0, c);
    lu->ls[s + 1] = lu->ln;
    for (t = lu->us[s]; t < lu->un; t++)
        refile(lu, 0, lu->ui[t]);
    lu->nsteps++;
    return 1;
}

/* Factor the n x n matrix of nnz triplets. 1 on success, 0 when singular, -1 out of memory. */
static int lu_factor(Lu *lu, int n, int nnz, const int *ri, const int *ci, const double *v)
{
    double big = 0;
    int t, k;
    if (!lu_prepare(lu, n, nnz))
        return -1;
    for (t = 0; t < nnz; t++) {
        long slot;
        if (v[t] == 0)
            continue;
        slot = hash_find(lu, ri[t], ci[t]);
        if (slot >= 0) {
            lu->ev[lu->ht[slot]] += v[t];
        } else if (entry_add(lu, ri[t], ci[t], v[t]) < 0) {
            return -1;
        }
    }
    for (k = 0; k < lu->ecap; k++)
        if (lu->er[k] >= 0)
            big = fmax(big, fabs(lu->ev[k]));
    lu->floor = PIVOT_FLOOR * big;
    for (k = 0; k < n; k++) {
        refile(lu, 1, k);
        refile(lu, 0, k);
    }
    for (k = 0; k < n; k++) {
        int ep = find_pivot(lu);
        if (ep < 0)
            return 0;
        if (!eliminate(lu, ep))
            return -1;
    }
    return 1;
}

/* b (indexed by equation) -> solution (indexed by unknown) in z. b is overwritten. */
static void lu_solve(const Lu *lu, double *b, double *z)
{
    int s, t;
    for (s = 0; s < lu->n; s++) {
        double br = b[lu->prow[s]];
        if (br != 0)
            for (t = lu->ls[s]; t < lu->ls[s + 1]; t++)
                b[lu->li[t]] -= lu->lv[t] * br;
    }
    for (s = lu->n - 1; s >= 0; s--) {
        double v = b[lu->prow[s]];
        for (t = lu->us[s]; t < lu->us[s + 1]; t++)
            v -= lu->uv[t] * z[lu->ui[t]];
        z[lu->pcol[s]] = v / lu->piv[s];
    }
}

/* Transposed: A^T z = d, d indexed by unknown (overwritten), z by equation. */
static void lu_solve_t(const Lu *lu, double *d, double *z)
{
    int s, t;
    for (s = 0; s < lu->n; s++) {
        double w = d[lu->pcol[s]] / lu->piv[s];
        z[lu->prow[s]] = w;
        if (w != 0)
            for (t = lu->us[s]; t < lu->us[s + 1]; t++)
                d[lu->ui[t]] -= lu->uv[t] * w;
    }
    for (s = lu->n - 1; s >= 0; s--) {
        double w = 0;
        for (t = lu->ls[s]; t < lu->ls[s + 1]; t++)
            w += lu->lv[t] * z[lu->li[t]];
        z[lu->prow[s]] -= w;
    }
}

static double norm1(int n, const double *v)
{
    double s = 0;
    int k;
    for (k = 0; k < n; k++)
        s += fabs(v[k]);
    return s;
}

static double sign1(double v)
{
    return v >= 0 ? 1.0 : -1.0;
}

/* Estimate of ||A^-1||_1 from the factors (Hager 1984, Higham 1988; LAPACK's dlacn2). Every
 * estimate is ||A^-1 x||_1 for some x with ||x||_1 = 1, a lower bound: the largest is kept. */
static double inverse_norm1(const Lu *lu)
{
    int n = lu->n, k, it, j = 0, jlast;
    double *x = lu->t1, *v = lu->t2, *z = lu->t3, *xi = lu->t4, est, old;
    for (k = 0; k < n; k++)
        x[k] = 1.0 / n;
    lu_solve(lu, x, v);
    est = norm1(n, v);
    if (n == 1)
        return est;
    for (k = 0; k < n; k++)
        x[k] = xi[k] = sign1(v[k]);
    lu_solve_t(lu, x, z);
    for (k = 1; k < n; k++)
        if (fabs(z[k]) > fabs(z[j]))
            j = k;
    for (it = 2;; it++) {
        int same = 1;
        for (k = 0; k < n; k++)
            x[k] = 0;
        x[j] = 1;
        lu_solve(lu, x, v);
        old = est;
        est = fmax(est, norm1(n, v));
        for (k = 0; k < n && same; k++)
            same = sign1(v[k]) == xi[k];
        if (same || est <= old) /* signs repeat, or no progress: converged */
            break;
        for (k = 0; k < n; k++)
            x[k] = xi[k] = sign1(v[k]);
        lu_solve_t(lu, x, z);
        jlast = j;
        for (k = 0; k < n; k++)
            if (fabs(z[k]) > fabs(z[j]))
                j = k;
        if (fabs(z[jlast]) == fabs(z[j]) || it >= CONDEST_ITERS)
            break;
    }
    for (k = 0; k < n; k++) /* the alternating vector guards against unlucky signs */
        x[k] = (k % 2 ? -1.0 : 1.0) * (1.0 + (double)k / (n - 1));
    lu_solve(lu, x, v);
    return fmax(est, 2.0 * norm1(n, v) / (3.0 * n));
}

/* Divide each equation, then each unknown, by its largest entry (as el_la does): v and b are
 * scaled in place, cscale gets the factors to apply to the solution. rscale is work. */
static void equilibrate(int n,
                        int nnz,
                        const int *ri,
                        const int *ci,
                        double *v,
                        double *b,
                        double *rscale,
                        double *cscale)
{
    int k, t;
    for (k = 0; k < n; k++)
        rscale[k] = cscale[k] = 0;
    for (t = 0; t < nnz; t++)
        rscale[ri[t]] = fmax(rscale[ri[t]], fabs(v[t]));
    for (k = 0; k < n; k++) {
        rscale[k] = rscale[k] > 0 ? 1.0 / rscale[k] : 1.0;
        b[k] *= rscale[k];
    }
    for (t = 0; t < nnz; t++) {
        v[t] *= rscale[ri[t]];
        cscale[ci[t]] = fmax(cscale[ci[t]], fabs(v[t]));
    }
    for (k = 0; k < n; k++)
        cscale[k] = cscale[k] > 0 ? 1.0 / cscale[k] : 1.0;
    for (t = 0; t < nnz; t++)
        v[t] *= cscale[ci[t]];
}

/* Equilibrate (v and b in place), factor, check the condition, solve with one step of
 * refinement; b gets the solution. work has 3 n entries. EL_ERR_NUMERIC when singular. */
static el_status sparse_solve(Lu *lu,
                              int n,
                              int nnz,
                              const int *ri,
                              const int *ci,
                              double *v,
                              double *b,
                              double *work,
                              double *rcond,
                              ElError *err)
{
    double *rs = work, *cs = work + n, *z = work + 2 * n, anorm = 0, inv;
    int k, t, f;
    *rcond = 0;
    if (n == 0) {
        *rcond = 1;
        return EL_OK;
    }
    equilibrate(n, nnz, ri, ci, v, b, rs, cs);
    f = lu_factor(lu, n, nnz, ri, ci, v);
    if (f < 0)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (sparse LU of order %d)", n);
    if (f == 0)
        return el_error_set(err, EL_ERR_NUMERIC,
                            "sparse LU: the matrix of order %d is singular (step %d)", n,
                            lu->nsteps);
    for (k = 0; k < n; k++)
        rs[k] = 0; /* column sums for the 1-norm */
    for (t = 0; t < nnz; t++)
        rs[ci[t]] += fabs(v[t]);
    for (k = 0; k < n; k++)
        anorm = fmax(anorm, rs[k]);
    inv = inverse_norm1(lu);
    *rcond = (anorm > 0 && inv > 0 && isfinite(inv)) ? 1.0 / (anorm * inv) : 0;
    if (!(*rcond >= RCOND_MIN))
        return el_error_set(err, EL_ERR_NUMERIC,
                            "sparse LU: the matrix of order %d is singular or too ill-conditioned "
                            "(rcond %g)",
                            n, *rcond);
    /* z = A^-1 b, then one step of refinement with the residual in rs */
    memcpy(rs, b, (size_t)n * sizeof(double));
    lu_solve(lu, rs, z);
    memcpy(rs, b, (size_t)n * sizeof(double));
    for (t = 0; t < nnz; t++)
        rs[ri[t]] -= v[t] * z[ci[t]];
    lu_solve(lu, rs, b);
    for (k = 0; k < n; k++) {
        b[k] = (z[k] + b[k]) * cs[k];
        if (!isfinite(b[k]))
            return el_error_set(err, EL_ERR_NUMERIC,
                                "sparse LU: the solution of order %d is not finite", n);
    }
    return EL_OK;
}

el_status el_kkt_lu_solve(int n,
                          int nnz,
                          const int *ri,
                          const int *ci,
                          const double *v,
                          double *b,
                          double *rcond,
                          ElError *err)
{
    Lu lu;
    double *vv = NULL, *work = NULL, rc = 0;
    el_status st;
    int t;
    memset(&lu, 0, sizeof(lu));
    if (n < 0 || nnz < 0)
        return el_error_set(err, EL_ERR_INTERNAL, "el_kkt_lu_solve: negative size");
    for (t = 0; t < nnz; t++)
        if (ri[t] < 0 || ri[t] >= n || ci[t] < 0 || ci[t] >= n || !isfinite(v[t]))
            return el_error_set(err, EL_ERR_INTERNAL,
                                "el_kkt_lu_solve: entry %d out of range or not finite", t);
    vv = el_calloc((size_t)nnz + 1, sizeof(double));
    work = el_calloc(3 * (size_t)n + 1, sizeof(double));
    if (!vv || !work) {
        st = el_error_set(err, EL_ERR_NOMEM, "out of memory (sparse LU of order %d)", n);
    } else {
        if (nnz > 0)
            memcpy(vv, v, (size_t)nnz * sizeof(double));
        st = sparse_solve(&lu, n, nnz, ri, ci, vv, b, work, &rc, err);
    }
    if (rcond)
        *rcond = rc;
    lu_free(&lu);
    el_free(vv);
    el_free(work);
    return st;
}

/* ---- KKT systems of a problem ---- */

struct ElKkt {
    const ElProblem *p;
    int *cpos, *rpos; /* position of each basic column / active row, or -1 */
    int *ti, *tj;     /* triplets of the sparse system */
    double *tv;
    double *rhs, *work; /* n and 4 n entries, n <= ncols + nrows */
    double *K;          /* dense oracle, kcap x kcap */
    int kcap;
    Lu lu;
};

void el_kkt_free(ElKkt *k)
{
    if (!k)
        return;
    el_free(k->cpos);
    el_free(k->rpos);
    el_free(k->ti);
    el_free(k->tj);
    el_free(k->tv);
    el_free(k->rhs);
    el_free(k->work);
    el_free(k->K);
    lu_free(&k->lu);
    el_free(k);
}

el_status el_kkt_create(ElKkt **out, const ElProblem *p, ElError *err)
{
    ElKkt *k = el_calloc(1, sizeof(*k));
    size_t nc = (size_t)p->ncols, nr = (size_t)p->nrows, n = nc + nr + 1;
    size_t nt = 2 * (size_t)p->nnz + nc + 1;
    *out = NULL;
    if (!k)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (KKT workspace)");
    k->p = p;
    k->cpos = el_calloc(nc + 1, sizeof(int));
    k->rpos = el_calloc(nr + 1, sizeof(int));
    k->ti = el_calloc(nt, sizeof(int));
    k->tj = el_calloc(nt, sizeof(int));
    k->tv = el_calloc(nt, sizeof(double));
    k->rhs = el_calloc(n, sizeof(double));
    k->work = el_calloc(4 * n, sizeof(double));
    if (!k->cpos || !k->rpos || !k->ti || !k->tj || !k->tv || !k->rhs || !k->work) {
        el_kkt_free(k);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (KKT workspace)");
    }
    *out = k;
    return EL_OK;
}

static double nonbasic_value(const ElProblem *p, int j, int stat)
{
    switch (stat) {
    case EL_ST_LOWER:
    case EL_ST_FIXED:
        return p->lo[j];
    case EL_ST_UPPER:
        return p->up[j];
    default:
        return 0.0;
    }
}

static int row_active(int stat)
{
    return stat == EL_ST_LOWER || stat == EL_ST_UPPER || stat == EL_ST_FIXED;
}

/* The dense oracle: the system of size n = na + nb, column-major, through el_la_solve (least
 * squares when singular). The right-hand side is in k->rhs; the solution is left there. */
static el_status dense_solve(ElKkt *k, int na, int nb, bool *least_squares, ElError *err)
{
    const ElProblem *p = k->p;
    int n = na + nb, j, t;
    if (n > EL_KKT_DENSE_MAX_UNKNOWNS) /* a dense n x n system: 8 n^2 bytes */
        return el_error_set(err, EL_ERR_LP,
                            "the exact stage's dense KKT path needs a system of %d unknowns, "
                            "above its limit of %d (%.0f MB; docs/settings.md)",
                            n, EL_KKT_DENSE_MAX_UNKNOWNS,
                            8.0 * EL_KKT_DENSE_MAX_UNKNOWNS * EL_KKT_DENSE_MAX_UNKNOWNS / 1e6);
    if (n > k->kcap) {
        double *K = el_reallocarray(k->K, (size_t)n * (size_t)n, sizeof(double));
        if (!K)
            return el_error_set(err, EL_ERR_NOMEM, "out of memory (KKT system of size %d)", n);
        k->K = K;
        k->kcap = n;
    }
    if (n > 0)
        memset(k->K, 0, (size_t)n * (size_t)n * sizeof(double));
    for (j = 0; j < p->ncols; j++)
        if (k->cpos[j] >= 0)
            k->K[(na + k->cpos[j]) + (size_t)k->cpos[j] * n] += p->h[j];
    for (t = 0; t < p->nnz; t++) {
        int ri = k->rpos[p->ai[t]], cj = k->cpos[p->aj[t]];
        if (ri >= 0 && cj >= 0) {
            k->K[ri + (size_t)cj * n] += p->av[t];
            k->K[(na + cj) + (size_t)(nb + ri) * n] -= p->av[t];
        }
    }
    return el_la_solve(n, k->K, k->rhs, least_squares, err);
}

el_status el_kkt_solve(ElKkt *k,
                       ElKktMethod method,
                       const int *cstat,
                       const int *rstat,
                       double *x,
                       double *y,
                       ElKktInfo *info,
                       ElError *err)
{
    const ElProblem *p = k->p;
    ElKktInfo local;
    int nb = 0, na = 0, n, i, j, t, nt = 0;
    el_status st;
    if (!info)
        info = &local;
    memset(info, 0, sizeof(*info));
    for (j = 0; j < p->ncols; j++)
        k->cpos[j] = cstat[j] == EL_ST_BASIC ? nb++ : -1;
    for (i = 0; i < p->nrows; i++)
        k->rpos[i] = row_active(rstat[i]) ? na++ : -1;
    n = na + nb;
    info->unknowns = n;
    /* right-hand side: equations of the active rows, then of the basic columns */
    for (j = 0; j < p->ncols; j++)
        x[j] = nonbasic_value(p, j, cstat[j]);
    for (i = 0; i < p->nrows; i++)
        if (k->rpos[i] >= 0)
            k->rhs[k->rpos[i]] = rstat[i] == EL_ST_UPPER ? p->rup[i] : p->rlo[i];
    for (j = 0; j < p->ncols; j++)
        if (k->cpos[j] >= 0)
            k->rhs[na + k->cpos[j]] = -p->c[j];
    for (t = 0; t < p->nnz; t++)
        if (k->rpos[p->ai[t]] >= 0 && k->cpos[p->aj[t]] < 0)
            k->rhs[k->rpos[p->ai[t]]] -= p->av[t] * x[p->aj[t]];

    if (method == EL_KKT_DENSE) {
        info->dense = true;
        st = dense_solve(k, na, nb, &info->least_squares, err);
    } else {
        ElError sub;
        /* unknowns: x_B at 0..nb-1, y_A at nb..; equations: rows at 0..na-1, columns at na.. */
        for (j = 0; j < p->ncols; j++)
            if (k->cpos[j] >= 0 && p->h[j] > 0) {
                k->ti[nt] = na + k->cpos[j];
                k->tj[nt] = k->cpos[j];
                k->tv[nt++] = p->h[j];
            }
        for (t = 0; t < p->nnz; t++) {
            int ri = k->rpos[p->ai[t]], cj = k->cpos[p->aj[t]];
            if (ri >= 0 && cj >= 0) {
                k->ti[nt] = ri;
                k->tj[nt] = cj;
                k->tv[nt++] = p->av[t];
                k->ti[nt] = na + cj;
                k->tj[nt] = nb + ri;
                k->tv[nt++] = -p->av[t];
            }
        }
        /* the dense fallback needs the right-hand side again */
        memcpy(k->work + 3 * (size_t)n, k->rhs, (size_t)n * sizeof(double));
        st = sparse_solve(&k->lu, n, nt, k->ti, k->tj, k->tv, k->rhs, k->work, &info->rcond, &sub);
        info->lu_nnz = k->lu.un + k->lu.ln + k->lu.nsteps;
        if (st == EL_ERR_NUMERIC) {
            info->singular = true;
            if (method == EL_KKT_SPARSE && n <= EL_KKT_DENSE_MAX_UNKNOWNS) {
                /* sparse_solve scaled rhs in place: restore it for the dense path */
                memcpy(k->rhs, k->work + 3 * (size_t)n, (size_t)n * sizeof(double));
                info->dense = true;
                st = dense_solve(k, na, nb, &info->least_squares, err);
            } else if (err) {
                *err = sub;
            }
        } else if (st != EL_OK && err) {
            *err = sub;
        }
    }
    if (st != EL_OK)
        return st;
    for (j = 0; j < p->ncols; j++)
        if (k->cpos[j] >= 0)
            x[j] = k->rhs[k->cpos[j]];
    for (i = 0; i < p->nrows; i++)
        y[i] = k->rpos[i] >= 0 ? k->rhs[nb + k->rpos[i]] : 0.0;
    return EL_OK;
}
