/* Exact separable convex QP through GLPK + an active-set KKT polish (see qp.h).
 *
 * KKT system for an active set (B = basic columns, A = active rows):
 *   sum_{j in B} A_ij x_j = b_i - sum_{j not in B} A_ij xbar_j     (i in A)
 *   h_j x_j - sum_{i in A} A_ij y_i = -c_j                          (j in B)
 * It is square (|A| + |B| unknowns and equations). A solution is optimal when basic columns and
 * inactive rows are within bounds, and reduced costs d_j = c_j + h_j x_j - sum_i A_ij y_i and
 * row duals have the signs of their active bounds (d_j >= 0 at a lower bound, y_i >= 0 at a
 * lower row bound, and the reverse at upper bounds). solver/kkt.c solves the system: a sparse
 * LU by default (linear in the nonzeros: a group of 10,000 members is a star), LAPACK's dense
 * LU as the test oracle (ElQpOptions). Everything else here is linear in the size of the part
 * too, except the LP stage (GLPK's simplex). */
#include "qp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "el_alloc.h"
#include "el_clock.h"
#include "el_uf.h"

#define REQUIREMENT_SHIFT 1e-6
#define FULL_UPDATE_ITERS 10
#define NARROW_PIECE      1e-6  /* pieces narrower than this share of the widest: one step */
#define KKT_FIRST_ITERS   16    /* iteration cap of step 0 (KKT first) per start (<= polish_iter) */
#define STRICT_MARGIN     1e3   /* step 0's margins, in verification tolerances (kkt_tol) */
#define KKT_FIRST_RCOND   1e-10 /* step 0's least condition estimate of its KKT system */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Breakpoints of quadratic column j on [0, up]: grid equal steps, plus (with a centre) grid
 * steps of width up / grid^2 on each side of the centre. Returns the count written to bp. */
static int breakpoints(double up, int grid, const double *center, double *bp)
{
    int n = 0, k, m;
    for (k = 0; k <= grid; k++)
        bp[n++] = up * k / grid;
    if (center) {
        double fine = up / ((double)grid * grid), c = fmin(fmax(*center, 0.0), up);
        for (k = -grid; k <= grid; k++) {
            double v = c + k * fine;
            if (v > 0 && v < up)
                bp[n++] = v;
        }
    }
    qsort(bp, (size_t)n, sizeof(*bp), cmp_double);
    for (k = 1, m = 1; k < n; k++) /* drop duplicates and slivers */
        if (bp[k] - bp[m - 1] > 1e-12 * (1 + up))
            bp[m++] = bp[k];
    bp[m - 1] = up;
    return m;
}

/* Whether discretising p with grid (and center) stays within EL_MAX_LP_COLS columns and
 * EL_MAX_LP_NNZ nonzeros, so that memory is bounded whatever the problem's size. Counts in
 * double, an upper bound of what discretize builds; *cols gets the column count. */
static bool lp_within_budget(const ElProblem *p, int grid, const double *center, double *cols)
{
    double steps = center ? 3.0 * grid + 1 : (double)grid, nnz = 0;
    int j, t;
    *cols = 0;
    for (j = 0; j < p->ncols; j++)
        *cols += p->h[j] > 0 ? steps : 1;
    for (t = 0; t < p->nnz; t++)
        nnz += p->h[p->aj[t]] > 0 ? steps : 1;
    return *cols <= EL_MAX_LP_COLS && nnz <= EL_MAX_LP_NNZ;
}

el_status el_qp_steps_lp(const ElProblem *p,
                         ElStepBreaks breaks,
                         void *ctx,
                         int maxbp,
                         ElProblem **out,
                         int *counts,
                         ElError *err)
{
    ElProblem *d = NULL;
    int *first = NULL, *count = NULL;
    double *bp = NULL;
    el_status st;
    int j, k, t;
    char name[160];
    *out = NULL;
    first = el_calloc((size_t)(p->ncols > 0 ? p->ncols : 1), sizeof(int));
    count = el_calloc((size_t)(p->ncols > 0 ? p->ncols : 1), sizeof(int));
    bp = el_calloc((size_t)maxbp, sizeof(double));
    st = (!first || !count || !bp)
             ? el_error_set(err, EL_ERR_NOMEM, "out of memory (the LP of steps)")
             : el_problem_create(&d, err);
    for (j = 0; st == EL_OK && j < p->ncols; j++) {
        first[j] = d->ncols;
        if (p->h[j] > 0) {
            int nb = breaks(ctx, p, j, bp);
            count[j] = nb - 1;
            for (k = 0; st == EL_OK && k + 1 < nb; k++) {
                /* the average marginal cost over the step: the cost is interpolated exactly */
                if (p->colname[j]) /* unnamed problems (the usual case) stay unnamed */
                    snprintf(name, sizeof(name), "%.140s_%d", p->colname[j], k);
                st = el_problem_add_col(d, p->colname[j] ? name : NULL,
                                        p->c[j] + p->h[j] * 0.5 * (bp[k] + bp[k + 1]), 0, 0,
                                        bp[k + 1] - bp[k], NULL, err);
            }
        } else {
            count[j] = 1;
            st = el_problem_add_col(d, p->colname[j], p->c[j], 0, p->lo[j], p->up[j], NULL, err);
            if (st == EL_OK && p->is_int[j])
                el_problem_set_integer(d, d->ncols - 1);
        }
    }
    for (j = 0; st == EL_OK && j < p->nrows; j++)
        st = el_problem_add_row(d, p->rowname[j], p->rlo[j], p->rup[j], (ElRowKind)p->rkind[j],
                                NULL, err);
    for (t = 0; st == EL_OK && t < p->nnz; t++)
        for (k = 0; st == EL_OK && k < count[p->aj[t]]; k++)
            st = el_problem_add_coef(d, p->ai[t], first[p->aj[t]] + k, p->av[t], err);
    if (st == EL_OK && counts)
        memcpy(counts, count, (size_t)p->ncols * sizeof(int));
    el_free(first);
    el_free(count);
    el_free(bp);
    if (st != EL_OK) {
        el_problem_free(d);
        return st;
    }
    *out = d;
    return EL_OK;
}

