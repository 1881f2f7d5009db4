/* Tie rules on the optimal face (docs/model.md §4.1).
 *
 * Given the exact duals y of an optimal solution, the optimal solutions are exactly the feasible
 * points that keep complementary slackness with y: a column with a nonzero reduced cost stays at
 * its bound, a quadratic column keeps its (unique) value, a row with a nonzero dual holds with
 * equality. The remaining columns ("free": linear, zero reduced cost) span the face. Stages,
 * each a small problem over the face whose strictly convex objective makes one class of columns
 * unique, then fixed for the next stage:
 *   1. price instruments (floor, ceiling, penalty, tax): least total volume (an LP), then that
 *      total shared pro rata to each instrument's volume (floor/ceiling) or BAU (penalty, tax):
 *      min sum v^2 / (2 V);
 *   2. own abatement on flat MAC steps: the most, in equal shares of each step's width:
 *      min sum (w - a)^2 / (2 w);
 *   3. offset supply on flat steps and joint-project credits: the least, pro rata to widths
 *      (project entitlements): min sum s^2 / (2 w);
 *   4. trade (links, groups, credits surrendered): the least-squares flows: min sum x^2 / 2;
 *   5. the import parts of group purchases (u >= max(m, 0), counted by import limits): the
 *      least, min sum u^2 / 2, which with the trades fixed is u = max(m, 0).
 * Every stage starts from a point of the face (the previous stage's answer), so a stage that
 * cannot be solved leaves a valid optimal solution, only without that rule. */
#include "ties.h"

#include <math.h>
#include <string.h>

#include "el_alloc.h"
#include "qp.h"

#define TIE_TOL 1e-9 /* relative: reduced costs and duals treated as zero */
#define TIE_REG 1e-6 /* weight of the other free columns when a stage needs regularising */

enum {
    CLS_INSTR = 0,
    CLS_OWN,
    CLS_SUPPLY,
    CLS_TRADE,
    CLS_IMPORT_PART,
    CLS_COUNT
};

typedef struct {
    const ElProblem *p;
    int *cls;       /* class per column */
    double *weight; /* pro-rata weight per column (> 0) */
    char *free;     /* column on the face, not yet fixed */
    char *active;   /* row with a nonzero dual: holds with equality at `bound` */
    double *bound;
    double *x; /* current point of the face */
} Face;

static void classify(const ElModelData *md, const ElModelMap *m, Face *f)
{
    const ElProblem *p = f->p;
    const ElDesign *des = md->d;
    int j, k, q;
    for (j = 0; j < p->ncols; j++) {
        f->cls[j] = CLS_TRADE;
        f->weight[j] = 1;
    }
    for (j = 0; j < m->njur; j++) {
        double bau = fmax(md->jur[j].bau, 1e-9);
        for (k = 0; k < m->abate_count[j]; k++) {
            int c = m->abate_first[j] + k;
            f->cls[c] = CLS_OWN;
            f->weight[c] = p->up[c];
        }
        for (k = 0; k < EL_INSTR_KINDS; k++) {
            int c = m->instr_col[k][j];
            if (c >= 0) {
                f->cls[c] = CLS_INSTR;
                f->weight[c] = isfinite(p->up[c]) ? p->up[c] : bau;
            }
        }
        if (m->tax_col[j] >= 0) {
            f->cls[m->tax_col[j]] = CLS_INSTR;
            f->weight[m->tax_col[j]] = bau;
        }
    }
    for (k = 0; k < m->npools; k++)
        for (q = 0; m->pool_row[k] >= 0 && q < m->pool_count[k]; q++) {
            int c = m->pool_first_col[k] + q;
            f->cls[c] = CLS_SUPPLY;
            f->weight[c] = p->up[c];
        }
    for (q = 0; des && q < m->nprojects; q++)
        for (k = 0; k < des->projects[q].n; k++) {
            int c = m->project_first_col[q] + k;
            f->cls[c] = CLS_SUPPLY;
            f->weight[c] = des->projects[q].shares[k] * des->projects[q].capacity;
        }
    for (q = 0, k = 0; des && m->nimport_limits > 0 && q < m->ngroups; q++)
        for (j = 0; j < des->groups[q].n; j++, k++)
            if (m->import_group_col[k] >= 0)
                f->cls[m->import_group_col[k]] = CLS_IMPORT_PART;
    for (j = 0; j < p->ncols; j++)
        if (!(f->weight[j] > 1e-12) || !isfinite(f->weight[j]))
            f->weight[j] = f->weight[j] > 0 ? 1e12 : 1e-12;
}

