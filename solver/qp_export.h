/* qp_export: a design's problem written for another solver to confirm etslink's answer
 * (etslink export-lp, docs/cli.md): the QP itself, the LP of steps refined around the
 * equilibrium, or the coarse LP GLPK solves first. */
#ifndef EL_QP_EXPORT_H
#define EL_QP_EXPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "el_settings.h"
#include "el_status.h"
#include "lp.h"
#include "problem.h"

/** What export-lp writes. */
typedef enum {
    /* The LP of steps refined around the equilibrium: every quadratic column split at the
     * `grid` equal steps and at its equilibrium value x* and x* -+ w, w small enough that the
     * LP's prices lie within EL_EXPORT_PRICE_TOL (1 + |price|) of the QP's. Its optimum is x*
     * itself (the interpolated cost is exact at breakpoints and its steps bracket each price),
     * so any LP solver (glpsol) finds etslink's quantities and, to that tolerance, its prices. */
    EL_EXPORT_REFINED = 0,
    /* The QP itself, minimise c'x + sum_j h_j x_j^2 / 2, in CPLEX LP format with a quadratic
     * objective ([ ... ] / 2): for QP solvers (HiGHS, CPLEX, Gurobi, SCIP), not glpsol. */
    EL_EXPORT_QP,
    /* The coarse LP of `grid` equal steps per quadratic column that GLPK solves first (its
     * prices are a step's average cost, not the equilibrium's). */
    EL_EXPORT_STEPS
} ElExportForm;

/** Prices of the refined LP are within this share of (1 + |price|) of the QP's. */
#define EL_EXPORT_PRICE_TOL 1e-7

/** The form named "refined", "qp" or "steps"; -1 for any other name. */
int el_export_form_parse(const char *name);
/** "refined", "qp" or "steps". */
const char *el_export_form_name(ElExportForm form);

typedef struct {
    int ncols, nrows, nnz; /* of the problem written (ranged rows of the QP count twice) */
    bool integer;          /* it has integer columns (a joint project's build decision): a MIP
                              or a mixed-integer QP */
} ElExportInfo;

/** Write p (built with names, model/build.h EL_BUILD_NAMES) to path as `form`: refined and steps
 * in free MPS or CPLEX LP format (GLPK's writers), qp in CPLEX LP format only (fmt must be
 * EL_LP_FORMAT_CPLEX, else EL_ERR_USAGE). For refined, p is solved first with settings s
 * (el_qp_solve); without an equilibrium it is EL_ERR_NO_EQUILIBRIUM and nothing is written.
 * The file is written atomically (core/el_io.h). info (may be NULL) tells what was written. */
el_status el_qp_export(const ElProblem *p,
                       const ElSettings *s,
                       ElExportForm form,
                       const char *path,
                       ElLpFormat fmt,
                       ElExportInfo *info,
                       ElError *err);

/** The refined LP of p around x (p->ncols values) with `grid` equal steps per quadratic column
 * (EL_EXPORT_REFINED). *out is owned by the caller (el_problem_free). */
el_status
el_qp_refine_around(const ElProblem *p, int grid, const double *x, ElProblem **out, ElError *err);

/** Write p in CPLEX LP format with its quadratic objective to stream f (ranged rows as two
 * rows, NAME_lo and NAME_hi; unnamed rows and columns as rI and xJ). EL_ERR_NOMEM leaves f
 * incomplete. */
el_status el_qp_write_cplex(const ElProblem *p, FILE *f, ElError *err);

#endif