/* The grid's breakpoints of column j (discretize's callback): one step for a sliver of a
 * piece, which gains nothing from steps and upsets the simplex. */
typedef struct {
    int grid;
    const double *center;
    double wmax;
} GridBreaks;

static int grid_breaks(void *ctx, const ElProblem *p, int j, double *bp)
{
    const GridBreaks *g = ctx;
    int steps = p->up[j] < NARROW_PIECE * g->wmax ? 1 : g->grid;
    return breakpoints(p->up[j], steps, g->center ? &g->center[j] : NULL, bp);
}

/* Discretise p; if counts is given it receives the number of LP columns of each column of p
 * (caller-allocated, p->ncols entries). */
static el_status discretize(
    const ElProblem *p, int grid, const double *center, ElProblem **out, int *counts, ElError *err)
{
    GridBreaks g = {grid, center, 0};
    double cols;
    int j;
    *out = NULL;
    if (grid < 1)
        return el_error_set(err, EL_ERR_SETTINGS, "grid %d must be >= 1", grid);
    if (!lp_within_budget(p, grid, center, &cols))
        return el_error_set(err, EL_ERR_NUMERIC,
                            "the LP with %d steps per MAC piece would have %.0f columns, above "
                            "the budget of %d columns and %d nonzeros (lower grid; "
                            "docs/settings.md)",
                            grid, cols, EL_MAX_LP_COLS, EL_MAX_LP_NNZ);
    for (j = 0; j < p->ncols; j++)
        if (p->h[j] > 0)
            g.wmax = fmax(g.wmax, p->up[j]);
    return el_qp_steps_lp(p, grid_breaks, &g, 3 * grid + 3, out, counts, err);
}

el_status el_qp_discretize_around(
    const ElProblem *p, int grid, const double *center, ElProblem **out, int *first, ElError *err)
{
    el_status st = discretize(p, grid, center, out, first, err);
    int j, col = 0;
    for (j = 0; st == EL_OK && first && j < p->ncols; j++) { /* counts -> first columns */
        int n = first[j];
        first[j] = col;
        col += n;
    }
    return st;
}

el_status el_qp_discretize(const ElProblem *p, int grid, ElProblem **out, ElError *err)
{
    return discretize(p, grid, NULL, out, NULL, err);
}

/* Solve an LP with requirement rows shifted by dir * 1e-6 (1 + |requirement|). dir < 0: every
 * requirement lowered, then restored (left-derivative prices). dir > 0: only the tiny positive
 * requirements (0 < R <= 1e-6, below the simplex's feasibility tolerance: a cap 1e-8 below BAU)
 * raised and kept, so that they bind in the basis the polish starts from; the polish then
 * solves with the true requirements. Other rows keep their left-derivative convention. */
static el_status solve_lp_dir(
    const ElProblem *p, const ElSettings *s, int dir, ElSolution *sol, int *solves, ElError *err)
{
    ElLp *lp = NULL;
    el_status st;
    int i, shifted = 0;
    st = el_lp_create(&lp, p, s, err);
    for (i = 0; st == EL_OK && i < p->nrows; i++)
        if (p->rkind[i] == EL_ROW_REQUIREMENT && isfinite(p->rlo[i]) &&
            (dir < 0 || (p->rlo[i] > 0 && p->rlo[i] <= REQUIREMENT_SHIFT))) {
            double lo = p->rlo[i] + dir * REQUIREMENT_SHIFT * (1 + fabs(p->rlo[i]));
            st = el_lp_set_row_bounds(lp, i, lo, p->rup[i], err);
            shifted = 1;
        }
    if (st == EL_OK) {
        st = el_lp_solve(lp, sol, err);
        (*solves)++;
    }
    if (st == EL_OK && shifted && dir > 0 && sol->outcome != EL_OPTIMAL) {
        /* raised requirements may have no solution: keep the basis of the true problem */
        for (i = 0; st == EL_OK && i < p->nrows; i++)
            if (p->rkind[i] == EL_ROW_REQUIREMENT && isfinite(p->rlo[i]))
                st = el_lp_set_row_bounds(lp, i, p->rlo[i], p->rup[i], err);
        if (st == EL_OK) {
            st = el_lp_solve(lp, sol, err);
            (*solves)++;
        }
    } else if (st == EL_OK && shifted && dir < 0 && sol->outcome == EL_OPTIMAL) {
        for (i = 0; st == EL_OK && i < p->nrows; i++)
            if (p->rkind[i] == EL_ROW_REQUIREMENT && isfinite(p->rlo[i]))
                st = el_lp_set_row_bounds(lp, i, p->rlo[i], p->rup[i], err);
        if (st == EL_OK) {
            st = el_lp_solve(lp, sol, err);
            (*solves)++;
        }
    } else if (st == EL_OK && shifted && sol->outcome == EL_INFEASIBLE) {
        /* The shift relaxes the problem, so infeasible here means infeasible. */
    }
    el_lp_free(lp);
    return st;
}

/* Solve an LP with requirement rows lowered slightly, then restored (left-derivative prices). */
static el_status
solve_lp(const ElProblem *p, const ElSettings *s, ElSolution *sol, int *solves, ElError *err)
{
    return solve_lp_dir(p, s, -1, sol, solves, err);
}