/* The face of sol: free columns and active rows. Returns the number of free columns. */
static int find_face(const ElSolution *sol, Face *f, double *dj, double *scale)
{
    const ElProblem *p = f->p;
    double ymax = 0;
    int i, j, t, nfree = 0;
    for (j = 0; j < p->ncols; j++) {
        dj[j] = p->c[j] + p->h[j] * sol->x[j];
        scale[j] = 1 + fabs(p->c[j]);
    }
    for (t = 0; t < p->nnz; t++) {
        double v = p->av[t] * sol->y[p->ai[t]];
        dj[p->aj[t]] -= v;
        scale[p->aj[t]] += fabs(v);
    }
    for (i = 0; i < p->nrows; i++)
        ymax = fmax(ymax, fabs(sol->y[i]));
    for (i = 0; i < p->nrows; i++) {
        double y = sol->y[i];
        f->active[i] = fabs(y) > TIE_TOL * (1 + ymax);
        f->bound[i] = y > 0 ? p->rlo[i] : p->rup[i];
        if (f->active[i] && !isfinite(f->bound[i]))
            f->active[i] = 0; /* cannot happen at an optimum; keep the row as a range */
    }
    for (j = 0; j < p->ncols; j++) {
        f->free[j] = p->h[j] == 0 && p->lo[j] < p->up[j] && !p->is_int[j] &&
                     fabs(dj[j]) <= TIE_TOL * scale[j];
        nfree += f->free[j];
    }
    return nfree;
}

/* One stage: the problem over the free columns with the objective of class `cls` (or, with
 * lp_cost, the LP minimising that class's total, and with `total` >= 0 that total imposed).
 * On success the face point f->x moves to its solution and, unless lp_cost, class cls is
 * fixed. *out_total gets the class total at the solution. */
