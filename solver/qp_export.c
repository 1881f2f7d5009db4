/* A design's problem for another solver (qp_export.h).
 * - qp: the problem as etslink solves it, minimise sum_j c_j x_j + h_j x_j^2 / 2 subject to the
 *   rows and bounds, in CPLEX LP format: the quadratic part is "+ [ h_j x_j ^2 + ... ] / 2", as
 *   CPLEX, HiGHS, Gurobi and SCIP read it. A QP solver then finds the same quantities and, as
 *   the duals of the compliance rows, the same prices, to its own tolerance.
 * - refined: an LP. Each quadratic column on [0, up] is cut at the `grid` equal steps and at
 *   x* - w, x* and x* + w around its equilibrium value x*; each step costs the average marginal
 *   cost over it, so the LP's cost is the QP's interpolated at the breakpoints. Since x* is a
 *   breakpoint and the marginal costs of the steps on either side, c + h (x* -+ w / 2), bracket
 *   the price p = c + h x* of an interior column, x* with the QP's duals is optimal for the LP
 *   (its KKT conditions hold), and every optimal dual lies within h w / 2 of p. With
 *   w = 2 EL_EXPORT_PRICE_TOL (1 + |c + h x*|) / h that is EL_EXPORT_PRICE_TOL (1 + |p|): an LP
 *   solver such as glpsol confirms the quantities and, to that tolerance, the prices.
 * - steps: the coarse LP of el_qp_discretize (what GLPK solves before the exact polish). */
#include "qp_export.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "el_alloc.h"
#include "el_io.h"
#include "qp.h"

#define TERMS_PER_LINE 6 /* terms per line of the CPLEX LP file */

int el_export_form_parse(const char *name)
{
    if (strcmp(name, "refined") == 0)
        return EL_EXPORT_REFINED;
    if (strcmp(name, "qp") == 0)
        return EL_EXPORT_QP;
    if (strcmp(name, "steps") == 0)
        return EL_EXPORT_STEPS;
    return -1;
}

const char *el_export_form_name(ElExportForm form)
{
    return form == EL_EXPORT_QP ? "qp" : form == EL_EXPORT_STEPS ? "steps" : "refined";
}

/* ---- The QP in CPLEX LP format ---- */

static void col_name(FILE *f, const ElProblem *p, int j)
{
    if (p->colname[j])
        fputs(p->colname[j], f);
    else
        fprintf(f, "x%d", j);
}

static void row_name(FILE *f, const ElProblem *p, int i, const char *suffix)
{
    if (p->rowname[i])
        fputs(p->rowname[i], f);
    else
        fprintf(f, "r%d", i);
    fputs(suffix, f);
}

/* " + 2.5 x" / " - 2.5 x": term k of a sum, starting a new line every TERMS_PER_LINE terms. */
static void term(FILE *f, int k, double v, const ElProblem *p, int j, const char *power)
{
    if (k > 0 && k % TERMS_PER_LINE == 0)
        fputs("\n  ", f);
    if (k == 0)
        fprintf(f, v < 0 ? " -" : " ");
    else
        fputs(v < 0 ? " - " : " + ", f);
    fprintf(f, "%.17g ", fabs(v));
    col_name(f, p, j);
    fputs(power, f);
}

/* The coefficients of each row in p's triplet order: row i holds entries start[i] to
 * start[i + 1] - 1 of idx (indices into the triplets). Returns false when out of memory. */
static bool rows_of(const ElProblem *p, int **start, int **idx)
{
    int i, t;
    *start = el_calloc((size_t)p->nrows + 1, sizeof(int));
    *idx = el_malloc((size_t)(p->nnz > 0 ? p->nnz : 1) * sizeof(int));
    if (!*start || !*idx) {
        el_free(*start);
        el_free(*idx);
        return false;
    }
    for (t = 0; t < p->nnz; t++)
        (*start)[p->ai[t] + 1]++;
    for (i = 0; i < p->nrows; i++)
        (*start)[i + 1] += (*start)[i];
    for (t = 0; t < p->nnz; t++) /* a stable fill, then restore start */
        (*idx)[(*start)[p->ai[t]]++] = t;
    for (i = p->nrows; i > 0; i--)
        (*start)[i] = (*start)[i - 1];
    (*start)[0] = 0;
    return true;
}