typedef struct {
    const ElProblem *p;
    double tol;
    ElKktMethod method; /* sparse by default, dense as the test oracle (ElQpOptions) */
    int *cstat, *rstat;
    int *counts; /* LP columns per column of p in the current discretisation */
    double *x, *y, *r, *d;
    ElKkt *kkt;     /* the KKT workspace, reused by every iteration */
    ElKktInfo last; /* what the last KKT solve did */
    double kkt_s;   /* seconds spent in KKT solves */
} Polish;

/* Solve the KKT system of the current active set (solver/kkt.c) into x, y, r, d. */
static el_status kkt_solve(Polish *w, ElError *err)
{
    const ElProblem *p = w->p;
    double t0 = el_clock_now();
    int i, j, t;
    el_status st = el_kkt_solve(w->kkt, w->method, w->cstat, w->rstat, w->x, w->y, &w->last, err);
    w->kkt_s += el_clock_now() - t0;
    if (st != EL_OK)
        return st;
    for (i = 0; i < p->nrows; i++)
        w->r[i] = 0;
    for (j = 0; j < p->ncols; j++)
        w->d[j] = p->c[j] + p->h[j] * w->x[j];
    for (t = 0; t < p->nnz; t++) {
        w->r[p->ai[t]] += p->av[t] * w->x[p->aj[t]];
        w->d[p->aj[t]] -= p->av[t] * w->y[p->ai[t]];
    }
    return EL_OK;
}

typedef struct {
    int is_row, index, new_stat;
    double size;
} Change;

/* Find what is wrong with the current KKT point. Returns the number of changes written to ch
 * (at most cap), the largest first when only one is kept; *broken is set when an equation of
 * the system itself does not hold (an inconsistent, least-squares solution). */
static int violations(Polish *w, Change *ch, int cap, int *broken)
{
    const ElProblem *p = w->p;
    double dscale = 1, pscale;
    int i, j, n = 0;
    *broken = 0;
    for (j = 0; j < p->ncols; j++)
        dscale = fmax(dscale, fmax(fabs(p->c[j]), fabs(p->h[j] * w->x[j])));
    for (i = 0; i < p->nrows; i++)
        dscale = fmax(dscale, fabs(w->y[i]));
    dscale *= w->tol;
#define ADD(row, idx, stat, sz)                     \
    do {                                            \
        if (n < cap)                                \
            ch[n++] = (Change){row, idx, stat, sz}; \
    } while (0)
    for (j = 0; j < p->ncols; j++) {
        double xj = w->x[j], dj = w->d[j];
        switch (w->cstat[j]) {
        case EL_ST_BASIC:
            pscale = w->tol * (1 + fabs(p->lo[j]) * isfinite(p->lo[j]));
            if (xj < p->lo[j] - pscale) {
                ADD(0, j, EL_ST_LOWER, (p->lo[j] - xj) / (pscale / w->tol));
                break;
            }
            pscale = w->tol * (1 + fabs(p->up[j]) * isfinite(p->up[j]));
            if (xj > p->up[j] + pscale)
                ADD(0, j, EL_ST_UPPER, (xj - p->up[j]) / (pscale / w->tol));
            else if (fabs(dj) > dscale)
                *broken = 1;
            break;
        case EL_ST_LOWER:
            if (dj < -dscale)
                ADD(0, j, EL_ST_BASIC, -dj / (dscale / w->tol));
            break;
        case EL_ST_UPPER:
            if (dj > dscale)
                ADD(0, j, EL_ST_BASIC, dj / (dscale / w->tol));
            break;
        case EL_ST_FREE:
            if (fabs(dj) > dscale)
                ADD(0, j, EL_ST_BASIC, fabs(dj) / (dscale / w->tol));
            break;
        default:
            break;
        }
    }
    for (i = 0; i < p->nrows; i++) {
        double ri = w->r[i], yi = w->y[i];
        double plo = w->tol * (1 + fabs(p->rlo[i]) * isfinite(p->rlo[i]));
        double pup = w->tol * (1 + fabs(p->rup[i]) * isfinite(p->rup[i]));
        switch (w->rstat[i]) {
        case EL_ST_BASIC:
        case EL_ST_FREE:
            if (ri < p->rlo[i] - plo)
                ADD(1, i, EL_ST_LOWER, (p->rlo[i] - ri) / (plo / w->tol));
            else if (ri > p->rup[i] + pup)
                ADD(1, i, EL_ST_UPPER, (ri - p->rup[i]) / (pup / w->tol));
            break;
        case EL_ST_LOWER:
            if (fabs(ri - p->rlo[i]) > plo)
                *broken = 1;
            else if (yi < -dscale)
                ADD(1, i, EL_ST_BASIC, -yi / (dscale / w->tol));
            break;
        case EL_ST_UPPER:
            if (fabs(ri - p->rup[i]) > pup)
                *broken = 1;
            else if (yi > dscale)
                ADD(1, i, EL_ST_BASIC, yi / (dscale / w->tol));
            break;
        default:
            if (fabs(ri - p->rlo[i]) > plo)
                *broken = 1;
            break;
        }
    }
#undef ADD
    return n;
}

/* The active-set iteration from the statuses in w, at most maxit KKT solves; *ok when the
 * last point verifies. */
