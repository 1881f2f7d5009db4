/* fast: the exact fast path of an equilibrium (docs/model.md §4.2). For designs made of
 * jurisdictions with any MAC pieces, price instruments, tax regimes, full-link groups, links
 * with rates and quotas, offset pools with their acceptances (discounts, quantity limits, share
 * limits slack or binding on a buyer with no other trade), and export caps and import limits
 * on one trade route, the equilibrium is found directly by breakpoint searches over each
 * market's aggregate supply, with the prices and tie rules of the slow path (left derivatives at
 * step boundaries, docs/model.md §4.1), then checked against every optimality condition of the
 * problem itself. Anything outside that class, or any point that does not verify, is left to the
 * slow path (solver/qp.h and engine/ties.h): the fast path never gives a different answer, only
 * the same one sooner. */
#ifndef EL_FAST_H
#define EL_FAST_H

#include <stdbool.h>

#include "build.h"
#include "solution.h"

/** A reusable workspace: buffers grow to the largest problem seen and are kept, with the link
 * states of the last solve as the next one's starting guess. One per thread; not shared. */
typedef struct ElFastWork ElFastWork;

/** Create an empty workspace (cheap: buffers are allocated on first use). *out is owned by the
 * caller (el_fast_work_free). */
el_status el_fast_work_create(ElFastWork **out, ElError *err);
/** Free a workspace; NULL is a no-op. */
void el_fast_work_free(ElFastWork *w);

/** Solve the problem p built (without flags) from the data in force md with map m, if the fast
 * path covers it. On *solved = true, sol (p's sizes) holds a point verified against every
 * optimality condition of p (bounds, rows, reduced costs and duals with the signs of their
 * active bounds, relative 1e-9), outcome EL_OPTIMAL, with the tie rules of engine/ties.h already
 * applied: the caller skips both el_qp_solve and el_ties_resolve. On *solved = false, sol's
 * contents are unspecified and the caller solves p the slow way. w may be NULL (a temporary
 * workspace is used). Errors: EL_ERR_NOMEM only. */
el_status el_fast_solve(ElFastWork *w,
                        const ElModelData *md,
                        const ElProblem *p,
                        const ElModelMap *m,
                        ElSolution *sol,
                        bool *solved,
                        ElError *err);

/** Forget the last solve's link states (keep the buffers): the next solve starts cold, so that
 * its answer cannot depend on what the workspace solved before (batches on any number of
 * threads give the same bytes). */
void el_fast_work_forget(ElFastWork *w);

/** Why the last el_fast_solve of w did not solve (a short constant text, "" if it did): for
 * tests and benchmarks. */
const char *el_fast_last_reason(const ElFastWork *w);

#endif