static void row_sum(FILE *f, const ElProblem *p, const int *start, const int *idx, int i)
{
    int k;
    if (start[i] == start[i + 1]) { /* an empty row: 0 times the first column */
        fputs(" 0 ", f);
        col_name(f, p, 0);
        return;
    }
    for (k = start[i]; k < start[i + 1]; k++)
        term(f, k - start[i], p->av[idx[k]], p, p->aj[idx[k]], "");
}

el_status el_qp_write_cplex(const ElProblem *p, FILE *f, ElError *err)
{
    int *start = NULL, *idx = NULL;
    int i, j, k = 0, nq = 0;
    if (!rows_of(p, &start, &idx))
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (export)");
    fputs("\\ etslink export-lp --form qp: minimise c'x + sum_j h_j x_j^2 / 2 (docs/cli.md).\n"
          "\\ The duals of the rows comply_J are the jurisdictions' prices.\nMinimize\n obj:",
          f);
    for (j = 0; j < p->ncols; j++)
        if (p->c[j] != 0)
            term(f, k++, p->c[j], p, j, "");
    for (j = 0; j < p->ncols; j++)
        nq += p->h[j] > 0;
    if (nq > 0) {
        fputs(k > 0 ? "\n  + [" : " [", f);
        for (j = 0, k = 0; j < p->ncols; j++)
            if (p->h[j] > 0)
                term(f, k++, p->h[j], p, j, " ^2");
        fputs(" ] / 2", f);
    } else if (k == 0 && p->ncols > 0) {
        fputs(" 0 ", f);
        col_name(f, p, 0);
    }
    fputs("\nSubject To\n", f);
    for (i = 0; i < p->nrows; i++) {
        double lo = p->rlo[i], up = p->rup[i];
        bool has_lo = isfinite(lo), has_up = isfinite(up);
        if (has_lo && has_up && lo == up) {
            fputc(' ', f);
            row_name(f, p, i, ":");
            row_sum(f, p, start, idx, i);
            fprintf(f, " = %.17g\n", up);
            continue;
        }
        if (has_lo) {
            fputc(' ', f);
            row_name(f, p, i, has_up ? "_lo:" : ":");
            row_sum(f, p, start, idx, i);
            fprintf(f, " >= %.17g\n", lo);
        }
        if (has_up) {
            fputc(' ', f);
            row_name(f, p, i, has_lo ? "_hi:" : ":");
            row_sum(f, p, start, idx, i);
            fprintf(f, " <= %.17g\n", up);
        }
    }
    el_free(start);
    el_free(idx);
    fputs("Bounds\n", f);
    for (j = 0; j < p->ncols; j++) {
        double lo = p->lo[j], up = p->up[j];
        if (lo == 0 && !isfinite(up))
            continue; /* the default: 0 <= x */
        fputc(' ', f);
        if (!isfinite(lo) && !isfinite(up)) {
            col_name(f, p, j);
            fputs(" free\n", f);
            continue;
        }
        if (isfinite(lo))
            fprintf(f, "%.17g <= ", lo);
        else
            fputs("-inf <= ", f);
        col_name(f, p, j);
        if (isfinite(up))
            fprintf(f, " <= %.17g\n", up);
        else
            fputs(" <= +inf\n", f);
    }
    for (j = 0, k = 0; j < p->ncols; j++) {
        if (!p->is_int[j])
            continue;
        fputs(k++ == 0 ? "General\n " : " ", f);
        col_name(f, p, j);
    }
    fputs(k > 0 ? "\nEnd\n" : "End\n", f);
    return EL_OK;
}

/* ---- The refined LP ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The breakpoints of quadratic column j around x: 0, the grid, x - w, x, x + w and up, sorted,
 * without duplicates or slivers. Returns their count (at most grid + 4). */
static int refined_breakpoints(const ElProblem *p, int j, int grid, double x, double *bp)
{
    double up = p->up[j], h = p->h[j], mc, w;
    int n = 0, k, m;
    x = fmin(fmax(x, 0.0), up);
    mc = p->c[j] + h * x;
    w = fmax(2 * EL_EXPORT_PRICE_TOL * (1 + fabs(mc)) / h, 1e-12 * (1 + up));
    for (k = 0; k <= grid; k++)
        bp[n++] = up * k / grid;
    if (x - w > 0)
        bp[n++] = x - w;
    if (x > 0 && x < up)
        bp[n++] = x;
    if (x + w < up)
        bp[n++] = x + w;
    qsort(bp, (size_t)n, sizeof(*bp), cmp_double);
    for (k = 1, m = 1; k < n; k++)
        if (bp[k] - bp[m - 1] > 1e-13 * (1 + up))
            bp[m++] = bp[k];
    bp[m - 1] = up;
    return m;
}