static el_status
polish(Polish *w, const ElSettings *s, int maxit, int *iters, bool *ok, ElError *err)
{
    const ElProblem *p = w->p;
    int cap = p->ncols + p->nrows;
    Change *ch = el_calloc((size_t)(cap > 0 ? cap : 1), sizeof(*ch));
    el_status st = EL_OK;
    int it;
    *ok = false;
    if (!ch)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (polish)");
    for (it = 0; it < maxit && !el_clock_expired(s->deadline); it++) {
        int broken, n, k, best = 0;
        ElError sub;
        (*iters)++;
        st = kkt_solve(w, &sub);
        if (st == EL_ERR_NUMERIC) { /* a singular active set: let the caller refine */
            st = EL_OK;
            break;
        }
        if (st != EL_OK) {
            if (err)
                *err = sub;
            break;
        }
        n = violations(w, ch, cap, &broken);
        if (n == 0) {
            *ok = !broken;
            break;
        }
        for (k = 1; k < n; k++)
            if (ch[k].size > ch[best].size)
                best = k;
        for (k = 0; k < n; k++) {
            if (it >= FULL_UPDATE_ITERS && k != best)
                continue;
            if (ch[k].is_row)
                w->rstat[ch[k].index] = ch[k].new_stat;
            else
                w->cstat[ch[k].index] = ch[k].new_stat;
        }
    }
    el_free(ch);
    return st;
}

/* Active set of p from the LP solution of its discretisation (first/count map columns). */
static void map_basis(const ElProblem *p, const int *counts, const ElSolution *ls, Polish *w)
{
    int j, i, col = 0;
    for (j = 0; j < p->ncols; j++) {
        if (p->h[j] > 0) {
            double sum = 0, eps = 1e-9 * p->up[j];
            int k, basic = 0;
            for (k = 0; k < counts[j]; k++) {
                sum += ls->x[col + k];
                basic |= ls->cstat[col + k] == EL_ST_BASIC;
            }
            col += counts[j];
            /* a step basic in the LP, even at its bound, keeps the piece in the KKT system:
             * its marginal cost then pins the row's dual (an equilibrium on a breakpoint) */
            w->cstat[j] = basic                   ? EL_ST_BASIC
                          : sum <= eps            ? EL_ST_LOWER
                          : sum >= p->up[j] - eps ? EL_ST_UPPER
                                                  : EL_ST_BASIC;
        } else {
            w->cstat[j] = ls->cstat[col++];
        }
    }
    for (i = 0; i < p->nrows; i++)
        w->rstat[i] = ls->rstat[i];
}

static void polish_free(Polish *w)
{
    el_free(w->cstat);
    el_free(w->rstat);
    el_free(w->counts);
    el_free(w->x);
    el_free(w->y);
    el_free(w->r);
    el_free(w->d);
    el_kkt_free(w->kkt);
}

static el_status
polish_alloc(Polish *w, const ElProblem *p, double tol, ElKktMethod method, ElError *err)
{
    size_t nc = (size_t)(p->ncols > 0 ? p->ncols : 1), nr = (size_t)(p->nrows > 0 ? p->nrows : 1);
    el_status st;
    memset(w, 0, sizeof(*w));
    w->p = p;
    w->tol = tol;
    w->method = method;
    w->cstat = el_calloc(nc, sizeof(int));
    w->rstat = el_calloc(nr, sizeof(int));
    w->counts = el_calloc(nc, sizeof(int));
    w->x = el_calloc(nc, sizeof(double));
    w->d = el_calloc(nc, sizeof(double));
    w->y = el_calloc(nr, sizeof(double));
    w->r = el_calloc(nr, sizeof(double));
    if (!w->cstat || !w->rstat || !w->counts || !w->x || !w->d || !w->y || !w->r) {
        polish_free(w);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (polish)");
    }
    st = el_kkt_create(&w->kkt, p, err);
    if (st != EL_OK)
        polish_free(w);
    return st;
}

static void store(const Polish *w, ElSolution *sol)
{
    const ElProblem *p = w->p;
    int j;
    sol->outcome = EL_OPTIMAL;
    sol->obj = 0;
    for (j = 0; j < p->ncols; j++) {
        sol->obj += p->c[j] * w->x[j] + 0.5 * p->h[j] * w->x[j] * w->x[j];
        sol->cstat[j] = w->cstat[j];
    }
    memcpy(sol->x, w->x, (size_t)p->ncols * sizeof(double));
    memcpy(sol->y, w->y, (size_t)p->nrows * sizeof(double));
    memcpy(sol->rstat, w->rstat, (size_t)p->nrows * sizeof(int));
}

/* ---- Step 0: KKT first (qp.h) ----
 * The polish from a predicted active set, before any LP. Its point is kept only when it is the
 * problem's unique primal-dual solution with room to spare (strict_point), because then every
 * path, the LP path included, must end on it: the left-derivative convention of requirement
 * rows (docs/model.md §4) and the tie rules (§4.1) only ever choose where the dual or the
 * primal solution is not unique, and such a point is left to the LP path. */

/* A statuses array from elsewhere (a warm start) made consistent with p's bounds: no status
 * at an infinite bound, equality rows and fixed columns fixed, anything unknown basic. */
static void sanitize(const ElProblem *p, int *cstat, int *rstat)
{
    int i, j;
    for (j = 0; j < p->ncols; j++) {
        int st = cstat[j];
        if (p->lo[j] == p->up[j])
            st = EL_ST_FIXED;
        else if ((st == EL_ST_LOWER && !isfinite(p->lo[j])) ||
                 (st == EL_ST_UPPER && !isfinite(p->up[j])) ||
                 (st != EL_ST_LOWER && st != EL_ST_UPPER))
            st = EL_ST_BASIC;
        cstat[j] = st;
    }
    for (i = 0; i < p->nrows; i++) {
        int st = rstat[i];
        if (p->rlo[i] == p->rup[i])
            st = EL_ST_FIXED;
        else if ((st == EL_ST_LOWER && !isfinite(p->rlo[i])) ||
                 (st == EL_ST_UPPER && !isfinite(p->rup[i])) ||
                 (st != EL_ST_LOWER && st != EL_ST_UPPER))
            st = EL_ST_BASIC;
        rstat[i] = st;
    }
}

