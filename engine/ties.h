/* ties: one answer where the equilibrium's quantities are not unique (docs/model.md §4.1).
 * Prices are unique, but with flat MAC steps, price instruments at a step's cost, groups in
 * surplus or parallel links, many allocations of abatement, withholding and trade are optimal,
 * and the simplex would report whichever vertex its basis reached. el_ties_resolve moves the
 * solution, within the set of optimal solutions (the optimal face, from the exact duals), to
 * the one the documented rules pick, so that the answer does not depend on the order of the
 * scenario file or on the solver's path. */
#ifndef EL_TIES_H
#define EL_TIES_H

#include "build.h"
#include "lp.h"

/** Apply the tie rules to an optimal solution sol of the problem p built from md with map m.
 * Only primal values of columns whose reduced cost is zero change; duals are kept. */
el_status el_ties_resolve(const ElModelData *md,
                          const ElProblem *p,
                          const ElModelMap *m,
                          const ElSettings *set,
                          ElSolution *sol,
                          ElError *err);

#endif