/* refined_breakpoints as el_qp_steps_lp's callback */
typedef struct {
    int grid;
    const double *x;
} Around;

static int around_breaks(void *ctx, const ElProblem *p, int j, double *bp)
{
    const Around *a = ctx;
    return refined_breakpoints(p, j, a->grid, a->x[j], bp);
}

el_status
el_qp_refine_around(const ElProblem *p, int grid, const double *x, ElProblem **out, ElError *err)
{
    Around a = {grid, x};
    double cols = 0;
    int j;
    *out = NULL;
    if (grid < 1)
        return el_error_set(err, EL_ERR_SETTINGS, "grid %d must be >= 1", grid);
    for (j = 0; j < p->ncols; j++)
        cols += p->h[j] > 0 ? grid + 3.0 : 1.0;
    if (cols > EL_MAX_LP_COLS)
        return el_error_set(err, EL_ERR_NUMERIC,
                            "the refined LP would have %.0f columns, above the budget of %d "
                            "(lower grid; docs/settings.md)",
                            cols, EL_MAX_LP_COLS);
    return el_qp_steps_lp(p, around_breaks, &a, grid + 5, out, NULL, err);
}

/* ---- Export ---- */

/* What was written: q's sizes, a ranged row counted twice when `split` (the QP's writer). */
static void fill_info(const ElProblem *q, bool split, ElExportInfo *info)
{
    int i;
    if (!info)
        return;
    memset(info, 0, sizeof(*info));
    info->ncols = q->ncols;
    info->nrows = q->nrows;
    info->nnz = q->nnz;
    info->integer = el_problem_has_integers(q);
    for (i = 0; split && i < q->nrows; i++)
        info->nrows += isfinite(q->rlo[i]) && isfinite(q->rup[i]) && q->rlo[i] != q->rup[i];
}

static el_status write_qp(const ElProblem *p, const char *path, ElExportInfo *info, ElError *err)
{
    ElOutFile *of;
    el_status st = el_problem_check(p, err);
    if (st == EL_OK)
        st = el_outfile_open(&of, path, err);
    if (st != EL_OK)
        return st;
    st = el_qp_write_cplex(p, el_outfile_stream(of), err);
    if (st != EL_OK) {
        el_outfile_abort(of);
        return st;
    }
    st = el_outfile_commit(of, err);
    if (st == EL_OK)
        fill_info(p, true, info);
    return st;
}

el_status el_qp_export(const ElProblem *p,
                       const ElSettings *s,
                       ElExportForm form,
                       const char *path,
                       ElLpFormat fmt,
                       ElExportInfo *info,
                       ElError *err)
{
    ElProblem *lp = NULL;
    ElSolution *sol = NULL;
    el_status st;
    ElSettings def;
    if (!s) {
        el_settings_default(&def);
        s = &def;
    }
    if (info)
        memset(info, 0, sizeof(*info));
    if (form == EL_EXPORT_QP) {
        if (fmt != EL_LP_FORMAT_CPLEX)
            return el_error_set(err, EL_ERR_USAGE,
                                "export-lp --form qp writes CPLEX LP format only: name the "
                                "output FILE.lp");
        return write_qp(p, path, info, err);
    }
    if (form == EL_EXPORT_STEPS) {
        st = el_qp_discretize(p, s->grid, &lp, err);
    } else {
        st = el_solution_create(&sol, p->ncols, p->nrows, err);
        if (st == EL_OK)
            st = el_qp_solve(p, s, sol, NULL, err);
        if (st == EL_OK && sol->outcome != EL_OPTIMAL)
            st = el_error_set(err, EL_ERR_NO_EQUILIBRIUM,
                              "the design has no equilibrium (%s): there is nothing to refine "
                              "around; export it with --form qp or --form steps",
                              el_outcome_name(sol->outcome));
        if (st == EL_OK)
            st = el_qp_refine_around(p, s->grid, sol->x, &lp, err);
    }
    if (st == EL_OK)
        st = el_lp_write(lp, path, fmt, err); /* atomic and symlink-safe (el_io) */
    if (st == EL_OK)
        fill_info(lp, false, info);
    el_solution_free(sol);
    el_problem_free(lp);
    return st;
}