/* The cold guess, right for a market in its usual state: every quadratic column (MAC and supply
 * pieces) strictly inside its bounds, every free or costless linear column (group trade, link
 * flows, offsets used) basic, every other linear column (price instruments, steps) at its
 * bound of least cost; requirement and equality rows active, other rows slack. */
static void guess(const ElProblem *p, int *cstat, int *rstat)
{
    int i, j;
    for (j = 0; j < p->ncols; j++) {
        double lo = p->lo[j], up = p->up[j];
        if (lo == up)
            cstat[j] = EL_ST_FIXED;
        else if (p->h[j] > 0 || p->c[j] == 0 || (!isfinite(lo) && !isfinite(up)))
            cstat[j] = EL_ST_BASIC;
        else if (p->c[j] > 0)
            cstat[j] = isfinite(lo) ? EL_ST_LOWER : EL_ST_BASIC;
        else
            cstat[j] = isfinite(up) ? EL_ST_UPPER : EL_ST_BASIC;
    }
    for (i = 0; i < p->nrows; i++)
        rstat[i] = p->rlo[i] == p->rup[i]                                     ? EL_ST_FIXED
                   : p->rkind[i] == EL_ROW_REQUIREMENT && isfinite(p->rlo[i]) ? EL_ST_LOWER
                                                                              : EL_ST_BASIC;
}

/* One column (value v, reduced cost mult) or row (activity v, dual mult) of a strict point:
 * basic strictly inside its bounds by the margin pm, at a bound with a multiplier above dm
 * (fixed entries and equality rows exempt), never nonbasic free. */
static bool
strict_entry(int stat, double lo, double up, double v, double mult, double pm, double dm)
{
    switch (stat) {
    case EL_ST_BASIC:
        return lo != up && (!isfinite(lo) || v - lo > pm * (1 + fabs(lo))) &&
               (!isfinite(up) || up - v > pm * (1 + fabs(up)));
    case EL_ST_LOWER:
    case EL_ST_UPPER:
        return lo == up || fabs(mult) > dm;
    case EL_ST_FIXED:
        return lo == up;
    default: /* nonbasic free: its reduced cost is zero */
        return false;
    }
}

/* Whether the verified point in w is the unique primal-dual solution of p, with margins of
 * STRICT_MARGIN verification tolerances. (1) The last KKT system was regular: the sparse LU's
 * condition estimate at least KKT_FIRST_RCOND, or the dense path without least squares. (2)
 * Complementarity is strict: every basic column strictly inside its bounds, every nonbasic
 * column (lo < up) with a nonzero reduced cost, every slack row strictly inside its bounds and
 * every active inequality row with a nonzero dual. Then any optimal point keeps the nonbasic
 * columns at their bounds and the active rows tight (complementarity with this dual; quadratic
 * columns are unique), and the regular system leaves no other values for the basic columns;
 * any optimal dual is zero on the slack rows and solves the basic columns' equations, which a
 * regular system determine. Equality rows and fixed columns need no margin. */
static bool strict_point(const Polish *w)
{
    const ElProblem *p = w->p;
    double dscale = 1, pm = STRICT_MARGIN * w->tol, dm;
    int i, j;
    if (w->last.singular || w->last.least_squares ||
        (!w->last.dense && !(w->last.rcond >= KKT_FIRST_RCOND)))
        return false;
    for (j = 0; j < p->ncols; j++) /* the scale of violations() */
        dscale = fmax(dscale, fmax(fabs(p->c[j]), fabs(p->h[j] * w->x[j])));
    for (i = 0; i < p->nrows; i++)
        dscale = fmax(dscale, fabs(w->y[i]));
    dm = STRICT_MARGIN * w->tol * dscale;
    for (j = 0; j < p->ncols; j++)
        if (!strict_entry(w->cstat[j], p->lo[j], p->up[j], w->x[j], w->d[j], pm, dm))
            return false;
    for (i = 0; i < p->nrows; i++)
        if (!strict_entry(w->rstat[i], p->rlo[i], p->rup[i], w->r[i], w->y[i], pm, dm))
            return false;
    return true;
}

/* Step 0 on one part: the polish from the warm statuses wc, wr (may be NULL), then, if that
 * did not verify and p is quadratic, from the cold guess (a pure LP's steps have none worth
 * trying). *done when a strict point was stored in sol. Only EL_ERR_NOMEM is returned as an
 * error: any other failure leaves the part to the LP path, which meets it again if it must. */
static el_status kkt_first(const ElProblem *p,
                           const ElSettings *s,
                           ElKktMethod method,
                           const int *wc,
                           const int *wr,
                           ElSolution *sol,
                           ElQpInfo *info,
                           bool *done,
                           ElError *err)
{
    Polish w;
    ElError sub;
    /* a singular system ends the attempt: never the dense least-squares detour */
    el_status st = polish_alloc(&w, p, s->kkt_tol,
                                method == EL_KKT_SPARSE ? EL_KKT_SPARSE_ONLY : method, &sub);
    int start, last = el_problem_is_quadratic(p) ? 1 : 0;
    bool have = st == EL_OK; /* polish_alloc cleans up after itself */
    *done = false;
    for (start = wc ? 0 : 1; st == EL_OK && start <= last; start++) {
        bool ok = false;
        if (start == 0) {
            memcpy(w.cstat, wc, (size_t)p->ncols * sizeof(int));
            memcpy(w.rstat, wr, (size_t)p->nrows * sizeof(int));
            sanitize(p, w.cstat, w.rstat);
        } else {
            guess(p, w.cstat, w.rstat);
        }
        st = polish(&w, s, s->polish_iter < KKT_FIRST_ITERS ? s->polish_iter : KKT_FIRST_ITERS,
                    &info->polish_iter, &ok, &sub);
        if (st == EL_OK && ok) {
            /* verified but not strict: the problem is degenerate here, whatever the start */
            if (strict_point(&w)) {
                store(&w, sol);
                *done = true;
            }
            break;
        }
    }
    if (have) {
        info->kkt_s += w.kkt_s;
        polish_free(&w);
    }
    if (st == EL_ERR_NOMEM) {
        if (err)
            *err = sub;
        return st;
    }
    return EL_OK;
}