static el_status stage(Face *f,
                       const ElSettings *set,
                       int cls,
                       bool lp_cost,
                       double reg,
                       double total,
                       double *out_total,
                       bool *done,
                       ElError *err)
{
    const ElProblem *p = f->p;
    ElProblem *q = NULL;
    ElSolution *qs = NULL;
    int *plus = NULL, *minus = NULL, *rowmap = NULL;
    double *fixed = NULL, ref = 0, reg_big = 10;
    int i, j, t, sum_row = -1;
    el_status st;
    *done = false;
    plus = el_calloc((size_t)p->ncols + 1, sizeof(int));
    minus = el_calloc((size_t)p->ncols + 1, sizeof(int));
    rowmap = el_calloc((size_t)p->nrows + 1, sizeof(int));
    fixed = el_calloc((size_t)p->nrows + 1, sizeof(double));
    st = plus && minus && rowmap && fixed ? el_problem_create(&q, err)
                                          : el_error_set(err, EL_ERR_NOMEM, "out of memory (ties)");
    if (st != EL_OK) {
        el_free(plus);
        el_free(minus);
        el_free(rowmap);
        el_free(fixed);
        return st;
    }
    /* the weighted norm of the current point bounds that of the answer: a bound for columns
     * without a finite one that never binds */
    for (j = 0; j < p->ncols; j++) {
        if (f->free[j] && f->cls[j] == cls)
            ref += f->x[j] * f->x[j] / f->weight[j];
        if (f->free[j])
            reg_big += 10 * fabs(f->x[j]);
    }
    for (j = 0; st == EL_OK && j < p->ncols; j++) {
        plus[j] = minus[j] = -1;
        if (!f->free[j])
            continue;
        if ((f->cls[j] != cls && reg == 0) || (lp_cost && p->lo[j] >= 0)) {
            double c = (lp_cost && f->cls[j] == cls) ? 1.0 : 0.0;
            st = el_problem_add_col(q, p->colname[j], c, 0, p->lo[j], p->up[j], &plus[j], err);
        } else {
            bool mine = f->cls[j] == cls;
            double big = mine ? 1 + 2 * sqrt(f->weight[j] * ref) + 2 * fabs(f->x[j]) : reg_big;
            double h = (mine ? 1 : reg) / f->weight[j], c = mine && cls == CLS_OWN ? -1.0 : 0.0;
            double up = isfinite(p->up[j]) ? p->up[j] : big;
            if (p->lo[j] < 0) { /* a free trade column: x = x+ - x-, both penalised */
                st = el_problem_add_col(q, p->colname[j], 0, h, 0, fmax(up, 0), &plus[j], err);
                if (st == EL_OK)
                    st = el_problem_add_col(q, p->colname[j], 0, h, 0,
                                            isfinite(p->lo[j]) ? -p->lo[j] : big, &minus[j], err);
            } else {
                st = el_problem_add_col(q, p->colname[j], c, h, 0, up, &plus[j], err);
            }
        }
    }
    for (t = 0; t < p->nnz; t++)
        if (!f->free[p->aj[t]])
            fixed[p->ai[t]] += p->av[t] * f->x[p->aj[t]];
    for (i = 0; i < p->nrows; i++)
        rowmap[i] = -1;
    for (t = 0; st == EL_OK && t < p->nnz; t++) {
        int r = p->ai[t], c = p->aj[t];
        if (!f->free[c])
            continue;
        if (rowmap[r] < 0) {
            double lo = f->active[r] ? f->bound[r] : p->rlo[r];
            double up = f->active[r] ? f->bound[r] : p->rup[r];
            /* a tiny lower bound (below the simplex's tolerance) gets the solver's fallback */
            bool tiny = lo - fixed[r] > 0 && lo - fixed[r] <= 1e-6 && !isfinite(up);
            st = el_problem_add_row(q, p->rowname[r], lo - fixed[r], up - fixed[r],
                                    tiny ? EL_ROW_REQUIREMENT : EL_ROW_PLAIN, &rowmap[r], err);
        }
        if (st == EL_OK)
            st = el_problem_add_coef(q, rowmap[r], plus[c], p->av[t], err);
        if (st == EL_OK && minus[c] >= 0)
            st = el_problem_add_coef(q, rowmap[r], minus[c], -p->av[t], err);
    }
    if (st == EL_OK && total >= 0) { /* the class total found by the LP stage */
        st = el_problem_add_row(q, "tie_total", total, total, EL_ROW_PLAIN, &sum_row, err);
        for (j = 0; st == EL_OK && j < p->ncols; j++)
            if (f->free[j] && f->cls[j] == cls) {
                st = el_problem_add_coef(q, sum_row, plus[j], 1.0, err);
                if (st == EL_OK && minus[j] >= 0)
                    st = el_problem_add_coef(q, sum_row, minus[j], -1.0, err);
            }
    }
    if (st == EL_OK)
        st = el_solution_create(&qs, q->ncols, q->nrows, err);
    if (st == EL_OK) {
        ElError sub;
        el_status qst = el_qp_solve(q, set, qs, NULL, &sub);
        if (qst == EL_ERR_NOMEM) {
            st = qst;
            if (err)
                *err = sub;
        } else if (qst == EL_OK && qs->outcome == EL_OPTIMAL) {
            double sum = 0;
            for (j = 0; j < p->ncols; j++) {
                if (plus[j] < 0)
                    continue;
                f->x[j] = qs->x[plus[j]] - (minus[j] >= 0 ? qs->x[minus[j]] : 0);
                if (f->cls[j] == cls)
                    sum += f->x[j];
            }
            if (out_total)
                *out_total = sum;
            *done = true;
        } /* otherwise (rounding made the face look empty, time): keep the current point */
    }
    if (st == EL_OK && *done && !lp_cost)
        for (j = 0; j < p->ncols; j++)
            if (f->free[j] && f->cls[j] == cls)
                f->free[j] = 0;
    el_solution_free(qs);
    el_problem_free(q);
    el_free(plus);
    el_free(minus);
    el_free(rowmap);
    el_free(fixed);
    return st;
}