/* One connected part. p, s and the sizes of sol were checked by el_qp_solve; info is not NULL.
 * first: try step 0, from the warm statuses wc, wr if they are not NULL. */
static el_status qp_solve_whole(const ElProblem *p,
                                const ElSettings *s,
                                ElKktMethod method,
                                bool first,
                                const int *wc,
                                const int *wr,
                                ElSolution *sol,
                                ElQpInfo *info,
                                ElError *err)
{
    Polish w;
    el_status st;
    int round, grid;
    double t0, first_s = 0;
    memset(info, 0, sizeof(*info));
    info->parts = 1;
    if (first && (wc || el_problem_is_quadratic(p))) {
        bool done = false;
        st = kkt_first(p, s, method, wc, wr, sol, info, &done, err);
        if (st != EL_OK || done) {
            info->polished = done;
            info->lp_skipped = done;
            return st;
        }
        first_s = info->kkt_s; /* the LP path below starts afresh, as without step 0 */
    }
    if (!el_problem_is_quadratic(p)) {
        /* GLPK's answer is exact unless a requirement is below its feasibility tolerance (a
         * cap 1e-8 below BAU): then the exact stage below verifies from a raised basis */
        t0 = el_clock_now();
        st = solve_lp(p, s, sol, &info->lp_solves, err);
        info->lp_s += el_clock_now() - t0;
        if (st != EL_OK || sol->outcome != EL_OPTIMAL || el_problem_rows_hold(p, sol->x, 1e-11))
            return st;
    }

    st = polish_alloc(&w, p, s->kkt_tol, method, err);
    if (st != EL_OK)
        return st;
    /* the deadline is checked before each round and in each polish iteration */
    for (round = 0; round <= s->refine && !el_clock_expired(s->deadline); round++) {
        ElProblem *d = NULL;
        ElSolution *ls = NULL;
        bool ok = false;
        double cols;
        /* grid * 8^round <= EL_MAX_STEPS_PER_PIECE (el_settings_validate): no overflow */
        grid = s->grid << (3 * round);
        if (round > 0 && !lp_within_budget(p, grid, NULL, &cols)) {
            st = el_error_set(err, EL_ERR_NUMERIC,
                              "the exact equilibrium could not be verified after %d grid "
                              "refinements (%d active-set iterations); the next, with %d steps "
                              "per piece, would need an LP of %.0f columns, above the budget of "
                              "%d (docs/settings.md)",
                              round - 1, info->polish_iter, grid, cols, EL_MAX_LP_COLS);
            break;
        }
        info->grid = grid;
        t0 = el_clock_now();
        st = discretize(p, grid, NULL, &d, w.counts, err);
        if (st == EL_OK)
            st = el_solution_create(&ls, d->ncols, d->nrows, err);
        if (st == EL_OK)
            st = solve_lp(d, s, ls, &info->lp_solves, err);
        info->lp_s += el_clock_now() - t0;
        if (st == EL_OK && ls->outcome != EL_OPTIMAL) {
            sol->outcome = ls->outcome;
            info->kkt_s = first_s + w.kkt_s;
            el_solution_free(ls);
            el_problem_free(d);
            polish_free(&w);
            return EL_OK;
        }
        if (st == EL_OK) {
            map_basis(p, w.counts, ls, &w);
            st = polish(&w, s, s->polish_iter, &info->polish_iter, &ok, err);
        }
        if (st == EL_OK && !ok && !el_clock_expired(s->deadline)) {
            /* a second start: the basis with every requirement raised (tiny requirements) */
            t0 = el_clock_now();
            st = solve_lp_dir(d, s, +1, ls, &info->lp_solves, err);
            info->lp_s += el_clock_now() - t0;
            if (st == EL_OK && ls->outcome == EL_OPTIMAL) {
                map_basis(p, w.counts, ls, &w);
                st = polish(&w, s, s->polish_iter, &info->polish_iter, &ok, err);
            }
        }
        el_solution_free(ls);
        el_problem_free(d);
        if (st != EL_OK)
            break;
        if (ok) {
            info->polished = true;
            info->kkt_s = first_s + w.kkt_s;
            store(&w, sol);
            polish_free(&w);
            return EL_OK;
        }
    }
    info->kkt_s = first_s + w.kkt_s;
    polish_free(&w);
    if (st != EL_OK)
        return st;
    if (el_clock_expired(s->deadline)) { /* out of time before a round or within a polish */
        sol->outcome = EL_TIME_LIMIT;
        return EL_OK;
    }
    return el_error_set(err, EL_ERR_NUMERIC,
                        "the exact equilibrium could not be verified after %d grid refinements "
                        "(%d active-set iterations)",
                        s->refine, info->polish_iter);
}

/* ---- Connected components ----
 * Columns linked through rows form independent subproblems (a jurisdiction in autarky, a group
 * with its members, ...). Each is solved on its own, so tolerances, grid widths and the LP
 * basis of one never depend on another, and a design's numbers depend only on what it uses. */

/* Component of each column and row (a row without columns is a component of its own);
 * returns the count. parent has 2 (ncols + nrows) entries of scratch. Components are numbered
 * in order of their first column (or row), so the numbering follows the problem's order. */
static int components(const ElProblem *p, int *parent, int *ccomp, int *rcomp)
{
    int n = p->ncols + p->nrows, i, t, nc = 0;
    int *label = parent + n;
    for (i = 0; i < n; i++) {
        parent[i] = i;
        label[i] = -1;
    }
    for (t = 0; t < p->nnz; t++) /* column node j, row node ncols + i */
        el_uf_union(parent, p->aj[t], p->ncols + p->ai[t]);
    for (i = 0; i < n; i++) {
        int r = el_uf_find(parent, i);
        if (label[r] < 0)
            label[r] = nc++;
    }
    for (i = 0; i < p->ncols; i++)
        ccomp[i] = label[el_uf_find(parent, i)];
    for (i = 0; i < p->nrows; i++)
        rcomp[i] = label[el_uf_find(parent, p->ncols + i)];
    return nc;
}

typedef struct {
    int *ccomp, *rcomp;   /* component per column / row */
    int *cmap, *rmap;     /* index in the component's subproblem */
    int *tstart, *order;  /* triplets grouped by component */
    int *cstart, *corder; /* columns grouped by component, in the problem's order */
    int *rstart, *rorder; /* rows grouped likewise */
    int *tkey;            /* scratch: component of each triplet */
} Split;

/* Counting sort of n items by key (0 .. nc-1), stable: the items of key k are
 * order[start[k] .. start[k+1]). start has nc + 2 entries, zeroed by the caller. */
static void group_by(int n, const int *key, int nc, int *start, int *order)
{
    int t, k;
    for (t = 0; t < n; t++)
        start[key[t] + 2]++;
    for (k = 0; k < nc; k++)
        start[k + 2] += start[k + 1];
    for (t = 0; t < n; t++)
        order[start[key[t] + 1]++] = t;
}

/* Subproblem of component k: linear in its own size, whatever the number of components. */
static el_status
sub_problem(const ElProblem *p, const Split *sp, int k, ElProblem **out, ElError *err)
{
    ElProblem *q = NULL;
    el_status st = el_problem_create(&q, err);
    int i, j, t;
    for (t = sp->cstart[k]; st == EL_OK && t < sp->cstart[k + 1]; t++) {
        j = sp->corder[t];
        st = el_problem_add_col(q, p->colname[j], p->c[j], p->h[j], p->lo[j], p->up[j],
                                &sp->cmap[j], err);
        if (st == EL_OK && p->is_int[j])
            el_problem_set_integer(q, sp->cmap[j]);
    }
    for (t = sp->rstart[k]; st == EL_OK && t < sp->rstart[k + 1]; t++) {
        i = sp->rorder[t];
        st = el_problem_add_row(q, p->rowname[i], p->rlo[i], p->rup[i], (ElRowKind)p->rkind[i],
                                &sp->rmap[i], err);
    }
    for (t = sp->tstart[k]; st == EL_OK && t < sp->tstart[k + 1]; t++) {
        int e = sp->order[t];
        st = el_problem_add_coef(q, sp->rmap[p->ai[e]], sp->cmap[p->aj[e]], p->av[e], err);
    }
    if (st != EL_OK) {
        el_problem_free(q);
        return st;
    }
    *out = q;
    return EL_OK;
}

static void split_free(Split *sp)
{
    el_free(sp->ccomp);
    el_free(sp->rcomp);
    el_free(sp->cmap);
    el_free(sp->rmap);
    el_free(sp->tstart);
    el_free(sp->order);
    el_free(sp->cstart);
    el_free(sp->corder);
    el_free(sp->rstart);
    el_free(sp->rorder);
    el_free(sp->tkey);
}

/* Names of the requirement rows of a failed component, appended to the error message. */
static void name_rows(const ElProblem *p, const Split *sp, int k, ElQpInfo *info)
{
    int i;
    info->nfailed_rows = 0;
    for (i = 0; i < p->nrows && info->nfailed_rows < EL_QP_MAX_FAILED_ROWS; i++)
        if ((!sp || sp->rcomp[i] == k) && p->rkind[i] == EL_ROW_REQUIREMENT)
            info->failed_rows[info->nfailed_rows++] = i;
}

el_status
el_qp_solve(const ElProblem *p, const ElSettings *s, ElSolution *sol, ElQpInfo *info, ElError *err)
{
    return el_qp_solve_with(p, s, NULL, sol, info, err);
}