static double finite_abs(double v)
{
    return isfinite(v) ? fabs(v) : 0.0;
}

/* A safety net: the moved point must be as feasible and as cheap as the solver's (relative
 * 1e-9); otherwise the solver's point is kept. */
static bool still_optimal(const ElProblem *p, const ElSolution *sol, const double *x)
{
    double obj = 0, ref = 0;
    bool ok = true;
    int j;
    for (j = 0; ok && j < p->ncols; j++) {
        double tol = 1e-9 * (1 + finite_abs(p->lo[j]) + finite_abs(p->up[j]));
        ok = isfinite(x[j]) && x[j] >= p->lo[j] - tol && x[j] <= p->up[j] + tol;
        obj += p->c[j] * x[j] + 0.5 * p->h[j] * x[j] * x[j];
        ref += p->c[j] * sol->x[j] + 0.5 * p->h[j] * sol->x[j] * sol->x[j];
    }
    return ok && el_problem_rows_hold(p, x, 1e-9) && obj <= ref + 1e-9 * (1 + fabs(ref));
}

el_status el_ties_resolve(const ElModelData *md,
                          const ElProblem *p,
                          const ElModelMap *m,
                          const ElSettings *set,
                          ElSolution *sol,
                          ElError *err)
{
    Face f;
    size_t nc = (size_t)p->ncols + 1, nr = (size_t)p->nrows + 1;
    double *dj = el_calloc(nc, sizeof(double)), *scale = el_calloc(nc, sizeof(double));
    el_status st = EL_OK;
    int cls, j, count[CLS_COUNT] = {0};
    memset(&f, 0, sizeof(f));
    f.p = p;
    f.cls = el_calloc(nc, sizeof(int));
    f.weight = el_calloc(nc, sizeof(double));
    f.free = el_calloc(nc, 1);
    f.active = el_calloc(nr, 1);
    f.bound = el_calloc(nr, sizeof(double));
    f.x = el_calloc(nc, sizeof(double));
    if (!dj || !scale || !f.cls || !f.weight || !f.free || !f.active || !f.bound || !f.x)
        st = el_error_set(err, EL_ERR_NOMEM, "out of memory (ties)");
    if (st == EL_OK && sol->outcome == EL_OPTIMAL && find_face(sol, &f, dj, scale) > 0) {
        classify(md, m, &f);
        memcpy(f.x, sol->x, (size_t)p->ncols * sizeof(double));
        for (j = 0; j < p->ncols; j++)
            count[f.cls[j]] += f.free[j];
        for (cls = 0; st == EL_OK && cls < CLS_COUNT; cls++) {
            double total = -1;
            bool done = false;
            if (count[cls] == 0)
                continue;
            if (cls == CLS_INSTR) /* least volume first, then shared pro rata */
                st = stage(&f, set, cls, true, 0, -1, &total, &done, err);
            if (st == EL_OK) {
                double t = cls == CLS_INSTR && done ? total : -1;
                st = stage(&f, set, cls, false, 0, t, NULL, &done, err);
                /* a degenerate face can leave the stage's KKT system singular: then every
                 * other free column gets a weight 1e-6 as small, which makes it unique */
                if (st == EL_OK && !done)
                    st = stage(&f, set, cls, false, TIE_REG, t, NULL, &done, err);
            }
        }
        if (st == EL_OK && still_optimal(p, sol, f.x))
            memcpy(sol->x, f.x, (size_t)p->ncols * sizeof(double));
    }
    el_free(dj);
    el_free(scale);
    el_free(f.cls);
    el_free(f.weight);
    el_free(f.free);
    el_free(f.active);
    el_free(f.bound);
    el_free(f.x);
    return st;
}