el_status el_qp_solve_with(const ElProblem *p,
                           const ElSettings *s,
                           const ElQpOptions *o,
                           ElSolution *sol,
                           ElQpInfo *info,
                           ElError *err)
{
    ElSettings defaults;
    ElQpInfo local, part;
    Split sp;
    int *parent = NULL, nc, k, i, t, n = p->ncols + p->nrows, *wc = NULL, *wr = NULL;
    el_status st;
    bool any_bad = false, first;
    ElKktMethod method = o ? o->kkt : EL_KKT_SPARSE;
    const ElSolution *warm = o ? o->warm : NULL;
    if (!info)
        info = &local;
    memset(info, 0, sizeof(*info));
    if (!s) {
        el_settings_default(&defaults);
        s = &defaults;
    }
    st = el_settings_validate(s, err);
    if (st == EL_OK)
        st = el_problem_check(p, err);
    if (st != EL_OK)
        return st;
    if (sol->ncols != p->ncols || sol->nrows != p->nrows)
        return el_error_set(err, EL_ERR_INTERNAL, "el_qp_solve: solution has the wrong size");
    first = !(o && o->lp_only) && s->fast_path != 0;
    /* read before anything is written: warm may be sol itself */
    if (!first || !warm || warm->ncols != p->ncols || warm->nrows != p->nrows ||
        warm->outcome != EL_OPTIMAL || !warm->cstat || !warm->rstat)
        warm = NULL;
    memset(&sp, 0, sizeof(sp));
    parent = el_calloc((size_t)(2 * n + 1), sizeof(int));
    sp.ccomp = el_calloc((size_t)p->ncols + 1, sizeof(int));
    sp.rcomp = el_calloc((size_t)p->nrows + 1, sizeof(int));
    sp.cmap = el_calloc((size_t)p->ncols + 1, sizeof(int));
    sp.rmap = el_calloc((size_t)p->nrows + 1, sizeof(int));
    sp.order = el_calloc((size_t)p->nnz + 1, sizeof(int));
    if (!parent || !sp.ccomp || !sp.rcomp || !sp.cmap || !sp.rmap || !sp.order) {
        el_free(parent);
        split_free(&sp);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (components)");
    }
    nc = components(p, parent, sp.ccomp, sp.rcomp);
    el_free(parent);
    if (nc <= 1) {
        split_free(&sp);
        st = qp_solve_whole(p, s, method, first, warm ? warm->cstat : NULL,
                            warm ? warm->rstat : NULL, sol, info, err);
        if (st == EL_ERR_NUMERIC)
            name_rows(p, NULL, 0, info);
        return st;
    }
    sp.tstart = el_calloc((size_t)nc + 2, sizeof(int));
    sp.cstart = el_calloc((size_t)nc + 2, sizeof(int));
    sp.rstart = el_calloc((size_t)nc + 2, sizeof(int));
    sp.corder = el_calloc((size_t)p->ncols + 1, sizeof(int));
    sp.rorder = el_calloc((size_t)p->nrows + 1, sizeof(int));
    sp.tkey = el_calloc((size_t)p->nnz + 1, sizeof(int));
    if (warm) { /* each part's warm statuses, in its own indices */
        wc = el_calloc((size_t)p->ncols + 1, sizeof(int));
        wr = el_calloc((size_t)p->nrows + 1, sizeof(int));
    }
    if (!sp.tstart || !sp.cstart || !sp.rstart || !sp.corder || !sp.rorder || !sp.tkey ||
        (warm && (!wc || !wr))) {
        split_free(&sp);
        el_free(wc);
        el_free(wr);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (components)");
    }
    for (t = 0; t < p->nnz; t++) /* the component of each triplet, as the key of the sort */
        sp.tkey[t] = sp.ccomp[p->aj[t]];
    group_by(p->nnz, sp.tkey, nc, sp.tstart, sp.order);
    group_by(p->ncols, sp.ccomp, nc, sp.cstart, sp.corder);
    group_by(p->nrows, sp.rcomp, nc, sp.rstart, sp.rorder);
    sol->outcome = EL_OPTIMAL;
    sol->obj = 0;
    info->polished = true;
    for (k = 0; st == EL_OK && k < nc; k++) {
        ElProblem *q = NULL;
        ElSolution *qs = NULL;
        memset(&part, 0, sizeof(part));
        st = sub_problem(p, &sp, k, &q, err);
        if (st == EL_OK)
            st = el_solution_create(&qs, q->ncols, q->nrows, err);
        for (t = sp.cstart[k]; warm && st == EL_OK && t < sp.cstart[k + 1]; t++)
            wc[sp.cmap[sp.corder[t]]] = warm->cstat[sp.corder[t]];
        for (t = sp.rstart[k]; warm && st == EL_OK && t < sp.rstart[k + 1]; t++)
            wr[sp.rmap[sp.rorder[t]]] = warm->rstat[sp.rorder[t]];
        if (st == EL_OK)
            st = qp_solve_whole(q, s, method, first, warm ? wc : NULL, warm ? wr : NULL, qs, &part,
                                err);
        info->lp_solves += part.lp_solves;
        info->parts += part.parts;
        info->lp_skipped += part.lp_skipped;
        info->polish_iter += part.polish_iter;
        info->lp_s += part.lp_s;
        info->kkt_s += part.kkt_s;
        info->grid = part.grid > info->grid ? part.grid : info->grid;
        if (st == EL_OK && qs->outcome != EL_OPTIMAL) {
            /* a part out of time leaves the whole unanswered; otherwise infeasible wins over
             * the rest: it is a result, the others are failures */
            if (!any_bad || qs->outcome == EL_TIME_LIMIT ||
                (qs->outcome == EL_INFEASIBLE && sol->outcome != EL_TIME_LIMIT))
                sol->outcome = qs->outcome;
            any_bad = true;
        } else if (st == EL_OK) {
            info->polished = info->polished && (part.polished || !el_problem_is_quadratic(q));
            sol->obj += qs->obj;
            for (t = sp.cstart[k]; t < sp.cstart[k + 1]; t++) {
                i = sp.corder[t];
                sol->x[i] = qs->x[sp.cmap[i]];
                sol->cstat[i] = qs->cstat[sp.cmap[i]];
            }
            for (t = sp.rstart[k]; t < sp.rstart[k + 1]; t++) {
                i = sp.rorder[t];
                sol->y[i] = qs->y[sp.rmap[i]];
                sol->rstat[i] = qs->rstat[sp.rmap[i]];
            }
        } else if (st == EL_ERR_NUMERIC) {
            name_rows(p, &sp, k, info);
        }
        el_solution_free(qs);
        el_problem_free(q);
    }
    split_free(&sp);
    el_free(wc);
    el_free(wr);
    return st;
}
